//! Faults against the real cluster: each gives an error naming the server
//! and the remote SQL (never the password), fails and aborts the remote
//! transaction, replaces a lost connection, and never passes a partial
//! result off as complete.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use fdw_catalog::catalog::{MappingUserSpec, ServerDef};
use fdw_catalog::objects::MappingUser;
use fdw_catalog::Catalog;
use fdw_exec::{Error, Executor, Isolation, LocalSession, Secrets};
use fdw_testkit::{Cluster, PgInstall};

use super::common::*;

const DIVIDE: &str = "SELECT 1 / (500 - g) FROM generate_series(1, 1000) g";

/// A remote error in the middle of a cursor: the rows before it were
/// delivered in batches, the error names server and statement, the cursor
/// never reports an end, the transaction fails and its abort reaches the
/// remote side; the connection stays (the abort succeeded).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_error_mid_cursor() {
    let oracle = oracle();
    let (catalog, server) = catalog_with(&oracle, "loopback", &[]);
    let mut exec = executor(&catalog);
    let pid = backend_pid(&mut exec, &catalog, server).await;
    exec.begin(Isolation::ReadCommitted).unwrap();
    let mut cursor = exec
        .open_scan(&catalog, &request(server, DIVIDE, &[INT4]))
        .await
        .unwrap();
    for _ in 0..4 {
        assert_eq!(
            cursor.next_batch(&catalog).await.unwrap().unwrap().len(),
            100
        );
    }
    let err = cursor.next_batch(&catalog).await.unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(&err, Error::Remote { sqlstate, .. } if sqlstate == "22012"),
        "{text}"
    );
    assert!(
        text.contains("loopback") && text.contains("FETCH 100 FROM c1"),
        "{text}"
    );
    assert!(text.contains("division by zero"), "{text}");
    assert!(cursor.next_batch(&catalog).await.is_err());
    assert!(exec.transaction_failed());
    assert!(exec
        .open_scan(&catalog, &request(server, "SELECT 1", &[INT4]))
        .await
        .is_err());
    let log = RemoteLog::start(&oracle);
    assert!(
        exec.commit().await.is_err(),
        "a failed transaction does not commit"
    );
    assert_eq!(
        log.statements(),
        vec!["LOG:  statement: ABORT TRANSACTION".to_owned()]
    );
    assert_eq!(backend_pid(&mut exec, &catalog, server).await, pid);

    // run_query gives the error and no rows.
    let err = exec
        .run_query(&catalog, &request(server, DIVIDE, &[INT4]))
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains(DIVIDE) || err.to_string().contains("FETCH"),
        "{err}"
    );
    assert!(!exec.in_transaction());
}

/// statement_timeout (set through the server's `options`) cancels a slow
/// fetch: 57014 naming the statement; the abort reaches the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statement_timeout() {
    let oracle = oracle();
    let (catalog, server) = catalog_with(
        &oracle,
        "loopback",
        &[("options", "-c statement_timeout=300")],
    );
    let mut exec = executor(&catalog);
    exec.begin(Isolation::ReadCommitted).unwrap();
    let started = std::time::Instant::now();
    let err = exec
        .run_query(
            &catalog,
            &request(server, "SELECT pg_sleep(20)::text", &[TEXT]),
        )
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10));
    let text = err.to_string();
    assert!(
        matches!(&err, Error::Remote { sqlstate, .. } if sqlstate == "57014"),
        "{text}"
    );
    assert!(
        text.contains("statement timeout") && text.contains("FETCH 100 FROM c1"),
        "{text}"
    );
    let log = RemoteLog::start(&oracle);
    assert!(exec.abort().await.is_empty());
    assert_eq!(
        log.statements(),
        vec!["LOG:  statement: ABORT TRANSACTION".to_owned()]
    );
}

/// pg_terminate_backend in the middle of a fetch: the connection is lost,
/// the scan says so, the abort drops the connection and the next query
/// reconnects.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terminated_backend_mid_fetch() {
    let oracle = oracle();
    let (catalog, server) = catalog_with(&oracle, "loopback", &[]);
    let mut exec = executor(&catalog);
    exec.begin(Isolation::ReadCommitted).unwrap();
    let pid = backend_pid(&mut exec, &catalog, server).await;
    let sql = "SELECT g FROM generate_series(1, 100000) g";
    let mut cursor = exec
        .open_scan(&catalog, &request(server, sql, &[INT4]))
        .await
        .unwrap();
    let mut fetched = cursor.next_batch(&catalog).await.unwrap().unwrap().len();
    oracle
        .cluster()
        .query("postgres", &format!("SELECT pg_terminate_backend({pid})"))
        .unwrap();
    let err = loop {
        match cursor.next_batch(&catalog).await {
            Ok(Some(rows)) => fetched += rows.len(),
            Ok(None) => panic!("a lost connection ended the scan as if complete"),
            Err(err) => break err,
        }
    };
    assert!(fetched < 100_000);
    let text = err.to_string();
    assert!(matches!(err, Error::ConnectionLost { .. }), "{text}");
    // c1 was the pg_backend_pid() query of this transaction.
    assert!(
        text.contains("loopback") && text.contains("FETCH 100 FROM c2"),
        "{text}"
    );
    drop(cursor);
    exec.abort().await;
    assert!(
        exec.get_connections().is_empty(),
        "the lost connection is gone"
    );
    let again = backend_pid(&mut exec, &catalog, server).await;
    assert_ne!(again, pid);
}

/// Connection refused (TCP port without a listener, and a socket
/// directory without a server): an error naming server and statement.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_refused() {
    let mut catalog = Catalog::new(15).unwrap();
    catalog
        .create_extension("postgres_fdw", None, false)
        .unwrap();
    for (name, host, port) in [
        ("tcp", "127.0.0.1", "1"),
        ("unix", "/nonexistent-dir", "5432"),
    ] {
        let server = catalog
            .create_server(&ServerDef::postgres_fdw(
                name,
                &[("host", host), ("port", port)],
            ))
            .unwrap();
        catalog
            .create_user_mapping(
                &MappingUserSpec::CurrentUser,
                name,
                &[("password".to_owned(), "s3cret-refused".to_owned())],
                false,
            )
            .unwrap();
        let secrets = Secrets::new().with(
            name,
            MappingUser::Role("postgres".into()),
            "password",
            "s3cret-refused",
        );
        let mut exec = executor_with(&catalog, Arc::new(secrets));
        let err = exec
            .run_query(&catalog, &request(server, "SELECT 1", &[INT4]))
            .await
            .unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(matches!(err, Error::Connect { .. }), "{text}");
        assert!(
            text.contains(&format!("\"{name}\"")) && text.contains("SELECT 1"),
            "{text}"
        );
        assert!(!text.contains("s3cret-refused"), "{text}");
        assert!(!exec.in_transaction());
    }
}

/// A role that authenticates with a password (scram) on the shared cluster.
fn password_role(cluster: &Cluster) -> &'static str {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        cluster
            .exec(
                "postgres",
                "CREATE ROLE fdw_pw_user LOGIN PASSWORD 'right-secret-7'",
            )
            .unwrap();
        let hba = cluster.socket_dir().join("data/pg_hba.conf");
        let old = std::fs::read_to_string(&hba).unwrap();
        std::fs::write(&hba, format!("local all fdw_pw_user scram-sha-256\n{old}")).unwrap();
        cluster.exec("postgres", "SELECT pg_reload_conf()").unwrap();
        std::thread::sleep(Duration::from_millis(500));
    });
    "fdw_pw_user"
}

fn mapping_catalog(
    oracle: &fdw_testkit::Oracle,
    options: &[(&str, &str)],
) -> (Catalog, fdw_core::Oid) {
    let mut catalog = Catalog::new(15).unwrap();
    catalog
        .create_extension("postgres_fdw", None, false)
        .unwrap();
    let socket = oracle.cluster().socket_dir().display().to_string();
    let server = catalog
        .create_server(&ServerDef::postgres_fdw(
            "loopback",
            &[
                ("host", &socket),
                ("port", "5432"),
                ("dbname", oracle.remote_db()),
            ],
        ))
        .unwrap();
    let options: Vec<(String, String)> = options
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    catalog
        .create_user_mapping(&MappingUserSpec::CurrentUser, "loopback", &options, false)
        .unwrap();
    (catalog, server)
}

fn with_password(secret: &str, superuser: bool, catalog: &Catalog) -> Executor {
    let secrets = Secrets::new().with(
        "loopback",
        MappingUser::Role("postgres".into()),
        "password",
        secret,
    );
    let mut local = LocalSession::from_catalog(catalog);
    local.superuser = superuser;
    Executor::new(local, Arc::new(secrets))
}

/// A wrong password: 28P01, naming server and statement, not the
/// password; the right one connects, also for a non-superuser (the server
/// asked for it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authentication_failure_and_password_required() {
    let oracle = oracle();
    let role = password_role(oracle.cluster());
    let (catalog, server) = mapping_catalog(&oracle, &[("user", role), ("password", "x")]);
    let query = request(server, "SELECT current_user::text", &[TEXT]);

    let mut exec = with_password("wrong-secret-9", true, &catalog);
    let err = exec.run_query(&catalog, &query).await.unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(
        matches!(&err, Error::Connect { sqlstate: Some(s), .. } if s == "28P01"),
        "{text}"
    );
    assert!(
        text.contains("loopback") && text.contains("SELECT current_user"),
        "{text}"
    );
    assert!(!text.contains("wrong-secret-9"), "{text}");
    assert!(exec.get_connections().is_empty());

    for superuser in [true, false] {
        let mut exec = with_password("right-secret-7", superuser, &catalog);
        let rows = exec.run_query(&catalog, &query).await.unwrap();
        assert_eq!(rows, vec![vec![Some(role.to_owned())]]);
    }

    // password_required: a non-superuser whose mapping has no password...
    let (plain, server) = mapping_catalog(&oracle, &[]);
    let query = request(server, "SELECT current_user::text", &[TEXT]);
    let mut exec = with_password("unused", false, &plain);
    let err = exec.run_query(&plain, &query).await.unwrap_err();
    assert!(matches!(err, Error::PasswordRequired { .. }), "{err}");
    // ... or whose server does not ask for it (trust) is refused ...
    let (trusted, server) = mapping_catalog(&oracle, &[("password", "x")]);
    let query = request(server, "SELECT current_user::text", &[TEXT]);
    let mut exec = with_password("not-asked-for", false, &trusted);
    let err = exec.run_query(&trusted, &query).await.unwrap_err();
    assert!(
        err.to_string().contains("does not request a password"),
        "{err}"
    );
    assert!(!err.to_string().contains("not-asked-for"));
    // ... unless the mapping says password_required 'false'.
    let (lax, server) = mapping_catalog(&oracle, &[("password_required", "false")]);
    let query = request(server, "SELECT current_user::text", &[TEXT]);
    let mut exec = with_password("unused", false, &lax);
    assert_eq!(
        exec.run_query(&lax, &query).await.unwrap(),
        vec![vec![Some("postgres".to_owned())]]
    );
}

/// A server restart (crash recovery of a private cluster: another backend
/// is killed with SIGKILL, so the postmaster restarts every session) in
/// the middle of a fetch: the connection is lost, the error names server
/// and statement, and once the server is back the next query reconnects.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_restart_mid_fetch() {
    let cluster = Cluster::start(PgInstall::find(15).unwrap()).unwrap();
    let db = cluster.create_database("restart").unwrap();
    let mut catalog = Catalog::new(15).unwrap();
    catalog
        .create_extension("postgres_fdw", None, false)
        .unwrap();
    let socket = cluster.socket_dir().display().to_string();
    let server = catalog
        .create_server(&ServerDef::postgres_fdw(
            "restarting",
            &[("host", &socket), ("port", "5432"), ("dbname", &db)],
        ))
        .unwrap();
    catalog
        .create_user_mapping(&MappingUserSpec::Public, "restarting", &[], false)
        .unwrap();
    let mut exec = executor(&catalog);
    let mut bystander = executor(&catalog);
    let victim = backend_pid(&mut bystander, &catalog, server).await;
    exec.begin(Isolation::ReadCommitted).unwrap();
    let sql = "SELECT g FROM generate_series(1, 100000) g";
    let mut cursor = exec
        .open_scan(&catalog, &request(server, sql, &[INT4]))
        .await
        .unwrap();
    assert!(cursor.next_batch(&catalog).await.unwrap().is_some());
    let status = std::process::Command::new("kill")
        .args(["-9", &victim])
        .status()
        .unwrap();
    assert!(status.success());
    let err = loop {
        match cursor.next_batch(&catalog).await {
            Ok(Some(_)) => tokio::time::sleep(Duration::from_millis(20)).await,
            Ok(None) => panic!("a restart ended the scan as if complete"),
            Err(err) => break err,
        }
    };
    let text = err.to_string();
    assert!(matches!(err, Error::ConnectionLost { .. }), "{text}");
    assert!(
        text.contains("restarting") && text.contains("FETCH 100 FROM c1"),
        "{text}"
    );
    drop(cursor);
    exec.abort().await;
    // The server comes back; the next query gets a new connection.
    let mut last = None;
    for _ in 0..150 {
        match exec
            .run_query(&catalog, &request(server, "SELECT 42", &[INT4]))
            .await
        {
            Ok(rows) => {
                assert_eq!(rows, vec![vec![Some("42".to_owned())]]);
                return;
            }
            Err(err) => {
                assert!(!matches!(err, Error::Remote { .. }), "{err}");
                last = Some(err);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    panic!("no reconnection after the restart: {last:?}");
}
