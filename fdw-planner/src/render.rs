//! The text of `EXPLAIN (VERBOSE, COSTS OFF)` for a planned query, and the
//! per-scan facts `fdw explain --format json` reports.

use std::borrow::Borrow;
use std::fmt::Write as _;

use fdw_catalog::Catalog;
use fdw_core::plan::{AggStrategy, JoinMethod, PlanKind, PlanNode, SortDirection};
use fdw_core::query::{JoinType, RteKind};
use fdw_core::{Expr, Oid, RelIndex};
use fdw_deparse::Dialect;

use crate::error::Result;
use crate::explain::ruleutils::SharedNames;
use crate::explain::{ExplainExprOptions, RangeNames};
use crate::plan_query::PlannedQuery;

/// What to print besides the plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExplainOptions {
    /// Print, under each `Filter:` of a foreign scan, why each of its
    /// conditions was not sent.
    pub why: bool,
    /// Print `(cost=S..T rows=R width=W)` on the nodes that carry an
    /// estimate, as `EXPLAIN (COSTS ON)` does.
    pub costs: bool,
}

/// One foreign scan as `fdw explain --format json` reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignNodeReport {
    /// The node name (`Foreign Scan`).
    pub node: String,
    /// `schema.table alias` as EXPLAIN prints it after `on`.
    pub relation: String,
    /// The `Relations:` line of a join or upper scan; `None` for a base scan.
    pub relations: Option<String>,
    /// The remote SQL.
    pub remote_sql: String,
    /// The `Filter:` text, `None` without local conditions.
    pub local_filter: Option<String>,
    /// Each local condition with the reason it stays local.
    pub not_pushed: Vec<(String, String)>,
    /// The node's estimate, when the cost model produced one.
    pub cost: Option<fdw_core::plan::Cost>,
}

/// An explained plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Explained {
    /// The plan text, one line per node or detail, each ending in `\n`.
    pub text: String,
    /// The foreign scans in the order EXPLAIN prints them.
    pub foreign_nodes: Vec<ForeignNodeReport>,
}

/// Renders `planned` as `EXPLAIN (VERBOSE, COSTS OFF)` prints it, the
/// expressions through [`crate::explain`]'s ruleutils printer.
///
/// # Errors
///
/// [`crate::Error::Explain`] when an expression cannot be printed.
pub fn explain(
    catalog: &Catalog,
    dialect: &dyn Dialect,
    planned: &PlannedQuery,
    options: ExplainOptions,
) -> Result<Explained> {
    let mut printer = Printer {
        catalog,
        dialect,
        planned,
        options,
        text: String::with_capacity(1024),
        foreign_nodes: Vec::new(),
        names: RangeNames::from_rtable(&planned.plan.rtable),
        shared: SharedNames::new(catalog).map_err(crate::Error::from)?,
        tlist_options: ExplainExprOptions {
            qualify_columns: planned.plan.rtable.len() > 1,
            show_implicit: false,
        },
        qual_options: ExplainExprOptions {
            qualify_columns: true,
            show_implicit: false,
        },
    };
    printer.node(&planned.plan.root, 0)?;
    Ok(Explained {
        text: printer.text,
        foreign_nodes: printer.foreign_nodes,
    })
}

struct Printer<'a> {
    catalog: &'a Catalog,
    dialect: &'a dyn Dialect,
    planned: &'a PlannedQuery,
    options: ExplainOptions,
    text: String,
    foreign_nodes: Vec<ForeignNodeReport>,
    names: RangeNames<'a>,
    /// The search path, parsed once for every expression printed.
    shared: SharedNames,
    tlist_options: ExplainExprOptions,
    qual_options: ExplainExprOptions,
}

impl Printer<'_> {
    fn node(&mut self, node: &PlanNode, depth: usize) -> Result<()> {
        // The node's line starts with `->  ` below the root; its details
        // are indented two columns past where its name starts.
        let detail_indent = if depth == 0 {
            2
        } else {
            let arrow_indent = 6 * (depth - 1) + 2;
            push_spaces(&mut self.text, arrow_indent);
            self.text.push_str("->  ");
            arrow_indent + 6
        };
        // A foreign scan's relation is named once, for its line and for
        // its report.
        let scan_relation = match &node.kind {
            PlanKind::ForeignScan(scan) => scan.scan_relid.map(|rti| self.relation_name(rti)),
            _ => None,
        };
        self.write_node_name(node, scan_relation.as_deref());
        match node.cost {
            Some(cost) if self.options.costs => {
                let _ = writeln!(
                    self.text,
                    "  (cost={:.2}..{:.2} rows={:.0} width={})",
                    cost.startup, cost.total, cost.rows, cost.width
                );
            }
            _ => self.text.push('\n'),
        }
        if !node.output.is_empty() {
            // References to an input's computed column print in
            // parentheses (see ruleutils' Printer::scope).
            self.detail_key(detail_indent, "Output");
            self.shared.deparse_tlist_into(
                self.catalog,
                &self.names,
                &node.output,
                &self.tlist_options,
                Some(node),
                &mut self.text,
            )?;
            self.text.push('\n');
        }
        match &node.kind {
            PlanKind::ForeignScan(scan) => {
                let filter = self.qual(&scan.remote.local_quals, node)?;
                if let Some(filter) = &filter {
                    self.detail(detail_indent, "Filter", filter);
                }
                let mut reasons = Vec::new();
                if let Some(rti) = scan.scan_relid {
                    if let Some((_, list)) = self.planned.not_pushed.iter().find(|(r, _)| *r == rti)
                    {
                        for item in list {
                            reasons.push((self.expr(&item.clause)?, item.reason.to_string()));
                        }
                    }
                }
                if self.options.why {
                    for (clause, reason) in &reasons {
                        push_spaces(&mut self.text, detail_indent);
                        let _ = writeln!(self.text, "  Not pushed: {clause}: {reason}");
                    }
                }
                self.detail(detail_indent, "Remote SQL", &scan.remote.sql);
                self.foreign_nodes.push(ForeignNodeReport {
                    node: "Foreign Scan".to_owned(),
                    relation: scan_relation.unwrap_or_default(),
                    relations: None,
                    remote_sql: scan.remote.sql.clone(),
                    local_filter: filter,
                    not_pushed: reasons,
                    cost: node.cost,
                });
            }
            PlanKind::SeqScan(scan) => {
                self.detail_qual(detail_indent, "Filter", &scan.filter, node)?;
            }
            PlanKind::Join(join) => {
                if join.inner_unique {
                    self.detail(detail_indent, "Inner Unique", "true");
                }
                match &join.method {
                    JoinMethod::Hash { hash_clauses } => {
                        self.detail_qual(detail_indent, "Hash Cond", hash_clauses, node)?;
                    }
                    JoinMethod::Merge { merge_clauses } => {
                        self.detail_qual(detail_indent, "Merge Cond", merge_clauses, node)?;
                    }
                    JoinMethod::NestLoop { .. } => {}
                }
                self.detail_qual(detail_indent, "Join Filter", &join.join_filter, node)?;
                self.detail_qual(detail_indent, "Filter", &join.filter, node)?;
            }
            PlanKind::Result(result) => {
                self.detail_qual(
                    detail_indent,
                    "One-Time Filter",
                    &result.one_time_filter,
                    node,
                )?;
                self.detail_qual(detail_indent, "Filter", &result.filter, node)?;
            }
            PlanKind::Aggregate(agg) => {
                if !agg.group_keys.is_empty() {
                    // show_agg_keys prints the input's target entries in
                    // the input's own context.
                    let keys = self.keys(&agg.group_keys, &agg.input)?;
                    self.detail(detail_indent, "Group Key", &keys);
                }
                self.detail_qual(detail_indent, "Filter", &agg.filter, node)?;
                // show_hashagg_info: with costs, a hash aggregation
                // expected to spill tells its planned partitions.
                if self.options.costs && agg.planned_partitions > 0 {
                    self.detail(
                        detail_indent,
                        "Planned Partitions",
                        &agg.planned_partitions.to_string(),
                    );
                }
            }
            PlanKind::Sort(sort) => {
                let mut keys = Vec::with_capacity(sort.keys.len());
                for key in &sort.keys {
                    // show_sort_group_keys prints the Sort's own target
                    // entry: a reference to its input's column.
                    let mut text = self.key(&key.expr, node)?;
                    // show_sortorder_options: COLLATE when the sort's
                    // collation is not the type's default one.
                    if key.collation != Oid::INVALID
                        && key.collation != self.catalog.type_collation(key.expr.type_oid())
                    {
                        let name = self
                            .shared
                            .collation_name(self.catalog, key.collation)
                            .map_err(crate::Error::from)?;
                        let _ = write!(text, " COLLATE {name}");
                    }
                    match key.direction {
                        SortDirection::Asc => {
                            if key.nulls_first {
                                text.push_str(" NULLS FIRST");
                            }
                        }
                        SortDirection::Desc => {
                            text.push_str(" DESC");
                            if !key.nulls_first {
                                text.push_str(" NULLS LAST");
                            }
                        }
                        SortDirection::Using => {
                            let op = self
                                .catalog
                                .operator_info(key.sortop)
                                .map(|op| op.name.clone())
                                .unwrap_or_default();
                            let _ = write!(text, " USING {op}");
                            if key.nulls_first {
                                text.push_str(" NULLS FIRST");
                            }
                        }
                    }
                    keys.push(text);
                }
                self.detail(detail_indent, "Sort Key", &keys.join(", "));
                // An Incremental Sort also lists its presorted keys, as
                // plain expressions (show_sort_group_keys).
                if sort.presorted_keys > 0 {
                    let mut presorted = Vec::with_capacity(sort.presorted_keys);
                    for key in sort.keys.iter().take(sort.presorted_keys) {
                        presorted.push(self.key(&key.expr, node)?);
                    }
                    self.detail(detail_indent, "Presorted Key", &presorted.join(", "));
                }
            }
            _ => {}
        }
        for child in node.children() {
            self.node(child, depth + 1)?;
        }
        Ok(())
    }

    /// Starts a detail line: `indent` spaces, then `key: `.
    fn detail_key(&mut self, indent: usize, key: &str) {
        push_spaces(&mut self.text, indent);
        self.text.push_str(key);
        self.text.push_str(": ");
    }

    /// One detail line, `key: value`.
    fn detail(&mut self, indent: usize, key: &str, value: &str) {
        self.detail_key(indent, key);
        self.text.push_str(value);
        self.text.push('\n');
    }

    /// The detail line of conditions `node` evaluates, none without them;
    /// printed straight into the text.
    fn detail_qual<Q: Borrow<Expr>>(
        &mut self,
        indent: usize,
        key: &str,
        exprs: &[Q],
        node: &PlanNode,
    ) -> Result<()> {
        if exprs.is_empty() {
            return Ok(());
        }
        self.detail_key(indent, key);
        self.shared.deparse_qual_into(
            self.catalog,
            &self.names,
            exprs,
            &self.qual_options,
            Some(node),
            &mut self.text,
        )?;
        self.text.push('\n');
        Ok(())
    }

    /// The node's name as its line starts: `Foreign Scan on <relation>`
    /// (`scan_relation`, named by the caller), `Hash Left Join`, ...
    fn write_node_name(&mut self, node: &PlanNode, scan_relation: Option<&str>) {
        let name = match &node.kind {
            PlanKind::ForeignScan(_) => {
                self.text.push_str("Foreign Scan");
                if let Some(relation) = scan_relation {
                    self.text.push_str(" on ");
                    self.text.push_str(relation);
                }
                return;
            }
            PlanKind::SeqScan(scan) => {
                let relation = self.relation_name(scan.rti);
                self.text.push_str("Seq Scan on ");
                self.text.push_str(&relation);
                return;
            }
            PlanKind::Join(join) => {
                let method = match join.method {
                    JoinMethod::NestLoop { .. } => "Nested Loop",
                    JoinMethod::Hash { .. } => "Hash Join",
                    JoinMethod::Merge { .. } => "Merge Join",
                };
                let kind = match join.join_type {
                    JoinType::Inner => "",
                    JoinType::Left => " Left Join",
                    JoinType::Full => " Full Join",
                    JoinType::Right => " Right Join",
                    JoinType::Semi => " Semi Join",
                    JoinType::Anti => " Anti Join",
                    JoinType::RightAnti => " Right Anti Join",
                    JoinType::RightSemi => " Right Semi Join",
                };
                // "Hash Join" and "Merge Join" drop their "Join" before
                // a join type ("Hash Left Join"); "Nested Loop" keeps it.
                match (&join.method, kind.is_empty()) {
                    (JoinMethod::NestLoop { .. }, _) | (_, true) => self.text.push_str(method),
                    (_, false) => self.text.push_str(method.trim_end_matches(" Join")),
                }
                self.text.push_str(kind);
                return;
            }
            PlanKind::Aggregate(agg) => match agg.strategy {
                AggStrategy::Plain => "Aggregate",
                AggStrategy::Sorted => "GroupAggregate",
                AggStrategy::Hashed => "HashAggregate",
                AggStrategy::Mixed => "MixedAggregate",
                AggStrategy::Group => "Group",
            },
            PlanKind::Sort(sort) if sort.presorted_keys > 0 => "Incremental Sort",
            PlanKind::Sort(_) => "Sort",
            PlanKind::Limit(_) => "Limit",
            PlanKind::Result(_) => "Result",
            PlanKind::Hash(_) => "Hash",
            PlanKind::Materialize(_) => "Materialize",
            PlanKind::Unique(_) => "Unique",
            PlanKind::LockRows(_) => "LockRows",
            PlanKind::Append(_) => "Append",
            PlanKind::MergeAppend(_) => "Merge Append",
            PlanKind::SubqueryScan(_) => "Subquery Scan",
            PlanKind::ValuesScan(_) => "Values Scan",
            PlanKind::WindowAgg(_) => "WindowAgg",
            PlanKind::ForeignModify(_) | PlanKind::ModifyTable(_) => "Modify",
        };
        self.text.push_str(name);
    }

    /// `schema.relation alias` (the alias only when it differs from the
    /// relation's name), as `ExplainTargetRel` prints it.
    fn relation_name(&self, rti: RelIndex) -> String {
        let Some(rte) = self
            .planned
            .plan
            .rtable
            .get((rti.0 as usize).saturating_sub(1))
        else {
            return String::new();
        };
        let RteKind::Relation { relid, .. } = &rte.kind else {
            return rte.eref.aliasname.clone();
        };
        let Some(rel) = self.catalog.relation(*relid) else {
            return rte.eref.aliasname.clone();
        };
        let schema = self.catalog.namespace_name(rel.schema).unwrap_or_default();
        let mut out =
            String::with_capacity(schema.len() + rel.name.len() + rte.eref.aliasname.len() + 8);
        self.dialect.quote_ident(schema, &mut out);
        out.push('.');
        self.dialect.quote_ident(&rel.name, &mut out);
        if rte.eref.aliasname != rel.name {
            out.push(' ');
            self.dialect.quote_ident(&rte.eref.aliasname, &mut out);
        }
        out
    }

    /// A key list (`Group Key:`, `Sort Key:`): qualified under `VERBOSE`.
    fn keys(&self, exprs: &[Expr], input: &PlanNode) -> Result<String> {
        let mut out = String::new();
        self.shared.deparse_tlist_into(
            self.catalog,
            &self.names,
            exprs,
            &self.qual_options,
            Some(input),
            &mut out,
        )?;
        Ok(out)
    }

    /// One sort key of `node`, qualified under `VERBOSE`.
    fn key(&self, expr: &Expr, node: &PlanNode) -> Result<String> {
        let mut out = String::new();
        self.shared.deparse_tlist_into(
            self.catalog,
            &self.names,
            std::slice::from_ref(expr),
            &self.qual_options,
            Some(node),
            &mut out,
        )?;
        Ok(out)
    }

    /// Conditions `node` evaluates (owned trees, or a scan's shared ones).
    fn qual<Q: Borrow<Expr>>(&self, exprs: &[Q], node: &PlanNode) -> Result<Option<String>> {
        Ok(self.shared.deparse_qual(
            self.catalog,
            &self.names,
            exprs,
            &self.qual_options,
            Some(node),
        )?)
    }

    fn expr(&self, expr: &Expr) -> Result<String> {
        Ok(self
            .shared
            .deparse(self.catalog, &self.names, expr, &self.qual_options)?)
    }
}

/// Appends `count` spaces: the indentation of EXPLAIN's lines.
fn push_spaces(text: &mut String, count: usize) {
    text.extend(std::iter::repeat_n(' ', count));
}
