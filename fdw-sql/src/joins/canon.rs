//! Canonical form of conditions (`prepqual.c`) and `NOT` push-down
//! (`negate_clause`).

use fdw_catalog::catalog::Catalog;
use fdw_core::expr::{
    BoolExpr, BoolExprType, BoolTestType, BooleanTest, Const, Expr, ExprList, NullTest,
    NullTestType, OpExpr, ScalarArrayOpExpr,
};
use fdw_core::Oid;

use crate::error::{Error, Result};

/// The deepest AND/OR/NOT nesting handled; the analyzer refuses deeper trees
/// long before this.
const MAX_BOOL_DEPTH: usize = fdw_core::expr::DEFAULT_MAX_DEPTH;

/// A `boolean` constant.
pub(crate) fn bool_const(value: bool) -> Expr {
    Expr::Const(Const::new(
        Oid::BOOL_TYPE,
        Oid::INVALID,
        if value { "true" } else { "false" },
    ))
}

/// The value of a `boolean` constant: `Some(None)` for a NULL one, `None`
/// for anything that is not a boolean constant.
pub(crate) fn bool_const_value(expr: &Expr) -> Option<Option<bool>> {
    let Expr::Const(c) = expr else { return None };
    if c.consttype != Oid::BOOL_TYPE {
        return None;
    }
    match c.value.as_deref() {
        None => Some(None),
        Some("t" | "true") => Some(Some(true)),
        Some("f" | "false") => Some(Some(false)),
        Some(_) => None,
    }
}

fn bool_expr(boolop: BoolExprType, args: Vec<Expr>) -> Expr {
    Expr::BoolExpr(Box::new(BoolExpr {
        boolop,
        args: args.into_iter().collect(),
    }))
}

fn is_bool(expr: &Expr, op: BoolExprType) -> bool {
    matches!(expr, Expr::BoolExpr(b) if b.boolop == op)
}

/// Splices the arguments of nested `op` nodes into one list (`pull_ands` /
/// `pull_ors`), keeping their order.
fn pull(op: BoolExprType, args: Vec<Expr>) -> Vec<Expr> {
    let mut out = Vec::with_capacity(args.len());
    let mut stack: Vec<Expr> = args.into_iter().rev().collect();
    while let Some(arg) = stack.pop() {
        match arg {
            Expr::BoolExpr(b) if b.boolop == op => stack.extend(b.args.into_iter().rev()),
            other => out.push(other),
        }
    }
    out
}

/// The condition `NOT expr` in the form PostgreSQL's `negate_clause` gives
/// it: constants are inverted, an operator with a negator becomes the
/// negator (`NOT a < b` is `a >= b`), `ANY`/`ALL` over an array with a
/// negatable operator flips, AND/OR follow De Morgan, a double `NOT`
/// cancels, `IS [NOT] NULL` (non-row) and the boolean tests flip; anything
/// else gets a `NOT` node.
///
/// # Errors
///
/// [`Error::TooDeep`] for a boolean tree nested too deeply.
pub fn negate_clause(catalog: &Catalog, expr: Expr) -> Result<Expr> {
    negate_at(catalog, expr, 0)
}

fn negate_at(catalog: &Catalog, expr: Expr, depth: usize) -> Result<Expr> {
    if depth > MAX_BOOL_DEPTH {
        return Err(Error::TooDeep {
            limit: MAX_BOOL_DEPTH,
        });
    }
    let negated = match expr {
        Expr::Const(c) if c.consttype == Oid::BOOL_TYPE => {
            match bool_const_value(&Expr::Const(c.clone())) {
                Some(Some(value)) => bool_const(!value),
                // NOT NULL is NULL.
                Some(None) => Expr::Const(c),
                None => not_node(Expr::Const(c)),
            }
        }
        Expr::OpExpr(op) => match negator_of(catalog, op.opno) {
            Some((negator, func)) => Expr::OpExpr(Box::new(OpExpr {
                opno: negator,
                opfuncid: func,
                ..*op
            })),
            None => not_node(Expr::OpExpr(op)),
        },
        Expr::ScalarArrayOpExpr(saop) => match negator_of(catalog, saop.opno) {
            Some((negator, func)) => Expr::ScalarArrayOpExpr(Box::new(ScalarArrayOpExpr {
                opno: negator,
                opfuncid: func,
                use_or: !saop.use_or,
                // The hashed-lookup fields describe the original operator.
                hashfuncid: Oid::INVALID,
                negfuncid: Oid::INVALID,
                ..*saop
            })),
            None => not_node(Expr::ScalarArrayOpExpr(saop)),
        },
        Expr::BoolExpr(b) => {
            let BoolExpr { boolop, args } = *b;
            match boolop {
                BoolExprType::And | BoolExprType::Or => {
                    let flipped = if boolop == BoolExprType::And {
                        BoolExprType::Or
                    } else {
                        BoolExprType::And
                    };
                    let mut out = Vec::with_capacity(args.len());
                    for arg in args {
                        out.push(negate_at(catalog, arg, depth + 1)?);
                    }
                    bool_expr(flipped, pull(flipped, out))
                }
                BoolExprType::Not => match args.into_iter().next() {
                    Some(inner) => inner,
                    None => return Err(Error::Internal("NOT without an argument".into())),
                },
            }
        }
        Expr::NullTest(n) if !n.argisrow => {
            let NullTest {
                arg,
                nulltesttype,
                argisrow,
            } = *n;
            Expr::NullTest(Box::new(NullTest {
                arg,
                nulltesttype: match nulltesttype {
                    NullTestType::IsNull => NullTestType::IsNotNull,
                    NullTestType::IsNotNull => NullTestType::IsNull,
                },
                argisrow,
            }))
        }
        Expr::BooleanTest(t) => {
            let BooleanTest { arg, booltesttype } = *t;
            let flipped = match booltesttype {
                BoolTestType::IsTrue => BoolTestType::IsNotTrue,
                BoolTestType::IsNotTrue => BoolTestType::IsTrue,
                BoolTestType::IsFalse => BoolTestType::IsNotFalse,
                BoolTestType::IsNotFalse => BoolTestType::IsFalse,
                BoolTestType::IsUnknown => BoolTestType::IsNotUnknown,
                BoolTestType::IsNotUnknown => BoolTestType::IsUnknown,
            };
            Expr::BooleanTest(Box::new(BooleanTest {
                arg,
                booltesttype: flipped,
            }))
        }
        other => not_node(other),
    };
    Ok(negated)
}

fn not_node(arg: Expr) -> Expr {
    let mut args = ExprList::new();
    args.push(arg);
    Expr::BoolExpr(Box::new(BoolExpr {
        boolop: BoolExprType::Not,
        args,
    }))
}

/// The negator of `opno` and its implementing function, when it has one.
fn negator_of(catalog: &Catalog, opno: Oid) -> Option<(Oid, Oid)> {
    let negator = catalog.operator_info(opno)?.negator;
    if negator.is_invalid() {
        return None;
    }
    let func = catalog.operator_info(negator)?.code;
    Some((negator, func))
}

/// Pushes `NOT`s through the AND/OR/NOT skeleton of a condition with
/// [`negate_clause`]; operands of operators and functions are left alone.
fn push_nots(catalog: &Catalog, expr: Expr, depth: usize) -> Result<Expr> {
    if depth > MAX_BOOL_DEPTH {
        return Err(Error::TooDeep {
            limit: MAX_BOOL_DEPTH,
        });
    }
    match expr {
        Expr::BoolExpr(b) => {
            let BoolExpr { boolop, args } = *b;
            match boolop {
                BoolExprType::Not => match args.into_iter().next() {
                    Some(inner) => {
                        let inner = push_nots(catalog, inner, depth + 1)?;
                        negate_at(catalog, inner, depth + 1)
                    }
                    None => Err(Error::Internal("NOT without an argument".into())),
                },
                BoolExprType::And | BoolExprType::Or => {
                    let mut out = Vec::with_capacity(args.len());
                    for arg in args {
                        out.push(push_nots(catalog, arg, depth + 1)?);
                    }
                    Ok(bool_expr(boolop, out))
                }
            }
        }
        other => Ok(other),
    }
}

/// Converts a `WHERE` / `ON` condition to PostgreSQL's canonical form, as
/// the planner's `canonicalize_qual` does after constant folding: `NOT`s are
/// pushed down ([`negate_clause`]); nested ANDs and ORs are flattened;
/// constant `TRUE` arms of an AND and `FALSE`/`NULL` arms of an OR are
/// dropped, a `FALSE`/`NULL` arm makes an AND `FALSE` and a `TRUE` arm makes
/// an OR `TRUE`; and conditions common to every arm of an OR are pulled out
/// in front of it (`find_duplicate_ors`: `(a AND b) OR (a AND c)` becomes
/// `a AND (b OR c)`, `(a AND b) OR a` becomes `a`).
///
/// # Errors
///
/// [`Error::TooDeep`] for a boolean tree nested too deeply.
///
/// # Example
///
/// ```
/// use fdw_catalog::catalog::Catalog;
/// use fdw_core::expr::{BoolExpr, BoolExprType, Expr, Var};
/// use fdw_core::{AttrNumber, Oid, RelIndex};
///
/// let catalog = Catalog::new(15)?;
/// let col = |n| Expr::Var(Var::new(RelIndex(1), AttrNumber(n), Oid::BOOL_TYPE, -1, Oid::INVALID));
/// let and = |a, b| Expr::BoolExpr(Box::new(BoolExpr { boolop: BoolExprType::And, args: [a, b].into_iter().collect() }));
/// let or = Expr::BoolExpr(Box::new(BoolExpr {
///     boolop: BoolExprType::Or,
///     args: [and(col(1), col(2)), and(col(1), col(3))].into_iter().collect(),
/// }));
/// let canonical = fdw_sql::joins::canonicalize_qual(&catalog, or)?;
/// let Expr::BoolExpr(top) = &canonical else { panic!() };
/// assert_eq!(top.boolop, BoolExprType::And);
/// assert_eq!(top.args[0], col(1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn canonicalize_qual(catalog: &Catalog, expr: Expr) -> Result<Expr> {
    let pushed = push_nots(catalog, expr, 0)?;
    find_duplicate_ors(pushed, 0)
}

fn find_duplicate_ors(expr: Expr, depth: usize) -> Result<Expr> {
    if depth > MAX_BOOL_DEPTH {
        return Err(Error::TooDeep {
            limit: MAX_BOOL_DEPTH,
        });
    }
    let Expr::BoolExpr(b) = expr else {
        return Ok(expr);
    };
    let BoolExpr { boolop, args } = *b;
    match boolop {
        BoolExprType::Or => {
            let mut arms = Vec::with_capacity(args.len());
            for arg in args {
                let arg = find_duplicate_ors(arg, depth + 1)?;
                match bool_const_value(&arg) {
                    // In WHERE, a FALSE or NULL arm can never make the OR true.
                    Some(None | Some(false)) => continue,
                    Some(Some(true)) => return Ok(arg),
                    None => arms.push(arg),
                }
            }
            Ok(process_duplicate_ors(pull(BoolExprType::Or, arms)))
        }
        BoolExprType::And => {
            let mut items = Vec::with_capacity(args.len());
            for arg in args {
                let arg = find_duplicate_ors(arg, depth + 1)?;
                match bool_const_value(&arg) {
                    Some(Some(true)) => continue,
                    // In WHERE, NULL is as good as FALSE.
                    Some(None | Some(false)) => return Ok(bool_const(false)),
                    None => items.push(arg),
                }
            }
            let mut items = pull(BoolExprType::And, items);
            Ok(match items.len() {
                0 => bool_const(true),
                1 => items.remove(0),
                _ => bool_expr(BoolExprType::And, items),
            })
        }
        BoolExprType::Not => Ok(bool_expr(BoolExprType::Not, args.into_iter().collect())),
    }
}

/// The items of an AND arm, or the arm itself as a one-item AND.
fn and_items(expr: &Expr) -> &[Expr] {
    match expr {
        Expr::BoolExpr(b) if b.boolop == BoolExprType::And => &b.args,
        other => std::slice::from_ref(other),
    }
}

/// Pulls conditions present in every arm of an OR out in front of it.
fn process_duplicate_ors(mut arms: Vec<Expr>) -> Expr {
    match arms.len() {
        0 => return bool_const(false),
        1 => return arms.remove(0),
        _ => {}
    }
    // The shortest AND arm is the reference: only its items can be in every
    // arm. A non-AND arm is a one-item AND and wins at once.
    let mut reference: &[Expr] = &[];
    let mut found = false;
    for arm in &arms {
        if is_bool(arm, BoolExprType::And) {
            let items = and_items(arm);
            if !found || items.len() < reference.len() {
                reference = items;
                found = true;
            }
        } else {
            reference = std::slice::from_ref(arm);
            break;
        }
    }
    let mut unique: Vec<&Expr> = Vec::new();
    for item in reference {
        if !unique.contains(&item) {
            unique.push(item);
        }
    }
    let winners: Vec<Expr> = unique
        .into_iter()
        .filter(|candidate| arms.iter().all(|arm| and_items(arm).contains(candidate)))
        .cloned()
        .collect();
    if winners.is_empty() {
        return bool_expr(BoolExprType::Or, arms);
    }
    // What remains of each arm; an arm left empty means the whole OR is
    // implied by the winners ((A AND B) OR A is A).
    let mut rest: Vec<Expr> = Vec::new();
    let mut degenerate = false;
    for arm in &arms {
        let left: Vec<Expr> = and_items(arm)
            .iter()
            .filter(|item| !winners.contains(item))
            .cloned()
            .collect();
        match left.len() {
            0 => {
                degenerate = true;
                break;
            }
            1 => rest.extend(left),
            _ => rest.push(bool_expr(BoolExprType::And, left)),
        }
    }
    let mut result = winners;
    if !degenerate && !rest.is_empty() {
        if rest.len() == 1 {
            result.extend(rest);
        } else {
            result.push(bool_expr(BoolExprType::Or, pull(BoolExprType::Or, rest)));
        }
    }
    if result.len() == 1 {
        result.remove(0)
    } else {
        bool_expr(BoolExprType::And, pull(BoolExprType::And, result))
    }
}
