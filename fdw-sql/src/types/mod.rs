//! Type resolution: coercions, operator and function resolution, common types, collations.
