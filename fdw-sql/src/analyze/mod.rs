//! Parse analysis: statements to `fdw_core::Query` (names, scopes, target
//! lists, clauses, DML), the tree PostgreSQL's `parse_analyze` builds.
//!
//! [`ParseState`] is the analysis context shared with the expression
//! transformer ([`expr`]): the catalog, the declared parameter types, one
//! [`Level`] per query nesting level (range table being built, the
//! namespace of visible range-table entries, `WITH` queries, the
//! aggregate/window flags) and the current [`ExprKind`]. Column references
//! resolve innermost level first, so a reference found `n` levels out
//! becomes a `Var` with `varlevelsup = n`, as in PostgreSQL.
//!
//! Column references resolve to the *semantic* referent PostgreSQL 13+
//! gives them (`ParseNamespaceColumn`): a column of an unaliased or aliased
//! join that is a plain input column is a `Var` of the input relation; only
//! a merged `USING` column that is not a plain input column (`FULL JOIN`
//! gives `COALESCE`) is a `Var` of the join entry, which
//! `joins::flatten_join_alias_vars` later replaces as the planner does.

mod agg;
mod clause;
mod deps;
pub mod expr;
mod from;
mod modify;
mod select;
mod view;

use std::borrow::Cow;

use fdw_catalog::catalog::Catalog;
use fdw_core::expr::{Expr, Var};
use fdw_core::query::{Query, RangeTblEntry, RteKind};
use fdw_core::{AttrNumber, Oid, RelIndex, TypMod};
use sqlparser::ast::{Ident, Statement};

use crate::error::{Error, Position, Result, SqlState};

pub use clause::{sort_group_clause_for_type, sort_operators};
pub use select::figure_colname;

/// The deepest query-nesting level (sub-selects inside sub-selects) the
/// analyzer accepts; each level is a recursive call.
const MAX_QUERY_LEVELS: usize = 64;

/// `unknown`: the type of a quoted literal before context resolves it.
pub(crate) const UNKNOWN: Oid = Oid(705);
/// `text`.
pub(crate) const TEXT: Oid = Oid(25);

/// Where an expression appears (`ParseExprKind`): decides which constructs
/// are allowed there (aggregates, window functions, set-returning
/// functions) and names the place in PostgreSQL's error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ExprKind {
    /// Not inside any clause (the initial state).
    #[default]
    None,
    /// Somewhere PostgreSQL has no special rules for.
    Other,
    /// `JOIN ... ON`.
    JoinOn,
    /// `JOIN ... USING` (the merged-column comparison).
    JoinUsing,
    /// A sub-select in `FROM`.
    FromSubselect,
    /// A function in `FROM`.
    FromFunction,
    /// `WHERE`.
    Where,
    /// `HAVING`.
    Having,
    /// `FILTER (WHERE ...)` of an aggregate.
    Filter,
    /// `PARTITION BY` of a window.
    WindowPartition,
    /// `ORDER BY` of a window.
    WindowOrder,
    /// `RANGE` frame offsets of a window.
    WindowFrameRange,
    /// `ROWS` frame offsets of a window.
    WindowFrameRows,
    /// `GROUPS` frame offsets of a window.
    WindowFrameGroups,
    /// The `SELECT` list.
    SelectTarget,
    /// Target columns of `INSERT` (`INSERT INTO t (a, b)`).
    InsertTarget,
    /// The value side of `UPDATE ... SET`.
    UpdateSource,
    /// The column side of `UPDATE ... SET`.
    UpdateTarget,
    /// `GROUP BY`.
    GroupBy,
    /// `ORDER BY`.
    OrderBy,
    /// `DISTINCT ON`.
    DistinctOn,
    /// `LIMIT`.
    Limit,
    /// `OFFSET`.
    Offset,
    /// `RETURNING`.
    Returning,
    /// A `VALUES` list with several rows.
    Values,
    /// A single-row `VALUES` of `INSERT` (treated like a target list).
    ValuesSingle,
    /// `EXECUTE` parameters and other statement-level values.
    ExecuteParameter,
}

impl ExprKind {
    /// The place's name in PostgreSQL's messages (`ParseExprKindName`).
    pub fn name(self) -> &'static str {
        match self {
            ExprKind::None => "invalid expression context",
            ExprKind::Other => "extension expression",
            ExprKind::JoinOn => "JOIN/ON",
            ExprKind::JoinUsing => "JOIN/USING",
            ExprKind::FromSubselect => "sub-SELECT in FROM",
            ExprKind::FromFunction => "function in FROM",
            ExprKind::Where => "WHERE",
            ExprKind::Having => "HAVING",
            ExprKind::Filter => "FILTER",
            ExprKind::WindowPartition => "window PARTITION BY",
            ExprKind::WindowOrder => "window ORDER BY",
            ExprKind::WindowFrameRange => "window RANGE",
            ExprKind::WindowFrameRows => "window ROWS",
            ExprKind::WindowFrameGroups => "window GROUPS",
            ExprKind::SelectTarget => "SELECT",
            ExprKind::InsertTarget => "INSERT",
            ExprKind::UpdateSource | ExprKind::UpdateTarget => "UPDATE",
            ExprKind::GroupBy => "GROUP BY",
            ExprKind::OrderBy => "ORDER BY",
            ExprKind::DistinctOn => "DISTINCT ON",
            ExprKind::Limit => "LIMIT",
            ExprKind::Offset => "OFFSET",
            ExprKind::Returning => "RETURNING",
            ExprKind::Values | ExprKind::ValuesSingle => "VALUES",
            ExprKind::ExecuteParameter => "EXECUTE",
        }
    }
}

/// One column of a range-table entry as name resolution sees it
/// (`ParseNamespaceColumn`): its name, type, and the `Var` a reference to
/// it becomes (for join columns, usually a `Var` of an input relation).
///
/// The name borrows the catalog's column name, or the name of the join
/// side it comes from, when it is the same text: every column of every
/// relation and join in `FROM` has one, and copying each was most of a
/// join's analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NsColumn<'a> {
    /// Column name (empty for a dropped column).
    pub name: Cow<'a, str>,
    /// The column is dropped: invisible to names and `*`.
    pub dropped: bool,
    /// Type.
    pub type_oid: Oid,
    /// Type modifier.
    pub typmod: TypMod,
    /// Collation.
    pub collation: Oid,
    /// Range-table index a reference becomes a `Var` of.
    pub varno: RelIndex,
    /// Attribute number in that entry.
    pub varattno: AttrNumber,
}

/// An entry of a level's namespace (`ParseNamespaceItem`): which
/// range-table entry, and how it can be referred to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NsItem {
    /// The range-table entry.
    pub rtindex: RelIndex,
    /// Visible as a qualifier (`t.col`).
    pub rel_visible: bool,
    /// Its columns are visible unqualified.
    pub cols_visible: bool,
    /// Visible only to `LATERAL` items (while the `FROM` list is built).
    pub lateral_only: bool,
    /// `lateral_only` items may be referenced right now.
    pub lateral_ok: bool,
}

/// A `WITH` query visible at a level, after analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CteEntry {
    pub(crate) name: String,
    /// Index into the level's query's `cte_list`.
    pub(crate) index: usize,
    pub(crate) colnames: Vec<String>,
    pub(crate) coltypes: Vec<Oid>,
    pub(crate) coltypmods: Vec<TypMod>,
    pub(crate) colcollations: Vec<Oid>,
}

/// A window requested by an `OVER` clause or a `WINDOW` item, kept as
/// written until the query's clauses are known.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PendingWindow {
    pub(crate) name: Option<String>,
    pub(crate) spec: sqlparser::ast::WindowSpec,
    pub(crate) position: Option<Position>,
}

/// The state of one query level (one `ParseState` in PostgreSQL's chain).
#[derive(Debug, Clone, Default)]
pub struct Level<'a> {
    /// The range table being built.
    pub rtable: Vec<RangeTblEntry>,
    /// Columns of each range-table entry, parallel to `rtable`.
    pub rte_columns: Vec<Vec<NsColumn<'a>>>,
    /// The visible entries.
    pub namespace: Vec<NsItem>,
    /// Entries whose columns are visible unqualified only to `ORDER BY`
    /// and the like are not modelled: PostgreSQL has none for SELECT.
    pub(crate) ctes: Vec<CteEntry>,
    pub(crate) cte_list: Vec<fdw_core::query::CommonTableExpr>,
    /// An aggregate of this level was seen.
    pub has_aggs: bool,
    /// A window function of this level was seen.
    pub has_window_funcs: bool,
    /// A sub-select was seen.
    pub has_sublinks: bool,
    pub(crate) windows: Vec<PendingWindow>,
    /// `LATERAL` references are allowed right now (inside a `LATERAL` item).
    pub lateral_active: bool,
    /// Index of the `INSERT`/`UPDATE`/`DELETE` target, if any.
    pub(crate) result_relation: Option<RelIndex>,
    /// The expression kind this level was in when a sub-query level was
    /// entered: aggregates of an outer level found inside a sub-select
    /// are checked against it.
    pub(crate) saved_kind: ExprKind,
}

/// The analysis context (`ParseState`).
#[derive(Debug)]
pub struct ParseState<'a> {
    /// The catalog names resolve against.
    pub catalog: &'a Catalog,
    /// Declared types of `$1`, `$2`, ...
    pub param_types: Vec<Oid>,
    /// Names of `$1`, `$2`, ... while analyzing a SQL function's body
    /// (`sql_fn_post_column_ref`): a lone name that is no column is the
    /// parameter of that name. Empty elsewhere.
    pub param_names: Vec<Option<String>>,
    /// Where the expression being transformed appears.
    pub expr_kind: ExprKind,
    /// Query levels, outermost first; the last is the current one.
    levels: Vec<Level<'a>>,
    /// Positions: the expression transformer's current nesting depth, for
    /// the depth limit.
    pub depth: usize,
    /// The views whose definitions are being analyzed, outermost first
    /// (to detect a view that refers to itself).
    pub views: Vec<Oid>,
}

/// Converts a sqlparser span to a position (`None` for an empty span).
pub fn span_position(span: sqlparser::tokenizer::Span) -> Option<Position> {
    (span.start.line > 0).then_some(Position {
        line: span.start.line,
        column: span.start.column,
    })
}

/// The position of an expression (its first token).
pub fn expr_position(expr: &sqlparser::ast::Expr) -> Option<Position> {
    use sqlparser::ast::Spanned;
    span_position(expr.span())
}

/// The position of an identifier.
pub fn ident_position(ident: &Ident) -> Option<Position> {
    span_position(ident.span)
}

/// PostgreSQL's reading of an identifier: unquoted names are folded to
/// lower case (ASCII letters only, as `downcase_identifier` does in a UTF8
/// database), quoted names are kept as written, and both are truncated to
/// 63 bytes at a character boundary (`truncate_identifier`), as the DDL
/// loader truncates the names it creates.
pub fn ident_name(ident: &Ident) -> String {
    fdw_catalog::ddl::fold_identifier(&ident.value, ident.quote_style.is_some())
}

/// [`ident_name`] without a copy when folding changes nothing (a quoted
/// name, or one with no upper-case ASCII letter, of at most 63 bytes):
/// column references are resolved for every name in a query, and these
/// copies were a good part of name resolution's allocations.
pub(crate) fn ident_name_ref(ident: &Ident) -> Cow<'_, str> {
    let value = ident.value.as_str();
    let unchanged = value.len() <= MAX_IDENTIFIER_BYTES
        && (ident.quote_style.is_some() || !value.bytes().any(|b| b.is_ascii_uppercase()));
    if unchanged {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(ident_name(ident))
    }
}

/// NAMEDATALEN - 1: the longest identifier PostgreSQL keeps whole.
const MAX_IDENTIFIER_BYTES: usize = 63;

/// `candidate == wanted`, rejecting most mismatches by length and last
/// byte before comparing the bytes: every column reference is compared
/// with every column of the entries it may belong to, mostly short names
/// of equal length differing at the end (`c1`, `c2`, ...), and a call to
/// `memcmp` for each was most of the cost of name resolution.
fn same_name(candidate: &str, wanted: &str) -> bool {
    let (a, b) = (candidate.as_bytes(), wanted.as_bytes());
    a.len() == b.len() && a.last() == b.last() && a == b
}

/// The type, typmod and name of a system column (`SystemAttributeByName`).
fn system_column(name: &str) -> Option<(AttrNumber, Oid)> {
    let column = match name {
        "ctid" => (AttrNumber::CTID, Oid(27)),
        "xmin" => (AttrNumber::XMIN, Oid(28)),
        "cmin" => (AttrNumber::CMIN, Oid(29)),
        "xmax" => (AttrNumber::XMAX, Oid(28)),
        "cmax" => (AttrNumber::CMAX, Oid(29)),
        "tableoid" => (AttrNumber::TABLEOID, Oid(26)),
        _ => return None,
    };
    Some(column)
}

/// A relation reference found by name: level (0 = current) and entry.
#[derive(Debug, Clone, Copy)]
struct FoundRel {
    levelsup: usize,
    rtindex: RelIndex,
}

impl<'a> ParseState<'a> {
    /// A fresh state with one (empty) query level.
    pub fn new(catalog: &'a Catalog, param_types: &[Oid]) -> ParseState<'a> {
        ParseState {
            catalog,
            param_types: param_types.to_vec(),
            param_names: Vec::new(),
            expr_kind: ExprKind::None,
            levels: vec![Level::default()],
            depth: 0,
            views: Vec::new(),
        }
    }

    /// The current level.
    pub fn level(&self) -> &Level<'a> {
        // `levels` is never empty: `new` pushes one and pops are paired.
        &self.levels[self.levels.len() - 1]
    }

    /// The current level, mutably.
    pub fn level_mut(&mut self) -> &mut Level<'a> {
        let last = self.levels.len() - 1;
        &mut self.levels[last]
    }

    /// Number of enclosing query levels (0 at the top).
    pub fn nesting(&self) -> usize {
        self.levels.len() - 1
    }

    /// The level `levelsup` levels out from the current one.
    fn level_at(&self, levelsup: usize) -> Option<&Level<'a>> {
        let index = self.levels.len().checked_sub(levelsup + 1)?;
        self.levels.get(index)
    }

    fn level_at_mut(&mut self, levelsup: usize) -> Option<&mut Level<'a>> {
        let index = self.levels.len().checked_sub(levelsup + 1)?;
        self.levels.get_mut(index)
    }

    /// Runs `f` with a new, empty query level pushed (sub-selects, `FROM`
    /// sub-queries, CTEs, set-operation leaves), popping it afterwards.
    /// `correlated` keeps the outer levels visible; uncorrelated sub-queries
    /// in `FROM` hide the current level's namespace unless `LATERAL`.
    pub(crate) fn with_child_level<T>(
        &mut self,
        f: impl FnOnce(&mut ParseState<'a>) -> Result<T>,
    ) -> Result<T> {
        if self.levels.len() >= MAX_QUERY_LEVELS {
            return Err(Error::TooDeep {
                limit: MAX_QUERY_LEVELS,
            });
        }
        let saved_kind = self.expr_kind;
        self.level_mut().saved_kind = saved_kind;
        self.levels.push(Level::default());
        let result = f(self);
        self.levels.pop();
        self.expr_kind = saved_kind;
        result
    }

    /// The declared type of `$n`; PostgreSQL's "there is no parameter $n"
    /// (42P02) when it was not declared.
    pub fn param_type(&self, number: i64, position: Option<Position>) -> Result<Oid> {
        let found = usize::try_from(number)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| self.param_types.get(i))
            .copied()
            .filter(|t| !t.is_invalid());
        found.ok_or_else(|| {
            Error::analyze(
                SqlState("42P02"),
                format!("there is no parameter ${number}"),
                position,
            )
        })
    }

    /// The SQL function parameter named `name`, as `$n` would give it.
    fn param_by_name(&self, name: &str) -> Option<Expr> {
        let index = self
            .param_names
            .iter()
            .position(|n| n.as_deref() == Some(name))?;
        let paramtype = *self.param_types.get(index)?;
        Some(Expr::Param(fdw_core::expr::Param {
            paramkind: fdw_core::expr::ParamKind::Extern,
            paramid: i32::try_from(index + 1).ok()?,
            paramtype,
            paramtypmod: -1,
            paramcollid: self.catalog.type_collation(paramtype),
        }))
    }

    /// Records that an expression contains a sub-select.
    pub fn note_sublink(&mut self) {
        self.level_mut().has_sublinks = true;
    }

    /// Analyzes a sub-select used inside an expression (`EXISTS`, `IN`,
    /// scalar, `ARRAY(...)`), with the current levels visible for
    /// correlated references.
    pub fn analyze_sublink_query(&mut self, query: &sqlparser::ast::Query) -> Result<Query> {
        self.note_sublink();
        self.with_child_level(|ps| select::transform_query(ps, query))
    }

    /// Adds a range-table entry with its columns to the current level,
    /// returning its index. It is not yet visible: see [`Self::push_namespace`].
    pub fn add_rte(&mut self, rte: RangeTblEntry, columns: Vec<NsColumn<'a>>) -> RelIndex {
        let level = self.level_mut();
        level.rtable.push(rte);
        level.rte_columns.push(columns);
        RelIndex(u32::try_from(level.rtable.len()).unwrap_or(u32::MAX))
    }

    /// Makes an entry visible.
    pub fn push_namespace(&mut self, item: NsItem) {
        self.level_mut().namespace.push(item);
    }

    /// The columns of entry `rtindex` at `levelsup` levels out.
    fn columns_of(&self, levelsup: usize, rtindex: RelIndex) -> &[NsColumn<'a>] {
        let position = (rtindex.0 as usize).wrapping_sub(1);
        self.level_at(levelsup)
            .and_then(|l| l.rte_columns.get(position))
            .map_or(&[], Vec::as_slice)
    }

    fn rte_of(&self, levelsup: usize, rtindex: RelIndex) -> Option<&RangeTblEntry> {
        let position = (rtindex.0 as usize).wrapping_sub(1);
        self.level_at(levelsup).and_then(|l| l.rtable.get(position))
    }

    /// The range-table entry `rtindex` of the current level.
    pub fn rte(&self, rtindex: RelIndex) -> Option<&RangeTblEntry> {
        self.rte_of(0, rtindex)
    }

    /// The visible columns of entry `rtindex` of the current level.
    pub fn rte_columns(&self, rtindex: RelIndex) -> &[NsColumn<'a>] {
        self.columns_of(0, rtindex)
    }

    /// The range-table name and column name of a `Var` of the current
    /// level, for messages.
    pub fn var_names(&self, var: &Var) -> (String, String) {
        let levelsup = var.varlevelsup as usize;
        let table = self
            .rte_of(levelsup, var.varno)
            .map(|r| r.eref.aliasname.clone())
            .unwrap_or_default();
        let column = self
            .rte_of(levelsup, var.varno)
            .and_then(|r| {
                usize::try_from(var.varattno.0 - 1)
                    .ok()
                    .and_then(|i| r.eref.colnames.get(i))
            })
            .cloned()
            .unwrap_or_else(|| var.varattno.0.to_string());
        (table, column)
    }

    pub(crate) fn make_var(column: &NsColumn<'_>, levelsup: usize) -> Expr {
        Expr::Var(Var {
            varno: column.varno,
            varattno: column.varattno,
            vartype: column.type_oid,
            vartypmod: column.typmod,
            varcollid: column.collation,
            varlevelsup: u32::try_from(levelsup).unwrap_or(u32::MAX),
        })
    }

    /// The namespace items of a level that can be looked at now.
    fn visible_items(&self, levelsup: usize) -> impl Iterator<Item = &NsItem> {
        let level = self.level_at(levelsup);
        let lateral = level.is_some_and(|l| l.lateral_active);
        level
            .map(|l| l.namespace.as_slice())
            .unwrap_or(&[])
            .iter()
            .filter(move |item| !item.lateral_only || (lateral && item.lateral_ok))
    }

    /// The column `name` of entry `rtindex` at `levelsup` (user columns,
    /// then system columns of plain relations).
    fn column_in_rte(
        &self,
        levelsup: usize,
        rtindex: RelIndex,
        name: &str,
        position: Option<Position>,
    ) -> Result<Option<Expr>> {
        let mut found: Option<Expr> = None;
        for column in self.columns_of(levelsup, rtindex) {
            if !column.dropped && same_name(&column.name, name) {
                if found.is_some() {
                    return Err(Error::analyze(
                        SqlState::AMBIGUOUS_COLUMN,
                        format!("column reference \"{name}\" is ambiguous"),
                        position,
                    ));
                }
                found = Some(Self::make_var(column, levelsup));
            }
        }
        if found.is_some() {
            return Ok(found);
        }
        if let Some((attno, type_oid)) = system_column(name) {
            if let Some(RangeTblEntry {
                kind: RteKind::Relation { relkind, .. },
                ..
            }) = self.rte_of(levelsup, rtindex)
            {
                use fdw_core::query::RelKind;
                // Views and composite types have no system columns.
                if !matches!(relkind, RelKind::View | RelKind::CompositeType) {
                    return Ok(Some(Expr::Var(Var {
                        varno: rtindex,
                        varattno: attno,
                        vartype: type_oid,
                        vartypmod: -1,
                        varcollid: Oid::INVALID,
                        varlevelsup: u32::try_from(levelsup).unwrap_or(u32::MAX),
                    })));
                }
            }
        }
        Ok(None)
    }

    /// An unqualified column `name`, innermost level first (`colNameToVar`).
    fn column_by_name(&self, name: &str, position: Option<Position>) -> Result<Option<Expr>> {
        for levelsup in 0..self.levels.len() {
            let mut result: Option<Expr> = None;
            for item in self.visible_items(levelsup).filter(|i| i.cols_visible) {
                if let Some(var) = self.column_in_rte(levelsup, item.rtindex, name, position)? {
                    if result.is_some() {
                        return Err(Error::analyze(
                            SqlState::AMBIGUOUS_COLUMN,
                            format!("column reference \"{name}\" is ambiguous"),
                            position,
                        ));
                    }
                    result = Some(var);
                }
            }
            if result.is_some() {
                return Ok(result);
            }
        }
        Ok(None)
    }

    /// The entry a qualifier names (`refnameNamespaceItem`), innermost
    /// level first; `schema` restricts to plain relations of that schema.
    fn relation_by_name(
        &self,
        schema: Option<&str>,
        name: &str,
        position: Option<Position>,
    ) -> Result<Option<FoundRel>> {
        let relid = match schema {
            Some(schema) => match self.catalog.resolve_relation(Some(schema), name) {
                Ok(rel) => Some(rel.oid),
                Err(_) => return Ok(None),
            },
            None => None,
        };
        for levelsup in 0..self.levels.len() {
            let mut result: Option<FoundRel> = None;
            for item in self.visible_items(levelsup).filter(|i| i.rel_visible) {
                let Some(rte) = self.rte_of(levelsup, item.rtindex) else {
                    continue;
                };
                let matches = match relid {
                    Some(relid) => {
                        rte.alias.is_none()
                            && matches!(rte.kind, RteKind::Relation { relid: r, .. } if r == relid)
                    }
                    // Aliases are mostly short and alike (`t1`, `t2`):
                    // rejected by length and last byte first.
                    None => same_name(&rte.eref.aliasname, name),
                };
                if matches {
                    if result.is_some() {
                        return Err(Error::analyze(
                            SqlState::AMBIGUOUS_ALIAS,
                            format!("table reference \"{name}\" is ambiguous"),
                            position,
                        ));
                    }
                    result = Some(FoundRel {
                        levelsup,
                        rtindex: item.rtindex,
                    });
                }
            }
            if result.is_some() {
                return Ok(result);
            }
        }
        Ok(None)
    }

    /// PostgreSQL's error for a qualifier that names no visible entry:
    /// "invalid reference to FROM-clause entry" when some entry of an
    /// enclosing range table has that name but is hidden (by an alias or
    /// by not being `LATERAL`), "missing FROM-clause entry" otherwise.
    fn missing_rte_error(&self, name: &str, position: Option<Position>) -> Error {
        let hidden = self.levels.iter().any(|level| {
            level.rtable.iter().any(|rte| {
                rte.eref.aliasname == name
                    || matches!(&rte.kind, RteKind::Relation { relid, .. }
                        if self.catalog.relation(*relid).is_some_and(|r| r.name == name))
            })
        });
        let message = if hidden {
            format!("invalid reference to FROM-clause entry for table \"{name}\"")
        } else {
            format!("missing FROM-clause entry for table \"{name}\"")
        };
        Error::analyze(SqlState::UNDEFINED_TABLE, message, position)
    }

    /// The whole-row value of an entry (`Var` with attno 0): the relation's
    /// row type for tables, `record` for the other kinds.
    fn whole_row_var(&self, found: FoundRel) -> Expr {
        let row_type = match self.rte_of(found.levelsup, found.rtindex).map(|r| &r.kind) {
            Some(RteKind::Relation { relid, .. }) => self
                .catalog
                .relation(*relid)
                .map_or(Oid::RECORD_TYPE, |r| r.row_type),
            _ => Oid::RECORD_TYPE,
        };
        Expr::Var(Var {
            varno: found.rtindex,
            varattno: AttrNumber::WHOLE_ROW,
            vartype: row_type,
            vartypmod: -1,
            varcollid: Oid::INVALID,
            varlevelsup: u32::try_from(found.levelsup).unwrap_or(u32::MAX),
        })
    }

    /// Resolves a column reference (`transformColumnRef`): `col`, `t.col`,
    /// `schema.t.col`, `db.schema.t.col`, or a whole-row reference `t`.
    ///
    /// # Errors
    ///
    /// PostgreSQL's: `column "x" does not exist` and `column t.x does not
    /// exist` (42703), `column reference "x" is ambiguous` (42702),
    /// `missing FROM-clause entry for table "t"` and `invalid reference to
    /// FROM-clause entry for table "t"` (42P01), `table reference "t" is
    /// ambiguous` (42P09).
    pub fn resolve_column_ref(
        &mut self,
        names: &[Ident],
        position: Option<Position>,
    ) -> Result<Expr> {
        // Each part is folded where it is used, borrowed when folding
        // changes nothing (see `ident_name_ref`).
        match names {
            [column] => {
                let column = ident_name_ref(column);
                let column = column.as_ref();
                if let Some(var) = self.column_by_name(column, position)? {
                    return Ok(var);
                }
                // A lone name that is no column may be a table: whole row.
                if let Some(found) = self.relation_by_name(None, column, position)? {
                    return Ok(self.whole_row_var(found));
                }
                if let Some(param) = self.param_by_name(column) {
                    return Ok(param);
                }
                Err(Error::analyze(
                    SqlState::UNDEFINED_COLUMN,
                    format!("column \"{column}\" does not exist"),
                    position,
                ))
            }
            [table, column] => self.qualified_column(
                None,
                &ident_name_ref(table),
                &ident_name_ref(column),
                position,
            ),
            // The catalog (database) name is not checked: the front end
            // knows no database name.
            [schema, table, column] | [_, schema, table, column] => self.qualified_column(
                Some(&ident_name_ref(schema)),
                &ident_name_ref(table),
                &ident_name_ref(column),
                position,
            ),
            _ => Err(too_many_dotted_names(names, position)),
        }
    }

    fn qualified_column(
        &mut self,
        schema: Option<&str>,
        table: &str,
        column: &str,
        position: Option<Position>,
    ) -> Result<Expr> {
        let Some(found) = self.relation_by_name(schema, table, position)? else {
            return Err(self.missing_rte_error(table, position));
        };
        match self.column_in_rte(found.levelsup, found.rtindex, column, position)? {
            Some(var) => Ok(var),
            None => Err(Error::analyze(
                SqlState::UNDEFINED_COLUMN,
                format!("column {table}.{column} does not exist"),
                position,
            )),
        }
    }

    /// The whole-row value named by a qualifier (`t` of `f(t.*)` or
    /// `ROW(t.*)` inside an expression).
    ///
    /// # Errors
    ///
    /// As [`Self::resolve_column_ref`] for an unknown qualifier.
    pub fn resolve_whole_row(
        &mut self,
        qualifier: &[Ident],
        position: Option<Position>,
    ) -> Result<Expr> {
        let found = self.find_qualifier(qualifier, position)?;
        Ok(self.whole_row_var(found))
    }

    fn find_qualifier(&self, qualifier: &[Ident], position: Option<Position>) -> Result<FoundRel> {
        let (schema, table) = match qualifier {
            [table] => (None, ident_name_ref(table)),
            [schema, table] | [_, schema, table] => {
                (Some(ident_name_ref(schema)), ident_name_ref(table))
            }
            _ => return Err(too_many_dotted_names(qualifier, position)),
        };
        match self.relation_by_name(schema.as_deref(), &table, position)? {
            Some(found) => Ok(found),
            None => Err(self.missing_rte_error(&table, position)),
        }
    }

    /// Expands `*` (no qualifier) or `t.*` into (column name, `Var`) pairs
    /// in column order, skipping dropped columns (`ExpandColumnRefStar`).
    ///
    /// # Errors
    ///
    /// `SELECT * with no tables specified is not valid` (42601) for a bare
    /// `*` without `FROM`; unknown qualifiers as in
    /// [`Self::resolve_column_ref`].
    pub fn expand_star(
        &mut self,
        qualifier: Option<&[Ident]>,
        position: Option<Position>,
    ) -> Result<Vec<(String, Expr)>> {
        let mut out = Vec::new();
        match qualifier {
            None => {
                let items: Vec<NsItem> = self
                    .visible_items(0)
                    .filter(|i| i.cols_visible)
                    .copied()
                    .collect();
                if items.is_empty() {
                    return Err(Error::analyze(
                        SqlState::SYNTAX_ERROR,
                        "SELECT * with no tables specified is not valid",
                        position,
                    ));
                }
                for item in items {
                    self.push_star_columns(0, item.rtindex, &mut out);
                }
            }
            Some(qualifier) => {
                let found = self.find_qualifier(qualifier, position)?;
                self.push_star_columns(found.levelsup, found.rtindex, &mut out);
            }
        }
        Ok(out)
    }

    fn push_star_columns(&self, levelsup: usize, rtindex: RelIndex, out: &mut Vec<(String, Expr)>) {
        for column in self.columns_of(levelsup, rtindex) {
            if !column.dropped {
                out.push((column.name.to_string(), Self::make_var(column, levelsup)));
            }
        }
    }

    /// Records an aggregate (or `GROUPING`) call whose arguments are
    /// `args`, returning its `agglevelsup` (the innermost level any of its
    /// column references belong to) and checking it is allowed where it
    /// appears (`check_agglevels_and_constraints`).
    ///
    /// # Errors
    ///
    /// 42803 `aggregate functions are not allowed in WHERE` and the other
    /// placements, `aggregate function calls cannot be nested`.
    pub fn check_aggregate_call(
        &mut self,
        args: &[&Expr],
        is_grouping: bool,
        position: Option<Position>,
    ) -> Result<u32> {
        agg::check_aggregate_call(self, args, is_grouping, position)
    }

    /// Records a window function call, checking it is allowed where it
    /// appears, and returns the `winref` of the window its `OVER` clause
    /// denotes (an existing named window, an equal earlier inline window,
    /// or a new one).
    ///
    /// # Errors
    ///
    /// 42P20 `window functions are not allowed in WHERE` and the other
    /// placements; `window "w" does not exist` (42704).
    pub fn register_window_call(
        &mut self,
        args: &[&Expr],
        over: &sqlparser::ast::WindowType,
        position: Option<Position>,
    ) -> Result<u32> {
        agg::register_window_call(self, args, over, position)
    }
}

/// PostgreSQL's error for a name of more dotted parts than it can mean.
fn too_many_dotted_names(names: &[Ident], position: Option<Position>) -> Error {
    let folded: Vec<String> = names.iter().map(ident_name).collect();
    Error::analyze(
        SqlState::SYNTAX_ERROR,
        format!(
            "improper qualified name (too many dotted names): {}",
            folded.join(".")
        ),
        position,
    )
}

/// Analyzes one parsed statement (`parse_analyze_fixedparams`): names,
/// types, operators, functions, coercions and collations resolved; no
/// constant folding.
///
/// `param_types` declares `$1`, `$2`, ...; a `PREPARE name (types) AS
/// statement` declares its own.
///
/// # Errors
///
/// PostgreSQL's error (and SQLSTATE) for the same statement, or
/// [`Error::Unsupported`] for statements this front end does not analyze.
pub fn analyze(catalog: &Catalog, stmt: &Statement, param_types: &[Oid]) -> Result<Query> {
    if let Statement::Prepare {
        data_types,
        statement,
        ..
    } = stmt
    {
        let mut declared = Vec::with_capacity(data_types.len());
        for data_type in data_types {
            declared.push(declared_type(catalog, data_type)?);
        }
        return analyze(catalog, statement, &declared);
    }
    let mut ps = ParseState::new(catalog, param_types);
    let mut query = match stmt {
        Statement::Query(query) => select::transform_query(&mut ps, query)?,
        Statement::Insert(insert) => modify::transform_insert(&mut ps, insert)?,
        Statement::Update(update) => modify::transform_update(&mut ps, update)?,
        Statement::Delete(delete) => modify::transform_delete(&mut ps, delete)?,
        other => {
            return Err(Error::Unsupported {
                what: format!("statement {}", statement_kind(other)),
                position: None,
            })
        }
    };
    query.param_types = ps.param_types.clone();
    Ok(query)
}

/// Analyzes the body of a SQL function (a `SELECT`), with `$n` of
/// `param_types` also reachable by the names in `param_names`, as
/// PostgreSQL's planner does when it inlines the function.
///
/// # Errors
///
/// As [`analyze`].
pub(crate) fn analyze_function_body(
    catalog: &Catalog,
    query: &sqlparser::ast::Query,
    param_types: &[Oid],
    param_names: &[Option<String>],
) -> Result<Query> {
    let mut ps = ParseState::new(catalog, param_types);
    ps.param_names = param_names.to_vec();
    select::transform_query(&mut ps, query)
}

/// The type of a `PREPARE` parameter: the name as PostgreSQL's grammar
/// spells it (`int` is `int4`, ...), then along the search path; a
/// trailing `[]` names the array type.
fn declared_type(catalog: &Catalog, data_type: &sqlparser::ast::DataType) -> Result<Oid> {
    let text = data_type.to_string().to_lowercase();
    let (base, dims) = match text.find('[') {
        Some(at) => (text[..at].trim().to_owned(), true),
        None => (text.clone(), false),
    };
    let base = base.split('(').next().unwrap_or_default().trim().to_owned();
    let canonical = match base.as_str() {
        "int" | "integer" => "int4",
        "smallint" => "int2",
        "bigint" => "int8",
        "real" => "float4",
        "float" | "double precision" | "double" => "float8",
        "decimal" | "dec" => "numeric",
        "boolean" => "bool",
        "character varying" | "char varying" => "varchar",
        "character" | "char" => "bpchar",
        "timestamp without time zone" | "timestamp" => "timestamp",
        "timestamp with time zone" => "timestamptz",
        "time without time zone" | "time" => "time",
        "time with time zone" => "timetz",
        other => other,
    };
    let (schema, name) = match canonical.rsplit_once('.') {
        Some((schema, name)) => (Some(schema), name),
        None => (None, canonical),
    };
    let oid = catalog.resolve_type(schema, name).map_err(|_| {
        Error::analyze(
            SqlState::UNDEFINED_OBJECT,
            format!("type \"{base}\" does not exist"),
            None,
        )
    })?;
    if dims {
        return catalog.array_type_of(oid).ok_or_else(|| {
            Error::analyze(
                SqlState::UNDEFINED_OBJECT,
                format!("could not find array type for data type {base}"),
                None,
            )
        });
    }
    Ok(oid)
}

fn statement_kind(stmt: &Statement) -> String {
    let text = stmt.to_string();
    text.split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod ident_tests {
    use super::ident_name;
    use sqlparser::ast::Ident;

    #[test]
    fn folds_ascii_only_and_truncates_to_63_bytes() {
        assert_eq!(ident_name(&Ident::new("MiXed")), "mixed");
        // Only ASCII letters fold in a UTF8 database.
        assert_eq!(ident_name(&Ident::new("Ünï")), "Ünï");
        assert_eq!(ident_name(&Ident::with_quote('"', "MiXed")), "MiXed");
        let long = "a".repeat(70);
        assert_eq!(ident_name(&Ident::new(&long)), "a".repeat(63));
        // A two-byte character straddling byte 63 is dropped whole.
        let straddling = format!("{}é", "b".repeat(62));
        assert_eq!(
            ident_name(&Ident::with_quote('"', &straddling)),
            "b".repeat(62)
        );
    }
}
