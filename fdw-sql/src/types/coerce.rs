//! Coercions (`parse_coerce.c`): whether a value of one type can become
//! another in a context, and the node that does it.
//!
//! The pathway comes from `pg_cast` between the types under any domains:
//! a binary-coercible cast relabels ([`RelabelType`]), a function cast calls
//! the function ([`FuncExpr`] with the typmod and "is explicit" arguments
//! the function takes), an I/O cast goes through text ([`CoerceViaIO`]).
//! With no `pg_cast` row, arrays are cast element by element
//! ([`ArrayCoerceExpr`]) and string types may go through I/O. An `unknown`
//! literal is not cast at all: PostgreSQL runs the target type's input
//! function at parse time and the literal becomes a constant of the target.

use fdw_catalog::Catalog;
use fdw_core::expr::{
    ArrayCoerceExpr, CaseTestExpr, CoerceToDomain, CoerceViaIO, CoercionForm, CollateExpr, Const,
    ExprList, FuncExpr, RelabelType, RowExpr,
};
use fdw_core::{Expr, Oid, TypMod};

use super::cat::{self, format_type};
use super::oids::{self, is_polymorphic};
use super::CoercionContext;
use crate::error::{Error, Position, Result, SqlState};
use crate::value::{self, Evaluated, ValueSettings};

/// How a value of one type becomes another (`CoercionPathType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CoercionPath {
    /// No way in this context (`COERCION_PATH_NONE`).
    None,
    /// Binary compatible: relabel only (`COERCION_PATH_RELABELTYPE`).
    Relabel,
    /// Call this cast function (`COERCION_PATH_FUNC`).
    Func(Oid),
    /// Cast each element of an array (`COERCION_PATH_ARRAYCOERCE`).
    ArrayCoerce,
    /// Through the output and input functions (`COERCION_PATH_COERCEVIAIO`).
    ViaIo,
}

/// The pathway from `source` to `target` in `ctx` (`find_coercion_pathway`).
pub fn find_coercion_pathway(
    catalog: &Catalog,
    target: Oid,
    source: Oid,
    ctx: CoercionContext,
) -> CoercionPath {
    find_pathway_depth(catalog, target, source, ctx, 0)
}

/// Array types nest only a few levels; the bound guards corrupt data.
const MAX_ARRAY_DEPTH: usize = 8;

fn find_pathway_depth(
    catalog: &Catalog,
    target: Oid,
    source: Oid,
    ctx: CoercionContext,
    depth: usize,
) -> CoercionPath {
    if source == target {
        return CoercionPath::Relabel;
    }
    let source = cat::base_type(catalog, source);
    let target = cat::base_type(catalog, target);
    // Domains are always coercible to and from their base type.
    if source == target {
        return CoercionPath::Relabel;
    }
    if let Some(c) = cat::cast(catalog, source, target) {
        use fdw_catalog::builtin::{CastContext, CastMethod};
        let allowed = match c.context {
            CastContext::Implicit => true,
            CastContext::Assignment => ctx >= CoercionContext::Assignment,
            CastContext::Explicit => ctx == CoercionContext::Explicit,
        };
        if !allowed {
            return CoercionPath::None;
        }
        return match c.method {
            CastMethod::Function => CoercionPath::Func(c.func),
            CastMethod::Binary => CoercionPath::Relabel,
            CastMethod::InOut => CoercionPath::ViaIo,
        };
    }
    // No pg_cast row: arrays element-wise (not to the vector types, whose
    // element casts would not produce a valid vector), then I/O to or from
    // strings.
    if target != oids::OIDVECTOR && target != oids::INT2VECTOR && depth < MAX_ARRAY_DEPTH {
        let target_elem = cat::element_type(catalog, target);
        let source_elem = cat::element_type(catalog, source);
        if !target_elem.is_invalid()
            && !source_elem.is_invalid()
            && find_pathway_depth(catalog, target_elem, source_elem, ctx, depth + 1)
                != CoercionPath::None
        {
            return CoercionPath::ArrayCoerce;
        }
    }
    if ctx >= CoercionContext::Assignment && cat::category(catalog, target) == 'S' {
        return CoercionPath::ViaIo;
    }
    if ctx == CoercionContext::Explicit && cat::category(catalog, source) == 'S' {
        return CoercionPath::ViaIo;
    }
    CoercionPath::None
}

/// The length-coercion function of `target` (`find_typmod_coercion_function`):
/// the `pg_cast` row from the type to itself, or from its element type to
/// itself for a true array (then applied per element).
fn find_typmod_coercion_function(catalog: &Catalog, target: Oid) -> CoercionPath {
    let elem = cat::element_type(catalog, target);
    let (type_id, array) = if elem.is_invalid() {
        (target, false)
    } else {
        (elem, true)
    };
    match cat::cast(catalog, type_id, type_id) {
        Some(c) if !c.func.is_invalid() => {
            if array {
                CoercionPath::ArrayCoerce
            } else {
                CoercionPath::Func(c.func)
            }
        }
        _ => CoercionPath::None,
    }
}

/// Whether every input type can be coerced to its target type in `ctx`
/// (`can_coerce_type`). `unknown` inputs are always accepted; polymorphic
/// targets are checked together for consistency.
pub fn can_coerce_type(
    catalog: &Catalog,
    inputs: &[Oid],
    targets: &[Oid],
    ctx: CoercionContext,
) -> bool {
    if inputs.len() != targets.len() {
        return false;
    }
    let mut have_generic = false;
    for (&input, &target) in inputs.iter().zip(targets) {
        if input == target || target == oids::ANY {
            continue;
        }
        if is_polymorphic(target) {
            have_generic = true;
            continue;
        }
        if input == oids::UNKNOWN {
            continue;
        }
        if find_coercion_pathway(catalog, target, input, ctx) != CoercionPath::None {
            continue;
        }
        if input == oids::RECORD && cat::is_complex(catalog, target) {
            continue;
        }
        if target == oids::RECORD && cat::is_complex(catalog, input) {
            continue;
        }
        if target == oids::RECORD_ARRAY && cat::is_complex_array(catalog, input) {
            continue;
        }
        return false;
    }
    if have_generic {
        return super::poly::check_generic_type_consistency(catalog, inputs, targets);
    }
    true
}

/// Coerces `expr` (of type `input`) to `target` (`coerce_type`), without
/// any length coercion. The caller must have checked [`can_coerce_type`].
///
/// # Errors
///
/// The input function's error for an `unknown` literal that is not valid
/// for the target (`invalid input syntax for type integer: "x"`, 22P02);
/// [`Error::Unsupported`] for row-type conversions not implemented;
/// `failed to find conversion function` (XX000) when there is no path.
#[allow(clippy::too_many_arguments)]
pub fn coerce_type(
    catalog: &Catalog,
    expr: Expr,
    input: Oid,
    target: Oid,
    typmod: TypMod,
    ctx: CoercionContext,
    form: CoercionForm,
    position: Option<Position>,
) -> Result<Expr> {
    if target == input {
        return Ok(expr);
    }
    if matches!(
        target,
        oids::ANY
            | oids::ANYELEMENT
            | oids::ANYNONARRAY
            | oids::ANYCOMPATIBLE
            | oids::ANYCOMPATIBLENONARRAY
    ) {
        // Polymorphic targets accept anything as it is.
        return Ok(expr);
    }
    if matches!(
        target,
        oids::ANYARRAY
            | oids::ANYENUM
            | oids::ANYRANGE
            | oids::ANYMULTIRANGE
            | oids::ANYCOMPATIBLEARRAY
            | oids::ANYCOMPATIBLERANGE
            | oids::ANYCOMPATIBLEMULTIRANGE
    ) && input != oids::UNKNOWN
    {
        // These require the actual type to be of the right kind; a domain
        // over one is relabelled to its base type so the function sees it.
        let base = cat::base_type(catalog, input);
        if base != input {
            return Ok(Expr::RelabelType(Box::new(RelabelType {
                arg: expr,
                resulttype: base,
                resulttypmod: -1,
                resultcollid: Oid::INVALID,
                relabelformat: form,
            })));
        }
        return Ok(expr);
    }
    let expr = match expr {
        Expr::Const(c) if input == oids::UNKNOWN => {
            return coerce_unknown_const(catalog, c, target, typmod, ctx, form, position)
        }
        Expr::CollateExpr(coll) => {
            // The coercion goes under the COLLATE, which is dropped when the
            // target is not collatable.
            let CollateExpr { arg, coll_oid } = *coll;
            let inner = coerce_type(catalog, arg, input, target, typmod, ctx, form, position)?;
            if cat::is_collatable(catalog, target) {
                return Ok(Expr::CollateExpr(Box::new(CollateExpr {
                    arg: inner,
                    coll_oid,
                })));
            }
            return Ok(inner);
        }
        other => other,
    };
    match find_coercion_pathway(catalog, target, input, ctx) {
        CoercionPath::None => {}
        CoercionPath::Relabel => {
            let (base, base_typmod) = cat::base_type_and_typmod(catalog, target, -1);
            if base != target {
                return coerce_to_domain(
                    catalog,
                    expr,
                    base,
                    base_typmod,
                    target,
                    ctx,
                    form,
                    false,
                );
            }
            return Ok(Expr::RelabelType(Box::new(RelabelType {
                arg: expr,
                resulttype: target,
                resulttypmod: -1,
                resultcollid: Oid::INVALID,
                relabelformat: form,
            })));
        }
        path @ (CoercionPath::Func(_) | CoercionPath::ArrayCoerce | CoercionPath::ViaIo) => {
            let (base, base_typmod) = cat::base_type_and_typmod(catalog, target, typmod);
            let result = build_coercion_expression(
                catalog,
                expr,
                path,
                base,
                base_typmod,
                ctx,
                form,
                position,
            )?;
            if base != target {
                return coerce_to_domain(
                    catalog,
                    result,
                    base,
                    base_typmod,
                    target,
                    ctx,
                    form,
                    true,
                );
            }
            return Ok(result);
        }
    }
    if input == oids::RECORD && cat::is_complex(catalog, target) {
        return coerce_record_to_complex(catalog, expr, target, ctx, form, position);
    }
    if target == oids::RECORD && cat::is_complex(catalog, input) {
        // No RelabelType: the value already is a record.
        return Ok(expr);
    }
    if target == oids::RECORD_ARRAY && cat::is_complex_array(catalog, input) {
        return Ok(expr);
    }
    Err(Error::analyze(
        SqlState::INTERNAL_ERROR,
        format!(
            "failed to find conversion function from {} to {}",
            format_type(catalog, input),
            format_type(catalog, target)
        ),
        position,
    ))
}

/// `cannot cast type record to <target>` (42846), with `detail`.
fn cannot_cast_record(
    catalog: &Catalog,
    target: Oid,
    detail: &str,
    position: Option<Position>,
) -> Error {
    Error::analyze(
        SqlState::CANNOT_COERCE,
        format!(
            "cannot cast type record to {}{detail}",
            format_type(catalog, target)
        ),
        position,
    )
}

/// A row constructor becomes a row of the composite type `target`
/// (`coerce_record_to_complex`): a [`RowExpr`] of the target's base type
/// whose fields are the written ones coerced to the columns' types and
/// typmods in `ctx` (implicit-cast form), a null `int4` for each dropped
/// column; then the domain check when `target` is a domain.
fn coerce_record_to_complex(
    catalog: &Catalog,
    expr: Expr,
    target: Oid,
    ctx: CoercionContext,
    form: CoercionForm,
    position: Option<Position>,
) -> Result<Expr> {
    let args = match expr {
        Expr::RowExpr(row) => row.args,
        Expr::Var(var) if var.varattno == fdw_core::AttrNumber::WHOLE_ROW => {
            // PostgreSQL expands the relation's columns here, which needs
            // the range table this routine does not see.
            return Err(Error::Unsupported {
                what: format!(
                    "casting a whole-row reference to the composite type {}",
                    format_type(catalog, target)
                ),
                position,
            });
        }
        _ => return Err(cannot_cast_record(catalog, target, "", position)),
    };
    let (base, base_typmod) = cat::base_type_and_typmod(catalog, target, -1);
    let relation = cat::type_info(catalog, base)
        .map(|t| t.relid)
        .filter(|relid| !relid.is_invalid())
        .and_then(|relid| catalog.relation(relid));
    let Some(relation) = relation else {
        return Err(Error::Unsupported {
            what: format!(
                "the columns of the composite type {}",
                format_type(catalog, target)
            ),
            position,
        });
    };
    let mut written = args.into_iter();
    let mut fields = Vec::with_capacity(relation.columns.len());
    let mut column_number = 1;
    for column in &relation.columns {
        if column.dropped {
            fields.push(Expr::Const(Const::null(oids::INT4, -1, Oid::INVALID)));
            continue;
        }
        let Some(field) = written.next() else {
            return Err(cannot_cast_record(
                catalog,
                target,
                " (input has too few columns)",
                position,
            ));
        };
        let field_type = field.type_oid();
        let coerced = coerce_to_target_type(
            catalog,
            field,
            column.type_oid,
            column.typmod,
            ctx,
            CoercionForm::ImplicitCast,
            position,
        )?;
        let Some(coerced) = coerced else {
            return Err(Error::analyze(
                SqlState::CANNOT_COERCE,
                format!(
                    "cannot cast type {} to {} in column {column_number}",
                    format_type(catalog, field_type),
                    format_type(catalog, column.type_oid)
                ),
                position,
            ));
        };
        fields.push(coerced);
        column_number += 1;
    }
    if written.next().is_some() {
        return Err(cannot_cast_record(
            catalog,
            target,
            " (input has too many columns)",
            position,
        ));
    }
    let row = Expr::RowExpr(Box::new(RowExpr {
        args: fields.into_iter().collect(),
        row_typeid: base,
        row_format: if base == target {
            form
        } else {
            CoercionForm::ImplicitCast
        },
        colnames: Vec::new(),
    }));
    if base == target {
        return Ok(row);
    }
    coerce_to_domain(catalog, row, base, base_typmod, target, ctx, form, false)
}

/// An `unknown` literal becomes a constant of the target's base type whose
/// value is the input function's canonical output (PostgreSQL runs the
/// input function at parse time), then a domain check when the target is a
/// domain.
fn coerce_unknown_const(
    catalog: &Catalog,
    c: Const,
    target: Oid,
    typmod: TypMod,
    ctx: CoercionContext,
    form: CoercionForm,
    position: Option<Position>,
) -> Result<Expr> {
    let (base, base_typmod) = cat::base_type_and_typmod(catalog, target, typmod);
    // Only interval's input function looks at the typmod (for the field
    // restriction of `interval day`); every other type's typmod is applied
    // later by a length coercion.
    let input_typmod = if base == oids::INTERVAL {
        base_typmod
    } else {
        -1
    };
    let value = match c.value {
        None => None,
        Some(text) => {
            let settings = ValueSettings::transmission(catalog);
            match value::input(catalog, base, input_typmod, &text, &settings)
                .map_err(|e| with_position(e, position))?
            {
                Evaluated::Value(v) => Some(v),
                // The literal's own text is what PostgreSQL's output would
                // print for most spellings; it is kept rather than guessed at
                // and the fold stage sees an unchanged value.
                Evaluated::NotEvaluable(_) => Some(text),
            }
        }
    };
    let result = Expr::Const(Const {
        consttype: base,
        consttypmod: input_typmod,
        constcollid: cat::type_collation(catalog, base),
        value,
    });
    if base != target {
        return coerce_to_domain(catalog, result, base, base_typmod, target, ctx, form, false);
    }
    Ok(result)
}

/// Attaches the literal's position to an input-function error that has none.
fn with_position(err: Error, position: Option<Position>) -> Error {
    match err {
        Error::Evaluate {
            code,
            message,
            position: None,
        } => Error::Evaluate {
            code,
            message,
            position,
        },
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

/// The node for a function, array or I/O coercion (`build_coercion_expression`).
#[allow(clippy::too_many_arguments)]
fn build_coercion_expression(
    catalog: &Catalog,
    expr: Expr,
    path: CoercionPath,
    target: Oid,
    typmod: TypMod,
    ctx: CoercionContext,
    form: CoercionForm,
    position: Option<Position>,
) -> Result<Expr> {
    match path {
        CoercionPath::Func(funcid) => {
            let nargs = catalog
                .proc_info(funcid)
                .map(|p| p.arg_types.len())
                .ok_or_else(|| {
                    Error::Internal(format!("cache lookup failed for function {}", funcid.0))
                })?;
            let mut args = ExprList::new();
            args.push(expr);
            // Cast functions may take the target typmod and an
            // "is explicit" flag as extra arguments.
            if nargs >= 2 {
                args.push(Expr::Const(Const::new(
                    oids::INT4,
                    Oid::INVALID,
                    typmod.to_string(),
                )));
            }
            if nargs == 3 {
                args.push(Expr::Const(Const::new(
                    oids::BOOL,
                    Oid::INVALID,
                    if ctx == CoercionContext::Explicit {
                        "true"
                    } else {
                        "false"
                    },
                )));
            }
            Ok(Expr::FuncExpr(Box::new(FuncExpr {
                funcid,
                funcresulttype: target,
                funcretset: false,
                funcvariadic: false,
                funcformat: form,
                funccollid: Oid::INVALID,
                inputcollid: Oid::INVALID,
                args,
            })))
        }
        CoercionPath::ArrayCoerce => {
            let (source_base, source_typmod) =
                cat::base_type_and_typmod(catalog, expr.type_oid(), expr.typmod());
            let test = Expr::CaseTestExpr(CaseTestExpr {
                type_id: cat::element_type(catalog, source_base),
                type_mod: source_typmod,
                collation: Oid::INVALID,
            });
            let target_elem = cat::element_type(catalog, target);
            let elemexpr =
                coerce_to_target_type(catalog, test, target_elem, typmod, ctx, form, position)?
                    .ok_or_else(|| {
                        Error::Internal("failed to coerce array element type as expected".into())
                    })?;
            let resulttypmod = elemexpr.typmod();
            Ok(Expr::ArrayCoerceExpr(Box::new(ArrayCoerceExpr {
                arg: expr,
                elemexpr,
                resulttype: target,
                resulttypmod,
                resultcollid: Oid::INVALID,
                coerceformat: form,
            })))
        }
        CoercionPath::ViaIo => Ok(Expr::CoerceViaIO(Box::new(CoerceViaIO {
            arg: expr,
            resulttype: target,
            resultcollid: Oid::INVALID,
            coerceformat: form,
        }))),
        CoercionPath::None | CoercionPath::Relabel => Err(Error::Internal(
            "build_coercion_expression called for a relabel or no path".into(),
        )),
    }
}

/// Wraps `expr` (of the domain's base type) in a domain check
/// (`coerce_to_domain`); `expr` unchanged when `target` is no domain.
#[allow(clippy::too_many_arguments)]
fn coerce_to_domain(
    catalog: &Catalog,
    mut expr: Expr,
    base: Oid,
    base_typmod: TypMod,
    target: Oid,
    ctx: CoercionContext,
    form: CoercionForm,
    hide_input: bool,
) -> Result<Expr> {
    if base == target {
        return Ok(expr);
    }
    if hide_input {
        hide_coercion_node(&mut expr);
    }
    // A domain declared over `varchar(3)` applies that typmod first.
    let arg = coerce_type_typmod(
        catalog,
        expr,
        base,
        base_typmod,
        ctx,
        CoercionForm::ImplicitCast,
        false,
    )?;
    Ok(Expr::CoerceToDomain(Box::new(CoerceToDomain {
        arg,
        resulttype: target,
        resulttypmod: -1,
        resultcollid: Oid::INVALID,
        coercionformat: form,
    })))
}

/// Marks a coercion node as implicit so it is not printed
/// (`hide_coercion_node`): used when a length coercion is stacked on top.
fn hide_coercion_node(expr: &mut Expr) {
    match expr {
        Expr::FuncExpr(f) => f.funcformat = CoercionForm::ImplicitCast,
        Expr::RelabelType(r) => r.relabelformat = CoercionForm::ImplicitCast,
        Expr::CoerceViaIO(c) => c.coerceformat = CoercionForm::ImplicitCast,
        Expr::ArrayCoerceExpr(c) => c.coerceformat = CoercionForm::ImplicitCast,
        Expr::ConvertRowtypeExpr(c) => c.convertformat = CoercionForm::ImplicitCast,
        Expr::RowExpr(r) => r.row_format = CoercionForm::ImplicitCast,
        Expr::CoerceToDomain(c) => c.coercionformat = CoercionForm::ImplicitCast,
        Expr::Var(_)
        | Expr::Const(_)
        | Expr::Param(_)
        | Expr::Aggref(_)
        | Expr::GroupingFunc(_)
        | Expr::WindowFunc(_)
        | Expr::SubscriptingRef(_)
        | Expr::NamedArgExpr(_)
        | Expr::OpExpr(_)
        | Expr::DistinctExpr(_)
        | Expr::NullIfExpr(_)
        | Expr::ScalarArrayOpExpr(_)
        | Expr::BoolExpr(_)
        | Expr::SubLink(_)
        | Expr::SubPlan(_)
        | Expr::AlternativeSubPlan(_)
        | Expr::FieldSelect(_)
        | Expr::FieldStore(_)
        | Expr::CollateExpr(_)
        | Expr::CaseExpr(_)
        | Expr::CaseTestExpr(_)
        | Expr::ArrayExpr(_)
        | Expr::RowCompareExpr(_)
        | Expr::CoalesceExpr(_)
        | Expr::MinMaxExpr(_)
        | Expr::SqlValueFunction(_)
        | Expr::XmlExpr(_)
        | Expr::JsonExpr(_)
        | Expr::NullTest(_)
        | Expr::BooleanTest(_)
        | Expr::CoerceToDomainValue(_)
        | Expr::SetToDefault(_)
        | Expr::CurrentOfExpr(_)
        | Expr::NextValueExpr(_)
        | Expr::PlaceHolderVar(_) => {}
    }
}

/// Applies a typmod (`coerce_type_typmod`): the type's length-coercion
/// function when it has one (`varchar(n)`, `numeric(p,s)`, `bit(n)`,
/// `timestamp(p)`, ...), else a relabel that exposes the typmod. Nothing
/// when `expr` already has it.
///
/// `hide_input` marks the coercion below as implicit, as when a type
/// coercion and a length coercion are stacked (`c1::varchar(3)` on an
/// integer prints once).
///
/// # Errors
///
/// Internal errors from inconsistent catalog data only.
pub fn coerce_type_typmod(
    catalog: &Catalog,
    mut expr: Expr,
    target: Oid,
    typmod: TypMod,
    ctx: CoercionContext,
    form: CoercionForm,
    hide_input: bool,
) -> Result<Expr> {
    if typmod == expr.typmod() {
        return Ok(expr);
    }
    if hide_input {
        hide_coercion_node(&mut expr);
    }
    let path = if typmod < 0 {
        CoercionPath::None
    } else {
        find_typmod_coercion_function(catalog, target)
    };
    match path {
        CoercionPath::Func(_) | CoercionPath::ArrayCoerce => {
            build_coercion_expression(catalog, expr, path, target, typmod, ctx, form, None)
        }
        CoercionPath::None | CoercionPath::Relabel | CoercionPath::ViaIo => {
            let collation = expr.collation();
            Ok(apply_relabel_type(expr, target, typmod, collation, form))
        }
    }
}

/// `applyRelabelType`: relabels to (`rtype`, `rtypmod`, `rcollid`),
/// dropping stacked relabels, rewriting a constant in place and adding
/// nothing when the relabels net out.
pub(crate) fn apply_relabel_type(
    expr: Expr,
    rtype: Oid,
    rtypmod: TypMod,
    rcollid: Oid,
    form: CoercionForm,
) -> Expr {
    let mut arg = expr;
    while let Expr::RelabelType(r) = arg {
        arg = r.arg;
    }
    match arg {
        Expr::Const(mut c) => {
            c.consttype = rtype;
            c.consttypmod = rtypmod;
            c.constcollid = rcollid;
            Expr::Const(c)
        }
        other
            if other.type_oid() == rtype
                && other.typmod() == rtypmod
                && other.collation() == rcollid =>
        {
            other
        }
        other => Expr::RelabelType(Box::new(RelabelType {
            arg: other,
            resulttype: rtype,
            resulttypmod: rtypmod,
            resultcollid: rcollid,
            relabelformat: form,
        })),
    }
}

/// Coerces `expr` to `target` with typmod `typmod` in `ctx`
/// (`coerce_to_target_type`): the type coercion, then the length coercion.
/// `Ok(None)` when there is no coercion path, for the caller to report in
/// its own words (`cannot cast type integer to date`, `column "c" is of
/// type integer but expression is of type text`, ...).
///
/// A `COLLATE` on top of `expr` stays on top of the result when the
/// target is collatable.
///
/// # Errors
///
/// As [`coerce_type`].
#[allow(clippy::too_many_arguments)]
pub fn coerce_to_target_type(
    catalog: &Catalog,
    expr: Expr,
    target: Oid,
    typmod: TypMod,
    ctx: CoercionContext,
    form: CoercionForm,
    position: Option<Position>,
) -> Result<Option<Expr>> {
    let input = expr.type_oid();
    if !can_coerce_type(catalog, &[input], &[target], ctx) {
        return Ok(None);
    }
    // Strip COLLATE clauses, coerce, and put one back.
    let mut collates = Vec::new();
    let mut inner = expr;
    while let Expr::CollateExpr(c) = inner {
        collates.push(c.coll_oid);
        inner = c.arg;
    }
    let before = inner.clone();
    let coerced = coerce_type(catalog, inner, input, target, typmod, ctx, form, position)?;
    // PostgreSQL hides the type coercion under a length coercion when a
    // new node was built that is not a constant.
    let hide = coerced != before && !matches!(coerced, Expr::Const(_));
    let mut result = coerce_type_typmod(catalog, coerced, target, typmod, ctx, form, hide)?;
    if let Some(&coll_oid) = collates.first() {
        if cat::is_collatable(catalog, target) {
            result = Expr::CollateExpr(Box::new(CollateExpr {
                arg: result,
                coll_oid,
            }));
        }
    }
    Ok(Some(result))
}

/// Coerces a condition to `boolean` (`coerce_to_boolean`), as `WHERE`,
/// `HAVING`, `ON`, `CASE WHEN` and the boolean operators require.
///
/// # Errors
///
/// `argument of WHERE must be type boolean, not type integer` (42804);
/// `argument of WHERE must not return a set` (42804).
pub fn coerce_to_boolean(
    catalog: &Catalog,
    expr: Expr,
    construct: &str,
    position: Option<Position>,
) -> Result<Expr> {
    coerce_to_boolean_at(catalog, expr, construct, || position)
}

/// [`coerce_to_boolean`] with the position worked out only when it is
/// needed: an argument that is boolean already (the usual case) needs it
/// only for the error, and finding a condition's position visits all of it.
pub(crate) fn coerce_to_boolean_at(
    catalog: &Catalog,
    expr: Expr,
    construct: &str,
    position: impl FnOnce() -> Option<Position>,
) -> Result<Expr> {
    let input = expr.type_oid();
    if input == oids::BOOL {
        if fdw_core::expr::expression_returns_set(&expr)? {
            return Err(returns_set_error(construct, position()));
        }
        return Ok(expr);
    }
    let position = position();
    let expr = match coerce_to_target_type(
        catalog,
        expr,
        oids::BOOL,
        -1,
        CoercionContext::Assignment,
        CoercionForm::ImplicitCast,
        position,
    )? {
        Some(e) => e,
        None => {
            return Err(Error::analyze(
                SqlState::DATATYPE_MISMATCH,
                format!(
                    "argument of {construct} must be type boolean, not type {}",
                    format_type(catalog, input)
                ),
                position,
            ))
        }
    };
    if fdw_core::expr::expression_returns_set(&expr)? {
        return Err(returns_set_error(construct, position));
    }
    Ok(expr)
}

fn returns_set_error(construct: &str, position: Option<Position>) -> Error {
    Error::analyze(
        SqlState::DATATYPE_MISMATCH,
        format!("argument of {construct} must not return a set"),
        position,
    )
}

/// Coerces one branch of `CASE`, `COALESCE`, `UNION`, ... to the common
/// type chosen by [`select_common_type`](super::select_common_type)
/// (`coerce_to_common_type`), implicitly.
///
/// # Errors
///
/// `CASE could not convert type text to integer` (42846) when there is no
/// implicit path; the input function's error for a bad literal.
pub fn coerce_to_common_type(
    catalog: &Catalog,
    expr: Expr,
    target: Oid,
    context: &str,
    position: Option<Position>,
) -> Result<Expr> {
    let input = expr.type_oid();
    if input == target {
        return Ok(expr);
    }
    if can_coerce_type(catalog, &[input], &[target], CoercionContext::Implicit) {
        coerce_type(
            catalog,
            expr,
            input,
            target,
            -1,
            CoercionContext::Implicit,
            CoercionForm::ImplicitCast,
            position,
        )
    } else {
        Err(Error::analyze(
            SqlState::CANNOT_COERCE,
            format!(
                "{context} could not convert type {} to {}",
                format_type(catalog, input),
                format_type(catalog, target)
            ),
            position,
        ))
    }
}
