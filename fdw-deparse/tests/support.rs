//! The §6.1 catalog and small builders for analyzed expression trees, as
//! PostgreSQL's parse analysis would leave them after planning.

use std::sync::OnceLock;

use fdw_catalog::Catalog;
use fdw_core::expr::{
    ArrayExpr, BoolExpr, BoolExprType, CaseExpr, CaseTestExpr, CaseWhen, CoercionForm, Const,
    FuncExpr, NullTest, NullTestType, OpExpr, Param, ParamKind, RelabelType, ScalarArrayOpExpr,
    SubscriptingRef, Var,
};
use fdw_core::{AttrNumber, Expr, Oid, RelIndex, TypMod};
use fdw_deparse::{
    classify_conditions, deparse_select_for_base_rel, AttrsUsed, BaseRelScan, ForeignRel,
    PostgresDialect, ScanRel,
};
use smallvec::SmallVec;

/// The connection options standing in for `{loopback}`; nothing connects.
const FAKE_LOOPBACK: &str = "host 'localhost', port '5432', dbname 'fdw_remote'";

/// The spec's §6.1 local schema on a PostgreSQL 15 catalog.
pub(crate) fn spec_catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let mut catalog = Catalog::new(15).unwrap();
        let setup = "CREATE EXTENSION postgres_fdw;
            CREATE SERVER loopback FOREIGN DATA WRAPPER postgres_fdw OPTIONS (dbname 'fdw_remote');
            CREATE USER MAPPING FOR CURRENT_USER SERVER loopback;";
        fdw_catalog::ddl::load(&mut catalog, setup).unwrap();
        let local = fdw_testkit::spec::LOCAL_SCHEMA.replace("{loopback}", FAKE_LOOPBACK);
        fdw_catalog::ddl::load(&mut catalog, &local).unwrap();
        catalog
    })
}

/// Builders over the spec catalog for one dialect.
pub(crate) struct Fx {
    pub(crate) catalog: &'static Catalog,
    pub(crate) dialect: PostgresDialect,
}

pub(crate) fn fx() -> Fx {
    fx_for(15)
}

pub(crate) fn fx_for(major: u32) -> Fx {
    Fx {
        catalog: spec_catalog(),
        dialect: PostgresDialect::new(major).unwrap(),
    }
}

pub(crate) fn list(items: Vec<Expr>) -> SmallVec<[Expr; 2]> {
    SmallVec::from_vec(items)
}

impl Fx {
    pub(crate) fn table(&self, name: &str) -> Oid {
        self.catalog.resolve_relation(None, name).unwrap().oid
    }

    /// A type by `typname`, in `pg_catalog` first, then along the path.
    pub(crate) fn ty(&self, name: &str) -> Oid {
        self.catalog
            .resolve_type(Some("pg_catalog"), name)
            .or_else(|_| self.catalog.resolve_type(None, name))
            .unwrap_or_else(|_| panic!("no type {name}"))
    }

    pub(crate) fn coll_of(&self, type_oid: Oid) -> Oid {
        self.catalog.type_collation(type_oid)
    }

    /// Column `col` of foreign table `table` as range-table entry `rt`.
    pub(crate) fn var(&self, rt: u32, table: &str, col: &str) -> Expr {
        let rel = self.catalog.relation(self.table(table)).unwrap();
        let c = rel
            .column(col)
            .unwrap_or_else(|| panic!("no column {table}.{col}"));
        Expr::Var(Var::new(
            RelIndex(rt),
            AttrNumber(c.attnum),
            c.type_oid,
            c.typmod,
            c.collation,
        ))
    }

    /// A system column (`ctid` -1, `xmin` -2, `tableoid` -6) of `rt`.
    pub(crate) fn sys(&self, rt: u32, attnum: i16, ty: &str) -> Expr {
        Expr::Var(Var::new(
            RelIndex(rt),
            AttrNumber(attnum),
            self.ty(ty),
            -1,
            Oid::INVALID,
        ))
    }

    /// The whole-row Var of `table` at `rt`.
    pub(crate) fn whole_row(&self, rt: u32, table: &str) -> Expr {
        let rel = self.catalog.relation(self.table(table)).unwrap();
        Expr::Var(Var::new(
            RelIndex(rt),
            AttrNumber::WHOLE_ROW,
            rel.row_type,
            -1,
            Oid::INVALID,
        ))
    }

    /// A constant of type `ty` (by typname) with its default collation.
    pub(crate) fn c(&self, ty: &str, value: &str) -> Expr {
        let t = self.ty(ty);
        Expr::Const(Const::new(t, self.coll_of(t), value))
    }

    pub(crate) fn c_typmod(&self, ty: &str, typmod: TypMod, value: &str) -> Expr {
        let t = self.ty(ty);
        Expr::Const(Const {
            consttype: t,
            consttypmod: typmod,
            constcollid: self.coll_of(t),
            value: Some(value.to_string()),
        })
    }

    pub(crate) fn null(&self, ty: &str) -> Expr {
        let t = self.ty(ty);
        Expr::Const(Const::null(t, -1, self.coll_of(t)))
    }

    /// An external parameter `$n`.
    pub(crate) fn param(&self, n: i32, ty: &str) -> Expr {
        let t = self.ty(ty);
        Expr::Param(Param {
            paramkind: ParamKind::Extern,
            paramid: n,
            paramtype: t,
            paramtypmod: -1,
            paramcollid: self.coll_of(t),
        })
    }

    /// The input collation parse analysis gives a call over `args`: the
    /// first non-default collation, else the default, else none.
    pub(crate) fn input_coll(args: &[Expr]) -> Oid {
        let colls: Vec<Oid> = args
            .iter()
            .map(Expr::collation)
            .filter(|c| !c.is_invalid())
            .collect();
        colls
            .iter()
            .copied()
            .find(|&c| c != Oid::DEFAULT_COLLATION)
            .or_else(|| colls.first().copied())
            .unwrap_or(Oid::INVALID)
    }

    fn result_coll(&self, result: Oid, input: Oid) -> Oid {
        if self.coll_of(result).is_invalid() {
            Oid::INVALID
        } else if input.is_invalid() {
            self.coll_of(result)
        } else {
            input
        }
    }

    /// Operator `name` with exactly the operand types of `left` and `right`.
    pub(crate) fn op(&self, name: &str, left: Expr, right: Expr) -> Expr {
        let oid = self
            .catalog
            .resolve_operator(None, name, left.type_oid(), right.type_oid())
            .unwrap_or_else(|_| panic!("no operator {name}"));
        self.op_oid(oid, vec![left, right])
    }

    /// Prefix operator `name` on `arg`.
    pub(crate) fn prefix(&self, name: &str, arg: Expr) -> Expr {
        let oid = self
            .catalog
            .resolve_operator(None, name, Oid::INVALID, arg.type_oid())
            .unwrap();
        self.op_oid(oid, vec![arg])
    }

    /// Built-in operator `name` declared on (`left`, `right`) types by name,
    /// for polymorphic ones (`anycompatiblearray || anycompatible`).
    pub(crate) fn op_declared(
        &self,
        name: &str,
        left: &str,
        right: &str,
        args: Vec<Expr>,
        result: Oid,
    ) -> Expr {
        let (l, r) = (self.ty(left), self.ty(right));
        let info = self
            .catalog
            .builtin()
            .operators_by_name(name)
            .iter()
            .find(|o| o.left == l && o.right == r)
            .unwrap()
            .clone();
        let input = Self::input_coll(&args);
        Expr::OpExpr(Box::new(OpExpr {
            opno: info.oid,
            opfuncid: info.code,
            opresulttype: result,
            opretset: false,
            opcollid: self.result_coll(result, input),
            inputcollid: input,
            args: list(args),
        }))
    }

    pub(crate) fn op_oid(&self, oid: Oid, args: Vec<Expr>) -> Expr {
        let info = self.catalog.operator_info(oid).unwrap();
        let input = Self::input_coll(&args);
        Expr::OpExpr(Box::new(OpExpr {
            opno: oid,
            opfuncid: info.code,
            opresulttype: info.result,
            opretset: false,
            opcollid: self.result_coll(info.result, input),
            inputcollid: input,
            args: list(args),
        }))
    }

    pub(crate) fn distinct(&self, left: Expr, right: Expr) -> Expr {
        let Expr::OpExpr(op) = self.op("=", left, right) else {
            unreachable!()
        };
        Expr::DistinctExpr(op)
    }

    pub(crate) fn saop(&self, name: &str, use_or: bool, scalar: Expr, array: Expr) -> Expr {
        let elem = self.catalog.type_info(array.type_oid()).unwrap().elem;
        let oid = self
            .catalog
            .resolve_operator(None, name, scalar.type_oid(), elem)
            .unwrap();
        let info = self.catalog.operator_info(oid).unwrap();
        let args = vec![scalar, array];
        Expr::ScalarArrayOpExpr(Box::new(ScalarArrayOpExpr {
            opno: oid,
            opfuncid: info.code,
            hashfuncid: Oid::INVALID,
            negfuncid: Oid::INVALID,
            use_or,
            inputcollid: Self::input_coll(&args),
            args: list(args),
        }))
    }

    /// Function `name` (any schema on the path) with exactly the argument
    /// types of `args`, called as written with `form`.
    pub(crate) fn func_form(&self, name: &str, args: Vec<Expr>, form: CoercionForm) -> Expr {
        let types: Vec<Oid> = args.iter().map(Expr::type_oid).collect();
        let oid = self
            .catalog
            .resolve_function(None, name, &types)
            .unwrap_or_else(|_| panic!("no function {name}{types:?}"));
        self.func_oid(oid, args, form, false)
    }

    pub(crate) fn func(&self, name: &str, args: Vec<Expr>) -> Expr {
        self.func_form(name, args, CoercionForm::ExplicitCall)
    }

    pub(crate) fn func_oid(
        &self,
        oid: Oid,
        args: Vec<Expr>,
        form: CoercionForm,
        variadic: bool,
    ) -> Expr {
        let info = self.catalog.proc_info(oid).unwrap();
        let input = Self::input_coll(&args);
        Expr::FuncExpr(Box::new(FuncExpr {
            funcid: oid,
            funcresulttype: info.return_type,
            funcretset: false,
            funcvariadic: variadic,
            funcformat: form,
            funccollid: self.result_coll(info.return_type, input),
            inputcollid: input,
            args: list(args),
        }))
    }

    pub(crate) fn relabel(&self, arg: Expr, ty: &str, typmod: TypMod, form: CoercionForm) -> Expr {
        let t = self.ty(ty);
        let coll = if self.coll_of(t).is_invalid() {
            Oid::INVALID
        } else {
            arg.collation()
        };
        Expr::RelabelType(Box::new(RelabelType {
            arg,
            resulttype: t,
            resulttypmod: typmod,
            resultcollid: coll,
            relabelformat: form,
        }))
    }

    pub(crate) fn and(&self, args: Vec<Expr>) -> Expr {
        bool_expr(BoolExprType::And, args)
    }

    pub(crate) fn or(&self, args: Vec<Expr>) -> Expr {
        bool_expr(BoolExprType::Or, args)
    }

    pub(crate) fn not(&self, arg: Expr) -> Expr {
        bool_expr(BoolExprType::Not, vec![arg])
    }

    pub(crate) fn null_test(&self, arg: Expr, is_null: bool) -> Expr {
        Expr::NullTest(Box::new(NullTest {
            arg,
            nulltesttype: if is_null {
                NullTestType::IsNull
            } else {
                NullTestType::IsNotNull
            },
            argisrow: false,
        }))
    }

    /// `ARRAY[...]` of element type `elem`.
    pub(crate) fn array(&self, elem: &str, elements: Vec<Expr>) -> Expr {
        let e = self.ty(elem);
        let arr = self.catalog.array_type_of(e).unwrap();
        Expr::ArrayExpr(Box::new(ArrayExpr {
            array_typeid: arr,
            array_collid: Self::input_coll(&elements),
            element_typeid: e,
            elements: list(elements),
            multidims: false,
        }))
    }

    /// `container[index]` fetching one element.
    pub(crate) fn subscript(&self, container: Expr, index: Expr) -> Expr {
        let info = self.catalog.type_info(container.type_oid()).unwrap();
        Expr::SubscriptingRef(Box::new(SubscriptingRef {
            refcontainertype: info.oid,
            refelemtype: info.elem,
            refrestype: info.elem,
            reftypmod: -1,
            refcollid: container.collation(),
            refupperindexpr: vec![Some(index)],
            reflowerindexpr: Vec::new(),
            refexpr: container,
            refassgnexpr: None,
        }))
    }

    /// `CASE [arg] WHEN .. THEN .. ELSE .. END` of result type `ty`.
    pub(crate) fn case(
        &self,
        ty: &str,
        arg: Option<Expr>,
        arms: Vec<(Expr, Expr)>,
        default: Option<Expr>,
    ) -> Expr {
        let t = self.ty(ty);
        let results: Vec<Expr> = arms
            .iter()
            .map(|(_, r)| r.clone())
            .chain(default.clone())
            .collect();
        Expr::CaseExpr(Box::new(CaseExpr {
            casetype: t,
            casecollid: self.result_coll(t, Self::input_coll(&results)),
            arg,
            args: arms
                .into_iter()
                .map(|(expr, result)| CaseWhen { expr, result })
                .collect(),
            defresult: default,
        }))
    }

    /// The placeholder for a CASE argument of type `ty`.
    pub(crate) fn case_test(&self, ty: &str) -> Expr {
        let t = self.ty(ty);
        Expr::CaseTestExpr(CaseTestExpr {
            type_id: t,
            type_mod: -1,
            collation: self.coll_of(t),
        })
    }

    /// The base relation of `table` at range-table index 1.
    pub(crate) fn scan_rel(&self, table: &str) -> ScanRel {
        ScanRel::base(RelIndex(1), self.table(table))
    }

    /// Splits `conds` for a scan of `table` at index 1.
    pub(crate) fn classify(&self, table: &str, conds: &[Expr]) -> (Vec<Expr>, Vec<Expr>) {
        let scan = self.scan_rel(table);
        let rel = ForeignRel::base(self.catalog, &self.dialect, &scan).unwrap();
        classify_conditions(&rel, conds).unwrap()
    }

    /// Attributes of `table` by column name; `*` is the whole row, `ctid`
    /// and `xmin` the system columns.
    pub(crate) fn attrs(&self, table: &str, cols: &[&str]) -> AttrsUsed {
        let rel = self.catalog.relation(self.table(table)).unwrap();
        AttrsUsed::from_attnums(cols.iter().map(|&name| match name {
            "*" => AttrNumber::WHOLE_ROW,
            "ctid" => AttrNumber::CTID,
            "xmin" => AttrNumber::XMIN,
            "tableoid" => AttrNumber::TABLEOID,
            _ => AttrNumber(rel.column(name).unwrap().attnum),
        }))
    }

    /// The whole pipeline for one base-relation scan of `table` at index 1:
    /// classify `conds`, then deparse with `adjust` applied to the scan.
    pub(crate) fn scan(
        &self,
        table: &str,
        cols: &[&str],
        conds: Vec<Expr>,
        adjust: impl FnOnce(&mut BaseRelScan),
    ) -> fdw_core::RemoteQuery {
        let (remote, local) = self.classify(table, &conds);
        let mut scan = BaseRelScan::new(RelIndex(1), self.table(table), self.attrs(table, cols));
        scan.remote_conds = remote.into_iter().map(std::sync::Arc::new).collect();
        scan.local_conds = local.into_iter().map(std::sync::Arc::new).collect();
        adjust(&mut scan);
        deparse_select_for_base_rel(self.catalog, &self.dialect, &scan).unwrap()
    }
}

fn bool_expr(boolop: BoolExprType, args: Vec<Expr>) -> Expr {
    Expr::BoolExpr(Box::new(BoolExpr {
        boolop,
        args: list(args),
    }))
}
