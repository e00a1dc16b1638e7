//! A driver for instruction-count profiling (`valgrind --tool=callgrind`)
//! of the planning benchmark's two queries: the whole path from query text
//! to EXPLAIN text, run `FDW_PROFILE_ITERS` times (default 2,000) per
//! query. Criterion's timings are noisy on a shared machine; callgrind's
//! instruction counts are not, so optimisations are judged with this.
//!
//! ```text
//! cargo build --release -p fdw-benches --example plan_profile
//! valgrind --tool=callgrind --toggle-collect='plan_profile::run_*' \
//!     target/release/examples/plan_profile [single|join|all]
//! ```

#![allow(
    clippy::expect_used,
    reason = "a profile whose fixture does not load has nothing to measure"
)]
#![allow(clippy::print_stdout, reason = "the driver reports what it ran")]

use std::hint::black_box;

use fdw_benches::fixtures::{catalog, SINGLE_TABLE, THREE_TABLE_JOIN};
use fdw_catalog::catalog::Catalog;
use fdw_deparse::PostgresDialect;
use fdw_planner::render::{explain, ExplainOptions};

fn main() {
    let which = std::env::args().nth(1).unwrap_or_else(|| "all".to_owned());
    let iters: usize = std::env::var("FDW_PROFILE_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let catalog = catalog();
    if which == "single" || which == "all" {
        run_whole(&catalog, SINGLE_TABLE, iters);
    }
    if which == "join" || which == "all" {
        run_whole(&catalog, THREE_TABLE_JOIN, iters);
    }
    println!("ran {iters} iterations of {which}");
}

fn run_whole(catalog: &Catalog, sql: &str, iters: usize) {
    let dialect = PostgresDialect::new(15).expect("PostgreSQL 15 dialect");
    let options = ExplainOptions::default();
    for _ in 0..iters {
        let prepared = fdw_sql::prepare_query(catalog, black_box(sql), &[]).expect("prepares");
        let planned =
            fdw_planner::plan_query::plan_query(catalog, &dialect, &prepared).expect("plans");
        black_box(explain(catalog, &dialect, &planned, options).expect("explains"));
    }
}
