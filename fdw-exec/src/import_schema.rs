//! `IMPORT FOREIGN SCHEMA` as DDL text: the `CREATE FOREIGN TABLE`
//! statements postgres_fdw 15's import would create, read from the remote
//! server's catalog.
//!
//! The remote query and the statement text follow postgresImportForeignSchema
//! (PostgreSQL 15): the session runs with postgres_fdw's settings
//! (`search_path = pg_catalog`, so every type and function outside
//! pg_catalog comes out schema-qualified; `DateStyle`, `IntervalStyle` and
//! `extra_float_digits` as postgres_fdw sets them, since defaults are
//! printed by the server), partitions are left out unless `LIMIT TO` names
//! them, and each column carries a `column_name` option. The core's part of
//! the import is reproduced too: the statements are filtered by the
//! `LIMIT TO` / `EXCEPT` list and created in the local schema.

use std::fmt::Write as _;

use crate::live_catalog::{connect, describe, LiveConnection, LiveError, Result};

/// `LIMIT TO` or `EXCEPT` and the table names (case-sensitive, as written
/// inside the parentheses of the SQL command after identifier folding).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Restriction {
    /// Import only these tables (partitions included when named).
    LimitTo(Vec<String>),
    /// Import every table but these.
    Except(Vec<String>),
}

/// What to import and how: the command's clauses and postgres_fdw's options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRequest {
    /// The local server name the tables will use.
    pub server: String,
    /// The remote schema.
    pub remote_schema: String,
    /// The local schema the tables are created in.
    pub local_schema: String,
    /// `LIMIT TO` / `EXCEPT`.
    pub restriction: Option<Restriction>,
    /// `import_collate` (default true).
    pub import_collate: bool,
    /// `import_default` (default false).
    pub import_default: bool,
    /// `import_generated` (default true).
    pub import_generated: bool,
    /// `import_not_null` (default true).
    pub import_not_null: bool,
}

impl ImportRequest {
    /// A request with postgres_fdw's default options.
    pub fn new(server: &str, remote_schema: &str, local_schema: &str) -> ImportRequest {
        ImportRequest {
            server: server.to_string(),
            remote_schema: remote_schema.to_string(),
            local_schema: local_schema.to_string(),
            restriction: None,
            import_collate: true,
            import_default: false,
            import_generated: true,
            import_not_null: true,
        }
    }
}

/// One column as the remote query returns it; names are quoted by the
/// server's quote_ident, which is quote_identifier.
#[derive(Debug)]
struct RemoteColumn {
    /// The name as quote_ident prints it.
    quoted: String,
    /// The name itself, for the `column_name` option.
    name: String,
    type_name: String,
    not_null: bool,
    default: Option<String>,
    generated: Option<String>,
    collation: Option<(String, String)>,
}

/// Connects to the remote database `dsn` and returns the import's DDL.
///
/// # Errors
///
/// As [`import_foreign_schema`], and connection errors.
pub fn import_foreign_schema_blocking(dsn: &str, request: &ImportRequest) -> Result<String> {
    crate::live_catalog::block_on(async {
        let conn = connect(dsn).await?;
        import_foreign_schema(&conn, request).await
    })
}

/// The DDL `IMPORT FOREIGN SCHEMA` would run for `request`, read over
/// `conn`, which is connected to the *remote* database. The statements
/// end with `;` and are separated by a blank line.
///
/// # Errors
///
/// [`LiveError::Query`] when the remote schema does not exist (PostgreSQL's
/// wording) or a query fails.
pub async fn import_foreign_schema(
    conn: &LiveConnection,
    request: &ImportRequest,
) -> Result<String> {
    let run = |e: tokio_postgres::Error, what: &'static str| LiveError::Query {
        what,
        message: conn.scrub(&describe(&e)),
    };
    // postgres_fdw's remote session settings (configure_remote_session).
    conn.client
        .batch_execute(
            "SET search_path = pg_catalog; SET timezone = 'UTC'; SET datestyle = ISO; \
             SET intervalstyle = postgres; SET extra_float_digits = 3",
        )
        .await
        .map_err(|e| run(e, "setting up the remote session"))?;
    let exists = conn
        .client
        .query(
            "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1",
            &[&request.remote_schema],
        )
        .await
        .map_err(|e| run(e, "reading the remote schema"))?;
    if exists.len() != 1 {
        return Err(LiveError::Query {
            what: "IMPORT FOREIGN SCHEMA",
            message: format!(
                "ERROR: schema \"{}\" is not present on foreign server \"{}\"",
                request.remote_schema, request.server
            ),
        });
    }
    let mut sql = String::from(
        "SELECT relname::text, quote_ident(attname), format_type(atttypid, atttypmod), attnotnull, \
           pg_get_expr(adbin, adrelid), attgenerated::text, quote_ident(collname), quote_ident(collnsp.nspname), \
           quote_ident(relname), attname::text \
         FROM pg_class c \
           JOIN pg_namespace n ON relnamespace = n.oid \
           LEFT JOIN pg_attribute a ON attrelid = c.oid AND attnum > 0 AND NOT attisdropped \
           LEFT JOIN pg_attrdef ad ON adrelid = c.oid AND adnum = attnum \
           LEFT JOIN pg_collation coll ON coll.oid = attcollation \
           LEFT JOIN pg_namespace collnsp ON collnsp.oid = collnamespace \
         WHERE c.relkind IN ('r', 'v', 'f', 'm', 'p') AND n.nspname = $1",
    );
    // Partitions only when LIMIT TO names them: the root partitioned table
    // already gives access to all the data.
    if !matches!(request.restriction, Some(Restriction::LimitTo(_))) {
        sql.push_str(" AND NOT c.relispartition");
    }
    let names: Vec<String> = match &request.restriction {
        Some(Restriction::LimitTo(names)) => {
            sql.push_str(" AND c.relname = ANY($2)");
            names.clone()
        }
        Some(Restriction::Except(names)) => {
            sql.push_str(" AND NOT (c.relname = ANY($2))");
            names.clone()
        }
        None => {
            sql.push_str(" AND $2::text[] IS NOT NULL");
            Vec::new()
        }
    };
    sql.push_str(" ORDER BY c.relname, a.attnum");
    let rows = conn
        .client
        .query(&sql, &[&request.remote_schema, &names])
        .await
        .map_err(|e| run(e, "reading the remote tables"))?;

    let mut tables: Vec<(String, String, Vec<RemoteColumn>)> = Vec::new();
    for row in &rows {
        let get_err = |e: tokio_postgres::Error| run(e, "reading the remote tables");
        let table: String = row.try_get(0).map_err(get_err)?;
        if tables.last().map(|(t, _, _)| t != &table).unwrap_or(true) {
            let quoted: String = row.try_get(8).map_err(get_err)?;
            tables.push((table.clone(), quoted, Vec::new()));
        }
        // A table without columns comes back as one row of NULLs.
        let Some(quoted) = row.try_get::<_, Option<String>>(1).map_err(get_err)? else {
            continue;
        };
        let column = RemoteColumn {
            quoted,
            name: row.try_get(9).map_err(get_err)?,
            type_name: row.try_get(2).map_err(get_err)?,
            not_null: row.try_get(3).map_err(get_err)?,
            default: row.try_get(4).map_err(get_err)?,
            generated: row.try_get(5).map_err(get_err)?,
            collation: match (
                row.try_get::<_, Option<String>>(6).map_err(get_err)?,
                row.try_get::<_, Option<String>>(7).map_err(get_err)?,
            ) {
                (Some(name), Some(schema)) => Some((schema, name)),
                _ => None,
            },
        };
        if let Some((_, _, columns)) = tables.last_mut() {
            columns.push(column);
        }
    }

    let quoted = conn
        .client
        .query(
            "SELECT quote_ident($1), quote_ident($2)",
            &[&request.local_schema, &request.server],
        )
        .await
        .map_err(|e| run(e, "quoting names"))?;
    let (local_schema, server): (String, String) = match quoted.first() {
        Some(row) => (
            row.try_get(0).map_err(|e| run(e, "quoting names"))?,
            row.try_get(1).map_err(|e| run(e, "quoting names"))?,
        ),
        None => (String::new(), String::new()),
    };
    let names = Quoted {
        local_schema,
        server,
    };
    let mut out = String::new();
    for (table, quoted_table, columns) in &tables {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&create_statement(
            request,
            &names,
            table,
            quoted_table,
            columns,
        ));
        out.push_str(";\n");
    }
    Ok(out)
}

/// The local schema and server names, quoted by the server.
#[derive(Debug)]
struct Quoted {
    local_schema: String,
    server: String,
}

/// One `CREATE FOREIGN TABLE`, as postgresImportForeignSchema words it,
/// qualified with the local schema as the core's import applies it.
fn create_statement(
    request: &ImportRequest,
    names: &Quoted,
    table: &str,
    quoted_table: &str,
    columns: &[RemoteColumn],
) -> String {
    let mut buf = format!(
        "CREATE FOREIGN TABLE {}.{quoted_table} (\n",
        names.local_schema
    );
    for (at, column) in columns.iter().enumerate() {
        if at > 0 {
            buf.push_str(",\n");
        }
        let _ = write!(
            buf,
            "  {} {} OPTIONS (column_name {})",
            column.quoted,
            column.type_name,
            string_literal(&column.name)
        );
        if request.import_collate {
            if let Some((schema, name)) = &column.collation {
                let _ = write!(buf, " COLLATE {schema}.{name}");
            }
        }
        let generated = column.generated.as_deref().unwrap_or_default();
        if let Some(default) = &column.default {
            if request.import_default && generated.is_empty() {
                let _ = write!(buf, " DEFAULT {default}");
            }
            if request.import_generated && generated == "s" {
                let _ = write!(buf, " GENERATED ALWAYS AS ({default}) STORED");
            }
        }
        if request.import_not_null && column.not_null {
            buf.push_str(" NOT NULL");
        }
    }
    let _ = write!(
        buf,
        "\n) SERVER {}\nOPTIONS (schema_name {}, table_name {})",
        names.server,
        string_literal(&request.remote_schema),
        string_literal(table)
    );
    buf
}

/// A string literal as postgres_fdw's deparseStringLiteral writes it: `E''`
/// with doubled backslashes when the value has one.
fn string_literal(value: &str) -> String {
    let escaped = value.replace('\'', "''");
    if value.contains('\\') {
        format!("E'{}'", escaped.replace('\\', "\\\\"))
    } else {
        format!("'{escaped}'")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_identifiers() {
        assert_eq!(string_literal("a'b"), "'a''b'");
        assert_eq!(string_literal("a\\b"), "E'a\\\\b'");
    }
}
