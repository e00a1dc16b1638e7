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
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, OnceLock, RwLock};

use fdw_core::Oid;

use crate::options::FdwOptions;

/// How many operator resolutions are kept before the memo starts over: a
/// long-lived catalog asked about many operand type pairs stays bounded.
const MAX_OPERATORS: usize = 4096;

/// How many foreign tables' resolved options are kept before that memo
/// starts over.
const MAX_TABLE_OPTIONS: usize = 4096;

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
    by_types: HashMap<(Oid, Oid), Vec<OperatorEntry>, BuildHasherDefault<OidHasher>>,
    len: usize,
}

/// A multiplicative hash for keys made of oids: every operator of every
/// query looks its operand types up here, and the default SipHash of two
/// `u32`s cost more than the rest of the look-up. The keys are type oids
/// from the catalog, not adversarial input, and the map is never iterated,
/// so neither flooding resistance nor iteration order matters.
#[derive(Debug, Default, Clone, Copy)]
struct OidHasher(u64);

impl OidHasher {
    /// An odd constant with well-mixed bits (the golden ratio's, as in
    /// Fibonacci hashing).
    const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(23) ^ word).wrapping_mul(Self::MULTIPLIER);
    }
}

impl Hasher for OidHasher {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.add(u64::from(*byte));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn finish(&self) -> u64 {
        // hashbrown takes its bucket from the low bits and its tag from the
        // top seven: fold the well-mixed high half into the low one.
        self.0 ^ (self.0 >> 32)
    }
}

/// Resolution answers remembered across queries; see the module docs.
#[derive(Default)]
pub struct LookupMemo {
    operators: RwLock<Operators>,
    /// The schemas of `search_path` that exist, in search order (with the
    /// implicit `pg_catalog`): every unqualified name looks through them,
    /// and they depend only on the settings, the current user and the
    /// schemas, all of which change only with the catalog.
    search_path: OnceLock<Vec<Oid>>,
    /// postgres_fdw's options of each foreign table planned
    /// ([`crate::Catalog::fdw_options_shared`]): resolving them walks the
    /// server's and the table's option lists, once per scanned table of
    /// every query otherwise.
    table_options: RwLock<HashMap<Oid, Arc<FdwOptions>, BuildHasherDefault<OidHasher>>>,
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

    /// The search path's schemas, computed by `compute` when not yet known.
    pub(crate) fn search_path(&self, compute: impl FnOnce() -> Vec<Oid>) -> &[Oid] {
        self.search_path.get_or_init(compute)
    }

    /// The remembered options of foreign table `table`, if any.
    pub(crate) fn table_options(&self, table: Oid) -> Option<Arc<FdwOptions>> {
        self.table_options.read().ok()?.get(&table).map(Arc::clone)
    }

    /// Remembers the options of foreign table `table`.
    pub(crate) fn remember_table_options(&self, table: Oid, options: &Arc<FdwOptions>) {
        let Ok(mut known) = self.table_options.write() else {
            return;
        };
        if known.len() >= MAX_TABLE_OPTIONS {
            known.clear();
        }
        known.insert(table, Arc::clone(options));
    }

    /// Forgets everything (the catalog changed).
    pub(crate) fn clear(&mut self) {
        self.search_path = OnceLock::new();
        match self.table_options.get_mut() {
            Ok(known) => known.clear(),
            Err(_) => self.table_options = RwLock::default(),
        }
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
