//! Per-tuple evaluation cost of conditions and their execution order, as
//! PostgreSQL's `cost_qual_eval_walker` (costsize.c) and
//! `order_qual_clauses` (createplan.c) compute them.
//!
//! Costs are in units of `cpu_operator_cost`: a function or operator costs
//! its `procost`; the ordering only compares costs, so the common factor
//! does not matter.

use std::borrow::Borrow;

use fdw_catalog::Catalog;
use fdw_core::expr::{walk, Visit};
use fdw_core::{Expr, Oid};
use fdw_cost::{cost_qual_eval_node, CostParams, QualCost};

use crate::error::Result;

/// `MIN_ARRAY_SIZE_FOR_HASHED_SAOP` (clauses.c): constant arrays this long
/// or longer are searched through a hash table.
const MIN_ARRAY_SIZE_FOR_HASHED_SAOP: usize = 9;

/// The per-tuple cost of evaluating `expr` once, in units of
/// `cpu_operator_cost` (`cost_qual_eval_node(...).per_tuple /
/// cpu_operator_cost`).
///
/// Functions and operators cost their `procost`; `x op ANY (array)` costs
/// the operator times half the estimated array length (or one hash probe
/// and one comparison for a constant array of nine or more elements with a
/// hashable operator); I/O coercions cost the output and input functions;
/// `GREATEST`/`LEAST`, SQL value functions, XML expressions, domain checks
/// and `nextval` cost one operator; columns, constants and parameters are
/// free.
///
/// # Errors
///
/// [`crate::Error::Core`] when the tree is nested too deeply.
pub fn qual_eval_cost(catalog: &Catalog, expr: &Expr) -> Result<f64> {
    let mut total = 0.0_f64;
    let mut nested: Vec<Expr> = Vec::new();
    let _flow = walk(expr, |node| {
        match node {
            Expr::FuncExpr(func) => total += proc_cost(catalog, func.funcid),
            Expr::OpExpr(op) | Expr::DistinctExpr(op) | Expr::NullIfExpr(op) => {
                total += proc_cost(catalog, op_func(catalog, op.opno, op.opfuncid));
            }
            Expr::ScalarArrayOpExpr(saop) => {
                let opcost = proc_cost(catalog, op_func(catalog, saop.opno, saop.opfuncid));
                let array = saop.args.get(1);
                let len = array.map_or(10, estimate_array_length);
                if is_hashed_saop(catalog, saop.opno, saop.use_or, array, len) {
                    // One hash and one comparison per probe; the hash
                    // functions of the built-in hash opclasses cost 1.
                    total += 1.0 + opcost;
                } else {
                    total += opcost * len as f64 * 0.5;
                }
            }
            Expr::Aggref(_) | Expr::WindowFunc(_) => return Visit::Skip,
            Expr::CoerceViaIO(io) => {
                if let Some(info) = catalog.type_info(io.resulttype) {
                    total += proc_cost(catalog, info.input);
                }
                if let Some(info) = catalog.type_info(io.arg.type_oid()) {
                    total += proc_cost(catalog, info.output);
                }
            }
            Expr::ArrayCoerceExpr(coerce) => {
                nested.push(coerce.elemexpr.clone());
                nested.push(coerce.arg.clone());
            }
            Expr::RowCompareExpr(row) => {
                for &opno in &row.opnos {
                    total += proc_cost(catalog, op_func(catalog, opno, Oid::INVALID));
                }
            }
            Expr::MinMaxExpr(_)
            | Expr::SqlValueFunction(_)
            | Expr::XmlExpr(_)
            | Expr::CoerceToDomain(_)
            | Expr::NextValueExpr(_) => total += 1.0,
            _ => {}
        }
        Visit::Descend
    })?;
    // ArrayCoerceExpr: the per-element cost times the array's estimated
    // length (the walker above already counted its children once, as
    // PostgreSQL's does after charging the per-element cost).
    for pair in nested.chunks(2) {
        if let [elem, arg] = pair {
            let per_elem = qual_eval_cost(catalog, elem)?;
            if per_elem > 0.0 {
                total += per_elem * estimate_array_length(arg) as f64;
            }
        }
    }
    Ok(total)
}

/// `order_qual_clauses`: a stable sort of `clauses` by per-tuple
/// evaluation cost, cheapest first. The clauses are owned trees or
/// shared ones (a local join's filters).
///
/// # Errors
///
/// As [`qual_eval_cost`].
pub fn order_qual_clauses<Q: Borrow<Expr>>(catalog: &Catalog, clauses: Vec<Q>) -> Result<Vec<Q>> {
    let mut costed = Vec::with_capacity(clauses.len());
    for clause in clauses {
        costed.push((qual_eval_cost(catalog, clause.borrow())?, clause));
    }
    // `sort_by` is stable, as PostgreSQL's insertion sort is.
    costed.sort_by(|a, b| a.0.total_cmp(&b.0));
    Ok(costed.into_iter().map(|(_, clause)| clause).collect())
}

/// [`order_qual_clauses`] over borrowed clauses: the positions of
/// `clauses` in execution order (nothing is copied).
///
/// # Errors
///
/// As [`qual_eval_cost`].
pub(crate) fn qual_clause_order<Q: Borrow<Expr>>(
    catalog: &Catalog,
    clauses: &[Q],
) -> Result<Vec<usize>> {
    let mut costed = Vec::with_capacity(clauses.len());
    for (at, clause) in clauses.iter().enumerate() {
        costed.push((qual_eval_cost(catalog, clause.borrow())?, at));
    }
    // `sort_by` is stable, as PostgreSQL's insertion sort is.
    costed.sort_by(|a, b| a.0.total_cmp(&b.0));
    Ok(costed.into_iter().map(|(_, at)| at).collect())
}

/// [`qual_clause_order`] by each clause's `cost_qual_eval` per-tuple cost
/// in cost units, as `order_qual_clauses` itself compares them; when
/// fdw-cost cannot cost every clause (a sub-plan), by
/// [`qual_eval_cost`] for all of them.
///
/// Returns the order and, when they were all computed, the costs by
/// position, so that the scan's estimate need not compute them again.
///
/// # Errors
///
/// As [`qual_eval_cost`].
pub(crate) fn qual_clause_order_costed<'c, I>(
    catalog: &Catalog,
    params: &CostParams,
    clauses: I,
) -> Result<(Vec<usize>, Option<Vec<QualCost>>)>
where
    I: IntoIterator<Item = &'c Expr>,
    I::IntoIter: Clone,
{
    // The clauses are read where they are (a list of references to them
    // was an allocation per scan); only the rare fallback lists them.
    let clauses = clauses.into_iter();
    // Sized from the iterator's hint: collecting into an `Option<Vec>`
    // starts from no room and grew twice for ten clauses.
    let mut costs: Vec<QualCost> = Vec::with_capacity(clauses.size_hint().0);
    for clause in clauses.clone() {
        match cost_qual_eval_node(catalog, params, clause) {
            Ok(cost) => costs.push(cost),
            Err(_) => {
                let listed: Vec<&Expr> = clauses.collect();
                return Ok((qual_clause_order(catalog, &listed)?, None));
            }
        }
    }
    // Sorted with each cost beside its position (no look-up per
    // comparison); `sort_by` is stable, as PostgreSQL's insertion sort is.
    let mut costed: Vec<(f64, usize)> = costs
        .iter()
        .enumerate()
        .map(|(at, cost)| (cost.per_tuple, at))
        .collect();
    costed.sort_by(|a, b| a.0.total_cmp(&b.0));
    let order = costed.into_iter().map(|(_, at)| at).collect();
    Ok((order, Some(costs)))
}

/// `procost` of a function; 0 for an unknown one.
fn proc_cost(catalog: &Catalog, funcid: Oid) -> f64 {
    catalog.proc_info(funcid).map_or(0.0, |info| info.cost)
}

/// The function implementing an operator (`set_opfuncid`).
fn op_func(catalog: &Catalog, opno: Oid, opfuncid: Oid) -> Oid {
    if !opfuncid.is_invalid() {
        return opfuncid;
    }
    catalog
        .operator_info(opno)
        .map_or(Oid::INVALID, |info| info.code)
}

/// `convert_saop_to_hashed_saop`'s test: a non-null constant array of at
/// least nine elements and a hashable operator (its negator for `ALL`).
fn is_hashed_saop(
    catalog: &Catalog,
    opno: Oid,
    use_or: bool,
    array: Option<&Expr>,
    len: usize,
) -> bool {
    let Some(Expr::Const(array)) = array else {
        return false;
    };
    if array.value.is_none() || len < MIN_ARRAY_SIZE_FOR_HASHED_SAOP {
        return false;
    }
    let Some(info) = catalog.operator_info(opno) else {
        return false;
    };
    if use_or {
        info.can_hash
    } else {
        catalog
            .operator_info(info.negator)
            .is_some_and(|negator| negator.can_hash)
    }
}

/// `estimate_array_length`: the element count of a constant array or an
/// `ARRAY[...]` constructor, 0 for a null array, else 10.
pub fn estimate_array_length(expr: &Expr) -> usize {
    let mut expr = expr;
    while let Expr::RelabelType(relabel) = expr {
        expr = &relabel.arg;
    }
    match expr {
        Expr::Const(c) => c.value.as_deref().map_or(0, count_array_elements),
        Expr::ArrayExpr(array) if !array.multidims => array.elements.len(),
        _ => 10,
    }
}

/// Counts the elements of an array literal (`{1,2}`, `{{1,2},{3,4}}`,
/// `[0:1]={a,b}`, quoted elements with escapes).
fn count_array_elements(text: &str) -> usize {
    let body = match text.find('=') {
        Some(pos) if text.starts_with('[') => &text[pos + 1..],
        _ => text,
    };
    let mut count = 0;
    let mut in_quotes = false;
    let mut escaped = false;
    let mut element_open = false;
    for ch in body.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match ch {
            '\\' => escaped = true,
            '"' => {
                in_quotes = !in_quotes;
                element_open = true;
            }
            _ if in_quotes => {}
            '{' => element_open = false,
            '}' | ',' => {
                if element_open {
                    count += 1;
                }
                element_open = false;
            }
            c if c.is_whitespace() => {}
            _ => element_open = true,
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::count_array_elements;

    #[test]
    fn array_literals_are_counted() {
        assert_eq!(count_array_elements("{}"), 0);
        assert_eq!(count_array_elements("{1,2,3}"), 3);
        assert_eq!(count_array_elements("{{1,2},{3,4}}"), 4);
        assert_eq!(count_array_elements(r#"{"a,b","c\"d"}"#), 2);
        assert_eq!(count_array_elements("[0:1]={a,b}"), 2);
        assert_eq!(count_array_elements(r#"{"",NULL}"#), 2);
    }
}
