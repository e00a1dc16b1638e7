//! The differential type test: every query of the spec's §6 and 2,000
//! generated queries go through `fdw_sql::prepare_query` and through real
//! PostgreSQL 15; the output column types (with typmods) must be equal, and
//! a query PostgreSQL rejects must be rejected by us with the same SQLSTATE
//! class.
//!
//! PostgreSQL's side: `\gdesc` (result column types, as `format_type(oid,
//! typmod)` prints them) and `EXPLAIN (COSTS OFF)` (which runs parse
//! analysis and planning, so constant-folding errors count as rejections),
//! batched into one psql session per source.
//!
//! Differences that are understood are listed in
//! `tests/data/differential_known.txt` (one per line: source, a tab, the
//! query on one line); the test prints every difference, fails on one not
//! listed, and requires 99% parity on generated queries.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::time::Instant;

use fdw_catalog::catalog::Catalog;
use fdw_core::{Oid, TypMod};
use fdw_testkit::gen::GenConfig;
use fdw_testkit::oracle::Oracle;
use fdw_testkit::psql::{Outcome, Step, Table};
use fdw_testkit::{harness, spec};

/// Generated scenarios and queries per scenario (2,000 in all).
const SCENARIOS: u64 = 4;
const QUERIES_PER_SCENARIO: usize = 500;
/// Required parity on generated queries, in per cent.
const GEN_THRESHOLD: f64 = 99.0;

const KNOWN: &str = include_str!("data/differential_known.txt");

/// What one side says about a query.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Verdict {
    /// The output column types as `format_type` prints them.
    Columns(Vec<String>),
    /// Rejected with this SQLSTATE (and, on our side, the message, which
    /// only the report shows).
    Rejected(String, String),
}

impl Verdict {
    fn agrees_with(&self, other: &Verdict) -> bool {
        match (self, other) {
            (Verdict::Columns(a), Verdict::Columns(b)) => a == b,
            (Verdict::Rejected(a, _), Verdict::Rejected(b, _)) => a.get(..2) == b.get(..2),
            _ => false,
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Verdict::Columns(cols) => write!(f, "({})", cols.join(", ")),
            Verdict::Rejected(code, message) if message.is_empty() => write!(f, "ERROR {code}"),
            Verdict::Rejected(code, message) => write!(f, "ERROR {code}: {message}"),
        }
    }
}

/// `format_type(oid, typmod)` as PostgreSQL prints it for `\gdesc`.
fn format_type(catalog: &Catalog, oid: Oid, typmod: TypMod) -> String {
    let Some(info) = catalog.type_info(oid) else {
        return format!("??? ({})", oid.0);
    };
    if info.category == 'A' && !info.elem.is_invalid() {
        return format!("{}[]", format_type(catalog, info.elem, typmod));
    }
    let base = catalog.format_type(oid);
    let name = info.name.as_str();
    let is_catalog = catalog.builtin().type_info(oid).is_some();
    if !is_catalog {
        // A user type: `format_type` quotes the name where needed and
        // qualifies it when its schema is not on the search path.
        let quoted = fdw_testkit::gen::quote_ident(name);
        return match base.rsplit_once('.') {
            Some((schema, _)) => format!("{}.{quoted}", fdw_testkit::gen::quote_ident(schema)),
            None => quoted,
        };
    }
    let precision = |t: TypMod| if t >= 0 { Some(t) } else { None };
    match name {
        "bpchar" if typmod < 0 => "bpchar".to_owned(),
        "bpchar" => format!("character({})", typmod - 4),
        "varchar" if typmod >= 0 => format!("character varying({})", typmod - 4),
        "numeric" if typmod >= 0 => {
            let t = typmod - 4;
            let p = (t >> 16) & 0xffff;
            let s = ((t & 0x7ff) ^ 1024) - 1024;
            format!("numeric({p},{s})")
        }
        "bit" if typmod >= 0 => format!("bit({typmod})"),
        "varbit" if typmod >= 0 => format!("bit varying({typmod})"),
        "timestamp" => match precision(typmod) {
            Some(p) => format!("timestamp({p}) without time zone"),
            None => base,
        },
        "timestamptz" => match precision(typmod) {
            Some(p) => format!("timestamp({p}) with time zone"),
            None => base,
        },
        "time" => match precision(typmod) {
            Some(p) => format!("time({p}) without time zone"),
            None => base,
        },
        "timetz" => match precision(typmod) {
            Some(p) => format!("time({p}) with time zone"),
            None => base,
        },
        "interval" if typmod >= 0 => format!("interval typmod {typmod}"),
        _ => base,
    }
}

/// Our verdict on `sql`: rejected when [`fdw_sql::prepare_query`] rejects
/// it (parse analysis and the planner's folding, as `EXPLAIN` on
/// PostgreSQL's side), else the output column types of the analyzed query,
/// before folding: `\gdesc` describes the query tree parse analysis
/// built, so `CASE WHEN true THEN numeric52_col END` is `numeric` (the
/// implicit `ELSE NULL` has typmod -1) though folding leaves the column.
fn ours(catalog: &Catalog, sql: &str) -> Verdict {
    let rejected = |err: fdw_sql::Error| {
        Verdict::Rejected(err.sqlstate().0.to_owned(), one_line(&err.to_string()))
    };
    if let Err(err) = fdw_sql::prepare_query(catalog, sql, &[]) {
        return rejected(err);
    }
    let analyzed = fdw_sql::parse::parse_one(sql)
        .and_then(|statement| fdw_sql::analyze::analyze(catalog, &statement, &[]));
    match analyzed {
        Ok(query) => {
            let list = if query.command == fdw_core::query::CommandType::Select {
                &query.target_list
            } else {
                &query.returning_list
            };
            Verdict::Columns(
                list.iter()
                    .filter(|tle| !tle.resjunk)
                    .map(|tle| format_type(catalog, tle.expr.type_oid(), tle.expr.typmod()))
                    .collect(),
            )
        }
        Err(err) => rejected(err),
    }
}

/// PostgreSQL's verdicts on `queries`, in one session: `\gdesc` then
/// `EXPLAIN` for each (DML inside a rolled-back transaction).
fn theirs(oracle: &Oracle, settings: &[(String, String)], queries: &[&str]) -> Vec<Verdict> {
    let mut steps = vec![Step::Sql("SET statement_timeout = '20s'".into())];
    for (name, value) in settings {
        steps.push(Step::Sql(format!("SET {name} = {value}")));
    }
    let prelude = steps.len();
    for query in queries {
        steps.push(Step::Describe((*query).to_owned()));
        steps.push(Step::Sql(format!("EXPLAIN (COSTS OFF) {query}")));
    }
    let outcomes = oracle
        .cluster()
        .run(oracle.local_db(), &steps)
        .expect("psql session");
    assert_eq!(outcomes.len(), steps.len());
    let answers: Vec<&Outcome<Table>> = outcomes.iter().skip(prelude).collect();
    answers
        .chunks(2)
        .map(|pair| match (pair[0], pair[1]) {
            (Err(err), _) | (Ok(_), Err(err)) => {
                Verdict::Rejected(err.sqlstate.clone(), String::new())
            }
            (Ok(desc), Ok(_)) => Verdict::Columns(
                desc.rows
                    .iter()
                    .map(|row| row.get(1).cloned().flatten().unwrap_or_default())
                    .collect(),
            ),
        })
        .collect()
}

/// One source's tally.
#[derive(Default)]
struct Tally {
    total: usize,
    matched: usize,
    differences: Vec<(String, String, Verdict, Verdict)>,
}

impl Tally {
    fn record(&mut self, source: &str, sql: &str, ours: Verdict, theirs: Verdict) {
        self.total += 1;
        if ours.agrees_with(&theirs) {
            self.matched += 1;
        } else {
            self.differences
                .push((source.to_owned(), one_line(sql), ours, theirs));
        }
    }

    fn percent(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            self.matched as f64 * 100.0 / self.total as f64
        }
    }
}

fn one_line(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The known differences: `(source, query)` pairs.
fn known() -> BTreeSet<(String, String)> {
    KNOWN
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let (source, rest) = line.split_once('\t')?;
            let query = rest.split("\t#").next().unwrap_or(rest);
            Some((source.to_owned(), one_line(query)))
        })
        .collect()
}

/// The generator configuration of this test's scenarios.
fn scenario_config() -> GenConfig {
    GenConfig {
        max_rows: 10,
        ..GenConfig::default()
    }
}

#[test]
fn output_column_types_match_postgres_15() {
    let started = Instant::now();
    let known = known();
    let mut report = String::new();

    // (a) The spec's §6 examples.
    let run = spec::SpecRun::start(15).unwrap();
    let catalog = harness::spec_catalog(&run.oracle).unwrap();
    let examples = spec::examples().unwrap();
    let mut spec_tally = Tally::default();
    let mut by_settings: std::collections::BTreeMap<&[(String, String)], Vec<&spec::Example>> =
        std::collections::BTreeMap::new();
    for example in &examples {
        by_settings
            .entry(&example.settings)
            .or_default()
            .push(example);
    }
    for (settings, group) in by_settings {
        let queries: Vec<&str> = group.iter().map(|e| e.query.as_str()).collect();
        let verdicts = theirs(&run.oracle, settings, &queries);
        for (example, pg) in group.iter().zip(verdicts) {
            let us = ours(&catalog, &example.query);
            spec_tally.record("spec", &example.query, us, pg);
        }
    }
    drop(run);

    // (b) Generated queries.
    let mut gen_tally = Tally::default();
    for seed in 0..SCENARIOS {
        let oracle = Oracle::new(15).unwrap();
        let (queries, local_ddl) = harness::set_up_generated(
            &oracle,
            4_000 + seed,
            &scenario_config(),
            QUERIES_PER_SCENARIO,
        )
        .unwrap();
        let catalog = harness::generated_catalog(&oracle, &local_ddl).unwrap();
        let texts: Vec<&str> = queries.iter().map(|q| q.sql.as_str()).collect();
        let verdicts = theirs(&oracle, &[], &texts);
        for (query, pg) in queries.iter().zip(verdicts) {
            let us = ours(&catalog, &query.sql);
            gen_tally.record("gen", &query.sql, us, pg);
        }
    }

    let _ = writeln!(
        report,
        "parity: spec §6 {}/{} ({:.1}%), generated {}/{} ({:.1}%), {:.1}s",
        spec_tally.matched,
        spec_tally.total,
        spec_tally.percent(),
        gen_tally.matched,
        gen_tally.total,
        gen_tally.percent(),
        started.elapsed().as_secs_f64()
    );
    let mut unknown = 0;
    for (source, sql, us, pg) in spec_tally
        .differences
        .iter()
        .chain(gen_tally.differences.iter())
    {
        let listed = known.contains(&(source.clone(), sql.clone()));
        if !listed {
            unknown += 1;
        }
        let _ = writeln!(
            report,
            "{} {source}\t{sql}\n    ours: {us}\n    PostgreSQL: {pg}",
            if listed { "known" } else { "NEW" }
        );
    }
    // Listed differences that no longer differ: to be removed from the list.
    let differing: BTreeSet<(String, String)> = spec_tally
        .differences
        .iter()
        .chain(gen_tally.differences.iter())
        .map(|(source, sql, _, _)| (source.clone(), sql.clone()))
        .collect();
    for (source, sql) in known.difference(&differing) {
        let _ = writeln!(report, "stale known {source}\t{sql}");
    }
    println!("{report}");
    assert!(
        gen_tally.total >= 2_000,
        "only {} generated",
        gen_tally.total
    );
    assert_eq!(spec_tally.total, examples.len());
    assert!(
        gen_tally.percent() >= GEN_THRESHOLD,
        "generated parity {:.1}% is below {GEN_THRESHOLD}%\n{report}",
        gen_tally.percent()
    );
    assert_eq!(
        unknown, 0,
        "{unknown} differences not in the known list\n{report}"
    );
}
