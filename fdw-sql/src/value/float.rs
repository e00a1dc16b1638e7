//! `real` and `double precision`: input as `strtod`/`strtof` read it,
//! output as PostgreSQL 12+ prints it (shortest exact digits when
//! `extra_float_digits > 0`, else `%.{DIG+extra}g`), and the overflow and
//! underflow checks of `float.c`.

use super::{err, invalid_syntax};
use crate::error::{Error, Result, SqlState};

/// Which float type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FloatKind {
    /// `float4`.
    Float4,
    /// `float8`.
    Float8,
}

impl FloatKind {
    fn sql_name(self) -> &'static str {
        match self {
            FloatKind::Float4 => "real",
            FloatKind::Float8 => "double precision",
        }
    }
}

/// `value out of range: overflow` (22003).
pub(crate) fn overflow() -> Error {
    err(
        SqlState::NUMERIC_VALUE_OUT_OF_RANGE,
        "value out of range: overflow",
    )
}

/// `value out of range: underflow` (22003).
pub(crate) fn underflow() -> Error {
    err(
        SqlState::NUMERIC_VALUE_OUT_OF_RANGE,
        "value out of range: underflow",
    )
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// `float8in` / `float4in`.
pub(crate) fn parse(text: &str, kind: FloatKind) -> Result<f64> {
    let t = text.trim_matches(is_space);
    let lower = t.to_ascii_lowercase();
    let special = match lower.as_str() {
        "nan" | "+nan" | "-nan" => Some(f64::NAN),
        "infinity" | "+infinity" | "inf" | "+inf" => Some(f64::INFINITY),
        "-infinity" | "-inf" => Some(f64::NEG_INFINITY),
        _ => None,
    };
    if let Some(v) = special {
        return Ok(v);
    }
    let bad = || invalid_syntax(kind.sql_name(), text);
    // strtod's decimal syntax: sign, digits with an optional point, exponent.
    let bytes = t.as_bytes();
    let mut i = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    let mut digits = 0;
    let mut nonzero = false;
    let mut point = false;
    while i < bytes.len() {
        match bytes[i] {
            b'0'..=b'9' => {
                digits += 1;
                nonzero |= bytes[i] != b'0';
            }
            b'.' if !point => point = true,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return Err(bad());
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        let mut j = i + 1;
        if matches!(bytes.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let start = j;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
        if j > start {
            i = j;
        }
    }
    if i != bytes.len() {
        return Err(bad());
    }
    let number = &t[..i];
    let out_of_range = || {
        err(
            SqlState::NUMERIC_VALUE_OUT_OF_RANGE,
            format!("\"{number}\" is out of range for type {}", kind.sql_name()),
        )
    };
    match kind {
        FloatKind::Float8 => {
            let v: f64 = number.parse().map_err(|_| bad())?;
            if v.is_infinite() || (v == 0.0 && nonzero) {
                return Err(out_of_range());
            }
            Ok(v)
        }
        FloatKind::Float4 => {
            let v: f32 = number.parse().map_err(|_| bad())?;
            if v.is_infinite() || (v == 0.0 && nonzero) {
                return Err(out_of_range());
            }
            Ok(f64::from(v))
        }
    }
}

/// Splits Rust's `{:e}` rendering into digits and the decimal exponent of
/// the first digit.
fn sci_parts(s: &str) -> (String, i32) {
    let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    (digits, exp.parse().unwrap_or(0))
}

/// Lays out digits `d1d2d3...` × 10^exp as `%g` would with `precision`
/// significant digits allowed (`%g` drops trailing zeros).
fn layout(negative: bool, digits: &str, exp: i32, fixed_below: i32) -> String {
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let sign = if negative { "-" } else { "" };
    if exp < -4 || exp >= fixed_below {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{first}{frac}e{esign}{:02}", exp.unsigned_abs());
    }
    if exp < 0 {
        let zeros = "0".repeat((-exp - 1) as usize);
        return format!("{sign}0.{zeros}{digits}");
    }
    let int_len = (exp + 1) as usize;
    if digits.len() <= int_len {
        format!("{sign}{digits}{}", "0".repeat(int_len - digits.len()))
    } else {
        let (a, b) = digits.split_at(int_len);
        format!("{sign}{a}.{b}")
    }
}

/// `float8out` / `float4out` under `extra_float_digits`.
pub(crate) fn format(v: f64, kind: FloatKind, extra_float_digits: i32) -> String {
    if v.is_nan() {
        return "NaN".to_owned();
    }
    if v.is_infinite() {
        return if v > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    let negative = v.is_sign_negative();
    let dig = match kind {
        FloatKind::Float4 => 6,
        FloatKind::Float8 => 15,
    };
    if v == 0.0 {
        return if negative { "-0" } else { "0" }.to_owned();
    }
    if extra_float_digits > 0 {
        // Shortest digits that read back exactly (ryu), laid out with the
        // same fixed/exponent thresholds as printf's %g at DIG digits.
        let s = match kind {
            FloatKind::Float4 => format!("{:e}", (v as f32).abs()),
            FloatKind::Float8 => format!("{:e}", v.abs()),
        };
        let (digits, exp) = sci_parts(&s);
        return layout(negative, &digits, exp, dig);
    }
    let precision = (dig + extra_float_digits).max(1);
    let s = match kind {
        FloatKind::Float4 => format!("{:.*e}", (precision - 1) as usize, (v as f32).abs()),
        FloatKind::Float8 => format!("{:.*e}", (precision - 1) as usize, v.abs()),
    };
    let (digits, exp) = sci_parts(&s);
    layout(negative, &digits, exp, precision)
}

/// `check_float8_val`: overflow when an infinite result came from finite
/// inputs; underflow when a zero result came from non-zero inputs (for
/// operations where that cannot happen exactly).
pub(crate) fn check8(v: f64, inf_ok: bool, zero_ok: bool) -> Result<f64> {
    if v.is_infinite() && !inf_ok {
        return Err(overflow());
    }
    if v == 0.0 && !zero_ok {
        return Err(underflow());
    }
    Ok(v)
}

/// `check_float4_val`.
pub(crate) fn check4(v: f64, inf_ok: bool, zero_ok: bool) -> Result<f64> {
    let f = v as f32;
    if f.is_infinite() && !inf_ok {
        return Err(overflow());
    }
    if f == 0.0 && !zero_ok {
        return Err(underflow());
    }
    Ok(f64::from(f))
}

/// `float8_cmp_internal`: NaN equals NaN and sorts above everything.
pub(crate) fn cmp(a: f64, b: f64) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
    }
}

/// `rint`: rounds half to even.
pub(crate) fn rint(v: f64) -> f64 {
    v.round_ties_even()
}

/// The float rounded to an integer of the given range (`dtoi4` and friends).
pub(crate) fn to_int(v: f64, min: i128, max: i128, type_name: &str) -> Result<i128> {
    let r = rint(v);
    // The range test is done on the float, as PostgreSQL does.
    if r.is_nan() || r < min as f64 || r >= -(min as f64) || (r as i128) > max {
        return Err(err(
            SqlState::NUMERIC_VALUE_OUT_OF_RANGE,
            format!("{type_name} out of range"),
        ));
    }
    Ok(r as i128)
}
