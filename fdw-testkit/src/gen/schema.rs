//! Schema model and its strategy: remote tables, matching foreign tables
//! (with `schema_name`, `table_name` and `column_name` options), a local heap
//! table, an enum type, user-defined functions and an operator.

use proptest::prelude::*;
use proptest::sample::select;

use super::ident::{
    quote_ident, quote_literal, COLUMN_NAMES, REMOTE_SCHEMAS, REMOTE_TABLE_NAMES, TABLE_NAMES,
};
use super::types::{ColumnType, Kind, PLAIN_COLUMN_TYPES};

/// Knobs of the schema strategy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaConfig {
    /// Largest number of foreign tables (at least 1).
    pub max_tables: usize,
    /// Largest number of columns per table (at least 2).
    pub max_columns: usize,
    /// Add `cube` columns and create the `cube` extension on both sides.
    pub extension: bool,
    /// Add a plain (non-foreign) local table for joins with local data.
    pub local_table: bool,
}

impl Default for SchemaConfig {
    fn default() -> Self {
        Self {
            max_tables: 4,
            max_columns: 6,
            extension: true,
            local_table: true,
        }
    }
}

/// Names of the foreign servers the local DDL refers to (created by the caller).
#[derive(Clone, Copy, Debug)]
pub struct Servers<'a> {
    /// The ordinary postgres_fdw server (no `extensions` option).
    pub main: &'a str,
    /// A server with `extensions 'cube'`; tables with `cube` columns are put
    /// there when it is given, on `main` otherwise.
    pub extension: Option<&'a str>,
}

/// A generated schema: what exists on the remote and the local server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schema {
    /// Unquoted name of the enum type (in schema `public` on both sides).
    pub enum_name: String,
    /// Labels of the enum, in order.
    pub enum_labels: Vec<String>,
    /// Foreign tables (each backed by its own remote table).
    pub tables: Vec<Table>,
    /// Plain local tables (not foreign), for joins with local data.
    pub local_tables: Vec<Table>,
    /// Whether the `cube` extension is created on both sides.
    pub extension: bool,
}

/// One table: a foreign table and its remote counterpart, or a local heap table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// Unquoted local name (schema `public`).
    pub name: String,
    /// `schema_name` option (remote schema), if set; the remote schema is
    /// `public` otherwise.
    pub remote_schema: Option<String>,
    /// `table_name` option, if set; the remote name is `name` otherwise.
    pub remote_name: Option<String>,
    /// Columns in order.
    pub columns: Vec<Column>,
}

/// One column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// Unquoted local name.
    pub name: String,
    /// `column_name` option, if set.
    pub remote_name: Option<String>,
    /// Type (the same on both sides).
    pub ty: ColumnType,
    /// `NOT NULL` on both sides.
    pub not_null: bool,
}

/// Name of the immutable SQL function `(integer, integer) -> integer`
/// created on both sides (never shippable: not built-in, not in an extension).
pub const USER_FUNCTION: &str = "public.my_add";
/// Name of the user operator `integer === integer` created on both sides.
pub const USER_OPERATOR: &str = "OPERATOR(public.===)";

const ENUM_NAMES: &[&str] = &["mood", "Mood Type", "user_enum", "stat\"us"];
const ENUM_LABELS: &[&str] = &["foo", "bar", "buz", "with space", "qu'ote", "ü"];
const REMOTE_COLUMN_NAMES: &[&str] = &["C 1", "Remote Col", "rc\"q", "wHere", "tëst", "r1"];
const LOCAL_TABLE_NAMES: &[&str] = &["loc1", "Local Tab"];

impl Schema {
    /// Quoted, schema-qualified name of the enum type.
    pub fn enum_type_sql(&self) -> String {
        format!("public.{}", quote_ident(&self.enum_name))
    }

    /// Statements that create the remote objects (run in the remote database
    /// before the data): schemas, enum, extension, user functions, tables.
    pub fn remote_ddl(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut schemas: Vec<&str> = self
            .tables
            .iter()
            .filter_map(|t| t.remote_schema.as_deref())
            .filter(|s| *s != "public")
            .collect();
        schemas.sort_unstable();
        schemas.dedup();
        for s in schemas {
            out.push(format!("CREATE SCHEMA IF NOT EXISTS {}", quote_ident(s)));
        }
        self.common_ddl(&mut out);
        let enum_type = self.enum_type_sql();
        for t in &self.tables {
            let cols: Vec<String> = t
                .columns
                .iter()
                .map(|c| {
                    format!(
                        "{} {}{}",
                        quote_ident(c.remote_name.as_deref().unwrap_or(&c.name)),
                        c.ty.sql(&enum_type),
                        if c.not_null { " NOT NULL" } else { "" }
                    )
                })
                .collect();
            out.push(format!(
                "CREATE TABLE {} ({})",
                t.remote_sql_name(),
                cols.join(", ")
            ));
        }
        out
    }

    /// Statements that create the local objects: enum, extension, user
    /// functions and operator, the foreign tables on `servers` and the local
    /// heap tables (their rows come from [`super::data::generate_data`]).
    pub fn local_ddl(&self, servers: Servers<'_>) -> Vec<String> {
        let mut out = Vec::new();
        self.common_ddl(&mut out);
        let enum_type = self.enum_type_sql();
        for t in &self.tables {
            let cols: Vec<String> = t
                .columns
                .iter()
                .map(|c| {
                    let mut def = format!("{} {}", quote_ident(&c.name), c.ty.sql(&enum_type));
                    if let Some(r) = &c.remote_name {
                        def.push_str(&format!(" OPTIONS (column_name {})", quote_literal(r)));
                    }
                    if c.not_null {
                        def.push_str(" NOT NULL");
                    }
                    def
                })
                .collect();
            let server = match servers.extension {
                Some(ext) if t.uses_extension() => ext,
                _ => servers.main,
            };
            let mut options = Vec::new();
            if let Some(s) = &t.remote_schema {
                options.push(format!("schema_name {}", quote_literal(s)));
            }
            if let Some(n) = &t.remote_name {
                options.push(format!("table_name {}", quote_literal(n)));
            }
            let options = if options.is_empty() {
                String::new()
            } else {
                format!(" OPTIONS ({})", options.join(", "))
            };
            out.push(format!(
                "CREATE FOREIGN TABLE {} ({}) SERVER {}{}",
                t.sql_name(),
                cols.join(", "),
                quote_ident(server),
                options
            ));
        }
        for t in &self.local_tables {
            let cols: Vec<String> = t
                .columns
                .iter()
                .map(|c| {
                    format!(
                        "{} {}{}",
                        quote_ident(&c.name),
                        c.ty.sql(&enum_type),
                        if c.not_null { " NOT NULL" } else { "" }
                    )
                })
                .collect();
            out.push(format!(
                "CREATE TABLE {} ({})",
                t.sql_name(),
                cols.join(", ")
            ));
        }
        out
    }

    /// Objects created identically on both sides.
    fn common_ddl(&self, out: &mut Vec<String>) {
        let labels: Vec<String> = self.enum_labels.iter().map(|l| quote_literal(l)).collect();
        out.push(format!(
            "CREATE TYPE {} AS ENUM ({})",
            self.enum_type_sql(),
            labels.join(", ")
        ));
        if self.extension {
            out.push("CREATE EXTENSION IF NOT EXISTS cube WITH SCHEMA public".to_owned());
        }
        out.push(format!(
            "CREATE FUNCTION {USER_FUNCTION}(integer, integer) RETURNS integer IMMUTABLE LANGUAGE sql AS 'select $1 + $2'"
        ));
        out.push(
            "CREATE FUNCTION public.my_eq(integer, integer) RETURNS boolean IMMUTABLE LANGUAGE sql AS 'select $1 = $2'"
                .to_owned(),
        );
        out.push(
            "CREATE OPERATOR public.=== (LEFTARG = integer, RIGHTARG = integer, FUNCTION = public.my_eq)"
                .to_owned(),
        );
    }
}

impl Table {
    /// The local name as it appears in queries (quoted where needed).
    pub fn sql_name(&self) -> String {
        quote_ident(&self.name)
    }

    /// The quoted, schema-qualified remote name.
    pub fn remote_sql_name(&self) -> String {
        format!(
            "{}.{}",
            quote_ident(self.remote_schema.as_deref().unwrap_or("public")),
            quote_ident(self.remote_name.as_deref().unwrap_or(&self.name))
        )
    }

    /// True if a column has an extension type (the table belongs on the
    /// server with `extensions 'cube'`).
    pub fn uses_extension(&self) -> bool {
        self.columns.iter().any(|c| c.ty == ColumnType::Cube)
    }

    /// Columns of the given kind.
    pub fn columns_of(&self, kind: Kind) -> impl Iterator<Item = &Column> {
        self.columns.iter().filter(move |c| c.ty.kind() == kind)
    }
}

/// Strategy for a whole schema.
pub fn schema_strategy(config: &SchemaConfig) -> BoxedStrategy<Schema> {
    let max_tables = config.max_tables.max(1);
    let max_columns = config.max_columns.max(2);
    let extension = config.extension;
    let local_table = config.local_table;
    let tables = prop::collection::vec(table_strategy(max_columns, extension), 1..=max_tables);
    let locals = if local_table {
        prop::collection::vec(local_table_strategy(), 1..=1).boxed()
    } else {
        Just(Vec::new()).boxed()
    };
    (
        select(ENUM_NAMES),
        prop::sample::subsequence(ENUM_LABELS, 2..=ENUM_LABELS.len()),
        tables,
        locals,
    )
        .prop_map(move |(enum_name, labels, tables, local_tables)| {
            let mut schema = Schema {
                enum_name: enum_name.to_owned(),
                enum_labels: labels.iter().map(|l| (*l).to_owned()).collect(),
                tables,
                local_tables,
                extension,
            };
            make_names_unique(&mut schema);
            schema
        })
        .boxed()
}

fn column_type_strategy(extension: bool) -> BoxedStrategy<ColumnType> {
    if extension {
        prop_oneof![
            20 => select(PLAIN_COLUMN_TYPES.to_vec()),
            1 => Just(ColumnType::Jsonb),
            1 => Just(ColumnType::Cube),
        ]
        .boxed()
    } else {
        prop_oneof![
            20 => select(PLAIN_COLUMN_TYPES.to_vec()),
            1 => Just(ColumnType::Jsonb),
        ]
        .boxed()
    }
}

fn column_strategy(ty: BoxedStrategy<ColumnType>) -> impl Strategy<Value = Column> {
    (
        select(COLUMN_NAMES),
        prop::option::weighted(0.25, select(REMOTE_COLUMN_NAMES)),
        ty,
        prop::bool::weighted(0.25),
    )
        .prop_map(|(name, remote, ty, not_null)| Column {
            name: name.to_owned(),
            remote_name: remote.map(str::to_owned),
            ty,
            not_null,
        })
}

fn table_strategy(max_columns: usize, extension: bool) -> impl Strategy<Value = Table> {
    let first = column_strategy(select(vec![ColumnType::Int4, ColumnType::Int8]).boxed());
    let rest = prop::collection::vec(
        column_strategy(column_type_strategy(extension)),
        1..max_columns,
    );
    (
        select(TABLE_NAMES),
        prop::option::weighted(0.6, select(REMOTE_SCHEMAS)),
        prop::option::weighted(0.6, select(REMOTE_TABLE_NAMES)),
        first,
        rest,
    )
        .prop_map(|(name, schema, remote, first, rest)| {
            let mut columns = vec![first];
            columns.extend(rest);
            Table {
                name: name.to_owned(),
                remote_schema: schema.map(str::to_owned),
                remote_name: remote.map(str::to_owned),
                columns,
            }
        })
}

fn local_table_strategy() -> impl Strategy<Value = Table> {
    let simple = select(vec![
        ColumnType::Int4,
        ColumnType::Text,
        ColumnType::Date,
        ColumnType::Numeric,
        ColumnType::Int8,
    ])
    .boxed();
    (
        select(LOCAL_TABLE_NAMES),
        prop::collection::vec(column_strategy(simple), 1..=3),
    )
        .prop_map(|(name, rest)| {
            let mut columns = vec![Column {
                name: "f1".to_owned(),
                remote_name: None,
                ty: ColumnType::Int4,
                not_null: false,
            }];
            columns.extend(rest);
            Table {
                name: name.to_owned(),
                remote_schema: None,
                remote_name: None,
                columns,
            }
        })
}

/// Appends `_2`, `_3`, ... to repeated names so that local table names,
/// remote (schema, table) pairs and column names (local and remote) are unique.
fn make_names_unique(schema: &mut Schema) {
    let mut local_names: Vec<String> = Vec::new();
    let mut remote_names: Vec<(String, String)> = Vec::new();
    let all = schema
        .tables
        .iter_mut()
        .chain(schema.local_tables.iter_mut());
    for table in all {
        table.name = unique(&table.name, |n| local_names.iter().any(|x| x == n));
        local_names.push(table.name.clone());
        let remote_schema = table
            .remote_schema
            .clone()
            .unwrap_or_else(|| "public".into());
        let base = table
            .remote_name
            .clone()
            .unwrap_or_else(|| table.name.clone());
        let remote = unique(&base, |n| {
            remote_names
                .iter()
                .any(|(s, t)| *s == remote_schema && t == n)
        });
        if remote != base {
            table.remote_name = Some(remote.clone());
        }
        remote_names.push((remote_schema, remote));

        let mut cols: Vec<String> = Vec::new();
        let mut rcols: Vec<String> = Vec::new();
        for c in &mut table.columns {
            c.name = unique(&c.name, |n| cols.iter().any(|x| x == n));
            cols.push(c.name.clone());
            let rbase = c.remote_name.clone().unwrap_or_else(|| c.name.clone());
            let r = unique(&rbase, |n| rcols.iter().any(|x| x == n));
            if r != rbase || c.remote_name.is_some() {
                c.remote_name = Some(r.clone());
            }
            rcols.push(r);
        }
    }
}

fn unique(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_owned();
    }
    let mut n = 2;
    loop {
        let candidate = format!("{base}_{n}");
        if !taken(&candidate) {
            return candidate;
        }
        n += 1;
    }
}
