//! Fetched values to canonical text, fast.
//!
//! A scan's value is the canonical text of the declared column type under
//! the local transmission settings, as `fdw_sql::value::input_assignment`
//! gives it for the remote's text (postgres_fdw runs the local input
//! function on the remote's output). Two things here make that cheap
//! without changing the answer:
//!
//! - [`FastCheck`]: a per-column test that a text is *already* the
//!   canonical output of the declared type (`42` for `int4`, `t` for
//!   `bool`, `2024-01-02 03:04:05+00` for `timestamptz` in a UTC-like
//!   session zone, ...). Such a text is its own input-then-output, so it is
//!   taken as is; anything the test does not accept goes through
//!   `input_assignment`, which stays the definition. The test never relies
//!   on what the remote column's type is: it checks the text itself.
//! - [`render_binary`]: the text the remote server would have sent for a
//!   value it sent in binary, under postgres_fdw's remote session settings
//!   (`DateStyle = ISO`, `IntervalStyle = postgres`, `TimeZone = GMT`,
//!   `extra_float_digits = 3`), for the built-in types listed in
//!   [`binary_supported`]. The rendered text then takes the same road as a
//!   text-format value, so both formats give the same rows by construction
//!   (and the tests compare them with psql's).

use std::fmt::Write as _;

use fdw_core::{Oid, TypMod};
use fdw_sql::value::j2date;
use tokio_postgres::types::{FromSql, Type};

/// Type oids (the built-in ones never change across servers).
mod oids {
    pub(super) const BOOL: u32 = 16;
    pub(super) const BYTEA: u32 = 17;
    pub(super) const NAME: u32 = 19;
    pub(super) const INT8: u32 = 20;
    pub(super) const INT2: u32 = 21;
    pub(super) const INT4: u32 = 23;
    pub(super) const TEXT: u32 = 25;
    pub(super) const OID: u32 = 26;
    pub(super) const JSON: u32 = 114;
    pub(super) const FLOAT4: u32 = 700;
    pub(super) const FLOAT8: u32 = 701;
    pub(super) const BPCHAR: u32 = 1042;
    pub(super) const VARCHAR: u32 = 1043;
    pub(super) const DATE: u32 = 1082;
    pub(super) const TIME: u32 = 1083;
    pub(super) const TIMESTAMP: u32 = 1114;
    pub(super) const TIMESTAMPTZ: u32 = 1184;
    pub(super) const INTERVAL: u32 = 1186;
    pub(super) const TIMETZ: u32 = 1266;
    pub(super) const NUMERIC: u32 = 1700;
    pub(super) const UUID: u32 = 2950;
    pub(super) const JSONB: u32 = 3802;
}
use oids::*;

/// The element type of a built-in array type this module decodes.
fn array_element(type_oid: u32) -> Option<u32> {
    Some(match type_oid {
        1000 => BOOL,
        1001 => BYTEA,
        1003 => NAME,
        1005 => INT2,
        1007 => INT4,
        1009 => TEXT,
        1028 => OID,
        1016 => INT8,
        199 => JSON,
        1021 => FLOAT4,
        1022 => FLOAT8,
        1014 => BPCHAR,
        1015 => VARCHAR,
        1182 => DATE,
        1183 => TIME,
        1115 => TIMESTAMP,
        1185 => TIMESTAMPTZ,
        1187 => INTERVAL,
        1270 => TIMETZ,
        1231 => NUMERIC,
        2951 => UUID,
        3807 => JSONB,
        _ => return None,
    })
}

fn scalar_supported(type_oid: u32) -> bool {
    matches!(
        type_oid,
        BOOL | BYTEA
            | NAME
            | INT8
            | INT2
            | INT4
            | TEXT
            | OID
            | JSON
            | FLOAT4
            | FLOAT8
            | BPCHAR
            | VARCHAR
            | DATE
            | TIME
            | TIMESTAMP
            | TIMESTAMPTZ
            | INTERVAL
            | TIMETZ
            | NUMERIC
            | UUID
            | JSONB
    )
}

/// Whether values of `type_oid` have a binary decoder here: the built-in
/// scalar types above and one-level arrays of them.
pub(crate) fn binary_supported(type_oid: Oid) -> bool {
    scalar_supported(type_oid.0) || array_element(type_oid.0).is_some()
}

/// The raw bytes of a fetched value, whatever its type.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawValue<'a>(pub(crate) &'a [u8]);

impl<'a> FromSql<'a> for RawValue<'a> {
    fn from_sql(
        _ty: &Type,
        raw: &'a [u8],
    ) -> Result<RawValue<'a>, Box<dyn std::error::Error + Sync + Send>> {
        Ok(RawValue(raw))
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }
}

/// Why a binary value could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BinaryError {
    /// No decoder for this type (the scan should have used text).
    Unsupported(u32),
    /// The bytes do not form a value of the type.
    Malformed(&'static str),
}

impl std::fmt::Display for BinaryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BinaryError::Unsupported(oid) => write!(
                f,
                "the remote column's type (oid {oid}) has no binary decoder; \
                 fetch this query in text format"
            ),
            BinaryError::Malformed(what) => write!(f, "malformed binary value: {what}"),
        }
    }
}

type BinResult<T> = Result<T, BinaryError>;

/// A cursor over big-endian binary data.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> BinResult<&'a [u8]> {
        if self.bytes.len() < n {
            return Err(BinaryError::Malformed("value too short"));
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> BinResult<[u8; N]> {
        let head = self.take(N)?;
        <[u8; N]>::try_from(head).map_err(|_| BinaryError::Malformed("value too short"))
    }

    fn i16(&mut self) -> BinResult<i16> {
        Ok(i16::from_be_bytes(self.array()?))
    }

    fn u16(&mut self) -> BinResult<u16> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    fn i32(&mut self) -> BinResult<i32> {
        Ok(i32::from_be_bytes(self.array()?))
    }

    fn u32(&mut self) -> BinResult<u32> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    fn i64(&mut self) -> BinResult<i64> {
        Ok(i64::from_be_bytes(self.array()?))
    }

    fn end(&self) -> BinResult<()> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(BinaryError::Malformed("trailing bytes"))
        }
    }
}

/// What a rendering is known to be without looking at it again: the text
/// [`FastCheck`] `proven` would accept (by how it was written), or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rendered {
    proven: Option<FastCheck>,
}

impl Rendered {
    const UNKNOWN: Rendered = Rendered { proven: None };

    fn proven(check: FastCheck) -> Rendered {
        Rendered {
            proven: Some(check),
        }
    }

    /// Whether `check` surely accepts the rendered text, so that checking
    /// it would only repeat the work (a float would be parsed and printed
    /// again).
    pub(crate) fn is_for(self, check: FastCheck) -> bool {
        match (self.proven, check) {
            (Some(FastCheck::Int(lo, hi)), FastCheck::Int(min, max)) => min <= lo && hi <= max,
            (Some(proven), check) => proven == check,
            (None, _) => false,
        }
    }
}

/// Appends the remote server's text output of the binary value `bytes` of
/// type `type_oid` to `out` (postgres_fdw's remote session settings).
pub(crate) fn render_binary(type_oid: u32, bytes: &[u8], out: &mut String) -> BinResult<Rendered> {
    if let Some(element) = array_element(type_oid) {
        render_array(element, bytes, out)?;
        return Ok(Rendered::UNKNOWN);
    }
    render_scalar(type_oid, bytes, out)
}

fn utf8(bytes: &[u8]) -> BinResult<&str> {
    std::str::from_utf8(bytes).map_err(|_| BinaryError::Malformed("invalid UTF-8"))
}

fn render_scalar(type_oid: u32, bytes: &[u8], out: &mut String) -> BinResult<Rendered> {
    let mut r = Reader { bytes };
    // int2/int4/int8/oid are printed canonically here (no sign for zero,
    // no leading zero); a float printed in plain decimals is its shortest
    // round-trip text, which the float check re-derives by parsing and
    // printing again. Everything else is checked as a text value is.
    let rendered = match type_oid {
        BOOL => {
            let [b] = r.array::<1>()?;
            out.push(if b != 0 { 't' } else { 'f' });
            Rendered::proven(FastCheck::Bool)
        }
        INT2 => {
            push_i64(out, i64::from(r.i16()?));
            Rendered::proven(FastCheck::Int(i64::from(i16::MIN), i64::from(i16::MAX)))
        }
        INT4 => {
            push_i64(out, i64::from(r.i32()?));
            Rendered::proven(FastCheck::Int(i64::from(i32::MIN), i64::from(i32::MAX)))
        }
        INT8 => {
            push_i64(out, r.i64()?);
            Rendered::proven(FastCheck::Int(i64::MIN, i64::MAX))
        }
        OID => {
            push_u64(out, u64::from(r.u32()?));
            Rendered::proven(FastCheck::Oid)
        }
        TEXT | VARCHAR | BPCHAR | NAME | JSON => {
            out.push_str(utf8(bytes)?);
            return Ok(Rendered::UNKNOWN);
        }
        JSONB => {
            let [version] = r.array::<1>()?;
            if version != 1 {
                return Err(BinaryError::Malformed("unsupported jsonb version"));
            }
            out.push_str(utf8(r.bytes)?);
            return Ok(Rendered::UNKNOWN);
        }
        BYTEA => {
            push_hex(out, bytes);
            return Ok(Rendered::UNKNOWN);
        }
        UUID => {
            let b: [u8; 16] = r.array()?;
            for (i, byte) in b.iter().enumerate() {
                if matches!(i, 4 | 6 | 8 | 10) {
                    out.push('-');
                }
                push_hex_byte(out, *byte);
            }
            Rendered::UNKNOWN
        }
        FLOAT4 => {
            let v = f32::from_bits(r.u32()?);
            push_float(out, f64::from(v), true)
        }
        FLOAT8 => {
            let v = f64::from_bits(r.i64()? as u64);
            push_float(out, v, false)
        }
        NUMERIC => {
            numeric_text(out, &mut r)?;
            Rendered::UNKNOWN
        }
        DATE => {
            date_text(out, r.i32()?);
            Rendered::UNKNOWN
        }
        TIME => {
            time_text(out, r.i64()?);
            Rendered::UNKNOWN
        }
        TIMETZ => {
            let t = r.i64()?;
            let zone = r.i32()?;
            time_text(out, t);
            zone_text(out, zone);
            Rendered::UNKNOWN
        }
        TIMESTAMP => {
            timestamp_text(out, r.i64()?, false);
            Rendered::UNKNOWN
        }
        TIMESTAMPTZ => {
            timestamp_text(out, r.i64()?, true);
            Rendered::UNKNOWN
        }
        INTERVAL => {
            let time = r.i64()?;
            let days = r.i32()?;
            let months = r.i32()?;
            interval_text(out, months, days, time);
            Rendered::UNKNOWN
        }
        other => return Err(BinaryError::Unsupported(other)),
    };
    r.end()?;
    Ok(rendered)
}

/// Appends `v` in decimal (without `core::fmt`, which is slow per value).
fn push_u64(out: &mut String, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        if let Some(slot) = buf.get_mut(i) {
            *slot = b'0' + (v % 10) as u8;
        }
        v /= 10;
        if v == 0 || i == 0 {
            break;
        }
    }
    for b in buf.get(i..).unwrap_or(&[]) {
        out.push(char::from(*b));
    }
}

fn push_i64(out: &mut String, v: i64) {
    if v < 0 {
        out.push('-');
    }
    push_u64(out, v.unsigned_abs());
}

/// Appends `v` zero-padded to at least `width` digits.
fn push_padded(out: &mut String, v: u64, width: usize) {
    let mut digits = 1;
    let mut rest = v / 10;
    while rest > 0 {
        digits += 1;
        rest /= 10;
    }
    for _ in digits..width {
        out.push('0');
    }
    push_u64(out, v);
}

/// A small buffer on the stack for a float's text.
struct Stack {
    buf: [u8; 64],
    len: usize,
}

impl Stack {
    fn new() -> Stack {
        Stack {
            buf: [0; 64],
            len: 0,
        }
    }

    fn bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&[])
    }

    fn push_bytes(&mut self, bytes: &[u8]) {
        let end = self.len + bytes.len();
        if let Some(slot) = self.buf.get_mut(self.len..end) {
            slot.copy_from_slice(bytes);
            self.len = end;
        }
    }
}

impl std::fmt::Write for Stack {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let slot = self.buf.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

fn push_hex_byte(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for nibble in [b >> 4, b & 15] {
        out.push(char::from(
            HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'),
        ));
    }
}

/// `byteaout` in hex format.
fn push_hex(out: &mut String, bytes: &[u8]) {
    out.reserve(2 + 2 * bytes.len());
    out.push_str("\\x");
    for b in bytes {
        push_hex_byte(out, *b);
    }
}

fn push_float(out: &mut String, v: f64, float4: bool) -> Rendered {
    let text = float_text(v, float4);
    out.push_str(std::str::from_utf8(text.bytes()).unwrap_or_default());
    // The float check accepts exactly the plain decimals that print back
    // the same, which the shortest round-trip text does by definition.
    if text
        .bytes()
        .iter()
        .all(|b| matches!(b, b'0'..=b'9' | b'.' | b'-'))
    {
        Rendered::proven(FastCheck::Float(float4))
    } else {
        Rendered::UNKNOWN
    }
}

/// `float8out` / `float4out` with `extra_float_digits > 0`: the shortest
/// digits that read back exactly, in fixed notation for decimal exponents
/// -4 ..= 14 (float4: ..= 5) and `d.ddde+XX` otherwise.
fn float_text(v: f64, float4: bool) -> Stack {
    let mut out = Stack::new();
    if v.is_nan() {
        out.push_bytes(b"NaN");
        return out;
    }
    if v.is_infinite() {
        out.push_bytes(if v > 0.0 { b"Infinity" } else { b"-Infinity" });
        return out;
    }
    if v == 0.0 {
        out.push_bytes(if v.is_sign_negative() { b"-0" } else { b"0" });
        return out;
    }
    // Rust's `{:e}` gives the shortest round-trip digits, like ryu.
    let mut sci = Stack::new();
    let _ = if float4 {
        write!(sci, "{:e}", (v as f32).abs())
    } else {
        write!(sci, "{:e}", v.abs())
    };
    let sci = sci.bytes();
    let split = sci.iter().position(|&b| b == b'e').unwrap_or(sci.len());
    let (mantissa, exp_text) = sci.split_at(split);
    let exp = exp_text
        .get(1..)
        .and_then(|e| std::str::from_utf8(e).ok())
        .and_then(|e| e.parse::<i32>().ok())
        .unwrap_or(0);
    let fixed_below = if float4 { 6 } else { 15 };
    if v.is_sign_negative() {
        out.push_bytes(b"-");
    }
    if exp < -4 || exp >= fixed_below {
        out.push_bytes(mantissa);
        out.push_bytes(if exp < 0 { b"e-" } else { b"e+" });
        let e = exp.unsigned_abs();
        if e < 10 {
            out.push_bytes(b"0");
        }
        let _ = write!(out, "{e}");
        return out;
    }
    let digits = mantissa.iter().filter(|b| b.is_ascii_digit());
    if exp < 0 {
        out.push_bytes(b"0.");
        for _ in 0..(-exp - 1) {
            out.push_bytes(b"0");
        }
        digits.for_each(|d| out.push_bytes(&[*d]));
        return out;
    }
    let int_len = usize::try_from(exp).unwrap_or(0) + 1;
    let mut n = 0usize;
    for d in digits {
        if n == int_len {
            out.push_bytes(b".");
        }
        out.push_bytes(&[*d]);
        n += 1;
    }
    while n < int_len {
        out.push_bytes(b"0");
        n += 1;
    }
    out
}

/// `numeric_out` of the binary form (base-10000 digits).
fn numeric_text(out: &mut String, r: &mut Reader<'_>) -> BinResult<()> {
    let ndigits = r.i16()?;
    let weight = i64::from(r.i16()?);
    let sign = r.u16()?;
    let dscale = r.u16()?;
    match sign {
        0xC000 => {
            out.push_str("NaN");
            return Ok(());
        }
        0xD000 => {
            out.push_str("Infinity");
            return Ok(());
        }
        0xF000 => {
            out.push_str("-Infinity");
            return Ok(());
        }
        0x0000 | 0x4000 => {}
        _ => return Err(BinaryError::Malformed("bad numeric sign")),
    }
    let count = usize::try_from(ndigits).map_err(|_| BinaryError::Malformed("numeric digits"))?;
    let mut digits = Vec::with_capacity(count);
    for _ in 0..count {
        let d = r.i16()?;
        if !(0..10000).contains(&d) {
            return Err(BinaryError::Malformed("bad numeric digit"));
        }
        digits.push(d);
    }
    let group = |k: i64| -> i16 {
        usize::try_from(k)
            .ok()
            .and_then(|k| digits.get(k))
            .copied()
            .unwrap_or(0)
    };
    if sign == 0x4000 {
        out.push('-');
    }
    if weight < 0 {
        out.push('0');
    } else {
        push_u64(out, group(0).unsigned_abs().into());
        for k in 1..=weight {
            push_padded(out, group(k).unsigned_abs().into(), 4);
        }
    }
    if dscale > 0 {
        out.push('.');
        let mut written = 0u16;
        let mut j = 1i64;
        while written < dscale {
            let g = group(weight + j);
            let text = [g / 1000, g / 100 % 10, g / 10 % 10, g % 10];
            for d in text {
                if written == dscale {
                    break;
                }
                out.push(char::from(b'0' + d.unsigned_abs() as u8));
                written += 1;
            }
            j += 1;
        }
    }
    Ok(())
}

const POSTGRES_EPOCH_JDATE: i64 = 2_451_545;
const USECS_PER_DAY: i64 = 86_400_000_000;

/// ISO date part; returns whether the year is BC (printed at the end).
fn push_ymd(out: &mut String, jd: i64) -> bool {
    let (year, month, day) = j2date(jd);
    let bc = year <= 0;
    let shown = if bc { 1 - year } else { year };
    push_padded(out, shown.unsigned_abs(), 4);
    out.push('-');
    push_padded(out, month.unsigned_abs(), 2);
    out.push('-');
    push_padded(out, day.unsigned_abs(), 2);
    bc
}

fn date_text(out: &mut String, days: i32) {
    match days {
        i32::MIN => out.push_str("-infinity"),
        i32::MAX => out.push_str("infinity"),
        d => {
            if push_ymd(out, i64::from(d) + POSTGRES_EPOCH_JDATE) {
                out.push_str(" BC");
            }
        }
    }
}

/// `HH:MM:SS[.ffffff]` (trailing zeros of the fraction dropped).
fn push_hms(out: &mut String, time: i64) {
    let hour = time / 3_600_000_000;
    let rest = time % 3_600_000_000;
    let min = rest / 60_000_000;
    let usec = rest % 60_000_000;
    push_padded(out, hour.unsigned_abs(), 2);
    out.push(':');
    push_padded(out, min.unsigned_abs(), 2);
    out.push(':');
    push_seconds(out, usec / 1_000_000, usec % 1_000_000);
}

/// Seconds zero-padded to two digits, then the fraction without trailing
/// zeros (`AppendSeconds`); signs are the caller's.
fn push_seconds(out: &mut String, sec: i64, fsec: i64) {
    push_padded(out, sec.unsigned_abs(), 2);
    if fsec != 0 {
        let mut frac = fsec.unsigned_abs();
        let mut width = 6;
        while frac % 10 == 0 {
            frac /= 10;
            width -= 1;
        }
        out.push('.');
        push_padded(out, frac, width);
    }
}

fn time_text(out: &mut String, time: i64) {
    push_hms(out, time);
}

/// `EncodeTimezone`: seconds west of Greenwich as `+HH[:MM[:SS]]`.
fn zone_text(out: &mut String, zone: i32) {
    let sign = if zone <= 0 { '+' } else { '-' };
    let secs = zone.unsigned_abs();
    let (hour, min, sec) = (secs / 3600, secs / 60 % 60, secs % 60);
    let _ = write!(out, "{sign}{hour:02}");
    if sec != 0 {
        let _ = write!(out, ":{min:02}:{sec:02}");
    } else if min != 0 {
        let _ = write!(out, ":{min:02}");
    }
}

/// `timestamp_out` / `timestamptz_out` in ISO style, zone GMT.
fn timestamp_text(out: &mut String, ts: i64, with_zone: bool) {
    match ts {
        i64::MIN => out.push_str("-infinity"),
        i64::MAX => out.push_str("infinity"),
        ts => {
            let date = ts.div_euclid(USECS_PER_DAY);
            let time = ts.rem_euclid(USECS_PER_DAY);
            let bc = push_ymd(out, date + POSTGRES_EPOCH_JDATE);
            out.push(' ');
            push_hms(out, time);
            if with_zone {
                out.push_str("+00");
            }
            if bc {
                out.push_str(" BC");
            }
        }
    }
}

/// `interval_out` in `IntervalStyle = postgres`.
fn interval_text(out: &mut String, months: i32, days: i32, time: i64) {
    let year = i64::from(months / 12);
    let mon = i64::from(months % 12);
    let mday = i64::from(days);
    let hour = time / 3_600_000_000;
    let rest = time % 3_600_000_000;
    let min = rest / 60_000_000;
    let rest = rest % 60_000_000;
    let sec = rest / 1_000_000;
    let fsec = rest % 1_000_000;
    let mut is_zero = true;
    let mut is_before = false;
    for (value, unit) in [(year, "year"), (mon, "mon"), (mday, "day")] {
        if value == 0 {
            continue;
        }
        let _ = write!(
            out,
            "{}{}{value} {unit}{}",
            if is_zero { "" } else { " " },
            if is_before && value > 0 { "+" } else { "" },
            if value != 1 { "s" } else { "" }
        );
        is_before = value < 0;
        is_zero = false;
    }
    if is_zero || hour != 0 || min != 0 || sec != 0 || fsec != 0 {
        let minus = hour < 0 || min < 0 || sec < 0 || fsec < 0;
        let _ = write!(
            out,
            "{}{}{:02}:{:02}:",
            if is_zero { "" } else { " " },
            if minus {
                "-"
            } else if is_before {
                "+"
            } else {
                ""
            },
            hour.unsigned_abs(),
            min.unsigned_abs()
        );
        push_seconds(out, sec, fsec);
    }
}

/// `array_out` of the binary array form.
fn render_array(element: u32, bytes: &[u8], out: &mut String) -> BinResult<()> {
    let mut r = Reader { bytes };
    let ndim = r.i32()?;
    let _flags = r.i32()?;
    let elem_oid = r.u32()?;
    if elem_oid != element {
        return Err(BinaryError::Malformed("array element type"));
    }
    if ndim == 0 {
        out.push_str("{}");
        return r.end();
    }
    let ndim = usize::try_from(ndim)
        .ok()
        .filter(|n| (1..=6).contains(n))
        .ok_or(BinaryError::Malformed("array dimensions"))?;
    let mut dims = Vec::with_capacity(ndim);
    for _ in 0..ndim {
        let len = r.i32()?;
        let lbound = r.i32()?;
        let len = usize::try_from(len).map_err(|_| BinaryError::Malformed("array length"))?;
        dims.push((len, lbound));
    }
    if dims.iter().any(|&(_, lb)| lb != 1) {
        for &(len, lb) in &dims {
            let upper = i64::from(lb) + i64::try_from(len).unwrap_or(0) - 1;
            let _ = write!(out, "[{lb}:{upper}]");
        }
        out.push('=');
    }
    let lens: Vec<usize> = dims.iter().map(|&(len, _)| len).collect();
    let mut item = String::new();
    array_level(element, &lens, &mut r, out, &mut item)?;
    r.end()
}

fn array_level(
    element: u32,
    lens: &[usize],
    r: &mut Reader<'_>,
    out: &mut String,
    item: &mut String,
) -> BinResult<()> {
    let Some((&len, inner)) = lens.split_first() else {
        return Ok(());
    };
    out.push('{');
    for i in 0..len {
        if i > 0 {
            out.push(',');
        }
        if inner.is_empty() {
            let size = r.i32()?;
            if size < 0 {
                out.push_str("NULL");
                continue;
            }
            let size = usize::try_from(size).map_err(|_| BinaryError::Malformed("size"))?;
            let value = r.take(size)?;
            item.clear();
            render_scalar(element, value, item)?;
            push_array_item(out, item);
        } else {
            array_level(element, inner, r, out, item)?;
        }
    }
    out.push('}');
    Ok(())
}

/// An element as `array_out` writes it: quoted (with `\` before `"` and
/// `\`) when empty, `NULL` in any case, or holding braces, quotes,
/// backslashes, the delimiter or white space.
fn push_array_item(out: &mut String, item: &str) {
    let needs_quotes = item.is_empty()
        || item.eq_ignore_ascii_case("null")
        || item.bytes().any(|b| {
            matches!(
                b,
                b'{' | b'}' | b',' | b'"' | b'\\' | b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c
            )
        });
    if !needs_quotes {
        out.push_str(item);
        return;
    }
    out.push('"');
    for c in item.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}

/// The test for one declared column: which texts are already the
/// canonical output of its type (input then output gives them back).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FastCheck {
    /// No fast test: every value goes through the input function.
    None,
    /// `text`, and `varchar`/`bpchar` without a length: any text.
    Any,
    /// `varchar(n)`: at most `n` characters.
    MaxChars(usize),
    /// `bpchar(n)`: exactly `n` characters.
    ExactChars(usize),
    /// `name`: under 64 bytes.
    Name,
    /// `bool`: `t` or `f`.
    Bool,
    /// Integers in the range.
    Int(i64, i64),
    /// `oid`.
    Oid,
    /// `float8` / `float4` (`true`).
    Float(bool),
    /// `numeric` with an optional `(precision, scale)`.
    Numeric(Option<(u32, u32)>),
    /// `date`.
    Date,
    /// `time` with its fractional digits allowed.
    Time(u32),
    /// `timestamp` with its fractional digits allowed.
    Timestamp(u32),
    /// `timestamptz` in a session zone printed as `+00`.
    TimestampUtc(u32),
    /// `uuid`.
    Uuid,
    /// `bytea` (hex output).
    Bytea,
}

/// Session zones that print every instant with offset `+00` (zones with
/// a fixed zero offset; the tests check each against the input function).
pub(crate) const UTC_ZONES: &[&str] = &[
    "GMT",
    "UTC",
    "Etc/UTC",
    "Etc/GMT",
    "UCT",
    "Etc/UCT",
    "Universal",
    "Etc/Universal",
    "Zulu",
    "Etc/Zulu",
    "Greenwich",
    "Etc/Greenwich",
    "GMT0",
    "Etc/GMT0",
];

/// Fractional second digits a datetime typmod allows (6 without one).
fn fraction_digits(typmod: TypMod) -> u32 {
    if (0..6).contains(&typmod) {
        u32::try_from(typmod).unwrap_or(6)
    } else {
        6
    }
}

impl FastCheck {
    /// The test for a declared column `(type_oid, typmod)` when the local
    /// session's `TimeZone` is `time_zone`.
    pub(crate) fn for_column(type_oid: Oid, typmod: TypMod, time_zone: &str) -> FastCheck {
        let length = || usize::try_from(typmod - 4).ok().filter(|_| typmod >= 4);
        match type_oid.0 {
            TEXT => FastCheck::Any,
            VARCHAR => length().map_or(FastCheck::Any, FastCheck::MaxChars),
            BPCHAR => length().map_or(FastCheck::Any, FastCheck::ExactChars),
            NAME => FastCheck::Name,
            BOOL => FastCheck::Bool,
            INT2 => FastCheck::Int(i64::from(i16::MIN), i64::from(i16::MAX)),
            INT4 => FastCheck::Int(i64::from(i32::MIN), i64::from(i32::MAX)),
            INT8 => FastCheck::Int(i64::MIN, i64::MAX),
            OID => FastCheck::Oid,
            FLOAT4 => FastCheck::Float(true),
            FLOAT8 => FastCheck::Float(false),
            NUMERIC => {
                if typmod < 4 {
                    FastCheck::Numeric(None)
                } else {
                    let t = u32::try_from(typmod - 4).unwrap_or(0);
                    let (precision, scale) = (t >> 16 & 0xffff, t & 0xffff);
                    // Negative scales (stored as 11-bit two's complement)
                    // and scales above the precision are left to the input
                    // function.
                    if scale > 1000 || scale > precision {
                        FastCheck::None
                    } else {
                        FastCheck::Numeric(Some((precision, scale)))
                    }
                }
            }
            DATE => FastCheck::Date,
            TIME => FastCheck::Time(fraction_digits(typmod)),
            TIMESTAMP => FastCheck::Timestamp(fraction_digits(typmod)),
            TIMESTAMPTZ => {
                if UTC_ZONES.iter().any(|z| z.eq_ignore_ascii_case(time_zone)) {
                    FastCheck::TimestampUtc(fraction_digits(typmod))
                } else {
                    FastCheck::None
                }
            }
            UUID => FastCheck::Uuid,
            BYTEA => FastCheck::Bytea,
            _ => FastCheck::None,
        }
    }

    /// Whether `text` is already the canonical output of the column's
    /// type and typmod (then it is the value as is).
    pub(crate) fn accepts(self, text: &str) -> bool {
        match self {
            FastCheck::None => false,
            FastCheck::Any => true,
            FastCheck::MaxChars(n) => text.len() <= n || text.chars().count() <= n,
            FastCheck::ExactChars(n) => text.chars().count() == n,
            FastCheck::Name => text.len() < 64,
            FastCheck::Bool => text == "t" || text == "f",
            FastCheck::Int(min, max) => canonical_int(text).is_some_and(|v| min <= v && v <= max),
            FastCheck::Oid => {
                canonical_int(text).is_some_and(|v| (0..=i64::from(u32::MAX)).contains(&v))
            }
            FastCheck::Float(float4) => canonical_float(text, float4),
            FastCheck::Numeric(typmod) => canonical_numeric(text, typmod),
            FastCheck::Date => canonical_date(text.as_bytes()).is_some_and(<[u8]>::is_empty),
            FastCheck::Time(digits) => {
                canonical_time(text.as_bytes(), digits).is_some_and(<[u8]>::is_empty)
            }
            FastCheck::Timestamp(digits) => {
                canonical_timestamp(text.as_bytes(), digits).is_some_and(<[u8]>::is_empty)
            }
            FastCheck::TimestampUtc(digits) => {
                canonical_timestamp(text.as_bytes(), digits).is_some_and(|rest| rest == b"+00")
            }
            FastCheck::Uuid => canonical_uuid(text.as_bytes()),
            FastCheck::Bytea => {
                text.len() % 2 == 0
                    && text.as_bytes().strip_prefix(b"\\x").is_some_and(|hex| {
                        hex.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
                    })
            }
        }
    }
}

/// An integer as `int8out` prints it: `0`, or an optional `-` and digits
/// without a leading zero; its value.
fn canonical_int(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let digits = bytes.strip_prefix(b"-").unwrap_or(bytes);
    if digits.is_empty()
        || digits.len() > 19
        || !digits.iter().all(u8::is_ascii_digit)
        || (digits.first() == Some(&b'0') && (digits.len() > 1 || digits.len() < bytes.len()))
    {
        return None;
    }
    text.parse().ok()
}

/// A float as `float8out`/`float4out` print it (`extra_float_digits > 0`):
/// the value's own shortest rendering equals the text.
fn canonical_float(text: &str, float4: bool) -> bool {
    let bytes = text.as_bytes();
    // Only plain decimals: the special words and exponents go the slow
    // way (rare, and their spelling has variants).
    if text.is_empty()
        || text.len() > 40
        || !bytes.iter().all(|b| matches!(b, b'0'..=b'9' | b'.' | b'-'))
    {
        return false;
    }
    // zmij prints the shortest round-trip digits in fixed notation for
    // decimal exponents -5..=15 (float4: -6..=12), a superset of
    // PostgreSQL's -4..=14 (float4: -4..=5) checked below, with ".0"
    // after an integral value.
    let mut buffer = zmij::Buffer::new();
    let shortest = if float4 {
        match text.parse::<f32>() {
            Ok(v) if v.is_finite() => buffer.format_finite(v),
            _ => return false,
        }
    } else {
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => buffer.format_finite(v),
            _ => return false,
        }
    };
    let shortest = shortest.strip_suffix(".0").unwrap_or(shortest);
    shortest.as_bytes() == bytes && in_fixed_range(bytes, float4)
}

/// Whether PostgreSQL prints a float of this fixed-notation text (already
/// its shortest digits) in fixed notation: decimal exponent -4 ..= 14
/// (float4: ..= 5), zero included.
fn in_fixed_range(bytes: &[u8], float4: bool) -> bool {
    let unsigned = bytes.strip_prefix(b"-").unwrap_or(bytes);
    let int_len = unsigned
        .iter()
        .position(|&b| b == b'.')
        .unwrap_or(unsigned.len());
    if unsigned.first() != Some(&b'0') {
        // Exponent int_len - 1.
        return int_len <= if float4 { 6 } else { 15 };
    }
    // "0" or "0.000ddd": the exponent is minus one more than the zeros
    // after the point.
    let zeros = unsigned.iter().skip(2).take_while(|&&b| b == b'0').count();
    int_len == 1 && (unsigned.len() == 1 || zeros <= 3)
}

/// A numeric as `numeric_out` prints it: `-?(0|[1-9][0-9]*)(\.[0-9]+)?`,
/// not a negative zero, `NaN`, the infinities without a typmod; with a
/// typmod the scale equals its scale and the integer digits fit.
fn canonical_numeric(text: &str, typmod: Option<(u32, u32)>) -> bool {
    match text {
        "NaN" => return true,
        "Infinity" | "-Infinity" => return typmod.is_none(),
        _ => {}
    }
    let bytes = text.as_bytes();
    let unsigned = bytes.strip_prefix(b"-");
    let negative = unsigned.is_some();
    let body = unsigned.unwrap_or(bytes);
    let (int, frac) = match body.iter().position(|&b| b == b'.') {
        Some(p) => (body.get(..p).unwrap_or(&[]), body.get(p + 1..)),
        None => (body, None),
    };
    if int.is_empty()
        || int.len() > 1000
        || !int.iter().all(u8::is_ascii_digit)
        || (int.len() > 1 && int.first() == Some(&b'0'))
    {
        return false;
    }
    let frac = match frac {
        Some(f) if f.is_empty() || f.len() > 1000 || !f.iter().all(u8::is_ascii_digit) => {
            return false
        }
        Some(f) => f,
        None => &[],
    };
    let zero = int == b"0" && frac.iter().all(|&b| b == b'0');
    if negative && zero {
        return false;
    }
    match typmod {
        None => true,
        Some((precision, scale)) => {
            let int_digits = if int == b"0" { 0 } else { int.len() };
            frac.len() == scale as usize && int_digits <= (precision - scale) as usize
        }
    }
}

/// `n` ASCII digits as a number.
fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |acc, b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// An ISO date `YYYY-MM-DD` of years 1 to 9999 at the start of `text`;
/// the rest after it.
fn canonical_date(text: &[u8]) -> Option<&[u8]> {
    let (date, rest) = text.split_at_checked(10)?;
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *date else {
        return None;
    };
    let year = digits(&[y0, y1, y2, y3])?;
    let month = digits(&[m0, m1])?;
    let day = digits(&[d0, d1])?;
    (year >= 1 && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
        .then_some(rest)
}

/// `HH:MM:SS[.f{1,digits}]` (hours 0-23, no trailing zero in the
/// fraction) at the start of `text`; the rest after it.
fn canonical_time(text: &[u8], max_digits: u32) -> Option<&[u8]> {
    let (hms, mut rest) = text.split_at_checked(8)?;
    let [h0, h1, b':', m0, m1, b':', s0, s1] = *hms else {
        return None;
    };
    if digits(&[h0, h1])? > 23 || digits(&[m0, m1])? > 59 || digits(&[s0, s1])? > 59 {
        return None;
    }
    if let Some(frac) = rest.strip_prefix(b".") {
        let n = frac.iter().take_while(|b| b.is_ascii_digit()).count();
        let (f, tail) = frac.split_at_checked(n)?;
        if n == 0 || n > max_digits as usize || f.last() == Some(&b'0') {
            return None;
        }
        rest = tail;
    }
    Some(rest)
}

/// An ISO timestamp of years 1 to 9999 at the start of `text`; the rest.
fn canonical_timestamp(text: &[u8], max_digits: u32) -> Option<&[u8]> {
    let rest = canonical_date(text)?;
    let rest = rest.strip_prefix(b" ")?;
    canonical_time(rest, max_digits)
}

/// `uuid_out`: lowercase 8-4-4-4-12 hex.
fn canonical_uuid(text: &[u8]) -> bool {
    text.len() == 36
        && text.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => matches!(b, b'0'..=b'9' | b'a'..=b'f'),
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn render(oid: u32, bytes: &[u8]) -> String {
        let mut out = String::new();
        render_binary(oid, bytes, &mut out).unwrap();
        out
    }

    /// The float check through zmij answers exactly as comparing with
    /// `float_text` (PostgreSQL's `float8out`/`float4out` rendering) does,
    /// on shortest texts, exponent boundaries and non-canonical spellings.
    #[test]
    fn float_check_agrees_with_the_rendering() {
        let mut values: Vec<f64> = vec![0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 100.0, 1e-4, 1e-5];
        values.extend((1..2_000).map(|g| f64::from(g) / 7.0));
        values.extend((1..2_000).map(|g| -f64::from(g) * 1.37e-3));
        values.extend((-8..18).map(|e| 10f64.powi(e)));
        values.extend((-8..18).map(|e| 1.2345 * 10f64.powi(e)));
        values.extend((-8..18).map(|e| 123_456_789.012_345_67 * 10f64.powi(e - 8)));
        for float4 in [false, true] {
            for &v in &values {
                let shortest = float_text(v, float4);
                let text = std::str::from_utf8(shortest.bytes()).unwrap().to_owned();
                let variants = [
                    text.clone(),
                    format!("{text}0"),
                    format!("{text}.0"),
                    format!("0{text}"),
                    format!("{v:.17}"),
                    format!("{v:.3}"),
                    format!("{v}"),
                ];
                for candidate in variants {
                    let reference = candidate
                        .bytes()
                        .all(|b| matches!(b, b'0'..=b'9' | b'.' | b'-'))
                        && !candidate.is_empty()
                        && candidate.len() <= 40
                        && (if float4 {
                            candidate.parse::<f32>().ok().map(f64::from)
                        } else {
                            candidate.parse::<f64>().ok()
                        })
                        .filter(|x| x.is_finite())
                        .is_some_and(|x| float_text(x, float4).bytes() == candidate.as_bytes());
                    assert_eq!(
                        canonical_float(&candidate, float4),
                        reference,
                        "{candidate:?} (float4: {float4})"
                    );
                }
            }
        }
    }

    #[test]
    fn dates_and_times() {
        assert_eq!(render(DATE, &0i32.to_be_bytes()), "2000-01-01");
        assert_eq!(
            render(DATE, &(-2_451_545i32).to_be_bytes()),
            "4714-11-24 BC"
        );
        assert_eq!(
            render(TIMESTAMP, &(-1i64).to_be_bytes()),
            "1999-12-31 23:59:59.999999"
        );
        assert_eq!(
            render(TIMESTAMPTZ, &1_500_000i64.to_be_bytes()),
            "2000-01-01 00:00:01.5+00"
        );
        let mut tz = 3_600_000_000i64.to_be_bytes().to_vec();
        tz.extend_from_slice(&(-19_800i32).to_be_bytes());
        assert_eq!(render(TIMETZ, &tz), "01:00:00+05:30");
    }

    #[test]
    fn fast_checks() {
        let int4 = FastCheck::for_column(Oid(INT4), -1, "GMT");
        assert!(int4.accepts("-12") && int4.accepts("0"));
        assert!(!int4.accepts("-0") && !int4.accepts("012") && !int4.accepts("2147483648"));
        let ts = FastCheck::for_column(Oid(TIMESTAMPTZ), -1, "UTC");
        assert!(ts.accepts("2024-02-29 23:59:59.5+00"));
        assert!(!ts.accepts("2023-02-29 23:59:59+00") && !ts.accepts("2024-01-01 00:00:00.50+00"));
        assert!(FastCheck::for_column(Oid(FLOAT8), -1, "GMT").accepts("0.14285714285714285"));
        assert!(!FastCheck::for_column(Oid(FLOAT8), -1, "GMT").accepts("0.1000"));
        let num = FastCheck::for_column(Oid(NUMERIC), (10 << 16 | 2) + 4, "GMT");
        assert!(num.accepts("12345678.90") && !num.accepts("1.5") && !num.accepts("123456789.00"));
    }
}
