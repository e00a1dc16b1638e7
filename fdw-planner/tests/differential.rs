//! The differential test: the spec's examples that involve base relations
//! only and generated single-table queries are planned by us and explained
//! by PostgreSQL 15 with postgres_fdw; the `Remote SQL:` and `Filter:` lines
//! of the foreign scans must be equal.
//!
//! Compared per query: the list of (remote SQL, `Filter:` text) pairs of
//! the foreign scans, in EXPLAIN order for one scan and sorted for several
//! (the local join order is PostgreSQL's cost-based choice; the cost model
//! arrives with issue #6).
//!
//! Skipped, by this criterion and counted in the report:
//! * statements other than `SELECT` (foreign modification is a later issue);
//! * queries PostgreSQL rejects;
//! * queries whose PostgreSQL plan pushes a join or an upper relation (a
//!   foreign scan with a `Relations:` line) or sends `ORDER BY`, `LIMIT`
//!   or `OFFSET`
//!   (sort and limit pushdown are later issues).
//!
//! A difference fails the test unless listed, with its reason, in
//! `tests/data/known_differences.txt` (source, a tab, the query on one
//! line, a tab, `# reason`); the test prints the list and every difference.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use fdw_catalog::catalog::Catalog;
use fdw_testkit::explain::Explain;
use fdw_testkit::gen::{GenConfig, GeneratedQuery, QueryConfig};
use fdw_testkit::oracle::{CostsMode, Oracle};
use fdw_testkit::psql::Outcome;
use fdw_testkit::{harness, spec};

/// Generated scenarios and queries per scenario.
const SCENARIOS: u64 = 5;
const QUERIES_PER_SCENARIO: usize = 400;
/// Floor of the raw parity on compared generated queries, in per cent: a
/// regression guard just under today's level (1434/1437 = 99.79% on these
/// seeds with the `Filter:` text compared; the 3 differences are listed,
/// each a constant fold `fdw_sql` does not make yet). The goal is
/// 99%.
const GEN_THRESHOLD: f64 = 99.5;

const KNOWN: &str = include_str!("data/known_differences.txt");

/// What one side says about the foreign scans of a query: each scan's
/// remote SQL and `Filter:` text.
type Scans = Vec<(String, Option<String>)>;

fn one_line(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn known() -> BTreeSet<(String, String)> {
    KNOWN
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let mut parts = line.split('\t');
            let source = parts.next()?;
            let query = parts.next()?;
            Some((source.to_owned(), one_line(query)))
        })
        .collect()
}

/// Our scans, and the immutable calls over constants `fdw_sql` could not
/// fold (PostgreSQL folds them, which changes what is sent).
fn ours(catalog: &Catalog, sql: &str) -> (Result<(Scans, String), String>, Vec<String>) {
    let notes = match fdw_sql::prepare_query(catalog, sql, &[]) {
        Ok(prepared) => prepared
            .notes
            .iter()
            .map(|note| format!("{} ({})", note.expr, note.reason))
            .collect(),
        Err(_) => Vec::new(),
    };
    (scans_of(catalog, sql), notes)
}

/// Our scans and the whole plan text.
fn scans_of(catalog: &Catalog, sql: &str) -> Result<(Scans, String), String> {
    let (explained, _) = crate::explain_sql(
        catalog,
        sql,
        &[],
        fdw_planner::render::ExplainOptions::default(),
    )?;
    let scans = explained
        .foreign_nodes
        .into_iter()
        .map(|node| (node.remote_sql, node.local_filter))
        .collect();
    Ok((scans, explained.text))
}

/// PostgreSQL's scans, or `None` when the query is out of scope.
fn theirs(explain: &Explain) -> Option<Scans> {
    let mut out = Vec::new();
    for node in explain.nodes() {
        if node.detail("Relations").is_some() {
            return None;
        }
        if let Some(sql) = node.detail("Remote SQL") {
            if !sql.starts_with("SELECT ")
                || sql.contains(" ORDER BY ")
                || sql.contains(" LIMIT ")
                || sql.contains(" OFFSET ")
            {
                return None;
            }
            if node.name.starts_with("Foreign Scan") {
                out.push((sql.to_owned(), node.detail("Filter").map(str::to_owned)));
            } else {
                return None;
            }
        }
    }
    Some(out)
}

/// The likely cause of a difference, from what `fdw_sql` reports it left
/// unfolded or, failing that, from constructs in the query text that
/// PostgreSQL's planner simplifies and `fdw_sql` does not (not verified
/// per query; the prefix says which). Empty when nothing is recognised.
fn diagnose(sql: &str, notes: &[String]) -> String {
    if !notes.is_empty() {
        return format!(
            "fdw-sql does not fold, PostgreSQL does: {}",
            notes.join("; ")
        );
    }
    let causes = [
        (
            "public.my_",
            "likely: PostgreSQL inlines the SQL function (inline_function), fdw-sql does not",
        ),
        (
            "OPERATOR(public.",
            "likely: PostgreSQL inlines the SQL function behind the user operator, fdw-sql does not",
        ),
        (
            "[])[",
            "likely: PostgreSQL folds a subscript of a constant array, fdw-sql does not",
        ),
        (
            "GREATEST(",
            "likely: PostgreSQL folds GREATEST/LEAST over constants, fdw-sql does not",
        ),
        (
            "LEAST(",
            "likely: PostgreSQL folds GREATEST/LEAST over constants, fdw-sql does not",
        ),
        (
            "NULLIF(",
            "likely: PostgreSQL folds NULLIF over constants, fdw-sql does not",
        ),
    ];
    if let Some((_, cause)) = causes.iter().find(|(needle, _)| sql.contains(needle)) {
        return (*cause).to_owned();
    }
    String::new()
}

fn normalize(mut scans: Scans) -> Scans {
    if scans.len() > 1 {
        scans.sort();
    }
    scans
}

#[derive(Default)]
struct Tally {
    compared: usize,
    matched: usize,
    skipped: usize,
    /// Matching queries whose whole EXPLAIN text is identical too
    /// (`Output:` lines and plan shape; informational, not asserted: the
    /// local plan shape waits for the cost model of issue #6).
    whole_plan_matched: usize,
    /// A few matching queries whose whole text differs: (query, ours, PostgreSQL's).
    plan_samples: Vec<(String, String, String)>,
    /// (source, query, ours, PostgreSQL's, diagnosis).
    differences: Vec<(String, String, String, String, String)>,
}

impl Tally {
    fn record(
        &mut self,
        source: &str,
        sql: &str,
        (us, notes): (Result<(Scans, String), String>, Vec<String>),
        pg: &Outcome<Explain>,
    ) {
        let Ok(explain) = pg else {
            self.skipped += 1;
            return;
        };
        let Some(pg) = theirs(explain) else {
            self.skipped += 1;
            return;
        };
        self.compared += 1;
        let pg = normalize(pg);
        let (us, our_text) = match us {
            Ok((scans, text)) => (Ok(normalize(scans)), text),
            Err(err) => (Err(err), String::new()),
        };
        if us.as_ref() == Ok(&pg) {
            self.matched += 1;
            let pg_text: String = explain.lines.iter().map(|l| format!("{l}\n")).collect();
            if our_text == pg_text {
                self.whole_plan_matched += 1;
            } else if self.plan_samples.len() < 6 {
                self.plan_samples.push((one_line(sql), our_text, pg_text));
            }
        } else {
            self.differences.push((
                source.to_owned(),
                one_line(sql),
                format!("{us:?}"),
                format!("{pg:?}"),
                diagnose(sql, &notes),
            ));
        }
    }

    fn percent(&self) -> f64 {
        if self.compared == 0 {
            100.0
        } else {
            self.matched as f64 * 100.0 / self.compared as f64
        }
    }
}

/// The generator configuration of this test's scenarios.
fn scenario_config() -> GenConfig {
    GenConfig {
        max_rows: 10,
        query: QueryConfig::single_table_only(),
        ..GenConfig::default()
    }
}

#[test]
fn remote_sql_matches_postgres_15() {
    let known = known();
    let mut report = String::new();

    // (a) The spec's examples (settings applied on both sides).
    let run = spec::SpecRun::start(15).unwrap();
    let examples = spec::examples().unwrap();
    let mut spec_tally = Tally::default();
    for example in &examples {
        let mut catalog = harness::spec_catalog(&run.oracle).unwrap();
        for (name, value) in &example.settings {
            let value = value.trim_matches('\'');
            let _ = catalog.set_setting(name, value);
        }
        let pg = run
            .oracle
            .explain_all_with(&[example.query.as_str()], CostsMode::Off, &example.settings)
            .unwrap()
            .pop()
            .unwrap();
        let us = ours(&catalog, &example.query);
        spec_tally.record(&format!("spec {}", example.id), &example.query, us, &pg);
    }
    drop(run);

    // (b) Generated single-table queries.
    let mut gen_tally = Tally::default();
    for seed in 0..SCENARIOS {
        let oracle = Oracle::new(15).unwrap();
        let (queries, local_ddl) = harness::set_up_generated(
            &oracle,
            5_000 + seed,
            &scenario_config(),
            QUERIES_PER_SCENARIO,
        )
        .unwrap();
        let catalog = harness::generated_catalog(&oracle, &local_ddl).unwrap();
        let selects: Vec<&GeneratedQuery> = queries.iter().filter(|q| !q.is_dml()).collect();
        gen_tally.skipped += queries.len() - selects.len();
        let texts: Vec<&str> = selects.iter().map(|q| q.sql.as_str()).collect();
        let answers = oracle.explain_all(&texts, CostsMode::Off).unwrap();
        for (query, pg) in selects.iter().zip(answers) {
            let us = ours(&catalog, &query.sql);
            gen_tally.record("gen", &query.sql, us, &pg);
        }
    }

    let _ = writeln!(
        report,
        "parity: spec {}/{} ({:.1}%, {} out of scope), generated {}/{} ({:.2}%, {} out of scope)",
        spec_tally.matched,
        spec_tally.compared,
        spec_tally.percent(),
        spec_tally.skipped,
        gen_tally.matched,
        gen_tally.compared,
        gen_tally.percent(),
        gen_tally.skipped,
    );
    let _ = writeln!(
        report,
        "whole EXPLAIN text identical (informational): spec {}/{}, generated {}/{}",
        spec_tally.whole_plan_matched,
        spec_tally.matched,
        gen_tally.whole_plan_matched,
        gen_tally.matched,
    );
    for (sql, us, pg) in spec_tally
        .plan_samples
        .iter()
        .chain(&gen_tally.plan_samples)
    {
        let _ = writeln!(
            report,
            "plan text differs: {sql}\n-- ours:\n{us}-- pg15:\n{pg}"
        );
    }
    let _ = writeln!(report, "known differences listed:\n{KNOWN}");
    let mut unknown = 0;
    let mut bless = String::new();
    for (source, sql, us, pg, diagnosis) in spec_tally
        .differences
        .iter()
        .chain(gen_tally.differences.iter())
    {
        let source_key = if source.starts_with("spec") {
            source.as_str()
        } else {
            "gen"
        };
        let listed = known.contains(&(source_key.to_owned(), sql.clone()));
        if !listed {
            unknown += 1;
        }
        if !diagnosis.is_empty() {
            let diagnosis = diagnosis.replace('\n', "\\n");
            let _ = writeln!(bless, "{source_key}\t{sql}\t# {diagnosis}");
        }
        let _ = writeln!(
            report,
            "{} {source}: {sql}\n    ours: {us}\n    pg15: {pg}\n    diagnosis: {diagnosis}",
            if listed { "known" } else { "NEW" }
        );
    }
    if std::env::var_os("FDW_PLANNER_PRINT_DIAGNOSED").is_some() {
        // Lines for known_differences.txt, for the differences with a
        // diagnosis (to be reviewed before they are checked in).
        println!("---- diagnosed ----\n{bless}---- end ----");
    }
    println!("{report}");
    assert_eq!(
        unknown, 0,
        "differences not listed in known_differences.txt"
    );
    assert!(
        gen_tally.compared >= 500,
        "too few generated queries compared"
    );
    assert!(gen_tally.percent() >= GEN_THRESHOLD);
}
