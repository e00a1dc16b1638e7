//! Operator resolution (`parse_oper.c`) and the candidate selection shared
//! with functions (`func_match_argtypes`, `func_select_candidate`).

use std::borrow::Cow;

use fdw_catalog::builtin::{OperatorInfo, OperatorKind};
use fdw_catalog::Catalog;
use fdw_core::expr::{CoercionForm, ExprList, OpExpr, ScalarArrayOpExpr};
use fdw_core::{Expr, Oid};

use super::cat::{self, format_type};
use super::oids::{self, is_polymorphic};
use super::poly::enforce_generic_type_consistency;
use super::{can_coerce_type, coerce_type, CoercionContext};
use crate::error::{Error, Position, Result, SqlState};

/// An operator name as written: `=`, or `OPERATOR(pg_catalog.=)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OperatorName {
    /// The schema of a qualified name, `None` to search the search path.
    pub schema: Option<String>,
    /// The operator's symbol (borrowed when it is one the syntax spells,
    /// like `=`: every operator of every query is named by one).
    pub name: Cow<'static, str>,
}

impl OperatorName {
    /// An unqualified operator name.
    pub fn new(name: &str) -> OperatorName {
        OperatorName {
            schema: None,
            name: Cow::Owned(name.to_owned()),
        }
    }

    /// An unqualified operator name known when compiling, without a copy.
    pub fn fixed(name: &'static str) -> OperatorName {
        OperatorName {
            schema: None,
            name: Cow::Borrowed(name),
        }
    }

    /// The name as PostgreSQL prints it in messages (`NameListToString`).
    fn display(&self) -> String {
        match &self.schema {
            Some(s) => format!("{s}.{}", self.name),
            None => self.name.to_string(),
        }
    }
}

/// The outcome of candidate selection (`FuncDetailCode`, the part that
/// matters for operators).
enum Selected {
    Found(usize),
    NotFound,
    Ambiguous,
}

/// Keeps the candidates whose argument types the inputs can be coerced to
/// implicitly (`func_match_argtypes`), returning their indexes.
pub(crate) fn func_match_argtypes<A: AsRef<[Oid]>>(
    catalog: &Catalog,
    inputs: &[Oid],
    candidates: &[A],
) -> Vec<usize> {
    candidates
        .iter()
        .enumerate()
        .filter(|(_, args)| {
            let args = args.as_ref();
            args.len() == inputs.len()
                && can_coerce_type(catalog, inputs, args, CoercionContext::Implicit)
        })
        .map(|(i, _)| i)
        .collect()
}

/// Picks the best of several matching candidates (`func_select_candidate`),
/// or `None` when the heuristics leave more than one:
///
/// 1. most arguments whose type is exactly the input's (domains reduced);
/// 2. most exact-or-preferred-in-the-input's-category arguments;
/// 3. for `unknown` inputs, a category per position (string when any
///    candidate takes one there, else the one all agree on), keeping
///    candidates of that category and preferring preferred types;
/// 4. when all known inputs share one type, treat the unknowns as that
///    type and accept a unique implicitly-coercible candidate.
pub(crate) fn func_select_candidate<A: AsRef<[Oid]>>(
    catalog: &Catalog,
    inputs: &[Oid],
    candidates: &[A],
    live: Vec<usize>,
) -> Option<usize> {
    let nargs = inputs.len();
    let mut base_inputs: Vec<Oid> = Vec::with_capacity(nargs);
    let mut nunknowns = 0;
    for &t in inputs {
        if t == oids::UNKNOWN {
            base_inputs.push(t);
            nunknowns += 1;
        } else {
            base_inputs.push(cat::base_type(catalog, t));
        }
    }
    let args = |i: usize| candidates.get(i).map(AsRef::as_ref).unwrap_or(&[]);

    // Keep the candidates with the most exact matches (all when none match).
    let live = keep_best(&live, |c| {
        (0..nargs)
            .filter(|&i| {
                let input = base_inputs.get(i).copied().unwrap_or(Oid::INVALID);
                input != oids::UNKNOWN && args(c).get(i) == Some(&input)
            })
            .count()
    });
    if live.len() == 1 {
        return live.first().copied();
    }

    // Then exact matches or preferred types of the input's own category.
    let slot_category: Vec<char> = base_inputs
        .iter()
        .map(|&t| cat::category(catalog, t))
        .collect();
    let live = keep_best(&live, |c| {
        (0..nargs)
            .filter(|&i| {
                let input = base_inputs.get(i).copied().unwrap_or(Oid::INVALID);
                if input == oids::UNKNOWN {
                    return false;
                }
                let Some(&t) = args(c).get(i) else {
                    return false;
                };
                t == input
                    || cat::is_preferred_type(
                        catalog,
                        slot_category.get(i).copied().unwrap_or('\0'),
                        t,
                    )
            })
            .count()
    });
    if live.len() == 1 {
        return live.first().copied();
    }

    if nunknowns == 0 {
        return None;
    }

    // Resolve a category for each unknown position.
    let mut resolved = true;
    let mut unknown_slots: Vec<(usize, char, bool)> = Vec::new();
    for i in 0..nargs {
        if base_inputs.get(i) != Some(&oids::UNKNOWN) {
            continue;
        }
        let mut slot_cat = None::<char>;
        let mut slot_pref = false;
        let mut conflict = false;
        for &c in &live {
            let t = args(c).get(i).copied().unwrap_or(Oid::INVALID);
            let (tc, tp) = cat::category_preferred(catalog, t);
            match slot_cat {
                None => {
                    slot_cat = Some(tc);
                    slot_pref = tp;
                }
                Some(sc) if sc == tc => slot_pref |= tp,
                Some(_) => {
                    if tc == 'S' {
                        slot_cat = Some(tc);
                        slot_pref = tp;
                    } else {
                        conflict = true;
                    }
                }
            }
        }
        let sc = slot_cat.unwrap_or('\0');
        if conflict && sc != 'S' {
            resolved = false;
            break;
        }
        unknown_slots.push((i, sc, slot_pref));
    }
    let mut live = live;
    if resolved {
        let kept: Vec<usize> = live
            .iter()
            .copied()
            .filter(|&c| {
                unknown_slots.iter().all(|&(i, sc, pref)| {
                    let t = args(c).get(i).copied().unwrap_or(Oid::INVALID);
                    let (tc, tp) = cat::category_preferred(catalog, t);
                    tc == sc && (!pref || tp)
                })
            })
            .collect();
        if !kept.is_empty() {
            live = kept;
        }
        if live.len() == 1 {
            return live.first().copied();
        }
    }

    // Last gasp: all known inputs of one type stand in for the unknowns.
    if nunknowns < nargs {
        let mut known = oids::UNKNOWN;
        for &t in &base_inputs {
            if t == oids::UNKNOWN {
                continue;
            }
            if known == oids::UNKNOWN {
                known = t;
            } else if known != t {
                known = oids::UNKNOWN;
                break;
            }
        }
        if known != oids::UNKNOWN {
            let assumed = vec![known; nargs];
            let mut found = None;
            for &c in &live {
                if can_coerce_type(catalog, &assumed, args(c), CoercionContext::Implicit) {
                    if found.is_some() {
                        return None;
                    }
                    found = Some(c);
                }
            }
            return found;
        }
    }
    None
}

/// The candidates with the highest score; all of them when that is 0 for all.
fn keep_best(live: &[usize], score: impl Fn(usize) -> usize) -> Vec<usize> {
    let best = live.iter().map(|&c| score(c)).max().unwrap_or(0);
    live.iter().copied().filter(|&c| score(c) == best).collect()
}

/// The operators of a name and kind visible from the search path (or the
/// given schema), one per signature, the earliest in the path winning
/// (`OpernameGetCandidates`).
fn operator_candidates<'c>(
    catalog: &'c Catalog,
    name: &OperatorName,
    kind: OperatorKind,
    position: Option<Position>,
) -> Result<Vec<Cow<'c, OperatorInfo>>> {
    // Borrowed, not cloned: `=` has dozens of candidates and only the
    // chosen one is returned.
    // The signatures already taken, kept sorted: a binary search instead
    // of a scan of every earlier candidate (quadratic for `=`), and
    // cheaper than hashing for the few dozen candidates there are.
    let mut out: Vec<Cow<'c, OperatorInfo>> = Vec::new();
    let mut taken: Vec<(Oid, Oid)> = Vec::new();
    for &ns in cat::lookup_namespaces(catalog, name.schema.as_deref(), position)?.iter() {
        for op in cat::operators_in_namespace(catalog, ns, &name.name, kind) {
            if let Err(at) = taken.binary_search(&(op.left, op.right)) {
                taken.insert(at, (op.left, op.right));
                out.push(op);
            }
        }
    }
    Ok(out)
}

/// `op_signature_string`: `integer = text`, `- text`.
fn op_signature(catalog: &Catalog, name: &OperatorName, left: Option<Oid>, right: Oid) -> String {
    match left {
        Some(l) => format!(
            "{} {} {}",
            format_type(catalog, l),
            name.display(),
            format_type(catalog, right)
        ),
        None => format!("{} {}", name.display(), format_type(catalog, right)),
    }
}

/// Finds the operator for the operand types (`oper` / `left_oper`): an
/// exact match (an `unknown` operand assumed to be the other's type, or
/// that type's base type), else the best implicitly-coercible candidate.
///
/// Successful resolutions are remembered in the catalog's
/// [`LookupMemo`](fdw_catalog::memo::LookupMemo) (PostgreSQL's oper cache):
/// the answer depends only on the catalog, which forgets them when it changes.
fn lookup_operator<'c>(
    catalog: &'c Catalog,
    name: &OperatorName,
    left: Option<Oid>,
    right: Oid,
    position: Option<Position>,
) -> Result<Cow<'c, OperatorInfo>> {
    let kind = if left.is_some() {
        OperatorKind::Binary
    } else {
        OperatorKind::Prefix
    };
    let memo = catalog.lookup_memo();
    if let Some(op) = memo
        .operator(name.schema.as_deref(), &name.name, left, right)
        .and_then(|oid| catalog.operator_info(oid))
    {
        // The row is the one remembered unless the oid was somehow reused;
        // anything else is recomputed.
        if op.name == name.name && op.kind == kind && !op.code.is_invalid() {
            return Ok(op);
        }
    }
    let op = resolve_operator(catalog, name, kind, left, right, position)?;
    memo.remember_operator(name.schema.as_deref(), &name.name, left, right, op.oid);
    Ok(op)
}

/// [`lookup_operator`] without the memo.
fn resolve_operator<'c>(
    catalog: &'c Catalog,
    name: &OperatorName,
    kind: OperatorKind,
    left: Option<Oid>,
    right: Oid,
    position: Option<Position>,
) -> Result<Cow<'c, OperatorInfo>> {
    let candidates = operator_candidates(catalog, name, kind, position)?;
    let exact = |l: Oid, r: Oid| candidates.iter().position(|o| o.left == l && o.right == r);
    let mut outcome = Selected::NotFound;
    let mut found = match left {
        Some(l) => {
            let (mut a1, mut a2) = (l, right);
            let mut was_unknown = false;
            if a1 == oids::UNKNOWN && !a2.is_invalid() {
                a1 = a2;
                was_unknown = true;
            } else if a2 == oids::UNKNOWN && !a1.is_invalid() {
                a2 = a1;
                was_unknown = true;
            }
            let mut f = exact(a1, a2);
            if f.is_none() && was_unknown {
                let base = cat::base_type(catalog, a1);
                if base != a1 {
                    f = exact(base, base);
                }
            }
            f
        }
        None => exact(Oid::INVALID, right),
    };
    if found.is_none() && !candidates.is_empty() {
        // Operand lists without an allocation each: a prefix operator's
        // list is the pair less its (invalid) left operand.
        let skip = usize::from(left.is_none());
        let input_pair = [left.unwrap_or(Oid::INVALID), right];
        let inputs = input_pair.get(skip..).unwrap_or_default();
        let pairs: Vec<[Oid; 2]> = candidates.iter().map(|o| [o.left, o.right]).collect();
        let arg_lists: Vec<&[Oid]> = pairs
            .iter()
            .map(|p| p.get(skip..).unwrap_or_default())
            .collect();
        let live = func_match_argtypes(catalog, inputs, &arg_lists);
        outcome = match live.len() {
            0 => Selected::NotFound,
            1 => Selected::Found(live.first().copied().unwrap_or(0)),
            _ => match func_select_candidate(catalog, inputs, &arg_lists, live) {
                Some(i) => Selected::Found(i),
                None => Selected::Ambiguous,
            },
        };
        if let Selected::Found(i) = outcome {
            found = Some(i);
        }
    }
    if let Some(op) = found.and_then(|i| candidates.into_iter().nth(i)) {
        if op.code.is_invalid() {
            return Err(Error::analyze(
                SqlState::UNDEFINED_FUNCTION,
                format!(
                    "operator is only a shell: {}",
                    op_signature(catalog, name, left, right)
                ),
                position,
            ));
        }
        return Ok(op);
    }
    let signature = op_signature(catalog, name, left, right);
    Err(match outcome {
        Selected::Ambiguous => Error::analyze(
            SqlState::AMBIGUOUS_FUNCTION,
            format!("operator is not unique: {signature}"),
            position,
        ),
        Selected::Found(_) | Selected::NotFound => Error::analyze(
            SqlState::UNDEFINED_FUNCTION,
            format!("operator does not exist: {signature}"),
            position,
        ),
    })
}

/// Coerces each argument to its declared type, implicitly
/// (`make_fn_arguments`); a named argument is coerced inside its
/// `NamedArgExpr`.
pub(crate) fn make_fn_arguments(
    catalog: &Catalog,
    mut args: Vec<Expr>,
    actual: &[Oid],
    declared: &[Oid],
    position: Option<Position>,
) -> Result<Vec<Expr>> {
    coerce_fn_arguments(catalog, &mut args, actual, declared, position)?;
    Ok(args)
}

/// [`make_fn_arguments`] in place: the caller's list is kept (no second
/// list per call; an operator's two operands need no allocation at all in
/// an [`ExprList`]).
pub(crate) fn coerce_fn_arguments(
    catalog: &Catalog,
    args: &mut [Expr],
    actual: &[Oid],
    declared: &[Oid],
    position: Option<Position>,
) -> Result<()> {
    for (i, slot) in args.iter_mut().enumerate() {
        let a = actual.get(i).copied().unwrap_or(Oid::INVALID);
        let d = declared.get(i).copied().unwrap_or(a);
        if a == d {
            continue;
        }
        // The argument is moved out for coercion; the null constant left
        // in its place for that moment allocates nothing.
        let target = match slot {
            Expr::NamedArgExpr(named) => &mut named.arg,
            other => other,
        };
        let arg = std::mem::replace(target, placeholder());
        *target = coerce_type(
            catalog,
            arg,
            a,
            d,
            -1,
            CoercionContext::Implicit,
            CoercionForm::ImplicitCast,
            position,
        )?;
    }
    Ok(())
}

/// A stand-in for an expression moved out of its place for a moment.
fn placeholder() -> Expr {
    Expr::Const(fdw_core::expr::Const::null(oids::UNKNOWN, -1, Oid::INVALID))
}

fn returns_set(catalog: &Catalog, func: Oid) -> bool {
    catalog.proc_info(func).is_some_and(|p| p.returns_set)
}

/// Resolves `left op right` (or prefix `op right` when `left` is `None`) and
/// builds the [`OpExpr`] with its operands coerced to the operator's
/// declared types (`make_op`). Collations are left for
/// [`assign_expr_collations`](super::assign_expr_collations).
///
/// # Errors
///
/// `operator does not exist: integer = text` (42883), `operator is not
/// unique: unknown || unknown` (42725), polymorphic mismatches (42804),
/// bad literals for the chosen operand types (22P02, ...).
pub fn make_op(
    catalog: &Catalog,
    name: &OperatorName,
    left: Option<Expr>,
    right: Expr,
    position: Option<Position>,
) -> Result<Expr> {
    let ltype = left.as_ref().map(Expr::type_oid);
    let rtype = right.type_oid();
    let op = lookup_operator(catalog, name, ltype, rtype, position)?;
    // The operand types in fixed pairs (a prefix operator uses the second
    // slot only): no allocation for them per operator.
    let actual_pair = [ltype.unwrap_or(Oid::INVALID), rtype];
    let mut declared_pair = [op.left, op.right];
    let skip = usize::from(left.is_none());
    // Built as the node's own inline list, coerced in place.
    let mut args = ExprList::new();
    if let Some(l) = left {
        args.push(l);
    }
    args.push(right);
    let actual = actual_pair.get(skip..).unwrap_or_default();
    let declared = declared_pair.get_mut(skip..).unwrap_or_default();
    let rettype = enforce_generic_type_consistency(catalog, actual, declared, op.result, false)
        .map_err(|e| at(e, position))?;
    coerce_fn_arguments(catalog, &mut args, actual, declared, position)?;
    Ok(Expr::OpExpr(Box::new(OpExpr {
        opno: op.oid,
        opfuncid: op.code,
        opresulttype: rettype,
        opretset: returns_set(catalog, op.code),
        opcollid: Oid::INVALID,
        inputcollid: Oid::INVALID,
        args,
    })))
}

/// Gives a position-less analysis error the caller's position.
pub(crate) fn at(err: Error, position: Option<Position>) -> Error {
    match err {
        Error::Analyze {
            code,
            message,
            position: None,
        } => Error::Analyze {
            code,
            message,
            position,
        },
        other => other,
    }
}

/// `scalar op ANY (array)` / `op ALL` (`make_scalar_array_op`): the operator
/// is resolved against the array's element type, then the array operand is
/// coerced to the array of the operator's right type.
///
/// # Errors
///
/// `op ANY/ALL (array) requires array on right side` (42809),
/// `op ANY/ALL (array) requires operator to yield boolean` (42809), and
/// [`make_op`]'s errors.
pub fn make_scalar_array_op(
    catalog: &Catalog,
    name: &OperatorName,
    use_or: bool,
    left: Expr,
    right: Expr,
    position: Option<Position>,
) -> Result<Expr> {
    let ltype = left.type_oid();
    let atype = right.type_oid();
    let rtype = if atype == oids::UNKNOWN {
        oids::UNKNOWN
    } else {
        let e = cat::base_element_type(catalog, atype);
        if e.is_invalid() {
            return Err(Error::analyze(
                SqlState::WRONG_OBJECT_TYPE,
                "op ANY/ALL (array) requires array on right side",
                position,
            ));
        }
        e
    };
    let op = lookup_operator(catalog, name, Some(ltype), rtype, position)?;
    let mut declared = vec![op.left, op.right];
    let rettype =
        enforce_generic_type_consistency(catalog, &[ltype, rtype], &mut declared, op.result, false)
            .map_err(|e| at(e, position))?;
    if rettype != oids::BOOL {
        return Err(Error::analyze(
            SqlState::WRONG_OBJECT_TYPE,
            "op ANY/ALL (array) requires operator to yield boolean",
            position,
        ));
    }
    if returns_set(catalog, op.code) {
        return Err(Error::analyze(
            SqlState::WRONG_OBJECT_TYPE,
            "op ANY/ALL (array) requires operator not to return a set",
            position,
        ));
    }
    let right_declared = declared.get(1).copied().unwrap_or(Oid::INVALID);
    let res_atype = if is_polymorphic(right_declared) {
        atype
    } else {
        let a = cat::array_type(catalog, right_declared);
        if a.is_invalid() {
            return Err(Error::analyze(
                SqlState::UNDEFINED_OBJECT,
                format!(
                    "could not find array type for data type {}",
                    format_type(catalog, right_declared)
                ),
                position,
            ));
        }
        a
    };
    if let Some(d) = declared.get_mut(1) {
        *d = res_atype;
    }
    let mut args = ExprList::new();
    args.push(left);
    args.push(right);
    coerce_fn_arguments(catalog, &mut args, &[ltype, atype], &declared, position)?;
    Ok(Expr::ScalarArrayOpExpr(Box::new(ScalarArrayOpExpr {
        opno: op.oid,
        opfuncid: op.code,
        hashfuncid: Oid::INVALID,
        negfuncid: Oid::INVALID,
        use_or,
        inputcollid: Oid::INVALID,
        args,
    })))
}

/// `a IS DISTINCT FROM b` (`make_distinct_op`): the `=` operator (as
/// named) resolved as by [`make_op`], which must yield `boolean`; the node
/// is a `DistinctExpr`.
///
/// # Errors
///
/// `IS DISTINCT FROM requires = operator to yield boolean` (42804),
/// `IS DISTINCT FROM must not return a set` (42804), and [`make_op`]'s.
pub fn make_distinct_op(
    catalog: &Catalog,
    name: &OperatorName,
    left: Expr,
    right: Expr,
    position: Option<Position>,
) -> Result<Expr> {
    let op = checked_eq_op(catalog, name, left, right, "IS DISTINCT FROM", position)?;
    Ok(Expr::DistinctExpr(op))
}

/// `NULLIF(a, b)` (`transformAExprNullIf`): the `=` operator of the two,
/// which must yield `boolean`; the `NullIfExpr` has the first (coerced)
/// operand's type.
///
/// # Errors
///
/// `NULLIF requires = operator to yield boolean` (42804), and [`make_op`]'s.
pub fn make_nullif(
    catalog: &Catalog,
    left: Expr,
    right: Expr,
    position: Option<Position>,
) -> Result<Expr> {
    let mut op = checked_eq_op(
        catalog,
        &OperatorName::new("="),
        left,
        right,
        "NULLIF",
        position,
    )?;
    op.opresulttype = op.args.first().map_or(Oid::INVALID, Expr::type_oid);
    Ok(Expr::NullIfExpr(op))
}

fn checked_eq_op(
    catalog: &Catalog,
    name: &OperatorName,
    left: Expr,
    right: Expr,
    construct: &str,
    position: Option<Position>,
) -> Result<Box<OpExpr>> {
    let expr = make_op(catalog, name, Some(left), right, position)?;
    let Expr::OpExpr(op) = expr else {
        return Err(Error::Internal("make_op built no OpExpr".into()));
    };
    if op.opresulttype != oids::BOOL {
        return Err(Error::analyze(
            SqlState::DATATYPE_MISMATCH,
            format!("{construct} requires = operator to yield boolean"),
            position,
        ));
    }
    if op.opretset {
        return Err(Error::analyze(
            SqlState::DATATYPE_MISMATCH,
            format!("{construct} must not return a set"),
            position,
        ));
    }
    Ok(op)
}
