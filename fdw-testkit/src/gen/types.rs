//! Column types the generator uses, the coarser expression kinds the typed
//! expression generator works with, and tricky literal values for both.

use super::ident::quote_literal;

/// A column type postgres_fdw cares about (spelled on both servers the same way).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ColumnType {
    /// `smallint`.
    Int2,
    /// `integer`.
    Int4,
    /// `bigint`.
    Int8,
    /// `numeric` without typmod.
    Numeric,
    /// `numeric(precision, scale)`.
    NumericTypmod {
        /// Total number of digits.
        precision: u8,
        /// Digits after the decimal point.
        scale: u8,
    },
    /// `real`.
    Float4,
    /// `double precision`.
    Float8,
    /// `text`.
    Text,
    /// `character varying(n)`.
    Varchar(u16),
    /// `character(n)`.
    Char(u16),
    /// `boolean`.
    Bool,
    /// `date`.
    Date,
    /// `time without time zone`.
    Time,
    /// `timestamp without time zone`.
    Timestamp,
    /// `timestamp with time zone`.
    Timestamptz,
    /// `interval`.
    Interval,
    /// The schema's user enum type (created on both servers).
    Enum,
    /// `integer[]`.
    IntArray,
    /// `text[]`.
    TextArray,
    /// `jsonb`.
    Jsonb,
    /// `cube` from the `cube` extension.
    Cube,
}

/// The type family an expression belongs to; expressions of one kind can be
/// mixed freely (PostgreSQL resolves the exact type by implicit casts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// `smallint` or `integer` (values kept small so arithmetic never overflows).
    Int,
    /// `bigint`.
    Int8,
    /// `numeric` with or without typmod.
    Numeric,
    /// `real` or `double precision`.
    Float,
    /// `text`, `varchar(n)` or `char(n)`.
    Text,
    /// `boolean`.
    Bool,
    /// `date`.
    Date,
    /// `time`.
    Time,
    /// `timestamp`.
    Timestamp,
    /// `timestamptz`.
    Timestamptz,
    /// `interval`.
    Interval,
    /// The user enum.
    Enum,
    /// `integer[]`.
    IntArray,
    /// `text[]`.
    TextArray,
    /// `jsonb`.
    Jsonb,
    /// `cube`.
    Cube,
}

/// Every kind, in a fixed order.
pub const ALL_KINDS: [Kind; 16] = [
    Kind::Int,
    Kind::Int8,
    Kind::Numeric,
    Kind::Float,
    Kind::Text,
    Kind::Bool,
    Kind::Date,
    Kind::Time,
    Kind::Timestamp,
    Kind::Timestamptz,
    Kind::Interval,
    Kind::Enum,
    Kind::IntArray,
    Kind::TextArray,
    Kind::Jsonb,
    Kind::Cube,
];

/// Every column type except `cube` (which needs the extension), in a fixed order.
pub(crate) const PLAIN_COLUMN_TYPES: [ColumnType; 22] = [
    ColumnType::Int2,
    ColumnType::Int4,
    ColumnType::Int4,
    ColumnType::Int8,
    ColumnType::Numeric,
    ColumnType::NumericTypmod {
        precision: 10,
        scale: 2,
    },
    ColumnType::NumericTypmod {
        precision: 5,
        scale: 0,
    },
    ColumnType::Float4,
    ColumnType::Float8,
    ColumnType::Text,
    ColumnType::Text,
    ColumnType::Varchar(10),
    ColumnType::Char(5),
    ColumnType::Bool,
    ColumnType::Date,
    ColumnType::Time,
    ColumnType::Timestamp,
    ColumnType::Timestamptz,
    ColumnType::Interval,
    ColumnType::Enum,
    ColumnType::IntArray,
    ColumnType::TextArray,
];

impl ColumnType {
    /// The SQL spelling of the type; `enum_type` is the (already quoted,
    /// schema-qualified) name of the schema's enum type.
    pub fn sql(self, enum_type: &str) -> String {
        match self {
            ColumnType::Int2 => "smallint".into(),
            ColumnType::Int4 => "integer".into(),
            ColumnType::Int8 => "bigint".into(),
            ColumnType::Numeric => "numeric".into(),
            ColumnType::NumericTypmod { precision, scale } => {
                format!("numeric({precision},{scale})")
            }
            ColumnType::Float4 => "real".into(),
            ColumnType::Float8 => "double precision".into(),
            ColumnType::Text => "text".into(),
            ColumnType::Varchar(n) => format!("character varying({n})"),
            ColumnType::Char(n) => format!("character({n})"),
            ColumnType::Bool => "boolean".into(),
            ColumnType::Date => "date".into(),
            ColumnType::Time => "time without time zone".into(),
            ColumnType::Timestamp => "timestamp without time zone".into(),
            ColumnType::Timestamptz => "timestamp with time zone".into(),
            ColumnType::Interval => "interval".into(),
            ColumnType::Enum => enum_type.to_owned(),
            ColumnType::IntArray => "integer[]".into(),
            ColumnType::TextArray => "text[]".into(),
            ColumnType::Jsonb => "jsonb".into(),
            ColumnType::Cube => "public.cube".into(),
        }
    }

    /// The expression kind of a value of this type.
    pub fn kind(self) -> Kind {
        match self {
            ColumnType::Int2 | ColumnType::Int4 => Kind::Int,
            ColumnType::Int8 => Kind::Int8,
            ColumnType::Numeric | ColumnType::NumericTypmod { .. } => Kind::Numeric,
            ColumnType::Float4 | ColumnType::Float8 => Kind::Float,
            ColumnType::Text | ColumnType::Varchar(_) | ColumnType::Char(_) => Kind::Text,
            ColumnType::Bool => Kind::Bool,
            ColumnType::Date => Kind::Date,
            ColumnType::Time => Kind::Time,
            ColumnType::Timestamp => Kind::Timestamp,
            ColumnType::Timestamptz => Kind::Timestamptz,
            ColumnType::Interval => Kind::Interval,
            ColumnType::Enum => Kind::Enum,
            ColumnType::IntArray => Kind::IntArray,
            ColumnType::TextArray => Kind::TextArray,
            ColumnType::Jsonb => Kind::Jsonb,
            ColumnType::Cube => Kind::Cube,
        }
    }

    /// Literal values (as SQL text) that may be stored in a column of this
    /// type: boundary values first, then ordinary ones. Every entry is valid
    /// for assignment to the column (length and typmod limits respected).
    pub fn data_values(self, enum_labels: &[&str]) -> Vec<String> {
        match self {
            ColumnType::Int2 | ColumnType::Int4 => ints(&[0, -1, 1, 1000, -1000, 42, 7, -999]),
            ColumnType::NumericTypmod { precision, scale } => {
                let int_digits = u32::from(precision - scale);
                let max = 10_i64.pow(int_digits) - 1;
                let mut out = vec!["'NaN'".to_owned(), "0".to_owned(), max.to_string()];
                out.push(format!("-{max}"));
                if scale > 0 {
                    out.push(format!("-{}.{}", max / 2, "5".repeat(usize::from(scale))));
                    out.push(format!("0.{}1", "0".repeat(usize::from(scale) - 1)));
                } else {
                    out.push("17".to_owned());
                }
                out
            }
            ColumnType::Char(n) | ColumnType::Varchar(n) => text_values()
                .into_iter()
                .map(|s| text_literal(&s.chars().take(usize::from(n)).collect::<String>()))
                .collect(),
            ColumnType::Enum => enum_labels.iter().map(|l| quote_literal(l)).collect(),
            other => other.kind().literal_texts(),
        }
    }
}

impl Kind {
    /// The type name used in casts that produce this kind (`enum_type` is the
    /// quoted enum type name).
    pub fn cast_name(self, enum_type: &str) -> String {
        match self {
            Kind::Int => "integer".into(),
            Kind::Int8 => "bigint".into(),
            Kind::Numeric => "numeric".into(),
            Kind::Float => "double precision".into(),
            Kind::Text => "text".into(),
            Kind::Bool => "boolean".into(),
            Kind::Date => "date".into(),
            Kind::Time => "time without time zone".into(),
            Kind::Timestamp => "timestamp without time zone".into(),
            Kind::Timestamptz => "timestamp with time zone".into(),
            Kind::Interval => "interval".into(),
            Kind::Enum => enum_type.to_owned(),
            Kind::IntArray => "integer[]".into(),
            Kind::TextArray => "text[]".into(),
            Kind::Jsonb => "jsonb".into(),
            Kind::Cube => "public.cube".into(),
        }
    }

    /// Values of this kind as SQL literal text without a cast (quoted where
    /// the type needs quoting); boundary values first.
    pub fn literal_texts(self) -> Vec<String> {
        match self {
            Kind::Int => ints(&[0, -1, 1, 1000, -1000, 42, 7, -999, 3]),
            Kind::Int8 => ints(&[
                0,
                -1,
                1_000_000_000_000,
                -1_000_000_000_000,
                5_000_000_000,
                42,
                -7,
            ]),
            Kind::Numeric => [
                "0",
                "'NaN'",
                "'Infinity'",
                "'-Infinity'",
                "-123.456",
                "1e20",
                "0.000001",
                "3.14159",
                "-0.5",
                "100",
            ]
            .map(str::to_owned)
            .to_vec(),
            Kind::Float => [
                "0",
                "'NaN'",
                "'Infinity'",
                "'-Infinity'",
                "'-0'",
                "1.5e10",
                "-2.5",
                "1e-10",
                "3.25",
                "1e15",
            ]
            .map(quote_if_needed)
            .to_vec(),
            Kind::Text => text_values().iter().map(|s| text_literal(s)).collect(),
            Kind::Bool => vec!["true".into(), "false".into()],
            Kind::Date => [
                "2000-01-01",
                "infinity",
                "-infinity",
                "0001-01-01",
                "4000-01-01 BC",
                "9999-12-31",
                "100000-06-15",
                "2024-02-29",
                "1999-12-31",
                "1970-01-01",
            ]
            .map(quote_literal)
            .to_vec(),
            Kind::Time => [
                "00:00:00",
                "24:00:00",
                "23:59:59.999999",
                "12:34:56.789",
                "08:00:00",
            ]
            .map(quote_literal)
            .to_vec(),
            Kind::Timestamp => [
                "2000-01-01 00:00:00",
                "infinity",
                "-infinity",
                "1900-01-01 12:00:00.5",
                "9999-12-31 23:59:59",
                "0044-03-15 12:00:00 BC",
                "2024-02-29 23:59:59.999999",
                "1970-01-01 00:00:00",
            ]
            .map(quote_literal)
            .to_vec(),
            Kind::Timestamptz => [
                "2000-01-01 00:00:00+00",
                "infinity",
                "-infinity",
                "2020-06-15 12:00:00-07",
                "1970-01-01 00:00:00+05:30",
                "9999-12-31 23:00:00+00",
                "1900-01-01 00:00:00+01",
            ]
            .map(quote_literal)
            .to_vec(),
            Kind::Interval => [
                "0",
                "1 day",
                "-1 years -2 mons",
                "01:02:03.5",
                "3 days 04:05:06",
                "100 years",
                "-00:00:01",
                "1 mon -1 days",
            ]
            .map(quote_literal)
            .to_vec(),
            Kind::Enum => Vec::new(),
            Kind::IntArray => ["{}", "{1,2,3}", "{NULL,5}", "{-1000}", "{1,1,1}", "{7}"]
                .map(quote_literal)
                .to_vec(),
            Kind::TextArray => [
                "{}",
                "{a,b}",
                r#"{"with space","q\"uote",NULL}"#,
                r#"{""}"#,
                "{ü,日本}",
                "{x}",
            ]
            .map(quote_literal)
            .to_vec(),
            Kind::Jsonb => [
                "{}",
                "[]",
                "null",
                r#"{"a": 1, "b": [1, 2]}"#,
                r#"{"k": "v\"q", "a": "x"}"#,
                r#""str""#,
                "123.5",
                r#"{"nested": {"a": null}, "a": true}"#,
                r#"[1, "a", null]"#,
            ]
            .map(quote_literal)
            .to_vec(),
            Kind::Cube => ["(1,2)", "(0),(1)", "(1,2,3),(4,5,6)", "(-1.5)"]
                .map(quote_literal)
                .to_vec(),
        }
    }

    /// True if values of this kind have a default btree ordering usable in
    /// comparisons with `<`, `GREATEST`, `min`/`max` and percentiles.
    pub fn is_scalar_ordered(self) -> bool {
        matches!(
            self,
            Kind::Int
                | Kind::Int8
                | Kind::Numeric
                | Kind::Float
                | Kind::Text
                | Kind::Date
                | Kind::Time
                | Kind::Timestamp
                | Kind::Timestamptz
                | Kind::Interval
                | Kind::Enum
        )
    }
}

/// Tricky text values: empty string, quotes, backslashes, newlines, tabs,
/// unicode, LIKE metacharacters, leading/trailing spaces, case variants.
pub(crate) fn text_values() -> Vec<String> {
    [
        "",
        "it's",
        "back\\slash",
        "line1\nline2",
        "tab\there",
        "ünï©ødé",
        "日本語",
        "a%b_c",
        " padded ",
        "UPPER",
        "lower",
        "abc",
        "\"dq\"",
        "x",
        "AbC",
    ]
    .map(str::to_owned)
    .to_vec()
}

/// Prints a text value as a literal; values with newlines or tabs use an
/// escape string (`E'...'`), everything else a standard-conforming one.
pub(crate) fn text_literal(value: &str) -> String {
    if value.contains(['\n', '\t']) {
        let mut out = String::from("E'");
        for ch in value.chars() {
            match ch {
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\\' => out.push_str("\\\\"),
                '\'' => out.push_str("''"),
                other => out.push(other),
            }
        }
        out.push('\'');
        out
    } else {
        quote_literal(value)
    }
}

fn ints(values: &[i64]) -> Vec<String> {
    values.iter().map(i64::to_string).collect()
}

fn quote_if_needed(value: &str) -> String {
    if value.starts_with('\'') {
        value.to_owned()
    } else {
        format!("'{value}'")
    }
}
