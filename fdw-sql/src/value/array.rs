//! Arrays: `array_in` / `array_out` text forms over any element type this
//! module can read, and the array constructor of `ARRAY[...]`.

use fdw_catalog::catalog::Catalog;
use fdw_core::expr::Const;
use fdw_core::{Oid, TypMod};

use super::{err, misc, Evaluated, ValueSettings};
use crate::error::{Error, Result, SqlState};

/// An array value: dimensions (lower bound, length) and the elements in
/// row-major order, each in its element type's canonical text (`None` is NULL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ArrayValue {
    /// Per dimension: lower bound and length. Empty for an empty array.
    pub(crate) dims: Vec<(i64, usize)>,
    /// The elements.
    pub(crate) elems: Vec<Option<String>>,
}

fn malformed(text: &str, detail: &str) -> Error {
    let _ = detail;
    err(
        SqlState::INVALID_TEXT_REPRESENTATION,
        format!("malformed array literal: \"{text}\""),
    )
}

/// The element delimiter of a type (`,` except for `box`).
fn delimiter(catalog: &Catalog, elem: Oid) -> char {
    catalog.type_info(elem).map_or(',', |t| t.delim)
}

/// Parses array text into raw (unconverted) element strings.
/// Dimensions and raw elements of an array literal.
type RawArray = (Vec<(i64, usize)>, Vec<Option<String>>);

fn parse_raw(text: &str, delim: char) -> Result<RawArray> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < chars.len() && chars[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    skip_ws(&mut i);
    // Optional explicit dimensions: [1:3][2:4]=
    let mut explicit: Vec<(i64, i64)> = Vec::new();
    while i < chars.len() && chars[i] == '[' {
        let close = chars[i..]
            .iter()
            .position(|&c| c == ']')
            .ok_or_else(|| malformed(text, ""))?;
        let inner: String = chars[i + 1..i + close].iter().collect();
        let (lo, hi) = match inner.split_once(':') {
            Some((a, b)) => (a.trim().parse::<i64>(), b.trim().parse::<i64>()),
            None => (Ok(1), inner.trim().parse::<i64>()),
        };
        let (Ok(lo), Ok(hi)) = (lo, hi) else {
            return Err(malformed(text, ""));
        };
        if hi < lo {
            return Err(err(
                SqlState::ARRAY_SUBSCRIPT_ERROR,
                "upper bound cannot be less than lower bound",
            ));
        }
        explicit.push((lo, hi));
        i += close + 1;
        skip_ws(&mut i);
    }
    if !explicit.is_empty() {
        if chars.get(i) != Some(&'=') {
            return Err(malformed(text, ""));
        }
        i += 1;
        skip_ws(&mut i);
    }
    if chars.get(i) != Some(&'{') {
        return Err(malformed(text, ""));
    }
    // Walk the braces, recording the length of each dimension.
    let mut elems: Vec<Option<String>> = Vec::new();
    let mut lens: Vec<Option<usize>> = Vec::new();
    let mut counts: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut ndim: Option<usize> = None;
    let mut expect_elem = true;
    loop {
        skip_ws(&mut i);
        let Some(&c) = chars.get(i) else {
            return Err(malformed(text, ""));
        };
        if c == '{' {
            depth += 1;
            if depth > 6 {
                return Err(err(
                    SqlState("54000"),
                    "number of array dimensions (7) exceeds the maximum allowed (6)",
                ));
            }
            if lens.len() < depth {
                lens.push(None);
            }
            if counts.len() < depth {
                counts.push(0);
            }
            counts[depth - 1] = 0;
            i += 1;
            expect_elem = true;
            continue;
        }
        if c == '}' {
            if depth == 0 {
                return Err(malformed(text, ""));
            }
            let n = counts[depth - 1];
            match ndim {
                None => ndim = Some(depth),
                Some(d) if d != depth && n > 0 && depth > d => return Err(malformed(text, "")),
                _ => {}
            }
            match lens[depth - 1] {
                None => lens[depth - 1] = Some(n),
                Some(l) if l != n => {
                    return Err(err(
                        SqlState::INVALID_TEXT_REPRESENTATION,
                        format!("malformed array literal: \"{text}\""),
                    ))
                }
                _ => {}
            }
            depth -= 1;
            i += 1;
            if depth == 0 {
                break;
            }
            counts[depth - 1] += 1;
            skip_ws(&mut i);
            if chars.get(i) == Some(&delim) {
                i += 1;
                expect_elem = true;
            } else {
                expect_elem = false;
            }
            continue;
        }
        if !expect_elem {
            return Err(malformed(text, ""));
        }
        // An element at this depth.
        let mut value = String::new();
        let mut quoted = false;
        let mut any = false;
        if c == '"' {
            quoted = true;
            i += 1;
            loop {
                let Some(&d) = chars.get(i) else {
                    return Err(malformed(text, ""));
                };
                i += 1;
                match d {
                    '"' => break,
                    '\\' => {
                        let Some(&e) = chars.get(i) else {
                            return Err(malformed(text, ""));
                        };
                        value.push(e);
                        i += 1;
                    }
                    d => value.push(d),
                }
            }
        } else {
            let mut trailing_ws = String::new();
            while let Some(&d) = chars.get(i) {
                if d == delim || d == '}' || d == '{' || d == '"' {
                    break;
                }
                i += 1;
                if d == '\\' {
                    let Some(&e) = chars.get(i) else {
                        return Err(malformed(text, ""));
                    };
                    value.push_str(&trailing_ws);
                    trailing_ws.clear();
                    value.push(e);
                    any = true;
                    i += 1;
                } else if d.is_ascii_whitespace() {
                    if any {
                        trailing_ws.push(d);
                    }
                } else {
                    value.push_str(&trailing_ws);
                    trailing_ws.clear();
                    value.push(d);
                    any = true;
                }
            }
            if !any {
                return Err(malformed(text, ""));
            }
        }
        if matches!(chars.get(i), Some('{')) {
            return Err(malformed(text, ""));
        }
        let is_null = !quoted && value.eq_ignore_ascii_case("NULL");
        elems.push(if is_null { None } else { Some(value) });
        if ndim.is_some_and(|d| d != depth) {
            return Err(malformed(text, ""));
        }
        ndim = Some(depth);
        counts[depth - 1] += 1;
        skip_ws(&mut i);
        if chars.get(i) == Some(&delim) {
            i += 1;
            expect_elem = true;
        } else {
            expect_elem = false;
        }
    }
    skip_ws(&mut i);
    if i != chars.len() {
        return Err(malformed(text, ""));
    }
    let ndim = ndim.unwrap_or(1);
    let lens: Vec<usize> = lens
        .into_iter()
        .take(ndim)
        .map(|l| l.unwrap_or(0))
        .collect();
    if elems.is_empty() {
        return Ok((Vec::new(), elems));
    }
    let dims: Vec<(i64, usize)> = if explicit.is_empty() {
        lens.iter().map(|&l| (1, l)).collect()
    } else {
        if explicit.len() != lens.len() {
            return Err(malformed(text, ""));
        }
        for (&(lo, hi), &l) in explicit.iter().zip(&lens) {
            if usize::try_from(hi - lo + 1).ok() != Some(l) {
                return Err(malformed(text, ""));
            }
        }
        explicit
            .iter()
            .zip(&lens)
            .map(|(&(lo, _), &l)| (lo, l))
            .collect()
    };
    Ok((dims, elems))
}

/// `array_in`: each element through the element type's input function.
pub(crate) fn input(
    catalog: &Catalog,
    elem: Oid,
    typmod: TypMod,
    text: &str,
    settings: &ValueSettings,
) -> Result<Evaluated<String>> {
    let (dims, raw) = parse_raw(text, delimiter(catalog, elem))?;
    let mut elems = Vec::with_capacity(raw.len());
    for e in raw {
        match e {
            None => elems.push(None),
            Some(s) => match misc::input_value(catalog, elem, typmod, &s, settings, true)? {
                Evaluated::Value(v) => elems.push(Some(v)),
                Evaluated::NotEvaluable(r) => return Ok(Evaluated::NotEvaluable(r)),
            },
        }
    }
    format_array(catalog, elem, &ArrayValue { dims, elems })
}

/// `array_out` under other settings.
pub(crate) fn output(
    catalog: &Catalog,
    elem: Oid,
    canonical: &str,
    settings: &ValueSettings,
) -> Result<Evaluated<String>> {
    let (dims, raw) = parse_raw(canonical, delimiter(catalog, elem))?;
    let mut elems = Vec::with_capacity(raw.len());
    for e in raw {
        match e {
            None => elems.push(None),
            Some(s) => match misc::output_value(catalog, elem, &s, settings)? {
                Evaluated::Value(v) => elems.push(Some(v)),
                Evaluated::NotEvaluable(r) => return Ok(Evaluated::NotEvaluable(r)),
            },
        }
    }
    format_array(catalog, elem, &ArrayValue { dims, elems })
}

/// Parses a canonical array text (elements already canonical).
pub(crate) fn parse_array(
    catalog: &Catalog,
    elem: Oid,
    text: &str,
) -> Result<Evaluated<ArrayValue>> {
    let (dims, elems) = parse_raw(text, delimiter(catalog, elem))?;
    Ok(Evaluated::Value(ArrayValue { dims, elems }))
}

/// The elements of a canonical array text, flattened.
pub(crate) fn parse_array_elements(
    catalog: &Catalog,
    elem: Oid,
    text: &str,
) -> Result<Evaluated<Vec<Option<String>>>> {
    Ok(parse_array(catalog, elem, text)?.map(|a| a.elems))
}

fn needs_quotes(s: &str, delim: char) -> bool {
    s.is_empty()
        || s.eq_ignore_ascii_case("NULL")
        || s.chars().any(|c| {
            c == '{' || c == '}' || c == '"' || c == '\\' || c == delim || c.is_ascii_whitespace()
        })
}

/// `array_out` of an array value.
pub(crate) fn format_array(
    catalog: &Catalog,
    elem: Oid,
    array: &ArrayValue,
) -> Result<Evaluated<String>> {
    let elems = array.elems.iter().map(Option::as_deref);
    Ok(format_elements(catalog, elem, &array.dims, elems))
}

/// `array_out` of the elements `elems` (flattened, in order) in the shape
/// `dims`. The elements are borrowed: an `ARRAY[...]` or `IN (...)` list
/// of constants is printed without first copying every value into an
/// [`ArrayValue`].
fn format_elements<'e>(
    catalog: &Catalog,
    elem: Oid,
    dims: &[(i64, usize)],
    mut elems: impl ExactSizeIterator<Item = Option<&'e str>>,
) -> Evaluated<String> {
    let delim = delimiter(catalog, elem);
    if elems.len() == 0 || dims.is_empty() {
        return Evaluated::Value("{}".to_owned());
    }
    let mut out = String::new();
    if dims.iter().any(|&(lo, _)| lo != 1) {
        for &(lo, len) in dims {
            let hi = lo + i64::try_from(len).unwrap_or(0) - 1;
            out.push_str(&format!("[{lo}:{hi}]"));
        }
        out.push('=');
    }
    write_level(&mut out, dims, &mut elems, delim);
    Evaluated::Value(out)
}

/// One level of `dims`, taking its elements from `elems` in order (a
/// missing element prints as `NULL`).
fn write_level<'e>(
    out: &mut String,
    dims: &[(i64, usize)],
    elems: &mut impl Iterator<Item = Option<&'e str>>,
    delim: char,
) {
    out.push('{');
    let Some((&(_, n), rest)) = dims.split_first() else {
        out.push('}');
        return;
    };
    for k in 0..n {
        if k > 0 {
            out.push(delim);
        }
        if rest.is_empty() {
            match elems.next().flatten() {
                None => out.push_str("NULL"),
                Some(s) if needs_quotes(s, delim) => {
                    out.push('"');
                    for c in s.chars() {
                        if c == '"' || c == '\\' {
                            out.push('\\');
                        }
                        out.push(c);
                    }
                    out.push('"');
                }
                Some(s) => out.push_str(s),
            }
        } else {
            write_level(out, rest, elems, delim);
        }
    }
    out.push('}');
}

/// `ARRAY[...]` over constants (`ExecEvalArrayExpr`).
pub(crate) fn build_array_const(
    catalog: &Catalog,
    element_type: Oid,
    multidims: bool,
    elems: &[&Const],
) -> Result<Evaluated<String>> {
    if !multidims {
        let values = elems.iter().map(|c| c.value.as_deref());
        return Ok(format_elements(
            catalog,
            element_type,
            &[(1, elems.len())],
            values,
        ));
    }
    let mut inner_dims: Option<Vec<(i64, usize)>> = None;
    let mut all = Vec::new();
    let mut count = 0usize;
    let mut have_empty = false;
    for c in elems {
        let Some(text) = c.value.as_deref() else {
            // NULL sub-arrays are skipped, as empty ones.
            have_empty = true;
            continue;
        };
        let sub = match parse_array(catalog, element_type, text)? {
            Evaluated::Value(v) => v,
            Evaluated::NotEvaluable(r) => return Ok(Evaluated::NotEvaluable(r)),
        };
        if sub.elems.is_empty() {
            have_empty = true;
            continue;
        }
        match &inner_dims {
            None => inner_dims = Some(sub.dims.clone()),
            Some(d) if *d != sub.dims => {
                return Err(err(
                    SqlState::ARRAY_SUBSCRIPT_ERROR,
                    "multidimensional arrays must have array expressions with matching dimensions",
                ))
            }
            Some(_) => {}
        }
        all.extend(sub.elems);
        count += 1;
    }
    let Some(inner) = inner_dims else {
        return Ok(Evaluated::Value("{}".to_owned()));
    };
    if have_empty {
        return Err(err(
            SqlState::ARRAY_SUBSCRIPT_ERROR,
            "multidimensional arrays must have array expressions with matching dimensions",
        ));
    }
    let mut dims = vec![(1, count)];
    dims.extend(inner);
    format_array(catalog, element_type, &ArrayValue { dims, elems: all })
}
