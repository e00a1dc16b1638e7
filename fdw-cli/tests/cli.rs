//! End-to-end tests of the `fdw` binary: what a user sees on stdout and
//! stderr, and the exit status.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers fail loudly"
)]

mod common;

use common::fdw as check;

use std::path::PathBuf;

fn temp_file(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fdw-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

// The bundled example loads with no arguments and is described in full.
#[test]
fn describes_bundled_example() {
    let (status, stdout, stderr) = check(&["catalog"]);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(stderr, "");
    insta::assert_snapshot!(stdout);
}

// Passwords given in user mappings never reach the output or a snapshot.
#[test]
fn never_prints_passwords() {
    let snapshot = temp_file("secrets.json", "");
    let (status, stdout, stderr) = check(&[
        "catalog",
        "--format",
        "snapshot",
        "--write-snapshot",
        snapshot.to_str().unwrap(),
    ]);
    assert_eq!(status, 0, "{stderr}");
    let written = std::fs::read_to_string(&snapshot).unwrap();
    for text in [&stdout, &written] {
        assert!(text.contains("\"pg_major\": 15"), "{text}");
        assert!(!text.contains("secret-orders"));
        assert!(!text.contains("secret-catalog"));
    }
    let (_, described, _) = check(&["catalog"]);
    assert!(!described.contains("secret-"));
    assert!(described.contains("password=(set)"));
}

// A snapshot written by `fdw catalog` reads back to the same catalog.
#[test]
fn snapshot_round_trips_through_the_cli() {
    let snapshot = temp_file("roundtrip.json", "");
    let (status, from_ddl, stderr) =
        check(&["catalog", "--write-snapshot", snapshot.to_str().unwrap()]);
    assert_eq!(status, 0, "{stderr}");
    let (status, from_snapshot, stderr) =
        check(&["catalog", "--catalog", snapshot.to_str().unwrap()]);
    assert_eq!(status, 0, "{stderr}");
    // Only the provenance lines differ.
    let body = |s: &str| {
        s.lines()
            .filter(|l| !l.starts_with("loaded ") && !l.starts_with("snapshot: "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(body(&from_ddl), body(&from_snapshot));
}

// Statements pg_dump writes that the loader does not model are counted.
#[test]
fn reports_skipped_statements() {
    let ddl = temp_file(
        "dump.sql",
        "SET statement_timeout = 0;\n\
         SELECT pg_catalog.set_config('search_path', '', false);\n\
         CREATE EXTENSION postgres_fdw;\n\
         CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'h');\n\
         COMMENT ON SERVER s IS 'remote';\n\
         CREATE FOREIGN TABLE public.t (a int) SERVER s;\n\
         ALTER FOREIGN TABLE public.t OWNER TO app;\n\
         GRANT SELECT ON public.t TO reader;\n",
    );
    let (status, stdout, stderr) = check(&["catalog", "--schema", ddl.to_str().unwrap()]);
    assert_eq!(status, 0, "{stderr}");
    let skipped: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("skipped statements"))
        .collect();
    insta::assert_snapshot!(skipped.join("\n"));
}

// Bad input: one line on stderr, exit status 2, no panic.
#[test]
fn bad_input_is_one_line_and_exit_two() {
    let bad_option = temp_file(
        "bad_option.sql",
        "CREATE EXTENSION postgres_fdw;\n\
         CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (fetch_size '0');\n",
    );
    let syntax = temp_file("syntax.sql", "CREATE FOREIGN TABLE t (a int SERVER s;\n");
    let future = temp_file("future.json", r#"{"format": 99, "pg_major": 15}"#);
    let cases = [
        vec!["catalog", "--schema", "/nonexistent/schema.sql"],
        vec!["catalog", "--pg-version", "12"],
        vec!["catalog", "--schema", bad_option.to_str().unwrap()],
        vec!["catalog", "--schema", syntax.to_str().unwrap()],
        vec!["catalog", "--catalog", future.to_str().unwrap()],
    ];
    let mut seen = Vec::new();
    for args in cases {
        let (status, stdout, stderr) = check(&args);
        assert_eq!(status, 2, "{args:?}: {stderr}");
        assert_eq!(stdout, "", "{args:?}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        // Temporary paths differ per run; keep only the file name.
        let dir = std::env::temp_dir().join(format!("fdw-cli-test-{}", std::process::id()));
        seen.push(stderr.replace(&format!("{}/", dir.display()), ""));
    }
    insta::assert_snapshot!(seen.concat());
}
