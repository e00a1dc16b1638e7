//! Tests of the joins area: outer-join reduction and condition placement,
//! compared with PostgreSQL 15.
//!
//! Each case is written once with a small builder that yields both the SQL
//! text and the query tree parse analysis would build for it (four integer
//! foreign tables `f1`..`f4` with columns `a`, `b`, `c`, each on its own
//! server so that no join is pushed down). The oracle's `EXPLAIN VERBOSE`
//! then shows the join types after reduction (`Hash Left Join` vs `Hash
//! Join`, `Hash Anti Join`) and, for every foreign scan, the conditions
//! placed on it in its `Remote SQL` (all conditions used are shippable), in
//! order. A condition is compared by its column names and constants.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::collections::BTreeMap;

use fdw_catalog::catalog::Catalog;
use fdw_core::expr::{
    BoolExpr, BoolExprType, CoalesceExpr, Const, Expr, NullTest, NullTestType, OpExpr, Var,
};
use fdw_core::query::{
    Alias, FromExpr, JoinExpr, JoinTreeNode, JoinType, Query, RangeTblEntry, RelKind, RteKind,
};
use fdw_core::{AttrNumber, Oid, RelIndex};
use fdw_sql::joins::{canonicalize_qual, place_quals, reduce_outer_joins, QualPlacement};
use fdw_testkit::explain::PlanNode;
use fdw_testkit::oracle::{CostsMode, Oracle};

const INT4: Oid = Oid(23);
const COLUMNS: [&str; 3] = ["a", "b", "c"];

/// An expression of the test language.
#[derive(Clone, Debug)]
enum E {
    Col(u32, &'static str),
    Int(i64),
    Bin(&'static str, Box<E>, Box<E>),
    And(Vec<E>),
    Or(Vec<E>),
    Not(Box<E>),
    IsNull(Box<E>),
    NotNull(Box<E>),
    Coalesce(Box<E>, Box<E>),
}

/// A `FROM` item of the test language.
#[derive(Clone, Debug)]
enum F {
    Rel(u32),
    Join(JoinType, Box<F>, Box<F>, E),
}

fn c(rel: u32, col: &'static str) -> E {
    E::Col(rel, col)
}
fn i(v: i64) -> E {
    E::Int(v)
}
fn op(name: &'static str, l: E, r: E) -> E {
    E::Bin(name, Box::new(l), Box::new(r))
}
fn eq(l: E, r: E) -> E {
    op("=", l, r)
}
fn gt(l: E, r: E) -> E {
    op(">", l, r)
}
fn lt(l: E, r: E) -> E {
    op("<", l, r)
}
fn and(items: Vec<E>) -> E {
    E::And(items)
}
fn or(items: Vec<E>) -> E {
    E::Or(items)
}
fn not(e: E) -> E {
    E::Not(Box::new(e))
}
fn is_null(e: E) -> E {
    E::IsNull(Box::new(e))
}
fn not_null(e: E) -> E {
    E::NotNull(Box::new(e))
}
fn coalesce(a: E, b: E) -> E {
    E::Coalesce(Box::new(a), Box::new(b))
}
fn r(n: u32) -> F {
    F::Rel(n)
}
fn join(kind: JoinType, l: F, rr: F, on: E) -> F {
    F::Join(kind, Box::new(l), Box::new(rr), on)
}
fn left(l: F, rr: F, on: E) -> F {
    join(JoinType::Left, l, rr, on)
}
fn right(l: F, rr: F, on: E) -> F {
    join(JoinType::Right, l, rr, on)
}
fn full(l: F, rr: F, on: E) -> F {
    join(JoinType::Full, l, rr, on)
}
fn inner(l: F, rr: F, on: E) -> F {
    join(JoinType::Inner, l, rr, on)
}

struct Case {
    from: Vec<F>,
    filter: Option<E>,
}

fn case(from: Vec<F>, filter: Option<E>) -> Case {
    Case { from, filter }
}

fn operator(name: &str) -> (Oid, Oid) {
    match name {
        "=" => (Oid(96), Oid::BOOL_TYPE),
        "<>" => (Oid(518), Oid::BOOL_TYPE),
        "<" => (Oid(97), Oid::BOOL_TYPE),
        ">" => (Oid(521), Oid::BOOL_TYPE),
        "<=" => (Oid(523), Oid::BOOL_TYPE),
        ">=" => (Oid(525), Oid::BOOL_TYPE),
        "+" => (Oid(551), INT4),
        other => panic!("operator {other}"),
    }
}

fn sql_expr(e: &E) -> String {
    match e {
        E::Col(rel, col) => format!("x{rel}.{col}"),
        E::Int(v) => v.to_string(),
        E::Bin(name, l, r) => format!("({} {name} {})", sql_expr(l), sql_expr(r)),
        E::And(items) => format!(
            "({})",
            items.iter().map(sql_expr).collect::<Vec<_>>().join(" AND ")
        ),
        E::Or(items) => format!(
            "({})",
            items.iter().map(sql_expr).collect::<Vec<_>>().join(" OR ")
        ),
        E::Not(a) => format!("(NOT {})", sql_expr(a)),
        E::IsNull(a) => format!("({} IS NULL)", sql_expr(a)),
        E::NotNull(a) => format!("({} IS NOT NULL)", sql_expr(a)),
        E::Coalesce(a, b) => format!("COALESCE({}, {})", sql_expr(a), sql_expr(b)),
    }
}

fn sql_from(f: &F) -> String {
    match f {
        F::Rel(n) => format!("f{n} x{n}"),
        F::Join(kind, l, r, on) => {
            let word = match kind {
                JoinType::Inner => "JOIN",
                JoinType::Left => "LEFT JOIN",
                JoinType::Right => "RIGHT JOIN",
                JoinType::Full => "FULL JOIN",
                other => panic!("join type {other:?}"),
            };
            format!(
                "({} {word} {} ON {})",
                sql_from(l),
                sql_from(r),
                sql_expr(on)
            )
        }
    }
}

fn sql_of(case: &Case) -> String {
    let from: Vec<String> = case.from.iter().map(sql_from).collect();
    let mut sql = format!("SELECT 1 FROM {}", from.join(", "));
    if let Some(filter) = &case.filter {
        sql.push_str(&format!(" WHERE {}", sql_expr(filter)));
    }
    sql
}

fn tree_expr(catalog: &Catalog, e: &E) -> Expr {
    let bool_expr = |boolop, args: Vec<Expr>| {
        Expr::BoolExpr(Box::new(BoolExpr {
            boolop,
            args: args.into_iter().collect(),
        }))
    };
    match e {
        E::Col(rel, col) => {
            let attno = COLUMNS.iter().position(|c| c == col).unwrap() + 1;
            Expr::Var(Var::new(
                RelIndex(*rel),
                AttrNumber(attno as i16),
                INT4,
                -1,
                Oid::INVALID,
            ))
        }
        E::Int(v) => Expr::Const(Const::new(INT4, Oid::INVALID, v.to_string())),
        E::Bin(name, l, r) => {
            let (opno, result) = operator(name);
            Expr::OpExpr(Box::new(OpExpr {
                opno,
                opfuncid: catalog.operator_info(opno).unwrap().code,
                opresulttype: result,
                opretset: false,
                opcollid: Oid::INVALID,
                inputcollid: Oid::INVALID,
                args: [tree_expr(catalog, l), tree_expr(catalog, r)]
                    .into_iter()
                    .collect(),
            }))
        }
        E::And(items) => bool_expr(
            BoolExprType::And,
            items.iter().map(|x| tree_expr(catalog, x)).collect(),
        ),
        E::Or(items) => bool_expr(
            BoolExprType::Or,
            items.iter().map(|x| tree_expr(catalog, x)).collect(),
        ),
        E::Not(a) => bool_expr(BoolExprType::Not, vec![tree_expr(catalog, a)]),
        E::IsNull(a) | E::NotNull(a) => Expr::NullTest(Box::new(NullTest {
            arg: tree_expr(catalog, a),
            nulltesttype: if matches!(e, E::IsNull(_)) {
                NullTestType::IsNull
            } else {
                NullTestType::IsNotNull
            },
            argisrow: false,
        })),
        E::Coalesce(a, b) => Expr::CoalesceExpr(Box::new(CoalesceExpr {
            coalescetype: INT4,
            coalescecollid: Oid::INVALID,
            args: [tree_expr(catalog, a), tree_expr(catalog, b)]
                .into_iter()
                .collect(),
        })),
    }
}

fn tree_from(catalog: &Catalog, f: &F) -> JoinTreeNode {
    match f {
        F::Rel(n) => JoinTreeNode::RangeTblRef(RelIndex(*n)),
        F::Join(kind, l, r, on) => JoinTreeNode::Join(Box::new(JoinExpr {
            jointype: *kind,
            is_natural: false,
            larg: tree_from(catalog, l),
            rarg: tree_from(catalog, r),
            using_clause: Vec::new(),
            quals: Some(tree_expr(catalog, on)),
            alias: None,
            rtindex: None,
        })),
    }
}

fn relation(n: u32) -> RangeTblEntry {
    RangeTblEntry {
        kind: RteKind::Relation {
            relid: Oid(100_000 + n),
            relkind: RelKind::ForeignTable,
            inh: true,
            check_as_user: None,
            tablesample: None,
        },
        alias: Some(Alias {
            aliasname: format!("x{n}"),
            colnames: Vec::new(),
        }),
        eref: Alias {
            aliasname: format!("x{n}"),
            colnames: COLUMNS.iter().map(|c| (*c).to_owned()).collect(),
        },
        lateral: false,
        in_from_cl: true,
    }
}

fn query_of(catalog: &Catalog, case: &Case) -> Query {
    Query {
        rtable: (1..=4).map(relation).collect(),
        jointree: FromExpr {
            fromlist: case.from.iter().map(|f| tree_from(catalog, f)).collect(),
            quals: case.filter.as_ref().map(|e| tree_expr(catalog, e)),
        },
        ..Query::default()
    }
}

/// A condition's column names and constants, sorted.
fn signature_of_expr(e: &Expr) -> String {
    let mut tokens = Vec::new();
    let _ = fdw_core::expr::walk(e, |node| {
        match node {
            Expr::Var(v) => tokens.push(COLUMNS[(v.varattno.0 - 1) as usize].to_owned()),
            Expr::Const(k) => tokens.push(k.value.clone().unwrap_or_default()),
            _ => {}
        }
        fdw_core::expr::Visit::Descend
    });
    tokens.sort();
    tokens.join(" ")
}

fn signature_of_text(text: &str) -> String {
    let mut tokens: Vec<String> = text
        .split(|ch: char| !ch.is_ascii_alphanumeric() && ch != '_')
        .filter(|t| COLUMNS.contains(t) || (!t.is_empty() && t.chars().all(|c| c.is_ascii_digit())))
        .map(str::to_owned)
        .collect();
    tokens.sort();
    tokens.join(" ")
}

/// The top-level AND items of an EXPLAIN condition text.
fn conjuncts(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    let bytes: Vec<char> = text.chars().collect();
    let mut idx = 0;
    while idx < bytes.len() {
        let ch = bytes[idx];
        if ch == '(' {
            depth += 1;
        } else if ch == ')' {
            depth -= 1;
        }
        let rest: String = bytes[idx..bytes.len().min(idx + 5)].iter().collect();
        if depth == 0 && rest == " AND " {
            out.push(std::mem::take(&mut current));
            idx += 5;
            continue;
        }
        current.push(ch);
        idx += 1;
    }
    if !current.trim().is_empty() {
        out.push(current);
    }
    out
}

/// What the comparison looks at.
#[derive(Debug, PartialEq, Eq)]
struct Shape {
    /// Join kinds, sorted.
    joins: Vec<&'static str>,
    /// Per relation, the signatures of its restrictions in order.
    base: BTreeMap<u32, Vec<String>>,
}

fn kind_of(jointype: JoinType) -> &'static str {
    match jointype {
        JoinType::Inner => "inner",
        JoinType::Left | JoinType::Right => "outer",
        JoinType::Full => "full",
        JoinType::Semi | JoinType::RightSemi => "semi",
        JoinType::Anti | JoinType::RightAnti => "anti",
    }
}

fn our_joins(node: &JoinTreeNode, out: &mut Vec<&'static str>) {
    match node {
        JoinTreeNode::RangeTblRef(_) => {}
        JoinTreeNode::Join(j) => {
            out.push(kind_of(j.jointype));
            our_joins(&j.larg, out);
            our_joins(&j.rarg, out);
        }
        JoinTreeNode::From(f) => our_from_joins(f, out),
    }
}

fn our_from_joins(f: &FromExpr, out: &mut Vec<&'static str>) {
    for _ in 1..f.fromlist.len() {
        out.push("inner");
    }
    for item in &f.fromlist {
        our_joins(item, out);
    }
}

fn our_shape(query: &Query, placement: &QualPlacement, rels: &[u32]) -> Shape {
    let mut joins = Vec::new();
    // A constant-false gating condition makes the whole join tree a dummy
    // relation: no joins and no scans.
    let dummy = placement.pseudoconstant.iter().any(|e| {
        matches!(e, Expr::Const(k) if k.consttype == Oid::BOOL_TYPE && k.value.as_deref() == Some("false"))
    });
    if dummy {
        return Shape {
            joins,
            base: rels.iter().map(|n| (*n, Vec::new())).collect(),
        };
    }
    our_from_joins(&query.jointree, &mut joins);
    joins.sort();
    let base = rels
        .iter()
        .map(|n| {
            let list = placement
                .base
                .get(&RelIndex(*n))
                .map(|l| l.iter().map(|rc| signature_of_expr(&rc.expr)).collect())
                .unwrap_or_default();
            (*n, list)
        })
        .collect();
    Shape { joins, base }
}

fn plan_kind(name: &str) -> Option<&'static str> {
    if !(name.contains("Join") || name.starts_with("Nested Loop")) {
        return None;
    }
    Some(if name.contains("Anti") {
        "anti"
    } else if name.contains("Semi") {
        "semi"
    } else if name.contains("Full") {
        "full"
    } else if name.contains("Left") || name.contains("Right") {
        "outer"
    } else {
        "inner"
    })
}

fn their_shape(root: &PlanNode, rels: &[u32]) -> Shape {
    let mut joins = Vec::new();
    let mut base: BTreeMap<u32, Vec<String>> = rels.iter().map(|n| (*n, Vec::new())).collect();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if let Some(kind) = plan_kind(&node.name) {
            joins.push(kind);
        }
        if node.name.starts_with("Foreign Scan") {
            let rel = rels
                .iter()
                .copied()
                .find(|n| node.name.ends_with(&format!(" x{n}")))
                .unwrap_or_else(|| panic!("scan {}", node.name));
            let mut list = Vec::new();
            if let Some(sql) = node.detail("Remote SQL") {
                if let Some((_, filter)) = sql.split_once(" WHERE ") {
                    list.extend(conjuncts(filter).iter().map(|c| signature_of_text(c)));
                }
            }
            if let Some(filter) = node.detail("Filter") {
                list.extend(conjuncts(filter).iter().map(|c| signature_of_text(c)));
            }
            base.insert(rel, list);
        }
        stack.extend(node.children.iter());
    }
    joins.sort();
    Shape { joins, base }
}

fn rels_of(case: &Case) -> Vec<u32> {
    fn walk(f: &F, out: &mut Vec<u32>) {
        match f {
            F::Rel(n) => out.push(*n),
            F::Join(_, l, r, _) => {
                walk(l, out);
                walk(r, out);
            }
        }
    }
    let mut out = Vec::new();
    for f in &case.from {
        walk(f, &mut out);
    }
    out.sort_unstable();
    out
}

fn cases() -> Vec<Case> {
    let j12 = || eq(c(1, "a"), c(2, "a"));
    let j23 = || eq(c(2, "b"), c(3, "b"));
    vec![
        // Reduction of LEFT joins.
        case(vec![left(r(1), r(2), j12())], None),
        case(vec![left(r(1), r(2), j12())], Some(gt(c(2, "b"), i(5)))),
        case(vec![left(r(1), r(2), j12())], Some(gt(c(1, "b"), i(5)))),
        case(vec![left(r(1), r(2), j12())], Some(not_null(c(2, "c")))),
        case(vec![left(r(1), r(2), j12())], Some(is_null(c(2, "c")))),
        case(vec![left(r(1), r(2), j12())], Some(is_null(c(2, "a")))),
        case(
            vec![left(r(1), r(2), j12())],
            Some(eq(coalesce(c(2, "b"), i(0)), i(7))),
        ),
        case(
            vec![left(r(1), r(2), j12())],
            Some(or(vec![gt(c(2, "b"), i(5)), lt(c(2, "c"), i(3))])),
        ),
        case(
            vec![left(r(1), r(2), j12())],
            Some(or(vec![gt(c(2, "b"), i(5)), lt(c(1, "c"), i(3))])),
        ),
        case(
            vec![left(r(1), r(2), j12())],
            Some(gt(op("+", c(2, "b"), c(1, "b")), i(9))),
        ),
        case(
            vec![left(r(1), r(2), j12())],
            Some(not(gt(c(2, "b"), i(5)))),
        ),
        case(
            vec![left(r(1), r(2), and(vec![j12(), gt(c(2, "b"), i(4))]))],
            None,
        ),
        case(
            vec![left(r(1), r(2), and(vec![j12(), gt(c(1, "b"), i(4))]))],
            None,
        ),
        case(
            vec![left(
                r(1),
                r(2),
                and(vec![j12(), gt(c(1, "b"), i(4)), lt(c(2, "c"), i(8))]),
            )],
            Some(lt(c(1, "c"), i(6))),
        ),
        // RIGHT joins become LEFT joins.
        case(vec![right(r(1), r(2), j12())], None),
        case(vec![right(r(1), r(2), j12())], Some(gt(c(1, "b"), i(5)))),
        case(vec![right(r(1), r(2), j12())], Some(gt(c(2, "b"), i(5)))),
        case(
            vec![right(r(1), r(2), and(vec![j12(), gt(c(1, "c"), i(2))]))],
            Some(gt(c(2, "c"), i(3))),
        ),
        case(vec![right(r(1), r(2), j12())], Some(is_null(c(1, "a")))),
        // FULL joins.
        case(vec![full(r(1), r(2), j12())], None),
        case(vec![full(r(1), r(2), j12())], Some(gt(c(1, "b"), i(5)))),
        case(vec![full(r(1), r(2), j12())], Some(gt(c(2, "b"), i(5)))),
        case(
            vec![full(r(1), r(2), j12())],
            Some(and(vec![gt(c(1, "b"), i(5)), gt(c(2, "b"), i(6))])),
        ),
        case(
            vec![full(r(1), r(2), j12())],
            Some(gt(op("+", c(1, "b"), c(2, "b")), i(5))),
        ),
        case(vec![full(r(1), r(2), j12())], Some(is_null(c(2, "b")))),
        case(
            vec![full(r(1), r(2), j12())],
            Some(eq(coalesce(c(1, "b"), c(2, "b")), i(3))),
        ),
        // Equivalence classes.
        case(
            vec![r(1), r(2)],
            Some(and(vec![j12(), eq(c(1, "a"), i(3))])),
        ),
        case(
            vec![r(1), r(2)],
            Some(and(vec![
                eq(c(1, "a"), i(3)),
                gt(c(1, "b"), i(1)),
                lt(c(1, "c"), i(9)),
            ])),
        ),
        case(
            vec![r(1)],
            Some(and(vec![
                eq(c(1, "a"), i(101)),
                eq(c(1, "b"), i(1)),
                gt(c(1, "c"), i(1)),
            ])),
        ),
        case(vec![r(1)], Some(eq(i(5), c(1, "a")))),
        case(
            vec![r(1)],
            Some(and(vec![eq(i(5), c(1, "a")), eq(c(1, "a"), c(1, "b"))])),
        ),
        case(
            vec![r(1)],
            Some(and(vec![eq(c(1, "a"), c(1, "b")), gt(c(1, "c"), i(2))])),
        ),
        case(
            vec![r(1), r(2), r(3)],
            Some(and(vec![
                j12(),
                eq(c(2, "a"), c(3, "a")),
                eq(c(3, "a"), i(8)),
            ])),
        ),
        case(
            vec![r(1), r(2)],
            Some(and(vec![j12(), eq(c(1, "a"), i(3)), eq(c(2, "a"), i(3))])),
        ),
        case(
            vec![r(1), r(2)],
            Some(and(vec![j12(), eq(c(1, "a"), i(3)), eq(c(2, "a"), i(4))])),
        ),
        case(vec![inner(r(1), r(2), j12())], Some(eq(c(2, "a"), i(7)))),
        case(vec![left(r(1), r(2), j12())], Some(eq(c(1, "a"), i(7)))),
        case(vec![left(r(1), r(2), j12())], Some(eq(c(2, "a"), i(7)))),
        case(
            vec![left(r(1), r(2), and(vec![j12(), eq(c(2, "b"), i(2))]))],
            Some(eq(c(1, "a"), i(7))),
        ),
        case(
            vec![left(r(1), r(2), and(vec![j12(), eq(c(1, "b"), i(2))]))],
            None,
        ),
        case(vec![full(r(1), r(2), j12())], Some(eq(c(1, "a"), i(7)))),
        // Three relations.
        case(vec![left(left(r(1), r(2), j12()), r(3), j23())], None),
        case(
            vec![left(left(r(1), r(2), j12()), r(3), j23())],
            Some(gt(c(3, "c"), i(1))),
        ),
        case(
            vec![left(left(r(1), r(2), j12()), r(3), j23())],
            Some(gt(c(2, "c"), i(1))),
        ),
        case(
            vec![left(r(1), left(r(2), r(3), j23()), j12())],
            Some(gt(c(3, "c"), i(1))),
        ),
        case(
            vec![left(r(1), inner(r(2), r(3), j23()), j12())],
            Some(gt(c(2, "c"), i(1))),
        ),
        case(
            vec![left(
                r(1),
                inner(r(2), r(3), and(vec![j23(), gt(c(3, "a"), i(2))])),
                j12(),
            )],
            None,
        ),
        case(
            vec![full(
                left(r(1), r(2), j12()),
                r(3),
                eq(c(1, "b"), c(3, "b")),
            )],
            Some(gt(c(2, "c"), i(4))),
        ),
        case(
            vec![full(
                left(r(1), r(2), j12()),
                r(3),
                eq(c(1, "b"), c(3, "b")),
            )],
            Some(gt(c(3, "c"), i(4))),
        ),
        case(
            vec![left(r(1), r(2), j12()), r(3)],
            Some(and(vec![eq(c(2, "c"), c(3, "c")), gt(c(1, "c"), i(0))])),
        ),
        case(
            vec![left(r(1), r(2), j12()), r(3)],
            Some(eq(coalesce(c(2, "c"), i(0)), c(3, "c"))),
        ),
        case(
            vec![r(1), left(r(2), r(3), j23())],
            Some(and(vec![j12(), is_null(c(3, "b"))])),
        ),
        case(
            vec![left(
                left(r(1), r(2), j12()),
                r(3),
                eq(c(1, "b"), c(3, "b")),
            )],
            Some(is_null(c(3, "b"))),
        ),
        // Canonical form of WHERE.
        case(
            vec![r(1)],
            Some(or(vec![
                and(vec![gt(c(1, "a"), i(1)), gt(c(1, "b"), i(2))]),
                and(vec![gt(c(1, "a"), i(1)), lt(c(1, "c"), i(3))]),
            ])),
        ),
        case(
            vec![r(1)],
            Some(or(vec![
                and(vec![gt(c(1, "a"), i(1)), gt(c(1, "b"), i(2))]),
                gt(c(1, "a"), i(1)),
            ])),
        ),
        case(
            vec![r(1), r(2)],
            Some(or(vec![
                and(vec![j12(), gt(c(1, "b"), i(2))]),
                and(vec![j12(), lt(c(2, "c"), i(3))]),
            ])),
        ),
        case(
            vec![r(1)],
            Some(not(or(vec![gt(c(1, "a"), i(1)), lt(c(1, "b"), i(2))]))),
        ),
        case(
            vec![r(1)],
            Some(not(and(vec![gt(c(1, "a"), i(1)), not_null(c(1, "b"))]))),
        ),
        case(
            vec![r(1)],
            Some(and(vec![
                and(vec![gt(c(1, "a"), i(1)), gt(c(1, "b"), i(2))]),
                lt(c(1, "c"), i(3)),
            ])),
        ),
        case(vec![left(r(1), r(2), j12())], Some(not(is_null(c(2, "b"))))),
        case(
            vec![
                left(r(1), r(2), j12()),
                left(r(3), r(4), eq(c(3, "a"), c(4, "a"))),
            ],
            Some(and(vec![gt(c(2, "b"), i(1)), gt(c(4, "c"), i(2))])),
        ),
        case(
            vec![
                left(r(1), r(2), j12()),
                left(r(3), r(4), eq(c(3, "a"), c(4, "a"))),
            ],
            Some(eq(c(1, "b"), c(3, "b"))),
        ),
        // `X = X` with a strict equality is `X IS NOT NULL`: in WHERE, in
        // an outer join's ON on its nullable side, and in WHERE on a
        // nullable side (which reduces the join); not in an ON condition
        // that stays on its outer join.
        case(vec![r(1)], Some(eq(c(1, "a"), c(1, "a")))),
        case(
            vec![r(1)],
            Some(and(vec![
                eq(c(1, "b"), c(1, "b")),
                gt(c(1, "a"), i(1)),
                eq(c(1, "c"), i(3)),
            ])),
        ),
        case(
            vec![left(r(1), r(2), and(vec![j12(), eq(c(2, "b"), c(2, "b"))]))],
            None,
        ),
        case(
            vec![left(r(1), r(2), j12())],
            Some(eq(c(2, "b"), c(2, "b"))),
        ),
        case(
            vec![left(r(1), r(2), and(vec![j12(), eq(c(1, "b"), c(1, "b"))]))],
            None,
        ),
    ]
}

#[test]
fn placement_and_reduction_match_postgres_15() {
    let catalog = Catalog::new(15).unwrap();
    let oracle = Oracle::new(15).unwrap();
    let mut remote = String::new();
    let mut local = String::new();
    for n in 1..=4 {
        remote.push_str(&format!(
            "CREATE TABLE t{n} (a int, b int, c int);\
             INSERT INTO t{n} SELECT g, g % 7, g % 5 FROM generate_series(1, 50) g;"
        ));
        oracle.create_server(&format!("s{n}"), &[]).unwrap();
        local.push_str(&format!(
            "CREATE FOREIGN TABLE f{n} (a int, b int, c int) SERVER s{n} OPTIONS (table_name 't{n}');"
        ));
    }
    oracle.exec_remote(&remote).unwrap();
    oracle.exec_local(&local).unwrap();

    let cases = cases();
    let texts: Vec<String> = cases.iter().map(sql_of).collect();
    let queries: Vec<&str> = texts.iter().map(String::as_str).collect();
    let explains = oracle.explain_all(&queries, CostsMode::Off).unwrap();
    let mut matched = 0;
    let mut report = String::new();
    for ((case, sql), explain) in cases.iter().zip(&texts).zip(explains) {
        let explain = explain.unwrap_or_else(|e| panic!("{sql}: {e}"));
        let mut query = query_of(&catalog, case);
        reduce_outer_joins(&catalog, &mut query).unwrap();
        let placement = place_quals(&catalog, &query).unwrap();
        let rels = rels_of(case);
        let ours = our_shape(&query, &placement, &rels);
        let theirs = their_shape(&explain.root, &rels);
        if ours == theirs {
            matched += 1;
        } else {
            report.push_str(&format!(
                "{sql}\n    ours:       {ours:?}\n    PostgreSQL: {theirs:?}\n{}\n",
                explain.lines.join("\n")
            ));
        }
    }
    println!("placement parity: {matched}/{} cases", cases.len());
    assert!(cases.len() >= 60, "{} cases", cases.len());
    assert_eq!(matched, cases.len(), "differences:\n{report}");
}

fn var(rel: u32, attno: i16) -> Expr {
    Expr::Var(Var::new(
        RelIndex(rel),
        AttrNumber(attno),
        INT4,
        -1,
        Oid::INVALID,
    ))
}

#[test]
fn canonicalize_pulls_common_or_arms_and_pushes_nots() {
    let catalog = Catalog::new(15).unwrap();
    let build = |e: &E| tree_expr(&catalog, e);
    // (a > 1 AND b > 2) OR (a > 1 AND c < 3)  =>  a > 1 AND (b > 2 OR c < 3)
    let input = or(vec![
        and(vec![gt(c(1, "a"), i(1)), gt(c(1, "b"), i(2))]),
        and(vec![gt(c(1, "a"), i(1)), lt(c(1, "c"), i(3))]),
    ]);
    let expected = and(vec![
        gt(c(1, "a"), i(1)),
        or(vec![gt(c(1, "b"), i(2)), lt(c(1, "c"), i(3))]),
    ]);
    assert_eq!(
        canonicalize_qual(&catalog, build(&input)).unwrap(),
        build(&expected)
    );
    // NOT (a > 1 OR b IS NULL)  =>  a <= 1 AND b IS NOT NULL
    let input = not(or(vec![gt(c(1, "a"), i(1)), is_null(c(1, "b"))]));
    let expected = and(vec![op("<=", c(1, "a"), i(1)), not_null(c(1, "b"))]);
    assert_eq!(
        canonicalize_qual(&catalog, build(&input)).unwrap(),
        build(&expected)
    );
    // (a > 1 AND b > 2) OR a > 1  =>  a > 1
    let input = or(vec![
        and(vec![gt(c(1, "a"), i(1)), gt(c(1, "b"), i(2))]),
        gt(c(1, "a"), i(1)),
    ]);
    assert_eq!(
        canonicalize_qual(&catalog, build(&input)).unwrap(),
        build(&gt(c(1, "a"), i(1)))
    );
}

#[test]
fn lone_equality_keeps_its_written_form_and_goes_last() {
    let catalog = Catalog::new(15).unwrap();
    let case = case(
        vec![r(1)],
        Some(and(vec![eq(i(5), c(1, "a")), gt(c(1, "b"), i(2))])),
    );
    let mut query = query_of(&catalog, &case);
    reduce_outer_joins(&catalog, &mut query).unwrap();
    let placement = place_quals(&catalog, &query).unwrap();
    let list = &placement.base[&RelIndex(1)];
    assert_eq!(list.len(), 2);
    assert_eq!(*list[0].expr, tree_expr(&catalog, &gt(c(1, "b"), i(2))));
    assert!(!list[0].from_ec);
    assert_eq!(*list[1].expr, tree_expr(&catalog, &eq(i(5), c(1, "a"))));
    assert!(list[1].from_ec);
}

#[test]
fn join_equalities_are_rebuilt_outer_member_first() {
    let catalog = Catalog::new(15).unwrap();
    let case = case(vec![r(1), r(2)], Some(eq(c(2, "a"), c(1, "a"))));
    let query = query_of(&catalog, &case);
    let placement = place_quals(&catalog, &query).unwrap();
    assert!(placement.base.is_empty());
    let clauses = placement.join_clauses(
        &catalog,
        &[RelIndex(1)].into_iter().collect(),
        &[RelIndex(2)].into_iter().collect(),
    );
    assert_eq!(clauses.len(), 1);
    assert_eq!(
        *clauses[0].expr,
        tree_expr(&catalog, &eq(c(1, "a"), c(2, "a")))
    );
    assert!(clauses[0].from_ec);
}

#[test]
fn outer_join_conditions_stay_on_their_join() {
    let catalog = Catalog::new(15).unwrap();
    // f1 LEFT JOIN f2 ON (x1.a = x2.a AND x1.b > 4 AND x2.c < 8) WHERE x1.c < 6
    let case = case(
        vec![left(
            r(1),
            r(2),
            and(vec![
                eq(c(1, "a"), c(2, "a")),
                gt(c(1, "b"), i(4)),
                lt(c(2, "c"), i(8)),
            ]),
        )],
        Some(lt(c(1, "c"), i(6))),
    );
    let mut query = query_of(&catalog, &case);
    reduce_outer_joins(&catalog, &mut query).unwrap();
    let placement = place_quals(&catalog, &query).unwrap();
    let on_join: Vec<&Expr> = placement.joins[0]
        .clauses
        .iter()
        .map(|rc| &*rc.expr)
        .collect();
    assert_eq!(
        on_join,
        [
            &tree_expr(&catalog, &gt(c(1, "b"), i(4))),
            &tree_expr(&catalog, &eq(c(1, "a"), c(2, "a"))),
        ]
    );
    assert!(placement.joins[0]
        .clauses
        .iter()
        .all(|rc| !rc.is_pushed_down));
    assert_eq!(placement.base[&RelIndex(2)].len(), 1);
    assert_eq!(placement.base[&RelIndex(1)].len(), 1);
    assert_eq!(var(1, 3), {
        let Expr::OpExpr(op) = &*placement.base[&RelIndex(1)][0].expr else {
            panic!()
        };
        op.args[0].clone()
    });
}

// Equivalence classes over an extension type: cube's `=` belongs to the
// cube extension's btree family (not a built-in one), so
// `a.cb = b.cb AND a.cb = '(1)'` still derives `b.cb = '(1)'` for `b`, as
// PostgreSQL does for any mergejoinable equality.
#[test]
fn derives_restrictions_through_an_extension_equality() {
    let mut catalog = Catalog::new(15).unwrap();
    fdw_catalog::ddl::load(
        &mut catalog,
        "CREATE EXTENSION postgres_fdw; CREATE EXTENSION cube;
         CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw;
         CREATE FOREIGN TABLE a (id int, cb cube) SERVER s;
         CREATE FOREIGN TABLE b (id int, cb cube) SERVER s;",
    )
    .unwrap();
    let prepared = fdw_sql::prepare_query(
        &catalog,
        "SELECT a.id FROM a JOIN b ON a.cb = b.cb WHERE a.cb = '(1)'",
        &[],
    )
    .unwrap();
    let on_b = &prepared.quals.base[&RelIndex(2)];
    assert_eq!(on_b.len(), 1, "{on_b:?}");
    assert!(on_b[0].from_ec, "{on_b:?}");
    assert_eq!(prepared.quals.equivalence_classes.len(), 1);
}

#[test]
fn join_clause_sources_build_the_join_clauses_with_a_shared_memo() {
    use fdw_sql::joins::{JoinClauseSource, JoinOperatorMemo, Relids, RestrictClause};
    let catalog = Catalog::new(15).unwrap();
    // A class over three relations and a written join condition: every
    // split of the three into outer and inner, one memo for all of them
    // (as the join planner keeps it), gives the clauses join_clauses
    // builds afresh, in the same order.
    let case = case(
        vec![r(1), r(2), r(3)],
        Some(and(vec![
            eq(c(1, "a"), c(2, "a")),
            eq(c(3, "a"), c(2, "a")),
            lt(c(1, "b"), c(3, "b")),
        ])),
    );
    let query = query_of(&catalog, &case);
    let placement = place_quals(&catalog, &query).unwrap();
    let set = |rels: &[u32]| -> Relids { rels.iter().map(|&r| RelIndex(r)).collect() };
    let splits = [
        (set(&[1]), set(&[2])),
        (set(&[2]), set(&[3])),
        (set(&[1]), set(&[3])),
        (set(&[1, 2]), set(&[3])),
        (set(&[1, 3]), set(&[2])),
        (set(&[2, 3]), set(&[1])),
        (set(&[3]), set(&[1, 2])),
    ];
    let mut memo = JoinOperatorMemo::default();
    let mut implied = 0;
    for (outer, inner) in &splits {
        let built: Vec<RestrictClause> = placement
            .join_clause_sources_memo(&catalog, outer, inner, &mut memo)
            .into_iter()
            .map(|source| match source {
                JoinClauseSource::Placed(rc) => rc.clone(),
                JoinClauseSource::Implied(eq) => {
                    implied += 1;
                    placement.implied_equality(&catalog, &eq).unwrap()
                }
            })
            .collect();
        assert_eq!(built, placement.join_clauses(&catalog, outer, inner));
        assert!(!built.is_empty());
    }
    assert_eq!(implied, splits.len());
}

#[test]
fn join_clause_sources_shortcuts_change_no_answer() {
    use fdw_sql::joins::{JoinClauseSource, JoinOperatorMemo, Relids};
    let catalog = Catalog::new(15).unwrap();
    let mut all = cases();
    // Classes with a member over two relations and with a constant, and
    // placed join clauses beside a class.
    all.push(case(
        vec![r(1), r(2), r(3)],
        Some(and(vec![
            eq(c(1, "a"), c(3, "a")),
            eq(c(3, "a"), op("+", c(1, "b"), c(2, "b"))),
            eq(c(2, "c"), i(4)),
            lt(c(1, "c"), c(2, "c")),
        ])),
    ));
    all.push(case(
        vec![left(r(1), r(2), eq(c(1, "a"), c(2, "a"))), r(3)],
        Some(and(vec![
            eq(c(3, "b"), op("+", c(1, "b"), c(2, "b"))),
            eq(c(3, "b"), c(1, "c")),
            gt(c(3, "c"), c(1, "c")),
        ])),
    ));
    // A source as something comparable: a placed clause by address.
    let key = |s: &JoinClauseSource<'_>| match s {
        JoinClauseSource::Placed(rc) => (Some(std::ptr::from_ref(*rc) as usize), None),
        JoinClauseSource::Implied(eq) => (None, Some(*eq)),
    };
    let mut compared = 0;
    for case in &all {
        let mut query = query_of(&catalog, case);
        reduce_outer_joins(&catalog, &mut query).unwrap();
        let placement = place_quals(&catalog, &query).unwrap();
        let rels = rels_of(case);
        let subsets: Vec<Relids> = (1u32..(1 << rels.len()))
            .map(|bits| {
                rels.iter()
                    .enumerate()
                    .filter(|(at, _)| bits & (1 << at) != 0)
                    .map(|(_, &n)| RelIndex(n))
                    .collect()
            })
            .collect();
        // One memo for every join, as the planner keeps it.
        let mut memo = JoinOperatorMemo::default();
        for outer in &subsets {
            for inner in &subsets {
                if outer.overlaps(inner) {
                    continue;
                }
                let fast: Vec<_> = placement
                    .join_clause_sources_memo(&catalog, outer, inner, &mut memo)
                    .iter()
                    .map(key)
                    .collect();
                let reference: Vec<_> = placement
                    .join_clause_sources_memo(
                        &catalog,
                        outer,
                        inner,
                        &mut JoinOperatorMemo::without_shortcuts(),
                    )
                    .iter()
                    .map(key)
                    .collect();
                assert_eq!(fast, reference, "{outer:?} {inner:?}");
                compared += 1;
            }
        }
    }
    assert!(compared > 100, "{compared}");
}
