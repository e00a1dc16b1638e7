//! Helpers for property tests that send fdw's remote SQL to the oracle and
//! compare it with what PostgreSQL's own postgres_fdw prints and sends.
//!
//! [`proptest`] is re-exported so that a test crate that only depends on
//! the kit can build its own strategies with the same version the
//! generators use.

pub use proptest;

use anyhow::{anyhow, Result};
use fdw_catalog::catalog::Catalog;

use crate::gen::quote_literal;
use crate::harness::EXTENSION_SERVER;
use crate::oracle::{Oracle, LOOPBACK};
use crate::psql::{Outcome, Step};

/// Name of the local function [`pg_remote_sqls`] installs.
const REMOTE_SQLS_FUNCTION: &str = "public.fdw_testkit_remote_sqls";

/// The local function behind [`pg_remote_sqls`]. It reads `EXPLAIN` in JSON
/// rather than text because the text format splits a `Remote SQL:` whose
/// constants or names hold a newline over several lines, which cannot be
/// told apart from the next detail line.
fn remote_sqls_function_sql() -> String {
    format!(
        "CREATE OR REPLACE FUNCTION {REMOTE_SQLS_FUNCTION}(query text) RETURNS SETOF text \
         LANGUAGE plpgsql AS $fdw$\n\
         DECLARE plan json;\n\
         BEGIN\n\
           EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF, FORMAT JSON) ' || query INTO plan;\n\
           RETURN QUERY SELECT s #>> '{{}}' FROM jsonb_path_query(plan::jsonb, 'strict $.**.\"Remote SQL\"') AS s;\n\
         END\n\
         $fdw$"
    )
}

/// PostgreSQL's `Remote SQL:` texts of each query, exactly (newlines and
/// all), from `EXPLAIN (VERBOSE, COSTS OFF, FORMAT JSON)` on the local
/// database, all in one session. With several foreign scans in one plan
/// the order is that of a traversal of the JSON plan with its keys sorted
/// as `jsonb` sorts them, not EXPLAIN's order.
///
/// # Errors
///
/// When psql fails; a query PostgreSQL rejects comes back as `Ok(Err(..))`.
pub fn pg_remote_sqls(oracle: &Oracle, queries: &[&str]) -> Result<Vec<Outcome<Vec<String>>>> {
    oracle.exec_local(&remote_sqls_function_sql())?;
    let mut steps = vec![Step::Sql("SET extra_float_digits = 3".to_owned())];
    for query in queries {
        steps.push(Step::Sql(format!(
            "SELECT {REMOTE_SQLS_FUNCTION}({})",
            quote_literal(query)
        )));
    }
    let mut outcomes = oracle.cluster().run(oracle.local_db(), &steps)?.into_iter();
    outcomes
        .next()
        .ok_or_else(|| anyhow!("psql answered no step"))?
        .map_err(|err| anyhow!("SET extra_float_digits failed: {err}"))?;
    Ok(outcomes
        .map(|outcome| {
            outcome.map(|table| {
                table
                    .rows
                    .into_iter()
                    .filter_map(|row| row.into_iter().next().flatten())
                    .collect()
            })
        })
        .collect())
}

/// The statements of the `DECLARE cN CURSOR FOR <statement>` commands in
/// the remote log messages `statements` (see
/// [`Received::statements`](crate::oracle::Received::statements)), in order,
/// exactly as postgres_fdw sent them.
///
/// The server log puts a tab after every newline of a message; it is taken
/// out again, which restores the text because every newline got one.
pub fn declared_cursors(statements: &[String]) -> Vec<String> {
    statements
        .iter()
        .filter_map(|message| {
            let head_end = message.find(" CURSOR FOR\n")?;
            let head = message.get(..head_end)?;
            let rest = message.get(head_end + " CURSOR FOR".len()..)?;
            if !head.contains("DECLARE c") {
                return None;
            }
            let text = rest.replace("\n\t", "\n");
            Some(text.strip_prefix('\n').unwrap_or(&text).to_owned())
        })
        .collect()
}

/// fdw's catalog of a generated scenario's local DDL with both servers of
/// [`crate::harness::set_up_generated`] (their connection options
/// `connection_options`), without an oracle: for tests that only plan.
///
/// # Errors
///
/// When the DDL does not load.
pub fn offline_catalog(local_ddl: &[String], connection_options: &str) -> Result<Catalog> {
    let mut script = format!(
        "CREATE EXTENSION postgres_fdw;\n\
         CREATE SERVER {LOOPBACK} FOREIGN DATA WRAPPER postgres_fdw OPTIONS ({connection_options});\n\
         CREATE SERVER {EXTENSION_SERVER} FOREIGN DATA WRAPPER postgres_fdw OPTIONS ({connection_options}, extensions 'cube');\n"
    );
    for statement in local_ddl {
        script.push_str(statement);
        script.push_str(";\n");
    }
    let mut catalog = Catalog::new(15)?;
    fdw_catalog::ddl::load(&mut catalog, &script)?;
    Ok(catalog)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_cursors_undo_the_log_tabs() {
        let messages = vec![
            "LOG:  statement: START TRANSACTION ISOLATION LEVEL REPEATABLE READ".to_owned(),
            "LOG:  execute <unnamed>: DECLARE c1 CURSOR FOR\n\tSELECT \"a\n\tb\" FROM t WHERE ((x = 'l\n\t\tm'))"
                .to_owned(),
            "LOG:  statement: FETCH 100 FROM c1".to_owned(),
        ];
        assert_eq!(
            declared_cursors(&messages),
            vec!["SELECT \"a\nb\" FROM t WHERE ((x = 'l\n\tm'))".to_owned()]
        );
    }
}
