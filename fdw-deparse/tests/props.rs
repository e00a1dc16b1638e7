//! Properties: the deparser never panics on random bounded-depth trees
//! (well-formed or not), every shippable tree prints with dense `$n`
//! numbering, identifiers and string constants round-trip through quoting,
//! and every printed statement is accepted by PostgreSQL 15 (`PREPARE`).

use fdw_core::expr::{BoolTestType, BooleanTest, CoalesceExpr, CoercionForm, FuncExpr, OpExpr};
use fdw_core::{Expr, Oid, RelIndex};
use fdw_deparse::{
    deparse_expr, deparse_select_for_base_rel, is_foreign_expr, quote_identifier, AttrsUsed,
    BaseRelScan, Dialect, ForeignRel, ParamSink,
};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

use crate::support::{fx, list, Fx};

/// A recipe for a typed tree over ft3 (`c1`, `c2` integer, `c3` text) with
/// ft4 as another relation; [`build`] turns it into an analyzed `Expr`.
#[derive(Debug, Clone)]
enum G {
    IntCol(u8),
    IntConst(i32),
    IntParam(u8),
    OuterInt,
    TextCol,
    TextConst(String),
    TextParam(u8),
    Add(Box<G>, Box<G>),
    Neg(Box<G>),
    Abs(Box<G>),
    Length(Box<G>),
    Concat(Box<G>, Box<G>),
    Lower(Box<G>),
    IntCmp(u8, Box<G>, Box<G>),
    TextEq(Box<G>, Box<G>),
    IsNull(Box<G>),
    Distinct(Box<G>, Box<G>),
    AnyArray(Box<G>, Vec<G>),
    And(Vec<G>),
    Not(Box<G>),
    Case(Box<G>, Box<G>, Box<G>),
    Coalesce(Box<G>),
    IsTrue(Box<G>),
    /// A call of an arbitrary function oid with arbitrary arguments.
    BadFunc(u32, Vec<G>),
    /// An arbitrary operator oid with arbitrary arguments.
    BadOp(u32, Vec<G>),
}

fn text_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{0,4}",
        proptest::collection::vec(
            prop_oneof![
                Just('\''),
                Just('\\'),
                Just('\n'),
                Just('"'),
                Just(';'),
                Just('ä'),
                Just('€'),
                Just('x'),
                Just(' ')
            ],
            0..8
        )
        .prop_map(|cs| cs.into_iter().collect()),
    ]
}

/// Trees of the recipe, including calls of arbitrary oids with arbitrary
/// arguments (trees PostgreSQL could not build, see [`is_well_formed`]).
fn tree() -> impl Strategy<Value = G> {
    let leaf = prop_oneof![
        (1u8..=2).prop_map(G::IntCol),
        any::<i32>().prop_map(G::IntConst),
        (1u8..=3).prop_map(G::IntParam),
        Just(G::OuterInt),
        Just(G::TextCol),
        text_value().prop_map(G::TextConst),
        (1u8..=3).prop_map(G::TextParam),
    ];
    leaf.prop_recursive(5, 48, 4, |inner| {
        let b = || inner.clone().prop_map(Box::new);
        prop_oneof![
            (b(), b()).prop_map(|(l, r)| G::Add(l, r)),
            b().prop_map(G::Neg),
            b().prop_map(G::Abs),
            b().prop_map(G::Length),
            (b(), b()).prop_map(|(l, r)| G::Concat(l, r)),
            b().prop_map(G::Lower),
            (0u8..3, b(), b()).prop_map(|(op, l, r)| G::IntCmp(op, l, r)),
            (b(), b()).prop_map(|(l, r)| G::TextEq(l, r)),
            b().prop_map(G::IsNull),
            (b(), b()).prop_map(|(l, r)| G::Distinct(l, r)),
            (b(), proptest::collection::vec(inner.clone(), 0..3))
                .prop_map(|(l, r)| G::AnyArray(l, r)),
            proptest::collection::vec(inner.clone(), 1..4).prop_map(G::And),
            b().prop_map(G::Not),
            (b(), b(), b()).prop_map(|(c, t, e)| G::Case(c, t, e)),
            b().prop_map(G::Coalesce),
            b().prop_map(G::IsTrue),
            (any::<u32>(), proptest::collection::vec(inner.clone(), 0..3))
                .prop_map(|(o, a)| G::BadFunc(o, a)),
            (any::<u32>(), proptest::collection::vec(inner.clone(), 0..3))
                .prop_map(|(o, a)| G::BadOp(o, a)),
        ]
    })
}

/// Coerces `e` to integer (`length` of text) or text (an `int4out`-free
/// explicit cast is not shippable, so `'n'` constant concatenation is used).
fn as_int(f: &Fx, e: Expr) -> Expr {
    if e.type_oid() == f.ty("int4") {
        e
    } else if e.type_oid() == f.ty("text") {
        f.func("length", vec![e])
    } else {
        f.case(
            "int4",
            None,
            vec![(as_bool(f, e), f.c("int4", "1"))],
            Some(f.c("int4", "0")),
        )
    }
}

fn as_text(f: &Fx, e: Expr) -> Expr {
    if e.type_oid() == f.ty("text") {
        e
    } else {
        let n = as_int(f, e);
        f.case(
            "text",
            None,
            vec![(f.op(">", n, f.c("int4", "0")), f.c("text", "pos"))],
            Some(f.c("text", "neg")),
        )
    }
}

fn as_bool(f: &Fx, e: Expr) -> Expr {
    if e.type_oid() == f.ty("bool") {
        e
    } else {
        f.null_test(e, false)
    }
}

fn build(f: &Fx, g: &G) -> Expr {
    let b = |g: &G| build(f, g);
    match g {
        G::IntCol(n) => f.var(1, "ft3", if *n == 1 { "c1" } else { "c2" }),
        G::IntConst(v) => f.c("int4", &v.to_string()),
        G::IntParam(n) => f.param(i32::from(*n), "int4"),
        G::OuterInt => f.var(2, "ft4", "c2"),
        G::TextCol => f.var(1, "ft3", "c3"),
        G::TextConst(s) => f.c("text", s),
        G::TextParam(n) => f.param(i32::from(*n) + 10, "text"),
        G::Add(l, r) => f.op("+", as_int(f, b(l)), as_int(f, b(r))),
        G::Neg(a) => f.prefix("-", as_int(f, b(a))),
        G::Abs(a) => f.func("abs", vec![as_int(f, b(a))]),
        G::Length(a) => f.func("length", vec![as_text(f, b(a))]),
        G::Concat(l, r) => f.op("||", as_text(f, b(l)), as_text(f, b(r))),
        G::Lower(a) => f.func("lower", vec![as_text(f, b(a))]),
        G::IntCmp(op, l, r) => f.op(
            ["=", "<", ">"][usize::from(*op)],
            as_int(f, b(l)),
            as_int(f, b(r)),
        ),
        G::TextEq(l, r) => f.op("=", as_text(f, b(l)), as_text(f, b(r))),
        G::IsNull(a) => f.null_test(b(a), true),
        G::Distinct(l, r) => f.distinct(as_int(f, b(l)), as_int(f, b(r))),
        G::AnyArray(l, items) => f.saop(
            "=",
            true,
            as_int(f, b(l)),
            f.array("int4", items.iter().map(|i| as_int(f, b(i))).collect()),
        ),
        G::And(items) => f.and(items.iter().map(|i| as_bool(f, b(i))).collect()),
        G::Not(a) => f.not(as_bool(f, b(a))),
        G::Case(c, t, e) => f.case(
            "int4",
            None,
            vec![(as_bool(f, b(c)), as_int(f, b(t)))],
            Some(as_int(f, b(e))),
        ),
        G::Coalesce(a) => Expr::CoalesceExpr(Box::new(CoalesceExpr {
            coalescetype: f.ty("int4"),
            coalescecollid: Oid::INVALID,
            args: list(vec![as_int(f, b(a)), f.c("int4", "0")]),
        })),
        G::IsTrue(a) => Expr::BooleanTest(Box::new(BooleanTest {
            arg: as_bool(f, b(a)),
            booltesttype: BoolTestType::IsTrue,
        })),
        G::BadFunc(oid, args) => Expr::FuncExpr(Box::new(FuncExpr {
            funcid: Oid(*oid),
            funcresulttype: Oid(oid.rotate_left(7)),
            funcretset: false,
            funcvariadic: oid % 2 == 0,
            funcformat: [
                CoercionForm::ExplicitCall,
                CoercionForm::ExplicitCast,
                CoercionForm::ImplicitCast,
                CoercionForm::SqlSyntax,
            ][(*oid % 4) as usize],
            funccollid: Oid::INVALID,
            inputcollid: Oid::INVALID,
            args: list(args.iter().map(b).collect()),
        })),
        G::BadOp(oid, args) => Expr::OpExpr(Box::new(OpExpr {
            opno: Oid(*oid % 5000),
            opfuncid: Oid::INVALID,
            opresulttype: f.ty("bool"),
            opretset: false,
            opcollid: Oid::INVALID,
            inputcollid: Oid::INVALID,
            args: list(args.iter().map(b).collect()),
        })),
    }
}

/// True when the recipe has no calls of arbitrary oids: a tree parse
/// analysis could have built, whose printed form must run remotely.
fn is_well_formed(g: &G) -> bool {
    match g {
        G::BadFunc(..) | G::BadOp(..) => false,
        G::IntCol(_)
        | G::IntConst(_)
        | G::IntParam(_)
        | G::OuterInt
        | G::TextCol
        | G::TextConst(_)
        | G::TextParam(_) => true,
        G::Neg(a)
        | G::Abs(a)
        | G::Length(a)
        | G::Lower(a)
        | G::IsNull(a)
        | G::Not(a)
        | G::Coalesce(a)
        | G::IsTrue(a) => is_well_formed(a),
        G::Add(l, r)
        | G::Concat(l, r)
        | G::IntCmp(_, l, r)
        | G::TextEq(l, r)
        | G::Distinct(l, r) => is_well_formed(l) && is_well_formed(r),
        G::AnyArray(l, items) => is_well_formed(l) && items.iter().all(is_well_formed),
        G::And(items) => items.iter().all(is_well_formed),
        G::Case(c, t, e) => is_well_formed(c) && is_well_formed(t) && is_well_formed(e),
    }
}

/// The highest `$n` in `sql`.
fn max_param(sql: &str) -> usize {
    let mut max = 0;
    let mut rest = sql;
    while let Some(pos) = rest.find('$') {
        rest = &rest[pos + 1..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(n) = digits.parse::<usize>() {
            max = max.max(n);
        }
    }
    max
}

proptest! {
    #![proptest_config(Config { cases: 256, ..Config::default() })]

    #[test]
    fn deparse_never_panics_and_shippable_trees_print(g in tree()) {
        let f = fx();
        let expr = build(&f, &g);
        let scan = f.scan_rel("ft3");
        let rel = ForeignRel::base(f.catalog, &f.dialect, &scan).unwrap();
        let verdict = is_foreign_expr(&rel, &expr);
        let mut sink = ParamSink::Collect(Vec::new());
        let printed = deparse_expr(f.catalog, &f.dialect, &scan, &expr, &mut sink);
        if let Ok(v) = verdict {
            if v.is_shippable() {
                let sql = printed.unwrap();
                let ParamSink::Collect(params) = sink else { unreachable!() };
                // `$n` placeholders are dense: 1..=params.len(); text
                // constants never contain `$` here.
                prop_assert_eq!(max_param(&sql), params.len());
            }
        }
    }

    #[test]
    fn identifiers_round_trip(ident in "[a-zA-Z_0-9\"ä €]{0,12}") {
        let f = fx();
        let quoted = quote_identifier(&f.dialect, &ident);
        let back = match quoted.strip_prefix('"').and_then(|q| q.strip_suffix('"')) {
            Some(inner) => inner.replace("\"\"", "\""),
            None => quoted.clone(),
        };
        prop_assert_eq!(back, ident);
    }

    #[test]
    fn string_literals_round_trip(value in text_value()) {
        let f = fx();
        let mut lit = String::new();
        f.dialect.write_string_literal(&value, &mut lit);
        let (escaped, body) = match lit.strip_prefix('E') {
            Some(rest) => (true, rest),
            None => (false, lit.as_str()),
        };
        prop_assert_eq!(escaped, value.contains('\\'));
        let inner = body.strip_prefix('\'').and_then(|b| b.strip_suffix('\'')).unwrap();
        let mut back = inner.replace("''", "'");
        if escaped {
            back = back.replace("\\\\", "\\");
        }
        prop_assert_eq!(back, value);
    }
}

/// Deterministically generated shippable conditions, printed as complete
/// base-relation statements.
fn generated_statements(f: &Fx, n: usize) -> Vec<String> {
    let mut runner = TestRunner::deterministic();
    let strategy = tree();
    let scan = f.scan_rel("ft3");
    let rel = ForeignRel::base(f.catalog, &f.dialect, &scan).unwrap();
    let mut out = Vec::new();
    let mut attempts = 0;
    while out.len() < n && attempts < n * 20 {
        attempts += 1;
        let g = strategy.new_tree(&mut runner).unwrap().current();
        if !is_well_formed(&g) {
            continue;
        }
        let cond = as_bool(f, build(f, &g));
        if !is_foreign_expr(&rel, &cond).is_ok_and(|v| v.is_shippable()) {
            continue;
        }
        let mut base = BaseRelScan::new(RelIndex(1), f.table("ft3"), AttrsUsed::whole_row());
        base.remote_conds = vec![std::sync::Arc::new(cond)];
        out.push(
            deparse_select_for_base_rel(f.catalog, &f.dialect, &base)
                .unwrap()
                .sql,
        );
    }
    out
}

#[test]
fn postgres_accepts_every_printed_statement() {
    let f = fx();
    let mut statements = generated_statements(&f, 150);
    assert!(
        statements.len() >= 100,
        "only {} shippable trees",
        statements.len()
    );
    // Literals with every character that needs care, next to a column.
    for value in ["it's\\", "a\nb; c", "\"quoted\" ä €", "\\x01", ""] {
        let mut base = BaseRelScan::new(RelIndex(1), f.table("ft3"), AttrsUsed::new());
        base.remote_conds = vec![std::sync::Arc::new(f.op(
            "=",
            f.var(1, "ft3", "c3"),
            f.c("text", value),
        ))];
        statements.push(
            deparse_select_for_base_rel(f.catalog, &f.dialect, &base)
                .unwrap()
                .sql,
        );
    }
    let oracle = fdw_testkit::oracle::Oracle::new(15)
        .expect("PostgreSQL 15 is needed for this test: run scripts/install-pg 15");
    oracle
        .exec_remote(r#"CREATE SCHEMA "S 1"; CREATE TABLE "S 1"."T 3" (c1 int, c2 int, c3 text);"#)
        .unwrap();
    let mut script = String::new();
    for (i, sql) in statements.iter().enumerate() {
        script.push_str(&format!("PREPARE p{i} AS {sql};\nDEALLOCATE p{i};\n"));
    }
    oracle.exec_remote(&script).unwrap();
    // The statements are not all alike: parameters, CASE and escapes occur.
    assert!(statements
        .iter()
        .any(|s| s.contains("$1::integer") || s.contains("$11::text")));
    assert!(statements.iter().any(|s| s.contains("(CASE WHEN")));
    assert!(statements.iter().any(|s| s.contains("E'")));
}
