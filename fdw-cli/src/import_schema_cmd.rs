//! `fdw import-schema`: the DDL that postgres_fdw's `IMPORT FOREIGN SCHEMA`
//! would create, read from the remote database, as a file the DDL loader
//! accepts.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Args;
use fdw_exec::import_schema::{ImportRequest, Restriction};

/// Arguments of `fdw import-schema`.
#[derive(Debug, Args)]
pub(crate) struct ImportSchemaArgs {
    /// The REMOTE database (libpq connection string, completed from the
    /// PG* environment variables, service and password files as libpq
    /// does); only reads.
    #[arg(long, value_name = "CONNINFO")]
    dsn: String,
    /// The local foreign server the tables will belong to.
    #[arg(long, value_name = "NAME")]
    server: String,
    /// The remote schema to import.
    #[arg(long = "remote-schema", value_name = "SCHEMA")]
    remote_schema: String,
    /// The local schema to create the tables in.
    #[arg(long = "local-schema", value_name = "SCHEMA", default_value = "public")]
    local_schema: String,
    /// Import only these tables (comma-separated, case-sensitive).
    #[arg(long = "limit-to", value_name = "T1,T2", conflicts_with = "except")]
    limit_to: Option<String>,
    /// Import every table but these (comma-separated, case-sensitive).
    #[arg(long = "except", value_name = "T1,T2")]
    except: Option<String>,
    /// postgres_fdw's import_collate option (default true).
    #[arg(long = "import-collate", value_name = "BOOL")]
    import_collate: Option<String>,
    /// postgres_fdw's import_default option (default false).
    #[arg(long = "import-default", value_name = "BOOL")]
    import_default: Option<String>,
    /// postgres_fdw's import_generated option (default true).
    #[arg(long = "import-generated", value_name = "BOOL")]
    import_generated: Option<String>,
    /// postgres_fdw's import_not_null option (default true).
    #[arg(long = "import-not-null", value_name = "BOOL")]
    import_not_null: Option<String>,
    /// Write the DDL here instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Runs `fdw import-schema`.
pub(crate) fn run(args: &ImportSchemaArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut request = ImportRequest::new(&args.server, &args.remote_schema, &args.local_schema);
    let list = |text: &str| text.split(',').map(str::to_string).collect::<Vec<_>>();
    request.restriction = match (&args.limit_to, &args.except) {
        (Some(names), _) => Some(Restriction::LimitTo(list(names))),
        (None, Some(names)) => Some(Restriction::Except(list(names))),
        (None, None) => None,
    };
    let flag = |name: &str, value: &Option<String>, default: bool| -> anyhow::Result<bool> {
        value.as_deref().map_or(Ok(default), |v| {
            parse_bool(v).with_context(|| format!("--{name}"))
        })
    };
    request.import_collate = flag("import-collate", &args.import_collate, true)?;
    request.import_default = flag("import-default", &args.import_default, false)?;
    request.import_generated = flag("import-generated", &args.import_generated, true)?;
    request.import_not_null = flag("import-not-null", &args.import_not_null, true)?;
    let ddl = fdw_exec::import_schema::import_foreign_schema_blocking(&args.dsn, &request)?;
    match &args.output {
        Some(path) => {
            std::fs::write(path, ddl).with_context(|| format!("cannot write {}", path.display()))?
        }
        None => out.write_all(ddl.as_bytes())?,
    }
    Ok(())
}

/// A boolean option value as PostgreSQL's defGetBoolean reads it.
fn parse_bool(value: &str) -> anyhow::Result<bool> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "on" | "1" | "t" | "yes" | "y" => Ok(true),
        "false" | "off" | "0" | "f" | "no" | "n" => Ok(false),
        _ => bail!("requires a Boolean value, not {value:?}"),
    }
}
