//! Tests of the snapshot area.
