//! fdw-planner's tests, one binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod costs;
mod differential;
mod explain_exprs;
mod fold_oracle;
mod inline_oracle;
mod join_costs;
mod local_costs;
mod ordering;
mod properties;

/// Plans `sql` (with parameters of types `params`) and renders it with
/// `options`; with the reasons any estimate could not be made
/// (`cost_errors`).
fn explain_sql(
    catalog: &fdw_catalog::catalog::Catalog,
    sql: &str,
    params: &[fdw_core::Oid],
    options: fdw_planner::render::ExplainOptions,
) -> Result<(fdw_planner::render::Explained, Vec<String>), String> {
    let dialect = fdw_deparse::PostgresDialect::new(15).map_err(|e| e.to_string())?;
    let prepared = fdw_sql::prepare_query(catalog, sql, params).map_err(|e| e.to_string())?;
    let planned = fdw_planner::plan_query::plan_query(catalog, &dialect, &prepared)
        .map_err(|e| e.to_string())?;
    let explained = fdw_planner::render::explain(catalog, &dialect, &planned, options)
        .map_err(|e| e.to_string())?;
    Ok((explained, planned.cost_errors))
}

/// Plans `sql` and renders it as `EXPLAIN (VERBOSE, COSTS ON)` prints it;
/// with the reasons any estimate could not be made (`cost_errors`).
fn explain_with_costs(
    catalog: &fdw_catalog::catalog::Catalog,
    sql: &str,
) -> Result<(fdw_planner::render::Explained, Vec<String>), String> {
    explain_sql(
        catalog,
        sql,
        &[],
        fdw_planner::render::ExplainOptions {
            costs: true,
            ..Default::default()
        },
    )
}
