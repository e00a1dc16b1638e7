//! Condition order and pruning on the spec's schema, without the oracle
//! (spec §1.6 and V011 give the verified orders).

use fdw_catalog::catalog::Catalog;
use fdw_core::plan::PlanKind;
use fdw_deparse::PostgresDialect;

const FAKE_LOOPBACK: &str = "host 'localhost', port '5432', dbname 'fdw_remote'";

fn catalog() -> Catalog {
    let mut catalog = Catalog::new(15).unwrap();
    fdw_catalog::ddl::load(
        &mut catalog,
        "CREATE EXTENSION postgres_fdw;
         CREATE SERVER loopback FOREIGN DATA WRAPPER postgres_fdw OPTIONS (dbname 'fdw_remote');
         CREATE USER MAPPING FOR CURRENT_USER SERVER loopback;",
    )
    .unwrap();
    let local = fdw_testkit::spec::LOCAL_SCHEMA.replace("{loopback}", FAKE_LOOPBACK);
    fdw_catalog::ddl::load(&mut catalog, &local).unwrap();
    catalog
}

fn remote_sql(sql: &str) -> Vec<String> {
    let catalog = catalog();
    let dialect = PostgresDialect::new(15).unwrap();
    let prepared = fdw_sql::prepare_query(&catalog, sql, &[]).unwrap();
    let planned = fdw_planner::plan_query::plan_query(&catalog, &dialect, &prepared).unwrap();
    planned
        .plan
        .root
        .remote_queries()
        .into_iter()
        .map(|q| q.sql.clone())
        .collect()
}

#[test]
fn equivalence_class_conditions_follow_the_others() {
    assert_eq!(
        remote_sql("SELECT * FROM ft1 t1 WHERE t1.c1 = 101 AND t1.c6 = '1' AND t1.c7 >= '1'"),
        [
            r#"SELECT "C 1", c2, c3, c4, c5, c6, c7, c8 FROM "S 1"."T 1" WHERE ((c7 >= '1')) AND (("C 1" = 101)) AND ((c6 = '1'))"#
        ]
    );
}

#[test]
fn cheaper_conditions_come_first() {
    assert_eq!(
        remote_sql(
            "SELECT c1 FROM ft1 WHERE c1 % 2 = 0 AND abs(c2) > 1 AND c3 LIKE 'A%' AND @c1 = 1"
        ),
        [
            r#"SELECT "C 1" FROM "S 1"."T 1" WHERE ((c3 ~~ 'A%')) AND ((abs(c2) > 1)) AND ((("C 1" % 2) = 0)) AND (((@ "C 1") = 1))"#
        ]
    );
}

#[test]
fn local_conditions_stay_in_the_filter() {
    let catalog = catalog();
    let dialect = PostgresDialect::new(15).unwrap();
    let prepared = fdw_sql::prepare_query(
        &catalog,
        "SELECT c1 FROM ft1 WHERE c2 = 1 AND c3 = now()::text",
        &[],
    )
    .unwrap();
    let planned = fdw_planner::plan_query::plan_query(&catalog, &dialect, &prepared).unwrap();
    let PlanKind::ForeignScan(scan) = &planned.plan.root.kind else {
        panic!("expected a foreign scan, got {:?}", planned.plan.root.kind);
    };
    assert_eq!(scan.remote.local_quals.len(), 1);
    assert_eq!(
        scan.remote.sql,
        r#"SELECT "C 1", c3 FROM "S 1"."T 1" WHERE ((c2 = 1))"#
    );
    assert_eq!(planned.not_pushed.len(), 1);
    assert_eq!(planned.not_pushed[0].1.len(), 1);
}
