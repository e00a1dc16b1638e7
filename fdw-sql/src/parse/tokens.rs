//! Corrections to sqlparser's token stream where its lexer or grammar
//! differs from PostgreSQL 15's in ways a hook of the dialect cannot reach.
//!
//! * Operators: PostgreSQL's lexer reads the longest run of operator
//!   characters as one operator (less trailing `+`/`-` unless the run holds
//!   one of ``~!@#%^&|`?``); sqlparser knows a fixed set, so `===` lexes as
//!   `==` `=`. Adjacent operator tokens are re-split PostgreSQL's way, and a
//!   piece sqlparser has no token for becomes a
//!   [`Token::CustomBinaryOperator`] (so `a === b` and
//!   `OPERATOR(public.===)` parse, and resolution decides).
//! * `0x1F`: sqlparser lexes a hexadecimal number; in PostgreSQL 15 it is
//!   `0` followed by the identifier `x1F` (a column alias).
//! * Row-locking clauses: sqlparser's `LockType` has only `UPDATE` and
//!   `SHARE`, and `OF` takes one name. `FOR NO KEY UPDATE` and
//!   `FOR KEY SHARE` are rewritten to `FOR UPDATE` and `FOR SHARE`, one
//!   clause per name of an `OF` list, and the run of clauses is followed
//!   by the marker `FOR JSON PATH, ROOT('...')` holding the real strengths
//!   (SQL Server's `FOR JSON`, which PostgreSQL has not); see
//!   [`super::lock_strengths`].
//!
//! Every token keeps the span of the text it came from, so errors point
//! where PostgreSQL's would.

use sqlparser::dialect::Dialect;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Location, Span, Token, TokenWithSpan, Tokenizer};

/// The start of the `ROOT` string of the row-locking marker; one letter
/// per clause follows (see [`strength_letter`]).
pub(super) const LOCK_MARKER: &str = "fdw:lock-strengths:";

/// A row-locking strength as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strength {
    KeyShare,
    Share,
    NoKeyUpdate,
    Update,
}

/// The marker letter of a strength.
fn strength_letter(strength: Strength) -> char {
    match strength {
        Strength::KeyShare => 'k',
        Strength::Share => 's',
        Strength::NoKeyUpdate => 'n',
        Strength::Update => 'u',
    }
}

/// Applies the corrections of the module documentation.
pub(super) fn correct(
    dialect: &dyn Dialect,
    sql: &str,
    tokens: Vec<TokenWithSpan>,
) -> Vec<TokenWithSpan> {
    let source = Source::new(sql);
    let tokens = split_hex_numbers(&source, tokens);
    let tokens = merge_operators(dialect, &source, tokens);
    rewrite_locking(tokens)
}

/// Where lines and characters start, to find the text of a span in
/// constant time (spans count characters, not bytes, and every token's
/// text is looked up, so a scan from the line start would be quadratic).
struct Source<'a> {
    sql: &'a str,
    /// The character index of each line's first character.
    line_starts: Vec<usize>,
    /// `sql` is ASCII: a character index is then its byte offset.
    ascii: bool,
    /// The byte offset of each character (empty when `ascii`).
    char_offsets: Vec<usize>,
}

impl<'a> Source<'a> {
    fn new(sql: &'a str) -> Self {
        let mut line_starts = vec![0];
        let ascii = sql.is_ascii();
        let char_offsets = if ascii {
            line_starts.extend(sql.match_indices('\n').map(|(at, _)| at + 1));
            Vec::new()
        } else {
            let mut offsets = Vec::with_capacity(sql.len());
            for (index, (at, ch)) in sql.char_indices().enumerate() {
                offsets.push(at);
                if ch == '\n' {
                    line_starts.push(index + 1);
                }
            }
            offsets
        };
        Source {
            sql,
            line_starts,
            ascii,
            char_offsets,
        }
    }

    /// The byte offset of a location (1-based line and character column):
    /// the `column`-th character from the line's start (counting on past
    /// its end), or the end of the text when there is none.
    fn offset(&self, location: Location) -> Option<usize> {
        let line = usize::try_from(location.line).ok()?.checked_sub(1)?;
        let column = usize::try_from(location.column).ok()?.checked_sub(1)?;
        let start = *self.line_starts.get(line)?;
        let index = start.checked_add(column);
        if self.ascii {
            return Some(
                index
                    .filter(|&at| at < self.sql.len())
                    .unwrap_or(self.sql.len()),
            );
        }
        Some(
            index
                .and_then(|at| self.char_offsets.get(at).copied())
                .unwrap_or(self.sql.len()),
        )
    }

    /// The text from the start of `first` to the end of `last`.
    fn text(&self, first: &Span, last: &Span) -> Option<&'a str> {
        let start = self.offset(first.start)?;
        let end = self.offset(last.end)?;
        self.sql.get(start..end)
    }
}

/// `loc` moved right by `chars` characters on its line.
fn shifted(loc: Location, chars: usize) -> Location {
    Location {
        line: loc.line,
        column: loc.column + u64::try_from(chars).unwrap_or(0),
    }
}

fn is_whitespace(token: &Token) -> bool {
    matches!(token, Token::Whitespace(_))
}

// ------------------------------------------------------------- 0x numbers

/// `0x1F` as `0` and the identifier `x1F` (with an adjacent word glued on,
/// as PostgreSQL's identifier would continue).
fn split_hex_numbers(source: &Source<'_>, tokens: Vec<TokenWithSpan>) -> Vec<TokenWithSpan> {
    if !tokens
        .iter()
        .any(|t| matches!(t.token, Token::HexStringLiteral(_)))
    {
        // The common case: nothing to split, and no token moved.
        return tokens;
    }
    let mut out = Vec::with_capacity(tokens.len());
    let mut iter = tokens.into_iter().peekable();
    while let Some(token) = iter.next() {
        let Token::HexStringLiteral(digits) = &token.token else {
            out.push(token);
            continue;
        };
        let written = source.text(&token.span, &token.span).unwrap_or_default();
        if !written.starts_with("0x") {
            out.push(token);
            continue;
        }
        let mut name = format!("x{digits}");
        let mut end = token.span.end;
        if let Some(next) = iter.peek() {
            if let Token::Word(word) = &next.token {
                if word.quote_style.is_none() && next.span.start == end {
                    name.push_str(&word.value);
                    end = next.span.end;
                    iter.next();
                }
            }
        }
        let zero_end = shifted(token.span.start, 1);
        out.push(TokenWithSpan::new(
            Token::Number("0".into(), false),
            Span::new(token.span.start, zero_end),
        ));
        out.push(TokenWithSpan::new(
            Token::make_word(&name, None),
            Span::new(zero_end, end),
        ));
    }
    out
}

// -------------------------------------------------------------- operators

/// PostgreSQL's operator characters.
fn is_op_char(ch: char) -> bool {
    matches!(
        ch,
        '+' | '-'
            | '*'
            | '/'
            | '<'
            | '>'
            | '='
            | '~'
            | '!'
            | '@'
            | '#'
            | '%'
            | '^'
            | '&'
            | '|'
            | '`'
            | '?'
    )
}

/// The characters that let an operator end in `+` or `-`.
fn allows_trailing_sign(ch: char) -> bool {
    "~!@#^&|`?%".contains(ch)
}

/// The length of the operator PostgreSQL's lexer reads at the start of
/// `text` (all operator characters).
fn pg_operator_len(text: &str) -> usize {
    let mut len = text.len();
    for cut in ["/*", "--"] {
        if let Some(at) = text.find(cut) {
            len = len.min(at.max(1));
        }
    }
    let head = &text[..len];
    if len > 1 && (head.ends_with('+') || head.ends_with('-')) {
        let special = head[..len - 1].chars().any(allows_trailing_sign);
        if !special {
            while len > 1 && (text[..len].ends_with('+') || text[..len].ends_with('-')) {
                len -= 1;
            }
        }
    }
    len
}

/// Re-splits runs of adjacent operator tokens PostgreSQL's way.
fn merge_operators(
    dialect: &dyn Dialect,
    source: &Source<'_>,
    tokens: Vec<TokenWithSpan>,
) -> Vec<TokenWithSpan> {
    let is_op = |token: &TokenWithSpan| {
        source
            .text(&token.span, &token.span)
            .is_some_and(|text| !text.is_empty() && text.chars().all(is_op_char))
    };
    // A lone operator token is kept as it is: only runs of two or more
    // can be re-split, and most statements have none.
    let has_run = tokens.windows(2).any(|pair| pair.iter().all(&is_op));
    if !has_run {
        return tokens;
    }
    let mut out = Vec::with_capacity(tokens.len());
    let mut run: Vec<TokenWithSpan> = Vec::new();
    for token in tokens {
        if is_op(&token) {
            run.push(token);
        } else {
            flush_operator_run(dialect, source, &mut run, &mut out);
            out.push(token);
        }
    }
    flush_operator_run(dialect, source, &mut run, &mut out);
    out
}

fn flush_operator_run(
    dialect: &dyn Dialect,
    source: &Source<'_>,
    run: &mut Vec<TokenWithSpan>,
    out: &mut Vec<TokenWithSpan>,
) {
    let (Some(first), Some(last)) = (run.first(), run.last()) else {
        return;
    };
    let text = match source.text(&first.span, &last.span) {
        Some(text) if run.len() > 1 => text,
        _ => {
            out.append(run);
            return;
        }
    };
    // Where sqlparser's tokens end, in bytes of `text` (all ASCII).
    let mut sqlparser_ends = Vec::with_capacity(run.len());
    let mut at = 0;
    for token in run.iter() {
        at += source.text(&token.span, &token.span).map_or(0, str::len);
        sqlparser_ends.push(at);
    }
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let len = pg_operator_len(&text[start..]).max(1);
        pieces.push((start, start + len));
        start += len;
    }
    let pg_ends: Vec<usize> = pieces.iter().map(|&(_, end)| end).collect();
    if pg_ends == sqlparser_ends {
        out.append(run);
        return;
    }
    let origin = first.span.start;
    for (start, end) in pieces {
        let piece = &text[start..end];
        let token = single_token(dialect, piece)
            .unwrap_or_else(|| Token::CustomBinaryOperator(piece.to_owned()));
        out.push(TokenWithSpan::new(
            token,
            Span::new(shifted(origin, start), shifted(origin, end)),
        ));
    }
    run.clear();
}

/// The one token sqlparser lexes `text` as, if it is one.
fn single_token(dialect: &dyn Dialect, text: &str) -> Option<Token> {
    let tokens = Tokenizer::new(dialect, text).tokenize().ok()?;
    match <[Token; 1]>::try_from(tokens) {
        Ok([token]) => Some(token),
        Err(_) => None,
    }
}

// ---------------------------------------------------------- row locking

/// One parsed row-locking clause: its tokens' pieces.
struct LockClause {
    for_token: TokenWithSpan,
    strength: Strength,
    strength_token: TokenWithSpan,
    /// `OF` and each name's tokens.
    of: Option<(TokenWithSpan, Vec<Vec<TokenWithSpan>>)>,
    /// `NOWAIT` or `SKIP LOCKED`.
    wait: Vec<TokenWithSpan>,
}

fn word_is(token: &TokenWithSpan, keyword: Keyword) -> bool {
    matches!(&token.token, Token::Word(w) if w.keyword == keyword && w.quote_style.is_none())
}

/// Rewrites row-locking clauses sqlparser cannot read (module docs).
pub(super) fn rewrite_locking(tokens: Vec<TokenWithSpan>) -> Vec<TokenWithSpan> {
    // Decided on borrowed tokens: the copy below is only made for the
    // rare statement that needs it.
    let mut window: [Option<&TokenWithSpan>; 3] = [None; 3];
    let mut needs_rewrite = false;
    for token in tokens.iter().filter(|t| !is_whitespace(&t.token)) {
        window = [window[1], window[2], Some(token)];
        if let [Some(w0), Some(w1), Some(w2)] = window {
            if word_is(w0, Keyword::FOR)
                && (word_is(w1, Keyword::KEY)
                    || word_is(w1, Keyword::NO)
                    || ((word_is(w1, Keyword::UPDATE) || word_is(w1, Keyword::SHARE))
                        && word_is(w2, Keyword::OF)))
            {
                needs_rewrite = true;
                break;
            }
        }
    }
    if !needs_rewrite {
        return tokens;
    }
    let significant: Vec<TokenWithSpan> = tokens
        .iter()
        .filter(|t| !is_whitespace(&t.token))
        .cloned()
        .collect();
    let mut out = Vec::with_capacity(significant.len() + 8);
    let mut at = 0;
    while at < significant.len() {
        let mut clauses = Vec::new();
        let mut next = at;
        while let Some((clause, after)) = lock_clause(&significant, next) {
            clauses.push(clause);
            next = after;
        }
        if clauses.is_empty() {
            out.push(significant[at].clone());
            at += 1;
            continue;
        }
        emit_locking(&clauses, &mut out);
        at = next;
    }
    out
}

/// The locking clause starting at `at`, and the index after it.
fn lock_clause(tokens: &[TokenWithSpan], at: usize) -> Option<(LockClause, usize)> {
    let get = |i: usize| tokens.get(i);
    let for_token = get(at).filter(|t| word_is(t, Keyword::FOR))?.clone();
    let mut i = at + 1;
    let word = get(i)?;
    let (strength, strength_token) = if word_is(word, Keyword::UPDATE) {
        i += 1;
        (Strength::Update, word.clone())
    } else if word_is(word, Keyword::SHARE) {
        i += 1;
        (Strength::Share, word.clone())
    } else if word_is(word, Keyword::KEY) && get(i + 1).is_some_and(|t| word_is(t, Keyword::SHARE))
    {
        i += 2;
        (Strength::KeyShare, tokens[i - 1].clone())
    } else if word_is(word, Keyword::NO)
        && get(i + 1).is_some_and(|t| word_is(t, Keyword::KEY))
        && get(i + 2).is_some_and(|t| word_is(t, Keyword::UPDATE))
    {
        i += 3;
        (Strength::NoKeyUpdate, tokens[i - 1].clone())
    } else {
        return None;
    };
    let mut of = None;
    if let Some(of_token) = get(i).filter(|t| word_is(t, Keyword::OF)) {
        i += 1;
        let mut names = Vec::new();
        loop {
            let mut name = Vec::new();
            loop {
                let part = get(i).filter(|t| matches!(t.token, Token::Word(_)))?;
                name.push(part.clone());
                i += 1;
                match get(i) {
                    Some(dot) if dot.token == Token::Period => {
                        name.push(dot.clone());
                        i += 1;
                    }
                    _ => break,
                }
            }
            names.push(name);
            match get(i) {
                Some(comma) if comma.token == Token::Comma => i += 1,
                _ => break,
            }
        }
        of = Some((of_token.clone(), names));
    }
    let mut wait = Vec::new();
    if let Some(nowait) = get(i).filter(|t| word_is(t, Keyword::NOWAIT)) {
        wait.push(nowait.clone());
        i += 1;
    } else if let (Some(skip), Some(locked)) = (get(i), get(i + 1)) {
        if word_is(skip, Keyword::SKIP) && word_is(locked, Keyword::LOCKED) {
            wait.extend([skip.clone(), locked.clone()]);
            i += 2;
        }
    }
    Some((
        LockClause {
            for_token,
            strength,
            strength_token,
            of,
            wait,
        },
        i,
    ))
}

/// One `FOR UPDATE|SHARE [OF name] [wait]` per locked name, then the
/// strengths marker when a strength is one sqlparser lacks.
fn emit_locking(clauses: &[LockClause], out: &mut Vec<TokenWithSpan>) {
    let mut letters = String::new();
    for clause in clauses {
        let keyword = match clause.strength {
            Strength::KeyShare | Strength::Share => "SHARE",
            Strength::NoKeyUpdate | Strength::Update => "UPDATE",
        };
        let strength_token =
            TokenWithSpan::new(Token::make_keyword(keyword), clause.strength_token.span);
        let names: Vec<Option<&Vec<TokenWithSpan>>> = match &clause.of {
            Some((_, names)) => names.iter().map(Some).collect(),
            None => vec![None],
        };
        for name in names {
            out.push(clause.for_token.clone());
            out.push(strength_token.clone());
            if let (Some((of_token, _)), Some(name)) = (&clause.of, name) {
                out.push(of_token.clone());
                out.extend(name.iter().cloned());
            }
            out.extend(clause.wait.iter().cloned());
            letters.push(strength_letter(clause.strength));
        }
    }
    let exotic = clauses
        .iter()
        .any(|c| matches!(c.strength, Strength::KeyShare | Strength::NoKeyUpdate));
    if !exotic {
        return;
    }
    let span = clauses
        .first()
        .map(|c| c.for_token.span)
        .unwrap_or(Span::empty());
    let marker = [
        Token::make_keyword("FOR"),
        Token::make_keyword("JSON"),
        Token::make_keyword("PATH"),
        Token::Comma,
        Token::make_keyword("ROOT"),
        Token::LParen,
        Token::SingleQuotedString(format!("{LOCK_MARKER}{letters}")),
        Token::RParen,
    ];
    out.extend(
        marker
            .into_iter()
            .map(|token| TokenWithSpan::new(token, span)),
    );
}

#[cfg(test)]
mod tests {
    use super::{pg_operator_len, Source};
    use sqlparser::tokenizer::Location;

    /// The scan from the line start that the index replaced.
    fn scanned(sql: &str, line: u64, column: u64) -> Option<usize> {
        let line = usize::try_from(line).ok()?.checked_sub(1)?;
        let column = usize::try_from(column).ok()?.checked_sub(1)?;
        let mut starts = vec![0];
        starts.extend(sql.match_indices('\n').map(|(at, _)| at + 1));
        let start = *starts.get(line)?;
        Some(
            sql.get(start..)?
                .char_indices()
                .nth(column)
                .map_or(sql.len(), |(at, _)| start + at),
        )
    }

    #[test]
    fn offsets_match_a_scan_from_the_line_start() {
        for sql in ["SELECT 1 +\n  2", "SELECT 'é' ||\n 'ß€' || x", "", "\n\n"] {
            let source = Source::new(sql);
            for line in 0..5 {
                for column in 0..30 {
                    assert_eq!(
                        source.offset(Location::new(line, column)),
                        scanned(sql, line, column),
                        "{sql:?} {line}:{column}"
                    );
                }
            }
        }
    }

    #[test]
    fn operators_end_as_postgres_lexes_them() {
        assert_eq!(pg_operator_len("==="), 3);
        assert_eq!(pg_operator_len("=-"), 1);
        assert_eq!(pg_operator_len("<=-"), 2);
        assert_eq!(pg_operator_len("@-"), 2);
        assert_eq!(pg_operator_len("*-+"), 1);
    }
}
