//! Evaluators of the immutable date/time built-ins: arithmetic,
//! comparisons, casts and `justify_*`; `date_trunc` and the cross-type
//! comparisons are in `trunc`. `date_part`/`extract`, `make_*` and `age`
//! are not evaluated yet: they stay unfolded with a `FoldNote`.

use std::cmp::Ordering;

use super::interval::Interval;
use super::{
    canonical_settings, encode, is_finite, parse_value, timestamp2tm, Value, DATE_NOBEGIN,
    DATE_NOEND, DT_NOBEGIN, DT_NOEND, USECS_PER_DAY, USECS_PER_SEC,
};
use crate::error::{Result, SqlState};
use crate::value::builtins::Call;
use crate::value::misc::oids::{DATE, FLOAT8, INT4, INTERVAL, TIME, TIMESTAMP, TIMETZ};
use crate::value::{err, Evaluated};

type Outcome = Option<Evaluated<Option<String>>>;

fn arg(c: &Call<'_>, i: usize) -> Result<Option<Value>> {
    let settings = canonical_settings(c.settings);
    match parse_value(c.ty(i), -1, c.arg(i)?, &settings)? {
        Some(Evaluated::Value(v)) => Ok(Some(v)),
        _ => Ok(None),
    }
}

fn out(c: &Call<'_>, v: Value) -> Result<Outcome> {
    Ok(Some(
        encode::styled(&v, &canonical_settings(c.settings))?.map(Some),
    ))
}

fn text(s: String) -> Result<Outcome> {
    Ok(Some(Evaluated::Value(Some(s))))
}

fn range(what: &str) -> crate::error::Error {
    err(
        SqlState::DATETIME_FIELD_OVERFLOW,
        format!("{what} out of range"),
    )
}

/// `interval_cmp_value`: the 128-bit span PostgreSQL compares intervals by.
fn span(iv: &Interval) -> i128 {
    i128::from(iv.micros)
        + (i128::from(iv.days) + i128::from(iv.months) * 30) * i128::from(USECS_PER_DAY)
}

/// An ordering key; `None` for values not comparable with each other.
fn cmp_values(a: &Value, b: &Value) -> Option<Ordering> {
    Some(match (a, b) {
        (Value::Date(x), Value::Date(y))
        | (Value::Time(x), Value::Time(y))
        | (Value::Timestamp(x), Value::Timestamp(y))
        | (Value::TimestampTz(x), Value::TimestampTz(y)) => x.cmp(y),
        (Value::TimeTz(t1, z1), Value::TimeTz(t2, z2)) => {
            (t1 + z1 * USECS_PER_SEC, z1).cmp(&(t2 + z2 * USECS_PER_SEC, z2))
        }
        (Value::Interval(x), Value::Interval(y)) => span(x).cmp(&span(y)),
        _ => return None,
    })
}

fn neg(iv: Interval) -> Result<Interval> {
    Ok(Interval {
        months: iv.months.checked_neg().ok_or_else(|| range("interval"))?,
        days: iv.days.checked_neg().ok_or_else(|| range("interval"))?,
        micros: iv.micros.checked_neg().ok_or_else(|| range("interval"))?,
    })
}

fn check_interval(iv: Interval) -> Result<Interval> {
    if i32::try_from(iv.months).is_err() || i32::try_from(iv.days).is_err() {
        return Err(range("interval"));
    }
    Ok(iv)
}

/// `timestamp + interval` (`timestamp_pl_interval`).
fn ts_plus(ts: i64, iv: Interval) -> Result<i64> {
    if !is_finite(ts) {
        return Ok(ts);
    }
    let mut ts = ts;
    if iv.months != 0 {
        let mut tm = timestamp2tm(ts);
        let total = tm.year * 12 + (tm.mon - 1) + iv.months;
        tm.year = total.div_euclid(12);
        tm.mon = total.rem_euclid(12) + 1;
        tm.mday = tm.mday.min(super::days_in_month(tm.year, tm.mon));
        ts = super::tm2timestamp(&tm).ok_or_else(|| range("timestamp"))?;
    }
    if iv.days != 0 {
        let mut tm = timestamp2tm(ts);
        let time = ts.rem_euclid(USECS_PER_DAY);
        let jd = super::date2j(tm.year, tm.mon, tm.mday) + iv.days;
        let (y, m, d) = super::j2date(jd);
        tm.year = y;
        tm.mon = m;
        tm.mday = d;
        let _ = time;
        ts = super::tm2timestamp(&tm).ok_or_else(|| range("timestamp"))?;
    }
    ts = ts
        .checked_add(iv.micros)
        .ok_or_else(|| range("timestamp"))?;
    if !(super::MIN_TIMESTAMP..super::END_TIMESTAMP).contains(&ts) {
        return Err(range("timestamp"));
    }
    Ok(ts)
}

/// `interval_justify_hours`.
fn justify_hours(iv: Interval) -> Interval {
    let mut r = iv;
    r.days += r.micros / USECS_PER_DAY;
    r.micros %= USECS_PER_DAY;
    if r.days > 0 && r.micros < 0 {
        r.micros += USECS_PER_DAY;
        r.days -= 1;
    } else if r.days < 0 && r.micros > 0 {
        r.micros -= USECS_PER_DAY;
        r.days += 1;
    }
    r
}

/// `interval_justify_days`.
fn justify_days(iv: Interval) -> Interval {
    let mut r = iv;
    r.months += r.days / 30;
    r.days %= 30;
    if r.months > 0 && r.days < 0 {
        r.days += 30;
        r.months -= 1;
    } else if r.months < 0 && r.days > 0 {
        r.days -= 30;
        r.months += 1;
    }
    r
}

/// `interval_justify_interval`.
fn justify_interval(iv: Interval) -> Interval {
    let mut r = iv;
    r.months += r.days / 30;
    r.days %= 30;
    r.days += r.micros / USECS_PER_DAY;
    r.micros %= USECS_PER_DAY;
    if r.months > 0 && (r.days < 0 || (r.days == 0 && r.micros < 0)) {
        r.days += 30;
        r.months -= 1;
    } else if r.months < 0 && (r.days > 0 || (r.days == 0 && r.micros > 0)) {
        r.days -= 30;
        r.months += 1;
    }
    if r.days > 0 && r.micros < 0 {
        r.micros += USECS_PER_DAY;
        r.days -= 1;
    } else if r.days < 0 && r.micros > 0 {
        r.micros -= USECS_PER_DAY;
        r.days += 1;
    }
    r
}

fn date_to_ts(d: i64) -> Result<i64> {
    Ok(match d {
        DATE_NOBEGIN => DT_NOBEGIN,
        DATE_NOEND => DT_NOEND,
        _ => {
            let ts = d * USECS_PER_DAY;
            if ts >= super::END_TIMESTAMP {
                return Err(err(
                    SqlState::DATETIME_FIELD_OVERFLOW,
                    "date out of range for timestamp",
                ));
            }
            ts
        }
    })
}

/// Evaluates a date/time built-in; `None` when the function is not one.
pub(crate) fn call(c: &Call<'_>) -> Result<Outcome> {
    let is_dt =
        |t| matches!(t, DATE | TIME | TIMETZ | TIMESTAMP | INTERVAL) || t == super::TIMESTAMPTZ;
    if c.decl.is_empty() || !c.decl.iter().any(|t| is_dt(*t)) {
        return Ok(None);
    }
    let suffix = c.name.rsplit('_').next().unwrap_or("");
    // Comparisons of two values of one type.
    if c.decl.len() == 2 && c.decl[0] == c.decl[1] && is_dt(c.decl[0]) {
        let ord = match (arg(c, 0)?, arg(c, 1)?) {
            (Some(a), Some(b)) => cmp_values(&a, &b),
            _ => None,
        };
        if let Some(o) = ord {
            let r = match suffix {
                "eq" => Some(o.is_eq()),
                "ne" => Some(o.is_ne()),
                "lt" => Some(o.is_lt()),
                "le" => Some(o.is_le()),
                "gt" => Some(o.is_gt()),
                "ge" => Some(o.is_ge()),
                "cmp" => return text(((o as i32).clamp(-1, 1)).to_string()),
                "larger" | "smaller" => {
                    let first = (suffix == "larger") == o.is_ge();
                    return text(c.arg(if first { 0 } else { 1 })?.to_owned());
                }
                _ => None,
            };
            if let Some(b) = r {
                return text(crate::value::misc::bool_text(b).to_owned());
            }
        }
    }
    let args: Vec<Option<Value>> = (0..c.n())
        .map(|i| if is_dt(c.ty(i)) { arg(c, i) } else { Ok(None) })
        .collect::<Result<_>>()?;
    let a0 = args.first().copied().flatten();
    let a1 = args.get(1).copied().flatten();
    if let Some(o) = super::trunc::call(c, a0, a1)? {
        return Ok(Some(o));
    }
    match (c.name, a0, a1) {
        ("date_pli" | "date_mii", Some(Value::Date(d)), _) if c.decl[1] == INT4 => {
            if d == DATE_NOBEGIN || d == DATE_NOEND {
                return out(c, Value::Date(d));
            }
            let n: i64 = c.arg(1)?.trim().parse().map_err(|_| range("integer"))?;
            let r = if c.name == "date_pli" { d + n } else { d - n };
            if !(super::DATE_MIN..super::DATE_END).contains(&r) {
                return Err(range("date"));
            }
            out(c, Value::Date(r))
        }
        ("date_mi", Some(Value::Date(a)), Some(Value::Date(b))) => {
            if [a, b]
                .iter()
                .any(|d| *d == DATE_NOBEGIN || *d == DATE_NOEND)
            {
                return Err(err(
                    SqlState::DATETIME_FIELD_OVERFLOW,
                    "cannot subtract infinite dates",
                ));
            }
            text((a - b).to_string())
        }
        ("timestamp_mi", Some(Value::Timestamp(a)), Some(Value::Timestamp(b))) => {
            if !is_finite(a) || !is_finite(b) {
                return Err(err(
                    SqlState::DATETIME_FIELD_OVERFLOW,
                    "cannot subtract infinite timestamps",
                ));
            }
            let diff = a.checked_sub(b).ok_or_else(|| range("interval"))?;
            out(
                c,
                Value::Interval(justify_hours(Interval {
                    months: 0,
                    days: 0,
                    micros: diff,
                })),
            )
        }
        (
            "timestamp_pl_interval" | "timestamp_mi_interval",
            Some(Value::Timestamp(ts)),
            Some(Value::Interval(iv)),
        ) => {
            let iv = if c.name.ends_with("mi_interval") {
                neg(iv)?
            } else {
                iv
            };
            out(c, Value::Timestamp(ts_plus(ts, iv)?))
        }
        (
            "date_pl_interval" | "date_mi_interval",
            Some(Value::Date(d)),
            Some(Value::Interval(iv)),
        ) => {
            let iv = if c.name.ends_with("mi_interval") {
                neg(iv)?
            } else {
                iv
            };
            out(c, Value::Timestamp(ts_plus(date_to_ts(d)?, iv)?))
        }
        ("interval_pl" | "interval_mi", Some(Value::Interval(a)), Some(Value::Interval(b))) => {
            let b = if c.name == "interval_mi" { neg(b)? } else { b };
            let r = Interval {
                months: a.months + b.months,
                days: a.days + b.days,
                micros: a
                    .micros
                    .checked_add(b.micros)
                    .ok_or_else(|| range("interval"))?,
            };
            out(c, Value::Interval(check_interval(r)?))
        }
        ("interval_um", Some(Value::Interval(a)), _) => {
            out(c, Value::Interval(check_interval(neg(a)?)?))
        }
        ("justify_hours", Some(Value::Interval(a)), _) => {
            out(c, Value::Interval(check_interval(justify_hours(a))?))
        }
        ("justify_days", Some(Value::Interval(a)), _) => {
            out(c, Value::Interval(check_interval(justify_days(a))?))
        }
        ("justify_interval", Some(Value::Interval(a)), _) => {
            out(c, Value::Interval(check_interval(justify_interval(a))?))
        }
        ("timestamp", Some(Value::Date(d)), _) if c.n() == 1 => {
            out(c, Value::Timestamp(date_to_ts(d)?))
        }
        ("date", Some(Value::Timestamp(t)), _) => out(
            c,
            Value::Date(match t {
                DT_NOBEGIN => DATE_NOBEGIN,
                DT_NOEND => DATE_NOEND,
                _ => t.div_euclid(USECS_PER_DAY),
            }),
        ),
        ("time", Some(Value::Timestamp(t)), _) if is_finite(t) => {
            out(c, Value::Time(t.rem_euclid(USECS_PER_DAY)))
        }
        ("time", Some(Value::TimeTz(t, _)), _) => out(c, Value::Time(t)),
        ("time", Some(Value::Interval(iv)), _) => {
            out(c, Value::Time(iv.micros.rem_euclid(USECS_PER_DAY)))
        }
        ("interval", Some(Value::Time(t)), _) => out(
            c,
            Value::Interval(Interval {
                months: 0,
                days: 0,
                micros: t,
            }),
        ),
        ("time_mi_time", Some(Value::Time(a)), Some(Value::Time(b))) => out(
            c,
            Value::Interval(Interval {
                months: 0,
                days: 0,
                micros: a - b,
            }),
        ),
        (
            "time_pl_interval" | "time_mi_interval",
            Some(Value::Time(t)),
            Some(Value::Interval(iv)),
        ) => {
            let us = if c.name == "time_pl_interval" {
                iv.micros
            } else {
                -iv.micros
            };
            out(
                c,
                Value::Time((t + us % USECS_PER_DAY).rem_euclid(USECS_PER_DAY)),
            )
        }
        ("datetime_pl", Some(Value::Date(d)), Some(Value::Time(t))) => {
            let ts = date_to_ts(d)?;
            let r = if is_finite(ts) {
                ts.checked_add(t).ok_or_else(|| range("timestamp"))?
            } else {
                ts
            };
            if is_finite(r) && r >= super::END_TIMESTAMP {
                return Err(range("timestamp"));
            }
            out(c, Value::Timestamp(r))
        }
        ("interval_mul" | "interval_div", Some(Value::Interval(iv)), _) if c.decl[1] == FLOAT8 => {
            interval_mul(c, iv)
        }
        _ => Ok(Some(Evaluated::NotEvaluable(format!(
            "evaluating the date/time function {} is not implemented",
            c.name
        )))),
    }
}

/// `interval_mul` / `interval_div` by a float8.
fn interval_mul(c: &Call<'_>, iv: Interval) -> Result<Outcome> {
    let f: f64 = match c.arg(1)?.trim() {
        "NaN" => f64::NAN,
        "Infinity" => f64::INFINITY,
        "-Infinity" => f64::NEG_INFINITY,
        s => s.parse().map_err(|_| range("interval"))?,
    };
    let factor = if c.name == "interval_div" {
        if f == 0.0 {
            return Err(err(SqlState::DIVISION_BY_ZERO, "division by zero"));
        }
        1.0 / f
    } else {
        f
    };
    if c.name == "interval_div" {
        return interval_div(c, iv, f);
    }
    let ovf = || range("interval");
    let result_double = iv.months as f64 * factor;
    if result_double.is_nan()
        || result_double > f64::from(i32::MAX)
        || result_double < f64::from(i32::MIN)
    {
        return Err(ovf());
    }
    let months = result_double as i64;
    let result_double = iv.days as f64 * factor;
    if result_double.is_nan()
        || result_double > f64::from(i32::MAX)
        || result_double < f64::from(i32::MIN)
    {
        return Err(ovf());
    }
    let mut days = result_double as i64;
    let month_remainder_days = (iv.months as f64 * factor - months as f64) * 30.0;
    let sec_remainder = (iv.days as f64 * factor - days as f64 + month_remainder_days
        - month_remainder_days.trunc())
        * 86_400.0;
    let sec_remainder = (sec_remainder * 1e6).round_ties_even() / 1e6;
    let mut extra = sec_remainder;
    if (extra / 86_400.0).abs() >= 1.0 {
        days += (extra / 86_400.0) as i64;
        extra -= ((extra / 86_400.0) as i64) as f64 * 86_400.0;
    }
    days += month_remainder_days as i64;
    let t = iv.micros as f64 * factor + extra * USECS_PER_SEC as f64;
    let t = t.round_ties_even();
    if t.is_nan() || !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&t) {
        return Err(ovf());
    }
    out(
        c,
        Value::Interval(check_interval(Interval {
            months,
            days,
            micros: t as i64,
        })?),
    )
}

/// `interval_div`.
fn interval_div(c: &Call<'_>, iv: Interval, f: f64) -> Result<Outcome> {
    let ovf = || range("interval");
    let months_d = iv.months as f64 / f;
    let days_d = iv.days as f64 / f;
    if !months_d.is_finite() || !days_d.is_finite() {
        return Err(ovf());
    }
    let months = months_d as i64;
    let mut days = days_d as i64;
    let month_remainder_days = (iv.months as f64 / f - months as f64) * 30.0;
    let sec_remainder =
        (days_d - days as f64 + month_remainder_days - month_remainder_days.trunc()) * 86_400.0;
    let sec_remainder = (sec_remainder * 1e6).round_ties_even() / 1e6;
    let mut extra = sec_remainder;
    if (extra / 86_400.0).abs() >= 1.0 {
        days += (extra / 86_400.0) as i64;
        extra -= ((extra / 86_400.0) as i64) as f64 * 86_400.0;
    }
    days += month_remainder_days as i64;
    let t = (iv.micros as f64 / f + extra * USECS_PER_SEC as f64).round_ties_even();
    if !t.is_finite() {
        return Err(ovf());
    }
    out(
        c,
        Value::Interval(check_interval(Interval {
            months,
            days,
            micros: t as i64,
        })?),
    )
}
