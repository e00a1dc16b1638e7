//! Tests of the joins area.
