//! Built-in PostgreSQL catalogs, embedded per major version (filled by the built-in catalog work).
