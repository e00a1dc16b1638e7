//! The bits of the spec's test schema (§6.1) the tests need: `ft1`
//! (`"S 1"."T 1"`) and `ft2`, with PostgreSQL 15's built-in oids.

use fdw_core::expr::{CoercionForm, Const, Expr, ExprList, OpExpr, RelabelType, Var};
use fdw_core::query::{Alias, RangeTblEntry, RelKind, RteKind};
use fdw_core::{AttrNumber, Oid, RelIndex};

pub(crate) const INT4: Oid = Oid(23);
pub(crate) const INT8: Oid = Oid(20);
pub(crate) const TEXT: Oid = Oid(25);
pub(crate) const BPCHAR: Oid = Oid(1042);
pub(crate) const VARCHAR: Oid = Oid(1043);
pub(crate) const DEFAULT_COLL: Oid = Oid(100);

pub(crate) const INT4_EQ: Oid = Oid(96);
pub(crate) const TEXT_EQ: Oid = Oid(98);
pub(crate) const BPCHAR_GE: Oid = Oid(1061);

/// Local oid of the foreign table `ft1` (it differs between clusters).
pub(crate) const FT1: Oid = Oid(16_807);

/// `ft1`'s columns: name, type, typmod, collation.
const FT1_COLUMNS: [(&str, Oid, i32, Oid); 8] = [
    ("c1", INT4, -1, Oid::INVALID),
    ("c2", INT4, -1, Oid::INVALID),
    ("c3", TEXT, -1, DEFAULT_COLL),
    ("c4", Oid(1184), -1, Oid::INVALID),
    ("c5", Oid(1114), -1, Oid::INVALID),
    ("c6", VARCHAR, 14, DEFAULT_COLL),
    ("c7", BPCHAR, 14, DEFAULT_COLL),
    ("c8", Oid(16_390), -1, Oid::INVALID),
];

/// Column `cN` of the range-table entry `rti` (an `ft1`-shaped table).
pub(crate) fn col(rti: u32, n: i16) -> Expr {
    let (_, vartype, vartypmod, varcollid) = FT1_COLUMNS[usize::from(n.unsigned_abs()) - 1];
    Expr::Var(Var::new(
        RelIndex(rti),
        AttrNumber(n),
        vartype,
        vartypmod,
        varcollid,
    ))
}

pub(crate) fn int4(value: i32) -> Expr {
    Expr::Const(Const::new(INT4, Oid::INVALID, value.to_string()))
}

pub(crate) fn constant(consttype: Oid, collation: Oid, value: &str) -> Expr {
    Expr::Const(Const::new(consttype, collation, value))
}

pub(crate) fn binary(opno: Oid, opfuncid: Oid, inputcollid: Oid, left: Expr, right: Expr) -> Expr {
    let mut args = ExprList::new();
    args.push(left);
    args.push(right);
    Expr::OpExpr(Box::new(OpExpr {
        opno,
        opfuncid,
        opresulttype: Oid::BOOL_TYPE,
        opretset: false,
        opcollid: Oid::INVALID,
        inputcollid,
        args,
    }))
}

pub(crate) fn implicit_to_text(arg: Expr) -> Expr {
    Expr::RelabelType(Box::new(RelabelType {
        arg,
        resulttype: TEXT,
        resulttypmod: -1,
        resultcollid: DEFAULT_COLL,
        relabelformat: CoercionForm::ImplicitCast,
    }))
}

pub(crate) fn foreign_table(relid: Oid, name: &str, alias: Option<&str>) -> RangeTblEntry {
    let colnames: Vec<String> = FT1_COLUMNS.iter().map(|c| c.0.to_owned()).collect();
    RangeTblEntry {
        kind: RteKind::Relation {
            relid,
            relkind: RelKind::ForeignTable,
            inh: true,
            check_as_user: None,
            tablesample: None,
        },
        alias: alias.map(|name| Alias {
            aliasname: name.to_owned(),
            colnames: Vec::new(),
        }),
        eref: Alias {
            aliasname: alias.unwrap_or(name).to_owned(),
            colnames,
        },
        lateral: false,
        in_from_cl: true,
    }
}
