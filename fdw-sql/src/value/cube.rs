//! The `cube` extension's immutable accessors over constant cubes
//! (`contrib/cube/cube.c`): `cube_dim`, `cube_ll_coord`, `cube_ur_coord`.
//!
//! Only the plain spellings of `cube_in` are read: `(x, ...)`,
//! `(x, ...),(y, ...)` and a bare `x, ...`, with decimal coordinates; any
//! other text (`inf`, `NaN`, an input error) is not evaluated.

use super::float::{self, FloatKind};
use super::{Evaluated, ValueSettings};
use crate::error::Result;

/// `CUBE_MAX_DIM`.
const CUBE_MAX_DIM: usize = 100;

/// A cube's lower-left and upper-right corners (equal for a point).
struct Cube {
    ll: Vec<f64>,
    ur: Vec<f64>,
}

/// A coordinate: optional sign, digits with an optional point, an
/// optional exponent; finite.
fn coordinate(text: &str) -> Option<f64> {
    let t = text.trim();
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (body.get(..i)?, Some(body.get(i + 1..)?)),
        None => (body, None),
    };
    let digits = mantissa.chars().filter(char::is_ascii_digit).count();
    let points = mantissa.chars().filter(|&c| c == '.').count();
    if digits == 0 || points > 1 || digits + points != mantissa.len() {
        return None;
    }
    if let Some(e) = exponent {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        if e.is_empty() || !e.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn list(text: &str) -> Option<Vec<f64>> {
    text.split(',').map(coordinate).collect()
}

fn parenthesized(text: &str) -> Option<Vec<f64>> {
    list(text.trim().strip_prefix('(')?.strip_suffix(')')?)
}

/// Reads a cube's text, `None` when it is not one of the plain forms.
fn parse(text: &str) -> Option<Cube> {
    let t = text.trim();
    let cube = if t.starts_with('(') {
        match t.find(')') {
            Some(end) if end + 1 == t.len() => {
                let ll = parenthesized(t)?;
                Cube { ur: ll.clone(), ll }
            }
            Some(end) => {
                let rest = t.get(end + 1..)?.trim_start().strip_prefix(',')?;
                let ll = parenthesized(t.get(..=end)?)?;
                let ur = parenthesized(rest)?;
                if ll.len() != ur.len() {
                    return None;
                }
                Cube { ll, ur }
            }
            None => return None,
        }
    } else {
        let ll = list(t)?;
        Cube { ur: ll.clone(), ll }
    };
    (!cube.ll.is_empty() && cube.ll.len() <= CUBE_MAX_DIM).then_some(cube)
}

/// Evaluates the cube function `name` over non-NULL constant arguments;
/// `None` when it is not one this module knows.
pub(crate) fn call(
    name: &str,
    args: &[&str],
    settings: &ValueSettings,
) -> Result<Option<Evaluated<Option<String>>>> {
    let coord = |c: &Cube, n: &str, lower: bool| -> Option<String> {
        let n: i64 = n.trim().parse().ok()?;
        let v = usize::try_from(n)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| Some((*c.ll.get(i)?, *c.ur.get(i)?)))
            .map_or(0.0, |(a, b)| {
                // `Min(a, b)` / `Max(a, b)` as the C macros pick.
                if (lower && a < b) || (!lower && a > b) {
                    a
                } else {
                    b
                }
            });
        Some(float::format(
            v,
            FloatKind::Float8,
            settings.extra_float_digits,
        ))
    };
    let out = match (name, args) {
        ("cube_dim", [c]) => parse(c).map(|c| c.ll.len().to_string()),
        ("cube_ll_coord", [c, n]) => parse(c).and_then(|c| coord(&c, n, true)),
        ("cube_ur_coord", [c, n]) => parse(c).and_then(|c| coord(&c, n, false)),
        _ => return Ok(None),
    };
    Ok(Some(match out {
        Some(v) => Evaluated::Value(Some(v)),
        None => Evaluated::NotEvaluable(format!(
            "{name} over a cube spelled other than plain decimal coordinates"
        )),
    }))
}
