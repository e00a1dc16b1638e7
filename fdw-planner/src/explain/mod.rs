//! EXPLAIN-style text: expressions as PostgreSQL's `ruleutils.c` prints them
//! in `Output:` and `Filter:` lines.

pub mod ruleutils;

pub use ruleutils::{
    deparse_for_explain, deparse_qual_for_explain, deparse_tlist_for_explain, ExplainError,
    ExplainExprOptions, RangeName, RangeNames,
};
