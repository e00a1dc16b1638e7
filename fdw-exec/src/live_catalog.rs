//! Reading a live PostgreSQL database into fdw's catalog model.
//!
//! The database's user objects (schemas, extensions, types, functions,
//! aggregates, operators, servers, the current user's user mappings, tables,
//! foreign tables, views) are read from the system catalogs and written out
//! as DDL text, which [`fdw_catalog::ddl::load`] then applies; statistics
//! (`pg_class`, `pg_stats`) and the planner settings in force go in through
//! the [`Catalog`] API. Going through DDL keeps one path for building
//! catalogs: whatever the loader validates (option names, types, shapes) is
//! validated for a live database too, and the generated DDL can be printed
//! for review.
//!
//! Objects are emitted in oid order, which is their creation order in the
//! live database, so dependencies come before dependents and fdw assigns
//! oids in the same relative order as PostgreSQL did.
//!
//! User objects are those with oids from 16384 (FirstNormalObjectId) up,
//! outside the `pg_*` schemas and `information_schema`.
//!
//! **Read-only:** everything runs in one `READ ONLY` transaction that is
//! rolled back; user mapping passwords are replaced by `set` inside the
//! query, so the secret never leaves the server.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use fdw_catalog::catalog::Catalog;
use fdw_catalog::settings::Settings;
use fdw_catalog::stats::{ColumnStats, RelationStats};
use fdw_core::AttrNumber;
use tokio::task::JoinSet;
use tokio_postgres::{Client, Row};

use crate::connection::{connect_libpq, ConnectFailure};
use crate::conninfo::{resolve_conninfo, ClientEnv, ConnParams, HostTarget};
use crate::error::redact;
use crate::tls::TlsSetupError;

/// What the password of a user mapping is recorded as: only whether one is set.
pub const PASSWORD_PLACEHOLDER: &str = "set";

/// Errors of reading a live catalog. Messages never contain a password.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// The connection string does not parse, or the server cannot be reached.
    #[error("cannot connect: {0}")]
    Connect(String),
    /// A catalog query failed.
    #[error("{what}: {message}")]
    Query {
        /// What was being read.
        what: &'static str,
        /// The server's or the client's message.
        message: String,
    },
    /// The server's major version has no built-in catalog here.
    #[error("{0}")]
    Catalog(#[from] fdw_catalog::Error),
    /// The DDL generated from the live catalog does not load.
    #[error("the live catalog does not load: {message} (generated statement: {statement})")]
    Load {
        /// The loader's error.
        message: String,
        /// The first line of the failing generated statement.
        statement: String,
    },
    /// The async runtime could not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(String),
}

/// Result of this module.
pub type Result<T, E = LiveError> = std::result::Result<T, E>;

/// A catalog read from a live database.
#[derive(Debug)]
pub struct LiveCatalog {
    /// The catalog, with statistics and settings.
    pub catalog: Catalog,
    /// The DDL the catalog was built from (reviewable; passwords are `set`).
    pub ddl: String,
    /// Objects or settings that could not be carried over, one line each.
    pub warnings: Vec<String>,
}

/// A connected client with the secrets of its connection string
/// (`password`, `sslpassword`), so error messages can be scrubbed of them.
pub struct LiveConnection {
    /// The client.
    pub client: Client,
    secrets: Vec<String>,
    /// The task driving the connection; dropping the set aborts it, so the
    /// connection never outlives its client.
    _driver: JoinSet<()>,
}

impl std::fmt::Debug for LiveConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LiveConnection")
    }
}

impl LiveConnection {
    /// Removes the connection's secrets from `message`.
    pub fn scrub(&self, message: &str) -> String {
        redact(message, &self.secrets)
    }
}

/// The text of a client error: the server's message for a database error
/// (tokio-postgres' own Display says only "db error"), else the chain.
pub(crate) fn describe(err: &tokio_postgres::Error) -> String {
    if let Some(db) = err.as_db_error() {
        return format!("{}: {}", db.severity(), db.message());
    }
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            let _ = write!(text, ": {cause_text}");
        }
        source = cause.source();
    }
    text
}

/// What stands for the server in the messages of [`ConnParams`].
const DSN_LABEL: &str = "connection string";

/// Connects to `dsn` (libpq keyword/value or URI form) as libpq 15 does,
/// and drives the connection on the current tokio runtime.
///
/// The string is parsed with libpq's rules ([`parse_conninfo`]) and the
/// connection made by the code that connects to foreign servers: the hosts
/// in turn, `sslmode` with libpq's attempts and fallbacks (`prefer` by
/// default: TLS when the server offers it), `sslrootcert`, `sslcert`,
/// `sslkey` with `sslpassword`, `sslcrl`, `channel_binding` and the rest
/// (see [`crate::tls`]). Options the foreign-server path cannot honour are
/// refused here too, naming the option.
///
/// # Errors
///
/// [`LiveError::Connect`] with the reason, never a password.
pub async fn connect(dsn: &str) -> Result<LiveConnection> {
    connect_with_env(dsn, &ClientEnv::from_process()).await
}

/// [`connect`] with the `PG*` variables (and `HOME`, `USER`) of `env`
/// instead of the process's: libpq's precedence is the string's own
/// keywords, then a service's (`service` or `PGSERVICE`), then the
/// environment's, then the defaults; with no password, the password file
/// (see [`resolve_conninfo`]). A password file that others may read is
/// ignored with libpq's warning on stderr.
///
/// # Errors
///
/// As [`connect`], and libpq's messages for a missing service.
pub async fn connect_with_env(dsn: &str, env: &ClientEnv) -> Result<LiveConnection> {
    let uri = dsn.starts_with("postgresql://") || dsn.starts_with("postgres://");
    let resolved = resolve_conninfo(parse_conninfo(dsn).map_err(LiveError::Connect)?, uri, env)
        .map_err(LiveError::Connect)?;
    for warning in &resolved.warnings {
        // libpq writes this warning to stderr from the library; a caller
        // has no other place that would show it at connect time.
        #[allow(clippy::print_stderr)]
        {
            eprintln!("{warning}");
        }
    }
    let mut keywords = Vec::new();
    let mut secrets: Vec<(String, String)> = Vec::new();
    let (mut application_name, mut fallback_application_name) = (None, None);
    for (key, value) in resolved.options {
        match key.as_str() {
            // libpq: the last setting of a keyword wins.
            "password" | "sslpassword" => {
                secrets.retain(|(k, _)| *k != key);
                secrets.push((key, value));
            }
            "application_name" => application_name = Some(value),
            "fallback_application_name" => fallback_application_name = Some(value),
            // An empty value is the default for these, as in libpq.
            "host" | "hostaddr" | "port" | "dbname" | "user" if value.is_empty() => {}
            // A URI with no port for any host.
            "port" if value.split(',').all(|p| p.trim().is_empty()) => {}
            _ => keywords.push((key, value)),
        }
    }
    let application_name = application_name
        .filter(|a| !a.is_empty())
        .or(fallback_application_name)
        .unwrap_or_default();
    // libpq's default user is the operating-system user.
    let default_user = env.os_user();
    let params =
        ConnParams::from_conninfo(DSN_LABEL, keywords, secrets, application_name, default_user);
    let secret_values = params.secret_values();
    let spec = params
        .connect_spec(true)
        .map_err(|e| LiveError::Connect(redact(&spec_error(e), &secret_values)))?;
    let (client, connection, _cancel) =
        connect_libpq(&spec, &secret_values)
            .await
            .map_err(|failure| {
                LiveError::Connect(redact(
                    &failure_message(failure, &spec.targets),
                    &secret_values,
                ))
            })?;
    let mut driver = JoinSet::new();
    driver.spawn(async move {
        // An error here surfaces on the client's next query.
        let _ = connection.await;
    });
    Ok(LiveConnection {
        client,
        secrets: secret_values,
        _driver: driver,
    })
}

/// A refusal of the options, in words for a connection string (the
/// foreign-server path names the server).
fn spec_error(err: crate::Error) -> String {
    match err {
        crate::Error::UnsupportedOption { option, why, .. } => {
            format!("connection option \"{option}\" is not supported: {why}")
        }
        crate::Error::Catalog(message) => {
            let prefix = format!("server \"{DSN_LABEL}\": ");
            message
                .strip_prefix(&prefix)
                .map_or(message.clone(), str::to_owned)
        }
        other => other.to_string(),
    }
}

fn failure_message(failure: ConnectFailure, targets: &[HostTarget]) -> String {
    match failure {
        ConnectFailure::Setup(TlsSetupError::Unsupported { option, why }) => {
            format!("connection option \"{option}\" is not supported: {why}")
        }
        ConnectFailure::Setup(TlsSetupError::Invalid(message)) => message,
        // With several hosts each message already names its host.
        ConnectFailure::Failed { message, .. } => match targets {
            [one] => {
                let host = match (&one.host, one.hostaddr) {
                    (Some(host), _) => host.clone(),
                    (None, Some(addr)) => addr.to_string(),
                    (None, None) => "(default host)".to_owned(),
                };
                match one.port {
                    Some(port) => {
                        format!("connection to server at \"{host}\", port {port} failed: {message}")
                    }
                    None => format!("connection to server at \"{host}\" failed: {message}"),
                }
            }
            _ => message,
        },
    }
}

/// Whether `key` is a connection keyword: libpq 15's, or a later one the
/// foreign-server path knows how to refuse or honour.
fn is_conninfo_keyword(key: &str) -> bool {
    /// The keywords PostgreSQL 16 and 17 added.
    const LATER_KEYWORDS: &[&str] = &[
        "load_balance_hosts",
        "sslcertmode",
        "require_auth",
        "gssdelegation",
        "sslnegotiation",
    ];
    crate::conninfo::LIBPQ15_KEYWORDS.contains(&key) || LATER_KEYWORDS.contains(&key)
}

/// Parses a libpq connection string, keyword/value (`host=a port=5432
/// password='it\\'s'`) or URI (`postgresql://user:pw@host:5432/db?sslmode=require`),
/// into its keywords in order, as libpq's `conninfo_parse` and
/// `conninfo_uri_parse` read them. Messages never quote a value (it may
/// be a password).
///
/// # Errors
///
/// libpq's message for a malformed string or an unknown keyword.
pub fn parse_conninfo(text: &str) -> std::result::Result<Vec<(String, String)>, String> {
    let pairs = match ["postgresql://", "postgres://"]
        .iter()
        .find_map(|prefix| text.strip_prefix(prefix))
    {
        Some(rest) => parse_uri(rest)?,
        None => parse_keywords(text)?,
    };
    for (key, _) in &pairs {
        if !is_conninfo_keyword(key) {
            return Err(format!("invalid connection option \"{key}\""));
        }
    }
    Ok(pairs)
}

fn parse_keywords(text: &str) -> std::result::Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(out);
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '=') {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(format!(
                "missing \"=\" after \"{key}\" in connection info string"
            ));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    None => {
                        return Err(
                            "unterminated quoted string in connection info string".to_owned()
                        )
                    }
                    Some('\'') => break,
                    Some('\\') => value.extend(chars.next()),
                    Some(c) => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
        }
        out.push((key, value));
    }
}

fn percent_decode(text: &str) -> std::result::Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b != b'%' {
            out.push(b);
            i += 1;
            continue;
        }
        let byte = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .filter(|h| h.chars().all(|c| c.is_ascii_hexdigit()))
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .ok_or_else(|| "invalid percent-encoded token in URI".to_owned())?;
        if byte == 0 {
            return Err("forbidden value %00 in percent-encoded value in URI".to_owned());
        }
        out.push(byte);
        i += 3;
    }
    String::from_utf8(out).map_err(|_| "percent-encoded value in URI is not UTF-8".to_owned())
}

/// The part of a URI after `postgresql://`.
fn parse_uri(rest: &str) -> std::result::Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let (before_query, query) = match rest.split_once('?') {
        Some((a, q)) => (a, Some(q)),
        None => (rest, None),
    };
    let (netloc, path) = match before_query.split_once('/') {
        Some((n, p)) => (n, Some(p)),
        None => (before_query, None),
    };
    // libpq: user info ends at the first '@' of the network location.
    let hosts_part = match netloc.split_once('@') {
        Some((userinfo, hosts)) => {
            let (user, password) = match userinfo.split_once(':') {
                Some((u, p)) => (u, Some(p)),
                None => (userinfo, None),
            };
            if !user.is_empty() {
                out.push(("user".to_owned(), percent_decode(user)?));
            }
            if let Some(password) = password {
                out.push(("password".to_owned(), percent_decode(password)?));
            }
            hosts
        }
        None => netloc,
    };
    let (mut hosts, mut ports) = (Vec::new(), Vec::new());
    for entry in hosts_part.split(',') {
        let (host, port) = if let Some(v6) = entry.strip_prefix('[') {
            let (address, after) = v6.split_once(']').ok_or_else(|| {
                "end of string reached when looking for matching \"]\" in IPv6 host address \
                 in URI"
                    .to_owned()
            })?;
            if address.is_empty() {
                return Err("IPv6 host address may not be empty in URI".to_owned());
            }
            let port = match after.strip_prefix(':') {
                Some(port) => port,
                None if after.is_empty() => "",
                None => {
                    return Err(
                        "unexpected character after IPv6 host address in URI (expected \":\" \
                         or \"/\")"
                            .to_owned(),
                    )
                }
            };
            (address, port)
        } else {
            entry.split_once(':').unwrap_or((entry, ""))
        };
        hosts.push(percent_decode(host)?);
        ports.push(percent_decode(port)?);
    }
    out.push(("host".to_owned(), hosts.join(",")));
    out.push(("port".to_owned(), ports.join(",")));
    if let Some(dbname) = path.filter(|p| !p.is_empty()) {
        out.push(("dbname".to_owned(), percent_decode(dbname)?));
    }
    for param in query.into_iter().flat_map(|q| q.split('&')) {
        let (key, value) = param
            .split_once('=')
            .ok_or_else(|| "missing key/value separator \"=\" in URI query parameter".to_owned())?;
        if value.contains('=') {
            return Err("extra key/value separator \"=\" in URI query parameter".to_owned());
        }
        let (key, value) = (percent_decode(key)?, percent_decode(value)?);
        // libpq's JDBC-style alias.
        if key == "ssl" && value == "true" {
            out.push(("sslmode".to_owned(), "require".to_owned()));
        } else if is_conninfo_keyword(&key) {
            out.push((key, value));
        } else {
            return Err(format!("invalid URI query parameter: \"{key}\""));
        }
    }
    Ok(out)
}

/// Runs `future` on a fresh single-threaded runtime: the entry point for
/// synchronous callers such as the CLI.
///
/// # Errors
///
/// [`LiveError::Runtime`] when the runtime cannot start, else the future's.
pub fn block_on<T>(future: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| LiveError::Runtime(e.to_string()))?;
    runtime.block_on(future)
}

/// Connects to `dsn` and reads its catalog: the blocking convenience.
///
/// # Errors
///
/// As [`connect`] and [`read_live_catalog`].
pub fn read_live_catalog_blocking(dsn: &str) -> Result<LiveCatalog> {
    block_on(async {
        let mut conn = connect(dsn).await?;
        read_live_catalog(&mut conn).await
    })
}

/// Runs `sql` and scrubs errors.
async fn query(
    conn: &LiveConnection,
    what: &'static str,
    sql: &str,
    params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) -> Result<Vec<Row>> {
    conn.client
        .query(sql, params)
        .await
        .map_err(|e| LiveError::Query {
            what,
            message: conn.scrub(&describe(&e)),
        })
}

/// Reads column `idx` of `row` as `T`.
fn get<'a, T: tokio_postgres::types::FromSql<'a>>(
    row: &'a Row,
    idx: usize,
    what: &'static str,
) -> Result<T> {
    row.try_get(idx).map_err(|e| LiveError::Query {
        what,
        message: describe(&e),
    })
}

/// Reads the catalog of the database `conn` is connected to, in one
/// read-only transaction that is rolled back.
///
/// # Errors
///
/// When a catalog query fails, the server's major has no built-in catalog,
/// or the generated DDL does not load.
pub async fn read_live_catalog(conn: &mut LiveConnection) -> Result<LiveCatalog> {
    let what = "starting a read-only transaction";
    conn.client
        .batch_execute("START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await
        .map_err(|e| LiveError::Query {
            what,
            message: conn.scrub(&describe(&e)),
        })?;
    let result = read_in_transaction(conn).await;
    // Nothing was written; ROLLBACK just ends the snapshot.
    let _ = conn.client.batch_execute("ROLLBACK").await;
    result
}

async fn read_in_transaction(conn: &LiveConnection) -> Result<LiveCatalog> {
    let version_rows = query(
        conn,
        "reading the server version",
        "SHOW server_version_num",
        &[],
    )
    .await?;
    let version: String = match version_rows.first() {
        Some(row) => get(row, 0, "reading the server version")?,
        None => String::new(),
    };
    let major = version.parse::<u32>().unwrap_or(0) / 10000;
    let mut catalog = Catalog::new(major)?;
    let mut warnings = Vec::new();

    // Settings first: the session's search_path is changed below.
    let settings = read_settings(conn, major).await?;
    let user_rows = query(
        conn,
        "reading the current user",
        "SELECT current_user::text, COALESCE((SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user), false)",
        &[],
    )
    .await?;
    if let Some(row) = user_rows.first() {
        let name: String = get(row, 0, "reading the current user")?;
        let superuser: bool = get(row, 1, "reading the current user")?;
        catalog.set_current_user(&name, superuser);
    }
    // format_type, pg_get_expr and regproc output qualify every name outside
    // pg_catalog under this search_path (as postgres_fdw relies on too), so
    // the DDL does not depend on the live session's search_path.
    query(
        conn,
        "setting the search path",
        "SET LOCAL search_path = pg_catalog",
        &[],
    )
    .await?;

    let mut items: Vec<(u32, u32, String)> = Vec::new();
    let members = read_extensions(conn, &catalog, &mut items, &mut warnings).await?;
    read_schemas(conn, &mut items).await?;
    read_types(conn, &members, &mut items, &mut warnings).await?;
    read_functions(conn, &members, &mut items, &mut warnings).await?;
    read_operators(conn, &members, &mut items).await?;
    read_foreign_objects(conn, &members, &mut items).await?;
    read_relations(conn, &members, &mut items, &mut warnings).await?;
    items.sort_by_key(|item| (item.0, item.1));

    let mut ddl = String::new();
    for (_, _, statement) in &items {
        ddl.push_str(statement);
        ddl.push_str(";\n");
    }
    if let Err(err) = fdw_catalog::ddl::load(&mut catalog, &ddl) {
        let statement = match &err {
            fdw_catalog::Error::Statement { position, .. } => ddl
                .lines()
                .nth(usize::try_from(position.line.saturating_sub(1)).unwrap_or(usize::MAX))
                .unwrap_or_default()
                .to_string(),
            _ => String::new(),
        };
        return Err(LiveError::Load {
            message: err.to_string(),
            statement,
        });
    }
    for warning in catalog.take_warnings() {
        warnings.push(format!("{warning:?}"));
    }

    for (name, value) in settings {
        if let Err(err) = catalog.set_setting(&name, &value) {
            warnings.push(format!(
                "setting {name} = '{value}' not carried over: {err}"
            ));
        }
    }
    read_statistics(conn, &mut catalog, &mut warnings).await?;
    Ok(LiveCatalog {
        catalog,
        ddl,
        warnings,
    })
}

/// The settings fdw models whose value in this session differs from
/// PostgreSQL's default as fdw knows it, as `(name, value)` in SHOW form.
async fn read_settings(conn: &LiveConnection, major: u32) -> Result<Vec<(String, String)>> {
    let defaults = Settings::new(major);
    let names: Vec<String> = defaults.names().iter().map(|n| n.to_string()).collect();
    let rows = query(
        conn,
        "reading settings",
        "SELECT n, current_setting(n, true) FROM unnest($1::text[]) AS n ORDER BY n",
        &[&names],
    )
    .await?;
    let mut out = Vec::new();
    for row in &rows {
        let name: String = get(row, 0, "reading settings")?;
        let value: Option<String> = get(row, 1, "reading settings")?;
        let Some(value) = value else { continue };
        let same = defaults.show(&name).map(|d| d == value).unwrap_or(false);
        if !same {
            out.push((name, value));
        }
    }
    Ok(out)
}

/// `(class, oid)` of the members of bundled extensions: the extension's
/// template creates them, so they are not emitted as DDL.
type Members = BTreeSet<(String, u32)>;

async fn read_extensions(
    conn: &LiveConnection,
    catalog: &Catalog,
    items: &mut Vec<(u32, u32, String)>,
    warnings: &mut Vec<String>,
) -> Result<Members> {
    let what = "reading pg_extension";
    let rows = query(
        conn,
        what,
        "SELECT e.oid, e.extname::text, n.nspname::text, e.extversion \
         FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace \
         WHERE e.oid >= 16384 ORDER BY e.oid",
        &[],
    )
    .await?;
    let mut bundled = BTreeSet::new();
    let mut unbundled = BTreeMap::new();
    for row in &rows {
        let oid: u32 = get(row, 0, what)?;
        let name: String = get(row, 1, what)?;
        let schema: String = get(row, 2, what)?;
        let version: String = get(row, 3, what)?;
        items.push((
            oid,
            0,
            format!(
                "CREATE EXTENSION {} SCHEMA {} VERSION {}",
                ident(&name),
                ident(&schema),
                literal(&version)
            ),
        ));
        if catalog.builtin().extension_template(&name).is_some() {
            bundled.insert(oid);
        } else {
            warnings.push(format!(
                "extension {name} is not bundled: its member objects are read from the database"
            ));
            unbundled.insert(oid, name);
        }
    }
    let what = "reading extension members";
    let rows = query(
        conn,
        what,
        "SELECT d.classid::regclass::text, d.objid, d.refobjid, \
                pg_catalog.pg_describe_object(d.classid, d.objid, 0) \
         FROM pg_catalog.pg_depend d \
         WHERE d.deptype = 'e' AND d.refclassid = 'pg_catalog.pg_extension'::regclass \
         ORDER BY d.objid",
        &[],
    )
    .await?;
    let mut members = Members::new();
    for row in &rows {
        let class: String = get(row, 0, what)?;
        let objid: u32 = get(row, 1, what)?;
        let ext: u32 = get(row, 2, what)?;
        let described: String = get(row, 3, what)?;
        if bundled.contains(&ext) {
            members.insert((class, objid));
        } else if let Some(name) = unbundled.get(&ext) {
            // Members of an unbundled extension are emitted as ordinary
            // objects, then attached so that shippability sees them.
            if let Some(member) = member_ddl(&class, &described) {
                items.push((
                    u32::MAX,
                    objid,
                    format!("ALTER EXTENSION {} ADD {member}", ident(name)),
                ));
            }
        }
    }
    Ok(members)
}

/// `pg_describe_object` text (`function f(integer)`, `type t`, `operator
/// ===(integer,integer)`) as the object of `ALTER EXTENSION ... ADD`.
fn member_ddl(class: &str, described: &str) -> Option<String> {
    let (kind, rest) = described.split_once(' ')?;
    match (class, kind) {
        ("pg_proc", "function") => Some(format!("FUNCTION {rest}")),
        ("pg_type", "type") => Some(format!("TYPE {rest}")),
        ("pg_operator", "operator") => Some(format!("OPERATOR {rest}")),
        _ => None,
    }
}

async fn read_schemas(conn: &LiveConnection, items: &mut Vec<(u32, u32, String)>) -> Result<()> {
    let what = "reading pg_namespace";
    let rows = query(
        conn,
        what,
        "SELECT oid, nspname::text FROM pg_catalog.pg_namespace \
         WHERE oid >= 16384 AND nspname !~ '^pg_' AND nspname <> 'information_schema' \
           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_namespace'::regclass \
                           AND d.objid = pg_namespace.oid AND d.deptype = 'e') \
         ORDER BY oid",
        &[],
    )
    .await?;
    for row in &rows {
        let oid: u32 = get(row, 0, what)?;
        let name: String = get(row, 1, what)?;
        items.push((oid, 0, format!("CREATE SCHEMA {}", ident(&name))));
    }
    Ok(())
}

async fn read_types(
    conn: &LiveConnection,
    members: &Members,
    items: &mut Vec<(u32, u32, String)>,
    warnings: &mut Vec<String>,
) -> Result<()> {
    let what = "reading pg_type";
    let rows = query(
        conn,
        what,
        "SELECT t.oid, t.typtype::text, t.oid::regtype::text, \
           CASE t.typtype \
             WHEN 'e' THEN (SELECT string_agg(quote_literal(enumlabel), ', ' ORDER BY enumsortorder) \
                            FROM pg_catalog.pg_enum WHERE enumtypid = t.oid) \
             WHEN 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) \
                || CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation \
                        THEN ' COLLATE ' || quote_ident(cn.nspname) || '.' || quote_ident(co.collname) ELSE '' END \
                || COALESCE(' DEFAULT ' || t.typdefault, '') \
                || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END \
                || COALESCE((SELECT string_agg(' ' || pg_catalog.pg_get_constraintdef(c.oid), '' ORDER BY c.oid) \
                             FROM pg_catalog.pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c'), '') \
             WHEN 'c' THEN (SELECT string_agg(quote_ident(a.attname) || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod) \
                              || CASE WHEN a.attcollation <> 0 AND a.attcollation <> at.typcollation \
                                 THEN ' COLLATE ' || quote_ident(acn.nspname) || '.' || quote_ident(aco.collname) ELSE '' END, \
                              ', ' ORDER BY a.attnum) \
                            FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type at ON at.oid = a.atttypid \
                            LEFT JOIN pg_catalog.pg_collation aco ON aco.oid = a.attcollation \
                            LEFT JOIN pg_catalog.pg_namespace acn ON acn.oid = aco.collnamespace \
                            WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) \
           END \
         FROM pg_catalog.pg_type t \
         JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
         LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype \
         LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation \
         LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace \
         LEFT JOIN pg_catalog.pg_class r ON r.oid = t.typrelid \
         WHERE t.oid >= 16384 AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' \
           AND NOT (t.typtype = 'b' AND t.typcategory = 'A') \
           AND (t.typtype <> 'c' OR r.relkind = 'c') \
         ORDER BY t.oid",
        &[],
    )
    .await?;
    let mut seen = BTreeSet::new();
    for row in &rows {
        let oid: u32 = get(row, 0, what)?;
        if !seen.insert(oid) || members.contains(&("pg_type".to_string(), oid)) {
            continue;
        }
        let kind: String = get(row, 1, what)?;
        let name: String = get(row, 2, what)?;
        let body: Option<String> = get(row, 3, what)?;
        match (kind.as_str(), body) {
            ("e", body) => items.push((
                oid,
                0,
                format!("CREATE TYPE {name} AS ENUM ({})", body.unwrap_or_default()),
            )),
            ("d", Some(body)) => items.push((oid, 0, format!("CREATE DOMAIN {name} AS {body}"))),
            ("c", body) => items.push((
                oid,
                0,
                format!("CREATE TYPE {name} AS ({})", body.unwrap_or_default()),
            )),
            ("p", _) => {}
            (other, _) => warnings.push(format!(
                "type {name} (typtype '{other}') is not carried over: only enums, domains and composite types are read"
            )),
        }
    }
    Ok(())
}

async fn read_functions(
    conn: &LiveConnection,
    members: &Members,
    items: &mut Vec<(u32, u32, String)>,
    warnings: &mut Vec<String>,
) -> Result<()> {
    let what = "reading pg_proc";
    let rows = query(
        conn,
        what,
        "SELECT p.oid, p.prokind::text, p.oid::regprocedure::text, \
           CASE WHEN p.prokind IN ('f', 'p', 'w') THEN pg_catalog.pg_get_functiondef(p.oid) END, \
           a.aggkind::text, pg_catalog.pg_get_function_arguments(p.oid), \
           a.aggtransfn::regproc::text, pg_catalog.format_type(a.aggtranstype, NULL), \
           NULLIF(a.aggfinalfn, 0)::regproc::text, NULLIF(a.aggcombinefn, 0)::regproc::text, \
           a.agginitval, NULLIF(a.aggsortop, 0)::regoperator::text, \
           quote_ident(n.nspname) || '.' || quote_ident(p.proname) \
         FROM pg_catalog.pg_proc p \
         JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace \
         LEFT JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid \
         WHERE p.oid >= 16384 AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' \
         ORDER BY p.oid",
        &[],
    )
    .await?;
    for row in &rows {
        let oid: u32 = get(row, 0, what)?;
        if members.contains(&("pg_proc".to_string(), oid)) {
            continue;
        }
        let kind: String = get(row, 1, what)?;
        let signature: String = get(row, 2, what)?;
        if kind != "a" {
            if let Some(def) = get::<Option<String>>(row, 3, what)? {
                items.push((oid, 0, def.trim_end().to_string()));
            }
            continue;
        }
        let aggkind: Option<String> = get(row, 4, what)?;
        if aggkind.as_deref() != Some("n") {
            warnings.push(format!(
                "aggregate {signature} is not carried over: only normal aggregates are read"
            ));
            continue;
        }
        let args: String = get(row, 5, what)?;
        let sfunc: String = get(row, 6, what)?;
        let stype: String = get(row, 7, what)?;
        let finalfn: Option<String> = get(row, 8, what)?;
        let combinefn: Option<String> = get(row, 9, what)?;
        let initval: Option<String> = get(row, 10, what)?;
        let sortop: Option<String> = get(row, 11, what)?;
        let name: String = get(row, 12, what)?;
        let mut def = format!("CREATE AGGREGATE {name}({args}) (SFUNC = {sfunc}, STYPE = {stype}");
        if let Some(f) = finalfn {
            let _ = write!(def, ", FINALFUNC = {f}");
        }
        if let Some(f) = combinefn {
            let _ = write!(def, ", COMBINEFUNC = {f}");
        }
        if let Some(v) = initval {
            let _ = write!(def, ", INITCOND = {}", literal(&v));
        }
        if let Some(op) = sortop {
            // regoperator prints `public.<(integer,integer)`: SORTOP wants
            // the operator name alone.
            let bare = op.split('(').next().unwrap_or_default();
            let _ = write!(def, ", SORTOP = OPERATOR({bare})");
        }
        def.push(')');
        items.push((oid, 0, def));
    }
    Ok(())
}

async fn read_operators(
    conn: &LiveConnection,
    members: &Members,
    items: &mut Vec<(u32, u32, String)>,
) -> Result<()> {
    let what = "reading pg_operator";
    let rows = query(
        conn,
        what,
        "SELECT o.oid, quote_ident(n.nspname) || '.' || o.oprname, o.oprcode::regproc::text, \
           NULLIF(o.oprleft, 0)::regtype::text, NULLIF(o.oprright, 0)::regtype::text, \
           (SELECT quote_ident(cn.nspname) || '.' || c.oprname FROM pg_catalog.pg_operator c \
              JOIN pg_catalog.pg_namespace cn ON cn.oid = c.oprnamespace WHERE c.oid = o.oprcom), \
           (SELECT quote_ident(cn.nspname) || '.' || c.oprname FROM pg_catalog.pg_operator c \
              JOIN pg_catalog.pg_namespace cn ON cn.oid = c.oprnamespace WHERE c.oid = o.oprnegate), \
           NULLIF(o.oprrest, 0)::regproc::text, NULLIF(o.oprjoin, 0)::regproc::text, \
           o.oprcanhash, o.oprcanmerge \
         FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace \
         WHERE o.oid >= 16384 AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' \
         ORDER BY o.oid",
        &[],
    )
    .await?;
    for row in &rows {
        let oid: u32 = get(row, 0, what)?;
        if members.contains(&("pg_operator".to_string(), oid)) {
            continue;
        }
        let name: String = get(row, 1, what)?;
        let function: String = get(row, 2, what)?;
        let mut def = format!("CREATE OPERATOR {name} (FUNCTION = {function}");
        if let Some(t) = get::<Option<String>>(row, 3, what)? {
            let _ = write!(def, ", LEFTARG = {t}");
        }
        if let Some(t) = get::<Option<String>>(row, 4, what)? {
            let _ = write!(def, ", RIGHTARG = {t}");
        }
        if let Some(c) = get::<Option<String>>(row, 5, what)? {
            let _ = write!(def, ", COMMUTATOR = OPERATOR({c})");
        }
        if let Some(c) = get::<Option<String>>(row, 6, what)? {
            let _ = write!(def, ", NEGATOR = OPERATOR({c})");
        }
        if let Some(f) = get::<Option<String>>(row, 7, what)? {
            let _ = write!(def, ", RESTRICT = {f}");
        }
        if let Some(f) = get::<Option<String>>(row, 8, what)? {
            let _ = write!(def, ", JOIN = {f}");
        }
        if get::<bool>(row, 9, what)? {
            def.push_str(", HASHES");
        }
        if get::<bool>(row, 10, what)? {
            def.push_str(", MERGES");
        }
        def.push(')');
        items.push((oid, 0, def));
    }
    Ok(())
}

/// `pg_options_to_table` of an options column as `OPTIONS (a 'x', b 'y')`
/// SQL text, or empty; the `password` option's value never leaves the
/// server.
const OPTIONS_SQL: &str =
    "COALESCE(' OPTIONS (' || (SELECT string_agg(quote_ident(o.option_name) || ' ' || \
     quote_literal(CASE WHEN o.option_name = 'password' THEN 'set' ELSE o.option_value END), ', ') \
     FROM pg_catalog.pg_options_to_table({col}) o) || ')', '')";

fn options_sql(column: &str) -> String {
    OPTIONS_SQL.replace("{col}", column)
}

async fn read_foreign_objects(
    conn: &LiveConnection,
    members: &Members,
    items: &mut Vec<(u32, u32, String)>,
) -> Result<()> {
    let what = "reading pg_foreign_data_wrapper";
    let sql = format!(
        "SELECT w.oid, quote_ident(w.fdwname), NULLIF(w.fdwhandler, 0)::regproc::text, \
           NULLIF(w.fdwvalidator, 0)::regproc::text, {} \
         FROM pg_catalog.pg_foreign_data_wrapper w WHERE w.oid >= 16384 ORDER BY w.oid",
        options_sql("w.fdwoptions")
    );
    for row in &query(conn, what, &sql, &[]).await? {
        let oid: u32 = get(row, 0, what)?;
        if members.contains(&("pg_foreign_data_wrapper".to_string(), oid)) {
            continue;
        }
        let name: String = get(row, 1, what)?;
        let mut def = format!("CREATE FOREIGN DATA WRAPPER {name}");
        if let Some(h) = get::<Option<String>>(row, 2, what)? {
            let _ = write!(def, " HANDLER {h}");
        }
        if let Some(v) = get::<Option<String>>(row, 3, what)? {
            let _ = write!(def, " VALIDATOR {v}");
        }
        def.push_str(&get::<String>(row, 4, what)?);
        items.push((oid, 0, def));
    }

    let what = "reading pg_foreign_server";
    let sql = format!(
        "SELECT s.oid, 'CREATE SERVER ' || quote_ident(s.srvname) \
           || COALESCE(' TYPE ' || quote_literal(s.srvtype), '') \
           || COALESCE(' VERSION ' || quote_literal(s.srvversion), '') \
           || ' FOREIGN DATA WRAPPER ' || quote_ident(w.fdwname) || {} \
         FROM pg_catalog.pg_foreign_server s JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw \
         ORDER BY s.oid",
        options_sql("s.srvoptions")
    );
    for row in &query(conn, what, &sql, &[]).await? {
        items.push((get(row, 0, what)?, 0, get(row, 1, what)?));
    }

    // pg_user_mappings shows the options of the current user's own
    // mappings (and PUBLIC's); other users' mappings do not concern plans
    // made as this user.
    let what = "reading pg_user_mappings";
    let sql = format!(
        "SELECT m.umid, 'CREATE USER MAPPING FOR ' \
           || CASE WHEN m.umuser = 0 THEN 'PUBLIC' ELSE quote_ident(m.usename) END \
           || ' SERVER ' || quote_ident(m.srvname) || {} \
         FROM pg_catalog.pg_user_mappings m \
         WHERE m.umuser = 0 OR m.usename = current_user ORDER BY m.umid",
        options_sql("m.umoptions")
    );
    for row in &query(conn, what, &sql, &[]).await? {
        items.push((get(row, 0, what)?, 0, get(row, 1, what)?));
    }
    Ok(())
}

async fn read_relations(
    conn: &LiveConnection,
    members: &Members,
    items: &mut Vec<(u32, u32, String)>,
    warnings: &mut Vec<String>,
) -> Result<()> {
    let what = "reading pg_class";
    let sql = format!(
        "SELECT c.oid, c.relkind::text, quote_ident(n.nspname) || '.' || quote_ident(c.relname), \
           c.relpersistence::text, c.relispartition, \
           (SELECT quote_ident(pn.nspname) || '.' || quote_ident(p.relname) FROM pg_catalog.pg_inherits i \
              JOIN pg_catalog.pg_class p ON p.oid = i.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace \
              WHERE i.inhrelid = c.oid ORDER BY i.inhseqno LIMIT 1), \
           pg_catalog.pg_get_expr(c.relpartbound, c.oid), \
           CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END, \
           CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END, \
           (SELECT split_part(o, '=', 2) FROM unnest(c.reloptions) o WHERE o LIKE 'check_option=%'), \
           (SELECT 'SERVER ' || quote_ident(s.srvname) || {} FROM pg_catalog.pg_foreign_table ft \
              JOIN pg_catalog.pg_foreign_server s ON s.oid = ft.ftserver WHERE ft.ftrelid = c.oid), \
           (SELECT count(*) FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid) \
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.oid >= 16384 AND c.relkind IN ('r', 'p', 'f', 'v', 'm') \
           AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' \
         ORDER BY c.oid",
        options_sql("ft.ftoptions")
    );
    let rows = query(conn, what, &sql, &[]).await?;
    for row in &rows {
        let oid: u32 = get(row, 0, what)?;
        if members.contains(&("pg_class".to_string(), oid)) {
            continue;
        }
        let kind: String = get(row, 1, what)?;
        let name: String = get(row, 2, what)?;
        let persistence: String = get(row, 3, what)?;
        let is_partition: bool = get(row, 4, what)?;
        let parent: Option<String> = get(row, 5, what)?;
        let bound: Option<String> = get(row, 6, what)?;
        let partkey: Option<String> = get(row, 7, what)?;
        let viewdef: Option<String> = get(row, 8, what)?;
        let check_option: Option<String> = get(row, 9, what)?;
        let foreign: Option<String> = get(row, 10, what)?;
        let parents: i64 = get(row, 11, what)?;
        match kind.as_str() {
            "v" => {
                let query_text = viewdef.unwrap_or_default();
                let mut def = format!(
                    "CREATE VIEW {name} AS {}",
                    query_text.trim().trim_end_matches(';')
                );
                if let Some(option) = check_option {
                    let _ = write!(def, " WITH {} CHECK OPTION", option.to_uppercase());
                }
                items.push((oid, 0, def));
                continue;
            }
            "m" => {
                warnings.push(format!(
                    "materialized view {name} is not carried over: the catalog model has none"
                ));
                continue;
            }
            _ => {}
        }
        if parents > 0 && !is_partition {
            warnings.push(format!(
                "table {name}: inheritance (not partitioning) is not carried over"
            ));
        }
        let columns = if is_partition {
            String::new()
        } else {
            column_list(conn, oid, kind == "f").await?
        };
        let mut def = String::from("CREATE ");
        match (kind.as_str(), persistence.as_str()) {
            ("f", _) => def.push_str("FOREIGN "),
            (_, "u") => def.push_str("UNLOGGED "),
            _ => {}
        }
        let _ = write!(def, "TABLE {name}");
        match (is_partition, parent) {
            (true, Some(parent)) => {
                // A partition's columns come from its parent; its bound is
                // all it adds.
                let _ = write!(def, " PARTITION OF {parent} {}", bound.unwrap_or_default());
            }
            _ => {
                let _ = write!(def, " ({columns})");
            }
        }
        if let Some(key) = partkey {
            let _ = write!(def, " PARTITION BY {key}");
        }
        if let Some(server) = foreign {
            let _ = write!(def, " {server}");
        }
        items.push((oid, 0, def));
    }
    Ok(())
}

/// The column definitions and table constraints of relation `oid`.
async fn column_list(conn: &LiveConnection, oid: u32, foreign: bool) -> Result<String> {
    let what = "reading pg_attribute";
    let sql = format!(
        "SELECT quote_ident(a.attname) || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod) \
           || CASE WHEN $2 THEN {} ELSE '' END \
           || CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation \
                   THEN ' COLLATE ' || quote_ident(cn.nspname) || '.' || quote_ident(co.collname) ELSE '' END \
           || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END \
           || CASE WHEN a.attgenerated = 's' THEN ' GENERATED ALWAYS AS (' || pg_catalog.pg_get_expr(d.adbin, d.adrelid) || ') STORED' \
                   WHEN d.adbin IS NOT NULL THEN ' DEFAULT ' || pg_catalog.pg_get_expr(d.adbin, d.adrelid) \
                   ELSE '' END \
         FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid \
         LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
         LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation \
         LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace \
         WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
        options_sql("a.attfdwoptions")
    );
    let mut parts = Vec::new();
    for row in &query(conn, what, &sql, &[&oid, &foreign]).await? {
        parts.push(get::<String>(row, 0, what)?);
    }
    let what = "reading pg_constraint";
    let rows = query(
        conn,
        what,
        "SELECT 'CONSTRAINT ' || quote_ident(conname) || ' ' || pg_catalog.pg_get_constraintdef(oid) \
         FROM pg_catalog.pg_constraint WHERE conrelid = $1 AND contype IN ('c', 'p', 'u') \
           AND NOT (contype = 'c' AND coninhcount > 0) ORDER BY oid",
        &[&oid],
    )
    .await?;
    for row in &rows {
        parts.push(get::<String>(row, 0, what)?);
    }
    Ok(parts.join(", "))
}

/// Copies `pg_class` sizes and `pg_stats` rows of every table and foreign
/// table into `catalog`; columns are matched by name, since dropped
/// columns make attnums differ between the live table and its DDL.
async fn read_statistics(
    conn: &LiveConnection,
    catalog: &mut Catalog,
    warnings: &mut Vec<String>,
) -> Result<()> {
    let what = "reading pg_class statistics";
    let rows = query(
        conn,
        what,
        "SELECT n.nspname::text, c.relname::text, c.relpages, c.reltuples, c.relallvisible \
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind IN ('r', 'p', 'f') AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' \
         ORDER BY 1, 2",
        &[],
    )
    .await?;
    for row in &rows {
        let schema: String = get(row, 0, what)?;
        let name: String = get(row, 1, what)?;
        let Ok(rel) = catalog.resolve_relation(Some(&schema), &name) else {
            continue;
        };
        let oid = rel.oid;
        let stats = RelationStats {
            relpages: get(row, 2, what)?,
            reltuples: get(row, 3, what)?,
            relallvisible: get(row, 4, what)?,
        };
        catalog.set_relation_stats(oid, stats)?;
    }
    // Arrays of anyarray go through text and text[]: PostgreSQL's own
    // array parser splits the values, whatever their element type.
    let what = "reading pg_stats";
    let rows = query(
        conn,
        what,
        "SELECT s.schemaname::text, s.tablename::text, s.attname::text, s.null_frac, s.avg_width, \
                s.n_distinct, s.most_common_vals::text::text[], s.most_common_freqs, \
                s.histogram_bounds::text::text[], s.correlation, \
                s.most_common_elems::text::text[], s.most_common_elem_freqs, \
                s.elem_count_histogram \
         FROM pg_catalog.pg_stats s \
         WHERE s.schemaname !~ '^pg_' AND s.schemaname <> 'information_schema' AND NOT s.inherited \
         ORDER BY 1, 2, 3",
        &[],
    )
    .await?;
    for row in &rows {
        let schema: String = get(row, 0, what)?;
        let table: String = get(row, 1, what)?;
        let column: String = get(row, 2, what)?;
        let Ok(rel) = catalog.resolve_relation(Some(&schema), &table) else {
            continue;
        };
        let oid = rel.oid;
        let Some(attnum) = rel
            .columns
            .iter()
            .find(|c| !c.dropped && c.name == column)
            .map(|c| c.attnum)
        else {
            warnings.push(format!(
                "statistics of {schema}.{table}.{column}: no such column"
            ));
            continue;
        };
        let values = |v: Option<Vec<Option<String>>>| -> Vec<String> {
            v.unwrap_or_default()
                .into_iter()
                .map(Option::unwrap_or_default)
                .collect()
        };
        let stats = ColumnStats {
            null_frac: get(row, 3, what)?,
            avg_width: get(row, 4, what)?,
            n_distinct: get(row, 5, what)?,
            most_common_vals: values(get(row, 6, what)?),
            most_common_freqs: get::<Option<Vec<f32>>>(row, 7, what)?.unwrap_or_default(),
            histogram_bounds: values(get(row, 8, what)?),
            correlation: get(row, 9, what)?,
            most_common_elems: values(get(row, 10, what)?),
            most_common_elem_freqs: get::<Option<Vec<f32>>>(row, 11, what)?.unwrap_or_default(),
            elem_count_histogram: get::<Option<Vec<f32>>>(row, 12, what)?.unwrap_or_default(),
        };
        catalog.set_column_stats(oid, AttrNumber(attnum), stats)?;
    }
    Ok(())
}

/// `name` as a double-quoted identifier (always quoted: valid for any name).
pub(crate) fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `value` as a standard-conforming string literal.
pub(crate) fn literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String)> {
        match parse_conninfo(text) {
            Ok(pairs) => pairs,
            Err(e) => panic!("{text}: {e}"),
        }
    }

    fn owned(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn conninfo_keywords_as_libpq_reads_them() {
        assert_eq!(
            pairs("  host = db1  port=5433 password='it\\'s a \\\\ secret' sslmode=require "),
            owned(&[
                ("host", "db1"),
                ("port", "5433"),
                ("password", "it's a \\ secret"),
                ("sslmode", "require"),
            ])
        );
        assert_eq!(pairs("dbname=a\\ b"), owned(&[("dbname", "a b")]));
        assert_eq!(pairs(""), owned(&[]));
        let err = |text: &str| parse_conninfo(text).err().unwrap_or_default();
        assert_eq!(
            err("host"),
            "missing \"=\" after \"host\" in connection info string"
        );
        assert_eq!(
            err("password='abc"),
            "unterminated quoted string in connection info string"
        );
        assert_eq!(
            err("sslmdoe=require"),
            "invalid connection option \"sslmdoe\""
        );
    }

    #[test]
    fn conninfo_uris_as_libpq_reads_them() {
        assert_eq!(
            pairs("postgresql://u%40x:p%3Aw@h1:5433,[::1]:5434,h3/my%20db?sslmode=verify-full&sslrootcert=/r.crt"),
            owned(&[
                ("user", "u@x"),
                ("password", "p:w"),
                ("host", "h1,::1,h3"),
                ("port", "5433,5434,"),
                ("dbname", "my db"),
                ("sslmode", "verify-full"),
                ("sslrootcert", "/r.crt"),
            ])
        );
        assert_eq!(
            pairs("postgres://localhost?ssl=true"),
            owned(&[("host", "localhost"), ("port", ""), ("sslmode", "require")])
        );
        let err = |text: &str| parse_conninfo(text).err().unwrap_or_default();
        assert_eq!(
            err("postgresql://h/?bogus=1"),
            "invalid URI query parameter: \"bogus\""
        );
        // The value (a password here) is never quoted.
        let text = err("postgresql://u:sec%zzret@h/");
        assert!(
            text.contains("percent-encoded") && !text.contains("sec"),
            "{text}"
        );
        assert!(err("postgresql://[::1/").contains("\"]\""));
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let params = ConnParams::from_conninfo(
            DSN_LABEL,
            owned(&[("host", "h"), ("sslmode", "require")]),
            owned(&[("password", "pw-Secret-1"), ("sslpassword", "key-Secret-2")]),
            String::new(),
            "u".to_owned(),
        );
        let spec = params.connect_spec(true);
        let text = format!("{params:?} {spec:?}");
        assert!(spec.is_ok_and(|s| s.tls.password.as_deref() == Some("key-Secret-2")));
        assert!(
            !text.contains("pw-Secret-1") && !text.contains("key-Secret-2"),
            "{text}"
        );
    }

    #[test]
    fn quoting_and_scrubbing() {
        assert_eq!(ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(literal("it's"), "'it''s'");
        assert_eq!(
            member_ddl("pg_proc", "function f(integer)"),
            Some("FUNCTION f(integer)".to_string())
        );
        assert_eq!(member_ddl("pg_cast", "cast from a to b"), None);
    }
}
