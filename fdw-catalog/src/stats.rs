//! Table and column statistics as `pg_class` and `pg_stats` show them.
//!
//! Values that PostgreSQL stores as `float4` are `f32` here, so costs
//! computed from them see exactly the numbers PostgreSQL's planner sees
//! (it widens the same `float4` to `double`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A relation's size statistics (`pg_class`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationStats {
    /// `reltuples`: estimated rows; -1 when never analyzed (PostgreSQL 14+).
    pub reltuples: f32,
    /// `relpages`: size in 8 kB blocks.
    pub relpages: i32,
    /// `relallvisible`: blocks marked all-visible.
    pub relallvisible: i32,
}

impl Default for RelationStats {
    /// A relation never vacuumed or analyzed.
    fn default() -> RelationStats {
        RelationStats {
            reltuples: -1.0,
            relpages: 0,
            relallvisible: 0,
        }
    }
}

impl RelationStats {
    /// True when the relation was never analyzed (`reltuples < 0`).
    pub fn never_analyzed(&self) -> bool {
        self.reltuples < 0.0
    }
}

/// One column's statistics (a `pg_stats` row).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnStats {
    /// `null_frac`: fraction of nulls, 0 to 1.
    pub null_frac: f32,
    /// `avg_width`: average width in bytes of non-null values.
    pub avg_width: i32,
    /// `n_distinct`: distinct values if positive, minus the fraction of
    /// rows if negative (-1 = unique), 0 when unknown.
    pub n_distinct: f32,
    /// `most_common_vals` as text.
    pub most_common_vals: Vec<String>,
    /// `most_common_freqs`, parallel to `most_common_vals`.
    pub most_common_freqs: Vec<f32>,
    /// `histogram_bounds` as text.
    pub histogram_bounds: Vec<String>,
    /// `correlation`, -1 to 1; `None` when not computed.
    pub correlation: Option<f32>,
    /// `most_common_elems` as text: the most common elements of an array
    /// column, in the element type's sort order (the `MCELEM` slot).
    /// Absent from snapshots written before element statistics existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub most_common_elems: Vec<String>,
    /// `most_common_elem_freqs`: one frequency per element of
    /// `most_common_elems`, then the lowest and highest of them and the
    /// frequency of null elements (three more numbers than elements).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub most_common_elem_freqs: Vec<f32>,
    /// `elem_count_histogram`: a histogram of the numbers of distinct
    /// non-null elements per array, followed by their average (the
    /// `DECHIST` slot).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elem_count_histogram: Vec<f32>,
}

/// The statistics of one relation: its size and its columns' by attnum.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableStats {
    /// `pg_class` numbers.
    pub relation: RelationStats,
    /// `pg_stats` rows by attnum.
    pub columns: BTreeMap<i16, ColumnStats>,
}

/// Checks that `stats` holds numbers PostgreSQL could have produced.
///
/// # Errors
///
/// [`Error::InvalidDefinition`] naming the offending field.
pub fn validate_relation_stats(stats: &RelationStats) -> Result<()> {
    if !stats.reltuples.is_finite() || (stats.reltuples < 0.0 && stats.reltuples != -1.0) {
        return Err(Error::InvalidDefinition(format!(
            "reltuples must be -1 or a non-negative number, not {}",
            stats.reltuples
        )));
    }
    if stats.relpages < 0 || stats.relallvisible < 0 {
        return Err(Error::InvalidDefinition(
            "relpages and relallvisible must not be negative".to_string(),
        ));
    }
    Ok(())
}

/// Checks that `stats` is a plausible `pg_stats` row.
///
/// # Errors
///
/// [`Error::InvalidDefinition`] naming the offending field.
pub fn validate_column_stats(stats: &ColumnStats) -> Result<()> {
    let bad = |what: &str| {
        Err(Error::InvalidDefinition(format!(
            "invalid column statistics: {what}"
        )))
    };
    if !(0.0..=1.0).contains(&stats.null_frac) {
        return bad("null_frac must be between 0 and 1");
    }
    if stats.avg_width < 0 {
        return bad("avg_width must not be negative");
    }
    if !stats.n_distinct.is_finite() || stats.n_distinct < -1.0 {
        return bad("n_distinct must be at least -1");
    }
    if stats.most_common_vals.len() != stats.most_common_freqs.len() {
        return bad("most_common_vals and most_common_freqs differ in length");
    }
    if stats
        .most_common_freqs
        .iter()
        .any(|f| !(0.0..=1.0).contains(f))
    {
        return bad("most_common_freqs must be between 0 and 1");
    }
    if stats
        .most_common_elem_freqs
        .iter()
        .any(|f| !(0.0..=1.0).contains(f))
    {
        return bad("most_common_elem_freqs must be between 0 and 1");
    }
    if stats
        .elem_count_histogram
        .iter()
        .any(|c| !c.is_finite() || *c < 0.0)
    {
        return bad("elem_count_histogram must hold non-negative counts");
    }
    if let Some(c) = stats.correlation {
        if !(-1.0..=1.0).contains(&c) {
            return bad("correlation must be between -1 and 1");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_relation_is_never_analyzed() {
        assert!(RelationStats::default().never_analyzed());
    }

    #[test]
    fn refuses_mismatched_mcv_lists() {
        let stats = ColumnStats {
            most_common_vals: vec!["a".into()],
            ..ColumnStats::default()
        };
        assert_eq!(
            validate_column_stats(&stats).unwrap_err().to_string(),
            "invalid column statistics: most_common_vals and most_common_freqs differ in length"
        );
    }
}
