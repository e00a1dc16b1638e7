//! Seeded, shrinkable generation of schemas, data and queries for
//! differential tests against real postgres_fdw.
//!
//! Everything is a proptest [`Strategy`] (so failures shrink) and is also
//! reachable through a plain seeded API ([`generate_scenario`],
//! [`generate_queries`]) that drives the same strategies with a
//! deterministic RNG: the same seed always gives the same SQL.
//!
//! Queries are built as typed expression trees over the schema model and
//! then printed, so they are type-correct by construction: integer data is
//! kept small enough that generated arithmetic cannot overflow, divisors are
//! non-zero constants, LIKE patterns are fixed, assignments respect NOT NULL,
//! lengths and typmods, and FULL JOINs only have merge-joinable conditions.
//! The mix deliberately contains what postgres_fdw must keep local (volatile
//! and stable functions, COLLATE, I/O casts, CASE arguments with non-shippable
//! parts, user-defined functions and operators, whole-row references) next
//! to what it ships.
//!
//! The generator is independent of fdw's own crates: its output is SQL text
//! plus metadata ([`GeneratedQuery`]).

mod data;
mod expr;
mod ident;
mod query;
mod schema;
mod types;

use std::collections::BTreeSet;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

pub use data::{generate_data, Data};
pub use expr::{AggCall, Expr, ExprEnv, ExprGen, FuncClass, Scope};
pub use ident::{is_non_unreserved_keyword, quote_ident, quote_literal};
pub use query::query_strategy;
pub use schema::{
    schema_strategy, Column, Schema, SchemaConfig, Servers, Table, USER_FUNCTION, USER_OPERATOR,
};
pub use types::{ColumnType, Kind, ALL_KINDS};

/// Which statements and expression features the query strategy produces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryConfig {
    /// Single-table SELECTs.
    pub single_table: bool,
    /// Joins (INNER/LEFT/RIGHT/FULL/CROSS) of 2–3 relations.
    pub joins: bool,
    /// EXISTS / NOT EXISTS / IN / NOT IN subqueries (semi and anti joins).
    pub semi_joins: bool,
    /// Let joins and semi joins use the schema's local heap table.
    pub local_joins: bool,
    /// GROUP BY / HAVING / aggregate calls.
    pub aggregates: bool,
    /// INSERT / UPDATE / DELETE (run them in a rolled-back transaction).
    pub dml: bool,
    /// Stable and volatile functions (`now()`, `random()`, `to_char()`, ...);
    /// switch off when results must be comparable.
    pub mutable_functions: bool,
    /// The user-defined function and operator.
    pub user_defined: bool,
    /// `cube` functions and operators (needs a schema with the extension).
    pub extension: bool,
    /// Depth of typed expression trees.
    pub max_depth: u32,
    /// Depth of the AND/OR/NOT tree of WHERE clauses.
    pub max_where_depth: u32,
}

impl Default for QueryConfig {
    /// Everything on.
    fn default() -> Self {
        Self {
            single_table: true,
            joins: true,
            semi_joins: true,
            local_joins: true,
            aggregates: true,
            dml: true,
            mutable_functions: true,
            user_defined: true,
            extension: true,
            max_depth: 3,
            max_where_depth: 3,
        }
    }
}

impl QueryConfig {
    /// Only single-table SELECTs.
    pub fn single_table_only() -> Self {
        Self {
            joins: false,
            semi_joins: false,
            local_joins: false,
            aggregates: false,
            dml: false,
            ..Self::default()
        }
    }
}

/// Configuration of a whole scenario.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GenConfig {
    /// Schema knobs.
    pub schema: SchemaConfig,
    /// Query knobs.
    pub query: QueryConfig,
    /// Largest number of rows per table (capped at 200; 0 means 50).
    pub max_rows: usize,
}

/// The kind of a generated statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatementKind {
    /// `SELECT`.
    Select,
    /// `INSERT`.
    Insert,
    /// `UPDATE`.
    Update,
    /// `DELETE`.
    Delete,
}

/// A feature a generated statement uses (for coverage accounting and for
/// picking queries in tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Feature {
    /// A SELECT statement.
    Select,
    /// An INSERT statement.
    Insert,
    /// `INSERT ... VALUES`.
    InsertValues,
    /// `INSERT ... SELECT`.
    InsertSelect,
    /// An UPDATE statement.
    Update,
    /// A DELETE statement.
    Delete,
    /// `RETURNING`.
    Returning,
    /// A WHERE clause.
    Where,
    /// `INNER JOIN`.
    InnerJoin,
    /// `LEFT JOIN`.
    LeftJoin,
    /// `RIGHT JOIN`.
    RightJoin,
    /// `FULL JOIN`.
    FullJoin,
    /// `CROSS JOIN`.
    CrossJoin,
    /// `EXISTS (subquery)`.
    Exists,
    /// `NOT EXISTS (subquery)`.
    NotExists,
    /// `x IN (subquery)`.
    InSubquery,
    /// `x NOT IN (subquery)`.
    NotInSubquery,
    /// A plain local table takes part.
    LocalTable,
    /// `GROUP BY`.
    GroupBy,
    /// `HAVING`.
    Having,
    /// An aggregate call.
    Aggregate,
    /// `agg(DISTINCT ..)`.
    DistinctAggregate,
    /// `agg(.. ORDER BY ..)`.
    OrderedAggregate,
    /// `agg(..) FILTER (WHERE ..)`.
    AggregateFilter,
    /// `WITHIN GROUP (ORDER BY ..)`.
    WithinGroup,
    /// `ORDER BY`.
    OrderBy,
    /// `NULLS FIRST` / `NULLS LAST`.
    NullsOrder,
    /// `LIMIT`.
    Limit,
    /// `OFFSET`.
    Offset,
    /// `*` in a target list.
    Star,
    /// A whole-row reference.
    WholeRow,
    /// A built-in operator.
    Operator,
    /// AND / OR / NOT.
    BoolExpr,
    /// A built-in immutable function.
    Function,
    /// A stable function (`now()`, `to_char()`, `concat()`).
    StableFunction,
    /// A volatile function (`random()`, `clock_timestamp()`).
    VolatileFunction,
    /// The user-defined function.
    UserFunction,
    /// The user-defined operator.
    UserOperator,
    /// A function or operator of the `cube` extension.
    ExtensionFunction,
    /// A cast that is a function or relabel (shippable).
    Cast,
    /// An I/O conversion cast such as `int::text` (never shippable).
    CoerceViaIo,
    /// `CASE WHEN`.
    Case,
    /// `CASE arg WHEN`.
    CaseWithArg,
    /// `IN (list)`.
    InList,
    /// `op ANY/ALL (array)`.
    AnyArray,
    /// `ARRAY[...]`.
    ArrayExpr,
    /// `arr[i]`.
    Subscript,
    /// `IS [NOT] NULL`.
    NullTest,
    /// `IS [NOT] DISTINCT FROM`.
    DistinctFrom,
    /// `IS TRUE`, `IS UNKNOWN`, ...
    BoolTest,
    /// `LIKE` / `NOT LIKE`.
    Like,
    /// `ILIKE`.
    ILike,
    /// `SIMILAR TO`.
    SimilarTo,
    /// `COLLATE "C"`.
    Collate,
    /// `COALESCE`.
    Coalesce,
    /// `NULLIF`.
    NullIf,
    /// `GREATEST`.
    Greatest,
}

impl Feature {
    /// Every feature, in declaration order. It lives beside the enum so a
    /// new variant is added here too: the coverage test checks that every
    /// entry occurs in a mixed workload.
    pub const ALL: [Feature; 57] = [
        Feature::Select,
        Feature::Insert,
        Feature::InsertValues,
        Feature::InsertSelect,
        Feature::Update,
        Feature::Delete,
        Feature::Returning,
        Feature::Where,
        Feature::InnerJoin,
        Feature::LeftJoin,
        Feature::RightJoin,
        Feature::FullJoin,
        Feature::CrossJoin,
        Feature::Exists,
        Feature::NotExists,
        Feature::InSubquery,
        Feature::NotInSubquery,
        Feature::LocalTable,
        Feature::GroupBy,
        Feature::Having,
        Feature::Aggregate,
        Feature::DistinctAggregate,
        Feature::OrderedAggregate,
        Feature::AggregateFilter,
        Feature::WithinGroup,
        Feature::OrderBy,
        Feature::NullsOrder,
        Feature::Limit,
        Feature::Offset,
        Feature::Star,
        Feature::WholeRow,
        Feature::Operator,
        Feature::BoolExpr,
        Feature::Function,
        Feature::StableFunction,
        Feature::VolatileFunction,
        Feature::UserFunction,
        Feature::UserOperator,
        Feature::ExtensionFunction,
        Feature::Cast,
        Feature::CoerceViaIo,
        Feature::Case,
        Feature::CaseWithArg,
        Feature::InList,
        Feature::AnyArray,
        Feature::ArrayExpr,
        Feature::Subscript,
        Feature::NullTest,
        Feature::DistinctFrom,
        Feature::BoolTest,
        Feature::Like,
        Feature::ILike,
        Feature::SimilarTo,
        Feature::Collate,
        Feature::Coalesce,
        Feature::NullIf,
        Feature::Greatest,
    ];
}

/// One generated statement with its metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedQuery {
    /// The SQL text (no trailing semicolon).
    pub sql: String,
    /// SELECT, INSERT, UPDATE or DELETE.
    pub statement: StatementKind,
    /// Features used.
    pub features: BTreeSet<Feature>,
    /// Local names of the relations referenced (FROM order, then subqueries;
    /// for DML the target first).
    pub relations: Vec<String>,
    /// True if exactly one relation is referenced.
    pub single_table: bool,
    /// True if the statement has a top-level ORDER BY.
    pub ordered: bool,
}

impl GeneratedQuery {
    /// True for INSERT, UPDATE and DELETE (run them in a transaction that is
    /// rolled back).
    pub fn is_dml(&self) -> bool {
        self.statement != StatementKind::Select
    }
}

/// A schema, its data and queries over it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// The schema model (see [`Schema::remote_ddl`] and [`Schema::local_ddl`]).
    pub schema: Schema,
    /// INSERT statements for both sides.
    pub data: Data,
    /// The generated statements.
    pub queries: Vec<GeneratedQuery>,
}

/// A proptest runner whose RNG is fixed by `seed` (and a stream label, so
/// that schema and queries use independent streams).
pub fn seeded_runner(seed: u64, stream: u8) -> TestRunner {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8] = stream;
    bytes[9] = 0xfd;
    TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    )
}

/// Draws one value of `strategy` with `runner` (no shrinking).
///
/// # Errors
/// Fails when the strategy rejects too many candidates.
pub fn draw<S: Strategy>(strategy: &S, runner: &mut TestRunner) -> anyhow::Result<S::Value> {
    strategy
        .new_tree(runner)
        .map(|tree| tree.current())
        .map_err(|e| anyhow::anyhow!("generator rejected its input: {e}"))
}

/// The schema for `seed`.
///
/// # Errors
/// Fails only if the strategy cannot produce a value (a generator bug).
pub fn generate_schema(seed: u64, config: &SchemaConfig) -> anyhow::Result<Schema> {
    draw(&schema_strategy(config), &mut seeded_runner(seed, 1))
}

/// `n` statements over `schema` for `seed`.
///
/// # Errors
/// Fails only if the strategy cannot produce a value (a generator bug).
pub fn generate_queries(
    seed: u64,
    schema: &Schema,
    config: &QueryConfig,
    n: usize,
) -> anyhow::Result<Vec<GeneratedQuery>> {
    let strategy = query_strategy(schema, config);
    let mut runner = seeded_runner(seed, 2);
    (0..n).map(|_| draw(&strategy, &mut runner)).collect()
}

/// A whole scenario for `seed`: schema, data and `n` queries.
///
/// # Errors
/// Fails only if a strategy cannot produce a value (a generator bug).
///
/// # Example
/// ```
/// use fdw_testkit::gen::{generate_scenario, GenConfig, Servers};
///
/// let scenario = generate_scenario(42, &GenConfig::default(), 10).unwrap();
/// let remote = scenario.schema.remote_ddl(); // then scenario.data.remote
/// let local = scenario.schema.local_ddl(Servers { main: "loopback", extension: None });
/// assert!(!remote.is_empty() && !local.is_empty());
/// assert_eq!(scenario.queries.len(), 10);
/// assert_eq!(scenario, generate_scenario(42, &GenConfig::default(), 10).unwrap());
/// ```
pub fn generate_scenario(seed: u64, config: &GenConfig, n: usize) -> anyhow::Result<Scenario> {
    let schema = generate_schema(seed, &config.schema)?;
    let max_rows = if config.max_rows == 0 {
        50
    } else {
        config.max_rows
    };
    let data = generate_data(&schema, seed, max_rows);
    let queries = generate_queries(seed, &schema, &config.query, n)?;
    Ok(Scenario {
        schema,
        data,
        queries,
    })
}
