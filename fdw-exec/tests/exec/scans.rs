//! Cursors: decoding, parameters, early close, cancellation.

use std::time::Duration;

use fdw_core::Oid;
use fdw_exec::{ColumnType, Error, Isolation};

use super::common::*;

/// Rows decoded by their declared types equal the remote rows as psql
/// prints them (timestamptz, numeric, float8, bool, varchar(10) included).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_decode_to_the_declared_types() {
    let oracle = oracle();
    let (catalog, server) = catalog_with(&oracle, "loopback", &[]);
    let mut exec = executor(&catalog);
    let sql = "SELECT c1, c2, c3, c4, c5, c6, c7 FROM public.t1 ORDER BY c1";
    let mut req = request(
        server,
        sql,
        &[INT4, TEXT, Oid(1184), Oid(1700), Oid(701), Oid(16)],
    );
    req.columns.push(ColumnType {
        type_oid: Oid(1043),
        typmod: 14,
    });
    req.fetch_size = 10;
    let ours = exec.run_query(&catalog, &req).await.unwrap();
    let theirs = oracle
        .remote_rows("SELECT c1, c2, c3, c4, c5, c6, c7 FROM t1 ORDER BY c1")
        .unwrap()
        .unwrap();
    assert_eq!(ours.len(), 34);
    assert_eq!(ours, theirs.rows);

    // NULLs, and a value the declared type refuses.
    let rows = exec
        .run_query(
            &catalog,
            &request(server, "SELECT NULL::int, 'x'::text", &[INT4, TEXT]),
        )
        .await
        .unwrap();
    assert_eq!(rows, vec![vec![None, Some("x".to_owned())]]);
    let err = exec
        .run_query(
            &catalog,
            &request(server, "SELECT c2 FROM public.t1", &[INT4]),
        )
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, Error::Decode { column: 1, .. }), "{text}");
    assert!(
        text.contains("loopback") && text.contains("SELECT c2 FROM public.t1"),
        "{text}"
    );
    assert!(
        text.contains("invalid input syntax for type integer"),
        "{text}"
    );
}

/// Parameters go as text without type OIDs, typed by the `$n::type` casts;
/// the remote log shows them as postgres_fdw's do.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parameters_are_bound_as_text() {
    let oracle = oracle();
    let (catalog, server) = catalog_with(&oracle, "loopback", &[]);
    let mut exec = executor(&catalog);
    let log = RemoteLog::start(&oracle);
    let mut req = request(
        server,
        "SELECT c1, c2 FROM public.t1 WHERE ((c1 = $1::integer) OR (c2 = $2::text) OR (c3 = $3::timestamp with time zone)) ORDER BY c1",
        &[INT4, TEXT],
    );
    req.params = vec![Some("3".to_owned()), Some("row 5".to_owned()), None];
    let rows = exec.run_query(&catalog, &req).await.unwrap();
    assert_eq!(
        rows,
        vec![
            vec![Some("3".to_owned()), Some("row 3".to_owned())],
            vec![Some("5".to_owned()), Some("row 5".to_owned())],
        ]
    );
    let statements = log.statements();
    assert!(
        statements.contains(&"DETAIL:  parameters: $1 = '3', $2 = 'row 5', $3 = NULL".to_owned()),
        "{statements:#?}"
    );
}

/// A consumer that stops early closes the cursor; cursor numbers count
/// per transaction and restart after it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn early_stop_closes_the_cursor() {
    let oracle = oracle();
    let (catalog, server) = catalog_with(&oracle, "loopback", &[]);
    let mut exec = executor(&catalog);
    exec.begin(Isolation::ReadCommitted).unwrap();
    let log = RemoteLog::start(&oracle);
    let mut req = request(server, "SELECT c1 FROM public.t1", &[INT4]);
    req.fetch_size = 10;
    let mut cursor = exec.open_scan(&catalog, &req).await.unwrap();
    assert_eq!(cursor.name(), "c1");
    let batch = cursor.next_batch(&catalog).await.unwrap().unwrap();
    assert_eq!(batch.len(), 10);
    cursor.close().await.unwrap();
    let second = exec.open_scan(&catalog, &req).await.unwrap();
    assert_eq!(second.name(), "c2");
    drop(second);
    exec.commit().await.unwrap();
    let statements = log.statements();
    let expected: Vec<String> = [
        "START TRANSACTION ISOLATION LEVEL REPEATABLE READ",
        // The server log indents continuation lines with a tab.
        "DECLARE c1 CURSOR FOR\n\tSELECT c1 FROM public.t1",
        "FETCH 10 FROM c1",
        "CLOSE c1",
        "COMMIT TRANSACTION",
    ]
    .iter()
    .enumerate()
    .map(|(i, s)| {
        if i == 1 {
            format!("LOG:  execute <unnamed>: {s}")
        } else {
            format!("LOG:  statement: {s}")
        }
    })
    .collect();
    assert_eq!(statements[SESSION_LEN..], expected[..]);
    exec.begin(Isolation::ReadCommitted).unwrap();
    let again = exec.open_scan(&catalog, &req).await.unwrap();
    assert_eq!(again.name(), "c1");
    again.close().await.unwrap();
    exec.commit().await.unwrap();
}

const SESSION_LEN: usize = 5;

/// How many statements run on the remote database right now whose text
/// starts with `prefix`.
fn active(oracle: &fdw_testkit::Oracle, prefix: &str) -> usize {
    let table = oracle
        .cluster()
        .query(
            "postgres",
            &format!(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = '{}' AND state = 'active' AND query LIKE '{prefix}%'",
                oracle.remote_db()
            ),
        )
        .unwrap();
    table.rows[0][0].clone().unwrap().parse().unwrap()
}

async fn wait_until(mut f: impl FnMut() -> bool) -> bool {
    for _ in 0..100 {
        if f() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// A caller that gives up on a running fetch (drops its future): the
/// remote statement is cancelled, not left running, and after the abort
/// the same connection serves the next query.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_fetch_cancels_the_remote_query() {
    let oracle = oracle();
    let (catalog, server) = catalog_with(&oracle, "loopback", &[]);
    let mut exec = executor(&catalog);
    let pid = backend_pid(&mut exec, &catalog, server).await;
    exec.begin(Isolation::ReadCommitted).unwrap();
    let req = request(server, "SELECT pg_sleep(30)::text", &[TEXT]);
    let mut cursor = exec.open_scan(&catalog, &req).await.unwrap();
    let started = std::time::Instant::now();
    let timed_out =
        tokio::time::timeout(Duration::from_millis(500), cursor.next_batch(&catalog)).await;
    assert!(timed_out.is_err(), "the fetch should still be running");
    assert!(
        wait_until(|| active(&oracle, "FETCH") == 0).await,
        "the remote FETCH kept running"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    drop(cursor);
    let warnings = exec.abort().await;
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(backend_pid(&mut exec, &catalog, server).await, pid);
}

/// A cancel from elsewhere stops the remote statement; the scan reports
/// the cancellation (57014) naming the server and the statement, and
/// returns no rows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_handle_cancels_the_remote_query() {
    let oracle = oracle();
    let (catalog, server) = catalog_with(&oracle, "loopback", &[]);
    let mut exec = executor(&catalog);
    exec.begin(Isolation::ReadCommitted).unwrap();
    let req = request(server, "SELECT pg_sleep(30)::text", &[TEXT]);
    let mut cursor = exec.open_scan(&catalog, &req).await.unwrap();
    let cancel = cursor.cancel_handle();
    let (result, cancelled) = tokio::join!(cursor.next_batch(&catalog), async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        cancel.cancel().await
    });
    cancelled.unwrap();
    let err = result.unwrap_err();
    match &err {
        Error::Remote {
            sqlstate,
            sql,
            server,
            ..
        } => {
            assert_eq!(sqlstate, "57014");
            assert_eq!(sql, "FETCH 100 FROM c1");
            assert_eq!(server, "loopback");
        }
        other => panic!("{other}"),
    }
    assert!(
        cursor.next_batch(&catalog).await.is_err(),
        "no end after an error"
    );
    assert!(exec.transaction_failed());
    let log = RemoteLog::start(&oracle);
    assert!(exec.abort().await.is_empty());
    assert_eq!(
        log.statements(),
        vec!["LOG:  statement: ABORT TRANSACTION".to_owned()]
    );
}
