//! User objects: schemas, extensions, types, functions, operators,
//! aggregates, relations (tables, views, foreign tables), foreign-data
//! wrappers, servers and user mappings.
//!
//! These are plain data with public fields; the [`Catalog`](crate::catalog::Catalog)
//! creates them (assigning oids in PostgreSQL's order) and keeps them
//! consistent. They derive serde because the snapshot format stores them
//! as they are; `fdw_core::Oid` has no serde, so oid fields go through the
//! small helper modules at the bottom of this file.

use std::collections::BTreeSet;

use fdw_core::{Oid, TypMod};
use serde::{Deserialize, Serialize};

use crate::options::OptionList;

/// The system catalog an object lives in (`classid` of `pg_depend`):
/// shippability and extension membership are keyed by `(class, oid)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectClass {
    /// `pg_namespace`.
    Namespace,
    /// `pg_type`.
    Type,
    /// `pg_proc`: functions, aggregates, procedures.
    Proc,
    /// `pg_operator`.
    Operator,
    /// `pg_opfamily`.
    Opfamily,
    /// `pg_opclass`.
    Opclass,
    /// `pg_amop`.
    Amop,
    /// `pg_cast`.
    Cast,
    /// `pg_class`.
    Relation,
    /// `pg_collation`.
    Collation,
    /// `pg_foreign_data_wrapper`.
    ForeignDataWrapper,
    /// `pg_foreign_server`.
    ForeignServer,
}

impl ObjectClass {
    /// The catalog's name, for messages.
    pub fn catalog_name(self) -> &'static str {
        match self {
            ObjectClass::Namespace => "pg_namespace",
            ObjectClass::Type => "pg_type",
            ObjectClass::Proc => "pg_proc",
            ObjectClass::Operator => "pg_operator",
            ObjectClass::Opfamily => "pg_opfamily",
            ObjectClass::Opclass => "pg_opclass",
            ObjectClass::Amop => "pg_amop",
            ObjectClass::Cast => "pg_cast",
            ObjectClass::Relation => "pg_class",
            ObjectClass::Collation => "pg_collation",
            ObjectClass::ForeignDataWrapper => "pg_foreign_data_wrapper",
            ObjectClass::ForeignServer => "pg_foreign_server",
        }
    }
}

/// One object: the catalog it lives in and its oid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ObjectRef {
    /// The catalog.
    pub class: ObjectClass,
    /// The object's oid.
    #[serde(with = "oid_serde")]
    pub oid: Oid,
}

/// A schema (`pg_namespace`) created by the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    /// `oid`.
    #[serde(with = "oid_serde")]
    pub oid: Oid,
    /// `nspname`.
    pub name: String,
}

/// An installed extension (`pg_extension`). Its objects come from the
/// bundled template (re-created from it when a snapshot is read, so they
/// are not stored), adjusted by `ALTER EXTENSION ... ADD | DROP`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    /// `oid`; the template's objects follow it in oid order.
    #[serde(with = "oid_serde")]
    pub oid: Oid,
    /// `extname`.
    pub name: String,
    /// `extnamespace`.
    #[serde(with = "oid_serde")]
    pub schema: Oid,
    /// `extversion`.
    pub version: String,
    /// True when a bundled template supplied the members; false for an
    /// extension this build does not know, which has no members of its own.
    pub bundled: bool,
    /// Members added with `ALTER EXTENSION ... ADD`.
    pub added_members: BTreeSet<ObjectRef>,
    /// Template members removed with `ALTER EXTENSION ... DROP`.
    pub dropped_members: BTreeSet<ObjectRef>,
}

/// A user-defined type (`pg_type`): enum, composite row type, domain, or
/// the array type PostgreSQL creates beside each of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserType {
    /// `oid`.
    #[serde(with = "oid_serde")]
    pub oid: Oid,
    /// `typname` (`_name` for array types, as PostgreSQL names them).
    pub name: String,
    /// `typnamespace`.
    #[serde(with = "oid_serde")]
    pub schema: Oid,
    /// `typarray`: the array type over this one; invalid for array types.
    #[serde(with = "oid_serde")]
    pub array_type: Oid,
    /// What kind of type it is, with the kind's details.
    pub kind: UserTypeKind,
}

/// The kinds of user types and what each records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum UserTypeKind {
    /// `CREATE TYPE ... AS ENUM`.
    Enum {
        /// The labels in sort order (`pg_enum`).
        labels: Vec<EnumLabel>,
    },
    /// A row type: of a table, view, foreign table or a standalone
    /// `CREATE TYPE ... AS (...)`, whose attributes are that relation's columns.
    Composite {
        /// `typrelid`.
        #[serde(with = "oid_serde")]
        relation: Oid,
    },
    /// `CREATE DOMAIN`.
    Domain {
        /// `typbasetype`.
        #[serde(with = "oid_serde")]
        base_type: Oid,
        /// `typtypmod`: -1 when none.
        typmod: TypMod,
        /// `typcollation`: invalid when the base type is not collatable.
        #[serde(with = "oid_serde")]
        collation: Oid,
        /// `typnotnull`.
        not_null: bool,
        /// `typdefault` as written.
        default: Option<String>,
        /// CHECK constraints.
        checks: Vec<Constraint>,
    },
    /// The array type over `element`.
    Array {
        /// `typelem`.
        #[serde(with = "oid_serde")]
        element: Oid,
    },
}

/// One enum label (`pg_enum`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumLabel {
    /// `oid`: even, as PostgreSQL assigns enum label oids.
    #[serde(with = "oid_serde")]
    pub oid: Oid,
    /// `enumlabel`.
    pub label: String,
}

/// A named CHECK constraint (`pg_constraint`) of a domain or relation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constraint {
    /// `oid`.
    #[serde(with = "oid_serde")]
    pub oid: Oid,
    /// `conname`.
    pub name: String,
    /// The expression as written.
    pub expr: String,
}

/// `prokind` of a user function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunctionKind {
    /// A normal function.
    Function,
    /// A procedure.
    Procedure,
    /// A window function.
    Window,
    /// An aggregate; see [`Aggregate`].
    Aggregate,
}

/// `provolatile`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Volatility {
    /// Same result for the same arguments forever; postgres_fdw ships only these.
    Immutable,
    /// Same result within one statement.
    Stable,
    /// May change at any call (the default of CREATE FUNCTION).
    Volatile,
}

/// `proargmodes` entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArgMode {
    /// IN.
    In,
    /// OUT.
    Out,
    /// INOUT.
    InOut,
    /// VARIADIC.
    Variadic,
    /// A column of `RETURNS TABLE`.
    Table,
}

impl ArgMode {
    /// True for arguments that are part of the call signature.
    pub fn is_input(self) -> bool {
        matches!(self, ArgMode::In | ArgMode::InOut | ArgMode::Variadic)
    }
}

/// One declared argument of a user function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunctionArg {
    /// The argument's name, when it has one.
    pub name: Option<String>,
    /// Its type.
    #[serde(with = "oid_serde")]
    pub type_oid: Oid,
    /// Its mode.
    pub mode: ArgMode,
    /// The DEFAULT expression as written.
    pub default: Option<String>,
}

/// A user function, procedure or aggregate (`pg_proc`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Function {
    /// `oid`.
    #[serde(with = "oid_serde")]
    pub oid: Oid,
    /// `proname`.
    pub name: String,
    /// `pronamespace`.
    #[serde(with = "oid_serde")]
    pub schema: Oid,
    /// `prokind`.
    pub kind: FunctionKind,
    /// All declared arguments in order, IN and OUT alike.
    pub args: Vec<FunctionArg>,
    /// `prorettype`.
    #[serde(with = "oid_serde")]
    pub return_type: Oid,
    /// `proretset`.
    pub returns_set: bool,
    /// `provolatile`.
    pub volatility: Volatility,
    /// `proisstrict`.
    pub strict: bool,
    /// `prolang` by name (`sql`, `plpgsql`, `c`, `internal`).
    pub language: String,
    /// `procost`.
    pub cost: f64,
    /// `prorows`: 0 unless the function returns a set.
    pub rows: f64,
    /// `prosrc` or `prosqlbody`: what the planner parses to inline a
    /// SQL-language function. `None` for aggregates. Absent from
    /// snapshots written before the field existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<FunctionBody>,
    /// `prosecdef`: SECURITY DEFINER (such functions are never inlined).
    #[serde(default, skip_serializing_if = "is_false")]
    pub security_definer: bool,
    /// `proconfig`: the `SET` clauses as `name=value`, in the order given
    /// (a function with any is never inlined).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub config: Vec<String>,
}

// serde's `skip_serializing_if` takes a path to a predicate on a reference.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_false(b: &bool) -> bool {
    !*b
}

/// A function's body as `pg_proc` keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunctionBody {
    /// `prosrc`: the `AS '...'` string, parsed again at each use (for C
    /// functions `obj_file, link_symbol`).
    Source(String),
    /// `prosqlbody`: a SQL-standard body, `RETURN expr` or
    /// `BEGIN ATOMIC ... END`, as written.
    Sql(String),
}

impl FunctionBody {
    /// The text: the `AS` string, or the SQL-standard body as written.
    pub fn text(&self) -> &str {
        match self {
            FunctionBody::Source(s) | FunctionBody::Sql(s) => s,
        }
    }
}

impl Function {
    /// The call signature: the types of the input arguments (`proargtypes`).
    pub fn input_types(&self) -> Vec<Oid> {
        self.args
            .iter()
            .filter(|a| a.mode.is_input())
            .map(|a| a.type_oid)
            .collect()
    }
}

/// `aggkind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AggregateKind {
    /// A normal aggregate.
    Normal,
    /// An ordered-set aggregate.
    OrderedSet,
    /// A hypothetical-set aggregate.
    Hypothetical,
}

/// A user aggregate's implementation (`pg_aggregate`); its name and
/// signature are in the [`Function`] with the same oid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aggregate {
    /// `aggfnoid`: the aggregate's `pg_proc` row.
    #[serde(with = "oid_serde")]
    pub oid: Oid,
    /// `aggkind`.
    pub kind: AggregateKind,
    /// `aggtransfn`.
    #[serde(with = "oid_serde")]
    pub transition_fn: Oid,
    /// `aggfinalfn`: invalid when there is none.
    #[serde(with = "oid_serde")]
    pub final_fn: Oid,
    /// `aggcombinefn`: invalid when there is none.
    #[serde(with = "oid_serde")]
    pub combine_fn: Oid,
    /// `aggtranstype`.
    #[serde(with = "oid_serde")]
    pub state_type: Oid,
    /// `agginitval` as written.
    pub initial_value: Option<String>,
    /// `aggsortop`: invalid when there is none.
    #[serde(with = "oid_serde")]
    pub sort_operator: Oid,
}

/// A user operator (`pg_operator`). A shell operator (created by a
/// forward COMMUTATOR or NEGATOR reference) has an invalid `function`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operator {
    /// `oid`.
    #[serde(with = "oid_serde")]
    pub oid: Oid,
    /// `oprname`.
    pub name: String,
    /// `oprnamespace`.
    #[serde(with = "oid_serde")]
    pub schema: Oid,
    /// `oprleft`: invalid for a prefix operator.
    #[serde(with = "oid_serde")]
    pub left: Oid,
    /// `oprright`.
    #[serde(with = "oid_serde")]
    pub right: Oid,
    /// `oprresult`: invalid for a shell.
    #[serde(with = "oid_serde")]
    pub result: Oid,
    /// `oprcode`: invalid for a shell.
    #[serde(with = "oid_serde")]
    pub function: Oid,
    /// `oprcom`.
    #[serde(with = "oid_serde")]
    pub commutator: Oid,
    /// `oprnegate`.
    #[serde(with = "oid_serde")]
    pub negator: Oid,
    /// `oprcanhash`.
    pub hashes: bool,
    /// `oprcanmerge`.
    pub merges: bool,
}

impl Operator {
    /// True for a shell: declared by reference, never defined.
    pub fn is_shell(&self) -> bool {
        self.function.is_invalid()
    }
}

/// `relkind` of a user relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// `r`: an ordinary table.
    Table,
    /// `p`: a partitioned table.
    PartitionedTable,
    /// `v`: a view: its query is recorded in [`Relation::view`], its
    /// columns only when given explicitly by the caller.
    View,
    /// `f`: a foreign table.
    ForeignTable,
    /// `c`: the relation behind a standalone composite type.
    CompositeType,
}

impl RelationKind {
    /// The noun PostgreSQL uses in messages about this kind.
    pub fn noun(self) -> &'static str {
        match self {
            RelationKind::Table | RelationKind::PartitionedTable => "table",
            RelationKind::View => "view",
            RelationKind::ForeignTable => "foreign table",
            RelationKind::CompositeType => "type",
        }
    }
}

/// A column (`pg_attribute`, with `pg_attrdef` and the column's FDW options).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// `attnum`, 1-based.
    pub attnum: i16,
    /// `attname` (`........pg.dropped.N........` once dropped, as PostgreSQL renames it).
    pub name: String,
    /// `atttypid`; invalid once dropped.
    #[serde(with = "oid_serde")]
    pub type_oid: Oid,
    /// `atttypmod`.
    pub typmod: TypMod,
    /// `attcollation`: invalid for a type that is not collatable.
    #[serde(with = "oid_serde")]
    pub collation: Oid,
    /// `attnotnull`.
    pub not_null: bool,
    /// The DEFAULT expression as written.
    pub default: Option<String>,
    /// The expression of `GENERATED ALWAYS AS (...) STORED`.
    pub generated: Option<String>,
    /// `attisdropped`.
    pub dropped: bool,
    /// Column options (`attfdwoptions`); only foreign tables have them.
    pub options: OptionList,
}

/// A column as the caller defines it; the catalog numbers it.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnDef {
    /// The column name.
    pub name: String,
    /// Its type.
    pub type_oid: Oid,
    /// Its typmod, -1 for none.
    pub typmod: TypMod,
    /// Its collation; `None` takes the type's default.
    pub collation: Option<Oid>,
    /// NOT NULL.
    pub not_null: bool,
    /// DEFAULT expression text.
    pub default: Option<String>,
    /// GENERATED ALWAYS AS (...) STORED expression text.
    pub generated: Option<String>,
    /// Column options in the order given (foreign tables only).
    pub options: Vec<(String, String)>,
}

impl ColumnDef {
    /// A nullable column of `type_oid` without typmod, default or options.
    pub fn new(name: &str, type_oid: Oid) -> ColumnDef {
        ColumnDef {
            name: name.to_string(),
            type_oid,
            typmod: -1,
            collation: None,
            not_null: false,
            default: None,
            generated: None,
            options: Vec::new(),
        }
    }
}

/// A user relation (`pg_class`): table, partitioned table, view, foreign
/// table, or the relation of a standalone composite type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    /// `oid`.
    #[serde(with = "oid_serde")]
    pub oid: Oid,
    /// `relname`.
    pub name: String,
    /// `relnamespace`.
    #[serde(with = "oid_serde")]
    pub schema: Oid,
    /// `relkind`.
    pub kind: RelationKind,
    /// All columns in attnum order, dropped ones included.
    pub columns: Vec<Column>,
    /// `reltype`: the row type.
    #[serde(with = "oid_serde")]
    pub row_type: Oid,
    /// The row type's array type.
    #[serde(with = "oid_serde")]
    pub array_type: Oid,
    /// Parents: the partitioned table of a partition, or INHERITS parents in order.
    #[serde(with = "oid_vec_serde")]
    pub parents: Vec<Oid>,
    /// `relpartbound` as written (`FOR VALUES ...`), for a partition.
    pub partition_bound: Option<String>,
    /// The `PARTITION BY` clause as written, for a partitioned table.
    pub partition_key: Option<String>,
    /// CHECK constraints.
    pub checks: Vec<Constraint>,
    /// The foreign-table part (`pg_foreign_table`), for foreign tables.
    pub foreign: Option<ForeignTablePart>,
    /// The definition of a view (its `_RETURN` rule, as written). The
    /// catalog cannot analyze SQL, so a view's [`Relation::columns`] are
    /// empty: the SQL front end derives them from this query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<ViewDef>,
}

/// `WITH [CASCADED | LOCAL] CHECK OPTION` of a view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckOption {
    /// `WITH LOCAL CHECK OPTION`: only this view's condition is checked.
    Local,
    /// `WITH [CASCADED] CHECK OPTION`: this view's and its base views' conditions.
    Cascaded,
}

/// What a view adds to its relation: its defining query and options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewDef {
    /// The defining query exactly as written (the text between `AS` and
    /// the end of the statement or its `WITH ... CHECK OPTION`).
    pub query: String,
    /// The explicit column-name list `CREATE VIEW v (a, b)`; empty when
    /// the query's result names are the view's column names. It may be
    /// shorter than the query's target list (the rest keep their names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub column_names: Vec<String>,
    /// The check option, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_option: Option<CheckOption>,
}

impl Relation {
    /// The live (not dropped) columns in attnum order.
    pub fn live_columns(&self) -> impl Iterator<Item = &Column> {
        self.columns.iter().filter(|c| !c.dropped)
    }

    /// The live column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.live_columns().find(|c| c.name == name)
    }

    /// The column with attribute number `attnum`, dropped or not.
    pub fn column_by_attnum(&self, attnum: i16) -> Option<&Column> {
        self.columns.iter().find(|c| c.attnum == attnum)
    }
}

/// What `pg_foreign_table` adds to a foreign table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForeignTablePart {
    /// `ftserver`.
    #[serde(with = "oid_serde")]
    pub server: Oid,
    /// `ftoptions`.
    pub options: OptionList,
}

/// A foreign-data wrapper (`pg_foreign_data_wrapper`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForeignDataWrapper {
    /// `oid`.
    #[serde(with = "oid_serde")]
    pub oid: Oid,
    /// `fdwname`.
    pub name: String,
    /// `fdwhandler`: invalid when none.
    #[serde(with = "oid_serde")]
    pub handler: Oid,
    /// `fdwvalidator`: invalid when none.
    #[serde(with = "oid_serde")]
    pub validator: Oid,
    /// True when the validator is `postgres_fdw_validator`: options of this
    /// wrapper's servers, mappings and tables are checked as postgres_fdw
    /// checks them. Other wrappers' options are accepted unchecked.
    pub postgres_fdw_validator: bool,
    /// `fdwoptions`.
    pub options: OptionList,
}

/// A foreign server (`pg_foreign_server`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForeignServer {
    /// `oid`.
    #[serde(with = "oid_serde")]
    pub oid: Oid,
    /// `srvname`.
    pub name: String,
    /// `srvfdw`.
    #[serde(with = "oid_serde")]
    pub wrapper: Oid,
    /// `srvtype`.
    pub server_type: Option<String>,
    /// `srvversion`.
    pub version: Option<String>,
    /// `srvoptions`.
    pub options: OptionList,
}

/// Whom a user mapping is for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MappingUser {
    /// `FOR PUBLIC`: every role without a mapping of its own.
    Public,
    /// A role, by name (`CURRENT_USER` is resolved to the name when created).
    Role(String),
}

impl std::fmt::Display for MappingUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MappingUser::Public => f.write_str("public"),
            MappingUser::Role(name) => f.write_str(name),
        }
    }
}

/// A user mapping (`pg_user_mapping`). Secret options (`password`,
/// `sslpassword`) are recorded as set, without their values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserMapping {
    /// `oid`.
    #[serde(with = "oid_serde")]
    pub oid: Oid,
    /// `umuser`.
    pub user: MappingUser,
    /// `umserver`.
    #[serde(with = "oid_serde")]
    pub server: Oid,
    /// `umoptions`.
    pub options: OptionList,
}

/// Serde for a single [`Oid`] as a plain number.
pub(crate) mod oid_serde {
    use fdw_core::Oid;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(oid: &Oid, ser: S) -> Result<S::Ok, S::Error> {
        ser.serialize_u32(oid.0)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<Oid, D::Error> {
        u32::deserialize(de).map(Oid)
    }
}

/// Serde for a list of [`Oid`]s as a list of numbers.
pub(crate) mod oid_vec_serde {
    use fdw_core::Oid;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<S: Serializer>(oids: &[Oid], ser: S) -> Result<S::Ok, S::Error> {
        let raw: Vec<u32> = oids.iter().map(|o| o.0).collect();
        raw.serialize(ser)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<Vec<Oid>, D::Error> {
        Vec::<u32>::deserialize(de).map(|raw| raw.into_iter().map(Oid).collect())
    }
}
