//! Integration tests of `fdw-catalog`, one binary with a module per area.

mod builtin;
mod ddl;
mod objects;
mod snapshot;
