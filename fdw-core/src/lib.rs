//! The shared vocabulary of fdw: object ids, typed expression trees, the
//! query model the SQL front end produces, the plan model the planner emits,
//! and the traits a remote backend implements.
//!
//! This crate must not know any catalog contents (which function is
//! immutable, what a type is called), any SQL spelling, any cost formula or
//! any I/O. It holds data and generic walkers over that data, nothing else.
//! The only oids it names are the few PostgreSQL's own node functions
//! hard-code (`bool` as the type of a `NullTest`, the default collation),
//! see [`Oid::BOOL_TYPE`] and its neighbours.
//!
//! **Architecture Invariant:** depends on no other fdw crate; no I/O, no clock,
//! no randomness, no `HashMap` iteration.
//!
//! **Architecture Invariant:** every expression node carries what PostgreSQL's
//! node carries (result type oid and typmod, result collation, input
//! collation), so the shippability walker and the deparser never have to
//! reconstruct it.
#![deny(missing_docs)]

pub mod backend;
pub mod error;
pub mod expr;
pub mod ids;
pub mod plan;
pub mod query;

pub use backend::{Backend, ObjectClass, ObjectRef};
pub use error::{Error, Result};
pub use expr::Expr;
pub use ids::{AttrNumber, Oid, RelIndex, TypMod};
pub use plan::{Plan, PlanKind, PlanNode, RemoteQuery};
pub use query::Query;
