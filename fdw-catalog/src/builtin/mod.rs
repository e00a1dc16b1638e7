//! Built-in PostgreSQL catalogs, embedded per major version.
//!
//! Each supported major version has a data file in `fdw-catalog/data/`,
//! generated from a real server by `cargo run -p xtask -- gen-catalog` and
//! checked in: the rows of `pg_type`, `pg_proc`, `pg_operator`, `pg_cast`,
//! `pg_aggregate`, `pg_collation`, `pg_namespace`, `pg_am`, `pg_opfamily`,
//! `pg_opclass` and `pg_amop` of a fresh database, with their real oids, and
//! one template per bundled contrib extension. [`BuiltinCatalog::for_major`]
//! parses it once per process and builds the lookup indexes.
//!
//! Lookups are binary searches over vectors sorted at load time, so nothing
//! here iterates a hash map and every answer is deterministic.

mod extension;
mod parse;
mod records;

use std::cmp::Ordering;
use std::sync::OnceLock;

use fdw_core::Oid;

pub use extension::{ExtensionObjects, ExtensionTemplate};
pub use records::{
    btree_strategy, AccessMethodInfo, AggregateInfo, AggregateKind, AmopInfo, AmopPurpose, ArgMode,
    CastContext, CastInfo, CastMethod, CollationInfo, CollationProvider, NamespaceInfo,
    OpclassInfo, OperatorInfo, OperatorKind, OpfamilyInfo, ProcInfo, ProcKind, TypeInfo, TypeKind,
    TypeStorage, Volatility, ARRAY_SUBSCRIPT_HANDLER, BTREE_AM_OID,
};

use crate::{Error, Result};

/// `pg_catalog`'s oid.
pub const PG_CATALOG_NAMESPACE: Oid = Oid(11);
/// `public`'s oid in a fresh database.
pub const PUBLIC_NAMESPACE: Oid = Oid(2200);

/// The embedded data files, by major version, oldest first.
const BUNDLED: &[(u32, &str)] = &[(15, include_str!("../../data/pg15.cat"))];

/// The built-in catalog of one PostgreSQL major version: everything a fresh
/// database contains before the user creates anything, plus the templates
/// of the bundled contrib extensions.
#[derive(Debug)]
pub struct BuiltinCatalog {
    major: u32,
    version_num: u32,
    /// Sorted by oid.
    namespaces: Vec<NamespaceInfo>,
    /// Indexes into `namespaces`, sorted by name.
    namespaces_by_name: Vec<u32>,
    /// Sorted by oid.
    ams: Vec<AccessMethodInfo>,
    /// Sorted by oid.
    types: Vec<TypeInfo>,
    /// Indexes into `types`, sorted by (namespace, name).
    types_by_name: Vec<u32>,
    /// `types_by_oid[oid]` is 1 + the index into `types` of the type with
    /// that oid, 0 when there is none: built-in type oids are small and
    /// dense, and `type_info` is asked for on every coercion check, so a
    /// direct look-up beats a binary search over the large rows.
    types_by_oid: Vec<u32>,
    /// Sorted by (namespace, name, arg_types, oid), so that overloads are adjacent.
    procs: Vec<ProcInfo>,
    /// (oid, index into `procs`), sorted by oid.
    procs_by_oid: Vec<(Oid, u32)>,
    /// Like `types_by_oid`, for `procs`: the shippability walker, the cost
    /// walker and the clause ordering each ask for every function of every
    /// clause, and a binary search over ~3,000 oids cost ~150 instructions
    /// a time.
    procs_dense: Vec<u32>,
    /// Sorted by (name, namespace, left, right).
    operators: Vec<OperatorInfo>,
    /// (oid, index into `operators`), sorted by oid.
    operators_by_oid: Vec<(Oid, u32)>,
    /// Like `procs_dense`, for `operators`.
    operators_dense: Vec<u32>,
    /// Sorted by (source, target).
    casts: Vec<CastInfo>,
    /// Sorted by fnoid.
    aggregates: Vec<AggregateInfo>,
    /// Sorted by oid.
    collations: Vec<CollationInfo>,
    /// Indexes into `collations`, sorted by (namespace, name, encoding).
    collations_by_name: Vec<u32>,
    /// Sorted by oid.
    opfamilies: Vec<OpfamilyInfo>,
    /// Sorted by oid.
    opclasses: Vec<OpclassInfo>,
    /// Indexes of default opclasses, sorted by (method, input type).
    default_opclasses: Vec<u32>,
    /// Sorted by (family, left, right, strategy): `pg_amop`'s unique key.
    amops: Vec<AmopInfo>,
    /// (operator, index into `amops`), sorted.
    amops_by_operator: Vec<(Oid, u32)>,
    /// Sorted by name; parsed on first use.
    extensions: Vec<LazyExtension>,
}

/// An extension template, parsed when first asked for.
#[derive(Debug)]
struct LazyExtension {
    block: parse::ExtensionBlock,
    template: OnceLock<Result<ExtensionTemplate>>,
}

impl BuiltinCatalog {
    /// The built-in catalog of PostgreSQL `major` (15, ...), parsed on first
    /// use and shared for the rest of the process.
    ///
    /// # Errors
    ///
    /// [`Error::UnsupportedVersion`] when no data is bundled for `major`;
    /// [`Error::BuiltinData`] when the bundled data is corrupt (a bug).
    ///
    /// # Example
    ///
    /// ```
    /// use fdw_catalog::builtin::{BuiltinCatalog, PG_CATALOG_NAMESPACE};
    /// use fdw_core::Oid;
    ///
    /// let cat = BuiltinCatalog::for_major(15)?;
    /// let int4 = cat.type_by_name(PG_CATALOG_NAMESPACE, "int4").unwrap();
    /// assert_eq!(int4.oid, Oid(23));
    /// let plus = cat.operator_by_signature(PG_CATALOG_NAMESPACE, "+", int4.oid, int4.oid).unwrap();
    /// assert_eq!(cat.proc(plus.code).unwrap().name, "int4pl");
    /// # Ok::<(), fdw_catalog::Error>(())
    /// ```
    pub fn for_major(major: u32) -> Result<&'static BuiltinCatalog> {
        static CATALOGS: [OnceLock<Result<BuiltinCatalog>>; BUNDLED.len()] =
            [const { OnceLock::new() }; BUNDLED.len()];
        let idx = bundled_index(major)?;
        let Some(cell) = CATALOGS.get(idx) else {
            return Err(unsupported(major));
        };
        cell.get_or_init(|| Self::parse(major))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parses the embedded data of `major` afresh, without caching. Use
    /// [`for_major`](Self::for_major); this exists for benchmarks and tests.
    ///
    /// # Errors
    ///
    /// As [`for_major`](Self::for_major).
    pub fn parse(major: u32) -> Result<BuiltinCatalog> {
        let idx = bundled_index(major)?;
        let text: &'static str = BUNDLED.get(idx).map(|(_, t)| *t).unwrap_or_default();
        Self::from_parsed(parse::parse(major, text)?)
    }

    /// The major versions with bundled data, oldest first.
    pub fn bundled_majors() -> impl Iterator<Item = u32> {
        BUNDLED.iter().map(|(m, _)| *m)
    }

    fn from_parsed(p: parse::Parsed) -> Result<BuiltinCatalog> {
        let major = p.major;
        let corrupt = |message: String| Error::BuiltinData {
            major,
            line: 0,
            message,
        };
        let mut namespaces = p.namespaces;
        namespaces.sort_by_key(|n| n.oid);
        let namespaces_by_name =
            sorted_index(&namespaces, |a, b| a.name.as_str().cmp(b.name.as_str()));
        let mut ams = p.ams;
        ams.sort_by_key(|a| a.oid);
        let mut types = p.types;
        types.sort_by_key(|t| t.oid);
        let types_by_name = sorted_index(&types, |a, b| {
            (a.namespace, a.name.as_str()).cmp(&(b.namespace, b.name.as_str()))
        });
        let types_by_oid = dense_oid_index(&types, |t| t.oid);
        let mut procs = p.procs;
        procs.sort_by(|a, b| {
            (a.namespace, a.name.as_str(), &a.arg_types, a.oid).cmp(&(
                b.namespace,
                b.name.as_str(),
                &b.arg_types,
                b.oid,
            ))
        });
        let procs_by_oid = oid_index(&procs, |p| p.oid);
        let procs_dense = dense_oid_index(&procs, |p| p.oid);
        let mut operators = p.operators;
        operators.sort_by(|a, b| operator_key(a).cmp(&operator_key(b)));
        let operators_by_oid = oid_index(&operators, |o| o.oid);
        let operators_dense = dense_oid_index(&operators, |o| o.oid);
        let mut casts = p.casts;
        casts.sort_by_key(|c| (c.source, c.target));
        let mut aggregates = p.aggregates;
        aggregates.sort_by_key(|a| a.fnoid);
        let mut collations = p.collations;
        collations.sort_by_key(|c| c.oid);
        let collations_by_name = sorted_index(&collations, |a, b| {
            (a.namespace, a.name.as_str(), a.encoding).cmp(&(
                b.namespace,
                b.name.as_str(),
                b.encoding,
            ))
        });
        let mut opfamilies = p.opfamilies;
        opfamilies.sort_by_key(|f| f.oid);
        let mut opclasses = p.opclasses;
        opclasses.sort_by_key(|c| c.oid);
        let mut default_opclasses: Vec<u32> = (0..opclasses.len())
            .filter(|&i| opclasses[i].is_default)
            .map(to_u32)
            .collect();
        default_opclasses.sort_by_key(|&i| {
            let c = &opclasses[i as usize];
            (c.method, c.input_type)
        });
        let mut amops = p.amops;
        amops.sort_by_key(|a| (a.family, a.left, a.right, a.strategy));
        let mut amops_by_operator: Vec<(Oid, u32)> = amops
            .iter()
            .enumerate()
            .map(|(i, a)| (a.operator, to_u32(i)))
            .collect();
        amops_by_operator.sort_unstable();
        let mut extensions: Vec<LazyExtension> = p
            .extension_blocks
            .into_iter()
            .map(|block| LazyExtension {
                block,
                template: OnceLock::new(),
            })
            .collect();
        extensions.sort_by(|a, b| a.block.name.cmp(&b.block.name));

        // Duplicate keys would make the binary searches below ambiguous.
        if let Some(w) = procs_by_oid.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(corrupt(format!("duplicate proc oid {}", w[0].0)));
        }
        if let Some(w) = types.windows(2).find(|w| w[0].oid == w[1].oid) {
            return Err(corrupt(format!("duplicate type oid {}", w[0].oid)));
        }
        if let Some(w) = casts
            .windows(2)
            .find(|w| (w[0].source, w[0].target) == (w[1].source, w[1].target))
        {
            return Err(corrupt(format!("duplicate cast {}", w[0].oid)));
        }

        Ok(BuiltinCatalog {
            major,
            version_num: p.version_num,
            namespaces,
            namespaces_by_name,
            ams,
            types,
            types_by_name,
            types_by_oid,
            procs,
            procs_by_oid,
            procs_dense,
            operators,
            operators_by_oid,
            operators_dense,
            casts,
            aggregates,
            collations,
            collations_by_name,
            opfamilies,
            opclasses,
            default_opclasses,
            amops,
            amops_by_operator,
            extensions,
        })
    }

    /// The major version (15, ...).
    pub fn major(&self) -> u32 {
        self.major
    }

    /// The generating server's `server_version_num` (150018 for 15.18).
    pub fn version_num(&self) -> u32 {
        self.version_num
    }

    /// All schemas, by oid.
    pub fn namespaces(&self) -> &[NamespaceInfo] {
        &self.namespaces
    }

    /// The schema with this oid.
    pub fn namespace(&self, oid: Oid) -> Option<&NamespaceInfo> {
        by_oid(&self.namespaces, oid, |n| n.oid)
    }

    /// The schema with this name (`pg_catalog`, `public`, `information_schema`, ...).
    pub fn namespace_by_name(&self, name: &str) -> Option<&NamespaceInfo> {
        find_in_index(&self.namespaces, &self.namespaces_by_name, |n| {
            n.name.as_str().cmp(name)
        })
    }

    /// All index access methods, by oid.
    pub fn access_methods(&self) -> &[AccessMethodInfo] {
        &self.ams
    }

    /// The index access method with this name (`btree`, `hash`, `gist`, ...).
    pub fn access_method_by_name(&self, name: &str) -> Option<&AccessMethodInfo> {
        self.ams.iter().find(|a| a.name == name)
    }

    /// All types, by oid.
    pub fn types(&self) -> &[TypeInfo] {
        &self.types
    }

    /// The type with this oid.
    pub fn type_info(&self, oid: Oid) -> Option<&TypeInfo> {
        let slot = usize::try_from(oid.0).ok()?;
        match self.types_by_oid.get(slot) {
            Some(&entry) => self.types.get(usize::try_from(entry.checked_sub(1)?).ok()?),
            // Beyond the table (never for the bundled data): search.
            None => by_oid(&self.types, oid, |t| t.oid),
        }
    }

    /// The type called `name` (its `typname`, e.g. `int4`, `_int4`,
    /// `varchar`) in schema `namespace`.
    pub fn type_by_name(&self, namespace: Oid, name: &str) -> Option<&TypeInfo> {
        find_in_index(&self.types, &self.types_by_name, |t| {
            (t.namespace, t.name.as_str()).cmp(&(namespace, name))
        })
    }

    /// All functions, aggregates and procedures, sorted by (namespace,
    /// name, argument types).
    pub fn procs(&self) -> &[ProcInfo] {
        &self.procs
    }

    /// The function, aggregate or procedure with this oid.
    pub fn proc(&self, oid: Oid) -> Option<&ProcInfo> {
        if let Some(&entry) = self.procs_dense.get(usize::try_from(oid.0).ok()?) {
            return self.procs.get(usize::try_from(entry.checked_sub(1)?).ok()?);
        }
        // Beyond the table (never for the bundled data): search.
        self.procs_by_oid
            .binary_search_by_key(&oid, |e| e.0)
            .ok()
            .and_then(|i| self.procs_by_oid.get(i))
            .and_then(|e| self.procs.get(e.1 as usize))
    }

    /// Every overload of `name` in schema `namespace`, ordered by argument
    /// types: the candidates of function overload resolution.
    pub fn procs_by_name(&self, namespace: Oid, name: &str) -> &[ProcInfo] {
        // One binary search for the first overload, then a walk over the
        // (few, adjacent) others: the second binary search of an equal
        // range cost as much as the first, over rows much larger than a
        // cache line, for every function call analyzed.
        let start = self
            .procs
            .partition_point(|p| (p.namespace, p.name.as_str()) < (namespace, name));
        let rest = self.procs.get(start..).unwrap_or_default();
        let len = rest
            .iter()
            .take_while(|p| p.namespace == namespace && p.name == name)
            .count();
        rest.get(..len).unwrap_or_default()
    }

    /// The overload of `name` in `namespace` whose input argument types
    /// (`proargtypes`) are exactly `arg_types`.
    pub fn proc_by_signature(
        &self,
        namespace: Oid,
        name: &str,
        arg_types: &[Oid],
    ) -> Option<&ProcInfo> {
        let overloads = self.procs_by_name(namespace, name);
        overloads
            .binary_search_by(|p| p.arg_types.as_slice().cmp(arg_types))
            .ok()
            .and_then(|i| overloads.get(i))
    }

    /// All operators, sorted by (name, namespace, left type, right type).
    pub fn operators(&self) -> &[OperatorInfo] {
        &self.operators
    }

    /// The operator with this oid.
    pub fn operator(&self, oid: Oid) -> Option<&OperatorInfo> {
        if let Some(&entry) = self.operators_dense.get(usize::try_from(oid.0).ok()?) {
            return self
                .operators
                .get(usize::try_from(entry.checked_sub(1)?).ok()?);
        }
        // Beyond the table (never for the bundled data): search.
        self.operators_by_oid
            .binary_search_by_key(&oid, |e| e.0)
            .ok()
            .and_then(|i| self.operators_by_oid.get(i))
            .and_then(|e| self.operators.get(e.1 as usize))
    }

    /// Every operator called `name`, in any schema, any operand types.
    pub fn operators_by_name(&self, name: &str) -> &[OperatorInfo] {
        equal_range(&self.operators, |o| o.name.as_str().cmp(name))
    }

    /// The operator `name` in `namespace` with exactly these operand types;
    /// `left` is [`Oid::INVALID`] for a prefix operator.
    pub fn operator_by_signature(
        &self,
        namespace: Oid,
        name: &str,
        left: Oid,
        right: Oid,
    ) -> Option<&OperatorInfo> {
        let key = (name, namespace, left, right);
        self.operators
            .binary_search_by(|o| operator_key(o).cmp(&key))
            .ok()
            .and_then(|i| self.operators.get(i))
    }

    /// All casts, sorted by (source, target).
    pub fn casts(&self) -> &[CastInfo] {
        &self.casts
    }

    /// The `pg_cast` entry from `source` to `target`.
    pub fn cast(&self, source: Oid, target: Oid) -> Option<&CastInfo> {
        self.casts
            .binary_search_by_key(&(source, target), |c| (c.source, c.target))
            .ok()
            .and_then(|i| self.casts.get(i))
    }

    /// All aggregates, by fnoid.
    pub fn aggregates(&self) -> &[AggregateInfo] {
        &self.aggregates
    }

    /// The aggregate whose `pg_proc` row is `fnoid`.
    pub fn aggregate(&self, fnoid: Oid) -> Option<&AggregateInfo> {
        by_oid(&self.aggregates, fnoid, |a| a.fnoid)
    }

    /// The collations, by oid. Only those defined in PostgreSQL's sources
    /// (`default`, `C`, `POSIX`, `ucs_basic`) are recorded: the ones initdb
    /// imports from libc and ICU depend on the machine.
    pub fn collations(&self) -> &[CollationInfo] {
        &self.collations
    }

    /// The collation with this oid.
    pub fn collation(&self, oid: Oid) -> Option<&CollationInfo> {
        by_oid(&self.collations, oid, |c| c.oid)
    }

    /// The collation `name` in `namespace` usable with a UTF8 database: one
    /// for any encoding (-1) or for UTF8, as `CollationGetCollid` looks up.
    pub fn collation_by_name(&self, namespace: Oid, name: &str) -> Option<&CollationInfo> {
        const UTF8: i32 = 6;
        [-1, UTF8].into_iter().find_map(|enc| {
            find_in_index(&self.collations, &self.collations_by_name, |c| {
                (c.namespace, c.name.as_str(), c.encoding).cmp(&(namespace, name, enc))
            })
        })
    }

    /// All operator families, by oid.
    pub fn opfamilies(&self) -> &[OpfamilyInfo] {
        &self.opfamilies
    }

    /// The operator family with this oid.
    pub fn opfamily(&self, oid: Oid) -> Option<&OpfamilyInfo> {
        by_oid(&self.opfamilies, oid, |f| f.oid)
    }

    /// All operator classes, by oid.
    pub fn opclasses(&self) -> &[OpclassInfo] {
        &self.opclasses
    }

    /// The default operator classes of access method `method`, ordered by
    /// input type.
    pub fn default_opclasses_of_method(
        &self,
        method: Oid,
    ) -> impl Iterator<Item = &OpclassInfo> + '_ {
        equal_range(&self.default_opclasses, |&i| {
            self.opclasses
                .get(i as usize)
                .map_or(Ordering::Greater, |c| c.method.cmp(&method))
        })
        .iter()
        .filter_map(|&i| self.opclasses.get(i as usize))
    }

    /// The default operator classes of access method `method` whose input
    /// type is exactly `input_type`.
    pub fn default_opclasses_for(
        &self,
        method: Oid,
        input_type: Oid,
    ) -> impl Iterator<Item = &OpclassInfo> + '_ {
        equal_range(&self.default_opclasses, |&i| {
            self.opclasses
                .get(i as usize)
                .map_or(Ordering::Greater, |c| {
                    (c.method, c.input_type).cmp(&(method, input_type))
                })
        })
        .iter()
        .filter_map(|&i| self.opclasses.get(i as usize))
    }

    /// The operator class with this oid.
    pub fn opclass(&self, oid: Oid) -> Option<&OpclassInfo> {
        by_oid(&self.opclasses, oid, |c| c.oid)
    }

    /// The default operator class of access method `method` for `type_oid`,
    /// chosen as `GetDefaultOpClass` does: the class for exactly that type
    /// (after stripping domains), else the only default class whose input
    /// type `type_oid` is binary coercible to, preferring a class whose
    /// input type is the preferred type of `type_oid`'s category (so
    /// `varchar` gets `text_ops`, not `bpchar_ops`). Only built-in types
    /// are known here.
    pub fn default_opclass(&self, method: Oid, type_oid: Oid) -> Option<&OpclassInfo> {
        let base = self.base_type(type_oid);
        let category = self.type_info(base).map(|t| t.category);
        let candidates = equal_range(&self.default_opclasses, |&i| {
            self.opclasses
                .get(i as usize)
                .map_or(Ordering::Greater, |c| c.method.cmp(&method))
        });
        let mut exact = None;
        let mut preferred = (0, None);
        let mut compatible = (0, None);
        for class in candidates
            .iter()
            .filter_map(|&i| self.opclasses.get(i as usize))
        {
            if class.input_type == base {
                if exact.is_some() {
                    return None;
                }
                exact = Some(class);
            } else if self.is_binary_coercible(type_oid, class.input_type) {
                let input = self.type_info(class.input_type);
                if input.is_some_and(|t| t.is_preferred && Some(t.category) == category) {
                    preferred = (preferred.0 + 1, Some(class));
                } else if preferred.0 == 0 {
                    compatible = (compatible.0 + 1, Some(class));
                }
            }
        }
        exact.or(match (preferred, compatible) {
            ((1, found), _) | ((0, _), (1, found)) => found,
            _ => None,
        })
    }

    /// The type under any domains (`getBaseType`); the type itself when it
    /// is not a domain or not known.
    pub fn base_type(&self, type_oid: Oid) -> Oid {
        let mut oid = type_oid;
        // Domains over domains are finite; the bound only guards corrupt data.
        for _ in 0..32 {
            match self.type_info(oid) {
                Some(t) if t.kind == TypeKind::Domain => oid = t.base_type,
                _ => break,
            }
        }
        oid
    }

    /// True when a value of `source` can be used as `target` without any
    /// work (`IsBinaryCoercible`): same type after stripping domains, a
    /// polymorphic target the source fits (`anyarray`, `anyenum`, ...), or
    /// an implicit binary-coercible `pg_cast` entry.
    pub fn is_binary_coercible(&self, source: Oid, target: Oid) -> bool {
        const ANY: Oid = Oid(2276);
        const ANYELEMENT: Oid = Oid(2283);
        const ANYARRAY: Oid = Oid(2277);
        const ANYNONARRAY: Oid = Oid(2776);
        const ANYENUM: Oid = Oid(3500);
        const ANYRANGE: Oid = Oid(3831);
        const ANYMULTIRANGE: Oid = Oid(4537);
        const ANYCOMPATIBLEARRAY: Oid = Oid(5078);
        const ANYCOMPATIBLENONARRAY: Oid = Oid(5079);
        const ANYCOMPATIBLERANGE: Oid = Oid(5080);
        const ANYCOMPATIBLEMULTIRANGE: Oid = Oid(4538);
        const RECORD: Oid = Oid(2249);
        const RECORDARRAY: Oid = Oid(2287);
        if source == target || target == ANY || target == ANYELEMENT {
            return true;
        }
        let source = self.base_type(source);
        if source == target {
            return true;
        }
        let Some(ty) = self.type_info(source) else {
            return false;
        };
        let polymorphic = match target {
            ANYARRAY | ANYCOMPATIBLEARRAY => Some(ty.is_array()),
            ANYNONARRAY | ANYCOMPATIBLENONARRAY => Some(!ty.is_array()),
            ANYENUM => Some(ty.kind == TypeKind::Enum),
            ANYRANGE | ANYCOMPATIBLERANGE => Some(ty.kind == TypeKind::Range),
            ANYMULTIRANGE | ANYCOMPATIBLEMULTIRANGE => Some(ty.kind == TypeKind::Multirange),
            RECORD => Some(ty.kind == TypeKind::Composite),
            RECORDARRAY => Some(
                ty.is_array()
                    && self
                        .type_info(ty.elem)
                        .is_some_and(|e| e.kind == TypeKind::Composite),
            ),
            _ => None,
        };
        if polymorphic == Some(true) {
            return true;
        }
        self.cast(source, target)
            .is_some_and(|c| c.method == CastMethod::Binary && c.context == CastContext::Implicit)
    }

    /// The default btree operator class for `type_oid` (see [`default_opclass`](Self::default_opclass)).
    pub fn default_btree_opclass(&self, type_oid: Oid) -> Option<&OpclassInfo> {
        self.default_opclass(BTREE_AM_OID, type_oid)
    }

    /// The operator family of the default btree operator class for
    /// `type_oid`: where its `=` and `<` operators live.
    pub fn default_btree_opfamily(&self, type_oid: Oid) -> Option<&OpfamilyInfo> {
        self.default_btree_opclass(type_oid)
            .and_then(|c| self.opfamily(c.family))
    }

    /// All operator family entries, sorted by (family, left, right, strategy).
    pub fn amops(&self) -> &[AmopInfo] {
        &self.amops
    }

    /// The operator of `family` for operand types (`left`, `right`) and
    /// `strategy` (see [`btree_strategy`]), as `get_opfamily_member` finds it.
    pub fn amop(&self, family: Oid, left: Oid, right: Oid, strategy: i16) -> Option<&AmopInfo> {
        self.amops
            .binary_search_by_key(&(family, left, right, strategy), |a| {
                (a.family, a.left, a.right, a.strategy)
            })
            .ok()
            .and_then(|i| self.amops.get(i))
    }

    /// Every operator family entry of `operator`, in (family, ...) order:
    /// what `get_ordering_op_properties` and `get_op_btree_interpretation` scan.
    pub fn amops_of_operator(&self, operator: Oid) -> impl Iterator<Item = &AmopInfo> + '_ {
        equal_range(&self.amops_by_operator, |e| e.0.cmp(&operator))
            .iter()
            .filter_map(|e| self.amops.get(e.1 as usize))
    }

    /// The names of the bundled extensions, sorted.
    pub fn extension_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.extensions.iter().map(|e| e.block.name.as_str())
    }

    /// All bundled extension templates, by name.
    ///
    /// # Errors
    ///
    /// [`Error::BuiltinData`] when a template's data is corrupt (a bug).
    pub fn extension_templates(&self) -> Result<Vec<&ExtensionTemplate>> {
        self.extensions
            .iter()
            .map(|e| self.load_extension(e))
            .collect()
    }

    /// The bundled template of extension `name` (`cube`, `hstore`, ...), to
    /// instantiate when the user's DDL runs `CREATE EXTENSION name`. `None`
    /// when it is not bundled (or its data is corrupt, which the test suite
    /// rules out through [`extension_templates`](Self::extension_templates)).
    pub fn extension_template(&self, name: &str) -> Option<&ExtensionTemplate> {
        let lazy = self
            .extensions
            .binary_search_by(|e| e.block.name.as_str().cmp(name))
            .ok()
            .and_then(|i| self.extensions.get(i))?;
        self.load_extension(lazy).ok()
    }

    fn load_extension<'a>(&self, lazy: &'a LazyExtension) -> Result<&'a ExtensionTemplate> {
        lazy.template
            .get_or_init(|| parse::parse_extension(self.major, &lazy.block))
            .as_ref()
            .map_err(Clone::clone)
    }
}

fn bundled_index(major: u32) -> Result<usize> {
    BUNDLED
        .iter()
        .position(|(m, _)| *m == major)
        .ok_or_else(|| unsupported(major))
}

fn unsupported(major: u32) -> Error {
    Error::UnsupportedVersion {
        major,
        available: BUNDLED
            .iter()
            .map(|(m, _)| m.to_string())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn operator_key(o: &OperatorInfo) -> (&str, Oid, Oid, Oid) {
    (o.name.as_str(), o.namespace, o.left, o.right)
}

/// Index counts fit in u32: catalogs hold tens of thousands of rows at most.
fn to_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn by_oid<T>(items: &[T], oid: Oid, key: impl Fn(&T) -> Oid) -> Option<&T> {
    items
        .binary_search_by_key(&oid, key)
        .ok()
        .and_then(|i| items.get(i))
}

/// A table from oid to 1 + the item's index (0: no item), as long as the
/// largest oid plus one but at most [`DENSE_OID_LIMIT`] entries (larger
/// oids are left to a search); see `BuiltinCatalog::types_by_oid`.
/// The most entries of a dense oid table: built-in oids are below
/// `FirstNormalObjectId` (16384).
const DENSE_OID_LIMIT: usize = 16_384;

fn dense_oid_index<T>(items: &[T], key: impl Fn(&T) -> Oid) -> Vec<u32> {
    let len = items
        .iter()
        .map(|t| key(t).0 as usize + 1)
        .max()
        .unwrap_or(0)
        .min(DENSE_OID_LIMIT);
    let mut table = vec![0u32; len];
    for (i, t) in items.iter().enumerate() {
        if let Some(slot) = table.get_mut(key(t).0 as usize) {
            *slot = to_u32(i + 1);
        }
    }
    table
}

fn oid_index<T>(items: &[T], key: impl Fn(&T) -> Oid) -> Vec<(Oid, u32)> {
    let mut idx: Vec<(Oid, u32)> = items
        .iter()
        .enumerate()
        .map(|(i, t)| (key(t), to_u32(i)))
        .collect();
    idx.sort_unstable();
    idx
}

fn sorted_index<T>(items: &[T], cmp: impl Fn(&T, &T) -> Ordering) -> Vec<u32> {
    let mut idx: Vec<u32> = (0..items.len()).map(to_u32).collect();
    idx.sort_by(|&a, &b| cmp(&items[a as usize], &items[b as usize]));
    idx
}

/// Binary search through a sorted index; `cmp` compares an item with the key.
fn find_in_index<'a, T>(
    items: &'a [T],
    index: &[u32],
    cmp: impl Fn(&T) -> Ordering,
) -> Option<&'a T> {
    index
        .binary_search_by(|&i| items.get(i as usize).map_or(Ordering::Greater, &cmp))
        .ok()
        .and_then(|pos| index.get(pos))
        .and_then(|&i| items.get(i as usize))
}

/// The run of items equal to the key in a slice sorted consistently with `cmp`.
fn equal_range<T>(items: &[T], cmp: impl Fn(&T) -> Ordering) -> &[T] {
    let start = items.partition_point(|t| cmp(t) == Ordering::Less);
    let end = items.partition_point(|t| cmp(t) != Ordering::Greater);
    items.get(start..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsupported_major_lists_bundled() {
        let err = BuiltinCatalog::for_major(9).unwrap_err();
        assert_eq!(
            err,
            Error::UnsupportedVersion {
                major: 9,
                available: "15".to_owned()
            }
        );
    }

    #[test]
    fn dense_type_index_equals_the_search() {
        let cat = BuiltinCatalog::parse(15).unwrap();
        assert!(!cat.types.is_empty());
        for t in &cat.types {
            assert_eq!(cat.type_info(t.oid).map(|f| f.oid), Some(t.oid));
        }
        for oid in (0..40_000).chain([u32::MAX - 1, u32::MAX]) {
            let searched = by_oid(&cat.types, Oid(oid), |t| t.oid).map(|t| t.oid);
            assert_eq!(
                cat.type_info(Oid(oid)).map(|t| t.oid),
                searched,
                "oid {oid}"
            );
        }
    }

    #[test]
    fn procs_by_name_is_the_equal_range_of_the_name() {
        let cat = BuiltinCatalog::parse(15).unwrap();
        let mut names: Vec<(Oid, &str)> = cat
            .procs
            .iter()
            .map(|p| (p.namespace, p.name.as_str()))
            .collect();
        names.dedup();
        // Every name present, and names just around them that are not.
        names.push((Oid(11), ""));
        names.push((Oid(11), "zzzz_not_a_function"));
        names.push((Oid(0), "abs"));
        names.push((Oid(u32::MAX), "abs"));
        for (namespace, name) in names {
            let expected = equal_range(&cat.procs, |p| {
                (p.namespace, p.name.as_str()).cmp(&(namespace, name))
            });
            let found = cat.procs_by_name(namespace, name);
            assert_eq!(found.len(), expected.len(), "{name}");
            assert!(std::ptr::eq(found, expected) || found.is_empty(), "{name}");
        }
    }

    #[test]
    fn equal_range_finds_runs() {
        let v = [1, 2, 2, 2, 5];
        assert_eq!(equal_range(&v, |x| x.cmp(&2)), &[2, 2, 2]);
        assert!(equal_range(&v, |x| x.cmp(&3)).is_empty());
    }
}
