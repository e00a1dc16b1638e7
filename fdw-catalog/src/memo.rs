//! Memos of name resolution: the answers of look-ups that are costly to
//! compute and depend only on the catalog's contents, remembered for the
//! next query (PostgreSQL's `OprCacheHash` in `parse_oper.c` plays this
//! part for operators).
//!
//! The memo lives inside the [`Catalog`](crate::Catalog) and is forgotten
//! by every method that changes the catalog (they take `&mut self`, and
//! each starts by calling `Catalog::forget_lookups`), so an answer is never
//! older than the objects, settings and search path it was computed from.
//! Only successful resolutions are remembered; errors are recomputed, so
//! their messages and positions are always the caller's.

use std::collections::HashMap;
use std::sync::RwLock;

use fdw_core::Oid;

/// How many operator resolutions are kept before the memo starts over: a
/// long-lived catalog asked about many operand type pairs stays bounded.
const MAX_OPERATORS: usize = 4096;

/// One remembered operator resolution for an operand type pair.
#[derive(Debug)]
struct OperatorEntry {
    /// Whether the operator was asked for as binary (else prefix).
    binary: bool,
    /// The schema as written (`OPERATOR(schema.op)`), `None` for the search path.
    schema: Option<Box<str>>,
    /// The operator's symbol.
    name: Box<str>,
    /// The operator chosen.
    oid: Oid,
}

/// The remembered operators, by (left, right) operand types: a look-up
/// needs no allocation (the names are compared in the few entries of one
/// type pair).
#[derive(Debug, Default)]
struct Operators {
    by_types: HashMap<(Oid, Oid), Vec<OperatorEntry>>,
    len: usize,
}

/// Resolution answers remembered across queries; see the module docs.
#[derive(Default)]
pub struct LookupMemo {
    operators: RwLock<Operators>,
}

impl LookupMemo {
    /// The operator remembered for `schema.name` with these operand types
    /// (`left` is `None` for a prefix operator), if one was.
    pub fn operator(
        &self,
        schema: Option<&str>,
        name: &str,
        left: Option<Oid>,
        right: Oid,
    ) -> Option<Oid> {
        // A poisoned lock only means a panic elsewhere; the memo then
        // answers nothing rather than something half-written.
        let ops = self.operators.read().ok()?;
        let entries = ops.by_types.get(&(left.unwrap_or(Oid::INVALID), right))?;
        entries
            .iter()
            .find(|e| {
                e.binary == left.is_some() && e.schema.as_deref() == schema && &*e.name == name
            })
            .map(|e| e.oid)
    }

    /// Remembers that `schema.name` with these operand types resolves to
    /// operator `oid`.
    pub fn remember_operator(
        &self,
        schema: Option<&str>,
        name: &str,
        left: Option<Oid>,
        right: Oid,
        oid: Oid,
    ) {
        let Ok(mut ops) = self.operators.write() else {
            return;
        };
        if ops.len >= MAX_OPERATORS {
            *ops = Operators::default();
        }
        let entries = ops
            .by_types
            .entry((left.unwrap_or(Oid::INVALID), right))
            .or_default();
        if entries.iter().any(|e| {
            e.binary == left.is_some() && e.schema.as_deref() == schema && &*e.name == name
        }) {
            return;
        }
        entries.push(OperatorEntry {
            binary: left.is_some(),
            schema: schema.map(Box::from),
            name: Box::from(name),
            oid,
        });
        ops.len += 1;
    }

    /// Forgets everything (the catalog changed).
    pub(crate) fn clear(&mut self) {
        // `get_mut` needs no locking: the catalog is exclusively borrowed.
        match self.operators.get_mut() {
            Ok(ops) => *ops = Operators::default(),
            Err(_) => self.operators = RwLock::default(),
        }
    }
}

impl Clone for LookupMemo {
    /// A clone starts empty: the memo is derived data, recomputed on demand.
    fn clone(&self) -> LookupMemo {
        LookupMemo::default()
    }
}

impl std::fmt::Debug for LookupMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Derived data: not part of what a catalog shows.
        f.write_str("LookupMemo")
    }
}
