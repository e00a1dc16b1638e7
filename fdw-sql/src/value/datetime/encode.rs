//! Output: `EncodeDateOnly`, `EncodeTimeOnly`, `EncodeDateTime` in the
//! `DateStyle`s and the interval styles.

use super::interval;
use super::{
    date_is_finite, is_finite, j2date, j2day, timestamp2tm, zone, Tm, Value, DATE_NOEND, DT_NOEND,
    POSTGRES_EPOCH_JDATE, USECS_PER_SEC,
};
use crate::error::Result;
use crate::value::{DateOrder, DateOutput, Evaluated, ValueSettings};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// A value printed under `settings` (`timestamptz` in the session zone).
pub(super) fn styled(v: &Value, settings: &ValueSettings) -> Result<Evaluated<String>> {
    if let Value::TimestampTz(_) = v {
        if settings.date_output != DateOutput::Iso {
            return crate::value::not_evaluable(
                "timestamp with time zone in a non-ISO DateStyle needs zone abbreviations",
            );
        }
    }
    Ok(match styled_inner(v, settings, None) {
        Some(s) => Evaluated::Value(s),
        None => Evaluated::NotEvaluable(format!(
            "no rules for the time zone \"{}\" at that instant",
            settings.time_zone
        )),
    })
}

/// `fixed_east` overrides the session zone for `timestamptz`.
fn styled_inner(v: &Value, settings: &ValueSettings, fixed_east: Option<i64>) -> Option<String> {
    Some(match *v {
        Value::Date(d) => date_out(d, settings),
        Value::Time(t) => time_text(t),
        Value::TimeTz(t, west) => format!("{}{}", time_text(t), tz_text(west)),
        Value::Timestamp(ts) => timestamp_out(ts, None, settings),
        Value::TimestampTz(ts) => {
            if !is_finite(ts) {
                return Some(timestamp_out(ts, None, settings));
            }
            let east = match fixed_east {
                Some(e) => e,
                None => zone::session_zone(&settings.time_zone).offset_at_utc(ts)?,
            };
            timestamp_out(ts.checked_add(east * USECS_PER_SEC)?, Some(-east), settings)
        }
        Value::Interval(iv) => interval::format(iv, settings.interval_style),
    })
}

/// `time_out`: `HH:MM:SS[.ffffff]`.
pub(super) fn time_text(t: i64) -> String {
    let h = t / 3_600_000_000;
    let m = t / 60_000_000 % 60;
    let s = t / USECS_PER_SEC % 60;
    format!("{h:02}:{m:02}:{}", secs(s, t % USECS_PER_SEC))
}

fn secs(s: i64, fsec: i64) -> String {
    let mut out = format!("{s:02}");
    if fsec != 0 {
        out.push('.');
        out.push_str(format!("{fsec:06}").trim_end_matches('0'));
    }
    out
}

/// `EncodeTimezone`: `+05:30`, `-08`, `+00` (from seconds west).
pub(super) fn tz_text(west: i64) -> String {
    let a = west.abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    let sign = if west <= 0 { '+' } else { '-' };
    if s != 0 {
        format!("{sign}{h:02}:{m:02}:{s:02}")
    } else if m != 0 {
        format!("{sign}{h:02}:{m:02}")
    } else {
        format!("{sign}{h:02}")
    }
}

/// Year as printed (`BC` years count from 1).
fn year_bc(y: i64) -> (i64, bool) {
    if y > 0 {
        (y, false)
    } else {
        (1 - y, true)
    }
}

/// `date_out`.
pub(super) fn date_out(d: i64, settings: &ValueSettings) -> String {
    if !date_is_finite(d) {
        return if d == DATE_NOEND {
            "infinity"
        } else {
            "-infinity"
        }
        .to_owned();
    }
    let (y, m, day) = j2date(d + POSTGRES_EPOCH_JDATE);
    let (yy, bc) = year_bc(y);
    let bc = if bc { " BC" } else { "" };
    match settings.date_output {
        DateOutput::Iso => format!("{yy:04}-{m:02}-{day:02}{bc}"),
        DateOutput::Sql => match settings.date_order {
            DateOrder::Dmy => format!("{day:02}/{m:02}/{yy:04}{bc}"),
            _ => format!("{m:02}/{day:02}/{yy:04}{bc}"),
        },
        DateOutput::German => format!("{day:02}.{m:02}.{yy:04}{bc}"),
        DateOutput::Postgres => match settings.date_order {
            DateOrder::Dmy => format!("{day:02}-{m:02}-{yy:04}{bc}"),
            _ => format!("{m:02}-{day:02}-{yy:04}{bc}"),
        },
    }
}

/// `timestamp_out` (`west` is the zone for `timestamptz`, its local time
/// already applied to `ts`).
fn timestamp_out(ts: i64, west: Option<i64>, settings: &ValueSettings) -> String {
    if !is_finite(ts) {
        return if ts == DT_NOEND {
            "infinity"
        } else {
            "-infinity"
        }
        .to_owned();
    }
    let tm: Tm = timestamp2tm(ts);
    let (yy, bc) = year_bc(tm.year);
    let bc = if bc { " BC" } else { "" };
    let (m, d) = (tm.mon, tm.mday);
    let hms = format!("{:02}:{:02}:{}", tm.hour, tm.min, secs(tm.sec, tm.fsec));
    let tz = west.map(tz_text).unwrap_or_default();
    match settings.date_output {
        DateOutput::Iso => format!("{yy:04}-{m:02}-{d:02} {hms}{tz}{bc}"),
        DateOutput::Sql => match settings.date_order {
            DateOrder::Dmy => format!("{d:02}/{m:02}/{yy:04} {hms}{bc}"),
            _ => format!("{m:02}/{d:02}/{yy:04} {hms}{bc}"),
        },
        DateOutput::German => format!("{d:02}.{m:02}.{yy:04} {hms}{bc}"),
        DateOutput::Postgres => {
            let days = ts.div_euclid(86_400 * USECS_PER_SEC) + POSTGRES_EPOCH_JDATE;
            let dow = DAYS[j2day(days) as usize % 7];
            let mon = MONTHS[(m as usize).saturating_sub(1) % 12];
            match settings.date_order {
                DateOrder::Dmy => format!("{dow} {d:02} {mon} {hms} {yy:04}{bc}"),
                _ => format!("{dow} {mon} {d:02} {hms} {yy:04}{bc}"),
            }
        }
    }
}
