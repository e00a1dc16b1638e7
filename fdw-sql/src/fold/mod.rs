//! Constant folding as the planner's `eval_const_expressions` does it
//! (PostgreSQL 15, `optimizer/util/clauses.c`), before postgres_fdw sees
//! the tree.
//!
//! What is folded, node by node:
//! - `FuncExpr` / `OpExpr` over constants when the function is immutable
//!   and [`value::call_builtin`] can evaluate it; a strict function with a
//!   constant `NULL` argument becomes `NULL` whatever its volatility and
//!   whatever the other arguments (PostgreSQL never calls it);
//! - boolean `=` / `<>` with one constant side (`b = true` ⇒ `b`,
//!   `b = false` ⇒ `NOT b`, pushed down by `negate_clause`);
//! - `DistinctExpr`, `NullIfExpr`, `ScalarArrayOpExpr` over constants;
//! - `AND` / `OR` flattening and simplification with SQL's NULL rules,
//!   `NOT` through `negate_clause` (negator operators, De Morgan);
//! - `RelabelType`, `CollateExpr` and constraint-free `CoerceToDomain`
//!   onto constants (re-labelled) or into a single `RelabelType`;
//! - `CoerceViaIO` when both I/O functions are immutable,
//!   `ArrayCoerceExpr` when its per-element expression is immutable;
//! - `ArrayExpr` of constants into an array constant;
//! - `CASE` with constant tests, `COALESCE` dropping `NULL` constants,
//!   `NullTest` / `BooleanTest` on constants, `ROW(...) IS [NOT] NULL`
//!   split into per-field tests, `(ROW(...)).f` field selection.
//!
//! - `GREATEST`/`LEAST` over constants (compared with the type's `<`) and
//!   an array element fetched by constant subscripts from a constant
//!   array, which PostgreSQL 15 folds by its generic "all inputs constant"
//!   rule (array slices are left unfolded here);
//! - the `cube` extension's immutable functions over constant cubes
//!   (comparisons, containment, union, distances, accessors,
//!   constructors; `value::cube`);
//! - calls of user SQL-language functions, and operators implemented by
//!   them, whose body is a bare `SELECT expression` or `RETURN expression`:
//!   replaced by that expression under PostgreSQL's conditions
//!   (`inline_function`, module `inline`), after the declared defaults
//!   are put into the call (`expand_function_arguments`); an immutable
//!   one over constants is evaluated by folding its body.
//!
//! PostgreSQL does not fold `ROW(...)` or SQL value functions, so neither
//! does this module.
//!
//! When an immutable call over constants is left unfolded because we
//! cannot evaluate it (an unsupported function, a user function whose
//! body we do not know), a [`FoldNote`] says so: the tree stays correct,
//! only less folded than PostgreSQL's.

use std::borrow::Cow;

use fdw_catalog::builtin::Volatility;
use fdw_catalog::catalog::Catalog;
use fdw_core::expr::{
    BoolExpr, BoolExprType, BoolTestType, CaseExpr, CaseWhen, CoerceViaIO, CoercionForm, Const,
    Expr, ExprList, NullTest, NullTestType, OpExpr, RelabelType, DEFAULT_MAX_DEPTH,
};
use fdw_core::query::{
    CommonTableExpr, FromExpr, JoinTreeNode, OnConflict, Query, RteKind, TargetEntry,
};
use fdw_core::{Oid, TypMod};

use crate::error::{Error, Result};
use crate::value::{self, Evaluated, ValueSettings};

mod inline;

/// `BooleanEqualOperator`: `boolean = boolean`.
const BOOLEAN_EQUAL_OPERATOR: Oid = Oid(91);
/// `BooleanNotEqualOperator`: `boolean <> boolean`.
const BOOLEAN_NOT_EQUAL_OPERATOR: Oid = Oid(85);
/// `boolean` type.
const BOOL: Oid = Oid(16);
/// `text`.
const TEXT: Oid = Oid(25);
/// `text || text`.
const TEXTCAT_OPERATOR: Oid = Oid(654);
/// `textcat`, the function of `text || text`.
const TEXTCAT_FUNCTION: Oid = Oid(1258);
/// `cstring`: what output functions return.
const CSTRING: Oid = Oid(2275);
/// `pg_catalog`.
const PG_CATALOG: Oid = Oid(11);

/// An immutable expression over constants that was left unfolded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoldNote {
    /// A readable rendering of the call (`sqrt(2::float8)`-like, names and
    /// constant values, not SQL to be parsed).
    pub expr: String,
    /// Why it was not evaluated.
    pub reason: String,
}

/// Folds the constant sub-expressions of `expr` as PostgreSQL's planner
/// does (see the module documentation), appending a [`FoldNote`] for each
/// immutable call over constants it could not evaluate.
///
/// # Errors
///
/// The error PostgreSQL's planner would raise while folding (division by
/// zero, integer out of range, invalid input for a type, ...), or
/// [`Error::TooDeep`] for a tree deeper than [`DEFAULT_MAX_DEPTH`].
pub fn eval_const_expressions(
    catalog: &Catalog,
    expr: Expr,
    notes: &mut Vec<FoldNote>,
) -> Result<Expr> {
    let mut folder = Folder::new(catalog, notes);
    folder.fold(expr, 0)
}

/// Folds every expression of `query` and of its sub-queries (target list,
/// `WHERE` and join quals, `HAVING`, `LIMIT`/`OFFSET`, `RETURNING`, `ON
/// CONFLICT`, window frame offsets, `VALUES` lists, function `FROM` items,
/// CTEs, sub-selects in `FROM` and in expressions), returning the notes.
///
/// # Errors
///
/// As [`eval_const_expressions`].
pub fn fold_query(catalog: &Catalog, query: &mut Query) -> Result<Vec<FoldNote>> {
    let mut notes = Vec::new();
    let mut folder = Folder::new(catalog, &mut notes);
    folder.fold_query(query, 0)?;
    Ok(notes)
}

/// The state of one folding pass.
struct Folder<'a> {
    catalog: &'a Catalog,
    /// Constants are kept in postgres_fdw's transmission form.
    settings: ValueSettings,
    notes: &'a mut Vec<FoldNote>,
    /// The constant a `CaseTestExpr` stands for inside a simple `CASE`
    /// whose argument folded to a constant (PostgreSQL's `case_val`).
    case_val: Option<Const>,
    /// The SQL functions being inlined, innermost last (PostgreSQL's
    /// `active_fns`): a function is not inlined inside its own body.
    active_fns: Vec<Oid>,
}

fn too_deep() -> Error {
    Error::TooDeep {
        limit: DEFAULT_MAX_DEPTH,
    }
}

fn bool_const(value: Option<bool>) -> Expr {
    Expr::Const(Const {
        consttype: BOOL,
        consttypmod: -1,
        constcollid: Oid::INVALID,
        value: value.map(|b| if b { "t" } else { "f" }.to_owned()),
    })
}

/// The value of a boolean constant: `Some(None)` for `NULL`.
fn const_bool(expr: &Expr) -> Option<Option<bool>> {
    match expr {
        Expr::Const(c) => Some(c.value.as_deref().map(|v| v == "true" || v == "t")),
        _ => None,
    }
}

fn as_const(expr: &Expr) -> Option<&Const> {
    match expr {
        Expr::Const(c) => Some(c),
        _ => None,
    }
}

impl<'a> Folder<'a> {
    fn new(catalog: &'a Catalog, notes: &'a mut Vec<FoldNote>) -> Folder<'a> {
        Folder {
            catalog,
            settings: ValueSettings::transmission(catalog),
            notes,
            case_val: None,
            active_fns: Vec::new(),
        }
    }

    // ----- queries -------------------------------------------------------

    fn fold_opt(&mut self, expr: &mut Option<Expr>, depth: usize) -> Result<()> {
        if let Some(e) = expr.take() {
            *expr = Some(self.fold(e, depth)?);
        }
        Ok(())
    }

    fn fold_in_place(&mut self, expr: &mut Expr, depth: usize) -> Result<()> {
        let taken = std::mem::replace(expr, bool_const(None));
        *expr = self.fold(taken, depth)?;
        Ok(())
    }

    fn fold_targets(&mut self, targets: &mut [TargetEntry], depth: usize) -> Result<()> {
        for tle in targets {
            self.fold_in_place(&mut tle.expr, depth)?;
        }
        Ok(())
    }

    fn fold_query(&mut self, query: &mut Query, depth: usize) -> Result<()> {
        if depth > DEFAULT_MAX_DEPTH {
            return Err(too_deep());
        }
        for cte in &mut query.cte_list {
            let CommonTableExpr { query: sub, .. } = cte;
            self.fold_query(sub, depth + 1)?;
        }
        for rte in &mut query.rtable {
            match &mut rte.kind {
                RteKind::Subquery { query: sub, .. } => self.fold_query(sub, depth + 1)?,
                RteKind::Function { functions, .. } => {
                    for f in functions {
                        self.fold_in_place(&mut f.funcexpr, depth + 1)?;
                    }
                }
                RteKind::Values { values_lists, .. } => {
                    for row in values_lists {
                        for e in row {
                            self.fold_in_place(e, depth + 1)?;
                        }
                    }
                }
                // Join alias variables are replaced by their inputs before
                // the planner folds anything; the rest hold no expressions.
                RteKind::Relation { .. }
                | RteKind::Join { .. }
                | RteKind::TableFunc { .. }
                | RteKind::Cte { .. }
                | RteKind::NamedTuplestore { .. }
                | RteKind::Result => {}
            }
        }
        self.fold_from(&mut query.jointree, depth + 1)?;
        self.fold_targets(&mut query.target_list, depth + 1)?;
        self.fold_targets(&mut query.returning_list, depth + 1)?;
        self.fold_opt(&mut query.having_qual, depth + 1)?;
        self.fold_opt(&mut query.limit_offset, depth + 1)?;
        self.fold_opt(&mut query.limit_count, depth + 1)?;
        for window in &mut query.window_clause {
            self.fold_opt(&mut window.start_offset, depth + 1)?;
            self.fold_opt(&mut window.end_offset, depth + 1)?;
        }
        if let Some(OnConflict {
            on_conflict_set,
            on_conflict_where,
            ..
        }) = &mut query.on_conflict
        {
            self.fold_targets(on_conflict_set, depth + 1)?;
            self.fold_opt(on_conflict_where, depth + 1)?;
        }
        Ok(())
    }

    fn fold_from(&mut self, from: &mut FromExpr, depth: usize) -> Result<()> {
        if depth > DEFAULT_MAX_DEPTH {
            return Err(too_deep());
        }
        for node in &mut from.fromlist {
            self.fold_jointree(node, depth + 1)?;
        }
        self.fold_opt(&mut from.quals, depth + 1)
    }

    fn fold_jointree(&mut self, node: &mut JoinTreeNode, depth: usize) -> Result<()> {
        if depth > DEFAULT_MAX_DEPTH {
            return Err(too_deep());
        }
        match node {
            JoinTreeNode::RangeTblRef(_) => Ok(()),
            JoinTreeNode::Join(join) => {
                self.fold_jointree(&mut join.larg, depth + 1)?;
                self.fold_jointree(&mut join.rarg, depth + 1)?;
                self.fold_opt(&mut join.quals, depth + 1)
            }
            JoinTreeNode::From(from) => self.fold_from(from, depth + 1),
        }
    }

    // ----- expressions ---------------------------------------------------

    /// Folds the children of `expr` in place, leaving the node itself.
    fn fold_children(&mut self, mut expr: Expr, depth: usize) -> Result<Expr> {
        for child in expr.children_mut() {
            self.fold_in_place(child, depth + 1)?;
        }
        Ok(expr)
    }

    fn fold_list(&mut self, mut args: ExprList, depth: usize) -> Result<ExprList> {
        // Folded in place, in order: each argument is taken out (a null
        // constant, which owns nothing, stands in meanwhile) and its folded
        // form put back, instead of building a second list.
        for arg in &mut args {
            let taken = std::mem::replace(
                arg,
                Expr::Const(Const::null(Oid::INVALID, -1, Oid::INVALID)),
            );
            *arg = self.fold(taken, depth + 1)?;
        }
        Ok(args)
    }

    /// `eval_const_expressions_mutator`.
    fn fold(&mut self, expr: Expr, depth: usize) -> Result<Expr> {
        if depth > DEFAULT_MAX_DEPTH {
            return Err(too_deep());
        }
        match expr {
            Expr::FuncExpr(mut func) => {
                let args = std::mem::take(&mut func.args);
                let args = match self.expand_user_function_args(func.funcid, &args) {
                    Some(expanded) => expanded,
                    None => reorder_named_args(args),
                };
                func.args = self.fold_list(args, depth)?;
                // The call's typmod (a length coercion's) is read from the
                // node itself, which is wrapped and unwrapped for it rather
                // than copied.
                let whole = Expr::FuncExpr(func);
                let typmod = whole.typmod();
                let Expr::FuncExpr(func) = whole else {
                    return Err(Error::Internal("a call changed kind".into()));
                };
                self.settings.input_collation = func.inputcollid;
                if let Some(folded) = self.simplify_function(
                    func.funcid,
                    func.funcresulttype,
                    typmod,
                    func.funccollid,
                    &func.args,
                )? {
                    return Ok(folded);
                }
                if let Some(inlined) = self.inline_builtin_sql(func.funcid, &func.args) {
                    return self.fold(inlined, depth + 1);
                }
                if let Some(inlined) = self.inline_user_function(
                    func.funcid,
                    func.funcresulttype,
                    func.funccollid,
                    func.inputcollid,
                    &func.args,
                    depth,
                )? {
                    return Ok(inlined);
                }
                Ok(Expr::FuncExpr(func))
            }
            Expr::OpExpr(mut op) => {
                op.args = self.fold_list(std::mem::take(&mut op.args), depth)?;
                self.settings.input_collation = op.inputcollid;
                if let Some(folded) =
                    self.simplify_function(op.opfuncid, op.opresulttype, -1, op.opcollid, &op.args)?
                {
                    return Ok(folded);
                }
                if let Some(inlined) = self.inline_builtin_sql(op.opfuncid, &op.args) {
                    return self.fold(inlined, depth + 1);
                }
                // PostgreSQL's simplify_function inlines an operator's SQL
                // function as it does a call.
                if let Some(inlined) = self.inline_user_function(
                    op.opfuncid,
                    op.opresulttype,
                    op.opcollid,
                    op.inputcollid,
                    &op.args,
                    depth,
                )? {
                    return Ok(inlined);
                }
                if op.opno == BOOLEAN_EQUAL_OPERATOR || op.opno == BOOLEAN_NOT_EQUAL_OPERATOR {
                    if let Some(simple) = self.simplify_boolean_equality(&op)? {
                        return Ok(simple);
                    }
                }
                Ok(Expr::OpExpr(op))
            }
            Expr::DistinctExpr(mut op) => {
                op.args = self.fold_list(std::mem::take(&mut op.args), depth)?;
                let consts: Option<Vec<&Const>> = op.args.iter().map(as_const).collect();
                if let Some(consts) = consts {
                    if consts.len() == 2 {
                        let (a, b) = (consts[0].is_null(), consts[1].is_null());
                        if a || b {
                            return Ok(bool_const(Some(a != b)));
                        }
                        self.settings.input_collation = op.inputcollid;
                        if let Some(Expr::Const(c)) =
                            self.simplify_function(op.opfuncid, BOOL, -1, op.opcollid, &op.args)?
                        {
                            let eq = const_bool(&Expr::Const(c)).flatten();
                            return Ok(bool_const(eq.map(|b| !b)));
                        }
                    }
                }
                Ok(Expr::DistinctExpr(op))
            }
            Expr::NullIfExpr(mut op) => {
                op.args = self.fold_list(std::mem::take(&mut op.args), depth)?;
                // If either argument is NULL they can't be equal: the
                // result is the first argument, constant or not.
                if op
                    .args
                    .iter()
                    .any(|a| as_const(a).is_some_and(Const::is_null))
                {
                    if let Some(first) = op.args.into_iter().next() {
                        return Ok(first);
                    }
                    return Err(Error::Internal("NULLIF without arguments".into()));
                }
                if op.args.iter().all(|a| as_const(a).is_some()) && op.args.len() == 2 {
                    self.settings.input_collation = op.inputcollid;
                    if let Some(Expr::Const(eq)) =
                        self.simplify_function(op.opfuncid, BOOL, -1, op.opcollid, &op.args)?
                    {
                        if const_bool(&Expr::Const(eq)) == Some(Some(true)) {
                            let first = &op.args[0];
                            return Ok(Expr::Const(Const::null(
                                first.type_oid(),
                                first.typmod(),
                                op.opcollid,
                            )));
                        }
                        let mut first = op.args[0].clone();
                        if let Expr::Const(c) = &mut first {
                            c.constcollid = op.opcollid;
                        }
                        return Ok(first);
                    }
                }
                Ok(Expr::NullIfExpr(op))
            }
            Expr::ScalarArrayOpExpr(mut saop) => {
                saop.args = self.fold_list(std::mem::take(&mut saop.args), depth)?;
                if saop.args.len() == 2 && saop.args.iter().all(|a| as_const(a).is_some()) {
                    if let Some(result) = self.eval_saop(&saop)? {
                        return Ok(result);
                    }
                }
                Ok(Expr::ScalarArrayOpExpr(saop))
            }
            Expr::BoolExpr(boolexpr) => self.fold_bool(*boolexpr, depth),
            Expr::RelabelType(relabel) => {
                let RelabelType {
                    arg,
                    resulttype,
                    resulttypmod,
                    resultcollid,
                    relabelformat,
                } = *relabel;
                let arg = self.fold(arg, depth + 1)?;
                Ok(apply_relabel(
                    arg,
                    resulttype,
                    resulttypmod,
                    resultcollid,
                    relabelformat,
                ))
            }
            Expr::CollateExpr(collate) => {
                let arg = self.fold(collate.arg, depth + 1)?;
                let (t, m) = (arg.type_oid(), arg.typmod());
                Ok(apply_relabel(
                    arg,
                    t,
                    m,
                    collate.coll_oid,
                    CoercionForm::ImplicitCast,
                ))
            }
            Expr::CoerceToDomain(mut coerce) => {
                coerce.arg = self.fold(coerce.arg, depth + 1)?;
                if !self.domain_has_constraints(coerce.resulttype) {
                    return Ok(apply_relabel(
                        coerce.arg,
                        coerce.resulttype,
                        coerce.resulttypmod,
                        coerce.resultcollid,
                        coerce.coercionformat,
                    ));
                }
                Ok(Expr::CoerceToDomain(coerce))
            }
            Expr::CoerceViaIO(mut coerce) => {
                coerce.arg = self.fold(coerce.arg, depth + 1)?;
                if let Expr::Const(c) = &coerce.arg {
                    if let Some(folded) = self.eval_coerce_via_io(
                        c,
                        coerce.resulttype,
                        coerce.resultcollid,
                        coerce.coerceformat,
                    )? {
                        return Ok(folded);
                    }
                }
                Ok(Expr::CoerceViaIO(coerce))
            }
            Expr::ArrayCoerceExpr(mut coerce) => {
                coerce.arg = self.fold(coerce.arg, depth + 1)?;
                // The element expression reads its input through a
                // CaseTestExpr that must not be replaced by an outer CASE's value.
                let saved = self.case_val.take();
                let elem = self.fold(coerce.elemexpr, depth + 1);
                self.case_val = saved;
                coerce.elemexpr = elem?;
                if let Expr::Const(arr) = &coerce.arg {
                    if !matches!(coerce.elemexpr, Expr::CoerceToDomain(_))
                        && !self.contains_mutable(&coerce.elemexpr)?
                    {
                        if let Some(folded) = self.eval_array_coerce(
                            arr,
                            &coerce.elemexpr,
                            coerce.resulttype,
                            coerce.resulttypmod,
                            coerce.resultcollid,
                            depth,
                        )? {
                            return Ok(folded);
                        }
                    }
                }
                Ok(Expr::ArrayCoerceExpr(coerce))
            }
            Expr::ArrayExpr(mut array) => {
                array.elements = self.fold_list(std::mem::take(&mut array.elements), depth)?;
                if array.elements.iter().all(|e| as_const(e).is_some()) {
                    // Read from the node itself (wrapped and unwrapped for
                    // it) rather than from a copy.
                    let whole = Expr::ArrayExpr(array);
                    let typmod = whole.typmod();
                    let Expr::ArrayExpr(unwrapped) = whole else {
                        return Err(Error::Internal("an array changed kind".into()));
                    };
                    array = unwrapped;
                    let elems: Vec<&Const> = array.elements.iter().filter_map(as_const).collect();
                    match value::array::build_array_const(
                        self.catalog,
                        array.element_typeid,
                        array.multidims,
                        &elems,
                    )? {
                        Evaluated::Value(text) => {
                            return Ok(Expr::Const(Const {
                                consttype: array.array_typeid,
                                consttypmod: typmod,
                                constcollid: array.array_collid,
                                value: Some(text),
                            }))
                        }
                        Evaluated::NotEvaluable(reason) => self.notes.push(FoldNote {
                            expr: render(self.catalog, &Expr::ArrayExpr(array.clone())),
                            reason,
                        }),
                    }
                }
                Ok(Expr::ArrayExpr(array))
            }
            Expr::CaseExpr(case) => self.fold_case(*case, depth),
            Expr::CaseTestExpr(test) => match &self.case_val {
                Some(c) => Ok(Expr::Const(c.clone())),
                None => Ok(Expr::CaseTestExpr(test)),
            },
            Expr::CoalesceExpr(mut coalesce) => {
                let mut newargs = ExprList::new();
                for arg in std::mem::take(&mut coalesce.args) {
                    let e = self.fold(arg, depth + 1)?;
                    if let Expr::Const(c) = &e {
                        if c.is_null() {
                            continue;
                        }
                        if newargs.is_empty() {
                            return Ok(e);
                        }
                        newargs.push(e);
                        break;
                    }
                    newargs.push(e);
                }
                if newargs.is_empty() {
                    return Ok(Expr::Const(Const::null(
                        coalesce.coalescetype,
                        -1,
                        coalesce.coalescecollid,
                    )));
                }
                coalesce.args = newargs;
                Ok(Expr::CoalesceExpr(coalesce))
            }
            Expr::NullTest(ntest) => {
                let NullTest {
                    arg,
                    nulltesttype,
                    argisrow,
                } = *ntest;
                let arg = self.fold(arg, depth + 1)?;
                if argisrow {
                    if let Expr::RowExpr(row) = &arg {
                        return Ok(split_row_null_test(&row.args, nulltesttype));
                    }
                }
                if !argisrow {
                    if let Expr::Const(c) = &arg {
                        let result = match nulltesttype {
                            NullTestType::IsNull => c.is_null(),
                            NullTestType::IsNotNull => !c.is_null(),
                        };
                        return Ok(bool_const(Some(result)));
                    }
                }
                Ok(Expr::NullTest(Box::new(NullTest {
                    arg,
                    nulltesttype,
                    argisrow,
                })))
            }
            Expr::BooleanTest(mut btest) => {
                btest.arg = self.fold(btest.arg, depth + 1)?;
                if let Some(v) = const_bool(&btest.arg) {
                    let result = match btest.booltesttype {
                        BoolTestType::IsTrue => v == Some(true),
                        BoolTestType::IsNotTrue => v != Some(true),
                        BoolTestType::IsFalse => v == Some(false),
                        BoolTestType::IsNotFalse => v != Some(false),
                        BoolTestType::IsUnknown => v.is_none(),
                        BoolTestType::IsNotUnknown => v.is_some(),
                    };
                    return Ok(bool_const(Some(result)));
                }
                Ok(Expr::BooleanTest(btest))
            }
            Expr::FieldSelect(mut fselect) => {
                fselect.arg = self.fold(fselect.arg, depth + 1)?;
                if let Expr::RowExpr(row) = &fselect.arg {
                    let index = usize::try_from(fselect.fieldnum.0)
                        .ok()
                        .and_then(|n| n.checked_sub(1));
                    if let Some(field) = index.and_then(|i| row.args.get(i)) {
                        if field.type_oid() == fselect.resulttype
                            && field.typmod() == fselect.resulttypmod
                            && field.collation() == fselect.resultcollid
                        {
                            return Ok(field.clone());
                        }
                    }
                }
                Ok(Expr::FieldSelect(fselect))
            }
            // Leaves, the most common nodes, have nothing to fold and are
            // kept as they are (what the arm below does for them too,
            // without asking for their empty list of children).
            e @ (Expr::Var(_) | Expr::Const(_) | Expr::Param(_)) => Ok(e),
            // Every other node: fold the sub-expressions, keep the node
            // (GREATEST/LEAST and array subscripts over constants are
            // evaluated). PostgreSQL leaves ROW(...), SQL value functions
            // and the rest unevaluated here too.
            e @ (Expr::Aggref(_)
            | Expr::GroupingFunc(_)
            | Expr::WindowFunc(_)
            | Expr::SubscriptingRef(_)
            | Expr::NamedArgExpr(_)
            | Expr::SubLink(_)
            | Expr::SubPlan(_)
            | Expr::AlternativeSubPlan(_)
            | Expr::FieldStore(_)
            | Expr::ConvertRowtypeExpr(_)
            | Expr::RowExpr(_)
            | Expr::RowCompareExpr(_)
            | Expr::MinMaxExpr(_)
            | Expr::SqlValueFunction(_)
            | Expr::XmlExpr(_)
            | Expr::JsonExpr(_)
            | Expr::CoerceToDomainValue(_)
            | Expr::SetToDefault(_)
            | Expr::CurrentOfExpr(_)
            | Expr::NextValueExpr(_)
            | Expr::PlaceHolderVar(_)) => {
                let mut e = self.fold_children(e, depth)?;
                match &e {
                    Expr::MinMaxExpr(m) => {
                        if let Some(folded) = self.eval_min_max(m)? {
                            return Ok(folded);
                        }
                    }
                    Expr::SubscriptingRef(r) => {
                        if let Some(folded) = self.eval_subscript(r)? {
                            return Ok(folded);
                        }
                    }
                    _ => {}
                }
                if let Expr::SubLink(sublink) = &mut e {
                    // The planner folds a sub-select when it plans it.
                    let saved = self.case_val.take();
                    let r = self.fold_query(&mut sublink.subselect, depth + 1);
                    self.case_val = saved;
                    r?;
                }
                Ok(e)
            }
        }
    }

    /// `simplify_function` / `evaluate_function`: the call folded to a
    /// constant, or `None` to keep it.
    fn simplify_function(
        &mut self,
        funcid: Oid,
        result_type: Oid,
        result_typmod: TypMod,
        result_collid: Oid,
        args: &[Expr],
    ) -> Result<Option<Expr>> {
        let Some(proc) = self.catalog.proc_info(funcid) else {
            return Ok(None);
        };
        if proc.returns_set || result_type == Oid::RECORD_TYPE {
            return Ok(None);
        }
        let mut all_const = true;
        let mut has_null = false;
        for arg in args {
            match arg {
                Expr::Const(c) => has_null |= c.is_null(),
                _ => all_const = false,
            }
        }
        // A strict function is never called on a NULL: the call is NULL,
        // whatever its volatility and its other arguments.
        if proc.strict && has_null {
            return Ok(Some(Expr::Const(Const::null(
                result_type,
                result_typmod,
                result_collid,
            ))));
        }
        if !all_const || proc.volatility != Volatility::Immutable {
            return Ok(None);
        }
        if !self.catalog.is_builtin(funcid) && self.is_cube_function(funcid) {
            let values: Option<Vec<&str>> = args
                .iter()
                .map(|a| as_const(a).and_then(|c| c.value.as_deref()))
                .collect();
            if let Some(values) = values {
                let types: Vec<Oid> = args.iter().map(Expr::type_oid).collect();
                match value::cube::call(&proc.name, &values, &types, &self.settings)? {
                    Some(Evaluated::Value(v)) => {
                        return Ok(Some(Expr::Const(Const {
                            consttype: result_type,
                            consttypmod: result_typmod,
                            constcollid: result_collid,
                            value: v,
                        })))
                    }
                    Some(Evaluated::NotEvaluable(reason)) => {
                        self.note_call(&proc.name, args, &reason);
                        return Ok(None);
                    }
                    None => {}
                }
            }
        }
        if !self.catalog.is_builtin(funcid) {
            if let Some(value) = self.evaluate_user_function(
                funcid,
                result_type,
                result_typmod,
                result_collid,
                args,
            )? {
                return Ok(Some(value));
            }
            let reason = match self.catalog.function(funcid) {
                Some(f) if f.language == "sql" && f.body.is_some() => {
                    "the body of this SQL function does not fold to a constant here (not a bare SELECT expression we analyze, SET clauses, or calls we cannot evaluate), so it is not evaluated"
                }
                Some(f) if f.language == "sql" => {
                    "the body of this SQL function is not known (catalog without function bodies), so it is neither evaluated nor inlined"
                }
                _ => "the body of this function is not known here (not a user SQL function), so the call is not evaluated",
            };
            self.note_call(&proc.name, args, reason);
            return Ok(None);
        }
        let values: Vec<Option<&str>> = args
            .iter()
            .map(|a| as_const(a).and_then(|c| c.value.as_deref()))
            .collect();
        let types: Vec<Oid> = args.iter().map(Expr::type_oid).collect();
        match value::call_builtin(
            self.catalog,
            funcid,
            &values,
            &types,
            result_type,
            &self.settings,
        )? {
            Evaluated::Value(v) => Ok(Some(Expr::Const(Const {
                consttype: result_type,
                consttypmod: result_typmod,
                constcollid: result_collid,
                value: v,
            }))),
            Evaluated::NotEvaluable(reason) => {
                self.note_call(&proc.name, args, &reason);
                Ok(None)
            }
        }
    }

    /// Whether `funcid` is a member of the `cube` extension, whose
    /// accessors [`value::cube`] evaluates.
    fn is_cube_function(&self, funcid: Oid) -> bool {
        self.catalog
            .extension_of(fdw_catalog::objects::ObjectClass::Proc, funcid)
            .is_some_and(|ext| {
                self.catalog
                    .extensions()
                    .any(|e| e.oid == ext && e.name == "cube")
            })
    }

    /// `inline_function` for the built-in SQL-language functions whose
    /// bodies we know: `textanycat` (`select $1 || $2::text`) and
    /// `anytextcat` (`select $1::text || $2`), which are what `'a' || 1`
    /// resolves to. PostgreSQL replaces the call by its body, then folds it.
    fn inline_builtin_sql(&self, funcid: Oid, args: &[Expr]) -> Option<Expr> {
        let proc = self.catalog.builtin().proc(funcid)?;
        let (left, right) = match (proc.name.as_str(), args) {
            ("textanycat", [a, b]) => (a.clone(), self.cast_to_text(b.clone())?),
            ("anytextcat", [a, b]) => (self.cast_to_text(a.clone())?, b.clone()),
            _ => return None,
        };
        let mut args = ExprList::new();
        args.push(left);
        args.push(right);
        Some(Expr::OpExpr(Box::new(OpExpr {
            opno: TEXTCAT_OPERATOR,
            opfuncid: TEXTCAT_FUNCTION,
            opresulttype: TEXT,
            opretset: false,
            opcollid: Oid::DEFAULT_COLLATION,
            inputcollid: Oid::DEFAULT_COLLATION,
            args,
        })))
    }

    /// `arg::text` as parse analysis builds it inside an inlined body.
    fn cast_to_text(&self, arg: Expr) -> Option<Expr> {
        let src = arg.type_oid();
        if src == TEXT {
            return Some(arg);
        }
        match self.catalog.builtin().cast(src, TEXT) {
            Some(cast) => match cast.method {
                fdw_catalog::builtin::CastMethod::Function => {
                    let mut args = ExprList::new();
                    args.push(arg);
                    Some(Expr::FuncExpr(Box::new(fdw_core::expr::FuncExpr {
                        funcid: cast.func,
                        funcresulttype: TEXT,
                        funcretset: false,
                        funcvariadic: false,
                        funcformat: CoercionForm::ExplicitCast,
                        funccollid: Oid::DEFAULT_COLLATION,
                        inputcollid: Oid::DEFAULT_COLLATION,
                        args,
                    })))
                }
                fdw_catalog::builtin::CastMethod::Binary => {
                    Some(Expr::RelabelType(Box::new(RelabelType {
                        arg,
                        resulttype: TEXT,
                        resulttypmod: -1,
                        resultcollid: Oid::DEFAULT_COLLATION,
                        relabelformat: CoercionForm::ExplicitCast,
                    })))
                }
                fdw_catalog::builtin::CastMethod::InOut => None,
            },
            None => Some(Expr::CoerceViaIO(Box::new(CoerceViaIO {
                arg,
                resulttype: TEXT,
                resultcollid: Oid::DEFAULT_COLLATION,
                coerceformat: CoercionForm::ExplicitCast,
            }))),
        }
    }

    fn note_call(&mut self, name: &str, args: &[Expr], reason: &str) {
        let rendered: Vec<String> = args.iter().map(|a| render(self.catalog, a)).collect();
        self.notes.push(FoldNote {
            expr: format!("{name}({})", rendered.join(", ")),
            reason: reason.to_owned(),
        });
    }

    /// `simplify_boolean_equality`: `x = true` ⇒ `x`, `x = false` ⇒ `NOT x`,
    /// and the reverse for `<>`; a `NULL` constant blocks it.
    fn simplify_boolean_equality(&mut self, op: &OpExpr) -> Result<Option<Expr>> {
        if op.args.len() != 2 {
            return Ok(None);
        }
        let equal = op.opno == BOOLEAN_EQUAL_OPERATOR;
        for (c, other) in [(0, 1), (1, 0)] {
            if let Some(Some(v)) = const_bool(&op.args[c]) {
                let keep = v == equal;
                let other = op.args[other].clone();
                return if keep {
                    Ok(Some(other))
                } else {
                    self.negate(other).map(Some)
                };
            }
        }
        Ok(None)
    }

    /// `negate_clause` (prepqual.c): pushes a `NOT` down as far as it can.
    fn negate(&mut self, expr: Expr) -> Result<Expr> {
        match expr {
            Expr::Const(c) => {
                let v = const_bool(&Expr::Const(c.clone())).flatten();
                Ok(match v {
                    None if c.is_null() => bool_const(None),
                    v => bool_const(v.map(|b| !b)),
                })
            }
            Expr::OpExpr(op) => {
                let negator = self
                    .catalog
                    .operator_info(op.opno)
                    .map(|o| o.negator)
                    .filter(|n| !n.is_invalid());
                if let Some(negator) = negator {
                    if let Some(info) = self.catalog.operator_info(negator) {
                        return Ok(Expr::OpExpr(Box::new(OpExpr {
                            opno: negator,
                            opfuncid: info.code,
                            ..*op
                        })));
                    }
                }
                Ok(not_expr(Expr::OpExpr(op)))
            }
            Expr::ScalarArrayOpExpr(saop) => {
                let negator = self
                    .catalog
                    .operator_info(saop.opno)
                    .map(|o| o.negator)
                    .filter(|n| !n.is_invalid());
                if let Some(negator) = negator {
                    if let Some(info) = self.catalog.operator_info(negator) {
                        let mut new = saop.clone();
                        new.opno = negator;
                        new.opfuncid = info.code;
                        new.use_or = !saop.use_or;
                        new.hashfuncid = Oid::INVALID;
                        new.negfuncid = Oid::INVALID;
                        return Ok(Expr::ScalarArrayOpExpr(new));
                    }
                }
                Ok(not_expr(Expr::ScalarArrayOpExpr(saop)))
            }
            Expr::BoolExpr(b) => match b.boolop {
                BoolExprType::And | BoolExprType::Or => {
                    let mut args = ExprList::new();
                    for arg in b.args {
                        args.push(self.negate(arg)?);
                    }
                    let boolop = if b.boolop == BoolExprType::And {
                        BoolExprType::Or
                    } else {
                        BoolExprType::And
                    };
                    Ok(Expr::BoolExpr(Box::new(BoolExpr { boolop, args })))
                }
                BoolExprType::Not => match b.args.into_iter().next() {
                    Some(inner) => Ok(inner),
                    None => Err(Error::Internal("NOT without an argument".into())),
                },
            },
            Expr::NullTest(mut ntest) if !ntest.argisrow => {
                ntest.nulltesttype = match ntest.nulltesttype {
                    NullTestType::IsNull => NullTestType::IsNotNull,
                    NullTestType::IsNotNull => NullTestType::IsNull,
                };
                Ok(Expr::NullTest(ntest))
            }
            Expr::BooleanTest(mut btest) => {
                btest.booltesttype = match btest.booltesttype {
                    BoolTestType::IsTrue => BoolTestType::IsNotTrue,
                    BoolTestType::IsNotTrue => BoolTestType::IsTrue,
                    BoolTestType::IsFalse => BoolTestType::IsNotFalse,
                    BoolTestType::IsNotFalse => BoolTestType::IsFalse,
                    BoolTestType::IsUnknown => BoolTestType::IsNotUnknown,
                    BoolTestType::IsNotUnknown => BoolTestType::IsUnknown,
                };
                Ok(Expr::BooleanTest(btest))
            }
            other => Ok(not_expr(other)),
        }
    }

    fn fold_bool(&mut self, b: BoolExpr, depth: usize) -> Result<Expr> {
        match b.boolop {
            BoolExprType::Not => {
                let Some(arg) = b.args.into_iter().next() else {
                    return Err(Error::Internal("NOT without an argument".into()));
                };
                let arg = self.fold(arg, depth + 1)?;
                self.negate(arg)
            }
            BoolExprType::And | BoolExprType::Or => {
                let is_or = b.boolop == BoolExprType::Or;
                // In OR a TRUE decides and a FALSE is dropped; in AND the reverse.
                let decisive = is_or;
                let mut pending: Vec<Expr> = b.args.into_iter().rev().collect();
                let mut newargs = ExprList::new();
                let mut have_null = false;
                while let Some(arg) = pending.pop() {
                    let arg = match same_bool_args(arg, b.boolop) {
                        Ok(sub) => {
                            pending.extend(sub.into_iter().rev());
                            continue;
                        }
                        Err(arg) => arg,
                    };
                    let arg = self.fold(arg, depth + 1)?;
                    let arg = match same_bool_args(arg, b.boolop) {
                        Ok(sub) => {
                            pending.extend(sub.into_iter().rev());
                            continue;
                        }
                        Err(arg) => arg,
                    };
                    match const_bool(&arg) {
                        Some(None) => have_null = true,
                        Some(Some(v)) if v == decisive => return Ok(bool_const(Some(decisive))),
                        Some(Some(_)) => {}
                        None => newargs.push(arg),
                    }
                }
                if have_null {
                    newargs.push(bool_const(None));
                }
                if newargs.is_empty() {
                    return Ok(bool_const(Some(!decisive)));
                }
                if newargs.len() == 1 {
                    if let Some(only) = newargs.pop() {
                        return Ok(only);
                    }
                }
                Ok(Expr::BoolExpr(Box::new(BoolExpr {
                    boolop: b.boolop,
                    args: newargs,
                })))
            }
        }
    }

    fn fold_case(&mut self, case: CaseExpr, depth: usize) -> Result<Expr> {
        let CaseExpr {
            casetype,
            casecollid,
            arg,
            args,
            defresult,
        } = case;
        let newarg = match arg {
            Some(a) => Some(self.fold(a, depth + 1)?),
            None => None,
        };
        let saved = self.case_val.take();
        let newarg = match newarg {
            Some(Expr::Const(c)) => {
                self.case_val = Some(c);
                None
            }
            other => other,
        };
        let result = self.fold_case_arms(args, defresult, depth);
        self.case_val = saved;
        let (newargs, defresult) = result?;
        if newargs.is_empty() {
            return Ok(match defresult {
                Some(d) => d,
                None => Expr::Const(Const::null(casetype, -1, casecollid)),
            });
        }
        Ok(Expr::CaseExpr(Box::new(CaseExpr {
            casetype,
            casecollid,
            arg: newarg,
            args: newargs,
            defresult,
        })))
    }

    fn fold_case_arms(
        &mut self,
        args: Vec<CaseWhen>,
        defresult: Option<Expr>,
        depth: usize,
    ) -> Result<(Vec<CaseWhen>, Option<Expr>)> {
        let mut newargs = Vec::new();
        for when in args {
            let cond = self.fold(when.expr, depth + 1)?;
            let const_true = match const_bool(&cond) {
                Some(Some(true)) => true,
                // A FALSE or NULL test: the arm can never be taken.
                Some(_) => continue,
                None => false,
            };
            let result = self.fold(when.result, depth + 1)?;
            if const_true {
                // No later arm can be reached: this result is the ELSE.
                return Ok((newargs, Some(result)));
            }
            newargs.push(CaseWhen { expr: cond, result });
        }
        let defresult = match defresult {
            Some(d) => Some(self.fold(d, depth + 1)?),
            None => None,
        };
        Ok((newargs, defresult))
    }

    /// Evaluates `scalar op ANY/ALL (array)` over constants as the executor does.
    fn eval_saop(&mut self, saop: &fdw_core::expr::ScalarArrayOpExpr) -> Result<Option<Expr>> {
        self.settings.input_collation = saop.inputcollid;
        let Some(proc) = self.catalog.proc_info(saop.opfuncid) else {
            return Ok(None);
        };
        if proc.volatility != Volatility::Immutable {
            return Ok(None);
        }
        let (Some(scalar), Some(array)) = (as_const(&saop.args[0]), as_const(&saop.args[1])) else {
            return Ok(None);
        };
        let Some(array_text) = array.value.as_deref() else {
            return Ok(Some(bool_const(None)));
        };
        let elem_type = self
            .catalog
            .type_info(array.consttype)
            .map_or(Oid::INVALID, |t| t.elem);
        let elems = match value::array::parse_array_elements(self.catalog, elem_type, array_text)? {
            Evaluated::Value(e) => e,
            Evaluated::NotEvaluable(reason) => {
                self.note_call(&proc.name, &saop.args, &reason);
                return Ok(None);
            }
        };
        if elems.is_empty() {
            return Ok(Some(bool_const(Some(!saop.use_or))));
        }
        if scalar.is_null() && proc.strict {
            return Ok(Some(bool_const(None)));
        }
        let types = [scalar.consttype, elem_type];
        let mut result_null = false;
        for elem in &elems {
            let this = if elem.is_none() && proc.strict {
                None
            } else {
                let values = [scalar.value.as_deref(), elem.as_deref()];
                match value::call_builtin(
                    self.catalog,
                    saop.opfuncid,
                    &values,
                    &types,
                    BOOL,
                    &self.settings,
                )? {
                    Evaluated::Value(v) => v.map(|s| s == "t" || s == "true"),
                    Evaluated::NotEvaluable(reason) => {
                        self.note_call(&proc.name, &saop.args, &reason);
                        return Ok(None);
                    }
                }
            };
            match this {
                None => result_null = true,
                Some(v) if v == saop.use_or => return Ok(Some(bool_const(Some(v)))),
                Some(_) => {}
            }
        }
        Ok(Some(bool_const(if result_null {
            None
        } else {
            Some(!saop.use_or)
        })))
    }

    /// `GREATEST` / `LEAST` over constants (`ExecEvalMinMax`, folded by
    /// the generic "all inputs constant" rule of PostgreSQL 15): `NULL`s
    /// are skipped, the rest compared with the type's `<` operator.
    fn eval_min_max(&mut self, m: &fdw_core::expr::MinMaxExpr) -> Result<Option<Expr>> {
        // Text is compared under the call's input collation.
        self.settings.input_collation = m.inputcollid;
        let mut values = Vec::with_capacity(m.args.len());
        for arg in m.args.iter() {
            match as_const(arg) {
                Some(c) => values.push(c.value.as_deref()),
                None => return Ok(None),
            }
        }
        let typmod = Expr::MinMaxExpr(Box::new(m.clone())).typmod();
        let mut best: Option<&str> = None;
        for v in values.into_iter().flatten() {
            let Some(current) = best else {
                best = Some(v);
                continue;
            };
            // GREATEST keeps the current value unless it is less than v.
            let (left, right) = match m.op {
                fdw_core::expr::MinMaxOp::Greatest => (current, v),
                fdw_core::expr::MinMaxOp::Least => (v, current),
            };
            match self.less_than(m.minmaxtype, left, right)? {
                Evaluated::Value(true) => best = Some(v),
                Evaluated::Value(false) => {}
                Evaluated::NotEvaluable(reason) => {
                    let name = match m.op {
                        fdw_core::expr::MinMaxOp::Greatest => "GREATEST",
                        fdw_core::expr::MinMaxOp::Least => "LEAST",
                    };
                    self.note_call(name, &m.args, &reason);
                    return Ok(None);
                }
            }
        }
        Ok(Some(Expr::Const(Const {
            consttype: m.minmaxtype,
            consttypmod: typmod,
            constcollid: m.minmaxcollid,
            value: best.map(str::to_owned),
        })))
    }

    /// `left < right` for two non-NULL values of `type_oid`, by the
    /// type's built-in `<` operator (enums and arrays by the polymorphic
    /// ones).
    fn less_than(&self, type_oid: Oid, left: &str, right: &str) -> Result<Evaluated<bool>> {
        let builtin = self.catalog.builtin();
        let mut operand = type_oid;
        let mut operator = builtin.operator_by_signature(PG_CATALOG, "<", operand, operand);
        if operator.is_none() {
            operand = match value::misc_shape_generic(self.catalog, type_oid) {
                Some(generic) => generic,
                None => {
                    return Ok(Evaluated::NotEvaluable(format!(
                        "no built-in < operator for type {}",
                        self.catalog.format_type(type_oid)
                    )))
                }
            };
            operator = builtin.operator_by_signature(PG_CATALOG, "<", operand, operand);
        }
        let Some(operator) = operator else {
            return Ok(Evaluated::NotEvaluable(format!(
                "no built-in < operator for type {}",
                self.catalog.format_type(type_oid)
            )));
        };
        let values = [Some(left), Some(right)];
        let types = [type_oid, type_oid];
        Ok(value::call_builtin(
            self.catalog,
            operator.code,
            &values,
            &types,
            BOOL,
            &self.settings,
        )?
        .map(|v| v.as_deref() == Some("t")))
    }

    /// An array element fetched by constant subscripts from a constant
    /// array (`array_subscript_fetch`): `NULL` for a `NULL` array or
    /// subscript, a subscript out of bounds or a count of subscripts other
    /// than the array's dimensions. Slices and non-array containers are
    /// left alone.
    fn eval_subscript(&mut self, r: &fdw_core::expr::SubscriptingRef) -> Result<Option<Expr>> {
        if r.refassgnexpr.is_some() || !r.reflowerindexpr.is_empty() {
            return Ok(None);
        }
        let Some(container) = as_const(&r.refexpr) else {
            return Ok(None);
        };
        let mut subscripts = Vec::with_capacity(r.refupperindexpr.len());
        for s in &r.refupperindexpr {
            match s.as_ref().and_then(as_const) {
                Some(c) => subscripts.push(c.value.as_deref()),
                None => return Ok(None),
            }
        }
        let is_array = self
            .catalog
            .type_info(r.refcontainertype)
            .is_some_and(|t| t.is_true_array() && t.elem == r.refelemtype);
        if !is_array || r.refrestype != r.refelemtype {
            return Ok(None);
        }
        let null = || {
            Ok(Some(Expr::Const(Const::null(
                r.refrestype,
                r.reftypmod,
                r.refcollid,
            ))))
        };
        let Some(text) = container.value.as_deref() else {
            return null();
        };
        let mut indexes = Vec::with_capacity(subscripts.len());
        for s in subscripts {
            let Some(s) = s else {
                return null();
            };
            match s.parse::<i64>() {
                Ok(i) => indexes.push(i),
                Err(_) => return Ok(None),
            }
        }
        let array = match value::array::parse_array(self.catalog, r.refelemtype, text)? {
            Evaluated::Value(a) => a,
            Evaluated::NotEvaluable(reason) => {
                self.note_call("subscript", std::slice::from_ref(&r.refexpr), &reason);
                return Ok(None);
            }
        };
        if array.dims.is_empty() || array.dims.len() != indexes.len() {
            return null();
        }
        let mut offset: usize = 0;
        for (&(lower, len), &index) in array.dims.iter().zip(&indexes) {
            let Some(position) = index.checked_sub(lower) else {
                return null();
            };
            let Ok(position) = usize::try_from(position) else {
                return null();
            };
            if position >= len {
                return null();
            }
            offset = offset
                .checked_mul(len)
                .and_then(|o| o.checked_add(position))
                .ok_or_else(|| Error::Internal("array offset overflow".into()))?;
        }
        match array.elems.get(offset) {
            Some(element) => Ok(Some(Expr::Const(Const {
                consttype: r.refrestype,
                consttypmod: r.reftypmod,
                constcollid: r.refcollid,
                value: element.clone(),
            }))),
            None => null(),
        }
    }

    /// `CoerceViaIO` over a constant: the output function, then the input
    /// function, each only when immutable (both are strict).
    fn eval_coerce_via_io(
        &mut self,
        c: &Const,
        resulttype: Oid,
        resultcollid: Oid,
        format: CoercionForm,
    ) -> Result<Option<Expr>> {
        let (Some(src), Some(dst)) = (
            self.catalog.type_info(c.consttype),
            self.catalog.type_info(resulttype),
        ) else {
            return Ok(None);
        };
        let out = self.catalog.proc_info(src.output);
        let inp = self.catalog.proc_info(dst.input);
        let (Some(out), Some(inp)) = (out, inp) else {
            return Ok(None);
        };
        let Some(text) = c.value.as_deref() else {
            if out.strict && inp.strict {
                return Ok(Some(Expr::Const(Const::null(resulttype, -1, resultcollid))));
            }
            return Ok(None);
        };
        if out.volatility != Volatility::Immutable {
            return Ok(None);
        }
        let outside = match value::output(self.catalog, c.consttype, text, &self.settings)? {
            Evaluated::Value(t) => t,
            Evaluated::NotEvaluable(reason) => {
                self.note_call(&out.name, &[Expr::Const(c.clone())], &reason);
                return Ok(None);
            }
        };
        if inp.volatility != Volatility::Immutable {
            // PostgreSQL keeps the folded output call: the CoerceViaIO now
            // reads a cstring constant.
            return Ok(Some(Expr::CoerceViaIO(Box::new(CoerceViaIO {
                arg: Expr::Const(Const::new(CSTRING, Oid::INVALID, outside)),
                resulttype,
                resultcollid,
                coerceformat: format,
            }))));
        }
        match value::input(self.catalog, resulttype, -1, &outside, &self.settings)? {
            Evaluated::Value(v) => Ok(Some(Expr::Const(Const {
                consttype: resulttype,
                consttypmod: -1,
                constcollid: resultcollid,
                value: Some(v),
            }))),
            Evaluated::NotEvaluable(reason) => {
                self.note_call(&inp.name, &[Expr::Const(c.clone())], &reason);
                Ok(None)
            }
        }
    }

    /// `ArrayCoerceExpr` over a constant array: the element expression
    /// folded for each element.
    fn eval_array_coerce(
        &mut self,
        arr: &Const,
        elemexpr: &Expr,
        resulttype: Oid,
        resulttypmod: TypMod,
        resultcollid: Oid,
        depth: usize,
    ) -> Result<Option<Expr>> {
        let Some(text) = arr.value.as_deref() else {
            return Ok(Some(Expr::Const(Const::null(
                resulttype,
                resulttypmod,
                resultcollid,
            ))));
        };
        let src_elem = self
            .catalog
            .type_info(arr.consttype)
            .map_or(Oid::INVALID, |t| t.elem);
        let dst_elem = self
            .catalog
            .type_info(resulttype)
            .map_or(Oid::INVALID, |t| t.elem);
        let parsed = match value::array::parse_array(self.catalog, src_elem, text)? {
            Evaluated::Value(p) => p,
            Evaluated::NotEvaluable(reason) => {
                self.notes.push(FoldNote {
                    expr: render(self.catalog, elemexpr),
                    reason,
                });
                return Ok(None);
            }
        };
        // The parsed elements are moved into the per-element constants, not
        // copied: they are not needed afterwards.
        let value::array::ArrayValue { dims, elems } = parsed;
        let mut out = Vec::with_capacity(elems.len());
        for elem in elems {
            let saved = self.case_val.replace(Const {
                consttype: src_elem,
                consttypmod: arr.consttypmod,
                constcollid: arr.constcollid,
                value: elem,
            });
            let folded = self.fold(elemexpr.clone(), depth + 1);
            self.case_val = saved;
            match folded? {
                Expr::Const(c) => out.push(c.value),
                _ => return Ok(None),
            }
        }
        let result = value::array::ArrayValue { dims, elems: out };
        match value::array::format_array(self.catalog, dst_elem, &result)? {
            Evaluated::Value(text) => Ok(Some(Expr::Const(Const {
                consttype: resulttype,
                consttypmod: resulttypmod,
                constcollid: resultcollid,
                value: Some(text),
            }))),
            Evaluated::NotEvaluable(reason) => {
                self.notes.push(FoldNote {
                    expr: render(self.catalog, elemexpr),
                    reason,
                });
                Ok(None)
            }
        }
    }

    /// `contain_mutable_functions` for the nodes an element coercion holds.
    fn contains_mutable(&self, expr: &Expr) -> Result<bool> {
        let catalog = self.catalog;
        let volatile_fn = |oid: Oid| {
            catalog
                .proc_info(oid)
                .is_none_or(|p| p.volatility != Volatility::Immutable)
        };
        fdw_core::expr::any_node(expr, |node| match node {
            Expr::FuncExpr(f) => volatile_fn(f.funcid),
            Expr::OpExpr(op) | Expr::DistinctExpr(op) | Expr::NullIfExpr(op) => {
                volatile_fn(op.opfuncid)
            }
            Expr::ScalarArrayOpExpr(s) => volatile_fn(s.opfuncid),
            Expr::CoerceViaIO(c) => {
                let src = catalog.type_info(c.arg.type_oid());
                let dst = catalog.type_info(c.resulttype);
                match (src, dst) {
                    (Some(s), Some(d)) => volatile_fn(s.output) || volatile_fn(d.input),
                    _ => true,
                }
            }
            Expr::SqlValueFunction(_) | Expr::NextValueExpr(_) => true,
            _ => false,
        })
        .map_err(Error::from)
    }

    fn domain_has_constraints(&self, domain: Oid) -> bool {
        match self.catalog.user_type(domain).map(|t| &t.kind) {
            Some(fdw_catalog::objects::UserTypeKind::Domain {
                not_null, checks, ..
            }) => *not_null || !checks.is_empty(),
            // Built-in domains (information_schema's) carry constraints of
            // their own; keep the check.
            _ => true,
        }
    }
}

/// `NOT arg`.
fn not_expr(arg: Expr) -> Expr {
    let mut args = ExprList::new();
    args.push(arg);
    Expr::BoolExpr(Box::new(BoolExpr {
        boolop: BoolExprType::Not,
        args,
    }))
}

/// The arguments of `expr` when it is a `BoolExpr` of kind `op` (nested
/// ANDs and ORs are flattened), moved out of it; otherwise `expr` back.
fn same_bool_args(expr: Expr, op: BoolExprType) -> std::result::Result<ExprList, Expr> {
    match expr {
        Expr::BoolExpr(b) if b.boolop == op => Ok(b.args),
        other => Err(other),
    }
}

/// `ROW(a, b, ...) IS [NOT] NULL` split into per-field scalar tests.
fn split_row_null_test(fields: &[Expr], kind: NullTestType) -> Expr {
    let mut tests = ExprList::new();
    for field in fields {
        if let Expr::Const(c) = field {
            let wrong = if c.is_null() {
                kind == NullTestType::IsNotNull
            } else {
                kind == NullTestType::IsNull
            };
            if wrong {
                return bool_const(Some(false));
            }
            continue;
        }
        tests.push(Expr::NullTest(Box::new(NullTest {
            arg: field.clone(),
            nulltesttype: kind,
            argisrow: false,
        })));
    }
    match tests.len() {
        0 => bool_const(Some(true)),
        1 => tests.pop().unwrap_or_else(|| bool_const(Some(true))),
        _ => Expr::BoolExpr(Box::new(BoolExpr {
            boolop: BoolExprType::And,
            args: tests,
        })),
    }
}

/// `applyRelabelType`: stacked relabels collapse, a constant takes the new
/// type, typmod and collation, and a relabel to what the argument already
/// is disappears.
fn apply_relabel(
    arg: Expr,
    resulttype: Oid,
    resulttypmod: TypMod,
    resultcollid: Oid,
    format: CoercionForm,
) -> Expr {
    let mut arg = arg;
    while let Expr::RelabelType(inner) = arg {
        arg = inner.arg;
    }
    match arg {
        Expr::Const(mut c) => {
            c.consttype = resulttype;
            c.consttypmod = resulttypmod;
            c.constcollid = resultcollid;
            Expr::Const(c)
        }
        arg if arg.type_oid() == resulttype
            && arg.typmod() == resulttypmod
            && arg.collation() == resultcollid =>
        {
            arg
        }
        arg => Expr::RelabelType(Box::new(RelabelType {
            arg,
            resulttype,
            resulttypmod,
            resultcollid,
            relabelformat: format,
        })),
    }
}

/// Puts named arguments (`f(b => 1, a => 2)`) in positional order, as
/// `expand_function_arguments` does, and strips the `NamedArgExpr` nodes.
fn reorder_named_args(args: ExprList) -> ExprList {
    if !args.iter().any(|a| matches!(a, Expr::NamedArgExpr(_))) {
        return args;
    }
    let mut slots: Vec<Option<Expr>> = vec![None; args.len()];
    let mut overflow = Vec::new();
    for (i, arg) in args.into_iter().enumerate() {
        let (pos, e) = match arg {
            Expr::NamedArgExpr(named) => {
                let pos = usize::try_from(named.argnumber).unwrap_or(usize::MAX);
                (pos, named.arg)
            }
            other => (i, other),
        };
        match slots.get_mut(pos) {
            Some(slot @ None) => *slot = Some(e),
            _ => overflow.push(e),
        }
    }
    let mut out: ExprList = slots.into_iter().flatten().collect();
    out.extend(overflow);
    out
}

/// A short readable rendering of an expression for notes.
fn render(catalog: &Catalog, expr: &Expr) -> String {
    match expr {
        Expr::Const(c) => match &c.value {
            Some(v) => format!(
                "'{}'::{}",
                v.replace('\'', "''"),
                catalog.format_type(c.consttype)
            ),
            None => format!("NULL::{}", catalog.format_type(c.consttype)),
        },
        Expr::FuncExpr(f) => {
            let name: Cow<'_, str> = catalog
                .proc_info(f.funcid)
                .map_or(Cow::Borrowed("?"), |p| Cow::Owned(p.name.clone()));
            let args: Vec<String> = f.args.iter().map(|a| render(catalog, a)).collect();
            format!("{name}({})", args.join(", "))
        }
        Expr::OpExpr(op) => {
            let name = catalog
                .operator_info(op.opno)
                .map_or_else(|| "?".to_owned(), |o| o.name.clone());
            let args: Vec<String> = op.args.iter().map(|a| render(catalog, a)).collect();
            match args.as_slice() {
                [a, b] => format!("({a} {name} {b})"),
                [a] => format!("({name} {a})"),
                _ => format!("{name}({})", args.join(", ")),
            }
        }
        other => {
            let kids: Vec<String> = other
                .children()
                .iter()
                .map(|a| render(catalog, a))
                .collect();
            format!("<{}>({})", other.node_name(), kids.join(", "))
        }
    }
}
