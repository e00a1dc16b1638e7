//! Building the catalog a command works on: a snapshot, DDL files on top of
//! it, or the bundled example schema when neither is given.

use std::path::{Path, PathBuf};

use anyhow::Context;
use fdw_catalog::catalog::Catalog;
use fdw_catalog::ddl::LoadReport;

/// The example schema used when no `--schema` or `--catalog` is given.
pub(crate) const BUNDLED_EXAMPLE: &str = include_str!("../../examples/shop.sql");
/// The name the bundled example is reported under.
pub(crate) const BUNDLED_EXAMPLE_NAME: &str = "examples/shop.sql (bundled)";

/// The PostgreSQL major whose postgres_fdw is reproduced by default.
pub(crate) const DEFAULT_PG_VERSION: u32 = 15;

/// Where the catalog came from, with what loading each DDL file reported.
#[derive(Debug)]
pub(crate) struct LoadedCatalog {
    pub(crate) catalog: Catalog,
    /// The snapshot file, if one was read.
    pub(crate) snapshot: Option<PathBuf>,
    /// Each DDL source in load order with its report.
    pub(crate) ddl: Vec<(String, LoadReport)>,
}

/// Reads the snapshot (if any), then applies each DDL file in order; with
/// neither, loads the bundled example schema.
pub(crate) fn load_catalog(
    schemas: &[PathBuf],
    snapshot: Option<&Path>,
    pg_version: Option<u32>,
) -> anyhow::Result<LoadedCatalog> {
    let mut catalog = match snapshot {
        Some(path) => {
            let text = read_file(path)?;
            let catalog = Catalog::from_snapshot_json(&text)
                .with_context(|| format!("{}", path.display()))?;
            if let Some(major) = pg_version {
                if major != catalog.major() {
                    anyhow::bail!(
                        "--pg-version {major} does not match the snapshot {}, which is for PostgreSQL {}",
                        path.display(),
                        catalog.major()
                    );
                }
            }
            catalog
        }
        None => Catalog::new(pg_version.unwrap_or(DEFAULT_PG_VERSION))?,
    };

    let mut ddl = Vec::new();
    if schemas.is_empty() && snapshot.is_none() {
        let report = fdw_catalog::ddl::load(&mut catalog, BUNDLED_EXAMPLE)
            .with_context(|| BUNDLED_EXAMPLE_NAME.to_string())?;
        ddl.push((BUNDLED_EXAMPLE_NAME.to_string(), report));
    }
    for path in schemas {
        let text = read_file(path)?;
        let report = fdw_catalog::ddl::load(&mut catalog, &text)
            .with_context(|| format!("{}", path.display()))?;
        ddl.push((path.display().to_string(), report));
    }
    Ok(LoadedCatalog {
        catalog,
        snapshot: snapshot.map(Path::to_path_buf),
        ddl,
    })
}

fn read_file(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// The query of `fdw explain` / `fdw run`: the `-f FILE` text, else the
/// argument.
pub(crate) fn read_query(file: Option<&Path>, query: Option<&str>) -> anyhow::Result<String> {
    match (file, query) {
        (Some(path), _) => {
            std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
        }
        (None, Some(query)) => Ok(query.to_owned()),
        (None, None) => anyhow::bail!("no query given (pass it as an argument or with -f FILE)"),
    }
}

/// Applies each `--set NAME=VALUE` to `catalog`'s settings.
pub(crate) fn apply_settings(catalog: &mut Catalog, settings: &[String]) -> anyhow::Result<()> {
    for setting in settings {
        let Some((name, value)) = setting.split_once('=') else {
            anyhow::bail!("--set {setting}: expected NAME=VALUE");
        };
        catalog
            .set_setting(name.trim(), value.trim())
            .with_context(|| format!("--set {setting}"))?;
    }
    Ok(())
}
