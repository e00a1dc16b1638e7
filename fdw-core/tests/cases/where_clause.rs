//! `SELECT * FROM ft1 t1 WHERE t1.c1 = 101 AND t1.c6 = '1' AND t1.c7 >= '1'`
//! (spec V07), whose remote SQL is
//! `... WHERE ((c7 >= '1')) AND (("C 1" = 101)) AND ((c6 = '1'))`.

use fdw_core::expr::{self, BoolExpr, BoolExprType, Expr, ExprList, Visit};
use fdw_core::query::{FromExpr, JoinTreeNode, Query, TargetEntry};
use fdw_core::{AttrNumber, Oid, RelIndex};

use super::schema::*;

/// The three conditions in the order the planner hands them to the deparser.
fn conditions() -> [Expr; 3] {
    [
        // c7 >= '1': bpchar >= bpchar, the constant typed bpchar.
        binary(
            BPCHAR_GE,
            Oid(1052),
            DEFAULT_COLL,
            col(1, 7),
            constant(BPCHAR, DEFAULT_COLL, "1"),
        ),
        // "C 1" = 101
        binary(INT4_EQ, Oid(65), Oid::INVALID, col(1, 1), int4(101)),
        // c6 = '1': varchar has no `=`, so c6 is relabeled to text.
        binary(
            TEXT_EQ,
            Oid(67),
            DEFAULT_COLL,
            implicit_to_text(col(1, 6)),
            constant(TEXT, DEFAULT_COLL, "1"),
        ),
    ]
}

fn v07() -> Query {
    let target_list = (1..=8)
        .map(|n| TargetEntry {
            expr: col(1, n),
            resno: AttrNumber(n),
            resname: Some(format!("c{n}")),
            ressortgroupref: 0,
            resjunk: false,
        })
        .collect();
    let [c7, c1, c6] = conditions();
    // As written: c1 = 101 AND c6 = '1' AND c7 >= '1'.
    let quals = Expr::BoolExpr(Box::new(BoolExpr {
        boolop: BoolExprType::And,
        args: ExprList::from_vec(vec![c1, c6, c7]),
    }));
    Query {
        rtable: vec![foreign_table(FT1, "ft1", Some("t1"))],
        jointree: FromExpr {
            fromlist: vec![JoinTreeNode::RangeTblRef(RelIndex(1))],
            quals: Some(quals),
        },
        target_list,
        ..Query::default()
    }
}

/// The conjuncts of a top-level `AND`, as the planner splits them.
fn conjuncts(qual: &Expr) -> Vec<&Expr> {
    match qual {
        Expr::BoolExpr(bool_expr) if bool_expr.boolop == BoolExprType::And => {
            bool_expr.args.iter().collect()
        }
        other => vec![other],
    }
}

#[test]
fn conditions_are_boolean_and_collation_free() {
    for cond in conditions() {
        assert_eq!(cond.type_oid(), Oid::BOOL_TYPE);
        assert_eq!(cond.typmod(), -1);
        assert_eq!(cond.collation(), Oid::INVALID);
    }
}

#[test]
fn text_comparisons_carry_the_default_input_collation() {
    let inputs: Vec<Oid> = conditions().iter().map(Expr::input_collation).collect();
    assert_eq!(inputs, [DEFAULT_COLL, Oid::INVALID, DEFAULT_COLL]);
}

#[test]
fn quals_mention_columns_in_written_order() {
    let query = v07();
    let quals = query.jointree.quals.as_ref().unwrap();
    let refs = expr::pull_var_refs(conjuncts(quals)).unwrap();
    assert_eq!(
        refs,
        [
            (RelIndex(1), AttrNumber(1)),
            (RelIndex(1), AttrNumber(6)),
            (RelIndex(1), AttrNumber(7)),
        ]
    );
}

#[test]
fn target_list_and_quals_together_need_every_column_once() {
    let query = v07();
    let exprs = query
        .target_list
        .iter()
        .map(|tle| &tle.expr)
        .chain(query.jointree.quals.iter());
    let refs = expr::pull_var_refs(exprs).unwrap();
    let attnos: Vec<i16> = refs.iter().map(|(_, attno)| attno.0).collect();
    assert_eq!(attnos, [1, 2, 3, 4, 5, 6, 7, 8]);
}

#[test]
fn c6_is_a_plain_column_once_implicit_casts_are_stripped() {
    // The const-cast suppression rule (spec §2.7.5) looks through an
    // implicit RelabelType to find a plain foreign Var.
    let [_, _, c6] = conditions();
    let Expr::OpExpr(op) = &c6 else {
        panic!("expected an OpExpr, got {c6:?}");
    };
    let left = &op.args[0];
    assert_eq!(left.type_oid(), TEXT);
    let stripped = expr::strip_implicit_coercions(left);
    assert_eq!(stripped, &col(1, 6));
    assert_eq!(stripped.typmod(), 14);
    // Both operands have the operator's input type, as the rule requires.
    assert_eq!(op.args[0].type_oid(), op.args[1].type_oid());
}

#[test]
fn walker_finds_nothing_a_base_scan_cannot_ship() {
    // None of the node kinds postgres_fdw refuses outright appears.
    let query = v07();
    let quals = query.jointree.quals.as_ref().unwrap();
    let refused = expr::any_node(quals, |node| {
        matches!(
            node,
            Expr::SubLink(_)
                | Expr::CoalesceExpr(_)
                | Expr::BooleanTest(_)
                | Expr::Aggref(_)
                | Expr::WindowFunc(_)
        )
    })
    .unwrap();
    assert!(!refused);
    assert!(!expr::contains_aggregate(quals).unwrap());
}

#[test]
fn walk_sees_every_node_of_the_and() {
    let query = v07();
    let quals = query.jointree.quals.as_ref().unwrap();
    let mut n_nodes = 0;
    let mut n_consts = 0;
    let flow = expr::walk(quals, |node| {
        n_nodes += 1;
        if matches!(node, Expr::Const(_)) {
            n_consts += 1;
        }
        Visit::Descend
    })
    .unwrap();
    assert!(flow.is_continue());
    // AND, three OpExprs, three Vars, one RelabelType, three Consts.
    assert_eq!((n_nodes, n_consts), (11, 3));
}
