//! Restriction selectivity as PostgreSQL 15 estimates it for the clauses
//! of one base relation (`clausesel.c`, `selfuncs.c`, `like_support.c`):
//! `clauselist_selectivity` with its range-pair rule, the clause kinds of
//! `clause_selectivity`, and the restriction estimators the built-in
//! operators name in `oprrest` (`eqsel`, `neqsel`, `scalarltsel` and
//! friends, `likesel`, `matchingsel`, ...).
//!
//! Statistics come from the catalog snapshot (`pg_stats`); comparing SQL
//! values (most common values, histogram bounds) is delegated to a
//! [`ValueOps`] the caller supplies, since this crate does not evaluate SQL.
//! Every estimator PostgreSQL would run and this module does not model
//! answers [`Error::Unsupported`] naming it: a wrong selectivity changes
//! rows and costs silently, an error says what is missing.

use std::borrow::Cow;
use std::cmp::Ordering;

mod array_sel;

use fdw_catalog::catalog::Catalog;
use fdw_catalog::stats::{ColumnStats, TableStats};
use fdw_core::expr::{BoolExprType, BoolTestType, Expr, NullTestType, ScalarArrayOpExpr};
use fdw_core::{AttrNumber, Oid, RelIndex};

use crate::error::{Error, Result};
use crate::params::clamp_row_est;

/// `DEFAULT_EQ_SEL`.
pub const DEFAULT_EQ_SEL: f64 = 0.005;
/// `DEFAULT_INEQ_SEL`.
pub const DEFAULT_INEQ_SEL: f64 = 1.0 / 3.0;
/// `DEFAULT_RANGE_INEQ_SEL`.
pub const DEFAULT_RANGE_INEQ_SEL: f64 = 0.005;
/// `DEFAULT_MATCH_SEL`.
pub const DEFAULT_MATCH_SEL: f64 = 0.005;
/// `DEFAULT_MATCHING_SEL`.
pub const DEFAULT_MATCHING_SEL: f64 = 0.010;
/// `DEFAULT_NUM_DISTINCT`.
pub const DEFAULT_NUM_DISTINCT: f64 = 200.0;
/// `DEFAULT_UNK_SEL`.
pub const DEFAULT_UNK_SEL: f64 = 0.005;
/// `DEFAULT_NOT_UNK_SEL`.
pub const DEFAULT_NOT_UNK_SEL: f64 = 1.0 - DEFAULT_UNK_SEL;
/// The selectivity of a boolean function without a support function.
const DEFAULT_FUNCTION_SEL: f64 = 0.333_333_3;

const BOOL: Oid = Oid(16);
const BYTEA: Oid = Oid(17);
const NAME: Oid = Oid(19);
const TEXT: Oid = Oid(25);
const BPCHAR: Oid = Oid(1042);

/// Comparisons of SQL values the estimators need, answered by the caller
/// (which can evaluate built-in operators). `None` means "cannot tell",
/// and the estimate fails rather than guessing.
pub trait ValueOps {
    /// The result of the boolean operator `opno` applied to two constants
    /// given in their text forms with their types and the collation.
    fn apply_operator(
        &self,
        opno: Oid,
        collation: Oid,
        left: (&str, Oid),
        right: (&str, Oid),
    ) -> Option<bool>;

    /// `convert_to_scalar`: the value and the two histogram bounds around
    /// it on one numeric scale, for linear interpolation; `None` when the
    /// type has no such scale (PostgreSQL then assumes the middle).
    fn convert_to_scalar(
        &self,
        value: (&str, Oid),
        low: &str,
        high: &str,
        bound_type: Oid,
        collation: Oid,
    ) -> ScalarConversion;
}

/// What [`ValueOps::convert_to_scalar`] found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ScalarConversion {
    /// The three values on one scale.
    Converted {
        /// The constant.
        value: f64,
        /// The lower bound.
        low: f64,
        /// The upper bound.
        high: f64,
    },
    /// PostgreSQL has no scale for the type either (it uses 0.5).
    NoScale,
    /// PostgreSQL would convert, but not in a way reproducible here (a
    /// locale's `strxfrm`, a value the caller cannot read).
    NotReproducible,
}

/// The relation whose restriction clauses are estimated.
pub struct SelContext<'a> {
    /// The catalog.
    pub catalog: &'a Catalog,
    /// The relation's range-table index (its Vars' `varno`).
    pub rel: RelIndex,
    /// The relation's statistics, if it was analyzed.
    pub stats: Option<&'a TableStats>,
    /// `rel->tuples` when the estimate runs (the 10-page guess for a
    /// foreign table never analyzed).
    pub tuples: f64,
    /// Value comparisons.
    pub values: &'a dyn ValueOps,
    /// The database's default collation is `C` or `POSIX` (its
    /// `lc_collate`), so it behaves as they do.
    pub default_collation_is_c: bool,
}

/// What `examine_variable` learns about one side of a clause.
#[derive(Clone)]
struct VarData<'e, 's> {
    /// The side's expression (relabeling stripped when it refers to the
    /// relation).
    expr: &'e Expr,
    /// The side refers to the relation (PostgreSQL's `vardata->rel`).
    refers_to_rel: bool,
    /// Statistics of the plain column, if any.
    stats: Option<&'s ColumnStats>,
    /// The side as written (before stripping relabeling), whose `exprType`
    /// is [`VarData::vartype`].
    written: &'e Expr,
    /// The column number when the side is a plain column.
    attno: Option<AttrNumber>,
}

impl VarData<'_, '_> {
    /// `exprType` of the side as written. Computed when asked: most
    /// estimates never read it, and every clause examines two sides.
    fn vartype(&self) -> Oid {
        self.written.type_oid()
    }
}

/// A clause of the relation's restriction list: the expression and
/// whether PostgreSQL marks it pseudoconstant (no Vars, no volatile
/// functions: it becomes a one-time filter and counts as 1.0).
#[derive(Debug, Clone, Copy)]
pub struct RestrictClause<'e> {
    /// The clause.
    pub expr: &'e Expr,
    /// `RestrictInfo.pseudoconstant`.
    pub pseudoconstant: bool,
}

/// `CLAMP_PROBABILITY`.
fn clamp_probability(p: f64) -> f64 {
    p.clamp(0.0, 1.0)
}

/// One clause of a list of several as `clauselist_selectivity` sees it.
#[derive(Clone, Copy)]
struct ListItem<'e> {
    /// Its selectivity (1.0 for a pseudoconstant that is not a constant).
    s2: f64,
    /// A pseudoconstant restriction.
    pseudo: bool,
    /// `var op constant` with a `<`/`>` estimator: the variable and
    /// whether the clause is its lower bound.
    range: Option<(&'e Expr, bool)>,
}

impl ListItem<'_> {
    /// A placeholder for the unused slots of a list kept on the stack.
    const NONE: ListItem<'static> = ListItem {
        s2: 1.0,
        pseudo: false,
        range: None,
    };
}

/// How many clauses of a list [`SelContext::restrict_list_and_subset_selectivity`]
/// keeps on the stack (more go to the heap): a scan has a few.
const INLINE_ITEMS: usize = 16;

/// A range-query pair of `clauselist_selectivity`.
struct RangeQuery<'e> {
    var: &'e Expr,
    lobound: Option<f64>,
    hibound: Option<f64>,
}

impl<'a> SelContext<'a> {
    /// `clauselist_selectivity` over a relation's restriction list.
    ///
    /// # Errors
    ///
    /// An estimator this crate does not model, or a value comparison the
    /// caller cannot make.
    pub fn restrict_list_selectivity(&self, clauses: &[RestrictClause<'_>]) -> Result<f64> {
        if let [only] = clauses {
            return self.restrict_clause_selectivity(only);
        }
        let items: Vec<(&Expr, bool)> =
            clauses.iter().map(|c| (c.expr, c.pseudoconstant)).collect();
        self.list_selectivity(&items)
    }

    fn restrict_clause_selectivity(&self, clause: &RestrictClause<'_>) -> Result<f64> {
        if clause.pseudoconstant && !matches!(clause.expr, Expr::Const(_)) {
            return Ok(1.0);
        }
        self.clause_selectivity(clause.expr)
    }

    /// [`SelContext::restrict_list_selectivity`] of `clauses` and of the
    /// clauses `in_subset` selects (postgres_fdw estimates the whole
    /// restriction list and then its local conditions alone), each clause
    /// estimated once for both. The results are those of the two separate
    /// calls: the per-clause figures are combined in the same order.
    ///
    /// `restrict` gives each clause of the caller's list as a
    /// [`RestrictClause`] and whether it is in the subset, so that the
    /// caller need not build a list of them.
    ///
    /// # Errors
    ///
    /// As [`SelContext::restrict_list_selectivity`].
    pub fn restrict_list_and_subset_selectivity<'e, C>(
        &self,
        clauses: &'e [C],
        restrict: impl Fn(&'e C) -> (RestrictClause<'e>, bool),
    ) -> Result<(f64, f64)> {
        if let [only] = clauses {
            let (clause, in_subset) = restrict(only);
            let all = self.restrict_clause_selectivity(&clause)?;
            return Ok((all, if in_subset { all } else { 1.0 }));
        }
        if clauses.is_empty() {
            // The empty product, for both.
            return Ok((1.0, 1.0));
        }
        // The items of a scan's few clauses live on the stack: a list of
        // them was an allocation per scan estimate.
        let mut inline = [ListItem::NONE; INLINE_ITEMS];
        let heap: Vec<ListItem<'_>>;
        let items: &[ListItem<'_>] = if clauses.len() <= INLINE_ITEMS {
            for (slot, c) in inline.iter_mut().zip(clauses) {
                let (clause, _) = restrict(c);
                *slot = self.list_item(clause.expr, clause.pseudoconstant)?;
            }
            inline.get(..clauses.len()).unwrap_or_default()
        } else {
            heap = clauses
                .iter()
                .map(|c| {
                    let (clause, _) = restrict(c);
                    self.list_item(clause.expr, clause.pseudoconstant)
                })
                .collect::<Result<Vec<_>>>()?;
            &heap
        };
        let in_subset = |at: usize| clauses.get(at).is_some_and(|c| restrict(c).1);
        let all = self.combine_list(items, |_| true)?;
        let mut subset_items = (0..items.len()).filter(|&at| in_subset(at));
        let subset = match (subset_items.next(), subset_items.next()) {
            // No clause: the empty product (what `combine_list` returns).
            (None, _) => 1.0,
            // A lone clause goes through `clause_selectivity` without the
            // range-query pairing, which `s2` already is.
            (Some(only), None) => items.get(only).map_or(1.0, |item| item.s2),
            _ => self.combine_list(items, in_subset)?,
        };
        Ok((all, subset))
    }

    /// `clauselist_selectivity_ext` over clauses; the flag marks
    /// pseudoconstant restrictions (only at the top level).
    fn list_selectivity(&self, clauses: &[(&Expr, bool)]) -> Result<f64> {
        if let [(only, pseudo)] = clauses {
            return if *pseudo && !matches!(only, Expr::Const(_)) {
                Ok(1.0)
            } else {
                self.clause_selectivity(only)
            };
        }
        let items = clauses
            .iter()
            .map(|&(clause, pseudo)| self.list_item(clause, pseudo))
            .collect::<Result<Vec<_>>>()?;
        self.combine_list(&items, |_| true)
    }

    /// What `clauselist_selectivity_ext` learns of one clause of a list of
    /// several: its selectivity and whether it is one bound of a range
    /// query.
    fn list_item<'e>(&self, clause: &'e Expr, pseudo: bool) -> Result<ListItem<'e>> {
        if pseudo {
            let s2 = if matches!(clause, Expr::Const(_)) {
                self.clause_selectivity(clause)?
            } else {
                1.0
            };
            return Ok(ListItem {
                s2,
                pseudo,
                range: None,
            });
        }
        let Expr::OpExpr(op) = clause else {
            return Ok(ListItem {
                s2: self.clause_selectivity(clause)?,
                pseudo,
                range: None,
            });
        };
        // `clause_selectivity` of an operator clause is its estimator's
        // answer; the estimator's name, looked up once, also says below
        // whether the clause bounds a range.
        let name = self.restrict_function_name(op.opno);
        if let Some(item) = self.inequality_list_item(name.as_deref(), op, pseudo)? {
            return Ok(item);
        }
        let s2 =
            self.restriction_selectivity_by(name.as_deref(), op.opno, &op.args, op.inputcollid)?;
        let mut item = ListItem {
            s2,
            pseudo,
            range: None,
        };
        if let [left, right] = op.args.as_slice() {
            // Walked for every clause of two operands, as PostgreSQL does
            // (an inequality gets here only when this walk failed in
            // `inequality_list_item`: its error now follows the
            // estimator's, as it always did).
            let side = self.range_side(left, right)?;
            item.range = inequality_direction(name.as_deref())
                .and_then(|(isgt, _)| range_bound(side, left, right, isgt));
        }
        Ok(item)
    }

    /// [`Self::list_item`] of an inequality (`scalar[lg][te]sel`) of two
    /// operands: the range test's walks first, their answers given to the
    /// estimator, which would otherwise walk a computed side again
    /// (`CASE ... END < 500`, `c1::numeric > 1.5`). `None` for another
    /// clause, or when a walk fails: the general order then raises the
    /// same error as before.
    fn inequality_list_item<'e>(
        &self,
        name: Option<&str>,
        op: &'e fdw_core::expr::OpExpr,
        pseudo: bool,
    ) -> Result<Option<ListItem<'e>>> {
        let Some((isgt, iseq)) = inequality_direction(name) else {
            return Ok(None);
        };
        let [left, right] = op.args.as_slice() else {
            return Ok(None);
        };
        let Ok(side) = self.range_side(left, right) else {
            return Ok(None);
        };
        // A pseudo-constant side has no Var of this level: it does not
        // refer to the relation.
        let hints = match side {
            Some((true, refers)) => [Some(refers), Some(false)],
            Some((false, refers)) => [Some(false), Some(refers)],
            None => [None, None],
        };
        let s2 = self.scalarineqsel_wrapper_hinted(
            op.opno,
            &op.args,
            op.inputcollid,
            isgt,
            iseq,
            hints,
        )?;
        Ok(Some(ListItem {
            s2,
            pseudo,
            range: range_bound(side, left, right, isgt),
        }))
    }

    /// The range test of [`Self::list_item`]: whether the variable is on
    /// the left (the other side pseudo-constant) and whether it refers to
    /// the relation; `None` when neither side is pseudo-constant. The
    /// pseudo-constant side has no Var of this level, so the clause refers
    /// to the relation exactly when the variable does: only it is walked.
    fn range_side(&self, left: &Expr, right: &Expr) -> Result<Option<(bool, bool)>> {
        let varonleft = if self.is_pseudo_constant(right)? {
            true
        } else if self.is_pseudo_constant(left)? {
            false
        } else {
            return Ok(None);
        };
        let var = if varonleft { left } else { right };
        Ok(Some((varonleft, self.refers_to_rel(var)?)))
    }

    /// The product of the selectivities of the items `included` selects
    /// (by position), range-query pairs combined as
    /// `clauselist_selectivity_ext` combines them.
    fn combine_list(
        &self,
        items: &[ListItem<'_>],
        included: impl Fn(usize) -> bool,
    ) -> Result<f64> {
        let selected = || {
            items
                .iter()
                .enumerate()
                .filter(|&(at, _)| included(at))
                .map(|(_, item)| item)
        };
        let mut s1 = 1.0;
        // Sized once: growing from empty cost more than the allocation.
        let bounds = selected()
            .filter(|item| item.range.is_some() && !item.pseudo)
            .count();
        let mut ranges: Vec<RangeQuery<'_>> = Vec::with_capacity(bounds);
        for item in selected() {
            match item.range {
                Some((var, is_lobound)) if !item.pseudo => {
                    add_range_clause(&mut ranges, var, is_lobound, item.s2);
                }
                _ => s1 *= item.s2,
            }
        }
        // PostgreSQL prepends each new range query; process them in that order.
        for range in ranges.iter().rev() {
            match (range.lobound, range.hibound) {
                (Some(lo), Some(hi)) => {
                    let s2 = if hi == DEFAULT_INEQ_SEL || lo == DEFAULT_INEQ_SEL {
                        DEFAULT_RANGE_INEQ_SEL
                    } else {
                        let mut s2 = hi + lo - 1.0;
                        s2 += self.nulltest_selectivity(NullTestType::IsNull, range.var)?;
                        if s2 <= 0.0 {
                            if s2 < -0.01 {
                                DEFAULT_RANGE_INEQ_SEL
                            } else {
                                1.0e-10
                            }
                        } else {
                            s2
                        }
                    };
                    s1 *= s2;
                }
                (Some(lo), None) => s1 *= lo,
                (None, Some(hi)) => s1 *= hi,
                (None, None) => {}
            }
        }
        Ok(s1)
    }

    /// `clause_selectivity_ext` for one (non-pseudoconstant) clause.
    ///
    /// # Errors
    ///
    /// As [`SelContext::restrict_list_selectivity`].
    pub fn clause_selectivity(&self, clause: &Expr) -> Result<f64> {
        let s1 = match clause {
            Expr::Var(var) => {
                if var.varlevelsup == 0 && var.varno == self.rel {
                    self.boolvarsel(clause)?
                } else {
                    0.5
                }
            }
            Expr::Const(c) => match c.value.as_deref() {
                Some("t" | "true") => 1.0,
                _ => 0.0,
            },
            // An unbound parameter: PostgreSQL has nothing better than its
            // default for an unhandled clause.
            Expr::Param(_) => 0.5,
            Expr::BoolExpr(b) => match b.boolop {
                BoolExprType::Not => match b.args.first() {
                    Some(arg) => 1.0 - self.clause_selectivity(arg)?,
                    None => 0.5,
                },
                BoolExprType::And => {
                    let items: Vec<(&Expr, bool)> = b.args.iter().map(|a| (a, false)).collect();
                    self.list_selectivity(&items)?
                }
                BoolExprType::Or => {
                    let mut s1 = 0.0;
                    for arg in &b.args {
                        let s2 = self.clause_selectivity(arg)?;
                        s1 = s1 + s2 - s1 * s2;
                    }
                    s1
                }
            },
            Expr::OpExpr(op) => self.restriction_selectivity(op.opno, &op.args, op.inputcollid)?,
            Expr::DistinctExpr(op) => {
                1.0 - self.restriction_selectivity(op.opno, &op.args, op.inputcollid)?
            }
            Expr::FuncExpr(_) => DEFAULT_FUNCTION_SEL,
            Expr::ScalarArrayOpExpr(saop) => self.scalararraysel(saop)?,
            Expr::NullTest(test) => self.nulltest_selectivity(test.nulltesttype, &test.arg)?,
            Expr::BooleanTest(test) => self.booltestsel(test.booltesttype, &test.arg)?,
            Expr::RelabelType(r) => self.clause_selectivity(&r.arg)?,
            Expr::CoerceToDomain(c) => self.clause_selectivity(&c.arg)?,
            Expr::RowCompareExpr(_) => {
                return Err(Error::Unsupported(
                    "the selectivity of a row comparison (rowcomparesel)".into(),
                ))
            }
            Expr::CurrentOfExpr(_) => {
                return Err(Error::Unsupported(
                    "the selectivity of WHERE CURRENT OF".into(),
                ))
            }
            Expr::Aggref(_)
            | Expr::GroupingFunc(_)
            | Expr::WindowFunc(_)
            | Expr::SubscriptingRef(_)
            | Expr::NamedArgExpr(_)
            | Expr::NullIfExpr(_)
            | Expr::SubLink(_)
            | Expr::SubPlan(_)
            | Expr::AlternativeSubPlan(_)
            | Expr::FieldSelect(_)
            | Expr::FieldStore(_)
            | Expr::CoerceViaIO(_)
            | Expr::ArrayCoerceExpr(_)
            | Expr::ConvertRowtypeExpr(_)
            | Expr::CollateExpr(_)
            | Expr::CaseExpr(_)
            | Expr::CaseTestExpr(_)
            | Expr::ArrayExpr(_)
            | Expr::RowExpr(_)
            | Expr::CoalesceExpr(_)
            | Expr::MinMaxExpr(_)
            | Expr::SqlValueFunction(_)
            | Expr::XmlExpr(_)
            | Expr::JsonExpr(_)
            | Expr::CoerceToDomainValue(_)
            | Expr::SetToDefault(_)
            | Expr::NextValueExpr(_)
            | Expr::PlaceHolderVar(_) => self.boolvarsel(clause)?,
        };
        Ok(s1)
    }

    // ----- examining the sides of a clause ---------------------------------

    /// Whether `expr` refers to a Var of this relation (at this level).
    #[inline]
    fn refers_to_rel(&self, expr: &Expr) -> Result<bool> {
        // The usual sides of a comparison, answered without a walk (and,
        // inlined, without entering the walk's large frame).
        match expr {
            Expr::Var(v) => Ok(v.varlevelsup == 0 && v.varno == self.rel),
            Expr::Const(_) => Ok(false),
            _ => self.refers_to_rel_walk(expr),
        }
    }

    /// [`Self::refers_to_rel`] by walking the tree.
    #[inline(never)]
    fn refers_to_rel_walk(&self, expr: &Expr) -> Result<bool> {
        Ok(fdw_core::expr::any_node(
            expr,
            |node| matches!(node, Expr::Var(v) if v.varlevelsup == 0 && v.varno == self.rel),
        )?)
    }

    /// `is_pseudo_constant_clause`: no Vars of this level and nothing volatile.
    #[inline]
    fn is_pseudo_constant(&self, expr: &Expr) -> Result<bool> {
        // The usual sides of a comparison: a constant (no Var, no
        // function) or a column of this level; neither needs the walks.
        match expr {
            Expr::Const(_) => Ok(true),
            Expr::Var(v) if v.varlevelsup == 0 => Ok(false),
            _ => self.is_pseudo_constant_walk(expr),
        }
    }

    /// [`Self::is_pseudo_constant`] by walking the tree.
    #[inline(never)]
    fn is_pseudo_constant_walk(&self, expr: &Expr) -> Result<bool> {
        let has_vars = fdw_core::expr::any_node(
            expr,
            |node| matches!(node, Expr::Var(v) if v.varlevelsup == 0),
        )?;
        Ok(!has_vars && !self.catalog.contain_volatile_functions(expr)?)
    }

    /// `examine_variable`.
    fn examine_variable<'e>(&self, expr: &'e Expr) -> Result<VarData<'e, 'a>> {
        self.examine_variable_hinted(expr, None)
    }

    /// [`Self::examine_variable`] with `refers`, when known, whether `expr`
    /// refers to the relation (the walk it spares gives the same answer).
    #[inline]
    fn examine_variable_hinted<'e>(
        &self,
        expr: &'e Expr,
        refers: Option<bool>,
    ) -> Result<VarData<'e, 'a>> {
        let base = match expr {
            Expr::RelabelType(r) => &r.arg,
            _ => expr,
        };
        if let Expr::Var(var) = base {
            if var.varlevelsup == 0 && var.varno == self.rel {
                let stats = if var.varattno.0 > 0 {
                    self.stats.and_then(|s| s.columns.get(&var.varattno.0))
                } else {
                    None
                };
                return Ok(VarData {
                    expr: base,
                    refers_to_rel: true,
                    stats,
                    written: expr,
                    attno: Some(var.varattno),
                });
            }
        }
        let refers = match refers {
            Some(refers) => refers,
            None => self.refers_to_rel(base)?,
        };
        Ok(VarData {
            expr: if refers { base } else { expr },
            refers_to_rel: refers,
            stats: None,
            written: expr,
            attno: None,
        })
    }

    /// `get_restriction_variable`: the side referring to the relation, the
    /// other side, and whether the variable is on the left.
    fn restriction_variable<'e>(
        &self,
        args: &'e [Expr],
    ) -> Result<Option<(VarData<'e, 'a>, &'e Expr, bool)>> {
        self.restriction_variable_hinted(args, [None, None])
    }

    /// [`Self::restriction_variable`] with, when known, whether each side
    /// refers to the relation.
    #[inline]
    fn restriction_variable_hinted<'e>(
        &self,
        args: &'e [Expr],
        refers: [Option<bool>; 2],
    ) -> Result<Option<(VarData<'e, 'a>, &'e Expr, bool)>> {
        let [left, right] = args else {
            return Ok(None);
        };
        let [left_refers, right_refers] = refers;
        let l = self.examine_variable_hinted(left, left_refers)?;
        let r = self.examine_variable_hinted(right, right_refers)?;
        Ok(match (l.refers_to_rel, r.refers_to_rel) {
            (true, false) => Some((l, right, true)),
            (false, true) => Some((r, left, false)),
            _ => None,
        })
    }

    /// The other side of `variable op other` as the estimators see it after
    /// `estimate_expression_value`: a constant, or `None`. A side that
    /// PostgreSQL would compute while estimating (`now()`, `CURRENT_DATE`,
    /// a stable function of constants) has a value only at execution; it
    /// matters when the column has statistics to compare it with, and then
    /// the estimate is refused rather than guessed.
    fn other_value<'e>(
        &self,
        vd: &VarData<'_, '_>,
        other: &'e Expr,
    ) -> Result<Option<Option<(&'e str, Oid)>>> {
        if let Some(value) = estimated_const(other) {
            return Ok(Some(value));
        }
        if vd.stats.is_some() && self.is_runtime_constant(other)? {
            return Err(Error::Unsupported(
                "comparing column statistics with a value PostgreSQL computes while planning (now(), CURRENT_DATE, a stable function)".into(),
            ));
        }
        Ok(None)
    }

    /// No Vars, no parameters, nothing volatile: PostgreSQL's estimation
    /// folds it to a constant.
    fn is_runtime_constant(&self, expr: &Expr) -> Result<bool> {
        let has_params = fdw_core::expr::any_node(expr, |node| {
            matches!(node, Expr::Param(_) | Expr::SubLink(_) | Expr::SubPlan(_))
        })?;
        Ok(!has_params && self.is_pseudo_constant(expr)?)
    }

    /// Whether `collation` compares bytes (C, POSIX, or the default one in
    /// a C database).
    fn is_c_like(&self, collation: Oid) -> bool {
        is_c_collation(collation)
            || (collation == Oid::DEFAULT_COLLATION && self.default_collation_is_c)
    }

    /// `scalararraysel_containment`: `const = ANY (array of the relation)`
    /// read as `array @> ARRAY[const]`, `const = ALL (array)` as
    /// `array <@ ARRAY[const]`, and `<>` as the complement of the other.
    fn scalararraysel_containment(
        &self,
        is_equality: bool,
        use_or: bool,
        left: &Expr,
        right: &Expr,
        element_type: Oid,
        order: ElementOrder,
    ) -> Result<f64> {
        let vd = self.examine_variable(right)?;
        let value = match estimated_const(left) {
            Some(Some((value, _))) => value,
            // A NULL constant never matches.
            Some(None) => return Ok(0.0),
            None => {
                return Err(Error::Unsupported(
                    "array containment for a non-constant element".into(),
                ))
            }
        };
        let use_or = if is_equality { use_or } else { !use_or };
        let elements = [Some(value.to_owned())];
        let selec = match vd.stats {
            Some(stats) => {
                let selec = self.element_stats_selectivity(
                    stats,
                    &elements,
                    element_type,
                    order,
                    if use_or {
                        ArrayOperator::Contains
                    } else {
                        ArrayOperator::Contained
                    },
                )?;
                // MCELEM counts only non-null rows.
                selec * (1.0 - f64::from(stats.null_frac))
            }
            None => {
                if use_or {
                    array_sel::contain_overlap_selec(None, &[None], true)
                } else {
                    // mcelem_array_contained_selec punts without element
                    // statistics.
                    array_sel::DEFAULT_CONTAIN_SEL
                }
            }
        };
        let selec = if is_equality { selec } else { 1.0 - selec };
        Ok(clamp_probability(selec))
    }

    /// The element type's default btree `<` and `=` operators: PostgreSQL
    /// compares array elements with that opclass's comparison function
    /// (`TYPECACHE_CMP_PROC`); `None` when the type has none.
    fn element_order(&self, element_type: Oid) -> Option<ElementOrder> {
        const BTREE_AM: Oid = Oid(403);
        let class = self.catalog.default_opclass(BTREE_AM, element_type)?;
        let member = |strategy: i16| {
            self.catalog
                .amop(class.family, class.input_type, class.input_type, strategy)
                .map(|amop| amop.operator)
        };
        Some(ElementOrder {
            less: member(1)?,
            equal: member(3)?,
        })
    }

    /// `element_compare`: two elements by the element type's default
    /// btree order under the default collation.
    fn compare_elements(
        &self,
        order: ElementOrder,
        element_type: Oid,
        a: &str,
        b: &str,
    ) -> Result<Ordering> {
        let apply = |operator: Oid| {
            self.values
                .apply_operator(
                    operator,
                    Oid::DEFAULT_COLLATION,
                    (a, element_type),
                    (b, element_type),
                )
                .ok_or_else(|| not_comparable(operator))
        };
        Ok(if apply(order.equal)? {
            Ordering::Equal
        } else if apply(order.less)? {
            Ordering::Less
        } else {
            Ordering::Greater
        })
    }

    /// The constant's non-null elements sorted by `element_compare`
    /// (a merge sort, since each comparison can fail), duplicates removed
    /// as `arraycontsel` skips them: each equal to its predecessor.
    fn sorted_distinct_elements<'v>(
        &self,
        order: ElementOrder,
        element_type: Oid,
        elements: &'v [Option<String>],
    ) -> Result<Vec<&'v str>> {
        let mut sorted: Vec<&str> = elements.iter().flatten().map(String::as_str).collect();
        let mut width = 1;
        while width < sorted.len() {
            let mut merged = Vec::with_capacity(sorted.len());
            for chunk in sorted.chunks(2 * width) {
                let (low, high) = chunk.split_at(width.min(chunk.len()));
                let (mut i, mut j) = (0, 0);
                while let (Some(a), Some(b)) = (low.get(i), high.get(j)) {
                    if self.compare_elements(order, element_type, b, a)? == Ordering::Less {
                        merged.push(*b);
                        j += 1;
                    } else {
                        merged.push(*a);
                        i += 1;
                    }
                }
                merged.extend(low.iter().skip(i));
                merged.extend(high.iter().skip(j));
            }
            sorted = merged;
            width *= 2;
        }
        let mut distinct: Vec<&str> = Vec::with_capacity(sorted.len());
        for element in sorted {
            if let Some(previous) = distinct.last() {
                if self.compare_elements(order, element_type, previous, element)? == Ordering::Equal
                {
                    continue;
                }
            }
            distinct.push(element);
        }
        Ok(distinct)
    }

    /// `mcelem_array_selec` and its callers' statistics handling, for an
    /// analyzed array column and the constant's elements (`None` is a
    /// NULL element): the selectivity among non-null rows.
    fn element_stats_selectivity(
        &self,
        stats: &ColumnStats,
        elements: &[Option<String>],
        element_type: Oid,
        order: ElementOrder,
        operator: ArrayOperator,
    ) -> Result<f64> {
        if operator == ArrayOperator::Contains && elements.iter().any(Option::is_none) {
            // Nothing contains a NULL element.
            return Ok(0.0);
        }
        let distinct = self.sorted_distinct_elements(order, element_type, elements)?;
        // The MCELEM slot exists only when ANALYZE found common elements.
        let mcelem = &stats.most_common_elems;
        let element_stats = (!mcelem.is_empty()).then(|| array_sel::ElementStats {
            count: mcelem.len(),
            freqs: &stats.most_common_elem_freqs,
            hist: if operator == ArrayOperator::Contained {
                &stats.elem_count_histogram
            } else {
                &[]
            },
        });
        // Each distinct element's equal most common element, walking both
        // sorted lists once.
        let mut matches = Vec::with_capacity(distinct.len());
        let mut index = 0;
        for element in &distinct {
            let mut matched = None;
            while let Some(common) = mcelem.get(index) {
                match self.compare_elements(order, element_type, common, element)? {
                    Ordering::Less => index += 1,
                    Ordering::Equal => {
                        matched = Some(index);
                        index += 1;
                        break;
                    }
                    Ordering::Greater => break,
                }
            }
            matches.push(matched);
        }
        match operator {
            ArrayOperator::Contains | ArrayOperator::Overlaps => {
                Ok(array_sel::contain_overlap_selec(
                    element_stats,
                    &matches,
                    operator == ArrayOperator::Contains,
                ))
            }
            ArrayOperator::Contained => array_sel::contained_selec(element_stats, &matches)
                .ok_or_else(|| {
                    Error::Unsupported(
                        "array <@ with more distinct constant elements than most common \
                         elements, where arrays may have that many (PostgreSQL's calc_distr \
                         then reads unset memory)"
                            .into(),
                    )
                }),
        }
    }

    /// `get_variable_numdistinct`: (estimate, is the default).
    fn numdistinct(&self, vd: &VarData<'_, '_>) -> (f64, bool) {
        // Foreign tables have no unique index, so only the statistics,
        // the boolean rule and the system columns speak.
        let stadistinct = if let Some(stats) = vd.stats {
            f64::from(stats.n_distinct)
        } else if vd.vartype() == BOOL {
            2.0
        } else {
            match vd.attno {
                Some(AttrNumber::CTID) => -1.0,
                Some(AttrNumber::TABLEOID) => 1.0,
                _ => 0.0,
            }
        };
        if stadistinct > 0.0 {
            return (clamp_row_est(stadistinct), false);
        }
        let ntuples = self.tuples;
        if ntuples <= 0.0 {
            return (DEFAULT_NUM_DISTINCT, true);
        }
        if stadistinct < 0.0 {
            return (clamp_row_est(-stadistinct * ntuples), false);
        }
        if ntuples < DEFAULT_NUM_DISTINCT {
            return (clamp_row_est(ntuples), false);
        }
        (DEFAULT_NUM_DISTINCT, true)
    }

    /// The name of the operator's `oprrest` estimator; borrowed from the
    /// catalog when it can be (every clause asks, so no copy for built-ins).
    fn restrict_function_name(&self, opno: Oid) -> Option<Cow<'_, str>> {
        let op = self.catalog.operator_info(opno)?;
        if op.restrict.is_invalid() {
            return None;
        }
        // The usual estimators are built-in functions, whose names a user
        // cannot change: named without the `pg_proc` look-up (every
        // restriction clause of every scan asks).
        if let Some(name) = builtin_restrict_name(op.restrict) {
            return Some(Cow::Borrowed(name));
        }
        self.restrict_function_name_looked_up(op.restrict)
    }

    /// The name of the estimator function `restrict`, from `pg_proc`.
    fn restrict_function_name_looked_up(&self, restrict: Oid) -> Option<Cow<'_, str>> {
        self.catalog.proc_info(restrict).map(|p| match p {
            Cow::Borrowed(p) => Cow::Borrowed(p.name.as_str()),
            Cow::Owned(p) => Cow::Owned(p.name),
        })
    }

    /// `restriction_selectivity`: the operator's `oprrest` estimator.
    fn restriction_selectivity(&self, opno: Oid, args: &[Expr], collation: Oid) -> Result<f64> {
        let name = self.restrict_function_name(opno);
        self.restriction_selectivity_by(name.as_deref(), opno, args, collation)
    }

    /// [`Self::restriction_selectivity`] with the operator's estimator
    /// name already looked up.
    fn restriction_selectivity_by(
        &self,
        name: Option<&str>,
        opno: Oid,
        args: &[Expr],
        collation: Oid,
    ) -> Result<f64> {
        let Some(name) = name else {
            return Ok(0.5);
        };
        match name {
            "eqsel" => self.eqsel(opno, args, collation, false),
            "neqsel" => self.eqsel(opno, args, collation, true),
            "scalarltsel" => self.scalarineqsel_wrapper(opno, args, collation, false, false),
            "scalarlesel" => self.scalarineqsel_wrapper(opno, args, collation, false, true),
            "scalargtsel" => self.scalarineqsel_wrapper(opno, args, collation, true, false),
            "scalargesel" => self.scalarineqsel_wrapper(opno, args, collation, true, true),
            "likesel" => self.patternsel(opno, args, collation, PatternKind::Like, false, false),
            "nlikesel" => self.patternsel(opno, args, collation, PatternKind::Like, false, true),
            "iclikesel" => self.patternsel(opno, args, collation, PatternKind::Like, true, false),
            "icnlikesel" => self.patternsel(opno, args, collation, PatternKind::Like, true, true),
            "regexeqsel" => {
                self.patternsel(opno, args, collation, PatternKind::Regex, false, false)
            }
            "regexnesel" => self.patternsel(opno, args, collation, PatternKind::Regex, false, true),
            "icregexeqsel" => {
                self.patternsel(opno, args, collation, PatternKind::Regex, true, false)
            }
            "icregexnesel" => {
                self.patternsel(opno, args, collation, PatternKind::Regex, true, true)
            }
            "matchingsel" => self.generic_restriction_selectivity(args, DEFAULT_MATCHING_SEL),
            // geo_selfuncs.c: constants, whatever the arguments.
            "areasel" => Ok(0.005),
            "positionsel" => Ok(0.1),
            "contsel" => Ok(0.001),
            "arraycontsel" => self.arraycontsel(opno, args),
            other => Err(Error::Unsupported(format!(
                "the restriction estimator {other} (operator {})",
                opno.0
            ))),
        }
    }

    // ----- equality ---------------------------------------------------------

    /// `eqsel_internal`.
    fn eqsel(&self, opno: Oid, args: &[Expr], collation: Oid, negate: bool) -> Result<f64> {
        let operator = if negate {
            match self.catalog.operator_info(opno).map(|o| o.negator) {
                Some(neg) if !neg.is_invalid() => neg,
                _ => return Ok(1.0 - DEFAULT_EQ_SEL),
            }
        } else {
            opno
        };
        let Some((vd, other, varonleft)) = self.restriction_variable(args)? else {
            return Ok(if negate {
                1.0 - DEFAULT_EQ_SEL
            } else {
                DEFAULT_EQ_SEL
            });
        };
        match self.other_value(&vd, other)? {
            Some(value) => self.var_eq_const(&vd, operator, collation, value, varonleft, negate),
            None => Ok(self.var_eq_non_const(&vd, negate)),
        }
    }

    /// `var_eq_const`.
    fn var_eq_const(
        &self,
        vd: &VarData<'_, '_>,
        operator: Oid,
        collation: Oid,
        value: Option<(&str, Oid)>,
        varonleft: bool,
        negate: bool,
    ) -> Result<f64> {
        let Some((constval, consttype)) = value else {
            return Ok(0.0);
        };
        let nullfrac = vd.stats.map_or(0.0, |s| f64::from(s.null_frac));
        let mut selec = if let Some(stats) = vd.stats {
            let column_type = vd.expr.type_oid();
            let mut matched = None;
            for (i, mcv) in stats.most_common_vals.iter().enumerate() {
                let (l, r) = if varonleft {
                    ((mcv.as_str(), column_type), (constval, consttype))
                } else {
                    ((constval, consttype), (mcv.as_str(), column_type))
                };
                let hit = self
                    .values
                    .apply_operator(operator, collation, l, r)
                    .ok_or_else(|| not_comparable(operator))?;
                if hit {
                    matched = Some(i);
                    break;
                }
            }
            let freqs = &stats.most_common_freqs;
            match matched {
                Some(i) => freqs.get(i).map_or(0.0, |f| f64::from(*f)),
                None => {
                    let sumcommon: f64 = freqs.iter().map(|f| f64::from(*f)).sum();
                    let mut selec = clamp_probability(1.0 - sumcommon - nullfrac);
                    let otherdistinct = self.numdistinct(vd).0 - freqs.len() as f64;
                    if otherdistinct > 1.0 {
                        selec /= otherdistinct;
                    }
                    if let Some(least) = freqs.last() {
                        if selec > f64::from(*least) {
                            selec = f64::from(*least);
                        }
                    }
                    selec
                }
            }
        } else {
            1.0 / self.numdistinct(vd).0
        };
        if negate {
            selec = 1.0 - selec - nullfrac;
        }
        Ok(clamp_probability(selec))
    }

    /// `var_eq_non_const`.
    fn var_eq_non_const(&self, vd: &VarData<'_, '_>, negate: bool) -> f64 {
        let nullfrac = vd.stats.map_or(0.0, |s| f64::from(s.null_frac));
        let mut selec = if let Some(stats) = vd.stats {
            let mut selec = 1.0 - nullfrac;
            let ndistinct = self.numdistinct(vd).0;
            if ndistinct > 1.0 {
                selec /= ndistinct;
            }
            if let Some(first) = stats.most_common_freqs.first() {
                if selec > f64::from(*first) {
                    selec = f64::from(*first);
                }
            }
            selec
        } else {
            1.0 / self.numdistinct(vd).0
        };
        if negate {
            selec = 1.0 - selec - nullfrac;
        }
        clamp_probability(selec)
    }

    // ----- inequality -------------------------------------------------------

    /// `scalarineqsel_wrapper`.
    fn scalarineqsel_wrapper(
        &self,
        opno: Oid,
        args: &[Expr],
        collation: Oid,
        isgt: bool,
        iseq: bool,
    ) -> Result<f64> {
        self.scalarineqsel_wrapper_hinted(opno, args, collation, isgt, iseq, [None, None])
    }

    /// [`Self::scalarineqsel_wrapper`] with, when known, whether each side
    /// refers to the relation.
    fn scalarineqsel_wrapper_hinted(
        &self,
        opno: Oid,
        args: &[Expr],
        collation: Oid,
        isgt: bool,
        iseq: bool,
        refers: [Option<bool>; 2],
    ) -> Result<f64> {
        let Some((vd, other, varonleft)) = self.restriction_variable_hinted(args, refers)? else {
            return Ok(DEFAULT_INEQ_SEL);
        };
        let Some(value) = self.other_value(&vd, other)? else {
            return Ok(DEFAULT_INEQ_SEL);
        };
        let Some((constval, consttype)) = value else {
            return Ok(0.0);
        };
        let (operator, isgt) = if varonleft {
            (opno, isgt)
        } else {
            match self.catalog.operator_info(opno).map(|o| o.commutator) {
                Some(c) if !c.is_invalid() => (c, !isgt),
                _ => return Ok(DEFAULT_INEQ_SEL),
            }
        };
        self.scalarineqsel(&vd, operator, isgt, iseq, collation, constval, consttype)
    }

    /// `scalarineqsel`.
    #[allow(
        clippy::too_many_arguments,
        reason = "PostgreSQL's estimator takes these"
    )]
    fn scalarineqsel(
        &self,
        vd: &VarData<'_, '_>,
        operator: Oid,
        isgt: bool,
        iseq: bool,
        collation: Oid,
        constval: &str,
        consttype: Oid,
    ) -> Result<f64> {
        let Some(stats) = vd.stats else {
            if vd.attno == Some(AttrNumber::CTID) {
                return Err(Error::Unsupported("the selectivity of a ctid range".into()));
            }
            return Ok(DEFAULT_INEQ_SEL);
        };
        let (mcv_selec, sumcommon) =
            self.mcv_selectivity(vd, stats, operator, collation, (constval, consttype), true)?;
        let hist_selec = self.ineq_histogram_selectivity(
            vd,
            stats,
            operator,
            isgt,
            iseq,
            collation,
            (constval, consttype),
        )?;
        let mut selec = 1.0 - f64::from(stats.null_frac) - sumcommon;
        if hist_selec >= 0.0 {
            selec *= hist_selec;
        } else {
            selec *= 0.5;
        }
        selec += mcv_selec;
        Ok(clamp_probability(selec))
    }

    /// `mcv_selectivity`: (fraction of the most common values satisfying
    /// the operator against the constant, fraction they cover).
    fn mcv_selectivity(
        &self,
        vd: &VarData<'_, '_>,
        stats: &ColumnStats,
        operator: Oid,
        collation: Oid,
        constant: (&str, Oid),
        varonleft: bool,
    ) -> Result<(f64, f64)> {
        let column_type = vd.expr.type_oid();
        let mut mcv_selec = 0.0;
        let mut sumcommon = 0.0;
        for (value, freq) in stats.most_common_vals.iter().zip(&stats.most_common_freqs) {
            let (l, r) = if varonleft {
                ((value.as_str(), column_type), constant)
            } else {
                (constant, (value.as_str(), column_type))
            };
            let hit = self
                .values
                .apply_operator(operator, collation, l, r)
                .ok_or_else(|| not_comparable(operator))?;
            if hit {
                mcv_selec += f64::from(*freq);
            }
            sumcommon += f64::from(*freq);
        }
        Ok((mcv_selec, sumcommon))
    }

    /// `ineq_histogram_selectivity` (foreign tables have no index, so the
    /// histogram's end points are never refreshed from the table).
    #[allow(
        clippy::too_many_arguments,
        reason = "PostgreSQL's estimator takes these"
    )]
    fn ineq_histogram_selectivity(
        &self,
        vd: &VarData<'_, '_>,
        stats: &ColumnStats,
        operator: Oid,
        isgt: bool,
        iseq: bool,
        collation: Oid,
        constant: (&str, Oid),
    ) -> Result<f64> {
        let hist = &stats.histogram_bounds;
        if hist.len() <= 1 {
            return Ok(-1.0);
        }
        let column_type = vd.expr.type_oid();
        let column_collation = vd.expr.collation();
        let compatible = column_collation == collation
            && self.ops_compatible_with_histogram(operator, column_type);
        if !compatible {
            // A histogram sorted another way: count the matching entries.
            let mut nmatch = 0usize;
            for bound in hist {
                let hit = self
                    .values
                    .apply_operator(operator, collation, (bound.as_str(), column_type), constant)
                    .ok_or_else(|| not_comparable(operator))?;
                if hit {
                    nmatch += 1;
                }
            }
            let selec = nmatch as f64 / hist.len() as f64;
            let cutoff = 0.01 / (hist.len() - 1) as f64;
            return Ok(selec.clamp(cutoff, 1.0 - cutoff));
        }
        let mut lobound = 0usize;
        let mut hibound = hist.len();
        while lobound < hibound {
            let probe = (lobound + hibound) / 2;
            let bound = hist.get(probe).map_or("", String::as_str);
            let mut ltcmp = self
                .values
                .apply_operator(operator, collation, (bound, column_type), constant)
                .ok_or_else(|| not_comparable(operator))?;
            if isgt {
                ltcmp = !ltcmp;
            }
            if ltcmp {
                lobound = probe + 1;
            } else {
                hibound = probe;
            }
        }
        let histfrac = if lobound == 0 {
            0.0
        } else if lobound >= hist.len() {
            1.0
        } else {
            let i = lobound;
            let mut eq_selec = 0.0;
            if i == 1 || isgt == iseq {
                let otherdistinct = self.numdistinct(vd).0 - stats.most_common_freqs.len() as f64;
                if otherdistinct > 1.0 {
                    eq_selec = 1.0 / otherdistinct;
                }
            }
            let low = hist.get(i - 1).map_or("", String::as_str);
            let high = hist.get(i).map_or("", String::as_str);
            let binfrac =
                match self
                    .values
                    .convert_to_scalar(constant, low, high, column_type, collation)
                {
                    ScalarConversion::Converted { value, low, high } => {
                        if high <= low {
                            0.5
                        } else if value <= low {
                            0.0
                        } else if value >= high {
                            1.0
                        } else {
                            let f = (value - low) / (high - low);
                            if f.is_nan() || !(0.0..=1.0).contains(&f) {
                                0.5
                            } else {
                                f
                            }
                        }
                    }
                    ScalarConversion::NoScale => 0.5,
                    ScalarConversion::NotReproducible => {
                        return Err(Error::Unsupported(format!(
                            "interpolating a histogram of type {} under collation {}",
                            column_type.0, collation.0
                        )))
                    }
                };
            let mut histfrac = (i - 1) as f64 + binfrac;
            histfrac /= (hist.len() - 1) as f64;
            if i == 1 {
                histfrac += eq_selec * (1.0 - binfrac);
            }
            if isgt == iseq {
                histfrac -= eq_selec;
            }
            histfrac
        };
        let hist_selec = if isgt { 1.0 - histfrac } else { histfrac };
        let cutoff = 0.01 / (hist.len() - 1) as f64;
        Ok(if hist_selec < cutoff {
            cutoff
        } else if hist_selec > 1.0 - cutoff {
            1.0 - cutoff
        } else {
            hist_selec
        })
    }

    /// `comparison_ops_are_compatible(staop, opoid)`: the histogram is
    /// sorted by the column type's default btree `<`, so the operator must
    /// be an ordering operator of that btree family.
    fn ops_compatible_with_histogram(&self, operator: Oid, column_type: Oid) -> bool {
        const BTREE_AM: Oid = Oid(403);
        let Some(class) = self.catalog.default_opclass(BTREE_AM, column_type) else {
            return false;
        };
        let family = class.family;
        self.catalog
            .amops_of_operator(operator)
            .iter()
            .any(|amop| amop.family == family && amop.method == BTREE_AM)
    }

    // ----- NULL and boolean tests ------------------------------------------

    /// `nulltestsel`.
    fn nulltest_selectivity(&self, kind: NullTestType, arg: &Expr) -> Result<f64> {
        let vd = self.examine_variable(arg)?;
        Ok(if let Some(stats) = vd.stats {
            let freq_null = f64::from(stats.null_frac);
            match kind {
                NullTestType::IsNull => freq_null,
                NullTestType::IsNotNull => 1.0 - freq_null,
            }
        } else if vd.attno.is_some_and(|a| a.0 < 0) {
            match kind {
                NullTestType::IsNull => 0.0,
                NullTestType::IsNotNull => 1.0,
            }
        } else {
            match kind {
                NullTestType::IsNull => DEFAULT_UNK_SEL,
                NullTestType::IsNotNull => DEFAULT_NOT_UNK_SEL,
            }
        })
    }

    /// `booltestsel`.
    fn booltestsel(&self, kind: BoolTestType, arg: &Expr) -> Result<f64> {
        let vd = self.examine_variable(arg)?;
        if let Some(stats) = vd.stats {
            return Ok(booltest_with_stats(kind, stats));
        }
        Ok(match kind {
            BoolTestType::IsUnknown => DEFAULT_UNK_SEL,
            BoolTestType::IsNotUnknown => DEFAULT_NOT_UNK_SEL,
            BoolTestType::IsTrue | BoolTestType::IsNotFalse => self.clause_selectivity(arg)?,
            BoolTestType::IsFalse | BoolTestType::IsNotTrue => {
                1.0 - self.clause_selectivity(arg)?
            }
        })
    }

    /// `boolvarsel`.
    fn boolvarsel(&self, arg: &Expr) -> Result<f64> {
        let vd = self.examine_variable(arg)?;
        if vd.stats.is_some() {
            return self.var_eq_const(
                &vd,
                BOOLEAN_EQUAL_OPERATOR,
                Oid::INVALID,
                Some(("t", BOOL)),
                true,
                false,
            );
        }
        Ok(0.5)
    }

    // ----- = ANY / <> ALL -----------------------------------------------------

    /// `scalararraysel` for a restriction clause.
    fn scalararraysel(&self, saop: &ScalarArrayOpExpr) -> Result<f64> {
        self.scalararraysel_with(saop, true)
    }

    /// [`Self::scalararraysel`]; `shortcut` allows skipping the element
    /// type's default equality where it cannot change the answer (the
    /// tests compare both ways).
    fn scalararraysel_with(&self, saop: &ScalarArrayOpExpr, shortcut: bool) -> Result<f64> {
        let [left, right] = saop.args.as_slice() else {
            return Ok(0.5);
        };
        let right_stripped = crate::array_len::strip_array_coercion(right);
        let element_type = self
            .catalog
            .type_info(right.type_oid())
            .map_or(Oid::INVALID, |t| t.elem);
        if element_type.is_invalid() {
            return Ok(0.5);
        }
        // The default equality (an opclass search) decides two things: the
        // containment estimate, never taken over a constant array (it does
        // not refer to the relation), and the flags below, of which an
        // `= ANY` estimated by eqsel reads only is_equality and a `<> ALL`
        // estimated by neqsel only is_inequality, both then set by the
        // estimator's name alone. The usual IN list needs no search.
        // Looked up once for both uses (a pure catalog read).
        let restrict_name = self.restrict_function_name(saop.opno);
        let by_name_alone = shortcut
            && matches!(right_stripped, Expr::Const(_))
            && restrict_name.as_deref().is_some_and(|name| match name {
                "eqsel" => saop.use_or,
                "neqsel" => !saop.use_or,
                _ => false,
            });
        let element_eq = if by_name_alone {
            None
        } else {
            self.default_equality(element_type)
        };
        let mut is_equality = element_eq == Some(saop.opno);
        let mut is_inequality = !is_equality
            && element_eq.is_some()
            && self.catalog.operator_info(saop.opno).map(|o| o.negator) == element_eq;
        if (is_equality || is_inequality)
            && self.refers_to_rel(right_stripped)?
            && estimated_const(left).is_some()
        {
            if estimated_const(left) == Some(None) {
                return Ok(0.0);
            }
            if let Some(order) = self.element_order(element_type) {
                return self.scalararraysel_containment(
                    is_equality,
                    saop.use_or,
                    left,
                    right_stripped,
                    element_type,
                    order,
                );
            }
        }
        let Some(name) = restrict_name else {
            return Ok(0.5);
        };
        match &*name {
            "eqsel" => is_equality = true,
            "neqsel" => is_inequality = true,
            _ => {}
        }
        let use_or = saop.use_or;
        let combine = |s1: &mut f64, disjoint: &mut f64, s2: f64| {
            if use_or {
                *s1 = *s1 + s2 - *s1 * s2;
                if is_equality {
                    *disjoint += s2;
                }
            } else {
                *s1 *= s2;
                if is_inequality {
                    *disjoint += s2 - 1.0;
                }
            }
        };
        let start = if use_or { 0.0 } else { 1.0 };
        let disjoint_ok = if use_or { is_equality } else { is_inequality };
        let s1 = match right_stripped {
            Expr::Const(c) => {
                let Some(text) = &c.value else {
                    return Ok(0.0);
                };
                let elements = crate::array_len::array_literal_elements_borrowed(
                    text,
                    self.element_delimiter(element_type),
                )
                .ok_or_else(|| Error::Unsupported(format!("reading the array constant {text}")))?;
                let (mut s1, mut disjoint) = (start, start);
                for element in &elements {
                    let s2 = self.element_selectivity(
                        &name,
                        saop,
                        left,
                        element.as_deref().map(|e| (e, element_type)),
                        true,
                    )?;
                    combine(&mut s1, &mut disjoint, s2);
                }
                if disjoint_ok && (0.0..=1.0).contains(&disjoint) {
                    disjoint
                } else {
                    s1
                }
            }
            Expr::ArrayExpr(array) if !array.multidims => {
                let (mut s1, mut disjoint) = (start, start);
                for element in &array.elements {
                    let s2 = self.element_expr_selectivity(&name, saop, left, element)?;
                    combine(&mut s1, &mut disjoint, s2);
                }
                if disjoint_ok && (0.0..=1.0).contains(&disjoint) {
                    disjoint
                } else {
                    s1
                }
            }
            _ => {
                let s2 = self.element_selectivity(&name, saop, left, None, false)?;
                let mut s1 = start;
                for _ in 0..10 {
                    if use_or {
                        s1 = s1 + s2 - s1 * s2;
                    } else {
                        s1 *= s2;
                    }
                }
                s1
            }
        };
        Ok(clamp_probability(s1))
    }

    /// The estimator `name` for `left op element`, the element a constant
    /// (`Some(None)` is a NULL element) or, with `known == false`, an
    /// unknown non-constant value.
    fn element_selectivity(
        &self,
        name: &str,
        saop: &ScalarArrayOpExpr,
        left: &Expr,
        element: Option<(&str, Oid)>,
        known: bool,
    ) -> Result<f64> {
        let Some(vd) = self.var_side(left)? else {
            return Ok(match name {
                "eqsel" => DEFAULT_EQ_SEL,
                "neqsel" => 1.0 - DEFAULT_EQ_SEL,
                "scalarltsel" | "scalarlesel" | "scalargtsel" | "scalargesel" => DEFAULT_INEQ_SEL,
                _ => return self.unknown_element_estimator(name),
            });
        };
        match name {
            "eqsel" | "neqsel" => {
                let negate = name == "neqsel";
                let operator = if negate {
                    match self.catalog.operator_info(saop.opno).map(|o| o.negator) {
                        Some(n) if !n.is_invalid() => n,
                        _ => return Ok(1.0 - DEFAULT_EQ_SEL),
                    }
                } else {
                    saop.opno
                };
                if known {
                    self.var_eq_const(&vd, operator, saop.inputcollid, element, true, negate)
                } else {
                    Ok(self.var_eq_non_const(&vd, negate))
                }
            }
            "scalarltsel" | "scalarlesel" | "scalargtsel" | "scalargesel" => {
                if !known {
                    return Ok(DEFAULT_INEQ_SEL);
                }
                let Some((value, ty)) = element else {
                    return Ok(0.0);
                };
                let isgt = name == "scalargtsel" || name == "scalargesel";
                let iseq = name == "scalarlesel" || name == "scalargesel";
                self.scalarineqsel(&vd, saop.opno, isgt, iseq, saop.inputcollid, value, ty)
            }
            other => self.unknown_element_estimator(other),
        }
    }

    fn unknown_element_estimator(&self, name: &str) -> Result<f64> {
        Err(Error::Unsupported(format!(
            "the restriction estimator {name} inside = ANY / <> ALL"
        )))
    }

    /// The estimator for `left op element` where the element is an
    /// expression of an `ARRAY[...]`.
    fn element_expr_selectivity(
        &self,
        name: &str,
        saop: &ScalarArrayOpExpr,
        left: &Expr,
        element: &Expr,
    ) -> Result<f64> {
        let args = [left.clone(), element.clone()];
        match name {
            "eqsel" | "neqsel" | "scalarltsel" | "scalarlesel" | "scalargtsel" | "scalargesel" => {
                // `name` is the operator's own estimator.
                self.restriction_selectivity(saop.opno, &args, saop.inputcollid)
            }
            other => self.unknown_element_estimator(other),
        }
    }

    /// The variable side of `left op <constant>`: the left side when it
    /// refers to the relation.
    fn var_side<'e>(&self, left: &'e Expr) -> Result<Option<VarData<'e, 'a>>> {
        let vd = self.examine_variable(left)?;
        Ok(vd.refers_to_rel.then_some(vd))
    }

    /// The element type's default equality operator (`TYPECACHE_EQ_OPR`).
    fn default_equality(&self, element_type: Oid) -> Option<Oid> {
        const BTREE_AM: Oid = Oid(403);
        const HASH_AM: Oid = Oid(405);
        for method in [BTREE_AM, HASH_AM] {
            if let Some(class) = self.catalog.default_opclass(method, element_type) {
                let strategy = if method == BTREE_AM { 3 } else { 1 };
                if let Some(amop) =
                    self.catalog
                        .amop(class.family, class.input_type, class.input_type, strategy)
                {
                    return Some(amop.operator);
                }
            }
        }
        None
    }

    fn element_delimiter(&self, element_type: Oid) -> char {
        self.catalog
            .type_info(element_type)
            .map_or(',', |t| t.delim)
    }

    // ----- pattern matching -------------------------------------------------

    /// `patternsel_common` for LIKE / ILIKE and their negations.
    fn patternsel(
        &self,
        opno: Oid,
        args: &[Expr],
        collation: Oid,
        kind: PatternKind,
        case_insensitive: bool,
        negate: bool,
    ) -> Result<f64> {
        let default = if negate {
            1.0 - DEFAULT_MATCH_SEL
        } else {
            DEFAULT_MATCH_SEL
        };
        let Some((vd, other, varonleft)) = self.restriction_variable(args)? else {
            return Ok(default);
        };
        if !varonleft {
            return Ok(default);
        }
        let Some(value) = self.other_value(&vd, other)? else {
            return Ok(default);
        };
        let Some((pattern, consttype)) = value else {
            return Ok(0.0);
        };
        if consttype != TEXT && consttype != BYTEA {
            return Ok(default);
        }
        if !matches!(vd.vartype(), TEXT | NAME | BPCHAR | BYTEA) {
            return Ok(default);
        }
        if case_insensitive && !self.is_c_like(collation) && !pattern.is_ascii() {
            return Err(Error::Unsupported(
                "case-insensitive pattern selectivity for a pattern with non-ASCII characters"
                    .into(),
            ));
        }
        let prefix = match kind {
            PatternKind::Like => like_fixed_prefix(pattern, case_insensitive),
            PatternKind::Regex => regex_fixed_prefix(pattern, case_insensitive)?,
        };
        let nullfrac = vd.stats.map_or(0.0, |s| f64::from(s.null_frac));
        let prefix_text: &str = prefix.text.as_deref().unwrap_or_default();
        // NOT LIKE and friends are estimated with their positive operator,
        // then inverted.
        let opno = if negate {
            match self.catalog.operator_info(opno).map(|o| o.negator) {
                Some(negator) if !negator.is_invalid() => negator,
                _ => {
                    return Err(Error::Unsupported(format!(
                        "a negated pattern operator without a negator ({})",
                        opno.0
                    )))
                }
            }
        } else {
            opno
        };
        let result = match prefix.status {
            PrefixStatus::Exact => {
                let (eq, _, _) = self.prefix_operators(vd.vartype())?;
                self.var_eq_const(&vd, eq, collation, Some((prefix_text, TEXT)), true, false)?
            }
            PrefixStatus::Partial | PrefixStatus::None => {
                let (mut selec, hist_size) = match vd.stats {
                    Some(stats) => self.histogram_selectivity(
                        &vd,
                        stats,
                        opno,
                        collation,
                        (pattern, consttype),
                    )?,
                    None => (-1.0, 0),
                };
                if hist_size < 100 {
                    let prefixsel = if prefix.status == PrefixStatus::Partial {
                        self.prefix_selectivity(&vd, collation, prefix_text)?
                    } else {
                        1.0
                    };
                    let heursel = prefixsel * prefix.rest_selec;
                    selec = if selec < 0.0 {
                        heursel
                    } else {
                        let weight = f64::from(hist_size) / 100.0;
                        selec * weight + heursel * (1.0 - weight)
                    };
                }
                selec = selec.clamp(0.0001, 0.9999);
                let (mcv_selec, sumcommon) = match vd.stats {
                    Some(stats) => self.mcv_selectivity(
                        &vd,
                        stats,
                        opno,
                        collation,
                        (pattern, consttype),
                        true,
                    )?,
                    None => (0.0, 0.0),
                };
                selec *= 1.0 - nullfrac - sumcommon;
                selec + mcv_selec
            }
        };
        Ok(if negate {
            1.0 - result - nullfrac
        } else {
            result
        })
    }

    /// The `=`, `<` and `>=` operators `patternsel` compares a fixed prefix
    /// with, by the column's type.
    fn prefix_operators(&self, vartype: Oid) -> Result<(Oid, Oid, Oid)> {
        let (left, right) = match vartype {
            TEXT => (TEXT, TEXT),
            NAME => (NAME, TEXT),
            BPCHAR => (BPCHAR, BPCHAR),
            _ => {
                return Err(Error::Unsupported(format!(
                    "pattern prefixes of type {}",
                    vartype.0
                )))
            }
        };
        let op = |name: &str| {
            self.catalog
                .resolve_operator(Some("pg_catalog"), name, left, right)
                .map_err(|e| Error::Unsupported(e.to_string()))
        };
        Ok((op("=")?, op("<")?, op(">=")?))
    }

    /// `histogram_selectivity` with at least 10 entries, skipping one at
    /// each end: (fraction of the histogram satisfying the operator, or -1;
    /// histogram size).
    fn histogram_selectivity(
        &self,
        vd: &VarData<'_, '_>,
        stats: &ColumnStats,
        operator: Oid,
        collation: Oid,
        constant: (&str, Oid),
    ) -> Result<(f64, u32)> {
        let hist = &stats.histogram_bounds;
        let size = u32::try_from(hist.len()).unwrap_or(u32::MAX);
        if hist.len() < 10 {
            return Ok((-1.0, size));
        }
        let column_type = vd.expr.type_oid();
        let mut nmatch = 0usize;
        for bound in hist.iter().skip(1).take(hist.len() - 2) {
            let hit = self
                .values
                .apply_operator(operator, collation, (bound.as_str(), column_type), constant)
                .ok_or_else(|| not_comparable(operator))?;
            if hit {
                nmatch += 1;
            }
        }
        Ok((nmatch as f64 / (hist.len() - 2) as f64, size))
    }

    /// `prefix_selectivity`: `x >= prefix AND x < greater(prefix)` from the
    /// histogram, at least the selectivity of `x = prefix`.
    fn prefix_selectivity(
        &self,
        vd: &VarData<'_, '_>,
        collation: Oid,
        prefix: &str,
    ) -> Result<f64> {
        let Some(stats) = vd.stats else {
            return Ok(DEFAULT_MATCH_SEL);
        };
        let (eq, lt, ge) = self.prefix_operators(vd.vartype())?;
        let mut prefixsel =
            self.ineq_histogram_selectivity(vd, stats, ge, true, true, collation, (prefix, TEXT))?;
        if prefixsel < 0.0 {
            return Ok(DEFAULT_MATCH_SEL);
        }
        if !self.is_c_like(collation) {
            return Err(Error::Unsupported(
                "a pattern prefix's upper bound under a non-C collation (make_greater_string)"
                    .into(),
            ));
        }
        if let Some(greater) = make_greater_string(prefix)? {
            let topsel = self.ineq_histogram_selectivity(
                vd,
                stats,
                lt,
                false,
                false,
                collation,
                (greater.as_str(), TEXT),
            )?;
            prefixsel = topsel + prefixsel - 1.0;
        }
        let eq_sel = self.var_eq_const(vd, eq, collation, Some((prefix, TEXT)), true, false)?;
        Ok(prefixsel.max(eq_sel))
    }

    /// `arraycontsel`: `@>`, `&&` and `<@` between an array of the
    /// relation and a constant array, from the column's element
    /// statistics when it has some.
    fn arraycontsel(&self, opno: Oid, args: &[Expr]) -> Result<f64> {
        const ARRAY_OVERLAP: Oid = Oid(2750);
        const ARRAY_CONTAINS: Oid = Oid(2751);
        const ARRAY_CONTAINED: Oid = Oid(2752);
        let default = if opno == ARRAY_OVERLAP {
            0.01
        } else {
            array_sel::DEFAULT_CONTAIN_SEL
        };
        let Some((vd, other, varonleft)) = self.restriction_variable(args)? else {
            return Ok(default);
        };
        let Some(value) = self.other_value(&vd, other)? else {
            return Ok(default);
        };
        let Some((text, consttype)) = value else {
            return Ok(0.0);
        };
        let operator = match (varonleft, opno) {
            (false, ARRAY_CONTAINS) => ArrayOperator::Contained,
            (false, ARRAY_CONTAINED) => ArrayOperator::Contains,
            (_, ARRAY_CONTAINS) => ArrayOperator::Contains,
            (_, ARRAY_CONTAINED) => ArrayOperator::Contained,
            (_, ARRAY_OVERLAP) => ArrayOperator::Overlaps,
            (_, other) => {
                return Err(Error::Unsupported(format!(
                    "arraycontsel for operator {}",
                    other.0
                )))
            }
        };
        let const_elem = self
            .catalog
            .type_info(consttype)
            .map_or(Oid::INVALID, |t| t.elem);
        let var_elem = self
            .catalog
            .type_info(vd.vartype())
            .map_or(Oid::INVALID, |t| t.elem);
        if const_elem.is_invalid() || const_elem != var_elem {
            return Ok(default);
        }
        let Some(order) = self.element_order(const_elem) else {
            return Ok(default);
        };
        let elements =
            crate::array_len::array_literal_elements(text, self.element_delimiter(const_elem))
                .ok_or_else(|| Error::Unsupported(format!("reading the array constant {text}")))?;
        let selec = match vd.stats {
            Some(stats) => {
                let selec =
                    self.element_stats_selectivity(stats, &elements, const_elem, order, operator)?;
                // MCELEM counts only non-null rows.
                selec * (1.0 - f64::from(stats.null_frac))
            }
            None => self.elements_without_stats(&elements, const_elem, operator)?,
        };
        Ok(clamp_probability(selec))
    }

    /// `mcelem_array_selec` without statistics: each distinct non-null
    /// element is assumed to occur with `min(0.005, 0.01f / 2)`; `<@`
    /// punts. All elements weigh the same, so their order does not
    /// matter and only equality is needed to count them.
    fn elements_without_stats(
        &self,
        elements: &[Option<String>],
        element_type: Oid,
        operator: ArrayOperator,
    ) -> Result<f64> {
        if operator == ArrayOperator::Contained {
            return Ok(array_sel::DEFAULT_CONTAIN_SEL);
        }
        if operator == ArrayOperator::Contains && elements.iter().any(Option::is_none) {
            return Ok(0.0);
        }
        let mut distinct: Vec<&str> = Vec::new();
        let equality = self.default_equality(element_type);
        for element in elements.iter().flatten() {
            let mut seen = false;
            for known in &distinct {
                let same = match equality {
                    Some(eq) => self
                        .values
                        .apply_operator(
                            eq,
                            Oid::INVALID,
                            (known, element_type),
                            (element, element_type),
                        )
                        .ok_or_else(|| not_comparable(eq))?,
                    None => *known == element.as_str(),
                };
                if same {
                    seen = true;
                    break;
                }
            }
            if !seen {
                distinct.push(element);
            }
        }
        let matches = vec![None; distinct.len()];
        Ok(array_sel::contain_overlap_selec(
            None,
            &matches,
            operator == ArrayOperator::Contains,
        ))
    }

    /// `generic_restriction_selectivity` (the `matchingsel` family).
    fn generic_restriction_selectivity(&self, args: &[Expr], default: f64) -> Result<f64> {
        let Some((vd, other, _varonleft)) = self.restriction_variable(args)? else {
            return Ok(default);
        };
        match self.other_value(&vd, other)? {
            Some(None) => Ok(0.0),
            Some(Some(_)) => {
                if vd.stats.is_some() {
                    return Err(Error::Unsupported(
                        "matchingsel from column statistics".into(),
                    ));
                }
                Ok(clamp_probability(default.clamp(0.0001, 0.9999)))
            }
            None => Ok(default),
        }
    }
}

/// `BooleanEqualOperator`.
const BOOLEAN_EQUAL_OPERATOR: Oid = Oid(91);

/// The array operator `arraycontsel` estimates, with the array of the
/// relation on the left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ArrayOperator {
    /// `@>`.
    Contains,
    /// `&&`.
    Overlaps,
    /// `<@`.
    Contained,
}

/// The default btree opclass's `<` and `=` of an element type, which
/// together give its comparison function.
#[derive(Debug, Clone, Copy)]
struct ElementOrder {
    less: Oid,
    equal: Oid,
}

fn not_comparable(operator: Oid) -> Error {
    Error::Unsupported(format!(
        "comparing statistics values with operator {}",
        operator.0
    ))
}

/// `booltestsel` with statistics: the first most common value decides
/// the frequency of true, else half of the non-null rows.
fn booltest_with_stats(kind: BoolTestType, stats: &ColumnStats) -> f64 {
    let freq_null = f64::from(stats.null_frac);
    let first = stats
        .most_common_vals
        .first()
        .zip(stats.most_common_freqs.first());
    let selec = if let Some((value, freq)) = first {
        let freq_true = if value == "t" || value == "true" {
            f64::from(*freq)
        } else {
            1.0 - f64::from(*freq) - freq_null
        };
        let freq_false = 1.0 - freq_true - freq_null;
        match kind {
            BoolTestType::IsUnknown => freq_null,
            BoolTestType::IsNotUnknown => 1.0 - freq_null,
            BoolTestType::IsTrue => freq_true,
            BoolTestType::IsNotTrue => 1.0 - freq_true,
            BoolTestType::IsFalse => freq_false,
            BoolTestType::IsNotFalse => 1.0 - freq_false,
        }
    } else {
        match kind {
            BoolTestType::IsUnknown => freq_null,
            BoolTestType::IsNotUnknown => 1.0 - freq_null,
            BoolTestType::IsTrue | BoolTestType::IsFalse => (1.0 - freq_null) / 2.0,
            BoolTestType::IsNotTrue | BoolTestType::IsNotFalse => (freq_null + 1.0) / 2.0,
        }
    };
    clamp_probability(selec)
}

/// Whether `collation` is `C` or `POSIX` (byte-wise, ASCII-only letters).
fn is_c_collation(collation: Oid) -> bool {
    collation == Oid(950) || collation == Oid(951)
}

/// `estimate_expression_value` as far as the estimators look at it: a
/// constant (possibly NULL) with its type, or `None` when the side is not
/// a constant.
fn estimated_const(expr: &Expr) -> Option<Option<(&str, Oid)>> {
    match expr {
        Expr::Const(c) => Some(c.value.as_deref().map(|v| (v, c.consttype))),
        Expr::RelabelType(r) => match &r.arg {
            Expr::Const(c) => Some(c.value.as_deref().map(|v| (v, r.resulttype))),
            _ => None,
        },
        _ => None,
    }
}

/// Adds a `<`/`>` clause on `var` to the range queries (`addRangeClause`):
/// two bounds on the same side keep the more selective one.
fn add_range_clause<'e>(
    ranges: &mut Vec<RangeQuery<'e>>,
    var: &'e Expr,
    is_lobound: bool,
    s2: f64,
) {
    if let Some(range) = ranges.iter_mut().find(|r| r.var == var) {
        let slot = if is_lobound {
            &mut range.lobound
        } else {
            &mut range.hibound
        };
        *slot = Some(match *slot {
            Some(old) if old <= s2 => old,
            _ => s2,
        });
        return;
    }
    ranges.push(RangeQuery {
        var,
        lobound: is_lobound.then_some(s2),
        hibound: (!is_lobound).then_some(s2),
    });
}

/// The pattern language of a match operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PatternKind {
    /// `LIKE` / `ILIKE`.
    Like,
    /// `~` / `~*` (and `SIMILAR TO`, which becomes `~`).
    Regex,
}

/// `make_greater_string` in a byte-wise collation: the prefix with its last
/// character incremented (UTF8's incrementer; an ASCII character below
/// 0x7F), dropping characters that cannot be incremented.
fn make_greater_string(prefix: &str) -> Result<Option<String>> {
    let mut bytes = prefix.as_bytes().to_vec();
    while let Some(&last) = bytes.last() {
        if !last.is_ascii() {
            return Err(Error::Unsupported(
                "the upper bound of a non-ASCII pattern prefix (make_greater_string)".into(),
            ));
        }
        if last < 0x7f {
            if let Some(slot) = bytes.last_mut() {
                *slot = last + 1;
            }
            return Ok(String::from_utf8(bytes).ok());
        }
        bytes.pop();
    }
    Ok(None)
}

/// `CHAR_RANGE_SEL`, `PARTIAL_WILDCARD_SEL`.
const CHAR_RANGE_SEL: f64 = 0.25;
const PARTIAL_WILDCARD_SEL: f64 = 2.0;

/// `regex_fixed_prefix`: the fixed prefix `pg_regprefix` finds in the
/// compiled automaton, read here from the pattern for the shapes whose
/// automaton is certain: after a leading `^`, literal characters (and
/// non-alphanumeric escapes) through unquantified groups, up to the first
/// point where two different characters (or a character class, `.`, the
/// end) may follow. `^...$` of literals is an exact match. Shapes whose
/// automaton could merge or split states differently (quantified groups,
/// a character followed by itself after a quantifier, one-character
/// brackets, top-level alternatives, embedded options, lookarounds,
/// bounds, alphanumeric escapes, non-ASCII) are refused, never guessed.
fn regex_fixed_prefix(pattern: &str, case_insensitive: bool) -> Result<LikePrefix<'static>> {
    let bytes = pattern.as_bytes();
    let refuse = || {
        Error::Unsupported(format!(
            "the fixed prefix of the regular expression {pattern:?} (pg_regprefix)"
        ))
    };
    // Directors (`***:`), embedded options and lookarounds change how the
    // rest compiles.
    if bytes.starts_with(b"***") || regex_has_special_group(bytes) {
        return Err(refuse());
    }
    if bytes.first() != Some(&b'^') {
        // Unanchored: the automaton may start anywhere, no prefix; unless
        // an anchor hides further in.
        if regex_top_level(bytes).any(|(_, b)| b == b'^') || pattern.contains("\\A") {
            return Err(refuse());
        }
        return Ok(LikePrefix {
            status: PrefixStatus::None,
            rest_selec: regex_selectivity(bytes, 0),
            text: None,
        });
    }
    // An alternative at the top level may be unanchored.
    if !alternative_bars(bytes).is_empty() {
        return Err(refuse());
    }
    let mut pos = 1;
    let mut depth = 0usize;
    let mut text: Vec<u8> = Vec::new();
    let mut exact = false;
    while let Some(&b) = bytes.get(pos) {
        match b {
            b'(' => {
                let open_len = if bytes.get(pos + 1) == Some(&b'?') {
                    3
                } else {
                    1
                };
                let close = matching_paren(bytes, pos).ok_or_else(refuse)?;
                if matches!(bytes.get(close + 1), Some(b'*' | b'+' | b'?' | b'{')) {
                    return Err(refuse());
                }
                let inner = bytes.get(pos + open_len..close).unwrap_or_default();
                if !alternative_bars(inner).is_empty() {
                    // Two different first characters end the prefix here.
                    if alternatives_first_chars(inner) >= 2 {
                        break;
                    }
                    return Err(refuse());
                }
                depth += 1;
                pos += open_len;
            }
            b')' => {
                depth = depth.checked_sub(1).ok_or_else(refuse)?;
                pos += 1;
            }
            b'$' => {
                if pos + 1 != bytes.len() || depth != 0 {
                    return Err(refuse());
                }
                exact = true;
                break;
            }
            b'.' => break,
            b'\\' if is_class_escape(bytes, pos) => break,
            b'[' if bracket_is_multi(bytes, pos) == Some(true) => break,
            _ => {
                let (c, len) = regex_char(bytes, pos).ok_or_else(refuse)?;
                if case_insensitive && c.is_ascii_alphabetic() {
                    break;
                }
                let after = pos + len;
                match bytes.get(after) {
                    Some(b'*' | b'?') => {
                        if !next_item_differs(bytes, after + 1, c) {
                            return Err(refuse());
                        }
                        break;
                    }
                    Some(b'+') => {
                        if !next_item_differs(bytes, after + 1, c) {
                            return Err(refuse());
                        }
                        text.push(c);
                        break;
                    }
                    Some(b'{') => return Err(refuse()),
                    _ => {
                        text.push(c);
                        pos = after;
                    }
                }
            }
        }
    }
    let prefix = String::from_utf8(text).map_err(|_| refuse())?;
    if exact {
        // Even an empty string is an exact match (`^$`).
        return Ok(LikePrefix {
            status: PrefixStatus::Exact,
            rest_selec: 1.0,
            text: Some(Cow::Owned(prefix)),
        });
    }
    if prefix.is_empty() {
        return Ok(LikePrefix {
            status: PrefixStatus::None,
            rest_selec: regex_selectivity(bytes, 0),
            text: None,
        });
    }
    Ok(LikePrefix {
        status: PrefixStatus::Partial,
        rest_selec: regex_selectivity(bytes, prefix.len()),
        text: Some(Cow::Owned(prefix)),
    })
}

/// Whether the pattern has a group other than `(...)` and `(?:...)`
/// (embedded options, lookahead or lookbehind).
fn regex_has_special_group(bytes: &[u8]) -> bool {
    regex_top_level(bytes).any(|(i, b)| {
        b == b'(' && bytes.get(i + 1) == Some(&b'?') && bytes.get(i + 2) != Some(&b':')
    })
}

/// The bytes of `bytes` outside bracket expressions, with their
/// positions; an escape pair is skipped whole.
fn regex_top_level(bytes: &[u8]) -> impl Iterator<Item = (usize, u8)> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || loop {
        let b = *bytes.get(pos)?;
        match b {
            b'\\' => pos += 2,
            b'[' => pos = bracket_end(bytes, pos).unwrap_or(bytes.len()),
            _ => {
                pos += 1;
                return Some((pos - 1, b));
            }
        }
    })
}

/// The position just after the bracket expression opening at `open`.
fn bracket_end(bytes: &[u8], open: usize) -> Option<usize> {
    let mut pos = open + 1;
    if bytes.get(pos) == Some(&b'^') {
        pos += 1;
    }
    if bytes.get(pos) == Some(&b']') {
        pos += 1;
    }
    while let Some(&b) = bytes.get(pos) {
        match b {
            b']' => return Some(pos + 1),
            b'[' if matches!(bytes.get(pos + 1), Some(b':' | b'.' | b'=')) => {
                let kind = bytes.get(pos + 1).copied()?;
                pos += 2;
                while !(bytes.get(pos) == Some(&kind) && bytes.get(pos + 1) == Some(&b']')) {
                    if pos >= bytes.len() {
                        return None;
                    }
                    pos += 1;
                }
                pos += 2;
            }
            b'\\' => pos += 2,
            _ => pos += 1,
        }
    }
    None
}

/// Whether the bracket expression at `open` certainly matches more than
/// one character (`Some(false)` for one character, `None` when not
/// sure: escapes, classes, collating elements, non-ASCII).
fn bracket_is_multi(bytes: &[u8], open: usize) -> Option<bool> {
    let end = bracket_end(bytes, open)?;
    let mut start = open + 1;
    let negated = bytes.get(start) == Some(&b'^');
    if negated {
        start += 1;
    }
    let content = bytes.get(start..end - 1)?;
    if content
        .iter()
        .any(|b| !b.is_ascii() || *b == b'\\' || *b == b'[')
    {
        return None;
    }
    let has_range = content.len() > 2
        && content
            .get(1..content.len() - 1)
            .is_some_and(|middle| middle.contains(&b'-'));
    if negated {
        // All characters but a few listed ones.
        return (!has_range).then_some(true);
    }
    if has_range {
        // Only a lone range `x-y` with x < y is read.
        return match content {
            [low, b'-', high] if low < high => Some(true),
            _ => None,
        };
    }
    let first = content.first()?;
    Some(content.iter().any(|b| b != first))
}

/// The literal character at `pos` and its length in the pattern: a
/// plain ASCII character or a non-alphanumeric escape.
fn regex_literal(bytes: &[u8], pos: usize) -> Option<(u8, usize)> {
    let b = *bytes.get(pos)?;
    match b {
        b'\\' => {
            let next = *bytes.get(pos + 1)?;
            (next.is_ascii() && !next.is_ascii_alphanumeric()).then_some((next, 2))
        }
        b'.' | b'[' | b']' | b'(' | b')' | b'{' | b'}' | b'*' | b'+' | b'?' | b'|' | b'^'
        | b'$' => None,
        _ => b.is_ascii().then_some((b, 1)),
    }
}

/// The one character matched at `pos` and the length of its spelling:
/// a literal, or a bracket expression of one character (`[b]`, `[.]`),
/// which compiles to the same arc.
fn regex_char(bytes: &[u8], pos: usize) -> Option<(u8, usize)> {
    if bytes.get(pos) != Some(&b'[') {
        return regex_literal(bytes, pos);
    }
    if bracket_is_multi(bytes, pos)? || bytes.get(pos + 1) == Some(&b'^') {
        return None;
    }
    let end = bracket_end(bytes, pos)?;
    Some((*bytes.get(pos + 1)?, end - pos))
}

/// Whether what may come at `pos`, after a quantified character `c`,
/// certainly starts with something other than `c` alone (so the state
/// reached has arcs of two colours, or an end-of-string arc).
fn next_item_differs(bytes: &[u8], pos: usize, c: u8) -> bool {
    // Closing groups (entered unquantified) adds no character.
    let pos = pos
        + bytes
            .get(pos..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| **b == b')')
            .count();
    match bytes.get(pos) {
        None | Some(b'$' | b'.') => true,
        Some(b'[') if bracket_is_multi(bytes, pos) == Some(true) => true,
        Some(b'\\') if is_class_escape(bytes, pos) => true,
        Some(_) => regex_char(bytes, pos).is_some_and(|(d, _)| d != c),
    }
}

/// Whether `pos` holds a class-shorthand escape (`\\d`, `\\s`, `\\w` or
/// their negations), which matches many characters, as `.` does.
fn is_class_escape(bytes: &[u8], pos: usize) -> bool {
    bytes.get(pos) == Some(&b'\\')
        && matches!(
            bytes.get(pos + 1),
            Some(b'd' | b'D' | b's' | b'S' | b'w' | b'W')
        )
}

/// The position of the `)` closing the group opening at `open`.
fn matching_paren(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in regex_top_level(bytes).skip_while(|(i, _)| *i < open) {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The positions of the `|` separating alternatives at the top level of
/// `bytes` (outside groups and brackets).
fn alternative_bars(bytes: &[u8]) -> Vec<usize> {
    let mut depth = 0usize;
    let mut bars = Vec::new();
    for (i, b) in regex_top_level(bytes) {
        match b {
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            b'|' if depth == 0 => bars.push(i),
            _ => {}
        }
    }
    bars
}

/// How many different plain characters certainly begin the top-level
/// alternatives of `inner` (the characters a match may start with).
fn alternatives_first_chars(inner: &[u8]) -> usize {
    let mut starts = vec![0];
    starts.extend(alternative_bars(inner).into_iter().map(|i| i + 1));
    let mut firsts: Vec<u8> = Vec::new();
    for start in starts {
        if let Some((c, len)) = regex_literal(inner, start) {
            // `c{0}` would not begin anything.
            if inner.get(start + len) != Some(&b'{') && !firsts.contains(&c) {
                firsts.push(c);
            }
        }
    }
    firsts.len()
}

/// `regex_selectivity`: the whole pattern's heuristic selectivity, with the
/// fixed prefix's share taken out.
fn regex_selectivity(pattern: &[u8], fixed_prefix_len: usize) -> f64 {
    let len = pattern.len();
    let trailing_dollar = len > 0
        && pattern.get(len - 1) == Some(&b'$')
        && (len == 1 || pattern.get(len - 2) != Some(&b'\\'));
    let mut sel = if trailing_dollar {
        regex_selectivity_sub(pattern.get(..len - 1).unwrap_or_default())
    } else {
        regex_selectivity_sub(pattern) * FULL_WILDCARD_SEL
    };
    if fixed_prefix_len > 0 {
        // pow(), as PostgreSQL calls it: repeated multiplication could
        // round differently.
        let prefixsel = FIXED_CHAR_SEL.powf(fixed_prefix_len as f64);
        if prefixsel > 0.0 {
            sel /= prefixsel;
        }
    }
    clamp_probability(sel)
}

/// `regex_selectivity_sub`.
fn regex_selectivity_sub(pattern: &[u8]) -> f64 {
    let mut sel = 1.0;
    let mut depth = 0usize;
    let mut paren_pos = 0usize;
    let mut pos = 0usize;
    while pos < pattern.len() {
        let b = pattern.get(pos).copied().unwrap_or(0);
        match b {
            b'(' => {
                if depth == 0 {
                    paren_pos = pos;
                }
                depth += 1;
            }
            b')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    sel *=
                        regex_selectivity_sub(pattern.get(paren_pos + 1..pos).unwrap_or_default());
                }
            }
            b'|' if depth == 0 => {
                sel += regex_selectivity_sub(pattern.get(pos + 1..).unwrap_or_default());
                break;
            }
            b'[' => {
                let mut negated = false;
                pos += 1;
                if pattern.get(pos) == Some(&b'^') {
                    negated = true;
                    pos += 1;
                }
                if pattern.get(pos) == Some(&b']') {
                    pos += 1;
                }
                while pos < pattern.len() && pattern.get(pos) != Some(&b']') {
                    pos += 1;
                }
                if depth == 0 {
                    sel *= if negated {
                        1.0 - CHAR_RANGE_SEL
                    } else {
                        CHAR_RANGE_SEL
                    };
                }
            }
            b'.' => {
                if depth == 0 {
                    sel *= ANY_CHAR_SEL;
                }
            }
            b'*' | b'?' | b'+' => {
                if depth == 0 {
                    sel *= PARTIAL_WILDCARD_SEL;
                }
            }
            b'{' => {
                while pos < pattern.len() && pattern.get(pos) != Some(&b'}') {
                    pos += 1;
                }
                if depth == 0 {
                    sel *= PARTIAL_WILDCARD_SEL;
                }
            }
            b'\\' => {
                pos += 1;
                if pos >= pattern.len() {
                    break;
                }
                if depth == 0 {
                    sel *= FIXED_CHAR_SEL;
                }
            }
            _ => {
                if depth == 0 {
                    sel *= FIXED_CHAR_SEL;
                }
            }
        }
        pos += 1;
    }
    if sel > 1.0 {
        1.0
    } else {
        sel
    }
}

/// `Pattern_Prefix_Status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PrefixStatus {
    None,
    Partial,
    Exact,
}

/// What `like_fixed_prefix` finds.
struct LikePrefix<'p> {
    status: PrefixStatus,
    rest_selec: f64,
    /// The fixed prefix, when there is one; borrowed from the pattern when
    /// it is a slice of it (no escapes).
    text: Option<Cow<'p, str>>,
}

/// `FIXED_CHAR_SEL`, `ANY_CHAR_SEL`, `FULL_WILDCARD_SEL`.
const FIXED_CHAR_SEL: f64 = 0.20;
const ANY_CHAR_SEL: f64 = 0.9;
const FULL_WILDCARD_SEL: f64 = 5.0;

/// `like_fixed_prefix` (text patterns, byte by byte as PostgreSQL scans
/// them; for ILIKE an ASCII letter ends the prefix, the C locale's rule).
fn like_fixed_prefix(pattern: &str, case_insensitive: bool) -> LikePrefix<'_> {
    let bytes = pattern.as_bytes();
    let mut pos = 0;
    let mut prefix_len = 0;
    // The prefix with its escapes removed, made from the first escape on;
    // until then the prefix is the pattern's first `pos` bytes, which is
    // borrowed rather than copied for each pattern estimated.
    let mut unescaped: Option<Vec<u8>> = None;
    while let Some(&b) = bytes.get(pos) {
        if b == b'%' || b == b'_' {
            break;
        }
        if b == b'\\' {
            if unescaped.is_none() {
                unescaped = Some(bytes.get(..pos).unwrap_or_default().to_vec());
            }
            pos += 1;
            if pos >= bytes.len() {
                break;
            }
        }
        if case_insensitive && bytes.get(pos).is_some_and(u8::is_ascii_alphabetic) {
            break;
        }
        prefix_len += 1;
        if let (Some(text), Some(&c)) = (unescaped.as_mut(), bytes.get(pos)) {
            text.push(c);
        }
        pos += 1;
    }
    let rest_selec = like_selectivity(bytes.get(pos..).unwrap_or_default());
    let status = if pos >= bytes.len() {
        PrefixStatus::Exact
    } else if prefix_len > 0 {
        PrefixStatus::Partial
    } else {
        PrefixStatus::None
    };
    let text = (prefix_len > 0).then(|| match unescaped {
        Some(text) => Cow::Owned(String::from_utf8_lossy(&text).into_owned()),
        // The prefix ends before an ASCII byte or at the end of the
        // pattern, so it is whole characters of it.
        None => match pattern.get(..pos) {
            Some(slice) => Cow::Borrowed(slice),
            None => Cow::Owned(
                String::from_utf8_lossy(bytes.get(..pos).unwrap_or_default()).into_owned(),
            ),
        },
    });
    LikePrefix {
        status,
        rest_selec,
        text,
    }
}

/// `like_selectivity` of the pattern after its fixed prefix (per byte).
fn like_selectivity(rest: &[u8]) -> f64 {
    let mut pos = 0;
    while matches!(rest.get(pos), Some(b'%' | b'_')) {
        pos += 1;
    }
    let mut sel = 1.0;
    while let Some(&b) = rest.get(pos) {
        match b {
            b'%' => sel *= FULL_WILDCARD_SEL,
            b'_' => sel *= ANY_CHAR_SEL,
            b'\\' => {
                pos += 1;
                if pos >= rest.len() {
                    break;
                }
                sel *= FIXED_CHAR_SEL;
            }
            _ => sel *= FIXED_CHAR_SEL,
        }
        pos += 1;
    }
    if sel > 1.0 {
        1.0
    } else {
        sel
    }
}

/// `(isgt, iseq)` of an inequality's estimator `scalar[lg][te]sel`;
/// `None` for another estimator.
fn inequality_direction(name: Option<&str>) -> Option<(bool, bool)> {
    match name {
        Some("scalarltsel") => Some((false, false)),
        Some("scalarlesel") => Some((false, true)),
        Some("scalargtsel") => Some((true, false)),
        Some("scalargesel") => Some((true, true)),
        _ => None,
    }
}

/// The range bound an inequality (`isgt`: a `>` or `>=` estimator) of
/// operands `left` and `right` puts on its variable, given its range test
/// [`SelContext::range_side`]: the variable and whether the bound is a
/// lower one; `None` unless one side is pseudo-constant and the other
/// refers to the relation.
fn range_bound<'e>(
    side: Option<(bool, bool)>,
    left: &'e Expr,
    right: &'e Expr,
    isgt: bool,
) -> Option<(&'e Expr, bool)> {
    match side {
        Some((varonleft, true)) => {
            let var = if varonleft { left } else { right };
            Some((var, if isgt { varonleft } else { !varonleft }))
        }
        Some((_, false)) | None => None,
    }
}

/// The built-in restriction estimators [`SelContext::restriction_selectivity_by`]
/// knows most often met, by `pg_proc` oid (`fmgroids.h`): built-in oids
/// (below 10000) name the same functions in every catalog.
fn builtin_restrict_name(restrict: Oid) -> Option<&'static str> {
    Some(match restrict.0 {
        101 => "eqsel",
        102 => "neqsel",
        103 => "scalarltsel",
        104 => "scalargtsel",
        336 => "scalarlesel",
        337 => "scalargesel",
        1814 => "iclikesel",
        1815 => "icnlikesel",
        1818 => "regexeqsel",
        1819 => "likesel",
        1820 => "icregexeqsel",
        1821 => "regexnesel",
        1822 => "nlikesel",
        1823 => "icregexnesel",
        5040 => "matchingsel",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in estimator names the look-up skips are the catalog's
    /// own, and every operator's estimator is named alike either way.
    #[test]
    fn builtin_restrict_names_match_the_catalog() {
        let catalog = Catalog::new(15).expect("built-in catalog");
        let context = unanalyzed_context(&catalog);
        for oid in [
            101, 102, 103, 104, 336, 337, 1814, 1815, 1818, 1819, 1820, 1821, 1822, 1823, 5040,
        ] {
            let name = builtin_restrict_name(Oid(oid));
            let looked_up = context.restrict_function_name_looked_up(Oid(oid));
            assert!(name.is_some());
            assert_eq!(name, looked_up.as_deref(), "estimator {oid}");
        }
        let mut named = 0;
        for op in catalog.builtin().operators() {
            if op.restrict.is_invalid() {
                continue;
            }
            let fast = context.restrict_function_name(op.oid);
            let general = context.restrict_function_name_looked_up(op.restrict);
            assert_eq!(fast, general, "operator {}", op.oid.0);
            named += 1;
        }
        assert!(named > 100);
    }

    /// Values are never compared in these tests.
    struct NoValues;

    impl ValueOps for NoValues {
        fn apply_operator(&self, _: Oid, _: Oid, _: (&str, Oid), _: (&str, Oid)) -> Option<bool> {
            None
        }

        fn convert_to_scalar(
            &self,
            _: (&str, Oid),
            _: &str,
            _: &str,
            _: Oid,
            _: Oid,
        ) -> ScalarConversion {
            ScalarConversion::NoScale
        }
    }

    /// Relation 1 of 1000 rows without statistics, under the C collation.
    fn unanalyzed_context(catalog: &Catalog) -> SelContext<'_> {
        SelContext {
            catalog,
            rel: RelIndex(1),
            stats: None,
            tuples: 1000.0,
            values: &NoValues,
            default_collation_is_c: true,
        }
    }

    /// `scalararraysel`'s shortcut (no default-equality search for an
    /// `= ANY` by eqsel or a `<> ALL` by neqsel over a constant array)
    /// answers as the general path does, bit for bit, for every mix of
    /// operator, ANY/ALL and array side.
    #[test]
    fn scalararraysel_shortcut_matches_the_general_path() {
        use fdw_core::expr::{Const, Var};
        let catalog = Catalog::new(15).expect("built-in catalog");
        let context = unanalyzed_context(&catalog);
        const INT4: Oid = Oid(23);
        const INT4_ARRAY: Oid = Oid(1007);
        const TEXT: Oid = Oid(25);
        const TEXT_ARRAY: Oid = Oid(1009);
        const DEFAULT_COLLATION: Oid = Oid(100);
        let int_column = Expr::Var(Var::new(RelIndex(1), AttrNumber(1), INT4, -1, Oid::INVALID));
        let text_column = Expr::Var(Var::new(
            RelIndex(1),
            AttrNumber(2),
            TEXT,
            -1,
            DEFAULT_COLLATION,
        ));
        let int_array_column = Expr::Var(Var::new(
            RelIndex(1),
            AttrNumber(3),
            INT4_ARRAY,
            -1,
            Oid::INVALID,
        ));
        let int_array = Expr::Const(Const::new(INT4_ARRAY, Oid::INVALID, "{1,2,3}"));
        let int_array_with_null = Expr::Const(Const::new(INT4_ARRAY, Oid::INVALID, "{1,NULL}"));
        let text_array = Expr::Const(Const::new(TEXT_ARRAY, DEFAULT_COLLATION, "{a,b}"));
        let one = Expr::Const(Const::new(INT4, Oid::INVALID, "1"));
        // int4 =, <>, <, >=; text =, <>.
        let int_ops = [Oid(96), Oid(518), Oid(97), Oid(525)];
        let text_ops = [Oid(98), Oid(531)];
        let mut cases = Vec::new();
        for use_or in [true, false] {
            for &opno in &int_ops {
                for (left, right) in [
                    (&int_column, &int_array),
                    (&int_column, &int_array_with_null),
                    (&one, &int_array_column),
                    (&int_column, &int_array_column),
                ] {
                    cases.push((opno, use_or, Oid::INVALID, left.clone(), right.clone()));
                }
            }
            for &opno in &text_ops {
                cases.push((
                    opno,
                    use_or,
                    DEFAULT_COLLATION,
                    text_column.clone(),
                    text_array.clone(),
                ));
            }
        }
        let mut shortcuts = 0;
        for (opno, use_or, inputcollid, left, right) in cases {
            let saop = ScalarArrayOpExpr {
                opno,
                opfuncid: Oid::INVALID,
                hashfuncid: Oid::INVALID,
                negfuncid: Oid::INVALID,
                use_or,
                inputcollid,
                args: [left, right].into_iter().collect(),
            };
            let fast = context.scalararraysel_with(&saop, true);
            let general = context.scalararraysel_with(&saop, false);
            let bits = |r: &Result<f64>| r.as_ref().map(|s| s.to_bits()).map_err(|e| e.to_string());
            assert_eq!(bits(&fast), bits(&general), "{saop:?}");
            let name = context.restrict_function_name(opno);
            if matches!(saop.args.get(1), Some(Expr::Const(_)))
                && matches!(
                    (name.as_deref(), use_or),
                    (Some("eqsel"), true) | (Some("neqsel"), false)
                )
            {
                shortcuts += 1;
            }
        }
        // The shortcut was taken, for int4 and text arrays alike.
        assert_eq!(shortcuts, 6);
    }

    /// `restrict_list_and_subset_selectivity` (its items on the stack or
    /// the heap, the subset combined without a list of its own) answers as
    /// two `restrict_list_selectivity` calls over the whole list and over
    /// the subset do, bit for bit: range pairs on either side, repeated
    /// bounds, pseudoconstants, lists shorter and longer than the stack's.
    #[test]
    fn list_and_subset_selectivity_match_separate_lists() {
        use fdw_core::expr::{Const, OpExpr, Var};
        let catalog = Catalog::new(15).expect("built-in catalog");
        let context = unanalyzed_context(&catalog);
        const INT4: Oid = Oid(23);
        let col = |n: i16| Expr::Var(Var::new(RelIndex(1), AttrNumber(n), INT4, -1, Oid::INVALID));
        let int = |v: &str| Expr::Const(Const::new(INT4, Oid::INVALID, v));
        let op = |opno: u32, left: Expr, right: Expr| {
            Expr::OpExpr(Box::new(OpExpr {
                opno: Oid(opno),
                opfuncid: Oid::INVALID,
                opresulttype: Oid(16),
                opretset: false,
                opcollid: Oid::INVALID,
                inputcollid: Oid::INVALID,
                args: [left, right].into_iter().collect(),
            }))
        };
        // int4 <, >, =, >= (97, 521, 96, 525); (clause, pseudoconstant).
        let mut clauses: Vec<(Expr, bool)> = Vec::new();
        for round in 0..4_i16 {
            clauses.push((op(97, col(1 + round), int("10")), false));
            clauses.push((op(521, col(1 + round), int("1")), false));
            clauses.push((op(96, col(5), int("5")), false));
            clauses.push((op(521, int("3"), col(2)), false));
            clauses.push((op(97, col(1), int("8")), false));
            clauses.push((Expr::Const(Const::new(Oid(16), Oid::INVALID, "t")), true));
            clauses.push((op(525, int("1"), int("1")), true));
        }
        for len in 0..=clauses.len() {
            let list: Vec<RestrictClause<'_>> = clauses
                .iter()
                .take(len)
                .map(|(expr, pseudoconstant)| RestrictClause {
                    expr,
                    pseudoconstant: *pseudoconstant,
                })
                .collect();
            let masks: [&dyn Fn(usize) -> bool; 6] = [
                &|_| true,
                &|_| false,
                &|at| at == 0,
                &|at| at == len.saturating_sub(1),
                &|at| at % 2 == 1,
                &|at| at % 3 != 0,
            ];
            for in_subset in masks {
                // Each clause beside its position, for the subset's test.
                let indexed: Vec<(usize, RestrictClause<'_>)> =
                    list.iter().copied().enumerate().collect();
                let (all, subset) = context
                    .restrict_list_and_subset_selectivity(&indexed, |(at, c)| (*c, in_subset(*at)))
                    .expect("estimated");
                let separate_all = context.restrict_list_selectivity(&list).expect("estimated");
                let chosen: Vec<RestrictClause<'_>> = list
                    .iter()
                    .enumerate()
                    .filter(|(at, _)| in_subset(*at))
                    .map(|(_, c)| *c)
                    .collect();
                let separate_subset = context
                    .restrict_list_selectivity(&chosen)
                    .expect("estimated");
                assert_eq!(all.to_bits(), separate_all.to_bits(), "{len} clauses");
                assert_eq!(subset.to_bits(), separate_subset.to_bits(), "{len} clauses");
            }
        }
    }

    /// An inequality's list item with the range test's answers handed to
    /// the estimator is the general order's item (estimator first, its
    /// own walks, then the range test): computed sides on either hand,
    /// pseudo-constant computed sides, sides of another relation.
    #[test]
    fn hinted_inequality_items_match_the_general_order() {
        use fdw_core::expr::{Const, OpExpr, Var};
        let catalog = Catalog::new(15).expect("built-in catalog");
        let context = unanalyzed_context(&catalog);
        const INT4: Oid = Oid(23);
        let col = |rel: u32, n: i16| {
            Expr::Var(Var::new(
                RelIndex(rel),
                AttrNumber(n),
                INT4,
                -1,
                Oid::INVALID,
            ))
        };
        let int = |v: &str| Expr::Const(Const::new(INT4, Oid::INVALID, v));
        let op = |opno: u32, result: u32, left: Expr, right: Expr| OpExpr {
            opno: Oid(opno),
            opfuncid: Oid::INVALID,
            opresulttype: Oid(result),
            opretset: false,
            opcollid: Oid::INVALID,
            inputcollid: Oid::INVALID,
            args: [left, right].into_iter().collect(),
        };
        // int4 + (551) as the computed side.
        let plus = |left: Expr, right: Expr| Expr::OpExpr(Box::new(op(551, 23, left, right)));
        let sides = [
            col(1, 1),
            col(2, 1),
            int("5"),
            plus(col(1, 1), int("1")),
            plus(int("2"), int("3")),
            plus(col(2, 2), int("1")),
            plus(col(1, 1), col(2, 1)),
        ];
        let mut checked = 0;
        // int4 <, <=, >, >= (97, 523, 521, 525).
        for opno in [97, 523, 521, 525] {
            for left in &sides {
                for right in &sides {
                    let clause = op(opno, 16, left.clone(), right.clone());
                    let name = context.restrict_function_name(clause.opno);
                    let hinted = context
                        .inequality_list_item(name.as_deref(), &clause, false)
                        .expect("estimated")
                        .expect("an inequality");
                    let s2 = context
                        .restriction_selectivity_by(
                            name.as_deref(),
                            clause.opno,
                            &clause.args,
                            clause.inputcollid,
                        )
                        .expect("estimated");
                    let [l, r] = clause.args.as_slice() else {
                        panic!("two operands");
                    };
                    let range = match context.range_side(l, r).expect("walked") {
                        Some((varonleft, true)) => {
                            let var = if varonleft { l } else { r };
                            let is_gt =
                                matches!(name.as_deref(), Some("scalargtsel" | "scalargesel"));
                            Some((var, if is_gt { varonleft } else { !varonleft }))
                        }
                        _ => None,
                    };
                    assert_eq!(hinted.s2.to_bits(), s2.to_bits(), "{clause:?}");
                    assert_eq!(
                        hinted.range.map(|(v, lo)| (v as *const Expr, lo)),
                        range.map(|(v, lo)| (v as *const Expr, lo)),
                        "{clause:?}"
                    );
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 4 * 49);
    }

    /// `like_fixed_prefix` (the prefix borrowed from the pattern until an
    /// escape) reads what the byte-copying reader it replaced read:
    /// status, per-character selectivity and prefix text.
    #[test]
    fn like_prefixes_match_the_copying_reader() {
        fn copying(pattern: &str, case_insensitive: bool) -> (PrefixStatus, u64, Option<String>) {
            let bytes = pattern.as_bytes();
            let mut pos = 0;
            let mut prefix_len = 0;
            let mut text = Vec::new();
            while let Some(&b) = bytes.get(pos) {
                if b == b'%' || b == b'_' {
                    break;
                }
                if b == b'\\' {
                    pos += 1;
                    if pos >= bytes.len() {
                        break;
                    }
                }
                if case_insensitive && bytes.get(pos).is_some_and(u8::is_ascii_alphabetic) {
                    break;
                }
                prefix_len += 1;
                if let Some(&c) = bytes.get(pos) {
                    text.push(c);
                }
                pos += 1;
            }
            let rest_selec = like_selectivity(bytes.get(pos..).unwrap_or_default());
            let status = if pos >= bytes.len() {
                PrefixStatus::Exact
            } else if prefix_len > 0 {
                PrefixStatus::Partial
            } else {
                PrefixStatus::None
            };
            let text = (prefix_len > 0).then(|| String::from_utf8_lossy(&text).into_owned());
            (status, rest_selec.to_bits(), text)
        }
        let patterns = [
            "",
            "%",
            "_",
            "a%",
            "abc%",
            "abc",
            "ab_c%",
            "%abc",
            "a\\%b%",
            "a\\_",
            "\\\\x%",
            "ab\\",
            "\\",
            "é%",
            "aé\\ü_%",
            "12ab%",
            "AB%",
            "1\\a%",
            "x%y%z",
            "__%",
        ];
        for pattern in patterns {
            for case_insensitive in [false, true] {
                let read = like_fixed_prefix(pattern, case_insensitive);
                assert_eq!(
                    (
                        read.status,
                        read.rest_selec.to_bits(),
                        read.text.map(Cow::into_owned)
                    ),
                    copying(pattern, case_insensitive),
                    "{pattern:?} {case_insensitive}"
                );
            }
        }
    }

    /// What is read from a pattern: `Some((status, prefix))`, or `None`
    /// when refused.
    type Read = Option<(PrefixStatus, Option<String>)>;

    fn prefix(pattern: &str, case_insensitive: bool) -> Read {
        regex_fixed_prefix(pattern, case_insensitive)
            .ok()
            .map(|p| (p.status, p.text.map(Cow::into_owned)))
    }

    fn partial(text: &str) -> Read {
        Some((PrefixStatus::Partial, Some(text.to_owned())))
    }

    fn exact(text: &str) -> Read {
        Some((PrefixStatus::Exact, Some(text.to_owned())))
    }

    const NONE: Read = Some((PrefixStatus::None, None));

    /// Each expectation is PostgreSQL 15's, read from the index condition
    /// it derives for `t ~ pattern` over a btree index in a C database
    /// (`t >= prefix AND t < greater`, or `t = prefix` when exact).
    #[test]
    fn regex_prefixes_are_postgres_15s_or_refused() {
        let cases: &[(&str, bool, Read)] = &[
            ("^abc", false, partial("abc")),
            ("^abc$", false, exact("abc")),
            ("^ab*", false, partial("a")),
            ("^ab+c", false, partial("ab")),
            ("^a[bc]", false, partial("a")),
            ("^(?:ab)c", false, partial("abc")),
            ("^a(b)c$", false, exact("abc")),
            ("^(a|b)", false, NONE),
            ("^$", false, exact("")),
            ("^(?:x*)$", false, NONE),
            ("^(?:(a|b).*)$", false, NONE),
            ("^a\\.b", false, partial("a.b")),
            ("^ab?$", false, partial("a")),
            ("^a+$", false, partial("a")),
            ("^a.b", false, partial("a")),
            ("^(?:ab*)c", false, partial("a")),
            ("abc", false, NONE),
            ("%[0-9]%", false, NONE),
            ("^12a", true, partial("12")),
            ("^ABC", true, NONE),
            ("^1\\.2$", true, exact("1.2")),
            ("^1(a|b)", true, partial("1")),
            ("^(?:1_)2", true, partial("1_2")),
            // One-character brackets are that character.
            ("^a[b]c", false, partial("abc")),
            ("^a[.]b", false, partial("a.b")),
            ("^[a]$", false, exact("a")),
            ("^a[]]", false, partial("a]")),
            ("^a[bb]c", false, partial("abc")),
            ("^a[b]*c", false, partial("a")),
            ("^a[b]+c", false, partial("ab")),
            ("^[^a]b", false, NONE),
            ("^1[b]", true, partial("1")),
            ("^[1]2", true, partial("12")),
            ("^1[.]", true, partial("1.")),
            // Class shorthands end the prefix as `.` does.
            ("^ab\\d", false, partial("ab")),
            ("^a\\s", false, partial("a")),
            ("^ab*\\w", false, partial("a")),
            ("^a1*\\d", false, partial("a")),
            ("^ab+\\S", false, partial("ab")),
            ("^\\d", false, NONE),
            ("^a\\W$", false, partial("a")),
            ("^1\\w", true, partial("1")),
            ("^a\\db", false, partial("a")),
            // PostgreSQL's automaton gives "ab", "ac", "xa", "abb", "ab",
            // "ab", nothing and "ab": shapes not read here; nor constraint
            // escapes.
            ("^ab*b", false, None),
            ("^ac+c", false, None),
            ("^x(ab|ac)", false, None),
            ("^ab{2}", false, None),
            ("(^ab)", false, None),
            ("^(?:ab*)b", false, None),
            ("^(ab)*c", false, None),
            ("^ab*[b]", false, None),
            ("^a\\mb", false, None),
            // Not anchored on every branch: PostgreSQL finds no prefix.
            ("^ab|cd", false, None),
        ];
        for (pattern, ci, expected) in cases {
            assert_eq!(&prefix(pattern, *ci), expected, "{pattern} (ci: {ci})");
        }
    }

    #[test]
    fn regex_rest_selectivity_discounts_the_prefix_with_pow() {
        let p = regex_fixed_prefix("^abc.d", false).unwrap_or_else(|e| panic!("{e}"));
        // `^` counts as a fixed character in regex_selectivity_sub.
        let expected = (1.0 * 0.2 * 0.2 * 0.2 * 0.2 * 0.9 * 0.2 * 5.0) / 0.2_f64.powf(3.0);
        assert_eq!(p.rest_selec, expected.clamp(0.0, 1.0));
    }
}
