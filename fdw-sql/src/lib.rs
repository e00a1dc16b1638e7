//! SQL text to a typed query tree: parsing with `sqlparser`, then name, type,
//! operator and function resolution and constant folding as PostgreSQL does
//! them, so the trees equal the ones postgres_fdw would see.
//!
//! The stages follow PostgreSQL's: [`parse`] (syntax, via sqlparser's
//! PostgreSQL dialect), [`analyze`] (parse analysis: names, types, operators,
//! functions, coercions, collations; the tree `parse_analyze` would build),
//! then the planner's preparation that postgres_fdw sees the results of:
//! constant folding ([`fold`], `eval_const_expressions`) and outer-join
//! reduction with qual placement ([`joins`]).
//!
//! This crate must not know what is shippable, how remote SQL is printed, or
//! any cost; it produces the query model of `fdw-core`.
//!
//! **Architecture Invariant:** no I/O, no clock; the catalog and the session
//! settings are passed in. A value PostgreSQL would read from the clock
//! (`now()`, `'today'::date`) is never folded.
//!
//! **Architecture Invariant:** constants hold PostgreSQL's text output form
//! of their value under postgres_fdw's transmission settings (ISO dates,
//! `postgres` interval style, `extra_float_digits = 3`).
#![deny(missing_docs)]

pub mod analyze;
pub mod error;
pub mod fold;
pub mod joins;
pub mod parse;
pub mod types;
pub mod value;

pub use error::{Error, Result, SqlState};
