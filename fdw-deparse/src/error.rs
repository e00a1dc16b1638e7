//! The crate's one error type.

use fdw_core::{AttrNumber, Oid};

/// What can go wrong while checking or printing an expression.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The construct cannot be printed for this dialect: a node kind the
    /// deparser has no form for (it should have been kept local by the
    /// shippability walker), or a feature the remote version lacks.
    #[error("cannot deparse {what} for {dialect}")]
    Unsupported {
        /// The construct, e.g. `CoalesceExpr`.
        what: String,
        /// The dialect's name and version, e.g. `postgres 15`.
        dialect: String,
    },
    /// An expression or scan names an object the catalog does not have.
    #[error("cache lookup failed for {kind} {oid}")]
    UnknownObject {
        /// `type`, `function`, `operator`, `relation`, `namespace`.
        kind: &'static str,
        /// The oid looked up.
        oid: Oid,
    },
    /// A column reference to an attribute the foreign table does not have.
    #[error("relation {table} has no column {attnum}")]
    UnknownColumn {
        /// The foreign table.
        table: Oid,
        /// The attribute number.
        attnum: i16,
    },
    /// The expression is nested deeper than the printer's recursion limit.
    #[error("expression nested deeper than {limit} levels")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// A catalog question failed (e.g. the table is not a foreign table).
    #[error("catalog: {0}")]
    Catalog(String),
    /// A bug in this crate: an invariant the caller could not have broken.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// An [`Error::UnknownColumn`] for `attnum` of `table`.
    pub(crate) fn unknown_column(table: Oid, attnum: AttrNumber) -> Error {
        Error::UnknownColumn {
            table,
            attnum: attnum.0,
        }
    }
}

impl From<fdw_catalog::Error> for Error {
    fn from(err: fdw_catalog::Error) -> Error {
        Error::Catalog(err.to_string())
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<fdw_core::Error> for Error {
    fn from(err: fdw_core::Error) -> Error {
        match err {
            fdw_core::Error::TooDeep { limit } => Error::TooDeep { limit },
            fdw_core::Error::Internal(message) => Error::Internal(message),
        }
    }
}
