//! Criterion benchmarks for fdw live in `benches/benches/`; this library
//! holds the fixtures they share with the profiling driver in
//! `benches/examples/`.

/// The planning benchmark's schema and queries.
pub mod fixtures {
    #![allow(
        clippy::expect_used,
        reason = "a benchmark whose fixture does not load has nothing to measure"
    )]
    use fdw_catalog::catalog::Catalog;

    /// The remote tables (on PostgreSQL's remote database).
    pub const REMOTE_SCHEMA: &str = "
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE t1 (c1 int NOT NULL, c2 int NOT NULL, c3 text, c4 timestamptz,
  c5 timestamp, c6 varchar(10), c7 char(10), c8 mood);
CREATE TABLE t2 (c1 int NOT NULL, c2 int NOT NULL, c3 text, c4 timestamptz,
  c5 timestamp, c6 varchar(10), c7 char(10), c8 mood);
CREATE TABLE t3 (c1 int NOT NULL, c2 bigint NOT NULL, c3 text, n numeric(10,2));
";

    /// The foreign tables, identical in our catalog and PostgreSQL's local
    /// database; `{s1}`, `{s2}`, `{s3}` are the servers.
    pub const FOREIGN_TABLES: &str = "
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE FOREIGN TABLE ft1 (c1 int NOT NULL, c2 int NOT NULL, c3 text, c4 timestamptz,
  c5 timestamp, c6 varchar(10), c7 char(10), c8 mood)
  SERVER {s1} OPTIONS (schema_name 'public', table_name 't1');
CREATE FOREIGN TABLE ft2 (c1 int NOT NULL, c2 int NOT NULL, c3 text, c4 timestamptz,
  c5 timestamp, c6 varchar(10), c7 char(10), c8 mood)
  SERVER {s2} OPTIONS (schema_name 'public', table_name 't2');
CREATE FOREIGN TABLE ft3 (c1 int NOT NULL, c2 bigint NOT NULL, c3 text, n numeric(10,2))
  SERVER {s3} OPTIONS (schema_name 'public', table_name 't3');
";

    /// One table, ten conditions: comparisons, `LIKE`, an `IN` list, `IS NOT
    /// NULL`, a `CASE`, a cast (all sent), a stable function (`now()`) and a
    /// user enum (both kept local).
    pub const SINGLE_TABLE: &str = "SELECT c1, c2, c3, c4 FROM ft1 \
WHERE c1 > 10 \
AND c2 < 1000 \
AND c3 LIKE 'abc%' \
AND c6 IN ('a', 'b', 'c') \
AND c5 IS NOT NULL \
AND CASE WHEN c2 > 5 THEN c1 ELSE c2 END < 500 \
AND c1::numeric > 1.5 \
AND c4 < now() \
AND c8 = 'happy' \
AND c7 = 'bar'";

    /// Three foreign tables on three servers joined locally, a couple of
    /// conditions sent with each scan.
    pub const THREE_TABLE_JOIN: &str = "SELECT t1.c1, t2.c3, t3.n FROM ft1 t1 \
JOIN ft2 t2 ON t1.c1 = t2.c1 \
JOIN ft3 t3 ON t3.c1 = t2.c1 \
WHERE t1.c2 < 100 AND t1.c3 LIKE 'a%' \
AND t2.c6 = 'foo' AND t2.c1 > 5 \
AND t3.n > 1.5 AND t3.c2 IN (1, 2, 3)";

    /// The foreign tables on servers `s1`, `s2`, `s3`.
    pub fn foreign_tables(s1: &str, s2: &str, s3: &str) -> String {
        FOREIGN_TABLES
            .replace("{s1}", s1)
            .replace("{s2}", s2)
            .replace("{s3}", s3)
    }

    /// Our catalog: the built-in one, three servers and the foreign tables.
    ///
    /// # Panics
    ///
    /// When the fixture does not load (a benchmark has nothing to measure then).
    pub fn catalog() -> Catalog {
        let mut catalog = Catalog::new(15).expect("built-in catalog");
        let mut ddl = String::from("CREATE EXTENSION postgres_fdw;\n");
        for server in ["s1", "s2", "s3"] {
            ddl.push_str(&format!(
                "CREATE SERVER {server} FOREIGN DATA WRAPPER postgres_fdw \
             OPTIONS (dbname 'remote', use_remote_estimate 'false');\n"
            ));
        }
        ddl.push_str(&foreign_tables("s1", "s2", "s3"));
        fdw_catalog::ddl::load(&mut catalog, &ddl).expect("schema");
        catalog
    }
}
