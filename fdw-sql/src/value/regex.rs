//! Regular-expression matching over constants (`~`, `!~`, `~*`, `!~*`, and
//! `SIMILAR TO`, which the parser turns into `~` over
//! `similar_to_escape(...)`).
//!
//! PostgreSQL matches with Henry Spencer's ARE engine, which is not
//! reimplemented here. Instead a pattern is read by a small parser that
//! accepts only a conservative subset of ARE syntax whose meaning is the
//! same in ARE and in the `regex` crate, and translates it token by token
//! into the crate's syntax (every literal escaped, so no character can mean
//! something else there):
//!
//! - literals, `\` followed by a non-alphanumeric character, `.`;
//! - the anchors `^` and `$` (anywhere, as ARE reads them);
//! - groups `( )` and `(?: )`, alternation `|`;
//! - the quantifiers `*`, `+`, `?`, `{m}`, `{m,}`, `{m,n}`, each optionally
//!   non-greedy (`*?`): whether *some* match exists does not depend on
//!   ARE's leftmost-longest preference rules, and that is all `~` asks;
//! - bracket expressions of literal characters and ranges.
//!
//! Everything else answers not evaluable: back-references and `\d`-style
//! escapes (ARE classes differ), lookaround, `(?i)`-style options and
//! `***` directors, `[[:alpha:]]` and collating elements (locale rules),
//! and a case-insensitive match where the pattern or the subject is not
//! ASCII (ARE folds case through the collation's `towlower`/`towupper`,
//! which the crate's Unicode folding does not reproduce).
//!
//! ARE's default is not newline-sensitive: `.` and `[^...]` match a
//! newline and `^`/`$` match only at the ends of the string. The crate
//! agrees with `(?s)` (for `.`) and without multi-line mode (its default);
//! its negated classes match a newline by default.
//!
//! Patterns that ARE rejects are answered with PostgreSQL's error (SQLSTATE
//! 2201B, `invalid regular expression: ...`) only for the mistakes checked
//! against PostgreSQL 15 below; any other doubtful construct is not
//! evaluable.

use super::builtins::{Call, Outcome};
use super::misc::oids::{NAME, TEXT};
use super::{err, misc, Evaluated};
use crate::error::{Result, SqlState};

/// SQLSTATE 2201B, `invalid_regular_expression`.
const INVALID_REGULAR_EXPRESSION: SqlState = SqlState("2201B");

/// Evaluates `c` when it is a regular-expression function this module knows.
pub(crate) fn call(c: &Call<'_>) -> Result<Outcome> {
    let (negate, icase) = match c.name {
        "textregexeq" | "nameregexeq" => (false, false),
        "textregexne" | "nameregexne" => (true, false),
        "texticregexeq" | "nameicregexeq" => (false, true),
        "texticregexne" | "nameicregexne" => (true, true),
        _ => return Ok(None),
    };
    // `bpchar` variants see the blank padding; they are left to others.
    if c.decl.len() != 2 || !matches!(c.decl[0], TEXT | NAME) || c.decl[1] != TEXT {
        return Ok(None);
    }
    Ok(Some(
        matches(c.arg(0)?, c.arg(1)?, icase)?
            .map(|m| Some(misc::bool_text(m != negate).to_owned())),
    ))
}

/// Whether `pattern` (ARE syntax, default flags) matches somewhere in
/// `subject`; case-insensitively when `icase`.
///
/// # Errors
///
/// PostgreSQL's 2201B for the invalid patterns this parser recognises.
pub(crate) fn matches(subject: &str, pattern: &str, icase: bool) -> Result<Evaluated<bool>> {
    if icase && !(subject.is_ascii() && pattern.is_ascii()) {
        return Ok(Evaluated::NotEvaluable(
            "a case-insensitive regular expression over non-ASCII text folds case by the \
             collation's rules, which are not reproduced"
                .into(),
        ));
    }
    let translated = match translate(pattern)? {
        Evaluated::Value(t) => t,
        Evaluated::NotEvaluable(r) => return Ok(Evaluated::NotEvaluable(r)),
    };
    let flags = if icase { "(?si)" } else { "(?s)" };
    match ::regex::Regex::new(&format!("{flags}{translated}")) {
        Ok(re) => Ok(Evaluated::Value(re.is_match(subject))),
        // Only size limits can fail here (the syntax is our own output).
        Err(e) => Ok(Evaluated::NotEvaluable(format!(
            "the regular expression is too large to evaluate here: {e}"
        ))),
    }
}

/// `invalid regular expression: <what>` (2201B).
fn invalid(what: &str) -> crate::error::Error {
    err(
        INVALID_REGULAR_EXPRESSION,
        format!("invalid regular expression: {what}"),
    )
}

fn unsupported<T>(what: &str) -> Result<Evaluated<T>> {
    Ok(Evaluated::NotEvaluable(format!(
        "the regular expression uses {what}, which is only evaluated by PostgreSQL's ARE engine"
    )))
}

/// ARE's `DUPMAX`: the largest repetition count.
const DUPMAX: u32 = 255;

/// What the previous token allows a quantifier to follow.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prev {
    /// Start of the pattern, of a group or of a branch, or an anchor: a
    /// quantifier here is `quantifier operand invalid`.
    Nothing,
    /// An atom: may be quantified.
    Atom,
    /// A quantifier (with its optional `?`): another one is invalid.
    Quantifier,
}

/// Translates an ARE pattern into the `regex` crate's syntax, or says why
/// it cannot.
fn translate(pattern: &str) -> Result<Evaluated<String>> {
    if pattern.starts_with("***") {
        return unsupported("a `***` director");
    }
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() * 2);
    let mut depth = 0usize;
    let mut prev = Prev::Nothing;
    let mut i = 0usize;
    while let Some(&ch) = chars.get(i) {
        i += 1;
        match ch {
            '*' | '+' | '?' => {
                if prev != Prev::Atom {
                    return Err(invalid("quantifier operand invalid"));
                }
                out.push(ch);
                i = non_greedy(&chars, i, &mut out);
                prev = Prev::Quantifier;
            }
            '{' if chars.get(i).is_some_and(char::is_ascii_digit) => {
                if prev != Prev::Atom {
                    return Err(invalid("quantifier operand invalid"));
                }
                let Some((m, upper, next)) = bound(&chars, i) else {
                    return unsupported("a malformed `{m,n}` bound");
                };
                let n = upper.flatten();
                if m > DUPMAX || n.is_some_and(|n| n > DUPMAX || n < m) {
                    return Err(invalid("invalid repetition count(s)"));
                }
                match upper {
                    None => out.push_str(&format!("{{{m}}}")),
                    Some(None) => out.push_str(&format!("{{{m},}}")),
                    Some(Some(n)) => out.push_str(&format!("{{{m},{n}}}")),
                }
                i = non_greedy(&chars, next, &mut out);
                prev = Prev::Quantifier;
            }
            '^' | '$' => {
                out.push(ch);
                prev = Prev::Nothing;
            }
            '.' => {
                out.push('.');
                prev = Prev::Atom;
            }
            '|' => {
                out.push('|');
                prev = Prev::Nothing;
            }
            '(' => {
                if chars.get(i) == Some(&'?') {
                    if chars.get(i + 1) != Some(&':') {
                        return unsupported("lookaround or embedded options `(?...)`");
                    }
                    i += 2;
                }
                out.push_str("(?:");
                depth += 1;
                prev = Prev::Nothing;
            }
            ')' => {
                if depth == 0 {
                    return Err(invalid("parentheses () not balanced"));
                }
                depth -= 1;
                out.push(')');
                prev = Prev::Atom;
            }
            '[' => {
                let Some(next) = bracket(&chars, i, &mut out)? else {
                    return unsupported(
                        "a bracket expression beyond literal characters and ranges",
                    );
                };
                i = next;
                prev = Prev::Atom;
            }
            '\\' => {
                let Some(&e) = chars.get(i) else {
                    return Err(invalid("invalid escape \\ sequence"));
                };
                if e.is_alphanumeric() {
                    return unsupported("an escape such as `\\d`, `\\w` or a back-reference");
                }
                i += 1;
                push_literal(&mut out, e);
                prev = Prev::Atom;
            }
            _ => {
                push_literal(&mut out, ch);
                prev = Prev::Atom;
            }
        }
    }
    if depth != 0 {
        return Err(invalid("parentheses () not balanced"));
    }
    Ok(Evaluated::Value(out))
}

/// Copies a non-greedy `?` after a quantifier; returns the next index.
fn non_greedy(chars: &[char], i: usize, out: &mut String) -> usize {
    if chars.get(i) == Some(&'?') {
        out.push('?');
        i + 1
    } else {
        i
    }
}

/// Reads a bound's body from `i` (just after `{`, at a digit): `m}`,
/// `m,}` or `m,n}`. Returns `(m, upper, index after '}')` where `upper` is
/// `None` for `{m}`, `Some(None)` for `{m,}` and `Some(Some(n))`.
type Bound = (u32, Option<Option<u32>>, usize);

fn bound(chars: &[char], mut i: usize) -> Option<Bound> {
    let number = |i: &mut usize| -> Option<u32> {
        let start = *i;
        let mut v: u32 = 0;
        while let Some(d) = chars.get(*i).and_then(|c| c.to_digit(10)) {
            v = v.saturating_mul(10).saturating_add(d);
            *i += 1;
        }
        (*i > start).then_some(v)
    };
    let m = number(&mut i)?;
    match chars.get(i) {
        Some('}') => Some((m, None, i + 1)),
        Some(',') => {
            i += 1;
            let n = number(&mut i);
            (chars.get(i) == Some(&'}')).then_some((m, Some(n), i + 1))
        }
        _ => None,
    }
}

/// Appends `c` as a literal in the crate's syntax.
fn push_literal(out: &mut String, c: char) {
    let mut buf = [0u8; 4];
    out.push_str(&::regex::escape(c.encode_utf8(&mut buf)));
}

/// Reads a bracket expression from `i` (just after `[`) and appends its
/// translation. `Ok(None)` when it uses something outside the subset;
/// returns the index after the closing `]`.
fn bracket(chars: &[char], mut i: usize, out: &mut String) -> Result<Option<usize>> {
    let mut class = String::from("[");
    if chars.get(i) == Some(&'^') {
        class.push('^');
        i += 1;
    }
    let first = i;
    // One member: a literal character (a leading `]`, or `\` + punctuation).
    let member = |i: &mut usize| -> Result<Option<(char, bool)>> {
        match chars.get(*i) {
            None => Err(invalid("brackets [] not balanced")),
            Some('[') => Ok(None),
            Some('\\') => match chars.get(*i + 1) {
                Some(e) if !e.is_alphanumeric() => {
                    *i += 2;
                    Ok(Some((*e, true)))
                }
                _ => Ok(None),
            },
            Some(&c) => {
                *i += 1;
                Ok(Some((c, false)))
            }
        }
    };
    loop {
        match chars.get(i) {
            None => return Err(invalid("brackets [] not balanced")),
            Some(']') if i > first => break,
            _ => {}
        }
        let at = i;
        let Some((lo, lo_escaped)) = member(&mut i)? else {
            return Ok(None);
        };
        // A `-` is literal only first or last; elsewhere it must join a
        // range of two plain members.
        if lo == '-' && at > first && chars.get(i) != Some(&']') {
            return Ok(None);
        }
        if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|c| *c != ']') {
            i += 1;
            let Some((hi, hi_escaped)) = member(&mut i)? else {
                return Ok(None);
            };
            // Escaped or `-` endpoints are rare and not checked against
            // ARE: leave them alone.
            if hi == '-' || lo_escaped || hi_escaped {
                return Ok(None);
            }
            if hi < lo {
                return Err(invalid("invalid character range"));
            }
            // `[a-c-e]` is an error in ARE; leave such shapes alone.
            if chars.get(i) == Some(&'-') && chars.get(i + 1) != Some(&']') {
                return Ok(None);
            }
            push_literal(&mut class, lo);
            class.push('-');
            push_literal(&mut class, hi);
        } else {
            push_literal(&mut class, lo);
        }
    }
    class.push(']');
    out.push_str(&class);
    Ok(Some(i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str, p: &str) -> Option<bool> {
        match matches(s, p, false) {
            Ok(Evaluated::Value(b)) => Some(b),
            _ => None,
        }
    }

    fn is_error(p: &str) -> bool {
        matches!(matches("a", p, false), Err(e) if e.sqlstate() == INVALID_REGULAR_EXPRESSION)
    }

    fn not_evaluable(s: &str, p: &str, icase: bool) -> bool {
        matches!(matches(s, p, icase), Ok(Evaluated::NotEvaluable(_)))
    }

    #[test]
    fn the_subset_matches_as_are_does() {
        // Each checked against PostgreSQL 15.
        assert_eq!(m("a\nb", "a.b"), Some(true));
        assert_eq!(m("a\nb", "a[^x]b"), Some(true));
        assert_eq!(m("a\nb", "a$"), Some(false));
        assert_eq!(m("a\nb", "^b"), Some(false));
        assert_eq!(m("\\", "[\\\\]"), Some(true));
        assert_eq!(m("x]", "[]]"), Some(true));
        assert_eq!(m("a]", "[^]a]"), Some(false));
        assert_eq!(m("-", "[a-]"), Some(true));
        assert_eq!(m("a}", "a}"), Some(true));
        assert_eq!(m("a{", "a{"), Some(true));
        assert_eq!(m("a", "a{,2}"), Some(false));
        assert_eq!(m("a{,2}", "a{,2}"), Some(true));
        assert_eq!(m("a", "a{01}"), Some(true));
        assert_eq!(m("a", "()a"), Some(true));
        assert_eq!(m("a", "|"), Some(true));
        assert_eq!(m("aa", "(a){1,}?"), Some(true));
        assert_eq!(m("\u{1F600}", "^.$"), Some(true));
        assert_eq!(m("ab", "^(?:a|b)*$"), Some(true));
        assert_eq!(m("a.", "a\\."), Some(true));
        assert_eq!(m("ab", "a\\."), Some(false));
        assert_eq!(m("a&&b", "[&][&]"), Some(true));
        assert_eq!(m("a^b", "a^b"), Some(false));
        assert_eq!(matches("aB", "Ab", true).ok(), Some(Evaluated::Value(true)));
    }

    #[test]
    fn invalid_patterns_raise_2201b_as_postgresql_does() {
        for p in [
            "a**", "*a", "a{3,2}", "a{256}", "(a", "a)", "[b-a]", "a\\", "^*a", "a*+", "a*??",
            "a$*", "(*a)", "a|*b", "[a", "[]", "a{2}{3}", "a?{2}", "(?:a",
        ] {
            assert!(is_error(p), "{p}");
        }
    }

    #[test]
    fn constructs_outside_the_subset_are_not_evaluable() {
        for p in [
            "\\d",
            "(a)\\1",
            "a(?=b)",
            "(?i)A",
            "***=a(",
            "***:a",
            "[[:alpha:]]",
            "[[.a.]]",
            "[[=a=]]",
            "[\\d]",
            "\\w+",
            "a{1x}",
            "a{1,2,3}",
            "[a-c-e]",
            "[%--]",
            "[a-\\]]",
            "[\\]-a]",
            "\\y",
        ] {
            assert!(not_evaluable("a", p, false), "{p}");
        }
        // Case folding outside ASCII follows the collation.
        assert!(not_evaluable("é", "É", true));
        assert!(not_evaluable("\u{212A}", "k", true));
        assert!(!not_evaluable("\u{212A}", "k", false));
    }
}
