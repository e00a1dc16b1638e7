//! Expressions as written (sqlparser's AST) to typed [`Expr`] trees:
//! PostgreSQL's `transformExpr` and the grammar actions that shape its
//! input.
//!
//! sqlparser's tree is closer to the text than PostgreSQL's raw parse tree,
//! so some of gram.y's rewrites happen here: a `-` in front of a numeric
//! literal is folded into the literal (`doNegate`), `a AND b AND c` becomes
//! one three-argument `AND` (`makeAndExpr` flattens the left operand only),
//! `x BETWEEN a AND b` becomes `x >= a AND x <= b`, `LIKE ... ESCAPE e`
//! calls `like_escape`, `SIMILAR TO` calls `similar_to_escape`, the SQL
//! syntax functions (`substring(x FROM a FOR b)`, `trim(BOTH ...)`,
//! `extract(f FROM x)`, `x AT TIME ZONE z`, ...) become calls of their
//! `pg_catalog` functions marked `COERCE_SQL_SYNTAX`. Parentheses leave no
//! trace, as in PostgreSQL: every check of "what was written here" looks
//! through them.
//!
//! Operator, function and coercion resolution belong to [`crate::types`];
//! column references and sub-selects to [`super::ParseState`].

mod bridge;
mod composite;
pub mod dialect;
mod func;
mod sublink;
pub mod typename;

use fdw_catalog::Catalog;
use fdw_core::expr::{
    BoolExpr, BoolExprType, BoolTestType, BooleanTest, CaseExpr, CaseTestExpr, CaseWhen,
    CoalesceExpr, CoercionForm, CollateExpr, Const, Expr, ExprList, MinMaxExpr, MinMaxOp, NullTest,
    NullTestType, Param, ParamKind, DEFAULT_MAX_DEPTH,
};
use fdw_core::Oid;
use sqlparser::ast::{
    BinaryOperator, CastKind, DataType, Expr as SqlExpr, Spanned, UnaryOperator, Value,
};

use crate::error::{Error, Position, Result, SqlState};
use crate::types::{CoercionContext, OperatorName};
use crate::value::{self, Evaluated, ValueSettings};

use super::{span_position, ParseState};
use bridge::{
    coerce_to_boolean, coerce_to_boolean_at, coerce_to_common_type, make_op, op_name,
    select_common_type,
};
pub use typename::{resolve_data_type, TypeNameContext};

/// `UNKNOWNOID`: the type of a quoted literal before context resolves it.
pub const UNKNOWN_TYPE: Oid = Oid(705);
const BOOL: Oid = Oid(16);
const INT4: Oid = Oid(23);
const INT8: Oid = Oid(20);
const TEXT: Oid = Oid(25);
const NUMERIC: Oid = Oid(1700);
const BIT: Oid = Oid(1560);

/// Transforms one expression in the current context (`transformExpr`).
///
/// The result is typed and resolved but not constant-folded; unknown-typed
/// literals stay `unknown` until a context (an operator, a function, a
/// target column) coerces them. Collations are assigned by the caller
/// (`assign_expr_collations`), as in PostgreSQL.
///
/// # Errors
///
/// PostgreSQL's error and SQLSTATE for the same expression: unknown
/// columns (42703), operators and functions (42883), type mismatches
/// (42804), impossible casts (42846), undeclared parameters (42P02),
/// invalid literals (22P02, ...), misplaced aggregates (42803);
/// [`Error::Unsupported`] for syntax this front end does not handle (JSON
/// and XML constructs, dialect extensions PostgreSQL does not have);
/// [`Error::TooDeep`] beyond the nesting limit.
pub fn transform_expr(pstate: &mut ParseState<'_>, expr: &SqlExpr) -> Result<Expr> {
    pstate.depth += 1;
    let result = if pstate.depth > DEFAULT_MAX_DEPTH {
        Err(Error::TooDeep {
            limit: DEFAULT_MAX_DEPTH,
        })
    } else {
        transform(pstate, expr)
    };
    pstate.depth -= 1;
    result
}

/// The position of an expression's first token.
pub(crate) fn position_of(expr: &SqlExpr) -> Option<Position> {
    span_position(expr.span())
}

/// Looks through parentheses, which PostgreSQL's raw tree does not keep.
pub(crate) fn strip_parens(mut expr: &SqlExpr) -> &SqlExpr {
    while let SqlExpr::Nested(inner) = expr {
        expr = inner;
    }
    expr
}

pub(crate) fn unsupported(what: impl Into<String>, position: Option<Position>) -> Error {
    Error::Unsupported {
        what: what.into(),
        position,
    }
}

fn syntax_error(near: &str, position: Option<Position>) -> Error {
    Error::analyze(
        SqlState::SYNTAX_ERROR,
        format!("syntax error at or near \"{near}\""),
        position,
    )
}

/// `transformExprRecurse`: one case per kind of syntax.
fn transform(ps: &mut ParseState<'_>, expr: &SqlExpr) -> Result<Expr> {
    // An `AND`/`OR` chain's own position is never used (each operand's is),
    // and working it out visits the whole chain, often the whole WHERE.
    let pos = match expr {
        SqlExpr::BinaryOp {
            op: BinaryOperator::And | BinaryOperator::Or,
            ..
        } => None,
        _ => position_of(expr),
    };
    match expr {
        SqlExpr::Identifier(ident) => match func::keyword_value_function(ident) {
            Some(svf) => Ok(svf),
            None => ps.resolve_column_ref(std::slice::from_ref(ident), pos),
        },
        SqlExpr::CompoundIdentifier(idents) => ps.resolve_column_ref(idents, pos),
        SqlExpr::CompoundFieldAccess { root, access_chain } => {
            composite::transform_indirection(ps, root, access_chain, pos)
        }
        SqlExpr::QualifiedWildcard(name, _) => {
            let idents = name
                .0
                .iter()
                .map(|part| {
                    part.as_ident()
                        .cloned()
                        .ok_or_else(|| syntax_error(&part.to_string(), pos))
                })
                .collect::<Result<Vec<_>>>()?;
            ps.resolve_whole_row(&idents, pos)
        }
        SqlExpr::Wildcard(_) => Err(syntax_error("*", pos)),
        SqlExpr::Nested(inner) => transform_expr(ps, inner),
        SqlExpr::Value(value) => transform_value(ps, &value.value, false, pos),
        SqlExpr::TypedString(typed) => {
            let text = string_literal(&typed.value.value)
                .ok_or_else(|| syntax_error(&typed.value.value.to_string(), pos))?;
            let (target, typmod) =
                resolve_data_type(ps.catalog, &typed.data_type, TypeNameContext::Literal, pos)?;
            coerce_literal(ps.catalog, text, target, typmod, pos)
        }
        SqlExpr::Interval(interval) => transform_interval(ps, interval, pos),
        SqlExpr::IsNull(arg) => null_test(ps, arg, NullTestType::IsNull),
        SqlExpr::IsNotNull(arg) => null_test(ps, arg, NullTestType::IsNotNull),
        SqlExpr::IsTrue(arg) => boolean_test(ps, arg, BoolTestType::IsTrue, "IS TRUE"),
        SqlExpr::IsNotTrue(arg) => boolean_test(ps, arg, BoolTestType::IsNotTrue, "IS NOT TRUE"),
        SqlExpr::IsFalse(arg) => boolean_test(ps, arg, BoolTestType::IsFalse, "IS FALSE"),
        SqlExpr::IsNotFalse(arg) => boolean_test(ps, arg, BoolTestType::IsNotFalse, "IS NOT FALSE"),
        SqlExpr::IsUnknown(arg) => boolean_test(ps, arg, BoolTestType::IsUnknown, "IS UNKNOWN"),
        SqlExpr::IsNotUnknown(arg) => {
            boolean_test(ps, arg, BoolTestType::IsNotUnknown, "IS NOT UNKNOWN")
        }
        SqlExpr::IsDistinctFrom(left, right) => distinct(ps, left, right, pos),
        SqlExpr::IsNotDistinctFrom(left, right) => {
            let inner = distinct(ps, left, right, pos)?;
            Ok(not(inner))
        }
        SqlExpr::IsNormalized {
            expr: arg,
            form,
            negated,
        } => {
            let mut args = vec![transform_expr(ps, arg)?];
            if let Some(form) = form {
                args.push(unknown_const(&form.to_string()));
            }
            let call = func::call_system_function(ps, "is_normalized", args, pos)?;
            Ok(if *negated { not(call) } else { call })
        }
        SqlExpr::InList {
            expr: left,
            list,
            negated,
        } => transform_in_list(ps, left, list, *negated, pos),
        SqlExpr::InSubquery {
            expr: left,
            subquery,
            negated,
        } => {
            let sublink = sublink::in_subquery(ps, left, subquery, pos)?;
            Ok(if *negated { not(sublink) } else { sublink })
        }
        SqlExpr::Between {
            expr: arg,
            negated,
            low,
            high,
        } => transform_between(ps, arg, *negated, low, high, pos),
        SqlExpr::BinaryOp { left, op, right } => transform_binary(ps, left, op, right, pos),
        SqlExpr::UnaryOp { op, expr: arg } => transform_unary(ps, op, arg, pos),
        SqlExpr::Like {
            negated,
            any,
            expr: arg,
            pattern,
            escape_char,
        } => {
            let name = if *negated { "!~~" } else { "~~" };
            transform_like(ps, name, *any, arg, pattern, escape_char.as_deref(), pos)
        }
        SqlExpr::ILike {
            negated,
            any,
            expr: arg,
            pattern,
            escape_char,
        } => {
            let name = if *negated { "!~~*" } else { "~~*" };
            transform_like(ps, name, *any, arg, pattern, escape_char.as_deref(), pos)
        }
        SqlExpr::SimilarTo {
            negated,
            expr: arg,
            pattern,
            escape_char,
        } => {
            // gram.y: `x SIMILAR TO p` is `x ~ similar_to_escape(p [, e])`.
            let left = transform_expr(ps, arg)?;
            let mut args = vec![transform_expr(ps, pattern)?];
            if let Some(escape) = escape_char {
                args.push(transform_expr(ps, escape)?);
            }
            let right = func::call_function(
                ps,
                Some("pg_catalog"),
                "similar_to_escape",
                args,
                CoercionForm::ExplicitCall,
                pos,
            )?;
            let name = if *negated { "!~" } else { "~" };
            make_op(ps.catalog, &op_name(name), Some(left), right, pos)
        }
        SqlExpr::AnyOp {
            left,
            compare_op,
            right,
            is_some: _,
        } => transform_quantified(ps, left, compare_op, right, true, pos),
        SqlExpr::AllOp {
            left,
            compare_op,
            right,
        } => transform_quantified(ps, left, compare_op, right, false, pos),
        SqlExpr::Cast {
            kind,
            expr: arg,
            data_type,
            format,
        } => {
            if format.is_some() {
                return Err(unsupported("CAST ... FORMAT", pos));
            }
            match kind {
                CastKind::Cast | CastKind::DoubleColon => {
                    transform_type_cast(ps, arg, data_type, pos)
                }
                CastKind::TryCast | CastKind::SafeCast => Err(syntax_error("(", pos)),
            }
        }
        SqlExpr::AtTimeZone {
            timestamp,
            time_zone,
        } => {
            // gram.y: `x AT TIME ZONE z` is `timezone(z, x)`, SQL syntax.
            let zone = transform_expr(ps, time_zone)?;
            let value = transform_expr(ps, timestamp)?;
            func::call_function(
                ps,
                Some("pg_catalog"),
                "timezone",
                vec![zone, value],
                CoercionForm::SqlSyntax,
                pos,
            )
        }
        SqlExpr::Extract {
            field,
            syntax: _,
            expr: arg,
        } => func::transform_extract(ps, field, arg, pos),
        SqlExpr::Ceil { expr: arg, field } | SqlExpr::Floor { expr: arg, field } => {
            let name = if matches!(expr, SqlExpr::Ceil { .. }) {
                "ceil"
            } else {
                "floor"
            };
            let plain = matches!(
                field,
                sqlparser::ast::CeilFloorKind::DateTimeField(
                    sqlparser::ast::DateTimeField::NoDateTime
                )
            );
            if !plain {
                return Err(syntax_error("TO", pos));
            }
            let arg = transform_expr(ps, arg)?;
            func::call_function(ps, None, name, vec![arg], CoercionForm::ExplicitCall, pos)
        }
        SqlExpr::Position { expr: needle, r#in } => {
            // gram.y: `position(a IN b)` is `position(b, a)`.
            let haystack = transform_expr(ps, r#in)?;
            let needle = transform_expr(ps, needle)?;
            func::call_function(
                ps,
                Some("pg_catalog"),
                "position",
                vec![haystack, needle],
                CoercionForm::SqlSyntax,
                pos,
            )
        }
        SqlExpr::Substring {
            expr: arg,
            substring_from,
            substring_for,
            special,
            shorthand: _,
        } => func::transform_substring(
            ps,
            arg,
            substring_from.as_deref(),
            substring_for.as_deref(),
            *special,
            pos,
        ),
        SqlExpr::Trim {
            trim_where,
            trim_what,
            expr: arg,
            trim_characters,
        } => func::transform_trim(
            ps,
            trim_where.as_ref(),
            trim_what.as_deref(),
            arg,
            trim_characters.as_deref(),
            pos,
        ),
        SqlExpr::Overlay {
            expr: arg,
            overlay_what,
            overlay_from,
            overlay_for,
        } => {
            let mut args = vec![
                transform_expr(ps, arg)?,
                transform_expr(ps, overlay_what)?,
                transform_expr(ps, overlay_from)?,
            ];
            if let Some(count) = overlay_for {
                args.push(transform_expr(ps, count)?);
            }
            func::call_function(
                ps,
                Some("pg_catalog"),
                "overlay",
                args,
                CoercionForm::SqlSyntax,
                pos,
            )
        }
        SqlExpr::Collate {
            expr: arg,
            collation,
        } => transform_collate(ps, arg, collation, pos),
        SqlExpr::Function(function) => func::transform_function(ps, function, pos),
        SqlExpr::Case {
            operand,
            conditions,
            else_result,
            ..
        } => transform_case(
            ps,
            operand.as_deref(),
            conditions,
            else_result.as_deref(),
            pos,
        ),
        SqlExpr::Exists { subquery, negated } => {
            let sublink = sublink::exists(ps, subquery, pos)?;
            Ok(if *negated { not(sublink) } else { sublink })
        }
        SqlExpr::Subquery(query) => sublink::expr_sublink(ps, query, pos),
        SqlExpr::Tuple(items) => composite::transform_row(ps, items, CoercionForm::ImplicitCast),
        SqlExpr::Array(array) => composite::transform_array(ps, &array.elem, None, pos),
        SqlExpr::GroupingSets(_) | SqlExpr::Cube(_) | SqlExpr::Rollup(_) => {
            Err(syntax_error("(", pos))
        }
        SqlExpr::JsonAccess { .. } | SqlExpr::IsJson { .. } => {
            Err(unsupported("SQL/JSON expressions", pos))
        }
        SqlExpr::Prefixed { prefix, value }
            if prefix.quote_style.is_none() && prefix.value == dialect::COLLATION_FOR_PREFIX =>
        {
            // gram.y: `COLLATION FOR (x)` is `pg_collation_for(x)`.
            let arg = transform_expr(ps, value)?;
            func::call_system_function(ps, "pg_collation_for", vec![arg], pos)
        }
        // `VARIADIC` outside a call's argument list, or a `_charset'...'`
        // introducer.
        SqlExpr::Prefixed { prefix, .. } => Err(syntax_error(&prefix.value, pos)),
        SqlExpr::Convert { .. } => Err(unsupported("CONVERT(...)", pos)),
        other => Err(unsupported(
            format!("expression syntax {}", describe(other)),
            pos,
        )),
    }
}

/// The first words of an expression, to name it in an error.
fn describe(expr: &SqlExpr) -> String {
    let text = expr.to_string();
    let short: String = text.chars().take(40).collect();
    format!("\"{short}\"")
}

/// `NOT expr`.
pub(crate) fn not(arg: Expr) -> Expr {
    Expr::BoolExpr(Box::new(BoolExpr {
        boolop: BoolExprType::Not,
        args: [arg].into_iter().collect(),
    }))
}

/// An `unknown`-typed string literal (`makeStringConst` then `make_const`).
pub(crate) fn unknown_const(text: &str) -> Expr {
    Expr::Const(Const {
        consttype: UNKNOWN_TYPE,
        consttypmod: -1,
        constcollid: Oid::INVALID,
        value: Some(text.to_owned()),
    })
}

/// A non-null `int4` constant.
pub(crate) fn int4_const(value: i32) -> Expr {
    Expr::Const(Const::new(INT4, Oid::INVALID, value.to_string()))
}

/// The text of a string-like literal, unescaped.
fn string_literal(value: &Value) -> Option<&str> {
    match value {
        Value::SingleQuotedString(s)
        | Value::EscapedStringLiteral(s)
        | Value::UnicodeStringLiteral(s)
        | Value::NationalStringLiteral(s) => Some(s),
        Value::DollarQuotedString(d) => Some(&d.value),
        _ => None,
    }
}

/// A typed literal or a literal cast: the unknown constant coerced
/// explicitly, as `makeStringConstCast` and `transformTypeCast` do.
fn coerce_literal(
    catalog: &Catalog,
    text: &str,
    target: Oid,
    typmod: i32,
    pos: Option<Position>,
) -> Result<Expr> {
    cast_expr(catalog, unknown_const(text), target, typmod, pos)
}

/// `coerce_to_target_type` in the explicit context, PostgreSQL's error
/// when there is no path.
fn cast_expr(
    catalog: &Catalog,
    expr: Expr,
    target: Oid,
    typmod: i32,
    pos: Option<Position>,
) -> Result<Expr> {
    let source = expr.type_oid();
    match bridge::coerce_to_target(
        catalog,
        expr,
        target,
        typmod,
        CoercionContext::Explicit,
        CoercionForm::ExplicitCast,
        pos,
    )? {
        Some(result) => Ok(result),
        None => Err(Error::analyze(
            SqlState::CANNOT_COERCE,
            format!(
                "cannot cast type {} to {}",
                catalog.format_type(source),
                catalog.format_type(target)
            ),
            pos,
        )),
    }
}

/// Literals: numbers by size, strings as `unknown`, bit strings, booleans,
/// `NULL`, `$n`. `negate` folds a leading minus sign into a number, as
/// gram.y's `doNegate` does.
fn transform_value(
    ps: &mut ParseState<'_>,
    value: &Value,
    negate: bool,
    pos: Option<Position>,
) -> Result<Expr> {
    match value {
        Value::Number(text, _) => Ok(number_const(ps.catalog, text, negate, pos)?),
        Value::SingleQuotedString(_)
        | Value::EscapedStringLiteral(_)
        | Value::UnicodeStringLiteral(_)
        | Value::DollarQuotedString(_) => {
            let text = string_literal(value).unwrap_or_default();
            Ok(unknown_const(text))
        }
        // The lexer turns N'...' into `nchar '...'`: a typed literal.
        Value::NationalStringLiteral(text) => {
            let (target, typmod) = resolve_data_type(
                ps.catalog,
                &DataType::Char(None),
                TypeNameContext::Literal,
                pos,
            )?;
            coerce_literal(ps.catalog, text, target, typmod, pos)
        }
        Value::SingleQuotedByteStringLiteral(bits) => bit_const(bits, false, pos),
        Value::HexStringLiteral(hex) => bit_const(hex, true, pos),
        Value::Boolean(b) => Ok(Expr::Const(Const::new(
            BOOL,
            Oid::INVALID,
            if *b { "t" } else { "f" },
        ))),
        Value::Null => Ok(Expr::Const(Const::null(UNKNOWN_TYPE, -1, Oid::INVALID))),
        Value::Placeholder(text) => param_ref(ps, text, pos),
        other => Err(syntax_error(&other.to_string(), pos)),
    }
}

/// `$n` with its declared type (`fixed_paramref_hook`).
fn param_ref(ps: &ParseState<'_>, text: &str, pos: Option<Position>) -> Result<Expr> {
    let Some(number) = text.strip_prefix('$').and_then(|n| n.parse::<i64>().ok()) else {
        return Err(syntax_error(text, pos));
    };
    let paramtype = ps.param_type(number, pos)?;
    Ok(Expr::Param(Param {
        paramkind: ParamKind::Extern,
        paramid: i32::try_from(number).unwrap_or(i32::MAX),
        paramtype,
        paramtypmod: -1,
        paramcollid: ps.catalog.type_collation(paramtype),
    }))
}

/// A numeric literal: `int4` when it fits, else `int8`, else `numeric`
/// (the lexer's `ICONST`/`FCONST` split and `make_const`).
fn number_const(
    catalog: &Catalog,
    text: &str,
    negate: bool,
    pos: Option<Position>,
) -> Result<Expr> {
    let signed = if negate {
        format!("-{text}")
    } else {
        text.to_owned()
    };
    let all_digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    if all_digits {
        // Digits without a leading zero (and not `-0`) are already the
        // integer's output text: kept as written instead of printed anew.
        let leading_zero = text.len() > 1 && text.starts_with('0');
        let minus_zero = negate && text == "0";
        let canonical = !(leading_zero || minus_zero);
        if let Ok(v) = signed.parse::<i32>() {
            let value = if canonical { signed } else { v.to_string() };
            return Ok(Expr::Const(Const::new(INT4, Oid::INVALID, value)));
        }
        if let Ok(v) = signed.parse::<i64>() {
            let value = if canonical { signed } else { v.to_string() };
            return Ok(Expr::Const(Const::new(INT8, Oid::INVALID, value)));
        }
    }
    // A plain `digits.digits` literal is already `numeric_out`'s text (the
    // scale is kept as written), except a negative zero, which has no sign.
    let zero = text.bytes().all(|b| b == b'0' || b == b'.');
    if is_canonical_decimal(text) && !(negate && zero) {
        return Ok(Expr::Const(Const::new(NUMERIC, Oid::INVALID, signed)));
    }
    let settings = ValueSettings::transmission(catalog);
    let canonical = match value::input(catalog, NUMERIC, -1, &signed, &settings)
        .map_err(|err| with_position(err, pos))?
    {
        Evaluated::Value(v) => v,
        // Without an evaluator the literal's own spelling is the best we
        // have; numeric_in accepts it, so the remote will too.
        Evaluated::NotEvaluable(_) => signed,
    };
    Ok(Expr::Const(Const::new(NUMERIC, Oid::INVALID, canonical)))
}

/// Whether an unsigned numeric literal is spelled as `numeric_out` would
/// print it: digits, a point, digits, with no leading zero before the
/// point other than a lone `0`. (Short ones only: the digit limits of
/// `numeric` are far above this length, so such a literal never overflows.)
fn is_canonical_decimal(text: &str) -> bool {
    const MAX_FAST_LENGTH: usize = 1000;
    let Some((int, frac)) = text.split_once('.') else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    text.len() <= MAX_FAST_LENGTH
        && digits(int)
        && digits(frac)
        && (int == "0" || !int.starts_with('0'))
}

/// Attaches a position to an error that has none.
pub(crate) fn with_position(err: Error, pos: Option<Position>) -> Error {
    match err {
        Error::Analyze {
            code,
            message,
            position: None,
        } => Error::Analyze {
            code,
            message,
            position: pos,
        },
        Error::Evaluate {
            code,
            message,
            position: None,
        } => Error::Evaluate {
            code,
            message,
            position: pos,
        },
        other => other,
    }
}

/// `B'0101'` and `X'1F'`: a `bit` constant (`bit_in` on the lexer's
/// `b...` / `x...` string).
fn bit_const(digits: &str, hex: bool, pos: Option<Position>) -> Result<Expr> {
    let mut bits = String::with_capacity(digits.len() * 4);
    for c in digits.chars() {
        if hex {
            let Some(v) = c.to_digit(16) else {
                return Err(Error::analyze(
                    SqlState::INVALID_TEXT_REPRESENTATION,
                    format!("\"{c}\" is not a valid hexadecimal digit"),
                    pos,
                ));
            };
            bits.push_str(&format!("{v:04b}"));
        } else if c == '0' || c == '1' {
            bits.push(c);
        } else {
            return Err(Error::analyze(
                SqlState::INVALID_TEXT_REPRESENTATION,
                format!("\"{c}\" is not a valid binary digit"),
                pos,
            ));
        }
    }
    Ok(Expr::Const(Const::new(BIT, Oid::INVALID, bits)))
}

/// `interval '...' [fields]`: a typed literal of `interval` with the
/// fields as typmod.
fn transform_interval(
    ps: &mut ParseState<'_>,
    interval: &sqlparser::ast::Interval,
    pos: Option<Position>,
) -> Result<Expr> {
    let field_name = |f: &sqlparser::ast::DateTimeField| -> Result<&'static str> {
        use sqlparser::ast::DateTimeField as F;
        Ok(match f {
            F::Year => "year",
            F::Month => "month",
            F::Day => "day",
            F::Hour => "hour",
            F::Minute => "minute",
            F::Second => "second",
            other => return Err(syntax_error(&other.to_string(), pos)),
        })
    };
    let first = interval
        .leading_field
        .as_ref()
        .map(field_name)
        .transpose()?;
    let last = interval.last_field.as_ref().map(field_name).transpose()?;
    if interval.leading_precision.is_some() && first != Some("second") {
        return Err(syntax_error("(", pos));
    }
    let precision = interval
        .fractional_seconds_precision
        .or(interval.leading_precision);
    let mods = typename::interval_mods(first.map(|f| (f, last)), precision);
    let computed = fdw_catalog::ddl::typmod::typmod(Oid(1186), "interval", &mods)
        .map_err(|err| Error::analyze(SqlState::INVALID_PARAMETER_VALUE, err.to_string(), pos))?;
    let inner = strip_parens(&interval.value);
    match inner {
        SqlExpr::Value(v) => match string_literal(&v.value) {
            Some(text) => coerce_literal(ps.catalog, text, Oid(1186), computed.value, pos),
            // `INTERVAL 1 DAY` (MySQL style): the number is the literal.
            None => Err(syntax_error(&v.value.to_string(), pos)),
        },
        other => Err(syntax_error(&other.to_string(), pos)),
    }
}

/// `transformTypeCast`: `x::t`, `CAST(x AS t)`.
fn transform_type_cast(
    ps: &mut ParseState<'_>,
    arg: &SqlExpr,
    data_type: &DataType,
    pos: Option<Position>,
) -> Result<Expr> {
    let (target, typmod) = resolve_data_type(ps.catalog, data_type, TypeNameContext::Cast, pos)?;
    // An ARRAY[...] cast to an array type gets the element type passed
    // down, so `ARRAY[]::int[]` and `ARRAY['1']::int[]` work.
    let inner = strip_parens(arg);
    let expr = match inner {
        SqlExpr::Array(array) => {
            let elem = ps
                .catalog
                .type_info(target)
                .filter(|t| t.is_array())
                .map(|t| t.elem);
            match elem {
                Some(elem) => composite::transform_array(
                    ps,
                    &array.elem,
                    Some((target, elem, typmod)),
                    position_of(inner),
                )?,
                None => transform_expr(ps, arg)?,
            }
        }
        _ => transform_expr(ps, arg)?,
    };
    cast_expr(ps.catalog, expr, target, typmod, pos)
}

/// `IS [NOT] NULL` (`NullTest`); row semantics for composite values.
fn null_test(ps: &mut ParseState<'_>, arg: &SqlExpr, kind: NullTestType) -> Result<Expr> {
    let arg = transform_expr(ps, arg)?;
    let argisrow = type_is_rowtype(ps.catalog, arg.type_oid());
    Ok(Expr::NullTest(Box::new(NullTest {
        arg,
        nulltesttype: kind,
        argisrow,
    })))
}

/// `type_is_rowtype`: `record`, a composite type, or a domain over one.
pub(crate) fn type_is_rowtype(catalog: &Catalog, type_oid: Oid) -> bool {
    if type_oid == Oid::RECORD_TYPE {
        return true;
    }
    let Some(info) = catalog.type_info(type_oid) else {
        return false;
    };
    match info.kind {
        fdw_catalog::builtin::TypeKind::Composite => true,
        fdw_catalog::builtin::TypeKind::Domain => {
            let base = info.base_type;
            base != type_oid && type_is_rowtype(catalog, base)
        }
        _ => false,
    }
}

/// `IS [NOT] TRUE/FALSE/UNKNOWN` (`BooleanTest`).
fn boolean_test(
    ps: &mut ParseState<'_>,
    arg: &SqlExpr,
    kind: BoolTestType,
    construct: &str,
) -> Result<Expr> {
    let pos = position_of(arg);
    let arg = transform_expr(ps, arg)?;
    let arg = coerce_to_boolean(ps.catalog, arg, construct, pos)?;
    Ok(Expr::BooleanTest(Box::new(BooleanTest {
        arg,
        booltesttype: kind,
    })))
}

/// `a IS DISTINCT FROM b` (`transformAExprDistinct`): per-column for two
/// row constructors.
fn distinct(
    ps: &mut ParseState<'_>,
    left: &SqlExpr,
    right: &SqlExpr,
    pos: Option<Position>,
) -> Result<Expr> {
    let lexpr = transform_expr(ps, left)?;
    let rexpr = transform_expr(ps, right)?;
    if let (Expr::RowExpr(l), Expr::RowExpr(r)) = (&lexpr, &rexpr) {
        if l.args.len() != r.args.len() {
            return Err(Error::analyze(
                SqlState::SYNTAX_ERROR,
                "unequal number of entries in row expressions",
                pos,
            ));
        }
        let mut result: Option<Expr> = None;
        for (a, b) in l.args.iter().zip(r.args.iter()) {
            let cmp = make_distinct_op(ps.catalog, a.clone(), b.clone(), pos)?;
            result = Some(match result {
                None => cmp,
                Some(prev) => Expr::BoolExpr(Box::new(BoolExpr {
                    boolop: BoolExprType::Or,
                    args: [prev, cmp].into_iter().collect(),
                })),
            });
        }
        // Zero-length rows are never distinct.
        return Ok(result.unwrap_or_else(|| Expr::Const(Const::new(BOOL, Oid::INVALID, "f"))));
    }
    make_distinct_op(ps.catalog, lexpr, rexpr, pos)
}

/// `make_distinct_op` with the `=` operator.
fn make_distinct_op(
    catalog: &Catalog,
    left: Expr,
    right: Expr,
    pos: Option<Position>,
) -> Result<Expr> {
    crate::types::make_distinct_op(catalog, &op_name("="), left, right, pos)
}

/// `NULLIF(a, b)` (`transformAExprNullIf`).
pub(crate) fn make_nullif(
    catalog: &Catalog,
    left: Expr,
    right: Expr,
    pos: Option<Position>,
) -> Result<Expr> {
    crate::types::make_nullif(catalog, left, right, pos)
}

/// `x BETWEEN a AND b` as gram.y's era and `transformAExprBetween` expand
/// it: `x >= a AND x <= b`; `NOT BETWEEN` is `x < a OR x > b`. The
/// operand is transformed once per use, as PostgreSQL copies it.
fn transform_between(
    ps: &mut ParseState<'_>,
    arg: &SqlExpr,
    negated: bool,
    low: &SqlExpr,
    high: &SqlExpr,
    pos: Option<Position>,
) -> Result<Expr> {
    let (lop, hop, boolop, construct) = if negated {
        ("<", ">", BoolExprType::Or, "OR")
    } else {
        (">=", "<=", BoolExprType::And, "AND")
    };
    // Each comparison is built from the written operands, so row
    // constructors compare per column as in `transformAExprOp`.
    let first = transform_op(ps, &op_name(lop), arg, low, pos)?;
    let first = coerce_to_boolean(ps.catalog, first, construct, pos)?;
    let second = transform_op(ps, &op_name(hop), arg, high, pos)?;
    let second = coerce_to_boolean(ps.catalog, second, construct, pos)?;
    Ok(Expr::BoolExpr(Box::new(BoolExpr {
        boolop,
        args: [first, second].into_iter().collect(),
    })))
}

/// The PostgreSQL operator name of a sqlparser binary operator.
fn binary_operator_name(op: &BinaryOperator) -> Option<OperatorName> {
    use BinaryOperator as B;
    let name = match op {
        B::Plus => "+",
        B::Minus => "-",
        B::Multiply => "*",
        B::Divide => "/",
        B::Modulo => "%",
        B::StringConcat => "||",
        B::Gt => ">",
        B::Lt => "<",
        B::GtEq => ">=",
        B::LtEq => "<=",
        B::Eq => "=",
        B::NotEq => "<>",
        B::Spaceship => "<=>",
        B::BitwiseOr => "|",
        B::BitwiseAnd => "&",
        B::PGBitwiseXor => "#",
        B::PGBitwiseShiftLeft => "<<",
        B::PGBitwiseShiftRight => ">>",
        B::PGExp => "^",
        B::PGOverlap => "&&",
        B::PGRegexMatch => "~",
        B::PGRegexIMatch => "~*",
        B::PGRegexNotMatch => "!~",
        B::PGRegexNotIMatch => "!~*",
        B::PGLikeMatch => "~~",
        B::PGILikeMatch => "~~*",
        B::PGNotLikeMatch => "!~~",
        B::PGNotILikeMatch => "!~~*",
        B::PGStartsWith => "^@",
        B::Arrow => "->",
        B::LongArrow => "->>",
        B::HashArrow => "#>",
        B::HashLongArrow => "#>>",
        B::AtAt => "@@",
        B::AtArrow => "@>",
        B::ArrowAt => "<@",
        B::HashMinus => "#-",
        B::AtQuestion => "@?",
        B::Question => "?",
        B::QuestionAnd => "?&",
        B::QuestionPipe => "?|",
        B::DoubleHash => "##",
        B::LtDashGt => "<->",
        B::AndLt => "&<",
        B::AndGt => "&>",
        B::LtLtPipe => "<<|",
        B::PipeGtGt => "|>>",
        B::AndLtPipe => "&<|",
        B::PipeAndGt => "|&>",
        B::LtCaret => "<^",
        B::GtCaret => ">^",
        B::QuestionHash => "?#",
        B::QuestionDash => "?-",
        B::QuestionDashPipe => "?-|",
        B::QuestionDoublePipe => "?||",
        B::At => "@",
        B::TildeEq => "~=",
        B::Custom(name) => return Some(OperatorName::new(name)),
        B::PGCustomBinaryOperator(parts) => {
            return match parts.as_slice() {
                [name] => Some(OperatorName::new(name)),
                [schema, name] => Some(OperatorName {
                    schema: Some(schema.clone()),
                    name: name.clone().into(),
                }),
                [_, schema, name] => Some(OperatorName {
                    schema: Some(schema.clone()),
                    name: name.clone().into(),
                }),
                _ => None,
            }
        }
        _ => return None,
    };
    Some(op_name(name))
}

fn is_comparison(op: &BinaryOperator) -> bool {
    matches!(
        op,
        BinaryOperator::Lt
            | BinaryOperator::Gt
            | BinaryOperator::Eq
            | BinaryOperator::LtEq
            | BinaryOperator::GtEq
            | BinaryOperator::NotEq
    )
}

/// A comparison written without parentheses around it.
fn is_comparison_expr(expr: &SqlExpr) -> bool {
    matches!(expr, SqlExpr::BinaryOp { op, .. } if is_comparison(op))
}

/// Binary operators: `AND`/`OR` (flattened as gram.y does), row
/// comparisons, `OVERLAPS`, and ordinary operators via `make_op`.
fn transform_binary(
    ps: &mut ParseState<'_>,
    left: &SqlExpr,
    op: &BinaryOperator,
    right: &SqlExpr,
    pos: Option<Position>,
) -> Result<Expr> {
    match op {
        BinaryOperator::And | BinaryOperator::Or => {
            let (boolop, construct) = if matches!(op, BinaryOperator::And) {
                (BoolExprType::And, "AND")
            } else {
                (BoolExprType::Or, "OR")
            };
            // makeAndExpr/makeOrExpr append to a left operand of the same
            // kind, so `a AND b AND c` is one node; the right operand keeps
            // its own node.
            let mut raw_args = vec![right];
            let mut current = strip_parens(left);
            loop {
                match current {
                    SqlExpr::BinaryOp {
                        left: inner_left,
                        op: inner_op,
                        right: inner_right,
                    } if inner_op == op => {
                        raw_args.push(inner_right);
                        current = strip_parens(inner_left);
                    }
                    other => {
                        raw_args.push(other);
                        break;
                    }
                }
            }
            raw_args.reverse();
            let mut args = ExprList::new();
            for raw in raw_args {
                let arg = transform_expr(ps, raw)?;
                args.push(coerce_to_boolean_at(ps.catalog, arg, construct, || {
                    position_of(raw)
                })?);
            }
            Ok(Expr::BoolExpr(Box::new(BoolExpr { boolop, args })))
        }
        BinaryOperator::Overlaps => {
            // gram.y: `(a, b) OVERLAPS (c, d)` is `overlaps(a, b, c, d)`.
            let mut args = Vec::new();
            for side in [left, right] {
                match strip_parens(side) {
                    SqlExpr::Tuple(items) if items.len() == 2 => {
                        for item in items {
                            args.push(transform_expr(ps, item)?);
                        }
                    }
                    SqlExpr::Tuple(_) => {
                        return Err(Error::analyze(
                            SqlState::SYNTAX_ERROR,
                            "wrong number of parameters on left side of OVERLAPS expression",
                            pos,
                        ))
                    }
                    _ => return Err(syntax_error("OVERLAPS", pos)),
                }
            }
            func::call_function(
                ps,
                Some("pg_catalog"),
                "overlaps",
                args,
                CoercionForm::SqlSyntax,
                pos,
            )
        }
        _ => {
            let Some(name) = binary_operator_name(op) else {
                return Err(unsupported(format!("operator {op}"), pos));
            };
            // PostgreSQL's comparison operators are non-associative:
            // `a < b = c` is a syntax error there, while sqlparser nests it.
            if is_comparison(op) && (is_comparison_expr(left) || is_comparison_expr(right)) {
                return Err(syntax_error(&name.name, pos));
            }
            transform_op(ps, &name, left, right, pos)
        }
    }
}

/// `transformAExprOp`: row constructors on both sides compare per column;
/// a row constructor against a scalar sub-select is a `ROWCOMPARE`
/// sub-link; anything else is `make_op`.
fn transform_op(
    ps: &mut ParseState<'_>,
    name: &OperatorName,
    left: &SqlExpr,
    right: &SqlExpr,
    pos: Option<Position>,
) -> Result<Expr> {
    let raw_left = strip_parens(left);
    let raw_right = strip_parens(right);
    let left_is_row = composite::is_row_constructor(raw_left);
    if left_is_row {
        if let SqlExpr::Subquery(query) = raw_right {
            return sublink::row_compare_sublink(ps, name, raw_left, query, pos);
        }
        if composite::is_row_constructor(raw_right) {
            let lexpr = transform_expr(ps, raw_left)?;
            let rexpr = transform_expr(ps, raw_right)?;
            let (Expr::RowExpr(l), Expr::RowExpr(r)) = (lexpr, rexpr) else {
                return Err(Error::Internal("row constructor without RowExpr".into()));
            };
            return composite::make_row_comparison_op(
                ps.catalog,
                name,
                l.args.into_vec(),
                r.args.into_vec(),
                pos,
            );
        }
    }
    let lexpr = transform_expr(ps, left)?;
    let rexpr = transform_expr(ps, right)?;
    make_op(ps.catalog, name, Some(lexpr), rexpr, pos)
}

/// Prefix operators; `-` on a numeric literal folds into it (`doNegate`).
fn transform_unary(
    ps: &mut ParseState<'_>,
    op: &UnaryOperator,
    arg: &SqlExpr,
    pos: Option<Position>,
) -> Result<Expr> {
    use UnaryOperator as U;
    // PostgreSQL's unary minus and plus bind tighter than `^`, sqlparser's
    // do not: `- a ^ b` is `(-a) ^ b` in PostgreSQL.
    if matches!(op, U::Minus | U::Plus) {
        if let Some(rotated) = sign_into_exponent(op, arg) {
            return transform_expr(ps, &rotated);
        }
    }
    let name = match op {
        U::Not => {
            let raw = arg;
            let arg = transform_expr(ps, raw)?;
            let arg = coerce_to_boolean_at(ps.catalog, arg, "NOT", || position_of(raw))?;
            return Ok(not(arg));
        }
        U::Minus => {
            if let Some((text, negated)) = negated_number(arg) {
                return number_const(ps.catalog, text, !negated, pos);
            }
            "-"
        }
        U::Plus => "+",
        U::BitwiseNot => "~",
        U::PGSquareRoot => "|/",
        U::PGCubeRoot => "||/",
        U::PGAbs => "@",
        U::PGPrefixFactorial => "!!",
        U::BangNot => "!",
        U::AtDashAt => "@-@",
        U::DoubleAt => "@@",
        U::Hash => "#",
        U::QuestionDash => "?-",
        U::QuestionPipe => "?|",
        // PostgreSQL 14 removed postfix operators from the grammar.
        U::PGPostfixFactorial => return Err(syntax_error("!", pos)),
    };
    let arg = transform_expr(ps, arg)?;
    make_op(ps.catalog, &op_name(name), None, arg, pos)
}

/// `sign (a ^ b)` as sqlparser nests it, re-nested the way PostgreSQL's
/// grammar does: the sign applies to the leftmost operand of the
/// (left-associative) `^` chain. `None` when `arg` is no bare `^`.
fn sign_into_exponent(op: &UnaryOperator, arg: &SqlExpr) -> Option<SqlExpr> {
    let SqlExpr::BinaryOp {
        left,
        op: BinaryOperator::PGExp,
        right,
    } = arg
    else {
        return None;
    };
    let signed_left = match sign_into_exponent(op, left) {
        Some(inner) => inner,
        None => SqlExpr::UnaryOp {
            op: *op,
            expr: left.clone(),
        },
    };
    Some(SqlExpr::BinaryOp {
        left: Box::new(signed_left),
        op: BinaryOperator::PGExp,
        right: right.clone(),
    })
}

/// A numeric literal under any number of minus signs and parentheses:
/// its text and whether the signs cancel out to a negation (gram.y
/// negates the constant once per sign, `doNegate`).
fn negated_number(expr: &SqlExpr) -> Option<(&str, bool)> {
    match strip_parens(expr) {
        SqlExpr::Value(v) => match &v.value {
            Value::Number(text, _) => Some((text, false)),
            _ => None,
        },
        SqlExpr::UnaryOp {
            op: UnaryOperator::Minus,
            expr: inner,
        } => negated_number(inner).map(|(text, negated)| (text, !negated)),
        _ => None,
    }
}

/// `x [NOT] [I]LIKE p [ESCAPE e]`, and `x LIKE ANY/ALL (...)`.
fn transform_like(
    ps: &mut ParseState<'_>,
    name: &'static str,
    any: bool,
    arg: &SqlExpr,
    pattern: &SqlExpr,
    escape: Option<&SqlExpr>,
    pos: Option<Position>,
) -> Result<Expr> {
    if any {
        if escape.is_some() {
            return Err(syntax_error("ESCAPE", pos));
        }
        return quantified(ps, &op_name(name), arg, pattern, true, pos);
    }
    let left = transform_expr(ps, arg)?;
    let mut right = transform_expr(ps, pattern)?;
    if let Some(escape) = escape {
        // gram.y: `x LIKE p ESCAPE e` is `x ~~ like_escape(p, e)`.
        let escape = transform_expr(ps, escape)?;
        right = func::call_function(
            ps,
            Some("pg_catalog"),
            "like_escape",
            vec![right, escape],
            CoercionForm::ExplicitCall,
            pos,
        )?;
    }
    make_op(ps.catalog, &op_name(name), Some(left), right, pos)
}

/// `x op ANY/ALL (...)` as sqlparser gives it.
fn transform_quantified(
    ps: &mut ParseState<'_>,
    left: &SqlExpr,
    compare_op: &BinaryOperator,
    right: &SqlExpr,
    use_or: bool,
    pos: Option<Position>,
) -> Result<Expr> {
    let Some(name) = binary_operator_name(compare_op) else {
        return Err(unsupported(
            format!("operator {compare_op} with ANY/ALL"),
            pos,
        ));
    };
    quantified(ps, &name, left, right, use_or, pos)
}

/// `x op ANY/ALL (SELECT ...)` is a sub-link; `x op ANY/ALL (array)` a
/// `ScalarArrayOpExpr`. Only a sub-select written directly inside the
/// parentheses counts as a sub-link, as in gram.y.
fn quantified(
    ps: &mut ParseState<'_>,
    name: &OperatorName,
    left: &SqlExpr,
    right: &SqlExpr,
    use_or: bool,
    pos: Option<Position>,
) -> Result<Expr> {
    if let SqlExpr::Subquery(query) = right {
        return sublink::quantified_sublink(ps, name, left, query, use_or, pos);
    }
    let lexpr = transform_expr(ps, left)?;
    let rexpr = transform_expr(ps, right)?;
    bridge::make_scalar_array_op(ps.catalog, name, use_or, lexpr, rexpr, pos)
}

/// True when `expr` contains a `Var` of the current query level
/// (`contain_vars_of_level(expr, 0)`), sub-select arguments included.
fn contains_current_level_vars(expr: &Expr) -> Result<bool> {
    Ok(fdw_core::expr::any_node(
        expr,
        |node| matches!(node, Expr::Var(var) if var.varlevelsup == 0),
    )?)
}

/// `transformAExprIn`: the non-`Var` items of a common type become one
/// `= ANY (ARRAY[...])` (`<> ALL` for `NOT IN`); the others (and
/// everything when no array type fits) an `OR` (`AND`) of comparisons,
/// built pairwise as PostgreSQL nests them.
fn transform_in_list(
    ps: &mut ParseState<'_>,
    left: &SqlExpr,
    list: &[SqlExpr],
    negated: bool,
    pos: Option<Position>,
) -> Result<Expr> {
    let (name, use_or) = if negated {
        (op_name("<>"), false)
    } else {
        (op_name("="), true)
    };
    let left_is_row = composite::is_row_constructor(strip_parens(left));
    let lexpr = transform_expr(ps, left)?;
    let mut items = Vec::with_capacity(list.len());
    for item in list {
        let is_row = composite::is_row_constructor(strip_parens(item));
        let expr = transform_expr(ps, item)?;
        let has_vars = contains_current_level_vars(&expr)?;
        items.push((expr, has_vars, is_row));
    }
    let non_vars: Vec<&Expr> = items
        .iter()
        .filter(|(_, has_vars, _)| !has_vars)
        .map(|(e, _, _)| e)
        .collect();
    let mut result: Option<Expr> = None;
    let mut remaining: Vec<(Expr, bool)> = Vec::new();
    let mut used_array = false;
    if non_vars.len() > 1 {
        let mut all: Vec<&Expr> = vec![&lexpr];
        all.extend(non_vars.iter().copied());
        // A failure to find a common type is no error here: the list is
        // then compared item by item.
        let common = select_common_type(ps.catalog, &all, "IN", pos)
            .ok()
            .filter(|t| !t.is_invalid())
            .filter(|t| bridge::verify_common_type(ps.catalog, *t, &all))
            .filter(|t| *t != Oid::RECORD_TYPE);
        let array_type = common.and_then(|t| ps.catalog.array_type_of(t).map(|a| (t, a)));
        if let Some((scalar, array_type)) = array_type {
            let mut elements = ExprList::new();
            for (expr, has_vars, is_row) in items.drain(..) {
                if has_vars {
                    remaining.push((expr, is_row));
                } else {
                    elements.push(coerce_to_common_type(ps.catalog, expr, scalar, "IN", pos)?);
                }
            }
            let array = Expr::ArrayExpr(Box::new(fdw_core::expr::ArrayExpr {
                array_typeid: array_type,
                array_collid: Oid::INVALID,
                element_typeid: scalar,
                elements,
                multidims: false,
            }));
            result = Some(bridge::make_scalar_array_op(
                ps.catalog,
                &name,
                use_or,
                lexpr.clone(),
                array,
                pos,
            )?);
            used_array = true;
        }
    }
    if !used_array {
        remaining = items
            .into_iter()
            .map(|(expr, _, is_row)| (expr, is_row))
            .collect();
    }
    for (rexpr, right_is_row) in remaining {
        let cmp = match (&lexpr, rexpr) {
            (Expr::RowExpr(l), Expr::RowExpr(r)) if left_is_row && right_is_row => {
                composite::make_row_comparison_op(
                    ps.catalog,
                    &name,
                    l.args.to_vec(),
                    r.args.into_vec(),
                    pos,
                )?
            }
            (_, rexpr) => make_op(ps.catalog, &name, Some(lexpr.clone()), rexpr, pos)?,
        };
        let cmp = coerce_to_boolean(ps.catalog, cmp, "IN", pos)?;
        result = Some(match result {
            None => cmp,
            Some(prev) => Expr::BoolExpr(Box::new(BoolExpr {
                boolop: if use_or {
                    BoolExprType::Or
                } else {
                    BoolExprType::And
                },
                args: [prev, cmp].into_iter().collect(),
            })),
        });
    }
    result.ok_or_else(|| syntax_error(")", pos))
}

/// `transformCaseExpr`.
fn transform_case(
    ps: &mut ParseState<'_>,
    operand: Option<&SqlExpr>,
    conditions: &[sqlparser::ast::CaseWhen],
    else_result: Option<&SqlExpr>,
    pos: Option<Position>,
) -> Result<Expr> {
    let catalog = ps.catalog;
    let arg = match operand {
        Some(operand) => {
            let mut arg = transform_expr(ps, operand)?;
            // An untyped test value is forced to text: the placeholder
            // cannot be coerced later.
            if arg.type_oid() == UNKNOWN_TYPE {
                arg = coerce_to_common_type(catalog, arg, TEXT, "CASE", pos)?;
            }
            bridge::assign_expr_collations(catalog, &mut arg)?;
            Some(arg)
        }
        None => None,
    };
    let placeholder = arg.as_ref().map(|arg| {
        Expr::CaseTestExpr(CaseTestExpr {
            type_id: arg.type_oid(),
            type_mod: arg.typmod(),
            collation: arg.collation(),
        })
    });
    let mut whens = Vec::with_capacity(conditions.len());
    for when in conditions {
        let when_pos = position_of(&when.condition);
        let condition = match &placeholder {
            Some(placeholder) => {
                let value = transform_expr(ps, &when.condition)?;
                make_op(
                    catalog,
                    &op_name("="),
                    Some(placeholder.clone()),
                    value,
                    when_pos,
                )?
            }
            None => transform_expr(ps, &when.condition)?,
        };
        let condition = coerce_to_boolean(catalog, condition, "CASE/WHEN", when_pos)?;
        let result = transform_expr(ps, &when.result)?;
        whens.push(CaseWhen {
            expr: condition,
            result,
        });
    }
    let default = match else_result {
        Some(e) => transform_expr(ps, e)?,
        None => Expr::Const(Const::null(UNKNOWN_TYPE, -1, Oid::INVALID)),
    };
    // The default comes first: it is the most significant for the
    // preferred type, as in PostgreSQL.
    let casetype = {
        let mut all: Vec<&Expr> = vec![&default];
        all.extend(whens.iter().map(|w| &w.result));
        select_common_type(catalog, &all, "CASE", pos)?
    };
    let default = coerce_to_common_type(catalog, default, casetype, "CASE/ELSE", pos)?;
    let mut args = Vec::with_capacity(whens.len());
    for when in whens {
        args.push(CaseWhen {
            expr: when.expr,
            result: coerce_to_common_type(catalog, when.result, casetype, "CASE/WHEN", pos)?,
        });
    }
    Ok(Expr::CaseExpr(Box::new(CaseExpr {
        casetype,
        casecollid: Oid::INVALID,
        arg,
        args,
        defresult: Some(default),
    })))
}

/// `COALESCE(...)` (`transformCoalesceExpr`).
pub(crate) fn make_coalesce(
    ps: &mut ParseState<'_>,
    args: Vec<Expr>,
    pos: Option<Position>,
) -> Result<Expr> {
    let refs: Vec<&Expr> = args.iter().collect();
    let common = select_common_type(ps.catalog, &refs, "COALESCE", pos)?;
    let mut coerced = ExprList::new();
    for arg in args {
        coerced.push(coerce_to_common_type(
            ps.catalog, arg, common, "COALESCE", pos,
        )?);
    }
    Ok(Expr::CoalesceExpr(Box::new(CoalesceExpr {
        coalescetype: common,
        coalescecollid: Oid::INVALID,
        args: coerced,
    })))
}

/// `GREATEST(...)` / `LEAST(...)` (`transformMinMaxExpr`).
pub(crate) fn make_min_max(
    ps: &mut ParseState<'_>,
    op: MinMaxOp,
    args: Vec<Expr>,
    pos: Option<Position>,
) -> Result<Expr> {
    let context = match op {
        MinMaxOp::Greatest => "GREATEST",
        MinMaxOp::Least => "LEAST",
    };
    let refs: Vec<&Expr> = args.iter().collect();
    let common = select_common_type(ps.catalog, &refs, context, pos)?;
    let mut coerced = ExprList::new();
    for arg in args {
        coerced.push(coerce_to_common_type(
            ps.catalog, arg, common, context, pos,
        )?);
    }
    Ok(Expr::MinMaxExpr(Box::new(MinMaxExpr {
        minmaxtype: common,
        minmaxcollid: Oid::INVALID,
        inputcollid: Oid::INVALID,
        op,
        args: coerced,
    })))
}

/// `x COLLATE name` (`transformCollateClause`).
fn transform_collate(
    ps: &mut ParseState<'_>,
    arg: &SqlExpr,
    collation: &sqlparser::ast::ObjectName,
    pos: Option<Position>,
) -> Result<Expr> {
    let arg = transform_expr(ps, arg)?;
    let argtype = arg.type_oid();
    // `unknown` is not collatable, but coercing it later keeps the COLLATE.
    if argtype != UNKNOWN_TYPE && ps.catalog.type_collation(argtype).is_invalid() {
        return Err(Error::analyze(
            SqlState::DATATYPE_MISMATCH,
            format!(
                "collations are not supported by type {}",
                ps.catalog.format_type(argtype)
            ),
            pos,
        ));
    }
    let coll_oid = lookup_collation(ps.catalog, collation, pos)?;
    Ok(Expr::CollateExpr(Box::new(CollateExpr { arg, coll_oid })))
}

/// `LookupCollation`: a collation by (possibly qualified) name, usable
/// with the database encoding (UTF8).
pub(crate) fn lookup_collation(
    catalog: &Catalog,
    name: &sqlparser::ast::ObjectName,
    pos: Option<Position>,
) -> Result<Oid> {
    let parts: Vec<String> = name
        .0
        .iter()
        .map(|p| match p.as_ident() {
            Some(ident) => super::ident_name(ident),
            None => p.to_string(),
        })
        .collect();
    let (schema, coll) = match parts.as_slice() {
        [coll] => (None, coll.as_str()),
        [schema, coll] => (Some(schema.as_str()), coll.as_str()),
        _ => {
            return Err(Error::analyze(
                SqlState::SYNTAX_ERROR,
                format!(
                    "improper qualified name (too many dotted names): {}",
                    parts.join(".")
                ),
                pos,
            ))
        }
    };
    // PG_UTF8 is encoding 6; -1 means any encoding.
    let usable = |c: &&fdw_catalog::builtin::CollationInfo| c.encoding == -1 || c.encoding == 6;
    let qualified;
    let namespaces: &[Oid] = match schema {
        Some(schema) => match catalog.namespace_oid(schema) {
            Some(ns) => {
                qualified = [ns];
                &qualified
            }
            None => {
                return Err(Error::analyze(
                    SqlState::INVALID_SCHEMA_NAME,
                    format!("schema \"{schema}\" does not exist"),
                    pos,
                ))
            }
        },
        // The catalog's search path already puts pg_catalog first when
        // `search_path` does not name it.
        None => catalog.search_path_oids(),
    };
    for &ns in namespaces {
        if let Some(found) = catalog.builtin().collation_by_name(ns, coll).filter(usable) {
            return Ok(found.oid);
        }
    }
    Err(Error::analyze(
        SqlState::UNDEFINED_OBJECT,
        format!(
            "collation \"{}\" for encoding \"UTF8\" does not exist",
            parts.join(".")
        ),
        pos,
    ))
}
