//! A whole query: one scan per relation of the `FROM` list (foreign tables
//! through [`crate::base_rel::plan_base_rel`], local tables as `Seq Scan`),
//! joined locally, under the local nodes for grouping, ordering and
//! `LIMIT` (join and upper-relation pushdown come with later issues).
//!
//! The local join method is not chosen by cost yet (the cost model arrives
//! with issue #6): relations are joined left-deep in range-table order by
//! `Nested Loop`, each join carrying the conditions first evaluable there
//! as its `Join Filter:`.

use std::sync::Arc;

use fdw_catalog::Catalog;
use fdw_core::expr::pull_vars;
use fdw_core::expr::BoolExprType;
use fdw_core::plan::{
    ForeignScan, ForeignScanKind, JoinMethod, JoinNode, PlanKind, PlanNode, RangeTable, ResultNode,
    SeqScan,
};
use fdw_core::query::{CommandType, FromExpr, JoinTreeNode, JoinType, Query, RelKind, RteKind};
use fdw_core::{AttrNumber, Expr, Plan, RelIndex};
use fdw_deparse::{AttrsUsed, Dialect};
use fdw_sql::joins::Relids;
use fdw_sql::PreparedQuery;

use crate::base_rel::{plan_base_rel_of, NotPushed};
use crate::cost_order::order_qual_clauses;
use crate::costing::{CostSetup, RemoteScan, ScanClause};
use crate::error::{Error, Result};
use fdw_cost::remote::RemoteEstimator;

/// Per foreign scan, its range-table index and the conditions it keeps
/// local with their reasons.
pub type NotPushedByScan = Vec<(RelIndex, Vec<NotPushed>)>;

/// A planned query with what `fdw explain` reports beside the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedQuery {
    /// The plan.
    pub plan: Plan,
    /// Per foreign scan, in EXPLAIN order: its range-table index and the
    /// conditions left local with their reasons.
    pub not_pushed: NotPushedByScan,
    /// Why some foreign scan has no cost estimate (empty when every
    /// foreign scan has one).
    pub cost_errors: Vec<String>,
}

/// Plans a prepared `SELECT` as postgres_fdw 15 would with join and upper
/// pushdown left out: every foreign table is scanned on its own with its
/// remote and local conditions, and everything above runs locally.
///
/// # Errors
///
/// [`Error::Unsupported`] for statements other than `SELECT`, set
/// operations, window functions and `FROM` items other than tables and
/// foreign tables; otherwise the errors of
/// [`plan_base_rel`](crate::base_rel::plan_base_rel).
pub fn plan_query(
    catalog: &Catalog,
    dialect: &dyn Dialect,
    prepared: &PreparedQuery,
) -> Result<PlannedQuery> {
    plan_query_with_estimator(catalog, dialect, prepared, None)
}

/// [`plan_query`] with a remote estimator for the foreign tables whose
/// `use_remote_estimate` is on: their estimates come from the remote
/// server's `EXPLAIN` of their remote query, as postgres_fdw's do. Without
/// one such tables carry no estimate (see [`PlannedQuery::cost_errors`]).
///
/// # Errors
///
/// As [`plan_query`].
pub fn plan_query_with_estimator(
    catalog: &Catalog,
    dialect: &dyn Dialect,
    prepared: &PreparedQuery,
    estimator: Option<&dyn RemoteEstimator>,
) -> Result<PlannedQuery> {
    let query = &prepared.query;
    if query.command != CommandType::Select {
        return Err(Error::Unsupported(
            "INSERT, UPDATE and DELETE (foreign modification arrives with a later issue)".into(),
        ));
    }
    if query.set_operations.is_some() {
        return Err(Error::Unsupported(
            "set operations (UNION, INTERSECT, EXCEPT)".into(),
        ));
    }
    if !query.window_clause.is_empty() {
        return Err(Error::Unsupported("window functions".into()));
    }
    let quals = &prepared.quals;
    let rels = base_relations(query)?;
    if rels.is_empty() {
        return Err(Error::Unsupported("queries without a table in FROM".into()));
    }
    let mut tlist: Vec<Expr> = query.target_list.iter().map(|te| te.expr.clone()).collect();
    // Row marks of foreign tables are ROW_MARK_COPY: the whole row travels
    // up as a junk column (`ft1.*`).
    for mark in &query.row_marks {
        if let Some(&(rtindex, relid, RelKind::ForeignTable)) =
            rels.iter().find(|(rti, _, _)| *rti == mark.rti)
        {
            if let Some(rel) = catalog.relation(relid) {
                tlist.push(Expr::Var(fdw_core::expr::Var::new(
                    rtindex,
                    AttrNumber::WHOLE_ROW,
                    rel.row_type,
                    -1,
                    fdw_core::Oid::INVALID,
                )));
            }
        }
    }
    let mut cost_errors = Vec::new();
    let costs = CostSetup::new(catalog);
    let (top, not_pushed, upper_done) =
        if quals.pseudoconstant.iter().any(is_constant_false_or_null) {
            // A constant FALSE or NULL condition empties the relation
            // (`relation_excluded_by_constraints`): nothing is scanned; a
            // `Result` returns no row.
            let node = PlanNode::new(PlanKind::Result(ResultNode {
                one_time_filter: vec![Expr::Const(fdw_core::expr::Const::new(
                    fdw_core::Oid(16),
                    fdw_core::Oid::INVALID,
                    "false",
                ))],
                filter: Vec::new(),
                input: None,
            }));
            // A lone relation proven empty is a dummy path; how PostgreSQL
            // sizes an empty join is not modelled.
            let node = PlanNode {
                cost: (rels.len() == 1).then_some(crate::upper::EMPTY_RESULT_COST),
                ..node
            };
            (node, Vec::new(), false)
        } else {
            scan_and_join(
                catalog,
                dialect,
                &costs,
                prepared,
                &rels,
                &tlist,
                estimator,
                &mut cost_errors,
            )?
        };
    // SELECT DISTINCT ON keeps the first row of each group in ORDER BY
    // order, which is not planned yet: refused rather than answered with
    // duplicates.
    if query.has_distinct_on {
        return Err(Error::Unsupported("SELECT DISTINCT ON".into()));
    }
    // Grouping, DISTINCT, ORDER BY and LIMIT, with their estimates.
    let top = if upper_done {
        top
    } else {
        crate::upper::plan_upper(
            &crate::upper::UpperInput {
                catalog,
                dialect,
                costs: &costs,
                prepared,
                rels: &rels,
                tlist: &tlist,
            },
            top,
            &mut cost_errors,
        )?
    };
    Ok(PlannedQuery {
        plan: Plan {
            command: CommandType::Select,
            root: top,
            subplans: Vec::new(),
            rtable: RangeTable::of_query(Arc::clone(&prepared.query)),
        },
        not_pushed,
        cost_errors,
    })
}

/// The scans of `rels` joined as the join tree says, under a
/// gating `Result` for the pseudoconstant conditions; with the conditions
/// each foreign scan keeps local, and whether the upper nodes (grouping,
/// ordering, `LIMIT`) are already planned above the joins.
#[allow(clippy::too_many_arguments)]
fn scan_and_join(
    catalog: &Catalog,
    dialect: &dyn Dialect,
    costs: &CostSetup,
    prepared: &PreparedQuery,
    rels: &[(RelIndex, fdw_core::Oid, RelKind)],
    tlist: &[Expr],
    estimator: Option<&dyn RemoteEstimator>,
    cost_errors: &mut Vec<String>,
) -> Result<(PlanNode, NotPushedByScan, bool)> {
    let query = &prepared.query;
    let quals = &prepared.quals;
    // What the plan above the scans needs: the target list (junk entries
    // too), HAVING, the join clauses and the equivalence classes joining
    // several relations.
    // (The lists are chained into `pull_vars` below rather than collected:
    // each list was an allocation per query.)
    let upper_exprs = query
        .target_list
        .iter()
        .map(|te| &te.expr)
        .chain(query.having_qual.iter());
    let join_clause_exprs: Vec<&Expr> = quals
        .joins
        .iter()
        .flat_map(|join| join.clauses.iter().map(|c| &*c.expr))
        .collect();
    // The order of a scan's columns is the order in which PostgreSQL
    // adds them to its reltarget: the final target list's and HAVING's
    // (build_base_rel_tlists), then each join condition's in the order
    // deconstruct_jointree distributes them, equalities later absorbed
    // into equivalence classes included (distribute_qual_to_rels adds
    // their columns first), then the classes' members
    // (generate_base_implied_equalities).
    let mut distributed: Vec<&Expr> = Vec::new();
    // With one range-table entry and no placed join clause no condition
    // can be a join condition, and the walk would only cost time.
    if query.rtable.len() > 1 || !join_clause_exprs.is_empty() {
        join_conditions_in_order(
            JoinTreeItem::From(&query.jointree),
            &join_clause_exprs,
            &mut distributed,
        )?;
    }
    let ec_exprs = quals
        .equivalence_classes
        .iter()
        .filter(|ec| {
            let rels: Relids = ec.members.iter().flat_map(|m| m.relids.iter()).collect();
            rels.len() > 1
        })
        .flat_map(|ec| ec.members.iter().map(|m| &m.expr));
    let needed_vars = pull_vars(
        upper_exprs
            .chain(distributed.iter().copied())
            .chain(join_clause_exprs.iter().copied())
            .chain(ec_exprs),
    )?;

    // Sized once: growing them cost more than the allocation.
    let mut scans = Vec::with_capacity(rels.len());
    let mut not_pushed = Vec::with_capacity(rels.len());
    for &(rtindex, relid, relkind) in rels {
        let conds: &[fdw_sql::joins::RestrictClause] =
            quals.base.get(&rtindex).map_or(&[], |list| list.as_slice());
        let output: Vec<Expr> = needed_vars
            .iter()
            .filter(|var| var.varno == rtindex)
            .map(|&var| Expr::Var(var.clone()))
            .collect();
        let node = if relkind == RelKind::ForeignTable {
            let mut attrs = AttrsUsed::new();
            for var in &needed_vars {
                if var.varno == rtindex {
                    attrs.insert(var.varattno);
                }
            }
            let locking = query
                .row_marks
                .iter()
                .find(|mark| mark.rti == rtindex)
                .map(|mark| mark.strength);
            if locking.is_some() {
                // ROW_MARK_COPY: the whole row travels up for rechecks.
                attrs.insert(AttrNumber::WHOLE_ROW);
            }
            let options = costs
                .table_options(catalog, relid)
                .map_err(fdw_deparse::Error::from)?;
            // baserestrictinfo: the relation's clauses and, when it is the
            // only relation, the pseudoconstant ones PostgreSQL attaches to it.
            let pseudoconstant: &[Expr] = if rels.len() == 1 {
                &quals.pseudoconstant
            } else {
                &[]
            };
            let crate::base_rel::PlannedBaseRel {
                plan: planned,
                mut clauses,
                qual_costs,
            } = plan_base_rel_of(
                catalog,
                dialect,
                costs.params(),
                &options,
                rtindex,
                relid,
                conds,
                |clause| &clause.expr,
                pseudoconstant.len(),
                attrs,
                locking,
            )?;
            clauses.extend(pseudoconstant.iter().map(|expr| ScanClause {
                expr,
                pseudoconstant: true,
                local: false,
            }));
            let cost = match costs.estimate_foreign_scan_costed(
                catalog,
                rtindex,
                relid,
                &clauses,
                &output,
                estimator
                    .map(|estimator| RemoteScan {
                        estimator,
                        server: planned.server,
                        sql: &planned.remote.sql,
                    })
                    .as_ref(),
                qual_costs.as_deref(),
                Some(&options),
            ) {
                Ok(cost) => Some(cost),
                Err(err) => {
                    cost_errors.push(err.to_string());
                    None
                }
            };
            not_pushed.push((rtindex, planned.not_pushed));
            let mut node = PlanNode::new(PlanKind::ForeignScan(ForeignScan {
                kind: ForeignScanKind::Base,
                scan_relid: Some(rtindex),
                relids: vec![rtindex],
                relations: None,
                remote: Arc::new(planned.remote),
                scan_tlist: Vec::new(),
                server: planned.server,
                user: None,
                fetch_size: planned.fetch_size,
            }));
            node.cost = cost;
            node
        } else {
            let mut clauses: Vec<ScanClause<'_>> = conds
                .iter()
                .map(|clause| ScanClause {
                    expr: &clause.expr,
                    pseudoconstant: false,
                    local: true,
                })
                .collect();
            if rels.len() == 1 {
                clauses.extend(quals.pseudoconstant.iter().map(|expr| ScanClause {
                    expr,
                    pseudoconstant: true,
                    local: true,
                }));
            }
            let cost =
                crate::upper::local_scan_cost(catalog, costs, rtindex, relid, &clauses, &output)
                    .map_err(|why| cost_errors.push(format!("Seq Scan: {why}")))
                    .ok();
            let mut node = PlanNode::new(PlanKind::SeqScan(SeqScan {
                rti: rtindex,
                filter: order_qual_clauses(
                    catalog,
                    conds
                        .iter()
                        .map(|clause| Expr::clone(&clause.expr))
                        .collect(),
                )?,
            }));
            node.cost = cost;
            node
        };
        scans.push((rtindex, PlanNode { output, ..node }));
    }

    // Several relations: joined as PostgreSQL would choose (method, order,
    // estimates); where that is not modelled, as the join tree says,
    // without estimates.
    let mut top = if scans.len() > 1 {
        let upper = crate::upper::UpperInput {
            catalog,
            dialect,
            costs,
            prepared,
            rels,
            tlist,
        };
        match plan_joins_and_upper(&upper, &mut scans) {
            Ok(Joined::Upper(node)) => return Ok((node, not_pushed, true)),
            Ok(Joined::Join(node)) => node,
            Err(reason) => {
                cost_errors.push(format!("local joins: {reason}"));
                join_tree(catalog, quals, scans)?
            }
        }
    } else {
        join_tree(catalog, quals, scans)?
    };

    if !quals.pseudoconstant.is_empty() {
        let output = top.output.clone();
        // The gating Result copies its input's estimates (create_gating_plan).
        let cost = top.cost;
        top = PlanNode {
            output,
            cost,
            ..PlanNode::new(PlanKind::Result(ResultNode {
                one_time_filter: quals.pseudoconstant.clone(),
                filter: Vec::new(),
                input: Some(Box::new(top)),
            }))
        };
    }

    Ok((top, not_pushed, false))
}

/// The joins planned by cost: the top join alone when nothing is above
/// it but the final target list, else the whole plan with its upper nodes.
enum Joined {
    Join(PlanNode),
    Upper(PlanNode),
}

/// The join search over `scans` and, when the query has grouping,
/// ordering or `LIMIT`, the upper planning over the top join's paths;
/// `Err` says what is not modelled, with `scans` as they were. A join
/// with nothing above it moves the scans it uses out of `scans` into its
/// plan (the plan kept them as copies before).
fn plan_joins_and_upper(
    upper: &crate::upper::UpperInput<'_>,
    scans: &mut [(RelIndex, PlanNode)],
) -> std::result::Result<Joined, String> {
    let targets = crate::upper::join_targets(upper)?;
    let sorted_scans = crate::upper::sorted_foreign_scans(upper, scans, &targets.query_keys)?;
    let upper_work = crate::upper::has_upper_work(&upper.prepared.query);
    let paths = crate::join_path::plan_joins(
        upper.catalog,
        upper.costs,
        upper.prepared,
        scans,
        &crate::join_path::JoinRequest {
            needed: &targets.needed,
            target: &targets.target,
            query_keys: &targets.query_keys,
            tuple_fraction: targets.tuple_fraction,
            sorted_scans: &sorted_scans,
        },
        // Only the cheapest path is kept when nothing is planned above.
        !upper_work,
    )?;
    if upper_work {
        crate::upper::plan_upper_joined(upper, scans, paths.paths, paths.cheapest)
            .map(Joined::Upper)
    } else {
        paths
            .paths
            .into_iter()
            .nth(paths.cheapest)
            .map(|(node, _)| Joined::Join(node))
            .ok_or_else(|| "no join path".to_string())
    }
}

/// The scans joined as the query's join tree says (`quals.joins`, bottom
/// up): each outer join with its preserved side as the outer input, its
/// own `ON` conditions as the join filter and the conditions that must
/// wait for its null-extended rows as the filter above it; inner joins and
/// `FROM` lists left-deep in their written order with every condition
/// evaluable there as the join filter. (The join order and method are not
/// chosen by cost yet; the result is the query's, whatever the order.)
/// A join-tree node, or the query's top `FROM` list.
#[derive(Clone, Copy)]
enum JoinTreeItem<'a> {
    Node(&'a JoinTreeNode),
    From(&'a FromExpr),
}

/// The conditions of `node` that PostgreSQL treats as join conditions when
/// distributing them (`distribute_qual_to_rels` with several required
/// relations), appended to `out` in distribution order: a join's inputs
/// before its own conditions, left before right, a `FROM` list's items
/// before its `WHERE`. A condition is one when its columns come from
/// several relations, or when it was placed at a join although it names
/// one relation (an outer join's condition on its outer side, or one
/// delayed by a lower outer join); those are in `placed`.
fn join_conditions_in_order<'a>(
    node: JoinTreeItem<'a>,
    placed: &[&Expr],
    out: &mut Vec<&'a Expr>,
) -> Result<()> {
    // The join tree's depth was bounded when its conditions were placed
    // (fdw-sql refuses deeper trees), so the recursion is bounded too.
    // The children and conjuncts are walked where they are (this runs
    // for every query with several relations; no lists are made).
    let quals = match node {
        JoinTreeItem::Node(JoinTreeNode::RangeTblRef(_)) => return Ok(()),
        JoinTreeItem::Node(JoinTreeNode::Join(join)) => {
            join_conditions_below(&join.larg, placed, out)?;
            join_conditions_below(&join.rarg, placed, out)?;
            join.quals.as_ref()
        }
        JoinTreeItem::Node(JoinTreeNode::From(from)) => {
            for child in &from.fromlist {
                join_conditions_below(child, placed, out)?;
            }
            from.quals.as_ref()
        }
        JoinTreeItem::From(from) => {
            for child in &from.fromlist {
                join_conditions_below(child, placed, out)?;
            }
            from.quals.as_ref()
        }
    };
    let conjuncts: &[Expr] = match quals {
        Some(Expr::BoolExpr(b)) if b.boolop == BoolExprType::And => b.args.as_slice(),
        Some(other) => std::slice::from_ref(other),
        None => &[],
    };
    for clause in conjuncts {
        if references_several_rels(clause)? || placed.contains(&clause) {
            out.push(clause);
        }
    }
    Ok(())
}

/// [`join_conditions_in_order`] of a child of the join tree; a relation
/// has no conditions of its own and is answered here, without the call
/// (one per relation of every query with several).
#[inline]
fn join_conditions_below<'a>(
    child: &'a JoinTreeNode,
    placed: &[&Expr],
    out: &mut Vec<&'a Expr>,
) -> Result<()> {
    if matches!(child, JoinTreeNode::RangeTblRef(_)) {
        return Ok(());
    }
    join_conditions_in_order(JoinTreeItem::Node(child), placed, out)
}

/// True when `clause`'s columns of this query level come from more than
/// one relation. The whole tree is walked, as `pull_var_refs` would (and
/// with its depth limit), but without collecting the columns.
fn references_several_rels(clause: &Expr) -> Result<bool> {
    // The usual condition, an operator (or `op ANY (array)`) over columns
    // and constants (a column possibly relabelled), without the walk: the same columns,
    // and no depth the walk could refuse.
    let args = match clause {
        Expr::OpExpr(op) => Some(&op.args),
        Expr::ScalarArrayOpExpr(saop) => Some(&saop.args),
        _ => None,
    };
    if let Some(args) = args {
        // One pass over the arguments: the answer holds once every one
        // proves to be a column or a constant.
        let mut first: Option<RelIndex> = None;
        let mut several = false;
        let mut simple = true;
        for arg in args.iter() {
            let var = match arg {
                Expr::Var(v) => v,
                Expr::RelabelType(r) => match &r.arg {
                    Expr::Var(v) => v,
                    Expr::Const(_) => continue,
                    _ => {
                        simple = false;
                        break;
                    }
                },
                Expr::Const(_) => continue,
                _ => {
                    simple = false;
                    break;
                }
            };
            if var.varlevelsup == 0 {
                match first {
                    None => first = Some(var.varno),
                    Some(rel) => several |= rel != var.varno,
                }
            }
        }
        if simple {
            return Ok(several);
        }
    }
    walked_references_several_rels(clause)
}

/// [`references_several_rels`] by walking the whole tree.
fn walked_references_several_rels(clause: &Expr) -> Result<bool> {
    let mut first: Option<RelIndex> = None;
    let mut several = false;
    // Never stopped early: the answer is in `several`.
    let _complete = fdw_core::expr::walk(clause, |node| {
        if let Expr::Var(var) = node {
            if var.varlevelsup == 0 {
                match first {
                    None => first = Some(var.varno),
                    Some(rel) => several |= rel != var.varno,
                }
            }
        }
        fdw_core::expr::Visit::Descend
    })?;
    Ok(several)
}

fn join_tree(
    catalog: &Catalog,
    quals: &fdw_sql::joins::QualPlacement,
    mut scans: Vec<(RelIndex, PlanNode)>,
) -> Result<PlanNode> {
    // One relation is the plan whatever the join tree says (each join's
    // inputs are it or nothing, so nothing is joined): answered without
    // the component list (every single-table query comes here).
    if scans.len() == 1 {
        if let Some((_, node)) = scans.pop() {
            return Ok(node);
        }
    }
    // Components built so far: the base relations each covers and its plan.
    let mut parts: Vec<(Relids, PlanNode)> = scans
        .into_iter()
        .map(|(rti, node)| (Relids::from([rti]), node))
        .collect();
    let take =
        |parts: &mut Vec<(Relids, PlanNode)>, wanted: &Relids| -> Result<(Relids, PlanNode)> {
            // The component holding the input's relations (inputs are unions of
            // components formed lower in the tree).
            let Some(pos) = parts
                .iter()
                .position(|(relids, _)| relids.iter().any(|r| wanted.contains(r)))
            else {
                return Err(Error::Unsupported(
                    "a join input that is not a planned relation".into(),
                ));
            };
            Ok(parts.remove(pos))
        };
    for join in &quals.joins {
        let mut inputs = Vec::new();
        for input in &join.inputs {
            if input.is_empty() {
                continue;
            }
            // Several components may make up one input (e.g. a FROM list
            // inside a JOIN); join them first, left-deep.
            let mut combined: Option<(Relids, PlanNode)> = None;
            while parts
                .iter()
                .any(|(relids, _)| relids.iter().any(|r| input.contains(r)))
            {
                let next = take(&mut parts, input)?;
                combined = Some(match combined {
                    None => next,
                    Some(acc) => join_pair(catalog, quals, acc, next, JoinType::Inner)?,
                });
            }
            if let Some(part) = combined {
                inputs.push(part);
            }
        }
        let mut iter = inputs.into_iter();
        let Some(mut acc) = iter.next() else {
            continue;
        };
        for next in iter {
            acc = match join.jointype {
                JoinType::Inner => join_pair(catalog, quals, acc, next, JoinType::Inner)?,
                JoinType::Left => join_pair(catalog, quals, acc, next, JoinType::Left)?,
                // The preserved side goes outside: a right join is a left
                // join with its inputs swapped.
                JoinType::Right => join_pair(catalog, quals, next, acc, JoinType::Left)?,
                JoinType::Full => join_pair(catalog, quals, acc, next, JoinType::Full)?,
                other => {
                    return Err(Error::Unsupported(format!(
                        "local {other:?} joins from the join tree"
                    )))
                }
            };
        }
        parts.push(acc);
    }
    // Whatever is left (a single relation, or relations the join tree did
    // not list) is joined left-deep in range-table order.
    parts.sort_by_key(|(relids, _)| relids.first());
    let mut iter = parts.into_iter();
    let Some(mut acc) = iter.next() else {
        return Err(Error::Unsupported("queries without a table in FROM".into()));
    };
    for next in iter {
        acc = join_pair(catalog, quals, acc, next, JoinType::Inner)?;
    }
    Ok(acc.1)
}

/// One join node over `outer` and `inner`: the conditions evaluable there
/// (`build_joinrel_restrictlist`); at an outer join its own `ON`
/// conditions are the join filter and the others the filter above it.
fn join_pair(
    catalog: &Catalog,
    quals: &fdw_sql::joins::QualPlacement,
    outer: (Relids, PlanNode),
    inner: (Relids, PlanNode),
    join_type: JoinType,
) -> Result<(Relids, PlanNode)> {
    let (outer_relids, outer_node) = outer;
    let (inner_relids, inner_node) = inner;
    let clauses = quals.join_clauses(catalog, &outer_relids, &inner_relids);
    let (on, above): (Vec<_>, Vec<_>) = if join_type == JoinType::Inner {
        (clauses, Vec::new())
    } else {
        clauses.into_iter().partition(|c| !c.is_pushed_down)
    };
    // The join node shares its conditions' trees with the placement.
    let shared = |c: fdw_sql::joins::RestrictClause| c.expr;
    let join_filter = order_qual_clauses(catalog, on.into_iter().map(shared).collect())?;
    let filter = order_qual_clauses(catalog, above.into_iter().map(shared).collect())?;
    let mut output = outer_node.output.clone();
    output.extend(inner_node.output.iter().cloned());
    let mut relids = outer_relids;
    relids.extend(inner_relids);
    let node = PlanNode {
        output,
        ..PlanNode::new(PlanKind::Join(JoinNode {
            method: JoinMethod::NestLoop { params: Vec::new() },
            join_type,
            inner_unique: false,
            join_filter,
            filter,
            outer: Box::new(outer_node),
            inner: Box::new(inner_node),
        }))
    };
    Ok((relids, node))
}

/// The base relations of the query in range-table order: `(rtindex, oid,
/// relkind)`.
fn base_relations(query: &Query) -> Result<Vec<(RelIndex, fdw_core::Oid, RelKind)>> {
    let mut out = Vec::new();
    for (i, rte) in query.rtable.iter().enumerate() {
        let rtindex = RelIndex(u32::try_from(i + 1).map_err(|_| {
            Error::Unsupported("more range-table entries than fit in 32 bits".into())
        })?);
        match &rte.kind {
            RteKind::Relation {
                relid,
                relkind,
                tablesample,
                ..
            } => {
                if !rte.in_from_cl {
                    continue;
                }
                if tablesample.is_some() {
                    return Err(Error::Unsupported("TABLESAMPLE".into()));
                }
                match relkind {
                    RelKind::ForeignTable | RelKind::Table => out.push((rtindex, *relid, *relkind)),
                    other => {
                        return Err(Error::Unsupported(format!(
                            "scans of relations of kind {other:?}"
                        )))
                    }
                }
            }
            RteKind::Join { .. } => {}
            RteKind::Subquery { .. } => {
                return Err(Error::Unsupported("sub-selects in FROM".into()));
            }
            _ => {
                return Err(Error::Unsupported(
                    "FROM items other than tables and foreign tables".into(),
                ));
            }
        }
    }
    Ok(out)
}

/// A boolean constant that is false or null.
fn is_constant_false_or_null(expr: &Expr) -> bool {
    match expr {
        Expr::Const(c) => matches!(c.value.as_deref(), None | Some("false" | "f")),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fdw_core::expr::{Const, OpExpr, RelabelType, Var};
    use fdw_core::Oid;

    fn var(rel: u32, levelsup: u32) -> Expr {
        let mut v = Var::new(RelIndex(rel), AttrNumber(1), Oid(23), -1, Oid::INVALID);
        v.varlevelsup = levelsup;
        Expr::Var(v)
    }

    fn konst() -> Expr {
        Expr::Const(Const::new(Oid(23), Oid::INVALID, "1"))
    }

    fn relabel(arg: Expr) -> Expr {
        Expr::RelabelType(Box::new(RelabelType {
            arg,
            resulttype: Oid(25),
            resulttypmod: -1,
            resultcollid: Oid::INVALID,
            relabelformat: fdw_core::expr::CoercionForm::ImplicitCast,
        }))
    }

    fn op(args: Vec<Expr>) -> Expr {
        Expr::OpExpr(Box::new(OpExpr {
            opno: Oid(96),
            opfuncid: Oid(65),
            opresulttype: Oid(16),
            opretset: false,
            opcollid: Oid::INVALID,
            inputcollid: Oid::INVALID,
            args: args.into_iter().collect(),
        }))
    }

    fn saop(args: Vec<Expr>) -> Expr {
        Expr::ScalarArrayOpExpr(Box::new(fdw_core::expr::ScalarArrayOpExpr {
            opno: Oid(96),
            opfuncid: Oid(65),
            hashfuncid: Oid::INVALID,
            negfuncid: Oid::INVALID,
            use_or: true,
            inputcollid: Oid::INVALID,
            args: args.into_iter().collect(),
        }))
    }

    /// The shortcut of `references_several_rels` answers what the walk does.
    #[test]
    fn references_several_rels_shortcut_matches_the_walk() {
        let cases = [
            op(vec![var(1, 0), var(2, 0)]),
            op(vec![var(1, 0), var(1, 0)]),
            op(vec![var(1, 0), konst()]),
            op(vec![konst(), konst()]),
            op(vec![relabel(var(1, 0)), relabel(var(3, 0))]),
            op(vec![relabel(var(2, 0)), relabel(konst())]),
            op(vec![var(1, 0), var(2, 1)]),
            op(vec![var(2, 1), var(1, 1)]),
            op(vec![op(vec![var(1, 0), var(2, 0)]), konst()]),
            op(vec![var(1, 0), var(1, 0), var(2, 0)]),
            saop(vec![var(1, 0), konst()]),
            saop(vec![var(1, 0), var(2, 0)]),
            saop(vec![var(1, 0), op(vec![var(2, 0), konst()])]),
        ];
        for clause in &cases {
            assert_eq!(
                references_several_rels(clause).ok(),
                walked_references_several_rels(clause).ok(),
                "{clause:?}"
            );
        }
        assert_eq!(references_several_rels(&cases[0]).ok(), Some(true));
        assert_eq!(references_several_rels(&cases[1]).ok(), Some(false));
    }
}
