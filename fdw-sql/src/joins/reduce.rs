//! Join alias flattening and outer-join reduction (`reduce_outer_joins`).

use std::collections::BTreeSet;

use fdw_catalog::catalog::Catalog;
use fdw_core::expr::{transform_up, Expr};
use fdw_core::query::{FromExpr, JoinExpr, JoinTreeNode, JoinType, Query, RteKind};
use fdw_core::RelIndex;

use super::canon::{bool_const_value, canonicalize_qual};
use super::strict::{forced_null_vars, nonnullable_rels, nonnullable_vars, VarKey};
use super::Relids;
use crate::error::{Error, Result};

/// The deepest join tree handled; the analyzer refuses deeper queries.
const MAX_JOIN_DEPTH: usize = fdw_core::expr::DEFAULT_MAX_DEPTH;

/// Replaces every reference to a join's output column (a `Var` whose
/// `varno` is a join range-table entry, as parse analysis makes for `USING`
/// columns and columns named through a join alias) by the expression it
/// stands for (`joinaliasvars`: a column of an input, or `COALESCE` of both
/// for a merged `FULL JOIN USING` column), in the target list, `RETURNING`,
/// `HAVING` and every `WHERE` / `ON` condition, as the planner's
/// `flatten_join_alias_vars` does before anything else looks at relations.
/// Whole-row references to a join are left as they are.
///
/// # Errors
///
/// [`Error::TooDeep`] for expressions nested too deeply.
pub fn flatten_join_alias_vars(query: &mut Query) -> Result<()> {
    let has_joins = query
        .rtable
        .iter()
        .any(|rte| matches!(rte.kind, RteKind::Join { .. }));
    if !has_joins {
        return Ok(());
    }
    // Borrowed beside the mutable fields below, not copied: the range
    // table of a join query is large (each join's alias columns).
    let rtable = &query.rtable;
    let fix = |expr: &mut Expr| flatten_expr(rtable, expr);
    for tle in query
        .target_list
        .iter_mut()
        .chain(query.returning_list.iter_mut())
    {
        fix(&mut tle.expr)?;
    }
    if let Some(having) = &mut query.having_qual {
        fix(having)?;
    }
    let mut quals = Vec::new();
    jointree_quals_mut(&mut query.jointree, &mut quals);
    for qual in quals {
        fix(qual)?;
    }
    Ok(())
}

/// What a `Var` of this level naming a join's column stands for (its
/// `joinaliasvars` entry), if it is one.
fn join_alias_replacement<'r>(
    rtable: &'r [fdw_core::query::RangeTblEntry],
    var: &fdw_core::expr::Var,
) -> Option<&'r Expr> {
    if var.varlevelsup != 0 || var.varattno.0 <= 0 {
        return None;
    }
    let position = usize::try_from(var.varno.0)
        .ok()
        .and_then(|n| n.checked_sub(1));
    let rte = position.and_then(|p| rtable.get(p))?;
    let RteKind::Join { joinaliasvars, .. } = &rte.kind else {
        return None;
    };
    let column = usize::try_from(var.varattno.0 - 1).ok();
    column.and_then(|c| joinaliasvars.get(c))
}

/// Whether [`flatten_join_alias_vars`] would change `query`: some `Var` it
/// looks at names a join's column. True when the trees are too deep to
/// tell, so that the caller flattens and meets the same error.
pub(crate) fn has_join_alias_vars(query: &Query) -> bool {
    let rtable = &query.rtable;
    let mut exprs: Vec<&Expr> = query
        .target_list
        .iter()
        .chain(&query.returning_list)
        .map(|tle| &tle.expr)
        .collect();
    exprs.extend(query.having_qual.as_ref());
    jointree_quals(&query.jointree, &mut exprs);
    exprs.into_iter().any(|expr| {
        fdw_core::expr::any_node(
            expr,
            |node| matches!(node, Expr::Var(var) if join_alias_replacement(rtable, var).is_some()),
        )
        .unwrap_or(true)
    })
}

fn flatten_expr(rtable: &[fdw_core::query::RangeTblEntry], expr: &mut Expr) -> Result<()> {
    // A replacement can itself name a lower join's column; a bounded number
    // of rounds resolves any nesting the range table can express.
    for _round in 0..=rtable.len() {
        let mut changed = false;
        transform_up(expr, &mut |node: &mut Expr| {
            if let Expr::Var(var) = node {
                if let Some(replacement) = join_alias_replacement(rtable, var) {
                    *node = replacement.clone();
                    changed = true;
                }
            }
            Ok(())
        })?;
        if !changed {
            return Ok(());
        }
    }
    Err(Error::Internal(
        "join alias references do not resolve".into(),
    ))
}

/// Mutable references to every `WHERE` / `ON` condition of a join tree.
/// [`jointree_quals_mut`] without the `mut`: every qual of the tree.
fn jointree_quals<'a>(from: &'a FromExpr, out: &mut Vec<&'a Expr>) {
    out.extend(from.quals.as_ref());
    let mut stack: Vec<&'a JoinTreeNode> = from.fromlist.iter().collect();
    while let Some(node) = stack.pop() {
        match node {
            JoinTreeNode::RangeTblRef(_) => {}
            JoinTreeNode::Join(j) => {
                out.extend(j.quals.as_ref());
                stack.push(&j.larg);
                stack.push(&j.rarg);
            }
            JoinTreeNode::From(f) => {
                out.extend(f.quals.as_ref());
                stack.extend(f.fromlist.iter());
            }
        }
    }
}

fn jointree_quals_mut<'a>(from: &'a mut FromExpr, out: &mut Vec<&'a mut Expr>) {
    let FromExpr { fromlist, quals } = from;
    out.extend(quals.as_mut());
    let mut stack: Vec<&'a mut JoinTreeNode> = fromlist.iter_mut().collect();
    while let Some(node) = stack.pop() {
        match node {
            JoinTreeNode::RangeTblRef(_) => {}
            JoinTreeNode::Join(j) => {
                let JoinExpr {
                    larg, rarg, quals, ..
                } = j.as_mut();
                out.extend(quals.as_mut());
                stack.push(larg);
                stack.push(rarg);
            }
            JoinTreeNode::From(f) => {
                let FromExpr { fromlist, quals } = f.as_mut();
                out.extend(quals.as_mut());
                stack.extend(fromlist.iter_mut());
            }
        }
    }
}

/// Canonicalizes a condition in place, dropping one that became `TRUE`.
fn canonicalize_in_place(catalog: &Catalog, qual: &mut Option<Expr>) -> Result<()> {
    if let Some(expr) = qual.take() {
        let canonical = canonicalize_qual(catalog, expr)?;
        if bool_const_value(&canonical) != Some(Some(true)) {
            *qual = Some(canonical);
        }
    }
    Ok(())
}

fn canonicalize_tree(catalog: &Catalog, from: &mut FromExpr, depth: usize) -> Result<()> {
    if depth > MAX_JOIN_DEPTH {
        return Err(Error::TooDeep {
            limit: MAX_JOIN_DEPTH,
        });
    }
    canonicalize_in_place(catalog, &mut from.quals)?;
    for item in &mut from.fromlist {
        canonicalize_node(catalog, item, depth + 1)?;
    }
    Ok(())
}

fn canonicalize_node(catalog: &Catalog, node: &mut JoinTreeNode, depth: usize) -> Result<()> {
    if depth > MAX_JOIN_DEPTH {
        return Err(Error::TooDeep {
            limit: MAX_JOIN_DEPTH,
        });
    }
    match node {
        JoinTreeNode::RangeTblRef(_) => Ok(()),
        JoinTreeNode::Join(j) => {
            canonicalize_in_place(catalog, &mut j.quals)?;
            canonicalize_node(catalog, &mut j.larg, depth + 1)?;
            canonicalize_node(catalog, &mut j.rarg, depth + 1)
        }
        JoinTreeNode::From(f) => canonicalize_tree(catalog, f, depth + 1),
    }
}

/// Prepares the join tree the way PostgreSQL's planner does before
/// planning joins, and narrows outer joins:
///
/// * join alias references are flattened ([`flatten_join_alias_vars`]);
/// * every `WHERE` / `ON` condition and `HAVING` is canonicalized
///   ([`super::canonicalize_qual`]); one that became `TRUE` is removed;
/// * a condition above an outer join that cannot be true when every column
///   of the nullable side is null (strict in that side, as
///   `find_nonnullable_rels` decides from `proisstrict`) removes the
///   null-extended rows anyway, so the join is narrowed: LEFT to INNER,
///   FULL to LEFT / RIGHT / INNER; the join's own `ON` condition narrows
///   joins within its nullable side the same way, and conditions of an
///   inner join pass on to both inputs;
/// * every remaining RIGHT join becomes a LEFT join with its inputs swapped;
/// * a LEFT join whose nullable side has a column that an upper condition
///   forces to be null (`b.x IS NULL`) while the join's `ON` condition is
///   strict in that column returns exactly the unmatched rows: it becomes
///   an ANTI join.
///
/// The join range-table entries get the new join types too.
///
/// # Errors
///
/// [`Error::TooDeep`] for a tree nested too deeply.
pub fn reduce_outer_joins(catalog: &Catalog, query: &mut Query) -> Result<()> {
    flatten_join_alias_vars(query)?;
    canonicalize_tree(catalog, &mut query.jointree, 0)?;
    canonicalize_in_place(catalog, &mut query.having_qual)?;
    let mut changed = Vec::new();
    let upper = Upper::default();
    reduce_from(catalog, &mut query.jointree, &upper, &mut changed, 0)?;
    for (rtindex, jointype) in changed {
        let position = usize::try_from(rtindex.0)
            .ok()
            .and_then(|n| n.checked_sub(1));
        if let Some(rte) = position.and_then(|p| query.rtable.get_mut(p)) {
            if let RteKind::Join {
                jointype: rte_type, ..
            } = &mut rte.kind
            {
                *rte_type = jointype;
            }
        }
    }
    Ok(())
}

/// What the conditions above a join tree node guarantee.
#[derive(Debug, Clone, Default)]
struct Upper {
    /// Relations forced non-null.
    rels: Relids,
    /// Columns forced non-null.
    vars: BTreeSet<VarKey>,
    /// Columns forced null.
    forced_null: BTreeSet<VarKey>,
}

impl Upper {
    fn of(catalog: &Catalog, quals: Option<&Expr>) -> Upper {
        match quals {
            Some(q) => Upper {
                rels: nonnullable_rels(catalog, q),
                vars: nonnullable_vars(catalog, q),
                forced_null: forced_null_vars(q),
            },
            None => Upper::default(),
        }
    }

    fn union(mut self, other: &Upper) -> Upper {
        self.rels.union_with(&other.rels);
        self.vars.extend(other.vars.iter().copied());
        self.forced_null.extend(other.forced_null.iter().copied());
        self
    }
}

/// The base relations under a join tree node.
pub(crate) fn node_relids(node: &JoinTreeNode) -> Relids {
    let mut out = Relids::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match n {
            JoinTreeNode::RangeTblRef(r) => {
                out.insert(*r);
            }
            JoinTreeNode::Join(j) => {
                stack.push(&j.larg);
                stack.push(&j.rarg);
            }
            JoinTreeNode::From(f) => stack.extend(f.fromlist.iter()),
        }
    }
    out
}

fn contains_outer(node: &JoinTreeNode) -> bool {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match n {
            JoinTreeNode::RangeTblRef(_) => {}
            JoinTreeNode::Join(j) => {
                if j.jointype != JoinType::Inner {
                    return true;
                }
                stack.push(&j.larg);
                stack.push(&j.rarg);
            }
            JoinTreeNode::From(f) => stack.extend(f.fromlist.iter()),
        }
    }
    false
}

fn reduce_from(
    catalog: &Catalog,
    from: &mut FromExpr,
    upper: &Upper,
    changed: &mut Vec<(RelIndex, JoinType)>,
    depth: usize,
) -> Result<()> {
    if depth > MAX_JOIN_DEPTH {
        return Err(Error::TooDeep {
            limit: MAX_JOIN_DEPTH,
        });
    }
    // What the quals force non-null only matters below an outer join; most
    // statements have none, and working it out walks every qual.
    if !from.fromlist.iter().any(contains_outer) {
        return Ok(());
    }
    let pass = Upper::of(catalog, from.quals.as_ref()).union(upper);
    for item in &mut from.fromlist {
        if contains_outer(item) {
            reduce_node(catalog, item, &pass, changed, depth + 1)?;
        }
    }
    Ok(())
}

fn overlaps(a: &Relids, b: &Relids) -> bool {
    a.overlaps(b)
}

fn reduce_node(
    catalog: &Catalog,
    node: &mut JoinTreeNode,
    upper: &Upper,
    changed: &mut Vec<(RelIndex, JoinType)>,
    depth: usize,
) -> Result<()> {
    if depth > MAX_JOIN_DEPTH {
        return Err(Error::TooDeep {
            limit: MAX_JOIN_DEPTH,
        });
    }
    let join = match node {
        JoinTreeNode::RangeTblRef(_) => return Ok(()),
        JoinTreeNode::From(f) => return reduce_from(catalog, f, upper, changed, depth + 1),
        JoinTreeNode::Join(j) => j,
    };
    let mut left_rels = node_relids(&join.larg);
    let mut right_rels = node_relids(&join.rarg);
    let mut jointype = match join.jointype {
        JoinType::Left if overlaps(&upper.rels, &right_rels) => JoinType::Inner,
        JoinType::Right if overlaps(&upper.rels, &left_rels) => JoinType::Inner,
        JoinType::Full => match (
            overlaps(&upper.rels, &left_rels),
            overlaps(&upper.rels, &right_rels),
        ) {
            (true, true) => JoinType::Inner,
            (true, false) => JoinType::Left,
            (false, true) => JoinType::Right,
            (false, false) => JoinType::Full,
        },
        other => other,
    };
    if jointype == JoinType::Right {
        std::mem::swap(&mut join.larg, &mut join.rarg);
        std::mem::swap(&mut left_rels, &mut right_rels);
        jointype = JoinType::Left;
    }
    let local_vars = nonnullable_vars_opt(catalog, join.quals.as_ref());
    if jointype == JoinType::Left {
        let anti = local_vars
            .iter()
            .filter(|key| upper.forced_null.contains(key))
            .any(|(varno, _)| right_rels.contains(*varno));
        if anti {
            jointype = JoinType::Anti;
        }
    }
    if jointype != join.jointype {
        if let Some(rtindex) = join.rtindex {
            changed.push((rtindex, jointype));
        }
    }
    join.jointype = jointype;

    let left_outer = contains_outer(&join.larg);
    let right_outer = contains_outer(&join.rarg);
    if !left_outer && !right_outer {
        return Ok(());
    }
    // What the join's own condition guarantees; nothing for a FULL join,
    // whose condition filters neither side.
    let local = if jointype == JoinType::Full {
        Upper::default()
    } else {
        let own = Upper::of(catalog, join.quals.as_ref());
        if matches!(jointype, JoinType::Inner | JoinType::Semi) {
            own.union(upper)
        } else {
            own
        }
    };
    if left_outer {
        let pass = match jointype {
            JoinType::Inner | JoinType::Semi => local.clone(),
            // The left side of a LEFT or ANTI join keeps all its rows, so
            // only the upper conditions constrain it, not the join's own.
            JoinType::Left | JoinType::Anti => upper.clone(),
            JoinType::Full | JoinType::Right | JoinType::RightAnti | JoinType::RightSemi => {
                Upper::default()
            }
        };
        reduce_node(catalog, &mut join.larg, &pass, changed, depth + 1)?;
    }
    if right_outer {
        let pass = if jointype == JoinType::Full {
            Upper::default()
        } else {
            local
        };
        reduce_node(catalog, &mut join.rarg, &pass, changed, depth + 1)?;
    }
    Ok(())
}

fn nonnullable_vars_opt(catalog: &Catalog, quals: Option<&Expr>) -> BTreeSet<VarKey> {
    quals.map_or_else(BTreeSet::new, |q| nonnullable_vars(catalog, q))
}
