//! The test cases, one module per scenario, sharing the schema helpers.

mod grouping;
mod plans;
mod schema;
mod where_clause;
