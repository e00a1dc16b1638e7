//! The analyzer's calls into the colleagues' modules (expression
//! transformation, type coercion, operator resolution, collations), in one
//! place so each contract is used the same way everywhere.

use fdw_core::expr::{CoercionForm, Expr};
use fdw_core::query::Query;
use fdw_core::{Oid, TypMod};

use super::ParseState;
use crate::error::{Position, Result};

/// Transforms an expression in the current context (`transformExpr`).
pub(crate) fn transform_expr(ps: &mut ParseState<'_>, expr: &sqlparser::ast::Expr) -> Result<Expr> {
    super::expr::transform_expr(ps, expr)
}

/// `coerce_to_boolean`: WHERE, HAVING, JOIN/ON conditions.
pub(crate) fn coerce_to_boolean(
    ps: &ParseState<'_>,
    expr: Expr,
    construct: &str,
    position: Option<Position>,
) -> Result<Expr> {
    crate::types::coerce_to_boolean(ps.catalog, expr, construct, position)
}

/// [`coerce_to_boolean`] finding the position only if an error needs it.
pub(crate) fn coerce_to_boolean_at(
    ps: &ParseState<'_>,
    expr: Expr,
    construct: &str,
    position: impl FnOnce() -> Option<Position>,
) -> Result<Expr> {
    crate::types::coerce_to_boolean_at(ps.catalog, expr, construct, position)
}

/// `coerce_to_target_type` with the given context; `None` when there is no
/// coercion path.
pub(crate) fn coerce_to_target(
    ps: &ParseState<'_>,
    expr: Expr,
    target: Oid,
    typmod: TypMod,
    context: crate::types::CoercionContext,
    form: CoercionForm,
    position: Option<Position>,
) -> Result<Option<Expr>> {
    crate::types::coerce_to_target_type(ps.catalog, expr, target, typmod, context, form, position)
}

/// `select_common_type`.
pub(crate) fn select_common_type(
    ps: &ParseState<'_>,
    exprs: &[&Expr],
    context: &str,
    position: Option<Position>,
) -> Result<Oid> {
    crate::types::select_common_type(ps.catalog, exprs, context, position)
}

/// `make_op` for a plain (unqualified) binary operator.
pub(crate) fn make_binary_op(
    ps: &ParseState<'_>,
    name: &str,
    left: Expr,
    right: Expr,
    position: Option<Position>,
) -> Result<Expr> {
    let name = crate::types::OperatorName::new(name);
    crate::types::make_op(ps.catalog, &name, Some(left), right, position)
}

/// `assign_query_collations` for one query level.
pub(crate) fn assign_query_collations(ps: &ParseState<'_>, query: &mut Query) -> Result<()> {
    crate::types::assign_query_collations(ps.catalog, query)
}

/// `assign_expr_collations` for one expression.
pub(crate) fn assign_expr_collations(ps: &ParseState<'_>, expr: &mut Expr) -> Result<()> {
    crate::types::assign_expr_collations(ps.catalog, expr)
}
