//! SQL front-end benchmarks: parse + analyze of a 3-table join with 20
//! predicates, and the whole `prepare_query` (adding folding, outer-join
//! reduction and qual placement) for the same statement.

#![allow(
    missing_docs,
    reason = "criterion_group! generates undocumented functions"
)]
#![allow(
    clippy::expect_used,
    reason = "a benchmark whose fixture does not load has nothing to measure"
)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use fdw_catalog::catalog::Catalog;

// The allocator the `fdw` binary uses (fdw-cli's main.rs), so that the
// figures are the product's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SCHEMA: &str = "
CREATE EXTENSION postgres_fdw;
CREATE SERVER loopback FOREIGN DATA WRAPPER postgres_fdw OPTIONS (dbname 'remote');
CREATE FOREIGN TABLE ft1 (c1 int NOT NULL, c2 int NOT NULL, c3 text, c4 timestamptz,
  c5 timestamp, c6 varchar(10), c7 char(10)) SERVER loopback;
CREATE FOREIGN TABLE ft2 (c1 int NOT NULL, c2 int NOT NULL, c3 text, c4 timestamptz,
  c5 timestamp, c6 varchar(10), c7 char(10)) SERVER loopback;
CREATE FOREIGN TABLE ft3 (c1 int NOT NULL, c2 bigint NOT NULL, c3 text, n numeric(10,2))
  SERVER loopback;
";

/// Three tables, two joins, 20 predicates mixing operators, casts,
/// functions, `IN` lists, `LIKE`, `BETWEEN`, `IS NULL` and constants to fold.
const QUERY: &str = "
SELECT t1.c1, t2.c3, t3.n, upper(t1.c3) AS u
FROM ft1 t1
JOIN ft2 t2 ON t1.c1 = t2.c1 AND t1.c2 = t2.c2
LEFT JOIN ft3 t3 ON t3.c1 = t2.c1 AND t3.c2 > 10
WHERE t1.c1 > 10
  AND t1.c2 < 1000 + 5
  AND t2.c3 LIKE 'abc%'
  AND t1.c3 <> 'zzz'
  AND t2.c6 = 'foo'
  AND t1.c7 = 'bar'
  AND t3.n > 1.5
  AND t3.c2 IN (1, 2, 3, 4, 5)
  AND t1.c4 >= '2020-01-01'::timestamptz
  AND t2.c5 < '2021-01-01 00:00:00'
  AND t1.c1 + t2.c1 < 5000
  AND length(t2.c3) BETWEEN 1 AND 20
  AND t3.c3 IS NOT NULL
  AND (t1.c2 = 1 OR t1.c2 = 2 OR t2.c2 = 3)
  AND NOT (t2.c1 = 7)
  AND coalesce(t3.c1, 0) >= 0
  AND t1.c1 % 3 = 1
  AND lower(t1.c3) = 'x'
  AND t2.c2 * 2 > t1.c2
  AND abs(t3.c1 - t1.c1) < 100
ORDER BY t1.c1
";

fn catalog() -> Catalog {
    let mut catalog = Catalog::new(15).expect("built-in catalog");
    fdw_catalog::ddl::load(&mut catalog, SCHEMA).expect("schema");
    catalog
}

fn parse_and_analyze(c: &mut Criterion) {
    let catalog = catalog();
    c.bench_function("sql_parse_analyze_3_table_join_20_predicates", |b| {
        b.iter(|| {
            let statement = fdw_sql::parse::parse_one(black_box(QUERY)).expect("parses");
            fdw_sql::analyze::analyze(&catalog, &statement, &[]).expect("analyzes")
        })
    });
    c.bench_function("sql_prepare_query_3_table_join_20_predicates", |b| {
        b.iter(|| fdw_sql::prepare_query(&catalog, black_box(QUERY), &[]).expect("prepares"))
    });
}

criterion_group!(benches, parse_and_analyze);
criterion_main!(benches);
