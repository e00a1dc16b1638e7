//! The `cube` extension's immutable functions over constant cubes
//! (`contrib/cube`), which PostgreSQL evaluates while planning like any
//! immutable function: input in every spelling `cube_in` accepts, output
//! as `cube_out` prints it, the B-tree comparisons (`=`, `<`, ...,
//! `cube_cmp`), containment and overlap (`@>`, `<@`, `&&`), `cube_union`,
//! `cube_inter`, `cube_size`, the distances (`<->`, `<#>`, `<=>`), the
//! accessors (`cube_dim`, `cube_ll_coord`, `cube_ur_coord`, `->`, `~>`,
//! `cube_is_point`) and the constructors from `float8` values and arrays.
//!
//! A cube is kept as its two corners and the point flag `cube_in` and the
//! constructors set, because the flag, not only equal corners, decides
//! the printed form and `cube_size`. Comparisons of coordinates follow
//! the C macros `Min`/`Max` (`a < b ? a : b`), which matters for `NaN`.
//! What cannot be evaluated exactly (a spelling `cube_in` rejects, whose
//! error we do not reproduce, an index out of bounds, an array with
//! `NULL`s) is answered not evaluable.

use std::cmp::Ordering;

use fdw_core::Oid;

use super::float::{self, FloatKind};
use super::{Evaluated, ValueSettings};
use crate::error::Result;

/// `CUBE_MAX_DIM`.
const CUBE_MAX_DIM: usize = 100;

/// A cube: the first and second corners (`LL_COORD`/`UR_COORD`, in the
/// order written, not normalised) and whether it is stored as a point.
#[derive(Debug, Clone, PartialEq)]
struct Cube {
    ll: Vec<f64>,
    ur: Vec<f64>,
    point: bool,
}

/// C's `Min(a, b)`: `a < b ? a : b`.
fn cmin(a: f64, b: f64) -> f64 {
    if a < b {
        a
    } else {
        b
    }
}

/// C's `Max(a, b)`: `a > b ? a : b`.
fn cmax(a: f64, b: f64) -> f64 {
    if a > b {
        a
    } else {
        b
    }
}

impl Cube {
    fn dim(&self) -> usize {
        self.ll.len()
    }

    /// The corners of dimension `i` (0 when absent, as the callers of
    /// the C code substitute for missing dimensions themselves).
    fn corners(&self, i: usize) -> (f64, f64) {
        (
            self.ll.get(i).copied().unwrap_or(0.0),
            self.ur.get(i).copied().unwrap_or(0.0),
        )
    }

    fn lo(&self, i: usize) -> f64 {
        let (a, b) = self.corners(i);
        cmin(a, b)
    }

    fn hi(&self, i: usize) -> f64 {
        let (a, b) = self.corners(i);
        cmax(a, b)
    }

    /// A point of these coordinates.
    fn point(coords: Vec<f64>) -> Cube {
        Cube {
            ur: coords.clone(),
            ll: coords,
            point: true,
        }
    }

    /// A box from two corners, flagged as a point when they are equal
    /// (IEEE equality, so a `NaN` corner keeps it a box).
    fn corners_box(ll: Vec<f64>, ur: Vec<f64>) -> Cube {
        let point = ll.iter().zip(&ur).all(|(a, b)| a == b);
        Cube { ll, ur, point }
    }

    /// `cube_is_point_internal`.
    fn is_point(&self) -> bool {
        self.point || self.ll.iter().zip(&self.ur).all(|(a, b)| a == b)
    }
}

// ----- input ---------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Num(f64),
    Open,
    Close,
    OpenBracket,
    CloseBracket,
    Comma,
}

/// The length of the longest `float` token of `cubescan.l` at the start of
/// `s` (`[+-]?(digits | digits.digits? | .digits)([eE][+-]?digits)?`, or
/// `[+-]?inf(inity)?`, or `nan`, case-insensitive), 0 when none.
fn float_token_len(s: &[u8]) -> usize {
    let digits = |from: usize| {
        s.iter()
            .skip(from)
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let mut i = usize::from(matches!(s.first(), Some(b'+' | b'-')));
    let lower: Vec<u8> = s.iter().map(u8::to_ascii_lowercase).collect();
    if lower.get(i..i + 3) == Some(b"inf") {
        return if lower.get(i..i + 8) == Some(b"infinity") {
            i + 8
        } else {
            i + 3
        };
    }
    if i == 0 && lower.get(..3) == Some(b"nan") {
        return 3;
    }
    let int = digits(i);
    i += int;
    let mut mantissa = int > 0;
    if s.get(i) == Some(&b'.') {
        let frac = digits(i + 1);
        if int > 0 || frac > 0 {
            i += 1 + frac;
            mantissa = true;
        }
    }
    if !mantissa {
        return 0;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(s.get(i + 1), Some(b'+' | b'-')));
        let exp = digits(i + 1 + sign);
        if exp > 0 {
            i += 1 + sign + exp;
        }
    }
    i
}

/// `cubescan.l`'s tokens; `None` for any other character, or a number
/// `float8in` rejects (out of range), whose error we do not reproduce.
fn tokens(text: &str) -> Option<Vec<Token>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        let token = match c {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => {
                i += 1;
                continue;
            }
            b'(' => Token::Open,
            b')' => Token::Close,
            b'[' => Token::OpenBracket,
            b']' => Token::CloseBracket,
            b',' => Token::Comma,
            _ => {
                let len = float_token_len(bytes.get(i..)?);
                if len == 0 {
                    return None;
                }
                let word = text.get(i..i + len)?;
                let v = float::parse(word, FloatKind::Float8).ok()?;
                i += len;
                out.push(Token::Num(v));
                continue;
            }
        };
        out.push(token);
        i += 1;
    }
    Some(out)
}

/// `list: FLOAT | list COMMA FLOAT` from `at`; the values and the next position.
fn list(t: &[Token], mut at: usize) -> Option<(Vec<f64>, usize)> {
    let mut values = Vec::new();
    loop {
        match t.get(at) {
            Some(Token::Num(v)) => values.push(*v),
            _ => return None,
        }
        at += 1;
        if t.get(at) == Some(&Token::Comma) && matches!(t.get(at + 1), Some(Token::Num(_))) {
            at += 1;
        } else {
            return Some((values, at));
        }
    }
}

/// `paren_list: '(' list ')' | '(' ')'` from `at`.
fn paren_list(t: &[Token], at: usize) -> Option<(Vec<f64>, usize)> {
    if t.get(at) != Some(&Token::Open) {
        return None;
    }
    if t.get(at + 1) == Some(&Token::Close) {
        return Some((Vec::new(), at + 2));
    }
    let (values, next) = list(t, at + 1)?;
    (t.get(next) == Some(&Token::Close)).then_some((values, next + 1))
}

/// `cube_in`: `None` for text it rejects (its errors are not reproduced).
fn parse(text: &str) -> Option<Cube> {
    let t = tokens(text)?;
    let cube = match t.first() {
        Some(Token::OpenBracket) => {
            let (ll, next) = paren_list(&t, 1)?;
            if t.get(next) != Some(&Token::Comma) {
                return None;
            }
            let (ur, next) = paren_list(&t, next + 1)?;
            if t.get(next) != Some(&Token::CloseBracket) || next + 1 != t.len() {
                return None;
            }
            (ll.len() == ur.len()).then(|| Cube::corners_box(ll, ur))?
        }
        Some(Token::Open) => {
            let (ll, next) = paren_list(&t, 0)?;
            if next == t.len() {
                Cube::point(ll)
            } else {
                if t.get(next) != Some(&Token::Comma) {
                    return None;
                }
                let (ur, next) = paren_list(&t, next + 1)?;
                if next != t.len() || ll.len() != ur.len() {
                    return None;
                }
                Cube::corners_box(ll, ur)
            }
        }
        _ => {
            let (values, next) = list(&t, 0)?;
            if next != t.len() {
                return None;
            }
            Cube::point(values)
        }
    };
    (cube.dim() <= CUBE_MAX_DIM).then_some(cube)
}

// ----- output --------------------------------------------------------------

/// `cube_out`: `(x, y)` for a point, `(x, y),(z, w)` for a box, each
/// coordinate as `float8out` prints it.
fn format(cube: &Cube, settings: &ValueSettings) -> String {
    let corner = |coords: &[f64]| {
        let parts: Vec<String> = coords
            .iter()
            .map(|v| float::format(*v, FloatKind::Float8, settings.extra_float_digits))
            .collect();
        format!("({})", parts.join(", "))
    };
    if cube.is_point() {
        corner(&cube.ll)
    } else {
        format!("{},{}", corner(&cube.ll), corner(&cube.ur))
    }
}

// ----- functions -----------------------------------------------------------

/// `cube_cmp_v0`.
fn compare(a: &Cube, b: &Cube) -> Ordering {
    let dim = a.dim().min(b.dim());
    for i in 0..dim {
        if a.lo(i) > b.lo(i) {
            return Ordering::Greater;
        }
        if a.lo(i) < b.lo(i) {
            return Ordering::Less;
        }
    }
    for i in 0..dim {
        if a.hi(i) > b.hi(i) {
            return Ordering::Greater;
        }
        if a.hi(i) < b.hi(i) {
            return Ordering::Less;
        }
    }
    // Extra dimensions compare to zero; then the cube with more wins.
    let (longer, sign) = match a.dim().cmp(&b.dim()) {
        Ordering::Equal => return Ordering::Equal,
        Ordering::Greater => (a, Ordering::Greater),
        Ordering::Less => (b, Ordering::Less),
    };
    let flip = |o: Ordering| {
        if sign == Ordering::Greater {
            o
        } else {
            o.reverse()
        }
    };
    for i in dim..longer.dim() {
        if longer.lo(i) > 0.0 {
            return flip(Ordering::Greater);
        }
        if longer.lo(i) < 0.0 {
            return flip(Ordering::Less);
        }
    }
    for i in dim..longer.dim() {
        if longer.hi(i) > 0.0 {
            return flip(Ordering::Greater);
        }
        if longer.hi(i) < 0.0 {
            return flip(Ordering::Less);
        }
    }
    sign
}

/// `cube_contains_v0(a, b)`.
fn contains(a: &Cube, b: &Cube) -> bool {
    for i in a.dim()..b.dim() {
        let (l, u) = b.corners(i);
        if l != 0.0 || u != 0.0 {
            return false;
        }
    }
    // Each test refuses only on a true comparison, as the C code does
    // (a NaN coordinate refuses nothing).
    for i in 0..a.dim().min(b.dim()) {
        if a.lo(i) > b.lo(i) || a.hi(i) < b.hi(i) {
            return false;
        }
    }
    true
}

/// The arguments ordered so that the first has at least as many dimensions.
fn wider<'c>(a: &'c Cube, b: &'c Cube) -> (&'c Cube, &'c Cube) {
    if a.dim() < b.dim() {
        (b, a)
    } else {
        (a, b)
    }
}

/// `cube_overlap_v0`.
fn overlap(a: &Cube, b: &Cube) -> bool {
    let (a, b) = wider(a, b);
    for i in 0..b.dim() {
        if a.lo(i) > b.hi(i) || a.hi(i) < b.lo(i) {
            return false;
        }
    }
    for i in b.dim()..a.dim() {
        if a.lo(i) > 0.0 || a.hi(i) < 0.0 {
            return false;
        }
    }
    true
}

/// `cube_union_v0` (`inter` false) and `cube_inter` (`inter` true).
fn union_or_inter(a: &Cube, b: &Cube, inter: bool) -> Cube {
    let (a, b) = wider(a, b);
    let (mut ll, mut ur) = (Vec::with_capacity(a.dim()), Vec::with_capacity(a.dim()));
    for i in 0..a.dim() {
        let (l, u) = if i < b.dim() {
            if inter {
                (cmax(a.lo(i), b.lo(i)), cmin(a.hi(i), b.hi(i)))
            } else {
                (cmin(a.lo(i), b.lo(i)), cmax(a.hi(i), b.hi(i)))
            }
        } else if inter {
            (cmax(0.0, a.lo(i)), cmin(0.0, a.hi(i)))
        } else {
            (cmin(0.0, a.lo(i)), cmax(0.0, a.hi(i)))
        };
        ll.push(l);
        ur.push(u);
    }
    let point = ll.iter().zip(&ur).all(|(x, y)| x == y);
    Cube { ll, ur, point }
}

/// `distance_1D`.
fn distance_1d(a1: f64, a2: f64, b1: f64, b2: f64) -> f64 {
    if a1 <= b1 && a2 <= b1 && a1 <= b2 && a2 <= b2 {
        return cmin(b1, b2) - cmax(a1, a2);
    }
    if a1 > b1 && a2 > b1 && a1 > b2 && a2 > b2 {
        return cmin(a1, a2) - cmax(b1, b2);
    }
    0.0
}

/// Which distance `<->`, `<#>` and `<=>` compute.
#[derive(Clone, Copy)]
enum Metric {
    Euclid,
    Taxicab,
    Chebyshev,
}

/// `cube_distance`, `distance_taxicab`, `distance_chebyshev`.
fn distance(a: &Cube, b: &Cube, metric: Metric) -> f64 {
    let (a, b) = wider(a, b);
    let mut total = 0.0;
    for i in 0..a.dim() {
        let (a1, a2) = a.corners(i);
        let d = if i < b.dim() {
            let (b1, b2) = b.corners(i);
            distance_1d(a1, a2, b1, b2)
        } else {
            distance_1d(a1, a2, 0.0, 0.0)
        };
        match metric {
            Metric::Euclid => total += d * d,
            Metric::Taxicab => total += d.abs(),
            Metric::Chebyshev => {
                if d.abs() > total {
                    total = d.abs();
                }
            }
        }
    }
    match metric {
        Metric::Euclid => total.sqrt(),
        Metric::Taxicab | Metric::Chebyshev => total,
    }
}

/// `rt_cube_size`.
fn size(a: &Cube) -> f64 {
    if a.point || a.dim() == 0 {
        return 0.0;
    }
    (0..a.dim()).fold(1.0, |acc, i| {
        let (l, u) = a.corners(i);
        acc * (u - l).abs()
    })
}

/// A one-dimensional `float8[]` constant's elements; `None` for `NULL`
/// elements, nested or decorated arrays (left to the array code).
fn float_array(text: &str) -> Option<Vec<f64>> {
    let inner = text.trim().strip_prefix('{')?.strip_suffix('}')?;
    if inner.trim().is_empty() {
        return Some(Vec::new());
    }
    if inner.contains(['{', '"', '\\']) {
        return None;
    }
    inner
        .split(',')
        .map(|e| {
            let e = e.trim();
            if e.eq_ignore_ascii_case("null") {
                None
            } else {
                float::parse(e, FloatKind::Float8).ok()
            }
        })
        .collect()
}

fn float_arg(text: &str) -> Option<f64> {
    float::parse(text, FloatKind::Float8).ok()
}

fn int_arg(text: &str) -> Option<i64> {
    text.trim().parse().ok()
}

/// `float8`.
const FLOAT8: Oid = Oid(701);
/// `float8[]`.
const FLOAT8_ARRAY: Oid = Oid(1022);

/// What an argument of the `cube(...)` constructors is, by its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Arg {
    Float,
    Array,
    Cube,
}

/// The value of one call: `Some(text)`, or `None` when not evaluable.
fn evaluate(name: &str, args: &[&str], types: &[Oid], settings: &ValueSettings) -> Option<String> {
    let float8 = |v: f64| float::format(v, FloatKind::Float8, settings.extra_float_digits);
    let boolean = |b: bool| if b { "t" } else { "f" }.to_owned();
    let cube = |c: &Cube| (c.dim() <= CUBE_MAX_DIM).then(|| format(c, settings));
    match (name, args) {
        ("cube_in", [text]) => parse(text).map(|c| format(&c, settings)),
        ("cube_out", [c]) => parse(c).map(|c| format(&c, settings)),
        ("cube_dim", [c]) => parse(c).map(|c| c.dim().to_string()),
        ("cube_ll_coord" | "cube_ur_coord", [c, n]) => {
            let c = parse(c)?;
            let n = int_arg(n)?;
            let v = match usize::try_from(n).ok().and_then(|n| n.checked_sub(1)) {
                Some(i) if i < c.dim() => {
                    if name == "cube_ll_coord" {
                        c.lo(i)
                    } else {
                        c.hi(i)
                    }
                }
                _ => 0.0,
            };
            Some(float8(v))
        }
        ("cube_coord", [c, n]) => {
            // `cube -> n`: the n-th stored coordinate, both corners in
            // turn (a point repeats its one corner); out of bounds is an
            // error, not reproduced.
            let c = parse(c)?;
            let n = usize::try_from(int_arg(n)?).ok()?.checked_sub(1)?;
            let dim = c.dim();
            let v = if n < dim {
                c.ll.get(n)
            } else {
                c.ur.get(n.checked_sub(dim)?)
            };
            v.map(|v| float8(*v))
        }
        ("cube_coord_llur", [c, n]) => {
            // `cube ~> n`: 2k-1 is the lower, 2k the upper bound of
            // dimension k, negated for a negative n, 0 beyond the cube.
            let c = parse(c)?;
            let n = int_arg(n)?;
            if n == 0 {
                return None;
            }
            let coord = usize::try_from(n.unsigned_abs()).ok()?;
            let v = if coord <= 2 * c.dim() {
                let index = (coord - 1) / 2;
                if c.point {
                    c.corners(index).0
                } else if (coord - 1) % 2 == 1 {
                    c.hi(index)
                } else {
                    c.lo(index)
                }
            } else {
                0.0
            };
            Some(float8(if n < 0 { -v } else { v }))
        }
        ("cube_is_point", [c]) => parse(c).map(|c| boolean(c.is_point())),
        ("cube_size", [c]) => parse(c).map(|c| float8(size(&c))),
        (
            "cube_eq" | "cube_ne" | "cube_lt" | "cube_gt" | "cube_le" | "cube_ge" | "cube_cmp",
            [a, b],
        ) => {
            let ord = compare(&parse(a)?, &parse(b)?);
            Some(match name {
                "cube_eq" => boolean(ord == Ordering::Equal),
                "cube_ne" => boolean(ord != Ordering::Equal),
                "cube_lt" => boolean(ord == Ordering::Less),
                "cube_gt" => boolean(ord == Ordering::Greater),
                "cube_le" => boolean(ord != Ordering::Greater),
                "cube_ge" => boolean(ord != Ordering::Less),
                _ => match ord {
                    Ordering::Less => "-1",
                    Ordering::Equal => "0",
                    Ordering::Greater => "1",
                }
                .to_owned(),
            })
        }
        ("cube_contains", [a, b]) => Some(boolean(contains(&parse(a)?, &parse(b)?))),
        ("cube_contained", [a, b]) => Some(boolean(contains(&parse(b)?, &parse(a)?))),
        ("cube_overlap", [a, b]) => Some(boolean(overlap(&parse(a)?, &parse(b)?))),
        ("cube_union", [a, b]) => cube(&union_or_inter(&parse(a)?, &parse(b)?, false)),
        ("cube_inter", [a, b]) => cube(&union_or_inter(&parse(a)?, &parse(b)?, true)),
        ("cube_distance", [a, b]) => Some(float8(distance(&parse(a)?, &parse(b)?, Metric::Euclid))),
        ("distance_taxicab", [a, b]) => {
            Some(float8(distance(&parse(a)?, &parse(b)?, Metric::Taxicab)))
        }
        ("distance_chebyshev", [a, b]) => {
            Some(float8(distance(&parse(a)?, &parse(b)?, Metric::Chebyshev)))
        }
        ("cube", _) => construct(args, types, settings),
        _ => None,
    }
}

/// The `cube(...)` constructors, told apart by their argument types:
/// `cube(float8)`, `cube(float8, float8)`, `cube(cube, float8)`,
/// `cube(cube, float8, float8)`, `cube(float8[])`, `cube(float8[], float8[])`.
fn construct(args: &[&str], types: &[Oid], settings: &ValueSettings) -> Option<String> {
    let kinds: Vec<Arg> = types
        .iter()
        .map(|t| match *t {
            FLOAT8 => Arg::Float,
            FLOAT8_ARRAY => Arg::Array,
            _ => Arg::Cube,
        })
        .collect();
    let cube = match (kinds.as_slice(), args) {
        ([Arg::Float], [x]) => Cube::point(vec![float_arg(x)?]),
        ([Arg::Float, Arg::Float], [x, y]) => {
            Cube::corners_box(vec![float_arg(x)?], vec![float_arg(y)?])
        }
        ([Arg::Array], [x]) => Cube::point(float_array(x)?),
        ([Arg::Array, Arg::Array], [x, y]) => {
            let (first, second) = (float_array(x)?, float_array(y)?);
            (first.len() == second.len()).then_some(())?;
            Cube::corners_box(first, second)
        }
        ([Arg::Cube, Arg::Float], [c, x]) => {
            let mut c = parse(c)?;
            let v = float_arg(x)?;
            c.ll.push(v);
            c.ur.push(v);
            c
        }
        ([Arg::Cube, Arg::Float, Arg::Float], [c, x, y]) => {
            let mut c = parse(c)?;
            let (x, y) = (float_arg(x)?, float_arg(y)?);
            c.point = c.point && x == y;
            c.ll.push(x);
            c.ur.push(y);
            c
        }
        _ => return None,
    };
    (cube.dim() <= CUBE_MAX_DIM).then(|| format(&cube, settings))
}

/// The cube functions this module evaluates.
const FUNCTIONS: &[&str] = &[
    "cube_in",
    "cube_out",
    "cube_dim",
    "cube_ll_coord",
    "cube_ur_coord",
    "cube_is_point",
    "cube_coord",
    "cube_coord_llur",
    "cube_size",
    "cube_eq",
    "cube_ne",
    "cube_lt",
    "cube_gt",
    "cube_le",
    "cube_ge",
    "cube_cmp",
    "cube_contains",
    "cube_contained",
    "cube_overlap",
    "cube_union",
    "cube_inter",
    "cube_distance",
    "distance_taxicab",
    "distance_chebyshev",
    "cube",
];

/// Evaluates the cube function `name` over non-NULL constant arguments;
/// `None` when it is not one this module knows.
pub(crate) fn call(
    name: &str,
    args: &[&str],
    types: &[Oid],
    settings: &ValueSettings,
) -> Result<Option<Evaluated<Option<String>>>> {
    if !FUNCTIONS.contains(&name) {
        return Ok(None);
    }
    Ok(Some(match evaluate(name, args, types, settings) {
        Some(v) => Evaluated::Value(Some(v)),
        None => Evaluated::NotEvaluable(format!(
            "{name} over these arguments is not evaluated (an input cube_in rejects, a result beyond {CUBE_MAX_DIM} dimensions, or NULL array elements, whose errors are not reproduced)"
        )),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(text: &str) -> Option<String> {
        parse(text).map(|c| format(&c, &ValueSettings::default()))
    }

    #[test]
    fn cube_in_spellings() {
        assert_eq!(
            canon("( 1e1 , 2.50 ),( 3 , 4 )").as_deref(),
            Some("(10, 2.5),(3, 4)")
        );
        assert_eq!(canon("1,2").as_deref(), Some("(1, 2)"));
        assert_eq!(canon("(1,1),(1,1)").as_deref(), Some("(1, 1)"));
        assert_eq!(canon("[(1),(2)]").as_deref(), Some("(1),(2)"));
        assert_eq!(canon("()").as_deref(), Some("()"));
        assert_eq!(canon("(inf)").as_deref(), Some("(Infinity)"));
        assert_eq!(
            canon("(-Infinity, NaN)").as_deref(),
            Some("(-Infinity, NaN)")
        );
        assert_eq!(canon(".5").as_deref(), Some("(0.5)"));
        assert_eq!(canon("5.").as_deref(), Some("(5)"));
        assert_eq!(canon("1e-5").as_deref(), Some("(1e-05)"));
        assert_eq!(canon("(-0),(0)").as_deref(), Some("(-0)"));
        for bad in [
            "(1),(2,3)",
            "(1)x",
            "1 e5",
            "1e400",
            "(1e-400)",
            "",
            "(1,)",
            "[(1),(2)",
        ] {
            assert_eq!(canon(bad), None, "{bad}");
        }
    }

    #[test]
    fn comparisons_follow_cube_cmp() {
        let c = |s: &str| parse(s).unwrap();
        assert_eq!(compare(&c("(1,2)"), &c("(1,2),(1,2)")), Ordering::Equal);
        assert_eq!(
            compare(&c("(0),(1)"), &c("(1,2,3),(4,5,6)")),
            Ordering::Less
        );
        assert_eq!(compare(&c("(1,0)"), &c("(1)")), Ordering::Greater);
        assert_eq!(compare(&c("(1,-1)"), &c("(1)")), Ordering::Less);
        assert!(contains(&c("(1,2,3),(4,5,6)"), &c("(2,3)")));
        assert!(!contains(&c("(0),(1)"), &c("(1,2)")));
        assert!(!overlap(&c("(0),(1)"), &c("(1,2)")));
    }
}
