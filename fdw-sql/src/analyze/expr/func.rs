//! Function-call syntax: ordinary calls, aggregates and window functions
//! (resolved by [`crate::types::resolve_func_call`]), the keywords that
//! look like calls (`COALESCE`, `NULLIF`, `GREATEST`, `LEAST`, `ROW`,
//! `GROUPING`, `ARRAY(SELECT ...)`), the SQL value functions
//! (`CURRENT_DATE`, `CURRENT_USER`, ...) and the SQL-syntax functions
//! (`substring`, `trim`, `extract`) that become `pg_catalog` calls.

use fdw_core::expr::{
    CoercionForm, Expr, GroupingFunc, MinMaxOp, SqlValueFunction, SqlValueFunctionOp,
};
use fdw_core::Oid;
use sqlparser::ast::{
    DateTimeField, DuplicateTreatment, Expr as SqlExpr, Function, FunctionArg, FunctionArgExpr,
    FunctionArgumentClause, FunctionArguments, Ident, OrderByExpr, TrimWhereField,
};

use super::{
    cast_expr, composite, int4_const, make_coalesce, make_min_max, make_nullif, position_of,
    sublink, syntax_error, transform_expr, unknown_const, unsupported, with_position, INT4,
};
use crate::analyze::{ident_name, ExprKind, ParseState};
use crate::error::{Error, Position, Result, SqlState};
use crate::types::{self, AggSortItem, FuncCall, SortDirection, SortNulls};

/// `pg_catalog` types of the SQL value functions.
const NAME: Oid = Oid(19);
const DATE: Oid = Oid(1082);
const TIME: Oid = Oid(1083);
const TIMESTAMP: Oid = Oid(1114);
const TIMESTAMPTZ: Oid = Oid(1184);
const TIMETZ: Oid = Oid(1266);
/// `MAX_TIME_PRECISION`.
const MAX_TIME_PRECISION: i64 = 6;

/// A call with plain arguments (no aggregate decoration), written as
/// `format` says: `COERCE_SQL_SYNTAX` for the grammar's rewrites.
pub(crate) fn call_function(
    ps: &mut ParseState<'_>,
    schema: Option<&str>,
    name: &str,
    args: Vec<Expr>,
    format: CoercionForm,
    pos: Option<Position>,
) -> Result<Expr> {
    let mut call = FuncCall::new(name, args);
    call.schema = schema.map(str::to_owned);
    call.funcformat = format;
    types::resolve_func_call(ps.catalog, &call, pos)
}

/// A `pg_catalog` function written with SQL syntax.
pub(crate) fn call_system_function(
    ps: &mut ParseState<'_>,
    name: &str,
    args: Vec<Expr>,
    pos: Option<Position>,
) -> Result<Expr> {
    call_function(
        ps,
        Some("pg_catalog"),
        name,
        args,
        CoercionForm::SqlSyntax,
        pos,
    )
}

/// `extract(field FROM x)`: `pg_catalog.extract('field', x)` (PostgreSQL
/// 14+), the field as an unknown literal.
pub(crate) fn transform_extract(
    ps: &mut ParseState<'_>,
    field: &DateTimeField,
    arg: &SqlExpr,
    pos: Option<Position>,
) -> Result<Expr> {
    let name = match field {
        // A quoted field is a string constant, kept as written; an
        // identifier is folded to lower case.
        DateTimeField::Custom(ident) if ident.quote_style == Some('\'') => ident.value.clone(),
        DateTimeField::Custom(ident) => ident_name(ident),
        other => other.to_string().to_lowercase(),
    };
    let value = transform_expr(ps, arg)?;
    call_system_function(ps, "extract", vec![unknown_const(&name), value], pos)
}

/// `substring(x FROM a FOR b)` and its variants (gram.y's `substr_list`);
/// `substring(x, a, b)` is an ordinary call.
pub(crate) fn transform_substring(
    ps: &mut ParseState<'_>,
    arg: &SqlExpr,
    from: Option<&SqlExpr>,
    count: Option<&SqlExpr>,
    comma_syntax: bool,
    pos: Option<Position>,
) -> Result<Expr> {
    let value = transform_expr(ps, arg)?;
    let mut args = vec![value];
    if comma_syntax {
        for extra in from.into_iter().chain(count) {
            args.push(transform_expr(ps, extra)?);
        }
        return call_function(ps, None, "substring", args, CoercionForm::ExplicitCall, pos);
    }
    match (from, count) {
        (Some(from), Some(count)) => {
            args.push(transform_expr(ps, from)?);
            args.push(transform_expr(ps, count)?);
        }
        (Some(from), None) => args.push(transform_expr(ps, from)?),
        (None, Some(count)) => {
            // `substring(x FOR n)` is `substring(x, 1, n::int4)`: no
            // variant takes a textual FOR, so the grammar casts it.
            args.push(int4_const(1));
            let count_pos = position_of(count);
            let count = transform_expr(ps, count)?;
            args.push(cast_expr(ps.catalog, count, INT4, -1, count_pos)?);
        }
        (None, None) => {
            return call_function(ps, None, "substring", args, CoercionForm::ExplicitCall, pos)
        }
    }
    call_system_function(ps, "substring", args, pos)
}

/// `trim([BOTH|LEADING|TRAILING] [chars] FROM x)`: `btrim`, `ltrim` or
/// `rtrim` of `(x [, chars])`.
pub(crate) fn transform_trim(
    ps: &mut ParseState<'_>,
    trim_where: Option<&TrimWhereField>,
    trim_what: Option<&SqlExpr>,
    arg: &SqlExpr,
    trim_characters: Option<&[SqlExpr]>,
    pos: Option<Position>,
) -> Result<Expr> {
    let name = match trim_where {
        None | Some(TrimWhereField::Both) => "btrim",
        Some(TrimWhereField::Leading) => "ltrim",
        Some(TrimWhereField::Trailing) => "rtrim",
    };
    let mut args = vec![transform_expr(ps, arg)?];
    if let Some(what) = trim_what {
        args.push(transform_expr(ps, what)?);
    }
    for extra in trim_characters.unwrap_or(&[]) {
        args.push(transform_expr(ps, extra)?);
    }
    call_system_function(ps, name, args, pos)
}

/// gram.y's `col_name_keyword`s without a call syntax of their own: they
/// cannot name a function (`numeric(x)` is a syntax error, `int4(x)` is
/// not).
fn is_col_name_keyword(name: &str) -> bool {
    matches!(
        name,
        "between"
            | "bigint"
            | "bit"
            | "boolean"
            | "char"
            | "character"
            | "dec"
            | "decimal"
            | "exists"
            | "float"
            | "inout"
            | "int"
            | "integer"
            | "interval"
            | "national"
            | "nchar"
            | "none"
            | "numeric"
            | "out"
            | "precision"
            | "real"
            | "setof"
            | "smallint"
            | "time"
            | "timestamp"
            | "values"
            | "varchar"
    )
}

/// The one unquoted name of a call, lower-cased, when it has one part.
fn simple_name(f: &Function) -> Option<String> {
    match f.name.0.as_slice() {
        [part] => part
            .as_ident()
            .filter(|i| i.quote_style.is_none())
            .map(|i| i.value.to_lowercase()),
        _ => None,
    }
}

fn plain_call(f: &Function) -> bool {
    f.over.is_none()
        && f.filter.is_none()
        && f.within_group.is_empty()
        && f.null_treatment.is_none()
        && matches!(f.parameters, FunctionArguments::None)
}

/// The arguments of a keyword call that takes an expression list.
fn plain_args(f: &Function, pos: Option<Position>) -> Result<Vec<&SqlExpr>> {
    let FunctionArguments::List(list) = &f.args else {
        return Err(syntax_error("(", pos));
    };
    if list.duplicate_treatment.is_some() || !list.clauses.is_empty() || !plain_call(f) {
        return Err(syntax_error("(", pos));
    }
    list.args
        .iter()
        .map(|arg| match arg {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Ok(e),
            _ => Err(syntax_error("(", pos)),
        })
        .collect()
}

/// Function-call syntax (`transformFuncCall` and the keyword forms).
pub(crate) fn transform_function(
    ps: &mut ParseState<'_>,
    f: &Function,
    pos: Option<Position>,
) -> Result<Expr> {
    if let Some(name) = simple_name(f) {
        match name.as_str() {
            "row" if composite::is_row_function(f) => {
                return composite::transform_row_function(ps, f, pos)
            }
            "coalesce" | "greatest" | "least" | "nullif" => {
                let raw = plain_args(f, pos)?;
                let mut args = Vec::with_capacity(raw.len());
                for e in raw {
                    args.push(transform_expr(ps, e)?);
                }
                return match name.as_str() {
                    "coalesce" => make_coalesce(ps, args, pos),
                    "greatest" => make_min_max(ps, MinMaxOp::Greatest, args, pos),
                    "least" => make_min_max(ps, MinMaxOp::Least, args, pos),
                    _ => match <[Expr; 2]>::try_from(args) {
                        Ok([left, right]) => make_nullif(ps.catalog, left, right, pos),
                        Err(_) => Err(syntax_error(")", pos)),
                    },
                };
            }
            "grouping" => return transform_grouping(ps, f, pos),
            "normalize" => {
                // gram.y: `normalize(x [, form])`, the form as a string.
                let raw = plain_args(f, pos)?;
                let mut args = Vec::with_capacity(raw.len());
                for (i, e) in raw.into_iter().enumerate() {
                    match (i, e) {
                        (1, SqlExpr::Identifier(form)) => {
                            args.push(unknown_const(&ident_name(form)))
                        }
                        _ => args.push(transform_expr(ps, e)?),
                    }
                }
                return call_system_function(ps, "normalize", args, pos);
            }
            keyword if is_col_name_keyword(keyword) => return Err(syntax_error("(", pos)),
            "array" => {
                if let FunctionArguments::Subquery(query) = &f.args {
                    return sublink::array_sublink(ps, query, pos);
                }
            }
            _ => {
                if let Some(svf) = sql_value_function(&name, f, pos)? {
                    return Ok(svf);
                }
            }
        }
    }
    transform_func_call(ps, f, pos)
}

/// A bare keyword that sqlparser reads as an identifier but PostgreSQL
/// as a SQL value function (`CURRENT_ROLE`, `CURRENT_SCHEMA`, ...);
/// `None` for an ordinary name.
pub(crate) fn keyword_value_function(ident: &Ident) -> Option<Expr> {
    if ident.quote_style.is_some() {
        return None;
    }
    // Most identifiers are columns: an ASCII name that is none of these
    // needs neither the lower-casing nor the call built below (which
    // `sql_value_function` would refuse).
    if ident.value.is_ascii()
        && !KEYWORD_VALUE_FUNCTIONS
            .iter()
            .any(|k| ident.value.eq_ignore_ascii_case(k))
    {
        return None;
    }
    let name = ident.value.to_lowercase();
    let f = Function {
        name: sqlparser::ast::ObjectName::from(vec![ident.clone()]),
        uses_odbc_syntax: false,
        parameters: FunctionArguments::None,
        args: FunctionArguments::None,
        filter: None,
        null_treatment: None,
        over: None,
        within_group: Vec::new(),
    };
    sql_value_function(&name, &f, None).ok().flatten()
}

/// The names [`sql_value_function`] knows.
const KEYWORD_VALUE_FUNCTIONS: [&str; 11] = [
    "current_date",
    "current_time",
    "current_timestamp",
    "localtime",
    "localtimestamp",
    "current_role",
    "current_user",
    "user",
    "session_user",
    "current_catalog",
    "current_schema",
];

/// `CURRENT_DATE`, `CURRENT_TIME[(p)]`, `CURRENT_USER`, ...: `None` when
/// `f` is not one (for instance `current_schema()` with parentheses,
/// which is an ordinary function).
fn sql_value_function(name: &str, f: &Function, pos: Option<Position>) -> Result<Option<Expr>> {
    use SqlValueFunctionOp as Op;
    let (plain, with_precision, type_oid) = match name {
        "current_date" => (Op::CurrentDate, None, DATE),
        "current_time" => (Op::CurrentTime, Some(Op::CurrentTimeN), TIMETZ),
        "current_timestamp" => (
            Op::CurrentTimestamp,
            Some(Op::CurrentTimestampN),
            TIMESTAMPTZ,
        ),
        "localtime" => (Op::Localtime, Some(Op::LocaltimeN), TIME),
        "localtimestamp" => (Op::Localtimestamp, Some(Op::LocaltimestampN), TIMESTAMP),
        "current_role" => (Op::CurrentRole, None, NAME),
        "current_user" => (Op::CurrentUser, None, NAME),
        "user" => (Op::User, None, NAME),
        "session_user" => (Op::SessionUser, None, NAME),
        "current_catalog" => (Op::CurrentCatalog, None, NAME),
        "current_schema" => (Op::CurrentSchema, None, NAME),
        _ => return Ok(None),
    };
    let collation = if type_oid == NAME {
        Oid::C_COLLATION
    } else {
        Oid::INVALID
    };
    let make = |op, typmod| {
        Expr::SqlValueFunction(SqlValueFunction {
            op,
            type_oid,
            typmod,
            collation,
        })
    };
    match &f.args {
        FunctionArguments::None if plain_call(f) => Ok(Some(make(plain, -1))),
        FunctionArguments::List(list) if with_precision.is_some() && plain_call(f) => {
            let [FunctionArg::Unnamed(FunctionArgExpr::Expr(SqlExpr::Value(v)))] =
                list.args.as_slice()
            else {
                return Err(syntax_error("(", pos));
            };
            let sqlparser::ast::Value::Number(text, _) = &v.value else {
                return Err(syntax_error("(", pos));
            };
            let precision: i64 = text.parse().map_err(|_| syntax_error(text, pos))?;
            let upper = name.to_uppercase();
            if precision < 0 {
                return Err(Error::analyze(
                    SqlState::INVALID_PARAMETER_VALUE,
                    format!("{upper}({precision}) precision must not be negative"),
                    pos,
                ));
            }
            // PostgreSQL warns and reduces an excessive precision.
            let typmod = precision.min(MAX_TIME_PRECISION);
            let op = with_precision.unwrap_or(plain);
            Ok(Some(make(op, i32::try_from(typmod).unwrap_or(6))))
        }
        _ => Ok(None),
    }
}

/// `GROUPING(a, b)` (`transformGroupingFunc`): `integer`; the references
/// to `GROUP BY` items are resolved when the query's grouping is known.
fn transform_grouping(
    ps: &mut ParseState<'_>,
    f: &Function,
    pos: Option<Position>,
) -> Result<Expr> {
    let raw = plain_args(f, pos)?;
    if raw.len() >= 32 {
        return Err(Error::analyze(
            SqlState("54011"),
            "GROUPING must have fewer than 32 arguments",
            pos,
        ));
    }
    let mut args = Vec::with_capacity(raw.len());
    for e in raw {
        args.push(transform_expr(ps, e)?);
    }
    let refs: Vec<&Expr> = args.iter().collect();
    let agglevelsup = ps.check_aggregate_call(&refs, true, pos)?;
    Ok(Expr::GroupingFunc(Box::new(GroupingFunc {
        args: args.into_iter().collect(),
        refs: Vec::new(),
        cols: Vec::new(),
        agglevelsup,
    })))
}

/// Folds a possibly qualified function name: `(schema, name)`.
fn function_name(f: &Function, pos: Option<Position>) -> Result<(Option<String>, String)> {
    let parts: Vec<String> = f
        .name
        .0
        .iter()
        .map(|p| match p.as_ident() {
            Some(ident) => ident_name(ident),
            None => p.to_string(),
        })
        .collect();
    match parts.as_slice() {
        [name] => Ok((None, name.clone())),
        [schema, name] => Ok((Some(schema.clone()), name.clone())),
        [_, schema, name] => Ok((Some(schema.clone()), name.clone())),
        _ => Err(Error::analyze(
            SqlState::SYNTAX_ERROR,
            format!(
                "improper qualified name (too many dotted names): {}",
                parts.join(".")
            ),
            pos,
        )),
    }
}

fn sort_item(ps: &mut ParseState<'_>, item: &OrderByExpr) -> Result<AggSortItem> {
    let expr = transform_expr(ps, &item.expr)?;
    let direction = match &item.options.sort {
        Some(sqlparser::ast::OrderBySort::Desc) => SortDirection::Desc,
        Some(sqlparser::ast::OrderBySort::Asc) => SortDirection::Asc,
        Some(sqlparser::ast::OrderBySort::Using(name)) => {
            let parts: Vec<String> = name.0.iter().map(|p| p.to_string()).collect();
            let (schema, op) = match parts.as_slice() {
                [op] => (None, op.clone()),
                [schema, op] => (Some(schema.clone()), op.clone()),
                _ => return Err(syntax_error(&name.to_string(), position_of(&item.expr))),
            };
            SortDirection::Using(types::OperatorName {
                schema,
                name: op.into(),
            })
        }
        None => SortDirection::Default,
    };
    let nulls = match item.options.nulls_first {
        Some(true) => SortNulls::First,
        Some(false) => SortNulls::Last,
        None => SortNulls::Default,
    };
    Ok(AggSortItem {
        expr,
        direction,
        nulls,
    })
}

/// An ordinary call, aggregate or window function (`ParseFuncOrColumn`
/// via `resolve_func_call`), with the aggregate's placement checked and
/// the window registered.
/// The array of an argument written `VARIADIC arr` (see
/// [`super::dialect::VARIADIC_PREFIX`]).
fn variadic_arg(arg: &SqlExpr) -> Option<&SqlExpr> {
    match arg {
        SqlExpr::Prefixed { prefix, value }
            if prefix.quote_style.is_none() && prefix.value == super::dialect::VARIADIC_PREFIX =>
        {
            Some(value)
        }
        _ => None,
    }
}

fn transform_func_call(
    ps: &mut ParseState<'_>,
    f: &Function,
    pos: Option<Position>,
) -> Result<Expr> {
    if f.null_treatment.is_some() {
        return Err(syntax_error("NULLS", pos));
    }
    if !matches!(f.parameters, FunctionArguments::None) {
        return Err(syntax_error("(", pos));
    }
    let (schema, name) = function_name(f, pos)?;
    let mut args = Vec::new();
    let mut arg_names = Vec::new();
    let mut agg_star = false;
    let mut agg_distinct = false;
    let mut func_variadic = false;
    let mut order_items: Vec<&OrderByExpr> = Vec::new();
    match &f.args {
        FunctionArguments::None => {}
        FunctionArguments::Subquery(_) => return Err(syntax_error("SELECT", pos)),
        FunctionArguments::List(list) => {
            agg_distinct = matches!(list.duplicate_treatment, Some(DuplicateTreatment::Distinct));
            for arg in &list.args {
                let (arg_name, value): (Option<String>, &FunctionArgExpr) = match arg {
                    FunctionArg::Unnamed(value) => (None, value),
                    FunctionArg::Named { name, arg, .. } => (Some(ident_name(name)), arg),
                    FunctionArg::ExprNamed { name, arg, .. } => match name {
                        SqlExpr::Identifier(ident) => (Some(ident_name(ident)), arg),
                        other => return Err(syntax_error(&other.to_string(), pos)),
                    },
                };
                if arg_name.is_none() && arg_names.iter().any(Option::is_some) {
                    return Err(Error::analyze(
                        SqlState::SYNTAX_ERROR,
                        "positional argument cannot follow named argument",
                        pos,
                    ));
                }
                if func_variadic {
                    // gram.y: `VARIADIC` only marks the last argument.
                    return Err(syntax_error(",", pos));
                }
                match value {
                    FunctionArgExpr::Expr(e) => {
                        let e = match variadic_arg(e) {
                            Some(array) => {
                                func_variadic = true;
                                array
                            }
                            None => e,
                        };
                        args.push(transform_expr(ps, e)?);
                        arg_names.push(arg_name);
                    }
                    FunctionArgExpr::QualifiedWildcard(qualifier) => {
                        let idents: Vec<Ident> = qualifier
                            .0
                            .iter()
                            .map(|p| {
                                p.as_ident()
                                    .cloned()
                                    .ok_or_else(|| syntax_error(&p.to_string(), pos))
                            })
                            .collect::<Result<_>>()?;
                        args.push(ps.resolve_whole_row(&idents, pos)?);
                        arg_names.push(arg_name);
                    }
                    FunctionArgExpr::Wildcard => {
                        if list.args.len() != 1 || agg_distinct {
                            return Err(syntax_error("*", pos));
                        }
                        agg_star = true;
                    }
                    #[allow(unreachable_patterns)]
                    _ => return Err(syntax_error("(", pos)),
                }
            }
            for clause in &list.clauses {
                match clause {
                    FunctionArgumentClause::OrderBy(items) => order_items.extend(items.iter()),
                    other => {
                        return Err(unsupported(
                            format!("function argument clause {other}"),
                            pos,
                        ))
                    }
                }
            }
        }
    }
    let within_group = !f.within_group.is_empty();
    if within_group {
        if !order_items.is_empty() {
            return Err(Error::analyze(
                SqlState::SYNTAX_ERROR,
                "cannot use multiple ORDER BY clauses with WITHIN GROUP",
                pos,
            ));
        }
        if agg_distinct {
            return Err(Error::analyze(
                SqlState::SYNTAX_ERROR,
                "cannot use DISTINCT with WITHIN GROUP",
                pos,
            ));
        }
        order_items.extend(f.within_group.iter());
    }
    let mut agg_order = Vec::with_capacity(order_items.len());
    for item in order_items {
        if item.with_fill.is_some() {
            return Err(syntax_error("WITH", pos));
        }
        agg_order.push(sort_item(ps, item)?);
    }
    let agg_filter = match &f.filter {
        Some(filter) => {
            // FILTER is transformed like a WHERE clause of its own.
            let saved = ps.expr_kind;
            ps.expr_kind = ExprKind::Filter;
            let filter_pos = position_of(filter);
            let result = transform_expr(ps, filter).and_then(|e| {
                super::bridge::coerce_to_boolean(ps.catalog, e, "FILTER", filter_pos)
            });
            ps.expr_kind = saved;
            Some(result?)
        }
        None => None,
    };
    // The window is registered first: the call needs its `winref`.
    let over = match &f.over {
        Some(over) => {
            let inputs: Vec<&Expr> = args.iter().chain(agg_filter.iter()).collect();
            Some(ps.register_window_call(&inputs, over, pos)?)
        }
        None => None,
    };
    let call = FuncCall {
        schema,
        name,
        args,
        arg_names,
        agg_star,
        agg_distinct,
        agg_order,
        agg_within_group: within_group,
        agg_filter,
        over,
        func_variadic,
        funcformat: CoercionForm::ExplicitCall,
    };
    let mut result =
        types::resolve_func_call(ps.catalog, &call, pos).map_err(|e| with_position(e, pos))?;
    match &mut result {
        Expr::Aggref(agg) => {
            let mut inputs: Vec<&Expr> = agg.aggdirectargs.iter().collect();
            inputs.extend(agg.args.iter().map(|te| &te.expr));
            if let Some(filter) = &agg.aggfilter {
                inputs.push(filter);
            }
            let levels = ps.check_aggregate_call(&inputs, false, pos)?;
            agg.agglevelsup = levels;
        }
        Expr::WindowFunc(_) => {}
        _ => {
            if f.over.is_some() {
                return Err(Error::analyze(
                    SqlState::WRONG_OBJECT_TYPE,
                    format!(
                        "OVER specified, but {} is not a window function nor an aggregate function",
                        call.name
                    ),
                    pos,
                ));
            }
        }
    }
    Ok(result)
}
