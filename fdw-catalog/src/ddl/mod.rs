//! The DDL loader: `.sql` text of DDL statements to catalog changes.
