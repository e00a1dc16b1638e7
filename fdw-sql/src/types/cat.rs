//! Catalog look-ups in the shape the resolution rules need them
//! (`lsyscache.c`'s `get_element_type`, `getBaseTypeAndTypmod`,
//! `get_type_category_preferred`, ...), over built-in, extension and user
//! objects alike.

use std::borrow::Cow;

use fdw_catalog::builtin::{CastInfo, OperatorInfo, OperatorKind, ProcInfo, TypeInfo, TypeKind};
use fdw_catalog::Catalog;
use fdw_core::{Oid, TypMod};

use crate::error::{Error, Position, Result, SqlState};

/// Domains over domains are finite; the bound only guards corrupt data.
const MAX_DOMAIN_DEPTH: usize = 32;

pub(crate) fn type_info(cat: &Catalog, t: Oid) -> Option<Cow<'_, TypeInfo>> {
    cat.type_info(t)
}

/// `typcategory` (`TypeCategory`); `X` for `unknown` and for unknown oids,
/// as `TYPCATEGORY_INVALID` never matches a real category.
pub(crate) fn category(cat: &Catalog, t: Oid) -> char {
    type_info(cat, t).map_or('\0', |ti| ti.category)
}

/// `typcategory` and `typispreferred` (`get_type_category_preferred`).
pub(crate) fn category_preferred(cat: &Catalog, t: Oid) -> (char, bool) {
    type_info(cat, t).map_or(('\0', false), |ti| (ti.category, ti.is_preferred))
}

/// `IsPreferredType`: `t` is preferred in `category` (any category when
/// `category` is the invalid one).
pub(crate) fn is_preferred_type(cat: &Catalog, category: char, t: Oid) -> bool {
    let (tc, preferred) = category_preferred(cat, t);
    if category == tc || category == '\0' {
        preferred
    } else {
        false
    }
}

/// `getBaseType`.
pub(crate) fn base_type(cat: &Catalog, t: Oid) -> Oid {
    base_type_and_typmod(cat, t, -1).0
}

/// `getBaseTypeAndTypmod`: strips domains; the typmod becomes the
/// innermost domain's declared typmod.
pub(crate) fn base_type_and_typmod(cat: &Catalog, t: Oid, typmod: TypMod) -> (Oid, TypMod) {
    let mut oid = t;
    let mut typmod = typmod;
    for _ in 0..MAX_DOMAIN_DEPTH {
        match type_info(cat, oid) {
            Some(ti) if ti.kind == TypeKind::Domain => {
                typmod = ti.typmod;
                oid = ti.base_type;
            }
            _ => break,
        }
    }
    (oid, typmod)
}

/// `get_element_type`: the element type of a true array (`IsTrueArrayType`),
/// else invalid. `int2vector` and `oidvector` count, as in PostgreSQL.
pub(crate) fn element_type(cat: &Catalog, t: Oid) -> Oid {
    match type_info(cat, t) {
        Some(ti) if ti.is_array() => ti.elem,
        _ => Oid::INVALID,
    }
}

/// `get_base_element_type`.
pub(crate) fn base_element_type(cat: &Catalog, t: Oid) -> Oid {
    element_type(cat, base_type(cat, t))
}

/// `type_is_array_domain`.
pub(crate) fn is_array_or_domain_array(cat: &Catalog, t: Oid) -> bool {
    !base_element_type(cat, t).is_invalid()
}

/// `get_array_type`.
pub(crate) fn array_type(cat: &Catalog, t: Oid) -> Oid {
    type_info(cat, t).map_or(Oid::INVALID, |ti| ti.array)
}

/// `type_is_enum`.
pub(crate) fn is_enum(cat: &Catalog, t: Oid) -> bool {
    type_info(cat, t).is_some_and(|ti| ti.kind == TypeKind::Enum)
}

/// `ISCOMPLEX`: a composite type or a domain over one.
pub(crate) fn is_complex(cat: &Catalog, t: Oid) -> bool {
    type_info(cat, base_type(cat, t)).is_some_and(|ti| ti.kind == TypeKind::Composite)
}

/// `is_complex_array`: an array of a composite type.
pub(crate) fn is_complex_array(cat: &Catalog, t: Oid) -> bool {
    let elem = base_element_type(cat, t);
    !elem.is_invalid() && is_complex(cat, elem)
}

/// `get_typcollation`.
pub(crate) fn type_collation(cat: &Catalog, t: Oid) -> Oid {
    cat.type_collation(t)
}

/// `type_is_collatable`.
pub(crate) fn is_collatable(cat: &Catalog, t: Oid) -> bool {
    !type_collation(cat, t).is_invalid()
}

/// The built-in range types and their subtypes and multiranges
/// (`pg_range`, which the catalog data does not carry: these six rows are
/// fixed in PostgreSQL's `pg_range.dat`).
const RANGES: [(Oid, Oid, Oid); 6] = [
    // (range, subtype, multirange)
    (Oid(3904), Oid(23), Oid(4451)),   // int4range
    (Oid(3906), Oid(1700), Oid(4532)), // numrange
    (Oid(3908), Oid(1114), Oid(4533)), // tsrange
    (Oid(3910), Oid(1184), Oid(4534)), // tstzrange
    (Oid(3912), Oid(1082), Oid(4535)), // daterange
    (Oid(3926), Oid(20), Oid(4536)),   // int8range
];

/// `get_range_subtype`.
pub(crate) fn range_subtype(t: Oid) -> Oid {
    RANGES
        .iter()
        .find(|r| r.0 == t)
        .map_or(Oid::INVALID, |r| r.1)
}

/// `get_multirange_range`.
pub(crate) fn multirange_range(t: Oid) -> Oid {
    RANGES
        .iter()
        .find(|r| r.2 == t)
        .map_or(Oid::INVALID, |r| r.0)
}

/// `get_range_multirange`.
pub(crate) fn range_multirange(t: Oid) -> Oid {
    RANGES
        .iter()
        .find(|r| r.0 == t)
        .map_or(Oid::INVALID, |r| r.2)
}

/// The `pg_cast` row from `source` to `target`: built-in, then extensions'.
pub(crate) fn cast(cat: &Catalog, source: Oid, target: Oid) -> Option<CastInfo> {
    if let Some(c) = cat.builtin().cast(source, target) {
        return Some(c.clone());
    }
    for ext in cat.extensions() {
        if let Some(objs) = cat.extension_objects(ext.oid) {
            if let Some(c) = objs
                .casts
                .iter()
                .find(|c| c.source == source && c.target == target)
            {
                return Some(c.clone());
            }
        }
    }
    None
}

/// `format_type_be`.
pub(crate) fn format_type(cat: &Catalog, t: Oid) -> String {
    if t.is_invalid() {
        return "-".to_owned();
    }
    cat.format_type(t)
}

/// The namespaces a possibly-qualified name is looked up in, with their
/// search-path positions (`pathpos`).
pub(crate) fn lookup_namespaces<'c>(
    cat: &'c Catalog,
    schema: Option<&str>,
    position: Option<Position>,
) -> Result<Cow<'c, [Oid]>> {
    match schema {
        Some(name) => match cat.namespace_oid(name) {
            Some(oid) => Ok(Cow::Owned(vec![oid])),
            None => Err(Error::analyze(
                SqlState::INVALID_SCHEMA_NAME,
                format!("schema \"{name}\" does not exist"),
                position,
            )),
        },
        None => Ok(Cow::Borrowed(cat.search_path_oids())),
    }
}

/// Every function, aggregate and procedure called `name` in namespace `ns`.
pub(crate) fn procs_in_namespace<'c>(
    cat: &'c Catalog,
    ns: Oid,
    name: &str,
) -> Vec<Cow<'c, ProcInfo>> {
    let mut out: Vec<Cow<'c, ProcInfo>> = cat
        .builtin()
        .procs_by_name(ns, name)
        .iter()
        .map(Cow::Borrowed)
        .collect();
    for ext in cat.extensions() {
        if let Some(objs) = cat.extension_objects(ext.oid) {
            out.extend(
                objs.procs
                    .iter()
                    .filter(|p| p.namespace == ns && p.name == name)
                    .map(Cow::Borrowed),
            );
        }
    }
    for f in cat.functions() {
        if f.schema == ns && f.name == name {
            if let Some(p) = cat.proc_info(f.oid) {
                out.push(p);
            }
        }
    }
    out
}

/// Every operator called `name` of `kind` in namespace `ns`.
pub(crate) fn operators_in_namespace<'c>(
    cat: &'c Catalog,
    ns: Oid,
    name: &str,
    kind: OperatorKind,
) -> Vec<Cow<'c, OperatorInfo>> {
    let mut out: Vec<Cow<'c, OperatorInfo>> = cat
        .builtin()
        .operators_by_name(name)
        .iter()
        .filter(|o| o.namespace == ns && o.kind == kind)
        .map(Cow::Borrowed)
        .collect();
    for ext in cat.extensions() {
        if let Some(objs) = cat.extension_objects(ext.oid) {
            out.extend(
                objs.operators
                    .iter()
                    .filter(|o| o.namespace == ns && o.name == name && o.kind == kind)
                    .map(Cow::Borrowed),
            );
        }
    }
    for o in cat.operators() {
        if o.schema == ns && o.name == name {
            if let Some(info) = cat.operator_info(o.oid) {
                if info.kind == kind {
                    out.push(info);
                }
            }
        }
    }
    out
}
