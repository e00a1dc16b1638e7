//! `GROUP BY`, `ORDER BY`, `DISTINCT [ON]`, `LIMIT`/`OFFSET`/`FETCH`,
//! windows and row-locking clauses (`parse_clause.c`): target-list entry
//! lookup by output name, position or expression, and the operators of
//! each sort/group item from the type's default btree operator class.

use fdw_catalog::builtin::btree_strategy;
use fdw_catalog::catalog::Catalog;
use fdw_core::expr::{CoercionForm, Expr};
use fdw_core::query::{GroupingSet, SortGroupClause, TargetEntry, WindowClause};
use fdw_core::{AttrNumber, Oid};
use sqlparser::ast::{self, OrderByExpr, OrderBySort};

use super::deps;
use super::{ident_name, ExprKind, ParseState};
use crate::error::{Error, Position, Result, SqlState};
use crate::types::{CoercionContext, SortGroupOperators};

/// `int8`, the type `LIMIT` and `OFFSET` are coerced to.
const INT8: Oid = Oid(20);
/// The sort and group operators of `type_oid` (`get_sort_group_operators`),
/// from its default btree operator class over the whole catalog: built-in
/// classes, polymorphic ones (`enum_ops`, `array_ops`, `record_ops`) and
/// extensions' (see [`crate::types::sort_group_operators`]).
pub fn sort_operators(catalog: &Catalog, type_oid: Oid) -> SortGroupOperators {
    crate::types::sort_group_operators(catalog, type_oid)
}

/// A [`SortGroupClause`] (without its target reference) for sorting or
/// grouping a value of `type_oid`: `descending`, an explicit `USING`
/// operator, explicit `NULLS FIRST/LAST`, as `addTargetToSortList` builds
/// it. `for_sort` false asks only for grouping (`addTargetToGroupList`).
///
/// # Errors
///
/// `could not identify an ordering operator for type x` / `... equality
/// operator ...` (42883); `operator x is not a valid ordering operator`
/// (42809) for a `USING` operator outside any btree family.
pub fn sort_group_clause_for_type(
    catalog: &Catalog,
    type_oid: Oid,
    descending: bool,
    using: Option<Oid>,
    nulls_first: Option<bool>,
    for_sort: bool,
    position: Option<Position>,
) -> Result<SortGroupClause> {
    let ops = sort_operators(catalog, type_oid);
    let (sortop, eqop, descending) = match using {
        Some(op) => {
            let entry = catalog.amops_of_operator(op).into_iter().find(|a| {
                a.method == fdw_catalog::builtin::BTREE_AM_OID
                    && (a.strategy == btree_strategy::LESS || a.strategy == btree_strategy::GREATER)
            });
            let Some(entry) = entry else {
                let name = catalog
                    .operator_info(op)
                    .map_or_else(|| op.to_string(), |o| o.name.clone());
                return Err(Error::analyze(
                    SqlState::WRONG_OBJECT_TYPE,
                    format!("operator {name} is not a valid ordering operator"),
                    position,
                ));
            };
            let eq = catalog
                .amop(entry.family, entry.left, entry.right, btree_strategy::EQUAL)
                .map_or(Oid::INVALID, |a| a.operator);
            (op, eq, entry.strategy == btree_strategy::GREATER)
        }
        None => {
            let sortop = if descending { ops.gt } else { ops.lt };
            (sortop, ops.eq, descending)
        }
    };
    if for_sort && sortop.is_invalid() {
        return Err(Error::analyze(
            SqlState::UNDEFINED_FUNCTION,
            format!(
                "could not identify an ordering operator for type {}",
                catalog.format_type(type_oid)
            ),
            position,
        ));
    }
    if eqop.is_invalid() {
        return Err(Error::analyze(
            SqlState::UNDEFINED_FUNCTION,
            format!(
                "could not identify an equality operator for type {}",
                catalog.format_type(type_oid)
            ),
            position,
        ));
    }
    let hashable = ops.hashable && eqop == ops.eq;
    Ok(SortGroupClause {
        tle_sort_group_ref: 0,
        eqop,
        sortop: if for_sort || using.is_some() {
            sortop
        } else {
            ops.lt
        },
        nulls_first: nulls_first.unwrap_or(descending),
        hashable,
    })
}

/// The next free `ressortgroupref` (`assignSortGroupRef`).
pub(super) fn assign_sort_group_ref(tlist: &mut [TargetEntry], index: usize) -> u32 {
    if let Some(existing) = tlist.get(index).map(|t| t.ressortgroupref) {
        if existing != 0 {
            return existing;
        }
    }
    let next = tlist.iter().map(|t| t.ressortgroupref).max().unwrap_or(0) + 1;
    if let Some(tle) = tlist.get_mut(index) {
        tle.ressortgroupref = next;
    }
    next
}

/// An integer constant written as a position (`ORDER BY 2`).
fn position_literal(expr: &ast::Expr) -> Option<&str> {
    match expr {
        ast::Expr::Value(v) => match &v.value {
            ast::Value::Number(n, _) => Some(n.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// The target entry an `ORDER BY` / `GROUP BY` / `DISTINCT ON` item names
/// (`findTargetlistEntrySQL92`), adding a `resjunk` entry when the item is
/// an expression not in the list. Returns the index in `tlist`.
pub(super) fn find_target_entry(
    ps: &mut ParseState<'_>,
    tlist: &mut Vec<TargetEntry>,
    node: &ast::Expr,
    kind: ExprKind,
) -> Result<usize> {
    let position = super::expr_position(node);
    let clause = match kind {
        ExprKind::GroupBy => "GROUP BY",
        ExprKind::DistinctOn => "DISTINCT ON",
        _ => "ORDER BY",
    };
    // A bare name: an output column name (for GROUP BY only when no input
    // column has that name, SQL99 over SQL92).
    if let ast::Expr::Identifier(ident) = node {
        let name = ident_name(ident);
        let is_input_column = kind == ExprKind::GroupBy
            && ps
                .resolve_column_ref(std::slice::from_ref(ident), position)
                .is_ok();
        if !is_input_column {
            let mut found: Option<usize> = None;
            for (i, tle) in tlist.iter().enumerate() {
                if !tle.resjunk && tle.resname.as_deref() == Some(name.as_str()) {
                    match found {
                        Some(j) if tlist[j].expr != tle.expr => {
                            return Err(Error::analyze(
                                SqlState::AMBIGUOUS_COLUMN,
                                format!("{clause} \"{name}\" is ambiguous"),
                                position,
                            ))
                        }
                        Some(_) => {}
                        None => found = Some(i),
                    }
                }
            }
            if let Some(found) = found {
                return Ok(found);
            }
        }
    }
    if let Some(text) = position_literal(node) {
        if kind != ExprKind::WindowPartition && kind != ExprKind::WindowOrder {
            let visible: Vec<usize> = (0..tlist.len()).filter(|i| !tlist[*i].resjunk).collect();
            let wanted = text.parse::<usize>().ok();
            return match wanted
                .and_then(|n| n.checked_sub(1))
                .and_then(|n| visible.get(n))
            {
                Some(index) => Ok(*index),
                None => Err(Error::analyze(
                    SqlState::INVALID_COLUMN_REFERENCE,
                    format!("{clause} position {text} is not in select list"),
                    position,
                )),
            };
        }
    }
    find_target_entry_sql99(ps, tlist, node, kind)
}

/// `findTargetlistEntrySQL99`: the expression, transformed, matched against
/// the list; a new `resjunk` entry when absent.
pub(super) fn find_target_entry_sql99(
    ps: &mut ParseState<'_>,
    tlist: &mut Vec<TargetEntry>,
    node: &ast::Expr,
    kind: ExprKind,
) -> Result<usize> {
    let saved = ps.expr_kind;
    ps.expr_kind = kind;
    let expr = deps::transform_expr(ps, node);
    ps.expr_kind = saved;
    let mut expr = expr?;
    // Unknown literals sort as text (`transformTargetEntry` resolves them).
    if expr.type_oid() == super::UNKNOWN {
        expr = super::select::resolve_unknown(ps, expr, super::expr_position(node))?;
    }
    if let Some(index) = tlist.iter().position(|t| t.expr == expr) {
        return Ok(index);
    }
    let resno = AttrNumber(i16::try_from(tlist.len() + 1).unwrap_or(i16::MAX));
    tlist.push(TargetEntry {
        expr,
        resno,
        resname: None,
        ressortgroupref: 0,
        resjunk: true,
    });
    Ok(tlist.len() - 1)
}

/// The operator named by `USING op` for a sort key of `type_oid`.
fn using_operator(
    ps: &ParseState<'_>,
    name: &ast::ObjectName,
    type_oid: Oid,
    position: Option<Position>,
) -> Result<Oid> {
    let parts: Vec<String> = name.0.iter().map(|p| p.to_string()).collect();
    let (schema, op) = match parts.as_slice() {
        [op] => (None, op.clone()),
        [schema, op] => (Some(schema.as_str()), op.clone()),
        _ => {
            return Err(Error::analyze(
                SqlState::SYNTAX_ERROR,
                format!("improper qualified name: {name}"),
                position,
            ))
        }
    };
    let op = op
        .trim_start_matches("OPERATOR(")
        .trim_end_matches(')')
        .to_owned();
    ps.catalog
        .resolve_operator(schema, &op, type_oid, type_oid)
        .map_err(|_| {
            Error::analyze(
                SqlState::UNDEFINED_FUNCTION,
                format!(
                    "operator does not exist: {} {op} {}",
                    ps.catalog.format_type(type_oid),
                    ps.catalog.format_type(type_oid)
                ),
                position,
            )
        })
}

/// Adds an `ORDER BY`-style item for `tlist[index]` to `list` unless the
/// entry is already there (`addTargetToSortList`).
pub(super) fn add_sort_item(
    ps: &ParseState<'_>,
    tlist: &mut [TargetEntry],
    index: usize,
    list: &mut Vec<SortGroupClause>,
    item: &OrderByExpr,
) -> Result<()> {
    let position = super::expr_position(&item.expr);
    let type_oid = tlist.get(index).map_or(Oid::INVALID, |t| t.expr.type_oid());
    let (descending, using) = match &item.options.sort {
        None | Some(OrderBySort::Asc) => (false, None),
        Some(OrderBySort::Desc) => (true, None),
        Some(OrderBySort::Using(name)) => {
            (false, Some(using_operator(ps, name, type_oid, position)?))
        }
    };
    let mut clause = sort_group_clause_for_type(
        ps.catalog,
        type_oid,
        descending,
        using,
        item.options.nulls_first,
        true,
        position,
    )?;
    let existing = tlist.get(index).map_or(0, |t| t.ressortgroupref);
    if existing != 0 && list.iter().any(|c| c.tle_sort_group_ref == existing) {
        return Ok(());
    }
    clause.tle_sort_group_ref = assign_sort_group_ref(tlist, index);
    list.push(clause);
    Ok(())
}

/// Adds a grouping item for `tlist[index]` to `list` unless already there
/// (`addTargetToGroupList`): the operators of an ascending sort.
pub(super) fn add_group_item(
    ps: &ParseState<'_>,
    tlist: &mut [TargetEntry],
    index: usize,
    list: &mut Vec<SortGroupClause>,
    position: Option<Position>,
) -> Result<u32> {
    let existing = tlist.get(index).map_or(0, |t| t.ressortgroupref);
    if existing != 0 && list.iter().any(|c| c.tle_sort_group_ref == existing) {
        return Ok(existing);
    }
    let type_oid = tlist.get(index).map_or(Oid::INVALID, |t| t.expr.type_oid());
    let mut clause =
        sort_group_clause_for_type(ps.catalog, type_oid, false, None, None, false, position)?;
    clause.tle_sort_group_ref = assign_sort_group_ref(tlist, index);
    let reference = clause.tle_sort_group_ref;
    list.push(clause);
    Ok(reference)
}

/// `ORDER BY` (`transformSortClause`).
pub(super) fn transform_sort_clause(
    ps: &mut ParseState<'_>,
    tlist: &mut Vec<TargetEntry>,
    items: &[OrderByExpr],
) -> Result<Vec<SortGroupClause>> {
    let mut list = Vec::new();
    for item in items {
        let index = find_target_entry(ps, tlist, &item.expr, ExprKind::OrderBy)?;
        add_sort_item(ps, tlist, index, &mut list, item)?;
    }
    Ok(list)
}

/// `GROUP BY` (`transformGroupClause`), with `ROLLUP`, `CUBE` and
/// `GROUPING SETS`. Returns the flat group clause and the grouping sets
/// (empty for a plain `GROUP BY`).
pub(super) fn transform_group_clause(
    ps: &mut ParseState<'_>,
    tlist: &mut Vec<TargetEntry>,
    items: &[ast::Expr],
    sort_clause: &[SortGroupClause],
) -> Result<(Vec<SortGroupClause>, Vec<GroupingSet>)> {
    let mut list = Vec::new();
    let mut sets = Vec::new();
    let mut has_sets = false;
    for item in items {
        let set = group_item(ps, tlist, item, &mut list, &mut has_sets, 0)?;
        sets.push(set);
    }
    if !has_sets {
        sets.clear();
    }
    // A grouping item also sorted on takes the ORDER BY item's operators,
    // so one sort can serve both; under grouping sets NULLS LAST is forced.
    for clause in &mut list {
        if let Some(sorted) = sort_clause
            .iter()
            .find(|s| s.tle_sort_group_ref == clause.tle_sort_group_ref)
        {
            *clause = sorted.clone();
            if has_sets {
                clause.nulls_first = false;
            }
        }
    }
    Ok((list, sets))
}

fn group_item(
    ps: &mut ParseState<'_>,
    tlist: &mut Vec<TargetEntry>,
    item: &ast::Expr,
    list: &mut Vec<SortGroupClause>,
    has_sets: &mut bool,
    depth: usize,
) -> Result<GroupingSet> {
    let simple_list = |ps: &mut ParseState<'_>,
                       tlist: &mut Vec<TargetEntry>,
                       list: &mut Vec<SortGroupClause>,
                       exprs: &[ast::Expr]|
     -> Result<GroupingSet> {
        let mut refs = Vec::new();
        for e in exprs {
            let index = find_target_entry(ps, tlist, e, ExprKind::GroupBy)?;
            refs.push(add_group_item(
                ps,
                tlist,
                index,
                list,
                super::expr_position(e),
            )?);
        }
        Ok(GroupingSet::Simple(refs))
    };
    match item {
        ast::Expr::Rollup(groups) | ast::Expr::Cube(groups) => {
            *has_sets = true;
            let mut parts = Vec::new();
            for group in groups {
                parts.push(simple_list(ps, tlist, list, group)?);
            }
            Ok(if matches!(item, ast::Expr::Rollup(_)) {
                GroupingSet::Rollup(parts)
            } else {
                GroupingSet::Cube(parts)
            })
        }
        ast::Expr::GroupingSets(groups) => {
            *has_sets = true;
            let mut parts = Vec::new();
            for group in groups {
                if group.is_empty() {
                    parts.push(GroupingSet::Empty);
                } else if depth < 8 && group.len() == 1 && is_set_syntax(&group[0]) {
                    parts.push(group_item(ps, tlist, &group[0], list, has_sets, depth + 1)?);
                } else {
                    parts.push(simple_list(ps, tlist, list, group)?);
                }
            }
            Ok(GroupingSet::Sets(parts))
        }
        ast::Expr::Tuple(exprs) if exprs.is_empty() => {
            *has_sets = true;
            Ok(GroupingSet::Empty)
        }
        other => simple_list(ps, tlist, list, std::slice::from_ref(other)),
    }
}

fn is_set_syntax(expr: &ast::Expr) -> bool {
    matches!(
        expr,
        ast::Expr::Rollup(_) | ast::Expr::Cube(_) | ast::Expr::GroupingSets(_)
    )
}

/// `DISTINCT` (all visible columns) or `DISTINCT ON (...)`
/// (`transformDistinctClause` / `transformDistinctOnClause`).
pub(super) fn transform_distinct(
    ps: &mut ParseState<'_>,
    tlist: &mut Vec<TargetEntry>,
    sort_clause: &[SortGroupClause],
    on: Option<&[ast::Expr]>,
) -> Result<Vec<SortGroupClause>> {
    let mut list: Vec<SortGroupClause> = Vec::new();
    match on {
        None => {
            // ORDER BY items come first, keeping their sort operators.
            for clause in sort_clause {
                let index = tlist
                    .iter()
                    .position(|t| t.ressortgroupref == clause.tle_sort_group_ref);
                if let Some(index) = index {
                    if tlist[index].resjunk {
                        return Err(Error::analyze(
                            SqlState::INVALID_COLUMN_REFERENCE,
                            "for SELECT DISTINCT, ORDER BY expressions must appear in select list",
                            None,
                        ));
                    }
                }
                list.push(clause.clone());
            }
            for index in 0..tlist.len() {
                if tlist[index].resjunk {
                    continue;
                }
                add_group_item(ps, tlist, index, &mut list, None)?;
            }
        }
        Some(exprs) => {
            let mut refs = Vec::new();
            for e in exprs {
                let index = find_target_entry(ps, tlist, e, ExprKind::DistinctOn)?;
                refs.push(assign_sort_group_ref(tlist, index));
            }
            // The DISTINCT ON items must lead the ORDER BY.
            let mut skipped_sort = false;
            for clause in sort_clause {
                if refs.contains(&clause.tle_sort_group_ref) {
                    if skipped_sort {
                        return Err(Error::analyze(
                            SqlState::INVALID_COLUMN_REFERENCE,
                            "SELECT DISTINCT ON expressions must match initial ORDER BY expressions",
                            None,
                        ));
                    }
                    list.push(clause.clone());
                } else {
                    skipped_sort = true;
                }
            }
            for (e, reference) in exprs.iter().zip(refs) {
                if list.iter().any(|c| c.tle_sort_group_ref == reference) {
                    continue;
                }
                let index = tlist
                    .iter()
                    .position(|t| t.ressortgroupref == reference)
                    .unwrap_or(0);
                add_group_item(ps, tlist, index, &mut list, super::expr_position(e))?;
            }
        }
    }
    Ok(list)
}

/// `LIMIT` / `OFFSET` / `FETCH FIRST` value: coerced to `bigint`
/// (`transformLimitClause`); it may not refer to the query's own columns.
pub(super) fn transform_limit(
    ps: &mut ParseState<'_>,
    node: &ast::Expr,
    kind: ExprKind,
) -> Result<Option<Expr>> {
    let position = super::expr_position(node);
    if let ast::Expr::Value(v) = node {
        if matches!(v.value, ast::Value::Null) && kind == ExprKind::Limit {
            // `LIMIT ALL` arrives as NULL as well; PostgreSQL keeps a NULL const.
        }
    }
    let saved = ps.expr_kind;
    ps.expr_kind = kind;
    let expr = deps::transform_expr(ps, node);
    ps.expr_kind = saved;
    let expr = expr?;
    if fdw_core::expr::any_node(&expr, |n| matches!(n, Expr::Var(v) if v.varlevelsup == 0))? {
        return Err(Error::analyze(
            SqlState::INVALID_COLUMN_REFERENCE,
            format!("argument of {} must not contain variables", kind.name()),
            position,
        ));
    }
    let type_oid = expr.type_oid();
    let type_name = ps.catalog.format_type(type_oid);
    match deps::coerce_to_target(
        ps,
        expr,
        INT8,
        -1,
        CoercionContext::Implicit,
        CoercionForm::ImplicitCast,
        position,
    )? {
        Some(expr) => Ok(Some(expr)),
        None => Err(Error::analyze(
            SqlState::DATATYPE_MISMATCH,
            format!(
                "argument of {} must be type bigint, not type {type_name}",
                kind.name()
            ),
            position,
        )),
    }
}

// PostgreSQL's `FRAMEOPTION_*` bits.
const FRAME_NONDEFAULT: u32 = 0x1;
const FRAME_RANGE: u32 = 0x2;
const FRAME_ROWS: u32 = 0x4;
const FRAME_GROUPS: u32 = 0x8;
const FRAME_BETWEEN: u32 = 0x10;
const FRAME_START_UNBOUNDED_PRECEDING: u32 = 0x20;
const FRAME_END_UNBOUNDED_PRECEDING: u32 = 0x40;
const FRAME_START_UNBOUNDED_FOLLOWING: u32 = 0x80;
const FRAME_END_UNBOUNDED_FOLLOWING: u32 = 0x100;
const FRAME_START_CURRENT_ROW: u32 = 0x200;
const FRAME_END_CURRENT_ROW: u32 = 0x400;
const FRAME_START_OFFSET_PRECEDING: u32 = 0x800;
const FRAME_END_OFFSET_PRECEDING: u32 = 0x1000;
const FRAME_START_OFFSET_FOLLOWING: u32 = 0x2000;
const FRAME_END_OFFSET_FOLLOWING: u32 = 0x4000;
/// `FRAMEOPTION_DEFAULTS`: `RANGE UNBOUNDED PRECEDING AND CURRENT ROW`.
const FRAME_DEFAULTS: u32 = FRAME_RANGE | FRAME_START_UNBOUNDED_PRECEDING | FRAME_END_CURRENT_ROW;

fn bound_bits(bound: &ast::WindowFrameBound, start: bool) -> u32 {
    match (bound, start) {
        (ast::WindowFrameBound::CurrentRow, true) => FRAME_START_CURRENT_ROW,
        (ast::WindowFrameBound::CurrentRow, false) => FRAME_END_CURRENT_ROW,
        (ast::WindowFrameBound::Preceding(None), true) => FRAME_START_UNBOUNDED_PRECEDING,
        (ast::WindowFrameBound::Preceding(None), false) => FRAME_END_UNBOUNDED_PRECEDING,
        (ast::WindowFrameBound::Following(None), true) => FRAME_START_UNBOUNDED_FOLLOWING,
        (ast::WindowFrameBound::Following(None), false) => FRAME_END_UNBOUNDED_FOLLOWING,
        (ast::WindowFrameBound::Preceding(Some(_)), true) => FRAME_START_OFFSET_PRECEDING,
        (ast::WindowFrameBound::Preceding(Some(_)), false) => FRAME_END_OFFSET_PRECEDING,
        (ast::WindowFrameBound::Following(Some(_)), true) => FRAME_START_OFFSET_FOLLOWING,
        (ast::WindowFrameBound::Following(Some(_)), false) => FRAME_END_OFFSET_FOLLOWING,
    }
}

fn bound_offset(bound: &ast::WindowFrameBound) -> Option<&ast::Expr> {
    match bound {
        ast::WindowFrameBound::Preceding(Some(e)) | ast::WindowFrameBound::Following(Some(e)) => {
            Some(e)
        }
        _ => None,
    }
}

/// Turns the windows collected while transforming the query's expressions
/// into `WindowClause`s (`transformWindowDefinitions`), adding `resjunk`
/// target entries for partition and order keys not selected.
pub(super) fn transform_windows(
    ps: &mut ParseState<'_>,
    tlist: &mut Vec<TargetEntry>,
) -> Result<Vec<WindowClause>> {
    let pending = ps.level().windows.clone();
    let mut clauses: Vec<WindowClause> = Vec::new();
    for (i, window) in pending.iter().enumerate() {
        let spec = &window.spec;
        let mut refname = None;
        let mut partition = Vec::new();
        let mut order = Vec::new();
        let mut inherited_order = false;
        if let Some(name) = &spec.window_name {
            let wanted = ident_name(name);
            let Some(base) = clauses
                .iter()
                .find(|c| c.name.as_deref() == Some(wanted.as_str()))
            else {
                return Err(Error::analyze(
                    SqlState::UNDEFINED_OBJECT,
                    format!("window \"{wanted}\" does not exist"),
                    super::ident_position(name),
                ));
            };
            if !spec.partition_by.is_empty() {
                return Err(Error::analyze(
                    SqlState::WINDOWING_ERROR,
                    format!("cannot override PARTITION BY clause of window \"{wanted}\""),
                    window.position,
                ));
            }
            if !spec.order_by.is_empty() && !base.order_clause.is_empty() {
                return Err(Error::analyze(
                    SqlState::WINDOWING_ERROR,
                    format!("cannot override ORDER BY clause of window \"{wanted}\""),
                    window.position,
                ));
            }
            if base.frame_options != FRAME_DEFAULTS {
                return Err(Error::analyze(
                    SqlState::WINDOWING_ERROR,
                    format!("cannot copy window \"{wanted}\" because it has a frame clause"),
                    window.position,
                ));
            }
            partition = base.partition_clause.clone();
            if spec.order_by.is_empty() {
                order = base.order_clause.clone();
                inherited_order = true;
            }
            refname = Some(wanted);
        }
        for e in &spec.partition_by {
            let index = find_target_entry_sql99(ps, tlist, e, ExprKind::WindowPartition)?;
            add_group_item(ps, tlist, index, &mut partition, super::expr_position(e))?;
        }
        if !inherited_order {
            for item in &spec.order_by {
                let index = find_target_entry_sql99(ps, tlist, &item.expr, ExprKind::WindowOrder)?;
                add_sort_item(ps, tlist, index, &mut order, item)?;
            }
        }
        let mut frame_options = FRAME_DEFAULTS;
        let mut start_offset = None;
        let mut end_offset = None;
        if let Some(frame) = &spec.window_frame {
            let (units, kind) = match frame.units {
                ast::WindowFrameUnits::Rows => (FRAME_ROWS, ExprKind::WindowFrameRows),
                ast::WindowFrameUnits::Range => (FRAME_RANGE, ExprKind::WindowFrameRange),
                ast::WindowFrameUnits::Groups => (FRAME_GROUPS, ExprKind::WindowFrameGroups),
            };
            frame_options = FRAME_NONDEFAULT | units | bound_bits(&frame.start_bound, true);
            match &frame.end_bound {
                Some(end) => frame_options |= FRAME_BETWEEN | bound_bits(end, false),
                None => frame_options |= FRAME_END_CURRENT_ROW,
            }
            let mut offset = |bound: &ast::WindowFrameBound| -> Result<Option<Expr>> {
                let Some(e) = bound_offset(bound) else {
                    return Ok(None);
                };
                if kind == ExprKind::WindowFrameRange {
                    return Err(Error::Unsupported {
                        what: "RANGE frame with an offset".into(),
                        position: super::expr_position(e),
                    });
                }
                transform_limit(ps, e, kind)
            };
            start_offset = offset(&frame.start_bound)?;
            if let Some(end) = &frame.end_bound {
                end_offset = offset(end)?;
            }
        }
        clauses.push(WindowClause {
            name: window.name.clone(),
            refname,
            partition_clause: partition,
            order_clause: order,
            frame_options,
            start_offset,
            end_offset,
            winref: u32::try_from(i + 1).unwrap_or(u32::MAX),
        });
    }
    Ok(clauses)
}
