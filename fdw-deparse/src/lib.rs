//! The shippability walker (which expressions may run on the remote server)
//! and the deparser (the exact remote SQL text), one dialect per backend.
//!
//! This crate must not know how a query was parsed, how paths are costed or
//! chosen, or how SQL is sent; it prints plans it is given.
//!
//! **Architecture Invariant:** shippability and printing live together, and
//! both match every expression node kind with no catch-all arm.
//!
//! The walker and deparser arrive with the base-relation pushdown issue;
//! this crate is empty until then.
