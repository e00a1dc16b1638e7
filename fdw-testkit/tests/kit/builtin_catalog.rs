//! The embedded built-in catalog against a live PostgreSQL 15: every row of
//! the running server's `pg_operator`, non-aggregate `pg_proc` and `pg_type`,
//! looked up by name and argument types in `fdw_catalog`'s embedded data,
//! must come back with the server's oid and attributes. (The catalog crate
//! checks the same against a fixture written at generation time; this test
//! catches a server that has moved on since the data was generated.)

use fdw_catalog::builtin::{BuiltinCatalog, Volatility};
use fdw_core::Oid;
use fdw_testkit::psql::{Step, Table};
use fdw_testkit::Cluster;

fn query(cluster: &Cluster, db: &str, sql: &str) -> Table {
    let mut outcomes = cluster.run(db, &[Step::Sql(sql.to_string())]).unwrap();
    outcomes.remove(0).unwrap()
}

fn oid(text: &Option<String>) -> Oid {
    Oid(text.as_deref().unwrap().parse().unwrap())
}

fn oids(text: &Option<String>) -> Vec<Oid> {
    text.as_deref()
        .unwrap()
        .split_whitespace()
        .map(|t| Oid(t.parse().unwrap()))
        .collect()
}

fn text(value: &Option<String>) -> &str {
    value.as_deref().unwrap()
}

/// Looks every live row up; returns (rows checked, mismatches).
fn compare(cluster: &Cluster, db: &str, builtin: &BuiltinCatalog) -> (usize, Vec<String>) {
    let mut checked = 0;
    let mut mismatches = Vec::new();

    let operators = query(
        cluster,
        db,
        "SELECT oid, oprname, oprnamespace, oprleft, oprright, oprresult, oprcode::oid \
         FROM pg_operator ORDER BY oid",
    );
    for row in &operators.rows {
        checked += 1;
        let (want, name) = (oid(&row[0]), text(&row[1]));
        match builtin.operator_by_signature(oid(&row[2]), name, oid(&row[3]), oid(&row[4])) {
            Some(op) if op.oid == want && op.result == oid(&row[5]) && op.code == oid(&row[6]) => {}
            Some(op) => mismatches.push(format!(
                "operator {name} (oid {want}): embedded has oid {} result {} code {}",
                op.oid, op.result, op.code
            )),
            None => mismatches.push(format!("operator {name} (oid {want}) not found")),
        }
    }

    let procs = query(
        cluster,
        db,
        "SELECT oid, proname, pronamespace, proargtypes, prorettype, provolatile, proisstrict \
         FROM pg_proc WHERE prokind <> 'a' ORDER BY oid",
    );
    for row in &procs.rows {
        checked += 1;
        let (want, name) = (oid(&row[0]), text(&row[1]));
        let volatility = match text(&row[5]) {
            "i" => Volatility::Immutable,
            "s" => Volatility::Stable,
            _ => Volatility::Volatile,
        };
        match builtin.proc_by_signature(oid(&row[2]), name, &oids(&row[3])) {
            Some(p)
                if p.oid == want
                    && p.return_type == oid(&row[4])
                    && p.volatility == volatility
                    && p.strict == (text(&row[6]) == "t") => {}
            Some(p) => mismatches.push(format!(
                "function {name} (oid {want}): embedded has oid {} returning {} {:?} strict {}",
                p.oid, p.return_type, p.volatility, p.strict
            )),
            None => mismatches.push(format!("function {name} (oid {want}) not found")),
        }
    }

    let types = query(
        cluster,
        db,
        "SELECT oid, typname, typnamespace, typelem, typarray FROM pg_type \
         WHERE oid < 16384 ORDER BY oid",
    );
    for row in &types.rows {
        checked += 1;
        let (want, name) = (oid(&row[0]), text(&row[1]));
        match builtin.type_by_name(oid(&row[2]), name) {
            Some(t) if t.oid == want && t.elem == oid(&row[3]) && t.array == oid(&row[4]) => {}
            Some(t) => mismatches.push(format!(
                "type {name} (oid {want}): embedded has oid {} elem {} array {}",
                t.oid, t.elem, t.array
            )),
            None => mismatches.push(format!("type {name} (oid {want}) not found")),
        }
    }

    // Nothing embedded that the server lacks: the counts agree too.
    let embedded_procs = builtin
        .procs()
        .iter()
        .filter(|p| p.kind != fdw_catalog::builtin::ProcKind::Aggregate)
        .count();
    if embedded_procs != procs.rows.len() {
        mismatches.push(format!(
            "{embedded_procs} embedded non-aggregate functions, {} on the server",
            procs.rows.len()
        ));
    }
    if builtin.operators().len() != operators.rows.len() {
        mismatches.push(format!(
            "{} embedded operators, {} on the server",
            builtin.operators().len(),
            operators.rows.len()
        ));
    }
    (checked, mismatches)
}

#[test]
fn embedded_pg15_catalog_matches_the_live_server() {
    let cluster = Cluster::shared(15).unwrap();
    let db = cluster.create_database("builtin_catalog").unwrap();
    let builtin = BuiltinCatalog::for_major(15).unwrap();
    let (checked, mismatches) = compare(cluster, &db, builtin);
    eprintln!(
        "builtin catalog: {checked} live PostgreSQL {} rows looked up, {} mismatches",
        cluster.install().version,
        mismatches.len()
    );
    assert!(
        checked > 4_000,
        "only {checked} rows came back from the server"
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
