//! Integration tests of `fdw-sql`, one binary with a module per area.

mod analyze;
mod differential;
mod expr;
mod fold;
mod interval_limits;
mod joins;
mod types;
mod zones;
