//! The cost model's one error type.

use fdw_core::Oid;

/// What can go wrong while estimating.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum Error {
    /// A function, operator or type the estimate needs is not in the catalog.
    #[error("{kind} {oid} is not in the catalog")]
    MissingObject {
        /// `function`, `operator` or `type`.
        kind: &'static str,
        /// The missing object's oid.
        oid: u32,
    },
    /// An expression whose cost PostgreSQL takes from elsewhere (a
    /// sub-plan's own plan) and that the cost model cannot estimate.
    #[error("{0} is not modelled")]
    Unsupported(String),
    /// An expression tree too deep to walk.
    #[error(transparent)]
    Core(#[from] fdw_core::Error),
}

impl Error {
    pub(crate) fn missing(kind: &'static str, oid: Oid) -> Error {
        Error::MissingObject { kind, oid: oid.0 }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
