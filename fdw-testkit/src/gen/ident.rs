//! Identifier quoting with PostgreSQL 15's `quote_identifier` rules, and the
//! pools of awkward names the schema generator draws from.

/// Keywords of PostgreSQL 13–15 whose category is not `UNRESERVED`
/// (reserved, col_name and type_func_name); an identifier equal to one of them
/// must be quoted.
const NON_UNRESERVED_KEYWORDS: &[&str] = &[
    // reserved
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "constraint",
    "create",
    "current_catalog",
    "current_date",
    "current_role",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "false",
    "fetch",
    "for",
    "foreign",
    "from",
    "grant",
    "group",
    "having",
    "in",
    "initially",
    "intersect",
    "into",
    "lateral",
    "leading",
    "limit",
    "localtime",
    "localtimestamp",
    "not",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "placing",
    "primary",
    "references",
    "returning",
    "select",
    "session_user",
    "some",
    "symmetric",
    "table",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "variadic",
    "when",
    "where",
    "window",
    "with",
    // col_name
    "between",
    "bigint",
    "bit",
    "boolean",
    "char",
    "character",
    "coalesce",
    "dec",
    "decimal",
    "exists",
    "extract",
    "float",
    "greatest",
    "grouping",
    "inout",
    "int",
    "integer",
    "interval",
    "least",
    "national",
    "nchar",
    "none",
    "normalize",
    "nullif",
    "numeric",
    "out",
    "overlay",
    "position",
    "precision",
    "real",
    "row",
    "setof",
    "smallint",
    "substring",
    "time",
    "timestamp",
    "treat",
    "trim",
    "values",
    "varchar",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
    // type_func_name
    "authorization",
    "binary",
    "collation",
    "concurrently",
    "cross",
    "current_schema",
    "freeze",
    "full",
    "ilike",
    "inner",
    "is",
    "isnull",
    "join",
    "left",
    "like",
    "natural",
    "notnull",
    "outer",
    "overlaps",
    "right",
    "similar",
    "tablesample",
    "verbose",
];

/// Quotes `ident` exactly as PostgreSQL 15's `quote_identifier` does: it stays
/// bare only when it is a lower-case ASCII word that is not a non-unreserved
/// keyword; otherwise it is wrapped in double quotes with embedded quotes doubled.
pub fn quote_ident(ident: &str) -> String {
    let bytes = ident.as_bytes();
    let safe_first = bytes
        .first()
        .is_some_and(|b| b.is_ascii_lowercase() || *b == b'_');
    let safe_rest = bytes
        .iter()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_');
    if safe_first && safe_rest && !is_non_unreserved_keyword(ident) {
        return ident.to_owned();
    }
    let mut out = String::with_capacity(ident.len() + 2);
    out.push('"');
    for ch in ident.chars() {
        if ch == '"' {
            out.push('"');
        }
        out.push(ch);
    }
    out.push('"');
    out
}

/// True if `word` is one of PostgreSQL 15's reserved, col_name or
/// type_func_name keywords (the ones `quote_identifier` quotes).
pub fn is_non_unreserved_keyword(word: &str) -> bool {
    NON_UNRESERVED_KEYWORDS.contains(&word)
}

/// Quotes a string as a standard-conforming SQL literal: `'...'` with embedded
/// single quotes doubled (backslashes stay literal).
pub fn quote_literal(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for ch in value.chars() {
        if ch == '\'' {
            out.push('\'');
        }
        out.push(ch);
    }
    out.push('\'');
    out
}

/// Column names the schema generator draws from: plain names, unreserved
/// keywords that stay bare, and names that need quoting (upper case, spaces,
/// reserved keywords, embedded double quotes, non-ASCII, leading digit).
pub(crate) const COLUMN_NAMES: &[&str] = &[
    "c1",
    "c2",
    "val",
    "id",
    "type",
    "name",
    "value",
    "user",
    "order",
    "from",
    "Order",
    "Mixed Case",
    "col\"q",
    "ümlaut",
    "1abc",
    "select",
    "end",
    "x_y",
    "date",
    "text",
];

/// Local (foreign) table names.
pub(crate) const TABLE_NAMES: &[&str] = &[
    "ft1",
    "ft2",
    "ft3",
    "ft4",
    "t_data",
    "Select",
    "user",
    "Big Table",
    "tab\"q",
    "tåble",
    "order",
];

/// Remote table names used in `table_name` options.
pub(crate) const REMOTE_TABLE_NAMES: &[&str] = &["T 1", "T 2", "r_tab", "Remote\"Q", "from", "rtå"];

/// Remote schemas used in `schema_name` options.
pub(crate) const REMOTE_SCHEMAS: &[&str] = &["S 1", "remote", "Schema\"X", "public"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_list_has_postgres_15s_151_words() {
        let mut words = NON_UNRESERVED_KEYWORDS.to_vec();
        words.sort_unstable();
        words.dedup();
        assert_eq!(words.len(), 151);
    }

    #[test]
    fn quotes_like_postgres() {
        let cases = [
            ("C 1", "\"C 1\""),
            ("Order", "\"Order\""),
            ("user", "\"user\""),
            ("from", "\"from\""),
            ("col\"q", "\"col\"\"q\""),
            ("ümlaut", "\"ümlaut\""),
            ("1abc", "\"1abc\""),
            ("MixedCase", "\"MixedCase\""),
            ("lower_ok", "lower_ok"),
            ("type", "type"),
            ("name", "name"),
            ("S 1", "\"S 1\""),
            ("", "\"\""),
        ];
        let got: Vec<(&str, String)> = cases.iter().map(|(i, _)| (*i, quote_ident(i))).collect();
        let want: Vec<(&str, String)> = cases.iter().map(|(i, q)| (*i, (*q).to_owned())).collect();
        assert_eq!(got, want);
    }
}
