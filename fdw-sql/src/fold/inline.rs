//! `inline_function` for user SQL-language functions: a call of a function
//! whose body is a bare `SELECT expression` (or `RETURN expression`) is
//! replaced by that expression with the call's arguments put in for its
//! parameters, then folded again, exactly when PostgreSQL 15's planner
//! does it (`optimizer/util/clauses.c`).
//!
//! Why it matters here: the inlined expression usually calls only built-in
//! functions and operators, which postgres_fdw ships, while the call of the
//! user function itself stays a local filter.
//!
//! Each refusal below is one of PostgreSQL's: where we cannot tell whether
//! PostgreSQL would inline (a body our parser or analyzer does not take,
//! polymorphic types, a non-default input collation), we keep the call,
//! which is what PostgreSQL does for non-inlinable functions and never
//! changes what the query computes.

use fdw_catalog::objects::{Function, FunctionBody, FunctionKind, Volatility as UserVolatility};
use fdw_core::expr::{CollateExpr, Expr, ExprList, ParamKind, Visit};
use fdw_core::query::{CommandType, Query};
use fdw_core::Oid;

use super::Folder;
use crate::error::Result;
use crate::types::{self, CoercionContext};

/// `VOID`.
const VOID: Oid = Oid(2278);

/// A function body reduced to its single result expression, over `$n`
/// parameters, already coerced to the declared result type.
struct SimpleBody {
    expr: Expr,
}

impl Folder<'_> {
    /// `inline_function`: the folded body of the SQL function `funcid`
    /// with `args` substituted, or `None` when PostgreSQL 15 would keep
    /// the call.
    ///
    /// # Errors
    ///
    /// Only what folding the inlined expression raises (PostgreSQL raises
    /// the same while folding it); an unparsable or unanalyzable body
    /// means "not inlined".
    pub(super) fn inline_user_function(
        &mut self,
        funcid: Oid,
        result_type: Oid,
        result_collid: Oid,
        input_collid: Oid,
        args: &[Expr],
        depth: usize,
    ) -> Result<Option<Expr>> {
        let catalog = self.catalog;
        let Some(func) = catalog.function(funcid) else {
            return Ok(None);
        };
        // The showstoppers PostgreSQL checks first.
        if func.language != "sql"
            || func.security_definer
            || func.returns_set
            || result_type == Oid::RECORD_TYPE
            || !func.config.is_empty()
            || func.input_types().len() != args.len()
        {
            return Ok(None);
        }
        // A function being expanded is not expanded again inside itself.
        if self.active_fns.contains(&funcid) {
            return Ok(None);
        }
        let Some(body) = self.simple_body(func, result_type, input_collid, args) else {
            return Ok(None);
        };
        let newexpr = body.expr;
        // The body must not be more volatile than the function claims, and
        // a strict function's body must be strict in its parameters.
        let mutable = match func.volatility {
            UserVolatility::Immutable => contain_mutable(catalog, &newexpr)?,
            UserVolatility::Stable => crate::joins::contain_volatile(catalog, &newexpr)?,
            UserVolatility::Volatile => false,
        };
        if mutable {
            return Ok(None);
        }
        if func.strict && crate::joins::contain_nonstrict(catalog, &newexpr)? {
            return Ok(None);
        }
        for arg in args {
            if contain_context_dependent_node(arg)? {
                return Ok(None);
            }
        }
        let (mut newexpr, usecounts) = substitute_actual_parameters(newexpr, args)?;
        for (arg, uses) in args.iter().zip(&usecounts) {
            match uses {
                0 if func.strict => return Ok(None),
                0 | 1 => {}
                _ => {
                    // Several uses: not when the argument is expensive (a
                    // sub-plan or more than ten operators' worth) or volatile.
                    if contain_subplans(arg)? || self.is_expensive(arg)? {
                        return Ok(None);
                    }
                    if crate::joins::contain_volatile(catalog, arg)? {
                        return Ok(None);
                    }
                }
            }
        }
        // A collatable result exposes the call's collation.
        if !result_collid.is_invalid() {
            let exprcoll = newexpr.collation();
            if !exprcoll.is_invalid() && exprcoll != result_collid {
                newexpr = Expr::CollateExpr(Box::new(CollateExpr {
                    arg: newexpr,
                    coll_oid: result_collid,
                }));
            }
        }
        self.active_fns.push(funcid);
        let folded = self.fold(newexpr, depth + 1);
        self.active_fns.pop();
        folded.map(Some)
    }

    /// `evaluate_function` for an immutable user SQL function over
    /// constants: PostgreSQL runs the function; we fold its body with the
    /// constants put in, and answer only when that gives a constant
    /// (`None` keeps the call: the body is not a bare `SELECT expression`,
    /// its `SET` clauses would change how it runs, or it does not fold).
    ///
    /// # Errors
    ///
    /// What folding the body raises, as running it would.
    pub(super) fn evaluate_user_function(
        &mut self,
        funcid: Oid,
        result_type: Oid,
        result_typmod: fdw_core::TypMod,
        result_collid: Oid,
        args: &[Expr],
    ) -> Result<Option<Expr>> {
        let catalog = self.catalog;
        let Some(func) = catalog.function(funcid) else {
            return Ok(None);
        };
        if func.language != "sql"
            || func.returns_set
            || !func.config.is_empty()
            || func.input_types().len() != args.len()
            || self.active_fns.contains(&funcid)
            || !args.iter().all(|a| matches!(a, Expr::Const(_)))
        {
            return Ok(None);
        }
        // The call's input collation, from its (constant) arguments: the
        // one non-default collation among them, else the default. Two
        // different ones would be a conflict the constants no longer show
        // the strengths of, so the call is kept.
        let mut input_collid = Oid::INVALID;
        for arg in args {
            let coll = arg.collation();
            if coll.is_invalid() || coll == types::oids::DEFAULT_COLLATION {
                continue;
            }
            if !input_collid.is_invalid() && input_collid != coll {
                return Ok(None);
            }
            input_collid = coll;
        }
        let Some(body) = self.simple_body(func, result_type, input_collid, args) else {
            return Ok(None);
        };
        let (newexpr, _) = substitute_actual_parameters(body.expr, args)?;
        self.active_fns.push(funcid);
        let folded = self.fold(newexpr, 0);
        self.active_fns.pop();
        match folded? {
            Expr::Const(mut c) => {
                c.consttypmod = result_typmod;
                c.constcollid = result_collid;
                Ok(Some(Expr::Const(c)))
            }
            _ => Ok(None),
        }
    }

    /// `expand_function_arguments` for a user function: the call's
    /// arguments in declaration order with the declared defaults put in
    /// for the missing ones, as the planner does for every call. `None`
    /// when nothing is missing or a default cannot be rebuilt exactly (the
    /// call is then kept as written).
    pub(super) fn expand_user_function_args(&self, funcid: Oid, args: &[Expr]) -> Option<ExprList> {
        let func = self.catalog.function(funcid)?;
        let inputs: Vec<&fdw_catalog::objects::FunctionArg> =
            func.args.iter().filter(|a| a.mode.is_input()).collect();
        if args.len() >= inputs.len() {
            return None;
        }
        let mut slots: Vec<Option<Expr>> = vec![None; inputs.len()];
        for (i, arg) in args.iter().enumerate() {
            let (pos, value) = match arg {
                Expr::NamedArgExpr(named) => (usize::try_from(named.argnumber).ok()?, &named.arg),
                other => (i, other),
            };
            let slot = slots.get_mut(pos)?;
            if slot.is_some() {
                return None;
            }
            *slot = Some(value.clone());
        }
        let mut out = ExprList::new();
        for (slot, decl) in slots.into_iter().zip(inputs) {
            match slot {
                Some(value) => out.push(value),
                None => out.push(self.default_expr(decl)?),
            }
        }
        Some(out)
    }

    /// A parameter's `DEFAULT` as `CREATE FUNCTION` stores it: analyzed,
    /// then coerced to the parameter's type by an assignment coercion.
    fn default_expr(&self, decl: &fdw_catalog::objects::FunctionArg) -> Option<Expr> {
        // A polymorphic default's type comes from the call; not rebuilt.
        if types::oids::is_polymorphic(decl.type_oid) {
            return None;
        }
        let text = decl.default.as_ref()?;
        let mut statements = crate::parse::parse(&format!("SELECT {text}")).ok()?;
        if statements.len() != 1 {
            return None;
        }
        let sqlparser::ast::Statement::Query(statement) = statements.pop()? else {
            return None;
        };
        let query =
            crate::analyze::analyze_function_body(self.catalog, &statement, &[], &[]).ok()?;
        let expr = single_select_expression(query).ok()??;
        let mut coerced = types::coerce_to_target_type(
            self.catalog,
            expr,
            decl.type_oid,
            -1,
            CoercionContext::Assignment,
            fdw_core::expr::CoercionForm::ImplicitCast,
            None,
        )
        .ok()??;
        types::assign_expr_collations(self.catalog, &mut coerced).ok()?;
        Some(coerced)
    }

    /// `cost_qual_eval(arg) > 10 * cpu_operator_cost`; an argument whose
    /// cost cannot be computed counts as expensive (the call is kept).
    fn is_expensive(&self, arg: &Expr) -> Result<bool> {
        let params = fdw_cost::CostParams::from_settings(self.catalog.settings());
        match fdw_cost::cost_qual_eval_node(self.catalog, &params, arg) {
            Ok(cost) => Ok(cost.startup + cost.per_tuple > 10.0 * params.cpu_operator_cost),
            Err(_) => Ok(true),
        }
    }

    /// Parses and analyzes the body of `func` and checks that it is a bare
    /// `SELECT expression` returning `result_type` (after the assignment
    /// coercion `check_sql_fn_retval` adds); `None` otherwise.
    fn simple_body(
        &self,
        func: &Function,
        result_type: Oid,
        input_collid: Oid,
        args: &[Expr],
    ) -> Option<SimpleBody> {
        if func.kind != FunctionKind::Function || func.return_type == Oid::RECORD_TYPE {
            return None;
        }
        // A polymorphic parameter has the type of the call's argument
        // (`prepare_sql_fn_parse_info`); a polymorphic result is the call's
        // resolved result type, which `result_type` already is.
        let param_types: Vec<Oid> = func
            .input_types()
            .into_iter()
            .zip(args)
            .map(|(declared, arg)| {
                if types::oids::is_polymorphic(declared) {
                    arg.type_oid()
                } else {
                    declared
                }
            })
            .collect();
        if param_types.len() != args.len() {
            return None;
        }
        let text = body_select_text(func.body.as_ref()?)?;
        let mut statements = crate::parse::parse(&text).ok()?;
        if statements.len() != 1 {
            return None;
        }
        let sqlparser::ast::Statement::Query(statement) = statements.pop()? else {
            return None;
        };
        let names: Vec<Option<String>> = func
            .args
            .iter()
            .filter(|a| a.mode.is_input())
            .map(|a| a.name.clone())
            .collect();
        let query =
            crate::analyze::analyze_function_body(self.catalog, &statement, &param_types, &names)
                .ok()?;
        let mut expr = single_select_expression(query).ok()??;
        // Collatable parameters take the call's input collation
        // (`sql_fn_make_param`); the body's collations are then derived
        // again from them, as parse analysis would have.
        if !(input_collid.is_invalid() || input_collid == types::oids::DEFAULT_COLLATION) {
            fdw_core::expr::transform_up(&mut expr, &mut |node: &mut Expr| {
                if let Expr::Param(p) = node {
                    if p.paramkind == ParamKind::Extern && !p.paramcollid.is_invalid() {
                        p.paramcollid = input_collid;
                    }
                }
                Ok(())
            })
            .ok()?;
            types::assign_expr_collations(self.catalog, &mut expr).ok()?;
        }
        let expr = if expr.type_oid() == result_type {
            expr
        } else {
            // check_sql_fn_retval: an assignment coercion, shown as implicit.
            let mut coerced = types::coerce_to_target_type(
                self.catalog,
                expr,
                result_type,
                -1,
                CoercionContext::Assignment,
                fdw_core::expr::CoercionForm::ImplicitCast,
                None,
            )
            .ok()??;
            types::assign_expr_collations(self.catalog, &mut coerced).ok()?;
            coerced
        };
        // A VOID function is inlined only onto a VOID expression; otherwise
        // the coercion above made the types equal.
        if expr.type_oid() != result_type || (result_type == VOID && expr.type_oid() != VOID) {
            return None;
        }
        Some(SimpleBody { expr })
    }
}

/// The body as the text of one statement to analyze: the `AS` string as
/// is, `RETURN e` as `SELECT e`, the statements of `BEGIN ATOMIC ... END`.
fn body_select_text(body: &FunctionBody) -> Option<String> {
    match body {
        FunctionBody::Source(src) => Some(src.clone()),
        FunctionBody::Sql(sql) => {
            let trimmed = sql.trim();
            if let Some(expr) = strip_keyword(trimmed, "return") {
                return Some(format!("SELECT {expr}"));
            }
            let inner = strip_keyword(trimmed, "begin")?;
            let inner = strip_keyword(inner.trim_start(), "atomic")?;
            let end = inner.len().checked_sub(3)?;
            let (statements, tail) = (inner.get(..end)?, inner.get(end..)?);
            tail.eq_ignore_ascii_case("end")
                .then(|| statements.to_owned())
        }
    }
}

/// `text` without a leading keyword (case-insensitive, followed by a
/// space), or `None`.
fn strip_keyword<'t>(text: &'t str, keyword: &str) -> Option<&'t str> {
    let head = text.get(..keyword.len())?;
    let rest = text.get(keyword.len()..)?;
    (head.eq_ignore_ascii_case(keyword) && rest.starts_with(char::is_whitespace)).then_some(rest)
}

/// The single target expression of a query that is a bare `SELECT
/// expression`: no FROM, WHERE, GROUP BY, HAVING, window, DISTINCT,
/// ORDER BY, LIMIT/OFFSET, set operation, CTE, aggregate, window
/// function, set-returning function or sub-select.
fn single_select_expression(query: Query) -> Result<Option<Expr>> {
    if query.command != CommandType::Select
        || !query.cte_list.is_empty()
        || !query.rtable.is_empty()
        || !query.jointree.fromlist.is_empty()
        || query.jointree.quals.is_some()
        || !query.group_clause.is_empty()
        || !query.grouping_sets.is_empty()
        || query.having_qual.is_some()
        || !query.window_clause.is_empty()
        || !query.distinct_clause.is_empty()
        || !query.sort_clause.is_empty()
        || query.limit_offset.is_some()
        || query.limit_count.is_some()
        || query.set_operations.is_some()
        || query.target_list.len() != 1
    {
        return Ok(None);
    }
    let Some(tle) = query.target_list.into_iter().next() else {
        return Ok(None);
    };
    let expr = tle.expr;
    if fdw_core::expr::contains_aggregate(&expr)?
        || fdw_core::expr::contains_window_function(&expr)?
        || fdw_core::expr::expression_returns_set(&expr)?
        || contain_subplans(&expr)?
    {
        return Ok(None);
    }
    Ok(Some(expr))
}

/// `substitute_actual_parameters`: every `$n` replaced by the `n`-th
/// argument, with the number of uses of each.
fn substitute_actual_parameters(mut expr: Expr, args: &[Expr]) -> Result<(Expr, Vec<usize>)> {
    let mut usecounts = vec![0usize; args.len()];
    fdw_core::expr::transform_up(&mut expr, &mut |node: &mut Expr| {
        if let Expr::Param(p) = node {
            if p.paramkind == ParamKind::Extern {
                let index = usize::try_from(p.paramid)
                    .ok()
                    .and_then(|n| n.checked_sub(1));
                if let Some((arg, count)) =
                    index.and_then(|i| args.get(i).zip(usecounts.get_mut(i)))
                {
                    *count += 1;
                    *node = arg.clone();
                }
            }
        }
        Ok(())
    })?;
    Ok((expr, usecounts))
}

/// `contain_subplans`: a sub-select anywhere in the tree.
fn contain_subplans(expr: &Expr) -> Result<bool> {
    Ok(fdw_core::expr::any_node(expr, |node| {
        matches!(
            node,
            Expr::SubLink(_) | Expr::SubPlan(_) | Expr::AlternativeSubPlan(_)
        )
    })?)
}

/// `contain_context_dependent_node`: a `CaseTestExpr` outside any simple
/// `CASE` and outside the per-element expression of an array coercion
/// (the places that provide one; PostgreSQL accepts any `CaseTestExpr`
/// anywhere inside them).
fn contain_context_dependent_node(expr: &Expr) -> Result<bool> {
    let mut found = false;
    let mut failed = None;
    let _flow = fdw_core::expr::walk(expr, |node| match node {
        Expr::CaseTestExpr(_) => {
            found = true;
            Visit::Stop
        }
        Expr::CaseExpr(case) if case.arg.is_some() => Visit::Skip,
        Expr::ArrayCoerceExpr(coerce) => match contain_context_dependent_node(&coerce.arg) {
            Ok(true) => {
                found = true;
                Visit::Stop
            }
            Ok(false) => Visit::Skip,
            Err(e) => {
                failed = Some(e);
                Visit::Stop
            }
        },
        _ => Visit::Descend,
    })?;
    match failed {
        Some(e) => Err(e),
        None => Ok(found),
    }
}

/// `contain_mutable_functions`: a call of a function that is not
/// immutable, or a node that reads the session or the clock.
fn contain_mutable(catalog: &fdw_catalog::catalog::Catalog, expr: &Expr) -> Result<bool> {
    Ok(catalog.contain_mutable_functions(expr)?)
}
