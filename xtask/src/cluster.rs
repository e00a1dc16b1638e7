//! A throwaway PostgreSQL cluster: initdb into a temporary directory,
//! started on a unix socket there, stopped and deleted on drop (also when
//! the task fails halfway).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context};

/// A running cluster.
pub(crate) struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    /// initdb and the server refuse to run as root; then they run as `postgres`.
    as_postgres: bool,
    running: bool,
}

impl Cluster {
    /// Creates and starts a cluster of the binaries in `bin` (C locale,
    /// UTF8, fsync off, trust authentication for the `postgres` role).
    pub(crate) fn start(bin: &Path) -> anyhow::Result<Cluster> {
        let as_postgres = is_root()?;
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        let dir =
            std::env::temp_dir().join(format!("fdw-gen-catalog-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut cluster = Cluster {
            bin: bin.to_owned(),
            dir,
            port: free_port()?,
            as_postgres,
            running: false,
        };
        if as_postgres {
            run(Command::new("chown")
                .arg("postgres:postgres")
                .arg(&cluster.dir))?;
        }
        let data = cluster.dir.join("data");
        run(cluster
            .server_command("initdb")
            .arg("-D")
            .arg(&data)
            .args(["-U", "postgres", "-A", "trust", "-E", "UTF8"])
            .args(["--locale=C", "--no-sync"]))?;
        let opts = format!(
            "-F -p {} -k {} -c listen_addresses=''",
            cluster.port,
            cluster.dir.display()
        );
        run(cluster
            .server_command("pg_ctl")
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(cluster.dir.join("server.log"))
            .args(["-w", "-o", &opts, "start"]))?;
        cluster.running = true;
        Ok(cluster)
    }

    /// Runs `sql` in database `db` and returns its standard output; fails
    /// on the first SQL error.
    pub(crate) fn psql(&self, db: &str, sql: &str) -> anyhow::Result<String> {
        let psql = self.bin.join("psql");
        let psql = if psql.exists() {
            psql
        } else {
            PathBuf::from("psql")
        };
        let out = run(Command::new(psql)
            .args([
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-U",
                "postgres",
            ])
            .arg("-h")
            .arg(&self.dir)
            .arg("-p")
            .arg(self.port.to_string())
            .arg("-d")
            .arg(db)
            .arg("-c")
            .arg(sql))
        .with_context(|| format!("running SQL in {db}: {sql}"))?;
        String::from_utf8(out.stdout).context("psql output is not UTF-8")
    }

    /// Like [`psql`](Self::psql) for a query returning one value.
    pub(crate) fn value(&self, db: &str, sql: &str) -> anyhow::Result<String> {
        Ok(self.psql(db, sql)?.trim_end_matches('\n').to_owned())
    }

    fn server_command(&self, tool: &str) -> Command {
        let path = self.bin.join(tool);
        if self.as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(path);
            cmd
        } else {
            Command::new(path)
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.running {
            let res = run(self
                .server_command("pg_ctl")
                .arg("-D")
                .arg(self.dir.join("data"))
                .args(["-m", "immediate", "stop"]));
            if let Err(e) = res {
                eprintln!("warning: stopping the throwaway cluster failed: {e:#}");
            }
        }
        if let Err(e) = std::fs::remove_dir_all(&self.dir) {
            eprintln!("warning: removing {} failed: {e}", self.dir.display());
        }
    }
}

fn run(cmd: &mut Command) -> anyhow::Result<Output> {
    let out = cmd
        .output()
        .with_context(|| format!("starting {:?}", cmd.get_program()))?;
    if !out.status.success() {
        bail!(
            "{:?} failed ({}): {}{}",
            cmd.get_program(),
            out.status,
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
    }
    Ok(out)
}

fn is_root() -> anyhow::Result<bool> {
    let out = run(Command::new("id").arg("-u"))?;
    Ok(String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// A port no one listens on right now. The server only uses it to name its
/// socket (TCP is off), so a race with another process is harmless.
fn free_port() -> anyhow::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}
