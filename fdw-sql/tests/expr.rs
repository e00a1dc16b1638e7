//! The expression transformer against PostgreSQL 15: for a corpus of
//! expressions, `SELECT <expr> FROM t` must give the result column type
//! (with typmod) PostgreSQL reports (`\gdesc`), and the expressions
//! PostgreSQL rejects must be rejected with the same SQLSTATE.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr,
    clippy::indexing_slicing
)]

use fdw_catalog::ddl::load;
use fdw_catalog::Catalog;
use fdw_core::expr::{BoolExprType, Expr};
use fdw_core::query::Query;
use fdw_core::{Oid, TypMod};
use fdw_sql::analyze::analyze;
use fdw_sql::parse::parse_one;
use fdw_testkit::psql::{self, Step};
use fdw_testkit::Oracle;

const SCHEMA: &str = "
CREATE TYPE comp AS (a integer, b text);
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE t (
    i2 smallint, i4 integer, i8 bigint, n numeric, n52 numeric(5,2),
    f4 real, f8 double precision, b boolean, tx text, vc varchar(10),
    ch char(3), nm name, d date, ts timestamp, ts3 timestamp(3),
    tstz timestamptz, tm time, ttz timetz, iv interval, ia integer[],
    ta text[], na numeric(5,2)[], j jsonb, js json, by bytea, u uuid,
    bt bit(4), vb varbit(8), o oid, r comp, m mood
);
CREATE TABLE u (k integer, tx text);
";

fn catalog() -> Catalog {
    let mut catalog = Catalog::new(15).unwrap();
    load(&mut catalog, SCHEMA).unwrap();
    catalog
}

/// Expressions whose result type must match PostgreSQL's.
const CORPUS: &[&str] = &[
    // Integer literals by size, negation folded into the literal.
    "1",
    "-1",
    "2147483647",
    "2147483648",
    "-2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "- -1",
    "-(1)",
    "007",
    "1.5",
    "-1.5",
    ".5",
    "5.",
    "1e3",
    "1.5e-3",
    "-1e10",
    // Strings and other literals.
    "'abc'",
    "E'a\\tb'",
    "$$dollar$$",
    "U&'d\\0061t'",
    "B'1010'",
    "X'1F'",
    "true",
    "false",
    "NULL",
    "N'abc'",
    // Typed literals.
    "date '2020-01-01'",
    "timestamp '2020-01-01 10:00'",
    "timestamp(3) '2020-01-01 10:00:00.123456'",
    "timestamptz '2020-01-01 10:00+02'",
    "time '10:00'",
    "time(2) '10:00:00.123'",
    "interval '1 day'",
    "interval '1' day",
    "interval '1' year",
    "interval '1-2' year to month",
    "interval '1 2:03' day to minute",
    "interval '10' second",
    "interval '1 day 02:03:04.5678' day to second(2)",
    "char 'abc'",
    "varchar 'abc'",
    "text 'abc'",
    "numeric '1.50'",
    "int '42'",
    "bigint '42'",
    "boolean 't'",
    "bit '101'",
    "json '{}'",
    "jsonb '[1]'",
    "uuid 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'",
    "point '(1,2)'",
    // Columns.
    "i2",
    "i4",
    "i8",
    "n",
    "n52",
    "f4",
    "f8",
    "b",
    "tx",
    "vc",
    "ch",
    "nm",
    "d",
    "ts",
    "ts3",
    "tstz",
    "tm",
    "ttz",
    "iv",
    "ia",
    "ta",
    "na",
    "j",
    "js",
    "by",
    "u",
    "bt",
    "vb",
    "o",
    "r",
    "m",
    "t.i4",
    "t",
    "t.*",
    "ctid",
    "tableoid",
    "public.t.i4",
    // Arithmetic and operator resolution.
    "i4 + 1",
    "i2 + i2",
    "i2 + i4",
    "i4 + i8",
    "i8 * 2",
    "i4 / 2",
    "i4 % 3",
    "n + 1",
    "n52 + 1",
    "n52 * n52",
    "f4 + 1",
    "f4 + f8",
    "f8 + 1.5",
    "i4 + 1.5",
    "i4 + '1'",
    "i4 ^ 2",
    "n ^ 2",
    "2 ^ 3",
    "|/ 16",
    "||/ 27.0",
    "@ -5",
    "-i4",
    "+i4",
    "- n52",
    "~ i4",
    "i4 & 3",
    "i4 | 3",
    "i4 # 3",
    "i4 << 2",
    "i8 >> 1",
    "bt & B'1100'",
    "d + 1",
    "d - 1",
    "d - d",
    "d + iv",
    "d + tm",
    "ts - ts",
    "ts + iv",
    "tstz - iv",
    "tstz - tstz",
    "tm + iv",
    "iv * 2",
    "iv / 2",
    "-iv",
    "ts3 + interval '1 hour'",
    "tx || tx",
    "tx || 1",
    "1 || tx",
    "vc || vc",
    "ch || ch",
    "'a' || 'b'",
    "ia || 1",
    "1 || ia",
    "ia || ia",
    "ta || 'x'",
    "j -> 'a'",
    "j ->> 'a'",
    "j -> 0",
    "j #> '{a,b}'",
    "j #>> '{a}'",
    "j @> '{}'",
    "j ? 'a'",
    "j ?| array['a']",
    "j - 'a'",
    "j || j",
    "js -> 'a'",
    "js ->> 0",
    "ia @> ARRAY[1]",
    "ia && ARRAY[1,2]",
    "ia <@ ia",
    "tx ^@ 'a'",
    "i4 OPERATOR(pg_catalog.+) 1",
    "3 OPERATOR(pg_catalog.*) 4",
    // Comparisons and boolean logic.
    "i4 = 1",
    "i4 = '1'",
    "i4 <> i8",
    "i4 < 2.5",
    "n52 >= 1",
    "tx = 'a'",
    "vc = 'a'",
    "ch = 'a'",
    "ch = tx",
    "vc = tx",
    "nm = 'x'",
    "d = '2020-01-01'",
    "d < ts",
    "ts = tstz",
    "b = true",
    "b AND true",
    "b OR i4 > 1",
    "NOT b",
    "b AND b AND b",
    "(b AND b) AND b",
    "b AND (b OR b)",
    "i4 > 1 AND i4 < 10 OR tx = 'x'",
    "m = 'ok'",
    "m < 'happy'",
    "u = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'",
    "o = 1",
    "by = '\\x00'",
    // Pattern matching.
    "tx LIKE 'a%'",
    "tx NOT LIKE 'a%'",
    "tx ILIKE 'a%'",
    "tx NOT ILIKE 'a%'",
    "tx LIKE 'a!%' ESCAPE '!'",
    "vc LIKE 'a%'",
    "ch LIKE 'a%'",
    "nm LIKE 'a%'",
    "tx SIMILAR TO 'a.*'",
    "tx NOT SIMILAR TO 'a.*'",
    "tx SIMILAR TO 'a#%' ESCAPE '#'",
    "tx ~ '^a'",
    "tx ~* '^a'",
    "tx !~ '^a'",
    "tx !~* '^a'",
    "tx ~~ 'a%'",
    "tx LIKE ANY (ARRAY['a%', 'b%'])",
    "by LIKE '\\x00%'",
    // NULL and boolean tests.
    "i4 IS NULL",
    "i4 IS NOT NULL",
    "r IS NULL",
    "ROW(1, 2) IS NULL",
    "t IS NOT NULL",
    "b IS TRUE",
    "b IS NOT TRUE",
    "b IS FALSE",
    "b IS NOT FALSE",
    "b IS UNKNOWN",
    "b IS NOT UNKNOWN",
    "NULL IS NULL",
    "i4 IS DISTINCT FROM 1",
    "i4 IS NOT DISTINCT FROM NULL",
    "tx IS DISTINCT FROM 'a'",
    "ROW(i4, tx) IS DISTINCT FROM ROW(1, 'a')",
    "(i4, tx) IS NOT DISTINCT FROM (1, 'a')",
    // BETWEEN.
    "i4 BETWEEN 1 AND 10",
    "i4 NOT BETWEEN 1 AND 10",
    "n52 BETWEEN 1 AND 2.5",
    "d BETWEEN '2020-01-01' AND '2021-01-01'",
    "tx BETWEEN 'a' AND 'b'",
    "(i4, i8) BETWEEN (1, 2) AND (3, 4)",
    "(i4, tx) NOT BETWEEN (1, 'a') AND (3, 'b')",
    "i4 BETWEEN (SELECT 1) AND 10",
    // IN lists.
    "i4 IN (1, 2, 3)",
    "i4 NOT IN (1, 2, 3)",
    "i4 IN (1)",
    "i4 IN (1, i8)",
    "i4 IN (i2, i8)",
    "i4 IN (1, 2.5)",
    "tx IN ('a', 'b')",
    "vc IN ('a', 'b')",
    "ch IN ('a', 'b')",
    "i8 IN (1, 2, 3)",
    "n IN (1, 2)",
    "d IN ('2020-01-01', '2020-01-02')",
    "'a' IN ('a', 'b')",
    "(i4, tx) IN ((1, 'a'), (2, 'b'))",
    "i4 IN (SELECT k FROM u)",
    "i4 NOT IN (SELECT k FROM u)",
    "(i4, tx) IN (SELECT k, tx FROM u)",
    "i4 IN (1, (SELECT 2))",
    // ANY / ALL.
    "i4 = ANY (ia)",
    "i4 = ANY (ARRAY[1, 2])",
    "i4 = ANY ('{1,2}')",
    "i4 <> ALL (ia)",
    "i4 > ALL (ARRAY[1.5, 2.5])",
    "tx = ANY (ta)",
    "tx = ANY ('{a,b}')",
    "i4 = ANY (SELECT k FROM u)",
    "i4 < ALL (SELECT k FROM u)",
    "i4 = SOME (ia)",
    // CASE.
    "CASE WHEN b THEN 1 ELSE 2 END",
    "CASE WHEN b THEN 1 END",
    "CASE WHEN b THEN 1 ELSE 2.5 END",
    "CASE WHEN b THEN 'a' ELSE 'b' END",
    "CASE WHEN b THEN 'a' END",
    "CASE WHEN b THEN tx ELSE 'b' END",
    "CASE WHEN b THEN vc ELSE ch END",
    "CASE WHEN b THEN vc ELSE vc END",
    "CASE WHEN b THEN n52 ELSE n52 END",
    "CASE i4 WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END",
    "CASE tx WHEN 'a' THEN 1 END",
    "CASE 'a' WHEN 'a' THEN 1 END",
    "CASE WHEN i4 > 1 THEN d ELSE ts END",
    "CASE WHEN b THEN NULL ELSE 1 END",
    "CASE WHEN b THEN i2 ELSE i8 END",
    "CASE WHEN b THEN f4 ELSE n END",
    // COALESCE, NULLIF, GREATEST, LEAST.
    "COALESCE(i4, 0)",
    "COALESCE(i4, i8)",
    "COALESCE(i2, 1.5)",
    "COALESCE(tx, 'x')",
    "COALESCE(vc, 'x')",
    "COALESCE(vc, vc)",
    "COALESCE(n52, n52)",
    "COALESCE(NULL, 1)",
    "COALESCE('a', 'b')",
    "COALESCE(d, ts)",
    "NULLIF(i4, 0)",
    "NULLIF(i4, 1.5)",
    "NULLIF(tx, 'x')",
    "NULLIF(vc, 'x')",
    "NULLIF('a', 'b')",
    "GREATEST(i4, 1)",
    "GREATEST(i4, i8, 1.5)",
    "LEAST(tx, 'a')",
    "LEAST(d, ts)",
    "GREATEST(n52, n52)",
    // Casts.
    "i4::text",
    "i4::bigint",
    "i4::numeric(10,2)",
    "i4::numeric",
    "n::integer",
    "f8::numeric(5,1)",
    "tx::varchar(3)",
    "tx::char(2)",
    "tx::char",
    "tx::bpchar",
    "vc::text",
    "vc::varchar(5)",
    "'1'::int",
    "'1.5'::numeric(3,1)",
    "'abc'::varchar(2)",
    "'2020-01-01'::date",
    "'2020-01-01'::timestamp(0)",
    "'2020-01-01'::timestamp with time zone",
    "'10:00'::time(3)",
    "'1 day'::interval",
    "'1'::interval hour",
    "CAST(i4 AS text)",
    "CAST('1' AS integer)",
    "CAST(tx AS varchar(4))",
    "i4::text::integer",
    "i4::int2",
    "i4::int8",
    "i4::float4",
    "i4::float8",
    "i4::real",
    "i4::double precision",
    "i4::float(10)",
    "i4::float(30)",
    "i4::decimal(6,3)",
    "i4::smallint",
    "i4::oid",
    "i4::bool",
    "i4::bit(8)",
    "b::int",
    "b::text",
    "d::timestamp",
    "ts::date",
    "ts::time",
    "tstz::timestamp",
    "ts::timestamptz(2)",
    "iv::time",
    "ia::text[]",
    "ia::bigint[]",
    "ia::numeric(4,1)[]",
    "ta::varchar(2)[]",
    "'{1,2}'::int[]",
    "'{1,2}'::int[][]",
    "ARRAY[1,2]::numeric[]",
    "ARRAY['1','2']::int[]",
    "ARRAY[]::text[]",
    "ARRAY[1.5]::int[]",
    "j::text",
    "js::jsonb",
    "tx::json",
    "u::text",
    "tx::uuid",
    "m::text",
    "'ok'::mood",
    "r::text",
    "ROW(1, 'x')::comp",
    "o::regclass",
    "'t'::regclass",
    "i4::varchar",
    "nm::text",
    "tx::name",
    "bt::varbit",
    "vb::bit(2)",
    "by::text",
    "int4(i2)",
    "text(i4)",
    "float8(n)",
    "int8(n52)",
    "date(ts)",
    "pg_catalog.int4(i8)",
    // Arrays and subscripts.
    "ARRAY[1, 2, 3]",
    "ARRAY[1, 2.5]",
    "ARRAY['a', 'b']",
    "ARRAY[tx, 'b']",
    "ARRAY[vc, vc]",
    "ARRAY[n52]",
    "ARRAY[i2, i8]",
    "ARRAY[[1, 2], [3, 4]]",
    "ARRAY[ARRAY[1], ARRAY[2]]",
    "ARRAY[ia, ia]",
    "ARRAY[d, ts]",
    "ARRAY[NULL, 1]",
    "ARRAY[ROW(1, 2)]",
    "ia[1]",
    "ia[1:2]",
    "ia[:2]",
    "ia[2:]",
    "ia[1][2]",
    "ia[1:2][2]",
    "ia['1']",
    "ia[i8]",
    "ia[1.5]",
    "ta[1]",
    "na[1]",
    "na[1:1]",
    "(ARRAY[1, 2])[1]",
    "('{1,2}'::int[])[2]",
    "j['a']",
    "j['a']['b']",
    "j[0]",
    "j[i4]",
    // Rows and row comparisons.
    "ROW(1, 2)",
    "ROW(i4, tx)",
    "(i4, tx)",
    "ROW(t.*)",
    "ROW()",
    "(i4, tx) = (1, 'a')",
    "(i4, tx) <> (1, 'a')",
    "(i4, i8) < (1, 2)",
    "(i4, i8) >= (1, 2)",
    "ROW(i4) = ROW(1)",
    "(i4, tx) = (SELECT k, tx FROM u LIMIT 1)",
    "(i4, tx) < (SELECT k, tx FROM u LIMIT 1)",
    "(r).a",
    "(r).b",
    "(t).i4",
    "(t.r).a",
    "(ROW(1, 'x')::comp).b",
    "(ROW(1, 2)).f1",
    "(i4, i8) OVERLAPS (i4, i8)",
    "(d, d) OVERLAPS (d, iv)",
    "(ts, ts) OVERLAPS (ts, ts)",
    // Sub-selects.
    "(SELECT 1)",
    "(SELECT k FROM u LIMIT 1)",
    "(SELECT tx FROM u LIMIT 1)",
    "(SELECT 'a')",
    "(SELECT vc)",
    "(SELECT n52)",
    "EXISTS (SELECT 1 FROM u)",
    "NOT EXISTS (SELECT 1 FROM u WHERE u.k = t.i4)",
    "ARRAY(SELECT k FROM u)",
    "ARRAY(SELECT tx FROM u)",
    "ARRAY(SELECT ia)",
    "ARRAY(SELECT vc)",
    "(SELECT max(k) FROM u WHERE u.k > t.i4)",
    // COLLATE.
    "tx COLLATE \"C\"",
    "tx COLLATE \"POSIX\"",
    "vc COLLATE \"C\"",
    "'a' COLLATE \"C\"",
    "tx COLLATE pg_catalog.\"default\"",
    "tx COLLATE \"C\" < 'b'",
    "tx < 'b' COLLATE \"C\"",
    // Time zones and SQL value functions.
    "ts AT TIME ZONE 'UTC'",
    "tstz AT TIME ZONE 'UTC'",
    "ttz AT TIME ZONE 'UTC'",
    "CURRENT_DATE",
    "CURRENT_TIME",
    "CURRENT_TIME(2)",
    "CURRENT_TIMESTAMP",
    "CURRENT_TIMESTAMP(3)",
    "LOCALTIME",
    "LOCALTIME(1)",
    "LOCALTIMESTAMP",
    "LOCALTIMESTAMP(0)",
    "CURRENT_USER",
    "SESSION_USER",
    "CURRENT_ROLE",
    "USER",
    "CURRENT_CATALOG",
    "CURRENT_SCHEMA",
    "current_schema()",
    // SQL-syntax functions.
    "substring(tx FROM 1 FOR 2)",
    "substring(tx FROM 2)",
    "substring(tx FOR 2)",
    "substring(tx, 1, 2)",
    "substring(vc FROM 1 FOR 2)",
    "substring(bt FROM 1 FOR 2)",
    "substring(by FROM 1 FOR 2)",
    "substring(tx FROM 'a.')",
    "substr(tx, 1, 2)",
    "substr(by, 2)",
    "convert(by, 'UTF8', 'LATIN1')",
    "trim(tx)",
    "trim(both 'x' from tx)",
    "trim(leading 'x' from tx)",
    "trim(trailing 'x' from tx)",
    "trim('x' from tx)",
    "position('a' in tx)",
    "position(B'1' in bt)",
    "overlay(tx placing 'x' from 2 for 3)",
    "overlay(tx placing 'x' from 2)",
    "overlay(by placing '\\x00' from 1)",
    "extract(year from d)",
    "extract(epoch from ts)",
    "extract(hour from tm)",
    "extract(day from iv)",
    "extract('month' from tstz)",
    "tx IS NORMALIZED",
    "tx IS NOT NFC NORMALIZED",
    // Functions.
    "length(tx)",
    "length(vc)",
    "length(ch)",
    "upper(tx)",
    "lower(vc)",
    "abs(i4)",
    "abs(n52)",
    "abs(-1)",
    "round(n, 2)",
    "round(f8)",
    "round(1.5)",
    "round(i4)",
    "ceil(f8)",
    "floor(n52)",
    "ceil(1.5)",
    "sqrt(2)",
    "power(2, 3)",
    "mod(i4, 3)",
    "mod(i8, i4)",
    "div(n, 2)",
    "concat(tx, i4, d)",
    "concat_ws(',', tx, 1)",
    "format('%s', i4)",
    "left(tx, 2)",
    "right(vc, 2)",
    "replace(tx, 'a', 'b')",
    "split_part(tx, ',', 1)",
    "strpos(tx, 'a')",
    "md5(tx)",
    "to_char(d, 'YYYY')",
    "to_char(n, '999')",
    "to_date('2020', 'YYYY')",
    "to_timestamp(0)",
    "date_trunc('day', ts)",
    "date_trunc('day', tstz)",
    "date_part('year', d)",
    "now()",
    "age(ts)",
    "make_date(2020, 1, 1)",
    "array_length(ia, 1)",
    "array_upper(ta, 1)",
    "array_append(ia, 1)",
    "array_cat(ia, ia)",
    "array_position(ta, 'a')",
    "cardinality(ia)",
    "unnest(ia)",
    "generate_series(1, 3)",
    "array_to_string(ia, ',')",
    "string_to_array(tx, ',')",
    "jsonb_build_object('a', i4)",
    "json_build_array(1, 'a')",
    "jsonb_typeof(j)",
    "to_jsonb(tx)",
    "row_to_json(t)",
    "num_nonnulls(i4, tx)",
    "pg_typeof(i4)",
    "coalesce(i4::text, tx)",
    "random()",
    "gen_random_uuid()",
    "regexp_replace(tx, 'a', 'b')",
    "regexp_match(tx, 'a')",
    "starts_with(tx, 'a')",
    "lpad(tx, 5, '*')",
    "repeat(tx, 2)",
    "reverse(vc)",
    "chr(65)",
    "ascii(tx)",
    "octet_length(by)",
    "bit_length(tx)",
    "quote_literal(i4)",
    "make_interval(days => 1)",
    "round(n => 1.5, s => 1)",
    // Aggregates and window functions.
    "count(*)",
    "count(i4)",
    "count(DISTINCT tx)",
    "sum(i4)",
    "sum(i8)",
    "sum(n52)",
    "sum(f4)",
    "avg(i4)",
    "avg(f8)",
    "max(vc)",
    "min(ch)",
    "max(n52)",
    "string_agg(tx, ',')",
    "string_agg(tx, ',' ORDER BY tx)",
    "array_agg(i4)",
    "array_agg(vc)",
    "array_agg(ia)",
    "array_agg(i4 ORDER BY i4 DESC NULLS LAST)",
    "json_agg(tx)",
    "bool_and(b)",
    "every(b)",
    "count(*) FILTER (WHERE i4 > 1)",
    "sum(i4) FILTER (WHERE b)",
    "percentile_disc(0.5) WITHIN GROUP (ORDER BY i4)",
    "percentile_cont(0.5) WITHIN GROUP (ORDER BY f8)",
    "mode() WITHIN GROUP (ORDER BY tx)",
    "rank(1) WITHIN GROUP (ORDER BY i4)",
    "row_number() OVER ()",
    "rank() OVER (ORDER BY i4)",
    "sum(i4) OVER (PARTITION BY tx)",
    "lag(vc) OVER (ORDER BY i4)",
    "first_value(n52) OVER w2",
    "count(*) OVER ()",
    "max(i4) + 1",
    "sum(i4) / count(*)",
    "coalesce(sum(n52), 0)",
    "stddev(f8)",
    "variance(i4)",
    "bit_and(i4)",
    "GROUPING(i4)",
    // Parameters.
    "$1",
    "$1 + 1",
    "$2 || 'x'",
    "$1 = i4",
    // Precedence checks (sqlparser's against PostgreSQL's).
    "1 + 2 * 3",
    "-2 ^ 2",
    "- 2 ^ 2",
    "2 ^ 3 ^ 2",
    "i4 = 1 IS TRUE",
    "b = i4 IS NULL",
    "(1 < 2) = true",
    "tx || 'a' LIKE 'b'",
    "tx LIKE 'a' || 'b'",
    "i4 BETWEEN 1 AND 2 = true",
    "NOT i4 = 1",
    "NOT b IS NULL",
    "tx || tx = 'aa'",
    "i4 + 1 IN (1, 2)",
    "-i4::bigint",
    "ts AT TIME ZONE 'UTC' + interval '1 hour'",
    "tx COLLATE \"C\" || 'x'",
    // Valid at parse analysis (folding or a warning comes later).
    "2147483647 + 1",
    "interval '1' day to second(9)",
    "1 / 0",
    "normalize(tx)",
    "normalize(tx, NFKC)",
];

/// The `FROM` of the corpus queries: grouped queries need a `GROUP BY`.
fn query_for(expr: &str) -> String {
    if expr == "GROUPING(i4)" {
        return "SELECT GROUPING(i4) FROM t GROUP BY i4".to_owned();
    }
    if expr.contains(" w2") {
        return format!("SELECT {expr} FROM t WINDOW w2 AS (ORDER BY i4)");
    }
    format!("SELECT {expr} FROM t")
}

/// Parameter types the corpus declares: `$1` integer, `$2` text.
const PARAMS: &[Oid] = &[Oid(23), Oid(25)];

/// Rejected expressions: PostgreSQL's SQLSTATE must be ours.
const ERRORS: &[&str] = &[
    "i4 = tx",
    "tx + 1",
    "no_such_column",
    "u.k",
    "no_such_function(1)",
    "length(1, 2, 3, 4)",
    "1 < 2 = true",
    "i4 = 1 = true",
    "numeric(i4)",
    "varchar(tx)",
    "'x'::integer",
    "'2020-13-45'::date",
    "i4::date",
    "d::integer",
    "b AND i4",
    "NOT i4",
    "CASE WHEN i4 THEN 1 END",
    "CASE WHEN b THEN 1 ELSE 'x' END",
    "CASE WHEN b THEN 1 ELSE d END",
    "COALESCE(i4, d)",
    "COALESCE(i4, 'x')",
    "GREATEST(tx, 1)",
    "NULLIF(i4, d)",
    "i4 IN (1, 'x')",
    "i4 IN (d, ts)",
    "ARRAY[]",
    "ARRAY[1, d]",
    "ARRAY[1, 'x']",
    "tx[1]",
    "ia[d]",
    "ia['x']",
    "(i4).a",
    "(r).zz",
    "(ROW(1, 2)).zz",
    "tx COLLATE \"nope\"",
    "i4 COLLATE \"C\"",
    "(i4, i8) = (1, 2, 3)",
    "(SELECT 1, 2)",
    "i4 IN (SELECT 1, 2)",
    "(i4, tx) IN (SELECT 1)",
    "ARRAY(SELECT 1, 2)",
    "'x'::varchar(0)",
    "i4::int(3)",
    "i4::numeric(1001)",
    "i4::float(60)",
    "i4::float(0)",
    "i4::no_such_type",
    "i4::nope.int4",
    "tx OPERATOR(pg_catalog.+) 1",
    "B'102'",
    "X'1G'",
    "1 = ANY (1)",
    "i4 = ANY (SELECT tx FROM u)",
    "(i4, d) < (1, 'x')",
    "j[1:2]",
    "ia[1:2]['x']",
    "sum(tx)",
    "count(DISTINCT *)",
    "row_number()",
    "lower(i4) OVER ()",
    "now(1)",
    "i4 IS DISTINCT FROM d",
    "tx LIKE 1",
    "CURRENT_TIME(-1)",
    "date 'garbage'",
    "timestamp 'x'",
    "interval 'xyz'",
    "1 || 2",
    "ROW(1, 2) = ROW('a', 'b')",
];

/// `format_type(oid, typmod)` as `\gdesc` prints it.
fn format_type(catalog: &Catalog, oid: Oid, typmod: TypMod) -> String {
    let Some(info) = catalog.type_info(oid) else {
        return format!("??? {oid}");
    };
    if info.is_true_array() && !info.elem.is_invalid() {
        return format!("{}[]", format_type(catalog, info.elem, typmod));
    }
    let with = typmod >= 0;
    match oid.0 {
        1042 => {
            if with {
                format!("character({})", typmod - 4)
            } else {
                "bpchar".to_owned()
            }
        }
        1043 => {
            if with {
                format!("character varying({})", typmod - 4)
            } else {
                "character varying".to_owned()
            }
        }
        1700 => {
            if with {
                let t = typmod - 4;
                let precision = (t >> 16) & 0xffff;
                let scale = ((t & 0x7ff) ^ 1024) - 1024;
                format!("numeric({precision},{scale})")
            } else {
                "numeric".to_owned()
            }
        }
        1560 | 1562 => {
            let base = if oid.0 == 1560 { "bit" } else { "bit varying" };
            if with {
                format!("{base}({typmod})")
            } else if oid.0 == 1560 {
                // Unquoted, `bit` would read back as `bit(1)`.
                "\"bit\"".to_owned()
            } else {
                base.to_owned()
            }
        }
        1083 | 1266 | 1114 | 1184 => {
            let (base, zone) = match oid.0 {
                1083 => ("time", "without"),
                1266 => ("time", "with"),
                1114 => ("timestamp", "without"),
                _ => ("timestamp", "with"),
            };
            if with {
                format!("{base}({typmod}) {zone} time zone")
            } else {
                format!("{base} {zone} time zone")
            }
        }
        1186 => {
            if !with {
                return "interval".to_owned();
            }
            let range = (typmod >> 16) & 0x7fff;
            let precision = typmod & 0xffff;
            let (y, mo, d, h, mi, s) = (1 << 2, 1 << 1, 1 << 3, 1 << 10, 1 << 11, 1 << 12);
            let fields = match range {
                r if r == y => " year",
                r if r == mo => " month",
                r if r == d => " day",
                r if r == h => " hour",
                r if r == mi => " minute",
                r if r == s => " second",
                r if r == y | mo => " year to month",
                r if r == d | h => " day to hour",
                r if r == d | h | mi => " day to minute",
                r if r == d | h | mi | s => " day to second",
                r if r == h | mi => " hour to minute",
                r if r == h | mi | s => " hour to second",
                r if r == mi | s => " minute to second",
                _ => "",
            };
            if precision != 0xffff {
                format!("interval{fields}({precision})")
            } else {
                format!("interval{fields}")
            }
        }
        _ => catalog.format_type(oid),
    }
}

/// Our result: the visible output columns' types, or the error's SQLSTATE.
fn ours(catalog: &Catalog, sql: &str) -> Result<Vec<String>, (String, String)> {
    let stmt = parse_one(sql).map_err(|e| (e.sqlstate().to_string(), e.to_string()))?;
    let query: Query =
        analyze(catalog, &stmt, PARAMS).map_err(|e| (e.sqlstate().to_string(), e.to_string()))?;
    Ok(query
        .target_list
        .iter()
        .filter(|te| !te.resjunk)
        .map(|te| format_type(catalog, te.expr.type_oid(), te.expr.typmod()))
        .collect())
}

fn oracle_with_schema() -> Oracle {
    let oracle = Oracle::new(15).unwrap();
    oracle.exec_local(SCHEMA).unwrap();
    oracle
}

#[test]
fn corpus_types_match_postgres_15() {
    let catalog = catalog();
    let oracle = oracle_with_schema();
    let queries: Vec<String> = CORPUS.iter().map(|e| query_for(e)).collect();
    let theirs = describe_params_aware(&oracle, &queries, true);
    let mut matched = 0;
    let mut report = String::new();
    for (query, expected) in queries.iter().zip(&theirs) {
        let got = ours(&catalog, query);
        let same = match (&got, expected) {
            (Ok(a), Ok(b)) => a == b,
            (Err((a, _)), Err((b, _))) => a == b,
            _ => false,
        };
        if same {
            matched += 1;
        } else {
            report.push_str(&format!(
                "{query}\n    ours:     {got:?}\n    postgres: {expected:?}\n"
            ));
        }
    }
    let total = queries.len();
    eprintln!("expression corpus: {matched}/{total} match PostgreSQL 15\n{report}");
    assert!(total >= 300, "the corpus has {total} expressions");
    assert_eq!(matched, total, "differences:\n{report}");
}

/// `\gdesc` of every query; those with `$n` go through a `PREPARE` with
/// the corpus's parameter types and `EXECUTE` is described instead.
fn describe_params_aware(
    oracle: &Oracle,
    queries: &[String],
    prepare_params: bool,
) -> Vec<Result<Vec<String>, (String, String)>> {
    let has_params = |q: &str| prepare_params && q.contains('$');
    let mut steps = Vec::new();
    let mut index = Vec::new();
    for (i, q) in queries.iter().enumerate() {
        if has_params(q) {
            steps.push(Step::Sql(format!("PREPARE p{i}(integer, text) AS {q}")));
            index.push(steps.len());
            steps.push(Step::Describe(format!("EXECUTE p{i}(1, 'a')")));
        } else {
            index.push(steps.len());
            steps.push(Step::Describe(q.clone()));
        }
    }
    let outcomes = psql::run(oracle.cluster(), oracle.local_db(), &steps).unwrap();
    queries
        .iter()
        .enumerate()
        .map(|(i, q)| {
            // A failed PREPARE carries the error; EXECUTE would only say
            // the statement does not exist.
            let outcome = if has_params(q) {
                match &outcomes[index[i] - 1] {
                    Err(err) => Err(err.clone()),
                    Ok(_) => outcomes[index[i]].clone(),
                }
            } else {
                outcomes[index[i]].clone()
            };
            match outcome {
                Ok(table) => Ok(table
                    .rows
                    .iter()
                    .map(|row| row.get(1).cloned().flatten().unwrap_or_default())
                    .collect()),
                Err(err) => Err((err.sqlstate, err.message)),
            }
        })
        .collect()
}

#[test]
fn rejected_expressions_match_postgres_15_sqlstates() {
    let catalog = catalog();
    let oracle = oracle_with_schema();
    let queries: Vec<String> = ERRORS.iter().map(|e| query_for(e)).collect();
    // Described as written: PostgreSQL then knows no `$n` either.
    let theirs = describe_params_aware(&oracle, &queries, false);
    let mut matched = 0;
    let mut same_class = 0;
    let mut report = String::new();
    for (query, expected) in queries.iter().zip(&theirs) {
        let got = ours(&catalog, query);
        if let (Err((ours_code, _)), Err((pg_code, _))) = (&got, expected) {
            if ours_code.get(..2) == pg_code.get(..2) {
                same_class += 1;
            }
        }
        let expected_code = match expected {
            Err((code, _)) => code.clone(),
            Ok(types) => format!("accepted {types:?}"),
        };
        match &got {
            Err((code, message)) if *code == expected_code => {
                matched += 1;
                if let Err((_, pg_message)) = expected {
                    if !message.starts_with(pg_message.as_str()) {
                        report.push_str(&format!(
                            "{query}\n    message ours:     {message}\n    message postgres: {pg_message}\n"
                        ));
                    }
                }
            }
            _ => report.push_str(&format!(
                "{query}\n    ours:     {got:?}\n    postgres: {expected:?}\n"
            )),
        }
    }
    let total = queries.len();
    eprintln!(
        "rejected expressions: {matched}/{total} SQLSTATEs and {same_class}/{total} classes match PostgreSQL 15\n{report}"
    );
    assert!(total >= 60, "the error corpus has {total} expressions");
    assert_eq!(same_class, total, "differences:\n{report}");
}

/// Where sqlparser 0.63's grammar differs from PostgreSQL's: each of these
/// is valid PostgreSQL (or fails differently there) and does not parse with
/// plain sqlparser; `fdw_sql::parse` corrects it, so our result must be
/// PostgreSQL's.
const SQLPARSER_DIFFERENCES: &[(&str, &str)] = &[
    // `TRIM(BOTH FROM x)` without trim characters.
    ("trim(both from vc)", "ok"),
    ("trim(leading from tx)", "ok"),
    // `===` is one operator token in PostgreSQL (and does not exist).
    ("i4 === 1", "42883"),
    // `BETWEEN SYMMETRIC`.
    ("i4 BETWEEN SYMMETRIC 10 AND 1", "ok"),
    // `COLLATION FOR (x)`.
    ("COLLATION FOR (tx)", "ok"),
    // `f(VARIADIC array)`.
    ("concat(VARIADIC ta)", "ok"),
    // `substring(x SIMILAR p ESCAPE e)`.
    ("substring(tx SIMILAR 'a' ESCAPE '#')", "ok"),
    // `substr`, `ceil`, `floor` and `convert` are ordinary function names.
    ("substr(tx, 2)", "ok"),
    ("substr(tx FROM 2)", "42601"),
    ("ceil(f8, 1)", "42883"),
    ("convert(by, 'UTF8', 'LATIN1')", "ok"),
];

#[test]
fn sqlparser_grammar_differences_parse_as_postgres_does() {
    let catalog = catalog();
    let oracle = oracle_with_schema();
    let queries: Vec<String> = SQLPARSER_DIFFERENCES
        .iter()
        .map(|(e, _)| query_for(e))
        .collect();
    let theirs = describe_params_aware(&oracle, &queries, false);
    for ((query, (_, pg)), expected) in queries.iter().zip(SQLPARSER_DIFFERENCES).zip(theirs) {
        let got = ours(&catalog, query);
        match &expected {
            Ok(_) => assert_eq!(*pg, "ok", "{query}"),
            Err((code, _)) => assert_eq!(*pg, code, "{query}"),
        }
        match (&got, &expected) {
            (Ok(ours), Ok(theirs)) => assert_eq!(ours, theirs, "{query}"),
            (Err((ours, _)), Err((theirs, _))) => assert_eq!(ours, theirs, "{query}"),
            _ => panic!("{query}: ours {got:?}, PostgreSQL {expected:?}"),
        }
    }
}

/// Undeclared parameters: PostgreSQL's fixed-parameter message. (The
/// oracle cannot show it: psql's `PREPARE` infers undeclared parameters.)
#[test]
fn undeclared_parameter_is_42p02() {
    let catalog = catalog();
    let err = ours(&catalog, "SELECT $3 FROM t").unwrap_err();
    assert_eq!(err.0, "42P02");
    assert!(err.1.starts_with("there is no parameter $3"), "{}", err.1);
    let err = ours(&catalog, "SELECT $0 FROM t").unwrap_err();
    assert_eq!(err.0, "42P02");
}

// ---- Tree shapes that do not need the oracle ----

fn first_target(sql: &str) -> Expr {
    let catalog = catalog();
    let stmt = parse_one(sql).unwrap();
    let query = analyze(&catalog, &stmt, PARAMS).unwrap();
    query.target_list[0].expr.clone()
}

fn where_clause(sql: &str) -> Expr {
    let catalog = catalog();
    let stmt = parse_one(sql).unwrap();
    let query = analyze(&catalog, &stmt, PARAMS).unwrap();
    query.jointree.quals.unwrap()
}

#[test]
fn negative_literals_fold_into_constants() {
    for (text, ty, value) in [
        ("-1", 23, "-1"),
        ("-2147483648", 23, "-2147483648"),
        ("2147483648", 20, "2147483648"),
        ("-9223372036854775808", 20, "-9223372036854775808"),
        ("9223372036854775808", 1700, "9223372036854775808"),
        ("- -1", 23, "1"),
        ("-(1.50)", 1700, "-1.50"),
        ("1e3", 1700, "1000"),
        // Leading zeros and `-0` are printed anew, not kept as written.
        ("007", 23, "7"),
        ("-007", 23, "-7"),
        ("-0", 23, "0"),
        ("0", 23, "0"),
        ("02147483648", 20, "2147483648"),
        // Decimals keep their scale; only odd spellings are respelled.
        ("1.50", 1700, "1.50"),
        ("-1.50", 1700, "-1.50"),
        ("0.5", 1700, "0.5"),
        ("-0.5", 1700, "-0.5"),
        ("-0.0", 1700, "0.0"),
        ("00.5", 1700, "0.5"),
        (".5", 1700, "0.5"),
        ("5.", 1700, "5"),
        ("10.0", 1700, "10.0"),
    ] {
        let Expr::Const(c) = first_target(&format!("SELECT {text}")) else {
            panic!("{text} is not a constant");
        };
        assert_eq!(c.consttype, Oid(ty), "{text}");
        assert_eq!(c.value.as_deref(), Some(value), "{text}");
    }
}

#[test]
fn and_flattens_its_left_operand_only() {
    let Expr::BoolExpr(flat) = where_clause("SELECT 1 FROM t WHERE b AND b AND b") else {
        panic!("not a BoolExpr");
    };
    assert_eq!(flat.boolop, BoolExprType::And);
    assert_eq!(flat.args.len(), 3);
    let Expr::BoolExpr(nested) = where_clause("SELECT 1 FROM t WHERE b AND (b AND b)") else {
        panic!("not a BoolExpr");
    };
    assert_eq!(nested.args.len(), 2);
    assert!(matches!(&nested.args[1], Expr::BoolExpr(_)));
}

#[test]
fn in_list_of_constants_is_one_scalar_array_op() {
    let Expr::ScalarArrayOpExpr(saop) = where_clause("SELECT 1 FROM t WHERE i4 IN (1, 2, 3)")
    else {
        panic!("not a ScalarArrayOpExpr");
    };
    assert!(saop.use_or);
    let Expr::ScalarArrayOpExpr(saop) = where_clause("SELECT 1 FROM t WHERE i4 NOT IN (1, 2)")
    else {
        panic!("not a ScalarArrayOpExpr");
    };
    assert!(!saop.use_or);
    // Column items are compared one by one, nested pairwise.
    let Expr::BoolExpr(or) = where_clause("SELECT 1 FROM t WHERE i4 IN (i2, i8, 1)") else {
        panic!("not a BoolExpr");
    };
    assert_eq!(or.boolop, BoolExprType::Or);
    assert_eq!(or.args.len(), 2);
    assert!(matches!(&or.args[0], Expr::BoolExpr(_)));
}

#[test]
fn between_expands_to_two_comparisons() {
    let Expr::BoolExpr(and) = where_clause("SELECT 1 FROM t WHERE i4 BETWEEN 1 AND 2") else {
        panic!("not a BoolExpr");
    };
    assert_eq!(and.boolop, BoolExprType::And);
    assert_eq!(and.args.len(), 2);
    let Expr::BoolExpr(or) = where_clause("SELECT 1 FROM t WHERE i4 NOT BETWEEN 1 AND 2") else {
        panic!("not a BoolExpr");
    };
    assert_eq!(or.boolop, BoolExprType::Or);
}

#[test]
fn sql_syntax_functions_are_marked() {
    for sql in [
        "SELECT substring(tx FROM 1 FOR 2) FROM t",
        "SELECT trim(both 'A' from tx) FROM t",
        "SELECT extract(year from d) FROM t",
        "SELECT ts AT TIME ZONE 'UTC' FROM t",
        "SELECT position('a' in tx) FROM t",
    ] {
        let Expr::FuncExpr(f) = first_target(sql) else {
            panic!("{sql}: not a FuncExpr");
        };
        assert_eq!(
            f.funcformat,
            fdw_core::expr::CoercionForm::SqlSyntax,
            "{sql}"
        );
    }
    let Expr::FuncExpr(f) = first_target("SELECT substring(tx, 1, 2) FROM t") else {
        panic!("not a FuncExpr");
    };
    assert_eq!(f.funcformat, fdw_core::expr::CoercionForm::ExplicitCall);
}

/// `substr` is its own `pg_proc` entry, not `substring` (sqlparser's
/// `SUBSTR` shorthand), and prints as written in postgres_fdw's SQL.
#[test]
fn substr_resolves_to_substr_not_substring() {
    let catalog = catalog();
    for (sql, name) in [
        ("SELECT substr(tx, 1, 2) FROM t", "substr"),
        ("SELECT substr(by, 2) FROM t", "substr"),
        ("SELECT substring(tx, 1, 2) FROM t", "substring"),
        ("SELECT ceil(f8) FROM t", "ceil"),
        ("SELECT convert(by, 'UTF8', 'LATIN1') FROM t", "convert"),
    ] {
        let Expr::FuncExpr(f) = first_target(sql) else {
            panic!("{sql}: not a FuncExpr");
        };
        let proc = catalog.proc_info(f.funcid).unwrap();
        assert_eq!(proc.name, name, "{sql}");
        assert_eq!(f.funcformat, fdw_core::expr::CoercionForm::ExplicitCall);
    }
}

/// sqlparser nests `- a ^ b` as `-(a ^ b)`; PostgreSQL's unary minus
/// binds tighter: `(-a) ^ b`, and on a literal it is part of the literal.
#[test]
fn unary_minus_binds_tighter_than_exponent() {
    let Expr::OpExpr(pow) = first_target("SELECT - f8 ^ 2 FROM t") else {
        panic!("not an OpExpr");
    };
    assert_eq!(pow.args.len(), 2);
    assert!(
        matches!(&pow.args[0], Expr::OpExpr(neg) if neg.args.len() == 1),
        "{pow:?}"
    );
    let Expr::OpExpr(pow) = first_target("SELECT - 2 ^ 2 ^ 3") else {
        panic!("not an OpExpr");
    };
    let Expr::OpExpr(inner) = &pow.args[0] else {
        panic!("(-2 ^ 2) ^ 3 expected: {pow:?}");
    };
    // The literal -2 (int4), implicitly cast to float8 for `^`.
    let Expr::FuncExpr(cast) = &inner.args[0] else {
        panic!("{inner:?}");
    };
    assert!(
        matches!(&cast.args[0], Expr::Const(c) if c.value.as_deref() == Some("-2")),
        "{cast:?}"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Corpus and error expressions glued with operators and constructs
    /// never make the transformer panic: every combination is a tree or
    /// an error.
    #[test]
    fn combined_expressions_never_panic(
        picks in proptest::collection::vec(0usize..(CORPUS.len() + ERRORS.len()), 1..5),
        glues in proptest::collection::vec(0usize..12, 4),
    ) {
        const GLUE: [&str; 12] = [
            " + ", " = ", " AND ", " || ", " < ", " OR ", " IS DISTINCT FROM ",
            " LIKE ", " * ", " <> ", " @> ", " - ",
        ];
        let pick = |i: usize| CORPUS.get(i).or_else(|| ERRORS.get(i - CORPUS.len())).copied().unwrap_or("1");
        let mut expr = format!("({})", pick(picks[0]));
        for (n, p) in picks.iter().enumerate().skip(1) {
            let glue = GLUE[glues[n % glues.len()] % GLUE.len()];
            expr = match n % 4 {
                0 => format!("CASE WHEN {expr} IS NULL THEN ({}) END", pick(*p)),
                1 => format!("{expr}{glue}({})", pick(*p)),
                2 => format!("COALESCE({expr}, ({}))", pick(*p)),
                _ => format!("ARRAY[{expr}, ({})]", pick(*p)),
            };
        }
        let catalog = catalog();
        let _ = ours(&catalog, &query_for(&expr));
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let catalog = catalog();
    let sql = format!("SELECT {}1{} FROM t", "(".repeat(3000), ")".repeat(3000));
    let result = parse_one(&sql).and_then(|stmt| analyze(&catalog, &stmt, PARAMS));
    assert!(result.is_err());
}
