//! A fast lexer for the text most queries are made of, producing exactly
//! the tokens (spans included) that sqlparser's [`Tokenizer`] followed by
//! [`super::tokens::correct`] produces, or `None` when the text holds
//! anything outside that subset, and the caller then takes that slower
//! path for the whole text.
//!
//! Why: sqlparser's tokenizer walks a `Peekable<Chars>`, builds each word
//! through several `String`s and looks keywords up by a binary search with
//! a case-folding comparison; with the correction pass (which maps every
//! token's span back to the text) it was about half of parsing. This
//! lexer walks bytes, copies each word once and finds keywords by a hash.
//!
//! The subset, and why each thing outside it is left to sqlparser:
//!
//! * whitespace: space, tab, `\n`, `\r`, `\r\n` (other Unicode whitespace
//!   is rare);
//! * words: ASCII letters, digits, `_`, `$`; a word running into a
//!   non-ASCII character, or one that introduces a string (`E'..'`,
//!   `B'..'`, `X'..'`, `N'..'`, `U&'..'`), is left to sqlparser;
//! * `'strings'` and `"identifiers"` with doubled quotes; an unterminated
//!   one is left to sqlparser, whose error message and position the caller
//!   must report;
//! * numbers (`1`, `1.5`, `.5`, `1.`, `1e5`, `1.5E-3`, `1L`), not `0x..`
//!   (which the correction pass splits) nor `._` (sqlparser's special case);
//! * `( ) , ; [ ] . : ::`;
//! * operators: a run of PostgreSQL's operator characters that is exactly
//!   one of `= < > <= >= <> != + - * / % ||`. Any other run (`=-`, `~~`,
//!   `->`, a comment's `--` or `/*`, ...) is left to sqlparser, so no two
//!   operator tokens are ever adjacent here and the correction pass's
//!   operator re-splitting has nothing to do; nor has its `0x` split.
//!   Only its row-locking rewrite can apply, run here after a `FOR`.
//!
//! `tests` checks this against sqlparser's path on every text file of the
//! repository's query corpora and on generated text.

use std::borrow::Cow;
use std::sync::OnceLock;

use sqlparser::keywords::{Keyword, ALL_KEYWORDS, ALL_KEYWORDS_INDEX};
use sqlparser::tokenizer::{Location, Span, Token, TokenWithSpan, Whitespace, Word};

#[cfg(test)]
use sqlparser::tokenizer::Tokenizer;

use super::select::Tok;

/// The corrected tokens of `sql` (as [`super::tokens::correct`] leaves
/// them), or `None` when it holds anything outside the subset of the
/// module documentation.
pub(super) fn tokenize(sql: &str) -> Option<Vec<TokenWithSpan>> {
    let (toks, saw_for) = lex(sql, true)?;
    let tokens: Vec<TokenWithSpan> = toks.into_iter().map(Tok::into_full).collect();
    // The row-locking rewrite is the only correction that can apply, and
    // only after a `FOR`.
    Some(if saw_for {
        super::tokens::rewrite_locking(tokens)
    } else {
        tokens
    })
}

/// The tokens of `sql` for the fast parser ([`super::select::parse`]):
/// those of [`tokenize`] without whitespace, their text borrowed from
/// `sql` where it can be instead of copied into each token (see [`Tok`]).
/// `None` where [`tokenize`] is `None`, and for text with an unquoted
/// `FOR`, which the row-locking rewrite may change and which the fast
/// parser declines anyway.
///
/// Why: most words are keywords whose text no tree keeps, and half the
/// tokens are whitespace; allocating, copying and then freeing them was
/// a fifth of parsing.
pub(super) fn fast_tokens(sql: &str) -> Option<Vec<Tok<'_>>> {
    let (toks, saw_for) = lex(sql, false)?;
    (!saw_for).then_some(toks)
}

/// The tokens of `sql` (whitespace only when `whitespace`), uncorrected,
/// and whether an unquoted `FOR` was among them.
fn lex(sql: &str, whitespace: bool) -> Option<(Vec<Tok<'_>>, bool)> {
    let mut lexer = Lexer {
        sql,
        bytes: sql.as_bytes(),
        at: 0,
        line: 1,
        column: 1,
        saw_for: false,
    };
    // Query text has about a token (whitespace included) every two bytes
    // (the single-table benchmark query: 128 in 238 bytes), half of them
    // whitespace; room for a bit more, so that the vector is allocated
    // once instead of growing by doubling, capped so that a huge text
    // grows as usual.
    let capacity = if whitespace {
        sql.len() * 3 / 4 + 8
    } else {
        sql.len() * 3 / 8 + 8
    };
    let mut toks = Vec::with_capacity(capacity.min(4096));
    loop {
        if !whitespace {
            lexer.skip_whitespace();
        }
        if lexer.at >= lexer.bytes.len() {
            break;
        }
        let start = lexer.location();
        // Words (most tokens) are pushed as they are made: through
        // `next_token`'s return value each was copied twice more.
        if lexer.peek(0).is_some_and(starts_word) {
            let (value, keyword) = lexer.word()?;
            toks.push(Tok {
                token: Token::Word(Word {
                    value: String::new(),
                    quote_style: None,
                    keyword,
                }),
                span: Span::new(start, lexer.location()),
                text: Cow::Borrowed(value),
            });
            continue;
        }
        let (token, text) = lexer.next_token()?;
        toks.push(Tok {
            token,
            span: Span::new(start, lexer.location()),
            text,
        });
    }
    Some((toks, lexer.saw_for))
}

/// A position in the text, with sqlparser's line and column (1-based,
/// columns counting characters).
struct Lexer<'a> {
    sql: &'a str,
    bytes: &'a [u8],
    /// Byte offset of the next character.
    at: usize,
    line: u64,
    column: u64,
    /// Whether an unquoted `FOR` was read.
    saw_for: bool,
}

/// No text: the tokens whose text is their kind.
const NO_TEXT: Cow<'static, str> = Cow::Borrowed("");

impl<'a> Lexer<'a> {
    fn location(&self) -> Location {
        Location::new(self.line, self.column)
    }

    /// The byte `ahead` bytes after the position.
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.at + ahead).copied()
    }

    /// Steps over one byte; a character's continuation bytes take no
    /// column, so columns count characters as sqlparser's do.
    fn bump(&mut self) {
        if let Some(&byte) = self.bytes.get(self.at) {
            self.at += 1;
            if byte == b'\n' {
                self.line += 1;
                self.column = 1;
            } else if byte & 0xC0 != 0x80 {
                self.column += 1;
            }
        }
    }

    /// Steps over bytes while `accept` holds.
    fn bump_while(&mut self, accept: impl Fn(u8) -> bool) {
        while self.peek(0).is_some_and(&accept) {
            self.bump();
        }
    }

    /// Steps over the whitespace of the subset (`next_token`'s first
    /// arms), as those tokens would.
    fn skip_whitespace(&mut self) {
        while let Some(byte) = self.peek(0) {
            match byte {
                b' ' | b'\t' => self.column += 1,
                b'\n' => {
                    self.line += 1;
                    self.column = 1;
                }
                // `\r\n` is one newline; `\r` alone is one too, but
                // sqlparser's locations count it as a column.
                b'\r' => {
                    if self.peek(1) == Some(b'\n') {
                        self.at += 1;
                        self.line += 1;
                        self.column = 1;
                    } else {
                        self.column += 1;
                    }
                }
                _ => return,
            }
            self.at += 1;
        }
    }

    /// Steps over bytes while `accept` holds, where `accept` takes only
    /// ASCII bytes other than `\n`: one column each, so no per-byte
    /// bookkeeping (words, numbers and operators are most of the text).
    fn skip_ascii(&mut self, accept: impl Fn(u8) -> bool) {
        let rest = self.bytes.get(self.at..).unwrap_or_default();
        let len = rest
            .iter()
            .position(|&byte| !accept(byte))
            .unwrap_or(rest.len());
        self.at += len;
        self.column += u64::try_from(len).unwrap_or(0);
    }

    fn bump_and(&mut self, token: Token) -> Option<(Token, Cow<'a, str>)> {
        self.bump();
        Some((token, NO_TEXT))
    }

    /// The next token, its strings left empty, and its text (the word,
    /// number or string; empty for the others).
    fn next_token(&mut self) -> Option<(Token, Cow<'a, str>)> {
        match self.peek(0)? {
            b' ' => self.bump_and(Token::Whitespace(Whitespace::Space)),
            b'\t' => self.bump_and(Token::Whitespace(Whitespace::Tab)),
            b'\n' => self.bump_and(Token::Whitespace(Whitespace::Newline)),
            b'\r' => {
                self.bump();
                if self.peek(0) == Some(b'\n') {
                    self.bump();
                }
                Some((Token::Whitespace(Whitespace::Newline), NO_TEXT))
            }
            b'\'' => {
                let text = self.quoted(b'\'')?;
                Some((Token::SingleQuotedString(String::new()), text))
            }
            b'"' => {
                let text = self.quoted(b'"')?;
                let word = Word {
                    value: String::new(),
                    quote_style: Some('"'),
                    keyword: Keyword::NoKeyword,
                };
                Some((Token::Word(word), text))
            }
            b'0'..=b'9' | b'.' => self.number(),
            b'(' => self.bump_and(Token::LParen),
            b')' => self.bump_and(Token::RParen),
            b',' => self.bump_and(Token::Comma),
            b';' => self.bump_and(Token::SemiColon),
            b'[' => self.bump_and(Token::LBracket),
            b']' => self.bump_and(Token::RBracket),
            b':' => match self.peek(1) {
                Some(b':') => {
                    self.bump();
                    self.bump_and(Token::DoubleColon)
                }
                // `:=` is sqlparser's assignment token: left to it.
                Some(b'=') => None,
                _ => self.bump_and(Token::Colon),
            },
            byte if is_op_byte(byte) => self.operator().map(|token| (token, NO_TEXT)),
            // Words (`starts_word`) are read by `lex` itself.
            _ => None,
        }
    }

    /// A `'string'` or `"identifier"` (at its opening quote), its doubled
    /// quotes undoubled (borrowed from the text when it has none); `None`
    /// when unterminated.
    fn quoted(&mut self, quote: u8) -> Option<Cow<'a, str>> {
        self.bump();
        let mut value: Option<String> = None;
        loop {
            let start = self.at;
            self.bump_while(|byte| byte != quote);
            // Both ends are at ASCII bytes (or the text's end), so on
            // character boundaries.
            let piece = self.sql.get(start..self.at)?;
            // The closing quote, or `None` at the end of the text.
            self.peek(0)?;
            self.bump();
            if self.peek(0) == Some(quote) {
                let value = value.get_or_insert_with(String::new);
                value.push_str(piece);
                value.push(char::from(quote));
                self.bump();
            } else {
                return Some(match value {
                    None => Cow::Borrowed(piece),
                    Some(mut value) => {
                        value.push_str(piece);
                        Cow::Owned(value)
                    }
                });
            }
        }
    }

    /// A number, or `.` alone, as sqlparser's tokenizer reads them (at a
    /// digit or `.`).
    fn number(&mut self) -> Option<(Token, Cow<'a, str>)> {
        let start = self.at;
        if self.peek(0) == Some(b'.') && self.peek(1) == Some(b'_') {
            // sqlparser's special case for `t._c` (or an error).
            return None;
        }
        self.skip_ascii(|byte| byte.is_ascii_digit());
        if self.sql.get(start..self.at) == Some("0") && self.peek(0) == Some(b'x') {
            // `0x1F`: sqlparser's hexadecimal literal, which the correction
            // pass splits.
            return None;
        }
        if self.peek(0) == Some(b'.') {
            self.bump();
        }
        self.skip_ascii(|byte| byte.is_ascii_digit());
        if self.at - start == 1 && self.bytes.get(start) == Some(&b'.') {
            return Some((Token::Period, NO_TEXT));
        }
        if matches!(self.peek(0), Some(b'e' | b'E')) {
            let sign = usize::from(matches!(self.peek(1), Some(b'+' | b'-')));
            if self
                .peek(1 + sign)
                .is_some_and(|byte| byte.is_ascii_digit())
            {
                for _ in 0..=sign {
                    self.bump();
                }
                self.skip_ascii(|byte| byte.is_ascii_digit());
            }
        }
        let text = self.sql.get(start..self.at)?;
        let long = self.peek(0) == Some(b'L');
        if long {
            self.bump();
        }
        Some((Token::Number(String::new(), long), Cow::Borrowed(text)))
    }

    /// A run of operator characters that is exactly one operator both
    /// sqlparser and PostgreSQL read as one (module documentation).
    fn operator(&mut self) -> Option<Token> {
        let start = self.at;
        self.skip_ascii(is_op_byte);
        let token = match self.sql.get(start..self.at)? {
            "=" => Token::Eq,
            "<" => Token::Lt,
            ">" => Token::Gt,
            "<=" => Token::LtEq,
            ">=" => Token::GtEq,
            "<>" | "!=" => Token::Neq,
            "+" => Token::Plus,
            "-" => Token::Minus,
            "*" => Token::Mul,
            "/" => Token::Div,
            "%" => Token::Mod,
            "||" => Token::StringConcat,
            _ => return None,
        };
        Some(token)
    }

    /// A keyword or unquoted identifier (at its first byte, a letter or
    /// `_`): its text and keyword.
    fn word(&mut self) -> Option<(&'a str, Keyword)> {
        let first = self.peek(0)?;
        let introduces_string = match (first.to_ascii_lowercase(), self.peek(1)) {
            (b'b' | b'e' | b'n' | b'x', Some(b'\'')) | (b'b', Some(b'"')) => true,
            // `U&'...'`; a `u` before any `&` is left to sqlparser.
            (b'u', Some(b'&')) => true,
            _ => false,
        };
        if introduces_string {
            return None;
        }
        let start = self.at;
        // The word's bytes, and the keyword hash of them on the way
        // (one pass instead of a copy in upper case and a second).
        let rest = self.bytes.get(start..).unwrap_or_default();
        let mut hash = FNV_OFFSET;
        let mut len = 0;
        for &byte in rest {
            if !is_word_byte(byte) {
                break;
            }
            hash = fnv_step(hash, byte);
            len += 1;
        }
        self.at += len;
        self.column += u64::try_from(len).unwrap_or(0);
        if self.peek(0).is_some_and(|byte| !byte.is_ascii()) {
            // sqlparser's identifiers go on through any non-ASCII
            // character: left to it.
            return None;
        }
        let value = self.sql.get(start..self.at)?;
        let keyword = keyword_hashed(value, hash);
        self.saw_for |= keyword == Keyword::FOR;
        Some((value, keyword))
    }
}

/// The first bytes of an unquoted word: ASCII letters and `_`.
fn starts_word(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_'
}

/// The bytes of an unquoted word after its first: ASCII letters, digits,
/// `_` and `$`.
fn is_word_byte(byte: u8) -> bool {
    // A table instead of four range tests: words are most of the text.
    // A `u8` indexes all 256 entries, so this cannot panic.
    WORD_BYTES[usize::from(byte)]
}

/// [`is_word_byte`] of each byte.
const WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte: u8 = 0;
    loop {
        table[byte as usize] = byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'$';
        if byte == u8::MAX {
            break;
        }
        byte += 1;
    }
    table
};

/// PostgreSQL's operator characters (`tokens::is_op_char`).
fn is_op_byte(byte: u8) -> bool {
    matches!(
        byte,
        b'+' | b'-'
            | b'*'
            | b'/'
            | b'<'
            | b'>'
            | b'='
            | b'~'
            | b'!'
            | b'@'
            | b'#'
            | b'%'
            | b'^'
            | b'&'
            | b'|'
            | b'`'
            | b'?'
    )
}

// --------------------------------------------------------------- keywords

/// Slots of the keyword table: a power of two well above the number of
/// keywords (about 1,100), so that probes are short.
const KEYWORD_SLOTS: usize = 4096;

/// The longest keyword is well under this; longer words are no keyword.
const MAX_KEYWORD_LEN: usize = 48;

/// No keyword: an empty slot of the keyword table.
const EMPTY_SLOT: u16 = u16::MAX;

/// Open-addressing table of indexes into [`ALL_KEYWORDS`], by
/// [`keyword_hash`] of the keyword's text ([`EMPTY_SLOT`] where none).
fn keyword_table() -> &'static [u16] {
    static TABLE: OnceLock<Vec<u16>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = vec![EMPTY_SLOT; KEYWORD_SLOTS];
        for (index, keyword) in ALL_KEYWORDS.iter().enumerate() {
            let Ok(index) = u16::try_from(index) else {
                continue;
            };
            let mut slot = keyword_hash(keyword.as_bytes());
            // A keyword whose slot chain is full stays out of the table
            // (and is then looked up as no keyword): the table is at most
            // a third full, so this never happens.
            for _ in 0..KEYWORD_SLOTS {
                let Some(entry) = table.get_mut(slot) else {
                    break;
                };
                if *entry == EMPTY_SLOT {
                    *entry = index;
                    break;
                }
                slot = (slot + 1) % KEYWORD_SLOTS;
            }
        }
        table
    })
}

const FNV_OFFSET: u32 = 0x811c_9dc5;

/// One byte of FNV-1a over bytes with bit 5 cleared: ASCII letters hash
/// as their upper case, so a word and the keyword it spells in any case
/// hash alike (other bytes too may, which the comparison sorts out).
fn fnv_step(hash: u32, byte: u8) -> u32 {
    (hash ^ u32::from(byte & !0x20)).wrapping_mul(0x0100_0193)
}

/// The slot of a text whose [`fnv_step`] hash is `hash`.
fn slot_of(hash: u32) -> usize {
    usize::try_from(hash).unwrap_or(0) % KEYWORD_SLOTS
}

/// The slot of `text`.
fn keyword_hash(text: &[u8]) -> usize {
    slot_of(
        text.iter()
            .fold(FNV_OFFSET, |hash, &byte| fnv_step(hash, byte)),
    )
}

/// The keyword an unquoted word is, as sqlparser's (private)
/// `keyword_lookup` finds it: the entry of [`ALL_KEYWORDS`] equal to the
/// word in upper case.
#[cfg(test)]
fn keyword(word: &str) -> Keyword {
    keyword_hashed(word, word.bytes().fold(FNV_OFFSET, fnv_step))
}

/// [`keyword`] of `word`, whose [`fnv_step`] hash is `hash`.
fn keyword_hashed(word: &str, hash: u32) -> Keyword {
    if word.len() > MAX_KEYWORD_LEN {
        return Keyword::NoKeyword;
    }
    let word = word.as_bytes();
    let table = keyword_table();
    let mut slot = slot_of(hash);
    // Bounded for form's sake: an empty slot ends the chain long before.
    for _ in 0..KEYWORD_SLOTS {
        let Some(&index) = table.get(slot) else {
            break;
        };
        if index == EMPTY_SLOT {
            break;
        }
        let index = usize::from(index);
        let candidate = ALL_KEYWORDS.get(index).map_or(&[][..], |k| k.as_bytes());
        if candidate.len() == word.len()
            && candidate
                .iter()
                .zip(word)
                .all(|(&upper, &byte)| byte.to_ascii_uppercase() == upper)
        {
            return ALL_KEYWORDS_INDEX
                .get(index)
                .copied()
                .unwrap_or(Keyword::NoKeyword);
        }
        slot = (slot + 1) % KEYWORD_SLOTS;
    }
    Keyword::NoKeyword
}

/// sqlparser's own tokens for `sql`, the reference this lexer must match.
#[cfg(test)]
fn reference_tokens(sql: &str) -> Result<Vec<TokenWithSpan>, sqlparser::tokenizer::TokenizerError> {
    let dialect = super::PostgresDialect::default();
    let tokens = Tokenizer::new(&dialect, sql)
        .with_unescape(true)
        .tokenize_with_location()?;
    Ok(super::tokens::correct(&dialect, sql, tokens))
}

#[cfg(test)]
mod tests {
    use super::{fast_tokens, keyword, reference_tokens, tokenize};
    use crate::parse::PostgresDialect;
    use sqlparser::keywords::Keyword;
    use sqlparser::keywords::ALL_KEYWORDS;
    use sqlparser::tokenizer::Token;

    /// Checks `sql` both ways: the lexer's tokens, when it has them, are
    /// sqlparser's (spans included), and [`crate::parse`]'s tokens or
    /// error are the reference's. Returns whether the lexer had them.
    fn check(sql: &str) -> bool {
        let reference = reference_tokens(sql);
        let fast = tokenize(sql);
        if let Some(fast) = &fast {
            match &reference {
                Ok(reference) => {
                    if let Some(at) = fast
                        .iter()
                        .zip(reference)
                        .position(|(fast, reference)| fast != reference)
                    {
                        panic!(
                            "{sql:?}: token {at} is {:?}, sqlparser's is {:?}",
                            fast.get(at),
                            reference.get(at)
                        );
                    }
                    assert_eq!(fast.len(), reference.len(), "{sql:?}");
                }
                Err(err) => panic!("{sql:?}: lexed, but sqlparser fails: {err}"),
            }
        }
        let whole = super::super::tokenize(&PostgresDialect::default(), sql);
        // The fast parser's tokens: the whole tokens without whitespace,
        // whenever the lexer has them and no `FOR` was read.
        let toks = fast_tokens(sql);
        let saw_for = fast.as_ref().is_some_and(|fast| {
            fast.iter()
                .any(|t| matches!(&t.token, Token::Word(w) if w.keyword == Keyword::FOR && w.quote_style.is_none()))
        });
        assert_eq!(toks.is_some(), fast.is_some() && !saw_for, "{sql:?}");
        if let (Some(toks), Ok(whole)) = (&toks, &whole) {
            assert_eq!(
                Some(toks),
                super::super::select::strip(whole).as_ref(),
                "{sql:?}"
            );
        }
        let reference = reference.map_err(|err| super::super::convert_error(err.into()));
        assert_eq!(format!("{whole:?}"), format!("{reference:?}"), "{sql:?}");
        fast.is_some()
    }

    #[test]
    fn keywords_are_sqlparsers() {
        let mut words: Vec<String> = Vec::new();
        for &k in ALL_KEYWORDS {
            words.push(k.to_owned());
            words.push(k.to_lowercase());
            words.push(format!("{k}X"));
            words.push(format!("_{k}"));
            words.push(k.get(1..).unwrap_or_default().to_owned());
        }
        words.extend(["", "c1", "ft1", "x".repeat(60).as_str(), "SELECt"].map(String::from));
        for word in words {
            let Token::Word(expected) = Token::make_word(&word, None) else {
                panic!("not a word");
            };
            assert_eq!(keyword(&word), expected.keyword, "{word:?}");
        }
    }

    #[test]
    fn edge_cases_lex_as_sqlparser_does() {
        let cases = [
            "SELECT c1, c2 FROM ft1 WHERE c1 > 10 AND c3 LIKE 'abc%'",
            "SELECT 'a''b', '', '''', 'x\ny', 'é''ß', \"A\"\"b\", \"\", \"é\"",
            "SELECT 'unterminated",
            "SELECT 'unterminated\nover lines",
            "SELECT \"unterminated",
            "SELECT E'a\\'b', e'\\n', E'x', N'n', n'n', B'01', b\"x\", X'1F', x'1f'",
            "SELECT U&'\\0041', u&'x', U&\"a\", u & v, u&v",
            "SELECT $$a$$, $tag$b$tag$, $1, $, $$unterminated",
            "SELECT /* a /* nested */ b */ 1, /* unterminated",
            "SELECT 1 -- comment\n, 2 --\r\n, 3 --",
            "SELECT 1e5, .5, 1., 0x1F, 0x, 1_000, 1.5e-3, 1e+, 1e, 1.e5, 1L, 1.5L, .e5",
            "SELECT 1..2, t.c1, t._c, ._c, 1.2.3, a.b.c, 00x1, 0X1F",
            "SELECT a <-> b, a @> b, a !~~* b, a ~= b, ||/ a, |/ a, a::int, $1::text",
            "SELECT a=-1, a<=-1, a<>b, a!=b, a>=b, a||b, a%b, a % b, a%, a*b, a/b",
            "SELECT a === b, a OPERATOR(public.===) b, a := b, a : b, a:b, [1:2]",
            "SELECT ïd, dé, é, café, naïve",
            "SELECT\u{a0}1, \u{b}2, \u{c}3, \r4\r\n5",
            "SELECT 1 FROM t FOR UPDATE OF t, u NOWAIT FOR KEY SHARE SKIP LOCKED",
            "SELECT 1 FROM t FOR NO KEY UPDATE; SELECT 2 FROM t FOR SHARE OF s.t",
            "SELECT `a`, {b}, \\c, ?, ?1, @a, #a, ^a, &a, ~a, !a",
            "SELECT 1;\n\n  SELECT 'x'\n  ;",
            "",
            " ",
            "\n",
            "'",
            "\"",
        ];
        let mut lexed = 0;
        for sql in cases {
            lexed += usize::from(check(sql));
            // Each item alone too: one exotic item sends the whole text
            // to sqlparser, and the others would go unchecked.
            for item in sql.split(',') {
                lexed += usize::from(check(item));
                lexed += usize::from(check(&format!("SELECT {item}")));
            }
        }
        // Some cases must take the fast path, or the test checks nothing.
        assert!(lexed >= 100, "only {lexed} lexed");
    }

    /// The repository's query corpora, each file whole and line by line.
    #[test]
    fn corpora_lex_as_sqlparser_does() {
        let files = crate::parse::corpus_texts();
        let (mut lines, mut lexed) = (0, 0);
        for text in &files {
            if text.len() < 200_000 {
                check(text);
            }
            for line in text.lines() {
                lines += 1;
                if check(line) {
                    lexed += 1;
                }
            }
        }
        assert!(lexed * 2 > lines, "{lexed} of {lines} lines lexed");
    }

    /// Text made of fragments chosen to meet every branch of both lexers.
    #[test]
    fn generated_text_lexes_as_sqlparser_does() {
        const FRAGMENTS: [&str; 84] = [
            "SELECT", "c1", "FOR", "KEY", "SHARE", "NO", "UPDATE", "OF", "NOWAIT", " ", "  ", "\n",
            "\r", "\r\n", "\t", "\u{a0}", "'", "''", "'a'", "\"", "\"\"", "\"b\"", "1", "0", "5",
            ".", "..", "e", "E", "L", "x", "X", "b", "B", "n", "N", "u", "U", "&", "_", "$", "$$",
            "é", "ß", "€", "=", "<", ">", "!", "-", "+", "*", "/", "%", "|", "~", "@", "#", "^",
            "?", "`", ":", "::", ";", ",", "(", ")", "[", "]", "{", "}", "\\", "--", "/*", "*/",
            "0x1F", "1e5", ".5", "||", "<=", "<>", "t.c1", "a_b", "q",
        ];
        let mut next = crate::parse::xorshift_below(0x9e37_79b9_7f4a_7c15);
        let mut lexed = 0;
        for _ in 0..40_000 {
            let len = 1 + next(10);
            let sql: String = (0..len).map(|_| FRAGMENTS[next(FRAGMENTS.len())]).collect();
            lexed += usize::from(check(&sql));
        }
        assert!(lexed > 1_000, "only {lexed} lexed");
    }
}
