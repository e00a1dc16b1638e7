//! PostgreSQL catalogs as data: the built-in catalog of each supported major
//! version (types, functions, operators, casts, aggregates, collations,
//! operator classes and families), the user's objects (schemas, extensions,
//! types, functions, operators, aggregates, tables), the foreign-data objects
//! postgres_fdw plans against (servers, user mappings, foreign tables) with
//! their options validated as postgres_fdw validates them, a DDL loader that
//! builds all of this from `.sql` files, statistics and planner settings, and
//! the versioned JSON catalog-snapshot format.
//!
//! This crate must not know how SQL is deparsed, how costs are computed or
//! how a query is planned; it answers questions about objects ("which
//! operator is `int4 = int4`", "is this function in a listed extension",
//! "what is this table's `fetch_size`").
//!
//! **Architecture Invariant:** no I/O. The built-in catalogs are embedded in
//! the binary; DDL and snapshots arrive as strings from the caller.
//!
//! **Architecture Invariant:** every oid is PostgreSQL's own. Built-in
//! objects keep their real oids; user objects get oids from 16384 up in
//! creation order, as a fresh PostgreSQL database would assign them.
#![deny(missing_docs)]

pub mod builtin;
pub mod catalog;
pub mod ddl;
pub mod error;
pub mod memo;
pub mod objects;
mod opclass;
pub mod options;
pub mod settings;
pub mod snapshot;
pub mod stats;
mod volatility;

pub use builtin::BuiltinCatalog;
pub use catalog::Catalog;
pub use error::{Error, Position, Result};
