//! User objects: schemas, extensions, types, functions, operators, aggregates, tables, servers, user mappings.
