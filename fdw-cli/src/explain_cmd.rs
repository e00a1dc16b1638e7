//! `fdw explain`: the plan postgres_fdw 15 would make for a query, as
//! `EXPLAIN (VERBOSE, COSTS OFF)` prints it, or as one JSON object.

use std::io::Write;
use std::path::PathBuf;

use anyhow::bail;
use clap::{Args, ValueEnum};
use fdw_deparse::PostgresDialect;
use fdw_planner::render::{explain, ExplainOptions, Explained, ForeignNodeReport};
use serde::Serialize;

use crate::inputs::{apply_settings, load_catalog, read_query, DEFAULT_PG_VERSION};
use crate::secrets::{with_env_secrets, EnvSecrets};

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
    /// Read the catalog from this live database (libpq connection string,
    /// completed from the PG* environment variables, service and password
    /// files as libpq does) instead of DDL or a snapshot; only reads.
    #[arg(long, value_name = "CONNINFO", conflicts_with_all = ["schemas", "catalog"])]
    dsn: Option<String>,
    /// Planner or session setting, NAME=VALUE (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    settings: Vec<String>,
    /// PostgreSQL major version whose postgres_fdw is reproduced (15).
    #[arg(long = "pg-version", value_name = "MAJOR")]
    pg_version: Option<u32>,
    /// Print the cost estimates, `(cost=S..T rows=R width=W)`, on every
    /// node, as PostgreSQL 15 computes them; a plan part whose estimate is
    /// not reproduced is an error naming it rather than a guessed figure.
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

/// Runs `fdw explain`. With `--dsn --costs`, remote estimates connect
/// with the mapping passwords `fdw run` uses (the environment, see
/// [`crate::secrets`]), and every error has them replaced by `********`.
pub(crate) fn run(args: &ExplainArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    with_env_secrets(|secrets| run_inner(args, out, secrets))
}

fn run_inner(args: &ExplainArgs, out: &mut dyn Write, secrets: &EnvSecrets) -> anyhow::Result<()> {
    let major = args.pg_version.unwrap_or(DEFAULT_PG_VERSION);
    if major != DEFAULT_PG_VERSION {
        bail!("--pg-version {major} is not supported yet: only PostgreSQL 15's postgres_fdw is reproduced");
    }
    let query = read_query(args.file.as_deref(), args.query.as_deref())?;
    let mut catalog = match &args.dsn {
        Some(dsn) => crate::snapshot_cmd::live_catalog(dsn)?,
        None => load_catalog(&args.schemas, args.catalog.as_deref(), Some(major))?.catalog,
    };
    apply_settings(&mut catalog, &args.settings)?;
    let catalog = &catalog;
    let dialect = PostgresDialect::new(major)?;
    let prepared = fdw_sql::prepare_query(catalog, &query, &[])?;
    // With a live database, tables with use_remote_estimate get their
    // estimates from their servers' EXPLAIN, through the executor (read
    // only: EXPLAIN without ANALYZE runs nothing). The live catalog says
    // only that a mapping has a password; its value comes from the same
    // source as `fdw run`'s.
    let estimator = match (&args.dsn, args.costs) {
        (Some(_), true) => Some(fdw_exec::BlockingEstimator::new(
            catalog,
            fdw_exec::Executor::new(
                fdw_exec::LocalSession::from_catalog(catalog),
                std::sync::Arc::new(*secrets),
            ),
        )?),
        _ => None,
    };
    let planned = fdw_planner::plan_query::plan_query_with_estimator(
        catalog,
        &dialect,
        &prepared,
        estimator
            .as_ref()
            .map(|e| e as &dyn fdw_cost::remote::RemoteEstimator),
    )?;
    if args.costs {
        // A foreign scan without an estimate would print as if it had
        // none to give: say what the cost model cannot reproduce instead.
        if let Some(reason) = planned.cost_errors.first() {
            bail!("--costs: {reason}");
        }
    }
    let explained = explain(
        catalog,
        &dialect,
        &planned,
        ExplainOptions {
            why: args.why,
            costs: args.costs,
        },
    )?;
    match args.format {
        Format::Text => out.write_all(explained.text.as_bytes())?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &JsonExplain::new(&explained, args.costs))?;
            writeln!(out)?;
        }
    }
    Ok(())
}

// The JSON document is built from structs rather than a `serde_json::Value`
// map: serde_json's map sorts its keys (unless the crate-wide
// `preserve_order` feature is on, which would change every other JSON
// output of the workspace, the catalog snapshots included), while derived
// `Serialize` writes fields in declaration order. The declaration order
// below is the contract of `fdw explain --format json` (issue #5).

/// The whole `--format json` document.
#[derive(Debug, Serialize)]
struct JsonExplain<'a> {
    /// The text `--format text` prints.
    plan: &'a str,
    /// The remote SQL of each foreign scan, in plan order.
    remote_sql: Vec<&'a str>,
    /// The `Relations:` line of each join or upper foreign scan.
    relations: Vec<&'a str>,
    /// One entry per foreign scan, in plan order.
    foreign_nodes: Vec<JsonForeignNode<'a>>,
}

/// One foreign scan.
#[derive(Debug, Serialize)]
struct JsonForeignNode<'a> {
    node: &'a str,
    relation: &'a str,
    relations: Option<&'a str>,
    remote_sql: &'a str,
    local_filter: Option<&'a str>,
    /// Costs and sizes are `null` unless `--costs` is given; then they are
    /// the figures the plan text prints, rounded as it rounds them.
    startup_cost: Option<f64>,
    total_cost: Option<f64>,
    rows: Option<f64>,
    width: Option<u64>,
    not_pushed: Vec<JsonNotPushed<'a>>,
}

/// A condition kept local, with the reason.
#[derive(Debug, Serialize)]
struct JsonNotPushed<'a> {
    clause: &'a str,
    reason: &'a str,
}

impl<'a> JsonExplain<'a> {
    fn new(explained: &'a Explained, costs: bool) -> JsonExplain<'a> {
        JsonExplain {
            plan: &explained.text,
            remote_sql: explained
                .foreign_nodes
                .iter()
                .map(|node| node.remote_sql.as_str())
                .collect(),
            relations: explained
                .foreign_nodes
                .iter()
                .filter_map(|node| node.relations.as_deref())
                .collect(),
            foreign_nodes: explained
                .foreign_nodes
                .iter()
                .map(|node| JsonForeignNode::new(node, costs))
                .collect(),
        }
    }
}

impl<'a> JsonForeignNode<'a> {
    fn new(node: &'a ForeignNodeReport, costs: bool) -> JsonForeignNode<'a> {
        let cost = node.cost.filter(|_| costs);
        // Two decimals for costs and whole rows, as EXPLAIN prints them.
        let cents = |v: f64| (v * 100.0).round() / 100.0;
        JsonForeignNode {
            node: &node.node,
            relation: &node.relation,
            relations: node.relations.as_deref(),
            remote_sql: &node.remote_sql,
            local_filter: node.local_filter.as_deref(),
            startup_cost: cost.map(|c| cents(c.startup)),
            total_cost: cost.map(|c| cents(c.total)),
            rows: cost.map(|c| c.rows.round()),
            width: cost.map(|c| u64::from(c.width)),
            not_pushed: node
                .not_pushed
                .iter()
                .map(|(clause, reason)| JsonNotPushed { clause, reason })
                .collect(),
        }
    }
}
