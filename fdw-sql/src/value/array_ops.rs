//! Array comparison, containment and construction operators over constants.
//!
//! PostgreSQL compares array elements with the element type's default btree
//! operator class (the type cache's equality operator and comparison
//! support). Here the same operators are found in the catalog and run
//! through [`call_builtin`], so each element family keeps one evaluator;
//! an element comparison that cannot be evaluated (text ordering, whose
//! result depends on the collation, or a type without an evaluator) makes
//! the whole call not evaluable.
//!
//! Only a fixed set of built-in element types is accepted: those whose
//! comparisons were checked against PostgreSQL 15 through arrays.

use std::cmp::Ordering;

use fdw_core::Oid;

use super::array::{self, ArrayValue};
use super::builtins::{call_builtin, Call, Outcome};
use super::misc::{self, oids::*};
use super::{err, Evaluated};
use crate::error::{Result, SqlState};

/// `BTLessStrategyNumber`.
const BT_LESS: i16 = 1;
/// `BTEqualStrategyNumber`.
const BT_EQUAL: i16 = 3;

/// Evaluates `c` when it is an array operator this module knows.
pub(crate) fn call(c: &Call<'_>) -> Result<Outcome> {
    let kind = match c.name {
        "arraycontains" | "arraycontained" | "arrayoverlap" | "array_eq" | "array_ne"
        | "array_lt" | "array_gt" | "array_le" | "array_ge" | "btarraycmp" | "array_larger"
        | "array_smaller" | "array_cat"
            if c.n() == 2 =>
        {
            Kind::TwoArrays
        }
        "array_append" | "array_positions" | "array_remove" if c.n() == 2 => Kind::ArrayElem,
        "array_position" if c.n() == 2 || c.n() == 3 => Kind::ArrayElem,
        "array_replace" if c.n() == 3 => Kind::ArrayElem,
        "array_prepend" if c.n() == 2 => Kind::ElemArray,
        _ => return Ok(None),
    };
    // The element type comes from the actual array argument; every other
    // array or element argument must be of the same element type (the
    // parser's polymorphic resolution guarantees it; anything else is left
    // alone rather than guessed at).
    let array_arg = usize::from(kind == Kind::ElemArray);
    let Some(elem) = element_type(c, array_arg) else {
        return not_evaluable(format!("{}: argument is not a known array type", c.name));
    };
    let consistent = match kind {
        Kind::TwoArrays => element_type(c, 1) == Some(elem),
        Kind::ArrayElem => {
            c.actual.get(1) == Some(&elem)
                && (c.name != "array_replace" || c.actual.get(2) == Some(&elem))
        }
        Kind::ElemArray => c.actual.first() == Some(&elem),
    };
    if !consistent {
        return not_evaluable(format!("{}: arguments of different element types", c.name));
    }
    if !supported_element(elem) {
        return not_evaluable(format!(
            "{}: arrays of {} are not evaluated",
            c.name,
            c.catalog.format_type(elem)
        ));
    }
    let ops = Elems { c, elem };
    // A canonical array text always reads back; should one not, the call
    // is left unfolded rather than failing with an error PostgreSQL would
    // not raise.
    // A NULL array reads as `None`.
    let parse = |i: usize| -> Evaluated<Option<ArrayValue>> {
        match arg(c, i) {
            None => Evaluated::Value(None),
            Some(text) => match array::parse_array(c.catalog, elem, text) {
                Ok(v) => v.map(Some),
                Err(e) => Evaluated::NotEvaluable(format!("array text not readable: {e}")),
            },
        }
    };
    match kind {
        Kind::TwoArrays => {
            let (Evaluated::Value(a), Evaluated::Value(b)) = (parse(0), parse(1)) else {
                return not_evaluable("array text not readable");
            };
            match (a, b) {
                (Some(a), Some(b)) => two_arrays(&ops, &a, &b),
                // Only the non-strict array_cat sees NULLs: concatenating a
                // NULL array is a no-op (both NULL gives NULL).
                (None, _) if c.name == "array_cat" => {
                    Ok(Some(Evaluated::Value(arg(c, 1).map(str::to_owned))))
                }
                (_, None) if c.name == "array_cat" => {
                    Ok(Some(Evaluated::Value(arg(c, 0).map(str::to_owned))))
                }
                _ => not_evaluable(format!("{} with NULL arguments", c.name)),
            }
        }
        Kind::ArrayElem => {
            let Evaluated::Value(a) = parse(0) else {
                return not_evaluable("array text not readable");
            };
            match a {
                Some(a) => array_and_element(&ops, a),
                // array_append treats a NULL array as an empty one.
                None if c.name == "array_append" => array_and_element(&ops, empty()),
                // The search functions answer NULL for a NULL array.
                None => Ok(Some(Evaluated::Value(None))),
            }
        }
        Kind::ElemArray => {
            let Evaluated::Value(a) = parse(1) else {
                return not_evaluable("array text not readable");
            };
            prepend(&ops, arg(c, 0), a.unwrap_or_else(empty))
        }
    }
}

/// Argument `i`, `None` when it is NULL (only the non-strict functions see
/// NULLs: `call_builtin` answers strict ones itself).
fn arg<'a>(c: &Call<'a>, i: usize) -> Option<&'a str> {
    c.args.get(i).copied().flatten()
}

/// An empty array (what a NULL array stands for in `array_append` and
/// `array_prepend`).
fn empty() -> ArrayValue {
    ArrayValue {
        dims: Vec::new(),
        elems: Vec::new(),
    }
}

/// How a function's arguments are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `(array, array)`.
    TwoArrays,
    /// `(array, element, ...)`.
    ArrayElem,
    /// `(element, array)`.
    ElemArray,
}

/// The element types whose comparisons through arrays were checked
/// against PostgreSQL 15. Domains, enums, composites and the rest are
/// not evaluated.
fn supported_element(elem: Oid) -> bool {
    matches!(
        elem,
        INT2 | INT4
            | INT8
            | NUMERIC
            | FLOAT4
            | FLOAT8
            | TEXT
            | VARCHAR
            | BPCHAR
            | NAME
            | BOOL
            | DATE
            | TIMESTAMP
            | TIMESTAMPTZ
            | INTERVAL
            | UUID
    )
}

/// The element type of actual argument `i` when it is an array type.
fn element_type(c: &Call<'_>, i: usize) -> Option<Oid> {
    let actual = *c.actual.get(i)?;
    let elem = c.catalog.type_info(actual)?.elem;
    // Only the element type's own array type: `int2vector` and
    // `oidvector` also have an element type but another text form.
    (elem != Oid::INVALID && c.catalog.type_info(elem)?.array == actual).then_some(elem)
}

fn not_evaluable(reason: impl Into<String>) -> Result<Outcome> {
    Ok(Some(Evaluated::NotEvaluable(reason.into())))
}

fn value(s: impl Into<String>) -> Result<Outcome> {
    Ok(Some(Evaluated::Value(Some(s.into()))))
}

fn boolean(b: bool) -> Result<Outcome> {
    value(misc::bool_text(b))
}

fn format(ops: &Elems<'_, '_>, a: &ArrayValue) -> Result<Outcome> {
    Ok(Some(
        array::format_array(ops.c.catalog, ops.elem, a)?.map(Some),
    ))
}

/// Unwraps an evaluated value or returns the not-evaluable outcome.
macro_rules! ev {
    ($e:expr) => {
        match $e? {
            Evaluated::Value(v) => v,
            Evaluated::NotEvaluable(reason) => return Ok(Some(Evaluated::NotEvaluable(reason))),
        }
    };
}

/// Element comparisons by the element type's default btree operator class.
struct Elems<'c, 'a> {
    c: &'c Call<'a>,
    elem: Oid,
}

impl Elems<'_, '_> {
    /// The function behind the default btree class's operator of `strategy`.
    fn operator_function(&self, strategy: i16) -> Option<Oid> {
        let builtin = self.c.catalog.builtin();
        let class = builtin.default_btree_opclass(self.elem)?;
        let amop = builtin.amop(class.family, class.input_type, class.input_type, strategy)?;
        Some(builtin.operator(amop.operator)?.code)
    }

    fn run(&self, strategy: i16, a: &str, b: &str) -> Result<Evaluated<bool>> {
        let Some(function) = self.operator_function(strategy) else {
            return Ok(Evaluated::NotEvaluable(format!(
                "no default btree operator class for {}",
                self.c.catalog.format_type(self.elem)
            )));
        };
        let out = call_builtin(
            self.c.catalog,
            function,
            &[Some(a), Some(b)],
            &[self.elem, self.elem],
            BOOL,
            self.c.settings,
        )?;
        Ok(match out {
            Evaluated::Value(Some(v)) => Evaluated::Value(v == "t" || v == "true"),
            Evaluated::Value(None) => {
                Evaluated::NotEvaluable("element comparison returned NULL".to_owned())
            }
            Evaluated::NotEvaluable(reason) => Evaluated::NotEvaluable(reason),
        })
    }

    /// Element equality (the type cache's `eq_opr`).
    fn eq(&self, a: &str, b: &str) -> Result<Evaluated<bool>> {
        self.run(BT_EQUAL, a, b)
    }

    /// Element ordering (the btree comparison support). Equality is asked
    /// first: for a deterministic collation, text compares equal exactly
    /// when its bytes are equal, so only unequal elements need the
    /// collation-dependent `<`.
    fn cmp(&self, a: &str, b: &str) -> Result<Evaluated<Ordering>> {
        match self.eq(a, b)? {
            Evaluated::Value(true) => return Ok(Evaluated::Value(Ordering::Equal)),
            Evaluated::Value(false) => {}
            Evaluated::NotEvaluable(r) => return Ok(Evaluated::NotEvaluable(r)),
        }
        Ok(self.run(BT_LESS, a, b)?.map(|lt| {
            if lt {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        }))
    }
}

/// Functions of two arrays of the same element type.
fn two_arrays(ops: &Elems<'_, '_>, a: &ArrayValue, b: &ArrayValue) -> Result<Outcome> {
    match ops.c.name {
        // `a @> b`: every element of b is in a.
        "arraycontains" => boolean(ev!(contain_compare(ops, b, a, true))),
        "arraycontained" => boolean(ev!(contain_compare(ops, a, b, true))),
        "arrayoverlap" => boolean(ev!(contain_compare(ops, a, b, false))),
        "array_eq" => boolean(ev!(array_eq(ops, a, b))),
        "array_ne" => boolean(!ev!(array_eq(ops, a, b))),
        "array_cat" => concatenate(ops, a, b),
        name => {
            let ord = ev!(array_cmp(ops, a, b));
            match name {
                "array_lt" => boolean(ord == Ordering::Less),
                "array_gt" => boolean(ord == Ordering::Greater),
                "array_le" => boolean(ord != Ordering::Greater),
                "array_ge" => boolean(ord != Ordering::Less),
                "btarraycmp" => value(match ord {
                    Ordering::Less => "-1",
                    Ordering::Equal => "0",
                    Ordering::Greater => "1",
                }),
                "array_larger" => value(ops.c.arg(if ord == Ordering::Greater { 0 } else { 1 })?),
                "array_smaller" => value(ops.c.arg(if ord == Ordering::Less { 0 } else { 1 })?),
                _ => Ok(None),
            }
        }
    }
}

/// `array_contain_compare`: with `match_all`, whether every element of
/// `needles` equals some element of `haystack` (a NULL needle never
/// matches); otherwise whether any non-NULL needle does. Both arrays are
/// taken flat, whatever their dimensions.
fn contain_compare(
    ops: &Elems<'_, '_>,
    needles: &ArrayValue,
    haystack: &ArrayValue,
    match_all: bool,
) -> Result<Evaluated<bool>> {
    for needle in &needles.elems {
        let Some(needle) = needle else {
            if match_all {
                return Ok(Evaluated::Value(false));
            }
            continue;
        };
        let mut found = false;
        for hay in haystack.elems.iter().flatten() {
            match ops.eq(needle, hay)? {
                Evaluated::Value(true) => {
                    found = true;
                    break;
                }
                Evaluated::Value(false) => {}
                Evaluated::NotEvaluable(r) => return Ok(Evaluated::NotEvaluable(r)),
            }
        }
        if found != match_all {
            return Ok(Evaluated::Value(found));
        }
    }
    Ok(Evaluated::Value(match_all))
}

/// `array_eq`: same dimensions and lower bounds, and equal elements, two
/// NULLs counting as equal.
fn array_eq(ops: &Elems<'_, '_>, a: &ArrayValue, b: &ArrayValue) -> Result<Evaluated<bool>> {
    if a.dims != b.dims || a.elems.len() != b.elems.len() {
        return Ok(Evaluated::Value(false));
    }
    for (x, y) in a.elems.iter().zip(&b.elems) {
        match (x, y) {
            (None, None) => {}
            (Some(x), Some(y)) => match ops.eq(x, y)? {
                Evaluated::Value(true) => {}
                other => return Ok(other),
            },
            _ => return Ok(Evaluated::Value(false)),
        }
    }
    Ok(Evaluated::Value(true))
}

/// `array_cmp`: elements in order (NULL sorts after any value), then the
/// number of elements, the number of dimensions, each dimension's length
/// and each lower bound.
fn array_cmp(ops: &Elems<'_, '_>, a: &ArrayValue, b: &ArrayValue) -> Result<Evaluated<Ordering>> {
    for (x, y) in a.elems.iter().zip(&b.elems) {
        let ord = match (x, y) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(x), Some(y)) => match ops.cmp(x, y)? {
                Evaluated::Value(o) => o,
                Evaluated::NotEvaluable(r) => return Ok(Evaluated::NotEvaluable(r)),
            },
        };
        if ord != Ordering::Equal {
            return Ok(Evaluated::Value(ord));
        }
    }
    let ord = a
        .elems
        .len()
        .cmp(&b.elems.len())
        .then(a.dims.len().cmp(&b.dims.len()))
        .then_with(|| {
            let lens = |v: &ArrayValue| v.dims.iter().map(|d| d.1).collect::<Vec<_>>();
            lens(a).cmp(&lens(b))
        })
        .then_with(|| {
            let lows = |v: &ArrayValue| v.dims.iter().map(|d| d.0).collect::<Vec<_>>();
            lows(a).cmp(&lows(b))
        });
    Ok(Evaluated::Value(ord))
}

fn incompatible(detail: &str) -> crate::error::Error {
    let _ = detail;
    err(
        SqlState::ARRAY_SUBSCRIPT_ERROR,
        "cannot concatenate incompatible arrays",
    )
}

/// `array_cat`: an empty side gives the other array unchanged; arrays of
/// equal rank are joined along the first dimension (keeping the first's
/// lower bound); an array one rank lower is added as one more slice.
fn concatenate(ops: &Elems<'_, '_>, a: &ArrayValue, b: &ArrayValue) -> Result<Outcome> {
    if a.dims.is_empty() {
        return value(ops.c.arg(1)?);
    }
    if b.dims.is_empty() {
        return value(ops.c.arg(0)?);
    }
    let (na, nb) = (a.dims.len(), b.dims.len());
    let mut dims = if na == nb {
        if a.dims.get(1..) != b.dims.get(1..) {
            return Err(incompatible(
                "Arrays with differing element dimensions are not compatible for concatenation.",
            ));
        }
        let mut dims = a.dims.clone();
        if let (Some(first), Some(other)) = (dims.first_mut(), b.dims.first()) {
            first.1 += other.1;
        }
        dims
    } else if na + 1 == nb {
        // a becomes the first slice of b; b's lower bounds are kept.
        if b.dims.get(1..) != Some(a.dims.as_slice()) {
            return Err(incompatible(
                "Arrays with differing dimensions are not compatible for concatenation.",
            ));
        }
        b.dims.clone()
    } else if na == nb + 1 {
        if a.dims.get(1..) != Some(b.dims.as_slice()) {
            return Err(incompatible(
                "Arrays with differing dimensions are not compatible for concatenation.",
            ));
        }
        a.dims.clone()
    } else {
        return Err(incompatible("Arrays of different ranks"));
    };
    if na != nb {
        if let Some(first) = dims.first_mut() {
            first.1 += 1;
        }
    }
    if !fits_i32(&dims) {
        return not_evaluable("array bounds out of the int4 range");
    }
    let mut elems = a.elems.clone();
    elems.extend(b.elems.iter().cloned());
    format(ops, &ArrayValue { dims, elems })
}

/// Whether every upper bound fits PostgreSQL's int4 subscripts (beyond
/// that PostgreSQL raises errors we do not reproduce).
fn fits_i32(dims: &[(i64, usize)]) -> bool {
    dims.iter().all(|&(lo, len)| {
        i64::try_from(len)
            .ok()
            .and_then(|l| lo.checked_add(l))
            .is_some_and(|end| i32::try_from(lo).is_ok() && i32::try_from(end - 1).is_ok())
    })
}

/// `array_prepend(element, array)`: the element goes first; the result
/// keeps the array's lower bound.
fn prepend(ops: &Elems<'_, '_>, element: Option<&str>, a: ArrayValue) -> Result<Outcome> {
    let dims = match a.dims.as_slice() {
        [] => vec![(1, 1)],
        [(lo, len)] => vec![(*lo, len + 1)],
        _ => {
            return Err(err(
                SqlState::DATA_EXCEPTION,
                "argument must be empty or one-dimensional array",
            ))
        }
    };
    // PostgreSQL computes the new first subscript (lower bound - 1) with
    // an overflow check; stay away from that edge.
    if !fits_i32(&dims) || dims.first().is_some_and(|d| d.0 <= i64::from(i32::MIN)) {
        return not_evaluable("array bounds out of the int4 range");
    }
    let mut elems = Vec::with_capacity(a.elems.len() + 1);
    elems.push(element.map(str::to_owned));
    elems.extend(a.elems);
    format(ops, &ArrayValue { dims, elems })
}

/// Functions of an array and an element: `array_append`,
/// `array_position(s)`, `array_remove`, `array_replace`.
fn array_and_element(ops: &Elems<'_, '_>, a: ArrayValue) -> Result<Outcome> {
    let c = ops.c;
    // The searched (or appended) element; NULL searches for NULL elements.
    let element = arg(c, 1);
    match c.name {
        "array_append" => {
            let dims = match a.dims.as_slice() {
                [] => vec![(1, 1)],
                [(lo, len)] => vec![(*lo, len + 1)],
                _ => {
                    return Err(err(
                        SqlState::DATA_EXCEPTION,
                        "argument must be empty or one-dimensional array",
                    ))
                }
            };
            if !fits_i32(&dims) {
                return not_evaluable("array bounds out of the int4 range");
            }
            let mut elems = a.elems;
            elems.push(element.map(str::to_owned));
            format(ops, &ArrayValue { dims, elems })
        }
        "array_position" | "array_positions" => {
            if a.dims.len() > 1 {
                return Err(err(
                    SqlState::FEATURE_NOT_SUPPORTED,
                    "searching for elements in multidimensional arrays is not supported",
                ));
            }
            // An empty array, or a NULL search in an array without NULLs,
            // finds nothing before the start position is looked at.
            if a.dims.is_empty() || (element.is_none() && a.elems.iter().all(Option::is_some)) {
                return if c.name == "array_position" {
                    Ok(Some(Evaluated::Value(None)))
                } else {
                    value("{}")
                };
            }
            let lower = a.dims.first().map_or(1, |d| d.0);
            let start = if c.n() == 3 {
                let Some(text) = arg(c, 2) else {
                    return Err(err(SqlState("22004"), "initial position must not be null"));
                };
                let Ok(v) = text.parse::<i64>() else {
                    return not_evaluable("array_position: unreadable start position");
                };
                v
            } else {
                lower
            };
            let mut found = Vec::new();
            for (subscript, item) in (lower..).zip(&a.elems) {
                if subscript < start {
                    continue;
                }
                let hit = match (element, item) {
                    (None, None) => true,
                    (None, Some(_)) | (Some(_), None) => false,
                    // PostgreSQL calls the equality as (searched, element).
                    (Some(e), Some(item)) => ev!(ops.eq(e, item)),
                };
                if hit {
                    found.push(subscript);
                    if c.name == "array_position" {
                        break;
                    }
                }
            }
            if c.name == "array_position" {
                return Ok(Some(Evaluated::Value(found.first().map(i64::to_string))));
            }
            let dims = if found.is_empty() {
                Vec::new()
            } else {
                vec![(1, found.len())]
            };
            let positions = ArrayValue {
                dims,
                elems: found.iter().map(|p| Some(p.to_string())).collect(),
            };
            Ok(Some(
                array::format_array(c.catalog, INT4, &positions)?.map(Some),
            ))
        }
        "array_remove" | "array_replace" => {
            if a.dims.is_empty() {
                return Ok(Some(Evaluated::Value(arg(c, 0).map(str::to_owned))));
            }
            let remove = c.name == "array_remove";
            if remove && a.dims.len() > 1 {
                return Err(err(
                    SqlState::FEATURE_NOT_SUPPORTED,
                    "removing elements from multidimensional arrays is not supported",
                ));
            }
            let replacement = arg(c, 2);
            let mut elems = Vec::with_capacity(a.elems.len());
            for item in a.elems {
                // A NULL element matches exactly a NULL search value.
                let matched = match (&item, element) {
                    (None, None) => true,
                    (None, Some(_)) | (Some(_), None) => false,
                    (Some(v), Some(e)) => ev!(ops.eq(v, e)),
                };
                match (matched, remove) {
                    (false, _) => elems.push(item),
                    (true, false) => elems.push(replacement.map(str::to_owned)),
                    (true, true) => {}
                }
            }
            let mut dims = a.dims;
            if remove {
                if elems.is_empty() {
                    dims = Vec::new();
                } else if let Some(first) = dims.first_mut() {
                    first.1 = elems.len();
                }
            }
            format(ops, &ArrayValue { dims, elems })
        }
        _ => Ok(None),
    }
}
