//! The shippability walker (which expressions may run on the remote server)
//! and the deparser (the exact remote SQL text), one dialect per backend.
//!
//! This crate must not know how a query was parsed, how paths are costed or
//! chosen, or how SQL is sent; it checks and prints what it is given.
//!
//! # The remote session
//!
//! Like postgres_fdw's `deparse.c`, the printed SQL assumes a remote
//! session set up by the executor when it connects (spec §4.2):
//!
//! * `search_path = pg_catalog`. Objects in `pg_catalog` are printed bare;
//!   everything else is schema-qualified: relations always (their
//!   `schema_name` / `table_name` options, else the local names), functions
//!   and types outside `pg_catalog` (`public.cube_dim(cb)`,
//!   `'(1)'::public.cube`), operators as `OPERATOR(schema.op)`.
//! * `TimeZone`, `DateStyle = ISO`, `IntervalStyle = postgres` and
//!   `extra_float_digits = 3` ("transmission modes"). Constants are printed
//!   from [`Const::value`](fdw_core::expr::Const::value), PostgreSQL's text
//!   output form as the caller produced it: formatting that form under the
//!   right settings (transmission modes for conditions, `ORDER BY` and
//!   `LIMIT`; the local session's settings for the target lists of join
//!   and upper relations, spec §2.1) is the planner's concern.
//! * Collations: no `COLLATE` clause is ever printed. An expression ships
//!   only when every collation it uses derives from a column of the
//!   scanned foreign tables, whose remote collation is assumed to match.
//! * Types and operators with the same oid below 10000 exist remotely with
//!   the same meaning; others only when they belong to an extension named
//!   in the server's `extensions` option.
//!
//! # Never shipped
//!
//! Anything not immutable (`now()`, `random()`, `CURRENT_DATE`); functions,
//! operators, aggregates and types neither built in nor in a listed
//! extension (enums, domains, row types, arrays of extension types);
//! system columns other than `ctid`; whole-row references inside
//! expressions; collations not derived from a foreign column (explicit
//! `COLLATE`, `name` compared with `text`); aggregates outside a grouping
//! relation and split aggregates; `MULTIEXPR` parameters; and every node
//! kind outside the walker's list (`COALESCE`, `IS TRUE`, row comparisons,
//! I/O casts, sub-selects, ...). `CASE` ships from PostgreSQL 15; constants
//! of reg* types from PostgreSQL 16 only when the named object does.
//!
//! **Architecture Invariant:** shippability and printing live together, and
//! both match every expression node kind with no catch-all arm.
//!
//! **Architecture Invariant:** no dialect is ever identified by name; every
//! difference is a capability or spelling method of [`Dialect`].
//!
//! **Architecture Invariant:** deterministic output: no hash-ordered
//! containers on any path that produces SQL.
#![deny(missing_docs)]

mod context;
mod dialect;
mod error;
mod expr;
mod select;
mod shippable;
mod writer;

pub use context::{ParamSink, ScanRel, ScanRelation, REL_ALIAS_PREFIX};
pub use dialect::{ConstLabel, Dialect, PostgresDialect};
pub use error::{Error, Result};
pub use expr::deparse_expr;
pub use select::{
    deparse_select_for_base_rel, deparse_select_for_base_rel_into, AttrsUsed, BaseRelScan,
    LimitClause, ParamMode, SortKey,
};
pub use shippable::{
    classify_conditions, is_foreign_expr, is_foreign_param, ForeignRel, ForeignRelKind,
    NotShippable, NotShippableReason, Shippability,
};
pub use writer::{deparse_relation, quote_identifier};
