//! Planning benchmarks against PostgreSQL 15's own planner.
//!
//! Two queries over foreign tables, each measured in three stages:
//!
//! 1. `analyze`: `fdw_sql::prepare_query` from the query text (parse,
//!    analyze, folding, outer-join reduction, qual placement);
//! 2. `plan_deparse`: `fdw_planner::plan_query::plan_query` from the
//!    already prepared tree: the plan, its estimates and the remote SQL of
//!    every scan (what PostgreSQL's `Planning Time` covers);
//! 3. `plan_deparse_explain`: stage 2 plus `fdw_planner::render::explain`
//!    (the EXPLAIN text, which PostgreSQL prints after its planning time);
//! 4. `whole`: query text to the EXPLAIN text.
//!
//! In the same run, PostgreSQL 15 plans the same queries through
//! postgres_fdw (`use_remote_estimate` off) on a throwaway cluster of the
//! test kit: `EXPLAIN (SUMMARY ON, COSTS OFF)` is run [`PG_WARMUP`] +
//! [`PG_MEASURED`] times in ONE psql session (warm caches) and the median
//! and mean of the measured `Planning Time:` lines are reported. PostgreSQL's
//! `Planning Time` covers the planner only (not parse, analyze or rewrite),
//! so it is compared with stage 2 (goal: ours at least 5 times faster; stage
//! 3 is reported beside it) and, as an upper bound, with stage 4 (goal: not
//! slower).
//!
//! Stages 2 and 3 free their results outside the timed region (see
//! [`time_keeping_results`]); the benchmark runs on mimalloc, the `fdw`
//! binary's allocator, and the release profile's fat LTO.
//!
//! The three foreign tables live on three servers so that PostgreSQL cannot
//! push the join down either: both sides plan three scans and a local join.
//!
//! Then, because this VM's speed drifts within minutes, a paired
//! comparison measures both sides back to back: in each of
//! [`PAIRED_ROUNDS`] rounds per query, PostgreSQL (a new session:
//! [`PAIRED_PG_WARMUP`] warm-ups, [`PAIRED_PG_MEASURED`] measured) and our
//! `plan_deparse` and `whole` stages ([`PAIRED_OURS_BATCHES`] timed
//! batches each), in alternating order; the ratio is taken per round and
//! its median over the rounds is reported with every round's figures.
//!
//! The comparison table is printed to stderr at the end and written to
//! `<target>/criterion/plan_vs_pg15.txt`. Without a PostgreSQL 15 install
//! the PostgreSQL half is reported as unavailable and only our figures are
//! printed.

#![allow(
    missing_docs,
    reason = "criterion_group! generates undocumented functions"
)]
#![allow(
    clippy::expect_used,
    reason = "a benchmark whose fixture does not load has nothing to measure"
)]
#![allow(
    clippy::print_stderr,
    reason = "the comparison with PostgreSQL is the benchmark's report"
)]

use std::cell::RefCell;
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::{Duration, Instant};

use criterion::Criterion;
use fdw_deparse::PostgresDialect;
use fdw_planner::render::{explain, ExplainOptions};
use fdw_testkit::psql::Step;
use fdw_testkit::Oracle;

// The allocator the `fdw` binary uses (fdw-cli's main.rs), so that the
// figures are the product's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `EXPLAIN`s run before measuring, to warm PostgreSQL's caches.
const PG_WARMUP: usize = 200;
/// `EXPLAIN`s whose planning time is measured.
const PG_MEASURED: usize = 1_000;
/// Criterion samples per benchmark (kept small: the whole run stays quick).
const SAMPLE_SIZE: usize = 30;

use fdw_benches::fixtures::{
    catalog, foreign_tables, REMOTE_SCHEMA, SINGLE_TABLE, THREE_TABLE_JOIN,
};

const QUERIES: [(&str, &str); 2] = [
    ("single_table_10_conditions", SINGLE_TABLE),
    ("join_3_foreign_tables", THREE_TABLE_JOIN),
];

const STAGES: [&str; 4] = ["analyze", "plan_deparse", "plan_deparse_explain", "whole"];

/// Per-iteration times of criterion's measurement samples, recorded by
/// `iter_custom` so that the ratios use the figures criterion reports.
type Samples = Rc<RefCell<Vec<(u64, Duration)>>>;

/// Median per-iteration time (in µs) of the last [`SAMPLE_SIZE`] samples
/// (the earlier ones are criterion's warm-up calls).
fn median_us(samples: &Samples) -> f64 {
    let samples = samples.borrow();
    let start = samples.len().saturating_sub(SAMPLE_SIZE);
    let mut per_iter: Vec<f64> = samples
        .iter()
        .skip(start)
        .filter(|(iters, _)| *iters > 0)
        .map(|(iters, elapsed)| elapsed.as_secs_f64() * 1e6 / *iters as f64)
        .collect();
    median(&mut per_iter)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values.get(n / 2).copied().unwrap_or(f64::NAN),
        n => {
            let lo = values.get(n / 2 - 1).copied().unwrap_or(f64::NAN);
            let hi = values.get(n / 2).copied().unwrap_or(f64::NAN);
            (lo + hi) / 2.0
        }
    }
}

/// Results kept alive per timed batch by [`time_keeping_results`]: enough
/// to make the clock's reads negligible, few enough that freeing them lets
/// the allocator reuse the same memory for the next batch (an unbounded
/// list would time the page faults of fresh memory instead).
const RESULT_BATCH: u64 = 64;

/// Runs `f` `iters` times and returns the time spent in `f` alone: results
/// are freed between timed batches, never inside one.
fn time_keeping_results<T>(iters: u64, mut f: impl FnMut() -> T) -> Duration {
    let mut results = Vec::with_capacity(RESULT_BATCH as usize);
    let mut elapsed = Duration::ZERO;
    let mut left = iters;
    while left > 0 {
        let batch = left.min(RESULT_BATCH);
        let start = Instant::now();
        for _ in 0..batch {
            results.push(black_box(f()));
        }
        elapsed += start.elapsed();
        results.clear();
        left -= batch;
    }
    elapsed
}

/// Runs the three stages of every query under criterion and returns, per
/// query, the median µs of each stage.
fn bench_ours(c: &mut Criterion) -> Vec<[f64; 4]> {
    let catalog = catalog();
    let dialect = PostgresDialect::new(15).expect("PostgreSQL 15 dialect");
    let options = ExplainOptions::default();
    let mut figures = Vec::new();
    for (name, sql) in QUERIES {
        // Fail before measuring if a stage does not work on the query.
        let prepared = fdw_sql::prepare_query(&catalog, sql, &[]).expect("prepares");
        let planned =
            fdw_planner::plan_query::plan_query(&catalog, &dialect, &prepared).expect("plans");
        let explained = explain(&catalog, &dialect, &planned, options).expect("explains");
        eprintln!("fdw explain of {name}:\n{}", explained.text);

        let samples: [Samples; 4] = Default::default();
        let mut group = c.benchmark_group(format!("plan_{name}"));
        let [s_analyze, s_plan, s_explain, s_whole] = &samples;
        group.bench_function(STAGES[0], |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                for _ in 0..iters {
                    black_box(
                        fdw_sql::prepare_query(&catalog, black_box(sql), &[]).expect("prepares"),
                    );
                }
                let elapsed = start.elapsed();
                s_analyze.borrow_mut().push((iters, elapsed));
                elapsed
            })
        });
        // Stages 2 and 3 keep their results until the clock has stopped:
        // PostgreSQL's `Planning Time` ends when the planner returns its
        // plan, whose memory is released later with its memory context, so
        // freeing our plan is not part of the comparison. What our planner
        // frees while it works is still timed, though PostgreSQL frees its
        // own garbage later with the context. The `whole` stage times every
        // free.
        group.bench_function(STAGES[1], |b| {
            b.iter_custom(|iters| {
                let elapsed = time_keeping_results(iters, || {
                    fdw_planner::plan_query::plan_query(&catalog, &dialect, black_box(&prepared))
                        .expect("plans")
                });
                s_plan.borrow_mut().push((iters, elapsed));
                elapsed
            })
        });
        group.bench_function(STAGES[2], |b| {
            b.iter_custom(|iters| {
                let elapsed = time_keeping_results(iters, || {
                    let planned = fdw_planner::plan_query::plan_query(
                        &catalog,
                        &dialect,
                        black_box(&prepared),
                    )
                    .expect("plans");
                    let text = explain(&catalog, &dialect, &planned, options).expect("explains");
                    (planned, text)
                });
                s_explain.borrow_mut().push((iters, elapsed));
                elapsed
            })
        });
        group.bench_function(STAGES[3], |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                for _ in 0..iters {
                    let prepared =
                        fdw_sql::prepare_query(&catalog, black_box(sql), &[]).expect("prepares");
                    let planned =
                        fdw_planner::plan_query::plan_query(&catalog, &dialect, &prepared)
                            .expect("plans");
                    black_box(explain(&catalog, &dialect, &planned, options).expect("explains"));
                }
                let elapsed = start.elapsed();
                s_whole.borrow_mut().push((iters, elapsed));
                elapsed
            })
        });
        // Where the analyze stage's time goes: the parser alone, and the
        // parser plus analysis (the rest of `prepare_query` is folding,
        // outer-join reduction and qual placement).
        group.bench_function("analyze_part_parse", |b| {
            b.iter(|| fdw_sql::parse::parse_one(black_box(sql)).expect("parses"))
        });
        group.bench_function("analyze_part_parse_analyze", |b| {
            b.iter(|| {
                let statement = fdw_sql::parse::parse_one(black_box(sql)).expect("parses");
                fdw_sql::analyze::analyze(&catalog, &statement, &[]).expect("analyzes")
            })
        });
        group.finish();
        figures.push([
            median_us(s_analyze),
            median_us(s_plan),
            median_us(s_explain),
            median_us(s_whole),
        ]);
    }
    figures
}

/// PostgreSQL 15's planning time of one query: median and mean in µs, and
/// the number of measured `EXPLAIN`s.
#[derive(Debug, Clone, Copy)]
struct PgFigure {
    median_us: f64,
    mean_us: f64,
    n: usize,
}

/// A PostgreSQL 15 cluster of the test kit with the benchmark's tables:
/// `loopback` exists already; two more servers on the same remote database
/// keep the join local (postgres_fdw joins only within a server).
fn pg_setup() -> anyhow::Result<Oracle> {
    let oracle = Oracle::new(15)?;
    oracle.exec_remote(REMOTE_SCHEMA)?;
    for server in ["loopback2", "loopback3"] {
        oracle.create_server(server, &[("use_remote_estimate", "false")])?;
    }
    oracle.exec_local("ALTER SERVER loopback OPTIONS (ADD use_remote_estimate 'false')")?;
    oracle.exec_local(&foreign_tables("loopback", "loopback2", "loopback3"))?;
    Ok(oracle)
}

/// Runs `EXPLAIN (SUMMARY ON, COSTS OFF) sql` `warmup + measured` times in
/// one new session and returns the `Planning Time` of the measured ones, in
/// µs.
fn pg_planning_times(
    oracle: &Oracle,
    name: &str,
    sql: &str,
    warmup: usize,
    measured: usize,
) -> anyhow::Result<Vec<f64>> {
    let explain = format!("EXPLAIN (SUMMARY ON, COSTS OFF) {sql}");
    let steps: Vec<Step> = (0..warmup + measured)
        .map(|_| Step::Sql(explain.clone()))
        .collect();
    let outcomes = oracle.cluster().run(oracle.local_db(), &steps)?;
    let mut times = Vec::with_capacity(measured);
    for outcome in outcomes.into_iter().skip(warmup) {
        let table = outcome.map_err(|err| anyhow::anyhow!("{name}: {err}"))?;
        let ms = table
            .rows
            .iter()
            .filter_map(|row| row.first().cloned().flatten())
            .find_map(|line| {
                line.trim()
                    .strip_prefix("Planning Time:")
                    .and_then(|rest| rest.trim().strip_suffix("ms"))
                    .and_then(|ms| ms.trim().parse::<f64>().ok())
            })
            .ok_or_else(|| anyhow::anyhow!("{name}: no Planning Time line"))?;
        times.push(ms * 1000.0);
    }
    Ok(times)
}

/// Plans every query [`PG_WARMUP`] + [`PG_MEASURED`] times in one session
/// of PostgreSQL 15 and returns the planning-time figures per query, with
/// PostgreSQL's `EXPLAIN (VERBOSE, COSTS OFF)` of each.
fn pg_planning(oracle: &Oracle) -> anyhow::Result<Vec<(PgFigure, String)>> {
    let mut out = Vec::new();
    for (name, sql) in QUERIES {
        let verbose = oracle.cluster().query(
            oracle.local_db(),
            &format!("EXPLAIN (VERBOSE, COSTS OFF) {sql}"),
        )?;
        let verbose_text: String = verbose
            .rows
            .iter()
            .filter_map(|row| row.first().cloned().flatten())
            .fold(String::new(), |mut text, line| {
                let _ = writeln!(text, "{line}");
                text
            });
        let mut times = pg_planning_times(oracle, name, sql, PG_WARMUP, PG_MEASURED)?;
        let n = times.len();
        let mean_us = times.iter().sum::<f64>() / n.max(1) as f64;
        let median_us = median(&mut times);
        out.push((
            PgFigure {
                median_us,
                mean_us,
                n,
            },
            verbose_text,
        ));
    }
    Ok(out)
}

/// Rounds of the paired comparison, per query.
const PAIRED_ROUNDS: usize = 12;
/// `EXPLAIN`s per round before PostgreSQL's measured ones (each round is a
/// new session, whose caches start cold).
const PAIRED_PG_WARMUP: usize = 100;
/// PostgreSQL's measured `EXPLAIN`s per round.
const PAIRED_PG_MEASURED: usize = 300;
/// Our timed batches (of [`RESULT_BATCH`] plans) per stage and round.
const PAIRED_OURS_BATCHES: usize = 30;

/// The median over [`PAIRED_OURS_BATCHES`] timed batches of `stage`'s
/// time per run, in µs (results freed between batches, as in criterion's
/// stages).
fn batch_median<T>(mut stage: impl FnMut() -> T) -> f64 {
    let mut per_iter: Vec<f64> = (0..PAIRED_OURS_BATCHES)
        .map(|_| {
            let elapsed = time_keeping_results(RESULT_BATCH, &mut stage);
            elapsed.as_secs_f64() * 1e6 / RESULT_BATCH as f64
        })
        .collect();
    median(&mut per_iter)
}

/// One round of the paired comparison: medians in µs.
#[derive(Debug, Clone, Copy)]
struct PairedRound {
    pg: f64,
    plan: f64,
    whole: f64,
}

/// The paired comparison. This VM's speed drifts by up to half within
/// minutes, and criterion measures our stages minutes after PostgreSQL
/// was measured, so a ratio of the two can compare a fast stretch with a
/// slow one. Here each round measures PostgreSQL (a new session: warm-ups,
/// then measured `EXPLAIN`s) and our `plan_deparse` and `whole` stages
/// back to back, within about a second, and the ratio is taken per round;
/// the order alternates between rounds so that a steady drift favours
/// neither side.
fn paired_rounds(oracle: &Oracle) -> anyhow::Result<Vec<Vec<PairedRound>>> {
    let catalog = catalog();
    let dialect = PostgresDialect::new(15)?;
    let options = ExplainOptions::default();
    let mut out = Vec::new();
    for (name, sql) in QUERIES {
        let prepared = fdw_sql::prepare_query(&catalog, sql, &[])?;
        let plan_stage = || {
            fdw_planner::plan_query::plan_query(&catalog, &dialect, black_box(&prepared))
                .expect("plans")
        };
        // As criterion's `whole` stage: everything is freed inside the
        // timed region.
        let whole_stage = || {
            let prepared = fdw_sql::prepare_query(&catalog, black_box(sql), &[]).expect("prepares");
            let planned =
                fdw_planner::plan_query::plan_query(&catalog, &dialect, &prepared).expect("plans");
            black_box(explain(&catalog, &dialect, &planned, options).expect("explains"));
        };
        let mut rounds = Vec::with_capacity(PAIRED_ROUNDS);
        for round in 0..PAIRED_ROUNDS {
            let pg_first = round % 2 == 0;
            let mut ours = (0.0, 0.0);
            if !pg_first {
                ours = (batch_median(plan_stage), batch_median(whole_stage));
            }
            let mut pg_times =
                pg_planning_times(oracle, name, sql, PAIRED_PG_WARMUP, PAIRED_PG_MEASURED)?;
            if pg_first {
                ours = (batch_median(plan_stage), batch_median(whole_stage));
            }
            rounds.push(PairedRound {
                pg: median(&mut pg_times),
                plan: ours.0,
                whole: ours.1,
            });
        }
        out.push(rounds);
    }
    Ok(out)
}

fn report_path() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target")),
        PathBuf::from,
    );
    target.join("criterion").join("plan_vs_pg15.txt")
}

fn report(
    ours: &[[f64; 4]],
    pg: &anyhow::Result<Vec<(PgFigure, String)>>,
    paired: &anyhow::Result<Vec<Vec<PairedRound>>>,
) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "ours (criterion median, µs) vs PostgreSQL 15 planning time through postgres_fdw \
         (one session, {PG_WARMUP} warm-ups, {PG_MEASURED} measured)"
    );
    for (idx, (name, _)) in QUERIES.iter().enumerate() {
        let Some([analyze, plan, plan_explain, whole]) = ours.get(idx).copied() else {
            continue;
        };
        let _ = writeln!(text, "{name}:");
        let _ = writeln!(
            text,
            "  ours: analyze {analyze:.1} µs, plan+deparse {plan:.1} µs, \
             plan+deparse+EXPLAIN text {plan_explain:.1} µs, whole {whole:.1} µs"
        );
        match pg {
            Ok(figures) => {
                if let Some((figure, _)) = figures.get(idx) {
                    let _ = writeln!(
                        text,
                        "  PostgreSQL 15 planning: median {:.1} µs, mean {:.1} µs (n = {})",
                        figure.median_us, figure.mean_us, figure.n
                    );
                    let _ = writeln!(
                        text,
                        "  PG median / ours plan+deparse = {:.2}x (goal >= 5x; {:.2}x with \
                         the EXPLAIN text); PG median / ours whole = {:.2}x (goal >= 1x)",
                        figure.median_us / plan,
                        figure.median_us / plan_explain,
                        figure.median_us / whole
                    );
                }
            }
            Err(err) => {
                let _ = writeln!(text, "  PostgreSQL 15 unavailable: {err:#}");
            }
        }
        if let Some(rounds) = paired.as_ref().ok().and_then(|all| all.get(idx)) {
            report_paired(&mut text, rounds);
        }
    }
    if let Err(err) = paired {
        let _ = writeln!(text, "paired rounds unavailable: {err:#}");
    }
    text
}

/// The paired comparison's lines for one query: the median ratio over the
/// rounds and every round's figures.
fn report_paired(text: &mut String, rounds: &[PairedRound]) {
    let mut plan_ratios: Vec<f64> = rounds.iter().map(|r| r.pg / r.plan).collect();
    let mut whole_ratios: Vec<f64> = rounds.iter().map(|r| r.pg / r.whole).collect();
    let range = |values: &[f64]| {
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lo, hi)
    };
    let (plan_lo, plan_hi) = range(&plan_ratios);
    let (whole_lo, whole_hi) = range(&whole_ratios);
    let _ = writeln!(
        text,
        "  paired rounds ({} rounds; each: PostgreSQL {PAIRED_PG_WARMUP} warm-ups + \
         {PAIRED_PG_MEASURED} measured in a new session, ours {PAIRED_OURS_BATCHES} batches \
         of {RESULT_BATCH}, back to back): PG / ours plan+deparse median {:.2}x \
         ({plan_lo:.2}-{plan_hi:.2}), PG / ours whole median {:.2}x ({whole_lo:.2}-{whole_hi:.2})",
        rounds.len(),
        median(&mut plan_ratios),
        median(&mut whole_ratios),
    );
    for round in rounds {
        let _ = writeln!(
            text,
            "    PG {:.1} µs, ours plan+deparse {:.1} µs ({:.2}x), whole {:.1} µs ({:.2}x)",
            round.pg,
            round.plan,
            round.pg / round.plan,
            round.whole,
            round.pg / round.whole
        );
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not and
    // runs each benchmark once as a smoke test, where figures mean nothing
    // and starting PostgreSQL would only cost time.
    let measuring = std::env::args().any(|arg| arg == "--bench");
    // PostgreSQL first: its cluster is idle (and off the CPU) while
    // criterion measures.
    let oracle = if measuring {
        pg_setup()
    } else {
        Err(anyhow::anyhow!("not measured outside `cargo bench`"))
    };
    let pg = match &oracle {
        Ok(oracle) => pg_planning(oracle),
        Err(err) => Err(anyhow::anyhow!("{err:#}")),
    };
    if let Ok(figures) = &pg {
        for ((name, _), (_, text)) in QUERIES.iter().zip(figures) {
            eprintln!("PostgreSQL 15 EXPLAIN (VERBOSE, COSTS OFF) of {name}:\n{text}");
        }
    }
    let mut criterion = Criterion::default()
        .sample_size(SAMPLE_SIZE)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let ours = bench_ours(&mut criterion);
    criterion.final_summary();
    if measuring {
        let paired = match &oracle {
            Ok(oracle) => paired_rounds(oracle),
            Err(err) => Err(anyhow::anyhow!("{err:#}")),
        };
        let text = report(&ours, &pg, &paired);
        eprintln!("\n{text}");
        let path = report_path();
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        match std::fs::write(&path, &text) {
            Ok(()) => eprintln!("written to {}", path.display()),
            Err(err) => eprintln!("cannot write {}: {err}", path.display()),
        }
    }
}
