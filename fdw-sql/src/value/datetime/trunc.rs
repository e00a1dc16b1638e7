//! `date_trunc` on `timestamp`, `timestamptz` and `interval`, and the
//! cross-type comparisons between `date`, `timestamp` and `timestamptz`
//! (`date_lt_timestamp`, `timestamptz_ge_date`, ...).
//!
//! What depends on the session's `TimeZone` (everything involving
//! `timestamptz`) is evaluated only where [`zone`] knows the zone's offset;
//! elsewhere it is not evaluable.

use std::cmp::Ordering;

use super::interval::Interval;
use super::{
    date2j, is_finite, j2date, j2day, timestamp2tm, valid_julian, zone, Tm, Value, DATE_NOBEGIN,
    DATE_NOEND, DT_NOBEGIN, DT_NOEND, END_TIMESTAMP, MIN_TIMESTAMP, POSTGRES_EPOCH_JDATE,
    USECS_PER_DAY, USECS_PER_HOUR, USECS_PER_MINUTE, USECS_PER_SEC,
};
use crate::error::{Error, Result, SqlState};
use crate::value::builtins::Call;
use crate::value::misc::oids::{DATE, INTERVAL, TEXT, TIMESTAMP, TIMESTAMPTZ};
use crate::value::{err, misc, Evaluated};

type Outcome = Option<Evaluated<Option<String>>>;

/// A unit of `DecodeUnits` (`datetime.c`'s `deltatktbl`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    Microsecond,
    Millisecond,
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
    Millennium,
    Timezone,
    TimezoneHour,
    TimezoneMinute,
}

/// The `UNITS` entries of `deltatktbl` (tokens are at most `TOKMAXLEN`
/// = 10 bytes).
const UNITS: &[(&str, Unit)] = &[
    ("c", Unit::Century),
    ("cent", Unit::Century),
    ("centuries", Unit::Century),
    ("century", Unit::Century),
    ("d", Unit::Day),
    ("day", Unit::Day),
    ("days", Unit::Day),
    ("dec", Unit::Decade),
    ("decade", Unit::Decade),
    ("decades", Unit::Decade),
    ("decs", Unit::Decade),
    ("h", Unit::Hour),
    ("hour", Unit::Hour),
    ("hours", Unit::Hour),
    ("hr", Unit::Hour),
    ("hrs", Unit::Hour),
    ("m", Unit::Minute),
    ("microsecon", Unit::Microsecond),
    ("mil", Unit::Millennium),
    ("millennia", Unit::Millennium),
    ("millennium", Unit::Millennium),
    ("millisecon", Unit::Millisecond),
    ("mils", Unit::Millennium),
    ("min", Unit::Minute),
    ("mins", Unit::Minute),
    ("minute", Unit::Minute),
    ("minutes", Unit::Minute),
    ("mon", Unit::Month),
    ("mons", Unit::Month),
    ("month", Unit::Month),
    ("months", Unit::Month),
    ("ms", Unit::Millisecond),
    ("msec", Unit::Millisecond),
    ("msecond", Unit::Millisecond),
    ("mseconds", Unit::Millisecond),
    ("msecs", Unit::Millisecond),
    ("qtr", Unit::Quarter),
    ("quarter", Unit::Quarter),
    ("s", Unit::Second),
    ("sec", Unit::Second),
    ("second", Unit::Second),
    ("seconds", Unit::Second),
    ("secs", Unit::Second),
    ("timezone", Unit::Timezone),
    ("timezone_h", Unit::TimezoneHour),
    ("timezone_m", Unit::TimezoneMinute),
    ("us", Unit::Microsecond),
    ("usec", Unit::Microsecond),
    ("usecond", Unit::Microsecond),
    ("useconds", Unit::Microsecond),
    ("usecs", Unit::Microsecond),
    ("w", Unit::Week),
    ("week", Unit::Week),
    ("weeks", Unit::Week),
    ("y", Unit::Year),
    ("year", Unit::Year),
    ("years", Unit::Year),
    ("yr", Unit::Year),
    ("yrs", Unit::Year),
];

/// `downcase_truncate_identifier` (ASCII only in UTF-8) and the unit it
/// names, looked up as `datebsearch` does: only the first `TOKMAXLEN`
/// bytes count, so `millisecondsxyz` is milliseconds.
pub(super) fn decode_units(units: &str) -> (String, Option<Unit>) {
    let low = units.to_ascii_lowercase();
    let bytes = low.as_bytes();
    let key = bytes.get(..bytes.len().min(10)).unwrap_or(bytes);
    let unit = UNITS
        .iter()
        .find(|(t, _)| t.as_bytes() == key)
        .map(|(_, u)| *u);
    (low, unit)
}

fn not_recognized(low: &str, type_name: &str) -> Error {
    err(
        SqlState::INVALID_PARAMETER_VALUE,
        format!("unit \"{low}\" not recognized for type {type_name}"),
    )
}

fn not_supported(low: &str, type_name: &str) -> Error {
    err(
        SqlState::FEATURE_NOT_SUPPORTED,
        format!("unit \"{low}\" not supported for type {type_name}"),
    )
}

fn ts_range() -> Error {
    err(SqlState::DATETIME_FIELD_OVERFLOW, "timestamp out of range")
}

/// Evaluates `date_trunc` and the cross-type comparisons; `None` for other
/// functions.
pub(super) fn call(c: &Call<'_>, a0: Option<Value>, a1: Option<Value>) -> Result<Outcome> {
    if c.name == "date_trunc" && c.decl.len() == 2 && c.decl[0] == TEXT {
        let units = c.arg(0)?;
        return match (c.decl[1], a1) {
            (TIMESTAMP, Some(Value::Timestamp(ts))) => {
                Ok(Some(Evaluated::Value(Some(trunc_timestamp(c, units, ts)?))))
            }
            (TIMESTAMPTZ, Some(Value::TimestampTz(ts))) => trunc_timestamptz(c, units, ts),
            (INTERVAL, Some(Value::Interval(iv))) => {
                let r = trunc_interval(units, iv)?;
                Ok(Some(
                    super::encode::styled(
                        &Value::Interval(r),
                        &super::canonical_settings(c.settings),
                    )?
                    .map(Some),
                ))
            }
            _ => Ok(None),
        };
    }
    cross_compare(c, a0, a1)
}

/// Truncates a broken-down time to `unit` (the shared part of
/// `timestamp_trunc` and `timestamptz_trunc_internal`); `false` when the
/// unit is not one `date_trunc` supports on timestamps.
fn trunc_tm(tm: &mut Tm, unit: Unit) -> bool {
    use Unit::*;
    if unit == Week {
        // The Monday starting the ISO week, which is the Monday on or
        // before the date.
        let jd = date2j(tm.year, tm.mon, tm.mday);
        let monday = jd - (j2day(jd) + 6) % 7;
        let (y, m, d) = j2date(monday);
        *tm = Tm {
            year: y,
            mon: m,
            mday: d,
            ..Tm::default()
        };
        return true;
    }
    let rank = match unit {
        Millennium => 12,
        Century => 11,
        Decade => 10,
        Year => 9,
        Quarter => 8,
        Month => 7,
        Day => 6,
        Hour => 5,
        Minute => 4,
        Second => 3,
        Millisecond => 2,
        Microsecond => 1,
        Week | Timezone | TimezoneHour | TimezoneMinute => return false,
    };
    // Years are astronomical here (1 BC is 0); C's division truncates
    // toward zero, as Rust's does.
    let y = tm.year;
    match unit {
        Millennium => {
            tm.year = if y > 0 {
                (y + 999) / 1000 * 1000 - 999
            } else {
                -((999 - (y - 1)) / 1000) * 1000 + 1
            };
        }
        Century => {
            tm.year = if y > 0 {
                (y + 99) / 100 * 100 - 99
            } else {
                -((99 - (y - 1)) / 100) * 100 + 1
            };
        }
        Decade => {
            tm.year = if y > 0 {
                y / 10 * 10
            } else {
                -((8 - (y - 1)) / 10) * 10
            };
        }
        _ => {}
    }
    if rank >= 9 {
        tm.mon = 1;
    }
    if rank >= 8 {
        tm.mon = 3 * ((tm.mon - 1) / 3) + 1;
    }
    if rank >= 7 {
        tm.mday = 1;
    }
    if rank >= 6 {
        tm.hour = 0;
    }
    if rank >= 5 {
        tm.min = 0;
    }
    if rank >= 4 {
        tm.sec = 0;
    }
    if rank >= 3 {
        tm.fsec = 0;
    }
    if rank >= 2 {
        tm.fsec = tm.fsec / 1000 * 1000;
    }
    true
}

/// A broken-down time as a count of microseconds without range checks
/// (`None` on arithmetic overflow or an invalid Julian date).
fn tm_to_micros(tm: &Tm) -> Option<i64> {
    if !valid_julian(tm.year, tm.mon) {
        return None;
    }
    let days = date2j(tm.year, tm.mon, tm.mday) - POSTGRES_EPOCH_JDATE;
    let time = ((tm.hour * 60 + tm.min) * 60 + tm.sec) * USECS_PER_SEC + tm.fsec;
    days.checked_mul(USECS_PER_DAY)?.checked_add(time)
}

fn valid_ts(ts: i64) -> bool {
    (MIN_TIMESTAMP..END_TIMESTAMP).contains(&ts)
}

/// `timestamp_trunc`; the canonical text of the result.
fn trunc_timestamp(c: &Call<'_>, units: &str, ts: i64) -> Result<String> {
    let text = |ts: i64| -> Result<String> {
        match super::encode::styled(
            &Value::Timestamp(ts),
            &super::canonical_settings(c.settings),
        )? {
            Evaluated::Value(s) => Ok(s),
            Evaluated::NotEvaluable(r) => Err(Error::Internal(r)),
        }
    };
    // Infinities come back unchanged, before the unit is even looked at.
    if !is_finite(ts) {
        return text(ts);
    }
    let (low, unit) = decode_units(units);
    let Some(unit) = unit else {
        return Err(not_recognized(&low, "timestamp without time zone"));
    };
    let mut tm = timestamp2tm(ts);
    if !trunc_tm(&mut tm, unit) {
        return Err(not_supported(&low, "timestamp without time zone"));
    }
    let r = tm_to_micros(&tm)
        .filter(|r| valid_ts(*r))
        .ok_or_else(ts_range)?;
    text(r)
}

/// `timestamptz_trunc` in the session zone.
fn trunc_timestamptz(c: &Call<'_>, units: &str, ts: i64) -> Result<Outcome> {
    let out = |ts: i64| -> Result<Outcome> {
        Ok(Some(
            super::encode::styled(
                &Value::TimestampTz(ts),
                &super::canonical_settings(c.settings),
            )?
            .map(Some),
        ))
    };
    if !is_finite(ts) {
        return out(ts);
    }
    let type_name = "timestamp with time zone";
    let (low, unit) = decode_units(units);
    let Some(unit) = unit else {
        return Err(not_recognized(&low, type_name));
    };
    let zone = zone::session_zone(&c.settings.time_zone);
    let Some(east) = zone.offset_at_utc(ts) else {
        return not_evaluable_zone(c);
    };
    let local = ts.checked_add(east * USECS_PER_SEC).ok_or_else(ts_range)?;
    let mut tm = timestamp2tm(local);
    if !trunc_tm(&mut tm, unit) {
        return Err(not_supported(&low, type_name));
    }
    // Truncating to a day or more lands on another local time whose
    // offset is looked up again; finer units keep the original offset.
    let redo = matches!(
        unit,
        Unit::Week
            | Unit::Day
            | Unit::Month
            | Unit::Quarter
            | Unit::Year
            | Unit::Decade
            | Unit::Century
            | Unit::Millennium
    );
    let east = if redo {
        match zone.offset_for_local(&tm) {
            Some(e) => e,
            None => return not_evaluable_zone(c),
        }
    } else {
        east
    };
    let r = tm_to_micros(&tm)
        .and_then(|l| l.checked_sub(east * USECS_PER_SEC))
        .filter(|r| valid_ts(*r))
        .ok_or_else(ts_range)?;
    out(r)
}

fn not_evaluable_zone(c: &Call<'_>) -> Result<Outcome> {
    Ok(Some(Evaluated::NotEvaluable(format!(
        "no rules for the time zone \"{}\" at that instant",
        c.settings.time_zone
    ))))
}

/// `interval_trunc`.
fn trunc_interval(units: &str, iv: Interval) -> Result<Interval> {
    use Unit::*;
    let (low, unit) = decode_units(units);
    let Some(unit) = unit else {
        return Err(not_recognized(&low, "interval"));
    };
    // `interval2itm`: C's truncating division keeps every field's sign.
    let mut year = iv.months / 12;
    let mut mon = iv.months % 12;
    let mut mday = iv.days;
    let mut time = iv.micros;
    let mut hour = time / USECS_PER_HOUR;
    time -= hour * USECS_PER_HOUR;
    let mut min = time / USECS_PER_MINUTE;
    time -= min * USECS_PER_MINUTE;
    let mut sec = time / USECS_PER_SEC;
    let mut usec = time - sec * USECS_PER_SEC;
    let rank = match unit {
        Millennium => 12,
        Century => 11,
        Decade => 10,
        Year => 9,
        Quarter => 8,
        Month => 7,
        Day => 6,
        Hour => 5,
        Minute => 4,
        Second => 3,
        Millisecond => 2,
        Microsecond => 1,
        Week | Timezone | TimezoneHour | TimezoneMinute => {
            return Err(not_supported(&low, "interval"));
        }
    };
    if rank >= 12 {
        year = year / 1000 * 1000;
    }
    if rank >= 11 {
        year = year / 100 * 100;
    }
    if rank >= 10 {
        year = year / 10 * 10;
    }
    if rank >= 9 {
        mon = 0;
    }
    if rank >= 8 {
        mon = 3 * (mon / 3);
    }
    if rank >= 7 {
        mday = 0;
    }
    if rank >= 6 {
        hour = 0;
    }
    if rank >= 5 {
        min = 0;
    }
    if rank >= 4 {
        sec = 0;
    }
    if rank >= 3 {
        usec = 0;
    }
    if rank >= 2 {
        usec = usec / 1000 * 1000;
    }
    // Each field is no larger than the original, so nothing overflows.
    Ok(Interval {
        months: year * 12 + mon,
        days: mday,
        micros: hour * USECS_PER_HOUR + min * USECS_PER_MINUTE + sec * USECS_PER_SEC + usec,
    })
}

/// A value converted to `timestamptz`-or-`timestamp` microseconds, with
/// PostgreSQL's overflow sign (`*_opt_overflow`): `Ok(Err(sign))` when the
/// value lies beyond the range of timestamps.
type Converted = std::result::Result<i64, i32>;

/// `date2timestamp_opt_overflow`.
fn date_to_timestamp(d: i64) -> Converted {
    match d {
        DATE_NOBEGIN => Ok(DT_NOBEGIN),
        DATE_NOEND => Ok(DT_NOEND),
        _ => match d.checked_mul(USECS_PER_DAY) {
            Some(ts) if ts < END_TIMESTAMP => Ok(ts),
            _ => Err(1),
        },
    }
}

/// `date2timestamptz_opt_overflow`; `None` when the zone is not known.
fn date_to_timestamptz(d: i64, zone: &zone::Zone) -> Option<Converted> {
    let ts = match date_to_timestamp(d) {
        Ok(ts) if is_finite(ts) => ts,
        other => return Some(other),
    };
    let (year, mon, mday) = j2date(d + POSTGRES_EPOCH_JDATE);
    let tm = Tm {
        year,
        mon,
        mday,
        ..Tm::default()
    };
    let east = zone.offset_for_local(&tm)?;
    Some(overflow_sign(ts - east * USECS_PER_SEC))
}

/// `timestamp2timestamptz_opt_overflow`; `None` when the zone is not
/// known.
fn timestamp_to_timestamptz(ts: i64, zone: &zone::Zone) -> Option<Converted> {
    if !is_finite(ts) {
        return Some(Ok(ts));
    }
    let east = zone.offset_for_local(&timestamp2tm(ts))?;
    Some(overflow_sign(ts - east * USECS_PER_SEC))
}

fn overflow_sign(r: i64) -> Converted {
    if valid_ts(r) {
        Ok(r)
    } else if r < MIN_TIMESTAMP {
        Err(-1)
    } else {
        Err(1)
    }
}

/// `*_cmp_*_internal`: a converted left side against a timestamp.
fn cmp_converted(left: Converted, right: i64) -> Ordering {
    match left {
        Err(s) if s > 0 => {
            if right == DT_NOEND {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        }
        Err(_) => {
            if right == DT_NOBEGIN {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        Ok(l) => l.cmp(&right),
    }
}

/// `date_eq_timestamp`, `timestamptz_lt_date`, `timestamp_ge_timestamptz`, ...
fn cross_compare(c: &Call<'_>, a0: Option<Value>, a1: Option<Value>) -> Result<Outcome> {
    // Named `<left>_<op>_<right>`.
    let mut parts = c.name.splitn(3, '_');
    let (Some(left), Some(op), Some(right)) = (parts.next(), parts.next(), parts.next()) else {
        return Ok(None);
    };
    let kind = |s: &str| match s {
        "date" => Some(DATE),
        "timestamp" => Some(TIMESTAMP),
        "timestamptz" => Some(TIMESTAMPTZ),
        _ => None,
    };
    let (Some(lt), Some(rt)) = (kind(left), kind(right)) else {
        return Ok(None);
    };
    if lt == rt || c.decl != [lt, rt] || !matches!(op, "eq" | "ne" | "lt" | "le" | "gt" | "ge") {
        return Ok(None);
    }
    let (Some(a), Some(b)) = (a0, a1) else {
        return Ok(None);
    };
    // Normalise to (lower-ranked type, higher-ranked type): the one
    // converted is always the lower-ranked side (date < timestamp <
    // timestamptz), as PostgreSQL's internal comparators are written.
    let rank = |t| match t {
        DATE => 0,
        TIMESTAMP => 1,
        _ => 2,
    };
    let (low, high, swapped) = if rank(lt) < rank(rt) {
        (a, b, false)
    } else {
        (b, a, true)
    };
    let zone = zone::session_zone(&c.settings.time_zone);
    let converted = match (low, high) {
        (Value::Date(d), Value::Timestamp(_)) => Some(date_to_timestamp(d)),
        (Value::Date(d), Value::TimestampTz(_)) => date_to_timestamptz(d, &zone),
        (Value::Timestamp(t), Value::TimestampTz(_)) => timestamp_to_timestamptz(t, &zone),
        _ => return Ok(None),
    };
    let right = match high {
        Value::Timestamp(t) | Value::TimestampTz(t) => t,
        _ => return Ok(None),
    };
    let Some(converted) = converted else {
        return not_evaluable_zone(c);
    };
    let mut ord = cmp_converted(converted, right);
    if swapped {
        ord = ord.reverse();
    }
    let r = match op {
        "eq" => ord.is_eq(),
        "ne" => ord.is_ne(),
        "lt" => ord.is_lt(),
        "le" => ord.is_le(),
        "gt" => ord.is_gt(),
        _ => ord.is_ge(),
    };
    Ok(Some(Evaluated::Value(Some(misc::bool_text(r).to_owned()))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_read_as_datebsearch_reads_them() {
        assert_eq!(decode_units("DAY").1, Some(Unit::Day));
        assert_eq!(decode_units("millisecondsxyz").1, Some(Unit::Millisecond));
        assert_eq!(decode_units("microseconds").1, Some(Unit::Microsecond));
        assert_eq!(decode_units("millisecon").1, Some(Unit::Millisecond));
        assert_eq!(decode_units(" day").1, None);
        assert_eq!(decode_units("epoch").1, None);
        assert_eq!(decode_units("dow").1, None);
        assert_eq!(decode_units("mi").1, None);
    }

    #[test]
    fn interval_trunc_keeps_signs_as_c_division_does() {
        let iv = Interval {
            months: -(1234 * 12 + 5),
            days: 3,
            micros: 4 * USECS_PER_HOUR + 5 * USECS_PER_MINUTE + 6_789_000,
        };
        let r = trunc_interval("millennium", iv).ok();
        assert_eq!(
            r,
            Some(Interval {
                months: -12_000,
                days: 0,
                micros: 0
            })
        );
        assert!(trunc_interval("week", iv).is_err());
    }
}
