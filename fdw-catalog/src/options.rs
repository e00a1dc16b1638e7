//! Options of foreign-data objects, validated as postgres_fdw validates them.
