//! `fdw explain` end to end over the bundled example schema
//! (`examples/shop.sql`): text and JSON snapshots of README-worthy queries,
//! and the error contract (one line on stderr, exit status 2).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers fail loudly"
)]

mod common;

use common::fdw;

fn explain_ok(args: &[&str]) -> String {
    let (status, stdout, stderr) = fdw(args);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(stderr, "");
    stdout
}

// Conditions split between remote and local, in PostgreSQL's order; the
// local one (a stable function) is the Filter; pruned columns.
#[test]
fn single_table_with_local_filter() {
    insta::assert_snapshot!(explain_ok(&[
        "explain",
        "SELECT c.id, c.email FROM shop.customers c \
         WHERE c.country = 'DE' AND c.id > 1000 AND c.created_at > now() - interval '7 days'",
    ]));
}

// The enum is not built in: the condition on it stays local, and --why
// says so.
#[test]
fn why_not_pushed() {
    insta::assert_snapshot!(explain_ok(&[
        "explain",
        "--why",
        "SELECT o.id, o.total FROM shop.orders o WHERE o.status = 'paid' AND o.total > 100",
    ]));
}

// Column options, a quoted remote table name, ORDER BY and LIMIT kept
// local (upper-relation pushdown is a later issue).
#[test]
fn column_name_option_sort_and_limit() {
    insta::assert_snapshot!(explain_ok(&[
        "explain",
        "SELECT s.tracking, s.carrier FROM shop.shipments s \
         WHERE s.carrier = 'DHL' ORDER BY s.shipped_at DESC LIMIT 10",
    ]));
}

// Two foreign tables joined locally, each scanned with its own conditions.
#[test]
fn local_join_of_two_foreign_tables() {
    insta::assert_snapshot!(explain_ok(&[
        "explain",
        "SELECT c.email, o.id FROM shop.customers c JOIN shop.orders o ON o.customer_id = c.id \
         WHERE c.country = 'FR' AND o.total > 50",
    ]));
}

// Extension objects ship to a server that lists the extension; a stable
// function does not.
#[test]
fn extension_and_stable_function() {
    insta::assert_snapshot!(explain_ok(&[
        "explain",
        "--why",
        "SELECT p.id FROM shop.products p \
         WHERE public.cube_dim(p.dimensions) = 3 AND p.launched > current_date",
    ]));
}

// A constant false condition: nothing is scanned.
#[test]
fn constant_false() {
    insta::assert_snapshot!(explain_ok(&[
        "explain",
        "SELECT id FROM shop.customers WHERE 1 = 2",
    ]));
}

// JSON: the plan text, the remote SQL list and one entry per foreign scan
// with the not-pushed reasons.
#[test]
fn json_output() {
    insta::assert_snapshot!(explain_ok(&[
        "explain",
        "--format",
        "json",
        "SELECT o.id FROM shop.orders o JOIN shop.customers c ON c.id = o.customer_id \
         WHERE o.status = 'shipped' AND c.is_active",
    ]));
}

// --costs: postgres_fdw's estimates on the foreign scan (fdw_startup_cost
// 50 on the server of shop.orders; never analyzed, so the 10-page guess),
// and the same figures in JSON.
#[test]
fn costs_on_a_foreign_scan() {
    let query = "SELECT id, total FROM shop.orders WHERE total > 100 AND note LIKE 'gift%'";
    insta::assert_snapshot!(explain_ok(&["explain", "--costs", query]));
    insta::assert_snapshot!(explain_ok(&[
        "explain", "--costs", "--format", "json", query
    ]));
}

// Errors: one line on stderr, exit status 2.
#[test]
fn errors_are_one_line_and_exit_two() {
    let cases: [&[&str]; 5] = [
        &[
            "explain",
            "--costs",
            "SELECT id FROM shop.orders WHERE note ~ '^ab*b'",
        ],
        &[
            "explain",
            "--pg-version",
            "16",
            "SELECT id FROM shop.customers",
        ],
        &[
            "explain",
            "--set",
            "no_such_setting=1",
            "SELECT id FROM shop.customers",
        ],
        &["explain", "SELECT nope FROM shop.customers"],
        &["explain"],
    ];
    let mut report = String::new();
    for args in cases {
        let (status, stdout, stderr) = fdw(args);
        assert_eq!(status, 2, "{args:?}: {stderr}");
        assert_eq!(stdout, "");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        report.push_str(&format!("{args:?}\n  {stderr}"));
    }
    insta::assert_snapshot!(report);
}

// The query from a file (-f), a schema of one's own (--schema) and a
// setting (--set) that exists. `a = 1` goes last: PostgreSQL keeps a
// `column = constant` condition in an equivalence class and adds it back
// after the others.
#[test]
fn query_file_schema_and_setting() {
    let dir = std::env::temp_dir().join(format!("fdw-cli-explain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let schema = dir.join("schema.sql");
    std::fs::write(
        &schema,
        "CREATE EXTENSION postgres_fdw;
         CREATE SERVER s1 FOREIGN DATA WRAPPER postgres_fdw;
         CREATE FOREIGN TABLE ft (a int, \"B\" text) SERVER s1
             OPTIONS (schema_name 'remote', table_name 'T');",
    )
    .unwrap();
    let query = dir.join("query.sql");
    std::fs::write(&query, "SELECT \"B\" FROM ft WHERE a = 1 AND \"B\" <> 'x'").unwrap();
    let stdout = explain_ok(&[
        "explain",
        "--schema",
        schema.to_str().unwrap(),
        "--set",
        "enable_hashjoin=off",
        "-f",
        query.to_str().unwrap(),
    ]);
    assert_eq!(
        stdout,
        "Foreign Scan on public.ft\n  Output: \"B\"\n  Remote SQL: SELECT \"B\" FROM remote.\"T\" WHERE ((\"B\" <> 'x')) AND ((a = 1))\n"
    );
}
