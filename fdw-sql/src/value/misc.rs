//! Input and output dispatch by type, and the small types: `boolean`,
//! `"char"`, `name`, `bytea`, `uuid`, `json`, `jsonb`, `bit`, `varbit`,
//! enums and domains.

use fdw_catalog::builtin::TypeKind;
use fdw_catalog::catalog::Catalog;
use fdw_catalog::objects::UserTypeKind;
use fdw_core::{Oid, TypMod};

use super::float::FloatKind;
use super::int::IntKind;
use super::{array, datetime, err, float, int, invalid_syntax, not_evaluable, numeric, text};
use super::{Evaluated, ValueSettings};
use crate::error::{Result, SqlState};

/// Built-in type oids this module knows.
pub(crate) mod oids {
    use fdw_core::Oid;
    /// `bool`.
    pub(crate) const BOOL: Oid = Oid(16);
    /// `bytea`.
    pub(crate) const BYTEA: Oid = Oid(17);
    /// `"char"`.
    pub(crate) const CHAR: Oid = Oid(18);
    /// `name`.
    pub(crate) const NAME: Oid = Oid(19);
    /// `int8`.
    pub(crate) const INT8: Oid = Oid(20);
    /// `int2`.
    pub(crate) const INT2: Oid = Oid(21);
    /// `int4`.
    pub(crate) const INT4: Oid = Oid(23);
    /// `text`.
    pub(crate) const TEXT: Oid = Oid(25);
    /// `oid`.
    pub(crate) const OID: Oid = Oid(26);
    /// `json`.
    pub(crate) const JSON: Oid = Oid(114);
    /// `float4`.
    pub(crate) const FLOAT4: Oid = Oid(700);
    /// `float8`.
    pub(crate) const FLOAT8: Oid = Oid(701);
    /// `unknown`.
    pub(crate) const UNKNOWN: Oid = Oid(705);
    /// `bpchar`.
    pub(crate) const BPCHAR: Oid = Oid(1042);
    /// `varchar`.
    pub(crate) const VARCHAR: Oid = Oid(1043);
    /// `date`.
    pub(crate) const DATE: Oid = Oid(1082);
    /// `time`.
    pub(crate) const TIME: Oid = Oid(1083);
    /// `timestamp`.
    pub(crate) const TIMESTAMP: Oid = Oid(1114);
    /// `timestamptz`.
    pub(crate) const TIMESTAMPTZ: Oid = Oid(1184);
    /// `interval`.
    pub(crate) const INTERVAL: Oid = Oid(1186);
    /// `timetz`.
    pub(crate) const TIMETZ: Oid = Oid(1266);
    /// `bit`.
    pub(crate) const BIT: Oid = Oid(1560);
    /// `varbit`.
    pub(crate) const VARBIT: Oid = Oid(1562);
    /// `numeric`.
    pub(crate) const NUMERIC: Oid = Oid(1700);
    /// `cstring`.
    pub(crate) const CSTRING: Oid = Oid(2275);
    /// `uuid`.
    pub(crate) const UUID: Oid = Oid(2950);
    /// `jsonb`.
    pub(crate) const JSONB: Oid = Oid(3802);
}

use oids::*;

/// What a type is, for value handling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A built-in scalar type handled by oid.
    Scalar(Oid),
    /// An array over the element type.
    Array(Oid),
    /// A user enum with its labels.
    Enum(Vec<String>),
    /// A domain: its base type and the typmod it applies.
    Domain(Oid, TypMod),
    /// Anything else.
    Other(String),
}

/// Classifies a type.
pub(crate) fn shape(catalog: &Catalog, type_oid: Oid) -> Shape {
    if let Some(user) = catalog.user_type(type_oid) {
        match &user.kind {
            UserTypeKind::Enum { labels } => {
                return Shape::Enum(labels.iter().map(|l| l.label.clone()).collect())
            }
            UserTypeKind::Domain {
                base_type, typmod, ..
            } => return Shape::Domain(*base_type, *typmod),
            UserTypeKind::Array { element } => return Shape::Array(*element),
            UserTypeKind::Composite { .. } => {
                return Shape::Other(format!("values of the row type {}", user.name))
            }
        }
    }
    match catalog.type_info(type_oid) {
        Some(info) => {
            if info.is_true_array() {
                return Shape::Array(info.elem);
            }
            match info.kind {
                TypeKind::Domain => Shape::Domain(info.base_type, info.typmod),
                TypeKind::Base | TypeKind::Pseudo => Shape::Scalar(type_oid),
                TypeKind::Enum | TypeKind::Composite | TypeKind::Range | TypeKind::Multirange => {
                    Shape::Other(format!("values of type {}", info.name))
                }
            }
        }
        None => Shape::Other(format!("values of the unknown type {}", type_oid.0)),
    }
}

/// The type's input function plus typmod coercion.
pub(crate) fn input_value(
    catalog: &Catalog,
    type_oid: Oid,
    typmod: TypMod,
    text: &str,
    settings: &ValueSettings,
    explicit: bool,
) -> Result<Evaluated<String>> {
    match shape(catalog, type_oid) {
        Shape::Scalar(oid) => input_scalar(oid, typmod, text, settings, explicit),
        Shape::Array(elem) => array::input(catalog, elem, typmod, text, settings),
        Shape::Enum(labels) => {
            if labels.iter().any(|l| l == text) {
                Ok(Evaluated::Value(text.to_owned()))
            } else {
                Err(err(
                    SqlState::INVALID_TEXT_REPRESENTATION,
                    format!(
                        "invalid input value for enum {}: \"{text}\"",
                        catalog.format_type(type_oid)
                    ),
                ))
            }
        }
        Shape::Domain(base, domain_typmod) => {
            let typmod = if typmod >= 0 { typmod } else { domain_typmod };
            input_value(catalog, base, typmod, text, settings, explicit)
        }
        Shape::Other(what) => not_evaluable(format!("input of {what} is not implemented")),
    }
}

fn input_scalar(
    oid: Oid,
    typmod: TypMod,
    s: &str,
    settings: &ValueSettings,
    explicit: bool,
) -> Result<Evaluated<String>> {
    let v = match oid {
        BOOL => bool_text(parse_bool(s)?).to_owned(),
        INT2 => int::parse(s, IntKind::Int2)?.to_string(),
        INT4 => int::parse(s, IntKind::Int4)?.to_string(),
        INT8 => int::parse(s, IntKind::Int8)?.to_string(),
        OID => int::parse_oid(s)?.to_string(),
        FLOAT4 => float::format(
            float::parse(s, FloatKind::Float4)?,
            FloatKind::Float4,
            settings.extra_float_digits,
        ),
        FLOAT8 => float::format(
            float::parse(s, FloatKind::Float8)?,
            FloatKind::Float8,
            settings.extra_float_digits,
        ),
        NUMERIC => numeric::input(s, typmod)?,
        TEXT | UNKNOWN | CSTRING => s.to_owned(),
        VARCHAR => text::varchar_typmod(s, typmod, explicit)?,
        BPCHAR => text::bpchar_typmod(s, typmod, explicit)?,
        NAME => text::truncate_name(s),
        CHAR => char_input(s),
        BYTEA => bytea_input(s)?,
        UUID => uuid_input(s)?,
        JSON => {
            json::validate(s)?;
            s.to_owned()
        }
        JSONB => json::jsonb_normalize(s)?,
        BIT | VARBIT => return bit_input(oid, s, typmod, explicit),
        DATE | TIME | TIMETZ | TIMESTAMP | TIMESTAMPTZ | INTERVAL => {
            return datetime::input(oid, typmod, s, settings)
        }
        other => return not_evaluable(format!("input of type {} is not implemented", other.0)),
    };
    Ok(Evaluated::Value(v))
}

/// Re-renders a canonical value under other output settings.
pub(crate) fn output_value(
    catalog: &Catalog,
    type_oid: Oid,
    canonical: &str,
    settings: &ValueSettings,
) -> Result<Evaluated<String>> {
    match shape(catalog, type_oid) {
        Shape::Scalar(oid) => match oid {
            FLOAT4 => Ok(Evaluated::Value(float::format(
                float::parse(canonical, FloatKind::Float4)?,
                FloatKind::Float4,
                settings.extra_float_digits,
            ))),
            FLOAT8 => Ok(Evaluated::Value(float::format(
                float::parse(canonical, FloatKind::Float8)?,
                FloatKind::Float8,
                settings.extra_float_digits,
            ))),
            DATE | TIME | TIMETZ | TIMESTAMP | TIMESTAMPTZ | INTERVAL => {
                datetime::output(oid, canonical, settings)
            }
            _ => Ok(Evaluated::Value(canonical.to_owned())),
        },
        Shape::Array(elem) => array::output(catalog, elem, canonical, settings),
        Shape::Enum(_) => Ok(Evaluated::Value(canonical.to_owned())),
        Shape::Domain(base, _) => output_value(catalog, base, canonical, settings),
        Shape::Other(what) => not_evaluable(format!("output of {what} is not implemented")),
    }
}

/// `boolin`.
pub(crate) fn parse_bool(s: &str) -> Result<bool> {
    let t = s
        .trim_matches(|c: char| c.is_ascii_whitespace())
        .to_ascii_lowercase();
    let matches_prefix = |word: &str| !t.is_empty() && word.starts_with(t.as_str());
    let v = match t.as_str() {
        "on" => Some(true),
        "off" | "of" => Some(false),
        "o" => None,
        _ if matches_prefix("true") || matches_prefix("yes") || t == "1" => Some(true),
        _ if matches_prefix("false") || matches_prefix("no") || t == "0" => Some(false),
        _ => None,
    };
    v.ok_or_else(|| invalid_syntax("boolean", s))
}

/// The canonical text of a boolean: `boolout`'s `t` / `f`.
pub(crate) fn bool_text(b: bool) -> &'static str {
    if b {
        "t"
    } else {
        "f"
    }
}

/// `charin`: the first byte (the empty string gives the zero byte, printed as empty).
fn char_input(s: &str) -> String {
    match s.as_bytes().first() {
        None => String::new(),
        Some(&b) if b < 0x80 => (b as char).to_string(),
        // A multibyte character keeps only its first byte, printed as octal.
        Some(&b) => format!("\\{:03o}", b),
    }
}

/// `byteain`: hex (`\x0102`) or escape format; output is hex.
pub(crate) fn bytea_input(s: &str) -> Result<String> {
    let bytes = bytea_parse(s)?;
    Ok(bytea_format(&bytes))
}

/// The bytes of a `bytea` input text.
pub(crate) fn bytea_parse(s: &str) -> Result<Vec<u8>> {
    if let Some(hex) = s.strip_prefix("\\x") {
        let mut out = Vec::new();
        let digits: Vec<char> = hex.chars().collect();
        let mut i = 0;
        while i < digits.len() {
            let c = digits[i];
            if c.is_ascii_whitespace() {
                i += 1;
                continue;
            }
            let hi = c.to_digit(16).ok_or_else(|| {
                err(
                    SqlState::INVALID_PARAMETER_VALUE,
                    format!("invalid hexadecimal digit: \"{c}\""),
                )
            })?;
            let Some(&c2) = digits.get(i + 1) else {
                return Err(err(
                    SqlState::INVALID_PARAMETER_VALUE,
                    "invalid hexadecimal data: odd number of digits",
                ));
            };
            let lo = c2.to_digit(16).ok_or_else(|| {
                err(
                    SqlState::INVALID_PARAMETER_VALUE,
                    format!("invalid hexadecimal digit: \"{c2}\""),
                )
            })?;
            out.push((hi * 16 + lo) as u8);
            i += 2;
        }
        return Ok(out);
    }
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            out.push(b[i]);
            i += 1;
        } else if b.get(i + 1) == Some(&b'\\') {
            out.push(b'\\');
            i += 2;
        } else if i + 3 < b.len()
            && (b'0'..=b'3').contains(&b[i + 1])
            && (b'0'..=b'7').contains(&b[i + 2])
            && (b'0'..=b'7').contains(&b[i + 3])
        {
            out.push((b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0'));
            i += 4;
        } else {
            return Err(invalid_syntax("bytea", s));
        }
    }
    Ok(out)
}

/// `byteaout` in hex format.
pub(crate) fn bytea_format(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(2 + bytes.len() * 2);
    out.push_str("\\x");
    for b in bytes {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// `uuid_in`: 32 hex digits, optionally in braces, hyphens after any group of four.
fn uuid_input(s: &str) -> Result<String> {
    let bad = || invalid_syntax("uuid", s);
    let inner = match s.strip_prefix('{') {
        Some(rest) => rest.strip_suffix('}').ok_or_else(bad)?,
        None => s,
    };
    let mut hex = String::new();
    let chars: Vec<char> = inner.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_hexdigit() {
            hex.push(c.to_ascii_lowercase());
            i += 1;
            // A hyphen may follow any complete group of four digits.
            if hex.len() % 4 == 0 && hex.len() < 32 && chars.get(i) == Some(&'-') {
                i += 1;
            }
        } else {
            return Err(bad());
        }
    }
    if hex.len() != 32 {
        return Err(bad());
    }
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

/// `bit_in` / `varbit_in` with the typmod (length) rules.
fn bit_input(oid: Oid, s: &str, typmod: TypMod, explicit: bool) -> Result<Evaluated<String>> {
    let bits: String = if let Some(hex) = s.strip_prefix(['x', 'X']) {
        let mut out = String::new();
        for c in hex.chars() {
            let d = c.to_digit(16).ok_or_else(|| {
                err(
                    SqlState::INVALID_TEXT_REPRESENTATION,
                    format!("\"{c}\" is not a valid hexadecimal digit"),
                )
            })?;
            out.push_str(&format!("{d:04b}"));
        }
        out
    } else {
        let body = s.strip_prefix(['b', 'B']).unwrap_or(s);
        for c in body.chars() {
            if c != '0' && c != '1' {
                return Err(err(
                    SqlState::INVALID_TEXT_REPRESENTATION,
                    format!("\"{c}\" is not a valid binary digit"),
                ));
            }
        }
        body.to_owned()
    };
    if typmod <= 0 {
        return Ok(Evaluated::Value(bits));
    }
    let n = usize::try_from(typmod).unwrap_or(0);
    if oid == BIT {
        if bits.len() != n {
            if explicit {
                let mut b: String = bits.chars().take(n).collect();
                while b.len() < n {
                    b.push('0');
                }
                return Ok(Evaluated::Value(b));
            }
            return Err(err(
                SqlState("22026"),
                format!(
                    "bit string length {} does not match type bit({n})",
                    bits.len()
                ),
            ));
        }
    } else if bits.len() > n {
        if explicit {
            return Ok(Evaluated::Value(bits.chars().take(n).collect()));
        }
        return Err(err(
            SqlState::STRING_DATA_RIGHT_TRUNCATION,
            format!("bit string too long for type bit varying({n})"),
        ));
    }
    Ok(Evaluated::Value(bits))
}

/// JSON validation and `jsonb` normalisation.
pub(crate) mod json {
    use super::{err, Result, SqlState};
    use crate::error::Error;

    /// A parsed JSON value; object members keep their order of appearance.
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) enum Json {
        Null,
        Bool(bool),
        /// The number's text as written (validated).
        Number(String),
        /// The decoded string.
        String(String),
        Array(Vec<Json>),
        Object(Vec<(String, Json)>),
    }

    fn bad(s: &str) -> Error {
        err(
            SqlState::INVALID_TEXT_REPRESENTATION,
            format!("invalid input syntax for type json: \"{s}\""),
        )
    }

    struct Parser<'a> {
        src: &'a str,
        b: &'a [u8],
        i: usize,
        depth: usize,
    }

    impl Parser<'_> {
        fn ws(&mut self) {
            while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
                self.i += 1;
            }
        }
        fn value(&mut self) -> Result<Json> {
            self.ws();
            self.depth += 1;
            if self.depth > 200 {
                return Err(err(
                    SqlState::STATEMENT_TOO_COMPLEX,
                    "stack depth limit exceeded",
                ));
            }
            let r = match self.b.get(self.i) {
                Some(b'{') => {
                    self.i += 1;
                    let mut members = Vec::new();
                    self.ws();
                    if self.b.get(self.i) == Some(&b'}') {
                        self.i += 1;
                    } else {
                        loop {
                            self.ws();
                            if self.b.get(self.i) != Some(&b'"') {
                                return Err(bad(self.src));
                            }
                            let k = self.string()?;
                            self.ws();
                            if self.b.get(self.i) != Some(&b':') {
                                return Err(bad(self.src));
                            }
                            self.i += 1;
                            let v = self.value()?;
                            members.push((k, v));
                            self.ws();
                            match self.b.get(self.i) {
                                Some(b',') => self.i += 1,
                                Some(b'}') => {
                                    self.i += 1;
                                    break;
                                }
                                _ => return Err(bad(self.src)),
                            }
                        }
                    }
                    Json::Object(members)
                }
                Some(b'[') => {
                    self.i += 1;
                    let mut items = Vec::new();
                    self.ws();
                    if self.b.get(self.i) == Some(&b']') {
                        self.i += 1;
                    } else {
                        loop {
                            items.push(self.value()?);
                            self.ws();
                            match self.b.get(self.i) {
                                Some(b',') => self.i += 1,
                                Some(b']') => {
                                    self.i += 1;
                                    break;
                                }
                                _ => return Err(bad(self.src)),
                            }
                        }
                    }
                    Json::Array(items)
                }
                Some(b'"') => Json::String(self.string()?),
                Some(b't') if self.src[self.i..].starts_with("true") => {
                    self.i += 4;
                    Json::Bool(true)
                }
                Some(b'f') if self.src[self.i..].starts_with("false") => {
                    self.i += 5;
                    Json::Bool(false)
                }
                Some(b'n') if self.src[self.i..].starts_with("null") => {
                    self.i += 4;
                    Json::Null
                }
                Some(b'-' | b'0'..=b'9') => Json::Number(self.number()?),
                _ => return Err(bad(self.src)),
            };
            self.depth -= 1;
            Ok(r)
        }
        fn number(&mut self) -> Result<String> {
            let start = self.i;
            let b = self.b;
            if b.get(self.i) == Some(&b'-') {
                self.i += 1;
            }
            let ds = self.i;
            while self.i < b.len() && b[self.i].is_ascii_digit() {
                self.i += 1;
            }
            let int_len = self.i - ds;
            if int_len == 0 || (int_len > 1 && b[ds] == b'0') {
                return Err(bad(self.src));
            }
            if b.get(self.i) == Some(&b'.') {
                self.i += 1;
                let fs = self.i;
                while self.i < b.len() && b[self.i].is_ascii_digit() {
                    self.i += 1;
                }
                if self.i == fs {
                    return Err(bad(self.src));
                }
            }
            if matches!(b.get(self.i), Some(b'e' | b'E')) {
                self.i += 1;
                if matches!(b.get(self.i), Some(b'+' | b'-')) {
                    self.i += 1;
                }
                let es = self.i;
                while self.i < b.len() && b[self.i].is_ascii_digit() {
                    self.i += 1;
                }
                if self.i == es {
                    return Err(bad(self.src));
                }
            }
            Ok(self.src[start..self.i].to_owned())
        }
        fn string(&mut self) -> Result<String> {
            // Opening quote.
            self.i += 1;
            let mut out = String::new();
            loop {
                let Some(c) = self.src[self.i..].chars().next() else {
                    return Err(bad(self.src));
                };
                self.i += c.len_utf8();
                match c {
                    '"' => return Ok(out),
                    '\\' => {
                        let Some(e) = self.src[self.i..].chars().next() else {
                            return Err(bad(self.src));
                        };
                        self.i += 1;
                        match e {
                            '"' => out.push('"'),
                            '\\' => out.push('\\'),
                            '/' => out.push('/'),
                            'b' => out.push('\u{8}'),
                            'f' => out.push('\u{c}'),
                            'n' => out.push('\n'),
                            'r' => out.push('\r'),
                            't' => out.push('\t'),
                            'u' => {
                                let hex = self
                                    .src
                                    .get(self.i..self.i + 4)
                                    .ok_or_else(|| bad(self.src))?;
                                let code =
                                    u32::from_str_radix(hex, 16).map_err(|_| bad(self.src))?;
                                self.i += 4;
                                if (0xD800..0xDC00).contains(&code) {
                                    let rest = self
                                        .src
                                        .get(self.i..self.i + 6)
                                        .ok_or_else(|| bad(self.src))?;
                                    let low = rest
                                        .strip_prefix("\\u")
                                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                                        .ok_or_else(|| bad(self.src))?;
                                    self.i += 6;
                                    let c = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                                    out.push(char::from_u32(c).ok_or_else(|| bad(self.src))?);
                                } else if code == 0 {
                                    return Err(err(
                                        SqlState("22P05"),
                                        "unsupported Unicode escape sequence",
                                    ));
                                } else {
                                    out.push(char::from_u32(code).ok_or_else(|| bad(self.src))?);
                                }
                            }
                            _ => return Err(bad(self.src)),
                        }
                    }
                    c if (c as u32) < 0x20 => return Err(bad(self.src)),
                    c => out.push(c),
                }
            }
        }
    }

    /// Parses a JSON text.
    pub(crate) fn parse(s: &str) -> Result<Json> {
        let mut p = Parser {
            src: s,
            b: s.as_bytes(),
            i: 0,
            depth: 0,
        };
        let v = p.value()?;
        p.ws();
        if p.i != p.b.len() {
            return Err(bad(s));
        }
        Ok(v)
    }

    /// Checks that `s` is JSON (`json_in` keeps the text as is).
    pub(crate) fn validate(s: &str) -> Result<()> {
        parse(s).map(|_| ())
    }

    /// `escape_json`.
    pub(crate) fn quote(s: &str, out: &mut String) {
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
    }

    /// A jsonb value in normal form: object keys unique (last wins) and
    /// sorted by length then bytes; numbers as `numeric` prints them.
    pub(crate) fn normalize(v: Json) -> Result<Json> {
        Ok(match v {
            Json::Number(n) => Json::Number(super::numeric::parse(&n)?.to_text()),
            Json::Array(items) => Json::Array(
                items
                    .into_iter()
                    .map(normalize)
                    .collect::<Result<Vec<_>>>()?,
            ),
            Json::Object(members) => {
                let mut out: Vec<(String, Json)> = Vec::new();
                for (k, v) in members {
                    let v = normalize(v)?;
                    if let Some(slot) = out.iter_mut().find(|(key, _)| *key == k) {
                        slot.1 = v;
                    } else {
                        out.push((k, v));
                    }
                }
                out.sort_by(|a, b| {
                    a.0.len()
                        .cmp(&b.0.len())
                        .then_with(|| a.0.as_bytes().cmp(b.0.as_bytes()))
                });
                Json::Object(out)
            }
            other => other,
        })
    }

    /// `jsonb_out` of a normalised value.
    pub(crate) fn write_jsonb(v: &Json, out: &mut String) {
        match v {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(n),
            Json::String(s) => quote(s, out),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write_jsonb(item, out);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    quote(k, out);
                    out.push_str(": ");
                    write_jsonb(v, out);
                }
                out.push('}');
            }
        }
    }

    /// `jsonb_in` then `jsonb_out`.
    pub(crate) fn jsonb_normalize(s: &str) -> Result<String> {
        let v = normalize(parse(s).map_err(|_| {
            err(
                SqlState::INVALID_TEXT_REPRESENTATION,
                format!("invalid input syntax for type json: \"{s}\""),
            )
        })?)?;
        let mut out = String::new();
        write_jsonb(&v, &mut out);
        Ok(out)
    }
}
