//! Integration tests of fdw-deparse: one binary (style.md §2).

mod constructs;
mod spec_examples;
mod support;
