//! The thin executor: connections, session setup, transactions, cursors and
//! remote estimates on `tokio-postgres`, sending the remote SQL the planner
//! produced the way postgres_fdw sends it, and reading a live catalog.
//!
//! This crate must not decide what to push down; it runs finished remote
//! queries.
//!
//! The executor arrives with the executor issue; this crate is empty until then.

pub mod host_sql;
