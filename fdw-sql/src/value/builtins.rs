//! Evaluation of immutable built-in functions over constants.
//!
//! Dispatch is on the function's `proname` and declared argument types
//! (the catalog does not carry `prosrc`): operator functions such as
//! `int4pl`, `float48mul` or `numeric_add` are recognised by their type
//! prefix and operation suffix, casts by the target type's name
//! (`int8(int4)`, `numeric(float8)`), the rest by name.
//!
//! Families evaluated: integer, float and numeric arithmetic, comparison,
//! casts and math functions; boolean comparisons and casts; text
//! concatenation, comparison for equality, the common string functions,
//! `LIKE`/`ILIKE`, `like_escape`, `similar_to_escape`, `varchar`/`bpchar`
//! length coercions; date/time arithmetic and fields (see `datetime`);
//! array length and construction functions; `bytea` concatenation and
//! lengths. Anything else answers [`Evaluated::NotEvaluable`].

use std::cmp::Ordering;

use fdw_catalog::catalog::Catalog;
use fdw_core::Oid;

use super::float::{self, FloatKind};
use super::int::{self, IntKind};
use super::misc::{self, oids::*};
use super::numeric::{self, Numeric};
use super::{array, array_ops, datetime, err, jsonb, regex, text, Evaluated, ValueSettings};
use crate::error::{Result, SqlState};

/// The outcome of one evaluator: `None` when the function is not its.
pub(crate) type Outcome = Option<Evaluated<Option<String>>>;

/// One call being evaluated.
pub(crate) struct Call<'a> {
    /// The catalog.
    pub(crate) catalog: &'a Catalog,
    /// `proname`.
    pub(crate) name: &'a str,
    /// `proargtypes`.
    pub(crate) decl: &'a [Oid],
    /// The argument values, canonical text; `None` is NULL.
    pub(crate) args: &'a [Option<&'a str>],
    /// The actual argument types (for polymorphic functions).
    pub(crate) actual: &'a [Oid],
    /// The result type.
    pub(crate) result: Oid,
    /// Settings for values.
    pub(crate) settings: &'a ValueSettings,
}

impl Call<'_> {
    /// The i-th argument, which must not be NULL (strict functions only).
    pub(crate) fn arg(&self, i: usize) -> Result<&str> {
        self.args.get(i).copied().flatten().ok_or_else(|| {
            crate::error::Error::Internal(format!("{}: missing argument {i}", self.name))
        })
    }

    /// The declared type of argument `i` (the actual one for pseudo-types).
    pub(crate) fn ty(&self, i: usize) -> Oid {
        self.decl
            .get(i)
            .copied()
            .or_else(|| self.actual.get(i).copied())
            .unwrap_or(Oid::INVALID)
    }

    /// Number of arguments.
    pub(crate) fn n(&self) -> usize {
        self.args.len()
    }
}

/// Evaluates the immutable built-in `funcid` on constant arguments given
/// in their canonical text forms (`None` for NULL), returning the
/// canonical text of the result.
///
/// `arg_types` are the actual argument types (they matter for polymorphic
/// functions); `result_type` is the call's result type.
///
/// # Errors
///
/// PostgreSQL's error for the same call: division by zero (22012), out of
/// range (22003), invalid input (22P02), ...
pub fn call_builtin(
    catalog: &Catalog,
    funcid: Oid,
    args: &[Option<&str>],
    arg_types: &[Oid],
    result_type: Oid,
    settings: &ValueSettings,
) -> Result<Evaluated<Option<String>>> {
    let Some(proc) = catalog.builtin().proc(funcid) else {
        return Ok(Evaluated::NotEvaluable(format!(
            "function {} is not a built-in",
            funcid.0
        )));
    };
    if proc.strict && args.iter().any(Option::is_none) {
        return Ok(Evaluated::Value(None));
    }
    let call = Call {
        catalog,
        name: &proc.name,
        decl: &proc.arg_types,
        args,
        actual: arg_types,
        result: result_type,
        settings,
    };
    // Non-strict functions that may see NULLs are handled first.
    if args.iter().any(Option::is_none) {
        // The non-strict array functions (array_append, array_cat, ...)
        // define their answers for NULL arguments.
        if let Some(out) = array_ops::call(&call)? {
            return Ok(out);
        }
        return Ok(Evaluated::NotEvaluable(format!(
            "{} is not evaluated with NULL arguments",
            proc.name
        )));
    }
    for family in [
        number_family,
        bool_family,
        text_family,
        text::ordering,
        array_family,
        misc_family,
        jsonb::call,
        array_ops::call,
        regex::call,
    ] {
        if let Some(out) = family(&call)? {
            return Ok(out);
        }
    }
    if let Some(out) = datetime::call(&call)? {
        return Ok(out);
    }
    Ok(Evaluated::NotEvaluable(format!(
        "evaluating {}({}) is not implemented",
        proc.name,
        proc.arg_types
            .iter()
            .map(|t| catalog.format_type(*t))
            .collect::<Vec<_>>()
            .join(", ")
    )))
}

fn value(s: impl Into<String>) -> Result<Outcome> {
    Ok(Some(Evaluated::Value(Some(s.into()))))
}

fn boolean(b: bool) -> Result<Outcome> {
    value(misc::bool_text(b))
}

fn not_evaluable(reason: impl Into<String>) -> Result<Outcome> {
    Ok(Some(Evaluated::NotEvaluable(reason.into())))
}

// ----- numbers -------------------------------------------------------------

/// A number of one of the numeric types.
#[derive(Debug, Clone)]
enum Num {
    Int(i128, IntKind),
    Float(f64, FloatKind),
    Dec(Numeric),
}

fn int_kind(t: Oid) -> Option<IntKind> {
    match t {
        INT2 => Some(IntKind::Int2),
        INT4 => Some(IntKind::Int4),
        INT8 => Some(IntKind::Int8),
        _ => None,
    }
}

fn float_kind(t: Oid) -> Option<FloatKind> {
    match t {
        FLOAT4 => Some(FloatKind::Float4),
        FLOAT8 => Some(FloatKind::Float8),
        _ => None,
    }
}

fn is_number_type(t: Oid) -> bool {
    int_kind(t).is_some() || float_kind(t).is_some() || t == NUMERIC
}

fn parse_num(s: &str, t: Oid) -> Result<Num> {
    if let Some(k) = int_kind(t) {
        return Ok(Num::Int(int::parse(s, k)?, k));
    }
    if let Some(k) = float_kind(t) {
        return Ok(Num::Float(float::parse(s, k)?, k));
    }
    Ok(Num::Dec(numeric::parse(s)?))
}

impl Num {
    fn to_f64(&self) -> f64 {
        match self {
            Num::Int(v, _) => *v as f64,
            Num::Float(v, _) => *v,
            Num::Dec(d) => d.to_f64(),
        }
    }
    fn to_numeric(&self) -> Result<Numeric> {
        Ok(match self {
            Num::Int(v, _) => Numeric::from_int(*v),
            Num::Float(v, FloatKind::Float4) => numeric::from_float(*v, 6)?,
            Num::Float(v, FloatKind::Float8) => numeric::from_float(*v, 15)?,
            Num::Dec(d) => d.clone(),
        })
    }
    fn is_float(&self) -> bool {
        matches!(self, Num::Float(..))
    }
    fn is_dec(&self) -> bool {
        matches!(self, Num::Dec(_))
    }
}

/// Converts a number to the type `t` as the cast functions do.
fn convert(n: &Num, t: Oid) -> Result<Num> {
    if let Some(k) = int_kind(t) {
        let (lo, hi) = k.range();
        let v = match n {
            Num::Int(v, _) => k.check(*v)?,
            Num::Float(v, _) => float::to_int(*v, lo, hi, k.sql_name())?,
            Num::Dec(d) => numeric::to_int(d, lo, hi, k.sql_name())?,
        };
        return Ok(Num::Int(v, k));
    }
    if let Some(k) = float_kind(t) {
        let v = match n {
            Num::Int(v, _) => match k {
                FloatKind::Float4 => f64::from(*v as f32),
                FloatKind::Float8 => *v as f64,
            },
            Num::Float(v, _) => match k {
                FloatKind::Float4 => float::check4(*v, v.is_infinite(), *v == 0.0)?,
                FloatKind::Float8 => *v,
            },
            Num::Dec(d) => match k {
                FloatKind::Float4 => {
                    let f: f32 = match d {
                        Numeric::NaN => f32::NAN,
                        Numeric::PosInf => f32::INFINITY,
                        Numeric::NegInf => f32::NEG_INFINITY,
                        Numeric::Finite { .. } => d.to_text().parse().unwrap_or(f32::NAN),
                    };
                    if f.is_infinite() && !d.is_inf() {
                        return Err(float::overflow());
                    }
                    f64::from(f)
                }
                FloatKind::Float8 => {
                    let f = d.to_f64();
                    if f.is_infinite() && !d.is_inf() {
                        return Err(err(
                            SqlState::NUMERIC_VALUE_OUT_OF_RANGE,
                            format!(
                                "\"{}\" is out of range for type double precision",
                                d.to_text()
                            ),
                        ));
                    }
                    f
                }
            },
        };
        return Ok(Num::Float(v, k));
    }
    Ok(Num::Dec(n.to_numeric()?))
}

fn format_num(n: &Num, settings: &ValueSettings) -> String {
    match n {
        Num::Int(v, _) => v.to_string(),
        Num::Float(v, k) => float::format(*v, *k, settings.extra_float_digits),
        Num::Dec(d) => d.to_text(),
    }
}

/// The operation a `int4pl`-style or `numeric_add`-style name stands for.
fn op_suffix(name: &str) -> Option<&str> {
    if let Some(rest) = name.strip_prefix("numeric_") {
        return Some(rest);
    }
    for prefix in ["int", "float"] {
        if let Some(rest) = name.strip_prefix(prefix) {
            let ops = rest.trim_start_matches(|c: char| c.is_ascii_digit());
            if ops.len() < rest.len() {
                return Some(ops);
            }
        }
    }
    None
}

fn compare(a: &Num, b: &Num) -> Result<Ordering> {
    if a.is_dec() || b.is_dec() {
        return Ok(a.to_numeric()?.cmp_total(&b.to_numeric()?));
    }
    if a.is_float() || b.is_float() {
        return Ok(float::cmp(a.to_f64(), b.to_f64()));
    }
    match (a, b) {
        (Num::Int(x, _), Num::Int(y, _)) => Ok(x.cmp(y)),
        _ => Ok(Ordering::Equal),
    }
}

fn cmp_result(op: &str, ord: Ordering) -> Option<bool> {
    Some(match op {
        "eq" => ord == Ordering::Equal,
        "ne" => ord != Ordering::Equal,
        "lt" => ord == Ordering::Less,
        "le" => ord != Ordering::Greater,
        "gt" => ord == Ordering::Greater,
        "ge" => ord != Ordering::Less,
        _ => return None,
    })
}

fn float_binary(op: &str, a: f64, b: f64, kind: FloatKind) -> Result<Option<f64>> {
    let check = |v: f64, inf_ok: bool, zero_ok: bool| match kind {
        FloatKind::Float4 => float::check4(v, inf_ok, zero_ok),
        FloatKind::Float8 => float::check8(v, inf_ok, zero_ok),
    };
    let either_inf = a.is_infinite() || b.is_infinite();
    Ok(Some(match op {
        "pl" | "add" => check(a + b, either_inf, true)?,
        "mi" | "sub" => check(a - b, either_inf, true)?,
        "mul" => check(a * b, either_inf, a == 0.0 || b == 0.0)?,
        "div" => {
            if b == 0.0 && !a.is_nan() {
                return Err(int::division_by_zero());
            }
            check(a / b, a.is_infinite(), a == 0.0 || b.is_infinite())?
        }
        "larger" => {
            if float::cmp(a, b) == Ordering::Greater {
                a
            } else {
                b
            }
        }
        "smaller" => {
            if float::cmp(a, b) == Ordering::Less {
                a
            } else {
                b
            }
        }
        _ => return Ok(None),
    }))
}

fn int_binary(op: &str, a: i128, b: i128, kind: IntKind) -> Result<Option<i128>> {
    let width = match kind {
        IntKind::Int2 => 16,
        IntKind::Int4 => 32,
        IntKind::Int8 => 64,
    };
    Ok(Some(match op {
        "pl" => kind.check(a + b)?,
        "mi" => kind.check(a - b)?,
        "mul" => kind.check(a * b)?,
        "div" => int::div(a, b, kind)?,
        "mod" => int::rem(a, b)?,
        "larger" => a.max(b),
        "smaller" => a.min(b),
        "and" => a & b,
        "or" => a | b,
        "xor" => a ^ b,
        "shl" | "shr" => {
            if !(0..width).contains(&b) {
                return Ok(None);
            }
            let shifted = if op == "shl" { a << b } else { a >> b };
            // Wrap to the type's width as C does.
            let bits = shifted & ((1i128 << width) - 1);
            if bits >= 1i128 << (width - 1) {
                bits - (1i128 << width)
            } else {
                bits
            }
        }
        _ => return Ok(None),
    }))
}

fn number_family(c: &Call<'_>) -> Result<Option<Evaluated<Option<String>>>> {
    if c.decl.is_empty() {
        return match c.name {
            "pi" => value(float::format(
                std::f64::consts::PI,
                FloatKind::Float8,
                c.settings.extra_float_digits,
            )),
            _ => Ok(None),
        };
    }
    if !c.decl.iter().all(|t| is_number_type(*t)) {
        return Ok(None);
    }
    let mut nums = Vec::with_capacity(c.n());
    for i in 0..c.n() {
        nums.push(parse_num(c.arg(i)?, c.ty(i))?);
    }
    let result = c.result;
    let out = |n: Num| -> Result<Outcome> { value(format_num(&n, c.settings)) };
    // Casts: the function is named after its result type.
    let cast_target = matches!(
        c.name,
        "int2" | "int4" | "int8" | "float4" | "float8" | "numeric"
    );
    if cast_target && nums.len() == 1 && is_number_type(result) {
        return out(convert(&nums[0], result)?);
    }
    if c.name == "numeric" && nums.len() == 2 {
        if let (Num::Dec(d), Num::Int(typmod, _)) = (&nums[0], &nums[1]) {
            let typmod = i32::try_from(*typmod).unwrap_or(-1);
            return out(Num::Dec(d.apply_typmod(typmod)?));
        }
    }
    if let Some(op) = op_suffix(c.name) {
        if nums.len() == 2 {
            if result == BOOL {
                let Some(b) = cmp_result(op, compare(&nums[0], &nums[1])?) else {
                    return Ok(None);
                };
                return boolean(b);
            }
            return binary_number(op, &nums[0], &nums[1], result, c.settings);
        }
        if nums.len() == 1 {
            return unary_number(op, &nums[0], result, c.settings);
        }
    }
    match (c.name, nums.as_slice()) {
        ("mod", [a, b]) => binary_number("mod", a, b, result, c.settings),
        ("div", [Num::Dec(a), Num::Dec(b)]) => out(Num::Dec(a.div_trunc(b)?)),
        ("gcd", [Num::Int(a, k), Num::Int(b, _)]) => out(Num::Int(int::gcd(*a, *b, *k)?, *k)),
        (
            "abs" | "sign" | "ceil" | "ceiling" | "floor" | "round" | "trunc" | "sqrt" | "dsqrt"
            | "cbrt" | "dcbrt" | "exp" | "dexp" | "ln" | "dlog1" | "log" | "log10" | "dlog10"
            | "degrees" | "radians" | "dround" | "dtrunc" | "dceil" | "dfloor" | "dsign" | "scale"
            | "min_scale" | "trim_scale" | "factorial",
            [a],
        ) => unary_number(c.name, a, result, c.settings),
        ("round", [Num::Dec(a), Num::Int(s, _)]) => out(Num::Dec(a.round(*s as i64)?)),
        ("trunc", [Num::Dec(a), Num::Int(s, _)]) => out(Num::Dec(a.trunc(*s as i64)?)),
        ("power" | "pow" | "dpow", [a, b]) => power(a, b, result, c.settings),
        _ => Ok(None),
    }
}

fn binary_number(
    op: &str,
    a: &Num,
    b: &Num,
    result: Oid,
    settings: &ValueSettings,
) -> Result<Outcome> {
    let op = match op {
        "add" => "pl",
        "sub" => "mi",
        other => other,
    };
    if let Some(k) = int_kind(result) {
        let (Num::Int(x, _), Num::Int(y, _)) = (a, b) else {
            return Ok(None);
        };
        return match int_binary(op, *x, *y, k)? {
            Some(v) => value(v.to_string()),
            None => not_evaluable(format!("integer operation {op} with these operands")),
        };
    }
    if let Some(k) = float_kind(result) {
        return match float_binary(op, a.to_f64(), b.to_f64(), k)? {
            Some(v) => value(float::format(v, k, settings.extra_float_digits)),
            None => Ok(None),
        };
    }
    if result == NUMERIC {
        let (x, y) = (a.to_numeric()?, b.to_numeric()?);
        let r = match op {
            "pl" => x.add(&y)?,
            "mi" => x.sub(&y)?,
            "mul" => x.mul(&y)?,
            "div" => x.div(&y)?,
            "mod" => x.modulo(&y)?,
            "larger" => {
                if x.cmp_total(&y) == Ordering::Less {
                    y
                } else {
                    x
                }
            }
            "smaller" => {
                if x.cmp_total(&y) == Ordering::Greater {
                    y
                } else {
                    x
                }
            }
            "div_trunc" => x.div_trunc(&y)?,
            "power" => return power(a, b, result, settings),
            _ => return Ok(None),
        };
        return value(r.to_text());
    }
    Ok(None)
}

fn unary_number(op: &str, a: &Num, result: Oid, settings: &ValueSettings) -> Result<Outcome> {
    let fmt = |n: Num| value(format_num(&n, settings));
    match a {
        Num::Int(v, k) => {
            let rk = int_kind(result).unwrap_or(*k);
            match op {
                "um" => fmt(Num::Int(rk.check(-v)?, rk)),
                "up" => fmt(Num::Int(*v, rk)),
                "abs" => fmt(Num::Int(rk.check(v.abs())?, rk)),
                "not" => fmt(Num::Int(!v, rk)),
                "inc" => fmt(Num::Int(rk.check(v + 1)?, rk)),
                "factorial" => factorial(*v),
                _ => {
                    if result == NUMERIC || float_kind(result).is_some() {
                        // e.g. sqrt(int) resolved through an implicit cast never gets here.
                        return Ok(None);
                    }
                    Ok(None)
                }
            }
        }
        Num::Float(v, k) => {
            let v = *v;
            let rk = float_kind(result).unwrap_or(*k);
            let check = |r: f64, inf_ok: bool, zero_ok: bool| match rk {
                FloatKind::Float4 => float::check4(r, inf_ok, zero_ok),
                FloatKind::Float8 => float::check8(r, inf_ok, zero_ok),
            };
            let r = match op {
                "um" => -v,
                "up" => v,
                "abs" => v.abs(),
                "sign" | "dsign" => {
                    if v > 0.0 {
                        1.0
                    } else if v < 0.0 {
                        -1.0
                    } else {
                        0.0
                    }
                }
                "ceil" | "ceiling" | "dceil" => v.ceil(),
                "floor" | "dfloor" => v.floor(),
                "round" | "dround" => float::rint(v),
                "trunc" | "dtrunc" => v.trunc(),
                "sqrt" | "dsqrt" => {
                    if v < 0.0 {
                        return Err(err(
                            SqlState("2201F"),
                            "cannot take square root of a negative number",
                        ));
                    }
                    check(v.sqrt(), v.is_infinite(), v == 0.0)?
                }
                // glibc's cbrt is not correctly rounded (cbrt(27) is
                // 3.0000000000000004) and Rust's differs from it.
                "cbrt" | "dcbrt" => {
                    return not_evaluable("cbrt's last-bit rounding depends on the C library")
                }
                "exp" | "dexp" => {
                    let r = v.exp();
                    check(r, v.is_infinite(), v == f64::NEG_INFINITY)?
                }
                "ln" | "dlog1" | "log" | "log10" | "dlog10" => {
                    if v == 0.0 {
                        return Err(err(SqlState("2201E"), "cannot take logarithm of zero"));
                    }
                    if v < 0.0 {
                        return Err(err(
                            SqlState("2201E"),
                            "cannot take logarithm of a negative number",
                        ));
                    }
                    let r = if op == "ln" || op == "dlog1" {
                        v.ln()
                    } else {
                        v.log10()
                    };
                    check(r, v.is_infinite(), v == 1.0)?
                }
                "degrees" => check(v.to_degrees(), v.is_infinite(), v == 0.0)?,
                "radians" => check(v.to_radians(), v.is_infinite(), v == 0.0)?,
                _ => return Ok(None),
            };
            fmt(Num::Float(r, rk))
        }
        Num::Dec(d) => {
            let r = match op {
                "uminus" => d.neg(),
                "uplus" => d.clone(),
                "abs" => d.abs(),
                "sign" => d.sign(),
                "ceil" | "ceiling" => d.ceil_floor(true)?,
                "floor" => d.ceil_floor(false)?,
                "round" => d.round(0)?,
                "trunc" => d.trunc(0)?,
                "sqrt" => d.sqrt()?,
                "scale" => {
                    return match numeric::scale_of(d) {
                        Some(s) => value(s.to_string()),
                        None => Ok(Some(Evaluated::Value(None))),
                    }
                }
                "min_scale" => {
                    return match numeric::min_scale(d) {
                        Some(s) => value(s.to_string()),
                        None => Ok(Some(Evaluated::Value(None))),
                    }
                }
                "trim_scale" => numeric::trim_scale(d),
                _ => return not_evaluable(format!("numeric {op} is not evaluated exactly")),
            };
            value(r.to_text())
        }
    }
}

fn factorial(v: i128) -> Result<Outcome> {
    if v < 0 {
        return Err(err(
            SqlState::INVALID_PARAMETER_VALUE,
            "factorial of a negative number is undefined",
        ));
    }
    if v > 1000 {
        return Err(err(
            SqlState::NUMERIC_VALUE_OUT_OF_RANGE,
            "value overflows numeric format",
        ));
    }
    let mut acc = Numeric::from_int(1);
    for i in 2..=v {
        acc = acc.mul(&Numeric::from_int(i))?;
    }
    value(acc.to_text())
}

fn power(a: &Num, b: &Num, result: Oid, settings: &ValueSettings) -> Result<Outcome> {
    if result == NUMERIC {
        let (x, y) = (a.to_numeric()?, b.to_numeric()?);
        if let (Numeric::Finite { mantissa, .. }, Numeric::Finite { mantissa: e, .. }) = (&x, &y) {
            use num_traits::{Signed, Zero};
            if mantissa.is_zero() && e.is_negative() {
                return Err(err(
                    SqlState("2201F"),
                    "zero raised to a negative power is undefined",
                ));
            }
        }
        return match x.power_exact(&y) {
            Some(r) => value(r.to_text()),
            None => not_evaluable("numeric power() is only evaluated for exact integer powers"),
        };
    }
    let (x, y) = (a.to_f64(), b.to_f64());
    if x == 0.0 && y < 0.0 {
        return Err(err(
            SqlState("2201F"),
            "zero raised to a negative power is undefined",
        ));
    }
    if x < 0.0 && y.floor() != y {
        return Err(err(
            SqlState("2201F"),
            "a negative number raised to a non-integer power yields a complex result",
        ));
    }
    let r = x.powf(y);
    let r = float::check8(
        r,
        x.is_infinite() || y.is_infinite(),
        x == 0.0 || r != 0.0 || y.is_infinite(),
    )?;
    value(float::format(
        r,
        FloatKind::Float8,
        settings.extra_float_digits,
    ))
}

// ----- booleans ------------------------------------------------------------

fn bool_family(c: &Call<'_>) -> Result<Outcome> {
    match (c.name, c.decl) {
        ("booleq" | "boolne" | "boollt" | "boolgt" | "boolle" | "boolge", [BOOL, BOOL]) => {
            let a = misc::parse_bool(c.arg(0)?)?;
            let b = misc::parse_bool(c.arg(1)?)?;
            let op = &c.name[4..];
            match cmp_result(op, a.cmp(&b)) {
                Some(r) => boolean(r),
                None => Ok(None),
            }
        }
        ("bool", [INT4]) => boolean(int::parse(c.arg(0)?, IntKind::Int4)? != 0),
        ("int4", [BOOL]) => value(if misc::parse_bool(c.arg(0)?)? {
            "1"
        } else {
            "0"
        }),
        // booltext spells the words out, unlike boolout.
        ("text", [BOOL]) => value(if misc::parse_bool(c.arg(0)?)? {
            "true"
        } else {
            "false"
        }),
        _ => Ok(None),
    }
}

// ----- text ----------------------------------------------------------------

fn is_text_type(t: Oid) -> bool {
    matches!(t, TEXT | VARCHAR | BPCHAR | NAME | UNKNOWN | CHAR)
}

/// The string a text-like argument stands for (bpchar keeps its padding).
fn text_arg<'a>(c: &'a Call<'_>, i: usize) -> Result<&'a str> {
    c.arg(i)
}

fn int_arg(c: &Call<'_>, i: usize) -> Result<i64> {
    let k = int_kind(c.ty(i)).unwrap_or(IntKind::Int8);
    Ok(i64::try_from(int::parse(c.arg(i)?, k)?).unwrap_or(i64::MAX))
}

fn text_family(c: &Call<'_>) -> Result<Outcome> {
    let decl = c.decl;
    let all_text = !decl.is_empty() && decl.iter().all(|t| is_text_type(*t));
    let text_then_ints = decl.first().is_some_and(|t| is_text_type(*t))
        && decl[1..].iter().all(|t| int_kind(*t).is_some());
    let ev = |e: Evaluated<String>| -> Result<Outcome> { Ok(Some(e.map(Some))) };
    match c.name {
        "textcat" if all_text => value(format!("{}{}", c.arg(0)?, c.arg(1)?)),
        "length" | "char_length" | "character_length" | "textlen" | "bpcharlen"
            if all_text && decl.len() == 1 =>
        {
            let s = text_arg(c, 0)?;
            let s = if decl[0] == BPCHAR {
                text::bpchar_trim(s)
            } else {
                s
            };
            value(s.chars().count().to_string())
        }
        "octet_length" if all_text && decl.len() == 1 => value(c.arg(0)?.len().to_string()),
        "bit_length" if all_text && decl.len() == 1 => value((c.arg(0)?.len() * 8).to_string()),
        "lower" if all_text => ev(text::lower(c.arg(0)?)),
        "upper" if all_text => ev(text::upper(c.arg(0)?)),
        "initcap" if all_text => ev(text::initcap(c.arg(0)?)),
        "btrim" | "ltrim" | "rtrim" if all_text => {
            let set = if decl.len() == 2 { c.arg(1)? } else { " " };
            let (l, r) = match c.name {
                "btrim" => (true, true),
                "ltrim" => (true, false),
                _ => (false, true),
            };
            value(text::trim(c.arg(0)?, set, l, r))
        }
        "substr" | "substring" if text_then_ints && decl.len() >= 2 => {
            let len = if decl.len() == 3 {
                Some(int_arg(c, 2)?)
            } else {
                None
            };
            value(text::substr(c.arg(0)?, int_arg(c, 1)?, len)?)
        }
        "left" if text_then_ints && decl.len() == 2 => value(text::left(c.arg(0)?, int_arg(c, 1)?)),
        "right" if text_then_ints && decl.len() == 2 => {
            value(text::right(c.arg(0)?, int_arg(c, 1)?))
        }
        "repeat" if text_then_ints && decl.len() == 2 => {
            ev(text::repeat(c.arg(0)?, int_arg(c, 1)?)?)
        }
        "replace" if all_text => value(text::replace(c.arg(0)?, c.arg(1)?, c.arg(2)?)),
        "strpos" | "position" | "textpos" if all_text => {
            value(text::strpos(c.arg(0)?, c.arg(1)?).to_string())
        }
        "lpad" | "rpad"
            if decl.len() >= 2 && is_text_type(decl[0]) && int_kind(decl[1]).is_some() =>
        {
            let fill = if decl.len() == 3 { c.arg(2)? } else { " " };
            value(text::pad(
                c.arg(0)?,
                int_arg(c, 1)?,
                fill,
                c.name == "lpad",
            )?)
        }
        "reverse" if all_text => value(c.arg(0)?.chars().rev().collect::<String>()),
        "split_part" if decl.len() == 3 => {
            value(text::split_part(c.arg(0)?, c.arg(1)?, int_arg(c, 2)?)?)
        }
        "starts_with" if all_text => boolean(c.arg(0)?.starts_with(c.arg(1)?)),
        "translate" if all_text => value(text::translate(c.arg(0)?, c.arg(1)?, c.arg(2)?)),
        "quote_literal" if all_text => value(text::quote_literal(c.arg(0)?)),
        "ascii" if all_text => value(text::ascii(c.arg(0)?).to_string()),
        "chr" if decl == [INT4] => value(text::chr(int_arg(c, 0)?)?),
        "overlay" if decl.len() >= 3 && is_text_type(decl[0]) && is_text_type(decl[1]) => {
            let s = c.arg(0)?;
            let r = c.arg(1)?;
            let start = int_arg(c, 2)?;
            let len = if decl.len() == 4 {
                int_arg(c, 3)?
            } else {
                r.chars().count() as i64
            };
            if start <= 0 {
                return Err(err(
                    SqlState("22011"),
                    "negative substring length not allowed",
                ));
            }
            let head = text::substr(s, 1, Some(start - 1))?;
            let tail = text::substr(s, start.saturating_add(len), None)?;
            value(format!("{head}{r}{tail}"))
        }
        "textlike" | "like" | "bpcharlike" | "namelike" if all_text && decl.len() == 2 => Ok(Some(
            text::like(c.arg(0)?, c.arg(1)?, false)?.map(|b| Some(misc::bool_text(b).to_owned())),
        )),
        "textnlike" | "notlike" | "bpcharnlike" | "namenlike" if all_text && decl.len() == 2 => {
            Ok(Some(
                text::like(c.arg(0)?, c.arg(1)?, false)?
                    .map(|b| Some(misc::bool_text(!b).to_owned())),
            ))
        }
        "texticlike" | "bpchariclike" | "nameiclike" if all_text => Ok(Some(
            text::like(c.arg(0)?, c.arg(1)?, true)?.map(|b| Some(misc::bool_text(b).to_owned())),
        )),
        "texticnlike" | "bpcharicnlike" | "nameicnlike" if all_text => Ok(Some(
            text::like(c.arg(0)?, c.arg(1)?, true)?.map(|b| Some(misc::bool_text(!b).to_owned())),
        )),
        "like_escape" if all_text => value(text::like_escape(c.arg(0)?, c.arg(1)?)?),
        "similar_to_escape" | "similar_escape" if all_text => {
            let esc = if decl.len() == 2 {
                Some(c.arg(1)?)
            } else {
                None
            };
            value(text::similar_to_escape(c.arg(0)?, esc)?)
        }
        "texteq" | "nameeq" | "nameeqtext" | "texteqname" | "bpchareq" | "textne" | "namene"
        | "namenetext" | "textnename" | "bpcharne"
            if all_text =>
        {
            let (mut a, mut b) = (c.arg(0)?, c.arg(1)?);
            if c.name.starts_with("bpchar") {
                a = text::bpchar_trim(a);
                b = text::bpchar_trim(b);
            }
            let eq = a == b;
            boolean(if c.name.contains("ne") && !c.name.contains("eq") {
                !eq
            } else {
                eq
            })
        }
        "varchar" if decl.len() == 3 && decl[0] == VARCHAR => {
            let typmod = int_arg(c, 1)?;
            let explicit = misc::parse_bool(c.arg(2)?)?;
            value(text::varchar_typmod(
                c.arg(0)?,
                i32::try_from(typmod).unwrap_or(-1),
                explicit,
            )?)
        }
        "bpchar" if decl.len() == 3 && decl[0] == BPCHAR => {
            let typmod = int_arg(c, 1)?;
            let explicit = misc::parse_bool(c.arg(2)?)?;
            value(text::bpchar_typmod(
                c.arg(0)?,
                i32::try_from(typmod).unwrap_or(-1),
                explicit,
            )?)
        }
        "text" if decl == [BPCHAR] => value(text::bpchar_trim(c.arg(0)?)),
        "text" | "varchar" if all_text && decl.len() == 1 => value(c.arg(0)?),
        "bpchar" if all_text && decl.len() == 1 => value(c.arg(0)?),
        "name" if all_text && decl.len() == 1 => {
            let s = c.arg(0)?;
            let s = if decl[0] == BPCHAR {
                text::bpchar_trim(s)
            } else {
                s
            };
            value(text::truncate_name(s))
        }
        "char" if decl == [TEXT] => value(
            c.arg(0)?
                .chars()
                .next()
                .map(String::from)
                .unwrap_or_default(),
        ),
        "to_hex" if decl.len() == 1 && int_kind(decl[0]).is_some() => {
            let v = int_arg(c, 0)?;
            let s = if decl[0] == INT8 {
                format!("{:x}", v as u64)
            } else {
                format!("{:x}", v as i32 as u32)
            };
            value(s)
        }
        "byteacat" if decl == [BYTEA, BYTEA] => {
            let mut a = misc::bytea_parse(c.arg(0)?)?;
            a.extend(misc::bytea_parse(c.arg(1)?)?);
            value(misc::bytea_format(&a))
        }
        "octet_length" | "length" if decl == [BYTEA] => {
            value(misc::bytea_parse(c.arg(0)?)?.len().to_string())
        }
        "byteaeq" | "byteane" if decl == [BYTEA, BYTEA] => {
            let eq = misc::bytea_parse(c.arg(0)?)? == misc::bytea_parse(c.arg(1)?)?;
            boolean(if c.name == "byteaeq" { eq } else { !eq })
        }
        // Ordering: bytewise under C/POSIX, else not evaluable (text.rs).
        "text_lt" | "text_le" | "text_gt" | "text_ge" | "bpcharlt" | "bpcharle" | "bpchargt"
        | "bpcharge" | "text_larger" | "text_smaller" | "bttextcmp" => text::ordering(c),
        // `~`, `!~`, `~*` and `!~*` are the `regex` family's.
        "regexp_replace" | "regexp_match" | "substring_similar" | "regexp_substr"
        | "regexp_like" => not_evaluable(
            "regular expressions need PostgreSQL's regex engine, which is not reimplemented",
        ),
        _ => Ok(None),
    }
}

// ----- arrays --------------------------------------------------------------

fn elem_of(c: &Call<'_>, t: Oid) -> Oid {
    c.catalog.type_info(t).map_or(Oid::INVALID, |i| i.elem)
}

fn array_family(c: &Call<'_>) -> Result<Outcome> {
    let is_poly = |i: usize| matches!(c.decl.get(i), Some(&Oid(2277)) | Some(&Oid(5078)));
    match c.name {
        "array_length" | "array_lower" | "array_upper" if is_poly(0) && c.n() == 2 => {
            let elem = elem_of(c, c.actual[0]);
            let Evaluated::Value(a) = array::parse_array(c.catalog, elem, c.arg(0)?)? else {
                return Ok(None);
            };
            let dim = int_arg(c, 1)?;
            let Some(&(lo, len)) = usize::try_from(dim - 1).ok().and_then(|d| a.dims.get(d)) else {
                return Ok(Some(Evaluated::Value(None)));
            };
            let v = match c.name {
                "array_length" => len as i64,
                "array_lower" => lo,
                _ => lo + len as i64 - 1,
            };
            value(v.to_string())
        }
        "cardinality" if is_poly(0) => {
            let elem = elem_of(c, c.actual[0]);
            let Evaluated::Value(a) = array::parse_array(c.catalog, elem, c.arg(0)?)? else {
                return Ok(None);
            };
            value(a.elems.len().to_string())
        }
        "array_ndims" if is_poly(0) => {
            let elem = elem_of(c, c.actual[0]);
            let Evaluated::Value(a) = array::parse_array(c.catalog, elem, c.arg(0)?)? else {
                return Ok(None);
            };
            if a.dims.is_empty() {
                return Ok(Some(Evaluated::Value(None)));
            }
            value(a.dims.len().to_string())
        }
        "array_dims" if is_poly(0) => {
            let elem = elem_of(c, c.actual[0]);
            let Evaluated::Value(a) = array::parse_array(c.catalog, elem, c.arg(0)?)? else {
                return Ok(None);
            };
            if a.dims.is_empty() {
                return Ok(Some(Evaluated::Value(None)));
            }
            let s: String = a
                .dims
                .iter()
                .map(|&(lo, len)| format!("[{lo}:{}]", lo + len as i64 - 1))
                .collect();
            value(s)
        }
        _ => Ok(None),
    }
}

// ----- other small types ---------------------------------------------------

fn misc_family(c: &Call<'_>) -> Result<Outcome> {
    match (c.name, c.decl) {
        ("uuid_eq" | "uuid_ne", [UUID, UUID]) => {
            let eq = c.arg(0)? == c.arg(1)?;
            boolean(if c.name == "uuid_eq" { eq } else { !eq })
        }
        ("oideq" | "oidne" | "oidlt" | "oidle" | "oidgt" | "oidge", [OID, OID]) => {
            let a = int::parse_oid(c.arg(0)?)?;
            let b = int::parse_oid(c.arg(1)?)?;
            match cmp_result(&c.name[3..], a.cmp(&b)) {
                Some(r) => boolean(r),
                None => Ok(None),
            }
        }
        ("chareq" | "charne", [CHAR, CHAR]) => {
            let eq = c.arg(0)? == c.arg(1)?;
            boolean(if c.name == "chareq" { eq } else { !eq })
        }
        (
            "enum_eq" | "enum_ne" | "enum_lt" | "enum_le" | "enum_gt" | "enum_ge" | "enum_cmp"
            | "enum_larger" | "enum_smaller",
            [_, _],
        ) => enum_compare(c),
        _ => Ok(None),
    }
}

/// The labels of an enum type in sort order (`pg_enum.enumsortorder`),
/// looking through domains.
fn enum_labels(catalog: &Catalog, mut type_oid: Oid) -> Option<Vec<String>> {
    for _ in 0..32 {
        match misc::shape(catalog, type_oid) {
            misc::Shape::Enum(labels) => return Some(labels),
            misc::Shape::Domain(base, _) => type_oid = base,
            _ => return None,
        }
    }
    None
}

/// `enum_eq`, `enum_lt`, ..., `enum_cmp`, `enum_larger`, `enum_smaller`
/// (`utils/adt/enum.c`): labels compare by their sort order.
fn enum_compare(c: &Call<'_>) -> Result<Outcome> {
    let (a, b) = (c.arg(0)?, c.arg(1)?);
    let Some(&type_oid) = c.actual.first() else {
        return Ok(None);
    };
    let Some(labels) = enum_labels(c.catalog, type_oid) else {
        return not_evaluable(format!("{} over a type that is not a known enum", c.name));
    };
    let position = |label: &str| labels.iter().position(|l| l == label);
    let (Some(pa), Some(pb)) = (position(a), position(b)) else {
        return not_evaluable(format!("{} over labels not in the enum", c.name));
    };
    let ord = pa.cmp(&pb);
    match &c.name[5..] {
        "cmp" => value(match ord {
            Ordering::Less => "-1",
            Ordering::Equal => "0",
            Ordering::Greater => "1",
        }),
        "larger" => value(if ord == Ordering::Less { b } else { a }),
        "smaller" => value(if ord == Ordering::Greater { b } else { a }),
        op => match cmp_result(op, ord) {
            Some(r) => boolean(r),
            None => Ok(None),
        },
    }
}
