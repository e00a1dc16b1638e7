//! `INSERT`, `UPDATE` and `DELETE` (`transformInsertStmt`,
//! `transformUpdateStmt`, `transformDeleteStmt`): the target relation,
//! assignment coercion of the values to the columns' types and typmods,
//! `ON CONFLICT`, `RETURNING`.

use fdw_catalog::objects::Relation;
use fdw_core::expr::{CoercionForm, Expr, SetToDefault};
use fdw_core::query::{
    Alias, CommandType, ConflictArbiter, FromExpr, InferenceElem, JoinTreeNode, OnConflict,
    OnConflictAction, Query, RangeTblEntry, RelKind, RteKind, TargetEntry,
};
use fdw_core::{AttrNumber, Oid, RelIndex};
use sqlparser::ast::{self, Spanned};

use super::select::{is_default_keyword, object_idents, transform_target_list, transform_where};
use super::{deps, ident_name, ident_position, ExprKind, NsColumn, NsItem, ParseState};
use crate::error::{Error, Position, Result, SqlState};
use crate::types::CoercionContext;

/// The target relation of a statement: resolved and added as entry 1.
struct Target<'c> {
    /// The target; for a view, the view with its derived columns.
    relation: std::borrow::Cow<'c, Relation>,
    rtindex: RelIndex,
    /// For a view: how the statement becomes one on its base relation.
    view: Option<super::view::ViewTarget>,
}

fn unsupported(what: &str, span: sqlparser::tokenizer::Span) -> Error {
    Error::Unsupported {
        what: what.to_owned(),
        position: super::span_position(span),
    }
}

/// Resolves and registers the target relation (`setTargetTable`).
fn set_target_table<'c>(
    ps: &mut ParseState<'c>,
    name: &ast::ObjectName,
    alias: Option<String>,
    in_from_cl: bool,
    visible: bool,
    command: CommandType,
) -> Result<Target<'c>> {
    let idents = object_idents(name)?;
    let position = super::span_position(name.span());
    let folded: Vec<String> = idents.iter().map(ident_name).collect();
    let (schema, relname) = match folded.as_slice() {
        [relname] => (None, relname.clone()),
        [schema, relname] | [_, schema, relname] => (Some(schema.clone()), relname.clone()),
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
    let catalog = ps.catalog;
    let relation = catalog
        .resolve_relation(schema.as_deref(), &relname)
        .map_err(|_| {
            let shown = match &schema {
                Some(s) => format!("{s}.{relname}"),
                None => relname.clone(),
            };
            Error::analyze(
                SqlState::UNDEFINED_TABLE,
                format!("relation \"{shown}\" does not exist"),
                position,
            )
        })?;
    let (relation, view) = if super::view::is_view(relation) {
        let (synthetic, view) = super::view::target_view(ps, relation, command, position)?;
        (std::borrow::Cow::Owned(synthetic), Some(view))
    } else {
        (std::borrow::Cow::Borrowed(relation), None)
    };
    let relkind = match relation.kind {
        fdw_catalog::objects::RelationKind::Table => RelKind::Table,
        fdw_catalog::objects::RelationKind::PartitionedTable => RelKind::PartitionedTable,
        fdw_catalog::objects::RelationKind::View => RelKind::View,
        fdw_catalog::objects::RelationKind::ForeignTable => RelKind::ForeignTable,
        fdw_catalog::objects::RelationKind::CompositeType => {
            return Err(Error::analyze(
                SqlState::WRONG_OBJECT_TYPE,
                format!("cannot change relation \"{relname}\""),
                position,
            ))
        }
    };
    let colnames: Vec<String> = relation
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
    let rte = RangeTblEntry {
        kind: RteKind::Relation {
            relid: relation.oid,
            relkind,
            inh: true,
            check_as_user: None,
            tablesample: None,
        },
        alias: alias.as_ref().map(|a| Alias {
            aliasname: a.clone(),
            colnames: Vec::new(),
        }),
        eref: Alias {
            aliasname: alias.unwrap_or_else(|| relation.name.clone()),
            colnames,
        },
        lateral: false,
        in_from_cl,
    };
    let rtindex = add_relation_rte(ps, rte, &relation, visible);
    ps.level_mut().result_relation = Some(rtindex);
    Ok(Target {
        relation,
        rtindex,
        view,
    })
}

fn add_relation_rte(
    ps: &mut ParseState<'_>,
    rte: RangeTblEntry,
    relation: &Relation,
    visible: bool,
) -> RelIndex {
    let rtindex = ps.add_rte(rte, Vec::new());
    let columns: Vec<NsColumn<'_>> = relation
        .columns
        .iter()
        .map(|c| NsColumn {
            name: if c.dropped {
                std::borrow::Cow::Borrowed("")
            } else {
                std::borrow::Cow::Owned(c.name.clone())
            },
            dropped: c.dropped,
            type_oid: c.type_oid,
            typmod: c.typmod,
            collation: c.collation,
            varno: rtindex,
            varattno: AttrNumber(c.attnum),
        })
        .collect();
    if let Some(slot) = ps.level_mut().rte_columns.last_mut() {
        *slot = columns;
    }
    if visible {
        ps.push_namespace(NsItem {
            rtindex,
            rel_visible: true,
            cols_visible: true,
            lateral_only: false,
            lateral_ok: true,
        });
    }
    rtindex
}

/// The live column `name` of the target (`attnameAttNum`).
fn target_column<'r>(
    relation: &'r Relation,
    name: &str,
    position: Option<Position>,
) -> Result<&'r fdw_catalog::objects::Column> {
    relation.column(name).ok_or_else(|| {
        Error::analyze(
            SqlState::UNDEFINED_COLUMN,
            format!(
                "column \"{name}\" of relation \"{}\" does not exist",
                relation.name
            ),
            position,
        )
    })
}

/// A value assigned to a column (`transformAssignedExpr`): `DEFAULT`, or
/// the value coerced to the column's type and typmod in assignment context.
fn assigned_value(
    ps: &mut ParseState<'_>,
    column: &fdw_catalog::objects::Column,
    expr: Option<Expr>,
    position: Option<Position>,
) -> Result<Expr> {
    let Some(expr) = expr else {
        return Ok(Expr::SetToDefault(SetToDefault {
            type_id: column.type_oid,
            type_mod: column.typmod,
            collation: column.collation,
        }));
    };
    let from = expr.type_oid();
    match deps::coerce_to_target(
        ps,
        expr,
        column.type_oid,
        column.typmod,
        CoercionContext::Assignment,
        CoercionForm::ImplicitCast,
        position,
    )? {
        Some(e) => Ok(e),
        None => Err(Error::analyze(
            SqlState::DATATYPE_MISMATCH,
            format!(
                "column \"{}\" is of type {} but expression is of type {}",
                column.name,
                ps.catalog.format_type(column.type_oid),
                ps.catalog.format_type(from)
            ),
            position,
        )),
    }
}

fn transform_value(
    ps: &mut ParseState<'_>,
    node: &ast::Expr,
    kind: ExprKind,
) -> Result<Option<Expr>> {
    if is_default_keyword(node) {
        return Ok(None);
    }
    let saved = ps.expr_kind;
    ps.expr_kind = kind;
    let expr = deps::transform_expr(ps, node);
    ps.expr_kind = saved;
    expr.map(Some)
}

fn resno(attnum: i16) -> AttrNumber {
    AttrNumber(attnum)
}

/// `INSERT` (`transformInsertStmt`).
pub(super) fn transform_insert(ps: &mut ParseState<'_>, insert: &ast::Insert) -> Result<Query> {
    if insert.or.is_some()
        || insert.ignore
        || insert.overwrite
        || !insert.assignments.is_empty()
        || insert.partitioned.is_some()
        || !insert.after_columns.is_empty()
        || insert.has_table_keyword
        || insert.output.is_some()
    {
        return Err(unsupported(
            "this INSERT syntax",
            insert.insert_token.0.span,
        ));
    }
    let ast::TableObject::TableName(name) = &insert.table else {
        return Err(unsupported(
            "INSERT into a function",
            insert.insert_token.0.span,
        ));
    };
    let alias = insert.table_alias.as_ref().map(|a| ident_name(&a.alias));
    let target = set_target_table(ps, name, alias, false, false, CommandType::Insert)?;
    let relation: &Relation = &target.relation;

    // The target columns (`checkInsertTargets`).
    let mut columns: Vec<&fdw_catalog::objects::Column> = Vec::new();
    if insert.columns.is_empty() {
        columns.extend(relation.live_columns());
    } else {
        for column in &insert.columns {
            let idents = object_idents(column)?;
            let position = super::span_position(column.span());
            if idents.len() != 1 {
                return Err(unsupported(
                    "assignment to a field or subscript",
                    column.span(),
                ));
            }
            let name = ident_name(&idents[0]);
            let col = target_column(relation, &name, position)?;
            if columns.iter().any(|c| c.attnum == col.attnum) {
                return Err(Error::analyze(
                    SqlState("42701"),
                    format!("column \"{name}\" specified more than once"),
                    position,
                ));
            }
            columns.push(col);
        }
    }

    let mut target_list: Vec<TargetEntry> = Vec::new();
    let mut fromlist = Vec::new();
    if let Some(source) = &insert.source {
        if let Some(with) = &source.with {
            return Err(unsupported("WITH in INSERT", with.with_token.0.span));
        }
        let plain_values = match source.body.as_ref() {
            ast::SetExpr::Values(values)
                if source.order_by.is_none()
                    && source.limit_clause.is_none()
                    && source.fetch.is_none() =>
            {
                Some(values)
            }
            _ => None,
        };
        match plain_values {
            Some(values) if values.rows.len() == 1 => {
                let row = &values.rows[0].content;
                check_counts(
                    row.len(),
                    columns.len(),
                    row.first().and_then(super::expr_position),
                )?;
                for (node, column) in row.iter().zip(&columns) {
                    let position = super::expr_position(node);
                    let value = transform_value(ps, node, ExprKind::ValuesSingle)?;
                    let expr = assigned_value(ps, column, value, position)?;
                    target_list.push(TargetEntry {
                        expr,
                        resno: resno(column.attnum),
                        resname: Some(column.name.clone()),
                        ressortgroupref: 0,
                        resjunk: false,
                    });
                }
            }
            Some(values) => {
                let (rtindex, exprs) = insert_values_rte(ps, values, &columns)?;
                fromlist.push(JoinTreeNode::RangeTblRef(rtindex));
                for (expr, column) in exprs.into_iter().zip(&columns) {
                    target_list.push(TargetEntry {
                        expr,
                        resno: resno(column.attnum),
                        resname: Some(column.name.clone()),
                        ressortgroupref: 0,
                        resjunk: false,
                    });
                }
            }
            None => {
                let sub =
                    ps.with_child_level(|child| super::select::transform_query(child, source))?;
                let visible: Vec<TargetEntry> = sub
                    .target_list
                    .iter()
                    .filter(|t| !t.resjunk)
                    .cloned()
                    .collect();
                check_counts(visible.len(), columns.len(), None)?;
                let colnames: Vec<String> = visible
                    .iter()
                    .map(|t| t.resname.clone().unwrap_or_default())
                    .collect();
                let rte = RangeTblEntry {
                    kind: RteKind::Subquery {
                        query: Box::new(sub),
                        security_barrier: false,
                    },
                    alias: None,
                    eref: Alias {
                        aliasname: "*SELECT*".into(),
                        colnames,
                    },
                    lateral: false,
                    in_from_cl: false,
                };
                let rtindex = ps.add_rte(rte, Vec::new());
                fromlist.push(JoinTreeNode::RangeTblRef(rtindex));
                for (i, (tle, column)) in visible.iter().zip(&columns).enumerate() {
                    let var = Expr::Var(fdw_core::expr::Var::new(
                        rtindex,
                        AttrNumber(i16::try_from(i + 1).unwrap_or(i16::MAX)),
                        tle.expr.type_oid(),
                        tle.expr.typmod(),
                        tle.expr.collation(),
                    ));
                    let expr = assigned_value(ps, column, Some(var), None)?;
                    target_list.push(TargetEntry {
                        expr,
                        resno: resno(column.attnum),
                        resname: Some(column.name.clone()),
                        ressortgroupref: 0,
                        resjunk: false,
                    });
                }
            }
        }
    }

    // ON CONFLICT and RETURNING see the target relation.
    ps.push_namespace(NsItem {
        rtindex: target.rtindex,
        rel_visible: true,
        cols_visible: true,
        lateral_only: false,
        lateral_ok: true,
    });
    let on_conflict = match &insert.on {
        None => None,
        Some(ast::OnInsert::OnConflict(_)) if target.view.is_some() => {
            return Err(unsupported(
                "ON CONFLICT on a view",
                insert.insert_token.0.span,
            ))
        }
        Some(ast::OnInsert::OnConflict(conflict)) => {
            Some(transform_on_conflict(ps, &target, conflict)?)
        }
        Some(_) => {
            return Err(unsupported(
                "ON DUPLICATE KEY UPDATE",
                insert.insert_token.0.span,
            ))
        }
    };
    let returning_list = match &insert.returning {
        Some(items) => transform_target_list(ps, items, ExprKind::Returning)?,
        None => Vec::new(),
    };
    let rtable = std::mem::take(&mut ps.level_mut().rtable);
    let mut query = Query {
        command: CommandType::Insert,
        rtable,
        jointree: FromExpr {
            fromlist,
            quals: None,
        },
        target_list,
        result_relation: Some(target.rtindex),
        on_conflict,
        returning_list,
        ..Query::default()
    };
    deps::assign_query_collations(ps, &mut query)?;
    if let Some(view) = &target.view {
        super::view::rewrite_target(&mut query, target.rtindex, view)?;
    }
    Ok(query)
}

fn check_counts(values: usize, columns: usize, position: Option<Position>) -> Result<()> {
    if values > columns {
        return Err(Error::analyze(
            SqlState::SYNTAX_ERROR,
            "INSERT has more expressions than target columns",
            position,
        ));
    }
    if values < columns {
        return Err(Error::analyze(
            SqlState::SYNTAX_ERROR,
            "INSERT has more target columns than expressions",
            position,
        ));
    }
    Ok(())
}

/// A multi-row `VALUES` of `INSERT`: every value coerced to its column,
/// then a values entry the target list refers to.
fn insert_values_rte(
    ps: &mut ParseState<'_>,
    values: &ast::Values,
    columns: &[&fdw_catalog::objects::Column],
) -> Result<(RelIndex, Vec<Expr>)> {
    let mut rows = Vec::with_capacity(values.rows.len());
    for row in &values.rows {
        let row = &row.content;
        check_counts(
            row.len(),
            columns.len(),
            row.first().and_then(super::expr_position),
        )?;
        let mut out = Vec::with_capacity(row.len());
        for (node, column) in row.iter().zip(columns) {
            let position = super::expr_position(node);
            let value = transform_value(ps, node, ExprKind::Values)?;
            out.push(assigned_value(ps, column, value, position)?);
        }
        rows.push(out);
    }
    let coltypes: Vec<Oid> = columns.iter().map(|c| c.type_oid).collect();
    let coltypmods: Vec<i32> = columns.iter().map(|c| c.typmod).collect();
    let colcollations: Vec<Oid> = columns.iter().map(|c| c.collation).collect();
    let colnames: Vec<String> = (1..=columns.len()).map(|i| format!("column{i}")).collect();
    let rte = RangeTblEntry {
        kind: RteKind::Values {
            values_lists: rows,
            coltypes: coltypes.clone(),
            coltypmods: coltypmods.clone(),
            colcollations: colcollations.clone(),
        },
        alias: None,
        eref: Alias {
            aliasname: "*VALUES*".into(),
            colnames,
        },
        lateral: false,
        in_from_cl: true,
    };
    let rtindex = ps.add_rte(rte, Vec::new());
    let exprs = (0..columns.len())
        .map(|i| {
            Expr::Var(fdw_core::expr::Var::new(
                rtindex,
                AttrNumber(i16::try_from(i + 1).unwrap_or(i16::MAX)),
                coltypes[i],
                coltypmods[i],
                colcollations[i],
            ))
        })
        .collect();
    Ok((rtindex, exprs))
}

/// `ON CONFLICT` (`transformOnConflictClause`).
fn transform_on_conflict(
    ps: &mut ParseState<'_>,
    target: &Target<'_>,
    conflict: &ast::OnConflict,
) -> Result<OnConflict> {
    let arbiter = match &conflict.conflict_target {
        None => None,
        Some(ast::ConflictTarget::Columns(idents)) => {
            let mut elems = Vec::new();
            for ident in idents {
                let expr =
                    ps.resolve_column_ref(std::slice::from_ref(ident), ident_position(ident))?;
                elems.push(InferenceElem {
                    expr,
                    infercollid: Oid::INVALID,
                    inferopclass: Oid::INVALID,
                });
            }
            Some(ConflictArbiter::Inference {
                elems,
                where_clause: None,
            })
        }
        Some(ast::ConflictTarget::OnConstraint(name)) => {
            return Err(unsupported("ON CONFLICT ON CONSTRAINT", name.span()))
        }
    };
    match &conflict.action {
        ast::OnConflictAction::DoNothing => Ok(OnConflict {
            action: OnConflictAction::Nothing,
            arbiter,
            on_conflict_set: Vec::new(),
            on_conflict_where: None,
            excluded_rel: None,
        }),
        ast::OnConflictAction::DoUpdate(update) => {
            if arbiter.is_none() {
                return Err(Error::analyze(
                    SqlState::SYNTAX_ERROR,
                    "ON CONFLICT DO UPDATE requires inference specification or constraint name",
                    None,
                ));
            }
            let rte = RangeTblEntry {
                kind: RteKind::Relation {
                    relid: target.relation.oid,
                    relkind: match ps.rte(target.rtindex).map(|r| &r.kind) {
                        Some(RteKind::Relation { relkind, .. }) => *relkind,
                        _ => RelKind::Table,
                    },
                    inh: false,
                    check_as_user: None,
                    tablesample: None,
                },
                alias: Some(Alias {
                    aliasname: "excluded".into(),
                    colnames: Vec::new(),
                }),
                eref: Alias {
                    aliasname: "excluded".into(),
                    colnames: target
                        .relation
                        .columns
                        .iter()
                        .map(|c| {
                            if c.dropped {
                                String::new()
                            } else {
                                c.name.clone()
                            }
                        })
                        .collect(),
                },
                lateral: false,
                in_from_cl: false,
            };
            let excluded = add_relation_rte(ps, rte, &target.relation, true);
            let set = transform_assignments(ps, target, &update.assignments)?;
            let where_clause = match &update.selection {
                Some(node) => Some(transform_where(ps, node, ExprKind::Where, "WHERE")?),
                None => None,
            };
            Ok(OnConflict {
                action: OnConflictAction::Update,
                arbiter,
                on_conflict_set: set,
                on_conflict_where: where_clause,
                excluded_rel: Some(excluded),
            })
        }
    }
}

/// `SET col = value, (a, b) = (x, y)` (`transformUpdateTargetList`).
fn transform_assignments(
    ps: &mut ParseState<'_>,
    target: &Target<'_>,
    assignments: &[ast::Assignment],
) -> Result<Vec<TargetEntry>> {
    let mut pairs: Vec<(&ast::ObjectName, Source<'_>)> = Vec::new();
    let mut multiexprs: Vec<Expr> = Vec::new();
    for assignment in assignments {
        match &assignment.target {
            ast::AssignmentTarget::ColumnName(name) => {
                pairs.push((name, Source::Value(&assignment.value)));
            }
            ast::AssignmentTarget::Tuple(names) => {
                let values: Vec<&ast::Expr> = match &assignment.value {
                    ast::Expr::Tuple(values) => values.iter().collect(),
                    ast::Expr::Nested(inner) if names.len() == 1 => vec![inner.as_ref()],
                    ast::Expr::Subquery(query) => {
                        let (sublink, params) =
                            multiexpr_sublink(ps, query, names.len(), multiexprs.len() + 1)?;
                        multiexprs.push(sublink);
                        pairs.extend(names.iter().zip(params.into_iter().map(Source::Param)));
                        continue;
                    }
                    other => {
                        return Err(Error::analyze(
                            SqlState::SYNTAX_ERROR,
                            "source for a multiple-column UPDATE item must be a sub-SELECT or ROW() expression",
                            super::span_position(other.span()),
                        ))
                    }
                };
                if values.len() != names.len() {
                    return Err(Error::analyze(
                        SqlState::SYNTAX_ERROR,
                        "number of columns does not match number of values",
                        super::span_position(assignment.value.span()),
                    ));
                }
                pairs.extend(names.iter().zip(values.into_iter().map(Source::Value)));
            }
        }
    }
    let mut tlist: Vec<TargetEntry> = Vec::new();
    for (name, value) in pairs {
        let idents = object_idents(name)?;
        let position = super::span_position(name.span());
        let column_name = match idents.as_slice() {
            [only] => ident_name(only),
            _ => {
                return Err(unsupported(
                    "assignment to a field or subscript",
                    name.span(),
                ))
            }
        };
        let column = target_column(&target.relation, &column_name, position)?;
        if tlist.iter().any(|t| t.resno.0 == column.attnum) {
            return Err(Error::analyze(
                SqlState::SYNTAX_ERROR,
                format!("multiple assignments to same column \"{column_name}\""),
                position,
            ));
        }
        let (expr, value_position) = match value {
            Source::Value(value) => (
                transform_value(ps, value, ExprKind::UpdateSource)?,
                super::expr_position(value),
            ),
            Source::Param(param) => (Some(param), position),
        };
        let expr = assigned_value(ps, column, expr, value_position)?;
        tlist.push(TargetEntry {
            expr,
            resno: resno(column.attnum),
            resname: Some(column.name.clone()),
            ressortgroupref: 0,
            resjunk: false,
        });
    }
    // Each multiple-assignment sub-select rides along as a junk entry.
    for sublink in multiexprs {
        let resno = AttrNumber(i16::try_from(tlist.len() + 1).unwrap_or(i16::MAX));
        tlist.push(TargetEntry {
            expr: sublink,
            resno,
            resname: None,
            ressortgroupref: 0,
            resjunk: true,
        });
    }
    Ok(tlist)
}

/// What an `UPDATE ... SET` column gets: a written value, or one output of
/// a multiple-assignment sub-select.
enum Source<'a> {
    Value(&'a ast::Expr),
    Param(Expr),
}

/// `SET (a, b) = (SELECT x, y ...)`: a `MULTIEXPR` sub-link and one
/// `PARAM_MULTIEXPR` per column (`paramid` = sub-link id << 16 | column).
fn multiexpr_sublink(
    ps: &mut ParseState<'_>,
    query: &ast::Query,
    columns: usize,
    sublinkid: usize,
) -> Result<(Expr, Vec<Expr>)> {
    let saved = ps.expr_kind;
    ps.expr_kind = ExprKind::UpdateSource;
    let sub = ps.analyze_sublink_query(query);
    ps.expr_kind = saved;
    let sub = sub?;
    let visible: Vec<&TargetEntry> = sub.target_list.iter().filter(|t| !t.resjunk).collect();
    if visible.len() != columns {
        return Err(Error::analyze(
            SqlState::SYNTAX_ERROR,
            "number of columns does not match number of values",
            super::span_position(query.body.span()),
        ));
    }
    let id = i32::try_from(sublinkid).unwrap_or(i32::MAX);
    let params = visible
        .iter()
        .enumerate()
        .map(|(i, t)| {
            Expr::Param(fdw_core::expr::Param {
                paramkind: fdw_core::expr::ParamKind::Multiexpr,
                paramid: (id << 16) | i32::try_from(i + 1).unwrap_or(0),
                paramtype: t.expr.type_oid(),
                paramtypmod: t.expr.typmod(),
                paramcollid: t.expr.collation(),
            })
        })
        .collect();
    let sublink = Expr::SubLink(Box::new(fdw_core::expr::SubLink {
        sublinktype: fdw_core::expr::SubLinkType::Multiexpr,
        sublinkid: id,
        testexpr: None,
        oper_name: Vec::new(),
        subselect: Box::new(sub),
        result_type: Oid::RECORD_TYPE,
        result_typmod: -1,
        result_collation: Oid::INVALID,
    }));
    Ok((sublink, params))
}

/// The table and alias of an `UPDATE`/`DELETE` target written as a `FROM` item.
fn target_factor(twj: &ast::TableWithJoins) -> Result<(&ast::ObjectName, Option<String>)> {
    if !twj.joins.is_empty() {
        return Err(unsupported(
            "a join as the target table",
            twj.relation.span(),
        ));
    }
    match &twj.relation {
        ast::TableFactor::Table {
            name,
            alias,
            args: None,
            ..
        } => {
            if alias.as_ref().is_some_and(|a| !a.columns.is_empty()) {
                return Err(unsupported(
                    "column aliases on the target table",
                    twj.relation.span(),
                ));
            }
            Ok((name, alias.as_ref().map(|a| ident_name(&a.name))))
        }
        other => Err(unsupported("this target table", other.span())),
    }
}

/// `UPDATE` (`transformUpdateStmt`).
pub(super) fn transform_update(ps: &mut ParseState<'_>, update: &ast::Update) -> Result<Query> {
    if update.or.is_some()
        || !update.order_by.is_empty()
        || update.limit.is_some()
        || update.output.is_some()
    {
        return Err(unsupported(
            "this UPDATE syntax",
            update.update_token.0.span,
        ));
    }
    let (name, alias) = target_factor(&update.table)?;
    let target = set_target_table(ps, name, alias, true, true, CommandType::Update)?;
    let mut fromlist = vec![JoinTreeNode::RangeTblRef(target.rtindex)];
    let from = match &update.from {
        None => &[][..],
        Some(
            ast::UpdateTableFromKind::AfterSet(items) | ast::UpdateTableFromKind::BeforeSet(items),
        ) => items.as_slice(),
    };
    // The target is visible to FROM items only through LATERAL, like an
    // earlier FROM item.
    for ns in &mut ps.level_mut().namespace {
        ns.lateral_only = true;
    }
    fromlist.extend(super::from::transform_from_clause(ps, from)?);
    let quals = match &update.selection {
        Some(node) => Some(transform_where(ps, node, ExprKind::Where, "WHERE")?),
        None => None,
    };
    let target_list = transform_assignments(ps, &target, &update.assignments)?;
    let returning_list = match &update.returning {
        Some(items) => transform_target_list(ps, items, ExprKind::Returning)?,
        None => Vec::new(),
    };
    let rtable = std::mem::take(&mut ps.level_mut().rtable);
    let mut query = Query {
        command: CommandType::Update,
        rtable,
        jointree: FromExpr { fromlist, quals },
        target_list,
        result_relation: Some(target.rtindex),
        returning_list,
        ..Query::default()
    };
    deps::assign_query_collations(ps, &mut query)?;
    if let Some(view) = &target.view {
        super::view::rewrite_target(&mut query, target.rtindex, view)?;
    }
    Ok(query)
}

/// `DELETE` (`transformDeleteStmt`).
pub(super) fn transform_delete(ps: &mut ParseState<'_>, delete: &ast::Delete) -> Result<Query> {
    if !delete.tables.is_empty()
        || !delete.order_by.is_empty()
        || delete.limit.is_some()
        || delete.output.is_some()
    {
        return Err(unsupported(
            "this DELETE syntax",
            delete.delete_token.0.span,
        ));
    }
    let from = match &delete.from {
        ast::FromTable::WithFromKeyword(items) | ast::FromTable::WithoutKeyword(items) => items,
    };
    let [twj] = from.as_slice() else {
        return Err(unsupported(
            "DELETE from several tables",
            delete.delete_token.0.span,
        ));
    };
    let (name, alias) = target_factor(twj)?;
    let target = set_target_table(ps, name, alias, true, true, CommandType::Delete)?;
    let mut fromlist = vec![JoinTreeNode::RangeTblRef(target.rtindex)];
    for ns in &mut ps.level_mut().namespace {
        ns.lateral_only = true;
    }
    if let Some(using) = &delete.using {
        fromlist.extend(super::from::transform_from_clause(ps, using)?);
    } else {
        for ns in &mut ps.level_mut().namespace {
            ns.lateral_only = false;
        }
    }
    let quals = match &delete.selection {
        Some(node) => Some(transform_where(ps, node, ExprKind::Where, "WHERE")?),
        None => None,
    };
    let returning_list = match &delete.returning {
        Some(items) => transform_target_list(ps, items, ExprKind::Returning)?,
        None => Vec::new(),
    };
    let rtable = std::mem::take(&mut ps.level_mut().rtable);
    let mut query = Query {
        command: CommandType::Delete,
        rtable,
        jointree: FromExpr { fromlist, quals },
        result_relation: Some(target.rtindex),
        returning_list,
        ..Query::default()
    };
    deps::assign_query_collations(ps, &mut query)?;
    if let Some(view) = &target.view {
        super::view::rewrite_target(&mut query, target.rtindex, view)?;
    }
    Ok(query)
}
