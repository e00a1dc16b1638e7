//! The cost estimate of a foreign base-relation scan, as postgres_fdw's
//! `postgresGetForeignRelSize` and `estimate_path_cost_size` produce it
//! without remote estimates: the pieces the planner knows (the clauses,
//! their classification, the columns read above the scan) handed to
//! `fdw-cost`'s formulas, with SQL values compared by `fdw-sql`.

use std::cell::RefCell;
use std::sync::Arc;

use fdw_catalog::options::FdwOptions;
use fdw_catalog::settings::{SettingValue, Settings};
use fdw_catalog::Catalog;
use fdw_core::expr::Expr;
use fdw_core::plan::Cost;
use fdw_core::{AttrNumber, Oid, RelIndex};
use fdw_cost::join::JoinSettings;
use fdw_cost::remote::RemoteEstimator;
use fdw_cost::selectivity::{RestrictClause, ScalarConversion, SelContext, ValueOps};
use fdw_cost::width::{rel_width, rel_width_of, ColumnType};
use fdw_cost::{
    base_rel_costs, cost_qual_eval, foreign_scan_costs, BaseRelCostInput, BaseRelSize, CostParams,
    FdwCosts, QualCost,
};
use fdw_sql::value::{call_builtin, Evaluated, ValueSettings};

use crate::error::{Error, Result};

/// A restriction clause of the scanned relation and where it runs.
#[derive(Debug, Clone, Copy)]
pub struct ScanClause<'e> {
    /// The clause.
    pub expr: &'e Expr,
    /// A pseudoconstant clause (no column, nothing volatile): a one-time
    /// filter, selectivity 1, its cost paid once.
    pub pseudoconstant: bool,
    /// The clause is evaluated locally (it is not shippable).
    pub local: bool,
}

/// Estimates the plain (unsorted, unlimited) foreign scan of `table` at
/// `rtindex` with its restriction clauses in `baserestrictinfo` order and
/// the expressions read above the scan (its target list).
///
/// # Errors
///
/// [`Error::Cost`] when an estimate needs something the cost model does
/// not reproduce (a restriction estimator, a sub-select's cost, a value it
/// cannot compare); never a guess.
pub fn estimate_foreign_scan(
    catalog: &Catalog,
    rtindex: RelIndex,
    table: Oid,
    clauses: &[ScanClause<'_>],
    target: &[Expr],
) -> Result<Cost> {
    CostSetup::new(catalog).estimate_foreign_scan(catalog, rtindex, table, clauses, target, None)
}

/// What a `use_remote_estimate` table's estimate asks the remote server:
/// the estimator, the server, and the scan's remote `SELECT`.
#[derive(Clone, Copy)]
pub struct RemoteScan<'a> {
    /// Sends `EXPLAIN` to the server.
    pub estimator: &'a dyn RemoteEstimator,
    /// The foreign server.
    pub server: Oid,
    /// The scan's remote SQL (what `EXPLAIN` is put in front of).
    pub sql: &'a str,
}

impl std::fmt::Debug for RemoteScan<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteScan")
            .field("server", &self.server)
            .field("sql", &self.sql)
            .finish_non_exhaustive()
    }
}

/// The settings every estimate of one query reads: the cost parameters and
/// the settings values are compared under. Reading them means looking up
/// and parsing several settings, so a query's scans share one.
#[derive(Debug, Clone)]
pub struct CostSetup {
    /// What the settings give, shared with the setup kept between queries
    /// (copying it for each query is a pointer copy).
    shared: Arc<SharedSetup>,
    /// postgres_fdw's resolved options of each foreign table asked about
    /// ([`CostSetup::table_options`]): a scan's plan (its fetch size), its
    /// estimate and the join search all read them, and resolving them
    /// walks the server's and the table's option lists. Empty in the setup
    /// kept between queries (only its copies fill it), so a change of
    /// options is always seen.
    table_options: RefCell<Vec<(Oid, Arc<FdwOptions>)>>,
}

/// The part of [`CostSetup`] that depends on the settings alone.
#[derive(Debug)]
struct SharedSetup {
    params: CostParams,
    value_settings: ValueSettings,
    join_settings: JoinSettings,
}

thread_local! {
    /// The settings last read on this thread and what they gave. Both
    /// derived values depend on the settings alone, and a host plans query
    /// after query under the same ones, so comparing the settings (a few
    /// words when few are set) replaces a dozen name lookups per query.
    static LAST_SETUP: RefCell<Option<(Settings, CostSetup)>> = const { RefCell::new(None) };
}

impl CostSetup {
    /// The settings of `catalog`.
    pub fn new(catalog: &Catalog) -> CostSetup {
        let settings = catalog.settings();
        let cached = LAST_SETUP.with(|last| match &*last.borrow() {
            Some((read, setup)) if read == settings => Some(setup.clone()),
            _ => None,
        });
        if let Some(setup) = cached {
            return setup;
        }
        let params = CostParams::from_settings(settings);
        let hash_mem_multiplier = match settings.get("hash_mem_multiplier") {
            Ok(SettingValue::Real(v)) => v,
            _ => 2.0,
        };
        let setup = CostSetup {
            shared: Arc::new(SharedSetup {
                params,
                // `from_catalog` reads the catalog's settings and nothing else.
                value_settings: ValueSettings::from_catalog(catalog),
                join_settings: JoinSettings {
                    params,
                    hash_mem_multiplier,
                    enable_nestloop: settings.enabled("enable_nestloop"),
                    enable_hashjoin: settings.enabled("enable_hashjoin"),
                    enable_mergejoin: settings.enabled("enable_mergejoin"),
                    enable_material: settings.enabled("enable_material"),
                    enable_sort: settings.enabled("enable_sort"),
                },
            }),
            table_options: RefCell::new(Vec::new()),
        };
        LAST_SETUP.with(|last| *last.borrow_mut() = Some((settings.clone(), setup.clone())));
        setup
    }

    /// As [`estimate_foreign_scan`] (`self` must come from the same
    /// catalog).
    ///
    /// # Errors
    ///
    /// As [`estimate_foreign_scan`].
    pub fn estimate_foreign_scan(
        &self,
        catalog: &Catalog,
        rtindex: RelIndex,
        table: Oid,
        clauses: &[ScanClause<'_>],
        target: &[Expr],
        remote: Option<&RemoteScan<'_>>,
    ) -> Result<Cost> {
        self.estimate_foreign_scan_costed(
            catalog, rtindex, table, clauses, target, remote, None, None,
        )
    }

    /// [`CostSetup::estimate_foreign_scan`] with the `cost_qual_eval` of
    /// the first `qual_costs.len()` clauses already computed (by the
    /// ordering of the scan's conditions) and, when given, the table's
    /// options already resolved (the scan's plan read them).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn estimate_foreign_scan_costed(
        &self,
        catalog: &Catalog,
        rtindex: RelIndex,
        table: Oid,
        clauses: &[ScanClause<'_>],
        target: &[Expr],
        remote: Option<&RemoteScan<'_>>,
        qual_costs: Option<&[QualCost]>,
        options: Option<&FdwOptions>,
    ) -> Result<Cost> {
        estimate_with(
            self,
            catalog,
            rtindex,
            table,
            clauses,
            target,
            remote,
            false,
            qual_costs,
            options.map(FdwCosts::from),
        )
    }

    /// As [`CostSetup::estimate_foreign_scan`] for the path postgres_fdw
    /// adds sorted on the remote server for the query's ordering
    /// (`add_paths_with_pathkeys_for_rel`): without remote estimates the
    /// relation's startup and run costs grow by `DEFAULT_FDW_SORT_MULTIPLIER`.
    pub(crate) fn estimate_sorted_foreign_scan(
        &self,
        catalog: &Catalog,
        rtindex: RelIndex,
        table: Oid,
        clauses: &[ScanClause<'_>],
        target: &[Expr],
    ) -> Result<Cost> {
        estimate_with(
            self, catalog, rtindex, table, clauses, target, None, true, None, None,
        )
    }

    /// postgres_fdw's options of foreign table `table` as they apply to it
    /// (table over server over defaults), resolved once per query.
    ///
    /// # Errors
    ///
    /// The catalog's, for a table that is not a foreign table.
    pub(crate) fn table_options(
        &self,
        catalog: &Catalog,
        table: Oid,
    ) -> std::result::Result<Arc<FdwOptions>, fdw_catalog::Error> {
        if let Some((_, options)) = self
            .table_options
            .borrow()
            .iter()
            .find(|(t, _)| *t == table)
        {
            return Ok(Arc::clone(options));
        }
        // The catalog remembers them between queries (until it changes).
        let options = catalog.fdw_options_shared(table)?;
        self.table_options
            .borrow_mut()
            .push((table, Arc::clone(&options)));
        Ok(options)
    }

    /// postgres_fdw's cost options of foreign table `table`
    /// ([`CostSetup::table_options`]).
    ///
    /// # Errors
    ///
    /// The catalog's, for a table that is not a foreign table.
    pub(crate) fn fdw_costs(
        &self,
        catalog: &Catalog,
        table: Oid,
    ) -> std::result::Result<FdwCosts, fdw_catalog::Error> {
        Ok(FdwCosts::from(&*self.table_options(catalog, table)?))
    }

    /// The cost parameters in force.
    pub(crate) fn params(&self) -> &CostParams {
        &self.shared.params
    }

    /// The settings the local join estimates read (`hash_mem_multiplier`,
    /// 2.0 when unreadable, and the `enable_*` switches of join methods).
    pub(crate) fn join_settings(&self) -> JoinSettings {
        self.shared.join_settings
    }

    /// Value comparisons under the query's settings (for the join
    /// estimates' most common values).
    pub(crate) fn values<'a>(&'a self, catalog: &'a Catalog) -> PlannerValues<'a> {
        PlannerValues::new(catalog, &self.shared.value_settings)
    }

    /// Whether the database's default collation compares bytes.
    pub(crate) fn default_collation_is_c(&self) -> bool {
        self.shared.value_settings.default_collation_is_c
    }

    /// As [`with_final_target`] (`self` must come from the same catalog).
    ///
    /// # Errors
    ///
    /// As [`estimate_foreign_scan`].
    pub fn with_final_target(
        &self,
        catalog: &Catalog,
        rtindex: RelIndex,
        table: Oid,
        cost: Cost,
        target: &[Expr],
    ) -> Result<Cost> {
        final_target_with(&self.shared.params, catalog, rtindex, table, cost, target)
    }
}

#[allow(clippy::too_many_arguments)]
fn estimate_with(
    setup: &CostSetup,
    catalog: &Catalog,
    rtindex: RelIndex,
    table: Oid,
    clauses: &[ScanClause<'_>],
    target: &[Expr],
    remote: Option<&RemoteScan<'_>>,
    sorted: bool,
    qual_costs: Option<&[QualCost]>,
    fdw: Option<FdwCosts>,
) -> Result<Cost> {
    let params = &setup.shared.params;
    let fdw = match fdw {
        Some(fdw) => fdw,
        None => setup
            .fdw_costs(catalog, table)
            .map_err(|e| Error::Cost(e.to_string()))?,
    };
    if fdw.use_remote_estimate && remote.is_none() {
        return Err(Error::Cost(
            "use_remote_estimate needs the remote server's EXPLAIN (fdw explain --dsn)".into(),
        ));
    }
    let relation = catalog
        .relation(table)
        .ok_or_else(|| Error::Cost(format!("relation {} is not in the catalog", table.0)))?;
    let stats = catalog.stats(table);
    // Catalog::relation_stats of the statistics just found, without a
    // second look-up.
    let rel_stats = stats.map(|s| s.relation).unwrap_or_default();
    let width = scan_target_width(catalog, stats, relation, rtindex, target)
        .ok_or_else(|| Error::Cost("the width of a computed target expression of a scan".into()))?;
    let cost_error = |e: fdw_cost::Error| Error::Cost(e.to_string());

    // The never-analyzed guess is in place before the selectivities run.
    let provisional = BaseRelSize::new(
        rel_stats.relpages,
        f64::from(rel_stats.reltuples),
        width,
        1.0,
    );
    let values = PlannerValues::new(catalog, &setup.shared.value_settings);
    let context = SelContext {
        catalog,
        rel: rtindex,
        stats,
        tuples: provisional.tuples,
        values: &values,
        default_collation_is_c: setup.shared.value_settings.default_collation_is_c,
    };
    // The whole list's selectivity, then the local conditions' alone (as
    // postgres_fdw computes both), each clause estimated once.
    let (selectivity, local_conds_sel) = context
        .restrict_list_and_subset_selectivity(clauses, |c| {
            (
                RestrictClause {
                    expr: c.expr,
                    pseudoconstant: c.pseudoconstant,
                },
                c.local,
            )
        })
        .map_err(cost_error)?;
    if let (true, Some(remote)) = (fdw.use_remote_estimate, remote) {
        return remote_estimate(params, &fdw, catalog, clauses, local_conds_sel, remote);
    }
    let mut restrict_cost = QualCost::default();
    for (at, clause) in clauses.iter().enumerate() {
        let cost = match qual_costs.and_then(|costs| costs.get(at)) {
            Some(&cost) => cost,
            None => {
                cost_qual_eval(catalog, params, std::iter::once(clause.expr)).map_err(cost_error)?
            }
        };
        restrict_cost = if clause.pseudoconstant {
            // A gating qual runs once: its per-row cost becomes startup.
            restrict_cost.plus(QualCost {
                startup: cost.startup + cost.per_tuple,
                per_tuple: 0.0,
            })
        } else {
            restrict_cost.plus(cost)
        };
    }
    let size = BaseRelSize {
        rows: fdw_cost::clamp_row_est(provisional.tuples * selectivity),
        ..provisional
    };
    let rel = base_rel_costs(
        &BaseRelCostInput {
            size,
            restrict_cost,
            local_conds_sel,
            target_cost: QualCost::default(),
        },
        params,
    );
    let path = foreign_scan_costs(&rel, params, &fdw, sorted, None);
    Ok(Cost {
        startup: path.startup,
        total: path.total,
        rows: path.rows,
        width: u32::try_from(path.width).unwrap_or(0),
    })
}

/// The estimate of a `use_remote_estimate` scan (spec §3.5): the remote
/// server's `EXPLAIN` of the remote query, with the local conditions'
/// selectivity and cost and the transfer costs added.
fn remote_estimate(
    params: &CostParams,
    fdw: &FdwCosts,
    catalog: &Catalog,
    clauses: &[ScanClause<'_>],
    local_conds_sel: f64,
    remote: &RemoteScan<'_>,
) -> Result<Cost> {
    if remote.sql.contains('$') {
        // postgres_fdw replaces parameters by placeholders of their types
        // for the EXPLAIN; that form is not printed here yet.
        return Err(Error::Cost(
            "a remote estimate of a query with parameters".into(),
        ));
    }
    let mut local_cost = QualCost::default();
    for clause in clauses.iter().filter(|c| c.local) {
        let cost = cost_qual_eval(catalog, params, std::iter::once(clause.expr))
            .map_err(|e| Error::Cost(e.to_string()))?;
        local_cost = local_cost.plus(cost);
    }
    let explain = format!("EXPLAIN {}", remote.sql);
    let answer = remote
        .estimator
        .explain(remote.server, &explain)
        .map_err(|e| Error::Cost(format!("remote estimate: {e}")))?;
    let path = fdw_cost::remote::costs_from_remote(
        &answer,
        local_conds_sel,
        local_cost,
        QualCost::default(),
        params,
        fdw,
    );
    Ok(Cost {
        startup: path.startup,
        total: path.total,
        rows: path.rows,
        width: u32::try_from(path.width).unwrap_or(0),
    })
}

/// A relation's columns as the width estimate reads them.
pub(crate) fn column_types(relation: &fdw_catalog::objects::Relation) -> Vec<ColumnType> {
    relation
        .columns
        .iter()
        .map(|c| ColumnType {
            attnum: c.attnum,
            type_oid: c.type_oid,
            typmod: c.typmod,
            dropped: c.dropped,
        })
        .collect()
}

/// SQL values compared by `fdw-sql`'s evaluators of built-in functions.
pub(crate) struct PlannerValues<'a> {
    catalog: &'a Catalog,
    /// The query's value settings.
    base: &'a ValueSettings,
    /// A copy of them made at the first comparison (most scans compare no
    /// value: no statistics); each comparison sets its collation in place
    /// rather than copying the settings (they hold strings) per
    /// most-common value or histogram bound.
    settings: RefCell<Option<ValueSettings>>,
}

impl<'a> PlannerValues<'a> {
    fn new(catalog: &'a Catalog, base: &'a ValueSettings) -> PlannerValues<'a> {
        PlannerValues {
            catalog,
            base,
            settings: RefCell::new(None),
        }
    }
}

impl ValueOps for PlannerValues<'_> {
    fn apply_operator(
        &self,
        opno: Oid,
        collation: Oid,
        left: (&str, Oid),
        right: (&str, Oid),
    ) -> Option<bool> {
        let op = self.catalog.operator_info(opno)?;
        let mut settings = self.settings.borrow_mut();
        let settings = settings.get_or_insert_with(|| self.base.clone());
        settings.input_collation = collation;
        match call_builtin(
            self.catalog,
            op.code,
            &[Some(left.0), Some(right.0)],
            &[left.1, right.1],
            Oid::BOOL_TYPE,
            settings,
        ) {
            Ok(Evaluated::Value(Some(v))) => Some(v == "t" || v == "true"),
            _ => None,
        }
    }

    fn convert_to_scalar(
        &self,
        value: (&str, Oid),
        low: &str,
        high: &str,
        bound_type: Oid,
        collation: Oid,
    ) -> ScalarConversion {
        // The default collation orders bytewise when the database's
        // lc_collate is C or POSIX.
        let collation = if collation == Oid::DEFAULT_COLLATION && self.base.default_collation_is_c {
            Oid::C_COLLATION
        } else {
            collation
        };
        scalar_conversion(value, low, high, bound_type, collation)
    }
}

const NUMERIC_TYPES: [u32; 7] = [20, 21, 23, 700, 701, 1700, 26];
const STRING_TYPES: [u32; 5] = [18, 19, 25, 1042, 1043];
const TIME_TYPES: [u32; 6] = [1082, 1083, 1114, 1184, 1186, 1266];

/// `convert_to_scalar` for the families this planner can reproduce:
/// numbers, booleans, and strings under a byte-wise collation.
fn scalar_conversion(
    value: (&str, Oid),
    low: &str,
    high: &str,
    bound_type: Oid,
    collation: Oid,
) -> ScalarConversion {
    let (text, value_type) = value;
    if value_type == Oid::BOOL_TYPE {
        let b = |s: &str| if s == "t" || s == "true" { 1.0 } else { 0.0 };
        return ScalarConversion::Converted {
            value: b(text),
            low: b(low),
            high: b(high),
        };
    }
    if NUMERIC_TYPES.contains(&value_type.0) && NUMERIC_TYPES.contains(&bound_type.0) {
        let parse = |s: &str| s.trim().parse::<f64>().ok();
        return match (parse(text), parse(low), parse(high)) {
            (Some(value), Some(low), Some(high)) => {
                ScalarConversion::Converted { value, low, high }
            }
            _ => ScalarConversion::NotReproducible,
        };
    }
    if STRING_TYPES.contains(&value_type.0) && STRING_TYPES.contains(&bound_type.0) {
        if collation != Oid::C_COLLATION && collation != Oid(951) {
            return ScalarConversion::NotReproducible;
        }
        let (value, low, high) =
            convert_string_to_scalar(text.as_bytes(), low.as_bytes(), high.as_bytes());
        return ScalarConversion::Converted { value, low, high };
    }
    if TIME_TYPES.contains(&value_type.0) {
        return ScalarConversion::NotReproducible;
    }
    ScalarConversion::NoScale
}

/// `convert_string_to_scalar` for byte-wise (C) strings.
fn convert_string_to_scalar(value: &[u8], low: &[u8], high: &[u8]) -> (f64, f64, f64) {
    let mut rangelo = i32::from(high.first().copied().unwrap_or(0));
    let mut rangehi = rangelo;
    for &b in low.iter().chain(high) {
        rangelo = rangelo.min(i32::from(b));
        rangehi = rangehi.max(i32::from(b));
    }
    for (lo, hi) in [(b'A', b'Z'), (b'a', b'z'), (b'0', b'9')] {
        let (lo, hi) = (i32::from(lo), i32::from(hi));
        if rangelo <= hi && rangehi >= lo {
            rangelo = rangelo.min(lo);
            rangehi = rangehi.max(hi);
        }
    }
    if rangehi - rangelo < 9 {
        rangelo = i32::from(b' ');
        rangehi = 127;
    }
    let common = low
        .iter()
        .zip(high)
        .zip(value)
        .take_while(|((l, h), v)| l == h && l == v)
        .count();
    let tail = |s: &[u8]| s.get(common..).unwrap_or_default().to_vec();
    let one = |s: &[u8]| {
        let base = f64::from(rangehi - rangelo + 1);
        let mut num = 0.0;
        let mut denom = base;
        for &b in s.iter().take(12) {
            let ch = i32::from(b).clamp(rangelo - 1, rangehi + 1);
            num += f64::from(ch - rangelo) / denom;
            denom *= base;
        }
        num
    };
    (one(&tail(value)), one(&tail(low)), one(&tail(high)))
}

/// The scan's estimate once the query's final target list replaces its
/// own (`create_projection_path` over a projection-capable path): the
/// width becomes the final list's (`set_pathtarget_cost_width`) and the
/// cost of its computed expressions is added.
///
/// # Errors
///
/// As [`estimate_foreign_scan`].
pub fn with_final_target(
    catalog: &Catalog,
    rtindex: RelIndex,
    table: Oid,
    cost: Cost,
    target: &[Expr],
) -> Result<Cost> {
    let params = CostParams::from_settings(catalog.settings());
    final_target_with(&params, catalog, rtindex, table, cost, target)
}

fn final_target_with(
    params: &CostParams,
    catalog: &Catalog,
    rtindex: RelIndex,
    table: Oid,
    cost: Cost,
    target: &[Expr],
) -> Result<Cost> {
    let relation = catalog
        .relation(table)
        .ok_or_else(|| Error::Cost(format!("relation {} is not in the catalog", table.0)))?;
    let stats = catalog.stats(table);
    let all_columns = column_types(relation);
    let mut width = 0i32;
    let mut target_cost = QualCost::default();
    for expr in target {
        match expr {
            Expr::Var(var) if var.varno == rtindex && var.varlevelsup == 0 => {
                let column = ColumnType {
                    attnum: var.varattno.0,
                    type_oid: var.vartype,
                    typmod: var.vartypmod,
                    dropped: false,
                };
                width += if var.varattno == AttrNumber::WHOLE_ROW {
                    rel_width(catalog, stats, &[], true, &all_columns)
                } else {
                    rel_width(catalog, stats, &[column], false, &all_columns)
                };
            }
            _ => {
                width += fdw_cost::width::typ_avg_width(catalog, expr.type_oid(), expr.typmod());
                let cost = cost_qual_eval(catalog, params, std::iter::once(expr))
                    .map_err(|e| Error::Cost(e.to_string()))?;
                target_cost = target_cost.plus(cost);
            }
        }
    }
    Ok(Cost {
        startup: cost.startup + target_cost.startup,
        total: cost.total + target_cost.startup + target_cost.per_tuple * cost.rows,
        rows: cost.rows,
        width: u32::try_from(width).unwrap_or(0),
    })
}

/// `set_rel_width` of a scan's target list: its columns one by one, and
/// every column of the table for a whole-row reference (listed only then);
/// `None` when an entry is a computed expression (a scan's own target list
/// never has one).
pub(crate) fn scan_target_width(
    catalog: &Catalog,
    stats: Option<&fdw_catalog::stats::TableStats>,
    relation: &fdw_catalog::objects::Relation,
    rtindex: RelIndex,
    target: &[Expr],
) -> Option<i32> {
    let mut whole_row = false;
    for expr in target {
        let Expr::Var(var) = expr else {
            return None;
        };
        if var.varno != rtindex || var.varlevelsup != 0 {
            return None;
        }
        whole_row |= var.varattno == AttrNumber::WHOLE_ROW;
    }
    let columns = target.iter().filter_map(|expr| match expr {
        Expr::Var(var) if var.varattno != AttrNumber::WHOLE_ROW => Some(ColumnType {
            attnum: var.varattno.0,
            type_oid: var.vartype,
            typmod: var.vartypmod,
            dropped: false,
        }),
        _ => None,
    });
    // Every column counts only for a whole-row fetch.
    let all_columns = if whole_row {
        column_types(relation)
    } else {
        Vec::new()
    };
    Some(rel_width_of(
        catalog,
        stats,
        columns,
        whole_row,
        &all_columns,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use fdw_core::expr::{Const, Var};

    /// The reference `scan_target_width` is tested against: the columns a
    /// scan's target list fetches, listed, and whether it asks for the
    /// whole row; `None` when an entry is a computed expression.
    fn scan_target_columns(rtindex: RelIndex, target: &[Expr]) -> Option<(Vec<ColumnType>, bool)> {
        let mut columns = Vec::with_capacity(target.len());
        let mut whole_row = false;
        for expr in target {
            let Expr::Var(var) = expr else {
                return None;
            };
            if var.varno != rtindex || var.varlevelsup != 0 {
                return None;
            }
            if var.varattno == AttrNumber::WHOLE_ROW {
                whole_row = true;
            } else {
                columns.push(ColumnType {
                    attnum: var.varattno.0,
                    type_oid: var.vartype,
                    typmod: var.vartypmod,
                    dropped: false,
                });
            }
        }
        Some((columns, whole_row))
    }

    /// `scan_target_width` (no column list) answers as `rel_width` over
    /// `scan_target_columns` does, whole-row references and refusals
    /// included.
    #[test]
    fn scan_target_width_matches_the_listed_columns() {
        let mut catalog = Catalog::new(15).expect("catalog");
        fdw_catalog::ddl::load(
            &mut catalog,
            "CREATE EXTENSION postgres_fdw;
             CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw;
             CREATE FOREIGN TABLE ft (c1 int, c2 text, c3 varchar(10), c4 numeric)
                 SERVER s;",
        )
        .expect("loads");
        let relation = catalog
            .resolve_relation(None, "ft")
            .expect("resolves")
            .clone();
        let rti = RelIndex(1);
        let column = |attnum: i16, type_oid: u32, typmod: i32| {
            Expr::Var(Var::new(
                rti,
                AttrNumber(attnum),
                Oid(type_oid),
                typmod,
                Oid::INVALID,
            ))
        };
        let whole_row = Expr::Var(Var::new(
            rti,
            AttrNumber::WHOLE_ROW,
            relation.row_type,
            -1,
            Oid::INVALID,
        ));
        let targets: Vec<Vec<Expr>> = vec![
            vec![],
            vec![column(1, 23, -1)],
            vec![column(2, 25, -1), column(3, 1043, 14), column(4, 1700, -1)],
            vec![whole_row.clone()],
            vec![column(1, 23, -1), whole_row, column(4, 1700, -1)],
            vec![Expr::Const(Const::new(Oid(23), Oid::INVALID, "1"))],
            vec![Expr::Var(Var::new(
                RelIndex(2),
                AttrNumber(1),
                Oid(23),
                -1,
                Oid::INVALID,
            ))],
        ];
        for target in &targets {
            let listed = scan_target_columns(rti, target).map(|(columns, whole_row)| {
                let all = column_types(&relation);
                rel_width(&catalog, None, &columns, whole_row, &all)
            });
            let direct = scan_target_width(&catalog, None, &relation, rti, target);
            assert_eq!(direct, listed, "{target:?}");
        }
    }
}
