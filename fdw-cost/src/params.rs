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
        rows.round_ties_even()
    }
}
