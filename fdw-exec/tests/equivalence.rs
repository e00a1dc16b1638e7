//! Result equivalence: for generated queries over the oracle's schema and
//! data, the rows of the original query equal the rows of our plan run in
//! its host form (`fdw_exec::host_sql`: each foreign scan's remote SQL sent
//! through `dblink`, the plan's local work as SQL around it).
//!
//! The original query does not go through postgres_fdw's pushdown: each
//! foreign (and local) table of the scenario is copied into a plain table of
//! the same name and shape (`CREATE TABLE truth.t (LIKE public.t)`, filled
//! by a plain `SELECT *` of the foreign table) and the query runs with
//! `search_path = truth, public`, so it reads the remote data with nothing
//! pushed. The host form runs on the same local database with the default
//! search path, `dblink` reaching the remote database. Both sessions use
//! `extra_float_digits = 3`; the cluster is C locale.
//!
//! Compared as multisets of rows; when the query orders by keys that are
//! all in the select list, the sequences of those keys must be equal too;
//! with `LIMIT`/`OFFSET` under `ORDER BY`, rows tied with a boundary key may
//! legitimately differ, so only the keys and the rows strictly inside the
//! boundaries are compared; with `LIMIT`/`OFFSET` and no usable order, only
//! the row counts. Queries our planner refuses are counted, not compared;
//! queries whose original form fails in PostgreSQL (a run-time error) are
//! counted, not compared.
//!
//! An ordered aggregate's (`array_agg(x ORDER BY k)`, `string_agg`) elements
//! come in the order of its input wherever its `ORDER BY` keys tie (always,
//! when they are constants), and that order depends on the join order each
//! side's planner chose. Such output columns are compared as the multiset
//! of their elements (array elements; a string's characters).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::collections::BTreeMap;
use std::fmt::Write as _;

use fdw_catalog::catalog::Catalog;
use fdw_catalog::objects::RelationKind;
use fdw_core::Oid;
use fdw_deparse::PostgresDialect;
use fdw_exec::host_sql::{host_sql, HostSqlError, ServerConnInfo};
use fdw_testkit::cluster::PORT;
use fdw_testkit::gen::{GenConfig, QueryConfig};
use fdw_testkit::harness;
use fdw_testkit::oracle::Oracle;
use fdw_testkit::psql::{Outcome, Step, Table};

const SEEDS: [u64; 4] = [7_100, 7_101, 7_102, 7_103];
const QUERIES_PER_SEED: usize = 320;

type Row = Vec<Option<String>>;

fn config() -> GenConfig {
    GenConfig {
        max_rows: 12,
        query: QueryConfig {
            single_table: true,
            joins: true,
            semi_joins: true,
            local_joins: true,
            aggregates: true,
            dml: false,
            // Results of now(), random(), ... are not comparable.
            mutable_functions: false,
            user_defined: true,
            extension: true,
            max_depth: 3,
            max_where_depth: 3,
        },
        ..GenConfig::default()
    }
}

/// One query ready for both runs.
struct Case {
    sql: String,
    host: String,
    /// Per ORDER BY key, its visible output column (None when a key is a
    /// junk column or the query does not order).
    order_columns: Option<Vec<usize>>,
    ordered: bool,
    limited: bool,
    /// `LIMIT n` with no `OFFSET` (or `OFFSET 0`): when both sides return
    /// fewer than `n` rows, the limit cut nothing and the multisets compare.
    uncut_below: Option<usize>,
    /// Visible output columns that are an ordered aggregate's result.
    ordered_aggs: Vec<usize>,
}

#[derive(Default)]
struct Tally {
    generated: usize,
    refused: BTreeMap<String, usize>,
    host_unsupported: BTreeMap<String, usize>,
    original_failed: usize,
    compared: usize,
    equal: usize,
    order_checked: usize,
    count_only: usize,
    differences: Vec<String>,
}

fn bump(map: &mut BTreeMap<String, usize>, reason: String) {
    let key: String = reason.chars().take(90).collect();
    *map.entry(key).or_default() += 1;
}

fn plan_case(
    catalog: &Catalog,
    sql: &str,
    conninfo: &dyn ServerConnInfo,
    tally: &mut Tally,
) -> Option<Case> {
    let dialect = PostgresDialect::new(15).unwrap();
    let prepared = match fdw_sql::prepare_query(catalog, sql, &[]) {
        Ok(p) => p,
        Err(err) => {
            bump(&mut tally.refused, format!("prepare: {err}"));
            return None;
        }
    };
    let planned = match fdw_planner::plan_query::plan_query(catalog, &dialect, &prepared) {
        Ok(p) => p,
        Err(err) => {
            bump(&mut tally.refused, format!("plan: {err}"));
            return None;
        }
    };
    let query = &prepared.query;
    let host = match host_sql(catalog, &planned.plan, query, conninfo) {
        Ok(host) => host,
        Err(err @ HostSqlError::Unsupported(_)) => {
            bump(&mut tally.host_unsupported, err.to_string());
            return None;
        }
        Err(err) => panic!("host SQL failed for {sql}: {err}"),
    };
    let visible: Vec<usize> = query
        .target_list
        .iter()
        .enumerate()
        .filter(|(_, te)| !te.resjunk)
        .map(|(i, _)| i)
        .collect();
    let ordered = !query.sort_clause.is_empty();
    let order_columns = if ordered {
        query
            .sort_clause
            .iter()
            .map(|clause| {
                let index = query
                    .target_list
                    .iter()
                    .position(|te| te.ressortgroupref == clause.tle_sort_group_ref)?;
                visible.iter().position(|&v| v == index)
            })
            .collect::<Option<Vec<usize>>>()
    } else {
        None
    };
    let ordered_aggs = visible
        .iter()
        .enumerate()
        .filter(|(_, &index)| {
            query.target_list.get(index).is_some_and(
                |te| matches!(&te.expr, fdw_core::Expr::Aggref(agg) if !agg.aggorder.is_empty()),
            )
        })
        .map(|(column, _)| column)
        .collect();
    Some(Case {
        sql: sql.to_owned(),
        host,
        ordered_aggs,
        order_columns,
        ordered,
        limited: query.limit_count.is_some() || query.limit_offset.is_some(),
        uncut_below: uncut_below(query),
    })
}

fn const_value(expr: &fdw_core::Expr) -> Option<usize> {
    match expr {
        fdw_core::Expr::Const(c) => c.value.as_deref()?.parse().ok(),
        _ => None,
    }
}

fn uncut_below(query: &fdw_core::query::Query) -> Option<usize> {
    let no_offset = query
        .limit_offset
        .as_ref()
        .is_none_or(|offset| const_value(offset) == Some(0));
    if !no_offset {
        return None;
    }
    query.limit_count.as_ref().and_then(const_value)
}

fn sorted(rows: &[Row]) -> Vec<Row> {
    let mut rows = rows.to_vec();
    rows.sort();
    rows
}

fn keys(rows: &[Row], columns: &[usize]) -> Vec<Row> {
    rows.iter()
        .map(|row| {
            columns
                .iter()
                .map(|&c| row.get(c).cloned().flatten())
                .collect()
        })
        .collect()
}

/// Rows whose key is not the first or the last key of the result.
fn inner_rows(rows: &[Row], columns: &[usize]) -> Vec<Row> {
    let all = keys(rows, columns);
    let (Some(first), Some(last)) = (all.first(), all.last()) else {
        return Vec::new();
    };
    let mut out: Vec<Row> = rows
        .iter()
        .zip(&all)
        .filter(|(_, key)| *key != first && *key != last)
        .map(|(row, _)| row.clone())
        .collect();
    out.sort();
    out
}

/// `None` when equal, else what differs.
fn compare(case: &Case, ours: &[Row], theirs: &[Row], tally: &mut Tally) -> Option<String> {
    let ours = &elements_unordered(ours, &case.ordered_aggs);
    let theirs = &elements_unordered(theirs, &case.ordered_aggs);
    match (&case.order_columns, case.limited) {
        (Some(columns), limited) => {
            tally.order_checked += 1;
            if keys(ours, columns) != keys(theirs, columns) {
                return Some("ORDER BY keys differ".into());
            }
            if limited {
                (inner_rows(ours, columns) != inner_rows(theirs, columns))
                    .then(|| "rows inside the LIMIT boundaries differ".into())
            } else {
                (sorted(ours) != sorted(theirs)).then(|| "row multisets differ".into())
            }
        }
        (None, true)
            if case
                .uncut_below
                .is_some_and(|n| ours.len() < n && theirs.len() < n) =>
        {
            (sorted(ours) != sorted(theirs)).then(|| "row multisets differ".into())
        }
        (None, true) => {
            tally.count_only += 1;
            (ours.len() != theirs.len()).then(|| "row counts differ".into())
        }
        (None, false) => (sorted(ours) != sorted(theirs)).then(|| "row multisets differ".into()),
    }
}

/// The rows with each of `columns` replaced by its elements in sorted
/// order: an array's top-level elements, else a string's characters.
fn elements_unordered(rows: &[Row], columns: &[usize]) -> Vec<Row> {
    if columns.is_empty() {
        return rows.to_vec();
    }
    rows.iter()
        .map(|row| {
            let mut row = row.clone();
            for &c in columns {
                if let Some(Some(value)) = row.get_mut(c) {
                    *value = sorted_elements(value);
                }
            }
            row
        })
        .collect()
}

fn sorted_elements(value: &str) -> String {
    if let Some(body) = value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
        // Top-level elements: commas outside quotes and nested braces.
        let mut elements = Vec::new();
        let (mut depth, mut quoted, mut escaped, mut start) = (0usize, false, false, 0usize);
        for (i, ch) in body.char_indices() {
            match ch {
                _ if escaped => escaped = false,
                '\\' if quoted => escaped = true,
                '"' => quoted = !quoted,
                '{' if !quoted => depth += 1,
                '}' if !quoted => depth = depth.saturating_sub(1),
                ',' if !quoted && depth == 0 => {
                    elements.push(&body[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        elements.push(&body[start..]);
        elements.sort_unstable();
        return format!("{{{}}}", elements.join(","));
    }
    let mut chars: Vec<char> = value.chars().collect();
    chars.sort_unstable();
    chars.into_iter().collect()
}

fn show(rows: &[Row]) -> String {
    let mut out = String::new();
    for row in rows.iter().take(30) {
        let cells: Vec<&str> = row.iter().map(|c| c.as_deref().unwrap_or("NULL")).collect();
        let _ = writeln!(out, "      ({})", cells.join(" | "));
    }
    if rows.len() > 30 {
        let _ = writeln!(out, "      ... {} rows", rows.len());
    }
    out
}

fn run_steps(oracle: &Oracle, prelude: &[&str], statements: &[&str]) -> Vec<Outcome<Table>> {
    let mut steps: Vec<Step> = prelude.iter().map(|s| Step::Sql((*s).to_owned())).collect();
    steps.extend(statements.iter().map(|s| Step::Sql((*s).to_owned())));
    let outcomes = oracle.cluster().run(oracle.local_db(), &steps).unwrap();
    for (step, outcome) in prelude.iter().zip(&outcomes) {
        assert!(
            outcome.is_ok(),
            "session setting {step} failed: {outcome:?}"
        );
    }
    outcomes.into_iter().skip(prelude.len()).collect()
}

/// Copies every table and foreign table of `public` into schema `truth`.
fn make_truth(oracle: &Oracle, catalog: &Catalog) {
    let public = catalog.namespace_oid("public").unwrap();
    let mut script = String::from("CREATE EXTENSION IF NOT EXISTS dblink;\nCREATE SCHEMA truth;\n");
    let mut names: Vec<&str> = catalog
        .relations()
        .filter(|r| r.schema == public)
        .filter(|r| matches!(r.kind, RelationKind::ForeignTable | RelationKind::Table))
        .map(|r| r.name.as_str())
        .collect();
    names.sort_unstable();
    for name in names {
        let name = fdw_testkit::gen::quote_ident(name);
        let _ = writeln!(
            script,
            "CREATE TABLE truth.{name} (LIKE public.{name});\nINSERT INTO truth.{name} SELECT * FROM public.{name};"
        );
    }
    oracle.exec_local(&script).unwrap();
}

fn run_seed(seed: u64, tally: &mut Tally) {
    let oracle = Oracle::new(15).unwrap();
    let (queries, local_ddl) =
        harness::set_up_generated(&oracle, seed, &config(), QUERIES_PER_SEED).unwrap();
    let catalog = harness::generated_catalog(&oracle, &local_ddl).unwrap();
    make_truth(&oracle, &catalog);
    // Both generated servers point at the oracle's remote database.
    let socket = oracle.cluster().socket_dir().display().to_string();
    let remote_db = oracle.remote_db().to_owned();
    let conninfo = move |_server: Oid| {
        Some(vec![
            ("host".to_owned(), socket.clone()),
            ("port".to_owned(), PORT.to_string()),
            ("dbname".to_owned(), remote_db.clone()),
        ])
    };
    let mut cases = Vec::new();
    for query in queries.iter().filter(|q| !q.is_dml()) {
        tally.generated += 1;
        if let Some(case) = plan_case(&catalog, &query.sql, &conninfo, tally) {
            cases.push(case);
        }
    }
    let originals: Vec<&str> = cases.iter().map(|c| c.sql.as_str()).collect();
    let hosts: Vec<&str> = cases.iter().map(|c| c.host.as_str()).collect();
    let theirs = run_steps(
        &oracle,
        &[
            "SET extra_float_digits = 3",
            "SET search_path = truth, public",
        ],
        &originals,
    );
    let ours = run_steps(&oracle, &["SET extra_float_digits = 3"], &hosts);
    for ((case, theirs), ours) in cases.iter().zip(theirs).zip(ours) {
        let Ok(theirs) = theirs else {
            tally.original_failed += 1;
            continue;
        };
        tally.compared += 1;
        let verdict = match &ours {
            Ok(ours) => compare(case, &ours.rows, &theirs.rows, tally),
            Err(err) => Some(format!("host SQL failed: {err}")),
        };
        match verdict {
            None => tally.equal += 1,
            Some(what) => {
                let ours_text = match &ours {
                    Ok(table) => show(&table.rows),
                    Err(err) => format!("      {err}\n"),
                };
                tally.differences.push(format!(
                    "seed {seed}: {what} (ordered: {}, limited: {})\n    query: {}\n    host SQL: {}\n    original rows ({}):\n{}    host rows:\n{}",
                    case.ordered,
                    case.limited,
                    case.sql,
                    case.host,
                    theirs.rows.len(),
                    show(&theirs.rows),
                    ours_text
                ));
            }
        }
    }
}

#[test]
fn host_form_returns_the_rows_of_the_original_query() {
    let mut tally = Tally::default();
    for seed in SEEDS {
        run_seed(seed, &mut tally);
    }
    let refused: usize = tally.refused.values().sum();
    let host_unsupported: usize = tally.host_unsupported.values().sum();
    let mut report = format!(
        "result equivalence: {} generated SELECTs, {} compared, {} equal, {} different; \
         {} refused by the planner, {} without a host form, {} failing in PostgreSQL itself; \
         {} with checked order, {} with row counts only\n",
        tally.generated,
        tally.compared,
        tally.equal,
        tally.differences.len(),
        refused,
        host_unsupported,
        tally.original_failed,
        tally.order_checked,
        tally.count_only,
    );
    for (reason, n) in tally.refused.iter().chain(&tally.host_unsupported) {
        let _ = writeln!(report, "  {n:5}  {reason}");
    }
    for difference in &tally.differences {
        let _ = writeln!(report, "DIFFERENCE {difference}");
    }
    println!("{report}");
    assert!(tally.differences.is_empty(), "results differ:\n{report}");
    assert!(
        tally.compared >= 1_000,
        "too few queries compared:\n{report}"
    );
}
