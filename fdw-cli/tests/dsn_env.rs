//! `--dsn` completed as libpq 15 completes a connection string, against a
//! real PostgreSQL 15: the `PG*` environment variables alone, a service
//! file (which beats the environment, and which the string's own keywords
//! beat), and a password from a password file (`PGPASSFILE`, `~/.pgpass`)
//! for a role that must authenticate with one; a password file others can
//! read is ignored with libpq's warning. The environment is the child
//! `fdw` process's, never this process's.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers fail loudly"
)]

mod common;

use common::fdw_env;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use fdw_testkit::cluster::{PORT, SUPERUSER};
use fdw_testkit::oracle::Oracle;

/// The role that must give a password, and its password (a colon and a
/// backslash, which the password file escapes).
const ROLE: &str = "fdw_dsn_env_user";
const PASSWORD: &str = r"env:secret\7";

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fdw-cli-dsn-env-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The oracle, with [`ROLE`] authenticating by scram over the socket.
fn oracle() -> &'static Oracle {
    static ORACLE: OnceLock<Oracle> = OnceLock::new();
    ORACLE.get_or_init(|| {
        let oracle = Oracle::new(15).expect("PostgreSQL 15 oracle");
        let cluster = oracle.cluster();
        cluster
            .exec(
                "postgres",
                &format!("CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}'"),
            )
            .unwrap();
        let hba = cluster.socket_dir().join("data/pg_hba.conf");
        let old = std::fs::read_to_string(&hba).unwrap();
        std::fs::write(&hba, format!("local all {ROLE} scram-sha-256\n{old}")).unwrap();
        cluster.exec("postgres", "SELECT pg_reload_conf()").unwrap();
        std::thread::sleep(Duration::from_millis(500));
        oracle
    })
}

fn socket() -> String {
    oracle().cluster().socket_dir().display().to_string()
}

/// `fdw snapshot --dsn dsn` with `env`: (exit status, stderr).
fn snapshot(dir: &Path, dsn: &str, env: &[(&str, &str)]) -> (i32, String) {
    let out = dir.join("snapshot.json");
    let (status, _, stderr) = fdw_env(
        &["snapshot", "--dsn", dsn, "-o", out.to_str().unwrap()],
        env,
    );
    (status, stderr)
}

#[cfg(unix)]
fn write_mode(path: &Path, text: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn environment_variables_alone_connect() {
    let dir = temp_dir("env");
    let socket = socket();
    let port = PORT.to_string();
    let db = oracle().local_db();
    let env = [
        ("PGHOST", socket.as_str()),
        ("PGPORT", port.as_str()),
        ("PGUSER", SUPERUSER),
        ("PGDATABASE", db),
        ("PGAPPNAME", "fdw-env-test"),
        ("PGCONNECT_TIMEOUT", "5"),
        ("PGSSLMODE", "disable"),
        ("PGOPTIONS", "-c work_mem=2MB"),
    ];
    let (status, stderr) = snapshot(&dir, "", &env);
    assert_eq!(status, 0, "{stderr}");
    // The string's own keyword beats the variable.
    let (status, stderr) = snapshot(&dir, "dbname=fdw_no_such_db", &env);
    assert_ne!(status, 0);
    assert!(stderr.contains("fdw_no_such_db"), "{stderr}");
    // A bad PGPORT is used when nothing else names a port.
    let bad = [
        ("PGHOST", socket.as_str()),
        ("PGPORT", "1"),
        ("PGUSER", SUPERUSER),
    ];
    let (status, stderr) = snapshot(&dir, &format!("dbname={db}"), &bad);
    assert_ne!(status, 0);
    assert!(stderr.contains("port 1"), "{stderr}");
}

#[test]
fn service_file_beats_environment_and_loses_to_the_string() {
    let dir = temp_dir("service");
    let services = dir.join("services.conf");
    std::fs::write(
        &services,
        format!(
            "# test services\n[other]\nhost=/nowhere\n[fdwsvc]\nhost={}\nport={PORT}\n\
             dbname={}\nuser={SUPERUSER}\n",
            socket(),
            oracle().local_db()
        ),
    )
    .unwrap();
    let file = services.to_str().unwrap();
    let env = [
        ("PGSERVICEFILE", file),
        ("PGPORT", "1"),
        ("PGHOST", "/nowhere"),
    ];
    let (status, stderr) = snapshot(&dir, "service=fdwsvc", &env);
    assert_eq!(status, 0, "{stderr}");
    // PGSERVICE names it too.
    let env2 = [("PGSERVICEFILE", file), ("PGSERVICE", "fdwsvc")];
    let (status, stderr) = snapshot(&dir, "", &env2);
    assert_eq!(status, 0, "{stderr}");
    let (status, stderr) = snapshot(&dir, "service=fdwsvc dbname=fdw_no_such_db", &env);
    assert_ne!(status, 0);
    assert!(stderr.contains("fdw_no_such_db"), "{stderr}");
    let (status, stderr) = snapshot(&dir, "service=missing", &env);
    assert_ne!(status, 0);
    assert!(
        stderr.contains("definition of service \"missing\" not found"),
        "{stderr}"
    );
    // The system file (PGSYSCONFDIR) when the user's has no such service.
    let sys = dir.join("sys");
    std::fs::create_dir_all(&sys).unwrap();
    std::fs::copy(&services, sys.join("pg_service.conf")).unwrap();
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let env3 = [
        ("HOME", home.to_str().unwrap()),
        ("PGSYSCONFDIR", sys.to_str().unwrap()),
    ];
    let (status, stderr) = snapshot(&dir, "service=fdwsvc", &env3);
    assert_eq!(status, 0, "{stderr}");
}

#[cfg(unix)]
#[test]
fn password_file_supplies_the_password() {
    let dir = temp_dir("pgpass");
    let socket = socket();
    let db = oracle().local_db();
    let dsn = format!("host={socket} port={PORT} dbname={db} user={ROLE}");
    // Without a password the server refuses.
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let empty_home = [("HOME", home.to_str().unwrap())];
    let (status, stderr) = snapshot(&dir, &dsn, &empty_home);
    assert_ne!(status, 0, "{stderr}");
    let line = format!("# fdw test\n{socket}:{PORT}:*:{ROLE}:env\\:secret\\\\7\n");
    let file = dir.join("pgpass");
    write_mode(&file, &line, 0o600);
    let env = [("PGPASSFILE", file.to_str().unwrap())];
    let (status, stderr) = snapshot(&dir, &dsn, &env);
    assert_eq!(status, 0, "{stderr}");
    // ~/.pgpass when PGPASSFILE is not set.
    write_mode(&home.join(".pgpass"), &line, 0o600);
    let (status, stderr) = snapshot(&dir, &dsn, &empty_home);
    assert_eq!(status, 0, "{stderr}");
    // A file the group may read is ignored, with libpq's warning.
    write_mode(&file, &line, 0o640);
    let (status, stderr) = snapshot(&dir, &dsn, &env);
    assert_ne!(status, 0);
    assert!(
        stderr.contains(&format!(
            "WARNING: password file \"{}\" has group or world access",
            file.display()
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("secret"), "{stderr}");
    // A wrong password from the file: refused, and never printed.
    write_mode(&file, &format!("*:*:*:{ROLE}:wrong-pw-42\n"), 0o600);
    let (status, stderr) = snapshot(&dir, &dsn, &env);
    assert_ne!(status, 0);
    assert!(!stderr.contains("wrong-pw-42"), "{stderr}");
    // PGPASSWORD is used before the file.
    let env = [
        ("PGPASSFILE", file.to_str().unwrap()),
        ("PGPASSWORD", PASSWORD),
    ];
    let (status, stderr) = snapshot(&dir, &dsn, &env);
    assert_eq!(status, 0, "{stderr}");
}
