//! Tests of the analyze area.
