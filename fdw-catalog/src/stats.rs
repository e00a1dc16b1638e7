//! Table and column statistics as `pg_class` and `pg_stats` show them.
