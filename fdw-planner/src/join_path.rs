//! Local joins as PostgreSQL 15 plans them when no join is pushed to a
//! remote server: join sizes (`set_joinrel_size_estimates`), the paths of
//! `add_paths_to_joinrel` (nested loops with and without a `Materialize`
//! inner, hash joins, merge joins sorting their inputs or reading inputs a
//! lower merge join left sorted) costed as `costsize.c` does, the sort
//! orders (pathkeys) paths keep for merge joins above, `add_path`'s choice
//! among them, and `standard_join_search` over the levels of the join
//! problem with the outer joins' ordering rules (`join_is_legal`).
//!
//! What is not modelled answers `Err(reason)`: the caller then keeps the
//! join-tree plan without costs (its results are right; only the method,
//! order and estimates may differ from PostgreSQL's). Not modelled:
//! parameterized paths (postgres_fdw makes none without remote estimates;
//! local tables have no indexes in the catalog, so sorted paths come only
//! from merge joins and from postgres_fdw's scans sorted on the remote
//! server by the query's pathkeys), query orderings on merge keys by an
//! operator other than the type's default `<` or `>`, merge-join scan
//! fractions of cross-type clauses, locking and gating conditions.
//! The query's ordering (query pathkeys) keeps sorted paths; the top
//! relation's paths go to [`crate::upper`] for grouping, ordering and
//! `LIMIT`.

use std::borrow::Cow;
use std::cell::{Cell, OnceCell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use fdw_catalog::Catalog;
use fdw_core::expr::{BoolExprType, Expr, OpExpr, Var};
use fdw_core::plan::{
    Cost, HashNode, JoinMethod, JoinNode, Materialize, PlanKind, PlanNode, Sort, SortDirection,
    SortKey,
};
use fdw_core::query::{JoinType, RelKind};
use fdw_core::{AttrNumber, Oid, RelIndex};
use fdw_cost::join::{
    self as cost, CostComparison, HashKeyStats, HashTableSize, InputPath, JoinCost, JoinCostInput,
    JoinSettings, JoinSide, PathKind, ScanFractions, SemiFactors, SizeJoinType,
};
use fdw_cost::selectivity::{RestrictClause as SelClause, SelContext, ValueOps};
use fdw_cost::{cost_qual_eval, QualCost};
use fdw_sql::joins::{JoinClauseSource, JoinOperatorMemo, QualPlacement, Relids, RestrictClause};
use fdw_sql::PreparedQuery;

use crate::cost_order::qual_clause_order;
use crate::costing::CostSetup;
use smallvec::SmallVec;

/// Why the joins could not be planned as PostgreSQL would.
pub(crate) type NotModelled = String;

type Res<T> = Result<T, NotModelled>;

/// `DEFAULT_NUM_DISTINCT`.
const DEFAULT_NUM_DISTINCT: f64 = 200.0;
const BOOL: Oid = Oid(16);
const BTREE_AM: Oid = Oid(403);

/// One base relation's scan and what the join estimates read about it.
struct BaseRel<'a> {
    rti: RelIndex,
    /// The caller's scan, borrowed: a plan copies it only when it uses it.
    node: &'a PlanNode,
    cost: Cost,
    /// `rel->tuples`.
    tuples: f64,
    table: Oid,
    /// postgres_fdw's second path, sorted on the remote server by the
    /// query's pathkeys, with its estimate.
    sorted: Option<(&'a PlanNode, Cost)>,
    /// The table's statistics, looked up once: every join selectivity,
    /// side and column width of the relation reads them.
    stats: Option<&'a fdw_catalog::stats::TableStats>,
}

/// A path of a relation (`Path` and its join subtypes). Paths are shared
/// as PostgreSQL shares them by pointer: a relation's path list, its
/// cheapest paths and the joins above all hold the same one, by its
/// [`PathId`] in [`Planner::paths`].
struct Path {
    cost: JoinCost,
    rows: f64,
    width: i32,
    kind: PathKind,
    shape: Shape,
    /// The order its rows come in (`pathkeys`), kept only as far as a
    /// later merge join could use it (`truncate_useless_pathkeys`).
    pathkeys: PathKeys,
    /// Estimates that depend on this path alone, found on first use.
    memo: PathMemo,
}

/// What the join formulas derive from one input path alone: a relation's
/// cheapest path is the input of many candidate joins (both join orders,
/// and every pair it is part of), each asking again.
#[derive(Default)]
struct PathMemo {
    /// [`cost::merge_input_sort_cost`]: a merge join sorting this path.
    sort: Cell<Option<(f64, f64)>>,
    /// [`cost::hash_table_size`]: a hash join's table of this path.
    hash_table: Cell<Option<HashTableSize>>,
}

/// A path's index in [`Planner::paths`]. Paths live in one list owned by
/// the planner rather than each in its own shared allocation: a query
/// makes a few dozen, and a list holds them without an allocation, a
/// reference count or a recursive drop each.
type PathId = usize;

enum Shape {
    Scan(usize),
    /// The base relation's remotely sorted foreign scan.
    SortedScan(usize),
    Material(PathId),
    Join {
        method: Method,
        jointype: JoinType,
        outer: PathId,
        inner: PathId,
        rel: usize,
        pair: Rc<Pair>,
    },
}

enum Method {
    NestLoop,
    /// The hash clauses' indexes in the pair's clauses: inline, as the
    /// list is as long as a `Vec`'s header for up to two (the usual one).
    Hash {
        clauses: ClauseList<usize>,
    },
    Merge {
        /// The merge clauses' indexes, as [`Method::Hash`]'s.
        clauses: ClauseList<usize>,
        /// The order the outer input is sorted into (`outersortkeys`),
        /// empty when it comes sorted already.
        outer_sort: SortKeys,
        /// The same for the inner input (`innersortkeys`).
        inner_sort: SortKeys,
        materialize: bool,
    },
}

/// A relation of the join search (`RelOptInfo`).
struct Rel<'a> {
    relids: Relids,
    rows: f64,
    /// `reltarget`: for a join, the Vars needed above it, outer input's
    /// first as the pair that created it had them. Borrowed from the base
    /// relations' scans, as every relation above a column lists it again:
    /// a plan copies only the lists it outputs.
    target: Vec<&'a Expr>,
    width: i32,
    /// Inline: a relation keeps a few paths (`add_path` drops the
    /// others), so the list rarely allocates.
    paths: SmallVec<[PathId; 4]>,
    cheapest_total: Option<PathId>,
    cheapest_startup: Option<PathId>,
    /// The classes a later merge join could use a sort on
    /// ([`Planner::pathkeys_useful_for_merging`]), found on first use.
    merge_classes: OnceCell<MergeClasses>,
    /// The `Materialize` path over the cheapest total path, made on first
    /// use ([`Planner::material_path`]).
    material: OnceCell<PathId>,
}

/// One clause of a join's restriction list with what the estimates need.
struct ClauseInfo {
    rc: RestrictClause,
    cost: QualCost,
    /// Selectivities already estimated, by join kind and, for semi and
    /// anti joins, the outer join (index in [`Planner::specials`]) whose
    /// inner side they read. The estimate is a pure function of the clause
    /// and these, and every path of both join orders (and other pairs
    /// with the same clause) asks for it again.
    selectivity: RefCell<Vec<(SizeJoinType, Option<usize>, f64)>>,
    /// The inner-join selectivity, kept apart: every merge and hash path
    /// asks for it (`approx_tuple_count`).
    inner_selectivity: Cell<Option<f64>>,
    /// Relids of the operator's left and right argument.
    sides: Option<(Relids, Relids)>,
    can_join: bool,
    mergeable: bool,
    hashable: bool,
    /// The classes of the left and right argument of a merge-joinable
    /// clause ([`Planner::key_id`]), found once for every path.
    merge_keys: Option<(KeyId, KeyId)>,
    /// Bucket statistics for the inner side being the left (`[0]`) or the
    /// right (`[1]`) argument, the first found for the clause's
    /// expression: shared by every [`ClauseInfo`] whose expression is
    /// equal (clauses differing only in placement flags), as the first
    /// estimate made for an expression is the one kept.
    buckets: SharedBuckets,
    /// `mergejoinscansel`'s fractions (left start, left end, right start,
    /// right end) by (descending, nulls first): a pure function of the
    /// clause and the direction, asked for by every merge path of either
    /// join order (which only swaps which side is outer). Inline room for
    /// one direction: a query almost always merges in one (ascending,
    /// nulls last), and growing a Vec from empty allocated for every
    /// mergeable clause.
    scan_fractions: RefCell<SmallVec<[(FractionsKey, Fractions); 1]>>,
}

/// (descending, nulls first).
type FractionsKey = (bool, bool);

/// `mergejoinscansel`'s left start, left end, right start, right end.
type Fractions = [f64; 4];

/// A base column needed above its relation (`attr_needed`), with its
/// width once a join relation's target has counted it.
struct NeededColumn {
    varno: RelIndex,
    attno: AttrNumber,
    /// The relids needing it.
    needed: Relids,
    /// [`Planner::var_width`] of the column as a Var of this type and
    /// type modifier: every join relation above the column adds it again.
    width: Cell<Option<(Oid, i32, i32)>>,
}

/// A column as [`Planner::var_width`] reads it: relation, attribute,
/// type and type modifier.
type ColumnKey = (RelIndex, AttrNumber, Oid, i32);

/// [`ClauseInfo::buckets`]: `(MCV frequency, bucket size)` per inner side.
type SharedBuckets = Rc<Cell<[Option<(f64, f64)>; 2]>>;

/// A pair of relations joined (`make_join_rel`'s restrict list and
/// special-join information), shared by both join orders.
struct Pair {
    /// Shared with every other pair having the same clause
    /// ([`Planner::clause_infos`]). Inline: a pair usually has one
    /// clause, and every split of every join relation makes a pair.
    clauses: PairClauses,
    /// The outer join performed here, if any: its index in
    /// [`Planner::specials`] ([`Planner::pair_special`]), not a copy, so
    /// that a pair stays small enough to move without a `memcpy` call.
    special_idx: Option<usize>,
}

/// [`Pair::clauses`].
type PairClauses = SmallVec<[Rc<ClauseInfo>; 2]>;

#[derive(Clone)]
struct Special {
    jointype: JoinType,
    min_left: Relids,
    min_right: Relids,
    /// The join's syntactic inputs.
    syn_left: Relids,
    syn_right: Relids,
    /// Its condition is strict for a left-input relation (`lhs_strict`):
    /// another LEFT join may then be associated into its right side.
    lhs_strict: bool,
}

/// The join planner's state for one query.
struct Planner<'a> {
    catalog: &'a Catalog,
    costs: &'a CostSetup,
    settings: JoinSettings,
    quals: &'a QualPlacement,
    values: crate::costing::PlannerValues<'a>,
    bases: Vec<BaseRel<'a>>,
    rels: Vec<Rel<'a>>,
    /// Every path made, kept or not ([`PathId`]): a path removed from its
    /// relation's list may still be an input of a join path above.
    paths: Vec<Path>,
    /// The relations built, by their relids ([`Self::rel_of`]). A list:
    /// a join problem has at most 8 base relations here, so a few dozen
    /// relations, and a scan of one-word sets beats ordering them.
    by_relids: Vec<(Relids, usize)>,
    specials: Vec<Special>,
    /// Where each base column is needed: the relids needing it, `RelIndex(0)`
    /// standing for the query's output. A list, each column once: a query
    /// needs a handful of columns, and every join relation looks up each
    /// column of its inputs' targets here.
    attr_needed: Vec<NeededColumn>,
    /// Every join clause seen so far with what the estimates derived
    /// from it. PostgreSQL builds a clause's `RestrictInfo` once (an
    /// equivalence class hands out the same derived clause to every pair
    /// that asks) and caches its costs, selectivities and merge data in
    /// it; `join_clauses` rebuilds the clause for each pair, so equal
    /// clauses are matched here to share one [`ClauseInfo`] and its
    /// caches. Everything in it is a function of the clause alone.
    /// Each with its clause's [`column_operator`] print, found once: every
    /// clause made later is compared with it.
    clause_infos: Vec<(Option<ColumnOperator>, Rc<ClauseInfo>)>,
    /// Some join of the tree has placed join clauses (else every
    /// relation's `joininfo` is empty, which the join search asks of each
    /// relation and pair).
    placed_join_clauses: bool,
    /// The relids of each of `quals.equivalence_classes`' members together,
    /// in the same order (the join search asks for them per relation).
    ec_relids: Vec<Relids>,
    /// The same for the classes that can link relations: more than one
    /// member, over more than one relation. Only such a class has members
    /// both within a relation and outside it ([`Self::has_eclass_joins`]),
    /// or within each of two disjoint relations
    /// ([`Self::have_relevant_joinclause`]); a query has a one-relation
    /// class per `col = const`, which the join search need not visit.
    linking_ec_relids: Vec<Relids>,
    /// `root->query_pathkeys` as join pathkeys; `None` for a key no join
    /// path can be sorted by (a column outside every merge clause's
    /// class that sorts otherwise than ascending with nulls last).
    query_keys: Vec<Option<PathKey>>,
    /// `consider_startup` of every relation: the query has a `LIMIT`.
    consider_startup: bool,
    /// The expressions of [`KeyId::Expr`] keys, each once.
    key_exprs: RefCell<Vec<Expr>>,
    /// Column widths found ([`Self::var_width`]): every join relation
    /// above a column adds it to its width again.
    var_widths: RefCell<Vec<(ColumnKey, i32)>>,
    /// The join clauses' sources met so far with their [`ClauseInfo`]s
    /// ([`Self::source_clause_info`]): every pair joining the same class
    /// members is handed the same one without building its clause again.
    clause_sources: Vec<(JoinClauseSource<'a>, Rc<ClauseInfo>)>,
    /// The class equality operators chosen for the join clauses.
    join_operators: JoinOperatorMemo,
    /// The list [`Self::make_join_rel`] has the join clauses' sources
    /// listed into, kept for the next pair rather than allocated per pair.
    source_buf: Vec<JoinClauseSource<'a>>,
    /// `get_variable_range` of the columns asked for
    /// ([`Self::variable_range`]): a function of the column's statistics
    /// alone, and the merge clauses of every pair joining a column ask for
    /// it again (each clause's fractions are kept with it, but each pair
    /// of a class's members has its own clause).
    /// Shared, so that a range found again is not copied.
    var_ranges: RefCell<Vec<(Var, Option<VarRange<'a>>)>>,
    /// [`Self::join_estimator`] of the operators asked for.
    join_estimators: RefCell<SmallVec<[(Oid, JoinEstimator); 2]>>,
}

/// The relations of one level of the join search (a join problem's base
/// relations, or those joining as many): inline for a small problem, so
/// that the search allocates no list per level.
type LevelRels = SmallVec<[usize; 4]>;

/// The join selectivity estimators modelled ([`Planner::join_estimator`]).
#[derive(Clone, Copy)]
enum JoinEstimator {
    /// `eqjoinsel`.
    Eq,
    /// `neqjoinsel`, which estimates through its operator's negator.
    Neq { negator: Oid },
    /// `scalarltjoinsel` and its `<=`, `>`, `>=` siblings.
    Scalar,
}

/// A column's (min, max) by its type's `<` ([`Planner::variable_range`]):
/// borrowed from its statistics, which outlive the planner, so that no
/// bound is copied.
type VarRange<'a> = (&'a str, &'a str);

/// What the query above the joins asks of them.
pub(crate) struct JoinRequest<'r> {
    /// The expressions the plan above the joins reads (the final target
    /// list, junk entries included, and `HAVING`): their columns are
    /// needed above the top join (`build_base_rel_tlists`).
    pub needed: &'r [Expr],
    /// The target list each path of the top join computes (the final
    /// target list, or the grouping input target under aggregation).
    pub target: &'r [Expr],
    /// The query's pathkeys (`root->query_pathkeys`): expression, ordering
    /// operator and nulls first.
    pub query_keys: &'r [(Expr, Oid, bool)],
    /// `root->tuple_fraction`: above zero under a `LIMIT`, when every join
    /// relation also keeps paths for their startup cost.
    pub tuple_fraction: f64,
    /// The foreign base relations' scans sorted on the remote server by
    /// the query's pathkeys (a second path of each such relation).
    pub sorted_scans: &'r [(RelIndex, PlanNode)],
}

/// The paths of the top join relation, in its path list's order, each as
/// a plan computing the requested target with its estimate, and how many
/// leading query pathkeys its order satisfies.
pub(crate) struct JoinPaths {
    /// `(plan, leading query pathkeys it is sorted by)`.
    pub paths: Vec<(PlanNode, usize)>,
    /// The index of the cheapest-total path (`set_cheapest`).
    pub cheapest: usize,
}

/// Plans the joins of `scans` (each a base relation's scan with its
/// estimate). On success every path of the top join computes
/// `request.target` and carries its estimate.
///
/// With `move_scans` (the caller keeps only the cheapest path), that
/// path's plan takes the base relations' scans out of `scans` rather than
/// copying them, once everything else has succeeded: on `Err` `scans` is
/// as it was (the caller falls back to it); on `Ok` the scans moved are
/// left as placeholders.
pub(crate) fn plan_joins(
    catalog: &Catalog,
    costs: &CostSetup,
    prepared: &PreparedQuery,
    scans: &mut [(RelIndex, PlanNode)],
    request: &JoinRequest<'_>,
    move_scans: bool,
) -> Res<JoinPaths> {
    // One bit per scan marks it taken (see `Planner::build_plan`).
    let moves = (move_scans && scans.len() <= 64).then(|| Cell::new(0u64));
    let mut paths = plan_join_paths(catalog, costs, prepared, scans, request, moves.as_ref())?;
    if moves.is_some() {
        if let Some((node, _)) = paths.paths.get_mut(paths.cheapest) {
            fill_placeholders(node, scans);
        }
    }
    Ok(paths)
}

/// [`plan_joins`] but for the moves: with `moves`, the cheapest path's
/// plan has placeholders for its base relations' scans.
fn plan_join_paths(
    catalog: &Catalog,
    costs: &CostSetup,
    prepared: &PreparedQuery,
    scans: &[(RelIndex, PlanNode)],
    request: &JoinRequest<'_>,
    moves: Option<&Cell<u64>>,
) -> Res<JoinPaths> {
    let query = &prepared.query;
    if !query.row_marks.is_empty() || !prepared.quals.pseudoconstant.is_empty() {
        return Err("local join costs under locking or a gating condition are not modelled".into());
    }
    if request.target.iter().any(contains_agg) {
        return Err("aggregates computed in a join's target list are not modelled".into());
    }
    let join_settings = costs.join_settings();
    let mut bases = Vec::new();
    for (rti, node) in scans {
        let Some(cost) = node.cost else {
            return Err("a scan under the join has no estimate".into());
        };
        let rte = usize::try_from(rti.0)
            .ok()
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| query.rtable.get(i));
        let Some(fdw_core::query::RangeTblEntry {
            kind: fdw_core::query::RteKind::Relation { relid, relkind, .. },
            ..
        }) = rte
        else {
            return Err("a join input that is not a table".into());
        };
        let rel_stats = catalog.relation_stats(*relid);
        let tuples = match relkind {
            RelKind::ForeignTable => {
                if costs
                    .fdw_costs(catalog, *relid)
                    .map(|o| o.use_remote_estimate)
                    .unwrap_or(true)
                {
                    return Err("joins of use_remote_estimate tables are not modelled".into());
                }
                fdw_cost::BaseRelSize::new(
                    rel_stats.relpages,
                    f64::from(rel_stats.reltuples),
                    i32::try_from(cost.width).unwrap_or(0),
                    1.0,
                )
                .tuples
            }
            _ => {
                if rel_stats.reltuples < 0.0 {
                    return Err("joins of never-analyzed local tables are not modelled (their size comes from the table's file)".into());
                }
                f64::from(rel_stats.reltuples)
            }
        };
        let sorted = match request.sorted_scans.iter().find(|(r, _)| r == rti) {
            Some((_, sorted)) => {
                let Some(cost) = sorted.cost else {
                    return Err("a sorted foreign scan has no estimate".into());
                };
                Some((sorted, cost))
            }
            None => None,
        };
        bases.push(BaseRel {
            rti: *rti,
            node,
            cost,
            tuples,
            table: *relid,
            sorted,
            stats: catalog.stats(*relid),
        });
    }
    let rel_capacity = (1usize << scans.len().min(3)) - 1;
    let mut planner = Planner {
        catalog,
        costs,
        settings: join_settings,
        quals: &prepared.quals,
        values: costs.values(catalog),
        bases,
        // Room for every relation of a small join problem (all subsets
        // of three relations), so that pushing them does not reallocate.
        rels: Vec::with_capacity(rel_capacity),
        // Room for the paths of a small join problem (three relations
        // keep about twenty), so that adding one does not reallocate.
        paths: Vec::with_capacity(32),
        by_relids: Vec::with_capacity(rel_capacity),
        specials: Vec::new(),
        // Room for the usual columns: the output's and the classes'.
        attr_needed: Vec::with_capacity(
            request.needed.len()
                + prepared
                    .quals
                    .equivalence_classes
                    .iter()
                    .map(|ec| ec.members.len())
                    .sum::<usize>(),
        ),
        clause_infos: Vec::new(),
        query_keys: Vec::new(),
        consider_startup: request.tuple_fraction > 0.0,
        key_exprs: RefCell::new(Vec::new()),
        var_widths: RefCell::new(Vec::new()),
        clause_sources: Vec::new(),
        join_operators: JoinOperatorMemo::default(),
        source_buf: Vec::new(),
        join_estimators: RefCell::new(SmallVec::new()),
        // Room for the merge keys' columns of a small join problem, so
        // that the first ones found allocate once rather than grow.
        var_ranges: RefCell::new(Vec::with_capacity(8)),
        placed_join_clauses: prepared.quals.joins.iter().any(|j| !j.clauses.is_empty()),
        ec_relids: prepared
            .quals
            .equivalence_classes
            .iter()
            .map(|ec| union_all(ec.members.iter().map(|m| &m.relids)))
            .collect(),
        linking_ec_relids: Vec::new(),
    };
    planner.linking_ec_relids = planner
        .classes()
        .filter(|(ec, ecr)| ec.members.len() > 1 && ecr.len() > 1)
        .map(|(_, ecr)| ecr.clone())
        .collect();
    planner.query_keys = planner.resolve_query_keys(request.query_keys)?;
    planner.collect_specials()?;
    planner.collect_attr_needed(request.needed)?;
    // The widths asked for are of needed columns: room for all of them.
    planner
        .var_widths
        .borrow_mut()
        .reserve(planner.attr_needed.len());
    let joinlist = planner.joinlist()?;
    let top = planner.make_rel_from_joinlist(&joinlist)?;
    let rel = planner
        .rels
        .get(top)
        .ok_or_else(|| "no join relation".to_string())?;
    let cheapest = rel
        .cheapest_total
        .ok_or_else(|| "no path for the join".to_string())?;
    let cheapest = rel
        .paths
        .iter()
        .position(|p| *p == cheapest)
        .ok_or_else(|| "the cheapest path is not in the path list".to_string())?;
    // The requested target replaces each path's (a projection folded into
    // the join, apply_scanjoin_target_to_paths and create_projection_path):
    // its width, and its expressions' cost.
    let (width, target_cost) = planner.target_width_cost(request.target)?;
    let mut paths = Vec::with_capacity(rel.paths.len());
    for (at, id) in rel.paths.iter().enumerate() {
        let path = planner.path(*id)?;
        // Built computing the requested target (its own replaced).
        let mut node = planner.build_plan(
            path,
            false,
            Some(request.target),
            moves.filter(|_| at == cheapest),
        )?;
        if let Some(cost) = node.cost.as_mut() {
            cost.startup += target_cost.startup;
            cost.total += target_cost.startup + target_cost.per_tuple * cost.rows;
            cost.width = u32::try_from(width).unwrap_or(0);
        }
        let sorted = planner
            .query_keys
            .iter()
            .zip(&path.pathkeys)
            .take_while(|(q, k)| q.as_ref() == Some(*k))
            .count();
        paths.push((node, sorted));
    }
    Ok(JoinPaths { paths, cheapest })
}

/// The kind of a base relation's scan in a plan built with moves
/// ([`Planner::build_plan`]): a `Seq Scan` of the relation without a
/// filter (nothing allocated). To the plan built above it, it is a scan,
/// as the scan it stands for is (a sort may add a computed column to it).
fn scan_placeholder(rti: RelIndex) -> PlanKind {
    PlanKind::SeqScan(fdw_core::plan::SeqScan {
        rti,
        filter: Vec::new(),
    })
}

/// Swaps each placeholder of `node` (built by [`Planner::build_plan`]
/// with moves) with the kind and init-plans of its relation's scan in
/// `scans`: the plan keeps the estimate and target list it was built
/// with, and `scans` the placeholders. Every placeholder's relation has a
/// scan there (the planner's base relations are `scans`, one each) and
/// no two share one (checked as they were built).
fn fill_placeholders(node: &mut PlanNode, scans: &mut [(RelIndex, PlanNode)]) {
    let input = match &mut node.kind {
        PlanKind::Join(join) => {
            fill_placeholders(&mut join.outer, scans);
            &mut join.inner
        }
        PlanKind::Hash(hash) => &mut hash.input,
        PlanKind::Materialize(material) => &mut material.input,
        PlanKind::Sort(sort) => &mut sort.input,
        PlanKind::SeqScan(placeholder) => {
            let rti = placeholder.rti;
            if let Some((_, scan)) = scans.iter_mut().find(|(r, _)| *r == rti) {
                std::mem::swap(&mut node.kind, &mut scan.kind);
                std::mem::swap(&mut node.init_plans, &mut scan.init_plans);
            }
            return;
        }
        // A remotely sorted scan (copied when built); the other kinds are
        // not built by `build_plan`.
        PlanKind::ForeignScan(_)
        | PlanKind::ForeignModify(_)
        | PlanKind::Result(_)
        | PlanKind::Limit(_)
        | PlanKind::Aggregate(_)
        | PlanKind::Append(_)
        | PlanKind::MergeAppend(_)
        | PlanKind::SubqueryScan(_)
        | PlanKind::ValuesScan(_)
        | PlanKind::ModifyTable(_)
        | PlanKind::LockRows(_)
        | PlanKind::Unique(_)
        | PlanKind::WindowAgg(_) => return,
    };
    fill_placeholders(input, scans);
}

fn contains_agg(expr: &Expr) -> bool {
    // A column (most target entries) is no aggregate: no walk.
    if let Expr::Var(_) = expr {
        return false;
    }
    fdw_core::expr::any_node(expr, |n| matches!(n, Expr::Aggref(_) | Expr::WindowFunc(_)))
        .unwrap_or(true)
}

fn union(a: &Relids, b: &Relids) -> Relids {
    a.union(b)
}

/// The union of `sets`, word by word (not index by index as collecting
/// their members would).
fn union_all<'r>(sets: impl IntoIterator<Item = &'r Relids>) -> Relids {
    let mut out = Relids::new();
    for set in sets {
        out.union_with(set);
    }
    out
}

/// `order_qual_clauses` of shared clauses (the same order and errors
/// as [`crate::cost_order::order_qual_clauses`]): no tree is copied.
fn ordered_quals(catalog: &Catalog, clauses: Vec<Arc<Expr>>) -> Res<Vec<Arc<Expr>>> {
    // A lone comparison of columns and constants (the usual join filter)
    // is its own order: its cost, which only orders clauses, could fail
    // only on a tree too deep to walk, which it is not.
    if let [clause] = clauses.as_slice() {
        if let Expr::OpExpr(op) = &**clause {
            if op
                .args
                .iter()
                .all(|arg| matches!(arg, Expr::Var(_) | Expr::Const(_)))
            {
                return Ok(clauses);
            }
        }
    }
    let order = qual_clause_order(catalog, &clauses).map_err(|e| e.to_string())?;
    Ok(order
        .into_iter()
        .filter_map(|at| clauses.get(at).cloned())
        .collect())
}

/// `cost_qual_eval` of an operator over columns and constants (the usual
/// join clause), whose one cost is its function's: the walk's sum without
/// the walk. `None` for other operators, or when the function is unknown
/// (the walk reports that error).
fn column_operator_cost(
    catalog: &Catalog,
    params: &fdw_cost::CostParams,
    op: &OpExpr,
) -> Option<QualCost> {
    if !op
        .args
        .iter()
        .all(|arg| matches!(arg, Expr::Var(_) | Expr::Const(_)))
    {
        return None;
    }
    let proc = catalog.proc_info(op.opfuncid)?;
    // Summed as the walk sums it, from nothing.
    let mut cost = QualCost::default();
    cost.per_tuple += proc.cost * params.cpu_operator_cost;
    Some(cost)
}

/// [`column_operator_cost`] and [`clause_is_volatile`] of an operator
/// over columns and constants whose function is named (the usual join
/// clause, `None` for others): both read that one function, so one
/// catalog lookup answers both.
fn column_operator_facts(
    catalog: &Catalog,
    params: &fdw_cost::CostParams,
    op: &OpExpr,
) -> Option<(Option<QualCost>, bool)> {
    if op.opfuncid.is_invalid()
        || !op
            .args
            .iter()
            .all(|arg| matches!(arg, Expr::Var(_) | Expr::Const(_)))
    {
        return None;
    }
    let proc = catalog.proc_info(op.opfuncid);
    let cost = proc.as_ref().map(|proc| {
        // Summed as the walk sums it, from nothing.
        let mut cost = QualCost::default();
        cost.per_tuple += proc.cost * params.cpu_operator_cost;
        cost
    });
    // As the walk counts an unknown function: volatile.
    let volatile = proc
        .as_ref()
        .is_none_or(|p| p.volatility == fdw_catalog::builtin::Volatility::Volatile);
    Some((cost, volatile))
}

/// `contain_volatile_functions` of the operator clause `expr` (`op`): for
/// an operator over columns and constants, whose one function is the
/// operator's and whose walk could not fail, without the walk.
fn clause_is_volatile(catalog: &Catalog, op: &OpExpr, expr: &Expr) -> Res<bool> {
    if op
        .args
        .iter()
        .all(|arg| matches!(arg, Expr::Var(_) | Expr::Const(_)))
    {
        // As the walk counts an unknown function: volatile.
        let func = catalog.operator_function(op.opno, op.opfuncid);
        return Ok(catalog
            .proc_info(func)
            .is_none_or(|p| p.volatility == fdw_catalog::builtin::Volatility::Volatile));
    }
    catalog
        .contain_volatile_functions(expr)
        .map_err(|e| e.to_string())
}

fn overlaps(a: &Relids, b: &Relids) -> bool {
    a.overlaps(b)
}

fn subset(a: &Relids, b: &Relids) -> bool {
    a.is_subset(b)
}

/// [`column_operator`]: the operator and each column's relation,
/// attribute and level.
type ColumnOperator = (Oid, [(RelIndex, AttrNumber, u32); 2]);

/// The first of `classes` with a member equal to `expr`.
fn first_class_holding(classes: &[fdw_sql::joins::EquivalenceClass], expr: &Expr) -> Option<usize> {
    classes
        .iter()
        .position(|ec| ec.members.iter().any(|m| &m.expr == expr))
}

/// [`first_class_holding`] of `expr`, a member of `classes[class]`: that
/// class, unless an earlier one holds it too (only those are searched).
fn first_class_holding_member(
    classes: &[fdw_sql::joins::EquivalenceClass],
    expr: &Expr,
    class: usize,
) -> usize {
    classes
        .iter()
        .take(class)
        .position(|ec| ec.members.iter().any(|m| &m.expr == expr))
        .unwrap_or(class)
}

/// An operator clause over two columns as its operator and columns
/// (`None` for other clauses): clauses whose prints differ are unequal,
/// which is quicker to tell than comparing them.
fn column_operator(expr: &Expr) -> Option<ColumnOperator> {
    let Expr::OpExpr(op) = expr else {
        return None;
    };
    let [Expr::Var(l), Expr::Var(r)] = op.args.as_slice() else {
        return None;
    };
    Some((
        op.opno,
        [
            (l.varno, l.varattno, l.varlevelsup),
            (r.varno, r.varattno, r.varlevelsup),
        ],
    ))
}

/// The base relations an expression's Vars (of this level) belong to.
fn expr_relids(expr: &Expr) -> Res<Relids> {
    // The common cases without a walk: a join key that is a column, and
    // a join clause between two columns (`a.x = b.y`, whose walk would
    // find these two and could not fail at that depth).
    match expr {
        Expr::Var(v) if v.varlevelsup == 0 => return Ok(Relids::single(v.varno)),
        Expr::OpExpr(op) => {
            if let [Expr::Var(l), Expr::Var(r)] = op.args.as_slice() {
                if l.varlevelsup == 0 && r.varlevelsup == 0 {
                    let mut relids = Relids::single(l.varno);
                    relids.insert(r.varno);
                    return Ok(relids);
                }
            }
        }
        _ => {}
    }
    walked_relids(expr)
}

/// An operator between columns of two relations of this level (the usual
/// join clause), whose [`expr_relids`] are those two.
fn joins_two_relations(op: &OpExpr) -> bool {
    matches!(
        op.args.as_slice(),
        [Expr::Var(l), Expr::Var(r)] if l.varlevelsup == 0 && r.varlevelsup == 0 && l.varno != r.varno
    )
}

/// [`expr_relids`] by walking the whole tree.
fn walked_relids(expr: &Expr) -> Res<Relids> {
    // The relations straight into the set, without listing the columns
    // first (`pull_var_refs`): same walk, same depth limit.
    let mut relids = Relids::new();
    // Never stopped early: the answer is in `relids`.
    let _complete = fdw_core::expr::walk(expr, |node| {
        if let Expr::Var(v) = node {
            if v.varlevelsup == 0 {
                relids.insert(v.varno);
            }
        }
        fdw_core::expr::Visit::Descend
    })
    .map_err(|e| e.to_string())?;
    Ok(relids)
}

/// The Vars of this level in `expr`, in order of appearance.
fn pull_vars(expr: &Expr, out: &mut Vec<Var>) {
    let _ = fdw_core::expr::walk(expr, |node| {
        if let Expr::Var(v) = node {
            if v.varlevelsup == 0 && !out.contains(v) {
                out.push(v.clone());
            }
        }
        fdw_core::expr::Visit::Descend
    });
}

impl<'a> Planner<'a> {
    fn base_index(&self, rti: RelIndex) -> Res<usize> {
        self.bases
            .iter()
            .position(|b| b.rti == rti)
            .ok_or_else(|| format!("relation {} is not a planned scan", rti.0))
    }

    /// The outer joins as `SpecialJoinInfo`s.
    fn collect_specials(&mut self) -> Res<()> {
        for join in &self.quals.joins {
            match join.jointype {
                JoinType::Inner => {}
                JoinType::Left | JoinType::Full | JoinType::Anti => {
                    let [left, right] = join.inputs.as_slice() else {
                        return Err("an outer join without two inputs".into());
                    };
                    let (min_left, min_right) = if join.jointype == JoinType::Full {
                        (left.clone(), right.clone())
                    } else {
                        (join.min_left.clone(), join.min_right.clone())
                    };
                    if min_left.is_empty() || min_right.is_empty() {
                        return Err("an outer join whose minimal sides are unknown".into());
                    }
                    self.specials.push(Special {
                        jointype: join.jointype,
                        min_left,
                        min_right,
                        syn_left: left.clone(),
                        syn_right: right.clone(),
                        lhs_strict: join.lhs_strict,
                    });
                }
                other => return Err(format!("local {other:?} joins are not modelled")),
            }
        }
        Ok(())
    }

    /// `attr_needed` as `build_base_rel_tlists`, `distribute_qual_to_rels`
    /// and the equivalence classes leave it.
    fn collect_attr_needed(&mut self, tlist: &[Expr]) -> Res<()> {
        let upper = Relids::single(RelIndex(0));
        // Each column of this level straight into the map (adding the
        // same relids twice changes nothing, so no list of distinct
        // columns is made first).
        let add = |me: &mut Self, expr: &Expr, where_needed: &Relids| -> Res<()> {
            let mut system_column = false;
            // False to stop at a system column.
            let mut note = |v: &Var| -> bool {
                if v.varlevelsup == 0 {
                    if v.varattno.0 <= 0 {
                        system_column = true;
                        return false;
                    }
                    match me
                        .attr_needed
                        .iter_mut()
                        .find(|c| c.varno == v.varno && c.attno == v.varattno)
                    {
                        Some(column) => column.needed.union_with(where_needed),
                        None => me.attr_needed.push(NeededColumn {
                            varno: v.varno,
                            attno: v.varattno,
                            needed: where_needed.clone(),
                            width: Cell::new(None),
                        }),
                    }
                }
                true
            };
            // A lone column (most target entries and class members) is
            // noted without a walk, which would visit only it.
            if let Expr::Var(v) = expr {
                note(v);
            } else {
                let _complete = fdw_core::expr::walk(expr, |node| {
                    if let Expr::Var(v) = node {
                        if !note(v) {
                            return fdw_core::expr::Visit::Stop;
                        }
                    }
                    fdw_core::expr::Visit::Descend
                });
            }
            if system_column {
                return Err("system columns and whole-row values in joins are not modelled".into());
            }
            Ok(())
        };
        for expr in tlist {
            add(self, expr, &upper)?;
        }
        let quals = self.quals;
        for join in &quals.joins {
            for clause in &join.clauses {
                if clause.required_relids.len() > 1 {
                    add(self, &clause.expr, &clause.required_relids)?;
                }
            }
        }
        for ec in &quals.equivalence_classes {
            if ec.has_const() {
                continue;
            }
            let ec_relids: Relids = union_all(ec.members.iter().map(|m| &m.relids));
            if ec_relids.len() < 2 {
                continue;
            }
            for member in &ec.members {
                add(self, &member.expr, &ec_relids)?;
            }
        }
        Ok(())
    }

    /// The join problem's items (`deconstruct_jointree`'s joinlist): base
    /// relations in join-tree order, a FULL join's sides as sub-problems.
    fn joinlist(&self) -> Res<Item> {
        let quals = self.quals;
        let all: Relids = self.bases.iter().map(|b| b.rti).collect();
        // The top of the join tree covers every relation.
        let top = quals.joins.iter().rposition(|j| {
            let covered = union_all(&j.inputs);
            covered == all
        });
        let item = match top {
            Some(idx) => self.items_of(idx)?,
            None => {
                if !quals.joins.is_empty() {
                    return Err("a join tree not covering every relation".into());
                }
                Item::List(all.iter().map(Item::Rel).collect())
            }
        };
        let count = item.count();
        if count > 8 {
            return Err("join problems over 8 relations (collapse limits) are not modelled".into());
        }
        Ok(item)
    }

    fn items_of(&self, idx: usize) -> Res<Item> {
        let quals = self.quals;
        let join = quals
            .joins
            .get(idx)
            .ok_or_else(|| "join tree index".to_string())?;
        if join.jointype == JoinType::Full {
            let mut sides = Vec::with_capacity(join.inputs.len());
            for input in &join.inputs {
                sides.push(self.input_items(idx, input)?);
            }
            return Ok(Item::List(vec![Item::List(sides)]));
        }
        let mut flat = Vec::with_capacity(self.bases.len());
        self.flat_items_into(idx, &mut flat)?;
        Ok(Item::List(flat))
    }

    /// The items of the non-FULL join `idx` (as [`Self::items_of`] lists
    /// them) appended to `out`: each input's items, a lower non-FULL
    /// join's spliced in, straight into one list rather than each join
    /// listing its own to be taken apart by the join above.
    fn flat_items_into(&self, idx: usize, out: &mut Vec<Item>) -> Res<()> {
        let quals = self.quals;
        let join = quals
            .joins
            .get(idx)
            .ok_or_else(|| "join tree index".to_string())?;
        for input in &join.inputs {
            match self.input_join(idx, input)? {
                None => out.extend(input.iter().map(Item::Rel)),
                Some(lower) => {
                    let lower_join = quals
                        .joins
                        .get(lower)
                        .ok_or_else(|| "join tree index".to_string())?;
                    if lower_join.jointype == JoinType::Full {
                        // items_of gives [[sides]]: spliced, [sides].
                        match self.items_of(lower)? {
                            Item::List(items) => out.extend(items),
                            rel @ Item::Rel(_) => out.push(rel),
                        }
                    } else {
                        self.flat_items_into(lower, out)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// The join of the tree below `idx` that `input` (one of its inputs)
    /// is, `None` for a single relation.
    fn input_join(&self, idx: usize, input: &Relids) -> Res<Option<usize>> {
        if input.len() == 1 {
            return Ok(None);
        }
        match self.quals.joins.iter().take(idx).rposition(|j| {
            let covered = union_all(&j.inputs);
            &covered == input
        }) {
            Some(l) => Ok(Some(l)),
            None => Err("a join input that is not a join of the tree".into()),
        }
    }

    fn input_items(&self, idx: usize, input: &Relids) -> Res<Item> {
        if input.len() == 1 {
            if let Some(r) = input.iter().next() {
                // The relation itself rather than a list of it: the join
                // search treats both alike, and the list would be taken
                // apart again.
                return Ok(Item::Rel(r));
            }
        }
        let lower = self.quals.joins.iter().take(idx).rposition(|j| {
            let covered = union_all(&j.inputs);
            &covered == input
        });
        match lower {
            Some(l) => self.items_of(l),
            None => Err("a join input that is not a join of the tree".into()),
        }
    }

    fn make_rel_from_joinlist(&mut self, item: &Item) -> Res<usize> {
        match item {
            Item::Rel(rti) => self.base_rel(*rti),
            Item::List(items) => {
                // Inline: a join problem here has at most 8 items.
                let mut initial: SmallVec<[usize; 8]> = SmallVec::new();
                for it in items {
                    initial.push(self.make_rel_from_joinlist(it)?);
                }
                if let [only] = initial.as_slice() {
                    return Ok(*only);
                }
                self.standard_join_search(&initial)
            }
        }
    }

    fn base_rel(&mut self, rti: RelIndex) -> Res<usize> {
        let relids = Relids::single(rti);
        if let Some(i) = self.rel_of(&relids) {
            return Ok(i);
        }
        let b = self.base_index(rti)?;
        let base = self
            .bases
            .get(b)
            .ok_or_else(|| "base relation".to_string())?;
        let path = Path {
            cost: JoinCost {
                startup: base.cost.startup,
                total: base.cost.total,
            },
            rows: base.cost.rows,
            width: i32::try_from(base.cost.width).unwrap_or(0),
            kind: PathKind::Plain,
            shape: Shape::Scan(b),
            pathkeys: PathKeys::new(),
            memo: PathMemo::default(),
        };
        // The sorted path's keys are the query's pathkeys, every one of
        // which must be a join pathkey here.
        let sorted = match &base.sorted {
            Some((_, cost)) => {
                let keys: Option<PathKeys> = self.query_keys.iter().cloned().collect();
                let Some(keys) = keys else {
                    return Err("PostgreSQL may sort on the remote server by a query ordering with an operator other than its type's default < or >, which is not modelled".into());
                };
                Some(Path {
                    cost: JoinCost {
                        startup: cost.startup,
                        total: cost.total,
                    },
                    rows: cost.rows,
                    width: i32::try_from(cost.width).unwrap_or(0),
                    kind: PathKind::Plain,
                    shape: Shape::SortedScan(b),
                    pathkeys: keys,
                    memo: PathMemo::default(),
                })
            }
            None => None,
        };
        let width = path.width;
        let rows = base.cost.rows;
        let node: &'a PlanNode = base.node;
        let target: Vec<&'a Expr> = node.output.iter().collect();
        let path = self.new_path(path);
        let rel = Rel {
            relids: relids.clone(),
            rows,
            target,
            width,
            paths: smallvec::smallvec![path],
            cheapest_total: Some(path),
            cheapest_startup: Some(path),
            merge_classes: OnceCell::new(),
            material: OnceCell::new(),
        };
        self.rels.push(rel);
        let idx = self.rels.len() - 1;
        self.by_relids.push((relids, idx));
        // GetForeignPaths adds the plain path, then the sorted one
        // (add_paths_with_pathkeys_for_rel); set_base_rel_pathlists then
        // picks the cheapest.
        if let Some(sorted) = sorted {
            self.add_path(idx, sorted)?;
            self.set_cheapest(idx)?;
        }
        Ok(idx)
    }

    /// The relation of exactly these relids, if built.
    fn rel_of(&self, relids: &Relids) -> Option<usize> {
        self.by_relids
            .iter()
            .find(|(r, _)| r == relids)
            .map(|(_, i)| *i)
    }

    #[inline]
    fn rel(&self, idx: usize) -> Res<&Rel<'a>> {
        self.rels
            .get(idx)
            .ok_or_else(|| "relation index".to_string())
    }

    #[inline]
    fn path(&self, id: PathId) -> Res<&Path> {
        self.paths.get(id).ok_or_else(|| "path index".to_string())
    }

    /// Keeps `path` in [`Self::paths`]; the answer is its id.
    fn new_path(&mut self, path: Path) -> PathId {
        self.paths.push(path);
        self.paths.len() - 1
    }

    // ----- join search ------------------------------------------------------

    fn standard_join_search(&mut self, initial: &[usize]) -> Res<usize> {
        let levels = initial.len();
        let mut levels_rels: SmallVec<[LevelRels; 4]> = SmallVec::with_capacity(levels + 1);
        levels_rels.push(LevelRels::new());
        levels_rels.push(initial.iter().copied().collect());
        for level in 2..=levels {
            let new_rels = self.join_search_one_level(&levels_rels, level)?;
            for &r in &new_rels {
                self.set_cheapest(r)?;
            }
            levels_rels.push(new_rels);
        }
        levels_rels
            .get(levels)
            .and_then(|l| l.first().copied())
            .ok_or_else(|| "no legal join order found".to_string())
    }

    fn join_search_one_level(&mut self, levels: &[LevelRels], level: usize) -> Res<LevelRels> {
        // Borrowed: the levels are the caller's, not the planner's.
        let level_rels = |l: usize| levels.get(l).map_or(&[][..], LevelRels::as_slice);
        let initial = level_rels(1);
        let prev = level_rels(level - 1);
        // Room for a relation per lower relation, the usual count.
        let mut created = LevelRels::with_capacity(prev.len());
        for (pos, &old) in prev.iter().enumerate() {
            let linked = self.has_joininfo(old)?
                || self.has_eclass_joins(old)?
                || self.has_join_restriction(old)?;
            if linked {
                let first = if level == 2 { pos + 1 } else { 0 };
                for &other in initial.iter().skip(first) {
                    if !overlaps(&self.rel(old)?.relids, &self.rel(other)?.relids)
                        && (self.have_relevant_joinclause(old, other)?
                            || self.have_join_order_restriction(old, other, initial)?)
                    {
                        self.make_join_rel(old, other, &mut created)?;
                    }
                }
            } else {
                for &other in initial {
                    if !overlaps(&self.rel(old)?.relids, &self.rel(other)?.relids) {
                        self.make_join_rel(old, other, &mut created)?;
                    }
                }
            }
        }
        let mut k = 2;
        while k <= level - k {
            let other_level = level - k;
            let ks = level_rels(k);
            let others = level_rels(other_level);
            for (pos, &old) in ks.iter().enumerate() {
                if !self.has_joininfo(old)?
                    && !self.has_eclass_joins(old)?
                    && !self.has_join_restriction(old)?
                {
                    continue;
                }
                let first = if k == other_level { pos + 1 } else { 0 };
                for &new in others.iter().skip(first) {
                    if !overlaps(&self.rel(old)?.relids, &self.rel(new)?.relids)
                        && (self.have_relevant_joinclause(old, new)?
                            || self.have_join_order_restriction(old, new, initial)?)
                    {
                        self.make_join_rel(old, new, &mut created)?;
                    }
                }
            }
            k += 1;
        }
        if created.is_empty() {
            for &old in prev {
                for &other in initial {
                    if !overlaps(&self.rel(old)?.relids, &self.rel(other)?.relids) {
                        self.make_join_rel(old, other, &mut created)?;
                    }
                }
            }
        }
        Ok(created)
    }

    /// The placed join clauses not yet evaluable within `relids`
    /// (`joininfo`).
    /// An iterator, not a list: the join search only asks whether there
    /// is one, or one overlapping another relation.
    fn joininfo<'s>(&'s self, relids: &'s Relids) -> impl Iterator<Item = &'s RestrictClause> {
        self.quals
            .joins
            .iter()
            .flat_map(|j| j.clauses.iter())
            .filter(|c| overlaps(&c.required_relids, relids) && !subset(&c.required_relids, relids))
    }

    fn has_joininfo(&self, rel: usize) -> Res<bool> {
        let relids = &self.rel(rel)?.relids;
        Ok(self.placed_join_clauses && self.joininfo(relids).next().is_some())
    }

    /// The equivalence classes with their members' relids.
    fn classes(&self) -> impl Iterator<Item = (&fdw_sql::joins::EquivalenceClass, &Relids)> {
        self.quals
            .equivalence_classes
            .iter()
            .zip(self.ec_relids.iter())
    }

    fn has_eclass_joins(&self, rel: usize) -> Res<bool> {
        let relids = &self.rel(rel)?.relids;
        // (A class over one relation overlaps `relids` only as a subset.)
        Ok(self
            .linking_ec_relids
            .iter()
            .any(|ecr| overlaps(ecr, relids) && !subset(ecr, relids)))
    }

    fn has_join_restriction(&self, rel: usize) -> Res<bool> {
        let relids = &self.rel(rel)?.relids;
        Ok(self.specials.iter().any(|sj| {
            sj.jointype != JoinType::Full
                && !(subset(&sj.min_left, relids) && subset(&sj.min_right, relids))
                && (overlaps(&sj.min_left, relids) || overlaps(&sj.min_right, relids))
        }))
    }

    fn have_relevant_joinclause(&self, r1: usize, r2: usize) -> Res<bool> {
        let a = &self.rel(r1)?.relids;
        let b = &self.rel(r2)?.relids;
        if self.placed_join_clauses && self.joininfo(a).any(|c| overlaps(&c.required_relids, b)) {
            return Ok(true);
        }
        // Two disjoint relations (the join search asks only of those)
        // cannot both overlap a class over one relation: the linking
        // classes suffice. Overlapping ones are checked against every
        // class.
        if !overlaps(a, b) {
            return Ok(self
                .linking_ec_relids
                .iter()
                .any(|ecr| overlaps(ecr, a) && overlaps(ecr, b)));
        }
        Ok(self
            .classes()
            .any(|(ec, ecr)| ec.members.len() > 1 && overlaps(ecr, a) && overlaps(ecr, b)))
    }

    fn have_join_order_restriction(&self, r1: usize, r2: usize, initial: &[usize]) -> Res<bool> {
        let a = self.rel(r1)?.relids.clone();
        let b = self.rel(r2)?.relids.clone();
        let mut result = false;
        for sj in &self.specials {
            if sj.jointype == JoinType::Full {
                continue;
            }
            if (subset(&sj.min_left, &a) && subset(&sj.min_right, &b))
                || (subset(&sj.min_left, &b) && subset(&sj.min_right, &a))
                || (overlaps(&sj.min_right, &a) && overlaps(&sj.min_right, &b))
                || (overlaps(&sj.min_left, &a) && overlaps(&sj.min_left, &b))
            {
                result = true;
                break;
            }
        }
        if result
            && (self.has_legal_joinclause(r1, initial)?
                || self.has_legal_joinclause(r2, initial)?)
        {
            result = false;
        }
        Ok(result)
    }

    fn has_legal_joinclause(&self, rel: usize, initial: &[usize]) -> Res<bool> {
        let relids = self.rel(rel)?.relids.clone();
        for &other in initial {
            if overlaps(&relids, &self.rel(other)?.relids) {
                continue;
            }
            if self.have_relevant_joinclause(rel, other)?
                && self.join_is_legal(rel, other)?.is_some()
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// `join_is_legal`: `None` when illegal, else the outer join performed
    /// here (if any, its index in [`Self::specials`]) and whether the
    /// inputs are reversed for it.
    fn join_is_legal(&self, r1: usize, r2: usize) -> Res<Option<(Option<usize>, bool)>> {
        let a = &self.rel(r1)?.relids;
        let b = &self.rel(r2)?.relids;
        // Without outer joins every join is legal, as the loop below
        // (which finds nothing to check) would answer.
        if self.specials.is_empty() {
            return Ok(Some((None, false)));
        }
        let joinrelids = union(a, b);
        let mut matched: Option<(usize, bool)> = None;
        let mut must_be_leftjoin = false;
        for (idx, sj) in self.specials.iter().enumerate() {
            if !overlaps(&sj.min_right, &joinrelids) {
                continue;
            }
            if subset(&joinrelids, &sj.min_right) {
                continue;
            }
            if (subset(&sj.min_left, a) && subset(&sj.min_right, a))
                || (subset(&sj.min_left, b) && subset(&sj.min_right, b))
            {
                continue;
            }
            if subset(&sj.min_left, a) && subset(&sj.min_right, b) {
                if matched.is_some() {
                    return Ok(None);
                }
                matched = Some((idx, false));
            } else if subset(&sj.min_left, b) && subset(&sj.min_right, a) {
                if matched.is_some() {
                    return Ok(None);
                }
                matched = Some((idx, true));
            } else {
                if overlaps(a, &sj.min_right) && overlaps(b, &sj.min_right) {
                    continue;
                }
                if sj.jointype != JoinType::Left || overlaps(&joinrelids, &sj.min_left) {
                    return Ok(None);
                }
                must_be_leftjoin = true;
            }
        }
        // A join inside another outer join's nullable side is legal only as
        // a LEFT join strict for its left side (outer-join identity 3).
        if must_be_leftjoin
            && !matched
                .and_then(|(idx, _)| self.specials.get(idx))
                .is_some_and(|sj| sj.jointype == JoinType::Left && sj.lhs_strict)
        {
            return Ok(None);
        }
        Ok(Some(match matched {
            Some((sj, reversed)) => (Some(sj), reversed),
            None => (None, false),
        }))
    }

    fn make_join_rel(&mut self, r1: usize, r2: usize, created: &mut LevelRels) -> Res<()> {
        let Some((special_idx, reversed)) = self.join_is_legal(r1, r2)? else {
            return Ok(());
        };
        let jointype = match special_idx {
            Some(i) => {
                self.specials
                    .get(i)
                    .ok_or_else(|| "special join".to_string())?
                    .jointype
            }
            None => JoinType::Inner,
        };
        let (r1, r2) = if reversed { (r2, r1) } else { (r1, r2) };
        // The inputs' relids borrowed (the memo updated is another field).
        let (Some(rel1), Some(rel2)) = (self.rels.get(r1), self.rels.get(r2)) else {
            return Err("relation index".into());
        };
        let joinrelids = union(&rel1.relids, &rel2.relids);
        // Listed into the planner's list (taken, as the clause infos below
        // need the planner): no list allocated per pair.
        let mut sources = std::mem::take(&mut self.source_buf);
        self.quals.join_clause_sources_into(
            self.catalog,
            &rel1.relids,
            &rel2.relids,
            &mut self.join_operators,
            &mut sources,
        );
        let mut clauses = PairClauses::with_capacity(sources.len());
        for source in sources.drain(..) {
            clauses.push(self.source_clause_info(source)?);
        }
        self.source_buf = sources;
        let pair = Rc::new(Pair {
            clauses,
            special_idx,
        });
        let idx = match self.rel_of(&joinrelids) {
            Some(i) => i,
            None => {
                let rows = self.join_size(r1, r2, &pair, jointype)?;
                let mut target =
                    Vec::with_capacity(self.rel(r1)?.target.len() + self.rel(r2)?.target.len());
                let mut width = 0i32;
                for input in [r1, r2] {
                    for expr in &self.rel(input)?.target {
                        let Expr::Var(v) = expr else {
                            return Err("computed values in a join's target list".into());
                        };
                        let Some(column) = self
                            .attr_needed
                            .iter()
                            .find(|c| c.varno == v.varno && c.attno == v.varattno)
                        else {
                            continue;
                        };
                        if !column.needed.is_subset(&joinrelids) {
                            target.push(*expr);
                            width += self.needed_column_width(column, v)?;
                        }
                    }
                }
                self.rels.push(Rel {
                    relids: joinrelids.clone(),
                    rows,
                    target,
                    width,
                    paths: SmallVec::new(),
                    cheapest_total: None,
                    cheapest_startup: None,
                    merge_classes: OnceCell::new(),
                    material: OnceCell::new(),
                });
                let i = self.rels.len() - 1;
                self.by_relids.push((joinrelids, i));
                created.push(i);
                i
            }
        };
        // The clause lists of both join orders, found once: the second
        // order's are the first's with outer and inner swapped.
        // Filled in place: the lists are large to move.
        let mut lists = PairLists::new(&pair);
        let mut swapped = PairLists::empty(lists.restrict_cost);
        self.pair_clause_lists((idx, r1, r2), jointype, &pair, &mut lists, &mut swapped)?;
        let (first, second) = match jointype {
            JoinType::Inner => (JoinType::Inner, Some(JoinType::Inner)),
            JoinType::Left => (JoinType::Left, Some(JoinType::Right)),
            JoinType::Full => (JoinType::Full, Some(JoinType::Full)),
            JoinType::Anti => (JoinType::Anti, None),
            other => return Err(format!("{other:?} joins are not modelled")),
        };
        self.add_paths_to_joinrel(idx, r1, r2, first, &pair, &lists)?;
        if let Some(second) = second {
            #[cfg(debug_assertions)]
            self.check_swapped_lists((idx, r2, r1), second, &pair, &swapped)?;
            self.add_paths_to_joinrel(idx, r2, r1, second, &pair, &swapped)?;
        }
        Ok(())
    }

    /// The [`ClauseInfo`] of the join clause `source` stands for: the one
    /// found for the same source at an earlier join (no clause is built
    /// then), else [`Self::shared_clause_info`] of the clause built.
    /// A source always builds an equal clause, and the first
    /// [`ClauseInfo`] equal to it stays the first, so the answer is the
    /// one building the clause again would give.
    fn source_clause_info(&mut self, source: JoinClauseSource<'a>) -> Res<Rc<ClauseInfo>> {
        let same = |seen: &JoinClauseSource<'a>| match (seen, &source) {
            // The placed clause itself (equal ones elsewhere in the list
            // are matched by value in shared_clause_info).
            (JoinClauseSource::Placed(a), JoinClauseSource::Placed(b)) => std::ptr::eq(*a, *b),
            (JoinClauseSource::Implied(a), JoinClauseSource::Implied(b)) => a == b,
            _ => false,
        };
        if let Some((_, c)) = self.clause_sources.iter().find(|(seen, _)| same(seen)) {
            return Ok(Rc::clone(c));
        }
        let (rc, class) = match source {
            JoinClauseSource::Placed(rc) => (rc.clone(), None),
            JoinClauseSource::Implied(eq) => (
                self.quals
                    .implied_equality(self.catalog, &eq)
                    .ok_or_else(|| "an equality of an unknown class member".to_string())?,
                Some(eq.class),
            ),
        };
        let c = self.shared_clause_info(rc, class)?;
        self.clause_sources.push((source, Rc::clone(&c)));
        Ok(c)
    }

    /// The [`ClauseInfo`] of `rc`, the one made for an equal clause
    /// earlier if any (see [`Self::clause_infos`]). `class`: the
    /// equivalence class `rc` is an implied equality of, if it is one.
    fn shared_clause_info(
        &mut self,
        rc: RestrictClause,
        class: Option<usize>,
    ) -> Res<Rc<ClauseInfo>> {
        // The usual clause (an operator over two columns) differs from
        // most others in its operator or columns: those are compared
        // before the whole expressions.
        let print = column_operator(&rc.expr);
        let may_equal = |seen: &Option<ColumnOperator>| {
            print.is_none() || seen.is_none_or(|p| Some(p) == print)
        };
        // The relids first: unequal for most other clauses, and cheaper
        // to compare than the expressions.
        if let Some((_, c)) = self.clause_infos.iter().find(|(seen, c)| {
            c.rc.clause_relids == rc.clause_relids && may_equal(seen) && c.rc == rc
        }) {
            return Ok(Rc::clone(c));
        }
        let buckets = match self
            .clause_infos
            .iter()
            .find(|(seen, c)| may_equal(seen) && c.rc.expr == rc.expr)
        {
            Some((_, same_expr)) => Rc::clone(&same_expr.buckets),
            None => Rc::new(Cell::new([None, None])),
        };
        let c = Rc::new(self.clause_info(rc, buckets, class)?);
        self.clause_infos.push((print, Rc::clone(&c)));
        Ok(c)
    }

    fn clause_info(
        &self,
        rc: RestrictClause,
        buckets: SharedBuckets,
        class: Option<usize>,
    ) -> Res<ClauseInfo> {
        let facts = match &*rc.expr {
            Expr::OpExpr(op) => column_operator_facts(self.catalog, self.costs.params(), op),
            _ => None,
        };
        let shortcut = match (facts, &*rc.expr) {
            (Some((cost, _)), _) => cost,
            (None, Expr::OpExpr(op)) => column_operator_cost(self.catalog, self.costs.params(), op),
            (None, _) => None,
        };
        let cost = match shortcut {
            Some(cost) => cost,
            None => cost_qual_eval(self.catalog, self.costs.params(), Some(&*rc.expr))
                .map_err(|e| e.to_string())?,
        };
        let mut sides = None;
        let mut can_join = false;
        let mut mergeable = false;
        let mut hashable = false;
        if let Expr::OpExpr(op) = &*rc.expr {
            if let [l, r] = op.args.as_slice() {
                let lr = expr_relids(l)?;
                let rr = expr_relids(r)?;
                let volatile = match facts {
                    Some((_, volatile)) => volatile,
                    None => clause_is_volatile(self.catalog, op, &rc.expr)?,
                };
                can_join = !lr.is_empty() && !rr.is_empty() && !overlaps(&lr, &rr) && !volatile;
                if can_join {
                    if let Some(info) = self.catalog.operator_info(op.opno) {
                        mergeable = info.can_merge;
                        hashable = info.can_hash;
                    }
                }
                sides = Some((lr, rr));
            }
        }
        let merge_keys = match &*rc.expr {
            Expr::OpExpr(op) if can_join && mergeable => match op.args.as_slice() {
                [l, r] => Some(match class {
                    Some(class) => (
                        self.member_key_id(&rc, l, class)?,
                        self.member_key_id(&rc, r, class)?,
                    ),
                    None => (self.key_id(&rc, l)?, self.key_id(&rc, r)?),
                }),
                _ => None,
            },
            _ => None,
        };
        Ok(ClauseInfo {
            rc,
            cost,
            selectivity: RefCell::new(Vec::new()),
            inner_selectivity: Cell::new(None),
            sides,
            can_join,
            mergeable,
            hashable,
            merge_keys,
            buckets,
            scan_fractions: RefCell::new(SmallVec::new()),
        })
    }

    /// [`Self::var_width`] of `v`, a Var of the needed `column`, kept
    /// with the column: no search of the widths found.
    ///
    /// Inlined always: the width kept (the usual answer) is read without
    /// a call; [`Self::needed_column_width_found`] finds the others.
    #[inline(always)]
    fn needed_column_width(&self, column: &NeededColumn, v: &Var) -> Res<i32> {
        match column.width.get() {
            Some((t, m, w)) if t == v.vartype && m == v.vartypmod => Ok(w),
            seen => self.needed_column_width_found(column, v, seen.is_none()),
        }
    }

    /// [`Self::needed_column_width`] not kept with the column: found, and
    /// kept when `keep` (the column has no width kept yet).
    #[inline(never)]
    fn needed_column_width_found(&self, column: &NeededColumn, v: &Var, keep: bool) -> Res<i32> {
        let w = self.var_width(v)?;
        if keep {
            column.width.set(Some((v.vartype, v.vartypmod, w)));
        }
        Ok(w)
    }

    fn var_width(&self, v: &Var) -> Res<i32> {
        let column = (v.varno, v.varattno, v.vartype, v.vartypmod);
        if let Some(&(_, w)) = self.var_widths.borrow().iter().find(|(c, _)| *c == column) {
            return Ok(w);
        }
        let w = self.var_width_uncached(v)?;
        self.var_widths.borrow_mut().push((column, w));
        Ok(w)
    }

    fn var_width_uncached(&self, v: &Var) -> Res<i32> {
        let b = self.base_index(v.varno)?;
        let base = self.bases.get(b).ok_or_else(|| "base".to_string())?;
        let column = fdw_cost::width::ColumnType {
            attnum: v.varattno.0,
            type_oid: v.vartype,
            typmod: v.vartypmod,
            dropped: false,
        };
        Ok(fdw_cost::width::column_width(
            self.catalog,
            base.stats,
            &column,
        ))
    }

    fn target_width_cost(&self, tlist: &[Expr]) -> Res<(i32, QualCost)> {
        let mut width = 0;
        let mut qc = QualCost::default();
        for expr in tlist {
            match expr {
                Expr::Var(v) if v.varlevelsup == 0 && v.varattno.0 > 0 => {
                    width += self.var_width(v)?
                }
                _ => {
                    width += fdw_cost::width::typ_avg_width(
                        self.catalog,
                        expr.type_oid(),
                        expr.typmod(),
                    );
                    let c =
                        cost_qual_eval(self.catalog, self.costs.params(), std::iter::once(expr))
                            .map_err(|e| e.to_string())?;
                    qc = qc.plus(c);
                }
            }
        }
        Ok((width, qc))
    }

    // ----- selectivity ------------------------------------------------------

    /// `calc_joinrel_size_estimate` for the pair creating the join rel.
    fn join_size(&self, r1: usize, r2: usize, pair: &Pair, jointype: JoinType) -> Res<f64> {
        let outer_rows = self.rel(r1)?.rows;
        let inner_rows = self.rel(r2)?.rows;
        let joinrelids = union(&self.rel(r1)?.relids, &self.rel(r2)?.relids);
        let kind = size_kind(jointype)?;
        if kind == SizeJoinType::Inner {
            // One clause, the usual pair: clauselist_selectivity's own
            // first case, without listing it.
            let jselec = if let [only] = pair.clauses.as_slice() {
                self.clause_info_selectivity(only, kind, pair)?
            } else {
                let all: Vec<&ClauseInfo> = pair.clauses.iter().map(Rc::as_ref).collect();
                self.clauselist_selectivity(&all, kind, pair)?
            };
            return Ok(cost::joinrel_size(
                kind, outer_rows, inner_rows, jselec, 1.0,
            ));
        }
        let (pushed, own): (Vec<&ClauseInfo>, Vec<&ClauseInfo>) = pair
            .clauses
            .iter()
            .map(Rc::as_ref)
            .partition(|c| is_pushed_down(&c.rc, &joinrelids));
        let jselec = self.clauselist_selectivity(&own, kind, pair)?;
        let pselec = self.clauselist_selectivity(&pushed, kind, pair)?;
        Ok(cost::joinrel_size(
            kind, outer_rows, inner_rows, jselec, pselec,
        ))
    }

    /// `clauselist_selectivity` over join clauses: the product of each
    /// clause's selectivity, single-relation clauses through their
    /// relation's own `clauselist_selectivity` (range pairs included).
    fn clauselist_selectivity(
        &self,
        clauses: &[&ClauseInfo],
        kind: SizeJoinType,
        pair: &Pair,
    ) -> Res<f64> {
        if let [only] = clauses {
            return self.clause_info_selectivity(only, kind, pair);
        }
        let mut by_rel: BTreeMap<RelIndex, Vec<&Expr>> = BTreeMap::new();
        let mut s = 1.0;
        for c in clauses {
            let relids = &c.rc.clause_relids;
            if relids.len() == 1 {
                if let Some(r) = relids.iter().next() {
                    by_rel.entry(r).or_default().push(&c.rc.expr);
                    continue;
                }
            }
            s *= self.clause_info_selectivity(c, kind, pair)?;
        }
        for (rti, exprs) in by_rel {
            let list: Vec<SelClause<'_>> = exprs
                .into_iter()
                .map(|expr| SelClause {
                    expr,
                    pseudoconstant: false,
                })
                .collect();
            s *= self.with_sel_context(rti, |ctx| ctx.restrict_list_selectivity(&list))?;
        }
        Ok(s)
    }

    fn with_sel_context<T>(
        &self,
        rti: RelIndex,
        f: impl FnOnce(&SelContext<'_>) -> fdw_cost::Result<T>,
    ) -> Res<T> {
        let b = self.base_index(rti)?;
        let base = self.bases.get(b).ok_or_else(|| "base".to_string())?;
        let ctx = SelContext {
            catalog: self.catalog,
            rel: rti,
            stats: base.stats,
            tuples: base.tuples,
            values: &self.values,
            default_collation_is_c: self.costs.default_collation_is_c(),
        };
        f(&ctx).map_err(|e| e.to_string())
    }

    /// [`Self::clause_selectivity`] of one of `pair`'s clauses, estimated
    /// once per kind.
    fn clause_info_selectivity(&self, c: &ClauseInfo, kind: SizeJoinType, pair: &Pair) -> Res<f64> {
        if kind == SizeJoinType::Inner {
            if let Some(s) = c.inner_selectivity.get() {
                return Ok(s);
            }
            let s = self.clause_selectivity(&c.rc.expr, kind, pair)?;
            c.inner_selectivity.set(Some(s));
            return Ok(s);
        }
        // Only semi and anti estimates read the outer join (its inner
        // side's size and which side is which).
        let special = match kind {
            SizeJoinType::Semi | SizeJoinType::Anti => pair.special_idx,
            _ => None,
        };
        if let Some(&(_, _, s)) = c
            .selectivity
            .borrow()
            .iter()
            .find(|(k, sj, _)| *k == kind && *sj == special)
        {
            return Ok(s);
        }
        let s = self.clause_selectivity(&c.rc.expr, kind, pair)?;
        c.selectivity.borrow_mut().push((kind, special, s));
        Ok(s)
    }

    /// `clause_selectivity` of a join clause.
    fn clause_selectivity(&self, expr: &Expr, kind: SizeJoinType, pair: &Pair) -> Res<f64> {
        // The usual join clause, an operator between columns of two
        // relations, reads two relations: expr_relids' answer, without
        // building the set to count it.
        if let Expr::OpExpr(op) = expr {
            if joins_two_relations(op) {
                return self.join_selectivity(op, kind, pair);
            }
        }
        let relids = expr_relids(expr)?;
        if relids.len() <= 1 {
            let Some(rti) = relids.iter().next() else {
                return Err("a join clause without columns".into());
            };
            return self.with_sel_context(rti, |ctx| ctx.clause_selectivity(expr));
        }
        match expr {
            Expr::OpExpr(op) => self.join_selectivity(op, kind, pair),
            Expr::BoolExpr(b) => match b.boolop {
                BoolExprType::Not => {
                    let [arg] = b.args.as_slice() else {
                        return Err("NOT with several arguments".into());
                    };
                    Ok(1.0 - self.clause_selectivity(arg, kind, pair)?)
                }
                BoolExprType::And => {
                    let mut s = 1.0;
                    for arg in b.args.iter() {
                        s *= self.clause_selectivity(arg, kind, pair)?;
                    }
                    Ok(s)
                }
                BoolExprType::Or => {
                    let mut s = 0.0;
                    for arg in b.args.iter() {
                        let s2 = self.clause_selectivity(arg, kind, pair)?;
                        s = s + s2 - s * s2;
                    }
                    Ok(s)
                }
            },
            _ => Err(
                "the selectivity of a join clause other than an operator, AND, OR or NOT".into(),
            ),
        }
    }

    /// The operator's `oprjoin` estimator.
    fn join_selectivity(&self, op: &OpExpr, kind: SizeJoinType, pair: &Pair) -> Res<f64> {
        match self.join_estimator(op.opno)? {
            JoinEstimator::Eq => self.eqjoinsel(op, op.opno, kind, pair),
            JoinEstimator::Neq { negator } => {
                if matches!(kind, SizeJoinType::Semi | SizeJoinType::Anti) {
                    let (left, right, reversed) = self.join_variables(op, pair)?;
                    let side = if reversed { right } else { left };
                    Ok(1.0 - f64::from(side.null_frac.unwrap_or(0.0)))
                } else if negator.is_invalid() {
                    Ok(1.0 - 0.005)
                } else {
                    Ok(1.0 - self.eqjoinsel(op, negator, kind, pair)?)
                }
            }
            JoinEstimator::Scalar => Ok(fdw_cost::selectivity::DEFAULT_INEQ_SEL),
        }
    }

    /// The `oprjoin` estimator of operator `opno`, looked up once: the
    /// join clauses of a query share a few operators.
    fn join_estimator(&self, opno: Oid) -> Res<JoinEstimator> {
        if let Some(&(_, estimator)) = self
            .join_estimators
            .borrow()
            .iter()
            .find(|(seen, _)| *seen == opno)
        {
            return Ok(estimator);
        }
        let info = self
            .catalog
            .operator_info(opno)
            .ok_or_else(|| format!("operator {} is not in the catalog", opno.0))?;
        // Borrowed: a built-in estimator's name is not copied.
        let proc = self.catalog.proc_info(info.join);
        let name = proc.as_ref().map_or("", |p| p.name.as_str());
        let estimator = match name {
            "eqjoinsel" => JoinEstimator::Eq,
            "neqjoinsel" => JoinEstimator::Neq {
                negator: info.negator,
            },
            "scalarltjoinsel" | "scalarlejoinsel" | "scalargtjoinsel" | "scalargejoinsel" => {
                JoinEstimator::Scalar
            }
            other => {
                return Err(format!(
                    "join selectivity estimator {other:?} is not modelled"
                ))
            }
        };
        self.join_estimators.borrow_mut().push((opno, estimator));
        Ok(estimator)
    }

    /// The outer join `pair` performs, if any.
    fn pair_special(&self, pair: &Pair) -> Option<&Special> {
        pair.special_idx.and_then(|i| self.specials.get(i))
    }

    /// `get_join_variables` + `examine_variable` of both sides.
    fn join_variables(&self, op: &OpExpr, pair: &Pair) -> Res<(JoinSide, JoinSide, bool)> {
        let [l, r] = op.args.as_slice() else {
            return Err("a join operator without two arguments".into());
        };
        let (ls, lrel) = self.join_side(l)?;
        let (rs, rrel) = self.join_side(r)?;
        let reversed = match self.pair_special(pair) {
            Some(sj) => {
                lrel.as_ref().is_some_and(|x| subset(x, &sj.syn_right))
                    || rrel.as_ref().is_some_and(|x| subset(x, &sj.syn_left))
            }
            None => false,
        };
        Ok((ls, rs, reversed))
    }

    /// What the semi-join `neqjoinsel` reads about one side (no MCV
    /// frequencies), and the side's relation.
    fn join_side(&self, expr: &Expr) -> Res<(JoinSide, Option<Relids>)> {
        let (side, _, rel) = self.side_stats(expr, false)?;
        Ok((side, rel))
    }

    /// One side's statistics: the [`JoinSide`], the column statistics,
    /// and the side's relation when it refers to exactly one.
    #[allow(clippy::type_complexity)]
    fn side_stats(
        &self,
        expr: &Expr,
        with_mcvs: bool,
    ) -> Res<(
        JoinSide,
        Option<&'a fdw_catalog::stats::ColumnStats>,
        Option<Relids>,
    )> {
        let vartype = expr.type_oid();
        let base_expr = match expr {
            Expr::RelabelType(r) => &r.arg,
            _ => expr,
        };
        // A column, the usual side, is its own relation: expr_relids' own
        // first answer, without the call and the set's count and search.
        let (relids, rel_base) = match base_expr {
            Expr::Var(v) if v.varlevelsup == 0 => {
                (Relids::single(v.varno), Some(self.base_index(v.varno)?))
            }
            _ => {
                let relids = expr_relids(base_expr)?;
                let rel_base = if relids.len() == 1 {
                    relids
                        .iter()
                        .next()
                        .map(|r| self.base_index(r))
                        .transpose()?
                } else {
                    None
                };
                (relids, rel_base)
            }
        };
        let base = rel_base.and_then(|b| self.bases.get(b));
        let stats = match (base_expr, base) {
            (Expr::Var(v), Some(base)) if v.varattno.0 > 0 => {
                base.stats.and_then(|s| s.columns.get(&v.varattno.0))
            }
            _ => None,
        };
        let stadistinct = match stats {
            Some(s) => f64::from(s.n_distinct),
            None if vartype == BOOL => 2.0,
            None => 0.0,
        };
        let (nd, nd_is_default) = if stadistinct > 0.0 {
            (fdw_cost::clamp_row_est(stadistinct), false)
        } else {
            match base {
                None => (DEFAULT_NUM_DISTINCT, true),
                Some(b) if b.tuples <= 0.0 => (DEFAULT_NUM_DISTINCT, true),
                Some(b) if stadistinct < 0.0 => {
                    (fdw_cost::clamp_row_est(-stadistinct * b.tuples), false)
                }
                Some(b) if b.tuples < DEFAULT_NUM_DISTINCT => {
                    (fdw_cost::clamp_row_est(b.tuples), false)
                }
                Some(_) => (DEFAULT_NUM_DISTINCT, true),
            }
        };
        let side = JoinSide {
            nd,
            nd_is_default,
            null_frac: stats.map(|s| s.null_frac),
            // Copied only for eqjoinsel, the one reader.
            mcv_freqs: stats
                .filter(|s| with_mcvs && !s.most_common_vals.is_empty())
                .map(|s| s.most_common_freqs.clone()),
            rel_rows: base.map(|b| b.cost.rows),
        };
        Ok((
            side,
            stats,
            if base.is_some() { Some(relids) } else { None },
        ))
    }

    fn eqjoinsel(&self, op: &OpExpr, opno: Oid, kind: SizeJoinType, pair: &Pair) -> Res<f64> {
        let [l, r] = op.args.as_slice() else {
            return Err("a join operator without two arguments".into());
        };
        let (s1, st1, rel1) = self.side_stats(l, true)?;
        let (s2, st2, rel2) = self.side_stats(r, true)?;
        let collation = op.inputcollid;
        let values = &self.values;
        let t1 = strip_relabel(l).type_oid();
        let t2 = strip_relabel(r).type_oid();
        let mut matcher = |i: usize, j: usize| -> Option<bool> {
            let a = st1?.most_common_vals.get(i)?;
            let b = st2?.most_common_vals.get(j)?;
            values.apply_operator(opno, collation, (a, t1), (b, t2))
        };
        let inner = cost::eqjoinsel_inner(&s1, &s2, &mut matcher).map_err(|e| e.to_string())?;
        let selec = match kind {
            SizeJoinType::Inner | SizeJoinType::Left | SizeJoinType::Full => inner,
            SizeJoinType::Semi | SizeJoinType::Anti => {
                let Some(sj) = self.pair_special(pair) else {
                    return Err("a semi join without its special join".into());
                };
                let inner_rows = self.rel_rows_of(&sj.min_right)?;
                let reversed = rel1.as_ref().is_some_and(|x| subset(x, &sj.syn_right))
                    || rel2.as_ref().is_some_and(|x| subset(x, &sj.syn_left));
                let semi = if reversed {
                    let comm = self
                        .catalog
                        .operator_info(opno)
                        .map(|o| o.commutator)
                        .unwrap_or(Oid::INVALID);
                    let mut rev = |i: usize, j: usize| -> Option<bool> {
                        let a = st2?.most_common_vals.get(i)?;
                        let b = st1?.most_common_vals.get(j)?;
                        if comm.is_invalid() {
                            return None;
                        }
                        values.apply_operator(comm, collation, (a, t2), (b, t1))
                    };
                    let s2b = JoinSide {
                        mcv_freqs: if comm.is_invalid() {
                            None
                        } else {
                            s2.mcv_freqs.clone()
                        },
                        ..s2.clone()
                    };
                    cost::eqjoinsel_semi(&s2b, &s1, inner_rows, &mut rev)
                } else {
                    cost::eqjoinsel_semi(&s1, &s2, inner_rows, &mut matcher)
                }
                .map_err(|e| e.to_string())?;
                semi.min(inner_rows * inner)
            }
        };
        Ok(selec.clamp(0.0, 1.0))
    }

    fn rel_rows_of(&self, relids: &Relids) -> Res<f64> {
        let idx = self
            .rel_of(relids)
            .ok_or_else(|| "the inner relation of a semi join is not built".to_string())?;
        Ok(self.rel(idx)?.rows)
    }

    // ----- paths ------------------------------------------------------------

    fn add_paths_to_joinrel(
        &mut self,
        joinrel: usize,
        outer: usize,
        inner: usize,
        jointype: JoinType,
        pair: &Rc<Pair>,
        lists: &PairLists,
    ) -> Res<()> {
        // Semi/anti factors (inner_unique is never proven: no unique indexes).
        let semi = if jointype == JoinType::Anti {
            let joinrelids = &self.rel(joinrel)?.relids;
            let own: Vec<&ClauseInfo> = pair
                .clauses
                .iter()
                .map(Rc::as_ref)
                .filter(|c| !is_pushed_down(&c.rc, joinrelids))
                .collect();
            let jselec = self.clauselist_selectivity(&own, SizeJoinType::Anti, pair)?;
            let nselec = self.clauselist_selectivity(&own, SizeJoinType::Inner, pair)?;
            Some(SemiFactors::new(jselec, nselec, self.rel(inner)?.rows))
        } else {
            None
        };
        let want_merge = self.settings.enable_mergejoin || jointype == JoinType::Full;
        let mergejoin_allowed = !(want_merge
            && matches!(jointype, JoinType::Right | JoinType::Full)
            && lists.nonmergeable);
        let mergeclauses = &lists.merge;
        let hashclauses = &lists.hash;
        let rel = self.rel(joinrel)?;
        let ctx = PairCtx {
            joinrel,
            outer,
            inner,
            jointype,
            pair: Rc::clone(pair),
            restrict_cost: lists.restrict_cost,
            semi,
            rows: rel.rows,
            width: rel.width,
        };
        if mergejoin_allowed && !mergeclauses.is_empty() {
            self.sort_inner_and_outer(&ctx, mergeclauses)?;
        }
        if mergejoin_allowed {
            self.match_unsorted_outer(&ctx, mergeclauses)?;
        }
        if self.settings.enable_hashjoin || jointype == JoinType::Full {
            self.hash_inner_and_outer(&ctx, hashclauses)?;
        }
        Ok(())
    }

    /// The [`PairLists`] of `pair` joined as `outer` to `inner` (`rels`:
    /// join, outer, inner) with `jointype`: the merge clauses
    /// (`select_mergejoin_clauses`) and hash clauses
    /// (`hash_inner_and_outer`'s) in one pass, each clause's sides matched
    /// to the inputs once for both lists.
    ///
    /// Nothing here depends on which input is outer but the sides, so the
    /// same pass gives the other join order's lists (`inner` joined to
    /// `outer`, its join type having the same outer-join filtering: LEFT
    /// and RIGHT both are outer joins, INNER and FULL keep theirs) as the
    /// `swapped`: each clause's outer side is the other one there (a
    /// joinable clause's sides are non-empty and the inputs disjoint, so
    /// a side matching one order matches the other swapped, and one
    /// matching neither matches neither).
    fn pair_clause_lists(
        &self,
        (joinrel, outer, inner): (usize, usize, usize),
        jointype: JoinType,
        pair: &Pair,
        lists: &mut PairLists,
        swapped: &mut PairLists,
    ) -> Res<()> {
        let joinrelids = &self.rel(joinrel)?.relids;
        let outer_relids = &self.rel(outer)?.relids;
        let inner_relids = &self.rel(inner)?.relids;
        let is_outer = matches!(
            jointype,
            JoinType::Left | JoinType::Right | JoinType::Full | JoinType::Anti
        );
        let want_merge = self.settings.enable_mergejoin || jointype == JoinType::Full;
        let want_hash = self.settings.enable_hashjoin || jointype == JoinType::Full;
        for (i, c) in pair.clauses.iter().enumerate() {
            if is_outer && is_pushed_down(&c.rc, joinrelids) {
                continue;
            }
            let merge_candidate = want_merge && c.can_join && c.mergeable;
            let hash_candidate = want_hash && c.can_join && c.hashable;
            if want_merge && !merge_candidate && !matches!(*c.rc.expr, Expr::Const(_)) {
                lists.nonmergeable = true;
            }
            if !merge_candidate && !hash_candidate {
                continue;
            }
            let side = side_of(c, outer_relids, inner_relids);
            if merge_candidate {
                match side {
                    None => lists.nonmergeable = true,
                    Some(outer_is_left) => {
                        let Some((left, right)) = &c.merge_keys else {
                            return Err(
                                "a merge clause that is not an operator of two arguments".into()
                            );
                        };
                        let (outer_key, inner_key) = if outer_is_left {
                            (left, right)
                        } else {
                            (right, left)
                        };
                        lists.merge.push(MergeClause {
                            clause: i,
                            outer_key: *outer_key,
                            inner_key: *inner_key,
                            outer_is_left,
                        });
                        swapped.merge.push(MergeClause {
                            clause: i,
                            outer_key: *inner_key,
                            inner_key: *outer_key,
                            outer_is_left: !outer_is_left,
                        });
                    }
                }
            }
            if hash_candidate {
                if let Some(outer_is_left) = side {
                    // Both sides of a joinable clause have relations, and
                    // the inputs share none: the right argument is the
                    // inner one exactly when the left is the outer one.
                    lists.hash.push(HashClause {
                        clause: i,
                        right_is_inner: outer_is_left,
                    });
                    swapped.hash.push(HashClause {
                        clause: i,
                        right_is_inner: !outer_is_left,
                    });
                }
            }
        }
        swapped.nonmergeable = lists.nonmergeable;
        Ok(())
    }

    /// Debug builds: the swapped lists of the first join order are the
    /// ones [`Self::pair_clause_lists`] finds for the second (so every
    /// test query checks the shortcut against the general pass).
    #[cfg(debug_assertions)]
    fn check_swapped_lists(
        &self,
        rels: (usize, usize, usize),
        jointype: JoinType,
        pair: &Pair,
        swapped: &PairLists,
    ) -> Res<()> {
        let mut direct = PairLists::new(pair);
        let mut other = PairLists::empty(direct.restrict_cost);
        self.pair_clause_lists(rels, jointype, pair, &mut direct, &mut other)?;
        debug_assert!(direct == *swapped, "swapped clause lists differ");
        Ok(())
    }

    fn cost_input<'s>(
        &'s self,
        ctx: &PairCtx,
        outer: &'s InputPath,
        inner: &'s InputPath,
    ) -> JoinCostInput<'s> {
        JoinCostInput {
            settings: &self.settings,
            outer,
            inner,
            rows: ctx.rows,
            restrict_cost: ctx.restrict_cost,
            semi: ctx.semi,
            anti: ctx.jointype == JoinType::Anti,
        }
    }

    /// `match_unsorted_outer`: for each outer path, nested loops over the
    /// cheapest inner (plain and materialized) keeping the outer's order,
    /// then the merge joins its order allows (`generate_mergejoin_paths`).
    fn match_unsorted_outer(&mut self, ctx: &PairCtx, mergeclauses: &[MergeClause]) -> Res<()> {
        // Nested loops cannot do right or full joins, and those merge
        // joins must use every merge clause.
        let nestjoin_ok = !matches!(ctx.jointype, JoinType::Right | JoinType::Full);
        let useallclauses = !nestjoin_ok;
        let inner_rel = self.rel(ctx.inner)?;
        let Some(inner_total) = inner_rel.cheapest_total else {
            return Err("an inner relation without a path".into());
        };
        let matpath = if nestjoin_ok
            && self.settings.enable_material
            && self.path(inner_total)?.kind != PathKind::Materialized
        {
            Some(self.material_path(ctx.inner, inner_total)?)
        } else {
            None
        };
        // The outer relation's paths do not change while the join's are
        // added: each is taken in turn rather than the list copied.
        let mut next = 0;
        while let Some(&outer_path) = self.rel(ctx.outer)?.paths.get(next) {
            next += 1;
            // The result keeps the outer path's order, whatever the method:
            // the leading `useful` keys of it.
            let outer_keys = &self.path(outer_path)?.pathkeys;
            let useful = self.build_join_pathkeys(ctx.joinrel, ctx.jointype, outer_keys)?;
            if nestjoin_ok {
                self.try_nestloops(ctx, outer_path, [Some(inner_total), matpath], useful)?;
            }
            self.generate_mergejoin_paths(
                ctx,
                mergeclauses,
                outer_path,
                inner_total,
                useful,
                useallclauses,
            )?;
        }
        Ok(())
    }

    /// The `Materialize` path over `inner_total`, the cheapest path of
    /// relation `rel`: made once and kept with the relation, as every join
    /// with `rel` inside asks for the same one (its estimate is a function
    /// of the path alone, and paths are shared).
    fn material_path(&mut self, rel: usize, inner_total: PathId) -> Res<PathId> {
        if let Some(&m) = self.rel(rel)?.material.get() {
            if matches!(self.path(m)?.shape, Shape::Material(of) if of == inner_total) {
                return Ok(m);
            }
        }
        let inner = self.path(inner_total)?;
        let input = inner.input();
        let (s, t) = cost::material_cost(&self.settings, &input);
        let m = Path {
            cost: JoinCost {
                startup: s,
                total: t,
            },
            rows: inner.rows,
            width: inner.width,
            kind: PathKind::Materialized,
            shape: Shape::Material(inner_total),
            pathkeys: inner.pathkeys.clone(),
            memo: PathMemo::default(),
        };
        let m = self.new_path(m);
        // Kept only when the relation has none yet; another one (over a
        // path no longer its cheapest) is simply made again.
        let _ = self.rel(rel)?.material.set(m);
        Ok(m)
    }

    /// `generate_mergejoin_paths`: merge joins using the outer path's
    /// existing order, with the cheapest inner sorted to match and with
    /// inner paths already sorted well enough (for all or a leading part of
    /// the merge clauses).
    fn generate_mergejoin_paths(
        &mut self,
        ctx: &PairCtx,
        mergeclause_list: &[MergeClause],
        outer_path: PathId,
        inner_cheapest_total: PathId,
        useful: usize,
        useallclauses: bool,
    ) -> Res<()> {
        let outer_keys = &self.path(outer_path)?.pathkeys;
        let mergeclauses = find_mergeclauses_for_outer_pathkeys(outer_keys, mergeclause_list);
        // Without a usable clause only a FULL join (ON true) may merge.
        if mergeclauses.is_empty() && ctx.jointype != JoinType::Full {
            return Ok(());
        }
        if useallclauses && mergeclauses.len() != mergeclause_list.len() {
            return Ok(());
        }
        let mut innersortkeys = SmallVec::new();
        make_inner_pathkeys_for_merge(&mergeclauses, outer_keys, &mut innersortkeys)?;
        // The join's order, the outer's leading `useful` keys: copied, as
        // the paths added may move the outer path's (an outer path sorted
        // usefully is rare).
        let merge_pathkeys: ClauseList<PathKey> =
            SmallVec::from_slice(outer_keys.get(..useful).unwrap_or_default());
        let merge_pathkeys = &merge_pathkeys[..];
        self.try_mergejoin(
            ctx,
            outer_path,
            inner_cheapest_total,
            merge_pathkeys,
            &mergeclauses,
            &[],
            &innersortkeys,
        )?;
        // Inner paths already sorted for the merge clauses (or a leading
        // part of them), each strictly cheaper than the last one used; the
        // cheapest total inner counts as used when it needed no sort.
        let (mut cheapest_total_inner, mut cheapest_startup_inner) =
            if pathkeys_contained_in(&innersortkeys, &self.path(inner_cheapest_total)?.pathkeys) {
                (Some(inner_cheapest_total), Some(inner_cheapest_total))
            } else {
                (None, None)
            };
        let num_sortkeys = innersortkeys.len();
        for sortkeycnt in (1..=num_sortkeys).rev() {
            let trialsortkeys = innersortkeys.get(..sortkeycnt).unwrap_or_default();
            let clauses_for = |n: usize| -> Cow<'_, [MergeClause]> {
                if n < num_sortkeys {
                    Cow::Owned(trim_mergeclauses_for_inner_pathkeys(
                        &mergeclauses,
                        trialsortkeys,
                    ))
                } else {
                    Cow::Borrowed(&mergeclauses)
                }
            };
            let mut newclauses: Option<Cow<'_, [MergeClause]>> = None;
            // The inner relation's paths do not change while paths are
            // added to the join: each pick is an id.
            let inner_paths = &self.rel(ctx.inner)?.paths;
            let by_total =
                cheapest_path_for_pathkeys(&self.paths, inner_paths, trialsortkeys, true)?;
            let by_startup =
                cheapest_path_for_pathkeys(&self.paths, inner_paths, trialsortkeys, false)?;
            if let Some(innerpath) = by_total {
                let cost = self.path(innerpath)?.cost;
                if match cheapest_total_inner {
                    None => true,
                    Some(c) => compare_costs(cost, self.path(c)?.cost, true) < 0,
                } {
                    let clauses = clauses_for(sortkeycnt);
                    self.try_mergejoin(
                        ctx,
                        outer_path,
                        innerpath,
                        merge_pathkeys,
                        &clauses,
                        &[],
                        &[],
                    )?;
                    newclauses = Some(clauses);
                    cheapest_total_inner = Some(innerpath);
                }
            }
            if let Some(innerpath) = by_startup {
                let cost = self.path(innerpath)?.cost;
                if match cheapest_startup_inner {
                    None => true,
                    Some(c) => compare_costs(cost, self.path(c)?.cost, false) < 0,
                } {
                    let same_as_total = cheapest_total_inner == Some(innerpath);
                    if !same_as_total {
                        let clauses = match newclauses.take() {
                            Some(c) => c,
                            None => clauses_for(sortkeycnt),
                        };
                        self.try_mergejoin(
                            ctx,
                            outer_path,
                            innerpath,
                            merge_pathkeys,
                            &clauses,
                            &[],
                            &[],
                        )?;
                    }
                    cheapest_startup_inner = Some(innerpath);
                }
            }
            if useallclauses {
                break;
            }
        }
        Ok(())
    }

    /// Nested loops of `outer` and each of `inners` in turn (the cheapest
    /// inner path, then its `Materialize`), their rows in the order of the
    /// outer path's leading `useful` keys. One call for both inners: what
    /// depends on the outer path alone is read once, and a call per
    /// candidate cost more than its estimate.
    fn try_nestloops(
        &mut self,
        ctx: &PairCtx,
        outer: PathId,
        inners: [Option<PathId>; 2],
        useful: usize,
    ) -> Res<()> {
        let oi = self.path(outer)?.input();
        // Over the array borrowed: a slice iterator is cheaper than the
        // array's own (which tracks what is left to drop).
        for &inner in inners.iter().flatten() {
            let ii = self.path(inner)?.input();
            let input = self.cost_input(ctx, &oi, &ii);
            let c = cost::nestloop_cost(&input);
            let rows = input.rows;
            // Read again for each inner: a path added for the first may
            // have moved the paths.
            let pathkeys = self.path(outer)?.pathkeys.get(..useful).unwrap_or_default();
            let Some(start) = self.add_path_rejects(ctx.joinrel, c, rows, pathkeys)? else {
                continue;
            };
            let path = Path {
                cost: c,
                rows,
                width: ctx.width,
                kind: PathKind::Plain,
                shape: Shape::Join {
                    method: Method::NestLoop,
                    jointype: ctx.jointype,
                    outer,
                    inner,
                    rel: ctx.joinrel,
                    pair: Rc::clone(&ctx.pair),
                },
                pathkeys: pathkeys.to_vec(),
                memo: PathMemo::default(),
            };
            self.add_path_from(ctx.joinrel, path, start)?;
        }
        Ok(())
    }

    fn hash_inner_and_outer(&mut self, ctx: &PairCtx, hashclauses: &[HashClause]) -> Res<()> {
        if hashclauses.is_empty() {
            return Ok(());
        }
        let outer_rel = self.rel(ctx.outer)?;
        let inner_rel = self.rel(ctx.inner)?;
        let (Some(startup_outer), Some(total_outer), Some(total_inner)) = (
            outer_rel.cheapest_startup,
            outer_rel.cheapest_total,
            inner_rel.cheapest_total,
        ) else {
            return Err("a relation without a path".into());
        };
        self.try_hashjoin(ctx, startup_outer, total_inner, hashclauses)?;
        if startup_outer != total_outer {
            self.try_hashjoin(ctx, total_outer, total_inner, hashclauses)?;
        }
        Ok(())
    }

    fn try_hashjoin(
        &mut self,
        ctx: &PairCtx,
        outer: PathId,
        inner: PathId,
        hashclauses: &[HashClause],
    ) -> Res<()> {
        let oi = self.path(outer)?.input();
        let inner_path = self.path(inner)?;
        let ii = inner_path.input();
        let mut hash_qual_cost = QualCost::default();
        let mut selec = 1.0;
        for h in hashclauses {
            let c = ctx
                .pair
                .clauses
                .get(h.clause)
                .ok_or_else(|| "clause".to_string())?;
            hash_qual_cost = hash_qual_cost.plus(c.cost);
            selec *= self.clause_info_selectivity(c, SizeJoinType::Inner, &ctx.pair)?;
        }
        let hashjointuples = fdw_cost::clamp_row_est(selec * oi.rows * ii.rows);
        let input = self.cost_input(ctx, &oi, &ii);
        let size = self.hash_table_size(inner_path);
        let initial = cost::hashjoin_initial(&input, hashclauses.len(), size);
        let virtualbuckets = f64::from(initial.2.buckets) * f64::from(initial.2.batches);
        let mut innerbucketsize: f64 = 1.0;
        let mut innermcvfreq: f64 = 1.0;
        for h in hashclauses {
            let c = ctx
                .pair
                .clauses
                .get(h.clause)
                .ok_or_else(|| "clause".to_string())?;
            let Expr::OpExpr(op) = &*c.rc.expr else {
                return Err("a hash clause that is not an operator".into());
            };
            let right_is_inner = h.right_is_inner;
            let key = if right_is_inner {
                op.args.get(1)
            } else {
                op.args.first()
            };
            let key = key.ok_or_else(|| "hash key".to_string())?;
            let mut known = c.buckets.get();
            let slot = usize::from(right_is_inner);
            let (mcv, bucket) = match known.get(slot).copied().flatten() {
                Some(v) => v,
                None => {
                    let v = self.bucket_stats(key, virtualbuckets)?;
                    if let Some(k) = known.get_mut(slot) {
                        *k = Some(v);
                        c.buckets.set(known);
                    }
                    v
                }
            };
            innerbucketsize = innerbucketsize.min(bucket);
            innermcvfreq = innermcvfreq.min(mcv);
        }
        let c = cost::hashjoin_final(
            &input,
            &cost::HashJoinInput {
                num_hashclauses: hashclauses.len(),
                hash_qual_cost,
                hashjointuples,
            },
            initial,
            innerbucketsize,
            innermcvfreq,
        );
        let Some(start) = self.add_path_rejects(ctx.joinrel, c, input.rows, &[])? else {
            return Ok(());
        };
        let path = Path {
            cost: c,
            rows: input.rows,
            width: ctx.width,
            kind: PathKind::HashJoin {
                batches: initial.2.batches,
            },
            shape: Shape::Join {
                method: Method::Hash {
                    clauses: hashclauses.iter().map(|h| h.clause).collect(),
                },
                jointype: ctx.jointype,
                outer,
                inner,
                rel: ctx.joinrel,
                pair: Rc::clone(&ctx.pair),
            },
            pathkeys: PathKeys::new(),
            memo: PathMemo::default(),
        };
        self.add_path_from(ctx.joinrel, path, start)
    }

    /// `estimate_hash_bucket_stats` of a hash key.
    fn bucket_stats(&self, key: &Expr, nbuckets: f64) -> Res<(f64, f64)> {
        let (side, stats, rel) = self.side_stats(key, false)?;
        let rel_rows_tuples = match rel {
            Some(relids) => {
                let rti = relids.first().ok_or_else(|| "rel".to_string())?;
                let b = self.base_index(rti)?;
                self.bases.get(b).map(|b| (b.cost.rows, b.tuples))
            }
            None => None,
        };
        let k = HashKeyStats {
            ndistinct: side.nd,
            ndistinct_is_default: side.nd_is_default,
            mcv_freq: stats
                .and_then(|s| s.most_common_freqs.first().copied())
                .map_or(0.0, f64::from),
            null_frac: stats.map_or(0.0, |s| f64::from(s.null_frac)),
            rel_rows_tuples,
        };
        Ok(cost::hash_bucket_stats(&k, nbuckets))
    }

    /// `sort_inner_and_outer`: merge joins of the cheapest total paths,
    /// sorted (unless already sorted so) by the merge keys, each key in turn
    /// first.
    fn sort_inner_and_outer(&mut self, ctx: &PairCtx, mergeclauses: &[MergeClause]) -> Res<()> {
        let outer_path = self
            .rel(ctx.outer)?
            .cheapest_total
            .ok_or_else(|| "path".to_string())?;
        let inner_path = self
            .rel(ctx.inner)?
            .cheapest_total
            .ok_or_else(|| "path".to_string())?;
        // One merge clause and no query ordering (the usual case): the one
        // order each side can take, without the general ranking below.
        if let ([mc], true) = (mergeclauses, self.query_keys.is_empty()) {
            let (outerkeys, innerkeys) = single_clause_merge_keys(mc);
            let outerkeys = [outerkeys];
            let useful = self.build_join_pathkeys(ctx.joinrel, ctx.jointype, &outerkeys)?;
            return self.try_mergejoin(
                ctx,
                outer_path,
                inner_path,
                outerkeys.get(..useful).unwrap_or_default(),
                mergeclauses,
                &outerkeys,
                &[innerkeys],
            );
        }
        let joinrelids = &self.rel(ctx.joinrel)?.relids;
        // select_outer_pathkeys_for_merge: one key per distinct outer-side
        // class, the query's ordering first when it can, then the most
        // popular (members of relations not yet joined).
        let mut keys: ClauseList<KeyId> = SmallVec::new();
        for mc in mergeclauses {
            if !keys.contains(&mc.outer_key) {
                keys.push(mc.outer_key);
            }
        }
        // The query's ordering first when the merge clauses cover all its
        // keys, so the join's output may serve it.
        let mut all_pathkeys: ClauseList<PathKey> = SmallVec::new();
        // The query's keys keep their direction; the other classes sort
        // ascending, nulls last.
        let covers_query = !self.query_keys.is_empty()
            && self
                .query_keys
                .iter()
                .all(|q| q.as_ref().is_some_and(|q| keys.contains(&q.class)));
        if covers_query {
            for q in self.query_keys.iter().flatten() {
                if !all_pathkeys.iter().any(|p| p.class == q.class) {
                    all_pathkeys.push(*q);
                }
            }
            keys.retain(|k| !all_pathkeys.iter().any(|p| p.class == *k));
        }
        // One key left (the usual case) needs no ranking.
        if let [key] = *keys.as_slice() {
            all_pathkeys.push(PathKey::asc(key));
        } else if !keys.is_empty() {
            self.rank_merge_keys(&keys, joinrelids, &mut all_pathkeys);
        }
        for front in 0..all_pathkeys.len() {
            // The key `front` moved to the front, the others in order (the
            // list itself for the first key, often the only one).
            let rotated: ClauseList<PathKey>;
            let outerkeys: &[PathKey] = if front == 0 {
                &all_pathkeys
            } else {
                let head = all_pathkeys.get(front).copied();
                rotated = head
                    .into_iter()
                    .chain(
                        all_pathkeys
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| *i != front)
                            .map(|(_, k)| *k),
                    )
                    .collect();
                &rotated
            };
            let cur = find_mergeclauses_for_outer_pathkeys(outerkeys, mergeclauses);
            if cur.len() != mergeclauses.len() {
                return Err("merge clauses not all matched by their own pathkeys".into());
            }
            let mut innerkeys = SmallVec::new();
            make_inner_pathkeys_for_merge(&cur, outerkeys, &mut innerkeys)?;
            let useful = self.build_join_pathkeys(ctx.joinrel, ctx.jointype, outerkeys)?;
            self.try_mergejoin(
                ctx,
                outer_path,
                inner_path,
                outerkeys.get(..useful).unwrap_or_default(),
                &cur,
                outerkeys,
                &innerkeys,
            )?;
        }
        Ok(())
    }

    /// The popularity order of two or more merge keys
    /// (`select_outer_pathkeys_for_merge`): most members of relations not
    /// yet joined into `joinrelids` first, the first of equals first; each
    /// added to `out` ascending, nulls last.
    fn rank_merge_keys(&self, keys: &[KeyId], joinrelids: &Relids, out: &mut ClauseList<PathKey>) {
        let mut remaining: ClauseList<(KeyId, i32)> = keys
            .iter()
            .map(|k| {
                let score = match k.get() {
                    KeyKind::Ec(e) => self.quals.equivalence_classes.get(e).map_or(0, |ec| {
                        ec.members
                            .iter()
                            .filter(|m| !m.relids.is_empty() && !overlaps(&m.relids, joinrelids))
                            .count() as i32
                    }),
                    KeyKind::Expr(_) => 0,
                };
                (*k, score)
            })
            .collect();
        while !remaining.is_empty() {
            let mut best = 0;
            let mut best_score = -1;
            for (j, (_, s)) in remaining.iter().enumerate() {
                if *s > best_score {
                    best = j;
                    best_score = *s;
                }
            }
            // `best` indexes the non-empty list: `remove` cannot fail.
            if best < remaining.len() {
                let (key, _) = remaining.remove(best);
                out.push(PathKey::asc(key));
            } else {
                break;
            }
        }
    }

    /// The class a merge clause's argument sorts by (its `left_ec` or
    /// `right_ec`): the equivalence class holding it, else the expression
    /// itself (a one-member class of its own).
    fn key_id(&self, rc: &RestrictClause, side: &Expr) -> Res<KeyId> {
        if rc.from_ec
            || self
                .quals
                .equivalence_classes
                .iter()
                .any(|ec| ec.members.iter().any(|m| &m.expr == side) && !ec.has_const())
        {
            if let Some(pos) = first_class_holding(&self.quals.equivalence_classes, side) {
                return KeyId::ec(pos);
            }
        }
        KeyId::expr(self.intern_key_expr(side))
    }

    /// [`Self::key_id`] of `side`, an argument of `rc` built as an
    /// equality of two members of class `class` (so a member of it):
    /// only the classes before it need a search.
    fn member_key_id(&self, rc: &RestrictClause, side: &Expr, class: usize) -> Res<KeyId> {
        if !rc.from_ec || class >= self.quals.equivalence_classes.len() {
            return self.key_id(rc, side);
        }
        // key_id's answer for a class-generated clause: the first class
        // holding the expression.
        KeyId::ec(first_class_holding_member(
            &self.quals.equivalence_classes,
            side,
            class,
        ))
    }

    /// The index of `expr` in [`Self::key_exprs`], added if new: equal
    /// expressions get one index, so keys compare as the expressions do.
    fn intern_key_expr(&self, expr: &Expr) -> usize {
        let mut exprs = self.key_exprs.borrow_mut();
        match exprs.iter().position(|e| e == expr) {
            Some(i) => i,
            None => {
                exprs.push(expr.clone());
                exprs.len() - 1
            }
        }
    }

    /// `build_join_pathkeys`: a join's rows come in its outer path's order
    /// (none for right and full joins, whose unmatched inner rows come
    /// last), kept as far as it is useful above. The order is a prefix of
    /// the outer one, so its length is the answer: most candidate paths
    /// are rejected, and only a kept one copies its keys.
    ///
    /// Inlined, its answer for an unsorted outer path (most of them) at
    /// once; [`Self::useful_join_pathkeys`] counts the others.
    #[inline(always)]
    fn build_join_pathkeys(
        &self,
        joinrel: usize,
        jointype: JoinType,
        outer_pathkeys: &[PathKey],
    ) -> Res<usize> {
        if outer_pathkeys.is_empty() || matches!(jointype, JoinType::Full | JoinType::Right) {
            return Ok(0);
        }
        self.useful_join_pathkeys(joinrel, outer_pathkeys)
    }

    /// [`Self::build_join_pathkeys`] of a sorted outer path.
    fn useful_join_pathkeys(&self, joinrel: usize, outer_pathkeys: &[PathKey]) -> Res<usize> {
        // truncate_useless_pathkeys: as far as a later merge join or the
        // query's ordering can use it.
        Ok(self
            .pathkeys_useful_for_merging(joinrel, outer_pathkeys)?
            .max(self.pathkeys_useful_for_ordering(outer_pathkeys))
            .min(outer_pathkeys.len()))
    }

    /// `pathkeys_useful_for_ordering`: how many leading query pathkeys
    /// the order satisfies (an incremental sort can use a partial match).
    fn pathkeys_useful_for_ordering(&self, keys: &[PathKey]) -> usize {
        if self.query_keys.is_empty() {
            return 0;
        }
        self.query_keys
            .iter()
            .zip(keys)
            .take_while(|(q, k)| q.as_ref() == Some(*k))
            .count()
    }

    /// The query pathkeys as join pathkeys: the class of each key's
    /// expression (`get_eclass_for_sort_expr` finds the merge clauses'
    /// class holding it) with its direction. A key sorting by an operator
    /// other than its type's default `<` or `>` is one no join path has,
    /// unless its expression is a merge key (not modelled).
    fn resolve_query_keys(&self, keys: &[(Expr, Oid, bool)]) -> Res<Vec<Option<PathKey>>> {
        let mut out: Vec<Option<PathKey>> = Vec::new();
        for (expr, sortop, nulls_first) in keys {
            let t = expr.type_oid();
            let is_op = |name: &str| {
                self.catalog
                    .resolve_operator(Some("pg_catalog"), name, t, t)
                    .is_ok_and(|op| op == *sortop)
            };
            let desc = if is_op("<") {
                Some(false)
            } else if is_op(">") {
                Some(true)
            } else {
                None
            };
            let class = self
                .quals
                .equivalence_classes
                .iter()
                .position(|ec| ec.members.iter().any(|m| &m.expr == expr));
            let in_clause = self.quals.joins.iter().any(|j| {
                j.clauses.iter().any(|c| match &*c.expr {
                    Expr::OpExpr(op) => op.args.iter().any(|a| a == expr),
                    _ => false,
                })
            });
            if let Some(pos) = class {
                if self
                    .quals
                    .equivalence_classes
                    .get(pos)
                    .is_some_and(|ec| ec.has_const())
                {
                    return Err("query ordering keys equal to a constant are not modelled".into());
                }
            }
            let Some(desc) = desc else {
                if class.is_some() || in_clause {
                    return Err(
                        "a query ordering on a merge key by an operator other than its type's default < or > is not modelled"
                            .into(),
                    );
                }
                out.push(None);
                continue;
            };
            let key = match class {
                Some(pos) => KeyId::ec(pos)?,
                None => KeyId::expr(self.intern_key_expr(expr))?,
            };
            if out.iter().flatten().any(|k| k.class == key) {
                return Err(
                    "query ordering keys made redundant by join equalities are not modelled".into(),
                );
            }
            out.push(Some(PathKey {
                class: key,
                desc,
                nulls_first: *nulls_first,
            }));
        }
        Ok(out)
    }

    /// `pathkeys_useful_for_merging`: how many leading keys some later
    /// merge join could use (a class with members outside the relation, or
    /// a mergeable join clause above on the class).
    fn pathkeys_useful_for_merging(&self, rel: usize, keys: &[PathKey]) -> Res<usize> {
        if keys.is_empty() {
            return Ok(0);
        }
        let classes = match self.rel(rel)?.merge_classes.get() {
            Some(classes) => classes,
            None => {
                let classes = self.merge_classes(rel)?;
                let r = self.rel(rel)?;
                // Just found empty: the set cannot fail.
                let _ = r.merge_classes.set(classes);
                r.merge_classes.get().map_or(&[][..], SmallVec::as_slice)
            }
        };
        let mut useful = 0;
        for pathkey in keys {
            // right_merge_direction: the query's direction on this class,
            // else ascending; the other direction is not useful.
            let wanted_desc = self
                .query_keys
                .iter()
                .flatten()
                .find(|q| q.class == pathkey.class)
                .is_some_and(|q| q.desc);
            if pathkey.desc != wanted_desc || !classes.contains(&pathkey.class) {
                break;
            }
            useful += 1;
        }
        Ok(useful)
    }

    /// The classes a sort of `rel` is useful for in a later merge join:
    /// a class with members outside the relation, or a class of a
    /// mergeable join clause above it. They depend on the relation alone,
    /// so [`Self::pathkeys_useful_for_merging`] finds them once per
    /// relation.
    fn merge_classes(&self, rel: usize) -> Res<MergeClasses> {
        let relids = &self.rel(rel)?.relids;
        let mut out = MergeClasses::new();
        let mut add = |key: KeyId| {
            if !out.contains(&key) {
                out.push(key);
            }
        };
        if self.has_eclass_joins(rel)? {
            for (e, ec) in self.quals.equivalence_classes.iter().enumerate() {
                if eclass_useful_for_merging(ec, relids) {
                    add(KeyId::ec(e)?);
                }
            }
        }
        // joininfo, walked rather than collected.
        let joininfo = self
            .quals
            .joins
            .iter()
            .flat_map(|j| j.clauses.iter())
            .filter(|c| {
                overlaps(&c.required_relids, relids) && !subset(&c.required_relids, relids)
            });
        for rc in joininfo {
            let Expr::OpExpr(op) = &*rc.expr else {
                continue;
            };
            let [l, r] = op.args.as_slice() else {
                continue;
            };
            let mergeable = self
                .catalog
                .operator_info(op.opno)
                .is_some_and(|o| o.can_merge)
                && !self
                    .catalog
                    .contain_volatile_functions(&rc.expr)
                    .unwrap_or(true);
            if mergeable {
                add(self.key_id(rc, l)?);
                add(self.key_id(rc, r)?);
            }
        }
        Ok(out)
    }

    /// `try_mergejoin_path`: a merge join of `outer` and `inner` on
    /// `clauses`, sorting an input only when it is not already in the
    /// order asked for.
    #[allow(clippy::too_many_arguments)]
    fn try_mergejoin(
        &mut self,
        ctx: &PairCtx,
        outer: PathId,
        inner: PathId,
        pathkeys: &[PathKey],
        clauses: &[MergeClause],
        outersortkeys: &[PathKey],
        innersortkeys: &[PathKey],
    ) -> Res<()> {
        let (outer_id, inner_id) = (outer, inner);
        let outer = self.path(outer_id)?;
        let inner = self.path(inner_id)?;
        let outersortkeys = if pathkeys_contained_in(outersortkeys, &outer.pathkeys) {
            &[]
        } else {
            outersortkeys
        };
        let innersortkeys = if pathkeys_contained_in(innersortkeys, &inner.pathkeys) {
            &[]
        } else {
            innersortkeys
        };
        let oi = outer.input();
        let ii = inner.input();
        let first = clauses
            .first()
            .map(|mc| {
                ctx.pair
                    .clauses
                    .get(mc.clause)
                    .map(|c| (c, mc.outer_is_left))
                    .ok_or_else(|| "merge clause".to_string())
            })
            .transpose()?;
        let fractions = match first {
            Some((first, outer_is_left)) if ctx.jointype != JoinType::Full => {
                // The order the merge reads in: the outer's sort keys, or
                // the order it comes in.
                let order = if outersortkeys.is_empty() {
                    outer.pathkeys.first()
                } else {
                    outersortkeys.first()
                };
                let (desc, nulls_first) = order.map_or((false, false), |k| (k.desc, k.nulls_first));
                let mut f = self.merge_scan_fractions(first, !outer_is_left, desc, nulls_first)?;
                match ctx.jointype {
                    JoinType::Left | JoinType::Anti => {
                        f.outer_start = 0.0;
                        f.outer_end = 1.0;
                    }
                    JoinType::Right => {
                        f.inner_start = 0.0;
                        f.inner_end = 1.0;
                    }
                    _ => {}
                }
                f
            }
            _ => ScanFractions::default(),
        };
        let mut merge_qual_cost = QualCost::default();
        let mut selec = 1.0;
        for mc in clauses {
            let c = ctx
                .pair
                .clauses
                .get(mc.clause)
                .ok_or_else(|| "clause".to_string())?;
            merge_qual_cost = merge_qual_cost.plus(c.cost);
            selec *= self.clause_info_selectivity(c, SizeJoinType::Inner, &ctx.pair)?;
        }
        let mergejointuples = fdw_cost::clamp_row_est(selec * oi.rows * ii.rows);
        let input = self.cost_input(ctx, &oi, &ii);
        let skip_mark_restore = ctx.semi.is_some() && ctx.pair.clauses.len() == clauses.len();
        let merge = cost::MergeJoinInput {
            outer_sort: (!outersortkeys.is_empty()).then(|| self.sort_cost(outer)),
            inner_sort: (!innersortkeys.is_empty()).then(|| self.sort_cost(inner)),
            fractions,
            merge_qual_cost,
            mergejointuples,
            skip_mark_restore,
            // Only Sort, Material and index scans support mark/restore;
            // rels here have no such paths (sorts are the merge join's own).
            inner_supports_mark: false,
        };
        let initial = cost::mergejoin_initial(&input, &merge);
        let (c, materialize) = cost::mergejoin_final(&input, &merge, &initial);
        let Some(start) = self.add_path_rejects(ctx.joinrel, c, input.rows, pathkeys)? else {
            return Ok(());
        };
        let path = Path {
            cost: c,
            rows: input.rows,
            width: ctx.width,
            kind: PathKind::Plain,
            shape: Shape::Join {
                method: Method::Merge {
                    clauses: clauses.iter().map(|mc| mc.clause).collect(),
                    outer_sort: SmallVec::from_slice(outersortkeys),
                    inner_sort: SmallVec::from_slice(innersortkeys),
                    materialize,
                },
                jointype: ctx.jointype,
                outer: outer_id,
                inner: inner_id,
                rel: ctx.joinrel,
                pair: Rc::clone(&ctx.pair),
            },
            pathkeys: pathkeys.to_vec(),
            memo: PathMemo::default(),
        };
        self.add_path_from(ctx.joinrel, path, start)
    }

    /// [`cost::merge_input_sort_cost`] of `path`, found once per path.
    fn sort_cost(&self, path: &Path) -> (f64, f64) {
        if let Some(c) = path.memo.sort.get() {
            return c;
        }
        self.sort_cost_uncached(path)
    }

    /// [`Self::sort_cost`] computed and kept.
    fn sort_cost_uncached(&self, path: &Path) -> (f64, f64) {
        let c = cost::merge_input_sort_cost(&self.settings, &path.input());
        path.memo.sort.set(Some(c));
        c
    }

    /// [`cost::hash_table_size`] of a hash join's inner `path`, found once
    /// per path.
    fn hash_table_size(&self, path: &Path) -> HashTableSize {
        if let Some(size) = path.memo.hash_table.get() {
            return size;
        }
        self.hash_table_size_uncached(path)
    }

    /// [`Self::hash_table_size`] computed and kept.
    fn hash_table_size_uncached(&self, path: &Path) -> HashTableSize {
        let size = cost::hash_table_size(&self.settings, path.rows, path.width);
        path.memo.hash_table.set(Some(size));
        size
    }

    /// `mergejoinscansel` of the first merge clause read in the given
    /// direction, arranged for the outer and inner side.
    fn merge_scan_fractions(
        &self,
        c: &ClauseInfo,
        left_is_inner: bool,
        desc: bool,
        nulls_first: bool,
    ) -> Res<ScanFractions> {
        let key = (desc, nulls_first);
        let cached = c
            .scan_fractions
            .borrow()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, f)| *f);
        let [leftstart, leftend, rightstart, rightend] = match cached {
            Some(f) => f,
            None => {
                let f = self.merge_scan_fractions_uncached(c, desc, nulls_first)?;
                c.scan_fractions.borrow_mut().push((key, f));
                f
            }
        };
        Ok(if left_is_inner {
            ScanFractions {
                outer_start: rightstart,
                outer_end: rightend,
                inner_start: leftstart,
                inner_end: leftend,
            }
        } else {
            ScanFractions {
                outer_start: leftstart,
                outer_end: leftend,
                inner_start: rightstart,
                inner_end: rightend,
            }
        })
    }

    /// [`Self::merge_scan_fractions`] computed: left start, left end,
    /// right start, right end.
    fn merge_scan_fractions_uncached(
        &self,
        c: &ClauseInfo,
        desc: bool,
        nulls_first: bool,
    ) -> Res<[f64; 4]> {
        // The whole of both sides.
        let default = [0.0, 1.0, 0.0, 1.0];
        let Expr::OpExpr(op) = &*c.rc.expr else {
            return Ok(default);
        };
        let [l, r] = op.args.as_slice() else {
            return Ok(default);
        };
        let (lt, rt) = (strip_relabel(l).type_oid(), strip_relabel(r).type_oid());
        let (Some(lrange), Some(rrange)) = (self.variable_range(l)?, self.variable_range(r)?)
        else {
            return Ok(default);
        };
        if lt != rt {
            return Err("merge join scan fractions of a cross-type clause are not modelled".into());
        }
        let collation = op.inputcollid;
        // Descending: the `>` and `>=` operators, and each side's range
        // read from its other end (statistics are sorted by `<`).
        let (ltop, leop) = self.ordering_ops(lt, desc)?;
        let (lrange, rrange) = if desc {
            ((&lrange.1, &lrange.0), (&rrange.1, &rrange.0))
        } else {
            ((&lrange.0, &lrange.1), (&rrange.0, &rrange.1))
        };
        let believe = |s: f64| {
            if s == fdw_cost::selectivity::DEFAULT_INEQ_SEL {
                None
            } else {
                Some(s)
            }
        };
        let mut leftend = believe(self.ineq_sel(leop, l, rrange.1, rt, collation)?).unwrap_or(1.0);
        let mut rightend = believe(self.ineq_sel(leop, r, lrange.1, lt, collation)?).unwrap_or(1.0);
        if leftend > rightend {
            leftend = 1.0;
        } else if leftend < rightend {
            rightend = 1.0;
        } else {
            leftend = 1.0;
            rightend = 1.0;
        }
        let mut leftstart =
            believe(self.ineq_sel(ltop, l, rrange.0, rt, collation)?).unwrap_or(0.0);
        let mut rightstart =
            believe(self.ineq_sel(ltop, r, lrange.0, lt, collation)?).unwrap_or(0.0);
        if leftstart < rightstart {
            leftstart = 0.0;
        } else if leftstart > rightstart {
            rightstart = 0.0;
        } else {
            leftstart = 0.0;
            rightstart = 0.0;
        }
        // Nulls first: the nulls come before the first join pair too.
        if nulls_first {
            for (var, start, end) in [
                (l, &mut leftstart, &mut leftend),
                (r, &mut rightstart, &mut rightend),
            ] {
                if let (_, Some(stats), _) = self.side_stats(var, false)? {
                    let nulls = f64::from(stats.null_frac);
                    *start = (*start + nulls).clamp(0.0, 1.0);
                    *end = (*end + nulls).clamp(0.0, 1.0);
                }
            }
        }
        if leftstart >= leftend {
            leftstart = 0.0;
            leftend = 1.0;
        }
        if rightstart >= rightend {
            rightstart = 0.0;
            rightend = 1.0;
        }
        Ok([leftstart, leftend, rightstart, rightend])
    }

    /// The type's default `<` and `<=` (`>` and `>=` when descending).
    fn ordering_ops(&self, t: Oid, desc: bool) -> Res<(Oid, Oid)> {
        let (strict, eq) = if desc { (">", ">=") } else { ("<", "<=") };
        let lt = self
            .catalog
            .resolve_operator(Some("pg_catalog"), strict, t, t)
            .map_err(|_| "no ordering operator for a merge key".to_string())?;
        let le = self
            .catalog
            .resolve_operator(Some("pg_catalog"), eq, t, t)
            .map_err(|_| "no ordering operator for a merge key".to_string())?;
        Ok((lt, le))
    }

    /// `scalarineqsel` of `var op value` (what `mergejoinscansel` asks).
    fn ineq_sel(
        &self,
        opno: Oid,
        var: &Expr,
        value: &str,
        value_type: Oid,
        collation: Oid,
    ) -> Res<f64> {
        let base = strip_relabel(var);
        let Expr::Var(v) = base else {
            return Err("merge key".into());
        };
        let info = self
            .catalog
            .operator_info(opno)
            .ok_or_else(|| "operator".to_string())?;
        let constant = Expr::Const(fdw_core::expr::Const {
            consttype: value_type,
            consttypmod: -1,
            constcollid: collation,
            value: Some(value.to_owned()),
        });
        let clause = Expr::OpExpr(Box::new(OpExpr {
            opno,
            opfuncid: info.code,
            opresulttype: BOOL,
            opretset: false,
            opcollid: Oid::INVALID,
            inputcollid: collation,
            args: [base.clone(), constant].into_iter().collect(),
        }));
        self.with_sel_context(v.varno, |ctx| ctx.clause_selectivity(&clause))
    }

    /// `get_variable_range` from the statistics: (min, max) by the type's
    /// `<`, or `None` without statistics to tell.
    fn variable_range(&self, expr: &Expr) -> Res<Option<VarRange<'a>>> {
        // Plain columns, the usual merge key, are kept; other keys are
        // found each time.
        let Expr::Var(v) = expr else {
            return self.variable_range_uncached(expr);
        };
        let cached = self
            .var_ranges
            .borrow()
            .iter()
            .find(|(seen, _)| seen == v)
            .map(|(_, range)| *range);
        if let Some(range) = cached {
            return Ok(range);
        }
        let range = self.variable_range_uncached(expr)?;
        self.var_ranges.borrow_mut().push((v.clone(), range));
        Ok(range)
    }

    /// [`Self::variable_range`] computed.
    fn variable_range_uncached(&self, expr: &Expr) -> Res<Option<VarRange<'a>>> {
        let (_, stats, _) = self.side_stats(expr, false)?;
        let Some(stats) = stats else {
            return Ok(None);
        };
        let t = strip_relabel(expr).type_oid();
        let collation = strip_relabel(expr).collation();
        let mut range: Option<VarRange<'a>> = None;
        if let (Some(first), Some(last)) = (
            stats.histogram_bounds.first(),
            stats.histogram_bounds.last(),
        ) {
            range = Some((first.as_str(), last.as_str()));
        }
        let use_mcvs = range.is_some() || {
            let sum: f64 = stats.most_common_freqs.iter().map(|f| f64::from(*f)).sum();
            sum + f64::from(stats.null_frac) > 0.99999
        };
        if use_mcvs && !stats.most_common_vals.is_empty() {
            let (ltop, _) = self.ordering_ops(t, false)?;
            for v in &stats.most_common_vals {
                let v = v.as_str();
                range = Some(match range {
                    None => (v, v),
                    Some((lo, hi)) => {
                        let less = |a: &str, b: &str| {
                            self.values
                                .apply_operator(ltop, collation, (a, t), (b, t))
                                .ok_or_else(|| "comparing statistics values".to_string())
                        };
                        let lo = if less(v, lo)? { v } else { lo };
                        let hi = if less(hi, v)? { v } else { hi };
                        (lo, hi)
                    }
                });
            }
        }
        Ok(range)
    }

    /// `add_path`.
    fn add_path(&mut self, rel: usize, new: Path) -> Res<()> {
        self.add_path_from(rel, new, 0)
    }

    /// [`Self::add_path`] with the verdicts on the relation's first
    /// `start` paths known to be "keep both" (what
    /// [`Self::add_path_rejects`] found before the path was built): they
    /// are not asked again, only where the new path goes among them.
    fn add_path_from(&mut self, rel: usize, new: Path, start: usize) -> Res<()> {
        let consider_startup = self.consider_startup;
        let r = self
            .rels
            .get_mut(rel)
            .ok_or_else(|| "relation".to_string())?;
        let mut insert_at = 0;
        for (j, &old) in r.paths.iter().take(start).enumerate() {
            let old = self.paths.get(old).ok_or_else(|| "path".to_string())?;
            debug_assert!(
                add_path_verdict(new.cost, new.rows, &new.pathkeys, old, consider_startup)
                    == (false, true),
                "a path skipped by add_path_from has another verdict"
            );
            if new.cost.total >= old.cost.total {
                insert_at = j + 1;
            }
        }
        let mut i = start;
        while let Some(&old) = r.paths.get(i) {
            let old = self.paths.get(old).ok_or_else(|| "path".to_string())?;
            let (remove_old, accept_new) =
                add_path_verdict(new.cost, new.rows, &new.pathkeys, old, consider_startup);
            if remove_old {
                r.paths.remove(i);
            } else {
                if new.cost.total >= old.cost.total {
                    insert_at = i + 1;
                }
                i += 1;
            }
            if !accept_new {
                return Ok(());
            }
        }
        self.paths.push(new);
        let id = self.paths.len() - 1;
        r.paths.insert(insert_at.min(r.paths.len()), id);
        Ok(())
    }

    /// `None` when [`Self::add_path`] would reject a path of this
    /// estimate and order without removing any other first: the caller
    /// need not build it (what `add_path_precheck` is for, exact here
    /// because it asks with the final estimate). Otherwise the number of
    /// the relation's leading paths the new one keeps without removing,
    /// for [`Self::add_path_from`] (the list unchanged in between).
    ///
    /// Inlined always: a small loop asked by every candidate path, which
    /// the compiler otherwise calls (about 3k instructions a query more).
    #[inline(always)]
    fn add_path_rejects(
        &self,
        rel: usize,
        cost: JoinCost,
        rows: f64,
        pathkeys: &[PathKey],
    ) -> Res<Option<usize>> {
        let paths = &self.rel(rel)?.paths;
        for (i, &old) in paths.iter().enumerate() {
            let old = self.path(old)?;
            let (remove_old, accept_new) =
                add_path_verdict(cost, rows, pathkeys, old, self.consider_startup);
            if remove_old {
                return Ok(Some(i));
            }
            if !accept_new {
                return Ok(None);
            }
        }
        Ok(Some(paths.len()))
    }

    /// `set_cheapest`.
    fn set_cheapest(&mut self, rel: usize) -> Res<()> {
        let r = self
            .rels
            .get_mut(rel)
            .ok_or_else(|| "relation".to_string())?;
        let mut total: Option<(PathId, &Path)> = None;
        let mut startup: Option<(PathId, &Path)> = None;
        for &id in &r.paths {
            let p = (id, self.paths.get(id).ok_or_else(|| "path".to_string())?);
            total = Some(match total {
                None => p,
                Some(t) => {
                    let cmp = compare_costs(t.1.cost, p.1.cost, true);
                    if cmp > 0
                        || (cmp == 0
                            && compare_pathkeys(&t.1.pathkeys, &p.1.pathkeys) == KeysCmp::Better2)
                    {
                        p
                    } else {
                        t
                    }
                }
            });
            startup = Some(match startup {
                None => p,
                Some(s) => {
                    let cmp = compare_costs(s.1.cost, p.1.cost, false);
                    if cmp > 0
                        || (cmp == 0
                            && compare_pathkeys(&s.1.pathkeys, &p.1.pathkeys) == KeysCmp::Better2)
                    {
                        p
                    } else {
                        s
                    }
                }
            });
        }
        let (Some((t, _)), Some((s, _))) = (total, startup) else {
            return Err("a join relation without paths".into());
        };
        r.cheapest_total = Some(t);
        r.cheapest_startup = Some(s);
        Ok(())
    }

    // ----- plans ------------------------------------------------------------

    /// The plan of `path`; `physical` when its parent lets a scan return
    /// every column of its table (`use_physical_tlist`: no exact or small
    /// target list asked for). `output` replaces the node's target list
    /// (the top join's is the query's): a join then never copies its
    /// relation's own.
    ///
    /// With `moves`, each base relation's (unsorted) scan is a
    /// [`scan_placeholder`] with the scan's estimate and target list, its
    /// bit (by position in [`Planner::bases`], the caller's scans' order)
    /// set in `moves`: [`fill_placeholders`] moves the scans' own fields
    /// in once the whole plan is built, so that they are not copied.
    fn build_plan(
        &self,
        path: &Path,
        physical: bool,
        output: Option<&[Expr]>,
        moves: Option<&Cell<u64>>,
    ) -> Res<PlanNode> {
        if let (Some(o), false) = (output, matches!(path.shape, Shape::Join { .. })) {
            let mut node = self.build_plan(path, physical, None, moves)?;
            node.output.clear();
            node.output.extend_from_slice(o);
            return Ok(node);
        }
        match &path.shape {
            Shape::Scan(b) | Shape::SortedScan(b) => {
                let base = self.bases.get(*b).ok_or_else(|| "base".to_string())?;
                let scan = match (&path.shape, &base.sorted) {
                    (Shape::SortedScan(_), Some((sorted, _))) => *sorted,
                    (Shape::SortedScan(_), None) => {
                        return Err("a sorted path without its scan".into())
                    }
                    _ => base.node,
                };
                if let (Some(moves), Shape::Scan(b)) = (moves, &path.shape) {
                    // Each scan moves into one place at most (a join's
                    // inputs have disjoint relations, so this never fails;
                    // if it did, nothing would have moved yet).
                    let bit = u32::try_from(*b)
                        .ok()
                        .and_then(|b| 1u64.checked_shl(b))
                        .ok_or_else(|| "too many scans to move".to_string())?;
                    if moves.get() & bit != 0 {
                        return Err("a scan used twice in one plan".into());
                    }
                    moves.set(moves.get() | bit);
                    return Ok(PlanNode {
                        kind: scan_placeholder(base.rti),
                        cost: scan.cost,
                        output: if physical {
                            self.physical_tlist(base)?
                        } else {
                            scan.output.clone()
                        },
                        init_plans: Vec::new(),
                    });
                }
                if !physical {
                    return Ok(scan.clone());
                }
                // The scan's own target list would be replaced: not copied.
                Ok(PlanNode {
                    kind: scan.kind.clone(),
                    cost: scan.cost,
                    output: self.physical_tlist(base)?,
                    init_plans: scan.init_plans.clone(),
                })
            }
            Shape::Material(input) => {
                let child = self.build_plan(self.path(*input)?, false, None, moves)?;
                Ok(PlanNode {
                    output: child.output.clone(),
                    cost: Some(cost_of(path)),
                    ..PlanNode::new(PlanKind::Materialize(Materialize {
                        input: Box::new(child),
                    }))
                })
            }
            Shape::Join {
                method,
                jointype,
                outer,
                inner,
                rel,
                pair,
            } => {
                let joinrel = self.rel(*rel)?;
                let (outer, inner) = (self.path(*outer)?, self.path(*inner)?);
                let outer_relids = self.path_relids(outer)?;
                // create_*join_plan's flags for the inputs: a nested loop's
                // and a one-batch hash join's outer, an unsorted merge
                // input, take any target list.
                let (outer_physical, inner_physical) = match method {
                    Method::NestLoop => (true, true),
                    Method::Hash { .. } => (path_batches(path) == 1, false),
                    Method::Merge {
                        outer_sort,
                        inner_sort,
                        ..
                    } => (outer_sort.is_empty(), inner_sort.is_empty()),
                };
                let outer_node = self.build_plan(outer, outer_physical, None, moves)?;
                let inner_node = self.build_plan(inner, inner_physical, None, moves)?;
                let is_outer = *jointype != JoinType::Inner;
                // The filters share the placed clauses' trees.
                let mut join_quals: Vec<Arc<Expr>> = Vec::with_capacity(pair.clauses.len());
                let mut other_quals: Vec<Arc<Expr>> = Vec::new();
                let special_clauses: &[usize] = match method {
                    Method::NestLoop => &[],
                    Method::Hash { clauses } | Method::Merge { clauses, .. } => clauses,
                };
                for (i, c) in pair.clauses.iter().enumerate() {
                    if special_clauses.contains(&i) {
                        continue;
                    }
                    if is_outer && is_pushed_down(&c.rc, &joinrel.relids) {
                        other_quals.push(Arc::clone(&c.rc.expr));
                    } else {
                        join_quals.push(Arc::clone(&c.rc.expr));
                    }
                }
                let join_filter = ordered_quals(self.catalog, join_quals)?;
                let filter = ordered_quals(self.catalog, other_quals)?;
                let switched = |idx: &[usize]| -> Res<Vec<Expr>> {
                    idx.iter()
                        .map(|i| {
                            let c = pair.clauses.get(*i).ok_or_else(|| "clause".to_string())?;
                            self.switch_clause(c, &outer_relids)
                        })
                        .collect()
                };
                let (jm, outer_node, inner_node) = match method {
                    Method::NestLoop => (
                        JoinMethod::NestLoop { params: Vec::new() },
                        outer_node,
                        inner_node,
                    ),
                    Method::Hash { clauses } => {
                        let hash_clauses = switched(clauses)?;
                        let keys = hash_clauses
                            .iter()
                            .filter_map(|e| match e {
                                Expr::OpExpr(op) => op.args.get(1).cloned(),
                                _ => None,
                            })
                            .collect();
                        let ic = inner_node.cost;
                        let hash = PlanNode {
                            output: inner_node.output.clone(),
                            cost: ic.map(|c| Cost {
                                startup: c.total,
                                ..c
                            }),
                            ..PlanNode::new(PlanKind::Hash(HashNode {
                                keys,
                                input: Box::new(inner_node),
                            }))
                        };
                        (JoinMethod::Hash { hash_clauses }, outer_node, hash)
                    }
                    Method::Merge {
                        clauses,
                        outer_sort,
                        inner_sort,
                        materialize,
                    } => {
                        let merge_clauses = switched(clauses)?;
                        let outer_node = if outer_sort.is_empty() {
                            outer_node
                        } else {
                            self.sort_input(outer_node, outer_sort)?
                        };
                        let mut inner_node = if inner_sort.is_empty() {
                            inner_node
                        } else {
                            self.sort_input(inner_node, inner_sort)?
                        };
                        if *materialize {
                            let c = inner_node.cost.map(|c| Cost {
                                total: c.total + self.settings.params.cpu_operator_cost * c.rows,
                                ..c
                            });
                            inner_node = PlanNode {
                                output: inner_node.output.clone(),
                                cost: c,
                                ..PlanNode::new(PlanKind::Materialize(Materialize {
                                    input: Box::new(inner_node),
                                }))
                            };
                        }
                        (JoinMethod::Merge { merge_clauses }, outer_node, inner_node)
                    }
                };
                let jt = match jointype {
                    JoinType::Right => JoinType::Right,
                    other => *other,
                };
                Ok(PlanNode {
                    output: match output {
                        Some(o) => o.to_vec(),
                        None => joinrel.target.iter().map(|e| (*e).clone()).collect(),
                    },
                    cost: Some(cost_of(path)),
                    ..PlanNode::new(PlanKind::Join(JoinNode {
                        method: jm,
                        join_type: jt,
                        inner_unique: false,
                        join_filter,
                        filter,
                        outer: Box::new(outer_node),
                        inner: Box::new(inner_node),
                    }))
                })
            }
        }
    }

    /// `build_physical_tlist`: every column of the table, a dropped one as
    /// a null constant.
    fn physical_tlist(&self, base: &BaseRel<'_>) -> Res<Vec<Expr>> {
        let rel = self
            .catalog
            .relation(base.table)
            .ok_or_else(|| "relation".to_string())?;
        let mut out = Vec::with_capacity(rel.columns.len());
        for col in &rel.columns {
            if col.dropped {
                return Err("tables with dropped columns in joins are not modelled".into());
            }
            out.push(Expr::Var(Var::new(
                base.rti,
                AttrNumber(col.attnum),
                col.type_oid,
                col.typmod,
                col.collation,
            )));
        }
        Ok(out)
    }

    fn path_relids(&self, path: &Path) -> Res<Relids> {
        match &path.shape {
            Shape::Scan(b) | Shape::SortedScan(b) => {
                Ok([self.bases.get(*b).ok_or_else(|| "base".to_string())?.rti]
                    .into_iter()
                    .collect())
            }
            Shape::Material(p) => self.path_relids(self.path(*p)?),
            Shape::Join { rel, .. } => Ok(self.rel(*rel)?.relids.clone()),
        }
    }

    /// `get_switched_clauses`: the clause with its outer side on the left.
    fn switch_clause(&self, c: &ClauseInfo, outer: &Relids) -> Res<Expr> {
        let Expr::OpExpr(op) = &*c.rc.expr else {
            return Ok(Expr::clone(&c.rc.expr));
        };
        let Some((left, _)) = &c.sides else {
            return Ok(Expr::clone(&c.rc.expr));
        };
        if subset(left, outer) {
            return Ok(Expr::clone(&c.rc.expr));
        }
        let info = self
            .catalog
            .operator_info(op.opno)
            .ok_or_else(|| "operator".to_string())?;
        if info.commutator.is_invalid() {
            return Err("a join clause without a commutator".into());
        }
        let comm = self
            .catalog
            .operator_info(info.commutator)
            .ok_or_else(|| "commutator".to_string())?;
        let mut swapped = (**op).clone();
        swapped.opno = info.commutator;
        swapped.opfuncid = comm.code;
        swapped.args = op.args.iter().rev().cloned().collect();
        Ok(Expr::OpExpr(Box::new(swapped)))
    }

    /// A `Sort` of `input` by `keys` (`make_sort_from_pathkeys`): each key
    /// sorts by the first target entry that is a member of its class, else
    /// by the first member computable from the target list, which the input
    /// then computes as an extra (resjunk) column.
    fn sort_input(&self, mut input: PlanNode, keys: &[PathKey]) -> Res<PlanNode> {
        let mut sort_keys = Vec::new();
        // Read only: no key is interned while plans are built.
        let key_exprs = self.key_exprs.borrow();
        for pathkey in keys {
            let members: Vec<&Expr> = match pathkey.class.get() {
                KeyKind::Expr(e) => vec![key_exprs
                    .get(e)
                    .ok_or_else(|| "key expression".to_string())?],
                KeyKind::Ec(pos) => self
                    .quals
                    .equivalence_classes
                    .get(pos)
                    .ok_or_else(|| "equivalence class".to_string())?
                    .members
                    .iter()
                    .filter(|m| !m.relids.is_empty())
                    .map(|m| &m.expr)
                    .collect(),
            };
            let in_tlist = input
                .output
                .iter()
                .find(|t| members.iter().any(|m| strip_relabel(m) == strip_relabel(t)))
                .cloned();
            let expr = match in_tlist {
                Some(e) => e,
                None => {
                    let computable = members
                        .iter()
                        .find(|m| {
                            let mut vars = Vec::new();
                            pull_vars(m, &mut vars);
                            vars.into_iter()
                                .all(|v| input.output.contains(&Expr::Var(v)))
                        })
                        .map(|m| (*m).clone())
                        .ok_or_else(|| "a sort key not computable from its input".to_string())?;
                    // Only a node that projects can add the column
                    // (others would need a Result node above them).
                    if !matches!(
                        input.kind,
                        PlanKind::Join(_) | PlanKind::ForeignScan(_) | PlanKind::SeqScan(_)
                    ) {
                        return Err("a sort key computed over a node that does not project".into());
                    }
                    input.output.push(computable.clone());
                    computable
                }
            };
            sort_keys.push(self.sort_key(&expr, pathkey.desc, pathkey.nulls_first)?);
        }
        self.sort_node(input, sort_keys)
    }

    fn sort_key(&self, expr: &Expr, desc: bool, nulls_first: bool) -> Res<SortKey> {
        let t = expr.type_oid();
        let sortop = self
            .catalog
            .resolve_operator(Some("pg_catalog"), if desc { ">" } else { "<" }, t, t)
            .map_err(|_| "no default ordering operator for a merge key".to_string())?;
        let _ = BTREE_AM;
        Ok(SortKey {
            expr: expr.clone(),
            sortop,
            direction: if desc {
                SortDirection::Desc
            } else {
                SortDirection::Asc
            },
            nulls_first,
            collation: expr.collation(),
        })
    }

    fn sort_node(&self, input: PlanNode, keys: Vec<SortKey>) -> Res<PlanNode> {
        let c = input.cost.ok_or_else(|| "input cost".to_string())?;
        let (s, t) = cost::sort_cost(
            &self.settings,
            c.total,
            c.rows,
            i32::try_from(c.width).unwrap_or(0),
        );
        Ok(PlanNode {
            output: input.output.clone(),
            cost: Some(Cost {
                startup: s,
                total: t,
                rows: c.rows,
                width: c.width,
            }),
            ..PlanNode::new(PlanKind::Sort(Sort {
                keys,
                presorted_keys: 0,
                input: Box::new(input),
            }))
        })
    }
}

/// A join problem item (`joinlist` entry).
enum Item {
    Rel(RelIndex),
    List(Vec<Item>),
}

impl Item {
    fn count(&self) -> usize {
        match self {
            Item::Rel(_) => 1,
            Item::List(items) => items.iter().map(Item::count).sum(),
        }
    }
}

/// Identity of a pathkey's equivalence class (the class's first operator
/// family is the only one here): an index into the query's classes, or
/// for an expression outside every class its index in
/// [`Planner::key_exprs`]. Interned so that pathkeys are plain values:
/// every candidate path copies and compares them, and an expression
/// inside would make each copy an allocation and each comparison a tree
/// walk.
///
/// Packed in 32 bits, the top one telling an expression from a class:
/// a [`PathKey`] is then 8 bytes (two fit inline in a merge's sort order,
/// [`SortKeys`], in the room of a `Vec`'s header), keys compare as one
/// integer, and the merge clause lists copied per candidate are half as
/// long.
#[derive(Clone, Copy, PartialEq, Eq)]
struct KeyId(u32);

/// A key's kind and index ([`KeyId::get`]).
enum KeyKind {
    Ec(usize),
    Expr(usize),
}

impl KeyId {
    /// The bit marking [`KeyKind::Expr`].
    const EXPR: u32 = 1 << 31;

    /// The key of equivalence class `pos`.
    fn ec(pos: usize) -> Res<KeyId> {
        match u32::try_from(pos) {
            Ok(p) if p < Self::EXPR => Ok(KeyId(p)),
            _ => Err("more than 2^31 equivalence classes are not modelled".into()),
        }
    }

    /// The key of interned expression `pos`.
    fn expr(pos: usize) -> Res<KeyId> {
        match u32::try_from(pos) {
            Ok(p) if p < Self::EXPR => Ok(KeyId(p | Self::EXPR)),
            _ => Err("more than 2^31 sort expressions are not modelled".into()),
        }
    }

    /// Which kind of key this is, with its index.
    fn get(self) -> KeyKind {
        // u32 to usize is lossless on the 32- and 64-bit targets built.
        let index = (self.0 & !Self::EXPR) as usize;
        if self.0 & Self::EXPR == 0 {
            KeyKind::Ec(index)
        } else {
            KeyKind::Expr(index)
        }
    }
}

/// One key of a sort order (`PathKey`): its class and direction. Merge
/// joins sort ascending with nulls last unless the query's ordering asks
/// for the other direction on the class (`right_merge_direction`).
#[derive(Clone, Copy, PartialEq)]
struct PathKey {
    class: KeyId,
    /// Sorted by the type's `>` (`BTGreaterStrategyNumber`).
    desc: bool,
    nulls_first: bool,
}

impl PathKey {
    /// The default ordering: ascending, nulls last.
    fn asc(class: KeyId) -> PathKey {
        PathKey {
            class,
            desc: false,
            nulls_first: false,
        }
    }
}

/// The classes a sort of a relation is useful for in a later merge join
/// ([`Planner::merge_classes`]): a few, kept inline.
type MergeClasses = SmallVec<[KeyId; 4]>;

/// A sort order (`pathkeys`), most significant key first. A `Vec` rather
/// than an inline list: every candidate path compares its order with
/// each kept path's, and an inline list's length check on each of those
/// reads cost more than the few allocations of kept sorted paths save.
type PathKeys = Vec<PathKey>;

/// The order a merge join sorts an input into: inline for up to two keys
/// (in the room of a `Vec`'s header, [`KeyId`]), so that a merge path
/// allocates no list.
type SortKeys = SmallVec<[PathKey; 2]>;

/// A merge-joinable clause of a join with its outer and inner classes
/// (`left_ec`/`right_ec` arranged by `outer_is_left`).
#[derive(Clone, Copy, PartialEq)]
struct MergeClause {
    /// Index in the pair's clauses.
    clause: usize,
    outer_key: KeyId,
    inner_key: KeyId,
    /// The clause's left argument is the outer input's.
    outer_is_left: bool,
}

/// A hash clause of a join: its index in the pair's clauses and whether
/// its right argument is the inner input's (the hashed key).
#[derive(Clone, Copy, PartialEq)]
struct HashClause {
    clause: usize,
    right_is_inner: bool,
}

/// A join order's restriction cost and clause lists
/// ([`Planner::pair_clause_lists`]).
#[derive(PartialEq)]
struct PairLists {
    /// The cost of evaluating all the pair's clauses.
    restrict_cost: QualCost,
    merge: ClauseList<MergeClause>,
    hash: ClauseList<HashClause>,
    /// A clause merge joins cannot use (forbids right and full merge
    /// joins).
    nonmergeable: bool,
}

impl PairLists {
    /// Empty lists with the restriction cost of `pair`'s clauses.
    fn new(pair: &Pair) -> PairLists {
        PairLists::empty(
            pair.clauses
                .iter()
                .fold(QualCost::default(), |acc, c| acc.plus(c.cost)),
        )
    }

    /// Empty lists with this restriction cost.
    fn empty(restrict_cost: QualCost) -> PairLists {
        PairLists {
            restrict_cost,
            merge: SmallVec::new(),
            hash: SmallVec::new(),
            nonmergeable: false,
        }
    }
}

/// Lists as short as a join's clauses usually are (one or two; more spill
/// to the heap): kept on the stack.
type ClauseList<T> = SmallVec<[T; 2]>;

struct PairCtx {
    joinrel: usize,
    outer: usize,
    inner: usize,
    jointype: JoinType,
    pair: Rc<Pair>,
    restrict_cost: QualCost,
    semi: Option<SemiFactors>,
    /// The join relation's rows and width, read by every candidate path.
    rows: f64,
    width: i32,
}

#[derive(PartialEq, Eq)]
enum KeysCmp {
    Equal,
    Better1,
    Better2,
    Different,
}

/// `compare_pathkeys`: equal, one a longer (better sorted) version of the
/// other, or unrelated orders.
fn compare_pathkeys(a: &[PathKey], b: &[PathKey]) -> KeysCmp {
    let common = a.len().min(b.len());
    if a.iter().zip(b).take(common).any(|(x, y)| x != y) {
        return KeysCmp::Different;
    }
    match a.len().cmp(&b.len()) {
        std::cmp::Ordering::Equal => KeysCmp::Equal,
        std::cmp::Ordering::Greater => KeysCmp::Better1,
        std::cmp::Ordering::Less => KeysCmp::Better2,
    }
}

/// `pathkeys_contained_in`: rows in order `b` are also in order `a`.
fn pathkeys_contained_in(a: &[PathKey], b: &[PathKey]) -> bool {
    matches!(compare_pathkeys(a, b), KeysCmp::Equal | KeysCmp::Better2)
}

/// `get_cheapest_path_for_pathkeys`: the cheapest path (by total cost, or
/// by startup cost) sorted at least as `keys` asks; the first of equals.
/// Inlined: a short loop asked twice per merge key count.
#[inline(always)]
fn cheapest_path_for_pathkeys(
    arena: &[Path],
    paths: &[PathId],
    keys: &[PathKey],
    total: bool,
) -> Res<Option<PathId>> {
    let mut matched: Option<(PathId, &Path)> = None;
    for &id in paths {
        let path = arena.get(id).ok_or_else(|| "path".to_string())?;
        if matched.is_some_and(|(_, m)| compare_costs(m.cost, path.cost, total) <= 0) {
            continue;
        }
        if pathkeys_contained_in(keys, &path.pathkeys) {
            matched = Some((id, path));
        }
    }
    Ok(matched.map(|(id, _)| id))
}

/// `find_mergeclauses_for_outer_pathkeys`: the merge clauses usable with
/// outer rows in order `pathkeys`, in the keys' order, stopping at the
/// first key no clause matches. Usually that is the whole list in its own
/// order (one clause, or keys made from the clauses), which is then
/// borrowed rather than copied.
///
/// Inlined: asked for every outer path of every join order, most often
/// with no order at all (answered at once).
#[inline(always)]
fn find_mergeclauses_for_outer_pathkeys<'c>(
    pathkeys: &[PathKey],
    clauses: &'c [MergeClause],
) -> Cow<'c, [MergeClause]> {
    // Unsorted outer paths, the most common, match nothing.
    if pathkeys.is_empty() {
        return Cow::Borrowed(&[]);
    }
    let matching = |class: KeyId| {
        clauses
            .iter()
            .copied()
            .filter(move |mc| mc.outer_key == class)
    };
    // The answer is the list itself when walking the keys yields every
    // clause in turn.
    let mut next = 0;
    let mut in_order = true;
    'keys: for key in pathkeys {
        let mut any = false;
        for mc in matching(key.class) {
            any = true;
            if clauses.get(next).map(|c| c.clause) != Some(mc.clause) {
                in_order = false;
                break 'keys;
            }
            next += 1;
        }
        if !any {
            break;
        }
    }
    if in_order && next == clauses.len() {
        return Cow::Borrowed(clauses);
    }
    let mut out = Vec::with_capacity(clauses.len());
    for key in pathkeys {
        let before = out.len();
        out.extend(matching(key.class));
        if out.len() == before {
            break;
        }
    }
    Cow::Owned(out)
}

/// The outer and inner sort keys of a merge join on the one clause `mc`
/// when no query ordering leads: what `sort_inner_and_outer`'s general
/// way (one ascending key of the clause's outer class,
/// [`find_mergeclauses_for_outer_pathkeys`] and
/// [`make_inner_pathkeys_for_merge`]) arrives at.
fn single_clause_merge_keys(mc: &MergeClause) -> (PathKey, PathKey) {
    (PathKey::asc(mc.outer_key), PathKey::asc(mc.inner_key))
}

/// `make_inner_pathkeys_for_merge`: the inner order matching the merge
/// clauses (taken in order, outer keys walked alongside), each in its
/// outer key's direction, classes already listed dropped.
///
/// The keys go to `out` (empty): a caller's list, not a returned one, as
/// every merge candidate makes one.
#[inline(always)]
fn make_inner_pathkeys_for_merge(
    clauses: &[MergeClause],
    outer_pathkeys: &[PathKey],
    out: &mut ClauseList<PathKey>,
) -> Res<()> {
    let mut outer_keys = outer_pathkeys.iter();
    let mut last_outer: Option<&PathKey> = None;
    for mc in clauses {
        if last_outer.map(|k| &k.class) != Some(&mc.outer_key) {
            last_outer = outer_keys.next();
            if last_outer.map(|k| &k.class) != Some(&mc.outer_key) {
                return Err("outer pathkeys do not match the merge clauses".into());
            }
        }
        let Some(outer) = last_outer else {
            return Err("outer pathkeys do not match the merge clauses".into());
        };
        if !out.iter().any(|k| k.class == mc.inner_key) {
            out.push(PathKey {
                class: mc.inner_key,
                desc: outer.desc,
                nulls_first: outer.nulls_first,
            });
        }
    }
    Ok(())
}

/// `trim_mergeclauses_for_inner_pathkeys`: the leading merge clauses an
/// inner input sorted by `pathkeys` can serve.
fn trim_mergeclauses_for_inner_pathkeys(
    clauses: &[MergeClause],
    pathkeys: &[PathKey],
) -> Vec<MergeClause> {
    let mut keys = pathkeys.iter().map(|k| &k.class);
    let Some(mut current) = keys.next() else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(clauses.len());
    let mut matched = false;
    for mc in clauses {
        if mc.inner_key != *current {
            if !matched {
                break;
            }
            let Some(next) = keys.next() else {
                break;
            };
            current = next;
        }
        if mc.inner_key == *current {
            out.push(*mc);
            matched = true;
        } else {
            break;
        }
    }
    out
}

/// `eclass_useful_for_merging`: the class has a member of a relation not
/// yet joined into `relids`.
fn eclass_useful_for_merging(ec: &fdw_sql::joins::EquivalenceClass, relids: &Relids) -> bool {
    if ec.has_const() || ec.members.len() <= 1 {
        return false;
    }
    // The members' relids together within `relids`: all members are.
    if ec.members.iter().all(|m| subset(&m.relids, relids)) {
        return false;
    }
    ec.members.iter().any(|m| !overlaps(&m.relids, relids))
}

/// `add_path`'s comparison of a new path (its estimate, rows and order)
/// with an old one: `(remove_old, accept_new)`.
///
/// Inlined always: asked for each old path by every candidate's
/// [`Planner::add_path_rejects`] loop, where the new path's side of the
/// comparison stays the same.
#[inline(always)]
fn add_path_verdict(
    cost: JoinCost,
    rows: f64,
    pathkeys: &[PathKey],
    old: &Path,
    consider_startup: bool,
) -> (bool, bool) {
    let mut remove_old = false;
    let mut accept_new = true;
    let costcmp = cost::compare_fuzzily(cost, old.cost, cost::STD_FUZZ_FACTOR, consider_startup);
    if costcmp == CostComparison::Different {
        return (remove_old, accept_new);
    }
    let keyscmp = compare_pathkeys(pathkeys, &old.pathkeys);
    if keyscmp == KeysCmp::Different {
        return (remove_old, accept_new);
    }
    match costcmp {
        CostComparison::Equal => match keyscmp {
            KeysCmp::Better1 => {
                if rows <= old.rows {
                    remove_old = true;
                }
            }
            KeysCmp::Better2 => {
                if rows >= old.rows {
                    accept_new = false;
                }
            }
            _ => {
                if rows < old.rows {
                    remove_old = true;
                } else if rows > old.rows {
                    accept_new = false;
                } else if cost::compare_fuzzily(cost, old.cost, 1.000_000_000_1, false)
                    == CostComparison::Better1
                {
                    remove_old = true;
                } else {
                    accept_new = false;
                }
            }
        },
        CostComparison::Better1 => {
            if keyscmp != KeysCmp::Better2 && rows <= old.rows {
                remove_old = true;
            }
        }
        CostComparison::Better2 => {
            if keyscmp != KeysCmp::Better1 && rows >= old.rows {
                accept_new = false;
            }
        }
        CostComparison::Different => {}
    }
    (remove_old, accept_new)
}

/// `compare_path_costs`: total then startup (or the reverse).
fn compare_costs(a: JoinCost, b: JoinCost, total_first: bool) -> i32 {
    let (a1, a2, b1, b2) = if total_first {
        (a.total, a.startup, b.total, b.startup)
    } else {
        (a.startup, a.total, b.startup, b.total)
    };
    if a1 < b1 {
        -1
    } else if a1 > b1 {
        1
    } else if a2 < b2 {
        -1
    } else if a2 > b2 {
        1
    } else {
        0
    }
}

impl Path {
    fn input(&self) -> InputPath {
        InputPath {
            startup: self.cost.startup,
            total: self.cost.total,
            rows: self.rows,
            width: self.width,
            kind: self.kind,
        }
    }
}

fn path_batches(path: &Path) -> u32 {
    match path.kind {
        PathKind::HashJoin { batches } => batches,
        _ => 1,
    }
}

fn cost_of(path: &Path) -> Cost {
    Cost {
        startup: path.cost.startup,
        total: path.cost.total,
        rows: path.rows,
        width: u32::try_from(path.width).unwrap_or(0),
    }
}

fn strip_relabel(e: &Expr) -> &Expr {
    match e {
        Expr::RelabelType(r) => &r.arg,
        _ => e,
    }
}

fn size_kind(jointype: JoinType) -> Res<SizeJoinType> {
    Ok(match jointype {
        JoinType::Inner => SizeJoinType::Inner,
        JoinType::Left | JoinType::Right => SizeJoinType::Left,
        JoinType::Full => SizeJoinType::Full,
        JoinType::Anti => SizeJoinType::Anti,
        JoinType::Semi => SizeJoinType::Semi,
        other => return Err(format!("{other:?} joins are not modelled")),
    })
}

/// `RINFO_IS_PUSHED_DOWN`.
fn is_pushed_down(rc: &RestrictClause, joinrelids: &Relids) -> bool {
    rc.is_pushed_down || !subset(&rc.required_relids, joinrelids)
}

/// Which side of the clause is the outer one: `Some(true)` when the left
/// argument is outer (`clause_sides_match_join`).
fn side_of(c: &ClauseInfo, outer: &Relids, inner: &Relids) -> Option<bool> {
    let (l, r) = c.sides.as_ref()?;
    if subset(l, outer) && subset(r, inner) {
        Some(true)
    } else if subset(l, inner) && subset(r, outer) {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(rel: u32, attno: i16, levelsup: u32) -> Expr {
        let mut v = Var::new(RelIndex(rel), AttrNumber(attno), Oid(23), -1, Oid::INVALID);
        v.varlevelsup = levelsup;
        Expr::Var(v)
    }

    fn op(l: Expr, r: Expr) -> Expr {
        Expr::OpExpr(Box::new(OpExpr {
            opno: Oid(96),
            opfuncid: Oid(65),
            opresulttype: BOOL,
            opretset: false,
            opcollid: Oid::INVALID,
            inputcollid: Oid::INVALID,
            args: [l, r].into_iter().collect(),
        }))
    }

    /// Keys pack as [`KeyId`] says: a class and an expression of the same
    /// index differ, each reads back as made, indexes past 2^31 are
    /// refused, and two keys fit a merge's sort order inline in a `Vec`'s
    /// room.
    #[test]
    fn key_ids_pack_and_read_back() {
        for pos in [0, 1, 7, (1 << 31) - 1] {
            let (Ok(ec), Ok(expr)) = (KeyId::ec(pos), KeyId::expr(pos)) else {
                panic!("{pos} is in range");
            };
            assert!(ec != expr);
            assert!(matches!(ec.get(), KeyKind::Ec(p) if p == pos));
            assert!(matches!(expr.get(), KeyKind::Expr(p) if p == pos));
        }
        assert!(KeyId::ec(1 << 31).is_err());
        assert!(KeyId::expr(1 << 31).is_err());
        assert_eq!(size_of::<PathKey>(), 8);
        assert_eq!(size_of::<SortKeys>(), size_of::<Vec<PathKey>>());
    }

    /// The single-clause merge keys are those of the general way: the
    /// clause's own ascending outer key finds the clause itself, and the
    /// inner keys made from it.
    #[test]
    fn single_clause_merge_keys_match_the_general_way() {
        let keys = [KeyId::ec(0), KeyId::ec(3), KeyId::expr(0), KeyId::expr(2)];
        let keys: Vec<KeyId> = keys.into_iter().flatten().collect();
        assert_eq!(keys.len(), 4);
        for &outer_key in &keys {
            for &inner_key in &keys {
                for outer_is_left in [false, true] {
                    let mc = MergeClause {
                        clause: 1,
                        outer_key,
                        inner_key,
                        outer_is_left,
                    };
                    let (outer, inner) = single_clause_merge_keys(&mc);
                    let outerkeys = [PathKey::asc(outer_key)];
                    assert!(outer == outerkeys[0]);
                    let clauses = [mc];
                    let cur = find_mergeclauses_for_outer_pathkeys(&outerkeys, &clauses);
                    assert!(matches!(*cur, [c] if c.clause == mc.clause));
                    let mut innerkeys = SmallVec::new();
                    assert!(
                        make_inner_pathkeys_for_merge(&cur, &outerkeys, &mut innerkeys).is_ok()
                    );
                    assert!(innerkeys.as_slice() == [inner]);
                }
            }
        }
    }

    /// `fill_placeholders` gives a plan built with placeholders the plan
    /// built with copies of the scans (each placeholder its scan's kind
    /// and init-plans, keeping its own estimate and target list), leaves
    /// the placeholders in the scans, and leaves a remotely sorted scan
    /// (copied when built) as it is.
    #[test]
    fn fill_placeholders_gives_the_copied_plan() {
        let scan = |rti: u32| PlanNode {
            kind: PlanKind::SeqScan(fdw_core::plan::SeqScan {
                rti: RelIndex(rti),
                filter: vec![op(var(rti, 1, 0), var(rti, 2, 0))],
            }),
            cost: Some(Cost {
                startup: 1.0,
                total: f64::from(rti),
                rows: 10.0,
                width: 4,
            }),
            output: vec![var(rti, 1, 0), var(rti, 2, 0)],
            init_plans: Vec::new(),
        };
        // The node a plan built with copies holds for `scan` (its own
        // output replaced by `output`).
        let copied = |scan: &PlanNode, output: Vec<Expr>| PlanNode {
            output,
            ..scan.clone()
        };
        let placeholder = |scan: &PlanNode, output: Vec<Expr>| {
            let rti = match &scan.kind {
                PlanKind::SeqScan(s) => s.rti,
                _ => RelIndex(0),
            };
            PlanNode {
                kind: scan_placeholder(rti),
                cost: scan.cost,
                output,
                init_plans: Vec::new(),
            }
        };
        let sorted = PlanNode::new(PlanKind::ForeignScan(fdw_core::plan::ForeignScan {
            kind: fdw_core::plan::ForeignScanKind::Base,
            scan_relid: Some(RelIndex(4)),
            relids: vec![RelIndex(4)],
            relations: None,
            remote: Arc::new(fdw_core::RemoteQuery {
                sql: "SELECT 1 ORDER BY 1".into(),
                params: Vec::new(),
                retrieved_attrs: Vec::new(),
                remote_quals: Vec::new(),
                local_quals: Vec::new(),
            }),
            scan_tlist: Vec::new(),
            server: Oid(1),
            user: None,
            fetch_size: 100,
        }));
        let join = |outer: PlanNode, inner: PlanNode| {
            PlanNode::new(PlanKind::Join(JoinNode {
                method: JoinMethod::NestLoop { params: Vec::new() },
                join_type: JoinType::Inner,
                inner_unique: false,
                join_filter: Vec::new(),
                filter: Vec::new(),
                outer: Box::new(outer),
                inner: Box::new(inner),
            }))
        };
        let wrapped = |input: PlanNode, hash: bool| {
            PlanNode::new(if hash {
                PlanKind::Hash(HashNode {
                    keys: Vec::new(),
                    input: Box::new(input),
                })
            } else {
                PlanKind::Materialize(Materialize {
                    input: Box::new(input),
                })
            })
        };
        let scans = [scan(1), scan(2), scan(3)];
        let physical = vec![var(1, 1, 0), var(1, 2, 0), var(1, 3, 0)];
        let tree = |leaf: &dyn Fn(&PlanNode, Vec<Expr>) -> PlanNode| {
            join(
                join(
                    leaf(&scans[0], physical.clone()),
                    wrapped(leaf(&scans[2], scans[2].output.clone()), false),
                ),
                join(
                    wrapped(leaf(&scans[1], scans[1].output.clone()), true),
                    sorted.clone(),
                ),
            )
        };
        let want = tree(&copied);
        let mut got = tree(&placeholder);
        let mut owned: Vec<(RelIndex, PlanNode)> = scans
            .iter()
            .enumerate()
            .map(|(i, s)| (RelIndex(u32::try_from(i + 1).unwrap()), s.clone()))
            .collect();
        fill_placeholders(&mut got, &mut owned);
        assert_eq!(got, want);
        for (rti, left) in &owned {
            assert_eq!(left.kind, scan_placeholder(*rti));
        }
    }

    /// `ordered_quals` orders and fails as `order_qual_clauses` does,
    /// through its shortcut for one comparison or not.
    #[test]
    fn ordered_quals_match_order_qual_clauses() {
        let catalog = Catalog::new(15).unwrap_or_else(|e| panic!("catalog: {e}"));
        let konst = Expr::Const(fdw_core::expr::Const::new(Oid(23), Oid::INVALID, "1"));
        let lists = [
            vec![],
            vec![op(var(1, 1, 0), var(2, 1, 0))],
            vec![op(var(1, 1, 0), konst.clone())],
            vec![op(op(var(1, 1, 0), var(2, 1, 0)), konst.clone())],
            vec![
                op(op(var(1, 1, 0), var(2, 1, 0)), konst),
                op(var(1, 1, 0), var(2, 1, 0)),
            ],
        ];
        for list in &lists {
            let shared: Vec<Arc<Expr>> = list.iter().cloned().map(Arc::new).collect();
            assert_eq!(
                ordered_quals(&catalog, shared)
                    .ok()
                    .map(|quals| quals.into_iter().map(Arc::unwrap_or_clone).collect()),
                crate::cost_order::order_qual_clauses(&catalog, list.clone()).ok(),
                "{list:?}"
            );
        }
    }

    /// `expr` (an operator clause) with its operator and function replaced.
    fn with_op(expr: Expr, opno: Oid, opfuncid: Oid) -> Expr {
        match expr {
            Expr::OpExpr(mut o) => {
                o.opno = opno;
                o.opfuncid = opfuncid;
                Expr::OpExpr(o)
            }
            other => other,
        }
    }

    /// `clause_is_volatile` answers what `contain_volatile_functions`
    /// does, through its shortcut or not.
    #[test]
    fn clause_is_volatile_matches_the_walk() {
        let catalog = Catalog::new(15).unwrap_or_else(|e| panic!("catalog: {e}"));
        let konst = Expr::Const(fdw_core::expr::Const::new(Oid(23), Oid::INVALID, "1"));
        let cases = [
            op(var(1, 1, 0), var(2, 1, 0)),
            op(var(1, 1, 0), konst.clone()),
            // The operator's function looked up from the operator.
            with_op(op(var(1, 1, 0), var(2, 1, 0)), Oid(96), Oid::INVALID),
            // An unknown operator and function.
            with_op(op(var(1, 1, 0), var(2, 1, 0)), Oid(4_000_000), Oid::INVALID),
            // A volatile function (random()) as the operator's.
            with_op(op(var(1, 1, 0), var(2, 1, 0)), Oid(96), Oid(1598)),
            op(op(var(1, 1, 0), var(2, 1, 0)), konst),
        ];
        for expr in &cases {
            let Expr::OpExpr(o) = expr else {
                panic!("an operator clause");
            };
            assert_eq!(
                clause_is_volatile(&catalog, o, expr).ok(),
                catalog.contain_volatile_functions(expr).ok(),
                "{expr:?}"
            );
        }
        let volatile = cases.get(4).and_then(|expr| match expr {
            Expr::OpExpr(o) => clause_is_volatile(&catalog, o, expr).ok(),
            _ => None,
        });
        assert_eq!(volatile, Some(true));
    }

    /// `column_operator_facts` answers what `column_operator_cost` and
    /// `clause_is_volatile` do, where it answers.
    #[test]
    fn column_operator_facts_match_cost_and_volatility() {
        let catalog = Catalog::new(15).unwrap_or_else(|e| panic!("catalog: {e}"));
        let params = fdw_cost::CostParams::default();
        let konst = Expr::Const(fdw_core::expr::Const::new(Oid(23), Oid::INVALID, "1"));
        let cases = [
            op(var(1, 1, 0), var(2, 1, 0)),
            op(var(1, 1, 0), konst.clone()),
            with_op(op(var(1, 1, 0), var(2, 1, 0)), Oid(96), Oid::INVALID),
            with_op(op(var(1, 1, 0), var(2, 1, 0)), Oid(96), Oid(4_000_000)),
            with_op(op(var(1, 1, 0), var(2, 1, 0)), Oid(96), Oid(1598)),
            op(op(var(1, 1, 0), var(2, 1, 0)), konst),
        ];
        let mut answered = 0;
        for expr in &cases {
            let Expr::OpExpr(o) = expr else {
                panic!("an operator clause");
            };
            if let Some((cost, volatile)) = column_operator_facts(&catalog, &params, o) {
                answered += 1;
                assert_eq!(cost, column_operator_cost(&catalog, &params, o), "{expr:?}");
                assert_eq!(
                    Ok(volatile),
                    clause_is_volatile(&catalog, o, expr),
                    "{expr:?}"
                );
            }
        }
        // Every operator over columns and constants naming its function.
        assert_eq!(answered, 4);
    }

    /// `clause_selectivity`'s shortcut takes an operator clause for a join
    /// clause exactly when `expr_relids` finds two relations or more.
    #[test]
    fn clause_selectivity_shortcut_matches_expr_relids() {
        let konst = Expr::Const(fdw_core::expr::Const::new(Oid(23), Oid::INVALID, "1"));
        let cases = [
            op(var(1, 1, 0), var(2, 1, 0)),
            op(var(3, 2, 0), var(3, 1, 0)),
            op(var(1, 1, 0), var(2, 1, 1)),
            op(var(1, 1, 0), konst),
        ];
        let mut taken = 0;
        for expr in &cases {
            let Expr::OpExpr(o) = expr else {
                panic!("an operator clause");
            };
            let relids = expr_relids(expr).unwrap_or_else(|e| panic!("{e}"));
            if joins_two_relations(o) {
                taken += 1;
                assert_eq!(relids.len(), 2, "{expr:?}");
            }
        }
        assert_eq!(taken, 1);
    }

    /// Only a class over more than one relation can answer the join
    /// search's class tests (`has_eclass_joins`, and
    /// `have_relevant_joinclause` of disjoint relations), so the linking
    /// classes alone give the answers every class would.
    #[test]
    fn one_relation_classes_link_nothing() {
        let set = |bits: u32| -> Relids {
            (1..=4u32)
                .filter(|r| bits & (1 << r) != 0)
                .map(RelIndex)
                .collect()
        };
        let sets: Vec<Relids> = (0..32u32).step_by(2).map(set).collect();
        for ecr in &sets {
            for a in &sets {
                if overlaps(ecr, a) && !subset(ecr, a) {
                    assert!(ecr.len() > 1, "{ecr:?} {a:?}");
                }
                for b in &sets {
                    if !overlaps(a, b) && overlaps(ecr, a) && overlaps(ecr, b) {
                        assert!(ecr.len() > 1, "{ecr:?} {a:?} {b:?}");
                    }
                }
            }
        }
    }

    /// The shortcuts of `expr_relids` answer what the walk does.
    #[test]
    fn expr_relids_shortcuts_match_the_walk() {
        let konst = Expr::Const(fdw_core::expr::Const::new(Oid(23), Oid::INVALID, "1"));
        let cases = [
            var(1, 1, 0),
            var(2, 1, 1),
            op(var(1, 1, 0), var(2, 1, 0)),
            op(var(3, 2, 0), var(3, 1, 0)),
            op(var(1, 1, 0), var(2, 1, 1)),
            op(var(2, 1, 1), var(1, 1, 0)),
            op(var(1, 1, 0), konst.clone()),
            op(op(var(1, 1, 0), var(2, 1, 0)), konst),
        ];
        for expr in &cases {
            assert_eq!(expr_relids(expr), walked_relids(expr), "{expr:?}");
        }
        assert_eq!(
            expr_relids(&op(var(1, 1, 0), var(2, 1, 0))),
            Ok([RelIndex(1), RelIndex(2)].into_iter().collect())
        );
    }

    /// Clauses whose `column_operator` prints differ are unequal, so the
    /// print may rule out comparing them.
    #[test]
    fn column_operator_prints_differ_only_for_unequal_clauses() {
        let konst = Expr::Const(fdw_core::expr::Const::new(Oid(23), Oid::INVALID, "1"));
        let with_opno = |expr: Expr, opno: Oid| match expr {
            Expr::OpExpr(mut o) => {
                o.opno = opno;
                Expr::OpExpr(o)
            }
            other => other,
        };
        let cases = [
            op(var(1, 1, 0), var(2, 1, 0)),
            op(var(2, 1, 0), var(1, 1, 0)),
            op(var(1, 2, 0), var(2, 1, 0)),
            op(var(1, 1, 0), var(2, 1, 1)),
            with_opno(op(var(1, 1, 0), var(2, 1, 0)), Oid(97)),
            op(var(1, 1, 0), konst.clone()),
            op(op(var(1, 1, 0), var(2, 1, 0)), konst),
            var(1, 1, 0),
        ];
        for a in &cases {
            assert!(
                column_operator(a).is_some()
                    == matches!(a, Expr::OpExpr(o) if o.args.iter().all(|e| matches!(e, Expr::Var(_))))
            );
            for b in &cases {
                let (pa, pb) = (column_operator(a), column_operator(b));
                if pa.is_some() && pb.is_some() && pa != pb {
                    assert_ne!(a, b);
                }
                if a == b {
                    assert_eq!(pa, pb);
                }
            }
        }
    }

    /// `first_class_holding_member` answers what `first_class_holding`
    /// does for every member of every class, an expression in two classes
    /// included.
    #[test]
    fn first_class_holding_member_matches_the_search() {
        let member = |expr: Expr| fdw_sql::joins::EcMember {
            relids: expr_relids(&expr).unwrap_or_default(),
            expr,
            datatype: Oid(23),
        };
        let class = |exprs: Vec<Expr>| fdw_sql::joins::EquivalenceClass {
            members: exprs.into_iter().map(member).collect(),
            opfamilies: Vec::new(),
            collation: Oid::INVALID,
            below_outer_join: false,
            source_op: Oid(96),
        };
        let classes = [
            class(vec![var(1, 1, 0), var(2, 1, 0)]),
            class(vec![var(3, 1, 0), var(1, 2, 0), var(2, 1, 0)]),
            class(vec![var(4, 1, 0), var(3, 1, 0), var(1, 1, 0)]),
        ];
        for (at, ec) in classes.iter().enumerate() {
            for m in &ec.members {
                assert_eq!(
                    Some(first_class_holding_member(&classes, &m.expr, at)),
                    first_class_holding(&classes, &m.expr),
                    "{:?} of class {at}",
                    m.expr
                );
            }
        }
    }

    /// `column_operator_cost` answers what `cost_qual_eval` does, or
    /// leaves the clause to it.
    #[test]
    fn column_operator_cost_matches_the_walk() {
        let catalog = Catalog::new(15).unwrap_or_else(|e| panic!("catalog: {e}"));
        let params = fdw_cost::CostParams::default();
        let konst = Expr::Const(fdw_core::expr::Const::new(Oid(23), Oid::INVALID, "1"));
        let with_func = |expr: Expr, opfuncid: Oid| match expr {
            Expr::OpExpr(mut o) => {
                o.opfuncid = opfuncid;
                Expr::OpExpr(o)
            }
            other => other,
        };
        let cases = [
            op(var(1, 1, 0), var(2, 1, 0)),
            op(var(1, 1, 0), konst.clone()),
            // A costlier function (random(), procost 1; textlike, 1).
            with_func(op(var(1, 1, 0), var(2, 1, 0)), Oid(1598)),
            // An unknown function: the walk's error.
            with_func(op(var(1, 1, 0), var(2, 1, 0)), Oid(4_000_000)),
            op(op(var(1, 1, 0), var(2, 1, 0)), konst),
        ];
        let mut shortcuts = 0;
        for expr in &cases {
            let Expr::OpExpr(o) = expr else {
                panic!("an operator clause");
            };
            let walked = cost_qual_eval(&catalog, &params, std::iter::once(expr));
            match column_operator_cost(&catalog, &params, o) {
                Some(cost) => {
                    shortcuts += 1;
                    let walked = walked.unwrap_or_else(|e| panic!("{expr:?}: {e}"));
                    assert_eq!(cost.startup.to_bits(), walked.startup.to_bits(), "{expr:?}");
                    assert_eq!(
                        cost.per_tuple.to_bits(),
                        walked.per_tuple.to_bits(),
                        "{expr:?}"
                    );
                }
                None => assert!(
                    walked.is_err()
                        || !o
                            .args
                            .iter()
                            .all(|a| matches!(a, Expr::Var(_) | Expr::Const(_))),
                    "{expr:?}"
                ),
            }
        }
        assert_eq!(shortcuts, 3);
    }
}
