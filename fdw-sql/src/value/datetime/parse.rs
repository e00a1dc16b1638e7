//! `ParseDateTime`, `DecodeDateTime` and `DecodeTimeOnly` of
//! `datetime.c`, and the input functions built on them.

use super::zone::{self, Abbrev, Zone};
use super::{
    date2j, tm2timestamp, valid_julian, DtErr, DtResult, Tm, DATE_END, DATE_MIN, DATE_NOBEGIN,
    DATE_NOEND, DT_NOBEGIN, DT_NOEND, POSTGRES_EPOCH_JDATE, UNIX_EPOCH_JDATE, USECS_PER_DAY,
    USECS_PER_SEC,
};
use crate::value::DateOrder;

/// Field types of `ParseDateTime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ft {
    Number,
    Date,
    Time,
    Str,
    Special,
    Tz,
}

/// `ParseDateTime`: splits `s` into lower-cased typed fields.
pub(super) fn fields(s: &str) -> DtResult<Vec<(String, Ft)>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let alpha = |i: usize| b.get(i).is_some_and(u8::is_ascii_alphabetic);
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    while i < b.len() {
        let mut f = String::new();
        let ft;
        let c = b[i];
        if c.is_ascii_digit() {
            while digit(i) {
                f.push(b[i] as char);
                i += 1;
            }
            if at(i) == b':' {
                ft = Ft::Time;
                while digit(i) || at(i) == b':' || at(i) == b'.' {
                    f.push(b[i] as char);
                    i += 1;
                }
            } else if matches!(at(i), b'-' | b'/' | b'.') {
                let delim = at(i);
                f.push(delim as char);
                i += 1;
                if digit(i) {
                    let mut t = if delim == b'.' { Ft::Number } else { Ft::Date };
                    while digit(i) {
                        f.push(b[i] as char);
                        i += 1;
                    }
                    if at(i) == delim {
                        t = Ft::Date;
                        while digit(i) || at(i) == delim {
                            f.push(b[i] as char);
                            i += 1;
                        }
                    }
                    ft = t;
                } else {
                    ft = Ft::Date;
                    while b.get(i).is_some_and(u8::is_ascii_alphanumeric) || at(i) == delim {
                        f.push(b[i].to_ascii_lowercase() as char);
                        i += 1;
                    }
                }
            } else {
                ft = Ft::Number;
            }
        } else if c == b'.' {
            f.push('.');
            i += 1;
            while digit(i) {
                f.push(b[i] as char);
                i += 1;
            }
            ft = Ft::Number;
        } else if c.is_ascii_whitespace() {
            i += 1;
            continue;
        } else if c.is_ascii_alphabetic() {
            while alpha(i) {
                f.push(b[i].to_ascii_lowercase() as char);
                i += 1;
            }
            let mut is_date = matches!(at(i), b'-' | b'/' | b'.');
            if !is_date && (at(i) == b'+' || digit(i)) {
                is_date = lookup_date_token(&f).is_none();
            }
            if is_date {
                ft = Ft::Date;
                loop {
                    f.push(b[i].to_ascii_lowercase() as char);
                    i += 1;
                    let n = at(i);
                    if !(b"+-/_.:".contains(&n) || n.is_ascii_alphanumeric()) || n == 0 {
                        break;
                    }
                }
            } else {
                ft = Ft::Str;
            }
        } else if c == b'+' || c == b'-' {
            f.push(c as char);
            i += 1;
            while b.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
            if digit(i) {
                ft = Ft::Tz;
                f.push(b[i] as char);
                i += 1;
                while digit(i) || matches!(at(i), b':' | b'.' | b'-') {
                    f.push(b[i] as char);
                    i += 1;
                }
            } else if alpha(i) {
                ft = Ft::Special;
                while alpha(i) {
                    f.push(b[i].to_ascii_lowercase() as char);
                    i += 1;
                }
            } else {
                return Err(DtErr::BadFormat);
            }
        } else if c.is_ascii_punctuation() {
            i += 1;
            continue;
        } else {
            return Err(DtErr::BadFormat);
        }
        if out.len() >= 25 {
            return Err(DtErr::BadFormat);
        }
        out.push((f, ft));
    }
    Ok(out)
}

/// Token kinds of `datetktbl`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Reserved(Reserved),
    Month(i64),
    Dow,
    AmPm(bool),
    AdBc(bool),
    Ignore,
    /// A unit letter (`y`, `m`, `d`, `h`, `mm`, `s`, `j`, ...).
    Units,
    /// The ISO `T`.
    IsoTime,
    DstMod,
}

/// The reserved words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reserved {
    Epoch,
    Late,
    Early,
    Clock,
    Zulu,
    Invalid,
}

/// `datetktbl` (the lookup uses at most 10 characters, as `TOKMAXLEN`).
fn lookup_date_token(token: &str) -> Option<Tok> {
    let t = token.get(..token.len().min(10)).unwrap_or(token);
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    const LONG: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if let Some(m) = MONTHS.iter().position(|m| *m == t) {
        return Some(Tok::Month(m as i64 + 1));
    }
    if let Some(m) = LONG.iter().position(|m| *m == t) {
        return Some(Tok::Month(m as i64 + 1));
    }
    Some(match t {
        "sept" => Tok::Month(9),
        "-infinity" => Tok::Reserved(Reserved::Early),
        "infinity" => Tok::Reserved(Reserved::Late),
        "epoch" => Tok::Reserved(Reserved::Epoch),
        "now" | "today" | "tomorrow" | "yesterday" | "current" => Tok::Reserved(Reserved::Clock),
        "allballs" => Tok::Reserved(Reserved::Zulu),
        "invalid" | "undefined" => Tok::Reserved(Reserved::Invalid),
        "ad" => Tok::AdBc(false),
        "bc" => Tok::AdBc(true),
        "am" => Tok::AmPm(false),
        "pm" => Tok::AmPm(true),
        "at" | "on" => Tok::Ignore,
        "d" | "h" | "j" | "jd" | "julian" | "m" | "mm" | "s" | "y" | "isoyear" | "dow" | "doy"
        | "isodow" => Tok::Units,
        "t" => Tok::IsoTime,
        "dst" => Tok::DstMod,
        "sun" | "sunday" | "mon" | "monday" | "tue" | "tues" | "tuesday" | "wed" | "weds"
        | "wednesday" | "thu" | "thur" | "thurs" | "thursday" | "fri" | "friday" | "sat"
        | "saturday" => Tok::Dow,
        _ => return None,
    })
}

// Field masks (`DTK_M`).
const M_MONTH: u32 = 1 << 1;
const M_YEAR: u32 = 1 << 2;
const M_DAY: u32 = 1 << 3;
const M_TZ: u32 = 1 << 5;
const M_DTZ: u32 = 1 << 6;
const M_AMPM: u32 = 1 << 9;
const M_HOUR: u32 = 1 << 10;
const M_MINUTE: u32 = 1 << 11;
const M_SECOND: u32 = 1 << 12;
const M_MILLI: u32 = 1 << 13;
const M_MICRO: u32 = 1 << 14;
const M_DOY: u32 = 1 << 15;
const M_DOW: u32 = 1 << 16;
const M_ADBC: u32 = 1 << 18;
const M_DTZMOD: u32 = 1 << 28;
const DATE_M: u32 = M_YEAR | M_MONTH | M_DAY;
pub(super) const TIME_M: u32 = M_HOUR | M_MINUTE | M_SECOND | M_MILLI | M_MICRO;

/// What a decoded string is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DType {
    Date,
    Epoch,
    Late,
    Early,
}

/// The state of one decoding.
#[derive(Default)]
struct Dec {
    tm: Tm,
    yday: i64,
    is2digits: bool,
    bc: bool,
    /// `Some(pm)` when AM/PM was given.
    mer: Option<bool>,
    /// Offset east of Greenwich when given.
    tz: Option<i64>,
    named: Option<Zone>,
    /// A month name was seen (`haveTextMonth`).
    text_month: bool,
}

fn strtoint(s: &str) -> DtResult<(i64, &str)> {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    let start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if i == start {
        return Ok((0, s));
    }
    let v: i64 = s[..i].parse().map_err(|_| DtErr::FieldOverflow)?;
    if i32::try_from(v).is_err() {
        return Err(DtErr::FieldOverflow);
    }
    Ok((v, &s[i..]))
}

fn atoi(s: &str) -> i64 {
    strtoint(s).map(|(v, _)| v).unwrap_or(0)
}

/// `ParseFractionalSecond`: `.ddd` as rounded microseconds.
pub(super) fn fractional_second(s: &str) -> DtResult<i64> {
    let f = parse_fraction(s)?;
    Ok((f * 1_000_000.0).round_ties_even() as i64)
}

/// `ParseFraction`: a `.ddd` suffix as a double.
pub(super) fn parse_fraction(s: &str) -> DtResult<f64> {
    if s == "." {
        return Ok(0.0);
    }
    let digits = s.strip_prefix('.').ok_or(DtErr::BadFormat)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DtErr::BadFormat);
    }
    format!("0.{digits}").parse().map_err(|_| DtErr::BadFormat)
}

/// `DecodeTime`: `h:m[:s[.f]]` (or `m:s.f`).
pub(super) fn decode_time(s: &str, minute_to_second: bool) -> DtResult<(i64, i64, i64, i64)> {
    decode_time_common(s, minute_to_second, false)
}

/// `DecodeTime` for an interval's time field: the hours may take the
/// whole int64 range (PostgreSQL 15 reads them with `strtoi64`; the caller
/// checks the microsecond total), other fields are int.
pub(super) fn decode_interval_time(
    s: &str,
    minute_to_second: bool,
) -> DtResult<(i64, i64, i64, i64)> {
    decode_time_common(s, minute_to_second, true)
}

fn decode_time_common(
    s: &str,
    minute_to_second: bool,
    wide_hours: bool,
) -> DtResult<(i64, i64, i64, i64)> {
    let (mut hour, rest) = if wide_hours {
        super::interval::strtoi64(s)?
    } else {
        strtoint(s)?
    };
    let rest = rest.strip_prefix(':').ok_or(DtErr::BadFormat)?;
    let (mut min, rest) = strtoint(rest)?;
    let (mut sec, mut fsec) = (0, 0);
    // `mm:ss` forms move the first field into the (int) minutes.
    let as_minutes = |hour: i64| {
        if i32::try_from(hour).is_ok() {
            Ok(hour)
        } else {
            Err(DtErr::FieldOverflow)
        }
    };
    if rest.is_empty() {
        if minute_to_second {
            sec = min;
            min = as_minutes(hour)?;
            hour = 0;
        }
    } else if rest.starts_with('.') {
        fsec = fractional_second(rest)?;
        sec = min;
        min = as_minutes(hour)?;
        hour = 0;
    } else if let Some(r) = rest.strip_prefix(':') {
        let (s2, r) = strtoint(r)?;
        sec = s2;
        if !r.is_empty() {
            if r.starts_with('.') {
                fsec = fractional_second(r)?;
            } else {
                return Err(DtErr::BadFormat);
            }
        }
    } else {
        return Err(DtErr::BadFormat);
    }
    if hour < 0
        || !(0..60).contains(&min)
        || !(0..=60).contains(&sec)
        || !(0..=USECS_PER_SEC).contains(&fsec)
    {
        return Err(DtErr::FieldOverflow);
    }
    Ok((hour, min, sec, fsec))
}

fn time_overflows(tm: &Tm) -> bool {
    !(0..=24).contains(&tm.hour)
        || !(0..60).contains(&tm.min)
        || !(0..=60).contains(&tm.sec)
        || !(0..=USECS_PER_SEC).contains(&tm.fsec)
        || ((tm.hour * 60 + tm.min) * 60 + tm.sec) * USECS_PER_SEC + tm.fsec > USECS_PER_DAY
}

/// `DecodeTimezone`: `±hh[:mm[:ss]]` or `±hhmm`, offset east in seconds.
fn decode_timezone(s: &str) -> DtResult<i64> {
    let neg = match s.as_bytes().first() {
        Some(b'+') => false,
        Some(b'-') => true,
        _ => return Err(DtErr::BadFormat),
    };
    let (mut hr, mut rest) = strtoint(&s[1..]).map_err(|_| DtErr::TzDispOverflow)?;
    let (mut min, mut sec) = (0, 0);
    if let Some(r) = rest.strip_prefix(':') {
        let (m, r2) = strtoint(r).map_err(|_| DtErr::TzDispOverflow)?;
        min = m;
        rest = r2;
        if let Some(r) = rest.strip_prefix(':') {
            let (sv, r3) = strtoint(r).map_err(|_| DtErr::TzDispOverflow)?;
            sec = sv;
            rest = r3;
        }
    } else if rest.is_empty() && s.len() > 3 {
        min = hr % 100;
        hr /= 100;
    }
    if !(0..=15).contains(&hr) || !(0..60).contains(&min) || !(0..60).contains(&sec) {
        return Err(DtErr::TzDispOverflow);
    }
    let tz = (hr * 60 + min) * 60 + sec;
    if !rest.is_empty() {
        return Err(DtErr::BadFormat);
    }
    Ok(if neg { -tz } else { tz })
}

impl Dec {
    /// `DecodeNumberField`: run-together `yyyymmdd`, `hhmmss`, `hhmm`.
    fn number_field(&mut self, s: &str, fmask: u32) -> DtResult<u32> {
        let mut s = s;
        if let Some(p) = s.find('.') {
            let frac = &s[p..];
            self.tm.fsec = if frac.len() == 1 {
                0
            } else {
                let f: f64 = format!("0{frac}").parse().map_err(|_| DtErr::BadFormat)?;
                (f * 1_000_000.0).round_ties_even() as i64
            };
            s = &s[..p];
        } else if fmask & DATE_M != DATE_M && s.len() >= 6 {
            let n = s.len();
            self.tm.mday = atoi(&s[n - 2..]);
            self.tm.mon = atoi(&s[n - 4..n - 2]);
            self.tm.year = atoi(&s[..n - 4]);
            if n - 4 == 2 {
                self.is2digits = true;
            }
            return Ok(DATE_M);
        }
        if fmask & TIME_M != TIME_M {
            if s.len() == 6 {
                self.tm.sec = atoi(&s[4..]);
                self.tm.min = atoi(&s[2..4]);
                self.tm.hour = atoi(&s[..2]);
                return Ok(TIME_M);
            } else if s.len() == 4 {
                self.tm.sec = 0;
                self.tm.min = atoi(&s[2..]);
                self.tm.hour = atoi(&s[..2]);
                return Ok(TIME_M);
            }
        }
        Err(DtErr::BadFormat)
    }

    /// `DecodeNumber`.
    fn number(&mut self, s: &str, text_month: bool, fmask: u32, order: DateOrder) -> DtResult<u32> {
        let flen = s.len();
        let (val, rest) = strtoint(s)?;
        if rest.len() == s.len() {
            return Err(DtErr::BadFormat);
        }
        if rest.starts_with('.') {
            if flen - rest.len() > 2 {
                return self.number_field(s, fmask | DATE_M);
            }
            self.tm.fsec = fractional_second(rest)?;
        } else if !rest.is_empty() {
            return Err(DtErr::BadFormat);
        }
        if flen == 3 && fmask & DATE_M == M_YEAR && (1..=366).contains(&val) {
            self.yday = val;
            return Ok(M_DOY | M_MONTH | M_DAY);
        }
        let tmask = match fmask & DATE_M {
            0 => {
                if flen >= 3 || order == DateOrder::Ymd {
                    self.tm.year = val;
                    M_YEAR
                } else if order == DateOrder::Dmy {
                    self.tm.mday = val;
                    M_DAY
                } else {
                    self.tm.mon = val;
                    M_MONTH
                }
            }
            M_YEAR => {
                self.tm.mon = val;
                M_MONTH
            }
            M_MONTH => {
                if text_month && (flen >= 3 || order == DateOrder::Ymd) {
                    self.tm.year = val;
                    M_YEAR
                } else {
                    self.tm.mday = val;
                    M_DAY
                }
            }
            x if x == M_YEAR | M_MONTH => {
                if text_month && flen >= 3 && self.is2digits {
                    self.tm.mday = self.tm.year;
                    self.tm.year = val;
                    self.is2digits = false;
                } else {
                    self.tm.mday = val;
                }
                M_DAY
            }
            M_DAY => {
                self.tm.mon = val;
                M_MONTH
            }
            x if x == M_MONTH | M_DAY => {
                self.tm.year = val;
                M_YEAR
            }
            DATE_M => return self.number_field(s, fmask),
            _ => return Err(DtErr::BadFormat),
        };
        if tmask == M_YEAR {
            self.is2digits = flen <= 2;
        }
        Ok(tmask)
    }

    /// `DecodeDate`: a field with embedded separators or a month name.
    fn date(&mut self, s: &str, fmask: u32, order: DateOrder) -> DtResult<u32> {
        let b = s.as_bytes();
        let mut parts: Vec<&str> = Vec::new();
        let mut i = 0;
        while i < b.len() {
            while i < b.len() && !b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if i >= b.len() {
                return Err(DtErr::BadFormat);
            }
            let start = i;
            if b[i].is_ascii_digit() {
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
            } else {
                while i < b.len() && b[i].is_ascii_alphabetic() {
                    i += 1;
                }
            }
            parts.push(&s[start..i]);
            if i < b.len() {
                i += 1;
            }
        }
        let mut fmask = fmask;
        let mut tmask = 0;
        let mut text_month = false;
        let mut numeric = Vec::new();
        for p in parts {
            if p.as_bytes()[0].is_ascii_alphabetic() {
                match lookup_date_token(p) {
                    Some(Tok::Ignore) => continue,
                    Some(Tok::Month(m)) => {
                        if fmask & M_MONTH != 0 {
                            return Err(DtErr::BadFormat);
                        }
                        self.tm.mon = m;
                        text_month = true;
                        fmask |= M_MONTH;
                        tmask |= M_MONTH;
                    }
                    _ => return Err(DtErr::BadFormat),
                }
            } else {
                numeric.push(p);
            }
        }
        for p in numeric {
            let dmask = self.number(p, text_month, fmask, order)?;
            if fmask & dmask != 0 {
                return Err(DtErr::BadFormat);
            }
            fmask |= dmask;
            tmask |= dmask;
        }
        if fmask & !(M_DOY | M_TZ) != DATE_M {
            return Err(DtErr::BadFormat);
        }
        Ok(tmask)
    }

    /// `DecodeTimezoneAbbrev` and `DecodeSpecial` on a string field.
    fn string(
        &mut self,
        s: &str,
        fmask: u32,
        ptype: &mut bool,
        dtype: &mut DType,
        time_only: bool,
    ) -> DtResult<u32> {
        if let Some(a) = zone::abbreviation(s) {
            return match a {
                Abbrev::Fixed(off, dst) => {
                    self.tz = Some(off);
                    Ok(if dst { M_TZ | M_DTZ } else { M_TZ })
                }
                Abbrev::Dynamic => Err(DtErr::NotEvaluable(format!(
                    "the time zone abbreviation \"{s}\" depends on the date"
                ))),
            };
        }
        let Some(tok) = lookup_date_token(s) else {
            return match zone::named(s) {
                Some(z) => {
                    self.named = Some(z);
                    Ok(M_TZ)
                }
                None => Err(DtErr::BadFormat),
            };
        };
        Ok(match tok {
            Tok::Ignore => 0,
            Tok::Reserved(r) => match r {
                Reserved::Clock => {
                    return Err(DtErr::NotEvaluable(format!("'{s}' reads the clock")))
                }
                Reserved::Zulu => {
                    self.tm.hour = 0;
                    self.tm.min = 0;
                    self.tm.sec = 0;
                    self.tz = Some(0);
                    TIME_M | M_TZ
                }
                _ if time_only => return Err(DtErr::BadFormat),
                Reserved::Epoch => {
                    *dtype = DType::Epoch;
                    0
                }
                Reserved::Late => {
                    *dtype = DType::Late;
                    0
                }
                Reserved::Early => {
                    *dtype = DType::Early;
                    0
                }
                Reserved::Invalid => return Err(DtErr::BadFormat),
            },
            Tok::Month(m) if !time_only => {
                let mut mask = M_MONTH;
                if fmask & M_MONTH != 0 && fmask & M_DAY == 0 && (1..=31).contains(&self.tm.mon) {
                    self.tm.mday = self.tm.mon;
                    mask = M_DAY;
                }
                self.tm.mon = m;
                self.text_month = true;
                mask
            }
            Tok::DstMod => {
                let tz = self.tz.ok_or(DtErr::BadFormat)?;
                self.tz = Some(tz + 3600);
                M_DTZMOD | M_DTZ
            }
            Tok::AmPm(pm) => {
                self.mer = Some(pm);
                M_AMPM
            }
            Tok::AdBc(bc) => {
                self.bc = bc;
                M_ADBC
            }
            Tok::Dow if !time_only => M_DOW,
            Tok::IsoTime => {
                if (!time_only && fmask & DATE_M != DATE_M) || *ptype {
                    return Err(DtErr::BadFormat);
                }
                *ptype = true;
                0
            }
            Tok::Units => {
                return Err(DtErr::NotEvaluable(format!(
                    "date/time input with the unit field \"{s}\" is not implemented"
                )))
            }
            _ => return Err(DtErr::BadFormat),
        })
    }

    /// `ValidateDate`.
    fn validate(&mut self, fmask: u32) -> DtResult<()> {
        let tm = &mut self.tm;
        if fmask & DATE_M != 0 {
            if self.bc {
                if tm.year <= 0 {
                    return Err(DtErr::FieldOverflow);
                }
                tm.year = -(tm.year - 1);
            } else if self.is2digits {
                if tm.year < 0 {
                    return Err(DtErr::FieldOverflow);
                }
                if tm.year < 70 {
                    tm.year += 2000;
                } else if tm.year < 100 {
                    tm.year += 1900;
                }
            } else if tm.year <= 0 {
                return Err(DtErr::FieldOverflow);
            }
        }
        if fmask & M_DOY != 0 {
            let (y, m, d) = super::j2date(date2j(tm.year, 1, 1) + self.yday - 1);
            tm.year = y;
            tm.mon = m;
            tm.mday = d;
        }
        if fmask & M_MONTH != 0 && !(1..=12).contains(&tm.mon) {
            return Err(DtErr::MdFieldOverflow);
        }
        if fmask & M_DAY != 0 && !(1..=31).contains(&tm.mday) {
            return Err(DtErr::MdFieldOverflow);
        }
        if fmask & DATE_M == DATE_M && tm.mday > super::days_in_month(tm.year, tm.mon) {
            return Err(DtErr::FieldOverflow);
        }
        Ok(())
    }

    /// AM/PM adjustment.
    fn meridian(&mut self) -> DtResult<()> {
        if let Some(pm) = self.mer {
            if self.tm.hour > 12 {
                return Err(DtErr::FieldOverflow);
            }
            if !pm && self.tm.hour == 12 {
                self.tm.hour = 0;
            } else if pm && self.tm.hour != 12 {
                self.tm.hour += 12;
            }
        }
        Ok(())
    }

    /// A date field following a complete date: a zone name or a
    /// run-together time with a zone (`hhmmss-zz`).
    fn zone_field(&mut self, s: &str, fmask: u32, ptype: &mut bool) -> DtResult<u32> {
        if s.as_bytes()[0].is_ascii_digit() || *ptype {
            *ptype = false;
            if fmask & TIME_M == TIME_M {
                return Err(DtErr::BadFormat);
            }
            let p = s.find('-').ok_or(DtErr::BadFormat)?;
            self.tz = Some(decode_timezone(&s[p..])?);
            let m = self.number_field(&s[..p], fmask | DATE_M)?;
            Ok(m | M_TZ)
        } else {
            match zone::named(s) {
                Some(z) => {
                    self.named = Some(z);
                    Ok(M_TZ)
                }
                None => Err(DtErr::Fatal(crate::value::err(
                    crate::error::SqlState::INVALID_PARAMETER_VALUE,
                    format!("time zone \"{s}\" not recognized"),
                ))),
            }
        }
    }
}

/// `DecodeDateTime`; the zone offset (east) is resolved against `session`.
fn decode_date_time(s: &str, order: DateOrder, session: &Zone) -> DtResult<(DType, Tm, i64)> {
    let fields = fields(s)?;
    let mut d = Dec::default();
    let mut fmask = 0u32;
    let mut dtype = DType::Date;
    let mut ptype = false;
    for (f, ft) in &fields {
        let f = f.as_str();
        let tmask = match ft {
            Ft::Date => {
                if ptype || fmask & (M_MONTH | M_DAY) == (M_MONTH | M_DAY) {
                    d.zone_field(f, fmask, &mut ptype)?
                } else {
                    d.date(f, fmask, order)?
                }
            }
            Ft::Time => {
                ptype = false;
                let (h, m, sec, fs) = decode_time(f, false)?;
                d.tm.hour = h;
                d.tm.min = m;
                d.tm.sec = sec;
                d.tm.fsec = fs;
                if time_overflows(&d.tm) {
                    return Err(DtErr::FieldOverflow);
                }
                TIME_M
            }
            Ft::Tz => {
                d.tz = Some(decode_timezone(f)?);
                M_TZ
            }
            Ft::Number => {
                if ptype {
                    ptype = false;
                    let m = d.number_field(f, fmask | DATE_M)?;
                    if m != TIME_M {
                        return Err(DtErr::BadFormat);
                    }
                    m
                } else {
                    let dot = f.find('.');
                    if dot.is_some() && fmask & DATE_M == 0 {
                        d.date(f, fmask, order)?
                    } else if dot.is_some_and(|p| p > 2)
                        || (f.len() >= 6 && (fmask & DATE_M == 0 || fmask & TIME_M == 0))
                    {
                        d.number_field(f, fmask)?
                    } else {
                        d.number(f, d.text_month, fmask, order)?
                    }
                }
            }
            Ft::Str | Ft::Special => d.string(f, fmask, &mut ptype, &mut dtype, false)?,
        };
        if tmask & fmask != 0 {
            return Err(DtErr::BadFormat);
        }
        fmask |= tmask;
    }
    d.validate(fmask)?;
    d.meridian()?;
    let mut tz = d.tz.unwrap_or(0);
    if dtype == DType::Date {
        if fmask & DATE_M != DATE_M {
            return Err(DtErr::BadFormat);
        }
        if let Some(z) = &d.named {
            if fmask & M_DTZMOD != 0 {
                return Err(DtErr::BadFormat);
            }
            tz = resolve(z, &d.tm)?;
        } else if fmask & M_TZ == 0 {
            if fmask & M_DTZMOD != 0 {
                return Err(DtErr::BadFormat);
            }
            tz = resolve(session, &d.tm)?;
        }
    }
    Ok((dtype, d.tm, tz))
}

fn resolve(z: &Zone, tm: &Tm) -> DtResult<i64> {
    z.offset_for_local(tm).ok_or_else(|| {
        DtErr::NotEvaluable(match z {
            Zone::Unknown(n) => format!("no rules for the time zone \"{n}\""),
            _ => "the bundled rules of the time zone differ from the server's at that time"
                .to_owned(),
        })
    })
}

/// `date_in`: days since 2000-01-01.
pub(super) fn date_in(s: &str, order: DateOrder, session: &Zone) -> DtResult<i64> {
    let (dtype, tm, _) =
        decode_date_time(s, order, &Zone::Fixed(session.fixed_offset().unwrap_or(0)))?;
    match dtype {
        DType::Date => {}
        DType::Epoch => return Ok(UNIX_EPOCH_JDATE - POSTGRES_EPOCH_JDATE),
        DType::Late => return Ok(DATE_NOEND),
        DType::Early => return Ok(DATE_NOBEGIN),
    }
    let range = || {
        DtErr::Fatal(crate::value::err(
            crate::error::SqlState::DATETIME_FIELD_OVERFLOW,
            format!("date out of range: \"{s}\""),
        ))
    };
    if !valid_julian(tm.year, tm.mon) {
        return Err(range());
    }
    let d = date2j(tm.year, tm.mon, tm.mday) - POSTGRES_EPOCH_JDATE;
    if !(DATE_MIN..DATE_END).contains(&d) {
        return Err(range());
    }
    Ok(d)
}

/// `timestamp_in` / `timestamptz_in`: microseconds since 2000-01-01 (UTC
/// for `with_tz`).
pub(super) fn timestamp_in(
    s: &str,
    order: DateOrder,
    session: &Zone,
    with_tz: bool,
) -> DtResult<i64> {
    // timestamp without time zone ignores zones, so the session zone need
    // not be known.
    let fixed = Zone::Fixed(0);
    let (dtype, tm, tz) = decode_date_time(s, order, if with_tz { session } else { &fixed })?;
    match dtype {
        DType::Date => {}
        DType::Epoch => return Ok((UNIX_EPOCH_JDATE - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY),
        DType::Late => return Ok(DT_NOEND),
        DType::Early => return Ok(DT_NOBEGIN),
    }
    let range = || {
        DtErr::Fatal(crate::value::err(
            crate::error::SqlState::DATETIME_FIELD_OVERFLOW,
            format!("timestamp out of range: \"{s}\""),
        ))
    };
    let local = tm2timestamp(&tm).ok_or_else(range)?;
    if !with_tz {
        return Ok(local);
    }
    let utc = local.checked_sub(tz * USECS_PER_SEC).ok_or_else(range)?;
    if !(super::MIN_TIMESTAMP..super::END_TIMESTAMP).contains(&utc) {
        return Err(range());
    }
    Ok(utc)
}

/// `time_in` / `timetz_in` (`DecodeTimeOnly`): microseconds since
/// midnight and the zone (seconds west of Greenwich, PostgreSQL's sign).
pub(super) fn time_in(
    s: &str,
    order: DateOrder,
    session: &Zone,
    with_tz: bool,
) -> DtResult<(i64, i64)> {
    let fields = fields(s)?;
    let nf = fields.len();
    let mut d = Dec::default();
    let mut fmask = 0u32;
    let mut dtype = DType::Date;
    let mut ptype = false;
    for (i, (f, ft)) in fields.iter().enumerate() {
        let f = f.as_str();
        let tmask = match ft {
            Ft::Date => {
                if i == 0 && nf >= 2 && (fields[nf - 1].1 == Ft::Date || fields[1].1 == Ft::Time) {
                    d.date(f, fmask, order)?
                } else {
                    d.zone_field(f, fmask, &mut ptype)?
                }
            }
            Ft::Time => {
                ptype = false;
                let (h, m, sec, fs) = decode_time(f, false)?;
                d.tm.hour = h;
                d.tm.min = m;
                d.tm.sec = sec;
                d.tm.fsec = fs;
                TIME_M
            }
            Ft::Tz => {
                d.tz = Some(decode_timezone(f)?);
                M_TZ
            }
            Ft::Number => {
                if ptype {
                    ptype = false;
                    let m = d.number_field(f, fmask | DATE_M)?;
                    if m != TIME_M {
                        return Err(DtErr::BadFormat);
                    }
                    m
                } else if let Some(p) = f.find('.') {
                    if i == 0 && nf >= 2 && fields[nf - 1].1 == Ft::Date {
                        d.date(f, fmask, order)?
                    } else if p > 2 {
                        d.number_field(f, fmask | DATE_M)?
                    } else {
                        return Err(DtErr::BadFormat);
                    }
                } else if f.len() > 4 {
                    d.number_field(f, fmask | DATE_M)?
                } else {
                    d.number(f, false, fmask | DATE_M, order)?
                }
            }
            Ft::Str | Ft::Special => d.string(f, fmask, &mut ptype, &mut dtype, true)?,
        };
        if tmask & fmask != 0 {
            return Err(DtErr::BadFormat);
        }
        fmask |= tmask;
    }
    d.validate(fmask)?;
    d.meridian()?;
    if time_overflows(&d.tm) {
        return Err(DtErr::FieldOverflow);
    }
    if fmask & TIME_M != TIME_M {
        return Err(DtErr::BadFormat);
    }
    let tm = d.tm;
    let time = ((tm.hour * 60 + tm.min) * 60 + tm.sec) * USECS_PER_SEC + tm.fsec;
    if !with_tz {
        return Ok((time, 0));
    }
    let east =
        if let Some(z) = &d.named {
            if fmask & M_DTZMOD != 0 {
                return Err(DtErr::BadFormat);
            }
            match z.fixed_offset() {
                Some(o) => o,
                None => {
                    if fmask & DATE_M != DATE_M {
                        return Err(DtErr::BadFormat);
                    }
                    resolve(z, &tm)?
                }
            }
        } else if fmask & M_TZ == 0 {
            if fmask & M_DTZMOD != 0 {
                return Err(DtErr::BadFormat);
            }
            match session.fixed_offset() {
                Some(o) => o,
                None if fmask & DATE_M == DATE_M => resolve(session, &tm)?,
                None => return Err(DtErr::NotEvaluable(
                    "a time with time zone without a zone takes today's offset of the session zone"
                        .to_owned(),
                )),
            }
        } else {
            d.tz.unwrap_or(0)
        };
    Ok((time, -east))
}
