//! The spec's verified examples (postgres_fdw.md §6.2) against the oracle:
//! on PostgreSQL 15 they must hold exactly; on the other versions the
//! differences must match the checked-in `data/spec_differences/pg<N>.txt`.

use std::io::Write as _;
use std::path::PathBuf;

use fdw_testkit::spec::{examples, render_differences, SpecRun};

/// Builds the schema on `major`, explains every example, and reports how
/// many cases ran (on stderr, uncaptured, so the run's log shows it).
fn run(major: u32) -> (SpecRun, Vec<fdw_testkit::spec::Observation>) {
    let examples = examples().unwrap();
    let run = SpecRun::start(major).unwrap();
    let observations = run.observe(&examples).unwrap();
    let held = observations.iter().filter(|o| o.holds()).count();
    let _ = writeln!(
        std::io::stderr(),
        "spec examples: {} oracle cases ran on PostgreSQL {} ({}), {held} as in 15.18",
        observations.len(),
        major,
        run.oracle.cluster().install().version
    );
    (run, observations)
}

#[test]
fn spec_examples_hold_on_postgres_15() {
    let (run, observations) = run(15);
    let text = render_differences(15, &run.setup_errors, &observations);
    let failing = observations.iter().filter(|o| !o.holds()).count();
    assert!(
        failing == 0 && run.setup_errors.is_empty(),
        "{failing} of {} spec examples differ on PostgreSQL 15:\n{text}",
        observations.len()
    );
}

/// Compares the differences seen on `major` with the checked-in file;
/// `FDW_TESTKIT_BLESS=1` rewrites the file instead.
fn check_differences(major: u32) {
    let (run, observations) = run(major);
    let text = render_differences(major, &run.setup_errors, &observations);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data/spec_differences")
        .join(format!("pg{major}.txt"));
    if std::env::var_os("FDW_TESTKIT_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    if checked_in != text {
        let new = path.with_extension("txt.new");
        std::fs::write(&new, &text).unwrap();
        panic!(
            "the differences PostgreSQL {major} shows from the spec's examples changed; \
             compare {} with {} (FDW_TESTKIT_BLESS=1 accepts them):\n{text}",
            path.display(),
            new.display()
        );
    }
}

#[test]
fn spec_differences_on_postgres_13() {
    check_differences(13);
}

#[test]
fn spec_differences_on_postgres_14() {
    check_differences(14);
}

#[test]
fn spec_differences_on_postgres_16() {
    check_differences(16);
}

#[test]
fn spec_differences_on_postgres_17() {
    check_differences(17);
}

#[test]
fn spec_differences_on_postgres_18() {
    check_differences(18);
}

/// The start of §6.3: what the remote received for a scan, and for a
/// SERIALIZABLE transaction scanning ft4 (fetch_size 7, 34 rows) with a
/// rolled-back subtransaction.
#[test]
fn remote_receives_the_spec_statements_on_postgres_15() {
    let run = SpecRun::start(15).unwrap();
    let received = run
        .oracle
        .received(
            "SELECT c1, c3 FROM ft3 WHERE c1 < 3;
             BEGIN ISOLATION LEVEL SERIALIZABLE;
             SELECT count(*) FROM (SELECT c1 FROM ft4 OFFSET 0) s;
             SAVEPOINT sp;
             SELECT c1 FROM ft3 WHERE c1 = 1;
             ROLLBACK TO SAVEPOINT sp;
             COMMIT;",
        )
        .unwrap();
    assert!(received.outcomes.iter().all(Result::is_ok), "{received:?}");
    let fetch7 = "LOG:  statement: FETCH 7 FROM c1";
    assert_eq!(
        received.statements,
        vec![
            "LOG:  statement: SET search_path = pg_catalog",
            "LOG:  statement: SET timezone = 'GMT'",
            "LOG:  statement: SET datestyle = ISO",
            "LOG:  statement: SET intervalstyle = postgres",
            "LOG:  statement: SET extra_float_digits = 3",
            "LOG:  statement: START TRANSACTION ISOLATION LEVEL REPEATABLE READ",
            "LOG:  execute <unnamed>: DECLARE c1 CURSOR FOR\n\tSELECT c1, c3 FROM \"S 1\".\"T 3\" WHERE ((c1 < 3))",
            "LOG:  statement: FETCH 100 FROM c1",
            "LOG:  statement: CLOSE c1",
            "LOG:  statement: COMMIT TRANSACTION",
            "LOG:  statement: START TRANSACTION ISOLATION LEVEL SERIALIZABLE",
            "LOG:  execute <unnamed>: DECLARE c1 CURSOR FOR\n\tSELECT NULL FROM \"S 1\".\"T 4\"",
            fetch7,
            fetch7,
            fetch7,
            fetch7,
            fetch7,
            "LOG:  statement: CLOSE c1",
            "LOG:  statement: SAVEPOINT s2",
            "LOG:  execute <unnamed>: DECLARE c2 CURSOR FOR\n\tSELECT c1 FROM \"S 1\".\"T 3\" WHERE ((c1 = 1))",
            "LOG:  statement: FETCH 100 FROM c2",
            "LOG:  statement: CLOSE c2",
            "LOG:  statement: ROLLBACK TO SAVEPOINT s2; RELEASE SAVEPOINT s2",
            "LOG:  statement: COMMIT TRANSACTION",
        ]
    );
}

/// With `COSTS ON` every node of every example parses with its estimates,
/// and the remote SQL is the same as with `COSTS OFF`.
#[test]
fn costs_parse_on_every_spec_example() {
    use fdw_testkit::CostsMode;
    let examples = examples().unwrap();
    let run = SpecRun::start(15).unwrap();
    let queries: Vec<&str> = examples.iter().map(|e| e.query.as_str()).collect();
    let on = run.oracle.explain_all(&queries, CostsMode::On).unwrap();
    let off = run.oracle.explain_all(&queries, CostsMode::Off).unwrap();
    let mut problems = Vec::new();
    for ((example, on), off) in examples.iter().zip(on).zip(off) {
        let (on, off) = (on.unwrap(), off.unwrap());
        if let Some(node) = on.nodes().into_iter().find(|n| n.costs.is_none()) {
            problems.push(format!("{}: node {:?} has no costs", example.id, node.name));
        }
        if on.remote_sql() != off.remote_sql() || on.nodes().len() != off.nodes().len() {
            problems.push(format!("{}: COSTS ON and OFF plans differ", example.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
