//! Character types and string functions: `varchar`/`bpchar` typmods,
//! `name`, the immutable functions of `varlena.c`, `oracle_compat.c` and
//! `like.c`, and text ordering where it is known to be bytewise (the `C`
//! and `POSIX` collations, and the `*_pattern_*` operators, which ignore
//! the collation).

use std::cmp::Ordering;

use super::builtins::{Call, Outcome};
use super::misc::{self, oids::BPCHAR};
use super::{err, not_evaluable, Evaluated};
use crate::error::{Result, SqlState};

/// `NAMEDATALEN - 1`.
const NAME_MAX_BYTES: usize = 63;

/// Truncates to at most `n` characters.
fn take_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// `varchar(s, typmod, explicit)`: an explicit cast cuts the value; an
/// assignment may only drop trailing spaces.
pub(crate) fn varchar_typmod(s: &str, typmod: i32, explicit: bool) -> Result<String> {
    if typmod < 4 {
        return Ok(s.to_owned());
    }
    let max = usize::try_from(typmod - 4).unwrap_or(0);
    let kept = take_chars(s, max);
    if kept.len() == s.len() {
        return Ok(s.to_owned());
    }
    if !explicit && !s[kept.len()..].chars().all(|c| c == ' ') {
        return Err(err(
            SqlState::STRING_DATA_RIGHT_TRUNCATION,
            format!("value too long for type character varying({max})"),
        ));
    }
    Ok(kept.to_owned())
}

/// `bpchar(s, typmod, explicit)`: cut (explicit cast) or checked
/// (assignment), then padded with spaces to the length.
pub(crate) fn bpchar_typmod(s: &str, typmod: i32, explicit: bool) -> Result<String> {
    if typmod < 4 {
        return Ok(s.to_owned());
    }
    let max = usize::try_from(typmod - 4).unwrap_or(0);
    let kept = take_chars(s, max);
    if kept.len() < s.len() && !explicit && !s[kept.len()..].chars().all(|c| c == ' ') {
        return Err(err(
            SqlState::STRING_DATA_RIGHT_TRUNCATION,
            format!("value too long for type character({max})"),
        ));
    }
    let mut out = kept.to_owned();
    let n = out.chars().count();
    for _ in n..max {
        out.push(' ');
    }
    Ok(out)
}

/// `namein`: at most 63 bytes, cut at a character boundary.
pub(crate) fn truncate_name(s: &str) -> String {
    if s.len() <= NAME_MAX_BYTES {
        return s.to_owned();
    }
    let mut end = NAME_MAX_BYTES;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_owned()
}

/// A `bpchar` without its trailing spaces (how it compares and casts to text).
pub(crate) fn bpchar_trim(s: &str) -> &str {
    s.trim_end_matches(' ')
}

/// What a text ordering function computes from the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OrderOp {
    Lt,
    Le,
    Gt,
    Ge,
    /// The three-way `bt*cmp` support function.
    Cmp,
    /// `*_larger`: `GREATEST`-like.
    Larger,
    /// `*_smaller`: `LEAST`-like.
    Smaller,
}

/// The ordering functions of the character types: the operation and
/// whether the collation matters (the `*_pattern_*` ones compare bytes
/// whatever it is).
fn order_function(name: &str) -> Option<(OrderOp, bool)> {
    let op = |suffix: &str| match suffix {
        "lt" => Some(OrderOp::Lt),
        "le" => Some(OrderOp::Le),
        "gt" => Some(OrderOp::Gt),
        "ge" => Some(OrderOp::Ge),
        _ => None,
    };
    let collated = |o: OrderOp| Some((o, true));
    match name {
        "bttextcmp" | "bpcharcmp" | "btnamecmp" | "btnametextcmp" | "bttextnamecmp" => {
            collated(OrderOp::Cmp)
        }
        "text_larger" | "bpchar_larger" => collated(OrderOp::Larger),
        "text_smaller" | "bpchar_smaller" => collated(OrderOp::Smaller),
        "bttext_pattern_cmp" | "btbpchar_pattern_cmp" => Some((OrderOp::Cmp, false)),
        _ => {
            if let Some(rest) = name
                .strip_prefix("text_pattern_")
                .or_else(|| name.strip_prefix("bpchar_pattern_"))
            {
                return op(rest).map(|o| (o, false));
            }
            // text_lt, bpcharlt, namelt, namelttext, textltname, ...
            let rest = name
                .strip_prefix("text_")
                .or_else(|| name.strip_prefix("bpchar"))
                .or_else(|| name.strip_prefix("name"))
                .or_else(|| name.strip_prefix("text"))?;
            let rest = rest
                .strip_suffix("text")
                .or_else(|| rest.strip_suffix("name"))
                .unwrap_or(rest);
            op(rest).and_then(collated)
        }
    }
}

/// Compares as the `C` collation does (`varstr_cmp` under
/// `lc_collate_is_c`, `internal_text_pattern_compare`): `memcmp` over the
/// common length, then the shorter string first.
pub(crate) fn compare_bytewise(a: &str, b: &str) -> Ordering {
    a.as_bytes().cmp(b.as_bytes())
}

/// The ordering functions of `text`, `varchar`, `bpchar` and `name`
/// (`text_lt`, `bpcharcmp`, `namelttext`, `text_larger`,
/// `text_pattern_lt`, ...), evaluated when the comparison is bytewise:
/// under a collation that is `C` or `POSIX` (see
/// [`ValueSettings::collation_is_c`](super::ValueSettings)), or for the
/// pattern operators. Under any other collation the order depends on the
/// locale's rules, which are not reimplemented: not evaluable. `bpchar`
/// compares without its trailing spaces; its `larger`/`smaller` return
/// an argument with its padding.
pub(crate) fn ordering(c: &Call<'_>) -> Result<Outcome> {
    let Some((op, collated)) = order_function(c.name) else {
        return Ok(None);
    };
    if c.n() != 2 {
        return Ok(None);
    }
    let refuse =
        |reason: &str| -> Result<Outcome> { Ok(Some(Evaluated::NotEvaluable(reason.to_owned()))) };
    if collated && !c.settings.collation_is_c(c.catalog) {
        return refuse(
            "text ordering depends on the collation's rules, which are known only for C and POSIX (set lc_collate for the default collation)",
        );
    }
    let (a, b) = (c.arg(0)?, c.arg(1)?);
    let bpchar = c.decl.first() == Some(&BPCHAR);
    let (ka, kb) = if bpchar {
        (bpchar_trim(a), bpchar_trim(b))
    } else {
        (a, b)
    };
    let ord = compare_bytewise(ka, kb);
    let boolean = |v: bool| Ok(Some(Evaluated::Value(Some(misc::bool_text(v).to_owned()))));
    let text = |v: &str| Ok(Some(Evaluated::Value(Some(v.to_owned()))));
    match op {
        OrderOp::Lt => boolean(ord == Ordering::Less),
        OrderOp::Le => boolean(ord != Ordering::Greater),
        OrderOp::Gt => boolean(ord == Ordering::Greater),
        OrderOp::Ge => boolean(ord != Ordering::Less),
        OrderOp::Cmp => {
            // Where the strings differ in a byte the result is `memcmp`'s,
            // whose magnitude is the C library's choice (glibc returns the
            // byte difference); only its sign is defined, so only the
            // equal and prefix cases, which PostgreSQL maps to 0 and ±1,
            // are evaluated.
            // `namecmp` under the `C` collation is `strncmp` over
            // NAMEDATALEN bytes, which gives the byte difference in the
            // prefix case too: only equal names are evaluated.
            let common = ka.len().min(kb.len());
            let name = c.decl.contains(&misc::oids::NAME);
            if (name && ord != Ordering::Equal)
                || ka.as_bytes().get(..common) != kb.as_bytes().get(..common)
            {
                return refuse(
                    "the magnitude of a comparison result of strings that differ is memcmp's, which is the C library's",
                );
            }
            text(match ord {
                Ordering::Less => "-1",
                Ordering::Equal => "0",
                Ordering::Greater => "1",
            })
        }
        // text_larger keeps the first only when it is greater,
        // bpchar_larger also on a tie (their padding may differ).
        OrderOp::Larger => {
            let first = ord == Ordering::Greater || (bpchar && ord == Ordering::Equal);
            text(if first { a } else { b })
        }
        OrderOp::Smaller => {
            let first = ord == Ordering::Less || (bpchar && ord == Ordering::Equal);
            text(if first { a } else { b })
        }
    }
}

/// Case mapping as PostgreSQL's `lower`/`upper` do it. ASCII letters map
/// the same under every locale we model; a non-ASCII character that case
/// mapping would change is refused, because the result depends on the
/// database's LC_CTYPE, which the catalog does not know: under `C` only
/// ASCII letters change (`upper('ü')` stays `'ü'`), under a UTF-8 locale
/// `towupper` maps it (`'Ü'`). Folding either way could print a constant
/// the remote database would not have computed. Characters case mapping
/// leaves alone (`©`, digits, CJK) are the same everywhere.
fn map_case(s: &str, upper: bool) -> Evaluated<String> {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(if upper {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            });
            continue;
        }
        let unchanged = if upper {
            c.to_uppercase().eq(std::iter::once(c))
        } else {
            c.to_lowercase().eq(std::iter::once(c))
        };
        if !unchanged {
            return Evaluated::NotEvaluable(format!(
                "the case mapping of {c:?} depends on the database's LC_CTYPE"
            ));
        }
        out.push(c);
    }
    Evaluated::Value(out)
}

/// `lower`.
pub(crate) fn lower(s: &str) -> Evaluated<String> {
    map_case(s, false)
}

/// `upper`.
pub(crate) fn upper(s: &str) -> Evaluated<String> {
    map_case(s, true)
}

/// `initcap`: the first letter of each alphanumeric run upper-cased, the rest lower-cased.
pub(crate) fn initcap(s: &str) -> Evaluated<String> {
    if !s.is_ascii() {
        return Evaluated::NotEvaluable("initcap of non-ASCII text depends on the locale".into());
    }
    let mut out = String::with_capacity(s.len());
    let mut word = false;
    for c in s.chars() {
        out.push(if word {
            c.to_ascii_lowercase()
        } else {
            c.to_ascii_uppercase()
        });
        word = c.is_ascii_alphanumeric();
    }
    Evaluated::Value(out)
}

/// `btrim` / `ltrim` / `rtrim` with a set of characters.
pub(crate) fn trim(s: &str, set: &str, left: bool, right: bool) -> String {
    let in_set = |c: char| set.contains(c);
    let mut r = s;
    if left {
        r = r.trim_start_matches(in_set);
    }
    if right {
        r = r.trim_end_matches(in_set);
    }
    r.to_owned()
}

/// `substr(s, start[, len])` with SQL's semantics for out-of-range starts.
pub(crate) fn substr(s: &str, start: i64, len: Option<i64>) -> Result<String> {
    let end = match len {
        Some(l) if l < 0 => {
            return Err(err(
                SqlState("22011"),
                "negative substring length not allowed",
            ))
        }
        Some(l) => Some(start.saturating_add(l)),
        None => None,
    };
    let from = start.max(1);
    let out: String = s
        .chars()
        .enumerate()
        .filter(|(i, _)| {
            let pos = i64::try_from(*i).unwrap_or(i64::MAX).saturating_add(1);
            pos >= from && end.is_none_or(|e| pos < e)
        })
        .map(|(_, c)| c)
        .collect();
    Ok(out)
}

/// `left(s, n)`: negative `n` keeps all but the last `|n|` characters.
pub(crate) fn left(s: &str, n: i64) -> String {
    let len = s.chars().count() as i64;
    let keep = if n >= 0 { n.min(len) } else { (len + n).max(0) };
    s.chars().take(keep as usize).collect()
}

/// `right(s, n)`: negative `n` drops the first `|n|` characters.
pub(crate) fn right(s: &str, n: i64) -> String {
    let len = s.chars().count() as i64;
    let keep = if n >= 0 { n.min(len) } else { (len + n).max(0) };
    s.chars().skip((len - keep) as usize).collect()
}

/// `repeat(s, n)`.
pub(crate) fn repeat(s: &str, n: i64) -> Result<Evaluated<String>> {
    if n <= 0 {
        return Ok(Evaluated::Value(String::new()));
    }
    let total = (s.len() as i64).checked_mul(n);
    match total {
        Some(t) if t < (1 << 30) => Ok(Evaluated::Value(s.repeat(n as usize))),
        Some(_) | None => Err(err(SqlState("54000"), "requested length too large")),
    }
}

/// `replace(s, from, to)`.
pub(crate) fn replace(s: &str, from: &str, to: &str) -> String {
    if from.is_empty() {
        return s.to_owned();
    }
    s.replace(from, to)
}

/// `strpos(s, needle)`: 1-based character position, 0 when absent.
pub(crate) fn strpos(s: &str, needle: &str) -> i64 {
    match s.find(needle) {
        Some(byte) => s[..byte].chars().count() as i64 + 1,
        None => 0,
    }
}

/// `lpad` / `rpad`.
pub(crate) fn pad(s: &str, len: i64, fill: &str, left: bool) -> Result<String> {
    if len <= 0 {
        return Ok(String::new());
    }
    if len > (1 << 28) {
        return Err(err(SqlState("54000"), "requested length too large"));
    }
    let len = len as usize;
    let have = s.chars().count();
    if have >= len || fill.is_empty() {
        return Ok(take_chars(s, len).to_owned());
    }
    let padding: String = fill.chars().cycle().take(len - have).collect();
    Ok(if left {
        format!("{padding}{s}")
    } else {
        format!("{s}{padding}")
    })
}

/// `split_part(s, delim, n)`; negative `n` counts from the end (PostgreSQL 14+).
pub(crate) fn split_part(s: &str, delim: &str, n: i64) -> Result<String> {
    if n == 0 {
        return Err(err(
            SqlState::INVALID_PARAMETER_VALUE,
            "field position must not be zero",
        ));
    }
    if s.is_empty() {
        return Ok(String::new());
    }
    let fields: Vec<&str> = if delim.is_empty() {
        vec![s]
    } else {
        s.split(delim).collect()
    };
    let count = fields.len() as i64;
    let index = if n > 0 { n - 1 } else { count + n };
    Ok(usize::try_from(index)
        .ok()
        .and_then(|i| fields.get(i))
        .map_or_else(String::new, |f| (*f).to_owned()))
}

/// `translate(s, from, to)`.
pub(crate) fn translate(s: &str, from: &str, to: &str) -> String {
    let from: Vec<char> = from.chars().collect();
    let to: Vec<char> = to.chars().collect();
    s.chars()
        .filter_map(|c| match from.iter().position(|&f| f == c) {
            Some(i) => to.get(i).copied(),
            None => Some(c),
        })
        .collect()
}

/// `quote_literal`.
pub(crate) fn quote_literal(s: &str) -> String {
    let mut out = String::new();
    if s.contains('\\') {
        out.push('E');
    }
    out.push('\'');
    for c in s.chars() {
        if c == '\'' || c == '\\' {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// `chr(n)`.
pub(crate) fn chr(n: i64) -> Result<String> {
    if n == 0 {
        return Err(err(SqlState("54000"), "null character not permitted"));
    }
    match u32::try_from(n).ok().and_then(char::from_u32) {
        Some(c) => Ok(c.to_string()),
        None => Err(err(
            SqlState("54000"),
            "requested character too large for encoding: ".to_owned() + &n.to_string(),
        )),
    }
}

/// `ascii(s)`: the first character's code, 0 for the empty string.
pub(crate) fn ascii(s: &str) -> i64 {
    s.chars().next().map_or(0, |c| i64::from(u32::from(c)))
}

/// One element of a compiled `LIKE` pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum LikeTok {
    /// `%`.
    Any,
    /// `_`.
    One,
    /// A literal character.
    Lit(char),
}

fn compile_like(pattern: &str, escape: Option<char>) -> Result<Vec<LikeTok>> {
    let mut toks = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if Some(c) == escape {
            match chars.next() {
                Some(n) => toks.push(LikeTok::Lit(n)),
                None => {
                    return Err(err(
                        SqlState("22025"),
                        "LIKE pattern must not end with escape character",
                    ))
                }
            }
        } else if c == '%' {
            if toks.last() != Some(&LikeTok::Any) {
                toks.push(LikeTok::Any);
            }
        } else if c == '_' {
            toks.push(LikeTok::One);
        } else {
            toks.push(LikeTok::Lit(c));
        }
    }
    Ok(toks)
}

fn like_match(s: &[char], p: &[LikeTok]) -> bool {
    // Iterative matching with backtracking to the last `%`.
    let (mut si, mut pi) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        match p.get(pi) {
            Some(LikeTok::Any) => {
                star = Some((pi, si));
                pi += 1;
                continue;
            }
            Some(LikeTok::One) => {
                si += 1;
                pi += 1;
                continue;
            }
            Some(LikeTok::Lit(c)) if *c == s[si] => {
                si += 1;
                pi += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, ss)) => {
                pi = sp + 1;
                si = ss + 1;
                star = Some((sp, ss + 1));
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|t| *t == LikeTok::Any)
}

/// `s LIKE pattern` with the default escape `\`; `ilike` folds case first.
pub(crate) fn like(s: &str, pattern: &str, ilike: bool) -> Result<Evaluated<bool>> {
    let (s, pattern) = if ilike {
        match (lower(s), lower(pattern)) {
            (Evaluated::Value(a), Evaluated::Value(b)) => (a, b),
            _ => return not_evaluable("ILIKE on non-ASCII text depends on the locale"),
        }
    } else {
        (s.to_owned(), pattern.to_owned())
    };
    let toks = compile_like(&pattern, Some('\\'))?;
    let chars: Vec<char> = s.chars().collect();
    Ok(Evaluated::Value(like_match(&chars, &toks)))
}

/// `like_escape(pattern, escape)`: rewrites the pattern to use `\`.
pub(crate) fn like_escape(pattern: &str, escape: &str) -> Result<String> {
    let mut esc = escape.chars();
    let e = esc.next();
    if esc.next().is_some() {
        return Err(err(SqlState("22019"), "invalid escape string"));
    }
    let Some(e) = e else {
        // No escape: double every backslash so it is literal.
        return Ok(pattern.replace('\\', "\\\\"));
    };
    if e == '\\' {
        return Ok(pattern.to_owned());
    }
    let mut out = String::new();
    let mut after = false;
    for c in pattern.chars() {
        if after {
            if c == '\\' {
                out.push('\\');
            }
            out.push(c);
            after = false;
        } else if c == e {
            out.push('\\');
            after = true;
        } else if c == '\\' {
            out.push_str("\\\\");
        } else {
            out.push(c);
        }
    }
    if after {
        return Err(err(
            SqlState("22025"),
            "LIKE pattern must not end with escape character",
        ));
    }
    Ok(out)
}

/// `similar_to_escape(pattern[, escape])`: SQL regular expression to POSIX.
pub(crate) fn similar_to_escape(pattern: &str, escape: Option<&str>) -> Result<String> {
    let e = match escape {
        None => Some('\\'),
        Some(esc) => {
            let mut it = esc.chars();
            let first = it.next();
            if it.next().is_some() {
                return Err(err(SqlState("22025"), "invalid escape string"));
            }
            first
        }
    };
    let mut r = String::from("^(?:");
    let mut after_escape = false;
    let mut in_class = false;
    let mut nquotes = 0;
    for c in pattern.chars() {
        if after_escape {
            if c == '"' && !in_class {
                match nquotes {
                    0 => r.push_str("){1,1}?("),
                    1 => r.push_str("){1,1}(?:"),
                    _ => {
                        return Err(err(
                            SqlState("2200B"),
                            "SQL regular expression may not contain more than two escape-double-quote separators",
                        ))
                    }
                }
                nquotes += 1;
            } else {
                r.push('\\');
                r.push(c);
            }
            after_escape = false;
        } else if Some(c) == e {
            after_escape = true;
        } else if in_class {
            if c == '\\' {
                r.push('\\');
            }
            r.push(c);
            if c == ']' {
                in_class = false;
            }
        } else if c == '[' {
            r.push(c);
            in_class = true;
        } else if c == '%' {
            r.push_str(".*");
        } else if c == '_' {
            r.push('.');
        } else if c == '(' {
            r.push_str("(?:");
        } else if matches!(c, '\\' | '.' | '^' | '$') {
            r.push('\\');
            r.push(c);
        } else {
            r.push(c);
        }
    }
    r.push_str(")$");
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fdw_catalog::catalog::Catalog;
    use fdw_core::expr::Expr;

    /// Which target-list entries of `sql` folded to constants.
    fn folded(catalog: &Catalog, sql: &str) -> Vec<bool> {
        let prepared = crate::prepare_query(catalog, sql, &[]).unwrap();
        prepared
            .query
            .target_list
            .iter()
            .map(|t| matches!(t.expr, Expr::Const(_)))
            .collect()
    }

    const ORDERING: &str = "SELECT 'a' < 'b', GREATEST('a', 'b'), text_larger('a', 'b'), \
        'a'::char(3) <= 'a'::char(1), 'a'::name > 'b'::name, 'a' COLLATE \"C\" < 'b', \
        'a' COLLATE \"POSIX\" > 'b', 'a' ~<~ 'b'";

    #[test]
    fn without_lc_collate_only_explicit_c_collations_fold() {
        let catalog = Catalog::new(15).unwrap();
        assert_eq!(
            folded(&catalog, ORDERING),
            [false, false, false, false, true, true, true, true],
            "the default collation is unknown; name compares under C"
        );
        let notes = crate::prepare_query(&catalog, "SELECT 'a' < 'b'", &[])
            .unwrap()
            .notes;
        assert!(notes
            .iter()
            .any(|n| n.reason.contains("known only for C and POSIX")));
    }

    #[test]
    fn other_locales_do_not_fold() {
        let mut catalog = Catalog::new(15).unwrap();
        catalog.set_setting("lc_collate", "en_US.UTF-8").unwrap();
        assert_eq!(
            folded(&catalog, "SELECT 'a' < 'b', LEAST('a', 'b')"),
            [false, false]
        );
    }

    #[test]
    fn lc_collate_c_folds_the_default_collation() {
        for locale in ["C", "POSIX"] {
            let mut catalog = Catalog::new(15).unwrap();
            catalog.set_setting("lc_collate", locale).unwrap();
            assert_eq!(folded(&catalog, ORDERING), [true; 8]);
        }
    }

    #[test]
    fn bytewise_order_is_memcmp_then_length() {
        assert_eq!(compare_bytewise("B", "a"), Ordering::Less);
        assert_eq!(compare_bytewise("ab", "a"), Ordering::Greater);
        assert_eq!(compare_bytewise("ü", "z"), Ordering::Greater);
        assert_eq!(compare_bytewise("", ""), Ordering::Equal);
    }

    #[test]
    fn case_mapping_folds_only_what_every_locale_agrees_on() {
        assert_eq!(
            upper("hello, World 1"),
            Evaluated::Value("HELLO, WORLD 1".into())
        );
        assert_eq!(lower("ABC ©"), Evaluated::Value("abc ©".into()));
        // Under LC_CTYPE C PostgreSQL prints 'üNï©øDé', under a UTF-8 locale
        // 'ÜNÏ©ØDÉ': we cannot know which, so we do not fold.
        assert!(matches!(upper("ünï©ødé"), Evaluated::NotEvaluable(_)));
        assert!(matches!(lower("Ä"), Evaluated::NotEvaluable(_)));
    }
}
