//! `numeric`: arbitrary precision decimals with a display scale, NaN and
//! ±Infinity, and PostgreSQL's result-scale rules.
//!
//! A finite value is `mantissa × 10^-scale`, where `scale` is PostgreSQL's
//! display scale (`dscale`): `1.50` keeps scale 2. Rounding is half away
//! from zero everywhere, as in `round_var`.

use std::cmp::Ordering;

use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_traits::{Signed, ToPrimitive, Zero};

use super::{err, invalid_syntax};
use crate::error::{Error, Result, SqlState};

/// `NUMERIC_MIN_SIG_DIGITS`.
const MIN_SIG_DIGITS: i64 = 16;
/// `NUMERIC_MAX_DISPLAY_SCALE`.
const MAX_DISPLAY_SCALE: i64 = 1000;
/// Decimal digits per base-10000 digit of PostgreSQL's representation.
const DEC_DIGITS: i64 = 4;
/// Digits before the decimal point `numeric` can hold (`NUMERIC_WEIGHT_MAX`
/// is 32767 base-10000 digits).
const MAX_INT_DIGITS: usize = 131_072;

/// A `numeric` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Numeric {
    /// `NaN`.
    NaN,
    /// `Infinity`.
    PosInf,
    /// `-Infinity`.
    NegInf,
    /// `mantissa × 10^-scale`.
    Finite {
        /// The digits, signed.
        mantissa: BigInt,
        /// The display scale (digits after the point), never negative.
        scale: u32,
    },
}

fn pow10(n: u32) -> BigInt {
    num_traits::pow(BigInt::from(10u8), n as usize)
}

fn overflow() -> Error {
    err(
        SqlState::NUMERIC_VALUE_OUT_OF_RANGE,
        "value overflows numeric format",
    )
}

/// Divides with rounding half away from zero.
fn div_round(num: &BigInt, den: &BigInt) -> BigInt {
    let (q, r) = num.div_rem(den);
    // |2r| >= |den| rounds away from zero.
    if (r.abs() * 2u8) >= den.abs() {
        if (num.sign() == Sign::Minus) != (den.sign() == Sign::Minus) {
            q - 1
        } else {
            q + 1
        }
    } else {
        q
    }
}

impl Numeric {
    /// An integer value.
    pub(crate) fn from_int(v: i128) -> Numeric {
        Numeric::Finite {
            mantissa: BigInt::from(v),
            scale: 0,
        }
    }

    fn finite(mantissa: BigInt, scale: u32) -> Result<Numeric> {
        let n = Numeric::Finite { mantissa, scale };
        n.check_size()?;
        Ok(n)
    }

    fn check_size(&self) -> Result<()> {
        if let Numeric::Finite { mantissa, scale } = self {
            let digits = mantissa.magnitude().bits() as f64 * std::f64::consts::LOG10_2;
            if digits - f64::from(*scale) > MAX_INT_DIGITS as f64 + 1.0 {
                return Err(overflow());
            }
        }
        Ok(())
    }

    /// `numeric_in`.
    pub(crate) fn parse(text: &str) -> Result<Numeric> {
        let t = text.trim_matches(|c: char| c.is_ascii_whitespace());
        let lower = t.to_ascii_lowercase();
        match lower.as_str() {
            "nan" => return Ok(Numeric::NaN),
            "infinity" | "+infinity" | "inf" | "+inf" => return Ok(Numeric::PosInf),
            "-infinity" | "-inf" => return Ok(Numeric::NegInf),
            _ => {}
        }
        let bad = || invalid_syntax("numeric", text);
        let bytes = t.as_bytes();
        let mut i = 0;
        let mut negative = false;
        if let Some(&c) = bytes.first() {
            if c == b'+' || c == b'-' {
                negative = c == b'-';
                i = 1;
            }
        }
        let mut digits = String::new();
        let mut frac_digits: i64 = 0;
        let mut seen_point = false;
        let mut any_digit = false;
        while i < bytes.len() {
            let c = bytes[i];
            if c.is_ascii_digit() {
                digits.push(c as char);
                any_digit = true;
                if seen_point {
                    frac_digits += 1;
                }
            } else if c == b'.' && !seen_point {
                seen_point = true;
            } else {
                break;
            }
            i += 1;
        }
        if !any_digit {
            return Err(bad());
        }
        let mut exponent: i64 = 0;
        if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
            i += 1;
            let mut exp_neg = false;
            if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
                exp_neg = bytes[i] == b'-';
                i += 1;
            }
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                exponent = exponent
                    .saturating_mul(10)
                    .saturating_add(i64::from(bytes[i] - b'0'));
                i += 1;
            }
            if i == start {
                return Err(bad());
            }
            if exponent > 1000 {
                return Err(bad());
            }
            if exp_neg {
                exponent = -exponent;
            }
        }
        if i != bytes.len() {
            return Err(bad());
        }
        let mut mantissa: BigInt = digits.parse().map_err(|_| bad())?;
        if negative {
            mantissa = -mantissa;
        }
        // value = mantissa × 10^(exponent - frac_digits)
        let shift = exponent - frac_digits;
        if shift >= 0 {
            let s = u32::try_from(shift).map_err(|_| bad())?;
            Numeric::finite(mantissa * pow10(s), 0)
        } else {
            let s = u32::try_from(-shift).map_err(|_| bad())?;
            Numeric::finite(mantissa, s)
        }
    }

    /// `numeric_out`.
    pub(crate) fn to_text(&self) -> String {
        match self {
            Numeric::NaN => "NaN".to_owned(),
            Numeric::PosInf => "Infinity".to_owned(),
            Numeric::NegInf => "-Infinity".to_owned(),
            Numeric::Finite { mantissa, scale } => {
                let digits = mantissa.magnitude().to_string();
                let scale = *scale as usize;
                let sign = if mantissa.sign() == Sign::Minus {
                    "-"
                } else {
                    ""
                };
                if scale == 0 {
                    return format!("{sign}{digits}");
                }
                let padded = if digits.len() <= scale {
                    format!("{}{digits}", "0".repeat(scale + 1 - digits.len()))
                } else {
                    digits
                };
                let (int, frac) = padded.split_at(padded.len() - scale);
                format!("{sign}{int}.{frac}")
            }
        }
    }

    fn parts(&self) -> Option<(&BigInt, u32)> {
        match self {
            Numeric::Finite { mantissa, scale } => Some((mantissa, *scale)),
            Numeric::NaN | Numeric::PosInf | Numeric::NegInf => None,
        }
    }

    /// Both mantissas brought to a common scale.
    fn align(a: (&BigInt, u32), b: (&BigInt, u32)) -> (BigInt, BigInt, u32) {
        let scale = a.1.max(b.1);
        (a.0 * pow10(scale - a.1), b.0 * pow10(scale - b.1), scale)
    }

    /// -1, 0 or 1 for finite values and infinities; `None` for NaN.
    fn signum(&self) -> Option<i32> {
        match self {
            Numeric::NaN => None,
            Numeric::PosInf => Some(1),
            Numeric::NegInf => Some(-1),
            Numeric::Finite { mantissa, .. } => Some(match mantissa.sign() {
                Sign::Minus => -1,
                Sign::NoSign => 0,
                Sign::Plus => 1,
            }),
        }
    }

    /// `numeric_cmp`: NaN sorts above everything and equals itself.
    pub(crate) fn cmp_total(&self, other: &Numeric) -> Ordering {
        let rank = |n: &Numeric| match n {
            Numeric::NegInf => 0,
            Numeric::Finite { .. } => 1,
            Numeric::PosInf => 2,
            Numeric::NaN => 3,
        };
        match (self.parts(), other.parts()) {
            (Some(a), Some(b)) => {
                let (x, y, _) = Numeric::align(a, b);
                x.cmp(&y)
            }
            _ => rank(self).cmp(&rank(other)),
        }
    }

    /// `numeric_add`.
    pub(crate) fn add(&self, other: &Numeric) -> Result<Numeric> {
        match (self.parts(), other.parts()) {
            (Some(a), Some(b)) => {
                let (x, y, s) = Numeric::align(a, b);
                Numeric::finite(x + y, s)
            }
            _ => Ok(match (self, other) {
                (Numeric::NaN, _) | (_, Numeric::NaN) => Numeric::NaN,
                (Numeric::PosInf, Numeric::NegInf) | (Numeric::NegInf, Numeric::PosInf) => {
                    Numeric::NaN
                }
                (Numeric::PosInf, _) | (_, Numeric::PosInf) => Numeric::PosInf,
                _ => Numeric::NegInf,
            }),
        }
    }

    /// `numeric_uminus`.
    pub(crate) fn neg(&self) -> Numeric {
        match self {
            Numeric::NaN => Numeric::NaN,
            Numeric::PosInf => Numeric::NegInf,
            Numeric::NegInf => Numeric::PosInf,
            Numeric::Finite { mantissa, scale } => Numeric::Finite {
                mantissa: -mantissa,
                scale: *scale,
            },
        }
    }

    /// `numeric_sub`.
    pub(crate) fn sub(&self, other: &Numeric) -> Result<Numeric> {
        self.add(&other.neg())
    }

    /// `numeric_mul`: the exact product, scale the sum of the scales.
    pub(crate) fn mul(&self, other: &Numeric) -> Result<Numeric> {
        match (self.parts(), other.parts()) {
            (Some(a), Some(b)) => Numeric::finite(a.0 * b.0, a.1 + b.1),
            _ => {
                let (Some(x), Some(y)) = (self.signum(), other.signum()) else {
                    return Ok(Numeric::NaN);
                };
                Ok(match x * y {
                    0 => Numeric::NaN,
                    1 => Numeric::PosInf,
                    _ => Numeric::NegInf,
                })
            }
        }
    }

    /// Weight (base 10000) and first base-10000 digit of a finite value, as
    /// `select_div_scale` sees them; (0, 0) for zero.
    fn weight_and_first_digit(mantissa: &BigInt, scale: u32) -> (i64, i64) {
        if mantissa.is_zero() {
            return (0, 0);
        }
        let digits = mantissa.magnitude().to_string();
        let scale = i64::from(scale);
        let int_len = digits.len() as i64 - scale;
        // Pad so that the integer part is a multiple of 4 digits long.
        let int_groups = if int_len > 0 {
            (int_len + DEC_DIGITS - 1) / DEC_DIGITS
        } else {
            0
        };
        let lead_pad = int_groups * DEC_DIGITS - int_len;
        let mut all = String::new();
        if lead_pad > 0 {
            all.push_str(&"0".repeat(lead_pad as usize));
            all.push_str(&digits);
        } else {
            all.push_str(&digits[(-lead_pad) as usize..]);
        }
        let bytes = all.as_bytes();
        for (index, chunk) in (0i64..).zip(bytes.chunks(DEC_DIGITS as usize)) {
            let mut v = 0i64;
            for b in chunk {
                v = v * 10 + i64::from(b - b'0');
            }
            // A short last chunk is padded with zeros on the right.
            for _ in chunk.len()..DEC_DIGITS as usize {
                v *= 10;
            }
            if v != 0 {
                return (int_groups - 1 - index, v);
            }
        }
        (0, 0)
    }

    /// `select_div_scale`.
    fn div_scale(a: (&BigInt, u32), b: (&BigInt, u32)) -> u32 {
        let (w1, d1) = Numeric::weight_and_first_digit(a.0, a.1);
        let (w2, d2) = Numeric::weight_and_first_digit(b.0, b.1);
        let mut qweight = w1 - w2;
        if d1 <= d2 {
            qweight -= 1;
        }
        let rscale = (MIN_SIG_DIGITS - qweight * DEC_DIGITS)
            .max(i64::from(a.1))
            .max(i64::from(b.1))
            .clamp(0, MAX_DISPLAY_SCALE);
        u32::try_from(rscale).unwrap_or(0)
    }

    fn division_by_zero() -> Error {
        err(SqlState::DIVISION_BY_ZERO, "division by zero")
    }

    /// `numeric_div`.
    pub(crate) fn div(&self, other: &Numeric) -> Result<Numeric> {
        match (self.parts(), other.parts()) {
            (Some(a), Some(b)) => {
                if b.0.is_zero() {
                    return Err(Numeric::division_by_zero());
                }
                let rscale = Numeric::div_scale(a, b);
                // a/b × 10^rscale = m1 × 10^(s2 - s1 + rscale) / m2
                let exp = i64::from(b.1) - i64::from(a.1) + i64::from(rscale);
                let (num, den) = if exp >= 0 {
                    (a.0 * pow10(exp as u32), b.0.clone())
                } else {
                    (a.0.clone(), b.0 * pow10((-exp) as u32))
                };
                Numeric::finite(div_round(&num, &den), rscale)
            }
            _ => self.special_div(other),
        }
    }

    fn special_div(&self, other: &Numeric) -> Result<Numeric> {
        match (self, other) {
            (Numeric::NaN, _) | (_, Numeric::NaN) => Ok(Numeric::NaN),
            (Numeric::PosInf | Numeric::NegInf, Numeric::PosInf | Numeric::NegInf) => {
                Ok(Numeric::NaN)
            }
            (Numeric::PosInf | Numeric::NegInf, Numeric::Finite { mantissa, .. }) => {
                if mantissa.is_zero() {
                    return Err(Numeric::division_by_zero());
                }
                let s = self.signum().unwrap_or(1) * other.signum().unwrap_or(1);
                Ok(if s > 0 {
                    Numeric::PosInf
                } else {
                    Numeric::NegInf
                })
            }
            // finite / ±Infinity is zero.
            _ => Ok(Numeric::from_int(0)),
        }
    }

    /// `numeric_div_trunc` (`div(a, b)`): the truncated quotient, scale 0.
    pub(crate) fn div_trunc(&self, other: &Numeric) -> Result<Numeric> {
        match (self.parts(), other.parts()) {
            (Some(a), Some(b)) => {
                if b.0.is_zero() {
                    return Err(Numeric::division_by_zero());
                }
                let (x, y, _) = Numeric::align(a, b);
                Numeric::finite(&x / &y, 0)
            }
            _ => match self.special_div(other)? {
                Numeric::Finite { .. } => Ok(Numeric::from_int(0)),
                other => Ok(other),
            },
        }
    }

    /// `numeric_mod`: `a - trunc(a/b) × b`, scale the larger of the two.
    pub(crate) fn modulo(&self, other: &Numeric) -> Result<Numeric> {
        match (self.parts(), other.parts()) {
            (Some(a), Some(b)) => {
                if b.0.is_zero() {
                    return Err(Numeric::division_by_zero());
                }
                let (x, y, s) = Numeric::align(a, b);
                Numeric::finite(x % y, s)
            }
            _ => match (self, other) {
                (Numeric::NaN, _) | (_, Numeric::NaN) => Ok(Numeric::NaN),
                (Numeric::PosInf | Numeric::NegInf, Numeric::Finite { mantissa, .. }) => {
                    if mantissa.is_zero() {
                        Err(Numeric::division_by_zero())
                    } else {
                        Ok(Numeric::NaN)
                    }
                }
                (Numeric::PosInf | Numeric::NegInf, _) => Ok(Numeric::NaN),
                // finite mod ±Infinity is the finite value.
                _ => Ok(self.clone()),
            },
        }
    }

    /// `round(x, s)`: half away from zero; a negative `s` rounds left of
    /// the point. The result's scale is `max(s, 0)`.
    pub(crate) fn round(&self, s: i64) -> Result<Numeric> {
        self.rescale(s, true)
    }

    /// `trunc(x, s)`.
    pub(crate) fn trunc(&self, s: i64) -> Result<Numeric> {
        self.rescale(s, false)
    }

    fn rescale(&self, s: i64, round: bool) -> Result<Numeric> {
        let Some((m, scale)) = self.parts() else {
            return Ok(self.clone());
        };
        let s = s.clamp(-MAX_DISPLAY_SCALE, MAX_DISPLAY_SCALE);
        let new_scale = u32::try_from(s.max(0)).unwrap_or(0);
        let drop = i64::from(scale) - s;
        if drop <= 0 {
            // Only padding with zeros.
            let pad = u32::try_from(i64::from(new_scale) - i64::from(scale)).unwrap_or(0);
            return Numeric::finite(m * pow10(pad), new_scale);
        }
        let den = pow10(u32::try_from(drop).unwrap_or(0));
        let q = if round { div_round(m, &den) } else { m / &den };
        // q is in units of 10^-s; bring it to 10^-new_scale.
        let up = u32::try_from(i64::from(new_scale) - s).unwrap_or(0);
        Numeric::finite(q * pow10(up), new_scale)
    }

    /// `ceil` / `floor`.
    pub(crate) fn ceil_floor(&self, ceil: bool) -> Result<Numeric> {
        let Some((m, scale)) = self.parts() else {
            return Ok(self.clone());
        };
        let den = pow10(scale);
        let (q, r) = m.div_mod_floor(&den);
        let q = if ceil && !r.is_zero() { q + 1 } else { q };
        Numeric::finite(q, 0)
    }

    /// `abs`.
    pub(crate) fn abs(&self) -> Numeric {
        match self {
            Numeric::NegInf => Numeric::PosInf,
            Numeric::Finite { mantissa, scale } => Numeric::Finite {
                mantissa: mantissa.abs(),
                scale: *scale,
            },
            other => other.clone(),
        }
    }

    /// `sign`.
    pub(crate) fn sign(&self) -> Numeric {
        match self.signum() {
            None => Numeric::NaN,
            Some(s) => Numeric::from_int(i128::from(s)),
        }
    }

    /// `sqrt`, correctly rounded at PostgreSQL's result scale.
    pub(crate) fn sqrt(&self) -> Result<Numeric> {
        match self {
            Numeric::NaN | Numeric::PosInf => return Ok(self.clone()),
            Numeric::NegInf => return Err(negative_sqrt()),
            Numeric::Finite { .. } => {}
        }
        let Some((m, scale)) = self.parts() else {
            return Ok(self.clone());
        };
        if m.sign() == Sign::Minus {
            return Err(negative_sqrt());
        }
        let (weight, _) = Numeric::weight_and_first_digit(m, scale);
        let weight = if m.is_zero() { 0 } else { weight };
        let sweight = (weight + 1) * DEC_DIGITS / 2 - 1;
        let rscale = (MIN_SIG_DIGITS - sweight)
            .max(i64::from(scale))
            .clamp(0, MAX_DISPLAY_SCALE);
        // floor(sqrt(m × 10^(2(rscale+1) - scale))) has one digit more than
        // needed; it is even-scaled when the exponent is even.
        let extra = 2 * (rscale + 1) - i64::from(scale);
        let (radicand, _) = if extra >= 0 {
            (m * pow10(u32::try_from(extra).unwrap_or(0)), 0)
        } else {
            (m / pow10(u32::try_from(-extra).unwrap_or(0)), 0)
        };
        let root = radicand.sqrt();
        let rounded = div_round(&root, &BigInt::from(10u8));
        Numeric::finite(rounded, u32::try_from(rscale).unwrap_or(0))
    }

    /// The value as an integer rounded half away from zero (`numeric_int8`
    /// and friends); `None` for NaN or infinities.
    pub(crate) fn to_i128_rounded(&self) -> Option<i128> {
        let (m, scale) = self.parts()?;
        div_round(m, &pow10(scale)).to_i128()
    }

    /// True for NaN.
    pub(crate) fn is_nan(&self) -> bool {
        matches!(self, Numeric::NaN)
    }

    /// True for ±Infinity.
    pub(crate) fn is_inf(&self) -> bool {
        matches!(self, Numeric::PosInf | Numeric::NegInf)
    }

    /// `apply_typmod`: rounds to the typmod's scale and checks its precision.
    pub(crate) fn apply_typmod(&self, typmod: i32) -> Result<Numeric> {
        if typmod < 4 {
            return Ok(self.clone());
        }
        let t = typmod - 4;
        let precision = (t >> 16) & 0xffff;
        // The scale is an 11-bit signed field (PostgreSQL 15 allows -1000..1000).
        let scale = ((t & 0x7ff) ^ 1024) - 1024;
        match self {
            Numeric::NaN => return Ok(Numeric::NaN),
            Numeric::PosInf | Numeric::NegInf => {
                return Err(err(
                    SqlState::NUMERIC_VALUE_OUT_OF_RANGE,
                    "numeric field overflow",
                ))
            }
            Numeric::Finite { .. } => {}
        }
        let rounded = self.round(i64::from(scale))?;
        if let Some((m, s)) = rounded.parts() {
            if !m.is_zero() {
                // Digits before the point (after rounding) may not exceed precision - scale.
                let int_part = m.abs() / pow10(s);
                let int_digits = if int_part.is_zero() {
                    0
                } else {
                    int_part.to_string().len() as i64
                };
                if int_digits > i64::from(precision) - i64::from(scale) {
                    return Err(err(
                        SqlState::NUMERIC_VALUE_OUT_OF_RANGE,
                        "numeric field overflow",
                    ));
                }
            }
        }
        Ok(rounded)
    }

    /// The value as `f64` (`numeric_float8`: through its text, correctly rounded).
    pub(crate) fn to_f64(&self) -> f64 {
        match self {
            Numeric::NaN => f64::NAN,
            Numeric::PosInf => f64::INFINITY,
            Numeric::NegInf => f64::NEG_INFINITY,
            Numeric::Finite { .. } => self.to_text().parse().unwrap_or(f64::NAN),
        }
    }

    /// `power(x, y)` for an integer exponent whose exact result fits the
    /// result scale PostgreSQL would choose; `None` when not exact.
    pub(crate) fn power_exact(&self, exp: &Numeric) -> Option<Numeric> {
        let (bm, bs) = self.parts()?;
        let (em, es) = exp.parts()?;
        if es != 0 && !(em % pow10(es)).is_zero() {
            return None;
        }
        let e = (em / pow10(es)).to_i64()?;
        if !(0..=1000).contains(&e) || bm.is_zero() && e == 0 {
            return None;
        }
        let exact_scale = i64::from(bs).checked_mul(e)?;
        let rscale = MIN_SIG_DIGITS.max(i64::from(bs)).max(i64::from(es));
        if exact_scale > rscale {
            return None;
        }
        let value = num_traits::pow(bm.clone(), usize::try_from(e).ok()?);
        let pad = u32::try_from(rscale - exact_scale).ok()?;
        Some(Numeric::Finite {
            mantissa: value * pow10(pad),
            scale: u32::try_from(rscale).ok()?,
        })
    }
}

fn negative_sqrt() -> Error {
    err(
        SqlState("2201F"),
        "cannot take square root of a negative number",
    )
}

/// `numeric_in` followed by the typmod, as text.
pub(crate) fn input(text: &str, typmod: i32) -> Result<String> {
    Ok(Numeric::parse(text)?.apply_typmod(typmod)?.to_text())
}

/// A float as `float8_numeric` converts it: through `%.{digits}g`.
pub(crate) fn from_float(v: f64, digits: usize) -> Result<Numeric> {
    if v.is_nan() {
        return Ok(Numeric::NaN);
    }
    if v.is_infinite() {
        return Ok(if v > 0.0 {
            Numeric::PosInf
        } else {
            Numeric::NegInf
        });
    }
    let s = format!("{:.*e}", digits.saturating_sub(1), v);
    // Trailing zeros of the mantissa are dropped by %g, which changes the scale.
    let (mant, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let mant = if mant.contains('.') {
        mant.trim_end_matches('0').trim_end_matches('.')
    } else {
        mant
    };
    Numeric::parse(&format!("{mant}e{exp}"))
}

/// Parses a canonical numeric text.
pub(crate) fn parse(text: &str) -> Result<Numeric> {
    Numeric::parse(text)
}

/// Rounded integer conversion with the integer type's range error.
pub(crate) fn to_int(n: &Numeric, min: i128, max: i128, type_name: &str) -> Result<i128> {
    if n.is_nan() {
        return Err(err(
            SqlState::FEATURE_NOT_SUPPORTED,
            format!("cannot convert NaN to {type_name}"),
        ));
    }
    if n.is_inf() {
        return Err(err(
            SqlState::FEATURE_NOT_SUPPORTED,
            format!("cannot convert infinity to {type_name}"),
        ));
    }
    match n.to_i128_rounded() {
        Some(v) if (min..=max).contains(&v) => Ok(v),
        _ => Err(err(
            SqlState::NUMERIC_VALUE_OUT_OF_RANGE,
            format!("{type_name} out of range"),
        )),
    }
}

/// Number of decimal digits of a BigInt's magnitude (for `scale()`-like functions).
pub(crate) fn scale_of(n: &Numeric) -> Option<u32> {
    n.parts().map(|(_, s)| s)
}

/// `min_scale`: the smallest scale that represents the value exactly.
pub(crate) fn min_scale(n: &Numeric) -> Option<u32> {
    let (m, s) = n.parts()?;
    let mut scale = s;
    let mut m = m.clone();
    while scale > 0 && (&m % 10u8).is_zero() {
        m /= 10u8;
        scale -= 1;
    }
    Some(scale)
}

/// `trim_scale`.
pub(crate) fn trim_scale(n: &Numeric) -> Numeric {
    match (n.parts(), min_scale(n)) {
        (Some((m, s)), Some(target)) => Numeric::Finite {
            mantissa: m / pow10(s - target),
            scale: target,
        },
        _ => n.clone(),
    }
}
