//! The planner's errors.

/// Why a query could not be planned.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The deparser refused an expression or a relation.
    #[error(transparent)]
    Deparse(#[from] fdw_deparse::Error),
    /// A tree was malformed or nested too deeply.
    #[error(transparent)]
    Core(#[from] fdw_core::Error),
    /// An expression could not be printed for EXPLAIN.
    #[error(transparent)]
    Explain(#[from] crate::explain::ExplainError),
    /// A construct this planner does not handle yet (the message says which
    /// and in which issue it arrives).
    #[error("not supported yet: {0}")]
    Unsupported(String),
    /// A cost estimate needs something the cost model does not reproduce.
    #[error("cannot estimate costs: {0}")]
    Cost(String),
}

/// The planner's result type.
pub type Result<T> = std::result::Result<T, Error>;
