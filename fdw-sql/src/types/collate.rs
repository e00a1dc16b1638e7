//! Collation derivation (`parse_collate.c`).
//!
//! Every node's result collation and, for function-like nodes, its input
//! collation are derived bottom-up with SQL's strengths: an explicit
//! `COLLATE` beats everything (two different explicit ones are an error),
//! an implicit collation comes from a column or a collatable type (a
//! non-default one beats the default; two different non-default ones
//! conflict, which leaves the collation unset, an error only where a sort
//! needs it), and non-collatable values carry none.

use fdw_catalog::builtin::ProcInfo;
use fdw_catalog::Catalog;
use fdw_core::expr::{AggKind, Aggref};
use fdw_core::query::{ConflictArbiter, FromExpr, JoinTreeNode, Query, TargetEntry};
use fdw_core::{Expr, Oid};

use super::cat;
use super::oids;
use super::oper::at;
use crate::error::{Error, Position, Result, SqlState};

/// The strength of a derived collation (`CollateStrength`), weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    None,
    Implicit,
    Conflict,
    Explicit,
}

/// The collation state of a subtree (`assign_collations_context`).
#[derive(Debug, Clone, Copy)]
struct State {
    collation: Oid,
    strength: Strength,
    /// The other collation of an implicit conflict, for the message.
    collation2: Oid,
}

impl State {
    fn new() -> State {
        State {
            collation: Oid::INVALID,
            strength: Strength::None,
            collation2: Oid::INVALID,
        }
    }
}

/// Deep trees are refused rather than overflowing the stack.
const MAX_DEPTH: usize = fdw_core::expr::DEFAULT_MAX_DEPTH;

fn collation_name(catalog: &Catalog, oid: Oid) -> String {
    catalog
        .builtin()
        .collation(oid)
        .map_or_else(|| format!("{}", oid.0), |c| c.name.clone())
}

/// Merges a child's state into its parent's (`merge_collation_state`).
fn merge(catalog: &Catalog, child: State, into: &mut State) -> Result<()> {
    if child.strength > into.strength {
        into.collation = child.collation;
        into.strength = child.strength;
        if child.strength == Strength::Conflict {
            into.collation2 = child.collation2;
        }
    } else if child.strength == into.strength {
        match child.strength {
            Strength::None | Strength::Conflict => {}
            Strength::Implicit => {
                if child.collation != into.collation {
                    if into.collation == oids::DEFAULT_COLLATION {
                        into.collation = child.collation;
                    } else if child.collation != oids::DEFAULT_COLLATION {
                        into.strength = Strength::Conflict;
                        into.collation2 = child.collation;
                    }
                }
            }
            Strength::Explicit => {
                if child.collation != into.collation {
                    return Err(Error::analyze(
                        SqlState::COLLATION_MISMATCH,
                        format!(
                            "collation mismatch between explicit collations \"{}\" and \"{}\"",
                            collation_name(catalog, into.collation),
                            collation_name(catalog, child.collation)
                        ),
                        None,
                    ));
                }
            }
        }
    }
    Ok(())
}

fn implicit_mismatch(catalog: &Catalog, state: &State) -> Error {
    Error::analyze(
        SqlState::COLLATION_MISMATCH,
        format!(
            "collation mismatch between implicit collations \"{}\" and \"{}\"",
            collation_name(catalog, state.collation),
            collation_name(catalog, state.collation2)
        ),
        None,
    )
}

/// Derives and stores the collations of every node of `expr`
/// (`assign_expr_collations`).
///
/// # Errors
///
/// `collation mismatch between explicit collations "C" and "POSIX"` (42P21);
/// the implicit variant of it for a hypothetical-set aggregate's pairs.
pub fn assign_expr_collations(catalog: &Catalog, expr: &mut Expr) -> Result<()> {
    let mut state = State::new();
    walk(catalog, expr, &mut state, 0)
}

/// The common collation of `exprs`, after assigning theirs
/// (`select_common_collation`); invalid when none is collatable, or on an
/// implicit conflict when `none_ok`.
///
/// # Errors
///
/// `collation mismatch between implicit collations "x" and "y"` (42P21)
/// on a conflict unless `none_ok`; explicit mismatches always.
pub fn select_common_collation(
    catalog: &Catalog,
    exprs: &mut [&mut Expr],
    none_ok: bool,
    position: Option<Position>,
) -> Result<Oid> {
    let mut state = State::new();
    for e in exprs.iter_mut() {
        walk(catalog, e, &mut state, 0).map_err(|err| at(err, position))?;
    }
    if state.strength == Strength::Conflict {
        if none_ok {
            return Ok(Oid::INVALID);
        }
        return Err(at(implicit_mismatch(catalog, &state), position));
    }
    Ok(state.collation)
}

/// Assigns the collations of every expression of one query level
/// (`assign_query_collations`): target list, `WHERE` and join conditions,
/// `HAVING`, `LIMIT`/`OFFSET`, window frame offsets, `RETURNING` and `ON
/// CONFLICT`. Range-table subqueries and CTEs are assumed done already.
///
/// # Errors
///
/// As [`assign_expr_collations`]; plus `collation mismatch between implicit
/// collations` (42P21) for a conflicted `ORDER BY`/`GROUP BY`/`DISTINCT` target.
pub fn assign_query_collations(catalog: &Catalog, query: &mut Query) -> Result<()> {
    assign_target_list(catalog, &mut query.target_list)?;
    assign_target_list(catalog, &mut query.returning_list)?;
    assign_from_expr(catalog, &mut query.jointree, 0)?;
    if let Some(on_conflict) = &mut query.on_conflict {
        if let Some(ConflictArbiter::Inference {
            elems,
            where_clause,
        }) = &mut on_conflict.arbiter
        {
            for elem in elems {
                assign_expr_collations(catalog, &mut elem.expr)?;
            }
            if let Some(w) = where_clause {
                assign_expr_collations(catalog, w)?;
            }
        }
        assign_target_list(catalog, &mut on_conflict.on_conflict_set)?;
        if let Some(w) = &mut on_conflict.on_conflict_where {
            assign_expr_collations(catalog, w)?;
        }
    }
    for e in [
        &mut query.having_qual,
        &mut query.limit_offset,
        &mut query.limit_count,
    ]
    .into_iter()
    .flatten()
    {
        assign_expr_collations(catalog, e)?;
    }
    for wc in &mut query.window_clause {
        for e in [&mut wc.start_offset, &mut wc.end_offset]
            .into_iter()
            .flatten()
        {
            assign_expr_collations(catalog, e)?;
        }
    }
    Ok(())
}

fn assign_target_list(catalog: &Catalog, tlist: &mut [TargetEntry]) -> Result<()> {
    for tle in tlist {
        let mut state = State::new();
        walk_target_entry(catalog, tle, &mut state, 0)?;
    }
    Ok(())
}

fn assign_from_expr(catalog: &Catalog, from: &mut FromExpr, depth: usize) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(Error::TooDeep { limit: MAX_DEPTH });
    }
    for item in &mut from.fromlist {
        assign_join_tree(catalog, item, depth + 1)?;
    }
    if let Some(q) = &mut from.quals {
        assign_expr_collations(catalog, q)?;
    }
    Ok(())
}

fn assign_join_tree(catalog: &Catalog, node: &mut JoinTreeNode, depth: usize) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(Error::TooDeep { limit: MAX_DEPTH });
    }
    match node {
        JoinTreeNode::RangeTblRef(_) => Ok(()),
        JoinTreeNode::Join(join) => {
            assign_join_tree(catalog, &mut join.larg, depth + 1)?;
            assign_join_tree(catalog, &mut join.rarg, depth + 1)?;
            if let Some(q) = &mut join.quals {
                assign_expr_collations(catalog, q)?;
            }
            Ok(())
        }
        JoinTreeNode::From(from) => assign_from_expr(catalog, from, depth + 1),
    }
}

/// A target entry bubbles its expression's state up; a conflicted sort or
/// group target is an error now rather than at run time.
fn walk_target_entry(
    catalog: &Catalog,
    tle: &mut TargetEntry,
    into: &mut State,
    depth: usize,
) -> Result<()> {
    let mut local = State::new();
    walk(catalog, &mut tle.expr, &mut local, depth + 1)?;
    if local.strength == Strength::Conflict && tle.ressortgroupref != 0 {
        return Err(implicit_mismatch(catalog, &local));
    }
    merge(catalog, local, into)
}

fn walk_all<'a>(
    catalog: &Catalog,
    exprs: impl IntoIterator<Item = &'a mut Expr>,
    state: &mut State,
    depth: usize,
) -> Result<()> {
    for e in exprs {
        walk(catalog, e, state, depth)?;
    }
    Ok(())
}

/// The collation of a leaf node: implicit when it has one.
fn leaf(collation: Oid) -> State {
    State {
        collation,
        strength: if collation.is_invalid() {
            Strength::None
        } else {
            Strength::Implicit
        },
        collation2: Oid::INVALID,
    }
}

fn variadic_type(catalog: &Catalog, fnoid: Oid) -> Oid {
    catalog
        .proc_info(fnoid)
        .map_or(Oid::INVALID, |p: std::borrow::Cow<'_, ProcInfo>| p.variadic)
}

/// `assign_collations_walker` for one node, merging its state into `into`.
fn walk(catalog: &Catalog, expr: &mut Expr, into: &mut State, depth: usize) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(Error::TooDeep { limit: MAX_DEPTH });
    }
    let d = depth + 1;
    let mut loc = State::new();
    let state = match expr {
        Expr::CollateExpr(c) => {
            walk(catalog, &mut c.arg, &mut loc, d)?;
            State {
                collation: c.coll_oid,
                strength: Strength::Explicit,
                collation2: Oid::INVALID,
            }
        }
        Expr::FieldSelect(f) => {
            walk(catalog, &mut f.arg, &mut loc, d)?;
            leaf(f.resultcollid)
        }
        Expr::RowExpr(r) => {
            // Independent fields; a row has no collation of its own.
            for a in r.args.iter_mut() {
                let mut own = State::new();
                walk(catalog, a, &mut own, d)?;
            }
            return Ok(());
        }
        Expr::RowCompareExpr(rc) => {
            let mut colls = Vec::with_capacity(rc.largs.len());
            for (l, r) in rc.largs.iter_mut().zip(rc.rargs.iter_mut()) {
                colls.push(select_common_collation(catalog, &mut [l, r], true, None)?);
            }
            rc.inputcollids = colls;
            return Ok(());
        }
        Expr::CoerceToDomain(c) => {
            walk(catalog, &mut c.arg, &mut loc, d)?;
            let typcoll = cat::type_collation(catalog, c.resulttype);
            let s = if typcoll.is_invalid() {
                State::new()
            } else if typcoll == oids::DEFAULT_COLLATION {
                loc
            } else {
                leaf(typcoll)
            };
            c.resultcollid = if s.strength == Strength::Conflict {
                Oid::INVALID
            } else {
                s.collation
            };
            s
        }
        Expr::Var(_)
        | Expr::Const(_)
        | Expr::Param(_)
        | Expr::CoerceToDomainValue(_)
        | Expr::CaseTestExpr(_)
        | Expr::SetToDefault(_)
        | Expr::CurrentOfExpr(_) => leaf(expr.collation()),
        Expr::Aggref(agg) => {
            match agg.aggkind {
                AggKind::Normal => {
                    for tle in &mut agg.args {
                        if tle.resjunk {
                            let mut own = State::new();
                            walk_target_entry(catalog, tle, &mut own, d)?;
                        } else {
                            walk_target_entry(catalog, tle, &mut loc, d)?;
                        }
                    }
                }
                AggKind::OrderedSet => {
                    let merge_sort =
                        agg.args.len() == 1 && variadic_type(catalog, agg.aggfnoid).is_invalid();
                    walk_all(catalog, agg.aggdirectargs.iter_mut(), &mut loc, d)?;
                    for tle in &mut agg.args {
                        if merge_sort {
                            walk_target_entry(catalog, tle, &mut loc, d)?;
                        } else {
                            let mut own = State::new();
                            walk_target_entry(catalog, tle, &mut own, d)?;
                        }
                    }
                }
                AggKind::Hypothetical => hypothetical(catalog, agg, &mut loc, d)?,
            }
            if let Some(f) = &mut agg.aggfilter {
                assign_expr_collations(catalog, f)?;
            }
            finish(catalog, expr, loc)
        }
        Expr::WindowFunc(w) => {
            walk_all(catalog, w.args.iter_mut(), &mut loc, d)?;
            if let Some(f) = &mut w.aggfilter {
                assign_expr_collations(catalog, f)?;
            }
            finish(catalog, expr, loc)
        }
        Expr::CaseExpr(c) => {
            // The test value was assigned on its own when the CASE was
            // built; it does not decide the result's collation.
            if let Some(arg) = &mut c.arg {
                assign_expr_collations(catalog, arg)?;
            }
            for when in &mut c.args {
                walk(catalog, &mut when.expr, &mut loc, d)?;
                walk(catalog, &mut when.result, &mut loc, d)?;
            }
            if let Some(def) = &mut c.defresult {
                walk(catalog, def, &mut loc, d)?;
            }
            finish(catalog, expr, loc)
        }
        Expr::SubscriptingRef(s) => {
            for e in s
                .refupperindexpr
                .iter_mut()
                .chain(s.reflowerindexpr.iter_mut())
                .flatten()
            {
                assign_expr_collations(catalog, e)?;
            }
            walk(catalog, &mut s.refexpr, &mut loc, d)?;
            if let Some(a) = &mut s.refassgnexpr {
                walk(catalog, a, &mut loc, d)?;
            }
            finish(catalog, expr, loc)
        }
        Expr::SubLink(s) => {
            if let Some(t) = &mut s.testexpr {
                walk(catalog, t, &mut loc, d)?;
            }
            // The sub-select counts as its first output column.
            if let Some(first) = s.subselect.target_list.first() {
                if !first.resjunk {
                    merge(
                        catalog,
                        State {
                            collation: first.expr.collation(),
                            strength: Strength::Implicit,
                            collation2: Oid::INVALID,
                        },
                        &mut loc,
                    )?;
                }
            }
            finish(catalog, expr, loc)
        }
        Expr::FuncExpr(f) => {
            walk_all(catalog, f.args.iter_mut(), &mut loc, d)?;
            finish(catalog, expr, loc)
        }
        Expr::NamedArgExpr(n) => {
            walk(catalog, &mut n.arg, &mut loc, d)?;
            finish(catalog, expr, loc)
        }
        Expr::OpExpr(o) | Expr::DistinctExpr(o) | Expr::NullIfExpr(o) => {
            walk_all(catalog, o.args.iter_mut(), &mut loc, d)?;
            finish(catalog, expr, loc)
        }
        Expr::ScalarArrayOpExpr(s) => {
            walk_all(catalog, s.args.iter_mut(), &mut loc, d)?;
            finish(catalog, expr, loc)
        }
        Expr::BoolExpr(b) => {
            walk_all(catalog, b.args.iter_mut(), &mut loc, d)?;
            finish(catalog, expr, loc)
        }
        Expr::GroupingFunc(g) => {
            walk_all(catalog, g.args.iter_mut(), &mut loc, d)?;
            finish(catalog, expr, loc)
        }
        Expr::SubPlan(s) => {
            if let Some(t) = &mut s.testexpr {
                walk(catalog, t, &mut loc, d)?;
            }
            walk_all(catalog, s.args.iter_mut(), &mut loc, d)?;
            finish(catalog, expr, loc)
        }
        Expr::AlternativeSubPlan(_) => finish(catalog, expr, loc),
        Expr::FieldStore(f) => {
            walk(catalog, &mut f.arg, &mut loc, d)?;
            walk_all(catalog, f.newvals.iter_mut(), &mut loc, d)?;
            finish(catalog, expr, loc)
        }
        Expr::RelabelType(r) => {
            walk(catalog, &mut r.arg, &mut loc, d)?;
            finish(catalog, expr, loc)
        }
        Expr::CoerceViaIO(c) => {
            walk(catalog, &mut c.arg, &mut loc, d)?;
            finish(catalog, expr, loc)
        }
        Expr::ArrayCoerceExpr(a) => {
            walk(catalog, &mut a.arg, &mut loc, d)?;
            walk(catalog, &mut a.elemexpr, &mut loc, d)?;
            finish(catalog, expr, loc)
        }
        Expr::ConvertRowtypeExpr(c) => {
            walk(catalog, &mut c.arg, &mut loc, d)?;
            finish(catalog, expr, loc)
        }
        Expr::ArrayExpr(a) => {
            walk_all(catalog, a.elements.iter_mut(), &mut loc, d)?;
            finish(catalog, expr, loc)
        }
        Expr::CoalesceExpr(c) => {
            walk_all(catalog, c.args.iter_mut(), &mut loc, d)?;
            finish(catalog, expr, loc)
        }
        Expr::MinMaxExpr(m) => {
            walk_all(catalog, m.args.iter_mut(), &mut loc, d)?;
            finish(catalog, expr, loc)
        }
        Expr::XmlExpr(x) => {
            walk_all(catalog, x.named_args.iter_mut(), &mut loc, d)?;
            walk_all(catalog, x.args.iter_mut(), &mut loc, d)?;
            finish(catalog, expr, loc)
        }
        Expr::JsonExpr(j) => {
            walk_all(catalog, j.args.iter_mut(), &mut loc, d)?;
            finish(catalog, expr, loc)
        }
        Expr::NullTest(n) => {
            walk(catalog, &mut n.arg, &mut loc, d)?;
            finish(catalog, expr, loc)
        }
        Expr::BooleanTest(b) => {
            walk(catalog, &mut b.arg, &mut loc, d)?;
            finish(catalog, expr, loc)
        }
        Expr::PlaceHolderVar(p) => {
            walk(catalog, &mut p.phexpr, &mut loc, d)?;
            finish(catalog, expr, loc)
        }
        Expr::SqlValueFunction(_) | Expr::NextValueExpr(_) => finish(catalog, expr, loc),
    };
    merge(catalog, state, into)
}

/// The general rule for a node with children: a collatable result takes
/// the children's state, or its type's collation implicitly when no child
/// is collatable; the node stores its result and input collations.
fn finish(catalog: &Catalog, expr: &mut Expr, loc: State) -> State {
    let typcoll = cat::type_collation(catalog, expr.type_oid());
    let state = if typcoll.is_invalid() {
        State::new()
    } else if loc.strength > Strength::None {
        loc
    } else {
        leaf(typcoll)
    };
    let result = if state.strength == Strength::Conflict {
        Oid::INVALID
    } else {
        state.collation
    };
    let input = if loc.strength == Strength::Conflict {
        Oid::INVALID
    } else {
        loc.collation
    };
    set_collations(expr, result, input);
    state
}

/// `exprSetCollation` and `exprSetInputCollation`.
fn set_collations(expr: &mut Expr, result: Oid, input: Oid) {
    match expr {
        Expr::Aggref(a) => {
            a.aggcollid = result;
            a.inputcollid = input;
        }
        Expr::WindowFunc(w) => {
            w.wincollid = result;
            w.inputcollid = input;
        }
        Expr::SubscriptingRef(s) => s.refcollid = result,
        Expr::FuncExpr(f) => {
            f.funccollid = result;
            f.inputcollid = input;
        }
        Expr::OpExpr(o) | Expr::DistinctExpr(o) | Expr::NullIfExpr(o) => {
            o.opcollid = result;
            o.inputcollid = input;
        }
        Expr::ScalarArrayOpExpr(s) => s.inputcollid = input,
        Expr::RelabelType(r) => r.resultcollid = result,
        Expr::CoerceViaIO(c) => c.resultcollid = result,
        Expr::ArrayCoerceExpr(a) => a.resultcollid = result,
        Expr::CaseExpr(c) => c.casecollid = result,
        Expr::ArrayExpr(a) => a.array_collid = result,
        Expr::CoalesceExpr(c) => c.coalescecollid = result,
        Expr::MinMaxExpr(m) => {
            m.minmaxcollid = result;
            m.inputcollid = input;
        }
        Expr::JsonExpr(j) => j.collation = result,
        Expr::CoerceToDomain(c) => c.resultcollid = result,
        // Nodes whose collation is fixed or read from elsewhere
        // (PostgreSQL only asserts for these).
        Expr::Var(_)
        | Expr::Const(_)
        | Expr::Param(_)
        | Expr::GroupingFunc(_)
        | Expr::NamedArgExpr(_)
        | Expr::BoolExpr(_)
        | Expr::SubLink(_)
        | Expr::SubPlan(_)
        | Expr::AlternativeSubPlan(_)
        | Expr::FieldSelect(_)
        | Expr::FieldStore(_)
        | Expr::ConvertRowtypeExpr(_)
        | Expr::CollateExpr(_)
        | Expr::CaseTestExpr(_)
        | Expr::RowExpr(_)
        | Expr::RowCompareExpr(_)
        | Expr::SqlValueFunction(_)
        | Expr::XmlExpr(_)
        | Expr::NullTest(_)
        | Expr::BooleanTest(_)
        | Expr::CoerceToDomainValue(_)
        | Expr::SetToDefault(_)
        | Expr::CurrentOfExpr(_)
        | Expr::NextValueExpr(_)
        | Expr::PlaceHolderVar(_) => {}
    }
}

/// Hypothetical-set aggregates (`assign_hypothetical_collations`): each
/// hypothetical direct argument and its sorted partner agree on one
/// collation, which a `RelabelType` applies to the sorted column.
fn hypothetical(catalog: &Catalog, agg: &mut Aggref, loc: &mut State, depth: usize) -> Result<()> {
    let merge_sort = agg.args.len() == 1 && variadic_type(catalog, agg.aggfnoid).is_invalid();
    let extra = agg.aggdirectargs.len().saturating_sub(agg.args.len());
    let (plain, hypo) = agg.aggdirectargs.split_at_mut(extra);
    walk_all(catalog, plain.iter_mut(), loc, depth)?;
    for (h, tle) in hypo.iter_mut().zip(agg.args.iter_mut()) {
        let mut pair = State::new();
        walk(catalog, h, &mut pair, depth)?;
        walk(catalog, &mut tle.expr, &mut pair, depth)?;
        if pair.strength == Strength::Conflict {
            return Err(implicit_mismatch(catalog, &pair));
        }
        if !pair.collation.is_invalid() && pair.collation != tle.expr.collation() {
            let inner = std::mem::replace(
                &mut tle.expr,
                Expr::Const(fdw_core::expr::Const::null(oids::UNKNOWN, -1, Oid::INVALID)),
            );
            let (t, m) = (inner.type_oid(), inner.typmod());
            tle.expr = Expr::RelabelType(Box::new(fdw_core::expr::RelabelType {
                arg: inner,
                resulttype: t,
                resulttypmod: m,
                resultcollid: pair.collation,
                relabelformat: fdw_core::expr::CoercionForm::ImplicitCast,
            }));
        }
        if merge_sort {
            merge(catalog, pair, loc)?;
        }
    }
    Ok(())
}
