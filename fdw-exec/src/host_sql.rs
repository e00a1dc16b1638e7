//! The *host form* of a plan: one SQL statement that a host PostgreSQL with
//! the `dblink` extension runs to get the rows of a planned query, with each
//! foreign scan sent to its server exactly as the plan says.
//!
//! # Approach
//!
//! The statement is written from the **plan**, not from the original query,
//! so that it does what the plan does and nothing more: a remote `WHERE` the
//! planner shipped is applied only by the remote server (it is not applied a
//! second time on the host, which would hide a wrong pushdown), and only the
//! conditions the plan keeps local are written around the scans.
//!
//! * Each base foreign scan becomes a derived table
//!   `(SELECT ... FROM dblink(conninfo, remote_sql) AS rN(col type, ...)
//!   WHERE <local filter>) AS rN`. The column definition list is the remote
//!   `SELECT` list (the plan's retrieved attributes, with the foreign table's
//!   declared types, typmods and non-default collations); a remote
//!   `SELECT NULL` (no column needed) gets one placeholder text column. The
//!   derived table exposes every column of the foreign table under its local
//!   name, the columns not fetched as typed `NULL`s, so that a whole-row
//!   reference has the table's shape and a reference to a column the plan
//!   forgot to fetch shows up as a wrong answer rather than being repaired.
//! * A local `Seq Scan` becomes `(SELECT * FROM ONLY schema.table AS rN WHERE
//!   <filter>) AS rN`.
//! * Local joins become SQL joins (`JOIN` / `LEFT JOIN` / `RIGHT JOIN` /
//!   `FULL JOIN`) with the node's join clauses (join filter and hash or
//!   merge clauses) as `ON`; a join's own `Filter:` is allowed only at the
//!   top of the join tree (it becomes `WHERE`).
//! * Above the join tree, a gating `Result`'s conditions become `WHERE`, an
//!   `Aggregate` becomes `GROUP BY` / `HAVING`, a `Sort` becomes `ORDER BY`
//!   (operator, `NULLS FIRST/LAST` and collation spelled out) and a `Limit`
//!   becomes `LIMIT` / `OFFSET`; the select list is the top node's output
//!   without the query's junk entries.
//!
//! Every range-table entry is renamed `r<rtindex>`, so names never clash.
//! Expressions are printed by the EXPLAIN printer
//! ([`fdw_planner::explain::ruleutils`]) with columns qualified and implicit
//! casts shown, which PostgreSQL reads back as the same expressions when the
//! host's `search_path` sees the same schemas as the catalog's (functions,
//! operators and types on the catalog's search path are printed bare).
//! Plan shapes this module cannot write exactly (parameterised remote
//! queries, join or upper foreign scans, semi and anti joins, grouping sets,
//! sub-plans, ...) are refused with [`HostSqlError::Unsupported`], never
//! approximated.
//!
//! # Remote sessions
//!
//! `dblink` opens a plain session, so the connection string gets the session
//! settings postgres_fdw sends on connect as an `options` parameter
//! (`search_path=pg_catalog`, `TimeZone=UTC`, `DateStyle=ISO`,
//! `IntervalStyle=postgres`, `extra_float_digits=3`): the remote SQL is
//! written for `search_path = pg_catalog`, and values cross dblink as text,
//! which those settings make exact and unambiguous for the host's input
//! functions.
//!
//! # Secrets
//!
//! The connection parameters come from the caller ([`ServerConnInfo`]) and
//! are written into the statement text. They may hold a password: the
//! statement must be treated as secret wherever it is printed or logged.

use std::fmt::Write as _;

use fdw_catalog::Catalog;
use fdw_core::plan::{
    Aggregate, ForeignScan, ForeignScanKind, JoinMethod, JoinNode, Limit, PlanKind, PlanNode,
    SortDirection, SortKey,
};
use fdw_core::query::{CommandType, JoinType, Query, RteKind};
use fdw_core::{AttrNumber, Expr, Oid, Plan, RelIndex};
use fdw_deparse::{quote_identifier, Dialect, PostgresDialect};
use fdw_planner::explain::{
    deparse_for_explain, ExplainError, ExplainExprOptions, RangeName, RangeNames,
};

/// What can stop a plan from being written as host SQL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HostSqlError {
    /// A plan shape or node this module does not write (it never writes an
    /// approximation instead).
    #[error("host SQL does not support {0}")]
    Unsupported(String),
    /// No connection parameters for a foreign server.
    #[error("no connection parameters for foreign server {0}")]
    NoConnInfo(Oid),
    /// A range-table entry or relation the plan names is missing.
    #[error("unknown range-table entry or relation {0}")]
    Unknown(String),
    /// An expression could not be printed.
    #[error(transparent)]
    Print(#[from] ExplainError),
    /// A type name could not be printed.
    #[error(transparent)]
    Deparse(#[from] fdw_deparse::Error),
}

/// The result of this module.
pub type Result<T, E = HostSqlError> = std::result::Result<T, E>;

/// Where the libpq connection parameters of each foreign server come from
/// (the server's options and the user mapping's, as the caller resolves
/// them). The values may contain a password; see the module docs.
pub trait ServerConnInfo {
    /// The `(keyword, value)` pairs to connect to `server` with, or `None`
    /// when the server is unknown. Must not contain `options` (the host
    /// form sets it).
    fn conninfo(&self, server: Oid) -> Option<Vec<(String, String)>>;
}

impl<F> ServerConnInfo for F
where
    F: Fn(Oid) -> Option<Vec<(String, String)>>,
{
    fn conninfo(&self, server: Oid) -> Option<Vec<(String, String)>> {
        self(server)
    }
}

/// The session settings postgres_fdw sets on a new remote connection,
/// passed to dblink's session as libpq `options`.
const REMOTE_SESSION_OPTIONS: &str = "-c search_path=pg_catalog -c TimeZone=UTC -c DateStyle=ISO \
     -c IntervalStyle=postgres -c extra_float_digits=3";

/// The placeholder column of a remote `SELECT NULL`.
const NO_COLUMN: &str = "fdw_no_column";

/// Writes `plan` (planned from `query`) as one `SELECT` for a host
/// PostgreSQL with `dblink`; see the module docs for the approach.
///
/// # Errors
///
/// [`HostSqlError::Unsupported`] for plan shapes not written exactly;
/// [`HostSqlError::NoConnInfo`] when `conninfo` lacks a server; printing
/// errors for expressions the printer refuses.
pub fn host_sql(
    catalog: &Catalog,
    plan: &Plan,
    query: &Query,
    conninfo: &dyn ServerConnInfo,
) -> Result<String> {
    if plan.command != CommandType::Select || query.command != CommandType::Select {
        return Err(HostSqlError::Unsupported(
            "statements other than SELECT".into(),
        ));
    }
    if !plan.subplans.is_empty() {
        return Err(HostSqlError::Unsupported("sub-plans".into()));
    }
    let writer = Writer::new(catalog, plan, conninfo)?;
    writer.statement(query)
}

/// What the writing of one statement shares.
struct Writer<'a> {
    catalog: &'a Catalog,
    plan: &'a Plan,
    conninfo: &'a dyn ServerConnInfo,
    dialect: PostgresDialect,
    names: RangeNames<'static>,
}

/// The clauses collected while peeling the nodes above the join tree.
#[derive(Default)]
struct Upper<'p> {
    limit: Option<&'p Limit>,
    sort: Option<&'p [SortKey]>,
    aggregate: Option<&'p Aggregate>,
    /// `WHERE` conditions: gating `Result` filters and a top join's filter.
    filters: Vec<&'p Expr>,
}

impl<'a> Writer<'a> {
    fn new(
        catalog: &'a Catalog,
        plan: &'a Plan,
        conninfo: &'a dyn ServerConnInfo,
    ) -> Result<Writer<'a>> {
        let dialect = PostgresDialect::new(catalog.major())?;
        let mut names = RangeNames::new();
        for (index, rte) in (1u32..).zip(&plan.rtable) {
            if let RteKind::Relation { relid, .. } = &rte.kind {
                names.insert_relation(
                    catalog,
                    RelIndex(index),
                    *relid,
                    &refname(RelIndex(index)),
                )?;
            } else {
                // Other entries (joins) get a name that no column of the
                // statement can use: plan expressions refer to base
                // relations only.
                names.insert(
                    RelIndex(index),
                    RangeName {
                        refname: refname(RelIndex(index)).into(),
                        columns: Vec::new().into(),
                    },
                );
            }
        }
        Ok(Writer {
            catalog,
            plan,
            conninfo,
            dialect,
            names,
        })
    }

    fn ident(&self, name: &str) -> String {
        quote_identifier(&self.dialect, name)
    }

    fn expr(&self, expr: &Expr) -> Result<String> {
        let options = ExplainExprOptions {
            qualify_columns: true,
            show_implicit: true,
        };
        // A node the printer cannot write (an unplanned sub-select) has
        // no host form here: refused, not approximated.
        deparse_for_explain(self.catalog, &self.names, expr, &options).map_err(|err| match err {
            ExplainError::Unprintable(what) => HostSqlError::Unsupported(what),
            other => HostSqlError::Print(other),
        })
    }

    /// `(a) AND (b) ...`, or `None` for no conditions.
    fn conjunction<'e>(&self, quals: impl IntoIterator<Item = &'e Expr>) -> Result<Option<String>> {
        let mut out = String::new();
        for (i, qual) in quals.into_iter().enumerate() {
            if i > 0 {
                out.push_str(" AND ");
            }
            out.push('(');
            out.push_str(&self.expr(qual)?);
            out.push(')');
        }
        Ok((!out.is_empty()).then_some(out))
    }

    /// An expression where a bare constant would be read as a position
    /// (`GROUP BY 1`, `ORDER BY 1`): constants get an explicit cast, which
    /// PostgreSQL reads as an expression.
    fn key_expr(&self, expr: &Expr) -> Result<String> {
        let text = self.expr(expr)?;
        if let Expr::Const(constant) = expr {
            let mut ty = String::new();
            self.dialect.type_name(
                self.catalog,
                constant.consttype,
                constant.consttypmod,
                &mut ty,
            )?;
            return Ok(format!("({text})::{ty}"));
        }
        Ok(text)
    }

    fn statement(&self, query: &Query) -> Result<String> {
        let root = &self.plan.root;
        let mut upper = Upper::default();
        let mut node = root;
        check_no_init_plans(node)?;
        if let PlanKind::Limit(limit) = &node.kind {
            if limit.with_ties {
                return Err(HostSqlError::Unsupported("LIMIT ... WITH TIES".into()));
            }
            upper.limit = Some(limit);
            node = &limit.input;
            check_no_init_plans(node)?;
        }
        if let PlanKind::Sort(sort) = &node.kind {
            upper.sort = Some(&sort.keys);
            node = &sort.input;
            check_no_init_plans(node)?;
        }
        if let PlanKind::Aggregate(agg) = &node.kind {
            if !agg.grouping_sets.is_empty() {
                return Err(HostSqlError::Unsupported("grouping sets".into()));
            }
            if agg.split != fdw_core::expr::AggSplit::Simple {
                return Err(HostSqlError::Unsupported("partial aggregation".into()));
            }
            upper.aggregate = Some(agg);
            // A GroupAggregate returns its groups in its input's order,
            // which may be the one the query asked for (no Sort above).
            if let (None, PlanKind::Sort(sort)) = (&upper.sort, &agg.input.kind) {
                upper.sort = Some(&sort.keys);
            }
            node = &agg.input;
            check_no_init_plans(node)?;
        }
        let from = match &node.kind {
            PlanKind::Result(result) => {
                upper.filters.extend(&result.one_time_filter);
                upper.filters.extend(&result.filter);
                match &result.input {
                    Some(input) => Some(self.scan_or_join(input, Some(&mut upper.filters))?),
                    None => self.empty_relations()?,
                }
            }
            _ => Some(self.scan_or_join(node, Some(&mut upper.filters))?),
        };

        let mut sql = String::from("SELECT ");
        let mut first = true;
        for (index, entry) in query.target_list.iter().enumerate() {
            if entry.resjunk {
                continue;
            }
            let expr = root.output.get(index).ok_or_else(|| {
                HostSqlError::Unknown(format!("output column {} of the plan", index + 1))
            })?;
            if !first {
                sql.push_str(", ");
            }
            first = false;
            sql.push_str(&self.output_expr(expr)?);
            sql.push_str(" AS ");
            sql.push_str(&self.ident(entry.resname.as_deref().unwrap_or("?column?")));
        }
        if let Some(from) = from {
            sql.push_str(" FROM ");
            sql.push_str(&from);
        }
        if let Some(cond) = self.conjunction(upper.filters.iter().copied())? {
            sql.push_str(" WHERE ");
            sql.push_str(&cond);
        }
        if let Some(agg) = upper.aggregate {
            if !agg.group_keys.is_empty() {
                sql.push_str(" GROUP BY ");
                for (i, key) in agg.group_keys.iter().enumerate() {
                    if i > 0 {
                        sql.push_str(", ");
                    }
                    sql.push_str(&self.key_expr(key)?);
                }
            }
            if let Some(cond) = self.conjunction(&agg.filter)? {
                sql.push_str(" HAVING ");
                sql.push_str(&cond);
            }
        }
        if let Some(keys) = upper.sort {
            if !keys.is_empty() {
                sql.push_str(" ORDER BY ");
                for (i, key) in keys.iter().enumerate() {
                    if i > 0 {
                        sql.push_str(", ");
                    }
                    self.sort_key(key, &mut sql)?;
                }
            }
        }
        if let Some(limit) = upper.limit {
            if let Some(count) = &limit.count {
                let _ = write!(sql, " LIMIT ({})", self.expr(count)?);
            }
            if let Some(offset) = &limit.offset {
                let _ = write!(sql, " OFFSET ({})", self.expr(offset)?);
            }
        }
        Ok(sql)
    }

    /// A select-list entry: a whole-row reference is written as the bare
    /// relation name (`r1`), since `r1.*` would expand into its columns.
    fn output_expr(&self, expr: &Expr) -> Result<String> {
        if let Expr::Var(var) = expr {
            if var.varattno == AttrNumber::WHOLE_ROW && var.varlevelsup == 0 {
                return Ok(self.ident(&refname(var.varno)));
            }
        }
        self.expr(expr)
    }

    fn sort_key(&self, key: &SortKey, out: &mut String) -> Result<()> {
        out.push_str(&self.key_expr(&key.expr)?);
        if !key.collation.is_invalid() && key.collation != key.expr.collation() {
            out.push_str(" COLLATE ");
            out.push_str(&self.collation_name(key.collation)?);
        }
        match key.direction {
            SortDirection::Asc => out.push_str(" ASC"),
            SortDirection::Desc => out.push_str(" DESC"),
            SortDirection::Using => {
                let op = self
                    .catalog
                    .operator_info(key.sortop)
                    .ok_or_else(|| HostSqlError::Unknown(format!("operator {}", key.sortop)))?;
                let schema = self
                    .catalog
                    .namespace_name(op.namespace)
                    .ok_or_else(|| HostSqlError::Unknown(format!("namespace {}", op.namespace)))?;
                let _ = write!(out, " USING OPERATOR({}.{})", self.ident(schema), op.name);
            }
        }
        out.push_str(if key.nulls_first {
            " NULLS FIRST"
        } else {
            " NULLS LAST"
        });
        Ok(())
    }

    fn collation_name(&self, collation: Oid) -> Result<String> {
        let info = self
            .catalog
            .builtin()
            .collation(collation)
            .ok_or_else(|| HostSqlError::Unknown(format!("collation {collation}")))?;
        let schema = self
            .catalog
            .namespace_name(info.namespace)
            .ok_or_else(|| HostSqlError::Unknown(format!("namespace {}", info.namespace)))?;
        Ok(format!("{}.{}", self.ident(schema), self.ident(&info.name)))
    }

    /// The `FROM` item of a scan or join subtree. `top_filters` receives a
    /// top join's own filter; below the top a join filter has no exact SQL
    /// spelling without renaming, so it is refused there.
    fn scan_or_join<'p>(
        &self,
        node: &'p PlanNode,
        top_filters: Option<&mut Vec<&'p Expr>>,
    ) -> Result<String> {
        check_no_init_plans(node)?;
        match &node.kind {
            PlanKind::ForeignScan(scan) => self.foreign_scan(scan),
            PlanKind::SeqScan(scan) => self.seq_scan(scan.rti, &scan.filter),
            PlanKind::Join(join) => self.join(join, top_filters),
            PlanKind::Hash(hash) => self.scan_or_join(&hash.input, None),
            PlanKind::Materialize(material) => self.scan_or_join(&material.input, None),
            // A merge join's sorted input: the order does not change the rows.
            PlanKind::Sort(sort) => self.scan_or_join(&sort.input, None),
            PlanKind::ForeignModify(_)
            | PlanKind::Result(_)
            | PlanKind::Limit(_)
            | PlanKind::Aggregate(_)
            | PlanKind::Append(_)
            | PlanKind::MergeAppend(_)
            | PlanKind::SubqueryScan(_)
            | PlanKind::ValuesScan(_)
            | PlanKind::ModifyTable(_)
            | PlanKind::LockRows(_)
            | PlanKind::Unique(_)
            | PlanKind::WindowAgg(_) => Err(HostSqlError::Unsupported(format!(
                "{} inside the join tree",
                node_name(&node.kind)
            ))),
        }
    }

    fn join<'p>(
        &self,
        join: &'p JoinNode,
        top_filters: Option<&mut Vec<&'p Expr>>,
    ) -> Result<String> {
        let keyword = match join.join_type {
            JoinType::Inner => "JOIN",
            JoinType::Left => "LEFT JOIN",
            JoinType::Right => "RIGHT JOIN",
            JoinType::Full => "FULL JOIN",
            JoinType::Semi | JoinType::Anti | JoinType::RightAnti | JoinType::RightSemi => {
                return Err(HostSqlError::Unsupported(format!(
                    "{:?} joins",
                    join.join_type
                )))
            }
        };
        if !join.filter.is_empty() {
            match top_filters {
                Some(filters) => filters.extend(join.filter.iter().map(|q| &**q)),
                None => {
                    return Err(HostSqlError::Unsupported(
                        "a join filter below the top of the join tree".into(),
                    ))
                }
            }
        }
        let clauses: Vec<&Expr> = match &join.method {
            JoinMethod::NestLoop { params } => {
                if !params.is_empty() {
                    return Err(HostSqlError::Unsupported("nested-loop parameters".into()));
                }
                Vec::new()
            }
            JoinMethod::Hash { hash_clauses } => hash_clauses.iter().collect(),
            JoinMethod::Merge { merge_clauses } => merge_clauses.iter().collect(),
        };
        let outer = self.scan_or_join(&join.outer, None)?;
        let inner = self.scan_or_join(&join.inner, None)?;
        let cond = self
            .conjunction(
                clauses
                    .into_iter()
                    .chain(join.join_filter.iter().map(|q| &**q)),
            )?
            .unwrap_or_else(|| "true".to_owned());
        Ok(format!("({outer} {keyword} {inner} ON {cond})"))
    }

    fn relation_of(&self, rti: RelIndex) -> Result<&'a fdw_catalog::objects::Relation> {
        let rte = rti
            .0
            .checked_sub(1)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| self.plan.rtable.get(i))
            .ok_or_else(|| HostSqlError::Unknown(format!("range-table entry {}", rti.0)))?;
        let RteKind::Relation { relid, .. } = &rte.kind else {
            return Err(HostSqlError::Unknown(format!(
                "range-table entry {} is not a relation",
                rti.0
            )));
        };
        self.catalog
            .relation(*relid)
            .ok_or_else(|| HostSqlError::Unknown(format!("relation {relid}")))
    }

    fn type_name(&self, type_oid: Oid, typmod: fdw_core::TypMod) -> Result<String> {
        let mut out = String::new();
        self.dialect
            .type_name(self.catalog, type_oid, typmod, &mut out)?;
        Ok(out)
    }

    fn foreign_scan(&self, scan: &ForeignScan) -> Result<String> {
        let (ForeignScanKind::Base, Some(rti)) = (scan.kind, scan.scan_relid) else {
            return Err(HostSqlError::Unsupported(
                "join and upper foreign scans".into(),
            ));
        };
        if !scan.remote.params.is_empty() {
            return Err(HostSqlError::Unsupported(
                "parameterised remote queries".into(),
            ));
        }
        let relation = self.relation_of(rti)?;
        let alias = self.ident(&refname(rti));
        let mut defs = Vec::new();
        for attnum in &scan.remote.retrieved_attrs {
            match attnum.0 {
                -1 => defs.push("ctid tid".to_owned()),
                n if n > 0 => {
                    let column = relation
                        .columns
                        .iter()
                        .find(|c| c.attnum == n && !c.dropped)
                        .ok_or_else(|| {
                            HostSqlError::Unknown(format!("column {n} of {}", relation.name))
                        })?;
                    let mut def = format!(
                        "{} {}",
                        self.ident(&column.name),
                        self.type_name(column.type_oid, column.typmod)?
                    );
                    if !column.collation.is_invalid()
                        && column.collation != self.catalog.type_collation(column.type_oid)
                    {
                        def.push_str(" COLLATE ");
                        def.push_str(&self.collation_name(column.collation)?);
                    }
                    defs.push(def);
                }
                other => {
                    return Err(HostSqlError::Unsupported(format!(
                        "system column {other} in a remote query"
                    )))
                }
            }
        }
        if defs.is_empty() {
            defs.push(format!("{NO_COLUMN} text"));
        }
        let mut list = Vec::new();
        for column in relation.columns.iter().filter(|c| !c.dropped) {
            let name = self.ident(&column.name);
            if scan
                .remote
                .retrieved_attrs
                .contains(&AttrNumber(column.attnum))
            {
                list.push(format!("{alias}.{name} AS {name}"));
            } else {
                list.push(format!(
                    "NULL::{} AS {name}",
                    self.type_name(column.type_oid, column.typmod)?
                ));
            }
        }
        if scan.remote.retrieved_attrs.contains(&AttrNumber(-1)) {
            list.push(format!("{alias}.ctid AS ctid"));
        }
        if list.is_empty() {
            // A table without columns: the derived table needs none either.
            list.push(String::new());
        }
        let params = self
            .conninfo
            .conninfo(scan.server)
            .ok_or(HostSqlError::NoConnInfo(scan.server))?;
        let mut sql = format!(
            "(SELECT {} FROM dblink({}, {}) AS {alias}({})",
            list.join(", "),
            sql_literal(&conninfo_string(&params)?),
            sql_literal(&scan.remote.sql),
            defs.join(", ")
        );
        if let Some(cond) = self.conjunction(scan.remote.local_quals.iter().map(|q| &**q))? {
            sql.push_str(" WHERE ");
            sql.push_str(&cond);
        }
        let _ = write!(sql, ") AS {alias}");
        Ok(sql)
    }

    fn seq_scan(&self, rti: RelIndex, filter: &[Expr]) -> Result<String> {
        let relation = self.relation_of(rti)?;
        let schema = self
            .catalog
            .namespace_name(relation.schema)
            .ok_or_else(|| HostSqlError::Unknown(format!("namespace {}", relation.schema)))?;
        let alias = self.ident(&refname(rti));
        let mut sql = format!(
            "(SELECT * FROM ONLY {}.{} AS {alias}",
            self.ident(schema),
            self.ident(&relation.name)
        );
        if let Some(cond) = self.conjunction(filter)? {
            sql.push_str(" WHERE ");
            sql.push_str(&cond);
        }
        let _ = write!(sql, ") AS {alias}");
        Ok(sql)
    }

    /// For a `Result` with no input (a query proven empty): every relation
    /// of the `FROM` list as an empty derived table with its columns, so
    /// that the select list still resolves; the `WHERE` keeps the one-time
    /// filter that makes the result empty.
    fn empty_relations(&self) -> Result<Option<String>> {
        let mut items = Vec::new();
        for (index, rte) in (1u32..).zip(&self.plan.rtable) {
            if !rte.in_from_cl || !matches!(rte.kind, RteKind::Relation { .. }) {
                continue;
            }
            let rti = RelIndex(index);
            let relation = self.relation_of(rti)?;
            let mut list = Vec::new();
            for column in relation.columns.iter().filter(|c| !c.dropped) {
                list.push(format!(
                    "NULL::{} AS {}",
                    self.type_name(column.type_oid, column.typmod)?,
                    self.ident(&column.name)
                ));
            }
            items.push(format!(
                "(SELECT {} WHERE false) AS {}",
                list.join(", "),
                self.ident(&refname(rti))
            ));
        }
        Ok((!items.is_empty()).then(|| items.join(" CROSS JOIN ")))
    }
}

/// The host name of range-table entry `rti`.
fn refname(rti: RelIndex) -> String {
    format!("r{}", rti.0)
}

fn check_no_init_plans(node: &PlanNode) -> Result<()> {
    if node.init_plans.is_empty() {
        Ok(())
    } else {
        Err(HostSqlError::Unsupported("init-plans".into()))
    }
}

fn node_name(kind: &PlanKind) -> &'static str {
    match kind {
        PlanKind::ForeignScan(_) => "Foreign Scan",
        PlanKind::ForeignModify(_) => "Foreign Modify",
        PlanKind::Result(_) => "Result",
        PlanKind::Join(_) => "Join",
        PlanKind::Hash(_) => "Hash",
        PlanKind::Sort(_) => "Sort",
        PlanKind::Limit(_) => "Limit",
        PlanKind::Aggregate(_) => "Aggregate",
        PlanKind::Append(_) => "Append",
        PlanKind::MergeAppend(_) => "Merge Append",
        PlanKind::SubqueryScan(_) => "Subquery Scan",
        PlanKind::SeqScan(_) => "Seq Scan",
        PlanKind::ValuesScan(_) => "Values Scan",
        PlanKind::ModifyTable(_) => "ModifyTable",
        PlanKind::LockRows(_) => "LockRows",
        PlanKind::Unique(_) => "Unique",
        PlanKind::Materialize(_) => "Materialize",
        PlanKind::WindowAgg(_) => "WindowAgg",
    }
}

/// `E'...'`: readable whatever `standard_conforming_strings` is.
fn sql_literal(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 3);
    out.push_str("E'");
    for ch in value.chars() {
        match ch {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            other => out.push(other),
        }
    }
    out.push('\'');
    out
}

/// A libpq `keyword='value'` string of `params` plus the remote session
/// options (see the module docs).
///
/// # Errors
///
/// [`HostSqlError::Unsupported`] when `params` sets `options` itself or a
/// keyword that is not a plain word.
pub fn conninfo_string(params: &[(String, String)]) -> Result<String> {
    let mut out = String::new();
    for (key, value) in params {
        if key.eq_ignore_ascii_case("options") {
            return Err(HostSqlError::Unsupported(
                "a server or user mapping setting libpq options".into(),
            ));
        }
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(HostSqlError::Unsupported(format!(
                "connection keyword {key:?}"
            )));
        }
        let _ = write!(out, "{key}={} ", conninfo_value(value));
    }
    out.push_str("options=");
    out.push_str(&conninfo_value(REMOTE_SESSION_OPTIONS));
    Ok(out)
}

/// A conninfo value in single quotes with `\` and `'` escaped.
fn conninfo_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for ch in value.chars() {
        if ch == '\'' || ch == '\\' {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conninfo_values_are_quoted_and_options_added() {
        let params = vec![
            ("host".to_owned(), "/tmp/a b".to_owned()),
            ("password".to_owned(), r"it's\x".to_owned()),
        ];
        let text = conninfo_string(&params).unwrap_or_default();
        assert!(text.starts_with(r"host='/tmp/a b' password='it\'s\\x' options='-c search_path"));
        let refused = conninfo_string(&[("options".to_owned(), "-c x=1".to_owned())]);
        assert!(matches!(refused, Err(HostSqlError::Unsupported(_))));
    }

    #[test]
    fn literals_escape_quotes_and_backslashes() {
        assert_eq!(sql_literal(r"a'b\c"), r"E'a''b\\c'");
    }
}
