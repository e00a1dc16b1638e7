//! What a printer needs to know while it recurses: the remote dialect, the
//! catalog, the relations the statement scans and where parameters go.

use fdw_catalog::objects::Relation;
use fdw_catalog::Catalog;
use fdw_core::expr::DEFAULT_MAX_DEPTH;
use fdw_core::{Expr, Oid, RelIndex, TypMod};

use crate::dialect::Dialect;
use crate::error::{Error, Result};

/// Prefix of the alias of a base relation in a multi-relation statement (`r1`).
pub const REL_ALIAS_PREFIX: &str = "r";

/// The base relations a remote statement scans (postgres_fdw's
/// `scanrel->relids`), each with the foreign table it reads.
///
/// A `Var` of one of these relations at query level 0 prints as a column
/// reference; any other `Var` is a value from elsewhere and prints as a
/// parameter (spec §2.4, §2.7.3). Columns are qualified with `rN.` when
/// more than one relation is scanned.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ScanRel {
    relations: ScanRelations,
}

/// The relations of a [`ScanRel`]: a base scan's one is kept inline, as
/// each base scan makes its `ScanRel` twice (shippability and deparse) and
/// a list was an allocation each time.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum ScanRelations {
    /// Exactly one relation.
    One(ScanRelation),
    /// None or several, ascending by range-table index, without repeats.
    Many(Vec<ScanRelation>),
}

/// One base relation of a [`ScanRel`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ScanRelation {
    /// Range-table index (`varno`).
    pub rtindex: RelIndex,
    /// The foreign table's local oid.
    pub table: Oid,
}

impl ScanRel {
    /// A scan of one foreign table `table` at range-table index `rtindex`.
    pub fn base(rtindex: RelIndex, table: Oid) -> ScanRel {
        ScanRel {
            relations: ScanRelations::One(ScanRelation { rtindex, table }),
        }
    }

    /// A scan of several relations (a join), kept in ascending
    /// range-table order; a repeated index keeps its first table.
    pub fn of(relations: impl IntoIterator<Item = ScanRelation>) -> ScanRel {
        let mut relations: Vec<ScanRelation> = relations.into_iter().collect();
        relations.sort_by_key(|r| r.rtindex);
        relations.dedup_by_key(|r| r.rtindex);
        // One relation is always `One`, so that equal scans compare and
        // hash equal whichever constructor made them.
        let relations = match relations.as_slice() {
            [one] => ScanRelations::One(*one),
            _ => ScanRelations::Many(relations),
        };
        ScanRel { relations }
    }

    /// The relations, ascending by range-table index.
    pub fn relations(&self) -> &[ScanRelation] {
        match &self.relations {
            ScanRelations::One(one) => std::slice::from_ref(one),
            ScanRelations::Many(many) => many,
        }
    }

    /// True when `rtindex` is one of the scanned relations.
    pub fn contains(&self, rtindex: RelIndex) -> bool {
        self.table_of(rtindex).is_some()
    }

    /// The foreign table scanned at `rtindex`.
    pub fn table_of(&self, rtindex: RelIndex) -> Option<Oid> {
        match &self.relations {
            // Every column of a base scan's statement asks: no slice walk.
            ScanRelations::One(one) => (one.rtindex == rtindex).then_some(one.table),
            ScanRelations::Many(many) => {
                many.iter().find(|r| r.rtindex == rtindex).map(|r| r.table)
            }
        }
    }

    /// True when column references need an `rN.` qualifier
    /// (`bms_membership(relids) == BMS_MULTIPLE`).
    pub fn qualifies_columns(&self) -> bool {
        self.relations().len() > 1
    }
}

/// Where parameters (`Param`s and `Var`s of other relations) go while
/// printing (postgres_fdw's `params_list`, spec §2.7.3).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ParamSink {
    /// Number each distinct node by first appearance (`$1::integer`) and
    /// collect the nodes, whose values the executor sends.
    Collect(Vec<Expr>),
    /// Print typed placeholders (`((SELECT null::integer)::integer)`): the
    /// statement is only explained remotely for cost estimates.
    Placeholders,
}

/// The state threaded by `&mut` through every printer (`deparse_expr_cxt`).
pub(crate) struct DeparseCtx<'a> {
    pub(crate) dialect: &'a dyn Dialect,
    pub(crate) catalog: &'a Catalog,
    pub(crate) scan: &'a ScanRel,
    pub(crate) buf: String,
    pub(crate) params: &'a mut ParamSink,
    depth: usize,
    /// The relation whose column was named last: a statement names the
    /// columns of one or a few tables, and each name was a catalog search.
    pub(crate) last_relation: Option<&'a Relation>,
}

impl<'a> DeparseCtx<'a> {
    pub(crate) fn new(
        dialect: &'a dyn Dialect,
        catalog: &'a Catalog,
        scan: &'a ScanRel,
        params: &'a mut ParamSink,
    ) -> DeparseCtx<'a> {
        DeparseCtx {
            dialect,
            catalog,
            scan,
            // Room for a typical statement: growing from empty took half
            // a dozen reallocations per scan.
            buf: String::with_capacity(512),
            params,
            depth: 0,
            last_relation: None,
        }
    }

    /// Enters one level of recursion, failing past the depth limit.
    pub(crate) fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > DEFAULT_MAX_DEPTH {
            return Err(Error::TooDeep {
                limit: DEFAULT_MAX_DEPTH,
            });
        }
        Ok(())
    }

    /// Leaves one level of recursion.
    pub(crate) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Appends an identifier through the dialect.
    pub(crate) fn ident(&mut self, ident: &str) {
        self.dialect.quote_ident(ident, &mut self.buf);
    }

    /// Appends a type name through the dialect.
    pub(crate) fn type_name(&mut self, type_oid: Oid, typmod: TypMod) -> Result<()> {
        self.dialect
            .type_name(self.catalog, type_oid, typmod, &mut self.buf)
    }

    /// The type name as a string, for parameters.
    pub(crate) fn type_name_string(&self, type_oid: Oid, typmod: TypMod) -> Result<String> {
        let mut name = String::new();
        self.dialect
            .type_name(self.catalog, type_oid, typmod, &mut name)?;
        Ok(name)
    }

    /// Appends `rN.`.
    pub(crate) fn rel_qualifier(&mut self, rtindex: RelIndex) {
        self.buf.push_str(REL_ALIAS_PREFIX);
        self.buf.push_str(&rtindex.0.to_string());
        self.buf.push('.');
    }
}
