//! `fdw catalog`: load DDL and snapshots, then describe the resulting
//! catalog or write it out as a snapshot.
//!
//! The text form is for people checking that their schema loaded as they
//! meant it: every server with its options, every user mapping (secrets
//! shown only as set), every foreign table with where it points, and what
//! the loader skipped or warned about.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use fdw_catalog::catalog::Catalog;
use fdw_catalog::objects::{Relation, RelationKind, UserTypeKind};
use fdw_catalog::options::OptionList;

use crate::inputs::{load_catalog, LoadedCatalog};

/// Arguments of `fdw catalog`.
#[derive(Debug, clap::Args)]
pub(crate) struct CatalogArgs {
    /// A DDL file to load (repeatable; applied in order, after --catalog).
    #[arg(long = "schema", value_name = "FILE")]
    schemas: Vec<PathBuf>,
    /// A catalog snapshot (JSON) to start from.
    #[arg(long = "catalog", value_name = "FILE")]
    catalog: Option<PathBuf>,
    /// The PostgreSQL major version whose built-in catalog to use.
    #[arg(long = "pg-version", value_name = "MAJOR")]
    pg_version: Option<u32>,
    /// `text` describes the catalog; `snapshot` prints it as a catalog snapshot.
    #[arg(long, value_enum, default_value_t = CatalogFormat::Text)]
    format: CatalogFormat,
    /// Also write the catalog snapshot to this file.
    #[arg(long = "write-snapshot", value_name = "FILE")]
    write_snapshot: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum CatalogFormat {
    Text,
    Snapshot,
}

/// Runs `fdw catalog`.
pub(crate) fn run(args: &CatalogArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let loaded = load_catalog(&args.schemas, args.catalog.as_deref(), args.pg_version)?;
    if let Some(path) = &args.write_snapshot {
        let json = loaded.catalog.to_snapshot_json()?;
        std::fs::write(path, json + "\n")
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    match args.format {
        CatalogFormat::Text => describe(&loaded, out)?,
        CatalogFormat::Snapshot => writeln!(out, "{}", loaded.catalog.to_snapshot_json()?)?,
    }
    Ok(())
}

fn describe(loaded: &LoadedCatalog, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = &loaded.catalog;
    writeln!(out, "PostgreSQL {} catalog", catalog.major())?;
    if let Some(path) = &loaded.snapshot {
        writeln!(out, "snapshot: {}", path.display())?;
    }
    for (source, report) in &loaded.ddl {
        let skipped: usize = report.skipped.values().sum();
        writeln!(
            out,
            "loaded {source}: {} statements applied, {skipped} skipped, {} warnings",
            report.applied,
            report.warnings.len()
        )?;
    }

    writeln!(out, "\nservers:")?;
    for server in catalog.servers() {
        let wrapper = catalog
            .wrappers()
            .find(|w| w.oid == server.wrapper)
            .map_or("?", |w| w.name.as_str());
        writeln!(
            out,
            "  {} (wrapper {wrapper}){}",
            server.name,
            format_options(&server.options)
        )?;
    }

    writeln!(out, "\nuser mappings:")?;
    for mapping in catalog.user_mappings() {
        let server = catalog
            .server(mapping.server)
            .map_or("?", |s| s.name.as_str());
        writeln!(
            out,
            "  for {} server {server}{}",
            mapping.user,
            format_options(&mapping.options)
        )?;
    }

    writeln!(out, "\nforeign tables:")?;
    for rel in catalog
        .relations()
        .filter(|r| r.kind == RelationKind::ForeignTable)
    {
        let Some(foreign) = &rel.foreign else {
            continue;
        };
        let server = catalog
            .server(foreign.server)
            .map_or("?", |s| s.name.as_str());
        let (schema, table) = catalog.remote_table_name(rel.oid)?;
        writeln!(
            out,
            "  {} -> server {server}, remote {}.{} ({} columns){}",
            qualified_name(catalog, rel),
            schema,
            table,
            live_columns(rel),
            partition_note(catalog, rel)
        )?;
    }

    writeln!(out, "\nlocal tables:")?;
    for rel in catalog.relations().filter(|r| {
        matches!(
            r.kind,
            RelationKind::Table | RelationKind::PartitionedTable | RelationKind::View
        )
    }) {
        writeln!(
            out,
            "  {} ({}, {} columns){}",
            qualified_name(catalog, rel),
            match rel.kind {
                RelationKind::PartitionedTable => "partitioned table",
                other => other.noun(),
            },
            live_columns(rel),
            partition_note(catalog, rel)
        )?;
    }

    let extensions: Vec<_> = catalog.extensions().map(|e| e.name.as_str()).collect();
    writeln!(out, "\nextensions: {}", list_or_none(&extensions))?;
    // Array types and the row types of tables are implied by their
    // element or relation; list only the types a user created by name.
    let types: Vec<_> = catalog
        .user_types()
        .filter_map(|t| {
            let kind = match &t.kind {
                UserTypeKind::Enum { .. } => "enum",
                UserTypeKind::Domain { .. } => "domain",
                UserTypeKind::Composite { relation } => match catalog.relation(*relation) {
                    Some(rel) if rel.kind == RelationKind::CompositeType => "composite",
                    _ => return None,
                },
                UserTypeKind::Array { .. } => return None,
            };
            let schema = catalog.namespace_name(t.schema).unwrap_or("?");
            Some(format!("{schema}.{} ({kind})", t.name))
        })
        .collect();
    writeln!(out, "user types: {}", list_or_none(&types))?;

    let mut skipped: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, report) in &loaded.ddl {
        for (kind, n) in &report.skipped {
            *skipped.entry(kind.as_str()).or_default() += n;
        }
    }
    if !skipped.is_empty() {
        writeln!(out, "\nskipped statements (not modelled):")?;
        for (kind, n) in &skipped {
            writeln!(out, "  {kind}: {n}")?;
        }
    }
    let warnings: Vec<_> = loaded
        .ddl
        .iter()
        .flat_map(|(source, r)| r.warnings.iter().map(move |w| (source, w)))
        .collect();
    if !warnings.is_empty() {
        writeln!(out, "\nwarnings:")?;
        for (source, warning) in warnings {
            writeln!(out, "  {source}: {}: {}", warning.position, warning.message)?;
        }
    }
    Ok(())
}

fn qualified_name(catalog: &Catalog, rel: &Relation) -> String {
    format!(
        "{}.{}",
        catalog.namespace_name(rel.schema).unwrap_or("?"),
        rel.name
    )
}

fn live_columns(rel: &Relation) -> usize {
    rel.columns.iter().filter(|c| !c.dropped).count()
}

fn partition_note(catalog: &Catalog, rel: &Relation) -> String {
    let parents: Vec<String> = rel
        .parents
        .iter()
        .filter_map(|oid| catalog.relation(*oid))
        .map(|p| qualified_name(catalog, p))
        .collect();
    match (&rel.partition_bound, parents.is_empty()) {
        (_, true) => String::new(),
        (Some(bound), false) => format!(", partition of {} {bound}", parents.join(", ")),
        (None, false) => format!(", inherits {}", parents.join(", ")),
    }
}

/// Options as `name=value`; a secret shows only that it is set.
fn format_options(options: &OptionList) -> String {
    let parts: Vec<String> = options
        .entries()
        .iter()
        .map(|entry| match &entry.value {
            Some(value) => format!("{}={value}", entry.name),
            None => format!("{}=(set)", entry.name),
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" options: {}", parts.join(" "))
    }
}

fn list_or_none<S: AsRef<str>>(items: &[S]) -> String {
    if items.is_empty() {
        "(none)".to_string()
    } else {
        items
            .iter()
            .map(AsRef::as_ref)
            .collect::<Vec<_>>()
            .join(", ")
    }
}
