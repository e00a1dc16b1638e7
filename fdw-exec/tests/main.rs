//! fdw-exec against a real PostgreSQL 15 (the test kit's oracle cluster):
//! what the remote side receives compared with real postgres_fdw, cursors,
//! transactions, estimates and faults. Without PostgreSQL these fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod exec;
