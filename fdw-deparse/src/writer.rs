//! Names: identifiers, relations and columns as the remote server knows
//! them (the foreign table's `schema_name`, `table_name` and `column_name`
//! options, spec §2.3–§2.4).

use fdw_catalog::Catalog;
use fdw_core::{AttrNumber, Oid};

use crate::context::DeparseCtx;
use crate::dialect::Dialect;
use crate::error::{Error, Result};

/// `ident` as an identifier of `dialect` (PostgreSQL: `quote_identifier`).
///
/// # Example
///
/// ```
/// use fdw_deparse::{quote_identifier, PostgresDialect};
///
/// let pg15 = PostgresDialect::new(15)?;
/// assert_eq!(quote_identifier(&pg15, "lower_ok"), "lower_ok");
/// assert_eq!(quote_identifier(&pg15, "user"), "\"user\"");
/// # Ok::<(), fdw_deparse::Error>(())
/// ```
pub fn quote_identifier(dialect: &dyn Dialect, ident: &str) -> String {
    let mut out = String::new();
    dialect.quote_ident(ident, &mut out);
    out
}

/// The remote name of foreign table `table`, `schema.table` with both parts
/// quoted (`deparseRelation`): the `schema_name` / `table_name` options, else
/// the local schema and name. The schema is always printed.
///
/// # Errors
///
/// [`Error::Catalog`] when `table` is not a foreign table.
pub fn deparse_relation(catalog: &Catalog, dialect: &dyn Dialect, table: Oid) -> Result<String> {
    let mut out = String::new();
    append_relation(catalog, dialect, table, &mut out)?;
    Ok(out)
}

pub(crate) fn append_relation(
    catalog: &Catalog,
    dialect: &dyn Dialect,
    table: Oid,
    out: &mut String,
) -> Result<()> {
    // The names are read in place (as `Catalog::remote_table_name` reads
    // them, without its copies); anything else gets that function's error.
    let names = catalog.relation(table).and_then(|rel| {
        let part = rel.foreign.as_ref()?;
        let schema = match part.options.get("schema_name") {
            Some(schema) => schema,
            None => catalog.namespace_name(rel.schema).unwrap_or_default(),
        };
        Some((schema, part.options.get("table_name").unwrap_or(&rel.name)))
    });
    match names {
        Some((schema, name)) => {
            dialect.quote_ident(schema, out);
            out.push('.');
            dialect.quote_ident(name, out);
        }
        None => {
            let (schema, name) = catalog.remote_table_name(table)?;
            dialect.quote_ident(&schema, out);
            out.push('.');
            dialect.quote_ident(&name, out);
        }
    }
    Ok(())
}

/// Appends the remote name of user column `attnum` of `table`.
pub(crate) fn append_column_name(
    ctx: &mut DeparseCtx<'_>,
    table: Oid,
    attnum: AttrNumber,
) -> Result<()> {
    // Read in place as `Catalog::remote_column_name` reads it (a foreign
    // table's live column: its `column_name` option, else its name), without
    // that function's copy: every column reference of every statement
    // comes through here.
    let catalog = ctx.catalog;
    let relation = match ctx.last_relation {
        Some(rel) if rel.oid == table => Some(rel),
        _ => {
            let found = catalog.relation(table);
            if found.is_some() {
                ctx.last_relation = found;
            }
            found
        }
    };
    let name = relation
        .filter(|rel| rel.foreign.is_some())
        .and_then(|rel| {
            // Columns are kept in attnum order, dropped ones included: the
            // attnum's own slot is tried before the search (attnums are
            // unique, so either finds the same column).
            usize::try_from(i32::from(attnum.0) - 1)
                .ok()
                .and_then(|slot| rel.columns.get(slot))
                .filter(|col| col.attnum == attnum.0)
                .or_else(|| rel.column_by_attnum(attnum.0))
        })
        .filter(|col| !col.dropped)
        .map(|col| col.options.get("column_name").unwrap_or(&col.name))
        .ok_or_else(|| Error::unknown_column(table, attnum))?;
    ctx.ident(name);
    Ok(())
}
