//! The shared vocabulary of fdw: object ids, typed expression trees, the
//! query model the SQL front end produces, the plan model the planner emits,
//! and the traits a remote backend implements.
//!
//! This crate must not know any catalog contents (which oid is `int4`, which
//! function is immutable), any SQL spelling, any cost formula or any I/O. It
//! holds data and generic walkers over that data, nothing else.
//!
//! **Architecture Invariant:** depends on no other fdw crate; no I/O, no clock,
//! no randomness, no `HashMap` iteration.
//!
//! **Architecture Invariant:** every expression node carries what PostgreSQL's
//! node carries (result type oid and typmod, result collation, input
//! collation), so the shippability walker and the deparser never have to
//! reconstruct it.
#![deny(missing_docs)]

pub mod error;
pub mod ids;

pub use error::{Error, Result};
pub use ids::{AttrNumber, Oid, RelIndex, TypMod};
