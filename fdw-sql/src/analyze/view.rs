//! Views. The catalog keeps a view's defining query as written
//! ([`fdw_catalog::objects::ViewDef`]); here it is analyzed with the same
//! catalog whenever a statement uses the view:
//!
//! - in `FROM`, the view becomes a subquery range-table entry, as
//!   PostgreSQL's rewriter does (`ApplyRetrieveRule`);
//! - as the target of `INSERT` / `UPDATE` / `DELETE`, a simple
//!   automatically updatable view (`view_query_is_auto_updatable`: one base
//!   table, plain column references) becomes a modification of its base
//!   relation (`rewriteTargetView`): view columns map to base columns, the
//!   view's `WHERE` restricts an `UPDATE` / `DELETE` and, under `WITH CHECK
//!   OPTION`, becomes a [`Query::with_check_options`] constraint.
//!
//! Views over views as modification targets are not rewritten further:
//! such a statement is refused as [`Error::Unsupported`].

use fdw_catalog::objects::{Column, Relation, RelationKind};
use fdw_core::expr::{self as walk, Expr};
use fdw_core::query::{CommandType, JoinTreeNode, Query, RangeTblEntry, RteKind};
use fdw_core::{AttrNumber, RelIndex};
use sqlparser::ast::Statement;

use super::ParseState;
use crate::error::{Error, Position, Result, SqlState};

/// How deeply views may refer to views (PostgreSQL has no fixed limit but
/// detects cycles; this bounds the work for long chains too).
pub(super) const MAX_VIEW_DEPTH: usize = 32;

/// A view's analyzed query and its output column names (the explicit
/// column list, then the query's own result names).
pub(super) struct AnalyzedView {
    /// The defining query, analyzed.
    pub(super) query: Query,
    /// The view's column names, one per non-junk target entry.
    pub(super) colnames: Vec<String>,
}

/// Analyzes the defining query of the view `relation`.
///
/// # Errors
///
/// 42P17 ("infinite recursion detected in rules for relation") when the
/// view refers to itself (directly or through other views) or views nest
/// deeper than [`MAX_VIEW_DEPTH`]; any error of the query's analysis.
pub(super) fn analyze_view(
    ps: &ParseState<'_>,
    relation: &Relation,
    position: Option<Position>,
) -> Result<AnalyzedView> {
    let Some(def) = relation.view.as_ref() else {
        return Err(Error::analyze(
            SqlState::INTERNAL_ERROR,
            format!("view \"{}\" has no definition", relation.name),
            position,
        ));
    };
    if ps.views.contains(&relation.oid) || ps.views.len() >= MAX_VIEW_DEPTH {
        return Err(Error::analyze(
            SqlState::INVALID_RECURSION,
            format!(
                "infinite recursion detected in rules for relation \"{}\"",
                relation.name
            ),
            position,
        ));
    }
    let statements = crate::parse::parse(&def.query)?;
    let query_ast = match statements.as_slice() {
        [Statement::Query(query)] => query,
        _ => {
            return Err(Error::analyze(
                SqlState::INTERNAL_ERROR,
                format!("view \"{}\" is not defined by a query", relation.name),
                position,
            ))
        }
    };
    let mut child = ParseState::new(ps.catalog, &[]);
    child.views = ps.views.clone();
    child.views.push(relation.oid);
    let query = super::select::transform_query(&mut child, query_ast.as_ref())?;
    let visible = query.target_list.iter().filter(|t| !t.resjunk).count();
    if def.column_names.len() > visible {
        return Err(Error::analyze(
            SqlState::SYNTAX_ERROR,
            "CREATE VIEW specifies more column names than columns",
            position,
        ));
    }
    let colnames = query
        .target_list
        .iter()
        .filter(|t| !t.resjunk)
        .enumerate()
        .map(|(i, t)| {
            def.column_names
                .get(i)
                .cloned()
                .or_else(|| t.resname.clone())
                .unwrap_or_else(|| "?column?".to_owned())
        })
        .collect();
    Ok(AnalyzedView { query, colnames })
}

/// A view as the target of `INSERT` / `UPDATE` / `DELETE`: what
/// [`rewrite_target`] needs to turn the statement into one on the base
/// relation.
#[derive(Debug, Clone)]
pub(super) struct ViewTarget {
    view_name: String,
    /// The base relation's range-table entry, from the view's query.
    base_rte: RangeTblEntry,
    /// The base relation's column names by attnum (dropped ones empty).
    base_colnames: Vec<String>,
    /// Per view column: its expression over the base relation (as entry 1
    /// of the view's query) and the base column it is, when it is one.
    columns: Vec<(String, Expr, Option<AttrNumber>)>,
    /// The view's `WHERE`, over entry 1.
    quals: Option<Expr>,
    /// The view has `WITH CHECK OPTION`.
    check_option: bool,
}

/// The verb phrase of PostgreSQL's "cannot ... view" messages.
fn verb(command: CommandType) -> &'static str {
    match command {
        CommandType::Insert => "insert into",
        CommandType::Update => "update",
        CommandType::Delete | CommandType::Select => "delete from",
    }
}

/// Why the analyzed view query is not automatically updatable
/// (`view_query_is_auto_updatable`'s details), or `None`.
fn not_updatable_reason(query: &Query) -> Result<Option<&'static str>> {
    if !query.distinct_clause.is_empty() {
        return Ok(Some(
            "Views containing DISTINCT are not automatically updatable.",
        ));
    }
    if !query.group_clause.is_empty() || !query.grouping_sets.is_empty() {
        return Ok(Some(
            "Views containing GROUP BY are not automatically updatable.",
        ));
    }
    if query.having_qual.is_some() {
        return Ok(Some(
            "Views containing HAVING are not automatically updatable.",
        ));
    }
    if query.set_operations.is_some() {
        return Ok(Some(
            "Views containing UNION, INTERSECT, or EXCEPT are not automatically updatable.",
        ));
    }
    if !query.cte_list.is_empty() {
        return Ok(Some(
            "Views containing WITH are not automatically updatable.",
        ));
    }
    if query.limit_count.is_some() || query.limit_offset.is_some() {
        return Ok(Some(
            "Views containing LIMIT or OFFSET are not automatically updatable.",
        ));
    }
    let mut aggregates = false;
    let mut windows = false;
    let mut sets = false;
    for t in &query.target_list {
        aggregates |= walk::contains_aggregate(&t.expr)?;
        windows |= walk::contains_window_function(&t.expr)?;
        sets |= walk::expression_returns_set(&t.expr)?;
    }
    if aggregates {
        return Ok(Some(
            "Views that return aggregate functions are not automatically updatable.",
        ));
    }
    if windows {
        return Ok(Some(
            "Views that return window functions are not automatically updatable.",
        ));
    }
    if sets {
        return Ok(Some(
            "Views that return set-returning functions are not automatically updatable.",
        ));
    }
    let single = matches!(
        query.jointree.fromlist.as_slice(),
        [JoinTreeNode::RangeTblRef(RelIndex(1))]
    ) && matches!(
        query.rtable.first().map(|r| &r.kind),
        Some(RteKind::Relation { relkind, .. })
            if !matches!(relkind, fdw_core::query::RelKind::View)
    );
    if !single {
        return Ok(Some(
            "Views that do not select from a single table or view are not automatically updatable.",
        ));
    }
    Ok(None)
}

/// The base column a view column is: a plain level-0 `Var` of entry 1.
fn base_column(expr: &Expr) -> Option<AttrNumber> {
    match expr {
        Expr::Var(v) if v.varlevelsup == 0 && v.varno == RelIndex(1) && v.varattno.0 > 0 => {
            Some(v.varattno)
        }
        _ => None,
    }
}

/// Prepares the view `relation` as the target of `command`: analyzes it,
/// checks it is automatically updatable and returns the relation the
/// statement is analyzed against (the view with its derived columns, each
/// updatable one carrying its base column's default and NOT NULL) with
/// what [`rewrite_target`] needs.
///
/// # Errors
///
/// 55000 "cannot insert into view" (update / delete from) when the view
/// is not automatically updatable; errors of the view's analysis.
pub(super) fn target_view(
    ps: &ParseState<'_>,
    relation: &Relation,
    command: CommandType,
    position: Option<Position>,
) -> Result<(Relation, ViewTarget)> {
    let analyzed = analyze_view(ps, relation, position)?;
    let query = analyzed.query;
    let verb = verb(command);
    let not_updatable = |_detail: &str| {
        // PostgreSQL adds the detail and a hint about INSTEAD OF triggers.
        Error::analyze(
            SqlState::OBJECT_NOT_IN_PREREQUISITE_STATE,
            format!("cannot {verb} view \"{}\"", relation.name),
            position,
        )
    };
    // A view over a view: its base is the inner view, expanded into a
    // subquery entry (subqueries in FROM otherwise need an alias).
    let over_view = match query.rtable.as_slice() {
        [rte] => {
            matches!(rte.kind, RteKind::Subquery { .. })
                && (rte.alias.is_none()
                    || ps
                        .catalog
                        .resolve_relation(None, &rte.eref.aliasname)
                        .is_ok_and(|r| r.kind == RelationKind::View))
        }
        _ => false,
    };
    if over_view {
        return Err(Error::Unsupported {
            what: format!(
                "{} the view \"{}\" defined over another view",
                match command {
                    CommandType::Insert => "INSERT into",
                    CommandType::Update => "UPDATE of",
                    CommandType::Delete | CommandType::Select => "DELETE from",
                },
                relation.name
            ),
            position,
        });
    }
    if let Some(reason) = not_updatable_reason(&query)? {
        return Err(not_updatable(reason));
    }
    let visible: Vec<&fdw_core::query::TargetEntry> =
        query.target_list.iter().filter(|t| !t.resjunk).collect();
    if command != CommandType::Delete && !visible.iter().any(|t| base_column(&t.expr).is_some()) {
        return Err(not_updatable(
            "Views that return columns that are not columns of their base relation are not automatically updatable.",
        ));
    }
    let Some(base_rte) = query.rtable.first().cloned() else {
        return Err(not_updatable(""));
    };
    let RteKind::Relation { relid, .. } = &base_rte.kind else {
        return Err(not_updatable(""));
    };
    let base = ps
        .catalog
        .relation(*relid)
        .ok_or_else(|| not_updatable("the base relation is missing"))?;
    let mut columns = Vec::with_capacity(visible.len());
    let mut view_columns = Vec::with_capacity(visible.len());
    for (i, (t, name)) in visible.iter().zip(&analyzed.colnames).enumerate() {
        let attnum = base_column(&t.expr);
        let base_col = attnum.and_then(|a| base.column_by_attnum(a.0));
        view_columns.push(Column {
            attnum: i16::try_from(i + 1).unwrap_or(i16::MAX),
            name: name.clone(),
            type_oid: t.expr.type_oid(),
            typmod: t.expr.typmod(),
            collation: t.expr.collation(),
            not_null: base_col.is_some_and(|c| c.not_null),
            default: base_col.and_then(|c| c.default.clone()),
            generated: base_col.and_then(|c| c.generated.clone()),
            dropped: false,
            options: fdw_catalog::options::OptionList::new(),
        });
        columns.push((name.clone(), t.expr.clone(), attnum));
    }
    let base_colnames = base
        .columns
        .iter()
        .map(|c| {
            if c.dropped {
                String::new()
            } else {
                c.name.clone()
            }
        })
        .collect();
    let mut synthetic = relation.clone();
    synthetic.kind = RelationKind::View;
    synthetic.columns = view_columns;
    let target = ViewTarget {
        view_name: relation.name.clone(),
        base_rte,
        base_colnames,
        columns,
        quals: query.jointree.quals.clone(),
        check_option: relation
            .view
            .as_ref()
            .is_some_and(|v| v.check_option.is_some()),
    };
    Ok((synthetic, target))
}

/// `expr` (over entry 1 of the view's query) moved onto entry `rtindex`
/// of the statement.
fn onto(expr: &Expr, rtindex: RelIndex) -> Result<Expr> {
    let mut expr = expr.clone();
    walk::transform_up(&mut expr, &mut |e| {
        if let Expr::Var(v) = e {
            if v.varlevelsup == 0 && v.varno == RelIndex(1) {
                v.varno = rtindex;
            }
        }
        Ok(())
    })?;
    Ok(expr)
}

/// Replaces references to the view's columns (level-0 `Var`s of entry
/// `rtindex`) in `expr` by the view's expressions for them.
fn substitute(expr: &mut Expr, rtindex: RelIndex, view: &ViewTarget) -> Result<()> {
    let mut failed = None;
    walk::transform_up(expr, &mut |e| {
        if let Expr::Var(v) = e {
            if v.varlevelsup == 0 && v.varno == rtindex && v.varattno.0 > 0 {
                let index = usize::try_from(v.varattno.0 - 1).unwrap_or(usize::MAX);
                if let Some((_, column, _)) = view.columns.get(index) {
                    match onto(column, rtindex) {
                        Ok(replacement) => *e = replacement,
                        Err(err) => failed = Some(err),
                    }
                }
            }
        }
        Ok(())
    })?;
    failed.map_or(Ok(()), Err)
}

/// Turns `query`, analyzed against the view at `rtindex`, into the same
/// statement on the view's base relation (`rewriteTargetView`).
///
/// # Errors
///
/// 0A000 "cannot insert into column ... of view" (update) when a value is
/// assigned to a view column that is not a base column.
pub(super) fn rewrite_target(
    query: &mut Query,
    rtindex: RelIndex,
    view: &ViewTarget,
) -> Result<()> {
    let verb = verb(query.command);
    for te in &mut query.target_list {
        if query.command == CommandType::Select {
            break;
        }
        let index = usize::try_from(te.resno.0 - 1).unwrap_or(usize::MAX);
        let Some((name, _, attnum)) = view.columns.get(index) else {
            continue;
        };
        let Some(attnum) = attnum else {
            return Err(Error::analyze(
                SqlState::FEATURE_NOT_SUPPORTED,
                format!(
                    "cannot {verb} column \"{name}\" of view \"{}\"",
                    view.view_name
                ),
                None,
            ));
        };
        te.resno = *attnum;
        let base_index = usize::try_from(attnum.0 - 1).unwrap_or(usize::MAX);
        if let Some(base_name) = view.base_colnames.get(base_index) {
            te.resname = Some(base_name.clone());
        }
    }
    if query.command == CommandType::Insert {
        query.target_list.sort_by_key(|t| t.resno);
    }
    for te in query
        .target_list
        .iter_mut()
        .chain(query.returning_list.iter_mut())
    {
        substitute(&mut te.expr, rtindex, view)?;
    }
    if let Some(quals) = query.jointree.quals.as_mut() {
        substitute(quals, rtindex, view)?;
    }
    let view_quals = match &view.quals {
        Some(quals) => Some(onto(quals, rtindex)?),
        None => None,
    };
    if let Some(quals) = &view_quals {
        if matches!(query.command, CommandType::Update | CommandType::Delete) {
            query.jointree.quals = Some(match query.jointree.quals.take() {
                None => quals.clone(),
                Some(existing) => super::from::and_exprs(existing, quals.clone()),
            });
        }
        if view.check_option && matches!(query.command, CommandType::Insert | CommandType::Update) {
            query.with_check_options.push(quals.clone());
        }
    }
    let index = usize::try_from(rtindex.0.saturating_sub(1)).unwrap_or(usize::MAX);
    if let Some(rte) = query.rtable.get_mut(index) {
        let alias = rte.alias.take();
        let in_from_cl = rte.in_from_cl;
        *rte = view.base_rte.clone();
        rte.alias = alias;
        rte.in_from_cl = in_from_cl;
        if let RteKind::Relation { inh, .. } = &mut rte.kind {
            *inh = true;
        }
        rte.eref.colnames = view.base_colnames.clone();
    }
    Ok(())
}

/// Whether `relation` is a view (with its stored definition).
pub(super) fn is_view(relation: &Relation) -> bool {
    relation.kind == RelationKind::View && relation.view.is_some()
}
