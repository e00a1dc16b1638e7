//! The analyzed-query model: what PostgreSQL's parse analysis produces
//! (`Query` in `parsenodes.h`), restricted to what planning needs.
//!
//! Range-table indexes ([`RelIndex`]) are 1-based positions in
//! [`Query::rtable`]; `ressortgroupref`s tie [`SortGroupClause`]s to target
//! entries, as in PostgreSQL.

use crate::expr::Expr;
use crate::ids::{AttrNumber, Oid, RelIndex, TypMod};

/// One analyzed statement (`Query`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Query {
    /// What the statement does.
    pub command: CommandType,
    /// `WITH` queries.
    pub cte_list: Vec<CommonTableExpr>,
    /// The range table; [`RelIndex`] `n` is `rtable[n - 1]`.
    pub rtable: Vec<RangeTblEntry>,
    /// `FROM` and `WHERE`.
    pub jointree: FromExpr,
    /// The output columns (`SELECT` list), or the assigned columns of
    /// `INSERT` / `UPDATE` (each `resno` is then the target column's attnum).
    pub target_list: Vec<TargetEntry>,
    /// The target table of `INSERT` / `UPDATE` / `DELETE`.
    pub result_relation: Option<RelIndex>,
    /// `OVERRIDING ... VALUE` of an `INSERT`.
    pub overriding: OverridingKind,
    /// `ON CONFLICT` of an `INSERT`.
    pub on_conflict: Option<OnConflict>,
    /// `RETURNING`.
    pub returning_list: Vec<TargetEntry>,
    /// `WITH CHECK OPTION` constraints (`withCheckOptions`) of the views an
    /// `INSERT` / `UPDATE` was written against, rewritten onto
    /// [`Query::result_relation`]: each must hold for every new row, and is
    /// evaluated locally after the modification (so a foreign target has
    /// to return the columns they use). Empty for other statements.
    pub with_check_options: Vec<Expr>,
    /// `GROUP BY` items, referring to target entries.
    pub group_clause: Vec<SortGroupClause>,
    /// `GROUP BY DISTINCT` (PG 14+).
    pub group_distinct: bool,
    /// `GROUPING SETS` / `ROLLUP` / `CUBE`; empty for a plain `GROUP BY`.
    pub grouping_sets: Vec<GroupingSet>,
    /// `HAVING`.
    pub having_qual: Option<Expr>,
    /// `WINDOW` clauses, named and anonymous.
    pub window_clause: Vec<WindowClause>,
    /// `DISTINCT` / `DISTINCT ON` items, referring to target entries.
    pub distinct_clause: Vec<SortGroupClause>,
    /// The `DISTINCT` is a `DISTINCT ON`.
    pub has_distinct_on: bool,
    /// `ORDER BY` items, referring to target entries.
    pub sort_clause: Vec<SortGroupClause>,
    /// `OFFSET`, coerced to `bigint`.
    pub limit_offset: Option<Expr>,
    /// `LIMIT` / `FETCH FIRST`, coerced to `bigint`.
    pub limit_count: Option<Expr>,
    /// Plain `LIMIT` or `FETCH FIRST ... WITH TIES`.
    pub limit_option: LimitOption,
    /// `FOR UPDATE` / `FOR SHARE` ... per relation.
    pub row_marks: Vec<RowMarkClause>,
    /// `UNION` / `INTERSECT` / `EXCEPT` tree; its leaves are subquery range-table entries.
    pub set_operations: Option<SetOperationStmt>,
    /// Types of `$1`, `$2`, ... (index `n - 1` for `$n`).
    pub param_types: Vec<Oid>,
}

/// The kind of statement (`CmdType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum CommandType {
    /// `SELECT`.
    #[default]
    Select,
    /// `INSERT`.
    Insert,
    /// `UPDATE`.
    Update,
    /// `DELETE`.
    Delete,
}

/// One output column or assigned value (`TargetEntry`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TargetEntry {
    /// The value.
    pub expr: Expr,
    /// 1-based position in the list; the target column's attnum for
    /// `INSERT` / `UPDATE`.
    pub resno: AttrNumber,
    /// Column name, when there is one.
    pub resname: Option<String>,
    /// Non-zero when a [`SortGroupClause`] refers to this entry.
    pub ressortgroupref: u32,
    /// Not part of the visible result (sort keys not selected, row
    /// identity columns such as `ctid`).
    pub resjunk: bool,
}

/// One `GROUP BY`, `ORDER BY`, `DISTINCT` or window partition/order item
/// (`SortGroupClause`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SortGroupClause {
    /// The `ressortgroupref` of the target entry it refers to.
    pub tle_sort_group_ref: u32,
    /// Equality operator, for grouping and `DISTINCT`.
    pub eqop: Oid,
    /// Ordering operator (`<` for ascending, `>` for descending, or a
    /// `USING` operator); invalid when only grouping is needed.
    pub sortop: Oid,
    /// `NULLS FIRST` (explicit or implied by the direction).
    pub nulls_first: bool,
    /// Grouping could be done by hashing.
    pub hashable: bool,
}

/// One node of a `GROUPING SETS` specification (`GroupingSet`), referring to
/// `GROUP BY` items by `ressortgroupref`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GroupingSet {
    /// `()`.
    Empty,
    /// A plain list of grouping columns.
    Simple(Vec<u32>),
    /// `ROLLUP (...)`.
    Rollup(Vec<GroupingSet>),
    /// `CUBE (...)`.
    Cube(Vec<GroupingSet>),
    /// `GROUPING SETS (...)`.
    Sets(Vec<GroupingSet>),
}

/// A window definition (`WindowClause`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WindowClause {
    /// Name from `WINDOW w AS (...)`, if any.
    pub name: Option<String>,
    /// Name of a window this one copies, if any.
    pub refname: Option<String>,
    /// `PARTITION BY` items.
    pub partition_clause: Vec<SortGroupClause>,
    /// `ORDER BY` items.
    pub order_clause: Vec<SortGroupClause>,
    /// PostgreSQL's `FRAMEOPTION_*` bit set, kept as is: nothing in fdw
    /// interprets frames, EXPLAIN only prints them.
    pub frame_options: u32,
    /// Offset of the frame start (`n PRECEDING`), if any.
    pub start_offset: Option<Expr>,
    /// Offset of the frame end, if any.
    pub end_offset: Option<Expr>,
    /// The `winref` window functions use to refer to this clause.
    pub winref: u32,
}

/// `OFFSET ... FETCH FIRST` variants (`LimitOption`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum LimitOption {
    /// `LIMIT n` or `FETCH FIRST n ROWS ONLY`.
    #[default]
    Count,
    /// `FETCH FIRST n ROWS WITH TIES`; never pushed down.
    WithTies,
}

/// Lock strength of a row mark (`LockClauseStrength`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LockStrength {
    /// `FOR KEY SHARE`.
    KeyShare,
    /// `FOR SHARE`.
    Share,
    /// `FOR NO KEY UPDATE`.
    NoKeyUpdate,
    /// `FOR UPDATE`.
    Update,
}

/// What to do when a row is already locked (`LockWaitPolicy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LockWaitPolicy {
    /// Wait (the default).
    Block,
    /// `SKIP LOCKED`.
    Skip,
    /// `NOWAIT`.
    Error,
}

/// `FOR UPDATE` and friends for one relation (`RowMarkClause`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RowMarkClause {
    /// The locked relation.
    pub rti: RelIndex,
    /// Lock strength.
    pub strength: LockStrength,
    /// Wait policy.
    pub wait_policy: LockWaitPolicy,
    /// Inherited from an outer query level rather than written here.
    pub pushed_down: bool,
}

/// A `WITH` query (`CommonTableExpr`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CommonTableExpr {
    /// Its name.
    pub ctename: String,
    /// Column aliases as written.
    pub aliascolnames: Vec<String>,
    /// `MATERIALIZED` / `NOT MATERIALIZED`.
    pub materialized: CteMaterialize,
    /// The query.
    pub query: Box<Query>,
    /// Part of `WITH RECURSIVE` and self-referencing.
    pub recursive: bool,
    /// Number of references to it.
    pub refcount: u32,
    /// Output column names.
    pub colnames: Vec<String>,
    /// Output column types.
    pub coltypes: Vec<Oid>,
    /// Output column typmods.
    pub coltypmods: Vec<TypMod>,
    /// Output column collations.
    pub colcollations: Vec<Oid>,
}

/// `[NOT] MATERIALIZED` on a `WITH` query (`CTEMaterialize`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CteMaterialize {
    /// Neither was written.
    Default,
    /// `MATERIALIZED`.
    Always,
    /// `NOT MATERIALIZED`.
    Never,
}

/// A set operation (`SetOperationStmt`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SetOperationStmt {
    /// Which operation.
    pub op: SetOperation,
    /// `ALL`.
    pub all: bool,
    /// Left input.
    pub larg: SetOperationArg,
    /// Right input.
    pub rarg: SetOperationArg,
    /// Output column types.
    pub col_types: Vec<Oid>,
    /// Output column typmods.
    pub col_typmods: Vec<TypMod>,
    /// Output column collations.
    pub col_collations: Vec<Oid>,
    /// Grouping operators per column, used without `ALL`.
    pub group_clauses: Vec<SortGroupClause>,
}

/// `UNION`, `INTERSECT` or `EXCEPT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SetOperation {
    /// `UNION`.
    Union,
    /// `INTERSECT`.
    Intersect,
    /// `EXCEPT`.
    Except,
}

/// An input of a [`SetOperationStmt`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SetOperationArg {
    /// A subquery range-table entry.
    Leaf(RelIndex),
    /// A nested set operation.
    Op(Box<SetOperationStmt>),
}

/// `OVERRIDING ... VALUE` of an `INSERT` (`OverridingKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum OverridingKind {
    /// Not written.
    #[default]
    NotSet,
    /// `OVERRIDING USER VALUE`.
    UserValue,
    /// `OVERRIDING SYSTEM VALUE`.
    SystemValue,
}

/// `ON CONFLICT` (`OnConflictExpr`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OnConflict {
    /// `DO NOTHING` or `DO UPDATE`.
    pub action: OnConflictAction,
    /// The conflict target; `None` when none was written (the only form
    /// postgres_fdw accepts, with `DO NOTHING`).
    pub arbiter: Option<ConflictArbiter>,
    /// `SET` of `DO UPDATE`; `resno`s are target attnums.
    pub on_conflict_set: Vec<TargetEntry>,
    /// `WHERE` of `DO UPDATE`.
    pub on_conflict_where: Option<Expr>,
    /// Range-table index of the `excluded` pseudo-relation (`DO UPDATE` only).
    pub excluded_rel: Option<RelIndex>,
}

/// What `ON CONFLICT` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OnConflictAction {
    /// `DO NOTHING`.
    Nothing,
    /// `DO UPDATE SET ...`.
    Update,
}

/// How the conflicting unique index is chosen.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ConflictArbiter {
    /// `(col, (expr) ...) [WHERE ...]`: index inference.
    Inference {
        /// The inference elements.
        elems: Vec<InferenceElem>,
        /// The partial-index predicate.
        where_clause: Option<Expr>,
    },
    /// `ON CONSTRAINT name`.
    Constraint(Oid),
}

/// One element of an `ON CONFLICT` inference specification (`InferenceElem`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InferenceElem {
    /// Column or expression.
    pub expr: Expr,
    /// Collation required, invalid when any.
    pub infercollid: Oid,
    /// Operator class required, invalid when any.
    pub inferopclass: Oid,
}

/// An entry of the range table (`RangeTblEntry`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RangeTblEntry {
    /// What the entry is.
    pub kind: RteKind,
    /// The alias as written (`FROM ft1 t1` gives `t1`), if any.
    pub alias: Option<Alias>,
    /// The effective name and column names (`eref`): the alias, or the
    /// relation's own name and all its column names (dropped ones as empty
    /// strings, keeping attnum positions).
    pub eref: Alias,
    /// `LATERAL`.
    pub lateral: bool,
    /// Written in `FROM` (false for the `excluded` and `NEW`/`OLD` entries).
    pub in_from_cl: bool,
}

/// The kinds of range-table entries (`RTEKind`) with their payloads.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RteKind {
    /// A table, view, foreign table, ... (`RTE_RELATION`).
    Relation {
        /// The relation.
        relid: Oid,
        /// Its kind.
        relkind: RelKind,
        /// Include inheritance children / partitions (no `ONLY`).
        inh: bool,
        /// Run permission checks (and pick the user mapping) as this role
        /// instead of the current user: set for relations used through a
        /// view.
        check_as_user: Option<Oid>,
        /// `TABLESAMPLE` method, if any (never pushed down).
        tablesample: Option<Oid>,
    },
    /// A sub-select in `FROM` (`RTE_SUBQUERY`).
    Subquery {
        /// The query.
        query: Box<Query>,
        /// Came from a `security_barrier` view.
        security_barrier: bool,
    },
    /// A join written with `JOIN` syntax (`RTE_JOIN`).
    Join {
        /// The join type.
        jointype: JoinType,
        /// Number of merged `USING` columns at the start of the output.
        joinmergedcols: u32,
        /// The join's output columns as expressions over its inputs
        /// (`Var`s, or `COALESCE` for merged `FULL JOIN USING` columns).
        joinaliasvars: Vec<Expr>,
        /// Left input column numbers of the output columns.
        joinleftcols: Vec<AttrNumber>,
        /// Right input column numbers of the output columns.
        joinrightcols: Vec<AttrNumber>,
    },
    /// Set-returning functions in `FROM` (`RTE_FUNCTION`).
    Function {
        /// The function calls (`ROWS FROM (f(), g())` has two).
        functions: Vec<RangeTblFunction>,
        /// `WITH ORDINALITY`.
        ordinality: bool,
    },
    /// `XMLTABLE` / `JSON_TABLE` (`RTE_TABLEFUNC`), kept opaque.
    TableFunc {
        /// Output column types.
        coltypes: Vec<Oid>,
    },
    /// `VALUES (...), (...)` (`RTE_VALUES`).
    Values {
        /// The rows.
        values_lists: Vec<Vec<Expr>>,
        /// Column types.
        coltypes: Vec<Oid>,
        /// Column typmods.
        coltypmods: Vec<TypMod>,
        /// Column collations.
        colcollations: Vec<Oid>,
    },
    /// A reference to a `WITH` query (`RTE_CTE`).
    Cte {
        /// Its name.
        ctename: String,
        /// How many query levels up it is defined.
        ctelevelsup: u32,
        /// A recursive self-reference.
        self_reference: bool,
    },
    /// A transition table of a trigger (`RTE_NAMEDTUPLESTORE`).
    NamedTuplestore {
        /// Its name.
        enrname: String,
    },
    /// An empty `FROM` (`RTE_RESULT`).
    Result,
}

/// A name with column names (`Alias`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Alias {
    /// The name.
    pub aliasname: String,
    /// Column names (possibly fewer than the columns, for a user alias).
    pub colnames: Vec<String>,
}

/// A relation's kind (`pg_class.relkind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RelKind {
    /// `r`: ordinary table.
    Table,
    /// `i`: index.
    Index,
    /// `S`: sequence.
    Sequence,
    /// `t`: TOAST table.
    Toast,
    /// `v`: view.
    View,
    /// `m`: materialized view.
    MaterializedView,
    /// `c`: composite type.
    CompositeType,
    /// `f`: foreign table.
    ForeignTable,
    /// `p`: partitioned table.
    PartitionedTable,
    /// `I`: partitioned index.
    PartitionedIndex,
}

/// One function of a `FROM` function entry (`RangeTblFunction`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RangeTblFunction {
    /// The call.
    pub funcexpr: Expr,
    /// Number of output columns it contributes.
    pub funccolcount: u32,
    /// Column types from a column definition list (`AS (a int, ...)`), if any.
    pub funccoltypes: Vec<Oid>,
}

/// Join types (`JoinType`), as parse analysis and the planner use them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum JoinType {
    /// `INNER JOIN` (and comma joins).
    Inner,
    /// `LEFT JOIN`.
    Left,
    /// `FULL JOIN`.
    Full,
    /// `RIGHT JOIN`.
    Right,
    /// Semi-join, made by the planner from `EXISTS` / `IN`.
    Semi,
    /// Anti-join, made by the planner from `NOT EXISTS`.
    Anti,
    /// Right anti-join: anti-join with the inputs swapped (PG 16+ plans).
    RightAnti,
    /// Right semi-join (PG 18+ plans).
    RightSemi,
}

/// `FROM` list and `WHERE` (`FromExpr`); also an inner join level after
/// flattening.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct FromExpr {
    /// The items of the `FROM` list.
    pub fromlist: Vec<JoinTreeNode>,
    /// `WHERE`, if any.
    pub quals: Option<Expr>,
}

/// One item of a join tree.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum JoinTreeNode {
    /// A range-table entry (`RangeTblRef`).
    RangeTblRef(RelIndex),
    /// A `JOIN` (`JoinExpr`).
    Join(Box<JoinExpr>),
    /// A nested `FROM` list (`FromExpr`).
    From(Box<FromExpr>),
}

/// `larg JOIN rarg ON quals` (`JoinExpr`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct JoinExpr {
    /// The join type.
    pub jointype: JoinType,
    /// `NATURAL`.
    pub is_natural: bool,
    /// Left input.
    pub larg: JoinTreeNode,
    /// Right input.
    pub rarg: JoinTreeNode,
    /// `USING` column names.
    pub using_clause: Vec<String>,
    /// `ON` condition (`USING` is turned into one too).
    pub quals: Option<Expr>,
    /// `AS alias` of the join, if any.
    pub alias: Option<Alias>,
    /// The join's own range-table entry.
    pub rtindex: Option<RelIndex>,
}

impl Query {
    /// The range-table entry of `index`, `None` when out of range.
    pub fn rte(&self, index: RelIndex) -> Option<&RangeTblEntry> {
        let position = usize::try_from(index.0).ok()?.checked_sub(1)?;
        self.rtable.get(position)
    }

    /// The target entry a sort/group clause refers to.
    pub fn sort_group_target(&self, clause: &SortGroupClause) -> Option<&TargetEntry> {
        target_for_sort_group_ref(&self.target_list, clause.tle_sort_group_ref)
    }
}

/// The entry of `target_list` with the given non-zero `ressortgroupref`
/// (`get_sortgroupref_tle`).
pub fn target_for_sort_group_ref(
    target_list: &[TargetEntry],
    sort_group_ref: u32,
) -> Option<&TargetEntry> {
    if sort_group_ref == 0 {
        return None;
    }
    target_list
        .iter()
        .find(|tle| tle.ressortgroupref == sort_group_ref)
}

impl RelKind {
    /// The `pg_class.relkind` letter.
    pub fn as_char(self) -> char {
        match self {
            RelKind::Table => 'r',
            RelKind::Index => 'i',
            RelKind::Sequence => 'S',
            RelKind::Toast => 't',
            RelKind::View => 'v',
            RelKind::MaterializedView => 'm',
            RelKind::CompositeType => 'c',
            RelKind::ForeignTable => 'f',
            RelKind::PartitionedTable => 'p',
            RelKind::PartitionedIndex => 'I',
        }
    }

    /// The kind for a `pg_class.relkind` letter, `None` for an unknown one.
    pub fn from_char(letter: char) -> Option<RelKind> {
        let kind = match letter {
            'r' => RelKind::Table,
            'i' => RelKind::Index,
            'S' => RelKind::Sequence,
            't' => RelKind::Toast,
            'v' => RelKind::View,
            'm' => RelKind::MaterializedView,
            'c' => RelKind::CompositeType,
            'f' => RelKind::ForeignTable,
            'p' => RelKind::PartitionedTable,
            'I' => RelKind::PartitionedIndex,
            _ => return None,
        };
        Some(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{Const, Var};

    fn foreign_table(relid: u32, name: &str) -> RangeTblEntry {
        RangeTblEntry {
            kind: RteKind::Relation {
                relid: Oid(relid),
                relkind: RelKind::ForeignTable,
                inh: true,
                check_as_user: None,
                tablesample: None,
            },
            alias: None,
            eref: Alias {
                aliasname: name.to_owned(),
                colnames: vec!["c1".to_owned(), "c2".to_owned()],
            },
            lateral: false,
            in_from_cl: true,
        }
    }

    fn column(attno: i16, sort_group_ref: u32) -> TargetEntry {
        TargetEntry {
            expr: Expr::Var(Var::new(
                RelIndex(1),
                AttrNumber(attno),
                Oid(23),
                -1,
                Oid::INVALID,
            )),
            resno: AttrNumber(attno),
            resname: Some(format!("c{attno}")),
            ressortgroupref: sort_group_ref,
            resjunk: false,
        }
    }

    fn order_by(sort_group_ref: u32) -> SortGroupClause {
        SortGroupClause {
            tle_sort_group_ref: sort_group_ref,
            eqop: Oid(96),
            sortop: Oid(97),
            nulls_first: false,
            hashable: true,
        }
    }

    #[test]
    fn range_table_index_is_one_based() {
        let query = Query {
            rtable: vec![foreign_table(16_807, "ft1"), foreign_table(16_810, "ft2")],
            ..Query::default()
        };
        assert_eq!(
            query
                .rte(RelIndex(2))
                .map(|rte| rte.eref.aliasname.as_str()),
            Some("ft2")
        );
        assert!(query.rte(RelIndex(0)).is_none());
        assert!(query.rte(RelIndex(3)).is_none());
    }

    #[test]
    fn sort_clause_finds_its_target_entry() {
        // SELECT c1, c2 FROM ft1 ORDER BY c2
        let query = Query {
            rtable: vec![foreign_table(16_807, "ft1")],
            jointree: FromExpr {
                fromlist: vec![JoinTreeNode::RangeTblRef(RelIndex(1))],
                quals: None,
            },
            target_list: vec![column(1, 0), column(2, 1)],
            sort_clause: vec![order_by(1)],
            ..Query::default()
        };
        let target = query.sort_group_target(&query.sort_clause[0]);
        assert_eq!(target.map(|tle| tle.resno), Some(AttrNumber(2)));
    }

    #[test]
    fn zero_sort_group_ref_matches_nothing() {
        let targets = [column(1, 0)];
        assert!(target_for_sort_group_ref(&targets, 0).is_none());
    }

    #[test]
    fn relkind_letters_round_trip() {
        let kinds = [
            RelKind::Table,
            RelKind::Index,
            RelKind::Sequence,
            RelKind::Toast,
            RelKind::View,
            RelKind::MaterializedView,
            RelKind::CompositeType,
            RelKind::ForeignTable,
            RelKind::PartitionedTable,
            RelKind::PartitionedIndex,
        ];
        let letters: String = kinds.iter().map(|kind| kind.as_char()).collect();
        assert_eq!(letters, "riStvmcfpI");
        for kind in kinds {
            assert_eq!(RelKind::from_char(kind.as_char()), Some(kind));
        }
        assert_eq!(RelKind::from_char('x'), None);
    }

    #[test]
    fn default_query_is_an_empty_select() {
        let query = Query::default();
        assert_eq!(query.command, CommandType::Select);
        assert_eq!(query.limit_option, LimitOption::Count);
        assert!(query.rtable.is_empty() && query.jointree.fromlist.is_empty());
    }

    #[test]
    fn insert_on_conflict_do_nothing_is_representable() {
        // INSERT INTO ft1 (c1) VALUES (1) ON CONFLICT DO NOTHING RETURNING c1
        let query = Query {
            command: CommandType::Insert,
            rtable: vec![foreign_table(16_807, "ft1")],
            result_relation: Some(RelIndex(1)),
            target_list: vec![TargetEntry {
                expr: Expr::Const(Const::new(Oid(23), Oid::INVALID, "1")),
                ..column(1, 0)
            }],
            on_conflict: Some(OnConflict {
                action: OnConflictAction::Nothing,
                arbiter: None,
                on_conflict_set: Vec::new(),
                on_conflict_where: None,
                excluded_rel: None,
            }),
            returning_list: vec![column(1, 0)],
            ..Query::default()
        };
        let copy = query.clone();
        assert_eq!(copy, query);
        assert_ne!(
            copy,
            Query {
                on_conflict: None,
                ..query
            }
        );
    }
}
