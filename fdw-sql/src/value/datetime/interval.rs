//! Intervals: `DecodeInterval`, `DecodeISO8601Interval`,
//! `AdjustIntervalForTypmod` and the four `IntervalStyle` outputs.

use super::parse::{decode_interval_time, fields, parse_fraction, Ft};
use super::{DtErr, DtResult, USECS_PER_DAY, USECS_PER_HOUR, USECS_PER_MINUTE, USECS_PER_SEC};
use crate::error::{Result, SqlState};
use crate::value::{err, IntervalStyle};

/// An interval: months, days and microseconds, kept apart as in PostgreSQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Interval {
    pub(crate) months: i64,
    pub(crate) days: i64,
    pub(crate) micros: i64,
}

/// `pg_itm_in`: the fields while decoding.
#[derive(Default)]
struct Itm {
    usec: i64,
    mday: i32,
    mon: i32,
    year: i32,
}

fn ovf<T>(o: Option<T>) -> DtResult<T> {
    o.ok_or(DtErr::FieldOverflow)
}

impl Itm {
    fn fract_micros(&mut self, frac: f64, scale: i64) -> DtResult<()> {
        if frac == 0.0 {
            return Ok(());
        }
        let f = frac * scale as f64;
        let mut us = f as i64;
        let rest = f - us as f64;
        if rest > 0.5 {
            us += 1;
        } else if rest < -0.5 {
            us -= 1;
        }
        self.usec = ovf(self.usec.checked_add(us))?;
        Ok(())
    }

    fn fract_days(&mut self, frac: f64, scale: i64) -> DtResult<()> {
        if frac == 0.0 {
            return Ok(());
        }
        let f = frac * scale as f64;
        let extra = f as i32;
        self.mday = ovf(self.mday.checked_add(extra))?;
        self.fract_micros(f - f64::from(extra), USECS_PER_DAY)
    }

    fn fract_years(&mut self, frac: f64, scale: i64) -> DtResult<()> {
        let extra = (frac * scale as f64 * 12.0).round_ties_even() as i32;
        self.mon = ovf(self.mon.checked_add(extra))?;
        Ok(())
    }

    fn micros(&mut self, val: i64, fval: f64, scale: i64) -> DtResult<()> {
        let us = ovf(val.checked_mul(scale))?;
        self.usec = ovf(self.usec.checked_add(us))?;
        self.fract_micros(fval, scale)
    }

    fn days(&mut self, val: i64, scale: i32) -> DtResult<()> {
        let v = ovf(i32::try_from(val).ok())?;
        let d = ovf(v.checked_mul(scale))?;
        self.mday = ovf(self.mday.checked_add(d))?;
        Ok(())
    }

    fn months(&mut self, val: i64) -> DtResult<()> {
        let v = ovf(i32::try_from(val).ok())?;
        self.mon = ovf(self.mon.checked_add(v))?;
        Ok(())
    }

    fn years(&mut self, val: i64, scale: i32) -> DtResult<()> {
        let v = ovf(i32::try_from(val).ok())?;
        let y = ovf(v.checked_mul(scale))?;
        self.year = ovf(self.year.checked_add(y))?;
        Ok(())
    }
}

// INTERVAL_MASK bits.
const I_MONTH: i32 = 1 << 1;
const I_YEAR: i32 = 1 << 2;
const I_DAY: i32 = 1 << 3;
const I_HOUR: i32 = 1 << 10;
const I_MINUTE: i32 = 1 << 11;
const I_SECOND: i32 = 1 << 12;
const FULL_RANGE: i32 = 0x7FFF;

/// Units of `deltatktbl`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Micro,
    Milli,
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
    Decade,
    Century,
    Millennium,
    /// Units PostgreSQL knows but does not accept in intervals.
    Other,
}

/// `DecodeUnits` (at most 10 characters are compared, as `TOKMAXLEN`).
fn unit(token: &str) -> Option<Unit> {
    let t = token.get(..token.len().min(10)).unwrap_or(token);
    Some(match t {
        "us" | "usec" | "usecond" | "useconds" | "usecs" | "microsecon" => Unit::Micro,
        "ms" | "msec" | "msecond" | "mseconds" | "msecs" | "millisecon" => Unit::Milli,
        "s" | "sec" | "second" | "seconds" | "secs" => Unit::Second,
        "m" | "min" | "mins" | "minute" | "minutes" => Unit::Minute,
        "h" | "hour" | "hours" | "hr" | "hrs" => Unit::Hour,
        "d" | "day" | "days" => Unit::Day,
        "w" | "week" | "weeks" => Unit::Week,
        "mon" | "mons" | "month" | "months" => Unit::Month,
        "y" | "year" | "years" | "yr" | "yrs" => Unit::Year,
        "dec" | "decade" | "decades" | "decs" => Unit::Decade,
        "c" | "cent" | "century" | "centuries" => Unit::Century,
        "mil" | "millennia" | "millennium" | "mils" => Unit::Millennium,
        "qtr" | "quarter" | "timezone" | "timezone_h" | "timezone_m" => Unit::Other,
        _ => return None,
    })
}

/// `interval_in` before the typmod adjustment.
pub(super) fn interval_in(text: &str, typmod: i32, style: IntervalStyle) -> DtResult<Interval> {
    let range = if typmod >= 0 {
        (typmod >> 16) & 0x7FFF
    } else {
        FULL_RANGE
    };
    let r = fields(text).and_then(|f| decode_interval(&f, range, style));
    let r = match r {
        Err(DtErr::BadFormat) => decode_iso8601(text),
        other => other,
    };
    let itm = match r {
        Ok(itm) => itm,
        Err(DtErr::FieldOverflow) => return Err(DtErr::IntervalOverflow),
        Err(e) => return Err(e),
    };
    let months = i64::from(itm.year)
        .checked_mul(12)
        .and_then(|m| m.checked_add(i64::from(itm.mon)))
        .filter(|m| i32::try_from(*m).is_ok());
    let Some(months) = months else {
        return Err(DtErr::Fatal(err(
            SqlState::DATETIME_FIELD_OVERFLOW,
            "interval out of range",
        )));
    };
    Ok(Interval {
        months,
        days: i64::from(itm.mday),
        micros: itm.usec,
    })
}

/// `strtoi64`: a signed int64 prefix (0 and the whole string when there
/// are no digits).
pub(super) fn strtoi64(s: &str) -> DtResult<(i64, &str)> {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if i == start {
        return Ok((0, s));
    }
    let v: i64 = s[..i].parse().map_err(|_| DtErr::FieldOverflow)?;
    Ok((v, &s[i..]))
}

fn decode_interval(fields: &[(String, Ft)], range: i32, style: IntervalStyle) -> DtResult<Itm> {
    let mut itm = Itm::default();
    let mut force_negative = false;
    if style == IntervalStyle::SqlStandard && fields.first().is_some_and(|f| f.0.starts_with('-')) {
        force_negative = !fields[1..]
            .iter()
            .any(|f| f.0.starts_with('-') || f.0.starts_with('+'));
    }
    let mut is_before = false;
    let mut parsing_unit = false;
    let mut ty: Option<Unit> = None;
    let mut fmask = 0u32;
    let mut ago_pending = false;
    let mstm = range == (I_MINUTE | I_SECOND);
    for (f, ft) in fields.iter().rev() {
        let f = f.as_str();
        let tmask: u32;
        let mut ft = *ft;
        if ft == Ft::Tz && f[1..].contains(':') {
            // A signed time whose magnitude does not decode (or overflows)
            // is read as a number instead, as PostgreSQL falls through.
            let magnitude = decode_interval_time(&f[1..], mstm)
                .ok()
                .and_then(|(h, m, s, fs)| time_micros(h, m, s, fs).ok());
            if let Some(mut us) = magnitude {
                if f.starts_with('-') {
                    us = -us;
                }
                if force_negative && us > 0 {
                    us = -us;
                }
                itm.usec = ovf(itm.usec.checked_add(us))?;
                ty = Some(Unit::Day);
                ago_pending = false;
                parsing_unit = false;
                if fmask & super::parse::TIME_M != 0 {
                    return Err(DtErr::BadFormat);
                }
                fmask |= super::parse::TIME_M;
                continue;
            }
            ft = Ft::Number;
        }
        match ft {
            Ft::Time => {
                let (h, m, s, fs) = decode_interval_time(f, mstm)?;
                let mut us = time_micros(h, m, s, fs)?;
                if force_negative && us > 0 {
                    us = -us;
                }
                itm.usec = ovf(itm.usec.checked_add(us))?;
                tmask = super::parse::TIME_M;
                ty = Some(Unit::Day);
                ago_pending = false;
                parsing_unit = false;
            }
            Ft::Tz | Ft::Date | Ft::Number => {
                if ago_pending {
                    return Err(DtErr::BadFormat);
                }
                let t = match ty {
                    Some(t) => t,
                    None => match range {
                        I_YEAR => Unit::Year,
                        r if r == I_MONTH || r == I_YEAR | I_MONTH => Unit::Month,
                        I_DAY => Unit::Day,
                        r if r == I_HOUR || r == I_DAY | I_HOUR => Unit::Hour,
                        r if r == I_MINUTE
                            || r == I_HOUR | I_MINUTE
                            || r == I_DAY | I_HOUR | I_MINUTE =>
                        {
                            Unit::Minute
                        }
                        _ => Unit::Second,
                    },
                };
                let (mut val, rest) = strtoi64(f)?;
                let mut fval;
                let mut t = t;
                if let Some(r2) = rest.strip_prefix('-') {
                    let (v2, r3) = strtoi64(r2)?;
                    if r2.starts_with(['+', '-']) || !(0..12).contains(&v2) {
                        return Err(DtErr::FieldOverflow);
                    }
                    if !r3.is_empty() {
                        return Err(DtErr::BadFormat);
                    }
                    t = Unit::Month;
                    let v2 = if f.starts_with('-') { -v2 } else { v2 };
                    val = ovf(val.checked_mul(12).and_then(|v| v.checked_add(v2)))?;
                    fval = 0.0;
                } else if rest.starts_with('.') {
                    fval = parse_fraction(rest)?;
                    if f.starts_with('-') {
                        fval = -fval;
                    }
                } else if rest.is_empty() {
                    fval = 0.0;
                } else {
                    return Err(DtErr::BadFormat);
                }
                if force_negative {
                    if val > 0 {
                        val = -val;
                    }
                    if fval > 0.0 {
                        fval = -fval;
                    }
                }
                tmask = match t {
                    Unit::Micro => {
                        itm.micros(val, fval, 1)?;
                        1 << 14
                    }
                    Unit::Milli => {
                        itm.micros(val, fval, 1000)?;
                        1 << 13
                    }
                    Unit::Second => {
                        itm.micros(val, fval, USECS_PER_SEC)?;
                        if fval == 0.0 {
                            1 << 12
                        } else {
                            (1 << 12) | (1 << 13) | (1 << 14)
                        }
                    }
                    Unit::Minute => {
                        itm.micros(val, fval, USECS_PER_MINUTE)?;
                        1 << 11
                    }
                    Unit::Hour => {
                        itm.micros(val, fval, USECS_PER_HOUR)?;
                        ty = Some(Unit::Day);
                        1 << 10
                    }
                    Unit::Day => {
                        itm.days(val, 1)?;
                        itm.fract_micros(fval, USECS_PER_DAY)?;
                        1 << 3
                    }
                    Unit::Week => {
                        itm.days(val, 7)?;
                        itm.fract_days(fval, 7)?;
                        1 << 24
                    }
                    Unit::Month => {
                        itm.months(val)?;
                        itm.fract_days(fval, 30)?;
                        1 << 1
                    }
                    Unit::Year => {
                        itm.years(val, 1)?;
                        itm.fract_years(fval, 1)?;
                        1 << 2
                    }
                    Unit::Decade => {
                        itm.years(val, 10)?;
                        itm.fract_years(fval, 10)?;
                        1 << 25
                    }
                    Unit::Century => {
                        itm.years(val, 100)?;
                        itm.fract_years(fval, 100)?;
                        1 << 26
                    }
                    Unit::Millennium => {
                        itm.years(val, 1000)?;
                        itm.fract_years(fval, 1000)?;
                        1 << 27
                    }
                    Unit::Other => return Err(DtErr::BadFormat),
                };
                parsing_unit = false;
            }
            Ft::Str | Ft::Special => {
                if parsing_unit {
                    return Err(DtErr::BadFormat);
                }
                if f == "@" {
                    continue;
                }
                if f == "ago" {
                    is_before = true;
                    ago_pending = true;
                    ty = None;
                    tmask = 0;
                } else if let Some(u) = unit(f) {
                    ty = Some(u);
                    ago_pending = false;
                    parsing_unit = true;
                    tmask = 0;
                } else if matches!(f, "invalid" | "undefined") {
                    return Err(DtErr::Fatal(err(
                        SqlState::INTERNAL_ERROR,
                        format!("unexpected dtype 14 while parsing interval \"{f}\""),
                    )));
                } else {
                    return Err(DtErr::BadFormat);
                }
            }
        }
        if tmask & fmask != 0 {
            return Err(DtErr::BadFormat);
        }
        fmask |= tmask;
    }
    if fmask == 0 || parsing_unit {
        return Err(DtErr::BadFormat);
    }
    if is_before {
        itm.usec = ovf(itm.usec.checked_neg())?;
        itm.mday = ovf(itm.mday.checked_neg())?;
        itm.mon = ovf(itm.mon.checked_neg())?;
        itm.year = ovf(itm.year.checked_neg())?;
    }
    Ok(itm)
}

fn time_micros(h: i64, m: i64, s: i64, fs: i64) -> DtResult<i64> {
    ovf(h
        .checked_mul(USECS_PER_HOUR)
        .and_then(|v| v.checked_add(m * USECS_PER_MINUTE + s * USECS_PER_SEC + fs)))
}

/// `ParseISO8601Number`.
fn iso_number(s: &str) -> DtResult<(i64, f64, &str)> {
    let b = s.as_bytes();
    if !matches!(b.first(), Some(b'0'..=b'9' | b'-' | b'.')) {
        return Err(DtErr::BadFormat);
    }
    // strtod's longest prefix: sign, digits, fraction, exponent.
    let mut i = usize::from(b[0] == b'-');
    let digits_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    if i == digits_start || &s[digits_start..i] == "." {
        return Err(DtErr::BadFormat);
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if b.get(j).is_some_and(u8::is_ascii_digit) {
            while b.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
            i = j;
        }
    }
    let val: f64 = s[..i].parse().map_err(|_| DtErr::BadFormat)?;
    if val.is_nan() || !(-1.0e15..=1.0e15).contains(&val) {
        return Err(DtErr::FieldOverflow);
    }
    let ipart = if val >= 0.0 {
        val.floor() as i64
    } else {
        -((-val).floor() as i64)
    };
    Ok((ipart, val - ipart as f64, &s[i..]))
}

fn int_width(s: &str) -> usize {
    let s = s.strip_prefix('-').unwrap_or(s);
    s.bytes().take_while(u8::is_ascii_digit).count()
}

/// `DecodeISO8601Interval`.
fn decode_iso8601(text: &str) -> DtResult<Itm> {
    let mut itm = Itm::default();
    let Some(mut s) = text.strip_prefix('P') else {
        return Err(DtErr::BadFormat);
    };
    if s.is_empty() {
        return Err(DtErr::BadFormat);
    }
    let mut datepart = true;
    let mut havefield = false;
    while !s.is_empty() {
        if let Some(r) = s.strip_prefix('T') {
            datepart = false;
            havefield = false;
            s = r;
            continue;
        }
        let start = s;
        let (val, fval, r) = iso_number(s)?;
        let unit = r.as_bytes().first().copied().unwrap_or(0);
        s = r.get(1..).unwrap_or("");
        if datepart {
            match unit {
                b'Y' => {
                    itm.years(val, 1)?;
                    itm.fract_years(fval, 1)?;
                }
                b'M' => {
                    itm.months(val)?;
                    itm.fract_days(fval, 30)?;
                }
                b'W' => {
                    itm.days(val, 7)?;
                    itm.fract_days(fval, 7)?;
                }
                b'D' => {
                    itm.days(val, 1)?;
                    itm.fract_micros(fval, USECS_PER_DAY)?;
                }
                b'T' | 0 | b'-' => {
                    if unit != b'-' && int_width(start) == 8 && !havefield {
                        itm.years(val / 10000, 1)?;
                        itm.months((val / 100) % 100)?;
                        itm.days(val % 100, 1)?;
                        itm.fract_micros(fval, USECS_PER_DAY)?;
                        if unit == 0 {
                            return Ok(itm);
                        }
                        datepart = false;
                        havefield = false;
                        continue;
                    }
                    if havefield {
                        return Err(DtErr::BadFormat);
                    }
                    itm.years(val, 1)?;
                    itm.fract_years(fval, 1)?;
                    if unit == 0 {
                        return Ok(itm);
                    }
                    if unit == b'T' {
                        datepart = false;
                        havefield = false;
                        continue;
                    }
                    let (v, fv, r) = iso_number(s)?;
                    itm.months(v)?;
                    itm.fract_days(fv, 30)?;
                    s = r;
                    if s.is_empty() {
                        return Ok(itm);
                    }
                    if let Some(r) = s.strip_prefix('T') {
                        s = r;
                        datepart = false;
                        havefield = false;
                        continue;
                    }
                    s = s.strip_prefix('-').ok_or(DtErr::BadFormat)?;
                    let (v, fv, r) = iso_number(s)?;
                    itm.days(v, 1)?;
                    itm.fract_micros(fv, USECS_PER_DAY)?;
                    s = r;
                    if s.is_empty() {
                        return Ok(itm);
                    }
                    if let Some(r) = s.strip_prefix('T') {
                        s = r;
                        datepart = false;
                        havefield = false;
                        continue;
                    }
                    return Err(DtErr::BadFormat);
                }
                _ => return Err(DtErr::BadFormat),
            }
        } else {
            match unit {
                b'H' => itm.micros(val, fval, USECS_PER_HOUR)?,
                b'M' => itm.micros(val, fval, USECS_PER_MINUTE)?,
                b'S' => itm.micros(val, fval, USECS_PER_SEC)?,
                0 | b':' => {
                    if unit == 0 && int_width(start) == 6 && !havefield {
                        itm.micros(val / 10000, 0.0, USECS_PER_HOUR)?;
                        itm.micros((val / 100) % 100, 0.0, USECS_PER_MINUTE)?;
                        itm.micros(val % 100, 0.0, USECS_PER_SEC)?;
                        itm.fract_micros(fval, 1)?;
                        return Ok(itm);
                    }
                    if havefield {
                        return Err(DtErr::BadFormat);
                    }
                    itm.micros(val, fval, USECS_PER_HOUR)?;
                    if unit == 0 {
                        return Ok(itm);
                    }
                    let (v, fv, r) = iso_number(s)?;
                    itm.micros(v, fv, USECS_PER_MINUTE)?;
                    s = r;
                    if s.is_empty() {
                        return Ok(itm);
                    }
                    s = s.strip_prefix(':').ok_or(DtErr::BadFormat)?;
                    let (v, fv, r) = iso_number(s)?;
                    itm.micros(v, fv, USECS_PER_SEC)?;
                    if r.is_empty() {
                        return Ok(itm);
                    }
                    return Err(DtErr::BadFormat);
                }
                _ => return Err(DtErr::BadFormat),
            }
        }
        havefield = true;
    }
    Ok(itm)
}

/// `AdjustIntervalForTypmod`.
pub(super) fn adjust(iv: Interval, typmod: i32) -> Result<Interval> {
    if typmod < 0 {
        return Ok(iv);
    }
    let range = (typmod >> 16) & 0x7FFF;
    let precision = typmod & 0xFFFF;
    let mut iv = iv;
    let trunc = |t: i64, unit: i64| t / unit * unit;
    match range {
        FULL_RANGE => {}
        I_YEAR => {
            iv.months = iv.months / 12 * 12;
            iv.days = 0;
            iv.micros = 0;
        }
        r if r == I_MONTH || r == I_YEAR | I_MONTH => {
            iv.days = 0;
            iv.micros = 0;
        }
        I_DAY => iv.micros = 0,
        r if r == I_HOUR || r == I_DAY | I_HOUR => iv.micros = trunc(iv.micros, USECS_PER_HOUR),
        r if r == I_MINUTE || r == I_DAY | I_HOUR | I_MINUTE || r == I_HOUR | I_MINUTE => {
            iv.micros = trunc(iv.micros, USECS_PER_MINUTE)
        }
        r if r == I_SECOND
            || r == I_DAY | I_HOUR | I_MINUTE | I_SECOND
            || r == I_HOUR | I_MINUTE | I_SECOND
            || r == I_MINUTE | I_SECOND => {}
        _ => {
            return Err(err(
                SqlState::INTERNAL_ERROR,
                format!("unrecognized interval typmod: {typmod}"),
            ))
        }
    }
    if precision != 0xFFFF {
        iv.micros = super::round_to_precision(iv.micros, i64::from(precision));
    }
    Ok(iv)
}

fn plural(n: i64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Seconds and trimmed fraction, without sign (`AppendSeconds`).
fn seconds(sec: i64, fsec: i64, fill: bool) -> String {
    let mut s = if fill {
        format!("{:02}", sec.abs())
    } else {
        sec.abs().to_string()
    };
    if fsec != 0 {
        let f = format!("{:06}", fsec.abs());
        s.push('.');
        s.push_str(f.trim_end_matches('0'));
    }
    s
}

/// `interval_out` under `style` (`EncodeInterval`).
pub(crate) fn format(iv: Interval, style: IntervalStyle) -> String {
    let year = iv.months / 12;
    let mon = iv.months % 12;
    let mday = iv.days;
    let time = iv.micros;
    let hour = time / USECS_PER_HOUR;
    let min = (time / USECS_PER_MINUTE) % 60;
    let sec = (time / USECS_PER_SEC) % 60;
    let fsec = time % USECS_PER_SEC;
    let mut out = String::new();
    let mut is_zero = true;
    let mut is_before = false;
    match style {
        IntervalStyle::Postgres => {
            let mut part = |out: &mut String, v: i64, unit: &str| {
                if v == 0 {
                    return;
                }
                if !is_zero {
                    out.push(' ');
                }
                let sign = if is_before && v > 0 { "+" } else { "" };
                out.push_str(&format!("{sign}{v} {unit}{}", plural(v)));
                is_before = v < 0;
                is_zero = false;
            };
            part(&mut out, year, "year");
            part(&mut out, mon, "mon");
            part(&mut out, mday, "day");
            if is_zero || hour != 0 || min != 0 || sec != 0 || fsec != 0 {
                let minus = hour < 0 || min < 0 || sec < 0 || fsec < 0;
                if !is_zero {
                    out.push(' ');
                }
                let sign = if minus {
                    "-"
                } else if is_before {
                    "+"
                } else {
                    ""
                };
                out.push_str(&format!(
                    "{sign}{:02}:{:02}:{}",
                    hour.abs(),
                    min.abs(),
                    seconds(sec, fsec, true)
                ));
            }
        }
        IntervalStyle::PostgresVerbose => {
            out.push('@');
            let mut part = |out: &mut String, v: i64, unit: &str| {
                if v == 0 {
                    return;
                }
                let mut v = v;
                if is_zero {
                    is_before = v < 0;
                    v = v.abs();
                } else if is_before {
                    v = -v;
                }
                out.push_str(&format!(" {v} {unit}{}", plural(v)));
                is_zero = false;
            };
            part(&mut out, year, "year");
            part(&mut out, mon, "mon");
            part(&mut out, mday, "day");
            part(&mut out, hour, "hour");
            part(&mut out, min, "min");
            if sec != 0 || fsec != 0 {
                out.push(' ');
                if sec < 0 || (sec == 0 && fsec < 0) {
                    if is_zero {
                        is_before = true;
                    } else if !is_before {
                        out.push('-');
                    }
                } else if is_before {
                    out.push('-');
                }
                out.push_str(&seconds(sec, fsec, false));
                out.push_str(if sec.abs() != 1 || fsec != 0 {
                    " secs"
                } else {
                    " sec"
                });
                is_zero = false;
            }
            if is_zero {
                out.push_str(" 0");
            }
            if is_before {
                out.push_str(" ago");
            }
        }
        IntervalStyle::SqlStandard => {
            let has_neg = iv.months < 0 || mday < 0 || time < 0;
            let has_pos = iv.months > 0 || mday > 0 || time > 0;
            let has_ym = iv.months != 0;
            let has_day_time = mday != 0 || time != 0;
            let has_day = mday != 0;
            let sql_mixed = (has_neg && has_pos) || (has_ym && has_day_time);
            let hms = format!(
                "{}:{:02}:{}",
                hour.abs(),
                min.abs(),
                seconds(sec, fsec, true)
            );
            if has_neg && !sql_mixed {
                let s = format!(
                    "-{}",
                    if has_ym {
                        format!("{}-{}", year.abs(), mon.abs())
                    } else if has_day {
                        format!("{} {hms}", mday.abs())
                    } else {
                        hms
                    }
                );
                out.push_str(&s);
            } else if !has_ym && !has_day_time {
                out.push('0');
            } else if !sql_mixed {
                if has_ym {
                    out.push_str(&format!("{year}-{mon}"));
                } else if has_day {
                    out.push_str(&format!("{mday} {hms}"));
                } else {
                    out.push_str(&hms);
                }
            } else {
                let ym_neg = iv.months < 0;
                let time_neg = time < 0;
                let ysign = if ym_neg { '-' } else { '+' };
                let dsign = if mday < 0 {
                    "-"
                } else if mday > 0 {
                    "+"
                } else {
                    ""
                };
                let tsign = if time_neg { '-' } else { '+' };
                out.push_str(&format!(
                    "{ysign}{}-{} {dsign}{} {tsign}{hms}",
                    year.abs(),
                    mon.abs(),
                    mday.abs()
                ));
            }
        }
        IntervalStyle::Iso8601 => {
            if year == 0 && mon == 0 && mday == 0 && time == 0 {
                return "PT0S".to_owned();
            }
            out.push('P');
            for (v, u) in [(year, 'Y'), (mon, 'M'), (mday, 'D')] {
                if v != 0 {
                    out.push_str(&format!("{v}{u}"));
                }
            }
            if time != 0 {
                out.push('T');
                for (v, u) in [(hour, 'H'), (min, 'M')] {
                    if v != 0 {
                        out.push_str(&format!("{v}{u}"));
                    }
                }
                if sec != 0 || fsec != 0 {
                    let neg = sec < 0 || fsec < 0;
                    out.push_str(&format!(
                        "{}{}S",
                        if neg { "-" } else { "" },
                        seconds(sec, fsec, false)
                    ));
                }
            }
        }
    }
    out
}
