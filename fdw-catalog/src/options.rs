//! Options of foreign-data objects, validated as postgres_fdw validates them.
//!
//! postgres_fdw accepts every libpq connection keyword of the libpq it was
//! built with (except debug options, `client_encoding` and
//! `fallback_application_name`, which it sets itself) plus its own options.
//! `user` and secret keywords (`password`, `sslpassword`) belong to user
//! mappings, the other libpq keywords to servers. The table is versioned by
//! PostgreSQL major: an option that a version lacks is unknown there, with
//! the same error as any misspelling.
//!
//! Value checks follow `postgres_fdw_validator`: booleans through
//! `defGetBoolean` (only `true`/`false`/`on`/`off`, any case: option values
//! are strings, never the integers `parse_bool` would also take), costs
//! through `parse_real`, sizes through `parse_int`, `extensions` through
//! `SplitIdentifierString`. The error texts are PostgreSQL's.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The kind of object an option is given on (the `catalog` argument of the validator).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptionContext {
    /// `CREATE FOREIGN DATA WRAPPER ... OPTIONS`.
    Wrapper,
    /// `CREATE SERVER ... OPTIONS`.
    Server,
    /// `CREATE USER MAPPING ... OPTIONS`.
    UserMapping,
    /// `CREATE FOREIGN TABLE ... OPTIONS`.
    ForeignTable,
    /// A foreign table column's `OPTIONS`.
    Column,
}

impl OptionContext {
    /// The noun used in messages.
    pub fn noun(self) -> &'static str {
        match self {
            OptionContext::Wrapper => "foreign-data wrapper",
            OptionContext::Server => "server",
            OptionContext::UserMapping => "user mapping",
            OptionContext::ForeignTable => "foreign table",
            OptionContext::Column => "column",
        }
    }
}

/// One option as stored on an object. A secret (`password`, `sslpassword`)
/// is recorded as set, without its value, so no snapshot, message or log
/// can ever show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionEntry {
    /// The option name, as PostgreSQL stores it (case-sensitive).
    pub name: String,
    /// The value; `None` for a secret, which is only known to be set.
    pub value: Option<String>,
}

/// An object's options in definition order, as PostgreSQL keeps them
/// (`ADD` appends, `SET` replaces in place, `DROP` removes).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OptionList {
    entries: Vec<OptionEntry>,
}

impl OptionList {
    /// An empty list.
    pub fn new() -> OptionList {
        OptionList::default()
    }

    /// The entries in order.
    pub fn entries(&self) -> &[OptionEntry] {
        &self.entries
    }

    /// True when no option is set.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// True when `name` is set (secrets included).
    pub fn is_set(&self, name: &str) -> bool {
        self.entries.iter().any(|e| e.name == name)
    }

    /// The value of `name`; `None` when unset or secret.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|e| e.name == name)
            .and_then(|e| e.value.as_deref())
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.entries.iter().position(|e| e.name == name)
    }

    fn push(&mut self, name: &str, value: &str) {
        self.entries.push(OptionEntry {
            name: name.to_string(),
            value: stored_value(name, value),
        });
    }
}

/// What an `OPTIONS (...)` item does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OptionAction {
    /// `ADD name 'value'`, or a bare `name 'value'`.
    Add,
    /// `SET name 'value'`.
    Set,
    /// `DROP name`.
    Drop,
}

/// One item of an `OPTIONS (...)` clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionChange {
    /// ADD, SET or DROP.
    pub action: OptionAction,
    /// The option name.
    pub name: String,
    /// The value; ignored for DROP.
    pub value: String,
}

impl OptionChange {
    /// `ADD name 'value'` (also what a CREATE statement's options are).
    pub fn add(name: &str, value: &str) -> OptionChange {
        OptionChange {
            action: OptionAction::Add,
            name: name.to_string(),
            value: value.to_string(),
        }
    }

    /// `SET name 'value'`.
    pub fn set(name: &str, value: &str) -> OptionChange {
        OptionChange {
            action: OptionAction::Set,
            name: name.to_string(),
            value: value.to_string(),
        }
    }

    /// `DROP name`.
    pub fn drop(name: &str) -> OptionChange {
        OptionChange {
            action: OptionAction::Drop,
            name: name.to_string(),
            value: String::new(),
        }
    }
}

/// Something PostgreSQL reports as a WARNING (or NOTICE) and carries on:
/// callers may show it; it never changes the outcome.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// The message, in PostgreSQL's words.
    pub message: String,
}

/// How an option's value is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OptionCheck {
    /// Anything goes (connection keywords: libpq checks them at connect time).
    Any,
    /// `defGetBoolean`.
    Bool,
    /// `parse_real`, then `>= 0`.
    NonNegativeReal,
    /// `parse_int`, then `> 0`.
    PositiveInt,
    /// `SplitIdentifierString`, then a warning per extension not installed.
    Extensions,
    /// `off`, `auto`, `random`, `system`, `bernoulli` (PostgreSQL 16+).
    AnalyzeSampling,
    /// A boolean that only a superuser may set to false.
    PasswordRequired,
    /// Superuser-only on a user mapping (`sslcert`, `sslkey`).
    SuperuserOnUserMapping,
}

/// One option postgres_fdw accepts in one context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionDef {
    /// The keyword.
    pub name: &'static str,
    /// Where it may be given.
    pub context: OptionContext,
    /// True for libpq connection keywords (passed to the connection).
    pub libpq: bool,
    /// True for secrets, whose value is never recorded.
    pub secret: bool,
    /// The value check.
    pub check: OptionCheck,
}

/// How a libpq keyword is treated by postgres_fdw.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LibpqKind {
    /// A server option.
    Normal,
    /// `user`: user mappings only.
    User,
    /// A secret (`*` display char): user mappings only, value never stored.
    Secret,
    /// Hidden (debug) or set by postgres_fdw itself: refused everywhere.
    Refused,
}

/// libpq's `PQconninfoOptions` in its own order: keyword, treatment, first
/// major that has it, first major that no longer has it.
const LIBPQ_OPTIONS: &[(&str, LibpqKind, u32, u32)] = &[
    ("service", LibpqKind::Normal, 0, u32::MAX),
    ("user", LibpqKind::User, 0, u32::MAX),
    ("password", LibpqKind::Secret, 0, u32::MAX),
    ("passfile", LibpqKind::Normal, 0, u32::MAX),
    ("channel_binding", LibpqKind::Normal, 13, u32::MAX),
    ("connect_timeout", LibpqKind::Normal, 0, u32::MAX),
    ("dbname", LibpqKind::Normal, 0, u32::MAX),
    ("host", LibpqKind::Normal, 0, u32::MAX),
    ("hostaddr", LibpqKind::Normal, 0, u32::MAX),
    ("port", LibpqKind::Normal, 0, u32::MAX),
    ("client_encoding", LibpqKind::Refused, 0, u32::MAX),
    ("tty", LibpqKind::Refused, 0, 14),
    ("options", LibpqKind::Normal, 0, u32::MAX),
    ("application_name", LibpqKind::Normal, 0, u32::MAX),
    ("fallback_application_name", LibpqKind::Refused, 0, u32::MAX),
    ("keepalives", LibpqKind::Normal, 0, u32::MAX),
    ("keepalives_idle", LibpqKind::Normal, 0, u32::MAX),
    ("keepalives_interval", LibpqKind::Normal, 0, u32::MAX),
    ("keepalives_count", LibpqKind::Normal, 0, u32::MAX),
    ("tcp_user_timeout", LibpqKind::Normal, 12, u32::MAX),
    ("sslmode", LibpqKind::Normal, 0, u32::MAX),
    ("sslnegotiation", LibpqKind::Normal, 17, u32::MAX),
    ("sslcompression", LibpqKind::Normal, 0, u32::MAX),
    ("sslcert", LibpqKind::Normal, 0, u32::MAX),
    ("sslkey", LibpqKind::Normal, 0, u32::MAX),
    ("sslcertmode", LibpqKind::Normal, 16, u32::MAX),
    ("sslpassword", LibpqKind::Secret, 13, u32::MAX),
    ("sslrootcert", LibpqKind::Normal, 0, u32::MAX),
    ("sslcrl", LibpqKind::Normal, 0, u32::MAX),
    ("sslcrldir", LibpqKind::Normal, 14, u32::MAX),
    ("sslsni", LibpqKind::Normal, 14, u32::MAX),
    ("requirepeer", LibpqKind::Normal, 0, u32::MAX),
    ("require_auth", LibpqKind::Normal, 16, u32::MAX),
    ("ssl_min_protocol_version", LibpqKind::Normal, 13, u32::MAX),
    ("ssl_max_protocol_version", LibpqKind::Normal, 13, u32::MAX),
    ("gssencmode", LibpqKind::Normal, 12, u32::MAX),
    ("krbsrvname", LibpqKind::Normal, 0, u32::MAX),
    ("gsslib", LibpqKind::Normal, 0, u32::MAX),
    ("gssdelegation", LibpqKind::Normal, 16, u32::MAX),
    ("replication", LibpqKind::Refused, 0, u32::MAX),
    ("target_session_attrs", LibpqKind::Normal, 0, u32::MAX),
    ("load_balance_hosts", LibpqKind::Normal, 16, u32::MAX),
];

/// postgres_fdw's own options in `non_libpq_options` order: keyword,
/// context, check, first major that has it, libpq flag.
const FDW_OPTIONS: &[(&str, OptionContext, OptionCheck, u32, bool)] = &[
    (
        "schema_name",
        OptionContext::ForeignTable,
        OptionCheck::Any,
        0,
        false,
    ),
    (
        "table_name",
        OptionContext::ForeignTable,
        OptionCheck::Any,
        0,
        false,
    ),
    (
        "column_name",
        OptionContext::Column,
        OptionCheck::Any,
        0,
        false,
    ),
    (
        "use_remote_estimate",
        OptionContext::Server,
        OptionCheck::Bool,
        0,
        false,
    ),
    (
        "use_remote_estimate",
        OptionContext::ForeignTable,
        OptionCheck::Bool,
        0,
        false,
    ),
    (
        "fdw_startup_cost",
        OptionContext::Server,
        OptionCheck::NonNegativeReal,
        0,
        false,
    ),
    (
        "fdw_tuple_cost",
        OptionContext::Server,
        OptionCheck::NonNegativeReal,
        0,
        false,
    ),
    (
        "extensions",
        OptionContext::Server,
        OptionCheck::Extensions,
        0,
        false,
    ),
    (
        "updatable",
        OptionContext::Server,
        OptionCheck::Bool,
        0,
        false,
    ),
    (
        "updatable",
        OptionContext::ForeignTable,
        OptionCheck::Bool,
        0,
        false,
    ),
    (
        "truncatable",
        OptionContext::Server,
        OptionCheck::Bool,
        14,
        false,
    ),
    (
        "truncatable",
        OptionContext::ForeignTable,
        OptionCheck::Bool,
        14,
        false,
    ),
    (
        "fetch_size",
        OptionContext::Server,
        OptionCheck::PositiveInt,
        0,
        false,
    ),
    (
        "fetch_size",
        OptionContext::ForeignTable,
        OptionCheck::PositiveInt,
        0,
        false,
    ),
    (
        "batch_size",
        OptionContext::Server,
        OptionCheck::PositiveInt,
        14,
        false,
    ),
    (
        "batch_size",
        OptionContext::ForeignTable,
        OptionCheck::PositiveInt,
        14,
        false,
    ),
    (
        "async_capable",
        OptionContext::Server,
        OptionCheck::Bool,
        14,
        false,
    ),
    (
        "async_capable",
        OptionContext::ForeignTable,
        OptionCheck::Bool,
        14,
        false,
    ),
    (
        "parallel_commit",
        OptionContext::Server,
        OptionCheck::Bool,
        15,
        false,
    ),
    (
        "parallel_abort",
        OptionContext::Server,
        OptionCheck::Bool,
        16,
        false,
    ),
    (
        "keep_connections",
        OptionContext::Server,
        OptionCheck::Bool,
        14,
        false,
    ),
    (
        "password_required",
        OptionContext::UserMapping,
        OptionCheck::PasswordRequired,
        0,
        false,
    ),
    (
        "analyze_sampling",
        OptionContext::Server,
        OptionCheck::AnalyzeSampling,
        16,
        false,
    ),
    (
        "analyze_sampling",
        OptionContext::ForeignTable,
        OptionCheck::AnalyzeSampling,
        16,
        false,
    ),
    (
        "sslcert",
        OptionContext::UserMapping,
        OptionCheck::SuperuserOnUserMapping,
        0,
        true,
    ),
    (
        "sslkey",
        OptionContext::UserMapping,
        OptionCheck::SuperuserOnUserMapping,
        0,
        true,
    ),
    (
        "gssdelegation",
        OptionContext::UserMapping,
        OptionCheck::Any,
        16,
        true,
    ),
];

/// Every option postgres_fdw of PostgreSQL `major` accepts, in the order
/// its validator lists them (libpq keywords first, then its own).
pub fn option_defs(major: u32) -> Vec<OptionDef> {
    let mut defs = Vec::new();
    for &(name, kind, since, until) in LIBPQ_OPTIONS {
        if major < since || major >= until {
            continue;
        }
        let context = match kind {
            LibpqKind::Normal => OptionContext::Server,
            LibpqKind::User | LibpqKind::Secret => OptionContext::UserMapping,
            LibpqKind::Refused => continue,
        };
        defs.push(OptionDef {
            name,
            context,
            libpq: true,
            secret: kind == LibpqKind::Secret,
            check: value_check(name),
        });
    }
    for &(name, context, check, since, libpq) in FDW_OPTIONS {
        if major >= since {
            defs.push(OptionDef {
                name,
                context,
                libpq,
                secret: false,
                check,
            });
        }
    }
    defs
}

/// The validator checks values by keyword, whatever the context.
fn value_check(name: &str) -> OptionCheck {
    FDW_OPTIONS
        .iter()
        .find(|o| o.0 == name)
        .map_or(OptionCheck::Any, |o| o.2)
}

/// The option names valid in `context` for PostgreSQL `major`, in PostgreSQL's order.
pub fn valid_option_names(major: u32, context: OptionContext) -> Vec<&'static str> {
    option_defs(major)
        .into_iter()
        .filter(|d| d.context == context)
        .map(|d| d.name)
        .collect()
}

/// True when `name` is a libpq connection keyword postgres_fdw passes on
/// (`ExtractConnectionOptions`).
pub fn is_connection_option(major: u32, name: &str) -> bool {
    option_defs(major).iter().any(|d| d.libpq && d.name == name)
}

/// True for options whose value is a secret and never recorded. Besides
/// libpq's secret keywords this covers any `...password` of another
/// wrapper, to err on the side of not keeping a secret.
pub fn is_secret_option(name: &str) -> bool {
    name.ends_with("password")
}

fn stored_value(name: &str, value: &str) -> Option<String> {
    if is_secret_option(name) {
        None
    } else {
        Some(value.to_string())
    }
}

/// What validation needs to know beyond the options themselves.
#[derive(Debug, Clone, Copy)]
pub struct ValidationEnv<'a> {
    /// The PostgreSQL major whose option table applies.
    pub major: u32,
    /// Whether the session running the DDL is a superuser.
    pub superuser: bool,
    /// Installed extensions, by name (for the `extensions` warning).
    pub installed_extensions: &'a [&'a str],
}

/// Applies `changes` to `current` with `ALTER ... OPTIONS` semantics and
/// returns the new list; validation is separate ([`validate_options`]).
///
/// # Errors
///
/// [`Error::DuplicateOption`] for ADD of an option already set (or given
/// twice), [`Error::OptionNotFound`] for SET or DROP of one not set.
pub fn apply_option_changes(current: &OptionList, changes: &[OptionChange]) -> Result<OptionList> {
    let mut list = current.clone();
    for change in changes {
        let pos = list.position(&change.name);
        match (change.action, pos) {
            (OptionAction::Add, Some(_)) => {
                return Err(Error::DuplicateOption {
                    option: change.name.clone(),
                })
            }
            (OptionAction::Add, None) => list.push(&change.name, &change.value),
            (OptionAction::Set | OptionAction::Drop, None) => {
                return Err(Error::OptionNotFound {
                    option: change.name.clone(),
                })
            }
            (OptionAction::Set, Some(i)) => {
                list.entries[i].value = stored_value(&change.name, &change.value);
            }
            (OptionAction::Drop, Some(i)) => {
                list.entries.remove(i);
            }
        }
    }
    Ok(list)
}

/// Checks every option of `list` as `postgres_fdw_validator` does for an
/// object in `context`, in list order, stopping at the first error.
/// Returns the warnings PostgreSQL would print (extensions not installed).
///
/// # Errors
///
/// [`Error::UnknownOption`] (listing the valid options) for an option not
/// valid in `context` in this major; [`Error::InvalidValue`] with
/// PostgreSQL's message for a value that fails its check.
pub fn validate_options(
    list: &OptionList,
    context: OptionContext,
    env: &ValidationEnv<'_>,
) -> Result<Vec<Warning>> {
    let defs = option_defs(env.major);
    let mut warnings = Vec::new();
    for entry in list.entries() {
        let Some(def) = defs
            .iter()
            .find(|d| d.context == context && d.name == entry.name)
        else {
            let valid: Vec<&str> = defs
                .iter()
                .filter(|d| d.context == context)
                .map(|d| d.name)
                .collect();
            if valid.is_empty() {
                return Err(Error::InvalidDefinition(format!(
                    "invalid option \"{}\"; there are no valid options in this context",
                    entry.name
                )));
            }
            return Err(Error::UnknownOption {
                option: entry.name.clone(),
                object: context.noun(),
                valid: valid.join(", "),
            });
        };
        let Some(value) = entry.value.as_deref() else {
            // A secret: no check looks at its value.
            continue;
        };
        check_value(def, context, value, env, &mut warnings)?;
    }
    Ok(warnings)
}

fn check_value(
    def: &OptionDef,
    context: OptionContext,
    value: &str,
    env: &ValidationEnv<'_>,
    warnings: &mut Vec<Warning>,
) -> Result<()> {
    let invalid = |message: String| Error::InvalidValue {
        name: def.name.to_string(),
        message,
    };
    match def.check {
        OptionCheck::Any => {}
        OptionCheck::Bool => {
            if def_get_boolean(value).is_none() {
                return Err(invalid(format!("{} requires a Boolean value", def.name)));
            }
        }
        OptionCheck::NonNegativeReal => match parse_real(value) {
            None => {
                return Err(invalid(format!(
                    "invalid value for floating point option \"{}\": {value}",
                    def.name
                )))
            }
            Some(v) if v < 0.0 => {
                return Err(invalid(format!(
                    "\"{}\" must be a floating point value greater than or equal to zero",
                    def.name
                )))
            }
            Some(_) => {}
        },
        OptionCheck::PositiveInt => match parse_int(value) {
            None => {
                return Err(invalid(format!(
                    "invalid value for integer option \"{}\": {value}",
                    def.name
                )))
            }
            Some(v) if v <= 0 => {
                return Err(invalid(format!(
                    "\"{}\" must be an integer value greater than zero",
                    def.name
                )))
            }
            Some(_) => {}
        },
        OptionCheck::Extensions => {
            let Some(names) = split_identifier_string(value, ',') else {
                return Err(invalid(
                    "parameter \"extensions\" must be a list of extension names".to_string(),
                ));
            };
            for name in names {
                if !env.installed_extensions.contains(&name.as_str()) {
                    warnings.push(Warning {
                        message: format!("extension \"{name}\" is not installed"),
                    });
                }
            }
        }
        OptionCheck::AnalyzeSampling => {
            if AnalyzeSampling::parse(value).is_none() {
                return Err(invalid(format!(
                    "invalid value for string option \"{}\": {value}",
                    def.name
                )));
            }
        }
        OptionCheck::PasswordRequired => {
            let Some(required) = def_get_boolean(value) else {
                return Err(invalid(format!("{} requires a Boolean value", def.name)));
            };
            if !env.superuser && !required {
                return Err(invalid(
                    "password_required=false is superuser-only".to_string(),
                ));
            }
        }
        OptionCheck::SuperuserOnUserMapping => {
            if context == OptionContext::UserMapping && !env.superuser {
                return Err(invalid("sslcert and sslkey are superuser-only".to_string()));
            }
        }
    }
    Ok(())
}

/// `analyze_sampling` (PostgreSQL 16+): how ANALYZE samples remote rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnalyzeSampling {
    /// Fetch all rows and sample locally.
    Off,
    /// Pick a method from the remote version (the default).
    Auto,
    /// `WHERE random() < fraction`.
    Random,
    /// `TABLESAMPLE SYSTEM`.
    System,
    /// `TABLESAMPLE BERNOULLI`.
    Bernoulli,
}

impl AnalyzeSampling {
    /// Parses a value as postgres_fdw does (case-insensitive).
    pub fn parse(value: &str) -> Option<AnalyzeSampling> {
        match value.to_ascii_lowercase().as_str() {
            "off" => Some(AnalyzeSampling::Off),
            "auto" => Some(AnalyzeSampling::Auto),
            "random" => Some(AnalyzeSampling::Random),
            "system" => Some(AnalyzeSampling::System),
            "bernoulli" => Some(AnalyzeSampling::Bernoulli),
            _ => None,
        }
    }
}

/// The options that steer planning and execution of one foreign scan,
/// with postgres_fdw's defaults and precedence applied (a table's option
/// wins over its server's for `use_remote_estimate`, `fetch_size`,
/// `batch_size`, `updatable`, `truncatable`, `async_capable` and
/// `analyze_sampling`).
#[derive(Debug, Clone, PartialEq)]
pub struct FdwOptions {
    /// `use_remote_estimate` (default false).
    pub use_remote_estimate: bool,
    /// `fdw_startup_cost` (default 100).
    pub fdw_startup_cost: f64,
    /// `fdw_tuple_cost` (default 0.01 up to PostgreSQL 16, 0.2 from 17).
    pub fdw_tuple_cost: f64,
    /// The names in the server's `extensions`, parsed; which of them are
    /// installed is the catalog's business ([`crate::catalog::Catalog::shippable_extensions`]).
    pub extensions: Vec<String>,
    /// `fetch_size` (default 100).
    pub fetch_size: i32,
    /// `batch_size` (default 1).
    pub batch_size: i32,
    /// `updatable` (default true).
    pub updatable: bool,
    /// `truncatable` (default true).
    pub truncatable: bool,
    /// `async_capable` (default false).
    pub async_capable: bool,
    /// `keep_connections` (default true).
    pub keep_connections: bool,
    /// `parallel_commit` (default false).
    pub parallel_commit: bool,
    /// `parallel_abort` (default false).
    pub parallel_abort: bool,
    /// `analyze_sampling` (default auto).
    pub analyze_sampling: AnalyzeSampling,
}

impl FdwOptions {
    /// postgres_fdw's defaults in PostgreSQL `major`.
    pub fn defaults(major: u32) -> FdwOptions {
        FdwOptions {
            use_remote_estimate: false,
            fdw_startup_cost: 100.0,
            fdw_tuple_cost: if major >= 17 { 0.2 } else { 0.01 },
            extensions: Vec::new(),
            fetch_size: 100,
            batch_size: 1,
            updatable: true,
            truncatable: true,
            async_capable: false,
            keep_connections: true,
            parallel_commit: false,
            parallel_abort: false,
            analyze_sampling: AnalyzeSampling::Auto,
        }
    }

    /// The options of a scan of a table with `table` options on a server
    /// with `server` options (`None` for a join or a server-level question).
    /// Values are parsed the way postgres_fdw parses them at planning
    /// time; a value that does not parse (it passed no validator) leaves
    /// the default, where PostgreSQL would read garbage.
    pub fn resolve(major: u32, server: &OptionList, table: Option<&OptionList>) -> FdwOptions {
        let mut opts = FdwOptions::defaults(major);
        opts.apply(server);
        if let Some(table) = table {
            opts.apply(table);
        }
        opts
    }

    fn apply(&mut self, list: &OptionList) {
        for entry in list.entries() {
            let Some(value) = entry.value.as_deref() else {
                continue;
            };
            match entry.name.as_str() {
                "use_remote_estimate" => set_bool(&mut self.use_remote_estimate, value),
                "updatable" => set_bool(&mut self.updatable, value),
                "truncatable" => set_bool(&mut self.truncatable, value),
                "async_capable" => set_bool(&mut self.async_capable, value),
                "keep_connections" => set_bool(&mut self.keep_connections, value),
                "parallel_commit" => set_bool(&mut self.parallel_commit, value),
                "parallel_abort" => set_bool(&mut self.parallel_abort, value),
                "fdw_startup_cost" => {
                    if let Some(v) = parse_real(value) {
                        self.fdw_startup_cost = v;
                    }
                }
                "fdw_tuple_cost" => {
                    if let Some(v) = parse_real(value) {
                        self.fdw_tuple_cost = v;
                    }
                }
                "fetch_size" => {
                    if let Some(v) = parse_int(value) {
                        self.fetch_size = v;
                    }
                }
                "batch_size" => {
                    if let Some(v) = parse_int(value) {
                        self.batch_size = v;
                    }
                }
                "extensions" => {
                    self.extensions = split_identifier_string(value, ',').unwrap_or_default();
                }
                "analyze_sampling" => {
                    if let Some(v) = AnalyzeSampling::parse(value) {
                        self.analyze_sampling = v;
                    }
                }
                _ => {}
            }
        }
    }
}

fn set_bool(slot: &mut bool, value: &str) {
    if let Some(v) = def_get_boolean(value) {
        *slot = v;
    }
}

/// `defGetBoolean` on a string value: `true`/`on` and `false`/`off` in any case.
pub fn def_get_boolean(value: &str) -> Option<bool> {
    if value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("on") {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") || value.eq_ignore_ascii_case("off") {
        Some(false)
    } else {
        None
    }
}

/// PostgreSQL's `parse_bool`, which boolean settings use: `true`, `false`,
/// `yes`, `no` and their unique prefixes, `on`, `off` (at least two
/// letters, since `o` is ambiguous), `1`, `0`; any case, surrounding
/// whitespace allowed.
pub fn parse_bool(value: &str) -> Option<bool> {
    let v = value.trim_matches(|c: char| c.is_ascii_whitespace());
    let lower = v.to_ascii_lowercase();
    let prefix_of = |word: &str| !lower.is_empty() && word.starts_with(lower.as_str());
    match lower.as_bytes().first() {
        Some(b't') if prefix_of("true") => Some(true),
        Some(b'f') if prefix_of("false") => Some(false),
        Some(b'y') if prefix_of("yes") => Some(true),
        Some(b'n') if prefix_of("no") => Some(false),
        Some(b'o') if lower.len() >= 2 && "on".starts_with(lower.as_str()) => Some(true),
        Some(b'o') if lower.len() >= 2 && "off".starts_with(lower.as_str()) => Some(false),
        Some(b'1') if lower.len() == 1 => Some(true),
        Some(b'0') if lower.len() == 1 => Some(false),
        _ => None,
    }
}

/// The C library's `isspace` in the C locale.
fn is_c_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// PostgreSQL's `parse_int` without units: `strtol` with base 0 (so `0x1f`
/// and octal `017` work), falling back to a float rounded half to even
/// when the number has a fraction or exponent; trailing whitespace allowed;
/// must fit in `int4`.
pub fn parse_int(value: &str) -> Option<i32> {
    let v = parse_int_number(value)?;
    let (number, rest) = v;
    if !rest.trim_start_matches(is_c_space).is_empty() {
        return None;
    }
    to_int4(number)
}

/// Rounds like `rint` and checks the `int4` range.
pub(crate) fn to_int4(number: f64) -> Option<i32> {
    let rounded = number.round_ties_even();
    if rounded.is_nan() || rounded > f64::from(i32::MAX) || rounded < f64::from(i32::MIN) {
        return None;
    }
    // In range and integral, so the conversion is exact.
    #[allow(clippy::cast_possible_truncation, reason = "range checked just above")]
    Some(rounded as i32)
}

/// The numeric prefix of an integer setting: the value (as a float, to
/// allow the fractional fallback) and the unparsed rest.
pub(crate) fn parse_int_number(value: &str) -> Option<(f64, &str)> {
    let s = value.trim_start_matches(is_c_space);
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    // strtol with base 0.
    let (radix, digits_start) = if (body.starts_with("0x") || body.starts_with("0X"))
        && body[2..].starts_with(|c: char| c.is_ascii_hexdigit())
    {
        (16, 2)
    } else if body.starts_with('0') {
        (8, 0)
    } else {
        (10, 0)
    };
    let digits = &body[digits_start..];
    let len = digits
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(digits.len());
    if len == 0 {
        return float_prefix(s);
    }
    let rest = &digits[len..];
    if rest.starts_with(['.', 'e', 'E']) {
        return float_prefix(s);
    }
    let Ok(magnitude) = i64::from_str_radix(&digits[..len], radix) else {
        // Overflow: strtol's ERANGE sends PostgreSQL to strtod as well.
        return float_prefix(s);
    };
    #[allow(clippy::cast_precision_loss, reason = "range is checked by the caller")]
    let number = magnitude as f64;
    Some((if neg { -number } else { number }, rest))
}

/// `strtod`'s longest numeric prefix of `s` (which starts at the number).
fn float_prefix(s: &str) -> Option<(f64, &str)> {
    let bytes = s.as_bytes();
    let mut end = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        end = 1;
    }
    let lower = s[end..].to_ascii_lowercase();
    for word in ["infinity", "inf", "nan"] {
        if lower.starts_with(word) {
            let len = end + word.len();
            let value: f64 = s[..len].parse().ok()?;
            return Some((value, &s[len..]));
        }
    }
    let mantissa_start = end;
    while end < bytes.len() && bytes[end].is_ascii_digit() {
        end += 1;
    }
    if end < bytes.len() && bytes[end] == b'.' {
        end += 1;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
    }
    let mantissa = &s[mantissa_start..end];
    if mantissa.is_empty() || mantissa == "." {
        return None;
    }
    if end < bytes.len() && (bytes[end] == b'e' || bytes[end] == b'E') {
        let mut exp_end = end + 1;
        if exp_end < bytes.len() && (bytes[exp_end] == b'+' || bytes[exp_end] == b'-') {
            exp_end += 1;
        }
        let digits_start = exp_end;
        while exp_end < bytes.len() && bytes[exp_end].is_ascii_digit() {
            exp_end += 1;
        }
        if exp_end > digits_start {
            end = exp_end;
        }
    }
    let value: f64 = s[..end].parse().ok()?;
    if value.is_infinite() {
        // strtod reports ERANGE on overflow; PostgreSQL refuses the value.
        return None;
    }
    Some((value, &s[end..]))
}

/// PostgreSQL's `parse_real` without units: `strtod`, trailing whitespace
/// allowed, NaN refused.
pub fn parse_real(value: &str) -> Option<f64> {
    let s = value.trim_start_matches(is_c_space);
    let (number, rest) = float_prefix(s)?;
    if number.is_nan() || !rest.trim_start_matches(is_c_space).is_empty() {
        return None;
    }
    Some(number)
}

/// The longest identifier PostgreSQL keeps (`NAMEDATALEN - 1` bytes).
pub const MAX_IDENTIFIER_BYTES: usize = 63;

/// PostgreSQL's `SplitIdentifierString`: a `separator`-separated list of
/// identifiers; unquoted ones are trimmed and down-cased (ASCII only, as
/// in a UTF-8 database), double-quoted ones keep their case with `""` for
/// a quote; names are truncated to 63 bytes. `None` on a syntax error
/// (mismatched quote, empty unquoted name, junk after a name).
pub fn split_identifier_string(value: &str, separator: char) -> Option<Vec<String>> {
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c');
    let mut names = Vec::new();
    let mut rest = value.trim_start_matches(is_space);
    if rest.is_empty() {
        return Some(names);
    }
    loop {
        let name;
        if let Some(after_quote) = rest.strip_prefix('"') {
            let mut buf = String::new();
            let mut chars = after_quote.char_indices();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                if c == '"' {
                    if after_quote[i + 1..].starts_with('"') {
                        buf.push('"');
                        chars.next();
                    } else {
                        end = Some(i + 1);
                        break;
                    }
                } else {
                    buf.push(c);
                }
            }
            let end = end?;
            name = buf;
            rest = &after_quote[end..];
        } else {
            let len = rest
                .find(|c: char| c == separator || is_space(c))
                .unwrap_or(rest.len());
            if len == 0 {
                return None;
            }
            name = rest[..len].to_ascii_lowercase();
            rest = &rest[len..];
        }
        rest = rest.trim_start_matches(is_space);
        names.push(truncate_identifier(&name));
        if let Some(after) = rest.strip_prefix(separator) {
            rest = after.trim_start_matches(is_space);
        } else if rest.is_empty() {
            return Some(names);
        } else {
            return None;
        }
    }
}

/// Truncates to [`MAX_IDENTIFIER_BYTES`] on a character boundary.
pub fn truncate_identifier(name: &str) -> String {
    if name.len() <= MAX_IDENTIFIER_BYTES {
        return name.to_string();
    }
    let mut end = MAX_IDENTIFIER_BYTES;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_options_of_15_in_postgres_order() {
        let names = valid_option_names(15, OptionContext::Server).join(", ");
        assert_eq!(
            names,
            "service, passfile, channel_binding, connect_timeout, dbname, host, hostaddr, port, \
             options, application_name, keepalives, keepalives_idle, keepalives_interval, \
             keepalives_count, tcp_user_timeout, sslmode, sslcompression, sslcert, sslkey, \
             sslrootcert, sslcrl, sslcrldir, sslsni, requirepeer, ssl_min_protocol_version, \
             ssl_max_protocol_version, gssencmode, krbsrvname, gsslib, target_session_attrs, \
             use_remote_estimate, fdw_startup_cost, fdw_tuple_cost, extensions, updatable, \
             truncatable, fetch_size, batch_size, async_capable, parallel_commit, keep_connections"
        );
    }

    #[test]
    fn user_mapping_options_of_15() {
        assert_eq!(
            valid_option_names(15, OptionContext::UserMapping),
            [
                "user",
                "password",
                "sslpassword",
                "password_required",
                "sslcert",
                "sslkey"
            ]
        );
    }

    #[test]
    fn parse_bool_accepts_prefixes_and_digits() {
        assert_eq!(parse_bool("t"), Some(true));
        assert_eq!(parse_bool("YES"), Some(true));
        assert_eq!(parse_bool(" of "), Some(false));
        assert_eq!(parse_bool("o"), None);
        assert_eq!(parse_bool("1"), Some(true));
        assert_eq!(parse_bool("10"), None);
        assert_eq!(parse_bool(""), None);
    }

    #[test]
    fn def_get_boolean_takes_only_words() {
        assert_eq!(def_get_boolean("ON"), Some(true));
        assert_eq!(def_get_boolean("False"), Some(false));
        assert_eq!(def_get_boolean("1"), None);
        assert_eq!(def_get_boolean("yes"), None);
    }

    #[test]
    fn parse_int_follows_strtol_and_rounding() {
        assert_eq!(parse_int("100"), Some(100));
        assert_eq!(parse_int(" 0x10 "), Some(16));
        assert_eq!(parse_int("010"), Some(8));
        assert_eq!(parse_int("2.5"), Some(2));
        assert_eq!(parse_int("1e3"), Some(1000));
        assert_eq!(parse_int("x"), None);
        assert_eq!(parse_int("10 x"), None);
        assert_eq!(parse_int("3000000000"), None);
    }

    #[test]
    fn parse_real_follows_strtod() {
        assert_eq!(parse_real("1.5"), Some(1.5));
        assert_eq!(parse_real(" .5 "), Some(0.5));
        assert_eq!(parse_real("1e2"), Some(100.0));
        assert_eq!(parse_real("-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_real("nan"), None);
        assert_eq!(parse_real("1e999"), None);
        assert_eq!(parse_real("abc"), None);
    }

    #[test]
    fn split_identifier_string_rules() {
        assert_eq!(
            split_identifier_string(" Cube , \"Quoted\"\"X\",seg ", ','),
            Some(vec!["cube".into(), "Quoted\"X".into(), "seg".into()])
        );
        assert_eq!(split_identifier_string("", ','), Some(vec![]));
        assert_eq!(split_identifier_string("a,,b", ','), None);
        assert_eq!(split_identifier_string("\"a", ','), None);
        assert_eq!(split_identifier_string("a b", ','), None);
    }

    #[test]
    fn changes_follow_alter_options_semantics() {
        let list = apply_option_changes(
            &OptionList::new(),
            &[OptionChange::add("a", "1"), OptionChange::add("b", "2")],
        )
        .unwrap();
        let list = apply_option_changes(
            &list,
            &[OptionChange::set("a", "3"), OptionChange::drop("b")],
        )
        .unwrap();
        assert_eq!(list.get("a"), Some("3"));
        assert!(!list.is_set("b"));
    }

    #[test]
    fn secrets_are_not_stored() {
        let list = apply_option_changes(
            &OptionList::new(),
            &[OptionChange::add("password", "hunter2")],
        )
        .unwrap();
        assert!(list.is_set("password"));
        assert_eq!(list.get("password"), None);
        assert!(!format!("{list:?}").contains("hunter2"));
    }
}
