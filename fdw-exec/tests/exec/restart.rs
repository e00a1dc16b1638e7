//! The remote server restarted with `pg_ctl restart` in the middle of a
//! fetch, on a private cluster (the other tests' cluster is untouched).
//!
//! - fast shutdown ends every session: the scan fails naming the server
//!   and the statement, never ends as if complete, the remote transaction
//!   is gone uncommitted, the connection is dropped, and the next query
//!   reconnects;
//! - smart shutdown lets running sessions finish: the scan returns every
//!   row, new connections are refused meanwhile (naming the server), and
//!   once the executor lets its connection go the server restarts and the
//!   next query reconnects.

use std::sync::Arc;
use std::time::{Duration, Instant};

use fdw_catalog::catalog::{MappingUserSpec, ServerDef};
use fdw_catalog::Catalog;
use fdw_core::Oid;
use fdw_exec::{Error, Executor, Isolation, LocalSession, NoSecrets};
use fdw_testkit::{Cluster, PgInstall};

use super::common::{request, INT4};

const ROWS: usize = 100_000;
const SCAN: &str = "SELECT g FROM generate_series(1, 100000) g";

fn private_cluster() -> (Cluster, Catalog, Oid) {
    let cluster = Cluster::start(PgInstall::find(15).unwrap()).unwrap();
    let db = cluster.create_database("restart").unwrap();
    cluster.exec(&db, "CREATE TABLE marker (x int)").unwrap();
    let mut catalog = Catalog::new(15).unwrap();
    catalog
        .create_extension("postgres_fdw", None, false)
        .unwrap();
    let socket = cluster.socket_dir().display().to_string();
    let port = cluster.port().to_string();
    let server = catalog
        .create_server(&ServerDef::postgres_fdw(
            "restarting",
            &[("host", &socket), ("port", &port), ("dbname", &db)],
        ))
        .unwrap();
    catalog
        .create_user_mapping(&MappingUserSpec::Public, "restarting", &[], false)
        .unwrap();
    (cluster, catalog, server)
}

fn executor(catalog: &Catalog) -> Executor {
    Executor::new(LocalSession::from_catalog(catalog), Arc::new(NoSecrets))
}

fn restart(cluster: &Cluster, mode: &str) -> std::process::Child {
    let log = cluster.log_path().display().to_string();
    cluster
        .spawn_pg_ctl(&["restart", "-m", mode, "-w", "-t", "60", "-l", &log])
        .unwrap()
}

fn finished(child: std::process::Child) {
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "pg_ctl restart failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn count_markers(exec: &mut Executor, catalog: &Catalog, server: Oid) -> String {
    let rows = exec
        .run_query(
            catalog,
            &request(server, "SELECT count(*)::int FROM public.marker", &[INT4]),
        )
        .await
        .unwrap();
    rows[0][0].clone().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pg_ctl_restart_fast_mid_fetch() {
    let (cluster, catalog, server) = private_cluster();
    let mut exec = executor(&catalog);
    exec.begin(Isolation::ReadCommitted).unwrap();
    // A write in the remote transaction, to see that it is not committed.
    let conn = exec
        .connection(
            &catalog,
            server,
            None,
            "INSERT INTO public.marker VALUES (1)",
        )
        .await
        .unwrap();
    conn.simple_query("INSERT INTO public.marker VALUES (1)")
        .await
        .unwrap();
    let mut cursor = exec
        .open_scan(&catalog, &request(server, SCAN, &[INT4]))
        .await
        .unwrap();
    let mut fetched = cursor.next_batch(&catalog).await.unwrap().unwrap().len();
    let pg_ctl = restart(&cluster, "fast");
    let err = loop {
        match cursor.next_batch(&catalog).await {
            Ok(Some(rows)) => {
                fetched += rows.len();
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Ok(None) => panic!("a restart ended the scan as if complete ({fetched} rows)"),
            Err(err) => break err,
        }
    };
    assert!(fetched < ROWS, "{fetched}");
    let text = err.to_string();
    assert!(matches!(err, Error::ConnectionLost { .. }), "{text}");
    assert!(
        text.contains("\"restarting\"") && text.contains("FETCH 100 FROM c1"),
        "{text}"
    );
    assert!(
        cursor.next_batch(&catalog).await.is_err(),
        "no end after the error"
    );
    drop(cursor);
    assert!(exec.transaction_failed());
    assert!(exec.commit().await.is_err(), "a failed transaction commits");
    assert!(!exec.in_transaction());
    assert!(
        exec.get_connections().is_empty(),
        "the lost connection is dropped, to be reopened"
    );
    finished(pg_ctl);
    // The next query reconnects; the insert died with its transaction.
    assert_eq!(count_markers(&mut exec, &catalog, server).await, "0");
    assert_eq!(exec.get_connections().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pg_ctl_restart_smart_waits_for_the_scan() {
    let (cluster, catalog, server) = private_cluster();
    let mut exec = executor(&catalog);
    exec.begin(Isolation::ReadCommitted).unwrap();
    let mut cursor = exec
        .open_scan(&catalog, &request(server, SCAN, &[INT4]))
        .await
        .unwrap();
    let mut fetched = cursor.next_batch(&catalog).await.unwrap().unwrap().len();
    let pg_ctl = restart(&cluster, "smart");
    // The server stops taking new sessions...
    let mut newcomer = executor(&catalog);
    let started = Instant::now();
    let refused = loop {
        match newcomer
            .run_query(&catalog, &request(server, "SELECT 1", &[INT4]))
            .await
        {
            Ok(_) => {
                assert!(started.elapsed() < Duration::from_secs(20), "never refused");
                newcomer.disconnect_all();
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(err) => break err,
        }
    };
    let text = refused.to_string();
    assert!(
        matches!(&refused, Error::Connect { sqlstate: Some(s), .. } if s == "57P03"),
        "{text}"
    );
    assert!(
        text.contains("\"restarting\"") && text.contains("shutting down"),
        "{text}"
    );
    // ... while the running scan goes on to its end, every row.
    while let Some(rows) = cursor.next_batch(&catalog).await.unwrap() {
        fetched += rows.len();
    }
    assert_eq!(fetched, ROWS);
    drop(cursor);
    exec.commit().await.unwrap();
    // The cached connection keeps the server waiting; letting it go lets
    // the restart proceed, and the next query reconnects.
    assert!(exec.disconnect_all());
    finished(pg_ctl);
    let rows = exec
        .run_query(&catalog, &request(server, "SELECT 42", &[INT4]))
        .await
        .unwrap();
    assert_eq!(rows, vec![vec![Some("42".to_owned())]]);
}
