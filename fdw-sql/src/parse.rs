//! Parsing query text with sqlparser's PostgreSQL dialect.
//!
//! sqlparser's own recursion limit is set so that deeply nested input fails
//! with [`Error::TooDeep`] instead of overflowing the stack, both here and
//! later when the derived `Clone`/`Drop` of the syntax tree recurse.

use sqlparser::ast::Statement;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};

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
    let dialect = PostgreSqlDialect {};
    let parser = Parser::new(&dialect).with_recursion_limit(PARSER_RECURSION_LIMIT);
    let statements = parser
        .try_with_sql(sql)
        .and_then(|mut parser| parser.parse_statements())
        .map_err(convert_error)?;
    Ok(statements)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let err = parse("SELECT 1 FROM\nWHERE").unwrap_err();
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

    #[test]
    fn several_statements_parse() {
        assert_eq!(parse("SELECT 1; SELECT 2").unwrap().len(), 2);
    }
}
