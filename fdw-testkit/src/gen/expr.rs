//! Typed expression trees: the model, its printer, the features it uses,
//! and the strategies that build type-correct trees over a scope.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::sync::Arc;

use proptest::prelude::*;
use proptest::sample::select;

use super::ident::quote_ident;
use super::schema::{USER_FUNCTION, USER_OPERATOR};
use super::types::{Kind, ALL_KINDS};
use super::Feature;

/// An expression of the generated SQL. Every compound node parenthesizes
/// itself when printed, so precedence never matters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// `alias.column` (both quoted as needed).
    Column {
        /// Range-table alias.
        alias: String,
        /// Unquoted column name.
        name: String,
    },
    /// A whole-row reference to a range-table alias.
    WholeRow(String),
    /// A literal, already printed (with its cast if it has one).
    Literal(String),
    /// A typed `NULL` (`NULL::type`).
    Null(String),
    /// `(left op right)`.
    Binary {
        /// Operator spelling (`+`, `=`, `LIKE`, `IS DISTINCT FROM`, ...).
        op: String,
        /// Left operand.
        left: Box<Expr>,
        /// Right operand.
        right: Box<Expr>,
    },
    /// `(NOT arg)` or `(- arg)`.
    Prefix {
        /// Operator spelling.
        op: &'static str,
        /// Operand.
        arg: Box<Expr>,
    },
    /// `(arg IS NULL)` and other postfix tests.
    Postfix {
        /// Operand.
        arg: Box<Expr>,
        /// Test spelling (`IS NULL`, `IS TRUE`, ...).
        op: &'static str,
    },
    /// `name(args)`.
    Func {
        /// Function name as printed.
        name: String,
        /// Arguments.
        args: Vec<Expr>,
        /// Volatility / origin, for metadata.
        class: FuncClass,
    },
    /// `(arg)::type`.
    Cast {
        /// Operand.
        arg: Box<Expr>,
        /// Target type as printed.
        ty: String,
        /// True for an I/O conversion (e.g. `int::text`), never shippable.
        via_io: bool,
    },
    /// `CASE [arg] WHEN .. THEN .. [ELSE ..] END`.
    Case {
        /// The CASE argument, if any.
        arg: Option<Box<Expr>>,
        /// WHEN/THEN pairs.
        whens: Vec<(Expr, Expr)>,
        /// ELSE branch.
        otherwise: Option<Box<Expr>>,
    },
    /// `(arg [NOT] IN (list))`.
    InList {
        /// Tested value.
        arg: Box<Expr>,
        /// Candidates.
        list: Vec<Expr>,
        /// `NOT IN`.
        negated: bool,
    },
    /// `(arg op ANY|ALL (array))`.
    ArrayOp {
        /// Tested value.
        arg: Box<Expr>,
        /// Comparison operator.
        op: &'static str,
        /// `ALL` instead of `ANY`.
        all: bool,
        /// The array (an `ARRAY[...]` or an array-valued expression).
        array: Box<Expr>,
    },
    /// `ARRAY[elems]`.
    Array(Vec<Expr>),
    /// `(arg)[index]`.
    Subscript {
        /// Array value.
        arg: Box<Expr>,
        /// Subscript.
        index: i32,
    },
    /// `(arg COLLATE "C")`.
    Collate(Box<Expr>),
    /// An aggregate call.
    Agg(Box<AggCall>),
    /// `[NOT] EXISTS (SELECT 1 FROM from WHERE filter)` or
    /// `(arg [NOT] IN (SELECT target FROM from WHERE filter))`.
    Sublink {
        /// Tested value for `IN`; `None` for `EXISTS`.
        arg: Option<Box<Expr>>,
        /// `NOT EXISTS` / `NOT IN`.
        negated: bool,
        /// Selected expression for `IN`; `None` for `EXISTS` (prints `1`).
        target: Option<Box<Expr>>,
        /// The printed FROM item (`relation alias`).
        from: String,
        /// The subquery's WHERE condition.
        filter: Option<Box<Expr>>,
    },
}

/// What kind of function a [`Expr::Func`] calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FuncClass {
    /// Built-in and immutable.
    Immutable,
    /// Built-in and stable (`now()`, `to_char()`, `concat()`).
    Stable,
    /// Built-in and volatile (`random()`, `clock_timestamp()`).
    Volatile,
    /// A user-defined function.
    User,
    /// A function of the `cube` extension.
    Extension,
    /// `COALESCE`, `NULLIF`, `GREATEST` (special nodes, never shipped).
    Special,
}

/// An aggregate call: `name([DISTINCT] args [ORDER BY ..]) [WITHIN GROUP (..)] [FILTER (WHERE ..)]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AggCall {
    /// Aggregate name.
    pub name: &'static str,
    /// `count(*)`.
    pub star: bool,
    /// `DISTINCT` arguments.
    pub distinct: bool,
    /// Arguments (direct arguments for ordered-set aggregates).
    pub args: Vec<Expr>,
    /// `ORDER BY` inside the call (or `WITHIN GROUP` ordering).
    pub order_by: Vec<Expr>,
    /// Ordered-set aggregate: ordering goes to `WITHIN GROUP`.
    pub within_group: bool,
    /// `FILTER (WHERE ..)`.
    pub filter: Option<Expr>,
}

impl Expr {
    /// Appends the SQL text of the expression to `buf`.
    pub fn print(&self, buf: &mut String) {
        match self {
            Expr::Column { alias, name } => {
                let _ = write!(buf, "{}.{}", quote_ident(alias), quote_ident(name));
            }
            Expr::WholeRow(alias) => buf.push_str(&quote_ident(alias)),
            Expr::Literal(text) => buf.push_str(text),
            Expr::Null(ty) => {
                let _ = write!(buf, "NULL::{ty}");
            }
            Expr::Binary { op, left, right } => {
                buf.push('(');
                left.print(buf);
                let _ = write!(buf, " {op} ");
                right.print(buf);
                buf.push(')');
            }
            Expr::Prefix { op, arg } => {
                let _ = write!(buf, "({op} ");
                arg.print(buf);
                buf.push(')');
            }
            Expr::Postfix { arg, op } => {
                buf.push('(');
                arg.print(buf);
                let _ = write!(buf, " {op})");
            }
            Expr::Func { name, args, .. } => {
                buf.push_str(name);
                buf.push('(');
                print_list(args, buf);
                buf.push(')');
            }
            Expr::Cast { arg, ty, .. } => {
                buf.push('(');
                arg.print(buf);
                let _ = write!(buf, ")::{ty}");
            }
            Expr::Case {
                arg,
                whens,
                otherwise,
            } => {
                buf.push_str("CASE");
                if let Some(arg) = arg {
                    buf.push(' ');
                    arg.print(buf);
                }
                for (when, then) in whens {
                    buf.push_str(" WHEN ");
                    when.print(buf);
                    buf.push_str(" THEN ");
                    then.print(buf);
                }
                if let Some(e) = otherwise {
                    buf.push_str(" ELSE ");
                    e.print(buf);
                }
                buf.push_str(" END");
            }
            Expr::InList { arg, list, negated } => {
                buf.push('(');
                arg.print(buf);
                buf.push_str(if *negated { " NOT IN (" } else { " IN (" });
                print_list(list, buf);
                buf.push_str("))");
            }
            Expr::ArrayOp {
                arg,
                op,
                all,
                array,
            } => {
                buf.push('(');
                arg.print(buf);
                let _ = write!(buf, " {op} {} (", if *all { "ALL" } else { "ANY" });
                array.print(buf);
                buf.push_str("))");
            }
            Expr::Array(elems) => {
                buf.push_str("ARRAY[");
                print_list(elems, buf);
                buf.push(']');
            }
            Expr::Subscript { arg, index } => {
                buf.push('(');
                arg.print(buf);
                let _ = write!(buf, ")[{index}]");
            }
            Expr::Collate(arg) => {
                buf.push('(');
                arg.print(buf);
                buf.push_str(" COLLATE \"C\")");
            }
            Expr::Agg(call) => call.print(buf),
            Expr::Sublink {
                arg,
                negated,
                target,
                from,
                filter,
            } => {
                let not = if *negated { "NOT " } else { "" };
                if let Some(arg) = arg {
                    buf.push('(');
                    arg.print(buf);
                    let _ = write!(buf, " {not}IN (");
                } else {
                    let _ = write!(buf, "{not}EXISTS (");
                }
                buf.push_str("SELECT ");
                match target {
                    Some(t) => t.print(buf),
                    None => buf.push('1'),
                }
                let _ = write!(buf, " FROM {from}");
                if let Some(f) = filter {
                    buf.push_str(" WHERE ");
                    f.print(buf);
                }
                buf.push(')');
                if arg.is_some() {
                    buf.push(')');
                }
            }
        }
    }

    /// The SQL text of the expression.
    pub fn to_sql(&self) -> String {
        let mut buf = String::new();
        self.print(&mut buf);
        buf
    }

    /// Adds the features this expression uses to `out`.
    pub fn collect_features(&self, out: &mut BTreeSet<Feature>) {
        match self {
            Expr::Column { .. } | Expr::Literal(_) | Expr::Null(_) => {}
            Expr::WholeRow(_) => {
                out.insert(Feature::WholeRow);
            }
            Expr::Binary { op, left, right } => {
                match op.as_str() {
                    "LIKE" | "NOT LIKE" => out.insert(Feature::Like),
                    "ILIKE" => out.insert(Feature::ILike),
                    "SIMILAR TO" => out.insert(Feature::SimilarTo),
                    "IS DISTINCT FROM" | "IS NOT DISTINCT FROM" => {
                        out.insert(Feature::DistinctFrom)
                    }
                    "AND" | "OR" => out.insert(Feature::BoolExpr),
                    o if o == USER_OPERATOR => out.insert(Feature::UserOperator),
                    _ => out.insert(Feature::Operator),
                };
                left.collect_features(out);
                right.collect_features(out);
            }
            Expr::Prefix { arg, op } => {
                out.insert(if *op == "NOT" {
                    Feature::BoolExpr
                } else {
                    Feature::Operator
                });
                arg.collect_features(out);
            }
            Expr::Postfix { arg, op } => {
                out.insert(if op.contains("NULL") {
                    Feature::NullTest
                } else {
                    Feature::BoolTest
                });
                arg.collect_features(out);
            }
            Expr::Func { name, args, class } => {
                out.insert(match class {
                    FuncClass::Immutable => Feature::Function,
                    FuncClass::Stable => Feature::StableFunction,
                    FuncClass::Volatile => Feature::VolatileFunction,
                    FuncClass::User => Feature::UserFunction,
                    FuncClass::Extension => Feature::ExtensionFunction,
                    FuncClass::Special => match name.as_str() {
                        "COALESCE" => Feature::Coalesce,
                        "NULLIF" => Feature::NullIf,
                        _ => Feature::Greatest,
                    },
                });
                args.iter().for_each(|a| a.collect_features(out));
            }
            Expr::Cast { arg, via_io, .. } => {
                out.insert(if *via_io {
                    Feature::CoerceViaIo
                } else {
                    Feature::Cast
                });
                arg.collect_features(out);
            }
            Expr::Case {
                arg,
                whens,
                otherwise,
            } => {
                out.insert(if arg.is_some() {
                    Feature::CaseWithArg
                } else {
                    Feature::Case
                });
                if let Some(a) = arg {
                    a.collect_features(out);
                }
                for (w, t) in whens {
                    w.collect_features(out);
                    t.collect_features(out);
                }
                if let Some(e) = otherwise {
                    e.collect_features(out);
                }
            }
            Expr::InList { arg, list, .. } => {
                out.insert(Feature::InList);
                arg.collect_features(out);
                list.iter().for_each(|a| a.collect_features(out));
            }
            Expr::ArrayOp { arg, array, .. } => {
                out.insert(Feature::AnyArray);
                arg.collect_features(out);
                array.collect_features(out);
            }
            Expr::Array(elems) => {
                out.insert(Feature::ArrayExpr);
                elems.iter().for_each(|a| a.collect_features(out));
            }
            Expr::Subscript { arg, .. } => {
                out.insert(Feature::Subscript);
                arg.collect_features(out);
            }
            Expr::Collate(arg) => {
                out.insert(Feature::Collate);
                arg.collect_features(out);
            }
            Expr::Agg(call) => {
                out.insert(Feature::Aggregate);
                if call.distinct {
                    out.insert(Feature::DistinctAggregate);
                }
                if call.within_group {
                    out.insert(Feature::WithinGroup);
                } else if !call.order_by.is_empty() {
                    out.insert(Feature::OrderedAggregate);
                }
                if let Some(f) = &call.filter {
                    out.insert(Feature::AggregateFilter);
                    f.collect_features(out);
                }
                call.args.iter().for_each(|a| a.collect_features(out));
                call.order_by.iter().for_each(|a| a.collect_features(out));
            }
            Expr::Sublink {
                arg,
                negated,
                target,
                filter,
                ..
            } => {
                out.insert(match (arg.is_some(), *negated) {
                    (false, false) => Feature::Exists,
                    (false, true) => Feature::NotExists,
                    (true, false) => Feature::InSubquery,
                    (true, true) => Feature::NotInSubquery,
                });
                for e in [arg, target, filter].into_iter().flatten() {
                    e.collect_features(out);
                }
            }
        }
    }

    /// Number of nodes in the tree (used to check that shrinking shrinks).
    pub fn size(&self) -> usize {
        1 + match self {
            Expr::Column { .. } | Expr::WholeRow(_) | Expr::Literal(_) | Expr::Null(_) => 0,
            Expr::Sublink {
                arg,
                target,
                filter,
                ..
            } => [arg, target, filter]
                .into_iter()
                .flatten()
                .map(|e| e.size())
                .sum(),
            Expr::Binary { left, right, .. } => left.size() + right.size(),
            Expr::Prefix { arg, .. }
            | Expr::Postfix { arg, .. }
            | Expr::Cast { arg, .. }
            | Expr::Subscript { arg, .. }
            | Expr::Collate(arg) => arg.size(),
            Expr::Func { args, .. } | Expr::Array(args) => args.iter().map(Expr::size).sum(),
            Expr::Case {
                arg,
                whens,
                otherwise,
            } => {
                arg.as_ref().map_or(0, |a| a.size())
                    + whens
                        .iter()
                        .map(|(w, t)| w.size() + t.size())
                        .sum::<usize>()
                    + otherwise.as_ref().map_or(0, |a| a.size())
            }
            Expr::InList { arg, list, .. } => {
                arg.size() + list.iter().map(Expr::size).sum::<usize>()
            }
            Expr::ArrayOp { arg, array, .. } => arg.size() + array.size(),
            Expr::Agg(call) => {
                call.args.iter().map(Expr::size).sum::<usize>()
                    + call.order_by.iter().map(Expr::size).sum::<usize>()
                    + call.filter.as_ref().map_or(0, Expr::size)
            }
        }
    }
}

impl AggCall {
    fn print(&self, buf: &mut String) {
        buf.push_str(self.name);
        buf.push('(');
        if self.star {
            buf.push('*');
        } else {
            if self.distinct {
                buf.push_str("DISTINCT ");
            }
            print_list(&self.args, buf);
            if !self.within_group && !self.order_by.is_empty() {
                buf.push_str(" ORDER BY ");
                print_list(&self.order_by, buf);
            }
        }
        buf.push(')');
        if self.within_group {
            buf.push_str(" WITHIN GROUP (ORDER BY ");
            print_list(&self.order_by, buf);
            buf.push(')');
        }
        if let Some(f) = &self.filter {
            buf.push_str(" FILTER (WHERE ");
            f.print(buf);
            buf.push(')');
        }
    }
}

fn print_list(items: &[Expr], buf: &mut String) {
    for (i, e) in items.iter().enumerate() {
        if i > 0 {
            buf.push_str(", ");
        }
        e.print(buf);
    }
}

/// What expressions may use, beyond the leaves of a scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprEnv {
    /// Quoted, qualified enum type name.
    pub enum_type: String,
    /// Enum labels (unquoted).
    pub enum_labels: Vec<String>,
    /// Allow stable and volatile functions (`now()`, `random()`, ...).
    pub mutable_functions: bool,
    /// Allow the user-defined function and operator.
    pub user_defined: bool,
    /// Allow `cube` functions and literals.
    pub extension: bool,
}

/// The leaves expressions are built from: columns of the relations in scope,
/// or, in a grouped query, grouping expressions and aggregate calls.
#[derive(Clone, Debug)]
pub struct Scope {
    /// Expressions usable as leaves, with their kinds.
    pub leaves: Vec<(Kind, Expr)>,
    /// The environment.
    pub env: Arc<ExprEnv>,
    /// The leaves are grouping keys and aggregates. Then no `NOT` is
    /// generated: PostgreSQL 15's planner turns `NOT (a > b)` into `a <= b`
    /// after the grouping check, and postgres_fdw ships a remote query that
    /// groups by `a > b` but selects or orders by `a <= b`, which the
    /// remote server rejects (`must appear in the GROUP BY clause`).
    pub grouped: bool,
}

impl Scope {
    fn leaves_of(&self, kind: Kind) -> Vec<Expr> {
        self.leaves
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, e)| e.clone())
            .collect()
    }
}

/// Builds typed expression strategies of bounded depth over one scope. The
/// strategies of each depth are built once, bottom-up, from those of the
/// depth below, so a tree's subtrees shrink independently.
#[derive(Clone)]
pub struct ExprGen {
    levels: Vec<Vec<BoxedStrategy<Expr>>>,
    scope: Arc<Scope>,
}

impl std::fmt::Debug for ExprGen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExprGen")
            .field("depth", &self.levels.len())
            .finish()
    }
}

/// The kinds expressions may have in `env` (`cube` only with the extension).
pub(crate) fn usable_kinds(env: &ExprEnv) -> Vec<Kind> {
    ALL_KINDS
        .iter()
        .copied()
        .filter(|k| env.extension || *k != Kind::Cube)
        .collect()
}

fn kind_index(kind: Kind) -> usize {
    ALL_KINDS.iter().position(|k| *k == kind).unwrap_or(0)
}

/// A literal strategy for `kind`, printed with a cast where the bare text
/// would not have the right type.
pub(crate) fn literal(kind: Kind, env: &ExprEnv) -> BoxedStrategy<Expr> {
    let cast = kind.cast_name(&env.enum_type);
    let mut texts = match kind {
        Kind::Enum => env
            .enum_labels
            .iter()
            .map(|l| super::ident::quote_literal(l))
            .collect(),
        _ => kind.literal_texts(),
    };
    if texts.is_empty() {
        texts.push("NULL".into());
    }
    let null = Just(Expr::Null(cast.clone()));
    let values = select(texts).prop_map(move |t| {
        Expr::Literal(match kind {
            Kind::Int | Kind::Bool => parenthesize_negative(t),
            Kind::Text if !t.starts_with('E') && t.len() % 2 == 0 => t,
            _ => format!("{}::{}", parenthesize_negative(t), cast),
        })
    });
    prop_oneof![8 => values, 1 => null].boxed()
}

/// A literal that is never NULL.
pub(crate) fn non_null_literal(kind: Kind, env: &ExprEnv) -> BoxedStrategy<Expr> {
    literal(kind, env)
        .prop_filter("non-null literal", |e| !matches!(e, Expr::Null(_)))
        .boxed()
}

fn parenthesize_negative(t: String) -> String {
    if t.starts_with('-') {
        format!("({t})")
    } else {
        t
    }
}

/// `(arg COLLATE "C")`, with an untyped string literal typed as `text`
/// first (an `unknown` under COLLATE cannot resolve polymorphic functions).
fn collate(arg: Expr) -> Expr {
    let arg = match arg {
        Expr::Literal(text) if text.starts_with('\'') && !text.contains("::") => {
            Expr::Literal(format!("{text}::text"))
        }
        other => other,
    };
    Expr::Collate(Box::new(arg))
}

fn lit(text: &str) -> Expr {
    Expr::Literal(text.to_owned())
}

fn func(name: &str, class: FuncClass, args: Vec<Expr>) -> Expr {
    Expr::Func {
        name: name.to_owned(),
        args,
        class,
    }
}

fn bin(op: &str, left: Expr, right: Expr) -> Expr {
    Expr::Binary {
        op: op.to_owned(),
        left: Box::new(left),
        right: Box::new(right),
    }
}

fn cast(arg: Expr, ty: &str, via_io: bool) -> Expr {
    Expr::Cast {
        arg: Box::new(arg),
        ty: ty.to_owned(),
        via_io,
    }
}

/// Kinds that can be compared with `=`/`<` and friends, with their partners.
const COMPARABLE: [(Kind, Kind); 13] = [
    (Kind::Int, Kind::Int),
    (Kind::Int, Kind::Int8),
    (Kind::Int8, Kind::Int8),
    (Kind::Numeric, Kind::Numeric),
    (Kind::Int, Kind::Numeric),
    (Kind::Float, Kind::Float),
    (Kind::Text, Kind::Text),
    (Kind::Date, Kind::Date),
    (Kind::Date, Kind::Timestamp),
    (Kind::Timestamp, Kind::Timestamp),
    (Kind::Timestamptz, Kind::Timestamptz),
    (Kind::Timestamp, Kind::Timestamptz),
    (Kind::Interval, Kind::Interval),
];

const LIKE_PATTERNS: &[&str] = &[
    "'a%'", "'%b%'", "'_'", "'%'", "'A%c'", "'%\\%%'", "''", "'ü%'",
];
const SIMILAR_PATTERNS: &[&str] = &["'(a|b)%'", "'%[0-9]%'", "'x*'", "'%'"];

impl ExprGen {
    /// Builds the strategies for expressions of depth up to `max_depth` over `scope`.
    pub fn new(scope: Scope, max_depth: u32) -> Self {
        let scope = Arc::new(scope);
        let mut gen = ExprGen {
            levels: Vec::new(),
            scope,
        };
        let base: Vec<BoxedStrategy<Expr>> = ALL_KINDS.iter().map(|k| gen.leaf(*k)).collect();
        gen.levels.push(base);
        for _ in 0..max_depth {
            let next: Vec<BoxedStrategy<Expr>> =
                ALL_KINDS.iter().map(|k| gen.compound_level(*k)).collect();
            gen.levels.push(next);
        }
        gen
    }

    /// Strategy for an expression of `kind` of full depth.
    pub fn expr(&self, kind: Kind) -> BoxedStrategy<Expr> {
        self.at(self.levels.len() - 1, kind)
    }

    /// Strategy for an expression of `kind` with at most `depth` levels.
    pub fn expr_at(&self, depth: usize, kind: Kind) -> BoxedStrategy<Expr> {
        self.at(depth.min(self.levels.len() - 1), kind)
    }

    /// Strategy for a leaf of `kind` (a scope leaf or a literal).
    pub fn leaf_of(&self, kind: Kind) -> BoxedStrategy<Expr> {
        self.at(0, kind)
    }

    /// A kind to generate, weighted towards kinds the scope has leaves of
    /// (so expressions mostly involve columns rather than constants only).
    pub fn kind_choice(&self) -> BoxedStrategy<Kind> {
        let alts: Vec<(u32, BoxedStrategy<Kind>)> = usable_kinds(&self.scope.env)
            .into_iter()
            .map(|k| (if self.has_leaves(k) { 6 } else { 1 }, Just(k).boxed()))
            .collect();
        proptest::strategy::Union::new_weighted(alts).boxed()
    }

    /// True if the scope has leaves of `kind`.
    pub fn has_leaves(&self, kind: Kind) -> bool {
        self.scope.leaves.iter().any(|(k, _)| *k == kind)
    }

    /// The scope's environment.
    pub fn env(&self) -> &ExprEnv {
        &self.scope.env
    }

    /// Leaves of the scope that have `kind`.
    pub fn scope_leaves(&self, kind: Kind) -> Vec<Expr> {
        self.scope.leaves_of(kind)
    }

    fn at(&self, depth: usize, kind: Kind) -> BoxedStrategy<Expr> {
        self.levels[depth][kind_index(kind)].clone()
    }

    fn leaf(&self, kind: Kind) -> BoxedStrategy<Expr> {
        let env = &self.scope.env;
        let lit = literal(kind, env);
        let cols = self.scope.leaves_of(kind);
        if cols.is_empty() {
            lit
        } else {
            prop_oneof![3 => select(cols), 1 => lit].boxed()
        }
    }

    /// Alternatives at one level above the current top level.
    fn compound_level(&self, kind: Kind) -> BoxedStrategy<Expr> {
        let d = self.levels.len() - 1;
        let sub = |k: Kind| self.at(d, k);
        let leaf = |k: Kind| self.at(0, k);
        let env = Arc::clone(&self.scope.env);
        let mut alts: Vec<(u32, BoxedStrategy<Expr>)> = vec![(6, sub(kind))];
        let mutable = env.mutable_functions;

        // Generic forms available for most kinds.
        if kind != Kind::Cube {
            alts.push((
                1,
                (sub(Kind::Bool), sub(kind), prop::option::of(sub(kind)))
                    .prop_map(|(w, t, e)| Expr::Case {
                        arg: None,
                        whens: vec![(w, t)],
                        otherwise: e.map(Box::new),
                    })
                    .boxed(),
            ));
            alts.push((
                1,
                (
                    sub(Kind::Int),
                    leaf(Kind::Int),
                    sub(kind),
                    leaf(Kind::Int),
                    sub(kind),
                    sub(kind),
                )
                    .prop_map(|(a, w1, t1, w2, t2, e)| Expr::Case {
                        arg: Some(Box::new(a)),
                        whens: vec![(w1, t1), (w2, t2)],
                        otherwise: Some(Box::new(e)),
                    })
                    .boxed(),
            ));
            alts.push((
                1,
                (sub(kind), sub(kind))
                    .prop_map(|(a, b)| func("COALESCE", FuncClass::Special, vec![a, b]))
                    .boxed(),
            ));
        }
        if kind.is_scalar_ordered() {
            alts.push((
                1,
                (sub(kind), sub(kind))
                    .prop_map(|(a, b)| func("NULLIF", FuncClass::Special, vec![a, b]))
                    .boxed(),
            ));
            alts.push((
                1,
                (sub(kind), sub(kind))
                    .prop_map(|(a, b)| func("GREATEST", FuncClass::Special, vec![a, b]))
                    .boxed(),
            ));
        }

        match kind {
            Kind::Int => {
                for op in ["+", "-"] {
                    alts.push((
                        2,
                        (sub(Kind::Int), sub(Kind::Int))
                            .prop_map(move |(a, b)| bin(op, a, b))
                            .boxed(),
                    ));
                }
                alts.push((
                    1,
                    (leaf(Kind::Int), 2..=9i32)
                        .prop_map(|(a, n)| bin("*", a, Expr::Literal(n.to_string())))
                        .boxed(),
                ));
                alts.push((
                    1,
                    sub(Kind::Int)
                        .prop_map(|a| func("abs", FuncClass::Immutable, vec![a]))
                        .boxed(),
                ));
                alts.push((
                    1,
                    sub(Kind::Text)
                        .prop_map(|a| func("length", FuncClass::Immutable, vec![a]))
                        .boxed(),
                ));
                alts.push((
                    1,
                    sub(Kind::IntArray)
                        .prop_map(|a| Expr::Subscript {
                            arg: Box::new(a),
                            index: 1,
                        })
                        .boxed(),
                ));
                alts.push((
                    1,
                    sub(Kind::IntArray)
                        .prop_map(|a| func("cardinality", FuncClass::Immutable, vec![a]))
                        .boxed(),
                ));
                if env.user_defined {
                    alts.push((
                        1,
                        (sub(Kind::Int), sub(Kind::Int))
                            .prop_map(|(a, b)| func(USER_FUNCTION, FuncClass::User, vec![a, b]))
                            .boxed(),
                    ));
                }
                if env.extension {
                    alts.push((
                        1,
                        sub(Kind::Cube)
                            .prop_map(|a| func("public.cube_dim", FuncClass::Extension, vec![a]))
                            .boxed(),
                    ));
                }
            }
            Kind::Int8 => {
                alts.push((
                    2,
                    sub(Kind::Int)
                        .prop_map(|a| cast(a, "bigint", false))
                        .boxed(),
                ));
                for op in ["+", "-"] {
                    alts.push((
                        1,
                        (sub(Kind::Int8), sub(Kind::Int8))
                            .prop_map(move |(a, b)| bin(op, a, b))
                            .boxed(),
                    ));
                }
                alts.push((
                    1,
                    sub(Kind::Int8)
                        .prop_map(|a| func("abs", FuncClass::Immutable, vec![a]))
                        .boxed(),
                ));
            }
            Kind::Numeric => {
                alts.push((
                    1,
                    sub(Kind::Int)
                        .prop_map(|a| cast(a, "numeric", false))
                        .boxed(),
                ));
                alts.push((
                    1,
                    sub(Kind::Int8)
                        .prop_map(|a| cast(a, "numeric", false))
                        .boxed(),
                ));
                for op in ["+", "-", "*"] {
                    alts.push((
                        1,
                        (sub(Kind::Numeric), sub(Kind::Numeric))
                            .prop_map(move |(a, b)| bin(op, a, b))
                            .boxed(),
                    ));
                }
                alts.push((
                    1,
                    (sub(Kind::Numeric), select(vec!["3", "0.5", "(-7)"]))
                        .prop_map(|(a, d)| bin("/", a, lit(d)))
                        .boxed(),
                ));
                alts.push((
                    1,
                    (sub(Kind::Numeric), 0..=3i32)
                        .prop_map(|(a, n)| {
                            func(
                                "round",
                                FuncClass::Immutable,
                                vec![a, Expr::Literal(n.to_string())],
                            )
                        })
                        .boxed(),
                ));
                alts.push((
                    1,
                    sub(Kind::Numeric)
                        .prop_map(|a| func("abs", FuncClass::Immutable, vec![a]))
                        .boxed(),
                ));
            }
            Kind::Float => {
                alts.push((
                    1,
                    sub(Kind::Int)
                        .prop_map(|a| cast(a, "double precision", false))
                        .boxed(),
                ));
                alts.push((
                    1,
                    sub(Kind::Numeric)
                        .prop_map(|a| cast(a, "double precision", false))
                        .boxed(),
                ));
                for op in ["+", "-"] {
                    alts.push((
                        1,
                        (sub(Kind::Float), sub(Kind::Float))
                            .prop_map(move |(a, b)| bin(op, a, b))
                            .boxed(),
                    ));
                }
                alts.push((
                    1,
                    (
                        sub(Kind::Float),
                        select(vec!["'2.5'::double precision", "'-1'::double precision"]),
                    )
                        .prop_map(|(a, b)| bin("*", a, lit(b)))
                        .boxed(),
                ));
                alts.push((
                    1,
                    sub(Kind::Float)
                        .prop_map(|a| func("abs", FuncClass::Immutable, vec![a]))
                        .boxed(),
                ));
                alts.push((
                    1,
                    sub(Kind::Float)
                        .prop_map(|a| func("round", FuncClass::Immutable, vec![a]))
                        .boxed(),
                ));
                if mutable {
                    alts.push((1, Just(func("random", FuncClass::Volatile, vec![])).boxed()));
                }
                if env.extension {
                    alts.push((
                        1,
                        sub(Kind::Cube)
                            .prop_map(|a| {
                                func(
                                    "public.cube_ll_coord",
                                    FuncClass::Extension,
                                    vec![a, lit("1")],
                                )
                            })
                            .boxed(),
                    ));
                }
            }
            Kind::Text => {
                alts.push((
                    2,
                    (sub(Kind::Text), sub(Kind::Text))
                        .prop_map(|(a, b)| bin("||", a, b))
                        .boxed(),
                ));
                for f in ["lower", "upper", "btrim"] {
                    alts.push((
                        1,
                        sub(Kind::Text)
                            .prop_map(move |a| func(f, FuncClass::Immutable, vec![a]))
                            .boxed(),
                    ));
                }
                alts.push((
                    1,
                    sub(Kind::Text)
                        .prop_map(|a| func("btrim", FuncClass::Immutable, vec![a, lit("'ax '")]))
                        .boxed(),
                ));
                alts.push((
                    1,
                    sub(Kind::Text)
                        .prop_map(|a| {
                            func("substr", FuncClass::Immutable, vec![a, lit("2"), lit("3")])
                        })
                        .boxed(),
                ));
                alts.push((1, sub(Kind::Text).prop_map(collate).boxed()));
                alts.push((
                    1,
                    (sub(Kind::Jsonb), select(vec!["'a'", "'k'"]))
                        .prop_map(|(j, k)| bin("->>", j, lit(k)))
                        .boxed(),
                ));
                alts.push((
                    1,
                    sub(Kind::TextArray)
                        .prop_map(|a| Expr::Subscript {
                            arg: Box::new(a),
                            index: 1,
                        })
                        .boxed(),
                ));
                // I/O conversions to text (never shippable).
                for k in [
                    Kind::Int,
                    Kind::Numeric,
                    Kind::Date,
                    Kind::Bool,
                    Kind::Enum,
                    Kind::Timestamp,
                    Kind::Jsonb,
                ] {
                    alts.push((1, sub(k).prop_map(|a| cast(a, "text", true)).boxed()));
                }
                if mutable {
                    alts.push((
                        1,
                        (sub(Kind::Text), sub(Kind::Int))
                            .prop_map(|(a, b)| func("concat", FuncClass::Stable, vec![a, b]))
                            .boxed(),
                    ));
                    alts.push((
                        1,
                        sub(Kind::Timestamp)
                            .prop_map(|a| {
                                func(
                                    "to_char",
                                    FuncClass::Stable,
                                    vec![a, lit("'YYYY-MM-DD HH24:MI'")],
                                )
                            })
                            .boxed(),
                    ));
                    alts.push((
                        1,
                        sub(Kind::Int)
                            .prop_map(|a| {
                                func("to_char", FuncClass::Stable, vec![a, lit("'S9999'")])
                            })
                            .boxed(),
                    ));
                }
            }
            Kind::Bool => self.bool_alternatives(&mut alts),
            Kind::Date => {
                alts.push((
                    2,
                    (sub(Kind::Date), -30..=30i32)
                        .prop_map(|(a, n)| {
                            bin(
                                "+",
                                a,
                                Expr::Literal(if n < 0 {
                                    format!("({n})")
                                } else {
                                    n.to_string()
                                }),
                            )
                        })
                        .boxed(),
                ));
                if mutable {
                    alts.push((1, Just(lit("CURRENT_DATE")).boxed()));
                }
            }
            Kind::Time => {
                alts.push((
                    2,
                    (sub(Kind::Time), leaf(Kind::Interval))
                        .prop_map(|(a, b)| bin("+", a, b))
                        .boxed(),
                ));
            }
            Kind::Timestamp => {
                alts.push((
                    2,
                    (sub(Kind::Timestamp), leaf(Kind::Interval))
                        .prop_map(|(a, b)| bin("+", a, b))
                        .boxed(),
                ));
                alts.push((
                    1,
                    sub(Kind::Timestamp)
                        .prop_map(|a| {
                            func("date_trunc", FuncClass::Immutable, vec![lit("'day'"), a])
                        })
                        .boxed(),
                ));
                alts.push((
                    1,
                    sub(Kind::Date)
                        .prop_map(|a| cast(a, "timestamp without time zone", false))
                        .boxed(),
                ));
            }
            Kind::Timestamptz => {
                if mutable {
                    alts.push((
                        1,
                        (sub(Kind::Timestamptz), leaf(Kind::Interval))
                            .prop_map(|(a, b)| bin("+", a, b))
                            .boxed(),
                    ));
                    alts.push((1, Just(func("now", FuncClass::Stable, vec![])).boxed()));
                    alts.push((
                        1,
                        Just(func("clock_timestamp", FuncClass::Volatile, vec![])).boxed(),
                    ));
                    alts.push((
                        1,
                        sub(Kind::Timestamp)
                            .prop_map(|a| cast(a, "timestamp with time zone", false))
                            .boxed(),
                    ));
                }
            }
            Kind::Interval => {
                for op in ["+", "-"] {
                    alts.push((
                        1,
                        (sub(Kind::Interval), sub(Kind::Interval))
                            .prop_map(move |(a, b)| bin(op, a, b))
                            .boxed(),
                    ));
                }
                alts.push((
                    1,
                    (sub(Kind::Interval), select(vec!["2", "(-3)"]))
                        .prop_map(|(a, n)| bin("*", a, lit(n)))
                        .boxed(),
                ));
            }
            Kind::Enum => {}
            Kind::IntArray => {
                alts.push((
                    2,
                    prop::collection::vec(sub(Kind::Int), 1..=3)
                        .prop_map(|elems| cast(Expr::Array(elems), "integer[]", false))
                        .boxed(),
                ));
                alts.push((
                    1,
                    (sub(Kind::IntArray), sub(Kind::Int))
                        .prop_map(|(a, b)| bin("||", a, b))
                        .boxed(),
                ));
            }
            Kind::TextArray => {
                alts.push((
                    2,
                    prop::collection::vec(sub(Kind::Text), 1..=3)
                        .prop_map(|elems| cast(Expr::Array(elems), "text[]", false))
                        .boxed(),
                ));
            }
            Kind::Jsonb => {
                alts.push((
                    1,
                    (sub(Kind::Jsonb), select(vec!["'a'", "'nested'"]))
                        .prop_map(|(j, k)| bin("->", j, lit(k)))
                        .boxed(),
                ));
                alts.push((
                    1,
                    (sub(Kind::Jsonb), sub(Kind::Jsonb))
                        .prop_map(|(a, b)| bin("||", a, b))
                        .boxed(),
                ));
            }
            Kind::Cube => {
                if env.extension {
                    alts.push((
                        1,
                        (sub(Kind::Cube), sub(Kind::Cube))
                            .prop_map(|(a, b)| {
                                func("public.cube_union", FuncClass::Extension, vec![a, b])
                            })
                            .boxed(),
                    ));
                }
            }
        }
        proptest::strategy::Union::new_weighted(alts).boxed()
    }

    fn bool_alternatives(&self, alts: &mut Vec<(u32, BoxedStrategy<Expr>)>) {
        let d = self.levels.len() - 1;
        let sub = |k: Kind| self.at(d, k);
        let leaf = |k: Kind| self.at(0, k);
        let env = &self.scope.env;

        // Comparisons.
        for (a, b) in COMPARABLE {
            let ops = select(vec!["=", "<>", "<", "<=", ">", ">="]);
            let weight = if self.has_leaves(a) || self.has_leaves(b) {
                6
            } else {
                1
            };
            alts.push((
                weight,
                (sub(a), ops, sub(b))
                    .prop_map(|(l, op, r)| bin(op, l, r))
                    .boxed(),
            ));
        }
        for k in [Kind::Enum, Kind::Bool, Kind::Jsonb, Kind::IntArray] {
            alts.push((
                1,
                (sub(k), select(vec!["=", "<>"]), sub(k))
                    .prop_map(|(l, op, r)| bin(op, l, r))
                    .boxed(),
            ));
        }
        // Null tests and boolean tests over any kind.
        let any_kind = self.kind_choice().prop_flat_map({
            let gen = self.clone_at(d);
            move |k| gen.at(0, k)
        });
        let nulltest = (
            sub(Kind::Int),
            sub(Kind::Text),
            any_kind,
            0..3usize,
            prop::bool::ANY,
        )
            .prop_map(|(i, t, a, pick, neg)| {
                let arg = match pick {
                    0 => i,
                    1 => t,
                    _ => a,
                };
                Expr::Postfix {
                    arg: Box::new(arg),
                    op: if neg { "IS NOT NULL" } else { "IS NULL" },
                }
            });
        alts.push((3, nulltest.boxed()));
        alts.push((
            1,
            (
                sub(Kind::Bool),
                select(vec!["IS TRUE", "IS NOT FALSE", "IS UNKNOWN", "IS NOT TRUE"]),
            )
                .prop_map(|(a, op)| Expr::Postfix {
                    arg: Box::new(a),
                    op,
                })
                .boxed(),
        ));
        for k in [Kind::Int, Kind::Text, Kind::Date, Kind::Numeric] {
            alts.push((
                1,
                (
                    sub(k),
                    select(vec!["IS DISTINCT FROM", "IS NOT DISTINCT FROM"]),
                    sub(k),
                )
                    .prop_map(|(l, op, r)| bin(op, l, r))
                    .boxed(),
            ));
        }
        // Pattern matching.
        alts.push((
            2,
            (
                sub(Kind::Text),
                select(vec!["LIKE", "NOT LIKE", "ILIKE"]),
                select(LIKE_PATTERNS),
            )
                .prop_map(|(l, op, p)| bin(op, l, lit(p)))
                .boxed(),
        ));
        alts.push((
            1,
            (sub(Kind::Text), select(SIMILAR_PATTERNS))
                .prop_map(|(l, p)| bin("SIMILAR TO", l, lit(p)))
                .boxed(),
        ));
        alts.push((
            1,
            (
                sub(Kind::Text),
                select(vec!["<", ">=", "="]),
                non_null_literal(Kind::Text, env),
            )
                .prop_map(|(l, op, r)| bin(op, collate(l), r))
                .boxed(),
        ));
        // IN lists and ANY/ALL over arrays.
        for k in [Kind::Int, Kind::Text, Kind::Numeric, Kind::Date, Kind::Enum] {
            alts.push((
                1,
                (
                    sub(k),
                    prop::collection::vec(leaf(k), 1..=4),
                    prop::bool::weighted(0.3),
                )
                    .prop_map(|(a, list, negated)| Expr::InList {
                        arg: Box::new(a),
                        list,
                        negated,
                    })
                    .boxed(),
            ));
        }
        for k in [Kind::Int, Kind::Text, Kind::Float] {
            alts.push((
                1,
                (
                    sub(k),
                    select(vec!["=", "<>", "<"]),
                    prop::bool::weighted(0.2),
                    prop::collection::vec(leaf(k), 1..=3),
                )
                    .prop_map(|(a, op, all, elems)| Expr::ArrayOp {
                        arg: Box::new(a),
                        op,
                        all,
                        array: Box::new(Expr::Array(elems)),
                    })
                    .boxed(),
            ));
        }
        alts.push((
            1,
            (sub(Kind::Int), sub(Kind::IntArray))
                .prop_map(|(a, arr)| Expr::ArrayOp {
                    arg: Box::new(a),
                    op: "=",
                    all: false,
                    array: Box::new(arr),
                })
                .boxed(),
        ));
        alts.push((
            1,
            (
                sub(Kind::IntArray),
                select(vec!["@>", "<@", "&&"]),
                sub(Kind::IntArray),
            )
                .prop_map(|(l, op, r)| bin(op, l, r))
                .boxed(),
        ));
        alts.push((
            1,
            (
                sub(Kind::TextArray),
                select(vec!["@>", "&&"]),
                sub(Kind::TextArray),
            )
                .prop_map(|(l, op, r)| bin(op, l, r))
                .boxed(),
        ));
        alts.push((
            1,
            (sub(Kind::Jsonb), select(vec!["'a'", "'k'"]))
                .prop_map(|(j, k)| bin("?", j, lit(k)))
                .boxed(),
        ));
        alts.push((
            1,
            (
                sub(Kind::Jsonb),
                select(vec![r#"'{"a": 1}'::jsonb"#, "'[]'::jsonb"]),
            )
                .prop_map(|(j, k)| bin("@>", j, lit(k)))
                .boxed(),
        ));
        if env.user_defined {
            alts.push((
                1,
                (sub(Kind::Int), sub(Kind::Int))
                    .prop_map(|(a, b)| bin(USER_OPERATOR, a, b))
                    .boxed(),
            ));
        }
        if env.extension {
            alts.push((
                1,
                (
                    sub(Kind::Cube),
                    select(vec!["@>", "<@", "&&", "="]),
                    sub(Kind::Cube),
                )
                    .prop_map(|(l, op, r)| bin(op, l, r))
                    .boxed(),
            ));
        }
        if !self.scope.grouped {
            alts.push((
                1,
                sub(Kind::Bool)
                    .prop_map(|a| Expr::Prefix {
                        op: "NOT",
                        arg: Box::new(a),
                    })
                    .boxed(),
            ));
        }
        for op in ["AND", "OR"] {
            alts.push((
                1,
                (sub(Kind::Bool), sub(Kind::Bool))
                    .prop_map(move |(a, b)| bin(op, a, b))
                    .boxed(),
            ));
        }
    }

    /// A cheap copy limited to the levels up to `depth` (used inside
    /// `prop_flat_map` closures).
    fn clone_at(&self, depth: usize) -> ExprGen {
        ExprGen {
            levels: self.levels[..=depth].to_vec(),
            scope: Arc::clone(&self.scope),
        }
    }
}
