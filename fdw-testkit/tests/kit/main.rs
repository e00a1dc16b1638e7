//! The test kit's own tests: clusters, the oracle, and the spec's examples
//! against every installed PostgreSQL version.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers fail the test with the kit's error message"
)]

mod builtin_catalog;
mod cluster;
mod oracle;
mod spec;
