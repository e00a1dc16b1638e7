//! Statement strategies over a schema model: single-table SELECTs, joins,
//! semi/anti joins, aggregates and DML, each printed to SQL with metadata.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::sync::Arc;

use proptest::prelude::*;
use proptest::sample::select;

use super::expr::{AggCall, Expr, ExprEnv, ExprGen, FuncClass, Scope};
use super::ident::quote_ident;
use super::schema::{Column, Schema, Table};
use super::types::{ColumnType, Kind};
use super::{Feature, GeneratedQuery, QueryConfig, StatementKind};

/// One relation in a FROM list: a table of the schema under an alias.
#[derive(Clone, Debug)]
struct RelRef {
    table: Table,
    alias: String,
    local: bool,
}

impl RelRef {
    fn sql_from_item(&self) -> String {
        format!("{} {}", self.table.sql_name(), quote_ident(&self.alias))
    }

    fn column(&self, c: &Column) -> Expr {
        Expr::Column {
            alias: self.alias.clone(),
            name: c.name.clone(),
        }
    }

    fn leaves(&self, env: &ExprEnv) -> Vec<(Kind, Expr)> {
        self.table
            .columns
            .iter()
            .filter(|c| env.extension || c.ty != ColumnType::Cube)
            .map(|c| (c.ty.kind(), self.column(c)))
            .collect()
    }
}

/// How a relation is joined to the ones before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum JoinType {
    Inner,
    Left,
    Right,
    Full,
    Cross,
}

impl JoinType {
    fn sql(self) -> &'static str {
        match self {
            JoinType::Inner => "INNER JOIN",
            JoinType::Left => "LEFT JOIN",
            JoinType::Right => "RIGHT JOIN",
            JoinType::Full => "FULL JOIN",
            JoinType::Cross => "CROSS JOIN",
        }
    }

    fn feature(self) -> Feature {
        match self {
            JoinType::Inner => Feature::InnerJoin,
            JoinType::Left => Feature::LeftJoin,
            JoinType::Right => Feature::RightJoin,
            JoinType::Full => Feature::FullJoin,
            JoinType::Cross => Feature::CrossJoin,
        }
    }
}

/// A FROM clause: the first relation, then joined ones.
#[derive(Clone, Debug)]
struct FromClause {
    rels: Vec<RelRef>,
    joins: Vec<(JoinType, Option<Expr>)>,
}

/// One ORDER BY item.
#[derive(Clone, Debug)]
struct OrderItem {
    expr: Expr,
    desc: Option<bool>,
    nulls_first: Option<bool>,
}

/// One SELECT list (or RETURNING) item.
#[derive(Clone, Debug)]
enum SelectItem {
    Star,
    Expr(Expr),
}

/// The tail of a SELECT: ORDER BY, LIMIT, OFFSET.
#[derive(Clone, Debug)]
struct Tail {
    order_by: Vec<OrderItem>,
    limit: Option<u32>,
    offset: Option<u32>,
}

/// A whole SELECT statement.
#[derive(Clone, Debug)]
struct Select {
    items: Vec<SelectItem>,
    from: FromClause,
    filter: Option<Expr>,
    group_by: Vec<Expr>,
    having: Option<Expr>,
    tail: Tail,
}

/// Shared inputs of the strategies.
#[derive(Debug)]
struct Ctx {
    tables: Vec<Table>,
    local_tables: Vec<Table>,
    env: Arc<ExprEnv>,
    immutable_env: Arc<ExprEnv>,
    config: QueryConfig,
}

/// Strategy for one statement over `schema` with the statement mix of `config`.
pub fn query_strategy(schema: &Schema, config: &QueryConfig) -> BoxedStrategy<GeneratedQuery> {
    let env = ExprEnv {
        enum_type: schema.enum_type_sql(),
        enum_labels: schema.enum_labels.clone(),
        mutable_functions: config.mutable_functions,
        user_defined: config.user_defined,
        extension: config.extension && schema.extension,
    };
    let immutable_env = ExprEnv {
        mutable_functions: false,
        ..env.clone()
    };
    let ctx = Arc::new(Ctx {
        tables: schema.tables.clone(),
        local_tables: schema.local_tables.clone(),
        env: Arc::new(env),
        immutable_env: Arc::new(immutable_env),
        config: config.clone(),
    });
    let mut alts: Vec<(u32, BoxedStrategy<GeneratedQuery>)> = Vec::new();
    if config.single_table || alts_empty_fallback(config) {
        alts.push((4, single_table_select(&ctx)));
    }
    if config.joins {
        alts.push((3, join_select(&ctx)));
    }
    if config.semi_joins {
        alts.push((2, semi_join_select(&ctx)));
    }
    if config.aggregates {
        alts.push((3, aggregate_select(&ctx)));
    }
    if config.dml {
        alts.push((3, dml(&ctx)));
    }
    proptest::strategy::Union::new_weighted(alts).boxed()
}

fn alts_empty_fallback(config: &QueryConfig) -> bool {
    !(config.joins || config.semi_joins || config.aggregates || config.dml)
}

fn scope_of(rels: &[RelRef], env: &Arc<ExprEnv>) -> Scope {
    Scope {
        leaves: rels.iter().flat_map(|r| r.leaves(env)).collect(),
        env: Arc::clone(env),
        grouped: false,
    }
}

fn table_pick(ctx: &Arc<Ctx>) -> BoxedStrategy<Table> {
    select(ctx.tables.clone()).boxed()
}

/// Relations for a join: 2 or 3 foreign tables, one of which may be replaced
/// by a local heap table.
fn relations(ctx: &Arc<Ctx>, min: usize, max: usize) -> BoxedStrategy<Vec<RelRef>> {
    let local = if ctx.config.local_joins && !ctx.local_tables.is_empty() {
        prop::option::weighted(
            0.25,
            (
                select(ctx.local_tables.clone()),
                any::<prop::sample::Index>(),
            ),
        )
        .boxed()
    } else {
        Just(None).boxed()
    };
    (prop::collection::vec(table_pick(ctx), min..=max), local)
        .prop_map(|(tables, local)| {
            let mut rels: Vec<RelRef> = tables
                .into_iter()
                .enumerate()
                .map(|(i, table)| RelRef {
                    table,
                    alias: format!("t{}", i + 1),
                    local: false,
                })
                .collect();
            if let Some((table, idx)) = local {
                let i = idx.index(rels.len());
                rels[i] = RelRef {
                    table,
                    alias: format!("t{}", i + 1),
                    local: true,
                };
            }
            rels
        })
        .boxed()
}

fn single_table_select(ctx: &Arc<Ctx>) -> BoxedStrategy<GeneratedQuery> {
    per_table(ctx, |ctx, table| {
        let rels = vec![RelRef {
            table,
            alias: "t1".into(),
            local: false,
        }];
        let gen = ExprGen::new(scope_of(&rels, &ctx.env), ctx.config.max_depth);
        let from = FromClause {
            rels: rels.clone(),
            joins: Vec::new(),
        };
        (
            select_items(&gen, &rels),
            prop::option::weighted(0.8, where_tree(&gen, ctx, Vec::new())),
            tail(&gen),
        )
            .prop_map(move |(items, filter, tail)| {
                finish_select(Select {
                    items,
                    from: from.clone(),
                    filter,
                    group_by: Vec::new(),
                    having: None,
                    tail,
                })
            })
            .boxed()
    })
}

/// One alternative per table, built eagerly (no `prop_flat_map`), so that
/// shrinking works on a single tree.
fn per_table(
    ctx: &Arc<Ctx>,
    build: impl Fn(&Arc<Ctx>, Table) -> BoxedStrategy<GeneratedQuery>,
) -> BoxedStrategy<GeneratedQuery> {
    let alts: Vec<BoxedStrategy<GeneratedQuery>> =
        ctx.tables.iter().map(|t| build(ctx, t.clone())).collect();
    proptest::strategy::Union::new(alts).boxed()
}

fn join_select(ctx: &Arc<Ctx>) -> BoxedStrategy<GeneratedQuery> {
    let ctx2 = Arc::clone(ctx);
    relations(ctx, 2, 3)
        .prop_flat_map(move |rels| {
            let from = from_clause(&ctx2, rels.clone());
            let gen = ExprGen::new(scope_of(&rels, &ctx2.env), ctx2.config.max_depth);
            (
                select_items(&gen, &rels),
                prop::option::weighted(0.7, where_tree(&gen, &ctx2, Vec::new())),
                tail(&gen),
                from,
            )
                .prop_map(|(items, filter, tail, from)| {
                    finish_select(Select {
                        items,
                        from,
                        filter,
                        group_by: Vec::new(),
                        having: None,
                        tail,
                    })
                })
        })
        .boxed()
}

/// A FROM clause joining `rels` left-deep, with a join type and an ON
/// condition for each join. Every non-cross join has at least one
/// equality between the new relation and an earlier one; FULL joins have
/// only equalities (PostgreSQL needs merge- or hash-joinable conditions).
fn from_clause(ctx: &Arc<Ctx>, rels: Vec<RelRef>) -> BoxedStrategy<FromClause> {
    let mut joins: Vec<BoxedStrategy<(JoinType, Option<Expr>)>> = Vec::new();
    for i in 1..rels.len() {
        let equalities = equi_conditions(&rels[..i], &rels[i]);
        let gen = ExprGen::new(scope_of(&rels[..=i], &ctx.env), 1);
        let eq = select(equalities);
        let extra = prop::option::weighted(0.4, gen.expr(Kind::Bool));
        let kinds = select(vec![
            JoinType::Inner,
            JoinType::Inner,
            JoinType::Left,
            JoinType::Left,
            JoinType::Right,
            JoinType::Full,
            JoinType::Cross,
        ]);
        joins.push(
            (kinds, eq.clone(), eq, prop::bool::weighted(0.2), extra)
                .prop_map(|(kind, eq1, eq2, two, extra)| {
                    let cond = match kind {
                        JoinType::Cross => None,
                        JoinType::Full => Some(if two && eq1 != eq2 {
                            and(eq1, eq2)
                        } else {
                            eq1
                        }),
                        _ => Some(match extra {
                            Some(e) => and(eq1, e),
                            None => eq1,
                        }),
                    };
                    (kind, cond)
                })
                .boxed(),
        );
    }
    joins
        .prop_map(move |joins| FromClause {
            rels: rels.clone(),
            joins,
        })
        .boxed()
}

fn and(a: Expr, b: Expr) -> Expr {
    Expr::Binary {
        op: "AND".into(),
        left: Box::new(a),
        right: Box::new(b),
    }
}

/// Kinds whose equality is merge- and hash-joinable (within the kind, and
/// between `integer` and `bigint`).
fn equi_compatible(a: Kind, b: Kind) -> bool {
    let joinable = matches!(
        a,
        Kind::Int
            | Kind::Int8
            | Kind::Numeric
            | Kind::Float
            | Kind::Text
            | Kind::Date
            | Kind::Time
            | Kind::Timestamp
            | Kind::Timestamptz
            | Kind::Interval
            | Kind::Bool
            | Kind::Enum
    );
    joinable && (a == b || matches!((a, b), (Kind::Int, Kind::Int8) | (Kind::Int8, Kind::Int)))
}

/// Equalities between a column of `new` and a column of one of `prev`; if
/// none has a compatible kind, equalities of the columns' text forms.
fn equi_conditions(prev: &[RelRef], new: &RelRef) -> Vec<Expr> {
    let mut out = Vec::new();
    for p in prev {
        for pc in &p.table.columns {
            for nc in &new.table.columns {
                if equi_compatible(pc.ty.kind(), nc.ty.kind()) {
                    out.push(Expr::Binary {
                        op: "=".into(),
                        left: Box::new(p.column(pc)),
                        right: Box::new(new.column(nc)),
                    });
                }
            }
        }
    }
    if out.is_empty() {
        let to_text = |e: Expr| Expr::Cast {
            arg: Box::new(e),
            ty: "text".into(),
            via_io: true,
        };
        for p in prev {
            if let (Some(pc), Some(nc)) = (p.table.columns.first(), new.table.columns.first()) {
                out.push(Expr::Binary {
                    op: "=".into(),
                    left: Box::new(to_text(p.column(pc))),
                    right: Box::new(to_text(new.column(nc))),
                });
            }
        }
    }
    out
}

fn semi_join_select(ctx: &Arc<Ctx>) -> BoxedStrategy<GeneratedQuery> {
    let ctx2 = Arc::clone(ctx);
    (relations(ctx, 1, 1), relations(ctx, 1, 1))
        .prop_flat_map(move |(outer, inner)| {
            let outer_rel = outer[0].clone();
            let mut inner_rel = inner[0].clone();
            inner_rel.alias = "s1".into();
            let gen = ExprGen::new(scope_of(&outer, &ctx2.env), ctx2.config.max_depth);
            let sublink = sublink(&ctx2, &outer_rel, &inner_rel);
            let from = FromClause {
                rels: outer.clone(),
                joins: Vec::new(),
            };
            (
                select_items(&gen, &outer),
                sublink,
                prop::option::weighted(0.5, where_tree(&gen, &ctx2, Vec::new())),
                tail(&gen),
                Just((from, inner_rel)),
            )
                .prop_map(|(items, sublink, other, tail, (from, inner_rel))| {
                    let filter = Some(match other {
                        Some(o) => and(sublink, o),
                        None => sublink,
                    });
                    let mut q = finish_select(Select {
                        items,
                        from,
                        filter,
                        group_by: Vec::new(),
                        having: None,
                        tail,
                    });
                    q.relations.push(inner_rel.table.name.clone());
                    q.single_table = false;
                    if inner_rel.local {
                        q.features.insert(Feature::LocalTable);
                    }
                    q
                })
        })
        .boxed()
}

/// `[NOT] EXISTS (SELECT 1 FROM inner WHERE corr [AND cond])` or
/// `outer_col [NOT] IN (SELECT inner_col FROM inner [WHERE cond])`.
fn sublink(ctx: &Arc<Ctx>, outer: &RelRef, inner: &RelRef) -> BoxedStrategy<Expr> {
    let both = [outer.clone(), inner.clone()];
    let corr = select(equi_conditions(std::slice::from_ref(outer), inner));
    let gen_both = ExprGen::new(scope_of(&both, &ctx.env), 1);
    let gen_inner = ExprGen::new(scope_of(std::slice::from_ref(inner), &ctx.env), 1);
    let from = inner.sql_from_item();
    let from2 = from.clone();
    let exists = (
        corr.clone(),
        prop::option::weighted(0.5, gen_both.expr(Kind::Bool)),
        any::<bool>(),
    )
        .prop_map(move |(c, extra, negated)| Expr::Sublink {
            arg: None,
            negated,
            target: None,
            from: from.clone(),
            filter: Some(Box::new(match extra {
                Some(e) => and(c, e),
                None => c,
            })),
        });
    let in_sub = (
        corr,
        prop::option::weighted(0.5, gen_inner.expr(Kind::Bool)),
        any::<bool>(),
    )
        .prop_map(move |(c, cond, negated)| {
            let (arg, target) = match c {
                Expr::Binary { left, right, .. } => (left, right),
                other => (Box::new(other), Box::new(Expr::Literal("true".into()))),
            };
            Expr::Sublink {
                arg: Some(arg),
                negated,
                target: Some(target),
                from: from2.clone(),
                filter: cond.map(Box::new),
            }
        });
    prop_oneof![exists, in_sub].boxed()
}

fn aggregate_select(ctx: &Arc<Ctx>) -> BoxedStrategy<GeneratedQuery> {
    let ctx2 = Arc::clone(ctx);
    let max = if ctx.config.joins { 2 } else { 1 };
    relations(ctx, 1, max)
        .prop_flat_map(move |rels| {
            let from = if rels.len() > 1 {
                from_clause(&ctx2, rels.clone())
            } else {
                Just(FromClause {
                    rels: rels.clone(),
                    joins: Vec::new(),
                })
                .boxed()
            };
            let row_gen = ExprGen::new(scope_of(&rels, &ctx2.env), 2);
            let key_gen = ExprGen::new(scope_of(&rels, &ctx2.immutable_env), 1);
            let key = key_gen.kind_choice().prop_flat_map({
                let key_gen = key_gen.clone();
                move |k| {
                    let enum_type = key_gen.env().enum_type.clone();
                    key_gen
                        .expr_at(1, k)
                        .prop_map(move |e| (k, not_a_position(e, k, &enum_type)))
                }
            });
            let ctx3 = Arc::clone(&ctx2);
            (
                prop::collection::vec(key, 0..=2),
                prop::collection::vec(agg_call(&row_gen), 1..=3),
                prop::option::weighted(0.5, where_tree(&row_gen, &ctx2, Vec::new())),
                from,
            )
                .prop_flat_map(move |(keys, aggs, filter, from)| {
                    let mut leaves: Vec<(Kind, Expr)> = keys.clone();
                    let mut opaque = Vec::new();
                    for (kind, call) in &aggs {
                        match kind {
                            Some(k) => leaves.push((*k, call.clone())),
                            None => opaque.push(call.clone()),
                        }
                    }
                    let grouped = ExprGen::new(
                        Scope {
                            leaves: leaves.clone(),
                            env: Arc::clone(&ctx3.env),
                            grouped: true,
                        },
                        1,
                    );
                    let item = grouped.kind_choice().prop_flat_map({
                        let grouped = grouped.clone();
                        move |k| grouped.expr_at(1, k)
                    });
                    let mut base_items: Vec<Expr> = keys.iter().map(|(_, e)| e.clone()).collect();
                    base_items.extend(aggs.iter().map(|(_, c)| c.clone()));
                    let group_by: Vec<Expr> = keys.into_iter().map(|(_, e)| e).collect();
                    (
                        prop::collection::vec(item, 0..=2),
                        prop::option::weighted(0.4, grouped.expr_at(1, Kind::Bool)),
                        tail(&grouped),
                        Just((base_items, group_by, filter.clone(), from.clone(), opaque)),
                    )
                        .prop_map(
                            |(extra, having, tail, (base, group_by, filter, from, opaque))| {
                                let mut items: Vec<SelectItem> =
                                    base.into_iter().map(SelectItem::Expr).collect();
                                items.extend(extra.into_iter().map(SelectItem::Expr));
                                items.extend(opaque.into_iter().map(SelectItem::Expr));
                                finish_select(Select {
                                    items,
                                    from,
                                    filter,
                                    group_by,
                                    having,
                                    tail,
                                })
                            },
                        )
                })
        })
        .boxed()
}

/// An aggregate call with the kind of its result (`None`: SELECT list only).
type KindedAgg = (Option<Kind>, Expr);

/// An aggregate call over the row scope of `gen`, with the kind of its
/// result (`None`: usable only in the SELECT list).
fn agg_call(gen: &ExprGen) -> BoxedStrategy<KindedAgg> {
    let arg = |k: Kind| typed_expr(gen, 1, k);
    let filter = prop::option::weighted(0.25, gen.expr_at(1, Kind::Bool));
    let simple = |name: &'static str, k: Kind, result: Option<Kind>| {
        (arg(k), prop::bool::weighted(0.2), filter.clone())
            .prop_map(move |(a, distinct, filter)| {
                (
                    result,
                    Expr::Agg(Box::new(AggCall {
                        name,
                        star: false,
                        distinct,
                        args: vec![a],
                        order_by: Vec::new(),
                        within_group: false,
                        filter,
                    })),
                )
            })
            .boxed()
    };
    let mut alts: Vec<(u32, BoxedStrategy<KindedAgg>)> = vec![
        (
            3,
            filter
                .clone()
                .prop_map(|filter| {
                    (
                        Some(Kind::Int8),
                        Expr::Agg(Box::new(AggCall {
                            name: "count",
                            star: true,
                            distinct: false,
                            args: Vec::new(),
                            order_by: Vec::new(),
                            within_group: false,
                            filter,
                        })),
                    )
                })
                .boxed(),
        ),
        (2, simple("count", Kind::Int, Some(Kind::Int8))),
        (1, simple("count", Kind::Text, Some(Kind::Int8))),
        (2, simple("sum", Kind::Int, Some(Kind::Int8))),
        (1, simple("sum", Kind::Int8, Some(Kind::Numeric))),
        (1, simple("sum", Kind::Numeric, Some(Kind::Numeric))),
        (1, simple("sum", Kind::Float, Some(Kind::Float))),
        (1, simple("sum", Kind::Interval, Some(Kind::Interval))),
        (1, simple("avg", Kind::Int, Some(Kind::Numeric))),
        (1, simple("avg", Kind::Numeric, Some(Kind::Numeric))),
        (1, simple("avg", Kind::Float, Some(Kind::Float))),
        (1, simple("bool_and", Kind::Bool, Some(Kind::Bool))),
        (1, simple("bool_or", Kind::Bool, Some(Kind::Bool))),
    ];
    for k in [
        Kind::Int,
        Kind::Text,
        Kind::Date,
        Kind::Numeric,
        Kind::Timestamp,
        Kind::Enum,
    ] {
        alts.push((1, simple("min", k, Some(k))));
        alts.push((1, simple("max", k, Some(k))));
    }
    // Ordered aggregates.
    let order_key = select(vec![Kind::Int, Kind::Text, Kind::Date, Kind::Float]).prop_flat_map({
        let gen = gen.clone();
        move |k| typed_expr(&gen, 1, k)
    });
    let order_keys = prop::collection::vec(order_key, 1..=2);
    alts.push((
        2,
        (arg(Kind::Int), order_keys.clone(), filter.clone())
            .prop_map(|(a, order_by, filter)| {
                (
                    None,
                    Expr::Agg(Box::new(AggCall {
                        name: "array_agg",
                        star: false,
                        distinct: false,
                        args: vec![a],
                        order_by,
                        within_group: false,
                        filter,
                    })),
                )
            })
            .boxed(),
    ));
    alts.push((
        2,
        (
            arg(Kind::Text),
            select(vec!["','", "' | '", "''"]),
            order_keys,
            filter.clone(),
        )
            .prop_map(|(a, sep, order_by, filter)| {
                (
                    Some(Kind::Text),
                    Expr::Agg(Box::new(AggCall {
                        name: "string_agg",
                        star: false,
                        distinct: false,
                        args: vec![a, Expr::Literal(sep.into())],
                        order_by,
                        within_group: false,
                        filter,
                    })),
                )
            })
            .boxed(),
    ));
    for k in [Kind::Int, Kind::Text, Kind::Date, Kind::Numeric] {
        alts.push((
            1,
            (arg(k), select(vec!["0.5", "0", "0.9"]), filter.clone())
                .prop_map(move |(a, frac, filter)| {
                    (
                        Some(k),
                        Expr::Agg(Box::new(AggCall {
                            name: "percentile_disc",
                            star: false,
                            distinct: false,
                            args: vec![Expr::Literal(frac.into())],
                            order_by: vec![a],
                            within_group: true,
                            filter,
                        })),
                    )
                })
                .boxed(),
        ));
    }
    proptest::strategy::Union::new_weighted(alts).boxed()
}

fn select_items(gen: &ExprGen, rels: &[RelRef]) -> BoxedStrategy<Vec<SelectItem>> {
    let any_expr = gen.kind_choice().prop_flat_map({
        let gen = gen.clone();
        move |k| gen.expr_at(2, k)
    });
    let column = gen.kind_choice().prop_flat_map({
        let gen = gen.clone();
        move |k| gen.leaf_of(k)
    });
    let whole_row =
        select(rels.iter().map(|r| r.alias.clone()).collect::<Vec<_>>()).prop_map(Expr::WholeRow);
    let item = prop_oneof![
        4 => column.prop_map(SelectItem::Expr),
        3 => any_expr.prop_map(SelectItem::Expr),
        1 => Just(SelectItem::Star),
        1 => whole_row.prop_map(SelectItem::Expr),
    ];
    prop::collection::vec(item, 1..=4).boxed()
}

/// A WHERE condition: a `prop_recursive` tree of AND/OR/NOT over typed
/// boolean expressions (and extra atoms such as sublinks, if given).
fn where_tree(gen: &ExprGen, ctx: &Arc<Ctx>, extra: Vec<Expr>) -> BoxedStrategy<Expr> {
    let atom = if extra.is_empty() {
        gen.expr_at(2, Kind::Bool)
    } else {
        prop_oneof![3 => gen.expr_at(2, Kind::Bool), 1 => select(extra)].boxed()
    };
    let depth = ctx.config.max_where_depth;
    atom.prop_recursive(depth, 12, 2, |inner| {
        prop_oneof![
            3 => (inner.clone(), inner.clone()).prop_map(|(a, b)| and(a, b)),
            2 => (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::Binary {
                op: "OR".into(),
                left: Box::new(a),
                right: Box::new(b),
            }),
            1 => inner.prop_map(|a| Expr::Prefix { op: "NOT", arg: Box::new(a) }),
        ]
    })
    .boxed()
}

fn tail(gen: &ExprGen) -> BoxedStrategy<Tail> {
    let key = gen.kind_choice().prop_flat_map({
        let gen = gen.clone();
        move |k| {
            let enum_type = gen.env().enum_type.clone();
            gen.expr_at(1, k)
                .prop_map(move |e| not_a_position(e, k, &enum_type))
        }
    });
    let item = (
        key,
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(expr, desc, nulls_first)| OrderItem {
            expr,
            desc,
            nulls_first,
        });
    (
        prop::collection::vec(item, 0..=3),
        prop::option::weighted(0.3, 0..=50u32),
        prop::option::weighted(0.15, 0..=10u32),
    )
        .prop_map(|(order_by, limit, offset)| Tail {
            order_by,
            limit,
            offset,
        })
        .boxed()
}

/// An expression of `kind` that is never a bare (possibly untyped) constant,
/// for positions where PostgreSQL cannot infer a constant's type or reads it
/// as a column position.
fn typed_expr(gen: &ExprGen, depth: usize, kind: Kind) -> BoxedStrategy<Expr> {
    let enum_type = gen.env().enum_type.clone();
    gen.expr_at(depth, kind)
        .prop_map(move |e| not_a_position(e, kind, &enum_type))
        .boxed()
}

/// ORDER BY and GROUP BY read a bare constant as a column position (or
/// reject it); give such a key an explicit cast, which makes it an
/// expression.
fn not_a_position(expr: Expr, kind: Kind, enum_type: &str) -> Expr {
    match &expr {
        Expr::Literal(text) if !text.contains("::") => Expr::Cast {
            arg: Box::new(expr),
            ty: kind.cast_name(enum_type),
            via_io: false,
        },
        _ => expr,
    }
}

fn finish_select(q: Select) -> GeneratedQuery {
    let mut features = BTreeSet::new();
    features.insert(Feature::Select);
    let mut sql = String::from("SELECT ");
    print_items(&q.items, &mut sql, &mut features);
    sql.push_str(" FROM ");
    let mut relations = Vec::new();
    for (i, rel) in q.from.rels.iter().enumerate() {
        relations.push(rel.table.name.clone());
        if rel.local {
            features.insert(Feature::LocalTable);
        }
        if i == 0 {
            sql.push_str(&rel.sql_from_item());
        } else {
            let (kind, cond) = &q.from.joins[i - 1];
            features.insert(kind.feature());
            let _ = write!(sql, " {} {}", kind.sql(), rel.sql_from_item());
            if let Some(c) = cond {
                sql.push_str(" ON ");
                c.print(&mut sql);
                c.collect_features(&mut features);
            }
        }
    }
    if let Some(f) = &q.filter {
        features.insert(Feature::Where);
        sql.push_str(" WHERE ");
        f.print(&mut sql);
        f.collect_features(&mut features);
    }
    if !q.group_by.is_empty() {
        features.insert(Feature::GroupBy);
        sql.push_str(" GROUP BY ");
        for (i, e) in q.group_by.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            e.print(&mut sql);
            e.collect_features(&mut features);
        }
    }
    if let Some(h) = &q.having {
        features.insert(Feature::Having);
        sql.push_str(" HAVING ");
        h.print(&mut sql);
        h.collect_features(&mut features);
    }
    let ordered = !q.tail.order_by.is_empty();
    if ordered {
        features.insert(Feature::OrderBy);
        sql.push_str(" ORDER BY ");
        for (i, item) in q.tail.order_by.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            item.expr.print(&mut sql);
            item.expr.collect_features(&mut features);
            match item.desc {
                Some(true) => sql.push_str(" DESC"),
                Some(false) => sql.push_str(" ASC"),
                None => {}
            }
            if let Some(first) = item.nulls_first {
                features.insert(Feature::NullsOrder);
                sql.push_str(if first { " NULLS FIRST" } else { " NULLS LAST" });
            }
        }
    }
    if let Some(n) = q.tail.limit {
        features.insert(Feature::Limit);
        let _ = write!(sql, " LIMIT {n}");
    }
    if let Some(n) = q.tail.offset {
        features.insert(Feature::Offset);
        let _ = write!(sql, " OFFSET {n}");
    }
    let single_table = q.from.rels.len() == 1;
    GeneratedQuery {
        sql,
        statement: StatementKind::Select,
        features,
        relations,
        single_table,
        ordered,
    }
}

fn print_items(items: &[SelectItem], sql: &mut String, features: &mut BTreeSet<Feature>) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        match item {
            SelectItem::Star => {
                features.insert(Feature::Star);
                sql.push('*');
            }
            SelectItem::Expr(e) => {
                e.print(sql);
                e.collect_features(features);
            }
        }
    }
}

// ---------------------------------------------------------------- DML

fn dml(ctx: &Arc<Ctx>) -> BoxedStrategy<GeneratedQuery> {
    prop_oneof![
        2 => insert_values(ctx),
        1 => insert_select(ctx),
        3 => update(ctx),
        2 => delete(ctx),
    ]
    .boxed()
}

fn target(table: Table) -> RelRef {
    RelRef {
        table,
        alias: "t1".into(),
        local: false,
    }
}

/// A value assignable to `col`: respects NOT NULL (COALESCE with a literal),
/// length limits (explicit cast, which truncates) and numeric typmods
/// (literals in range only).
fn assigned_value(gen: &ExprGen, col: &Column, same_col: Option<Expr>) -> BoxedStrategy<Expr> {
    let env = gen.env();
    let enum_type = env.enum_type.clone();
    let ty_sql = col.ty.sql(&enum_type);
    let labels: Vec<&str> = env.enum_labels.iter().map(String::as_str).collect();
    let fallback_values: Vec<Expr> = col
        .ty
        .data_values(&labels)
        .into_iter()
        .map(|v| {
            let v = if v.starts_with('-') {
                format!("({v})")
            } else {
                v
            };
            Expr::Literal(format!("{v}::{ty_sql}"))
        })
        .collect();
    let fallback = select(fallback_values);
    let base: BoxedStrategy<Expr> = match col.ty {
        ColumnType::NumericTypmod { .. } => match same_col {
            Some(c) => prop_oneof![fallback.clone(), Just(c)].boxed(),
            None => fallback.clone().boxed(),
        },
        ColumnType::Varchar(_) | ColumnType::Char(_) => {
            let ty = ty_sql.clone();
            gen.expr_at(1, Kind::Text)
                .prop_map(move |e| Expr::Cast {
                    arg: Box::new(e),
                    ty: ty.clone(),
                    via_io: false,
                })
                .boxed()
        }
        ty => gen.expr_at(1, ty.kind()),
    };
    if col.not_null {
        (base, fallback)
            .prop_map(|(b, f)| {
                if matches!(b, Expr::Literal(_)) {
                    b
                } else {
                    Expr::Func {
                        name: "COALESCE".into(),
                        args: vec![b, f],
                        class: FuncClass::Special,
                    }
                }
            })
            .boxed()
    } else {
        base
    }
}

fn returning(gen: &ExprGen, rel: &RelRef) -> BoxedStrategy<Option<Vec<SelectItem>>> {
    prop::option::weighted(0.5, select_items(gen, std::slice::from_ref(rel))).boxed()
}

/// Columns to insert into: every NOT NULL column plus a non-empty subset.
fn insert_columns(table: &Table) -> BoxedStrategy<Vec<Column>> {
    let cols = table.columns.clone();
    prop::collection::vec(any::<bool>(), cols.len())
        .prop_map(move |picks| {
            let mut out: Vec<Column> = cols
                .iter()
                .zip(&picks)
                .filter(|(c, p)| c.not_null || **p)
                .map(|(c, _)| c.clone())
                .collect();
            if out.is_empty() {
                out.push(cols[0].clone());
            }
            out
        })
        .boxed()
}

fn insert_values(ctx: &Arc<Ctx>) -> BoxedStrategy<GeneratedQuery> {
    per_table(ctx, |ctx2, table| {
        let rel = target(table.clone());
        let empty = ExprGen::new(
            Scope {
                leaves: Vec::new(),
                env: Arc::clone(&ctx2.env),
                grouped: false,
            },
            1,
        );
        let gen = ExprGen::new(scope_of(std::slice::from_ref(&rel), &ctx2.env), 1);
        let ret = returning(&gen, &rel);
        (insert_columns(&table), Just(rel), ret)
            .prop_flat_map(move |(cols, rel, ret)| {
                let row: Vec<BoxedStrategy<Expr>> = cols
                    .iter()
                    .map(|c| assigned_value(&empty, c, None))
                    .collect();
                (prop::collection::vec(row, 1..=3), Just((cols, rel, ret))).prop_map(
                    |(rows, (cols, rel, ret))| {
                        let mut features = BTreeSet::from([Feature::Insert, Feature::InsertValues]);
                        let mut sql = insert_head(&rel, &cols);
                        sql.push_str(" VALUES ");
                        for (i, row) in rows.iter().enumerate() {
                            if i > 0 {
                                sql.push_str(", ");
                            }
                            sql.push('(');
                            for (j, v) in row.iter().enumerate() {
                                if j > 0 {
                                    sql.push_str(", ");
                                }
                                v.print(&mut sql);
                                v.collect_features(&mut features);
                            }
                            sql.push(')');
                        }
                        finish_dml(
                            sql,
                            features,
                            StatementKind::Insert,
                            vec![rel.table.name.clone()],
                            ret,
                        )
                    },
                )
            })
            .boxed()
    })
}

fn insert_head(rel: &RelRef, cols: &[Column]) -> String {
    let names: Vec<String> = cols.iter().map(|c| quote_ident(&c.name)).collect();
    format!(
        "INSERT INTO {} AS {} ({})",
        rel.table.sql_name(),
        quote_ident(&rel.alias),
        names.join(", ")
    )
}

fn insert_select(ctx: &Arc<Ctx>) -> BoxedStrategy<GeneratedQuery> {
    let ctx2 = Arc::clone(ctx);
    (table_pick(ctx), table_pick(ctx))
        .prop_flat_map(move |(table, source)| {
            let rel = target(table.clone());
            let src = RelRef {
                table: source,
                alias: "s1".into(),
                local: false,
            };
            let src_gen = ExprGen::new(scope_of(std::slice::from_ref(&src), &ctx2.env), 1);
            let gen = ExprGen::new(scope_of(std::slice::from_ref(&rel), &ctx2.env), 1);
            let ret = returning(&gen, &rel);
            let filter = prop::option::weighted(0.7, where_tree(&src_gen, &ctx2, Vec::new()));
            (
                insert_columns(&table),
                Just((rel, src)),
                ret,
                filter,
                prop::option::weighted(0.5, 0..=20u32),
            )
                .prop_flat_map(move |(cols, (rel, src), ret, filter, limit)| {
                    let values: Vec<BoxedStrategy<Expr>> = cols
                        .iter()
                        .map(|c| assigned_value(&src_gen, c, None))
                        .collect();
                    (values, Just((cols, rel, src, ret, filter, limit))).prop_map(
                        |(values, (cols, rel, src, ret, filter, limit))| {
                            let mut features =
                                BTreeSet::from([Feature::Insert, Feature::InsertSelect]);
                            let mut sql = insert_head(&rel, &cols);
                            sql.push_str(" SELECT ");
                            for (j, v) in values.iter().enumerate() {
                                if j > 0 {
                                    sql.push_str(", ");
                                }
                                v.print(&mut sql);
                                v.collect_features(&mut features);
                            }
                            let _ = write!(sql, " FROM {}", src.sql_from_item());
                            if let Some(f) = &filter {
                                features.insert(Feature::Where);
                                sql.push_str(" WHERE ");
                                f.print(&mut sql);
                                f.collect_features(&mut features);
                            }
                            if let Some(n) = limit {
                                features.insert(Feature::Limit);
                                let _ = write!(sql, " LIMIT {n}");
                            }
                            let relations = vec![rel.table.name.clone(), src.table.name.clone()];
                            finish_dml(sql, features, StatementKind::Insert, relations, ret)
                        },
                    )
                })
        })
        .boxed()
}

fn update(ctx: &Arc<Ctx>) -> BoxedStrategy<GeneratedQuery> {
    per_table(ctx, |ctx2, table| {
        let rel = target(table.clone());
        let gen = ExprGen::new(scope_of(std::slice::from_ref(&rel), &ctx2.env), 1);
        let sets: Vec<BoxedStrategy<(Column, Expr)>> = table
            .columns
            .iter()
            .filter(|c| ctx2.env.extension || c.ty != ColumnType::Cube)
            .map(|c| {
                let col = c.clone();
                assigned_value(&gen, c, Some(rel.column(c)))
                    .prop_map(move |v| (col.clone(), v))
                    .boxed()
            })
            .collect();
        let set_list = proptest::sample::subsequence(sets, 1..=2).prop_flat_map(|s| s);
        (
            set_list,
            prop::option::weighted(0.85, where_tree(&gen, ctx2, Vec::new())),
            returning(&gen, &rel),
            Just(rel),
        )
            .prop_map(|(sets, filter, ret, rel)| {
                let mut features = BTreeSet::from([Feature::Update]);
                let mut sql = format!(
                    "UPDATE {} AS {} SET ",
                    rel.table.sql_name(),
                    quote_ident(&rel.alias)
                );
                for (i, (col, v)) in sets.iter().enumerate() {
                    if i > 0 {
                        sql.push_str(", ");
                    }
                    let _ = write!(sql, "{} = ", quote_ident(&col.name));
                    v.print(&mut sql);
                    v.collect_features(&mut features);
                }
                if let Some(f) = &filter {
                    features.insert(Feature::Where);
                    sql.push_str(" WHERE ");
                    f.print(&mut sql);
                    f.collect_features(&mut features);
                }
                finish_dml(
                    sql,
                    features,
                    StatementKind::Update,
                    vec![rel.table.name.clone()],
                    ret,
                )
            })
            .boxed()
    })
}

fn delete(ctx: &Arc<Ctx>) -> BoxedStrategy<GeneratedQuery> {
    per_table(ctx, |ctx2, table| {
        let rel = target(table);
        let gen = ExprGen::new(scope_of(std::slice::from_ref(&rel), &ctx2.env), 1);
        (
            prop::option::weighted(0.85, where_tree(&gen, ctx2, Vec::new())),
            returning(&gen, &rel),
            Just(rel),
        )
            .prop_map(|(filter, ret, rel)| {
                let mut features = BTreeSet::from([Feature::Delete]);
                let mut sql = format!(
                    "DELETE FROM {} AS {}",
                    rel.table.sql_name(),
                    quote_ident(&rel.alias)
                );
                if let Some(f) = &filter {
                    features.insert(Feature::Where);
                    sql.push_str(" WHERE ");
                    f.print(&mut sql);
                    f.collect_features(&mut features);
                }
                finish_dml(
                    sql,
                    features,
                    StatementKind::Delete,
                    vec![rel.table.name.clone()],
                    ret,
                )
            })
            .boxed()
    })
}

fn finish_dml(
    mut sql: String,
    mut features: BTreeSet<Feature>,
    statement: StatementKind,
    relations: Vec<String>,
    ret: Option<Vec<SelectItem>>,
) -> GeneratedQuery {
    if let Some(items) = ret {
        features.insert(Feature::Returning);
        sql.push_str(" RETURNING ");
        print_items(&items, &mut sql, &mut features);
    }
    let single_table = relations.len() == 1;
    GeneratedQuery {
        sql,
        statement,
        features,
        relations,
        single_table,
        ordered: false,
    }
}
