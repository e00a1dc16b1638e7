//! Which expressions may run on the remote server (`foreign_expr_walker`,
//! `is_foreign_expr`, `classifyConditions`; spec §1).
//!
//! The walker accepts a fixed set of node kinds, requires every function,
//! operator, aggregate and result type to be shippable (built in, or a
//! member of an extension listed in the server's `extensions` option),
//! tracks where collations come from (spec §1.5: only a collation derived
//! from a column of the scanned foreign tables is reproduced remotely) and
//! finally rejects anything that is not immutable. A refusal says why, as
//! data.
#![warn(clippy::wildcard_enum_match_arm)]

use std::fmt;

use fdw_catalog::builtin::{OperatorKind, Volatility, PG_CATALOG_NAMESPACE};
use fdw_catalog::objects::ObjectClass as CatalogClass;
use fdw_catalog::Catalog;
use fdw_core::expr::{
    strip_implicit_coercions, AggSplit, Aggref, BoolExprType, CaseExpr, CoercionForm, Const,
    ParamKind, SubscriptingRef, Var, DEFAULT_MAX_DEPTH,
};
use fdw_core::{AttrNumber, Expr, ObjectClass, Oid};

use crate::context::{ScanRel, ScanRelation};
use crate::dialect::Dialect;
use crate::error::{Error, Result};

/// The foreign relation an expression is checked for (postgres_fdw's
/// `RelOptInfo` with its `PgFdwRelationInfo`).
#[derive(Debug, Clone, Copy)]
pub struct ForeignRel<'a> {
    /// The catalog the expression's oids refer to.
    pub catalog: &'a Catalog,
    /// The remote dialect (decides version-dependent rules).
    pub dialect: &'a dyn Dialect,
    /// The foreign server; its `extensions` option decides which
    /// non-built-in objects ship.
    pub server: Oid,
    /// The base relations scanned: for an upper relation, those of the scan
    /// or join below it. Their `Var`s are columns; others are parameters.
    pub scan: &'a ScanRel,
    /// Base, join or upper (grouping) relation.
    pub kind: ForeignRelKind,
}

/// What kind of relation a [`ForeignRel`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ForeignRelKind {
    /// One foreign table.
    Base,
    /// A join of foreign tables on one server.
    Join,
    /// Grouping on top of a base or join relation: aggregates may ship.
    Upper,
}

impl<'a> ForeignRel<'a> {
    /// The base relation scanning `scan`'s single table, on that table's server.
    ///
    /// # Errors
    ///
    /// [`Error::Catalog`] when the table is not a foreign table;
    /// [`Error::Internal`] when `scan` does not hold exactly one relation.
    pub fn base(
        catalog: &'a Catalog,
        dialect: &'a dyn Dialect,
        scan: &'a ScanRel,
    ) -> Result<ForeignRel<'a>> {
        let [ScanRelation { table, .. }] = scan.relations() else {
            return Err(Error::Internal(format!(
                "a base relation scans one table, not {}",
                scan.relations().len()
            )));
        };
        let server = catalog.table_server(*table)?.oid;
        Ok(ForeignRel {
            catalog,
            dialect,
            server,
            scan,
            kind: ForeignRelKind::Base,
        })
    }
}

/// The walker's verdict on one expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Shippability {
    /// The expression may be evaluated remotely.
    Shippable,
    /// It may not; the first obstacle found.
    NotShippable(NotShippable),
}

impl Shippability {
    /// True for [`Shippability::Shippable`].
    pub fn is_shippable(&self) -> bool {
        matches!(self, Shippability::Shippable)
    }
}

/// Why an expression stays local, and the node responsible.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NotShippable {
    /// The rule that failed.
    pub reason: NotShippableReason,
    /// The offending node, readably: `function now()`, `type
    /// public.user_enum`, `operator =(text, text)`, `CoalesceExpr`.
    pub node: String,
}

/// The rule an unshippable expression breaks (spec §1.10).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NotShippableReason {
    /// A function, operator, aggregate or type that is not built in (oid
    /// 10000 and up) and not a member of an extension listed in the
    /// server's `extensions` option.
    NotBuiltinOrListedExtension {
        /// The catalog it lives in.
        class: ObjectClass,
        /// Its oid.
        oid: Oid,
    },
    /// A function, operator or aggregate that is not immutable (also
    /// `CURRENT_DATE` and friends, which are stable, and identity-column
    /// `nextval`, which is volatile).
    NotImmutable {
        /// Its volatility.
        volatility: Volatility,
    },
    /// A node whose input collation is not derived from a column of the
    /// foreign relation (`'a' = CASE ... END`, `c3::name = 'x'`,
    /// `c3 < 'b' COLLATE "C"`, `repeat('a', id)`).
    UnsafeInputCollation {
        /// The collation the node uses.
        collation: Oid,
    },
    /// The whole expression has a collation that is not derived from a
    /// column of the foreign relation.
    UnsafeResultCollation {
        /// That collation.
        collation: Oid,
    },
    /// A system column other than `ctid` (`tableoid`, `xmin`, ...): the
    /// remote values differ from the local ones.
    SystemColumn {
        /// The attribute number.
        attnum: AttrNumber,
    },
    /// A whole-row reference: its type is the local table's row type.
    WholeRowReference,
    /// A parameter of a kind that is never shipped (`MULTIEXPR`).
    ParamKind {
        /// The kind.
        kind: ParamKind,
    },
    /// A node kind postgres_fdw never ships (`COALESCE`, `IS TRUE`,
    /// sub-selects, row comparisons, `COLLATE`, I/O casts, ...).
    NodeKind,
    /// The remote version cannot take this construct (`CASE` before
    /// PostgreSQL 15).
    NotInDialect,
    /// An aggregate outside a grouping (upper) relation.
    AggregateOutsideGrouping,
    /// A partial or combining step of a split aggregate.
    SplitAggregate,
    /// A `CASE` placeholder outside the `WHEN` of a `CASE` with an argument.
    CaseTestOutsideCase,
    /// A `WHEN` of a `CASE` with an argument that is not
    /// `placeholder = value` (the optimizer inlined the equality).
    CaseArmNotEquality,
    /// An assignment through a subscript (`arr[1] = x` in `UPDATE`).
    SubscriptAssignment,
    /// A constant of an object-identifier type (`regclass`, `regconfig`,
    /// ...) naming an object that is not shippable or cannot be identified
    /// (PostgreSQL 16+).
    RegConstant {
        /// The constant's type.
        type_oid: Oid,
    },
}

impl fmt::Display for NotShippable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let node = &self.node;
        match &self.reason {
            NotShippableReason::NotBuiltinOrListedExtension { .. } => write!(
                f,
                "{node} is not built in and not a member of an extension listed in the server's extensions option"
            ),
            NotShippableReason::NotImmutable { volatility } => {
                let word = match volatility {
                    Volatility::Immutable => "immutable",
                    Volatility::Stable => "stable",
                    Volatility::Volatile => "volatile",
                };
                write!(f, "{node} is {word}, not immutable")
            }
            NotShippableReason::UnsafeInputCollation { collation } => write!(
                f,
                "{node} uses collation {collation}, which does not come from a foreign column"
            ),
            NotShippableReason::UnsafeResultCollation { collation } => write!(
                f,
                "{node} has collation {collation}, which does not come from a foreign column"
            ),
            NotShippableReason::SystemColumn { .. } => {
                write!(f, "{node} is a system column other than ctid")
            }
            NotShippableReason::WholeRowReference => {
                write!(f, "{node} has the local table's row type")
            }
            NotShippableReason::ParamKind { kind } => {
                write!(f, "{node} is a parameter of kind {kind:?}")
            }
            NotShippableReason::NodeKind => write!(f, "{node} is never shipped"),
            NotShippableReason::NotInDialect => {
                write!(f, "{node} is not supported by the remote version")
            }
            NotShippableReason::AggregateOutsideGrouping => {
                write!(f, "{node} is an aggregate outside a grouping relation")
            }
            NotShippableReason::SplitAggregate => write!(f, "{node} is a split aggregate"),
            NotShippableReason::CaseTestOutsideCase => {
                write!(f, "{node} appears outside a CASE")
            }
            NotShippableReason::CaseArmNotEquality => {
                write!(f, "{node} has a WHEN that is not an equality")
            }
            NotShippableReason::SubscriptAssignment => {
                write!(f, "{node} assigns through a subscript")
            }
            NotShippableReason::RegConstant { .. } => {
                write!(f, "{node} names an object that is not shippable")
            }
        }
    }
}

/// `is_foreign_expr`: may `expr` be evaluated on the remote server of `rel`?
///
/// Runs the walker of spec §1.4 (node kinds, object shippability, the
/// collation state machine of §1.5), then rejects a top-level collation
/// that is unsafe, then anything not immutable (§1.3). The first obstacle
/// in that order is reported.
///
/// # Errors
///
/// [`Error::UnknownObject`] when a function or operator the expression
/// calls is missing from the catalog; [`Error::Internal`] for a tree
/// PostgreSQL could not have built (an operator with the wrong number of
/// arguments); [`Error::TooDeep`] past the recursion limit.
pub fn is_foreign_expr(rel: &ForeignRel<'_>, expr: &Expr) -> Result<Shippability> {
    if simple_operator_ships(rel, expr) {
        return Ok(Shippability::Shippable);
    }
    walk_expr(rel, expr)
}

/// [`is_foreign_expr`] by the general walk.
fn walk_expr(rel: &ForeignRel<'_>, expr: &Expr) -> Result<Shippability> {
    let mut walker = Walker {
        rel,
        first_mutable: None,
        depth: 0,
    };
    let mut top = LocCxt::NONE;
    if let Some(refusal) = walker.walk(expr, &mut top, None)? {
        return Ok(Shippability::NotShippable(refusal));
    }
    if top.state == CollateState::Unsafe {
        return Ok(Shippability::NotShippable(NotShippable {
            reason: NotShippableReason::UnsafeResultCollation {
                collation: top.collation,
            },
            node: format!(
                "expression with collation {}",
                collation_name(rel.catalog, top.collation)
            ),
        }));
    }
    if let Some(refusal) = walker.first_mutable {
        return Ok(Shippability::NotShippable(refusal));
    }
    Ok(Shippability::Shippable)
}

/// `classifyConditions`: splits `conds` into those that may be sent
/// (`remote`) and those that must be evaluated locally (`local`), each
/// keeping the given order.
///
/// # Errors
///
/// As [`is_foreign_expr`].
pub fn classify_conditions(rel: &ForeignRel<'_>, conds: &[Expr]) -> Result<(Vec<Expr>, Vec<Expr>)> {
    let mut remote = Vec::new();
    let mut local = Vec::new();
    for cond in conds {
        if is_foreign_expr(rel, cond)?.is_shippable() {
            remote.push(cond.clone());
        } else {
            local.push(cond.clone());
        }
    }
    Ok((remote, local))
}

/// `is_foreign_param`: would the top node of `expr` be sent as a parameter
/// value (a `Var` of another relation or query level, or any `Param`)?
/// Upper-relation pushdown asks this of grouping and output expressions.
pub fn is_foreign_param(rel: &ForeignRel<'_>, expr: &Expr) -> bool {
    if let Expr::Var(var) = expr {
        !(var.varlevelsup == 0 && rel.scan.contains(var.varno))
    } else {
        matches!(expr, Expr::Param(_))
    }
}

/// True when `expr` is a comparison the general walk would ship, answered
/// without it: a built-in operator (binary, or `= ANY`/`<> ALL` over an
/// array) with an immutable function, or `IS [NOT] NULL`, over plain
/// columns and constants of built-in types whose collations the walker
/// accepts. Most conditions are such, and the walk costs several times
/// more. Each test is the walker's own for that node (`walk_node`'s arms,
/// `finish`, `check_input_collation`, and `is_foreign_expr`'s last
/// checks), merging collations in the same order; `false` means only "ask
/// the walker", which then also finds the reason or the error.
fn simple_operator_ships(rel: &ForeignRel<'_>, expr: &Expr) -> bool {
    let catalog = rel.catalog;
    let mut inner = LocCxt::NONE;
    // Any node but these three is left to the walker, whose match is the
    // exhaustive one: a new node kind cannot be shipped by mistake here.
    let (collation, state) = if let Expr::OpExpr(op) = expr {
        // The operands first: most clauses the walk refuses are refused
        // for one of them, and they cost no look-up.
        if op.args.len() != 2 || !simple_operands_ship(rel, &op.args, &mut inner) {
            return false;
        }
        let Some(info) = catalog.operator_info(op.opno) else {
            return false;
        };
        if info.kind != OperatorKind::Binary
            || !immutable_builtin_operator(catalog, op.opno, op.opfuncid, info.code)
            || !input_collation_ok(op.inputcollid, &inner)
        {
            return false;
        }
        (op.opcollid, function_rule(op.opcollid, &inner))
    } else if let Expr::ScalarArrayOpExpr(saop) = expr {
        if saop.args.len() != 2 || !simple_operands_ship(rel, &saop.args, &mut inner) {
            return false;
        }
        let code = if saop.opfuncid.is_invalid() {
            match catalog.operator_info(saop.opno) {
                Some(info) => info.code,
                None => return false,
            }
        } else {
            saop.opfuncid
        };
        if !immutable_builtin_operator(catalog, saop.opno, saop.opfuncid, code)
            || !input_collation_ok(saop.inputcollid, &inner)
        {
            return false;
        }
        (Oid::INVALID, CollateState::None)
    } else if let Expr::NullTest(test) = expr {
        if !simple_operands_ship(rel, std::slice::from_ref(&test.arg), &mut inner) {
            return false;
        }
        (Oid::INVALID, CollateState::None)
    } else {
        return false;
    };
    if !catalog.is_builtin(expr.type_oid()) {
        return false;
    }
    let mut top = LocCxt::NONE;
    top.merge(collation, state);
    top.state != CollateState::Unsafe
}

/// The operator `opno` is built in and its function (`opfuncid`, else the
/// operator's `code`) is immutable.
#[inline]
fn immutable_builtin_operator(catalog: &Catalog, opno: Oid, opfuncid: Oid, code: Oid) -> bool {
    let func = if opfuncid.is_invalid() {
        code
    } else {
        opfuncid
    };
    catalog.is_builtin(opno)
        && matches!(catalog.proc_info(func), Some(proc) if proc.volatility == Volatility::Immutable)
}

/// `check_input_collation`'s test.
#[inline]
fn input_collation_ok(inputcollid: Oid, inner: &LocCxt) -> bool {
    inputcollid.is_invalid()
        || (inner.state == CollateState::Safe && inputcollid == inner.collation)
}

/// Every one of `args` is a column or constant the walker ships (or one
/// under a relabeling), of a built-in type; their collations are merged
/// into `inner` as the walker merges them.
#[inline]
fn simple_operands_ship(rel: &ForeignRel<'_>, args: &[Expr], inner: &mut LocCxt) -> bool {
    for arg in args {
        let found = if let Expr::RelabelType(relabel) = arg {
            // The walker's `RelabelType` arm over one plain operand.
            simple_operand(rel, &relabel.arg).and_then(|(collation, state)| {
                let mut below = LocCxt::NONE;
                below.merge(collation, state);
                rel.catalog.is_builtin(arg.type_oid()).then(|| {
                    (
                        relabel.resultcollid,
                        function_rule(relabel.resultcollid, &below),
                    )
                })
            })
        } else {
            simple_operand(rel, arg)
        };
        let Some((collation, state)) = found else {
            return false;
        };
        inner.merge(collation, state);
    }
    true
}

/// The collation and its state of `arg`, a column or constant the walker
/// ships (its `Var` and `Const` arms and `finish`'s type test); `None`
/// for anything else.
#[inline]
fn simple_operand(rel: &ForeignRel<'_>, arg: &Expr) -> Option<(Oid, CollateState)> {
    // Anything but a column or a constant is left to the walker (its
    // exhaustive match).
    let found = if let Expr::Var(var) = arg {
        if var.varlevelsup == 0 && rel.scan.contains(var.varno) {
            if var.varattno.is_system() && var.varattno != AttrNumber::CTID {
                return None;
            }
            let state = if var.varcollid.is_invalid() {
                CollateState::None
            } else {
                CollateState::Safe
            };
            (var.varcollid, state)
        } else {
            (var.varcollid, outside_value_state(var.varcollid))
        }
    } else if let Expr::Const(constant) = arg {
        if rel.dialect.requires_shippable_reg_constants()
            && reg_type_class(constant.consttype).is_some()
        {
            return None;
        }
        (
            constant.constcollid,
            outside_value_state(constant.constcollid),
        )
    } else {
        return None;
    };
    rel.catalog.is_builtin(arg.type_oid()).then_some(found)
}

// ----- The walker -----------------------------------------------------------

/// `FDWCollateState`, ordered as PostgreSQL compares them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum CollateState {
    /// No collation, or the default one not derived from a foreign Var.
    None,
    /// Derived from a foreign Var.
    Safe,
    /// A collation that does not come from a foreign Var, or a conflict.
    Unsafe,
}

/// `foreign_loc_cxt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LocCxt {
    collation: Oid,
    state: CollateState,
}

impl LocCxt {
    const NONE: LocCxt = LocCxt {
        collation: Oid::INVALID,
        state: CollateState::None,
    };

    /// Merges a child's `(collation, state)` into this (parent) context.
    fn merge(&mut self, collation: Oid, state: CollateState) {
        if state > self.state {
            self.collation = collation;
            self.state = state;
        } else if state == self.state && state == CollateState::Safe && collation != self.collation
        {
            if self.collation == Oid::DEFAULT_COLLATION {
                // A non-default collation beats the default one.
                self.collation = collation;
            } else if collation != Oid::DEFAULT_COLLATION {
                // Two different collations: indeterminate. Not a failure
                // yet; the parent may not care about collation.
                self.state = CollateState::Unsafe;
            }
        }
    }
}

/// The collation state of a node that introduces `collation` after its
/// inputs merged into `inner` (the "function rule" of spec §1.4).
fn function_rule(collation: Oid, inner: &LocCxt) -> CollateState {
    if collation.is_invalid() {
        CollateState::None
    } else if inner.state == CollateState::Safe && collation == inner.collation {
        CollateState::Safe
    } else if collation == Oid::DEFAULT_COLLATION {
        CollateState::None
    } else {
        CollateState::Unsafe
    }
}

/// The collation state of a constant, parameter or other-relation Var.
fn outside_value_state(collation: Oid) -> CollateState {
    if collation.is_invalid() || collation == Oid::DEFAULT_COLLATION {
        CollateState::None
    } else {
        CollateState::Unsafe
    }
}

struct Walker<'r, 'a> {
    rel: &'r ForeignRel<'a>,
    /// The first non-immutable function met, reported only when the
    /// structural walk and the collation check pass (as
    /// `contain_mutable_functions` runs last in `is_foreign_expr`).
    first_mutable: Option<NotShippable>,
    depth: usize,
}

/// `Some` rejects the expression.
type Verdict = Option<NotShippable>;

/// Returns early from the walker with a rejection.
macro_rules! reject {
    ($reason:expr, $node:expr) => {
        return Ok(Some(NotShippable {
            reason: $reason,
            node: $node,
        }))
    };
}

/// Walks a child; propagates a rejection.
macro_rules! walk_child {
    ($walker:expr, $child:expr, $cxt:expr, $case_arg:expr) => {
        if let Some(refusal) = $walker.walk($child, $cxt, $case_arg)? {
            return Ok(Some(refusal));
        }
    };
}

impl Walker<'_, '_> {
    fn catalog(&self) -> &Catalog {
        self.rel.catalog
    }

    fn shippable(&self, class: ObjectClass, oid: Oid) -> bool {
        if self.catalog().is_builtin(oid) {
            return true;
        }
        match catalog_class(class) {
            Some(class) => self.catalog().is_shippable(class, oid, self.rel.server),
            // Extension membership is not recorded for these catalogs.
            None => false,
        }
    }

    /// `foreign_expr_walker`.
    fn walk(
        &mut self,
        node: &Expr,
        outer: &mut LocCxt,
        case_arg: Option<&LocCxt>,
    ) -> Result<Verdict> {
        self.depth += 1;
        if self.depth > DEFAULT_MAX_DEPTH {
            return Err(Error::TooDeep {
                limit: DEFAULT_MAX_DEPTH,
            });
        }
        let res = self.walk_node(node, outer, case_arg);
        self.depth -= 1;
        res
    }

    fn walk_node(
        &mut self,
        node: &Expr,
        outer: &mut LocCxt,
        case_arg: Option<&LocCxt>,
    ) -> Result<Verdict> {
        let mut inner = LocCxt::NONE;
        let (collation, state) = match node {
            Expr::Var(var) => match self.walk_var(var)? {
                Ok(pair) => pair,
                Err(refusal) => return Ok(Some(refusal)),
            },
            Expr::Const(constant) => {
                if let Some(refusal) = self.check_reg_const(constant) {
                    return Ok(Some(refusal));
                }
                (
                    constant.constcollid,
                    outside_value_state(constant.constcollid),
                )
            }
            Expr::Param(param) => {
                if param.paramkind == ParamKind::Multiexpr {
                    reject!(
                        NotShippableReason::ParamKind {
                            kind: param.paramkind
                        },
                        format!("parameter {}", param.paramid)
                    );
                }
                (param.paramcollid, outside_value_state(param.paramcollid))
            }
            Expr::SubscriptingRef(sref) => {
                return self.walk_subscripting_ref(sref, outer, case_arg)
            }
            Expr::FuncExpr(func) => {
                let is_cast = matches!(
                    func.funcformat,
                    CoercionForm::ImplicitCast | CoercionForm::ExplicitCast
                );
                if is_cast && func.args.is_empty() {
                    return Err(malformed(format!(
                        "cast function {} without an argument",
                        func.funcid
                    )));
                }
                if !self.shippable(ObjectClass::Function, func.funcid) {
                    reject!(
                        NotShippableReason::NotBuiltinOrListedExtension {
                            class: ObjectClass::Function,
                            oid: func.funcid
                        },
                        describe_function(self.catalog(), func.funcid)
                    );
                }
                let catalog = self.rel.catalog;
                self.note_volatility(func.funcid, || describe_function(catalog, func.funcid))?;
                for arg in &func.args {
                    walk_child!(self, arg, &mut inner, case_arg);
                }
                if let Some(refusal) = self.check_input_collation(func.inputcollid, &inner, || {
                    describe_function(self.catalog(), func.funcid)
                }) {
                    return Ok(Some(refusal));
                }
                (func.funccollid, function_rule(func.funccollid, &inner))
            }
            Expr::OpExpr(op) | Expr::DistinctExpr(op) => {
                self.check_operator_arity(
                    op.opno,
                    op.args.len(),
                    matches!(node, Expr::DistinctExpr(_)),
                )?;
                if !self.shippable(ObjectClass::Operator, op.opno) {
                    reject!(
                        NotShippableReason::NotBuiltinOrListedExtension {
                            class: ObjectClass::Operator,
                            oid: op.opno
                        },
                        describe_operator(self.catalog(), op.opno)
                    );
                }
                let func = self.operator_function(op.opno, op.opfuncid)?;
                let catalog = self.rel.catalog;
                self.note_volatility(func, || describe_operator(catalog, op.opno))?;
                for arg in &op.args {
                    walk_child!(self, arg, &mut inner, case_arg);
                }
                if let Some(refusal) = self.check_input_collation(op.inputcollid, &inner, || {
                    describe_operator(self.catalog(), op.opno)
                }) {
                    return Ok(Some(refusal));
                }
                (op.opcollid, function_rule(op.opcollid, &inner))
            }
            Expr::ScalarArrayOpExpr(saop) => {
                if saop.args.len() != 2 {
                    return Err(malformed(format!(
                        "ANY/ALL with {} arguments",
                        saop.args.len()
                    )));
                }
                if !self.shippable(ObjectClass::Operator, saop.opno) {
                    reject!(
                        NotShippableReason::NotBuiltinOrListedExtension {
                            class: ObjectClass::Operator,
                            oid: saop.opno
                        },
                        describe_operator(self.catalog(), saop.opno)
                    );
                }
                let func = self.operator_function(saop.opno, saop.opfuncid)?;
                let catalog = self.rel.catalog;
                self.note_volatility(func, || describe_operator(catalog, saop.opno))?;
                for arg in &saop.args {
                    walk_child!(self, arg, &mut inner, case_arg);
                }
                if let Some(refusal) = self.check_input_collation(saop.inputcollid, &inner, || {
                    describe_operator(self.catalog(), saop.opno)
                }) {
                    return Ok(Some(refusal));
                }
                (Oid::INVALID, CollateState::None)
            }
            Expr::RelabelType(relabel) => {
                walk_child!(self, &relabel.arg, &mut inner, case_arg);
                (
                    relabel.resultcollid,
                    function_rule(relabel.resultcollid, &inner),
                )
            }
            Expr::BoolExpr(boolexpr) => {
                if boolexpr.boolop == BoolExprType::Not && boolexpr.args.len() != 1 {
                    return Err(malformed(format!(
                        "NOT with {} arguments",
                        boolexpr.args.len()
                    )));
                }
                for arg in &boolexpr.args {
                    walk_child!(self, arg, &mut inner, case_arg);
                }
                (Oid::INVALID, CollateState::None)
            }
            Expr::NullTest(test) => {
                walk_child!(self, &test.arg, &mut inner, case_arg);
                (Oid::INVALID, CollateState::None)
            }
            Expr::CaseExpr(case) => match self.walk_case(case, &mut inner, case_arg)? {
                Some(refusal) => return Ok(Some(refusal)),
                None => (case.casecollid, function_rule(case.casecollid, &inner)),
            },
            Expr::CaseTestExpr(test) => {
                let Some(arg_cxt) = case_arg else {
                    reject!(
                        NotShippableReason::CaseTestOutsideCase,
                        "CaseTestExpr".to_string()
                    );
                };
                (test.collation, function_rule(test.collation, arg_cxt))
            }
            Expr::ArrayExpr(array) => {
                for element in &array.elements {
                    walk_child!(self, element, &mut inner, case_arg);
                }
                (
                    array.array_collid,
                    function_rule(array.array_collid, &inner),
                )
            }
            Expr::Aggref(agg) => match self.walk_aggref(agg, &mut inner, case_arg)? {
                Some(refusal) => return Ok(Some(refusal)),
                None => (agg.aggcollid, function_rule(agg.aggcollid, &inner)),
            },
            Expr::SqlValueFunction(_) => {
                // Rejected as a node kind by postgres_fdw too; the more
                // telling reason is that every one of them is stable.
                reject!(
                    NotShippableReason::NotImmutable {
                        volatility: Volatility::Stable
                    },
                    "SQLValueFunction".to_string()
                );
            }
            Expr::NextValueExpr(_) => {
                reject!(
                    NotShippableReason::NotImmutable {
                        volatility: Volatility::Volatile
                    },
                    "NextValueExpr".to_string()
                );
            }
            Expr::GroupingFunc(_) => reject!(NotShippableReason::NodeKind, "GroupingFunc".into()),
            Expr::WindowFunc(_) => reject!(NotShippableReason::NodeKind, "WindowFunc".into()),
            Expr::NamedArgExpr(_) => reject!(NotShippableReason::NodeKind, "NamedArgExpr".into()),
            Expr::NullIfExpr(_) => reject!(NotShippableReason::NodeKind, "NullIfExpr".into()),
            Expr::SubLink(_) => reject!(NotShippableReason::NodeKind, "SubLink".into()),
            Expr::SubPlan(_) => reject!(NotShippableReason::NodeKind, "SubPlan".into()),
            Expr::AlternativeSubPlan(_) => {
                reject!(NotShippableReason::NodeKind, "AlternativeSubPlan".into())
            }
            Expr::FieldSelect(_) => reject!(NotShippableReason::NodeKind, "FieldSelect".into()),
            Expr::FieldStore(_) => reject!(NotShippableReason::NodeKind, "FieldStore".into()),
            Expr::CoerceViaIO(_) => reject!(NotShippableReason::NodeKind, "CoerceViaIO".into()),
            Expr::ArrayCoerceExpr(_) => {
                reject!(NotShippableReason::NodeKind, "ArrayCoerceExpr".into())
            }
            Expr::ConvertRowtypeExpr(_) => {
                reject!(NotShippableReason::NodeKind, "ConvertRowtypeExpr".into())
            }
            Expr::CollateExpr(_) => reject!(NotShippableReason::NodeKind, "CollateExpr".into()),
            Expr::RowExpr(_) => reject!(NotShippableReason::NodeKind, "RowExpr".into()),
            Expr::RowCompareExpr(_) => {
                reject!(NotShippableReason::NodeKind, "RowCompareExpr".into())
            }
            Expr::CoalesceExpr(_) => reject!(NotShippableReason::NodeKind, "CoalesceExpr".into()),
            Expr::MinMaxExpr(_) => reject!(NotShippableReason::NodeKind, "MinMaxExpr".into()),
            Expr::XmlExpr(_) => reject!(NotShippableReason::NodeKind, "XmlExpr".into()),
            Expr::JsonExpr(_) => reject!(NotShippableReason::NodeKind, "JsonExpr".into()),
            Expr::BooleanTest(_) => reject!(NotShippableReason::NodeKind, "BooleanTest".into()),
            Expr::CoerceToDomain(_) => {
                reject!(NotShippableReason::NodeKind, "CoerceToDomain".into())
            }
            Expr::CoerceToDomainValue(_) => {
                reject!(NotShippableReason::NodeKind, "CoerceToDomainValue".into())
            }
            Expr::SetToDefault(_) => reject!(NotShippableReason::NodeKind, "SetToDefault".into()),
            Expr::CurrentOfExpr(_) => reject!(NotShippableReason::NodeKind, "CurrentOfExpr".into()),
            Expr::PlaceHolderVar(_) => {
                reject!(NotShippableReason::NodeKind, "PlaceHolderVar".into())
            }
        };
        Ok(self.finish(node, collation, state, outer))
    }

    /// The result-type check and the merge into the parent, common to every
    /// accepted node.
    fn finish(
        &self,
        node: &Expr,
        collation: Oid,
        state: CollateState,
        outer: &mut LocCxt,
    ) -> Verdict {
        let type_oid = node.type_oid();
        if !self.shippable(ObjectClass::Type, type_oid) {
            let whole_row = matches!(node, Expr::Var(var) if var.varattno == AttrNumber::WHOLE_ROW);
            let reason = if whole_row {
                NotShippableReason::WholeRowReference
            } else {
                NotShippableReason::NotBuiltinOrListedExtension {
                    class: ObjectClass::Type,
                    oid: type_oid,
                }
            };
            let node = if let (Expr::Var(var), true) = (node, whole_row) {
                format!("whole-row reference to relation {}", var.varno.0)
            } else {
                // Written in place (the type's name is a string already).
                let mut text = String::from("type ");
                text.push_str(&self.catalog().format_type(type_oid));
                text
            };
            return Some(NotShippable { reason, node });
        }
        outer.merge(collation, state);
        None
    }

    fn walk_var(&self, var: &Var) -> Result<Result<(Oid, CollateState), NotShippable>> {
        if var.varlevelsup == 0 && self.rel.scan.contains(var.varno) {
            if var.varattno.is_system() && var.varattno != AttrNumber::CTID {
                let name = match var.varattno.0 {
                    -2 => "xmin",
                    -3 => "cmin",
                    -4 => "xmax",
                    -5 => "cmax",
                    -6 => "tableoid",
                    _ => "system column",
                };
                return Ok(Err(NotShippable {
                    reason: NotShippableReason::SystemColumn {
                        attnum: var.varattno,
                    },
                    node: format!("{name} of relation {}", var.varno.0),
                }));
            }
            let state = if var.varcollid.is_invalid() {
                CollateState::None
            } else {
                CollateState::Safe
            };
            Ok(Ok((var.varcollid, state)))
        } else {
            Ok(Ok((var.varcollid, outside_value_state(var.varcollid))))
        }
    }

    fn walk_subscripting_ref(
        &mut self,
        sref: &SubscriptingRef,
        outer: &mut LocCxt,
        case_arg: Option<&LocCxt>,
    ) -> Result<Verdict> {
        if sref.refassgnexpr.is_some() {
            reject!(
                NotShippableReason::SubscriptAssignment,
                "SubscriptingRef".into()
            );
        }
        // The subscripts do not affect the result's collation: walk them
        // first and forget their state.
        let mut inner = LocCxt::NONE;
        for upper in sref.refupperindexpr.iter().flatten() {
            walk_child!(self, upper, &mut inner, case_arg);
        }
        inner = LocCxt::NONE;
        for lower in sref.reflowerindexpr.iter().flatten() {
            walk_child!(self, lower, &mut inner, case_arg);
        }
        inner = LocCxt::NONE;
        walk_child!(self, &sref.refexpr, &mut inner, case_arg);
        let node = Expr::SubscriptingRef(Box::new(sref.clone()));
        Ok(self.finish(
            &node,
            sref.refcollid,
            function_rule(sref.refcollid, &inner),
            outer,
        ))
    }

    fn walk_case(
        &mut self,
        case: &CaseExpr,
        inner: &mut LocCxt,
        case_arg: Option<&LocCxt>,
    ) -> Result<Verdict> {
        if !self.rel.dialect.supports_case_pushdown() {
            reject!(NotShippableReason::NotInDialect, "CASE".into());
        }
        let mut arg_cxt = LocCxt::NONE;
        if let Some(arg) = &case.arg {
            walk_child!(self, arg, &mut arg_cxt, case_arg);
        }
        for when in &case.args {
            if case.arg.is_some() {
                let simple = if let Expr::OpExpr(op) = &when.expr {
                    op.args.len() == 2
                        && op.args.first().is_some_and(|first| {
                            matches!(strip_implicit_coercions(first), Expr::CaseTestExpr(_))
                        })
                } else {
                    false
                };
                if !simple {
                    reject!(NotShippableReason::CaseArmNotEquality, "CASE".into());
                }
            }
            // The WHEN's own collation does not matter (it is boolean).
            let mut when_cxt = LocCxt::NONE;
            walk_child!(self, &when.expr, &mut when_cxt, Some(&arg_cxt));
            walk_child!(self, &when.result, inner, case_arg);
        }
        if let Some(default) = &case.defresult {
            walk_child!(self, default, inner, case_arg);
        }
        Ok(None)
    }

    fn walk_aggref(
        &mut self,
        agg: &Aggref,
        inner: &mut LocCxt,
        case_arg: Option<&LocCxt>,
    ) -> Result<Verdict> {
        let catalog = self.rel.catalog;
        let name = || describe_function(catalog, agg.aggfnoid);
        if self.rel.kind != ForeignRelKind::Upper {
            reject!(NotShippableReason::AggregateOutsideGrouping, name());
        }
        if agg.aggsplit != AggSplit::Simple {
            reject!(NotShippableReason::SplitAggregate, name());
        }
        if !self.shippable(ObjectClass::Function, agg.aggfnoid) {
            reject!(
                NotShippableReason::NotBuiltinOrListedExtension {
                    class: ObjectClass::Function,
                    oid: agg.aggfnoid
                },
                name()
            );
        }
        self.note_volatility(agg.aggfnoid, name)?;
        // postgres_fdw walks only `args` (its comment assumes the direct
        // arguments live there); walking them too only ever ships less.
        for arg in &agg.aggdirectargs {
            walk_child!(self, arg, inner, case_arg);
        }
        for tle in &agg.args {
            walk_child!(self, &tle.expr, inner, case_arg);
        }
        for item in &agg.aggorder {
            let sort_type = agg
                .args
                .iter()
                .find(|tle| tle.ressortgroupref == item.tle_sort_group_ref)
                .map_or(Oid::INVALID, |tle| tle.expr.type_oid());
            let (lt, gt) = crate::expr::default_sort_operators(self.catalog(), sort_type);
            if Some(item.sortop) != lt
                && Some(item.sortop) != gt
                && !self.shippable(ObjectClass::Operator, item.sortop)
            {
                reject!(
                    NotShippableReason::NotBuiltinOrListedExtension {
                        class: ObjectClass::Operator,
                        oid: item.sortop
                    },
                    describe_operator(self.catalog(), item.sortop)
                );
            }
        }
        if let Some(filter) = &agg.aggfilter {
            walk_child!(self, filter, inner, case_arg);
        }
        Ok(self.check_input_collation(agg.inputcollid, inner, name))
    }

    /// The input-collation rule: a node with an input collation needs its
    /// inputs' merged state to be SAFE with exactly that collation.
    fn check_input_collation(
        &self,
        inputcollid: Oid,
        inner: &LocCxt,
        node: impl FnOnce() -> String,
    ) -> Verdict {
        if inputcollid.is_invalid()
            || (inner.state == CollateState::Safe && inputcollid == inner.collation)
        {
            return None;
        }
        Some(NotShippable {
            reason: NotShippableReason::UnsafeInputCollation {
                collation: inputcollid,
            },
            node: format!(
                "{} (collation {})",
                node(),
                collation_name(self.catalog(), inputcollid)
            ),
        })
    }

    /// Records `func` as the first non-immutable function when it is one.
    fn note_volatility(&mut self, func: Oid, node: impl FnOnce() -> String) -> Result<()> {
        if self.first_mutable.is_some() {
            return Ok(());
        }
        let proc = self.catalog().proc_info(func).ok_or(Error::UnknownObject {
            kind: "function",
            oid: func,
        })?;
        if proc.volatility != Volatility::Immutable {
            self.first_mutable = Some(NotShippable {
                reason: NotShippableReason::NotImmutable {
                    volatility: proc.volatility,
                },
                node: node(),
            });
        }
        Ok(())
    }

    /// Fails on an operator call whose argument count does not fit the
    /// operator (a tree PostgreSQL could not have built): the deparser
    /// could not print it, so it must not be called shippable.
    fn check_operator_arity(&self, opno: Oid, n_args: usize, is_distinct: bool) -> Result<()> {
        let info = self
            .catalog()
            .operator_info(opno)
            .ok_or(Error::UnknownObject {
                kind: "operator",
                oid: opno,
            })?;
        let fits = match info.kind {
            OperatorKind::Binary => n_args == 2,
            OperatorKind::Prefix | OperatorKind::Postfix => n_args == 1 && !is_distinct,
        };
        if fits {
            Ok(())
        } else {
            Err(malformed(format!(
                "operator {opno} called with {n_args} arguments"
            )))
        }
    }

    /// The function implementing operator `opno` (`set_opfuncid`).
    fn operator_function(&self, opno: Oid, opfuncid: Oid) -> Result<Oid> {
        if !opfuncid.is_invalid() {
            return Ok(opfuncid);
        }
        self.catalog()
            .operator_info(opno)
            .map(|op| op.code)
            .ok_or(Error::UnknownObject {
                kind: "operator",
                oid: opno,
            })
    }

    /// PostgreSQL 16+: a non-null constant of an object-identifier type
    /// ships only when the object it names does (spec §1.9).
    fn check_reg_const(&self, constant: &Const) -> Option<NotShippable> {
        if !self.rel.dialect.requires_shippable_reg_constants() {
            return None;
        }
        let value = constant.value.as_ref()?;
        let class = reg_type_class(constant.consttype)?;
        let shippable = match reg_const_oid(self.catalog(), constant.consttype, value) {
            Some(oid) => {
                let builtin_ts_object = matches!(
                    class,
                    ObjectClass::TextSearchConfig | ObjectClass::TextSearchDictionary
                ) && oid.0 < Oid::FIRST_NORMAL_OBJECT_ID;
                builtin_ts_object || self.shippable(class, oid)
            }
            // An object we cannot identify might be anything: keep it local.
            None => false,
        };
        (!shippable).then(|| NotShippable {
            reason: NotShippableReason::RegConstant {
                type_oid: constant.consttype,
            },
            node: format!(
                "constant '{value}'::{}",
                self.catalog().format_type(constant.consttype)
            ),
        })
    }
}

fn malformed(what: String) -> Error {
    Error::Internal(format!("malformed expression: {what}"))
}

/// The catalog's name for an object class, where it records extension
/// membership for it.
fn catalog_class(class: ObjectClass) -> Option<CatalogClass> {
    match class {
        ObjectClass::Type => Some(CatalogClass::Type),
        ObjectClass::Function => Some(CatalogClass::Proc),
        ObjectClass::Operator => Some(CatalogClass::Operator),
        ObjectClass::OperatorFamily => Some(CatalogClass::Opfamily),
        ObjectClass::Collation => Some(CatalogClass::Collation),
        ObjectClass::Relation => Some(CatalogClass::Relation),
        ObjectClass::Namespace => Some(CatalogClass::Namespace),
        ObjectClass::Role | ObjectClass::TextSearchConfig | ObjectClass::TextSearchDictionary => {
            None
        }
    }
}

/// The catalog an object-identifier type's values name.
fn reg_type_class(type_oid: Oid) -> Option<ObjectClass> {
    Some(match type_oid.0 {
        24 | 2202 => ObjectClass::Function,
        2203 | 2204 => ObjectClass::Operator,
        2205 => ObjectClass::Relation,
        2206 => ObjectClass::Type,
        4191 => ObjectClass::Collation,
        4089 => ObjectClass::Namespace,
        4096 => ObjectClass::Role,
        3734 => ObjectClass::TextSearchConfig,
        3769 => ObjectClass::TextSearchDictionary,
        _ => return None,
    })
}

/// The oid an object-identifier constant names, from its text form: a
/// number, or a relation, type, namespace or function name the catalog
/// resolves. `None` when it cannot be identified.
fn reg_const_oid(catalog: &Catalog, type_oid: Oid, value: &str) -> Option<Oid> {
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse().ok().map(Oid);
    }
    let parts = split_qualified_name(value)?;
    let (schema, name) = match parts.as_slice() {
        [name] => (None, name.as_str()),
        [schema, name] => (Some(schema.as_str()), name.as_str()),
        _ => return None,
    };
    match type_oid.0 {
        2205 => catalog.resolve_relation(schema, name).ok().map(|r| r.oid),
        2206 => catalog.resolve_type(schema, name).ok(),
        4089 if schema.is_none() => catalog.namespace_oid(name),
        24 => {
            let namespace = match schema {
                Some(schema) => catalog.namespace_oid(schema)?,
                None => PG_CATALOG_NAMESPACE,
            };
            match catalog.builtin().procs_by_name(namespace, name) {
                [only] => Some(only.oid),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Splits `a.b` / `"A"."b c"` into its unquoted parts.
fn split_qualified_name(text: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut part = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    '"' => break,
                    ch => part.push(ch),
                }
            }
        } else {
            while let Some(&ch) = chars.peek() {
                if ch == '.' {
                    break;
                }
                part.push(ch.to_ascii_lowercase());
                chars.next();
            }
            if part.is_empty() {
                return None;
            }
        }
        parts.push(part);
        match chars.next() {
            None => return Some(parts),
            Some('.') => {}
            Some(_) => return None,
        }
    }
}

fn describe_function(catalog: &Catalog, oid: Oid) -> String {
    match catalog.proc_info(oid) {
        Some(proc) => {
            // `function name(type, ...)` written in place: a list of the
            // type names joined, then formatted, was three more strings.
            let mut out = String::with_capacity(16 + proc.name.len() + 12 * proc.arg_types.len());
            out.push_str("function ");
            out.push_str(&proc.name);
            out.push('(');
            for (i, &t) in proc.arg_types.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&catalog.format_type(t));
            }
            out.push(')');
            out
        }
        None => format!("function {oid}"),
    }
}

fn describe_operator(catalog: &Catalog, oid: Oid) -> String {
    match catalog.operator_info(oid) {
        Some(op) => {
            let side = |t: Oid| {
                if t.is_invalid() {
                    "NONE".to_string()
                } else {
                    catalog.format_type(t)
                }
            };
            format!(
                "operator {}({}, {})",
                op.name,
                side(op.left),
                side(op.right)
            )
        }
        None => format!("operator {oid}"),
    }
}

fn collation_name(catalog: &Catalog, oid: Oid) -> String {
    catalog
        .builtin()
        .collation(oid)
        .map_or_else(|| oid.to_string(), |c| format!("\"{}\"", c.name))
}

#[cfg(test)]
mod tests {
    use fdw_catalog::Catalog;
    use fdw_core::expr::{
        CoercionForm, Const, NullTest, NullTestType, OpExpr, RelabelType, ScalarArrayOpExpr, Var,
    };
    use fdw_core::{AttrNumber, Expr, Oid, RelIndex};

    use super::{simple_operator_ships, walk_expr, ForeignRel};
    use crate::{PostgresDialect, ScanRel};

    /// The shortcut for operator clauses answers as the general walk does
    /// for every mix of operators, operands and collations tried: never
    /// "ships" where the walk refuses, and (where no object is an
    /// extension's and no constant names an object) always where it ships.
    #[test]
    fn simple_operators_ship_exactly_when_the_walker_says_so() {
        let mut catalog = Catalog::new(15).expect("catalog");
        fdw_catalog::ddl::load(
            &mut catalog,
            "CREATE EXTENSION postgres_fdw;
             CREATE SERVER loopback FOREIGN DATA WRAPPER postgres_fdw;
             CREATE FOREIGN TABLE ft (c1 int, c2 text, c3 text COLLATE \"C\")
                 SERVER loopback;",
        )
        .expect("ddl");
        let table = catalog.resolve_relation(None, "ft").expect("ft").oid;
        let row_type = catalog.relation(table).expect("relation").row_type;
        let (int4, text, bool_type) = (Oid(23), Oid(25), Oid(16));
        let (default, c) = (Oid(100), Oid(950));
        let var = |varno: u32, attno: i16, ty: Oid, coll: Oid| {
            Expr::Var(Var::new(RelIndex(varno), AttrNumber(attno), ty, -1, coll))
        };
        // `arg` relabeled to text with collation `collation`.
        let relabel = |arg: Expr, collation: Oid| {
            Expr::RelabelType(Box::new(RelabelType {
                arg,
                resulttype: text,
                resulttypmod: -1,
                resultcollid: collation,
                relabelformat: CoercionForm::ImplicitCast,
            }))
        };
        let operands = [
            var(1, 1, int4, Oid::INVALID),
            var(1, 2, text, default),
            var(1, 3, text, c),
            var(2, 1, text, default),
            var(2, 1, text, c),
            var(1, -2, Oid(28), Oid::INVALID),
            var(1, -1, Oid(27), Oid::INVALID),
            var(1, 0, row_type, Oid::INVALID),
            Expr::Const(Const::new(int4, Oid::INVALID, "10")),
            Expr::Const(Const::new(text, default, "a")),
            Expr::Const(Const::new(text, c, "a")),
            Expr::Const(Const::new(Oid(2205), Oid::INVALID, "pg_class")),
            Expr::Const(Const::null(text, -1, default)),
            Expr::Const(Const::new(Oid(1009), default, "{a,b}")),
            Expr::Const(Const::new(Oid(1009), c, "{a,b}")),
            Expr::Const(Const::new(Oid(1007), Oid::INVALID, "{1,2}")),
            relabel(var(1, 2, Oid(1043), default), default),
            relabel(var(1, 3, Oid(1043), c), default),
            relabel(var(1, 2, Oid(1043), default), c),
            relabel(var(2, 1, Oid(1043), default), default),
            relabel(Expr::Const(Const::new(Oid(1043), default, "a")), default),
            relabel(var(1, 1, int4, Oid::INVALID), Oid::INVALID),
            relabel(var(1, -2, Oid(28), Oid::INVALID), Oid::INVALID),
        ];
        // (operator, its function or none, result type): comparisons, an
        // arithmetic and a collatable result, and a stable operator.
        let operators = [
            (Oid(521), Oid(147), bool_type),
            (Oid(96), Oid::INVALID, bool_type),
            (Oid(98), Oid(67), bool_type),
            (Oid(664), Oid(740), bool_type),
            (Oid(551), Oid(177), int4),
            (Oid(654), Oid(1258), text),
            (Oid(1327), Oid(1189), Oid(1184)),
        ];
        let collations = [Oid::INVALID, default, c];
        // The shortcut's answer, checked against the walk's.
        let agree = |rel: &ForeignRel<'_>, expr: &Expr, major: u32| {
            let fast = simple_operator_ships(rel, expr);
            let walked = walk_expr(rel, expr)
                .map(|verdict| verdict.is_shippable())
                .unwrap_or(false);
            if major == 15 {
                assert_eq!(fast, walked, "{expr:?}");
            } else {
                assert!(!fast || walked, "{expr:?}");
            }
            fast
        };
        let mut shipped = 0;
        for major in [15, 16] {
            let dialect = PostgresDialect::new(major).expect("dialect");
            let scan = ScanRel::base(RelIndex(1), table);
            let rel = ForeignRel::base(&catalog, &dialect, &scan).expect("rel");
            for arg in &operands {
                for nulltesttype in [NullTestType::IsNull, NullTestType::IsNotNull] {
                    let test = Expr::NullTest(Box::new(NullTest {
                        arg: arg.clone(),
                        nulltesttype,
                        argisrow: false,
                    }));
                    shipped += usize::from(agree(&rel, &test, major));
                }
            }
            for &(opno, opfuncid, opresulttype) in &operators {
                for left in &operands {
                    for right in &operands {
                        for &inputcollid in &collations {
                            for &opcollid in &collations {
                                let expr = Expr::OpExpr(Box::new(OpExpr {
                                    opno,
                                    opfuncid,
                                    opresulttype,
                                    opretset: false,
                                    opcollid,
                                    inputcollid,
                                    args: vec![left.clone(), right.clone()].into(),
                                }));
                                let saop = Expr::ScalarArrayOpExpr(Box::new(ScalarArrayOpExpr {
                                    opno,
                                    opfuncid,
                                    hashfuncid: Oid::INVALID,
                                    negfuncid: Oid::INVALID,
                                    use_or: true,
                                    inputcollid,
                                    args: vec![left.clone(), right.clone()].into(),
                                }));
                                for expr in [expr, saop] {
                                    shipped += usize::from(agree(&rel, &expr, major));
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(shipped > 100, "only {shipped} clauses took the shortcut");
    }
}
