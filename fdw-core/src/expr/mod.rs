//! Typed expression trees: one variant per PostgreSQL expression node kind.
//!
//! The shapes follow PostgreSQL 15's `primnodes.h` after parse analysis, with
//! field names kept close to the C ones so the spec and the source read alike.
//! Node kinds that postgres_fdw never ships (`CoalesceExpr`, `SubLink`,
//! `WindowFunc`, ...) are modelled too: the shippability walker must be able
//! to see them in order to say no.
//!
//! Children that PostgreSQL keeps in lists are [`ExprList`]s; compound nodes
//! are boxed so that [`Expr`] itself stays small (at most 48 bytes).
//!
//! Structural equality (`PartialEq`, `Eq`, `Hash`) ignores nothing because no
//! node carries a parse location: postgres_fdw numbers `$n` parameters by
//! `equal()` on nodes (spec §2.7.3), and derived equality gives the same answer.
#![warn(clippy::wildcard_enum_match_arm)]

#[cfg(test)]
mod fixtures;
mod types;
mod walk;

use smallvec::SmallVec;

use crate::ids::{AttrNumber, Oid, RelIndex, TypMod};
use crate::query::{Query, SortGroupClause, TargetEntry};

pub use walk::{
    any_node, contains_aggregate, contains_window_function, expression_returns_set, pull_var_refs,
    pull_vars, strip_implicit_coercions, transform_up, walk, walk_with_limit, Visit,
    DEFAULT_MAX_DEPTH,
};

/// A list of argument expressions; most nodes have one or two.
pub type ExprList = SmallVec<[Expr; 2]>;

/// An analyzed, typed expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Expr {
    /// A column of a range-table entry (`Var`).
    Var(Var),
    /// A constant (`Const`).
    Const(Const),
    /// A parameter (`Param`): `$n`, an executor parameter, a sub-select output.
    Param(Param),
    /// An aggregate call (`Aggref`).
    Aggref(Box<Aggref>),
    /// `GROUPING(...)` (`GroupingFunc`).
    GroupingFunc(Box<GroupingFunc>),
    /// A window function call (`WindowFunc`).
    WindowFunc(Box<WindowFunc>),
    /// Array (or other container) subscripting or assignment (`SubscriptingRef`).
    SubscriptingRef(Box<SubscriptingRef>),
    /// A function call, including casts done by functions (`FuncExpr`).
    FuncExpr(Box<FuncExpr>),
    /// A named argument `name => value`, before the planner reorders it (`NamedArgExpr`).
    NamedArgExpr(Box<NamedArgExpr>),
    /// An operator call (`OpExpr`).
    OpExpr(Box<OpExpr>),
    /// `a IS DISTINCT FROM b`: an `OpExpr` over the `=` operator (`DistinctExpr`).
    DistinctExpr(Box<OpExpr>),
    /// `NULLIF(a, b)`: an `OpExpr` over the `=` operator (`NullIfExpr`).
    NullIfExpr(Box<OpExpr>),
    /// `a op ANY (array)` / `a op ALL (array)` (`ScalarArrayOpExpr`).
    ScalarArrayOpExpr(Box<ScalarArrayOpExpr>),
    /// `AND` / `OR` / `NOT` (`BoolExpr`).
    BoolExpr(Box<BoolExpr>),
    /// A sub-select in an expression, before planning (`SubLink`).
    SubLink(Box<SubLink>),
    /// A planned sub-select (`SubPlan`).
    SubPlan(Box<SubPlan>),
    /// A choice between a hashed and a plain `SubPlan` (`AlternativeSubPlan`).
    AlternativeSubPlan(Box<AlternativeSubPlan>),
    /// `(composite).field` (`FieldSelect`).
    FieldSelect(Box<FieldSelect>),
    /// Assignment to fields of a composite value (`FieldStore`).
    FieldStore(Box<FieldStore>),
    /// A binary-compatible cast that only changes the type label (`RelabelType`).
    RelabelType(Box<RelabelType>),
    /// A cast through the output and input functions (`CoerceViaIO`).
    CoerceViaIO(Box<CoerceViaIO>),
    /// A cast applied to each element of an array (`ArrayCoerceExpr`).
    ArrayCoerceExpr(Box<ArrayCoerceExpr>),
    /// A cast between row types of an inheritance tree (`ConvertRowtypeExpr`).
    ConvertRowtypeExpr(Box<ConvertRowtypeExpr>),
    /// `expr COLLATE name` (`CollateExpr`).
    CollateExpr(Box<CollateExpr>),
    /// `CASE` (`CaseExpr`).
    CaseExpr(Box<CaseExpr>),
    /// The placeholder for the `CASE` argument inside its `WHEN`s (`CaseTestExpr`).
    CaseTestExpr(CaseTestExpr),
    /// `ARRAY[...]` (`ArrayExpr`).
    ArrayExpr(Box<ArrayExpr>),
    /// `ROW(...)` (`RowExpr`).
    RowExpr(Box<RowExpr>),
    /// `(a, b) < (c, d)` (`RowCompareExpr`).
    RowCompareExpr(Box<RowCompareExpr>),
    /// `COALESCE(...)` (`CoalesceExpr`).
    CoalesceExpr(Box<CoalesceExpr>),
    /// `GREATEST(...)` / `LEAST(...)` (`MinMaxExpr`).
    MinMaxExpr(Box<MinMaxExpr>),
    /// `CURRENT_DATE`, `CURRENT_USER` and friends (`SQLValueFunction`).
    SqlValueFunction(SqlValueFunction),
    /// `XMLELEMENT(...)` and the other SQL/XML forms (`XmlExpr`), kept opaque.
    XmlExpr(Box<XmlExpr>),
    /// The SQL/JSON node kinds of PostgreSQL 16+, kept opaque.
    JsonExpr(Box<JsonExpr>),
    /// `IS [NOT] NULL` (`NullTest`).
    NullTest(Box<NullTest>),
    /// `IS [NOT] TRUE/FALSE/UNKNOWN` (`BooleanTest`).
    BooleanTest(Box<BooleanTest>),
    /// A check that a value satisfies a domain's constraints (`CoerceToDomain`).
    CoerceToDomain(Box<CoerceToDomain>),
    /// The placeholder for the value inside a domain `CHECK` (`CoerceToDomainValue`).
    CoerceToDomainValue(CoerceToDomainValue),
    /// `DEFAULT` in an `INSERT` or `UPDATE` target list (`SetToDefault`).
    SetToDefault(SetToDefault),
    /// `WHERE CURRENT OF cursor` (`CurrentOfExpr`).
    CurrentOfExpr(CurrentOfExpr),
    /// `nextval()` of an identity column's sequence (`NextValueExpr`).
    NextValueExpr(NextValueExpr),
    /// An expression evaluated below an outer join and nulled above it (`PlaceHolderVar`).
    PlaceHolderVar(Box<PlaceHolderVar>),
}

/// A column reference (`Var`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Var {
    /// Range-table index of the relation, counted in the query `varlevelsup` levels up.
    pub varno: RelIndex,
    /// Column number; 0 is the whole row, negative numbers are system columns.
    pub varattno: AttrNumber,
    /// Type of the column.
    pub vartype: Oid,
    /// Type modifier of the column.
    pub vartypmod: TypMod,
    /// Collation of the column, or invalid for non-collatable types.
    pub varcollid: Oid,
    /// 0 for the current query level, `n` for a reference `n` levels out.
    pub varlevelsup: u32,
}

/// A constant (`Const`).
///
/// The value is kept in PostgreSQL's text output form (`1`, `2000-01-01
/// 00:00:00+00`, `{1,2,3}`), which is what postgres_fdw prints after
/// quoting (spec §2.7.2).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Const {
    /// Type of the constant.
    pub consttype: Oid,
    /// Type modifier, -1 when none.
    pub consttypmod: TypMod,
    /// Collation, or invalid for non-collatable types.
    pub constcollid: Oid,
    /// The text output form of the value; `None` is SQL `NULL`.
    pub value: Option<String>,
}

/// What a [`Param`] stands for (`ParamKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParamKind {
    /// `$n` supplied from outside the statement (`PARAM_EXTERN`).
    Extern,
    /// A value computed during execution: nest-loop parameters, init-plan
    /// outputs (`PARAM_EXEC`).
    Exec,
    /// An output column of an `ANY`/`ALL`/`ROWCOMPARE` sub-select (`PARAM_SUBLINK`).
    Sublink,
    /// One output of a multi-assignment sub-select, `UPDATE ... SET (a, b) =
    /// (SELECT ...)` (`PARAM_MULTIEXPR`); never shipped.
    Multiexpr,
}

/// A parameter (`Param`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Param {
    /// Kind of parameter.
    pub paramkind: ParamKind,
    /// Number: `n` of `$n` for [`ParamKind::Extern`], an executor slot otherwise.
    pub paramid: i32,
    /// Type of the value.
    pub paramtype: Oid,
    /// Type modifier, -1 when none.
    pub paramtypmod: TypMod,
    /// Collation, or invalid for non-collatable types.
    pub paramcollid: Oid,
}

/// Which kind of aggregate an [`Aggref`] calls (`aggkind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AggKind {
    /// A normal aggregate (`'n'`).
    Normal,
    /// An ordered-set aggregate such as `percentile_disc` (`'o'`).
    OrderedSet,
    /// A hypothetical-set aggregate such as `rank(...) WITHIN GROUP` (`'h'`).
    Hypothetical,
}

/// How an aggregate's work is split between plan nodes (`AggSplit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AggSplit {
    /// The whole aggregate in one node (`AGGSPLIT_SIMPLE`); the only form
    /// postgres_fdw pushes down.
    Simple,
    /// The partial step of parallel or partition-wise aggregation
    /// (`AGGSPLIT_INITIAL_SERIAL`).
    InitialSerial,
    /// The combining step (`AGGSPLIT_FINAL_DESERIAL`).
    FinalDeserial,
}

/// An aggregate call (`Aggref`).
///
/// As in PostgreSQL, `args` holds every aggregated argument together with
/// the `ORDER BY` and `DISTINCT` expressions (those are target entries marked
/// `resjunk` when they are not also arguments); `aggorder` and `aggdistinct`
/// point into `args` by `ressortgroupref`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Aggref {
    /// The aggregate function.
    pub aggfnoid: Oid,
    /// Result type.
    pub aggtype: Oid,
    /// Result collation.
    pub aggcollid: Oid,
    /// Collation the aggregate uses for its inputs.
    pub inputcollid: Oid,
    /// Transition-state type.
    pub aggtranstype: Oid,
    /// Types of the direct and aggregated arguments, in declaration order.
    pub aggargtypes: Vec<Oid>,
    /// Direct arguments of an ordered-set aggregate (`percentile_disc(0.5)`).
    pub aggdirectargs: ExprList,
    /// Aggregated arguments and sort/distinct expressions.
    pub args: Vec<TargetEntry>,
    /// `ORDER BY` inside the call, or `WITHIN GROUP (ORDER BY ...)`.
    pub aggorder: Vec<SortGroupClause>,
    /// `DISTINCT` inside the call.
    pub aggdistinct: Vec<SortGroupClause>,
    /// `FILTER (WHERE ...)`.
    pub aggfilter: Option<Expr>,
    /// `count(*)`-style call.
    pub aggstar: bool,
    /// The last argument was given with `VARIADIC`.
    pub aggvariadic: bool,
    /// Normal, ordered-set or hypothetical-set.
    pub aggkind: AggKind,
    /// 0 for an aggregate of this query level, `n` for one `n` levels out.
    pub agglevelsup: u32,
    /// Whole, partial or combining step.
    pub aggsplit: AggSplit,
    /// Index among the query's aggregates, once the planner numbered them.
    pub aggno: Option<u32>,
    /// Index among the query's transition states, once numbered.
    pub aggtransno: Option<u32>,
}

/// `GROUPING(a, b)` (`GroupingFunc`); its result is always `integer`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GroupingFunc {
    /// The arguments as written.
    pub args: ExprList,
    /// The `ressortgroupref`s of the arguments.
    pub refs: Vec<u32>,
    /// The same, renumbered to grouping columns by the planner.
    pub cols: Vec<u32>,
    /// Query level of the grouping this refers to.
    pub agglevelsup: u32,
}

/// A window function call (`WindowFunc`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WindowFunc {
    /// The function.
    pub winfnoid: Oid,
    /// Result type.
    pub wintype: Oid,
    /// Result collation.
    pub wincollid: Oid,
    /// Collation the function uses for its inputs.
    pub inputcollid: Oid,
    /// Arguments.
    pub args: ExprList,
    /// `FILTER (WHERE ...)`.
    pub aggfilter: Option<Expr>,
    /// The `winref` of the [`crate::query::WindowClause`] it runs over.
    pub winref: u32,
    /// `count(*) OVER ...`-style call.
    pub winstar: bool,
    /// The function is a plain aggregate used as a window function.
    pub winagg: bool,
}

/// Subscripting of a container (`SubscriptingRef`): `arr[1]`, `arr[1:2]`,
/// or the assignment form used by `UPDATE ... SET arr[1] = x`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SubscriptingRef {
    /// Type of the container.
    pub refcontainertype: Oid,
    /// Type of one element.
    pub refelemtype: Oid,
    /// Type of the result (`refrestype`): the element for a fetch of one
    /// element, the container for a slice or an assignment.
    pub refrestype: Oid,
    /// Type modifier of the container and its elements.
    pub reftypmod: TypMod,
    /// Collation of the result.
    pub refcollid: Oid,
    /// Upper bounds (or single subscripts); `None` for an omitted slice bound.
    pub refupperindexpr: Vec<Option<Expr>>,
    /// Lower bounds of a slice, empty when it is not a slice; `None` for an
    /// omitted bound.
    pub reflowerindexpr: Vec<Option<Expr>>,
    /// The container.
    pub refexpr: Expr,
    /// The value assigned, for the assignment form; never shipped.
    pub refassgnexpr: Option<Expr>,
}

/// How a function call, cast or coercion was written (`CoercionForm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CoercionForm {
    /// `f(x)` (`COERCE_EXPLICIT_CALL`).
    ExplicitCall,
    /// `x::t` or `CAST(x AS t)` (`COERCE_EXPLICIT_CAST`).
    ExplicitCast,
    /// Inserted by the parser (`COERCE_IMPLICIT_CAST`); not printed.
    ImplicitCast,
    /// Special SQL syntax such as `substring(x from 1)` (`COERCE_SQL_SYNTAX`, PG 14+).
    SqlSyntax,
}

/// A function call (`FuncExpr`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FuncExpr {
    /// The function.
    pub funcid: Oid,
    /// Result type.
    pub funcresulttype: Oid,
    /// The function returns a set.
    pub funcretset: bool,
    /// The last argument was given with `VARIADIC`.
    pub funcvariadic: bool,
    /// How the call was written.
    pub funcformat: CoercionForm,
    /// Result collation.
    pub funccollid: Oid,
    /// Collation the function uses for its inputs.
    pub inputcollid: Oid,
    /// Arguments.
    pub args: ExprList,
}

/// A named argument `name => value` (`NamedArgExpr`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NamedArgExpr {
    /// The value.
    pub arg: Expr,
    /// The parameter name.
    pub name: String,
    /// 0-based position of the parameter in the function's declaration.
    pub argnumber: u32,
}

/// An operator call (`OpExpr`); also the payload of `DistinctExpr` and
/// `NullIfExpr`, as in PostgreSQL.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OpExpr {
    /// The operator.
    pub opno: Oid,
    /// The function implementing it.
    pub opfuncid: Oid,
    /// Result type.
    pub opresulttype: Oid,
    /// The operator returns a set.
    pub opretset: bool,
    /// Result collation.
    pub opcollid: Oid,
    /// Collation the operator uses for its inputs.
    pub inputcollid: Oid,
    /// One argument for a prefix operator, two for a binary one.
    pub args: ExprList,
}

/// `scalar op ANY (array)` or `scalar op ALL (array)` (`ScalarArrayOpExpr`);
/// the result is always `boolean`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ScalarArrayOpExpr {
    /// The operator applied to each element.
    pub opno: Oid,
    /// The function implementing it.
    pub opfuncid: Oid,
    /// Hash function for a hashed `IN` list, invalid when not hashed (PG 14+).
    pub hashfuncid: Oid,
    /// Negator's function for a hashed `NOT IN`, invalid when unused (PG 15+).
    pub negfuncid: Oid,
    /// `ANY` (true) or `ALL` (false).
    pub use_or: bool,
    /// Collation the operator uses for its inputs.
    pub inputcollid: Oid,
    /// The scalar and the array.
    pub args: ExprList,
}

/// The connective of a [`BoolExpr`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BoolExprType {
    /// `AND`.
    And,
    /// `OR`.
    Or,
    /// `NOT` (one argument).
    Not,
}

/// `AND` / `OR` / `NOT` (`BoolExpr`); the result is always `boolean`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BoolExpr {
    /// The connective.
    pub boolop: BoolExprType,
    /// Operands.
    pub args: ExprList,
}

/// The kind of a [`SubLink`] or [`SubPlan`] (`SubLinkType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SubLinkType {
    /// `EXISTS (SELECT ...)`.
    Exists,
    /// `x op ALL (SELECT ...)`.
    All,
    /// `x op ANY (SELECT ...)`, including `IN (SELECT ...)`.
    Any,
    /// `(x, y) op (SELECT a, b ...)`.
    RowCompare,
    /// `(SELECT x ...)` used as a value.
    Expr,
    /// `SET (a, b) = (SELECT ...)` in `UPDATE`.
    Multiexpr,
    /// `ARRAY(SELECT ...)`.
    Array,
    /// A `WITH` query referenced only by the planner (`CTE_SUBLINK`).
    Cte,
}

/// A sub-select inside an expression, as parse analysis leaves it (`SubLink`).
///
/// PostgreSQL derives the result type of `EXPR` and `ARRAY` sub-links from
/// the sub-select's first column (the array type needs a catalog look-up),
/// so the front end records it here.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SubLink {
    /// Kind of sub-link.
    pub sublinktype: SubLinkType,
    /// Identifier of a `MULTIEXPR` sub-link, 0 otherwise.
    pub sublinkid: i32,
    /// The comparison for `ANY`/`ALL`/`ROWCOMPARE`, with `Sublink` params
    /// standing for the sub-select's columns.
    pub testexpr: Option<Expr>,
    /// The operator name as written (possibly qualified), for `ANY`/`ALL`/`ROWCOMPARE`.
    pub oper_name: Vec<String>,
    /// The sub-select.
    pub subselect: Box<Query>,
    /// Result type: `boolean` for the tests, the column (or its array) type
    /// for `EXPR` / `ARRAY`, `record` for `MULTIEXPR`.
    pub result_type: Oid,
    /// Result type modifier.
    pub result_typmod: TypMod,
    /// Result collation.
    pub result_collation: Oid,
}

/// A planned sub-select (`SubPlan`); the plan itself lives in the plan's
/// list of sub-plans at index `plan_id - 1`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SubPlan {
    /// Kind of sub-link it came from.
    pub sublinktype: SubLinkType,
    /// The comparison, with `Exec` params for the sub-select's columns.
    pub testexpr: Option<Expr>,
    /// Ids of the `Exec` params used in `testexpr` for the output columns.
    pub param_ids: Vec<i32>,
    /// 1-based index into the plan's sub-plans.
    pub plan_id: u32,
    /// Name shown by EXPLAIN (`SubPlan 1`, `InitPlan 2 (returns $1)`).
    pub plan_name: String,
    /// Type of the first output column.
    pub first_col_type: Oid,
    /// Type modifier of the first output column.
    pub first_col_typmod: TypMod,
    /// Collation of the first output column.
    pub first_col_collation: Oid,
    /// Result type (see [`SubLink::result_type`]).
    pub result_type: Oid,
    /// Result type modifier.
    pub result_typmod: TypMod,
    /// Result collation.
    pub result_collation: Oid,
    /// Evaluated by loading a hash table.
    pub use_hash_table: bool,
    /// `false` and `NULL` results are equivalent for the caller.
    pub unknown_eq_false: bool,
    /// Safe to run in a parallel worker.
    pub parallel_safe: bool,
    /// `Exec` params set by an init-plan.
    pub set_param: Vec<i32>,
    /// `Exec` params the sub-plan depends on.
    pub par_param: Vec<i32>,
    /// Values passed into `par_param`, in the same order.
    pub args: ExprList,
}

/// Two alternative plans for one sub-select (`AlternativeSubPlan`); the
/// result type is the first one's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AlternativeSubPlan {
    /// The alternatives, usually a hashed and a plain one.
    pub subplans: Vec<SubPlan>,
}

/// `(composite).field` (`FieldSelect`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldSelect {
    /// The composite value.
    pub arg: Expr,
    /// Attribute number of the field.
    pub fieldnum: AttrNumber,
    /// Type of the field.
    pub resulttype: Oid,
    /// Type modifier of the field.
    pub resulttypmod: TypMod,
    /// Collation of the field.
    pub resultcollid: Oid,
}

/// Replacement of fields of a composite value (`FieldStore`); the result is
/// the composite type, with no typmod or collation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldStore {
    /// The input value.
    pub arg: Expr,
    /// New field values.
    pub newvals: ExprList,
    /// Field numbers, parallel to `newvals`.
    pub fieldnums: Vec<AttrNumber>,
    /// The composite type.
    pub resulttype: Oid,
}

/// A binary-compatible cast (`RelabelType`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RelabelType {
    /// The input.
    pub arg: Expr,
    /// Result type.
    pub resulttype: Oid,
    /// Result type modifier.
    pub resulttypmod: TypMod,
    /// Result collation.
    pub resultcollid: Oid,
    /// How it was written; implicit ones are not printed.
    pub relabelformat: CoercionForm,
}

/// A cast through text I/O (`CoerceViaIO`); the typmod is always -1.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CoerceViaIO {
    /// The input.
    pub arg: Expr,
    /// Result type.
    pub resulttype: Oid,
    /// Result collation.
    pub resultcollid: Oid,
    /// How it was written.
    pub coerceformat: CoercionForm,
}

/// A per-element array cast (`ArrayCoerceExpr`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ArrayCoerceExpr {
    /// The input array.
    pub arg: Expr,
    /// The conversion of one element, reading it through a [`CaseTestExpr`].
    pub elemexpr: Expr,
    /// Result array type.
    pub resulttype: Oid,
    /// Result type modifier.
    pub resulttypmod: TypMod,
    /// Result collation.
    pub resultcollid: Oid,
    /// How it was written.
    pub coerceformat: CoercionForm,
}

/// A cast from a child table's row type to a parent's (`ConvertRowtypeExpr`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ConvertRowtypeExpr {
    /// The input row.
    pub arg: Expr,
    /// The target row type.
    pub resulttype: Oid,
    /// How it was written.
    pub convertformat: CoercionForm,
}

/// `expr COLLATE name` (`CollateExpr`); type and typmod are the argument's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CollateExpr {
    /// The input.
    pub arg: Expr,
    /// The collation applied.
    pub coll_oid: Oid,
}

/// `CASE` (`CaseExpr`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CaseExpr {
    /// Result type.
    pub casetype: Oid,
    /// Result collation.
    pub casecollid: Oid,
    /// The argument of a simple `CASE x WHEN ...`; each `WHEN` then
    /// compares a [`CaseTestExpr`] with its value.
    pub arg: Option<Expr>,
    /// The `WHEN ... THEN ...` arms.
    pub args: Vec<CaseWhen>,
    /// `ELSE`; parse analysis supplies `NULL` when none was written.
    pub defresult: Option<Expr>,
}

/// One `WHEN expr THEN result` arm (`CaseWhen`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CaseWhen {
    /// The condition.
    pub expr: Expr,
    /// The result.
    pub result: Expr,
}

/// The value being tested by a simple `CASE`, an `ArrayCoerceExpr` element
/// or similar (`CaseTestExpr`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CaseTestExpr {
    /// Type of the value.
    pub type_id: Oid,
    /// Type modifier of the value.
    pub type_mod: TypMod,
    /// Collation of the value.
    pub collation: Oid,
}

/// `ARRAY[...]` (`ArrayExpr`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ArrayExpr {
    /// The array type.
    pub array_typeid: Oid,
    /// Collation of the array.
    pub array_collid: Oid,
    /// The element type.
    pub element_typeid: Oid,
    /// The elements (sub-arrays when `multidims`).
    pub elements: ExprList,
    /// The elements are themselves arrays: `ARRAY[ARRAY[1], ARRAY[2]]`.
    pub multidims: bool,
}

/// `ROW(...)` (`RowExpr`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RowExpr {
    /// The fields.
    pub args: ExprList,
    /// The row type: `record` or a named composite type.
    pub row_typeid: Oid,
    /// How it was written (`ROW(...)` or a cast to a named type).
    pub row_format: CoercionForm,
    /// Field names.
    pub colnames: Vec<String>,
}

/// The comparison of a [`RowCompareExpr`] (`RowCompareType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RowCompareType {
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `=`.
    Eq,
    /// `>=`.
    Ge,
    /// `>`.
    Gt,
    /// `<>`.
    Ne,
}

/// `(a, b) < (c, d)` (`RowCompareExpr`); the result is always `boolean`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RowCompareExpr {
    /// The comparison.
    pub rctype: RowCompareType,
    /// Operator per column pair.
    pub opnos: Vec<Oid>,
    /// Operator family per column pair.
    pub opfamilies: Vec<Oid>,
    /// Input collation per column pair.
    pub inputcollids: Vec<Oid>,
    /// Left-hand fields.
    pub largs: ExprList,
    /// Right-hand fields.
    pub rargs: ExprList,
}

/// `COALESCE(...)` (`CoalesceExpr`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CoalesceExpr {
    /// Result type.
    pub coalescetype: Oid,
    /// Result collation.
    pub coalescecollid: Oid,
    /// Arguments.
    pub args: ExprList,
}

/// `GREATEST` or `LEAST`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MinMaxOp {
    /// `GREATEST(...)`.
    Greatest,
    /// `LEAST(...)`.
    Least,
}

/// `GREATEST(...)` / `LEAST(...)` (`MinMaxExpr`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MinMaxExpr {
    /// Result type.
    pub minmaxtype: Oid,
    /// Result collation.
    pub minmaxcollid: Oid,
    /// Collation used for comparing the inputs.
    pub inputcollid: Oid,
    /// Which one.
    pub op: MinMaxOp,
    /// Arguments.
    pub args: ExprList,
}

/// Which SQL value function (`SQLValueFunctionOp`); the `N` forms carry a precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SqlValueFunctionOp {
    /// `CURRENT_DATE`.
    CurrentDate,
    /// `CURRENT_TIME`.
    CurrentTime,
    /// `CURRENT_TIME(n)`.
    CurrentTimeN,
    /// `CURRENT_TIMESTAMP`.
    CurrentTimestamp,
    /// `CURRENT_TIMESTAMP(n)`.
    CurrentTimestampN,
    /// `LOCALTIME`.
    Localtime,
    /// `LOCALTIME(n)`.
    LocaltimeN,
    /// `LOCALTIMESTAMP`.
    Localtimestamp,
    /// `LOCALTIMESTAMP(n)`.
    LocaltimestampN,
    /// `CURRENT_ROLE`.
    CurrentRole,
    /// `CURRENT_USER`.
    CurrentUser,
    /// `USER`.
    User,
    /// `SESSION_USER`.
    SessionUser,
    /// `CURRENT_CATALOG`.
    CurrentCatalog,
    /// `CURRENT_SCHEMA`.
    CurrentSchema,
}

/// `CURRENT_DATE`, `CURRENT_USER`, ... (`SQLValueFunction`); never shipped
/// because none of them is immutable.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SqlValueFunction {
    /// Which function.
    pub op: SqlValueFunctionOp,
    /// Result type.
    pub type_oid: Oid,
    /// Result type modifier (the precision of the `N` forms).
    pub typmod: TypMod,
    /// Result collation: PostgreSQL gives the `name`-typed ones (`CURRENT_USER`
    /// ...) the C collation and the others none.
    pub collation: Oid,
}

/// Which SQL/XML form an [`XmlExpr`] is (`XmlExprOp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum XmlExprOp {
    /// `XMLCONCAT`.
    Concat,
    /// `XMLELEMENT`.
    Element,
    /// `XMLFOREST`.
    Forest,
    /// `XMLPARSE`.
    Parse,
    /// `XMLPI`.
    Pi,
    /// `XMLROOT`.
    Root,
    /// `XMLSERIALIZE`.
    Serialize,
    /// `IS DOCUMENT`.
    IsDocument,
}

/// An SQL/XML expression (`XmlExpr`), kept only as far as walking and
/// typing need; it is never shipped.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct XmlExpr {
    /// Which form.
    pub op: XmlExprOp,
    /// Element or PI name, when the form has one.
    pub name: Option<String>,
    /// Attribute values of `XMLELEMENT` / `XMLFOREST`.
    pub named_args: ExprList,
    /// Names for `named_args`, parallel to it.
    pub arg_names: Vec<String>,
    /// The other arguments.
    pub args: ExprList,
    /// Result type (`xml`, `text` for `XMLSERIALIZE`, `boolean` for `IS DOCUMENT`).
    pub type_oid: Oid,
    /// Result type modifier.
    pub typmod: TypMod,
    /// Result collation (the default one for `XMLSERIALIZE`, else none).
    pub collation: Oid,
}

/// Which SQL/JSON construct a [`JsonExpr`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum JsonExprKind {
    /// `JSON_OBJECT`, `JSON_ARRAY`, `JSON(...)`, `JSON_SCALAR`, ... (`JsonConstructorExpr`, PG 16+).
    Constructor,
    /// `x IS JSON [OBJECT|ARRAY|SCALAR]` (`JsonIsPredicate`, PG 16+).
    IsPredicate,
    /// `expr FORMAT JSON` (`JsonValueExpr`, PG 16+).
    ValueExpr,
    /// `JSON_QUERY`, `JSON_VALUE`, `JSON_EXISTS` (`JsonExpr`, PG 17+).
    Query,
}

/// An SQL/JSON expression, kept opaque: postgres_fdw ships none of them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct JsonExpr {
    /// Which construct.
    pub kind: JsonExprKind,
    /// All sub-expressions, in the order PostgreSQL's walker visits them.
    pub args: ExprList,
    /// Result type.
    pub type_oid: Oid,
    /// Result type modifier.
    pub typmod: TypMod,
    /// Result collation.
    pub collation: Oid,
}

/// Which [`NullTest`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NullTestType {
    /// `IS NULL`.
    IsNull,
    /// `IS NOT NULL`.
    IsNotNull,
}

/// `IS [NOT] NULL` (`NullTest`); the result is always `boolean`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NullTest {
    /// The tested value.
    pub arg: Expr,
    /// `IS NULL` or `IS NOT NULL`.
    pub nulltesttype: NullTestType,
    /// Row semantics: every field is (not) null. When false on a composite
    /// argument, the deparser prints `IS [NOT] DISTINCT FROM NULL`.
    pub argisrow: bool,
}

/// Which [`BooleanTest`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BoolTestType {
    /// `IS TRUE`.
    IsTrue,
    /// `IS NOT TRUE`.
    IsNotTrue,
    /// `IS FALSE`.
    IsFalse,
    /// `IS NOT FALSE`.
    IsNotFalse,
    /// `IS UNKNOWN`.
    IsUnknown,
    /// `IS NOT UNKNOWN`.
    IsNotUnknown,
}

/// `IS [NOT] TRUE/FALSE/UNKNOWN` (`BooleanTest`); the result is always
/// `boolean`. Never shipped.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BooleanTest {
    /// The tested value.
    pub arg: Expr,
    /// Which test.
    pub booltesttype: BoolTestType,
}

/// A domain check (`CoerceToDomain`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CoerceToDomain {
    /// The input, already of the domain's base type.
    pub arg: Expr,
    /// The domain type.
    pub resulttype: Oid,
    /// Result type modifier.
    pub resulttypmod: TypMod,
    /// Result collation.
    pub resultcollid: Oid,
    /// How it was written.
    pub coercionformat: CoercionForm,
}

/// The value inside a domain `CHECK` constraint (`CoerceToDomainValue`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CoerceToDomainValue {
    /// Type of the value.
    pub type_id: Oid,
    /// Type modifier of the value.
    pub type_mod: TypMod,
    /// Collation of the value.
    pub collation: Oid,
}

/// `DEFAULT` as a value in `INSERT` / `UPDATE` (`SetToDefault`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SetToDefault {
    /// Type of the column.
    pub type_id: Oid,
    /// Type modifier of the column.
    pub type_mod: TypMod,
    /// Collation of the column.
    pub collation: Oid,
}

/// `WHERE CURRENT OF cursor` (`CurrentOfExpr`); the result is always `boolean`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CurrentOfExpr {
    /// Range-table index of the target relation.
    pub cvarno: RelIndex,
    /// The cursor's name, or `None` when it is a parameter.
    pub cursor_name: Option<String>,
    /// The `$n` holding the cursor name, 0 when named directly.
    pub cursor_param: i32,
}

/// `nextval()` of an identity column's sequence (`NextValueExpr`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NextValueExpr {
    /// The sequence.
    pub seqid: Oid,
    /// Result type (the column's integer type).
    pub type_id: Oid,
}

/// An expression evaluated below an outer join (`PlaceHolderVar`); type and
/// collation are those of `phexpr`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PlaceHolderVar {
    /// The wrapped expression.
    pub phexpr: Expr,
    /// Relations that must be joined before it can be evaluated, ascending.
    pub phrels: Vec<RelIndex>,
    /// Identifier, unique within the query.
    pub phid: u32,
    /// Query level, as for [`Var::varlevelsup`].
    pub phlevelsup: u32,
}

impl Var {
    /// A column of the current query level.
    pub fn new(
        varno: RelIndex,
        varattno: AttrNumber,
        vartype: Oid,
        vartypmod: TypMod,
        varcollid: Oid,
    ) -> Var {
        Var {
            varno,
            varattno,
            vartype,
            vartypmod,
            varcollid,
            varlevelsup: 0,
        }
    }
}

impl Const {
    /// A non-null constant with no typmod, given its text output form.
    pub fn new(consttype: Oid, constcollid: Oid, value: impl Into<String>) -> Const {
        Const {
            consttype,
            consttypmod: -1,
            constcollid,
            value: Some(value.into()),
        }
    }

    /// A typed `NULL`.
    pub fn null(consttype: Oid, consttypmod: TypMod, constcollid: Oid) -> Const {
        Const {
            consttype,
            consttypmod,
            constcollid,
            value: None,
        }
    }

    /// True for SQL `NULL` (`constisnull`).
    pub fn is_null(&self) -> bool {
        self.value.is_none()
    }
}

impl From<Var> for Expr {
    fn from(var: Var) -> Expr {
        Expr::Var(var)
    }
}

impl From<Const> for Expr {
    fn from(constant: Const) -> Expr {
        Expr::Const(constant)
    }
}

impl From<Param> for Expr {
    fn from(param: Param) -> Expr {
        Expr::Param(param)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};

    use smallvec::smallvec;

    use super::fixtures::*;
    use super::*;

    fn hash_of(expr: &Expr) -> u64 {
        let mut hasher = DefaultHasher::new();
        expr.hash(&mut hasher);
        hasher.finish()
    }

    /// The 1-based `$n` postgres_fdw would give `expr`: equal nodes share a
    /// number, new ones are appended (spec §2.7.3).
    fn param_number(params: &mut Vec<Expr>, expr: &Expr) -> usize {
        if let Some(pos) = params.iter().position(|known| known == expr) {
            return pos + 1;
        }
        params.push(expr.clone());
        params.len()
    }

    #[test]
    fn expr_stays_small() {
        // Compound nodes are boxed; an inline node growing past this makes
        // every argument list larger.
        assert!(size_of::<Expr>() <= 48, "{}", size_of::<Expr>());
    }

    #[test]
    fn clones_are_equal_and_hash_alike() {
        for sample in one_of_each_kind() {
            let copy = sample.expr.clone();
            assert_eq!(copy, sample.expr, "{}", kind_name(&copy));
            assert_eq!(
                hash_of(&copy),
                hash_of(&sample.expr),
                "{}",
                kind_name(&copy)
            );
        }
    }

    #[test]
    fn different_kinds_are_never_equal() {
        let samples = one_of_each_kind();
        for (i, left) in samples.iter().enumerate() {
            for right in &samples[i + 1..] {
                if kind_name(&left.expr) != kind_name(&right.expr) {
                    assert_ne!(left.expr, right.expr);
                }
            }
        }
    }

    #[test]
    fn typmod_and_collation_take_part_in_equality() {
        let var = Var::new(RelIndex(1), AttrNumber(6), VARCHAR, 14, DEFAULT_COLL);
        let other_typmod = Var {
            vartypmod: 7,
            ..var.clone()
        };
        let other_collation = Var {
            varcollid: C_COLL,
            ..var.clone()
        };
        let outer_level = Var {
            varlevelsup: 1,
            ..var.clone()
        };
        assert_ne!(Expr::Var(var.clone()), Expr::Var(other_typmod));
        assert_ne!(Expr::Var(var.clone()), Expr::Var(other_collation));
        assert_ne!(Expr::Var(var), Expr::Var(outer_level));
    }

    #[test]
    fn distinct_and_op_with_same_payload_differ() {
        let payload = OpExpr {
            opno: INT4_EQ,
            opfuncid: Oid(65),
            opresulttype: Oid::BOOL_TYPE,
            opretset: false,
            opcollid: Oid::INVALID,
            inputcollid: Oid::INVALID,
            args: smallvec![int_var(1, 1), int_var(1, 2)],
        };
        assert_ne!(
            Expr::OpExpr(Box::new(payload.clone())),
            Expr::DistinctExpr(Box::new(payload))
        );
    }

    #[test]
    fn equal_foreign_params_share_a_number() {
        // c3 <> $1::text AND c2 > $2::integer AND c1 = $2::integer, where the
        // Vars of relation 2 are outer references.
        let outer_text = text_var(2, 3);
        let outer_int = int_var(2, 2);
        let mut params = Vec::new();
        let numbers = [
            param_number(&mut params, &outer_text),
            param_number(&mut params, &outer_int),
            param_number(&mut params, &int_var(2, 2)),
        ];
        assert_eq!(numbers, [1, 2, 2]);
        assert_eq!(params, [outer_text, outer_int]);
    }

    #[test]
    fn null_const_is_not_equal_to_empty_string() {
        let null = Const::null(TEXT, -1, DEFAULT_COLL);
        let empty = Const::new(TEXT, DEFAULT_COLL, "");
        assert!(null.is_null());
        assert!(!empty.is_null());
        assert_ne!(Expr::from(null), Expr::from(empty));
    }
}
