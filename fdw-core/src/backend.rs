//! What a remote backend can do, as the planner asks it.
//!
//! Every capability defaults to the safe answer, "don't ship": a wrong "yes"
//! silently returns wrong rows, a wrong "no" only costs speed. Spelling
//! (quoting, type names, literals) is not here but in `fdw-deparse`'s
//! dialects; the PostgreSQL implementation of this trait lives there too.

use std::fmt;

use crate::ids::Oid;
use crate::plan::ModifyOperation;
use crate::query::{JoinType, LockStrength};

/// A remote engine's capabilities.
pub trait Backend: fmt::Debug + Send + Sync {
    /// Short lower-case name (`postgres`), used in messages and option values.
    fn name(&self) -> &'static str;

    /// True when the object exists on the remote side with the same
    /// meaning, without being listed in the server's `extensions` option
    /// (for PostgreSQL: `is_builtin()`, spec §1.2).
    fn is_builtin(&self, _object: ObjectRef) -> bool {
        false
    }

    /// True when a join of this type between two remote relations may be
    /// sent as one remote query.
    fn supports_join(&self, _join_type: JoinType) -> bool {
        false
    }

    /// True when `GROUP BY`, aggregates and `HAVING` may be sent.
    fn supports_aggregate_pushdown(&self) -> bool {
        false
    }

    /// True when `ORDER BY` may be sent with explicit `NULLS FIRST` /
    /// `NULLS LAST` (postgres_fdw always prints one).
    fn supports_order_by_nulls(&self) -> bool {
        false
    }

    /// True when `LIMIT` and `OFFSET` may be sent.
    fn supports_limit_offset(&self) -> bool {
        false
    }

    /// True when rows may be locked remotely with this strength (`FOR
    /// UPDATE` / `FOR SHARE`).
    fn supports_row_locking(&self, _strength: LockStrength) -> bool {
        false
    }

    /// True when modifications may return rows with `RETURNING`.
    fn supports_returning(&self) -> bool {
        false
    }

    /// The most bind parameters one statement may carry when several rows
    /// are inserted by one `INSERT`; `None` when batched inserts are not
    /// supported (PostgreSQL: 65535).
    fn batch_insert_max_params(&self) -> Option<u32> {
        None
    }

    /// True when a whole `UPDATE` / `DELETE` may be sent as one remote
    /// statement instead of row by row.
    fn supports_direct_modify(&self, _operation: ModifyOperation) -> bool {
        false
    }

    /// True when the remote server can estimate costs for a query
    /// (`use_remote_estimate`, through `EXPLAIN`).
    fn supports_remote_estimates(&self) -> bool {
        false
    }
}

/// A catalog object, as shippability checks name it: the catalog it lives
/// in and its oid (postgres_fdw's cache key without the server).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectRef {
    /// Which catalog.
    pub class: ObjectClass,
    /// The object's oid in that catalog.
    pub oid: Oid,
}

/// The catalogs whose objects can be checked for shippability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjectClass {
    /// `pg_type`.
    Type,
    /// `pg_proc`: functions and aggregates.
    Function,
    /// `pg_operator`.
    Operator,
    /// `pg_opfamily`: sort pushdown.
    OperatorFamily,
    /// `pg_collation` (reg* constants, PG 16+).
    Collation,
    /// `pg_class` (reg* constants, PG 16+).
    Relation,
    /// `pg_namespace` (reg* constants, PG 16+).
    Namespace,
    /// `pg_authid` (reg* constants, PG 16+).
    Role,
    /// `pg_ts_config` (reg* constants, PG 16+).
    TextSearchConfig,
    /// `pg_ts_dict` (reg* constants, PG 16+).
    TextSearchDictionary,
}

impl ObjectRef {
    /// The object `oid` of catalog `class`.
    pub fn new(class: ObjectClass, oid: Oid) -> ObjectRef {
        ObjectRef { class, oid }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Bare;

    impl Backend for Bare {
        fn name(&self) -> &'static str {
            "bare"
        }
    }

    #[test]
    fn defaults_refuse_everything() {
        let backend: &dyn Backend = &Bare;
        assert_eq!(backend.name(), "bare");
        assert!(!backend.is_builtin(ObjectRef::new(ObjectClass::Type, Oid(23))));
        assert!(!backend.supports_join(JoinType::Inner));
        assert!(!backend.supports_aggregate_pushdown());
        assert!(!backend.supports_order_by_nulls());
        assert!(!backend.supports_limit_offset());
        assert!(!backend.supports_row_locking(LockStrength::Update));
        assert!(!backend.supports_returning());
        assert_eq!(backend.batch_insert_max_params(), None);
        assert!(!backend.supports_direct_modify(ModifyOperation::Update));
        assert!(!backend.supports_remote_estimates());
    }
}
