//! One record struct per system catalog row shape, with public fields.
//!
//! Field names drop PostgreSQL's column prefixes (`typlen` is
//! [`TypeInfo::len`]); each field's doc names the column it mirrors so a
//! reader of PostgreSQL's sources can find it. Oids that PostgreSQL stores
//! as `regproc` or `oid` and may be `InvalidOid` are [`Oid`] with
//! [`Oid::INVALID`] for "none", as in the catalogs themselves.

use fdw_core::Oid;

/// A schema (`pg_namespace`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamespaceInfo {
    /// `oid`.
    pub oid: Oid,
    /// `nspname`.
    pub name: String,
}

/// `typtype`: what kind of type a `pg_type` row describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeKind {
    /// `b`: a base type.
    Base,
    /// `c`: a composite (row) type.
    Composite,
    /// `d`: a domain.
    Domain,
    /// `e`: an enum.
    Enum,
    /// `p`: a pseudo-type (`any`, `anyarray`, `record`, ...).
    Pseudo,
    /// `r`: a range type.
    Range,
    /// `m`: a multirange type (PostgreSQL 14+).
    Multirange,
}

/// `typstorage`: how values of a varlena type may be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeStorage {
    /// `p`: always inline, never compressed. Fixed-length types have this.
    Plain,
    /// `e`: may be moved out of line, never compressed.
    External,
    /// `m`: may be compressed, kept inline when possible.
    Main,
    /// `x`: may be compressed and moved out of line.
    Extended,
}

/// A type (`pg_type`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeInfo {
    /// `oid`.
    pub oid: Oid,
    /// `typname`.
    pub name: String,
    /// `typnamespace`.
    pub namespace: Oid,
    /// `typlen`: fixed size in bytes, -1 for varlena, -2 for C strings.
    pub len: i16,
    /// `typbyval`.
    pub by_value: bool,
    /// `typtype`.
    pub kind: TypeKind,
    /// `typcategory`: one ASCII letter (`N` numeric, `S` string, `A` array, ...).
    pub category: char,
    /// `typispreferred`: preferred within its category for overload resolution.
    pub is_preferred: bool,
    /// `typelem`: element type of arrays (and of `name`, `oidvector`, ...
    /// which are not true arrays; see [`TypeInfo::is_true_array`]).
    pub elem: Oid,
    /// `typarray`: the array type whose elements are this type.
    pub array: Oid,
    /// `typrelid`: the `pg_class` row of a composite type.
    pub relid: Oid,
    /// `typsubscript`: the subscripting handler function (PostgreSQL 14+;
    /// older data files derive it: `array_subscript_handler` for true arrays).
    pub subscript: Oid,
    /// `typstorage`.
    pub storage: TypeStorage,
    /// `typcollation`: the default collation of a collatable type, else invalid.
    pub collation: Oid,
    /// `typbasetype`: the base type of a domain.
    pub base_type: Oid,
    /// `typtypmod`: the typmod a domain applies to its base type, else -1.
    pub typmod: i32,
    /// `typnotnull`: a domain's NOT NULL.
    pub not_null: bool,
    /// `typinput`.
    pub input: Oid,
    /// `typoutput`.
    pub output: Oid,
    /// `typmodin`.
    pub modin: Oid,
    /// `typmodout`.
    pub modout: Oid,
    /// `typdelim`: the array element delimiter.
    pub delim: char,
}

/// The `array_subscript_handler` function, which marks true arrays.
pub const ARRAY_SUBSCRIPT_HANDLER: Oid = Oid(6179);

impl TypeInfo {
    /// True when `format_type` prints this type as its element type plus
    /// `[]`: it has an element type, uses the array subscript handler
    /// (`IsTrueArrayType`) and is not stored plain. `name`, `int2vector` and
    /// `oidvector` have an element type but print under their own names.
    pub fn is_true_array(&self) -> bool {
        self.is_array() && self.storage != TypeStorage::Plain
    }

    /// True for an array in the sense of `type_is_array` (element type plus
    /// the array subscript handler): what the polymorphic `anyarray` accepts.
    /// Unlike [`is_true_array`](Self::is_true_array) this includes
    /// `int2vector` and `oidvector`.
    pub fn is_array(&self) -> bool {
        !self.elem.is_invalid() && self.subscript == ARRAY_SUBSCRIPT_HANDLER
    }
}

/// `prokind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProcKind {
    /// `f`: a normal function.
    Function,
    /// `a`: an aggregate; its details are in [`AggregateInfo`].
    Aggregate,
    /// `w`: a window function.
    Window,
    /// `p`: a procedure.
    Procedure,
}

/// `provolatile` (also the volatility of operators through their function).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Volatility {
    /// `i`: same result for the same arguments forever; postgres_fdw ships only these.
    Immutable,
    /// `s`: same result within one statement.
    Stable,
    /// `v`: may change at any call.
    Volatile,
}

/// `proargmodes` entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ArgMode {
    /// `i`.
    In,
    /// `o`.
    Out,
    /// `b`: INOUT.
    InOut,
    /// `v`: VARIADIC.
    Variadic,
    /// `t`: a TABLE output column.
    Table,
}

/// A function, aggregate, window function or procedure (`pg_proc`), without its source.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcInfo {
    /// `oid`.
    pub oid: Oid,
    /// `proname`.
    pub name: String,
    /// `pronamespace`.
    pub namespace: Oid,
    /// `prokind`.
    pub kind: ProcKind,
    /// `provolatile`.
    pub volatility: Volatility,
    /// `proisstrict`: returns null on any null argument.
    pub strict: bool,
    /// `proretset`.
    pub returns_set: bool,
    /// `prorettype`.
    pub return_type: Oid,
    /// `proargtypes`: the input argument types, the call signature.
    pub arg_types: Vec<Oid>,
    /// `proallargtypes`: all argument types including OUT ones; empty when
    /// every argument is IN (the catalog stores NULL then).
    pub all_arg_types: Vec<Oid>,
    /// `proargmodes`, parallel to `all_arg_types`; empty when all are IN.
    pub arg_modes: Vec<ArgMode>,
    /// `proargnames`, parallel to `all_arg_types` (or `arg_types` when that
    /// is empty); empty strings for unnamed arguments; empty when none are named.
    pub arg_names: Vec<String>,
    /// `provariadic`: the element type of the variadic argument, else invalid.
    pub variadic: Oid,
    /// `pronargdefaults`: how many trailing input arguments have defaults.
    pub n_arg_defaults: u16,
    /// `procost`.
    pub cost: f64,
    /// `prorows`: estimated rows of a set-returning function, else 0.
    pub rows: f64,
    /// `proleakproof`.
    pub leakproof: bool,
    /// `prosupport` is set: the planner may simplify calls.
    pub has_support: bool,
}

/// `oprkind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OperatorKind {
    /// `b`: infix, two operands.
    Binary,
    /// `l`: prefix, right operand only (`left` is invalid).
    Prefix,
    /// `r`: postfix, left operand only (PostgreSQL 13 and older).
    Postfix,
}

/// An operator (`pg_operator`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorInfo {
    /// `oid`.
    pub oid: Oid,
    /// `oprname`.
    pub name: String,
    /// `oprnamespace`.
    pub namespace: Oid,
    /// `oprkind`.
    pub kind: OperatorKind,
    /// `oprleft`: invalid for prefix operators.
    pub left: Oid,
    /// `oprright`: invalid for postfix operators.
    pub right: Oid,
    /// `oprresult`.
    pub result: Oid,
    /// `oprcode`: the implementing function.
    pub code: Oid,
    /// `oprcom`.
    pub commutator: Oid,
    /// `oprnegate`.
    pub negator: Oid,
    /// `oprrest`: restriction selectivity estimator.
    pub restrict: Oid,
    /// `oprjoin`: join selectivity estimator.
    pub join: Oid,
    /// `oprcanmerge`.
    pub can_merge: bool,
    /// `oprcanhash`.
    pub can_hash: bool,
}

/// `castcontext`: where a cast may be applied without being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CastContext {
    /// `e`: only as an explicit cast.
    Explicit,
    /// `a`: also on assignment.
    Assignment,
    /// `i`: also implicitly in expressions.
    Implicit,
}

/// `castmethod`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CastMethod {
    /// `f`: calls [`CastInfo::func`].
    Function,
    /// `b`: binary coercible, no work at run time.
    Binary,
    /// `i`: through the output and input functions.
    InOut,
}

/// A cast (`pg_cast`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CastInfo {
    /// `oid`.
    pub oid: Oid,
    /// `castsource`.
    pub source: Oid,
    /// `casttarget`.
    pub target: Oid,
    /// `castfunc`: invalid unless the method is [`CastMethod::Function`].
    pub func: Oid,
    /// `castcontext`.
    pub context: CastContext,
    /// `castmethod`.
    pub method: CastMethod,
}

/// `aggkind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AggregateKind {
    /// `n`: a normal aggregate.
    Normal,
    /// `o`: an ordered-set aggregate (`percentile_cont(..) WITHIN GROUP (..)`).
    OrderedSet,
    /// `h`: a hypothetical-set aggregate (`rank(..) WITHIN GROUP (..)`).
    Hypothetical,
}

/// An aggregate's implementation (`pg_aggregate`); its name and
/// signature are in the [`ProcInfo`] of `fnoid`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AggregateInfo {
    /// `aggfnoid`: the aggregate's `pg_proc` row.
    pub fnoid: Oid,
    /// `aggkind`.
    pub kind: AggregateKind,
    /// `aggnumdirectargs`: direct (non-aggregated) arguments of ordered-set aggregates.
    pub num_direct_args: i16,
    /// `aggtransfn`.
    pub transfn: Oid,
    /// `aggfinalfn`.
    pub finalfn: Oid,
    /// `aggcombinefn`: needed for partial aggregation.
    pub combinefn: Oid,
    /// `aggserialfn`.
    pub serialfn: Oid,
    /// `aggdeserialfn`.
    pub deserialfn: Oid,
    /// `aggmtransfn`: moving-aggregate transition function.
    pub mtransfn: Oid,
    /// `aggminvtransfn`.
    pub minvtransfn: Oid,
    /// `aggmfinalfn`.
    pub mfinalfn: Oid,
    /// `aggfinalextra`.
    pub finalextra: bool,
    /// `aggmfinalextra`.
    pub mfinalextra: bool,
    /// `aggfinalmodify`: `r` read-only, `s` shareable, `w` read-write.
    pub finalmodify: char,
    /// `aggmfinalmodify`.
    pub mfinalmodify: char,
    /// `aggsortop`: the operator for MIN/MAX-style index optimisation.
    pub sortop: Oid,
    /// `aggtranstype`.
    pub transtype: Oid,
    /// `aggtransspace`.
    pub transspace: i32,
    /// `aggmtranstype`.
    pub mtranstype: Oid,
    /// `aggmtransspace`.
    pub mtransspace: i32,
    /// `agginitval`: the initial state as text, `None` for NULL.
    pub initval: Option<String>,
    /// `aggminitval`.
    pub minitval: Option<String>,
}

/// `collprovider`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CollationProvider {
    /// `d`: the database default.
    Default,
    /// `c`: libc.
    Libc,
    /// `i`: ICU.
    Icu,
}

/// A collation (`pg_collation`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollationInfo {
    /// `oid`.
    pub oid: Oid,
    /// `collname`.
    pub name: String,
    /// `collnamespace`.
    pub namespace: Oid,
    /// `collprovider`.
    pub provider: CollationProvider,
    /// `collisdeterministic`.
    pub deterministic: bool,
    /// `collencoding`: -1 for any encoding.
    pub encoding: i32,
    /// `collcollate` (empty when NULL, as for ICU collations in 15+).
    pub collate: String,
}

/// An index access method (`pg_am`); only index methods are recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessMethodInfo {
    /// `oid`.
    pub oid: Oid,
    /// `amname`: `btree`, `hash`, `gist`, `gin`, `spgist`, `brin`.
    pub name: String,
}

/// The `btree` access method's oid.
pub const BTREE_AM_OID: Oid = Oid(403);

/// An operator family (`pg_opfamily`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpfamilyInfo {
    /// `oid`.
    pub oid: Oid,
    /// `opfmethod`: the access method.
    pub method: Oid,
    /// `opfname`.
    pub name: String,
    /// `opfnamespace`.
    pub namespace: Oid,
}

/// An operator class (`pg_opclass`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpclassInfo {
    /// `oid`.
    pub oid: Oid,
    /// `opcmethod`: the access method.
    pub method: Oid,
    /// `opcname`.
    pub name: String,
    /// `opcnamespace`.
    pub namespace: Oid,
    /// `opcfamily`.
    pub family: Oid,
    /// `opcintype`: the indexed type (may be polymorphic, e.g. `anyarray`).
    pub input_type: Oid,
    /// `opcdefault`: the default class of its method for `input_type`.
    pub is_default: bool,
    /// `opckeytype`: the stored type when it differs from the input, else invalid.
    pub key_type: Oid,
}

/// `amoppurpose`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AmopPurpose {
    /// `s`: a search (WHERE) operator.
    Search,
    /// `o`: an ordering (ORDER BY distance) operator.
    Order,
}

/// The btree strategy numbers (`BTLessStrategyNumber` ...).
pub mod btree_strategy {
    /// `<`.
    pub const LESS: i16 = 1;
    /// `<=`.
    pub const LESS_EQUAL: i16 = 2;
    /// `=`.
    pub const EQUAL: i16 = 3;
    /// `>=`.
    pub const GREATER_EQUAL: i16 = 4;
    /// `>`.
    pub const GREATER: i16 = 5;
}

/// An operator's membership in an operator family (`pg_amop`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmopInfo {
    /// `oid`.
    pub oid: Oid,
    /// `amopfamily`.
    pub family: Oid,
    /// `amoplefttype`.
    pub left: Oid,
    /// `amoprighttype`.
    pub right: Oid,
    /// `amopstrategy`: see [`btree_strategy`] for btree.
    pub strategy: i16,
    /// `amoppurpose`.
    pub purpose: AmopPurpose,
    /// `amopopr`.
    pub operator: Oid,
    /// `amopmethod`.
    pub method: Oid,
    /// `amopsortfamily`: for ordering operators, the btree family of the result.
    pub sort_family: Oid,
}
