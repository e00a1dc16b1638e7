//! The query generator: determinism, shrinking, quoting, coverage, and that
//! real PostgreSQL 15 with postgres_fdw accepts what it generates.

use std::cell::RefCell;
use std::collections::BTreeSet;

use fdw_testkit::gen::{
    generate_queries, generate_scenario, generate_schema, query_strategy, quote_ident, Feature,
    GenConfig, GeneratedQuery, QueryConfig, Scenario, SchemaConfig, Servers,
};
use fdw_testkit::oracle::{Oracle, LOOPBACK};
use fdw_testkit::psql::Step;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};

/// Name of the server with `extensions 'cube'` the tests create.
const EXT_SERVER: &str = "loopback_ext";

fn mixed_config(max_rows: usize) -> GenConfig {
    GenConfig {
        max_rows,
        ..GenConfig::default()
    }
}

#[test]
fn same_seed_gives_same_scenario() {
    let config = mixed_config(50);
    let a = generate_scenario(7, &config, 200).unwrap();
    let b = generate_scenario(7, &config, 200).unwrap();
    assert_eq!(a, b);
    let servers = Servers {
        main: LOOPBACK,
        extension: Some(EXT_SERVER),
    };
    assert_eq!(a.schema.local_ddl(servers), b.schema.local_ddl(servers));
    let c = generate_scenario(8, &config, 200).unwrap();
    assert_ne!(a.queries, c.queries);
    assert_ne!(a.data, c.data);
}

#[test]
fn generates_two_thousand_queries_deterministically() {
    let schema = generate_schema(11, &SchemaConfig::default()).unwrap();
    let config = QueryConfig::default();
    let first = generate_queries(11, &schema, &config, 2000).unwrap();
    let again = generate_queries(11, &schema, &config, 2000).unwrap();
    assert_eq!(first.len(), 2000);
    assert_eq!(first, again);
    let distinct: BTreeSet<&str> = first.iter().map(|q| q.sql.as_str()).collect();
    assert!(
        distinct.len() > 1800,
        "only {} distinct queries",
        distinct.len()
    );
}

#[test]
fn every_feature_occurs_in_a_mixed_workload() {
    let mut seen = BTreeSet::new();
    for seed in 0..4 {
        let scenario = generate_scenario(seed, &mixed_config(50), 1000).unwrap();
        for q in &scenario.queries {
            seen.extend(q.features.iter().copied());
        }
    }
    let missing: Vec<&Feature> = Feature::ALL.iter().filter(|f| !seen.contains(f)).collect();
    assert!(missing.is_empty(), "never generated: {missing:?}");
}

#[test]
fn metadata_matches_sql() {
    let scenario = generate_scenario(3, &mixed_config(50), 500).unwrap();
    for q in &scenario.queries {
        let upper = q.sql.to_uppercase();
        assert_eq!(q.is_dml(), !q.sql.starts_with("SELECT"), "{}", q.sql);
        assert_eq!(q.single_table, q.relations.len() == 1, "{q:?}");
        assert_eq!(q.ordered, q.features.contains(&Feature::OrderBy), "{q:?}");
        if q.features.contains(&Feature::FullJoin) {
            assert!(upper.contains("FULL JOIN"), "{}", q.sql);
        }
        if q.features.contains(&Feature::Limit) {
            assert!(q.sql.contains(" LIMIT "), "{}", q.sql);
        }
        for rel in &q.relations {
            assert!(q.sql.contains(&quote_ident(rel)), "{rel} not in {}", q.sql);
        }
    }
}

#[test]
fn single_table_config_generates_single_table_selects() {
    let schema = generate_schema(5, &SchemaConfig::default()).unwrap();
    let queries = generate_queries(5, &schema, &QueryConfig::single_table_only(), 300).unwrap();
    assert!(queries.iter().all(|q| q.single_table && !q.is_dml()));
}

#[test]
fn identifiers_needing_quoting_are_quoted_in_ddl_and_queries() {
    let mut awkward = BTreeSet::new();
    for seed in 0..40 {
        let scenario = generate_scenario(seed, &mixed_config(5), 30).unwrap();
        let ddl = scenario.schema.local_ddl(Servers {
            main: LOOPBACK,
            extension: None,
        });
        let remote = scenario.schema.remote_ddl();
        for table in &scenario.schema.tables {
            let create = ddl
                .iter()
                .find(|s| {
                    s.starts_with(&format!(
                        "CREATE FOREIGN TABLE {} (",
                        quote_ident(&table.name)
                    ))
                })
                .unwrap_or_else(|| panic!("no DDL for {:?}", table.name));
            for col in &table.columns {
                assert!(
                    create.contains(&format!("{} ", quote_ident(&col.name))),
                    "{create}"
                );
                if needs_quotes(&col.name) {
                    awkward.insert(col.name.clone());
                    assert!(
                        create.contains(&format!("\"{}\"", col.name.replace('"', "\"\""))),
                        "{create}"
                    );
                }
            }
            assert!(
                remote
                    .iter()
                    .any(|s| s.starts_with(&format!("CREATE TABLE {} (", table.remote_sql_name()))),
                "{remote:?}"
            );
        }
        for q in &scenario.queries {
            assert!(!q.sql.contains("\"\"\"\"\""), "{}", q.sql);
        }
    }
    for expected in ["user", "Mixed Case", "col\"q", "ümlaut", "order", "1abc"] {
        assert!(
            awkward.contains(expected),
            "never generated column {expected:?}: {awkward:?}"
        );
    }
    assert_eq!(quote_ident("col\"q"), "\"col\"\"q\"");
    assert_eq!(quote_ident("Mixed Case"), "\"Mixed Case\"");
    assert_eq!(quote_ident("from"), "\"from\"");
    assert_eq!(quote_ident("value"), "value");
    assert_eq!(quote_ident("ümlaut"), "\"ümlaut\"");
}

/// Independent restatement of `quote_identifier`'s rule for the names the
/// generator uses.
fn needs_quotes(name: &str) -> bool {
    let reserved = ["user", "order", "from", "select", "end"];
    !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        || name.starts_with(|c: char| c.is_ascii_digit())
        || reserved.contains(&name)
}

#[test]
fn shrinking_finds_a_small_counterexample() {
    let schema = generate_schema(21, &SchemaConfig::default()).unwrap();
    let strategy = query_strategy(&schema, &QueryConfig::single_table_only());
    let first_failure: RefCell<Option<GeneratedQuery>> = RefCell::new(None);
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: 500,
            max_shrink_iters: 100_000,
            failure_persistence: None,
            ..Config::default()
        },
        fdw_testkit::gen::seeded_runner(21, 9).new_rng(),
    );
    // A property that fails on any query with a WHERE clause: the shrunk
    // query must still have one, but nothing else of the first failure's
    // clutter (ORDER BY, LIMIT, long select lists, deep conditions).
    let result = runner.run(&strategy, |q| {
        if q.features.contains(&Feature::Where) {
            first_failure.borrow_mut().get_or_insert_with(|| q.clone());
            return Err(TestCaseError::fail("has WHERE"));
        }
        Ok(())
    });
    let Err(TestError::Fail(_, minimal)) = result else {
        panic!("property did not fail: {result:?}");
    };
    let first = first_failure.borrow().clone().unwrap();
    assert!(
        minimal.features.contains(&Feature::Where),
        "{}",
        minimal.sql
    );
    assert!(
        !minimal.ordered && !minimal.features.contains(&Feature::Limit),
        "{}",
        minimal.sql
    );
    assert!(
        minimal.sql.len() < first.sql.len() && minimal.sql.len() < 120,
        "not shrunk: {} (first failure: {})",
        minimal.sql,
        first.sql
    );
}

/// Creates the scenario's objects in a fresh oracle.
fn set_up(oracle: &Oracle, scenario: &Scenario) -> anyhow::Result<()> {
    oracle.create_server(EXT_SERVER, &[("extensions", "cube")])?;
    let remote: Vec<String> = scenario
        .schema
        .remote_ddl()
        .into_iter()
        .chain(scenario.data.remote.iter().cloned())
        .collect();
    oracle.exec_remote(&(remote.join(";\n") + ";"))?;
    let local: Vec<String> = scenario
        .schema
        .local_ddl(Servers {
            main: LOOPBACK,
            extension: Some(EXT_SERVER),
        })
        .into_iter()
        .chain(scenario.data.local.iter().cloned())
        .collect();
    oracle.exec_local(&(local.join(";\n") + ";"))
}

/// Runs every query in one session (DML inside BEGIN/ROLLBACK) and returns
/// the rejected ones with PostgreSQL's error.
fn run_all(oracle: &Oracle, queries: &[GeneratedQuery]) -> anyhow::Result<Vec<(String, String)>> {
    let mut steps = vec![Step::Sql("SET statement_timeout = '20s'".into())];
    let mut index = Vec::new();
    for (i, q) in queries.iter().enumerate() {
        if q.is_dml() {
            steps.push(Step::Sql("BEGIN".into()));
            index.push(None);
        }
        steps.push(Step::Sql(q.sql.clone()));
        index.push(Some(i));
        if q.is_dml() {
            steps.push(Step::Sql("ROLLBACK".into()));
            index.push(None);
        }
    }
    let outcomes = oracle.cluster().run(oracle.local_db(), &steps)?;
    anyhow::ensure!(
        outcomes.len() == steps.len(),
        "psql answered {} of {} steps",
        outcomes.len(),
        steps.len()
    );
    let mut rejected = Vec::new();
    for (outcome, idx) in outcomes.iter().skip(1).zip(&index) {
        if let (Err(err), Some(i)) = (outcome, idx) {
            rejected.push((queries[*i].sql.clone(), err.to_string()));
        }
    }
    Ok(rejected)
}

#[test]
fn postgres_accepts_generated_queries() {
    let config = mixed_config(30);
    let mut total = 0;
    let mut rejected = Vec::new();
    let mut statements = BTreeSet::new();
    for seed in 0..5u64 {
        let scenario = generate_scenario(1000 + seed, &config, 100).unwrap();
        let oracle = Oracle::new(15).unwrap();
        set_up(&oracle, &scenario).unwrap();
        total += scenario.queries.len();
        statements.extend(scenario.queries.iter().map(|q| q.statement));
        rejected.extend(run_all(&oracle, &scenario.queries).unwrap());
    }
    assert_eq!(total, 500);
    assert_eq!(statements.len(), 4, "{statements:?}");
    assert!(
        rejected.is_empty(),
        "{} of {total} generated queries were rejected:\n{}",
        rejected.len(),
        rejected
            .iter()
            .map(|(sql, err)| format!("{err}\n    {sql}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}
