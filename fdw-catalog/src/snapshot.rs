//! The versioned JSON catalog-snapshot format.
