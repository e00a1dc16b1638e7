//! The oracle: real postgres_fdw on a throwaway cluster, asked for plans,
//! rows and the statements its remote side receives.
//!
//! An [`Oracle`] owns two fresh databases of one cluster: the *remote* one
//! holds the tables, the *local* one has `postgres_fdw`, a server
//! `loopback` pointing at the remote database through the cluster's Unix
//! socket, a user mapping, and whatever foreign tables the test creates.
//! Each question runs in a new local session (so a new remote connection),
//! after the oracle's settings and `extra_float_digits = 3`.
//!
//! Queries that PostgreSQL rejects are answered with the [`SqlError`](crate::psql::SqlError)
//! (SQLSTATE and message) inside `Ok`; `Err` means the kit itself failed.

use std::fs;
use std::io::{Read as _, Seek as _, SeekFrom};
use std::sync::Mutex;

use anyhow::{anyhow, bail, Context, Result};

use crate::cluster::{Cluster, LOG_PREFIX_TAG, PORT};
use crate::explain::Explain;
use crate::psql::{split_statements, Outcome, Step, Table};

/// Name of the server [`Oracle::new`] creates.
pub const LOOPBACK: &str = "loopback";

/// Whether `EXPLAIN` prints costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostsMode {
    /// `COSTS OFF`, as in the spec's examples.
    Off,
    /// `COSTS ON`: every node carries [`crate::explain::Costs`].
    On,
}

/// The rows of a query with their column names and type names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rows {
    /// `(name, type)` per column; the type as `format_type` prints it,
    /// e.g. `integer`, `character varying(10)`.
    pub columns: Vec<(String, String)>,
    /// Values in PostgreSQL's text output form (with
    /// `extra_float_digits = 3`); `None` is NULL.
    pub rows: Vec<Vec<Option<String>>>,
}

/// What a session sent and what the remote database received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The outcome of each statement of the local script.
    pub outcomes: Vec<Outcome<Table>>,
    /// The remote database's log messages in order, without the line prefix
    /// (`LOG:  statement: SET search_path = pg_catalog`,
    /// `LOG:  execute <unnamed>: DECLARE c1 CURSOR FOR\n\tSELECT ...`,
    /// `DETAIL:  parameters: $1 = '1'`); continuation lines are joined
    /// with `\n`.
    pub statements: Vec<String>,
}

/// A local and a remote database with postgres_fdw between them.
#[derive(Debug)]
pub struct Oracle {
    cluster: &'static Cluster,
    local_db: String,
    remote_db: String,
    settings: Vec<(String, String)>,
    /// Serialises log captures of this oracle (they read the shared server
    /// log by offset, filtered by database).
    capture: Mutex<()>,
}

impl Oracle {
    /// Creates a remote and a local database on the cluster of PostgreSQL
    /// `major` (started on first use), with `postgres_fdw`, the server
    /// [`LOOPBACK`] and a user mapping, and `log_statement = all` on the
    /// remote database.
    ///
    /// # Errors
    ///
    /// When the cluster cannot start (see [`Cluster::shared`]) or the setup
    /// fails.
    pub fn new(major: u32) -> Result<Oracle> {
        let cluster = Cluster::shared(major)?;
        let remote_db = cluster.create_database("fdw_remote")?;
        let local_db = cluster.create_database("fdw_local")?;
        cluster.exec(
            "postgres",
            &format!("ALTER DATABASE \"{remote_db}\" SET log_statement = 'all'"),
        )?;
        let oracle = Oracle {
            cluster,
            local_db,
            remote_db,
            settings: Vec::new(),
            capture: Mutex::new(()),
        };
        oracle.exec_local("CREATE EXTENSION postgres_fdw")?;
        oracle.create_server(LOOPBACK, &[])?;
        Ok(oracle)
    }

    /// The cluster the oracle runs on.
    pub fn cluster(&self) -> &'static Cluster {
        self.cluster
    }

    /// Major version of the server, e.g. `15`.
    pub fn major(&self) -> u32 {
        self.cluster.major()
    }

    /// The local database's name.
    pub fn local_db(&self) -> &str {
        &self.local_db
    }

    /// The remote database's name.
    pub fn remote_db(&self) -> &str {
        &self.remote_db
    }

    /// Connection options reaching the remote database, for `CREATE SERVER
    /// ... OPTIONS (<here>, ...)`: `host '<socket dir>', port '5432',
    /// dbname '<remote db>'`.
    pub fn connection_options(&self) -> String {
        format!(
            "host '{}', port '{PORT}', dbname '{}'",
            self.cluster.socket_dir().display(),
            self.remote_db
        )
    }

    /// Adds a setting (`SET name = value`) to every later session, e.g.
    /// `("enable_hashjoin", "off")`. `value` is SQL (quote strings).
    pub fn set(&mut self, name: &str, value: &str) {
        self.settings.push((name.to_owned(), value.to_owned()));
    }

    /// Runs the SQL script `sql` on the remote database (DDL and data).
    ///
    /// # Errors
    ///
    /// At the first failing statement, naming it.
    pub fn exec_remote(&self, sql: &str) -> Result<()> {
        self.cluster.exec(&self.remote_db, sql)
    }

    /// Runs the SQL script `sql` on the local database (foreign tables,
    /// options, ANALYZE).
    ///
    /// # Errors
    ///
    /// At the first failing statement, naming it.
    pub fn exec_local(&self, sql: &str) -> Result<()> {
        self.cluster.exec(&self.local_db, sql)
    }

    /// Runs each statement of `sql` on the local database and returns each
    /// one's outcome; a failing statement does not stop the next.
    ///
    /// # Errors
    ///
    /// Only when psql itself fails.
    pub fn try_exec_local(&self, sql: &str) -> Result<Vec<(String, Outcome<Table>)>> {
        let statements = split_statements(sql);
        let steps: Vec<Step> = statements.iter().map(|s| Step::Sql(s.clone())).collect();
        let outcomes = self.cluster.run(&self.local_db, &steps)?;
        Ok(statements.into_iter().zip(outcomes).collect())
    }

    /// Creates server `name` pointing at the remote database, with extra
    /// server `options` (e.g. `("use_remote_estimate", "true")`), and a user
    /// mapping for the current user.
    ///
    /// # Errors
    ///
    /// When PostgreSQL rejects the server or an option.
    pub fn create_server(&self, name: &str, options: &[(&str, &str)]) -> Result<()> {
        let mut opts = self.connection_options();
        for (key, value) in options {
            opts.push_str(&format!(", {key} {}", quote_literal(value)));
        }
        self.exec_local(&format!(
            "CREATE SERVER {name} FOREIGN DATA WRAPPER postgres_fdw OPTIONS ({opts});\n\
             CREATE USER MAPPING FOR CURRENT_USER SERVER {name}"
        ))
    }

    /// `IMPORT FOREIGN SCHEMA <remote_schema> FROM SERVER loopback INTO
    /// <local_schema>` (identifiers as given: quote them yourself).
    ///
    /// # Errors
    ///
    /// When the import fails.
    pub fn import_foreign_schema(&self, remote_schema: &str, local_schema: &str) -> Result<()> {
        self.exec_local(&format!(
            "IMPORT FOREIGN SCHEMA {remote_schema} FROM SERVER {LOOPBACK} INTO {local_schema}"
        ))
    }

    /// `ANALYZE` the given local foreign tables (postgres_fdw samples the
    /// remote rows) and the remote database as a whole.
    ///
    /// # Errors
    ///
    /// When ANALYZE fails.
    pub fn analyze(&self, foreign_tables: &[&str]) -> Result<()> {
        self.exec_remote("ANALYZE")?;
        for table in foreign_tables {
            self.exec_local(&format!("ANALYZE {table}"))?;
        }
        Ok(())
    }

    /// `EXPLAIN (VERBOSE, COSTS ...)` of `query` on the local database.
    ///
    /// # Errors
    ///
    /// When psql fails or the output cannot be parsed; PostgreSQL's own
    /// errors come back as `Ok(Err(..))`.
    pub fn explain(&self, query: &str, costs: CostsMode) -> Result<Outcome<Explain>> {
        let mut all = self.explain_all(&[query], costs)?;
        all.pop().ok_or_else(|| anyhow!("no EXPLAIN answer"))
    }

    /// Like [`Oracle::explain`] for many queries in one session (much
    /// faster than one call each).
    ///
    /// # Errors
    ///
    /// As [`Oracle::explain`].
    pub fn explain_all(&self, queries: &[&str], costs: CostsMode) -> Result<Vec<Outcome<Explain>>> {
        self.explain_all_with(queries, costs, &[])
    }

    /// Like [`Oracle::explain_all`], with extra session `settings`
    /// `(name, value)` applied after the oracle's own.
    ///
    /// # Errors
    ///
    /// As [`Oracle::explain`]; also when a setting is rejected.
    pub fn explain_all_with(
        &self,
        queries: &[&str],
        costs: CostsMode,
        settings: &[(String, String)],
    ) -> Result<Vec<Outcome<Explain>>> {
        let costs = match costs {
            CostsMode::Off => "OFF",
            CostsMode::On => "ON",
        };
        let mut steps = self.session_prelude();
        for (name, value) in settings {
            steps.push(Step::Sql(format!("SET {name} = {value}")));
        }
        let n_prelude = steps.len();
        for query in queries {
            steps.push(Step::Sql(format!(
                "EXPLAIN (VERBOSE, COSTS {costs}) {query}"
            )));
        }
        let outcomes = self.run_local(&steps, n_prelude)?;
        outcomes
            .into_iter()
            .skip(n_prelude)
            .zip(queries)
            .map(|(outcome, query)| match outcome {
                Ok(table) => {
                    let lines = table
                        .rows
                        .into_iter()
                        .map(|mut row| row.pop().flatten().unwrap_or_default())
                        .collect();
                    Explain::parse(lines)
                        .map(Ok)
                        .with_context(|| format!("EXPLAIN of {query}"))
                }
                Err(err) => Ok(Err(err)),
            })
            .collect()
    }

    /// The rows `query` returns on the local database, with column types.
    /// The query runs in a transaction that is rolled back, so DML leaves
    /// the tables as they were.
    ///
    /// # Errors
    ///
    /// When psql fails; PostgreSQL's errors come back as `Ok(Err(..))`.
    pub fn rows(&self, query: &str) -> Result<Outcome<Rows>> {
        self.rows_in(&self.local_db, query)
    }

    /// Like [`Oracle::rows`], but directly on the remote database (e.g. to
    /// run a remote SQL text).
    ///
    /// # Errors
    ///
    /// As [`Oracle::rows`].
    pub fn remote_rows(&self, query: &str) -> Result<Outcome<Rows>> {
        self.rows_in(&self.remote_db, query)
    }

    /// Runs the SQL script `script` in one local session (statements as
    /// written: add `BEGIN`/`ROLLBACK` yourself) and returns what the remote
    /// database logged meanwhile (`log_statement = all`).
    ///
    /// # Errors
    ///
    /// When psql fails or the server log cannot be read.
    pub fn received(&self, script: &str) -> Result<Received> {
        let _guard = self
            .capture
            .lock()
            .map_err(|_| anyhow!("capture lock poisoned"))?;
        let log = self.cluster.log_path();
        let start = fs::metadata(&log)?.len();
        let mut steps = self.session_prelude();
        let n_prelude = steps.len();
        steps.extend(split_statements(script).into_iter().map(Step::Sql));
        let outcomes: Vec<_> = self
            .run_local(&steps, n_prelude)?
            .into_iter()
            .skip(n_prelude)
            .collect();
        let mut file = fs::File::open(&log)?;
        file.seek(SeekFrom::Start(start))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        let statements = parse_log(&String::from_utf8_lossy(&bytes), &self.remote_db);
        Ok(Received {
            outcomes,
            statements,
        })
    }

    fn rows_in(&self, db: &str, query: &str) -> Result<Outcome<Rows>> {
        let mut steps = self.session_prelude();
        let n_prelude = steps.len();
        steps.push(Step::Describe(query.to_owned()));
        steps.push(Step::Sql("BEGIN".to_owned()));
        steps.push(Step::Sql(query.to_owned()));
        steps.push(Step::Sql("ROLLBACK".to_owned()));
        let mut outcomes = self.cluster.run(db, &steps)?.into_iter().skip(n_prelude);
        let (Some(describe), Some(begin), Some(result)) =
            (outcomes.next(), outcomes.next(), outcomes.next())
        else {
            bail!("psql answered too few steps");
        };
        begin.map_err(|err| anyhow!("BEGIN failed: {err}"))?;
        let table = match result {
            Ok(table) => table,
            Err(err) => return Ok(Err(err)),
        };
        let describe = match describe {
            Ok(describe) => describe,
            Err(err) => return Ok(Err(err)),
        };
        let columns: Vec<(String, String)> = describe
            .rows
            .into_iter()
            .map(|mut row| {
                let ty = row.pop().flatten().unwrap_or_default();
                let name = row.pop().flatten().unwrap_or_default();
                (name, ty)
            })
            .collect();
        if !table.columns.is_empty() && columns.len() != table.columns.len() {
            bail!(
                "\\gdesc gave {} columns, the query {}",
                columns.len(),
                table.columns.len()
            );
        }
        Ok(Ok(Rows {
            columns,
            rows: table.rows,
        }))
    }

    fn session_prelude(&self) -> Vec<Step> {
        let mut steps = vec![Step::Sql("SET extra_float_digits = 3".to_owned())];
        for (name, value) in &self.settings {
            steps.push(Step::Sql(format!("SET {name} = {value}")));
        }
        steps
    }

    /// Runs steps on the local database and fails if one of the first
    /// `n_prelude` (the session settings) failed.
    fn run_local(&self, steps: &[Step], n_prelude: usize) -> Result<Vec<Outcome<Table>>> {
        let outcomes = self.cluster.run(&self.local_db, steps)?;
        for (step, outcome) in steps.iter().zip(&outcomes).take(n_prelude) {
            if let Err(err) = outcome {
                bail!("session setting failed: {step:?}: {err}");
            }
        }
        Ok(outcomes)
    }
}

/// `'value'` with quotes doubled.
fn quote_literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// Picks the messages of database `db` out of server log text and strips
/// their prefixes; lines without a prefix continue the message before.
fn parse_log(text: &str, db: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut in_db = false;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix(LOG_PREFIX_TAG) {
            // fdwlog|<pid>|<db>| message
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_parser_keeps_one_database_and_joins_continuations() {
        let log = "fdwlog|10|r_1| LOG:  statement: SET search_path = pg_catalog\n\
                   fdwlog|11|other| LOG:  statement: SELECT 1\n\
                   continuation of other\n\
                   fdwlog|10|r_1| LOG:  execute <unnamed>: DECLARE c1 CURSOR FOR\n\
                   \tSELECT c1 FROM t\n\
                   fdwlog|10|r_1| DETAIL:  parameters: $1 = '1'\n";
        assert_eq!(
            parse_log(log, "r_1"),
            vec![
                "LOG:  statement: SET search_path = pg_catalog".to_owned(),
                "LOG:  execute <unnamed>: DECLARE c1 CURSOR FOR\n\tSELECT c1 FROM t".to_owned(),
                "DETAIL:  parameters: $1 = '1'".to_owned(),
            ]
        );
    }

    #[test]
    fn quotes_literals() {
        assert_eq!(quote_literal("it's"), "'it''s'");
    }
}
