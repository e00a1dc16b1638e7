//! `estimate_path_cost_size` for a foreign base relation scanned without
//! remote estimates (spec §3.3, §3.4), with its sort and LIMIT variants.

use crate::params::{
    clamp_row_est, CostParams, FdwCosts, BLCKSZ, DEFAULT_FDW_SORT_MULTIPLIER, HEAP_TUPLE_HEADER,
};
use crate::qual::QualCost;

/// `(10 * BLCKSZ) / (width + MAXALIGN(SizeofHeapTupleHeader))` in integer
/// arithmetic: postgres_fdw's row count for a foreign table that was never
/// analyzed, assuming 10 pages.
pub fn unanalyzed_tuples(width: i32) -> f64 {
    // BLCKSZ is a whole number; the division truncates as C's int division.
    let pages_bytes = 10 * BLCKSZ as i64;
    f64::from(
        i32::try_from(pages_bytes / i64::from(width + HEAP_TUPLE_HEADER).max(1))
            .unwrap_or(i32::MAX),
    )
}

/// A foreign base relation's size as `GetForeignRelSize` leaves it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BaseRelSize {
    /// `pages`: 10 when never analyzed, else `relpages`.
    pub pages: f64,
    /// `tuples`: the 10-page guess when never analyzed, else `reltuples`.
    pub tuples: f64,
    /// `rows`: `clamp_row_est(tuples × selectivity of all restrictions)`.
    pub rows: f64,
    /// The target list's width.
    pub width: i32,
}

impl BaseRelSize {
    /// The size of a relation whose `pg_class` says `relpages`/`reltuples`
    /// (`reltuples < 0`: never analyzed), with target width `width` and
    /// restriction selectivity `selectivity`.
    pub fn new(relpages: i32, reltuples: f64, width: i32, selectivity: f64) -> BaseRelSize {
        let (pages, tuples) = if reltuples < 0.0 {
            (10.0, unanalyzed_tuples(width))
        } else {
            (f64::from(relpages), reltuples)
        };
        BaseRelSize {
            pages,
            tuples,
            rows: clamp_row_est(tuples * selectivity),
            width,
        }
    }
}

/// What a base relation's cost estimate needs besides its size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BaseRelCostInput {
    /// The relation's size.
    pub size: BaseRelSize,
    /// `baserestrictcost`: all restriction clauses, remote and local.
    pub restrict_cost: QualCost,
    /// Selectivity of the clauses evaluated locally.
    pub local_conds_sel: f64,
    /// The target list's evaluation cost (zero for plain columns).
    pub target_cost: QualCost,
}

/// The relation's own costs (step A of `estimate_path_cost_size`), what
/// postgres_fdw caches as `rel_startup_cost` / `rel_total_cost`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RelCosts {
    /// Rows after all conditions.
    pub rows: f64,
    /// Rows fetched from the remote server (before local conditions).
    pub retrieved_rows: f64,
    /// Row width.
    pub width: i32,
    /// Startup cost.
    pub startup: f64,
    /// Run cost (total − startup).
    pub run: f64,
}

/// Step A for a base relation: the pessimistic sequential-scan costs.
pub fn base_rel_costs(input: &BaseRelCostInput, params: &CostParams) -> RelCosts {
    let size = &input.size;
    let retrieved_rows = clamp_row_est(size.rows / input.local_conds_sel).min(size.tuples);
    RelCosts {
        rows: size.rows,
        retrieved_rows,
        width: size.width,
        startup: input.restrict_cost.startup + input.target_cost.startup,
        run: 0.0
            + params.seq_page_cost * size.pages
            + (params.cpu_tuple_cost + input.restrict_cost.per_tuple) * size.tuples
            + input.target_cost.per_tuple * size.rows,
    }
}

/// A LIMIT/OFFSET pushed with the scan, as postgres_fdw estimates it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LimitEstimate {
    /// `count_est`: the LIMIT's value, 0 without one, -1 when not constant.
    pub count_est: f64,
    /// `offset_est`: the OFFSET's value, 0 without one, -1 when not constant.
    pub offset_est: f64,
    /// `limit_tuples`: `count + offset` when both are known, else -1.
    pub limit_tuples: f64,
}

/// A path's estimate as EXPLAIN prints it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PathCosts {
    /// Startup cost.
    pub startup: f64,
    /// Total cost.
    pub total: f64,
    /// Rows.
    pub rows: f64,
    /// Width.
    pub width: i32,
    /// Rows fetched from the remote server.
    pub retrieved_rows: f64,
}

/// `adjust_limit_rows_costs`: a path's rows and costs after `OFFSET`
/// and `LIMIT` (a fraction of the input's run cost per row kept).
pub fn adjust_limit_rows_costs(
    rows: &mut f64,
    startup: &mut f64,
    total: &mut f64,
    limit: &LimitEstimate,
) {
    let input_rows = *rows;
    let input_startup = *startup;
    let input_total = *total;
    if limit.offset_est != 0.0 {
        let offset_rows = if limit.offset_est > 0.0 {
            limit.offset_est
        } else {
            clamp_row_est(input_rows * 0.10)
        }
        .min(*rows);
        *startup += (input_total - input_startup) * offset_rows / input_rows;
        *rows = (*rows - offset_rows).max(1.0);
    }
    if limit.count_est != 0.0 {
        let count_rows = if limit.count_est > 0.0 {
            limit.count_est
        } else {
            clamp_row_est(input_rows * 0.10)
        }
        .min(*rows);
        *total = *startup + (input_total - input_startup) * count_rows / input_rows;
        *rows = count_rows.max(1.0);
    }
}

/// `estimate_path_cost_size` for a base relation without remote estimates:
/// the relation's costs (step A), ×1.2 when the remote sorts (B), the
/// LIMIT adjustment (C), the transfer costs (F) and the LIMIT preference
/// tweak (G).
pub fn foreign_scan_costs(
    rel: &RelCosts,
    params: &CostParams,
    fdw: &FdwCosts,
    sorted: bool,
    limit: Option<&LimitEstimate>,
) -> PathCosts {
    let mut rows = rel.rows;
    let mut retrieved_rows = rel.retrieved_rows;
    let mut startup = rel.startup;
    let mut run = rel.run;
    if sorted {
        startup *= DEFAULT_FDW_SORT_MULTIPLIER;
        run *= DEFAULT_FDW_SORT_MULTIPLIER;
    }
    let mut total = startup + run;
    if let Some(limit) = limit {
        adjust_limit_rows_costs(&mut rows, &mut startup, &mut total, limit);
        retrieved_rows = rows;
    }
    // Added one term at a time, as postgres_fdw does: the rounding of the
    // printed cents depends on it.
    startup += fdw.fdw_startup_cost;
    total += fdw.fdw_startup_cost;
    total += fdw.fdw_tuple_cost * retrieved_rows;
    total += params.cpu_tuple_cost * retrieved_rows;
    if let Some(limit) = limit {
        if limit.limit_tuples > 0.0 && limit.limit_tuples < rel.rows {
            total -= (total - startup) * 0.05 * (rel.rows - limit.limit_tuples) / rel.rows;
        }
    }
    PathCosts {
        startup,
        total,
        rows,
        width: rel.width,
        retrieved_rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(width: i32, selectivity: f64, per_tuple: f64, local_sel: f64) -> RelCosts {
        let input = BaseRelCostInput {
            size: BaseRelSize::new(0, -1.0, width, selectivity),
            restrict_cost: QualCost {
                startup: 0.0,
                per_tuple,
            },
            local_conds_sel: local_sel,
            target_cost: QualCost::default(),
        };
        base_rel_costs(&input, &CostParams::default())
    }

    fn fdw() -> FdwCosts {
        FdwCosts {
            fdw_startup_cost: 100.0,
            fdw_tuple_cost: 0.01,
            use_remote_estimate: false,
        }
    }

    fn shown(p: &PathCosts) -> String {
        format!(
            "cost={:.2}..{:.2} rows={} width={}",
            p.startup, p.total, p.rows, p.width
        )
    }

    /// The spec's §3.4.2 figures, verified on PostgreSQL 15.18.
    #[test]
    fn spec_figures() {
        let params = CostParams::default();
        assert_eq!(unanalyzed_tuples(4), 2925.0);
        assert_eq!(unanalyzed_tuples(142), 493.0);
        assert_eq!(unanalyzed_tuples(0), 3413.0);
        let c1 = plain(4, 1.0, 0.0, 1.0);
        assert_eq!(
            shown(&foreign_scan_costs(&c1, &params, &fdw(), false, None)),
            "cost=100.00..197.75 rows=2925 width=4"
        );
        let all = plain(142, 1.0, 0.0, 1.0);
        assert_eq!(
            shown(&foreign_scan_costs(&all, &params, &fdw(), false, None)),
            "cost=100.00..124.79 rows=493 width=142"
        );
        let eq = plain(4, 0.005, 0.0025, 1.0);
        assert_eq!(
            shown(&foreign_scan_costs(&eq, &params, &fdw(), false, None)),
            "cost=100.00..146.86 rows=15 width=4"
        );
        let lt = plain(4, 1.0 / 3.0, 0.0025, 1.0);
        assert_eq!(
            shown(&foreign_scan_costs(&lt, &params, &fdw(), false, None)),
            "cost=100.00..166.06 rows=975 width=4"
        );
        let local = plain(4, 0.005, 0.0075, 0.005);
        assert_eq!(
            shown(&foreign_scan_costs(&local, &params, &fdw(), false, None)),
            "cost=100.00..219.69 rows=15 width=4"
        );
        assert_eq!(
            shown(&foreign_scan_costs(&c1, &params, &fdw(), true, None)),
            "cost=100.00..205.60 rows=2925 width=4"
        );
        let limit10 = LimitEstimate {
            count_est: 10.0,
            offset_est: 0.0,
            limit_tuples: 10.0,
        };
        assert_eq!(
            shown(&foreign_scan_costs(
                &c1,
                &params,
                &fdw(),
                true,
                Some(&limit10)
            )),
            "cost=100.00..100.34 rows=10 width=4"
        );
        assert_eq!(
            shown(&foreign_scan_costs(
                &c1,
                &params,
                &fdw(),
                false,
                Some(&limit10)
            )),
            "cost=100.00..100.32 rows=10 width=4"
        );
    }
}
