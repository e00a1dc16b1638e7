//! fdw-planner's tests, one binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod explain_exprs;
