//! Connections and session setup compared with real postgres_fdw.

use fdw_catalog::options::OptionChange;
use fdw_exec::{ConnectionInfo, SESSION_SETUP};

use super::common::*;

/// The whole conversation of a simple scan (session setup, transaction,
/// cursor with `FETCH 7` x5 over 34 rows, close, commit) is what
/// postgres_fdw sends for the same query.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_conversation_equals_postgres_fdw() {
    let oracle = oracle();
    oracle
        .exec_local("ALTER FOREIGN TABLE ft1 OPTIONS (ADD fetch_size '7')")
        .unwrap();
    let theirs = oracle.received("SELECT c1, c2 FROM ft1").unwrap();
    let theirs = statements_only(&theirs.statements);
    assert!(
        theirs.iter().any(|s| s.contains("FETCH 7 FROM c1")),
        "{theirs:#?}"
    );
    let sql = theirs
        .iter()
        .find_map(|s| s.strip_prefix("LOG:  execute <unnamed>: DECLARE c1 CURSOR FOR\n"))
        .expect("postgres_fdw's DECLARE")
        .trim_start_matches('\t')
        .to_owned();

    let (catalog, server) = catalog_with(&oracle, "loopback", &[]);
    let mut exec = executor(&catalog);
    let log = RemoteLog::start(&oracle);
    let mut req = request(server, &sql, &[INT4, TEXT]);
    req.fetch_size = 7;
    let rows = exec.run_query(&catalog, &req).await.unwrap();
    assert_eq!(rows.len(), 34);
    assert_eq!(
        rows[0],
        vec![Some("1".to_owned()), Some("row 1".to_owned())]
    );
    let ours = log.statements();
    assert_eq!(ours, theirs);
    for (i, statement) in SESSION_SETUP.iter().enumerate() {
        assert_eq!(ours[i], format!("LOG:  statement: {statement}"));
    }
}

/// application_name: the fallback `postgres_fdw`, the server option, and
/// `postgres_fdw.application_name` with escapes, as the remote session
/// shows it to postgres_fdw's and to our connections.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn application_name_as_postgres_fdw_sets_it() {
    let mut oracle = oracle();
    let pg = |oracle: &fdw_testkit::Oracle| {
        let rows = oracle
            .rows("SELECT application_name FROM ft_app")
            .unwrap()
            .unwrap();
        rows.rows[0][0].clone().unwrap()
    };
    let ours = |catalog: &fdw_catalog::Catalog, server| {
        let catalog = catalog.clone();
        async move {
            let mut exec = executor(&catalog);
            let rows = exec
                .run_query(
                    &catalog,
                    &request(
                        server,
                        "SELECT application_name FROM public.my_app",
                        &[TEXT],
                    ),
                )
                .await
                .unwrap();
            rows[0][0].clone().unwrap()
        }
    };
    let (mut catalog, server) = catalog_with(&oracle, "loopback", &[]);
    assert_eq!(pg(&oracle), "postgres_fdw");
    assert_eq!(ours(&catalog, server).await, "postgres_fdw");

    oracle
        .exec_local("ALTER SERVER loopback OPTIONS (ADD application_name 'from_server')")
        .unwrap();
    catalog
        .alter_server(
            "loopback",
            None,
            &[OptionChange::add("application_name", "from_server")],
        )
        .unwrap();
    assert_eq!(pg(&oracle), "from_server");
    assert_eq!(ours(&catalog, server).await, "from_server");

    oracle.set("postgres_fdw.application_name", "'fdw_%u_%%'");
    catalog
        .set_setting("postgres_fdw.application_name", "fdw_%u_%%")
        .unwrap();
    assert_eq!(pg(&oracle), "fdw_postgres_%");
    assert_eq!(ours(&catalog, server).await, "fdw_postgres_%");
}

/// One connection per user mapping, reused across queries and
/// transactions; get_connections / disconnect / disconnect_all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_cache_and_disconnect() {
    let oracle = oracle();
    let (mut catalog, server) = catalog_with(&oracle, "loopback", &[]);
    catalog
        .create_server(&fdw_catalog::catalog::ServerDef::postgres_fdw(
            "loopback2",
            &[
                ("host", &oracle.cluster().socket_dir().display().to_string()),
                ("port", "5432"),
                ("dbname", oracle.remote_db()),
            ],
        ))
        .unwrap();
    catalog
        .create_user_mapping(
            &fdw_catalog::catalog::MappingUserSpec::Public,
            "loopback2",
            &[],
            false,
        )
        .unwrap();
    let server2 = catalog.server_by_name("loopback2").unwrap().oid;
    let mut exec = executor(&catalog);
    assert!(exec.get_connections().is_empty());
    let a = backend_pid(&mut exec, &catalog, server).await;
    let b = backend_pid(&mut exec, &catalog, server).await;
    assert_eq!(a, b, "the cached connection is reused");
    let c = backend_pid(&mut exec, &catalog, server2).await;
    assert_ne!(a, c, "another mapping has its own connection");
    let valid = |name: &str| ConnectionInfo {
        server_name: name.to_owned(),
        valid: true,
    };
    assert_eq!(
        exec.get_connections(),
        vec![valid("loopback"), valid("loopback2")]
    );
    assert!(exec.disconnect(&catalog, "loopback").unwrap());
    assert!(!exec.disconnect(&catalog, "loopback").unwrap());
    assert!(exec.disconnect(&catalog, "nosuch").is_err());
    assert_eq!(exec.get_connections(), vec![valid("loopback2")]);
    let d = backend_pid(&mut exec, &catalog, server).await;
    assert_ne!(a, d, "a new connection after disconnect");
    assert!(exec.disconnect_all());
    assert!(exec.get_connections().is_empty());
    assert!(!exec.disconnect_all());

    // Inside a transaction, a connection in use is not closed.
    exec.begin(fdw_exec::Isolation::ReadCommitted).unwrap();
    let e = backend_pid(&mut exec, &catalog, server).await;
    assert!(!exec.disconnect(&catalog, "loopback").unwrap());
    assert_eq!(backend_pid(&mut exec, &catalog, server).await, e);
    exec.commit().await.unwrap();
    assert!(exec.disconnect(&catalog, "loopback").unwrap());
}

/// keep_connections 'off': closed at the end of each transaction.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keep_connections_off_closes_at_transaction_end() {
    let oracle = oracle();
    let (catalog, server) = catalog_with(&oracle, "loopback", &[("keep_connections", "off")]);
    let mut exec = executor(&catalog);
    let a = backend_pid(&mut exec, &catalog, server).await;
    assert!(exec.get_connections().is_empty());
    let b = backend_pid(&mut exec, &catalog, server).await;
    assert_ne!(a, b);
}
