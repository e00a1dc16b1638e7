//! The versioned JSON catalog-snapshot format.
//!
//! A snapshot holds everything the pure planner needs about one database:
//! which built-in catalog (the PostgreSQL major), every user object with
//! its oid, servers and user mappings with their options (secrets only as
//! "set", never a value), statistics and the settings that differ from
//! the defaults. Extensions are stored by name, schema and oid; their
//! objects are re-created from the bundled template on reading, which is
//! deterministic, so they need not be stored.
//!
//! The output is deterministic: fields in declaration order, objects in
//! oid order, maps sorted by key.
//!
//! Fields added to format 1 later are optional and left out when empty
//! (the element statistics of array columns: `most_common_elems`,
//! `most_common_elem_freqs`, `elem_count_histogram`), so snapshots
//! written before them read back, and write back byte-identical.
//!
//! ```json
//! {"format": 1, "pg_major": 15, "next_oid": 16384, ...}
//! ```

use std::collections::BTreeMap;

use fdw_core::Oid;
use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, CatalogParts};
use crate::error::{Error, Result};
use crate::objects::{
    Aggregate, Extension, ForeignDataWrapper, ForeignServer, Function, Operator, Relation, Schema,
    UserMapping, UserType,
};
use crate::stats::TableStats;

/// The newest snapshot format this build writes and reads.
pub const SNAPSHOT_FORMAT: u32 = 1;

/// The JSON document, field by field.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SnapshotDoc {
    format: u32,
    pg_major: u32,
    next_oid: u32,
    current_user: String,
    superuser: bool,
    schemas: Vec<Schema>,
    extensions: Vec<Extension>,
    types: Vec<UserType>,
    functions: Vec<Function>,
    aggregates: Vec<Aggregate>,
    operators: Vec<Operator>,
    relations: Vec<Relation>,
    foreign_data_wrappers: Vec<ForeignDataWrapper>,
    servers: Vec<ForeignServer>,
    user_mappings: Vec<UserMapping>,
    /// By relation oid.
    statistics: BTreeMap<u32, TableStats>,
    /// Explicitly set settings as text, by name.
    settings: BTreeMap<String, String>,
}

impl Catalog {
    /// The catalog as a snapshot: pretty-printed, deterministic JSON.
    ///
    /// # Errors
    ///
    /// [`Error::Snapshot`] if serialization fails (a non-finite number in
    /// a field PostgreSQL never leaves non-finite).
    ///
    /// # Example
    ///
    /// ```
    /// use fdw_catalog::catalog::Catalog;
    ///
    /// let cat = Catalog::new(15)?;
    /// let json = cat.to_snapshot_json()?;
    /// assert!(json.starts_with("{\n  \"format\": 1,\n  \"pg_major\": 15,"));
    /// assert_eq!(Catalog::from_snapshot_json(&json)?, cat);
    /// # Ok::<(), fdw_catalog::Error>(())
    /// ```
    pub fn to_snapshot_json(&self) -> Result<String> {
        let parts = self.to_parts();
        let doc = SnapshotDoc {
            format: SNAPSHOT_FORMAT,
            pg_major: parts.major,
            next_oid: parts.next_oid,
            current_user: parts.current_user,
            superuser: parts.superuser,
            schemas: parts.schemas,
            extensions: parts.extensions,
            types: parts.types,
            functions: parts.functions,
            aggregates: parts.aggregates,
            operators: parts.operators,
            relations: parts.relations,
            foreign_data_wrappers: parts.wrappers,
            servers: parts.servers,
            user_mappings: parts.user_mappings,
            statistics: parts.stats.into_iter().map(|(k, v)| (k.0, v)).collect(),
            settings: parts.settings,
        };
        let mut json =
            serde_json::to_string_pretty(&doc).map_err(|e| Error::Snapshot(e.to_string()))?;
        json.push('\n');
        Ok(json)
    }

    /// Reads a snapshot written by [`to_snapshot_json`](Self::to_snapshot_json)
    /// of this or an older format.
    ///
    /// # Errors
    ///
    /// [`Error::SnapshotVersion`] for a newer format; [`Error::Snapshot`]
    /// naming the field path for a missing field, a wrong type, an unknown
    /// field or an inconsistent value; [`Error::UnsupportedVersion`] for a
    /// major without a bundled built-in catalog.
    pub fn from_snapshot_json(json: &str) -> Result<Catalog> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| Error::Snapshot(e.to_string()))?;
        let format = value
            .get("format")
            .ok_or_else(|| Error::Snapshot("missing field `format`".to_string()))?;
        let format = format
            .as_u64()
            .and_then(|f| u32::try_from(f).ok())
            .ok_or_else(|| {
                Error::Snapshot(format!("format: expected a format number, found {format}"))
            })?;
        if format > SNAPSHOT_FORMAT {
            return Err(Error::SnapshotVersion {
                found: format,
                supported: SNAPSHOT_FORMAT,
            });
        }
        let doc: SnapshotDoc = serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if path == "." {
                Error::Snapshot(inner.to_string())
            } else {
                Error::Snapshot(format!("{path}: {inner}"))
            }
        })?;
        Catalog::from_parts(CatalogParts {
            major: doc.pg_major,
            next_oid: doc.next_oid,
            current_user: doc.current_user,
            superuser: doc.superuser,
            schemas: doc.schemas,
            extensions: doc.extensions,
            types: doc.types,
            functions: doc.functions,
            aggregates: doc.aggregates,
            operators: doc.operators,
            relations: doc.relations,
            wrappers: doc.foreign_data_wrappers,
            servers: doc.servers,
            user_mappings: doc.user_mappings,
            stats: doc
                .statistics
                .into_iter()
                .map(|(k, v)| (Oid(k), v))
                .collect(),
            settings: doc.settings,
        })
    }
}
