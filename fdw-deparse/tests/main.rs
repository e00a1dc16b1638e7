//! Integration tests of fdw-deparse: one binary (style.md §2).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "helpers outside #[test] functions fail a test by panicking"
)]

mod constructs;
mod props;
mod shippability;
mod spec_examples;
mod support;
