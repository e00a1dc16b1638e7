//! Generic walkers over [`Expr`] trees and the small helpers built on them.
//!
//! Children are visited in the order PostgreSQL's `expression_tree_walker`
//! visits them, so "order of first appearance" means the same thing here as
//! in postgres_fdw. Sub-selects (`SubLink::subselect`) are a separate query
//! level and are not entered, as in PostgreSQL's `expression_tree_walker`
//! without `QTW` flags.
//!
//! Walking uses an explicit stack and rewriting recurses at most
//! [`DEFAULT_MAX_DEPTH`] levels, so a pathological tree yields
//! [`Error::TooDeep`] instead of overflowing the stack.
#![warn(clippy::wildcard_enum_match_arm)]

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use smallvec::SmallVec;

use super::{CoercionForm, Expr};
use crate::error::{Error, Result};
use crate::ids::{AttrNumber, RelIndex};

/// The deepest expression nesting the walkers accept. Deep enough for any
/// hand-written query; shallow enough that recursive consumers (deparser,
/// shippability walker) stay far from the end of a 2 MiB thread stack.
pub const DEFAULT_MAX_DEPTH: usize = 512;

/// What a [`walk`] visitor wants next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visit {
    /// Visit this node's children.
    Descend,
    /// Do not visit this node's children; carry on with its siblings.
    Skip,
    /// Stop the whole walk.
    Stop,
}

/// The direct children of a node, in `expression_tree_walker` order.
type Children<'a> = SmallVec<[&'a Expr; 4]>;
/// The direct children of a node, mutably.
type ChildrenMut<'a> = SmallVec<[&'a mut Expr; 4]>;

impl Expr {
    /// The direct sub-expressions of this node, in the order PostgreSQL's
    /// `expression_tree_walker` visits them. A `SubLink`'s sub-select is not
    /// included (it is a query, not an expression), and the `SubPlan`s of an
    /// `AlternativeSubPlan` contribute their own children.
    pub fn children(&self) -> SmallVec<[&Expr; 4]> {
        let mut out = Children::new();
        match self {
            Expr::Var(_)
            | Expr::Const(_)
            | Expr::Param(_)
            | Expr::CaseTestExpr(_)
            | Expr::SqlValueFunction(_)
            | Expr::CoerceToDomainValue(_)
            | Expr::SetToDefault(_)
            | Expr::CurrentOfExpr(_)
            | Expr::NextValueExpr(_) => {}
            Expr::Aggref(agg) => {
                out.extend(agg.aggdirectargs.iter());
                out.extend(agg.args.iter().map(|tle| &tle.expr));
                out.extend(agg.aggfilter.iter());
            }
            Expr::GroupingFunc(grouping) => out.extend(grouping.args.iter()),
            Expr::WindowFunc(win) => {
                out.extend(win.args.iter());
                out.extend(win.aggfilter.iter());
            }
            Expr::SubscriptingRef(sref) => {
                out.extend(sref.refupperindexpr.iter().flatten());
                out.extend(sref.reflowerindexpr.iter().flatten());
                out.push(&sref.refexpr);
                out.extend(sref.refassgnexpr.iter());
            }
            Expr::FuncExpr(func) => out.extend(func.args.iter()),
            Expr::NamedArgExpr(named) => out.push(&named.arg),
            Expr::OpExpr(op) | Expr::DistinctExpr(op) | Expr::NullIfExpr(op) => {
                out.extend(op.args.iter());
            }
            Expr::ScalarArrayOpExpr(saop) => out.extend(saop.args.iter()),
            Expr::BoolExpr(bool_expr) => out.extend(bool_expr.args.iter()),
            Expr::SubLink(sublink) => out.extend(sublink.testexpr.iter()),
            Expr::SubPlan(subplan) => {
                out.extend(subplan.testexpr.iter());
                out.extend(subplan.args.iter());
            }
            Expr::AlternativeSubPlan(alt) => {
                for subplan in &alt.subplans {
                    out.extend(subplan.testexpr.iter());
                    out.extend(subplan.args.iter());
                }
            }
            Expr::FieldSelect(field) => out.push(&field.arg),
            Expr::FieldStore(store) => {
                out.push(&store.arg);
                out.extend(store.newvals.iter());
            }
            Expr::RelabelType(relabel) => out.push(&relabel.arg),
            Expr::CoerceViaIO(coerce) => out.push(&coerce.arg),
            Expr::ArrayCoerceExpr(coerce) => {
                out.push(&coerce.arg);
                out.push(&coerce.elemexpr);
            }
            Expr::ConvertRowtypeExpr(convert) => out.push(&convert.arg),
            Expr::CollateExpr(collate) => out.push(&collate.arg),
            Expr::CaseExpr(case) => {
                out.extend(case.arg.iter());
                for when in &case.args {
                    out.push(&when.expr);
                    out.push(&when.result);
                }
                out.extend(case.defresult.iter());
            }
            Expr::ArrayExpr(array) => out.extend(array.elements.iter()),
            Expr::RowExpr(row) => out.extend(row.args.iter()),
            Expr::RowCompareExpr(rcexpr) => {
                out.extend(rcexpr.largs.iter());
                out.extend(rcexpr.rargs.iter());
            }
            Expr::CoalesceExpr(coalesce) => out.extend(coalesce.args.iter()),
            Expr::MinMaxExpr(minmax) => out.extend(minmax.args.iter()),
            Expr::XmlExpr(xml) => {
                out.extend(xml.named_args.iter());
                out.extend(xml.args.iter());
            }
            Expr::JsonExpr(json) => out.extend(json.args.iter()),
            Expr::NullTest(test) => out.push(&test.arg),
            Expr::BooleanTest(test) => out.push(&test.arg),
            Expr::CoerceToDomain(coerce) => out.push(&coerce.arg),
            Expr::PlaceHolderVar(phv) => out.push(&phv.phexpr),
        }
        out
    }

    /// The direct sub-expressions, mutably, in the same order as [`Expr::children`].
    pub fn children_mut(&mut self) -> SmallVec<[&mut Expr; 4]> {
        let mut out = ChildrenMut::new();
        match self {
            Expr::Var(_)
            | Expr::Const(_)
            | Expr::Param(_)
            | Expr::CaseTestExpr(_)
            | Expr::SqlValueFunction(_)
            | Expr::CoerceToDomainValue(_)
            | Expr::SetToDefault(_)
            | Expr::CurrentOfExpr(_)
            | Expr::NextValueExpr(_) => {}
            Expr::Aggref(agg) => {
                out.extend(agg.aggdirectargs.iter_mut());
                out.extend(agg.args.iter_mut().map(|tle| &mut tle.expr));
                out.extend(agg.aggfilter.iter_mut());
            }
            Expr::GroupingFunc(grouping) => out.extend(grouping.args.iter_mut()),
            Expr::WindowFunc(win) => {
                out.extend(win.args.iter_mut());
                out.extend(win.aggfilter.iter_mut());
            }
            Expr::SubscriptingRef(sref) => {
                out.extend(sref.refupperindexpr.iter_mut().flatten());
                out.extend(sref.reflowerindexpr.iter_mut().flatten());
                out.push(&mut sref.refexpr);
                out.extend(sref.refassgnexpr.iter_mut());
            }
            Expr::FuncExpr(func) => out.extend(func.args.iter_mut()),
            Expr::NamedArgExpr(named) => out.push(&mut named.arg),
            Expr::OpExpr(op) | Expr::DistinctExpr(op) | Expr::NullIfExpr(op) => {
                out.extend(op.args.iter_mut());
            }
            Expr::ScalarArrayOpExpr(saop) => out.extend(saop.args.iter_mut()),
            Expr::BoolExpr(bool_expr) => out.extend(bool_expr.args.iter_mut()),
            Expr::SubLink(sublink) => out.extend(sublink.testexpr.iter_mut()),
            Expr::SubPlan(subplan) => {
                out.extend(subplan.testexpr.iter_mut());
                out.extend(subplan.args.iter_mut());
            }
            Expr::AlternativeSubPlan(alt) => {
                for subplan in &mut alt.subplans {
                    out.extend(subplan.testexpr.iter_mut());
                    out.extend(subplan.args.iter_mut());
                }
            }
            Expr::FieldSelect(field) => out.push(&mut field.arg),
            Expr::FieldStore(store) => {
                out.push(&mut store.arg);
                out.extend(store.newvals.iter_mut());
            }
            Expr::RelabelType(relabel) => out.push(&mut relabel.arg),
            Expr::CoerceViaIO(coerce) => out.push(&mut coerce.arg),
            Expr::ArrayCoerceExpr(coerce) => {
                out.push(&mut coerce.arg);
                out.push(&mut coerce.elemexpr);
            }
            Expr::ConvertRowtypeExpr(convert) => out.push(&mut convert.arg),
            Expr::CollateExpr(collate) => out.push(&mut collate.arg),
            Expr::CaseExpr(case) => {
                out.extend(case.arg.iter_mut());
                for when in &mut case.args {
                    out.push(&mut when.expr);
                    out.push(&mut when.result);
                }
                out.extend(case.defresult.iter_mut());
            }
            Expr::ArrayExpr(array) => out.extend(array.elements.iter_mut()),
            Expr::RowExpr(row) => out.extend(row.args.iter_mut()),
            Expr::RowCompareExpr(rcexpr) => {
                out.extend(rcexpr.largs.iter_mut());
                out.extend(rcexpr.rargs.iter_mut());
            }
            Expr::CoalesceExpr(coalesce) => out.extend(coalesce.args.iter_mut()),
            Expr::MinMaxExpr(minmax) => out.extend(minmax.args.iter_mut()),
            Expr::XmlExpr(xml) => {
                out.extend(xml.named_args.iter_mut());
                out.extend(xml.args.iter_mut());
            }
            Expr::JsonExpr(json) => out.extend(json.args.iter_mut()),
            Expr::NullTest(test) => out.push(&mut test.arg),
            Expr::BooleanTest(test) => out.push(&mut test.arg),
            Expr::CoerceToDomain(coerce) => out.push(&mut coerce.arg),
            Expr::PlaceHolderVar(phv) => out.push(&mut phv.phexpr),
        }
        out
    }
}

/// Visits `expr` and its descendants in pre-order (a node before its
/// children, children left to right) with at most [`DEFAULT_MAX_DEPTH`]
/// levels.
///
/// Returns `ControlFlow::Break(())` when the visitor returned [`Visit::Stop`].
///
/// # Errors
///
/// [`Error::TooDeep`] when the tree is nested deeper than the limit; nodes
/// up to that point have been visited.
pub fn walk<F>(expr: &Expr, visitor: F) -> Result<ControlFlow<()>>
where
    F: FnMut(&Expr) -> Visit,
{
    walk_with_limit(expr, DEFAULT_MAX_DEPTH, visitor)
}

/// [`walk`] with an explicit depth limit (`max_depth` levels, the root being
/// level 1).
///
/// # Errors
///
/// [`Error::TooDeep`] when the tree is nested deeper than `max_depth`.
pub fn walk_with_limit<F>(expr: &Expr, max_depth: usize, mut visitor: F) -> Result<ControlFlow<()>>
where
    F: FnMut(&Expr) -> Visit,
{
    let mut stack: Vec<(&Expr, usize)> = vec![(expr, 1)];
    while let Some((node, depth)) = stack.pop() {
        if depth > max_depth {
            return Err(Error::TooDeep { limit: max_depth });
        }
        match visitor(node) {
            Visit::Descend => {
                // Reversed so that the leftmost child is popped first.
                stack.extend(node.children().into_iter().rev().map(|c| (c, depth + 1)));
            }
            Visit::Skip => {}
            Visit::Stop => return Ok(ControlFlow::Break(())),
        }
    }
    Ok(ControlFlow::Continue(()))
}

/// True when `pred` holds for `expr` or any descendant.
///
/// # Errors
///
/// [`Error::TooDeep`] when the tree is nested deeper than [`DEFAULT_MAX_DEPTH`].
pub fn any_node<F>(expr: &Expr, mut pred: F) -> Result<bool>
where
    F: FnMut(&Expr) -> bool,
{
    let flow = walk(expr, |node| {
        if pred(node) {
            Visit::Stop
        } else {
            Visit::Descend
        }
    })?;
    Ok(flow.is_break())
}

/// Rewrites `expr` bottom-up in place: children first, then `f` on the node
/// itself (which may replace it wholesale by assigning to `*node`).
///
/// # Errors
///
/// [`Error::TooDeep`] when the tree is nested deeper than
/// [`DEFAULT_MAX_DEPTH`], or the first error `f` returns; the tree may then
/// be partly rewritten.
pub fn transform_up<F>(expr: &mut Expr, f: &mut F) -> Result<()>
where
    F: FnMut(&mut Expr) -> Result<()>,
{
    transform_up_at(expr, 1, f)
}

fn transform_up_at<F>(expr: &mut Expr, depth: usize, f: &mut F) -> Result<()>
where
    F: FnMut(&mut Expr) -> Result<()>,
{
    if depth > DEFAULT_MAX_DEPTH {
        return Err(Error::TooDeep {
            limit: DEFAULT_MAX_DEPTH,
        });
    }
    for child in expr.children_mut() {
        transform_up_at(child, depth + 1, f)?;
    }
    f(expr)
}

/// The `(varno, varattno)` of every `Var` of the current query level
/// (`varlevelsup = 0`) in `exprs`, in order of first appearance, without
/// duplicates. Vars inside aggregates and placeholders are included (like
/// `pull_var_clause` with `PVC_RECURSE_AGGREGATES | PVC_RECURSE_PLACEHOLDERS`);
/// sub-selects are not entered.
///
/// # Errors
///
/// [`Error::TooDeep`] when an expression is nested deeper than [`DEFAULT_MAX_DEPTH`].
pub fn pull_var_refs<'a, I>(exprs: I) -> Result<Vec<(RelIndex, AttrNumber)>>
where
    I: IntoIterator<Item = &'a Expr>,
{
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for expr in exprs {
        // The visitor never stops early, so the flow is always `Continue`.
        let _flow = walk(expr, |node| {
            if let Expr::Var(var) = node {
                let key = (var.varno, var.varattno);
                if var.varlevelsup == 0 && seen.insert(key) {
                    out.push(key);
                }
            }
            Visit::Descend
        })?;
    }
    Ok(out)
}

/// True when `expr` contains an aggregate or `GROUPING()` of the current
/// query level (`contain_agg_clause`).
///
/// # Errors
///
/// [`Error::TooDeep`] when the tree is nested deeper than [`DEFAULT_MAX_DEPTH`].
pub fn contains_aggregate(expr: &Expr) -> Result<bool> {
    any_node(expr, |node| {
        if let Expr::Aggref(agg) = node {
            agg.agglevelsup == 0
        } else if let Expr::GroupingFunc(grouping) = node {
            grouping.agglevelsup == 0
        } else {
            false
        }
    })
}

/// True when `expr` contains a window function call (`contain_window_function`).
///
/// # Errors
///
/// [`Error::TooDeep`] when the tree is nested deeper than [`DEFAULT_MAX_DEPTH`].
pub fn contains_window_function(expr: &Expr) -> Result<bool> {
    any_node(expr, |node| matches!(node, Expr::WindowFunc(_)))
}

/// True when evaluating `expr` can return a set (`expression_returns_set`):
/// it contains a set-returning function or operator outside of aggregate and
/// window-function arguments (which cannot hold one).
///
/// # Errors
///
/// [`Error::TooDeep`] when the tree is nested deeper than [`DEFAULT_MAX_DEPTH`].
pub fn expression_returns_set(expr: &Expr) -> Result<bool> {
    let flow = walk(expr, |node| {
        let returns_set = if let Expr::FuncExpr(func) = node {
            func.funcretset
        } else if let Expr::OpExpr(op) = node {
            op.opretset
        } else {
            false
        };
        if returns_set {
            Visit::Stop
        } else if matches!(
            node,
            Expr::Aggref(_) | Expr::GroupingFunc(_) | Expr::WindowFunc(_)
        ) {
            Visit::Skip
        } else {
            Visit::Descend
        }
    })?;
    Ok(flow.is_break())
}

/// Strips implicit coercions from the top of `expr` (`strip_implicit_coercions`):
/// a `FuncExpr` written as an implicit cast gives way to its first argument;
/// `RelabelType`, `CoerceViaIO`, `ArrayCoerceExpr`, `ConvertRowtypeExpr` and
/// `CoerceToDomain` of implicit form give way to their argument. Nodes below
/// the first explicit one are not touched.
pub fn strip_implicit_coercions(expr: &Expr) -> &Expr {
    let mut current = expr;
    while let Some((CoercionForm::ImplicitCast, arg)) = coercion_arg(current) {
        current = arg;
    }
    current
}

/// The form and argument of a coercion node, `None` for anything else.
fn coercion_arg(expr: &Expr) -> Option<(CoercionForm, &Expr)> {
    match expr {
        Expr::FuncExpr(func) => func.args.first().map(|first| (func.funcformat, first)),
        Expr::RelabelType(relabel) => Some((relabel.relabelformat, &relabel.arg)),
        Expr::CoerceViaIO(coerce) => Some((coerce.coerceformat, &coerce.arg)),
        Expr::ArrayCoerceExpr(coerce) => Some((coerce.coerceformat, &coerce.arg)),
        Expr::ConvertRowtypeExpr(convert) => Some((convert.convertformat, &convert.arg)),
        Expr::CoerceToDomain(coerce) => Some((coerce.coercionformat, &coerce.arg)),
        Expr::Var(_)
        | Expr::Const(_)
        | Expr::Param(_)
        | Expr::Aggref(_)
        | Expr::GroupingFunc(_)
        | Expr::WindowFunc(_)
        | Expr::SubscriptingRef(_)
        | Expr::NamedArgExpr(_)
        | Expr::OpExpr(_)
        | Expr::DistinctExpr(_)
        | Expr::NullIfExpr(_)
        | Expr::ScalarArrayOpExpr(_)
        | Expr::BoolExpr(_)
        | Expr::SubLink(_)
        | Expr::SubPlan(_)
        | Expr::AlternativeSubPlan(_)
        | Expr::FieldSelect(_)
        | Expr::FieldStore(_)
        | Expr::CollateExpr(_)
        | Expr::CaseExpr(_)
        | Expr::CaseTestExpr(_)
        | Expr::ArrayExpr(_)
        | Expr::RowExpr(_)
        | Expr::RowCompareExpr(_)
        | Expr::CoalesceExpr(_)
        | Expr::MinMaxExpr(_)
        | Expr::SqlValueFunction(_)
        | Expr::XmlExpr(_)
        | Expr::JsonExpr(_)
        | Expr::NullTest(_)
        | Expr::BooleanTest(_)
        | Expr::CoerceToDomainValue(_)
        | Expr::SetToDefault(_)
        | Expr::CurrentOfExpr(_)
        | Expr::NextValueExpr(_)
        | Expr::PlaceHolderVar(_) => None,
    }
}
