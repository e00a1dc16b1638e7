//! Tests of the types area.
