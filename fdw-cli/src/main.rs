//! The `fdw` command.

use clap::Parser;

/// Plan queries over foreign tables as postgres_fdw does and print what
/// would be sent to the remote server.
#[derive(Debug, Parser)]
#[command(name = "fdw", version)]
struct Cli {}

fn main() {
    let _cli = Cli::parse();
}
