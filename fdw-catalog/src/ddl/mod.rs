//! The DDL loader: `.sql` text of DDL statements to catalog changes.
//!
//! [`parse`] turns the text into typed statements ([`ast::Statement`]);
//! [`load`] applies them in order to a [`Catalog`]. The text is tokenized
//! once by sqlparser's tokenizer and cut at top-level semicolons, so
//! comments, `E''` strings, dollar quotes and quoted identifiers behave as
//! in psql; each statement is then parsed by hand on sqlparser's parser
//! primitives, because sqlparser does not know most of this DDL.
//!
//! Statements that real `pg_dump --schema-only` output contains but that do
//! not change what the planner sees (COMMENT, GRANT, `ALTER ... OWNER TO`,
//! CREATE INDEX, `ALTER TABLE ... ADD CONSTRAINT`, unknown `SET`s, psql
//! meta-commands, ...) are skipped and counted per kind in the
//! [`LoadReport`].
//!
//! `IMPORT FOREIGN SCHEMA` parses, but applying it is an error: the tables
//! it would create are only known to the remote server, and this crate
//! never does I/O. The CLI can read the remote catalog and load the result.

pub mod ast;
mod parser;
mod split;
mod typmod;

use crate::error::{Error, Result};

/// Parses DDL text into statements, in order.
///
/// # Errors
///
/// [`Error::Syntax`] with the 1-based line and column of the first
/// malformed statement.
///
/// # Example
///
/// ```
/// use fdw_catalog::ddl::{ast::StatementKind, parse};
///
/// let stmts = parse("CREATE SCHEMA \"S 1\";\nSET enable_hashjoin = off;").unwrap();
/// assert!(matches!(&stmts[0].kind, StatementKind::CreateSchema { name, .. } if name == "S 1"));
/// assert_eq!(stmts[1].position.line, 2);
/// ```
pub fn parse(sql: &str) -> Result<Vec<ast::Statement>> {
    let src = parser::Source::new(sql);
    split::split(sql)?
        .into_iter()
        .map(|piece| match piece {
            split::Piece::Sql(tokens) => parser::parse_statement(tokens, &src),
            split::Piece::MetaCommand { position, name } => Ok(ast::Statement {
                position,
                kind: ast::StatementKind::Skipped { kind: name },
            }),
        })
        .collect::<Result<Vec<_>>>()
        .map_err(|err: Error| err)
}
