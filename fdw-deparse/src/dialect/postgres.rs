//! PostgreSQL as the remote engine, as postgres_fdw 13–18 print for it.
//!
//! Differences between versions are data here, one flag per difference
//! (spec §5): the keyword lists that force identifier quoting (16 and 17
//! add SQL/JSON words), `CASE` pushdown and the constant cast suppression
//! (15+), the reg* constant check (16+) and postfix operators (13 only).
//! Vendor documentation: <https://www.postgresql.org/docs/current/sql-keywords-appendix.html>.

use fdw_catalog::builtin::TypeInfo;
use fdw_catalog::Catalog;
use fdw_core::expr::Const;
use fdw_core::{Oid, TypMod};

use super::{ConstLabel, Dialect};
use crate::error::{Error, Result};

/// PostgreSQL major `major` (13 to 18) as a remote server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PostgresDialect {
    major: u32,
}

/// The oldest major version whose differences the dialect knows.
const OLDEST_MAJOR: u32 = 13;
/// The newest major version whose differences the dialect knows.
const NEWEST_MAJOR: u32 = 18;

impl PostgresDialect {
    /// The dialect of PostgreSQL major version `major`.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] for a major version outside 13–18, whose
    /// keyword list and shippability rules are not known here.
    ///
    /// # Example
    ///
    /// ```
    /// use fdw_deparse::{Dialect, PostgresDialect};
    ///
    /// let pg15 = PostgresDialect::new(15)?;
    /// let mut out = String::new();
    /// pg15.quote_ident("C 1", &mut out);
    /// assert_eq!(out, "\"C 1\"");
    /// # Ok::<(), fdw_deparse::Error>(())
    /// ```
    pub fn new(major: u32) -> Result<PostgresDialect> {
        if !(OLDEST_MAJOR..=NEWEST_MAJOR).contains(&major) {
            return Err(Error::Unsupported {
                what: format!("PostgreSQL major version {major}"),
                dialect: format!("postgres {OLDEST_MAJOR}-{NEWEST_MAJOR}"),
            });
        }
        Ok(PostgresDialect { major })
    }

    /// The major version.
    pub fn major(&self) -> u32 {
        self.major
    }

    /// True when `word` is a keyword of a category other than
    /// `UNRESERVED_KEYWORD` in this version, so `quote_identifier` quotes it.
    pub fn is_non_unreserved_keyword(&self, word: &str) -> bool {
        // Every identifier the deparser prints goes through here; most are
        // column and table names that no keyword shares a first letter and
        // length with, and the length table rejects them without a search.
        // The others are compared with the few keywords of their letter.
        let Some(letter) = word
            .bytes()
            .next()
            .and_then(|first| first.checked_sub(b'a'))
            .map(usize::from)
        else {
            return false;
        };
        let (Some(lengths), Some(&(start, end))) = (
            KEYWORD_LENGTHS_BY_FIRST_LETTER.get(letter),
            KEYWORDS_13_BY_FIRST_LETTER.get(letter),
        ) else {
            return false;
        };
        if word.len() >= 32 || lengths & (1u32 << word.len()) == 0 {
            return false;
        }
        self.is_keyword_among(word, start, end)
    }

    /// The search of [`Self::is_non_unreserved_keyword`] among the words
    /// `start..end` of [`KEYWORDS_13`] and the later versions' additions:
    /// out of line, as few words get this far and its string comparisons
    /// would otherwise make every identifier's check save more registers.
    #[inline(never)]
    fn is_keyword_among(&self, word: &str, start: usize, end: usize) -> bool {
        let is = |list: &[&str]| list.contains(&word);
        KEYWORDS_13.get(start..end).is_some_and(is)
            || (self.major >= 16 && is(KEYWORDS_ADDED_16))
            || (self.major >= 17 && is(KEYWORDS_ADDED_17))
    }
}

impl Dialect for PostgresDialect {
    fn name(&self) -> &'static str {
        "postgres"
    }

    fn describe(&self) -> String {
        format!("postgres {}", self.major)
    }

    fn quote_ident(&self, ident: &str, out: &mut String) {
        // Every column and table name of every remote query comes here, and
        // nearly all are plain lowercase names: one table look-up per byte
        // decides that, and the quoting is out of line so this path saves
        // and restores few registers.
        // No keyword has a digit (checked at compile time with the keyword
        // tables), so a name with one (`t1`, `c2`) skips the keyword
        // search that its first letter and length would otherwise cost.
        match plain_identifier(ident) {
            Some(PlainIdent::WithDigit) => out.push_str(ident),
            Some(PlainIdent::NoDigit) if !self.is_non_unreserved_keyword(ident) => {
                out.push_str(ident);
            }
            _ => push_quoted_ident(ident, out),
        }
    }

    fn type_name(
        &self,
        catalog: &Catalog,
        type_oid: Oid,
        typmod: TypMod,
        out: &mut String,
    ) -> Result<()> {
        format_type(self, catalog, type_oid, typmod, out)
    }

    fn write_param(&self, index: usize, type_name: &str, out: &mut String) {
        out.push('$');
        out.push_str(&index.to_string());
        out.push_str("::");
        out.push_str(type_name);
    }

    fn write_param_placeholder(&self, type_name: &str, out: &mut String) {
        out.push_str("((SELECT null::");
        out.push_str(type_name);
        out.push_str(")::");
        out.push_str(type_name);
        out.push(')');
    }

    fn write_string_literal(&self, value: &str, out: &mut String) {
        // Most literals need no doubling: one copy instead of a push per
        // character.
        if !value.bytes().any(|b| b == b'\'' || b == b'\\') {
            out.push('\'');
            out.push_str(value);
            out.push('\'');
            return;
        }
        if value.contains('\\') {
            out.push('E');
        }
        out.push('\'');
        for ch in value.chars() {
            if ch == '\'' || ch == '\\' {
                out.push(ch);
            }
            out.push(ch);
        }
        out.push('\'');
    }

    fn write_const(
        &self,
        catalog: &Catalog,
        constant: &Const,
        label: ConstLabel,
        out: &mut String,
    ) -> Result<()> {
        let Some(value) = &constant.value else {
            out.push_str("NULL");
            if label != ConstLabel::UnlessUntypedLiteral {
                out.push_str("::");
                self.type_name(catalog, constant.consttype, constant.consttypmod, out)?;
            }
            return Ok(());
        };
        // A value with a NUL cannot be sent. A number's characters (the
        // usual constant) exclude it already: only the other forms search.
        let refuse_nul = || {
            if value.as_bytes().contains(&0) {
                Err(Error::Unsupported {
                    what: "a constant containing a NUL character".to_string(),
                    dialect: self.describe(),
                })
            } else {
                Ok(())
            }
        };
        let mut is_float = false;
        let mut is_string = false;
        match constant.consttype {
            INT2 | INT4 | INT8 | OID | FLOAT4 | FLOAT8 | NUMERIC => {
                if !value.is_empty()
                    && value
                        .bytes()
                        .all(|b| matches!(b, b'0'..=b'9' | b'+' | b'-' | b'e' | b'E' | b'.'))
                {
                    if value.starts_with(['+', '-']) {
                        out.push('(');
                        out.push_str(value);
                        out.push(')');
                    } else {
                        out.push_str(value);
                    }
                    is_float = value.bytes().any(|b| matches!(b, b'e' | b'E' | b'.'));
                } else {
                    refuse_nul()?;
                    // 'NaN', 'Infinity', '-Infinity': quoted, never escaped
                    // (PostgreSQL prints them with a plain `'%s'`).
                    out.push('\'');
                    out.push_str(value);
                    out.push('\'');
                }
            }
            BIT | VARBIT => {
                refuse_nul()?;
                out.push_str("B'");
                out.push_str(value);
                out.push('\'');
            }
            BOOL => {
                refuse_nul()?;
                out.push_str(if value == "t" { "true" } else { "false" });
            }
            _ => {
                refuse_nul()?;
                self.write_string_literal(value, out);
                is_string = true;
            }
        }
        let needs_label = match constant.consttype {
            BOOL | INT4 | UNKNOWN => false,
            NUMERIC => !is_float || constant.consttypmod >= 0,
            _ => label != ConstLabel::UnlessUntypedLiteral || !is_string,
        };
        if needs_label || label == ConstLabel::Always {
            out.push_str("::");
            self.type_name(catalog, constant.consttype, constant.consttypmod, out)?;
        }
        Ok(())
    }

    fn supports_case_pushdown(&self) -> bool {
        self.major >= 15
    }

    fn supports_const_cast_suppression(&self) -> bool {
        self.major >= 15
    }

    fn supports_postfix_operators(&self) -> bool {
        self.major <= 13
    }

    fn requires_shippable_reg_constants(&self) -> bool {
        self.major >= 16
    }
}

// ----- Type names --------------------------------------------------------

const BOOL: Oid = Oid(16);
const INT8: Oid = Oid(20);
const INT2: Oid = Oid(21);
const INT4: Oid = Oid(23);
const OID: Oid = Oid(26);
const FLOAT4: Oid = Oid(700);
const FLOAT8: Oid = Oid(701);
const UNKNOWN: Oid = Oid(705);
const BPCHAR: Oid = Oid(1042);
const VARCHAR: Oid = Oid(1043);
const TIME: Oid = Oid(1083);
const TIMESTAMP: Oid = Oid(1114);
const TIMESTAMPTZ: Oid = Oid(1184);
const INTERVAL: Oid = Oid(1186);
const TIMETZ: Oid = Oid(1266);
const BIT: Oid = Oid(1560);
const VARBIT: Oid = Oid(1562);
const NUMERIC: Oid = Oid(1700);

/// `VARHDRSZ`, included in character and numeric typmods.
const VARHDRSZ: i32 = 4;

/// `format_type_extended(type_oid, typmod, FORMAT_TYPE_TYPEMOD_GIVEN |
/// (built in ? 0 : FORMAT_TYPE_FORCE_QUALIFY))`, as postgres_fdw's
/// `deparse_type_name` calls it.
fn format_type(
    dialect: &PostgresDialect,
    catalog: &Catalog,
    type_oid: Oid,
    typmod: TypMod,
    out: &mut String,
) -> Result<()> {
    let force_qualify = !catalog.is_builtin(type_oid);
    let mut info = lookup_type(catalog, type_oid)?;
    let is_array = info.is_true_array();
    if is_array {
        info = lookup_type(catalog, info.elem)?;
    }
    let with_typmod = typmod >= 0;
    let special = match info.oid {
        BIT if with_typmod => Some("bit"),
        BOOL => Some("boolean"),
        BPCHAR if with_typmod => Some("character"),
        FLOAT4 => Some("real"),
        FLOAT8 => Some("double precision"),
        INT2 => Some("smallint"),
        INT4 => Some("integer"),
        INT8 => Some("bigint"),
        NUMERIC => Some("numeric"),
        INTERVAL => Some("interval"),
        TIME if with_typmod => Some("time"),
        TIME => Some("time without time zone"),
        TIMETZ if with_typmod => Some("time"),
        TIMETZ => Some("time with time zone"),
        TIMESTAMP if with_typmod => Some("timestamp"),
        TIMESTAMP => Some("timestamp without time zone"),
        TIMESTAMPTZ if with_typmod => Some("timestamp"),
        TIMESTAMPTZ => Some("timestamp with time zone"),
        VARBIT => Some("bit varying"),
        VARCHAR => Some("character varying"),
        _ => None,
    };
    match special {
        Some(name) => out.push_str(name),
        None => {
            if force_qualify {
                let schema =
                    catalog
                        .namespace_name(info.namespace)
                        .ok_or(Error::UnknownObject {
                            kind: "namespace",
                            oid: info.namespace,
                        })?;
                dialect.quote_ident(schema, out);
                out.push('.');
            }
            dialect.quote_ident(&info.name, out);
        }
    }
    if with_typmod {
        print_typmod(dialect, &info, typmod, out)?;
    }
    if is_array {
        out.push_str("[]");
    }
    Ok(())
}

// Borrowed: built-in and extension rows live in the catalog, and copying
// one costs a `String` per name for every type printed.
fn lookup_type(catalog: &Catalog, oid: Oid) -> Result<std::borrow::Cow<'_, TypeInfo>> {
    catalog
        .type_info(oid)
        .ok_or(Error::UnknownObject { kind: "type", oid })
}

/// `printTypmod`: the type's `typmodout` text, or `(typmod)` when it has none.
fn print_typmod(
    dialect: &PostgresDialect,
    info: &TypeInfo,
    typmod: TypMod,
    out: &mut String,
) -> Result<()> {
    if info.modout.is_invalid() {
        out.push_str(&format!("({typmod})"));
        return Ok(());
    }
    match info.oid {
        BPCHAR | VARCHAR => {
            if typmod > VARHDRSZ {
                out.push_str(&format!("({})", typmod - VARHDRSZ));
            }
        }
        NUMERIC => {
            let packed = typmod - VARHDRSZ;
            let precision = (packed >> 16) & 0xffff;
            let scale = ((packed & 0x7ff) ^ 1024) - 1024;
            out.push_str(&format!("({precision},{scale})"));
        }
        TIME | TIMESTAMP => out.push_str(&format!("({typmod}) without time zone")),
        TIMETZ | TIMESTAMPTZ => out.push_str(&format!("({typmod}) with time zone")),
        BIT | VARBIT => out.push_str(&format!("({typmod})")),
        INTERVAL => out.push_str(&interval_typmod_out(typmod)),
        _ => {
            return Err(Error::Unsupported {
                what: format!("the type modifier of type {}", info.name),
                dialect: dialect.describe(),
            })
        }
    }
    Ok(())
}

/// `intervaltypmodout`: the field range and the seconds precision.
fn interval_typmod_out(typmod: TypMod) -> String {
    const MONTH: i32 = 1 << 1;
    const YEAR: i32 = 1 << 2;
    const DAY: i32 = 1 << 3;
    const HOUR: i32 = 1 << 10;
    const MINUTE: i32 = 1 << 11;
    const SECOND: i32 = 1 << 12;
    const FULL_RANGE: i32 = 0x7fff;
    const FULL_PRECISION: i32 = 0xffff;
    let fields = (typmod >> 16) & 0x7fff;
    let precision = typmod & 0xffff;
    let field_text = match fields {
        YEAR => " year",
        MONTH => " month",
        DAY => " day",
        HOUR => " hour",
        MINUTE => " minute",
        SECOND => " second",
        f if f == YEAR | MONTH => " year to month",
        f if f == DAY | HOUR => " day to hour",
        f if f == DAY | HOUR | MINUTE => " day to minute",
        f if f == DAY | HOUR | MINUTE | SECOND => " day to second",
        f if f == HOUR | MINUTE => " hour to minute",
        f if f == HOUR | MINUTE | SECOND => " hour to second",
        f if f == MINUTE | SECOND => " minute to second",
        FULL_RANGE => "",
        // PostgreSQL reports an error for an invalid range and prints none.
        _ => "",
    };
    if precision == FULL_PRECISION {
        field_text.to_string()
    } else {
        format!("{field_text}({precision})")
    }
}

// ----- Keywords ------------------------------------------------------------

/// The non-unreserved keywords (reserved, col_name and type_func_name) of
/// PostgreSQL 13–15, sorted for binary search (spec §2.2: 151 words).
const KEYWORDS_13: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
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
];

/// Non-unreserved keywords added in PostgreSQL 16: the SQL/JSON
/// constructors (col_name) and `SYSTEM_USER` (reserved).
const KEYWORDS_ADDED_16: &[&str] = &[
    "json_array",
    "json_arrayagg",
    "json_object",
    "json_objectagg",
    "system_user",
];

/// Non-unreserved keywords added in PostgreSQL 17 (col_name): `JSON`
/// itself (unreserved before), the SQL/JSON query functions and
/// `MERGE_ACTION`. PostgreSQL 18 adds none.
const KEYWORDS_ADDED_17: &[&str] = &[
    "json",
    "json_exists",
    "json_query",
    "json_scalar",
    "json_serialize",
    "json_table",
    "json_value",
    "merge_action",
];

/// [`plain_identifier`]'s answer for a plain identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PlainIdent {
    /// It has a digit, so it is no keyword.
    WithDigit,
    /// Letters and `_` only: it may be a keyword.
    NoDigit,
}

/// Whether `ident` has the form `quote_identifier` leaves unquoted (before
/// the keyword check): a lowercase letter or `_`, then lowercase letters,
/// digits and `_`; `None` when it has not.
#[inline]
fn plain_identifier(ident: &str) -> Option<PlainIdent> {
    let bytes = ident.as_bytes();
    let &first = bytes.first()?;
    if IDENT_BYTE[usize::from(first)] != IDENT_START {
        return None;
    }
    // One bit per byte class seen (bit `class`), without a branch per byte.
    let seen = bytes
        .iter()
        .fold(0u8, |seen, &b| seen | (1 << IDENT_BYTE[usize::from(b)]));
    if seen & (1 << NOT_IDENT) != 0 {
        None
    } else if seen & (1 << IDENT_REST) != 0 {
        Some(PlainIdent::WithDigit)
    } else {
        Some(PlainIdent::NoDigit)
    }
}

/// [`IDENT_BYTE`]: a byte that may not appear in an unquoted identifier.
const NOT_IDENT: u8 = 0;
/// [`IDENT_BYTE`]: a byte that may start one (`a`-`z`, `_`).
const IDENT_START: u8 = 1;
/// [`IDENT_BYTE`]: a byte that may follow the first (`0`-`9`).
const IDENT_REST: u8 = 2;

/// The class of each byte for [`plain_identifier`]: a table read per
/// byte instead of three range comparisons.
const IDENT_BYTE: [u8; 256] = {
    let mut table = [NOT_IDENT; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        if byte.is_ascii_lowercase() || byte == b'_' {
            table[b] = IDENT_START;
        } else if byte.is_ascii_digit() {
            table[b] = IDENT_REST;
        }
        b += 1;
    }
    table
};

/// `ident` in double quotes, inner quotes doubled: the rare case of
/// [`PostgresDialect::quote_ident`], kept out of its fast path.
#[cold]
#[inline(never)]
fn push_quoted_ident(ident: &str, out: &mut String) {
    out.reserve(ident.len() + 2);
    out.push('"');
    for ch in ident.chars() {
        if ch == '"' {
            out.push('"');
        }
        out.push(ch);
    }
    out.push('"');
}

/// For each first letter `a`..`z`, the set (bit `n` = length `n`) of the
/// lengths of the keywords of every version starting with it: a word whose
/// first letter and length match no keyword is not one.
const KEYWORD_LENGTHS_BY_FIRST_LETTER: [u32; 26] = {
    let mut table = [0u32; 26];
    let lists = [KEYWORDS_13, KEYWORDS_ADDED_16, KEYWORDS_ADDED_17];
    let mut l = 0;
    while l < lists.len() {
        let list = lists[l];
        let mut w = 0;
        while w < list.len() {
            let bytes = list[w].as_bytes();
            // Keywords are lowercase ASCII shorter than 32 bytes (checked by
            // the const assertions below, at compile time).
            assert!(!bytes.is_empty() && bytes.len() < 32);
            assert!(bytes[0].is_ascii_lowercase());
            // No digit in any keyword: `quote_ident` relies on it.
            let mut i = 0;
            while i < bytes.len() {
                assert!(bytes[i].is_ascii_lowercase() || bytes[i] == b'_');
                i += 1;
            }
            let letter = (bytes[0] - b'a') as usize;
            table[letter] |= 1u32 << bytes.len();
            w += 1;
        }
        l += 1;
    }
    table
};

/// For each first letter `a`..`z`, the range of [`KEYWORDS_13`] (sorted,
/// so each letter's words are contiguous) starting with it.
const KEYWORDS_13_BY_FIRST_LETTER: [(usize, usize); 26] = {
    let mut ranges = [(0usize, 0usize); 26];
    let mut w = 0;
    while w < KEYWORDS_13.len() {
        let letter = (KEYWORDS_13[w].as_bytes()[0] - b'a') as usize;
        if ranges[letter].1 == 0 {
            ranges[letter].0 = w;
        }
        ranges[letter].1 = w + 1;
        w += 1;
    }
    ranges
};

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(dialect: &PostgresDialect, ident: &str) -> String {
        let mut out = String::new();
        dialect.quote_ident(ident, &mut out);
        out
    }

    #[test]
    fn keyword_list_is_sorted_and_complete() {
        let mut sorted = KEYWORDS_13.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, KEYWORDS_13);
        assert_eq!(KEYWORDS_13.len(), 151);
    }

    #[test]
    fn quotes_per_spec_examples() {
        let pg15 = PostgresDialect::new(15).unwrap();
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
            ("_x9", "_x9"),
            ("a$b", "\"a$b\""),
        ];
        let got: Vec<(&str, String)> = cases.iter().map(|(i, _)| (*i, quoted(&pg15, i))).collect();
        let want: Vec<(&str, String)> = cases.iter().map(|(i, q)| (*i, q.to_string())).collect();
        assert_eq!(got, want);
    }

    /// The general rule `plain_identifier` replaces, as it was written,
    /// with whether the word has a digit.
    fn plain_by_ranges(ident: &str) -> Option<PlainIdent> {
        let plain = ident
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
            && ident
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        plain.then(|| {
            if ident.bytes().any(|b| b.is_ascii_digit()) {
                PlainIdent::WithDigit
            } else {
                PlainIdent::NoDigit
            }
        })
    }

    #[test]
    fn plain_identifier_table_matches_the_ranges() {
        // Every single byte, every pair of ASCII bytes, and a few longer
        // and non-ASCII words.
        for b in 0..=u8::MAX {
            let one = [b];
            if let Ok(word) = std::str::from_utf8(&one) {
                assert_eq!(plain_identifier(word), plain_by_ranges(word), "{b}");
            }
            for c in 0..=127u8 {
                let two = [b, c];
                if let Ok(word) = std::str::from_utf8(&two) {
                    assert_eq!(plain_identifier(word), plain_by_ranges(word), "{b} {c}");
                }
            }
        }
        for word in [
            "",
            "c1",
            "_x9",
            "9x",
            "a b",
            "ümlaut",
            "aü",
            "a$b",
            "lower_ok",
            "Z",
            "t1",
            "to",
            "abc123def",
        ] {
            assert_eq!(plain_identifier(word), plain_by_ranges(word), "{word}");
        }
    }

    #[test]
    fn every_keyword_passes_the_length_filter() {
        let pg17 = PostgresDialect::new(17).unwrap();
        for word in KEYWORDS_13
            .iter()
            .chain(KEYWORDS_ADDED_16)
            .chain(KEYWORDS_ADDED_17)
        {
            assert!(pg17.is_non_unreserved_keyword(word), "{word}");
        }
        for word in ["c1", "public", "ft1", "alls", "zzz", "", "_all", "Select"] {
            assert!(!pg17.is_non_unreserved_keyword(word), "{word}");
        }
    }

    #[test]
    fn keyword_list_is_versioned() {
        let pg15 = PostgresDialect::new(15).unwrap();
        let pg16 = PostgresDialect::new(16).unwrap();
        let pg17 = PostgresDialect::new(17).unwrap();
        assert_eq!(quoted(&pg15, "json"), "json");
        assert_eq!(quoted(&pg16, "json"), "json");
        assert_eq!(quoted(&pg17, "json"), "\"json\"");
        assert_eq!(quoted(&pg15, "system_user"), "system_user");
        assert_eq!(quoted(&pg16, "system_user"), "\"system_user\"");
        assert_eq!(quoted(&pg16, "merge_action"), "merge_action");
        assert_eq!(quoted(&pg17, "merge_action"), "\"merge_action\"");
    }

    #[test]
    fn rejects_unknown_versions() {
        assert!(PostgresDialect::new(12).is_err());
        assert!(PostgresDialect::new(19).is_err());
        assert_eq!(PostgresDialect::new(18).unwrap().major(), 18);
    }

    #[test]
    fn string_literals_escape_quotes_and_backslashes() {
        let pg = PostgresDialect::new(15).unwrap();
        let lit = |v: &str| {
            let mut out = String::new();
            pg.write_string_literal(v, &mut out);
            out
        };
        assert_eq!(lit("it's\\"), "E'it''s\\\\'");
        assert_eq!(lit("a\nb"), "'a\nb'");
        assert_eq!(lit("ä"), "'ä'");
        assert_eq!(lit(""), "''");
    }

    #[test]
    fn interval_typmods() {
        // INTERVAL_TYPMOD(precision, range)
        let typmod = |precision: i32, range: i32| (range << 16) | precision;
        assert_eq!(interval_typmod_out(typmod(3, 0x7fff)), "(3)");
        assert_eq!(
            interval_typmod_out(typmod(3, (1 << 3) | (1 << 10) | (1 << 11) | (1 << 12))),
            " day to second(3)"
        );
        assert_eq!(interval_typmod_out(typmod(0xffff, 1 << 2)), " year");
        assert_eq!(
            interval_typmod_out(typmod(0xffff, (1 << 2) | (1 << 1))),
            " year to month"
        );
    }
}
