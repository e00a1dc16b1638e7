//! The local nodes PostgreSQL 15 puts above or beside scans, costed as
//! `costsize.c`, `pathnode.c` and `selfuncs.c` do: sequential scans of
//! local tables (`cost_seqscan` over `table_block_relation_estimate_size`),
//! sorts (`cost_sort` with its bounded and external cases), `LIMIT`
//! (`adjust_limit_rows_costs`), aggregation (`cost_agg`, `cost_group`,
//! the transition and final function costs of `get_agg_clause_costs`)
//! and the group count (`estimate_num_groups`).
//!
//! Numbers in, numbers out: the caller reads the catalog and statistics.
//! Cases whose formulas are not reproduced here (hash aggregation that
//! spills to disk) answer an error rather than a guess.

use crate::error::{Error, Result};
use crate::params::{clamp_row_est, CostParams, BLCKSZ, DISABLE_COST, HEAP_TUPLE_HEADER};
use crate::qual::QualCost;

/// `DEFAULT_NUM_DISTINCT`: the distinct-value guess without statistics.
pub const DEFAULT_NUM_DISTINCT: f64 = 200.0;

/// `SizeOfPageHeaderData`: the bytes of a heap page's header.
const PAGE_HEADER: i32 = 24;
/// `sizeof(ItemIdData)`: a heap tuple's line pointer.
const ITEM_ID: i32 = 4;

/// An estimate as a path carries it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UpperPath {
    /// Startup cost.
    pub startup: f64,
    /// Total cost.
    pub total: f64,
    /// Rows.
    pub rows: f64,
    /// Width of its target list.
    pub width: i32,
}

/// `LOG2` of `costsize.c`: it divides by a truncated ln 2, and the printed
/// cents follow that constant rather than the exact one.
pub fn log2(x: f64) -> f64 {
    #[allow(clippy::approx_constant)]
    let ln2 = 0.693_147_180_559_945;
    x.ln() / ln2
}

/// `MAXALIGN` on a 64-bit build.
fn maxalign(len: i64) -> i64 {
    (len + 7) & !7
}

/// `relation_byte_size`: the bytes `tuples` rows of `width` take in
/// memory, each with a heap tuple header.
pub fn relation_byte_size(tuples: f64, width: i32) -> f64 {
    tuples * (maxalign(i64::from(width)) + i64::from(HEAP_TUPLE_HEADER)) as f64
}

/// A local heap table's size as the planner estimates it
/// (`table_block_relation_estimate_size`), taking the table's current
/// length in blocks to be what `pg_class` recorded: `(pages, tuples)`.
///
/// # Errors
///
/// A table never vacuumed or analyzed (`reltuples < 0`): PostgreSQL then
/// reads the file's current length, which no catalog snapshot records.
pub fn local_table_size(relpages: i32, reltuples: f64) -> Result<(f64, f64)> {
    if reltuples < 0.0 {
        return Err(Error::Unsupported(
            "the size of a local table never analyzed (PostgreSQL reads its current length on disk)"
                .into(),
        ));
    }
    let pages = f64::from(relpages.max(0));
    if pages == 0.0 {
        return Ok((0.0, 0.0));
    }
    let density = reltuples / pages;
    Ok((pages, (density * pages).round_ties_even()))
}

/// `table_block_relation_estimate_size`'s density of a table never
/// analyzed, for reference: rows per page for a data width of `width`.
pub fn unanalyzed_density(width: i32) -> f64 {
    let usable = BLCKSZ as i32 - PAGE_HEADER;
    f64::from(usable / (width + HEAP_TUPLE_HEADER + ITEM_ID).max(1))
}

/// `cost_seqscan` of a base relation of `pages` pages and `tuples` rows
/// returning `rows`, with its restriction clauses' cost and the cost of
/// the target list it computes: `(startup, total)`.
pub fn seqscan_cost(
    params: &CostParams,
    pages: f64,
    tuples: f64,
    rows: f64,
    restrict: QualCost,
    target: QualCost,
) -> (f64, f64) {
    let disk_run = params.seq_page_cost * pages;
    let mut startup = restrict.startup;
    let cpu_per_tuple = params.cpu_tuple_cost + restrict.per_tuple;
    let mut cpu_run = cpu_per_tuple * tuples;
    startup += target.startup;
    cpu_run += target.per_tuple * rows;
    (startup, startup + cpu_run + disk_run)
}

/// `tuplesort_merge_order` for `allowed` bytes of memory.
fn merge_order(allowed: i64) -> f64 {
    let block = BLCKSZ as i64;
    let order = allowed / (2 * block + block * 32);
    order.clamp(6, 500) as f64
}

/// `cost_tuplesort`: `(startup, run)` of sorting `tuples` rows of `width`
/// with `comparison_cost` per comparison beyond the default, in `work_mem`
/// kilobytes, keeping the first `limit_tuples` (bounded sort) when
/// positive.
pub fn tuplesort_cost(
    params: &CostParams,
    tuples: f64,
    width: i32,
    comparison_cost: f64,
    work_mem_kb: i32,
    limit_tuples: f64,
) -> (f64, f64) {
    let input_bytes = relation_byte_size(tuples, width);
    let sort_mem_bytes = i64::from(work_mem_kb) * 1024;
    let sort_mem = sort_mem_bytes as f64;
    let tuples = tuples.max(2.0);
    let comparison_cost = comparison_cost + 2.0 * params.cpu_operator_cost;
    let (output_tuples, output_bytes) = if limit_tuples > 0.0 && limit_tuples < tuples {
        (limit_tuples, relation_byte_size(limit_tuples, width))
    } else {
        (tuples, input_bytes)
    };
    let startup = if output_bytes > sort_mem {
        // External merge sort of every row.
        let npages = (input_bytes / BLCKSZ).ceil();
        let nruns = input_bytes / sort_mem;
        let order = merge_order(sort_mem_bytes);
        let log_runs = if nruns > order {
            (nruns.ln() / order.ln()).ceil()
        } else {
            1.0
        };
        let page_accesses = 2.0 * npages * log_runs;
        comparison_cost * tuples * log2(tuples)
            + page_accesses * (params.seq_page_cost * 0.75 + params.random_page_cost * 0.25)
    } else if tuples > 2.0 * output_tuples || input_bytes > sort_mem {
        // Bounded heap sort.
        comparison_cost * tuples * log2(2.0 * output_tuples)
    } else {
        comparison_cost * tuples * log2(tuples)
    };
    (startup, params.cpu_operator_cost * tuples)
}

/// `create_sort_path` / `cost_sort` over `input` (no extra comparison
/// cost), bounded by `limit_tuples` when positive; `enable_sort` off adds
/// `disable_cost`.
pub fn sort_path(
    params: &CostParams,
    enable_sort: bool,
    input: &UpperPath,
    limit_tuples: f64,
) -> UpperPath {
    let (mut startup, run) = tuplesort_cost(
        params,
        input.rows,
        input.width,
        0.0,
        params.work_mem_kb,
        limit_tuples,
    );
    if !enable_sort {
        startup += DISABLE_COST;
    }
    startup += input.total;
    UpperPath {
        startup,
        total: startup + run,
        rows: input.rows,
        width: input.width,
    }
}

/// `create_incremental_sort_path` / `cost_incremental_sort` over `input`
/// already sorted by a leading part of the keys: the rest is sorted one
/// group of equal presorted keys at a time. `input_groups` is
/// `estimate_num_groups` of the presorted keys' expressions over the
/// input's rows (at least 2). Neither `enable_sort` nor anything else
/// adds `disable_cost` here (the caller skips it when
/// `enable_incremental_sort` is off).
pub fn incremental_sort_path(
    params: &CostParams,
    input: &UpperPath,
    input_groups: f64,
    limit_tuples: f64,
) -> UpperPath {
    let input_tuples = input.rows.max(2.0);
    let input_run = input.total - input.startup;
    let group_tuples = input_tuples / input_groups;
    let group_input_run = input_run / input_groups;
    // PostgreSQL 15 is pessimistic about the group sizes: half again as
    // many rows per group.
    let (group_startup, group_run) = tuplesort_cost(
        params,
        1.5 * group_tuples,
        input.width,
        0.0,
        params.work_mem_kb,
        limit_tuples,
    );
    let startup = group_startup + input.startup + group_input_run;
    let mut run = group_run
        + (group_run + group_startup) * (input_groups - 1.0)
        + group_input_run * (input_groups - 1.0);
    // Detecting the groups: one copy and comparison per row; and a reset
    // per group.
    run += params.cpu_tuple_cost * input_tuples;
    run += 2.0 * params.cpu_tuple_cost * input_groups;
    UpperPath {
        startup,
        total: startup + run,
        rows: input_tuples,
        width: input.width,
    }
}

/// `preprocess_limit`'s estimate of a `LIMIT` or `OFFSET` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitValue {
    /// No clause, or a `NULL` constant (no limit / no offset).
    Absent,
    /// A constant (already clamped as PostgreSQL does: a count of at
    /// least 1, an offset of at least 0).
    Const(i64),
    /// Not a constant at planning time (a parameter, an expression).
    Unknown,
}

impl LimitValue {
    /// A `LIMIT` constant as `preprocess_limit` reads it (`None`: NULL).
    pub fn count(value: Option<i64>) -> LimitValue {
        match value {
            None => LimitValue::Absent,
            Some(n) => LimitValue::Const(n.max(1)),
        }
    }

    /// An `OFFSET` constant as `preprocess_limit` reads it (`None`: NULL).
    pub fn offset(value: Option<i64>) -> LimitValue {
        match value {
            None | Some(0) => LimitValue::Absent,
            Some(n) if n < 0 => LimitValue::Absent,
            Some(n) => LimitValue::Const(n),
        }
    }

    /// `count_est` / `offset_est`: 0 absent, -1 unknown.
    pub fn estimate(self) -> f64 {
        match self {
            LimitValue::Absent => 0.0,
            LimitValue::Const(n) => n as f64,
            LimitValue::Unknown => -1.0,
        }
    }
}

/// `limit_tuples` of `grouping_planner`: `count + offset` when both are
/// known and the count is given, else -1 (no bound for sorts).
pub fn limit_tuples(count: LimitValue, offset: LimitValue) -> f64 {
    let count_est = count.estimate();
    let offset_est = offset.estimate();
    if count_est > 0.0 && offset_est >= 0.0 {
        count_est + offset_est
    } else {
        -1.0
    }
}

/// `create_limit_path`: the input's estimate after
/// `adjust_limit_rows_costs`.
pub fn limit_path(input: &UpperPath, count: LimitValue, offset: LimitValue) -> UpperPath {
    let mut rows = input.rows;
    let mut startup = input.startup;
    let mut total = input.total;
    crate::path::adjust_limit_rows_costs(
        &mut rows,
        &mut startup,
        &mut total,
        &crate::path::LimitEstimate {
            count_est: count.estimate(),
            offset_est: offset.estimate(),
            limit_tuples: limit_tuples(count, offset),
        },
    );
    UpperPath {
        startup,
        total,
        rows,
        width: input.width,
    }
}

/// `AggClauseCosts`: what the query's aggregates cost.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct AggCosts {
    /// Transition functions and their argument expressions, per input row.
    pub trans: QualCost,
    /// Final functions, per group.
    pub finalize: QualCost,
    /// Bytes of pass-by-reference transition states per group.
    pub transition_space: f64,
    /// Distinct transition states (`list_length(root->aggtransinfos)`).
    pub num_trans: usize,
}

/// How an aggregation node groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggKind {
    /// One group (`AGG_PLAIN`).
    Plain,
    /// Over input sorted by the grouping columns (`AGG_SORTED`).
    Sorted,
    /// By a hash table (`AGG_HASHED`).
    Hashed,
}

/// A `HAVING` list as `cost_agg` charges it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HavingQual {
    /// `cost_qual_eval` of the list.
    pub cost: QualCost,
    /// Its `clauselist_selectivity`.
    pub selectivity: f64,
}

/// What `cost_agg` reads besides the input path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AggInput {
    /// The strategy.
    pub kind: AggKind,
    /// The aggregates' costs (zero for a `DISTINCT` done by hashing).
    pub costs: AggCosts,
    /// Grouping columns.
    pub num_group_cols: usize,
    /// `estimate_num_groups`.
    pub num_groups: f64,
    /// `HAVING`, if any.
    pub having: Option<HavingQual>,
    /// The cost of the node's own target list.
    pub target: QualCost,
    /// The width of the node's target list.
    pub width: i32,
    /// `hash_mem_multiplier`.
    pub hash_mem_multiplier: f64,
    /// `enable_hashagg`.
    pub enable_hashagg: bool,
}

/// `hash_agg_entry_size`: the bytes of one group's hash table entry.
pub fn hash_agg_entry_size(num_trans: usize, input_width: i32, transition_space: f64) -> f64 {
    const TUPLE_HASH_ENTRY: f64 = 24.0;
    const MINIMAL_TUPLE_HEADER: f64 = 16.0;
    const CHUNK_HEADER: f64 = 16.0;
    const PER_GROUP_STATE: f64 = 16.0;
    let tuple_chunk = CHUNK_HEADER + MINIMAL_TUPLE_HEADER + f64::from(input_width);
    let pergroup = num_trans as f64 * PER_GROUP_STATE;
    let pergroup_chunk = if pergroup > 0.0 {
        CHUNK_HEADER + pergroup
    } else {
        0.0
    };
    let transition_chunk = if transition_space > 0.0 {
        CHUNK_HEADER + transition_space
    } else {
        0.0
    };
    TUPLE_HASH_ENTRY + tuple_chunk + pergroup_chunk + transition_chunk
}

/// `HASHAGG_PARTITION_FACTOR`, the partition counts' bounds and the tape
/// buffer sizes of a spilling hash aggregation (nodeAgg.c).
const HASHAGG_PARTITION_FACTOR: f64 = 1.50;
const HASHAGG_MIN_PARTITIONS: f64 = 4.0;
const HASHAGG_MAX_PARTITIONS: f64 = 1024.0;
const HASHAGG_READ_BUFFER_SIZE: u64 = 8192;
const HASHAGG_WRITE_BUFFER_SIZE: u64 = 8192;

/// `get_hash_memory_limit`: `work_mem` times `hash_mem_multiplier`, in
/// whole bytes.
fn hash_memory_limit(params: &CostParams, hash_mem_multiplier: f64) -> u64 {
    let limit = f64::from(params.work_mem_kb) * hash_mem_multiplier * 1024.0;
    // A Size (size_t) in PostgreSQL: the fraction is dropped.
    limit.max(0.0) as u64
}

/// `hash_agg_set_limits` with no hash bits used yet: the memory for the
/// hash table, the groups it holds, and the spill partitions (0 when the
/// groups are expected to fit).
fn hash_agg_limits(hash_mem: u64, entry: f64, groups: f64) -> (u64, u64, u32) {
    let hash_mem_f = hash_mem as f64;
    if groups * entry <= hash_mem_f {
        return (hash_mem, (hash_mem_f / entry) as u64, 0);
    }
    // hash_choose_num_partitions: enough partitions for each to fit,
    // their open files within a quarter of hash_mem, a power of two.
    let partition_limit =
        (hash_mem_f * 0.25 - HASHAGG_READ_BUFFER_SIZE as f64) / HASHAGG_WRITE_BUFFER_SIZE as f64;
    let mut dpartitions = 1.0 + HASHAGG_PARTITION_FACTOR * groups * entry / hash_mem_f;
    if dpartitions > partition_limit {
        dpartitions = partition_limit;
    }
    let dpartitions = dpartitions.clamp(HASHAGG_MIN_PARTITIONS, HASHAGG_MAX_PARTITIONS);
    let npartitions = dpartitions as u32;
    // my_log2: ceil(log2(n)); far below the 32 hash bits.
    let bits = if npartitions <= 1 {
        0
    } else {
        32 - (npartitions - 1).leading_zeros()
    };
    let npartitions = 1u32 << bits;
    let partition_mem =
        HASHAGG_READ_BUFFER_SIZE + HASHAGG_WRITE_BUFFER_SIZE * u64::from(npartitions);
    let mem_limit = if hash_mem > 4 * partition_mem {
        hash_mem - partition_mem
    } else {
        (hash_mem_f * 0.75) as u64
    };
    let ngroups_limit = if mem_limit as f64 > entry {
        (mem_limit as f64 / entry) as u64
    } else {
        1
    };
    (mem_limit, ngroups_limit, npartitions)
}

/// `cost_agg`'s disk costs of a hash aggregation that spills: `(startup,
/// total)` additions, zero when every group fits in `hash_mem`.
fn hash_agg_spill_cost(
    params: &CostParams,
    hash_mem_multiplier: f64,
    entry: f64,
    groups: f64,
    input: &UpperPath,
) -> (f64, f64) {
    let hash_mem = hash_memory_limit(params, hash_mem_multiplier);
    let (mem_limit, ngroups_limit, partitions) = hash_agg_limits(hash_mem, entry, groups);
    let nbatches = (groups * entry / mem_limit as f64).max(groups / ngroups_limit as f64);
    let nbatches = nbatches.ceil().max(1.0);
    let partitions = f64::from(partitions.max(2));
    // An int in PostgreSQL: ceil of the recursion depth.
    let depth = (nbatches.ln() / partitions.ln()).ceil();
    // Each level writes and later reads every row; hash aggregation's
    // I/O is charged double.
    let pages = relation_byte_size(input.rows, input.width) / BLCKSZ;
    let pages_written = pages * depth * 2.0;
    let pages_read = pages * depth * 2.0;
    let spill_cpu = depth * input.rows * 2.0 * params.cpu_tuple_cost;
    let startup = pages_written * params.random_page_cost + spill_cpu;
    let total =
        pages_written * params.random_page_cost + pages_read * params.seq_page_cost + spill_cpu;
    (startup, total)
}

/// The spill partitions a hash aggregation over `input` plans at
/// execution (`ExecInitAgg`'s `hash_agg_set_limits` over the plan's whole
/// number of groups): what `EXPLAIN` prints as `Planned Partitions`, 0
/// when every group is expected to fit in `hash_mem`.
pub fn hash_agg_planned_partitions(params: &CostParams, agg: &AggInput, input: &UpperPath) -> u32 {
    let entry = hash_agg_entry_size(agg.costs.num_trans, input.width, agg.costs.transition_space);
    let hash_mem = hash_memory_limit(params, agg.hash_mem_multiplier);
    hash_agg_limits(hash_mem, entry, agg.num_groups.floor()).2
}

/// Whether a hash aggregation over `input` may spill at execution: its
/// groups fill at least half of `hash_mem` by the planner's entry size.
/// `ExecInitAgg` sizes the entries again for the partitions `EXPLAIN`
/// prints, and has been seen to plan fewer than this estimate gives
/// (4 where it gives 8), so near the limit the count is not trusted.
pub fn hash_agg_may_spill(params: &CostParams, agg: &AggInput, input: &UpperPath) -> bool {
    let entry = hash_agg_entry_size(agg.costs.num_trans, input.width, agg.costs.transition_space);
    let hash_mem = hash_memory_limit(params, agg.hash_mem_multiplier);
    agg.num_groups * entry * 2.0 > hash_mem as f64
}

/// `create_agg_path` (`cost_agg` plus the target list's cost) over
/// `input`.
///
/// # Errors
///
/// None at present; the `Result` is kept for estimates not modelled.
pub fn agg_path(params: &CostParams, agg: &AggInput, input: &UpperPath) -> Result<UpperPath> {
    let costs = &agg.costs;
    let input_rows = input.rows;
    let num_groups = agg.num_groups;
    let (mut startup, mut total, mut rows) = match agg.kind {
        AggKind::Plain => {
            let mut startup = input.total;
            startup += costs.trans.startup;
            startup += costs.trans.per_tuple * input_rows;
            startup += costs.finalize.startup;
            startup += costs.finalize.per_tuple;
            (startup, startup + params.cpu_tuple_cost, 1.0)
        }
        AggKind::Sorted => {
            let startup = input.startup;
            let mut total = input.total;
            total += costs.trans.startup;
            total += costs.trans.per_tuple * input_rows;
            total += (params.cpu_operator_cost * agg.num_group_cols as f64) * input_rows;
            total += costs.finalize.startup;
            total += costs.finalize.per_tuple * num_groups;
            total += params.cpu_tuple_cost * num_groups;
            (startup, total, num_groups)
        }
        AggKind::Hashed => {
            let mut startup = input.total;
            if !agg.enable_hashagg {
                startup += DISABLE_COST;
            }
            startup += costs.trans.startup;
            startup += costs.trans.per_tuple * input_rows;
            startup += (params.cpu_operator_cost * agg.num_group_cols as f64) * input_rows;
            startup += costs.finalize.startup;
            let mut total = startup;
            total += costs.finalize.per_tuple * num_groups;
            total += params.cpu_tuple_cost * num_groups;
            let entry = hash_agg_entry_size(costs.num_trans, input.width, costs.transition_space);
            let spill =
                hash_agg_spill_cost(params, agg.hash_mem_multiplier, entry, num_groups, input);
            (startup + spill.0, total + spill.1, num_groups)
        }
    };
    if let Some(having) = agg.having {
        startup += having.cost.startup;
        total += having.cost.startup + rows * having.cost.per_tuple;
        rows = clamp_row_est(rows * having.selectivity);
    }
    startup += agg.target.startup;
    total += agg.target.startup + agg.target.per_tuple * rows;
    Ok(UpperPath {
        startup,
        total,
        rows,
        width: agg.width,
    })
}

/// `create_group_path` (`cost_group` plus the target list's cost): a
/// `Group` node over sorted input.
pub fn group_path(
    params: &CostParams,
    num_group_cols: usize,
    num_groups: f64,
    having: Option<HavingQual>,
    target: QualCost,
    width: i32,
    input: &UpperPath,
) -> UpperPath {
    let mut rows = num_groups;
    let mut startup = input.startup;
    let mut total = input.total + params.cpu_operator_cost * input.rows * num_group_cols as f64;
    if let Some(having) = having {
        startup += having.cost.startup;
        total += having.cost.startup + rows * having.cost.per_tuple;
        rows = clamp_row_est(rows * having.selectivity);
    }
    startup += target.startup;
    total += target.startup + target.per_tuple * rows;
    UpperPath {
        startup,
        total,
        rows,
        width,
    }
}

/// `create_upper_unique_path`: a `Unique` node over input sorted by the
/// `num_cols` distinct columns, returning `num_groups` rows.
pub fn unique_path(
    params: &CostParams,
    num_cols: usize,
    num_groups: f64,
    input: &UpperPath,
) -> UpperPath {
    UpperPath {
        startup: input.startup,
        total: input.total + params.cpu_operator_cost * input.rows * num_cols as f64,
        rows: num_groups,
        width: input.width,
    }
}

/// What `get_variable_numdistinct` reads about one grouping variable.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VariableFacts {
    /// `stadistinct` and `stanullfrac` when the variable has statistics.
    pub stats: Option<(f64, f64)>,
    /// The variable's type is `boolean`.
    pub is_bool: bool,
    /// A system column's fixed answer: -1 for `ctid`, 1 for `tableoid`.
    pub system_distinct: Option<f64>,
    /// `rel->tuples` of its relation, `None` without one.
    pub rel_tuples: Option<f64>,
}

/// `get_variable_numdistinct`: (estimate, is the default guess). Unique
/// indexes are not in the catalog, so none is assumed.
pub fn variable_numdistinct(facts: &VariableFacts) -> (f64, bool) {
    let stadistinct = if let Some((distinct, _)) = facts.stats {
        distinct
    } else if facts.is_bool {
        2.0
    } else {
        facts.system_distinct.unwrap_or(0.0)
    };
    if stadistinct > 0.0 {
        return (clamp_row_est(stadistinct), false);
    }
    let Some(ntuples) = facts.rel_tuples.filter(|t| *t > 0.0) else {
        return (DEFAULT_NUM_DISTINCT, true);
    };
    if stadistinct < 0.0 {
        return (clamp_row_est(-stadistinct * ntuples), false);
    }
    if ntuples < DEFAULT_NUM_DISTINCT {
        return (clamp_row_est(ntuples), false);
    }
    (DEFAULT_NUM_DISTINCT, true)
}

/// One grouping variable of `estimate_num_groups` after duplicates were
/// dropped: its relation (`rel`, an index into the relations' sizes) and
/// its distinct count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupVar {
    /// The relation it belongs to.
    pub rel: usize,
    /// `get_variable_numdistinct`.
    pub ndistinct: f64,
}

/// A relation's `(tuples, rows)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupRel {
    /// `rel->tuples`.
    pub tuples: f64,
    /// `rel->rows`.
    pub rows: f64,
}

/// `estimate_num_groups` once the grouping expressions were reduced to
/// variables: `bool_items` boolean expressions (2 groups each), `vars`
/// in `varinfos` order (the first one's relation first), over
/// `input_rows` rows.
pub fn estimate_num_groups(
    input_rows: f64,
    bool_items: usize,
    vars: &[GroupVar],
    rels: &[GroupRel],
) -> f64 {
    let input_rows = clamp_row_est(input_rows);
    let mut numdistinct = 2f64.powi(i32::try_from(bool_items).unwrap_or(i32::MAX));
    let mut pending: Vec<GroupVar> = vars.to_vec();
    while let Some(first) = pending.first().copied() {
        let (this_rel, rest): (Vec<GroupVar>, Vec<GroupVar>) =
            pending.iter().partition(|v| v.rel == first.rel);
        pending = rest;
        let mut reldistinct = 1.0;
        let mut relmaxndistinct = reldistinct;
        for var in &this_rel {
            reldistinct *= var.ndistinct;
            if relmaxndistinct < var.ndistinct {
                relmaxndistinct = var.ndistinct;
            }
        }
        let Some(rel) = rels.get(first.rel) else {
            continue;
        };
        if rel.tuples > 0.0 {
            let mut clamp = rel.tuples;
            if this_rel.len() > 1 {
                clamp *= 0.1;
                if clamp < relmaxndistinct {
                    clamp = relmaxndistinct.min(rel.tuples);
                }
            }
            if reldistinct > clamp {
                reldistinct = clamp;
            }
            if reldistinct > 0.0 && rel.rows < rel.tuples {
                reldistinct *=
                    1.0 - ((rel.tuples - rel.rows) / rel.tuples).powf(rel.tuples / reldistinct);
            }
            reldistinct = clamp_row_est(reldistinct);
            numdistinct *= reldistinct;
        }
    }
    numdistinct.ceil().min(input_rows).max(1.0)
}

/// Which of two paths `add_path` keeps, for two unparameterized paths
/// of one relation: `pathkeys` tell whether one's ordering contains the
/// other's (`PATHKEYS_BETTER1`: `Some(Ordering::Greater)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// Only the new path.
    New,
    /// Only the old path.
    Old,
    /// Both.
    Both,
}

/// How one path's ordering compares with another's (`compare_pathkeys`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeysCmp {
    /// The same ordering.
    Equal,
    /// The first's ordering extends the second's.
    Better1,
    /// The second's ordering extends the first's.
    Better2,
    /// Neither.
    Different,
}

/// `add_path`'s verdict on `new` against `old` (both unparameterized and
/// equally parallel-safe), with `consider_startup` as the relation has it.
pub fn add_path_verdict(
    new: &UpperPath,
    old: &UpperPath,
    keys: KeysCmp,
    consider_startup: bool,
) -> Kept {
    use crate::join::{compare_fuzzily, CostComparison, JoinCost, STD_FUZZ_FACTOR};
    let c = |p: &UpperPath| JoinCost {
        startup: p.startup,
        total: p.total,
    };
    let costcmp = compare_fuzzily(c(new), c(old), STD_FUZZ_FACTOR, consider_startup);
    if costcmp == CostComparison::Different || keys == KeysCmp::Different {
        return Kept::Both;
    }
    match costcmp {
        CostComparison::Equal => match keys {
            KeysCmp::Better1 if new.rows <= old.rows => Kept::New,
            KeysCmp::Better2 if new.rows >= old.rows => Kept::Old,
            KeysCmp::Equal => {
                if new.rows < old.rows {
                    Kept::New
                } else if new.rows > old.rows {
                    Kept::Old
                } else if compare_fuzzily(c(new), c(old), 1.000_000_000_1, consider_startup)
                    == CostComparison::Better1
                {
                    Kept::New
                } else {
                    Kept::Old
                }
            }
            _ => Kept::Both,
        },
        CostComparison::Better1 if keys != KeysCmp::Better2 && new.rows <= old.rows => Kept::New,
        CostComparison::Better2 if keys != KeysCmp::Better1 && new.rows >= old.rows => Kept::Old,
        _ => Kept::Both,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_of_a_small_input() {
        let params = CostParams::default();
        // Seq Scan on loc1 (100 rows, 1 page): cost=0.00..2.00 width=4;
        // PostgreSQL 15: Sort (cost=5.32..5.57 rows=100 width=4).
        let input = UpperPath {
            startup: 0.0,
            total: 2.0,
            rows: 100.0,
            width: 4,
        };
        let sorted = sort_path(&params, true, &input, -1.0);
        assert_eq!(
            format!("{:.2}..{:.2}", sorted.startup, sorted.total),
            "5.32..5.57"
        );
    }

    #[test]
    fn groups_clamp_to_the_input() {
        let rels = [GroupRel {
            tuples: 100.0,
            rows: 100.0,
        }];
        let vars = [GroupVar {
            rel: 0,
            ndistinct: 200.0,
        }];
        assert_eq!(estimate_num_groups(100.0, 0, &vars, &rels), 100.0);
        assert_eq!(estimate_num_groups(10.0, 1, &[], &rels), 2.0);
    }

    #[test]
    fn limit_keeps_a_fraction() {
        let input = UpperPath {
            startup: 0.0,
            total: 100.0,
            rows: 1000.0,
            width: 4,
        };
        let limited = limit_path(&input, LimitValue::Const(10), LimitValue::Absent);
        assert_eq!((limited.total, limited.rows), (1.0, 10.0));
        let unknown = limit_path(&input, LimitValue::Unknown, LimitValue::Absent);
        assert_eq!(unknown.rows, 100.0);
    }
}
