//! Remote scans through a cursor (spec §4.4, §4.6):
//!
//! ```text
//! DECLARE c<N> CURSOR FOR
//! <remote SELECT>                 -- extended protocol, text parameters, no type OIDs
//! FETCH <fetch_size> FROM c<N>    -- simple protocol, text rows, until a short batch
//! CLOSE c<N>
//! ```
//!
//! Rows come back in text form and go through the local input function of
//! each declared column type (`fdw_sql::value::input_assignment`, the
//! typmod applied as `InputFunctionCall` does), giving the canonical text
//! of the value. A cursor that met an error never reports its end: a
//! partial result cannot pass for a complete one.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use fdw_catalog::Catalog;
use fdw_core::plan::ForeignScan;
use fdw_core::{AttrNumber, Oid, TypMod};
use fdw_sql::value::{input_assignment, Evaluated, ValueSettings};
use tokio_postgres::types::{Format, IsNull, ToSql, Type};

use crate::connection::{Conn, ConnHandle, Executor, InFlight};
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
    fetch_size: usize,
    state: CursorState,
    settings: ValueSettings,
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
        Ok(Cursor {
            conn: handle.conn,
            failed: handle.failed,
            declare_sql: format!("DECLARE {name} CURSOR FOR\n{}", request.sql),
            fetch_sql: format!("FETCH {fetch_size} FROM {name}"),
            name,
            params: request.params.clone(),
            columns: request.columns.clone(),
            fetch_size: usize::try_from(fetch_size).unwrap_or(100),
            state: CursorState::New,
            settings: ValueSettings::transmission(catalog),
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

    async fn fetch(&mut self, catalog: &Catalog) -> Result<Vec<Row>> {
        if self.state == CursorState::New {
            self.declare().await?;
            self.state = CursorState::Open;
        }
        let guard = InFlight::new(&self.conn);
        let result = self.conn.client.simple_query(&self.fetch_sql).await;
        guard.done();
        let messages = result.map_err(|e| self.conn.fail(&self.fetch_sql, &e))?;
        let mut rows = Vec::new();
        for message in messages {
            if let tokio_postgres::SimpleQueryMessage::Row(row) = message {
                rows.push(self.decode(catalog, &row)?);
            }
        }
        if rows.len() < self.fetch_size {
            self.state = CursorState::Done;
        }
        Ok(rows)
    }

    async fn declare(&self) -> Result<()> {
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
            .map_err(|e| self.conn.fail(&self.declare_sql, &e))
    }

    fn decode(&self, catalog: &Catalog, row: &tokio_postgres::SimpleQueryRow) -> Result<Row> {
        if row.len() != self.columns.len() {
            return Err(Error::Decode {
                server: self.conn.server.clone(),
                sql: self.declare_sql.clone(),
                column: row.len(),
                message: format!(
                    "remote query result has {} columns, {} declared",
                    row.len(),
                    self.columns.len()
                ),
            });
        }
        self.columns
            .iter()
            .enumerate()
            .map(|(i, column)| {
                let Some(text) = row.get(i) else {
                    return Ok(None);
                };
                let decode_err = |message: String| Error::Decode {
                    server: self.conn.server.clone(),
                    sql: self.declare_sql.clone(),
                    column: i + 1,
                    message,
                };
                match input_assignment(
                    catalog,
                    column.type_oid,
                    column.typmod,
                    text,
                    &self.settings,
                ) {
                    Ok(Evaluated::Value(v)) => Ok(Some(v)),
                    // A type the local input functions here do not cover
                    // (user and extension types): the remote text, already
                    // in the transmission form, is kept as it came.
                    Ok(Evaluated::NotEvaluable(_)) => Ok(Some(text.to_owned())),
                    Err(e) => Err(decode_err(e.to_string())),
                }
            })
            .collect()
    }

    /// Closes the cursor (`CLOSE c<N>`), also when the consumer stops
    /// before the end; a failed cursor is left to the transaction's abort.
    ///
    /// # Errors
    ///
    /// The remote error.
    pub async fn close(mut self) -> Result<()> {
        let state = std::mem::replace(&mut self.state, CursorState::Closed);
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
        // this transaction (the transaction's end closes it anyway).
        if matches!(self.state, CursorState::Open | CursorState::Done) {
            self.conn.state().pending_close.push(self.name.clone());
        }
    }
}
