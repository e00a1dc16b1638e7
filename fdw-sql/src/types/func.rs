//! Function, aggregate and window function calls (`ParseFuncOrColumn`,
//! `func_get_detail`, `FuncnameGetCandidates`, `transformAggregateCall`).

use fdw_catalog::builtin::{ArgMode, ProcInfo, ProcKind};
use fdw_catalog::Catalog;
use fdw_core::expr::{
    AggKind, AggSplit, Aggref, ArrayExpr, CoercionForm, ExprList, FuncExpr, WindowFunc,
};
use fdw_core::query::{SortGroupClause, TargetEntry};
use fdw_core::{AttrNumber, Expr, Oid};

use super::cat::{self, format_type};
use super::coerce::{coerce_to_boolean, coerce_type, find_coercion_pathway, CoercionPath};
use super::oids::{self, is_polymorphic};
use super::oper::{
    at, func_match_argtypes, func_select_candidate, make_fn_arguments, OperatorName,
};
use super::poly::enforce_generic_type_consistency;
use super::select::{select_common_type, select_common_typmod};
use super::sort::{add_target_to_group_list, add_target_to_sort_list};
use super::CoercionContext;
use crate::error::{Error, Position, Result, SqlState};

/// PostgreSQL's `FUNC_MAX_ARGS`.
const FUNC_MAX_ARGS: usize = 100;

/// The direction of one `ORDER BY` item inside an aggregate call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortDirection {
    /// No direction written (`SORTBY_DEFAULT`): ascending.
    Default,
    /// `ASC`.
    Asc,
    /// `DESC`.
    Desc,
    /// `USING op`.
    Using(OperatorName),
}

/// `NULLS FIRST` / `NULLS LAST`, or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortNulls {
    /// Not written: nulls first exactly when descending.
    Default,
    /// `NULLS FIRST`.
    First,
    /// `NULLS LAST`.
    Last,
}

/// One `ORDER BY` item of an aggregate call, `agg(x ORDER BY y DESC)` or
/// `WITHIN GROUP (ORDER BY y)`, with its expression already transformed.
#[derive(Debug, Clone, PartialEq)]
pub struct AggSortItem {
    /// The sort expression, transformed like an argument.
    pub expr: Expr,
    /// The direction.
    pub direction: SortDirection,
    /// The nulls ordering.
    pub nulls: SortNulls,
}

/// A function call as written, with transformed arguments: the input of
/// [`resolve_func_call`] (PostgreSQL's `FuncCall` after its arguments went
/// through `transformExpr`).
#[derive(Debug, Clone, PartialEq)]
pub struct FuncCall {
    /// The schema of a qualified name.
    pub schema: Option<String>,
    /// The function's name (already case-folded).
    pub name: String,
    /// The arguments as written; for `WITHIN GROUP` only the direct
    /// arguments (the sorted ones are `agg_order`'s expressions).
    pub args: Vec<Expr>,
    /// Per argument, its name when written `name => value`; named
    /// arguments must follow all positional ones. Empty means none named.
    pub arg_names: Vec<Option<String>>,
    /// `f(*)`.
    pub agg_star: bool,
    /// `f(DISTINCT ...)`.
    pub agg_distinct: bool,
    /// `ORDER BY` inside the call, or the `WITHIN GROUP (ORDER BY ...)` list.
    pub agg_order: Vec<AggSortItem>,
    /// The `ORDER BY` is a `WITHIN GROUP`.
    pub agg_within_group: bool,
    /// `FILTER (WHERE ...)`, transformed (coerced to boolean here).
    pub agg_filter: Option<Expr>,
    /// `OVER ...`: the `winref` of the query's window clause the analyzer
    /// created or found for it.
    pub over: Option<u32>,
    /// The last argument was written `VARIADIC arr`.
    pub func_variadic: bool,
    /// `ExplicitCall` for `f(x)`, `SqlSyntax` for the SQL-standard forms
    /// the grammar turns into calls (`EXTRACT`, `SUBSTRING ... FROM`,
    /// `POSITION`, `OVERLAY`, `TRIM`, ...).
    pub funcformat: CoercionForm,
}

impl FuncCall {
    /// A plain call `name(args)`.
    pub fn new(name: &str, args: Vec<Expr>) -> FuncCall {
        FuncCall {
            schema: None,
            name: name.to_owned(),
            args,
            arg_names: Vec::new(),
            agg_star: false,
            agg_distinct: false,
            agg_order: Vec::new(),
            agg_within_group: false,
            agg_filter: None,
            over: None,
            func_variadic: false,
            funcformat: CoercionForm::ExplicitCall,
        }
    }

    fn display_name(&self) -> String {
        match &self.schema {
            Some(s) => format!("{s}.{}", self.name),
            None => self.name.clone(),
        }
    }
}

/// One candidate of `FuncnameGetCandidates`.
#[derive(Debug, Clone)]
struct Candidate {
    /// Invalid when two equally good functions share this signature.
    oid: Oid,
    pathpos: usize,
    /// Argument types in call order (named arguments reordered, the
    /// variadic one expanded), `max(pronargs, nargs)` long.
    args: Vec<Oid>,
    nvargs: usize,
    argnumbers: Option<Vec<usize>>,
}

/// The input parameters' positions and names (`proargnames` for IN, INOUT
/// and VARIADIC parameters).
fn input_arg_names(p: &ProcInfo) -> Option<Vec<String>> {
    if p.arg_names.is_empty() {
        return None;
    }
    if p.arg_modes.is_empty() {
        return Some(p.arg_names.clone());
    }
    Some(
        p.arg_modes
            .iter()
            .zip(&p.arg_names)
            .filter(|(m, _)| matches!(m, ArgMode::In | ArgMode::InOut | ArgMode::Variadic))
            .map(|(_, n)| n.clone())
            .collect(),
    )
}

/// Matches named arguments to parameters (`MatchNamedCall`): the positions
/// of the call's arguments in the declaration, then those of the defaulted
/// parameters.
fn match_named_call(p: &ProcInfo, nargs: usize, names: &[String]) -> Option<Vec<usize>> {
    let pronargs = p.arg_types.len();
    let param_names = input_arg_names(p)?;
    let numposargs = nargs - names.len();
    let mut given = vec![false; pronargs];
    let mut numbers = Vec::with_capacity(pronargs);
    for ap in 0..numposargs {
        *given.get_mut(ap)? = true;
        numbers.push(ap);
    }
    for name in names {
        let pp = param_names.iter().position(|n| n == name)?;
        if pp >= pronargs || *given.get(pp)? {
            return None;
        }
        *given.get_mut(pp)? = true;
        numbers.push(pp);
    }
    if nargs < pronargs {
        let first_default = pronargs - usize::from(p.n_arg_defaults);
        for (pp, &g) in given.iter().enumerate().skip(numposargs) {
            if g {
                continue;
            }
            if pp < first_default {
                return None;
            }
            numbers.push(pp);
        }
    }
    (numbers.len() == pronargs).then_some(numbers)
}

/// The candidate functions for a call (`FuncnameGetCandidates`).
fn function_candidates(
    catalog: &Catalog,
    call: &FuncCall,
    nargs: usize,
    names: &[String],
    expand_variadic: bool,
    position: Option<Position>,
) -> Result<Vec<Candidate>> {
    let mut out: Vec<Candidate> = Vec::new();
    let namespaces = cat::lookup_namespaces(catalog, call.schema.as_deref(), position)?;
    for (pathpos, &ns) in namespaces.iter().enumerate() {
        for p in cat::procs_in_namespace(catalog, ns, &call.name) {
            let pronargs = p.arg_types.len();
            let mut variadic = false;
            let mut argnumbers = None;
            if !names.is_empty() {
                if !p.variadic.is_invalid() && expand_variadic {
                    continue;
                }
                let use_defaults = pronargs > nargs;
                if use_defaults && nargs + usize::from(p.n_arg_defaults) < pronargs {
                    continue;
                }
                if pronargs != nargs && !use_defaults {
                    continue;
                }
                match match_named_call(&p, nargs, names) {
                    Some(n) => argnumbers = Some(n),
                    None => continue,
                }
            } else {
                if pronargs <= nargs && expand_variadic && !p.variadic.is_invalid() {
                    variadic = true;
                }
                let use_defaults = pronargs > nargs;
                if use_defaults && nargs + usize::from(p.n_arg_defaults) < pronargs {
                    continue;
                }
                if pronargs != nargs && !variadic && !use_defaults {
                    continue;
                }
            }
            let effective = pronargs.max(nargs);
            let mut args: Vec<Oid> = match &argnumbers {
                Some(numbers) => numbers
                    .iter()
                    .map(|&n| p.arg_types.get(n).copied().unwrap_or(Oid::INVALID))
                    .collect(),
                None => p.arg_types.clone(),
            };
            let mut nvargs = 0;
            if variadic {
                nvargs = effective - pronargs + 1;
                args.truncate(pronargs.saturating_sub(1));
                args.resize(effective, p.variadic);
            }
            let candidate = Candidate {
                oid: p.oid,
                pathpos,
                args,
                nvargs,
                argnumbers,
            };
            match out.iter_mut().find(|prev| prev.args == candidate.args) {
                None => out.push(candidate),
                Some(prev) => {
                    // Earlier in the path wins; then a non-variadic match;
                    // else the signature is ambiguous.
                    let preference: isize = if candidate.pathpos != prev.pathpos {
                        isize::try_from(candidate.pathpos).unwrap_or(isize::MAX)
                            - isize::try_from(prev.pathpos).unwrap_or(isize::MAX)
                    } else if variadic && prev.nvargs == 0 {
                        1
                    } else if !variadic && prev.nvargs > 0 {
                        -1
                    } else {
                        0
                    };
                    if preference < 0 {
                        *prev = candidate;
                    } else if preference == 0 {
                        prev.oid = Oid::INVALID;
                    }
                }
            }
        }
    }
    Ok(out)
}

/// What `func_get_detail` found.
enum Detail {
    Found(Candidate),
    Coercion(Oid),
    Multiple,
    NotFound,
}

fn func_get_detail(
    catalog: &Catalog,
    call: &FuncCall,
    actual: &[Oid],
    names: &[String],
    position: Option<Position>,
) -> Result<Detail> {
    let nargs = actual.len();
    let expand_variadic = !call.func_variadic;
    let candidates = function_candidates(catalog, call, nargs, names, expand_variadic, position)?;
    let prefix = |c: &Candidate| -> Vec<Oid> { c.args.iter().take(nargs).copied().collect() };
    let mut best = candidates.iter().position(|c| prefix(c) == actual);
    if best.is_none() {
        // `typename(x)` is a cast when the type exists and the cast is a
        // relabel or an I/O conversion (or x is a literal).
        if nargs == 1 && names.is_empty() {
            if let Ok(target) = catalog.resolve_type(call.schema.as_deref(), &call.name) {
                let source = actual.first().copied().unwrap_or(Oid::INVALID);
                let is_literal =
                    source == oids::UNKNOWN && matches!(call.args.first(), Some(Expr::Const(_)));
                let is_coercion = is_literal
                    || match find_coercion_pathway(
                        catalog,
                        target,
                        source,
                        CoercionContext::Explicit,
                    ) {
                        CoercionPath::Relabel => true,
                        CoercionPath::ViaIo => {
                            !((source == oids::RECORD || cat::is_complex(catalog, source))
                                && cat::category(catalog, target) == 'S')
                        }
                        CoercionPath::None | CoercionPath::Func(_) | CoercionPath::ArrayCoerce => {
                            false
                        }
                    };
                if is_coercion {
                    return Ok(Detail::Coercion(target));
                }
            }
        }
        if !candidates.is_empty() {
            let lists: Vec<Vec<Oid>> = candidates.iter().map(prefix).collect();
            let live = func_match_argtypes(catalog, actual, &lists);
            match live.len() {
                0 => {}
                1 => best = live.first().copied(),
                _ => match func_select_candidate(catalog, actual, &lists, live) {
                    Some(i) => best = Some(i),
                    None => return Ok(Detail::Multiple),
                },
            }
        }
    }
    let Some(c) = best.and_then(|i| candidates.get(i)) else {
        return Ok(Detail::NotFound);
    };
    if c.oid.is_invalid() {
        return Ok(Detail::Multiple);
    }
    if !names.is_empty()
        && !expand_variadic
        && nargs > 0
        && c.argnumbers
            .as_ref()
            .and_then(|n| n.get(nargs - 1))
            .is_some_and(|&n| n != nargs - 1)
    {
        return Ok(Detail::NotFound);
    }
    Ok(Detail::Found(c.clone()))
}

/// `func_signature_string`: `f(integer, b => text)`.
fn func_signature(catalog: &Catalog, call: &FuncCall, actual: &[Oid], names: &[String]) -> String {
    let numpos = actual.len() - names.len();
    let args: Vec<String> = actual
        .iter()
        .enumerate()
        .map(|(i, &t)| {
            let ty = format_type(catalog, t);
            match i.checked_sub(numpos).and_then(|k| names.get(k)) {
                Some(n) => format!("{n} => {ty}"),
                None => ty,
            }
        })
        .collect();
    format!("{}({})", call.display_name(), args.join(", "))
}

fn wrong_object(message: String, position: Option<Position>) -> Error {
    Error::analyze(SqlState::WRONG_OBJECT_TYPE, message, position)
}

fn not_supported(message: &str, position: Option<Position>) -> Error {
    Error::analyze(SqlState::FEATURE_NOT_SUPPORTED, message, position)
}

/// The implementation facts of an aggregate: kind, direct-argument count
/// and transition type.
fn aggregate_facts(catalog: &Catalog, fnoid: Oid) -> Option<(AggKind, usize, Oid)> {
    use fdw_catalog::builtin::AggregateKind as B;
    use fdw_catalog::objects::AggregateKind as U;
    let builtin = catalog.builtin().aggregate(fnoid).cloned().or_else(|| {
        catalog.extensions().find_map(|e| {
            catalog
                .extension_objects(e.oid)
                .and_then(|o| o.aggregates.iter().find(|a| a.fnoid == fnoid).cloned())
        })
    });
    if let Some(a) = builtin {
        let kind = match a.kind {
            B::Normal => AggKind::Normal,
            B::OrderedSet => AggKind::OrderedSet,
            B::Hypothetical => AggKind::Hypothetical,
        };
        let direct = usize::try_from(a.num_direct_args).unwrap_or(0);
        return Some((kind, direct, a.transtype));
    }
    catalog.aggregate(fnoid).map(|a| {
        let kind = match a.kind {
            U::Normal => AggKind::Normal,
            U::OrderedSet => AggKind::OrderedSet,
            U::Hypothetical => AggKind::Hypothetical,
        };
        (kind, 0, a.state_type)
    })
}

/// Resolves a call to a function, aggregate or window function, or to a
/// function-style cast (`ParseFuncOrColumn`), with its arguments coerced
/// to the chosen function's declared types.
///
/// * plain functions give a [`FuncExpr`]; a variadic function's trailing
///   arguments are gathered into an [`ArrayExpr`] (`funcvariadic` set), as
///   PostgreSQL does, except for `VARIADIC "any"` functions; named
///   arguments stay [`Expr::NamedArgExpr`]s with their parameter numbers;
///   default arguments are *not* added (PostgreSQL's planner adds them);
/// * `typename(x)` with no exact function is a cast with the
///   `ExplicitCall` form when the cast is a relabel or an I/O conversion;
/// * aggregates give an [`Aggref`] (args as target entries, `ORDER BY` and
///   `DISTINCT` as sort-group clauses, `aggargtypes`, the resolved
///   `aggtranstype`, `agglevelsup` from the arguments' `Var`s);
/// * with `over`, a [`WindowFunc`].
///
/// Collations are left for [`assign_expr_collations`](super::assign_expr_collations).
///
/// # Errors
///
/// `function f(integer) does not exist` (42883), `function f(unknown) is
/// not unique` (42725), `f(*) specified, but f is not an aggregate
/// function` (42809), `WITHIN GROUP is required for ordered-set aggregate
/// f` (42809), `window function f requires an OVER clause` (42809),
/// `aggregates cannot use named arguments` (0A000), polymorphic
/// mismatches (42804), ...
pub fn resolve_func_call(
    catalog: &Catalog,
    call: &FuncCall,
    position: Option<Position>,
) -> Result<Expr> {
    let mut fargs: Vec<Expr> = call.args.clone();
    if call.agg_within_group {
        fargs.extend(call.agg_order.iter().map(|s| s.expr.clone()));
    }
    if fargs.len() > FUNC_MAX_ARGS {
        return Err(Error::analyze(
            SqlState("54023"),
            format!("cannot pass more than {FUNC_MAX_ARGS} arguments to a function"),
            position,
        ));
    }
    // Named arguments: all after the positional ones, no duplicates.
    let mut names: Vec<String> = Vec::new();
    for (i, _) in fargs.iter().enumerate() {
        match call.arg_names.get(i).cloned().flatten() {
            Some(n) => {
                if names.contains(&n) {
                    return Err(Error::analyze(
                        SqlState::SYNTAX_ERROR,
                        format!("argument name \"{n}\" used more than once"),
                        position,
                    ));
                }
                names.push(n);
            }
            None if !names.is_empty() => {
                return Err(Error::analyze(
                    SqlState::SYNTAX_ERROR,
                    "positional argument cannot follow named argument",
                    position,
                ))
            }
            None => {}
        }
    }
    let numpos = fargs.len() - names.len();
    let fargs: Vec<Expr> = fargs
        .into_iter()
        .enumerate()
        .map(
            |(i, arg)| match i.checked_sub(numpos).and_then(|k| names.get(k)) {
                Some(n) => Expr::NamedArgExpr(Box::new(fdw_core::expr::NamedArgExpr {
                    arg,
                    name: n.clone(),
                    argnumber: 0,
                })),
                None => arg,
            },
        )
        .collect();
    let actual: Vec<Oid> = fargs.iter().map(Expr::type_oid).collect();
    let fname = call.display_name();

    let detail = func_get_detail(catalog, call, &actual, &names, position)?;
    let proc = match &detail {
        Detail::Found(c) => Some(
            catalog
                .proc_info(c.oid)
                .ok_or_else(|| {
                    Error::Internal(format!("cache lookup failed for function {}", c.oid.0))
                })?
                .into_owned(),
        ),
        Detail::Coercion(_) | Detail::Multiple | Detail::NotFound => None,
    };
    let kind = proc.as_ref().map(|p| p.kind);
    if kind == Some(ProcKind::Procedure) {
        return Err(wrong_object(
            format!(
                "{} is a procedure",
                func_signature(catalog, call, &actual, &names)
            ),
            position,
        ));
    }
    if matches!(kind, Some(ProcKind::Function)) || matches!(detail, Detail::Coercion(_)) {
        if call.agg_star {
            return Err(wrong_object(
                format!("{fname}(*) specified, but {fname} is not an aggregate function"),
                position,
            ));
        }
        if call.agg_distinct {
            return Err(wrong_object(
                format!("DISTINCT specified, but {fname} is not an aggregate function"),
                position,
            ));
        }
        if call.agg_within_group {
            return Err(wrong_object(
                format!("WITHIN GROUP specified, but {fname} is not an aggregate function"),
                position,
            ));
        }
        if !call.agg_order.is_empty() {
            return Err(wrong_object(
                format!("ORDER BY specified, but {fname} is not an aggregate function"),
                position,
            ));
        }
        if call.agg_filter.is_some() {
            return Err(wrong_object(
                format!("FILTER specified, but {fname} is not an aggregate function"),
                position,
            ));
        }
        if call.over.is_some() {
            return Err(wrong_object(
                format!(
                    "OVER specified, but {fname} is not a window function nor an aggregate function"
                ),
                position,
            ));
        }
    }
    let (candidate, proc) = match (detail, proc) {
        (Detail::Coercion(target), _) => {
            let arg = fargs
                .into_iter()
                .next()
                .ok_or_else(|| Error::Internal("function-style cast without an argument".into()))?;
            let source = actual.first().copied().unwrap_or(Oid::INVALID);
            return coerce_type(
                catalog,
                arg,
                source,
                target,
                -1,
                CoercionContext::Explicit,
                CoercionForm::ExplicitCall,
                position,
            );
        }
        (Detail::Multiple, _) => {
            return Err(Error::analyze(
                SqlState::AMBIGUOUS_FUNCTION,
                format!(
                    "function {} is not unique",
                    func_signature(catalog, call, &actual, &names)
                ),
                position,
            ))
        }
        (Detail::Found(c), Some(p)) => (c, p),
        (Detail::Found(..) | Detail::NotFound, _) => {
            return Err(Error::analyze(
                SqlState::UNDEFINED_FUNCTION,
                format!(
                    "function {} does not exist",
                    func_signature(catalog, call, &actual, &names)
                ),
                position,
            ))
        }
    };

    let nargs = fargs.len();
    let vatype = proc.variadic;
    let mut agg_kind = AggKind::Normal;
    let mut transtype = Oid::INVALID;
    let is_agg = proc.kind == ProcKind::Aggregate;
    let mut fargs = fargs;
    let mut actual = actual;
    let mut declared: Vec<Oid> = candidate.args.clone();
    if is_agg {
        let (kind, cat_direct, tt) = aggregate_facts(catalog, proc.oid).ok_or_else(|| {
            Error::Internal(format!("cache lookup failed for aggregate {}", proc.oid.0))
        })?;
        agg_kind = kind;
        transtype = tt;
        if kind == AggKind::Normal {
            if call.agg_within_group {
                return Err(wrong_object(
                    format!(
                        "{fname} is not an ordered-set aggregate, so it cannot have WITHIN GROUP"
                    ),
                    position,
                ));
            }
        } else {
            if !call.agg_within_group {
                return Err(wrong_object(
                    format!("WITHIN GROUP is required for ordered-set aggregate {fname}"),
                    position,
                ));
            }
            if call.over.is_some() {
                return Err(not_supported(
                    &format!("OVER is not supported for ordered-set aggregate {fname}"),
                    position,
                ));
            }
            let num_aggregated = call.agg_order.len();
            let num_direct = nargs - num_aggregated;
            let ok = if vatype.is_invalid() {
                num_direct == cat_direct
            } else {
                // "... ORDER BY VARIADIC" keeps the direct count fixed;
                // "..., VARIADIC ORDER BY VARIADIC" splits the variadic
                // arguments between direct and aggregated ones.
                let mut pronargs = nargs;
                if candidate.nvargs > 1 {
                    pronargs -= candidate.nvargs - 1;
                }
                if cat_direct < pronargs {
                    num_direct == cat_direct
                } else if kind == AggKind::Hypothetical {
                    // The hypothetical arguments are those that matched the
                    // variadic parameter, one per aggregated argument.
                    candidate.nvargs == 2 * num_aggregated
                } else {
                    candidate.nvargs > num_aggregated
                }
            };
            if !ok {
                return Err(Error::analyze(
                    SqlState::UNDEFINED_FUNCTION,
                    format!(
                        "function {} does not exist",
                        func_signature(catalog, call, &actual, &names)
                    ),
                    position,
                ));
            }
            if kind == AggKind::Hypothetical {
                unify_hypothetical_args(
                    catalog,
                    &mut fargs,
                    num_aggregated,
                    &mut actual,
                    &declared,
                    position,
                )?;
            }
        }
    } else if proc.kind == ProcKind::Window {
        if call.over.is_none() {
            return Err(wrong_object(
                format!("window function {fname} requires an OVER clause"),
                position,
            ));
        }
        if call.agg_within_group {
            return Err(wrong_object(
                format!("window function {fname} cannot have WITHIN GROUP"),
                position,
            ));
        }
    }

    // Defaulted parameters take part in polymorphic resolution with their
    // declared types (the catalog has no default expressions; a
    // polymorphic default is treated as an unknown literal).
    let mut actual_plus = actual.clone();
    for &d in declared.iter().skip(nargs) {
        actual_plus.push(if is_polymorphic(d) { oids::UNKNOWN } else { d });
    }
    let rettype = enforce_generic_type_consistency(
        catalog,
        &actual_plus,
        &mut declared,
        proc.return_type,
        false,
    )
    .map_err(|e| at(e, position))?;
    let fargs = make_fn_arguments(catalog, fargs, &actual, &declared, position)?;
    let mut fargs: Vec<Expr> = fargs;
    // Record the parameter number of each named argument.
    if let Some(numbers) = &candidate.argnumbers {
        for (i, arg) in fargs.iter_mut().enumerate() {
            if let Expr::NamedArgExpr(named) = arg {
                named.argnumber = numbers
                    .get(i)
                    .and_then(|&n| u32::try_from(n).ok())
                    .unwrap_or(0);
            }
        }
    }

    let mut func_variadic = call.func_variadic;
    if vatype.is_invalid() {
        func_variadic = false;
    }
    if candidate.nvargs > 0 && vatype != oids::ANY {
        let non_var = nargs - candidate.nvargs;
        let vargs: ExprList = fargs.split_off(non_var).into_iter().collect();
        let element = vargs.first().map_or(Oid::INVALID, Expr::type_oid);
        let array = cat::array_type(catalog, element);
        if array.is_invalid() {
            return Err(Error::analyze(
                SqlState::UNDEFINED_OBJECT,
                format!(
                    "could not find array type for data type {}",
                    format_type(catalog, element)
                ),
                position,
            ));
        }
        fargs.push(Expr::ArrayExpr(Box::new(ArrayExpr {
            array_typeid: array,
            array_collid: Oid::INVALID,
            element_typeid: element,
            elements: vargs,
            multidims: false,
        })));
        func_variadic = true;
    }
    if nargs > 0 && vatype == oids::ANY && func_variadic {
        let last = actual.get(nargs - 1).copied().unwrap_or(Oid::INVALID);
        if cat::base_element_type(catalog, last).is_invalid() {
            return Err(Error::analyze(
                SqlState::DATATYPE_MISMATCH,
                "VARIADIC argument must be an array",
                position,
            ));
        }
    }

    if proc.kind == ProcKind::Function {
        return Ok(Expr::FuncExpr(Box::new(FuncExpr {
            funcid: proc.oid,
            funcresulttype: rettype,
            funcretset: proc.returns_set,
            funcvariadic: func_variadic,
            funcformat: call.funcformat,
            funccollid: Oid::INVALID,
            inputcollid: Oid::INVALID,
            args: fargs.into_iter().collect(),
        })));
    }

    let agg_filter = match &call.agg_filter {
        Some(f) => Some(coerce_to_boolean(catalog, f.clone(), "FILTER", position)?),
        None => None,
    };

    if is_agg && call.over.is_none() {
        if fargs.is_empty() && !call.agg_star && !call.agg_within_group {
            return Err(wrong_object(
                format!("{fname}(*) must be used to call a parameterless aggregate function"),
                position,
            ));
        }
        if proc.returns_set {
            return Err(Error::analyze(
                SqlState("42P13"),
                "aggregates cannot return sets",
                position,
            ));
        }
        if !names.is_empty() {
            return Err(not_supported(
                "aggregates cannot use named arguments",
                position,
            ));
        }
        let aggargtypes: Vec<Oid> = fargs.iter().map(Expr::type_oid).collect();
        // The planner resolves a polymorphic transition type from the
        // actual argument types (`resolve_aggregate_transtype`).
        let aggtranstype = if is_polymorphic(transtype) {
            let mut decl = proc.arg_types.clone();
            decl.resize(aggargtypes.len().max(decl.len()), proc.variadic);
            let inputs: Vec<Oid> = aggargtypes.iter().copied().take(decl.len()).collect();
            decl.truncate(inputs.len());
            enforce_generic_type_consistency(catalog, &inputs, &mut decl, transtype, false)
                .map_err(|e| at(e, position))?
        } else {
            transtype
        };
        let mut aggref = Aggref {
            aggfnoid: proc.oid,
            aggtype: rettype,
            aggcollid: Oid::INVALID,
            inputcollid: Oid::INVALID,
            aggtranstype,
            aggargtypes,
            aggdirectargs: ExprList::new(),
            args: Vec::new(),
            aggorder: Vec::new(),
            aggdistinct: Vec::new(),
            aggfilter: agg_filter,
            aggstar: call.agg_star,
            aggvariadic: func_variadic,
            aggkind: agg_kind,
            agglevelsup: 0,
            aggsplit: AggSplit::Simple,
            aggno: None,
            aggtransno: None,
        };
        build_aggregate_args(catalog, &mut aggref, fargs, call, position)?;
        aggref.agglevelsup = min_var_level(&aggref)?;
        return Ok(Expr::Aggref(Box::new(aggref)));
    }

    let winref = call
        .over
        .ok_or_else(|| Error::Internal("window function without OVER".into()))?;
    if call.agg_distinct {
        return Err(not_supported(
            "DISTINCT is not implemented for window functions",
            position,
        ));
    }
    if is_agg && fargs.is_empty() && !call.agg_star {
        return Err(wrong_object(
            format!("{fname}(*) must be used to call a parameterless aggregate function"),
            position,
        ));
    }
    if !call.agg_order.is_empty() {
        return Err(not_supported(
            "aggregate ORDER BY is not implemented for window functions",
            position,
        ));
    }
    if !is_agg && agg_filter.is_some() {
        return Err(not_supported(
            "FILTER is not implemented for non-aggregate window functions",
            position,
        ));
    }
    if proc.returns_set {
        return Err(Error::analyze(
            SqlState("42P13"),
            "window functions cannot return sets",
            position,
        ));
    }
    Ok(Expr::WindowFunc(Box::new(WindowFunc {
        winfnoid: proc.oid,
        wintype: rettype,
        wincollid: Oid::INVALID,
        inputcollid: Oid::INVALID,
        args: fargs.into_iter().collect(),
        aggfilter: agg_filter,
        winref,
        winstar: call.agg_star,
        winagg: is_agg,
    })))
}

/// Gives each hypothetical direct argument and its aggregated partner a
/// common type when the aggregate declares them `"any"`
/// (`unify_hypothetical_args`).
fn unify_hypothetical_args(
    catalog: &Catalog,
    fargs: &mut [Expr],
    num_aggregated: usize,
    actual: &mut [Oid],
    declared: &[Oid],
    position: Option<Position>,
) -> Result<()> {
    let nargs = fargs.len();
    let num_direct = nargs - num_aggregated;
    let Some(num_non_hypothetical) = num_direct.checked_sub(num_aggregated) else {
        return Err(Error::Internal(
            "incorrect number of arguments to hypothetical-set aggregate".into(),
        ));
    };
    for i in num_non_hypothetical..num_direct {
        let aargpos = num_direct + (i - num_non_hypothetical);
        if declared.get(i) != declared.get(aargpos) {
            return Err(Error::Internal(
                "hypothetical-set aggregate has inconsistent declared argument types".into(),
            ));
        }
        if declared.get(i) != Some(&oids::ANY) {
            continue;
        }
        let (Some(h), Some(a)) = (fargs.get(i).cloned(), fargs.get(aargpos).cloned()) else {
            continue;
        };
        let common = select_common_type(catalog, &[&a, &h], "WITHIN GROUP", position)?;
        let typmod = select_common_typmod(&[&a, &h], common);
        let ht = actual.get(i).copied().unwrap_or(Oid::INVALID);
        let at_ = actual.get(aargpos).copied().unwrap_or(Oid::INVALID);
        let h = coerce_type(
            catalog,
            h,
            ht,
            common,
            typmod,
            CoercionContext::Implicit,
            CoercionForm::ImplicitCast,
            position,
        )?;
        let a = coerce_type(
            catalog,
            a,
            at_,
            common,
            typmod,
            CoercionContext::Implicit,
            CoercionForm::ImplicitCast,
            position,
        )?;
        if let Some(slot) = fargs.get_mut(i) {
            *slot = h;
        }
        if let Some(slot) = fargs.get_mut(aargpos) {
            *slot = a;
        }
        if let Some(slot) = actual.get_mut(i) {
            *slot = common;
        }
        if let Some(slot) = actual.get_mut(aargpos) {
            *slot = common;
        }
    }
    Ok(())
}

fn target_entry(expr: Expr, resno: usize, resjunk: bool) -> Result<TargetEntry> {
    Ok(TargetEntry {
        expr,
        resno: AttrNumber(
            i16::try_from(resno)
                .map_err(|_| Error::Internal("too many aggregate arguments".into()))?,
        ),
        resname: None,
        ressortgroupref: 0,
        resjunk,
    })
}

/// Fills `args`, `aggdirectargs`, `aggorder` and `aggdistinct` of an
/// aggregate (`transformAggregateCall`).
fn build_aggregate_args(
    catalog: &Catalog,
    aggref: &mut Aggref,
    fargs: Vec<Expr>,
    call: &FuncCall,
    position: Option<Position>,
) -> Result<()> {
    let mut tlist: Vec<TargetEntry> = Vec::new();
    let mut order: Vec<SortGroupClause> = Vec::new();
    if aggref.aggkind != AggKind::Normal {
        let num_direct = fargs.len() - call.agg_order.len();
        let mut fargs = fargs;
        let aggregated = fargs.split_off(num_direct);
        aggref.aggdirectargs = fargs.into_iter().collect();
        for (i, (arg, item)) in aggregated.into_iter().zip(&call.agg_order).enumerate() {
            tlist.push(target_entry(arg, i + 1, false)?);
            let idx = tlist.len() - 1;
            add_target_to_sort_list(catalog, &mut tlist, idx, &mut order, item, position)?;
        }
    } else {
        for (i, arg) in fargs.into_iter().enumerate() {
            tlist.push(target_entry(arg, i + 1, false)?);
        }
        for item in &call.agg_order {
            // An ORDER BY item equal to an argument (ignoring the implicit
            // casts applied to the argument) sorts that argument.
            let idx = match tlist
                .iter()
                .position(|tle| fdw_core::expr::strip_implicit_coercions(&tle.expr) == &item.expr)
            {
                Some(i) => i,
                None => {
                    let resno = tlist.len() + 1;
                    tlist.push(target_entry(item.expr.clone(), resno, true)?);
                    tlist.len() - 1
                }
            };
            add_target_to_sort_list(catalog, &mut tlist, idx, &mut order, item, position)?;
        }
        if call.agg_distinct {
            let mut distinct: Vec<SortGroupClause> = Vec::new();
            for clause in &order {
                let junk = tlist
                    .iter()
                    .find(|t| t.ressortgroupref == clause.tle_sort_group_ref)
                    .is_some_and(|t| t.resjunk);
                if junk {
                    return Err(Error::analyze(
                        SqlState::INVALID_COLUMN_REFERENCE,
                        "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list",
                        position,
                    ));
                }
                distinct.push(clause.clone());
            }
            for idx in 0..tlist.len() {
                if tlist.get(idx).is_some_and(|t| t.resjunk) {
                    continue;
                }
                add_target_to_group_list(catalog, &mut tlist, idx, &mut distinct, position)?;
            }
            for clause in &distinct {
                if clause.sortop.is_invalid() {
                    let ty = tlist
                        .iter()
                        .find(|t| t.ressortgroupref == clause.tle_sort_group_ref)
                        .map_or(Oid::INVALID, |t| t.expr.type_oid());
                    return Err(Error::analyze(
                        SqlState::UNDEFINED_FUNCTION,
                        format!(
                            "could not identify an ordering operator for type {}",
                            format_type(catalog, ty)
                        ),
                        position,
                    ));
                }
            }
            aggref.aggdistinct = distinct;
        }
    }
    aggref.args = tlist;
    aggref.aggorder = order;
    Ok(())
}

/// The query level an aggregate belongs to: the lowest level of the `Var`s
/// in its arguments and filter (0 when there are none), as
/// `check_agg_arguments` finds it.
fn min_var_level(aggref: &Aggref) -> Result<u32> {
    let mut min: Option<u32> = None;
    let mut visit = |e: &Expr| {
        if let Expr::Var(v) = e {
            min = Some(min.map_or(v.varlevelsup, |m| m.min(v.varlevelsup)));
        }
        fdw_core::expr::Visit::Descend
    };
    for tle in &aggref.args {
        let _ = fdw_core::expr::walk(&tle.expr, &mut visit)?;
    }
    if let Some(f) = &aggref.aggfilter {
        let _ = fdw_core::expr::walk(f, &mut visit)?;
    }
    Ok(min.unwrap_or(0))
}
