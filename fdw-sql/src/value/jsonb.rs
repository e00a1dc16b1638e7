//! The `jsonb` operators and functions over constants.
//!
//! Values arrive in `jsonb_out` form and are parsed into [`Json`] trees
//! (object keys already unique and in jsonb's storage order: by length,
//! then bytes). A top-level scalar is what PostgreSQL calls a "raw scalar":
//! stored as a one-element array with a flag, which shows in several
//! places (`-> 0` finds it, `@>` lets an array contain it, the btree order
//! compares it as an array of one), so each function below treats it as
//! PostgreSQL 15 does rather than as a plain scalar.
//!
//! The btree order compares strings (keys too) with the database's default
//! collation, which is not known here: an ordering decided by two
//! different strings is answered "not evaluable". Equality does not need
//! it (the default collation is deterministic, so only equal bytes
//! compare equal).

use std::cmp::Ordering;

use fdw_core::Oid;

use super::array;
use super::builtins::{Call, Outcome};
use super::misc::json::{self, Json};
use super::misc::oids::{INT4, JSONB, TEXT};
use super::numeric;
use super::{err, Evaluated};
use crate::error::{Result, SqlState};

/// `text[]`.
const TEXT_ARRAY: Oid = Oid(1009);

/// Evaluates `c` when it is a `jsonb` function this module knows.
pub(crate) fn call(c: &Call<'_>) -> Result<Outcome> {
    if !c.name.starts_with("jsonb_") || c.ty(0) != JSONB {
        return Ok(None);
    }
    let sig = |types: &[Oid]| c.n() == types.len() && (0..c.n()).all(|i| c.ty(i) == types[i]);
    match c.name {
        "jsonb_exists" if sig(&[JSONB, TEXT]) => boolean(exists(&doc(c.arg(0)?)?, c.arg(1)?)),
        "jsonb_exists_any" | "jsonb_exists_all" if sig(&[JSONB, TEXT_ARRAY]) => {
            let d = doc(c.arg(0)?)?;
            let Some(keys) = text_array(c, 1)? else {
                return Ok(None);
            };
            // NULL keys are skipped, as PostgreSQL does.
            let mut present = keys.iter().flatten().map(|k| exists(&d, k));
            if c.name == "jsonb_exists_any" {
                boolean(present.any(|b| b))
            } else {
                boolean(present.all(|b| b))
            }
        }
        "jsonb_contains" if sig(&[JSONB, JSONB]) => {
            boolean(contains_top(&doc(c.arg(0)?)?, &doc(c.arg(1)?)?)?)
        }
        "jsonb_contained" if sig(&[JSONB, JSONB]) => {
            boolean(contains_top(&doc(c.arg(1)?)?, &doc(c.arg(0)?)?)?)
        }
        "jsonb_object_field" | "jsonb_object_field_text" if sig(&[JSONB, TEXT]) => {
            let d = doc(c.arg(0)?)?;
            let key = c.arg(1)?;
            let found = match &d {
                Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
                _ => None,
            };
            extracted(found, c.name == "jsonb_object_field_text")
        }
        "jsonb_array_element" | "jsonb_array_element_text" if sig(&[JSONB, INT4]) => {
            let d = doc(c.arg(0)?)?;
            let index = int_arg(c, 1)?;
            let found = match &d {
                Json::Object(_) => None,
                Json::Array(items) => nth(items, index),
                // A raw scalar is an array of one here.
                scalar => nth(std::slice::from_ref(scalar), index),
            };
            extracted(found, c.name == "jsonb_array_element_text")
        }
        "jsonb_extract_path" | "jsonb_extract_path_text" if sig(&[JSONB, TEXT_ARRAY]) => {
            let d = doc(c.arg(0)?)?;
            let Some(path) = text_array(c, 1)? else {
                return Ok(None);
            };
            let as_text = c.name == "jsonb_extract_path_text";
            // A NULL anywhere in the path gives NULL.
            let Some(path) = path.into_iter().collect::<Option<Vec<String>>>() else {
                return sql_null();
            };
            if path.is_empty() && matches!(d, Json::Object(_) | Json::Array(_)) {
                return jsonb_value(&d, as_text);
            }
            extracted(extract_path(&d, &path), as_text)
        }
        "jsonb_concat" if sig(&[JSONB, JSONB]) => {
            jsonb_value(&concat(doc(c.arg(0)?)?, doc(c.arg(1)?)?)?, false)
        }
        "jsonb_eq" | "jsonb_ne" | "jsonb_lt" | "jsonb_gt" | "jsonb_le" | "jsonb_ge"
        | "jsonb_cmp"
            if sig(&[JSONB, JSONB]) =>
        {
            compare_call(
                c.name,
                &doc(c.arg(0)?)?,
                &doc(c.arg(1)?)?,
                default_collation_is_c(c),
            )
        }
        "jsonb_typeof" if sig(&[JSONB]) => {
            let name = match doc(c.arg(0)?)? {
                Json::Object(_) => "object",
                Json::Array(_) => "array",
                Json::String(_) => "string",
                Json::Number(_) => "number",
                Json::Bool(_) => "boolean",
                Json::Null => "null",
            };
            value(name)
        }
        "jsonb_array_length" if sig(&[JSONB]) => match doc(c.arg(0)?)? {
            Json::Array(items) => value(items.len().to_string()),
            Json::Object(_) => Err(err(
                SqlState::INVALID_PARAMETER_VALUE,
                "cannot get array length of a non-array",
            )),
            _ => Err(err(
                SqlState::INVALID_PARAMETER_VALUE,
                "cannot get array length of a scalar",
            )),
        },
        "jsonb_delete" if sig(&[JSONB, TEXT]) => {
            let key = c.arg(1)?;
            let out = delete_keys(doc(c.arg(0)?)?, |k| k == key)?;
            jsonb_value(&out, false)
        }
        "jsonb_delete" if sig(&[JSONB, TEXT_ARRAY]) => {
            let d = doc(c.arg(0)?)?;
            let Some(keys) = text_array(c, 1)? else {
                return Ok(None);
            };
            let keys: Vec<String> = keys.into_iter().flatten().collect();
            let out = delete_keys(d, |k| keys.iter().any(|x| x == k))?;
            jsonb_value(&out, false)
        }
        "jsonb_delete" if sig(&[JSONB, INT4]) => {
            let index = int_arg(c, 1)?;
            jsonb_value(&delete_index(doc(c.arg(0)?)?, index)?, false)
        }
        _ => Ok(None),
    }
}

// ----- results and arguments ----------------------------------------------

fn value(s: impl Into<String>) -> Result<Outcome> {
    Ok(Some(Evaluated::Value(Some(s.into()))))
}

fn sql_null() -> Result<Outcome> {
    Ok(Some(Evaluated::Value(None)))
}

fn boolean(b: bool) -> Result<Outcome> {
    value(if b { "t" } else { "f" })
}

/// A `jsonb` argument: `jsonb_in` of its canonical text.
fn doc(s: &str) -> Result<Json> {
    json::normalize(json::parse(s)?)
}

fn int_arg(c: &Call<'_>, i: usize) -> Result<i64> {
    c.arg(i)?.trim().parse::<i64>().map_err(|_| {
        crate::error::Error::Internal(format!("{}: argument {i} is not an integer", c.name))
    })
}

/// The elements of a `text[]` argument (`None` when the array cannot be read).
fn text_array(c: &Call<'_>, i: usize) -> Result<Option<Vec<Option<String>>>> {
    Ok(
        match array::parse_array_elements(c.catalog, TEXT, c.arg(i)?)? {
            Evaluated::Value(elems) => Some(elems),
            Evaluated::NotEvaluable(_) => None,
        },
    )
}

/// A value as `jsonb` (`jsonb_out`), or as `text` the way `->>` and `#>>`
/// give it: strings without quotes, JSON null as SQL NULL.
fn jsonb_value(v: &Json, as_text: bool) -> Result<Outcome> {
    if as_text {
        match v {
            Json::Null => return sql_null(),
            Json::String(s) => return value(s.clone()),
            _ => {}
        }
    }
    let mut out = String::new();
    json::write_jsonb(v, &mut out);
    value(out)
}

/// The result of an extraction: SQL NULL when nothing was found.
fn extracted(found: Option<&Json>, as_text: bool) -> Result<Outcome> {
    match found {
        Some(v) => jsonb_value(v, as_text),
        None => sql_null(),
    }
}

// ----- lookups --------------------------------------------------------------

/// `?`: a key of a top-level object, or a string element of a top-level
/// array (a raw string scalar counts as such an array).
fn exists(d: &Json, key: &str) -> bool {
    match d {
        Json::Object(members) => members.iter().any(|(k, _)| k == key),
        Json::Array(items) => items
            .iter()
            .any(|v| matches!(v, Json::String(s) if s == key)),
        Json::String(s) => s == key,
        Json::Null | Json::Bool(_) | Json::Number(_) => false,
    }
}

/// Element `index` of an array, negative indexes counting from the end.
fn nth(items: &[Json], index: i64) -> Option<&Json> {
    let n = i64::try_from(items.len()).ok()?;
    let i = if index < 0 { index + n } else { index };
    usize::try_from(i).ok().and_then(|i| items.get(i))
}

/// `strtoint` as the path walk uses it: optional leading white space and
/// sign, digits, nothing after, within `int4`.
fn path_index(s: &str) -> Option<i64> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let v = t.parse::<i64>().ok()?;
    i32::try_from(v).ok().map(i64::from)
}

/// `#>` with a non-empty path, or an empty one over a raw scalar.
fn extract_path<'a>(d: &'a Json, path: &[String]) -> Option<&'a Json> {
    // A raw scalar is not walked into: any step from it finds nothing.
    let mut cur = d;
    if path.is_empty() {
        return Some(d);
    }
    if !matches!(d, Json::Object(_) | Json::Array(_)) {
        return None;
    }
    for step in path {
        cur = match cur {
            Json::Object(members) => members.iter().find(|(k, _)| k == step).map(|(_, v)| v)?,
            Json::Array(items) => {
                let index = path_index(step)?;
                if index == i64::from(i32::MIN) {
                    return None;
                }
                nth(items, index)?
            }
            Json::Null | Json::Bool(_) | Json::Number(_) | Json::String(_) => return None,
        };
    }
    Some(cur)
}

// ----- containment ----------------------------------------------------------

fn is_scalar(v: &Json) -> bool {
    !matches!(v, Json::Object(_) | Json::Array(_))
}

/// Equality of two scalars of the same type (numbers numerically).
fn scalar_eq(a: &Json, b: &Json) -> Result<bool> {
    Ok(match (a, b) {
        (Json::Null, Json::Null) => true,
        (Json::Bool(x), Json::Bool(y)) => x == y,
        (Json::String(x), Json::String(y)) => x == y,
        (Json::Number(x), Json::Number(y)) => num_cmp(x, y)? == Ordering::Equal,
        _ => false,
    })
}

fn num_cmp(a: &str, b: &str) -> Result<Ordering> {
    Ok(numeric::parse(a)?.cmp_total(&numeric::parse(b)?))
}

/// `@>` on whole values: an object only contains objects; an array (or a
/// raw scalar, an array of one) contains arrays and raw scalars, but a raw
/// scalar never contains a real array.
fn contains_top(a: &Json, b: &Json) -> Result<bool> {
    match (a, b) {
        (Json::Object(x), Json::Object(y)) => contains_object(x, y),
        (Json::Object(_), _) | (_, Json::Object(_)) => Ok(false),
        (Json::Array(x), Json::Array(y)) => contains_array(x, y),
        (Json::Array(x), scalar) => contains_array(x, std::slice::from_ref(scalar)),
        (_, Json::Array(_)) => Ok(false),
        (x, y) => contains_array(std::slice::from_ref(x), std::slice::from_ref(y)),
    }
}

/// Containment of nested containers: kinds must match.
fn contains_nested(a: &Json, b: &Json) -> Result<bool> {
    match (a, b) {
        (Json::Object(x), Json::Object(y)) => contains_object(x, y),
        (Json::Array(x), Json::Array(y)) => contains_array(x, y),
        _ => Ok(false),
    }
}

fn contains_object(a: &[(String, Json)], b: &[(String, Json)]) -> Result<bool> {
    for (key, want) in b {
        let Some((_, have)) = a.iter().find(|(k, _)| k == key) else {
            return Ok(false);
        };
        let ok = match (is_scalar(have), is_scalar(want)) {
            (true, true) => same_kind(have, want) && scalar_eq(have, want)?,
            (false, false) => contains_nested(have, want)?,
            _ => false,
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Every element of `b` is in `a`: a scalar as an equal scalar, a
/// container as a container element that contains it (duplicates and
/// order do not matter).
fn contains_array(a: &[Json], b: &[Json]) -> Result<bool> {
    for want in b {
        let mut found = false;
        for have in a {
            let hit = if is_scalar(want) {
                is_scalar(have) && same_kind(have, want) && scalar_eq(have, want)?
            } else {
                !is_scalar(have) && contains_nested(have, want)?
            };
            if hit {
                found = true;
                break;
            }
        }
        if !found {
            return Ok(false);
        }
    }
    Ok(true)
}

fn same_kind(a: &Json, b: &Json) -> bool {
    rank(a) == rank(b)
}

// ----- concatenation and deletion ---------------------------------------------

/// `||`: two objects merge (the right one wins on equal keys); anything
/// else concatenates as arrays, an object or scalar counting as one element.
fn concat(a: Json, b: Json) -> Result<Json> {
    let as_items = |v: Json| match v {
        Json::Array(items) => items,
        other => vec![other],
    };
    match (a, b) {
        (Json::Object(mut x), Json::Object(y)) => {
            x.extend(y);
            // normalize keeps the last of equal keys and restores key order.
            json::normalize(Json::Object(x))
        }
        (a, b) => {
            let mut items = as_items(a);
            items.extend(as_items(b));
            Ok(Json::Array(items))
        }
    }
}

fn cannot_delete_from_scalar() -> crate::error::Error {
    err(
        SqlState::INVALID_PARAMETER_VALUE,
        "cannot delete from scalar",
    )
}

/// `- text` / `- text[]`: drops matching keys of an object or matching
/// string elements of an array (top level only).
fn delete_keys(d: Json, matches: impl Fn(&str) -> bool) -> Result<Json> {
    match d {
        Json::Object(members) => Ok(Json::Object(
            members.into_iter().filter(|(k, _)| !matches(k)).collect(),
        )),
        Json::Array(items) => Ok(Json::Array(
            items
                .into_iter()
                .filter(|v| !matches!(v, Json::String(s) if matches(s)))
                .collect(),
        )),
        Json::Null | Json::Bool(_) | Json::Number(_) | Json::String(_) => {
            Err(cannot_delete_from_scalar())
        }
    }
}

/// `- int`: drops one array element, negative indexes counting from the
/// end; an index out of range leaves the array as it is.
fn delete_index(d: Json, index: i64) -> Result<Json> {
    match d {
        Json::Object(_) => Err(err(
            SqlState::INVALID_PARAMETER_VALUE,
            "cannot delete from object using integer index",
        )),
        Json::Array(mut items) => {
            let n = i64::try_from(items.len()).unwrap_or(i64::MAX);
            let i = if index < 0 { index + n } else { index };
            if let Some(i) = usize::try_from(i).ok().filter(|&i| i < items.len()) {
                items.remove(i);
            }
            Ok(Json::Array(items))
        }
        Json::Null | Json::Bool(_) | Json::Number(_) | Json::String(_) => {
            Err(cannot_delete_from_scalar())
        }
    }
}

/// Whether the database's default collation orders like `C` (jsonb's
/// btree order always uses the default collation, never the expression's).
fn default_collation_is_c(c: &Call<'_>) -> bool {
    c.settings.default_collation_is_c
}

// ----- the btree order ----------------------------------------------------------

/// The outcome of a comparison: an order, or "two different strings
/// decide it", whose sign depends on the unknown default collation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    Known(Ordering),
    /// Two different strings decide: their order under `C` (bytes), and
    /// whether one is a prefix of the other (then `varstr_cmp` answers
    /// ±1 under `C`; otherwise `memcmp`'s value, whose magnitude is the C
    /// library's).
    StringsDiffer {
        bytewise: Ordering,
        prefix: bool,
    },
}

/// The type order of `JsonbValue`: null < string < number < boolean <
/// array < object.
fn rank(v: &Json) -> u8 {
    match v {
        Json::Null => 0,
        Json::String(_) => 1,
        Json::Number(_) => 2,
        Json::Bool(_) => 3,
        Json::Array(_) => 0x10,
        Json::Object(_) => 0x11,
    }
}

fn str_cmp(a: &str, b: &str) -> Cmp {
    if a == b {
        return Cmp::Known(Ordering::Equal);
    }
    let common = a.len().min(b.len());
    Cmp::StringsDiffer {
        bytewise: a.as_bytes().cmp(b.as_bytes()),
        prefix: a.as_bytes().get(..common) == b.as_bytes().get(..common),
    }
}

/// Compares element after element, stopping at the first difference.
fn cmp_seq<'a>(
    pairs: impl Iterator<Item = (&'a Json, &'a Json)>,
    keys: impl Iterator<Item = (&'a str, &'a str)>,
) -> Result<Cmp> {
    let mut keys = keys;
    for (x, y) in pairs {
        if let Some((kx, ky)) = keys.next() {
            let c = str_cmp(kx, ky);
            if c != Cmp::Known(Ordering::Equal) {
                return Ok(c);
            }
        }
        let c = cmp_nested(x, y)?;
        if c != Cmp::Known(Ordering::Equal) {
            return Ok(c);
        }
    }
    Ok(Cmp::Known(Ordering::Equal))
}

/// Two nested values: the type order first, then sizes of containers
/// (elements or pairs), then contents in storage order (an object's key,
/// its value, the next key, ...).
fn cmp_nested(a: &Json, b: &Json) -> Result<Cmp> {
    if rank(a) != rank(b) {
        return Ok(Cmp::Known(rank(a).cmp(&rank(b))));
    }
    Ok(match (a, b) {
        (Json::Null, Json::Null) => Cmp::Known(Ordering::Equal),
        (Json::Bool(x), Json::Bool(y)) => Cmp::Known(x.cmp(y)),
        (Json::Number(x), Json::Number(y)) => Cmp::Known(num_cmp(x, y)?),
        (Json::String(x), Json::String(y)) => str_cmp(x, y),
        (Json::Array(x), Json::Array(y)) => {
            if x.len() != y.len() {
                return Ok(Cmp::Known(x.len().cmp(&y.len())));
            }
            cmp_seq(x.iter().zip(y.iter()), std::iter::empty())?
        }
        (Json::Object(x), Json::Object(y)) => {
            if x.len() != y.len() {
                return Ok(Cmp::Known(x.len().cmp(&y.len())));
            }
            cmp_seq(
                x.iter().zip(y.iter()).map(|((_, v), (_, w))| (v, w)),
                x.iter()
                    .zip(y.iter())
                    .map(|((k, _), (l, _))| (k.as_str(), l.as_str())),
            )?
        }
        // Equal ranks mean equal kinds; this arm is not reached.
        _ => Cmp::Known(rank(a).cmp(&rank(b))),
    })
}

/// `compareJsonbContainers` on whole values. A raw scalar is an array of
/// one flagged as scalar: against a real array the flag decides (the
/// scalar first) unless the element counts differ, which then decide, so
/// `'1' > '[]'` but `'1' < '[1]'`.
fn cmp_top(a: &Json, b: &Json) -> Result<Cmp> {
    let view = |v: &Json| -> Option<(bool, usize)> {
        match v {
            Json::Object(_) => None,
            Json::Array(items) => Some((false, items.len())),
            _ => Some((true, 1)),
        }
    };
    match (view(a), view(b)) {
        (Some((raw_a, n_a)), Some((raw_b, n_b))) => {
            let mut res = Ordering::Equal;
            if raw_a != raw_b {
                res = if raw_a {
                    Ordering::Less
                } else {
                    Ordering::Greater
                };
            }
            if n_a != n_b {
                res = n_a.cmp(&n_b);
            }
            if res != Ordering::Equal {
                return Ok(Cmp::Known(res));
            }
            let items = |v: &'_ Json| -> Vec<Json> {
                match v {
                    Json::Array(items) => items.clone(),
                    other => vec![other.clone()],
                }
            };
            let (x, y) = (items(a), items(b));
            cmp_seq(x.iter().zip(y.iter()), std::iter::empty())
        }
        // An object against a (pseudo) array: the type order.
        (None, Some(_)) => Ok(Cmp::Known(Ordering::Greater)),
        (Some(_), None) => Ok(Cmp::Known(Ordering::Less)),
        (None, None) => cmp_nested(a, b),
    }
}

/// The btree comparison functions. Strings (keys too) compare under the
/// database's default collation whatever the expression's collation is.
fn compare_call(name: &str, a: &Json, b: &Json, default_collation_is_c: bool) -> Result<Outcome> {
    let o = match cmp_top(a, b)? {
        Cmp::Known(o) => o,
        // The default collation is deterministic: different strings are
        // never equal, whatever their order.
        Cmp::StringsDiffer { .. } if name == "jsonb_eq" => return boolean(false),
        Cmp::StringsDiffer { .. } if name == "jsonb_ne" => return boolean(true),
        Cmp::StringsDiffer { bytewise, prefix } if default_collation_is_c => {
            if name == "jsonb_cmp" && !prefix {
                return Ok(Some(Evaluated::NotEvaluable(
                    "jsonb_cmp returns memcmp's value for strings that differ in a byte, \
                     whose magnitude is the C library's"
                        .to_owned(),
                )));
            }
            bytewise
        }
        Cmp::StringsDiffer { .. } => {
            return Ok(Some(Evaluated::NotEvaluable(format!(
                "{name} is decided by comparing two strings under the default collation, \
                 whose rules are known only for C and POSIX"
            ))))
        }
    };
    match name {
        "jsonb_eq" => boolean(o == Ordering::Equal),
        "jsonb_ne" => boolean(o != Ordering::Equal),
        "jsonb_lt" => boolean(o == Ordering::Less),
        "jsonb_gt" => boolean(o == Ordering::Greater),
        "jsonb_le" => boolean(o != Ordering::Greater),
        "jsonb_ge" => boolean(o != Ordering::Less),
        _ => value(match o {
            Ordering::Less => "-1",
            Ordering::Equal => "0",
            Ordering::Greater => "1",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(s: &str) -> Json {
        doc(s).unwrap()
    }

    fn answer(out: Outcome) -> Option<String> {
        match out {
            Some(Evaluated::Value(v)) => v,
            other => panic!("expected a value, got {other:?}"),
        }
    }

    #[test]
    fn string_orderings_need_a_c_default_collation() {
        let (a, b) = (j(r#"{"k": "a"}"#), j(r#"{"k": "b"}"#));
        // Equality never depends on the collation.
        assert_eq!(
            answer(compare_call("jsonb_eq", &a, &b, false).unwrap()),
            Some("f".to_owned())
        );
        assert_eq!(
            answer(compare_call("jsonb_ne", &a, &b, false).unwrap()),
            Some("t".to_owned())
        );
        assert!(matches!(
            compare_call("jsonb_lt", &a, &b, false).unwrap(),
            Some(Evaluated::NotEvaluable(_))
        ));
        assert_eq!(
            answer(compare_call("jsonb_lt", &a, &b, true).unwrap()),
            Some("t".to_owned())
        );
        // jsonb_cmp gives memcmp's value when a byte differs: refused.
        assert!(matches!(
            compare_call("jsonb_cmp", &j(r#""abc""#), &j(r#""abz""#), true).unwrap(),
            Some(Evaluated::NotEvaluable(_))
        ));
        assert_eq!(
            answer(compare_call("jsonb_cmp", &j(r#""ab""#), &j(r#""abc""#), true).unwrap()),
            Some("-1".to_owned())
        );
    }

    #[test]
    fn raw_scalars_against_arrays() {
        // The element count overrides the raw-scalar flag.
        assert_eq!(
            cmp_top(&j("1"), &j("[]")).unwrap(),
            Cmp::Known(Ordering::Greater)
        );
        assert_eq!(
            cmp_top(&j("1"), &j("[1]")).unwrap(),
            Cmp::Known(Ordering::Less)
        );
        assert!(contains_top(&j("[1, 2]"), &j("1")).unwrap());
        assert!(!contains_top(&j("1"), &j("[1]")).unwrap());
        assert!(contains_top(&j(r#"{"a": 1.0}"#), &j(r#"{"a": 1}"#)).unwrap());
    }
}
