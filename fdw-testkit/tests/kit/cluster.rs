//! Cluster starts: installs found by directory, queries, and start failures
//! that name their cause and show the log's last lines.

use std::fs;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::PathBuf;

use fdw_testkit::{Cluster, PgInstall};

/// A bin directory (readable by the `postgres` user) with the given
/// scripts, plus symlinks to the real PostgreSQL 15 programs `links`.
fn fake_install(name: &str, scripts: &[(&str, &str)], links: &[&str]) -> PgInstall {
    let real = PgInstall::find(15).unwrap();
    let dir = std::env::temp_dir().join(format!("fdw-fake-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    for (program, body) in scripts {
        let path = dir.join(program);
        fs::write(&path, body).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    }
    for program in links {
        symlink(real.program(program), dir.join(program)).unwrap();
    }
    PgInstall {
        major: 15,
        version: format!("15-fake-{name}"),
        bin_dir: PathBuf::from(&dir),
    }
}

#[test]
fn server_that_dies_at_startup_reports_its_log() {
    let install = fake_install(
        "dies",
        &[(
            "postgres",
            "#!/bin/sh\necho 'FATAL:  could not create lock file: simulated' >&2\nexit 1\n",
        )],
        &["initdb"],
    );
    let err = Cluster::start(install.clone()).unwrap_err().to_string();
    let _ = fs::remove_dir_all(&install.bin_dir);
    assert!(err.contains("exited during startup"), "{err}");
    assert!(
        err.contains("could not create lock file: simulated"),
        "{err}"
    );
}

#[test]
fn failing_initdb_reports_its_output() {
    let install = fake_install(
        "initdb",
        &[(
            "initdb",
            "#!/bin/sh\necho 'initdb: error: simulated failure' >&2\nexit 1\n",
        )],
        &["postgres"],
    );
    let err = Cluster::start(install.clone()).unwrap_err().to_string();
    let _ = fs::remove_dir_all(&install.bin_dir);
    assert!(
        err.contains("initdb of PostgreSQL 15-fake-initdb failed"),
        "{err}"
    );
    assert!(err.contains("initdb: error: simulated failure"), "{err}");
}

#[test]
fn missing_version_says_how_to_install_it() {
    let err = Cluster::shared(12).unwrap_err().to_string();
    assert!(err.contains("PostgreSQL 12 is not installed"), "{err}");
    assert!(err.contains("scripts/install-pg 12"), "{err}");
}

#[test]
fn install_from_bin_dir_reads_its_version() {
    let real = PgInstall::find(15).unwrap();
    assert_eq!(PgInstall::from_bin_dir(&real.bin_dir).unwrap(), real);
}

#[test]
fn query_returns_rows_and_names_a_failing_statement() {
    let cluster = Cluster::shared(15).unwrap();
    let table = cluster
        .query("postgres", "SELECT 1 AS a, NULL::text AS b")
        .unwrap();
    assert_eq!(table.columns, vec!["a".to_owned(), "b".to_owned()]);
    assert_eq!(table.rows, vec![vec![Some("1".to_owned()), None]]);
    let err = cluster
        .query("postgres", "SELECT * FROM no_such_table")
        .unwrap_err()
        .to_string();
    assert!(err.contains("ERROR 42P01"), "{err}");
    assert!(
        err.contains("statement: SELECT * FROM no_such_table"),
        "{err}"
    );
}
