//! Small builders shared by the unit tests of the expression modules.
//!
//! The oids are PostgreSQL's built-in ones, spelled out here because the
//! core crate deliberately has no catalog.

use smallvec::smallvec;

use super::*;
use crate::query::Query;

pub(crate) const INT4: Oid = Oid(23);
pub(crate) const INT8: Oid = Oid(20);
pub(crate) const TEXT: Oid = Oid(25);
pub(crate) const NAME: Oid = Oid(19);
pub(crate) const NUMERIC: Oid = Oid(1700);
pub(crate) const VARCHAR: Oid = Oid(1043);
pub(crate) const BPCHAR: Oid = Oid(1042);
pub(crate) const INT4_ARRAY: Oid = Oid(1007);
pub(crate) const TEXT_ARRAY: Oid = Oid(1009);
pub(crate) const VARCHAR_ARRAY: Oid = Oid(1015);
pub(crate) const XML: Oid = Oid(142);
pub(crate) const JSONB: Oid = Oid(3802);
pub(crate) const DATE: Oid = Oid(1082);
pub(crate) const RECORD: Oid = Oid(2249);
pub(crate) const INT4_EQ: Oid = Oid(96);
pub(crate) const INT4_LT: Oid = Oid(97);
pub(crate) const TEXT_EQ: Oid = Oid(98);
pub(crate) const DEFAULT_COLL: Oid = Oid(100);
pub(crate) const C_COLL: Oid = Oid(950);
/// A user-defined type (a foreign table's row type, say).
pub(crate) const USER_ROW: Oid = Oid(16_400);

pub(crate) fn int_var(varno: u32, attno: i16) -> Expr {
    Expr::Var(Var::new(
        RelIndex(varno),
        AttrNumber(attno),
        INT4,
        -1,
        Oid::INVALID,
    ))
}

pub(crate) fn text_var(varno: u32, attno: i16) -> Expr {
    Expr::Var(Var::new(
        RelIndex(varno),
        AttrNumber(attno),
        TEXT,
        -1,
        DEFAULT_COLL,
    ))
}

pub(crate) fn int_const(value: i32) -> Expr {
    Expr::Const(Const::new(INT4, Oid::INVALID, value.to_string()))
}

pub(crate) fn text_const(value: &str) -> Expr {
    Expr::Const(Const::new(TEXT, DEFAULT_COLL, value))
}

pub(crate) fn op(opno: Oid, result: Oid, inputcollid: Oid, args: ExprList) -> Expr {
    Expr::OpExpr(Box::new(OpExpr {
        opno,
        opfuncid: Oid(65),
        opresulttype: result,
        opretset: false,
        opcollid: Oid::INVALID,
        inputcollid,
        args,
    }))
}

pub(crate) fn int_eq(left: Expr, right: Expr) -> Expr {
    op(
        INT4_EQ,
        Oid::BOOL_TYPE,
        Oid::INVALID,
        smallvec![left, right],
    )
}

pub(crate) fn and(args: ExprList) -> Expr {
    Expr::BoolExpr(Box::new(BoolExpr {
        boolop: BoolExprType::And,
        args,
    }))
}

pub(crate) fn not(arg: Expr) -> Expr {
    Expr::BoolExpr(Box::new(BoolExpr {
        boolop: BoolExprType::Not,
        args: smallvec![arg],
    }))
}

pub(crate) fn implicit_relabel(arg: Expr, resulttype: Oid, resultcollid: Oid) -> Expr {
    Expr::RelabelType(Box::new(RelabelType {
        arg,
        resulttype,
        resulttypmod: -1,
        resultcollid,
        relabelformat: CoercionForm::ImplicitCast,
    }))
}

pub(crate) fn func(
    funcid: Oid,
    result: Oid,
    format: CoercionForm,
    funccollid: Oid,
    args: ExprList,
) -> Expr {
    Expr::FuncExpr(Box::new(FuncExpr {
        funcid,
        funcresulttype: result,
        funcretset: false,
        funcvariadic: false,
        funcformat: format,
        funccollid,
        inputcollid: funccollid,
        args,
    }))
}

pub(crate) fn target(expr: Expr, resno: i16) -> TargetEntry {
    TargetEntry {
        expr,
        resno: AttrNumber(resno),
        resname: None,
        ressortgroupref: 0,
        resjunk: false,
    }
}

pub(crate) fn count_star() -> Aggref {
    Aggref {
        aggfnoid: Oid(2803),
        aggtype: INT8,
        aggcollid: Oid::INVALID,
        inputcollid: Oid::INVALID,
        aggtranstype: INT8,
        aggargtypes: Vec::new(),
        aggdirectargs: ExprList::new(),
        args: Vec::new(),
        aggorder: Vec::new(),
        aggdistinct: Vec::new(),
        aggfilter: None,
        aggstar: true,
        aggvariadic: false,
        aggkind: AggKind::Normal,
        agglevelsup: 0,
        aggsplit: AggSplit::Simple,
        aggno: None,
        aggtransno: None,
    }
}

/// The name of a node kind (see [`Expr::node_name`]).
pub(crate) fn kind_name(expr: &Expr) -> &'static str {
    expr.node_name()
}

/// Number of [`Expr`] variants.
pub(crate) const KIND_COUNT: usize = 42;

/// What `exprType`, `exprTypmod` and `exprCollation` give for a sample.
pub(crate) struct Typed {
    pub(crate) expr: Expr,
    pub(crate) type_oid: Oid,
    pub(crate) typmod: TypMod,
    pub(crate) collation: Oid,
}

fn typed(expr: Expr, type_oid: Oid, typmod: TypMod, collation: Oid) -> Typed {
    Typed {
        expr,
        type_oid,
        typmod,
        collation,
    }
}

fn sub_plan(result_type: Oid) -> SubPlan {
    SubPlan {
        sublinktype: SubLinkType::Expr,
        testexpr: None,
        param_ids: Vec::new(),
        plan_id: 1,
        plan_name: "SubPlan 1".to_owned(),
        first_col_type: result_type,
        first_col_typmod: -1,
        first_col_collation: DEFAULT_COLL,
        result_type,
        result_typmod: -1,
        result_collation: DEFAULT_COLL,
        use_hash_table: false,
        unknown_eq_false: false,
        parallel_safe: true,
        set_param: Vec::new(),
        par_param: Vec::new(),
        args: smallvec![int_var(1, 1)],
    }
}

/// One sample of every node kind, with PostgreSQL's answers for it.
pub(crate) fn one_of_each_kind() -> Vec<Typed> {
    let varchar10 = Expr::Var(Var::new(
        RelIndex(1),
        AttrNumber(6),
        VARCHAR,
        14,
        DEFAULT_COLL,
    ));
    let case_test = CaseTestExpr {
        type_id: INT4,
        type_mod: -1,
        collation: Oid::INVALID,
    };
    vec![
        typed(varchar10.clone(), VARCHAR, 14, DEFAULT_COLL),
        typed(text_const("x"), TEXT, -1, DEFAULT_COLL),
        typed(
            Expr::Param(Param {
                paramkind: ParamKind::Extern,
                paramid: 1,
                paramtype: NUMERIC,
                paramtypmod: 655_366,
                paramcollid: Oid::INVALID,
            }),
            NUMERIC,
            655_366,
            Oid::INVALID,
        ),
        typed(Expr::Aggref(Box::new(count_star())), INT8, -1, Oid::INVALID),
        typed(
            Expr::GroupingFunc(Box::new(GroupingFunc {
                args: smallvec![int_var(1, 2)],
                refs: vec![1],
                cols: vec![1],
                agglevelsup: 0,
            })),
            Oid::INT4_TYPE,
            -1,
            Oid::INVALID,
        ),
        typed(
            Expr::WindowFunc(Box::new(WindowFunc {
                winfnoid: Oid(3100),
                wintype: INT8,
                wincollid: Oid::INVALID,
                inputcollid: Oid::INVALID,
                args: ExprList::new(),
                aggfilter: None,
                winref: 1,
                winstar: false,
                winagg: false,
            })),
            INT8,
            -1,
            Oid::INVALID,
        ),
        typed(
            Expr::SubscriptingRef(Box::new(SubscriptingRef {
                refcontainertype: TEXT_ARRAY,
                refelemtype: TEXT,
                refrestype: TEXT,
                reftypmod: -1,
                refcollid: DEFAULT_COLL,
                refupperindexpr: vec![Some(int_const(1))],
                reflowerindexpr: Vec::new(),
                refexpr: Expr::Var(Var::new(
                    RelIndex(1),
                    AttrNumber(9),
                    TEXT_ARRAY,
                    -1,
                    DEFAULT_COLL,
                )),
                refassgnexpr: None,
            })),
            TEXT,
            -1,
            DEFAULT_COLL,
        ),
        // c6::character varying(3): a length-coercion cast keeps its typmod.
        typed(
            func(
                Oid(669),
                VARCHAR,
                CoercionForm::ExplicitCast,
                DEFAULT_COLL,
                smallvec![
                    varchar10.clone(),
                    int_const(7),
                    Expr::Const(Const::new(Oid::BOOL_TYPE, Oid::INVALID, "true")),
                ],
            ),
            VARCHAR,
            7,
            DEFAULT_COLL,
        ),
        typed(
            Expr::NamedArgExpr(Box::new(NamedArgExpr {
                arg: text_var(1, 3),
                name: "x".to_owned(),
                argnumber: 0,
            })),
            TEXT,
            -1,
            DEFAULT_COLL,
        ),
        typed(
            int_eq(int_var(1, 1), int_const(1)),
            Oid::BOOL_TYPE,
            -1,
            Oid::INVALID,
        ),
        typed(
            Expr::DistinctExpr(Box::new(OpExpr {
                opno: TEXT_EQ,
                opfuncid: Oid(67),
                opresulttype: Oid::BOOL_TYPE,
                opretset: false,
                opcollid: Oid::INVALID,
                inputcollid: DEFAULT_COLL,
                args: smallvec![text_var(1, 3), text_const("x")],
            })),
            Oid::BOOL_TYPE,
            -1,
            Oid::INVALID,
        ),
        // NULLIF reports its first argument's typmod.
        typed(
            Expr::NullIfExpr(Box::new(OpExpr {
                opno: Oid(1062),
                opfuncid: Oid(1070),
                opresulttype: VARCHAR,
                opretset: false,
                opcollid: DEFAULT_COLL,
                inputcollid: DEFAULT_COLL,
                args: smallvec![varchar10.clone(), text_const("x")],
            })),
            VARCHAR,
            14,
            DEFAULT_COLL,
        ),
        typed(
            Expr::ScalarArrayOpExpr(Box::new(ScalarArrayOpExpr {
                opno: INT4_EQ,
                opfuncid: Oid(65),
                hashfuncid: Oid::INVALID,
                negfuncid: Oid::INVALID,
                use_or: true,
                inputcollid: Oid::INVALID,
                args: smallvec![
                    int_var(1, 1),
                    Expr::Const(Const::new(INT4_ARRAY, Oid::INVALID, "{1,2,3}")),
                ],
            })),
            Oid::BOOL_TYPE,
            -1,
            Oid::INVALID,
        ),
        typed(
            not(int_eq(int_var(1, 1), int_const(2))),
            Oid::BOOL_TYPE,
            -1,
            Oid::INVALID,
        ),
        typed(
            Expr::SubLink(Box::new(SubLink {
                sublinktype: SubLinkType::Expr,
                sublinkid: 0,
                testexpr: None,
                oper_name: Vec::new(),
                subselect: Box::new(Query::default()),
                result_type: TEXT,
                result_typmod: -1,
                result_collation: DEFAULT_COLL,
            })),
            TEXT,
            -1,
            DEFAULT_COLL,
        ),
        typed(
            Expr::SubPlan(Box::new(sub_plan(TEXT))),
            TEXT,
            -1,
            DEFAULT_COLL,
        ),
        typed(
            Expr::AlternativeSubPlan(Box::new(AlternativeSubPlan {
                subplans: vec![sub_plan(INT8), sub_plan(TEXT)],
            })),
            INT8,
            -1,
            DEFAULT_COLL,
        ),
        typed(
            Expr::FieldSelect(Box::new(FieldSelect {
                arg: Expr::Var(Var::new(
                    RelIndex(1),
                    AttrNumber::WHOLE_ROW,
                    USER_ROW,
                    -1,
                    Oid::INVALID,
                )),
                fieldnum: AttrNumber(3),
                resulttype: TEXT,
                resulttypmod: -1,
                resultcollid: DEFAULT_COLL,
            })),
            TEXT,
            -1,
            DEFAULT_COLL,
        ),
        typed(
            Expr::FieldStore(Box::new(FieldStore {
                arg: Expr::Var(Var::new(
                    RelIndex(1),
                    AttrNumber::WHOLE_ROW,
                    USER_ROW,
                    -1,
                    Oid::INVALID,
                )),
                newvals: smallvec![int_const(5)],
                fieldnums: vec![AttrNumber(1)],
                resulttype: USER_ROW,
            })),
            USER_ROW,
            -1,
            Oid::INVALID,
        ),
        typed(
            Expr::RelabelType(Box::new(RelabelType {
                arg: varchar10.clone(),
                resulttype: TEXT,
                resulttypmod: -1,
                resultcollid: DEFAULT_COLL,
                relabelformat: CoercionForm::ExplicitCast,
            })),
            TEXT,
            -1,
            DEFAULT_COLL,
        ),
        typed(
            Expr::CoerceViaIO(Box::new(CoerceViaIO {
                arg: int_var(1, 1),
                resulttype: TEXT,
                resultcollid: DEFAULT_COLL,
                coerceformat: CoercionForm::ExplicitCast,
            })),
            TEXT,
            -1,
            DEFAULT_COLL,
        ),
        typed(
            Expr::ArrayCoerceExpr(Box::new(ArrayCoerceExpr {
                arg: Expr::Var(Var::new(
                    RelIndex(1),
                    AttrNumber(9),
                    TEXT_ARRAY,
                    -1,
                    DEFAULT_COLL,
                )),
                elemexpr: Expr::CaseTestExpr(CaseTestExpr {
                    type_id: TEXT,
                    type_mod: -1,
                    collation: DEFAULT_COLL,
                }),
                resulttype: VARCHAR_ARRAY,
                resulttypmod: 9,
                resultcollid: DEFAULT_COLL,
                coerceformat: CoercionForm::ExplicitCast,
            })),
            VARCHAR_ARRAY,
            9,
            DEFAULT_COLL,
        ),
        typed(
            Expr::ConvertRowtypeExpr(Box::new(ConvertRowtypeExpr {
                arg: Expr::Var(Var::new(
                    RelIndex(2),
                    AttrNumber::WHOLE_ROW,
                    Oid(16_500),
                    -1,
                    Oid::INVALID,
                )),
                resulttype: USER_ROW,
                convertformat: CoercionForm::ImplicitCast,
            })),
            USER_ROW,
            -1,
            Oid::INVALID,
        ),
        // COLLATE keeps the argument's type and typmod.
        typed(
            Expr::CollateExpr(Box::new(CollateExpr {
                arg: varchar10.clone(),
                coll_oid: C_COLL,
            })),
            VARCHAR,
            14,
            C_COLL,
        ),
        // Both arms agree on varchar(10), so the CASE keeps the typmod.
        typed(
            Expr::CaseExpr(Box::new(CaseExpr {
                casetype: VARCHAR,
                casecollid: DEFAULT_COLL,
                arg: None,
                args: vec![CaseWhen {
                    expr: int_eq(int_var(1, 1), int_const(1)),
                    result: varchar10.clone(),
                }],
                defresult: Some(varchar10.clone()),
            })),
            VARCHAR,
            14,
            DEFAULT_COLL,
        ),
        typed(Expr::CaseTestExpr(case_test), INT4, -1, Oid::INVALID),
        typed(
            Expr::ArrayExpr(Box::new(ArrayExpr {
                array_typeid: INT4_ARRAY,
                array_collid: Oid::INVALID,
                element_typeid: INT4,
                elements: smallvec![int_var(1, 2), int_const(1)],
                multidims: false,
            })),
            INT4_ARRAY,
            -1,
            Oid::INVALID,
        ),
        typed(
            Expr::RowExpr(Box::new(RowExpr {
                args: smallvec![int_var(1, 1), text_var(1, 3)],
                row_typeid: RECORD,
                row_format: CoercionForm::ExplicitCall,
                colnames: vec!["f1".to_owned(), "f2".to_owned()],
            })),
            RECORD,
            -1,
            Oid::INVALID,
        ),
        typed(
            Expr::RowCompareExpr(Box::new(RowCompareExpr {
                rctype: RowCompareType::Gt,
                opnos: vec![Oid(521), Oid(521)],
                opfamilies: vec![Oid(1976), Oid(1976)],
                inputcollids: vec![Oid::INVALID, Oid::INVALID],
                largs: smallvec![int_var(1, 1), int_var(1, 2)],
                rargs: smallvec![int_const(1), int_const(2)],
            })),
            Oid::BOOL_TYPE,
            -1,
            Oid::INVALID,
        ),
        // COALESCE(c6, 'x'::text) over different typmods loses the typmod.
        typed(
            Expr::CoalesceExpr(Box::new(CoalesceExpr {
                coalescetype: VARCHAR,
                coalescecollid: DEFAULT_COLL,
                args: smallvec![
                    varchar10.clone(),
                    Expr::Const(Const {
                        consttype: VARCHAR,
                        consttypmod: 5,
                        constcollid: DEFAULT_COLL,
                        value: Some("x".to_owned()),
                    }),
                ],
            })),
            VARCHAR,
            -1,
            DEFAULT_COLL,
        ),
        typed(
            Expr::MinMaxExpr(Box::new(MinMaxExpr {
                minmaxtype: VARCHAR,
                minmaxcollid: DEFAULT_COLL,
                inputcollid: DEFAULT_COLL,
                op: MinMaxOp::Greatest,
                args: smallvec![varchar10.clone(), varchar10.clone()],
            })),
            VARCHAR,
            14,
            DEFAULT_COLL,
        ),
        typed(
            Expr::SqlValueFunction(SqlValueFunction {
                op: SqlValueFunctionOp::CurrentUser,
                type_oid: NAME,
                typmod: -1,
                collation: C_COLL,
            }),
            NAME,
            -1,
            C_COLL,
        ),
        // Only XMLSERIALIZE has a collation; others report none whatever is stored.
        typed(
            Expr::XmlExpr(Box::new(XmlExpr {
                op: XmlExprOp::Element,
                name: Some("a".to_owned()),
                named_args: ExprList::new(),
                arg_names: Vec::new(),
                args: smallvec![text_var(1, 3)],
                type_oid: XML,
                typmod: -1,
                collation: DEFAULT_COLL,
            })),
            XML,
            -1,
            Oid::INVALID,
        ),
        typed(
            Expr::JsonExpr(Box::new(JsonExpr {
                kind: JsonExprKind::Constructor,
                args: smallvec![text_var(1, 3)],
                type_oid: JSONB,
                typmod: -1,
                collation: Oid::INVALID,
            })),
            JSONB,
            -1,
            Oid::INVALID,
        ),
        typed(
            Expr::NullTest(Box::new(NullTest {
                arg: text_var(1, 3),
                nulltesttype: NullTestType::IsNull,
                argisrow: false,
            })),
            Oid::BOOL_TYPE,
            -1,
            Oid::INVALID,
        ),
        typed(
            Expr::BooleanTest(Box::new(BooleanTest {
                arg: Expr::Var(Var::new(
                    RelIndex(1),
                    AttrNumber(4),
                    Oid::BOOL_TYPE,
                    -1,
                    Oid::INVALID,
                )),
                booltesttype: BoolTestType::IsNotFalse,
            })),
            Oid::BOOL_TYPE,
            -1,
            Oid::INVALID,
        ),
        typed(
            Expr::CoerceToDomain(Box::new(CoerceToDomain {
                arg: varchar10.clone(),
                resulttype: Oid(16_600),
                resulttypmod: 14,
                resultcollid: DEFAULT_COLL,
                coercionformat: CoercionForm::ImplicitCast,
            })),
            Oid(16_600),
            14,
            DEFAULT_COLL,
        ),
        typed(
            Expr::CoerceToDomainValue(CoerceToDomainValue {
                type_id: TEXT,
                type_mod: -1,
                collation: DEFAULT_COLL,
            }),
            TEXT,
            -1,
            DEFAULT_COLL,
        ),
        typed(
            Expr::SetToDefault(SetToDefault {
                type_id: BPCHAR,
                type_mod: 14,
                collation: DEFAULT_COLL,
            }),
            BPCHAR,
            14,
            DEFAULT_COLL,
        ),
        typed(
            Expr::CurrentOfExpr(CurrentOfExpr {
                cvarno: RelIndex(1),
                cursor_name: Some("c".to_owned()),
                cursor_param: 0,
            }),
            Oid::BOOL_TYPE,
            -1,
            Oid::INVALID,
        ),
        typed(
            Expr::NextValueExpr(NextValueExpr {
                seqid: Oid(16_700),
                type_id: INT8,
            }),
            INT8,
            -1,
            Oid::INVALID,
        ),
        typed(
            Expr::PlaceHolderVar(Box::new(PlaceHolderVar {
                phexpr: varchar10,
                phrels: vec![RelIndex(2)],
                phid: 1,
                phlevelsup: 0,
            })),
            VARCHAR,
            14,
            DEFAULT_COLL,
        ),
        // Keep DATE referenced: an unknown-typed sample is not needed, but a
        // date constant shows non-collatable constants report no collation.
        typed(
            Expr::Const(Const::new(DATE, Oid::INVALID, "2000-01-01")),
            DATE,
            -1,
            Oid::INVALID,
        ),
    ]
}
