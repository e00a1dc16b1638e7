//! `SELECT`, `VALUES`, set operations and `WITH` (`transformSelectStmt`,
//! `transformValuesClause`, `transformSetOperationStmt`,
//! `transformWithClause`), result column names (`FigureColname`), and
//! the planner's replacement of join alias variables.

use fdw_core::expr::{BoolExprType, CoercionForm, Expr};
use fdw_core::query::{
    Alias, CommandType, CommonTableExpr, CteMaterialize, FromExpr, JoinTreeNode, LimitOption,
    LockStrength, LockWaitPolicy, Query, RangeTblEntry, RowMarkClause, RteKind, SetOperation,
    SetOperationArg, SetOperationStmt, TargetEntry,
};
use fdw_core::{AttrNumber, Oid, RelIndex, TypMod};
use sqlparser::ast::{self, SetExpr, Spanned};

use super::{clause, deps, from, ident_name, CteEntry, ExprKind, NsColumn, ParseState};
use crate::error::{Error, Position, Result, SqlState};
use crate::types::CoercionContext;

/// Coerces an `unknown`-typed expression (a quoted literal with no
/// context) to `text`, as PostgreSQL does for output columns.
pub(crate) fn resolve_unknown(
    ps: &ParseState<'_>,
    expr: Expr,
    position: Option<Position>,
) -> Result<Expr> {
    let original = expr.clone();
    Ok(deps::coerce_to_target(
        ps,
        expr,
        super::TEXT,
        -1,
        CoercionContext::Implicit,
        CoercionForm::ImplicitCast,
        position,
    )?
    .unwrap_or(original))
}

/// Analyzes a whole query expression at the current level.
pub(crate) fn transform_query(ps: &mut ParseState<'_>, query: &ast::Query) -> Result<Query> {
    // A `for_clause` is the row-locking marker `parse` leaves, or else
    // syntax PostgreSQL does not have.
    if (query.for_clause.is_some() && crate::parse::lock_strengths(query).is_none())
        || query.settings.is_some()
        || query.format_clause.is_some()
        || !query.pipe_operators.is_empty()
    {
        return Err(unsupported("this query syntax", query.body.span()));
    }
    if let Some(with) = &query.with {
        transform_with(ps, with)?;
    }
    let has_modifiers = query.order_by.is_some()
        || query.limit_clause.is_some()
        || query.fetch.is_some()
        || !query.locks.is_empty();
    let mut result = match query.body.as_ref() {
        SetExpr::Select(select) => transform_select(ps, select, query)?,
        SetExpr::Values(values) => transform_values(ps, values, query)?,
        SetExpr::SetOperation { .. } => transform_set_operation(ps, query)?,
        SetExpr::Query(inner) if !has_modifiers => transform_query(ps, inner)?,
        SetExpr::Query(inner) if !inner_has_modifiers(inner) && inner.with.is_none() => {
            // `(SELECT ...) ORDER BY ...`: one statement, as PostgreSQL's
            // grammar merges it.
            let mut merged = (**inner).clone();
            merged.order_by.clone_from(&query.order_by);
            merged.limit_clause.clone_from(&query.limit_clause);
            merged.fetch.clone_from(&query.fetch);
            merged.locks.clone_from(&query.locks);
            merged.for_clause.clone_from(&query.for_clause);
            transform_query(ps, &merged)?
        }
        SetExpr::Query(inner) => {
            return Err(unsupported(
                "ORDER BY/LIMIT on a parenthesized query that has its own",
                inner.body.span(),
            ))
        }
        SetExpr::Table(table) => {
            let select = table_as_select(table)?;
            transform_select(ps, &select, query)?
        }
        SetExpr::Insert(_) | SetExpr::Update(_) | SetExpr::Delete(_) | SetExpr::Merge(_) => {
            return Err(unsupported(
                "data-modifying statements in WITH",
                query.body.span(),
            ))
        }
    };
    let level = ps.level_mut();
    if !level.cte_list.is_empty() && result.cte_list.is_empty() {
        result.cte_list = std::mem::take(&mut level.cte_list);
    }
    Ok(result)
}

fn inner_has_modifiers(query: &ast::Query) -> bool {
    query.order_by.is_some()
        || query.limit_clause.is_some()
        || query.fetch.is_some()
        || !query.locks.is_empty()
}

fn unsupported(what: &str, span: sqlparser::tokenizer::Span) -> Error {
    Error::Unsupported {
        what: what.to_owned(),
        position: super::span_position(span),
    }
}

/// `TABLE t` is `SELECT * FROM t`.
fn table_as_select(table: &ast::Table) -> Result<ast::Select> {
    let sql = match (&table.schema_name, &table.table_name) {
        (Some(schema), Some(name)) => format!("SELECT * FROM {schema}.{name}"),
        (None, Some(name)) => format!("SELECT * FROM {name}"),
        _ => {
            return Err(unsupported(
                "TABLE without a name",
                sqlparser::tokenizer::Span::empty(),
            ))
        }
    };
    let statements = crate::parse::parse(&sql)?;
    match statements.into_iter().next() {
        Some(ast::Statement::Query(query)) => match *query.body {
            SetExpr::Select(select) => Ok(*select),
            _ => Err(Error::Internal("TABLE did not become a SELECT".into())),
        },
        _ => Err(Error::Internal("TABLE did not become a SELECT".into())),
    }
}

/// `WITH` (`transformWithClause`): each query is analyzed in a child level
/// and becomes visible to the later ones and to the main query.
fn transform_with(ps: &mut ParseState<'_>, with: &ast::With) -> Result<()> {
    for cte in &with.cte_tables {
        let name = ident_name(&cte.alias.name);
        let position = super::ident_position(&cte.alias.name);
        if ps.level().ctes.iter().any(|c| c.name == name) {
            return Err(Error::analyze(
                SqlState::DUPLICATE_ALIAS,
                format!("WITH query name \"{name}\" specified more than once"),
                position,
            ));
        }
        if with.recursive && references_name(&cte.query, &name) {
            return Err(Error::Unsupported {
                what: format!("recursive WITH query \"{name}\""),
                position,
            });
        }
        let query = ps.with_child_level(|child| transform_query(child, &cte.query))?;
        let visible: Vec<&TargetEntry> = query.target_list.iter().filter(|t| !t.resjunk).collect();
        let aliases: Vec<String> = cte
            .alias
            .columns
            .iter()
            .map(|c| ident_name(&c.name))
            .collect();
        if aliases.len() > visible.len() {
            return Err(Error::analyze(
                SqlState::INVALID_COLUMN_REFERENCE,
                format!(
                    "WITH query \"{name}\" has {} columns available but {} columns specified",
                    visible.len(),
                    aliases.len()
                ),
                position,
            ));
        }
        let colnames: Vec<String> = visible
            .iter()
            .enumerate()
            .map(|(i, t)| {
                aliases
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| t.resname.clone().unwrap_or_default())
            })
            .collect();
        let coltypes: Vec<Oid> = visible.iter().map(|t| t.expr.type_oid()).collect();
        let coltypmods: Vec<TypMod> = visible.iter().map(|t| t.expr.typmod()).collect();
        let colcollations: Vec<Oid> = visible.iter().map(|t| t.expr.collation()).collect();
        let materialized = match cte.materialized {
            None => CteMaterialize::Default,
            Some(ast::CteAsMaterialized::Materialized) => CteMaterialize::Always,
            Some(ast::CteAsMaterialized::NotMaterialized) => CteMaterialize::Never,
        };
        let level = ps.level_mut();
        level.ctes.push(CteEntry {
            name: name.clone(),
            index: level.cte_list.len(),
            colnames: colnames.clone(),
            coltypes: coltypes.clone(),
            coltypmods: coltypmods.clone(),
            colcollations: colcollations.clone(),
        });
        level.cte_list.push(CommonTableExpr {
            ctename: name,
            aliascolnames: aliases,
            materialized,
            query: Box::new(query),
            recursive: false,
            refcount: 0,
            colnames,
            coltypes,
            coltypmods,
            colcollations,
        });
    }
    Ok(())
}

/// True when the query text mentions `name` as a relation (a
/// self-reference of a recursive `WITH` query).
fn references_name(query: &ast::Query, name: &str) -> bool {
    let text = query.to_string().to_lowercase();
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|word| word == name)
}

/// Analyzes one `SELECT` with the modifiers of its enclosing query
/// expression (`transformSelectStmt`).
fn transform_select(
    ps: &mut ParseState<'_>,
    select: &ast::Select,
    modifiers: &ast::Query,
) -> Result<Query> {
    if select.top.is_some()
        || select.into.is_some()
        || !select.lateral_views.is_empty()
        || select.prewhere.is_some()
        || !select.connect_by.is_empty()
        || !select.cluster_by.is_empty()
        || !select.distribute_by.is_empty()
        || !select.sort_by.is_empty()
        || select.qualify.is_some()
        || select.value_table_mode.is_some()
        || select.exclude.is_some()
        || select.flavor != ast::SelectFlavor::Standard
    {
        let what = if select.into.is_some() {
            "SELECT INTO"
        } else {
            "this SELECT syntax"
        };
        return Err(unsupported(what, select.select_token.0.span));
    }
    let fromlist = from::transform_from_clause(ps, &select.from)?;

    // Named windows are known before the target list is transformed.
    for ast::NamedWindowDefinition(name, expr) in &select.named_window {
        let wanted = ident_name(name);
        if ps
            .level()
            .windows
            .iter()
            .any(|w| w.name.as_deref() == Some(wanted.as_str()))
        {
            return Err(Error::analyze(
                SqlState::WINDOWING_ERROR,
                format!("window \"{wanted}\" is already defined"),
                super::ident_position(name),
            ));
        }
        let spec = match expr {
            ast::NamedWindowExpr::WindowSpec(spec) => spec.clone(),
            ast::NamedWindowExpr::NamedWindow(other) => ast::WindowSpec {
                window_name: Some(other.clone()),
                partition_by: Vec::new(),
                order_by: Vec::new(),
                window_frame: None,
            },
        };
        ps.level_mut().windows.push(super::PendingWindow {
            name: Some(wanted),
            spec,
            position: super::ident_position(name),
        });
    }

    let mut tlist = transform_target_list(ps, &select.projection, ExprKind::SelectTarget)?;

    let quals = match &select.selection {
        Some(node) => Some(transform_where(ps, node, ExprKind::Where, "WHERE")?),
        None => None,
    };
    let mut having = match &select.having {
        Some(node) => Some(transform_where(ps, node, ExprKind::Having, "HAVING")?),
        None => None,
    };
    let sort_clause = match &modifiers.order_by {
        Some(order_by) => match &order_by.kind {
            ast::OrderByKind::Expressions(items) => {
                clause::transform_sort_clause(ps, &mut tlist, items)?
            }
            ast::OrderByKind::All(_) => {
                return Err(unsupported("ORDER BY ALL", select.select_token.0.span))
            }
        },
        None => Vec::new(),
    };
    let (group_clause, grouping_sets, group_distinct) = match &select.group_by {
        ast::GroupByExpr::Expressions(items, modifiers) => {
            if !modifiers.is_empty() {
                return Err(unsupported("GROUP BY ... WITH", select.select_token.0.span));
            }
            let (list, sets) = clause::transform_group_clause(ps, &mut tlist, items, &sort_clause)?;
            (list, sets, false)
        }
        ast::GroupByExpr::All(_) => {
            return Err(unsupported("GROUP BY ALL", select.select_token.0.span))
        }
    };
    let (distinct_clause, has_distinct_on) = match &select.distinct {
        None | Some(ast::Distinct::All) => (Vec::new(), false),
        Some(ast::Distinct::Distinct) => (
            clause::transform_distinct(ps, &mut tlist, &sort_clause, None)?,
            false,
        ),
        Some(ast::Distinct::On(exprs)) => (
            clause::transform_distinct(ps, &mut tlist, &sort_clause, Some(exprs))?,
            true,
        ),
    };
    let (limit_offset, limit_count, limit_option) = transform_limits(ps, modifiers)?;
    if limit_option == LimitOption::WithTies && sort_clause.is_empty() {
        return Err(Error::analyze(
            SqlState("42601"),
            "WITH TIES cannot be specified without ORDER BY clause",
            None,
        ));
    }
    let window_clause = clause::transform_windows(ps, &mut tlist)?;

    let level = ps.level();
    let has_aggs = level.has_aggs;
    if has_aggs || !group_clause.is_empty() || having.is_some() || !grouping_sets.is_empty() {
        let refs: Vec<u32> = group_clause.iter().map(|c| c.tle_sort_group_ref).collect();
        super::agg::check_grouping(ps, &mut tlist, having.as_mut(), &refs)?;
    }

    let (rtable, cte_list) = take_level(ps);
    let mut query = Query {
        command: CommandType::Select,
        cte_list,
        rtable,
        jointree: FromExpr { fromlist, quals },
        target_list: tlist,
        group_clause,
        group_distinct,
        grouping_sets,
        having_qual: having,
        window_clause,
        distinct_clause,
        has_distinct_on,
        sort_clause,
        limit_offset,
        limit_count,
        limit_option,
        param_types: Vec::new(),
        ..Query::default()
    };
    transform_locking(ps, &mut query, modifiers, has_aggs)?;
    deps::assign_query_collations(ps, &mut query)?;
    Ok(query)
}

/// Moves the finished level's range table and `WITH` list out.
fn take_level(ps: &mut ParseState<'_>) -> (Vec<RangeTblEntry>, Vec<CommonTableExpr>) {
    let level = ps.level_mut();
    (
        std::mem::take(&mut level.rtable),
        std::mem::take(&mut level.cte_list),
    )
}

/// `WHERE` / `HAVING` / `ON` condition: transformed and coerced to boolean.
pub(crate) fn transform_where(
    ps: &mut ParseState<'_>,
    node: &ast::Expr,
    kind: ExprKind,
    construct: &str,
) -> Result<Expr> {
    let saved = ps.expr_kind;
    ps.expr_kind = kind;
    let expr = deps::transform_expr(ps, node);
    ps.expr_kind = saved;
    let expr = expr?;
    // An `AND`/`OR` list comes back as one `BoolExpr` whose every argument
    // `transform_binary` has already coerced to boolean and checked not to
    // return a set, and a `BoolExpr` itself returns none: checking the
    // whole condition again would only walk all of it a second time.
    let checked_list = matches!(
        super::expr::strip_parens(node),
        ast::Expr::BinaryOp {
            op: ast::BinaryOperator::And | ast::BinaryOperator::Or,
            ..
        }
    ) && matches!(&expr, Expr::BoolExpr(b) if b.boolop != BoolExprType::Not);
    if checked_list {
        return Ok(expr);
    }
    deps::coerce_to_boolean_at(ps, expr, construct, || super::expr_position(node))
}

/// `LIMIT`, `OFFSET`, `FETCH FIRST`.
fn transform_limits(
    ps: &mut ParseState<'_>,
    query: &ast::Query,
) -> Result<(Option<Expr>, Option<Expr>, LimitOption)> {
    let mut offset = None;
    let mut count = None;
    let mut option = LimitOption::Count;
    match &query.limit_clause {
        Some(ast::LimitClause::LimitOffset {
            limit,
            offset: off,
            limit_by,
        }) => {
            if !limit_by.is_empty() {
                return Err(unsupported("LIMIT BY", query.body.span()));
            }
            if let Some(limit) = limit {
                count = clause::transform_limit(ps, limit, ExprKind::Limit)?;
            }
            if let Some(off) = off {
                offset = clause::transform_limit(ps, &off.value, ExprKind::Offset)?;
            }
        }
        Some(ast::LimitClause::OffsetCommaLimit { .. }) => {
            return Err(Error::analyze(
                SqlState::FEATURE_NOT_SUPPORTED,
                "LIMIT #,# syntax is not supported",
                None,
            ))
        }
        None => {}
    }
    if let Some(fetch) = &query.fetch {
        if fetch.percent {
            return Err(unsupported("FETCH ... PERCENT", query.body.span()));
        }
        if count.is_some() {
            return Err(Error::analyze(
                SqlState::SYNTAX_ERROR,
                "multiple LIMIT clauses not allowed",
                None,
            ));
        }
        count = match &fetch.quantity {
            Some(q) => clause::transform_limit(ps, q, ExprKind::Limit)?,
            // `FETCH FIRST ROW ONLY` means one row.
            None => Some(Expr::Const(fdw_core::expr::Const::new(
                Oid(20),
                Oid::INVALID,
                "1",
            ))),
        };
        if fetch.with_ties {
            option = LimitOption::WithTies;
        }
    }
    Ok((offset, count, option))
}

/// `SELECT` list (`transformTargetList`), with `*` expanded and result
/// names from `FigureColname`; `unknown` outputs become `text`.
pub(crate) fn transform_target_list(
    ps: &mut ParseState<'_>,
    items: &[ast::SelectItem],
    kind: ExprKind,
) -> Result<Vec<TargetEntry>> {
    let saved = ps.expr_kind;
    ps.expr_kind = kind;
    let result = target_list_inner(ps, items);
    ps.expr_kind = saved;
    result
}

fn target_list_inner(
    ps: &mut ParseState<'_>,
    items: &[ast::SelectItem],
) -> Result<Vec<TargetEntry>> {
    let mut tlist: Vec<TargetEntry> = Vec::new();
    let push = |tlist: &mut Vec<TargetEntry>, expr: Expr, name: String| {
        let resno = AttrNumber(i16::try_from(tlist.len() + 1).unwrap_or(i16::MAX));
        tlist.push(TargetEntry {
            expr,
            resno,
            resname: Some(name),
            ressortgroupref: 0,
            resjunk: false,
        });
    };
    for item in items {
        match item {
            ast::SelectItem::UnnamedExpr(node) => {
                if let Some(star) = star_qualifier(node) {
                    for (name, var) in
                        ps.expand_star(star.as_deref(), super::expr_position(node))?
                    {
                        push(&mut tlist, var, name);
                    }
                    continue;
                }
                let expr = transform_output_expr(ps, node)?;
                push(&mut tlist, expr, figure_colname(node));
            }
            ast::SelectItem::ExprWithAlias { expr: node, alias } => {
                let expr = transform_output_expr(ps, node)?;
                push(&mut tlist, expr, ident_name(alias));
            }
            ast::SelectItem::ExprWithAliases { expr, .. } => {
                return Err(unsupported("multiple aliases", expr.span()))
            }
            ast::SelectItem::Wildcard(options) => {
                check_wildcard_options(options)?;
                let position = super::span_position(options.wildcard_token.0.span);
                for (name, var) in ps.expand_star(None, position)? {
                    push(&mut tlist, var, name);
                }
            }
            ast::SelectItem::QualifiedWildcard(kind, options) => {
                check_wildcard_options(options)?;
                let position = super::span_position(options.wildcard_token.0.span);
                let idents = match kind {
                    ast::SelectItemQualifiedWildcardKind::ObjectName(name) => object_idents(name)?,
                    ast::SelectItemQualifiedWildcardKind::Expr(expr) => {
                        return Err(unsupported("(expression).*", expr.span()))
                    }
                };
                for (name, var) in ps.expand_star(Some(&idents), position)? {
                    push(&mut tlist, var, name);
                }
            }
        }
    }
    Ok(tlist)
}

fn check_wildcard_options(options: &ast::WildcardAdditionalOptions) -> Result<()> {
    if options.opt_ilike.is_some()
        || options.opt_exclude.is_some()
        || options.opt_except.is_some()
        || options.opt_replace.is_some()
        || options.opt_rename.is_some()
        || options.opt_alias.is_some()
    {
        return Err(unsupported(
            "options after *",
            options.wildcard_token.0.span,
        ));
    }
    Ok(())
}

/// The qualifier of a `*` written as an expression (`t.*`), if `node` is one.
fn star_qualifier(node: &ast::Expr) -> Option<Option<Vec<ast::Ident>>> {
    match node {
        ast::Expr::Wildcard(_) => Some(None),
        ast::Expr::QualifiedWildcard(name, _) => object_idents(name).ok().map(Some),
        _ => None,
    }
}

/// The identifiers of an object name.
pub(crate) fn object_idents(name: &ast::ObjectName) -> Result<Vec<ast::Ident>> {
    Ok(object_ident_refs(name)?.into_iter().cloned().collect())
}

/// [`object_idents`] without copying the identifiers.
pub(crate) fn object_ident_refs(name: &ast::ObjectName) -> Result<Vec<&ast::Ident>> {
    name.0
        .iter()
        .map(|part| {
            part.as_ident().ok_or_else(|| Error::Unsupported {
                what: format!("name {name}"),
                position: super::span_position(name.span()),
            })
        })
        .collect()
}

/// One output expression; `unknown` literals become `text`
/// (`resolveTargetListUnknowns`).
fn transform_output_expr(ps: &mut ParseState<'_>, node: &ast::Expr) -> Result<Expr> {
    let expr = deps::transform_expr(ps, node)?;
    if expr.type_oid() == super::UNKNOWN {
        return resolve_unknown(ps, expr, super::expr_position(node));
    }
    Ok(expr)
}

/// The result column name PostgreSQL gives an output expression without an
/// alias (`FigureColname`).
pub fn figure_colname(node: &ast::Expr) -> String {
    let (name, _) = figure(node, 0);
    name.unwrap_or_else(|| "?column?".to_owned())
}

/// The name and its strength: 2 for a real name, 1 for a fallback such as
/// a type name or `case`, 0 for none.
fn figure(node: &ast::Expr, depth: usize) -> (Option<String>, u8) {
    if depth > 64 {
        return (None, 0);
    }
    let strong = |s: String| (Some(s), 2);
    match node {
        ast::Expr::Identifier(ident) => strong(ident_name(ident)),
        ast::Expr::CompoundIdentifier(idents) => match idents.last() {
            Some(last) => strong(ident_name(last)),
            None => (None, 0),
        },
        ast::Expr::Nested(inner) => figure(inner, depth + 1),
        ast::Expr::Collate { expr, .. } => figure(expr, depth + 1),
        ast::Expr::Function(function) => {
            let name = function
                .name
                .0
                .last()
                .and_then(|p| p.as_ident())
                .map(ident_name)
                .unwrap_or_default();
            if function.over.is_none() && name == "nullif" {
                return strong(name);
            }
            strong(name)
        }
        ast::Expr::Cast {
            expr, data_type, ..
        } => {
            let (name, strength) = figure(expr, depth + 1);
            if strength <= 1 {
                (Some(type_colname(data_type)), 1)
            } else {
                (name, strength)
            }
        }
        ast::Expr::TypedString(typed) => (Some(type_colname(&typed.data_type)), 1),
        ast::Expr::Case { else_result, .. } => {
            let (name, strength) = match else_result {
                Some(e) => figure(e, depth + 1),
                None => (None, 0),
            };
            if strength <= 1 {
                (Some("case".to_owned()), 1)
            } else {
                (name, strength)
            }
        }
        ast::Expr::Exists { .. } => strong("exists".to_owned()),
        ast::Expr::Subquery(query) => first_column_name(query),
        ast::Expr::Array(_) => strong("array".to_owned()),
        ast::Expr::Tuple(_) => strong("row".to_owned()),
        ast::Expr::Trim { trim_where, .. } => strong(
            match trim_where {
                Some(ast::TrimWhereField::Leading) => "ltrim",
                Some(ast::TrimWhereField::Trailing) => "rtrim",
                _ => "btrim",
            }
            .to_owned(),
        ),
        ast::Expr::Substring { .. } => strong("substring".to_owned()),
        ast::Expr::Position { .. } => strong("position".to_owned()),
        ast::Expr::Overlay { .. } => strong("overlay".to_owned()),
        ast::Expr::Extract { .. } => strong("extract".to_owned()),
        ast::Expr::Ceil { .. } => strong("ceil".to_owned()),
        ast::Expr::Floor { .. } => strong("floor".to_owned()),
        ast::Expr::AtTimeZone { .. } => strong("timezone".to_owned()),
        ast::Expr::Interval(_) => (Some("interval".to_owned()), 1),
        ast::Expr::CompoundFieldAccess { root, access_chain } => {
            for access in access_chain.iter().rev() {
                if let ast::AccessExpr::Dot(ast::Expr::Identifier(ident)) = access {
                    return strong(ident_name(ident));
                }
                if let ast::AccessExpr::Dot(_) = access {
                    return (None, 0);
                }
            }
            figure(root, depth + 1)
        }
        _ => (None, 0),
    }
}

/// The name of the first output column of a scalar sub-select.
fn first_column_name(query: &ast::Query) -> (Option<String>, u8) {
    let mut body = query.body.as_ref();
    for _ in 0..64 {
        match body {
            SetExpr::SetOperation { left, .. } => body = left,
            SetExpr::Query(inner) => body = &inner.body,
            SetExpr::Select(select) => {
                return match select.projection.first() {
                    Some(ast::SelectItem::UnnamedExpr(e)) => {
                        let (name, strength) = figure(e, 1);
                        if strength == 0 {
                            (Some("?column?".to_owned()), 2)
                        } else {
                            (name, 2)
                        }
                    }
                    Some(ast::SelectItem::ExprWithAlias { alias, .. }) => {
                        (Some(ident_name(alias)), 2)
                    }
                    _ => (None, 0),
                }
            }
            SetExpr::Values(_) => return (Some("column1".to_owned()), 2),
            _ => return (None, 0),
        }
    }
    (None, 0)
}

/// The last name of a type as PostgreSQL's grammar spells it (`int` is
/// `int4`, `character varying` is `varchar`, ...).
fn type_colname(data_type: &ast::DataType) -> String {
    use ast::DataType as D;
    match data_type {
        D::Int(_) | D::Integer(_) | D::Int4(_) => "int4".into(),
        D::SmallInt(_) | D::Int2(_) => "int2".into(),
        D::BigInt(_) | D::Int8(_) => "int8".into(),
        D::Real | D::Float4 => "float4".into(),
        D::Float(info) => match float_precision(info) {
            Some(p) if p <= 24 => "float4".into(),
            _ => "float8".into(),
        },
        D::DoublePrecision | D::Double(_) | D::Float8 => "float8".into(),
        D::Numeric(_) | D::Decimal(_) | D::Dec(_) => "numeric".into(),
        D::Boolean | D::Bool => "bool".into(),
        D::Char(_) | D::Character(_) => "bpchar".into(),
        D::Varchar(_) | D::CharacterVarying(_) | D::CharVarying(_) => "varchar".into(),
        D::Text => "text".into(),
        D::Date => "date".into(),
        D::Timestamp(_, tz) => match tz {
            ast::TimezoneInfo::WithTimeZone | ast::TimezoneInfo::Tz => "timestamptz".into(),
            _ => "timestamp".into(),
        },
        D::Time(_, tz) => match tz {
            ast::TimezoneInfo::WithTimeZone | ast::TimezoneInfo::Tz => "timetz".into(),
            _ => "time".into(),
        },
        D::Interval { .. } => "interval".into(),
        D::Array(ast::ArrayElemTypeDef::SquareBracket(inner, _))
        | D::Array(ast::ArrayElemTypeDef::AngleBracket(inner)) => type_colname(inner),
        D::Custom(name, _) => name
            .0
            .last()
            .and_then(|p| p.as_ident())
            .map(ident_name)
            .unwrap_or_default(),
        other => other
            .to_string()
            .split('(')
            .next()
            .unwrap_or_default()
            .trim()
            .to_lowercase(),
    }
}

fn float_precision(info: &ast::ExactNumberInfo) -> Option<u64> {
    match info {
        ast::ExactNumberInfo::None => None,
        ast::ExactNumberInfo::Precision(p) | ast::ExactNumberInfo::PrecisionAndScale(p, _) => {
            Some(*p)
        }
    }
}

/// `VALUES (...), (...)` as a query (`transformValuesClause`): a values
/// range-table entry with one common type per column.
fn transform_values(
    ps: &mut ParseState<'_>,
    values: &ast::Values,
    modifiers: &ast::Query,
) -> Result<Query> {
    let rows = transform_values_rows(ps, values, ExprKind::Values)?;
    let (rows, coltypes, coltypmods, colcollations) = unify_values_columns(ps, rows, "VALUES")?;
    let width = coltypes.len();
    let colnames: Vec<String> = (1..=width).map(|i| format!("column{i}")).collect();
    let columns = colnames
        .iter()
        .enumerate()
        .map(|(i, name)| NsColumn {
            name: std::borrow::Cow::Owned(name.clone()),
            dropped: false,
            type_oid: coltypes[i],
            typmod: coltypmods[i],
            collation: colcollations[i],
            varno: RelIndex(1),
            varattno: AttrNumber(i16::try_from(i + 1).unwrap_or(i16::MAX)),
        })
        .collect::<Vec<_>>();
    let rte = RangeTblEntry {
        kind: RteKind::Values {
            values_lists: rows,
            coltypes,
            coltypmods,
            colcollations,
        },
        alias: None,
        eref: Alias {
            aliasname: "*VALUES*".into(),
            colnames: colnames.clone(),
        },
        lateral: false,
        in_from_cl: true,
    };
    let rtindex = ps.add_rte(rte, Vec::new());
    let columns: Vec<NsColumn<'_>> = columns
        .into_iter()
        .map(|c| NsColumn {
            varno: rtindex,
            ..c
        })
        .collect();
    if let Some(slot) = ps.level_mut().rte_columns.last_mut() {
        slot.clone_from(&columns);
    }
    ps.push_namespace(super::NsItem {
        rtindex,
        rel_visible: true,
        cols_visible: true,
        lateral_only: false,
        lateral_ok: true,
    });
    let mut tlist: Vec<TargetEntry> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| TargetEntry {
            expr: ParseState::make_var(c, 0),
            resno: AttrNumber(i16::try_from(i + 1).unwrap_or(i16::MAX)),
            resname: Some(c.name.to_string()),
            ressortgroupref: 0,
            resjunk: false,
        })
        .collect();
    let sort_clause = match &modifiers.order_by {
        Some(ast::OrderBy {
            kind: ast::OrderByKind::Expressions(items),
            ..
        }) => clause::transform_sort_clause(ps, &mut tlist, items)?,
        Some(_) => return Err(unsupported("ORDER BY ALL", modifiers.body.span())),
        None => Vec::new(),
    };
    let (limit_offset, limit_count, limit_option) = transform_limits(ps, modifiers)?;
    if !modifiers.locks.is_empty() {
        return Err(Error::analyze(
            SqlState::FEATURE_NOT_SUPPORTED,
            "FOR UPDATE cannot be applied to VALUES",
            None,
        ));
    }
    let (rtable, cte_list) = take_level(ps);
    let mut query = Query {
        command: CommandType::Select,
        cte_list,
        rtable,
        jointree: FromExpr {
            fromlist: vec![JoinTreeNode::RangeTblRef(rtindex)],
            quals: None,
        },
        target_list: tlist,
        sort_clause,
        limit_offset,
        limit_count,
        limit_option,
        ..Query::default()
    };
    deps::assign_query_collations(ps, &mut query)?;
    Ok(query)
}

/// Transforms the rows of a `VALUES` list, checking they have equal lengths.
pub(crate) fn transform_values_rows(
    ps: &mut ParseState<'_>,
    values: &ast::Values,
    kind: ExprKind,
) -> Result<Vec<Vec<Expr>>> {
    let saved = ps.expr_kind;
    ps.expr_kind = kind;
    let mut rows = Vec::with_capacity(values.rows.len());
    let mut width = None;
    let mut result = Ok(());
    for row in &values.rows {
        let exprs = &row.content;
        if let Some(w) = width {
            if w != exprs.len() {
                result = Err(Error::analyze(
                    SqlState::SYNTAX_ERROR,
                    "VALUES lists must all be the same length",
                    exprs.first().and_then(super::expr_position),
                ));
                break;
            }
        }
        width = Some(exprs.len());
        let mut out = Vec::with_capacity(exprs.len());
        for e in exprs {
            if is_default_keyword(e) {
                result = Err(Error::analyze(
                    SqlState::SYNTAX_ERROR,
                    "DEFAULT is not allowed in this context",
                    super::expr_position(e),
                ));
                break;
            }
            match deps::transform_expr(ps, e) {
                Ok(x) => out.push(x),
                Err(err) => {
                    result = Err(err);
                    break;
                }
            }
        }
        if result.is_err() {
            break;
        }
        rows.push(out);
    }
    ps.expr_kind = saved;
    result.map(|()| rows)
}

/// True for the `DEFAULT` keyword written as a value.
pub(crate) fn is_default_keyword(e: &ast::Expr) -> bool {
    matches!(e, ast::Expr::Identifier(ident) if ident.quote_style.is_none() && ident.value.eq_ignore_ascii_case("default"))
}

type UnifiedColumns = (Vec<Vec<Expr>>, Vec<Oid>, Vec<TypMod>, Vec<Oid>);

/// One common type per column of `rows` (`select_common_type`), every value
/// coerced to it; the typmod survives only when all rows agree.
fn unify_values_columns(
    ps: &mut ParseState<'_>,
    mut rows: Vec<Vec<Expr>>,
    context: &str,
) -> Result<UnifiedColumns> {
    let width = rows.first().map_or(0, Vec::len);
    let mut coltypes = Vec::with_capacity(width);
    let mut coltypmods = Vec::with_capacity(width);
    let mut colcollations = Vec::with_capacity(width);
    for col in 0..width {
        let column: Vec<&Expr> = rows.iter().filter_map(|r| r.get(col)).collect();
        let common = deps::select_common_type(ps, &column, context, None)?;
        let common = if common == super::UNKNOWN {
            super::TEXT
        } else {
            common
        };
        let first_typmod = column.first().map_or(-1, |e| e.typmod());
        let mut typmod = first_typmod;
        for row in &mut rows {
            let Some(slot) = row.get_mut(col) else {
                continue;
            };
            let value = std::mem::replace(
                slot,
                Expr::Const(fdw_core::expr::Const::null(Oid::INVALID, -1, Oid::INVALID)),
            );
            if value.typmod() != first_typmod || value.type_oid() != common {
                typmod = if value.type_oid() == common && value.typmod() == first_typmod {
                    typmod
                } else {
                    -1
                };
            }
            let value_type = value.type_oid();
            let coerced = coerce_or_error(ps, value, common, context, value_type)?;
            *slot = coerced;
        }
        let mut collation_probe: Vec<Expr> =
            rows.iter().filter_map(|r| r.get(col).cloned()).collect();
        let mut collation = Oid::INVALID;
        for e in &mut collation_probe {
            deps::assign_expr_collations(ps, e)?;
            if collation.is_invalid() {
                collation = e.collation();
            }
        }
        coltypes.push(common);
        coltypmods.push(typmod);
        colcollations.push(collation);
    }
    Ok((rows, coltypes, coltypmods, colcollations))
}

fn coerce_or_error(
    ps: &ParseState<'_>,
    value: Expr,
    target: Oid,
    context: &str,
    value_type: Oid,
) -> Result<Expr> {
    if value_type == target {
        return Ok(value);
    }
    match deps::coerce_to_target(
        ps,
        value,
        target,
        -1,
        CoercionContext::Implicit,
        CoercionForm::ImplicitCast,
        None,
    )? {
        Some(e) => Ok(e),
        None => Err(Error::analyze(
            SqlState::CANNOT_COERCE,
            format!(
                "{context} could not convert type {} to {}",
                ps.catalog.format_type(value_type),
                ps.catalog.format_type(target)
            ),
            None,
        )),
    }
}

/// A leaf or node of a set-operation tree while it is being built.
struct SetOpColumns {
    types: Vec<Oid>,
    typmods: Vec<TypMod>,
    collations: Vec<Oid>,
    /// Column names of the leftmost leaf.
    names: Vec<String>,
    /// The leftmost leaf's range-table index.
    leftmost: RelIndex,
}

/// `UNION` / `INTERSECT` / `EXCEPT` (`transformSetOperationStmt`).
fn transform_set_operation(ps: &mut ParseState<'_>, query: &ast::Query) -> Result<Query> {
    let mut leaf_count = 0;
    let (tree, columns) = set_operation_node(ps, &query.body, &mut leaf_count, 0)?;
    let SetOperationArg::Op(op) = tree else {
        return Err(Error::Internal("set operation without an operator".into()));
    };
    let mut tlist: Vec<TargetEntry> = (0..columns.types.len())
        .map(|i| TargetEntry {
            expr: Expr::Var(fdw_core::expr::Var::new(
                columns.leftmost,
                AttrNumber(i16::try_from(i + 1).unwrap_or(i16::MAX)),
                columns.types[i],
                columns.typmods[i],
                columns.collations[i],
            )),
            resno: AttrNumber(i16::try_from(i + 1).unwrap_or(i16::MAX)),
            resname: columns.names.get(i).cloned(),
            ressortgroupref: 0,
            resjunk: false,
        })
        .collect();
    // ORDER BY sees only the result columns, by name or position.
    let sort_clause = match &query.order_by {
        Some(ast::OrderBy {
            kind: ast::OrderByKind::Expressions(items),
            ..
        }) => {
            let mut list = Vec::new();
            for item in items {
                let index = set_op_sort_target(&tlist, &item.expr)?;
                clause::add_sort_item(ps, &mut tlist, index, &mut list, item)?;
            }
            list
        }
        Some(_) => return Err(unsupported("ORDER BY ALL", query.body.span())),
        None => Vec::new(),
    };
    let (limit_offset, limit_count, limit_option) = transform_limits(ps, query)?;
    if !query.locks.is_empty() {
        return Err(Error::analyze(
            SqlState::FEATURE_NOT_SUPPORTED,
            "FOR UPDATE is not allowed with UNION/INTERSECT/EXCEPT",
            None,
        ));
    }
    let (rtable, cte_list) = take_level(ps);
    let mut result = Query {
        command: CommandType::Select,
        cte_list,
        rtable,
        jointree: FromExpr::default(),
        target_list: tlist,
        sort_clause,
        limit_offset,
        limit_count,
        limit_option,
        set_operations: Some(*op),
        ..Query::default()
    };
    deps::assign_query_collations(ps, &mut result)?;
    Ok(result)
}

fn set_op_sort_target(tlist: &[TargetEntry], node: &ast::Expr) -> Result<usize> {
    let position = super::expr_position(node);
    match node {
        ast::Expr::Identifier(ident) => {
            let name = ident_name(ident);
            tlist
                .iter()
                .position(|t| t.resname.as_deref() == Some(name.as_str()))
                .ok_or_else(|| {
                    Error::analyze(
                        SqlState::UNDEFINED_COLUMN,
                        format!("column \"{name}\" does not exist"),
                        position,
                    )
                })
        }
        ast::Expr::Value(v) => match &v.value {
            ast::Value::Number(n, _) => n
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .filter(|i| *i < tlist.len())
                .ok_or_else(|| {
                    Error::analyze(
                        SqlState::INVALID_COLUMN_REFERENCE,
                        format!("ORDER BY position {n} is not in select list"),
                        position,
                    )
                }),
            _ => Err(set_op_order_error(position)),
        },
        _ => Err(set_op_order_error(position)),
    }
}

fn set_op_order_error(position: Option<Position>) -> Error {
    Error::analyze(
        SqlState::FEATURE_NOT_SUPPORTED,
        "invalid UNION/INTERSECT/EXCEPT ORDER BY clause",
        position,
    )
}

fn set_operation_node(
    ps: &mut ParseState<'_>,
    body: &SetExpr,
    leaf_count: &mut usize,
    depth: usize,
) -> Result<(SetOperationArg, SetOpColumns)> {
    if depth > 256 {
        return Err(Error::TooDeep { limit: 256 });
    }
    match body {
        SetExpr::SetOperation {
            left,
            op,
            set_quantifier,
            right,
        } => {
            let (op, opname) = match op {
                ast::SetOperator::Union => (SetOperation::Union, "UNION"),
                ast::SetOperator::Intersect => (SetOperation::Intersect, "INTERSECT"),
                ast::SetOperator::Except => (SetOperation::Except, "EXCEPT"),
                ast::SetOperator::Minus => {
                    return Err(unsupported("MINUS", body.span()));
                }
            };
            let all = match set_quantifier {
                ast::SetQuantifier::All => true,
                ast::SetQuantifier::Distinct | ast::SetQuantifier::None => false,
                _ => return Err(unsupported("BY NAME", body.span())),
            };
            let (larg, lcols) = set_operation_node(ps, left, leaf_count, depth + 1)?;
            let (rarg, rcols) = set_operation_node(ps, right, leaf_count, depth + 1)?;
            if lcols.types.len() != rcols.types.len() {
                return Err(Error::analyze(
                    SqlState::SYNTAX_ERROR,
                    format!("each {opname} query must have the same number of columns"),
                    super::span_position(right.span()),
                ));
            }
            let mut types = Vec::new();
            let mut typmods = Vec::new();
            let mut collations = Vec::new();
            let mut group_clauses = Vec::new();
            for i in 0..lcols.types.len() {
                let probe_l = probe_expr(lcols.types[i], lcols.typmods[i], lcols.collations[i]);
                let probe_r = probe_expr(rcols.types[i], rcols.typmods[i], rcols.collations[i]);
                let common = deps::select_common_type(ps, &[&probe_l, &probe_r], opname, None)?;
                let common = if common == super::UNKNOWN {
                    super::TEXT
                } else {
                    common
                };
                if lcols.types[i] != common
                    && !crate::types::can_coerce_type(
                        ps.catalog,
                        &[lcols.types[i]],
                        &[common],
                        CoercionContext::Implicit,
                    )
                {
                    return Err(Error::analyze(
                        SqlState::DATATYPE_MISMATCH,
                        format!(
                            "{opname} types {} and {} cannot be matched",
                            ps.catalog.format_type(lcols.types[i]),
                            ps.catalog.format_type(rcols.types[i])
                        ),
                        None,
                    ));
                }
                let typmod =
                    if lcols.typmods[i] == rcols.typmods[i] && lcols.types[i] == rcols.types[i] {
                        lcols.typmods[i]
                    } else {
                        -1
                    };
                let collation = if lcols.collations[i] == rcols.collations[i] {
                    lcols.collations[i]
                } else if lcols.collations[i].is_invalid() {
                    rcols.collations[i]
                } else if rcols.collations[i].is_invalid() {
                    lcols.collations[i]
                } else {
                    return Err(Error::analyze(
                        SqlState::COLLATION_MISMATCH,
                        format!(
                            "collation mismatch between implicit collations \"{}\" and \"{}\"",
                            collation_name(ps, lcols.collations[i]),
                            collation_name(ps, rcols.collations[i])
                        ),
                        None,
                    ));
                };
                if !all {
                    group_clauses.push(clause::sort_group_clause_for_type(
                        ps.catalog, common, false, None, None, false, None,
                    )?);
                }
                types.push(common);
                typmods.push(typmod);
                collations.push(collation);
            }
            let stmt = SetOperationStmt {
                op,
                all,
                larg,
                rarg,
                col_types: types.clone(),
                col_typmods: typmods.clone(),
                col_collations: collations.clone(),
                group_clauses,
            };
            Ok((
                SetOperationArg::Op(Box::new(stmt)),
                SetOpColumns {
                    types,
                    typmods,
                    collations,
                    names: lcols.names,
                    leftmost: lcols.leftmost,
                },
            ))
        }
        SetExpr::Query(inner) if !inner_has_modifiers(inner) && inner.with.is_none() => {
            set_operation_node(ps, &inner.body, leaf_count, depth + 1)
        }
        leaf => {
            *leaf_count += 1;
            let wrapper = match leaf {
                SetExpr::Query(inner) => (**inner).clone(),
                other => ast::Query {
                    with: None,
                    body: Box::new(other.clone()),
                    order_by: None,
                    limit_clause: None,
                    fetch: None,
                    locks: Vec::new(),
                    for_clause: None,
                    settings: None,
                    format_clause: None,
                    pipe_operators: Vec::new(),
                },
            };
            let sub = ps.with_child_level(|child| transform_query(child, &wrapper))?;
            let visible: Vec<&TargetEntry> =
                sub.target_list.iter().filter(|t| !t.resjunk).collect();
            let names: Vec<String> = visible
                .iter()
                .map(|t| t.resname.clone().unwrap_or_default())
                .collect();
            let columns = SetOpColumns {
                types: visible.iter().map(|t| t.expr.type_oid()).collect(),
                typmods: visible.iter().map(|t| t.expr.typmod()).collect(),
                collations: visible.iter().map(|t| t.expr.collation()).collect(),
                names: names.clone(),
                leftmost: RelIndex(0),
            };
            let rte = RangeTblEntry {
                kind: RteKind::Subquery {
                    query: Box::new(sub),
                    security_barrier: false,
                },
                alias: None,
                eref: Alias {
                    aliasname: format!("*SELECT* {leaf_count}"),
                    colnames: names,
                },
                lateral: false,
                in_from_cl: false,
            };
            let rtindex = ps.add_rte(rte, Vec::new());
            Ok((
                SetOperationArg::Leaf(rtindex),
                SetOpColumns {
                    leftmost: rtindex,
                    ..columns
                },
            ))
        }
    }
}

fn collation_name(ps: &ParseState<'_>, oid: Oid) -> String {
    ps.catalog
        .builtin()
        .collation(oid)
        .map_or_else(|| oid.to_string(), |c| c.name.clone())
}

/// A stand-in expression of a given type for `select_common_type`.
fn probe_expr(type_oid: Oid, typmod: TypMod, collation: Oid) -> Expr {
    Expr::Const(fdw_core::expr::Const {
        consttype: type_oid,
        consttypmod: typmod,
        constcollid: collation,
        value: Some(String::new()),
    })
}

/// `FOR UPDATE` / `FOR SHARE` (`transformLockingClause`).
fn transform_locking(
    ps: &ParseState<'_>,
    query: &mut Query,
    modifiers: &ast::Query,
    has_aggs: bool,
) -> Result<()> {
    let strengths = crate::parse::lock_strengths(modifiers)
        .ok_or_else(|| unsupported("this query syntax", modifiers.body.span()))?;
    for (lock, strength) in modifiers.locks.iter().zip(strengths) {
        let word = match strength {
            LockStrength::Update => "FOR UPDATE",
            LockStrength::Share => "FOR SHARE",
            LockStrength::NoKeyUpdate => "FOR NO KEY UPDATE",
            LockStrength::KeyShare => "FOR KEY SHARE",
        };
        let not_allowed = |what: &str| {
            Err(Error::analyze(
                SqlState::FEATURE_NOT_SUPPORTED,
                format!("{word} is not allowed with {what}"),
                None,
            ))
        };
        if !query.distinct_clause.is_empty() {
            return not_allowed("DISTINCT clause");
        }
        if !query.group_clause.is_empty() || !query.grouping_sets.is_empty() {
            return not_allowed("GROUP BY clause");
        }
        if query.having_qual.is_some() {
            return not_allowed("HAVING clause");
        }
        if has_aggs {
            return not_allowed("aggregate functions");
        }
        if !query.window_clause.is_empty() {
            return not_allowed("window functions");
        }
        let wait_policy = match lock.nonblock {
            None => LockWaitPolicy::Block,
            Some(ast::NonBlock::Nowait) => LockWaitPolicy::Error,
            Some(ast::NonBlock::SkipLocked) => LockWaitPolicy::Skip,
        };
        match &lock.of {
            None => apply_lock_all(query, strength, wait_policy, false, 0)?,
            Some(name) => {
                let idents = object_idents(name)?;
                let wanted = idents.last().map(ident_name).unwrap_or_default();
                let index = query
                    .rtable
                    .iter()
                    .position(|rte| rte.in_from_cl && rte.eref.aliasname == wanted);
                let Some(index) = index else {
                    return Err(Error::analyze(
                        SqlState::UNDEFINED_TABLE,
                        format!("relation \"{wanted}\" in {word} clause not found in FROM clause"),
                        super::span_position(name.span()),
                    ));
                };
                let rti = RelIndex(u32::try_from(index + 1).unwrap_or(u32::MAX));
                apply_lock(query, rti, strength, wait_policy, false);
                if let Some(RangeTblEntry {
                    kind: RteKind::Subquery { query: sub, .. },
                    ..
                }) = query.rtable.get_mut(index)
                {
                    apply_lock_all(sub, strength, wait_policy, true, 1)?;
                }
            }
        }
    }
    let _ = ps;
    Ok(())
}

fn apply_lock_all(
    query: &mut Query,
    strength: LockStrength,
    wait_policy: LockWaitPolicy,
    pushed_down: bool,
    depth: usize,
) -> Result<()> {
    if depth > 64 {
        return Err(Error::TooDeep { limit: 64 });
    }
    for index in 0..query.rtable.len() {
        let rti = RelIndex(u32::try_from(index + 1).unwrap_or(u32::MAX));
        let is_relation = matches!(query.rtable[index].kind, RteKind::Relation { .. });
        let is_subquery = matches!(query.rtable[index].kind, RteKind::Subquery { .. });
        if !query.rtable[index].in_from_cl {
            continue;
        }
        if is_relation || is_subquery {
            apply_lock(query, rti, strength, wait_policy, pushed_down);
        }
        if let RteKind::Subquery { query: sub, .. } = &mut query.rtable[index].kind {
            apply_lock_all(sub, strength, wait_policy, true, depth + 1)?;
        }
    }
    Ok(())
}

/// `applyLockingClause`: the strongest request wins per relation.
fn apply_lock(
    query: &mut Query,
    rti: RelIndex,
    strength: LockStrength,
    wait_policy: LockWaitPolicy,
    pushed_down: bool,
) {
    if let Some(existing) = query.row_marks.iter_mut().find(|m| m.rti == rti) {
        existing.strength = existing.strength.max(strength);
        existing.wait_policy = existing.wait_policy.max(wait_policy);
        existing.pushed_down &= pushed_down;
        return;
    }
    query.row_marks.push(RowMarkClause {
        rti,
        strength,
        wait_policy,
        pushed_down,
    });
}
