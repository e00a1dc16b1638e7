//! Composite and container values: row constructors and row comparisons,
//! `ARRAY[...]`, subscripts and slices, field selection (`(x).f`).

use fdw_catalog::Catalog;
use fdw_core::expr::{
    ArrayExpr, BoolExpr, BoolExprType, CoercionForm, Expr, ExprList, FieldSelect, RowCompareExpr,
    RowCompareType, RowExpr, SubscriptingRef, Var,
};
use fdw_core::{AttrNumber, Oid, TypMod};
use sqlparser::ast::{AccessExpr, Expr as SqlExpr, FunctionArgExpr, FunctionArguments, Subscript};

use super::bridge::{self, coerce_to_common_type, make_op, select_common_type};
use super::{position_of, strip_parens, syntax_error, transform_expr, unsupported, INT4};
use crate::analyze::{ident_name, ParseState};
use crate::error::{Error, Position, Result, SqlState};
use crate::types::{CoercionContext, OperatorName};

/// `MAXDIM`: the most array dimensions PostgreSQL supports.
const MAXDIM: usize = 6;
/// `jsonb`, subscriptable with `text` or `integer` keys (PostgreSQL 14+).
const JSONB: Oid = Oid(3802);
const TEXT: Oid = Oid(25);
/// `int2vector` and `oidvector` subscript as `int2[]` and `oid[]`.
const INT2VECTOR: Oid = Oid(22);
const OIDVECTOR: Oid = Oid(30);
const INT2ARRAY: Oid = Oid(1005);
const OIDARRAY: Oid = Oid(1028);

/// True for `ROW(...)` and `(a, b, ...)`: what gram.y makes a `RowExpr`.
pub(crate) fn is_row_constructor(expr: &SqlExpr) -> bool {
    match expr {
        SqlExpr::Tuple(_) => true,
        SqlExpr::Function(f) => is_row_function(f),
        _ => false,
    }
}

/// `ROW(...)`: sqlparser parses it as a call of a function named `row`.
pub(crate) fn is_row_function(f: &sqlparser::ast::Function) -> bool {
    matches!(f.name.0.as_slice(), [part] if part.as_ident().is_some_and(|i| i.quote_style.is_none() && i.value.eq_ignore_ascii_case("row")))
        && f.over.is_none()
        && f.filter.is_none()
        && f.within_group.is_empty()
}

/// The items of a row constructor, `t.*` expanded (`transformExpressionList`).
fn row_items(ps: &mut ParseState<'_>, items: &[&SqlExpr]) -> Result<ExprList> {
    let mut args = ExprList::new();
    for item in items {
        match strip_parens(item) {
            SqlExpr::QualifiedWildcard(name, _) => {
                let idents = name
                    .0
                    .iter()
                    .map(|p| {
                        p.as_ident()
                            .cloned()
                            .ok_or_else(|| syntax_error(&p.to_string(), position_of(item)))
                    })
                    .collect::<Result<Vec<_>>>()?;
                for (_, var) in ps.expand_star(Some(&idents), position_of(item))? {
                    args.push(var);
                }
            }
            _ => args.push(transform_expr(ps, item)?),
        }
    }
    Ok(args)
}

/// `transformRowExpr`: `record`, anonymous fields `f1`, `f2`, ...
pub(crate) fn transform_row(
    ps: &mut ParseState<'_>,
    items: &[SqlExpr],
    _format: CoercionForm,
) -> Result<Expr> {
    let refs: Vec<&SqlExpr> = items.iter().collect();
    make_row(row_items(ps, &refs)?)
}

fn make_row(args: ExprList) -> Result<Expr> {
    let colnames = (1..=args.len()).map(|i| format!("f{i}")).collect();
    // transformRowExpr marks every row constructor implicit; only a cast
    // to a named composite type changes that.
    Ok(Expr::RowExpr(Box::new(RowExpr {
        args,
        row_typeid: Oid::RECORD_TYPE,
        row_format: CoercionForm::ImplicitCast,
        colnames,
    })))
}

/// `ROW(...)` written as a function call.
pub(crate) fn transform_row_function(
    ps: &mut ParseState<'_>,
    f: &sqlparser::ast::Function,
    pos: Option<Position>,
) -> Result<Expr> {
    let mut items: Vec<SqlExpr> = Vec::new();
    match &f.args {
        FunctionArguments::None => {}
        FunctionArguments::List(list) => {
            if list.duplicate_treatment.is_some() || !list.clauses.is_empty() {
                return Err(syntax_error("(", pos));
            }
            for arg in &list.args {
                match arg {
                    sqlparser::ast::FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => {
                        items.push(e.clone());
                    }
                    sqlparser::ast::FunctionArg::Unnamed(FunctionArgExpr::QualifiedWildcard(
                        name,
                    )) => items.push(SqlExpr::QualifiedWildcard(
                        name.clone(),
                        sqlparser::ast::helpers::attached_token::AttachedToken::empty(),
                    )),
                    _ => return Err(syntax_error("(", pos)),
                }
            }
        }
        FunctionArguments::Subquery(_) => return Err(syntax_error("SELECT", pos)),
    }
    let refs: Vec<&SqlExpr> = items.iter().collect();
    make_row(row_items(ps, &refs)?)
}

/// `make_row_comparison_op`: `=` is an `AND` of per-column comparisons,
/// `<>` an `OR`, the ordering operators a `RowCompareExpr`; one column is
/// just the comparison.
pub(crate) fn make_row_comparison_op(
    catalog: &Catalog,
    name: &OperatorName,
    largs: Vec<Expr>,
    rargs: Vec<Expr>,
    pos: Option<Position>,
) -> Result<Expr> {
    if largs.len() != rargs.len() {
        return Err(Error::analyze(
            SqlState::SYNTAX_ERROR,
            "unequal number of entries in row expressions",
            pos,
        ));
    }
    if largs.is_empty() {
        return Err(Error::analyze(
            SqlState::FEATURE_NOT_SUPPORTED,
            "cannot compare rows of zero length",
            pos,
        ));
    }
    let mut ops = Vec::with_capacity(largs.len());
    for (l, r) in largs.into_iter().zip(rargs) {
        let cmp = make_op(catalog, name, Some(l), r, pos)?;
        let Expr::OpExpr(op) = cmp else {
            return Err(Error::Internal("make_op returned no OpExpr".into()));
        };
        if op.opresulttype != Oid::BOOL_TYPE {
            return Err(Error::analyze(
                SqlState::DATATYPE_MISMATCH,
                format!(
                    "row comparison operator must yield type boolean, not type {}",
                    catalog.format_type(op.opresulttype)
                ),
                pos,
            ));
        }
        if op.opretset {
            return Err(Error::analyze(
                SqlState::DATATYPE_MISMATCH,
                "row comparison operator must not return a set",
                pos,
            ));
        }
        ops.push(op);
    }
    if ops.len() == 1 {
        return Ok(Expr::OpExpr(ops.remove(0)));
    }
    // The btree interpretations (strategy, family) of each operator; the
    // strategies all of them share decide the comparison.
    let interpretations: Vec<Vec<(i16, Oid)>> = ops
        .iter()
        .map(|op| btree_interpretations(catalog, op.opno))
        .collect();
    let common = (1..=6i16).find(|strategy| {
        interpretations
            .iter()
            .all(|list| list.iter().any(|(s, _)| s == strategy))
    });
    let Some(strategy) = common else {
        return Err(Error::analyze(
            SqlState::FEATURE_NOT_SUPPORTED,
            format!(
                "could not determine interpretation of row comparison operator {}",
                name.name
            ),
            pos,
        ));
    };
    let rctype = match strategy {
        1 => RowCompareType::Lt,
        2 => RowCompareType::Le,
        3 => RowCompareType::Eq,
        4 => RowCompareType::Ge,
        5 => RowCompareType::Gt,
        _ => RowCompareType::Ne,
    };
    let args: ExprList = ops.iter().map(|op| Expr::OpExpr(op.clone())).collect();
    match rctype {
        RowCompareType::Eq => {
            return Ok(Expr::BoolExpr(Box::new(BoolExpr {
                boolop: BoolExprType::And,
                args,
            })))
        }
        RowCompareType::Ne => {
            return Ok(Expr::BoolExpr(Box::new(BoolExpr {
                boolop: BoolExprType::Or,
                args,
            })))
        }
        RowCompareType::Lt | RowCompareType::Le | RowCompareType::Ge | RowCompareType::Gt => {}
    }
    let mut opnos = Vec::new();
    let mut opfamilies = Vec::new();
    let mut l = ExprList::new();
    let mut r = ExprList::new();
    for (op, interp) in ops.into_iter().zip(interpretations) {
        let family = interp
            .iter()
            .find(|(s, _)| *s == strategy)
            .map(|(_, f)| *f)
            .unwrap_or(Oid::INVALID);
        opnos.push(op.opno);
        opfamilies.push(family);
        let mut it = op.args.into_iter();
        l.push(
            it.next()
                .ok_or_else(|| Error::Internal("binary op".into()))?,
        );
        r.push(
            it.next()
                .ok_or_else(|| Error::Internal("binary op".into()))?,
        );
    }
    Ok(Expr::RowCompareExpr(Box::new(RowCompareExpr {
        rctype,
        opnos,
        opfamilies,
        inputcollids: Vec::new(),
        largs: l,
        rargs: r,
    })))
}

/// `get_op_btree_interpretation`: the btree strategies (1-5) the operator
/// has in each family, plus `<>` (6) for the negator of a btree equality.
fn btree_interpretations(catalog: &Catalog, opno: Oid) -> Vec<(i16, Oid)> {
    const BTREE_AM: Oid = Oid(403);
    let mut out: Vec<(i16, Oid)> = catalog
        .amops_of_operator(opno)
        .into_iter()
        .filter(|a| a.method == BTREE_AM)
        .map(|a| (a.strategy, a.family))
        .collect();
    if out.is_empty() {
        if let Some(info) = catalog.operator_info(opno) {
            if !info.negator.is_invalid() {
                out.extend(
                    catalog
                        .amops_of_operator(info.negator)
                        .into_iter()
                        .filter(|a| a.method == BTREE_AM && a.strategy == 3)
                        .map(|a| (6, a.family)),
                );
            }
        }
    }
    out
}

/// `transformArrayExpr`: the element type is the common type of the
/// elements, or the one a cast (`ARRAY[...]::t[]`) passes down, in which
/// case the elements are cast explicitly.
pub(crate) fn transform_array(
    ps: &mut ParseState<'_>,
    elements: &[SqlExpr],
    target: Option<(Oid, Oid, TypMod)>,
    pos: Option<Position>,
) -> Result<Expr> {
    let mut multidims = false;
    let mut transformed = Vec::with_capacity(elements.len());
    for element in elements {
        let raw = strip_parens(element);
        let expr = match raw {
            // A nested `[...]` or `ARRAY[...]` gets the target passed down.
            SqlExpr::Array(inner) => {
                multidims = true;
                transform_array(ps, &inner.elem, target, position_of(raw))?
            }
            _ => {
                let expr = transform_expr(ps, element)?;
                if !multidims
                    && ps
                        .catalog
                        .type_info(expr.type_oid())
                        .is_some_and(|t| t.is_array())
                {
                    multidims = true;
                }
                expr
            }
        };
        transformed.push(expr);
    }
    let catalog = ps.catalog;
    let (array_type, element_type, coerce_type, hard, typmod) = match target {
        Some((array_type, element_type, typmod)) => {
            let coerce = if multidims { array_type } else { element_type };
            (array_type, element_type, coerce, true, typmod)
        }
        None => {
            if transformed.is_empty() {
                return Err(Error::analyze(
                    SqlState::INDETERMINATE_DATATYPE,
                    "cannot determine type of empty array",
                    pos,
                ));
            }
            let refs: Vec<&Expr> = transformed.iter().collect();
            let common = select_common_type(catalog, &refs, "ARRAY", pos)?;
            if multidims {
                let elem = catalog
                    .type_info(common)
                    .filter(|t| t.is_array())
                    .map(|t| t.elem)
                    .ok_or_else(|| {
                        Error::analyze(
                            SqlState::UNDEFINED_OBJECT,
                            format!(
                                "could not find element type for data type {}",
                                catalog.format_type(common)
                            ),
                            pos,
                        )
                    })?;
                (common, elem, common, false, -1)
            } else {
                let array = catalog.array_type_of(common).ok_or_else(|| {
                    Error::analyze(
                        SqlState::UNDEFINED_OBJECT,
                        format!(
                            "could not find array type for data type {}",
                            catalog.format_type(common)
                        ),
                        pos,
                    )
                })?;
                (array, common, common, false, -1)
            }
        }
    };
    let mut coerced = ExprList::new();
    for expr in transformed {
        let expr = if hard {
            let source = expr.type_oid();
            let element_pos = pos;
            bridge::coerce_to_target(
                catalog,
                expr,
                coerce_type,
                typmod,
                CoercionContext::Explicit,
                CoercionForm::ExplicitCast,
                element_pos,
            )?
            .ok_or_else(|| {
                Error::analyze(
                    SqlState::CANNOT_COERCE,
                    format!(
                        "cannot cast type {} to {}",
                        catalog.format_type(source),
                        catalog.format_type(coerce_type)
                    ),
                    element_pos,
                )
            })?
        } else {
            coerce_to_common_type(catalog, expr, coerce_type, "ARRAY", pos)?
        };
        coerced.push(expr);
    }
    Ok(Expr::ArrayExpr(Box::new(ArrayExpr {
        array_typeid: array_type,
        array_collid: Oid::INVALID,
        element_typeid: element_type,
        elements: coerced,
        multidims,
    })))
}

/// One subscript as written: `[i]` or `[lo:hi]`.
struct RawSubscript<'a> {
    lower: Option<&'a SqlExpr>,
    upper: Option<&'a SqlExpr>,
    is_slice: bool,
}

/// `transformIndirection`: a base expression followed by `.field` and
/// `[subscript]` items. Leading dotted names after an identifier belong
/// to the column reference (`t.c`, `s.t.c`), as in gram.y's `columnref`.
pub(crate) fn transform_indirection(
    ps: &mut ParseState<'_>,
    root: &SqlExpr,
    chain: &[AccessExpr],
    pos: Option<Position>,
) -> Result<Expr> {
    let mut rest = chain;
    let mut base = match root {
        SqlExpr::Identifier(_) | SqlExpr::CompoundIdentifier(_) => {
            let mut names = match root {
                SqlExpr::Identifier(ident) => vec![ident.clone()],
                SqlExpr::CompoundIdentifier(idents) => idents.clone(),
                _ => Vec::new(),
            };
            while let Some((AccessExpr::Dot(SqlExpr::Identifier(ident)), tail)) = rest.split_first()
            {
                names.push(ident.clone());
                rest = tail;
            }
            ps.resolve_column_ref(&names, pos)?
        }
        other => transform_expr(ps, other)?,
    };
    let mut pending: Vec<RawSubscript<'_>> = Vec::new();
    for item in rest {
        match item {
            AccessExpr::Subscript(Subscript::Index { index }) => pending.push(RawSubscript {
                lower: None,
                upper: Some(index),
                is_slice: false,
            }),
            AccessExpr::Subscript(Subscript::Slice {
                lower_bound,
                upper_bound,
                stride,
            }) => {
                if stride.is_some() {
                    return Err(syntax_error(":", pos));
                }
                pending.push(RawSubscript {
                    lower: lower_bound.as_ref(),
                    upper: upper_bound.as_ref(),
                    is_slice: true,
                });
            }
            AccessExpr::Dot(field) => {
                if !pending.is_empty() {
                    base = subscripts(ps, base, &pending, pos)?;
                    pending.clear();
                }
                let name = match field {
                    SqlExpr::Identifier(ident) => ident_name(ident),
                    SqlExpr::Wildcard(_) => {
                        return Err(unsupported("(composite).* in an expression", pos))
                    }
                    other => return Err(syntax_error(&other.to_string(), pos)),
                };
                base = select_field(ps, base, &name, pos)?;
            }
        }
    }
    if !pending.is_empty() {
        base = subscripts(ps, base, &pending, pos)?;
    }
    Ok(base)
}

/// `transformContainerSubscripts` for arrays (and `jsonb`).
fn subscripts(
    ps: &mut ParseState<'_>,
    base: Expr,
    items: &[RawSubscript<'_>],
    pos: Option<Position>,
) -> Result<Expr> {
    let catalog = ps.catalog;
    let mut container = base.type_oid();
    let typmod = base.typmod();
    // Domains subscript as their base type; the vectors as real arrays.
    if let Some(info) = catalog.type_info(container) {
        if info.kind == fdw_catalog::builtin::TypeKind::Domain {
            container = info.base_type;
        }
    }
    if container == INT2VECTOR {
        container = INT2ARRAY;
    } else if container == OIDVECTOR {
        container = OIDARRAY;
    }
    let info = catalog.type_info(container);
    let is_slice = items.iter().any(|i| i.is_slice);
    if container == JSONB {
        return jsonb_subscripts(ps, base, items, is_slice, pos);
    }
    let element = match info.as_ref() {
        Some(t) if !t.subscript.is_invalid() && !t.elem.is_invalid() => t.elem,
        _ => {
            return Err(Error::analyze(
                SqlState::DATATYPE_MISMATCH,
                format!(
                    "cannot subscript type {} because it does not support subscripting",
                    catalog.format_type(container)
                ),
                pos,
            ))
        }
    };
    let mut upper = Vec::with_capacity(items.len());
    let mut lower = Vec::new();
    for item in items {
        if is_slice {
            let lo = match item.lower {
                Some(e) => Some(subscript_int4(ps, e)?),
                // A plain subscript in a slice is `1:n`.
                None if !item.is_slice => Some(super::int4_const(1)),
                None => None,
            };
            lower.push(lo);
        }
        let up = match item.upper {
            Some(e) => Some(subscript_int4(ps, e)?),
            None => None,
        };
        upper.push(up);
    }
    if upper.len() > MAXDIM {
        return Err(Error::analyze(
            SqlState("54000"),
            format!(
                "number of array dimensions ({}) exceeds the maximum allowed ({MAXDIM})",
                upper.len()
            ),
            pos,
        ));
    }
    Ok(Expr::SubscriptingRef(Box::new(SubscriptingRef {
        refcontainertype: container,
        refelemtype: element,
        refrestype: if is_slice { container } else { element },
        reftypmod: typmod,
        refcollid: Oid::INVALID,
        refupperindexpr: upper,
        reflowerindexpr: lower,
        refexpr: base,
        refassgnexpr: None,
    })))
}

/// An array subscript, coerced to `int4` in the assignment context.
fn subscript_int4(ps: &mut ParseState<'_>, raw: &SqlExpr) -> Result<Expr> {
    let pos = position_of(raw);
    let expr = transform_expr(ps, raw)?;
    bridge::coerce_to_target(
        ps.catalog,
        expr,
        INT4,
        -1,
        CoercionContext::Assignment,
        CoercionForm::ImplicitCast,
        pos,
    )?
    .ok_or_else(|| {
        Error::analyze(
            SqlState::DATATYPE_MISMATCH,
            "array subscript must have type integer",
            pos,
        )
    })
}

/// `jsonb_subscript_transform`: no slices; each subscript `integer` or
/// `text` (unknown literals become `text`); the result is `jsonb`.
fn jsonb_subscripts(
    ps: &mut ParseState<'_>,
    base: Expr,
    items: &[RawSubscript<'_>],
    is_slice: bool,
    pos: Option<Position>,
) -> Result<Expr> {
    if is_slice {
        return Err(Error::analyze(
            SqlState::DATATYPE_MISMATCH,
            "jsonb subscript does not support slices",
            pos,
        ));
    }
    let mut upper = Vec::with_capacity(items.len());
    for item in items {
        let Some(raw) = item.upper else {
            return Err(syntax_error("]", pos));
        };
        let item_pos = position_of(raw);
        let expr = transform_expr(ps, raw)?;
        let source = expr.type_oid();
        let target = if source == super::UNKNOWN_TYPE {
            Some(TEXT)
        } else {
            [INT4, TEXT]
                .into_iter()
                .find(|t| bridge::can_coerce_implicitly(ps.catalog, source, *t))
        };
        let Some(target) = target else {
            return Err(Error::analyze(
                SqlState::DATATYPE_MISMATCH,
                format!(
                    "subscript type {} is not supported",
                    ps.catalog.format_type(source)
                ),
                item_pos,
            ));
        };
        let coerced = bridge::coerce_to_target(
            ps.catalog,
            expr,
            target,
            -1,
            CoercionContext::Implicit,
            CoercionForm::ImplicitCast,
            item_pos,
        )?
        .ok_or_else(|| {
            Error::analyze(
                SqlState::DATATYPE_MISMATCH,
                format!(
                    "subscript type {} is not supported",
                    ps.catalog.format_type(source)
                ),
                item_pos,
            )
        })?;
        upper.push(Some(coerced));
    }
    let typmod = base.typmod();
    Ok(Expr::SubscriptingRef(Box::new(SubscriptingRef {
        refcontainertype: JSONB,
        refelemtype: JSONB,
        refrestype: JSONB,
        reftypmod: typmod,
        refcollid: Oid::INVALID,
        refupperindexpr: upper,
        reflowerindexpr: Vec::new(),
        refexpr: base,
        refassgnexpr: None,
    })))
}

/// `(x).name` (`ParseComplexProjection`): a column of a whole-row
/// reference becomes that column's `Var`; a field of another composite
/// value a `FieldSelect`.
fn select_field(
    ps: &mut ParseState<'_>,
    base: Expr,
    name: &str,
    pos: Option<Position>,
) -> Result<Expr> {
    let catalog = ps.catalog;
    let type_oid = base.type_oid();
    // A whole-row Var of the current level: the column itself.
    if let Expr::Var(var) = &base {
        if var.varattno == AttrNumber::WHOLE_ROW && var.varlevelsup == 0 {
            let column = ps
                .rte_columns(var.varno)
                .iter()
                .find(|c| !c.dropped && c.name == name)
                .cloned();
            if let Some(c) = column {
                return Ok(Expr::Var(Var {
                    varno: c.varno,
                    varattno: c.varattno,
                    vartype: c.type_oid,
                    vartypmod: c.typmod,
                    varcollid: c.collation,
                    varlevelsup: 0,
                }));
            }
        }
    }
    if type_oid == Oid::RECORD_TYPE {
        if let Expr::RowExpr(row) = &base {
            if let Some(index) = row.colnames.iter().position(|c| c == name) {
                let field = row.args.get(index).cloned();
                if let Some(field) = field {
                    return Ok(Expr::FieldSelect(Box::new(FieldSelect {
                        resulttype: field.type_oid(),
                        resulttypmod: field.typmod(),
                        resultcollid: field.collation(),
                        arg: base,
                        fieldnum: AttrNumber(i16::try_from(index + 1).unwrap_or(i16::MAX)),
                    })));
                }
            }
        }
        return Err(Error::analyze(
            SqlState::UNDEFINED_COLUMN,
            format!("could not identify column \"{name}\" in record data type"),
            pos,
        ));
    }
    let relid = catalog
        .type_info(type_oid)
        .map(|t| {
            if t.kind == fdw_catalog::builtin::TypeKind::Domain {
                catalog
                    .type_info(t.base_type)
                    .map_or(Oid::INVALID, |b| b.relid)
            } else {
                t.relid
            }
        })
        .unwrap_or(Oid::INVALID);
    let relation = if relid.is_invalid() {
        None
    } else {
        catalog.relation(relid)
    };
    let Some(relation) = relation else {
        return Err(Error::analyze(
            SqlState::WRONG_OBJECT_TYPE,
            format!(
                "column notation .{name} applied to type {}, which is not a composite type",
                catalog.format_type(type_oid)
            ),
            pos,
        ));
    };
    let found = relation
        .columns
        .iter()
        .enumerate()
        .find(|(_, c)| !c.dropped && c.name == name);
    let Some((index, column)) = found else {
        return Err(Error::analyze(
            SqlState::UNDEFINED_COLUMN,
            format!(
                "column \"{name}\" not found in data type {}",
                catalog.format_type(type_oid)
            ),
            pos,
        ));
    };
    let collation = column.collation;
    // A whole-row Var of an outer level names a relation: its column.
    if let Expr::Var(var) = &base {
        if var.varattno == AttrNumber::WHOLE_ROW {
            return Ok(Expr::Var(Var {
                varno: var.varno,
                varattno: AttrNumber(i16::try_from(index + 1).unwrap_or(i16::MAX)),
                vartype: column.type_oid,
                vartypmod: column.typmod,
                varcollid: collation,
                varlevelsup: var.varlevelsup,
            }));
        }
    }
    Ok(Expr::FieldSelect(Box::new(FieldSelect {
        resulttype: column.type_oid,
        resulttypmod: column.typmod,
        resultcollid: collation,
        arg: base,
        fieldnum: AttrNumber(i16::try_from(index + 1).unwrap_or(i16::MAX)),
    })))
}
