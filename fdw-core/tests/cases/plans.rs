//! Plans as the planner will emit them for two spec examples: V07 (a base
//! scan with every condition shipped) and an inner join pushed down whole.

use fdw_core::plan::{
    ForeignRelations, ForeignScan, ForeignScanKind, Limit, PlanKind, PlanNode, RemoteQuery,
};
use fdw_core::query::{CommandType, JoinType};
use fdw_core::{expr, AttrNumber, Oid, Plan, RelIndex};

use super::schema::*;

const SERVER: Oid = Oid(16_390);

fn foreign_scan(scan: ForeignScan) -> PlanNode {
    PlanNode::new(PlanKind::ForeignScan(scan))
}

fn v07_plan() -> Plan {
    let remote_quals = vec![
        binary(
            BPCHAR_GE,
            Oid(1052),
            DEFAULT_COLL,
            col(1, 7),
            constant(BPCHAR, DEFAULT_COLL, "1"),
        ),
        binary(INT4_EQ, Oid(65), Oid::INVALID, col(1, 1), int4(101)),
    ];
    let mut scan = foreign_scan(ForeignScan {
        kind: ForeignScanKind::Base,
        scan_relid: Some(RelIndex(1)),
        relids: vec![RelIndex(1)],
        relations: None,
        remote: std::sync::Arc::new(RemoteQuery {
            sql: concat!(
                r#"SELECT "C 1", c2, c3, c4, c5, c6, c7, c8 FROM "S 1"."T 1""#,
                r#" WHERE ((c7 >= '1')) AND (("C 1" = 101))"#
            )
            .to_owned(),
            params: Vec::new(),
            retrieved_attrs: (1..=8).map(AttrNumber).collect(),
            remote_quals: remote_quals.into_iter().map(std::sync::Arc::new).collect(),
            local_quals: Vec::new(),
        }),
        scan_tlist: Vec::new(),
        server: SERVER,
        user: None,
        fetch_size: 100,
    });
    scan.output = (1..=8).map(|n| col(1, n)).collect();
    Plan {
        command: CommandType::Select,
        root: scan,
        subplans: Vec::new(),
        rtable: vec![foreign_table(FT1, "ft1", Some("t1"))].into(),
    }
}

fn join_plan() -> PlanNode {
    // SELECT t1.c1, t2.c1 FROM ft1 t1 JOIN ft2 t2 ON t1.c1 = t2.c1 LIMIT 10,
    // the join pushed down and the LIMIT kept local.
    let join_qual = binary(INT4_EQ, Oid(65), Oid::INVALID, col(1, 1), col(2, 1));
    let mut scan = foreign_scan(ForeignScan {
        kind: ForeignScanKind::Join,
        scan_relid: None,
        relids: vec![RelIndex(1), RelIndex(2)],
        relations: Some(ForeignRelations::Join {
            join_type: JoinType::Inner,
            outer: Box::new(ForeignRelations::Base(RelIndex(1))),
            inner: Box::new(ForeignRelations::Base(RelIndex(2))),
        }),
        remote: std::sync::Arc::new(RemoteQuery {
            sql: concat!(
                r#"SELECT r1."C 1", r2."C 1" FROM ("S 1"."T 1" r1 INNER JOIN"#,
                r#" "S 1"."T 1" r2 ON (((r1."C 1" = r2."C 1"))))"#
            )
            .to_owned(),
            params: Vec::new(),
            retrieved_attrs: vec![AttrNumber(1), AttrNumber(2)],
            remote_quals: vec![std::sync::Arc::new(join_qual)],
            local_quals: Vec::new(),
        }),
        scan_tlist: Vec::new(),
        server: SERVER,
        user: None,
        fetch_size: 100,
    });
    scan.output = vec![col(1, 1), col(2, 1)];
    let mut limit = PlanNode::new(PlanKind::Limit(Limit {
        count: Some(constant(INT8, Oid::INVALID, "10")),
        offset: None,
        with_ties: false,
        input: Box::new(scan),
    }));
    limit.output = vec![col(1, 1), col(2, 1)];
    limit
}

#[test]
fn base_scan_keeps_remote_sql_and_ships_every_condition() {
    let plan = v07_plan();
    let queries = plan.root.remote_queries();
    assert_eq!(queries.len(), 1);
    assert!(queries[0]
        .sql
        .ends_with(r#"WHERE ((c7 >= '1')) AND (("C 1" = 101))"#));
    assert!(queries[0].local_quals.is_empty());
    assert!(queries[0].params.is_empty());
}

#[test]
fn base_scan_output_needs_the_retrieved_columns() {
    let plan = v07_plan();
    let PlanKind::ForeignScan(scan) = &plan.root.kind else {
        panic!("expected a ForeignScan, got {:?}", plan.root.kind);
    };
    let needed: Vec<AttrNumber> = expr::pull_var_refs(&plan.root.output)
        .unwrap()
        .into_iter()
        .map(|(_, attno)| attno)
        .collect();
    assert_eq!(needed, scan.remote.retrieved_attrs);
}

#[test]
fn join_scan_describes_its_relations_as_a_tree() {
    let limit = join_plan();
    let children = limit.children();
    let PlanKind::ForeignScan(scan) = &children[0].kind else {
        panic!("expected a ForeignScan under the Limit");
    };
    assert_eq!(scan.scan_relid, None);
    let Some(ForeignRelations::Join {
        join_type,
        outer,
        inner,
    }) = &scan.relations
    else {
        panic!("expected a join description, got {:?}", scan.relations);
    };
    assert_eq!(*join_type, JoinType::Inner);
    assert_eq!(**outer, ForeignRelations::Base(RelIndex(1)));
    assert_eq!(**inner, ForeignRelations::Base(RelIndex(2)));
    let join_vars = expr::pull_var_refs(scan.remote.remote_quals.iter().map(|q| &**q)).unwrap();
    assert_eq!(
        join_vars,
        [(RelIndex(1), AttrNumber(1)), (RelIndex(2), AttrNumber(1))]
    );
}

#[test]
fn plans_compare_structurally() {
    assert_eq!(join_plan(), join_plan());
    let mut costed = join_plan();
    costed.cost = Some(fdw_core::plan::Cost {
        startup: 100.0,
        total: 100.34,
        rows: 10.0,
        width: 8,
    });
    assert_ne!(costed, join_plan());
}
