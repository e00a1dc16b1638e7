//! The spec's single-table examples (§6.2, `fdw-testkit/data/spec_examples.txt`)
//! rebuilt by hand as the trees PostgreSQL 15's planner hands postgres_fdw,
//! classified with `classify_conditions` and printed with
//! `deparse_select_for_base_rel`; the `Remote SQL:` line must match byte
//! for byte, and the number of local conditions the example's `Filter:` lines.

use fdw_core::expr::CoercionForm::{ExplicitCast, ImplicitCast};
use fdw_core::query::LockStrength;
use fdw_core::RemoteQuery;
use fdw_deparse::{LimitClause, SortKey};

use crate::support::{fx, Fx};

/// The sort key `expr` with operator `op` of its own type.
fn key(f: &Fx, expr: fdw_core::Expr, op: &str, nulls_first: bool) -> SortKey {
    let t = expr.type_oid();
    let sortop = f.catalog.resolve_operator(None, op, t, t).unwrap();
    SortKey {
        expr,
        sortop,
        nulls_first,
    }
}

fn limit(f: &Fx, count: Option<&str>, offset: Option<&str>) -> Option<LimitClause> {
    Some(LimitClause {
        count: count.map(|v| f.c("int8", v)),
        offset: offset.map(|v| f.c("int8", v)),
    })
}

/// Every example this test reproduces, by id.
#[allow(clippy::too_many_lines, reason = "one entry per spec example")]
fn reproduced(f: &Fx) -> Vec<(&'static str, RemoteQuery)> {
    let none = |_: &mut fdw_deparse::BaseRelScan| {};
    let ft1 = |col: &str| f.var(1, "ft1", col);
    let ft3 = |col: &str| f.var(1, "ft3", col);
    let misc = |col: &str| f.var(1, "misc", col);
    let ext = |col: &str| f.var(1, "misc_ext", col);
    let int = |v: &str| f.c("int4", v);
    let text = |v: &str| f.c("text", v);
    let all1 = ["*"];
    let id = ["id"];
    vec![
        ("V001", f.scan("ft1", &all1, vec![], none)),
        (
            "V002",
            f.scan(
                "ft1",
                &["c1", "c3"],
                vec![f.op("=", ft1("c1"), int("101"))],
                none,
            ),
        ),
        ("V003", f.scan("nocols", &all1, vec![], none)),
        (
            "V004",
            f.scan("ft1", &[], vec![], |s| s.limit = limit(f, Some("1"), None)),
        ),
        (
            "V005",
            f.scan(
                "ft1",
                &["ctid", "*"],
                vec![f.op("=", ft1("c1"), int("1"))],
                none,
            ),
        ),
        (
            "V006",
            f.scan("ft1", &["xmin"], vec![f.op("=", ft1("c1"), int("1"))], none),
        ),
        (
            // bpchar and varchar (under an implicit relabel to text)
            // constants lose their labels next to a plain foreign column.
            "V007",
            f.scan(
                "ft1",
                &all1,
                vec![
                    f.op(">=", ft1("c7"), f.c("bpchar", "1")),
                    f.op("=", ft1("c1"), int("101")),
                    f.op(
                        "=",
                        f.relabel(ft1("c6"), "text", -1, ImplicitCast),
                        text("1"),
                    ),
                ],
                none,
            ),
        ),
        (
            "V008",
            f.scan("ft1", &all1, vec![f.op("=", ft1("c1"), int("-1"))], none),
        ),
        (
            "V009",
            f.scan(
                "ft1",
                &all1,
                vec![
                    f.op("<>", ft1("c1"), int("1")),
                    f.or(vec![
                        f.op("<>", ft1("c2"), int("2")),
                        f.op("<>", ft1("c3"), text("x")),
                    ]),
                ],
                none,
            ),
        ),
        (
            "V010",
            f.scan(
                "ft1",
                &all1,
                vec![f.op("=", f.prefix("-", ft1("c1")), int("1"))],
                none,
            ),
        ),
        (
            "V011",
            f.scan(
                "ft3",
                &["c1"],
                vec![
                    f.op("~~", ft3("c3"), text("A%")),
                    f.op(">", f.func("abs", vec![ft3("c2")]), int("1")),
                    f.op("=", f.op("%", ft3("c1"), int("2")), int("0")),
                    f.op("=", f.prefix("@", ft3("c1")), int("1")),
                ],
                none,
            ),
        ),
        (
            "V012",
            f.scan("ft1", &all1, vec![f.null_test(ft1("c1"), true)], none),
        ),
        (
            "V013",
            f.scan("ft1", &all1, vec![f.distinct(ft1("c1"), ft1("c2"))], none),
        ),
        (
            "V014",
            f.scan(
                "ft3",
                &["c1"],
                vec![f.not(f.distinct(ft3("c3"), text("x")))],
                none,
            ),
        ),
        (
            "V015",
            f.scan(
                "ft1",
                &all1,
                vec![f.op(
                    "=",
                    f.func(
                        "round",
                        vec![
                            f.func_form(
                                "numeric",
                                vec![f.func("abs", vec![ft1("c1")])],
                                ImplicitCast,
                            ),
                            int("0"),
                        ],
                    ),
                    f.c("numeric", "1"),
                )],
                none,
            ),
        ),
        (
            "V016",
            f.scan(
                "ft1",
                &all1,
                vec![f.saop("=", true, ft1("c1"), f.c("_int4", "{1,2,3}"))],
                none,
            ),
        ),
        (
            "V017",
            f.scan(
                "ft1",
                &all1,
                vec![f.saop("<>", false, ft1("c1"), f.c("_int4", "{1,2,3}"))],
                none,
            ),
        ),
        (
            "V018",
            f.scan(
                "ft1",
                &all1,
                vec![f.saop(
                    "=",
                    true,
                    ft1("c1"),
                    f.array(
                        "int4",
                        vec![ft1("c2"), int("1"), f.op("+", ft1("c1"), int("0"))],
                    ),
                )],
                none,
            ),
        ),
        (
            // An explicit relabel keeps the constant's label.
            "V019",
            f.scan(
                "ft1",
                &all1,
                vec![f.op(
                    "=",
                    f.relabel(ft1("c6"), "text", -1, ExplicitCast),
                    text("a"),
                )],
                none,
            ),
        ),
        (
            "V020",
            f.scan(
                "ft1",
                &all1,
                vec![f.op(
                    "=",
                    f.relabel(ft1("c6"), "text", -1, ImplicitCast),
                    text("a"),
                )],
                none,
            ),
        ),
        (
            "V021",
            f.scan(
                "ft3",
                &["c1"],
                vec![f.op("=", f.op("||", ft3("c3"), text("x")), text("aaa001x"))],
                none,
            ),
        ),
        (
            "V022",
            f.scan(
                "ft3",
                &["c1"],
                vec![f.op("=", text("AAA001"), ft3("c3"))],
                none,
            ),
        ),
        (
            "V023",
            f.scan(
                "ft1",
                &all1,
                vec![f.op("=", ft1("c3"), text("it's\\"))],
                none,
            ),
        ),
        (
            "V024",
            f.scan(
                "ft1",
                &all1,
                vec![f.op(">", ft1("c4"), f.c("timestamptz", "2000-01-01 00:00:00+00"))],
                none,
            ),
        ),
        (
            "V025",
            f.scan(
                "misc",
                &id,
                vec![f.op("=", misc("ts"), f.c("timestamp", "2000-01-02 00:00:00"))],
                none,
            ),
        ),
        (
            "V026",
            f.scan(
                "misc",
                &id,
                vec![f.op("=", misc("iv"), f.c("interval", "1 day 02:03:04"))],
                none,
            ),
        ),
        ("V027", f.scan("misc", &id, vec![misc("b")], none)),
        ("V028", f.scan("misc", &id, vec![f.not(misc("b"))], none)),
        (
            "V030",
            f.scan(
                "misc",
                &id,
                vec![f.op("=", misc("bits"), f.c("bit", "1010"))],
                none,
            ),
        ),
        (
            "V031",
            f.scan(
                "misc",
                &id,
                vec![f.op("=", misc("n"), f.c("numeric", "1.5"))],
                none,
            ),
        ),
        (
            "V032",
            f.scan(
                "misc",
                &id,
                vec![f.op("=", misc("n"), f.c("numeric", "15"))],
                none,
            ),
        ),
        (
            "V033",
            f.scan(
                "misc",
                &id,
                vec![f.op("=", misc("n"), f.c("numeric", "NaN"))],
                none,
            ),
        ),
        (
            "V034",
            f.scan(
                "misc",
                &id,
                vec![f.op("=", misc("f8"), f.c("float8", "-1.5e-10"))],
                none,
            ),
        ),
        (
            // float4 = float8: the types differ, the label stays.
            "V035",
            f.scan(
                "misc",
                &id,
                vec![f.op("=", misc("f4"), f.c("float8", "1.5"))],
                none,
            ),
        ),
        (
            "V036",
            f.scan(
                "misc",
                &id,
                vec![f.op("=", misc("i8"), f.c("int8", "5000000000"))],
                none,
            ),
        ),
        (
            "V037",
            f.scan(
                "misc",
                &id,
                vec![f.op("=", misc("o"), f.c("oid", "5"))],
                none,
            ),
        ),
        (
            "V038",
            f.scan(
                "misc",
                &id,
                vec![f.op("=", misc("bx"), f.c("bytea", "\\x01"))],
                none,
            ),
        ),
        (
            "V039",
            f.scan(
                "misc",
                &id,
                vec![f.op("=", f.subscript(misc("arr"), int("1")), int("5"))],
                none,
            ),
        ),
        (
            "V040",
            f.scan(
                "misc",
                &id,
                vec![f.op(
                    "=",
                    f.subscript(
                        f.op_declared(
                            "||",
                            "anycompatiblearray",
                            "anycompatible",
                            vec![misc("arr"), int("5")],
                            f.ty("_int4"),
                        ),
                        int("3"),
                    ),
                    int("5"),
                )],
                none,
            ),
        ),
        (
            "V041",
            f.scan(
                "misc",
                &id,
                vec![f.op_declared(
                    "=",
                    "anyarray",
                    "anyarray",
                    vec![misc("arr"), f.array("int4", vec![int("1"), misc("id")])],
                    f.ty("bool"),
                )],
                none,
            ),
        ),
        (
            "V042",
            f.scan(
                "misc",
                &id,
                vec![f.op("=", f.subscript(misc("tarr"), int("1")), text("a1"))],
                none,
            ),
        ),
        (
            "V043",
            f.scan(
                "misc",
                &id,
                vec![f.op(
                    "=",
                    f.func_oid(
                        f.catalog
                            .resolve_function(None, "num_nulls", &[f.ty("any")])
                            .unwrap(),
                        vec![f.array("int4", vec![misc("id"), misc("id")])],
                        fdw_core::expr::CoercionForm::ExplicitCall,
                        true,
                    ),
                    int("0"),
                )],
                none,
            ),
        ),
        (
            // A length coercion hides the int4 -> numeric step below it.
            "V044",
            f.scan(
                "misc",
                &id,
                vec![f.op(
                    "=",
                    f.func_form(
                        "numeric",
                        vec![
                            f.func_form("numeric", vec![misc("id")], ImplicitCast),
                            int("655366"),
                        ],
                        ExplicitCast,
                    ),
                    f.c("numeric", "1.5"),
                )],
                none,
            ),
        ),
        (
            "V045",
            f.scan(
                "misc",
                &id,
                vec![f.op("=", f.func("int4", vec![misc("n")]), int("5"))],
                none,
            ),
        ),
        (
            "V046",
            f.scan(
                "ft3",
                &["c1"],
                vec![f.op(
                    "=",
                    f.relabel(
                        f.func_form(
                            "varchar",
                            vec![
                                f.relabel(ft3("c3"), "varchar", -1, ImplicitCast),
                                int("7"),
                                f.c("bool", "t"),
                            ],
                            ExplicitCast,
                        ),
                        "text",
                        -1,
                        ImplicitCast,
                    ),
                    text("AAA"),
                )],
                none,
            ),
        ),
        (
            "V047",
            f.scan(
                "ft3",
                &["c1"],
                vec![f.op(
                    "=",
                    f.func_form("char", vec![ft3("c3")], ExplicitCast),
                    f.c("char", "A"),
                )],
                none,
            ),
        ),
        (
            // name carries collation "C", which no foreign column supplies.
            "V048",
            f.scan(
                "ft3",
                &["c1"],
                vec![f.op(
                    "=",
                    f.func_form("name", vec![ft3("c3")], ExplicitCast),
                    f.c("name", "AAA"),
                )],
                none,
            ),
        ),
        (
            "V049",
            f.scan(
                "misc",
                &id,
                vec![f.op(
                    "=",
                    f.case(
                        "int4",
                        None,
                        vec![(f.op(">", misc("id"), int("5")), int("1"))],
                        Some(int("0")),
                    ),
                    int("1"),
                )],
                none,
            ),
        ),
        (
            "V050",
            f.scan(
                "misc",
                &id,
                vec![f.op(
                    "=",
                    f.case(
                        "int4",
                        Some(misc("n")),
                        vec![(
                            f.op("=", f.case_test("numeric"), f.c("numeric", "5")),
                            int("1"),
                        )],
                        Some(f.null("int4")),
                    ),
                    int("1"),
                )],
                none,
            ),
        ),
        (
            // The CASE's text result has the default collation, not one
            // from a foreign column: the comparison stays local.
            "V051",
            f.scan(
                "misc",
                &id,
                vec![f.op(
                    "=",
                    f.case(
                        "text",
                        Some(misc("id")),
                        vec![
                            (f.op("=", f.case_test("int4"), int("5")), text("a")),
                            (f.op("=", f.case_test("int4"), int("6")), text("b")),
                        ],
                        Some(f.null("text")),
                    ),
                    text("a"),
                )],
                none,
            ),
        ),
        (
            "V052",
            f.scan(
                "misc",
                &id,
                vec![f.op(
                    "=",
                    fdw_core::Expr::CoalesceExpr(Box::new(fdw_core::expr::CoalesceExpr {
                        coalescetype: f.ty("int4"),
                        coalescecollid: fdw_core::Oid::INVALID,
                        args: crate::support::list(vec![misc("id"), int("5")]),
                    })),
                    int("5"),
                )],
                none,
            ),
        ),
        (
            // user_enum is not built in.
            "V053",
            f.scan(
                "ft1",
                &all1,
                vec![f.op_declared(
                    "=",
                    "anyenum",
                    "anyenum",
                    vec![ft1("c8"), f.c("user_enum", "foo")],
                    f.ty("bool"),
                )],
                none,
            ),
        ),
        (
            "V054",
            f.scan(
                "ft1",
                &all1,
                vec![f.op("=", ft1("c4"), f.func("now", vec![]))],
                none,
            ),
        ),
        (
            "V055",
            f.scan(
                "ft1",
                &all1,
                vec![{
                    let mut ab =
                        fdw_core::expr::Const::new(f.ty("text"), fdw_core::Oid::C_COLLATION, "Ab");
                    ab.consttypmod = -1;
                    let fdw_core::Expr::OpExpr(mut op) = f.op("=", ft1("c3"), text("x")) else {
                        unreachable!()
                    };
                    op.args[1] = ab.into();
                    op.inputcollid = fdw_core::Oid::C_COLLATION;
                    fdw_core::Expr::OpExpr(op)
                }],
                none,
            ),
        ),
        (
            "V056",
            f.scan(
                "ft1",
                &all1,
                vec![f.op("=", f.sys(1, -6, "oid"), f.c("oid", "1"))],
                none,
            ),
        ),
        (
            "V057",
            f.scan(
                "misc_ext",
                &id,
                vec![f.op("=", ext("cb"), f.c("cube", "(1)"))],
                none,
            ),
        ),
        (
            "V058",
            f.scan(
                "misc_ext",
                &id,
                vec![f.op(
                    "@>",
                    ext("cb"),
                    f.func(
                        "cube",
                        vec![f.func_form("float8", vec![ext("id")], ImplicitCast)],
                    ),
                )],
                none,
            ),
        ),
        (
            "V059",
            f.scan(
                "misc_ext",
                &id,
                vec![f.op(
                    "=",
                    f.func("cube_union", vec![ext("cb"), f.c("cube", "(1)")]),
                    ext("cb"),
                )],
                none,
            ),
        ),
        (
            // misc's server does not list the cube extension.
            "V060",
            f.scan(
                "misc",
                &id,
                vec![f.op("=", f.func("cube_dim", vec![misc("cb")]), int("1"))],
                none,
            ),
        ),
        (
            "V061",
            f.scan(
                "Select",
                &all1,
                vec![
                    f.op("=", f.var(1, "Select", "Order"), int("1")),
                    f.op("=", f.var(1, "Select", "user"), text("x")),
                    f.op("=", f.var(1, "Select", "type"), int("2")),
                    f.op("=", f.var(1, "Select", "ümlaut"), int("3")),
                ],
                none,
            ),
        ),
        (
            "V062",
            f.scan("ft1", &all1, vec![], |s| {
                s.order_by = vec![key(f, ft1("c3"), "<", false), key(f, ft1("c1"), "<", false)];
                s.limit = limit(f, Some("10"), Some("100"));
            }),
        ),
        (
            "V063",
            f.scan("ft1", &["c1"], vec![], |s| {
                s.order_by = vec![key(f, ft1("c1"), ">", true)];
            }),
        ),
        (
            "V064",
            f.scan("ft1", &["c1"], vec![], |s| {
                s.order_by = vec![key(f, ft1("c1"), "<", true)];
            }),
        ),
        (
            "V065",
            f.scan("ft3", &["c3"], vec![], |s| {
                s.order_by = vec![key(f, ft3("c3"), "~<~", false)];
            }),
        ),
        (
            "V066",
            f.scan("ft3", &["c1"], vec![], |s| {
                s.order_by = vec![
                    key(f, f.func("abs", vec![ft3("c1")]), "<", false),
                    key(f, ft3("c1"), "<", false),
                ];
            }),
        ),
        (
            "V067",
            f.scan("ft1", &["c1"], vec![], |s| {
                s.limit = limit(f, None, Some("5"))
            }),
        ),
        (
            "V068",
            f.scan("ft3", &["c1"], vec![], |s| {
                s.order_by = vec![key(f, ft3("c1"), "<", false)];
                s.limit = limit(f, Some("5"), None);
            }),
        ),
        (
            // Locked rows are fetched whole for EvalPlanQual.
            "V069",
            f.scan("ft1", &all1, vec![f.op("<", ft1("c1"), int("10"))], |s| {
                s.locking = Some(LockStrength::Update);
            }),
        ),
        (
            "V070",
            f.scan("ft1", &all1, vec![f.op("<", ft1("c1"), int("10"))], |s| {
                s.locking = Some(LockStrength::KeyShare);
            }),
        ),
    ]
}

#[test]
fn reproduces_spec_remote_sql_byte_for_byte() {
    let f = fx();
    let examples = fdw_testkit::spec::examples().unwrap();
    let ours = reproduced(&f);
    let mut report = Vec::new();
    for (id, query) in &ours {
        let example = examples.iter().find(|e| e.id == *id).unwrap();
        let expected_sql: Vec<&str> = example
            .expected
            .iter()
            .filter_map(|l| l.strip_prefix("Remote SQL: "))
            .collect();
        let expected_filters = example
            .expected
            .iter()
            .filter(|l| l.starts_with("Filter: "))
            .count();
        if expected_sql != [query.sql.as_str()] {
            report.push(format!(
                "{id}\n  expected {expected_sql:?}\n  got      {:?}",
                query.sql
            ));
        }
        if expected_filters != query.local_quals.len() {
            report.push(format!(
                "{id}: {} local conditions, the example filters {expected_filters}",
                query.local_quals.len()
            ));
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
    assert!(ours.len() >= 60, "{} examples reproduced", ours.len());
}
