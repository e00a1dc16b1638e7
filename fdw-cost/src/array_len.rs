//! How many elements an array has, for the estimates that scale with it
//! (`estimate_array_length`, the hashed `= ANY` decision).

use std::borrow::Cow;

use fdw_core::expr::Expr;

/// `ArrayGetNItems` of an array constant in its text form: the number of
/// leaf elements (the product of the dimensions), or `None` when the text
/// is not a well-formed array literal.
///
/// `delimiter` is the element type's `typdelim` (`,` for all but `box`).
pub fn array_literal_items(text: &str, delimiter: char) -> Option<usize> {
    // An optional dimension decoration `[1:3]=` precedes the braces.
    let body = match text.find('=') {
        Some(eq) if text.trim_start().starts_with('[') => text.get(eq + 1..)?,
        _ => text,
    };
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut in_quotes = false;
    let mut escaped = false;
    // Leaf elements: items at the innermost level, counted per group as
    // (delimiters + 1) when the group holds anything.
    let mut items = 0usize;
    let mut group_has_item = false;
    for ch in body.chars() {
        if escaped {
            escaped = false;
            group_has_item = true;
            continue;
        }
        if in_quotes {
            match ch {
                '\\' => escaped = true,
                '"' => in_quotes = false,
                _ => {}
            }
            continue;
        }
        match ch {
            '{' => {
                depth += 1;
                deepest = deepest.max(depth);
                group_has_item = false;
            }
            '}' => {
                if depth == 0 {
                    return None;
                }
                if depth == deepest && group_has_item {
                    items += 1;
                }
                group_has_item = false;
                depth -= 1;
            }
            '"' => {
                in_quotes = true;
                group_has_item = true;
            }
            '\\' => escaped = true,
            c if c == delimiter && depth == deepest => {
                items += 1;
                group_has_item = false;
            }
            c if c.is_whitespace() => {}
            _ => {
                if depth == deepest && depth > 0 {
                    group_has_item = true;
                }
            }
        }
    }
    (depth == 0 && !in_quotes && deepest > 0).then_some(items)
}

/// [`array_literal_elements`] borrowing each element from `text` where it
/// can: an estimate reads the elements once, and most arrays (`IN (1, 2,
/// 3)`, `IN ('a', 'b')`) have neither quotes nor escapes, so copying each
/// element into its own string was most of the cost of estimating them.
/// Text with quotes or backslashes is read by [`array_literal_elements`].
pub fn array_literal_elements_borrowed(
    text: &str,
    delimiter: char,
) -> Option<Vec<Option<Cow<'_, str>>>> {
    let owned = || {
        array_literal_elements(text, delimiter)
            .map(|elements| elements.into_iter().map(|e| e.map(Cow::Owned)).collect())
    };
    // The dimension decoration is looked for only where it can be.
    let body = if text.trim_start().starts_with('[') {
        match text.find('=') {
            Some(eq) => text.get(eq + 1..)?,
            None => text,
        }
    } else {
        text
    };
    // One pass for both the quotes and escapes that need the general
    // reader and the number of elements (at most one more than the
    // delimiters), so that the list is allocated once.
    let mut delimiters = 0usize;
    for ch in body.chars() {
        match ch {
            '"' | '\\' => return owned(),
            c if c == delimiter => delimiters += 1,
            _ => {}
        }
    }
    let mut out = Vec::with_capacity(delimiters + 1);
    let mut depth = 0usize;
    // Where the current element starts (its first non-blank character).
    let mut start: Option<usize> = None;
    let mut finish = |start: &mut Option<usize>, end: usize| {
        if let Some(from) = start.take() {
            let item = body.get(from..end).unwrap_or_default().trim();
            out.push(if item.eq_ignore_ascii_case("null") {
                None
            } else {
                Some(Cow::Borrowed(item))
            });
        }
    };
    // The same cases, in the same order, as `array_literal_elements`.
    for (at, ch) in body.char_indices() {
        match ch {
            '{' => {
                if start.is_some() {
                    // A brace inside an element continues it there: not
                    // one slice of the text.
                    return owned();
                }
                depth += 1;
            }
            '}' => {
                if depth == 0 {
                    return None;
                }
                finish(&mut start, at);
                depth -= 1;
            }
            c if c == delimiter => finish(&mut start, at),
            c if c.is_whitespace() && start.is_none() => {}
            _ => {
                if start.is_none() {
                    start = Some(at);
                }
            }
        }
    }
    (depth == 0).then_some(out)
}

/// The leaf elements of an array constant in its text form, in order:
/// `None` for an unquoted NULL, else the element's text with quotes and
/// backslash escapes removed. `None` when the text is not an array.
pub fn array_literal_elements(text: &str, delimiter: char) -> Option<Vec<Option<String>>> {
    let body = match text.find('=') {
        Some(eq) if text.trim_start().starts_with('[') => text.get(eq + 1..)?,
        _ => text,
    };
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut has_item = false;
    let mut in_quotes = false;
    let mut escaped = false;
    let mut depth = 0usize;
    let mut finish = |current: &mut String, quoted: &mut bool, has_item: &mut bool| {
        if *has_item {
            let item = std::mem::take(current);
            if !*quoted && item.trim().eq_ignore_ascii_case("null") {
                out.push(None);
            } else if *quoted {
                out.push(Some(item));
            } else {
                out.push(Some(item.trim().to_owned()));
            }
        }
        current.clear();
        *quoted = false;
        *has_item = false;
    };
    for ch in body.chars() {
        if escaped {
            current.push(ch);
            escaped = false;
            has_item = true;
            continue;
        }
        if in_quotes {
            match ch {
                '\\' => escaped = true,
                '"' => in_quotes = false,
                c => current.push(c),
            }
            continue;
        }
        match ch {
            '{' => depth += 1,
            '}' => {
                if depth == 0 {
                    return None;
                }
                finish(&mut current, &mut quoted, &mut has_item);
                depth -= 1;
            }
            '"' => {
                in_quotes = true;
                quoted = true;
                has_item = true;
            }
            '\\' => escaped = true,
            c if c == delimiter => finish(&mut current, &mut quoted, &mut has_item),
            c if c.is_whitespace() && !has_item => {}
            c => {
                current.push(c);
                has_item = true;
            }
        }
    }
    (depth == 0 && !in_quotes).then_some(out)
}

/// `strip_array_coercion`: looks through binary-compatible relabelings of
/// an array.
pub fn strip_array_coercion(mut expr: &Expr) -> &Expr {
    loop {
        match expr {
            Expr::ArrayCoerceExpr(coerce) if matches!(&coerce.elemexpr, Expr::RelabelType(r) if matches!(r.arg, Expr::CaseTestExpr(_))) =>
            {
                expr = &coerce.arg;
            }
            Expr::RelabelType(relabel) => expr = &relabel.arg,
            _ => return expr,
        }
    }
}

/// `estimate_array_length` (PostgreSQL 15): the element count of a
/// constant array or of a one-dimensional `ARRAY[...]`, 0 for a NULL
/// array, otherwise PostgreSQL's guess of 10.
pub fn estimate_array_length(array: &Expr, delimiter: char) -> usize {
    match strip_array_coercion(array) {
        Expr::Const(c) => match &c.value {
            None => 0,
            Some(text) => array_literal_items(text, delimiter).unwrap_or(10),
        },
        Expr::ArrayExpr(a) if !a.multidims => a.elements.len(),
        _ => 10,
    }
}

#[cfg(test)]
mod tests {
    use super::array_literal_items;

    #[test]
    fn counts_leaf_elements() {
        assert_eq!(array_literal_items("{}", ','), Some(0));
        assert_eq!(array_literal_items("{1,2,3}", ','), Some(3));
        assert_eq!(array_literal_items("{NULL}", ','), Some(1));
        assert_eq!(array_literal_items(r#"{"a,b","c\"d",""}"#, ','), Some(3));
        assert_eq!(array_literal_items("{{1,2},{3,4},{5,6}}", ','), Some(6));
        assert_eq!(array_literal_items("[0:2]={7,8,9}", ','), Some(3));
        assert_eq!(
            array_literal_items("{(1,2),(3,4);(5,6),(7,8)}", ';'),
            Some(2)
        );
        assert_eq!(array_literal_items("{1,2", ','), None);
    }

    #[test]
    fn borrowed_elements_are_the_owned_ones() {
        use super::{array_literal_elements, array_literal_elements_borrowed};
        for text in [
            "{}",
            "{1,2,3}",
            "{ a , b c ,NULL, null ,d}",
            "{{1,2},{3,4}}",
            "[0:2]={7,8,9}",
            "{a{b},c}",
            "{a,b",
            "a,b}",
            "{a,b}}",
            r#"{"a,b",NULL,"NULL", x ,"q\"d"}"#,
            r"{a\,b,c}",
            "{(1,2),(3,4);(5,6)}",
            "{,}",
            "{ }",
            "{\u{e9}t\u{e9}, caf\u{e9} }",
        ] {
            for delimiter in [',', ';'] {
                let borrowed = array_literal_elements_borrowed(text, delimiter).map(|v| {
                    v.into_iter()
                        .map(|e| e.map(std::borrow::Cow::into_owned))
                        .collect::<Vec<_>>()
                });
                assert_eq!(
                    borrowed,
                    array_literal_elements(text, delimiter),
                    "{text} {delimiter}"
                );
            }
        }
    }

    #[test]
    fn reads_elements() {
        use super::array_literal_elements;
        let got = array_literal_elements(r#"{"a,b",NULL,"NULL", x ,"q\"d"}"#, ',');
        let want = vec![
            Some("a,b".to_owned()),
            None,
            Some("NULL".to_owned()),
            Some("x".to_owned()),
            Some("q\"d".to_owned()),
        ];
        assert_eq!(got, Some(want));
        assert_eq!(array_literal_elements("{}", ','), Some(vec![]));
        assert_eq!(
            array_literal_elements("{{1,2},{3,4}}", ',').map(|v| v.len()),
            Some(4)
        );
    }
}
