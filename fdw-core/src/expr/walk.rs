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
//! [`Error::TooDeep`] instead of overflowing the stack. The derived `Clone`,
//! `PartialEq`, `Hash` and `Drop` of [`Expr`] do recurse (about 1 KiB of
//! stack per level in debug builds), so whoever builds trees (the SQL front
//! end) must also refuse input nested deeper than [`DEFAULT_MAX_DEPTH`].
#![warn(clippy::wildcard_enum_match_arm)]

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use smallvec::SmallVec;

use super::{CoercionForm, Expr, Var};
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
        self.for_each_child(&mut |child| out.push(child));
        out
    }

    /// Calls `f` on each direct sub-expression, in [`Expr::children`]'s
    /// order, without collecting them (the walkers push them straight onto
    /// their stack).
    pub fn for_each_child<'a>(&'a self, f: &mut impl FnMut(&'a Expr)) {
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
                agg.aggdirectargs.iter().for_each(&mut *f);
                agg.args.iter().map(|tle| &tle.expr).for_each(&mut *f);
                agg.aggfilter.iter().for_each(&mut *f);
            }
            Expr::GroupingFunc(grouping) => grouping.args.iter().for_each(&mut *f),
            Expr::WindowFunc(win) => {
                win.args.iter().for_each(&mut *f);
                win.aggfilter.iter().for_each(&mut *f);
            }
            Expr::SubscriptingRef(sref) => {
                sref.refupperindexpr.iter().flatten().for_each(&mut *f);
                sref.reflowerindexpr.iter().flatten().for_each(&mut *f);
                f(&sref.refexpr);
                sref.refassgnexpr.iter().for_each(&mut *f);
            }
            Expr::FuncExpr(func) => func.args.iter().for_each(&mut *f),
            Expr::NamedArgExpr(named) => f(&named.arg),
            Expr::OpExpr(op) | Expr::DistinctExpr(op) | Expr::NullIfExpr(op) => {
                op.args.iter().for_each(&mut *f);
            }
            Expr::ScalarArrayOpExpr(saop) => saop.args.iter().for_each(&mut *f),
            Expr::BoolExpr(bool_expr) => bool_expr.args.iter().for_each(&mut *f),
            Expr::SubLink(sublink) => sublink.testexpr.iter().for_each(&mut *f),
            Expr::SubPlan(subplan) => {
                subplan.testexpr.iter().for_each(&mut *f);
                subplan.args.iter().for_each(&mut *f);
            }
            Expr::AlternativeSubPlan(alt) => {
                for subplan in &alt.subplans {
                    subplan.testexpr.iter().for_each(&mut *f);
                    subplan.args.iter().for_each(&mut *f);
                }
            }
            Expr::FieldSelect(field) => f(&field.arg),
            Expr::FieldStore(store) => {
                f(&store.arg);
                store.newvals.iter().for_each(&mut *f);
            }
            Expr::RelabelType(relabel) => f(&relabel.arg),
            Expr::CoerceViaIO(coerce) => f(&coerce.arg),
            Expr::ArrayCoerceExpr(coerce) => {
                f(&coerce.arg);
                f(&coerce.elemexpr);
            }
            Expr::ConvertRowtypeExpr(convert) => f(&convert.arg),
            Expr::CollateExpr(collate) => f(&collate.arg),
            Expr::CaseExpr(case) => {
                case.arg.iter().for_each(&mut *f);
                for when in &case.args {
                    f(&when.expr);
                    f(&when.result);
                }
                case.defresult.iter().for_each(&mut *f);
            }
            Expr::ArrayExpr(array) => array.elements.iter().for_each(&mut *f),
            Expr::RowExpr(row) => row.args.iter().for_each(&mut *f),
            Expr::RowCompareExpr(rcexpr) => {
                rcexpr.largs.iter().for_each(&mut *f);
                rcexpr.rargs.iter().for_each(&mut *f);
            }
            Expr::CoalesceExpr(coalesce) => coalesce.args.iter().for_each(&mut *f),
            Expr::MinMaxExpr(minmax) => minmax.args.iter().for_each(&mut *f),
            Expr::XmlExpr(xml) => {
                xml.named_args.iter().for_each(&mut *f);
                xml.args.iter().for_each(&mut *f);
            }
            Expr::JsonExpr(json) => json.args.iter().for_each(&mut *f),
            Expr::NullTest(test) => f(&test.arg),
            Expr::BooleanTest(test) => f(&test.arg),
            Expr::CoerceToDomain(coerce) => f(&coerce.arg),
            Expr::PlaceHolderVar(phv) => f(&phv.phexpr),
        }
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
///
/// # Example
///
/// ```
/// use fdw_core::expr::{walk, BoolExpr, BoolExprType, Expr, Var, Visit};
/// use fdw_core::{AttrNumber, Oid, RelIndex};
///
/// // NOT b, for a boolean column b.
/// let b = Expr::Var(Var::new(RelIndex(1), AttrNumber(4), Oid::BOOL_TYPE, -1, Oid::INVALID));
/// let not_b = Expr::BoolExpr(Box::new(BoolExpr {
///     boolop: BoolExprType::Not,
///     args: [b].into_iter().collect(),
/// }));
/// let mut n_nodes = 0;
/// let flow = walk(&not_b, |_| {
///     n_nodes += 1;
///     Visit::Descend
/// })?;
/// assert!(flow.is_continue());
/// assert_eq!(n_nodes, 2);
/// # Ok::<(), fdw_core::Error>(())
/// ```
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
    // Inline room for the pending nodes of an ordinary condition: the
    // planner walks every clause several times, and a heap-allocated stack
    // per walk was a measurable share of planning.
    let mut stack: SmallVec<[(&Expr, usize); 32]> = SmallVec::new();
    stack.push((expr, 1));
    while let Some((node, depth)) = stack.pop() {
        if depth > max_depth {
            return Err(Error::TooDeep { limit: max_depth });
        }
        match visitor(node) {
            Visit::Descend => {
                // Pushed in order, then reversed in place so that the
                // leftmost child is popped first.
                let first = stack.len();
                node.for_each_child(&mut |child| stack.push((child, depth + 1)));
                if let Some(pushed) = stack.get_mut(first..) {
                    pushed.reverse();
                }
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
///
/// # Example
///
/// ```
/// use fdw_core::expr::{pull_var_refs, Const, Expr, Var};
/// use fdw_core::{AttrNumber, Oid, RelIndex};
///
/// let int4 = Oid(23);
/// let c2 = Expr::Var(Var::new(RelIndex(1), AttrNumber(2), int4, -1, Oid::INVALID));
/// let one = Expr::Const(Const::new(int4, Oid::INVALID, "1"));
/// let refs = pull_var_refs([&c2, &one, &c2])?;
/// assert_eq!(refs, [(RelIndex(1), AttrNumber(2))]);
/// # Ok::<(), fdw_core::Error>(())
/// ```
pub fn pull_var_refs<'a, I>(exprs: I) -> Result<Vec<(RelIndex, AttrNumber)>>
where
    I: IntoIterator<Item = &'a Expr>,
{
    Ok(pull_vars(exprs)?
        .into_iter()
        .map(|var| (var.varno, var.varattno))
        .collect())
}

/// [`pull_var_refs`] as the `Var` nodes themselves: for each column, the
/// node where it first appears in a depth-first walk of `exprs` in order.
///
/// # Errors
///
/// [`Error::TooDeep`] when an expression is nested deeper than [`DEFAULT_MAX_DEPTH`].
pub fn pull_vars<'a, I>(exprs: I) -> Result<Vec<&'a Var>>
where
    I: IntoIterator<Item = &'a Expr>,
{
    // Duplicates are found by scanning `out` while it is short (the usual
    // case: a condition names a column or two) and through a set past that,
    // so that a long list stays linear-logarithmic.
    const LINEAR_LIMIT: usize = 16;
    let mut seen: BTreeSet<(RelIndex, AttrNumber)> = BTreeSet::new();
    let mut out: Vec<&'a Var> = Vec::new();
    // The walk is written out (not `walk`'s visitor) to keep references to
    // the nodes found.
    let mut stack: SmallVec<[(&'a Expr, usize); 32]> = SmallVec::new();
    for expr in exprs {
        stack.push((expr, 1));
        while let Some((node, depth)) = stack.pop() {
            if depth > DEFAULT_MAX_DEPTH {
                return Err(Error::TooDeep {
                    limit: DEFAULT_MAX_DEPTH,
                });
            }
            if let Expr::Var(var) = node {
                if var.varlevelsup == 0 {
                    let key = (var.varno, var.varattno);
                    let new = if out.len() < LINEAR_LIMIT {
                        !out.iter().any(|v| (v.varno, v.varattno) == key)
                    } else {
                        if seen.is_empty() {
                            seen.extend(out.iter().map(|v| (v.varno, v.varattno)));
                        }
                        seen.insert(key)
                    };
                    if new {
                        out.push(var);
                    }
                }
                continue;
            }
            // Pushed in order, then reversed so the leftmost child is next.
            let first = stack.len();
            node.for_each_child(&mut |child| stack.push((child, depth + 1)));
            if let Some(pushed) = stack.get_mut(first..) {
                pushed.reverse();
            }
        }
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
    if surely_returns_no_set(expr, SHALLOW_SET_CHECK_DEPTH) {
        return Ok(false);
    }
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

/// How deep [`surely_returns_no_set`] looks before leaving the question to
/// the general walk: deep enough for the usual `column op constant`
/// condition under a cast or two.
const SHALLOW_SET_CHECK_DEPTH: u32 = 4;

/// Whether `expr` certainly returns no set, judged from its top `depth`
/// levels: columns, constants and parameters, and the common operator,
/// function, boolean and coercion nodes over them that do not return a set
/// themselves. `false` means "not known", and [`expression_returns_set`]
/// then walks the whole expression. Parse analysis asks this of every
/// condition of a `WHERE` or `AND` list, and the general walk over each was
/// a noticeable share of it.
fn surely_returns_no_set(expr: &Expr, depth: u32) -> bool {
    let Some(below) = depth.checked_sub(1) else {
        return false;
    };
    let all = |args: &[Expr]| args.iter().all(|a| surely_returns_no_set(a, below));
    match expr {
        Expr::Var(_) | Expr::Const(_) | Expr::Param(_) => true,
        Expr::OpExpr(op) => !op.opretset && all(&op.args),
        Expr::FuncExpr(func) => !func.funcretset && all(&func.args),
        Expr::ScalarArrayOpExpr(op) => all(&op.args),
        Expr::BoolExpr(b) => all(&b.args),
        Expr::RelabelType(r) => surely_returns_no_set(&r.arg, below),
        Expr::CoerceViaIO(c) => surely_returns_no_set(&c.arg, below),
        Expr::NullTest(n) => surely_returns_no_set(&n.arg, below),
        // Not known from here: left to the general walk.
        Expr::Aggref(_)
        | Expr::GroupingFunc(_)
        | Expr::WindowFunc(_)
        | Expr::SubscriptingRef(_)
        | Expr::NamedArgExpr(_)
        | Expr::DistinctExpr(_)
        | Expr::NullIfExpr(_)
        | Expr::SubLink(_)
        | Expr::SubPlan(_)
        | Expr::AlternativeSubPlan(_)
        | Expr::FieldSelect(_)
        | Expr::FieldStore(_)
        | Expr::ArrayCoerceExpr(_)
        | Expr::ConvertRowtypeExpr(_)
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
        | Expr::BooleanTest(_)
        | Expr::CoerceToDomain(_)
        | Expr::CoerceToDomainValue(_)
        | Expr::SetToDefault(_)
        | Expr::CurrentOfExpr(_)
        | Expr::NextValueExpr(_)
        | Expr::PlaceHolderVar(_) => false,
    }
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

#[cfg(test)]
mod tests {
    use smallvec::smallvec;

    use super::super::fixtures::*;
    use super::super::*;
    use super::*;
    use crate::ids::Oid;
    use crate::query::Query;

    /// `NOT NOT ... NOT (c1 = 1)` with `depth` levels in all.
    fn not_chain(depth: usize) -> Expr {
        let mut expr = int_eq(int_var(1, 1), int_const(1));
        // The OpExpr and its arguments take two levels.
        for _ in 2..depth {
            expr = not(expr);
        }
        expr
    }

    fn kinds_in_pre_order(expr: &Expr) -> Vec<&'static str> {
        let mut out = Vec::new();
        let flow = walk(expr, |node| {
            out.push(kind_name(node));
            Visit::Descend
        })
        .unwrap();
        assert!(flow.is_continue());
        out
    }

    #[test]
    fn walk_accepts_tree_at_depth_limit() {
        let expr = not_chain(DEFAULT_MAX_DEPTH);
        let mut visited = 0;
        let flow = walk(&expr, |_| {
            visited += 1;
            Visit::Descend
        })
        .unwrap();
        assert!(flow.is_continue());
        // DEFAULT_MAX_DEPTH - 2 NOTs, one OpExpr, two leaves.
        assert_eq!(visited, DEFAULT_MAX_DEPTH + 1);
    }

    #[test]
    fn walk_rejects_tree_beyond_depth_limit() {
        let expr = not_chain(DEFAULT_MAX_DEPTH + 1);
        let err = walk(&expr, |_| Visit::Descend).unwrap_err();
        assert_eq!(
            err,
            Error::TooDeep {
                limit: DEFAULT_MAX_DEPTH
            }
        );
        assert_eq!(
            err.to_string(),
            format!("expression nested deeper than {DEFAULT_MAX_DEPTH} levels")
        );
    }

    #[test]
    fn very_deep_tree_gives_error_not_stack_overflow() {
        // Twice the limit: deep enough to prove the limit bites, shallow
        // enough for the derived (recursive) drop of the test tree itself.
        let mut expr = not_chain(2 * DEFAULT_MAX_DEPTH);
        assert!(matches!(
            any_node(&expr, |_| false),
            Err(Error::TooDeep { .. })
        ));
        assert!(matches!(pull_var_refs([&expr]), Err(Error::TooDeep { .. })));
        assert!(matches!(
            transform_up(&mut expr, &mut |_| Ok(())),
            Err(Error::TooDeep { .. })
        ));
    }

    #[test]
    fn walk_with_limit_counts_the_root_as_level_one() {
        let expr = not(int_var(1, 1));
        assert!(walk_with_limit(&expr, 2, |_| Visit::Descend).is_ok());
        assert_eq!(
            walk_with_limit(&expr, 1, |_| Visit::Descend),
            Err(Error::TooDeep { limit: 1 })
        );
    }

    #[test]
    fn skipped_children_are_not_depth_checked() {
        // (c1 = 1) AND (NOT NOT ... too deep): skipping the second
        // conjunct means its depth is never looked at.
        let expr = and(smallvec![
            int_eq(int_var(1, 1), int_const(1)),
            not_chain(DEFAULT_MAX_DEPTH + 10),
        ]);
        let mut visited = Vec::new();
        let flow = walk(&expr, |node| {
            visited.push(kind_name(node));
            if matches!(node, Expr::BoolExpr(b) if b.boolop == BoolExprType::Not) {
                Visit::Skip
            } else {
                Visit::Descend
            }
        })
        .unwrap();
        assert!(flow.is_continue());
        assert_eq!(visited, ["BoolExpr", "OpExpr", "Var", "Const", "BoolExpr"]);
    }

    #[test]
    fn walk_visits_in_pre_order_left_to_right() {
        // (c1 = 1) AND (c3 IS NULL)
        let expr = and(smallvec![
            int_eq(int_var(1, 1), int_const(1)),
            Expr::NullTest(Box::new(NullTest {
                arg: text_var(1, 3),
                nulltesttype: NullTestType::IsNull,
                argisrow: false,
            })),
        ]);
        assert_eq!(
            kinds_in_pre_order(&expr),
            ["BoolExpr", "OpExpr", "Var", "Const", "NullTest", "Var"]
        );
    }

    #[test]
    fn stop_ends_the_walk_early() {
        let expr = and(smallvec![int_var(1, 1), int_var(1, 2), int_var(1, 3)]);
        let mut visited = Vec::new();
        let flow = walk(&expr, |node| {
            if let Expr::Var(var) = node {
                visited.push(var.varattno.0);
                if var.varattno == AttrNumber(2) {
                    return Visit::Stop;
                }
            }
            Visit::Descend
        })
        .unwrap();
        assert!(flow.is_break());
        assert_eq!(visited, [1, 2]);
    }

    #[test]
    fn case_children_follow_expression_tree_walker_order() {
        // CASE c1 WHEN 1 THEN 'a' ELSE 'b' END
        let case = Expr::CaseExpr(Box::new(CaseExpr {
            casetype: TEXT,
            casecollid: DEFAULT_COLL,
            arg: Some(int_var(1, 1)),
            args: vec![CaseWhen {
                expr: int_eq(
                    Expr::CaseTestExpr(CaseTestExpr {
                        type_id: INT4,
                        type_mod: -1,
                        collation: Oid::INVALID,
                    }),
                    int_const(1),
                ),
                result: text_const("a"),
            }],
            defresult: Some(text_const("b")),
        }));
        let children: Vec<&str> = case.children().into_iter().map(kind_name).collect();
        assert_eq!(children, ["Var", "OpExpr", "Const", "Const"]);
        assert_eq!(case.children()[3], &text_const("b"));
    }

    #[test]
    fn subscripting_children_are_upper_lower_container_then_assignment() {
        // arr[1:2] := 7, with an omitted lower bound of the second dimension.
        let sref = Expr::SubscriptingRef(Box::new(SubscriptingRef {
            refcontainertype: INT4_ARRAY,
            refelemtype: INT4,
            refrestype: INT4_ARRAY,
            reftypmod: -1,
            refcollid: Oid::INVALID,
            refupperindexpr: vec![Some(int_const(2)), Some(int_const(4))],
            reflowerindexpr: vec![Some(int_const(1)), None],
            refexpr: int_var(1, 9),
            refassgnexpr: Some(int_const(7)),
        }));
        let children: Vec<&Expr> = sref.children().into_iter().collect();
        assert_eq!(
            children,
            [
                &int_const(2),
                &int_const(4),
                &int_const(1),
                &int_var(1, 9),
                &int_const(7)
            ]
        );
    }

    #[test]
    fn children_mut_matches_children() {
        let mut wrong = Vec::new();
        for sample in one_of_each_kind() {
            let mut expr = sample.expr;
            let shared: Vec<Expr> = expr.children().into_iter().cloned().collect();
            let mutable: Vec<Expr> = expr.children_mut().into_iter().map(|c| c.clone()).collect();
            if shared != mutable {
                wrong.push(kind_name(&expr));
            }
        }
        assert!(wrong.is_empty(), "{wrong:?}");
    }

    #[test]
    fn pulls_vars_in_order_of_first_appearance_without_duplicates() {
        // WHERE (c3 = 'x') AND (c1 = c2) AND (c1 = 5), then target c8, c3.
        let quals = and(smallvec![
            op(
                TEXT_EQ,
                Oid::BOOL_TYPE,
                DEFAULT_COLL,
                smallvec![text_var(1, 3), text_const("x")]
            ),
            int_eq(int_var(1, 1), int_var(2, 2)),
            int_eq(int_var(1, 1), int_const(5)),
        ]);
        let targets = [int_var(1, 8), text_var(1, 3)];
        let refs = pull_var_refs(std::iter::once(&quals).chain(targets.iter())).unwrap();
        assert_eq!(
            refs,
            [
                (RelIndex(1), AttrNumber(3)),
                (RelIndex(1), AttrNumber(1)),
                (RelIndex(2), AttrNumber(2)),
                (RelIndex(1), AttrNumber(8)),
            ]
        );
    }

    #[test]
    fn pull_var_refs_skips_outer_level_vars_and_enters_aggregates() {
        let mut outer = Var::new(RelIndex(1), AttrNumber(4), INT4, -1, Oid::INVALID);
        outer.varlevelsup = 1;
        let mut sum = count_star();
        sum.aggstar = false;
        sum.args = vec![target(int_var(2, 7), 1)];
        sum.aggfilter = Some(int_eq(Expr::Var(outer), int_var(2, 1)));
        let refs = pull_var_refs([&Expr::Aggref(Box::new(sum))]).unwrap();
        assert_eq!(
            refs,
            [(RelIndex(2), AttrNumber(7)), (RelIndex(2), AttrNumber(1))]
        );
    }

    #[test]
    fn pull_var_refs_dedups_long_lists_in_first_appearance_order() {
        // Forty columns, each named three times in a scrambled order: past
        // the short-list scan the set takes over and must agree with it.
        let order: Vec<i16> = (0..120).map(|i| (i * 7 % 40) + 1).collect();
        let exprs: Vec<Expr> = order
            .iter()
            .map(|&att| int_eq(int_var(1, att), int_var(2, 41 - att)))
            .collect();
        let refs = pull_var_refs(&exprs).unwrap();
        let mut expected = Vec::new();
        for &att in &order {
            for key in [
                (RelIndex(1), AttrNumber(att)),
                (RelIndex(2), AttrNumber(41 - att)),
            ] {
                if !expected.contains(&key) {
                    expected.push(key);
                }
            }
        }
        assert_eq!(expected.len(), 80);
        assert_eq!(refs, expected);
    }

    #[test]
    fn pull_var_refs_keeps_whole_row_and_system_columns() {
        let whole_row = Expr::Var(Var::new(
            RelIndex(3),
            AttrNumber::WHOLE_ROW,
            USER_ROW,
            -1,
            Oid::INVALID,
        ));
        let ctid = Expr::Var(Var::new(
            RelIndex(3),
            AttrNumber::CTID,
            Oid(27),
            -1,
            Oid::INVALID,
        ));
        let refs = pull_var_refs([&whole_row, &ctid]).unwrap();
        assert_eq!(
            refs,
            [
                (RelIndex(3), AttrNumber::WHOLE_ROW),
                (RelIndex(3), AttrNumber::CTID)
            ]
        );
    }

    #[test]
    fn finds_aggregate_below_operator() {
        let expr = op(
            INT4_LT,
            Oid::BOOL_TYPE,
            Oid::INVALID,
            smallvec![int_const(5), Expr::Aggref(Box::new(count_star()))],
        );
        assert!(contains_aggregate(&expr).unwrap());
    }

    #[test]
    fn outer_level_aggregate_does_not_count() {
        let mut outer = count_star();
        outer.agglevelsup = 1;
        assert!(!contains_aggregate(&Expr::Aggref(Box::new(outer))).unwrap());
    }

    #[test]
    fn grouping_func_counts_as_aggregate() {
        let grouping = Expr::GroupingFunc(Box::new(GroupingFunc {
            args: smallvec![int_var(1, 2)],
            refs: vec![1],
            cols: vec![1],
            agglevelsup: 0,
        }));
        assert!(contains_aggregate(&grouping).unwrap());
    }

    #[test]
    fn aggregate_inside_sub_select_is_not_seen() {
        let subselect = Query {
            target_list: vec![target(Expr::Aggref(Box::new(count_star())), 1)],
            ..Query::default()
        };
        let sublink = Expr::SubLink(Box::new(SubLink {
            sublinktype: SubLinkType::Expr,
            sublinkid: 0,
            testexpr: None,
            oper_name: Vec::new(),
            subselect: Box::new(subselect),
            result_type: INT8,
            result_typmod: -1,
            result_collation: Oid::INVALID,
        }));
        assert!(!contains_aggregate(&sublink).unwrap());
        assert!(pull_var_refs([&sublink]).unwrap().is_empty());
    }

    #[test]
    fn finds_window_function() {
        let samples = one_of_each_kind();
        let with_window: Vec<&str> = samples
            .iter()
            .filter(|sample| contains_window_function(&sample.expr).unwrap())
            .map(|sample| kind_name(&sample.expr))
            .collect();
        assert_eq!(with_window, ["WindowFunc"]);
    }

    fn generate_series() -> Expr {
        let mut srf = func(
            Oid(1067),
            INT4,
            CoercionForm::ExplicitCall,
            Oid::INVALID,
            smallvec![int_const(1), int_const(3)],
        );
        if let Expr::FuncExpr(call) = &mut srf {
            call.funcretset = true;
        }
        srf
    }

    #[test]
    fn set_returning_function_returns_set() {
        let expr = int_eq(int_var(1, 1), generate_series());
        assert!(expression_returns_set(&expr).unwrap());
    }

    #[test]
    fn set_returning_function_below_the_shallow_check_is_found() {
        // Deeper than `SHALLOW_SET_CHECK_DEPTH`: the general walk decides.
        let mut expr = int_eq(int_var(1, 1), generate_series());
        for _ in 0..SHALLOW_SET_CHECK_DEPTH {
            expr = not(expr);
        }
        assert!(expression_returns_set(&expr).unwrap());
        assert!(!expression_returns_set(&not(int_eq(int_var(1, 1), int_const(3)))).unwrap());
    }

    #[test]
    fn set_returning_function_inside_aggregate_does_not_return_set() {
        let mut agg = count_star();
        agg.aggstar = false;
        agg.args = vec![target(generate_series(), 1)];
        assert!(!expression_returns_set(&Expr::Aggref(Box::new(agg))).unwrap());
    }

    #[test]
    fn strips_nested_implicit_coercions() {
        let var = Expr::Var(Var::new(
            RelIndex(1),
            AttrNumber(6),
            VARCHAR,
            14,
            DEFAULT_COLL,
        ));
        let relabeled = implicit_relabel(var.clone(), TEXT, DEFAULT_COLL);
        let cast = func(
            Oid(401),
            TEXT,
            CoercionForm::ImplicitCast,
            DEFAULT_COLL,
            smallvec![relabeled],
        );
        assert_eq!(strip_implicit_coercions(&cast), &var);
    }

    #[test]
    fn stops_stripping_at_explicit_cast() {
        let explicit = Expr::RelabelType(Box::new(RelabelType {
            arg: implicit_relabel(text_var(1, 3), TEXT, DEFAULT_COLL),
            resulttype: TEXT,
            resulttypmod: -1,
            resultcollid: DEFAULT_COLL,
            relabelformat: CoercionForm::ExplicitCast,
        }));
        let outer = implicit_relabel(explicit.clone(), TEXT, DEFAULT_COLL);
        assert_eq!(strip_implicit_coercions(&outer), &explicit);
        assert_eq!(strip_implicit_coercions(&int_var(1, 1)), &int_var(1, 1));
    }

    #[test]
    fn transform_up_replaces_other_relations_vars_with_params() {
        // r1.c1 = r2.c1 seen from r1: the r2 Var becomes an executor param.
        let mut expr = int_eq(int_var(1, 1), int_var(2, 1));
        let mut order = Vec::new();
        transform_up(&mut expr, &mut |node| {
            order.push(kind_name(node));
            if let Expr::Var(var) = node {
                if var.varno == RelIndex(2) {
                    *node = Expr::Param(Param {
                        paramkind: ParamKind::Exec,
                        paramid: 0,
                        paramtype: var.vartype,
                        paramtypmod: var.vartypmod,
                        paramcollid: var.varcollid,
                    });
                }
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(order, ["Var", "Var", "OpExpr"]);
        let Expr::OpExpr(op_expr) = &expr else {
            panic!("expected an OpExpr, got {expr:?}");
        };
        assert_eq!(op_expr.args[0], int_var(1, 1));
        assert!(matches!(op_expr.args[1], Expr::Param(_)));
    }

    #[test]
    fn transform_up_passes_errors_through() {
        let mut expr = and(smallvec![int_var(1, 1), int_var(1, 2)]);
        let err = transform_up(&mut expr, &mut |node| {
            if matches!(node, Expr::Var(var) if var.varattno == AttrNumber(2)) {
                return Err(Error::Internal("column 2 refused".to_owned()));
            }
            Ok(())
        })
        .unwrap_err();
        assert_eq!(err, Error::Internal("column 2 refused".to_owned()));
    }
}
