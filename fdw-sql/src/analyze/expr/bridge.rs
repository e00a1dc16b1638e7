//! The expression transformer's calls into the type-resolution module
//! (`crate::types`), in one place so each contract is used the same way
//! everywhere, plus the small PostgreSQL helpers built on top of them
//! (`coerce_to_common_type`, `verify_common_type`).

use fdw_catalog::Catalog;
use fdw_core::expr::{CoercionForm, Expr};
use fdw_core::{Oid, TypMod};

use crate::error::{Position, Result};
use crate::types::{self, CoercionContext, OperatorName};

/// An operator name, unqualified.
pub(crate) fn op_name(name: &'static str) -> OperatorName {
    OperatorName::fixed(name)
}

/// `make_op`: a prefix (`left` is `None`) or binary operator call.
pub(crate) fn make_op(
    catalog: &Catalog,
    name: &OperatorName,
    left: Option<Expr>,
    right: Expr,
    position: Option<Position>,
) -> Result<Expr> {
    types::make_op(catalog, name, left, right, position)
}

/// `make_scalar_array_op`: `left op ANY/ALL (right)`.
pub(crate) fn make_scalar_array_op(
    catalog: &Catalog,
    name: &OperatorName,
    use_or: bool,
    left: Expr,
    right: Expr,
    position: Option<Position>,
) -> Result<Expr> {
    types::make_scalar_array_op(catalog, name, use_or, left, right, position)
}

/// `coerce_to_target_type`; `None` when there is no coercion path.
pub(crate) fn coerce_to_target(
    catalog: &Catalog,
    expr: Expr,
    target: Oid,
    typmod: TypMod,
    context: CoercionContext,
    form: CoercionForm,
    position: Option<Position>,
) -> Result<Option<Expr>> {
    types::coerce_to_target_type(catalog, expr, target, typmod, context, form, position)
}

/// `coerce_to_boolean`: the argument of `construct` must be boolean.
pub(crate) fn coerce_to_boolean(
    catalog: &Catalog,
    expr: Expr,
    construct: &str,
    position: Option<Position>,
) -> Result<Expr> {
    types::coerce_to_boolean(catalog, expr, construct, position)
}

/// [`coerce_to_boolean`] finding the position only if an error needs it.
pub(crate) fn coerce_to_boolean_at(
    catalog: &Catalog,
    expr: Expr,
    construct: &str,
    position: impl FnOnce() -> Option<Position>,
) -> Result<Expr> {
    types::coerce_to_boolean_at(catalog, expr, construct, position)
}

/// `select_common_type` with PostgreSQL's error naming `context`.
pub(crate) fn select_common_type(
    catalog: &Catalog,
    exprs: &[&Expr],
    context: &str,
    position: Option<Position>,
) -> Result<Oid> {
    types::select_common_type(catalog, exprs, context, position)
}

/// `can_coerce_type` for one value in the implicit context.
pub(crate) fn can_coerce_implicitly(catalog: &Catalog, source: Oid, target: Oid) -> bool {
    types::can_coerce_type(catalog, &[source], &[target], CoercionContext::Implicit)
}

/// `assign_expr_collations`.
pub(crate) fn assign_expr_collations(catalog: &Catalog, expr: &mut Expr) -> Result<()> {
    types::assign_expr_collations(catalog, expr)
}

/// `coerce_to_common_type`: an implicit coercion to the type
/// `select_common_type` chose, with PostgreSQL's error naming `context`.
pub(crate) fn coerce_to_common_type(
    catalog: &Catalog,
    expr: Expr,
    target: Oid,
    context: &str,
    position: Option<Position>,
) -> Result<Expr> {
    types::coerce_to_common_type(catalog, expr, target, context, position)
}

/// `verify_common_type`: every input can be coerced implicitly to `common`.
pub(crate) fn verify_common_type(catalog: &Catalog, common: Oid, exprs: &[&Expr]) -> bool {
    exprs
        .iter()
        .all(|e| can_coerce_implicitly(catalog, e.type_oid(), common))
}
