//! Strictness and volatility facts about expressions, as the planner's
//! `clauses.c` computes them: which relations and columns a condition forces
//! to be non-null (`find_nonnullable_rels` / `find_nonnullable_vars`), which
//! columns it forces to be null (`find_forced_null_vars`), and whether it
//! contains volatile or non-strict constructs.
//!
//! Strictness comes from `pg_proc.proisstrict` of the functions and of the
//! functions implementing operators; an unknown function counts as neither
//! strict nor immutable, the safe answer for both questions.

use std::collections::BTreeSet;

use fdw_catalog::catalog::Catalog;
use fdw_core::expr::{BoolExprType, BoolTestType, Expr, NullTestType, OpExpr, ScalarArrayOpExpr};
use fdw_core::{AttrNumber, Oid, RelIndex};

use super::Relids;
use crate::error::{Error, Result};

/// A column of the current query level, `(varno, varattno)`.
pub(crate) type VarKey = (RelIndex, AttrNumber);

/// `proisstrict` of `func`; false when the function is unknown.
pub(crate) fn func_strict(catalog: &Catalog, func: Oid) -> bool {
    catalog.proc_info(func).is_some_and(|p| p.strict)
}

/// The function implementing operator `opno` when the node does not carry it.
fn op_function(catalog: &Catalog, opno: Oid, opfuncid: Oid) -> Oid {
    if opfuncid.is_invalid() {
        catalog
            .operator_info(opno)
            .map_or(Oid::INVALID, |info| info.code)
    } else {
        opfuncid
    }
}

/// `proisstrict` of the function implementing `op`.
pub(crate) fn op_strict(catalog: &Catalog, op: &OpExpr) -> bool {
    func_strict(catalog, op_function(catalog, op.opno, op.opfuncid))
}

/// `is_strict_saop`: the operator is strict and, unless `false_ok` with
/// `ANY`, the array is provably non-empty.
fn saop_strict(catalog: &Catalog, saop: &ScalarArrayOpExpr, false_ok: bool) -> bool {
    if !func_strict(catalog, op_function(catalog, saop.opno, saop.opfuncid)) {
        return false;
    }
    if saop.use_or && false_ok {
        return true;
    }
    match saop.args.get(1) {
        Some(Expr::Const(c)) => c.value.as_deref().is_some_and(|v| v != "{}"),
        Some(Expr::ArrayExpr(arr)) => !arr.elements.is_empty() && !arr.multidims,
        _ => false,
    }
}

/// What a non-nullability walk collects.
trait Collect: Default + Clone {
    fn var(&mut self, varno: RelIndex, attno: AttrNumber);
    fn placeholder(&mut self, rels: &[RelIndex]);
    fn union(&mut self, other: Self);
    fn intersect(&mut self, other: &Self);
    fn is_empty(&self) -> bool;
}

impl Collect for Relids {
    fn var(&mut self, varno: RelIndex, _attno: AttrNumber) {
        self.insert(varno);
    }
    fn placeholder(&mut self, rels: &[RelIndex]) {
        // A placeholder of exactly one relation is evaluated at that
        // relation and goes to null with it, like a Var.
        if let [single] = rels {
            self.insert(*single);
        }
    }
    fn union(&mut self, other: Self) {
        self.union_with(&other);
    }
    fn intersect(&mut self, other: &Self) {
        *self = self.intersection(other);
    }
    fn is_empty(&self) -> bool {
        Relids::is_empty(self)
    }
}

impl Collect for BTreeSet<VarKey> {
    fn var(&mut self, varno: RelIndex, attno: AttrNumber) {
        self.insert((varno, attno));
    }
    fn placeholder(&mut self, _rels: &[RelIndex]) {}
    fn union(&mut self, other: Self) {
        self.extend(other);
    }
    fn intersect(&mut self, other: &Self) {
        self.retain(|r| other.contains(r));
    }
    fn is_empty(&self) -> bool {
        BTreeSet::is_empty(self)
    }
}

/// Relations whose columns the condition `expr` forces to be non-null: if
/// every column of one of them were null, the condition could not be true
/// (`find_nonnullable_rels`). `top_level` is true for a condition that is an
/// item of an implicit AND list.
pub(crate) fn nonnullable_rels(catalog: &Catalog, expr: &Expr) -> Relids {
    nonnullable::<Relids>(catalog, expr, true, 0)
}

/// Columns the condition forces to be non-null (`find_nonnullable_vars`).
pub(crate) fn nonnullable_vars(catalog: &Catalog, expr: &Expr) -> BTreeSet<VarKey> {
    nonnullable::<BTreeSet<VarKey>>(catalog, expr, true, 0)
}

/// The walk shared by [`nonnullable_rels`] and [`nonnullable_vars`]. Depth is
/// bounded by the walkers' limit; deeper trees give the empty (safe) answer.
fn nonnullable<C: Collect>(catalog: &Catalog, expr: &Expr, top_level: bool, depth: usize) -> C {
    let mut out = C::default();
    if depth > fdw_core::expr::DEFAULT_MAX_DEPTH {
        return out;
    }
    let next = depth + 1;
    let all_args = |args: &[Expr]| {
        let mut acc = C::default();
        for arg in args {
            acc.union(nonnullable::<C>(catalog, arg, false, next));
        }
        acc
    };
    match expr {
        Expr::Var(var) => {
            if var.varlevelsup == 0 {
                out.var(var.varno, var.varattno);
            }
        }
        Expr::FuncExpr(func) => {
            if func_strict(catalog, func.funcid) {
                out = all_args(&func.args);
            }
        }
        Expr::OpExpr(op) => {
            if op_strict(catalog, op) {
                out = all_args(&op.args);
            }
        }
        Expr::ScalarArrayOpExpr(saop) => {
            if saop_strict(catalog, saop, true) {
                out = all_args(&saop.args);
            }
        }
        Expr::BoolExpr(b) => match b.boolop {
            BoolExprType::And if top_level => {
                for arg in &b.args {
                    out.union(nonnullable::<C>(catalog, arg, true, next));
                }
            }
            // Below the top level an AND can be false (not null) when one arm
            // is null, so only what every arm forces counts, as for OR.
            BoolExprType::And | BoolExprType::Or => {
                let mut first = true;
                for arg in &b.args {
                    let sub = nonnullable::<C>(catalog, arg, top_level, next);
                    if first {
                        out = sub;
                        first = false;
                    } else {
                        out.intersect(&sub);
                    }
                    if out.is_empty() {
                        break;
                    }
                }
            }
            BoolExprType::Not => {
                if let Some(arg) = b.args.first() {
                    out = nonnullable::<C>(catalog, arg, false, next);
                }
            }
        },
        Expr::RelabelType(r) => out = nonnullable::<C>(catalog, &r.arg, top_level, next),
        Expr::CoerceViaIO(c) => out = nonnullable::<C>(catalog, &c.arg, top_level, next),
        Expr::ArrayCoerceExpr(c) => out = nonnullable::<C>(catalog, &c.arg, top_level, next),
        Expr::ConvertRowtypeExpr(c) => out = nonnullable::<C>(catalog, &c.arg, top_level, next),
        Expr::CollateExpr(c) => out = nonnullable::<C>(catalog, &c.arg, top_level, next),
        Expr::NullTest(n) => {
            if n.nulltesttype == NullTestType::IsNotNull && !n.argisrow {
                out = nonnullable::<C>(catalog, &n.arg, false, next);
            }
        }
        Expr::BooleanTest(t) => {
            if matches!(
                t.booltesttype,
                BoolTestType::IsTrue | BoolTestType::IsFalse | BoolTestType::IsNotUnknown
            ) {
                out = nonnullable::<C>(catalog, &t.arg, false, next);
            }
        }
        Expr::SubLink(s) => {
            // `x op ANY/ALL (SELECT ...)` is null or false when x is null.
            if matches!(
                s.sublinktype,
                fdw_core::expr::SubLinkType::Any
                    | fdw_core::expr::SubLinkType::All
                    | fdw_core::expr::SubLinkType::RowCompare
            ) {
                if let Some(test) = &s.testexpr {
                    out = nonnullable::<C>(catalog, test, top_level, next);
                }
            }
        }
        Expr::PlaceHolderVar(phv) => {
            out = nonnullable::<C>(catalog, &phv.phexpr, top_level, next);
            if phv.phlevelsup == 0 {
                out.placeholder(&phv.phrels);
            }
        }
        Expr::Const(_)
        | Expr::Param(_)
        | Expr::Aggref(_)
        | Expr::GroupingFunc(_)
        | Expr::WindowFunc(_)
        | Expr::SubscriptingRef(_)
        | Expr::NamedArgExpr(_)
        | Expr::DistinctExpr(_)
        | Expr::NullIfExpr(_)
        | Expr::SubPlan(_)
        | Expr::AlternativeSubPlan(_)
        | Expr::FieldSelect(_)
        | Expr::FieldStore(_)
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
        | Expr::CoerceToDomain(_)
        | Expr::CoerceToDomainValue(_)
        | Expr::SetToDefault(_)
        | Expr::CurrentOfExpr(_)
        | Expr::NextValueExpr(_) => {}
    }
    out
}

/// Columns the condition forces to be null: `x IS NULL` and `x IS UNKNOWN`
/// on a plain column, found in the items of an AND (`find_forced_null_vars`).
pub(crate) fn forced_null_vars(expr: &Expr) -> BTreeSet<VarKey> {
    let mut out = BTreeSet::new();
    let mut stack = vec![expr];
    while let Some(node) = stack.pop() {
        match node {
            Expr::BoolExpr(b) if b.boolop == BoolExprType::And => stack.extend(b.args.iter()),
            other => {
                if let Some(key) = forced_null_var(other) {
                    out.insert(key);
                }
            }
        }
    }
    out
}

/// The column a single condition forces to be null (`find_forced_null_var`).
pub(crate) fn forced_null_var(expr: &Expr) -> Option<VarKey> {
    let arg = match expr {
        Expr::NullTest(n) if n.nulltesttype == NullTestType::IsNull && !n.argisrow => &n.arg,
        Expr::BooleanTest(t) if t.booltesttype == BoolTestType::IsUnknown => &t.arg,
        _ => return None,
    };
    match arg {
        Expr::Var(var) if var.varlevelsup == 0 => Some((var.varno, var.varattno)),
        _ => None,
    }
}

/// Whether `expr` calls a volatile function (`contain_volatile_functions`);
/// sub-selects are not entered.
///
/// # Errors
///
/// When the tree is nested too deeply.
pub(crate) fn contain_volatile(catalog: &Catalog, expr: &Expr) -> Result<bool> {
    Ok(catalog.contain_volatile_functions(expr)?)
}

/// Whether `expr` contains something that can yield non-null from a null
/// input (`contain_nonstrict_functions`).
///
/// # Errors
///
/// When the tree is nested too deeply.
pub(crate) fn contain_nonstrict(catalog: &Catalog, expr: &Expr) -> Result<bool> {
    let mut found = false;
    let _flow = fdw_core::expr::walk(expr, |node| {
        use fdw_core::expr::Visit;
        let nonstrict = match node {
            Expr::Aggref(_) | Expr::GroupingFunc(_) | Expr::WindowFunc(_) => true,
            Expr::SubscriptingRef(s) => s.refassgnexpr.is_some(),
            Expr::FuncExpr(f) => !func_strict(catalog, f.funcid),
            Expr::OpExpr(op) => !op_strict(catalog, op),
            Expr::DistinctExpr(_) | Expr::NullIfExpr(_) => true,
            Expr::ScalarArrayOpExpr(s) => !saop_strict(catalog, s, false),
            Expr::BoolExpr(b) => b.boolop != BoolExprType::Not,
            Expr::SubLink(_) | Expr::SubPlan(_) | Expr::AlternativeSubPlan(_) => true,
            Expr::FieldStore(_)
            | Expr::CaseExpr(_)
            | Expr::ArrayExpr(_)
            | Expr::RowExpr(_)
            | Expr::RowCompareExpr(_)
            | Expr::CoalesceExpr(_)
            | Expr::MinMaxExpr(_)
            | Expr::XmlExpr(_)
            | Expr::JsonExpr(_)
            | Expr::NullTest(_)
            | Expr::BooleanTest(_) => true,
            Expr::PlaceHolderVar(_) => true,
            Expr::ArrayCoerceExpr(c) => {
                // Strict at the array level whatever the element conversion
                // does: only the input array matters.
                if contain_nonstrict(catalog, &c.arg).unwrap_or(true) {
                    found = true;
                    return Visit::Stop;
                }
                return Visit::Skip;
            }
            _ => false,
        };
        if nonstrict {
            found = true;
            Visit::Stop
        } else {
            Visit::Descend
        }
    })?;
    Ok(found)
}

/// The relations of the current query level whose columns `expr` references
/// (`pull_varnos`), with placeholders contributing their relations.
///
/// # Errors
///
/// When the tree is nested too deeply.
pub(crate) fn expr_relids(expr: &Expr) -> Result<Relids> {
    let mut out = Relids::new();
    let mut has_sublink = false;
    let _flow = fdw_core::expr::walk(expr, |node| {
        match node {
            Expr::Var(v) if v.varlevelsup == 0 => {
                out.insert(v.varno);
            }
            Expr::PlaceHolderVar(p) if p.phlevelsup == 0 => {
                out.extend(p.phrels.iter().copied());
            }
            Expr::CurrentOfExpr(c) => {
                out.insert(c.cvarno);
            }
            Expr::SubLink(_) => has_sublink = true,
            _ => {}
        }
        fdw_core::expr::Visit::Descend
    })?;
    // Correlated references inside sub-selects (`varlevelsup = 1` there) are
    // references to this level too. The second walk (which keeps the
    // nodes) is only needed when the first met a sub-select; it visits the
    // same nodes, so it cannot fail where the first did not.
    if has_sublink {
        collect_sublink_outer_refs(expr, &mut out)?;
    }
    Ok(out)
}

/// Every node of `expr` in walker order, with the lifetime of the tree (the
/// generic walker's visitor only sees short-lived references).
fn nodes_of(expr: &Expr) -> Result<Vec<&Expr>> {
    let mut out = Vec::new();
    let mut stack = vec![(expr, 1usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth > fdw_core::expr::DEFAULT_MAX_DEPTH {
            return Err(Error::TooDeep {
                limit: fdw_core::expr::DEFAULT_MAX_DEPTH,
            });
        }
        out.push(node);
        stack.extend(node.children().into_iter().rev().map(|c| (c, depth + 1)));
    }
    Ok(out)
}

/// Adds the relations of this level that sub-selects inside `expr` refer to.
fn collect_sublink_outer_refs(expr: &Expr, out: &mut Relids) -> Result<()> {
    for node in nodes_of(expr)? {
        if let Expr::SubLink(s) = node {
            outer_refs_of_query(&s.subselect, 1, out, 0)?;
        }
    }
    Ok(())
}

/// Relations of the level `levels_up` above `query` that it references.
fn outer_refs_of_query(
    query: &fdw_core::Query,
    levels_up: u32,
    out: &mut Relids,
    depth: usize,
) -> Result<()> {
    if depth > fdw_core::expr::DEFAULT_MAX_DEPTH {
        return Err(Error::TooDeep {
            limit: fdw_core::expr::DEFAULT_MAX_DEPTH,
        });
    }
    let mut exprs: Vec<&Expr> = Vec::new();
    exprs.extend(query.target_list.iter().map(|t| &t.expr));
    exprs.extend(query.having_qual.iter());
    collect_jointree_quals(&query.jointree, &mut exprs);
    for expr in exprs {
        for node in nodes_of(expr)? {
            match node {
                Expr::Var(v) if v.varlevelsup == levels_up => {
                    out.insert(v.varno);
                }
                Expr::SubLink(s) => {
                    outer_refs_of_query(&s.subselect, levels_up + 1, out, depth + 1)?
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// Every `WHERE` / `ON` condition of a join tree.
pub(crate) fn collect_jointree_quals<'a>(
    from: &'a fdw_core::query::FromExpr,
    out: &mut Vec<&'a Expr>,
) {
    use fdw_core::query::JoinTreeNode;
    out.extend(from.quals.iter());
    let mut stack: Vec<&JoinTreeNode> = from.fromlist.iter().collect();
    while let Some(node) = stack.pop() {
        match node {
            JoinTreeNode::RangeTblRef(_) => {}
            JoinTreeNode::Join(j) => {
                out.extend(j.quals.iter());
                stack.push(&j.larg);
                stack.push(&j.rarg);
            }
            JoinTreeNode::From(f) => {
                out.extend(f.quals.iter());
                stack.extend(f.fromlist.iter());
            }
        }
    }
}
