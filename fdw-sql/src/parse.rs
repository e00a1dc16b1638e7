//! Parsing query text with sqlparser's PostgreSQL dialect.
