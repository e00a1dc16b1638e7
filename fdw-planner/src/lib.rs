//! Pushdown planning: base relations, joins, upper relations (grouping,
//! ordering, LIMIT) and DML, choosing what runs remotely as postgres_fdw
//! does, and rendering the EXPLAIN-style output.
//!
//! This crate must not know how to reach a server; it emits plans whose
//! remote parts are finished SQL text.
//!
//! **Architecture Invariant:** no I/O, no clock; the same inputs give the
//! same plan and the same text.
//!
//! Planning arrives with the base-relation pushdown issue; this crate is
//! empty until then.

pub mod explain;
