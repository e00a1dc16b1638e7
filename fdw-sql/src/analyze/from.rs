//! The `FROM` clause (`transformFromClause`): tables and foreign tables
//! along the search path, `WITH` references, sub-selects (with `LATERAL`),
//! functions, and joins with `ON`, `USING` and `NATURAL` (join entries
//! with their alias variables, merged `USING` columns as PostgreSQL
//! builds them).

use std::borrow::Cow;

use fdw_catalog::catalog::Catalog;
use fdw_catalog::objects::RelationKind;
use fdw_core::expr::{CoalesceExpr, CoercionForm, Expr};
use fdw_core::query::{
    Alias, JoinExpr, JoinTreeNode, JoinType, RangeTblEntry, RangeTblFunction, RelKind, RteKind,
};
use fdw_core::{AttrNumber, Oid, RelIndex};
use sqlparser::ast::{self, Spanned, TableFactor};

use super::{deps, ident_name, ident_position, ExprKind, NsColumn, NsItem, ParseState};
use crate::error::{Error, Position, Result, SqlState};
use crate::types::CoercionContext;

/// What transforming one `FROM` item yields: its join-tree node and the
/// namespace items it makes visible.
struct Item {
    node: JoinTreeNode,
    namespace: Vec<NsItem>,
    /// The entry whose columns a join sees for this side.
    rtindex: RelIndex,
}

/// Transforms the `FROM` list, making its entries visible.
pub(super) fn transform_from_clause(
    ps: &mut ParseState<'_>,
    from: &[ast::TableWithJoins],
) -> Result<Vec<JoinTreeNode>> {
    let mut fromlist = Vec::with_capacity(from.len());
    for item in from {
        let result = transform_table_with_joins(ps, item, 0)?;
        check_name_conflicts(ps, &ps.level().namespace.clone(), &result.namespace)?;
        // Earlier items are visible only to LATERAL items after them.
        for mut ns in result.namespace {
            ns.lateral_only = true;
            ns.lateral_ok = true;
            ps.push_namespace(ns);
        }
        fromlist.push(result.node);
    }
    for ns in &mut ps.level_mut().namespace {
        ns.lateral_only = false;
        ns.lateral_ok = true;
    }
    Ok(fromlist)
}

/// `table name "x" specified more than once` (`checkNameSpaceConflicts`).
fn check_name_conflicts(ps: &ParseState<'_>, left: &[NsItem], right: &[NsItem]) -> Result<()> {
    for l in left.iter().filter(|i| i.rel_visible) {
        for r in right.iter().filter(|i| i.rel_visible) {
            let (Some(lr), Some(rr)) = (ps.rte(l.rtindex), ps.rte(r.rtindex)) else {
                continue;
            };
            if lr.eref.aliasname != rr.eref.aliasname {
                continue;
            }
            // Two unaliased relations of the same name in different
            // schemas do not conflict.
            if let (RteKind::Relation { relid: a, .. }, RteKind::Relation { relid: b, .. }) =
                (&lr.kind, &rr.kind)
            {
                if lr.alias.is_none() && rr.alias.is_none() && a != b {
                    continue;
                }
            }
            return Err(Error::analyze(
                SqlState::DUPLICATE_ALIAS,
                format!(
                    "table name \"{}\" specified more than once",
                    rr.eref.aliasname
                ),
                None,
            ));
        }
    }
    Ok(())
}

fn transform_table_with_joins(
    ps: &mut ParseState<'_>,
    twj: &ast::TableWithJoins,
    depth: usize,
) -> Result<Item> {
    if depth > 128 {
        return Err(Error::TooDeep { limit: 128 });
    }
    let mut left = transform_factor(ps, &twj.relation, depth)?;
    for join in &twj.joins {
        left = transform_join(ps, left, join, None, depth)?;
    }
    Ok(left)
}

fn transform_factor(ps: &mut ParseState<'_>, factor: &TableFactor, depth: usize) -> Result<Item> {
    match factor {
        TableFactor::Table {
            name,
            alias,
            args,
            with_hints,
            version,
            with_ordinality,
            partitions,
            json_path,
            sample,
            index_hints,
        } => {
            if !with_hints.is_empty()
                || version.is_some()
                || !partitions.is_empty()
                || json_path.is_some()
                || sample.is_some()
                || !index_hints.is_empty()
            {
                return Err(unsupported("this table syntax", factor.span()));
            }
            if let Some(args) = args {
                return transform_function(
                    ps,
                    name,
                    &args.args,
                    alias.as_ref(),
                    *with_ordinality,
                    false,
                    factor.span(),
                );
            }
            transform_table(ps, name, alias.as_ref(), factor.span())
        }
        TableFactor::Derived {
            lateral,
            subquery,
            alias,
            sample,
        } => {
            if sample.is_some() {
                return Err(unsupported("TABLESAMPLE", factor.span()));
            }
            transform_subquery(ps, *lateral, subquery, alias.as_ref(), factor.span())
        }
        TableFactor::Function {
            lateral,
            name,
            args,
            with_ordinality,
            alias,
        } => transform_function(
            ps,
            name,
            args,
            alias.as_ref(),
            *with_ordinality,
            *lateral,
            factor.span(),
        ),
        TableFactor::NestedJoin {
            table_with_joins,
            alias,
        } => {
            let mut left = transform_factor(ps, &table_with_joins.relation, depth + 1)?;
            let count = table_with_joins.joins.len();
            for (i, join) in table_with_joins.joins.iter().enumerate() {
                let join_alias = if i + 1 == count { alias.as_ref() } else { None };
                left = transform_join(ps, left, join, join_alias, depth + 1)?;
            }
            if count == 0 && alias.is_some() {
                return Err(unsupported(
                    "an alias on a parenthesized table",
                    factor.span(),
                ));
            }
            Ok(left)
        }
        _ => Err(unsupported("this FROM item", factor.span())),
    }
}

fn unsupported(what: &str, span: sqlparser::tokenizer::Span) -> Error {
    Error::Unsupported {
        what: what.to_owned(),
        position: super::span_position(span),
    }
}

/// Applies a user alias's column names over `names` (`buildRelationAliases`):
/// dropped columns (empty names) are skipped.
fn apply_column_aliases(
    names: &mut [String],
    dropped: &[bool],
    alias: Option<&ast::TableAlias>,
) -> Result<()> {
    let Some(alias) = alias else {
        return Ok(());
    };
    let mut given = alias.columns.iter();
    let live = dropped.iter().filter(|d| !**d).count();
    if alias.columns.len() > live {
        return Err(Error::analyze(
            SqlState::INVALID_COLUMN_REFERENCE,
            format!(
                "table \"{}\" has {live} columns available but {} columns specified",
                ident_name(&alias.name),
                alias.columns.len()
            ),
            ident_position(&alias.name),
        ));
    }
    for (name, is_dropped) in names.iter_mut().zip(dropped) {
        if *is_dropped {
            continue;
        }
        match given.next() {
            Some(column) => *name = ident_name(&column.name),
            None => break,
        }
    }
    Ok(())
}

fn alias_of(alias: Option<&ast::TableAlias>) -> Option<Alias> {
    // The alias as written: its name and the column names it gives.
    alias.map(|a| Alias {
        aliasname: ident_name(&a.name),
        colnames: a.columns.iter().map(|c| ident_name(&c.name)).collect(),
    })
}

/// Registers an entry with the given visible columns, returning the item.
fn add_item<'a>(
    ps: &mut ParseState<'a>,
    rte: RangeTblEntry,
    columns: Vec<NsColumn<'a>>,
    lateral: bool,
) -> Item {
    let rtindex = ps.add_rte(rte, Vec::new());
    let mut columns = columns;
    for c in &mut columns {
        c.varno = rtindex;
    }
    if let Some(slot) = ps.level_mut().rte_columns.last_mut() {
        *slot = columns;
    }
    let _ = lateral;
    Item {
        node: JoinTreeNode::RangeTblRef(rtindex),
        namespace: vec![NsItem {
            rtindex,
            rel_visible: true,
            cols_visible: true,
            lateral_only: false,
            lateral_ok: true,
        }],
        rtindex,
    }
}

fn attno(i: usize) -> AttrNumber {
    AttrNumber(i16::try_from(i + 1).unwrap_or(i16::MAX))
}

fn rel_kind(kind: RelationKind) -> RelKind {
    match kind {
        RelationKind::Table => RelKind::Table,
        RelationKind::PartitionedTable => RelKind::PartitionedTable,
        RelationKind::View => RelKind::View,
        RelationKind::ForeignTable => RelKind::ForeignTable,
        RelationKind::CompositeType => RelKind::CompositeType,
    }
}

/// A table, view or foreign table, or a `WITH` query by name.
fn transform_table<'a>(
    ps: &mut ParseState<'a>,
    name: &ast::ObjectName,
    alias: Option<&ast::TableAlias>,
    span: sqlparser::tokenizer::Span,
) -> Result<Item> {
    // The name's parts are read in place (folded only when folding
    // changes them) rather than copied: every table reference has them.
    let idents = super::select::object_ident_refs(name)?;
    let position = super::span_position(span);
    let folded: Vec<Cow<'_, str>> = idents.iter().map(|i| super::ident_name_ref(i)).collect();
    let (schema, relname): (Option<&str>, &str) = match folded.as_slice() {
        [relname] => (None, relname),
        [schema, relname] | [_, schema, relname] => (Some(schema), relname),
        _ => {
            return Err(Error::analyze(
                SqlState::SYNTAX_ERROR,
                format!(
                    "improper qualified name (too many dotted names): {}",
                    folded.join(".")
                ),
                position,
            ))
        }
    };
    if schema.is_none() {
        if let Some(item) = transform_cte_ref(ps, relname, alias, position)? {
            return Ok(item);
        }
    }
    // The catalog outlives the analysis: the columns' names are borrowed
    // from its relation.
    let catalog: &'a Catalog = ps.catalog;
    let relation = match catalog.resolve_relation(schema, relname) {
        Ok(relation) => relation,
        Err(_) => {
            // A missing schema reads as a missing relation here, as in
            // PostgreSQL's FROM clause.
            let shown = match schema {
                Some(schema) => format!("{schema}.{relname}"),
                None => relname.to_owned(),
            };
            return Err(Error::analyze(
                SqlState::UNDEFINED_TABLE,
                format!("relation \"{shown}\" does not exist"),
                position,
            ));
        }
    };
    let relkind = rel_kind(relation.kind);
    if relkind == RelKind::CompositeType {
        return Err(Error::analyze(
            SqlState::WRONG_OBJECT_TYPE,
            format!("\"{relname}\" is not a table"),
            position,
        ));
    }
    if super::view::is_view(relation) {
        return transform_view(ps, relation, alias, position);
    }
    let mut colnames: Vec<String> = relation
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
    let dropped: Vec<bool> = relation.columns.iter().map(|c| c.dropped).collect();
    apply_column_aliases(&mut colnames, &dropped, alias)?;
    let columns: Vec<NsColumn<'a>> = relation
        .columns
        .iter()
        .zip(&colnames)
        .map(|(c, name)| NsColumn {
            name: if *name == c.name {
                Cow::Borrowed(c.name.as_str())
            } else {
                Cow::Owned(name.clone())
            },
            dropped: c.dropped,
            type_oid: c.type_oid,
            typmod: c.typmod,
            collation: c.collation,
            varno: RelIndex(0),
            varattno: AttrNumber(c.attnum),
        })
        .collect();
    let aliasname = alias.map_or_else(|| relation.name.clone(), |a| ident_name(&a.name));
    let rte = RangeTblEntry {
        kind: RteKind::Relation {
            relid: relation.oid,
            relkind,
            inh: true,
            check_as_user: None,
            tablesample: None,
        },
        alias: alias_of(alias),
        eref: Alias {
            aliasname,
            colnames,
        },
        lateral: false,
        in_from_cl: true,
    };
    Ok(add_item(ps, rte, columns, false))
}

/// A view in `FROM`: its defining query, analyzed, as a subquery entry
/// named like the view (what PostgreSQL's rewriter makes of it).
fn transform_view(
    ps: &mut ParseState<'_>,
    relation: &fdw_catalog::objects::Relation,
    alias: Option<&ast::TableAlias>,
    position: Option<Position>,
) -> Result<Item> {
    let view = super::view::analyze_view(ps, relation, position)?;
    let visible: Vec<&fdw_core::query::TargetEntry> = view
        .query
        .target_list
        .iter()
        .filter(|t| !t.resjunk)
        .collect();
    let mut colnames = view.colnames.clone();
    let dropped = vec![false; colnames.len()];
    apply_column_aliases(&mut colnames, &dropped, alias)?;
    let columns: Vec<NsColumn<'_>> = visible
        .iter()
        .zip(&colnames)
        .enumerate()
        .map(|(i, (t, name))| NsColumn {
            name: Cow::Owned(name.clone()),
            dropped: false,
            type_oid: t.expr.type_oid(),
            typmod: t.expr.typmod(),
            collation: t.expr.collation(),
            varno: RelIndex(0),
            varattno: attno(i),
        })
        .collect();
    let aliasname = alias.map_or_else(|| relation.name.clone(), |a| ident_name(&a.name));
    let rte = RangeTblEntry {
        kind: RteKind::Subquery {
            query: Box::new(view.query),
            security_barrier: false,
        },
        alias: alias_of(alias),
        eref: Alias {
            aliasname,
            colnames,
        },
        lateral: false,
        in_from_cl: true,
    };
    Ok(add_item(ps, rte, columns, false))
}

/// A reference to a `WITH` query visible from here, innermost first.
fn transform_cte_ref(
    ps: &mut ParseState<'_>,
    name: &str,
    alias: Option<&ast::TableAlias>,
    position: Option<Position>,
) -> Result<Option<Item>> {
    let mut found = None;
    for levelsup in 0..=ps.nesting() {
        if let Some(level) = ps.level_at(levelsup) {
            if let Some(cte) = level.ctes.iter().find(|c| c.name == name) {
                found = Some((levelsup, cte.clone()));
                break;
            }
        }
    }
    let Some((levelsup, cte)) = found else {
        return Ok(None);
    };
    if let Some(level) = ps.level_at_mut(levelsup) {
        if let Some(entry) = level.cte_list.get_mut(cte.index) {
            entry.refcount += 1;
        }
    }
    let mut colnames = cte.colnames.clone();
    let dropped = vec![false; colnames.len()];
    apply_column_aliases(&mut colnames, &dropped, alias)?;
    let columns: Vec<NsColumn<'_>> = colnames
        .iter()
        .enumerate()
        .map(|(i, n)| NsColumn {
            name: Cow::Owned(n.clone()),
            dropped: false,
            type_oid: cte.coltypes[i],
            typmod: cte.coltypmods[i],
            collation: cte.colcollations[i],
            varno: RelIndex(0),
            varattno: attno(i),
        })
        .collect();
    let rte = RangeTblEntry {
        kind: RteKind::Cte {
            ctename: name.to_owned(),
            ctelevelsup: u32::try_from(levelsup).unwrap_or(u32::MAX),
            self_reference: false,
        },
        alias: alias_of(alias),
        eref: Alias {
            aliasname: alias.map_or_else(|| name.to_owned(), |a| ident_name(&a.name)),
            colnames,
        },
        lateral: false,
        in_from_cl: true,
    };
    let _ = position;
    Ok(Some(add_item(ps, rte, columns, false)))
}

/// A sub-select in `FROM` (`transformRangeSubselect`).
fn transform_subquery(
    ps: &mut ParseState<'_>,
    lateral: bool,
    subquery: &ast::Query,
    alias: Option<&ast::TableAlias>,
    span: sqlparser::tokenizer::Span,
) -> Result<Item> {
    let Some(alias) = alias else {
        return Err(Error::analyze(
            SqlState::SYNTAX_ERROR,
            "subquery in FROM must have an alias",
            super::span_position(span),
        ));
    };
    let saved_lateral = ps.level().lateral_active;
    let saved_kind = ps.expr_kind;
    ps.level_mut().lateral_active = lateral;
    ps.expr_kind = ExprKind::FromSubselect;
    let query = ps.with_child_level(|child| super::select::transform_query(child, subquery));
    ps.level_mut().lateral_active = saved_lateral;
    ps.expr_kind = saved_kind;
    let query = query?;
    let visible: Vec<&fdw_core::query::TargetEntry> =
        query.target_list.iter().filter(|t| !t.resjunk).collect();
    let mut colnames: Vec<String> = visible
        .iter()
        .map(|t| t.resname.clone().unwrap_or_default())
        .collect();
    let aliasname = ident_name(&alias.name);
    let dropped = vec![false; colnames.len()];
    apply_column_aliases(&mut colnames, &dropped, Some(alias))?;
    let columns: Vec<NsColumn<'_>> = visible
        .iter()
        .enumerate()
        .map(|(i, t)| NsColumn {
            name: Cow::Owned(colnames[i].clone()),
            dropped: false,
            type_oid: t.expr.type_oid(),
            typmod: t.expr.typmod(),
            collation: t.expr.collation(),
            varno: RelIndex(0),
            varattno: attno(i),
        })
        .collect();
    let rte = RangeTblEntry {
        kind: RteKind::Subquery {
            query: Box::new(query),
            security_barrier: false,
        },
        alias: alias_of(Some(alias)),
        eref: Alias {
            aliasname,
            colnames,
        },
        lateral,
        in_from_cl: true,
    };
    Ok(add_item(ps, rte, columns, lateral))
}

/// A function in `FROM` (`transformRangeFunction`) returning a base type
/// (one column named after the function or its alias) or a named
/// composite type (its columns).
fn transform_function(
    ps: &mut ParseState<'_>,
    name: &ast::ObjectName,
    args: &[ast::FunctionArg],
    alias: Option<&ast::TableAlias>,
    with_ordinality: bool,
    lateral: bool,
    span: sqlparser::tokenizer::Span,
) -> Result<Item> {
    let position = super::span_position(span);
    let call = ast::Expr::Function(ast::Function {
        name: name.clone(),
        uses_odbc_syntax: false,
        parameters: ast::FunctionArguments::None,
        args: ast::FunctionArguments::List(ast::FunctionArgumentList {
            duplicate_treatment: None,
            args: args.to_vec(),
            clauses: Vec::new(),
        }),
        filter: None,
        null_treatment: None,
        over: None,
        within_group: Vec::new(),
    });
    let saved_lateral = ps.level().lateral_active;
    let saved_kind = ps.expr_kind;
    // Functions in FROM are implicitly LATERAL.
    ps.level_mut().lateral_active = true;
    ps.expr_kind = ExprKind::FromFunction;
    let funcexpr = deps::transform_expr(ps, &call);
    ps.level_mut().lateral_active = saved_lateral;
    ps.expr_kind = saved_kind;
    let funcexpr = funcexpr?;
    let funcname = name
        .0
        .last()
        .and_then(|p| p.as_ident())
        .map(ident_name)
        .unwrap_or_default();
    let result_type = funcexpr.type_oid();
    let type_info = ps.catalog.type_info(result_type);
    let mut columns: Vec<NsColumn<'_>> = Vec::new();
    match type_info.as_deref() {
        Some(t) if t.kind == fdw_catalog::builtin::TypeKind::Composite => {
            let relation = ps
                .catalog
                .relation(t.relid)
                .ok_or_else(|| Error::Unsupported {
                    what: format!("function {funcname} returning type {}", t.name),
                    position,
                })?;
            for c in &relation.columns {
                columns.push(NsColumn {
                    name: if c.dropped {
                        Cow::Borrowed("")
                    } else {
                        Cow::Owned(c.name.clone())
                    },
                    dropped: c.dropped,
                    type_oid: c.type_oid,
                    typmod: c.typmod,
                    collation: c.collation,
                    varno: RelIndex(0),
                    varattno: AttrNumber(c.attnum),
                });
            }
        }
        Some(t) if t.kind == fdw_catalog::builtin::TypeKind::Pseudo => {
            return Err(Error::Unsupported {
                what: format!("function {funcname} returning {} in FROM", t.name),
                position,
            })
        }
        _ => {
            let colname = match alias {
                Some(a) if a.columns.is_empty() => ident_name(&a.name),
                _ => funcname.clone(),
            };
            columns.push(NsColumn {
                name: Cow::Owned(colname),
                dropped: false,
                type_oid: result_type,
                typmod: funcexpr.typmod(),
                collation: funcexpr.collation(),
                varno: RelIndex(0),
                varattno: attno(0),
            });
        }
    }
    let funccolcount = u32::try_from(columns.len()).unwrap_or(u32::MAX);
    if with_ordinality {
        columns.push(NsColumn {
            name: "ordinality".into(),
            dropped: false,
            type_oid: Oid(20),
            typmod: -1,
            collation: Oid::INVALID,
            varno: RelIndex(0),
            varattno: attno(columns.len()),
        });
    }
    let mut colnames: Vec<String> = columns.iter().map(|c| c.name.to_string()).collect();
    let dropped: Vec<bool> = columns.iter().map(|c| c.dropped).collect();
    apply_column_aliases(&mut colnames, &dropped, alias)?;
    for (c, n) in columns.iter_mut().zip(&colnames) {
        c.name = Cow::Owned(n.clone());
    }
    let rte = RangeTblEntry {
        kind: RteKind::Function {
            functions: vec![RangeTblFunction {
                funcexpr,
                funccolcount,
                funccoltypes: Vec::new(),
            }],
            ordinality: with_ordinality,
        },
        alias: alias_of(alias),
        eref: Alias {
            aliasname: alias.map_or(funcname, |a| ident_name(&a.name)),
            colnames,
        },
        lateral,
        in_from_cl: true,
    };
    Ok(add_item(ps, rte, columns, lateral))
}

/// One `JOIN` (`transformFromClauseItem` for a `JoinExpr`).
fn transform_join<'a>(
    ps: &mut ParseState<'a>,
    left: Item,
    join: &ast::Join,
    alias: Option<&ast::TableAlias>,
    depth: usize,
) -> Result<Item> {
    use ast::JoinOperator as J;
    let (jointype, constraint) = match &join.join_operator {
        J::Join(c) | J::Inner(c) => (JoinType::Inner, Some(c)),
        J::Left(c) | J::LeftOuter(c) => (JoinType::Left, Some(c)),
        J::Right(c) | J::RightOuter(c) => (JoinType::Right, Some(c)),
        J::FullOuter(c) => (JoinType::Full, Some(c)),
        J::CrossJoin(_) => (JoinType::Inner, None),
        _ => return Err(unsupported("this join type", join.relation.span())),
    };
    // The left side is visible to a LATERAL right side.
    let mark = ps.level().namespace.len();
    for ns in &left.namespace {
        ps.push_namespace(NsItem {
            lateral_only: true,
            lateral_ok: true,
            ..*ns
        });
    }
    let right = transform_factor(ps, &join.relation, depth + 1);
    ps.level_mut().namespace.truncate(mark);
    let right = right?;
    check_name_conflicts(ps, &left.namespace, &right.namespace)?;

    let left_cols = join_side_columns(ps, &left);
    let right_cols = join_side_columns(ps, &right);
    let mut using: Vec<(String, Option<Position>)> = Vec::new();
    let mut is_natural = false;
    let mut on: Option<&ast::Expr> = None;
    match constraint {
        None | Some(ast::JoinConstraint::None) => {}
        Some(ast::JoinConstraint::On(expr)) => on = Some(expr),
        Some(ast::JoinConstraint::Using(names)) => {
            for name in names {
                let idents = super::select::object_idents(name)?;
                let Some(ident) = idents.last() else {
                    continue;
                };
                let column = ident_name(ident);
                if using.iter().any(|(u, _)| *u == column) {
                    return Err(Error::analyze(
                        SqlState("42701"),
                        format!("column name \"{column}\" appears more than once in USING clause"),
                        ident_position(ident),
                    ));
                }
                using.push((column, ident_position(ident)));
            }
        }
        Some(ast::JoinConstraint::Natural) => {
            is_natural = true;
            for (name, _) in &left_cols {
                if !name.is_empty()
                    && right_cols.iter().any(|(r, _)| r == name)
                    && !using.iter().any(|(u, _)| u == name)
                {
                    using.push((name.to_string(), None));
                }
            }
        }
    }
    if jointype != JoinType::Inner
        && constraint.is_none_or(|c| matches!(c, ast::JoinConstraint::None))
    {
        return Err(Error::analyze(
            SqlState::SYNTAX_ERROR,
            "syntax error: outer join requires ON, USING or NATURAL",
            super::span_position(join.relation.span()),
        ));
    }

    // Merged USING columns first, then the rest of each side. (A merged
    // column's name is the left side's, the same text as the USING name.)
    let mut merged: Vec<(Cow<'a, str>, Expr, usize, usize)> = Vec::new();
    let mut quals: Option<Expr> = None;
    for (name, position) in &using {
        let l = find_unique(&left_cols, name, "left", *position)?;
        let r = find_unique(&right_cols, name, "right", *position)?;
        let lvar = left_cols[l].1.clone();
        let rvar = right_cols[r].1.clone();
        let saved = ps.expr_kind;
        ps.expr_kind = ExprKind::JoinUsing;
        let eq = deps::make_binary_op(ps, "=", lvar.clone(), rvar.clone(), *position);
        ps.expr_kind = saved;
        let eq = deps::coerce_to_boolean(ps, eq?, "JOIN/USING", *position)?;
        quals = Some(match quals {
            None => eq,
            Some(prev) => and_exprs(prev, eq),
        });
        let merged_var = build_merged_var(ps, jointype, lvar, rvar, *position)?;
        merged.push((left_cols[l].0.clone(), merged_var, l, r));
    }

    // Every column of both sides (merged ones counted once), allocated once.
    let width = left_cols.len() + right_cols.len();
    let mut out_names = Vec::with_capacity(width);
    // The names name resolution sees: borrowed like the sides' names.
    let mut ns_names: Vec<Cow<'a, str>> = Vec::with_capacity(width);
    let mut out_exprs: Vec<Expr> = Vec::with_capacity(width);
    let mut leftcols = Vec::with_capacity(width);
    let mut rightcols = Vec::with_capacity(width);
    for (name, expr, l, r) in &merged {
        out_names.push(name.to_string());
        ns_names.push(name.clone());
        out_exprs.push(expr.clone());
        leftcols.push(attno(*l));
        rightcols.push(attno(*r));
    }
    // The sides' lists are not needed after this: their entries move.
    for (i, (name, var)) in left_cols.into_iter().enumerate() {
        if merged.iter().any(|m| m.2 == i) {
            continue;
        }
        out_names.push(name.to_string());
        ns_names.push(name);
        out_exprs.push(var);
        leftcols.push(attno(i));
        rightcols.push(AttrNumber(0));
    }
    for (i, (name, var)) in right_cols.into_iter().enumerate() {
        if merged.iter().any(|m| m.3 == i) {
            continue;
        }
        out_names.push(name.to_string());
        ns_names.push(name);
        out_exprs.push(var);
        leftcols.push(AttrNumber(0));
        rightcols.push(attno(i));
    }
    let mut colnames = out_names;
    let dropped = vec![false; colnames.len()];
    apply_column_aliases(&mut colnames, &dropped, alias)?;
    if alias.is_some() {
        // Names an alias gave are the ones name resolution sees.
        for (seen, name) in ns_names.iter_mut().zip(&colnames) {
            if **seen != **name {
                *seen = Cow::Owned(name.clone());
            }
        }
    }

    let rte = RangeTblEntry {
        kind: RteKind::Join {
            jointype,
            joinmergedcols: u32::try_from(merged.len()).unwrap_or(u32::MAX),
            joinaliasvars: out_exprs,
            joinleftcols: leftcols,
            joinrightcols: rightcols,
        },
        alias: alias_of(alias),
        eref: Alias {
            aliasname: alias.map_or_else(|| "unnamed_join".to_owned(), |a| ident_name(&a.name)),
            colnames,
        },
        lateral: false,
        in_from_cl: true,
    };
    let rtindex = ps.add_rte(rte, Vec::new());
    // A reference to a join column is the input column itself, except for
    // a merged column that is not a plain input column. (Read back from
    // the entry just added rather than from copies of its lists.)
    let out_exprs: &[Expr] = match ps.rte(rtindex) {
        Some(RangeTblEntry {
            kind: RteKind::Join { joinaliasvars, .. },
            ..
        }) => joinaliasvars,
        _ => {
            return Err(Error::Internal(
                "the join's range-table entry is missing".into(),
            ))
        }
    };
    let columns: Vec<NsColumn<'a>> = out_exprs
        .iter()
        .zip(ns_names)
        .enumerate()
        .map(|(i, (expr, name))| {
            let (varno, varattno) = match expr {
                Expr::Var(v) if v.varlevelsup == 0 => (v.varno, v.varattno),
                _ => (rtindex, attno(i)),
            };
            NsColumn {
                name,
                dropped: false,
                type_oid: expr.type_oid(),
                typmod: expr.typmod(),
                collation: expr.collation(),
                varno,
                varattno,
            }
        })
        .collect();
    if let Some(slot) = ps.level_mut().rte_columns.last_mut() {
        *slot = columns;
    }

    if let Some(on) = on {
        // ON sees exactly the two sides.
        let saved_ns = std::mem::take(&mut ps.level_mut().namespace);
        for ns in left.namespace.iter().chain(&right.namespace) {
            ps.push_namespace(NsItem {
                lateral_only: false,
                lateral_ok: true,
                ..*ns
            });
        }
        let qual = super::select::transform_where(ps, on, ExprKind::JoinOn, "JOIN/ON");
        ps.level_mut().namespace = saved_ns;
        quals = Some(qual?);
    }

    let mut namespace: Vec<NsItem> = if alias.is_some() {
        Vec::new()
    } else {
        left.namespace
            .iter()
            .chain(&right.namespace)
            .map(|ns| NsItem {
                cols_visible: false,
                ..*ns
            })
            .collect()
    };
    namespace.push(NsItem {
        rtindex,
        rel_visible: alias.is_some(),
        cols_visible: true,
        lateral_only: false,
        lateral_ok: true,
    });
    let node = JoinTreeNode::Join(Box::new(JoinExpr {
        jointype,
        is_natural,
        larg: left.node,
        rarg: right.node,
        using_clause: using.into_iter().map(|(n, _)| n).collect(),
        quals,
        alias: alias_of(alias),
        rtindex: Some(rtindex),
    }));
    Ok(Item {
        node,
        namespace,
        rtindex,
    })
}

/// The columns one side of a join offers: (name, `Var`), dropped ones
/// with empty names so positions stay aligned with `joinleftcols`.
fn join_side_columns<'a>(ps: &ParseState<'a>, item: &Item) -> Vec<(Cow<'a, str>, Expr)> {
    ps.rte_columns(item.rtindex)
        .iter()
        .filter(|c| !c.dropped)
        .map(|c| (c.name.clone(), ParseState::make_var(c, 0)))
        .collect()
}

fn find_unique(
    columns: &[(Cow<'_, str>, Expr)],
    name: &str,
    side: &str,
    position: Option<Position>,
) -> Result<usize> {
    let mut found = None;
    for (i, (n, _)) in columns.iter().enumerate() {
        if **n == *name {
            if found.is_some() {
                return Err(Error::analyze(
                    SqlState::AMBIGUOUS_COLUMN,
                    format!("common column name \"{name}\" appears more than once in {side} table"),
                    position,
                ));
            }
            found = Some(i);
        }
    }
    found.ok_or_else(|| {
        Error::analyze(
            SqlState::UNDEFINED_COLUMN,
            format!("column \"{name}\" specified in USING clause does not exist in {side} table"),
            position,
        )
    })
}

/// `left AND right`, flattening an `AND` on the left.
pub(super) fn and_exprs(left: Expr, right: Expr) -> Expr {
    use fdw_core::expr::{BoolExpr, BoolExprType};
    let mut args = fdw_core::expr::ExprList::new();
    if let Expr::BoolExpr(b) = &left {
        if b.boolop == BoolExprType::And {
            args.extend(b.args.iter().cloned());
        } else {
            args.push(left);
        }
    } else {
        args.push(left);
    }
    args.push(right);
    Expr::BoolExpr(Box::new(BoolExpr {
        boolop: BoolExprType::And,
        args,
    }))
}

/// The merged column of `USING` (`buildMergedJoinVar`): both sides coerced
/// to their common type, then the left one (inner/left join), the right
/// one (right join) or `COALESCE(left, right)` (full join).
fn build_merged_var(
    ps: &mut ParseState<'_>,
    jointype: JoinType,
    left: Expr,
    right: Expr,
    position: Option<Position>,
) -> Result<Expr> {
    let common = deps::select_common_type(ps, &[&left, &right], "JOIN/USING", position)?;
    let typmod = if left.type_oid() == right.type_oid() && left.typmod() == right.typmod() {
        left.typmod()
    } else {
        -1
    };
    let coerce = |ps: &ParseState<'_>, e: Expr| -> Result<Expr> {
        if e.type_oid() == common && e.typmod() == typmod {
            return Ok(e);
        }
        let from = e.type_oid();
        deps::coerce_to_target(
            ps,
            e,
            common,
            typmod,
            CoercionContext::Implicit,
            CoercionForm::ImplicitCast,
            position,
        )?
        .ok_or_else(|| {
            Error::analyze(
                SqlState::CANNOT_COERCE,
                format!(
                    "JOIN/USING types {} and {} cannot be matched",
                    ps.catalog.format_type(from),
                    ps.catalog.format_type(common)
                ),
                position,
            )
        })
    };
    let left = coerce(ps, left)?;
    let right = coerce(ps, right)?;
    let mut merged = match jointype {
        JoinType::Inner | JoinType::Left | JoinType::Semi | JoinType::Anti => left,
        JoinType::Right | JoinType::RightAnti | JoinType::RightSemi => right,
        JoinType::Full => {
            let mut args = fdw_core::expr::ExprList::new();
            args.push(left);
            args.push(right);
            Expr::CoalesceExpr(Box::new(CoalesceExpr {
                coalescetype: common,
                coalescecollid: Oid::INVALID,
                args,
            }))
        }
    };
    deps::assign_expr_collations(ps, &mut merged)?;
    Ok(merged)
}
