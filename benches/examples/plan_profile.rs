//! A driver for instruction-count profiling (`valgrind --tool=callgrind`)
//! of the planning benchmark's two queries, run `FDW_PROFILE_ITERS` times
//! (default 2,000) per query. Criterion's timings are noisy on a shared
//! machine; callgrind's instruction counts are not, so optimisations are
//! judged with this.
//!
//! The stage (second argument) chooses what is measured, as in the
//! criterion benchmark `benches/plan.rs`:
//!
//! - `whole` (default): from the query text to the EXPLAIN text
//!   (`run_whole`);
//! - `plan`: `plan_query` plus `explain` from a tree prepared once before
//!   the loop (`run_plan`, the benchmark's `plan_deparse_explain` stage);
//! - `planonly`: `plan_query` alone (`run_plan_only`, the benchmark's
//!   `plan_deparse` stage: the plan and its remote SQL, no EXPLAIN text);
//! - `analyze`: `prepare_query` alone (`run_analyze`);
//! - `dump`: no loop; prints the planned query (`{:#?}`) and its EXPLAIN
//!   with costs and reasons, so that a change can be checked to leave
//!   the plan, its estimates and its text as they were (diff two dumps).
//!
//! ```text
//! cargo build --release -p fdw-benches --example plan_profile
//! valgrind --tool=callgrind --toggle-collect='plan_profile::run_plan' \
//!     target/release/examples/plan_profile [single|join|all] [whole|plan|planonly|analyze|dump]
//! ```
//!
//! With `--toggle-collect='plan_profile::run_*'` the counts cover only the
//! measured loop, not the catalog's loading.

#![allow(
    clippy::expect_used,
    reason = "a profile whose fixture does not load has nothing to measure"
)]
#![allow(clippy::print_stdout, reason = "the driver reports what it ran")]

use std::hint::black_box;

// The allocator of the `fdw` binary, so that the profile counts what it runs.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use fdw_benches::fixtures::{catalog, SINGLE_TABLE, THREE_TABLE_JOIN};
use fdw_catalog::catalog::Catalog;
use fdw_deparse::PostgresDialect;
use fdw_planner::render::{explain, ExplainOptions};
use fdw_sql::PreparedQuery;

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_else(|| "all".to_owned());
    let stage = args.next().unwrap_or_else(|| "whole".to_owned());
    let iters: usize = std::env::var("FDW_PROFILE_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let catalog = catalog();
    let mut queries = Vec::new();
    if which == "single" || which == "all" {
        queries.push(SINGLE_TABLE);
    }
    if which == "join" || which == "all" {
        queries.push(THREE_TABLE_JOIN);
    }
    for sql in queries {
        match stage.as_str() {
            "plan" => {
                let prepared = fdw_sql::prepare_query(&catalog, sql, &[]).expect("prepares");
                run_plan(&catalog, &prepared, iters);
            }
            "planonly" => {
                let prepared = fdw_sql::prepare_query(&catalog, sql, &[]).expect("prepares");
                run_plan_only(&catalog, &prepared, iters);
            }
            "analyze" => run_analyze(&catalog, sql, iters),
            "dump" => dump(&catalog, sql),
            _ => run_whole(&catalog, sql, iters),
        }
    }
    println!("ran {iters} iterations of {which} ({stage})");
}

// Never inlined: callgrind collects by this function's name.
#[inline(never)]
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

#[inline(never)]
fn run_plan(catalog: &Catalog, prepared: &PreparedQuery, iters: usize) {
    let dialect = PostgresDialect::new(15).expect("PostgreSQL 15 dialect");
    let options = ExplainOptions::default();
    for _ in 0..iters {
        let planned = fdw_planner::plan_query::plan_query(catalog, &dialect, black_box(prepared))
            .expect("plans");
        black_box(explain(catalog, &dialect, &planned, options).expect("explains"));
    }
}

#[inline(never)]
fn run_plan_only(catalog: &Catalog, prepared: &PreparedQuery, iters: usize) {
    let dialect = PostgresDialect::new(15).expect("PostgreSQL 15 dialect");
    for _ in 0..iters {
        black_box(
            fdw_planner::plan_query::plan_query(catalog, &dialect, black_box(prepared))
                .expect("plans"),
        );
    }
}

#[inline(never)]
fn run_analyze(catalog: &Catalog, sql: &str, iters: usize) {
    for _ in 0..iters {
        black_box(fdw_sql::prepare_query(catalog, black_box(sql), &[]).expect("prepares"));
    }
}

fn dump(catalog: &Catalog, sql: &str) {
    let dialect = PostgresDialect::new(15).expect("PostgreSQL 15 dialect");
    let prepared = fdw_sql::prepare_query(catalog, sql, &[]).expect("prepares");
    let planned = fdw_planner::plan_query::plan_query(catalog, &dialect, &prepared).expect("plans");
    let options = ExplainOptions {
        why: true,
        costs: true,
    };
    let explained = explain(catalog, &dialect, &planned, options).expect("explains");
    println!(
        "{planned:#?}\n{}\n{:#?}",
        explained.text, explained.foreign_nodes
    );
}
