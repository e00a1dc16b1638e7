//! Deterministic table contents: INSERT statements with NULLs and boundary
//! values, derived from a seed.

use super::ident::quote_ident;
use super::schema::{Schema, Table};
use super::types::ColumnType;

/// INSERT statements for one schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Data {
    /// Statements to run in the remote database (one per foreign table,
    /// addressed by remote schema, table and column names).
    pub remote: Vec<String>,
    /// Statements to run in the local database (rows of the local heap tables).
    pub local: Vec<String>,
}

/// Rows for every table of `schema`: between 1 and `max_rows` rows per table
/// (capped at 200), chosen by `seed`. About one value in eight of a
/// nullable column is NULL; the rest mixes boundary values (empty strings,
/// quotes, backslashes, newlines, unicode, negative numbers, NaN/Infinity,
/// far dates) with ordinary ones.
pub fn generate_data(schema: &Schema, seed: u64, max_rows: usize) -> Data {
    let max_rows = max_rows.clamp(1, 200);
    let mut rng = SplitMix64(seed ^ 0x5eed_da7a);
    let labels: Vec<&str> = schema.enum_labels.iter().map(String::as_str).collect();
    let mut remote = Vec::new();
    for t in &schema.tables {
        let rows = 1 + rng.below(max_rows as u64) as usize;
        if let Some(stmt) = insert(&mut rng, t, &t.remote_sql_name(), true, rows, &labels) {
            remote.push(stmt);
        }
    }
    let mut local = Vec::new();
    for t in &schema.local_tables {
        let rows = 1 + rng.below(max_rows as u64) as usize;
        if let Some(stmt) = insert(&mut rng, t, &t.sql_name(), false, rows, &labels) {
            local.push(stmt);
        }
    }
    Data { remote, local }
}

fn insert(
    rng: &mut SplitMix64,
    table: &Table,
    target: &str,
    remote_names: bool,
    rows: usize,
    labels: &[&str],
) -> Option<String> {
    if table.columns.is_empty() {
        return None;
    }
    let names: Vec<String> = table
        .columns
        .iter()
        .map(|c| {
            let n = if remote_names {
                c.remote_name.as_deref().unwrap_or(&c.name)
            } else {
                &c.name
            };
            quote_ident(n)
        })
        .collect();
    let pools: Vec<Vec<String>> = table
        .columns
        .iter()
        .map(|c| c.ty.data_values(labels))
        .collect();
    let mut sql = format!("INSERT INTO {target} ({}) VALUES ", names.join(", "));
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for (i, (col, pool)) in table.columns.iter().zip(&pools).enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            if !col.not_null && rng.below(8) == 0 {
                sql.push_str("NULL");
            } else if i == 0 && rng.below(4) != 0 {
                // Mostly distinct keys in the first column, good for joins.
                sql.push_str(&((row as i64 % 997) - 20).to_string());
            } else {
                sql.push_str(&value(rng, col.ty, pool));
            }
        }
        sql.push(')');
    }
    Some(sql)
}

/// One value: a boundary value from `pool`, or an ordinary generated one.
fn value(rng: &mut SplitMix64, ty: ColumnType, pool: &[String]) -> String {
    if rng.below(3) == 0 || pool.is_empty() {
        if let Some(v) = ordinary(rng, ty) {
            return v;
        }
    }
    let idx = rng.below(pool.len().max(1) as u64) as usize;
    pool.get(idx).cloned().unwrap_or_else(|| "NULL".into())
}

fn ordinary(rng: &mut SplitMix64, ty: ColumnType) -> Option<String> {
    let n = rng.below(2001) as i64 - 1000;
    let m = rng.below(100_000);
    Some(match ty {
        ColumnType::Int2 | ColumnType::Int4 => n.to_string(),
        ColumnType::Int8 => (n * 1_000_003).to_string(),
        ColumnType::Numeric => format!("{}.{:02}", n, m % 100),
        ColumnType::NumericTypmod { precision, scale } => {
            let max = 10_i64.pow(u32::from(precision - scale)) - 1;
            let int = n.clamp(-max, max);
            if scale > 0 {
                format!("{int}.{}", m % 10)
            } else {
                int.to_string()
            }
        }
        ColumnType::Float4 | ColumnType::Float8 => format!("{}.{}", n, m % 1000),
        ColumnType::Text => format!("'w{m}'"),
        ColumnType::Varchar(len) | ColumnType::Char(len) => {
            let s = format!("v{m}");
            format!("'{}'", &s[..s.len().min(usize::from(len))])
        }
        ColumnType::Bool => (m % 2 == 0).to_string(),
        ColumnType::Date => format!("'{}-{:02}-{:02}'", 1990 + m % 40, 1 + m % 12, 1 + m % 28),
        ColumnType::Time => format!("'{:02}:{:02}:{:02}'", m % 24, m % 60, (m / 7) % 60),
        ColumnType::Timestamp => format!(
            "'{}-{:02}-{:02} {:02}:{:02}:00'",
            1990 + m % 40,
            1 + m % 12,
            1 + m % 28,
            m % 24,
            m % 60
        ),
        ColumnType::Timestamptz => format!(
            "'{}-{:02}-{:02} {:02}:{:02}:00+{:02}'",
            1990 + m % 40,
            1 + m % 12,
            1 + m % 28,
            m % 24,
            m % 60,
            m % 12
        ),
        ColumnType::Interval => format!("'{} days {} seconds'", n, m % 86_400),
        ColumnType::IntArray => format!("'{{{n},{}}}'", m % 100),
        ColumnType::TextArray => format!("'{{w{m},x}}'"),
        ColumnType::Jsonb => format!("'{{\"a\": {n}, \"k\": \"w{m}\"}}'"),
        ColumnType::Cube => format!("'({n}, {})'", m % 100),
        ColumnType::Enum => return None,
    })
}

/// A tiny deterministic generator (SplitMix64), so data does not depend on
/// proptest's RNG stream.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
}
