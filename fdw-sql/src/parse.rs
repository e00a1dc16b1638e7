//! Parsing query text with sqlparser's PostgreSQL dialect, corrected to
//! PostgreSQL 15's grammar: [`PostgresDialect`]'s hooks for expressions,
//! and a pass over the tokens (`tokens`) for what no hook reaches
//! (user-defined operators, `0x1F`, `FOR KEY SHARE` / `FOR NO KEY UPDATE`,
//! `FOR UPDATE OF a, b`). Every place that parses SQL goes through
//! [`parse`].
//!
//! sqlparser's own recursion limit is set so that deeply nested input fails
//! with [`Error::TooDeep`] instead of overflowing the stack, both here and
//! later when the derived `Clone`/`Drop` of the syntax tree recurse.
//!
//! Two fast paths, for speed only (issue #5: the whole path from query
//! text to plan must not be slower than PostgreSQL's own planning), each
//! producing exactly what sqlparser's own path produces or else declining
//! so that sqlparser's path runs on the same input (and reports its own
//! errors and positions):
//!
//! * `lexer`: the tokens of most query text, in place of sqlparser's
//!   tokenizer and the correction pass; for the fast parser, without
//!   whitespace and with each token's text borrowed from the query
//!   (`select::Tok`), so that sqlparser's tokens (a `String` per word) are
//!   made only when the fast parser declines;
//! * `select`: a recursive-descent parser for the common subset of
//!   `SELECT` (plain select lists, tables and `JOIN ... ON`, `WHERE`,
//!   `GROUP BY`, `HAVING`, `ORDER BY`, `LIMIT`/`OFFSET`, the usual
//!   operators, casts to common types, `CASE`, simple calls; its module
//!   documentation lists it), which builds sqlparser's statement tree
//!   directly, spans included. sqlparser's parser spent most of parsing
//!   on speculative typed-literal attempts, dynamic dialect calls and
//!   moving its large `Expr` through each level.
//!
//! Both are proven in their tests against sqlparser's path: on every text
//! of the repository's query corpora (`corpus_texts`: whole, per line,
//! per `;`-separated piece) and on generated text inside and just outside
//! their subsets, the output must be identical, compared by `Debug`
//! (which shows spans; sqlparser's `==` ignores them).

mod lexer;
mod select;
mod tokens;

use fdw_core::query::LockStrength;
use sqlparser::ast::{ForClause, ForJson, LockType, Query, Statement};
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{TokenWithSpan, Tokenizer};

pub use crate::analyze::expr::dialect::PostgresDialect;
use crate::error::{Error, Position, Result};

/// How deep sqlparser may recurse. Each nesting level of an expression
/// costs a few parser frames, so this is well under what the default
/// thread stack holds in a debug build, and under the analyzer's
/// expression depth limit.
pub const PARSER_RECURSION_LIMIT: usize = 200;

/// Parses one or more `;`-separated statements.
///
/// # Errors
///
/// [`Error::Syntax`] (SQLSTATE 42601) with the line and column sqlparser
/// reports, or [`Error::TooDeep`] for input nested beyond
/// [`PARSER_RECURSION_LIMIT`].
pub fn parse(sql: &str) -> Result<Vec<Statement>> {
    // The fast lexer's tokens, when it has them, are the whitespace-free
    // ones `select::strip` would make of sqlparser's (its tests check
    // that): when the fast parser declines them it would decline those
    // too, and is not tried again.
    let fast_lexed = match lexer::fast_tokens(sql) {
        Some(toks) => {
            if let Some(statements) = select::parse(&toks) {
                return Ok(statements);
            }
            true
        }
        None => false,
    };
    let dialect = PostgresDialect::default();
    let tokens = tokenize(&dialect, sql)?;
    if !fast_lexed {
        if let Some(statements) = select::strip(&tokens).and_then(|toks| select::parse(&toks)) {
            return Ok(statements);
        }
    }
    let statements = Parser::new(&dialect)
        .with_recursion_limit(PARSER_RECURSION_LIMIT)
        .with_tokens_with_locations(tokens)
        .parse_statements()
        .map_err(convert_error)?;
    Ok(statements)
}

/// The tokens sqlparser's parser reads: [`lexer`]'s when the text is in
/// its subset (most queries), otherwise sqlparser's tokenizer's; either
/// way corrected by [`tokens`], and the same tokens (see `lexer`'s tests).
fn tokenize(dialect: &PostgresDialect, sql: &str) -> Result<Vec<TokenWithSpan>> {
    if let Some(tokens) = lexer::tokenize(sql) {
        return Ok(tokens);
    }
    let tokens = Tokenizer::new(dialect, sql)
        .with_unescape(true)
        .tokenize_with_location()
        .map_err(|err| convert_error(err.into()))?;
    Ok(tokens::correct(dialect, sql, tokens))
}

/// The strengths of a query's row-locking clauses, one per entry of
/// `query.locks`: sqlparser's `UPDATE`/`SHARE`, or what the marker [`parse`]
/// leaves in `query.for_clause` says (`KEY SHARE`, `NO KEY UPDATE`).
/// `None` when `query.for_clause` is something else (SQL Server's `FOR
/// XML`, ..., which PostgreSQL does not have) or does not fit the locks.
pub fn lock_strengths(query: &Query) -> Option<Vec<LockStrength>> {
    let written = || {
        query
            .locks
            .iter()
            .map(|lock| match lock.lock_type {
                LockType::Update => LockStrength::Update,
                LockType::Share => LockStrength::Share,
            })
            .collect()
    };
    match &query.for_clause {
        None => Some(written()),
        Some(ForClause::Json {
            for_json: ForJson::Path,
            root: Some(root),
            include_null_values: false,
            without_array_wrapper: false,
        }) => {
            let letters = root.strip_prefix(tokens::LOCK_MARKER)?;
            let strengths: Vec<LockStrength> = letters
                .chars()
                .map(|letter| match letter {
                    'k' => Some(LockStrength::KeyShare),
                    's' => Some(LockStrength::Share),
                    'n' => Some(LockStrength::NoKeyUpdate),
                    'u' => Some(LockStrength::Update),
                    _ => None,
                })
                .collect::<Option<_>>()?;
            (strengths.len() == query.locks.len()).then_some(strengths)
        }
        Some(_) => None,
    }
}

/// Parses exactly one statement.
///
/// # Errors
///
/// As [`parse`], plus [`Error::Syntax`] when the text holds no statement or
/// more than one.
pub fn parse_one(sql: &str) -> Result<Statement> {
    let mut statements = parse(sql)?;
    match statements.len() {
        1 => Ok(statements.remove(0)),
        0 => Err(Error::Syntax {
            message: "empty query".into(),
            position: Position { line: 1, column: 1 },
        }),
        n => Err(Error::Syntax {
            message: format!("expected one statement, found {n}"),
            position: Position { line: 1, column: 1 },
        }),
    }
}

fn convert_error(err: ParserError) -> Error {
    match err {
        ParserError::RecursionLimitExceeded => Error::TooDeep {
            limit: PARSER_RECURSION_LIMIT,
        },
        ParserError::TokenizerError(message) | ParserError::ParserError(message) => {
            let position = position_in(&message).unwrap_or(Position { line: 1, column: 1 });
            Error::Syntax {
                message: strip_location(&message),
                position,
            }
        }
    }
}

/// sqlparser appends ` at Line: L, Column: C` to its messages.
fn position_in(message: &str) -> Option<Position> {
    let at = message.rfind("Line: ")?;
    let rest = &message[at + "Line: ".len()..];
    let (line, rest) = rest.split_once(',')?;
    let column = rest.trim().strip_prefix("Column: ")?;
    let column: String = column.chars().take_while(char::is_ascii_digit).collect();
    Some(Position {
        line: line.trim().parse().ok()?,
        column: column.parse().ok()?,
    })
}

fn strip_location(message: &str) -> String {
    match message.rfind(" at Line: ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// The text of every file of the repository's query corpora (golden
/// cases, the planner's and this crate's tests and test data, the spec
/// examples, the benchmarks' queries), in a stable order: what the fast
/// paths of parsing are checked against sqlparser's on.
#[cfg(test)]
pub(crate) fn corpus_texts() -> Vec<String> {
    use std::path::Path;

    fn walk(dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            if path.is_dir() {
                walk(&path, out);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                out.push(text);
            }
        }
    }

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut texts = Vec::new();
    for dir in [
        "fdw-cli/tests",
        "fdw-planner/tests",
        "fdw-sql/tests",
        "fdw-testkit/data",
        "fdw-testkit/src",
        "benches/src",
    ] {
        walk(&root.join(dir), &mut texts);
    }
    assert!(texts.len() > 20, "corpora not found under {root:?}");
    texts
}

/// A deterministic source of indexes below a bound (xorshift64 from
/// `seed`), so that a failing generated text reproduces: the generated
/// halves of the fast paths' tests draw their fragments from it.
#[cfg(test)]
pub(crate) fn xorshift_below(seed: u64) -> impl FnMut(usize) -> usize {
    let mut state = seed;
    move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % u64::try_from(bound).unwrap_or(1)).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let err = parse("SELECT 1 FROM t\nWHERE )").unwrap_err();
        match err {
            Error::Syntax { position, .. } => assert_eq!(position.line, 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn deep_nesting_is_too_deep() {
        let sql = format!("SELECT {}1{}", "(".repeat(5000), ")".repeat(5000));
        assert!(matches!(parse(&sql), Err(Error::TooDeep { .. })));
    }

    fn select_items(sql: &str) -> Vec<String> {
        let Statement::Query(query) = parse_one(sql).unwrap() else {
            panic!("not a query");
        };
        let sqlparser::ast::SetExpr::Select(select) = *query.body else {
            panic!("not a select");
        };
        select.projection.iter().map(ToString::to_string).collect()
    }

    fn query(sql: &str) -> Query {
        match parse_one(sql).unwrap() {
            Statement::Query(query) => *query,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn user_defined_operators_lex_as_postgres_does() {
        assert_eq!(select_items("SELECT 1 === 2"), ["1 === 2"]);
        assert_eq!(
            select_items("SELECT 1 OPERATOR(public.===) 2"),
            ["1 OPERATOR(public.===) 2"]
        );
        // A trailing sign is its own token unless the operator holds one
        // of ~!@#%^&|`?.
        assert_eq!(select_items("SELECT 1=-1, 1<=-1"), ["1 = -1", "1 <= -1"]);
    }

    #[test]
    fn hex_looking_number_is_a_number_and_an_alias() {
        assert_eq!(select_items("SELECT 0x1F"), ["0 AS x1F"]);
        assert_eq!(select_items("SELECT 0x1Fg, X'1F'"), ["0 AS x1Fg", "X'1F'"]);
    }

    #[test]
    fn key_share_and_no_key_update_keep_their_strength() {
        let q = query("SELECT 1 FROM t FOR KEY SHARE SKIP LOCKED");
        assert_eq!(lock_strengths(&q), Some(vec![LockStrength::KeyShare]));
        let q = query("SELECT 1 FROM t, u FOR NO KEY UPDATE OF t, u NOWAIT FOR SHARE LIMIT 1");
        assert_eq!(
            lock_strengths(&q),
            Some(vec![
                LockStrength::NoKeyUpdate,
                LockStrength::NoKeyUpdate,
                LockStrength::Share
            ])
        );
        assert_eq!(q.locks.len(), 3);
        assert!(q.limit_clause.is_some());
        let q = query("SELECT 1 FROM t FOR UPDATE OF t");
        assert_eq!(lock_strengths(&q), Some(vec![LockStrength::Update]));
        assert!(q.for_clause.is_none());
    }

    #[test]
    fn errors_after_a_rewrite_keep_their_position() {
        let err = parse("SELECT 1 === 2 FROM\nt FOR KEY SHARE OF t WHERE").unwrap_err();
        match err {
            Error::Syntax { position, .. } => {
                assert_eq!((position.line, position.column), (2, 22));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn several_statements_parse() {
        assert_eq!(parse("SELECT 1; SELECT 2").unwrap().len(), 2);
    }
}
