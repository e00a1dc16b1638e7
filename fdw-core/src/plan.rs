//! The plan model: what the planner emits, EXPLAIN renders and the executor
//! runs. Data only; building and printing plans live in `fdw-planner`.
//!
//! The shapes follow PostgreSQL's plan nodes closely enough that an
//! `EXPLAIN (VERBOSE)` rendering can be byte-compared with PostgreSQL's, but
//! children are typed fields (`input`, `outer`/`inner`) rather than the
//! generic `lefttree`/`righttree` pair.

use crate::expr::{AggSplit, Expr, SubPlan, Var};
use crate::ids::{AttrNumber, Oid, RelIndex};
use crate::query::{
    CommandType, JoinType, OnConflictAction, Query, RangeTblEntry, RowMarkClause, TargetEntry,
};
use std::sync::Arc;

/// A whole planned statement (`PlannedStmt`).
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// What the statement does.
    pub command: CommandType,
    /// The top plan node.
    pub root: PlanNode,
    /// Plans of sub-selects; [`SubPlan::plan_id`] `n` is `subplans[n - 1]`.
    pub subplans: Vec<PlanNode>,
    /// The flattened range table the plan's `Var`s and `RelIndex`es refer to.
    pub rtable: RangeTable,
}

/// A plan's range table: entries of its own, or the range table of the
/// shared query it was planned from. Sharing the query's spares copying
/// every entry (and its column names) into each plan and freeing the copy
/// afterwards; the entries read the same either way, and it prints and
/// compares as the list of entries does.
#[derive(Clone)]
pub struct RangeTable(RangeTableSource);

/// Where a [`RangeTable`]'s entries live.
#[derive(Clone)]
enum RangeTableSource {
    /// Entries owned by the plan.
    Owned(Vec<RangeTblEntry>),
    /// The range table of the query the plan was made from.
    Query(Arc<Query>),
}

impl RangeTable {
    /// The range table of `query`, shared with it rather than copied.
    #[must_use]
    pub fn of_query(query: Arc<Query>) -> RangeTable {
        RangeTable(RangeTableSource::Query(query))
    }
}

impl From<Vec<RangeTblEntry>> for RangeTable {
    fn from(entries: Vec<RangeTblEntry>) -> RangeTable {
        RangeTable(RangeTableSource::Owned(entries))
    }
}

impl std::ops::Deref for RangeTable {
    type Target = [RangeTblEntry];

    fn deref(&self) -> &[RangeTblEntry] {
        match &self.0 {
            RangeTableSource::Owned(entries) => entries,
            RangeTableSource::Query(query) => &query.rtable,
        }
    }
}

impl<'a> IntoIterator for &'a RangeTable {
    type Item = &'a RangeTblEntry;
    type IntoIter = std::slice::Iter<'a, RangeTblEntry>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

// As the entries' list prints, wherever they live (plan dumps are
// compared as text).
impl std::fmt::Debug for RangeTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl PartialEq for RangeTable {
    fn eq(&self, other: &RangeTable) -> bool {
        **self == **other
    }
}

/// One plan node with what every node has: estimates and an output list.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanNode {
    /// The node kind and its own fields.
    pub kind: PlanKind,
    /// Estimates, absent when costs were not computed (`COSTS OFF`).
    pub cost: Option<Cost>,
    /// The expressions the node returns (EXPLAIN's `Output:`).
    pub output: Vec<Expr>,
    /// Init-plans evaluated before this node runs (EXPLAIN's `InitPlan n`).
    pub init_plans: Vec<SubPlan>,
}

/// A node's estimates, as EXPLAIN prints them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cost {
    /// Cost before the first row.
    pub startup: f64,
    /// Cost of all rows.
    pub total: f64,
    /// Rows returned.
    pub rows: f64,
    /// Average row width in bytes.
    pub width: u32,
}

/// The kinds of plan nodes.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanKind {
    /// A scan run on the remote server.
    ForeignScan(ForeignScan),
    /// An `UPDATE` / `DELETE` run entirely on the remote server ("direct
    /// modification": EXPLAIN's `Foreign Update` / `Foreign Delete`); its
    /// `mode` is always [`ModifyMode::Direct`].
    ForeignModify(ForeignModify),
    /// `Result`: constant quals, projection, or a one-row source.
    Result(ResultNode),
    /// A local join (`Nested Loop`, `Hash Join`, `Merge Join`).
    Join(JoinNode),
    /// `Hash`: builds the hash table for the inner side of a hash join.
    Hash(HashNode),
    /// `Sort` / `Incremental Sort`.
    Sort(Sort),
    /// `Limit`.
    Limit(Limit),
    /// `Aggregate` / `GroupAggregate` / `HashAggregate` / `MixedAggregate`.
    Aggregate(Aggregate),
    /// `Append`.
    Append(Append),
    /// `Merge Append`.
    MergeAppend(MergeAppend),
    /// `Subquery Scan`.
    SubqueryScan(SubqueryScan),
    /// `Seq Scan` of a local table.
    SeqScan(SeqScan),
    /// `Values Scan`.
    ValuesScan(ValuesScan),
    /// `Insert` / `Update` / `Delete` on a table.
    ModifyTable(ModifyTable),
    /// `LockRows`.
    LockRows(LockRows),
    /// `Unique`.
    Unique(Unique),
    /// `Materialize`.
    Materialize(Materialize),
    /// `WindowAgg`.
    WindowAgg(WindowAgg),
}

/// The SQL sent to the remote server for one scan or modification, with
/// everything needed to run it and interpret its rows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RemoteQuery {
    /// The statement text (EXPLAIN's `Remote SQL:`).
    pub sql: String,
    /// The values of `$1`, `$2`, ... in that order, evaluated locally at run
    /// time (params and Vars of other relations, spec §2.7.3).
    pub params: Vec<Expr>,
    /// What each column of the remote result is: attnums of the foreign
    /// table for a base-relation scan or a `RETURNING` list, `1..=n`
    /// positions in the scan target list for join and upper scans.
    pub retrieved_attrs: Vec<AttrNumber>,
    /// Conditions shipped in the statement's `WHERE` / `ON` / `HAVING`, kept
    /// for rechecking rows locally (EvalPlanQual). Shared with the planner's
    /// placed conditions (see [`RemoteQuery::local_quals`]).
    pub remote_quals: Vec<Arc<Expr>>,
    /// Conditions that could not be shipped and are applied to the fetched
    /// rows locally (EXPLAIN's `Filter:` on the scan). Like
    /// [`RemoteQuery::remote_quals`], the trees are shared, not owned: they
    /// are the planner's placed conditions themselves, so that putting a
    /// condition in the plan (and in the planner's report of why it stays
    /// local) copies a pointer rather than the whole tree. Read one as
    /// `&Expr` through deref (`&**qual`, or `.iter().map(|q| &**q)`).
    pub local_quals: Vec<Arc<Expr>>,
}

/// A scan run on the remote server (`ForeignScan`).
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignScan {
    /// What was pushed down.
    pub kind: ForeignScanKind,
    /// The scanned relation when the node scans exactly one foreign table
    /// (`scanrelid`; EXPLAIN then prints `Foreign Scan on <relation>`);
    /// `None` for join and upper scans.
    pub scan_relid: Option<RelIndex>,
    /// All base relations covered, ascending.
    pub relids: Vec<RelIndex>,
    /// What EXPLAIN's `Relations:` line describes, for join and upper scans.
    pub relations: Option<ForeignRelations>,
    /// The remote statement; shared, so that the copies of a scan made
    /// while planning (one per candidate path using it) do not copy its
    /// text, parameters and conditions.
    pub remote: Arc<RemoteQuery>,
    /// The remote result's columns for join and upper scans
    /// (`fdw_scan_tlist`); empty for a base-relation scan.
    pub scan_tlist: Vec<TargetEntry>,
    /// The foreign server.
    pub server: Oid,
    /// The role whose user mapping is used (`checkAsUser`), `None` for the
    /// current user.
    pub user: Option<Oid>,
    /// Rows per `FETCH` (the `fetch_size` option in effect).
    pub fetch_size: u32,
}

/// What a [`ForeignScan`] pushes down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ForeignScanKind {
    /// One foreign table.
    Base,
    /// A join of foreign tables on one server.
    Join,
    /// Grouping, final ordering and/or `LIMIT` on top of a base or join scan.
    Upper,
}

/// The tree EXPLAIN's `Relations:` line is printed from (spec §2.20); the
/// printer turns each index into `schema.relation alias`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ForeignRelations {
    /// One base relation.
    Base(RelIndex),
    /// `(<outer>) <TYPE> JOIN (<inner>)`.
    Join {
        /// Join type as pushed (`Inner`, `Left`, `Right`, `Full`, and `Semi` from PG 17).
        join_type: JoinType,
        /// Outer input.
        outer: Box<ForeignRelations>,
        /// Inner input.
        inner: Box<ForeignRelations>,
    },
    /// `Aggregate on (<input>)`.
    Aggregate(Box<ForeignRelations>),
}

/// A modification of a foreign table.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ForeignModify {
    /// `INSERT`, `UPDATE` or `DELETE`.
    pub operation: ModifyOperation,
    /// Row by row (`ModifyTable` feeding the remote statement) or direct.
    pub mode: ModifyMode,
    /// The target foreign table.
    pub relation: RelIndex,
    /// The remote statement; for row-by-row mode its `params` are empty
    /// (values come from the rows) and `retrieved_attrs` describes `RETURNING`.
    pub remote: RemoteQuery,
    /// Row by row: the columns sent as parameters, in `$n` order after any
    /// `ctid` (`$1` for `UPDATE` / `DELETE`).
    pub target_attrs: Vec<AttrNumber>,
    /// The statement has a `RETURNING` list.
    pub has_returning: bool,
    /// Rows per `INSERT` statement (EXPLAIN's `Batch Size:`); `None` for
    /// `UPDATE` / `DELETE`.
    pub batch_size: Option<u32>,
}

/// `INSERT`, `UPDATE` or `DELETE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ModifyOperation {
    /// `INSERT`.
    Insert,
    /// `UPDATE`.
    Update,
    /// `DELETE`.
    Delete,
}

/// How a foreign modification runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ModifyMode {
    /// One remote statement per row (or per batch of inserted rows).
    RowByRow,
    /// One remote statement for the whole local statement.
    Direct,
}

/// `Result` (named `ResultNode` because `Result` is the crate's error alias).
#[derive(Debug, Clone, PartialEq)]
pub struct ResultNode {
    /// Conditions checked once, before any row (`One-Time Filter:`).
    pub one_time_filter: Vec<Expr>,
    /// Conditions checked per row.
    pub filter: Vec<Expr>,
    /// The input, `None` for a one-row source.
    pub input: Option<Box<PlanNode>>,
}

/// A local join.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinNode {
    /// Algorithm and its own clauses.
    pub method: JoinMethod,
    /// Join type.
    pub join_type: JoinType,
    /// Each outer row matches at most one inner row (`Inner Unique:`).
    pub inner_unique: bool,
    /// Join conditions checked on joined pairs (`Join Filter:`). Shared
    /// trees (the planner's placed conditions), as a scan's
    /// [`RemoteQuery::local_quals`]: placing them copies no tree.
    pub join_filter: Vec<Arc<Expr>>,
    /// Conditions checked on the join's output rows (`Filter:`), shared
    /// as [`JoinNode::join_filter`].
    pub filter: Vec<Arc<Expr>>,
    /// Outer input.
    pub outer: Box<PlanNode>,
    /// Inner input.
    pub inner: Box<PlanNode>,
}

/// How a [`JoinNode`] joins.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum JoinMethod {
    /// `Nested Loop`, possibly passing outer values to the inner side.
    NestLoop {
        /// Executor params set from the outer row before each inner rescan.
        params: Vec<NestLoopParam>,
    },
    /// `Hash Join`.
    Hash {
        /// `Hash Cond:`.
        hash_clauses: Vec<Expr>,
    },
    /// `Merge Join`.
    Merge {
        /// `Merge Cond:`.
        merge_clauses: Vec<Expr>,
    },
}

/// An outer value a nested loop passes to its inner side (`NestLoopParam`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NestLoopParam {
    /// The `Exec` param id set.
    pub paramno: i32,
    /// The outer column supplying it.
    pub paramval: Var,
}

/// `Hash`.
#[derive(Debug, Clone, PartialEq)]
pub struct HashNode {
    /// The inner side's hash keys.
    pub keys: Vec<Expr>,
    /// The input.
    pub input: Box<PlanNode>,
}

/// One sort key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SortKey {
    /// The sorted expression.
    pub expr: Expr,
    /// The ordering operator.
    pub sortop: Oid,
    /// How EXPLAIN spells the operator: the type's default `<` or `>`, or `USING op`.
    pub direction: SortDirection,
    /// `NULLS FIRST`.
    pub nulls_first: bool,
    /// Collation used for comparing.
    pub collation: Oid,
}

/// Whether a sort operator is the type's default ascending or descending
/// one, or another (decided by the planner from the type's btree opclass).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SortDirection {
    /// The default `<`: `ASC`.
    Asc,
    /// The default `>`: `DESC`.
    Desc,
    /// Another operator: `USING op`.
    Using,
}

/// `Sort` / `Incremental Sort`.
#[derive(Debug, Clone, PartialEq)]
pub struct Sort {
    /// Sort keys, most significant first.
    pub keys: Vec<SortKey>,
    /// Number of leading keys the input is already sorted by; non-zero
    /// makes it an `Incremental Sort`.
    pub presorted_keys: usize,
    /// The input.
    pub input: Box<PlanNode>,
}

/// `Limit`.
#[derive(Debug, Clone, PartialEq)]
pub struct Limit {
    /// Number of rows, `None` for all.
    pub count: Option<Expr>,
    /// Rows skipped first.
    pub offset: Option<Expr>,
    /// `WITH TIES`.
    pub with_ties: bool,
    /// The input.
    pub input: Box<PlanNode>,
}

/// How an [`Aggregate`] groups (`AggStrategy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AggStrategy {
    /// No grouping: one output row (`Aggregate`).
    Plain,
    /// Grouping over sorted input (`GroupAggregate`).
    Sorted,
    /// Grouping by hashing (`HashAggregate`).
    Hashed,
    /// Grouping sets, some sorted and some hashed (`MixedAggregate`).
    Mixed,
    /// `GROUP BY` without aggregates over sorted input (`Group`).
    Group,
}

/// `Aggregate` and its grouped variants.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    /// How it groups.
    pub strategy: AggStrategy,
    /// Whole, partial or finalizing aggregation.
    pub split: AggSplit,
    /// `Group Key:` expressions.
    pub group_keys: Vec<Expr>,
    /// Further `Group Key:` lists of grouping sets; empty without grouping sets.
    pub grouping_sets: Vec<Vec<Expr>>,
    /// `HAVING` conditions evaluated here (`Filter:`).
    pub filter: Vec<Expr>,
    /// Spill partitions a hash aggregation plans (`Planned Partitions:`,
    /// printed when non-zero); 0 for the other strategies.
    pub planned_partitions: u32,
    /// The input.
    pub input: Box<PlanNode>,
}

/// `Append`.
#[derive(Debug, Clone, PartialEq)]
pub struct Append {
    /// The inputs, in output order.
    pub children: Vec<PlanNode>,
}

/// `Merge Append`.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeAppend {
    /// The common sort order of the inputs.
    pub keys: Vec<SortKey>,
    /// The inputs.
    pub children: Vec<PlanNode>,
}

/// `Subquery Scan`.
#[derive(Debug, Clone, PartialEq)]
pub struct SubqueryScan {
    /// The subquery's range-table entry.
    pub rti: RelIndex,
    /// Conditions on its rows.
    pub filter: Vec<Expr>,
    /// The subquery's plan.
    pub input: Box<PlanNode>,
}

/// `Seq Scan` of a local table.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SeqScan {
    /// The table's range-table entry.
    pub rti: RelIndex,
    /// Conditions on its rows.
    pub filter: Vec<Expr>,
}

/// `Values Scan`; the rows are in the range-table entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ValuesScan {
    /// The `VALUES` range-table entry.
    pub rti: RelIndex,
    /// Conditions on its rows.
    pub filter: Vec<Expr>,
}

/// `Insert` / `Update` / `Delete` on tables (`ModifyTable`).
#[derive(Debug, Clone, PartialEq)]
pub struct ModifyTable {
    /// `INSERT`, `UPDATE` or `DELETE`.
    pub operation: ModifyOperation,
    /// The modified tables (several for an inheritance tree or partitions).
    pub targets: Vec<ModifyTarget>,
    /// `ON CONFLICT` action, if any.
    pub on_conflict: Option<OnConflictAction>,
    /// Per target, the `RETURNING` expressions.
    pub returning_lists: Vec<Vec<Expr>>,
    /// The rows to insert, or the rows to update/delete with their identity.
    pub input: Box<PlanNode>,
}

/// One table a [`ModifyTable`] modifies.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ModifyTarget {
    /// The table's range-table entry.
    pub rti: RelIndex,
    /// For a foreign table modified row by row, the remote statement
    /// (EXPLAIN's `Remote SQL:` under the `ModifyTable`); `None` for local
    /// tables and for direct modification (where the input is a
    /// [`PlanKind::ForeignModify`]).
    pub foreign: Option<ForeignModify>,
}

/// `LockRows`.
#[derive(Debug, Clone, PartialEq)]
pub struct LockRows {
    /// The locked relations.
    pub row_marks: Vec<RowMarkClause>,
    /// The input.
    pub input: Box<PlanNode>,
}

/// `Unique`.
#[derive(Debug, Clone, PartialEq)]
pub struct Unique {
    /// Columns compared between adjacent rows.
    pub keys: Vec<Expr>,
    /// The (sorted) input.
    pub input: Box<PlanNode>,
}

/// `Materialize`.
#[derive(Debug, Clone, PartialEq)]
pub struct Materialize {
    /// The input.
    pub input: Box<PlanNode>,
}

/// `WindowAgg`.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowAgg {
    /// The [`crate::query::WindowClause::winref`] computed.
    pub winref: u32,
    /// `PARTITION BY` expressions.
    pub partition_keys: Vec<Expr>,
    /// `ORDER BY` keys.
    pub order_keys: Vec<SortKey>,
    /// PostgreSQL's `FRAMEOPTION_*` bits.
    pub frame_options: u32,
    /// The (sorted) input.
    pub input: Box<PlanNode>,
}

impl PlanNode {
    /// A node with no estimates, outputs or init-plans yet.
    pub fn new(kind: PlanKind) -> PlanNode {
        PlanNode {
            kind,
            cost: None,
            output: Vec::new(),
            init_plans: Vec::new(),
        }
    }

    /// The node's inputs, outer first.
    pub fn children(&self) -> Vec<&PlanNode> {
        match &self.kind {
            PlanKind::ForeignScan(_)
            | PlanKind::ForeignModify(_)
            | PlanKind::SeqScan(_)
            | PlanKind::ValuesScan(_) => Vec::new(),
            PlanKind::Result(result) => result.input.iter().map(|input| &**input).collect(),
            PlanKind::Join(join) => vec![&*join.outer, &*join.inner],
            PlanKind::Hash(hash) => vec![&*hash.input],
            PlanKind::Sort(sort) => vec![&*sort.input],
            PlanKind::Limit(limit) => vec![&*limit.input],
            PlanKind::Aggregate(agg) => vec![&*agg.input],
            PlanKind::Append(append) => append.children.iter().collect(),
            PlanKind::MergeAppend(merge) => merge.children.iter().collect(),
            PlanKind::SubqueryScan(scan) => vec![&*scan.input],
            PlanKind::ModifyTable(modify) => vec![&*modify.input],
            PlanKind::LockRows(lock) => vec![&*lock.input],
            PlanKind::Unique(unique) => vec![&*unique.input],
            PlanKind::Materialize(material) => vec![&*material.input],
            PlanKind::WindowAgg(window) => vec![&*window.input],
        }
    }

    /// Every [`RemoteQuery`] in this subtree, in pre-order: what the
    /// executor will send, and what EXPLAIN prints as `Remote SQL:` lines.
    pub fn remote_queries(&self) -> Vec<&RemoteQuery> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            match &node.kind {
                PlanKind::ForeignScan(scan) => out.push(&*scan.remote),
                PlanKind::ForeignModify(modify) => out.push(&modify.remote),
                PlanKind::ModifyTable(modify) => out.extend(
                    modify
                        .targets
                        .iter()
                        .filter_map(|target| target.foreign.as_ref())
                        .map(|foreign| &foreign.remote),
                ),
                PlanKind::Result(_)
                | PlanKind::Join(_)
                | PlanKind::Hash(_)
                | PlanKind::Sort(_)
                | PlanKind::Limit(_)
                | PlanKind::Aggregate(_)
                | PlanKind::Append(_)
                | PlanKind::MergeAppend(_)
                | PlanKind::SubqueryScan(_)
                | PlanKind::SeqScan(_)
                | PlanKind::ValuesScan(_)
                | PlanKind::LockRows(_)
                | PlanKind::Unique(_)
                | PlanKind::Materialize(_)
                | PlanKind::WindowAgg(_) => {}
            }
            stack.extend(node.children().into_iter().rev());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::Oid;

    fn remote(sql: &str) -> RemoteQuery {
        RemoteQuery {
            sql: sql.to_owned(),
            params: Vec::new(),
            retrieved_attrs: vec![AttrNumber(1)],
            remote_quals: Vec::new(),
            local_quals: Vec::new(),
        }
    }

    fn scan(rti: u32, sql: &str) -> PlanNode {
        PlanNode::new(PlanKind::ForeignScan(ForeignScan {
            kind: ForeignScanKind::Base,
            scan_relid: Some(RelIndex(rti)),
            relids: vec![RelIndex(rti)],
            relations: None,
            remote: Arc::new(remote(sql)),
            scan_tlist: Vec::new(),
            server: Oid(16_390),
            user: None,
            fetch_size: 100,
        }))
    }

    fn sqls(node: &PlanNode) -> Vec<&str> {
        node.remote_queries()
            .into_iter()
            .map(|query| query.sql.as_str())
            .collect()
    }

    #[test]
    fn remote_queries_are_listed_outer_first() {
        // A local hash join of two foreign scans under a Limit.
        let join = PlanNode::new(PlanKind::Join(JoinNode {
            method: JoinMethod::Hash {
                hash_clauses: Vec::new(),
            },
            join_type: JoinType::Inner,
            inner_unique: false,
            join_filter: Vec::new(),
            filter: Vec::new(),
            outer: Box::new(scan(1, "SELECT c1 FROM a")),
            inner: Box::new(PlanNode::new(PlanKind::Hash(HashNode {
                keys: Vec::new(),
                input: Box::new(scan(2, "SELECT c1 FROM b")),
            }))),
        }));
        let limit = PlanNode::new(PlanKind::Limit(Limit {
            count: None,
            offset: None,
            with_ties: false,
            input: Box::new(join),
        }));
        assert_eq!(sqls(&limit), ["SELECT c1 FROM a", "SELECT c1 FROM b"]);
        assert_eq!(limit.children().len(), 1);
    }

    #[test]
    fn row_by_row_update_lists_modify_then_scan() {
        let modify = ForeignModify {
            operation: ModifyOperation::Update,
            mode: ModifyMode::RowByRow,
            relation: RelIndex(1),
            remote: remote(r#"UPDATE "S 1"."T 1" SET c2 = $2 WHERE ctid = $1"#),
            target_attrs: vec![AttrNumber(2)],
            has_returning: false,
            batch_size: None,
        };
        let plan = PlanNode::new(PlanKind::ModifyTable(ModifyTable {
            operation: ModifyOperation::Update,
            targets: vec![ModifyTarget {
                rti: RelIndex(1),
                foreign: Some(modify),
            }],
            on_conflict: None,
            returning_lists: Vec::new(),
            input: Box::new(scan(
                1,
                r#"SELECT "C 1", c2, ctid FROM "S 1"."T 1" FOR UPDATE"#,
            )),
        }));
        assert_eq!(
            sqls(&plan),
            [
                r#"UPDATE "S 1"."T 1" SET c2 = $2 WHERE ctid = $1"#,
                r#"SELECT "C 1", c2, ctid FROM "S 1"."T 1" FOR UPDATE"#
            ]
        );
    }

    #[test]
    fn leaf_nodes_have_no_children() {
        let seq = PlanNode::new(PlanKind::SeqScan(SeqScan {
            rti: RelIndex(3),
            filter: Vec::new(),
        }));
        let one_row = PlanNode::new(PlanKind::Result(ResultNode {
            one_time_filter: Vec::new(),
            filter: Vec::new(),
            input: None,
        }));
        assert!(seq.children().is_empty());
        assert!(one_row.children().is_empty());
        assert!(sqls(&seq).is_empty());
    }
}
