//! `exprType`, `exprTypmod`, `exprCollation` and `exprInputCollation`.
//!
//! These follow PostgreSQL 15's `nodeFuncs.c` node by node, so that the
//! shippability walker's per-node type check (spec §1.4) and the deparser's
//! casts see exactly what PostgreSQL would.
#![warn(clippy::wildcard_enum_match_arm)]

use super::{CaseExpr, Expr, FuncExpr, XmlExprOp};
use crate::ids::{Oid, TypMod};

impl Expr {
    /// PostgreSQL's name of this node kind (`OpExpr`, `SQLValueFunction`,
    /// ...), for messages and renderings.
    pub fn node_name(&self) -> &'static str {
        match self {
            Expr::Var(_) => "Var",
            Expr::Const(_) => "Const",
            Expr::Param(_) => "Param",
            Expr::Aggref(_) => "Aggref",
            Expr::GroupingFunc(_) => "GroupingFunc",
            Expr::WindowFunc(_) => "WindowFunc",
            Expr::SubscriptingRef(_) => "SubscriptingRef",
            Expr::FuncExpr(_) => "FuncExpr",
            Expr::NamedArgExpr(_) => "NamedArgExpr",
            Expr::OpExpr(_) => "OpExpr",
            Expr::DistinctExpr(_) => "DistinctExpr",
            Expr::NullIfExpr(_) => "NullIfExpr",
            Expr::ScalarArrayOpExpr(_) => "ScalarArrayOpExpr",
            Expr::BoolExpr(_) => "BoolExpr",
            Expr::SubLink(_) => "SubLink",
            Expr::SubPlan(_) => "SubPlan",
            Expr::AlternativeSubPlan(_) => "AlternativeSubPlan",
            Expr::FieldSelect(_) => "FieldSelect",
            Expr::FieldStore(_) => "FieldStore",
            Expr::RelabelType(_) => "RelabelType",
            Expr::CoerceViaIO(_) => "CoerceViaIO",
            Expr::ArrayCoerceExpr(_) => "ArrayCoerceExpr",
            Expr::ConvertRowtypeExpr(_) => "ConvertRowtypeExpr",
            Expr::CollateExpr(_) => "CollateExpr",
            Expr::CaseExpr(_) => "CaseExpr",
            Expr::CaseTestExpr(_) => "CaseTestExpr",
            Expr::ArrayExpr(_) => "ArrayExpr",
            Expr::RowExpr(_) => "RowExpr",
            Expr::RowCompareExpr(_) => "RowCompareExpr",
            Expr::CoalesceExpr(_) => "CoalesceExpr",
            Expr::MinMaxExpr(_) => "MinMaxExpr",
            Expr::SqlValueFunction(_) => "SQLValueFunction",
            Expr::XmlExpr(_) => "XmlExpr",
            Expr::JsonExpr(_) => "JsonExpr",
            Expr::NullTest(_) => "NullTest",
            Expr::BooleanTest(_) => "BooleanTest",
            Expr::CoerceToDomain(_) => "CoerceToDomain",
            Expr::CoerceToDomainValue(_) => "CoerceToDomainValue",
            Expr::SetToDefault(_) => "SetToDefault",
            Expr::CurrentOfExpr(_) => "CurrentOfExpr",
            Expr::NextValueExpr(_) => "NextValueExpr",
            Expr::PlaceHolderVar(_) => "PlaceHolderVar",
        }
    }

    /// The result type (`exprType`).
    #[inline]
    pub fn type_oid(&self) -> Oid {
        // Columns, constants and operators are nearly every node whose type
        // the planner and deparser ask (tens of times per query): answered
        // in place; the full match stays out of line.
        if let Expr::Var(var) = self {
            return var.vartype;
        }
        if let Expr::Const(constant) = self {
            return constant.consttype;
        }
        if let Expr::OpExpr(op) = self {
            return op.opresulttype;
        }
        self.type_oid_of_any()
    }

    /// [`Self::type_oid`] of any node.
    #[inline(never)]
    fn type_oid_of_any(&self) -> Oid {
        match self {
            Expr::Var(var) => var.vartype,
            Expr::Const(constant) => constant.consttype,
            Expr::Param(param) => param.paramtype,
            Expr::Aggref(agg) => agg.aggtype,
            Expr::GroupingFunc(_) => Oid::INT4_TYPE,
            Expr::WindowFunc(win) => win.wintype,
            Expr::SubscriptingRef(sref) => sref.refrestype,
            Expr::FuncExpr(func) => func.funcresulttype,
            Expr::NamedArgExpr(named) => named.arg.type_oid(),
            Expr::OpExpr(op) | Expr::DistinctExpr(op) | Expr::NullIfExpr(op) => op.opresulttype,
            Expr::ScalarArrayOpExpr(_) => Oid::BOOL_TYPE,
            Expr::BoolExpr(_) => Oid::BOOL_TYPE,
            Expr::SubLink(sublink) => sublink.result_type,
            Expr::SubPlan(subplan) => subplan.result_type,
            Expr::AlternativeSubPlan(alt) => alt
                .subplans
                .first()
                .map_or(Oid::INVALID, |subplan| subplan.result_type),
            Expr::FieldSelect(field) => field.resulttype,
            Expr::FieldStore(store) => store.resulttype,
            Expr::RelabelType(relabel) => relabel.resulttype,
            Expr::CoerceViaIO(coerce) => coerce.resulttype,
            Expr::ArrayCoerceExpr(coerce) => coerce.resulttype,
            Expr::ConvertRowtypeExpr(convert) => convert.resulttype,
            Expr::CollateExpr(collate) => collate.arg.type_oid(),
            Expr::CaseExpr(case) => case.casetype,
            Expr::CaseTestExpr(test) => test.type_id,
            Expr::ArrayExpr(array) => array.array_typeid,
            Expr::RowExpr(row) => row.row_typeid,
            Expr::RowCompareExpr(_) => Oid::BOOL_TYPE,
            Expr::CoalesceExpr(coalesce) => coalesce.coalescetype,
            Expr::MinMaxExpr(minmax) => minmax.minmaxtype,
            Expr::SqlValueFunction(svf) => svf.type_oid,
            Expr::XmlExpr(xml) => xml.type_oid,
            Expr::JsonExpr(json) => json.type_oid,
            Expr::NullTest(_) => Oid::BOOL_TYPE,
            Expr::BooleanTest(_) => Oid::BOOL_TYPE,
            Expr::CoerceToDomain(coerce) => coerce.resulttype,
            Expr::CoerceToDomainValue(value) => value.type_id,
            Expr::SetToDefault(default) => default.type_id,
            Expr::CurrentOfExpr(_) => Oid::BOOL_TYPE,
            Expr::NextValueExpr(next) => next.type_id,
            Expr::PlaceHolderVar(phv) => phv.phexpr.type_oid(),
        }
    }

    /// The result type modifier (`exprTypmod`), -1 when unknown or none.
    pub fn typmod(&self) -> TypMod {
        match self {
            Expr::Var(var) => var.vartypmod,
            Expr::Const(constant) => constant.consttypmod,
            Expr::Param(param) => param.paramtypmod,
            Expr::SubscriptingRef(sref) => sref.reftypmod,
            Expr::FuncExpr(func) => length_coercion_typmod(func).unwrap_or(-1),
            Expr::NamedArgExpr(named) => named.arg.typmod(),
            Expr::NullIfExpr(op) => op.args.first().map_or(-1, Expr::typmod),
            Expr::SubLink(sublink) => sublink.result_typmod,
            Expr::SubPlan(subplan) => subplan.result_typmod,
            Expr::AlternativeSubPlan(alt) => alt
                .subplans
                .first()
                .map_or(-1, |subplan| subplan.result_typmod),
            Expr::FieldSelect(field) => field.resulttypmod,
            Expr::RelabelType(relabel) => relabel.resulttypmod,
            Expr::ArrayCoerceExpr(coerce) => coerce.resulttypmod,
            Expr::CollateExpr(collate) => collate.arg.typmod(),
            Expr::CaseExpr(case) => case_typmod(case),
            Expr::CaseTestExpr(test) => test.type_mod,
            Expr::ArrayExpr(array) => {
                // All elements must agree on type and typmod, as in exprTypmod.
                let common_type = if array.multidims {
                    array.array_typeid
                } else {
                    array.element_typeid
                };
                common_typmod(common_type, array.elements.iter())
            }
            Expr::CoalesceExpr(coalesce) => {
                common_typmod(coalesce.coalescetype, coalesce.args.iter())
            }
            Expr::MinMaxExpr(minmax) => common_typmod(minmax.minmaxtype, minmax.args.iter()),
            Expr::SqlValueFunction(svf) => svf.typmod,
            Expr::XmlExpr(xml) => xml.typmod,
            Expr::JsonExpr(json) => json.typmod,
            Expr::CoerceToDomain(coerce) => coerce.resulttypmod,
            Expr::CoerceToDomainValue(value) => value.type_mod,
            Expr::SetToDefault(default) => default.type_mod,
            Expr::PlaceHolderVar(phv) => phv.phexpr.typmod(),
            Expr::Aggref(_)
            | Expr::GroupingFunc(_)
            | Expr::WindowFunc(_)
            | Expr::OpExpr(_)
            | Expr::DistinctExpr(_)
            | Expr::ScalarArrayOpExpr(_)
            | Expr::BoolExpr(_)
            | Expr::FieldStore(_)
            | Expr::CoerceViaIO(_)
            | Expr::ConvertRowtypeExpr(_)
            | Expr::RowExpr(_)
            | Expr::RowCompareExpr(_)
            | Expr::NullTest(_)
            | Expr::BooleanTest(_)
            | Expr::CurrentOfExpr(_)
            | Expr::NextValueExpr(_) => -1,
        }
    }

    /// The result collation (`exprCollation`), invalid for non-collatable results.
    pub fn collation(&self) -> Oid {
        match self {
            Expr::Var(var) => var.varcollid,
            Expr::Const(constant) => constant.constcollid,
            Expr::Param(param) => param.paramcollid,
            Expr::Aggref(agg) => agg.aggcollid,
            Expr::WindowFunc(win) => win.wincollid,
            Expr::SubscriptingRef(sref) => sref.refcollid,
            Expr::FuncExpr(func) => func.funccollid,
            Expr::NamedArgExpr(named) => named.arg.collation(),
            Expr::OpExpr(op) | Expr::DistinctExpr(op) | Expr::NullIfExpr(op) => op.opcollid,
            Expr::SubLink(sublink) => sublink.result_collation,
            Expr::SubPlan(subplan) => subplan.result_collation,
            Expr::AlternativeSubPlan(alt) => alt
                .subplans
                .first()
                .map_or(Oid::INVALID, |subplan| subplan.result_collation),
            Expr::FieldSelect(field) => field.resultcollid,
            Expr::RelabelType(relabel) => relabel.resultcollid,
            Expr::CoerceViaIO(coerce) => coerce.resultcollid,
            Expr::ArrayCoerceExpr(coerce) => coerce.resultcollid,
            Expr::CollateExpr(collate) => collate.coll_oid,
            Expr::CaseExpr(case) => case.casecollid,
            Expr::CaseTestExpr(test) => test.collation,
            Expr::ArrayExpr(array) => array.array_collid,
            Expr::CoalesceExpr(coalesce) => coalesce.coalescecollid,
            Expr::MinMaxExpr(minmax) => minmax.minmaxcollid,
            Expr::SqlValueFunction(svf) => svf.collation,
            Expr::XmlExpr(xml) => match xml.op {
                XmlExprOp::Serialize => xml.collation,
                XmlExprOp::Concat
                | XmlExprOp::Element
                | XmlExprOp::Forest
                | XmlExprOp::Parse
                | XmlExprOp::Pi
                | XmlExprOp::Root
                | XmlExprOp::IsDocument => Oid::INVALID,
            },
            Expr::JsonExpr(json) => json.collation,
            Expr::CoerceToDomain(coerce) => coerce.resultcollid,
            Expr::CoerceToDomainValue(value) => value.collation,
            Expr::SetToDefault(default) => default.collation,
            Expr::PlaceHolderVar(phv) => phv.phexpr.collation(),
            Expr::GroupingFunc(_)
            | Expr::ScalarArrayOpExpr(_)
            | Expr::BoolExpr(_)
            | Expr::FieldStore(_)
            | Expr::ConvertRowtypeExpr(_)
            | Expr::RowExpr(_)
            | Expr::RowCompareExpr(_)
            | Expr::NullTest(_)
            | Expr::BooleanTest(_)
            | Expr::CurrentOfExpr(_)
            | Expr::NextValueExpr(_) => Oid::INVALID,
        }
    }

    /// The collation the node uses for its inputs (`exprInputCollation`),
    /// invalid for nodes that have none. The shippability walker's
    /// input-collation rule (spec §1.4) reads it.
    pub fn input_collation(&self) -> Oid {
        match self {
            Expr::Aggref(agg) => agg.inputcollid,
            Expr::WindowFunc(win) => win.inputcollid,
            Expr::FuncExpr(func) => func.inputcollid,
            Expr::OpExpr(op) | Expr::DistinctExpr(op) | Expr::NullIfExpr(op) => op.inputcollid,
            Expr::ScalarArrayOpExpr(saop) => saop.inputcollid,
            Expr::MinMaxExpr(minmax) => minmax.inputcollid,
            Expr::Var(_)
            | Expr::Const(_)
            | Expr::Param(_)
            | Expr::GroupingFunc(_)
            | Expr::SubscriptingRef(_)
            | Expr::NamedArgExpr(_)
            | Expr::BoolExpr(_)
            | Expr::SubLink(_)
            | Expr::SubPlan(_)
            | Expr::AlternativeSubPlan(_)
            | Expr::FieldSelect(_)
            | Expr::FieldStore(_)
            | Expr::RelabelType(_)
            | Expr::CoerceViaIO(_)
            | Expr::ArrayCoerceExpr(_)
            | Expr::ConvertRowtypeExpr(_)
            | Expr::CollateExpr(_)
            | Expr::CaseExpr(_)
            | Expr::CaseTestExpr(_)
            | Expr::ArrayExpr(_)
            | Expr::RowExpr(_)
            | Expr::RowCompareExpr(_)
            | Expr::CoalesceExpr(_)
            | Expr::SqlValueFunction(_)
            | Expr::XmlExpr(_)
            | Expr::JsonExpr(_)
            | Expr::NullTest(_)
            | Expr::BooleanTest(_)
            | Expr::CoerceToDomain(_)
            | Expr::CoerceToDomainValue(_)
            | Expr::SetToDefault(_)
            | Expr::CurrentOfExpr(_)
            | Expr::NextValueExpr(_)
            | Expr::PlaceHolderVar(_) => Oid::INVALID,
        }
    }

    /// The typmod a length-coercion cast imposes (`exprIsLengthCoercion`),
    /// e.g. 3 for `c3::character varying(3)`; `None` when the node is not one.
    ///
    /// A length coercion is a cast function (explicit or implicit form)
    /// whose second argument is a non-null `integer` constant, or an array
    /// coercion with a typmod.
    pub fn length_coercion_typmod(&self) -> Option<TypMod> {
        match self {
            Expr::FuncExpr(func) => length_coercion_typmod(func),
            // PostgreSQL reports any array coercion with a typmod, whatever its form.
            Expr::ArrayCoerceExpr(coerce) => {
                (coerce.resulttypmod >= 0).then_some(coerce.resulttypmod)
            }
            Expr::Var(_)
            | Expr::Const(_)
            | Expr::Param(_)
            | Expr::Aggref(_)
            | Expr::GroupingFunc(_)
            | Expr::WindowFunc(_)
            | Expr::SubscriptingRef(_)
            | Expr::NamedArgExpr(_)
            | Expr::OpExpr(_)
            | Expr::DistinctExpr(_)
            | Expr::NullIfExpr(_)
            | Expr::ScalarArrayOpExpr(_)
            | Expr::BoolExpr(_)
            | Expr::SubLink(_)
            | Expr::SubPlan(_)
            | Expr::AlternativeSubPlan(_)
            | Expr::FieldSelect(_)
            | Expr::FieldStore(_)
            | Expr::RelabelType(_)
            | Expr::CoerceViaIO(_)
            | Expr::ConvertRowtypeExpr(_)
            | Expr::CollateExpr(_)
            | Expr::CaseExpr(_)
            | Expr::CaseTestExpr(_)
            | Expr::ArrayExpr(_)
            | Expr::RowExpr(_)
            | Expr::RowCompareExpr(_)
            | Expr::CoalesceExpr(_)
            | Expr::MinMaxExpr(_)
            | Expr::SqlValueFunction(_)
            | Expr::XmlExpr(_)
            | Expr::JsonExpr(_)
            | Expr::NullTest(_)
            | Expr::BooleanTest(_)
            | Expr::CoerceToDomain(_)
            | Expr::CoerceToDomainValue(_)
            | Expr::SetToDefault(_)
            | Expr::CurrentOfExpr(_)
            | Expr::NextValueExpr(_)
            | Expr::PlaceHolderVar(_) => None,
        }
    }
}

fn length_coercion_typmod(func: &FuncExpr) -> Option<TypMod> {
    match func.funcformat {
        super::CoercionForm::ExplicitCast | super::CoercionForm::ImplicitCast => {}
        super::CoercionForm::ExplicitCall | super::CoercionForm::SqlSyntax => return None,
    }
    // PostgreSQL asserts that the second argument is a non-null int4 Const;
    // anything else is treated as "not a length coercion" rather than trusted.
    let Some(Expr::Const(constant)) = func.args.get(1) else {
        return None;
    };
    if constant.consttype != Oid::INT4_TYPE {
        return None;
    }
    constant.value.as_deref()?.parse::<TypMod>().ok()
}

/// The typmod shared by every expression when all have type `common_type`
/// and the same non-negative typmod, else -1 (the rule `exprTypmod` uses for
/// `ARRAY[...]`, `COALESCE`, `GREATEST`/`LEAST`).
fn common_typmod<'a>(common_type: Oid, mut exprs: impl Iterator<Item = &'a Expr>) -> TypMod {
    let Some(first) = exprs.next() else {
        return -1;
    };
    if first.type_oid() != common_type {
        return -1;
    }
    let typmod = first.typmod();
    if typmod < 0 {
        return -1;
    }
    for expr in exprs {
        if expr.type_oid() != common_type || expr.typmod() != typmod {
            return -1;
        }
    }
    typmod
}

/// `CASE` keeps a typmod only when `ELSE` and every `THEN` agree on it.
fn case_typmod(case: &CaseExpr) -> TypMod {
    let Some(defresult) = &case.defresult else {
        return -1;
    };
    common_typmod(
        case.casetype,
        std::iter::once(defresult).chain(case.args.iter().map(|when| &when.result)),
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use smallvec::smallvec;

    use super::super::fixtures::*;
    use super::super::*;

    #[test]
    fn samples_cover_every_node_kind() {
        let kinds: BTreeSet<&str> = one_of_each_kind()
            .iter()
            .map(|sample| kind_name(&sample.expr))
            .collect();
        assert_eq!(kinds.len(), KIND_COUNT, "{kinds:?}");
    }

    #[test]
    fn type_typmod_and_collation_follow_node_funcs() {
        let mut wrong = Vec::new();
        for sample in one_of_each_kind() {
            let got = (
                sample.expr.type_oid(),
                sample.expr.typmod(),
                sample.expr.collation(),
            );
            let want = (sample.type_oid, sample.typmod, sample.collation);
            if got != want {
                wrong.push(format!(
                    "{}: got {got:?}, want {want:?}",
                    kind_name(&sample.expr)
                ));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    /// The in-place answers for columns, constants and operators are the
    /// full match's, for every node kind.
    #[test]
    fn type_oid_fast_path_matches_the_full_match() {
        for sample in one_of_each_kind() {
            assert_eq!(
                sample.expr.type_oid(),
                sample.expr.type_oid_of_any(),
                "{}",
                kind_name(&sample.expr)
            );
        }
    }

    #[test]
    fn input_collation_is_reported_only_by_nodes_that_have_one() {
        let mut with_input = Vec::new();
        for sample in one_of_each_kind() {
            if !sample.expr.input_collation().is_invalid() {
                with_input.push(kind_name(&sample.expr));
            }
        }
        assert_eq!(
            with_input,
            ["FuncExpr", "DistinctExpr", "NullIfExpr", "MinMaxExpr"]
        );
    }

    #[test]
    fn explicit_call_is_not_a_length_coercion() {
        let call = func(
            Oid(669),
            VARCHAR,
            CoercionForm::ExplicitCall,
            DEFAULT_COLL,
            smallvec![text_var(1, 3), int_const(7)],
        );
        assert_eq!(call.length_coercion_typmod(), None);
        assert_eq!(call.typmod(), -1);
    }

    #[test]
    fn implicit_length_coercion_reports_its_typmod() {
        let cast = func(
            Oid(669),
            VARCHAR,
            CoercionForm::ImplicitCast,
            DEFAULT_COLL,
            smallvec![text_var(1, 3), int_const(14)],
        );
        assert_eq!(cast.length_coercion_typmod(), Some(14));
    }

    #[test]
    fn one_argument_cast_has_no_typmod() {
        let cast = func(
            Oid(480),
            INT4,
            CoercionForm::ExplicitCast,
            Oid::INVALID,
            smallvec![Expr::Var(Var::new(
                RelIndex(1),
                AttrNumber(1),
                INT8,
                -1,
                Oid::INVALID
            ))],
        );
        assert_eq!(cast.length_coercion_typmod(), None);
        assert_eq!(cast.typmod(), -1);
    }

    #[test]
    fn case_without_else_has_no_typmod() {
        let varchar10 = Expr::Var(Var::new(
            RelIndex(1),
            AttrNumber(6),
            VARCHAR,
            14,
            DEFAULT_COLL,
        ));
        let case = Expr::CaseExpr(Box::new(CaseExpr {
            casetype: VARCHAR,
            casecollid: DEFAULT_COLL,
            arg: None,
            args: vec![CaseWhen {
                expr: int_eq(int_var(1, 1), int_const(1)),
                result: varchar10,
            }],
            defresult: None,
        }));
        assert_eq!(case.typmod(), -1);
    }

    #[test]
    fn multidimensional_array_compares_sub_array_types() {
        // ARRAY[ARRAY[..], ARRAY[..]] of varchar(5)[] sub-arrays: the
        // elements are checked against the array type, not the element type.
        let sub_array = |value: &str| {
            Expr::Const(Const {
                consttype: VARCHAR_ARRAY,
                consttypmod: 9,
                constcollid: DEFAULT_COLL,
                value: Some(value.to_owned()),
            })
        };
        let array = |multidims: bool| {
            Expr::ArrayExpr(Box::new(ArrayExpr {
                array_typeid: VARCHAR_ARRAY,
                array_collid: DEFAULT_COLL,
                element_typeid: VARCHAR,
                elements: smallvec![sub_array("{a}"), sub_array("{b}")],
                multidims,
            }))
        };
        assert_eq!(array(true).typmod(), 9);
        assert_eq!(array(false).typmod(), -1);
    }

    #[test]
    fn xmlserialize_reports_its_collation() {
        let xml = Expr::XmlExpr(Box::new(XmlExpr {
            op: XmlExprOp::Serialize,
            name: None,
            named_args: ExprList::new(),
            arg_names: Vec::new(),
            args: smallvec![Expr::Const(Const::new(XML, Oid::INVALID, "<a/>"))],
            type_oid: TEXT,
            typmod: -1,
            collation: DEFAULT_COLL,
        }));
        assert_eq!(xml.collation(), DEFAULT_COLL);
        assert_eq!(xml.type_oid(), TEXT);
    }
}
