//! Tests of user functions: what `CREATE FUNCTION` keeps of a function
//! for the planner (body, language, SECURITY DEFINER, SET clauses,
//! strictness, volatility) and that the snapshot round-trips it.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail the test by unwrapping, as #[test] functions may"
)]

use fdw_catalog::catalog::Catalog;
use fdw_catalog::ddl;
use fdw_catalog::objects::{Function, FunctionBody, Volatility};

fn load(sql: &str) -> Catalog {
    let mut cat = Catalog::new(15).unwrap();
    ddl::load(&mut cat, sql).unwrap();
    cat
}

fn function<'a>(cat: &'a Catalog, name: &str) -> &'a Function {
    cat.functions().find(|f| f.name == name).unwrap()
}

const DDL: &str = "
CREATE FUNCTION public.my_add(integer, integer) RETURNS integer IMMUTABLE LANGUAGE sql AS 'select $1 + $2';
CREATE FUNCTION f_dollar(a int) RETURNS int LANGUAGE sql STRICT STABLE AS $$ select a * 2 $$;
CREATE FUNCTION f_secdef(int) RETURNS int LANGUAGE sql SECURITY DEFINER AS 'select $1';
CREATE FUNCTION f_invoker(int) RETURNS int LANGUAGE sql SECURITY DEFINER SECURITY INVOKER AS 'select $1';
CREATE FUNCTION f_set(int) RETURNS int LANGUAGE sql SET search_path = public, pg_catalog SET work_mem TO '64MB' AS 'select $1';
CREATE FUNCTION f_set_default(int) RETURNS int LANGUAGE sql SET work_mem = '1MB' SET work_mem TO DEFAULT AS 'select $1';
CREATE FUNCTION f_return(a int, b int) RETURNS int IMMUTABLE RETURN a + b;
CREATE FUNCTION f_atomic(a int) RETURNS int BEGIN ATOMIC SELECT a + 1; END;
";

#[test]
fn create_function_keeps_what_inlining_needs() {
    let cat = load(DDL);
    let add = function(&cat, "my_add");
    assert_eq!(add.language, "sql");
    assert_eq!(
        add.body,
        Some(FunctionBody::Source("select $1 + $2".to_owned()))
    );
    assert_eq!(add.volatility, Volatility::Immutable);
    assert!(!add.strict && !add.security_definer && add.config.is_empty());

    let dollar = function(&cat, "f_dollar");
    assert_eq!(dollar.body.as_ref().unwrap().text(), " select a * 2 ");
    assert!(dollar.strict);
    assert_eq!(dollar.volatility, Volatility::Stable);

    assert!(function(&cat, "f_secdef").security_definer);
    assert!(!function(&cat, "f_invoker").security_definer);
    assert_eq!(
        function(&cat, "f_set").config,
        vec![
            "search_path=public, pg_catalog".to_owned(),
            "work_mem=64MB".to_owned()
        ]
    );
    // PostgreSQL drops an entry reset TO DEFAULT in the same statement.
    assert!(function(&cat, "f_set_default").config.is_empty());

    let ret = function(&cat, "f_return");
    assert_eq!(ret.language, "sql");
    assert_eq!(ret.body, Some(FunctionBody::Sql("RETURN a + b".to_owned())));
    let atomic = function(&cat, "f_atomic");
    assert_eq!(atomic.language, "sql");
    assert_eq!(
        atomic.body,
        Some(FunctionBody::Sql(
            "BEGIN ATOMIC SELECT a + 1; END".to_owned()
        ))
    );
}

#[test]
fn or_replace_replaces_the_body_and_options() {
    let cat = load(
        "CREATE FUNCTION f(int) RETURNS int LANGUAGE sql SECURITY DEFINER SET work_mem = '1MB' AS 'select $1';
         CREATE OR REPLACE FUNCTION f(int) RETURNS int LANGUAGE sql AS 'select $1 + 1';",
    );
    let f = function(&cat, "f");
    assert_eq!(
        f.body,
        Some(FunctionBody::Source("select $1 + 1".to_owned()))
    );
    assert!(!f.security_definer);
    assert!(f.config.is_empty());
}

#[test]
fn snapshot_round_trips_function_bodies() {
    let cat = load(DDL);
    let json = cat.to_snapshot_json().unwrap();
    assert!(json.contains("\"security_definer\": true"), "{json}");
    assert!(json.contains("\"sql\": \"RETURN a + b\""), "{json}");
    let back = Catalog::from_snapshot_json(&json).unwrap();
    assert_eq!(back, cat);
    assert_eq!(back.to_snapshot_json().unwrap(), json);
}

#[test]
fn snapshot_without_the_new_fields_still_reads() {
    let cat = load(DDL);
    let json = cat.to_snapshot_json().unwrap();
    // A snapshot written before functions kept their bodies: strip the
    // new fields and read it back; the functions read with no body.
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    for f in value["functions"].as_array_mut().unwrap() {
        let f = f.as_object_mut().unwrap();
        f.remove("body");
        f.remove("security_definer");
        f.remove("config");
    }
    let old = Catalog::from_snapshot_json(&value.to_string()).unwrap();
    let add = function(&old, "my_add");
    assert_eq!(add.body, None);
    assert!(!function(&old, "f_secdef").security_definer);
    assert!(function(&old, "f_set").config.is_empty());
}
