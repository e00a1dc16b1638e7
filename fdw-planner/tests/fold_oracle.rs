//! Constant folding checked plan by plan against PostgreSQL 15: every case
//! in `tests/data/fold/*.txt` is planned by us and explained by the oracle
//! (VERBOSE, COSTS OFF) over the spec's §6 schema, and the whole EXPLAIN
//! text must be equal, or both sides must reject the query with the same
//! SQLSTATE.
//!
//! A case is one line: a whole `SELECT`, or an expression `e`, which stands
//! for `SELECT e FROM ft1 WHERE c1 = 1` (the folded value shows in the
//! foreign scan's `Output:` line, or the scan disappears when the value is
//! an error PostgreSQL raises while planning). Lines starting with `#` are
//! comments. Each file is a family of functions (`jsonb.txt`, `array.txt`,
//! ...); `FDW_FOLD_FILE=jsonb` runs one file only.

use std::fmt::Write as _;
use std::path::PathBuf;

use fdw_catalog::catalog::Catalog;
use fdw_deparse::PostgresDialect;
use fdw_testkit::oracle::CostsMode;
use fdw_testkit::psql::Outcome;
use fdw_testkit::spec::SpecRun;
use fdw_testkit::{explain::Explain, harness};

/// One file's cases: (line number, query).
fn cases(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
        .map(|(i, line)| {
            let line = line.trim();
            let query = if line.to_ascii_uppercase().starts_with("SELECT ") {
                line.to_owned()
            } else {
                format!("SELECT {line} FROM ft1 WHERE c1 = 1")
            };
            (i + 1, query)
        })
        .collect()
}

/// Our EXPLAIN text, or the SQLSTATE of our error (shared with
/// `inline_oracle`).
pub(crate) fn ours(catalog: &Catalog, sql: &str) -> Result<String, String> {
    let dialect = PostgresDialect::new(15).map_err(|e| e.to_string())?;
    let prepared = fdw_sql::prepare_query(catalog, sql, &[])
        .map_err(|e| format!("{} {}", e.sqlstate().0, e))?;
    let planned = fdw_planner::plan_query::plan_query(catalog, &dialect, &prepared)
        .map_err(|e| format!("planner: {e}"))?;
    let explained = fdw_planner::render::explain(
        catalog,
        &dialect,
        &planned,
        fdw_planner::render::ExplainOptions::default(),
    )
    .map_err(|e| format!("render: {e}"))?;
    Ok(explained.text.trim_end().to_owned())
}

/// PostgreSQL's EXPLAIN text, or its SQLSTATE and message.
pub(crate) fn theirs(outcome: &Outcome<Explain>) -> Result<String, String> {
    match outcome {
        Ok(explain) => Ok(explain.lines.join("\n").trim_end().to_owned()),
        Err(err) => Err(format!("{} {}", err.sqlstate, err.message)),
    }
}

/// Whether two answers agree: equal text, or errors with the same SQLSTATE.
fn agree(us: &Result<String, String>, pg: &Result<String, String>) -> bool {
    match (us, pg) {
        (Ok(a), Ok(b)) => a == b,
        (Err(a), Err(b)) => a.get(..5) == b.get(..5),
        _ => false,
    }
}

#[test]
fn folded_plans_match_postgres_15() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/fold");
    let only = std::env::var("FDW_FOLD_FILE").ok();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/data/fold")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .filter(|path| {
            only.as_deref()
                .is_none_or(|name| path.file_stem().is_some_and(|stem| stem == name))
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no case files in {}", dir.display());

    let run = SpecRun::start(15).expect("reference PostgreSQL 15 (see scripts/install-pg)");
    let catalog = harness::spec_catalog(&run.oracle).expect("spec catalog");
    let mut report = String::new();
    let mut failures = 0;
    let mut total = 0;
    for file in &files {
        let name = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(file).expect("case file");
        let cases = cases(&text);
        let queries: Vec<&str> = cases.iter().map(|(_, q)| q.as_str()).collect();
        let answers = run
            .oracle
            .explain_all(&queries, CostsMode::Off)
            .expect("oracle EXPLAIN");
        let mut matched = 0;
        for ((line, query), answer) in cases.iter().zip(&answers) {
            let us = ours(&catalog, query);
            let pg = theirs(answer);
            if agree(&us, &pg) {
                matched += 1;
            } else {
                failures += 1;
                let show = |r: &Result<String, String>| match r {
                    Ok(text) => text.clone(),
                    Err(err) => format!("ERROR {err}"),
                };
                let _ = writeln!(
                    report,
                    "{name}.txt:{line}: {query}\n  ours:\n    {}\n  PostgreSQL 15:\n    {}",
                    show(&us).replace('\n', "\n    "),
                    show(&pg).replace('\n', "\n    ")
                );
            }
        }
        total += cases.len();
        let _ = writeln!(report, "{name}: {matched}/{} plans identical", cases.len());
    }
    #[allow(clippy::print_stderr, reason = "the report is the test's output")]
    {
        eprintln!("{report}");
    }
    assert_eq!(
        failures, 0,
        "{failures} of {total} folded plans differ:\n{report}"
    );
}
