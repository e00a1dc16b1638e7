//! Sub-selects inside expressions (`transformSubLink`): `EXISTS`, scalar
//! `(SELECT ...)`, `ARRAY(SELECT ...)`, `x IN (SELECT ...)`, `x op
//! ANY/ALL (SELECT ...)` and `(a, b) op (SELECT ...)`.

use fdw_core::expr::{Expr, Param, ParamKind, SubLink, SubLinkType};
use fdw_core::query::{Query, TargetEntry};
use fdw_core::Oid;

use super::composite::make_row_comparison_op;
use super::{bridge::op_name, transform_expr};
use crate::analyze::{ExprKind, ParseState};
use crate::error::{Error, Position, Result, SqlState};
use crate::types::OperatorName;

/// `transformSubLink`'s placement check: the contexts PostgreSQL refuses
/// sub-selects in that a DML or SELECT statement can contain.
fn check_allowed(ps: &ParseState<'_>, pos: Option<Position>) -> Result<()> {
    if ps.expr_kind == ExprKind::ExecuteParameter {
        return Err(Error::analyze(
            SqlState::FEATURE_NOT_SUPPORTED,
            "cannot use subquery in EXECUTE parameter",
            pos,
        ));
    }
    Ok(())
}

/// Analyzes the sub-select after the placement check.
fn analyze_subselect(
    ps: &mut ParseState<'_>,
    query: &sqlparser::ast::Query,
    pos: Option<Position>,
) -> Result<Query> {
    check_allowed(ps, pos)?;
    ps.analyze_sublink_query(query)
}

fn visible_columns(query: &Query) -> Vec<&TargetEntry> {
    query.target_list.iter().filter(|te| !te.resjunk).collect()
}

fn boolean_sublink(
    sublinktype: SubLinkType,
    testexpr: Option<Expr>,
    oper_name: Vec<String>,
    subselect: Query,
) -> Expr {
    Expr::SubLink(Box::new(SubLink {
        sublinktype,
        sublinkid: 0,
        testexpr,
        oper_name,
        subselect: Box::new(subselect),
        result_type: Oid::BOOL_TYPE,
        result_typmod: -1,
        result_collation: Oid::INVALID,
    }))
}

/// `EXISTS (SELECT ...)`.
pub(crate) fn exists(
    ps: &mut ParseState<'_>,
    query: &sqlparser::ast::Query,
    pos: Option<Position>,
) -> Result<Expr> {
    let subselect = analyze_subselect(ps, query, pos)?;
    Ok(boolean_sublink(
        SubLinkType::Exists,
        None,
        Vec::new(),
        subselect,
    ))
}

/// The single visible column of a scalar or `ARRAY` sub-select.
fn single_column(query: &Query, pos: Option<Position>) -> Result<(Oid, i32, Oid)> {
    match visible_columns(query).as_slice() {
        [te] => Ok((te.expr.type_oid(), te.expr.typmod(), te.expr.collation())),
        _ => Err(Error::analyze(
            SqlState::SYNTAX_ERROR,
            "subquery must return only one column",
            pos,
        )),
    }
}

/// `(SELECT x ...)` used as a value: the type of its one column.
pub(crate) fn expr_sublink(
    ps: &mut ParseState<'_>,
    query: &sqlparser::ast::Query,
    pos: Option<Position>,
) -> Result<Expr> {
    let subselect = analyze_subselect(ps, query, pos)?;
    let (result_type, result_typmod, result_collation) = single_column(&subselect, pos)?;
    Ok(Expr::SubLink(Box::new(SubLink {
        sublinktype: SubLinkType::Expr,
        sublinkid: 0,
        testexpr: None,
        oper_name: Vec::new(),
        subselect: Box::new(subselect),
        result_type,
        result_typmod,
        result_collation,
    })))
}

/// `ARRAY(SELECT x ...)`: an array of the column's type; an array-typed
/// column gives the same array type, one dimension more
/// (`get_promoted_array_type`).
pub(crate) fn array_sublink(
    ps: &mut ParseState<'_>,
    query: &sqlparser::ast::Query,
    pos: Option<Position>,
) -> Result<Expr> {
    let subselect = analyze_subselect(ps, query, pos)?;
    let (column_type, typmod, collation) = single_column(&subselect, pos)?;
    let catalog = ps.catalog;
    let is_array = catalog.type_info(column_type).is_some_and(|t| t.is_array());
    let result_type = if is_array {
        column_type
    } else {
        catalog.array_type_of(column_type).ok_or_else(|| {
            Error::analyze(
                SqlState::UNDEFINED_OBJECT,
                format!(
                    "could not find array type for data type {}",
                    catalog.format_type(column_type)
                ),
                pos,
            )
        })?
    };
    Ok(Expr::SubLink(Box::new(SubLink {
        sublinktype: SubLinkType::Array,
        sublinkid: 0,
        testexpr: None,
        oper_name: Vec::new(),
        subselect: Box::new(subselect),
        result_type,
        result_typmod: typmod,
        result_collation: collation,
    })))
}

/// `x IN (SELECT ...)`: `x = ANY (SELECT ...)`.
pub(crate) fn in_subquery(
    ps: &mut ParseState<'_>,
    left: &sqlparser::ast::Expr,
    query: &sqlparser::ast::Query,
    pos: Option<Position>,
) -> Result<Expr> {
    quantified_sublink(ps, &op_name("="), left, query, true, pos)
}

/// The comparison of an `ANY`/`ALL`/`ROWCOMPARE` sub-link: the left-hand
/// value(s) against `PARAM_SUBLINK` params standing for the sub-select's
/// columns.
fn comparison(
    ps: &mut ParseState<'_>,
    name: &OperatorName,
    left: &sqlparser::ast::Expr,
    subselect: &Query,
    pos: Option<Position>,
) -> Result<Expr> {
    let lefthand = transform_expr(ps, left)?;
    let left_list: Vec<Expr> = match lefthand {
        Expr::RowExpr(row) => row.args.into_vec(),
        other => vec![other],
    };
    let columns = visible_columns(subselect);
    if columns.len() > left_list.len() {
        return Err(Error::analyze(
            SqlState::SYNTAX_ERROR,
            "subquery has too many columns",
            pos,
        ));
    }
    if columns.len() < left_list.len() {
        return Err(Error::analyze(
            SqlState::SYNTAX_ERROR,
            "subquery has too few columns",
            pos,
        ));
    }
    let right_list: Vec<Expr> = columns
        .iter()
        .map(|te| {
            Expr::Param(Param {
                paramkind: ParamKind::Sublink,
                paramid: i32::from(te.resno.0),
                paramtype: te.expr.type_oid(),
                paramtypmod: te.expr.typmod(),
                paramcollid: te.expr.collation(),
            })
        })
        .collect();
    make_row_comparison_op(ps.catalog, name, left_list, right_list, pos)
}

fn oper_name_parts(name: &OperatorName) -> Vec<String> {
    let mut parts: Vec<String> = name.schema.iter().cloned().collect();
    parts.push(name.name.to_string());
    parts
}

/// `x op ANY (SELECT ...)` / `x op ALL (SELECT ...)`.
pub(crate) fn quantified_sublink(
    ps: &mut ParseState<'_>,
    name: &OperatorName,
    left: &sqlparser::ast::Expr,
    query: &sqlparser::ast::Query,
    use_or: bool,
    pos: Option<Position>,
) -> Result<Expr> {
    // PostgreSQL analyzes the sub-select before the left-hand side.
    let subselect = analyze_subselect(ps, query, pos)?;
    let testexpr = comparison(ps, name, left, &subselect, pos)?;
    let kind = if use_or {
        SubLinkType::Any
    } else {
        SubLinkType::All
    };
    Ok(boolean_sublink(
        kind,
        Some(testexpr),
        oper_name_parts(name),
        subselect,
    ))
}

/// `(a, b) op (SELECT x, y ...)`: a `ROWCOMPARE` sub-link.
pub(crate) fn row_compare_sublink(
    ps: &mut ParseState<'_>,
    name: &OperatorName,
    left: &sqlparser::ast::Expr,
    query: &sqlparser::ast::Query,
    pos: Option<Position>,
) -> Result<Expr> {
    let subselect = analyze_subselect(ps, query, pos)?;
    let testexpr = comparison(ps, name, left, &subselect, pos)?;
    Ok(boolean_sublink(
        SubLinkType::RowCompare,
        Some(testexpr),
        oper_name_parts(name),
        subselect,
    ))
}
