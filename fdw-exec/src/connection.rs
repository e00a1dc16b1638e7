//! The connection cache and remote transactions (spec §4.1–§4.3).
//!
//! One [`Executor`] plays the part of one local backend: it keeps at most
//! one connection per user mapping, configures each new one as
//! postgres_fdw does, and mirrors the local transaction the caller drives
//! ([`Executor::begin`], savepoints, [`Executor::commit`],
//! [`Executor::abort`]) onto every connection used inside it.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use fdw_catalog::Catalog;
use fdw_core::Oid;
use tokio::task::JoinSet;
use tokio_postgres::config::SslMode as ClientSslMode;
use tokio_postgres::{CancelToken, Client};

use crate::conninfo::{ConnParams, ConnectSpec, HostTarget, LocalSession, SecretSource};
use crate::error::{describe, Error, Result};
use crate::tls::{SslMode, TlsConnector, TlsMaterial, TlsSetupError};

/// The statements postgres_fdw's `configure_remote_session` sends to a new
/// connection (remote 9.0 or later), one at a time.
pub const SESSION_SETUP: [&str; 5] = [
    "SET search_path = pg_catalog",
    "SET timezone = 'GMT'",
    "SET datestyle = ISO",
    "SET intervalstyle = postgres",
    "SET extra_float_digits = 3",
];

/// How long abort cleanup waits for the remote side before giving the
/// connection up (postgres_fdw waits 30 s).
const ABORT_TIMEOUT: Duration = Duration::from_secs(30);

/// The local transaction's isolation level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Isolation {
    /// `READ COMMITTED` (remote: REPEATABLE READ).
    ReadCommitted,
    /// `REPEATABLE READ` (remote: REPEATABLE READ).
    RepeatableRead,
    /// `SERIALIZABLE` (remote: SERIALIZABLE).
    Serializable,
}

impl Isolation {
    /// The statement that opens the remote transaction.
    pub fn start_statement(self) -> &'static str {
        match self {
            Isolation::Serializable => "START TRANSACTION ISOLATION LEVEL SERIALIZABLE",
            Isolation::ReadCommitted | Isolation::RepeatableRead => {
                "START TRANSACTION ISOLATION LEVEL REPEATABLE READ"
            }
        }
    }
}

/// One open connection, as `postgres_fdw_get_connections()` lists it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ConnectionInfo {
    /// The foreign server's name.
    pub server_name: String,
    /// False once the server or user mapping changed while the connection
    /// was in use (it is replaced at the next use outside a transaction).
    pub valid: bool,
}

/// Mutable state of one connection, shared with the cursors using it.
#[derive(Debug, Default)]
pub(crate) struct ConnState {
    /// Remote transaction nesting: 0 none, 1 top level, k > 1 inside
    /// `SAVEPOINT s<k>`.
    pub(crate) xact_depth: u32,
    /// The connection is unusable (lost, or left in an unknown state).
    pub(crate) broken: bool,
    /// A statement failed in the current remote (sub)transaction.
    pub(crate) have_error: bool,
    /// Statements sent whose answer nobody waits for any more (the caller
    /// dropped the future): the abort must cancel them first.
    pub(crate) abandoned: bool,
    /// A cancel request for an abandoned statement was handed to a task
    /// (see `InFlight`), so the abort need not send another.
    pub(crate) cancel_spawned: bool,
    /// Cursors dropped without `close()`, closed at the next use.
    pub(crate) pending_close: Vec<String>,
}

/// A live connection.
pub(crate) struct Conn {
    pub(crate) client: Client,
    pub(crate) cancel: Canceller,
    pub(crate) server: String,
    pub(crate) secrets: Vec<String>,
    state: Mutex<ConnState>,
    /// Cancel requests sent for abandoned statements; owned here so that
    /// none outlives the connection.
    tasks: Mutex<JoinSet<()>>,
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Conn")
            .field("server", &self.server)
            .finish_non_exhaustive()
    }
}

impl Conn {
    pub(crate) fn state(&self) -> MutexGuard<'_, ConnState> {
        // A panic while holding the lock leaves plain flags behind; they
        // are still the best knowledge of the connection.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn is_broken(&self) -> bool {
        self.client.is_closed() || self.state().broken
    }

    /// Classifies a failed statement: a lost connection is marked broken,
    /// a remote error marks the remote transaction as failed.
    pub(crate) fn fail(&self, sql: &str, err: &tokio_postgres::Error) -> Error {
        let (code, message) = describe(err, &self.secrets);
        let lost = err.is_closed()
            || self.client.is_closed()
            || code.as_deref().is_some_and(|c| {
                // 08: connection exceptions; 57P01-57P03: the server is
                // shutting down, crashed or restarting (the backend exits).
                c.starts_with("08") || matches!(c, "57P01" | "57P02" | "57P03")
            })
            || err.as_db_error().is_none() && code.is_none();
        let mut state = self.state();
        if lost {
            state.broken = true;
            Error::ConnectionLost {
                server: self.server.clone(),
                sql: sql.to_owned(),
                message,
            }
        } else {
            state.have_error = true;
            Error::Remote {
                server: self.server.clone(),
                sql: sql.to_owned(),
                sqlstate: code.unwrap_or_default(),
                message,
            }
        }
    }

    /// Sends `sql` with the simple protocol (postgres_fdw's `do_sql_command`).
    pub(crate) async fn command(&self, sql: &str) -> Result<()> {
        if self.client.is_closed() {
            self.state().broken = true;
            return Err(Error::ConnectionLost {
                server: self.server.clone(),
                sql: sql.to_owned(),
                message: "the connection is closed".to_owned(),
            });
        }
        let guard = InFlight::new(self);
        let result = self.client.batch_execute(sql).await;
        guard.done();
        result.map_err(|e| self.fail(sql, &e))
    }

    /// Asks the server to cancel what runs on this connection.
    pub(crate) async fn cancel_running(&self) {
        // Failure to cancel leaves the abort to find out the state.
        let _ = self.cancel.cancel_query().await;
    }

    /// Before the cleanup of a (sub)transaction with abandoned statements:
    /// the cancel requests sent when they were abandoned are awaited (so
    /// they reach the server before the cleanup statement is sent), and
    /// one is sent now when none could be then. A second request on top of
    /// the first would only interrupt the cleanup statement.
    pub(crate) async fn settle_abandoned(&self) {
        let mut spawned =
            std::mem::take(&mut *self.tasks.lock().unwrap_or_else(|e| e.into_inner()));
        let had_spawned = std::mem::take(&mut self.state().cancel_spawned);
        while spawned.join_next().await.is_some() {}
        if !had_spawned {
            self.cancel_running().await;
        }
    }
}

/// Marks a statement as in flight; if its future is dropped before the
/// answer arrives, the connection is flagged so that the abort cancels the
/// remote statement instead of leaving it running, and a cancel request
/// is sent right away when a runtime is at hand.
pub(crate) struct InFlight<'a> {
    conn: &'a Conn,
    finished: bool,
}

impl<'a> InFlight<'a> {
    pub(crate) fn new(conn: &'a Conn) -> InFlight<'a> {
        InFlight {
            conn,
            finished: false,
        }
    }

    pub(crate) fn done(mut self) {
        self.finished = true;
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        self.conn.state().abandoned = true;
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            let token = self.conn.cancel.clone();
            let mut tasks = self.conn.tasks.lock().unwrap_or_else(|e| e.into_inner());
            while tasks.try_join_next().is_some() {}
            tasks.spawn_on(
                async move {
                    let _ = token.cancel_query().await;
                },
                &handle,
            );
            self.conn.state().cancel_spawned = true;
        }
    }
}

/// A cache entry: the connection of one user mapping.
#[derive(Debug)]
struct Entry {
    server: Oid,
    server_name: String,
    fingerprint: String,
    keep_connections: bool,
    invalidated: bool,
    conn: Option<Arc<Conn>>,
}

/// The local transaction as the caller drives it.
#[derive(Debug)]
struct LocalXact {
    isolation: Isolation,
    /// Nesting level: 1 at top level, +1 per open savepoint.
    depth: u32,
    /// Set when a statement failed; only an abort (or a rollback to a
    /// savepoint that undoes it) clears it.
    failed: Arc<AtomicBool>,
}

/// A connection handed to a caller inside the current transaction.
#[derive(Debug, Clone)]
pub struct ConnHandle {
    pub(crate) conn: Arc<Conn>,
    pub(crate) failed: Arc<AtomicBool>,
}

impl ConnHandle {
    /// The foreign server's name.
    pub fn server(&self) -> &str {
        &self.conn.server
    }

    /// Runs `sql` with the simple protocol and returns its rows as text
    /// (`None` for NULL); a failure fails the local transaction.
    ///
    /// # Errors
    ///
    /// The remote error or the lost connection, naming server and SQL.
    pub async fn simple_query(&self, sql: &str) -> Result<Vec<Vec<Option<String>>>> {
        let guard = InFlight::new(&self.conn);
        let result = self.conn.client.simple_query(sql).await;
        guard.done();
        match result {
            Ok(messages) => Ok(messages
                .into_iter()
                .filter_map(|m| match m {
                    tokio_postgres::SimpleQueryMessage::Row(row) => Some(
                        (0..row.len())
                            .map(|i| row.get(i).map(str::to_owned))
                            .collect(),
                    ),
                    _ => None,
                })
                .collect()),
            Err(e) => {
                self.failed.store(true, Ordering::SeqCst);
                Err(self.conn.fail(sql, &e))
            }
        }
    }
}

/// Connections, their cache and the mirrored transaction of one local
/// session.
pub struct Executor {
    local: LocalSession,
    secrets: Arc<dyn SecretSource>,
    entries: BTreeMap<Oid, Entry>,
    xact: Option<LocalXact>,
    cursor_number: u32,
    /// The connections' driver tasks: each ends when its client is
    /// dropped; the executor's drop aborts the rest.
    drivers: JoinSet<()>,
}

impl std::fmt::Debug for Executor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Executor")
            .field("local", &self.local)
            .field("entries", &self.entries)
            .field("xact", &self.xact)
            .finish_non_exhaustive()
    }
}

impl Executor {
    /// An executor for the local session `local`, with secret option
    /// values from `secrets`.
    pub fn new(local: LocalSession, secrets: Arc<dyn SecretSource>) -> Executor {
        Executor {
            local,
            secrets,
            entries: BTreeMap::new(),
            xact: None,
            cursor_number: 0,
            drivers: JoinSet::new(),
        }
    }

    /// The local session.
    pub fn local(&self) -> &LocalSession {
        &self.local
    }

    // ----- Connections ---------------------------------------------------

    /// The connection for `server` as `user` (the current user when
    /// `None`), opened or reused, with the remote transaction and
    /// savepoints brought up to the local ones (`GetConnection` +
    /// `begin_remote_xact`). `sql` is what the connection is for, named in
    /// errors.
    ///
    /// # Errors
    ///
    /// Catalog lookups, the `password_required` rule, connection failures,
    /// and the remote transaction's start.
    pub async fn connection(
        &mut self,
        catalog: &Catalog,
        server: Oid,
        user: Option<&str>,
        sql: &str,
    ) -> Result<ConnHandle> {
        let failed = match &self.xact {
            Some(x) if x.failed.load(Ordering::SeqCst) => return Err(Error::State(
                "current transaction is aborted, commands ignored until end of transaction block"
                    .to_owned(),
            )),
            Some(x) => Arc::clone(&x.failed),
            None => Arc::new(AtomicBool::new(false)),
        };
        let srv = catalog
            .server(server)
            .ok_or_else(|| Error::Catalog(format!("server {server} does not exist")))?;
        let user_name = user.unwrap_or(&self.local.user);
        let mapping = catalog
            .user_mapping_for(server, user_name)
            .map_err(|e| Error::Catalog(format!("server \"{}\": {e}", srv.name)))?;
        let params = ConnParams::build(catalog, srv, mapping, &self.local, self.secrets.as_ref())?;
        // Any change to the server or the mapping invalidates, as the
        // syscache callback of postgres_fdw does.
        let fingerprint = format!(
            "{}\u{2}{:?}\u{2}{:?}\u{2}{}",
            srv.name,
            srv.options.entries(),
            mapping.options.entries(),
            params.fingerprint()
        );
        let entry = self.entries.entry(mapping.oid).or_insert_with(|| Entry {
            server,
            server_name: srv.name.clone(),
            fingerprint: fingerprint.clone(),
            keep_connections: params.keep_connections,
            invalidated: false,
            conn: None,
        });
        if entry.fingerprint != fingerprint {
            entry.invalidated = true;
        }
        // Replace a connection that is invalid or lost, but only between
        // transactions: inside one, its snapshot must stay (postgres_fdw).
        let in_xact = entry
            .conn
            .as_ref()
            .is_some_and(|c| c.state().xact_depth > 0);
        if let Some(conn) = &entry.conn {
            if conn.is_broken() && in_xact {
                failed.store(true, Ordering::SeqCst);
                return Err(Error::ConnectionLost {
                    server: entry.server_name.clone(),
                    sql: sql.to_owned(),
                    message: "the connection was lost earlier in this transaction".to_owned(),
                });
            }
            if !in_xact && (entry.invalidated || conn.is_broken()) {
                entry.conn = None;
            }
        }
        if entry.conn.is_none() {
            entry.server_name = srv.name.clone();
            entry.fingerprint = fingerprint;
            entry.keep_connections = params.keep_connections;
            entry.invalidated = false;
            while self.drivers.try_join_next().is_some() {}
            entry.conn = Some(Arc::new(
                connect(&params, &self.local, sql, &mut self.drivers).await?,
            ));
        }
        let conn = match &entry.conn {
            Some(c) => Arc::clone(c),
            None => return Err(Error::State("connection vanished".to_owned())),
        };
        if let Some(xact) = &self.xact {
            let result = begin_remote_xact(&conn, xact).await;
            if let Err(err) = result {
                failed.store(true, Ordering::SeqCst);
                return Err(err);
            }
        }
        Ok(ConnHandle { conn, failed })
    }

    /// `postgres_fdw_get_connections()`: the open connections by server
    /// name, with whether each is still valid.
    pub fn get_connections(&self) -> Vec<ConnectionInfo> {
        let mut out: Vec<ConnectionInfo> = self
            .entries
            .values()
            .filter(|e| e.conn.is_some())
            .map(|e| ConnectionInfo {
                server_name: e.server_name.clone(),
                valid: !e.invalidated,
            })
            .collect();
        out.sort();
        out
    }

    /// `postgres_fdw_disconnect(server)`: closes the connections to
    /// `server` that the current transaction does not use; true when one
    /// was closed.
    ///
    /// # Errors
    ///
    /// When the server does not exist.
    pub fn disconnect(&mut self, catalog: &Catalog, server: &str) -> Result<bool> {
        let srv = catalog
            .server_by_name(server)
            .ok_or_else(|| Error::Catalog(format!("server \"{server}\" does not exist")))?;
        Ok(self.disconnect_where(|e| e.server == srv.oid))
    }

    /// `postgres_fdw_disconnect_all()`: closes every connection the current
    /// transaction does not use; true when one was closed.
    pub fn disconnect_all(&mut self) -> bool {
        self.disconnect_where(|_| true)
    }

    fn disconnect_where(&mut self, pick: impl Fn(&Entry) -> bool) -> bool {
        let mut closed = false;
        for entry in self.entries.values_mut() {
            if !pick(entry) {
                continue;
            }
            let in_use = entry
                .conn
                .as_ref()
                .is_some_and(|c| c.state().xact_depth > 0);
            if entry.conn.is_some() && !in_use {
                // Dropping the last client closes the connection
                // (Terminate is sent by the client's drop).
                entry.conn = None;
                closed = true;
            }
        }
        closed
    }

    /// Marks the connections of server `server` as invalid (its definition
    /// changed): each is replaced at its next use outside a transaction.
    pub fn invalidate_server(&mut self, server: Oid) {
        for entry in self.entries.values_mut() {
            if entry.server == server {
                entry.invalidated = true;
            }
        }
    }

    /// Marks the connection of user mapping `mapping` as invalid.
    pub fn invalidate_mapping(&mut self, mapping: Oid) {
        if let Some(entry) = self.entries.get_mut(&mapping) {
            entry.invalidated = true;
        }
    }

    // ----- Transactions ---------------------------------------------------

    /// Starts a local transaction; remote transactions open lazily, at the
    /// first use of each connection.
    ///
    /// # Errors
    ///
    /// When one is already open.
    pub fn begin(&mut self, isolation: Isolation) -> Result<()> {
        if self.xact.is_some() {
            return Err(Error::State(
                "there is already a transaction in progress".to_owned(),
            ));
        }
        self.xact = Some(LocalXact {
            isolation,
            depth: 1,
            failed: Arc::new(AtomicBool::new(false)),
        });
        Ok(())
    }

    /// Whether a local transaction is open.
    pub fn in_transaction(&self) -> bool {
        self.xact.is_some()
    }

    /// Whether the local transaction failed (only abort or a rollback to a
    /// savepoint continue from there).
    pub fn transaction_failed(&self) -> bool {
        self.xact
            .as_ref()
            .is_some_and(|x| x.failed.load(Ordering::SeqCst))
    }

    /// Opens a local savepoint; remote `SAVEPOINT s<k>` follow lazily.
    ///
    /// # Errors
    ///
    /// Outside a transaction, or in a failed one.
    pub fn savepoint(&mut self) -> Result<()> {
        let xact = self.xact_ok()?;
        xact.depth += 1;
        Ok(())
    }

    /// Releases the innermost savepoint: `RELEASE SAVEPOINT s<d>` on each
    /// connection that reached it.
    ///
    /// # Errors
    ///
    /// Outside a savepoint, in a failed transaction, or the remote error.
    pub async fn release_savepoint(&mut self) -> Result<()> {
        let depth = self.savepoint_depth()?;
        self.xact_ok()?;
        let conns = self.conns_at_depth(depth);
        if let Some(x) = self.xact.as_mut() {
            x.depth -= 1;
        }
        for conn in conns {
            let sql = format!("RELEASE SAVEPOINT s{depth}");
            if let Err(err) = conn.command(&sql).await {
                self.mark_failed();
                return Err(err);
            }
            conn.state().xact_depth = depth - 1;
        }
        Ok(())
    }

    /// Rolls back to the innermost savepoint and releases it: `ROLLBACK TO
    /// SAVEPOINT s<d>; RELEASE SAVEPOINT s<d>` on each connection that
    /// reached it (after cancelling a running statement). A failure there
    /// leaves the whole transaction failed.
    ///
    /// # Errors
    ///
    /// Outside a savepoint, or when a connection cannot be rolled back.
    pub async fn rollback_to_savepoint(&mut self) -> Result<()> {
        let depth = self.savepoint_depth()?;
        let conns = self.conns_at_depth(depth);
        if let Some(x) = self.xact.as_mut() {
            x.depth -= 1;
        }
        let mut first_err = None;
        for conn in conns {
            if conn.is_broken() {
                first_err.get_or_insert(Error::ConnectionLost {
                    server: conn.server.clone(),
                    sql: format!("ROLLBACK TO SAVEPOINT s{depth}"),
                    message: "the connection was lost".to_owned(),
                });
                continue;
            }
            let abandoned = conn.state().abandoned;
            if abandoned {
                conn.settle_abandoned().await;
            }
            let sql = format!("ROLLBACK TO SAVEPOINT s{depth}; RELEASE SAVEPOINT s{depth}");
            match tokio::time::timeout(ABORT_TIMEOUT, cleanup_command(&conn, &sql, abandoned)).await
            {
                Ok(Ok(())) => {
                    let mut state = conn.state();
                    state.xact_depth = depth - 1;
                    state.have_error = false;
                    state.abandoned = false;
                    state.pending_close.clear();
                }
                Ok(Err(err)) => {
                    conn.state().broken = true;
                    first_err.get_or_insert(err);
                }
                Err(_) => {
                    conn.state().broken = true;
                    first_err.get_or_insert(Error::ConnectionLost {
                        server: conn.server.clone(),
                        sql,
                        message: "timed out".to_owned(),
                    });
                }
            }
        }
        match first_err {
            Some(err) => {
                self.mark_failed();
                Err(err)
            }
            None => {
                // The savepoint undid the failure, unless a connection is
                // still broken inside the transaction.
                let any_broken = self
                    .entries
                    .values()
                    .filter_map(|e| e.conn.as_ref())
                    .any(|c| c.state().xact_depth > 0 && c.is_broken());
                if let Some(x) = &self.xact {
                    x.failed.store(any_broken, Ordering::SeqCst);
                }
                Ok(())
            }
        }
    }

    /// Commits the local transaction: `COMMIT TRANSACTION` on each
    /// connection used in it. A failed transaction is aborted instead and
    /// an error returned; so is one whose remote commit fails.
    ///
    /// # Errors
    ///
    /// The failed transaction, or the remote commit's error.
    pub async fn commit(&mut self) -> Result<()> {
        let Some(xact) = &self.xact else {
            return Err(Error::State(
                "there is no transaction in progress".to_owned(),
            ));
        };
        if xact.failed.load(Ordering::SeqCst) {
            self.abort().await;
            return Err(Error::State(
                "the transaction had failed and was rolled back".to_owned(),
            ));
        }
        let conns = self.conns_in_xact();
        for conn in conns {
            if let Err(err) = conn.command("COMMIT TRANSACTION").await {
                self.mark_failed();
                self.abort().await;
                return Err(err);
            }
            let mut state = conn.state();
            state.xact_depth = 0;
            state.have_error = false;
            state.pending_close.clear();
        }
        self.end_xact();
        Ok(())
    }

    /// Aborts the local transaction: on each connection used in it, cancels
    /// a statement left running, then `ABORT TRANSACTION`; a connection
    /// where that fails or that was lost is closed, to be reopened at its
    /// next use. Returns the problems met (postgres_fdw's warnings).
    pub async fn abort(&mut self) -> Vec<Error> {
        let mut warnings = Vec::new();
        for conn in self.conns_in_xact() {
            if conn.is_broken() {
                conn.state().broken = true;
                continue;
            }
            let abandoned = conn.state().abandoned;
            if abandoned {
                conn.settle_abandoned().await;
            }
            let sql = "ABORT TRANSACTION";
            match tokio::time::timeout(ABORT_TIMEOUT, cleanup_command(&conn, sql, abandoned)).await
            {
                Ok(Ok(())) => {
                    let mut state = conn.state();
                    state.xact_depth = 0;
                    state.have_error = false;
                    state.abandoned = false;
                    state.pending_close.clear();
                }
                Ok(Err(err)) => {
                    conn.state().broken = true;
                    warnings.push(err);
                }
                Err(_) => {
                    conn.state().broken = true;
                    warnings.push(Error::ConnectionLost {
                        server: conn.server.clone(),
                        sql: sql.to_owned(),
                        message: "timed out".to_owned(),
                    });
                }
            }
        }
        self.end_xact();
        warnings
    }

    /// The next cursor number of the transaction (`GetCursorNumber`).
    pub(crate) fn next_cursor_number(&mut self) -> u32 {
        self.cursor_number += 1;
        self.cursor_number
    }

    /// After commit or abort (`pgfdw_reset_xact_state`): cursor numbers
    /// restart, and connections that are lost, still inside a remote
    /// transaction, invalidated, or of a server with `keep_connections
    /// 'off'` are closed.
    fn end_xact(&mut self) {
        self.xact = None;
        self.cursor_number = 0;
        for entry in self.entries.values_mut() {
            let discard = entry.conn.as_ref().is_some_and(|c| {
                c.is_broken()
                    || c.state().xact_depth > 0
                    || entry.invalidated
                    || !entry.keep_connections
            });
            if discard {
                entry.conn = None;
                entry.invalidated = false;
            }
        }
    }

    fn xact_ok(&mut self) -> Result<&mut LocalXact> {
        match self.xact.as_mut() {
            None => Err(Error::State(
                "there is no transaction in progress".to_owned(),
            )),
            Some(x) if x.failed.load(Ordering::SeqCst) => Err(Error::State(
                "current transaction is aborted, commands ignored until end of transaction block"
                    .to_owned(),
            )),
            Some(x) => Ok(x),
        }
    }

    fn savepoint_depth(&self) -> Result<u32> {
        match &self.xact {
            Some(x) if x.depth > 1 => Ok(x.depth),
            _ => Err(Error::State("no savepoint is open".to_owned())),
        }
    }

    fn mark_failed(&self) {
        if let Some(x) = &self.xact {
            x.failed.store(true, Ordering::SeqCst);
        }
    }

    fn conns_in_xact(&self) -> Vec<Arc<Conn>> {
        self.entries
            .values()
            .filter_map(|e| e.conn.as_ref())
            .filter(|c| c.state().xact_depth > 0)
            .map(Arc::clone)
            .collect()
    }

    fn conns_at_depth(&self, depth: u32) -> Vec<Arc<Conn>> {
        self.entries
            .values()
            .filter_map(|e| e.conn.as_ref())
            .filter(|c| c.state().xact_depth >= depth)
            .map(Arc::clone)
            .collect()
    }
}

/// Sends `sql` on a connection whose earlier statements may still be
/// answering (abandoned by their callers): the client queues requests, so
/// the answers come in order and `sql`'s is the last.
async fn drain_then(conn: &Conn, sql: &str) -> Result<()> {
    conn.command(sql).await
}

/// A cleanup statement (`ABORT TRANSACTION`, `ROLLBACK TO SAVEPOINT`) sent
/// after statements were cancelled: a cancel request that reaches the
/// backend after the statement it was meant for has ended interrupts the
/// next one, this, with `57014`; the interrupt is then spent, and the
/// statement is sent once more.
async fn cleanup_command(conn: &Conn, sql: &str, after_cancel: bool) -> Result<()> {
    match drain_then(conn, sql).await {
        Err(Error::Remote { sqlstate, .. }) if after_cancel && sqlstate == "57014" => {
            drain_then(conn, sql).await
        }
        other => other,
    }
}

/// Brings the remote transaction up to the local one (`begin_remote_xact`),
/// first closing cursors dropped without `close()`.
async fn begin_remote_xact(conn: &Conn, xact: &LocalXact) -> Result<()> {
    let depth = conn.state().xact_depth;
    if depth == 0 {
        conn.command(xact.isolation.start_statement()).await?;
        conn.state().xact_depth = 1;
    }
    let pending = std::mem::take(&mut conn.state().pending_close);
    for name in pending {
        conn.command(&format!("CLOSE {name}")).await?;
    }
    loop {
        let depth = conn.state().xact_depth;
        if depth >= xact.depth {
            break;
        }
        conn.command(&format!("SAVEPOINT s{}", depth + 1)).await?;
        conn.state().xact_depth = depth + 1;
    }
    Ok(())
}

/// Cancels what runs on a connection (postgres_fdw's `PQcancel`): a cancel
/// request to the server the connection reached, over TLS with the same
/// certificate checks when the connection uses TLS (the server takes a
/// cancel request either way).
#[derive(Clone)]
pub(crate) struct Canceller {
    token: CancelToken,
    tls: TlsConnector,
}

impl std::fmt::Debug for Canceller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Canceller").finish_non_exhaustive()
    }
}

impl Canceller {
    /// Sends the cancel request.
    pub(crate) async fn cancel_query(&self) -> std::result::Result<(), tokio_postgres::Error> {
        self.token.cancel_query(self.tls.clone()).await
    }
}

/// The connection's I/O driver, over a plain or a TLS stream.
pub(crate) type Driver = tokio_postgres::Connection<
    tokio_postgres::Socket,
    <TlsConnector as tokio_postgres::tls::MakeTlsConnect<tokio_postgres::Socket>>::Stream,
>;

/// Why no connection was made.
pub(crate) enum ConnectFailure {
    /// The TLS options cannot be honoured or their files are unusable.
    Setup(TlsSetupError),
    /// Every attempt failed; the last server error's SQLSTATE and every
    /// attempt's message.
    Failed {
        sqlstate: Option<String>,
        message: String,
    },
}

/// One failed attempt.
struct Attempt {
    sqlstate: Option<String>,
    message: String,
    /// The server answered with an error during start-up (libpq's
    /// `allow` and `prefer` retry only then).
    server_refused: bool,
    /// The server accepted the TLS request.
    tls_attempted: bool,
    /// The TLS handshake completed.
    tls_established: bool,
}

/// One connection attempt to one host with one TLS choice.
async fn attempt(
    mut config: tokio_postgres::Config,
    mode: ClientSslMode,
    tls: &TlsConnector,
    secrets: &[String],
) -> std::result::Result<(Client, Driver, Canceller), Attempt> {
    tls.reset();
    config.ssl_mode(mode);
    match config.connect(tls.clone()).await {
        Ok((client, driver)) => {
            let cancel = Canceller {
                token: client.cancel_token(),
                tls: tls.clone(),
            };
            Ok((client, driver, cancel))
        }
        Err(err) => {
            let (sqlstate, text) = describe(&err, secrets);
            let probe = tls.probe();
            // The certificate check's own words say more than the TLS
            // library's alert.
            let message = match &probe.rejected {
                Some(why) => format!("SSL error: {why}"),
                None => text,
            };
            Err(Attempt {
                sqlstate,
                message,
                server_refused: err.as_db_error().is_some(),
                tls_attempted: probe.attempted,
                tls_established: probe.established,
            })
        }
    }
}

/// Connects as libpq 15 does for `spec`: each host in turn, and on a TCP
/// host the attempts its `sslmode` calls for (see [`crate::tls`]); the
/// first success wins.
pub(crate) async fn connect_libpq(
    spec: &ConnectSpec,
    secrets: &[String],
) -> std::result::Result<(Client, Driver, Canceller), ConnectFailure> {
    let mode = spec.tls.mode;
    let mut material: Option<TlsMaterial> = None;
    let mut messages = Vec::new();
    let mut sqlstate = None;
    let several = spec.targets.len() > 1;
    for target in &spec.targets {
        let config = spec.target_config(target);
        let result = if target.is_unix_socket() || mode == SslMode::Disable {
            attempt(
                config,
                ClientSslMode::Disable,
                &TlsConnector::plain(),
                secrets,
            )
            .await
        } else {
            let loaded = match &mut material {
                Some(m) => m,
                None => material.insert(spec.tls.load().map_err(ConnectFailure::Setup)?),
            };
            let tls = loaded
                .connector(target.host.as_deref())
                .map_err(ConnectFailure::Setup)?;
            let plain = TlsConnector::plain();
            match mode {
                SslMode::Allow => {
                    match attempt(config.clone(), ClientSslMode::Disable, &plain, secrets).await {
                        Err(first) if first.server_refused => {
                            attempt(config, ClientSslMode::Require, &tls, secrets)
                                .await
                                .map_err(|second| join(first, second))
                        }
                        other => other,
                    }
                }
                SslMode::Prefer => {
                    match attempt(config.clone(), ClientSslMode::Prefer, &tls, secrets).await {
                        Err(first)
                            if first.tls_attempted
                                && (!first.tls_established || first.server_refused) =>
                        {
                            attempt(config, ClientSslMode::Disable, &plain, secrets)
                                .await
                                .map_err(|second| join(first, second))
                        }
                        other => other,
                    }
                }
                SslMode::Disable | SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
                    attempt(config, ClientSslMode::Require, &tls, secrets).await
                }
            }
        };
        match result {
            Ok(connected) => return Ok(connected),
            Err(failed) => {
                sqlstate = failed.sqlstate.or(sqlstate);
                messages.push(if several {
                    format!("{}: {}", target_label(target), failed.message)
                } else {
                    failed.message
                });
            }
        }
    }
    Err(ConnectFailure::Failed {
        sqlstate,
        message: messages.join("; "),
    })
}

/// Both attempts' messages, the retry's SQLSTATE (libpq reports both).
fn join(first: Attempt, second: Attempt) -> Attempt {
    Attempt {
        sqlstate: second.sqlstate.or(first.sqlstate),
        message: format!("{}; then: {}", first.message, second.message),
        ..second
    }
}

fn target_label(target: &HostTarget) -> String {
    let host = match (&target.host, target.hostaddr) {
        (Some(host), _) => host.clone(),
        (None, Some(addr)) => addr.to_string(),
        (None, None) => "(default host)".to_owned(),
    };
    match target.port {
        Some(port) => format!("host \"{host}\", port {port}"),
        None => format!("host \"{host}\""),
    }
}

/// Opens and configures a connection (`connect_pg_server` +
/// `configure_remote_session`), applying the second half of the
/// `password_required` rule: a non-superuser may not connect when the
/// server did not ask for the password.
async fn connect(
    params: &ConnParams,
    local: &LocalSession,
    sql: &str,
    drivers: &mut JoinSet<()>,
) -> Result<Conn> {
    let secrets = params.secret_values();
    let failure = |failure: ConnectFailure| match failure {
        ConnectFailure::Setup(TlsSetupError::Unsupported { option, why }) => {
            Error::UnsupportedOption {
                server: params.server.clone(),
                option: option.to_owned(),
                why,
            }
        }
        ConnectFailure::Setup(TlsSetupError::Invalid(message)) => Error::Connect {
            server: params.server.clone(),
            sql: sql.to_owned(),
            sqlstate: None,
            message,
        },
        ConnectFailure::Failed { sqlstate, message } => Error::Connect {
            server: params.server.clone(),
            sql: sql.to_owned(),
            sqlstate,
            message,
        },
    };
    if params.must_use_password(local) {
        // PQconnectionUsedPassword: the server asked for the password iff a
        // connection without it is refused for lack of it.
        match connect_libpq(&params.connect_spec(false)?, &secrets).await {
            Ok(_) => {
                return Err(Error::PasswordRequired {
                    server: params.server.clone(),
                    detail:
                        "Non-superuser cannot connect if the server does not request a password. \
                             HINT: Target server's authentication method must be changed or \
                             password_required=false set in the user mapping attributes."
                            .to_owned(),
                })
            }
            Err(ConnectFailure::Failed { message, .. }) if message.contains("password missing") => {
            }
            Err(err) => return Err(failure(err)),
        }
    }
    let (client, connection, cancel) = connect_libpq(&params.connect_spec(true)?, &secrets)
        .await
        .map_err(failure)?;
    let handle = tokio::runtime::Handle::try_current()
        .map_err(|_| Error::State("the executor must run inside a tokio runtime".to_owned()))?;
    drivers.spawn_on(
        async move {
            // The connection's end is seen by the client (is_closed) and
            // by the next statement's error.
            let _ = connection.await;
        },
        &handle,
    );
    let conn = Conn {
        cancel,
        client,
        server: params.server.clone(),
        secrets,
        state: Mutex::new(ConnState::default()),
        tasks: Mutex::new(JoinSet::new()),
    };
    for statement in SESSION_SETUP {
        conn.command(statement).await?;
    }
    Ok(conn)
}
