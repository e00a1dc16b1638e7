//! Integration tests of `fdw-catalog`, one binary with a module per area.

mod builtin;
mod ddl;
mod functions;
mod objects;
mod snapshot;
