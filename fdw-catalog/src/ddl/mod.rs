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

mod apply;
pub mod ast;
mod parser;
mod split;
pub mod typmod;

/// PostgreSQL's reading of an identifier as written: unquoted names fold
/// ASCII letters to lower case (`downcase_identifier` in a UTF8 database),
/// quoted ones are kept, and both are truncated to 63 bytes at a character
/// boundary (`truncate_identifier`, NAMEDATALEN - 1).
pub fn fold_identifier(value: &str, quoted: bool) -> String {
    const MAX_IDENTIFIER_BYTES: usize = 63;
    let mut name = if quoted {
        value.to_owned()
    } else {
        value.to_ascii_lowercase()
    };
    if name.len() > MAX_IDENTIFIER_BYTES {
        let mut cut = MAX_IDENTIFIER_BYTES;
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        name.truncate(cut);
    }
    name
}

use std::collections::BTreeMap;

use crate::catalog::Catalog;
use crate::error::{Error, Position, Result};

/// What [`load`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Statements applied to the catalog.
    pub applied: usize,
    /// Statements recognised but not modelled, counted per kind (a
    /// PostgreSQL command tag such as `CREATE INDEX` or `ALTER TABLE OWNER
    /// TO`, `SET` for settings the catalog does not know, or a psql
    /// meta-command such as `\connect`).
    pub skipped: BTreeMap<String, usize>,
    /// Warnings and notices, in statement order (`... already exists,
    /// skipping`, precision reduced, ...).
    pub warnings: Vec<LoadWarning>,
}

/// A warning or notice raised while applying a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadWarning {
    /// Where the statement starts.
    pub position: Position,
    /// PostgreSQL's wording of the warning.
    pub message: String,
}

/// Parses `sql` and applies its statements to `catalog` in order.
///
/// The whole text is parsed before anything is applied, so a syntax error
/// leaves the catalog untouched; an error while applying leaves the
/// statements before it applied.
///
/// # Errors
///
/// [`Error::Syntax`] for text that does not parse; [`Error::Statement`]
/// with the failing statement's position around the catalog's error (an
/// unknown server, type or option, a duplicate object, ...). `IMPORT
/// FOREIGN SCHEMA` always fails: it needs the remote server's catalog.
///
/// # Example
///
/// ```
/// use fdw_catalog::catalog::Catalog;
/// use fdw_catalog::ddl::load;
///
/// let mut catalog = Catalog::new(15).unwrap();
/// let report = load(
///     &mut catalog,
///     "CREATE EXTENSION postgres_fdw;\n\
///      CREATE SERVER loopback FOREIGN DATA WRAPPER postgres_fdw OPTIONS (dbname 'db');\n\
///      GRANT USAGE ON FOREIGN SERVER loopback TO PUBLIC;",
/// )
/// .unwrap();
/// assert_eq!(report.applied, 2);
/// assert_eq!(report.skipped["GRANT"], 1);
/// ```
pub fn load(catalog: &mut Catalog, sql: &str) -> Result<LoadReport> {
    let stmts = parse(sql)?;
    let mut report = LoadReport::default();
    apply::apply_all(catalog, stmts, &mut report)?;
    Ok(report)
}

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
        .collect::<Result<Vec<_>, Error>>()
}
