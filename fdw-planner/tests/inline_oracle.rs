//! Inlining of SQL-language functions (`inline_function`) checked plan by
//! plan against PostgreSQL 15: the functions below are created in our
//! catalog and in the oracle's local and remote databases, and for each
//! query our whole EXPLAIN text must equal PostgreSQL's `EXPLAIN (VERBOSE,
//! COSTS OFF)`. An inlined call made of built-ins is shipped; a call that
//! is not inlined stays a local filter.

use std::fmt::Write as _;

use fdw_testkit::harness;
use fdw_testkit::oracle::CostsMode;
use fdw_testkit::psql::Step;
use fdw_testkit::spec::SpecRun;

use super::fold_oracle::{ours, theirs};

/// The functions, created the same on every side.
const FUNCTIONS: &[&str] = &[
    r"CREATE FUNCTION public.inl_add(integer, integer) RETURNS integer LANGUAGE sql AS 'select $1 + $2'",
    r"CREATE FUNCTION public.inl_eq(integer, integer) RETURNS boolean IMMUTABLE LANGUAGE sql AS 'select $1 = $2'",
    r"CREATE OPERATOR public.=== (LEFTARG = integer, RIGHTARG = integer, FUNCTION = public.inl_eq)",
    r"CREATE FUNCTION public.inl_strict_unused(integer, integer) RETURNS integer LANGUAGE sql STRICT AS 'select $1'",
    r"CREATE FUNCTION public.inl_strict_used(integer, integer) RETURNS integer LANGUAGE sql STRICT AS 'select $1 - $2'",
    r"CREATE FUNCTION public.inl_strict_nonstrict_body(integer) RETURNS boolean LANGUAGE sql STRICT AS 'select $1 is null'",
    r"CREATE FUNCTION public.inl_twice(integer) RETURNS integer LANGUAGE sql AS 'select $1 * $1'",
    r"CREATE FUNCTION public.inl_volatile_body(integer) RETURNS double precision LANGUAGE sql AS 'select $1 + random()'",
    r"CREATE FUNCTION public.inl_imm_stable_body(timestamptz) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS 'select $1 + (now() - now())'",
    r"CREATE FUNCTION public.inl_stable(integer) RETURNS integer LANGUAGE sql STABLE AS 'select $1 + 1'",
    r"CREATE FUNCTION public.inl_stable_volatile_body(integer) RETURNS double precision LANGUAGE sql STABLE AS 'select $1 * random()'",
    r"CREATE FUNCTION public.inl_secdef(integer) RETURNS integer LANGUAGE sql SECURITY DEFINER AS 'select $1 + 1'",
    r"CREATE FUNCTION public.inl_set(integer) RETURNS integer LANGUAGE sql SET work_mem = '8MB' AS 'select $1 + 1'",
    r"CREATE FUNCTION public.inl_return(integer, integer) RETURNS integer IMMUTABLE RETURN $1 * 10 + $2",
    r"CREATE FUNCTION public.inl_atomic(integer) RETURNS integer BEGIN ATOMIC SELECT $1 + 7; END",
    r"CREATE FUNCTION public.inl_atomic2(integer) RETURNS integer BEGIN ATOMIC SELECT $1 + 7; SELECT $1; END",
    r"CREATE FUNCTION public.inl_nest(integer) RETURNS integer LANGUAGE sql AS 'select public.inl_add($1, 10)'",
    r"CREATE FUNCTION public.inl_big(integer, integer) RETURNS bigint LANGUAGE sql AS 'select $1 + $2'",
    r"CREATE FUNCTION public.inl_numeric(integer) RETURNS numeric LANGUAGE sql AS 'select $1'",
    r"CREATE FUNCTION public.inl_text(text) RETURNS varchar LANGUAGE sql AS 'select $1'",
    r"CREATE FUNCTION public.inl_upper(text) RETURNS text LANGUAGE sql IMMUTABLE AS 'select upper($1)'",
    r"CREATE FUNCTION public.inl_from(integer) RETURNS integer LANGUAGE sql AS 'select $1 from (select 1) s'",
    r"CREATE FUNCTION public.inl_where(integer) RETURNS integer LANGUAGE sql AS 'select $1 where $1 > 0'",
    r"CREATE FUNCTION public.inl_set_returning(integer) RETURNS SETOF integer LANGUAGE sql AS 'select $1'",
    r"CREATE FUNCTION public.inl_agg(integer) RETURNS bigint LANGUAGE sql AS 'select count($1)'",
    r"CREATE FUNCTION public.inl_recursive(integer) RETURNS integer LANGUAGE sql AS 'select $1'",
    r"CREATE OR REPLACE FUNCTION public.inl_recursive(integer) RETURNS integer LANGUAGE sql AS 'select public.inl_recursive($1)'",
    r"CREATE FUNCTION public.inl_plpgsql(integer) RETURNS integer LANGUAGE plpgsql AS 'begin return $1 + 1; end'",
    r"CREATE FUNCTION public.inl_named(a integer, b integer) RETURNS integer LANGUAGE sql AS 'select a - b'",
    r"CREATE FUNCTION public.inl_return_named(a integer, b integer) RETURNS integer IMMUTABLE RETURN a * b",
    r"CREATE FUNCTION public.inl_default(a integer, b integer DEFAULT 5) RETURNS integer LANGUAGE sql AS 'select a + b'",
    r"CREATE FUNCTION public.inl_poly(anyelement) RETURNS anyelement LANGUAGE sql AS 'select $1'",
    r"CREATE FUNCTION public.inl_poly_array(anyarray) RETURNS anyelement LANGUAGE sql AS 'select $1[1]'",
    r"CREATE FUNCTION public.inl_textcat(text) RETURNS text LANGUAGE sql AS 'select $1 || ''x'''",
    r"CREATE FUNCTION public.inl_strict_ok(integer) RETURNS integer LANGUAGE sql STRICT IMMUTABLE AS 'select abs($1) + 1'",
    r"CREATE FUNCTION public.inl_bool(integer) RETURNS boolean LANGUAGE sql AS 'select $1 > 0'",
    r"CREATE FUNCTION public.inl_secdef_imm(integer) RETURNS integer LANGUAGE sql IMMUTABLE SECURITY DEFINER AS 'select $1 + 1'",
    r"CREATE FUNCTION public.inl_pl_default(a integer, b numeric DEFAULT 1, c text DEFAULT 'z') RETURNS numeric LANGUAGE plpgsql AS 'begin return a + b; end'",
    r"CREATE DOMAIN public.inl_posint AS integer CHECK (VALUE > 0)",
    r"CREATE FUNCTION public.inl_domain(integer) RETURNS public.inl_posint LANGUAGE sql AS 'select $1'",
    r"CREATE FUNCTION public.inl_out(a integer, OUT b integer) LANGUAGE sql AS 'select $1 + 1'",
    r"CREATE FUNCTION public.inl_out2(a integer, OUT b integer, OUT c integer) LANGUAGE sql AS 'select $1, $1 + 1'",
    r"CREATE FUNCTION public.inl_coalesce(integer) RETURNS integer LANGUAGE sql STRICT AS 'select coalesce($1, 0)'",
    r"CREATE FUNCTION public.inl_cast(integer) RETURNS text LANGUAGE sql IMMUTABLE AS 'select $1::text'",
    r"CREATE FUNCTION public.inl_case_param(integer) RETURNS integer LANGUAGE sql AS 'select case $1 when 1 then 10 else 20 end'",
    r"CREATE FUNCTION public.inl_calls_pl(integer) RETURNS integer LANGUAGE sql AS 'select public.inl_plpgsql($1) + 1'",
    r"CREATE FUNCTION public.inl_like(text) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'select $1 like ''a%'''",
    r"CREATE FUNCTION public.inl_ts(timestamptz) RETURNS timestamptz LANGUAGE sql STABLE AS 'select $1 + interval ''1 day'''",
    r"CREATE FUNCTION public.inl_subselect(integer) RETURNS integer LANGUAGE sql AS 'select (select $1)'",
    r"CREATE FUNCTION public.inl_values(integer) RETURNS integer LANGUAGE sql AS 'values ($1)'",
    r"CREATE FUNCTION public.inl_upper_schema(text) RETURNS text LANGUAGE sql AS 'select pg_catalog.upper($1)'",
    r"CREATE FUNCTION public.inl_lt(text) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'select $1 < ''b'''",
    r#"CREATE FUNCTION public.inl_lt_c(text) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'select $1 < ''b'' COLLATE "C"'"#,
    r"CREATE FUNCTION public.inl_case(integer) RETURNS text LANGUAGE sql IMMUTABLE AS 'select case $1 when 1 then ''one'' else ''other'' end'",
];

/// The queries, over the spec schema's `ft1` (c1 int, c2 int, c3 text,
/// c4 timestamptz, ...).
const QUERIES: &[&str] = &[
    // Inlined and shipped.
    "SELECT c1 FROM ft1 WHERE public.inl_add(c1, c2) > 10",
    "SELECT c1 FROM ft1 WHERE c1 OPERATOR(public.===) c2",
    "SELECT public.inl_add(c1, c2), c1 OPERATOR(public.===) 3 FROM ft1",
    // Strict: every parameter used and a strict body inlines; an unused
    // parameter or a non-strict body keeps the call.
    "SELECT c1 FROM ft1 WHERE public.inl_strict_unused(c1, c2) = 1",
    "SELECT c1 FROM ft1 WHERE public.inl_strict_used(c1, c2) = 1",
    "SELECT c1 FROM ft1 WHERE public.inl_strict_nonstrict_body(c1)",
    // A parameter used twice: cheap arguments inline, expensive or
    // volatile ones do not.
    "SELECT c1 FROM ft1 WHERE public.inl_twice(c1) = 4",
    "SELECT c1 FROM ft1 WHERE public.inl_twice(c1 + c2) = 4",
    "SELECT c1 FROM ft1 WHERE public.inl_twice(abs(c1)) = 4",
    "SELECT c1 FROM ft1 WHERE public.inl_twice(c1 + c2 + c1 + c2 + c1 + c2 + c1 + c2 + c1 + c2) = 4",
    "SELECT c1 FROM ft1 WHERE public.inl_twice(c1 + c2 + c1 + c2 + c1 + c2 + c1 + c2 + c1 + c2 + c1) = 4",
    "SELECT c1 FROM ft1 WHERE public.inl_twice((random() * 10)::int) = 4",
    "SELECT c1 FROM ft1 WHERE public.inl_twice(public.inl_add(c1, c2)) = 4",
    // Volatility of the body against the function's.
    "SELECT c1 FROM ft1 WHERE public.inl_volatile_body(c1) > 1",
    "SELECT c1 FROM ft1 WHERE public.inl_imm_stable_body(c4) > '2000-01-01'",
    "SELECT c1 FROM ft1 WHERE public.inl_stable(c1) = 2",
    "SELECT c1 FROM ft1 WHERE public.inl_stable_volatile_body(c1) > 1",
    // SECURITY DEFINER and SET clauses keep the call.
    "SELECT c1 FROM ft1 WHERE public.inl_secdef(c1) = 2",
    "SELECT c1 FROM ft1 WHERE public.inl_set(c1) = 2",
    // SQL-standard bodies.
    "SELECT c1 FROM ft1 WHERE public.inl_return(c1, c2) = 12",
    "SELECT c1 FROM ft1 WHERE public.inl_atomic(c1) = 8",
    "SELECT c1 FROM ft1 WHERE public.inl_atomic2(c1) = 8",
    // Nested inlining, recursion.
    "SELECT c1 FROM ft1 WHERE public.inl_nest(c1) = 11",
    "SELECT c1 FROM ft1 WHERE public.inl_recursive(c1) = 11",
    // The body coerced to the declared result type.
    "SELECT c1 FROM ft1 WHERE public.inl_big(c1, c2) = 5000000000",
    "SELECT public.inl_big(c1, c2), public.inl_numeric(c1), public.inl_text(c3) FROM ft1",
    "SELECT c1 FROM ft1 WHERE public.inl_numeric(c1) = 1.5",
    "SELECT c1 FROM ft1 WHERE public.inl_text(c3) = 'x'",
    "SELECT c1 FROM ft1 WHERE public.inl_upper(c3) = 'X'",
    // Over constants: inlined, then folded.
    "SELECT c1 FROM ft1 WHERE c1 = public.inl_add(1, 2)",
    "SELECT c1 FROM ft1 WHERE c1 = public.inl_nest(5)",
    "SELECT c1 FROM ft1 WHERE 3 OPERATOR(public.===) 3",
    "SELECT c1 FROM ft1 WHERE c3 = public.inl_upper('abc')",
    "SELECT c1 FROM ft1 WHERE c1 = public.inl_strict_unused(1, NULL)",
    "SELECT c1 FROM ft1 WHERE c1 = public.inl_strict_unused(1, 2)",
    "SELECT c1 FROM ft1 WHERE c1 = public.inl_return(1, 2)",
    "SELECT c1 FROM ft1 WHERE c3 = public.inl_case(1)",
    "SELECT c1 FROM ft1 WHERE c3 = public.inl_case(c2)",
    // Named parameters, defaults, polymorphic parameters.
    "SELECT c1 FROM ft1 WHERE public.inl_named(c1, c2) = 1",
    "SELECT c1 FROM ft1 WHERE public.inl_return_named(c1, c2) = 1",
    "SELECT c1 FROM ft1 WHERE public.inl_default(c1) = 6",
    "SELECT c1 FROM ft1 WHERE public.inl_default(b => 1, a => c2) = 6",
    "SELECT c1 FROM ft1 WHERE public.inl_poly(c1) = 6",
    "SELECT c1 FROM ft1 WHERE public.inl_poly(c3) = 'x'",
    "SELECT c1 FROM ft1 WHERE public.inl_poly_array(ARRAY[c1, c2]) = 6",
    "SELECT c1 FROM ft1 WHERE public.inl_textcat(c3) = 'ax'",
    "SELECT c1 FROM ft1 WHERE public.inl_strict_ok(c1) = 2",
    "SELECT c1 FROM ft1 WHERE public.inl_bool(c1)",
    "SELECT c1 FROM ft1 WHERE NOT public.inl_bool(c1)",
    "SELECT c1 FROM ft1 WHERE public.inl_bool(c1) = true",
    // Immutable, over constants: PostgreSQL runs it even when it would not
    // inline it.
    "SELECT c1 FROM ft1 WHERE c1 = public.inl_secdef_imm(1)",
    "SELECT c1 FROM ft1 WHERE c1 = public.inl_secdef(1)",
    "SELECT c1 FROM ft1 WHERE c1 = public.inl_twice(3)",
    "SELECT c1 FROM ft1 WHERE c3 = public.inl_textcat('a')",
    "SELECT c1 FROM ft1 WHERE c1 = public.inl_poly(4)",
    // Defaults of a function that is not inlined show in the call.
    "SELECT c1 FROM ft1 WHERE public.inl_pl_default(c1) > 1",
    "SELECT c1 FROM ft1 WHERE public.inl_pl_default(c => 'y', a => c2) > 1",
    // Result types, OUT parameters, bodies of several kinds.
    "SELECT c1 FROM ft1 WHERE public.inl_domain(c1) = 1",
    "SELECT c1 FROM ft1 WHERE public.inl_out(c1) = 1",
    "SELECT public.inl_out2(c1) FROM ft1",
    "SELECT c1 FROM ft1 WHERE public.inl_coalesce(c1) = 1",
    "SELECT c1 FROM ft1 WHERE public.inl_cast(c1) = '1'",
    "SELECT c1 FROM ft1 WHERE public.inl_case_param(c2) = 10",
    "SELECT c1 FROM ft1 WHERE public.inl_calls_pl(c2) = 10",
    "SELECT c1 FROM ft1 WHERE public.inl_like(c3)",
    "SELECT c1 FROM ft1 WHERE public.inl_ts(c4) > '2000-01-01'",
    "SELECT c1 FROM ft1 WHERE public.inl_subselect(c1) = 1",
    "SELECT c1 FROM ft1 WHERE public.inl_values(c1) = 1",
    "SELECT c1 FROM ft1 WHERE public.inl_upper_schema(c3) = 'A'",
    "SELECT c1 FROM ft1 WHERE public.inl_add(c1, NULL) = 1",
    "SELECT c1 FROM ft1 WHERE public.inl_strict_used(c1, NULL) = 1",
    "SELECT c1 FROM ft1 WHERE c1 = public.inl_cast(5)::int",
    // The call's input collation reaches the body's parameters.
    "SELECT c1 FROM ft1 WHERE public.inl_lt('a' COLLATE \"C\")",
    "SELECT c1 FROM ft1 WHERE public.inl_lt(c3 COLLATE \"C\")",
    "SELECT c1 FROM ft1 WHERE public.inl_textcat(c3 COLLATE \"C\") = 'ax'",
    "SELECT c1 FROM ft1 WHERE public.inl_textcat(c3 COLLATE \"POSIX\") > 'ax'",
    "SELECT c1 FROM ft1 WHERE public.inl_poly(c3 COLLATE \"C\") > 'ax'",
    "SELECT c1 FROM ft1 WHERE public.inl_lt_c(c3)",
    "SELECT c1 FROM ft1 WHERE public.inl_lt_c(c3 COLLATE \"POSIX\")",
    "SELECT c1 FROM ft1 WHERE public.inl_lt('a')",
    "SELECT c1 FROM ft1 WHERE public.inl_lt(c3)",
    // Bodies that are not a bare SELECT expression.
    "SELECT c1 FROM ft1 WHERE public.inl_from(c1) = 1",
    "SELECT c1 FROM ft1 WHERE public.inl_where(c1) = 1",
    "SELECT c1 FROM ft1 WHERE public.inl_agg(c1) = 1",
    "SELECT c1 FROM ft1 WHERE public.inl_plpgsql(c1) = 1",
];

#[test]
fn inlined_sql_functions_match_postgres_15() {
    let run = SpecRun::start(15).expect("reference PostgreSQL 15 (see scripts/install-pg)");
    let mut catalog = harness::spec_catalog(&run.oracle).expect("spec catalog");
    // One statement at a time: BEGIN ATOMIC bodies hold semicolons.
    let cluster = run.oracle.cluster();
    for ddl in FUNCTIONS {
        for db in [run.oracle.remote_db(), run.oracle.local_db()] {
            let outcome =
                fdw_testkit::psql::run(cluster, db, &[Step::Sql((*ddl).to_owned())]).expect("psql");
            assert!(outcome.iter().all(Result::is_ok), "{ddl}: {outcome:?}");
        }
        fdw_catalog::ddl::load(&mut catalog, &format!("{ddl};")).expect("our function");
    }

    let answers = run
        .oracle
        .explain_all(QUERIES, CostsMode::Off)
        .expect("oracle EXPLAIN");
    let mut report = String::new();
    let mut failures = 0;
    let mut shipped_inlined = 0;
    for (query, answer) in QUERIES.iter().zip(&answers) {
        let us = ours(&catalog, query);
        let pg = theirs(answer);
        let agree = match (&us, &pg) {
            (Ok(a), Ok(b)) => a == b,
            (Err(a), Err(b)) => a.get(..5) == b.get(..5),
            _ => false,
        };
        if agree {
            if us.as_ref().is_ok_and(|t| !t.contains("Filter:")) {
                shipped_inlined += 1;
            }
            continue;
        }
        failures += 1;
        let show = |r: &Result<String, String>| match r {
            Ok(text) => text.clone(),
            Err(err) => format!("ERROR {err}"),
        };
        let _ = writeln!(
            report,
            "{query}\n  ours:\n    {}\n  PostgreSQL 15:\n    {}",
            show(&us).replace('\n', "\n    "),
            show(&pg).replace('\n', "\n    ")
        );
    }
    assert_eq!(
        failures,
        0,
        "{failures} of {} plans differ:\n{report}",
        QUERIES.len()
    );
    // The cases above must exercise both outcomes.
    assert!(
        shipped_inlined >= 15,
        "only {shipped_inlined} plans without a local filter"
    );
}
