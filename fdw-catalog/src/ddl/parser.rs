//! Statement parsers on top of sqlparser's parser primitives.
//!
//! sqlparser does not know most of this DDL (foreign tables, servers, user
//! mappings, IMPORT FOREIGN SCHEMA, ...), so each statement is parsed here
//! by hand following PostgreSQL's grammar (gram.y), using sqlparser's
//! `Parser` for tokens, keywords and expressions. Every function works on a
//! `&mut Parser` so that `Parser::maybe_parse` can backtrack through it.
//! Errors are sqlparser's `ParserError` until the statement is done; then
//! they become `Error::Syntax` with the line and column the message names.

use sqlparser::ast::{ColumnOption, GeneratedAs};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Word};

use super::ast::*;
use super::split::{lower_first, position};
use crate::error::{Error, Position, Result};
use crate::objects::{CheckOption, FunctionBody};

type PResult<T> = std::result::Result<T, ParserError>;

/// INTERVAL_FULL_RANGE from PostgreSQL's `datetime.h`: the range mask of a
/// plain `interval(p)`.
const INTERVAL_FULL_RANGE: i64 = 0x7FFF;

/// The input text, for keeping a view's query or a function body as written.
pub(crate) struct Source<'a> {
    text: &'a str,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
}

impl<'a> Source<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(idx, _)| idx + 1));
        Self { text, line_starts }
    }

    /// The byte offset of a 1-based (line, character column) location.
    fn offset(&self, location: Location) -> usize {
        let line_idx = usize::try_from(location.line.saturating_sub(1)).unwrap_or(usize::MAX);
        let Some(&start) = self.line_starts.get(line_idx) else {
            return self.text.len();
        };
        let column = usize::try_from(location.column.saturating_sub(1)).unwrap_or(usize::MAX);
        self.text[start..]
            .char_indices()
            .nth(column)
            .map_or(self.text.len(), |(idx, _)| start + idx)
    }

    /// The text from `start` (inclusive) to `end` (exclusive).
    fn slice(&self, start: Location, end: Location) -> &'a str {
        let from = self.offset(start);
        let to = self.offset(end).max(from);
        self.text.get(from..to).unwrap_or("").trim()
    }
}

/// Parses one statement from its tokens (without whitespace, ending in an
/// EOF token placed at the statement's end).
pub(crate) fn parse_statement(tokens: Vec<TokenWithSpan>, src: &Source<'_>) -> Result<Statement> {
    let start = tokens
        .first()
        .map(|tok| tok.span.start)
        .unwrap_or(Location { line: 1, column: 1 });
    let end = tokens.last().map(|tok| tok.span.start).unwrap_or(start);
    let dialect = PostgreSqlDialect {};
    let mut parser = Parser::new(&dialect).with_tokens_with_locations(tokens);
    let kind = statement(&mut parser, src).map_err(|err| syntax_error(err, position(end)))?;
    Ok(Statement {
        position: position(start),
        kind,
    })
}

/// Turns a sqlparser error into `Error::Syntax`. sqlparser appends the
/// location to the message (" at Line: l, Column: c"); it is cut off and
/// becomes the error's position, and "Expected: x, found: y" is reworded
/// to our style.
fn syntax_error(err: ParserError, fallback: Position) -> Error {
    let text = match err {
        ParserError::TokenizerError(msg) | ParserError::ParserError(msg) => msg,
        ParserError::RecursionLimitExceeded => {
            return Error::Syntax {
                position: fallback,
                message: "statement is nested too deeply".to_owned(),
            }
        }
    };
    let (message, position) = match text.rsplit_once(" at Line: ") {
        Some((message, loc)) => {
            let mut parts = loc.split(", Column: ");
            let line = parts.next().and_then(|l| l.trim().parse::<u64>().ok());
            let column = parts.next().and_then(|c| c.trim().parse::<u64>().ok());
            match (line, column) {
                (Some(line), Some(column)) if line > 0 => {
                    (message.to_owned(), Position { line, column })
                }
                _ => (text.clone(), fallback),
            }
        }
        None => (text.clone(), fallback),
    };
    let message = message
        .replacen("Expected: ", "expected ", 1)
        .replacen(", found: EOF", ", found end of statement", 1)
        .replacen(", found: ", ", found ", 1);
    Error::Syntax {
        position,
        message: lower_first(&message),
    }
}

/// A parse error at a given location, in sqlparser's format so that
/// `syntax_error` finds the position.
fn error_at<T>(message: impl std::fmt::Display, location: Location) -> PResult<T> {
    Err(ParserError::ParserError(format!("{message}{location}")))
}

fn next_location(p: &Parser<'_>) -> Location {
    p.peek_token_ref().span.start
}

fn expect_end(p: &mut Parser<'_>) -> PResult<()> {
    if p.peek_token_ref().token == Token::EOF {
        Ok(())
    } else {
        p.expected_ref("end of statement", p.peek_token_ref())
    }
}

/// The lower-cased text of the next token if it is an unquoted word.
fn peek_word(p: &Parser<'_>) -> Option<String> {
    peek_nth_word(p, 0)
}

fn peek_nth_word(p: &Parser<'_>, n: usize) -> Option<String> {
    match &p.peek_nth_token_ref(n).token {
        Token::Word(Word {
            value,
            quote_style: None,
            ..
        }) => Some(value.to_ascii_lowercase()),
        _ => None,
    }
}

/// Consumes the next token if it is the unquoted word `word` (for words
/// that are not sqlparser keywords).
fn parse_word(p: &mut Parser<'_>, word: &str) -> bool {
    if peek_word(p).as_deref() == Some(word) {
        p.advance_token();
        true
    } else {
        false
    }
}

/// Folds an identifier as PostgreSQL does: unquoted names are lower-cased
/// (ASCII only, as in a UTF8 database), and all names are truncated to 63
/// bytes.
fn fold(word: &Word) -> String {
    super::fold_identifier(&word.value, word.quote_style.is_some())
}

fn ident(p: &mut Parser<'_>) -> PResult<String> {
    let tok = p.next_token();
    match &tok.token {
        Token::Word(word) => Ok(fold(word)),
        _ => p.expected("identifier", tok),
    }
}

fn qualified_name(p: &mut Parser<'_>) -> PResult<QualifiedName> {
    let location = next_location(p);
    let mut parts = vec![ident(p)?];
    while p.consume_token(&Token::Period) {
        parts.push(ident(p)?);
    }
    qualified_from_parts(parts, location)
}

fn qualified_from_parts(mut parts: Vec<String>, location: Location) -> PResult<QualifiedName> {
    let name = parts.pop().unwrap_or_default();
    match parts.len() {
        0 => Ok(QualifiedName { schema: None, name }),
        // `catalog.schema.name`: PostgreSQL only checks the catalog is the
        // current database, which a loader cannot know; it is dropped.
        1 | 2 => Ok(QualifiedName {
            schema: parts.pop(),
            name,
        }),
        _ => {
            parts.push(name);
            error_at(
                format_args!(
                    "improper qualified name (too many dotted names): {}",
                    parts.join(".")
                ),
                location,
            )
        }
    }
}

fn string_literal(p: &mut Parser<'_>) -> PResult<String> {
    let tok = p.next_token();
    match tok.token {
        Token::SingleQuotedString(s)
        | Token::EscapedStringLiteral(s)
        | Token::NationalStringLiteral(s)
        | Token::UnicodeStringLiteral(s) => Ok(s),
        Token::DollarQuotedString(s) => Ok(s.value),
        _ => p.expected("string literal", tok),
    }
}

fn unsigned_integer(p: &mut Parser<'_>) -> PResult<i64> {
    let tok = p.next_token();
    match &tok.token {
        Token::Number(text, _) => match text.parse::<i64>() {
            Ok(value) => Ok(value),
            Err(_) => p.expected("integer", tok),
        },
        _ => p.expected("integer", tok),
    }
}

fn signed_integer(p: &mut Parser<'_>) -> PResult<i64> {
    let negative = p.consume_token(&Token::Minus);
    if !negative {
        let _ = p.consume_token(&Token::Plus);
    }
    let value = unsigned_integer(p)?;
    Ok(if negative { -value } else { value })
}

/// A number as written, for `COST`, `ROWS` and definition lists.
fn number(p: &mut Parser<'_>) -> PResult<String> {
    let negative = p.consume_token(&Token::Minus);
    let tok = p.next_token();
    match tok.token {
        Token::Number(text, _) => Ok(if negative { format!("-{text}") } else { text }),
        _ => p.expected("number", tok),
    }
}

fn if_not_exists(p: &mut Parser<'_>) -> bool {
    p.parse_keywords(&[Keyword::IF, Keyword::NOT, Keyword::EXISTS])
}

fn if_exists(p: &mut Parser<'_>) -> bool {
    p.parse_keywords(&[Keyword::IF, Keyword::EXISTS])
}

fn parenthesized<T>(
    p: &mut Parser<'_>,
    mut f: impl FnMut(&mut Parser<'_>) -> PResult<T>,
) -> PResult<Vec<T>> {
    p.expect_token(&Token::LParen)?;
    let mut items = Vec::new();
    if p.consume_token(&Token::RParen) {
        return Ok(items);
    }
    loop {
        items.push(f(p)?);
        if p.consume_token(&Token::Comma) {
            continue;
        }
        p.expect_token(&Token::RParen)?;
        return Ok(items);
    }
}

/// `OPTIONS (name 'value', ...)`, if present.
fn generic_options(p: &mut Parser<'_>) -> PResult<Vec<GenericOption>> {
    if !p.parse_keyword(Keyword::OPTIONS) {
        return Ok(Vec::new());
    }
    p.expect_token(&Token::LParen)?;
    let mut options = Vec::new();
    loop {
        options.push(generic_option(p)?);
        if !p.consume_token(&Token::Comma) {
            break;
        }
    }
    p.expect_token(&Token::RParen)?;
    Ok(options)
}

fn generic_option(p: &mut Parser<'_>) -> PResult<GenericOption> {
    let position = position(next_location(p));
    let name = ident(p)?;
    let value = string_literal(p)?;
    Ok(GenericOption {
        name,
        value,
        position,
    })
}

/// `OPTIONS ([ADD | SET | DROP] name ['value'], ...)`. A verb followed by a
/// string is an option named like the verb, as in gram.y.
fn alter_generic_options(p: &mut Parser<'_>) -> PResult<Vec<OptionChange>> {
    p.expect_keyword_is(Keyword::OPTIONS)?;
    p.expect_token(&Token::LParen)?;
    let mut changes = Vec::new();
    loop {
        let verb = peek_word(p);
        let then_name = matches!(p.peek_nth_token_ref(1).token, Token::Word(_));
        let change = match verb.as_deref() {
            Some("add") if then_name => {
                p.advance_token();
                OptionChange::Add(generic_option(p)?)
            }
            Some("set") if then_name => {
                p.advance_token();
                OptionChange::Set(generic_option(p)?)
            }
            Some("drop") if then_name => {
                p.advance_token();
                let position = position(next_location(p));
                OptionChange::Drop {
                    name: ident(p)?,
                    position,
                }
            }
            _ => OptionChange::Add(generic_option(p)?),
        };
        changes.push(change);
        if !p.consume_token(&Token::Comma) {
            break;
        }
    }
    p.expect_token(&Token::RParen)?;
    Ok(changes)
}

fn statement(p: &mut Parser<'_>, src: &Source<'_>) -> PResult<StatementKind> {
    let first = peek_word(p);
    let kind = match first.as_deref() {
        Some("create") => {
            p.advance_token();
            create(p, src)?
        }
        Some("alter") => {
            p.advance_token();
            alter(p)?
        }
        Some("drop") => {
            p.advance_token();
            drop(p)?
        }
        Some("import") => {
            p.advance_token();
            import_foreign_schema(p)?
        }
        Some("set") => {
            p.advance_token();
            set(p)?
        }
        Some(word) => match skipped_command_tag(word) {
            Some(tag) => return Ok(skip(p, tag)),
            None => return p.expected_ref("a DDL statement", p.peek_token_ref()),
        },
        None => return p.expected_ref("a DDL statement", p.peek_token_ref()),
    };
    expect_end(p)?;
    Ok(kind)
}

/// The command tag of a statement that is recognised by its first word
/// and skipped as a whole.
fn skipped_command_tag(word: &str) -> Option<&'static str> {
    Some(match word {
        "select" => "SELECT",
        "comment" => "COMMENT",
        "grant" => "GRANT",
        "revoke" => "REVOKE",
        "security" => "SECURITY LABEL",
        "analyze" | "analyse" => "ANALYZE",
        "vacuum" => "VACUUM",
        "begin" => "BEGIN",
        "start" => "START TRANSACTION",
        "commit" | "end" => "COMMIT",
        "rollback" | "abort" => "ROLLBACK",
        "reset" => "RESET",
        "insert" => "INSERT",
        "update" => "UPDATE",
        "delete" => "DELETE",
        "truncate" => "TRUNCATE",
        "refresh" => "REFRESH MATERIALIZED VIEW",
        "cluster" => "CLUSTER",
        "do" => "DO",
        "lock" => "LOCK TABLE",
        "checkpoint" => "CHECKPOINT",
        "reindex" => "REINDEX",
        "notify" => "NOTIFY",
        "discard" => "DISCARD",
        _ => return None,
    })
}

/// Consumes the rest of a skipped statement.
fn skip(p: &mut Parser<'_>, tag: impl Into<String>) -> StatementKind {
    while p.peek_token_ref().token != Token::EOF {
        p.advance_token();
    }
    StatementKind::Skipped { kind: tag.into() }
}

fn create(p: &mut Parser<'_>, src: &Source<'_>) -> PResult<StatementKind> {
    let or_replace = p.parse_keywords(&[Keyword::OR, Keyword::REPLACE]);
    let word = peek_word(p).unwrap_or_default();
    match word.as_str() {
        "schema" if !or_replace => {
            p.advance_token();
            let if_not_exists = if_not_exists(p);
            let name = if p.parse_keyword(Keyword::AUTHORIZATION) {
                ident(p)?
            } else {
                let name = ident(p)?;
                if p.parse_keyword(Keyword::AUTHORIZATION) {
                    ident(p)?;
                }
                name
            };
            Ok(StatementKind::CreateSchema {
                name,
                if_not_exists,
            })
        }
        "extension" if !or_replace => {
            p.advance_token();
            create_extension(p)
        }
        "server" if !or_replace => {
            p.advance_token();
            create_server(p)
        }
        "foreign" if !or_replace => {
            p.advance_token();
            if p.parse_keywords(&[Keyword::DATA, Keyword::WRAPPER]) {
                create_foreign_data_wrapper(p)
            } else {
                p.expect_keyword_is(Keyword::TABLE)?;
                create_table(p, TablePersistence::Foreign)
            }
        }
        "user" if !or_replace && peek_nth_word(p, 1).as_deref() == Some("mapping") => {
            p.advance_token();
            p.advance_token();
            create_user_mapping(p)
        }
        "table" if !or_replace => {
            p.advance_token();
            create_table(p, TablePersistence::Permanent)
        }
        "unlogged" if !or_replace => {
            p.advance_token();
            p.expect_keyword_is(Keyword::TABLE)?;
            create_table(p, TablePersistence::Unlogged)
        }
        "global" | "local" | "temp" | "temporary" => {
            p.advance_token();
            if matches!(word.as_str(), "global" | "local")
                && !(parse_word(p, "temp") || parse_word(p, "temporary"))
            {
                return p.expected_ref("TEMPORARY", p.peek_token_ref());
            }
            if or_replace || parse_word(p, "view") {
                return create_view(p, src, or_replace);
            }
            if parse_word(p, "recursive") {
                p.expect_keyword_is(Keyword::VIEW)?;
                return create_view(p, src, or_replace);
            }
            if parse_word(p, "sequence") {
                return Ok(skip(p, "CREATE SEQUENCE"));
            }
            p.expect_keyword_is(Keyword::TABLE)?;
            create_table(p, TablePersistence::Temporary)
        }
        "type" if !or_replace => {
            p.advance_token();
            create_type(p)
        }
        "domain" if !or_replace => {
            p.advance_token();
            create_domain(p)
        }
        "function" | "procedure" => {
            p.advance_token();
            create_function(p, src, or_replace, word == "procedure")
        }
        "aggregate" => {
            p.advance_token();
            create_aggregate(p, or_replace)
        }
        "operator" if !or_replace => {
            p.advance_token();
            match peek_word(p).as_deref() {
                Some("class") => Ok(skip(p, "CREATE OPERATOR CLASS")),
                Some("family") => Ok(skip(p, "CREATE OPERATOR FAMILY")),
                _ => create_operator(p),
            }
        }
        "view" => {
            p.advance_token();
            create_view(p, src, or_replace)
        }
        "recursive" => {
            p.advance_token();
            p.expect_keyword_is(Keyword::VIEW)?;
            create_view(p, src, or_replace)
        }
        _ => {
            let tag = match word.as_str() {
                "index" | "unique" => "CREATE INDEX",
                "sequence" => "CREATE SEQUENCE",
                "trigger" | "constraint" => "CREATE TRIGGER",
                "event" => "CREATE EVENT TRIGGER",
                "rule" => "CREATE RULE",
                "policy" => "CREATE POLICY",
                "materialized" => "CREATE MATERIALIZED VIEW",
                "cast" => "CREATE CAST",
                "collation" => "CREATE COLLATION",
                "conversion" | "default" => "CREATE CONVERSION",
                "publication" => "CREATE PUBLICATION",
                "subscription" => "CREATE SUBSCRIPTION",
                "text" => "CREATE TEXT SEARCH",
                "role" | "user" | "group" => "CREATE ROLE",
                "database" => "CREATE DATABASE",
                "tablespace" => "CREATE TABLESPACE",
                "language" | "trusted" | "procedural" => "CREATE LANGUAGE",
                "statistics" => "CREATE STATISTICS",
                "transform" => "CREATE TRANSFORM",
                "access" => "CREATE ACCESS METHOD",
                _ => return p.expected_ref("an object type after CREATE", p.peek_token_ref()),
            };
            Ok(skip(p, tag))
        }
    }
}

fn create_extension(p: &mut Parser<'_>) -> PResult<StatementKind> {
    let if_not_exists = if_not_exists(p);
    let name = ident(p)?;
    let _ = p.parse_keyword(Keyword::WITH);
    let mut schema = None;
    let mut version = None;
    let mut cascade = false;
    loop {
        if p.parse_keyword(Keyword::SCHEMA) {
            schema = Some(ident(p)?);
        } else if p.parse_keyword(Keyword::VERSION) {
            version = Some(string_or_ident(p)?);
        } else if p.parse_keyword(Keyword::FROM) {
            // `FROM old_version` (PostgreSQL 9.x upgrades); ignored.
            string_or_ident(p)?;
        } else if p.parse_keyword(Keyword::CASCADE) {
            cascade = true;
        } else {
            break;
        }
    }
    Ok(StatementKind::CreateExtension {
        name,
        if_not_exists,
        schema,
        version,
        cascade,
    })
}

/// gram.y's `NonReservedWord_or_Sconst`.
fn string_or_ident(p: &mut Parser<'_>) -> PResult<String> {
    if matches!(p.peek_token_ref().token, Token::Word(_)) {
        ident(p)
    } else {
        string_literal(p)
    }
}

fn create_foreign_data_wrapper(p: &mut Parser<'_>) -> PResult<StatementKind> {
    let name = ident(p)?;
    let mut handler = None;
    let mut validator = None;
    loop {
        if parse_word(p, "handler") {
            handler = Some(qualified_name(p)?);
        } else if parse_word(p, "validator") {
            validator = Some(qualified_name(p)?);
        } else if p.parse_keyword(Keyword::NO) {
            if !(parse_word(p, "handler") || parse_word(p, "validator")) {
                return p.expected_ref("HANDLER or VALIDATOR", p.peek_token_ref());
            }
        } else {
            break;
        }
    }
    let options = generic_options(p)?;
    Ok(StatementKind::CreateForeignDataWrapper {
        name,
        handler,
        validator,
        options,
    })
}

fn create_server(p: &mut Parser<'_>) -> PResult<StatementKind> {
    let if_not_exists = if_not_exists(p);
    let name = ident(p)?;
    let server_type = if p.parse_keyword(Keyword::TYPE) {
        Some(string_literal(p)?)
    } else {
        None
    };
    let version = if p.parse_keyword(Keyword::VERSION) {
        Some(string_literal(p)?)
    } else {
        None
    };
    p.expect_keywords(&[Keyword::FOREIGN, Keyword::DATA, Keyword::WRAPPER])?;
    let wrapper = ident(p)?;
    let options = generic_options(p)?;
    Ok(StatementKind::CreateServer(CreateServer {
        name,
        if_not_exists,
        server_type,
        version,
        wrapper,
        options,
    }))
}

/// `FOR {role | USER | CURRENT_USER | CURRENT_ROLE | SESSION_USER | PUBLIC} SERVER name`.
fn user_and_server(p: &mut Parser<'_>) -> PResult<(UserSpec, String)> {
    p.expect_keyword_is(Keyword::FOR)?;
    let tok = p.next_token();
    let user = match &tok.token {
        Token::Word(word) if word.quote_style.is_none() => {
            match word.value.to_ascii_lowercase().as_str() {
                "public" => UserSpec::Public,
                "user" | "current_user" | "current_role" => UserSpec::CurrentUser,
                "session_user" => UserSpec::SessionUser,
                _ => UserSpec::Role(fold(word)),
            }
        }
        Token::Word(word) => UserSpec::Role(fold(word)),
        _ => return p.expected("role name", tok),
    };
    p.expect_keyword_is(Keyword::SERVER)?;
    let server = ident(p)?;
    Ok((user, server))
}

fn create_user_mapping(p: &mut Parser<'_>) -> PResult<StatementKind> {
    let if_not_exists = if_not_exists(p);
    let (user, server) = user_and_server(p)?;
    let options = generic_options(p)?;
    Ok(StatementKind::CreateUserMapping {
        user,
        server,
        if_not_exists,
        options,
    })
}

fn create_table(p: &mut Parser<'_>, persistence: TablePersistence) -> PResult<StatementKind> {
    let if_not_exists = if_not_exists(p);
    let name = qualified_name(p)?;
    let mut table = CreateTable {
        name,
        persistence,
        if_not_exists,
        columns: Vec::new(),
        constraints: Vec::new(),
        inherits: Vec::new(),
        partition_of: None,
        partition_by: None,
        server: None,
        options: Vec::new(),
    };
    if p.parse_keyword(Keyword::AS) || peek_word(p).as_deref() == Some("of") {
        // CREATE TABLE ... AS query and typed tables: their columns come
        // from a query or a type the loader does not evaluate.
        let tag = if persistence == TablePersistence::Foreign {
            return p.expected_ref("column list or PARTITION OF", p.peek_token_ref());
        } else {
            "CREATE TABLE AS"
        };
        return Ok(skip(p, tag));
    }
    if p.parse_keyword(Keyword::PARTITION) {
        p.expect_keyword_is(Keyword::OF)?;
        let parent = qualified_name(p)?;
        if p.peek_token_ref().token == Token::LParen {
            table_elements(p, &mut table, true)?;
        }
        let bound = partition_bound(p)?;
        table.partition_of = Some(PartitionOf { parent, bound });
    } else {
        table_elements(p, &mut table, false)?;
        if p.parse_keyword(Keyword::INHERITS) {
            table.inherits = parenthesized(p, qualified_name)?;
        }
    }
    if p.parse_keyword(Keyword::PARTITION) {
        p.expect_keyword_is(Keyword::BY)?;
        table.partition_by = Some(partition_by(p)?);
    }
    if persistence == TablePersistence::Foreign {
        p.expect_keyword_is(Keyword::SERVER)?;
        table.server = Some(ident(p)?);
        table.options = generic_options(p)?;
        return Ok(StatementKind::CreateTable(table));
    }
    // Storage clauses that do not matter to planning.
    loop {
        if p.parse_keyword(Keyword::USING) {
            ident(p)?;
        } else if p.parse_keyword(Keyword::WITH) {
            if p.consume_token(&Token::LParen) {
                skip_to_close_paren(p)?;
            } else {
                if !parse_word(p, "oids") {
                    return p.expected_ref("( or OIDS", p.peek_token_ref());
                }
            }
        } else if p.peek_keyword(Keyword::WITHOUT) && peek_nth_word(p, 1).as_deref() == Some("oids")
        {
            p.advance_token();
            p.advance_token();
        } else if p.parse_keywords(&[Keyword::ON, Keyword::COMMIT]) {
            if !(p.parse_keywords(&[Keyword::PRESERVE, Keyword::ROWS])
                || p.parse_keywords(&[Keyword::DELETE, Keyword::ROWS])
                || p.parse_keyword(Keyword::DROP))
            {
                return p.expected_ref("PRESERVE ROWS, DELETE ROWS or DROP", p.peek_token_ref());
            }
        } else if p.parse_keyword(Keyword::TABLESPACE) {
            ident(p)?;
        } else {
            break;
        }
    }
    Ok(StatementKind::CreateTable(table))
}

/// Skips balanced tokens up to and including the `)` closing an already
/// consumed `(`.
fn skip_to_close_paren(p: &mut Parser<'_>) -> PResult<()> {
    let mut depth = 1usize;
    loop {
        let tok = p.next_token();
        match tok.token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth == 0 {
                    return Ok(());
                }
            }
            Token::EOF => return p.expected(")", tok),
            _ => {}
        }
    }
}

/// The parenthesized list of columns and table constraints. In a
/// `PARTITION OF` list, columns have no type (`name [WITH OPTIONS] constraints`).
fn table_elements(p: &mut Parser<'_>, table: &mut CreateTable, partition: bool) -> PResult<()> {
    p.expect_token(&Token::LParen)?;
    if p.consume_token(&Token::RParen) {
        return Ok(());
    }
    loop {
        let starts_constraint = matches!(
            peek_word(p).as_deref(),
            Some("constraint" | "primary" | "unique" | "check" | "foreign" | "exclude")
        );
        if starts_constraint {
            let location = next_location(p);
            match p.parse_optional_table_constraint()? {
                Some(constraint) => table.constraints.push(table_constraint(constraint)?),
                None => return error_at("unsupported table constraint", location),
            }
        } else if peek_word(p).as_deref() == Some("like") {
            let location = next_location(p);
            return error_at("LIKE in a table definition is not supported", location);
        } else {
            table.columns.push(column_def(p, partition)?);
        }
        if p.consume_token(&Token::Comma) {
            continue;
        }
        p.expect_token(&Token::RParen)?;
        return Ok(());
    }
}

fn table_constraint(constraint: sqlparser::ast::TableConstraint) -> PResult<TableConstraint> {
    use sqlparser::ast::TableConstraint as Sql;
    let index_columns = |columns: &[sqlparser::ast::IndexColumn]| -> Vec<String> {
        columns
            .iter()
            .map(|col| match &col.column.expr {
                sqlparser::ast::Expr::Identifier(ident) => fold_ident(ident),
                other => other.to_string(),
            })
            .collect()
    };
    Ok(match constraint {
        Sql::PrimaryKey(pk) => TableConstraint::PrimaryKey(index_columns(&pk.columns)),
        Sql::Unique(unique) => TableConstraint::Unique(index_columns(&unique.columns)),
        Sql::Check(check) => TableConstraint::Check(check.expr),
        Sql::ForeignKey(fk) => TableConstraint::ForeignKey {
            columns: fk.columns.iter().map(fold_ident).collect(),
            table: object_name(&fk.foreign_table)?,
        },
        other => {
            return Err(ParserError::ParserError(format!(
                "unsupported table constraint: {other}"
            )))
        }
    })
}

fn fold_ident(ident: &sqlparser::ast::Ident) -> String {
    fold(&Word {
        value: ident.value.clone(),
        quote_style: ident.quote_style,
        keyword: Keyword::NoKeyword,
    })
}

/// Converts a sqlparser object name (from a constraint or a COLLATE clause).
fn object_name(name: &sqlparser::ast::ObjectName) -> PResult<QualifiedName> {
    let parts = name
        .0
        .iter()
        .map(|part| match part.as_ident() {
            Some(ident) => Ok(fold_ident(ident)),
            None => Err(ParserError::ParserError(format!(
                "expected a name, found {part}"
            ))),
        })
        .collect::<PResult<Vec<_>>>()?;
    qualified_from_parts(parts, Location { line: 0, column: 0 })
}

fn column_def(p: &mut Parser<'_>, partition: bool) -> PResult<ColumnDef> {
    let position = position(next_location(p));
    let name = ident(p)?;
    let data_type = if partition {
        if p.parse_keyword(Keyword::WITH) {
            p.expect_keyword_is(Keyword::OPTIONS)?;
        }
        None
    } else {
        Some(type_name(p)?)
    };
    if parse_word(p, "storage") {
        ident(p)?;
    }
    if parse_word(p, "compression") {
        ident(p)?;
    }
    let options = generic_options(p)?;
    let constraints = column_constraints(p)?;
    Ok(ColumnDef {
        name,
        data_type,
        options,
        constraints,
        position,
    })
}

/// gram.y's `ColQualList`, through sqlparser's column-option parser (which
/// keeps `DEFAULT 0 NOT NULL` apart as PostgreSQL does).
fn column_constraints(p: &mut Parser<'_>) -> PResult<Vec<ColumnConstraint>> {
    let mut constraints = Vec::new();
    loop {
        if p.parse_keyword(Keyword::CONSTRAINT) {
            ident(p)?;
        }
        let location = next_location(p);
        let Some(option) = p.parse_optional_column_option()? else {
            break;
        };
        let constraint = match option {
            ColumnOption::NotNull => ColumnConstraint::NotNull,
            ColumnOption::Null => ColumnConstraint::Null,
            ColumnOption::Default(expr) => ColumnConstraint::Default(Box::new(expr)),
            ColumnOption::Collation(name) => ColumnConstraint::Collate(object_name(&name)?),
            ColumnOption::Check(check) => ColumnConstraint::Check(check.expr),
            ColumnOption::PrimaryKey(_) => ColumnConstraint::PrimaryKey,
            ColumnOption::Unique(_) => ColumnConstraint::Unique,
            ColumnOption::ForeignKey(fk) => {
                ColumnConstraint::References(object_name(&fk.foreign_table)?)
            }
            ColumnOption::Generated {
                generated_as,
                generation_expr,
                ..
            } => match (generated_as, generation_expr) {
                (GeneratedAs::Always | GeneratedAs::ExpStored, Some(expr)) => {
                    ColumnConstraint::Generated(Box::new(expr))
                }
                (_, None) => ColumnConstraint::Identity,
                (GeneratedAs::ByDefault, Some(_)) => {
                    return error_at("expected ALWAYS before AS (expression)", location)
                }
            },
            other => return error_at(format_args!("unexpected column clause {other}"), location),
        };
        constraints.push(constraint);
    }
    Ok(constraints)
}

fn partition_bound(p: &mut Parser<'_>) -> PResult<PartitionBound> {
    if p.parse_keyword(Keyword::DEFAULT) {
        return Ok(PartitionBound::Default);
    }
    p.expect_keywords(&[Keyword::FOR, Keyword::VALUES])?;
    if p.parse_keyword(Keyword::IN) {
        Ok(PartitionBound::List(parenthesized(p, |p| {
            p.parse_expr().map(Box::new)
        })?))
    } else if p.parse_keyword(Keyword::FROM) {
        let from = parenthesized(p, |p| p.parse_expr().map(Box::new))?;
        p.expect_keyword_is(Keyword::TO)?;
        let to = parenthesized(p, |p| p.parse_expr().map(Box::new))?;
        Ok(PartitionBound::Range { from, to })
    } else if p.parse_keyword(Keyword::WITH) {
        p.expect_token(&Token::LParen)?;
        let mut modulus = None;
        let mut remainder = None;
        loop {
            let location = next_location(p);
            let which = ident(p)?;
            let value = unsigned_integer(p)?;
            let value = u64::try_from(value).unwrap_or(0);
            match which.as_str() {
                "modulus" => modulus = Some(value),
                "remainder" => remainder = Some(value),
                other => {
                    return error_at(
                        format_args!("unrecognized hash partition bound specification \"{other}\""),
                        location,
                    )
                }
            }
            if !p.consume_token(&Token::Comma) {
                break;
            }
        }
        let close = p.expect_token(&Token::RParen)?;
        match (modulus, remainder) {
            (Some(modulus), Some(remainder)) => Ok(PartitionBound::Hash { modulus, remainder }),
            (None, _) => error_at(
                "modulus for hash partition must be specified",
                close.span.start,
            ),
            (_, None) => error_at(
                "remainder for hash partition must be specified",
                close.span.start,
            ),
        }
    } else {
        p.expected_ref("IN, FROM or WITH", p.peek_token_ref())
    }
}

fn partition_by(p: &mut Parser<'_>) -> PResult<PartitionBy> {
    let location = next_location(p);
    let strategy = match ident(p)?.as_str() {
        "range" => PartitionStrategy::Range,
        "list" => PartitionStrategy::List,
        "hash" => PartitionStrategy::Hash,
        other => {
            return error_at(
                format_args!("unrecognized partitioning strategy \"{other}\""),
                location,
            )
        }
    };
    let keys = parenthesized(p, |p| {
        let expr = Box::new(p.parse_expr()?);
        // An operator class after the key.
        if matches!(p.peek_token_ref().token, Token::Word(_)) {
            qualified_name(p)?;
        }
        Ok(expr)
    })?;
    Ok(PartitionBy { strategy, keys })
}

/// gram.y's `Typename`: SQL-standard spellings become `pg_catalog` names
/// with their type modifiers, as the grammar does (`SystemTypeName`).
pub(crate) fn type_name(p: &mut Parser<'_>) -> PResult<TypeName> {
    let start = next_location(p);
    if p.parse_keyword(Keyword::SETOF) {
        return error_at("SETOF type not allowed here", start);
    }
    let mut ty = simple_type_name(p, start)?;
    // Array bounds: `[]`, `[n]`, repeated, or `ARRAY [n]`.
    if p.parse_keyword(Keyword::ARRAY) {
        ty.array_dims = 1;
        if p.consume_token(&Token::LBracket) {
            unsigned_integer(p)?;
            p.expect_token(&Token::RBracket)?;
        }
    } else {
        while p.consume_token(&Token::LBracket) {
            if !p.consume_token(&Token::RBracket) {
                unsigned_integer(p)?;
                p.expect_token(&Token::RBracket)?;
            }
            ty.array_dims += 1;
        }
    }
    if ty.array_dims == 0 && p.consume_token(&Token::Mod) {
        p.expect_keyword_is(Keyword::TYPE)?;
        ty.percent_type = true;
    }
    Ok(ty)
}

fn system_type(name: &str, modifiers: Vec<i64>, start: Location) -> TypeName {
    TypeName {
        name: QualifiedName {
            schema: Some("pg_catalog".to_owned()),
            name: name.to_owned(),
        },
        modifiers,
        array_dims: 0,
        percent_type: false,
        position: position(start),
    }
}

fn simple_type_name(p: &mut Parser<'_>, start: Location) -> PResult<TypeName> {
    let word = peek_word(p).unwrap_or_default();
    let system = |name: &str, modifiers: Vec<i64>| Ok(system_type(name, modifiers, start));
    match word.as_str() {
        "int" | "integer" => {
            p.advance_token();
            system("int4", Vec::new())
        }
        "smallint" => {
            p.advance_token();
            system("int2", Vec::new())
        }
        "bigint" => {
            p.advance_token();
            system("int8", Vec::new())
        }
        "real" => {
            p.advance_token();
            system("float4", Vec::new())
        }
        "double" if peek_nth_word(p, 1).as_deref() == Some("precision") => {
            p.advance_token();
            p.advance_token();
            system("float8", Vec::new())
        }
        "float" => {
            p.advance_token();
            if p.consume_token(&Token::LParen) {
                let location = next_location(p);
                let precision = unsigned_integer(p)?;
                p.expect_token(&Token::RParen)?;
                if precision < 1 {
                    return error_at("precision for type float must be at least 1 bit", location);
                }
                if precision <= 24 {
                    system("float4", Vec::new())
                } else if precision <= 53 {
                    system("float8", Vec::new())
                } else {
                    error_at(
                        "precision for type float must be less than 54 bits",
                        location,
                    )
                }
            } else {
                system("float8", Vec::new())
            }
        }
        "decimal" | "dec" | "numeric" => {
            p.advance_token();
            let modifiers = type_modifiers(p)?;
            system("numeric", modifiers)
        }
        "boolean" => {
            p.advance_token();
            system("bool", Vec::new())
        }
        "bit" => {
            p.advance_token();
            let varying = p.parse_keyword(Keyword::VARYING);
            let modifiers = type_modifiers(p)?;
            if varying {
                system("varbit", modifiers)
            } else if modifiers.is_empty() {
                // "bit" alone is bit(1), as in the SQL standard.
                system("bit", vec![1])
            } else {
                system("bit", modifiers)
            }
        }
        "character" | "char" | "nchar" | "varchar" | "national" => {
            p.advance_token();
            if word == "national" && !(parse_word(p, "character") || parse_word(p, "char")) {
                return p.expected_ref("CHARACTER", p.peek_token_ref());
            }
            let varying = word == "varchar" || p.parse_keyword(Keyword::VARYING);
            let modifiers = type_modifiers(p)?;
            if varying {
                system("varchar", modifiers)
            } else if modifiers.is_empty() {
                system("bpchar", vec![1])
            } else {
                system("bpchar", modifiers)
            }
        }
        "timestamp" | "time" => {
            p.advance_token();
            let modifiers = type_modifiers(p)?;
            let with_zone = if p.parse_keywords(&[Keyword::WITH, Keyword::TIME, Keyword::ZONE]) {
                true
            } else {
                let _ = p.parse_keywords(&[Keyword::WITHOUT, Keyword::TIME, Keyword::ZONE]);
                false
            };
            let name = match (word.as_str(), with_zone) {
                ("timestamp", false) => "timestamp",
                ("timestamp", true) => "timestamptz",
                (_, false) => "time",
                (_, true) => "timetz",
            };
            system(name, modifiers)
        }
        "interval" => {
            p.advance_token();
            let modifiers = interval_modifiers(p)?;
            system("interval", modifiers)
        }
        _ => {
            if !matches!(p.peek_token_ref().token, Token::Word(_)) {
                return p.expected_ref("type name", p.peek_token_ref());
            }
            let name = qualified_name(p)?;
            let modifiers = type_modifiers(p)?;
            Ok(TypeName {
                name,
                modifiers,
                array_dims: 0,
                percent_type: false,
                position: position(start),
            })
        }
    }
}

/// `(n [, m ...])` after a type name, if present. PostgreSQL accepts any
/// constant there and lets `typmodin` complain; only integers are useful
/// for the built-in types, so only integers are accepted.
fn type_modifiers(p: &mut Parser<'_>) -> PResult<Vec<i64>> {
    if p.peek_token_ref().token != Token::LParen {
        return Ok(Vec::new());
    }
    parenthesized(p, signed_integer)
}

/// The fields and precision of `interval`, as gram.y's `opt_interval`
/// turns them into modifiers: a range mask, then the precision.
fn interval_modifiers(p: &mut Parser<'_>) -> PResult<Vec<i64>> {
    // Bit numbers of the fields, from PostgreSQL's `datetime.h`.
    fn mask(field: &str) -> i64 {
        let bit = match field {
            "month" => 1,
            "year" => 2,
            "day" => 3,
            "hour" => 10,
            "minute" => 11,
            _ => 12,
        };
        1 << bit
    }
    if p.peek_token_ref().token == Token::LParen {
        let precision = parenthesized(p, signed_integer)?;
        let mut modifiers = vec![INTERVAL_FULL_RANGE];
        modifiers.extend(precision);
        return Ok(modifiers);
    }
    let Some(first) = peek_word(p).filter(|word| {
        matches!(
            word.as_str(),
            "year" | "month" | "day" | "hour" | "minute" | "second"
        )
    }) else {
        return Ok(Vec::new());
    };
    p.advance_token();
    let mut range = mask(&first);
    let mut last = first.clone();
    if p.parse_keyword(Keyword::TO) {
        let location = next_location(p);
        last = ident(p)?;
        let allowed = match first.as_str() {
            "year" => ["month"].as_slice(),
            "day" => ["hour", "minute", "second"].as_slice(),
            "hour" => ["minute", "second"].as_slice(),
            "minute" => ["second"].as_slice(),
            _ => [].as_slice(),
        };
        if !allowed.contains(&last.as_str()) {
            return error_at(
                format_args!("invalid interval range {first} to {last}"),
                location,
            );
        }
        // The mask covers every field from the first to the last.
        let order = ["year", "month", "day", "hour", "minute", "second"];
        let from = order.iter().position(|f| *f == first).unwrap_or(0);
        let to = order.iter().position(|f| *f == last).unwrap_or(0);
        for field in order.get(from..=to).unwrap_or(&[]) {
            range |= mask(field);
        }
    }
    let mut modifiers = vec![range];
    if last == "second" && p.peek_token_ref().token == Token::LParen {
        modifiers.extend(parenthesized(p, signed_integer)?);
    }
    Ok(modifiers)
}

fn create_type(p: &mut Parser<'_>) -> PResult<StatementKind> {
    let name = qualified_name(p)?;
    let definition = if p.parse_keyword(Keyword::AS) {
        if p.parse_keyword(Keyword::ENUM) {
            TypeDefinition::Enum(parenthesized(p, string_literal)?)
        } else if p.parse_keyword(Keyword::RANGE) {
            TypeDefinition::Range(definition_list(p)?)
        } else {
            TypeDefinition::Composite(parenthesized(p, |p| {
                let name = ident(p)?;
                let data_type = type_name(p)?;
                let collation = if p.parse_keyword(Keyword::COLLATE) {
                    Some(qualified_name(p)?)
                } else {
                    None
                };
                Ok(CompositeAttribute {
                    name,
                    data_type,
                    collation,
                })
            })?)
        }
    } else if p.peek_token_ref().token == Token::LParen {
        TypeDefinition::Base(definition_list(p)?)
    } else {
        TypeDefinition::Shell
    };
    Ok(StatementKind::CreateType { name, definition })
}

fn create_domain(p: &mut Parser<'_>) -> PResult<StatementKind> {
    let name = qualified_name(p)?;
    let _ = p.parse_keyword(Keyword::AS);
    let data_type = type_name(p)?;
    let mut collation = None;
    let mut default = None;
    let mut not_null = false;
    let mut checks = Vec::new();
    for constraint in column_constraints(p)? {
        match constraint {
            ColumnConstraint::NotNull => not_null = true,
            ColumnConstraint::Null => not_null = false,
            ColumnConstraint::Default(expr) => default = Some(expr),
            ColumnConstraint::Collate(name) => collation = Some(name),
            ColumnConstraint::Check(expr) => checks.push(expr),
            ColumnConstraint::Generated(_)
            | ColumnConstraint::Identity
            | ColumnConstraint::PrimaryKey
            | ColumnConstraint::Unique
            | ColumnConstraint::References(_) => {
                return error_at(
                    "only NOT NULL, NULL, DEFAULT, COLLATE and CHECK are allowed on a domain",
                    p.get_current_token().span.start,
                )
            }
        }
    }
    Ok(StatementKind::CreateDomain {
        name,
        data_type,
        collation,
        default,
        not_null,
        checks,
    })
}

/// gram.y's `definition`: `(name [= value], ...)`.
fn definition_list(p: &mut Parser<'_>) -> PResult<Vec<DefElem>> {
    parenthesized(p, |p| {
        let name = ident(p)?;
        let value = if p.consume_token(&Token::Eq) {
            Some(def_value(p)?)
        } else {
            None
        };
        Ok(DefElem { name, value })
    })
}

fn def_value(p: &mut Parser<'_>) -> PResult<DefValue> {
    match &p.peek_token_ref().token {
        Token::Number(..) | Token::Minus => Ok(DefValue::Number(number(p)?)),
        Token::SingleQuotedString(_)
        | Token::EscapedStringLiteral(_)
        | Token::DollarQuotedString(_) => Ok(DefValue::String(string_literal(p)?)),
        Token::Word(_) => {
            if peek_word(p).as_deref() == Some("operator")
                && p.peek_nth_token_ref(1).token == Token::LParen
            {
                p.advance_token();
                p.advance_token();
                let name = operator_name(p)?;
                p.expect_token(&Token::RParen)?;
                return Ok(DefValue::Operator(name));
            }
            Ok(DefValue::Name(type_name(p)?))
        }
        _ => Ok(DefValue::Operator(operator_name(p)?)),
    }
}

/// Whether a token is made of PostgreSQL operator characters.
fn operator_text(tok: &Token) -> Option<String> {
    let text = match tok {
        Token::Word(_) | Token::Number(..) | Token::EOF => return None,
        // sqlparser folds `!=` into `<>`, as PostgreSQL's lexer does.
        other => other.to_string(),
    };
    let is_op = !text.is_empty() && text.chars().all(|c| "~!@#^&|`?+-*/%<>=".contains(c));
    is_op.then_some(text)
}

/// An operator name, optionally schema-qualified (`schema.===`). The
/// tokenizer may cut one operator into several tokens (`===` is `==` and
/// `=`), so adjacent operator tokens are joined.
fn operator_name(p: &mut Parser<'_>) -> PResult<QualifiedName> {
    let schema = if matches!(p.peek_token_ref().token, Token::Word(_))
        && p.peek_nth_token_ref(1).token == Token::Period
    {
        let schema = ident(p)?;
        p.advance_token();
        Some(schema)
    } else {
        None
    };
    let first = p.peek_token();
    let Some(mut name) = operator_text(&first.token) else {
        return p.expected("operator", first);
    };
    p.advance_token();
    let mut end = first.span.end;
    loop {
        let next = p.peek_token_ref();
        if next.span.start != end {
            break;
        }
        let Some(text) = operator_text(&next.token) else {
            break;
        };
        end = next.span.end;
        name.push_str(&text);
        p.advance_token();
    }
    Ok(QualifiedName { schema, name })
}

fn create_operator(p: &mut Parser<'_>) -> PResult<StatementKind> {
    let name = operator_name(p)?;
    let definition = definition_list(p)?;
    Ok(StatementKind::CreateOperator { name, definition })
}

fn create_aggregate(p: &mut Parser<'_>, or_replace: bool) -> PResult<StatementKind> {
    let name = qualified_name(p)?;
    // The old syntax has the definition list right after the name:
    // `(BASETYPE = t, SFUNC = f, ...)`.
    let old_syntax = p.peek_token_ref().token == Token::LParen
        && matches!(p.peek_nth_token_ref(1).token, Token::Word(_))
        && p.peek_nth_token_ref(2).token == Token::Eq;
    let mut args = Vec::new();
    let mut order_by = Vec::new();
    if !old_syntax {
        p.expect_token(&Token::LParen)?;
        if p.consume_token(&Token::Mul) {
            // `name(*)`: no arguments.
        } else if p.parse_keywords(&[Keyword::ORDER, Keyword::BY]) {
            order_by = comma_separated_arg_types(p)?;
        } else if p.peek_token_ref().token != Token::RParen {
            args = comma_separated_arg_types(p)?;
            if p.parse_keywords(&[Keyword::ORDER, Keyword::BY]) {
                order_by = comma_separated_arg_types(p)?;
            }
        }
        p.expect_token(&Token::RParen)?;
    }
    let mut definition = definition_list(p)?;
    if old_syntax {
        if let Some(idx) = definition.iter().position(|d| d.name == "basetype") {
            let base = definition.remove(idx);
            match base.value {
                Some(DefValue::Name(ty))
                    if !(ty.name.schema.is_none() && ty.name.name == "any") =>
                {
                    args.push(ty)
                }
                _ => {}
            }
        }
    }
    Ok(StatementKind::CreateAggregate(CreateAggregate {
        name,
        or_replace,
        args,
        order_by,
        definition,
    }))
}

fn comma_separated_arg_types(p: &mut Parser<'_>) -> PResult<Vec<TypeName>> {
    let mut types = Vec::new();
    loop {
        let arg = function_arg(p)?;
        if arg.mode != ArgMode::Out {
            types.push(arg.data_type);
        }
        if !p.consume_token(&Token::Comma) {
            return Ok(types);
        }
    }
}

/// gram.y's `func_arg_with_default`: `[mode] [name] type [DEFAULT | = expr]`,
/// with the name also allowed before the mode. Whether the first word is a
/// name or the start of the type is decided by trying the type first.
fn function_arg(p: &mut Parser<'_>) -> PResult<FunctionArg> {
    let mut mode = arg_mode(p);
    let as_type = p.maybe_parse(|p| {
        let ty = type_name(p)?;
        match p.peek_token_ref().token {
            Token::Comma | Token::RParen | Token::Eq => Ok(ty),
            _ if p.peek_keyword(Keyword::DEFAULT) || p.peek_keyword(Keyword::ORDER) => Ok(ty),
            _ => p.expected_ref("", p.peek_token_ref()),
        }
    })?;
    let (name, data_type) = match as_type {
        Some(ty) => (None, ty),
        None => {
            let name = ident(p)?;
            if mode == ArgMode::In {
                mode = arg_mode(p);
            }
            (Some(name), type_name(p)?)
        }
    };
    let default = if p.parse_keyword(Keyword::DEFAULT) || p.consume_token(&Token::Eq) {
        Some(Box::new(p.parse_expr()?))
    } else {
        None
    };
    Ok(FunctionArg {
        mode,
        name,
        data_type,
        default,
    })
}

fn arg_mode(p: &mut Parser<'_>) -> ArgMode {
    if p.parse_keyword(Keyword::IN) {
        if p.parse_keyword(Keyword::OUT) {
            ArgMode::InOut
        } else {
            ArgMode::In
        }
    } else if p.parse_keyword(Keyword::OUT) {
        ArgMode::Out
    } else if p.parse_keyword(Keyword::INOUT) {
        ArgMode::InOut
    } else if parse_word(p, "variadic") {
        ArgMode::Variadic
    } else {
        ArgMode::In
    }
}

fn create_function(
    p: &mut Parser<'_>,
    src: &Source<'_>,
    or_replace: bool,
    procedure: bool,
) -> PResult<StatementKind> {
    let name = qualified_name(p)?;
    p.expect_token(&Token::LParen)?;
    let mut args = Vec::new();
    if !p.consume_token(&Token::RParen) {
        loop {
            args.push(function_arg(p)?);
            if !p.consume_token(&Token::Comma) {
                break;
            }
        }
        p.expect_token(&Token::RParen)?;
    }
    let mut func = CreateFunction {
        name,
        or_replace,
        procedure,
        args,
        returns: None,
        language: None,
        volatility: Volatility::Volatile,
        strict: false,
        cost: None,
        rows: None,
        body: None,
        security_definer: false,
        config: Vec::new(),
    };
    if p.parse_keyword(Keyword::RETURNS) {
        if p.parse_keyword(Keyword::TABLE) {
            func.returns = Some(FunctionReturn::Table(parenthesized(p, |p| {
                Ok((ident(p)?, type_name(p)?))
            })?));
        } else {
            let set = p.parse_keyword(Keyword::SETOF);
            func.returns = Some(FunctionReturn::Type {
                data_type: type_name(p)?,
                set,
            });
        }
    }
    loop {
        let location = next_location(p);
        let Some(word) = peek_word(p) else {
            if p.peek_token_ref().token == Token::EOF {
                break;
            }
            return p.expected_ref("function option", p.peek_token_ref());
        };
        p.advance_token();
        match word.as_str() {
            "language" => func.language = Some(string_or_ident(p)?.to_ascii_lowercase()),
            "immutable" => func.volatility = Volatility::Immutable,
            "stable" => func.volatility = Volatility::Stable,
            "volatile" => func.volatility = Volatility::Volatile,
            "strict" => func.strict = true,
            "called" => {
                p.expect_keywords(&[Keyword::ON, Keyword::NULL, Keyword::INPUT])?;
                func.strict = false;
            }
            "returns" => {
                p.expect_keywords(&[Keyword::NULL, Keyword::ON, Keyword::NULL, Keyword::INPUT])?;
                func.strict = true;
            }
            "not" => {
                if !parse_word(p, "leakproof") {
                    return p.expected_ref("LEAKPROOF", p.peek_token_ref());
                }
            }
            "leakproof" | "window" => {}
            "external" | "security" => {
                if word == "external" {
                    p.expect_keyword_is(Keyword::SECURITY)?;
                }
                if parse_word(p, "definer") {
                    func.security_definer = true;
                } else if parse_word(p, "invoker") {
                    func.security_definer = false;
                } else {
                    return p.expected_ref("INVOKER or DEFINER", p.peek_token_ref());
                }
            }
            "parallel" => {
                ident(p)?;
            }
            "cost" => func.cost = Some(float_value(p, location)?),
            "rows" => func.rows = Some(float_value(p, location)?),
            "support" => {
                qualified_name(p)?;
            }
            "set" => {
                let mut name = ident(p)?;
                while p.consume_token(&Token::Period) {
                    name.push('.');
                    name.push_str(&ident(p)?);
                }
                if p.parse_keywords(&[Keyword::FROM, Keyword::CURRENT]) {
                    func.config.push((name, None));
                } else {
                    if !(p.parse_keyword(Keyword::TO) || p.consume_token(&Token::Eq)) {
                        return p.expected_ref("TO or =", p.peek_token_ref());
                    }
                    func.config.push((name, Some(setting_values(p)?)));
                }
            }
            "transform" => loop {
                p.expect_keywords(&[Keyword::FOR, Keyword::TYPE])?;
                type_name(p)?;
                if !p.consume_token(&Token::Comma) {
                    break;
                }
            },
            "as" => {
                let mut body = string_literal(p)?;
                // `AS 'obj_file', 'link_symbol'` for C functions.
                if p.consume_token(&Token::Comma) {
                    body.push_str(", ");
                    body.push_str(&string_literal(p)?);
                }
                func.body = Some(FunctionBody::Source(body));
            }
            "return" => {
                let start = next_location(p);
                p.parse_expr()?;
                let end = p.peek_token_ref().span.start;
                func.body = Some(FunctionBody::Sql(format!(
                    "RETURN {}",
                    src.slice(start, end)
                )));
            }
            "begin" => {
                p.expect_keyword_is(Keyword::ATOMIC)?;
                // The body runs to the END that closes BEGIN ATOMIC; nested
                // BEGIN/CASE ... END pairs are counted as the splitter does.
                let mut depth = 1usize;
                let mut end;
                loop {
                    let tok = p.next_token();
                    end = tok.span.end;
                    match &tok.token {
                        Token::Word(w) if w.quote_style.is_none() => match w.keyword {
                            Keyword::BEGIN | Keyword::CASE => depth += 1,
                            Keyword::END => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        },
                        Token::EOF => return p.expected("END", tok),
                        _ => {}
                    }
                }
                func.body = Some(FunctionBody::Sql(src.slice(location, end).to_owned()));
            }
            _ => return error_at(format_args!("unexpected function option {word}"), location),
        }
    }
    Ok(StatementKind::CreateFunction(func))
}

fn float_value(p: &mut Parser<'_>, location: Location) -> PResult<f64> {
    let text = number(p)?;
    match text.parse::<f64>() {
        Ok(value) => Ok(value),
        Err(_) => error_at(format_args!("invalid number {text}"), location),
    }
}

fn create_view(p: &mut Parser<'_>, src: &Source<'_>, or_replace: bool) -> PResult<StatementKind> {
    let name = qualified_name(p)?;
    let columns = if p.peek_token_ref().token == Token::LParen {
        parenthesized(p, ident)?
    } else {
        Vec::new()
    };
    if p.parse_keyword(Keyword::WITH) {
        p.expect_token(&Token::LParen)?;
        skip_to_close_paren(p)?;
    }
    p.expect_keyword_is(Keyword::AS)?;
    let start = next_location(p);
    p.parse_query()?;
    let end = p.peek_token_ref().span.start;
    let query = src.slice(start, end).to_owned();
    // `WITH [CASCADED | LOCAL] CHECK OPTION`.
    let check_option = if p.parse_keyword(Keyword::WITH) {
        let local = if p.parse_keyword(Keyword::CASCADED) {
            false
        } else {
            p.parse_keyword(Keyword::LOCAL)
        };
        p.expect_keywords(&[Keyword::CHECK, Keyword::OPTION])?;
        Some(if local {
            CheckOption::Local
        } else {
            CheckOption::Cascaded
        })
    } else {
        None
    };
    Ok(StatementKind::CreateView {
        name,
        or_replace,
        columns,
        query,
        check_option,
    })
}

fn alter(p: &mut Parser<'_>) -> PResult<StatementKind> {
    let word = peek_word(p).unwrap_or_default();
    match word.as_str() {
        "extension" => {
            p.advance_token();
            let extension = ident(p)?;
            let add = if p.parse_keyword(Keyword::ADD) {
                true
            } else if p.parse_keyword(Keyword::DROP) {
                false
            } else {
                return Ok(skip(p, "ALTER EXTENSION"));
            };
            let member = extension_member(p)?;
            Ok(StatementKind::AlterExtensionMember {
                extension,
                add,
                member,
            })
        }
        "server" => {
            p.advance_token();
            alter_server(p)
        }
        "user" if peek_nth_word(p, 1).as_deref() == Some("mapping") => {
            p.advance_token();
            p.advance_token();
            let (user, server) = user_and_server(p)?;
            let options = alter_generic_options(p)?;
            Ok(StatementKind::AlterUserMapping {
                user,
                server,
                options,
            })
        }
        "foreign" if peek_nth_word(p, 1).as_deref() == Some("table") => {
            p.advance_token();
            p.advance_token();
            alter_table(p, true)
        }
        "table" => {
            p.advance_token();
            alter_table(p, false)
        }
        _ => {
            let mut kind = Vec::new();
            while let Some(word) = peek_word(p) {
                if matches!(
                    word.as_str(),
                    "schema"
                        | "type"
                        | "domain"
                        | "function"
                        | "procedure"
                        | "aggregate"
                        | "operator"
                        | "view"
                        | "sequence"
                        | "index"
                        | "materialized"
                        | "foreign"
                        | "data"
                        | "wrapper"
                        | "class"
                        | "family"
                        | "default"
                        | "privileges"
                        | "collation"
                        | "conversion"
                        | "database"
                        | "role"
                        | "user"
                        | "group"
                        | "publication"
                        | "subscription"
                        | "language"
                        | "procedural"
                        | "text"
                        | "search"
                        | "configuration"
                        | "dictionary"
                        | "statistics"
                        | "event"
                        | "trigger"
                        | "policy"
                        | "routine"
                        | "large"
                        | "object"
                        | "tablespace"
                        | "system"
                ) && kind.len() < 3
                {
                    kind.push(word.to_ascii_uppercase());
                    p.advance_token();
                } else {
                    break;
                }
            }
            if kind.is_empty() {
                return p.expected_ref("an object type after ALTER", p.peek_token_ref());
            }
            let mut tag = format!("ALTER {}", kind.join(" "));
            // `ALTER ... OWNER TO` is the most common form in dumps.
            let mut prev_owner = false;
            while p.peek_token_ref().token != Token::EOF {
                let is_to = p.peek_keyword(Keyword::TO);
                if prev_owner && is_to {
                    tag.push_str(" OWNER TO");
                }
                prev_owner = p.peek_keyword(Keyword::OWNER);
                p.advance_token();
            }
            Ok(StatementKind::Skipped { kind: tag })
        }
    }
}

fn extension_member(p: &mut Parser<'_>) -> PResult<ExtensionMember> {
    let word = peek_word(p).unwrap_or_default();
    match word.as_str() {
        "function" | "procedure" | "routine" => {
            p.advance_token();
            let name = qualified_name(p)?;
            let args = parenthesized_arg_types(p)?.unwrap_or_default();
            Ok(ExtensionMember::Function { name, args })
        }
        "aggregate" => {
            p.advance_token();
            let name = qualified_name(p)?;
            let args = aggregate_arg_types(p)?;
            Ok(ExtensionMember::Aggregate { name, args })
        }
        "operator" => {
            p.advance_token();
            let class = parse_word(p, "class");
            if class || parse_word(p, "family") {
                let name = qualified_name(p)?;
                p.expect_keyword_is(Keyword::USING)?;
                let method = ident(p)?;
                return Ok(if class {
                    ExtensionMember::OperatorClass { name, method }
                } else {
                    ExtensionMember::OperatorFamily { name, method }
                });
            }
            let name = operator_name(p)?;
            let (left, right) = operator_args(p)?;
            Ok(ExtensionMember::Operator { name, left, right })
        }
        "type" => {
            p.advance_token();
            Ok(ExtensionMember::Type(type_name(p)?))
        }
        "domain" => {
            p.advance_token();
            Ok(ExtensionMember::Domain(type_name(p)?))
        }
        "cast" => {
            p.advance_token();
            p.expect_token(&Token::LParen)?;
            let source = type_name(p)?;
            p.expect_keyword_is(Keyword::AS)?;
            let target = type_name(p)?;
            p.expect_token(&Token::RParen)?;
            Ok(ExtensionMember::Cast { source, target })
        }
        _ => {
            let mut kind = Vec::new();
            while let Some(word) = peek_word(p) {
                kind.push(word.to_ascii_uppercase());
                p.advance_token();
                if p.peek_token_ref().token == Token::EOF {
                    break;
                }
            }
            if kind.is_empty() {
                return p.expected_ref("an object type", p.peek_token_ref());
            }
            while p.peek_token_ref().token != Token::EOF {
                p.advance_token();
            }
            kind.pop();
            Ok(ExtensionMember::Other(kind.join(" ")))
        }
    }
}

/// `(args)` of a function reference, keeping the input argument types;
/// `None` when no list is written.
fn parenthesized_arg_types(p: &mut Parser<'_>) -> PResult<Option<Vec<TypeName>>> {
    if p.peek_token_ref().token != Token::LParen {
        return Ok(None);
    }
    p.advance_token();
    if p.consume_token(&Token::RParen) {
        return Ok(Some(Vec::new()));
    }
    let types = comma_separated_arg_types(p)?;
    p.expect_token(&Token::RParen)?;
    Ok(Some(types))
}

/// `(*)`, `(types)` or `(types ORDER BY types)` of an aggregate reference.
fn aggregate_arg_types(p: &mut Parser<'_>) -> PResult<Vec<TypeName>> {
    p.expect_token(&Token::LParen)?;
    if p.consume_token(&Token::Mul) {
        p.expect_token(&Token::RParen)?;
        return Ok(Vec::new());
    }
    let ordered_only = p.parse_keywords(&[Keyword::ORDER, Keyword::BY]);
    let mut types = comma_separated_arg_types(p)?;
    if !ordered_only && p.parse_keywords(&[Keyword::ORDER, Keyword::BY]) {
        types.extend(comma_separated_arg_types(p)?);
    }
    p.expect_token(&Token::RParen)?;
    Ok(types)
}

/// `(left, right)` of an operator reference; `NONE` is `None`.
fn operator_args(p: &mut Parser<'_>) -> PResult<(Option<TypeName>, Option<TypeName>)> {
    p.expect_token(&Token::LParen)?;
    let left = if parse_word(p, "none") {
        None
    } else {
        Some(type_name(p)?)
    };
    p.expect_token(&Token::Comma)?;
    let right = if parse_word(p, "none") {
        None
    } else {
        Some(type_name(p)?)
    };
    p.expect_token(&Token::RParen)?;
    Ok((left, right))
}

fn alter_server(p: &mut Parser<'_>) -> PResult<StatementKind> {
    let name = ident(p)?;
    let action = if p.parse_keyword(Keyword::OWNER) {
        p.expect_keyword_is(Keyword::TO)?;
        AlterServerAction::OwnerTo(ident(p)?)
    } else if p.parse_keyword(Keyword::RENAME) {
        p.expect_keyword_is(Keyword::TO)?;
        AlterServerAction::RenameTo(ident(p)?)
    } else {
        let version = if p.parse_keyword(Keyword::VERSION) {
            if p.parse_keyword(Keyword::NULL) {
                Some(None)
            } else {
                Some(Some(string_literal(p)?))
            }
        } else {
            None
        };
        let options = if p.peek_keyword(Keyword::OPTIONS) || version.is_none() {
            alter_generic_options(p)?
        } else {
            Vec::new()
        };
        AlterServerAction::Options { version, options }
    };
    Ok(StatementKind::AlterServer { name, action })
}

fn alter_table(p: &mut Parser<'_>, foreign: bool) -> PResult<StatementKind> {
    let if_exists = if_exists(p);
    let _ = p.parse_keyword(Keyword::ONLY);
    let name = qualified_name(p)?;
    let _ = p.consume_token(&Token::Mul);
    let tag = if foreign {
        "ALTER FOREIGN TABLE"
    } else {
        "ALTER TABLE"
    };
    if p.parse_keyword(Keyword::RENAME) {
        if p.parse_keyword(Keyword::TO) {
            let new_name = ident(p)?;
            return Ok(StatementKind::RenameTable {
                foreign,
                if_exists,
                name,
                new_name,
            });
        }
        if p.parse_keyword(Keyword::CONSTRAINT) {
            return Ok(skip(p, format!("{tag} RENAME CONSTRAINT")));
        }
        let _ = p.parse_keyword(Keyword::COLUMN);
        let column = ident(p)?;
        p.expect_keyword_is(Keyword::TO)?;
        let new_name = ident(p)?;
        return Ok(StatementKind::RenameColumn {
            foreign,
            if_exists,
            name,
            column,
            new_name,
        });
    }
    if peek_word(p).as_deref() == Some("set") && peek_nth_word(p, 1).as_deref() == Some("schema") {
        return Ok(skip(p, format!("{tag} SET SCHEMA")));
    }
    let mut actions = Vec::new();
    loop {
        actions.push(alter_table_action(p)?);
        if !p.consume_token(&Token::Comma) {
            break;
        }
    }
    // A statement made only of actions the loader does not model is
    // skipped as a whole, under the name of its (first) action.
    if let Some(AlterTableAction::Other(kind)) = actions.first() {
        if actions
            .iter()
            .all(|action| matches!(action, AlterTableAction::Other(_)))
        {
            return Ok(StatementKind::Skipped {
                kind: format!("{tag} {kind}"),
            });
        }
    }
    Ok(StatementKind::AlterTable {
        foreign,
        if_exists,
        name,
        actions,
    })
}

/// Skips one unmodelled ALTER TABLE action up to the next top-level comma.
fn other_action(p: &mut Parser<'_>, kind: &str) -> AlterTableAction {
    let mut depth = 0usize;
    loop {
        match p.peek_token_ref().token {
            Token::EOF => break,
            Token::Comma if depth == 0 => break,
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            _ => {}
        }
        p.advance_token();
    }
    AlterTableAction::Other(kind.to_owned())
}

fn alter_table_action(p: &mut Parser<'_>) -> PResult<AlterTableAction> {
    let word = peek_word(p).unwrap_or_default();
    match word.as_str() {
        "options" => Ok(AlterTableAction::Options(alter_generic_options(p)?)),
        "add" => {
            p.advance_token();
            let constraint = matches!(
                peek_word(p).as_deref(),
                Some("constraint" | "primary" | "unique" | "check" | "foreign" | "exclude")
            );
            if constraint {
                return Ok(other_action(p, "ADD CONSTRAINT"));
            }
            let _ = p.parse_keyword(Keyword::COLUMN);
            let if_not_exists = if_not_exists(p);
            let column = column_def(p, false)?;
            Ok(AlterTableAction::AddColumn {
                if_not_exists,
                column,
            })
        }
        "drop" => {
            p.advance_token();
            if p.parse_keyword(Keyword::CONSTRAINT) {
                return Ok(other_action(p, "DROP CONSTRAINT"));
            }
            let _ = p.parse_keyword(Keyword::COLUMN);
            let if_exists = if_exists(p);
            let name = ident(p)?;
            let _ = p.parse_keyword(Keyword::CASCADE) || p.parse_keyword(Keyword::RESTRICT);
            Ok(AlterTableAction::DropColumn { name, if_exists })
        }
        "alter" => {
            p.advance_token();
            if p.parse_keyword(Keyword::CONSTRAINT) {
                return Ok(other_action(p, "ALTER CONSTRAINT"));
            }
            let _ = p.parse_keyword(Keyword::COLUMN);
            let name = ident(p)?;
            alter_column(p, name)
        }
        "attach" => {
            p.advance_token();
            p.expect_keyword_is(Keyword::PARTITION)?;
            let partition = qualified_name(p)?;
            let bound = partition_bound(p)?;
            Ok(AlterTableAction::AttachPartition { partition, bound })
        }
        "detach" => {
            p.advance_token();
            p.expect_keyword_is(Keyword::PARTITION)?;
            let partition = qualified_name(p)?;
            let _ = parse_word(p, "concurrently") || parse_word(p, "finalize");
            Ok(AlterTableAction::DetachPartition(partition))
        }
        "owner" => Ok(other_action(p, "OWNER TO")),
        "enable" | "disable" | "force" | "no" | "cluster" | "replica" | "inherit" | "of"
        | "not" | "validate" | "reset" => Ok(other_action(p, &word.to_ascii_uppercase())),
        "set" => {
            let kind = match peek_nth_word(p, 1) {
                Some(next) => format!("SET {}", next.to_ascii_uppercase()),
                None => "SET".to_owned(),
            };
            Ok(other_action(p, &kind))
        }
        _ => p.expected_ref("an ALTER TABLE action", p.peek_token_ref()),
    }
}

fn alter_column(p: &mut Parser<'_>, name: String) -> PResult<AlterTableAction> {
    if p.peek_keyword(Keyword::OPTIONS) {
        let options = alter_generic_options(p)?;
        return Ok(AlterTableAction::ColumnOptions { name, options });
    }
    let type_change = p.parse_keywords(&[Keyword::SET, Keyword::DATA, Keyword::TYPE])
        || p.parse_keyword(Keyword::TYPE);
    if type_change {
        let data_type = type_name(p)?;
        let collation = if p.parse_keyword(Keyword::COLLATE) {
            Some(qualified_name(p)?)
        } else {
            None
        };
        if p.parse_keyword(Keyword::USING) {
            p.parse_expr()?;
        }
        return Ok(AlterTableAction::AlterColumnType {
            name,
            data_type,
            collation,
        });
    }
    if p.parse_keywords(&[Keyword::SET, Keyword::NOT, Keyword::NULL]) {
        return Ok(AlterTableAction::SetNotNull {
            name,
            not_null: true,
        });
    }
    if p.parse_keywords(&[Keyword::DROP, Keyword::NOT, Keyword::NULL]) {
        return Ok(AlterTableAction::SetNotNull {
            name,
            not_null: false,
        });
    }
    if p.parse_keywords(&[Keyword::SET, Keyword::DEFAULT]) {
        let default = Box::new(p.parse_expr()?);
        return Ok(AlterTableAction::SetDefault {
            name,
            default: Some(default),
        });
    }
    if p.parse_keywords(&[Keyword::DROP, Keyword::DEFAULT]) {
        return Ok(AlterTableAction::SetDefault {
            name,
            default: None,
        });
    }
    match peek_word(p).as_deref() {
        Some("set" | "reset" | "add" | "drop" | "restart") => {
            let first = peek_word(p).unwrap_or_default().to_ascii_uppercase();
            let next = peek_nth_word(p, 1).unwrap_or_default().to_ascii_uppercase();
            Ok(other_action(p, &format!("ALTER COLUMN {first} {next}")))
        }
        _ => p.expected_ref(
            "TYPE, SET, DROP or OPTIONS after ALTER COLUMN",
            p.peek_token_ref(),
        ),
    }
}

fn drop(p: &mut Parser<'_>) -> PResult<StatementKind> {
    let word = peek_word(p).unwrap_or_default();
    if word == "user" && peek_nth_word(p, 1).as_deref() == Some("mapping") {
        p.advance_token();
        p.advance_token();
        let if_exists = if_exists(p);
        let (user, server) = user_and_server(p)?;
        return Ok(StatementKind::DropUserMapping {
            user,
            server,
            if_exists,
        });
    }
    let object = match word.as_str() {
        "schema" => DropObjectKind::Schema,
        "extension" => DropObjectKind::Extension,
        "server" => DropObjectKind::Server,
        "foreign" if peek_nth_word(p, 1).as_deref() == Some("table") => {
            p.advance_token();
            DropObjectKind::ForeignTable
        }
        "table" => DropObjectKind::Table,
        "view" => DropObjectKind::View,
        "type" => DropObjectKind::Type,
        "domain" => DropObjectKind::Domain,
        "function" | "procedure" | "routine" => DropObjectKind::Function,
        "aggregate" => DropObjectKind::Aggregate,
        "operator" if !matches!(peek_nth_word(p, 1).as_deref(), Some("class" | "family")) => {
            DropObjectKind::Operator
        }
        _ => {
            let tag = match peek_word(p) {
                Some(word) => format!("DROP {}", word.to_ascii_uppercase()),
                None => return p.expected_ref("an object type after DROP", p.peek_token_ref()),
            };
            return Ok(skip(p, tag));
        }
    };
    p.advance_token();
    let if_exists = if_exists(p);
    let mut targets = Vec::new();
    loop {
        let target = match object {
            DropObjectKind::Function => {
                let name = qualified_name(p)?;
                let args =
                    parenthesized_arg_types(p)?.map(|types| types.into_iter().map(Some).collect());
                DropTarget { name, args }
            }
            DropObjectKind::Aggregate => {
                let name = qualified_name(p)?;
                let args = aggregate_arg_types(p)?;
                DropTarget {
                    name,
                    args: Some(args.into_iter().map(Some).collect()),
                }
            }
            DropObjectKind::Operator => {
                let name = operator_name(p)?;
                let (left, right) = operator_args(p)?;
                DropTarget {
                    name,
                    args: Some(vec![left, right]),
                }
            }
            DropObjectKind::Schema | DropObjectKind::Extension | DropObjectKind::Server => {
                DropTarget {
                    name: QualifiedName {
                        schema: None,
                        name: ident(p)?,
                    },
                    args: None,
                }
            }
            DropObjectKind::ForeignTable
            | DropObjectKind::Table
            | DropObjectKind::View
            | DropObjectKind::Type
            | DropObjectKind::Domain => DropTarget {
                name: qualified_name(p)?,
                args: None,
            },
        };
        targets.push(target);
        if !p.consume_token(&Token::Comma) {
            break;
        }
    }
    let cascade = p.parse_keyword(Keyword::CASCADE);
    if !cascade {
        let _ = p.parse_keyword(Keyword::RESTRICT);
    }
    Ok(StatementKind::Drop {
        object,
        if_exists,
        targets,
        cascade,
    })
}

fn import_foreign_schema(p: &mut Parser<'_>) -> PResult<StatementKind> {
    p.expect_keywords(&[Keyword::FOREIGN, Keyword::SCHEMA])?;
    let remote_schema = ident(p)?;
    let restriction = if p.parse_keywords(&[Keyword::LIMIT, Keyword::TO]) {
        Some((true, parenthesized(p, ident)?))
    } else if p.parse_keyword(Keyword::EXCEPT) {
        Some((false, parenthesized(p, ident)?))
    } else {
        None
    };
    p.expect_keywords(&[Keyword::FROM, Keyword::SERVER])?;
    let server = ident(p)?;
    p.expect_keyword_is(Keyword::INTO)?;
    let local_schema = ident(p)?;
    let options = generic_options(p)?;
    Ok(StatementKind::ImportForeignSchema {
        remote_schema,
        restriction,
        server,
        local_schema,
        options,
    })
}

fn set(p: &mut Parser<'_>) -> PResult<StatementKind> {
    let _ = p.parse_keyword(Keyword::SESSION) || p.parse_keyword(Keyword::LOCAL);
    if p.parse_keywords(&[Keyword::TIME, Keyword::ZONE]) {
        let values = setting_values(p)?;
        return Ok(StatementKind::Set {
            name: "timezone".to_owned(),
            values,
        });
    }
    if matches!(
        peek_word(p).as_deref(),
        Some("transaction" | "session" | "constraints" | "role" | "names")
    ) {
        return Ok(skip(p, "SET"));
    }
    let mut name = ident(p)?;
    while p.consume_token(&Token::Period) {
        name.push('.');
        name.push_str(&ident(p)?);
    }
    if !(p.parse_keyword(Keyword::TO) || p.consume_token(&Token::Eq)) {
        return p.expected_ref("TO or =", p.peek_token_ref());
    }
    let values = setting_values(p)?;
    Ok(StatementKind::Set { name, values })
}

/// gram.y's `var_list`: comma-separated strings, numbers and names, or
/// `DEFAULT` (an empty list).
fn setting_values(p: &mut Parser<'_>) -> PResult<Vec<String>> {
    if p.parse_keyword(Keyword::DEFAULT) {
        return Ok(Vec::new());
    }
    let mut values = Vec::new();
    loop {
        let value = match &p.peek_token_ref().token {
            Token::Number(..) | Token::Minus | Token::Plus => {
                let negative = p.consume_token(&Token::Minus);
                if !negative {
                    let _ = p.consume_token(&Token::Plus);
                }
                let text = number(p)?;
                if negative {
                    format!("-{text}")
                } else {
                    text
                }
            }
            Token::Word(_) => ident(p)?,
            _ => string_literal(p)?,
        };
        values.push(value);
        if !p.consume_token(&Token::Comma) {
            return Ok(values);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_slices_by_character_columns() {
        let src = Source::new("ab\nüx yz");
        let start = Location { line: 2, column: 2 };
        let end = Location { line: 2, column: 5 };
        assert_eq!(src.slice(start, end), "x y");
    }
}
