//! The oracle answers plans, rows, errors and remote statements.

use fdw_testkit::{CostsMode, Oracle};

fn oracle() -> Oracle {
    let oracle = Oracle::new(15).unwrap();
    oracle
        .exec_remote(
            "CREATE TABLE t (id int PRIMARY KEY, x text, f float8);
             INSERT INTO t SELECT g, 'v' || g, g / 3.0 FROM generate_series(1, 10) g;
             INSERT INTO t VALUES (11, NULL, NULL), (12, '', 0.1);",
        )
        .unwrap();
    oracle
        .exec_local(
            "CREATE FOREIGN TABLE ft (id int, x text, f float8) SERVER loopback OPTIONS (table_name 't')",
        )
        .unwrap();
    oracle
}

#[test]
fn explain_shows_remote_sql() {
    let oracle = oracle();
    let explain = oracle
        .explain("SELECT id FROM ft WHERE id = 3", CostsMode::Off)
        .unwrap()
        .unwrap();
    assert_eq!(
        explain.remote_sql(),
        vec!["SELECT id FROM public.t WHERE ((id = 3))"]
    );
    let explain = oracle
        .explain("SELECT id FROM ft WHERE id = 3", CostsMode::On)
        .unwrap()
        .unwrap();
    let costs = explain.root.costs.clone().unwrap();
    assert!(
        costs.total >= costs.startup && costs.startup >= 100.0,
        "{costs:?}"
    );
}

#[test]
fn rows_keep_types_nulls_and_float_digits() {
    let oracle = oracle();
    let rows = oracle
        .rows("SELECT id, x, f FROM ft WHERE id IN (1, 11, 12) ORDER BY id")
        .unwrap()
        .unwrap();
    assert_eq!(
        rows.columns,
        vec![
            ("id".to_owned(), "integer".to_owned()),
            ("x".to_owned(), "text".to_owned()),
            ("f".to_owned(), "double precision".to_owned())
        ]
    );
    let s = |v: &str| Some(v.to_owned());
    assert_eq!(
        rows.rows,
        vec![
            vec![s("1"), s("v1"), s("0.3333333333333333")],
            vec![s("11"), None, None],
            vec![s("12"), s(""), s("0.1")],
        ]
    );
}

#[test]
fn errors_come_back_with_sqlstate() {
    let oracle = oracle();
    let err = oracle.rows("SELECT nope FROM ft").unwrap().unwrap_err();
    assert_eq!(err.sqlstate, "42703");
    assert_eq!(err.message, "column \"nope\" does not exist");
    let err = oracle
        .explain("SELEC 1", CostsMode::Off)
        .unwrap()
        .unwrap_err();
    assert_eq!(err.sqlstate, "42601");
}

#[test]
fn received_statements_show_cursor_protocol() {
    let oracle = oracle();
    let received = oracle.received("SELECT id FROM ft WHERE id < 3").unwrap();
    assert_eq!(received.outcomes.len(), 1);
    assert_eq!(
        received.statements,
        vec![
            "LOG:  statement: SET search_path = pg_catalog",
            "LOG:  statement: SET timezone = 'GMT'",
            "LOG:  statement: SET datestyle = ISO",
            "LOG:  statement: SET intervalstyle = postgres",
            "LOG:  statement: SET extra_float_digits = 3",
            "LOG:  statement: START TRANSACTION ISOLATION LEVEL REPEATABLE READ",
            "LOG:  execute <unnamed>: DECLARE c1 CURSOR FOR\n\tSELECT id FROM public.t WHERE ((id < 3))",
            "LOG:  statement: FETCH 100 FROM c1",
            "LOG:  statement: CLOSE c1",
            "LOG:  statement: COMMIT TRANSACTION",
        ]
    );
}
