//! Dates, times, timestamps and intervals, read and printed as PostgreSQL
//! 15 does, and the immutable date/time built-ins.
//!
//! Input follows `datetime.c` field by field: [`parse`] splits the text
//! into fields (`ParseDateTime`) and decodes them (`DecodeDateTime`,
//! `DecodeTimeOnly`), [`interval`] decodes intervals (`DecodeInterval`,
//! `DecodeISO8601Interval`), [`zone`] knows the time zones (the fixed
//! abbreviations of `tznames/Default`, numeric offsets and the rules of a
//! set of IANA zones), [`encode`] prints values in every `DateStyle` and
//! `IntervalStyle`, and [`funcs`] evaluates the built-ins.
//!
//! Values are kept as PostgreSQL keeps them: a date as days since
//! 2000-01-01, a timestamp as microseconds since 2000-01-01 00:00 (UTC for
//! `timestamptz`), a time as microseconds since midnight, a `timetz` with
//! its zone offset (seconds west of Greenwich, PostgreSQL's sign), an
//! interval as months, days and microseconds. The infinities are the
//! extreme integers, as in PostgreSQL.
//!
//! Not evaluated (answered with [`Evaluated::NotEvaluable`]): the clock
//! words (`now`, `today`, `tomorrow`, `yesterday`), Julian-day input (`J`
//! fields), time zones whose rules are not in [`zone`] (and the years
//! before the rules we carry), `timestamptz` printed in a non-ISO
//! `DateStyle` (it needs zone abbreviations), a `timetz` without a date in
//! a session zone with daylight saving time (PostgreSQL takes today's
//! date).

mod encode;
mod funcs;
mod interval;
mod parse;
mod trunc;
mod zone;

use fdw_core::{Oid, TypMod};

use super::misc::oids::{DATE, INTERVAL, TIME, TIMESTAMP, TIMESTAMPTZ, TIMETZ};
use super::{err, Evaluated, ValueSettings};
use crate::error::{Error, Result, SqlState};

pub(crate) use funcs::call;
pub(crate) use interval::Interval;

const USECS_PER_SEC: i64 = 1_000_000;
const USECS_PER_MINUTE: i64 = 60 * USECS_PER_SEC;
const USECS_PER_HOUR: i64 = 3_600 * USECS_PER_SEC;
const USECS_PER_DAY: i64 = 86_400 * USECS_PER_SEC;
/// `POSTGRES_EPOCH_JDATE`: the Julian day of 2000-01-01.
const POSTGRES_EPOCH_JDATE: i64 = 2_451_545;
/// `UNIX_EPOCH_JDATE`.
const UNIX_EPOCH_JDATE: i64 = 2_440_588;
/// `DATEVAL_NOBEGIN` / `DATEVAL_NOEND` (dates are `int32` in PostgreSQL).
const DATE_NOBEGIN: i64 = i32::MIN as i64;
const DATE_NOEND: i64 = i32::MAX as i64;
/// `DT_NOBEGIN` / `DT_NOEND`.
const DT_NOBEGIN: i64 = i64::MIN;
const DT_NOEND: i64 = i64::MAX;
/// `MIN_TIMESTAMP` and `END_TIMESTAMP` (4714-11-24 BC .. 294277-01-01).
const MIN_TIMESTAMP: i64 = -211_813_488_000_000_000;
const END_TIMESTAMP: i64 = 9_223_371_331_200_000_000;
/// Date range in days since 2000-01-01 (`IS_VALID_DATE`).
const DATE_MIN: i64 = -POSTGRES_EPOCH_JDATE;
const DATE_END: i64 = 2_147_483_494 - POSTGRES_EPOCH_JDATE;

/// A broken-down date and time (`struct pg_tm` plus `fsec`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Tm {
    year: i64,
    mon: i64,
    mday: i64,
    hour: i64,
    min: i64,
    sec: i64,
    /// Microseconds.
    fsec: i64,
}

/// `datetime.c`'s error codes, turned into PostgreSQL's messages by
/// [`DtErr::into_error`].
#[derive(Debug)]
enum DtErr {
    BadFormat,
    FieldOverflow,
    MdFieldOverflow,
    IntervalOverflow,
    TzDispOverflow,
    /// Not evaluable here; the reason.
    NotEvaluable(String),
    /// An error with its own message.
    Fatal(Error),
}

type DtResult<T> = std::result::Result<T, DtErr>;

impl DtErr {
    /// `DateTimeParseError`.
    fn into_error(self, text: &str, type_name: &str) -> Result<String> {
        Err(match self {
            DtErr::BadFormat => bad_syntax(type_name, text),
            DtErr::FieldOverflow | DtErr::MdFieldOverflow => err(
                SqlState::DATETIME_FIELD_OVERFLOW,
                format!("date/time field value out of range: \"{text}\""),
            ),
            DtErr::IntervalOverflow => err(
                SqlState("22015"),
                format!("interval field value out of range: \"{text}\""),
            ),
            DtErr::TzDispOverflow => err(
                SqlState("22009"),
                format!("time zone displacement out of range: \"{text}\""),
            ),
            DtErr::NotEvaluable(reason) => return Ok(reason),
            DtErr::Fatal(e) => e,
        })
    }
}

/// Lifts a decoding result into the crate's result, with PostgreSQL's
/// message for `type_name` and the input `text`.
fn lift<T>(r: DtResult<T>, text: &str, type_name: &str) -> Result<Evaluated<T>> {
    match r {
        Ok(v) => Ok(Evaluated::Value(v)),
        Err(e) => Ok(Evaluated::NotEvaluable(e.into_error(text, type_name)?)),
    }
}

fn bad_syntax(type_name: &str, text: &str) -> Error {
    err(
        SqlState::INVALID_DATETIME_FORMAT,
        format!("invalid input syntax for type {type_name}: \"{text}\""),
    )
}

fn out_of_range(what: &str) -> Error {
    err(
        SqlState::DATETIME_FIELD_OVERFLOW,
        format!("{what} out of range"),
    )
}

/// `date2j`: the Julian day of a proleptic Gregorian date.
fn date2j(y: i64, m: i64, d: i64) -> i64 {
    let (y, m) = if m > 2 {
        (y + 4800, m + 1)
    } else {
        (y + 4799, m + 13)
    };
    let century = y.div_euclid(100);
    y * 365 - 32167 + y.div_euclid(4) - century + century.div_euclid(4) + 7834 * m / 256 + d
}

/// `j2date`: a Julian day number to (year, month, day) in the proleptic
/// Gregorian calendar, year 0 standing for 1 BC. Shared with the
/// executor's binary decoders so both print the same dates.
pub fn j2date(jd: i64) -> (i64, i64, i64) {
    let mut julian = jd + 32044;
    let mut quad = julian.div_euclid(146_097);
    let extra = (julian - quad * 146_097) * 4 + 3;
    julian += 60 + quad * 3 + extra / 146_097;
    quad = julian.div_euclid(1461);
    julian -= quad * 1461;
    let mut y = julian * 4 / 1461;
    julian = if y != 0 {
        (julian + 305) % 365
    } else {
        (julian + 306) % 366
    } + 123;
    y += quad * 4;
    let year = y - 4800;
    let q = julian * 2141 / 65_536;
    let day = julian - 7834 * q / 256;
    let month = (q + 10) % 12 + 1;
    (year, month, day)
}

/// `j2day`: 0 = Sunday.
fn j2day(jd: i64) -> i64 {
    (jd + 1).rem_euclid(7)
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 31,
    }
}

/// `IS_VALID_JULIAN`.
fn valid_julian(y: i64, m: i64) -> bool {
    (y > -4713 || (y == -4713 && m >= 11)) && (y < 5_874_898 || (y == 5_874_898 && m < 6))
}

/// `tm2timestamp` without a zone: microseconds since 2000-01-01, or `None`
/// out of range.
fn tm2timestamp(tm: &Tm) -> Option<i64> {
    if !valid_julian(tm.year, tm.mon) {
        return None;
    }
    let days = date2j(tm.year, tm.mon, tm.mday) - POSTGRES_EPOCH_JDATE;
    let time = ((tm.hour * 60 + tm.min) * 60 + tm.sec) * USECS_PER_SEC + tm.fsec;
    let ts = days.checked_mul(USECS_PER_DAY)?.checked_add(time)?;
    (MIN_TIMESTAMP..END_TIMESTAMP).contains(&ts).then_some(ts)
}

/// `timestamp2tm` without a zone.
fn timestamp2tm(ts: i64) -> Tm {
    let days = ts.div_euclid(USECS_PER_DAY);
    let time = ts.rem_euclid(USECS_PER_DAY);
    let (year, mon, mday) = j2date(days + POSTGRES_EPOCH_JDATE);
    Tm {
        year,
        mon,
        mday,
        hour: time / USECS_PER_HOUR,
        min: time / USECS_PER_MINUTE % 60,
        sec: time / USECS_PER_SEC % 60,
        fsec: time % USECS_PER_SEC,
    }
}

fn is_finite(ts: i64) -> bool {
    ts != DT_NOBEGIN && ts != DT_NOEND
}

fn date_is_finite(d: i64) -> bool {
    d != DATE_NOBEGIN && d != DATE_NOEND
}

/// Scales and offsets for rounding to `n` fractional digits.
fn round_to_precision(us: i64, precision: i64) -> i64 {
    if !(0..6).contains(&precision) {
        return us;
    }
    let mut scale = 1i64;
    for _ in precision..6 {
        scale *= 10;
    }
    let offset = scale / 2;
    if us >= 0 {
        (us + offset) / scale * scale
    } else {
        -((-us + offset) / scale * scale)
    }
}

/// `AdjustTimestampForTypmod`.
fn adjust_timestamp(ts: i64, typmod: TypMod) -> Result<i64> {
    if !is_finite(ts) || !(0..6).contains(&typmod) {
        return Ok(ts);
    }
    let r = round_to_precision(ts, i64::from(typmod));
    if !(MIN_TIMESTAMP..END_TIMESTAMP).contains(&r) {
        return Err(out_of_range("timestamp"));
    }
    Ok(r)
}

/// The input function of a date/time type plus its typmod.
pub(crate) fn input(
    oid: Oid,
    typmod: TypMod,
    text: &str,
    settings: &ValueSettings,
) -> Result<Evaluated<String>> {
    let Some(v) = parse_value(oid, typmod, text, settings)? else {
        return super::not_evaluable(format!("type {} is not a date/time type", oid.0));
    };
    match v {
        Evaluated::Value(v) => encode::styled(&v, &canonical_settings(settings)),
        Evaluated::NotEvaluable(r) => Ok(Evaluated::NotEvaluable(r)),
    }
}

/// A decoded date/time value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Value {
    Date(i64),
    Time(i64),
    /// Time and zone (seconds west of Greenwich).
    TimeTz(i64, i64),
    Timestamp(i64),
    TimestampTz(i64),
    Interval(Interval),
}

/// Reads a value of type `oid` from `text` under `settings`.
fn parse_value(
    oid: Oid,
    typmod: TypMod,
    text: &str,
    settings: &ValueSettings,
) -> Result<Option<Evaluated<Value>>> {
    let order = settings.date_order;
    let zone = zone::session_zone(&settings.time_zone);
    Ok(Some(match oid {
        DATE => lift(parse::date_in(text, order, &zone), text, "date")?.map(Value::Date),
        TIMESTAMP => {
            match lift(
                parse::timestamp_in(text, order, &zone, false),
                text,
                "timestamp",
            )? {
                Evaluated::Value(ts) => {
                    Evaluated::Value(Value::Timestamp(adjust_timestamp(ts, typmod)?))
                }
                Evaluated::NotEvaluable(r) => Evaluated::NotEvaluable(r),
            }
        }
        TIMESTAMPTZ => match lift(
            parse::timestamp_in(text, order, &zone, true),
            text,
            "timestamp with time zone",
        )? {
            Evaluated::Value(ts) => {
                Evaluated::Value(Value::TimestampTz(adjust_timestamp(ts, typmod)?))
            }
            Evaluated::NotEvaluable(r) => Evaluated::NotEvaluable(r),
        },
        TIME => lift(parse::time_in(text, order, &zone, false), text, "time")?
            .map(|(t, _)| Value::Time(adjust_time(t, typmod))),
        TIMETZ => lift(
            parse::time_in(text, order, &zone, true),
            text,
            "time with time zone",
        )?
        .map(|(t, z)| Value::TimeTz(adjust_time(t, typmod), z)),
        INTERVAL => match lift(
            interval::interval_in(text, typmod, settings.interval_style),
            text,
            "interval",
        )? {
            Evaluated::Value(iv) => {
                Evaluated::Value(Value::Interval(interval::adjust(iv, typmod)?))
            }
            Evaluated::NotEvaluable(r) => Evaluated::NotEvaluable(r),
        },
        _ => return Ok(None),
    }))
}

/// `AdjustTimeForTypmod`.
fn adjust_time(t: i64, typmod: TypMod) -> i64 {
    if (0..6).contains(&typmod) {
        round_to_precision(t, i64::from(typmod))
    } else {
        t
    }
}

/// Re-renders a canonical date/time value under other `settings`.
pub(crate) fn output(
    oid: Oid,
    canonical: &str,
    settings: &ValueSettings,
) -> Result<Evaluated<String>> {
    match parse_value(oid, -1, canonical, &canonical_settings(settings))? {
        Some(Evaluated::Value(v)) => encode::styled(&v, settings),
        Some(Evaluated::NotEvaluable(r)) => Ok(Evaluated::NotEvaluable(r)),
        None => super::not_evaluable(format!("type {} is not a date/time type", oid.0)),
    }
}

/// The settings canonical forms are read and printed with: ISO, `YMD`,
/// `postgres` intervals, the session's zone.
fn canonical_settings(settings: &ValueSettings) -> ValueSettings {
    ValueSettings {
        date_output: super::DateOutput::Iso,
        date_order: super::DateOrder::Ymd,
        interval_style: super::IntervalStyle::Postgres,
        ..settings.clone()
    }
}
