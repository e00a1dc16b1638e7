//! The local nodes above and beside the scans, with PostgreSQL 15's
//! estimates and choices: local `Seq Scan`s, aggregation (plain, sorted,
//! hashed with its spill costs, or a `Group` node without aggregates,
//! chosen by cost as `add_paths_to_grouping_rel` and `add_path` do),
//! `SELECT DISTINCT` (`Unique` over sorted input or hashing), the final
//! `Sort` or `Incremental Sort`, `LIMIT`, and the constant false `Result`.
//!
//! Estimates are attached only where PostgreSQL would plan the same shape
//! locally: when it could sort, aggregate or limit on the remote server
//! instead (postgres_fdw's sorted, grouped and final paths over a single
//! table), or when the shape it would choose is one this planner does not
//! emit, the nodes keep no estimate and the reason goes to
//! [`crate::plan_query::PlannedQuery::cost_errors`].

use std::borrow::Cow;

use fdw_catalog::Catalog;
use fdw_core::expr::{Aggref, Expr, Visit};
use fdw_core::plan::{
    AggStrategy, Aggregate, Cost, Limit, PlanKind, PlanNode, Sort, SortDirection, SortKey,
};
use fdw_core::query::{Query, RelKind, SortGroupClause};
use fdw_core::{AttrNumber, Oid, RelIndex};
use fdw_cost::selectivity::{RestrictClause, SelContext};
use fdw_cost::upper::{
    self as formulas, AggCosts, AggInput, AggKind, GroupRel, GroupVar, HavingQual, Kept, KeysCmp,
    LimitValue, UpperPath, VariableFacts,
};
use fdw_cost::width::{rel_width, typ_avg_width, ColumnType};
use fdw_cost::{clamp_row_est, cost_qual_eval, CostParams, QualCost};
use fdw_deparse::{is_foreign_expr, Dialect, ForeignRel, ForeignRelKind, ScanRel};
use fdw_sql::PreparedQuery;

use crate::costing::{column_types, CostSetup, ScanClause};
use crate::error::Result;

/// `min_parallel_table_scan_size` in pages (8 MB): from this size on
/// PostgreSQL also considers a parallel scan, which is not modelled.
const MIN_PARALLEL_PAGES: f64 = 1024.0;
/// `array_append`, whose expanded-array state PostgreSQL sizes at
/// `ALLOCSET_SMALL_INITSIZE`.
const F_ARRAY_APPEND: Oid = Oid(378);
const ALLOCSET_SMALL_INITSIZE: f64 = 1024.0;
const BOOL: Oid = Oid(16);

/// Why a node has no estimate.
type Why = String;

/// What the upper planning reads.
pub(crate) struct UpperInput<'a> {
    /// The catalog.
    pub catalog: &'a Catalog,
    /// The remote dialect (for shippability).
    pub dialect: &'a dyn Dialect,
    /// The query's cost settings.
    pub costs: &'a CostSetup,
    /// The query.
    pub prepared: &'a PreparedQuery,
    /// The base relations: range-table index, oid, kind.
    pub rels: &'a [(RelIndex, Oid, RelKind)],
    /// The final target list (junk entries included).
    pub tlist: &'a [Expr],
}

/// The estimate of a local table's `Seq Scan` returning `output`, with its
/// restriction clauses (pseudoconstant ones included when it is the only
/// relation).
pub(crate) fn local_scan_cost(
    catalog: &Catalog,
    setup: &CostSetup,
    rtindex: RelIndex,
    table: Oid,
    clauses: &[ScanClause<'_>],
    output: &[Expr],
) -> std::result::Result<Cost, Why> {
    let params = setup.params();
    let size = catalog.relation_stats(table);
    let (pages, tuples) = formulas::local_table_size(size.relpages, f64::from(size.reltuples))
        .map_err(|e| e.to_string())?;
    if pages >= MIN_PARALLEL_PAGES {
        return Err("a local table large enough for a parallel scan (not modelled)".into());
    }
    let relation = catalog
        .relation(table)
        .ok_or_else(|| format!("relation {} is not in the catalog", table.0))?;
    let stats = catalog.stats(table);
    let width = crate::costing::scan_target_width(catalog, stats, relation, rtindex, output)
        .ok_or_else(|| "a computed expression in a scan's target list".to_string())?;
    let values = setup.values(catalog);
    let context = SelContext {
        catalog,
        rel: rtindex,
        stats,
        tuples,
        values: &values,
        default_collation_is_c: setup.default_collation_is_c(),
    };
    let restrict: Vec<RestrictClause<'_>> = clauses
        .iter()
        .map(|c| RestrictClause {
            expr: c.expr,
            pseudoconstant: c.pseudoconstant,
        })
        .collect();
    let selectivity = context
        .restrict_list_selectivity(&restrict)
        .map_err(|e| e.to_string())?;
    let mut restrict_cost = QualCost::default();
    for clause in clauses {
        let cost = cost_qual_eval(catalog, params, std::iter::once(clause.expr))
            .map_err(|e| e.to_string())?;
        restrict_cost = restrict_cost.plus(if clause.pseudoconstant {
            // A gating qual runs once: its per-row cost becomes startup.
            QualCost {
                startup: cost.startup + cost.per_tuple,
                per_tuple: 0.0,
            }
        } else {
            cost
        });
    }
    let rows = clamp_row_est(tuples * selectivity);
    let (startup, total) = formulas::seqscan_cost(
        params,
        pages,
        tuples,
        rows,
        restrict_cost,
        QualCost::default(),
    );
    Ok(Cost {
        startup,
        total,
        rows,
        width: u32::try_from(width).unwrap_or(0),
    })
}

/// One ordering key of a path (`PathKey`): the expression, its ordering
/// operator and where nulls go.
#[derive(Debug, Clone, PartialEq)]
struct PathKey {
    expr: Expr,
    sortop: Oid,
    nulls_first: bool,
}

/// `compare_pathkeys`.
fn compare_keys(a: &[PathKey], b: &[PathKey]) -> KeysCmp {
    if a == b {
        KeysCmp::Equal
    } else if a.starts_with(b) {
        KeysCmp::Better1
    } else if b.starts_with(a) {
        KeysCmp::Better2
    } else {
        KeysCmp::Different
    }
}

/// A path of an upper relation: its plan, estimate and ordering; `shape`
/// says why this planner cannot emit it when PostgreSQL's plan would be a
/// node kind not planned here.
#[derive(Debug, Clone)]
struct Candidate {
    node: PlanNode,
    path: UpperPath,
    keys: Vec<PathKey>,
    shape: Option<Why>,
}

/// `add_path` over an upper relation's list, which stays sorted by total
/// cost as PostgreSQL keeps it.
fn add_path(list: &mut Vec<Candidate>, new: Candidate, consider_startup: bool) {
    let mut accept = true;
    let mut i = 0;
    while i < list.len() {
        let Some(old) = list.get(i) else { break };
        match formulas::add_path_verdict(
            &new.path,
            &old.path,
            compare_keys(&new.keys, &old.keys),
            consider_startup,
        ) {
            Kept::New => {
                list.remove(i);
                continue;
            }
            Kept::Old => {
                accept = false;
                break;
            }
            Kept::Both => {}
        }
        i += 1;
    }
    if accept {
        let pos = list
            .iter()
            .position(|p| new.path.total < p.path.total)
            .unwrap_or(list.len());
        list.insert(pos, new);
    }
}

/// `set_cheapest`'s cheapest-total path: lowest total, then lowest startup.
fn cheapest_total(list: &[Candidate]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, c) in list.iter().enumerate() {
        let better = match best.and_then(|b| list.get(b)) {
            None => true,
            Some(b) => {
                c.path.total < b.path.total
                    || (c.path.total == b.path.total && c.path.startup < b.path.startup)
            }
        };
        if better {
            best = Some(i);
        }
    }
    best
}

/// `get_cheapest_fractional_path`.
fn cheapest_fractional(list: &[Candidate], tuple_fraction: f64) -> Option<usize> {
    let best0 = cheapest_total(list)?;
    if tuple_fraction <= 0.0 {
        return Some(best0);
    }
    let mut best = best0;
    let rows = list.get(best0).map_or(0.0, |c| c.path.rows);
    let fraction = if tuple_fraction >= 1.0 && rows > 0.0 {
        tuple_fraction / rows
    } else {
        tuple_fraction
    };
    for (i, c) in list.iter().enumerate() {
        if i == best0 {
            continue;
        }
        let Some(b) = list.get(best) else { continue };
        let cost = |p: &UpperPath| {
            if fraction <= 0.0 || fraction >= 1.0 {
                (p.total, p.startup)
            } else {
                (p.startup + fraction * (p.total - p.startup), 0.0)
            }
        };
        let (bc, bs) = cost(&b.path);
        let (cc, cs) = cost(&c.path);
        if cc < bc || (cc == bc && cs < bs) {
            best = i;
        }
    }
    Some(best)
}

/// The nodes above the scans and joins of `top` for the query's grouping,
/// `DISTINCT`, ordering and `LIMIT`, with estimates where PostgreSQL would
/// plan them the same way.
pub(crate) fn plan_upper(
    input: &UpperInput<'_>,
    top: PlanNode,
    cost_errors: &mut Vec<String>,
) -> Result<PlanNode> {
    let query = &input.prepared.query;
    let has_agg = !query.group_clause.is_empty()
        || query.having_qual.is_some()
        || query.target_list.iter().any(|te| contains_aggref(&te.expr));
    let group_clause = preprocess_groupclause(query);
    // Nothing above the scan/join level but the final target list: the
    // costed and uncosted plans are the same node (a projection estimate
    // failing leaves it without an estimate either way), so the copy kept
    // for the uncosted fallback below is not needed. Only the final
    // target's width is estimated then, which reads the relations' tables
    // but not their sizes: the scans need not be looked up in the tree.
    if !has_agg
        && query.distinct_clause.is_empty()
        && query.sort_clause.is_empty()
        && query.grouping_sets.is_empty()
        && query.row_marks.is_empty()
        && !limit_needed(query)
    {
        // Only the final target's width is read (through the query's
        // relations, not the sizes).
        let planner = Upper::without_sizes(input);
        return planner.plan_uncosted(top, has_agg, &group_clause, cost_errors);
    }
    let planner = Upper::new(input, &top);
    let group_keys = planner.path_keys(&group_clause);
    let distinct_keys = planner.path_keys(&query.distinct_clause);
    let sort_keys = planner.path_keys(&query.sort_clause);
    let costed = match top.cost {
        None => Err(None),
        Some(_) => planner
            .stays_local(
                &top,
                has_agg,
                &group_keys,
                &distinct_keys,
                &sort_keys,
                false,
            )
            .map_err(Some),
    };
    match costed.and_then(|()| {
        planner
            .plan_costed(
                ScanJoin::Single(Box::new(top.clone())),
                has_agg,
                &group_clause,
            )
            .map_err(Some)
    }) {
        Ok(node) => Ok(node),
        Err(why) => {
            if let Some(why) = why {
                cost_errors.push(why);
            }
            planner.plan_uncosted(top, has_agg, &group_clause, cost_errors)
        }
    }
}

/// The scan/join level below the upper planning: one scan (or the
/// join-tree plan), or the top join relation's paths.
enum ScanJoin {
    /// A single plan.
    Single(Box<PlanNode>),
    /// The top join's paths in path-list order with how many leading
    /// query pathkeys each is sorted by, and the cheapest-total one.
    Paths(Vec<(PlanNode, usize)>, usize),
}

/// What the join search needs to know of the query above it.
pub(crate) struct JoinTargets<'a> {
    /// The expressions read above the joins (final target list, `HAVING`);
    /// the final target list borrowed when there is no `HAVING`.
    pub needed: Cow<'a, [Expr]>,
    /// The target list the top join computes: the final one (borrowed),
    /// or the grouping input under aggregation.
    pub target: Cow<'a, [Expr]>,
    /// `root->query_pathkeys`: expression, ordering operator, nulls first.
    pub query_keys: Vec<(Expr, Oid, bool)>,
    /// `root->tuple_fraction`.
    pub tuple_fraction: f64,
}

/// Whether the query has work above the scan/join level besides the
/// final target list.
pub(crate) fn has_upper_work(query: &Query) -> bool {
    has_aggregation(query)
        || !query.distinct_clause.is_empty()
        || !query.sort_clause.is_empty()
        || !query.grouping_sets.is_empty()
        || !query.row_marks.is_empty()
        || limit_needed(query)
}

fn has_aggregation(query: &Query) -> bool {
    !query.group_clause.is_empty()
        || query.having_qual.is_some()
        || query.target_list.iter().any(|te| contains_aggref(&te.expr))
}

/// `preprocess_limit`'s `tuple_fraction` and `limit_tuples`, and whether
/// upper relations consider startup costs.
fn limit_fractions(query: &Query) -> (bool, f64, f64) {
    let count = limit_value(query.limit_count.as_ref(), true);
    let offset = limit_value(query.limit_offset.as_ref(), false);
    let count_est = if limit_needed(query) {
        count.estimate()
    } else {
        0.0
    };
    let tuple_fraction = if count_est == 0.0 {
        0.0
    } else if count_est < 0.0 || offset.estimate() < 0.0 {
        0.10
    } else {
        count_est + offset.estimate()
    };
    (
        count_est != 0.0,
        tuple_fraction,
        formulas::limit_tuples(count, offset),
    )
}

fn scan_in(scans: &[(RelIndex, PlanNode)], rti: RelIndex) -> Option<&PlanNode> {
    scans.iter().find(|(r, _)| *r == rti).map(|(_, n)| n)
}

/// What the join search needs from the query above it; `Err`
/// when the upper planning over joins is not modelled for this query.
pub(crate) fn join_targets<'a>(
    input: &UpperInput<'a>,
) -> std::result::Result<JoinTargets<'a>, Why> {
    // The relations' sizes are not read here (only the query's keys and
    // targets): no scan is looked up, and none is listed.
    let planner = Upper::without_sizes(input);
    let query = planner.query();
    if !query.grouping_sets.is_empty() {
        return Err("grouping sets over joins are not costed".into());
    }
    if query.has_distinct_on {
        return Err("DISTINCT ON is not costed".into());
    }
    // A HAVING condition without aggregates is moved to WHERE by
    // PostgreSQL (subquery_planner), which is not done here.
    if let Some(having) = &query.having_qual {
        if having_conjuncts(having).iter().any(|c| !contains_aggref(c)) {
            return Err(
                "a HAVING condition without an aggregate over joins (PostgreSQL moves it to WHERE) is not costed"
                    .into(),
            );
        }
    }
    let group_clause = preprocess_groupclause(query);
    let query_keys = planner
        .query_pathkeys(&group_clause)
        .into_iter()
        .map(|k| (k.expr, k.sortop, k.nulls_first))
        .collect();
    let target = if has_aggregation(query) {
        Cow::Owned(planner.group_input_target())
    } else {
        Cow::Borrowed(input.tlist)
    };
    let needed = match &query.having_qual {
        Some(having) => {
            let mut needed = input.tlist.to_vec();
            needed.push(having.clone());
            Cow::Owned(needed)
        }
        None => Cow::Borrowed(input.tlist),
    };
    let (_, tuple_fraction, _) = limit_fractions(query);
    Ok(JoinTargets {
        needed,
        target,
        query_keys,
        tuple_fraction,
    })
}

/// `FirstGenbkiObjectId`: objects below it are built in, and postgres_fdw
/// ships a built-in operator family's sort without asking (`is_shippable`).
const FIRST_GENBKI_OBJECT_ID: u32 = 10000;

/// postgres_fdw's second path of each foreign base relation of a local
/// join, sorted on the remote server by the query's pathkeys
/// (`add_paths_with_pathkeys_for_rel` without remote estimates: only
/// `root->query_pathkeys`, and only when every key's class has a member of
/// this relation that ships, `is_foreign_pathkey` / `find_em_for_rel`).
/// Each is the relation's scan with `ORDER BY` in its remote SQL and the
/// sorted estimate; relations without one are left out. `Err` when
/// PostgreSQL would add one this planner cannot reproduce exactly.
pub(crate) fn sorted_foreign_scans(
    input: &UpperInput<'_>,
    scans: &[(RelIndex, PlanNode)],
    query_keys: &[(Expr, Oid, bool)],
) -> std::result::Result<Vec<(RelIndex, PlanNode)>, Why> {
    let mut out = Vec::new();
    if query_keys.is_empty() {
        return Ok(out);
    }
    let catalog = input.catalog;
    let quals = &input.prepared.quals;
    for (rti, node) in scans {
        let PlanKind::ForeignScan(fs) = &node.kind else {
            continue;
        };
        if fs.kind != fdw_core::plan::ForeignScanKind::Base {
            continue;
        }
        let Some(&(_, table, _)) = input.rels.iter().find(|(r, _, _)| r == rti) else {
            return Err("a foreign scan of an unknown relation".into());
        };
        let scan_rel = ScanRel::base(*rti, table);
        let rel = ForeignRel::base(catalog, input.dialect, &scan_rel).map_err(|e| e.to_string())?;
        let own = |relids: &fdw_sql::joins::Relids| relids.singleton() == Some(*rti);
        let ships = |expr: &Expr| {
            !catalog.contain_volatile_functions(expr).unwrap_or(true)
                && is_foreign_expr(&rel, expr).is_ok_and(|s| s.is_shippable())
        };
        let mut keys = Vec::new();
        for (expr, sortop, nulls_first) in query_keys {
            // find_em_for_rel: the class's first member of this relation
            // that ships; a key outside every class is its own member.
            let member = match quals
                .equivalence_classes
                .iter()
                .find(|ec| ec.members.iter().any(|m| &m.expr == expr))
            {
                Some(ec) => {
                    if ec
                        .members
                        .iter()
                        .any(|m| catalog.contain_volatile_functions(&m.expr).unwrap_or(true))
                    {
                        None
                    } else {
                        ec.members
                            .iter()
                            .find(|m| own(&m.relids) && ships(&m.expr))
                            .map(|m| &m.expr)
                    }
                }
                None => {
                    let relids: fdw_sql::joins::Relids = vars_in(&[expr])
                        .iter()
                        .filter_map(|v| match v {
                            Expr::Var(var) => Some(var.varno),
                            _ => None,
                        })
                        .collect();
                    (own(&relids) && ships(expr)).then_some(expr)
                }
            };
            let Some(member) = member else {
                break;
            };
            keys.push((member, *sortop, *nulls_first, expr));
        }
        if keys.len() != query_keys.len() {
            continue;
        }
        let mut order_by = Vec::new();
        for (member, sortop, nulls_first, key_expr) in keys {
            if sortop.0 >= FIRST_GENBKI_OBJECT_ID {
                return Err("PostgreSQL may sort on the remote server by an extension's operator family, which is not planned".into());
            }
            if member.type_oid() != key_expr.type_oid() {
                return Err("PostgreSQL may sort on the remote server by a member of another type, which is not planned".into());
            }
            order_by.push(fdw_deparse::SortKey {
                expr: member.clone(),
                sortop,
                nulls_first,
            });
        }
        let remote = &fs.remote;
        let mut scan = fdw_deparse::BaseRelScan::new(
            *rti,
            table,
            fdw_deparse::AttrsUsed::from_attnums(remote.retrieved_attrs.iter().copied()),
        );
        scan.remote_conds = remote.remote_quals.clone();
        scan.local_conds = remote.local_quals.clone();
        scan.order_by = order_by;
        let sorted_remote =
            fdw_deparse::deparse_select_for_base_rel_into(catalog, input.dialect, scan)
                .map_err(|e| e.to_string())?;
        // The same restriction clauses as the plain scan's estimate.
        let conds: Vec<&Expr> = quals
            .base
            .get(rti)
            .map(|list| list.iter().map(|c| &*c.expr).collect())
            .unwrap_or_default();
        let clauses: Vec<ScanClause<'_>> = conds
            .iter()
            .map(|&expr| ScanClause {
                expr,
                pseudoconstant: false,
                local: remote.local_quals.iter().any(|local| **local == *expr),
            })
            .collect();
        let cost = input
            .costs
            .estimate_sorted_foreign_scan(catalog, *rti, table, &clauses, &node.output)
            .map_err(|e| e.to_string())?;
        let mut sorted = node.clone();
        if let PlanKind::ForeignScan(sfs) = &mut sorted.kind {
            sfs.remote = std::sync::Arc::new(sorted_remote);
        }
        sorted.cost = Some(cost);
        out.push((*rti, sorted));
    }
    Ok(out)
}

/// The upper nodes over the top join relation's paths (`paths`, with the
/// cheapest-total one), chosen and costed as PostgreSQL 15 does; `Err`
/// when PostgreSQL's plan is one not modelled here.
pub(crate) fn plan_upper_joined(
    input: &UpperInput<'_>,
    scans: &[(RelIndex, PlanNode)],
    paths: Vec<(PlanNode, usize)>,
    cheapest: usize,
) -> std::result::Result<PlanNode, Why> {
    let planner = Upper::with_scans(input, |rti| scan_in(scans, rti));
    let query = planner.query();
    let has_agg = has_aggregation(query);
    let group_clause = preprocess_groupclause(query);
    let group_keys = planner.path_keys(&group_clause);
    let distinct_keys = planner.path_keys(&query.distinct_clause);
    let sort_keys = planner.path_keys(&query.sort_clause);
    let top = paths
        .get(cheapest)
        .map(|(node, _)| node.clone())
        .ok_or_else(|| "no join path".to_string())?;
    planner.stays_local(&top, has_agg, &group_keys, &distinct_keys, &sort_keys, true)?;
    // Keys of different lists naming members of one class are one
    // pathkey to PostgreSQL (a sorted grouping may then serve ORDER BY
    // on another member); compared by expression here, so refused.
    let classes = &input.prepared.quals.equivalence_classes;
    let all: Vec<&PathKey> = group_keys
        .iter()
        .chain(&distinct_keys)
        .chain(&sort_keys)
        .collect();
    for a in &all {
        for b in &all {
            if a.expr != b.expr
                && classes.iter().any(|ec| {
                    ec.members.iter().any(|m| m.expr == a.expr)
                        && ec.members.iter().any(|m| m.expr == b.expr)
                })
            {
                return Err(
                    "ordering keys on different members of one equivalence class are not costed"
                        .into(),
                );
            }
        }
    }
    planner.plan_costed(ScanJoin::Paths(paths, cheapest), has_agg, &group_clause)
}

/// `preprocess_groupclause`: the `GROUP BY` list reordered to match
/// `ORDER BY` when one is a prefix of the other, so one sort serves both.
fn preprocess_groupclause(query: &Query) -> Vec<SortGroupClause> {
    let groups = &query.group_clause;
    if query.sort_clause.is_empty() || !query.grouping_sets.is_empty() {
        return groups.clone();
    }
    let mut reordered: Vec<SortGroupClause> = Vec::new();
    let mut partial = false;
    for sc in &query.sort_clause {
        match groups.iter().find(|gc| *gc == sc) {
            Some(gc) => reordered.push(gc.clone()),
            None => {
                partial = true;
                break;
            }
        }
    }
    if reordered.is_empty() {
        return groups.clone();
    }
    for gc in groups {
        if reordered.contains(gc) {
            continue;
        }
        if partial || gc.sortop.is_invalid() {
            return groups.clone();
        }
        reordered.push(gc.clone());
    }
    reordered
}

/// The conjuncts of a `HAVING` condition (its top-level `AND`'s arms).
fn having_conjuncts(having: &Expr) -> Vec<&Expr> {
    match having {
        Expr::BoolExpr(b) if b.boolop == fdw_core::expr::BoolExprType::And => {
            b.args.iter().collect()
        }
        other => vec![other],
    }
}

/// True when `expr` holds an aggregate call of this query level.
fn contains_aggref(expr: &Expr) -> bool {
    // A column or constant (most target entries; the question is asked
    // of every entry several times per query) holds none: no walk.
    if let Expr::Var(_) | Expr::Const(_) = expr {
        return false;
    }
    any_node(expr, |node| matches!(node, Expr::Aggref(_)))
}

fn any_node(expr: &Expr, mut pred: impl FnMut(&Expr) -> bool) -> bool {
    let mut found = false;
    let _ = fdw_core::expr::walk(expr, |node| {
        if pred(node) {
            found = true;
            return Visit::Stop;
        }
        Visit::Descend
    });
    found
}

/// The `Var`s of this query level in `exprs`, in order of appearance,
/// without duplicates (`pull_var_clause`, aggregates recursed into).
fn vars_in(exprs: &[&Expr]) -> Vec<Expr> {
    let mut out: Vec<Expr> = Vec::new();
    for expr in exprs {
        let _ = fdw_core::expr::walk(expr, |node| {
            if let Expr::Var(var) = node {
                if var.varlevelsup == 0 && !out.contains(node) {
                    out.push(node.clone());
                }
            }
            Visit::Descend
        });
    }
    out
}

/// `RelabelType`s stripped, as `examine_variable` does.
fn strip_relabel(expr: &Expr) -> &Expr {
    match expr {
        Expr::RelabelType(r) => strip_relabel(&r.arg),
        other => other,
    }
}

struct Upper<'a> {
    input: &'a UpperInput<'a>,
    params: CostParams,
    /// Per base relation: its oid, kind, `rel->tuples` and `rel->rows`
    /// (when its scan has an estimate).
    sizes: RelSizes,
}

/// A base relation's oid, kind and size ([`Upper::sizes`]).
type RelSize = (Oid, RelKind, Option<GroupRel>);

/// [`Upper::sizes`]: a map by range-table index, ascending, as a list. A
/// query has a few relations, and the planner is made for every query
/// (twice over joins): a sorted list needs no tree nodes.
struct RelSizes(Vec<(RelIndex, RelSize)>);

impl RelSizes {
    /// Sets `rti`'s entry (`BTreeMap::insert`), keeping the order.
    fn insert(&mut self, rti: RelIndex, size: RelSize) {
        match self.0.binary_search_by_key(&rti, |(r, _)| *r) {
            Ok(at) => {
                if let Some(entry) = self.0.get_mut(at) {
                    entry.1 = size;
                }
            }
            Err(at) => self.0.insert(at, (rti, size)),
        }
    }

    fn get(&self, rti: &RelIndex) -> Option<&RelSize> {
        self.get_key_value(rti).map(|(_, size)| size)
    }

    fn get_key_value(&self, rti: &RelIndex) -> Option<(&RelIndex, &RelSize)> {
        self.0
            .iter()
            .find(|(r, _)| r == rti)
            .map(|(r, size)| (r, size))
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    /// In ascending order.
    fn keys(&self) -> impl Iterator<Item = &RelIndex> {
        self.0.iter().map(|(r, _)| r)
    }

    /// In ascending order.
    fn iter(&self) -> impl Iterator<Item = (&RelIndex, &RelSize)> {
        self.0.iter().map(|(r, size)| (r, size))
    }
}

impl<'a> Upper<'a> {
    fn new(input: &'a UpperInput<'a>, top: &PlanNode) -> Upper<'a> {
        Upper::with_scans(input, |rti| find_scan(top, rti))
    }

    /// The planner for what reads no relation's size (the query's keys
    /// and targets, the final target's width): its [`Upper::sizes`] is
    /// empty.
    fn without_sizes(input: &'a UpperInput<'a>) -> Upper<'a> {
        Upper {
            input,
            params: *input.costs.params(),
            sizes: RelSizes(Vec::new()),
        }
    }

    /// The planner over the base relations' scans found by `scan_of`.
    fn with_scans<'n>(
        input: &'a UpperInput<'a>,
        scan_of: impl Fn(RelIndex) -> Option<&'n PlanNode>,
    ) -> Upper<'a> {
        let mut sizes = RelSizes(Vec::with_capacity(input.rels.len()));
        for &(rti, relid, kind) in input.rels {
            let scan = scan_of(rti);
            let size = scan.and_then(|scan| {
                let rows = scan.cost?.rows;
                let stats = input.catalog.relation_stats(relid);
                let tuples = match kind {
                    RelKind::ForeignTable if stats.never_analyzed() => {
                        fdw_cost::path::unanalyzed_tuples(
                            i32::try_from(scan.cost?.width).unwrap_or(0),
                        )
                    }
                    RelKind::ForeignTable => f64::from(stats.reltuples),
                    _ => {
                        formulas::local_table_size(stats.relpages, f64::from(stats.reltuples))
                            .ok()?
                            .1
                    }
                };
                Some(GroupRel { tuples, rows })
            });
            sizes.insert(rti, (relid, kind, size));
        }
        Upper {
            input,
            params: *input.costs.params(),
            sizes,
        }
    }

    fn catalog(&self) -> &'a Catalog {
        self.input.catalog
    }

    fn query(&self) -> &'a Query {
        &self.input.prepared.query
    }

    /// The target entry expression a clause refers to.
    fn clause_expr(&self, clause: &SortGroupClause) -> Option<&'a Expr> {
        self.query()
            .target_list
            .iter()
            .find(|te| te.ressortgroupref == clause.tle_sort_group_ref)
            .map(|te| &te.expr)
    }

    /// The pathkeys of a clause list: constant items dropped, as
    /// PostgreSQL drops their redundant pathkeys.
    fn path_keys(&self, clauses: &[SortGroupClause]) -> Vec<PathKey> {
        clauses
            .iter()
            .filter_map(|clause| {
                let expr = self.clause_expr(clause)?;
                if is_constant(self.catalog(), expr) {
                    return None;
                }
                Some(PathKey {
                    expr: expr.clone(),
                    sortop: clause.sortop,
                    nulls_first: clause.nulls_first,
                })
            })
            .collect()
    }

    /// `node` under a Sort by `keys` (`create_sort_path`), with the
    /// Sort's estimate; `limit_tuples` bounds it (-1 for none).
    fn sorted(
        &self,
        node: PlanNode,
        input: &UpperPath,
        keys: &[PathKey],
        limit_tuples: f64,
    ) -> (PlanNode, UpperPath) {
        let path = formulas::sort_path(
            &self.params,
            self.enabled("enable_sort"),
            input,
            limit_tuples,
        );
        let output = node.output.clone();
        (
            sort_node(node, self.sort_keys(keys, &output), output, Some(path)),
            path,
        )
    }

    /// `node`, sorted by the first `presorted` of `keys` already, under an
    /// `Incremental Sort` by all of them (`create_incremental_sort_path`).
    /// The groups of equal presorted keys are estimated over each key
    /// class's first member, as `cost_incremental_sort` reads them.
    fn incrementally_sorted(
        &self,
        node: PlanNode,
        input: &UpperPath,
        keys: &[PathKey],
        presorted: usize,
        limit_tuples: f64,
    ) -> std::result::Result<(PlanNode, UpperPath), Why> {
        let classes = &self.input.prepared.quals.equivalence_classes;
        let exprs: Vec<Expr> = keys
            .iter()
            .take(presorted)
            .map(|k| {
                classes
                    .iter()
                    .find(|ec| ec.members.iter().any(|m| m.expr == k.expr))
                    .and_then(|ec| ec.members.first())
                    .map_or_else(|| k.expr.clone(), |m| m.expr.clone())
            })
            .collect();
        let groups = self.num_groups(&exprs, input.rows.max(2.0))?;
        let path = formulas::incremental_sort_path(&self.params, input, groups, limit_tuples);
        let output = node.output.clone();
        let mut sorted = sort_node(node, self.sort_keys(keys, &output), output, Some(path));
        if let PlanKind::Sort(sort) = &mut sorted.kind {
            sort.presorted_keys = presorted;
        }
        Ok((sorted, path))
    }

    /// The sort keys of a `Sort` over rows with columns `output`: each
    /// key sorts by the first column that is a member of the key's
    /// equivalence class (`prepare_sort_from_pathkeys`), else by its own
    /// expression.
    fn sort_keys(&self, keys: &[PathKey], output: &[Expr]) -> Vec<SortKey> {
        let classes = &self.input.prepared.quals.equivalence_classes;
        keys.iter()
            .map(|key| SortKey {
                expr: classes
                    .iter()
                    .find(|ec| !ec.has_const() && ec.members.iter().any(|m| m.expr == key.expr))
                    .and_then(|ec| {
                        output.iter().find(|t| {
                            ec.members
                                .iter()
                                .any(|m| strip_relabel(&m.expr) == strip_relabel(t))
                        })
                    })
                    .unwrap_or(&key.expr)
                    .clone(),
                sortop: key.sortop,
                direction: sort_direction(self.catalog(), key.sortop),
                nulls_first: key.nulls_first,
                collation: key.expr.collation(),
            })
            .collect()
    }

    /// Whether PostgreSQL keeps the upper steps local: `Err` names what
    /// it could do on the remote server instead, or the equivalence-class
    /// reasoning about pathkeys that is not reproduced.
    fn stays_local(
        &self,
        top: &PlanNode,
        has_agg: bool,
        group_keys: &[PathKey],
        distinct_keys: &[PathKey],
        sort_keys: &[PathKey],
        joined: bool,
    ) -> std::result::Result<(), Why> {
        let quals = &self.input.prepared.quals;
        let query = self.query();
        if !query.grouping_sets.is_empty() {
            return Err("grouping sets are not costed".into());
        }
        if !query.row_marks.is_empty() {
            return Err("row locking (LockRows) is not costed".into());
        }
        // Keys equal to a constant or to each other by an equivalence
        // class make PostgreSQL's pathkeys shorter than the clause lists.
        for keys in [group_keys, distinct_keys, sort_keys] {
            let mut classes = Vec::new();
            for key in keys {
                let ec = quals
                    .equivalence_classes
                    .iter()
                    .position(|ec| ec.members.iter().any(|m| m.expr == key.expr));
                if let Some(ec) = ec {
                    if quals
                        .equivalence_classes
                        .get(ec)
                        .is_some_and(|e| e.has_const())
                        || classes.contains(&ec)
                    {
                        return Err(
                            "ordering keys made redundant by equalities in WHERE are not costed"
                                .into(),
                        );
                    }
                    classes.push(ec);
                }
            }
        }
        let foreign: Vec<(RelIndex, Oid)> = self
            .sizes
            .iter()
            .filter(|(_, (_, kind, _))| *kind == RelKind::ForeignTable)
            .map(|(rti, (oid, _, _))| (*rti, *oid))
            .collect();
        for &(rti, table) in &foreign {
            let scan_rel = ScanRel::base(rti, table);
            let rel = ForeignRel::base(self.catalog(), self.input.dialect, &scan_rel)
                .map_err(|e| e.to_string())?;
            let ships_alone = |expr: &Expr| -> bool {
                let vars = vars_in(&[expr]);
                let own = !vars.is_empty()
                    && vars.iter().all(|v| match v {
                        Expr::Var(var) => var.varno == rti,
                        _ => false,
                    });
                own && !self
                    .catalog()
                    .contain_volatile_functions(expr)
                    .unwrap_or(true)
                    && is_foreign_expr(&rel, expr).is_ok_and(|s| s.is_shippable())
            };
            // is_foreign_pathkey: some member of the key's class is this
            // relation's and ships (find_em_for_rel).
            let ships = |expr: &Expr| -> bool {
                ships_alone(expr)
                    || quals.equivalence_classes.iter().any(|ec| {
                        ec.members.iter().any(|m| &m.expr == expr)
                            && ec.members.iter().any(|m| ships_alone(&m.expr))
                    })
            };
            // Over joins the join search offers the sorted foreign paths
            // itself (as postgres_fdw does, for the query's pathkeys only).
            for keys in [group_keys, distinct_keys, sort_keys] {
                if !joined && !keys.is_empty() && keys.iter().all(|k| ships(&k.expr)) {
                    return Err(
                        "PostgreSQL may sort on the remote server (a sorted foreign path), which is not planned yet"
                            .into(),
                    );
                }
            }
            if foreign.len() == 1 && self.sizes.len() == 1 {
                let scan = find_scan(top, rti);
                let local_conds = scan.is_some_and(|s| match &s.kind {
                    PlanKind::ForeignScan(fs) => !fs.remote.local_quals.is_empty(),
                    _ => false,
                });
                if has_agg && group_keys.is_empty() && !local_conds {
                    let upper = ForeignRel {
                        kind: ForeignRelKind::Upper,
                        ..rel
                    };
                    let all_ship = self
                        .input
                        .tlist
                        .iter()
                        .chain(query.having_qual.iter())
                        .all(|e| is_foreign_expr(&upper, e).is_ok_and(|s| s.is_shippable()));
                    if all_ship {
                        return Err("PostgreSQL may aggregate on the remote server".into());
                    }
                }
                if has_agg && group_keys.is_empty() && self.has_minmax() {
                    return Err("min/max aggregates may become sorted sub-selects (planagg.c), which is not planned".into());
                }
                let upper_local = has_agg || !distinct_keys.is_empty() || !sort_keys.is_empty();
                if limit_needed(query) && !upper_local && !local_conds {
                    return Err("PostgreSQL may send LIMIT to the remote server".into());
                }
            }
        }
        Ok(())
    }

    /// Any `min`/`max`-style aggregate (one with a sort operator).
    fn has_minmax(&self) -> bool {
        let builtin = self.catalog().builtin();
        self.input.tlist.iter().any(|e| {
            any_node(e, |node| match node {
                Expr::Aggref(agg) => builtin
                    .aggregate(agg.aggfnoid)
                    .is_some_and(|a| !a.sortop.is_invalid()),
                _ => false,
            })
        })
    }

    /// The plan without estimates above `top` (the shape as before the
    /// cost model: grouping and `DISTINCT` by hashing).
    fn plan_uncosted(
        &self,
        mut top: PlanNode,
        has_agg: bool,
        group_clause: &[SortGroupClause],
        cost_errors: &mut Vec<String>,
    ) -> Result<PlanNode> {
        // Copied only where a node takes it: a join's top usually has it
        // already.
        let tlist = self.input.tlist;
        if has_agg {
            // The scan computes the grouping input (PostgreSQL's estimate
            // of it includes that projection), or carries no estimate.
            if top.cost.is_some() && self.grouping_input(&mut top).is_err() {
                top.cost = None;
            }
            top = agg_node(
                top,
                if group_clause.is_empty() {
                    AggStrategy::Plain
                } else {
                    AggStrategy::Hashed
                },
                self.group_exprs(group_clause),
                self.query().having_qual.iter().cloned().collect(),
                tlist.to_vec(),
                None,
            );
        } else if can_project(&top) && top.output != tlist {
            // (An output equal to the target is left as it is.)
            self.apply_final_target(&mut top, cost_errors);
            top.output = tlist.to_vec();
        }
        if !self.query().distinct_clause.is_empty() {
            top = agg_node(
                top,
                AggStrategy::Hashed,
                self.group_exprs(&self.query().distinct_clause),
                Vec::new(),
                tlist.to_vec(),
                None,
            );
        }
        let keys = self.path_keys(&self.query().sort_clause);
        if !keys.is_empty() {
            top = sort_node(top, self.sort_keys(&keys, tlist), tlist.to_vec(), None);
        }
        if limit_needed(self.query()) {
            top = self.limit_node(top, None);
        }
        Ok(top)
    }

    fn group_exprs(&self, clauses: &[SortGroupClause]) -> Vec<Expr> {
        clauses
            .iter()
            .filter_map(|c| self.clause_expr(c).cloned())
            .collect()
    }

    fn limit_node(&self, input: PlanNode, cost: Option<UpperPath>) -> PlanNode {
        let query = self.query();
        PlanNode {
            output: input.output.clone(),
            cost: cost.map(to_cost),
            ..PlanNode::new(PlanKind::Limit(Limit {
                count: query.limit_count.clone(),
                offset: query.limit_offset.clone(),
                with_ties: false,
                input: Box::new(input),
            }))
        }
    }

    /// The plan chosen by cost, every upper node with its estimate.
    fn plan_costed(
        &self,
        scan_join: ScanJoin,
        has_agg: bool,
        group_clause: &[SortGroupClause],
    ) -> std::result::Result<PlanNode, Why> {
        let query = self.query();
        let tlist = self.input.tlist.to_vec();
        let count = limit_value(query.limit_count.as_ref(), true);
        let offset = limit_value(query.limit_offset.as_ref(), false);
        let needed = limit_needed(query);
        let (consider_startup, tuple_fraction, limit_tuples) = limit_fractions(query);

        // The scan/join level.
        let mut rel: Vec<Candidate> = Vec::new();
        let query_keys = self.query_pathkeys(group_clause);
        match scan_join {
            ScanJoin::Paths(paths, cheapest) => {
                // The top join's paths, already computing the scan/join
                // target, each sorted by a prefix of the query pathkeys.
                let mut inputs = Vec::new();
                for (node, sorted) in paths {
                    let path = path_of(&node)?;
                    inputs.push(Candidate {
                        node,
                        path,
                        keys: query_keys.get(..sorted).unwrap_or_default().to_vec(),
                        shape: None,
                    });
                }
                rel = if has_agg {
                    self.grouping_paths(inputs, cheapest, group_clause, consider_startup)?
                } else {
                    inputs
                };
            }
            ScanJoin::Single(top) if has_agg => {
                let mut top = *top;
                let input = self.grouping_input(&mut top)?;
                let inputs = vec![Candidate {
                    node: top,
                    path: input,
                    keys: Vec::new(),
                    shape: None,
                }];
                rel = self.grouping_paths(inputs, 0, group_clause, consider_startup)?;
            }
            ScanJoin::Single(top) => {
                let mut top = *top;
                if can_project(&top) {
                    if top.output != tlist {
                        let mut errors = Vec::new();
                        self.apply_final_target(&mut top, &mut errors);
                        if let Some(e) = errors.into_iter().next() {
                            return Err(e);
                        }
                    }
                    top.output = tlist.clone();
                }
                let path = path_of(&top)?;
                rel.push(Candidate {
                    node: top,
                    path,
                    keys: Vec::new(),
                    shape: None,
                });
            }
        }

        // DISTINCT.
        if !query.distinct_clause.is_empty() {
            if query.has_distinct_on {
                return Err("DISTINCT ON is not costed".into());
            }
            rel = self.distinct_paths(rel, consider_startup)?;
        }

        // ORDER BY.
        let sort_keys = self.path_keys(&query.sort_clause);
        if !sort_keys.is_empty() {
            self.check_sort_input_target(&sort_keys)?;
            let cheapest = cheapest_total(&rel);
            let mut ordered = Vec::new();
            for (i, cand) in rel.into_iter().enumerate() {
                if cand.keys.starts_with(&sort_keys) {
                    add_path(&mut ordered, cand, consider_startup);
                    continue;
                }
                // create_ordered_paths: a full sort of the cheapest path
                // only, and an incremental sort of every path sorted by a
                // leading part of the keys.
                let presorted = common_prefix_len(&cand.keys, &sort_keys);
                if Some(i) == cheapest {
                    let (node, path) =
                        self.sorted(cand.node.clone(), &cand.path, &sort_keys, limit_tuples);
                    add_path(
                        &mut ordered,
                        Candidate {
                            node,
                            path,
                            keys: sort_keys.clone(),
                            shape: cand.shape.clone(),
                        },
                        consider_startup,
                    );
                }
                if presorted > 0 && self.enabled("enable_incremental_sort") {
                    let (node, path) = self.incrementally_sorted(
                        cand.node,
                        &cand.path,
                        &sort_keys,
                        presorted,
                        limit_tuples,
                    )?;
                    add_path(
                        &mut ordered,
                        Candidate {
                            node,
                            path,
                            keys: sort_keys.clone(),
                            shape: cand.shape,
                        },
                        consider_startup,
                    );
                }
            }
            rel = ordered;
        }

        // LIMIT.
        if needed {
            let mut limited = Vec::new();
            for cand in rel {
                let path = formulas::limit_path(&cand.path, count, offset);
                let node = self.limit_node(cand.node, Some(path));
                add_path(
                    &mut limited,
                    Candidate {
                        node,
                        path,
                        keys: cand.keys,
                        shape: cand.shape,
                    },
                    consider_startup,
                );
            }
            rel = limited;
        }
        let chosen = cheapest_fractional(&rel, tuple_fraction)
            .and_then(|i| rel.into_iter().nth(i))
            .ok_or_else(|| "no path".to_string())?;
        if let Some(why) = chosen.shape {
            return Err(why);
        }
        Ok(chosen.node)
    }

    fn enabled(&self, name: &str) -> bool {
        self.catalog().settings().enabled(name)
    }

    /// `make_sort_input_target` keeps the final target list below the
    /// sort unless some column is volatile or (under LIMIT) expensive;
    /// PostgreSQL then computes those above the sort, which is not planned.
    fn check_sort_input_target(&self, sort_keys: &[PathKey]) -> std::result::Result<(), Why> {
        let query = self.query();
        for te in &query.target_list {
            if sort_keys.iter().any(|k| k.expr == te.expr) || te.ressortgroupref != 0 {
                continue;
            }
            if self
                .catalog()
                .contain_volatile_functions(&te.expr)
                .unwrap_or(true)
            {
                return Err("a volatile output column computed above the sort (make_sort_input_target) is not planned".into());
            }
            if query.limit_count.is_some() && !contains_aggref(&te.expr) {
                let cost = cost_qual_eval(self.catalog(), &self.params, std::iter::once(&te.expr))
                    .map_err(|e| e.to_string())?;
                if cost.per_tuple > 10.0 * self.params.cpu_operator_cost {
                    return Err("an expensive output column computed above the sort (make_sort_input_target) is not planned".into());
                }
            }
        }
        Ok(())
    }

    /// Re-estimates the scan under the final target list it now computes
    /// (`create_projection_path` over a projection-capable path); under a
    /// gating `Result` the scan keeps its own estimate and the `Result`
    /// takes the projected one.
    fn apply_final_target(&self, top: &mut PlanNode, cost_errors: &mut Vec<String>) {
        let scan = match &top.kind {
            PlanKind::Result(result) => match result.input.as_deref() {
                Some(input) => input,
                None => return,
            },
            _ => &*top,
        };
        let Some(cost) = scan.cost else {
            return;
        };
        if !matches!(scan.kind, PlanKind::ForeignScan(_) | PlanKind::SeqScan(_)) {
            return;
        }
        match self.target_width_cost(self.input.tlist) {
            Ok((width, target)) => {
                top.cost = Some(Cost {
                    startup: cost.startup + target.startup,
                    total: cost.total + target.startup + target.per_tuple * cost.rows,
                    rows: cost.rows,
                    width: u32::try_from(width).unwrap_or(0),
                });
            }
            Err(err) => {
                top.cost = None;
                cost_errors.push(err);
            }
        }
    }

    /// `set_pathtarget_cost_width`: a target list's width and evaluation
    /// cost (columns by their statistics' widths).
    fn target_width_cost(&self, exprs: &[Expr]) -> std::result::Result<(i32, QualCost), Why> {
        let catalog = self.catalog();
        let mut width = 0i32;
        let mut cost = QualCost::default();
        for expr in exprs {
            if let Expr::Var(var) = expr {
                if var.varlevelsup == 0 {
                    // The relation's oid from the query's relations (the
                    // ones `sizes` lists): read without the sizes, which
                    // the plan without upper nodes does not make.
                    if let Some((_, relid, _)) =
                        self.input.rels.iter().find(|(rti, _, _)| *rti == var.varno)
                    {
                        let relation = catalog
                            .relation(*relid)
                            .ok_or_else(|| format!("relation {} is not in the catalog", relid.0))?;
                        let stats = catalog.stats(*relid);
                        let all = column_types(relation);
                        width += if var.varattno == AttrNumber::WHOLE_ROW {
                            rel_width(catalog, stats, &[], true, &all)
                        } else {
                            let column = ColumnType {
                                attnum: var.varattno.0,
                                type_oid: var.vartype,
                                typmod: var.vartypmod,
                                dropped: false,
                            };
                            rel_width(catalog, stats, &[column], false, &all)
                        };
                        continue;
                    }
                }
            }
            if any_node(expr, |n| {
                matches!(
                    n,
                    Expr::SubLink(_) | Expr::SubPlan(_) | Expr::PlaceHolderVar(_)
                )
            }) {
                return Err("the width or cost of a sub-select in a target list".into());
            }
            width += typ_avg_width(catalog, expr.type_oid(), expr.typmod());
            cost = cost.plus(
                cost_qual_eval(catalog, &self.params, std::iter::once(expr))
                    .map_err(|e| e.to_string())?,
            );
        }
        Ok((width, cost))
    }

    /// The grouping input as PostgreSQL computes it below the
    /// aggregation (`make_group_input_target`: the grouping expressions,
    /// then the columns the other outputs and `HAVING` read): its
    /// estimate over the one scan.
    fn grouping_input(&self, top: &mut PlanNode) -> std::result::Result<UpperPath, Why> {
        if self.sizes.len() != 1 {
            return Err("grouping above a join is not costed".into());
        }
        let scan_cost = match &top.kind {
            PlanKind::ForeignScan(_) | PlanKind::SeqScan(_) => top.cost,
            PlanKind::Result(result) => match &result.input {
                Some(input) => input.cost,
                None => return self.empty_input(top),
            },
            _ => None,
        }
        .ok_or_else(|| "the scan under the grouping has no estimate".to_string())?;
        let target = self.group_input_target();
        let (width, cost) = self.target_width_cost(&target)?;
        let path = UpperPath {
            startup: scan_cost.startup + cost.startup,
            total: scan_cost.total + cost.startup + cost.per_tuple * scan_cost.rows,
            rows: scan_cost.rows,
            width,
        };
        top.cost = Some(to_cost(path));
        // The scan computes that target (apply_scanjoin_target_to_paths),
        // and the nodes above read the grouping expressions from it.
        if can_project(top) {
            top.output = target;
        }
        Ok(path)
    }

    /// The constant-false `Result` below a grouping: no rows, no cost.
    fn empty_input(&self, top: &mut PlanNode) -> std::result::Result<UpperPath, Why> {
        path_of(top)
    }

    /// `AggClauseCosts` of the query's aggregates (`get_agg_clause_costs`
    /// over the distinct aggregates and transition states).
    fn agg_costs(&self) -> std::result::Result<AggCosts, Why> {
        let query = self.query();
        let catalog = self.catalog();
        let mut found: Vec<Aggref> = Vec::new();
        let mut exprs: Vec<&Expr> = query.target_list.iter().map(|te| &te.expr).collect();
        exprs.extend(query.having_qual.iter());
        for expr in exprs {
            let _ = fdw_core::expr::walk(expr, |node| {
                if let Expr::Aggref(agg) = node {
                    if !found.contains(agg) {
                        found.push((**agg).clone());
                    }
                    return Visit::Skip;
                }
                Visit::Descend
            });
        }
        let aggs: Vec<&Aggref> = found.iter().collect();
        let mut costs = AggCosts::default();
        // Transition states shared by aggregates with the same transition
        // function, state type, initial value and inputs.
        let mut states: Vec<(Oid, Oid, Option<String>, &Aggref)> = Vec::new();
        for agg in &aggs {
            if agg.agglevelsup != 0 {
                return Err("an outer-level aggregate".into());
            }
            let (transfn, finalfn, transtype, transspace, initval) =
                match catalog.builtin().aggregate(agg.aggfnoid) {
                    Some(a) => (
                        a.transfn,
                        a.finalfn,
                        a.transtype,
                        a.transspace,
                        a.initval.clone(),
                    ),
                    None => match catalog.aggregate(agg.aggfnoid) {
                        Some(a) => (
                            a.transition_fn,
                            a.final_fn,
                            a.state_type,
                            0,
                            a.initial_value.clone(),
                        ),
                        None => {
                            return Err(format!(
                                "aggregate {} is not in the catalog",
                                agg.aggfnoid.0
                            ))
                        }
                    },
                };
            let transtype = if agg.aggtranstype.is_invalid() {
                transtype
            } else {
                agg.aggtranstype
            };
            let volatile = catalog
                .contain_volatile_functions(&Expr::Aggref(Box::new((*agg).clone())))
                .unwrap_or(true);
            let shared = !volatile
                && states.iter().any(|(f, t, i, other)| {
                    *f == transfn
                        && *t == transtype
                        && *i == initval
                        && other.args == agg.args
                        && other.aggfilter == agg.aggfilter
                        && other.aggdistinct == agg.aggdistinct
                        && other.aggorder == agg.aggorder
                });
            if !shared {
                states.push((transfn, transtype, initval, agg));
                let proc_cost = |f: Oid| {
                    catalog
                        .proc_info(f)
                        .map(|p| p.cost * self.params.cpu_operator_cost)
                        .ok_or_else(|| format!("function {} is not in the catalog", f.0))
                };
                costs.trans.per_tuple += proc_cost(transfn)?;
                let args: Vec<&Expr> = agg.args.iter().map(|te| &te.expr).collect();
                let arg_cost =
                    cost_qual_eval(catalog, &self.params, args).map_err(|e| e.to_string())?;
                costs.trans = costs.trans.plus(arg_cost);
                if let Some(filter) = &agg.aggfilter {
                    costs.trans = costs.trans.plus(
                        cost_qual_eval(catalog, &self.params, std::iter::once(filter))
                            .map_err(|e| e.to_string())?,
                    );
                }
                let by_value = catalog
                    .type_info(transtype)
                    .map(|t| t.by_value)
                    .ok_or_else(|| format!("type {} is not in the catalog", transtype.0))?;
                if !by_value {
                    let width = if transspace > 0 {
                        f64::from(transspace)
                    } else if transfn == F_ARRAY_APPEND {
                        ALLOCSET_SMALL_INITSIZE
                    } else {
                        f64::from(typ_avg_width(catalog, transtype, -1))
                    };
                    costs.transition_space += ((width as i64 + 7) & !7) as f64;
                }
            }
            if !finalfn.is_invalid() {
                costs.finalize.per_tuple += catalog
                    .proc_info(finalfn)
                    .map(|p| p.cost * self.params.cpu_operator_cost)
                    .ok_or_else(|| format!("function {} is not in the catalog", finalfn.0))?;
            }
            if !agg.aggdirectargs.is_empty() {
                costs.finalize = costs.finalize.plus(
                    cost_qual_eval(catalog, &self.params, agg.aggdirectargs.iter())
                        .map_err(|e| e.to_string())?,
                );
            }
        }
        costs.num_trans = states.len();
        Ok(costs)
    }

    /// `estimate_num_groups` of `exprs` over `input_rows`.
    fn num_groups(&self, exprs: &[Expr], input_rows: f64) -> std::result::Result<f64, Why> {
        let catalog = self.catalog();
        let quals = &self.input.prepared.quals;
        let rels: Vec<RelIndex> = self.sizes.keys().copied().collect();
        let mut group_rels = Vec::new();
        for rti in &rels {
            let size = self
                .sizes
                .get(rti)
                .and_then(|s| s.2)
                .ok_or_else(|| "a relation's size is not estimated".to_string())?;
            group_rels.push(size);
        }
        let mut bools = 0usize;
        let mut vars: Vec<(Expr, GroupVar)> = Vec::new();
        let add = |var: &Expr, vars: &mut Vec<(Expr, GroupVar)>| -> std::result::Result<(), Why> {
            let Expr::Var(v) = var else {
                return Err("a grouping expression that is not a column".into());
            };
            let rel = rels
                .iter()
                .position(|r| *r == v.varno)
                .ok_or_else(|| "a grouping column of another query level".to_string())?;
            let (relid, _, size) = self
                .sizes
                .get(&v.varno)
                .copied()
                .ok_or_else(|| "a grouping column of an unknown relation".to_string())?;
            let stats = catalog
                .stats(relid)
                .and_then(|s| s.columns.get(&v.varattno.0))
                .map(|c| (f64::from(c.n_distinct), f64::from(c.null_frac)));
            let facts = VariableFacts {
                stats,
                is_bool: v.vartype == BOOL,
                system_distinct: match v.varattno {
                    AttrNumber::CTID => Some(-1.0),
                    AttrNumber::TABLEOID => Some(1.0),
                    _ => None,
                },
                rel_tuples: size.map(|s| s.tuples),
            };
            let (ndistinct, _) = formulas::variable_numdistinct(&facts);
            if vars.iter().any(|(e, _)| e == var) {
                return Ok(());
            }
            // Equal columns of different relations count once, with the
            // smaller distinct count.
            let known_equal = |a: &Expr, b: &Expr| {
                quals.equivalence_classes.iter().any(|ec| {
                    ec.members.iter().any(|m| &m.expr == a)
                        && ec.members.iter().any(|m| &m.expr == b)
                })
            };
            let mut i = 0;
            while i < vars.len() {
                let Some((other, info)) = vars.get(i) else {
                    break;
                };
                if info.rel != rel && known_equal(other, var) {
                    if info.ndistinct <= ndistinct {
                        return Ok(());
                    }
                    vars.remove(i);
                    continue;
                }
                i += 1;
            }
            vars.push((var.clone(), GroupVar { rel, ndistinct }));
            Ok(())
        };
        for expr in exprs {
            if expr.type_oid() == BOOL {
                bools += 1;
                continue;
            }
            if any_node(expr, |n| matches!(n, Expr::SubLink(_) | Expr::SubPlan(_))) {
                return Err("a sub-select in a grouping expression".into());
            }
            let base = strip_relabel(expr);
            if let Expr::Var(v) = base {
                if v.varlevelsup == 0 {
                    add(base, &mut vars)?;
                    continue;
                }
            }
            let here = vars_in(&[expr]);
            if here.is_empty() {
                if catalog.contain_volatile_functions(expr).unwrap_or(true) {
                    return Ok(clamp_row_est(input_rows));
                }
                continue;
            }
            for var in &here {
                add(var, &mut vars)?;
            }
        }
        let list: Vec<GroupVar> = vars.into_iter().map(|(_, g)| g).collect();
        Ok(formulas::estimate_num_groups(
            input_rows,
            bools,
            &list,
            &group_rels,
        ))
    }

    /// The `HAVING` list's cost and selectivity.
    fn having(&self) -> std::result::Result<Option<HavingQual>, Why> {
        let Some(having) = &self.input.prepared.query.having_qual else {
            return Ok(None);
        };
        let catalog = self.catalog();
        let clauses = having_conjuncts(having);
        let cost = cost_qual_eval(catalog, &self.params, clauses.iter().copied())
            .map_err(|e| e.to_string())?;
        // clauselist_selectivity with no relation given: an expression of
        // one relation's columns (inside aggregates too) reads that
        // relation (examine_variable's onerel); columns of several would
        // make the clauses join clauses, which is not modelled.
        let mut relids: Vec<RelIndex> = Vec::new();
        for var in vars_in(&clauses) {
            if let Expr::Var(v) = var {
                if !relids.contains(&v.varno) {
                    relids.push(v.varno);
                }
            }
        }
        if relids.len() > 1 {
            return Err("HAVING over columns of several relations is not costed".into());
        }
        let (&rti, &(relid, _, size)) = match relids.first() {
            Some(rti) => self
                .sizes
                .get_key_value(rti)
                .ok_or_else(|| "a HAVING column of another query level".to_string())?,
            None => self
                .sizes
                .iter()
                .next()
                .ok_or_else(|| "no relation".to_string())?,
        };
        let values = self.input.costs.values(catalog);
        let context = SelContext {
            catalog,
            rel: rti,
            stats: catalog.stats(relid),
            tuples: size.map_or(0.0, |s| s.tuples),
            values: &values,
            default_collation_is_c: self.input.costs.default_collation_is_c(),
        };
        let restrict: Vec<RestrictClause<'_>> = clauses
            .iter()
            .map(|expr| RestrictClause {
                expr,
                pseudoconstant: false,
            })
            .collect();
        let selectivity = context
            .restrict_list_selectivity(&restrict)
            .map_err(|e| e.to_string())?;
        Ok(Some(HavingQual { cost, selectivity }))
    }

    fn agg_input(
        &self,
        kind: AggKind,
        costs: AggCosts,
        cols: usize,
        groups: f64,
    ) -> std::result::Result<AggInput, Why> {
        let (width, target) = self.target_width_cost(self.input.tlist)?;
        let hash_mem_multiplier = match self.catalog().settings().get("hash_mem_multiplier") {
            Ok(fdw_catalog::settings::SettingValue::Real(v)) => v,
            _ => 2.0,
        };
        Ok(AggInput {
            kind,
            costs,
            num_group_cols: cols,
            num_groups: groups,
            having: self.having()?,
            target,
            width,
            hash_mem_multiplier,
            enable_hashagg: self.enabled("enable_hashagg"),
        })
    }

    /// The grouped relation's paths (`add_paths_to_grouping_rel`) over the
    /// scan/join relation's paths `inputs` (in its path list's order, each
    /// computing the grouping input), `cheapest` the cheapest-total one:
    /// every path already in the grouping order and the cheapest one sorted
    /// are aggregated in order, the cheapest one is also hashed.
    fn grouping_paths(
        &self,
        inputs: Vec<Candidate>,
        cheapest: usize,
        group_clause: &[SortGroupClause],
        consider_startup: bool,
    ) -> std::result::Result<Vec<Candidate>, Why> {
        let query = self.query();
        let tlist = self.input.tlist.to_vec();
        let having: Vec<Expr> = query.having_qual.iter().cloned().collect();
        let costs = self.agg_costs()?;
        let has_real_aggs = query
            .target_list
            .iter()
            .map(|te| &te.expr)
            .chain(query.having_qual.iter())
            .any(contains_aggref);
        let cheapest_input = inputs
            .get(cheapest)
            .cloned()
            .ok_or_else(|| "no input path".to_string())?;
        let mut rel = Vec::new();
        if group_clause.is_empty() {
            // Every input is "sorted" for no grouping keys: each gets its
            // plain aggregation and add_path keeps the cheapest.
            for cand in inputs {
                let agg = self.agg_input(AggKind::Plain, costs, 0, 1.0)?;
                let path = formulas::agg_path(&self.params, &agg, &cand.path)
                    .map_err(|e| e.to_string())?;
                let node = agg_node(
                    cand.node,
                    AggStrategy::Plain,
                    Vec::new(),
                    having.clone(),
                    tlist.clone(),
                    Some(path),
                );
                add_path(
                    &mut rel,
                    Candidate {
                        node,
                        path,
                        keys: Vec::new(),
                        shape: cand.shape,
                    },
                    consider_startup,
                );
            }
            return Ok(rel);
        }
        let exprs = self.group_exprs(group_clause);
        let groups = self.num_groups(&exprs, cheapest_input.path.rows)?;
        let cols = group_clause.len();
        let group_keys = self.path_keys(group_clause);
        if group_clause.iter().all(|g| !g.sortop.is_invalid()) {
            // The aggregation over sorted input `(plan, estimate)`, with
            // the shape reason of the path it came from.
            let sorted_agg = |sorted_input: (PlanNode, UpperPath),
                              shape: Option<Why>,
                              rel: &mut Vec<Candidate>|
             -> std::result::Result<(), Why> {
                let agg = self.agg_input(AggKind::Sorted, costs, cols, groups)?;
                // Without aggregates PostgreSQL groups sorted input with a
                // Group node (create_group_path).
                let (path, strategy) = if has_real_aggs {
                    (
                        formulas::agg_path(&self.params, &agg, &sorted_input.1)
                            .map_err(|e| e.to_string())?,
                        AggStrategy::Sorted,
                    )
                } else {
                    (
                        formulas::group_path(
                            &self.params,
                            cols,
                            groups,
                            agg.having,
                            agg.target,
                            agg.width,
                            &sorted_input.1,
                        ),
                        AggStrategy::Group,
                    )
                };
                let node = agg_node(
                    sorted_input.0,
                    strategy,
                    exprs.clone(),
                    having.clone(),
                    tlist.clone(),
                    Some(path),
                );
                add_path(
                    rel,
                    Candidate {
                        node,
                        path,
                        keys: group_keys.clone(),
                        shape,
                    },
                    consider_startup,
                );
                Ok(())
            };
            // add_paths_to_grouping_rel: each path already in the grouping
            // order and the cheapest one sorted, then an incremental sort
            // of each path sorted by a leading part of the keys.
            for (i, cand) in inputs.into_iter().enumerate() {
                if cand.keys.starts_with(&group_keys) {
                    sorted_agg((cand.node, cand.path), cand.shape, &mut rel)?;
                    continue;
                }
                if i == cheapest {
                    let sorted = self.sorted(cand.node.clone(), &cand.path, &group_keys, -1.0);
                    sorted_agg(sorted, cand.shape.clone(), &mut rel)?;
                }
                let presorted = common_prefix_len(&cand.keys, &group_keys);
                if presorted > 0 && self.enabled("enable_incremental_sort") {
                    let sorted = self.incrementally_sorted(
                        cand.node,
                        &cand.path,
                        &group_keys,
                        presorted,
                        -1.0,
                    )?;
                    sorted_agg(sorted, cand.shape, &mut rel)?;
                }
            }
        }
        // Aggregates with DISTINCT or ORDER BY inputs sort per group:
        // no hashing (`numOrderedAggs`).
        let ordered_aggs = query
            .target_list
            .iter()
            .map(|te| &te.expr)
            .chain(query.having_qual.iter())
            .any(|e| {
                any_node(e, |n| match n {
                    Expr::Aggref(a) => !a.aggorder.is_empty() || !a.aggdistinct.is_empty(),
                    _ => false,
                })
            });
        if !ordered_aggs && group_clause.iter().all(|g| g.hashable) {
            let agg = self.agg_input(AggKind::Hashed, costs, cols, groups)?;
            let path = formulas::agg_path(&self.params, &agg, &cheapest_input.path)
                .map_err(|e| e.to_string())?;
            let partitions =
                formulas::hash_agg_planned_partitions(&self.params, &agg, &cheapest_input.path);
            let shape =
                spill_shape(&self.params, &agg, &cheapest_input.path).or(cheapest_input.shape);
            let mut node = agg_node(
                cheapest_input.node,
                AggStrategy::Hashed,
                exprs,
                having,
                tlist,
                Some(path),
            );
            set_planned_partitions(&mut node, partitions);
            add_path(
                &mut rel,
                Candidate {
                    node,
                    path,
                    keys: Vec::new(),
                    shape,
                },
                consider_startup,
            );
        }
        if rel.is_empty() {
            return Err("grouping that can neither sort nor hash".into());
        }
        Ok(rel)
    }

    /// `root->query_pathkeys` as `standard_qp_callback` sets them: the
    /// grouping keys, else the `DISTINCT` keys when longer than the
    /// `ORDER BY` ones, else the `ORDER BY` keys.
    fn query_pathkeys(&self, group_clause: &[SortGroupClause]) -> Vec<PathKey> {
        let query = self.query();
        if !group_clause.is_empty() && group_clause.iter().all(|g| !g.sortop.is_invalid()) {
            let keys = self.path_keys(group_clause);
            if !keys.is_empty() {
                return keys;
            }
        }
        let distinct = if query.distinct_clause.iter().all(|c| !c.sortop.is_invalid()) {
            self.path_keys(&query.distinct_clause)
        } else {
            Vec::new()
        };
        let sort = self.path_keys(&query.sort_clause);
        if distinct.len() > sort.len() {
            distinct
        } else {
            sort
        }
    }

    /// `make_group_input_target`: the grouping expressions, then the
    /// columns the other outputs and `HAVING` read.
    fn group_input_target(&self) -> Vec<Expr> {
        let query = self.query();
        let mut target: Vec<Expr> = Vec::new();
        let mut others: Vec<&Expr> = Vec::new();
        for te in &query.target_list {
            let grouped = te.ressortgroupref != 0
                && query
                    .group_clause
                    .iter()
                    .any(|g| g.tle_sort_group_ref == te.ressortgroupref);
            if grouped {
                if !target.contains(&te.expr) {
                    target.push(te.expr.clone());
                }
            } else {
                others.push(&te.expr);
            }
        }
        others.extend(query.having_qual.iter());
        for var in vars_in(&others) {
            if !target.contains(&var) {
                target.push(var);
            }
        }
        target
    }

    /// `create_distinct_paths` for `SELECT DISTINCT`.
    fn distinct_paths(
        &self,
        rel: Vec<Candidate>,
        consider_startup: bool,
    ) -> std::result::Result<Vec<Candidate>, Why> {
        let query = self.query();
        let cheapest = cheapest_total(&rel).ok_or_else(|| "no input path".to_string())?;
        let cheapest_path = rel
            .get(cheapest)
            .cloned()
            .ok_or_else(|| "no input path".to_string())?;
        let exprs = self.group_exprs(&query.distinct_clause);
        // After grouping or aggregation the input is taken as mostly
        // unique already: its row count is the estimate.
        let groups = if has_aggregation(query) {
            cheapest_path.path.rows
        } else {
            self.num_groups(&exprs, cheapest_path.path.rows)?
        };
        let distinct_keys = self.path_keys(&query.distinct_clause);
        let sort_keys = self.path_keys(&query.sort_clause);
        let cols = distinct_keys.len();
        let mut out = Vec::new();
        if query.distinct_clause.iter().all(|c| !c.sortop.is_invalid()) {
            // Every path already in the DISTINCT order gets a Unique on it
            // (create_upper_unique_path keeps its order).
            for cand in &rel {
                if cand.keys.starts_with(&distinct_keys) {
                    let path = formulas::unique_path(&self.params, cols, groups, &cand.path);
                    add_path(
                        &mut out,
                        Candidate {
                            node: unique_node(cand.node.clone(), exprs.clone(), path),
                            path,
                            keys: cand.keys.clone(),
                            shape: cand.shape.clone(),
                        },
                        consider_startup,
                    );
                }
            }
            // The cheapest path sorted (by ORDER BY when it is longer, so
            // one sort serves both) when not in that order already.
            let needed = if distinct_keys.len() < sort_keys.len() {
                sort_keys
            } else {
                distinct_keys.clone()
            };
            let (node, input, keys) = if cheapest_path.keys.starts_with(&needed) {
                (
                    cheapest_path.node.clone(),
                    cheapest_path.path,
                    cheapest_path.keys.clone(),
                )
            } else {
                let (node, path) = self.sorted(
                    cheapest_path.node.clone(),
                    &cheapest_path.path,
                    &needed,
                    -1.0,
                );
                (node, path, needed)
            };
            let path = formulas::unique_path(&self.params, cols, groups, &input);
            add_path(
                &mut out,
                Candidate {
                    node: unique_node(node, exprs.clone(), path),
                    path,
                    keys,
                    shape: cheapest_path.shape.clone(),
                },
                consider_startup,
            );
        }
        if query.distinct_clause.iter().all(|c| c.hashable)
            && (self.enabled("enable_hashagg") || out.is_empty())
        {
            let (_, target) = self.target_width_cost(self.input.tlist)?;
            let hash_mem_multiplier = match self.catalog().settings().get("hash_mem_multiplier") {
                Ok(fdw_catalog::settings::SettingValue::Real(v)) => v,
                _ => 2.0,
            };
            let agg = AggInput {
                kind: AggKind::Hashed,
                costs: AggCosts::default(),
                num_group_cols: query.distinct_clause.len(),
                num_groups: groups,
                having: None,
                target,
                width: cheapest_path.path.width,
                hash_mem_multiplier,
                // Hashing forced (no sorted way) still pays disable_cost.
                enable_hashagg: self.enabled("enable_hashagg"),
            };
            let path = formulas::agg_path(&self.params, &agg, &cheapest_path.path)
                .map_err(|e| e.to_string())?;
            let partitions =
                formulas::hash_agg_planned_partitions(&self.params, &agg, &cheapest_path.path);
            let shape =
                spill_shape(&self.params, &agg, &cheapest_path.path).or(cheapest_path.shape);
            let output = cheapest_path.node.output.clone();
            let mut node = agg_node(
                cheapest_path.node,
                AggStrategy::Hashed,
                exprs,
                Vec::new(),
                output,
                Some(path),
            );
            set_planned_partitions(&mut node, partitions);
            add_path(
                &mut out,
                Candidate {
                    node,
                    path,
                    keys: Vec::new(),
                    shape,
                },
                consider_startup,
            );
        }
        Ok(out)
    }
}

/// Why a hash aggregation that may spill is not printed: the partitions
/// PostgreSQL's `EXPLAIN` shows for it (`Planned Partitions: N`, sized at
/// execution start) are not reproduced exactly. Its estimate is exact, so
/// it still competes.
fn spill_shape(params: &CostParams, agg: &AggInput, input: &UpperPath) -> Option<Why> {
    formulas::hash_agg_may_spill(params, agg, input).then(|| {
        "a hash aggregation that may spill to disk (EXPLAIN's Planned Partitions count) is not printed".to_string()
    })
}

/// The spill partitions a hash aggregation plans (`Planned Partitions:`).
fn set_planned_partitions(node: &mut PlanNode, partitions: u32) {
    if let PlanKind::Aggregate(agg) = &mut node.kind {
        agg.planned_partitions = partitions;
    }
}

/// How many leading pathkeys two orderings share (the presorted part for
/// an incremental sort).
fn common_prefix_len(a: &[PathKey], b: &[PathKey]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

fn to_cost(path: UpperPath) -> Cost {
    Cost {
        startup: path.startup,
        total: path.total,
        rows: path.rows,
        width: u32::try_from(path.width).unwrap_or(0),
    }
}

fn path_of(node: &PlanNode) -> std::result::Result<UpperPath, Why> {
    let cost = node
        .cost
        .ok_or_else(|| "the input has no estimate".to_string())?;
    Ok(UpperPath {
        startup: cost.startup,
        total: cost.total,
        rows: cost.rows,
        width: i32::try_from(cost.width).unwrap_or(0),
    })
}

fn agg_node(
    input: PlanNode,
    strategy: AggStrategy,
    group_keys: Vec<Expr>,
    filter: Vec<Expr>,
    output: Vec<Expr>,
    cost: Option<UpperPath>,
) -> PlanNode {
    PlanNode {
        output,
        cost: cost.map(to_cost),
        ..PlanNode::new(PlanKind::Aggregate(Aggregate {
            strategy,
            split: fdw_core::expr::AggSplit::Simple,
            group_keys,
            grouping_sets: Vec::new(),
            filter,
            planned_partitions: 0,
            input: Box::new(input),
        }))
    }
}

/// `Unique` over sorted `input`, comparing `keys` between adjacent rows;
/// it passes its input's rows (and target list) through.
fn unique_node(input: PlanNode, keys: Vec<Expr>, cost: UpperPath) -> PlanNode {
    PlanNode {
        output: input.output.clone(),
        cost: Some(to_cost(cost)),
        ..PlanNode::new(PlanKind::Unique(fdw_core::plan::Unique {
            keys,
            input: Box::new(input),
        }))
    }
}

fn sort_node(
    input: PlanNode,
    keys: Vec<SortKey>,
    output: Vec<Expr>,
    cost: Option<UpperPath>,
) -> PlanNode {
    PlanNode {
        output,
        cost: cost.map(to_cost),
        ..PlanNode::new(PlanKind::Sort(Sort {
            keys,
            presorted_keys: 0,
            input: Box::new(input),
        }))
    }
}

/// The scan of relation `rti` in `node`'s tree.
fn find_scan(node: &PlanNode, rti: RelIndex) -> Option<&PlanNode> {
    match &node.kind {
        PlanKind::SeqScan(scan) if scan.rti == rti => Some(node),
        PlanKind::ForeignScan(scan) if scan.scan_relid == Some(rti) => Some(node),
        _ => node.children().into_iter().find_map(|c| find_scan(c, rti)),
    }
}

/// `limit_needed`: a `LIMIT` that is not `NULL` (`ALL`), or an `OFFSET`
/// that is not `NULL` or zero.
pub(crate) fn limit_needed(query: &Query) -> bool {
    let count = match &query.limit_count {
        None => false,
        Some(Expr::Const(c)) => c.value.is_some(),
        Some(_) => true,
    };
    let offset = match &query.limit_offset {
        None => false,
        Some(Expr::Const(c)) => c
            .value
            .as_deref()
            .is_some_and(|v| v.trim().parse::<i64>() != Ok(0)),
        Some(_) => true,
    };
    count || offset
}

/// `preprocess_limit`'s reading of a `LIMIT` (`count`) or `OFFSET` value.
fn limit_value(expr: Option<&Expr>, count: bool) -> LimitValue {
    match expr {
        None => LimitValue::Absent,
        Some(Expr::Const(c)) => match c.value.as_deref() {
            None => LimitValue::Absent,
            Some(text) => match text.trim().parse::<i64>() {
                Ok(n) if count => LimitValue::count(Some(n)),
                Ok(n) => LimitValue::offset(Some(n)),
                Err(_) => LimitValue::Unknown,
            },
        },
        Some(_) => LimitValue::Unknown,
    }
}

/// `ASC` for an operator named `<`, `DESC` for `>`, else `USING`.
pub(crate) fn sort_direction(catalog: &Catalog, sortop: Oid) -> SortDirection {
    match catalog
        .operator_info(sortop)
        .as_deref()
        .map(|op| op.name.as_str())
    {
        Some("<") => SortDirection::Asc,
        Some(">") => SortDirection::Desc,
        _ => SortDirection::Using,
    }
}

/// True when `expr` has no column of this query level and nothing
/// volatile: a constant as far as ordering goes.
pub(crate) fn is_constant(catalog: &Catalog, expr: &Expr) -> bool {
    !any_node(expr, |node| match node {
        Expr::Var(var) => var.varlevelsup == 0,
        Expr::Aggref(_) | Expr::WindowFunc(_) | Expr::SubLink(_) | Expr::NextValueExpr(_) => true,
        Expr::FuncExpr(_) | Expr::OpExpr(_) => {
            catalog.contain_volatile_functions(node).unwrap_or(true)
        }
        _ => false,
    })
}

/// True for the nodes that compute their own target list (scans, joins
/// and `Result`); `Sort` and `Limit` pass their input's rows through.
pub(crate) fn can_project(node: &PlanNode) -> bool {
    matches!(
        node.kind,
        PlanKind::ForeignScan(_) | PlanKind::SeqScan(_) | PlanKind::Join(_) | PlanKind::Result(_)
    )
}

/// The estimate of the `Result` that stands for a relation proven empty
/// (a dummy path: no rows, nothing to compute, and a zero width).
pub(crate) const EMPTY_RESULT_COST: Cost = Cost {
    startup: 0.0,
    total: 0.0,
    rows: 0.0,
    width: 0,
};

#[cfg(test)]
mod tests {
    use super::*;
    use fdw_core::expr::{Const, Var};

    /// The shortcut of `contains_aggref` answers what the walk does.
    #[test]
    fn contains_aggref_shortcut_matches_the_walk() {
        let cases = [
            Expr::Var(Var::new(
                RelIndex(1),
                AttrNumber(1),
                Oid(23),
                -1,
                Oid::INVALID,
            )),
            Expr::Const(Const::new(Oid(23), Oid::INVALID, "1")),
        ];
        for expr in &cases {
            assert_eq!(
                contains_aggref(expr),
                any_node(expr, |node| matches!(node, Expr::Aggref(_))),
                "{expr:?}"
            );
        }
    }

    /// `RelSizes` answers as the `BTreeMap` it replaced, whatever the
    /// order relations are added in (a relation added twice included).
    #[test]
    fn rel_sizes_agree_with_a_btreemap() {
        let order = [3u32, 1, 4, 2, 3, 7];
        let mut list = RelSizes(Vec::new());
        let mut map = std::collections::BTreeMap::new();
        for (n, &r) in order.iter().enumerate() {
            let size = (
                Oid(1000 + u32::try_from(n).unwrap_or(0)),
                RelKind::ForeignTable,
                None,
            );
            list.insert(RelIndex(r), size);
            map.insert(RelIndex(r), size);
        }
        assert_eq!(list.len(), map.len());
        assert!(list.keys().eq(map.keys()));
        assert!(list
            .iter()
            .map(|(r, s)| (*r, s.0))
            .eq(map.iter().map(|(r, s)| (*r, s.0))));
        for r in 0..9 {
            let r = RelIndex(r);
            assert_eq!(list.get(&r).map(|s| s.0), map.get(&r).map(|s| s.0));
            assert_eq!(
                list.get_key_value(&r).map(|(k, s)| (*k, s.0)),
                map.get_key_value(&r).map(|(k, s)| (*k, s.0))
            );
        }
    }
}
