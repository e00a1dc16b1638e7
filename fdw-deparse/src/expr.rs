//! Expressions to remote SQL text (`deparseExpr` and its helpers, spec §2.7).
//!
//! Every compound node parenthesizes itself; the printer never relies on
//! the remote server's operator precedence. Node kinds the shippability
//! walker never accepts have no printed form and fail with
//! [`Error::Unsupported`].
#![warn(clippy::wildcard_enum_match_arm)]

use fdw_catalog::builtin::{
    btree_strategy, OperatorInfo, OperatorKind, TypeKind, PG_CATALOG_NAMESPACE,
};
use fdw_catalog::Catalog;
use fdw_core::expr::{
    AggKind, Aggref, ArrayExpr, BoolExpr, BoolExprType, CaseExpr, CoercionForm, Const, FuncExpr,
    NullTest, NullTestType, OpExpr, RelabelType, ScalarArrayOpExpr, SubscriptingRef, Var,
};
use fdw_core::query::{SortGroupClause, TargetEntry};
use fdw_core::{AttrNumber, Expr, Oid, RelIndex, TypMod};

use crate::context::{DeparseCtx, ParamSink, ScanRel};
use crate::dialect::{ConstLabel, Dialect};
use crate::error::{Error, Result};
use crate::select::{append_target_list, AttrsUsed};
use crate::writer::append_column_name;

/// Prints `expr` as remote SQL for a statement scanning `scan`.
///
/// `Var`s of `scan` at query level 0 print as column references (remote
/// names, `rN.`-qualified when `scan` has several relations); `Param`s and
/// other `Var`s print as parameters: numbered and collected into `params`
/// when it is [`ParamSink::Collect`] (equal nodes share a number), typed
/// placeholders otherwise. Constants print from their text form (spec
/// §2.7.2); formatting that form under the remote session's settings is
/// the caller's business.
///
/// The expression is printed as given: check it with
/// [`is_foreign_expr`](crate::is_foreign_expr) first.
///
/// # Errors
///
/// [`Error::Unsupported`] for node kinds that have no remote form (the
/// walker never ships them) or that this dialect lacks (`CASE` before
/// PostgreSQL 15); [`Error::UnknownObject`] / [`Error::UnknownColumn`] when
/// the catalog lacks something the tree names; [`Error::TooDeep`] past the
/// recursion limit.
///
/// # Example
///
/// ```
/// use fdw_catalog::Catalog;
/// use fdw_core::expr::Const;
/// use fdw_core::Oid;
/// use fdw_deparse::{deparse_expr, ParamSink, PostgresDialect, ScanRel};
///
/// let catalog = Catalog::new(15)?;
/// let dialect = PostgresDialect::new(15)?;
/// let scan = ScanRel::base(fdw_core::RelIndex(1), Oid(16_400));
/// let text = Const::new(Oid(25), Oid::DEFAULT_COLLATION, "it's");
/// let sql = deparse_expr(&catalog, &dialect, &scan, &text.into(), &mut ParamSink::Placeholders)?;
/// assert_eq!(sql, "'it''s'::text");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn deparse_expr(
    catalog: &Catalog,
    dialect: &dyn Dialect,
    scan: &ScanRel,
    expr: &Expr,
    params: &mut ParamSink,
) -> Result<String> {
    let mut ctx = DeparseCtx::new(dialect, catalog, scan, params);
    deparse(&mut ctx, expr)?;
    Ok(ctx.buf)
}

/// `deparseExpr`: appends `expr` to the context's buffer.
pub(crate) fn deparse(ctx: &mut DeparseCtx<'_>, expr: &Expr) -> Result<()> {
    ctx.enter()?;
    let res = deparse_node(ctx, expr);
    ctx.leave();
    res
}

fn deparse_node(ctx: &mut DeparseCtx<'_>, expr: &Expr) -> Result<()> {
    match expr {
        Expr::Var(var) => deparse_var(ctx, var),
        Expr::Const(constant) => deparse_const(ctx, constant, ConstLabel::WhenNeeded),
        Expr::Param(param) => deparse_param(ctx, expr, param.paramtype, param.paramtypmod),
        Expr::SubscriptingRef(sref) => deparse_subscripting_ref(ctx, sref),
        Expr::FuncExpr(func) => deparse_func_expr(ctx, func),
        Expr::OpExpr(op) => deparse_op_expr(ctx, op),
        Expr::DistinctExpr(op) => deparse_distinct_expr(ctx, op),
        Expr::ScalarArrayOpExpr(saop) => deparse_scalar_array_op_expr(ctx, saop),
        Expr::RelabelType(relabel) => deparse_relabel_type(ctx, relabel),
        Expr::BoolExpr(boolexpr) => deparse_bool_expr(ctx, boolexpr),
        Expr::NullTest(test) => deparse_null_test(ctx, test),
        Expr::CaseExpr(case) => deparse_case_expr(ctx, case),
        Expr::ArrayExpr(array) => deparse_array_expr(ctx, array),
        Expr::Aggref(agg) => deparse_aggref(ctx, agg),
        Expr::GroupingFunc(_) => unsupported(ctx, "GroupingFunc"),
        Expr::WindowFunc(_) => unsupported(ctx, "WindowFunc"),
        Expr::NamedArgExpr(_) => unsupported(ctx, "NamedArgExpr"),
        Expr::NullIfExpr(_) => unsupported(ctx, "NullIfExpr"),
        Expr::SubLink(_) => unsupported(ctx, "SubLink"),
        Expr::SubPlan(_) => unsupported(ctx, "SubPlan"),
        Expr::AlternativeSubPlan(_) => unsupported(ctx, "AlternativeSubPlan"),
        Expr::FieldSelect(_) => unsupported(ctx, "FieldSelect"),
        Expr::FieldStore(_) => unsupported(ctx, "FieldStore"),
        Expr::CoerceViaIO(_) => unsupported(ctx, "CoerceViaIO"),
        Expr::ArrayCoerceExpr(_) => unsupported(ctx, "ArrayCoerceExpr"),
        Expr::ConvertRowtypeExpr(_) => unsupported(ctx, "ConvertRowtypeExpr"),
        Expr::CollateExpr(_) => unsupported(ctx, "CollateExpr"),
        // Printed only as part of its CASE, which skips it.
        Expr::CaseTestExpr(_) => unsupported(ctx, "CaseTestExpr"),
        Expr::RowExpr(_) => unsupported(ctx, "RowExpr"),
        Expr::RowCompareExpr(_) => unsupported(ctx, "RowCompareExpr"),
        Expr::CoalesceExpr(_) => unsupported(ctx, "CoalesceExpr"),
        Expr::MinMaxExpr(_) => unsupported(ctx, "MinMaxExpr"),
        Expr::SqlValueFunction(_) => unsupported(ctx, "SQLValueFunction"),
        Expr::XmlExpr(_) => unsupported(ctx, "XmlExpr"),
        Expr::JsonExpr(_) => unsupported(ctx, "JsonExpr"),
        Expr::BooleanTest(_) => unsupported(ctx, "BooleanTest"),
        Expr::CoerceToDomain(_) => unsupported(ctx, "CoerceToDomain"),
        Expr::CoerceToDomainValue(_) => unsupported(ctx, "CoerceToDomainValue"),
        Expr::SetToDefault(_) => unsupported(ctx, "SetToDefault"),
        Expr::CurrentOfExpr(_) => unsupported(ctx, "CurrentOfExpr"),
        Expr::NextValueExpr(_) => unsupported(ctx, "NextValueExpr"),
        Expr::PlaceHolderVar(_) => unsupported(ctx, "PlaceHolderVar"),
    }
}

fn unsupported(ctx: &DeparseCtx<'_>, what: &str) -> Result<()> {
    Err(Error::Unsupported {
        what: what.to_string(),
        dialect: ctx.dialect.describe(),
    })
}

fn internal(what: impl Into<String>) -> Error {
    Error::Internal(what.into())
}

/// `deparseVar`: a column of the scan, or a parameter for anything else.
fn deparse_var(ctx: &mut DeparseCtx<'_>, var: &Var) -> Result<()> {
    match ctx.scan.table_of(var.varno) {
        Some(table) if var.varlevelsup == 0 => {
            let qualify = ctx.scan.qualifies_columns();
            deparse_column_ref(ctx, var.varno, table, var.varattno, qualify)
        }
        Some(_) | None => deparse_param(ctx, &Expr::Var(var.clone()), var.vartype, var.vartypmod),
    }
}

/// `deparseColumnRef`: a user column, `ctid`, another system column (as a
/// constant) or a whole-row reference (as `ROW(...)`), spec §2.4.
pub(crate) fn deparse_column_ref(
    ctx: &mut DeparseCtx<'_>,
    rtindex: RelIndex,
    table: Oid,
    attnum: AttrNumber,
    qualify: bool,
) -> Result<()> {
    if attnum == AttrNumber::CTID {
        if qualify {
            ctx.rel_qualifier(rtindex);
        }
        ctx.buf.push_str("ctid");
    } else if attnum.is_system() {
        // The remote values would not match the local ones: tableoid is the
        // local table's oid, every other system column 0. Under an outer
        // join the value must go NULL with the rest of the row.
        let value = if attnum == AttrNumber::TABLEOID {
            table.0
        } else {
            0
        };
        if qualify {
            ctx.buf.push_str("CASE WHEN (");
            ctx.rel_qualifier(rtindex);
            ctx.buf.push_str("*)::text IS NOT NULL THEN ");
            ctx.buf.push_str(&value.to_string());
            ctx.buf.push_str(" END");
        } else {
            ctx.buf.push_str(&value.to_string());
        }
    } else if attnum == AttrNumber::WHOLE_ROW {
        // The remote table may order its columns differently: list the
        // locally declared ones.
        if qualify {
            ctx.buf.push_str("CASE WHEN (");
            ctx.rel_qualifier(rtindex);
            ctx.buf.push_str("*)::text IS NOT NULL THEN ");
        }
        ctx.buf.push_str("ROW(");
        let whole_row = AttrsUsed::whole_row();
        append_target_list(ctx, rtindex, table, &whole_row, qualify)?;
        ctx.buf.push(')');
        if qualify {
            ctx.buf.push_str(" END");
        }
    } else {
        if qualify {
            ctx.rel_qualifier(rtindex);
        }
        append_column_name(ctx, table, attnum)?;
    }
    Ok(())
}

/// `deparseConst`.
pub(crate) fn deparse_const(
    ctx: &mut DeparseCtx<'_>,
    constant: &Const,
    label: ConstLabel,
) -> Result<()> {
    ctx.dialect
        .write_const(ctx.catalog, constant, label, &mut ctx.buf)
}

/// `deparseParam` (and the other-relation branch of `deparseVar`): `$N::type`
/// numbered by first appearance, or a placeholder.
fn deparse_param(
    ctx: &mut DeparseCtx<'_>,
    node: &Expr,
    type_oid: Oid,
    typmod: TypMod,
) -> Result<()> {
    let type_name = ctx.type_name_string(type_oid, typmod)?;
    match ctx.params {
        ParamSink::Collect(list) => {
            let index = match list.iter().position(|known| known == node) {
                Some(pos) => pos + 1,
                None => {
                    list.push(node.clone());
                    list.len()
                }
            };
            ctx.dialect.write_param(index, &type_name, &mut ctx.buf);
        }
        ParamSink::Placeholders => ctx
            .dialect
            .write_param_placeholder(&type_name, &mut ctx.buf),
    }
    Ok(())
}

/// `deparseSubscriptingRef`: `(arr[1])`, `(arr[1:2])`, `(((arr || 5))[3])`.
fn deparse_subscripting_ref(ctx: &mut DeparseCtx<'_>, sref: &SubscriptingRef) -> Result<()> {
    if sref.refassgnexpr.is_some() {
        return unsupported(ctx, "subscripted assignment");
    }
    ctx.buf.push('(');
    // A cast in the container would swallow the subscript as typename
    // decoration; only a plain Var goes unwrapped.
    if matches!(sref.refexpr, Expr::Var(_)) {
        deparse(ctx, &sref.refexpr)?;
    } else {
        ctx.buf.push('(');
        deparse(ctx, &sref.refexpr)?;
        ctx.buf.push(')');
    }
    let mut lower = sref.reflowerindexpr.iter();
    for upper in &sref.refupperindexpr {
        ctx.buf.push('[');
        if let Some(low) = lower.next() {
            if let Some(low) = low {
                deparse(ctx, low)?;
            }
            ctx.buf.push(':');
        }
        if let Some(upper) = upper {
            deparse(ctx, upper)?;
        }
        ctx.buf.push(']');
    }
    ctx.buf.push(')');
    Ok(())
}

/// `deparseFuncExpr`: an implicit cast prints its argument, an explicit cast
/// `arg::type`, anything else `[schema.]name(args)`.
fn deparse_func_expr(ctx: &mut DeparseCtx<'_>, func: &FuncExpr) -> Result<()> {
    match func.funcformat {
        CoercionForm::ImplicitCast => {
            let arg = func
                .args
                .first()
                .ok_or_else(|| internal("implicit cast without an argument"))?;
            deparse(ctx, arg)
        }
        CoercionForm::ExplicitCast => {
            let arg = func
                .args
                .first()
                .ok_or_else(|| internal("explicit cast without an argument"))?;
            let typmod = length_coercion_typmod(func).unwrap_or(-1);
            deparse(ctx, arg)?;
            ctx.buf.push_str("::");
            ctx.type_name(func.funcresulttype, typmod)
        }
        CoercionForm::ExplicitCall | CoercionForm::SqlSyntax => {
            append_function_name(ctx, func.funcid)?;
            ctx.buf.push('(');
            let last = func.args.len().saturating_sub(1);
            for (i, arg) in func.args.iter().enumerate() {
                if i > 0 {
                    ctx.buf.push_str(", ");
                }
                if func.funcvariadic && i == last {
                    ctx.buf.push_str("VARIADIC ");
                }
                deparse(ctx, arg)?;
            }
            ctx.buf.push(')');
            Ok(())
        }
    }
}

/// `exprIsLengthCoercion` for a cast function: the typmod when its second
/// argument is a non-null `integer` constant.
fn length_coercion_typmod(func: &FuncExpr) -> Option<TypMod> {
    if !(2..=3).contains(&func.args.len()) {
        return None;
    }
    match func.args.get(1) {
        Some(Expr::Const(Const {
            consttype: Oid::INT4_TYPE,
            value: Some(value),
            ..
        })) => value.parse().ok(),
        _ => None,
    }
}

/// `appendFunctionName`: qualified unless in `pg_catalog`.
fn append_function_name(ctx: &mut DeparseCtx<'_>, funcid: Oid) -> Result<()> {
    let proc = ctx.catalog.proc_info(funcid).ok_or(Error::UnknownObject {
        kind: "function",
        oid: funcid,
    })?;
    if proc.namespace != PG_CATALOG_NAMESPACE {
        let schema = namespace_name(ctx.catalog, proc.namespace)?;
        ctx.ident(&schema);
        ctx.buf.push('.');
    }
    ctx.ident(&proc.name);
    Ok(())
}

fn namespace_name(catalog: &Catalog, oid: Oid) -> Result<String> {
    catalog
        .namespace_name(oid)
        .map(str::to_string)
        .ok_or(Error::UnknownObject {
            kind: "namespace",
            oid,
        })
}

pub(crate) fn operator_info(
    catalog: &Catalog,
    opno: Oid,
) -> Result<std::borrow::Cow<'_, OperatorInfo>> {
    // Borrowed for built-in and extension operators: every operator call
    // of every statement comes through here, and a copy costs its name.
    catalog.operator_info(opno).ok_or(Error::UnknownObject {
        kind: "operator",
        oid: opno,
    })
}

/// `deparseOperatorName`: the bare name in `pg_catalog`, else
/// `OPERATOR(schema.name)`. Operator names are never quoted.
pub(crate) fn append_operator_name(ctx: &mut DeparseCtx<'_>, op: &OperatorInfo) -> Result<()> {
    if op.namespace == PG_CATALOG_NAMESPACE {
        ctx.buf.push_str(&op.name);
    } else {
        let schema = namespace_name(ctx.catalog, op.namespace)?;
        ctx.buf.push_str("OPERATOR(");
        ctx.ident(&schema);
        ctx.buf.push('.');
        ctx.buf.push_str(&op.name);
        ctx.buf.push(')');
    }
    Ok(())
}

/// `deparseOpExpr`: `(left op right)`, `(op arg)`; a string constant
/// compared with a plain foreign column of the same type loses its label
/// when the dialect allows it (spec §2.7.5).
fn deparse_op_expr(ctx: &mut DeparseCtx<'_>, op: &OpExpr) -> Result<()> {
    let info = operator_info(ctx.catalog, op.opno)?;
    match (info.kind, op.args.as_slice()) {
        (OperatorKind::Binary, [left, right]) => {
            let mut suppress_left = false;
            let mut suppress_right = false;
            // The types are compared last: only a constant beside a plain
            // column needs them (a call each).
            let left_const = matches!(left, Expr::Const(_));
            if (left_const || matches!(right, Expr::Const(_)))
                && ctx.dialect.supports_const_cast_suppression()
                && left.type_oid() == right.type_oid()
            {
                if left_const {
                    suppress_left = is_plain_foreign_var(ctx.scan, right);
                } else {
                    suppress_right = is_plain_foreign_var(ctx.scan, left);
                }
            }
            ctx.buf.push('(');
            deparse_operand(ctx, left, suppress_left)?;
            ctx.buf.push(' ');
            append_operator_name(ctx, &info)?;
            ctx.buf.push(' ');
            deparse_operand(ctx, right, suppress_right)?;
            ctx.buf.push(')');
            Ok(())
        }
        (OperatorKind::Prefix, [arg]) => {
            ctx.buf.push('(');
            append_operator_name(ctx, &info)?;
            ctx.buf.push(' ');
            deparse(ctx, arg)?;
            ctx.buf.push(')');
            Ok(())
        }
        (OperatorKind::Postfix, [arg]) if ctx.dialect.supports_postfix_operators() => {
            ctx.buf.push('(');
            deparse(ctx, arg)?;
            ctx.buf.push(' ');
            append_operator_name(ctx, &info)?;
            ctx.buf.push(')');
            Ok(())
        }
        (OperatorKind::Postfix, [_]) => unsupported(ctx, "postfix operator"),
        (OperatorKind::Binary | OperatorKind::Prefix | OperatorKind::Postfix, _) => {
            Err(internal(format!(
                "operator {} called with {} arguments",
                op.opno,
                op.args.len()
            )))
        }
    }
}

fn deparse_operand(ctx: &mut DeparseCtx<'_>, operand: &Expr, suppress_label: bool) -> Result<()> {
    if let (Expr::Const(constant), true) = (operand, suppress_label) {
        deparse_const(ctx, constant, ConstLabel::UnlessUntypedLiteral)
    } else {
        deparse(ctx, operand)
    }
}

/// `isPlainForeignVar`: a Var of the scan at level 0, possibly under an
/// implicit `RelabelType` (which prints as nothing).
fn is_plain_foreign_var(scan: &ScanRel, expr: &Expr) -> bool {
    let mut expr = expr;
    if let Expr::RelabelType(relabel) = expr {
        if relabel.relabelformat == CoercionForm::ImplicitCast {
            expr = &relabel.arg;
        }
    }
    matches!(expr, Expr::Var(var) if var.varlevelsup == 0 && scan.contains(var.varno))
}

/// `deparseDistinctExpr`: `(a IS DISTINCT FROM b)`.
fn deparse_distinct_expr(ctx: &mut DeparseCtx<'_>, op: &OpExpr) -> Result<()> {
    let [left, right] = op.args.as_slice() else {
        return Err(internal("IS DISTINCT FROM needs two arguments"));
    };
    ctx.buf.push('(');
    deparse(ctx, left)?;
    ctx.buf.push_str(" IS DISTINCT FROM ");
    deparse(ctx, right)?;
    ctx.buf.push(')');
    Ok(())
}

/// `deparseScalarArrayOpExpr`: `(a op ANY (b))` / `(a op ALL (b))`.
fn deparse_scalar_array_op_expr(ctx: &mut DeparseCtx<'_>, saop: &ScalarArrayOpExpr) -> Result<()> {
    let [left, right] = saop.args.as_slice() else {
        return Err(internal("ANY/ALL needs two arguments"));
    };
    let info = operator_info(ctx.catalog, saop.opno)?;
    ctx.buf.push('(');
    deparse(ctx, left)?;
    ctx.buf.push(' ');
    append_operator_name(ctx, &info)?;
    ctx.buf
        .push_str(if saop.use_or { " ANY (" } else { " ALL (" });
    deparse(ctx, right)?;
    ctx.buf.push_str("))");
    Ok(())
}

/// `deparseRelabelType`: the argument, plus `::type` unless implicit.
fn deparse_relabel_type(ctx: &mut DeparseCtx<'_>, relabel: &RelabelType) -> Result<()> {
    deparse(ctx, &relabel.arg)?;
    if relabel.relabelformat != CoercionForm::ImplicitCast {
        ctx.buf.push_str("::");
        ctx.type_name(relabel.resulttype, relabel.resulttypmod)?;
    }
    Ok(())
}

/// `deparseBoolExpr`: `(a AND b)`, `(a OR b)`, `(NOT a)`.
fn deparse_bool_expr(ctx: &mut DeparseCtx<'_>, boolexpr: &BoolExpr) -> Result<()> {
    let op = match boolexpr.boolop {
        BoolExprType::And => " AND ",
        BoolExprType::Or => " OR ",
        BoolExprType::Not => {
            let [arg] = boolexpr.args.as_slice() else {
                return Err(internal("NOT needs one argument"));
            };
            ctx.buf.push_str("(NOT ");
            deparse(ctx, arg)?;
            ctx.buf.push(')');
            return Ok(());
        }
    };
    ctx.buf.push('(');
    for (i, arg) in boolexpr.args.iter().enumerate() {
        if i > 0 {
            ctx.buf.push_str(op);
        }
        deparse(ctx, arg)?;
    }
    ctx.buf.push(')');
    Ok(())
}

/// `deparseNullTest`: `(a IS [NOT] NULL)`, or `IS [NOT] DISTINCT FROM NULL`
/// for a scalar test of a row value.
fn deparse_null_test(ctx: &mut DeparseCtx<'_>, test: &NullTest) -> Result<()> {
    ctx.buf.push('(');
    deparse(ctx, &test.arg)?;
    let row_as_scalar = !test.argisrow && type_is_rowtype(ctx.catalog, test.arg.type_oid());
    ctx.buf.push_str(match (test.nulltesttype, row_as_scalar) {
        (NullTestType::IsNull, false) => " IS NULL)",
        (NullTestType::IsNotNull, false) => " IS NOT NULL)",
        (NullTestType::IsNull, true) => " IS NOT DISTINCT FROM NULL)",
        (NullTestType::IsNotNull, true) => " IS DISTINCT FROM NULL)",
    });
    Ok(())
}

/// `type_is_rowtype`: `record`, a composite type, or a domain over one.
fn type_is_rowtype(catalog: &Catalog, type_oid: Oid) -> bool {
    const RECORD: Oid = Oid(2249);
    let mut oid = type_oid;
    for _ in 0..32 {
        if oid == RECORD {
            return true;
        }
        match catalog.type_info(oid) {
            Some(info) if info.kind == TypeKind::Domain => oid = info.base_type,
            Some(info) => return info.kind == TypeKind::Composite,
            None => return false,
        }
    }
    false
}

/// `deparseCaseExpr` (PostgreSQL 15+): `(CASE [arg] WHEN .. THEN .. [ELSE ..] END)`;
/// a CASE with an argument prints only the compared value of each WHEN.
fn deparse_case_expr(ctx: &mut DeparseCtx<'_>, case: &CaseExpr) -> Result<()> {
    if !ctx.dialect.supports_case_pushdown() {
        return unsupported(ctx, "CASE");
    }
    ctx.buf.push_str("(CASE");
    if let Some(arg) = &case.arg {
        ctx.buf.push(' ');
        deparse(ctx, arg)?;
    }
    for when in &case.args {
        ctx.buf.push_str(" WHEN ");
        if case.arg.is_some() {
            let Expr::OpExpr(op) = &when.expr else {
                return unsupported(ctx, "CASE arm that is not an equality");
            };
            let [_, value] = op.args.as_slice() else {
                return unsupported(ctx, "CASE arm that is not an equality");
            };
            deparse(ctx, value)?;
        } else {
            deparse(ctx, &when.expr)?;
        }
        ctx.buf.push_str(" THEN ");
        deparse(ctx, &when.result)?;
    }
    if let Some(default) = &case.defresult {
        ctx.buf.push_str(" ELSE ");
        deparse(ctx, default)?;
    }
    ctx.buf.push_str(" END)");
    Ok(())
}

/// `deparseArrayExpr`: `ARRAY[a, b]`, or `ARRAY[]::type[]` when empty.
fn deparse_array_expr(ctx: &mut DeparseCtx<'_>, array: &ArrayExpr) -> Result<()> {
    ctx.buf.push_str("ARRAY[");
    for (i, element) in array.elements.iter().enumerate() {
        if i > 0 {
            ctx.buf.push_str(", ");
        }
        deparse(ctx, element)?;
    }
    ctx.buf.push(']');
    if array.elements.is_empty() {
        ctx.buf.push_str("::");
        ctx.type_name(array.array_typeid, -1)?;
    }
    Ok(())
}

/// `deparseAggref` (upper relations): `name([DISTINCT] args [ORDER BY ..])
/// [FILTER (WHERE ..)]`, or the `WITHIN GROUP` form of ordered-set aggregates.
fn deparse_aggref(ctx: &mut DeparseCtx<'_>, agg: &Aggref) -> Result<()> {
    append_function_name(ctx, agg.aggfnoid)?;
    ctx.buf.push('(');
    if !agg.aggdistinct.is_empty() {
        ctx.buf.push_str("DISTINCT ");
    }
    match agg.aggkind {
        AggKind::OrderedSet | AggKind::Hypothetical => {
            for (i, arg) in agg.aggdirectargs.iter().enumerate() {
                if i > 0 {
                    ctx.buf.push_str(", ");
                }
                deparse(ctx, arg)?;
            }
            ctx.buf.push_str(") WITHIN GROUP (ORDER BY ");
            append_agg_order_by(ctx, &agg.aggorder, &agg.args)?;
        }
        AggKind::Normal => {
            if agg.aggstar {
                ctx.buf.push('*');
            } else {
                let last = agg.args.len().saturating_sub(1);
                let mut first = true;
                for (i, tle) in agg.args.iter().enumerate() {
                    if tle.resjunk {
                        continue;
                    }
                    if !first {
                        ctx.buf.push_str(", ");
                    }
                    first = false;
                    if agg.aggvariadic && i == last {
                        ctx.buf.push_str("VARIADIC ");
                    }
                    deparse(ctx, &tle.expr)?;
                }
            }
            if !agg.aggorder.is_empty() {
                ctx.buf.push_str(" ORDER BY ");
                append_agg_order_by(ctx, &agg.aggorder, &agg.args)?;
            }
        }
    }
    if let Some(filter) = &agg.aggfilter {
        ctx.buf.push_str(") FILTER (WHERE ");
        deparse(ctx, filter)?;
    }
    ctx.buf.push(')');
    Ok(())
}

/// `appendAggOrderBy`: each sort item with its suffix.
fn append_agg_order_by(
    ctx: &mut DeparseCtx<'_>,
    order: &[SortGroupClause],
    args: &[TargetEntry],
) -> Result<()> {
    for (i, item) in order.iter().enumerate() {
        if i > 0 {
            ctx.buf.push_str(", ");
        }
        let tle = args
            .iter()
            .find(|tle| tle.ressortgroupref == item.tle_sort_group_ref)
            .ok_or_else(|| {
                internal(format!(
                    "aggregate ORDER BY item {} not in the arguments",
                    item.tle_sort_group_ref
                ))
            })?;
        // deparseSortGroupClause: constants always labelled (a bare number
        // would read as a position), Vars bare, the rest parenthesized.
        if let Expr::Const(constant) = &tle.expr {
            deparse_const(ctx, constant, ConstLabel::Always)?;
        } else if matches!(tle.expr, Expr::Var(_)) {
            deparse(ctx, &tle.expr)?;
        } else {
            ctx.buf.push('(');
            deparse(ctx, &tle.expr)?;
            ctx.buf.push(')');
        }
        append_order_by_suffix(ctx, item.sortop, tle.expr.type_oid(), item.nulls_first)?;
    }
    Ok(())
}

/// `appendOrderBySuffix`: ` ASC` / ` DESC` for the type's default btree
/// `<` / `>`, else ` USING op`; then always ` NULLS FIRST` / ` NULLS LAST`.
pub(crate) fn append_order_by_suffix(
    ctx: &mut DeparseCtx<'_>,
    sortop: Oid,
    sort_type: Oid,
    nulls_first: bool,
) -> Result<()> {
    let (lt, gt) = default_sort_operators(ctx.catalog, sort_type);
    if Some(sortop) == lt {
        ctx.buf.push_str(" ASC");
    } else if Some(sortop) == gt {
        ctx.buf.push_str(" DESC");
    } else {
        ctx.buf.push_str(" USING ");
        let info = operator_info(ctx.catalog, sortop)?;
        append_operator_name(ctx, &info)?;
    }
    ctx.buf.push_str(if nulls_first {
        " NULLS FIRST"
    } else {
        " NULLS LAST"
    });
    Ok(())
}

/// The type cache's `lt_opr` and `gt_opr`: the `<` and `>` of the type's
/// default btree operator class.
pub(crate) fn default_sort_operators(
    catalog: &Catalog,
    type_oid: Oid,
) -> (Option<Oid>, Option<Oid>) {
    let builtin = catalog.builtin();
    let Some(class) = builtin.default_btree_opclass(type_oid) else {
        return (None, None);
    };
    let member = |strategy| {
        builtin
            .amop(class.family, class.input_type, class.input_type, strategy)
            .map(|amop| amop.operator)
    };
    (
        member(btree_strategy::LESS),
        member(btree_strategy::GREATER),
    )
}
