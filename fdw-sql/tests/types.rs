//! Tests of the types area: operator, function, coercion, common-type and
//! collation resolution compared node by node with PostgreSQL 15.
//!
//! Each case is a small expression tree written once in a test language
//! ([`E`]) that renders both to SQL and to calls of `fdw_sql::types`. The
//! SQL goes into `CREATE VIEW v AS SELECT <expr> AS x FROM t` on a live
//! PostgreSQL 15; the view's stored rule (`pg_rewrite.ev_action`) is the
//! parse-analyzed tree PostgreSQL built, in its `nodeToString` form. Our
//! tree is printed in the same shape ([`to_node`]) and compared field by
//! field (the fields we model: operator, function and type oids, typmods,
//! collations, coercion forms, argument lists). Queries PostgreSQL rejects
//! must be rejected by us with the same SQLSTATE.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::panic
)]

use std::fmt::Write as _;

use fdw_catalog::catalog::Catalog;
use fdw_core::expr::{
    CoalesceExpr, CoercionForm, CollateExpr, Const, Expr, MinMaxExpr, MinMaxOp, Var,
};
use fdw_core::query::{SortGroupClause, TargetEntry};
use fdw_core::{AttrNumber, Oid, RelIndex};
use fdw_sql::types::{
    self, AggSortItem, CoercionContext, FuncCall, OperatorName, SortDirection, SortNulls,
};
use fdw_testkit::oracle::Oracle;

// ------------------------------------------------------------ the table

/// The columns of `t`: name, SQL type, type oid, typmod, collation.
const COLUMNS: &[(&str, &str, u32, i32, u32)] = &[
    ("c_int2", "int2", 21, -1, 0),
    ("c_int4", "int4", 23, -1, 0),
    ("c_int8", "int8", 20, -1, 0),
    ("c_num", "numeric", 1700, -1, 0),
    ("c_num52", "numeric(5,2)", 1700, 327_686, 0),
    ("c_f4", "float4", 700, -1, 0),
    ("c_f8", "float8", 701, -1, 0),
    ("c_text", "text", 25, -1, 100),
    ("c_vc", "varchar(10)", 1043, 14, 100),
    ("c_char", "char(5)", 1042, 9, 100),
    ("c_name", "name", 19, -1, 950),
    ("c_date", "date", 1082, -1, 0),
    ("c_ts", "timestamp", 1114, -1, 0),
    ("c_tstz", "timestamptz", 1184, -1, 0),
    ("c_iv", "interval", 1186, -1, 0),
    ("c_bool", "bool", 16, -1, 0),
    ("c_ia", "int4[]", 1007, -1, 0),
    ("c_ta", "text[]", 1009, -1, 100),
    ("c_jsonb", "jsonb", 3802, -1, 0),
    ("c_json", "json", 114, -1, 0),
    ("c_bytea", "bytea", 17, -1, 0),
    ("c_time", "time", 1083, -1, 0),
    ("c_oid", "oid", 26, -1, 0),
    ("c_textc", "text COLLATE \"C\"", 25, -1, 950),
    ("c_textp", "text COLLATE \"POSIX\"", 25, -1, 951),
    ("c_bit", "bit(3)", 1560, 3, 0),
    ("c_uuid", "uuid", 2950, -1, 0),
    ("c_inet", "inet", 869, -1, 0),
    ("c_vca", "varchar(10)[]", 1015, 14, 100),
];

fn column_var(name: &str) -> Expr {
    let (i, c) = COLUMNS
        .iter()
        .enumerate()
        .find(|(_, c)| c.0 == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    Expr::Var(Var::new(
        RelIndex(1),
        AttrNumber(i16::try_from(i + 1).unwrap()),
        Oid(c.2),
        c.3,
        Oid(c.4),
    ))
}

// ------------------------------------------------------- test language

/// A test expression, rendered to SQL and built through our API.
#[derive(Clone, Debug)]
enum E {
    Col(&'static str),
    /// An integer literal (typed by size like PostgreSQL's scanner).
    Int(&'static str),
    /// A decimal literal (numeric).
    Num(&'static str),
    /// A quoted literal (type unknown).
    Str(&'static str),
    /// `NULL` (an unknown null).
    Null,
    Op(Option<Box<E>>, &'static str, Box<E>),
    Call(&'static str, Vec<E>),
    /// `name => value` inside a call.
    Named(&'static str, Box<E>),
    /// `VARIADIC value` as the last argument of a call.
    Variadic(Box<E>),
    /// `(e)::sqltype` with our oid and typmod.
    Cast(Box<E>, &'static str, u32, i32),
    AnyAll(Box<E>, &'static str, bool, Box<E>),
    Distinct(Box<E>, Box<E>),
    NullIf(Box<E>, Box<E>),
    Coalesce(Vec<E>),
    Greatest(Vec<E>),
    Collate(Box<E>, &'static str, u32),
    Agg {
        name: &'static str,
        args: Vec<E>,
        distinct: bool,
        star: bool,
        order: Vec<(E, bool)>,
        within_group: bool,
    },
    Window(&'static str, Vec<E>),
}

fn col(n: &'static str) -> E {
    E::Col(n)
}
fn int(v: &'static str) -> E {
    E::Int(v)
}
fn num(v: &'static str) -> E {
    E::Num(v)
}
fn s(v: &'static str) -> E {
    E::Str(v)
}
fn op(l: E, o: &'static str, r: E) -> E {
    E::Op(Some(Box::new(l)), o, Box::new(r))
}
fn pre(o: &'static str, r: E) -> E {
    E::Op(None, o, Box::new(r))
}
fn call(n: &'static str, args: Vec<E>) -> E {
    E::Call(n, args)
}
fn cast(e: E, sql: &'static str, oid: u32, typmod: i32) -> E {
    E::Cast(Box::new(e), sql, oid, typmod)
}
fn any(l: E, o: &'static str, r: E) -> E {
    E::AnyAll(Box::new(l), o, true, Box::new(r))
}
fn all(l: E, o: &'static str, r: E) -> E {
    E::AnyAll(Box::new(l), o, false, Box::new(r))
}
fn agg(name: &'static str, args: Vec<E>) -> E {
    E::Agg {
        name,
        args,
        distinct: false,
        star: false,
        order: Vec::new(),
        within_group: false,
    }
}

fn sql(e: &E) -> String {
    match e {
        E::Col(n) => (*n).to_owned(),
        E::Int(v) | E::Num(v) => (*v).to_owned(),
        E::Str(v) => format!("'{}'", v.replace('\'', "''")),
        E::Null => "NULL".to_owned(),
        E::Op(Some(l), o, r) => format!("({} {o} {})", sql(l), sql(r)),
        E::Op(None, o, r) => format!("({o} {})", sql(r)),
        E::Call(n, args) => format!(
            "{n}({})",
            args.iter().map(sql).collect::<Vec<_>>().join(", ")
        ),
        E::Named(n, v) => format!("{n} => {}", sql(v)),
        E::Variadic(v) => format!("VARIADIC {}", sql(v)),
        E::Cast(e, t, _, _) => format!("({})::{t}", sql(e)),
        E::AnyAll(l, o, use_or, r) => format!(
            "({} {o} {} ({}))",
            sql(l),
            if *use_or { "ANY" } else { "ALL" },
            sql(r)
        ),
        E::Distinct(l, r) => format!("({} IS DISTINCT FROM {})", sql(l), sql(r)),
        E::NullIf(l, r) => format!("NULLIF({}, {})", sql(l), sql(r)),
        E::Coalesce(args) => format!(
            "COALESCE({})",
            args.iter().map(sql).collect::<Vec<_>>().join(", ")
        ),
        E::Greatest(args) => format!(
            "GREATEST({})",
            args.iter().map(sql).collect::<Vec<_>>().join(", ")
        ),
        E::Collate(e, c, _) => format!("({} COLLATE \"{c}\")", sql(e)),
        E::Agg {
            name,
            args,
            distinct,
            star,
            order,
            within_group,
        } => {
            let a = if *star {
                "*".to_owned()
            } else {
                args.iter().map(sql).collect::<Vec<_>>().join(", ")
            };
            let o = order
                .iter()
                .map(|(e, desc)| format!("{}{}", sql(e), if *desc { " DESC" } else { "" }))
                .collect::<Vec<_>>()
                .join(", ");
            let d = if *distinct { "DISTINCT " } else { "" };
            if *within_group {
                format!("{name}({a}) WITHIN GROUP (ORDER BY {o})")
            } else if o.is_empty() {
                format!("{name}({d}{a})")
            } else {
                format!("{name}({d}{a} ORDER BY {o})")
            }
        }
        E::Window(n, args) => format!(
            "{n}({}) OVER ()",
            args.iter().map(sql).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// The type of an integer literal, as PostgreSQL's scanner and
/// `make_const` give it.
fn int_const(v: &str) -> Expr {
    let t = if v.parse::<i32>().is_ok() {
        23
    } else if v.parse::<i64>().is_ok() {
        20
    } else {
        1700
    };
    Expr::Const(Const::new(Oid(t), Oid::INVALID, v))
}

fn build(cat: &Catalog, e: &E) -> fdw_sql::Result<Expr> {
    Ok(match e {
        E::Col(n) => column_var(n),
        E::Int(v) => int_const(v),
        E::Num(v) => Expr::Const(Const::new(Oid(1700), Oid::INVALID, *v)),
        E::Str(v) => Expr::Const(Const::new(Oid(705), Oid::INVALID, *v)),
        E::Null => Expr::Const(Const::null(Oid(705), -1, Oid::INVALID)),
        E::Op(l, o, r) => {
            let l = match l {
                Some(l) => Some(build(cat, l)?),
                None => None,
            };
            types::make_op(cat, &OperatorName::new(o), l, build(cat, r)?, None)?
        }
        E::Call(n, args) => {
            let mut c = FuncCall::new(n, Vec::new());
            for a in args {
                match a {
                    E::Named(name, v) => {
                        c.args.push(build(cat, v)?);
                        c.arg_names.resize(c.args.len() - 1, None);
                        c.arg_names.push(Some((*name).to_owned()));
                    }
                    E::Variadic(v) => {
                        c.args.push(build(cat, v)?);
                        c.func_variadic = true;
                    }
                    other => c.args.push(build(cat, other)?),
                }
            }
            types::resolve_func_call(cat, &c, None)?
        }
        E::Named(_, v) | E::Variadic(v) => build(cat, v)?,
        E::Cast(e, _, t, m) => {
            let inner = build(cat, e)?;
            let from = inner.type_oid();
            types::coerce_to_target_type(
                cat,
                inner,
                Oid(*t),
                *m,
                CoercionContext::Explicit,
                CoercionForm::ExplicitCast,
                None,
            )?
            .ok_or_else(|| {
                fdw_sql::Error::analyze(
                    fdw_sql::SqlState::CANNOT_COERCE,
                    format!("cannot cast type {} to {}", from.0, t),
                    None,
                )
            })?
        }
        E::AnyAll(l, o, use_or, r) => types::make_scalar_array_op(
            cat,
            &OperatorName::new(o),
            *use_or,
            build(cat, l)?,
            build(cat, r)?,
            None,
        )?,
        E::Distinct(l, r) => types::make_distinct_op(
            cat,
            &OperatorName::new("="),
            build(cat, l)?,
            build(cat, r)?,
            None,
        )?,
        E::NullIf(l, r) => types::make_nullif(cat, build(cat, l)?, build(cat, r)?, None)?,
        E::Coalesce(args) | E::Greatest(args) => {
            let built = args
                .iter()
                .map(|a| build(cat, a))
                .collect::<fdw_sql::Result<Vec<_>>>()?;
            let refs: Vec<&Expr> = built.iter().collect();
            let construct = if matches!(e, E::Coalesce(_)) {
                "COALESCE"
            } else {
                "GREATEST"
            };
            let t = types::select_common_type(cat, &refs, construct, None)?;
            let coerced = built
                .into_iter()
                .map(|a| types::coerce_to_common_type(cat, a, t, construct, None))
                .collect::<fdw_sql::Result<_>>()?;
            if matches!(e, E::Coalesce(_)) {
                Expr::CoalesceExpr(Box::new(CoalesceExpr {
                    coalescetype: t,
                    coalescecollid: Oid::INVALID,
                    args: coerced,
                }))
            } else {
                Expr::MinMaxExpr(Box::new(MinMaxExpr {
                    minmaxtype: t,
                    minmaxcollid: Oid::INVALID,
                    inputcollid: Oid::INVALID,
                    op: MinMaxOp::Greatest,
                    args: coerced,
                }))
            }
        }
        E::Collate(e, _, oid) => Expr::CollateExpr(Box::new(CollateExpr {
            arg: build(cat, e)?,
            coll_oid: Oid(*oid),
        })),
        E::Agg {
            name,
            args,
            distinct,
            star,
            order,
            within_group,
        } => {
            let mut c = FuncCall::new(name, Vec::new());
            for a in args {
                c.args.push(build(cat, a)?);
            }
            c.agg_star = *star;
            c.agg_distinct = *distinct;
            c.agg_within_group = *within_group;
            for (e, desc) in order {
                c.agg_order.push(AggSortItem {
                    expr: build(cat, e)?,
                    direction: if *desc {
                        SortDirection::Desc
                    } else {
                        SortDirection::Default
                    },
                    nulls: SortNulls::Default,
                });
            }
            types::resolve_func_call(cat, &c, None)?
        }
        E::Window(n, args) => {
            let mut c = FuncCall::new(n, Vec::new());
            for a in args {
                c.args.push(build(cat, a)?);
            }
            c.over = Some(1);
            types::resolve_func_call(cat, &c, None)?
        }
    })
}

fn build_and_collate(cat: &Catalog, e: &E) -> fdw_sql::Result<Expr> {
    let mut expr = build(cat, e)?;
    types::assign_expr_collations(cat, &mut expr)?;
    Ok(expr)
}

// ------------------------------------------- PostgreSQL's node text form

/// A value of `nodeToString`'s output.
#[derive(Clone, Debug, PartialEq)]
enum V {
    Node(Node),
    List(Vec<V>),
    Atom(String),
    Null,
}

#[derive(Clone, Debug, PartialEq)]
struct Node {
    tag: String,
    fields: Vec<(String, V)>,
}

fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            '(' | ')' | '{' | '}' => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                out.push(c.to_string());
            }
            c if c.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

struct Parser {
    toks: Vec<String>,
    pos: usize,
}

impl Parser {
    fn next(&mut self) -> String {
        let t = self.toks.get(self.pos).cloned().unwrap_or_default();
        self.pos += 1;
        t
    }
    fn peek(&self) -> &str {
        self.toks.get(self.pos).map_or("", String::as_str)
    }
    fn node(&mut self) -> Node {
        // after '{'
        let tag = self.next();
        let mut fields = Vec::new();
        while self.peek() != "}" && !self.peek().is_empty() {
            let name = self.next();
            let name = name.trim_start_matches(':').to_owned();
            let v = if name == "constvalue" {
                let t = self.next();
                if t != "<>" {
                    // length, then [ bytes ]
                    while self.peek() != "]" && !self.peek().is_empty() {
                        self.next();
                    }
                    self.next();
                }
                V::Atom("datum".into())
            } else if self.peek().starts_with(':') || self.peek() == "}" {
                // empty field value
                V::Atom(String::new())
            } else {
                self.value()
            };
            fields.push((name, v));
        }
        self.next();
        Node { tag, fields }
    }
    fn value(&mut self) -> V {
        let t = self.next();
        match t.as_str() {
            "{" => V::Node(self.node()),
            "(" => {
                let mut items = Vec::new();
                while self.peek() != ")" && !self.peek().is_empty() {
                    items.push(self.value());
                }
                self.next();
                // `(i 1 2)` / `(o 23)` integer and oid lists.
                if let Some(V::Atom(a)) = items.first() {
                    if a == "i" || a == "o" || a == "b" {
                        items.remove(0);
                    }
                }
                V::List(items)
            }
            "<>" => V::Null,
            _ => V::Atom(t),
        }
    }
}

/// The `:expr` of the first `TARGETENTRY` of a stored view rule.
fn first_target_expr(ev_action: &str) -> Option<V> {
    let mut p = Parser {
        toks: tokenize(ev_action),
        pos: 0,
    };
    let start = p.toks.iter().position(|t| t == "TARGETENTRY")?;
    p.pos = start - 1;
    p.next();
    let node = p.node();
    node.fields
        .into_iter()
        .find(|(n, _)| n == "expr")
        .map(|(_, v)| v)
}

// --------------------------------------------------- our tree, same form

fn atom(v: impl ToString) -> V {
    V::Atom(v.to_string())
}
fn oid(o: Oid) -> V {
    atom(o.0)
}
fn b(v: bool) -> V {
    atom(v)
}
fn form(f: CoercionForm) -> V {
    atom(match f {
        CoercionForm::ExplicitCall => 0,
        CoercionForm::ExplicitCast => 1,
        CoercionForm::ImplicitCast => 2,
        CoercionForm::SqlSyntax => 3,
    })
}
fn list(items: &[Expr]) -> V {
    if items.is_empty() {
        V::Null
    } else {
        V::List(items.iter().map(to_node).collect())
    }
}
fn node(tag: &str, fields: Vec<(&str, V)>) -> V {
    V::Node(Node {
        tag: tag.to_owned(),
        fields: fields.into_iter().map(|(n, v)| (n.to_owned(), v)).collect(),
    })
}
fn tle_node(t: &TargetEntry) -> V {
    node(
        "TARGETENTRY",
        vec![
            ("expr", to_node(&t.expr)),
            ("resno", atom(t.resno.0)),
            ("ressortgroupref", atom(t.ressortgroupref)),
            ("resjunk", b(t.resjunk)),
        ],
    )
}
fn sgc_node(c: &SortGroupClause) -> V {
    node(
        "SORTGROUPCLAUSE",
        vec![
            ("tleSortGroupRef", atom(c.tle_sort_group_ref)),
            ("eqop", oid(c.eqop)),
            ("sortop", oid(c.sortop)),
            ("nulls_first", b(c.nulls_first)),
            ("hashable", b(c.hashable)),
        ],
    )
}
fn vlist<T>(items: &[T], f: impl Fn(&T) -> V) -> V {
    if items.is_empty() {
        V::Null
    } else {
        V::List(items.iter().map(f).collect())
    }
}

/// Our tree in `nodeToString`'s shape, with the fields we compare.
fn to_node(e: &Expr) -> V {
    match e {
        Expr::Var(v) => node(
            "VAR",
            vec![
                ("varattno", atom(v.varattno.0)),
                ("vartype", oid(v.vartype)),
                ("vartypmod", atom(v.vartypmod)),
                ("varcollid", oid(v.varcollid)),
                ("varlevelsup", atom(v.varlevelsup)),
            ],
        ),
        Expr::Const(c) => node(
            "CONST",
            vec![
                ("consttype", oid(c.consttype)),
                ("consttypmod", atom(c.consttypmod)),
                ("constcollid", oid(c.constcollid)),
                ("constisnull", b(c.value.is_none())),
            ],
        ),
        Expr::OpExpr(o) | Expr::DistinctExpr(o) | Expr::NullIfExpr(o) => node(
            match e {
                Expr::DistinctExpr(_) => "DISTINCTEXPR",
                Expr::NullIfExpr(_) => "NULLIFEXPR",
                _ => "OPEXPR",
            },
            vec![
                ("opno", oid(o.opno)),
                ("opfuncid", oid(o.opfuncid)),
                ("opresulttype", oid(o.opresulttype)),
                ("opretset", b(o.opretset)),
                ("opcollid", oid(o.opcollid)),
                ("inputcollid", oid(o.inputcollid)),
                ("args", list(&o.args)),
            ],
        ),
        Expr::FuncExpr(f) => node(
            "FUNCEXPR",
            vec![
                ("funcid", oid(f.funcid)),
                ("funcresulttype", oid(f.funcresulttype)),
                ("funcretset", b(f.funcretset)),
                ("funcvariadic", b(f.funcvariadic)),
                ("funcformat", form(f.funcformat)),
                ("funccollid", oid(f.funccollid)),
                ("inputcollid", oid(f.inputcollid)),
                ("args", list(&f.args)),
            ],
        ),
        Expr::NamedArgExpr(n) => node(
            "NAMEDARGEXPR",
            vec![
                ("arg", to_node(&n.arg)),
                ("name", atom(&n.name)),
                ("argnumber", atom(n.argnumber)),
            ],
        ),
        Expr::RelabelType(r) => node(
            "RELABELTYPE",
            vec![
                ("arg", to_node(&r.arg)),
                ("resulttype", oid(r.resulttype)),
                ("resulttypmod", atom(r.resulttypmod)),
                ("resultcollid", oid(r.resultcollid)),
                ("relabelformat", form(r.relabelformat)),
            ],
        ),
        Expr::CoerceViaIO(c) => node(
            "COERCEVIAIO",
            vec![
                ("arg", to_node(&c.arg)),
                ("resulttype", oid(c.resulttype)),
                ("resultcollid", oid(c.resultcollid)),
                ("coerceformat", form(c.coerceformat)),
            ],
        ),
        Expr::ArrayCoerceExpr(a) => node(
            "ARRAYCOERCEEXPR",
            vec![
                ("arg", to_node(&a.arg)),
                ("elemexpr", to_node(&a.elemexpr)),
                ("resulttype", oid(a.resulttype)),
                ("resulttypmod", atom(a.resulttypmod)),
                ("resultcollid", oid(a.resultcollid)),
                ("coerceformat", form(a.coerceformat)),
            ],
        ),
        Expr::CaseTestExpr(c) => node(
            "CASETESTEXPR",
            vec![
                ("typeId", oid(c.type_id)),
                ("typeMod", atom(c.type_mod)),
                ("collation", oid(c.collation)),
            ],
        ),
        Expr::ScalarArrayOpExpr(s) => node(
            "SCALARARRAYOPEXPR",
            vec![
                ("opno", oid(s.opno)),
                ("opfuncid", oid(s.opfuncid)),
                ("useOr", b(s.use_or)),
                ("inputcollid", oid(s.inputcollid)),
                ("args", list(&s.args)),
            ],
        ),
        Expr::CollateExpr(c) => node(
            "COLLATEEXPR",
            vec![("arg", to_node(&c.arg)), ("collOid", oid(c.coll_oid))],
        ),
        Expr::ArrayExpr(a) => node(
            "ARRAYEXPR",
            vec![
                ("array_typeid", oid(a.array_typeid)),
                ("array_collid", oid(a.array_collid)),
                ("element_typeid", oid(a.element_typeid)),
                ("elements", list(&a.elements)),
                ("multidims", b(a.multidims)),
            ],
        ),
        Expr::CoalesceExpr(c) => node(
            "COALESCEEXPR",
            vec![
                ("coalescetype", oid(c.coalescetype)),
                ("coalescecollid", oid(c.coalescecollid)),
                ("args", list(&c.args)),
            ],
        ),
        Expr::MinMaxExpr(m) => node(
            "MINMAXEXPR",
            vec![
                ("minmaxtype", oid(m.minmaxtype)),
                ("minmaxcollid", oid(m.minmaxcollid)),
                ("inputcollid", oid(m.inputcollid)),
                ("args", list(&m.args)),
            ],
        ),
        Expr::CoerceToDomain(c) => node(
            "COERCETODOMAIN",
            vec![
                ("arg", to_node(&c.arg)),
                ("resulttype", oid(c.resulttype)),
                ("resulttypmod", atom(c.resulttypmod)),
                ("resultcollid", oid(c.resultcollid)),
                ("coercionformat", form(c.coercionformat)),
            ],
        ),
        Expr::Aggref(a) => node(
            "AGGREF",
            vec![
                ("aggfnoid", oid(a.aggfnoid)),
                ("aggtype", oid(a.aggtype)),
                ("aggcollid", oid(a.aggcollid)),
                ("inputcollid", oid(a.inputcollid)),
                ("aggargtypes", vlist(&a.aggargtypes, |o| oid(*o))),
                ("aggdirectargs", list(&a.aggdirectargs)),
                ("args", vlist(&a.args, tle_node)),
                ("aggorder", vlist(&a.aggorder, sgc_node)),
                ("aggdistinct", vlist(&a.aggdistinct, sgc_node)),
                ("aggstar", b(a.aggstar)),
                ("aggvariadic", b(a.aggvariadic)),
                (
                    "aggkind",
                    atom(match a.aggkind {
                        fdw_core::expr::AggKind::Normal => 'n',
                        fdw_core::expr::AggKind::OrderedSet => 'o',
                        fdw_core::expr::AggKind::Hypothetical => 'h',
                    }),
                ),
                ("agglevelsup", atom(a.agglevelsup)),
            ],
        ),
        Expr::WindowFunc(w) => node(
            "WINDOWFUNC",
            vec![
                ("winfnoid", oid(w.winfnoid)),
                ("wintype", oid(w.wintype)),
                ("wincollid", oid(w.wincollid)),
                ("inputcollid", oid(w.inputcollid)),
                ("args", list(&w.args)),
                ("winref", atom(w.winref)),
                ("winstar", b(w.winstar)),
                ("winagg", b(w.winagg)),
            ],
        ),
        other => node(&format!("UNMODELLED {other:?}"), Vec::new()),
    }
}

/// Compares our node with PostgreSQL's on the fields we print; the first
/// difference as a path.
fn diff(ours: &V, theirs: &V, path: &str) -> Option<String> {
    match (ours, theirs) {
        (V::Node(a), V::Node(b)) => {
            if a.tag != b.tag {
                return Some(format!("{path}: node {} vs {}", a.tag, b.tag));
            }
            for (name, v) in &a.fields {
                let Some((_, w)) = b.fields.iter().find(|(n, _)| n == name) else {
                    return Some(format!("{path}.{name}: PostgreSQL has no such field"));
                };
                if let Some(d) = diff(v, w, &format!("{path}.{}:{name}", a.tag)) {
                    return Some(d);
                }
            }
            None
        }
        (V::List(a), V::List(b)) => {
            if a.len() != b.len() {
                return Some(format!("{path}: {} items vs {}", a.len(), b.len()));
            }
            a.iter()
                .zip(b)
                .enumerate()
                .find_map(|(i, (x, y))| diff(x, y, &format!("{path}[{i}]")))
        }
        (V::Null, V::List(b)) | (V::List(b), V::Null) if b.is_empty() => None,
        (V::Atom(a), V::Atom(b)) if a == b => None,
        (V::Null, V::Null) => None,
        _ => Some(format!("{path}: ours {ours:?} vs {theirs:?}")),
    }
}

// ---------------------------------------------------------------- cases

fn cases() -> Vec<E> {
    let mut out = Vec::new();
    let numerics = ["c_int2", "c_int4", "c_int8", "c_num", "c_f4", "c_f8"];
    // Arithmetic and comparison across the numeric types.
    for l in numerics {
        for r in numerics {
            for o in ["+", "=", "<"] {
                out.push(op(col(l), o, col(r)));
            }
        }
    }
    for l in numerics {
        for o in ["-", "*", "/", "%", "^"] {
            out.push(op(col(l), o, col("c_int4")));
        }
        out.push(op(col(l), "+", int("1")));
        out.push(op(col(l), "=", s("1")));
        out.push(op(s("1"), "<", col(l)));
        out.push(op(col(l), "+", num("1.5")));
        out.push(op(col(l), "*", int("10000000000")));
        out.push(pre("-", col(l)));
        out.push(pre("@", col(l)));
        out.push(call("abs", vec![col(l)]));
    }
    out.extend([
        op(col("c_int4"), "=", col("c_text")),
        op(col("c_int2"), "+", col("c_int4")),
        op(int("1"), "=", s("1")),
        op(s("1"), "=", s("1")),
        op(s("a"), "||", s("b")),
        op(col("c_text"), "||", col("c_int4")),
        op(col("c_int4"), "||", col("c_text")),
        op(col("c_text"), "||", s("x")),
        op(col("c_vc"), "||", col("c_vc")),
        op(col("c_char"), "||", col("c_text")),
        op(col("c_ta"), "||", col("c_text")),
        op(col("c_ia"), "||", col("c_int4")),
        op(col("c_ia"), "||", col("c_ia")),
        op(col("c_int4"), "||", col("c_ia")),
        op(col("c_ia"), "||", s("{1}")),
        op(col("c_date"), "+", col("c_int4")),
        op(col("c_date"), "+", int("1")),
        op(col("c_date"), "-", col("c_date")),
        op(col("c_date"), "+", col("c_iv")),
        op(col("c_date"), "+", col("c_time")),
        op(col("c_ts"), "-", col("c_iv")),
        op(col("c_ts"), "-", s("1 day")),
        op(col("c_tstz"), "<", col("c_ts")),
        op(col("c_ts"), "<", col("c_date")),
        op(col("c_tstz"), "-", col("c_tstz")),
        op(col("c_ts"), "=", s("2020-01-01")),
        op(col("c_date"), "=", s("2020-01-01")),
        op(col("c_iv"), "*", num("2.5")),
        op(col("c_iv"), "/", col("c_int4")),
        op(col("c_vc"), "=", s("x")),
        op(col("c_vc"), "=", col("c_text")),
        op(col("c_vc"), "<", col("c_vc")),
        op(col("c_vc"), "=", col("c_char")),
        op(col("c_char"), "=", s("x")),
        op(col("c_char"), "=", col("c_char")),
        op(col("c_char"), "<", col("c_vc")),
        op(col("c_name"), "=", s("x")),
        op(col("c_name"), "=", col("c_text")),
        op(col("c_name"), "<", col("c_vc")),
        op(col("c_text"), "~~", s("a%")),
        op(col("c_vc"), "~~", s("a%")),
        op(col("c_char"), "~~", s("a%")),
        op(col("c_text"), "~", s("^a")),
        op(col("c_text"), "~*", col("c_vc")),
        op(col("c_name"), "~~", s("a%")),
        op(col("c_bool"), "=", s("t")),
        op(col("c_jsonb"), "->", s("a")),
        op(col("c_jsonb"), "->>", int("0")),
        op(col("c_jsonb"), "@>", s("{}")),
        op(col("c_jsonb"), "?", s("k")),
        op(col("c_json"), "->", s("a")),
        op(col("c_json"), "->>", col("c_text")),
        op(col("c_jsonb"), "#>", s("{a,b}")),
        op(col("c_bytea"), "||", col("c_bytea")),
        op(col("c_oid"), "=", col("c_int4")),
        op(col("c_oid"), "=", col("c_int8")),
        op(col("c_bit"), "&", col("c_bit")),
        op(col("c_bit"), "=", s("101")),
        op(
            col("c_uuid"),
            "=",
            s("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
        ),
        op(col("c_inet"), "<<", s("10.0.0.0/8")),
        op(col("c_ia"), "@>", col("c_ia")),
        op(col("c_ia"), "=", s("{1,2}")),
        op(col("c_ta"), "&&", col("c_ta")),
        op(col("c_vca"), "=", col("c_ta")),
        op(col("c_text"), "<", col("c_textc")),
        op(col("c_textc"), "<", col("c_textp")),
        op(col("c_textc"), "=", col("c_textp")),
        op(col("c_date"), "=", col("c_int4")),
        op(col("c_bool"), "+", col("c_int4")),
        op(s("a"), "+", s("b")),
        op(col("c_text"), "-", col("c_text")),
        op(col("c_int4"), "<<", col("c_int8")),
        op(col("c_int8"), "&", col("c_int2")),
        op(col("c_time"), "+", col("c_iv")),
        op(col("c_time"), "-", col("c_time")),
        pre("-", s("1")),
        pre("!", col("c_int4")),
        pre("~", col("c_int2")),
        pre("-", col("c_iv")),
        pre("||/", col("c_f8")),
        pre("@", col("c_text")),
    ]);
    // Functions.
    out.extend([
        call("abs", vec![num("-1.5")]),
        call("abs", vec![s("-1")]),
        call("round", vec![col("c_num"), int("2")]),
        call("round", vec![col("c_f8")]),
        call("round", vec![col("c_int4"), int("2")]),
        call("round", vec![col("c_f8"), int("2")]),
        call("length", vec![col("c_vc")]),
        call("length", vec![col("c_char")]),
        call("length", vec![col("c_text")]),
        call("length", vec![s("abc")]),
        call("length", vec![col("c_bytea")]),
        call("upper", vec![col("c_vc")]),
        call("upper", vec![col("c_name")]),
        call("lower", vec![col("c_textc")]),
        call("substr", vec![col("c_text"), int("1"), int("2")]),
        call("substr", vec![col("c_vc"), col("c_int2")]),
        call("btrim", vec![col("c_char")]),
        call("concat", vec![col("c_text"), col("c_int4"), s("x")]),
        call("concat_ws", vec![s(","), col("c_int4"), col("c_date")]),
        call("format", vec![s("%s"), col("c_int4")]),
        call("coalesce_missing", vec![col("c_int4")]),
        call("array_append", vec![col("c_ia"), col("c_int4")]),
        call("array_append", vec![col("c_ia"), int("1")]),
        call("array_append", vec![col("c_ia"), s("1")]),
        call("array_append", vec![col("c_ia"), col("c_int8")]),
        call("array_prepend", vec![col("c_int2"), col("c_ia")]),
        call("array_cat", vec![col("c_ia"), col("c_ia")]),
        call("array_length", vec![col("c_ia"), int("1")]),
        call("array_position", vec![col("c_ta"), s("x")]),
        call("array_remove", vec![col("c_ta"), col("c_vc")]),
        call("cardinality", vec![col("c_ia")]),
        call("array_to_string", vec![col("c_ia"), s(",")]),
        call("to_char", vec![col("c_ts"), s("YYYY")]),
        call("to_char", vec![col("c_int4"), s("999")]),
        call("to_char", vec![col("c_num"), s("999")]),
        call("date_trunc", vec![s("day"), col("c_ts")]),
        call("date_trunc", vec![s("day"), col("c_tstz")]),
        call("date_trunc", vec![s("day"), col("c_date")]),
        call("date_part", vec![s("year"), col("c_date")]),
        call("date_part", vec![s("year"), col("c_ts")]),
        call("to_timestamp", vec![col("c_f8")]),
        call("to_timestamp", vec![col("c_int4")]),
        call("make_date", vec![int("2020"), int("1"), int("1")]),
        call("make_interval", vec![E::Named("days", Box::new(int("1")))]),
        call("make_interval", vec![int("1"), int("2")]),
        call("jsonb_build_object", vec![s("a"), col("c_int4")]),
        call("jsonb_extract_path", vec![col("c_jsonb"), s("a"), s("b")]),
        call(
            "jsonb_extract_path_text",
            vec![col("c_jsonb"), E::Variadic(Box::new(col("c_ta")))],
        ),
        call("json_build_array", vec![col("c_int4"), col("c_text")]),
        call("jsonb_typeof", vec![col("c_jsonb")]),
        call("jsonb_set", vec![col("c_jsonb"), s("{a}"), s("1")]),
        call("to_jsonb", vec![col("c_int4")]),
        call("to_json", vec![s("x")]),
        call("num_nonnulls", vec![col("c_int4"), col("c_text")]),
        call("greatest_missing", vec![]),
        call("int4", vec![col("c_int8")]),
        call("int4", vec![s("1")]),
        call("int4", vec![col("c_num")]),
        call("int4", vec![col("c_text")]),
        call("text", vec![col("c_vc")]),
        call("text", vec![col("c_int4")]),
        call("text", vec![col("c_name")]),
        call("int2", vec![col("c_int4")]),
        call("int8", vec![col("c_text")]),
        call("float8", vec![col("c_int2")]),
        call("float4", vec![col("c_text")]),
        call("bpchar", vec![col("c_name")]),
        call("date", vec![col("c_ts")]),
        call("date", vec![s("2020-01-01")]),
        call("bool", vec![col("c_int4")]),
        call("name", vec![col("c_text")]),
        call("bpchar", vec![col("c_vc")]),
        call("int8", vec![col("c_oid")]),
        call("oid", vec![col("c_int8")]),
        call("sqrt", vec![col("c_int4")]),
        call("sqrt", vec![col("c_num")]),
        call("power", vec![col("c_int4"), col("c_int4")]),
        call("power", vec![col("c_num"), int("2")]),
        call("mod", vec![col("c_int2"), col("c_int4")]),
        call("mod", vec![col("c_num"), int("2")]),
        call("div", vec![col("c_int4"), int("2")]),
        call("trunc", vec![col("c_f4")]),
        call("floor", vec![col("c_int8")]),
        call("ceil", vec![s("1.5")]),
        call("sign", vec![col("c_int2")]),
        call("log", vec![col("c_int4")]),
        call("log", vec![int("2"), col("c_num")]),
        call("random", vec![]),
        call("now", vec![]),
        call("md5", vec![col("c_vc")]),
        call("md5", vec![col("c_bytea")]),
        call("replace", vec![col("c_vc"), s("a"), s("b")]),
        call("strpos", vec![col("c_name"), s("a")]),
        call("left", vec![col("c_char"), int("2")]),
        call("lpad", vec![col("c_text"), col("c_int8"), s(" ")]),
        call("repeat", vec![s("ab"), col("c_int2")]),
        call("split_part", vec![col("c_text"), s(","), int("2")]),
        call("regexp_replace", vec![col("c_text"), s("a"), s("b")]),
        call("starts_with", vec![col("c_vc"), s("a")]),
        call("age", vec![col("c_ts")]),
        call("age", vec![col("c_tstz"), col("c_ts")]),
        call("isfinite", vec![col("c_date")]),
        call("justify_days", vec![col("c_iv")]),
        call("unnest_missing", vec![col("c_ia")]),
        call("pg_typeof", vec![col("c_int4")]),
        call("quote_literal", vec![col("c_int4")]),
        call("quote_nullable", vec![col("c_date")]),
        call("row_number", vec![]),
        call("gen_random_uuid", vec![]),
        call(
            "width_bucket",
            vec![col("c_num"), int("0"), int("10"), int("5")],
        ),
        call(
            "width_bucket",
            vec![col("c_f4"), int("0"), int("10"), int("5")],
        ),
        call("array_fill", vec![int("7"), s("{3}")]),
        call("string_to_array", vec![col("c_text"), s(",")]),
        call("array_upper", vec![col("c_ta"), int("1")]),
        call("int4range", vec![int("1"), int("5")]),
        call("numrange", vec![col("c_int4"), col("c_num")]),
        call("lower", vec![call("int4range", vec![int("1"), int("5")])]),
        call("isempty", vec![call("int4range", vec![int("1"), int("5")])]),
        call("upper", vec![call("numrange", vec![int("1"), num("2.5")])]),
        call("abs", vec![col("c_text")]),
        call("substr", vec![col("c_int4"), int("1")]),
        call("array_append", vec![col("c_int4"), col("c_int4")]),
        call("array_append", vec![s("{1}"), s("1")]),
        call("nosuchfunction", vec![col("c_int4")]),
        call("to_char", vec![s("x"), s("y")]),
        call("array_cat", vec![col("c_ia"), col("c_ta")]),
        call("num_nulls", vec![E::Variadic(Box::new(col("c_ia")))]),
        call("concat", vec![E::Variadic(Box::new(col("c_ta")))]),
        call("concat", vec![E::Variadic(Box::new(col("c_int4")))]),
        call(
            "format",
            vec![s("%s %s"), E::Variadic(Box::new(col("c_ta")))],
        ),
        call(
            "jsonb_build_object",
            vec![E::Variadic(Box::new(col("c_ta")))],
        ),
        call("generate_series", vec![int("1"), col("c_int4")]),
        call(
            "generate_series",
            vec![col("c_ts"), col("c_ts"), col("c_iv")],
        ),
        call("unnest", vec![col("c_ia")]),
        call("array_ndims", vec![s("{1}")]),
        call("least_missing", vec![s("a"), s("b")]),
        call("to_char", vec![col("c_iv"), s("HH")]),
        call(
            "make_interval",
            vec![
                E::Named("hours", Box::new(col("c_int2"))),
                E::Named("days", Box::new(int("1"))),
            ],
        ),
        call("make_interval", vec![E::Named("nope", Box::new(int("1")))]),
        call(
            "jsonb_set",
            vec![
                col("c_jsonb"),
                s("{a}"),
                s("1"),
                E::Named("create_if_missing", Box::new(s("f"))),
            ],
        ),
        call("array_position", vec![col("c_ia"), col("c_int8")]),
        call("width_bucket", vec![col("c_int4"), col("c_ia")]),
    ]);
    // Casts.
    out.extend([
        cast(col("c_int4"), "numeric", 1700, -1),
        cast(col("c_int4"), "numeric(10,2)", 1700, 655_366),
        cast(col("c_num"), "numeric(10,2)", 1700, 655_366),
        cast(col("c_num52"), "numeric(5,2)", 1700, 327_686),
        cast(col("c_num52"), "numeric", 1700, -1),
        cast(col("c_text"), "varchar(3)", 1043, 7),
        cast(col("c_vc"), "varchar(3)", 1043, 7),
        cast(col("c_vc"), "text", 25, -1),
        cast(col("c_int4"), "varchar(3)", 1043, 7),
        cast(col("c_int4"), "text", 25, -1),
        cast(col("c_text"), "int4", 23, -1),
        cast(col("c_int4"), "int2", 21, -1),
        cast(col("c_f8"), "int4", 23, -1),
        cast(col("c_int4"), "bool", 16, -1),
        cast(col("c_bool"), "int4", 23, -1),
        cast(col("c_date"), "timestamp", 1114, -1),
        cast(col("c_ts"), "date", 1082, -1),
        cast(col("c_ts"), "timestamp(0)", 1114, 0),
        cast(col("c_tstz"), "timestamp(3)", 1114, 3),
        cast(col("c_text"), "char(3)", 1042, 7),
        cast(col("c_char"), "text", 25, -1),
        cast(col("c_char"), "varchar", 1043, -1),
        cast(col("c_name"), "text", 25, -1),
        cast(col("c_text"), "name", 19, -1),
        cast(col("c_int4"), "bit(3)", 1560, 3),
        cast(col("c_bit"), "int4", 23, -1),
        cast(col("c_ia"), "text[]", 1009, -1),
        cast(col("c_ia"), "int8[]", 1016, -1),
        cast(col("c_ta"), "varchar(2)[]", 1015, 6),
        cast(col("c_vca"), "text[]", 1009, -1),
        cast(col("c_jsonb"), "text", 25, -1),
        cast(col("c_jsonb"), "json", 114, -1),
        cast(col("c_jsonb"), "int4", 23, -1),
        cast(col("c_json"), "jsonb", 3802, -1),
        cast(col("c_int4"), "oid", 26, -1),
        cast(col("c_oid"), "int4", 23, -1),
        cast(col("c_int4"), "date", 1082, -1),
        cast(col("c_date"), "int4", 23, -1),
        cast(col("c_iv"), "interval hour", 1186, 67_174_399),
        cast(col("c_time"), "interval", 1186, -1),
        cast(s("abc"), "varchar(2)", 1043, 6),
        cast(s("1"), "int4", 23, -1),
        cast(s("1.5"), "numeric(5,1)", 1700, 327_685),
        cast(s("2020-01-01"), "date", 1082, -1),
        cast(s("{1,2}"), "int4[]", 1007, -1),
        cast(E::Null, "int4", 23, -1),
        cast(int("1"), "int8", 20, -1),
        cast(int("1"), "int4", 23, -1),
        cast(num("1.5"), "int4", 23, -1),
        cast(col("c_uuid"), "text", 25, -1),
        cast(col("c_text"), "uuid", 2950, -1),
        cast(col("c_inet"), "text", 25, -1),
        cast(col("c_f4"), "float8", 701, -1),
        cast(col("c_int8"), "float4", 700, -1),
        cast(col("c_num"), "float8", 701, -1),
        cast(col("c_bytea"), "text", 25, -1),
        cast(col("c_text"), "bytea", 17, -1),
        cast(col("c_text"), "regclass", 2205, -1),
        cast(col("c_int4"), "regclass", 2205, -1),
        cast(cast(col("c_int4"), "text", 25, -1), "varchar(2)", 1043, 6),
        cast(
            E::Collate(Box::new(col("c_text")), "C", 950),
            "varchar(3)",
            1043,
            7,
        ),
    ]);
    // ANY/ALL, IS DISTINCT FROM, NULLIF.
    out.extend([
        any(col("c_int4"), "=", col("c_ia")),
        any(col("c_int8"), "=", col("c_ia")),
        any(col("c_int2"), "<", col("c_ia")),
        any(col("c_num"), "=", col("c_ia")),
        any(col("c_text"), "=", col("c_ta")),
        any(col("c_vc"), "=", col("c_ta")),
        any(col("c_vc"), "=", col("c_vca")),
        any(col("c_text"), "~~", col("c_ta")),
        any(col("c_int4"), "=", s("{1,2}")),
        any(s("1"), "=", col("c_ia")),
        all(col("c_int4"), "<>", col("c_ia")),
        any(col("c_int4"), "=", col("c_int4")),
        any(col("c_int4"), "+", col("c_ia")),
        any(col("c_text"), "=", col("c_ia")),
        any(col("c_int4"), "=", cast(s("{1}"), "int8[]", 1016, -1)),
        any(col("c_text"), "=", col("c_vca")),
        E::Coalesce(vec![col("c_ia"), s("{}")]),
        E::Coalesce(vec![col("c_vca"), col("c_ta")]),
        E::Distinct(Box::new(col("c_int4")), Box::new(col("c_int8"))),
        E::Distinct(Box::new(col("c_text")), Box::new(s("x"))),
        E::Distinct(Box::new(col("c_vc")), Box::new(col("c_char"))),
        E::NullIf(Box::new(col("c_int4")), Box::new(int("0"))),
        E::NullIf(Box::new(col("c_int2")), Box::new(col("c_int8"))),
        E::NullIf(Box::new(col("c_vc")), Box::new(s(""))),
        E::NullIf(Box::new(s("a")), Box::new(col("c_text"))),
        E::NullIf(Box::new(col("c_int4")), Box::new(col("c_text"))),
    ]);
    // Common types.
    out.extend([
        E::Coalesce(vec![col("c_int4"), col("c_int8")]),
        E::Coalesce(vec![col("c_int2"), int("1")]),
        E::Coalesce(vec![col("c_int4"), num("1.5")]),
        E::Coalesce(vec![col("c_vc"), s("x")]),
        E::Coalesce(vec![col("c_vc"), col("c_vc")]),
        E::Coalesce(vec![col("c_vc"), col("c_text")]),
        E::Coalesce(vec![col("c_char"), col("c_vc")]),
        E::Coalesce(vec![s("a"), s("b")]),
        E::Coalesce(vec![E::Null, col("c_date")]),
        E::Coalesce(vec![col("c_date"), col("c_ts")]),
        E::Coalesce(vec![col("c_ts"), col("c_tstz")]),
        E::Coalesce(vec![col("c_f4"), col("c_num")]),
        E::Coalesce(vec![col("c_int4"), col("c_text")]),
        E::Coalesce(vec![col("c_text"), col("c_textc")]),
        E::Coalesce(vec![col("c_name"), col("c_text")]),
        E::Greatest(vec![int("1"), num("2.5")]),
        E::Greatest(vec![col("c_int2"), col("c_int8"), col("c_f4")]),
        E::Greatest(vec![col("c_text"), s("x")]),
        E::Greatest(vec![col("c_date"), s("2020-01-01")]),
        E::Greatest(vec![col("c_bool"), col("c_int4")]),
    ]);
    // Collations.
    out.extend([
        op(
            E::Collate(Box::new(col("c_text")), "C", 950),
            "<",
            col("c_textp"),
        ),
        op(
            E::Collate(Box::new(col("c_text")), "C", 950),
            "<",
            E::Collate(Box::new(col("c_text")), "POSIX", 951),
        ),
        op(E::Collate(Box::new(s("a")), "C", 950), "||", col("c_text")),
        call("upper", vec![E::Collate(Box::new(col("c_vc")), "C", 950)]),
        op(col("c_name"), "||", col("c_text")),
        op(col("c_textc"), "=", col("c_name")),
    ]);
    // Aggregates and window functions.
    let ag = |name: &'static str, args: Vec<E>| agg(name, args);
    out.extend([
        ag("sum", vec![col("c_int4")]),
        ag("sum", vec![col("c_int2")]),
        ag("sum", vec![col("c_num")]),
        ag("sum", vec![col("c_f4")]),
        ag("sum", vec![col("c_iv")]),
        ag("avg", vec![col("c_int8")]),
        ag("avg", vec![col("c_f8")]),
        ag("max", vec![col("c_vc")]),
        ag("max", vec![col("c_char")]),
        ag("min", vec![col("c_text")]),
        ag("min", vec![col("c_textc")]),
        ag("max", vec![col("c_date")]),
        ag("max", vec![col("c_ia")]),
        ag("count", vec![col("c_text")]),
        E::Agg {
            name: "count",
            args: vec![],
            distinct: false,
            star: true,
            order: vec![],
            within_group: false,
        },
        ag("count", vec![]),
        ag("sum", vec![s("1")]),
        ag("sum", vec![col("c_text")]),
        ag("array_agg", vec![col("c_int4")]),
        ag("array_agg", vec![col("c_ia")]),
        ag("array_agg", vec![col("c_vc")]),
        ag("string_agg", vec![col("c_text"), s(",")]),
        ag("string_agg", vec![col("c_vc"), s(",")]),
        ag("bool_and", vec![col("c_bool")]),
        ag("jsonb_agg", vec![col("c_int4")]),
        ag("jsonb_object_agg", vec![col("c_text"), col("c_int4")]),
        ag("stddev", vec![col("c_int4")]),
        ag("corr", vec![col("c_int4"), col("c_f8")]),
        ag("regr_slope", vec![col("c_int2"), col("c_num")]),
        E::Agg {
            name: "sum",
            args: vec![col("c_int4")],
            distinct: true,
            star: false,
            order: vec![],
            within_group: false,
        },
        E::Agg {
            name: "count",
            args: vec![col("c_vc")],
            distinct: true,
            star: false,
            order: vec![],
            within_group: false,
        },
        E::Agg {
            name: "array_agg",
            args: vec![col("c_int4")],
            distinct: false,
            star: false,
            order: vec![(col("c_int4"), true)],
            within_group: false,
        },
        E::Agg {
            name: "string_agg",
            args: vec![col("c_vc"), s(",")],
            distinct: false,
            star: false,
            order: vec![(col("c_vc"), false)],
            within_group: false,
        },
        E::Agg {
            name: "string_agg",
            args: vec![col("c_text"), s(",")],
            distinct: false,
            star: false,
            order: vec![(col("c_int4"), false), (col("c_date"), true)],
            within_group: false,
        },
        E::Agg {
            name: "array_agg",
            args: vec![col("c_text")],
            distinct: true,
            star: false,
            order: vec![(col("c_text"), true)],
            within_group: false,
        },
        E::Agg {
            name: "array_agg",
            args: vec![col("c_text")],
            distinct: true,
            star: false,
            order: vec![(col("c_int4"), false)],
            within_group: false,
        },
        E::Agg {
            name: "percentile_disc",
            args: vec![num("0.5")],
            distinct: false,
            star: false,
            order: vec![(col("c_int4"), false)],
            within_group: true,
        },
        E::Agg {
            name: "percentile_cont",
            args: vec![num("0.5")],
            distinct: false,
            star: false,
            order: vec![(col("c_int4"), false)],
            within_group: true,
        },
        E::Agg {
            name: "mode",
            args: vec![],
            distinct: false,
            star: false,
            order: vec![(col("c_text"), false)],
            within_group: true,
        },
        E::Agg {
            name: "rank",
            args: vec![int("1")],
            distinct: false,
            star: false,
            order: vec![(col("c_int8"), false)],
            within_group: true,
        },
        E::Agg {
            name: "rank",
            args: vec![s("x")],
            distinct: false,
            star: false,
            order: vec![(col("c_vc"), false)],
            within_group: true,
        },
        E::Agg {
            name: "sum",
            args: vec![col("c_int4")],
            distinct: false,
            star: false,
            order: vec![(col("c_int4"), false)],
            within_group: true,
        },
        E::Agg {
            name: "percentile_disc",
            args: vec![num("0.5")],
            distinct: false,
            star: false,
            order: vec![],
            within_group: false,
        },
        E::Window("row_number", vec![]),
        E::Window("rank", vec![]),
        E::Window("lag", vec![col("c_int4")]),
        E::Window("lag", vec![col("c_int4"), int("2"), int("0")]),
        E::Window("lag", vec![col("c_num"), int("1"), int("0")]),
        E::Window("first_value", vec![col("c_vc")]),
        E::Window("ntile", vec![s("3")]),
        E::Window("sum", vec![col("c_int4")]),
        E::Window("nth_value", vec![col("c_text"), col("c_int8")]),
    ]);
    out
}

// ------------------------------------------------------------ the test

#[test]
fn resolution_matches_postgresql() {
    let catalog = Catalog::new(15).unwrap();
    let oracle = Oracle::new(15).unwrap();
    let table = COLUMNS
        .iter()
        .map(|c| format!("{} {}", c.0, c.1))
        .collect::<Vec<_>>()
        .join(", ");
    oracle
        .exec_local(&format!("CREATE TABLE t ({table})"))
        .unwrap();
    let cases = cases();
    let mut script = String::new();
    for (i, e) in cases.iter().enumerate() {
        writeln!(
            script,
            "CREATE VIEW vtypes_{i} AS SELECT {} AS x FROM t;",
            sql(e)
        )
        .unwrap();
    }
    script.push_str(
        "SELECT substr(c.relname, 8), r.ev_action FROM pg_rewrite r \
         JOIN pg_class c ON c.oid = r.ev_class WHERE c.relname LIKE 'vtypes\\_%';",
    );
    let outcomes = oracle.try_exec_local(&script).unwrap();
    assert_eq!(outcomes.len(), cases.len() + 1);
    let trees = outcomes.last().unwrap().1.as_ref().unwrap().clone();

    let mut matched = 0;
    let mut report = String::new();
    for (i, e) in cases.iter().enumerate() {
        let pg = &outcomes[i].1;
        let ours = build_and_collate(&catalog, e);
        let verdict: Result<(), String> = match (pg, &ours) {
            (Err(pg_err), Err(our_err)) => {
                if our_err.sqlstate().0 == pg_err.sqlstate {
                    Ok(())
                } else {
                    Err(format!(
                        "SQLSTATE {} vs PostgreSQL {} ({}; ours: {our_err})",
                        our_err.sqlstate(),
                        pg_err.sqlstate,
                        pg_err.message
                    ))
                }
            }
            (Err(pg_err), Ok(_)) => Err(format!("accepted; PostgreSQL: {pg_err}")),
            (Ok(_), Err(our_err)) => Err(format!("rejected: {our_err}")),
            (Ok(_), Ok(expr)) => {
                let key = i.to_string();
                let text = trees
                    .rows
                    .iter()
                    .find(|r| r.first().and_then(|v| v.as_deref()) == Some(key.as_str()))
                    .and_then(|r| r.get(1).cloned().flatten())
                    .unwrap_or_default();
                match first_target_expr(&text) {
                    None => Err("no target entry in PostgreSQL's rule".to_owned()),
                    Some(theirs) => match diff(&to_node(expr), &theirs, "x") {
                        None => Ok(()),
                        Some(d) => Err(d),
                    },
                }
            }
        };
        match verdict {
            Ok(()) => matched += 1,
            Err(why) => writeln!(report, "#{i} {}: {why}", sql(e)).unwrap(),
        }
    }
    println!("types: {matched}/{} cases match PostgreSQL 15", cases.len());
    assert!(cases.len() >= 200, "only {} cases", cases.len());
    assert!(report.is_empty(), "mismatches:\n{report}");
}

// ------------------------------------------------------ offline checks

#[test]
fn coercion_contexts_follow_pg_cast() {
    let cat = Catalog::new(15).unwrap();
    let c = |s: u32, t: u32, ctx| types::can_coerce_type(&cat, &[Oid(s)], &[Oid(t)], ctx);
    // int4 -> int8 implicit; int8 -> int4 assignment only; int4 -> text
    // only by I/O on assignment; text -> int4 explicit only.
    assert!(c(23, 20, CoercionContext::Implicit));
    assert!(!c(20, 23, CoercionContext::Implicit));
    assert!(c(20, 23, CoercionContext::Assignment));
    assert!(!c(23, 25, CoercionContext::Implicit));
    assert!(c(23, 25, CoercionContext::Assignment));
    assert!(!c(25, 23, CoercionContext::Assignment));
    assert!(c(25, 23, CoercionContext::Explicit));
    // unknown goes anywhere; polymorphic targets check consistency.
    assert!(c(705, 1082, CoercionContext::Implicit));
    assert!(c(1007, 2277, CoercionContext::Implicit));
    assert!(!c(23, 2277, CoercionContext::Implicit));
}

#[test]
fn unknown_literal_becomes_a_constant_of_the_target() {
    let cat = Catalog::new(15).unwrap();
    let lit = Expr::Const(Const::new(Oid(705), Oid::INVALID, "007"));
    let out = types::coerce_to_target_type(
        &cat,
        lit,
        Oid(23),
        -1,
        CoercionContext::Explicit,
        CoercionForm::ExplicitCast,
        None,
    )
    .unwrap()
    .unwrap();
    assert_eq!(out, Expr::Const(Const::new(Oid(23), Oid::INVALID, "7")));
    let bad = Expr::Const(Const::new(Oid(705), Oid::INVALID, "x"));
    let err = types::coerce_to_target_type(
        &cat,
        bad,
        Oid(23),
        -1,
        CoercionContext::Explicit,
        CoercionForm::ExplicitCast,
        None,
    )
    .unwrap_err();
    assert_eq!(err.sqlstate().0, "22P02");
}

#[test]
fn where_clause_must_be_boolean() {
    let cat = Catalog::new(15).unwrap();
    let err = types::coerce_to_boolean(&cat, column_var("c_int4"), "WHERE", None).unwrap_err();
    assert_eq!(err.sqlstate().0, "42804");
    assert_eq!(
        err.to_string(),
        "argument of WHERE must be type boolean, not type integer"
    );
    let ok = types::coerce_to_boolean(&cat, column_var("c_bool"), "WHERE", None).unwrap();
    assert_eq!(ok, column_var("c_bool"));
}

#[test]
fn case_types_that_cannot_be_matched() {
    let cat = Catalog::new(15).unwrap();
    let a = column_var("c_int4");
    let b = column_var("c_text");
    let err = types::select_common_type(&cat, &[&a, &b], "CASE", None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "CASE types integer and text cannot be matched"
    );
    let u = Expr::Const(Const::null(Oid(705), -1, Oid::INVALID));
    assert_eq!(
        types::select_common_type(&cat, &[&u, &u], "CASE", None).unwrap(),
        Oid(25)
    );
}

#[test]
fn ambiguous_and_missing_operators() {
    let cat = Catalog::new(15).unwrap();
    let u = || Expr::Const(Const::new(Oid(705), Oid::INVALID, "a"));
    let err = types::make_op(&cat, &OperatorName::new("+"), Some(u()), u(), None).unwrap_err();
    assert_eq!(err.sqlstate().0, "42725");
    assert_eq!(err.to_string(), "operator is not unique: unknown + unknown");
    // `'a' || 'b'` is not ambiguous: the string category decides both sides.
    let concat = types::make_op(&cat, &OperatorName::new("||"), Some(u()), u(), None).unwrap();
    assert_eq!(concat.type_oid(), Oid(25));
    let err = types::make_op(
        &cat,
        &OperatorName::new("="),
        Some(column_var("c_int4")),
        column_var("c_text"),
        None,
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "operator does not exist: integer = text");
}

/// A catalog with a user enum, composites and the `cube` extension.
fn catalog_with_user_types() -> Catalog {
    let mut cat = Catalog::new(15).unwrap();
    fdw_catalog::ddl::load(
        &mut cat,
        "CREATE EXTENSION cube;\n\
         CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\n\
         CREATE TYPE comp AS (a int4, b text);\n\
         CREATE TYPE comp_json AS (a int4, j json);\n\
         CREATE DOMAIN mood_d AS mood;",
    )
    .unwrap();
    cat
}

fn operator_of(cat: &Catalog, opno: Oid) -> (String, Oid) {
    let info = cat.operator_info(opno).unwrap();
    (info.name.clone(), info.left)
}

#[test]
fn sort_group_operators_come_from_polymorphic_and_extension_classes() {
    let cat = catalog_with_user_types();
    let ty = |name: &str| cat.resolve_type(None, name).unwrap();
    // A user enum (and a domain over one) sorts with `enum_ops`, whose
    // operators are declared over `anyenum`; its `=` hashes.
    for name in ["mood", "mood_d"] {
        let ops = types::sort_group_operators(&cat, ty(name));
        assert_eq!(operator_of(&cat, ops.lt), ("<".to_owned(), Oid(3500)));
        assert_eq!(operator_of(&cat, ops.eq), ("=".to_owned(), Oid(3500)));
        assert_eq!(operator_of(&cat, ops.gt), (">".to_owned(), Oid(3500)));
        assert!(ops.hashable, "{name}");
    }
    // `cube` sorts with its extension's btree class: the same `<` that
    // operator resolution finds for `cube < cube`.
    let cube = ty("cube");
    let ops = types::sort_group_operators(&cat, cube);
    let probe = || Expr::Const(Const::null(cube, -1, Oid::INVALID));
    let lt = types::make_op(&cat, &OperatorName::new("<"), Some(probe()), probe(), None).unwrap();
    let Expr::OpExpr(lt) = lt else {
        panic!("cube < cube is no OpExpr: {lt:?}")
    };
    assert_eq!(ops.lt, lt.opno);
    assert_eq!(operator_of(&cat, ops.eq), ("=".to_owned(), cube));
    assert!(!ops.hashable, "cube has no hash operator class");
    // Composites use `record_ops` when every field compares; a `json`
    // field (no btree class) leaves the row without ordering or equality.
    let ops = types::sort_group_operators(&cat, ty("comp"));
    assert_eq!(operator_of(&cat, ops.lt), ("<".to_owned(), Oid(2249)));
    let ops = types::sort_group_operators(&cat, ty("comp_json"));
    assert!(ops.lt.is_invalid() && ops.eq.is_invalid());
    // Arrays of enums use `array_ops`.
    let mood_array = cat.array_type_of(ty("mood")).unwrap();
    let ops = types::sort_group_operators(&cat, mood_array);
    assert_eq!(operator_of(&cat, ops.lt), ("<".to_owned(), Oid(2277)));
}

#[test]
fn row_constructor_cast_to_a_composite_coerces_each_field() {
    let cat = catalog_with_user_types();
    let comp = cat.resolve_type(None, "comp").unwrap();
    let row = |args: Vec<Expr>| {
        Expr::RowExpr(Box::new(fdw_core::expr::RowExpr {
            args: args.into_iter().collect(),
            row_typeid: Oid(2249),
            row_format: CoercionForm::ImplicitCast,
            colnames: vec!["f1".into(), "f2".into()],
        }))
    };
    let unknown = |v: &str| Expr::Const(Const::new(Oid(705), Oid::INVALID, v));
    let cast = |e: Expr| {
        types::coerce_to_target_type(
            &cat,
            e,
            comp,
            -1,
            CoercionContext::Explicit,
            CoercionForm::ExplicitCast,
            None,
        )
    };
    // ROW(1, 'x')::comp: a row of comp, the literal now text.
    let out = cast(row(vec![int_const("1"), unknown("x")]))
        .unwrap()
        .unwrap();
    let Expr::RowExpr(out) = out else {
        panic!("not a RowExpr: {out:?}")
    };
    assert_eq!(out.row_typeid, comp);
    assert_eq!(out.row_format, CoercionForm::ExplicitCast);
    assert!(out.colnames.is_empty());
    assert_eq!(out.args[0], int_const("1"));
    assert_eq!(out.args[1], Expr::Const(Const::new(Oid(25), Oid(100), "x")));
    // Too many or too few fields, or a field that does not convert: 42846.
    for bad in [
        row(vec![int_const("1")]),
        row(vec![int_const("1"), unknown("x"), unknown("y")]),
        row(vec![column_var("c_date"), unknown("x")]),
    ] {
        assert_eq!(cast(bad).unwrap_err().sqlstate().0, "42846");
    }
}
