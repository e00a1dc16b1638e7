//! `cost_qual_eval`: what evaluating expressions costs per row and once.

use fdw_catalog::catalog::Catalog;
use fdw_core::expr::Expr;
use fdw_core::Oid;

use crate::array_len::estimate_array_length;
use crate::error::{Error, Result};
use crate::params::{CostParams, DISABLE_COST};

/// `pg_am` oid of the hash access method.
const HASH_AM: Oid = Oid(405);
/// `HTEqualStrategyNumber`.
const HASH_EQUAL_STRATEGY: i16 = 1;
/// `MIN_ARRAY_SIZE_FOR_HASHED_SAOP`: from this many constant elements on,
/// PostgreSQL 14+ evaluates `= ANY` / `<> ALL` with a hash table.
const MIN_ARRAY_SIZE_FOR_HASHED_SAOP: usize = 9;
/// `procost` of the hash support functions of every built-in hash
/// operator family (`hashint4`, `hashtext`, ...); the catalog keeps
/// `pg_amop` but not `pg_amproc`, so the hash function's own row is not
/// at hand.
const HASH_SUPPORT_PROCOST: f64 = 1.0;

/// A cost split as PostgreSQL's `QualCost`: paid once, and per row.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct QualCost {
    /// One-time cost.
    pub startup: f64,
    /// Cost per evaluation.
    pub per_tuple: f64,
}

impl QualCost {
    /// The sum of two costs.
    #[must_use]
    pub fn plus(self, other: QualCost) -> QualCost {
        QualCost {
            startup: self.startup + other.startup,
            per_tuple: self.per_tuple + other.per_tuple,
        }
    }
}

/// `cost_qual_eval` of a list of expressions (a qual list or a target
/// list): the sum of each expression's cost.
///
/// # Errors
///
/// A function the catalog does not know, a sub-plan (whose cost comes from
/// its own plan), or a tree too deep to walk.
pub fn cost_qual_eval<'a, I>(catalog: &Catalog, params: &CostParams, exprs: I) -> Result<QualCost>
where
    I: IntoIterator<Item = &'a Expr>,
{
    let mut walker = CostWalker {
        catalog,
        params,
        total: QualCost::default(),
    };
    for expr in exprs {
        walker.walk(expr, 0)?;
    }
    Ok(walker.total)
}

/// `cost_qual_eval_node` for one expression.
///
/// # Errors
///
/// As [`cost_qual_eval`].
pub fn cost_qual_eval_node(
    catalog: &Catalog,
    params: &CostParams,
    expr: &Expr,
) -> Result<QualCost> {
    cost_qual_eval(catalog, params, std::iter::once(expr))
}

/// Recursion limit, as the expression walkers of fdw-core use.
const MAX_DEPTH: usize = 512;

struct CostWalker<'a> {
    catalog: &'a Catalog,
    params: &'a CostParams,
    total: QualCost,
}

impl CostWalker<'_> {
    /// `add_function_cost`: `procost × cpu_operator_cost` per row (no
    /// built-in support function answers a cost request in PostgreSQL 15).
    fn function_cost(&self, funcid: Oid) -> Result<f64> {
        let proc = self
            .catalog
            .proc_info(funcid)
            .ok_or_else(|| Error::missing("function", funcid))?;
        Ok(proc.cost * self.params.cpu_operator_cost)
    }

    fn add_function(&mut self, funcid: Oid) -> Result<()> {
        self.total.per_tuple += self.function_cost(funcid)?;
        Ok(())
    }

    fn type_io_function(&self, type_oid: Oid, output: bool) -> Result<Oid> {
        let info = self
            .catalog
            .type_info(type_oid)
            .ok_or_else(|| Error::missing("type", type_oid))?;
        Ok(if output { info.output } else { info.input })
    }

    /// `array_literal_items` of `array` when it is a non-null constant
    /// (`estimate_array_length` of it is then this count, else 10); `None`
    /// for any other operand.
    fn const_array_items(&self, array: &Expr) -> Option<Option<usize>> {
        let Expr::Const(constant) = array else {
            return None;
        };
        let text = constant.value.as_ref()?;
        Some(crate::array_len::array_literal_items(
            text,
            self.array_delimiter(array),
        ))
    }

    fn array_delimiter(&self, array: &Expr) -> char {
        self.catalog
            .type_info(array.type_oid())
            .and_then(|t| self.catalog.type_info(t.elem).map(|e| e.delim))
            .unwrap_or(',')
    }

    /// `get_op_hash_functions(op) && lefthashfunc == righthashfunc`: the
    /// operator is the equality of a hash operator family over one type.
    fn is_single_type_hash_equality(&self, operator: Oid) -> bool {
        self.catalog.amops_of_operator(operator).iter().any(|amop| {
            amop.method == HASH_AM
                && amop.strategy == HASH_EQUAL_STRATEGY
                && amop.left == amop.right
        })
    }

    /// Whether PostgreSQL's `convert_saop_to_hashed_saop` gives this
    /// `ScalarArrayOpExpr` a hash table (PostgreSQL 15: `= ANY` over a
    /// hashable equality, `<> ALL` over an operator whose negator is one).
    ///
    /// `items` is [`Self::const_array_items`] of the array operand, which the
    /// caller has already counted for the length estimate.
    fn saop_is_hashed(
        &self,
        saop: &fdw_core::expr::ScalarArrayOpExpr,
        items: Option<Option<usize>>,
    ) -> bool {
        if saop.hashfuncid != Oid::INVALID {
            return true;
        }
        // Only a non-null constant array (`items` is then `Some`).
        let Some(items) = items else {
            return false;
        };
        // The length first: most lists are short, and the operator's hash
        // support takes opclass lookups to establish.
        let long_enough = items.is_some_and(|n| n >= MIN_ARRAY_SIZE_FOR_HASHED_SAOP);
        long_enough
            && if saop.use_or {
                self.is_single_type_hash_equality(saop.opno)
            } else {
                self.catalog.operator_info(saop.opno).is_some_and(|op| {
                    op.negator != Oid::INVALID && self.is_single_type_hash_equality(op.negator)
                })
            }
    }

    fn walk(&mut self, expr: &Expr, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(Error::Core(fdw_core::Error::TooDeep { limit: MAX_DEPTH }));
        }
        let cpu_operator_cost = self.params.cpu_operator_cost;
        match expr {
            Expr::FuncExpr(f) => self.add_function(f.funcid)?,
            Expr::OpExpr(op) | Expr::DistinctExpr(op) | Expr::NullIfExpr(op) => {
                self.add_function(op.opfuncid)?;
            }
            Expr::ScalarArrayOpExpr(saop) => {
                let op_cost = self.function_cost(saop.opfuncid)?;
                let array = saop.args.get(1);
                // A constant array's text is parsed once, for the length
                // and for the hash test (it was parsed twice, with two
                // delimiter look-ups).
                let items = array.and_then(|a| self.const_array_items(a));
                let length = match (array, items) {
                    (Some(_), Some(items)) => items.unwrap_or(10),
                    (Some(a), None) => estimate_array_length(a, self.array_delimiter(a)),
                    (None, _) => 10,
                };
                if self.saop_is_hashed(saop, items) {
                    let hash_cost = HASH_SUPPORT_PROCOST * cpu_operator_cost;
                    self.total.startup += length as f64 * hash_cost;
                    self.total.per_tuple += hash_cost + op_cost;
                } else {
                    self.total.per_tuple += op_cost * length as f64 * 0.5;
                }
            }
            // Aggregates and window functions are costed by their plan
            // node, and a PlaceHolderVar where it is computed.
            Expr::Aggref(_) | Expr::WindowFunc(_) | Expr::PlaceHolderVar(_) => return Ok(()),
            Expr::CoerceViaIO(io) => {
                let input = self.type_io_function(io.resulttype, false)?;
                self.add_function(input)?;
                let output = self.type_io_function(io.arg.type_oid(), true)?;
                self.add_function(output)?;
            }
            Expr::ArrayCoerceExpr(coerce) => {
                let per_element = cost_qual_eval_node(self.catalog, self.params, &coerce.elemexpr)?;
                self.total.startup += per_element.startup;
                if per_element.per_tuple > 0.0 {
                    let length =
                        estimate_array_length(&coerce.arg, self.array_delimiter(&coerce.arg));
                    self.total.per_tuple += per_element.per_tuple * length as f64;
                }
                // The children (the element expression included, once
                // more) are walked below, as expression_tree_walker does.
            }
            Expr::RowCompareExpr(row) => {
                // PostgreSQL assumes every column pair is compared.
                for opno in &row.opnos {
                    let op = self
                        .catalog
                        .operator_info(*opno)
                        .ok_or_else(|| Error::missing("operator", *opno))?;
                    self.add_function(op.code)?;
                }
            }
            Expr::GroupingFunc(_)
            | Expr::MinMaxExpr(_)
            | Expr::SqlValueFunction(_)
            | Expr::XmlExpr(_)
            | Expr::JsonExpr(_)
            | Expr::CoerceToDomain(_)
            | Expr::NextValueExpr(_) => self.total.per_tuple += cpu_operator_cost,
            Expr::CurrentOfExpr(_) => self.total.startup += DISABLE_COST,
            Expr::SubPlan(_) | Expr::AlternativeSubPlan(_) | Expr::SubLink(_) => {
                return Err(Error::Unsupported(format!(
                    "the cost of a sub-select ({})",
                    expr.node_name()
                )))
            }
            Expr::Var(_)
            | Expr::Const(_)
            | Expr::Param(_)
            | Expr::SubscriptingRef(_)
            | Expr::NamedArgExpr(_)
            | Expr::BoolExpr(_)
            | Expr::FieldSelect(_)
            | Expr::FieldStore(_)
            | Expr::RelabelType(_)
            | Expr::ConvertRowtypeExpr(_)
            | Expr::CollateExpr(_)
            | Expr::CaseExpr(_)
            | Expr::CaseTestExpr(_)
            | Expr::ArrayExpr(_)
            | Expr::RowExpr(_)
            | Expr::CoalesceExpr(_)
            | Expr::NullTest(_)
            | Expr::BooleanTest(_)
            | Expr::CoerceToDomainValue(_)
            | Expr::SetToDefault(_) => {}
        }
        // Visited in place: collecting the children first was a tenth of
        // costing a clause.
        let mut failed = None;
        expr.for_each_child(&mut |child| {
            if failed.is_none() {
                // A column or a constant costs nothing and has no children:
                // the call is skipped, unless its depth alone is the error.
                if matches!(child, Expr::Var(_) | Expr::Const(_)) && depth < MAX_DEPTH {
                    return;
                }
                if let Err(err) = self.walk(child, depth + 1) {
                    failed = Some(err);
                }
            }
        });
        failed.map_or(Ok(()), Err)
    }
}

#[cfg(test)]
mod tests {
    use fdw_core::expr::{CoercionForm, Const, RelabelType};

    use super::*;
    use crate::array_len::array_literal_items;

    /// A constant array counted once answers as `estimate_array_length`
    /// and the hash test's own count did: short, long, empty, malformed,
    /// null and non-constant operands, `box` arrays with their `;`.
    #[test]
    fn one_count_serves_length_and_hash_test() {
        let catalog = Catalog::new(15).expect("built-in catalog");
        let params = CostParams::default();
        let walker = CostWalker {
            catalog: &catalog,
            params: &params,
            total: QualCost::default(),
        };
        const INT4_ARRAY: Oid = Oid(1007);
        const BOX_ARRAY: Oid = Oid(1020);
        let array = |typ: Oid, text: Option<&str>| {
            let mut c = Const::new(typ, Oid::INVALID, text.unwrap_or(""));
            if text.is_none() {
                c.value = None;
            }
            Expr::Const(c)
        };
        let mut operands = Vec::new();
        for text in [
            "{}",
            "{1,2,3}",
            "{1,2,3,4,5,6,7,8,9,10}",
            "{{1,2},{3,4},{5,6},{7,8},{9,10}}",
            "[0:2]={7,8,9}",
            "{1,2",
        ] {
            operands.push(array(INT4_ARRAY, Some(text)));
        }
        operands.push(array(BOX_ARRAY, Some("{(1,2),(3,4);(5,6),(7,8)}")));
        operands.push(array(INT4_ARRAY, None));
        operands.push(Expr::RelabelType(Box::new(RelabelType {
            arg: array(INT4_ARRAY, Some("{1,2,3}")),
            resulttype: INT4_ARRAY,
            resulttypmod: -1,
            resultcollid: Oid::INVALID,
            relabelformat: CoercionForm::ImplicitCast,
        })));
        for operand in &operands {
            let delimiter = walker.array_delimiter(operand);
            let items = walker.const_array_items(operand);
            let length = match items {
                Some(items) => items.unwrap_or(10),
                None => estimate_array_length(operand, delimiter),
            };
            assert_eq!(
                length,
                estimate_array_length(operand, delimiter),
                "{operand:?}"
            );
            let own_count = match operand {
                Expr::Const(Const {
                    value: Some(text), ..
                }) => Some(array_literal_items(text, delimiter)),
                _ => None,
            };
            assert_eq!(items, own_count, "{operand:?}");
        }
    }
}
