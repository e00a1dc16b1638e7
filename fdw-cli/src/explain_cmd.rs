//! `fdw explain`: the plan postgres_fdw 15 would make for a query, as
//! `EXPLAIN (VERBOSE, COSTS OFF)` prints it, or as one JSON object.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};
use fdw_deparse::PostgresDialect;
use fdw_planner::render::{explain, ExplainOptions};
use serde_json::{json, Value};

use crate::inputs::{load_catalog, DEFAULT_PG_VERSION};

/// Output format of `fdw explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Like `EXPLAIN (VERBOSE, COSTS OFF)`.
    Text,
    /// One JSON object.
    Json,
}

/// Arguments of `fdw explain`.
#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// DDL file to load (repeatable); the bundled example schema is used
    /// when neither --schema nor --catalog is given.
    #[arg(long = "schema", value_name = "FILE")]
    schemas: Vec<PathBuf>,
    /// Catalog snapshot (JSON) to start from.
    #[arg(long, value_name = "FILE")]
    catalog: Option<PathBuf>,
    /// Planner or session setting, NAME=VALUE (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    settings: Vec<String>,
    /// PostgreSQL major version whose postgres_fdw is reproduced (15).
    #[arg(long = "pg-version", value_name = "MAJOR")]
    pg_version: Option<u32>,
    /// Print cost estimates (arrives with the cost model, issue #6).
    #[arg(long)]
    costs: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Print why each local condition was not sent to the remote server.
    #[arg(long)]
    why: bool,
    /// Read the query from this file.
    #[arg(
        short = 'f',
        long = "file",
        value_name = "FILE",
        conflicts_with = "query"
    )]
    file: Option<PathBuf>,
    /// The query.
    #[arg(value_name = "QUERY")]
    query: Option<String>,
}

/// Runs `fdw explain`.
pub(crate) fn run(args: &ExplainArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let major = args.pg_version.unwrap_or(DEFAULT_PG_VERSION);
    if major != DEFAULT_PG_VERSION {
        bail!("--pg-version {major} is not supported yet: only PostgreSQL 15's postgres_fdw is reproduced");
    }
    if args.costs {
        bail!("--costs is not available yet: the cost model arrives with issue #6");
    }
    let query = match (&args.file, &args.query) {
        (Some(path), _) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?,
        (None, Some(query)) => query.clone(),
        (None, None) => bail!("no query given (pass it as an argument or with -f FILE)"),
    };
    let mut loaded = load_catalog(&args.schemas, args.catalog.as_deref(), Some(major))?;
    for setting in &args.settings {
        let Some((name, value)) = setting.split_once('=') else {
            bail!("--set {setting}: expected NAME=VALUE");
        };
        loaded
            .catalog
            .set_setting(name.trim(), value.trim())
            .with_context(|| format!("--set {setting}"))?;
    }
    let catalog = &loaded.catalog;
    let dialect = PostgresDialect::new(major)?;
    let prepared = fdw_sql::prepare_query(catalog, &query, &[])?;
    let planned = fdw_planner::plan_query::plan_query(catalog, &dialect, &prepared)?;
    let explained = explain(
        catalog,
        &dialect,
        &planned,
        ExplainOptions { why: args.why },
    )?;
    match args.format {
        Format::Text => out.write_all(explained.text.as_bytes())?,
        Format::Json => {
            let nodes: Vec<Value> = explained
                .foreign_nodes
                .iter()
                .map(|node| {
                    json!({
                        "node": node.node,
                        "relation": node.relation,
                        "relations": node.relations,
                        "remote_sql": node.remote_sql,
                        "local_filter": node.local_filter,
                        "startup_cost": null,
                        "total_cost": null,
                        "rows": null,
                        "width": null,
                        "not_pushed": node.not_pushed.iter().map(|(clause, reason)| json!({
                            "clause": clause,
                            "reason": reason,
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let value = json!({
                "plan": explained.text,
                "remote_sql": explained.foreign_nodes.iter().map(|n| n.remote_sql.clone()).collect::<Vec<_>>(),
                "relations": explained.foreign_nodes.iter().filter_map(|n| n.relations.clone()).collect::<Vec<_>>(),
                "foreign_nodes": nodes,
            });
            serde_json::to_writer_pretty(&mut *out, &value)?;
            writeln!(out)?;
        }
    }
    Ok(())
}
