//! Developer tasks for fdw (`cargo run -p xtask -- <task>`).
//!
//! Tasks:
//! - `gen-catalog --pg-bin DIR [--out FILE] [--fixtures DIR]`: regenerate a
//!   built-in catalog data file (`fdw-catalog/data/pgNN.cat`) and its
//!   verification fixture from a throwaway cluster of the given binaries.
#![allow(
    clippy::print_stderr,
    reason = "xtask reports progress and failures on stderr"
)]

mod gen_catalog;

use std::path::PathBuf;

use anyhow::{bail, Context};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let task = args.next().unwrap_or_default();
    match task.as_str() {
        "gen-catalog" => {
            let mut opts = gen_catalog::Options::default();
            while let Some(arg) = args.next() {
                let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
                match arg.as_str() {
                    "--pg-bin" => opts.pg_bin = PathBuf::from(value()?),
                    "--out" => opts.out = Some(PathBuf::from(value()?)),
                    "--fixtures" => opts.fixtures = Some(PathBuf::from(value()?)),
                    _ => bail!("unknown argument {arg:?} for gen-catalog"),
                }
            }
            gen_catalog::run(&opts)
        }
        _ => bail!("unknown task {task:?}; tasks: gen-catalog"),
    }
}
