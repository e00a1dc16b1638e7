//! The `fdw` command: load a catalog from DDL files or a snapshot, and
//! (from the pushdown issues on) explain what postgres_fdw would send.
//!
//! Errors are one line on stderr (`fdw: error: ...`) and exit status 2;
//! never a panic or a backtrace.

mod catalog_cmd;
mod explain_cmd;
mod import_schema_cmd;
mod inputs;
mod run_cmd;
mod secrets;
mod snapshot_cmd;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// mimalloc instead of the system allocator: planning makes many small,
// short-lived allocations (expression trees, names, paths), and glibc's
// malloc/free were a fifth to a third of the instructions of planning a
// query (callgrind, `benches/examples/plan_profile`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Plan queries over foreign tables as postgres_fdw does and print what
/// would be sent to the remote server.
#[derive(Debug, Parser)]
#[command(name = "fdw", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Load DDL files and/or a catalog snapshot and describe the catalog:
    /// servers, user mappings, foreign tables, skipped statements, warnings.
    Catalog(catalog_cmd::CatalogArgs),
    /// Plan a query as postgres_fdw 15 would and print it like
    /// `EXPLAIN (VERBOSE, COSTS OFF)`, with the remote SQL of every scan.
    Explain(explain_cmd::ExplainArgs),
    /// Read a live database's catalog (servers, user mappings, tables,
    /// types, functions, statistics, settings) into a catalog snapshot.
    Snapshot(snapshot_cmd::SnapshotArgs),
    /// Print the DDL that postgres_fdw's IMPORT FOREIGN SCHEMA would
    /// create, read from the remote database.
    ImportSchema(import_schema_cmd::ImportSchemaArgs),
    /// Plan a query and return its rows: on the remote server when all of
    /// it was pushed down, else through its host form (dblink) on --dsn.
    Run(run_cmd::RunArgs),
}

/// Exit status for every error: bad input, unreadable files, invalid DDL.
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help and version to stdout with status 0, and
            // usage errors to stderr with status 2; keep that behaviour.
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(EXIT_ERROR)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = match cli.command {
        Command::Catalog(args) => catalog_cmd::run(&args, &mut out),
        Command::Explain(args) => explain_cmd::run(&args, &mut out),
        Command::Snapshot(args) => snapshot_cmd::run(&args, &mut out),
        Command::ImportSchema(args) => import_schema_cmd::run(&args, &mut out),
        Command::Run(args) => run_cmd::run(&args, &mut out),
    };
    match result.and_then(|()| out.flush().map_err(anyhow::Error::from)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let message = format!("{err:#}").replace('\n', " ");
            let _ = writeln!(std::io::stderr(), "fdw: error: {message}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}
