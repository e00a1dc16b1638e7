//! Tests of the ddl area: parsing DDL text and loading it into a catalog.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail the test by unwrapping, as #[test] functions may"
)]

use fdw_catalog::ddl::ast::StatementKind;
use fdw_catalog::ddl::parse;

const REGRESSION: &str = include_str!("fixtures/ddl/regression.sql");
const PG_DUMP: &str = include_str!("fixtures/ddl/pg_dump.sql");

/// The kinds of the statements `sql` parses into, one line each, with the
/// statement's position: enough to see that statements were cut and
/// recognised correctly.
fn parse_outline(sql: &str) -> String {
    let stmts = parse(sql).unwrap();
    let mut out = String::new();
    for stmt in stmts {
        let kind = match &stmt.kind {
            StatementKind::Skipped { kind } => format!("skipped {kind}"),
            // The variant name is enough here; contents are checked by the
            // loader's snapshot.
            other => format!("{other:?}")
                .split(['(', ' '])
                .next()
                .unwrap_or_default()
                .to_owned(),
        };
        out.push_str(&format!(
            "{}:{} {kind}\n",
            stmt.position.line, stmt.position.column
        ));
    }
    out
}

#[test]
fn parses_regression_fixture() {
    insta::assert_snapshot!(parse_outline(REGRESSION));
}

#[test]
fn parses_pg_dump_fixture() {
    insta::assert_snapshot!(parse_outline(PG_DUMP));
}

/// The error `sql` fails with, as its message.
fn error_text(sql: &str) -> String {
    match parse(sql) {
        Ok(stmts) => panic!("expected an error, parsed {} statements", stmts.len()),
        Err(err) => err.to_string(),
    }
}

// A statement that ends before its required clause.
#[test]
fn rejects_foreign_table_without_server() {
    assert_eq!(
        error_text("CREATE SCHEMA s;\nCREATE FOREIGN TABLE t (a int)\n  OPTIONS (x 'y');"),
        "syntax error at line 3, column 3: expected SERVER, found OPTIONS"
    );
}

// gram.y allows only string constants as option values.
#[test]
fn rejects_unquoted_option_value() {
    assert_eq!(
        error_text("CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (port 5432);"),
        "syntax error at line 1, column 65: expected string literal, found 5432"
    );
}

#[test]
fn rejects_unterminated_option_list() {
    assert_eq!(
        error_text("CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'h';"),
        "syntax error at line 1, column 68: expected ), found end of statement"
    );
}

#[test]
fn rejects_unknown_statement() {
    assert_eq!(
        error_text("-- typo\nCRATE TABLE t (a int);"),
        "syntax error at line 2, column 1: expected a DDL statement, found CRATE"
    );
}

#[test]
fn rejects_unterminated_string() {
    assert_eq!(
        error_text("CREATE SCHEMA a;\nCOMMENT ON SCHEMA a IS 'oops;\n"),
        "syntax error at line 2, column 24: unterminated string literal"
    );
}

#[test]
fn rejects_float_precision_out_of_range() {
    assert_eq!(
        error_text("CREATE TABLE t (a float(54));"),
        "syntax error at line 1, column 25: precision for type float must be less than 54 bits"
    );
}

#[test]
fn rejects_trailing_tokens() {
    assert_eq!(
        error_text("DROP SERVER s CASCADE extra;"),
        "syntax error at line 1, column 23: expected end of statement, found extra"
    );
}

#[test]
fn rejects_missing_column_type() {
    assert_eq!(
        error_text("CREATE FOREIGN TABLE t (a, b int) SERVER s;"),
        "syntax error at line 1, column 26: expected type name, found ,"
    );
}
