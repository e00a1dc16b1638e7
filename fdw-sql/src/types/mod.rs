//! Type resolution: coercions, operator and function resolution, common
//! types and collations, following PostgreSQL 15's `parse_coerce.c`,
//! `parse_oper.c`, `parse_func.c`, `parse_agg.c` (the aggregate argument
//! lists) and `parse_collate.c`.
//!
//! The trees built here are the ones PostgreSQL's parse analysis builds,
//! node for node, because postgres_fdw deparses exactly those trees:
//!
//! * coercions: [`coerce_to_target_type`], [`coerce_type`],
//!   [`coerce_type_typmod`], [`coerce_to_boolean`], [`coerce_to_common_type`],
//!   [`can_coerce_type`];
//! * common types: [`select_common_type`], [`select_common_typmod`];
//! * operators: [`make_op`], [`make_scalar_array_op`], [`make_distinct_op`],
//!   [`make_nullif`];
//! * functions, aggregates and window functions: [`resolve_func_call`];
//! * collations: [`assign_expr_collations`], [`assign_query_collations`],
//!   [`select_common_collation`].
//!
//! **Contract with the callers.** As in PostgreSQL, the nodes built by the
//! coercion, operator and function routines carry no collation yet
//! (`funccollid`, `opcollid`, `inputcollid`, `resultcollid` ... are
//! [`Oid::INVALID`](fdw_core::ids::Oid::INVALID)), except constants, which get their type's collation
//! when an `unknown` literal is coerced. The analyzer must run
//! [`assign_query_collations`] on each finished query level (or
//! [`assign_expr_collations`] on a stand-alone expression), exactly where
//! PostgreSQL calls them.

mod cat;
mod coerce;
mod collate;
mod func;
mod oper;
mod poly;
mod select;

pub(crate) use coerce::coerce_to_boolean_at;
pub use coerce::{
    can_coerce_type, coerce_to_boolean, coerce_to_common_type, coerce_to_target_type, coerce_type,
    coerce_type_typmod, find_coercion_pathway, CoercionPath,
};
pub use collate::{assign_expr_collations, assign_query_collations, select_common_collation};
pub use func::{resolve_func_call, AggSortItem, FuncCall, SortDirection, SortNulls};
pub use oper::{make_distinct_op, make_nullif, make_op, make_scalar_array_op, OperatorName};
pub use poly::enforce_generic_type_consistency;
pub use select::{select_common_type, select_common_type_from_oids, select_common_typmod};
pub use sort::{sort_group_operators, SortGroupOperators};

mod sort;

/// Where a coercion happens, which decides the `pg_cast` entries that may be
/// used (`CoercionContext`).
///
/// The order matters: a cast marked for a context is allowed in every
/// context after it (`Implicit < Assignment < Explicit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CoercionContext {
    /// Inserted silently in an expression, e.g. `int4 + int8`
    /// (`COERCION_IMPLICIT`): only casts marked `i`.
    Implicit,
    /// Storing into a column, `INSERT`/`UPDATE` targets
    /// (`COERCION_ASSIGNMENT`): casts marked `i` or `a`, and I/O casts to
    /// string types.
    Assignment,
    /// Written by the user, `::`, `CAST` (`COERCION_EXPLICIT`): every cast,
    /// plus I/O casts from string types.
    Explicit,
}

/// Type oids this module's rules name, as in `pg_type_d.h`.
pub mod oids {
    use fdw_core::Oid;

    /// `bool`.
    pub const BOOL: Oid = Oid(16);
    /// `name`.
    pub const NAME: Oid = Oid(19);
    /// `int8`.
    pub const INT8: Oid = Oid(20);
    /// `int2`.
    pub const INT2: Oid = Oid(21);
    /// `int2vector`.
    pub const INT2VECTOR: Oid = Oid(22);
    /// `int4`.
    pub const INT4: Oid = Oid(23);
    /// `text`.
    pub const TEXT: Oid = Oid(25);
    /// `oid`.
    pub const OID: Oid = Oid(26);
    /// `oidvector`.
    pub const OIDVECTOR: Oid = Oid(30);
    /// `unknown`: the type of an undecorated string literal.
    pub const UNKNOWN: Oid = Oid(705);
    /// `_text` (`text[]`).
    pub const TEXT_ARRAY: Oid = Oid(1009);
    /// `bpchar` (`character(n)`).
    pub const BPCHAR: Oid = Oid(1042);
    /// `varchar`.
    pub const VARCHAR: Oid = Oid(1043);
    /// `interval`.
    pub const INTERVAL: Oid = Oid(1186);
    /// `numeric`.
    pub const NUMERIC: Oid = Oid(1700);
    /// `record`.
    pub const RECORD: Oid = Oid(2249);
    /// `_record`.
    pub const RECORD_ARRAY: Oid = Oid(2287);
    /// `any`.
    pub const ANY: Oid = Oid(2276);
    /// `anyarray`.
    pub const ANYARRAY: Oid = Oid(2277);
    /// `anyelement`.
    pub const ANYELEMENT: Oid = Oid(2283);
    /// `anynonarray`.
    pub const ANYNONARRAY: Oid = Oid(2776);
    /// `anyenum`.
    pub const ANYENUM: Oid = Oid(3500);
    /// `anyrange`.
    pub const ANYRANGE: Oid = Oid(3831);
    /// `anymultirange`.
    pub const ANYMULTIRANGE: Oid = Oid(4537);
    /// `anycompatiblemultirange`.
    pub const ANYCOMPATIBLEMULTIRANGE: Oid = Oid(4538);
    /// `anycompatible`.
    pub const ANYCOMPATIBLE: Oid = Oid(5077);
    /// `anycompatiblearray`.
    pub const ANYCOMPATIBLEARRAY: Oid = Oid(5078);
    /// `anycompatiblenonarray`.
    pub const ANYCOMPATIBLENONARRAY: Oid = Oid(5079);
    /// `anycompatiblerange`.
    pub const ANYCOMPATIBLERANGE: Oid = Oid(5080);

    /// The default collation.
    pub const DEFAULT_COLLATION: Oid = Oid(100);
    /// The `C` collation.
    pub const C_COLLATION: Oid = Oid(950);
    /// The `POSIX` collation.
    pub const POSIX_COLLATION: Oid = Oid(951);

    /// True for the polymorphic pseudo-types (`IsPolymorphicType`); `any`
    /// is not one of them.
    pub fn is_polymorphic(t: Oid) -> bool {
        is_polymorphic_family1(t) || is_polymorphic_family2(t)
    }

    /// `anyelement`, `anyarray`, `anynonarray`, `anyenum`, `anyrange`,
    /// `anymultirange`.
    pub fn is_polymorphic_family1(t: Oid) -> bool {
        matches!(
            t,
            ANYELEMENT | ANYARRAY | ANYNONARRAY | ANYENUM | ANYRANGE | ANYMULTIRANGE
        )
    }

    /// The `anycompatible` family.
    pub fn is_polymorphic_family2(t: Oid) -> bool {
        matches!(
            t,
            ANYCOMPATIBLE
                | ANYCOMPATIBLEARRAY
                | ANYCOMPATIBLENONARRAY
                | ANYCOMPATIBLERANGE
                | ANYCOMPATIBLEMULTIRANGE
        )
    }
}
