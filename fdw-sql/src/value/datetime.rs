//! Dates, timestamps and intervals: the input forms in everyday use, ISO
//! output (`postgres_fdw` transmits with `DateStyle = ISO`), the `postgres`
//! interval style, and the immutable arithmetic and comparisons.
//!
//! Handled input: ISO dates (`2020-01-02`), `a/b/c` and `a-b-c` forms in
//! the `DateStyle` field order, `epoch`, `infinity`, `-infinity`; ISO
//! timestamps with `T` or a space and up to microseconds; intervals as
//! `[@] N unit ...` and `[-]HH:MM[:SS[.f]]` with `ago`. Times, `timetz`,
//! `timestamptz` (which needs time-zone rules), month names, BC dates and
//! the clock words (`now`, `today`, ...) are not evaluated.

use fdw_core::{Oid, TypMod};

use super::builtins::Call;
use super::misc::oids::{DATE, INT4, INTERVAL, TIMESTAMP};
use super::{err, not_evaluable, DateOrder, Evaluated, IntervalStyle, ValueSettings};
use crate::error::{Error, Result, SqlState};

const USECS_PER_SEC: i64 = 1_000_000;
const USECS_PER_DAY: i64 = 86_400 * USECS_PER_SEC;
/// Days from 1970-01-01 to 2000-01-01 (PostgreSQL's epoch).
const PG_EPOCH_DAYS: i64 = 10_957;
/// `DATEVAL_NOBEGIN` / `DATEVAL_NOEND` stand-ins.
const DATE_NEG_INF: i64 = i64::MIN;
const DATE_POS_INF: i64 = i64::MAX;

fn bad_syntax(type_name: &str, text: &str) -> Error {
    err(
        SqlState::INVALID_DATETIME_FORMAT,
        format!("invalid input syntax for type {type_name}: \"{text}\""),
    )
}

fn field_overflow(text: &str) -> Error {
    err(
        SqlState::DATETIME_FIELD_OVERFLOW,
        format!("date/time field value out of range: \"{text}\""),
    )
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

/// A date as days since 2000-01-01 (or the infinities).
fn parse_date(text: &str, order: DateOrder) -> Result<Evaluated<i64>> {
    let t = text.trim().to_ascii_lowercase();
    match t.as_str() {
        "epoch" => return Ok(Evaluated::Value(-PG_EPOCH_DAYS)),
        "infinity" | "+infinity" => return Ok(Evaluated::Value(DATE_POS_INF)),
        "-infinity" => return Ok(Evaluated::Value(DATE_NEG_INF)),
        "now" | "today" | "tomorrow" | "yesterday" => {
            return not_evaluable(format!("'{t}' reads the clock"))
        }
        _ => {}
    }
    let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        if t.chars().any(|c| c.is_ascii_alphabetic()) {
            return not_evaluable(format!("the date form \"{text}\" is not implemented"));
        }
        return Err(bad_syntax("date", text));
    }
    let nums: Vec<i64> = parts.iter().map(|p| p.parse().unwrap_or(-1)).collect();
    let (y, m, d) = if parts[0].len() >= 3 {
        (nums[0], nums[1], nums[2])
    } else {
        match order {
            DateOrder::Mdy => (nums[2], nums[0], nums[1]),
            DateOrder::Dmy => (nums[2], nums[1], nums[0]),
            DateOrder::Ymd => (nums[0], nums[1], nums[2]),
        }
    };
    // Two-digit years are taken as 1970-2069, as PostgreSQL does.
    let y = if parts[if parts[0].len() >= 3 { 0 } else { 2 }].len() <= 2 {
        if y < 70 {
            y + 2000
        } else {
            y + 1900
        }
    } else {
        y
    };
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return Err(field_overflow(text));
    }
    if !(1..=5_874_897).contains(&y) {
        return Err(err(
            SqlState::DATETIME_FIELD_OVERFLOW,
            format!("date out of range: \"{text}\""),
        ));
    }
    Ok(Evaluated::Value(days_from_civil(y, m, d) - PG_EPOCH_DAYS))
}

fn format_date(days: i64) -> String {
    match days {
        DATE_POS_INF => "infinity".to_owned(),
        DATE_NEG_INF => "-infinity".to_owned(),
        _ => {
            let (y, m, d) = civil_from_days(days + PG_EPOCH_DAYS);
            if y <= 0 {
                format!("{:04}-{m:02}-{d:02} BC", 1 - y)
            } else {
                format!("{y:04}-{m:02}-{d:02}")
            }
        }
    }
}

/// A timestamp as microseconds since 2000-01-01 (or the infinities).
fn parse_timestamp(text: &str, order: DateOrder) -> Result<Evaluated<i64>> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    match lower.as_str() {
        "infinity" | "+infinity" => return Ok(Evaluated::Value(i64::MAX)),
        "-infinity" => return Ok(Evaluated::Value(i64::MIN)),
        "epoch" => return Ok(Evaluated::Value(-PG_EPOCH_DAYS * USECS_PER_DAY)),
        _ => {}
    }
    let (date_part, time_part) = match t.find(['T', 't', ' ']) {
        Some(i) => (&t[..i], t[i + 1..].trim()),
        None => (t, ""),
    };
    let days = match parse_date(date_part, order)? {
        Evaluated::Value(d) if d != DATE_POS_INF && d != DATE_NEG_INF => d,
        Evaluated::Value(_) => return Err(bad_syntax("timestamp", text)),
        Evaluated::NotEvaluable(r) => return Ok(Evaluated::NotEvaluable(r)),
    };
    let micros = if time_part.is_empty() {
        0
    } else {
        match parse_time(time_part) {
            Some(Ok(m)) => m,
            Some(Err(())) => return Err(field_overflow(text)),
            None => {
                return not_evaluable(format!("the timestamp form \"{text}\" is not implemented"))
            }
        }
    };
    Ok(Evaluated::Value(days * USECS_PER_DAY + micros))
}

/// `HH:MM[:SS[.ffffff]]` as microseconds; `Some(Err)` when out of range,
/// `None` when not of this form (zones and the like).
fn parse_time(s: &str) -> Option<std::result::Result<i64, ()>> {
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() < 2 || parts.len() > 3 {
        return None;
    }
    let h: i64 = parts[0].parse().ok()?;
    let m: i64 = parts[1].parse().ok()?;
    let (sec, frac) = match parts.get(2) {
        Some(p) => {
            let (a, b) = p.split_once('.').unwrap_or((p, ""));
            if !b.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            (a.parse::<i64>().ok()?, b)
        }
        None => (0, ""),
    };
    let micros = frac_micros(frac)?;
    if !(0..=24).contains(&h) || !(0..60).contains(&m) || !(0..=60).contains(&sec) {
        return Some(Err(()));
    }
    let total = ((h * 60 + m) * 60 + sec) * USECS_PER_SEC + micros;
    if total > USECS_PER_DAY {
        return Some(Err(()));
    }
    Some(Ok(total))
}

fn append_seconds(out: &mut String, micros_in_minute: i64) {
    let sec = micros_in_minute / USECS_PER_SEC;
    let frac = micros_in_minute % USECS_PER_SEC;
    out.push_str(&format!("{sec:02}"));
    if frac != 0 {
        let f = format!("{frac:06}");
        out.push('.');
        out.push_str(f.trim_end_matches('0'));
    }
}

fn format_timestamp(us: i64) -> String {
    match us {
        i64::MAX => return "infinity".to_owned(),
        i64::MIN => return "-infinity".to_owned(),
        _ => {}
    }
    let days = us.div_euclid(USECS_PER_DAY);
    let rem = us.rem_euclid(USECS_PER_DAY);
    let (y, m, d) = civil_from_days(days + PG_EPOCH_DAYS);
    let h = rem / 3_600_000_000;
    let mi = rem / 60_000_000 % 60;
    let mut out = if y <= 0 {
        format!("{:04}-{m:02}-{d:02} {h:02}:{mi:02}:", 1 - y)
    } else {
        format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02}:")
    };
    append_seconds(&mut out, rem % 60_000_000);
    if y <= 0 {
        out.push_str(" BC");
    }
    out
}

/// An interval: months, days and microseconds, kept apart as in PostgreSQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Interval {
    months: i64,
    days: i64,
    micros: i64,
}

fn parse_interval(text: &str) -> Result<Evaluated<Interval>> {
    let bad = || bad_syntax("interval", text);
    let mut iv = Interval {
        months: 0,
        days: 0,
        micros: 0,
    };
    let lower = text.trim().to_ascii_lowercase();
    let mut toks: Vec<&str> = lower.split_whitespace().collect();
    if toks.first() == Some(&"@") {
        toks.remove(0);
    }
    let ago = toks.last() == Some(&"ago");
    if ago {
        toks.pop();
    }
    if toks.is_empty() {
        return Err(bad());
    }
    let mut i = 0;
    while i < toks.len() {
        let tok = toks[i];
        if tok.contains(':') {
            let (neg, body) = match tok.strip_prefix('-') {
                Some(b) => (true, b),
                None => (false, tok.strip_prefix('+').unwrap_or(tok)),
            };
            let parts: Vec<&str> = body.split(':').collect();
            if parts.len() < 2 || parts.len() > 3 {
                return Err(bad());
            }
            let h: i64 = parts[0].parse().map_err(|_| bad())?;
            let m: i64 = parts[1].parse().map_err(|_| bad())?;
            let s_us = match parts.get(2) {
                Some(p) => parse_seconds(p).ok_or_else(bad)?,
                None => 0,
            };
            let v = (h * 3600 + m * 60) * USECS_PER_SEC + s_us;
            iv.micros += if neg { -v } else { v };
            i += 1;
            continue;
        }
        let (num, unit) = match tok.find(|c: char| c.is_ascii_alphabetic()) {
            Some(p) if p > 0 => (&tok[..p], &tok[p..]),
            _ => {
                let unit = toks.get(i + 1).copied().ok_or_else(bad)?;
                i += 1;
                (tok, unit)
            }
        };
        let value: f64 = num.parse().map_err(|_| bad())?;
        let whole = value.trunc();
        let frac = value - whole;
        let w = whole as i64;
        match unit {
            "year" | "years" | "yr" | "yrs" | "y" => {
                iv.months += w * 12 + (frac * 12.0).round() as i64
            }
            "mon" | "mons" | "month" | "months" => {
                iv.months += w;
                if frac != 0.0 {
                    let d = frac * 30.0;
                    iv.days += d.trunc() as i64;
                    iv.micros += ((d - d.trunc()) * USECS_PER_DAY as f64).round() as i64;
                }
            }
            "week" | "weeks" | "w" => {
                let d = value * 7.0;
                iv.days += d.trunc() as i64;
                iv.micros += ((d - d.trunc()) * USECS_PER_DAY as f64).round() as i64;
            }
            "day" | "days" | "d" => {
                iv.days += w;
                iv.micros += (frac * USECS_PER_DAY as f64).round() as i64;
            }
            "hour" | "hours" | "hr" | "hrs" | "h" => {
                iv.micros += (value * 3600.0 * USECS_PER_SEC as f64).round() as i64
            }
            "minute" | "minutes" | "min" | "mins" | "m" => {
                iv.micros += (value * 60.0 * USECS_PER_SEC as f64).round() as i64
            }
            "second" | "seconds" | "sec" | "secs" | "s" => {
                iv.micros += (value * USECS_PER_SEC as f64).round() as i64
            }
            _ => return not_evaluable(format!("the interval form \"{text}\" is not implemented")),
        }
        i += 1;
    }
    if ago {
        iv = Interval {
            months: -iv.months,
            days: -iv.days,
            micros: -iv.micros,
        };
    }
    if i32::try_from(iv.months).is_err() || i32::try_from(iv.days).is_err() {
        return Err(err(
            SqlState::DATETIME_FIELD_OVERFLOW,
            format!("interval field value out of range: \"{text}\""),
        ));
    }
    Ok(Evaluated::Value(iv))
}

fn parse_seconds(p: &str) -> Option<i64> {
    let (a, b) = p.split_once('.').unwrap_or((p, ""));
    let s: i64 = a.parse().ok()?;
    Some(s * USECS_PER_SEC + frac_micros(b)?)
}

/// Fractional-second digits as microseconds, rounded as PostgreSQL's
/// `rint(frac * 1000000)` does (half to even on the double).
fn frac_micros(digits: &str) -> Option<i64> {
    if digits.is_empty() {
        return Some(0);
    }
    if !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let f: f64 = format!("0.{digits}").parse().ok()?;
    Some((f * 1_000_000.0).round_ties_even() as i64)
}

/// `interval_out` in the `postgres` style.
fn format_interval(iv: Interval) -> String {
    let mut out = String::new();
    let mut is_zero = true;
    let mut is_before = false;
    let mut part = |out: &mut String, value: i64, unit: &str| {
        if value == 0 {
            return;
        }
        out.push_str(&format!(
            "{}{}{value} {unit}{}",
            if is_zero { "" } else { " " },
            if is_before && value > 0 { "+" } else { "" },
            if value != 1 { "s" } else { "" }
        ));
        is_before = value < 0;
        is_zero = false;
    };
    part(&mut out, iv.months / 12, "year");
    part(&mut out, iv.months % 12, "mon");
    part(&mut out, iv.days, "day");
    let us = iv.micros;
    if is_zero || us != 0 {
        let minus = us < 0;
        let a = us.unsigned_abs() as i64;
        let h = a / 3_600_000_000;
        let m = a / 60_000_000 % 60;
        out.push_str(&format!(
            "{}{}{h:02}:{m:02}:",
            if is_zero { "" } else { " " },
            if minus {
                "-"
            } else if is_before {
                "+"
            } else {
                ""
            }
        ));
        append_seconds(&mut out, a % 60_000_000);
    }
    out
}

/// The input function of a date/time type plus its typmod.
pub(crate) fn input(
    oid: Oid,
    typmod: TypMod,
    text: &str,
    settings: &ValueSettings,
) -> Result<Evaluated<String>> {
    match oid {
        DATE => Ok(parse_date(text, settings.date_order)?.map(format_date)),
        TIMESTAMP => {
            let v = parse_timestamp(text, settings.date_order)?;
            Ok(match v {
                Evaluated::Value(us) => {
                    Evaluated::Value(format_timestamp(round_precision(us, typmod)))
                }
                Evaluated::NotEvaluable(r) => Evaluated::NotEvaluable(r),
            })
        }
        INTERVAL => {
            if typmod >= 0 {
                return not_evaluable("interval typmods are not implemented");
            }
            Ok(parse_interval(text)?.map(format_interval))
        }
        other => not_evaluable(format!(
            "input of date/time type {} (time zones, times of day) is not implemented",
            other.0
        )),
    }
}

/// `AdjustTimestampForTypmod`: rounds to `typmod` fractional digits.
fn round_precision(us: i64, typmod: TypMod) -> i64 {
    if !(0..6).contains(&typmod) || us == i64::MAX || us == i64::MIN {
        return us;
    }
    let unit = 10i64.pow(6 - typmod as u32);
    if us >= 0 {
        (us + unit / 2) / unit * unit
    } else {
        -((-us + unit / 2) / unit * unit)
    }
}

/// Re-renders a canonical date/time value.
pub(crate) fn output(
    oid: Oid,
    canonical: &str,
    settings: &ValueSettings,
) -> Result<Evaluated<String>> {
    let iso = settings.date_output == super::DateOutput::Iso;
    match oid {
        DATE | TIMESTAMP if iso => Ok(Evaluated::Value(canonical.to_owned())),
        INTERVAL if settings.interval_style == IntervalStyle::Postgres => {
            Ok(Evaluated::Value(canonical.to_owned()))
        }
        _ => not_evaluable("date/time output in styles other than ISO and postgres"),
    }
}

fn date_arg(c: &Call<'_>, i: usize) -> Result<i64> {
    match parse_date(c.arg(i)?, DateOrder::Ymd)? {
        Evaluated::Value(d) => Ok(d),
        Evaluated::NotEvaluable(_) => Err(bad_syntax("date", c.arg(i)?)),
    }
}

fn ts_arg(c: &Call<'_>, i: usize) -> Result<i64> {
    match parse_timestamp(c.arg(i)?, DateOrder::Ymd)? {
        Evaluated::Value(d) => Ok(d),
        Evaluated::NotEvaluable(_) => Err(bad_syntax("timestamp", c.arg(i)?)),
    }
}

fn iv_arg(c: &Call<'_>, i: usize) -> Result<Interval> {
    match parse_interval(c.arg(i)?)? {
        Evaluated::Value(v) => Ok(v),
        Evaluated::NotEvaluable(_) => Err(bad_syntax("interval", c.arg(i)?)),
    }
}

type Outcome = Option<Evaluated<Option<String>>>;

fn value(s: String) -> Result<Outcome> {
    Ok(Some(Evaluated::Value(Some(s))))
}

fn is_inf(v: i64) -> bool {
    v == i64::MAX || v == i64::MIN
}

/// `timestamp + interval` (`timestamp_pl_interval`).
fn ts_plus(ts: i64, iv: Interval) -> Result<i64> {
    if is_inf(ts) {
        return Ok(ts);
    }
    let range = || err(SqlState::DATETIME_FIELD_OVERFLOW, "timestamp out of range");
    let mut ts = ts;
    if iv.months != 0 {
        let days = ts.div_euclid(USECS_PER_DAY);
        let rem = ts.rem_euclid(USECS_PER_DAY);
        let (y, m, d) = civil_from_days(days + PG_EPOCH_DAYS);
        let total = y * 12 + (m - 1) + iv.months;
        let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) + 1);
        let nd = d.min(days_in_month(ny, nm));
        ts = (days_from_civil(ny, nm, nd) - PG_EPOCH_DAYS) * USECS_PER_DAY + rem;
    }
    if iv.days != 0 {
        ts = ts.checked_add(iv.days * USECS_PER_DAY).ok_or_else(range)?;
    }
    ts = ts.checked_add(iv.micros).ok_or_else(range)?;
    Ok(ts)
}

/// Evaluates a date/time built-in; `None` when the function is not one.
pub(crate) fn call(c: &Call<'_>) -> Result<Outcome> {
    let cmp = |o: std::cmp::Ordering, op: &str| -> Option<bool> {
        Some(match op {
            "eq" => o.is_eq(),
            "ne" => o.is_ne(),
            "lt" => o.is_lt(),
            "le" => o.is_le(),
            "gt" => o.is_gt(),
            "ge" => o.is_ge(),
            _ => return None,
        })
    };
    match (c.name, c.decl) {
        ("date_pli", [DATE, INT4]) | ("date_mii", [DATE, INT4]) => {
            let d = date_arg(c, 0)?;
            if is_inf(d) {
                return value(format_date(d));
            }
            let n = i64::from(
                super::int::parse(c.arg(1)?, super::int::IntKind::Int4)?
                    .clamp(i128::from(i32::MIN), i128::from(i32::MAX)) as i32,
            );
            let r = if c.name == "date_pli" { d + n } else { d - n };
            if !(-2_451_545..=2_145_031_948).contains(&r) {
                return Err(err(SqlState::DATETIME_FIELD_OVERFLOW, "date out of range"));
            }
            value(format_date(r))
        }
        ("date_mi", [DATE, DATE]) => {
            let (a, b) = (date_arg(c, 0)?, date_arg(c, 1)?);
            if is_inf(a) || is_inf(b) {
                return Err(err(
                    SqlState::DATETIME_FIELD_OVERFLOW,
                    "cannot subtract infinite dates",
                ));
            }
            value((a - b).to_string())
        }
        (name, [DATE, DATE]) if name.starts_with("date_") => {
            let o = date_arg(c, 0)?.cmp(&date_arg(c, 1)?);
            match cmp(o, &name[5..]) {
                Some(b) => value(super::misc::bool_text(b).to_owned()),
                None => Ok(None),
            }
        }
        (name, [TIMESTAMP, TIMESTAMP]) if name.starts_with("timestamp_") => {
            let (a, b) = (ts_arg(c, 0)?, ts_arg(c, 1)?);
            if name == "timestamp_mi" {
                if is_inf(a) || is_inf(b) {
                    return Err(err(
                        SqlState::DATETIME_FIELD_OVERFLOW,
                        "cannot subtract infinite timestamps",
                    ));
                }
                // timestamp_mi then interval_justify_hours.
                let diff = a - b;
                let days = diff / USECS_PER_DAY;
                let micros = diff % USECS_PER_DAY;
                return value(format_interval(Interval {
                    months: 0,
                    days,
                    micros,
                }));
            }
            match cmp(a.cmp(&b), &name[10..]) {
                Some(r) => value(super::misc::bool_text(r).to_owned()),
                None => Ok(None),
            }
        }
        ("timestamp_pl_interval" | "timestamp_mi_interval", [TIMESTAMP, INTERVAL]) => {
            let mut iv = iv_arg(c, 1)?;
            if c.name == "timestamp_mi_interval" {
                iv = Interval {
                    months: -iv.months,
                    days: -iv.days,
                    micros: -iv.micros,
                };
            }
            value(format_timestamp(ts_plus(ts_arg(c, 0)?, iv)?))
        }
        ("date_pl_interval" | "date_mi_interval", [DATE, INTERVAL]) => {
            let d = date_arg(c, 0)?;
            let ts = if is_inf(d) { d } else { d * USECS_PER_DAY };
            let mut iv = iv_arg(c, 1)?;
            if c.name == "date_mi_interval" {
                iv = Interval {
                    months: -iv.months,
                    days: -iv.days,
                    micros: -iv.micros,
                };
            }
            value(format_timestamp(ts_plus(ts, iv)?))
        }
        ("timestamp", [DATE]) => {
            let d = date_arg(c, 0)?;
            value(format_timestamp(if is_inf(d) {
                d
            } else {
                d * USECS_PER_DAY
            }))
        }
        ("date", [TIMESTAMP]) => {
            let t = ts_arg(c, 0)?;
            value(format_date(if is_inf(t) {
                t
            } else {
                t.div_euclid(USECS_PER_DAY)
            }))
        }
        ("interval_pl" | "interval_mi", [INTERVAL, INTERVAL]) => {
            let (a, b) = (iv_arg(c, 0)?, iv_arg(c, 1)?);
            let s = if c.name == "interval_pl" { 1 } else { -1 };
            value(format_interval(Interval {
                months: a.months + s * b.months,
                days: a.days + s * b.days,
                micros: a.micros + s * b.micros,
            }))
        }
        ("interval_um", [INTERVAL]) => {
            let a = iv_arg(c, 0)?;
            value(format_interval(Interval {
                months: -a.months,
                days: -a.days,
                micros: -a.micros,
            }))
        }
        _ => Ok(None),
    }
}
