//! The typed tree of the DDL statements the loader understands.
//!
//! Names are already case-folded as PostgreSQL folds them (unquoted
//! identifiers to lower case, quoted ones kept), and SQL-standard type
//! spellings are already rewritten to the `pg_catalog` names and type
//! modifiers that PostgreSQL's grammar produces (`int` is `pg_catalog.int4`,
//! `varchar(10)` is `pg_catalog.varchar` with modifier 10), so the loader
//! never has to know about grammar quirks. Expressions (defaults, checks,
//! partition bounds) are kept as sqlparser expressions: the catalog only
//! stores them, it never evaluates them.

use crate::error::Position;
use crate::objects::{CheckOption, FunctionBody};

/// An expression as sqlparser parsed it (column defaults, CHECK
/// constraints, generation expressions, partition bounds), boxed because
/// sqlparser's expression type is large.
pub type Expr = Box<sqlparser::ast::Expr>;

/// One parsed statement with the position of its first token.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// Where the statement starts (1-based line and column).
    pub position: Position,
    /// What the statement does.
    pub kind: StatementKind,
}

/// A possibly schema-qualified object name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct QualifiedName {
    /// The schema, when the name was qualified.
    pub schema: Option<String>,
    /// The object's own name.
    pub name: String,
}

impl std::fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.schema {
            Some(schema) => write!(f, "{schema}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// Every statement kind the loader parses.
#[derive(Debug, Clone, PartialEq)]
pub enum StatementKind {
    /// `CREATE SCHEMA [IF NOT EXISTS] name`.
    CreateSchema {
        /// The schema name.
        name: String,
        /// `IF NOT EXISTS` was given.
        if_not_exists: bool,
    },
    /// `CREATE EXTENSION [IF NOT EXISTS] name [WITH] [SCHEMA s] [VERSION v] [CASCADE]`.
    CreateExtension {
        /// The extension name.
        name: String,
        /// `IF NOT EXISTS` was given.
        if_not_exists: bool,
        /// `SCHEMA s`.
        schema: Option<String>,
        /// `VERSION v`.
        version: Option<String>,
        /// `CASCADE` was given.
        cascade: bool,
    },
    /// `ALTER EXTENSION name ADD|DROP object`: membership decides shippability.
    AlterExtensionMember {
        /// The extension name.
        extension: String,
        /// `true` for ADD, `false` for DROP.
        add: bool,
        /// The member object.
        member: ExtensionMember,
    },
    /// `CREATE FOREIGN DATA WRAPPER name [HANDLER h] [VALIDATOR v] [OPTIONS (...)]`.
    CreateForeignDataWrapper {
        /// The wrapper name.
        name: String,
        /// `HANDLER` function, `None` for `NO HANDLER` or when absent.
        handler: Option<QualifiedName>,
        /// `VALIDATOR` function, `None` for `NO VALIDATOR` or when absent.
        validator: Option<QualifiedName>,
        /// The wrapper's options.
        options: Vec<GenericOption>,
    },
    /// `CREATE SERVER`.
    CreateServer(CreateServer),
    /// `ALTER SERVER name [VERSION 'v'] [OPTIONS (...)]`, `OWNER TO`, `RENAME TO`.
    AlterServer {
        /// The server name.
        name: String,
        /// What changes.
        action: AlterServerAction,
    },
    /// `CREATE USER MAPPING [IF NOT EXISTS] FOR user SERVER s [OPTIONS (...)]`.
    CreateUserMapping {
        /// Whose mapping.
        user: UserSpec,
        /// The server name.
        server: String,
        /// `IF NOT EXISTS` was given.
        if_not_exists: bool,
        /// The mapping's options.
        options: Vec<GenericOption>,
    },
    /// `ALTER USER MAPPING FOR user SERVER s OPTIONS (...)`.
    AlterUserMapping {
        /// Whose mapping.
        user: UserSpec,
        /// The server name.
        server: String,
        /// The option changes.
        options: Vec<OptionChange>,
    },
    /// `DROP USER MAPPING [IF EXISTS] FOR user SERVER s`.
    DropUserMapping {
        /// Whose mapping.
        user: UserSpec,
        /// The server name.
        server: String,
        /// `IF EXISTS` was given.
        if_exists: bool,
    },
    /// `CREATE [UNLOGGED | TEMP] TABLE` and `CREATE FOREIGN TABLE`.
    CreateTable(CreateTable),
    /// `CREATE TYPE`.
    CreateType {
        /// The type name.
        name: QualifiedName,
        /// What kind of type.
        definition: TypeDefinition,
    },
    /// `CREATE DOMAIN name [AS] type [COLLATE c] [DEFAULT e] [constraints]`.
    CreateDomain {
        /// The domain name.
        name: QualifiedName,
        /// The base type.
        data_type: TypeName,
        /// `COLLATE`.
        collation: Option<QualifiedName>,
        /// `DEFAULT`.
        default: Option<Expr>,
        /// `NOT NULL` was given (and not overridden by a later `NULL`).
        not_null: bool,
        /// `CHECK` expressions.
        checks: Vec<Expr>,
    },
    /// `CREATE [OR REPLACE] FUNCTION` or `PROCEDURE`.
    CreateFunction(CreateFunction),
    /// `CREATE [OR REPLACE] AGGREGATE`, old or new syntax.
    CreateAggregate(CreateAggregate),
    /// `CREATE OPERATOR name (...)`.
    CreateOperator {
        /// The operator, possibly schema-qualified (`schema.===`).
        name: QualifiedName,
        /// The definition list (`FUNCTION = f`, `LEFTARG = t`, ...).
        definition: Vec<DefElem>,
    },
    /// `CREATE [OR REPLACE] [TEMP] [RECURSIVE] VIEW`.
    CreateView {
        /// The view name.
        name: QualifiedName,
        /// `OR REPLACE` was given.
        or_replace: bool,
        /// An explicit column list.
        columns: Vec<String>,
        /// The defining query, as written.
        query: String,
        /// `WITH [CASCADED | LOCAL] CHECK OPTION`.
        check_option: Option<CheckOption>,
    },
    /// `ALTER [FOREIGN] TABLE name action, ...`.
    AlterTable {
        /// `true` for `ALTER FOREIGN TABLE`.
        foreign: bool,
        /// `IF EXISTS` was given.
        if_exists: bool,
        /// The table name.
        name: QualifiedName,
        /// The actions, in order.
        actions: Vec<AlterTableAction>,
    },
    /// `ALTER [FOREIGN] TABLE name RENAME TO new`.
    RenameTable {
        /// `true` for `ALTER FOREIGN TABLE`.
        foreign: bool,
        /// `IF EXISTS` was given.
        if_exists: bool,
        /// The table name.
        name: QualifiedName,
        /// The new name (unqualified, as PostgreSQL requires).
        new_name: String,
    },
    /// `ALTER [FOREIGN] TABLE name RENAME [COLUMN] a TO b`.
    RenameColumn {
        /// `true` for `ALTER FOREIGN TABLE`.
        foreign: bool,
        /// `IF EXISTS` was given.
        if_exists: bool,
        /// The table name.
        name: QualifiedName,
        /// The column's current name.
        column: String,
        /// The column's new name.
        new_name: String,
    },
    /// `DROP kind [IF EXISTS] name, ... [CASCADE | RESTRICT]`.
    Drop {
        /// What kind of object.
        object: DropObjectKind,
        /// `IF EXISTS` was given.
        if_exists: bool,
        /// The objects.
        targets: Vec<DropTarget>,
        /// `CASCADE` was given.
        cascade: bool,
    },
    /// `IMPORT FOREIGN SCHEMA remote [LIMIT TO | EXCEPT (...)] FROM SERVER s INTO local [OPTIONS (...)]`.
    ImportForeignSchema {
        /// The remote schema.
        remote_schema: String,
        /// `LIMIT TO` (`true`) or `EXCEPT` (`false`) and the table names.
        restriction: Option<(bool, Vec<String>)>,
        /// The server name.
        server: String,
        /// The local schema.
        local_schema: String,
        /// `OPTIONS`.
        options: Vec<GenericOption>,
    },
    /// `SET [SESSION | LOCAL] name {TO | =} value, ...` or `... DEFAULT`.
    Set {
        /// The setting name, lower-cased.
        name: String,
        /// The values; empty for `DEFAULT`.
        values: Vec<String>,
    },
    /// A statement the loader recognises but does not model (COMMENT,
    /// GRANT, CREATE INDEX, ALTER ... OWNER TO, psql meta-commands, ...).
    Skipped {
        /// The statement's kind, as a PostgreSQL command tag (`CREATE
        /// INDEX`, `GRANT`, `ALTER TABLE OWNER TO`) or the meta-command
        /// (`\connect`).
        kind: String,
    },
}

/// One `name 'value'` element of an OPTIONS list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenericOption {
    /// The option name (folded like an identifier).
    pub name: String,
    /// The option value.
    pub value: String,
    /// Where the option name is written, for error messages.
    pub position: Position,
}

/// One element of an `OPTIONS (ADD | SET | DROP ...)` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionChange {
    /// `ADD name 'value'` (or `name 'value'` without a verb).
    Add(GenericOption),
    /// `SET name 'value'`.
    Set(GenericOption),
    /// `DROP name`.
    Drop {
        /// The option name.
        name: String,
        /// Where the option name is written.
        position: Position,
    },
}

/// `CREATE SERVER [IF NOT EXISTS] name [TYPE 't'] [VERSION 'v'] FOREIGN DATA WRAPPER fdw [OPTIONS (...)]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateServer {
    /// The server name.
    pub name: String,
    /// `IF NOT EXISTS` was given.
    pub if_not_exists: bool,
    /// `TYPE 't'`.
    pub server_type: Option<String>,
    /// `VERSION 'v'`.
    pub version: Option<String>,
    /// The foreign-data wrapper.
    pub wrapper: String,
    /// The server's options.
    pub options: Vec<GenericOption>,
}

/// What `ALTER SERVER` changes.
#[derive(Debug, Clone, PartialEq)]
pub enum AlterServerAction {
    /// `[VERSION 'v'] [OPTIONS (...)]`.
    Options {
        /// `VERSION 'v'`; `Some(None)` for `VERSION NULL`.
        version: Option<Option<String>>,
        /// The option changes.
        options: Vec<OptionChange>,
    },
    /// `OWNER TO role`.
    OwnerTo(String),
    /// `RENAME TO new`.
    RenameTo(String),
}

/// Whose user mapping: the `FOR ...` of user-mapping statements.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum UserSpec {
    /// `PUBLIC`: every role without a mapping of its own.
    Public,
    /// `USER`, `CURRENT_USER` or `CURRENT_ROLE`.
    CurrentUser,
    /// `SESSION_USER`.
    SessionUser,
    /// A role named explicitly.
    Role(String),
}

/// An object named in `ALTER EXTENSION ... ADD | DROP`.
#[derive(Debug, Clone, PartialEq)]
pub enum ExtensionMember {
    /// `FUNCTION f(args)` (also `PROCEDURE` and `ROUTINE`).
    Function {
        /// The function name.
        name: QualifiedName,
        /// The argument types (input arguments only).
        args: Vec<TypeName>,
    },
    /// `AGGREGATE a(args)`.
    Aggregate {
        /// The aggregate name.
        name: QualifiedName,
        /// The argument types; empty for `a(*)`.
        args: Vec<TypeName>,
    },
    /// `OPERATOR op(left, right)`; `NONE` is `None`.
    Operator {
        /// The operator name.
        name: QualifiedName,
        /// The left argument type.
        left: Option<TypeName>,
        /// The right argument type.
        right: Option<TypeName>,
    },
    /// `TYPE t`.
    Type(TypeName),
    /// `DOMAIN d`.
    Domain(TypeName),
    /// `CAST (source AS target)`.
    Cast {
        /// The source type.
        source: TypeName,
        /// The target type.
        target: TypeName,
    },
    /// `OPERATOR CLASS name USING am`.
    OperatorClass {
        /// The operator class.
        name: QualifiedName,
        /// The index access method.
        method: String,
    },
    /// `OPERATOR FAMILY name USING am`.
    OperatorFamily {
        /// The operator family.
        name: QualifiedName,
        /// The index access method.
        method: String,
    },
    /// Any other object kind (`TABLE`, `SEQUENCE`, `SCHEMA`, ...): it has
    /// no bearing on shippability, so only its kind is kept.
    Other(String),
}

/// A type reference, after PostgreSQL's grammar rewrote SQL-standard
/// spellings: `name` is what the catalog looks up, `modifiers` are the raw
/// type modifiers the type's `typmodin` turns into a typmod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeName {
    /// The type name; SQL-standard spellings are in schema `pg_catalog`.
    pub name: QualifiedName,
    /// The type modifiers, in order (`varchar(10)` has `[10]`).
    pub modifiers: Vec<i64>,
    /// The number of array dimensions (`int[][]` has 2).
    pub array_dims: usize,
    /// `%TYPE` reference (`table.column%TYPE`): the name is the column.
    pub percent_type: bool,
    /// Where the type name starts, for error messages.
    pub position: Position,
}

impl std::fmt::Display for TypeName {
    /// The type as PostgreSQL names it in messages: the (rewritten) name,
    /// the modifiers and the array brackets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.name)?;
        if !self.modifiers.is_empty() {
            let mods: Vec<String> = self.modifiers.iter().map(i64::to_string).collect();
            write!(f, "({})", mods.join(","))?;
        }
        if self.percent_type {
            f.write_str("%TYPE")?;
        }
        for _ in 0..self.array_dims {
            f.write_str("[]")?;
        }
        Ok(())
    }
}

/// `CREATE [FOREIGN] TABLE`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateTable {
    /// The table name.
    pub name: QualifiedName,
    /// Regular, unlogged, temporary or foreign.
    pub persistence: TablePersistence,
    /// `IF NOT EXISTS` was given.
    pub if_not_exists: bool,
    /// The column definitions, in order.
    pub columns: Vec<ColumnDef>,
    /// Table constraints.
    pub constraints: Vec<TableConstraint>,
    /// `INHERITS (...)`.
    pub inherits: Vec<QualifiedName>,
    /// `PARTITION OF parent ...`.
    pub partition_of: Option<PartitionOf>,
    /// `PARTITION BY ...`.
    pub partition_by: Option<PartitionBy>,
    /// For a foreign table: the server.
    pub server: Option<String>,
    /// For a foreign table: the table's options.
    pub options: Vec<GenericOption>,
}

/// How a table is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TablePersistence {
    /// An ordinary table.
    Permanent,
    /// `UNLOGGED`.
    Unlogged,
    /// `TEMP` / `TEMPORARY`.
    Temporary,
    /// `CREATE FOREIGN TABLE`.
    Foreign,
}

/// One column of a `CREATE TABLE` or `ADD COLUMN`.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnDef {
    /// The column name.
    pub name: String,
    /// The type; `None` only in `PARTITION OF` column lists, which name
    /// an inherited column to add constraints to.
    pub data_type: Option<TypeName>,
    /// Column options (`OPTIONS (column_name '...')`).
    pub options: Vec<GenericOption>,
    /// Column constraints, in order.
    pub constraints: Vec<ColumnConstraint>,
    /// Where the column name is written.
    pub position: Position,
}

/// A column constraint or clause.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnConstraint {
    /// `NOT NULL`.
    NotNull,
    /// `NULL`.
    Null,
    /// `DEFAULT expr`.
    Default(Expr),
    /// `COLLATE name`.
    Collate(QualifiedName),
    /// `CHECK (expr)`.
    Check(Expr),
    /// `GENERATED ALWAYS AS (expr) STORED`.
    Generated(Expr),
    /// `GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY`.
    Identity,
    /// `PRIMARY KEY`.
    PrimaryKey,
    /// `UNIQUE`.
    Unique,
    /// `REFERENCES table [(column)]`.
    References(QualifiedName),
}

/// A table constraint.
#[derive(Debug, Clone, PartialEq)]
pub enum TableConstraint {
    /// `PRIMARY KEY (columns)`.
    PrimaryKey(Vec<String>),
    /// `UNIQUE (columns)`.
    Unique(Vec<String>),
    /// `CHECK (expr)`.
    Check(Expr),
    /// `FOREIGN KEY (columns) REFERENCES table`.
    ForeignKey {
        /// The referencing columns.
        columns: Vec<String>,
        /// The referenced table.
        table: QualifiedName,
    },
}

/// `PARTITION OF parent {FOR VALUES ... | DEFAULT}`.
#[derive(Debug, Clone, PartialEq)]
pub struct PartitionOf {
    /// The partitioned parent.
    pub parent: QualifiedName,
    /// The partition bound.
    pub bound: PartitionBound,
}

/// A partition bound.
#[derive(Debug, Clone, PartialEq)]
pub enum PartitionBound {
    /// `DEFAULT`.
    Default,
    /// `FOR VALUES IN (...)`.
    List(Vec<Expr>),
    /// `FOR VALUES FROM (...) TO (...)`; `MINVALUE`/`MAXVALUE` are kept
    /// as identifiers.
    Range {
        /// The lower bounds.
        from: Vec<Expr>,
        /// The upper bounds.
        to: Vec<Expr>,
    },
    /// `FOR VALUES WITH (MODULUS m, REMAINDER r)`.
    Hash {
        /// The modulus.
        modulus: u64,
        /// The remainder.
        remainder: u64,
    },
}

/// `PARTITION BY strategy (keys)`.
#[derive(Debug, Clone, PartialEq)]
pub struct PartitionBy {
    /// The strategy.
    pub strategy: PartitionStrategy,
    /// The partition keys (column references or expressions).
    pub keys: Vec<Expr>,
}

/// A partitioning strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartitionStrategy {
    /// `RANGE`.
    Range,
    /// `LIST`.
    List,
    /// `HASH`.
    Hash,
}

/// What `CREATE TYPE` defines.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeDefinition {
    /// `AS ENUM ('a', 'b')`.
    Enum(Vec<String>),
    /// `AS (attr type [COLLATE c], ...)`.
    Composite(Vec<CompositeAttribute>),
    /// `AS RANGE (...)`.
    Range(Vec<DefElem>),
    /// `(INPUT = ..., OUTPUT = ...)`: a base type.
    Base(Vec<DefElem>),
    /// No definition: a shell type.
    Shell,
}

/// One attribute of a composite type.
#[derive(Debug, Clone, PartialEq)]
pub struct CompositeAttribute {
    /// The attribute name.
    pub name: String,
    /// Its type.
    pub data_type: TypeName,
    /// `COLLATE`.
    pub collation: Option<QualifiedName>,
}

/// One `name [= value]` element of a definition list (CREATE AGGREGATE,
/// CREATE OPERATOR, CREATE TYPE).
#[derive(Debug, Clone, PartialEq)]
pub struct DefElem {
    /// The element name, lower-cased.
    pub name: String,
    /// The value, absent for flags such as `HASHES`.
    pub value: Option<DefValue>,
}

/// The value of a definition-list element.
#[derive(Debug, Clone, PartialEq)]
pub enum DefValue {
    /// A type or function name (which one depends on the element).
    Name(TypeName),
    /// An operator (`SORTOP = >`, `COMMUTATOR = =`).
    Operator(QualifiedName),
    /// A number, as written.
    Number(String),
    /// A string.
    String(String),
}

/// `CREATE [OR REPLACE] FUNCTION | PROCEDURE`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateFunction {
    /// The function name.
    pub name: QualifiedName,
    /// `OR REPLACE` was given.
    pub or_replace: bool,
    /// `PROCEDURE` rather than `FUNCTION`.
    pub procedure: bool,
    /// The arguments.
    pub args: Vec<FunctionArg>,
    /// The result, `None` for a procedure.
    pub returns: Option<FunctionReturn>,
    /// `LANGUAGE`, lower-cased.
    pub language: Option<String>,
    /// `IMMUTABLE`, `STABLE` or `VOLATILE` (the default).
    pub volatility: Volatility,
    /// `STRICT` / `RETURNS NULL ON NULL INPUT`.
    pub strict: bool,
    /// `COST n`.
    pub cost: Option<f64>,
    /// `ROWS n`.
    pub rows: Option<f64>,
    /// The body: `AS '...'` (its string), or `RETURN expr` /
    /// `BEGIN ATOMIC ... END` as written.
    pub body: Option<FunctionBody>,
    /// `SECURITY DEFINER` (the last of `SECURITY INVOKER | DEFINER` wins).
    pub security_definer: bool,
    /// `SET name TO value`, `SET name FROM CURRENT` (`None`), in order.
    pub config: Vec<(String, Option<Vec<String>>)>,
}

/// One function argument.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionArg {
    /// `IN`, `OUT`, `INOUT` or `VARIADIC`.
    pub mode: ArgMode,
    /// The argument name.
    pub name: Option<String>,
    /// The argument type.
    pub data_type: TypeName,
    /// `DEFAULT expr` / `= expr`.
    pub default: Option<Expr>,
}

/// A function argument's mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgMode {
    /// `IN` (the default).
    In,
    /// `OUT`.
    Out,
    /// `INOUT`.
    InOut,
    /// `VARIADIC`.
    Variadic,
}

/// What a function returns.
#[derive(Debug, Clone, PartialEq)]
pub enum FunctionReturn {
    /// `RETURNS [SETOF] type`.
    Type {
        /// The result type.
        data_type: TypeName,
        /// `SETOF`.
        set: bool,
    },
    /// `RETURNS TABLE (name type, ...)`.
    Table(Vec<(String, TypeName)>),
}

/// A function's volatility.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Volatility {
    /// `IMMUTABLE`.
    Immutable,
    /// `STABLE`.
    Stable,
    /// `VOLATILE`.
    Volatile,
}

/// `CREATE AGGREGATE`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateAggregate {
    /// The aggregate name.
    pub name: QualifiedName,
    /// `OR REPLACE` was given.
    pub or_replace: bool,
    /// The argument types (for the old syntax: `BASETYPE`, unless `ANY`);
    /// empty for `name(*)`.
    pub args: Vec<TypeName>,
    /// Ordered-set aggregates: the `ORDER BY` (aggregated) argument types.
    pub order_by: Vec<TypeName>,
    /// The definition list (`SFUNC`, `STYPE`, `FINALFUNC`, ...).
    pub definition: Vec<DefElem>,
}

/// One action of `ALTER [FOREIGN] TABLE`.
#[derive(Debug, Clone, PartialEq)]
pub enum AlterTableAction {
    /// `OPTIONS (...)` on the table.
    Options(Vec<OptionChange>),
    /// `ADD [COLUMN] [IF NOT EXISTS] column`.
    AddColumn {
        /// `IF NOT EXISTS` was given.
        if_not_exists: bool,
        /// The new column.
        column: ColumnDef,
    },
    /// `DROP [COLUMN] [IF EXISTS] name`.
    DropColumn {
        /// The column name.
        name: String,
        /// `IF EXISTS` was given.
        if_exists: bool,
    },
    /// `ALTER [COLUMN] name [SET DATA] TYPE type [COLLATE c]`.
    AlterColumnType {
        /// The column name.
        name: String,
        /// The new type.
        data_type: TypeName,
        /// `COLLATE`.
        collation: Option<QualifiedName>,
    },
    /// `ALTER [COLUMN] name SET NOT NULL` (`true`) / `DROP NOT NULL` (`false`).
    SetNotNull {
        /// The column name.
        name: String,
        /// Whether the column becomes NOT NULL.
        not_null: bool,
    },
    /// `ALTER [COLUMN] name SET DEFAULT expr` / `DROP DEFAULT` (`None`).
    SetDefault {
        /// The column name.
        name: String,
        /// The new default.
        default: Option<Expr>,
    },
    /// `ALTER [COLUMN] name OPTIONS (...)`.
    ColumnOptions {
        /// The column name.
        name: String,
        /// The option changes.
        options: Vec<OptionChange>,
    },
    /// `ATTACH PARTITION name {FOR VALUES ... | DEFAULT}`.
    AttachPartition {
        /// The partition.
        partition: QualifiedName,
        /// Its bound.
        bound: PartitionBound,
    },
    /// `DETACH PARTITION name`.
    DetachPartition(QualifiedName),
    /// An action the loader does not model (`ADD CONSTRAINT`, `OWNER TO`,
    /// `ENABLE TRIGGER`, ...): its kind, such as `ADD CONSTRAINT`.
    Other(String),
}

/// What kind of object a `DROP` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DropObjectKind {
    /// `DROP SCHEMA`.
    Schema,
    /// `DROP EXTENSION`.
    Extension,
    /// `DROP SERVER`.
    Server,
    /// `DROP FOREIGN TABLE`.
    ForeignTable,
    /// `DROP TABLE`.
    Table,
    /// `DROP VIEW`.
    View,
    /// `DROP TYPE`.
    Type,
    /// `DROP DOMAIN`.
    Domain,
    /// `DROP FUNCTION` (also `PROCEDURE` and `ROUTINE`).
    Function,
    /// `DROP AGGREGATE`.
    Aggregate,
    /// `DROP OPERATOR`.
    Operator,
}

/// One object of a `DROP`.
#[derive(Debug, Clone, PartialEq)]
pub struct DropTarget {
    /// The object name.
    pub name: QualifiedName,
    /// For functions and aggregates: the argument types, when given.
    /// For operators: the left and right types (`None` for `NONE`).
    pub args: Option<Vec<Option<TypeName>>>,
}
