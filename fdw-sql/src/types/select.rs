//! The common type of `CASE`, `COALESCE`, `GREATEST`, `VALUES`, `UNION`
//! branches and `anycompatible` arguments (`select_common_type` and friends).

use fdw_catalog::Catalog;
use fdw_core::{Expr, Oid, TypMod};

use super::cat::{self, format_type};
use super::oids;
use super::{can_coerce_type, CoercionContext};
use crate::error::{Error, Position, Result, SqlState};

/// The type all of `exprs` can be coerced to (`select_common_type`).
///
/// Identical input types give that type (the only way to keep a domain);
/// otherwise domains are reduced to their base types, `unknown` inputs
/// take any known type, all inputs must share a type category, and within
/// it the first preferred type wins, else the type the others coerce to
/// implicitly but not back. All-`unknown` inputs resolve to `text`.
///
/// `context` names the construct in the error (`CASE`, `COALESCE`,
/// `UNION`, ...).
///
/// # Errors
///
/// `CASE types integer and text cannot be matched` (42804).
pub fn select_common_type(
    catalog: &Catalog,
    exprs: &[&Expr],
    context: &str,
    position: Option<Position>,
) -> Result<Oid> {
    let types: Vec<Oid> = exprs.iter().map(|e| e.type_oid()).collect();
    match common_type(catalog, &types) {
        Ok(t) => Ok(t),
        Err((left, right)) => Err(Error::analyze(
            SqlState::DATATYPE_MISMATCH,
            format!(
                "{context} types {} and {} cannot be matched",
                format_type(catalog, left),
                format_type(catalog, right)
            ),
            position,
        )),
    }
}

/// [`select_common_type`] over bare type oids (`select_common_type_from_oids`):
/// `Ok(None)` on a category conflict when `noerror`.
///
/// # Errors
///
/// `argument types integer and text cannot be matched` (42804) unless `noerror`.
pub fn select_common_type_from_oids(
    catalog: &Catalog,
    types: &[Oid],
    noerror: bool,
) -> Result<Option<Oid>> {
    match common_type(catalog, types) {
        Ok(t) => Ok(Some(t)),
        Err(_) if noerror => Ok(None),
        Err((left, right)) => Err(Error::analyze(
            SqlState::DATATYPE_MISMATCH,
            format!(
                "argument types {} and {} cannot be matched",
                format_type(catalog, left),
                format_type(catalog, right)
            ),
            None,
        )),
    }
}

/// The shared algorithm; `Err` holds the two types whose categories clash.
fn common_type(catalog: &Catalog, types: &[Oid]) -> Result<Oid, (Oid, Oid)> {
    let Some((&first, rest)) = types.split_first() else {
        return Ok(oids::TEXT);
    };
    let mut ptype = first;
    let mut start = 0;
    if ptype != oids::UNKNOWN {
        match rest.iter().position(|&t| t != ptype) {
            None => return Ok(ptype),
            Some(i) => start = i,
        }
    }
    ptype = cat::base_type(catalog, ptype);
    let (mut pcategory, mut ppreferred) = cat::category_preferred(catalog, ptype);
    for &raw in rest.iter().skip(start) {
        let ntype = cat::base_type(catalog, raw);
        if ntype == oids::UNKNOWN || ntype == ptype {
            continue;
        }
        let (ncategory, npreferred) = cat::category_preferred(catalog, ntype);
        if ptype == oids::UNKNOWN {
            ptype = ntype;
            pcategory = ncategory;
            ppreferred = npreferred;
        } else if ncategory != pcategory {
            return Err((ptype, ntype));
        } else if !ppreferred
            && can_coerce_type(catalog, &[ptype], &[ntype], CoercionContext::Implicit)
            && !can_coerce_type(catalog, &[ntype], &[ptype], CoercionContext::Implicit)
        {
            ptype = ntype;
            pcategory = ncategory;
            ppreferred = npreferred;
        }
    }
    if ptype == oids::UNKNOWN {
        ptype = oids::TEXT;
    }
    Ok(ptype)
}

/// The typmod shared by all of `exprs` when they all have type
/// `common_type` and the same typmod, else -1 (`select_common_typmod`).
pub fn select_common_typmod(exprs: &[&Expr], common_type: Oid) -> TypMod {
    let mut result = None;
    for expr in exprs {
        if expr.type_oid() != common_type {
            return -1;
        }
        match result {
            None => result = Some(expr.typmod()),
            Some(t) if t != expr.typmod() => return -1,
            Some(_) => {}
        }
    }
    result.unwrap_or(-1)
}

/// Whether every type can be coerced implicitly to `common`
/// (`verify_common_type_from_oids`).
pub(crate) fn verify_common_type_from_oids(catalog: &Catalog, common: Oid, types: &[Oid]) -> bool {
    types
        .iter()
        .all(|&t| can_coerce_type(catalog, &[t], &[common], CoercionContext::Implicit))
}
