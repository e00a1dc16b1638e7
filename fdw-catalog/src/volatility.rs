//! Questions about expressions that only the catalog can answer: does this
//! tree call a volatile function (`contain_volatile_functions`)?

use fdw_core::expr::{any_node, Expr};
use fdw_core::Oid;

use crate::builtin::Volatility;
use crate::catalog::Catalog;

impl Catalog {
    /// The function implementing operator `opno`: `opfuncid` when the tree
    /// already carries it, else the operator's `oprcode`.
    pub fn operator_function(&self, opno: Oid, opfuncid: Oid) -> Oid {
        if opfuncid.is_invalid() {
            self.operator_info(opno)
                .map_or(Oid::INVALID, |info| info.code)
        } else {
            opfuncid
        }
    }

    /// Whether `func` is volatile; an unknown function counts as volatile,
    /// the safe answer for every caller (nothing is moved or folded).
    pub fn is_volatile_function(&self, func: Oid) -> bool {
        self.proc_info(func)
            .is_none_or(|p| p.volatility == Volatility::Volatile)
    }

    /// Whether `expr` calls a volatile function, PostgreSQL's
    /// `contain_volatile_functions`; sub-selects are not entered.
    ///
    /// # Errors
    ///
    /// When the tree is nested too deeply to walk.
    pub fn contain_volatile_functions(&self, expr: &Expr) -> fdw_core::Result<bool> {
        self.contain_functions(expr, |v| v == Volatility::Volatile, false)
    }

    /// Whether `expr` calls a function that is not immutable (or reads the
    /// session: `CURRENT_DATE` and friends, `nextval`), PostgreSQL's
    /// `contain_mutable_functions`; sub-selects are not entered.
    ///
    /// # Errors
    ///
    /// When the tree is nested too deeply to walk.
    pub fn contain_mutable_functions(&self, expr: &Expr) -> fdw_core::Result<bool> {
        self.contain_functions(expr, |v| v != Volatility::Immutable, true)
    }

    /// Whether a function of `expr` has a volatility `hit` accepts; an
    /// unknown function counts as a hit (the safe answer for every caller).
    /// `session_values` counts `SQLValueFunction`s as hits.
    fn contain_functions(
        &self,
        expr: &Expr,
        hit: impl Fn(Volatility) -> bool,
        session_values: bool,
    ) -> fdw_core::Result<bool> {
        let func_hits = |func: Oid| self.proc_info(func).is_none_or(|p| hit(p.volatility));
        any_node(expr, |node| match node {
            Expr::FuncExpr(f) => func_hits(f.funcid),
            Expr::OpExpr(op) | Expr::DistinctExpr(op) | Expr::NullIfExpr(op) => {
                func_hits(self.operator_function(op.opno, op.opfuncid))
            }
            Expr::ScalarArrayOpExpr(s) => func_hits(self.operator_function(s.opno, s.opfuncid)),
            Expr::Aggref(a) => func_hits(a.aggfnoid),
            Expr::WindowFunc(w) => func_hits(w.winfnoid),
            Expr::RowCompareExpr(r) => r
                .opnos
                .iter()
                .any(|op| func_hits(self.operator_function(*op, Oid::INVALID))),
            Expr::CoerceViaIO(c) => {
                let output = self
                    .type_info(c.arg.type_oid())
                    .map_or(Oid::INVALID, |t| t.output);
                let input = self
                    .type_info(c.resulttype)
                    .map_or(Oid::INVALID, |t| t.input);
                func_hits(output) || func_hits(input)
            }
            Expr::NextValueExpr(_) => true,
            Expr::SqlValueFunction(_) => session_values,
            _ => false,
        })
    }
}
