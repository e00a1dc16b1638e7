//! Tests of the ddl area.
