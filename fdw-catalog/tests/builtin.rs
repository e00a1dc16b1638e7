//! Tests of the builtin area.
