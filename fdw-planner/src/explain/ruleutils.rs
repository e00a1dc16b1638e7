//! Expressions as PostgreSQL 15's `ruleutils.c` prints them for EXPLAIN.
//!
//! EXPLAIN calls `deparse_expression(node, context, useprefix, false)`:
//! no pretty-printing flags, so every operator, boolean connective, null
//! test and cast gets its own parentheses (`((c1 = 1) AND (c2 > 2))`,
//! `(c1)::numeric`), implicit casts are hidden at the top of the expression
//! but shown inside operator, function and array-comparison arguments
//! (`((c2)::double precision = random())`), and names are qualified by the
//! search path (`pg_catalog` and the schemas of `search_path` are shown
//! bare). Columns are prefixed by their relation's reference name when the
//! caller asks for it: always for `Filter:` under `VERBOSE`, for `Output:`
//! only when the query has more than one range-table entry.
//!
//! **Architecture Invariant:** every expression node kind has an arm; the
//! kinds PostgreSQL's printer itself refuses (`SubLink` outside a query,
//! `FieldStore`, the SQL/JSON nodes of later versions) are errors here too.
#![warn(clippy::wildcard_enum_match_arm)]

use std::borrow::{Borrow, Cow};
use std::collections::BTreeMap;

use fdw_catalog::Catalog;
use fdw_core::expr::{
    AggKind, AggSplit, Aggref, BoolExprType, BoolTestType, CoercionForm, Const, FuncExpr, MinMaxOp,
    NullTestType, OpExpr, SqlValueFunctionOp, SubLinkType, SubscriptingRef, XmlExprOp,
};
use fdw_core::plan::{PlanKind, PlanNode};
use fdw_core::query::{SortGroupClause, TargetEntry};
use fdw_core::{AttrNumber, Expr, Oid, RelIndex, TypMod};
use fdw_deparse::{quote_identifier, Dialect, PostgresDialect};

/// What can go wrong while printing an expression for EXPLAIN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExplainError {
    /// The expression names an object (type, function, operator,
    /// collation, relation) the catalog does not have.
    #[error("cache lookup failed for {kind} {oid}")]
    UnknownObject {
        /// `type`, `function`, `operator`, `collation`, `relation`.
        kind: &'static str,
        /// The oid looked up.
        oid: Oid,
    },
    /// A column reference to a range-table entry or attribute that
    /// [`RangeNames`] does not name.
    #[error("no name for column {attno} of range-table entry {rtindex}")]
    UnknownColumn {
        /// The range-table index.
        rtindex: u32,
        /// The attribute number.
        attno: i16,
    },
    /// A node PostgreSQL's printer refuses in EXPLAIN as well (it reports
    /// `unrecognized node type` or `unexpected ...`), or a malformed node.
    #[error("cannot print {0} in EXPLAIN")]
    Unprintable(String),
    /// A type name could not be formatted.
    #[error("{0}")]
    Deparse(#[from] fdw_deparse::Error),
}

/// The crate-local result of this module.
pub type Result<T, E = ExplainError> = std::result::Result<T, E>;

/// How one range-table entry is named in EXPLAIN: its reference name (the
/// alias, else the relation name, made unique by EXPLAIN) and its columns.
///
/// The names are borrowed when they come from a range table that outlives
/// the printing (every EXPLAIN of a planned query), so naming a query's
/// relations copies no column list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RangeName<'a> {
    /// The reference name printed before `.column` and `.*`.
    pub refname: Cow<'a, str>,
    /// Column names by attribute number: `columns[0]` is attribute 1.
    /// Dropped columns keep their slot (any name).
    pub columns: Cow<'a, [String]>,
}

/// The names of the range-table entries an expression may reference.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RangeNames<'a> {
    entries: BTreeMap<RelIndex, RangeName<'a>>,
}

impl<'a> RangeNames<'a> {
    /// No entries.
    pub fn new() -> RangeNames<'a> {
        RangeNames::default()
    }

    /// Names range-table entry `rtindex`.
    pub fn insert(&mut self, rtindex: RelIndex, name: RangeName<'a>) {
        self.entries.insert(rtindex, name);
    }

    /// The name of range-table entry `rtindex`, if known.
    pub fn get(&self, rtindex: RelIndex) -> Option<&RangeName<'a>> {
        self.entries.get(&rtindex)
    }

    /// The names of a query's range table as EXPLAIN uses them: each
    /// entry's `eref` (alias or relation name, and its column names),
    /// numbered from 1, borrowed from `rtable`.
    pub fn from_rtable(rtable: &'a [fdw_core::query::RangeTblEntry]) -> RangeNames<'a> {
        let mut names = RangeNames::new();
        for (index, entry) in (1u32..).zip(rtable) {
            names.insert(
                RelIndex(index),
                RangeName {
                    refname: Cow::Borrowed(entry.eref.aliasname.as_str()),
                    columns: Cow::Borrowed(entry.eref.colnames.as_slice()),
                },
            );
        }
        names
    }

    /// Names entry `rtindex` after catalog relation `table`, with
    /// `refname` as its reference name (the alias, or the table's name).
    ///
    /// # Errors
    ///
    /// [`ExplainError::UnknownObject`] when the catalog lacks `table`.
    pub fn insert_relation(
        &mut self,
        catalog: &Catalog,
        rtindex: RelIndex,
        table: Oid,
        refname: &str,
    ) -> Result<()> {
        let relation = catalog.relation(table).ok_or(ExplainError::UnknownObject {
            kind: "relation",
            oid: table,
        })?;
        let width = relation
            .columns
            .iter()
            .map(|column| usize::try_from(column.attnum).unwrap_or(0))
            .max()
            .unwrap_or(0);
        let mut columns = vec![String::new(); width];
        for column in &relation.columns {
            if let Some(slot) = usize::try_from(column.attnum)
                .ok()
                .and_then(|attnum| attnum.checked_sub(1))
                .and_then(|index| columns.get_mut(index))
            {
                slot.clone_from(&column.name);
            }
        }
        self.insert(
            rtindex,
            RangeName {
                refname: Cow::Owned(refname.to_string()),
                columns: Cow::Owned(columns),
            },
        );
        Ok(())
    }
}

/// The EXPLAIN settings that change how an expression is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExplainExprOptions {
    /// Prefix columns with their relation's reference name (`useprefix`):
    /// `Filter:` of a scan under `VERBOSE`; `Output:` when the range table
    /// has more than one entry.
    pub qualify_columns: bool,
    /// Show implicit casts at the top of the expression (`showimplicit`);
    /// EXPLAIN passes `false`.
    pub show_implicit: bool,
}

/// `expr` as EXPLAIN prints it (`deparse_expression`).
///
/// # Errors
///
/// [`ExplainError`] for unknown objects or columns and for the node kinds
/// PostgreSQL cannot print either.
pub fn deparse_for_explain(
    catalog: &Catalog,
    names: &RangeNames<'_>,
    expr: &Expr,
    options: &ExplainExprOptions,
) -> Result<String> {
    let shared = SharedNames::new(catalog)?;
    shared.deparse(catalog, names, expr, options)
}

/// A list of conditions as `show_qual` prints it: one condition alone, two
/// or more joined as one `AND` (`((a) AND (b))`). `None` for no conditions
/// (EXPLAIN prints no line then).
///
/// # Errors
///
/// As [`deparse_for_explain`].
pub fn deparse_qual_for_explain(
    catalog: &Catalog,
    names: &RangeNames<'_>,
    quals: &[Expr],
    options: &ExplainExprOptions,
) -> Result<Option<String>> {
    SharedNames::new(catalog)?.deparse_qual(catalog, names, quals, options, None)
}

/// What the printing of every expression of one EXPLAIN shares: the
/// dialect of the catalog's version. (The search path names are printed
/// against is the catalog's own, remembered in its lookup memo.)
#[derive(Debug, Clone)]
pub(crate) struct SharedNames {
    dialect: PostgresDialect,
}

impl SharedNames {
    /// The dialect of `catalog`.
    pub(crate) fn new(catalog: &Catalog) -> Result<SharedNames> {
        Ok(SharedNames {
            dialect: PostgresDialect::new(catalog.major())?,
        })
    }

    fn printer<'a>(
        &'a self,
        catalog: &'a Catalog,
        names: &'a RangeNames<'a>,
        options: &ExplainExprOptions,
        scope: Option<&'a PlanNode>,
    ) -> Printer<'a> {
        Printer {
            catalog,
            names,
            dialect: self.dialect,
            prefix: options.qualify_columns,
            search_path: catalog.search_path_oids(),
            scope,
        }
    }

    /// As [`deparse_for_explain`].
    pub(crate) fn deparse(
        &self,
        catalog: &Catalog,
        names: &RangeNames<'_>,
        expr: &Expr,
        options: &ExplainExprOptions,
    ) -> Result<String> {
        let mut out = String::with_capacity(64);
        self.printer(catalog, names, options, None).expr(
            expr,
            options.show_implicit,
            &mut out,
            0,
        )?;
        Ok(out)
    }

    /// As [`deparse_tlist_for_explain`], appending to `out`. `scope` is
    /// the plan node that evaluates `tlist` (see [`Printer::scope`]).
    pub(crate) fn deparse_tlist_into(
        &self,
        catalog: &Catalog,
        names: &RangeNames<'_>,
        tlist: &[Expr],
        options: &ExplainExprOptions,
        scope: Option<&PlanNode>,
        out: &mut String,
    ) -> Result<()> {
        let printer = self.printer(catalog, names, options, scope);
        for (i, entry) in tlist.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            printer.expr(entry, options.show_implicit, out, 0)?;
        }
        Ok(())
    }

    /// A collation's name as `generate_collation_name` prints it (quoted,
    /// schema-qualified unless its schema is in the search path).
    pub(crate) fn collation_name(&self, catalog: &Catalog, collation: Oid) -> Result<String> {
        let names = RangeNames::new();
        self.printer(catalog, &names, &ExplainExprOptions::default(), None)
            .collation_name(collation)
    }

    /// As [`deparse_qual_for_explain`]. `scope` is the plan node that
    /// evaluates `quals` (see [`Printer::scope`]). The conditions are owned
    /// trees or shared ones (a scan's `RemoteQuery::local_quals`).
    pub(crate) fn deparse_qual<Q: Borrow<Expr>>(
        &self,
        catalog: &Catalog,
        names: &RangeNames<'_>,
        quals: &[Q],
        options: &ExplainExprOptions,
        scope: Option<&PlanNode>,
    ) -> Result<Option<String>> {
        if quals.is_empty() {
            return Ok(None);
        }
        let mut out = String::with_capacity(128);
        self.deparse_qual_into(catalog, names, quals, options, scope, &mut out)?;
        Ok(Some(out))
    }

    /// As [`SharedNames::deparse_qual`], appending to `out` (nothing for
    /// no conditions).
    pub(crate) fn deparse_qual_into<Q: Borrow<Expr>>(
        &self,
        catalog: &Catalog,
        names: &RangeNames<'_>,
        quals: &[Q],
        options: &ExplainExprOptions,
        scope: Option<&PlanNode>,
        out: &mut String,
    ) -> Result<()> {
        let printer = self.printer(catalog, names, options, scope);
        match quals {
            [] => {}
            [single] => printer.expr(single.borrow(), options.show_implicit, out, 0)?,
            several => {
                out.push('(');
                for (i, qual) in several.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" AND ");
                    }
                    printer.expr(qual.borrow(), false, out, 1)?;
                }
                out.push(')');
            }
        }
        Ok(())
    }
}

/// A target list as `show_plan_tlist` prints it: every entry (junk ones
/// included) separated by `, `.
///
/// # Errors
///
/// As [`deparse_for_explain`].
pub fn deparse_tlist_for_explain(
    catalog: &Catalog,
    names: &RangeNames<'_>,
    tlist: &[Expr],
    options: &ExplainExprOptions,
) -> Result<String> {
    let mut out = String::new();
    SharedNames::new(catalog)?
        .deparse_tlist_into(catalog, names, tlist, options, None, &mut out)?;
    Ok(out)
}

/// Deeper trees are refused rather than overflowing the stack.
const MAX_DEPTH: usize = 1000;

#[derive(Clone, Copy)]
struct Printer<'a> {
    catalog: &'a Catalog,
    names: &'a RangeNames<'a>,
    dialect: PostgresDialect,
    prefix: bool,
    search_path: &'a [Oid],
    /// The plan node whose expressions are printed, when they are a plan's:
    /// a subexpression one of its inputs computes as an output column is,
    /// in PostgreSQL's finished plan, a reference to that column
    /// (`set_plan_references` replaces it by an OUTER_VAR or INNER_VAR),
    /// which ruleutils prints as the input's expression in parentheses.
    scope: Option<&'a PlanNode>,
}

/// Whether `set_plan_references` rewrites `node`'s expressions as
/// references to its inputs' output columns wherever they match one
/// (`fix_join_expr` for joins, `fix_upper_expr` for aggregation, window
/// and projection nodes; the dummy target lists of the nodes that pass
/// their input's rows through).
fn refers_to_inputs(node: &PlanNode) -> bool {
    match &node.kind {
        PlanKind::Join(_)
        | PlanKind::Sort(_)
        | PlanKind::Limit(_)
        | PlanKind::Unique(_)
        | PlanKind::Materialize(_)
        | PlanKind::LockRows(_)
        | PlanKind::Hash(_)
        | PlanKind::Result(_)
        | PlanKind::Aggregate(_)
        | PlanKind::WindowAgg(_) => true,
        PlanKind::ForeignScan(_)
        | PlanKind::ForeignModify(_)
        | PlanKind::SeqScan(_)
        | PlanKind::ValuesScan(_)
        | PlanKind::Append(_)
        | PlanKind::MergeAppend(_)
        | PlanKind::SubqueryScan(_)
        | PlanKind::ModifyTable(_) => false,
    }
}

/// The node below `node` that computes `expr` as one of its output
/// columns, when an input of `node` outputs `expr`: the first input (outer
/// before inner, as `fix_join_expr` searches) that outputs it, followed
/// down while that input in turn only passes it on from one of its own
/// inputs (its target-list entry is then a plain reference, printed
/// without parentheses of its own).
fn computing_input<'a>(node: &'a PlanNode, expr: &Expr) -> Option<&'a PlanNode> {
    if !refers_to_inputs(node) {
        return None;
    }
    let mut current = node
        .children()
        .into_iter()
        .find(|child| child.output.contains(expr))?;
    while refers_to_inputs(current) {
        match current
            .children()
            .into_iter()
            .find(|child| child.output.contains(expr))
        {
            Some(below) => current = below,
            None => break,
        }
    }
    Some(current)
}

impl Printer<'_> {
    fn ident(&self, name: &str) -> String {
        quote_identifier(&self.dialect, name)
    }

    fn visible(&self, namespace: Oid) -> bool {
        self.search_path.contains(&namespace)
    }

    fn qualified(&self, namespace: Oid, name: &str) -> Result<String> {
        if self.visible(namespace) {
            return Ok(self.ident(name));
        }
        let schema = self
            .catalog
            .namespace_name(namespace)
            .ok_or(ExplainError::UnknownObject {
                kind: "namespace",
                oid: namespace,
            })?;
        Ok(format!("{}.{}", self.ident(schema), self.ident(name)))
    }

    /// `format_type_with_typemod`: qualified only when not visible.
    fn type_name(&self, type_oid: Oid, typmod: TypMod) -> Result<String> {
        let info = self
            .catalog
            .type_info(type_oid)
            .ok_or(ExplainError::UnknownObject {
                kind: "type",
                oid: type_oid,
            })?;
        // Borrowed from the catalog when it can be (no copy per constant).
        let (base, is_array) = if info.is_true_array() {
            let elem = self
                .catalog
                .type_info(info.elem)
                .ok_or(ExplainError::UnknownObject {
                    kind: "type",
                    oid: info.elem,
                })?;
            (elem, true)
        } else {
            (info, false)
        };
        let mut out = String::new();
        if self.catalog.is_builtin(base.oid) || !self.visible(base.namespace) {
            // Built-in names (and invisible user types) print as the
            // remote deparser prints them.
            self.dialect
                .type_name(self.catalog, type_oid, typmod, &mut out)?;
            return Ok(out);
        }
        out.push_str(&self.ident(&base.name));
        if typmod >= 0 {
            out.push_str(&format!("({typmod})"));
        }
        if is_array {
            out.push_str("[]");
        }
        Ok(out)
    }

    fn operator_name(&self, opno: Oid) -> Result<String> {
        let info = self
            .catalog
            .operator_info(opno)
            .ok_or(ExplainError::UnknownObject {
                kind: "operator",
                oid: opno,
            })?;
        if self.visible(info.namespace) {
            return Ok(info.name.clone());
        }
        let schema =
            self.catalog
                .namespace_name(info.namespace)
                .ok_or(ExplainError::UnknownObject {
                    kind: "namespace",
                    oid: info.namespace,
                })?;
        Ok(format!("OPERATOR({}.{})", self.ident(schema), info.name))
    }

    fn function_name(&self, funcid: Oid) -> Result<String> {
        let info = self
            .catalog
            .proc_info(funcid)
            .ok_or(ExplainError::UnknownObject {
                kind: "function",
                oid: funcid,
            })?;
        self.qualified(info.namespace, &info.name)
    }

    fn collation_name(&self, collation: Oid) -> Result<String> {
        let info =
            self.catalog
                .builtin()
                .collation(collation)
                .ok_or(ExplainError::UnknownObject {
                    kind: "collation",
                    oid: collation,
                })?;
        self.qualified(info.namespace, &info.name)
    }

    fn column(&self, varno: RelIndex, attno: AttrNumber, out: &mut String) -> Result<()> {
        let unknown = ExplainError::UnknownColumn {
            rtindex: varno.0,
            attno: attno.0,
        };
        let entry = self.names.get(varno).ok_or(unknown.clone())?;
        let attname = match attno.0 {
            0 => None,
            -1 => Some("ctid"),
            -2 => Some("xmin"),
            -3 => Some("cmin"),
            -4 => Some("xmax"),
            -5 => Some("cmax"),
            -6 => Some("tableoid"),
            n => {
                let index = usize::try_from(n).map_err(|_| unknown.clone())?;
                Some(
                    entry
                        .columns
                        .get(index.saturating_sub(1))
                        .map(String::as_str)
                        .ok_or(unknown)?,
                )
            }
        };
        if self.prefix || attname.is_none() {
            self.dialect.quote_ident(&entry.refname, out);
            out.push('.');
        }
        match attname {
            Some(name) => self.dialect.quote_ident(name, out),
            None => out.push('*'),
        }
        Ok(())
    }

    /// `simple_quote_literal` with `standard_conforming_strings` on.
    fn quote_literal(value: &str, out: &mut String) {
        out.push('\'');
        for ch in value.chars() {
            if ch == '\'' {
                out.push('\'');
            }
            out.push(ch);
        }
        out.push('\'');
    }

    /// `get_const_expr`: `showtype` -1 never labels, 0 labels unless the
    /// literal reads back as the same type, 1 always labels.
    fn constant(&self, constant: &Const, showtype: i32, out: &mut String) -> Result<()> {
        const BOOL: Oid = Oid(16);
        const INT4: Oid = Oid(23);
        const UNKNOWN: Oid = Oid(705);
        const NUMERIC: Oid = Oid(1700);
        let Some(value) = &constant.value else {
            out.push_str("NULL");
            if showtype >= 0 {
                out.push_str("::");
                out.push_str(&self.type_name(constant.consttype, constant.consttypmod)?);
                self.const_collation(constant, out)?;
            }
            return Ok(());
        };
        let mut needlabel = false;
        match constant.consttype {
            INT4 => {
                if value.starts_with('-') {
                    Self::quote_literal(value, out);
                    needlabel = true;
                } else {
                    out.push_str(value);
                }
            }
            NUMERIC => {
                if value.starts_with(|c: char| c.is_ascii_digit())
                    && value.contains(['e', 'E', '.'])
                {
                    out.push_str(value);
                } else {
                    Self::quote_literal(value, out);
                    needlabel = true;
                }
            }
            BOOL => out.push_str(if value == "t" || value == "true" {
                "true"
            } else {
                "false"
            }),
            _ => Self::quote_literal(value, out),
        }
        if showtype < 0 {
            return Ok(());
        }
        match constant.consttype {
            BOOL | UNKNOWN => needlabel = false,
            INT4 => {}
            NUMERIC => needlabel |= constant.consttypmod >= 0,
            _ => needlabel = true,
        }
        if needlabel || showtype > 0 {
            out.push_str("::");
            out.push_str(&self.type_name(constant.consttype, constant.consttypmod)?);
        }
        self.const_collation(constant, out)
    }

    fn const_collation(&self, constant: &Const, out: &mut String) -> Result<()> {
        if !constant.constcollid.is_invalid()
            && constant.constcollid != self.catalog.type_collation(constant.consttype)
        {
            out.push_str(" COLLATE ");
            out.push_str(&self.collation_name(constant.constcollid)?);
        }
        Ok(())
    }

    /// `get_coercion_expr`: `(arg)::type`, or a bare constant of the
    /// target type with the label.
    fn coercion(
        &self,
        arg: &Expr,
        result_type: Oid,
        typmod: TypMod,
        out: &mut String,
        depth: usize,
    ) -> Result<()> {
        let bare = if let Expr::Const(constant) = arg {
            (constant.consttype == result_type && constant.consttypmod == -1).then_some(constant)
        } else {
            None
        };
        if let Some(constant) = bare {
            self.constant(constant, -1, out)?;
        } else {
            out.push('(');
            self.expr(arg, false, out, depth + 1)?;
            out.push(')');
        }
        out.push_str("::");
        out.push_str(&self.type_name(result_type, typmod)?);
        Ok(())
    }

    fn list(
        &self,
        items: &[Expr],
        show_implicit: bool,
        out: &mut String,
        depth: usize,
    ) -> Result<()> {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            self.expr(item, show_implicit, out, depth + 1)?;
        }
        Ok(())
    }

    fn arg<'e>(args: &'e [Expr], index: usize, what: &str) -> Result<&'e Expr> {
        args.get(index)
            .ok_or_else(|| ExplainError::Unprintable(format!("{what} missing argument {index}")))
    }

    /// `get_rule_expr`.
    fn expr(&self, expr: &Expr, show_implicit: bool, out: &mut String, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(ExplainError::Unprintable(format!(
                "an expression nested deeper than {MAX_DEPTH} levels"
            )));
        }
        let depth = depth + 1;
        // A Const stays a Const in the finished plan (set_plan_references
        // never replaces one by a reference), and a Var prints the same
        // either way.
        if !matches!(expr, Expr::Var(_) | Expr::Const(_)) {
            if let Some(input) = self.scope.and_then(|node| computing_input(node, expr)) {
                // get_variable: "force parentheses because our caller
                // probably assumed a Var is a simple expression"; the
                // input's expression is printed in the input's own
                // context, implicit casts shown.
                out.push('(');
                Printer {
                    scope: Some(input),
                    ..*self
                }
                .expr(expr, true, out, depth)?;
                out.push(')');
                return Ok(());
            }
        }
        match expr {
            Expr::Var(var) => self.column(var.varno, var.varattno, out)?,
            Expr::Const(constant) => self.constant(constant, 0, out)?,
            Expr::Param(param) => out.push_str(&format!("${}", param.paramid)),
            Expr::Aggref(agg) => self.aggregate(agg, out, depth)?,
            Expr::GroupingFunc(grouping) => {
                out.push_str("GROUPING(");
                self.list(&grouping.args, true, out, depth)?;
                out.push(')');
            }
            Expr::WindowFunc(win) => {
                out.push_str(&self.function_name(win.winfnoid)?);
                out.push('(');
                if win.winstar {
                    out.push('*');
                } else {
                    self.list(&win.args, true, out, depth)?;
                }
                if let Some(filter) = &win.aggfilter {
                    out.push_str(") FILTER (WHERE ");
                    self.expr(filter, false, out, depth)?;
                }
                // EXPLAIN has no window clauses to name.
                out.push_str(") OVER (?)");
            }
            Expr::SubscriptingRef(sref) => self.subscripts(sref, show_implicit, out, depth)?,
            Expr::FuncExpr(func) => self.function(func, show_implicit, out, depth)?,
            Expr::NamedArgExpr(named) => {
                out.push_str(&self.ident(&named.name));
                out.push_str(" => ");
                self.expr(&named.arg, show_implicit, out, depth)?;
            }
            Expr::OpExpr(op) => self.operator(op, out, depth)?,
            Expr::DistinctExpr(op) => {
                out.push('(');
                self.expr(
                    Self::arg(&op.args, 0, "IS DISTINCT FROM")?,
                    true,
                    out,
                    depth,
                )?;
                out.push_str(" IS DISTINCT FROM ");
                self.expr(
                    Self::arg(&op.args, 1, "IS DISTINCT FROM")?,
                    true,
                    out,
                    depth,
                )?;
                out.push(')');
            }
            Expr::NullIfExpr(op) => {
                out.push_str("NULLIF(");
                self.list(&op.args, true, out, depth)?;
                out.push(')');
            }
            Expr::ScalarArrayOpExpr(saop) => {
                let left = Self::arg(&saop.args, 0, "ScalarArrayOpExpr")?;
                let right = Self::arg(&saop.args, 1, "ScalarArrayOpExpr")?;
                out.push('(');
                self.expr(left, true, out, depth)?;
                out.push(' ');
                out.push_str(&self.operator_name(saop.opno)?);
                out.push_str(if saop.use_or { " ANY (" } else { " ALL (" });
                self.expr(right, true, out, depth)?;
                if let Expr::SubLink(sublink) = right {
                    if sublink.sublinktype == SubLinkType::Expr {
                        out.push_str("::");
                        out.push_str(&self.type_name(right.type_oid(), right.typmod())?);
                    }
                }
                out.push_str("))");
            }
            Expr::BoolExpr(boolexpr) => match boolexpr.boolop {
                BoolExprType::And | BoolExprType::Or => {
                    let word = if boolexpr.boolop == BoolExprType::And {
                        " AND "
                    } else {
                        " OR "
                    };
                    out.push('(');
                    for (i, arg) in boolexpr.args.iter().enumerate() {
                        if i > 0 {
                            out.push_str(word);
                        }
                        self.expr(arg, false, out, depth)?;
                    }
                    out.push(')');
                }
                BoolExprType::Not => {
                    out.push_str("(NOT ");
                    self.expr(Self::arg(&boolexpr.args, 0, "NOT")?, false, out, depth)?;
                    out.push(')');
                }
            },
            Expr::SubLink(_) => {
                return Err(ExplainError::Unprintable(
                    "an unplanned sub-select (SubLink)".to_string(),
                ))
            }
            Expr::SubPlan(subplan) => {
                if subplan.use_hash_table {
                    out.push_str(&format!("(hashed {})", subplan.plan_name));
                } else {
                    out.push_str(&format!("({})", subplan.plan_name));
                }
            }
            Expr::AlternativeSubPlan(alt) => {
                out.push_str("(alternatives: ");
                for (i, subplan) in alt.subplans.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" or ");
                    }
                    if subplan.use_hash_table {
                        out.push_str("hashed ");
                    }
                    out.push_str(&subplan.plan_name);
                }
                out.push(')');
            }
            Expr::FieldSelect(field) => {
                let parens = !matches!(field.arg, Expr::SubscriptingRef(_) | Expr::FieldSelect(_));
                if parens {
                    out.push('(');
                }
                self.expr(&field.arg, true, out, depth)?;
                if parens {
                    out.push(')');
                }
                out.push('.');
                out.push_str(&self.ident(&self.field_name(field.arg.type_oid(), field.fieldnum)?));
            }
            Expr::FieldStore(_) => {
                return Err(ExplainError::Unprintable(
                    "a field assignment (FieldStore)".to_string(),
                ))
            }
            Expr::RelabelType(relabel) => self.cast_node(
                &relabel.arg,
                relabel.relabelformat,
                relabel.resulttype,
                relabel.resulttypmod,
                show_implicit,
                out,
                depth,
            )?,
            Expr::CoerceViaIO(coerce) => self.cast_node(
                &coerce.arg,
                coerce.coerceformat,
                coerce.resulttype,
                -1,
                show_implicit,
                out,
                depth,
            )?,
            Expr::ArrayCoerceExpr(coerce) => self.cast_node(
                &coerce.arg,
                coerce.coerceformat,
                coerce.resulttype,
                coerce.resulttypmod,
                show_implicit,
                out,
                depth,
            )?,
            Expr::ConvertRowtypeExpr(convert) => self.cast_node(
                &convert.arg,
                convert.convertformat,
                convert.resulttype,
                -1,
                show_implicit,
                out,
                depth,
            )?,
            Expr::CoerceToDomain(coerce) => self.cast_node(
                &coerce.arg,
                coerce.coercionformat,
                coerce.resulttype,
                coerce.resulttypmod,
                show_implicit,
                out,
                depth,
            )?,
            Expr::CollateExpr(collate) => {
                out.push('(');
                self.expr(&collate.arg, show_implicit, out, depth)?;
                out.push_str(" COLLATE ");
                out.push_str(&self.collation_name(collate.coll_oid)?);
                out.push(')');
            }
            Expr::CaseExpr(case) => {
                out.push_str("CASE");
                if let Some(arg) = &case.arg {
                    out.push(' ');
                    self.expr(arg, true, out, depth)?;
                }
                for when in &case.args {
                    let mut condition = &when.expr;
                    if case.arg.is_some() {
                        if let Expr::OpExpr(op) = &when.expr {
                            if let [left, right] = op.args.as_slice() {
                                if matches!(
                                    fdw_core::expr::strip_implicit_coercions(left),
                                    Expr::CaseTestExpr(_)
                                ) {
                                    condition = right;
                                }
                            }
                        }
                    }
                    out.push_str(" WHEN ");
                    self.expr(condition, false, out, depth)?;
                    out.push_str(" THEN ");
                    self.expr(&when.result, true, out, depth)?;
                }
                out.push_str(" ELSE ");
                match &case.defresult {
                    Some(default) => self.expr(default, true, out, depth)?,
                    None => out.push_str("NULL"),
                }
                out.push_str(" END");
            }
            Expr::CaseTestExpr(_) => {
                return Err(ExplainError::Unprintable(
                    "a CASE placeholder outside its CASE (CaseTestExpr)".to_string(),
                ))
            }
            Expr::ArrayExpr(array) => {
                out.push_str("ARRAY[");
                self.list(&array.elements, true, out, depth)?;
                out.push(']');
                if array.elements.is_empty() {
                    out.push_str("::");
                    out.push_str(&self.type_name(array.array_typeid, -1)?);
                }
            }
            Expr::RowExpr(row) => {
                out.push_str("ROW(");
                for (i, arg) in row.args.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.expr(arg, true, out, depth)?;
                    if let Expr::Var(var) = arg {
                        if var.varattno.0 == 0 {
                            out.push_str("::");
                            out.push_str(&self.type_name(var.vartype, var.vartypmod)?);
                        }
                    }
                }
                out.push(')');
                if row.row_format == CoercionForm::ExplicitCast {
                    out.push_str("::");
                    out.push_str(&self.type_name(row.row_typeid, -1)?);
                }
            }
            Expr::RowCompareExpr(rc) => {
                out.push_str("(ROW(");
                self.list(&rc.largs, true, out, depth)?;
                out.push_str(") ");
                let opno = rc.opnos.first().copied().ok_or_else(|| {
                    ExplainError::Unprintable("a row comparison without operators".to_string())
                })?;
                out.push_str(&self.operator_name(opno)?);
                out.push_str(" ROW(");
                self.list(&rc.rargs, true, out, depth)?;
                out.push_str("))");
            }
            Expr::CoalesceExpr(coalesce) => {
                out.push_str("COALESCE(");
                self.list(&coalesce.args, true, out, depth)?;
                out.push(')');
            }
            Expr::MinMaxExpr(minmax) => {
                out.push_str(match minmax.op {
                    MinMaxOp::Greatest => "GREATEST(",
                    MinMaxOp::Least => "LEAST(",
                });
                self.list(&minmax.args, true, out, depth)?;
                out.push(')');
            }
            Expr::SqlValueFunction(svf) => {
                let typmod = svf.typmod;
                let text = match svf.op {
                    SqlValueFunctionOp::CurrentDate => "CURRENT_DATE".to_string(),
                    SqlValueFunctionOp::CurrentTime => "CURRENT_TIME".to_string(),
                    SqlValueFunctionOp::CurrentTimeN => format!("CURRENT_TIME({typmod})"),
                    SqlValueFunctionOp::CurrentTimestamp => "CURRENT_TIMESTAMP".to_string(),
                    SqlValueFunctionOp::CurrentTimestampN => {
                        format!("CURRENT_TIMESTAMP({typmod})")
                    }
                    SqlValueFunctionOp::Localtime => "LOCALTIME".to_string(),
                    SqlValueFunctionOp::LocaltimeN => format!("LOCALTIME({typmod})"),
                    SqlValueFunctionOp::Localtimestamp => "LOCALTIMESTAMP".to_string(),
                    SqlValueFunctionOp::LocaltimestampN => format!("LOCALTIMESTAMP({typmod})"),
                    SqlValueFunctionOp::CurrentRole => "CURRENT_ROLE".to_string(),
                    SqlValueFunctionOp::CurrentUser => "CURRENT_USER".to_string(),
                    SqlValueFunctionOp::User => "USER".to_string(),
                    SqlValueFunctionOp::SessionUser => "SESSION_USER".to_string(),
                    SqlValueFunctionOp::CurrentCatalog => "CURRENT_CATALOG".to_string(),
                    SqlValueFunctionOp::CurrentSchema => "CURRENT_SCHEMA".to_string(),
                };
                out.push_str(&text);
            }
            Expr::XmlExpr(xml) => self.xml(xml, out, depth)?,
            Expr::JsonExpr(_) => {
                return Err(ExplainError::Unprintable(
                    "an SQL/JSON expression (PostgreSQL 16+)".to_string(),
                ))
            }
            Expr::NullTest(test) => {
                out.push('(');
                self.expr(&test.arg, false, out, depth)?;
                out.push_str(match test.nulltesttype {
                    NullTestType::IsNull => " IS NULL)",
                    NullTestType::IsNotNull => " IS NOT NULL)",
                });
            }
            Expr::BooleanTest(test) => {
                out.push('(');
                self.expr(&test.arg, false, out, depth)?;
                out.push_str(match test.booltesttype {
                    BoolTestType::IsTrue => " IS TRUE)",
                    BoolTestType::IsNotTrue => " IS NOT TRUE)",
                    BoolTestType::IsFalse => " IS FALSE)",
                    BoolTestType::IsNotFalse => " IS NOT FALSE)",
                    BoolTestType::IsUnknown => " IS UNKNOWN)",
                    BoolTestType::IsNotUnknown => " IS NOT UNKNOWN)",
                });
            }
            Expr::CoerceToDomainValue(_) => out.push_str("VALUE"),
            Expr::SetToDefault(_) => out.push_str("DEFAULT"),
            Expr::CurrentOfExpr(current) => {
                out.push_str("CURRENT OF ");
                match &current.cursor_name {
                    Some(name) => out.push_str(&self.ident(name)),
                    None => out.push_str(&format!("${}", current.cursor_param)),
                }
            }
            Expr::NextValueExpr(next) => {
                let relation =
                    self.catalog
                        .relation(next.seqid)
                        .ok_or(ExplainError::UnknownObject {
                            kind: "relation",
                            oid: next.seqid,
                        })?;
                let name = self.qualified(relation.schema, &relation.name)?;
                out.push_str("nextval(");
                Self::quote_literal(&name, out);
                out.push(')');
            }
            Expr::PlaceHolderVar(phv) => self.expr(&phv.phexpr, true, out, depth)?,
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn cast_node(
        &self,
        arg: &Expr,
        format: CoercionForm,
        result_type: Oid,
        typmod: TypMod,
        show_implicit: bool,
        out: &mut String,
        depth: usize,
    ) -> Result<()> {
        if format == CoercionForm::ImplicitCast && !show_implicit {
            return self.expr(arg, false, out, depth);
        }
        self.coercion(arg, result_type, typmod, out, depth)
    }

    /// `get_oper_expr`.
    fn operator(&self, op: &OpExpr, out: &mut String, depth: usize) -> Result<()> {
        out.push('(');
        match op.args.as_slice() {
            [left, right] => {
                self.expr(left, true, out, depth)?;
                out.push(' ');
                out.push_str(&self.operator_name(op.opno)?);
                out.push(' ');
                self.expr(right, true, out, depth)?;
            }
            [arg] => {
                out.push_str(&self.operator_name(op.opno)?);
                out.push(' ');
                self.expr(arg, true, out, depth)?;
            }
            _ => {
                return Err(ExplainError::Unprintable(format!(
                    "an operator with {} arguments",
                    op.args.len()
                )))
            }
        }
        out.push(')');
        Ok(())
    }

    /// `get_func_expr`.
    fn function(
        &self,
        func: &FuncExpr,
        show_implicit: bool,
        out: &mut String,
        depth: usize,
    ) -> Result<()> {
        if func.funcformat == CoercionForm::ImplicitCast && !show_implicit {
            return self.expr(Self::arg(&func.args, 0, "cast")?, false, out, depth);
        }
        if matches!(
            func.funcformat,
            CoercionForm::ExplicitCast | CoercionForm::ImplicitCast
        ) {
            let arg = Self::arg(&func.args, 0, "cast")?;
            let typmod = Expr::FuncExpr(Box::new(func.clone()))
                .length_coercion_typmod()
                .unwrap_or(-1);
            return self.coercion(arg, func.funcresulttype, typmod, out, depth);
        }
        if func.funcformat == CoercionForm::SqlSyntax && self.sql_syntax(func, out, depth)? {
            return Ok(());
        }
        out.push_str(&self.function_name(func.funcid)?);
        out.push('(');
        let last = func.args.len().saturating_sub(1);
        for (i, arg) in func.args.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            if func.funcvariadic && i == last {
                out.push_str("VARIADIC ");
            }
            self.expr(arg, true, out, depth)?;
        }
        out.push(')');
        Ok(())
    }

    fn const_text(arg: &Expr) -> Option<&str> {
        if let Expr::Const(constant) = arg {
            constant.value.as_deref()
        } else {
            None
        }
    }

    /// `get_func_sql_syntax`: the special SQL forms, by function name.
    /// False when the function has none (it is then printed as a call).
    fn sql_syntax(&self, func: &FuncExpr, out: &mut String, depth: usize) -> Result<bool> {
        let info = self
            .catalog
            .proc_info(func.funcid)
            .ok_or(ExplainError::UnknownObject {
                kind: "function",
                oid: func.funcid,
            })?;
        let args = func.args.as_slice();
        let mut text = String::new();
        match (info.name.as_str(), args) {
            ("timezone", [zone, value]) => {
                text.push('(');
                self.expr(value, false, &mut text, depth)?;
                text.push_str(" AT TIME ZONE ");
                self.expr(zone, false, &mut text, depth)?;
                text.push(')');
            }
            ("overlaps", [a, b, c, d]) => {
                text.push_str("((");
                self.expr(a, false, &mut text, depth)?;
                text.push_str(", ");
                self.expr(b, false, &mut text, depth)?;
                text.push_str(") OVERLAPS (");
                self.expr(c, false, &mut text, depth)?;
                text.push_str(", ");
                self.expr(d, false, &mut text, depth)?;
                text.push_str("))");
            }
            ("extract", [field, source]) => {
                let Some(field) = Self::const_text(field) else {
                    return Ok(false);
                };
                text.push_str("EXTRACT(");
                text.push_str(field);
                text.push_str(" FROM ");
                self.expr(source, false, &mut text, depth)?;
                text.push(')');
            }
            ("is_normalized", [value, rest @ ..]) => {
                text.push_str("((");
                self.expr(value, false, &mut text, depth)?;
                text.push_str(") IS");
                if let Some(form) = rest.first().and_then(Self::const_text) {
                    text.push(' ');
                    text.push_str(form);
                }
                text.push_str(" NORMALIZED)");
            }
            ("pg_collation_for", [value]) => {
                text.push_str("COLLATION FOR (");
                self.expr(value, false, &mut text, depth)?;
                text.push(')');
            }
            ("normalize", [value, rest @ ..]) => {
                text.push_str("NORMALIZE(");
                self.expr(value, false, &mut text, depth)?;
                if let Some(form) = rest.first().and_then(Self::const_text) {
                    text.push_str(", ");
                    text.push_str(form);
                }
                text.push(')');
            }
            ("overlay", [value, placing, from, rest @ ..]) => {
                text.push_str("OVERLAY(");
                self.expr(value, false, &mut text, depth)?;
                text.push_str(" PLACING ");
                self.expr(placing, false, &mut text, depth)?;
                text.push_str(" FROM ");
                self.expr(from, false, &mut text, depth)?;
                if let Some(count) = rest.first() {
                    text.push_str(" FOR ");
                    self.expr(count, false, &mut text, depth)?;
                }
                text.push(')');
            }
            ("position", [haystack, needle]) => {
                text.push_str("POSITION((");
                self.expr(needle, false, &mut text, depth)?;
                text.push_str(") IN (");
                self.expr(haystack, false, &mut text, depth)?;
                text.push_str("))");
            }
            ("substring", [value, pattern, escape])
                if info.arg_types.iter().all(|t| *t == Oid(25)) =>
            {
                text.push_str("SUBSTRING(");
                self.expr(value, false, &mut text, depth)?;
                text.push_str(" SIMILAR ");
                self.expr(pattern, false, &mut text, depth)?;
                text.push_str(" ESCAPE ");
                self.expr(escape, false, &mut text, depth)?;
                text.push(')');
            }
            ("substring", [value, from, rest @ ..]) => {
                text.push_str("SUBSTRING(");
                self.expr(value, false, &mut text, depth)?;
                text.push_str(" FROM ");
                self.expr(from, false, &mut text, depth)?;
                if let Some(count) = rest.first() {
                    text.push_str(" FOR ");
                    self.expr(count, false, &mut text, depth)?;
                }
                text.push(')');
            }
            ("btrim" | "ltrim" | "rtrim", [value, rest @ ..]) => {
                text.push_str(match info.name.as_str() {
                    "btrim" => "TRIM(BOTH",
                    "ltrim" => "TRIM(LEADING",
                    _ => "TRIM(TRAILING",
                });
                if let Some(chars) = rest.first() {
                    text.push(' ');
                    self.expr(chars, false, &mut text, depth)?;
                }
                text.push_str(" FROM ");
                self.expr(value, false, &mut text, depth)?;
                text.push(')');
            }
            ("xmlexists", [path, document]) => {
                text.push_str("XMLEXISTS((");
                self.expr(path, false, &mut text, depth)?;
                text.push_str(") PASSING (");
                self.expr(document, false, &mut text, depth)?;
                text.push_str("))");
            }
            _ => return Ok(false),
        }
        out.push_str(&text);
        Ok(true)
    }

    /// `get_agg_expr`.
    fn aggregate(&self, agg: &Aggref, out: &mut String, depth: usize) -> Result<()> {
        if agg.aggsplit == AggSplit::InitialSerial {
            out.push_str("PARTIAL ");
        }
        out.push_str(&self.function_name(agg.aggfnoid)?);
        out.push('(');
        if !agg.aggdistinct.is_empty() {
            out.push_str("DISTINCT ");
        }
        if matches!(agg.aggkind, AggKind::OrderedSet | AggKind::Hypothetical) {
            self.list(&agg.aggdirectargs, true, out, depth)?;
            out.push_str(") WITHIN GROUP (ORDER BY ");
            self.order_by(&agg.aggorder, &agg.args, out, depth)?;
        } else {
            if agg.aggstar {
                out.push('*');
            } else {
                let shown: Vec<&TargetEntry> = agg.args.iter().filter(|t| !t.resjunk).collect();
                for (i, entry) in shown.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    if agg.aggvariadic && i + 1 == shown.len() {
                        out.push_str("VARIADIC ");
                    }
                    self.expr(&entry.expr, true, out, depth)?;
                }
            }
            if !agg.aggorder.is_empty() {
                out.push_str(" ORDER BY ");
                self.order_by(&agg.aggorder, &agg.args, out, depth)?;
            }
        }
        if let Some(filter) = &agg.aggfilter {
            out.push_str(") FILTER (WHERE ");
            self.expr(filter, false, out, depth)?;
        }
        out.push(')');
        Ok(())
    }

    /// `get_rule_orderby` inside an aggregate call.
    fn order_by(
        &self,
        clauses: &[SortGroupClause],
        tlist: &[TargetEntry],
        out: &mut String,
        depth: usize,
    ) -> Result<()> {
        for (i, clause) in clauses.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let entry = tlist
                .iter()
                .find(|t| t.ressortgroupref == clause.tle_sort_group_ref)
                .ok_or_else(|| {
                    ExplainError::Unprintable(format!(
                        "a sort clause with no target entry {}",
                        clause.tle_sort_group_ref
                    ))
                })?;
            let sortexpr = &entry.expr;
            if let Expr::Const(constant) = sortexpr {
                self.constant(constant, 1, out)?;
            } else if matches!(
                sortexpr,
                Expr::FuncExpr(_) | Expr::Aggref(_) | Expr::WindowFunc(_)
            ) {
                // Function-like sort keys are parenthesised even without
                // pretty-printing, so they cannot read as sort options.
                out.push('(');
                self.expr(sortexpr, true, out, depth)?;
                out.push(')');
            } else {
                self.expr(sortexpr, true, out, depth)?;
            }
            let sort_type = sortexpr.type_oid();
            let op =
                self.catalog
                    .operator_info(clause.sortop)
                    .ok_or(ExplainError::UnknownObject {
                        kind: "operator",
                        oid: clause.sortop,
                    })?;
            let default_for_type = op.left == sort_type && op.right == sort_type;
            if default_for_type && op.name == "<" {
                if clause.nulls_first {
                    out.push_str(" NULLS FIRST");
                }
            } else if default_for_type && op.name == ">" {
                out.push_str(" DESC");
                if !clause.nulls_first {
                    out.push_str(" NULLS LAST");
                }
            } else {
                out.push_str(" USING ");
                out.push_str(&self.operator_name(clause.sortop)?);
                out.push_str(if clause.nulls_first {
                    " NULLS FIRST"
                } else {
                    " NULLS LAST"
                });
            }
        }
        Ok(())
    }

    /// A `SubscriptingRef` fetch: `c1[1]`, `(expr)[1:2]`.
    fn subscripts(
        &self,
        sref: &SubscriptingRef,
        show_implicit: bool,
        out: &mut String,
        depth: usize,
    ) -> Result<()> {
        if sref.refassgnexpr.is_some() {
            return Err(ExplainError::Unprintable(
                "a subscripted assignment".to_string(),
            ));
        }
        let parens = !matches!(sref.refexpr, Expr::Var(_) | Expr::FieldSelect(_));
        if parens {
            out.push('(');
        }
        self.expr(&sref.refexpr, show_implicit, out, depth)?;
        if parens {
            out.push(')');
        }
        for (i, upper) in sref.refupperindexpr.iter().enumerate() {
            out.push('[');
            if !sref.reflowerindexpr.is_empty() {
                if let Some(Some(lower)) = sref.reflowerindexpr.get(i) {
                    self.expr(lower, false, out, depth)?;
                }
                out.push(':');
            }
            if let Some(upper) = upper {
                self.expr(upper, false, out, depth)?;
            }
            out.push(']');
        }
        Ok(())
    }

    /// The name of field `fieldnum` of composite type `type_oid`.
    fn field_name(&self, type_oid: Oid, fieldnum: AttrNumber) -> Result<String> {
        let info = self
            .catalog
            .type_info(type_oid)
            .ok_or(ExplainError::UnknownObject {
                kind: "type",
                oid: type_oid,
            })?;
        let relation = self
            .catalog
            .relation(info.relid)
            .ok_or(ExplainError::UnknownObject {
                kind: "relation",
                oid: info.relid,
            })?;
        relation
            .columns
            .iter()
            .find(|column| column.attnum == fieldnum.0)
            .map(|column| column.name.clone())
            .ok_or(ExplainError::UnknownColumn {
                rtindex: 0,
                attno: fieldnum.0,
            })
    }

    /// The SQL/XML forms whose arguments the model keeps.
    fn xml(&self, xml: &fdw_core::expr::XmlExpr, out: &mut String, depth: usize) -> Result<()> {
        let named = |printer: &Self, out: &mut String| -> Result<()> {
            for (i, (value, name)) in xml.named_args.iter().zip(&xml.arg_names).enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                printer.expr(value, true, out, depth)?;
                out.push_str(" AS ");
                out.push_str(&printer.ident(name));
            }
            Ok(())
        };
        match xml.op {
            XmlExprOp::Concat => {
                out.push_str("XMLCONCAT(");
                self.list(&xml.args, true, out, depth)?;
                out.push(')');
            }
            XmlExprOp::Element => {
                out.push_str("XMLELEMENT(NAME ");
                out.push_str(&self.ident(xml.name.as_deref().unwrap_or("")));
                if !xml.named_args.is_empty() {
                    out.push_str(", XMLATTRIBUTES(");
                    named(self, out)?;
                    out.push(')');
                }
                for arg in &xml.args {
                    out.push_str(", ");
                    self.expr(arg, true, out, depth)?;
                }
                out.push(')');
            }
            XmlExprOp::Forest => {
                out.push_str("XMLFOREST(");
                named(self, out)?;
                out.push(')');
            }
            XmlExprOp::Pi => {
                out.push_str("XMLPI(NAME ");
                out.push_str(&self.ident(xml.name.as_deref().unwrap_or("")));
                for arg in &xml.args {
                    out.push_str(", ");
                    self.expr(arg, true, out, depth)?;
                }
                out.push(')');
            }
            XmlExprOp::IsDocument => {
                self.expr(Self::arg(&xml.args, 0, "IS DOCUMENT")?, true, out, depth)?;
                out.push_str(" IS DOCUMENT");
            }
            XmlExprOp::Parse | XmlExprOp::Root | XmlExprOp::Serialize => {
                return Err(ExplainError::Unprintable(
                    "XMLPARSE, XMLROOT and XMLSERIALIZE (their options are not modelled)"
                        .to_string(),
                ))
            }
        }
        Ok(())
    }
}
