//! Fetch throughput: 1,000,000 rows of 8 mixed-type columns (int, bigint,
//! numeric, text, timestamptz, boolean, float8, date) read several ways in
//! the same run, on one throwaway PostgreSQL 15 cluster of the test kit:
//!
//! 1. `fdw_exec`: our executor runs the remote query our planner made for
//!    `SELECT * FROM bench_fetch` (cursor, `FETCH <fetch_size>`, every
//!    value decoded by its declared type), in text (the default, as
//!    postgres_fdw) and in binary result format;
//! 2. `postgres_fdw`: a tokio-postgres client runs `SELECT * FROM
//!    bench_fetch` on the local database (the real postgres_fdw fetching
//!    with the same fetch size) and reads every row;
//! 3. the same cursor loop on the remote database with tokio-postgres
//!    alone, one FETCH at a time, values not decoded (round trips alone),
//!    and the same with the executor's read-ahead (each FETCH sent once
//!    the previous full batch is in, before it is looked at): the bound
//!    of our conversation with decoding for free;
//! 4. `COPY`: `COPY (SELECT * FROM bench_fetch) TO STDOUT` on the remote
//!    database, read by tokio-postgres `copy_out`.
//!
//! The test kit sets `log_statement = all` on its remote databases (its
//! log captures read statements back); the benchmark turns it off for its
//! own remote database, since a log line per FETCH is a fixture cost that
//! COPY, one statement, does not pay (`FETCH_LOG_STATEMENTS=1` keeps it).
//!
//! Fetch sizes: `FETCH_SIZES` (comma-separated, default `100`, the
//! default of postgres_fdw); each size is set on the foreign table for
//! postgres_fdw and on our request alike. Each reader runs [`RUNS`] times
//! after one warm-up, the readers interleaved run by run (the machine is
//! shared: load changes over a run); the median counts, the best is shown
//! too. Rows per second and the ratios are printed to stderr and written
//! to `<target>/criterion/fetch.txt`. Goals (issue #7): ours at least 1.5x
//! postgres_fdw and within 1.3x of COPY.
//!
//! Figures of 2026-11-22 on a quiet machine (load average 1.2-1.5 on the
//! 2 cores, the median of 5 runs, `log_statement` off), rows/s:
//!
//! ```text
//! fetch_size  ours text  ours binary  postgres_fdw  FETCH loop  read-ahead loop  COPY
//!        100    678,000      677,000       313,000     614,000          613,000  1,346,000
//!       1000  1,183,000      908,000       469,000   1,386,000        1,398,000  1,387,000
//! ```
//!
//! Text: at fetch_size 1000 2.52x postgres_fdw and COPY 1.17x ours; over
//! 7 runs COPY / ours was 1.01x, 1.17x, 1.17x, 1.21x, 1.21x, 1.49x, 1.51x
//! (median 1.21x, within the goal's 1.3x; ours swings more than COPY on
//! the 2 cores it shares with the server). At fetch_size 100
//! 2.17x and 1.99x: there the conversation itself, without decoding, is
//! 2.2x slower than COPY (the server's work per FETCH), which no client
//! of postgres_fdw's cursor can make up. What is left of ours at 1000 is
//! the client's CPU per row (a `String` per value and a `Vec` per row,
//! the canonical-text checks, tokio-postgres' row parsing). Before the
//! float check went through zmij, fetch_size 1000 gave COPY 1.33x ours.
//!
//! A custom harness rather than criterion: one measurement takes seconds,
//! and the figure wanted is a throughput over a fixed row count.

#![allow(
    clippy::expect_used,
    reason = "a benchmark whose fixture does not load has nothing to measure"
)]
#![allow(
    clippy::print_stderr,
    reason = "the throughput report is the benchmark's output"
)]

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use fdw_catalog::catalog::Catalog;
use fdw_core::plan::PlanKind;
use fdw_core::query::RteKind;
use fdw_deparse::PostgresDialect;
use fdw_exec::{Executor, Isolation, LocalSession, NoSecrets, ResultFormat, ScanRequest};
use fdw_testkit::cluster::{PORT, SUPERUSER};
use fdw_testkit::Oracle;
use futures_util::{pin_mut, StreamExt, TryStreamExt};

/// Rows in the table.
const ROWS: u64 = 1_000_000;
/// Measured runs of each reader (after one warm-up).
const RUNS: usize = 5;
/// The table, on the remote database and as a foreign table locally.
const COLUMNS: &str = "i int, b bigint, n numeric, t text, ts timestamptz, bo boolean, \
                       f float8, d date";

fn main() {
    // `cargo bench` passes `--bench`; a filter that excludes us skips.
    if std::env::args()
        .skip(1)
        .any(|a| !a.starts_with('-') && !"fetch".contains(&a))
    {
        return;
    }
    let oracle = Oracle::new(15).expect("PostgreSQL 15 for the fetch benchmark");
    let started = Instant::now();
    oracle
        .exec_remote(&format!(
            "CREATE TABLE bench_fetch ({COLUMNS});
             INSERT INTO bench_fetch
               SELECT g, g::bigint * 1000003, (g * 7)::numeric / 100, 'row ' || g || ' of the bench',
                      timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second',
                      g % 3 = 0, g / 7.0::float8, date '2000-01-01' + (g % 10000)
               FROM generate_series(1, {ROWS}) g;
             VACUUM ANALYZE bench_fetch;"
        ))
        .expect("remote table");
    oracle
        .exec_local(&format!(
            "CREATE FOREIGN TABLE bench_fetch ({COLUMNS}) SERVER loopback
               OPTIONS (table_name 'bench_fetch');
             ANALYZE bench_fetch;"
        ))
        .expect("foreign table");
    // The test kit logs every statement of its remote databases (its log
    // captures read them back); a server writing a log line per FETCH is
    // not what is measured here, and COPY, one statement, would not pay
    // it. FETCH_LOG_STATEMENTS=1 keeps the logging.
    let log_statements = std::env::var_os("FETCH_LOG_STATEMENTS").is_some();
    if !log_statements {
        oracle
            .cluster()
            .exec(
                "postgres",
                &format!(
                    "ALTER DATABASE \"{}\" SET log_statement = 'none'",
                    oracle.remote_db()
                ),
            )
            .expect("log_statement");
    }
    let setup = started.elapsed();

    let socket = oracle.cluster().socket_dir().display().to_string();
    let dsn = |db: &str| format!("host={socket} port={PORT} dbname={db} user={SUPERUSER}");
    let local_dsn = dsn(oracle.local_db());
    let remote_dsn = dsn(oracle.remote_db());

    let live = fdw_exec::live_catalog::read_live_catalog_blocking(&local_dsn)
        .expect("live catalog of the local database");
    let catalog = live.catalog;
    let request = plan_request(&catalog, "SELECT * FROM bench_fetch");

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let sizes: Vec<u32> = std::env::var("FETCH_SIZES")
        .unwrap_or_else(|_| "100".to_owned())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let mut report = String::new();
    let _ = writeln!(
        report,
        "fetch throughput, {ROWS} rows x 8 columns (int, bigint, numeric, text, timestamptz, \
         boolean, float8, date), median (best) of {RUNS} interleaved runs, setup {:.1} s, \
         log_statement {} on the remote database, load average at start: {}",
        setup.as_secs_f64(),
        if log_statements { "all" } else { "none" },
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    let _ = writeln!(report, "  remote SQL: {}", request.sql);
    for size in sizes {
        oracle
            .exec_local(&format!(
                "ALTER FOREIGN TABLE bench_fetch OPTIONS (ADD fetch_size '{size}')"
            ))
            .or_else(|_| {
                oracle.exec_local(&format!(
                    "ALTER FOREIGN TABLE bench_fetch OPTIONS (SET fetch_size '{size}')"
                ))
            })
            .expect("fetch_size option");
        let mut text = request.clone();
        text.fetch_size = size;
        let mut binary = text.clone();
        binary.format = ResultFormat::Binary;
        let copy_sql = "COPY (SELECT * FROM bench_fetch) TO STDOUT";
        let mut readers: Vec<(&str, Reader<'_>)> = vec![
            (
                "fdw_exec text (ours, default)",
                Box::new(|| runtime.block_on(fetch_ours(&catalog, &text))),
            ),
            (
                "fdw_exec binary (ours)",
                Box::new(|| runtime.block_on(fetch_ours(&catalog, &binary))),
            ),
            (
                "postgres_fdw (SELECT on the foreign table)",
                Box::new(|| runtime.block_on(fetch_query(&local_dsn, "SELECT * FROM bench_fetch"))),
            ),
            (
                "same cursor + FETCH, no read-ahead, no decoding",
                Box::new(|| runtime.block_on(fetch_raw_cursor(&remote_dsn, &text))),
            ),
            (
                "same cursor + FETCH, read-ahead, no decoding",
                Box::new(|| runtime.block_on(fetch_raw_read_ahead(&remote_dsn, &text))),
            ),
            (
                "COPY (SELECT ...) TO STDOUT",
                Box::new(|| runtime.block_on(fetch_copy(&remote_dsn, copy_sql))),
            ),
        ];
        // FETCH_ONLY=<words> keeps the readers whose name contains one of
        // them (for profiling one reader); the ratios then lack their terms.
        if let Ok(only) = std::env::var("FETCH_ONLY") {
            readers.retain(|(name, _)| only.split(',').any(|w| name.contains(w.trim())));
        }
        let mut times: Vec<Vec<Duration>> = vec![Vec::new(); readers.len()];
        for run in 0..=RUNS {
            for (i, (_, reader)) in readers.iter_mut().enumerate() {
                let d = reader();
                // Run 0 is the warm-up.
                if run > 0 {
                    times[i].push(d);
                }
            }
        }
        let rate = |d: Duration| ROWS as f64 / d.as_secs_f64();
        let medians: Vec<f64> = times.iter().map(|t| rate(median(t))).collect();
        let _ = writeln!(report, "  fetch_size {size}:");
        for ((name, _), (t, m)) in readers.iter().zip(times.iter().zip(&medians)) {
            let best = t.iter().min().copied().unwrap_or(Duration::MAX);
            let _ = writeln!(
                report,
                "    {name:48} {m:>10.0} rows/s  (best {:>8.0})",
                rate(best)
            );
        }
        if medians.len() < 6 {
            drop(readers);
            continue;
        }
        let (ours, ours_bin, fdw, copy) = (medians[0], medians[1], medians[2], medians[5]);
        let _ = writeln!(
            report,
            "    text:   ours / postgres_fdw = {:.2}x (goal >= 1.5x); COPY / ours = {:.2}x (goal <= 1.3x)",
            ours / fdw,
            copy / ours
        );
        let _ = writeln!(
            report,
            "    binary: ours / postgres_fdw = {:.2}x (goal >= 1.5x); COPY / ours = {:.2}x (goal <= 1.3x)",
            ours_bin / fdw,
            copy / ours_bin
        );
        drop(readers);
    }
    eprint!("{report}");
    let path = report_path();
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = std::fs::write(&path, &report);
}

/// One way of reading the table: a run, timed.
type Reader<'a> = Box<dyn FnMut() -> Duration + 'a>;

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted
        .get(sorted.len() / 2)
        .copied()
        .unwrap_or(Duration::MAX)
}

/// The scan request of the plan of `sql`, which must be one foreign scan.
fn plan_request(catalog: &Catalog, sql: &str) -> ScanRequest {
    let dialect = PostgresDialect::new(15).expect("dialect");
    let prepared = fdw_sql::prepare_query(catalog, sql, &[]).expect("prepare");
    let planned = fdw_planner::plan_query::plan_query(catalog, &dialect, &prepared).expect("plan");
    let PlanKind::ForeignScan(scan) = &planned.plan.root.kind else {
        panic!("expected a lone foreign scan for {sql}");
    };
    let table = scan
        .scan_relid
        .and_then(|rti| prepared.query.rte(rti))
        .and_then(|rte| match &rte.kind {
            RteKind::Relation { relid, .. } => Some(*relid),
            _ => None,
        });
    ScanRequest::from_foreign_scan(catalog, scan, table, Vec::new()).expect("scan request")
}

/// Our executor: a fresh connection (as a new session would), the cursor
/// to the end, every row decoded; the time excludes nothing but planning.
async fn fetch_ours(catalog: &Catalog, request: &ScanRequest) -> Duration {
    let mut executor = Executor::new(
        LocalSession::from_catalog(catalog),
        std::sync::Arc::new(NoSecrets),
    );
    let started = Instant::now();
    executor.begin(Isolation::ReadCommitted).expect("begin");
    let mut cursor = executor.open_scan(catalog, request).await.expect("open");
    let mut rows = 0u64;
    while let Some(batch) = cursor.next_batch(catalog).await.expect("fetch") {
        rows += batch.len() as u64;
        std::hint::black_box(&batch);
    }
    cursor.close().await.expect("close");
    executor.commit().await.expect("commit");
    let elapsed = started.elapsed();
    assert_eq!(rows, ROWS, "fdw_exec row count");
    elapsed
}

/// The protocol alone: the same `DECLARE` / `FETCH <fetch_size>` loop
/// with tokio-postgres' simple query (text rows, as the executor reads
/// them) and no decoding, to tell the round trips from our decoding.
async fn fetch_raw_cursor(dsn: &str, request: &ScanRequest) -> Duration {
    let started = Instant::now();
    let (client, driver) = connect(dsn).await;
    let fetch = declare_cursor(&client, request).await;
    let mut rows = 0u64;
    loop {
        let messages = client.simple_query(&fetch).await.expect("fetch");
        let batch = count_rows(&messages);
        rows += batch as u64;
        if batch < request.fetch_size as usize {
            break;
        }
    }
    close_cursor(client, driver, started, rows, "raw cursor row count").await
}

/// The protocol bound of our scheme: the same loop, but each `FETCH` is
/// sent as soon as the previous full batch has arrived and before its rows
/// are counted (the executor's read-ahead), values still not decoded.
async fn fetch_raw_read_ahead(dsn: &str, request: &ScanRequest) -> Duration {
    let started = Instant::now();
    let (client, driver) = connect(dsn).await;
    let fetch = declare_cursor(&client, request).await;
    let size = request.fetch_size as usize;
    let mut rows = 0u64;
    let mut current = client.simple_query(&fetch).await.expect("fetch");
    loop {
        let batch = count_rows(&current);
        rows += batch as u64;
        if batch < size {
            break;
        }
        // The next FETCH goes out before this batch is dropped (the
        // executor decodes here).
        let mut next = Box::pin(futures_util::future::maybe_done(
            client.simple_query(&fetch),
        ));
        let _ = futures_util::poll!(next.as_mut());
        tokio::task::yield_now().await;
        std::hint::black_box(&current);
        drop(current);
        next.as_mut().await;
        current = next.as_mut().take_output().expect("answer").expect("fetch");
    }
    close_cursor(client, driver, started, rows, "read-ahead cursor row count").await
}

/// Opens the raw loops' transaction and cursor `c1` over the request's
/// SQL, as the executor does; returns the `FETCH` statement.
async fn declare_cursor(client: &tokio_postgres::Client, request: &ScanRequest) -> String {
    client
        .batch_execute(&format!(
            "START TRANSACTION ISOLATION LEVEL REPEATABLE READ; DECLARE c1 CURSOR FOR {}",
            request.sql
        ))
        .await
        .expect("declare");
    format!("FETCH {} FROM c1", request.fetch_size)
}

/// Closes the raw loops' cursor and transaction, stops the connection,
/// checks the row count (`what` names the loop) and returns the time since
/// `started`.
async fn close_cursor(
    client: tokio_postgres::Client,
    mut driver: tokio::task::JoinSet<()>,
    started: Instant,
    rows: u64,
    what: &str,
) -> Duration {
    client
        .batch_execute("CLOSE c1; COMMIT")
        .await
        .expect("close");
    let elapsed = started.elapsed();
    drop(client);
    while driver.join_next().await.is_some() {}
    assert_eq!(rows, ROWS, "{what}");
    elapsed
}

/// The rows among a simple query's messages.
fn count_rows(messages: &[tokio_postgres::SimpleQueryMessage]) -> usize {
    messages
        .iter()
        .filter(|m| matches!(m, tokio_postgres::SimpleQueryMessage::Row(_)))
        .count()
}

/// A client and the set driving its connection (dropping the set stops it).
async fn connect(dsn: &str) -> (tokio_postgres::Client, tokio::task::JoinSet<()>) {
    let (client, connection) = tokio_postgres::connect(dsn, tokio_postgres::NoTls)
        .await
        .expect("connect");
    let mut driver = tokio::task::JoinSet::new();
    driver.spawn(async move {
        let _ = connection.await;
    });
    (client, driver)
}

/// A client reading every row of `sql` as it streams in (no decoding of
/// the values: only the rows are counted).
async fn fetch_query(dsn: &str, sql: &str) -> Duration {
    let started = Instant::now();
    let (client, mut driver) = connect(dsn).await;
    let params: [&str; 0] = [];
    let stream = client.query_raw(sql, params).await.expect("query");
    pin_mut!(stream);
    let mut rows = 0u64;
    while let Some(row) = stream.next().await {
        std::hint::black_box(row.expect("row"));
        rows += 1;
    }
    let elapsed = started.elapsed();
    drop(client);
    while driver.join_next().await.is_some() {}
    assert_eq!(rows, ROWS, "postgres_fdw row count");
    elapsed
}

/// `COPY ... TO STDOUT` read to the end; rows counted by line ends.
async fn fetch_copy(dsn: &str, sql: &str) -> Duration {
    let started = Instant::now();
    let (client, mut driver) = connect(dsn).await;
    let stream = client.copy_out(sql).await.expect("copy");
    pin_mut!(stream);
    let mut rows = 0u64;
    while let Some(chunk) = stream.try_next().await.expect("copy data") {
        rows += chunk.iter().filter(|&&b| b == b'\n').count() as u64;
    }
    let elapsed = started.elapsed();
    drop(client);
    while driver.join_next().await.is_some() {}
    assert_eq!(rows, ROWS, "COPY row count");
    elapsed
}

fn report_path() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target")),
        PathBuf::from,
    );
    target.join("criterion").join("fetch.txt")
}
