//! The differential harness: set the oracle up with a scenario and build
//! fdw's `Catalog` from the same local DDL, so one query can go through
//! fdw and through PostgreSQL and the two answers be compared.

use anyhow::Result;
use fdw_catalog::catalog::Catalog;

use crate::gen::{generate_scenario, GenConfig, GeneratedQuery, Servers};
use crate::oracle::{Oracle, LOOPBACK};
use crate::spec;

/// The server, beside [`LOOPBACK`], whose `extensions` option lists `cube`,
/// for generated tables with extension columns.
pub const EXTENSION_SERVER: &str = "loopback_ext";

/// fdw's catalog of the spec's §6.1 local schema, with the loopback server
/// pointing where the oracle's does.
///
/// # Errors
///
/// When the schema does not load (a bug in the loader or the fixture).
pub fn spec_catalog(oracle: &Oracle) -> Result<Catalog> {
    let options = oracle.connection_options();
    let local = spec::LOCAL_SCHEMA.replace("{loopback}", &options);
    let mut catalog = Catalog::new(15)?;
    set_lc_collate(oracle, &mut catalog)?;
    fdw_catalog::ddl::load(&mut catalog, "CREATE EXTENSION postgres_fdw")?;
    fdw_catalog::ddl::load(
        &mut catalog,
        &format!(
            "CREATE SERVER {LOOPBACK} FOREIGN DATA WRAPPER postgres_fdw OPTIONS ({options});\n\
             CREATE USER MAPPING FOR CURRENT_USER SERVER {LOOPBACK};\n{local}"
        ),
    )?;
    Ok(catalog)
}

/// Generates scenario `seed` with `config` (`queries` queries), creates its
/// remote tables and data and its local foreign tables on the oracle (the
/// extension server included), and returns the queries with the local DDL
/// for [`generated_catalog`].
///
/// # Errors
///
/// When generation fails or the oracle rejects the scenario's DDL or data.
pub fn set_up_generated(
    oracle: &Oracle,
    seed: u64,
    config: &GenConfig,
    queries: usize,
) -> Result<(Vec<GeneratedQuery>, Vec<String>)> {
    let scenario = generate_scenario(seed, config, queries)?;
    oracle.create_server(EXTENSION_SERVER, &[("extensions", "cube")])?;
    let remote: Vec<String> = scenario
        .schema
        .remote_ddl()
        .into_iter()
        .chain(scenario.data.remote.iter().cloned())
        .collect();
    oracle.exec_remote(&(remote.join(";\n") + ";"))?;
    let local_ddl = scenario.schema.local_ddl(Servers {
        main: LOOPBACK,
        extension: Some(EXTENSION_SERVER),
    });
    let local: Vec<String> = local_ddl
        .iter()
        .cloned()
        .chain(scenario.data.local.iter().cloned())
        .collect();
    oracle.exec_local(&(local.join(";\n") + ";"))?;
    Ok((scenario.queries, local_ddl))
}

/// fdw's catalog of a generated scenario's local DDL, with both servers
/// pointing where the oracle's do.
///
/// # Errors
///
/// When the DDL does not load.
pub fn generated_catalog(oracle: &Oracle, local_ddl: &[String]) -> Result<Catalog> {
    let options = oracle.connection_options();
    let mut script = format!(
        "CREATE EXTENSION postgres_fdw;\n\
         CREATE SERVER {LOOPBACK} FOREIGN DATA WRAPPER postgres_fdw OPTIONS ({options});\n\
         CREATE SERVER {EXTENSION_SERVER} FOREIGN DATA WRAPPER postgres_fdw OPTIONS ({options}, extensions 'cube');\n"
    );
    for statement in local_ddl {
        script.push_str(statement);
        script.push_str(";\n");
    }
    let mut catalog = Catalog::new(15)?;
    set_lc_collate(oracle, &mut catalog)?;
    fdw_catalog::ddl::load(&mut catalog, &script)?;
    Ok(catalog)
}

/// Tells the catalog the oracle's local database collation (`C`: the test
/// clusters are initdb'd with `--locale=C`), read from the oracle so that
/// text ordering is folded only as the oracle's database orders.
fn set_lc_collate(oracle: &Oracle, catalog: &mut Catalog) -> Result<()> {
    let shown = oracle
        .rows("SHOW lc_collate")?
        .map_err(|e| anyhow::anyhow!("SHOW lc_collate: {}", e.message))?;
    if let Some(Some(value)) = shown.rows.first().and_then(|row| row.first()) {
        catalog.set_setting("lc_collate", value)?;
    }
    Ok(())
}

/// Copies the local database's statistics (`pg_class` sizes and `pg_stats`
/// rows, as `ANALYZE` left them) of every table and foreign table into
/// `catalog`, so that costs are estimated from the numbers PostgreSQL's
/// planner sees.
///
/// # Errors
///
/// When psql fails, PostgreSQL rejects the catalog queries, or a relation
/// or column is missing from `catalog`.
pub fn load_statistics(oracle: &Oracle, catalog: &mut Catalog) -> Result<()> {
    use anyhow::anyhow;
    use fdw_catalog::stats::{ColumnStats, RelationStats};
    use fdw_core::AttrNumber;

    let sizes = oracle
        .rows(
            "SELECT n.nspname, c.relname, c.relpages, c.reltuples, c.relallvisible \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind IN ('r', 'f') \
               AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') \
             ORDER BY 1, 2",
        )?
        .map_err(|e| anyhow!("reading pg_class: {e}"))?;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    for row in &sizes.rows {
        let [schema, name, pages, tuples, allvisible] = row.as_slice() else {
            continue;
        };
        let Ok(rel) = catalog.resolve_relation(Some(&text(schema)), &text(name)) else {
            continue;
        };
        let oid = rel.oid;
        catalog.set_relation_stats(
            oid,
            RelationStats {
                reltuples: text(tuples).parse()?,
                relpages: text(pages).parse()?,
                relallvisible: text(allvisible).parse()?,
            },
        )?;
    }
    let columns = oracle
        .rows(
            "SELECT s.schemaname, s.tablename, a.attnum, s.null_frac, s.avg_width, s.n_distinct, \
                    s.most_common_vals::text, s.most_common_freqs::text, \
                    s.histogram_bounds::text, s.correlation, \
                    s.most_common_elems::text, s.most_common_elem_freqs::text, \
                    s.elem_count_histogram::text \
             FROM pg_stats s \
             JOIN pg_namespace n ON n.nspname = s.schemaname \
             JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.tablename \
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = s.attname \
             WHERE s.schemaname NOT IN ('pg_catalog', 'information_schema') AND NOT s.inherited \
             ORDER BY 1, 2, 3",
        )?
        .map_err(|e| anyhow!("reading pg_stats: {e}"))?;
    let list = |v: &Option<String>| -> Vec<String> {
        v.as_deref()
            .and_then(|t| fdw_cost::array_len::array_literal_elements(t, ','))
            .map(|items| items.into_iter().map(Option::unwrap_or_default).collect())
            .unwrap_or_default()
    };
    for row in &columns.rows {
        let [schema, name, attnum, null_frac, avg_width, n_distinct, mcv, mcf, hist, corr, mce, mcef, dechist] =
            row.as_slice()
        else {
            continue;
        };
        let Ok(rel) = catalog.resolve_relation(Some(&text(schema)), &text(name)) else {
            continue;
        };
        let oid = rel.oid;
        let floats = |v: &Option<String>| {
            list(v)
                .iter()
                .map(|f| f.parse::<f32>())
                .collect::<std::result::Result<Vec<f32>, _>>()
        };
        let freqs = floats(mcf)?;
        let stats = ColumnStats {
            null_frac: text(null_frac).parse()?,
            avg_width: text(avg_width).parse()?,
            n_distinct: text(n_distinct).parse()?,
            most_common_vals: list(mcv),
            most_common_freqs: freqs,
            histogram_bounds: list(hist),
            correlation: corr.as_deref().map(str::parse).transpose()?,
            most_common_elems: list(mce),
            most_common_elem_freqs: floats(mcef)?,
            elem_count_histogram: floats(dechist)?,
        };
        catalog.set_column_stats(oid, AttrNumber(text(attnum).parse()?), stats)?;
    }
    Ok(())
}
