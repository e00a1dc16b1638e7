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
//! how paths are costed; it produces the query model of `fdw-core`. (It asks
//! `fdw-cost` for one number only: an expression's evaluation cost, which
//! PostgreSQL's `inline_function` compares when a parameter is used twice.)
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

use fdw_catalog::catalog::Catalog;
use fdw_core::query::Query;
use fdw_core::Oid;
use std::sync::Arc;

/// A statement ready for planning: the analyzed, constant-folded query
/// with outer joins reduced, where each condition goes, and the immutable
/// expressions over constants that could not be folded.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedQuery {
    /// The query tree postgres_fdw's planner hooks would see; shared, so
    /// that a plan can keep its range table without copying it.
    pub query: Arc<Query>,
    /// Where the `WHERE` and `ON` conditions are placed.
    pub quals: joins::QualPlacement,
    /// Immutable calls over constants left unfolded, with the reason.
    pub notes: Vec<fold::FoldNote>,
}

/// Parses, analyzes and prepares one statement as PostgreSQL does before
/// postgres_fdw sees it: parse analysis ([`analyze::analyze`]), join alias
/// flattening, constant folding ([`fold::fold_query`]), outer-join
/// reduction ([`joins::reduce_outer_joins`]) and qual placement
/// ([`joins::place_quals`]).
///
/// `param_types` declares `$1`, `$2`, ... (a `PREPARE` statement declares
/// its own).
///
/// # Errors
///
/// [`Error::Syntax`] for text that does not parse or holds other than one
/// statement; otherwise the error PostgreSQL would raise for the same
/// statement, with its SQLSTATE.
pub fn prepare_query(catalog: &Catalog, sql: &str, param_types: &[Oid]) -> Result<PreparedQuery> {
    let statement = parse::parse_one(sql)?;
    let mut query = analyze::analyze(catalog, &statement, param_types)?;
    // Release the syntax tree before the planner-like passes: deep trees
    // cost stack in their destructors as well.
    drop(statement);
    joins::flatten_join_alias_vars(&mut query)?;
    let notes = fold::fold_query(catalog, &mut query)?;
    joins::reduce_outer_joins(catalog, &mut query)?;
    let quals = joins::place_quals(catalog, &query)?;
    Ok(PreparedQuery {
        query: Arc::new(query),
        quals,
        notes,
    })
}
