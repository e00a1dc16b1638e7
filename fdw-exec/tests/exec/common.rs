//! Shared setup: an oracle pair of databases per test (so each test reads
//! only its own remote log), a catalog with the server `loopback` and the
//! current user's mapping, and a reader of the remote statement log.

use std::fs;
use std::io::{Read as _, Seek as _, SeekFrom};
use std::sync::Arc;

use fdw_catalog::catalog::{MappingUserSpec, ServerDef};
use fdw_catalog::Catalog;
use fdw_core::Oid;
use fdw_exec::{ColumnType, Executor, LocalSession, NoSecrets, ScanRequest, SecretSource};
use fdw_testkit::Oracle;

/// The remote test table, as a small typed sample.
pub(crate) const REMOTE_SCHEMA: &str = "
CREATE TABLE t1 (c1 int PRIMARY KEY, c2 text, c3 timestamptz, c4 numeric, c5 float8, c6 bool, c7 varchar(10));
INSERT INTO t1 SELECT g, 'row ' || g, '2000-01-01 00:00:00+00'::timestamptz + g * interval '1 hour',
    g / 7.0, g / 3.0, g % 2 = 0, 'v' || g FROM generate_series(1, 34) g;
CREATE VIEW my_app AS SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid();
";

pub(crate) const INT4: Oid = Oid(23);
pub(crate) const TEXT: Oid = Oid(25);

/// An oracle with [`REMOTE_SCHEMA`] on its remote side and the foreign
/// table `ft1` over `t1` on its local side.
pub(crate) fn oracle() -> Oracle {
    let oracle = Oracle::new(15).expect("PostgreSQL 15 oracle (install postgresql-15)");
    oracle.exec_remote(REMOTE_SCHEMA).expect("remote schema");
    oracle
        .exec_local(
            "CREATE FOREIGN TABLE ft1 (c1 int, c2 text, c3 timestamptz, c4 numeric, c5 float8, c6 bool, c7 varchar(10)) \
             SERVER loopback OPTIONS (table_name 't1');
             CREATE FOREIGN TABLE ft_app (application_name text) SERVER loopback OPTIONS (table_name 'my_app')",
        )
        .expect("foreign tables");
    oracle
}

/// A catalog with server `name` pointing at the oracle's remote database
/// (plus `extra` options) and a mapping for the current user.
pub(crate) fn catalog_with(oracle: &Oracle, name: &str, extra: &[(&str, &str)]) -> (Catalog, Oid) {
    let mut catalog = Catalog::new(15).expect("catalog");
    catalog
        .create_extension("postgres_fdw", None, false)
        .expect("postgres_fdw");
    let socket = oracle.cluster().socket_dir().display().to_string();
    let mut options = vec![
        ("host", socket.as_str()),
        ("port", "5432"),
        ("dbname", oracle.remote_db()),
    ];
    options.extend_from_slice(extra);
    let server = catalog
        .create_server(&ServerDef::postgres_fdw(name, &options))
        .expect("server");
    catalog
        .create_user_mapping(&MappingUserSpec::CurrentUser, name, &[], false)
        .expect("mapping");
    (catalog, server)
}

pub(crate) fn executor(catalog: &Catalog) -> Executor {
    executor_with(catalog, Arc::new(NoSecrets))
}

pub(crate) fn executor_with(catalog: &Catalog, secrets: Arc<dyn SecretSource>) -> Executor {
    Executor::new(LocalSession::from_catalog(catalog), secrets)
}

pub(crate) fn request(server: Oid, sql: &str, types: &[Oid]) -> ScanRequest {
    ScanRequest::new(
        server,
        sql,
        types.iter().map(|t| ColumnType::of(*t)).collect(),
    )
}

/// Reads what the remote database logged after a byte offset.
pub(crate) struct RemoteLog {
    path: std::path::PathBuf,
    db: String,
    start: u64,
}

impl RemoteLog {
    /// Starts reading at the current end of the log.
    pub(crate) fn start(oracle: &Oracle) -> RemoteLog {
        let path = oracle.cluster().log_path();
        let start = fs::metadata(&path).expect("server log").len();
        RemoteLog {
            path,
            db: oracle.remote_db().to_owned(),
            start,
        }
    }

    /// The messages since the start, as `Oracle::received` gives them.
    pub(crate) fn messages(&self) -> Vec<String> {
        let mut file = fs::File::open(&self.path).expect("server log");
        file.seek(SeekFrom::Start(self.start)).expect("seek");
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).expect("read log");
        parse_log(&String::from_utf8_lossy(&bytes), &self.db)
    }

    /// Only the statements (`LOG:  statement: ...`, `LOG:  execute ...`)
    /// and parameter details.
    pub(crate) fn statements(&self) -> Vec<String> {
        statements_only(&self.messages())
    }
}

pub(crate) fn statements_only(messages: &[String]) -> Vec<String> {
    messages
        .iter()
        .filter(|m| {
            m.starts_with("LOG:  statement:")
                || m.starts_with("LOG:  execute")
                || m.starts_with("DETAIL:  parameters:")
        })
        .cloned()
        .collect()
}

fn parse_log(text: &str, db: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut in_db = false;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("fdwlog|") {
            let mut parts = rest.splitn(3, '|');
            let _pid = parts.next();
            let line_db = parts.next().unwrap_or_default();
            let message = parts.next().unwrap_or_default();
            in_db = line_db == db;
            if in_db {
                out.push(message.strip_prefix(' ').unwrap_or(message).to_owned());
            }
        } else if in_db {
            if let Some(last) = out.last_mut() {
                last.push('\n');
                last.push_str(line);
            }
        }
    }
    out
}

/// The remote backend pid of the executor's connection to `server`.
pub(crate) async fn backend_pid(exec: &mut Executor, catalog: &Catalog, server: Oid) -> String {
    let rows = exec
        .run_query(
            catalog,
            &request(server, "SELECT pg_backend_pid()", &[INT4]),
        )
        .await
        .expect("pg_backend_pid");
    rows[0][0].clone().expect("pid")
}
