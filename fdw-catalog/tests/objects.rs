//! Tests of the objects area.
