//! `use_remote_estimate`: postgres_fdw asks the remote server to `EXPLAIN`
//! the query it would send and builds its estimate from the answer (spec
//! §3.5). The asking is I/O and belongs to the caller: the pure crates take
//! a [`RemoteEstimator`] and only combine numbers.

use fdw_core::Oid;

use crate::params::{clamp_row_est, CostParams, FdwCosts};
use crate::path::PathCosts;
use crate::qual::QualCost;

/// The numbers of the first line of a remote `EXPLAIN`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RemoteEstimate {
    /// Startup cost.
    pub startup: f64,
    /// Total cost.
    pub total: f64,
    /// Rows.
    pub rows: f64,
    /// Width.
    pub width: i32,
}

/// Runs `EXPLAIN <sql>` on a foreign server and reports its top node's
/// estimate. Implemented by the executor against real servers, and by
/// tests with numbers taken from a reference server.
pub trait RemoteEstimator {
    /// The estimate of `sql` (a complete `EXPLAIN ...` statement) on
    /// `server`, or why it could not be obtained.
    ///
    /// # Errors
    ///
    /// The remote server's error or an answer that does not parse, as text
    /// naming the server.
    fn explain(&self, server: Oid, sql: &str) -> Result<RemoteEstimate, String>;
}

/// Reads `(cost=S..T rows=R width=W)` from the first line of an `EXPLAIN`
/// answer as postgres_fdw's `get_remote_estimate` does: from the last `(`.
pub fn parse_explain_line(line: &str) -> Option<RemoteEstimate> {
    let open = line.rfind('(')?;
    let inner = line.get(open + 1..)?.strip_suffix(')')?;
    let mut startup = None;
    let mut total = None;
    let mut rows = None;
    let mut width = None;
    for part in inner.split_whitespace() {
        if let Some(cost) = part.strip_prefix("cost=") {
            let (s, t) = cost.split_once("..")?;
            startup = s.parse().ok();
            total = t.parse().ok();
        } else if let Some(r) = part.strip_prefix("rows=") {
            rows = r.parse().ok();
        } else if let Some(w) = part.strip_prefix("width=") {
            width = w.parse().ok();
        }
    }
    Some(RemoteEstimate {
        startup: startup?,
        total: total?,
        rows: rows?,
        width: width?,
    })
}

/// The plain foreign scan's estimate from a remote `EXPLAIN` (spec §3.5
/// step 4, then the transfer costs): the remote rows are what is fetched,
/// the local conditions filter them, and their evaluation and the target
/// list's are added.
pub fn costs_from_remote(
    remote: &RemoteEstimate,
    local_conds_sel: f64,
    local_conds_cost: QualCost,
    target_cost: QualCost,
    params: &CostParams,
    fdw: &FdwCosts,
) -> PathCosts {
    let retrieved_rows = remote.rows;
    let rows = clamp_row_est(remote.rows * local_conds_sel);
    let mut startup = remote.startup;
    let mut total = remote.total;
    startup += local_conds_cost.startup;
    total += local_conds_cost.per_tuple * retrieved_rows;
    startup += target_cost.startup;
    total += target_cost.startup;
    total += target_cost.per_tuple * rows;
    startup += fdw.fdw_startup_cost;
    total += fdw.fdw_startup_cost;
    total += fdw.fdw_tuple_cost * retrieved_rows;
    total += params.cpu_tuple_cost * retrieved_rows;
    PathCosts {
        startup,
        total,
        rows,
        width: remote.width,
        retrieved_rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_last_parenthesis() {
        let line = "Seq Scan on \"T 3\" (x)  (cost=0.00..2.25 rows=1 width=15)";
        assert_eq!(
            parse_explain_line(line),
            Some(RemoteEstimate {
                startup: 0.0,
                total: 2.25,
                rows: 1.0,
                width: 15
            })
        );
        assert_eq!(parse_explain_line("Result"), None);
    }

    /// The spec's verified figures: remote 0.00..2.25 rows=1 width=15 is
    /// 100.00..102.27 locally; a remote join 2.26..4.54 is 102.26..104.56.
    #[test]
    fn spec_figures() {
        let fdw = FdwCosts {
            fdw_startup_cost: 100.0,
            fdw_tuple_cost: 0.01,
            use_remote_estimate: true,
        };
        let params = CostParams::default();
        let remote = RemoteEstimate {
            startup: 0.0,
            total: 2.25,
            rows: 1.0,
            width: 15,
        };
        let p = costs_from_remote(
            &remote,
            1.0,
            QualCost::default(),
            QualCost::default(),
            &params,
            &fdw,
        );
        assert_eq!(
            format!("{:.2}..{:.2} rows={}", p.startup, p.total, p.rows),
            "100.00..102.27 rows=1"
        );
        let join = RemoteEstimate {
            startup: 2.26,
            total: 4.54,
            rows: 1.0,
            width: 8,
        };
        let p = costs_from_remote(
            &join,
            1.0,
            QualCost::default(),
            QualCost::default(),
            &params,
            &fdw,
        );
        assert_eq!(
            format!("{:.2}..{:.2}", p.startup, p.total),
            "102.26..104.56"
        );
    }
}
