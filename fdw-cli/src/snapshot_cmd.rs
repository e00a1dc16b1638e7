//! `fdw snapshot`: read a live database's catalog and write it as a catalog
//! snapshot (JSON), and the live catalog that `fdw explain --dsn` plans
//! against.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use fdw_catalog::catalog::Catalog;

/// Arguments of `fdw snapshot`.
#[derive(Debug, Args)]
pub(crate) struct SnapshotArgs {
    /// The database to read (libpq connection string, completed from the
    /// PG* environment variables, service and password files as libpq
    /// does); only reads, never writes.
    #[arg(long, value_name = "CONNINFO")]
    dsn: String,
    /// Where to write the snapshot; `-` for standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: PathBuf,
    /// Also write the DDL the catalog was built from (user mapping
    /// passwords appear as `set`) to this file.
    #[arg(long = "ddl", value_name = "FILE")]
    ddl: Option<PathBuf>,
}

/// Runs `fdw snapshot`.
pub(crate) fn run(args: &SnapshotArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let live = read_live(&args.dsn)?;
    let json = live.catalog.to_snapshot_json()?;
    if args.output.as_os_str() == "-" {
        out.write_all(json.as_bytes())?;
    } else {
        std::fs::write(&args.output, json)
            .with_context(|| format!("cannot write {}", args.output.display()))?;
    }
    if let Some(path) = &args.ddl {
        std::fs::write(path, &live.ddl)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// The catalog of the live database `dsn`, its warnings printed to stderr.
pub(crate) fn live_catalog(dsn: &str) -> anyhow::Result<Catalog> {
    Ok(read_live(dsn)?.catalog)
}

fn read_live(dsn: &str) -> anyhow::Result<fdw_exec::live_catalog::LiveCatalog> {
    let live = fdw_exec::live_catalog::read_live_catalog_blocking(dsn)?;
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for warning in &live.warnings {
        writeln!(err, "fdw: warning: {warning}")?;
    }
    Ok(live)
}
