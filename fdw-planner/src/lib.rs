//! Pushdown planning: base relations, joins, upper relations (grouping,
//! ordering, LIMIT) and DML, choosing what runs remotely as postgres_fdw
//! does, and rendering the EXPLAIN-style output.
//!
//! This crate must not know how to reach a server; it emits plans whose
//! remote parts are finished SQL text.
//!
//! What exists so far (issue #5): every foreign table of a `SELECT` is
//! scanned on its own ([`base_rel::plan_base_rel`]: conditions classified
//! into remote and local and put in PostgreSQL's execution order by
//! [`cost_order::order_qual_clauses`], columns pruned, the remote
//! `SELECT` printed); several relations are joined locally and grouping,
//! ordering and `LIMIT` stay local ([`plan_query::plan_query`], the
//! joins following the query's join tree); each foreign scan carries
//! postgres_fdw's estimate ([`costing`], on `fdw-cost`, with an injected
//! remote estimator for `use_remote_estimate`); [`render::explain`] prints
//! the result as `EXPLAIN (VERBOSE)` does, with or without costs. Join and
//! upper-relation pushdown, the local nodes' costs and DML come with later
//! issues.
//!
//! **Architecture Invariant:** no I/O, no clock; the same inputs give the
//! same plan and the same text.

pub mod base_rel;
pub mod cost_order;
pub mod costing;
pub mod error;
pub mod explain;
mod join_path;
pub mod plan_query;
pub mod render;
mod upper;

pub use error::{Error, Result};
