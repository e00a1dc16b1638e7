//! Width estimates: how many bytes a value or a row is expected to take
//! (`get_typavgwidth`, `set_rel_width`, `get_relation_data_width`).

use fdw_catalog::catalog::Catalog;
use fdw_catalog::stats::TableStats;
use fdw_core::{Oid, TypMod};

use crate::params::HEAP_TUPLE_HEADER;

const BPCHAR: Oid = Oid(1042);
const VARCHAR: Oid = Oid(1043);
const NUMERIC: Oid = Oid(1700);
const BIT: Oid = Oid(1560);
const VARBIT: Oid = Oid(1562);
/// `VARHDRSZ`.
const VARHDRSZ: i32 = 4;
/// `pg_encoding_max_length(PG_UTF8)`: the database encoding is assumed to
/// be UTF8, as on every server the reference kit and `initdb`'s default
/// locales produce.
const UTF8_MAX_LENGTH: i32 = 4;

/// `type_maximum_size`: the largest a value of `type_oid` with `typmod`
/// can be, or `None` when the type or modifier does not bound it.
pub fn type_maximum_size(type_oid: Oid, typmod: TypMod) -> Option<i32> {
    if typmod < 0 {
        return None;
    }
    match type_oid {
        BPCHAR | VARCHAR => Some((typmod - VARHDRSZ) * UTF8_MAX_LENGTH + VARHDRSZ),
        NUMERIC => {
            // `numeric_maxsize`: the precision (upper 16 bits of typmod -
            // VARHDRSZ) in base-10000 digits of 2 bytes, plus the header.
            if typmod < VARHDRSZ {
                return None;
            }
            let precision = ((typmod - VARHDRSZ) >> 16) & 0xffff;
            let digits = (precision + 2 * 3) / 4;
            Some(8 + digits * 2)
        }
        BIT | VARBIT => Some((typmod + 7) / 8 + 2 * 4),
        _ => None,
    }
}

/// `get_typavgwidth`: the fixed length, or a guess from the modifier's
/// bound, or 32 bytes.
pub fn typ_avg_width(catalog: &Catalog, type_oid: Oid, typmod: TypMod) -> i32 {
    let len = catalog.type_info(type_oid).map_or(-1, |t| i32::from(t.len));
    if len > 0 {
        return len;
    }
    match type_maximum_size(type_oid, typmod) {
        Some(max) if max > 0 => {
            if type_oid == BPCHAR || max <= 32 {
                max
            } else if max < 1000 {
                32 + (max - 32) / 2
            } else {
                32 + (1000 - 32) / 2
            }
        }
        _ => 32,
    }
}

/// One column of a relation as the width estimate needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnType {
    /// `attnum`.
    pub attnum: i16,
    /// Column type.
    pub type_oid: Oid,
    /// Column type modifier.
    pub typmod: TypMod,
    /// `attisdropped`.
    pub dropped: bool,
}

/// A column's width: `avg_width` from the statistics when positive, else
/// the type's average width.
pub fn column_width(catalog: &Catalog, stats: Option<&TableStats>, column: &ColumnType) -> i32 {
    stats
        .and_then(|s| s.columns.get(&column.attnum))
        .map(|c| c.avg_width)
        .filter(|w| *w > 0)
        .unwrap_or_else(|| typ_avg_width(catalog, column.type_oid, column.typmod))
}

/// `set_rel_width` of a base relation whose target list holds `columns`
/// (the user and system columns read above the scan) and, when
/// `whole_row`, the whole-row value, which counts the tuple header plus
/// every live column of `all_columns`.
pub fn rel_width(
    catalog: &Catalog,
    stats: Option<&TableStats>,
    columns: &[ColumnType],
    whole_row: bool,
    all_columns: &[ColumnType],
) -> i32 {
    rel_width_of(
        catalog,
        stats,
        columns.iter().copied(),
        whole_row,
        all_columns,
    )
}

/// [`rel_width`] of columns given one by one (a caller need not list them).
pub fn rel_width_of(
    catalog: &Catalog,
    stats: Option<&TableStats>,
    columns: impl IntoIterator<Item = ColumnType>,
    whole_row: bool,
    all_columns: &[ColumnType],
) -> i32 {
    let mut width: i32 = columns
        .into_iter()
        .map(|c| {
            if c.attnum > 0 {
                column_width(catalog, stats, &c)
            } else {
                typ_avg_width(catalog, c.type_oid, c.typmod)
            }
        })
        .sum();
    if whole_row {
        width += HEAP_TUPLE_HEADER
            + all_columns
                .iter()
                .filter(|c| !c.dropped && c.attnum > 0)
                .map(|c| column_width(catalog, stats, c))
                .sum::<i32>();
    }
    width
}
