//! postgres_fdw's cost model as pure formulas: cost parameters
//! (`fdw_startup_cost`, `fdw_tuple_cost`, the core cost GUCs), selectivity
//! estimates from statistics, and the path cost formulas of
//! `estimate_path_cost_size`.
//!
//! This crate must not know SQL text, how expressions are deparsed, or how
//! paths are chosen; it turns numbers and statistics into numbers.
//!
//! **Architecture Invariant:** no I/O; remote estimates arrive as plain
//! numbers from the caller.
//!
//! The formulas arrive with the cost-model issue; this crate is empty until then.
