//! Parse analysis: statements to `fdw_core::Query` (names, scopes, target lists, clauses, DML).
