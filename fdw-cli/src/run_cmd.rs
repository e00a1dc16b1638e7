//! `fdw run`: plan a query and return its rows.
//!
//! When the whole query became remote work (the plan is one foreign scan
//! with no local filter, no parameters and nothing above it but a choice
//! of its own fetched columns), the scan's remote SQL runs on its server
//! through the executor (cursor, `FETCH`, the server's session setup) and
//! the fetched rows are printed. Otherwise the plan is compiled to its host
//! form (`fdw_exec::host_sql`: one statement where each foreign scan is a
//! `dblink(...)` call and the local work is SQL around it) and that runs on
//! the `--dsn` database, which must have the `dblink` extension.
//!
//! # Secrets
//!
//! User-mapping passwords come from the environment (`FDW_PASSWORD_<SERVER>`,
//! see [`crate::secrets`]) and are never printed: not in an error, and not
//! by `--print-host-sql`, whose `dblink` connection strings show each
//! secret option's value as [`REDACTED`] (the host form that runs carries
//! the real values).

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{anyhow, bail, Context};
use clap::{Args, ValueEnum};
use fdw_catalog::catalog::Catalog;
use fdw_catalog::options::{is_connection_option, is_secret_option};
use fdw_core::plan::{ForeignScan, ForeignScanKind, PlanKind, PlanNode};
use fdw_core::query::{Query, RteKind};
use fdw_core::{Expr, Oid, Plan};
use fdw_deparse::PostgresDialect;
use fdw_exec::host_sql::{host_sql, HostSqlError};
use fdw_exec::{ConnParams, Executor, LocalSession, ScanRequest, SecretSource};
use serde::Serialize;

use crate::inputs::{apply_settings, load_catalog, read_query, DEFAULT_PG_VERSION};
use crate::secrets::{env_name, with_env_secrets, EnvSecrets};

/// Output format of `fdw run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Aligned like psql's default output, with a `(N rows)` footer.
    Table,
    /// RFC 4180 CSV with a header line; NULL is an empty unquoted field.
    Csv,
    /// `{"columns": [...], "rows": [[...], ...]}`; values are PostgreSQL's
    /// text output as JSON strings (exact for every type), NULL is `null`.
    Json,
}

/// Arguments of `fdw run`.
#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    /// Read the catalog from this live database (libpq connection string,
    /// completed from the PG* environment variables, service and password
    /// files as libpq does) and run the host form of plans with local work there (it needs the
    /// `dblink` extension).
    #[arg(long, value_name = "CONNINFO", conflicts_with_all = ["schemas", "catalog"])]
    dsn: Option<String>,
    /// DDL file to load (repeatable); the bundled example schema is used
    /// when neither --schema, --catalog nor --dsn is given.
    #[arg(long = "schema", value_name = "FILE")]
    schemas: Vec<PathBuf>,
    /// Catalog snapshot (JSON) to start from.
    #[arg(long, value_name = "FILE")]
    catalog: Option<PathBuf>,
    /// Planner or session setting, NAME=VALUE (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    settings: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Print the host form of the plan (one SQL statement for a
    /// PostgreSQL with dblink) instead of running anything. Passwords in
    /// its connection strings are shown as ******** (a run sends the real
    /// ones).
    #[arg(long)]
    print_host_sql: bool,
    /// Read the query from this file.
    #[arg(
        short = 'f',
        long = "file",
        value_name = "FILE",
        conflicts_with = "query"
    )]
    file: Option<PathBuf>,
    /// The query (one SELECT).
    #[arg(value_name = "QUERY")]
    query: Option<String>,
}

/// Runs `fdw run`. Every error message has the secrets it could contain
/// (mapping passwords from the environment) replaced by `********`.
pub(crate) fn run(args: &RunArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    with_env_secrets(|secrets| run_inner(args, out, secrets))
}

fn run_inner(args: &RunArgs, out: &mut dyn Write, secrets: &EnvSecrets) -> anyhow::Result<()> {
    let query = read_query(args.file.as_deref(), args.query.as_deref())?;
    let mut catalog = match &args.dsn {
        Some(dsn) => crate::snapshot_cmd::live_catalog(dsn)?,
        None => load_catalog(&args.schemas, args.catalog.as_deref(), None)?.catalog,
    };
    apply_settings(&mut catalog, &args.settings)?;
    let catalog = &catalog;
    let dialect = PostgresDialect::new(DEFAULT_PG_VERSION)?;
    let prepared = fdw_sql::prepare_query(catalog, &query, &[])?;
    let planned = fdw_planner::plan_query::plan_query(catalog, &dialect, &prepared)?;
    let plan = &planned.plan;
    let query = &prepared.query;
    if !query.distinct_clause.is_empty() && !removes_duplicates(&plan.root) {
        // The planner does not plan DISTINCT yet (no Unique or Aggregate
        // node): running its plan would return the duplicates.
        bail!("DISTINCT is not planned yet: its plan would return duplicate rows");
    }
    let columns = visible_columns(plan, query);
    let local = LocalSession::from_catalog(catalog);

    if args.print_host_sql {
        let sql = host_form(catalog, plan, query, &local, secrets, Secrets::Redacted)?;
        writeln!(out, "{sql};")?;
        return Ok(());
    }
    let rows = match remote_only(catalog, plan, query, &columns)? {
        Some((request, picks)) => {
            // The same checks as for the host form first, for their
            // messages (which name the environment variable to set).
            dblink_params(catalog, request.server, &local, secrets)?;
            let mut executor = Executor::new(local, Arc::new(*secrets));
            let fetched = fdw_exec::live_catalog::block_on(async {
                Ok(executor.run_query(catalog, &request).await)
            })??;
            fetched
                .into_iter()
                .map(|row| {
                    picks
                        .iter()
                        .map(|&i| row.get(i).cloned().flatten())
                        .collect()
                })
                .collect()
        }
        None => {
            let Some(dsn) = &args.dsn else {
                bail!(
                    "this plan keeps work local (not everything was pushed to the remote \
                     server); running it needs --dsn, a database with the dblink extension \
                     (or see it with --print-host-sql)"
                );
            };
            let sql = host_form(catalog, plan, query, &local, secrets, Secrets::Included)?;
            run_on_host(dsn, &sql)?
        }
    };
    let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    match args.format {
        Format::Table => write_table(out, &columns, &rows)?,
        Format::Csv => write_csv(out, &names, &rows)?,
        Format::Json => {
            serde_json::to_writer(
                &mut *out,
                &JsonRows {
                    columns: &names,
                    rows: &rows,
                },
            )?;
            writeln!(out)?;
        }
    }
    Ok(())
}

type Row = Vec<Option<String>>;

/// One visible column of the result.
#[derive(Debug)]
struct Column {
    /// Its position in the top node's output.
    output: usize,
    name: String,
    type_oid: Oid,
}

/// The query's non-junk target entries with their names and types.
fn visible_columns(plan: &Plan, query: &Query) -> Vec<Column> {
    query
        .target_list
        .iter()
        .enumerate()
        .filter(|(_, te)| !te.resjunk)
        .map(|(i, te)| Column {
            output: i,
            name: te.resname.clone().unwrap_or_else(|| "?column?".to_owned()),
            type_oid: plan
                .root
                .output
                .get(i)
                .map_or_else(|| te.expr.type_oid(), Expr::type_oid),
        })
        .collect()
}

/// When the plan is all remote work, the scan to run and, per visible
/// column, the index of the fetched column it is. `None` when local work
/// remains: a local filter, parameters, init-plans, an expression computed
/// locally, or any node other than the one foreign scan.
fn remote_only(
    catalog: &Catalog,
    plan: &Plan,
    query: &Query,
    columns: &[Column],
) -> anyhow::Result<Option<(ScanRequest, Vec<usize>)>> {
    if !plan.subplans.is_empty() {
        return Ok(None);
    }
    let Some(scan) = lone_foreign_scan(&plan.root) else {
        return Ok(None);
    };
    if !scan.remote.local_quals.is_empty() || !scan.remote.params.is_empty() {
        return Ok(None);
    }
    if scan.user.is_some() {
        // The planner never sets it today; a scan checked as another role
        // would need that role's user mapping, which is not looked up here.
        return Ok(None);
    }
    let mut picks = Vec::with_capacity(columns.len());
    for column in columns {
        let Some(expr) = plan.root.output.get(column.output) else {
            return Ok(None);
        };
        match fetched_index(scan, expr) {
            Some(index) => picks.push(index),
            None => return Ok(None),
        }
    }
    let table = match scan
        .scan_relid
        .and_then(|rti| query.rte(rti))
        .map(|rte| &rte.kind)
    {
        Some(RteKind::Relation { relid, .. }) => Some(*relid),
        _ => None,
    };
    let request = ScanRequest::from_foreign_scan(catalog, scan, table, Vec::new())?;
    Ok(Some((request, picks)))
}

/// The foreign scan when it is the whole plan (possibly under a `Result`
/// that only projects, which has no quals of its own).
fn lone_foreign_scan(node: &PlanNode) -> Option<&ForeignScan> {
    if !node.init_plans.is_empty() {
        return None;
    }
    match &node.kind {
        PlanKind::ForeignScan(scan) => Some(scan),
        PlanKind::Result(result)
            if result.one_time_filter.is_empty() && result.filter.is_empty() =>
        {
            // A projecting Result's output is over its input's output;
            // mapping it would need a second step, so only a Result whose
            // output is exactly its input's passes.
            let input = result.input.as_deref()?;
            (input.output == node.output)
                .then(|| lone_foreign_scan(input))
                .flatten()
        }
        _ => None,
    }
}

/// Whether the top of the plan (down its single-input nodes) has a node
/// that removes duplicates.
fn removes_duplicates(node: &PlanNode) -> bool {
    match &node.kind {
        PlanKind::Unique(_) | PlanKind::Aggregate(_) => true,
        PlanKind::Sort(sort) => removes_duplicates(&sort.input),
        PlanKind::Limit(limit) => removes_duplicates(&limit.input),
        PlanKind::Result(result) => result.input.as_deref().is_some_and(removes_duplicates),
        PlanKind::ForeignScan(_)
        | PlanKind::ForeignModify(_)
        | PlanKind::Join(_)
        | PlanKind::Hash(_)
        | PlanKind::Append(_)
        | PlanKind::MergeAppend(_)
        | PlanKind::SubqueryScan(_)
        | PlanKind::SeqScan(_)
        | PlanKind::ValuesScan(_)
        | PlanKind::ModifyTable(_)
        | PlanKind::LockRows(_)
        | PlanKind::Materialize(_)
        | PlanKind::WindowAgg(_) => false,
    }
}

/// Which fetched column `expr` is, if it is one as fetched (not computed).
fn fetched_index(scan: &ForeignScan, expr: &Expr) -> Option<usize> {
    let attr = match scan.kind {
        ForeignScanKind::Base => match expr {
            Expr::Var(var)
                if Some(var.varno) == scan.scan_relid
                    && var.varlevelsup == 0
                    && var.varattno.0 > 0 =>
            {
                var.varattno
            }
            _ => return None,
        },
        // Join and upper scans fetch their scan target list; an output
        // expression is a fetched column when it equals one of its entries.
        ForeignScanKind::Join | ForeignScanKind::Upper => {
            let position = scan.scan_tlist.iter().position(|te| te.expr == *expr)?;
            fdw_core::AttrNumber(i16::try_from(position + 1).ok()?)
        }
    };
    scan.remote.retrieved_attrs.iter().position(|a| *a == attr)
}

/// What `--print-host-sql` shows in place of a secret option's value.
const REDACTED: &str = "********";

/// Whether the host form's connection strings carry the secret options'
/// values (to run it) or [`REDACTED`] (to print it).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Secrets {
    Included,
    Redacted,
}

/// The host form of the plan with every server's connection string.
fn host_form(
    catalog: &Catalog,
    plan: &Plan,
    query: &Query,
    local: &LocalSession,
    secrets: &EnvSecrets,
    shown: Secrets,
) -> anyhow::Result<String> {
    let mut conninfos = std::collections::BTreeMap::new();
    for server in catalog.servers() {
        let mut params = dblink_params(catalog, server.oid, local, secrets);
        if shown == Secrets::Redacted {
            if let Ok(params) = &mut params {
                for (keyword, value) in params.iter_mut() {
                    if is_secret_option(keyword) {
                        REDACTED.clone_into(value);
                    }
                }
            }
        }
        conninfos.insert(server.oid, params);
    }
    let lookup = |oid: Oid| conninfos.get(&oid).and_then(|r| r.as_ref().ok()).cloned();
    match host_sql(catalog, plan, query, &lookup) {
        Ok(sql) => Ok(sql),
        Err(HostSqlError::NoConnInfo(oid)) => match conninfos.get(&oid) {
            Some(Err(err)) => Err(anyhow!("{err:#}")),
            _ => Err(anyhow!("foreign server {oid} is not in the catalog")),
        },
        Err(err) => Err(anyhow!("cannot run this plan: {err}")),
    }
}

/// The libpq parameters dblink connects to `server` with, as the executor
/// would connect: the server's and the current user's mapping's
/// connection options (the `password_required` rule applied), the
/// `application_name` postgres_fdw would set, the local user when the
/// mapping names none, and the secrets from the environment.
fn dblink_params(
    catalog: &Catalog,
    server: Oid,
    local: &LocalSession,
    secrets: &EnvSecrets,
) -> anyhow::Result<Vec<(String, String)>> {
    let srv = catalog
        .server(server)
        .ok_or_else(|| anyhow!("foreign server {server} does not exist"))?;
    let mapping = catalog
        .user_mapping_for(server, &local.user)
        .with_context(|| format!("server \"{}\"", srv.name))?;
    let mut secret_values = Vec::new();
    // ConnParams keeps its secret values to itself; the same source gives
    // them again (the catalog records secrets only as set).
    for entry in srv
        .options
        .entries()
        .iter()
        .chain(mapping.options.entries())
    {
        if is_secret_option(&entry.name) && is_connection_option(catalog.major(), &entry.name) {
            let value = entry
                .value
                .clone()
                .or_else(|| secrets.secret(&srv.name, &mapping.user, &entry.name))
                .ok_or_else(|| {
                    anyhow!(
                        "server \"{}\": the user mapping has option \"{}\" set; give its value \
                         in the environment variable {}",
                        srv.name,
                        entry.name,
                        env_name(&entry.name, &srv.name)
                    )
                })?;
            secret_values.push((entry.name.clone(), value));
        }
    }
    let params = ConnParams::build(catalog, srv, mapping, local, secrets)?;
    let mut out: Vec<(String, String)> = params
        .keywords
        .iter()
        .filter(|(k, _)| k != "application_name")
        .cloned()
        .collect();
    if !out.iter().any(|(k, _)| k == "user") {
        out.push(("user".to_owned(), params.default_user.clone()));
    }
    out.push((
        "application_name".to_owned(),
        params.application_name.clone(),
    ));
    out.extend(secret_values);
    Ok(out)
}

/// Runs the host form on `dsn` and returns its rows as text.
fn run_on_host(dsn: &str, sql: &str) -> anyhow::Result<Vec<Row>> {
    let result = fdw_exec::live_catalog::block_on(async {
        let conn = fdw_exec::live_catalog::connect(dsn).await?;
        let outcome = conn.client.simple_query(sql).await;
        Ok(match outcome {
            Ok(messages) => Ok(messages
                .into_iter()
                .filter_map(|m| match m {
                    tokio_postgres::SimpleQueryMessage::Row(row) => Some(
                        (0..row.len())
                            .map(|i| row.get(i).map(str::to_owned))
                            .collect::<Row>(),
                    ),
                    _ => None,
                })
                .collect::<Vec<Row>>()),
            Err(err) => {
                let message = match err.as_db_error() {
                    Some(db) => format!("{}: {}", db.severity(), db.message()),
                    None => err.to_string(),
                };
                Err(conn.scrub(&message))
            }
        })
    })?;
    result.map_err(|message| {
        let hint = if message.contains("dblink") && message.contains("does not exist") {
            " (the --dsn database needs the dblink extension: CREATE EXTENSION dblink)"
        } else {
            ""
        };
        anyhow!("running the host form on --dsn: {message}{hint}")
    })
}

/// Types psql right-aligns (numbers).
fn is_numeric_type(oid: Oid) -> bool {
    // int8, int2, int4, oid, float4, float8, money, numeric
    matches!(oid.0, 20 | 21 | 23 | 26 | 700 | 701 | 790 | 1700)
}

/// psql's aligned format: centred headers, ` | ` between columns, numbers
/// right-aligned, NULL empty, a `(N rows)` footer.
fn write_table(out: &mut dyn Write, columns: &[Column], rows: &[Row]) -> std::io::Result<()> {
    let width = |s: &str| s.chars().count();
    let mut widths: Vec<usize> = columns.iter().map(|c| width(&c.name)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell.as_deref().unwrap_or("")));
        }
    }
    let header: Vec<String> = columns
        .iter()
        .zip(&widths)
        .map(|(c, &w)| {
            let pad = w - width(&c.name);
            let left = pad / 2;
            format!("{}{}{}", " ".repeat(left), c.name, " ".repeat(pad - left))
        })
        .collect();
    writeln!(out, " {}", header.join(" | ").trim_end())?;
    let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w + 2)).collect();
    writeln!(out, "{}", rule.join("+"))?;
    for row in rows {
        let cells: Vec<String> = columns
            .iter()
            .zip(&widths)
            .zip(row)
            .map(|((c, &w), cell)| {
                let text = cell.as_deref().unwrap_or("");
                if is_numeric_type(c.type_oid) {
                    format!("{text:>w$}")
                } else {
                    format!("{text:<w$}")
                }
            })
            .collect();
        writeln!(out, " {}", cells.join(" | ").trim_end())?;
    }
    match rows.len() {
        1 => writeln!(out, "(1 row)"),
        n => writeln!(out, "({n} rows)"),
    }
}

/// RFC 4180 CSV; fields with a comma, quote, CR or LF, or empty strings
/// (to tell them from NULL) are quoted.
fn write_csv(out: &mut dyn Write, names: &[String], rows: &[Row]) -> std::io::Result<()> {
    let field = |text: &str| {
        if text.is_empty() || text.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_owned()
        }
    };
    let header: Vec<String> = names.iter().map(|n| field(n)).collect();
    writeln!(out, "{}", header.join(","))?;
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|cell| cell.as_deref().map_or_else(String::new, field))
            .collect();
        writeln!(out, "{}", cells.join(","))?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonRows<'a> {
    columns: &'a [String],
    rows: &'a [Row],
}
