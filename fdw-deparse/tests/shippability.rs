//! Snapshots of `is_foreign_expr` for every rule of spec §1: the verdict
//! and, for a refusal, the reason as data and as text.

use fdw_core::expr::{
    AggKind, AggSplit, Aggref, BoolTestType, BooleanTest, Const, Param, ParamKind,
    SqlValueFunction, SqlValueFunctionOp, SubscriptingRef, Var,
};
use fdw_core::query::TargetEntry;
use fdw_core::{AttrNumber, Expr, Oid, RelIndex};
use fdw_deparse::{is_foreign_expr, is_foreign_param, ForeignRel, ForeignRelKind, Shippability};
use insta::assert_snapshot;

use crate::support::{fx, fx_for, list, Fx};

/// The verdict on `expr` for a `kind` relation scanning `table` at index 1.
fn check_kind(f: &Fx, table: &str, kind: ForeignRelKind, expr: &Expr) -> String {
    let scan = f.scan_rel(table);
    let mut rel = ForeignRel::base(f.catalog, &f.dialect, &scan).unwrap();
    rel.kind = kind;
    match is_foreign_expr(&rel, expr) {
        Ok(Shippability::Shippable) => "shippable".to_string(),
        Ok(Shippability::NotShippable(refusal)) => {
            let reason = format!("{:?}", refusal.reason);
            // Oids of user and extension objects are not stable across schema edits.
            let reason = reason.split(" {").next().unwrap_or_default().to_string();
            format!("local ({reason}): {refusal}")
        }
        Err(err) => format!("error: {err}"),
    }
}

fn check(f: &Fx, table: &str, expr: &Expr) -> String {
    check_kind(f, table, ForeignRelKind::Base, expr)
}

#[test]
fn object_shippability() {
    let f = fx();
    let int = |v: &str| f.c("int4", v);
    // built-in operator and function
    assert_snapshot!(check(&f, "ft3", &f.op(">", f.func("abs", vec![f.var(1, "ft3", "c2")]), int("1"))), @"shippable");
    // extension objects ship only when the server lists the extension
    let cube_eq = |t: &str| f.op("=", f.var(1, t, "cb"), f.c("cube", "(1)"));
    assert_snapshot!(check(&f, "misc_ext", &cube_eq("misc_ext")), @"shippable");
    assert_snapshot!(check(&f, "misc", &cube_eq("misc")), @"local (NotBuiltinOrListedExtension): operator =(cube, cube) is not built in and not a member of an extension listed in the server's extensions option");
    assert_snapshot!(check(&f, "misc", &f.op("=", f.func("cube_dim", vec![f.var(1, "misc", "cb")]), int("1"))), @"local (NotBuiltinOrListedExtension): function cube_dim(cube) is not built in and not a member of an extension listed in the server's extensions option");
    // a user enum is not built in (the Var's type fails first)
    let enum_eq = f.op_declared(
        "=",
        "anyenum",
        "anyenum",
        vec![f.var(1, "ft1", "c8"), f.c("user_enum", "foo")],
        f.ty("bool"),
    );
    assert_snapshot!(check(&f, "ft1", &enum_eq), @"local (NotBuiltinOrListedExtension): type user_enum is not built in and not a member of an extension listed in the server's extensions option");
}

#[test]
fn immutability() {
    let f = fx();
    // stable and volatile functions, a stable operator (timestamp vs timestamptz)
    assert_snapshot!(check(&f, "ft1", &f.op("=", f.var(1, "ft1", "c4"), f.func("now", vec![]))), @"local (NotImmutable): function now() is stable, not immutable");
    assert_snapshot!(check(&f, "misc", &f.op("<", f.func("random", vec![]), f.var(1, "misc", "f8"))), @"local (NotImmutable): function random() is volatile, not immutable");
    assert_snapshot!(check(&f, "ft1", &f.op("<", f.var(1, "ft1", "c5"), f.var(1, "ft1", "c4"))), @"local (NotImmutable): operator <(timestamp without time zone, timestamp with time zone) is stable, not immutable");
    // SQL value functions are stable
    let current_date = Expr::SqlValueFunction(SqlValueFunction {
        op: SqlValueFunctionOp::CurrentDate,
        type_oid: f.ty("date"),
        typmod: -1,
        collation: Oid::INVALID,
    });
    assert_snapshot!(check(&f, "misc", &f.op("=", f.var(1, "misc", "d"), current_date)), @"local (NotImmutable): SQLValueFunction is stable, not immutable");
    // a structural refusal is reported before mutability
    let test = Expr::BooleanTest(Box::new(BooleanTest {
        arg: f.op("<", f.func("random", vec![]), f.c("float8", "0.5")),
        booltesttype: BoolTestType::IsTrue,
    }));
    assert_snapshot!(check(&f, "misc", &test), @"local (NodeKind): BooleanTest is never shipped");
}

#[test]
fn collations() {
    let f = fx();
    let c3 = || f.var(1, "ft3", "c3");
    let text = |v: &str| f.c("text", v);
    // a foreign column supplies the collation
    assert_snapshot!(check(&f, "ft3", &f.op("=", f.func("lower", vec![c3()]), text("a"))), @"shippable");
    assert_snapshot!(check(&f, "ft3", &f.func("btrim", vec![c3(), text("A")])), @"shippable");
    // only constants: the default collation is not traceable to a column
    assert_snapshot!(check(&f, "misc", &f.op("=", f.func("repeat", vec![text("a"), f.var(1, "misc", "id")]), text("aa"))), @r#"local (UnsafeInputCollation): function repeat(text, integer) (collation "default") uses collation 100, which does not come from a foreign column"#);
    // name carries "C" (V48)
    let name_eq = f.op(
        "=",
        f.func_form(
            "name",
            vec![c3()],
            fdw_core::expr::CoercionForm::ExplicitCast,
        ),
        f.c("name", "AAA"),
    );
    assert_snapshot!(check(&f, "ft3", &name_eq), @r#"local (UnsafeInputCollation): operator =(name, name) (collation "C") uses collation 950, which does not come from a foreign column"#);
    // casting to name keeps the column's collation
    assert_snapshot!(check(&f, "ft3", &f.func_form("name", vec![c3()], fdw_core::expr::CoercionForm::ExplicitCast)), @"shippable");
    // a top-level value whose collation does not come from a column
    assert_snapshot!(check(&f, "ft3", &Const::new(f.ty("text"), Oid::C_COLLATION, "x").into()), @r#"local (UnsafeResultCollation): expression with collation "C" has collation 950, which does not come from a foreign column"#);
    // explicit COLLATE folded into a constant (V55)
    let Expr::OpExpr(mut op) = f.op("=", c3(), text("x")) else {
        unreachable!()
    };
    op.args[1] = Const::new(f.ty("text"), Oid::C_COLLATION, "Ab").into();
    op.inputcollid = Oid::C_COLLATION;
    assert_snapshot!(check(&f, "ft3", &Expr::OpExpr(op)), @r#"local (UnsafeInputCollation): operator =(text, text) (collation "C") uses collation 950, which does not come from a foreign column"#);
    // two different non-default column collations conflict
    let posix = f
        .catalog
        .builtin()
        .collation_by_name(fdw_catalog::builtin::PG_CATALOG_NAMESPACE, "POSIX")
        .unwrap()
        .oid;
    let col = |attno: i16, coll: Oid| {
        Expr::Var(Var::new(
            RelIndex(1),
            AttrNumber(attno),
            f.ty("text"),
            -1,
            coll,
        ))
    };
    let mut conflict = f.array("text", vec![col(3, Oid::C_COLLATION), col(3, posix)]);
    if let Expr::ArrayExpr(array) = &mut conflict {
        array.array_collid = Oid::C_COLLATION;
    }
    assert_snapshot!(check(&f, "ft3", &conflict), @r#"local (UnsafeResultCollation): expression with collation "C" has collation 950, which does not come from a foreign column"#);
    // a non-default column collation beats the default one
    let mut mixed = f.array("text", vec![c3(), col(3, Oid::C_COLLATION)]);
    if let Expr::ArrayExpr(array) = &mut mixed {
        array.array_collid = Oid::C_COLLATION;
    }
    assert_snapshot!(check(&f, "ft3", &mixed), @"shippable");
    // another relation's column with a non-default collation is unsafe
    let other = Expr::Var(Var::new(
        RelIndex(2),
        AttrNumber(3),
        f.ty("text"),
        -1,
        Oid::C_COLLATION,
    ));
    let Expr::OpExpr(mut op) = f.op("=", c3(), text("x")) else {
        unreachable!()
    };
    op.args[1] = other;
    op.inputcollid = Oid::C_COLLATION;
    assert_snapshot!(check(&f, "ft3", &Expr::OpExpr(op)), @r#"local (UnsafeInputCollation): operator =(text, text) (collation "C") uses collation 950, which does not come from a foreign column"#);
}

#[test]
fn columns_and_params() {
    let f = fx();
    let int = |v: &str| f.c("int4", v);
    // ctid ships; other system columns do not
    assert_snapshot!(check(&f, "ft1", &f.op("=", f.sys(1, -1, "tid"), f.c("tid", "(0,2)"))), @"shippable");
    assert_snapshot!(check(&f, "ft1", &f.op("=", f.sys(1, -6, "oid"), f.c("oid", "1"))), @"local (SystemColumn): tableoid of relation 1 is a system column other than ctid");
    // a whole-row reference has the table's row type
    assert_snapshot!(check(&f, "ft3", &f.null_test(f.whole_row(1, "ft3"), false)), @"local (WholeRowReference): whole-row reference to relation 1 has the local table's row type");
    // external and executor parameters ship, MULTIEXPR ones do not
    assert_snapshot!(check(&f, "ft3", &f.op("=", f.var(1, "ft3", "c1"), f.param(1, "int4"))), @"shippable");
    let multiexpr = Expr::Param(Param {
        paramkind: ParamKind::Multiexpr,
        paramid: 65_537,
        paramtype: f.ty("int4"),
        paramtypmod: -1,
        paramcollid: Oid::INVALID,
    });
    assert_snapshot!(check(&f, "ft3", &f.op("=", f.var(1, "ft3", "c1"), multiexpr)), @"local (ParamKind): parameter 65537 is a parameter of kind Multiexpr");
    // a column of another relation becomes a parameter
    assert_snapshot!(check(&f, "ft3", &f.op("=", f.var(1, "ft3", "c1"), f.var(2, "ft4", "c1"))), @"shippable");
    // node kinds never shipped
    let coalesce = Expr::CoalesceExpr(Box::new(fdw_core::expr::CoalesceExpr {
        coalescetype: f.ty("int4"),
        coalescecollid: Oid::INVALID,
        args: list(vec![f.var(1, "ft3", "c1"), int("5")]),
    }));
    assert_snapshot!(check(&f, "ft3", &f.op("=", coalesce, int("5"))), @"local (NodeKind): CoalesceExpr is never shipped");
    // subscripted assignment
    let Expr::SubscriptingRef(sref) = f.subscript(f.var(1, "misc", "arr"), int("1")) else {
        unreachable!()
    };
    let assign = Expr::SubscriptingRef(Box::new(SubscriptingRef {
        refassgnexpr: Some(int("7")),
        ..*sref
    }));
    assert_snapshot!(check(&f, "misc", &assign), @"local (SubscriptAssignment): SubscriptingRef assigns through a subscript");
}

#[test]
fn case_expressions() {
    let f = fx();
    let id = || f.var(1, "misc", "id");
    let int = |v: &str| f.c("int4", v);
    let searched = f.op(
        "=",
        f.case(
            "int4",
            None,
            vec![(f.op(">", id(), int("5")), int("1"))],
            Some(int("0")),
        ),
        int("1"),
    );
    assert_snapshot!(check(&f, "misc", &searched), @"shippable");
    // CASE ships from PostgreSQL 15 only
    assert_snapshot!(check(&fx_for(14), "misc", &searched), @"local (NotInDialect): CASE is not supported by the remote version");
    // a text CASE whose results are constants has no column collation (V51)
    let texty = f.op(
        "=",
        f.case(
            "text",
            Some(id()),
            vec![(f.op("=", f.case_test("int4"), int("5")), f.c("text", "a"))],
            Some(f.null("text")),
        ),
        f.c("text", "a"),
    );
    assert_snapshot!(check(&f, "misc", &texty), @r#"local (UnsafeInputCollation): operator =(text, text) (collation "default") uses collation 100, which does not come from a foreign column"#);
    // the placeholder outside a CASE, and a WHEN that is not an equality
    assert_snapshot!(check(&f, "misc", &f.case_test("int4")), @"local (CaseTestOutsideCase): CaseTestExpr appears outside a CASE");
    let odd = f.case(
        "int4",
        Some(id()),
        vec![(f.op(">", f.case_test("int4"), int("5")), int("1"))],
        None,
    );
    let Expr::CaseExpr(mut odd) = odd else {
        unreachable!()
    };
    odd.args[0].expr = f.not(f.case_test("bool"));
    assert_snapshot!(check(&f, "misc", &Expr::CaseExpr(odd)), @"local (CaseArmNotEquality): CASE has a WHEN that is not an equality");
}

fn sum_of(f: &Fx, arg: Expr) -> Aggref {
    let oid = f
        .catalog
        .resolve_function(None, "sum", &[f.ty("int4")])
        .unwrap();
    Aggref {
        aggfnoid: oid,
        aggtype: f.ty("int8"),
        aggcollid: Oid::INVALID,
        inputcollid: Oid::INVALID,
        aggtranstype: Oid::INVALID,
        aggargtypes: vec![f.ty("int4")],
        aggdirectargs: list(vec![]),
        args: vec![TargetEntry {
            expr: arg,
            resno: AttrNumber(1),
            resname: None,
            ressortgroupref: 0,
            resjunk: false,
        }],
        aggorder: Vec::new(),
        aggdistinct: Vec::new(),
        aggfilter: None,
        aggstar: false,
        aggvariadic: false,
        aggkind: AggKind::Normal,
        agglevelsup: 0,
        aggsplit: AggSplit::Simple,
        aggno: None,
        aggtransno: None,
    }
}

#[test]
fn aggregates() {
    let f = fx();
    let sum = sum_of(&f, f.var(1, "ft1", "c1"));
    // only in a grouping relation, and only unsplit
    assert_snapshot!(check_kind(&f, "ft1", ForeignRelKind::Upper, &Expr::Aggref(Box::new(sum.clone()))), @"shippable");
    assert_snapshot!(check(&f, "ft1", &Expr::Aggref(Box::new(sum.clone()))), @"local (AggregateOutsideGrouping): function sum(integer) is an aggregate outside a grouping relation");
    let split = Aggref {
        aggsplit: AggSplit::InitialSerial,
        ..sum.clone()
    };
    assert_snapshot!(check_kind(&f, "ft1", ForeignRelKind::Upper, &Expr::Aggref(Box::new(split))), @"local (SplitAggregate): function sum(integer) is a split aggregate");
    // the filter is walked too
    let filtered = Aggref {
        aggfilter: Some(f.op("<", f.var(1, "ft1", "c4"), f.func("now", vec![]))),
        ..sum
    };
    assert_snapshot!(check_kind(&f, "ft1", ForeignRelKind::Upper, &Expr::Aggref(Box::new(filtered))), @"local (NotImmutable): function now() is stable, not immutable");
}

#[test]
fn reg_constants_by_version() {
    // 15 ships any reg* constant; 16 only when the named object ships.
    let regclass = |f: &Fx, v: &str| {
        f.op(
            "=",
            f.var(1, "misc", "o"),
            f.relabel(
                f.c("regclass", v),
                "oid",
                -1,
                fdw_core::expr::CoercionForm::ImplicitCast,
            ),
        )
    };
    let (f15, f16) = (fx(), fx_for(16));
    assert_snapshot!(check(&f15, "misc", &regclass(&f15, "ft1")), @"shippable");
    assert_snapshot!(check(&f16, "misc", &regclass(&f16, "ft1")), @"local (RegConstant): constant 'ft1'::regclass names an object that is not shippable");
    // the catalog does not know built-in relations by name: kept local,
    // the safe answer; by number it is recognised as built in
    assert_snapshot!(check(&f16, "misc", &regclass(&f16, "pg_class")), @"local (RegConstant): constant 'pg_class'::regclass names an object that is not shippable");
    assert_snapshot!(check(&f16, "misc", &regclass(&f16, "1259")), @"shippable");
    assert_snapshot!(check(&f16, "misc", &regclass(&f16, "no_such_table")), @"local (RegConstant): constant 'no_such_table'::regclass names an object that is not shippable");
}

#[test]
fn foreign_params() {
    let f = fx();
    let scan = f.scan_rel("ft3");
    let rel = ForeignRel::base(f.catalog, &f.dialect, &scan).unwrap();
    let Expr::Var(mut up) = f.var(1, "ft3", "c1") else {
        unreachable!()
    };
    up.varlevelsup = 1;
    let cases = [
        ("own column", f.var(1, "ft3", "c1"), false),
        ("other relation", f.var(2, "ft4", "c1"), true),
        ("outer query level", Expr::Var(up), true),
        ("param", f.param(1, "int4"), true),
        ("constant", f.c("int4", "1"), false),
        (
            "operator over a param",
            f.op("+", f.param(1, "int4"), f.c("int4", "1")),
            false,
        ),
    ];
    let got: Vec<(&str, bool)> = cases
        .iter()
        .map(|(name, e, _)| (*name, is_foreign_param(&rel, e)))
        .collect();
    let want: Vec<(&str, bool)> = cases.iter().map(|(name, _, w)| (*name, *w)).collect();
    assert_eq!(got, want);
}

#[test]
fn classify_keeps_order() {
    let f = fx();
    let c = |col: &str, v: &str| f.op("=", f.var(1, "ft1", col), f.c("int4", v));
    let now = f.op("=", f.var(1, "ft1", "c4"), f.func("now", vec![]));
    let tableoid = f.op("=", f.sys(1, -6, "oid"), f.c("oid", "1"));
    let conds = vec![
        c("c1", "1"),
        now.clone(),
        c("c2", "2"),
        tableoid.clone(),
        c("c1", "3"),
    ];
    let (remote, local) = f.classify("ft1", &conds);
    assert_eq!(remote, [c("c1", "1"), c("c2", "2"), c("c1", "3")]);
    assert_eq!(local, [now, tableoid]);
}
