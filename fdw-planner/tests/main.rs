//! fdw-planner's tests, one binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod costs;
mod differential;
mod explain_exprs;
mod fold_oracle;
mod inline_oracle;
mod join_costs;
mod local_costs;
mod ordering;
mod properties;
