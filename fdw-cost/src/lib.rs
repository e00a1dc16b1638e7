//! postgres_fdw's cost model as pure formulas: cost parameters
//! (`fdw_startup_cost`, `fdw_tuple_cost`, the core cost GUCs), expression
//! evaluation costs, widths, relation sizes, selectivity estimates from
//! statistics, and the path cost formulas of `estimate_path_cost_size`.
//!
//! This crate must not know SQL text, how expressions are deparsed, or how
//! paths are chosen; it turns numbers, statistics and expression trees
//! into numbers. Comparing values of SQL types (for histograms and most
//! common values) is the caller's: it comes in through a trait.
//!
//! **Architecture Invariant:** no I/O; remote estimates arrive as plain
//! numbers from the caller.

pub mod array_len;
pub mod error;
pub mod join;
pub mod params;
pub mod path;
pub mod qual;
pub mod remote;
pub mod selectivity;
pub mod upper;
pub mod width;

pub use error::{Error, Result};
pub use params::{clamp_row_est, CostParams, FdwCosts};
pub use path::{
    base_rel_costs, foreign_scan_costs, BaseRelCostInput, BaseRelSize, LimitEstimate, PathCosts,
    RelCosts,
};
pub use qual::{cost_qual_eval, cost_qual_eval_node, QualCost};
