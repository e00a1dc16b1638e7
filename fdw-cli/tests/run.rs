//! `fdw run` against a real PostgreSQL 15 (fdw_testkit's oracle with the
//! spec schema): for a set of queries, the rows `fdw run --dsn <local db>`
//! prints equal the rows psql gets running the same query on the local
//! database through the real postgres_fdw. Fully pushed-down queries run
//! through our executor (shown by running them from a snapshot, without
//! --dsn); the others through the host form (dblink) on --dsn.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stderr,
    reason = "test helpers fail loudly"
)]

mod common;

use common::{fdw, fdw_env};

use std::path::PathBuf;
use std::sync::OnceLock;

use fdw_testkit::cluster::{PORT, SUPERUSER};
use fdw_testkit::psql::Step;
use fdw_testkit::spec::SpecRun;

type Row = Vec<Option<String>>;

/// The spec schema on PostgreSQL 15 with dblink in the local database.
fn spec() -> &'static SpecRun {
    static SPEC: OnceLock<SpecRun> = OnceLock::new();
    SPEC.get_or_init(|| {
        let spec = SpecRun::start(15).expect("spec schema on PostgreSQL 15");
        spec.oracle
            .exec_local("CREATE EXTENSION IF NOT EXISTS dblink")
            .expect("dblink in the local database");
        spec
    })
}

fn local_dsn() -> String {
    let oracle = &spec().oracle;
    format!(
        "host={} port={PORT} dbname={} user={SUPERUSER}",
        oracle.cluster().socket_dir().display(),
        oracle.local_db()
    )
}

/// `fdw snapshot` of the local database (to run without --dsn).
fn snapshot() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("fdw-cli-run-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("live.json");
        let (status, _, stderr) = fdw(&[
            "snapshot",
            "--dsn",
            &local_dsn(),
            "-o",
            path.to_str().unwrap(),
        ]);
        assert_eq!(status, 0, "{stderr}");
        path
    })
}

/// The rows psql gets for `sql` on the local database (real postgres_fdw).
fn psql_rows(sql: &str) -> Vec<Row> {
    let oracle = &spec().oracle;
    let mut outcomes = oracle
        .cluster()
        .run(oracle.local_db(), &[Step::Sql(sql.to_owned())])
        .unwrap();
    match outcomes.pop() {
        Some(Ok(table)) => table.rows,
        other => panic!("psql failed for {sql}: {other:?}"),
    }
}

/// The rows of `fdw run --format json` with `source` arguments.
fn fdw_rows(source: &[&str], sql: &str) -> Result<Vec<Row>, String> {
    let mut args = vec!["run"];
    args.extend_from_slice(source);
    args.extend(["--format", "json", sql]);
    let (status, stdout, stderr) = fdw(&args);
    if status != 0 {
        return Err(stderr);
    }
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let rows = value["rows"].as_array().unwrap();
    Ok(rows
        .iter()
        .map(|row| {
            row.as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .collect())
}

/// Queries whose whole work is pushed down (one foreign scan, no local
/// filter, only fetched columns returned): they run through the executor.
const REMOTE_ONLY: [&str; 12] = [
    "SELECT * FROM ft1 WHERE c1 < 20",
    "SELECT c1, c3, c4 FROM ft1 WHERE c2 = 3 AND c1 < 300",
    "SELECT c3, c1 FROM ft2 WHERE c3 LIKE '%5'",
    "SELECT * FROM ft3",
    "SELECT c1, c2 FROM ft4 WHERE c1 % 3 = 0",
    "SELECT * FROM misc",
    "SELECT id, n, n52, f8, f4, i8, i2, d, ts, tstz, iv FROM misc WHERE b",
    "SELECT id, j, u, bx, arr, tarr, bits, vb, o FROM misc",
    "SELECT * FROM misc_ext",
    "SELECT \"Order\", \"user\", \"col\"\"q\", \"ümlaut\" FROM \"Select\"",
    "SELECT c1, c8, c7, c6 FROM ft1 WHERE c1 <= 30",
    "SELECT c1, c5 FROM ft1 WHERE c4 >= '1970-01-10' AND c1 BETWEEN 5 AND 15",
];

/// Queries with local work left (joins, aggregates, LIMIT, expressions,
/// local filters): they run as the host form through dblink.
const WITH_LOCAL_WORK: [&str; 13] = [
    "SELECT count(*), sum(c1), max(c3) FROM ft1",
    "SELECT c2, count(*) FROM ft1 GROUP BY c2 ORDER BY c2",
    "SELECT c1 + 1, upper(c3) FROM ft1 WHERE c1 < 10 ORDER BY c1",
    "SELECT t1.c1, t2.c3 FROM ft1 t1 JOIN ft2 t2 ON t1.c1 = t2.c1 WHERE t1.c1 < 15 ORDER BY t1.c1",
    "SELECT * FROM ft1 ORDER BY c1 LIMIT 7 OFFSET 3",
    "SELECT l.f1, l.f2, f.c3 FROM loc1 l LEFT JOIN ft3 f ON l.f1 = f.c1 WHERE l.f1 <= 20 ORDER BY l.f1",
    "SELECT c1 FROM ft1 WHERE c1 < 50 AND c3 = to_char(c1, 'FM00000') ORDER BY c1",
    "SELECT c1, c2 FROM ft1 WHERE random() >= 0 AND c1 < 12 ORDER BY c1",
    "SELECT f4 * 2, n + 1, d + 1 FROM misc ORDER BY id",
    "SELECT c2, c1 FROM ft2 WHERE c1 > 990 ORDER BY c2 DESC, c1",
    "SELECT a.c1, b.c1 FROM ft3 a FULL JOIN ft4 b ON a.c1 = b.c1 ORDER BY a.c1, b.c1",
    "SELECT c1, c8 FROM ft1 WHERE c8 = 'foo' AND c1 <= 30 ORDER BY c1",
    "SELECT c2, avg(c1), min(c4) FROM ft1 WHERE c1 < 500 GROUP BY c2 HAVING count(*) > 5 ORDER BY c2",
];

#[test]
fn run_returns_the_rows_psql_gets_through_postgres_fdw() {
    let dsn = local_dsn();
    let mut compared = 0;
    for sql in REMOTE_ONLY.iter().chain(&WITH_LOCAL_WORK) {
        let theirs = psql_rows(sql);
        let ours = fdw_rows(&["--dsn", &dsn], sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
        // Queries that order do so by a unique key (or one row per
        // group): compare sequences; the others as multisets.
        if sql.contains("ORDER BY") {
            assert_eq!(ours, theirs, "{sql}");
        } else {
            let (mut a, mut b) = (ours, theirs);
            a.sort();
            b.sort();
            assert_eq!(a, b, "{sql}");
        }
        compared += 1;
    }
    eprintln!("{compared} queries: fdw run equals psql through postgres_fdw");
    assert!(compared >= 20);
}

/// The fully pushed-down queries need no host database: from a snapshot,
/// without --dsn, they run through the executor on the remote server and
/// give the same rows; the others say that they need --dsn.
#[test]
fn pushed_down_queries_run_through_the_executor() {
    let snapshot = snapshot().to_str().unwrap();
    for sql in REMOTE_ONLY {
        let ours = fdw_rows(&["--catalog", snapshot], sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
        let (mut a, mut b) = (ours, psql_rows(sql));
        a.sort();
        b.sort();
        assert_eq!(a, b, "{sql}");
    }
    for sql in WITH_LOCAL_WORK {
        let err = fdw_rows(&["--catalog", snapshot], sql).unwrap_err();
        assert!(err.contains("needs --dsn"), "{sql}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

/// `--print-host-sql` prints the host form and runs nothing; the table and
/// CSV formats print what psql would show.
#[test]
fn host_sql_and_formats() {
    let dsn = local_dsn();
    let (status, stdout, stderr) = fdw(&[
        "run",
        "--dsn",
        &dsn,
        "--print-host-sql",
        "SELECT count(*) FROM ft1 WHERE c1 < 10",
    ]);
    assert_eq!(status, 0, "{stderr}");
    assert!(stdout.contains("dblink(E'host="), "{stdout}");
    assert!(
        stdout.contains("FROM \"S 1\".\"T 1\" WHERE ((\"C 1\" < 10))"),
        "{stdout}"
    );
    // The host form runs as printed.
    let sql = stdout.trim_end().trim_end_matches(';');
    assert_eq!(psql_rows(sql), vec![vec![Some("9".to_owned())]]);

    let (status, stdout, stderr) = fdw(&[
        "run",
        "--dsn",
        &dsn,
        "SELECT c1, c3 FROM ft1 WHERE c1 IN (1, 10) ORDER BY c1",
    ]);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(
        stdout,
        " c1 |  c3\n----+-------\n  1 | 00001\n 10 | 00010\n(2 rows)\n"
    );
    let (status, stdout, stderr) = fdw(&[
        "run",
        "--dsn",
        &dsn,
        "--format",
        "csv",
        "SELECT c1, c3, NULL::text AS n, '' AS e, 'a,\"b' AS q FROM ft1 WHERE c1 = 1",
    ]);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(stdout, "c1,c3,n,e,q\n1,00001,,\"\",\"a,\"\"b\"\n");

    // DISTINCT removes duplicates locally (a HashAggregate over the scan):
    // the same rows as grouping by the same column.
    let distinct = fdw(&[
        "run",
        "--dsn",
        &dsn,
        "SELECT DISTINCT c2 FROM ft1 ORDER BY c2",
    ]);
    let grouped = fdw(&[
        "run",
        "--dsn",
        &dsn,
        "SELECT c2 FROM ft1 GROUP BY c2 ORDER BY c2",
    ]);
    assert_eq!(distinct.0, 0, "{}", distinct.2);
    assert_eq!(distinct, grouped);
    // DISTINCT ON is not planned yet: refused, never run without it.
    let (status, _, stderr) = fdw(&["run", "--dsn", &dsn, "SELECT DISTINCT ON (c2) c1 FROM ft1"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("DISTINCT ON"), "{stderr}");
}

/// Passwords come from FDW_PASSWORD_<SERVER>; a missing one is named, and
/// errors are one line, exit status 2, without the password.
#[test]
fn secrets_come_from_the_environment_and_never_show_in_errors() {
    let dir = std::env::temp_dir().join(format!("fdw-cli-run-secret-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ddl = dir.join("schema.sql");
    std::fs::write(
        &ddl,
        "CREATE EXTENSION postgres_fdw;\n\
         CREATE SERVER far FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '1', dbname 'x');\n\
         CREATE USER MAPPING FOR CURRENT_USER SERVER far OPTIONS (user 'u', password 'p');\n\
         CREATE FOREIGN TABLE t (a int) SERVER far;\n",
    )
    .unwrap();
    let schema = ddl.to_str().unwrap();
    let (status, _, stderr) = fdw(&["run", "--schema", schema, "SELECT a FROM t"]);
    assert_eq!(status, 2);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("FDW_PASSWORD_FAR"), "{stderr}");

    let secret = "hunter2-run-secret";
    let env = [("FDW_PASSWORD_FAR", secret)];
    let (status, _, stderr) = fdw_env(&["run", "--schema", schema, "SELECT a FROM t"], &env);
    assert_eq!(status, 2);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("far"), "{stderr}");
    assert!(!stderr.contains(secret), "{stderr}");
    // The printed host form shows where it goes, never the value.
    let (status, stdout, stderr) = fdw_env(
        &[
            "run",
            "--schema",
            schema,
            "--print-host-sql",
            "SELECT count(*) FROM t",
        ],
        &env,
    );
    assert_eq!(status, 0, "{stderr}");
    assert!(stdout.contains("password=''********''"), "{stdout}");
    assert!(!stdout.contains(secret), "{stdout}");
    assert!(!stderr.contains(secret), "{stderr}");
}
