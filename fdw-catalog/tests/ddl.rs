//! Tests of the ddl area: parsing DDL text and loading it into a catalog.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail the test by unwrapping, as #[test] functions may"
)]

use std::fmt::Write;

use fdw_catalog::catalog::Catalog;
use fdw_catalog::ddl::ast::StatementKind;
use fdw_catalog::ddl::{load, parse, LoadReport};
use fdw_catalog::objects::ObjectClass;
use fdw_catalog::options::OptionList;

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

/// The error `sql` fails with when loaded into a fresh catalog, as its message.
fn error_text(sql: &str) -> String {
    let mut catalog = Catalog::new(15).unwrap();
    match load(&mut catalog, sql) {
        Ok(report) => panic!("expected an error, applied {} statements", report.applied),
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

    use super::{load, parse, Catalog, REGRESSION};

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

    /// Loading returns, and an error names a position inside the text.
    fn check_load_returns(sql: &str) -> Result<(), TestCaseError> {
        let mut catalog = Catalog::new(15).unwrap();
        if let Err(err) = load(&mut catalog, sql) {
            let lines = sql.lines().count().max(1) as u64 + 1;
            let position = match &err {
                Error::Syntax { position, .. } | Error::Statement { position, .. } => *position,
                other => return Err(TestCaseError::fail(format!("unexpected error {other}"))),
            };
            prop_assert!(position.line >= 1 && position.line <= lines, "{err}");
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn random_token_streams(words in prop::collection::vec(prop::sample::select(VOCABULARY), 0..40)) {
            let sql = words.join(" ");
            check_parse_returns(&sql)?;
            check_load_returns(&sql)?;
        }

        #[test]
        fn truncated_fixture(cut in 0usize..REGRESSION.len()) {
            let mut cut = cut;
            while !REGRESSION.is_char_boundary(cut) {
                cut -= 1;
            }
            check_parse_returns(&REGRESSION[..cut])?;
            check_load_returns(&REGRESSION[..cut])?;
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
            let sql = words.concat();
            check_parse_returns(&sql)?;
            check_load_returns(&sql)?;
        }
    }
}

/// Loads `sql` into a fresh PostgreSQL 15 catalog.
fn load_fresh(sql: &str) -> (Catalog, LoadReport) {
    let mut catalog = Catalog::new(15).unwrap();
    let report = load(&mut catalog, sql).unwrap();
    (catalog, report)
}

/// Options as `name=value, ...`; a secret shows as `name=<set>`.
fn render_options(options: &OptionList) -> String {
    options
        .entries()
        .iter()
        .map(|e| match &e.value {
            Some(value) => format!("{}={value:?}", e.name),
            None => format!("{}=<set>", e.name),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The user objects of `catalog` the planner reads, as readable text:
/// servers with options, user mappings, types, then relations with their
/// columns (type, typmod, collation, NOT NULL, default, options, dropped
/// attributes), partition parents and bounds, and table options.
fn render_catalog(catalog: &Catalog) -> String {
    let mut out = String::new();
    let schema_name = |oid| catalog.namespace_name(oid).unwrap_or("?").to_owned();
    for server in catalog.servers() {
        writeln!(out, "server {} (oid {})", server.name, server.oid.0).unwrap();
        if !server.options.is_empty() {
            writeln!(out, "  options: {}", render_options(&server.options)).unwrap();
        }
    }
    for mapping in catalog.user_mappings() {
        let server = catalog
            .server(mapping.server)
            .map_or("?", |s| s.name.as_str());
        writeln!(
            out,
            "user mapping for {} server {} ({})",
            mapping.user,
            server,
            render_options(&mapping.options)
        )
        .unwrap();
    }
    for ty in catalog.user_types() {
        writeln!(
            out,
            "type {}.{} (oid {}): {}",
            schema_name(ty.schema),
            ty.name,
            ty.oid.0,
            catalog.format_type(ty.oid)
        )
        .unwrap();
    }
    for rel in catalog.relations() {
        write!(
            out,
            "{:?} {}.{} (oid {})",
            rel.kind,
            schema_name(rel.schema),
            rel.name,
            rel.oid.0
        )
        .unwrap();
        for parent in &rel.parents {
            let name = catalog.relation(*parent).map_or("?", |p| p.name.as_str());
            write!(out, " of {name}").unwrap();
        }
        if let Some(bound) = &rel.partition_bound {
            write!(out, " {bound}").unwrap();
        }
        if let Some(key) = &rel.partition_key {
            write!(out, " PARTITION BY {key}").unwrap();
        }
        writeln!(out).unwrap();
        if let Some(foreign) = &rel.foreign {
            let server = catalog
                .server(foreign.server)
                .map_or("?", |s| s.name.as_str());
            writeln!(
                out,
                "  server {server} ({})",
                render_options(&foreign.options)
            )
            .unwrap();
        }
        for col in &rel.columns {
            if col.dropped {
                writeln!(out, "  {} (dropped)", col.attnum).unwrap();
                continue;
            }
            write!(
                out,
                "  {} {:?} {} (type {}, typmod {}",
                col.attnum,
                col.name,
                catalog.format_type(col.type_oid),
                col.type_oid.0,
                col.typmod
            )
            .unwrap();
            if !col.collation.is_invalid() {
                write!(out, ", collation {}", col.collation.0).unwrap();
            }
            write!(out, ")").unwrap();
            if col.not_null {
                write!(out, " NOT NULL").unwrap();
            }
            if let Some(default) = &col.default {
                write!(out, " DEFAULT {default}").unwrap();
            }
            if let Some(generated) = &col.generated {
                write!(out, " GENERATED ALWAYS AS ({generated}) STORED").unwrap();
            }
            if !col.options.is_empty() {
                write!(out, " OPTIONS ({})", render_options(&col.options)).unwrap();
            }
            writeln!(out).unwrap();
        }
    }
    let settings = catalog.settings().explicit_values();
    for (name, value) in settings {
        writeln!(out, "set {name} = {value:?}").unwrap();
    }
    out
}

/// The report as text: applied count, skip counts, warnings.
fn render_report(report: &LoadReport) -> String {
    let mut out = format!("applied {}\n", report.applied);
    for (kind, count) in &report.skipped {
        writeln!(out, "skipped {kind}: {count}").unwrap();
    }
    for warning in &report.warnings {
        writeln!(out, "warning at {}: {}", warning.position, warning.message).unwrap();
    }
    out
}

// The regression-shaped fixture: every object and option it defines,
// with typmods and collations as PostgreSQL computes them.
#[test]
fn loads_regression_fixture() {
    let (catalog, report) = load_fresh(REGRESSION);
    insta::assert_snapshot!(format!(
        "{}\n{}",
        render_report(&report),
        render_catalog(&catalog)
    ));
}

// pg_dump --schema-only output: what the planner needs is applied, the
// rest is skipped and counted per kind.
#[test]
fn loads_pg_dump_output_and_counts_skipped_statements() {
    let (catalog, report) = load_fresh(PG_DUMP);
    let skipped: Vec<(&str, usize)> = report
        .skipped
        .iter()
        .map(|(kind, count)| (kind.as_str(), *count))
        .collect();
    assert_eq!(
        skipped,
        vec![
            ("ALTER FOREIGN TABLE OWNER TO", 1),
            ("ALTER FUNCTION OWNER TO", 1),
            ("ALTER SCHEMA OWNER TO", 1),
            ("ALTER SEQUENCE", 1),
            ("ALTER SERVER OWNER TO", 1),
            ("ALTER TABLE ADD CONSTRAINT", 1),
            ("ALTER TABLE OWNER TO", 2),
            ("ALTER TYPE OWNER TO", 1),
            ("COMMENT", 2),
            ("CREATE INDEX", 2),
            ("CREATE SEQUENCE", 1),
            ("GRANT", 2),
            ("REVOKE", 1),
            ("SECURITY LABEL", 1),
            ("SELECT", 1),
            ("SET", 10),
            ("\\connect", 1),
        ]
    );
    assert_eq!(report.applied, 11);
    let orders = catalog.resolve_relation(Some("shop"), "orders").unwrap();
    assert_eq!(
        catalog
            .remote_column_name(orders.oid, fdw_core::AttrNumber(4))
            .unwrap(),
        "amount"
    );
    let customers = catalog.resolve_relation(Some("shop"), "customers").unwrap();
    let id = customers.column("id").unwrap();
    assert!(id.not_null);
    assert_eq!(
        id.default.as_deref(),
        Some("nextval('shop.customers_id_seq'::REGCLASS)")
    );
}

const WITH_SERVER: &str = "CREATE EXTENSION postgres_fdw;\n\
    CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw;\n";

#[test]
fn rejects_unknown_server() {
    assert_eq!(
        error_text("CREATE EXTENSION postgres_fdw;\nCREATE FOREIGN TABLE t (a int) SERVER nosuch;"),
        "statement at line 2, column 1: server \"nosuch\" does not exist"
    );
}

#[test]
fn rejects_unknown_type() {
    assert_eq!(
        error_text("CREATE TABLE t (a int, b nosuchtype);"),
        "statement at line 1, column 1: type \"nosuchtype\" does not exist"
    );
}

#[test]
fn rejects_duplicate_column() {
    assert_eq!(
        error_text("CREATE TABLE t (a int, \"a\" text);"),
        "statement at line 1, column 1: column \"a\" specified more than once"
    );
}

#[test]
fn rejects_drop_of_unknown_table() {
    assert_eq!(
        error_text("DROP TABLE IF EXISTS gone;\nDROP TABLE gone;"),
        "statement at line 2, column 1: table \"gone\" does not exist"
    );
}

#[test]
fn rejects_option_on_the_wrong_object() {
    assert_eq!(
        error_text(&format!(
            "{WITH_SERVER}CREATE USER MAPPING FOR PUBLIC SERVER s OPTIONS (host 'h');"
        )),
        "statement at line 3, column 1: invalid option \"host\" for user mapping; valid options in this context are: user, password, sslpassword, password_required, sslcert, sslkey"
    );
}

#[test]
fn rejects_bad_option_value() {
    assert_eq!(
        error_text(&format!(
            "{WITH_SERVER}ALTER SERVER s OPTIONS (ADD fetch_size '0');"
        )),
        "statement at line 3, column 1: \"fetch_size\" must be an integer value greater than zero"
    );
}

#[test]
fn rejects_partition_of_unpartitioned_table() {
    assert_eq!(
        error_text("CREATE TABLE p (a int);\nCREATE TABLE c PARTITION OF p DEFAULT;"),
        "statement at line 2, column 1: table \"p\" is not partitioned"
    );
}

#[test]
fn rejects_unknown_column_option() {
    assert_eq!(
        error_text(&format!(
            "{WITH_SERVER}CREATE FOREIGN TABLE t (a int OPTIONS (colname 'x')) SERVER s;"
        )),
        "statement at line 3, column 1: invalid option \"colname\" for column; valid options in this context are: column_name"
    );
}

#[test]
fn rejects_import_foreign_schema() {
    assert_eq!(
        error_text(&format!(
            "{WITH_SERVER}IMPORT FOREIGN SCHEMA remote FROM SERVER s INTO public;"
        )),
        "statement at line 3, column 1: IMPORT FOREIGN SCHEMA \"remote\" FROM SERVER s needs the remote server's catalog, which a DDL file cannot provide; import against the live server instead"
    );
}

#[test]
fn rejects_zero_length_varchar() {
    assert_eq!(
        error_text("CREATE TABLE t (a varchar(0));"),
        "statement at line 1, column 1: length for type varchar must be at least 1"
    );
}

#[test]
fn rejects_collation_on_integer() {
    assert_eq!(
        error_text("CREATE TABLE t (a int COLLATE \"C\");"),
        "statement at line 1, column 1: collations are not supported by type integer"
    );
}

#[test]
fn rejects_unknown_collation() {
    assert_eq!(
        error_text("CREATE TABLE t (a text COLLATE \"xx_YY\");"),
        "statement at line 1, column 1: collation \"xx_YY\" does not exist"
    );
}

#[test]
fn rejects_conflicting_null_declarations() {
    assert_eq!(error_text("CREATE TABLE t (a int NULL NOT NULL);"), "statement at line 1, column 1: conflicting NULL/NOT NULL declarations for column \"a\" of table \"t\"");
}

// ALTER EXTENSION ... ADD puts the user function and operator into
// postgres_fdw, which is what makes them shippable to `loopback`.
#[test]
fn extension_membership_is_recorded() {
    let (catalog, _) = load_fresh(REGRESSION);
    let int4 = catalog.resolve_type(None, "int4").unwrap();
    let func = catalog
        .resolve_function(None, "postgres_fdw_abs", &[int4])
        .unwrap();
    let op = catalog.resolve_operator(None, "===", int4, int4).unwrap();
    let ext = catalog.extension_by_name("postgres_fdw").unwrap().oid;
    assert_eq!(catalog.extension_of(ObjectClass::Proc, func), Some(ext));
    assert_eq!(catalog.extension_of(ObjectClass::Operator, op), Some(ext));
}

// Routines, domains, composite types, views and DROPs, with psql-style
// lexical details: E'' strings, dollar quotes, BEGIN ATOMIC bodies.
#[test]
fn loads_routines_types_and_drops() {
    let sql = r#"
CREATE DOMAIN posint AS integer CONSTRAINT positive CHECK (VALUE > 0) NOT NULL;
CREATE TYPE pair AS (a int, "B" text COLLATE "C");
CREATE FUNCTION add1(x int) RETURNS int LANGUAGE sql IMMUTABLE STRICT BEGIN ATOMIC SELECT x + 1; END;
CREATE FUNCTION greet(name text DEFAULT E'it\'s') RETURNS SETOF text AS $body$ SELECT $1; $body$ LANGUAGE sql STABLE ROWS 5;
CREATE FUNCTION sum_state(int, int) RETURNS int LANGUAGE sql IMMUTABLE RETURN $1 + $2;
CREATE AGGREGATE mysum(int) (SFUNC = sum_state, STYPE = int, INITCOND = '0');
CREATE AGGREGATE oldsum (BASETYPE = int, SFUNC = sum_state, STYPE = int);
CREATE VIEW v AS SELECT 1 AS one;
DROP VIEW v;
DROP AGGREGATE oldsum(int);
DROP FUNCTION greet;
"#;
    let (catalog, report) = load_fresh(sql);
    assert_eq!(report.applied, 11);
    assert_eq!(report.skipped.get("CREATE VIEW"), None);
    assert_eq!(report.skipped.get("DROP VIEW"), None);
    assert!(catalog.resolve_relation(None, "v").is_err());
    let int4 = catalog.resolve_type(None, "int4").unwrap();
    let posint = catalog.resolve_type(None, "posint").unwrap();
    assert_eq!(catalog.format_type(posint), "posint");
    let pair = catalog.resolve_relation(None, "pair").unwrap();
    let b = pair.column("B").unwrap();
    assert_eq!(b.collation.0, 950);
    let add1 = catalog.resolve_function(None, "add1", &[int4]).unwrap();
    let info = catalog.proc_info(add1).unwrap();
    assert!(info.strict);
    assert!(catalog.resolve_function(None, "mysum", &[int4]).is_ok());
    assert!(catalog.resolve_function(None, "oldsum", &[int4]).is_err());
    let text = catalog.resolve_type(None, "text").unwrap();
    assert!(catalog.resolve_function(None, "greet", &[text]).is_err());
}

// Shell and base types need C functions: skipped and counted.
#[test]
fn skips_shell_and_base_types() {
    let (catalog, report) = load_fresh("CREATE TYPE box2;\nCREATE TYPE box2 (INPUT = box2_in, OUTPUT = box2_out, INTERNALLENGTH = 16);");
    assert_eq!(report.skipped.get("CREATE TYPE"), Some(&2));
    assert!(catalog.resolve_type(None, "box2").is_err());
}

#[test]
fn loads_views_with_their_query_text() {
    use fdw_catalog::objects::{CheckOption, RelationKind, ViewDef};
    let sql = "CREATE TABLE t (a int, b text);\n\
CREATE VIEW v1 AS SELECT a, b FROM t WHERE a > 0;\n\
CREATE OR REPLACE VIEW v2 (x, y) WITH (security_barrier) AS\n  SELECT a,\n b FROM t WITH LOCAL CHECK OPTION;\n\
CREATE VIEW v3 AS SELECT * FROM t WHERE a > 0 WITH CHECK OPTION\n";
    let (mut catalog, report) = load_fresh(sql);
    assert_eq!(report.applied, 4);
    let v1 = catalog.resolve_relation(None, "v1").unwrap();
    assert_eq!(v1.kind, RelationKind::View);
    assert!(v1.columns.is_empty());
    assert_eq!(
        v1.view,
        Some(ViewDef {
            query: "SELECT a, b FROM t WHERE a > 0".into(),
            column_names: Vec::new(),
            check_option: None,
        })
    );
    let v2 = catalog.resolve_relation(None, "v2").unwrap();
    assert_eq!(
        v2.view,
        Some(ViewDef {
            query: "SELECT a,\n b FROM t".into(),
            column_names: vec!["x".into(), "y".into()],
            check_option: Some(CheckOption::Local),
        })
    );
    let v3 = catalog.resolve_relation(None, "v3").unwrap();
    let v3_oid = v3.oid;
    assert_eq!(
        v3.view.as_ref().map(|v| (v.query.as_str(), v.check_option)),
        Some(("SELECT * FROM t WHERE a > 0", Some(CheckOption::Cascaded)))
    );
    // OR REPLACE keeps the oid and takes the new query.
    load(
        &mut catalog,
        "CREATE OR REPLACE VIEW v3 AS SELECT a FROM t;",
    )
    .unwrap();
    let v3 = catalog.resolve_relation(None, "v3").unwrap();
    assert_eq!(v3.oid, v3_oid);
    assert_eq!(
        v3.view.as_ref().map(|v| v.query.as_str()),
        Some("SELECT a FROM t")
    );
    assert_eq!(v3.view.as_ref().and_then(|v| v.check_option), None);
    // Without OR REPLACE the name is taken; a table is not a view.
    assert!(load(&mut catalog, "CREATE VIEW v3 AS SELECT 1;").is_err());
    assert!(load(&mut catalog, "CREATE OR REPLACE VIEW t AS SELECT 1;").is_err());
    // The snapshot keeps the definitions.
    let text = catalog.to_snapshot_json().unwrap();
    let back = Catalog::from_snapshot_json(&text).unwrap();
    assert_eq!(back, catalog);
    assert_eq!(
        back.resolve_relation(None, "v2").unwrap().view,
        catalog.resolve_relation(None, "v2").unwrap().view
    );
    // DROP VIEW drops it; DROP TABLE does not drop a view.
    assert!(load(&mut catalog, "DROP TABLE v1;").is_err());
    let report = load(&mut catalog, "DROP VIEW v1, v2;").unwrap();
    assert_eq!(report.applied, 1);
    assert!(report.skipped.is_empty());
    assert!(catalog.resolve_relation(None, "v1").is_err());
    assert!(catalog.resolve_relation(None, "v2").is_err());
    assert!(load(&mut catalog, "DROP VIEW v1;").is_err());
    load(&mut catalog, "DROP VIEW IF EXISTS v1;").unwrap();
}

/// A foreign table's options are remembered between queries
/// (`fdw_options_shared`); every change to the table or its server must
/// be seen by the next query, not the remembered answer.
#[test]
fn remembered_table_options_follow_alter() {
    let mut catalog = Catalog::new(15).unwrap();
    load(
        &mut catalog,
        &format!("{WITH_SERVER}CREATE FOREIGN TABLE t (a int) SERVER s;"),
    )
    .unwrap();
    let table = catalog.resolve_relation(None, "t").unwrap().oid;
    let options = catalog.fdw_options_shared(table).unwrap();
    assert_eq!((options.fetch_size, options.fdw_startup_cost), (100, 100.0));
    // Asked again: the same remembered answer.
    let again = catalog.fdw_options_shared(table).unwrap();
    assert!(std::sync::Arc::ptr_eq(&options, &again));

    load(
        &mut catalog,
        "ALTER FOREIGN TABLE t OPTIONS (ADD fetch_size '7');",
    )
    .unwrap();
    let options = catalog.fdw_options_shared(table).unwrap();
    assert_eq!((options.fetch_size, options.fdw_startup_cost), (7, 100.0));

    load(
        &mut catalog,
        "ALTER SERVER s OPTIONS (ADD fdw_startup_cost '5');",
    )
    .unwrap();
    let options = catalog.fdw_options_shared(table).unwrap();
    assert_eq!((options.fetch_size, options.fdw_startup_cost), (7, 5.0));
    assert_eq!(*options, catalog.fdw_options(table).unwrap());
}
