//! SQL text to a typed query tree: parsing with `sqlparser`, then name, type,
//! operator and function resolution and constant folding as PostgreSQL does
//! them, so the trees equal the ones postgres_fdw would see.
//!
//! This crate must not know what is shippable, how remote SQL is printed, or
//! any cost; it produces the query model of `fdw-core`.
//!
//! **Architecture Invariant:** no I/O; the catalog is passed in.
//!
//! The front end arrives with the SQL front-end issue; this crate is empty
//! until then.
