//! The error type of `fdw-core`.

/// What can go wrong while building or walking the core model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A tree is nested deeper than the walkers accept.
    #[error("expression nested deeper than {limit} levels")]
    TooDeep {
        /// The depth limit that was exceeded.
        limit: usize,
    },
    /// A model invariant does not hold: a bug in whoever built the value.
    #[error("internal error: {0}")]
    Internal(String),
}

/// `Result` with [`Error`] as the default error.
pub type Result<T, E = Error> = std::result::Result<T, E>;
