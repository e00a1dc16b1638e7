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

mod never_panics {
    use proptest::prelude::*;

    use fdw_catalog::Error;

    use super::{parse, REGRESSION};

    /// Parsing returns, and an error is a syntax error naming a line and
    /// column inside the text.
    fn check_parse_returns(sql: &str) -> Result<(), TestCaseError> {
        if let Err(err) = parse(sql) {
            let lines = sql.lines().count().max(1) as u64 + 1;
            prop_assert!(
                matches!(&err, Error::Syntax { position, .. }
                    if position.line >= 1 && position.line <= lines && position.column >= 1),
                "{err}"
            );
        }
        Ok(())
    }

    /// Words and punctuation of the DDL the loader reads, so random
    /// streams reach deep into the statement parsers.
    const VOCABULARY: &[&str] = &[
        "CREATE",
        "ALTER",
        "DROP",
        "FOREIGN",
        "TABLE",
        "SERVER",
        "USER",
        "MAPPING",
        "FOR",
        "OPTIONS",
        "ADD",
        "SET",
        "TYPE",
        "AS",
        "ENUM",
        "DOMAIN",
        "FUNCTION",
        "RETURNS",
        "AGGREGATE",
        "OPERATOR",
        "EXTENSION",
        "SCHEMA",
        "PARTITION",
        "OF",
        "BY",
        "RANGE",
        "VALUES",
        "FROM",
        "TO",
        "IN",
        "WITH",
        "DEFAULT",
        "NOT",
        "NULL",
        "CHECK",
        "COLLATE",
        "GENERATED",
        "ALWAYS",
        "STORED",
        "IMPORT",
        "INTO",
        "LIMIT",
        "EXCEPT",
        "BEGIN",
        "ATOMIC",
        "END",
        "CASE",
        "RETURN",
        "COLUMN",
        "RENAME",
        "ATTACH",
        "IF",
        "EXISTS",
        "interval",
        "day",
        "second",
        "varchar",
        "numeric",
        "double",
        "precision",
        "int",
        "timestamp",
        "time",
        "zone",
        "bit",
        "varying",
        "char",
        "x",
        "\"Q q\"",
        "'v'",
        "E'a\\'b'",
        "$$b;c$$",
        "1",
        "-2",
        "(",
        ")",
        ",",
        ";",
        ".",
        "=",
        "===",
        "[",
        "]",
        "*",
        "%",
        "\\connect",
        "\n",
        "--c\n",
        "/*c*/",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn random_token_streams(words in prop::collection::vec(prop::sample::select(VOCABULARY), 0..40)) {
            check_parse_returns(&words.join(" "))?;
        }

        #[test]
        fn truncated_fixture(cut in 0usize..REGRESSION.len()) {
            let mut cut = cut;
            while !REGRESSION.is_char_boundary(cut) {
                cut -= 1;
            }
            check_parse_returns(&REGRESSION[..cut])?;
        }

        #[test]
        fn fixture_with_a_word_deleted_or_doubled(idx in 0usize..2000, double in any::<bool>()) {
            let mut words: Vec<&str> = REGRESSION.split_inclusive(char::is_whitespace).collect();
            let idx = idx % words.len();
            if double {
                words.insert(idx, words[idx]);
            } else {
                words.remove(idx);
            }
            check_parse_returns(&words.concat())?;
        }
    }
}
