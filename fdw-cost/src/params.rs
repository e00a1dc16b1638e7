//! The numbers every estimate starts from: the planner's cost settings and
//! a foreign table's postgres_fdw cost options.

use fdw_catalog::options::FdwOptions;
use fdw_catalog::settings::Settings;

/// `BLCKSZ`: PostgreSQL's page size in bytes.
pub const BLCKSZ: f64 = 8192.0;

/// `MAXALIGN(SizeofHeapTupleHeader)`: the per-tuple header the planner
/// adds to widths when it converts rows to bytes or pages.
pub const HEAP_TUPLE_HEADER: i32 = 24;

/// `DEFAULT_FDW_SORT_MULTIPLIER`: postgres_fdw's guess of what sorting
/// remotely adds to a path's cost.
pub const DEFAULT_FDW_SORT_MULTIPLIER: f64 = 1.2;

/// `disable_cost`.
pub const DISABLE_COST: f64 = 1.0e10;

/// The planner settings the cost formulas read (`costsize.c`'s globals).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CostParams {
    /// `seq_page_cost`.
    pub seq_page_cost: f64,
    /// `random_page_cost`.
    pub random_page_cost: f64,
    /// `cpu_tuple_cost`.
    pub cpu_tuple_cost: f64,
    /// `cpu_index_tuple_cost`.
    pub cpu_index_tuple_cost: f64,
    /// `cpu_operator_cost`.
    pub cpu_operator_cost: f64,
    /// `work_mem`, in kilobytes.
    pub work_mem_kb: i32,
    /// `effective_cache_size`, in pages.
    pub effective_cache_size: i32,
}

impl Default for CostParams {
    /// PostgreSQL's defaults.
    fn default() -> CostParams {
        CostParams {
            seq_page_cost: 1.0,
            random_page_cost: 4.0,
            cpu_tuple_cost: 0.01,
            cpu_index_tuple_cost: 0.005,
            cpu_operator_cost: 0.0025,
            work_mem_kb: 4096,
            effective_cache_size: 524_288,
        }
    }
}

impl CostParams {
    /// The values in force in `settings` (defaults unless set).
    pub fn from_settings(settings: &Settings) -> CostParams {
        CostParams {
            seq_page_cost: settings.seq_page_cost(),
            random_page_cost: settings.random_page_cost(),
            cpu_tuple_cost: settings.cpu_tuple_cost(),
            cpu_index_tuple_cost: settings.cpu_index_tuple_cost(),
            cpu_operator_cost: settings.cpu_operator_cost(),
            work_mem_kb: settings.work_mem(),
            effective_cache_size: settings.effective_cache_size(),
        }
    }
}

/// A foreign table's cost options as postgres_fdw applies them (table
/// options over server options, per-version defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FdwCosts {
    /// `fdw_startup_cost`.
    pub fdw_startup_cost: f64,
    /// `fdw_tuple_cost`.
    pub fdw_tuple_cost: f64,
    /// `use_remote_estimate`.
    pub use_remote_estimate: bool,
}

impl From<&FdwOptions> for FdwCosts {
    fn from(options: &FdwOptions) -> FdwCosts {
        FdwCosts {
            fdw_startup_cost: options.fdw_startup_cost,
            fdw_tuple_cost: options.fdw_tuple_cost,
            use_remote_estimate: options.use_remote_estimate,
        }
    }
}

/// `clamp_row_est`: at least one row, and a whole number (`rint`, ties to
/// even as C's default rounding mode does); absurd values become 1e100.
pub fn clamp_row_est(rows: f64) -> f64 {
    if rows.is_nan() || rows > 1e100 {
        1e100
    } else if rows <= 1.0 {
        1.0
    } else {
        rint(rows)
    }
}

/// `rint` in the default rounding mode: `x.round_ties_even()`, computed
/// inline. The target's baseline (x86-64 without SSE4.1) has no rounding
/// instruction, so `round_ties_even` calls the software `rint` of
/// compiler-builtins (about 27 instructions plus the call); the join cost
/// formulas round several times per candidate path.
///
/// Adding 2^52 to a magnitude below 2^52 leaves no fraction bits, so the
/// addition itself rounds to the nearest integer, ties to even (2^52 is
/// even), and subtracting 2^52 again is exact. The sign is put back
/// afterwards, as `rint` rounds symmetrically (and keeps `-0.0`).
/// Larger magnitudes, infinities and NaN are already their own `rint`.
#[inline]
pub fn rint(x: f64) -> f64 {
    const TWO_52: f64 = 4_503_599_627_370_496.0;
    let magnitude = x.abs();
    if magnitude < TWO_52 {
        ((magnitude + TWO_52) - TWO_52).copysign(x)
    } else {
        x
    }
}

#[cfg(test)]
mod tests {
    use super::rint;

    /// The inline `rint` against the library's `round_ties_even`, bit for
    /// bit: ties both ways, signs, zeros, the edges of the 2^52 shortcut,
    /// and a spread of magnitudes the row estimates take.
    #[test]
    fn rint_matches_round_ties_even() {
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            -0.5,
            -1.5,
            -2.5,
            0.49999999999999994,
            -0.49999999999999994,
            4_503_599_627_370_495.5,
            4_503_599_627_370_496.0,
            4_503_599_627_370_497.0,
            9_007_199_254_740_993.0,
            1e100,
            -1e100,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        let mut x: f64 = 1e-3;
        while x < 1e20 {
            for v in [x, x + 0.5, x.floor() + 0.5, -x, -(x.floor() + 0.5)] {
                values.push(v);
            }
            x *= 1.37;
        }
        for v in values {
            assert_eq!(rint(v).to_bits(), v.round_ties_even().to_bits(), "{v:e}");
        }
        assert!(rint(f64::NAN).is_nan());
    }
}
