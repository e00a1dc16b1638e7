//! Mirrored transactions, invalidation and remote estimates.

use fdw_catalog::options::OptionChange;
use fdw_cost::remote::{parse_explain_line, RemoteEstimator};
use fdw_exec::{BlockingEstimator, ConnectionInfo, Isolation};

use super::common::*;

/// Savepoints and isolation as postgres_fdw mirrors them: the same local
/// script gives the same remote statements.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn savepoints_equal_postgres_fdw() {
    let oracle = oracle();
    let theirs = oracle
        .received(
            "BEGIN ISOLATION LEVEL SERIALIZABLE; SAVEPOINT a; SAVEPOINT b; \
             SELECT c1 FROM ft1 WHERE c1 = 1; ROLLBACK TO SAVEPOINT b; \
             SELECT c1 FROM ft1 WHERE c1 = 2; RELEASE SAVEPOINT a; COMMIT",
        )
        .unwrap();
    let theirs = statements_only(&theirs.statements);
    let sqls: Vec<String> = theirs
        .iter()
        .filter_map(|s| s.strip_prefix("LOG:  execute <unnamed>: DECLARE "))
        .map(|s| {
            s.split_once("\n")
                .unwrap()
                .1
                .trim_start_matches('\t')
                .to_owned()
        })
        .collect();
    assert_eq!(sqls.len(), 2, "{theirs:#?}");

    let (catalog, server) = catalog_with(&oracle, "loopback", &[]);
    let mut exec = executor(&catalog);
    let log = RemoteLog::start(&oracle);
    exec.begin(Isolation::Serializable).unwrap();
    exec.savepoint().unwrap();
    exec.savepoint().unwrap();
    exec.run_query(&catalog, &request(server, &sqls[0], &[INT4]))
        .await
        .unwrap();
    // ROLLBACK TO SAVEPOINT b: the subtransaction ends and b starts anew.
    exec.rollback_to_savepoint().await.unwrap();
    exec.savepoint().unwrap();
    exec.run_query(&catalog, &request(server, &sqls[1], &[INT4]))
        .await
        .unwrap();
    // RELEASE SAVEPOINT a releases b too.
    exec.release_savepoint().await.unwrap();
    exec.release_savepoint().await.unwrap();
    exec.commit().await.unwrap();
    assert_eq!(log.statements(), theirs);
}

/// A local abort is mirrored (`ABORT TRANSACTION`) and the connection kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abort_is_mirrored() {
    let oracle = oracle();
    let theirs = oracle
        .received("BEGIN; SELECT c1 FROM ft1 WHERE c1 = 1; ROLLBACK")
        .unwrap();
    let theirs = statements_only(&theirs.statements);
    assert_eq!(theirs.last().unwrap(), "LOG:  statement: ABORT TRANSACTION");
    let (catalog, server) = catalog_with(&oracle, "loopback", &[]);
    let mut exec = executor(&catalog);
    let pid = backend_pid(&mut exec, &catalog, server).await;
    exec.begin(Isolation::RepeatableRead).unwrap();
    let log = RemoteLog::start(&oracle);
    exec.run_query(&catalog, &request(server, "SELECT 1", &[INT4]))
        .await
        .unwrap();
    assert!(exec.abort().await.is_empty());
    let ours = log.statements();
    assert_eq!(
        ours.first().unwrap(),
        "LOG:  statement: START TRANSACTION ISOLATION LEVEL REPEATABLE READ"
    );
    assert_eq!(ours.last().unwrap(), "LOG:  statement: ABORT TRANSACTION");
    assert_eq!(backend_pid(&mut exec, &catalog, server).await, pid);
}

/// A change of the server inside a transaction keeps the connection (and
/// its snapshot) until the end, shows it invalid, then replaces it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changed_server_invalidates_the_connection() {
    let oracle = oracle();
    let (mut catalog, server) = catalog_with(&oracle, "loopback", &[]);
    let mut exec = executor(&catalog);
    exec.begin(Isolation::ReadCommitted).unwrap();
    let first = backend_pid(&mut exec, &catalog, server).await;
    catalog
        .alter_server("loopback", None, &[OptionChange::add("fetch_size", "50")])
        .unwrap();
    assert_eq!(backend_pid(&mut exec, &catalog, server).await, first);
    assert_eq!(
        exec.get_connections(),
        vec![ConnectionInfo {
            server_name: "loopback".to_owned(),
            valid: false
        }]
    );
    exec.commit().await.unwrap();
    assert!(exec.get_connections().is_empty());
    let second = backend_pid(&mut exec, &catalog, server).await;
    assert_ne!(first, second);
    // Outside a transaction a change replaces the connection at once.
    catalog
        .alter_server("loopback", None, &[OptionChange::set("fetch_size", "60")])
        .unwrap();
    assert_ne!(backend_pid(&mut exec, &catalog, server).await, second);
}

/// The estimator sends EXPLAIN over the cached connection and reads the
/// first line as the remote server prints it.
#[test]
fn remote_estimates_come_from_explain() {
    let oracle = oracle();
    oracle.exec_remote("ANALYZE t1").unwrap();
    let (catalog, server) = catalog_with(&oracle, "loopback", &[]);
    let estimator = BlockingEstimator::new(&catalog, executor(&catalog)).unwrap();
    let sql = "EXPLAIN SELECT c1, c2 FROM public.t1 WHERE ((c1 > 10))";
    let ours = estimator.explain(server, sql).unwrap();
    let direct = oracle.cluster().query(oracle.remote_db(), sql).unwrap();
    let line = direct.rows[0][0].clone().unwrap();
    assert_eq!(Some(ours), parse_explain_line(&line));
    assert_eq!(ours.rows, 25.0);
    // Errors name the server and the statement.
    let err = estimator
        .explain(server, "EXPLAIN SELECT nosuch FROM public.t1")
        .unwrap_err();
    assert!(
        err.contains("loopback") && err.contains("EXPLAIN SELECT nosuch"),
        "{err}"
    );
    let exec = estimator.into_executor();
    assert_eq!(exec.get_connections().len(), 1);
}
