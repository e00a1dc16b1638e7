// API-READY
//! The catalog: built-in objects plus the user's, with name resolution and
//! shippability lookups.
//!
//! [`Catalog`] wraps the [`BuiltinCatalog`] of one major version and holds
//! every user object in `BTreeMap`s keyed by oid (plus name indexes), so
//! iteration is in oid order and everything it prints is deterministic.
//! The mutation methods are what the DDL loader calls, one per statement
//! kind; each fails with PostgreSQL's error for the same mistake and
//! assigns oids in the order PostgreSQL would (see [`Catalog::next_oid`]).
//! Things PostgreSQL reports as warnings or notices are collected and can
//! be taken with [`Catalog::take_warnings`].

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use fdw_core::{AttrNumber, Oid};

use crate::builtin::{
    self, BuiltinCatalog, ExtensionObjects, OperatorInfo, OperatorKind, ProcInfo, ProcKind,
    TypeInfo, TypeKind, TypeStorage, PG_CATALOG_NAMESPACE,
};
use crate::error::{Error, Result};
use crate::memo::LookupMemo;
use crate::objects::{
    Aggregate, AggregateKind, ArgMode, Column, ColumnDef, Constraint, EnumLabel, Extension,
    ForeignDataWrapper, ForeignServer, ForeignTablePart, Function, FunctionArg, FunctionBody,
    FunctionKind, MappingUser, ObjectClass, ObjectRef, Operator, Relation, RelationKind, Schema,
    UserMapping, UserType, UserTypeKind, ViewDef, Volatility,
};
use crate::options::{
    apply_option_changes, split_identifier_string, validate_options, FdwOptions, OptionChange,
    OptionContext, OptionList, ValidationEnv, Warning,
};
use crate::settings::Settings;
use crate::stats::{
    validate_column_stats, validate_relation_stats, ColumnStats, RelationStats, TableStats,
};

/// `ENUM_IN`/`ENUM_OUT`, `RECORD_IN`/`RECORD_OUT`, `ARRAY_IN`/`ARRAY_OUT`,
/// `DOMAIN_IN`: the I/O functions of user types (fixed built-in oids).
const ENUM_IN: Oid = Oid(3504);
const ENUM_OUT: Oid = Oid(3505);
const RECORD_IN: Oid = Oid(2290);
const RECORD_OUT: Oid = Oid(2291);
const ARRAY_IN: Oid = Oid(750);
const ARRAY_OUT: Oid = Oid(751);
const DOMAIN_IN: Oid = Oid(2597);

/// Who a user mapping statement names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MappingUserSpec {
    /// `FOR PUBLIC`.
    Public,
    /// `FOR CURRENT_USER` (or `USER`, `CURRENT_ROLE`): the catalog's current user.
    CurrentUser,
    /// `FOR name`.
    Role(String),
}

/// A definition for [`Catalog::create_relation`].
#[derive(Debug, Clone, PartialEq)]
pub struct RelationDef {
    /// The schema as written; `None` uses the creation schema of `search_path`.
    pub schema: Option<String>,
    /// The relation name.
    pub name: String,
    /// Table, partitioned table, view or foreign table
    /// ([`RelationKind::CompositeType`] is [`Catalog::create_composite_type`]'s).
    pub kind: RelationKind,
    /// The columns in order. A partition may leave them empty to take the parent's.
    pub columns: Vec<ColumnDef>,
    /// `PARTITION OF parent` (then also `partition_bound`), or `INHERITS (...)`:
    /// each as (schema, name).
    pub parents: Vec<(Option<String>, String)>,
    /// `FOR VALUES ...` / `DEFAULT` of a partition, as written.
    pub partition_bound: Option<String>,
    /// `PARTITION BY ...` of a partitioned table, as written.
    pub partition_key: Option<String>,
    /// CHECK constraints: (name, expression text); unnamed ones are named
    /// `<table>_<column or "check">` by the caller or left `None` for
    /// `<table>_check`.
    pub checks: Vec<(Option<String>, String)>,
    /// `SERVER name` of a foreign table.
    pub server: Option<String>,
    /// `OPTIONS (...)` of a foreign table, in order.
    pub options: Vec<(String, String)>,
    /// IF NOT EXISTS.
    pub if_not_exists: bool,
}

impl RelationDef {
    /// A definition of `kind` named `name` with `columns` and nothing else.
    pub fn new(kind: RelationKind, name: &str, columns: Vec<ColumnDef>) -> RelationDef {
        RelationDef {
            schema: None,
            name: name.to_string(),
            kind,
            columns,
            parents: Vec::new(),
            partition_bound: None,
            partition_key: None,
            checks: Vec::new(),
            server: None,
            options: Vec::new(),
            if_not_exists: false,
        }
    }

    /// A foreign table on `server` with `options`.
    pub fn foreign_table(
        name: &str,
        columns: Vec<ColumnDef>,
        server: &str,
        options: &[(&str, &str)],
    ) -> RelationDef {
        RelationDef {
            server: Some(server.to_string()),
            options: options
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect(),
            ..RelationDef::new(RelationKind::ForeignTable, name, columns)
        }
    }
}

/// A definition for [`Catalog::create_function`].
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionDef {
    /// Schema as written, or the creation schema.
    pub schema: Option<String>,
    /// Function name.
    pub name: String,
    /// Function, procedure or window function (aggregates use [`Catalog::create_aggregate`]).
    pub kind: FunctionKind,
    /// Declared arguments.
    pub args: Vec<FunctionArg>,
    /// Return type (`void` for procedures).
    pub return_type: Oid,
    /// RETURNS SETOF.
    pub returns_set: bool,
    /// IMMUTABLE / STABLE / VOLATILE.
    pub volatility: Volatility,
    /// STRICT.
    pub strict: bool,
    /// LANGUAGE.
    pub language: String,
    /// COST; `None` takes PostgreSQL's default (1 for C/internal, 100 otherwise).
    pub cost: Option<f64>,
    /// ROWS; `None` takes 1000 for set-returning functions, else 0.
    pub rows: Option<f64>,
    /// OR REPLACE.
    pub or_replace: bool,
    /// The body (`AS '...'`, `RETURN ...`, `BEGIN ATOMIC ... END`).
    pub body: Option<FunctionBody>,
    /// SECURITY DEFINER.
    pub security_definer: bool,
    /// The `SET` clauses as `name=value` (`proconfig`).
    pub config: Vec<String>,
}

impl FunctionDef {
    /// A volatile, non-strict SQL function `name(args) RETURNS return_type`.
    pub fn new(name: &str, args: &[Oid], return_type: Oid) -> FunctionDef {
        FunctionDef {
            schema: None,
            name: name.to_string(),
            kind: FunctionKind::Function,
            args: args
                .iter()
                .map(|&type_oid| FunctionArg {
                    name: None,
                    type_oid,
                    mode: ArgMode::In,
                    default: None,
                })
                .collect(),
            return_type,
            returns_set: false,
            volatility: Volatility::Volatile,
            strict: false,
            language: "sql".to_string(),
            cost: None,
            rows: None,
            or_replace: false,
            body: None,
            security_definer: false,
            config: Vec::new(),
        }
    }
}

/// A definition for [`Catalog::create_aggregate`].
#[derive(Debug, Clone, PartialEq)]
pub struct AggregateDef {
    /// Schema as written, or the creation schema.
    pub schema: Option<String>,
    /// Aggregate name.
    pub name: String,
    /// Input types.
    pub arg_types: Vec<Oid>,
    /// SFUNC, resolved by the caller.
    pub transition_fn: Oid,
    /// STYPE.
    pub state_type: Oid,
    /// FINALFUNC, if any.
    pub final_fn: Option<Oid>,
    /// COMBINEFUNC, if any.
    pub combine_fn: Option<Oid>,
    /// INITCOND as written.
    pub initial_value: Option<String>,
    /// SORTOP, if any.
    pub sort_operator: Option<Oid>,
    /// Result type: the final function's, or the state type.
    pub return_type: Oid,
    /// Normal, ordered-set or hypothetical.
    pub kind: AggregateKind,
    /// OR REPLACE.
    pub or_replace: bool,
}

/// A definition for [`Catalog::create_operator`].
#[derive(Debug, Clone, PartialEq)]
pub struct OperatorDef {
    /// Schema as written, or the creation schema.
    pub schema: Option<String>,
    /// Operator name (`===`).
    pub name: String,
    /// LEFTARG; `None` for a prefix operator.
    pub left: Option<Oid>,
    /// RIGHTARG.
    pub right: Oid,
    /// FUNCTION (PROCEDURE), resolved by the caller.
    pub function: Oid,
    /// COMMUTATOR name (same schema); created as a shell when missing.
    pub commutator: Option<String>,
    /// NEGATOR name (same schema); created as a shell when missing.
    pub negator: Option<String>,
    /// HASHES.
    pub hashes: bool,
    /// MERGES.
    pub merges: bool,
}

/// A definition for [`Catalog::create_domain`].
#[derive(Debug, Clone, PartialEq)]
pub struct DomainDef {
    /// Schema as written, or the creation schema.
    pub schema: Option<String>,
    /// Domain name.
    pub name: String,
    /// The base type.
    pub base_type: Oid,
    /// The base type's typmod, -1 for none.
    pub typmod: i32,
    /// COLLATE, if given.
    pub collation: Option<Oid>,
    /// NOT NULL.
    pub not_null: bool,
    /// DEFAULT text.
    pub default: Option<String>,
    /// CHECK constraints: (name, expression text).
    pub checks: Vec<(Option<String>, String)>,
}

/// A definition for [`Catalog::create_server`].
#[derive(Debug, Clone, PartialEq)]
pub struct ServerDef {
    /// Server name.
    pub name: String,
    /// FOREIGN DATA WRAPPER name.
    pub wrapper: String,
    /// TYPE.
    pub server_type: Option<String>,
    /// VERSION.
    pub version: Option<String>,
    /// OPTIONS in order.
    pub options: Vec<(String, String)>,
    /// IF NOT EXISTS.
    pub if_not_exists: bool,
}

impl ServerDef {
    /// A postgres_fdw server with `options`.
    pub fn postgres_fdw(name: &str, options: &[(&str, &str)]) -> ServerDef {
        ServerDef {
            name: name.to_string(),
            wrapper: "postgres_fdw".to_string(),
            server_type: None,
            version: None,
            options: options
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect(),
            if_not_exists: false,
        }
    }
}

/// Everything the planner knows about objects: one PostgreSQL database.
#[derive(Debug, Clone)]
pub struct Catalog {
    major: u32,
    builtin: &'static BuiltinCatalog,
    next_oid: u32,
    current_user: String,
    superuser: bool,
    schemas: BTreeMap<Oid, Schema>,
    extensions: BTreeMap<Oid, Extension>,
    /// The template objects of each extension, by extension oid (derived, not stored).
    extension_objects: BTreeMap<Oid, ExtensionObjects>,
    /// Where each of those objects' rows is (derived from `extension_objects`).
    extension_index: ExtensionIndex,
    types: UserTypes,
    functions: BTreeMap<Oid, Function>,
    aggregates: BTreeMap<Oid, Aggregate>,
    operators: BTreeMap<Oid, Operator>,
    relations: BTreeMap<Oid, Relation>,
    wrappers: BTreeMap<Oid, ForeignDataWrapper>,
    servers: BTreeMap<Oid, ForeignServer>,
    user_mappings: BTreeMap<Oid, UserMapping>,
    stats: BTreeMap<Oid, TableStats>,
    settings: Settings,
    warnings: Vec<Warning>,
    /// Resolution answers remembered across queries. Derived data: every
    /// `pub`/`pub(crate)` method taking `&mut self` starts by forgetting it
    /// ([`Catalog::forget_lookups`]), so it never outlives what it was
    /// computed from.
    memo: LookupMemo,
}

impl PartialEq for Catalog {
    /// Equal when they describe the same database; pending warnings and
    /// derived indexes do not count.
    fn eq(&self, other: &Catalog) -> bool {
        self.major == other.major
            && self.next_oid == other.next_oid
            && self.current_user == other.current_user
            && self.superuser == other.superuser
            && self.schemas == other.schemas
            && self.extensions == other.extensions
            && self.extension_objects == other.extension_objects
            && self.types == other.types
            && self.functions == other.functions
            && self.aggregates == other.aggregates
            && self.operators == other.operators
            && self.relations == other.relations
            && self.wrappers == other.wrappers
            && self.servers == other.servers
            && self.user_mappings == other.user_mappings
            && self.stats == other.stats
            && self.settings == other.settings
    }
}

/// The user types by oid, with their `pg_type` rows materialised on first
/// use: [`Catalog::type_info`] is asked for the same few types many times
/// per query (every coercion check), and building a row allocates. The rows
/// are forgotten whenever a user type or an extension's objects change (a
/// domain's row copies its base type's), so they always equal a fresh
/// `Catalog::user_type_info`.
#[derive(Clone, Default)]
struct UserTypes {
    map: BTreeMap<Oid, UserType>,
    infos: std::sync::OnceLock<BTreeMap<Oid, TypeInfo>>,
}

impl std::fmt::Debug for UserTypes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The materialised rows are derived: only the types are shown.
        self.map.fmt(f)
    }
}

impl PartialEq for UserTypes {
    fn eq(&self, other: &UserTypes) -> bool {
        self.map == other.map
    }
}

impl FromIterator<(Oid, UserType)> for UserTypes {
    fn from_iter<I: IntoIterator<Item = (Oid, UserType)>>(iter: I) -> Self {
        UserTypes {
            map: iter.into_iter().collect(),
            infos: std::sync::OnceLock::new(),
        }
    }
}

impl UserTypes {
    /// Drops the materialised rows (after a change they may depend on).
    fn forget_infos(&mut self) {
        self.infos = std::sync::OnceLock::new();
    }

    fn get(&self, oid: &Oid) -> Option<&UserType> {
        self.map.get(oid)
    }

    fn contains_key(&self, oid: &Oid) -> bool {
        self.map.contains_key(oid)
    }

    fn values(&self) -> std::collections::btree_map::Values<'_, Oid, UserType> {
        self.map.values()
    }

    fn insert(&mut self, oid: Oid, t: UserType) -> Option<UserType> {
        self.forget_infos();
        self.map.insert(oid, t)
    }

    fn remove(&mut self, oid: &Oid) -> Option<UserType> {
        self.forget_infos();
        self.map.remove(oid)
    }

    fn get_mut(&mut self, oid: &Oid) -> Option<&mut UserType> {
        self.forget_infos();
        self.map.get_mut(oid)
    }
}

/// Where the rows of created extensions' objects are: by object oid, the
/// extensions holding an object of that oid, in extension oid order (the
/// order a scan of `extension_objects` meets them). In a consistent catalog
/// every oid has one holder; a snapshot with overlapping extension oids is
/// still answered as the scan would. Derived from `extension_objects` and
/// kept in step with it by [`Catalog::set_extension_objects`] and
/// [`Catalog::remove_extension_objects`].
type ExtensionIndex = BTreeMap<Oid, Vec<ExtensionObjectRef>>;

/// One extension object's row in [`ExtensionObjects`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ExtensionObjectRef {
    /// The extension whose template holds it.
    extension: Oid,
    /// Which of the template's lists (`types`, `procs`, ...) holds it.
    class: ObjectClass,
    /// Its position in that list.
    pos: usize,
}

/// The parts of a catalog a snapshot stores, for [`crate::snapshot`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CatalogParts {
    pub(crate) major: u32,
    pub(crate) next_oid: u32,
    pub(crate) current_user: String,
    pub(crate) superuser: bool,
    pub(crate) schemas: Vec<Schema>,
    pub(crate) extensions: Vec<Extension>,
    pub(crate) types: Vec<UserType>,
    pub(crate) functions: Vec<Function>,
    pub(crate) aggregates: Vec<Aggregate>,
    pub(crate) operators: Vec<Operator>,
    pub(crate) relations: Vec<Relation>,
    pub(crate) wrappers: Vec<ForeignDataWrapper>,
    pub(crate) servers: Vec<ForeignServer>,
    pub(crate) user_mappings: Vec<UserMapping>,
    pub(crate) stats: BTreeMap<Oid, TableStats>,
    pub(crate) settings: BTreeMap<String, String>,
}

impl Catalog {
    /// An empty database of PostgreSQL `major`: only built-in objects, the
    /// current user `postgres` (a superuser), default settings.
    ///
    /// # Errors
    ///
    /// [`Error::UnsupportedVersion`] when no built-in catalog is bundled for `major`.
    ///
    /// # Example
    ///
    /// ```
    /// use fdw_catalog::catalog::{Catalog, ServerDef};
    ///
    /// let mut cat = Catalog::new(15)?;
    /// cat.create_extension("postgres_fdw", None, false)?;
    /// cat.create_server(&ServerDef::postgres_fdw("loopback", &[("dbname", "db")]))?;
    /// assert!(cat.server_by_name("loopback").is_some());
    /// # Ok::<(), fdw_catalog::Error>(())
    /// ```
    pub fn new(major: u32) -> Result<Catalog> {
        let builtin = BuiltinCatalog::for_major(major)?;
        Ok(Catalog {
            major,
            builtin,
            next_oid: Oid::FIRST_NORMAL_OBJECT_ID,
            current_user: "postgres".to_string(),
            superuser: true,
            schemas: BTreeMap::new(),
            extensions: BTreeMap::new(),
            extension_objects: BTreeMap::new(),
            extension_index: BTreeMap::new(),
            types: UserTypes::default(),
            functions: BTreeMap::new(),
            aggregates: BTreeMap::new(),
            operators: BTreeMap::new(),
            relations: BTreeMap::new(),
            wrappers: BTreeMap::new(),
            servers: BTreeMap::new(),
            user_mappings: BTreeMap::new(),
            stats: BTreeMap::new(),
            settings: Settings::new(major),
            warnings: Vec::new(),
            memo: LookupMemo::default(),
        })
    }

    // ----- General -------------------------------------------------------

    /// The PostgreSQL major version.
    pub fn major(&self) -> u32 {
        self.major
    }

    /// The memo of resolution answers (operators resolved for operand
    /// types), kept across queries and forgotten whenever the catalog
    /// changes.
    pub fn lookup_memo(&self) -> &LookupMemo {
        &self.memo
    }

    /// Forgets the remembered resolutions: called first by every method
    /// that changes the catalog, as any change (an object, a setting such
    /// as `search_path`, the current user) may change an answer.
    fn forget_lookups(&mut self) {
        self.memo.clear();
    }

    /// The built-in catalog.
    pub fn builtin(&self) -> &'static BuiltinCatalog {
        self.builtin
    }

    /// The oid the next created object gets (16384 in a fresh database).
    pub fn next_oid(&self) -> Oid {
        Oid(self.next_oid)
    }

    /// Takes an oid from the counter, for rows the caller creates that this
    /// catalog does not model (indexes, sequences, ...), so later objects
    /// still get PostgreSQL's oids.
    pub fn allocate_oid(&mut self) -> Oid {
        self.forget_lookups();
        let oid = Oid(self.next_oid);
        self.next_oid = self.next_oid.saturating_add(1);
        oid
    }

    /// The current user (`postgres` unless changed).
    pub fn current_user(&self) -> &str {
        &self.current_user
    }

    /// Sets the current user and whether it is a superuser (which decides
    /// `password_required`, `sslcert` and `sslkey` checks on user mappings).
    pub fn set_current_user(&mut self, name: &str, superuser: bool) {
        self.forget_lookups();
        self.current_user = name.to_string();
        self.superuser = superuser;
    }

    /// Whether the current user is a superuser.
    pub fn is_superuser(&self) -> bool {
        self.superuser
    }

    /// Warnings and notices collected since the last call, oldest first.
    pub fn take_warnings(&mut self) -> Vec<Warning> {
        self.forget_lookups();
        std::mem::take(&mut self.warnings)
    }

    /// Warnings and notices collected and not yet taken.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    fn warn(&mut self, message: String) {
        self.warnings.push(Warning { message });
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// `SET name = 'value'`.
    ///
    /// # Errors
    ///
    /// As [`Settings::set`].
    pub fn set_setting(&mut self, name: &str, value: &str) -> Result<()> {
        self.forget_lookups();
        self.settings.set(name, value)
    }

    /// `RESET name`.
    ///
    /// # Errors
    ///
    /// As [`Settings::reset`].
    pub fn reset_setting(&mut self, name: &str) -> Result<()> {
        self.forget_lookups();
        self.settings.reset(name)
    }

    fn alloc(&mut self) -> Oid {
        self.allocate_oid()
    }

    // ----- Schemas and search_path ---------------------------------------

    /// User schemas by oid.
    pub fn schemas(&self) -> impl Iterator<Item = &Schema> {
        self.schemas.values()
    }

    /// The oid of schema `name`, built-in or user.
    pub fn namespace_oid(&self, name: &str) -> Option<Oid> {
        if let Some(ns) = self.builtin.namespace_by_name(name) {
            return Some(ns.oid);
        }
        self.schemas
            .values()
            .find(|s| s.name == name)
            .map(|s| s.oid)
    }

    /// The name of schema `oid`, built-in or user.
    pub fn namespace_name(&self, oid: Oid) -> Option<&str> {
        if let Some(ns) = self.builtin.namespace(oid) {
            return Some(ns.name.as_str());
        }
        self.schemas.get(&oid).map(|s| s.name.as_str())
    }

    fn schema_oid_required(&self, name: &str) -> Result<Oid> {
        self.namespace_oid(name)
            .ok_or_else(|| Error::UndefinedObject {
                kind: "schema",
                name: name.to_string(),
            })
    }

    /// `CREATE SCHEMA [IF NOT EXISTS] name`; returns its oid (the existing
    /// one with IF NOT EXISTS, after a notice).
    ///
    /// # Errors
    ///
    /// [`Error::DuplicateObject`] when it exists (without IF NOT EXISTS).
    pub fn create_schema(&mut self, name: &str, if_not_exists: bool) -> Result<Oid> {
        self.forget_lookups();
        if let Some(oid) = self.namespace_oid(name) {
            if if_not_exists {
                self.warn(format!("schema \"{name}\" already exists, skipping"));
                return Ok(oid);
            }
            return Err(Error::DuplicateObject {
                kind: "schema",
                name: name.to_string(),
            });
        }
        let oid = self.alloc();
        self.schemas.insert(
            oid,
            Schema {
                oid,
                name: name.to_string(),
            },
        );
        Ok(oid)
    }

    /// `DROP SCHEMA [IF EXISTS] name [CASCADE]`.
    ///
    /// # Errors
    ///
    /// [`Error::UndefinedObject`] when missing (without IF EXISTS);
    /// [`Error::InvalidDefinition`] for a built-in schema, or one that still
    /// holds objects without CASCADE.
    pub fn drop_schema(&mut self, name: &str, if_exists: bool, cascade: bool) -> Result<()> {
        self.forget_lookups();
        let Some(oid) = self.namespace_oid(name) else {
            return self.missing(if_exists, "schema", name);
        };
        if !self.schemas.contains_key(&oid) {
            return Err(Error::InvalidDefinition(format!(
                "cannot drop schema {name} because it is required by the database system"
            )));
        }
        let rels: Vec<Oid> = self
            .relations
            .values()
            .filter(|r| r.schema == oid)
            .map(|r| r.oid)
            .collect();
        let types: Vec<Oid> = self
            .types
            .values()
            .filter(|t| t.schema == oid && !matches!(t.kind, UserTypeKind::Composite { .. }))
            .filter(|t| !matches!(t.kind, UserTypeKind::Array { .. }))
            .map(|t| t.oid)
            .collect();
        let funcs: Vec<Oid> = self
            .functions
            .values()
            .filter(|f| f.schema == oid)
            .map(|f| f.oid)
            .collect();
        let ops: Vec<Oid> = self
            .operators
            .values()
            .filter(|o| o.schema == oid)
            .map(|o| o.oid)
            .collect();
        let exts: Vec<String> = self
            .extensions
            .values()
            .filter(|e| e.schema == oid)
            .map(|e| e.name.clone())
            .collect();
        let has_objects = !(rels.is_empty()
            && types.is_empty()
            && funcs.is_empty()
            && ops.is_empty()
            && exts.is_empty());
        if has_objects && !cascade {
            return Err(depends_error("schema", name));
        }
        for ext in exts {
            self.drop_extension(&ext, true, true)?;
        }
        for rel in rels {
            if self.relations.contains_key(&rel) {
                self.remove_relation(rel);
            }
        }
        for ty in types {
            self.remove_type(ty);
        }
        for f in funcs {
            self.functions.remove(&f);
            self.aggregates.remove(&f);
        }
        for o in ops {
            self.operators.remove(&o);
        }
        self.schemas.remove(&oid);
        Ok(())
    }

    /// The schemas searched for unqualified names, in order: `pg_catalog`
    /// first unless `search_path` names it elsewhere, then the path's
    /// existing schemas (`$user` is the current user's schema, if any).
    pub fn search_path(&self) -> Vec<Oid> {
        self.search_path_oids().to_vec()
    }

    /// [`Catalog::search_path`] without a copy: remembered until the
    /// catalog changes (unqualified names of every query look through it).
    pub fn search_path_oids(&self) -> &[Oid] {
        self.memo.search_path(|| self.compute_search_path())
    }

    fn compute_search_path(&self) -> Vec<Oid> {
        let mut path = Vec::new();
        let entries = self.settings.search_path_entries();
        if !entries.iter().any(|e| e == "pg_catalog") {
            path.push(PG_CATALOG_NAMESPACE);
        }
        for entry in entries {
            let name = if entry == "$user" {
                self.current_user.as_str()
            } else {
                entry.as_str()
            };
            if let Some(oid) = self.namespace_oid(name) {
                if !path.contains(&oid) {
                    path.push(oid);
                }
            }
        }
        path
    }

    /// The schema a new object goes to: `schema` when given (it must
    /// exist), else the first existing schema of `search_path` (not the
    /// implicit `pg_catalog`).
    ///
    /// # Errors
    ///
    /// [`Error::UndefinedObject`] for a missing schema;
    /// [`Error::InvalidDefinition`] when the path names none that exists.
    pub fn creation_namespace(&self, schema: Option<&str>) -> Result<Oid> {
        if let Some(name) = schema {
            return self.schema_oid_required(name);
        }
        for entry in self.settings.search_path() {
            let name = if entry == "$user" {
                self.current_user.clone()
            } else {
                entry
            };
            if let Some(oid) = self.namespace_oid(&name) {
                return Ok(oid);
            }
        }
        Err(Error::InvalidDefinition(
            "no schema has been selected to create in".to_string(),
        ))
    }

    fn namespaces_to_search(&self, schema: Option<&str>) -> Result<Cow<'_, [Oid]>> {
        match schema {
            Some(name) => Ok(Cow::Owned(vec![self.schema_oid_required(name)?])),
            None => Ok(Cow::Borrowed(self.search_path_oids())),
        }
    }

    fn missing(&mut self, if_exists: bool, kind: &'static str, name: &str) -> Result<()> {
        if if_exists {
            self.warn(format!("{kind} \"{name}\" does not exist, skipping"));
            Ok(())
        } else {
            Err(Error::UndefinedObject {
                kind,
                name: name.to_string(),
            })
        }
    }

    // ----- Types -----------------------------------------------------------

    /// User types by oid (array and row types included).
    pub fn user_types(&self) -> impl Iterator<Item = &UserType> {
        self.types.values()
    }

    /// The user type with this oid.
    pub fn user_type(&self, oid: Oid) -> Option<&UserType> {
        self.types.get(&oid)
    }

    /// The `pg_type` row of any type: built-in, from an extension, or user
    /// (derived from its definition).
    pub fn type_info(&self, oid: Oid) -> Option<Cow<'_, TypeInfo>> {
        self.builtin
            .type_info(oid)
            .or_else(|| self.extension_row(ObjectClass::Type, oid, |objs| &objs.types))
            .or_else(|| {
                if !self.types.map.contains_key(&oid) {
                    return None;
                }
                self.types
                    .infos
                    .get_or_init(|| {
                        self.types
                            .map
                            .values()
                            .map(|t| (t.oid, self.user_type_info(t)))
                            .collect()
                    })
                    .get(&oid)
            })
            .map(Cow::Borrowed)
    }

    /// [`Catalog::type_info`] computed afresh, without the materialised
    /// rows of user types (which are built from it).
    fn type_info_uncached(&self, oid: Oid) -> Option<Cow<'_, TypeInfo>> {
        self.builtin
            .type_info(oid)
            .or_else(|| self.extension_row(ObjectClass::Type, oid, |objs| &objs.types))
            .map(Cow::Borrowed)
            .or_else(|| {
                self.types
                    .get(&oid)
                    .map(|t| Cow::Owned(self.user_type_info(t)))
            })
    }

    fn type_in_namespace(&self, ns: Oid, name: &str) -> Option<Oid> {
        self.builtin
            .type_by_name(ns, name)
            .or_else(|| {
                self.find_extension_row(|objs| &objs.types, |t| t.namespace == ns && t.name == name)
            })
            .map(|t| t.oid)
            .or_else(|| {
                self.types
                    .values()
                    .find(|t| t.schema == ns && t.name == name)
                    .map(|t| t.oid)
            })
    }

    /// Resolves a type by its `typname` (`int4`, `_int4`, `mood`), in
    /// `schema` or along the search path. SQL spellings (`integer`,
    /// `character varying`, `int[]`) are the caller's to translate.
    ///
    /// # Errors
    ///
    /// [`Error::UndefinedObject`] ("type") when there is none.
    pub fn resolve_type(&self, schema: Option<&str>, name: &str) -> Result<Oid> {
        for &ns in self.namespaces_to_search(schema)?.iter() {
            if let Some(oid) = self.type_in_namespace(ns, name) {
                return Ok(oid);
            }
        }
        Err(Error::UndefinedObject {
            kind: "type",
            name: qualified(schema, name),
        })
    }

    /// The array type over `elem` (`typarray`), if there is one.
    pub fn array_type_of(&self, elem: Oid) -> Option<Oid> {
        self.type_info(elem)
            .map(|t| t.array)
            .filter(|a| !a.is_invalid())
    }

    fn check_type_name_free(&self, ns: Oid, name: &str) -> Result<()> {
        if self.type_in_namespace(ns, name).is_some() {
            return Err(Error::DuplicateObject {
                kind: "type",
                name: name.to_string(),
            });
        }
        Ok(())
    }

    /// PostgreSQL's `makeArrayTypeName`: `_name`, prefixed with more
    /// underscores while taken, truncated to 63 bytes.
    fn array_type_name(&self, ns: Oid, name: &str) -> String {
        let mut candidate = format!("_{name}");
        while self.type_in_namespace(ns, &candidate).is_some()
            || self
                .relations
                .values()
                .any(|r| r.schema == ns && r.name == candidate)
        {
            candidate.insert(0, '_');
        }
        crate::options::truncate_identifier(&candidate)
    }

    fn insert_array_type(&mut self, oid: Oid, ns: Oid, name: &str, element: Oid) {
        let array_name = self.array_type_name(ns, name);
        self.types.insert(
            oid,
            UserType {
                oid,
                name: array_name,
                schema: ns,
                array_type: Oid::INVALID,
                kind: UserTypeKind::Array { element },
            },
        );
    }

    /// `CREATE TYPE name AS ENUM (labels)`. Oids: array type, enum type,
    /// then one even oid per label, as PostgreSQL assigns them.
    ///
    /// # Errors
    ///
    /// [`Error::DuplicateObject`] when the name is taken;
    /// [`Error::InvalidDefinition`] for a repeated label.
    pub fn create_enum_type(
        &mut self,
        schema: Option<&str>,
        name: &str,
        labels: &[&str],
    ) -> Result<Oid> {
        self.forget_lookups();
        let ns = self.creation_namespace(schema)?;
        self.check_type_name_free(ns, name)?;
        let mut seen = BTreeSet::new();
        for label in labels {
            if !seen.insert(*label) {
                return Err(Error::InvalidDefinition(format!(
                    "enum label \"{label}\" used more than once"
                )));
            }
        }
        let array = self.alloc();
        let oid = self.alloc();
        let mut enum_labels = Vec::new();
        for label in labels {
            let mut label_oid = self.alloc();
            while label_oid.0 % 2 == 1 {
                label_oid = self.alloc();
            }
            enum_labels.push(EnumLabel {
                oid: label_oid,
                label: (*label).to_string(),
            });
        }
        self.types.insert(
            oid,
            UserType {
                oid,
                name: name.to_string(),
                schema: ns,
                array_type: array,
                kind: UserTypeKind::Enum {
                    labels: enum_labels,
                },
            },
        );
        self.insert_array_type(array, ns, name, oid);
        Ok(oid)
    }

    /// `CREATE DOMAIN`. Oids: array type, domain, then its CHECK constraints.
    ///
    /// # Errors
    ///
    /// [`Error::DuplicateObject`] when the name is taken;
    /// [`Error::UndefinedObject`] for an unknown base type.
    pub fn create_domain(&mut self, def: &DomainDef) -> Result<Oid> {
        self.forget_lookups();
        let ns = self.creation_namespace(def.schema.as_deref())?;
        self.check_type_name_free(ns, &def.name)?;
        let base = self
            .type_info(def.base_type)
            .ok_or_else(|| Error::UndefinedObject {
                kind: "type",
                name: def.base_type.to_string(),
            })?;
        let collation = def.collation.unwrap_or(base.collation);
        let array = self.alloc();
        let oid = self.alloc();
        let checks = self.make_checks(&def.name, &def.checks);
        self.types.insert(
            oid,
            UserType {
                oid,
                name: def.name.clone(),
                schema: ns,
                array_type: array,
                kind: UserTypeKind::Domain {
                    base_type: def.base_type,
                    typmod: def.typmod,
                    collation,
                    not_null: def.not_null,
                    default: def.default.clone(),
                    checks,
                },
            },
        );
        self.insert_array_type(array, ns, &def.name, oid);
        Ok(oid)
    }

    fn make_checks(&mut self, owner: &str, checks: &[(Option<String>, String)]) -> Vec<Constraint> {
        let mut out: Vec<Constraint> = Vec::new();
        for (name, expr) in checks {
            let base = name.clone().unwrap_or_else(|| format!("{owner}_check"));
            let mut candidate = base.clone();
            let mut n = 0;
            while out.iter().any(|c| c.name == candidate) {
                n += 1;
                candidate = format!("{base}{n}");
            }
            let oid = self.alloc();
            out.push(Constraint {
                oid,
                name: candidate,
                expr: expr.clone(),
            });
        }
        out
    }

    /// `CREATE TYPE name AS (columns)`: a composite type with its own
    /// `pg_class` row. Oids: relation, array type, row type. Returns the
    /// row type's oid.
    ///
    /// # Errors
    ///
    /// [`Error::DuplicateObject`] when the name is taken.
    pub fn create_composite_type(
        &mut self,
        schema: Option<&str>,
        name: &str,
        columns: Vec<ColumnDef>,
    ) -> Result<Oid> {
        self.forget_lookups();
        let mut def = RelationDef::new(RelationKind::CompositeType, name, columns);
        def.schema = schema.map(str::to_string);
        let rel = self.insert_relation(&def)?;
        self.relations
            .get(&rel)
            .map(|r| r.row_type)
            .ok_or_else(|| Error::UndefinedObject {
                kind: "type",
                name: name.to_string(),
            })
    }

    /// `DROP TYPE [IF EXISTS] name [CASCADE]` (also `DROP DOMAIN`). Array
    /// types go with their element type.
    ///
    /// # Errors
    ///
    /// [`Error::UndefinedObject`] when missing; [`Error::InvalidDefinition`]
    /// for a built-in, extension-owned or row type, or one still used by a
    /// column without CASCADE.
    pub fn drop_type(
        &mut self,
        schema: Option<&str>,
        name: &str,
        if_exists: bool,
        cascade: bool,
    ) -> Result<()> {
        self.forget_lookups();
        let oid = match self.resolve_type(schema, name) {
            Ok(oid) => oid,
            Err(_) => return self.missing(if_exists, "type", &qualified(schema, name)),
        };
        let Some(ty) = self.types.get(&oid) else {
            if let Some(ext) = self.extension_of(ObjectClass::Type, oid) {
                let ext_name = self
                    .extensions
                    .get(&ext)
                    .map(|e| e.name.clone())
                    .unwrap_or_default();
                return Err(Error::InvalidDefinition(format!(
                    "cannot drop type {name} because extension {ext_name} requires it"
                )));
            }
            return Err(Error::InvalidDefinition(format!(
                "cannot drop type {name} because it is required by the database system"
            )));
        };
        if let UserTypeKind::Composite { relation } = ty.kind {
            let rel_kind = self.relations.get(&relation).map(|r| r.kind);
            if rel_kind != Some(RelationKind::CompositeType) {
                return Err(Error::InvalidDefinition(format!(
                    "cannot drop type {name} because {} {name} requires it",
                    rel_kind.map_or("table", RelationKind::noun)
                )));
            }
            self.drop_relation_oid(relation, cascade)?;
            return Ok(());
        }
        let array = ty.array_type;
        let users: Vec<Oid> = self
            .relations
            .values()
            .filter(|r| {
                r.live_columns()
                    .any(|c| c.type_oid == oid || (c.type_oid == array && !array.is_invalid()))
            })
            .map(|r| r.oid)
            .collect();
        if !users.is_empty() {
            if !cascade {
                return Err(depends_error("type", name));
            }
            // CASCADE drops the columns, as PostgreSQL does.
            for rel in users {
                if let Some(r) = self.relations.get_mut(&rel) {
                    for c in r.columns.iter_mut() {
                        if !c.dropped && (c.type_oid == oid || c.type_oid == array) {
                            mark_dropped(c);
                        }
                    }
                }
            }
        }
        self.remove_type(oid);
        Ok(())
    }

    fn remove_type(&mut self, oid: Oid) {
        if let Some(t) = self.types.remove(&oid) {
            if !t.array_type.is_invalid() {
                self.types.remove(&t.array_type);
            }
        }
    }

    fn user_type_info(&self, t: &UserType) -> TypeInfo {
        let mut info = TypeInfo {
            oid: t.oid,
            name: t.name.clone(),
            namespace: t.schema,
            len: -1,
            by_value: false,
            kind: TypeKind::Base,
            category: 'U',
            is_preferred: false,
            elem: Oid::INVALID,
            array: t.array_type,
            relid: Oid::INVALID,
            subscript: Oid::INVALID,
            storage: TypeStorage::Extended,
            collation: Oid::INVALID,
            base_type: Oid::INVALID,
            typmod: -1,
            not_null: false,
            input: Oid::INVALID,
            output: Oid::INVALID,
            modin: Oid::INVALID,
            modout: Oid::INVALID,
            delim: ',',
        };
        match &t.kind {
            UserTypeKind::Enum { .. } => {
                info.len = 4;
                info.by_value = true;
                info.kind = TypeKind::Enum;
                info.category = 'E';
                info.storage = TypeStorage::Plain;
                info.input = ENUM_IN;
                info.output = ENUM_OUT;
            }
            UserTypeKind::Composite { relation } => {
                info.kind = TypeKind::Composite;
                info.category = 'C';
                info.relid = *relation;
                info.input = RECORD_IN;
                info.output = RECORD_OUT;
            }
            UserTypeKind::Domain {
                base_type,
                typmod,
                collation,
                not_null,
                ..
            } => {
                info.kind = TypeKind::Domain;
                info.base_type = *base_type;
                info.typmod = *typmod;
                info.collation = *collation;
                info.not_null = *not_null;
                info.input = DOMAIN_IN;
                if let Some(base) = self.type_info_uncached(*base_type) {
                    info.len = base.len;
                    info.by_value = base.by_value;
                    info.category = base.category;
                    info.storage = base.storage;
                    info.output = base.output;
                    info.delim = base.delim;
                }
            }
            UserTypeKind::Array { element } => {
                info.category = 'A';
                info.elem = *element;
                info.subscript = builtin::ARRAY_SUBSCRIPT_HANDLER;
                info.input = ARRAY_IN;
                info.output = ARRAY_OUT;
                if let Some(elem) = self.type_info_uncached(*element) {
                    info.collation = elem.collation;
                }
            }
        }
        info
    }

    /// The default collation of a type (`typcollation`): the database
    /// default for collatable types, invalid otherwise.
    pub fn type_collation(&self, type_oid: Oid) -> Oid {
        self.type_info(type_oid)
            .map_or(Oid::INVALID, |t| t.collation)
    }

    // ----- Relations -------------------------------------------------------

    /// User relations by oid.
    pub fn relations(&self) -> impl Iterator<Item = &Relation> {
        self.relations.values()
    }

    /// The relation with this oid.
    pub fn relation(&self, oid: Oid) -> Option<&Relation> {
        self.relations.get(&oid)
    }

    fn relation_in_namespace(&self, ns: Oid, name: &str) -> Option<&Relation> {
        self.relations
            .values()
            .find(|r| r.schema == ns && r.name == name)
    }

    /// Resolves a relation by (optional schema, name) along the search path.
    ///
    /// # Errors
    ///
    /// [`Error::UndefinedObject`] ("relation") when there is none.
    pub fn resolve_relation(&self, schema: Option<&str>, name: &str) -> Result<&Relation> {
        for &ns in self.namespaces_to_search(schema)?.iter() {
            if let Some(r) = self.relation_in_namespace(ns, name) {
                return Ok(r);
            }
        }
        Err(Error::UndefinedObject {
            kind: "relation",
            name: qualified(schema, name),
        })
    }

    /// `CREATE TABLE`, `CREATE VIEW` (columns only), `CREATE FOREIGN
    /// TABLE`, with `PARTITION OF` / `INHERITS`. Oids: relation, array
    /// type, row type, one per DEFAULT or generated expression, one per
    /// CHECK constraint, then (views) the rewrite rule, or (plain tables
    /// with a column that can be toasted) the toast table and its index.
    /// Foreign-table options are validated as postgres_fdw does when the
    /// server's wrapper uses its validator.
    ///
    /// # Errors
    ///
    /// [`Error::DuplicateObject`] ("relation") when the name is taken;
    /// [`Error::UndefinedObject`] for a missing schema, server, parent or
    /// column type; option errors as in [`crate::options::validate_options`].
    pub fn create_relation(&mut self, def: &RelationDef) -> Result<Oid> {
        self.forget_lookups();
        if def.kind == RelationKind::CompositeType {
            return self.insert_relation(def).and_then(|_| {
                self.resolve_relation(def.schema.as_deref(), &def.name)
                    .map(|r| r.oid)
            });
        }
        self.insert_relation(def)
    }

    fn insert_relation(&mut self, def: &RelationDef) -> Result<Oid> {
        let ns = self.creation_namespace(def.schema.as_deref())?;
        if let Some(existing) = self.relation_in_namespace(ns, &def.name) {
            if def.if_not_exists {
                let oid = existing.oid;
                self.warn(format!(
                    "relation \"{}\" already exists, skipping",
                    def.name
                ));
                return Ok(oid);
            }
            return Err(Error::DuplicateObject {
                kind: "relation",
                name: def.name.clone(),
            });
        }
        self.check_type_name_free(ns, &def.name)?;
        // Parents.
        let mut parents = Vec::new();
        for (schema, name) in &def.parents {
            let parent = self.resolve_relation(schema.as_deref(), name)?;
            if def.partition_bound.is_some() && parent.kind != RelationKind::PartitionedTable {
                return Err(Error::InvalidDefinition(format!(
                    "\"{}\" is not partitioned",
                    parent.name
                )));
            }
            parents.push(parent.oid);
        }
        // Columns: inherited ones first, then the declared ones.
        let mut column_defs: Vec<ColumnDef> = Vec::new();
        for parent in &parents {
            if let Some(p) = self.relations.get(parent) {
                for c in p.live_columns() {
                    if !column_defs.iter().any(|d| d.name == c.name) {
                        column_defs.push(ColumnDef {
                            name: c.name.clone(),
                            type_oid: c.type_oid,
                            typmod: c.typmod,
                            collation: Some(c.collation),
                            not_null: c.not_null,
                            default: c.default.clone(),
                            generated: c.generated.clone(),
                            options: Vec::new(),
                        });
                    }
                }
            }
        }
        for c in &def.columns {
            if let Some(existing) = column_defs.iter_mut().find(|d| d.name == c.name) {
                if def.parents.is_empty() {
                    return Err(Error::InvalidDefinition(format!(
                        "column \"{}\" specified more than once",
                        c.name
                    )));
                }
                // A partition's or child's redefinition merges into the inherited column.
                existing.not_null |= c.not_null;
                if c.default.is_some() {
                    existing.default = c.default.clone();
                }
                existing.options = c.options.clone();
            } else {
                column_defs.push(c.clone());
            }
        }
        for c in &column_defs {
            if self.type_info(c.type_oid).is_none() {
                return Err(Error::UndefinedObject {
                    kind: "type",
                    name: c.type_oid.to_string(),
                });
            }
        }
        // Foreign part.
        let foreign = if def.kind == RelationKind::ForeignTable {
            let server_name = def.server.as_deref().ok_or_else(|| {
                Error::InvalidDefinition(format!("foreign table \"{}\" needs a server", def.name))
            })?;
            let server = self
                .server_by_name(server_name)
                .ok_or_else(|| Error::UndefinedObject {
                    kind: "server",
                    name: server_name.to_string(),
                })?
                .oid;
            let changes: Vec<OptionChange> = def
                .options
                .iter()
                .map(|(k, v)| OptionChange::add(k, v))
                .collect();
            let options = apply_option_changes(&OptionList::new(), &changes)?;
            self.validate_for_server(server, &options, OptionContext::ForeignTable)?;
            for c in &column_defs {
                let changes: Vec<OptionChange> = c
                    .options
                    .iter()
                    .map(|(k, v)| OptionChange::add(k, v))
                    .collect();
                let col_options = apply_option_changes(&OptionList::new(), &changes)?;
                self.validate_for_server(server, &col_options, OptionContext::Column)?;
            }
            Some(ForeignTablePart { server, options })
        } else {
            if !def.options.is_empty() || def.server.is_some() {
                return Err(Error::InvalidDefinition(format!(
                    "\"{}\" is not a foreign table",
                    def.name
                )));
            }
            None
        };
        // Oids, in PostgreSQL's order.
        let oid = self.alloc();
        let array = self.alloc();
        let row_type = self.alloc();
        let mut columns = Vec::new();
        for (i, c) in column_defs.iter().enumerate() {
            let attnum = i16::try_from(i + 1).map_err(|_| {
                Error::InvalidDefinition("tables can have at most 1600 columns".to_string())
            })?;
            let collation = c
                .collation
                .unwrap_or_else(|| self.type_collation(c.type_oid));
            let options = if foreign.is_some() {
                let changes: Vec<OptionChange> = c
                    .options
                    .iter()
                    .map(|(k, v)| OptionChange::add(k, v))
                    .collect();
                apply_option_changes(&OptionList::new(), &changes)?
            } else {
                OptionList::new()
            };
            columns.push(Column {
                attnum,
                name: c.name.clone(),
                type_oid: c.type_oid,
                typmod: c.typmod,
                collation,
                not_null: c.not_null,
                default: c.default.clone(),
                generated: c.generated.clone(),
                dropped: false,
                options,
            });
        }
        for c in &columns {
            if c.default.is_some() || c.generated.is_some() {
                self.alloc();
            }
        }
        let checks = self.make_checks(&def.name, &def.checks);
        match def.kind {
            RelationKind::View => {
                self.alloc();
            }
            RelationKind::Table => {
                if columns.iter().any(|c| self.is_toastable(c.type_oid)) {
                    self.alloc();
                    self.alloc();
                }
            }
            RelationKind::PartitionedTable
            | RelationKind::ForeignTable
            | RelationKind::CompositeType => {}
        }
        self.relations.insert(
            oid,
            Relation {
                oid,
                name: def.name.clone(),
                schema: ns,
                kind: def.kind,
                columns,
                row_type,
                array_type: array,
                parents,
                partition_bound: def.partition_bound.clone(),
                partition_key: def.partition_key.clone(),
                checks,
                foreign,
                view: None,
            },
        );
        self.types.insert(
            row_type,
            UserType {
                oid: row_type,
                name: def.name.clone(),
                schema: ns,
                array_type: array,
                kind: UserTypeKind::Composite { relation: oid },
            },
        );
        self.insert_array_type(array, ns, &def.name, row_type);
        Ok(oid)
    }

    /// `CREATE [OR REPLACE] VIEW`: a relation of kind
    /// [`RelationKind::View`] named as `def` says (its `columns` are
    /// usually empty: the catalog cannot analyze the query) carrying
    /// `view`. With `or_replace`, an existing view of that name keeps its
    /// oid and takes the new definition (PostgreSQL's check that the new
    /// query's columns extend the old ones needs the query analysed and is
    /// not made here).
    ///
    /// # Errors
    ///
    /// [`Error::DuplicateObject`] when the name is taken (without
    /// `or_replace`), [`Error::InvalidDefinition`] when `or_replace`
    /// names a relation that is not a view; as [`Catalog::create_relation`].
    pub fn create_view(
        &mut self,
        def: &RelationDef,
        view: ViewDef,
        or_replace: bool,
    ) -> Result<Oid> {
        self.forget_lookups();
        if or_replace {
            let existing = self
                .resolve_relation(def.schema.as_deref(), &def.name)
                .ok()
                .map(|r| (r.oid, r.kind));
            if let Some((oid, kind)) = existing {
                if kind != RelationKind::View {
                    return Err(Error::InvalidDefinition(format!(
                        "\"{}\" is not a view",
                        def.name
                    )));
                }
                if let Some(rel) = self.relations.get_mut(&oid) {
                    rel.view = Some(view);
                }
                return Ok(oid);
            }
        }
        let mut def = def.clone();
        def.kind = RelationKind::View;
        let oid = self.insert_relation(&def)?;
        if let Some(rel) = self.relations.get_mut(&oid) {
            rel.view = Some(view);
        }
        Ok(oid)
    }

    fn is_toastable(&self, type_oid: Oid) -> bool {
        self.type_info(type_oid)
            .is_some_and(|t| t.len == -1 && t.storage != TypeStorage::Plain)
    }

    /// `DROP TABLE | VIEW | FOREIGN TABLE [IF EXISTS] name [CASCADE]`;
    /// `kind` is the statement's (a partitioned table counts as a table).
    ///
    /// # Errors
    ///
    /// [`Error::UndefinedObject`] naming the statement's kind when missing;
    /// [`Error::InvalidDefinition`] when the relation is of another kind,
    /// or has partitions or children without CASCADE.
    pub fn drop_relation(
        &mut self,
        kind: RelationKind,
        schema: Option<&str>,
        name: &str,
        if_exists: bool,
        cascade: bool,
    ) -> Result<()> {
        self.forget_lookups();
        let found = self
            .resolve_relation(schema, name)
            .map(|r| (r.oid, r.kind))
            .ok();
        let Some((oid, actual)) = found else {
            return self.missing(if_exists, kind.noun(), &qualified(schema, name));
        };
        if actual.noun() != kind.noun() {
            return Err(Error::InvalidDefinition(format!(
                "\"{name}\" is not a {}",
                kind.noun()
            )));
        }
        self.drop_relation_oid(oid, cascade)
    }

    fn drop_relation_oid(&mut self, oid: Oid, cascade: bool) -> Result<()> {
        let children: Vec<Oid> = self
            .relations
            .values()
            .filter(|r| r.parents.contains(&oid))
            .map(|r| r.oid)
            .collect();
        let is_partitioned = self
            .relations
            .get(&oid)
            .is_some_and(|r| r.kind == RelationKind::PartitionedTable);
        if !children.is_empty() && !cascade && !is_partitioned {
            let name = self
                .relations
                .get(&oid)
                .map(|r| r.name.clone())
                .unwrap_or_default();
            return Err(depends_error("table", &name));
        }
        for child in children {
            // Partitions always go with their parent; children only by CASCADE.
            self.drop_relation_oid(child, cascade)?;
        }
        self.remove_relation(oid);
        Ok(())
    }

    fn remove_relation(&mut self, oid: Oid) {
        if let Some(r) = self.relations.remove(&oid) {
            self.types.remove(&r.row_type);
            self.types.remove(&r.array_type);
            self.stats.remove(&oid);
        }
    }

    fn relation_mut(&mut self, schema: Option<&str>, name: &str) -> Result<&mut Relation> {
        let oid = self.resolve_relation(schema, name)?.oid;
        self.relations
            .get_mut(&oid)
            .ok_or_else(|| Error::UndefinedObject {
                kind: "relation",
                name: qualified(schema, name),
            })
    }

    /// `ALTER TABLE ... RENAME TO new_name` (any relation kind).
    ///
    /// # Errors
    ///
    /// [`Error::UndefinedObject`] when missing; [`Error::DuplicateObject`]
    /// when the new name is taken.
    pub fn rename_relation(
        &mut self,
        schema: Option<&str>,
        name: &str,
        new_name: &str,
    ) -> Result<()> {
        self.forget_lookups();
        let (oid, ns, row_type, array_type) = {
            let r = self.resolve_relation(schema, name)?;
            (r.oid, r.schema, r.row_type, r.array_type)
        };
        if self.relation_in_namespace(ns, new_name).is_some() {
            return Err(Error::DuplicateObject {
                kind: "relation",
                name: new_name.to_string(),
            });
        }
        if let Some(r) = self.relations.get_mut(&oid) {
            r.name = new_name.to_string();
        }
        if let Some(t) = self.types.get_mut(&row_type) {
            t.name = new_name.to_string();
        }
        // PostgreSQL renames the row type's array type with it (`_t` becomes
        // `_new`), picking a free name the way it did at creation.
        if self.types.contains_key(&array_type) {
            let array_name = self.array_type_name(ns, new_name);
            if let Some(t) = self.types.get_mut(&array_type) {
                t.name = array_name;
            }
        }
        Ok(())
    }

    /// `ALTER [FOREIGN] TABLE ... ADD COLUMN`.
    ///
    /// # Errors
    ///
    /// [`Error::UndefinedObject`] for a missing relation or type;
    /// [`Error::DuplicateObject`] ("column") when the name is taken;
    /// option errors for a foreign table's column options.
    pub fn add_column(
        &mut self,
        schema: Option<&str>,
        table: &str,
        column: &ColumnDef,
    ) -> Result<AttrNumber> {
        self.forget_lookups();
        let (oid, server) = {
            let r = self.resolve_relation(schema, table)?;
            (r.oid, r.foreign.as_ref().map(|f| f.server))
        };
        if self.type_info(column.type_oid).is_none() {
            return Err(Error::UndefinedObject {
                kind: "type",
                name: column.type_oid.to_string(),
            });
        }
        let changes: Vec<OptionChange> = column
            .options
            .iter()
            .map(|(k, v)| OptionChange::add(k, v))
            .collect();
        let options = apply_option_changes(&OptionList::new(), &changes)?;
        if let Some(server) = server {
            self.validate_for_server(server, &options, OptionContext::Column)?;
        } else if !options.is_empty() {
            return Err(Error::InvalidDefinition(format!(
                "\"{table}\" is not a foreign table"
            )));
        }
        let collation = column
            .collation
            .unwrap_or_else(|| self.type_collation(column.type_oid));
        if column.default.is_some() || column.generated.is_some() {
            self.alloc();
        }
        let rel = self
            .relations
            .get_mut(&oid)
            .ok_or_else(|| Error::UndefinedObject {
                kind: "relation",
                name: table.to_string(),
            })?;
        if rel.column(&column.name).is_some() {
            return Err(Error::InvalidDefinition(format!(
                "column \"{}\" of relation \"{table}\" already exists",
                column.name
            )));
        }
        let attnum = i16::try_from(rel.columns.len() + 1).map_err(|_| {
            Error::InvalidDefinition("tables can have at most 1600 columns".to_string())
        })?;
        rel.columns.push(Column {
            attnum,
            name: column.name.clone(),
            type_oid: column.type_oid,
            typmod: column.typmod,
            collation,
            not_null: column.not_null,
            default: column.default.clone(),
            generated: column.generated.clone(),
            dropped: false,
            options,
        });
        Ok(AttrNumber(attnum))
    }

    /// `ALTER [FOREIGN] TABLE ... DROP COLUMN [IF EXISTS]`: the column stays
    /// as a dropped attribute, as in PostgreSQL.
    ///
    /// # Errors
    ///
    /// [`Error::UndefinedObject`] for a missing relation;
    /// [`Error::InvalidDefinition`] for a missing column (without IF EXISTS).
    pub fn drop_column(
        &mut self,
        schema: Option<&str>,
        table: &str,
        column: &str,
        if_exists: bool,
    ) -> Result<()> {
        self.forget_lookups();
        let rel = self.relation_mut(schema, table)?;
        match rel
            .columns
            .iter_mut()
            .find(|c| !c.dropped && c.name == column)
        {
            Some(c) => {
                mark_dropped(c);
                Ok(())
            }
            None if if_exists => {
                self.warn(format!(
                    "column \"{column}\" of relation \"{table}\" does not exist, skipping"
                ));
                Ok(())
            }
            None => Err(Error::InvalidDefinition(format!(
                "column \"{column}\" of relation \"{table}\" does not exist"
            ))),
        }
    }

    /// `ALTER TABLE ... RENAME COLUMN`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidDefinition`] for a missing column or a taken name.
    pub fn rename_column(
        &mut self,
        schema: Option<&str>,
        table: &str,
        column: &str,
        new_name: &str,
    ) -> Result<()> {
        self.forget_lookups();
        let rel = self.relation_mut(schema, table)?;
        if rel.column(new_name).is_some() {
            return Err(Error::InvalidDefinition(format!(
                "column \"{new_name}\" of relation \"{table}\" already exists"
            )));
        }
        let c = rel
            .columns
            .iter_mut()
            .find(|c| !c.dropped && c.name == column)
            .ok_or_else(|| {
                Error::InvalidDefinition(format!(
                    "column \"{column}\" of relation \"{table}\" does not exist"
                ))
            })?;
        c.name = new_name.to_string();
        Ok(())
    }

    /// `ALTER [FOREIGN] TABLE ... ALTER COLUMN ... {TYPE | SET/DROP NOT
    /// NULL | SET/DROP DEFAULT}`: `change` edits the live column (the DDL
    /// loader resolves types and collations before calling).
    ///
    /// # Errors
    ///
    /// [`Error::UndefinedObject`] for a missing relation;
    /// [`Error::InvalidDefinition`] for a missing column.
    pub fn alter_column(
        &mut self,
        schema: Option<&str>,
        table: &str,
        column: &str,
        change: impl FnOnce(&mut Column),
    ) -> Result<()> {
        self.forget_lookups();
        let rel = self.relation_mut(schema, table)?;
        match rel
            .columns
            .iter_mut()
            .find(|c| !c.dropped && c.name == column)
        {
            Some(c) => {
                change(c);
                Ok(())
            }
            None => Err(Error::InvalidDefinition(format!(
                "column \"{column}\" of relation \"{table}\" does not exist"
            ))),
        }
    }

    /// `ALTER TABLE parent ATTACH PARTITION partition bound`: `bound` as
    /// written (`FOR VALUES ...` or `DEFAULT`).
    ///
    /// # Errors
    ///
    /// [`Error::UndefinedObject`] for a missing relation;
    /// [`Error::InvalidDefinition`] when the parent is not partitioned or
    /// the partition already has a parent.
    pub fn attach_partition(
        &mut self,
        schema: Option<&str>,
        parent: &str,
        partition_schema: Option<&str>,
        partition: &str,
        bound: &str,
    ) -> Result<()> {
        self.forget_lookups();
        let (parent_oid, parent_kind) = {
            let r = self.resolve_relation(schema, parent)?;
            (r.oid, r.kind)
        };
        if parent_kind != RelationKind::PartitionedTable {
            return Err(Error::InvalidDefinition(format!(
                "table \"{parent}\" is not partitioned"
            )));
        }
        let rel = self.relation_mut(partition_schema, partition)?;
        if !rel.parents.is_empty() {
            return Err(Error::InvalidDefinition(format!(
                "\"{partition}\" is already a partition"
            )));
        }
        rel.parents = vec![parent_oid];
        rel.partition_bound = Some(bound.to_string());
        Ok(())
    }

    /// `ALTER TABLE parent DETACH PARTITION partition`.
    ///
    /// # Errors
    ///
    /// [`Error::UndefinedObject`] for a missing relation;
    /// [`Error::InvalidDefinition`] when it is not a partition of `parent`.
    pub fn detach_partition(
        &mut self,
        schema: Option<&str>,
        parent: &str,
        partition_schema: Option<&str>,
        partition: &str,
    ) -> Result<()> {
        self.forget_lookups();
        let parent_oid = self.resolve_relation(schema, parent)?.oid;
        let rel = self.relation_mut(partition_schema, partition)?;
        if rel.parents != [parent_oid] || rel.partition_bound.is_none() {
            return Err(Error::InvalidDefinition(format!(
                "relation \"{partition}\" is not a partition of relation \"{parent}\""
            )));
        }
        rel.parents.clear();
        rel.partition_bound = None;
        Ok(())
    }

    /// `ALTER FOREIGN TABLE ... OPTIONS (ADD | SET | DROP ...)`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidDefinition`] when the relation is not a foreign
    /// table; option errors as in [`crate::options`].
    pub fn alter_foreign_table_options(
        &mut self,
        schema: Option<&str>,
        table: &str,
        changes: &[OptionChange],
    ) -> Result<()> {
        self.forget_lookups();
        let (oid, part) = {
            let r = self.resolve_relation(schema, table)?;
            (r.oid, r.foreign.clone())
        };
        let part = part.ok_or_else(|| {
            Error::InvalidDefinition(format!("\"{table}\" is not a foreign table"))
        })?;
        let options = apply_option_changes(&part.options, changes)?;
        self.validate_for_server(part.server, &options, OptionContext::ForeignTable)?;
        if let Some(f) = self
            .relations
            .get_mut(&oid)
            .and_then(|r| r.foreign.as_mut())
        {
            f.options = options;
        }
        Ok(())
    }

    /// `ALTER FOREIGN TABLE ... ALTER COLUMN c OPTIONS (...)`.
    ///
    /// # Errors
    ///
    /// As [`alter_foreign_table_options`](Self::alter_foreign_table_options),
    /// plus a missing column.
    pub fn alter_column_options(
        &mut self,
        schema: Option<&str>,
        table: &str,
        column: &str,
        changes: &[OptionChange],
    ) -> Result<()> {
        self.forget_lookups();
        let (oid, server, current) = {
            let r = self.resolve_relation(schema, table)?;
            let server = r.foreign.as_ref().map(|f| f.server).ok_or_else(|| {
                Error::InvalidDefinition(format!("\"{table}\" is not a foreign table"))
            })?;
            let col = r.column(column).ok_or_else(|| {
                Error::InvalidDefinition(format!(
                    "column \"{column}\" of relation \"{table}\" does not exist"
                ))
            })?;
            (r.oid, server, col.options.clone())
        };
        let options = apply_option_changes(&current, changes)?;
        self.validate_for_server(server, &options, OptionContext::Column)?;
        if let Some(c) = self.relations.get_mut(&oid).and_then(|r| {
            r.columns
                .iter_mut()
                .find(|c| !c.dropped && c.name == column)
        }) {
            c.options = options;
        }
        Ok(())
    }

    // ----- Functions, aggregates, operators ------------------------------

    /// User functions (aggregates included) by oid.
    pub fn functions(&self) -> impl Iterator<Item = &Function> {
        self.functions.values()
    }

    /// The user function with this oid.
    pub fn function(&self, oid: Oid) -> Option<&Function> {
        self.functions.get(&oid)
    }

    /// User aggregates by oid.
    pub fn aggregates(&self) -> impl Iterator<Item = &Aggregate> {
        self.aggregates.values()
    }

    /// The user aggregate whose `pg_proc` oid is `oid`.
    pub fn aggregate(&self, oid: Oid) -> Option<&Aggregate> {
        self.aggregates.get(&oid)
    }

    /// User operators by oid.
    pub fn operators(&self) -> impl Iterator<Item = &Operator> {
        self.operators.values()
    }

    /// The user operator with this oid.
    pub fn user_operator(&self, oid: Oid) -> Option<&Operator> {
        self.operators.get(&oid)
    }

    /// The `pg_proc` row of any function: built-in, extension or user.
    #[inline]
    pub fn proc_info(&self, oid: Oid) -> Option<Cow<'_, ProcInfo>> {
        // Built-in functions (nearly every one a query calls) are found in
        // place; the extensions' and users' look-ups stay out of line.
        match self.builtin.proc(oid) {
            Some(proc) => Some(Cow::Borrowed(proc)),
            None => self.non_builtin_proc_info(oid),
        }
    }

    /// [`Self::proc_info`] of a function that is not built in.
    #[inline(never)]
    fn non_builtin_proc_info(&self, oid: Oid) -> Option<Cow<'_, ProcInfo>> {
        self.extension_row(ObjectClass::Proc, oid, |objs| &objs.procs)
            .map(Cow::Borrowed)
            .or_else(|| {
                self.functions
                    .get(&oid)
                    .map(|f| Cow::Owned(user_proc_info(f)))
            })
    }

    /// The `pg_operator` row of any operator: built-in, extension or user.
    #[inline]
    pub fn operator_info(&self, oid: Oid) -> Option<Cow<'_, OperatorInfo>> {
        // As `proc_info`: built-in operators in place.
        match self.builtin.operator(oid) {
            Some(op) => Some(Cow::Borrowed(op)),
            None => self.non_builtin_operator_info(oid),
        }
    }

    /// [`Self::operator_info`] of an operator that is not built in.
    #[inline(never)]
    fn non_builtin_operator_info(&self, oid: Oid) -> Option<Cow<'_, OperatorInfo>> {
        self.extension_row(ObjectClass::Operator, oid, |objs| &objs.operators)
            .map(Cow::Borrowed)
            .or_else(|| {
                self.operators
                    .get(&oid)
                    .map(|o| Cow::Owned(user_operator_info(o)))
            })
    }

    fn function_in_namespace(&self, ns: Oid, name: &str, arg_types: &[Oid]) -> Option<Oid> {
        self.builtin
            .proc_by_signature(ns, name, arg_types)
            .or_else(|| {
                self.find_extension_row(
                    |objs| &objs.procs,
                    |p| p.namespace == ns && p.name == name && p.arg_types == arg_types,
                )
            })
            .map(|p| p.oid)
            .or_else(|| {
                self.functions
                    .values()
                    .find(|f| f.schema == ns && f.name == name && f.input_types() == arg_types)
                    .map(|f| f.oid)
            })
    }

    /// Resolves a function (or aggregate, procedure) by name and exact
    /// input argument types, in `schema` or along the search path. Overload
    /// resolution with implicit casts is the SQL front end's business.
    ///
    /// # Errors
    ///
    /// [`Error::UndefinedObject`] ("function") when there is none.
    pub fn resolve_function(
        &self,
        schema: Option<&str>,
        name: &str,
        arg_types: &[Oid],
    ) -> Result<Oid> {
        for &ns in self.namespaces_to_search(schema)?.iter() {
            if let Some(oid) = self.function_in_namespace(ns, name, arg_types) {
                return Ok(oid);
            }
        }
        Err(Error::InvalidDefinition(format!(
            "function {}({}) does not exist",
            qualified_bare(schema, name),
            self.format_types(arg_types)
        )))
    }

    /// `CREATE [OR REPLACE] FUNCTION | PROCEDURE`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidDefinition`] with PostgreSQL's text when a function
    /// with the same argument types exists (without OR REPLACE), or the
    /// replacement changes the return type or kind.
    pub fn create_function(&mut self, def: &FunctionDef) -> Result<Oid> {
        self.forget_lookups();
        let ns = self.creation_namespace(def.schema.as_deref())?;
        let inputs: Vec<Oid> = def
            .args
            .iter()
            .filter(|a| a.mode.is_input())
            .map(|a| a.type_oid)
            .collect();
        for a in &def.args {
            if self.type_info(a.type_oid).is_none() {
                return Err(Error::UndefinedObject {
                    kind: "type",
                    name: a.type_oid.to_string(),
                });
            }
        }
        let cost = def
            .cost
            .unwrap_or(if matches!(def.language.as_str(), "c" | "internal") {
                1.0
            } else {
                100.0
            });
        let rows = def
            .rows
            .unwrap_or(if def.returns_set { 1000.0 } else { 0.0 });
        if let Some(existing) = self.function_in_namespace(ns, &def.name, &inputs) {
            if !def.or_replace || !self.functions.contains_key(&existing) {
                return Err(Error::InvalidDefinition(format!(
                    "function \"{}\" already exists with same argument types",
                    def.name
                )));
            }
            if let Some(f) = self.functions.get_mut(&existing) {
                if f.return_type != def.return_type || f.returns_set != def.returns_set {
                    return Err(Error::InvalidDefinition(
                        "cannot change return type of existing function".to_string(),
                    ));
                }
                f.args = def.args.clone();
                f.volatility = def.volatility;
                f.strict = def.strict;
                f.language = def.language.clone();
                f.cost = cost;
                f.rows = rows;
                f.body = def.body.clone();
                f.security_definer = def.security_definer;
                f.config = def.config.clone();
            }
            return Ok(existing);
        }
        let oid = self.alloc();
        self.functions.insert(
            oid,
            Function {
                oid,
                name: def.name.clone(),
                schema: ns,
                kind: def.kind,
                args: def.args.clone(),
                return_type: def.return_type,
                returns_set: def.returns_set,
                volatility: def.volatility,
                strict: def.strict,
                language: def.language.clone(),
                cost,
                rows,
                body: def.body.clone(),
                security_definer: def.security_definer,
                config: def.config.clone(),
            },
        );
        Ok(oid)
    }

    /// `CREATE [OR REPLACE] AGGREGATE`. Aggregates are recorded as
    /// immutable when their transition and final functions are, since
    /// PostgreSQL's mutability check looks through to them.
    ///
    /// # Errors
    ///
    /// As [`create_function`](Self::create_function); [`Error::UndefinedObject`]
    /// for a missing transition function.
    pub fn create_aggregate(&mut self, def: &AggregateDef) -> Result<Oid> {
        self.forget_lookups();
        let ns = self.creation_namespace(def.schema.as_deref())?;
        if self.proc_info(def.transition_fn).is_none() {
            return Err(Error::UndefinedObject {
                kind: "function",
                name: def.transition_fn.to_string(),
            });
        }
        if let Some(existing) = self.function_in_namespace(ns, &def.name, &def.arg_types) {
            if !def.or_replace || !self.aggregates.contains_key(&existing) {
                return Err(Error::InvalidDefinition(format!(
                    "function \"{}\" already exists with same argument types",
                    def.name
                )));
            }
            self.functions.remove(&existing);
            self.aggregates.remove(&existing);
            return self.insert_aggregate(existing, ns, def);
        }
        let oid = self.alloc();
        self.insert_aggregate(oid, ns, def)
    }

    fn insert_aggregate(&mut self, oid: Oid, ns: Oid, def: &AggregateDef) -> Result<Oid> {
        let volatility = [Some(def.transition_fn), def.final_fn, def.combine_fn]
            .into_iter()
            .flatten()
            .filter_map(|f| self.proc_info(f).map(|p| p.volatility))
            .map(|v| match v {
                builtin::Volatility::Immutable => Volatility::Immutable,
                builtin::Volatility::Stable => Volatility::Stable,
                builtin::Volatility::Volatile => Volatility::Volatile,
            })
            .max()
            .unwrap_or(Volatility::Volatile);
        self.functions.insert(
            oid,
            Function {
                oid,
                name: def.name.clone(),
                schema: ns,
                kind: FunctionKind::Aggregate,
                args: def
                    .arg_types
                    .iter()
                    .map(|&type_oid| FunctionArg {
                        name: None,
                        type_oid,
                        mode: ArgMode::In,
                        default: None,
                    })
                    .collect(),
                return_type: def.return_type,
                returns_set: false,
                volatility,
                strict: false,
                language: "internal".to_string(),
                cost: 1.0,
                rows: 0.0,
                body: None,
                security_definer: false,
                config: Vec::new(),
            },
        );
        self.aggregates.insert(
            oid,
            Aggregate {
                oid,
                kind: def.kind,
                transition_fn: def.transition_fn,
                final_fn: def.final_fn.unwrap_or(Oid::INVALID),
                combine_fn: def.combine_fn.unwrap_or(Oid::INVALID),
                state_type: def.state_type,
                initial_value: def.initial_value.clone(),
                sort_operator: def.sort_operator.unwrap_or(Oid::INVALID),
            },
        );
        Ok(oid)
    }

    /// `DROP FUNCTION | PROCEDURE | AGGREGATE [IF EXISTS] name(arg_types)`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidDefinition`] with PostgreSQL's text when missing
    /// (without IF EXISTS) or not a user function.
    pub fn drop_function(
        &mut self,
        schema: Option<&str>,
        name: &str,
        arg_types: &[Oid],
        if_exists: bool,
    ) -> Result<()> {
        self.forget_lookups();
        match self.resolve_function(schema, name, arg_types) {
            Ok(oid) if self.functions.contains_key(&oid) => {
                self.functions.remove(&oid);
                self.aggregates.remove(&oid);
                Ok(())
            }
            Ok(oid) => Err(self.cannot_drop_member("function", name, ObjectClass::Proc, oid)),
            Err(e) if if_exists => {
                self.warn(format!("{e}, skipping"));
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    fn cannot_drop_member(&self, kind: &str, name: &str, class: ObjectClass, oid: Oid) -> Error {
        match self
            .extension_of(class, oid)
            .and_then(|e| self.extensions.get(&e))
        {
            Some(ext) => Error::InvalidDefinition(format!(
                "cannot drop {kind} {name} because extension {} requires it",
                ext.name
            )),
            None => Error::InvalidDefinition(format!(
                "cannot drop {kind} {name} because it is required by the database system"
            )),
        }
    }

    fn operator_in_namespace(&self, ns: Oid, name: &str, left: Oid, right: Oid) -> Option<Oid> {
        self.builtin
            .operator_by_signature(ns, name, left, right)
            .or_else(|| {
                self.find_extension_row(
                    |objs| &objs.operators,
                    |o| o.namespace == ns && o.name == name && o.left == left && o.right == right,
                )
            })
            .map(|o| o.oid)
            .or_else(|| {
                self.operators
                    .values()
                    .find(|o| {
                        o.schema == ns && o.name == name && o.left == left && o.right == right
                    })
                    .map(|o| o.oid)
            })
    }

    /// Resolves an operator by name and exact operand types (`left`
    /// invalid for prefix operators), in `schema` or along the search path.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidDefinition`] with PostgreSQL's text when there is none.
    pub fn resolve_operator(
        &self,
        schema: Option<&str>,
        name: &str,
        left: Oid,
        right: Oid,
    ) -> Result<Oid> {
        for &ns in self.namespaces_to_search(schema)?.iter() {
            if let Some(oid) = self.operator_in_namespace(ns, name, left, right) {
                return Ok(oid);
            }
        }
        let lhs = if left.is_invalid() {
            String::new()
        } else {
            format!("{} ", self.format_type(left))
        };
        Err(Error::InvalidDefinition(format!(
            "operator does not exist: {lhs}{} {}",
            qualified_bare(schema, name),
            self.format_type(right)
        )))
    }

    /// `CREATE OPERATOR`. A COMMUTATOR or NEGATOR that does not exist yet is
    /// created first as a shell, as PostgreSQL does; a shell of the same
    /// signature is filled in instead of duplicated.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidDefinition`] when the operator exists (not as a shell)
    /// or its function is unknown.
    pub fn create_operator(&mut self, def: &OperatorDef) -> Result<Oid> {
        self.forget_lookups();
        let ns = self.creation_namespace(def.schema.as_deref())?;
        let left = def.left.unwrap_or(Oid::INVALID);
        let function = self
            .proc_info(def.function)
            .ok_or_else(|| Error::UndefinedObject {
                kind: "function",
                name: def.function.to_string(),
            })?;
        let result = function.return_type;
        let existing = self.operator_in_namespace(ns, &def.name, left, def.right);
        if let Some(oid) = existing {
            if !self.operators.get(&oid).is_some_and(Operator::is_shell) {
                return Err(Error::InvalidDefinition(format!(
                    "operator {} already exists",
                    def.name
                )));
            }
        }
        let self_commutator =
            def.commutator.as_deref() == Some(def.name.as_str()) && left == def.right;
        let commutator = match &def.commutator {
            Some(name) if !self_commutator => {
                Some(self.operator_or_shell(ns, name, def.right, left))
            }
            _ => None,
        };
        let negator = match &def.negator {
            Some(name) => {
                if name == &def.name {
                    return Err(Error::InvalidDefinition(
                        "operator cannot be its own negator".to_string(),
                    ));
                }
                Some(self.operator_or_shell(ns, name, left, def.right))
            }
            None => None,
        };
        let oid = match existing {
            Some(oid) => oid,
            None => self.alloc(),
        };
        let commutator_oid = if self_commutator {
            oid
        } else {
            commutator.unwrap_or(Oid::INVALID)
        };
        self.operators.insert(
            oid,
            Operator {
                oid,
                name: def.name.clone(),
                schema: ns,
                left,
                right: def.right,
                result,
                function: def.function,
                commutator: commutator_oid,
                negator: negator.unwrap_or(Oid::INVALID),
                hashes: def.hashes,
                merges: def.merges,
            },
        );
        // Link back, as OperatorUpd does.
        if let Some(c) = commutator.and_then(|c| self.operators.get_mut(&c)) {
            c.commutator = oid;
        }
        if let Some(n) = negator.and_then(|n| self.operators.get_mut(&n)) {
            n.negator = oid;
        }
        Ok(oid)
    }

    fn operator_or_shell(&mut self, ns: Oid, name: &str, left: Oid, right: Oid) -> Oid {
        if let Some(oid) = self.operator_in_namespace(ns, name, left, right) {
            return oid;
        }
        let oid = self.alloc();
        self.operators.insert(
            oid,
            Operator {
                oid,
                name: name.to_string(),
                schema: ns,
                left,
                right,
                result: Oid::INVALID,
                function: Oid::INVALID,
                commutator: Oid::INVALID,
                negator: Oid::INVALID,
                hashes: false,
                merges: false,
            },
        );
        oid
    }

    /// `DROP OPERATOR [IF EXISTS] name (left, right)`.
    ///
    /// # Errors
    ///
    /// As [`resolve_operator`](Self::resolve_operator) (without IF EXISTS),
    /// or for a built-in or extension operator.
    pub fn drop_operator(
        &mut self,
        schema: Option<&str>,
        name: &str,
        left: Oid,
        right: Oid,
        if_exists: bool,
    ) -> Result<()> {
        self.forget_lookups();
        match self.resolve_operator(schema, name, left, right) {
            Ok(oid) if self.operators.contains_key(&oid) => {
                self.operators.remove(&oid);
                for o in self.operators.values_mut() {
                    if o.commutator == oid {
                        o.commutator = Oid::INVALID;
                    }
                    if o.negator == oid {
                        o.negator = Oid::INVALID;
                    }
                }
                Ok(())
            }
            Ok(oid) => Err(self.cannot_drop_member("operator", name, ObjectClass::Operator, oid)),
            Err(e) if if_exists => {
                self.warn(format!("{e}, skipping"));
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// A type's name for messages: SQL spelling for common built-ins,
    /// `elem[]` for arrays, schema-qualified when not on the search path.
    pub fn format_type(&self, oid: Oid) -> String {
        let Some(t) = self.type_info(oid) else {
            return "???".to_string();
        };
        if t.category == 'A' && !t.elem.is_invalid() {
            return format!("{}[]", self.format_type(t.elem));
        }
        let sql = match (t.namespace == PG_CATALOG_NAMESPACE, t.name.as_str()) {
            (true, "int2") => Some("smallint"),
            (true, "int4") => Some("integer"),
            (true, "int8") => Some("bigint"),
            (true, "float4") => Some("real"),
            (true, "float8") => Some("double precision"),
            (true, "bool") => Some("boolean"),
            (true, "varchar") => Some("character varying"),
            (true, "bpchar") => Some("character"),
            (true, "timestamp") => Some("timestamp without time zone"),
            (true, "timestamptz") => Some("timestamp with time zone"),
            (true, "time") => Some("time without time zone"),
            (true, "timetz") => Some("time with time zone"),
            (true, "varbit") => Some("bit varying"),
            _ => None,
        };
        if let Some(sql) = sql {
            return sql.to_string();
        }
        if self.search_path_oids().contains(&t.namespace) {
            t.name.to_string()
        } else {
            format!(
                "{}.{}",
                self.namespace_name(t.namespace).unwrap_or("???"),
                t.name
            )
        }
    }

    fn format_types(&self, oids: &[Oid]) -> String {
        oids.iter()
            .map(|&o| self.format_type(o))
            .collect::<Vec<_>>()
            .join(", ")
    }

    // ----- Extensions ----------------------------------------------------

    /// Installed extensions by oid.
    pub fn extensions(&self) -> impl Iterator<Item = &Extension> {
        self.extensions.values()
    }

    /// The installed extension called `name`.
    pub fn extension_by_name(&self, name: &str) -> Option<&Extension> {
        self.extensions.values().find(|e| e.name == name)
    }

    /// The objects an installed extension's template created (members and
    /// the non-member array types), with this database's oids.
    pub fn extension_objects(&self, extension: Oid) -> Option<&ExtensionObjects> {
        self.extension_objects.get(&extension)
    }

    /// The row of extension object `(class, oid)` in the list `rows` picks
    /// out of its extension's objects; when several extensions hold the oid,
    /// the one with the lowest extension oid wins.
    fn extension_row<T>(
        &self,
        class: ObjectClass,
        oid: Oid,
        rows: fn(&ExtensionObjects) -> &[T],
    ) -> Option<&T> {
        let row = self.extension_holder(class, oid)?;
        rows(self.extension_objects.get(&row.extension)?).get(row.pos)
    }

    /// The created extension with the lowest oid whose template holds
    /// `(class, oid)`, with the object's place in it.
    fn extension_holder(&self, class: ObjectClass, oid: Oid) -> Option<ExtensionObjectRef> {
        self.extension_rows(oid)
            .iter()
            .find(|row| row.class == class)
            .copied()
    }

    /// Every created extension's row of an object with this oid, in
    /// extension oid order.
    fn extension_rows(&self, oid: Oid) -> &[ExtensionObjectRef] {
        self.extension_index.get(&oid).map_or(&[], Vec::as_slice)
    }

    /// The first row matching `pred` in the lists `rows` picks out of the
    /// extensions' objects, in extension oid order (for lookups by name).
    fn find_extension_row<T>(
        &self,
        rows: fn(&ExtensionObjects) -> &[T],
        pred: impl Fn(&T) -> bool,
    ) -> Option<&T> {
        self.extension_objects
            .values()
            .find_map(|objs| rows(objs).iter().find(|row| pred(row)))
    }

    /// Makes `objs` the template objects of extension `ext` (replacing any
    /// it had) and indexes their rows.
    fn set_extension_objects(&mut self, ext: Oid, objs: ExtensionObjects) {
        use ObjectClass as Class;
        self.remove_extension_objects(ext);
        let index = &mut self.extension_index;
        index_rows(index, ext, Class::Type, &objs.types, |t| t.oid);
        index_rows(index, ext, Class::Proc, &objs.procs, |p| p.oid);
        index_rows(index, ext, Class::Operator, &objs.operators, |o| o.oid);
        index_rows(index, ext, Class::Cast, &objs.casts, |c| c.oid);
        index_rows(index, ext, Class::Opfamily, &objs.opfamilies, |f| f.oid);
        index_rows(index, ext, Class::Opclass, &objs.opclasses, |c| c.oid);
        index_rows(index, ext, Class::Amop, &objs.amops, |a| a.oid);
        self.extension_objects.insert(ext, objs);
        // A user domain's row copies its base type's, which may be this
        // extension's.
        self.types.forget_infos();
    }

    /// Forgets the template objects of extension `ext` and their index rows.
    fn remove_extension_objects(&mut self, ext: Oid) {
        if self.extension_objects.remove(&ext).is_some() {
            self.types.forget_infos();
            self.extension_index.retain(|_, rows| {
                rows.retain(|row| row.extension != ext);
                !rows.is_empty()
            });
        }
    }

    /// `CREATE EXTENSION [IF NOT EXISTS] name [SCHEMA schema] [CASCADE]`.
    /// A bundled extension gets its template's objects with fresh oids; one
    /// this build does not bundle is created without members and a warning.
    /// `postgres_fdw` also creates its foreign-data wrapper.
    ///
    /// # Errors
    ///
    /// [`Error::DuplicateObject`] when installed (without IF NOT EXISTS);
    /// [`Error::InvalidDefinition`] for a required extension that is not
    /// installed (without CASCADE) or a wrong schema for a non-relocatable one.
    pub fn create_extension(
        &mut self,
        name: &str,
        schema: Option<&str>,
        if_not_exists: bool,
    ) -> Result<Oid> {
        self.forget_lookups();
        self.create_extension_with(name, schema, if_not_exists, false)
    }

    /// [`create_extension`](Self::create_extension) with CASCADE: missing
    /// required extensions are created first.
    ///
    /// # Errors
    ///
    /// As [`create_extension`](Self::create_extension).
    pub fn create_extension_with(
        &mut self,
        name: &str,
        schema: Option<&str>,
        if_not_exists: bool,
        cascade: bool,
    ) -> Result<Oid> {
        self.forget_lookups();
        if let Some(ext) = self.extension_by_name(name) {
            let oid = ext.oid;
            if if_not_exists {
                self.warn(format!("extension \"{name}\" already exists, skipping"));
                return Ok(oid);
            }
            return Err(Error::DuplicateObject {
                kind: "extension",
                name: name.to_string(),
            });
        }
        let template = self.builtin.extension_template(name);
        let ns = match template.and_then(|t| t.schema.clone()) {
            Some(fixed) => {
                if let Some(given) = schema {
                    if given != fixed {
                        return Err(Error::InvalidDefinition(format!(
                            "extension \"{name}\" must be installed in schema \"{fixed}\""
                        )));
                    }
                }
                match self.namespace_oid(&fixed) {
                    Some(oid) => oid,
                    None => self.create_schema(&fixed, false)?,
                }
            }
            None => self.creation_namespace(schema)?,
        };
        let mut required = Vec::new();
        if let Some(t) = template {
            for req in &t.requires {
                let installed = self.extension_by_name(req).map(|e| e.oid);
                let oid = match installed {
                    Some(oid) => oid,
                    None if cascade => {
                        let ns_name = self.namespace_name(ns).map(str::to_string);
                        self.create_extension_with(req, ns_name.as_deref(), false, true)?
                    }
                    None => {
                        return Err(Error::InvalidDefinition(format!(
                            "required extension \"{req}\" is not installed"
                        )))
                    }
                };
                required.push(oid);
            }
        }
        let oid = Oid(self.next_oid);
        let (objects, version, bundled) = match template {
            Some(t) => {
                let reqs: Vec<&ExtensionObjects> = required
                    .iter()
                    .filter_map(|r| self.extension_objects.get(r))
                    .collect();
                let mut next = self.next_oid;
                let objs = t.instantiate_with(ns, &mut next, &reqs);
                self.next_oid = next;
                (objs, t.default_version.clone(), true)
            }
            None => {
                self.alloc();
                self.warn(format!(
                    "extension \"{name}\" is not bundled with this build; created without members"
                ));
                (
                    ExtensionObjects {
                        name: name.to_string(),
                        extension_oid: oid,
                        namespace: ns,
                        ..ExtensionObjects::default()
                    },
                    String::new(),
                    false,
                )
            }
        };
        if name == "postgres_fdw" {
            self.add_postgres_fdw_wrapper(&objects);
        }
        self.extensions.insert(
            oid,
            Extension {
                oid,
                name: name.to_string(),
                schema: ns,
                version,
                bundled,
                added_members: BTreeSet::new(),
                dropped_members: BTreeSet::new(),
            },
        );
        self.set_extension_objects(oid, objects);
        Ok(oid)
    }

    /// postgres_fdw's script ends its 1.0 part with `CREATE FOREIGN DATA
    /// WRAPPER postgres_fdw`, right after its handler and validator, so the
    /// wrapper takes the oid after the later of the two.
    fn add_postgres_fdw_wrapper(&mut self, objects: &ExtensionObjects) {
        let find = |n: &str| {
            objects
                .procs
                .iter()
                .find(|p| p.name == n)
                .map_or(Oid::INVALID, |p| p.oid)
        };
        let handler = find("postgres_fdw_handler");
        let validator = find("postgres_fdw_validator");
        let oid = if handler.is_invalid() && validator.is_invalid() {
            self.alloc()
        } else {
            Oid(handler.0.max(validator.0) + 1)
        };
        self.wrappers.insert(
            oid,
            ForeignDataWrapper {
                oid,
                name: "postgres_fdw".to_string(),
                handler,
                validator,
                postgres_fdw_validator: true,
                options: OptionList::new(),
            },
        );
    }

    /// Re-creates an extension's template objects when reading a snapshot.
    pub(crate) fn reinstantiate_extension(&mut self, ext: &Extension) -> Result<()> {
        self.forget_lookups();
        let objects = match self
            .builtin
            .extension_template(&ext.name)
            .filter(|_| ext.bundled)
        {
            Some(t) => {
                let reqs: Vec<&ExtensionObjects> = t
                    .requires
                    .iter()
                    .filter_map(|r| {
                        self.extensions
                            .values()
                            .find(|e| &e.name == r)
                            .and_then(|e| self.extension_objects.get(&e.oid))
                    })
                    .collect();
                let mut next = ext.oid.0;
                t.instantiate_with(ext.schema, &mut next, &reqs)
            }
            None if ext.bundled => {
                return Err(Error::Snapshot(format!(
                    "extension \"{}\" is marked bundled but this build has no template for it",
                    ext.name
                )))
            }
            None => ExtensionObjects {
                name: ext.name.clone(),
                extension_oid: ext.oid,
                namespace: ext.schema,
                ..ExtensionObjects::default()
            },
        };
        self.extensions.insert(ext.oid, ext.clone());
        self.set_extension_objects(ext.oid, objects);
        Ok(())
    }

    /// `DROP EXTENSION [IF EXISTS] name [CASCADE]`: its objects go with it;
    /// servers of a wrapper it created need CASCADE (which drops them too).
    ///
    /// # Errors
    ///
    /// [`Error::UndefinedObject`] when missing (without IF EXISTS);
    /// [`Error::InvalidDefinition`] when other objects depend on it.
    pub fn drop_extension(&mut self, name: &str, if_exists: bool, cascade: bool) -> Result<()> {
        self.forget_lookups();
        let Some(oid) = self.extension_by_name(name).map(|e| e.oid) else {
            return self.missing(if_exists, "extension", name);
        };
        let dependents: Vec<String> = self
            .extensions
            .values()
            .filter(|e| {
                self.builtin
                    .extension_template(&e.name)
                    .is_some_and(|t| t.requires.iter().any(|r| r == name))
            })
            .map(|e| e.name.clone())
            .collect();
        let wrappers: Vec<Oid> = self
            .wrappers
            .values()
            .filter(|w| self.extension_of(ObjectClass::ForeignDataWrapper, w.oid) == Some(oid))
            .map(|w| w.oid)
            .collect();
        let servers: Vec<String> = self
            .servers
            .values()
            .filter(|s| wrappers.contains(&s.wrapper))
            .map(|s| s.name.clone())
            .collect();
        if (!dependents.is_empty() || !servers.is_empty()) && !cascade {
            return Err(depends_error("extension", name));
        }
        for dep in dependents {
            self.drop_extension(&dep, true, true)?;
        }
        for server in servers {
            self.drop_server(&server, true, true)?;
        }
        for w in wrappers {
            self.wrappers.remove(&w);
        }
        self.extensions.remove(&oid);
        self.remove_extension_objects(oid);
        Ok(())
    }

    /// `ALTER EXTENSION ext ADD object`.
    ///
    /// # Errors
    ///
    /// [`Error::UndefinedObject`] for a missing extension or object;
    /// [`Error::InvalidDefinition`] when the object already belongs to an extension.
    pub fn alter_extension_add_member(&mut self, extension: &str, member: ObjectRef) -> Result<()> {
        self.forget_lookups();
        let ext_oid = self
            .extension_by_name(extension)
            .map(|e| e.oid)
            .ok_or_else(|| Error::UndefinedObject {
                kind: "extension",
                name: extension.to_string(),
            })?;
        if !self.object_exists(member) {
            return Err(Error::UndefinedObject {
                kind: "object",
                name: format!("{} {}", member.class.catalog_name(), member.oid),
            });
        }
        if let Some(current) = self.extension_of(member.class, member.oid) {
            let current_name = self
                .extensions
                .get(&current)
                .map(|e| e.name.clone())
                .unwrap_or_default();
            return Err(Error::InvalidDefinition(format!(
                "{} {} is already a member of extension \"{current_name}\"",
                member.class.catalog_name(),
                member.oid
            )));
        }
        if let Some(ext) = self.extensions.get_mut(&ext_oid) {
            if !ext.dropped_members.remove(&member) {
                ext.added_members.insert(member);
            }
        }
        Ok(())
    }

    /// `ALTER EXTENSION ext DROP object`.
    ///
    /// # Errors
    ///
    /// [`Error::UndefinedObject`] for a missing extension;
    /// [`Error::InvalidDefinition`] when the object is not its member.
    pub fn alter_extension_drop_member(
        &mut self,
        extension: &str,
        member: ObjectRef,
    ) -> Result<()> {
        self.forget_lookups();
        let ext_oid = self
            .extension_by_name(extension)
            .map(|e| e.oid)
            .ok_or_else(|| Error::UndefinedObject {
                kind: "extension",
                name: extension.to_string(),
            })?;
        if self.extension_of(member.class, member.oid) != Some(ext_oid) {
            return Err(Error::InvalidDefinition(format!(
                "{} {} is not a member of extension \"{extension}\"",
                member.class.catalog_name(),
                member.oid
            )));
        }
        if let Some(ext) = self.extensions.get_mut(&ext_oid) {
            if !ext.added_members.remove(&member) {
                ext.dropped_members.insert(member);
            }
        }
        Ok(())
    }

    fn object_exists(&self, obj: ObjectRef) -> bool {
        let oid = obj.oid;
        match obj.class {
            ObjectClass::Namespace => self.namespace_name(oid).is_some(),
            ObjectClass::Type => self.type_info(oid).is_some(),
            ObjectClass::Proc => self.proc_info(oid).is_some(),
            ObjectClass::Operator => self.operator_info(oid).is_some(),
            ObjectClass::Relation => self.relations.contains_key(&oid),
            ObjectClass::ForeignDataWrapper => self.wrappers.contains_key(&oid),
            ObjectClass::ForeignServer => self.servers.contains_key(&oid),
            ObjectClass::Opfamily
            | ObjectClass::Opclass
            | ObjectClass::Amop
            | ObjectClass::Cast
            | ObjectClass::Collation => {
                self.extension_holder(obj.class, oid).is_some() || oid.is_builtin()
            }
        }
    }

    /// The extension `(class, oid)` is a member of (`getExtensionOfObject`).
    pub fn extension_of(&self, class: ObjectClass, oid: Oid) -> Option<Oid> {
        let obj = ObjectRef { class, oid };
        for ext in self.extensions.values() {
            if ext.added_members.contains(&obj) {
                return Some(ext.oid);
            }
            if ext.dropped_members.contains(&obj) {
                continue;
            }
            let Some(objs) = self.extension_objects.get(&ext.oid) else {
                continue;
            };
            if class == ObjectClass::ForeignDataWrapper {
                if ext.name == "postgres_fdw"
                    && self
                        .wrappers
                        .get(&oid)
                        .is_some_and(|w| w.postgres_fdw_validator)
                {
                    return Some(ext.oid);
                }
                continue;
            }
            // `is_member` without its scan: the index says the template
            // holds the object.
            let held = self
                .extension_rows(oid)
                .iter()
                .any(|row| row.extension == ext.oid && row.class == class);
            if held && !objs.non_members.contains(&oid) {
                return Some(ext.oid);
            }
        }
        None
    }

    // ----- Shippability --------------------------------------------------

    /// postgres_fdw's `is_builtin`: `oid < FirstGenbkiObjectId` (10000).
    pub fn is_builtin(&self, oid: Oid) -> bool {
        oid.is_builtin()
    }

    /// The installed extensions a server's `extensions` option names, in
    /// its order; names not installed are dropped, as at planning time.
    pub fn shippable_extensions(&self, server: Oid) -> Vec<Oid> {
        let Some(value) = self
            .servers
            .get(&server)
            .and_then(|s| s.options.get("extensions"))
        else {
            return Vec::new();
        };
        split_identifier_string(value, ',')
            .unwrap_or_default()
            .iter()
            .filter_map(|name| self.extension_by_name(name).map(|e| e.oid))
            .collect()
    }

    /// postgres_fdw's `is_shippable(objectId, classId, fpinfo)`: built in,
    /// or a member of an extension listed in the server's `extensions`
    /// option. (PostgreSQL memoizes the answer per backend; this is a pure
    /// function of the catalog, so nothing needs invalidating.)
    pub fn is_shippable(&self, class: ObjectClass, oid: Oid, server: Oid) -> bool {
        if oid.is_builtin() {
            return true;
        }
        // Membership first: it is a map lookup, while the server's option
        // is parsed on every call.
        self.extension_of(class, oid)
            .is_some_and(|ext| self.shippable_extensions(server).contains(&ext))
    }

    // ----- Foreign-data wrappers, servers, user mappings -----------------

    /// Foreign-data wrappers by oid.
    pub fn wrappers(&self) -> impl Iterator<Item = &ForeignDataWrapper> {
        self.wrappers.values()
    }

    /// The wrapper called `name`.
    pub fn wrapper_by_name(&self, name: &str) -> Option<&ForeignDataWrapper> {
        self.wrappers.values().find(|w| w.name == name)
    }

    /// `CREATE FOREIGN DATA WRAPPER name [HANDLER h] [VALIDATOR v] [OPTIONS]`.
    /// The wrapper validates like postgres_fdw when `validator` is
    /// postgres_fdw's validator function.
    ///
    /// # Errors
    ///
    /// [`Error::DuplicateObject`] when it exists; option errors.
    pub fn create_foreign_data_wrapper(
        &mut self,
        name: &str,
        handler: Option<Oid>,
        validator: Option<Oid>,
        options: &[(String, String)],
    ) -> Result<Oid> {
        self.forget_lookups();
        if self.wrapper_by_name(name).is_some() {
            return Err(Error::DuplicateObject {
                kind: "foreign-data wrapper",
                name: name.to_string(),
            });
        }
        let validator = validator.unwrap_or(Oid::INVALID);
        let postgres_fdw_validator = self
            .proc_info(validator)
            .is_some_and(|p| p.name == "postgres_fdw_validator");
        let changes: Vec<OptionChange> = options
            .iter()
            .map(|(k, v)| OptionChange::add(k, v))
            .collect();
        let options = apply_option_changes(&OptionList::new(), &changes)?;
        if postgres_fdw_validator {
            self.validate(&options, OptionContext::Wrapper)?;
        }
        let oid = self.alloc();
        self.wrappers.insert(
            oid,
            ForeignDataWrapper {
                oid,
                name: name.to_string(),
                handler: handler.unwrap_or(Oid::INVALID),
                validator,
                postgres_fdw_validator,
                options,
            },
        );
        Ok(oid)
    }

    /// Servers by oid.
    pub fn servers(&self) -> impl Iterator<Item = &ForeignServer> {
        self.servers.values()
    }

    /// The server with this oid.
    pub fn server(&self, oid: Oid) -> Option<&ForeignServer> {
        self.servers.get(&oid)
    }

    /// The server called `name`.
    pub fn server_by_name(&self, name: &str) -> Option<&ForeignServer> {
        self.servers.values().find(|s| s.name == name)
    }

    fn server_oid_required(&self, name: &str) -> Result<Oid> {
        self.server_by_name(name)
            .map(|s| s.oid)
            .ok_or_else(|| Error::UndefinedObject {
                kind: "server",
                name: name.to_string(),
            })
    }

    fn validate(&mut self, options: &OptionList, context: OptionContext) -> Result<()> {
        let names: Vec<String> = self.extensions.values().map(|e| e.name.clone()).collect();
        let installed: Vec<&str> = names.iter().map(String::as_str).collect();
        let env = ValidationEnv {
            major: self.major,
            superuser: self.superuser,
            installed_extensions: &installed,
        };
        let warnings = validate_options(options, context, &env)?;
        self.warnings.extend(warnings);
        Ok(())
    }

    fn validate_for_server(
        &mut self,
        server: Oid,
        options: &OptionList,
        context: OptionContext,
    ) -> Result<()> {
        let checked = self
            .servers
            .get(&server)
            .and_then(|s| self.wrappers.get(&s.wrapper))
            .is_some_and(|w| w.postgres_fdw_validator);
        if checked {
            self.validate(options, context)?;
        }
        Ok(())
    }

    /// `CREATE SERVER [IF NOT EXISTS] name [TYPE] [VERSION] FOREIGN DATA
    /// WRAPPER w [OPTIONS (...)]`, options validated as postgres_fdw does.
    ///
    /// # Errors
    ///
    /// [`Error::DuplicateObject`] when it exists; [`Error::UndefinedObject`]
    /// for a missing wrapper; option errors.
    pub fn create_server(&mut self, def: &ServerDef) -> Result<Oid> {
        self.forget_lookups();
        if let Some(existing) = self.server_by_name(&def.name) {
            let oid = existing.oid;
            if def.if_not_exists {
                self.warn(format!("server \"{}\" already exists, skipping", def.name));
                return Ok(oid);
            }
            return Err(Error::DuplicateObject {
                kind: "server",
                name: def.name.clone(),
            });
        }
        let wrapper = self
            .wrapper_by_name(&def.wrapper)
            .ok_or_else(|| Error::UndefinedObject {
                kind: "foreign-data wrapper",
                name: def.wrapper.clone(),
            })?;
        let (wrapper_oid, checked) = (wrapper.oid, wrapper.postgres_fdw_validator);
        let changes: Vec<OptionChange> = def
            .options
            .iter()
            .map(|(k, v)| OptionChange::add(k, v))
            .collect();
        let options = apply_option_changes(&OptionList::new(), &changes)?;
        if checked {
            self.validate(&options, OptionContext::Server)?;
        }
        let oid = self.alloc();
        self.servers.insert(
            oid,
            ForeignServer {
                oid,
                name: def.name.clone(),
                wrapper: wrapper_oid,
                server_type: def.server_type.clone(),
                version: def.version.clone(),
                options,
            },
        );
        Ok(oid)
    }

    /// `ALTER SERVER name [VERSION 'v'] [OPTIONS (...)]`; `version` is
    /// `Some` when the statement has a VERSION clause.
    ///
    /// # Errors
    ///
    /// [`Error::UndefinedObject`] for a missing server; option errors.
    pub fn alter_server(
        &mut self,
        name: &str,
        version: Option<Option<String>>,
        changes: &[OptionChange],
    ) -> Result<()> {
        self.forget_lookups();
        let oid = self.server_oid_required(name)?;
        let current = self
            .servers
            .get(&oid)
            .map(|s| s.options.clone())
            .unwrap_or_default();
        let options = apply_option_changes(&current, changes)?;
        self.validate_for_server(oid, &options, OptionContext::Server)?;
        if let Some(s) = self.servers.get_mut(&oid) {
            s.options = options;
            if let Some(v) = version {
                s.version = v;
            }
        }
        Ok(())
    }

    /// `ALTER SERVER name RENAME TO new_name`.
    ///
    /// # Errors
    ///
    /// [`Error::UndefinedObject`] when missing; [`Error::DuplicateObject`]
    /// when the new name is taken.
    pub fn rename_server(&mut self, name: &str, new_name: &str) -> Result<()> {
        self.forget_lookups();
        let oid = self.server_oid_required(name)?;
        if self.server_by_name(new_name).is_some() {
            return Err(Error::DuplicateObject {
                kind: "server",
                name: new_name.to_string(),
            });
        }
        if let Some(s) = self.servers.get_mut(&oid) {
            s.name = new_name.to_string();
        }
        Ok(())
    }

    /// `DROP SERVER [IF EXISTS] name [CASCADE]`: foreign tables and user
    /// mappings on it need CASCADE, which drops them too.
    ///
    /// # Errors
    ///
    /// [`Error::UndefinedObject`] when missing (without IF EXISTS);
    /// [`Error::InvalidDefinition`] when objects depend on it.
    pub fn drop_server(&mut self, name: &str, if_exists: bool, cascade: bool) -> Result<()> {
        self.forget_lookups();
        let Some(oid) = self.server_by_name(name).map(|s| s.oid) else {
            return self.missing(if_exists, "server", name);
        };
        let tables: Vec<Oid> = self
            .relations
            .values()
            .filter(|r| r.foreign.as_ref().is_some_and(|f| f.server == oid))
            .map(|r| r.oid)
            .collect();
        let mappings: Vec<Oid> = self
            .user_mappings
            .values()
            .filter(|m| m.server == oid)
            .map(|m| m.oid)
            .collect();
        if (!tables.is_empty() || !mappings.is_empty()) && !cascade {
            return Err(depends_error("server", name));
        }
        for t in tables {
            if self.relations.contains_key(&t) {
                self.drop_relation_oid(t, true)?;
            }
        }
        for m in mappings {
            self.user_mappings.remove(&m);
        }
        self.servers.remove(&oid);
        Ok(())
    }

    /// User mappings by oid.
    pub fn user_mappings(&self) -> impl Iterator<Item = &UserMapping> {
        self.user_mappings.values()
    }

    fn mapping_user(&self, spec: &MappingUserSpec) -> MappingUser {
        match spec {
            MappingUserSpec::Public => MappingUser::Public,
            MappingUserSpec::CurrentUser => MappingUser::Role(self.current_user.clone()),
            MappingUserSpec::Role(name) => MappingUser::Role(name.clone()),
        }
    }

    fn mapping_oid(&self, server: Oid, user: &MappingUser) -> Option<Oid> {
        self.user_mappings
            .values()
            .find(|m| m.server == server && &m.user == user)
            .map(|m| m.oid)
    }

    /// `CREATE USER MAPPING [IF NOT EXISTS] FOR user SERVER s [OPTIONS]`.
    /// Secret options are recorded as set, never with their value.
    ///
    /// # Errors
    ///
    /// [`Error::UndefinedObject`] for a missing server;
    /// [`Error::InvalidDefinition`] with PostgreSQL's text when the mapping
    /// exists; option errors.
    pub fn create_user_mapping(
        &mut self,
        user: &MappingUserSpec,
        server: &str,
        options: &[(String, String)],
        if_not_exists: bool,
    ) -> Result<Oid> {
        self.forget_lookups();
        let server_oid = self.server_oid_required(server)?;
        let user = self.mapping_user(user);
        if let Some(existing) = self.mapping_oid(server_oid, &user) {
            let message =
                format!("user mapping for \"{user}\" already exists for server \"{server}\"");
            if if_not_exists {
                self.warn(format!("{message}, skipping"));
                return Ok(existing);
            }
            return Err(Error::InvalidDefinition(message));
        }
        let changes: Vec<OptionChange> = options
            .iter()
            .map(|(k, v)| OptionChange::add(k, v))
            .collect();
        let options = apply_option_changes(&OptionList::new(), &changes)?;
        self.validate_for_server(server_oid, &options, OptionContext::UserMapping)?;
        let oid = self.alloc();
        self.user_mappings.insert(
            oid,
            UserMapping {
                oid,
                user,
                server: server_oid,
                options,
            },
        );
        Ok(oid)
    }

    /// `ALTER USER MAPPING FOR user SERVER s OPTIONS (...)`.
    ///
    /// # Errors
    ///
    /// As [`create_user_mapping`](Self::create_user_mapping), plus a missing mapping.
    pub fn alter_user_mapping(
        &mut self,
        user: &MappingUserSpec,
        server: &str,
        changes: &[OptionChange],
    ) -> Result<()> {
        self.forget_lookups();
        let server_oid = self.server_oid_required(server)?;
        let user = self.mapping_user(user);
        let oid = self.mapping_oid(server_oid, &user).ok_or_else(|| {
            Error::InvalidDefinition(format!(
                "user mapping for \"{user}\" does not exist for server \"{server}\""
            ))
        })?;
        let current = self
            .user_mappings
            .get(&oid)
            .map(|m| m.options.clone())
            .unwrap_or_default();
        let options = apply_option_changes(&current, changes)?;
        self.validate_for_server(server_oid, &options, OptionContext::UserMapping)?;
        if let Some(m) = self.user_mappings.get_mut(&oid) {
            m.options = options;
        }
        Ok(())
    }

    /// `DROP USER MAPPING [IF EXISTS] FOR user SERVER s`.
    ///
    /// # Errors
    ///
    /// [`Error::UndefinedObject`] for a missing server;
    /// [`Error::InvalidDefinition`] for a missing mapping (without IF EXISTS).
    pub fn drop_user_mapping(
        &mut self,
        user: &MappingUserSpec,
        server: &str,
        if_exists: bool,
    ) -> Result<()> {
        self.forget_lookups();
        let server_oid = self.server_oid_required(server)?;
        let user = self.mapping_user(user);
        match self.mapping_oid(server_oid, &user) {
            Some(oid) => {
                self.user_mappings.remove(&oid);
                Ok(())
            }
            None => {
                let message =
                    format!("user mapping for \"{user}\" does not exist for server \"{server}\"");
                if if_exists {
                    self.warn(format!("{message}, skipping"));
                    Ok(())
                } else {
                    Err(Error::InvalidDefinition(message))
                }
            }
        }
    }

    /// The user mapping postgres_fdw uses for `user` on `server`
    /// (`GetUserMapping`): the user's own, else the PUBLIC one.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidDefinition`] with PostgreSQL's text when there is none.
    pub fn user_mapping_for(&self, server: Oid, user: &str) -> Result<&UserMapping> {
        let own = MappingUser::Role(user.to_string());
        self.user_mappings
            .values()
            .find(|m| m.server == server && m.user == own)
            .or_else(|| {
                self.user_mappings
                    .values()
                    .find(|m| m.server == server && m.user == MappingUser::Public)
            })
            .ok_or_else(|| {
                Error::InvalidDefinition(format!("user mapping not found for \"{user}\""))
            })
    }

    // ----- Foreign-table helpers -------------------------------------------

    fn foreign_table(&self, table: Oid) -> Result<(&Relation, &ForeignTablePart)> {
        let rel = self
            .relations
            .get(&table)
            .ok_or_else(|| Error::UndefinedObject {
                kind: "relation",
                name: table.to_string(),
            })?;
        let part = rel.foreign.as_ref().ok_or_else(|| {
            Error::InvalidDefinition(format!("\"{}\" is not a foreign table", rel.name))
        })?;
        Ok((rel, part))
    }

    /// The server of a foreign table.
    ///
    /// # Errors
    ///
    /// When `table` is not a foreign table.
    pub fn table_server(&self, table: Oid) -> Result<&ForeignServer> {
        let (rel, part) = self.foreign_table(table)?;
        self.servers
            .get(&part.server)
            .ok_or_else(|| Error::UndefinedObject {
                kind: "server",
                name: format!("of {}", rel.name),
            })
    }

    /// The remote (schema, table) names of a foreign table (`deparseRelation`):
    /// its `schema_name` / `table_name` options, else the local names.
    ///
    /// # Errors
    ///
    /// When `table` is not a foreign table.
    pub fn remote_table_name(&self, table: Oid) -> Result<(String, String)> {
        let (rel, part) = self.foreign_table(table)?;
        let schema = match part.options.get("schema_name") {
            Some(s) => s.to_string(),
            None => self
                .namespace_name(rel.schema)
                .unwrap_or_default()
                .to_string(),
        };
        let name = part
            .options
            .get("table_name")
            .unwrap_or(&rel.name)
            .to_string();
        Ok((schema, name))
    }

    /// The remote name of column `attnum` (`deparseColumnRef`): its
    /// `column_name` option, else the local name.
    ///
    /// # Errors
    ///
    /// When `table` is not a foreign table or has no such column.
    pub fn remote_column_name(&self, table: Oid, attnum: AttrNumber) -> Result<String> {
        let (rel, _) = self.foreign_table(table)?;
        let col = rel
            .column_by_attnum(attnum.0)
            .filter(|c| !c.dropped)
            .ok_or_else(|| Error::UndefinedObject {
                kind: "column",
                name: format!("{}.{}", rel.name, attnum.0),
            })?;
        Ok(col
            .options
            .get("column_name")
            .unwrap_or(&col.name)
            .to_string())
    }

    /// postgres_fdw's options for scanning foreign table `table`: server
    /// options overridden by the table's, with defaults.
    ///
    /// # Errors
    ///
    /// When `table` is not a foreign table.
    pub fn fdw_options(&self, table: Oid) -> Result<FdwOptions> {
        let server = self.table_server(table)?;
        let (_, part) = self.foreign_table(table)?;
        Ok(FdwOptions::resolve(
            self.major,
            &server.options,
            Some(&part.options),
        ))
    }

    /// [`Catalog::fdw_options`], shared and remembered until the catalog
    /// changes: every query planning a scan of `table` asks for them.
    ///
    /// # Errors
    ///
    /// As [`Catalog::fdw_options`] (errors are not remembered).
    pub fn fdw_options_shared(&self, table: Oid) -> Result<std::sync::Arc<FdwOptions>> {
        if let Some(options) = self.memo.table_options(table) {
            return Ok(options);
        }
        let options = std::sync::Arc::new(self.fdw_options(table)?);
        self.memo.remember_table_options(table, &options);
        Ok(options)
    }

    /// postgres_fdw's options at server level (joins and upper relations
    /// take these from their outer input's server).
    ///
    /// # Errors
    ///
    /// [`Error::UndefinedObject`] for an unknown server.
    pub fn server_fdw_options(&self, server: Oid) -> Result<FdwOptions> {
        let s = self
            .servers
            .get(&server)
            .ok_or_else(|| Error::UndefinedObject {
                kind: "server",
                name: server.to_string(),
            })?;
        Ok(FdwOptions::resolve(self.major, &s.options, None))
    }

    // ----- Statistics ----------------------------------------------------

    /// The statistics of relation `oid`, if any were recorded.
    pub fn stats(&self, oid: Oid) -> Option<&TableStats> {
        self.stats.get(&oid)
    }

    /// The size statistics of relation `oid`; never-analyzed defaults when none were recorded.
    pub fn relation_stats(&self, oid: Oid) -> RelationStats {
        self.stats.get(&oid).map(|s| s.relation).unwrap_or_default()
    }

    /// Records `pg_class` statistics of relation `oid`.
    ///
    /// # Errors
    ///
    /// [`Error::UndefinedObject`] for an unknown relation;
    /// [`Error::InvalidDefinition`] for impossible numbers.
    pub fn set_relation_stats(&mut self, oid: Oid, stats: RelationStats) -> Result<()> {
        self.forget_lookups();
        self.require_relation(oid)?;
        validate_relation_stats(&stats)?;
        self.stats.entry(oid).or_default().relation = stats;
        Ok(())
    }

    /// Records `pg_stats` of column `attnum` of relation `oid`.
    ///
    /// # Errors
    ///
    /// [`Error::UndefinedObject`] for an unknown relation or column;
    /// [`Error::InvalidDefinition`] for impossible numbers.
    pub fn set_column_stats(
        &mut self,
        oid: Oid,
        attnum: AttrNumber,
        stats: ColumnStats,
    ) -> Result<()> {
        self.forget_lookups();
        let rel = self.require_relation(oid)?;
        if rel.column_by_attnum(attnum.0).is_none_or(|c| c.dropped) {
            return Err(Error::UndefinedObject {
                kind: "column",
                name: format!("{}.{}", rel.name, attnum.0),
            });
        }
        validate_column_stats(&stats)?;
        self.stats
            .entry(oid)
            .or_default()
            .columns
            .insert(attnum.0, stats);
        Ok(())
    }

    fn require_relation(&self, oid: Oid) -> Result<&Relation> {
        self.relations
            .get(&oid)
            .ok_or_else(|| Error::UndefinedObject {
                kind: "relation",
                name: oid.to_string(),
            })
    }

    // ----- Snapshot support ----------------------------------------------

    pub(crate) fn to_parts(&self) -> CatalogParts {
        CatalogParts {
            major: self.major,
            next_oid: self.next_oid,
            current_user: self.current_user.clone(),
            superuser: self.superuser,
            schemas: self.schemas.values().cloned().collect(),
            extensions: self.extensions.values().cloned().collect(),
            types: self.types.values().cloned().collect(),
            functions: self.functions.values().cloned().collect(),
            aggregates: self.aggregates.values().cloned().collect(),
            operators: self.operators.values().cloned().collect(),
            relations: self.relations.values().cloned().collect(),
            wrappers: self.wrappers.values().cloned().collect(),
            servers: self.servers.values().cloned().collect(),
            user_mappings: self.user_mappings.values().cloned().collect(),
            stats: self.stats.clone(),
            settings: self.settings.explicit_values(),
        }
    }

    pub(crate) fn from_parts(parts: CatalogParts) -> Result<Catalog> {
        let mut cat = Catalog::new(parts.major)?;
        cat.next_oid = parts.next_oid;
        cat.current_user = parts.current_user;
        cat.superuser = parts.superuser;
        cat.schemas = parts.schemas.into_iter().map(|s| (s.oid, s)).collect();
        // Extensions in oid order, so required ones exist before their dependents.
        let mut exts = parts.extensions;
        exts.sort_by_key(|e| e.oid);
        for ext in &exts {
            cat.reinstantiate_extension(ext)?;
        }
        cat.types = parts.types.into_iter().map(|t| (t.oid, t)).collect();
        cat.functions = parts.functions.into_iter().map(|f| (f.oid, f)).collect();
        cat.aggregates = parts.aggregates.into_iter().map(|a| (a.oid, a)).collect();
        cat.operators = parts.operators.into_iter().map(|o| (o.oid, o)).collect();
        cat.relations = parts.relations.into_iter().map(|r| (r.oid, r)).collect();
        cat.wrappers = parts.wrappers.into_iter().map(|w| (w.oid, w)).collect();
        cat.servers = parts.servers.into_iter().map(|s| (s.oid, s)).collect();
        cat.user_mappings = parts
            .user_mappings
            .into_iter()
            .map(|m| (m.oid, m))
            .collect();
        for (oid, stats) in &parts.stats {
            if !cat.relations.contains_key(oid) {
                return Err(Error::Snapshot(format!(
                    "stats: relation {oid} does not exist"
                )));
            }
            validate_relation_stats(&stats.relation)
                .and_then(|()| stats.columns.values().try_for_each(validate_column_stats))
                .map_err(|e| Error::Snapshot(format!("stats.{oid}: {e}")))?;
        }
        cat.stats = parts.stats;
        for (name, value) in &parts.settings {
            cat.settings
                .set(name, value)
                .map_err(|e| Error::Snapshot(format!("settings.{name}: {e}")))?;
        }
        Ok(cat)
    }
}

/// Adds the rows of one list of extension `ext`'s objects, all of `class`,
/// to `index`; `oid` reads a row's oid.
fn index_rows<T>(
    index: &mut ExtensionIndex,
    ext: Oid,
    class: ObjectClass,
    rows: &[T],
    oid: fn(&T) -> Oid,
) {
    for (pos, row) in rows.iter().enumerate() {
        let holders = index.entry(oid(row)).or_default();
        // After the holders of lower extension oids and the earlier rows of
        // this one, so lookups meet them in a scan's order.
        let at = holders.partition_point(|h| h.extension <= ext);
        holders.insert(
            at,
            ExtensionObjectRef {
                extension: ext,
                class,
                pos,
            },
        );
    }
}

fn user_operator_info(o: &Operator) -> OperatorInfo {
    OperatorInfo {
        oid: o.oid,
        name: o.name.clone(),
        namespace: o.schema,
        kind: if o.left.is_invalid() {
            OperatorKind::Prefix
        } else {
            OperatorKind::Binary
        },
        left: o.left,
        right: o.right,
        result: o.result,
        code: o.function,
        commutator: o.commutator,
        negator: o.negator,
        restrict: Oid::INVALID,
        join: Oid::INVALID,
        can_merge: o.merges,
        can_hash: o.hashes,
    }
}

fn user_proc_info(f: &Function) -> ProcInfo {
    let all_in = f.args.iter().all(|a| a.mode == ArgMode::In);
    let any_named = f.args.iter().any(|a| a.name.is_some());
    ProcInfo {
        oid: f.oid,
        name: f.name.clone(),
        namespace: f.schema,
        kind: match f.kind {
            FunctionKind::Function => ProcKind::Function,
            FunctionKind::Procedure => ProcKind::Procedure,
            FunctionKind::Window => ProcKind::Window,
            FunctionKind::Aggregate => ProcKind::Aggregate,
        },
        volatility: match f.volatility {
            Volatility::Immutable => builtin::Volatility::Immutable,
            Volatility::Stable => builtin::Volatility::Stable,
            Volatility::Volatile => builtin::Volatility::Volatile,
        },
        strict: f.strict,
        returns_set: f.returns_set,
        return_type: f.return_type,
        arg_types: f.input_types(),
        all_arg_types: if all_in {
            Vec::new()
        } else {
            f.args.iter().map(|a| a.type_oid).collect()
        },
        arg_modes: if all_in {
            Vec::new()
        } else {
            f.args
                .iter()
                .map(|a| match a.mode {
                    ArgMode::In => builtin::ArgMode::In,
                    ArgMode::Out => builtin::ArgMode::Out,
                    ArgMode::InOut => builtin::ArgMode::InOut,
                    ArgMode::Variadic => builtin::ArgMode::Variadic,
                    ArgMode::Table => builtin::ArgMode::Table,
                })
                .collect()
        },
        arg_names: if any_named {
            f.args
                .iter()
                .map(|a| a.name.clone().unwrap_or_default())
                .collect()
        } else {
            Vec::new()
        },
        variadic: f
            .args
            .iter()
            .find(|a| a.mode == ArgMode::Variadic)
            .map_or(Oid::INVALID, |a| a.type_oid),
        n_arg_defaults: u16::try_from(f.args.iter().filter(|a| a.default.is_some()).count())
            .unwrap_or(u16::MAX),
        cost: f.cost,
        rows: f.rows,
        leakproof: false,
        has_support: false,
    }
}

fn mark_dropped(c: &mut Column) {
    c.dropped = true;
    c.name = format!("........pg.dropped.{}........", c.attnum);
    c.type_oid = Oid::INVALID;
    c.default = None;
    c.generated = None;
    c.options = OptionList::new();
}

fn depends_error(kind: &str, name: &str) -> Error {
    Error::InvalidDefinition(format!(
        "cannot drop {kind} {name} because other objects depend on it"
    ))
}

fn qualified(schema: Option<&str>, name: &str) -> String {
    match schema {
        Some(s) => format!("{s}.{name}"),
        None => name.to_string(),
    }
}

fn qualified_bare(schema: Option<&str>, name: &str) -> String {
    qualified(schema, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The materialised rows of user types equal rows built afresh after
    /// every kind of change they depend on (creation, renaming, dropping,
    /// a domain over an extension's type, the extension dropped).
    #[test]
    fn user_type_rows_follow_changes() -> Result<()> {
        fn check(cat: &Catalog) {
            for t in cat.types.values() {
                assert_eq!(
                    cat.type_info(t.oid).map(Cow::into_owned),
                    Some(cat.user_type_info(t)),
                    "{}",
                    t.name
                );
            }
        }
        let mut cat = Catalog::new(15)?;
        let steps = [
            "CREATE TYPE mood AS ENUM ('sad', 'ok');",
            "CREATE TABLE t (a int);",
            "CREATE DOMAIN d AS mood;",
            "ALTER TABLE t RENAME TO u;",
            "CREATE EXTENSION cube;",
            "CREATE DOMAIN dc AS cube;",
            "DROP DOMAIN d;",
            "DROP TABLE u;",
        ];
        for step in steps {
            crate::ddl::load(&mut cat, step)?;
            check(&cat);
        }
        let renamed = cat.resolve_type(None, "dc")?;
        assert_eq!(cat.type_info(renamed).map(|t| t.category), Some('U'));
        Ok(())
    }

    /// Every object of every created extension is found through the index,
    /// as the row of its own extension's list, and nothing else is indexed.
    fn check_index(cat: &Catalog) {
        let mut n_rows = 0;
        for (&ext, objs) in &cat.extension_objects {
            n_rows += objs.types.len()
                + objs.procs.len()
                + objs.operators.len()
                + objs.casts.len()
                + objs.opfamilies.len()
                + objs.opclasses.len()
                + objs.amops.len();
            for t in &objs.types {
                assert_eq!(cat.type_info(t.oid).as_deref(), Some(t), "type {}", t.oid);
            }
            for p in &objs.procs {
                assert_eq!(cat.proc_info(p.oid).as_deref(), Some(p), "proc {}", p.oid);
                let member = !objs.non_members.contains(&p.oid);
                assert_eq!(
                    cat.extension_of(ObjectClass::Proc, p.oid),
                    member.then_some(ext),
                    "proc {}",
                    p.oid
                );
            }
            for o in &objs.operators {
                assert_eq!(
                    cat.operator_info(o.oid).as_deref(),
                    Some(o),
                    "operator {}",
                    o.oid
                );
            }
            for c in &objs.casts {
                assert!(cat.object_exists(ObjectRef {
                    class: ObjectClass::Cast,
                    oid: c.oid
                }));
            }
        }
        let n_indexed: usize = cat.extension_index.values().map(Vec::len).sum();
        assert_eq!(n_indexed, n_rows);
    }

    #[test]
    fn extension_index_follows_create_drop_and_snapshots() {
        let mut cat = Catalog::new(15).unwrap();
        let cube = cat.create_extension("cube", None, false).unwrap();
        let hstore = cat.create_extension("hstore", None, false).unwrap();
        cat.create_extension("earthdistance", None, false).unwrap();
        check_index(&cat);
        let hstore_procs: Vec<Oid> = cat.extension_objects[&hstore]
            .procs
            .iter()
            .map(|p| p.oid)
            .collect();
        assert!(!hstore_procs.is_empty());

        cat.drop_extension("hstore", false, false).unwrap();
        check_index(&cat);
        for oid in hstore_procs {
            assert_eq!(cat.proc_info(oid), None, "proc {oid}");
            assert_eq!(cat.extension_of(ObjectClass::Proc, oid), None);
        }

        let back = Catalog::from_parts(cat.to_parts()).unwrap();
        assert_eq!(back, cat);
        assert_eq!(back.extension_index, cat.extension_index);
        check_index(&back);

        cat.drop_extension("cube", false, true).unwrap();
        assert!(cat.extension_index.is_empty());
        assert!(cat.extension_objects(cube).is_none());
    }
}
