//! Polymorphic argument and result types (`check_generic_type_consistency`
//! and `enforce_generic_type_consistency`).
//!
//! Two independent families: `anyelement`, `anyarray`, `anynonarray`,
//! `anyenum`, `anyrange`, `anymultirange` must all agree on one element
//! type exactly; the `anycompatible` family takes the common type of its
//! arguments, to which they are then coerced.

use fdw_catalog::Catalog;
use fdw_core::Oid;

use super::cat::{self, format_type};
use super::oids::*;
use super::select::{select_common_type_from_oids, verify_common_type_from_oids};
use crate::error::{Error, Result, SqlState};

/// Whether the actual types fit the declared polymorphic types together,
/// without resolving anything (`check_generic_type_consistency`).
pub(crate) fn check_generic_type_consistency(
    catalog: &Catalog,
    actual: &[Oid],
    declared: &[Oid],
) -> bool {
    let mut elem = Oid::INVALID;
    let mut array = Oid::INVALID;
    let mut range = Oid::INVALID;
    let mut multirange = Oid::INVALID;
    let mut compat_range = Oid::INVALID;
    let mut compat_range_elem = Oid::INVALID;
    let mut compat_multirange = Oid::INVALID;
    let mut compat_multirange_elem = Oid::INVALID;
    let mut compat_types = Vec::new();
    let mut have_anynonarray = false;
    let mut have_anyenum = false;
    let mut have_compat_nonarray = false;
    for (&decl, &act) in declared.iter().zip(actual) {
        match decl {
            ANYELEMENT | ANYNONARRAY | ANYENUM => {
                if decl == ANYNONARRAY {
                    have_anynonarray = true;
                } else if decl == ANYENUM {
                    have_anyenum = true;
                }
                if act == UNKNOWN {
                    continue;
                }
                if !elem.is_invalid() && act != elem {
                    return false;
                }
                elem = act;
            }
            ANYARRAY | ANYRANGE | ANYMULTIRANGE => {
                if act == UNKNOWN {
                    continue;
                }
                let act = cat::base_type(catalog, act);
                let slot = match decl {
                    ANYARRAY => &mut array,
                    ANYRANGE => &mut range,
                    _ => &mut multirange,
                };
                if !slot.is_invalid() && act != *slot {
                    return false;
                }
                *slot = act;
            }
            ANYCOMPATIBLE | ANYCOMPATIBLENONARRAY => {
                if decl == ANYCOMPATIBLENONARRAY {
                    have_compat_nonarray = true;
                }
                if act == UNKNOWN {
                    continue;
                }
                compat_types.push(act);
            }
            ANYCOMPATIBLEARRAY => {
                if act == UNKNOWN {
                    continue;
                }
                let e = cat::element_type(catalog, cat::base_type(catalog, act));
                if e.is_invalid() {
                    return false;
                }
                compat_types.push(e);
            }
            ANYCOMPATIBLERANGE => {
                if act == UNKNOWN {
                    continue;
                }
                let act = cat::base_type(catalog, act);
                if !compat_range.is_invalid() {
                    if compat_range != act {
                        return false;
                    }
                } else {
                    compat_range = act;
                    compat_range_elem = cat::range_subtype(act);
                    if compat_range_elem.is_invalid() {
                        return false;
                    }
                    compat_types.push(compat_range_elem);
                }
            }
            ANYCOMPATIBLEMULTIRANGE => {
                if act == UNKNOWN {
                    continue;
                }
                let act = cat::base_type(catalog, act);
                if !compat_multirange.is_invalid() {
                    if compat_multirange != act {
                        return false;
                    }
                } else {
                    compat_multirange = act;
                    compat_multirange_elem = cat::multirange_range(act);
                    if compat_multirange_elem.is_invalid() {
                        return false;
                    }
                }
            }
            _ => {}
        }
    }
    if !array.is_invalid() {
        if array == ANYARRAY {
            // An anyarray input (a column of pg_statistic) fits only alone.
            if !elem.is_invalid() {
                return false;
            }
        } else {
            let array_elem = cat::element_type(catalog, array);
            if array_elem.is_invalid() {
                return false;
            }
            if elem.is_invalid() {
                elem = array_elem;
            } else if array_elem != elem {
                return false;
            }
        }
    }
    if !multirange.is_invalid() {
        let mr_range = cat::multirange_range(multirange);
        if mr_range.is_invalid() {
            return false;
        }
        if range.is_invalid() {
            range = mr_range;
        } else if mr_range != range {
            return false;
        }
    }
    if !range.is_invalid() {
        let range_elem = cat::range_subtype(range);
        if range_elem.is_invalid() {
            return false;
        }
        if elem.is_invalid() {
            elem = range_elem;
        } else if range_elem != elem {
            return false;
        }
    }
    if have_anynonarray && cat::is_array_or_domain_array(catalog, elem) {
        return false;
    }
    if have_anyenum && !cat::is_enum(catalog, elem) {
        return false;
    }
    if !compat_multirange.is_invalid() {
        if !compat_range.is_invalid() {
            if compat_multirange_elem != compat_range {
                return false;
            }
        } else {
            compat_range = compat_multirange_elem;
            compat_range_elem = cat::range_subtype(compat_range);
            if compat_range_elem.is_invalid() {
                return false;
            }
            compat_types.push(compat_range_elem);
        }
    }
    if !compat_types.is_empty() {
        let Ok(Some(common)) = select_common_type_from_oids(catalog, &compat_types, true) else {
            return false;
        };
        if have_compat_nonarray && cat::is_array_or_domain_array(catalog, common) {
            return false;
        }
        if !compat_range_elem.is_invalid() && compat_range_elem != common {
            return false;
        }
    }
    true
}

fn mismatch(message: String) -> Error {
    Error::analyze(SqlState::DATATYPE_MISMATCH, message, None)
}

fn not_alike(family: &str) -> Error {
    mismatch(format!("arguments declared \"{family}\" are not all alike"))
}

/// Resolves polymorphic declared types against the actual ones
/// (`enforce_generic_type_consistency`): replaces the declared types of
/// `unknown` family-1 arguments and of every `anycompatible`-family
/// argument with the resolved types (the targets of the argument
/// coercions) and returns the resolved result type.
///
/// `allow_poly` lets polymorphic actual types through unresolved (used for
/// aggregate transition types).
///
/// # Errors
///
/// PostgreSQL's 42804 errors: `arguments declared "anyelement" are not all
/// alike`, `argument declared anyarray is not an array but type integer`,
/// `could not determine polymorphic type because input has type unknown`,
/// `arguments of anycompatible family cannot be cast to a common type`, ...;
/// `could not find array type for data type ...` (42704).
pub fn enforce_generic_type_consistency(
    catalog: &Catalog,
    actual: &[Oid],
    declared: &mut [Oid],
    rettype: Oid,
    allow_poly: bool,
) -> Result<Oid> {
    let mut have_poly_compat = false;
    let mut have_poly_unknowns = false;
    let mut elem = Oid::INVALID;
    let mut array = Oid::INVALID;
    let mut range = Oid::INVALID;
    let mut multirange = Oid::INVALID;
    let mut compat = Oid::INVALID;
    let mut compat_array = Oid::INVALID;
    let mut compat_range = Oid::INVALID;
    let mut compat_multirange = Oid::INVALID;
    let mut compat_multirange_elem = Oid::INVALID;
    let mut compat_types = Vec::new();
    let mut have_anynonarray = rettype == ANYNONARRAY;
    let mut have_anyenum = rettype == ANYENUM;
    let have_anymultirange = rettype == ANYMULTIRANGE;
    let mut have_compat_nonarray = rettype == ANYCOMPATIBLENONARRAY;
    let mut have_compat_array = rettype == ANYCOMPATIBLEARRAY;
    let mut have_compat_range = rettype == ANYCOMPATIBLERANGE;
    let mut have_compat_multirange = rettype == ANYCOMPATIBLEMULTIRANGE;
    let mut n_poly_args = 0;

    for (&decl, &act) in declared.iter().zip(actual) {
        match decl {
            ANYELEMENT | ANYNONARRAY | ANYENUM => {
                n_poly_args += 1;
                if decl == ANYNONARRAY {
                    have_anynonarray = true;
                } else if decl == ANYENUM {
                    have_anyenum = true;
                }
                if act == UNKNOWN {
                    have_poly_unknowns = true;
                    continue;
                }
                if allow_poly && decl == act {
                    continue;
                }
                if !elem.is_invalid() && act != elem {
                    return Err(not_alike("anyelement"));
                }
                elem = act;
            }
            ANYARRAY | ANYRANGE | ANYMULTIRANGE => {
                n_poly_args += 1;
                if act == UNKNOWN {
                    have_poly_unknowns = true;
                    continue;
                }
                if allow_poly && decl == act {
                    continue;
                }
                let act = cat::base_type(catalog, act);
                let (slot, family) = match decl {
                    ANYARRAY => (&mut array, "anyarray"),
                    ANYRANGE => (&mut range, "anyrange"),
                    _ => (&mut multirange, "anymultirange"),
                };
                if !slot.is_invalid() && act != *slot {
                    return Err(not_alike(family));
                }
                *slot = act;
            }
            ANYCOMPATIBLE | ANYCOMPATIBLENONARRAY => {
                have_poly_compat = true;
                if decl == ANYCOMPATIBLENONARRAY {
                    have_compat_nonarray = true;
                }
                if act == UNKNOWN || (allow_poly && decl == act) {
                    continue;
                }
                compat_types.push(act);
            }
            ANYCOMPATIBLEARRAY => {
                have_poly_compat = true;
                have_compat_array = true;
                if act == UNKNOWN || (allow_poly && decl == act) {
                    continue;
                }
                let act = cat::base_type(catalog, act);
                let e = cat::element_type(catalog, act);
                if e.is_invalid() {
                    return Err(mismatch(format!(
                        "argument declared anycompatiblearray is not an array but type {}",
                        format_type(catalog, act)
                    )));
                }
                compat_types.push(e);
            }
            ANYCOMPATIBLERANGE => {
                have_poly_compat = true;
                have_compat_range = true;
                if act == UNKNOWN || (allow_poly && decl == act) {
                    continue;
                }
                let act = cat::base_type(catalog, act);
                if !compat_range.is_invalid() {
                    if compat_range != act {
                        return Err(not_alike("anycompatiblerange"));
                    }
                } else {
                    compat_range = act;
                    let sub = cat::range_subtype(act);
                    if sub.is_invalid() {
                        return Err(mismatch(format!(
                            "argument declared anycompatiblerange is not a range type but type {}",
                            format_type(catalog, act)
                        )));
                    }
                    compat_types.push(sub);
                }
            }
            ANYCOMPATIBLEMULTIRANGE => {
                have_poly_compat = true;
                have_compat_multirange = true;
                if act == UNKNOWN || (allow_poly && decl == act) {
                    continue;
                }
                let act = cat::base_type(catalog, act);
                if !compat_multirange.is_invalid() {
                    if compat_multirange != act {
                        return Err(not_alike("anycompatiblemultirange"));
                    }
                } else {
                    compat_multirange = act;
                    compat_multirange_elem = cat::multirange_range(act);
                    if compat_multirange_elem.is_invalid() {
                        return Err(mismatch(format!(
                            "argument declared anycompatiblemultirange is not a multirange type but type {}",
                            format_type(catalog, act)
                        )));
                    }
                }
            }
            _ => {}
        }
    }

    if n_poly_args == 0 && !have_poly_compat {
        return Ok(rettype);
    }

    if n_poly_args > 0 {
        if !array.is_invalid() {
            let array_elem = if array == ANYARRAY {
                ANYELEMENT
            } else {
                let e = cat::element_type(catalog, array);
                if e.is_invalid() {
                    return Err(mismatch(format!(
                        "argument declared anyarray is not an array but type {}",
                        format_type(catalog, array)
                    )));
                }
                e
            };
            if elem.is_invalid() {
                elem = array_elem;
            } else if array_elem != elem {
                return Err(mismatch(
                    "argument declared anyarray is not consistent with argument declared anyelement"
                        .to_owned(),
                ));
            }
        }
        if !multirange.is_invalid() {
            let mr_range = cat::multirange_range(multirange);
            if mr_range.is_invalid() {
                return Err(mismatch(format!(
                    "argument declared anymultirange is not a multirange type but type {}",
                    format_type(catalog, multirange)
                )));
            }
            if range.is_invalid() {
                range = mr_range;
            } else if mr_range != range {
                return Err(mismatch(
                    "argument declared anymultirange is not consistent with argument declared anyrange"
                        .to_owned(),
                ));
            }
        } else if have_anymultirange && !range.is_invalid() {
            multirange = cat::range_multirange(range);
        }
        if !range.is_invalid() {
            let sub = cat::range_subtype(range);
            if sub.is_invalid() {
                return Err(mismatch(format!(
                    "argument declared anyrange is not a range type but type {}",
                    format_type(catalog, range)
                )));
            }
            if elem.is_invalid() {
                elem = sub;
            } else if sub != elem {
                return Err(mismatch(
                    "argument declared anyrange is not consistent with argument declared anyelement"
                        .to_owned(),
                ));
            }
        }
        if elem.is_invalid() {
            if allow_poly {
                elem = ANYELEMENT;
                array = ANYARRAY;
                range = ANYRANGE;
                multirange = ANYMULTIRANGE;
            } else {
                return Err(mismatch(
                    "could not determine polymorphic type because input has type unknown"
                        .to_owned(),
                ));
            }
        }
        if have_anynonarray && elem != ANYELEMENT && cat::is_array_or_domain_array(catalog, elem) {
            return Err(mismatch(format!(
                "type matched to anynonarray is an array type: {}",
                format_type(catalog, elem)
            )));
        }
        if have_anyenum && elem != ANYELEMENT && !cat::is_enum(catalog, elem) {
            return Err(mismatch(format!(
                "type matched to anyenum is not an enum type: {}",
                format_type(catalog, elem)
            )));
        }
    }

    if have_poly_compat {
        if !compat_multirange.is_invalid() {
            if !compat_range.is_invalid() {
                if compat_multirange_elem != compat_range {
                    return Err(mismatch(
                        "argument declared anycompatiblemultirange is not consistent with argument declared anycompatiblerange"
                            .to_owned(),
                    ));
                }
            } else {
                compat_range = compat_multirange_elem;
                let sub = cat::range_subtype(compat_range);
                if !sub.is_invalid() {
                    compat_types.push(sub);
                }
            }
        } else if have_compat_multirange && !compat_range.is_invalid() {
            compat_multirange = cat::range_multirange(compat_range);
        }
        if !compat_types.is_empty() {
            compat = select_common_type_from_oids(catalog, &compat_types, false)?
                .unwrap_or(Oid::INVALID);
            if !verify_common_type_from_oids(catalog, compat, &compat_types) {
                return Err(mismatch(
                    "arguments of anycompatible family cannot be cast to a common type".to_owned(),
                ));
            }
            if have_compat_array {
                compat_array = cat::array_type(catalog, compat);
                if compat_array.is_invalid() {
                    return Err(Error::analyze(
                        SqlState::UNDEFINED_OBJECT,
                        format!(
                            "could not find array type for data type {}",
                            format_type(catalog, compat)
                        ),
                        None,
                    ));
                }
            }
            if have_compat_range && compat_range.is_invalid() {
                return Err(mismatch(format!(
                    "could not determine polymorphic type anycompatiblerange because input has type {}",
                    format_type(catalog, compat)
                )));
            }
            if have_compat_multirange && compat_multirange.is_invalid() {
                return Err(mismatch(format!(
                    "could not determine polymorphic type anycompatiblemultirange because input has type {}",
                    format_type(catalog, compat)
                )));
            }
            if have_compat_nonarray && cat::is_array_or_domain_array(catalog, compat) {
                return Err(mismatch(format!(
                    "type matched to anycompatiblenonarray is an array type: {}",
                    format_type(catalog, compat)
                )));
            }
        } else if allow_poly {
            compat = ANYCOMPATIBLE;
            compat_array = ANYCOMPATIBLEARRAY;
            compat_range = ANYCOMPATIBLERANGE;
            compat_multirange = ANYCOMPATIBLEMULTIRANGE;
        } else {
            // Only unknown literals: text, as select_common_type would say.
            compat = TEXT;
            compat_array = TEXT_ARRAY;
            if have_compat_range {
                return Err(mismatch(
                    "could not determine polymorphic type anycompatiblerange because input has type unknown"
                        .to_owned(),
                ));
            }
            if have_compat_multirange {
                return Err(mismatch(
                    "could not determine polymorphic type anycompatiblemultirange because input has type unknown"
                        .to_owned(),
                ));
            }
        }
        for d in declared.iter_mut() {
            match *d {
                ANYCOMPATIBLE | ANYCOMPATIBLENONARRAY => *d = compat,
                ANYCOMPATIBLEARRAY => *d = compat_array,
                ANYCOMPATIBLERANGE => *d = compat_range,
                ANYCOMPATIBLEMULTIRANGE => *d = compat_multirange,
                _ => {}
            }
        }
    }

    if have_poly_unknowns {
        for (d, &act) in declared.iter_mut().zip(actual) {
            if act != UNKNOWN {
                continue;
            }
            match *d {
                ANYELEMENT | ANYNONARRAY | ANYENUM => *d = elem,
                ANYARRAY => {
                    if array.is_invalid() {
                        array = array_of(catalog, elem)?;
                    }
                    *d = array;
                }
                ANYRANGE => {
                    if range.is_invalid() {
                        return Err(mismatch(format!(
                            "could not determine polymorphic type anyrange because input has type {}",
                            format_type(catalog, elem)
                        )));
                    }
                    *d = range;
                }
                ANYMULTIRANGE => {
                    if multirange.is_invalid() {
                        return Err(mismatch(format!(
                            "could not determine polymorphic type anymultirange because input has type {}",
                            format_type(catalog, elem)
                        )));
                    }
                    *d = multirange;
                }
                _ => {}
            }
        }
    }

    Ok(match rettype {
        ANYELEMENT | ANYNONARRAY | ANYENUM => elem,
        ANYARRAY => {
            if array.is_invalid() {
                array_of(catalog, elem)?
            } else {
                array
            }
        }
        ANYRANGE => {
            if range.is_invalid() {
                return Err(mismatch(format!(
                    "could not determine polymorphic type anyrange because input has type {}",
                    format_type(catalog, elem)
                )));
            }
            range
        }
        ANYMULTIRANGE => {
            if multirange.is_invalid() {
                return Err(mismatch(format!(
                    "could not determine polymorphic type anymultirange because input has type {}",
                    format_type(catalog, elem)
                )));
            }
            multirange
        }
        ANYCOMPATIBLE | ANYCOMPATIBLENONARRAY => {
            if compat.is_invalid() {
                return Err(Error::Internal(
                    "could not identify anycompatible type".into(),
                ));
            }
            compat
        }
        ANYCOMPATIBLEARRAY => compat_array,
        ANYCOMPATIBLERANGE => compat_range,
        ANYCOMPATIBLEMULTIRANGE => compat_multirange,
        other => other,
    })
}

fn array_of(catalog: &Catalog, elem: Oid) -> Result<Oid> {
    let a = cat::array_type(catalog, elem);
    if a.is_invalid() {
        return Err(Error::analyze(
            SqlState::UNDEFINED_OBJECT,
            format!(
                "could not find array type for data type {}",
                format_type(catalog, elem)
            ),
            None,
        ));
    }
    Ok(a)
}
