//! Aggregates, `GROUPING` and window functions: where they may appear
//! (`check_agglevels_and_constraints`, `transformWindowFuncCall`) and the
//! grouping check of a query level (`parseCheckAggregates`).

use fdw_core::expr::{walk, Expr, Visit};
use fdw_core::query::TargetEntry;

use super::{ExprKind, ParseState, PendingWindow};
use crate::error::{Error, Position, Result, SqlState};

/// The lowest `varlevelsup` among the column references of `args` that are
/// not inside a nested sub-select, and whether an aggregate or window
/// function of that level appears inside them.
struct ArgScan {
    min_level: Option<u32>,
    aggs_at: Vec<u32>,
    has_window: bool,
}

fn scan_args(args: &[&Expr]) -> Result<ArgScan> {
    let mut scan = ArgScan {
        min_level: None,
        aggs_at: Vec::new(),
        has_window: false,
    };
    for arg in args {
        let _flow = walk(arg, |node| {
            if let Expr::Var(var) = node {
                scan.min_level = Some(
                    scan.min_level
                        .map_or(var.varlevelsup, |m| m.min(var.varlevelsup)),
                );
            } else if let Expr::Aggref(agg) = node {
                scan.aggs_at.push(agg.agglevelsup);
            } else if let Expr::GroupingFunc(g) = node {
                scan.aggs_at.push(g.agglevelsup);
            } else if let Expr::WindowFunc(_) = node {
                scan.has_window = true;
            }
            Visit::Descend
        })?;
    }
    Ok(scan)
}

pub(super) fn check_aggregate_call(
    ps: &mut ParseState<'_>,
    args: &[&Expr],
    is_grouping: bool,
    position: Option<Position>,
) -> Result<u32> {
    let scan = scan_args(args)?;
    let level = scan.min_level.unwrap_or(0);
    if scan.aggs_at.contains(&level) {
        return Err(Error::analyze(
            SqlState::GROUPING_ERROR,
            "aggregate function calls cannot be nested",
            position,
        ));
    }
    if scan.has_window && !is_grouping {
        return Err(Error::analyze(
            SqlState::GROUPING_ERROR,
            "aggregate function calls cannot contain window function calls",
            position,
        ));
    }
    let levelsup = level as usize;
    let kind = if levelsup == 0 {
        ps.expr_kind
    } else {
        ps.level_at(levelsup)
            .map_or(ExprKind::None, |l| l.saved_kind)
    };
    let what = if is_grouping {
        "grouping operations"
    } else {
        "aggregate functions"
    };
    let message = match kind {
        ExprKind::None
        | ExprKind::Other
        | ExprKind::Having
        | ExprKind::WindowPartition
        | ExprKind::WindowOrder
        | ExprKind::SelectTarget
        | ExprKind::OrderBy
        | ExprKind::DistinctOn => None,
        ExprKind::JoinOn | ExprKind::JoinUsing => {
            Some(format!("{what} are not allowed in JOIN conditions"))
        }
        ExprKind::FromSubselect => Some(format!(
            "{what} are not allowed in FROM clause of their own query level"
        )),
        ExprKind::FromFunction => Some(format!("{what} are not allowed in functions in FROM")),
        ExprKind::WindowFrameRange => Some(format!("{what} are not allowed in window RANGE")),
        ExprKind::WindowFrameRows => Some(format!("{what} are not allowed in window ROWS")),
        ExprKind::WindowFrameGroups => Some(format!("{what} are not allowed in window GROUPS")),
        ExprKind::Where
        | ExprKind::Filter
        | ExprKind::InsertTarget
        | ExprKind::UpdateSource
        | ExprKind::UpdateTarget
        | ExprKind::GroupBy
        | ExprKind::Limit
        | ExprKind::Offset
        | ExprKind::Returning
        | ExprKind::Values
        | ExprKind::ValuesSingle
        | ExprKind::ExecuteParameter => Some(format!("{what} are not allowed in {}", kind.name())),
    };
    if let Some(message) = message {
        return Err(Error::analyze(SqlState::GROUPING_ERROR, message, position));
    }
    if let Some(l) = ps.level_at_mut(levelsup) {
        l.has_aggs = true;
    }
    Ok(level)
}

pub(super) fn register_window_call(
    ps: &mut ParseState<'_>,
    args: &[&Expr],
    over: &sqlparser::ast::WindowType,
    position: Option<Position>,
) -> Result<u32> {
    let kind = ps.expr_kind;
    let message = match kind {
        ExprKind::None
        | ExprKind::Other
        | ExprKind::SelectTarget
        | ExprKind::OrderBy
        | ExprKind::DistinctOn => None,
        ExprKind::JoinOn | ExprKind::JoinUsing => {
            Some("window functions are not allowed in JOIN conditions".to_owned())
        }
        ExprKind::FromSubselect => Some(
            "window functions are not allowed in FROM clause of their own query level".to_owned(),
        ),
        ExprKind::FromFunction => {
            Some("window functions are not allowed in functions in FROM".to_owned())
        }
        ExprKind::WindowPartition
        | ExprKind::WindowOrder
        | ExprKind::WindowFrameRange
        | ExprKind::WindowFrameRows
        | ExprKind::WindowFrameGroups => {
            Some("window functions are not allowed in window definitions".to_owned())
        }
        ExprKind::Where
        | ExprKind::Having
        | ExprKind::Filter
        | ExprKind::InsertTarget
        | ExprKind::UpdateSource
        | ExprKind::UpdateTarget
        | ExprKind::GroupBy
        | ExprKind::Limit
        | ExprKind::Offset
        | ExprKind::Returning
        | ExprKind::Values
        | ExprKind::ValuesSingle
        | ExprKind::ExecuteParameter => Some(format!(
            "window functions are not allowed in {}",
            kind.name()
        )),
    };
    if let Some(message) = message {
        return Err(Error::analyze(SqlState::WINDOWING_ERROR, message, position));
    }
    if scan_args(args)?.has_window {
        return Err(Error::analyze(
            SqlState::WINDOWING_ERROR,
            "window function calls cannot be nested",
            position,
        ));
    }
    ps.level_mut().has_window_funcs = true;
    let by_name = match over {
        sqlparser::ast::WindowType::NamedWindow(name) => Some(name),
        sqlparser::ast::WindowType::WindowSpec(spec)
            if spec.partition_by.is_empty()
                && spec.order_by.is_empty()
                && spec.window_frame.is_none() =>
        {
            spec.window_name.as_ref()
        }
        sqlparser::ast::WindowType::WindowSpec(_) => None,
    };
    let windows = &mut ps.level_mut().windows;
    if let Some(name) = by_name {
        let wanted = super::ident_name(name);
        return match windows
            .iter()
            .position(|w| w.name.as_deref() == Some(wanted.as_str()))
        {
            Some(index) => Ok(winref_of(index)),
            None => Err(Error::analyze(
                SqlState::UNDEFINED_OBJECT,
                format!("window \"{wanted}\" does not exist"),
                super::ident_position(name),
            )),
        };
    }
    let sqlparser::ast::WindowType::WindowSpec(spec) = over else {
        return Err(Error::Internal("window without a specification".into()));
    };
    // An inline window equal to an earlier inline one shares its clause.
    if let Some(index) = windows
        .iter()
        .position(|w| w.name.is_none() && &w.spec == spec)
    {
        return Ok(winref_of(index));
    }
    windows.push(PendingWindow {
        name: None,
        spec: spec.clone(),
        position,
    });
    Ok(winref_of(windows.len() - 1))
}

fn winref_of(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// The grouping check of one query level: every column reference of this
/// level in the target list, `HAVING` and `ORDER BY` entries must be inside
/// an aggregate of this level or inside an expression equal to a `GROUP BY`
/// item. Also fills in `GROUPING(...)` references.
pub(super) fn check_grouping(
    ps: &ParseState<'_>,
    target_list: &mut [TargetEntry],
    having: Option<&mut Expr>,
    group_refs: &[u32],
) -> Result<()> {
    let grouped: Vec<(Expr, u32)> = group_refs
        .iter()
        .filter_map(|r| {
            target_list
                .iter()
                .find(|t| t.ressortgroupref == *r)
                .map(|t| (t.expr.clone(), *r))
        })
        .collect();
    for tle in target_list.iter_mut() {
        // Target entries that are themselves grouping items are fine.
        if grouped.iter().any(|(e, _)| *e == tle.expr) {
            continue;
        }
        check_expr(ps, &mut tle.expr, &grouped, 0)?;
    }
    if let Some(having) = having {
        check_expr(ps, having, &grouped, 0)?;
    }
    Ok(())
}

fn check_expr(
    ps: &ParseState<'_>,
    expr: &mut Expr,
    grouped: &[(Expr, u32)],
    depth: usize,
) -> Result<()> {
    if depth > fdw_core::expr::DEFAULT_MAX_DEPTH {
        return Err(Error::TooDeep {
            limit: fdw_core::expr::DEFAULT_MAX_DEPTH,
        });
    }
    if grouped.iter().any(|(e, _)| e == expr) {
        return Ok(());
    }
    if matches!(expr, Expr::Aggref(agg) if agg.agglevelsup == 0) {
        return Ok(());
    }
    if let Expr::GroupingFunc(g) = expr {
        if g.agglevelsup == 0 {
            let mut refs = Vec::with_capacity(g.args.len());
            for arg in &g.args {
                match grouped.iter().find(|(e, _)| e == arg) {
                    Some((_, r)) => refs.push(*r),
                    None => {
                        return Err(Error::analyze(
                            SqlState::GROUPING_ERROR,
                            "arguments to GROUPING must be grouping expressions of the associated query level",
                            None,
                        ))
                    }
                }
            }
            g.refs = refs;
            return Ok(());
        }
    }
    if let Expr::SubLink(sublink) = expr {
        check_sublink_query(ps, &sublink.subselect, grouped, 1, depth + 1)?;
    }
    if let Expr::Var(var) = expr {
        if var.varlevelsup == 0 {
            let (table, column) = ps.var_names(var);
            return Err(Error::analyze(
                SqlState::GROUPING_ERROR,
                format!(
                    "column \"{table}.{column}\" must appear in the GROUP BY clause or be used in an aggregate function"
                ),
                None,
            ));
        }
    }
    for child in expr.children_mut() {
        check_expr(ps, child, grouped, depth + 1)?;
    }
    Ok(())
}

/// Column references of the grouped level inside a sub-select
/// (`varlevelsup` equal to the sub-select's nesting) must be grouping
/// columns too (`check_ungrouped_columns_walker`).
fn check_sublink_query(
    ps: &ParseState<'_>,
    query: &fdw_core::query::Query,
    grouped: &[(Expr, u32)],
    levels: u32,
    depth: usize,
) -> Result<()> {
    if depth > fdw_core::expr::DEFAULT_MAX_DEPTH {
        return Err(Error::TooDeep {
            limit: fdw_core::expr::DEFAULT_MAX_DEPTH,
        });
    }
    let mut exprs: Vec<&Expr> = query.target_list.iter().map(|t| &t.expr).collect();
    exprs.extend(query.jointree.quals.iter());
    exprs.extend(query.having_qual.iter());
    let mut ungrouped: Option<fdw_core::expr::Var> = None;
    let mut nested: Vec<&fdw_core::query::Query> = Vec::new();
    for expr in exprs {
        let _flow = walk(expr, |node| {
            if let Expr::Aggref(agg) = node {
                if agg.agglevelsup == levels {
                    return Visit::Skip;
                }
            }
            if let Expr::Var(var) = node {
                if var.varlevelsup == levels && ungrouped.is_none() {
                    let matches = grouped.iter().any(|(g, _)| {
                        matches!(g, Expr::Var(gv) if gv.varno == var.varno && gv.varattno == var.varattno)
                    });
                    if !matches {
                        ungrouped = Some(var.clone());
                    }
                }
            }
            Visit::Descend
        })?;
    }
    if let Some(var) = ungrouped {
        let local = fdw_core::expr::Var {
            varlevelsup: 0,
            ..var
        };
        let (table, column) = ps.var_names(&local);
        return Err(Error::analyze(
            SqlState::GROUPING_ERROR,
            format!("subquery uses ungrouped column \"{table}.{column}\" from outer query"),
            None,
        ));
    }
    for rte in &query.rtable {
        if let fdw_core::query::RteKind::Subquery { query: sub, .. } = &rte.kind {
            nested.push(sub);
        }
    }
    for sub in nested {
        check_sublink_query(ps, sub, grouped, levels + 1, depth + 1)?;
    }
    Ok(())
}
