//! Distribution of conditions to relations and joins (`deconstruct_jointree`,
//! `distribute_qual_to_rels`) with the equivalence-class effects
//! (`process_equivalence`, `reconsider_outer_join_clauses`,
//! `generate_base_implied_equalities`, `generate_join_implied_equalities`).

use std::collections::BTreeMap;
use std::sync::Arc;

use fdw_catalog::builtin::BTREE_AM_OID;
use fdw_catalog::catalog::Catalog;
use fdw_core::expr::{BoolExprType, Expr, ExprList, NullTest, NullTestType, OpExpr};
use fdw_core::query::{FromExpr, JoinTreeNode, JoinType, Query, RteKind};
use fdw_core::{Oid, RelIndex};

use super::reduce::{flatten_join_alias_vars, node_relids};
use super::strict::{
    contain_nonstrict, contain_volatile, expr_relids, forced_null_var, nonnullable_rels, op_strict,
};
use super::{
    EcMember, EquivalenceClass, ImpliedEquality, JoinClauseSource, JoinOperatorMemo, JoinQuals,
    OuterJoinRef, QualPlacement, Relids, RestrictClause,
};
use crate::error::{Error, Result};

/// btree's equality strategy number.
const BT_EQUAL: i16 = 3;
/// The deepest join tree handled.
const MAX_JOIN_DEPTH: usize = fdw_core::expr::DEFAULT_MAX_DEPTH;

/// Places every `WHERE` / `ON` condition of `query` (after
/// [`super::reduce_outer_joins`]) as PostgreSQL 15's planner does:
///
/// * conditions are taken bottom-up through the join tree (a join's inputs
///   before its own `ON`, the items of a `FROM` list before its `WHERE`),
///   each condition's items in written order;
/// * a condition goes to the single relation it references as a base
///   restriction, or to the lowest join containing all its relations;
/// * an outer join's `ON` condition that references its non-nullable side
///   stays a join condition of exactly that join; one referencing only the
///   nullable side is pushed down to that side; a condition above an outer
///   join that references its nullable side waits for that join
///   (`outerjoin_delayed`) and never moves below it; `b.x IS NULL` made
///   redundant by an anti join is dropped;
/// * conditions without column references and without volatile functions
///   are [`QualPlacement::pseudoconstant`];
/// * mergejoinable equalities not delayed by outer joins form equivalence
///   classes: a class with a constant yields `member = const` for every
///   member (a lone `x = const` keeps its written form), placed after the
///   relation's other conditions; a class without one yields equalities
///   between members of the same relation, and join equalities are rebuilt
///   per join ([`QualPlacement::join_clauses`]); an outer join's
///   `outer = inner` condition whose outer side equals a constant also
///   yields `inner = const` on the nullable side.
///
/// # Errors
///
/// [`Error::TooDeep`] for trees nested too deeply; [`Error::Internal`] for a
/// malformed tree.
pub fn place_quals(catalog: &Catalog, query: &Query) -> Result<QualPlacement> {
    let flattened;
    // The copy is only made when flattening changes something: the
    // prepared query (`prepare_query`) is flattened already.
    let query = if query
        .rtable
        .iter()
        .any(|rte| matches!(rte.kind, RteKind::Join { .. }))
        && super::reduce::has_join_alias_vars(query)
    {
        let mut copy = query.clone();
        flatten_join_alias_vars(&mut copy)?;
        flattened = copy;
        &flattened
    } else {
        query
    };
    let mut placer = Placer {
        catalog,
        all_rels: from_relids(&query.jointree),
        base: BTreeMap::new(),
        join_log: Vec::new(),
        nodes: Vec::new(),
        pseudo: Vec::new(),
        ojs: Vec::new(),
        ecs: Vec::new(),
        deferred: Vec::new(),
        families: std::cell::Cell::new(Vec::new()),
    };
    placer.deconstruct_from(&query.jointree, false, 0)?;
    placer.reconsider_outer_join_clauses()?;
    placer.generate_base_implied_equalities()?;
    Ok(placer.finish())
}

fn from_relids(from: &FromExpr) -> Relids {
    let mut out = Relids::new();
    for item in &from.fromlist {
        out.union_with(&node_relids(item));
    }
    out
}

fn is_subset(a: &Relids, b: &Relids) -> bool {
    a.is_subset(b)
}

fn overlaps(a: &Relids, b: &Relids) -> bool {
    a.overlaps(b)
}

fn union(a: &Relids, b: &Relids) -> Relids {
    a.union(b)
}

/// The items of an implicitly ANDed condition.
fn and_items(expr: &Expr) -> Vec<&Expr> {
    match expr {
        Expr::BoolExpr(b) if b.boolop == BoolExprType::And => b.args.iter().collect(),
        other => vec![other],
    }
}

/// An outer or semi join already seen (`SpecialJoinInfo`).
#[derive(Debug, Clone)]
struct OjInfo {
    jointype: JoinType,
    min_left: Relids,
    min_right: Relids,
    syn_left: Relids,
    syn_right: Relids,
    lhs_strict: bool,
}

/// Which list a held-back outer-join equality waits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Held {
    /// `outer = inner`.
    Left,
    /// `inner = outer`.
    Right,
    /// Either side of a FULL join.
    Full,
}

/// An equivalence class under construction, with its source conditions.
#[derive(Debug, Clone)]
struct Ec {
    class: EquivalenceClass,
    sources: Vec<RestrictClause>,
}

/// A join of the join tree, as recorded on the way up.
#[derive(Debug, Clone)]
struct Node {
    quals: JoinQuals,
    relids: Relids,
}

struct Placer<'a> {
    catalog: &'a Catalog,
    all_rels: Relids,
    base: BTreeMap<RelIndex, Vec<RestrictClause>>,
    /// Conditions needing more than one relation, in distribution order.
    join_log: Vec<RestrictClause>,
    nodes: Vec<Node>,
    pseudo: Vec<Expr>,
    ojs: Vec<OjInfo>,
    ecs: Vec<Ec>,
    deferred: Vec<(Held, RestrictClause, bool)>,
    /// [`Placer::opfamilies`] answers by operator: each equality is asked
    /// about two or three times (mergejoinable, its classes), and the
    /// catalog's answer is a fresh list each time. (A `Cell` taken and put
    /// back, since the askers hold `&self`.)
    families: std::cell::Cell<Vec<(Oid, Vec<Oid>)>>,
}

/// How a level of the join tree hands its conditions to [`Placer::distribute`].
struct Level<'a> {
    below_outer_join: bool,
    jointype: JoinType,
    qualscope: &'a Relids,
    ojscope: Option<&'a Relids>,
    nonnullable: Option<&'a Relids>,
    outer_join: Option<OuterJoinRef>,
}

impl Placer<'_> {
    fn deconstruct(
        &mut self,
        node: &JoinTreeNode,
        below_outer_join: bool,
        depth: usize,
    ) -> Result<(Relids, Relids)> {
        if depth > MAX_JOIN_DEPTH {
            return Err(Error::TooDeep {
                limit: MAX_JOIN_DEPTH,
            });
        }
        match node {
            JoinTreeNode::RangeTblRef(r) => Ok((Relids::from([*r]), Relids::new())),
            JoinTreeNode::From(f) => self.deconstruct_from(f, below_outer_join, depth + 1),
            JoinTreeNode::Join(j) => {
                let (left, left_inner, right, right_inner, nonnullable_left_only) = match j.jointype
                {
                    JoinType::Inner | JoinType::Semi | JoinType::RightSemi => {
                        let (l, li) = self.deconstruct(&j.larg, below_outer_join, depth + 1)?;
                        let (r, ri) = self.deconstruct(&j.rarg, below_outer_join, depth + 1)?;
                        (l, li, r, ri, None)
                    }
                    JoinType::Left | JoinType::Anti => {
                        let (l, li) = self.deconstruct(&j.larg, below_outer_join, depth + 1)?;
                        let (r, ri) = self.deconstruct(&j.rarg, true, depth + 1)?;
                        (l, li, r, ri, Some(true))
                    }
                    JoinType::Right | JoinType::RightAnti => {
                        let (l, li) = self.deconstruct(&j.larg, true, depth + 1)?;
                        let (r, ri) = self.deconstruct(&j.rarg, below_outer_join, depth + 1)?;
                        (l, li, r, ri, Some(false))
                    }
                    JoinType::Full => {
                        let (l, li) = self.deconstruct(&j.larg, true, depth + 1)?;
                        let (r, ri) = self.deconstruct(&j.rarg, true, depth + 1)?;
                        (l, li, r, ri, None)
                    }
                };
                let qualscope = union(&left, &right);
                let inner_join_rels = if j.jointype == JoinType::Inner {
                    qualscope.clone()
                } else {
                    union(&left_inner, &right_inner)
                };
                let nonnullable = match (j.jointype, nonnullable_left_only) {
                    (JoinType::Full, _) => Some(qualscope.clone()),
                    (_, Some(true)) => Some(left.clone()),
                    (_, Some(false)) => Some(right.clone()),
                    (_, None) => None,
                };
                let quals: Vec<&Expr> = j.quals.iter().flat_map(and_items).collect();
                let oj = if j.jointype == JoinType::Inner {
                    None
                } else {
                    Some(self.make_outerjoininfo(
                        &left,
                        &right,
                        &inner_join_rels,
                        j.jointype,
                        &quals,
                    )?)
                };
                let ojscope = match &oj {
                    Some(info) if !matches!(j.jointype, JoinType::Semi | JoinType::RightSemi) => {
                        Some(union(&info.min_left, &info.min_right))
                    }
                    _ => None,
                };
                let outer_join = oj.as_ref().map(|_| OuterJoinRef {
                    jointype: j.jointype,
                    rtindex: j.rtindex,
                    left: left.clone(),
                    right: right.clone(),
                });
                let level = Level {
                    below_outer_join,
                    jointype: j.jointype,
                    qualscope: &qualscope,
                    ojscope: ojscope.as_ref(),
                    nonnullable: nonnullable.as_ref(),
                    outer_join,
                };
                for qual in quals {
                    self.distribute(qual, &level)?;
                }
                let (min_left, min_right) = oj
                    .as_ref()
                    .map(|o| (o.min_left.clone(), o.min_right.clone()))
                    .unwrap_or_default();
                let lhs_strict = oj.as_ref().is_some_and(|o| o.lhs_strict);
                if let Some(info) = oj {
                    self.ojs.push(info);
                }
                self.nodes.push(Node {
                    quals: JoinQuals {
                        jointype: j.jointype,
                        rtindex: j.rtindex,
                        inputs: vec![left, right],
                        min_left,
                        min_right,
                        clauses: Vec::new(),
                        lhs_strict,
                    },
                    relids: qualscope.clone(),
                });
                Ok((qualscope, inner_join_rels))
            }
        }
    }

    fn deconstruct_from(
        &mut self,
        from: &FromExpr,
        below_outer_join: bool,
        depth: usize,
    ) -> Result<(Relids, Relids)> {
        let mut qualscope = Relids::new();
        let mut inner = Relids::new();
        let mut inputs = Vec::new();
        for item in &from.fromlist {
            let (scope, item_inner) = self.deconstruct(item, below_outer_join, depth + 1)?;
            qualscope.union_with(&scope);
            inner = item_inner;
            inputs.push(scope);
        }
        if from.fromlist.len() > 1 {
            inner = qualscope.clone();
            self.nodes.push(Node {
                quals: JoinQuals {
                    jointype: JoinType::Inner,
                    rtindex: None,
                    inputs,
                    min_left: Relids::new(),
                    min_right: Relids::new(),
                    clauses: Vec::new(),
                    lhs_strict: false,
                },
                relids: qualscope.clone(),
            });
        }
        let level = Level {
            below_outer_join,
            jointype: JoinType::Inner,
            qualscope: &qualscope,
            ojscope: None,
            nonnullable: None,
            outer_join: None,
        };
        for qual in from.quals.iter().flat_map(and_items) {
            self.distribute(qual, &level)?;
        }
        Ok((qualscope, inner))
    }

    /// The minimal sides an outer join needs (`make_outerjoininfo`).
    fn make_outerjoininfo(
        &self,
        left: &Relids,
        right: &Relids,
        inner_join_rels: &Relids,
        jointype: JoinType,
        quals: &[&Expr],
    ) -> Result<OjInfo> {
        let mut clause_relids = Relids::new();
        let mut strict_relids = Relids::new();
        for qual in quals {
            clause_relids.union_with(&expr_relids(qual)?);
            strict_relids.union_with(&nonnullable_rels(self.catalog, qual));
        }
        let lhs_strict = overlaps(&strict_relids, left);
        if jointype == JoinType::Full {
            return Ok(OjInfo {
                jointype,
                min_left: left.clone(),
                min_right: right.clone(),
                syn_left: left.clone(),
                syn_right: right.clone(),
                lhs_strict,
            });
        }
        let mut min_left: Relids = clause_relids.intersection(left);
        let mut min_right: Relids = union(&clause_relids, inner_join_rels).intersection(right);
        let semi_or_anti = matches!(jointype, JoinType::Semi | JoinType::Anti);
        for other in &self.ojs {
            let other_all = union(&other.syn_left, &other.syn_right);
            if other.jointype == JoinType::Full {
                if overlaps(left, &other_all) {
                    min_left.union_with(&other_all);
                }
                if overlaps(right, &other_all) {
                    min_right.union_with(&other_all);
                }
                continue;
            }
            if overlaps(left, &other.syn_right)
                && overlaps(&clause_relids, &other.syn_right)
                && (semi_or_anti || !overlaps(&strict_relids, &other.min_right))
            {
                min_left.union_with(&other_all);
            }
            if overlaps(right, &other.syn_right)
                && (overlaps(&clause_relids, &other.syn_right)
                    || !overlaps(&clause_relids, &other.min_left)
                    || semi_or_anti
                    || matches!(other.jointype, JoinType::Semi | JoinType::Anti)
                    || !other.lhs_strict)
            {
                min_right.union_with(&other_all);
            }
        }
        if min_left.is_empty() {
            min_left = left.clone();
        }
        if min_right.is_empty() {
            min_right = right.clone();
        }
        Ok(OjInfo {
            jointype,
            min_left,
            min_right,
            syn_left: left.clone(),
            syn_right: right.clone(),
            lhs_strict,
        })
    }

    /// Widens `relids` to every lower outer join whose nullable side it
    /// references (`check_outerjoin_delay`).
    fn outerjoin_delay(&self, relids: &Relids) -> (Relids, bool) {
        let mut relids = relids.clone();
        let mut delayed = false;
        loop {
            let mut grew = false;
            for oj in &self.ojs {
                let nulls_it = overlaps(&relids, &oj.min_right)
                    || (oj.jointype == JoinType::Full && overlaps(&relids, &oj.min_left));
                if nulls_it {
                    if !is_subset(&oj.min_left, &relids) || !is_subset(&oj.min_right, &relids) {
                        relids.union_with(&oj.min_left);
                        relids.union_with(&oj.min_right);
                        grew = true;
                    }
                    delayed = true;
                }
            }
            if !grew {
                return (relids, delayed);
            }
        }
    }

    /// `b.x IS NULL` on the nullable side of a lower anti join is always
    /// true there (`check_redundant_nullability_qual`).
    fn redundant_nullability(&self, clause: &Expr) -> bool {
        forced_null_var(clause).is_some_and(|(varno, _)| {
            self.ojs
                .iter()
                .any(|oj| oj.jointype == JoinType::Anti && oj.syn_right.contains(varno))
        })
    }

    fn distribute(&mut self, clause: &Expr, level: &Level<'_>) -> Result<()> {
        let clause_relids = expr_relids(clause)?;
        let mut relids = clause_relids.clone();
        if relids.is_empty() {
            if let Some(scope) = level.ojscope {
                relids = scope.clone();
            } else if !contain_volatile(self.catalog, clause)? {
                self.pseudo.push(clause.clone());
                return Ok(());
            } else {
                relids = if level.below_outer_join {
                    level.qualscope.clone()
                } else {
                    self.all_rels.clone()
                };
            }
        }
        let mut below_outer_join = level.below_outer_join;
        let is_oj_clause = level
            .nonnullable
            .is_some_and(|nonnullable| overlaps(&relids, nonnullable));
        let (required, is_pushed_down, delayed, maybe_equivalence) = if is_oj_clause {
            let (_, delayed) = self.outerjoin_delay(&relids);
            let required = level.ojscope.cloned().unwrap_or(relids);
            (required, false, delayed, false)
        } else {
            let (required, delayed) = self.outerjoin_delay(&relids);
            if delayed && self.redundant_nullability(clause) {
                return Ok(());
            }
            if !delayed && level.nonnullable.is_some() {
                below_outer_join = true;
            }
            (required, true, delayed, !delayed)
        };
        let rc = RestrictClause {
            expr: Arc::new(clause.clone()),
            clause_relids,
            required_relids: required,
            from_ec: false,
            is_pushed_down,
            outerjoin_delayed: delayed,
            outer_join: if is_pushed_down {
                None
            } else {
                level.outer_join.clone()
            },
        };
        if let Some(sides) = self.mergejoinable(clause)? {
            if maybe_equivalence {
                if let Some(not_null) = self.self_equality_not_null(clause) {
                    self.distribute_to_rels(RestrictClause {
                        expr: Arc::new(not_null),
                        ..rc
                    });
                    return Ok(());
                }
                // The clause moves into its class when it is taken there
                // (one copy fewer per equality); otherwise it comes back.
                let Some(rc) = self.process_equivalence(rc, below_outer_join, Some(sides))? else {
                    return Ok(());
                };
                self.initialize_mergeclause_eclasses(clause);
                self.distribute_to_rels(rc);
                return Ok(());
            } else {
                // Even a clause kept out of the classes gets (possibly
                // one-member) classes for its sides, which fixes where later
                // deductions about those expressions sit in the class order.
                self.initialize_mergeclause_eclasses(clause);
                let (left_relids, right_relids) = &sides;
                let can_join = !left_relids.is_empty()
                    && !right_relids.is_empty()
                    && !overlaps(left_relids, right_relids);
                if let (true, true, Some(nonnullable)) = (is_oj_clause, can_join, level.nonnullable)
                {
                    let held = if is_subset(left_relids, nonnullable)
                        && !overlaps(right_relids, nonnullable)
                    {
                        Some(Held::Left)
                    } else if is_subset(right_relids, nonnullable)
                        && !overlaps(left_relids, nonnullable)
                    {
                        Some(Held::Right)
                    } else if level.jointype == JoinType::Full {
                        Some(Held::Full)
                    } else {
                        None
                    };
                    if let Some(held) = held {
                        self.deferred.push((held, rc, false));
                        return Ok(());
                    }
                }
            }
        }
        self.distribute_to_rels(rc);
        Ok(())
    }

    /// Makes sure each side of a mergejoinable clause belongs to a class,
    /// creating one-member classes (`initialize_mergeclause_eclasses`).
    fn initialize_mergeclause_eclasses(&mut self, clause: &Expr) {
        let Expr::OpExpr(op) = clause else { return };
        let Some(info) = self.catalog.operator_info(op.opno) else {
            return;
        };
        let opfamilies = self.opfamilies(op.opno);
        for (item, datatype) in op.args.iter().zip([info.left, info.right]) {
            let known = self.ecs.iter().any(|ec| {
                ec.class.opfamilies == opfamilies
                    && ec.class.collation == op.inputcollid
                    && ec.class.members.iter().any(|m| {
                        !(ec.class.below_outer_join && m.relids.is_empty()) && m.expr == *item
                    })
            });
            if known {
                continue;
            }
            let relids = expr_relids(item).unwrap_or_default();
            self.ecs.push(Ec {
                class: EquivalenceClass {
                    members: vec![EcMember {
                        expr: item.clone(),
                        relids,
                        datatype,
                    }],
                    opfamilies: opfamilies.clone(),
                    collation: op.inputcollid,
                    below_outer_join: false,
                    source_op: op.opno,
                },
                sources: Vec::new(),
            });
        }
    }

    /// A binary operator clause whose operator is a btree equality that can
    /// merge, with nothing volatile (`check_mergejoinable`): the relations of
    /// its two operands.
    fn mergejoinable(&self, clause: &Expr) -> Result<Option<(Relids, Relids)>> {
        let Expr::OpExpr(op) = clause else {
            return Ok(None);
        };
        let [left, right] = op.args.as_slice() else {
            return Ok(None);
        };
        let can_merge = self
            .catalog
            .operator_info(op.opno)
            .is_some_and(|info| info.can_merge);
        if !can_merge || !self.has_opfamilies(op.opno) {
            return Ok(None);
        }
        if contain_volatile(self.catalog, clause)? {
            return Ok(None);
        }
        Ok(Some((expr_relids(left)?, expr_relids(right)?)))
    }

    /// The btree families in which `opno` is the equality.
    fn opfamilies(&self, opno: Oid) -> Vec<Oid> {
        self.with_opfamilies(opno, <[Oid]>::to_vec)
    }

    /// Whether `opno` is the equality of some btree family.
    fn has_opfamilies(&self, opno: Oid) -> bool {
        self.with_opfamilies(opno, |families| !families.is_empty())
    }

    /// `f` of [`Placer::opfamilies`]'s answer, remembered per operator (the
    /// catalog does not change while conditions are placed).
    fn with_opfamilies<T>(&self, opno: Oid, f: impl FnOnce(&[Oid]) -> T) -> T {
        let mut memo = self.families.take();
        let position = match memo.iter().position(|(o, _)| *o == opno) {
            Some(position) => position,
            None => {
                memo.push((opno, self.opfamilies_uncached(opno)));
                memo.len() - 1
            }
        };
        let answer = f(memo.get(position).map_or(&[], |(_, families)| families));
        self.families.set(memo);
        answer
    }

    fn opfamilies_uncached(&self, opno: Oid) -> Vec<Oid> {
        // Through the catalog, not only the built-in data: an extension's
        // equality (cube's `=`) belongs to the extension's btree family.
        let mut out: Vec<Oid> = self
            .catalog
            .amops_of_operator(opno)
            .into_iter()
            .filter(|a| a.method == BTREE_AM_OID && a.strategy == BT_EQUAL)
            .map(|a| a.family)
            .collect();
        out.sort();
        out.dedup();
        out
    }

    fn distribute_to_rels(&mut self, rc: RestrictClause) {
        let mut single = rc.required_relids.iter();
        match (single.next(), single.next()) {
            // Room for a typical relation's conditions at once: growing a
            // list of these large entries one by one copies them each time.
            (Some(rel), None) => self
                .base
                .entry(rel)
                .or_insert_with(|| Vec::with_capacity(8))
                .push(rc),
            _ => self.join_log.push(rc),
        }
    }

    /// `X = X` with a strict operator, which cannot be an equivalence, is
    /// `X IS NOT NULL` (`process_equivalence`'s first rejection, before the
    /// outer-join strictness checks; `argisrow` false even for a composite
    /// `X`). The caller has checked that the clause is mergejoinable.
    fn self_equality_not_null(&self, clause: &Expr) -> Option<Expr> {
        let Expr::OpExpr(op) = clause else {
            return None;
        };
        let [left, right] = op.args.as_slice() else {
            return None;
        };
        if left != right || !op_strict(self.catalog, op) {
            return None;
        }
        Some(Expr::NullTest(Box::new(NullTest {
            arg: left.clone(),
            nulltesttype: NullTestType::IsNotNull,
            argisrow: false,
        })))
    }

    /// Puts `left = right` into the equivalence classes
    /// (`process_equivalence`), where the clause then belongs (`None`); the
    /// clause back when it cannot be used that way. `sides` are the
    /// relations of its two operands when the caller has them already
    /// ([`Placer::mergejoinable`]'s answer for the same clause).
    fn process_equivalence(
        &mut self,
        rc: RestrictClause,
        below_outer_join: bool,
        sides: Option<(Relids, Relids)>,
    ) -> Result<Option<RestrictClause>> {
        let Expr::OpExpr(op) = &*rc.expr else {
            return Ok(Some(rc));
        };
        let [left, right] = op.args.as_slice() else {
            return Ok(Some(rc));
        };
        let Some(info) = self.catalog.operator_info(op.opno) else {
            return Ok(Some(rc));
        };
        let (left_relids, right_relids) = match sides {
            Some(sides) => sides,
            None => (expr_relids(left)?, expr_relids(right)?),
        };
        if below_outer_join
            && ((!left_relids.is_empty() && contain_nonstrict(self.catalog, left)?)
                || (!right_relids.is_empty() && contain_nonstrict(self.catalog, right)?))
        {
            return Ok(Some(rc));
        }
        if left == right {
            return Ok(Some(rc));
        }
        let opfamilies = self.opfamilies(op.opno);
        let collation = op.inputcollid;
        let source_op = op.opno;
        let find = |ecs: &[Ec], item: &Expr, item_relids: &Relids| -> Option<usize> {
            ecs.iter().position(|ec| {
                ec.class.opfamilies == opfamilies
                    && ec.class.collation == collation
                    && ec.class.members.iter().any(|m| {
                        let is_const = m.relids.is_empty();
                        // Constants below an outer join are not as constant as
                        // they look: they are never merged across.
                        !(is_const && (below_outer_join || ec.class.below_outer_join))
                            && m.relids == *item_relids
                            && m.expr == *item
                    })
            })
        };
        let ec1 = find(&self.ecs, left, &left_relids);
        let ec2 = find(&self.ecs, right, &right_relids);
        let member = |expr: &Expr, relids: Relids, datatype: Oid| EcMember {
            expr: expr.clone(),
            relids,
            datatype,
        };
        match (ec1, ec2) {
            (Some(a), Some(b)) if a == b => {
                self.ecs[a].sources.push(rc);
            }
            (Some(a), Some(b)) => {
                let merged = self.ecs.remove(b);
                let a = if b < a { a - 1 } else { a };
                let target = &mut self.ecs[a];
                target.class.members.extend(merged.class.members);
                target.sources.extend(merged.sources);
                target.class.below_outer_join |= merged.class.below_outer_join || below_outer_join;
                target.sources.push(rc);
            }
            (Some(a), None) => {
                let target = &mut self.ecs[a];
                target
                    .class
                    .members
                    .push(member(right, right_relids, info.right));
                target.class.below_outer_join |= below_outer_join;
                target.sources.push(rc);
            }
            (None, Some(b)) => {
                let target = &mut self.ecs[b];
                target
                    .class
                    .members
                    .push(member(left, left_relids, info.left));
                target.class.below_outer_join |= below_outer_join;
                target.sources.push(rc);
            }
            (None, None) => {
                let members = vec![
                    member(left, left_relids, info.left),
                    member(right, right_relids, info.right),
                ];
                self.ecs.push(Ec {
                    class: EquivalenceClass {
                        members,
                        opfamilies,
                        collation,
                        below_outer_join,
                        source_op,
                    },
                    sources: vec![rc],
                });
            }
        }
        Ok(None)
    }

    /// Uses held-back outer-join equalities `outer = inner` whose outer side
    /// equals a constant to derive `inner = const`, then puts them all back
    /// as join conditions (`reconsider_outer_join_clauses`).
    fn reconsider_outer_join_clauses(&mut self) -> Result<()> {
        loop {
            let mut found = false;
            for held in [Held::Left, Held::Right] {
                for index in 0..self.deferred.len() {
                    let (kind, rc, done) = &self.deferred[index];
                    if *kind != held || *done {
                        continue;
                    }
                    let rc = rc.clone();
                    if self.derive_from_outer_join_clause(&rc, held)? {
                        self.deferred[index].2 = true;
                        self.distribute_to_rels(rc);
                        found = true;
                    }
                }
            }
            if !found {
                break;
            }
        }
        let mut remaining: Vec<(Held, RestrictClause, bool)> = std::mem::take(&mut self.deferred);
        remaining.retain(|(_, _, done)| !*done);
        remaining.sort_by_key(|(held, _, _)| *held);
        for (_, rc, _) in remaining {
            self.distribute_to_rels(rc);
        }
        Ok(())
    }

    fn derive_from_outer_join_clause(&mut self, rc: &RestrictClause, held: Held) -> Result<bool> {
        let Expr::OpExpr(op) = &*rc.expr else {
            return Ok(false);
        };
        let [left, right] = op.args.as_slice() else {
            return Ok(false);
        };
        let Some(info) = self.catalog.operator_info(op.opno) else {
            return Ok(false);
        };
        let (outer, inner, inner_type) = match held {
            Held::Left => (left, right, info.right),
            Held::Right => (right, left, info.left),
            Held::Full => return Ok(false),
        };
        let opfamilies = self.opfamilies(op.opno);
        let mut derived = Vec::new();
        for ec in &self.ecs {
            if !ec.class.has_const()
                || ec.class.collation != op.inputcollid
                || ec.class.opfamilies != opfamilies
                || !ec.class.members.iter().any(|m| m.expr == *outer)
            {
                continue;
            }
            for constant in ec.class.members.iter().filter(|m| m.relids.is_empty()) {
                let eq = self.select_equality_operator(&ec.class, inner_type, constant.datatype);
                derived.push(self.make_eq(
                    eq,
                    inner.clone(),
                    constant.expr.clone(),
                    op.inputcollid,
                ));
            }
        }
        let inner_relids = expr_relids(inner)?;
        let mut matched = false;
        for clause in derived {
            let new_rc = RestrictClause {
                expr: Arc::new(clause),
                clause_relids: inner_relids.clone(),
                required_relids: inner_relids.clone(),
                from_ec: true,
                is_pushed_down: true,
                outerjoin_delayed: false,
                outer_join: None,
            };
            if self.process_equivalence(new_rc, true, None)?.is_none() {
                matched = true;
            }
        }
        Ok(matched)
    }

    /// The equality operator of `ec`'s families for the operand types
    /// (`select_equality_operator`), falling back to the class's source
    /// operator or its commutator.
    fn select_equality_operator(&self, ec: &EquivalenceClass, left: Oid, right: Oid) -> Oid {
        for family in &ec.opfamilies {
            if let Some(amop) = self.catalog.amop(*family, left, right, BT_EQUAL) {
                return amop.operator;
            }
        }
        if let Some(info) = self.catalog.operator_info(ec.source_op) {
            if info.left != right && info.right != left && !info.commutator.is_invalid() {
                return info.commutator;
            }
        }
        ec.source_op
    }

    fn make_eq(&self, opno: Oid, left: Expr, right: Expr, inputcollid: Oid) -> Expr {
        let opfuncid = self
            .catalog
            .operator_info(opno)
            .map_or(Oid::INVALID, |info| info.code);
        Expr::OpExpr(Box::new(OpExpr {
            opno,
            opfuncid,
            opresulttype: Oid::BOOL_TYPE,
            opretset: false,
            opcollid: Oid::INVALID,
            inputcollid,
            args: [left, right].into_iter().collect(),
        }))
    }

    /// `member = const` for classes with a constant, equalities between
    /// members of one relation otherwise (`generate_base_implied_equalities`).
    fn generate_base_implied_equalities(&mut self) -> Result<()> {
        // The classes are taken out for the loop (other fields change
        // meanwhile) and put back, not copied.
        let mut ecs = std::mem::take(&mut self.ecs);
        self.generate_from_classes(&mut ecs);
        self.ecs = ecs;
        Ok(())
    }

    /// The work of [`Placer::generate_base_implied_equalities`]. This is
    /// the last use of the classes' source clauses (only the classes
    /// themselves are kept in the placement), so a kept source is moved out
    /// of its class rather than copied.
    fn generate_from_classes(&mut self, ecs: &mut [Ec]) {
        for ec in ecs.iter_mut() {
            let members = &ec.class.members;
            if members.len() <= 1 {
                continue;
            }
            if ec.class.has_const() {
                if let ([_, _], [source]) = (members.as_slice(), ec.sources.as_slice()) {
                    if source.required_relids.len() <= 1 {
                        if let Some(mut kept) = ec.sources.pop() {
                            kept.from_ec = true;
                            self.distribute_to_rels(kept);
                        }
                        continue;
                    }
                }
                let constant = members
                    .iter()
                    .filter(|m| m.relids.is_empty())
                    .find(|m| matches!(m.expr, Expr::Const(_)))
                    .or_else(|| members.iter().find(|m| m.relids.is_empty()));
                let Some(constant) = constant else { continue };
                for other in members
                    .iter()
                    .filter(|m| m.relids.is_empty() && !std::ptr::eq(*m, constant))
                {
                    // Two constants claimed equal: a gating condition.
                    let eq =
                        self.select_equality_operator(&ec.class, other.datatype, constant.datatype);
                    let clause = match constants_equal(&other.expr, &constant.expr) {
                        Some(true) => continue,
                        Some(false) => super::canon::bool_const(false),
                        None => self.make_eq(
                            eq,
                            other.expr.clone(),
                            constant.expr.clone(),
                            ec.class.collation,
                        ),
                    };
                    self.pseudo.push(clause);
                }
                for member in members.iter().filter(|m| !m.relids.is_empty()) {
                    let eq = self.select_equality_operator(
                        &ec.class,
                        member.datatype,
                        constant.datatype,
                    );
                    let expr = self.make_eq(
                        eq,
                        member.expr.clone(),
                        constant.expr.clone(),
                        ec.class.collation,
                    );
                    self.distribute_to_rels(RestrictClause {
                        expr: Arc::new(expr),
                        clause_relids: member.relids.clone(),
                        required_relids: member.relids.clone(),
                        from_ec: true,
                        is_pushed_down: true,
                        outerjoin_delayed: false,
                        outer_join: None,
                    });
                }
            } else {
                let mut previous: BTreeMap<RelIndex, &EcMember> = BTreeMap::new();
                for member in members {
                    let mut rels = member.relids.iter();
                    let (Some(rel), None) = (rels.next(), rels.next()) else {
                        continue;
                    };
                    if let Some(prev) = previous.get(&rel) {
                        let eq = self.select_equality_operator(
                            &ec.class,
                            prev.datatype,
                            member.datatype,
                        );
                        let expr = self.make_eq(
                            eq,
                            prev.expr.clone(),
                            member.expr.clone(),
                            ec.class.collation,
                        );
                        self.distribute_to_rels(RestrictClause {
                            expr: Arc::new(expr),
                            clause_relids: member.relids.clone(),
                            required_relids: member.relids.clone(),
                            from_ec: true,
                            is_pushed_down: true,
                            outerjoin_delayed: false,
                            outer_join: None,
                        });
                    }
                    previous.insert(rel, member);
                }
            }
        }
    }

    fn finish(self) -> QualPlacement {
        let Placer {
            base,
            join_log,
            mut nodes,
            pseudo,
            ecs,
            ..
        } = self;
        for rc in join_log {
            let position = nodes
                .iter()
                .position(|node| is_subset(&rc.required_relids, &node.relids));
            let target = position.or_else(|| nodes.len().checked_sub(1));
            if let Some(index) = target {
                nodes[index].quals.clauses.push(rc);
            }
        }
        QualPlacement {
            base,
            joins: nodes.into_iter().map(|n| n.quals).collect(),
            pseudoconstant: pseudo,
            equivalence_classes: ecs.into_iter().map(|ec| ec.class).collect(),
        }
    }
}

/// See [`QualPlacement::join_clause_sources`]: the sources appended to
/// `out` (empty on entry, as the duplicate check reads it).
pub(crate) fn join_clause_sources<'a>(
    placement: &'a QualPlacement,
    catalog: &Catalog,
    outer: &Relids,
    inner: &Relids,
    memo: &mut JoinOperatorMemo,
    out: &mut Vec<JoinClauseSource<'a>>,
) {
    let both = union(outer, inner);
    // The lists below are walked in place rather than collected, since
    // this runs for every pair the join search considers.
    let shortcuts = memo.shortcuts;
    let facts = memo
        .facts
        .take()
        .unwrap_or_else(|| PlacementFacts::of(placement));
    // (Without placed join clauses the two walks below find nothing.)
    let sides: &[&Relids] = if shortcuts && !facts.placed_join_clauses {
        &[]
    } else {
        &[outer, inner]
    };
    for &side in sides {
        for rc in placement.joins.iter().flat_map(|j| j.clauses.iter()) {
            let fits = is_subset(&rc.required_relids, &both)
                && !is_subset(&rc.required_relids, outer)
                && !is_subset(&rc.required_relids, inner)
                && overlaps(&rc.required_relids, side);
            // Equal clauses are listed once (by value, as the clauses
            // themselves were compared before sources were introduced).
            let listed = || {
                out.iter()
                    .any(|s| matches!(s, JoinClauseSource::Placed(p) if *p == rc))
            };
            if fits && !listed() {
                out.push(JoinClauseSource::Placed(rc));
            }
        }
    }
    let within = |side: &Relids, m: &EcMember| !m.relids.is_empty() && is_subset(&m.relids, side);
    // With the shortcuts, only the classes without a constant (which the
    // loop would skip at once): a query has a class per `col = const`.
    let every_class: Vec<usize>;
    let class_list: &[usize] = if shortcuts {
        &facts.open_classes
    } else {
        every_class = (0..placement.equivalence_classes.len()).collect();
        &every_class
    };
    for &class in class_list {
        let Some(ec) = placement.equivalence_classes.get(class) else {
            continue;
        };
        let class_facts = facts.classes.get(class);
        if class_facts.map_or_else(|| ec.has_const(), |f| f.has_const) {
            continue;
        }
        // A class whose members' relations miss a side has no member
        // within it, nor one over relations of both sides: nothing below
        // would be found.
        if shortcuts
            && class_facts
                .is_some_and(|f| !overlaps(&f.relids, outer) || !overlaps(&f.relids, inner))
        {
            continue;
        }
        let mut best: Option<(i32, usize, usize, Oid)> = None;
        'search: for (oi, o) in ec.members.iter().enumerate() {
            if !within(outer, o) {
                continue;
            }
            for (ii, i) in ec.members.iter().enumerate() {
                if !within(inner, i) {
                    continue;
                }
                let (op, hashable) = memo.operator(catalog, class, ec, o.datatype, i.datatype);
                let score = i32::from(is_simple_var(&o.expr))
                    + i32::from(is_simple_var(&i.expr))
                    + i32::from(hashable);
                if best.as_ref().is_none_or(|(s, ..)| score > *s) {
                    best = Some((score, oi, ii, op));
                    if score == 3 {
                        break 'search;
                    }
                }
            }
        }
        if let Some((_, left, right, op)) = best {
            out.push(JoinClauseSource::Implied(ImpliedEquality {
                class,
                left,
                right,
                op,
            }));
        }
        // Members over relations of both sides (`b.x = a.y + b.z`): each is
        // equated to the next and the last to the first old member, as
        // generate_join_implied_equalities_normal does; without this the
        // condition would be lost at the join.
        let spans_both = |m: &EcMember| {
            !m.relids.is_empty()
                && is_subset(&m.relids, &both)
                && !is_subset(&m.relids, outer)
                && !is_subset(&m.relids, inner)
        };
        // (A member of one relation lies within one side.)
        let multi_rel_member = !shortcuts || class_facts.is_none_or(|f| f.multi_rel_member);
        if !multi_rel_member || !ec.members.iter().any(spans_both) {
            continue;
        }
        let mut new_members: Vec<usize> = ec
            .members
            .iter()
            .enumerate()
            .filter(|(_, m)| spans_both(m))
            .map(|(at, _)| at)
            .collect();
        if let Some(first_old) = ec
            .members
            .iter()
            .position(|m| within(outer, m))
            .or_else(|| ec.members.iter().position(|m| within(inner, m)))
        {
            new_members.push(first_old);
        }
        for pair in new_members.windows(2) {
            let [prev, cur] = *pair else { continue };
            let (Some(p), Some(c)) = (ec.members.get(prev), ec.members.get(cur)) else {
                continue;
            };
            let (op, _) = memo.operator(catalog, class, ec, p.datatype, c.datatype);
            out.push(JoinClauseSource::Implied(ImpliedEquality {
                class,
                left: prev,
                right: cur,
                op,
            }));
        }
    }
    memo.facts = Some(facts);
}

/// What [`join_clause_sources`] asks of a placement at every join, found
/// once (kept in the [`JoinOperatorMemo`], which serves one placement).
#[derive(Debug, Clone)]
pub(crate) struct PlacementFacts {
    /// Some join of the tree has placed join clauses.
    placed_join_clauses: bool,
    /// Per equivalence class, in order.
    classes: Vec<ClassFacts>,
    /// The classes without a constant member, in order.
    open_classes: Vec<usize>,
}

/// See [`PlacementFacts`].
#[derive(Debug, Clone)]
struct ClassFacts {
    /// [`EquivalenceClass::has_const`].
    has_const: bool,
    /// The relations of all its members.
    relids: Relids,
    /// Some member is over more than one relation.
    multi_rel_member: bool,
}

impl PlacementFacts {
    fn of(placement: &QualPlacement) -> PlacementFacts {
        let count = placement.equivalence_classes.len();
        let mut classes = Vec::with_capacity(count);
        let mut open_classes = Vec::with_capacity(count);
        for (at, ec) in placement.equivalence_classes.iter().enumerate() {
            // All three facts in one pass over the members.
            let mut relids = Relids::new();
            let mut has_const = false;
            let mut multi_rel_member = false;
            for m in &ec.members {
                relids.union_with(&m.relids);
                // EquivalenceClass::has_const's test.
                has_const |= m.relids.is_empty();
                multi_rel_member |= m.relids.len() > 1;
            }
            if !has_const {
                open_classes.push(at);
            }
            classes.push(ClassFacts {
                has_const,
                relids,
                multi_rel_member,
            });
        }
        PlacementFacts {
            placed_join_clauses: placement.joins.iter().any(|j| !j.clauses.is_empty()),
            classes,
            open_classes,
        }
    }
}

impl JoinOperatorMemo {
    /// `select_equality_operator` for members of types `left` and `right`
    /// of `ec` (index `class`), and whether the operator can hash; looked
    /// up once per class and type pair.
    fn operator(
        &mut self,
        catalog: &Catalog,
        class: usize,
        ec: &EquivalenceClass,
        left: Oid,
        right: Oid,
    ) -> (Oid, bool) {
        if let Some(&(.., op, hashable)) = self
            .ops
            .iter()
            .find(|(c, l, r, ..)| *c == class && *l == left && *r == right)
        {
            return (op, hashable);
        }
        let op = select_operator(catalog, ec, left, right);
        let hashable = catalog.operator_info(op).is_some_and(|info| info.can_hash);
        self.ops.push((class, left, right, op, hashable));
        (op, hashable)
    }
}

/// See [`QualPlacement::implied_equality`].
pub(crate) fn implied_equality(
    placement: &QualPlacement,
    catalog: &Catalog,
    eq: &ImpliedEquality,
) -> Option<RestrictClause> {
    let ec = placement.equivalence_classes.get(eq.class)?;
    let left = ec.members.get(eq.left)?;
    let right = ec.members.get(eq.right)?;
    Some(implied_join_equality(catalog, ec, eq.op, left, right))
}

/// `left = right` between two members of `ec` at a join
/// (`build_implied_join_equality`): a pushed-down condition generated by
/// the class.
fn implied_join_equality(
    catalog: &Catalog,
    ec: &EquivalenceClass,
    op: Oid,
    left: &EcMember,
    right: &EcMember,
) -> RestrictClause {
    let opfuncid = catalog
        .operator_info(op)
        .map_or(Oid::INVALID, |info| info.code);
    let relids = union(&left.relids, &right.relids);
    RestrictClause {
        expr: Arc::new(Expr::OpExpr(Box::new(OpExpr {
            opno: op,
            opfuncid,
            opresulttype: Oid::BOOL_TYPE,
            opretset: false,
            opcollid: Oid::INVALID,
            inputcollid: ec.collation,
            // Straight into the list's inline room (collecting would
            // push one by one, checking for room each time).
            args: ExprList::from_buf([copy_member(&left.expr), copy_member(&right.expr)]),
        }))),
        clause_relids: relids.clone(),
        required_relids: relids,
        from_ec: true,
        is_pushed_down: true,
        outerjoin_delayed: false,
        outer_join: None,
    }
}

/// A copy of a class member's expression: a column (the usual member)
/// copied as such, without the general expression copy.
fn copy_member(expr: &Expr) -> Expr {
    match expr {
        Expr::Var(v) => Expr::Var(v.clone()),
        other => other.clone(),
    }
}

/// Whether two constants are equal, when their text form decides it (types
/// whose output form is canonical); `None` when it cannot be told here.
fn constants_equal(a: &Expr, b: &Expr) -> Option<bool> {
    const CANONICAL: [u32; 8] = [16, 20, 21, 23, 25, 1043, 1082, 18];
    let (Expr::Const(a), Expr::Const(b)) = (a, b) else {
        return None;
    };
    if a.consttype != b.consttype || !CANONICAL.contains(&a.consttype.0) {
        return None;
    }
    match (&a.value, &b.value) {
        (Some(x), Some(y)) => Some(x == y),
        // NULL = anything is NULL: as false as it gets in WHERE.
        _ => Some(false),
    }
}

fn is_simple_var(expr: &Expr) -> bool {
    match expr {
        Expr::Var(_) => true,
        Expr::RelabelType(r) => matches!(r.arg, Expr::Var(_)),
        _ => false,
    }
}

fn select_operator(catalog: &Catalog, ec: &EquivalenceClass, left: Oid, right: Oid) -> Oid {
    for family in &ec.opfamilies {
        if let Some(amop) = catalog.amop(*family, left, right, BT_EQUAL) {
            return amop.operator;
        }
    }
    ec.source_op
}
