//! Test support (dev only): throwaway reference PostgreSQL clusters of
//! several versions with the real postgres_fdw, the oracle that asks them
//! for plans, rows and remote statements, the spec's verified examples, query
//! generators and the differential harness that compares fdw against them.
//!
//! This crate may do anything a test needs (processes, files, sockets);
//! nothing in the product depends on it.
//!
//! **Architecture Invariant:** a test that needs PostgreSQL and cannot find
//! it fails with a message saying how to install it (`scripts/install-pg`);
//! it never skips.
//!
//! **Architecture Invariant:** no server started by the kit outlives the
//! test process that started it (see [`cluster`]).

pub mod cluster;
pub mod explain;
pub mod gen;
pub mod harness;
pub mod install;
pub mod oracle;
pub mod psql;
pub mod roundtrip;
pub mod spec;

pub use cluster::{Cluster, ClusterSetup};
pub use explain::{Explain, PlanNode};
pub use install::PgInstall;
pub use oracle::{CostsMode, Oracle, Received, Rows};
pub use psql::{Outcome, SqlError};
