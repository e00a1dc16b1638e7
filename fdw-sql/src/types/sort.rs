//! Sorting and grouping operators of a type (`get_sort_group_operators`
//! over the type cache) and the sort/group clause builders used for
//! aggregate `ORDER BY` and `DISTINCT` (`addTargetToSortList`,
//! `addTargetToGroupList`).

use fdw_catalog::builtin::{btree_strategy, TypeKind, BTREE_AM_OID};
use fdw_catalog::Catalog;
use fdw_core::expr::CoercionForm;
use fdw_core::query::{SortGroupClause, TargetEntry};
use fdw_core::Oid;

use super::cat::{self, format_type};
use super::func::{AggSortItem, SortDirection, SortNulls};
use super::oids;
use super::oper::OperatorName;
use super::{coerce_type, CoercionContext};
use crate::error::{Error, Position, Result, SqlState};

/// The `hash` access method.
const HASH_AM: Oid = Oid(405);
/// `HTEqualStrategyNumber`.
const HASH_EQUAL: i16 = 1;
/// Arrays of arrays do not exist; the bound guards corrupt data.
const MAX_DEPTH: usize = 8;

/// The default ordering and equality operators of a type, from its default
/// btree operator class (`lookup_type_cache`'s `lt_opr`, `eq_opr`,
/// `gt_opr`), and whether its equality can be hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortGroupOperators {
    /// `<`, invalid when the type cannot be sorted.
    pub lt: Oid,
    /// `=`, invalid when the type has no btree equality.
    pub eq: Oid,
    /// `>`.
    pub gt: Oid,
    /// `=` is also the default hash operator class's equality.
    pub hashable: bool,
}

/// The sorting operators of `type_oid` (see [`SortGroupOperators`]).
pub fn sort_group_operators(catalog: &Catalog, type_oid: Oid) -> SortGroupOperators {
    operators_depth(catalog, type_oid, 0)
}

fn operators_depth(catalog: &Catalog, type_oid: Oid, depth: usize) -> SortGroupOperators {
    let none = SortGroupOperators {
        lt: Oid::INVALID,
        eq: Oid::INVALID,
        gt: Oid::INVALID,
        hashable: false,
    };
    // The default classes, built-in or an extension's, of the type or of
    // the polymorphic type it fits (`enum_ops` for `anyenum`, `array_ops`,
    // `record_ops`, `range_ops` ...).
    let Some(class) = catalog.default_opclass(BTREE_AM_OID, type_oid) else {
        return none;
    };
    let member = |strategy: i16| {
        catalog
            .amop(class.family, class.input_type, class.input_type, strategy)
            .map_or(Oid::INVALID, |a| a.operator)
    };
    let mut ops = SortGroupOperators {
        lt: member(btree_strategy::LESS),
        eq: member(btree_strategy::EQUAL),
        gt: member(btree_strategy::GREATER),
        hashable: false,
    };
    ops.hashable = catalog
        .default_opclass(HASH_AM, type_oid)
        .and_then(|h| catalog.amop(h.family, h.input_type, h.input_type, HASH_EQUAL))
        .is_some_and(|a| a.operator == ops.eq && !ops.eq.is_invalid());
    if depth >= MAX_DEPTH {
        return ops;
    }
    // Array and record comparison work only when the element or every
    // field type supports it (`array_element_has_*`,
    // `record_fields_have_*`).
    let elem = cat::base_element_type(catalog, type_oid);
    let parts = if elem.is_invalid() {
        composite_field_types(catalog, type_oid)
    } else {
        vec![elem]
    };
    for part in parts {
        let p = operators_depth(catalog, part, depth + 1);
        if p.eq.is_invalid() {
            ops.eq = Oid::INVALID;
        }
        if p.lt.is_invalid() {
            ops.lt = Oid::INVALID;
            ops.gt = Oid::INVALID;
        }
        if !p.hashable {
            ops.hashable = false;
        }
    }
    ops
}

/// The column types of a named composite type (or a domain over one);
/// empty for anything else, `record` included, whose fields PostgreSQL
/// assumes comparable.
fn composite_field_types(catalog: &Catalog, type_oid: Oid) -> Vec<Oid> {
    let base = cat::base_type(catalog, type_oid);
    cat::type_info(catalog, base)
        .filter(|t| t.kind == TypeKind::Composite && !t.relid.is_invalid())
        .and_then(|t| catalog.relation(t.relid))
        .map(|relation| {
            relation
                .columns
                .iter()
                .filter(|c| !c.dropped)
                .map(|c| c.type_oid)
                .collect()
        })
        .unwrap_or_default()
}

fn no_ordering(catalog: &Catalog, t: Oid, position: Option<Position>) -> Error {
    Error::analyze(
        SqlState::UNDEFINED_FUNCTION,
        format!(
            "could not identify an ordering operator for type {}",
            format_type(catalog, t)
        ),
        position,
    )
}

/// The `ressortgroupref` of a target entry, assigning the next free one
/// (`assignSortGroupRef`).
fn assign_sort_group_ref(tlist: &mut [TargetEntry], idx: usize) -> u32 {
    let next = tlist.iter().map(|t| t.ressortgroupref).max().unwrap_or(0) + 1;
    match tlist.get_mut(idx) {
        Some(tle) if tle.ressortgroupref != 0 => tle.ressortgroupref,
        Some(tle) => {
            tle.ressortgroupref = next;
            next
        }
        None => 0,
    }
}

/// Resolves an unknown-typed sort target to `text`, as PostgreSQL does
/// before looking up its operators.
fn resolve_unknown_target(
    catalog: &Catalog,
    tlist: &mut [TargetEntry],
    idx: usize,
    position: Option<Position>,
) -> Result<Oid> {
    let Some(tle) = tlist.get_mut(idx) else {
        return Err(Error::Internal("sort target out of range".into()));
    };
    let restype = tle.expr.type_oid();
    if restype != oids::UNKNOWN {
        return Ok(restype);
    }
    let expr = std::mem::replace(
        &mut tle.expr,
        fdw_core::Expr::Const(fdw_core::expr::Const::null(oids::TEXT, -1, Oid::INVALID)),
    );
    tle.expr = coerce_type(
        catalog,
        expr,
        oids::UNKNOWN,
        oids::TEXT,
        -1,
        CoercionContext::Implicit,
        CoercionForm::ImplicitCast,
        position,
    )?;
    Ok(oids::TEXT)
}

/// Adds an `ORDER BY` item for target entry `idx` unless an identical one
/// is there (`addTargetToSortList`).
pub(crate) fn add_target_to_sort_list(
    catalog: &Catalog,
    tlist: &mut [TargetEntry],
    idx: usize,
    sortlist: &mut Vec<SortGroupClause>,
    item: &AggSortItem,
    position: Option<Position>,
) -> Result<()> {
    let restype = resolve_unknown_target(catalog, tlist, idx, position)?;
    let ops = sort_group_operators(catalog, restype);
    let (sortop, eqop, hashable, reverse) = match &item.direction {
        SortDirection::Default | SortDirection::Asc => {
            if ops.lt.is_invalid() || ops.eq.is_invalid() {
                return Err(no_ordering(catalog, restype, position));
            }
            (ops.lt, ops.eq, ops.hashable, false)
        }
        SortDirection::Desc => {
            if ops.gt.is_invalid() || ops.eq.is_invalid() {
                return Err(no_ordering(catalog, restype, position));
            }
            (ops.gt, ops.eq, ops.hashable, true)
        }
        SortDirection::Using(name) => using_operator(catalog, name, restype, position)?,
    };
    let nulls_first = match item.nulls {
        SortNulls::Default => reverse,
        SortNulls::First => true,
        SortNulls::Last => false,
    };
    let current_ref = tlist.get(idx).map_or(0, |t| t.ressortgroupref);
    let already = current_ref != 0
        && sortlist
            .iter()
            .any(|c| c.tle_sort_group_ref == current_ref && c.sortop == sortop);
    if !already {
        let tle_sort_group_ref = assign_sort_group_ref(tlist, idx);
        sortlist.push(SortGroupClause {
            tle_sort_group_ref,
            eqop,
            sortop,
            nulls_first,
            hashable,
        });
    }
    Ok(())
}

/// `ORDER BY x USING op`: `op` must be a btree `<` or `>` of some family;
/// its family's `=` is the equality (`get_equality_op_for_ordering_op`).
fn using_operator(
    catalog: &Catalog,
    name: &OperatorName,
    restype: Oid,
    position: Option<Position>,
) -> Result<(Oid, Oid, bool, bool)> {
    let probe = fdw_core::Expr::Const(fdw_core::expr::Const::null(restype, -1, Oid::INVALID));
    let op = super::make_op(catalog, name, Some(probe.clone()), probe, position)?;
    let fdw_core::Expr::OpExpr(op) = op else {
        return Err(Error::Internal("make_op built no OpExpr".into()));
    };
    for amop in catalog.amops_of_operator(op.opno) {
        if amop.method != BTREE_AM_OID {
            continue;
        }
        let reverse = match amop.strategy {
            btree_strategy::LESS => false,
            btree_strategy::GREATER => true,
            _ => continue,
        };
        if let Some(eq) = catalog.amop(amop.family, amop.left, amop.right, btree_strategy::EQUAL) {
            let hashable = catalog
                .operator_info(eq.operator)
                .is_some_and(|o| o.can_hash);
            return Ok((op.opno, eq.operator, hashable, reverse));
        }
    }
    Err(Error::analyze(
        SqlState::WRONG_OBJECT_TYPE,
        format!("operator {} is not a valid ordering operator", name.name),
        position,
    ))
}

/// Adds a grouping (`DISTINCT`) item for target entry `idx` unless it is
/// already there (`addTargetToGroupList`).
pub(crate) fn add_target_to_group_list(
    catalog: &Catalog,
    tlist: &mut [TargetEntry],
    idx: usize,
    grouplist: &mut Vec<SortGroupClause>,
    position: Option<Position>,
) -> Result<()> {
    let restype = resolve_unknown_target(catalog, tlist, idx, position)?;
    let current_ref = tlist.get(idx).map_or(0, |t| t.ressortgroupref);
    if current_ref != 0
        && grouplist
            .iter()
            .any(|c| c.tle_sort_group_ref == current_ref)
    {
        return Ok(());
    }
    let ops = sort_group_operators(catalog, restype);
    if ops.eq.is_invalid() {
        return Err(Error::analyze(
            SqlState::UNDEFINED_FUNCTION,
            format!(
                "could not identify an equality operator for type {}",
                format_type(catalog, restype)
            ),
            position,
        ));
    }
    let tle_sort_group_ref = assign_sort_group_ref(tlist, idx);
    grouplist.push(SortGroupClause {
        tle_sort_group_ref,
        eqop: ops.eq,
        sortop: ops.lt,
        nulls_first: false,
        hashable: ops.hashable,
    });
    Ok(())
}
