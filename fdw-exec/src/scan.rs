//! Remote scans through a cursor (spec §4.4, §4.6):
//!
//! ```text
//! DECLARE c<N> CURSOR FOR
//! <remote SELECT>                 -- extended protocol, text parameters, no type OIDs
//! FETCH <fetch_size> FROM c<N>    -- text rows: simple protocol, as postgres_fdw;
//!                                 -- binary rows: a prepared FETCH, extended protocol
//! CLOSE c<N>
//! ```
//!
//! Every value ends as the canonical text of its declared column type
//! under the local transmission settings: what the local input function of
//! the type (`fdw_sql::value::input_assignment`, the typmod applied as
//! `InputFunctionCall` does) makes of the remote's text. `crate::decode`
//! gets there faster without changing the answer: a text that is already
//! canonical for the declared type is taken as is, and binary values are
//! first rendered as the remote would have printed them.
//!
//! Read-ahead: once the consumer asks for a second batch, the next `FETCH`
//! is sent before the current batch is decoded (as postgres_fdw's
//! asynchronous fetch does), so the remote server produces batch k+1 while
//! batch k is decoded. Each `FETCH` still asks for `fetch_size` rows, at
//! most one is ahead, and none is sent after a short batch. A consumer that
//! reads one batch and stops costs no extra `FETCH`.
//!
//! A cursor that met an error never reports its end: a partial result
//! cannot pass for a complete one.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use fdw_catalog::Catalog;
use fdw_core::plan::ForeignScan;
use fdw_core::{AttrNumber, Oid, TypMod};
use fdw_sql::value::{input_assignment, Evaluated, ValueSettings};
use futures_util::future::{maybe_done, MaybeDone};
use futures_util::{StreamExt, TryStreamExt};
use tokio_postgres::types::{Format, IsNull, ToSql, Type};
use tokio_postgres::SimpleQueryMessage;

use crate::connection::{Conn, ConnHandle, Executor, InFlight};
use crate::decode::{binary_supported, render_binary, FastCheck, RawValue};
use crate::error::{Error, Result};

/// The declared type of one result column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnType {
    /// Type oid.
    pub type_oid: Oid,
    /// Type modifier (-1 for none).
    pub typmod: TypMod,
}

impl ColumnType {
    /// A column of type `type_oid` without a modifier.
    pub fn of(type_oid: Oid) -> ColumnType {
        ColumnType {
            type_oid,
            typmod: -1,
        }
    }
}

/// One fetched row: the canonical text of each value, `None` for NULL.
pub type Row = Vec<Option<String>>;

/// The format the remote server sends rows in. Both give the same rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ResultFormat {
    /// Text rows, as postgres_fdw fetches them: `FETCH` through the simple
    /// query protocol.
    #[default]
    Text,
    /// Binary rows: `FETCH` prepared once and executed through the
    /// extended protocol, each value decoded by its remote type. Used only
    /// when every declared column type has a binary decoder (the built-in
    /// numeric, boolean, character, `bytea`, date/time, `uuid`, `json`,
    /// `jsonb` and `oid` types and arrays of them); otherwise the scan runs
    /// in text. A remote column whose type has no decoder is an error
    /// before any row is returned.
    Binary,
}

/// What to run: a remote query with its parameter values and declared
/// result columns.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanRequest {
    /// The foreign server.
    pub server: Oid,
    /// The role whose user mapping is used; `None` for the current user.
    pub user: Option<String>,
    /// The remote `SELECT`.
    pub sql: String,
    /// Values of `$1`, `$2`, ... in text form (the local output functions'
    /// text under transmission modes); `None` is NULL.
    pub params: Vec<Option<String>>,
    /// The declared type of each result column.
    pub columns: Vec<ColumnType>,
    /// Rows per `FETCH`.
    pub fetch_size: u32,
    /// The format rows travel in (text unless asked otherwise).
    pub format: ResultFormat,
}

impl ScanRequest {
    /// A request for `sql` on `server` with result `columns`, no
    /// parameters and the default fetch size (100).
    pub fn new(server: Oid, sql: &str, columns: Vec<ColumnType>) -> ScanRequest {
        ScanRequest {
            server,
            user: None,
            sql: sql.to_owned(),
            params: Vec::new(),
            columns,
            fetch_size: 100,
            format: ResultFormat::Text,
        }
    }

    /// The request of a planned foreign scan with its parameter values.
    /// A base-relation scan's columns are the retrieved attributes of
    /// `table` (the scanned foreign table); join and upper scans take them
    /// from the scan target list.
    ///
    /// # Errors
    ///
    /// When `table` is needed and unknown, or lacks a retrieved attribute.
    pub fn from_foreign_scan(
        catalog: &Catalog,
        scan: &ForeignScan,
        table: Option<Oid>,
        params: Vec<Option<String>>,
    ) -> Result<ScanRequest> {
        let columns = if scan.scan_tlist.is_empty() {
            let table = table.ok_or_else(|| {
                Error::Catalog("a base-relation scan needs its foreign table".to_owned())
            })?;
            columns_of_table(catalog, table, &scan.remote.retrieved_attrs)?
        } else {
            scan.remote
                .retrieved_attrs
                .iter()
                .map(|attr| {
                    usize::try_from(attr.0)
                        .ok()
                        .and_then(|i| i.checked_sub(1))
                        .and_then(|i| scan.scan_tlist.get(i))
                        .map(|te| ColumnType {
                            type_oid: te.expr.type_oid(),
                            typmod: te.expr.typmod(),
                        })
                        .ok_or_else(|| Error::Catalog(format!("no scan target entry {}", attr.0)))
                })
                .collect::<Result<Vec<_>>>()?
        };
        Ok(ScanRequest {
            server: scan.server,
            user: None,
            sql: scan.remote.sql.clone(),
            params,
            columns,
            fetch_size: scan.fetch_size.max(1),
            format: ResultFormat::Text,
        })
    }
}

/// The declared types of attributes `attrs` of relation `table`.
///
/// # Errors
///
/// When the relation or an attribute is unknown.
pub fn columns_of_table(
    catalog: &Catalog,
    table: Oid,
    attrs: &[AttrNumber],
) -> Result<Vec<ColumnType>> {
    let rel = catalog
        .relation(table)
        .ok_or_else(|| Error::Catalog(format!("relation {table} does not exist")))?;
    attrs
        .iter()
        .map(|attr| {
            rel.columns
                .iter()
                .find(|c| c.attnum == attr.0)
                .map(|c| ColumnType {
                    type_oid: c.type_oid,
                    typmod: c.typmod,
                })
                .ok_or_else(|| {
                    Error::Catalog(format!(
                        "relation \"{}\" has no attribute {}",
                        rel.name, attr.0
                    ))
                })
        })
        .collect()
}

/// A parameter sent in text form; its type is left to the server, which
/// infers it from the `$n::type` cast in the statement (postgres_fdw sends
/// no type OIDs).
#[derive(Debug)]
struct TextParam<'a>(Option<&'a str>);

impl ToSql for TextParam<'_> {
    fn to_sql(
        &self,
        _ty: &Type,
        out: &mut tokio_postgres::types::private::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self.0 {
            Some(text) => {
                out.extend_from_slice(text.as_bytes());
                Ok(IsNull::No)
            }
            None => Ok(IsNull::Yes),
        }
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }

    fn encode_format(&self, _ty: &Type) -> Format {
        Format::Text
    }

    tokio_postgres::types::to_sql_checked!();
}

/// "Unspecified" (oid 0), as libpq's `PQsendQueryParams` with no types.
fn unspecified_type() -> Type {
    Type::new(
        "unspecified".to_owned(),
        0,
        tokio_postgres::types::Kind::Simple,
        "pg_catalog".to_owned(),
    )
}

/// Where a cursor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CursorState {
    /// Not declared yet (postgres_fdw declares at the first fetch).
    New,
    /// Declared, more rows may come.
    Open,
    /// All rows fetched (still open remotely until closed).
    Done,
    /// Closed.
    Closed,
    /// An error happened: no more rows, and no end either.
    Failed,
}

/// The rows of one `FETCH`, as the protocol delivered them.
enum Batch {
    Text(Vec<tokio_postgres::SimpleQueryRow>),
    Binary(Vec<tokio_postgres::Row>),
}

impl Batch {
    fn len(&self) -> usize {
        match self {
            Batch::Text(rows) => rows.len(),
            Batch::Binary(rows) => rows.len(),
        }
    }
}

type FetchFuture =
    Pin<Box<dyn Future<Output = std::result::Result<Batch, tokio_postgres::Error>> + Send>>;

/// A `FETCH` sent ahead whose answer is not read yet.
struct Pending(Pin<Box<MaybeDone<FetchFuture>>>);

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pending")
    }
}

/// A running remote scan.
#[derive(Debug)]
pub struct Cursor {
    conn: Arc<Conn>,
    failed: Arc<AtomicBool>,
    name: String,
    declare_sql: String,
    fetch_sql: String,
    params: Vec<Option<String>>,
    columns: Vec<ColumnType>,
    /// Per column: which texts are already canonical for its type.
    checks: Vec<FastCheck>,
    fetch_size: usize,
    state: CursorState,
    settings: ValueSettings,
    format: ResultFormat,
    /// The prepared `FETCH` of a binary scan.
    fetch_statement: Option<tokio_postgres::Statement>,
    /// The read-ahead `FETCH`, sent and not read yet.
    pending: Option<Pending>,
    /// Batches received so far.
    batches: u64,
}

/// Cancels what runs on a scan's connection from elsewhere (another task),
/// like a query cancel in postgres_fdw: the remote statement stops and its
/// error comes back to the scan.
#[derive(Clone)]
pub struct ScanCancel {
    token: crate::connection::Canceller,
}

impl std::fmt::Debug for ScanCancel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScanCancel").finish_non_exhaustive()
    }
}

impl ScanCancel {
    /// Sends the cancel request.
    ///
    /// # Errors
    ///
    /// When the cancel connection cannot be made.
    pub async fn cancel(&self) -> Result<()> {
        self.token
            .cancel_query()
            .await
            .map_err(|e| Error::State(format!("cancel request failed: {e}")))
    }
}

impl Executor {
    /// Opens a scan inside the current local transaction: takes the
    /// connection (opening the remote transaction) and the next cursor
    /// number; the cursor is declared at the first fetch.
    ///
    /// # Errors
    ///
    /// Outside a transaction, and the connection's errors.
    pub async fn open_scan(&mut self, catalog: &Catalog, request: &ScanRequest) -> Result<Cursor> {
        if !self.in_transaction() {
            return Err(Error::State(
                "a scan needs a local transaction (begin() first, or run_query)".to_owned(),
            ));
        }
        let handle: ConnHandle = self
            .connection(
                catalog,
                request.server,
                request.user.as_deref(),
                &request.sql,
            )
            .await?;
        let number = self.next_cursor_number();
        let name = format!("c{number}");
        let fetch_size = request.fetch_size.max(1);
        let settings = ValueSettings::transmission(catalog);
        let format = match request.format {
            ResultFormat::Binary
                if request.columns.iter().all(|c| binary_supported(c.type_oid)) =>
            {
                ResultFormat::Binary
            }
            ResultFormat::Binary | ResultFormat::Text => ResultFormat::Text,
        };
        Ok(Cursor {
            conn: handle.conn,
            failed: handle.failed,
            declare_sql: format!("DECLARE {name} CURSOR FOR\n{}", request.sql),
            fetch_sql: format!("FETCH {fetch_size} FROM {name}"),
            name,
            params: request.params.clone(),
            columns: request.columns.clone(),
            checks: request
                .columns
                .iter()
                .map(|c| FastCheck::for_column(c.type_oid, c.typmod, &settings.time_zone))
                .collect(),
            fetch_size: usize::try_from(fetch_size).unwrap_or(100),
            state: CursorState::New,
            settings,
            format,
            fetch_statement: None,
            pending: None,
            batches: 0,
        })
    }

    /// Runs `request` to the end and returns all its rows, or an error and
    /// no rows. Without an open local transaction the query gets its own,
    /// committed on success and aborted on failure.
    ///
    /// # Errors
    ///
    /// Any error of the scan; the transaction is then failed (or aborted,
    /// when it was the query's own).
    pub async fn run_query(
        &mut self,
        catalog: &Catalog,
        request: &ScanRequest,
    ) -> Result<Vec<Row>> {
        let implicit = !self.in_transaction();
        if implicit {
            self.begin(crate::connection::Isolation::ReadCommitted)?;
        }
        let result = async {
            let mut cursor = self.open_scan(catalog, request).await?;
            let mut rows = Vec::new();
            while let Some(batch) = cursor.next_batch(catalog).await? {
                rows.extend(batch);
            }
            cursor.close().await?;
            Ok(rows)
        }
        .await;
        if implicit {
            match &result {
                Ok(_) => self.commit().await?,
                Err(_) => {
                    self.abort().await;
                }
            }
        }
        result
    }
}

impl Cursor {
    /// The cursor's name (`c1`, `c2`, ...).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A handle that cancels the scan's running statement.
    pub fn cancel_handle(&self) -> ScanCancel {
        ScanCancel {
            token: self.conn.cancel.clone(),
        }
    }

    /// The next batch of rows, `None` once all rows were returned.
    ///
    /// # Errors
    ///
    /// The remote error, a lost connection, or a value that does not
    /// convert; the local transaction is then failed and the cursor
    /// returns errors from then on.
    pub async fn next_batch(&mut self, catalog: &Catalog) -> Result<Option<Vec<Row>>> {
        match self.state {
            CursorState::Done => return Ok(None),
            CursorState::Closed => {
                return Err(Error::State(format!("cursor {} is closed", self.name)))
            }
            CursorState::Failed => {
                return Err(Error::State(format!(
                    "cursor {} failed earlier; its result is incomplete",
                    self.name
                )))
            }
            CursorState::New | CursorState::Open => {}
        }
        if self.failed.load(Ordering::SeqCst) {
            self.state = CursorState::Failed;
            return Err(Error::State(
                "current transaction is aborted, commands ignored until end of transaction block"
                    .to_owned(),
            ));
        }
        match self.fetch(catalog).await {
            Ok(rows) => Ok(Some(rows)),
            Err(err) => {
                self.state = CursorState::Failed;
                self.failed.store(true, Ordering::SeqCst);
                Err(err)
            }
        }
        .map(|batch| {
            // An empty batch is the end; a short one is the last.
            match batch {
                Some(rows) if rows.is_empty() => None,
                other => other,
            }
        })
    }

    /// The format this cursor fetches in (binary falls back to text when a
    /// declared column type has no binary decoder).
    pub fn format(&self) -> ResultFormat {
        self.format
    }

    async fn fetch(&mut self, catalog: &Catalog) -> Result<Vec<Row>> {
        if self.state == CursorState::New {
            self.declare().await?;
            self.state = CursorState::Open;
        }
        let mut pending = match self.pending.take() {
            Some(pending) => pending,
            None => Pending(Box::pin(maybe_done(self.start_fetch()))),
        };
        let guard = InFlight::new(&self.conn);
        pending.0.as_mut().await;
        guard.done();
        let result = pending
            .0
            .as_mut()
            .take_output()
            .ok_or_else(|| Error::State(format!("cursor {}: fetch lost", self.name)))?;
        let batch = result.map_err(|e| self.conn.fail(&self.fetch_sql, &e))?;
        self.batches += 1;
        if batch.len() < self.fetch_size {
            self.state = CursorState::Done;
        } else if self.batches >= 2 {
            // Read-ahead: the next FETCH goes out now. The first poll
            // queues it on the connection; the yield lets the connection's
            // task write it to the socket before this batch is decoded
            // (on a current-thread runtime it would otherwise wait for the
            // decoding to end, and the server would idle meanwhile).
            let mut next = Pending(Box::pin(maybe_done(self.start_fetch())));
            let _ = futures_util::poll!(next.0.as_mut());
            self.pending = Some(next);
            tokio::task::yield_now().await;
        }
        self.decode_batch(catalog, &batch)
    }

    /// The future of one `FETCH` (nothing is sent before it is polled).
    fn start_fetch(&self) -> FetchFuture {
        let conn = Arc::clone(&self.conn);
        match &self.fetch_statement {
            Some(statement) => {
                let statement = statement.clone();
                let size = self.fetch_size;
                Box::pin(async move {
                    let params: [&(dyn ToSql + Sync); 0] = [];
                    let mut stream =
                        std::pin::pin!(conn.client.query_raw(&statement, params).await?);
                    let mut rows = Vec::with_capacity(size);
                    while let Some(row) = stream.try_next().await? {
                        rows.push(row);
                    }
                    Ok(Batch::Binary(rows))
                })
            }
            None => {
                let sql = self.fetch_sql.clone();
                let size = self.fetch_size;
                Box::pin(async move {
                    let mut stream = std::pin::pin!(conn.client.simple_query_raw(&sql).await?);
                    let mut rows = Vec::with_capacity(size);
                    while let Some(message) = stream.next().await {
                        if let SimpleQueryMessage::Row(row) = message? {
                            rows.push(row);
                        }
                    }
                    Ok(Batch::Text(rows))
                })
            }
        }
    }

    async fn declare(&mut self) -> Result<()> {
        let unspecified = unspecified_type();
        let params: Vec<(TextParam<'_>, Type)> = self
            .params
            .iter()
            .map(|p| (TextParam(p.as_deref()), unspecified.clone()))
            .collect();
        let guard = InFlight::new(&self.conn);
        let result = self
            .conn
            .client
            .query_typed(
                &self.declare_sql,
                &params
                    .iter()
                    .map(|(p, t)| (p as &(dyn ToSql + Sync), t.clone()))
                    .collect::<Vec<_>>(),
            )
            .await;
        guard.done();
        result
            .map(|_| ())
            .map_err(|e| self.conn.fail(&self.declare_sql, &e))?;
        if self.format == ResultFormat::Binary {
            // Prepared once: each batch is then Bind/Execute with binary
            // results. The description tells the remote column types.
            let guard = InFlight::new(&self.conn);
            let prepared = self.conn.client.prepare(&self.fetch_sql).await;
            guard.done();
            let statement = prepared.map_err(|e| self.conn.fail(&self.fetch_sql, &e))?;
            for (i, column) in statement.columns().iter().enumerate() {
                let oid = Oid(column.type_().oid());
                if !binary_supported(oid) {
                    return Err(self.decode_error(
                        i,
                        format!(
                            "the remote column's type {} (oid {}) has no binary decoder; \
                             fetch this query in text format",
                            column.type_().name(),
                            oid.0
                        ),
                    ));
                }
            }
            self.fetch_statement = Some(statement);
        }
        Ok(())
    }

    fn decode_error(&self, index: usize, message: String) -> Error {
        Error::Decode {
            server: self.conn.server.clone(),
            sql: self.declare_sql.clone(),
            column: index + 1,
            message,
        }
    }

    fn check_width(&self, width: usize) -> Result<()> {
        if width == self.columns.len() {
            return Ok(());
        }
        Err(Error::Decode {
            server: self.conn.server.clone(),
            sql: self.declare_sql.clone(),
            column: width,
            message: format!(
                "remote query result has {} columns, {} declared",
                width,
                self.columns.len()
            ),
        })
    }

    fn decode_batch(&self, catalog: &Catalog, batch: &Batch) -> Result<Vec<Row>> {
        // Vectors sized up front: collecting through `Result` starts at
        // capacity 4 and reallocates, twice per 8-column row.
        let width = self.columns.len();
        let mut out = Vec::with_capacity(batch.len());
        match batch {
            Batch::Text(rows) => {
                for row in rows {
                    self.check_width(row.len())?;
                    let mut values = Vec::with_capacity(width);
                    for (i, check) in self.checks.iter().enumerate() {
                        let text = row
                            .try_get(i)
                            .map_err(|e| self.decode_error(i, e.to_string()))?;
                        values.push(match text {
                            None => None,
                            Some(text) if check.accepts(text) => Some(text.to_owned()),
                            Some(text) => Some(self.input(catalog, i, text)?),
                        });
                    }
                    out.push(values);
                }
            }
            Batch::Binary(rows) => {
                for row in rows {
                    self.check_width(row.len())?;
                    let mut values = Vec::with_capacity(width);
                    for (i, (column, check)) in row.columns().iter().zip(&self.checks).enumerate() {
                        let raw: Option<RawValue<'_>> = row
                            .try_get(i)
                            .map_err(|e| self.decode_error(i, e.to_string()))?;
                        let Some(RawValue(bytes)) = raw else {
                            values.push(None);
                            continue;
                        };
                        let mut text = String::with_capacity(bytes.len() + 8);
                        let canonical = render_binary(column.type_().oid(), bytes, &mut text)
                            .map_err(|e| self.decode_error(i, e.to_string()))?;
                        // A rendering canonical by construction for the
                        // declared type needs no second look.
                        if canonical.is_for(*check) || check.accepts(&text) {
                            values.push(Some(text));
                        } else {
                            values.push(Some(self.input(catalog, i, &text)?));
                        }
                    }
                    out.push(values);
                }
            }
        }
        Ok(out)
    }

    /// The declared type's input function on the remote text (the
    /// definition of the value).
    fn input(&self, catalog: &Catalog, i: usize, text: &str) -> Result<String> {
        let column = self
            .columns
            .get(i)
            .ok_or_else(|| self.decode_error(i, "no declared type".to_owned()))?;
        match input_assignment(
            catalog,
            column.type_oid,
            column.typmod,
            text,
            &self.settings,
        ) {
            Ok(Evaluated::Value(v)) => Ok(v),
            // A type the local input functions here do not cover (user
            // and extension types): the remote text, already in the
            // transmission form, is kept as it came.
            Ok(Evaluated::NotEvaluable(_)) => Ok(text.to_owned()),
            Err(e) => Err(self.decode_error(i, e.to_string())),
        }
    }

    /// Closes the cursor (`CLOSE c<N>`), also when the consumer stops
    /// before the end; a failed cursor is left to the transaction's abort.
    ///
    /// # Errors
    ///
    /// The remote error.
    pub async fn close(mut self) -> Result<()> {
        let state = std::mem::replace(&mut self.state, CursorState::Closed);
        if let Some(mut pending) = self.pending.take() {
            // The read-ahead FETCH is answered first (the connection
            // answers in order); its error is this scan's, as postgres_fdw
            // reports a pending asynchronous fetch's at close.
            let guard = InFlight::new(&self.conn);
            pending.0.as_mut().await;
            guard.done();
            if let Some(Err(e)) = pending.0.as_mut().take_output() {
                self.failed.store(true, Ordering::SeqCst);
                return Err(self.conn.fail(&self.fetch_sql, &e));
            }
        }
        match state {
            CursorState::Open | CursorState::Done => {
                let sql = format!("CLOSE {}", self.name);
                let result = self.conn.command(&sql).await;
                if result.is_err() {
                    self.failed.store(true, Ordering::SeqCst);
                }
                result
            }
            CursorState::New | CursorState::Closed | CursorState::Failed => Ok(()),
        }
    }
}

impl Drop for Cursor {
    fn drop(&mut self) {
        // A cursor dropped open is closed at the connection's next use in
        // this transaction (the transaction's end closes it anyway). A
        // read-ahead FETCH still out is left to finish, as postgres_fdw
        // waits for a pending asynchronous fetch: the client discards its
        // answer and the CLOSE queues behind it.
        if matches!(self.state, CursorState::Open | CursorState::Done) {
            self.conn.state().pending_close.push(self.name.clone());
        }
    }
}
