//! Tests of the fold area.
