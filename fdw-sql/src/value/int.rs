//! `smallint`, `integer`, `bigint` and `oid`: input with PostgreSQL 15's
//! syntax (whitespace around, one sign, decimal digits only) and the
//! arithmetic of `int.c` / `int8.c` with their range errors.

use super::{err, invalid_syntax, out_of_range_for};
use crate::error::{Error, Result, SqlState};

/// Which integer type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IntKind {
    /// `int2`.
    Int2,
    /// `int4`.
    Int4,
    /// `int8`.
    Int8,
}

impl IntKind {
    pub(crate) fn range(self) -> (i128, i128) {
        match self {
            IntKind::Int2 => (i128::from(i16::MIN), i128::from(i16::MAX)),
            IntKind::Int4 => (i128::from(i32::MIN), i128::from(i32::MAX)),
            IntKind::Int8 => (i128::from(i64::MIN), i128::from(i64::MAX)),
        }
    }

    /// The SQL name used in messages.
    pub(crate) fn sql_name(self) -> &'static str {
        match self {
            IntKind::Int2 => "smallint",
            IntKind::Int4 => "integer",
            IntKind::Int8 => "bigint",
        }
    }

    /// `smallint out of range` and friends.
    pub(crate) fn out_of_range(self) -> Error {
        err(
            SqlState::NUMERIC_VALUE_OUT_OF_RANGE,
            format!("{} out of range", self.sql_name()),
        )
    }

    /// Checks that `v` fits the type.
    pub(crate) fn check(self, v: i128) -> Result<i128> {
        let (lo, hi) = self.range();
        if (lo..=hi).contains(&v) {
            Ok(v)
        } else {
            Err(self.out_of_range())
        }
    }
}

fn is_space(c: char) -> bool {
    // isspace() in the C locale.
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// `pg_strtoint16/32/64` (PostgreSQL 15: decimal digits only).
pub(crate) fn parse(text: &str, kind: IntKind) -> Result<i128> {
    let t = text.trim_matches(is_space);
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid_syntax(kind.sql_name(), text));
    }
    let mut v: i128 = 0;
    for b in digits.bytes() {
        v = v * 10 + i128::from(b - b'0');
        if v > 1i128 << 64 {
            return Err(out_of_range_for(kind.sql_name(), text));
        }
    }
    let v = if neg { -v } else { v };
    let (lo, hi) = kind.range();
    if !(lo..=hi).contains(&v) {
        return Err(out_of_range_for(kind.sql_name(), text));
    }
    Ok(v)
}

/// `oidin`: `strtoul` semantics, so `-1` is 4294967295.
pub(crate) fn parse_oid(text: &str) -> Result<i128> {
    let t = text.trim_start_matches(is_space);
    if t.is_empty() {
        return Err(invalid_syntax("oid", text));
    }
    let (neg, rest) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let (digits, tail) = rest.split_at(end);
    if digits.is_empty() || !tail.trim_matches(is_space).is_empty() {
        return Err(invalid_syntax("oid", text));
    }
    let mut v: i128 = 0;
    for b in digits.bytes() {
        v = v * 10 + i128::from(b - b'0');
        if v > i128::from(u32::MAX) {
            return Err(out_of_range_for("oid", text));
        }
    }
    if neg {
        if v > 1i128 << 31 {
            return Err(out_of_range_for("oid", text));
        }
        v = (1i128 << 32) - v;
        if v == 1i128 << 32 {
            v = 0;
        }
    }
    Ok(v)
}

/// Integer division with PostgreSQL's errors (truncating, as C does).
pub(crate) fn div(a: i128, b: i128, kind: IntKind) -> Result<i128> {
    if b == 0 {
        return Err(division_by_zero());
    }
    kind.check(a / b)
}

/// Integer remainder (`%`); `x % -1` is 0 even for the minimum value.
pub(crate) fn rem(a: i128, b: i128) -> Result<i128> {
    if b == 0 {
        return Err(division_by_zero());
    }
    Ok(a % b)
}

/// `division by zero` (22012).
pub(crate) fn division_by_zero() -> Error {
    err(SqlState::DIVISION_BY_ZERO, "division by zero")
}

/// Greatest common divisor as `int4gcd` / `int8gcd` compute it.
pub(crate) fn gcd(a: i128, b: i128, kind: IntKind) -> Result<i128> {
    let (mut x, mut y) = (a.abs(), b.abs());
    while y != 0 {
        let t = x % y;
        x = y;
        y = t;
    }
    kind.check(x)
}
