//! Bundled contrib extensions: what `CREATE EXTENSION name` creates, as a
//! template recorded from a real server, and its instantiation into a user
//! database with fresh oids.
//!
//! Oid assignment mimics PostgreSQL. `CREATE EXTENSION` takes the
//! extension's own oid first and then one oid per created row (types,
//! functions, operators, but also rows we do not record such as `pg_amproc`
//! entries) from the cluster-wide counter. The template keeps every object's
//! offset from the extension's oid and the total number of oids the script
//! consumed, so instantiating at `next_oid` gives the oids a fresh database
//! would give when `CREATE EXTENSION` runs with the counter at `next_oid`.

use std::collections::BTreeSet;

use fdw_core::Oid;

use super::records::{
    AggregateInfo, AmopInfo, CastInfo, OpclassInfo, OperatorInfo, OpfamilyInfo, ProcInfo, TypeInfo,
};

/// What one bundled extension creates, recorded in a scratch database of
/// the reference server. Obtained from
/// [`BuiltinCatalog::extension_template`](super::BuiltinCatalog::extension_template).
#[derive(Debug, Clone, PartialEq)]
pub struct ExtensionTemplate {
    /// The extension's name (`uuid-ossp`, `cube`, ...).
    pub name: String,
    /// The control file's `default_version`: what `CREATE EXTENSION` installs.
    pub default_version: String,
    /// The control file's `relocatable`.
    pub relocatable: bool,
    /// The control file's `schema`, when the extension must live in one schema.
    pub schema: Option<String>,
    /// The control file's `requires`: extensions that must be created first.
    pub requires: Vec<String>,
    /// The objects with the oids they had in the scratch database.
    pub(crate) objects: ExtensionObjects,
    /// The schema the objects were created in, in the scratch database.
    pub(crate) template_namespace: Oid,
    /// How many oids `CREATE EXTENSION` consumed, counting the extension's own.
    pub(crate) oid_span: u32,
    /// Where each required extension's oids lay in the scratch database,
    /// to map references into them.
    pub(crate) required_ranges: Vec<RequiredRange>,
}

/// The oids a required extension took in an extension's scratch database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RequiredRange {
    /// The required extension.
    pub(crate) name: String,
    /// Its extension oid there.
    pub(crate) base: u32,
    /// How many oids it consumed.
    pub(crate) span: u32,
}

/// The objects of one extension in one database: its members and the
/// objects created alongside that are not members (array types of its
/// types, usually), which postgres_fdw does not ship.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExtensionObjects {
    /// The extension's name.
    pub name: String,
    /// The extension's own oid (`pg_extension.oid`).
    pub extension_oid: Oid,
    /// The schema its objects live in.
    pub namespace: Oid,
    /// Types, including non-member array types.
    pub types: Vec<TypeInfo>,
    /// Functions, aggregates and procedures.
    pub procs: Vec<ProcInfo>,
    /// Operators.
    pub operators: Vec<OperatorInfo>,
    /// Casts.
    pub casts: Vec<CastInfo>,
    /// Aggregate implementations, keyed by the `procs` entry they belong to.
    pub aggregates: Vec<AggregateInfo>,
    /// Operator families.
    pub opfamilies: Vec<OpfamilyInfo>,
    /// Operator classes.
    pub opclasses: Vec<OpclassInfo>,
    /// Operator family entries.
    pub amops: Vec<AmopInfo>,
    /// Oids of the objects above that exist but are not members of the
    /// extension (no `pg_depend` row with deptype `e`). Oids from one
    /// database's counter are unique across catalogs, so one set serves all kinds.
    pub non_members: BTreeSet<Oid>,
}

impl ExtensionObjects {
    /// True when `oid` is one of these objects and a member of the extension
    /// (`getExtensionOfObject` would return this extension).
    pub fn is_member(&self, oid: Oid) -> bool {
        !self.non_members.contains(&oid) && self.contains(oid)
    }

    /// True when `oid` is one of these objects, member or not.
    pub fn contains(&self, oid: Oid) -> bool {
        self.types.iter().any(|t| t.oid == oid)
            || self.procs.iter().any(|p| p.oid == oid)
            || self.operators.iter().any(|o| o.oid == oid)
            || self.casts.iter().any(|c| c.oid == oid)
            || self.opfamilies.iter().any(|f| f.oid == oid)
            || self.opclasses.iter().any(|c| c.oid == oid)
            || self.amops.iter().any(|a| a.oid == oid)
    }
}

impl ExtensionTemplate {
    /// The number of oids `CREATE EXTENSION` takes from the counter; after
    /// [`instantiate`](Self::instantiate) `*next_oid` has advanced by this much.
    pub fn oid_span(&self) -> u32 {
        self.oid_span
    }

    /// The objects as recorded in the scratch database, with its oids.
    pub fn template_objects(&self) -> &ExtensionObjects {
        &self.objects
    }

    /// Copies of all objects, in schema `namespace`, with fresh oids from
    /// `*next_oid` on, as `CREATE EXTENSION` would assign them; `*next_oid`
    /// advances past them. References between the extension's objects are
    /// remapped, references to built-in objects kept.
    ///
    /// An extension with [`requires`](Self::requires) refers to objects of
    /// the extensions it requires; use
    /// [`instantiate_with`](Self::instantiate_with) to map those, otherwise
    /// they keep the scratch database's oids.
    pub fn instantiate(&self, namespace: Oid, next_oid: &mut u32) -> ExtensionObjects {
        self.instantiate_with(namespace, next_oid, &[])
    }

    /// Like [`instantiate`](Self::instantiate), also mapping references to
    /// objects of required extensions onto their instances in `required`
    /// (matched by [`ExtensionObjects::name`]).
    pub fn instantiate_with(
        &self,
        namespace: Oid,
        next_oid: &mut u32,
        required: &[&ExtensionObjects],
    ) -> ExtensionObjects {
        let base = self.objects.extension_oid.0;
        let mut ranges = vec![Range {
            from: base,
            to: base.saturating_add(self.oid_span),
            onto: *next_oid,
        }];
        for req in &self.required_ranges {
            if let Some(inst) = required.iter().find(|r| r.name == req.name) {
                // The required extension was created first in the scratch
                // database, by the same script, so its objects sit at the
                // same offsets from its base as in the instance.
                ranges.push(Range {
                    from: req.base,
                    to: req.base.saturating_add(req.span),
                    onto: inst.extension_oid.0,
                });
            }
        }
        let map = Remap {
            ranges,
            from_namespace: self.template_namespace,
            to_namespace: namespace,
        };
        *next_oid = next_oid.saturating_add(self.oid_span);
        map.objects(&self.objects)
    }
}

/// One block of oids moved to a new start.
struct Range {
    from: u32,
    to: u32,
    onto: u32,
}

/// Maps template oids onto instance oids.
struct Remap {
    ranges: Vec<Range>,
    from_namespace: Oid,
    to_namespace: Oid,
}

impl Remap {
    fn oid(&self, oid: Oid) -> Oid {
        for r in &self.ranges {
            if oid.0 >= r.from && oid.0 < r.to {
                return Oid(r.onto + (oid.0 - r.from));
            }
        }
        oid
    }

    fn namespace(&self, oid: Oid) -> Oid {
        if oid == self.from_namespace {
            self.to_namespace
        } else {
            oid
        }
    }

    fn oids(&self, oids: &[Oid]) -> Vec<Oid> {
        oids.iter().map(|&o| self.oid(o)).collect()
    }

    fn objects(&self, src: &ExtensionObjects) -> ExtensionObjects {
        ExtensionObjects {
            name: src.name.clone(),
            extension_oid: self.oid(src.extension_oid),
            namespace: self.to_namespace,
            types: src.types.iter().map(|t| self.type_info(t)).collect(),
            procs: src.procs.iter().map(|p| self.proc_info(p)).collect(),
            operators: src.operators.iter().map(|o| self.operator(o)).collect(),
            casts: src
                .casts
                .iter()
                .map(|c| CastInfo {
                    oid: self.oid(c.oid),
                    source: self.oid(c.source),
                    target: self.oid(c.target),
                    func: self.oid(c.func),
                    ..c.clone()
                })
                .collect(),
            aggregates: src.aggregates.iter().map(|a| self.aggregate(a)).collect(),
            opfamilies: src
                .opfamilies
                .iter()
                .map(|f| OpfamilyInfo {
                    oid: self.oid(f.oid),
                    method: self.oid(f.method),
                    namespace: self.namespace(f.namespace),
                    ..f.clone()
                })
                .collect(),
            opclasses: src
                .opclasses
                .iter()
                .map(|c| OpclassInfo {
                    oid: self.oid(c.oid),
                    method: self.oid(c.method),
                    namespace: self.namespace(c.namespace),
                    family: self.oid(c.family),
                    input_type: self.oid(c.input_type),
                    key_type: self.oid(c.key_type),
                    ..c.clone()
                })
                .collect(),
            amops: src
                .amops
                .iter()
                .map(|a| AmopInfo {
                    oid: self.oid(a.oid),
                    family: self.oid(a.family),
                    left: self.oid(a.left),
                    right: self.oid(a.right),
                    operator: self.oid(a.operator),
                    method: self.oid(a.method),
                    sort_family: self.oid(a.sort_family),
                    ..a.clone()
                })
                .collect(),
            non_members: src.non_members.iter().map(|&o| self.oid(o)).collect(),
        }
    }

    fn type_info(&self, t: &TypeInfo) -> TypeInfo {
        TypeInfo {
            oid: self.oid(t.oid),
            namespace: self.namespace(t.namespace),
            elem: self.oid(t.elem),
            array: self.oid(t.array),
            relid: self.oid(t.relid),
            subscript: self.oid(t.subscript),
            collation: self.oid(t.collation),
            base_type: self.oid(t.base_type),
            input: self.oid(t.input),
            output: self.oid(t.output),
            modin: self.oid(t.modin),
            modout: self.oid(t.modout),
            ..t.clone()
        }
    }

    fn proc_info(&self, p: &ProcInfo) -> ProcInfo {
        ProcInfo {
            oid: self.oid(p.oid),
            namespace: self.namespace(p.namespace),
            return_type: self.oid(p.return_type),
            arg_types: self.oids(&p.arg_types),
            all_arg_types: self.oids(&p.all_arg_types),
            variadic: self.oid(p.variadic),
            ..p.clone()
        }
    }

    fn operator(&self, o: &OperatorInfo) -> OperatorInfo {
        OperatorInfo {
            oid: self.oid(o.oid),
            namespace: self.namespace(o.namespace),
            left: self.oid(o.left),
            right: self.oid(o.right),
            result: self.oid(o.result),
            code: self.oid(o.code),
            commutator: self.oid(o.commutator),
            negator: self.oid(o.negator),
            restrict: self.oid(o.restrict),
            join: self.oid(o.join),
            ..o.clone()
        }
    }

    fn aggregate(&self, a: &AggregateInfo) -> AggregateInfo {
        AggregateInfo {
            fnoid: self.oid(a.fnoid),
            transfn: self.oid(a.transfn),
            finalfn: self.oid(a.finalfn),
            combinefn: self.oid(a.combinefn),
            serialfn: self.oid(a.serialfn),
            deserialfn: self.oid(a.deserialfn),
            mtransfn: self.oid(a.mtransfn),
            minvtransfn: self.oid(a.minvtransfn),
            mfinalfn: self.oid(a.mfinalfn),
            sortop: self.oid(a.sortop),
            transtype: self.oid(a.transtype),
            mtranstype: self.oid(a.mtranstype),
            ..a.clone()
        }
    }
}
