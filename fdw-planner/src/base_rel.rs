//! One foreign table scanned on its own (postgres_fdw's
//! `postgresGetForeignRelSize` + `postgresGetForeignPlan` for a base
//! relation): its conditions classified into remote and local, both put in
//! execution order, the columns to fetch, and the remote `SELECT`.
//!
//! This is also the entry point for hosts that already have trees: build
//! the [`Catalog`] and the condition trees in code and call
//! [`plan_base_rel`].

use std::sync::Arc;

use fdw_catalog::options::FdwOptions;
use fdw_catalog::Catalog;
use fdw_core::query::LockStrength;
use fdw_core::{Expr, Oid, RelIndex, RemoteQuery};
use fdw_cost::{CostParams, QualCost};
use fdw_deparse::{
    deparse_select_for_base_rel_into, is_foreign_expr, AttrsUsed, BaseRelScan, Dialect, ForeignRel,
    NotShippable, ScanRel, Shippability,
};

use crate::cost_order::qual_clause_order_costed;
use crate::costing::ScanClause;
use crate::error::Result;

/// A condition that stays local, with the reason it is not sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NotPushed {
    /// The condition: the same shared tree as the scan's
    /// [`RemoteQuery::local_quals`] entry, so that reporting it copies a
    /// pointer, not the tree.
    pub clause: Arc<Expr>,
    /// The first obstacle the shippability walker found.
    pub reason: NotShippable,
}

/// A planned base-relation scan.
#[derive(Debug, Clone, PartialEq)]
pub struct BaseRelPlan {
    /// The remote statement, with the remote conditions (`WHERE`, in
    /// execution order) and the local ones (`Filter:`, in execution order).
    pub remote: RemoteQuery,
    /// Why each local condition stays local, in `Filter:` order.
    pub not_pushed: Vec<NotPushed>,
    /// The foreign server scanned.
    pub server: Oid,
    /// Rows per `FETCH` (the `fetch_size` option in effect).
    pub fetch_size: u32,
}

/// Plans the scan of foreign table `table` at range-table index `rtindex`
/// with its restrictions `conds` (in the order the planner distributed
/// them): each condition is classified as postgres_fdw's
/// `classifyConditions` does, the whole list is put in execution order by
/// per-tuple cost (`order_qual_clauses`, which `create_foreignscan_plan`
/// applies before `postgresGetForeignPlan` splits it again), and the
/// `SELECT` fetches `attrs_used` plus the columns the local conditions need.
///
/// # Errors
///
/// [`crate::Error::Deparse`] when `table` is not a foreign table or an
/// expression cannot be printed; [`crate::Error::Core`] for trees nested
/// too deeply.
///
/// # Example
///
/// ```
/// use fdw_catalog::Catalog;
/// use fdw_core::expr::{Const, OpExpr, Var};
/// use fdw_core::{AttrNumber, Expr, Oid, RelIndex};
/// use fdw_deparse::{AttrsUsed, PostgresDialect};
/// use fdw_planner::base_rel::plan_base_rel;
///
/// let mut catalog = Catalog::new(15)?;
/// fdw_catalog::ddl::load(&mut catalog, "
///     CREATE EXTENSION postgres_fdw;
///     CREATE SERVER loopback FOREIGN DATA WRAPPER postgres_fdw;
///     CREATE FOREIGN TABLE ft1 (c1 int, c2 text) SERVER loopback
///         OPTIONS (schema_name 'S 1', table_name 'T 1');")?;
/// let table = catalog.resolve_relation(None, "ft1")?.oid;
/// // c1 = 101: int4eq (operator 96) over column 1 and a constant.
/// let c1 = Var::new(RelIndex(1), AttrNumber(1), Oid(23), -1, Oid::INVALID);
/// let cond = Expr::OpExpr(Box::new(OpExpr {
///     opno: Oid(96),
///     opfuncid: Oid(65),
///     opresulttype: Oid(16),
///     opretset: false,
///     opcollid: Oid::INVALID,
///     inputcollid: Oid::INVALID,
///     args: vec![c1.into(), Const::new(Oid(23), Oid::INVALID, "101").into()].into(),
/// }));
/// let attrs = AttrsUsed::from_attnums([AttrNumber(2)]);
/// let dialect = PostgresDialect::new(15)?;
/// let plan = plan_base_rel(&catalog, &dialect, RelIndex(1), table, &[cond], attrs, None)?;
/// assert_eq!(plan.remote.sql, r#"SELECT c2 FROM "S 1"."T 1" WHERE ((c1 = 101))"#);
/// assert!(plan.not_pushed.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn plan_base_rel(
    catalog: &Catalog,
    dialect: &dyn Dialect,
    rtindex: RelIndex,
    table: Oid,
    conds: &[Expr],
    attrs_used: AttrsUsed,
    locking: Option<LockStrength>,
) -> Result<BaseRelPlan> {
    let params = CostParams::from_settings(catalog.settings());
    let options = catalog
        .fdw_options(table)
        .map_err(fdw_deparse::Error::from)?;
    // The plan shares its condition trees (see `RemoteQuery::local_quals`);
    // trees borrowed from the caller are copied into shared ones once here.
    let conds: Vec<Arc<Expr>> = conds.iter().cloned().map(Arc::new).collect();
    let planned = plan_base_rel_of(
        catalog,
        dialect,
        &params,
        &options,
        rtindex,
        table,
        &conds,
        |cond| cond,
        0,
        attrs_used,
        locking,
    )?;
    Ok(planned.plan)
}

/// [`plan_base_rel_of`]'s answer: the plan, and by position in the
/// conditions given, which stay local and what each costs per row.
pub(crate) struct PlannedBaseRel<'c> {
    /// The scan.
    pub plan: BaseRelPlan,
    /// The conditions as the scan's estimate takes them, in the order
    /// given, each marked local or not (with room for the caller's
    /// pseudoconstant clauses): the list the estimate reads is this one,
    /// not a second one made from flags.
    pub clauses: Vec<ScanClause<'c>>,
    /// Each condition's `cost_qual_eval`, when every one could be costed
    /// (the execution order was computed from them; the estimate reuses them).
    pub qual_costs: Option<Vec<QualCost>>,
}

/// [`plan_base_rel`] over conditions read through `expr_of` where they
/// are (a list of references to them was an allocation per scan), also
/// saying which of them (by position in `conds`) stay local; the clause
/// list it returns has room for `extra_clauses` more. The plan shares the
/// condition trees with `conds` (a pointer copy each, not a tree copy).
#[allow(clippy::too_many_arguments)]
pub(crate) fn plan_base_rel_of<'c, C>(
    catalog: &Catalog,
    dialect: &dyn Dialect,
    params: &CostParams,
    options: &FdwOptions,
    rtindex: RelIndex,
    table: Oid,
    conds: &'c [C],
    expr_of: impl Fn(&'c C) -> &'c Arc<Expr> + Copy,
    extra_clauses: usize,
    attrs_used: AttrsUsed,
    locking: Option<LockStrength>,
) -> Result<PlannedBaseRel<'c>> {
    let scan_rel = ScanRel::base(rtindex, table);
    let rel = ForeignRel::base(catalog, dialect, &scan_rel)?;
    let (order, qual_costs) =
        qual_clause_order_costed(catalog, params, conds.iter().map(|cond| &**expr_of(cond)))?;
    let mut remote_conds = Vec::with_capacity(conds.len());
    let mut local_conds = Vec::new();
    let mut not_pushed = Vec::new();
    let mut clauses = Vec::with_capacity(conds.len() + extra_clauses);
    clauses.extend(conds.iter().map(|cond| ScanClause {
        expr: expr_of(cond),
        pseudoconstant: false,
        local: false,
    }));
    for at in order {
        let Some(cond) = conds.get(at).map(expr_of) else {
            continue;
        };
        // The clones below are of shared pointers, not of the trees.
        match is_foreign_expr(&rel, cond)? {
            Shippability::Shippable => remote_conds.push(Arc::clone(cond)),
            Shippability::NotShippable(reason) => {
                not_pushed.push(NotPushed {
                    clause: Arc::clone(cond),
                    reason,
                });
                local_conds.push(Arc::clone(cond));
                if let Some(clause) = clauses.get_mut(at) {
                    clause.local = true;
                }
            }
        }
    }
    let mut scan = BaseRelScan::new(rtindex, table, attrs_used);
    scan.remote_conds = remote_conds;
    scan.local_conds = local_conds;
    scan.locking = locking;
    let remote = deparse_select_for_base_rel_into(catalog, dialect, scan)?;
    Ok(PlannedBaseRel {
        plan: BaseRelPlan {
            remote,
            not_pushed,
            server: rel.server,
            fetch_size: u32::try_from(options.fetch_size).unwrap_or(100),
        },
        clauses,
        qual_costs,
    })
}
