//! Local join estimates as PostgreSQL 15 makes them (`costsize.c`,
//! `selfuncs.c`, `nodeHash.c`, `pathnode.c`): join selectivity of
//! equality clauses from statistics (`eqjoinsel`), the join size
//! (`calc_joinrel_size_estimate`), the costs of nested loop, hash and
//! merge joins with their helper nodes (Materialize, Hash, Sort), the hash
//! table's size and bucket statistics, and `add_path`'s fuzzy comparison.
//!
//! Everything here is numbers in, numbers out; comparing SQL values (most
//! common values of both sides) is the caller's, through a closure.

use crate::error::{Error, Result};
use crate::params::{clamp_row_est, rint, CostParams, BLCKSZ, DISABLE_COST, HEAP_TUPLE_HEADER};
use crate::qual::QualCost;

/// `STD_FUZZ_FACTOR`: `add_path` treats costs within 1% as equal.
pub const STD_FUZZ_FACTOR: f64 = 1.01;

/// `MAXALIGN` on a 64-bit build.
fn maxalign(len: i64) -> i64 {
    (len + 7) & !7
}

/// `CLAMP_PROBABILITY`.
fn clamp_probability(p: f64) -> f64 {
    p.clamp(0.0, 1.0)
}

/// `relation_byte_size`: the bytes `tuples` rows of `width` take in
/// memory, with a heap tuple header each.
pub fn relation_byte_size(tuples: f64, width: i32) -> f64 {
    tuples * (maxalign(i64::from(width)) + i64::from(HEAP_TUPLE_HEADER)) as f64
}

/// `page_size`: the pages those bytes fill.
pub fn page_size(tuples: f64, width: i32) -> f64 {
    (relation_byte_size(tuples, width) / BLCKSZ).ceil()
}

/// The settings the join formulas read beyond [`CostParams`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JoinSettings {
    /// The core cost parameters.
    pub params: CostParams,
    /// `hash_mem_multiplier` (2.0 by default in PostgreSQL 15).
    pub hash_mem_multiplier: f64,
    /// `enable_nestloop`.
    pub enable_nestloop: bool,
    /// `enable_hashjoin`.
    pub enable_hashjoin: bool,
    /// `enable_mergejoin`.
    pub enable_mergejoin: bool,
    /// `enable_material`.
    pub enable_material: bool,
    /// `enable_sort`.
    pub enable_sort: bool,
}

impl JoinSettings {
    /// `work_mem` in bytes.
    fn work_mem_bytes(&self) -> f64 {
        f64::from(self.params.work_mem_kb) * 1024.0
    }

    /// `get_hash_memory_limit`: `work_mem × hash_mem_multiplier` bytes.
    pub fn hash_memory_limit(&self) -> u64 {
        let limit = f64::from(self.params.work_mem_kb) * self.hash_mem_multiplier * 1024.0;
        // The cast saturates as PostgreSQL's clamp to SIZE_MAX does.
        limit as u64
    }

    /// [`Self::hash_memory_limit`] as a float (what `final_cost_hashjoin`
    /// compares a byte size with), through the signed conversions where
    /// they give the same: a limit in [0, 2^53) truncates to the same
    /// whole number either way, and converts back exactly. The unsigned
    /// ones take about twice the instructions on x86-64 without AVX-512,
    /// and every hash candidate asks.
    fn hash_memory_limit_f64(&self) -> f64 {
        let limit = f64::from(self.params.work_mem_kb) * self.hash_mem_multiplier * 1024.0;
        if (0.0..9_007_199_254_740_992.0).contains(&limit) {
            (limit as i64) as f64
        } else {
            self.hash_memory_limit() as f64
        }
    }
}

/// What kind of plan a path's top node is, as far as rescanning it goes
/// (`cost_rescan`) and whether it supports mark/restore.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PathKind {
    /// A scan or a join that redoes its work on rescan.
    Plain,
    /// A `Materialize` or `Sort`: rescans read its stored rows.
    Materialized,
    /// A hash join with this many batches (one batch keeps its table).
    HashJoin {
        /// `num_batches`.
        batches: u32,
    },
}

/// An input path as the join formulas see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InputPath {
    /// Startup cost.
    pub startup: f64,
    /// Total cost.
    pub total: f64,
    /// Rows.
    pub rows: f64,
    /// Width of its target list.
    pub width: i32,
    /// Its kind.
    pub kind: PathKind,
}

/// `cost_rescan`: (startup, total) of scanning `path` again.
pub fn rescan_cost(settings: &JoinSettings, path: &InputPath) -> (f64, f64) {
    match path.kind {
        PathKind::Plain => (path.startup, path.total),
        PathKind::HashJoin { batches } => {
            if batches == 1 {
                (0.0, path.total - path.startup)
            } else {
                (path.startup, path.total)
            }
        }
        PathKind::Materialized => {
            let params = &settings.params;
            let mut run = params.cpu_operator_cost * path.rows;
            let nbytes = relation_byte_size(path.rows, path.width);
            if nbytes > settings.work_mem_bytes() {
                run += params.seq_page_cost * (nbytes / BLCKSZ).ceil();
            }
            (0.0, run)
        }
    }
}

/// `cost_material` over `input`: (startup, total).
pub fn material_cost(settings: &JoinSettings, input: &InputPath) -> (f64, f64) {
    let params = &settings.params;
    let startup = input.startup;
    let mut run = input.total - input.startup;
    let nbytes = relation_byte_size(input.rows, input.width);
    run += 2.0 * params.cpu_operator_cost * input.rows;
    if nbytes > settings.work_mem_bytes() {
        run += params.seq_page_cost * (nbytes / BLCKSZ).ceil();
    }
    (startup, startup + run)
}

/// `tuplesort_merge_order` for `allowed` bytes.
fn merge_order(allowed: i64) -> f64 {
    let block = BLCKSZ as i64;
    let order = allowed / (2 * block + block * 32);
    order.clamp(6, 500) as f64
}

/// `cost_sort` of a full sort without a bound and without extra
/// comparison cost, over input whose total cost is `input_total`:
/// (startup, total).
pub fn sort_cost(settings: &JoinSettings, input_total: f64, tuples: f64, width: i32) -> (f64, f64) {
    let params = &settings.params;
    // costsize.c's LOG2 divides by this truncated ln 2, not the exact one;
    // the printed cents follow it.
    #[allow(clippy::approx_constant)]
    let log2 = |x: f64| x.ln() / 0.693_147_180_559_945;
    let input_bytes = relation_byte_size(tuples, width);
    let sort_mem_bytes = i64::from(params.work_mem_kb) * 1024;
    let tuples = tuples.max(2.0);
    let comparison_cost = 2.0 * params.cpu_operator_cost;
    let mut startup = if input_bytes > sort_mem_bytes as f64 {
        let npages = (input_bytes / BLCKSZ).ceil();
        let nruns = input_bytes / sort_mem_bytes as f64;
        let order = merge_order(sort_mem_bytes);
        let log_runs = if nruns > order {
            (nruns.ln() / order.ln()).ceil()
        } else {
            1.0
        };
        let npageaccesses = 2.0 * npages * log_runs;
        comparison_cost * tuples * log2(tuples)
            + npageaccesses * (params.seq_page_cost * 0.75 + params.random_page_cost * 0.25)
    } else {
        comparison_cost * tuples * log2(tuples)
    };
    let run = params.cpu_operator_cost * tuples;
    if !settings.enable_sort {
        startup += DISABLE_COST;
    }
    startup += input_total;
    (startup, startup + run)
}

/// [`sort_cost`] of a merge join's input sorted for it (its rows taken as
/// one when estimated at none, as `initial_cost_mergejoin` does): a
/// function of the input path alone, so a caller may keep it with the path.
pub fn merge_input_sort_cost(settings: &JoinSettings, input: &InputPath) -> (f64, f64) {
    let rows = if input.rows <= 0.0 { 1.0 } else { input.rows };
    sort_cost(settings, input.total, rows, input.width)
}

/// The hash table `ExecChooseHashTableSize` plans for the inner side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashTableSize {
    /// Buckets (a power of two).
    pub buckets: u32,
    /// Batches (a power of two).
    pub batches: u32,
}

/// `ExecChooseHashTableSize` for a serial hash join with skew
/// optimization assumed.
pub fn hash_table_size(settings: &JoinSettings, ntuples: f64, width: i32) -> HashTableSize {
    const HJTUPLE_OVERHEAD: u64 = 16;
    const MINIMAL_TUPLE_HEADER: u64 = 16;
    const POINTER: u64 = 8;
    const SKEW_BUCKET_OVERHEAD: u64 = 16;
    const SKEW_HASH_MEM_PERCENT: u64 = 2;
    const MAX_ALLOC_SIZE: u64 = 0x3fff_ffff;
    let ntuples = if ntuples <= 0.0 { 1000.0 } else { ntuples };
    let tupsize = HJTUPLE_OVERHEAD
        + MINIMAL_TUPLE_HEADER
        + u64::try_from(maxalign(i64::from(width))).unwrap_or(0);
    let inner_rel_bytes = ntuples * tupsize as f64;
    let mut hash_table_bytes = settings.hash_memory_limit();
    let bytes_per_mcv = tupsize + 8 * POINTER + 4 + SKEW_BUCKET_OVERHEAD;
    let skew_mcvs = (hash_table_bytes / bytes_per_mcv) * SKEW_HASH_MEM_PERCENT / 100;
    let skew_mcvs = skew_mcvs.min(i32::MAX as u64);
    if skew_mcvs > 0 {
        hash_table_bytes -= skew_mcvs * bytes_per_mcv;
    }
    let prev_power2 = |x: u64| {
        if x == 0 {
            0
        } else {
            1u64 << (63 - x.leading_zeros())
        }
    };
    let next_power2 = |x: u64| x.max(1).next_power_of_two();
    let mut max_pointers = (hash_table_bytes / POINTER).min(MAX_ALLOC_SIZE / POINTER);
    max_pointers = prev_power2(max_pointers);
    max_pointers = max_pointers.min(i32::MAX as u64 / 2 + 1);
    let dbuckets = (ntuples / 1.0).ceil().min(max_pointers as f64);
    let mut nbuckets = (dbuckets as u64).max(1024);
    nbuckets = next_power2(nbuckets);
    let mut nbatch: u64 = 1;
    let bucket_bytes = POINTER * nbuckets;
    if inner_rel_bytes + bucket_bytes as f64 > hash_table_bytes as f64 {
        let bucket_size = tupsize + POINTER;
        let sbuckets = if hash_table_bytes <= bucket_size {
            1
        } else {
            next_power2(hash_table_bytes / bucket_size)
        };
        nbuckets = next_power2(sbuckets.min(max_pointers));
        let bucket_bytes = nbuckets * POINTER;
        let dbatch = (inner_rel_bytes
            / hash_table_bytes.saturating_sub(bucket_bytes).max(1) as f64)
            .ceil()
            .min(max_pointers as f64);
        nbatch = next_power2((dbatch as u64).max(2));
    }
    HashTableSize {
        buckets: u32::try_from(nbuckets).unwrap_or(u32::MAX),
        batches: u32::try_from(nbatch).unwrap_or(u32::MAX),
    }
}

/// What `estimate_hash_bucket_stats` reads about one hash key.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HashKeyStats {
    /// `get_variable_numdistinct`'s estimate.
    pub ndistinct: f64,
    /// The estimate is the default (no real information).
    pub ndistinct_is_default: bool,
    /// The first most-common frequency, 0 without statistics.
    pub mcv_freq: f64,
    /// `stanullfrac`, 0 without statistics.
    pub null_frac: f64,
    /// The key's base relation's `(rows, tuples)` when it is a column of
    /// one relation.
    pub rel_rows_tuples: Option<(f64, f64)>,
}

/// `estimate_hash_bucket_stats`: (mcv frequency, bucket size fraction).
pub fn hash_bucket_stats(key: &HashKeyStats, nbuckets: f64) -> (f64, f64) {
    let mcv_freq = key.mcv_freq;
    if key.ndistinct_is_default {
        return (mcv_freq, mcv_freq.max(0.1));
    }
    let mut ndistinct = key.ndistinct;
    let avgfreq = (1.0 - key.null_frac) / ndistinct;
    if let Some((rows, tuples)) = key.rel_rows_tuples {
        if tuples > 0.0 {
            ndistinct *= rows / tuples;
            ndistinct = clamp_row_est(ndistinct);
        }
    }
    let mut estfract = if ndistinct > nbuckets {
        1.0 / nbuckets
    } else {
        1.0 / ndistinct
    };
    if avgfreq > 0.0 && mcv_freq > avgfreq {
        estfract *= mcv_freq / avgfreq;
    }
    (mcv_freq, estfract.clamp(1.0e-6, 1.0))
}

/// One side of an equality join clause as `eqjoinsel` sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinSide {
    /// `get_variable_numdistinct`'s estimate.
    pub nd: f64,
    /// It is the default.
    pub nd_is_default: bool,
    /// `stanullfrac` when the side has statistics.
    pub null_frac: Option<f32>,
    /// The most-common frequencies when the side has an MCV list.
    pub mcv_freqs: Option<Vec<f32>>,
    /// The side's base relation's rows (for the semi-join clamp).
    pub rel_rows: Option<f64>,
}

/// MCV pairs that matched: `matches(i, j)` answers whether the first
/// side's value `i` equals the second side's value `j` (`None`: cannot
/// tell, and the estimate fails).
pub type McvMatcher<'a> = dyn FnMut(usize, usize) -> Option<bool> + 'a;

/// Which values of each side matched, and the matched pairs.
type McvMatches = (Vec<bool>, Vec<bool>, Vec<(usize, usize)>);

/// Runs the MCV matching loop of `eqjoinsel_inner` / `eqjoinsel_semi`:
/// each value of side 1 matches at most one not-yet-matched value among
/// the first `limit2` of side 2.
fn match_mcvs(n1: usize, limit2: usize, matcher: &mut McvMatcher<'_>) -> Result<McvMatches> {
    let mut has1 = vec![false; n1];
    let mut has2 = vec![false; limit2];
    let mut pairs = Vec::new();
    for (i, flag1) in has1.iter_mut().enumerate() {
        for (j, flag2) in has2.iter_mut().enumerate() {
            if *flag2 {
                continue;
            }
            let equal = matcher(i, j).ok_or_else(|| {
                Error::Unsupported("comparing most common values of a join clause".into())
            })?;
            if equal {
                *flag1 = true;
                *flag2 = true;
                pairs.push((i, j));
                break;
            }
        }
    }
    Ok((has1, has2, pairs))
}

/// `eqjoinsel_inner`.
///
/// # Errors
///
/// When the matcher cannot compare two most common values.
pub fn eqjoinsel_inner(
    side1: &JoinSide,
    side2: &JoinSide,
    matcher: &mut McvMatcher<'_>,
) -> Result<f64> {
    if let (Some(f1), Some(f2)) = (&side1.mcv_freqs, &side2.mcv_freqs) {
        let nullfrac1 = f64::from(side1.null_frac.unwrap_or(0.0));
        let nullfrac2 = f64::from(side2.null_frac.unwrap_or(0.0));
        let (has1, has2, pairs) = match_mcvs(f1.len(), f2.len(), matcher)?;
        let mut matchprodfreq = 0.0;
        for &(i, j) in &pairs {
            let a = f1.get(i).copied().unwrap_or(0.0);
            let b = f2.get(j).copied().unwrap_or(0.0);
            // float4 × float4 is computed in single precision in C.
            matchprodfreq += f64::from(a * b);
        }
        let matchprodfreq = clamp_probability(matchprodfreq);
        let nmatches = pairs.len() as f64;
        let sums = |freqs: &[f32], has: &[bool]| {
            let (mut matched, mut unmatched) = (0.0, 0.0);
            for (f, h) in freqs.iter().zip(has) {
                if *h {
                    matched += f64::from(*f);
                } else {
                    unmatched += f64::from(*f);
                }
            }
            (clamp_probability(matched), clamp_probability(unmatched))
        };
        let (matchfreq1, unmatchfreq1) = sums(f1, &has1);
        let (matchfreq2, unmatchfreq2) = sums(f2, &has2);
        let otherfreq1 = clamp_probability(1.0 - nullfrac1 - matchfreq1 - unmatchfreq1);
        let otherfreq2 = clamp_probability(1.0 - nullfrac2 - matchfreq2 - unmatchfreq2);
        let (nd1, nd2) = (side1.nd, side2.nd);
        let nv1 = f1.len() as f64;
        let nv2 = f2.len() as f64;
        let mut totalsel1 = matchprodfreq;
        if nd2 > nv2 {
            totalsel1 += unmatchfreq1 * otherfreq2 / (nd2 - nv2);
        }
        if nd2 > nmatches {
            totalsel1 += otherfreq1 * (otherfreq2 + unmatchfreq2) / (nd2 - nmatches);
        }
        let mut totalsel2 = matchprodfreq;
        if nd1 > nv1 {
            totalsel2 += unmatchfreq2 * otherfreq1 / (nd1 - nv1);
        }
        if nd1 > nmatches {
            totalsel2 += otherfreq2 * (otherfreq1 + unmatchfreq1) / (nd1 - nmatches);
        }
        Ok(if totalsel1 < totalsel2 {
            totalsel1
        } else {
            totalsel2
        })
    } else {
        let nullfrac1 = f64::from(side1.null_frac.unwrap_or(0.0));
        let nullfrac2 = f64::from(side2.null_frac.unwrap_or(0.0));
        let selec = (1.0 - nullfrac1) * (1.0 - nullfrac2);
        Ok(if side1.nd > side2.nd {
            selec / side1.nd
        } else {
            selec / side2.nd
        })
    }
}

/// `eqjoinsel_semi`: side 1 is the outer (left) side, side 2 the inner
/// one whose join input has `inner_rows` rows.
///
/// # Errors
///
/// When the matcher cannot compare two most common values.
pub fn eqjoinsel_semi(
    side1: &JoinSide,
    side2: &JoinSide,
    inner_rows: f64,
    matcher: &mut McvMatcher<'_>,
) -> Result<f64> {
    let mut nd1 = side1.nd;
    let mut nd2 = side2.nd;
    let isdefault1 = side1.nd_is_default;
    let mut isdefault2 = side2.nd_is_default;
    if let Some(rows) = side2.rel_rows {
        if nd2 >= rows {
            nd2 = rows;
            isdefault2 = false;
        }
    }
    if nd2 >= inner_rows {
        nd2 = inner_rows;
        isdefault2 = false;
    }
    let nullfrac1 = f64::from(side1.null_frac.unwrap_or(0.0));
    if let (Some(f1), Some(f2)) = (&side1.mcv_freqs, &side2.mcv_freqs) {
        // nd2 may now be below the list's length: only the nd2 most common
        // values are assumed to reach the join.
        let clamped = (f2.len() as f64).min(nd2).max(0.0) as usize;
        let (has1, _, pairs) = match_mcvs(f1.len(), clamped, matcher)?;
        let mut matchfreq1 = 0.0;
        for (f, h) in f1.iter().zip(&has1) {
            if *h {
                matchfreq1 += f64::from(*f);
            }
        }
        let matchfreq1 = clamp_probability(matchfreq1);
        let nmatches = pairs.len() as f64;
        let uncertainfrac = if !isdefault1 && !isdefault2 {
            nd1 -= nmatches;
            nd2 -= nmatches;
            if nd1 <= nd2 || nd2 < 0.0 {
                1.0
            } else {
                nd2 / nd1
            }
        } else {
            0.5
        };
        let uncertain = clamp_probability(1.0 - matchfreq1 - nullfrac1);
        Ok(matchfreq1 + uncertainfrac * uncertain)
    } else if !isdefault1 && !isdefault2 {
        Ok(if nd1 <= nd2 || nd2 < 0.0 {
            1.0 - nullfrac1
        } else {
            (nd2 / nd1) * (1.0 - nullfrac1)
        })
    } else {
        Ok(0.5 * (1.0 - nullfrac1))
    }
}

/// The join types whose size [`joinrel_size`] estimates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeJoinType {
    /// Inner join.
    Inner,
    /// Left join.
    Left,
    /// Full join.
    Full,
    /// Semi join.
    Semi,
    /// Anti join.
    Anti,
}

/// `calc_joinrel_size_estimate` without foreign-key clauses: `jselec` is
/// the selectivity of the join's own clauses (all of them for an inner
/// join), `pselec` that of the pushed-down ones of an outer join.
pub fn joinrel_size(
    jointype: SizeJoinType,
    outer_rows: f64,
    inner_rows: f64,
    jselec: f64,
    pselec: f64,
) -> f64 {
    let nrows = match jointype {
        SizeJoinType::Inner => outer_rows * inner_rows * jselec,
        SizeJoinType::Left => (outer_rows * inner_rows * jselec).max(outer_rows) * pselec,
        SizeJoinType::Full => {
            let mut n = outer_rows * inner_rows * jselec;
            if n < outer_rows {
                n = outer_rows;
            }
            if n < inner_rows {
                n = inner_rows;
            }
            n * pselec
        }
        SizeJoinType::Semi => outer_rows * jselec,
        SizeJoinType::Anti => outer_rows * (1.0 - jselec) * pselec,
    };
    clamp_row_est(nrows)
}

/// `SemiAntiJoinFactors`: the fraction of outer rows with a match and the
/// average number of matches of those.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SemiFactors {
    /// `outer_match_frac`.
    pub outer_match_frac: f64,
    /// `match_count`.
    pub match_count: f64,
}

impl SemiFactors {
    /// `compute_semi_anti_join_factors` from the semi (or anti) selectivity
    /// `jselec`, the inner-join selectivity `nselec` of the same clauses
    /// and the inner relation's rows.
    pub fn new(jselec: f64, nselec: f64, inner_rel_rows: f64) -> SemiFactors {
        let match_count = if jselec > 0.0 {
            (nselec * inner_rel_rows / jselec).max(1.0)
        } else {
            1.0
        };
        SemiFactors {
            outer_match_frac: jselec,
            match_count,
        }
    }
}

/// A join path's estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JoinCost {
    /// Startup cost.
    pub startup: f64,
    /// Total cost.
    pub total: f64,
}

/// The join's shared inputs to the three cost formulas.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JoinCostInput<'a> {
    /// Settings.
    pub settings: &'a JoinSettings,
    /// Outer input.
    pub outer: &'a InputPath,
    /// Inner input.
    pub inner: &'a InputPath,
    /// The join relation's rows.
    pub rows: f64,
    /// `cost_qual_eval` of all the join's restriction clauses.
    pub restrict_cost: QualCost,
    /// Semi/anti factors when the join is semi, anti or the inner side is
    /// unique; `None` otherwise.
    pub semi: Option<SemiFactors>,
    /// The join is an anti join.
    pub anti: bool,
}

/// `initial_cost_nestloop` + `final_cost_nestloop` (`has_indexed_join_quals`
/// is false: no parameterized inner paths here).
// Inlined: the planner asks for every candidate nested loop (two per outer
// path), and since its candidate loop was inlined into its caller the
// cross-crate inliner left this one a call, as for `hashjoin_final`.
#[inline(always)]
pub fn nestloop_cost(input: &JoinCostInput<'_>) -> JoinCost {
    let settings = input.settings;
    let params = &settings.params;
    let outer = input.outer;
    let inner = input.inner;
    let (rescan_start, rescan_total) = rescan_cost(settings, inner);
    let mut startup = outer.startup + inner.startup;
    let mut run = outer.total - outer.startup;
    let outer_rows = outer.rows;
    if outer_rows > 1.0 {
        run += (outer_rows - 1.0) * rescan_start;
    }
    let inner_run = inner.total - inner.startup;
    let inner_rescan_run = rescan_total - rescan_start;
    if input.semi.is_none() {
        run += inner_run;
        if outer_rows > 1.0 {
            run += (outer_rows - 1.0) * inner_rescan_run;
        }
    }
    // final_cost_nestloop
    let outer_rows = if outer_rows <= 0.0 { 1.0 } else { outer_rows };
    let inner_rows = if inner.rows <= 0.0 { 1.0 } else { inner.rows };
    if !settings.enable_nestloop {
        startup += DISABLE_COST;
    }
    let ntuples = if let Some(semi) = input.semi {
        let mut outer_matched = rint(outer_rows * semi.outer_match_frac);
        let mut outer_unmatched = outer_rows - outer_matched;
        let inner_scan_frac = 2.0 / (semi.match_count + 1.0);
        let mut ntuples = outer_matched * inner_rows * inner_scan_frac;
        ntuples += outer_unmatched * inner_rows;
        run += inner_run;
        if outer_unmatched >= 1.0 {
            outer_unmatched -= 1.0;
        } else {
            outer_matched -= 1.0;
        }
        if outer_matched > 0.0 {
            run += outer_matched * inner_rescan_run * inner_scan_frac;
        }
        if outer_unmatched > 0.0 {
            run += outer_unmatched * inner_rescan_run;
        }
        ntuples
    } else {
        outer_rows * inner_rows
    };
    startup += input.restrict_cost.startup;
    let cpu_per_tuple = params.cpu_tuple_cost + input.restrict_cost.per_tuple;
    run += cpu_per_tuple * ntuples;
    JoinCost {
        startup,
        total: startup + run,
    }
}

/// `initial_cost_nestloop`'s lower bound, what `add_path_precheck` sees.
pub fn nestloop_initial(input: &JoinCostInput<'_>) -> JoinCost {
    let settings = input.settings;
    let outer = input.outer;
    let inner = input.inner;
    let (rescan_start, rescan_total) = rescan_cost(settings, inner);
    let startup = outer.startup + inner.startup;
    let mut run = outer.total - outer.startup;
    if outer.rows > 1.0 {
        run += (outer.rows - 1.0) * rescan_start;
    }
    if input.semi.is_none() {
        run += inner.total - inner.startup;
        if outer.rows > 1.0 {
            run += (outer.rows - 1.0) * (rescan_total - rescan_start);
        }
    }
    JoinCost {
        startup,
        total: startup + run,
    }
}

/// What a hash join's cost needs beyond [`JoinCostInput`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HashJoinInput {
    /// Number of hash clauses.
    pub num_hashclauses: usize,
    /// `cost_qual_eval` of the hash clauses.
    pub hash_qual_cost: QualCost,
    /// `approx_tuple_count` of the hash clauses (used when not semi).
    pub hashjointuples: f64,
}

/// `initial_cost_hashjoin`: the lower bound and the hash table chosen.
/// `size` is [`hash_table_size`] of the inner input (a function of that
/// path alone, so a caller may keep it with the path).
pub fn hashjoin_initial(
    input: &JoinCostInput<'_>,
    num_hashclauses: usize,
    size: HashTableSize,
) -> (JoinCost, f64, HashTableSize) {
    let settings = input.settings;
    let params = &settings.params;
    let outer = input.outer;
    let inner = input.inner;
    let n = num_hashclauses as f64;
    let mut startup = outer.startup;
    let mut run = outer.total - outer.startup;
    startup += inner.total;
    startup += (params.cpu_operator_cost * n + params.cpu_tuple_cost) * inner.rows;
    run += params.cpu_operator_cost * n * outer.rows;
    if size.batches > 1 {
        let outerpages = page_size(outer.rows, outer.width);
        let innerpages = page_size(inner.rows, inner.width);
        startup += params.seq_page_cost * innerpages;
        run += params.seq_page_cost * (innerpages + 2.0 * outerpages);
    }
    (
        JoinCost {
            startup,
            total: startup + run,
        },
        run,
        size,
    )
}

/// `final_cost_hashjoin` given the initial estimate, the smallest bucket
/// size fraction and MCV frequency over the hash clauses' inner keys.
// Inlined: its one caller (the planner's try_hashjoin) runs it for every
// hash path, and once the caller grew, the cross-crate inliner stopped
// taking it (about 1.3k instructions per join query went to the call and
// the by-reference JoinCostInput reads); a plain #[inline] hint was not
// enough.
#[inline(always)]
pub fn hashjoin_final(
    input: &JoinCostInput<'_>,
    hash: &HashJoinInput,
    initial: (JoinCost, f64, HashTableSize),
    innerbucketsize: f64,
    innermcvfreq: f64,
) -> JoinCost {
    let settings = input.settings;
    let params = &settings.params;
    let (initial_cost, mut run, size) = initial;
    let mut startup = initial_cost.startup;
    let outer_rows = input.outer.rows;
    let inner_rows = input.inner.rows;
    let virtualbuckets = f64::from(size.buckets) * f64::from(size.batches);
    if !settings.enable_hashjoin {
        startup += DISABLE_COST;
    }
    if relation_byte_size(clamp_row_est(inner_rows * innermcvfreq), input.inner.width)
        > settings.hash_memory_limit_f64()
    {
        startup += DISABLE_COST;
    }
    let qp_startup = input.restrict_cost.startup - hash.hash_qual_cost.startup;
    let qp_per_tuple = input.restrict_cost.per_tuple - hash.hash_qual_cost.per_tuple;
    let hashjointuples = if let Some(semi) = input.semi {
        let outer_matched = rint(outer_rows * semi.outer_match_frac);
        let inner_scan_frac = 2.0 / (semi.match_count + 1.0);
        startup += hash.hash_qual_cost.startup;
        run += hash.hash_qual_cost.per_tuple
            * outer_matched
            * clamp_row_est(inner_rows * innerbucketsize * inner_scan_frac)
            * 0.5;
        run += hash.hash_qual_cost.per_tuple
            * (outer_rows - outer_matched)
            * clamp_row_est(inner_rows / virtualbuckets)
            * 0.05;
        if input.anti {
            outer_rows - outer_matched
        } else {
            outer_matched
        }
    } else {
        startup += hash.hash_qual_cost.startup;
        run += hash.hash_qual_cost.per_tuple
            * outer_rows
            * clamp_row_est(inner_rows * innerbucketsize)
            * 0.5;
        hash.hashjointuples
    };
    startup += qp_startup;
    let cpu_per_tuple = params.cpu_tuple_cost + qp_per_tuple;
    run += cpu_per_tuple * hashjointuples;
    JoinCost {
        startup,
        total: startup + run,
    }
}

/// The scan fractions `mergejoinscansel` gives the first merge clause,
/// already arranged for outer and inner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScanFractions {
    /// Outer fraction skipped before the first match.
    pub outer_start: f64,
    /// Outer fraction read.
    pub outer_end: f64,
    /// Inner fraction skipped before the first match.
    pub inner_start: f64,
    /// Inner fraction read.
    pub inner_end: f64,
}

impl Default for ScanFractions {
    fn default() -> ScanFractions {
        ScanFractions {
            outer_start: 0.0,
            outer_end: 1.0,
            inner_start: 0.0,
            inner_end: 1.0,
        }
    }
}

/// What a merge join's cost needs beyond [`JoinCostInput`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MergeJoinInput {
    /// When the outer input must be sorted, the sort's (startup, total)
    /// ([`merge_input_sort_cost`]).
    pub outer_sort: Option<(f64, f64)>,
    /// The same for the inner input.
    pub inner_sort: Option<(f64, f64)>,
    /// Scan fractions (already set to 0..1 for the outer side of a left
    /// or anti join, the inner side of a right join, and full joins).
    pub fractions: ScanFractions,
    /// `cost_qual_eval` of the merge clauses.
    pub merge_qual_cost: QualCost,
    /// `approx_tuple_count` of the merge clauses.
    pub mergejointuples: f64,
    /// All restriction clauses are merge clauses and the join stops at the
    /// first match (semi, anti, unique inner): no mark/restore.
    pub skip_mark_restore: bool,
    /// The inner input (used without sorting) supports mark/restore.
    pub inner_supports_mark: bool,
}

/// The workspace `initial_cost_mergejoin` leaves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MergeInitial {
    /// The lower bound.
    pub cost: JoinCost,
    run: f64,
    inner_run: f64,
    outer_rows: f64,
    inner_rows: f64,
    outer_skip_rows: f64,
    inner_skip_rows: f64,
}

/// `initial_cost_mergejoin`.
pub fn mergejoin_initial(input: &JoinCostInput<'_>, merge: &MergeJoinInput) -> MergeInitial {
    let outer = input.outer;
    let inner = input.inner;
    let outer_path_rows = if outer.rows <= 0.0 { 1.0 } else { outer.rows };
    let inner_path_rows = if inner.rows <= 0.0 { 1.0 } else { inner.rows };
    let f = merge.fractions;
    let outer_skip_rows = rint(outer_path_rows * f.outer_start);
    let inner_skip_rows = rint(inner_path_rows * f.inner_start);
    let outer_rows = clamp_row_est(outer_path_rows * f.outer_end);
    let inner_rows = clamp_row_est(inner_path_rows * f.inner_end);
    let outerstartsel = outer_skip_rows / outer_path_rows;
    let innerstartsel = inner_skip_rows / inner_path_rows;
    let outerendsel = outer_rows / outer_path_rows;
    let innerendsel = inner_rows / inner_path_rows;
    let mut startup = 0.0;
    let mut run = 0.0;
    let (o_start, o_total) = merge.outer_sort.unwrap_or((outer.startup, outer.total));
    startup += o_start;
    startup += (o_total - o_start) * outerstartsel;
    run += (o_total - o_start) * (outerendsel - outerstartsel);
    let (i_start, i_total) = merge.inner_sort.unwrap_or((inner.startup, inner.total));
    startup += i_start;
    startup += (i_total - i_start) * innerstartsel;
    let inner_run = (i_total - i_start) * (innerendsel - innerstartsel);
    MergeInitial {
        cost: JoinCost {
            startup,
            total: startup + run + inner_run,
        },
        run,
        inner_run,
        outer_rows,
        inner_rows,
        outer_skip_rows,
        inner_skip_rows,
    }
}

/// `final_cost_mergejoin`: the estimate and whether a `Materialize` goes
/// over the inner input.
pub fn mergejoin_final(
    input: &JoinCostInput<'_>,
    merge: &MergeJoinInput,
    initial: &MergeInitial,
) -> (JoinCost, bool) {
    let settings = input.settings;
    let params = &settings.params;
    let inner_path_rows = if input.inner.rows <= 0.0 {
        1.0
    } else {
        input.inner.rows
    };
    let mut startup = initial.cost.startup;
    let mut run = initial.run;
    if !settings.enable_mergejoin {
        startup += DISABLE_COST;
    }
    let qp_startup = input.restrict_cost.startup - merge.merge_qual_cost.startup;
    let qp_per_tuple = input.restrict_cost.per_tuple - merge.merge_qual_cost.per_tuple;
    let rescannedtuples = if merge.skip_mark_restore {
        0.0
    } else {
        (merge.mergejointuples - inner_path_rows).max(0.0)
    };
    let rescanratio = 1.0 + rescannedtuples / initial.inner_rows;
    let bare_inner_cost = initial.inner_run * rescanratio;
    let mat_inner_cost =
        initial.inner_run + params.cpu_operator_cost * initial.inner_rows * rescanratio;
    // Materialize when cheaper (unless suppressed), when required (an
    // unsorted inner side without mark/restore), or when the inner sort
    // spills (a performance choice, skipped without enable_material).
    let materialize = if merge.skip_mark_restore {
        false
    } else {
        (settings.enable_material && mat_inner_cost < bare_inner_cost)
            || (merge.inner_sort.is_none() && !merge.inner_supports_mark)
            || (settings.enable_material
                && merge.inner_sort.is_some()
                && relation_byte_size(inner_path_rows, input.inner.width)
                    > settings.work_mem_bytes())
    };
    run += if materialize {
        mat_inner_cost
    } else {
        bare_inner_cost
    };
    startup += merge.merge_qual_cost.startup;
    startup += merge.merge_qual_cost.per_tuple
        * (initial.outer_skip_rows + initial.inner_skip_rows * rescanratio);
    run += merge.merge_qual_cost.per_tuple
        * ((initial.outer_rows - initial.outer_skip_rows)
            + (initial.inner_rows - initial.inner_skip_rows) * rescanratio);
    startup += qp_startup;
    let cpu_per_tuple = params.cpu_tuple_cost + qp_per_tuple;
    run += cpu_per_tuple * merge.mergejointuples;
    (
        JoinCost {
            startup,
            total: startup + run,
        },
        materialize,
    )
}

/// `compare_path_costs_fuzzily`'s answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostComparison {
    /// Fuzzily equal.
    Equal,
    /// The first is better.
    Better1,
    /// The second is better.
    Better2,
    /// Each is better on one cost.
    Different,
}

/// `compare_path_costs_fuzzily` of (startup, total) pairs; startup costs
/// count only when `consider_startup` (a LIMIT makes the planner care).
pub fn compare_fuzzily(
    p1: JoinCost,
    p2: JoinCost,
    fuzz: f64,
    consider_startup: bool,
) -> CostComparison {
    if p1.total > p2.total * fuzz {
        if consider_startup && p2.startup > p1.startup * fuzz {
            return CostComparison::Different;
        }
        return CostComparison::Better2;
    }
    if p2.total > p1.total * fuzz {
        if consider_startup && p1.startup > p2.startup * fuzz {
            return CostComparison::Different;
        }
        return CostComparison::Better1;
    }
    if p1.startup > p2.startup * fuzz {
        return CostComparison::Better2;
    }
    if p2.startup > p1.startup * fuzz {
        return CostComparison::Better1;
    }
    CostComparison::Equal
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> JoinSettings {
        JoinSettings {
            params: CostParams::default(),
            hash_mem_multiplier: 2.0,
            enable_nestloop: true,
            enable_hashjoin: true,
            enable_mergejoin: true,
            enable_material: true,
            enable_sort: true,
        }
    }

    /// The float limit is the unsigned one converted, across the range of
    /// `work_mem` and multipliers, negative and huge ones included.
    #[test]
    fn hash_memory_limit_f64_matches_the_conversion() {
        let mut s = settings();
        for work_mem_kb in [0, 1, 64, 4096, 65_536, 2_097_151, i32::MAX] {
            for mult in [0.0, 0.3, 1.0, 1.5, 2.0, 1000.0, 1e12, -1.0, f64::NAN] {
                s.params.work_mem_kb = work_mem_kb;
                s.hash_mem_multiplier = mult;
                assert_eq!(
                    s.hash_memory_limit_f64().to_bits(),
                    (s.hash_memory_limit() as f64).to_bits(),
                    "{work_mem_kb} kB x {mult}"
                );
            }
        }
    }

    #[test]
    fn hash_table_defaults() {
        let s = settings();
        assert_eq!(
            hash_table_size(&s, 100.0, 4),
            HashTableSize {
                buckets: 1024,
                batches: 1
            }
        );
        assert_eq!(hash_table_size(&s, 3000.0, 4).buckets, 4096);
        assert!(hash_table_size(&s, 1.0e7, 100).batches > 1);
    }

    #[test]
    fn sizes_and_selectivity() {
        assert_eq!(relation_byte_size(10.0, 4), 320.0);
        assert_eq!(
            joinrel_size(SizeJoinType::Left, 10.0, 10.0, 0.001, 1.0),
            10.0
        );
        let a = JoinSide {
            nd: 200.0,
            nd_is_default: true,
            null_frac: None,
            mcv_freqs: None,
            rel_rows: None,
        };
        let sel = eqjoinsel_inner(&a, &a, &mut |_, _| Some(false)).unwrap();
        assert_eq!(sel, 0.005);
    }
}
