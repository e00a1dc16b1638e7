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
