//! Cutting a DDL text into statements.
//!
//! The whole text goes through sqlparser's tokenizer once, so string
//! literals (`'...'`, `E'...'`), dollar quotes, quoted identifiers and
//! comments can never hide or fake a semicolon. A statement ends at a
//! top-level semicolon, except inside a SQL-standard function body
//! (`BEGIN ATOMIC ... END`), which psql recognises the same way: in a
//! `CREATE [OR REPLACE] FUNCTION | PROCEDURE` statement, `BEGIN` and `CASE`
//! open a block and `END` closes one. A psql meta-command (`\connect db`)
//! starts with a backslash where a statement could start and runs to the
//! end of its line.

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Location, Span, Token, TokenWithSpan, Tokenizer};

use crate::error::{Error, Position, Result};

/// One piece of the input.
#[derive(Debug)]
pub(crate) enum Piece {
    /// A SQL statement: its tokens without whitespace and comments,
    /// terminated by an EOF token placed where the statement ends.
    Sql(Vec<TokenWithSpan>),
    /// A psql meta-command such as `\connect`.
    MetaCommand {
        /// Where the backslash is.
        position: Position,
        /// The command with its backslash (`\connect`).
        name: String,
    },
}

/// Tokenizes `sql` and cuts it into pieces.
pub(crate) fn split(sql: &str) -> Result<Vec<Piece>> {
    let dialect = PostgreSqlDialect {};
    let tokens = Tokenizer::new(&dialect, sql)
        .tokenize_with_location()
        .map_err(|err| Error::Syntax {
            position: position(err.location),
            message: lower_first(&err.message),
        })?;
    let end = tokens
        .last()
        .map(|tok| tok.span.end)
        .unwrap_or(Location { line: 1, column: 1 });

    let mut pieces = Vec::new();
    let mut current: Vec<TokenWithSpan> = Vec::new();
    let mut begin_depth = 0usize;
    let mut iter = tokens
        .into_iter()
        .filter(|tok| !matches!(tok.token, Token::Whitespace(_)))
        .peekable();
    while let Some(tok) = iter.next() {
        if current.is_empty() && tok.token == Token::Backslash {
            // A meta-command: everything up to the end of the line.
            let line = tok.span.start.line;
            let mut name = String::from("\\");
            if let Some(next) = iter.peek() {
                if next.span.start.line == line && next.span.start.column == tok.span.end.column {
                    if let Token::Word(word) = &next.token {
                        name.push_str(&word.value.to_ascii_lowercase());
                    }
                }
            }
            while iter.peek().is_some_and(|next| next.span.start.line == line) {
                iter.next();
            }
            pieces.push(Piece::MetaCommand {
                position: position(tok.span.start),
                name,
            });
            continue;
        }
        if tok.token == Token::SemiColon && begin_depth == 0 {
            if !current.is_empty() {
                current.push(eof_at(tok.span.start));
                pieces.push(Piece::Sql(std::mem::take(&mut current)));
            }
            continue;
        }
        if let Token::Word(word) = &tok.token {
            if word.quote_style.is_none() && is_routine_definition(&current) {
                match word.keyword {
                    Keyword::BEGIN | Keyword::CASE => begin_depth += 1,
                    Keyword::END => begin_depth = begin_depth.saturating_sub(1),
                    _ => {}
                }
            }
        }
        current.push(tok);
    }
    if !current.is_empty() {
        current.push(eof_at(end));
        pieces.push(Piece::Sql(current));
    }
    Ok(pieces)
}

/// Whether the statement so far is `CREATE [OR REPLACE] FUNCTION | PROCEDURE`,
/// the only statements whose body may hold semicolons outside quotes.
fn is_routine_definition(tokens: &[TokenWithSpan]) -> bool {
    let keywords: Vec<Keyword> = tokens
        .iter()
        .take(4)
        .map(|tok| match &tok.token {
            Token::Word(word) if word.quote_style.is_none() => word.keyword,
            _ => Keyword::NoKeyword,
        })
        .collect();
    matches!(
        keywords.as_slice(),
        [Keyword::CREATE, Keyword::FUNCTION | Keyword::PROCEDURE, ..]
            | [
                Keyword::CREATE,
                Keyword::OR,
                Keyword::REPLACE,
                Keyword::FUNCTION | Keyword::PROCEDURE,
                ..
            ]
    )
}

/// An end-of-statement token at `location`, so that errors at the end of a
/// statement still name a line and column.
fn eof_at(location: Location) -> TokenWithSpan {
    TokenWithSpan {
        token: Token::EOF,
        span: Span::new(location, location),
    }
}

/// Converts a sqlparser location into ours.
pub(crate) fn position(location: Location) -> Position {
    Position {
        line: location.line.max(1),
        column: location.column.max(1),
    }
}

/// sqlparser's messages start with a capital; ours do not.
pub(crate) fn lower_first(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(sql: &str) -> Vec<String> {
        split(sql)
            .unwrap()
            .iter()
            .map(|piece| match piece {
                Piece::Sql(tokens) => tokens
                    .iter()
                    .map(|tok| tok.token.to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
                Piece::MetaCommand { name, .. } => name.clone(),
            })
            .collect()
    }

    #[test]
    fn splits_on_top_level_semicolons_only() {
        let sql = "SELECT 'a;b', $$c;d$$, \"e;f\" -- g;h\n; /* i; */ SELECT E'j\\';k';";
        let pieces = kinds(sql);
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0], "SELECT 'a;b' , $$c;d$$ , \"e;f\" EOF");
        let Piece::Sql(tokens) = &split(sql).unwrap()[1] else {
            panic!("expected SQL")
        };
        assert_eq!(
            tokens[1].token,
            Token::EscapedStringLiteral("j';k".to_owned())
        );
    }

    #[test]
    fn keeps_begin_atomic_bodies_together() {
        let sql = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END; SELECT 3";
        let pieces = kinds(sql);
        assert_eq!(pieces.len(), 2);
        assert!(pieces[0].ends_with("END EOF"), "{}", pieces[0]);
        assert_eq!(pieces[1], "SELECT 3 EOF");
    }

    #[test]
    fn meta_commands_run_to_the_end_of_the_line() {
        let sql = "\\connect - postgres\nSELECT 1;\n\\set ON_ERROR_STOP on\n";
        assert_eq!(
            kinds(sql),
            vec![
                "\\connect".to_owned(),
                "SELECT 1 EOF".to_owned(),
                "\\set".to_owned()
            ]
        );
    }

    #[test]
    fn eof_token_sits_at_the_semicolon() {
        let pieces = split("SELECT 1\n  ;").unwrap();
        let Piece::Sql(tokens) = &pieces[0] else {
            panic!("expected SQL")
        };
        let eof = tokens.last().unwrap();
        assert_eq!(position(eof.span.start), Position { line: 2, column: 3 });
    }
}
