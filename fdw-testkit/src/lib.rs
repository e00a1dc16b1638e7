//! Test support (dev only): throwaway reference PostgreSQL clusters of
//! several versions with the real postgres_fdw, query generators and the
//! differential harness that compares fdw against them.
//!
//! This crate may do anything a test needs (processes, files, network on
//! loopback); nothing in the product depends on it.
//!
//! The clusters and the oracle arrive with the test-kit issue; this crate is
//! empty until then.
