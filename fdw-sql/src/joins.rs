//! Outer-join reduction and the placement of WHERE and ON conditions.
