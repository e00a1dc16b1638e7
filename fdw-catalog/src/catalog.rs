//! The catalog: built-in objects plus the user's, with name resolution and shippability lookups.
