//! Throwaway PostgreSQL clusters: one per major version per test process.
//!
//! A cluster lives in `$TMPDIR/fdw-testkit-<pid>-pg<major>/` (data directory,
//! Unix socket, server log) and listens on no TCP port. It runs as the
//! `postgres` user when the tests run as root (initdb refuses root).
//!
//! No server outlives the test process: the postmaster is started by a small
//! supervising shell whose standard input is a pipe from the test process.
//! When the test process exits for any reason (success, panic, signal), the
//! kernel closes that pipe, the supervisor's `cat` returns, and it stops the
//! server with an immediate shutdown and removes the directory. The
//! supervisor runs in its own process group so that a Ctrl-C aimed at the
//! test run does not kill it before it has cleaned up.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::{chown, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};

use crate::install::PgInstall;
use crate::psql::{self, Step, Table};

/// Prefix of every cluster directory the kit creates (see
/// [`leftover_servers`]).
pub const DIR_PREFIX: &str = "fdw-testkit-";

/// The port number in the socket file's name (`.s.PGSQL.5432`); there is no
/// TCP listener, and the socket directory is private to the cluster, so no
/// two clusters can clash.
pub const PORT: u16 = 5432;

/// The superuser every connection uses.
pub const SUPERUSER: &str = "postgres";

/// How long a server may take to accept connections.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// `log_line_prefix` of every cluster: `fdwlog|<pid>|<database>| `.
pub(crate) const LOG_PREFIX_TAG: &str = "fdwlog|";

/// One major's cluster start, run once: the cluster or why it failed.
type StartSlot = OnceLock<Result<Cluster, String>>;

/// More setup for a cluster of its own ([`Cluster::start_with`]): a TCP
/// listener, settings, files in the data directory and its own
/// `pg_hba.conf` (TLS tests need all four).
#[derive(Debug, Clone, Default)]
pub struct ClusterSetup {
    /// Also listen on TCP at `127.0.0.1` on a free port (then also the
    /// Unix socket's port number; see [`Cluster::port`]).
    pub tcp: bool,
    /// Lines appended to `postgresql.conf`.
    pub settings: String,
    /// Files written into the data directory before the start (name,
    /// contents), owned by the server's user with mode 0600.
    pub files: Vec<(String, Vec<u8>)>,
    /// The whole `pg_hba.conf`, replacing initdb's.
    pub hba: Option<String>,
}

/// A running throwaway cluster.
#[derive(Debug)]
pub struct Cluster {
    install: PgInstall,
    dir: PathBuf,
    port: u16,
    databases: AtomicU32,
    /// Kept open for the life of the process: closing it stops the server.
    _lifeline: Mutex<ChildStdin>,
    _supervisor: Mutex<Child>,
}

impl Cluster {
    /// The cluster of PostgreSQL `major` for this test process, started on
    /// first use. Concurrent callers wait for one start; different majors
    /// start in parallel.
    ///
    /// # Errors
    ///
    /// When the binaries are missing (the message says how to install them)
    /// or the server fails to start (the message names the cause and ends
    /// with the last lines of the server log). A failed start is remembered
    /// and reported again to later callers.
    pub fn shared(major: u32) -> Result<&'static Cluster> {
        static SLOTS: OnceLock<Mutex<BTreeMap<u32, &'static StartSlot>>> = OnceLock::new();
        let slot = {
            let mut slots = SLOTS
                .get_or_init(Default::default)
                .lock()
                .map_err(|_| anyhow!("cluster registry poisoned"))?;
            *slots
                .entry(major)
                .or_insert_with(|| Box::leak(Box::new(OnceLock::new())))
        };
        slot.get_or_init(|| {
            PgInstall::find(major)
                .and_then(Cluster::start)
                .map_err(|err| format!("{err:#}"))
        })
        .as_ref()
        .map_err(|msg| anyhow!("{msg}"))
    }

    /// Initialises and starts a new cluster of `install` (see the module
    /// doc for its lifetime).
    ///
    /// # Errors
    ///
    /// When initdb fails or the server does not come up; the message holds
    /// the last lines of the relevant log.
    pub fn start(install: PgInstall) -> Result<Cluster> {
        Cluster::start_with(install, &ClusterSetup::default())
    }

    /// As [`Cluster::start`], with `setup` applied before the server
    /// starts.
    ///
    /// # Errors
    ///
    /// As [`Cluster::start`], and when no free TCP port is found or a file
    /// cannot be written.
    pub fn start_with(install: PgInstall, setup: &ClusterSetup) -> Result<Cluster> {
        static STARTED: AtomicU32 = AtomicU32::new(0);
        let identity = Identity::current()?;
        sweep_stale_dirs();
        let dir = std::env::temp_dir().join(format!(
            "{DIR_PREFIX}{}-pg{}-{}",
            std::process::id(),
            install.major,
            STARTED.fetch_add(1, Ordering::Relaxed)
        ));
        if dir.exists() {
            fs::remove_dir_all(&dir)
                .with_context(|| format!("cannot remove stale {}", dir.display()))?;
        }
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        fs::write(dir.join("owner.pid"), std::process::id().to_string())?;
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755))?;
        identity.give(&dir)?;
        identity.give(&dir.join("owner.pid"))?;

        let initdb_log = dir.join("initdb.log");
        let log_file = fs::File::create(&initdb_log)?;
        identity.give(&initdb_log)?;
        let status = identity
            .command(&install.program("initdb"))
            .arg("-D")
            .arg(dir.join("data"))
            .args(["--locale=C", "--encoding=UTF8", "--auth=trust", "-N"])
            .arg(format!("--username={SUPERUSER}"))
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone()?)
            .stderr(log_file)
            .status()
            .with_context(|| format!("cannot run {}", install.program("initdb").display()))?;
        if !status.success() {
            let tail = log_tail(&initdb_log, 20);
            let _ = fs::remove_dir_all(&dir);
            bail!(
                "initdb of PostgreSQL {} failed ({status}); last lines of {}:\n{tail}",
                install.version,
                initdb_log.display()
            );
        }
        let conf = dir.join("data/postgresql.conf");
        let mut settings = fs::read_to_string(&conf)?;
        write!(
            settings,
            "\n# fdw-testkit\n\
             listen_addresses = ''\n\
             unix_socket_directories = '{}'\n\
             port = {PORT}\n\
             fsync = off\n\
             synchronous_commit = off\n\
             full_page_writes = off\n\
             autovacuum = off\n\
             jit = off\n\
             max_connections = 200\n\
             timezone = 'UTC'\n\
             log_timezone = 'UTC'\n\
             datestyle = 'iso, mdy'\n\
             intervalstyle = 'postgres'\n\
             lc_messages = 'C'\n\
             log_destination = 'stderr'\n\
             logging_collector = off\n\
             log_line_prefix = '{LOG_PREFIX_TAG}%p|%d| '\n",
            dir.display()
        )?;
        let port = if setup.tcp {
            // A port free now; the server fails to start (and says so) in
            // the unlikely case another process takes it first.
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .context("cannot find a free TCP port")?
                .port();
            writeln!(settings, "listen_addresses = '127.0.0.1'\nport = {port}")?;
            port
        } else {
            PORT
        };
        settings.push_str(&setup.settings);
        settings.push('\n');
        fs::write(&conf, settings)?;
        for (name, contents) in &setup.files {
            let path = dir.join("data").join(name);
            fs::write(&path, contents)?;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o600))?;
            identity.give(&path)?;
        }
        if let Some(hba) = &setup.hba {
            fs::write(dir.join("data/pg_hba.conf"), hba)?;
        }

        let server_log = dir.join("server.log");
        fs::File::create(&server_log)?;
        identity.give(&server_log)?;
        let mut supervisor = identity
            .command(Path::new("/bin/sh"))
            .arg("-c")
            .arg(SUPERVISOR)
            .arg("fdw-testkit-supervisor")
            .arg(&dir)
            .arg(install.program("postgres"))
            .current_dir(&dir)
            .process_group(0)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot spawn the supervising shell")?;
        let lifeline = supervisor
            .stdin
            .take()
            .ok_or_else(|| anyhow!("supervisor has no stdin"))?;
        let stdout = supervisor
            .stdout
            .take()
            .ok_or_else(|| anyhow!("supervisor has no stdout"))?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let pid: u32 = line.trim().parse().with_context(|| {
            format!(
                "supervisor did not report the postmaster's pid (got {line:?}); server log:\n{}",
                log_tail(&server_log, 20)
            )
        })?;
        let cluster = Cluster {
            install,
            dir,
            port,
            databases: AtomicU32::new(0),
            _lifeline: Mutex::new(lifeline),
            _supervisor: Mutex::new(supervisor),
        };
        cluster.wait_ready(pid)?;
        Ok(cluster)
    }

    /// The installation this cluster runs.
    pub fn install(&self) -> &PgInstall {
        &self.install
    }

    /// Major version, e.g. `15`.
    pub fn major(&self) -> u32 {
        self.install.major
    }

    /// The port number: of the Unix socket, and of the TCP listener on
    /// `127.0.0.1` when the setup asked for one ([`PORT`] otherwise).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Runs `pg_ctl <args> -D <data directory>` as the server's user (for
    /// `restart -m fast`, say: add `-l` [`Cluster::log_path`] to keep the
    /// log in one place) and returns the running process. A server that
    /// pg_ctl restarts is no child of the kit's supervisor, which finds it
    /// through `postmaster.pid` and stops it all the same.
    ///
    /// # Errors
    ///
    /// When pg_ctl cannot be started.
    pub fn spawn_pg_ctl(&self, args: &[&str]) -> Result<Child> {
        Identity::current()?
            .command(&self.install.program("pg_ctl"))
            .args(args)
            .arg("-D")
            .arg(self.dir.join("data"))
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .context("cannot run pg_ctl")
    }

    /// The cluster's directory; it is also the Unix socket directory, so it
    /// is the `host` to connect to.
    pub fn socket_dir(&self) -> &Path {
        &self.dir
    }

    /// The server log (stderr of the postmaster; statements logged by
    /// `log_statement` land here).
    pub fn log_path(&self) -> PathBuf {
        self.dir.join("server.log")
    }

    /// The last `n` lines of the server log, for error messages.
    pub fn log_tail(&self, n: usize) -> String {
        log_tail(&self.log_path(), n)
    }

    /// Creates a fresh, empty database named `<prefix>_<n>` and returns its
    /// name.
    ///
    /// # Errors
    ///
    /// When `CREATE DATABASE` fails.
    pub fn create_database(&self, prefix: &str) -> Result<String> {
        let name = format!(
            "{prefix}_{}",
            self.databases.fetch_add(1, Ordering::Relaxed)
        );
        self.exec("postgres", &format!("CREATE DATABASE \"{name}\""))?;
        Ok(name)
    }

    /// Runs `steps` in database `db` in one psql session; a failing step
    /// does not stop the next. Returns each step's outcome.
    ///
    /// # Errors
    ///
    /// When psql cannot run or cannot connect.
    pub fn run(&self, db: &str, steps: &[Step]) -> Result<Vec<psql::Outcome<Table>>> {
        psql::run(self, db, steps)
    }

    /// Runs the statements of the SQL script `sql` in database `db` and
    /// fails at the first statement that errors.
    ///
    /// All statements run in one psql session, and the ones after a failing
    /// statement run too; to stop at a failure, call once per statement.
    ///
    /// # Errors
    ///
    /// Names the failing statement with its SQLSTATE and message.
    pub fn exec(&self, db: &str, sql: &str) -> Result<()> {
        let statements = psql::split_statements(sql);
        let steps: Vec<Step> = statements.iter().map(|s| Step::Sql(s.clone())).collect();
        let outcomes = psql::run(self, db, &steps)?;
        for (statement, outcome) in statements.iter().zip(outcomes) {
            if let Err(err) = outcome {
                return Err(self.statement_error(&err, db, statement));
            }
        }
        Ok(())
    }

    /// Runs the one SQL statement `sql` in database `db` and returns its
    /// result (empty for a statement without one), values in PostgreSQL's
    /// text output form.
    ///
    /// # Errors
    ///
    /// When psql cannot run, or the statement fails (the message names it
    /// with its SQLSTATE and message).
    pub fn query(&self, db: &str, sql: &str) -> Result<Table> {
        let outcome = psql::run(self, db, &[Step::Sql(sql.to_owned())])?
            .pop()
            .ok_or_else(|| anyhow!("psql answered no step for: {sql}"))?;
        outcome.map_err(|err| self.statement_error(&err, db, sql))
    }

    fn statement_error(&self, err: &psql::SqlError, db: &str, statement: &str) -> anyhow::Error {
        anyhow!(
            "{err} in database {db} (PostgreSQL {}), statement: {statement}",
            self.install.version
        )
    }

    fn wait_ready(&self, pid: u32) -> Result<()> {
        let start = Instant::now();
        let pid_file = self.dir.join("data/postmaster.pid");
        loop {
            if let Ok(text) = fs::read_to_string(&pid_file) {
                // Line 8 is the postmaster's status (PostgreSQL 10+).
                if text.lines().nth(7).map(str::trim) == Some("ready") {
                    return Ok(());
                }
            }
            if !process_alive(pid) {
                bail!(
                    "PostgreSQL {} ({}) exited during startup; last lines of {}:\n{}",
                    self.install.version,
                    self.install.program("postgres").display(),
                    self.log_path().display(),
                    self.log_tail(20)
                );
            }
            if start.elapsed() > START_TIMEOUT {
                bail!(
                    "PostgreSQL {} did not accept connections within {START_TIMEOUT:?}; last lines of {}:\n{}",
                    self.install.version,
                    self.log_path().display(),
                    self.log_tail(20)
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// A postgres process left over by a test process of this kit that has
/// exited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leftover {
    /// The postgres process id.
    pub pid: u32,
    /// Its command line.
    pub cmdline: String,
}

/// Postmasters started by the kit whose owning test process is gone.
///
/// Servers of test processes that are still running (another test binary,
/// a colleague's run) are not leftovers.
///
/// # Errors
///
/// When `/proc` cannot be read.
pub fn leftover_servers() -> Result<Vec<Leftover>> {
    let mut found = Vec::new();
    for entry in fs::read_dir("/proc")? {
        let entry = entry?;
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(raw) = fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let args: Vec<String> = raw
            .split(|b| *b == 0)
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        let is_postgres = args
            .first()
            .is_some_and(|a| a.ends_with("/postgres") || a == "postgres");
        let Some(data_dir) = args
            .windows(2)
            .find(|w| w[0] == "-D")
            .map(|w| PathBuf::from(&w[1]))
        else {
            continue;
        };
        let Some(cluster_dir) = data_dir.parent() else {
            continue;
        };
        let is_ours = cluster_dir
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(DIR_PREFIX));
        if !is_postgres || !is_ours {
            continue;
        }
        let owner = fs::read_to_string(cluster_dir.join("owner.pid"))
            .ok()
            .and_then(|s| s.trim().parse::<u32>().ok());
        if owner.is_some_and(process_alive) {
            continue;
        }
        found.push(Leftover {
            pid,
            cmdline: args.join(" ").trim().to_owned(),
        });
    }
    found.sort_by_key(|l| l.pid);
    Ok(found)
}

/// Removes cluster directories whose test process is gone and whose server
/// is not running: what a test process killed during initdb leaves behind
/// (from the supervisor's start on, the supervisor removes the directory).
fn sweep_stale_dirs() {
    let Ok(entries) = fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let is_ours = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(DIR_PREFIX));
        if !is_ours {
            continue;
        }
        let pid_of = |file: &str| {
            fs::read_to_string(path.join(file))
                .ok()
                .and_then(|s| s.lines().next().and_then(|l| l.trim().parse::<u32>().ok()))
        };
        // A directory so new that its owner has not written owner.pid yet
        // belongs to a live process.
        let young = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_none_or(|age| age < Duration::from_secs(60));
        let owner_alive = match pid_of("owner.pid") {
            Some(pid) => process_alive(pid),
            None => young,
        };
        let server_alive = pid_of("data/postmaster.pid").is_some_and(process_alive);
        if !owner_alive && !server_alive {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// The supervising shell: `$1` is the cluster directory, `$2` the postgres
/// binary. Prints the postmaster's pid, then waits for its stdin (the
/// lifeline) to close.
const SUPERVISOR: &str = r#"
dir=$1
"$2" -D "$dir/data" >>"$dir/server.log" 2>&1 </dev/null &
pg=$!
echo "$pg"
exec >/dev/null
cat >/dev/null
kill -QUIT "$pg" 2>/dev/null
wait "$pg"
# A server restarted by pg_ctl is not our child; its lock file names it.
if [ -f "$dir/data/postmaster.pid" ]; then
  p=$(head -n 1 "$dir/data/postmaster.pid")
  if grep -q postgres "/proc/$p/cmdline" 2>/dev/null; then
    kill -QUIT "$p" 2>/dev/null
    while kill -0 "$p" 2>/dev/null; do sleep 0.1; done
  fi
fi
rm -rf "$dir"
"#;

/// Who runs the server: the current user, or `postgres` when root.
#[derive(Debug, Clone, Copy)]
struct Identity {
    /// `(uid, gid)` to switch to; `None` to stay.
    switch: Option<(u32, u32)>,
}

impl Identity {
    fn current() -> Result<Identity> {
        let status = fs::read_to_string("/proc/self/status")?;
        let euid = status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse::<u32>().ok())
            .ok_or_else(|| anyhow!("cannot read the effective uid from /proc/self/status"))?;
        if euid != 0 {
            return Ok(Identity { switch: None });
        }
        let passwd = fs::read_to_string("/etc/passwd")?;
        let entry = passwd
            .lines()
            .map(|l| l.split(':').collect::<Vec<_>>())
            .find(|f| f.first() == Some(&"postgres") && f.len() > 3)
            .ok_or_else(|| {
                anyhow!(
                    "running as root, but there is no `postgres` user to run the server as \
                     (apt-get install postgresql-common, or useradd postgres)"
                )
            })?;
        let uid = entry[2].parse()?;
        let gid = entry[3].parse()?;
        Ok(Identity {
            switch: Some((uid, gid)),
        })
    }

    fn command(&self, program: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("LC_ALL", "C");
        if let Some((uid, gid)) = self.switch {
            cmd.uid(uid).gid(gid);
        }
        cmd
    }

    fn give(&self, path: &Path) -> Result<()> {
        if let Some((uid, gid)) = self.switch {
            chown(path, Some(uid), Some(gid))
                .with_context(|| format!("cannot chown {}", path.display()))?;
        }
        Ok(())
    }
}

fn process_alive(pid: u32) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the parenthesised command name; `Z` is a zombie.
        Ok(stat) => stat
            .rsplit_once(") ")
            .is_some_and(|(_, rest)| !rest.starts_with('Z') && !rest.starts_with('X')),
        Err(_) => false,
    }
}

fn log_tail(path: &Path, n: usize) -> String {
    match fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let lines: Vec<&str> = text.lines().collect();
            lines[lines.len().saturating_sub(n)..].join("\n")
        }
        Err(err) => format!("(cannot read {}: {err})", path.display()),
    }
}
