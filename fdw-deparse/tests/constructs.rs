//! Golden snapshots of `deparse_expr` for every expression form of spec
//! §2.7, and of `deparse_select_for_base_rel` for the statement shapes of
//! §2.6/§2.9. Each case says what it exercises.

use std::sync::Arc;

use fdw_core::expr::{AggKind, AggSplit, Aggref, CoercionForm, ParamKind, SubscriptingRef, Var};
use fdw_core::query::{SortGroupClause, TargetEntry};
use fdw_core::{AttrNumber, Expr, Oid, RelIndex};
use fdw_deparse::{
    deparse_expr, deparse_select_for_base_rel, BaseRelScan, ParamMode, ParamSink, ScanRel,
    ScanRelation,
};
use insta::assert_snapshot;

use crate::support::{fx, fx_for, list, Fx};

/// Prints `expr` for `scan` collecting parameters: the SQL (or the error),
/// then one line per collected parameter.
fn check(f: &Fx, scan: &ScanRel, expr: &Expr) -> String {
    let mut sink = ParamSink::Collect(Vec::new());
    let mut out = match deparse_expr(f.catalog, &f.dialect, scan, expr, &mut sink) {
        Ok(sql) => sql,
        Err(err) => format!("error: {err}"),
    };
    if let ParamSink::Collect(params) = sink {
        for (i, param) in params.iter().enumerate() {
            let what = match param {
                Expr::Var(v) => format!("Var {}.{}", v.varno.0, v.varattno.0),
                Expr::Param(p) => format!("Param {:?} {}", p.paramkind, p.paramid),
                other => format!("{other:?}"),
            };
            out.push_str(&format!("\n${} = {what}", i + 1));
        }
    }
    out
}

fn ft1(f: &Fx) -> ScanRel {
    f.scan_rel("ft1")
}

fn misc(f: &Fx) -> ScanRel {
    f.scan_rel("misc")
}

/// ft1 as r1 joined with ft3 as r2.
fn join(f: &Fx) -> ScanRel {
    ScanRel::of([
        ScanRelation {
            rtindex: RelIndex(1),
            table: f.table("ft1"),
        },
        ScanRelation {
            rtindex: RelIndex(2),
            table: f.table("ft3"),
        },
    ])
}

#[test]
fn column_references() {
    let f = fx();
    // column_name option, unqualified in a single-table scan
    assert_snapshot!(check(&f, &ft1(&f), &f.var(1, "ft1", "c1")), @r#""C 1""#);
    // rN. qualification when the scan has several relations
    assert_snapshot!(check(&f, &join(&f), &f.var(1, "ft1", "c1")), @r#"r1."C 1""#);
    assert_snapshot!(check(&f, &join(&f), &f.var(2, "ft3", "c3")), @"r2.c3");
    // whole row: ROW(...) of the local columns, CASE-wrapped when qualified
    assert_snapshot!(check(&f, &f.scan_rel("ft3"), &f.whole_row(1, "ft3")), @"ROW(c1, c2, c3)");
    assert_snapshot!(check(&f, &join(&f), &f.whole_row(2, "ft3")), @"CASE WHEN (r2.*)::text IS NOT NULL THEN ROW(r2.c1, r2.c2, r2.c3) END");
    // ctid, bare and qualified
    assert_snapshot!(check(&f, &ft1(&f), &f.sys(1, -1, "tid")), @"ctid");
    assert_snapshot!(check(&f, &join(&f), &f.sys(2, -1, "tid")), @"r2.ctid");
    // other system columns print as constants: 0, or the local oid for tableoid
    assert_snapshot!(check(&f, &join(&f), &f.sys(2, -2, "xid")), @"CASE WHEN (r2.*)::text IS NOT NULL THEN 0 END");
    assert_snapshot!(check(&f, &ft1(&f), &f.sys(1, -2, "xid")), @"0");
    assert_eq!(
        check(&f, &ft1(&f), &f.sys(1, -6, "oid")),
        f.table("ft1").to_string()
    );
    // quoting of keyword and mixed-case column names
    assert_snapshot!(check(&f, &f.scan_rel("Select"), &f.var(1, "Select", "from")), @r#""from""#);
    assert_snapshot!(check(&f, &f.scan_rel("Select"), &f.var(1, "Select", "col\"q")), @r#""col""q""#);
}

#[test]
fn constants() {
    let f = fx();
    let s = misc(&f);
    let c = |ty: &str, v: &str| check(&f, &s, &f.c(ty, v));
    // typed NULL
    assert_snapshot!(check(&f, &s, &f.null("text")), @"NULL::text");
    // integers and booleans are never labelled; other numbers are
    assert_snapshot!(c("int4", "42"), @"42");
    assert_snapshot!(c("int2", "5"), @"5::smallint");
    assert_snapshot!(c("bool", "t"), @"true");
    assert_snapshot!(c("bool", "f"), @"false");
    // signs are parenthesized; floats written as numeric need no label
    assert_snapshot!(c("numeric", "-1.5"), @"(-1.5)");
    assert_snapshot!(c("numeric", "15"), @"15::numeric");
    assert_snapshot!(c("float8", "Infinity"), @"'Infinity'::double precision");
    // numeric with a typmod keeps its label
    assert_snapshot!(check(&f, &s, &f.c_typmod("numeric", 327_686, "1.50")), @"1.50::numeric(5,2)");
    // bit strings
    assert_snapshot!(c("varbit", "101"), @"B'101'::bit varying");
    assert_snapshot!(check(&f, &s, &f.c_typmod("bit", 4, "1010")), @"B'1010'::bit(4)");
    // string literals: quotes doubled, backslashes force E'', raw newline and UTF-8
    assert_snapshot!(c("text", "it's\\"), @r#"E'it''s\\'::text"#);
    assert_snapshot!(c("text", "a\nb"), @r#"
'a
b'::text
"#);
    assert_snapshot!(c("text", "ä"), @"'ä'::text");
    assert_snapshot!(c("jsonb", "{\"a\": 1}"), @r#"'{"a": 1}'::jsonb"#);
    assert_snapshot!(c("_text", "{\"a b\",c}"), @r#"'{"a b",c}'::text[]"#);
    // type names with modifiers (format_type)
    assert_snapshot!(check(&f, &s, &f.c_typmod("varchar", 14, "x")), @"'x'::character varying(10)");
    assert_snapshot!(check(&f, &s, &f.c_typmod("bpchar", 14, "x")), @"'x'::character(10)");
    assert_snapshot!(c("bpchar", "x"), @"'x'::bpchar");
    assert_snapshot!(check(&f, &s, &f.c_typmod("time", 3, "12:00:00")), @"'12:00:00'::time(3) without time zone");
    assert_snapshot!(check(&f, &s, &f.c_typmod("timestamptz", 2, "2000-01-01 00:00:00+00")), @"'2000-01-01 00:00:00+00'::timestamp(2) with time zone");
    assert_snapshot!(check(&f, &s, &f.c_typmod("interval", (0x1c08 << 16) | 3, "00:00:01")), @"'00:00:01'::interval day to second(3)");
    assert_snapshot!(check(&f, &s, &f.c_typmod("_varchar", 14, "{a}")), @"'{a}'::character varying(10)[]");
    assert_snapshot!(c("char", "A"), @r#"'A'::"char""#);
    assert_snapshot!(c("name", "n"), @"'n'::name");
    assert_snapshot!(c("date", "2000-01-31"), @"'2000-01-31'::date");
    // non-built-in types are schema-qualified
    assert_snapshot!(c("user_enum", "foo"), @"'foo'::public.user_enum");
    assert_snapshot!(c("cube", "(1)"), @"'(1)'::public.cube");
    // a NUL cannot be sent
    assert_snapshot!(c("text", "a\0b"), @"error: cannot deparse a constant containing a NUL character for postgres 15");
    // in every form: a number's, a bit string's, a boolean's
    for (ty, value) in [
        ("int4", "1\0"),
        ("numeric", "\0"),
        ("varbit", "1\0"),
        ("bool", "t\0"),
    ] {
        assert_eq!(
            c(ty, value),
            "error: cannot deparse a constant containing a NUL character for postgres 15",
            "{ty}"
        );
    }
}

#[test]
fn parameters() {
    let f = fx();
    let s = f.scan_rel("ft3");
    // Vars of other relations and Params share one numbering, by first
    // appearance; equal nodes reuse their number (spec §6.3).
    let outer_text = f.var(2, "ft4", "c3");
    let outer_int = f.var(2, "ft4", "c2");
    let cond = f.and(vec![
        f.op("<>", f.var(1, "ft3", "c3"), outer_text),
        f.op(">", f.var(1, "ft3", "c2"), outer_int.clone()),
        f.op("=", f.var(1, "ft3", "c1"), outer_int),
        f.op("=", f.var(1, "ft3", "c1"), f.param(1, "int4")),
    ]);
    assert_snapshot!(check(&f, &s, &cond), @r#"
((c3 <> $1::text) AND (c2 > $2::integer) AND (c1 = $2::integer) AND (c1 = $3::integer))
$1 = Var 2.3
$2 = Var 2.2
$3 = Param Extern 1
"#);
    // a Var of the scanned relation one query level up is a parameter too
    let Expr::Var(mut up) = f.var(1, "ft3", "c1") else {
        unreachable!()
    };
    up.varlevelsup = 1;
    assert_snapshot!(check(&f, &s, &Expr::Var(up)), @r#"
$1::integer
$1 = Var 1.1
"#);
    // EXPLAIN-only statements print typed placeholders
    let cond = f.op("=", f.param(1, "int4"), f.var(1, "ft3", "c1"));
    let sql = deparse_expr(
        f.catalog,
        &f.dialect,
        &s,
        &cond,
        &mut ParamSink::Placeholders,
    )
    .unwrap();
    assert_snapshot!(sql, @"(((SELECT null::integer)::integer) = c1)");
}

#[test]
fn functions_and_casts() {
    let f = fx();
    let s = f.scan_rel("ft3");
    let c3 = f.var(1, "ft3", "c3");
    let c1 = f.var(1, "ft3", "c1");
    // implicit cast: only the argument
    assert_snapshot!(check(&f, &s, &f.func_form("numeric", vec![c1.clone()], CoercionForm::ImplicitCast)), @"c1");
    // explicit cast: argument::type
    assert_snapshot!(check(&f, &s, &f.func_form("int8", vec![c1.clone()], CoercionForm::ExplicitCast)), @"c1::bigint");
    // explicit call, keyword-named SQL-syntax function quoted
    assert_snapshot!(check(&f, &s, &f.func("lower", vec![c3.clone()])), @"lower(c3)");
    assert_snapshot!(check(&f, &s, &f.func_form("substring", vec![c3.clone(), f.c("int4", "1"), f.c("int4", "2")], CoercionForm::SqlSyntax)), @r#""substring"(c3, 1, 2)"#);
    // a function outside pg_catalog is qualified
    let cb = f.var(1, "misc_ext", "cb");
    assert_snapshot!(check(&f, &f.scan_rel("misc_ext"), &f.func("cube_dim", vec![cb])), @"public.cube_dim(cb)");
}

#[test]
fn operators() {
    let f = fx();
    let s = f.scan_rel("ft3");
    let c3 = f.var(1, "ft3", "c3");
    let c1 = f.var(1, "ft3", "c1");
    // prefix operator
    assert_snapshot!(check(&f, &s, &f.prefix("-", c1.clone())), @"(- c1)");
    // cast suppression on either side, NULL included; numbers keep labels
    assert_snapshot!(check(&f, &s, &f.op("=", c3.clone(), f.c("text", "x"))), @"(c3 = 'x')");
    assert_snapshot!(check(&f, &s, &f.op("=", f.c("text", "x"), c3.clone())), @"('x' = c3)");
    assert_snapshot!(check(&f, &s, &f.op("=", c3.clone(), f.null("text"))), @"(c3 = NULL)");
    assert_snapshot!(check(&f, &s, &f.op("=", f.var(1, "ft3", "c2"), f.c("int4", "-3"))), @"(c2 = (-3))");
    // PostgreSQL 14 labels every constant
    let f14 = fx_for(14);
    assert_snapshot!(check(&f14, &s, &f14.op("=", c3.clone(), f14.c("text", "x"))), @"(c3 = 'x'::text)");
    // no suppression between two constants or next to a non-Var
    assert_snapshot!(check(&f, &s, &f.op("=", f.func("lower", vec![c3.clone()]), f.c("text", "x"))), @"(lower(c3) = 'x'::text)");
    // IS DISTINCT FROM never suppresses
    assert_snapshot!(check(&f, &s, &f.not(f.distinct(c3.clone(), f.c("text", "x")))), @"(NOT (c3 IS DISTINCT FROM 'x'::text))");
    // = ANY / <> ALL
    assert_snapshot!(check(&f, &s, &f.saop("=", true, c1.clone(), f.c("_int4", "{1,2}"))), @"(c1 = ANY ('{1,2}'::integer[]))");
    assert_snapshot!(check(&f, &s, &f.saop("<>", false, c1.clone(), f.array("int4", vec![f.c("int4", "1"), c1.clone()]))), @"(c1 <> ALL (ARRAY[1, c1]))");
    // operators outside pg_catalog: OPERATOR(schema.op)
    let ext = f.scan_rel("misc_ext");
    let cb = f.var(1, "misc_ext", "cb");
    assert_snapshot!(check(&f, &ext, &f.op("@>", cb.clone(), cb)), @"(cb OPERATOR(public.@>) cb)");
}

#[test]
fn relabel_bool_null_test() {
    let f = fx();
    let s = ft1(&f);
    let c6 = f.var(1, "ft1", "c6");
    // implicit relabel prints nothing, explicit one its type with typmod
    assert_snapshot!(check(&f, &s, &f.relabel(c6.clone(), "text", -1, CoercionForm::ImplicitCast)), @"c6");
    assert_snapshot!(check(&f, &s, &f.relabel(c6.clone(), "varchar", 8, CoercionForm::ExplicitCast)), @"c6::character varying(4)");
    // AND / OR / NOT nest with their own parentheses
    let a = f.op("=", f.var(1, "ft1", "c1"), f.c("int4", "1"));
    let b = f.null_test(f.var(1, "ft1", "c2"), false);
    assert_snapshot!(check(&f, &s, &f.not(f.or(vec![a.clone(), f.and(vec![a, b])]))), @r#"(NOT (("C 1" = 1) OR (("C 1" = 1) AND (c2 IS NOT NULL))))"#);
    // a scalar null test of a row value
    assert_snapshot!(check(&f, &f.scan_rel("ft3"), &f.null_test(f.whole_row(1, "ft3"), true)), @"(ROW(c1, c2, c3) IS NOT DISTINCT FROM NULL)");
}

#[test]
fn subscripts_arrays_case() {
    let f = fx();
    let s = misc(&f);
    let arr = f.var(1, "misc", "arr");
    let int = |v: &str| f.c("int4", v);
    // a slice, and one with an omitted lower bound
    let slice = |lower: Option<Expr>| {
        let Expr::SubscriptingRef(sref) = f.subscript(arr.clone(), int("2")) else {
            unreachable!()
        };
        Expr::SubscriptingRef(Box::new(SubscriptingRef {
            refrestype: sref.refcontainertype,
            reflowerindexpr: vec![lower],
            ..*sref
        }))
    };
    assert_snapshot!(check(&f, &s, &slice(Some(int("1")))), @"(arr[1:2])");
    assert_snapshot!(check(&f, &s, &slice(None)), @"(arr[:2])");
    // empty ARRAY[] gets its type
    assert_snapshot!(check(&f, &s, &f.array("int4", vec![])), @"ARRAY[]::integer[]");
    // CASE with and without argument
    let searched = f.case(
        "int4",
        None,
        vec![(f.op(">", f.var(1, "misc", "id"), int("5")), int("1"))],
        Some(int("0")),
    );
    assert_snapshot!(check(&f, &s, &searched), @"(CASE WHEN (id > 5) THEN 1 ELSE 0 END)");
    let tarr1 = f.subscript(f.var(1, "misc", "tarr"), int("1"));
    let simple = f.case(
        "bool",
        Some(tarr1),
        vec![(
            f.op("=", f.case_test("text"), f.c("text", "a1")),
            f.c("bool", "t"),
        )],
        Some(f.c("bool", "f")),
    );
    assert_snapshot!(check(&f, &s, &simple), @"(CASE (tarr[1]) WHEN 'a1'::text THEN true ELSE false END)");
    // CASE cannot be printed for PostgreSQL 14
    assert_snapshot!(check(&fx_for(14), &s, &searched), @"error: cannot deparse CASE for postgres 14");
    // a node kind with no remote form
    let coalesce = Expr::CoalesceExpr(Box::new(fdw_core::expr::CoalesceExpr {
        coalescetype: f.ty("int4"),
        coalescecollid: Oid::INVALID,
        args: list(vec![f.var(1, "misc", "id"), int("5")]),
    }));
    assert_snapshot!(check(&f, &s, &coalesce), @"error: cannot deparse CoalesceExpr for postgres 15");
}

/// An aggregate over `args` (target entries numbered from 1).
fn agg(
    f: &Fx,
    name: &str,
    declared: &[&str],
    direct: Vec<Expr>,
    args: Vec<Expr>,
    kind: AggKind,
) -> Aggref {
    let types: Vec<Oid> = direct.iter().chain(&args).map(Expr::type_oid).collect();
    let declared: Vec<Oid> = declared.iter().map(|t| f.ty(t)).collect();
    let oid = f.catalog.resolve_function(None, name, &declared).unwrap();
    let info = f.catalog.proc_info(oid).unwrap();
    Aggref {
        aggfnoid: oid,
        aggtype: info.return_type,
        aggcollid: Oid::INVALID,
        inputcollid: Fx::input_coll(&args),
        aggtranstype: Oid::INVALID,
        aggargtypes: types,
        aggdirectargs: list(direct),
        args: args
            .into_iter()
            .enumerate()
            .map(|(i, expr)| TargetEntry {
                expr,
                resno: AttrNumber(i as i16 + 1),
                resname: None,
                ressortgroupref: 0,
                resjunk: false,
            })
            .collect(),
        aggorder: Vec::new(),
        aggdistinct: Vec::new(),
        aggfilter: None,
        aggstar: false,
        aggvariadic: false,
        aggkind: kind,
        agglevelsup: 0,
        aggsplit: AggSplit::Simple,
        aggno: None,
        aggtransno: None,
    }
}

fn sort_by(f: &Fx, agg: &mut Aggref, arg: usize, op: &str, nulls_first: bool) {
    let t = agg.args[arg].expr.type_oid();
    agg.args[arg].ressortgroupref = arg as u32 + 1;
    agg.aggorder.push(SortGroupClause {
        tle_sort_group_ref: arg as u32 + 1,
        eqop: Oid::INVALID,
        sortop: f.catalog.resolve_operator(None, op, t, t).unwrap(),
        nulls_first,
        hashable: false,
    });
}

#[test]
fn aggregates() {
    let f = fx();
    let s = ft1(&f);
    let c1 = || f.var(1, "ft1", "c1");
    // count(*)
    let mut count = agg(&f, "count", &[], vec![], vec![], AggKind::Normal);
    count.aggstar = true;
    assert_snapshot!(check(&f, &s, &Expr::Aggref(Box::new(count))), @"count(*)");
    // FILTER (WHERE ...)
    let mut sum = agg(&f, "sum", &["int4"], vec![], vec![c1()], AggKind::Normal);
    sum.aggfilter = Some(f.op("<", c1(), f.c("int4", "100")));
    assert_snapshot!(check(&f, &s, &Expr::Aggref(Box::new(sum))), @r#"sum("C 1") FILTER (WHERE ("C 1" < 100))"#);
    // DISTINCT with ORDER BY DESC NULLS FIRST
    let mut array_agg = agg(
        &f,
        "array_agg",
        &["anynonarray"],
        vec![],
        vec![c1()],
        AggKind::Normal,
    );
    sort_by(&f, &mut array_agg, 0, ">", true);
    array_agg.aggdistinct = array_agg.aggorder.clone();
    assert_snapshot!(check(&f, &s, &Expr::Aggref(Box::new(array_agg))), @r#"array_agg(DISTINCT "C 1" ORDER BY "C 1" DESC NULLS FIRST)"#);
    // a constant argument keeps its label; ORDER BY USING a non-default operator
    let c3 = f.var(1, "ft1", "c3");
    let mut string_agg = agg(
        &f,
        "string_agg",
        &["text", "text"],
        vec![],
        vec![c3.clone(), f.c("text", ",")],
        AggKind::Normal,
    );
    string_agg.args[1].ressortgroupref = 0;
    string_agg.args.push(TargetEntry {
        expr: c3,
        resno: AttrNumber(3),
        resname: None,
        ressortgroupref: 0,
        resjunk: true,
    });
    sort_by(&f, &mut string_agg, 2, "~<~", false);
    assert_snapshot!(check(&f, &s, &Expr::Aggref(Box::new(string_agg))), @"string_agg(c3, ','::text ORDER BY c3 USING ~<~ NULLS LAST)");
    // ordered-set aggregate: WITHIN GROUP, parenthesized non-Var sort key
    let mut pct = agg(
        &f,
        "percentile_disc",
        &["float8", "anyelement"],
        vec![f.c("float8", "0.25")],
        vec![f.c("int4", "1")],
        AggKind::OrderedSet,
    );
    pct.args[0].expr = f.func_form(
        "float8",
        vec![f.var(1, "ft1", "c2")],
        CoercionForm::ImplicitCast,
    );
    sort_by(&f, &mut pct, 0, "<", false);
    assert_snapshot!(check(&f, &s, &Expr::Aggref(Box::new(pct))), @"percentile_disc(0.25::double precision) WITHIN GROUP (ORDER BY (c2) ASC NULLS LAST)");
}

#[test]
fn base_rel_statements() {
    let f = fx();
    let table = f.table("ft3");
    // parameters numbered by first appearance across conditions (spec §6.3)
    let outer_int = f.var(2, "ft4", "c2");
    let mut scan = BaseRelScan::new(RelIndex(1), table, f.attrs("ft3", &["c1"]));
    scan.remote_conds = vec![
        Arc::new(f.op("<>", f.var(1, "ft3", "c3"), f.var(2, "ft4", "c3"))),
        Arc::new(f.op(">", f.var(1, "ft3", "c2"), outer_int.clone())),
        Arc::new(f.op("=", f.var(1, "ft3", "c1"), outer_int)),
    ];
    // columns used by local conditions are fetched too
    scan.local_conds = vec![Arc::new(f.op(
        "=",
        f.var(1, "ft3", "c3"),
        f.func("timeofday", vec![]),
    ))];
    let q = deparse_select_for_base_rel(f.catalog, &f.dialect, &scan).unwrap();
    assert_snapshot!(q.sql, @r#"SELECT c1, c3 FROM "S 1"."T 3" WHERE ((c3 <> $1::text)) AND ((c2 > $2::integer)) AND ((c1 = $2::integer))"#);
    assert_eq!(q.params, [f.var(2, "ft4", "c3"), f.var(2, "ft4", "c2")]);
    assert_eq!(q.retrieved_attrs, [AttrNumber(1), AttrNumber(3)]);
    // the EXPLAIN-only form
    scan.params = ParamMode::Placeholders;
    scan.local_conds.clear();
    scan.remote_conds = vec![Arc::new(f.op(
        "=",
        f.var(2, "ft4", "c1"),
        f.var(1, "ft3", "c1"),
    ))];
    let q = deparse_select_for_base_rel(f.catalog, &f.dialect, &scan).unwrap();
    assert_snapshot!(q.sql, @r#"SELECT c1 FROM "S 1"."T 3" WHERE ((((SELECT null::integer)::integer) = c1))"#);
    assert!(q.params.is_empty());
}

#[test]
fn dropped_columns_are_skipped() {
    let mut catalog = fdw_catalog::Catalog::new(15).unwrap();
    fdw_catalog::ddl::load(
        &mut catalog,
        "CREATE EXTENSION postgres_fdw;
         CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw;
         CREATE FOREIGN TABLE t (a int, b int, \"C\" int OPTIONS (column_name 'cc')) SERVER s;
         ALTER FOREIGN TABLE t DROP COLUMN b;",
    )
    .unwrap();
    let table = catalog.resolve_relation(None, "t").unwrap().oid;
    let dialect = fdw_deparse::PostgresDialect::new(15).unwrap();
    let scan = BaseRelScan::new(RelIndex(3), table, fdw_deparse::AttrsUsed::whole_row());
    let q = deparse_select_for_base_rel(&catalog, &dialect, &scan).unwrap();
    assert_snapshot!(q.sql, @"SELECT a, cc FROM public.t");
    assert_eq!(q.retrieved_attrs, [AttrNumber(1), AttrNumber(3)]);
    // a whole-row reference in an expression lists the same columns
    let whole = Expr::Var(Var::new(
        RelIndex(3),
        AttrNumber(0),
        Oid(2249),
        -1,
        Oid::INVALID,
    ));
    let s = ScanRel::base(RelIndex(3), table);
    let sql = deparse_expr(&catalog, &dialect, &s, &whole, &mut ParamSink::Placeholders).unwrap();
    assert_snapshot!(sql, @"ROW(a, cc)");
    // a column after the dropped one is named by its option, the dropped
    // one not at all
    let column = |attnum: i16| {
        Expr::Var(Var::new(
            RelIndex(3),
            AttrNumber(attnum),
            Oid(23),
            -1,
            Oid::INVALID,
        ))
    };
    let sql = deparse_expr(
        &catalog,
        &dialect,
        &s,
        &column(3),
        &mut ParamSink::Placeholders,
    )
    .unwrap();
    assert_eq!(sql, "cc");
    assert!(deparse_expr(
        &catalog,
        &dialect,
        &s,
        &column(2),
        &mut ParamSink::Placeholders
    )
    .is_err());
    // a MULTIEXPR parameter still prints (the walker keeps it local)
    let p = Expr::Param(fdw_core::expr::Param {
        paramkind: ParamKind::Multiexpr,
        paramid: 1,
        paramtype: Oid(23),
        paramtypmod: -1,
        paramcollid: Oid::INVALID,
    });
    let sql = deparse_expr(&catalog, &dialect, &s, &p, &mut ParamSink::Placeholders).unwrap();
    assert_snapshot!(sql, @"((SELECT null::integer)::integer)");
}
