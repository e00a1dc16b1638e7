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
    let (schema, name) = catalog.remote_table_name(table)?;
    dialect.quote_ident(&schema, out);
    out.push('.');
    dialect.quote_ident(&name, out);
    Ok(())
}

/// Appends the remote name of user column `attnum` of `table`.
pub(crate) fn append_column_name(
    ctx: &mut DeparseCtx<'_>,
    table: Oid,
    attnum: AttrNumber,
) -> Result<()> {
    let name = ctx
        .catalog
        .remote_column_name(table, attnum)
        .map_err(|_| Error::unknown_column(table, attnum))?;
    ctx.ident(&name);
    Ok(())
}
