//! The `SELECT` statement of a base-relation scan (`deparseSelectStmtForRel`
//! for a base rel, spec §2.6, §2.9, §2.11–§2.14).

use std::borrow::Cow;
use std::sync::Arc;

use fdw_catalog::Catalog;
use fdw_core::expr::pull_var_refs;
use fdw_core::query::LockStrength;
use fdw_core::{AttrNumber, Expr, Oid, RelIndex, RemoteQuery};

use crate::context::{DeparseCtx, ParamSink, ScanRel};
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::expr::{append_order_by_suffix, deparse, deparse_column_ref};
use crate::writer::append_relation;

/// The attributes of a foreign table a scan must fetch (`attrs_used`):
/// user columns by attnum, [`AttrNumber::WHOLE_ROW`] for "all columns" and
/// [`AttrNumber::CTID`]. Other system columns may be present; they are
/// never fetched (their values are not the remote ones).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct AttrsUsed {
    /// Attributes `SMALL_BASE..SMALL_BASE + 64` (every system column and
    /// the first user ones), one bit each: a scan's few columns are kept
    /// and found without allocating or searching, where a `BTreeSet`
    /// allocated a node per scan and walked it per insertion and look-up.
    small: u64,
    /// The others, ascending, without duplicates.
    large: Vec<AttrNumber>,
}

/// The attribute number of bit 0 of [`AttrsUsed::small`] (below the
/// lowest system column, -7).
const SMALL_BASE: i32 = -8;

impl AttrsUsed {
    /// No attributes: the scan prints `SELECT NULL`.
    pub fn new() -> AttrsUsed {
        AttrsUsed::default()
    }

    /// The whole row: every live column.
    pub fn whole_row() -> AttrsUsed {
        AttrsUsed::from_attnums([AttrNumber::WHOLE_ROW])
    }

    /// The given attributes.
    pub fn from_attnums(attnums: impl IntoIterator<Item = AttrNumber>) -> AttrsUsed {
        let mut attrs = AttrsUsed::new();
        for attnum in attnums {
            attrs.insert(attnum);
        }
        attrs
    }

    /// The bit of `attnum` in [`AttrsUsed::small`], if it has one.
    fn small_bit(attnum: AttrNumber) -> Option<u64> {
        let at = u32::try_from(i32::from(attnum.0) - SMALL_BASE).ok()?;
        1u64.checked_shl(at)
    }

    /// Adds one attribute.
    pub fn insert(&mut self, attnum: AttrNumber) {
        match Self::small_bit(attnum) {
            Some(bit) => self.small |= bit,
            None => {
                if let Err(at) = self.large.binary_search(&attnum) {
                    self.large.insert(at, attnum);
                }
            }
        }
    }

    /// True when `attnum` is needed.
    pub fn contains(&self, attnum: AttrNumber) -> bool {
        match Self::small_bit(attnum) {
            Some(bit) => self.small & bit != 0,
            None => self.large.binary_search(&attnum).is_ok(),
        }
    }

    /// How many attributes are needed.
    fn len(&self) -> usize {
        self.small.count_ones() as usize + self.large.len()
    }

    /// Adds the attributes of relation `rtindex` that `exprs` reference at
    /// query level 0 (`pull_varattnos`).
    ///
    /// # Errors
    ///
    /// [`Error::TooDeep`] for an expression past the recursion limit.
    pub fn add_vars_of<'e>(
        &mut self,
        rtindex: RelIndex,
        exprs: impl IntoIterator<Item = &'e Expr>,
    ) -> Result<()> {
        for (varno, attnum) in pull_var_refs(exprs)? {
            if varno == rtindex {
                self.insert(attnum);
            }
        }
        Ok(())
    }
}

/// Whether a scan's parameters are numbered and collected, or printed as
/// placeholders because the statement is only explained remotely.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParamMode {
    /// `$1::integer`, with the nodes collected in [`RemoteQuery::params`].
    Collect,
    /// `((SELECT null::integer)::integer)` (remote cost estimates).
    Placeholders,
}

/// One `ORDER BY` key of a scan (a pathkey with its chosen member).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SortKey {
    /// The expression sorted on; it must be shippable.
    pub expr: Expr,
    /// The ordering operator (`<` for ascending, `>` for descending, or a
    /// `USING` operator).
    pub sortop: Oid,
    /// `NULLS FIRST`.
    pub nulls_first: bool,
}

/// `LIMIT` / `OFFSET` of a scan; the planner has coerced both to `bigint`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct LimitClause {
    /// `LIMIT` count; `None` for none.
    pub count: Option<Expr>,
    /// `OFFSET`; `None` for none.
    pub offset: Option<Expr>,
}

/// What a base-relation scan sends: one foreign table, the attributes to
/// fetch, the conditions already classified (see
/// [`classify_conditions`](crate::classify_conditions)), and optionally the
/// ordering, limit and row locking pushed with it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseRelScan {
    /// Range-table index of the foreign table (`varno` of its Vars).
    pub rtindex: RelIndex,
    /// The foreign table's local oid.
    pub table: Oid,
    /// Attributes the plan above needs; the attributes used by
    /// `local_conds` are added to these.
    pub attrs_used: AttrsUsed,
    /// Conditions printed in `WHERE`, in this order. Shared trees (as in
    /// [`RemoteQuery::remote_quals`], where they end up): a planner passes
    /// its placed conditions without copying them.
    pub remote_conds: Vec<Arc<Expr>>,
    /// Conditions applied locally to the fetched rows (shared, as
    /// [`BaseRelScan::remote_conds`]).
    pub local_conds: Vec<Arc<Expr>>,
    /// `ORDER BY` keys (empty for none).
    pub order_by: Vec<SortKey>,
    /// `LIMIT` / `OFFSET`.
    pub limit: Option<LimitClause>,
    /// Row locking: `FOR SHARE` for the key-share and share strengths,
    /// `FOR UPDATE` for the others (NOWAIT / SKIP LOCKED are not sent).
    pub locking: Option<LockStrength>,
    /// Whether parameters are collected or printed as placeholders.
    pub params: ParamMode,
}

impl BaseRelScan {
    /// A scan of `table` at `rtindex` fetching `attrs_used`, with no
    /// conditions, ordering, limit or locking, collecting parameters.
    pub fn new(rtindex: RelIndex, table: Oid, attrs_used: AttrsUsed) -> BaseRelScan {
        BaseRelScan {
            rtindex,
            table,
            attrs_used,
            remote_conds: Vec::new(),
            local_conds: Vec::new(),
            order_by: Vec::new(),
            limit: None,
            locking: None,
            params: ParamMode::Collect,
        }
    }
}

/// The remote `SELECT` of a base-relation scan (spec §2.6):
/// `SELECT <columns> FROM <relation>[ WHERE (<c1>) AND (<c2>)][ ORDER BY
/// ...][ LIMIT ..][ OFFSET ..][ FOR UPDATE|SHARE]`.
///
/// Columns are fetched in attnum order (dropped ones skipped, all of them
/// for a whole-row need, `ctid` last, `NULL` when none); `retrieved_attrs`
/// lists them. Conditions are printed in the order given, each wrapped in
/// parentheses. The conditions and constants are printed as they are: the
/// caller formats constants under the remote session's settings (spec §2.1).
///
/// # Errors
///
/// [`Error::Catalog`] when `scan.table` is not a foreign table; any error of
/// [`deparse_expr`](crate::deparse_expr) for the conditions and keys.
///
/// # Example
///
/// ```
/// use fdw_catalog::Catalog;
/// use fdw_core::{AttrNumber, RelIndex};
/// use fdw_deparse::{deparse_select_for_base_rel, AttrsUsed, BaseRelScan, PostgresDialect};
///
/// let mut catalog = Catalog::new(15)?;
/// fdw_catalog::ddl::load(&mut catalog, "
///     CREATE EXTENSION postgres_fdw;
///     CREATE SERVER loopback FOREIGN DATA WRAPPER postgres_fdw;
///     CREATE FOREIGN TABLE ft3 (c1 int, c2 int, c3 text) SERVER loopback
///         OPTIONS (schema_name 'S 1', table_name 'T 3');")?;
/// let table = catalog.resolve_relation(None, "ft3")?.oid;
/// let attrs = AttrsUsed::from_attnums([AttrNumber(3), AttrNumber(1)]);
/// let scan = BaseRelScan::new(RelIndex(1), table, attrs);
/// let query = deparse_select_for_base_rel(&catalog, &PostgresDialect::new(15)?, &scan)?;
/// assert_eq!(query.sql, r#"SELECT c1, c3 FROM "S 1"."T 3""#);
/// assert_eq!(query.retrieved_attrs, [AttrNumber(1), AttrNumber(3)]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn deparse_select_for_base_rel(
    catalog: &Catalog,
    dialect: &dyn Dialect,
    scan: &BaseRelScan,
) -> Result<RemoteQuery> {
    let (sql, params, retrieved_attrs) = deparse_base_rel_statement(catalog, dialect, scan)?;
    Ok(RemoteQuery {
        sql,
        params,
        retrieved_attrs,
        remote_quals: scan.remote_conds.clone(),
        local_quals: scan.local_conds.clone(),
    })
}

/// [`deparse_select_for_base_rel`] for a scan the caller no longer needs:
/// its conditions move into the [`RemoteQuery`] instead of being copied.
///
/// # Errors
///
/// As [`deparse_select_for_base_rel`].
pub fn deparse_select_for_base_rel_into(
    catalog: &Catalog,
    dialect: &dyn Dialect,
    scan: BaseRelScan,
) -> Result<RemoteQuery> {
    let (sql, params, retrieved_attrs) = deparse_base_rel_statement(catalog, dialect, &scan)?;
    Ok(RemoteQuery {
        sql,
        params,
        retrieved_attrs,
        remote_quals: scan.remote_conds,
        local_quals: scan.local_conds,
    })
}

/// The statement of [`deparse_select_for_base_rel`], its parameters and the
/// attnums it fetches.
fn deparse_base_rel_statement(
    catalog: &Catalog,
    dialect: &dyn Dialect,
    scan: &BaseRelScan,
) -> Result<(String, Vec<Expr>, Vec<AttrNumber>)> {
    let scan_rel = ScanRel::base(scan.rtindex, scan.table);
    let mut params = match scan.params {
        ParamMode::Collect => ParamSink::Collect(Vec::new()),
        ParamMode::Placeholders => ParamSink::Placeholders,
    };
    // The local conditions' columns are fetched too; without any, the
    // caller's set is used as it is.
    let attrs = if scan.local_conds.is_empty() {
        Cow::Borrowed(&scan.attrs_used)
    } else {
        let mut attrs = scan.attrs_used.clone();
        attrs.add_vars_of(scan.rtindex, scan.local_conds.iter().map(|cond| &**cond))?;
        Cow::Owned(attrs)
    };

    let mut ctx = DeparseCtx::new(dialect, catalog, &scan_rel, &mut params);
    ctx.buf.push_str("SELECT ");
    let retrieved_attrs = append_target_list(&mut ctx, scan.rtindex, scan.table, &attrs, false)?;
    ctx.buf.push_str(" FROM ");
    append_relation(catalog, dialect, scan.table, &mut ctx.buf)?;
    append_where_clause(&mut ctx, &scan.remote_conds)?;
    append_order_by_clause(&mut ctx, &scan.order_by)?;
    if let Some(limit) = &scan.limit {
        append_limit_clause(&mut ctx, limit)?;
    }
    if let Some(strength) = scan.locking {
        append_locking_clause(&mut ctx, strength);
    }
    let sql = ctx.buf;
    let params = match params {
        ParamSink::Collect(list) => list,
        ParamSink::Placeholders => Vec::new(),
    };
    Ok((sql, params, retrieved_attrs))
}

/// `deparseTargetList`: the needed live columns of `table` in attnum order
/// (all of them for a whole-row need), then `ctid`; `NULL` when none.
/// Returns the attnums printed.
pub(crate) fn append_target_list(
    ctx: &mut DeparseCtx<'_>,
    rtindex: RelIndex,
    table: Oid,
    attrs: &AttrsUsed,
    qualify: bool,
) -> Result<Vec<AttrNumber>> {
    let relation = ctx.catalog.relation(table).ok_or(Error::UnknownObject {
        kind: "relation",
        oid: table,
    })?;
    // The column names below are read from it: no second look-up.
    ctx.last_relation = Some(relation);
    let whole_row = attrs.contains(AttrNumber::WHOLE_ROW);
    let foreign = relation.foreign.is_some();
    let wanted = relation
        .columns
        .iter()
        .filter(|c| !c.dropped)
        .filter(|c| whole_row || attrs.contains(AttrNumber(c.attnum)));
    let mut retrieved = Vec::with_capacity(if whole_row {
        relation.columns.len() + 1
    } else {
        attrs.len()
    });
    for column in wanted {
        let attnum = AttrNumber(column.attnum);
        if !retrieved.is_empty() {
            ctx.buf.push_str(", ");
        }
        if attnum.0 > 0 && foreign {
            // `deparse_column_ref`'s user-column case with the column at
            // hand: its remote name without searching for it by attnum.
            if qualify {
                ctx.rel_qualifier(rtindex);
            }
            ctx.ident(column.options.get("column_name").unwrap_or(&column.name));
        } else {
            deparse_column_ref(ctx, rtindex, table, attnum, qualify)?;
        }
        retrieved.push(attnum);
    }
    if attrs.contains(AttrNumber::CTID) {
        if !retrieved.is_empty() {
            ctx.buf.push_str(", ");
        }
        if qualify {
            ctx.rel_qualifier(rtindex);
        }
        ctx.buf.push_str("ctid");
        retrieved.push(AttrNumber::CTID);
    }
    if retrieved.is_empty() {
        ctx.buf.push_str("NULL");
    }
    Ok(retrieved)
}

/// `appendConditions`: each condition in parentheses, joined by ` AND `.
pub(crate) fn append_conditions(ctx: &mut DeparseCtx<'_>, conds: &[Arc<Expr>]) -> Result<()> {
    for (i, cond) in conds.iter().enumerate() {
        if i > 0 {
            ctx.buf.push_str(" AND ");
        }
        ctx.buf.push('(');
        deparse(ctx, cond)?;
        ctx.buf.push(')');
    }
    Ok(())
}

/// ` WHERE <conditions>`, nothing when there are none.
pub(crate) fn append_where_clause(ctx: &mut DeparseCtx<'_>, conds: &[Arc<Expr>]) -> Result<()> {
    if conds.is_empty() {
        return Ok(());
    }
    ctx.buf.push_str(" WHERE ");
    append_conditions(ctx, conds)
}

/// `appendOrderByClause`: ` ORDER BY k1 ASC NULLS LAST, ...`; keys are
/// never positional.
pub(crate) fn append_order_by_clause(ctx: &mut DeparseCtx<'_>, keys: &[SortKey]) -> Result<()> {
    for (i, key) in keys.iter().enumerate() {
        ctx.buf.push_str(if i == 0 { " ORDER BY " } else { ", " });
        deparse(ctx, &key.expr)?;
        append_order_by_suffix(ctx, key.sortop, key.expr.type_oid(), key.nulls_first)?;
    }
    Ok(())
}

/// `appendLimitClause`: ` LIMIT <count>` and ` OFFSET <offset>`, each when given.
pub(crate) fn append_limit_clause(ctx: &mut DeparseCtx<'_>, limit: &LimitClause) -> Result<()> {
    if let Some(count) = &limit.count {
        ctx.buf.push_str(" LIMIT ");
        deparse(ctx, count)?;
    }
    if let Some(offset) = &limit.offset {
        ctx.buf.push_str(" OFFSET ");
        deparse(ctx, offset)?;
    }
    Ok(())
}

/// `deparseLockingClause` for a base relation: key share and share lock
/// as ` FOR SHARE`, the update strengths as ` FOR UPDATE`.
fn append_locking_clause(ctx: &mut DeparseCtx<'_>, strength: LockStrength) {
    ctx.buf.push_str(match strength {
        LockStrength::KeyShare | LockStrength::Share => " FOR SHARE",
        LockStrength::NoKeyUpdate | LockStrength::Update => " FOR UPDATE",
    });
}
