//! `SELECT c2, count(*) FROM ft1 GROUP BY c2 HAVING sum(c1) > 100 ORDER BY c2`:
//! the shape aggregate pushdown (spec §3.8) inspects.

use fdw_core::expr::{self, AggKind, AggSplit, Aggref, Expr, ExprList};
use fdw_core::query::{FromExpr, JoinTreeNode, Query, SortGroupClause, TargetEntry};
use fdw_core::{AttrNumber, Oid, RelIndex};

use super::schema::*;

fn aggregate(aggfnoid: Oid, arg: Option<Expr>) -> Expr {
    let aggstar = arg.is_none();
    let args = arg
        .into_iter()
        .map(|expr| TargetEntry {
            expr,
            resno: AttrNumber(1),
            resname: None,
            ressortgroupref: 0,
            resjunk: false,
        })
        .collect();
    Expr::Aggref(Box::new(Aggref {
        aggfnoid,
        aggtype: INT8,
        aggcollid: Oid::INVALID,
        inputcollid: Oid::INVALID,
        aggtranstype: INT8,
        aggargtypes: if aggstar { Vec::new() } else { vec![INT4] },
        aggdirectargs: ExprList::new(),
        args,
        aggorder: Vec::new(),
        aggdistinct: Vec::new(),
        aggfilter: None,
        aggstar,
        aggvariadic: false,
        aggkind: AggKind::Normal,
        agglevelsup: 0,
        aggsplit: AggSplit::Simple,
        aggno: None,
        aggtransno: None,
    }))
}

fn grouped_query() -> Query {
    let group_c2 = SortGroupClause {
        tle_sort_group_ref: 1,
        eqop: INT4_EQ,
        sortop: Oid(97),
        nulls_first: false,
        hashable: true,
    };
    let having = binary(
        Oid(419),
        Oid(476),
        Oid::INVALID,
        aggregate(Oid(2108), Some(col(1, 1))),
        int4(100),
    );
    Query {
        rtable: vec![foreign_table(FT1, "ft1", None)],
        jointree: FromExpr {
            fromlist: vec![JoinTreeNode::RangeTblRef(RelIndex(1))],
            quals: None,
        },
        target_list: vec![
            TargetEntry {
                expr: col(1, 2),
                resno: AttrNumber(1),
                resname: Some("c2".to_owned()),
                ressortgroupref: 1,
                resjunk: false,
            },
            TargetEntry {
                expr: aggregate(Oid(2803), None),
                resno: AttrNumber(2),
                resname: Some("count".to_owned()),
                ressortgroupref: 0,
                resjunk: false,
            },
        ],
        group_clause: vec![group_c2.clone()],
        having_qual: Some(having),
        sort_clause: vec![group_c2],
        ..Query::default()
    }
}

#[test]
fn group_by_and_order_by_point_at_the_same_column() {
    let query = grouped_query();
    let group = query.sort_group_target(&query.group_clause[0]).unwrap();
    let order = query.sort_group_target(&query.sort_clause[0]).unwrap();
    assert_eq!(group, order);
    assert_eq!(group.expr, col(1, 2));
}

#[test]
fn aggregates_are_found_in_output_and_having_only() {
    let query = grouped_query();
    let with_aggregates: Vec<bool> = query
        .target_list
        .iter()
        .map(|tle| expr::contains_aggregate(&tle.expr).unwrap())
        .collect();
    assert_eq!(with_aggregates, [false, true]);
    assert!(expr::contains_aggregate(query.having_qual.as_ref().unwrap()).unwrap());
}

#[test]
fn columns_inside_aggregates_are_pulled() {
    let query = grouped_query();
    let refs = expr::pull_var_refs(
        query
            .target_list
            .iter()
            .map(|tle| &tle.expr)
            .chain(query.having_qual.iter()),
    )
    .unwrap();
    assert_eq!(
        refs,
        [(RelIndex(1), AttrNumber(2)), (RelIndex(1), AttrNumber(1))]
    );
}

#[test]
fn count_star_has_no_children_and_bigint_type() {
    let count = aggregate(Oid(2803), None);
    assert!(count.children().is_empty());
    assert_eq!(count.type_oid(), INT8);
    assert!(!expr::expression_returns_set(&count).unwrap());
}
