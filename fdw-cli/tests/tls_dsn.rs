//! `fdw snapshot --dsn` and `fdw explain --dsn` over TLS: a PostgreSQL 15
//! cluster of its own with `ssl = on` whose `pg_hba.conf` takes TCP
//! connections only over TLS (`hostssl`, and `hostnossl ... reject`), so a
//! command that works on TCP has used TLS. The certificates are fixed test
//! files (tests/data/tls, made with the openssl command, valid for a
//! century): a CA, and a server certificate for `localhost` and
//! `127.0.0.1` signed by it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers fail loudly"
)]

mod common;

use common::fdw;

use std::path::PathBuf;
use std::sync::OnceLock;

use fdw_testkit::cluster::SUPERUSER;
use fdw_testkit::{Cluster, ClusterSetup, PgInstall};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/tls")
        .join(name)
}

/// The cluster, with a table and a foreign table over it.
fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(|| {
        let read = |name: &str| std::fs::read(data(name)).unwrap();
        let setup = ClusterSetup {
            tcp: true,
            settings: "ssl = on\n\
                       ssl_cert_file = 'server.crt'\n\
                       ssl_key_file = 'server.key'\n"
                .to_owned(),
            files: vec![
                ("server.crt".to_owned(), read("server.crt")),
                ("server.key".to_owned(), read("server.key")),
            ],
            hba: Some(
                "local all all trust\n\
                 hostssl all all 127.0.0.1/32 trust\n\
                 hostnossl all all 127.0.0.1/32 reject\n"
                    .to_owned(),
            ),
        };
        let cluster = Cluster::start_with(PgInstall::find(15).unwrap(), &setup).unwrap();
        cluster
            .exec(
                "postgres",
                &format!(
                    "CREATE EXTENSION postgres_fdw;
                     CREATE SERVER loop FOREIGN DATA WRAPPER postgres_fdw
                       OPTIONS (host 'localhost', port '{}', dbname 'postgres');
                     CREATE USER MAPPING FOR CURRENT_USER SERVER loop;
                     CREATE TABLE t (a int, b text);
                     CREATE FOREIGN TABLE ft (a int, b text) SERVER loop
                       OPTIONS (table_name 't');",
                    cluster.port()
                ),
            )
            .unwrap();
        cluster
    })
}

fn dsn(options: &str) -> String {
    format!(
        "host=localhost port={} dbname=postgres user={SUPERUSER} {options}",
        cluster().port()
    )
}

#[test]
fn snapshot_and_explain_over_tls() {
    let ca = data("ca.crt").display().to_string();
    let out = std::env::temp_dir().join(format!("fdw-cli-tls-{}.json", std::process::id()));
    for options in [
        "sslmode=require".to_owned(),
        format!("sslmode=verify-full sslrootcert={ca}"),
    ] {
        let (status, _, stderr) = fdw(&[
            "snapshot",
            "--dsn",
            &dsn(&options),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(status, 0, "{options}: {stderr}");
        let snapshot = std::fs::read_to_string(&out).unwrap();
        assert!(snapshot.contains("\"ft\""), "{options}: {snapshot}");
    }
    let _ = std::fs::remove_file(&out);
    let (status, stdout, stderr) = fdw(&[
        "explain",
        "--dsn",
        &dsn(&format!("sslmode=verify-full sslrootcert={ca}")),
        "SELECT b FROM ft WHERE a = 1",
    ]);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stdout.contains("Remote SQL: SELECT b FROM public.t WHERE ((a = 1))"),
        "{stdout}"
    );
}

#[test]
fn plain_dsn_is_refused_by_hostssl_rules() {
    // Without TLS the server refuses (hostnossl ... reject): one line on
    // stderr naming the host.
    let (status, stdout, stderr) = fdw(&[
        "explain",
        "--dsn",
        &dsn("sslmode=disable password=hunter2-tls"),
        "SELECT b FROM ft",
    ]);
    assert_eq!(status, 2, "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("connection to server at \"localhost\"")
            && stderr.contains("no encryption")
            && !stderr.contains("hunter2-tls"),
        "{stderr}"
    );
    // A CA that did not sign the server's certificate: refused.
    let wrong_ca = std::env::temp_dir().join(format!("fdw-cli-tls-{}.crt", std::process::id()));
    std::fs::write(&wrong_ca, std::fs::read(data("server.crt")).unwrap()).unwrap();
    let (status, _, stderr) = fdw(&[
        "snapshot",
        "--dsn",
        &dsn(&format!(
            "sslmode=verify-ca sslrootcert={}",
            wrong_ca.display()
        )),
        "-o",
        "-",
    ]);
    let _ = std::fs::remove_file(&wrong_ca);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("certificate verify failed"), "{stderr}");
}
