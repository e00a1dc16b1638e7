//! The thin executor: connections, session setup, transactions, cursors and
//! remote estimates on `tokio-postgres`, sending the remote SQL the planner
//! produced the way postgres_fdw sends it, and reading a live catalog.
//!
//! This crate must not decide what to push down; it runs finished remote
//! queries.
//!
//! - [`conninfo`]: connection parameters from the catalog's server and
//!   user mapping, secrets supplied at connect time ([`SecretSource`]),
//!   `application_name`, the `password_required` rule (spec §4.1).
//! - [`connection`]: the [`Executor`]: the connection cache keyed by user
//!   mapping, session setup (§4.2), the mirrored transaction and
//!   savepoints (§4.3), `get_connections` / `disconnect` / `disconnect_all`.
//! - [`scan`]: cursors `DECLARE` / `FETCH` / `CLOSE` with text parameters
//!   and rows decoded by the declared column types (§4.4, §4.6).
//! - [`estimate`]: `EXPLAIN` for `use_remote_estimate` ([`BlockingEstimator`]
//!   implements `fdw_cost::remote::RemoteEstimator`).
//! - [`tls`]: TLS (rustls) with libpq 15's `sslmode` semantics and its
//!   certificate, key, CRL and protocol-version options.
//! - [`error`]: the one [`Error`] type; messages name the server and the
//!   remote SQL, never a password.

pub mod connection;
pub mod conninfo;
mod decode;
pub mod error;
pub mod estimate;
pub mod host_sql;
pub mod import_schema;
pub mod live_catalog;
pub mod scan;
pub mod tls;

pub use connection::{ConnHandle, ConnectionInfo, Executor, Isolation, SESSION_SETUP};
pub use conninfo::{ConnParams, LocalSession, NoSecrets, SecretSource, Secrets};
pub use error::{Error, Result};
pub use estimate::BlockingEstimator;
pub use scan::{ColumnType, Cursor, ResultFormat, Row, ScanCancel, ScanRequest};
