//! Type names as written in queries (sqlparser's [`DataType`]) to a type
//! oid and typmod, as gram.y's `Typename` and `typenameTypeIdAndMod` give
//! them.
//!
//! The SQL-standard spellings become `pg_catalog` types with modifiers
//! (`integer` is `int4`, `varchar(3)` is `varchar` with typmod 7); any other
//! name is looked up in the catalog along the search path. The typmod
//! arithmetic is the DDL loader's (`fdw_catalog::ddl::typmod`), so a column
//! declared `numeric(10,2)` and a cast `::numeric(10,2)` agree.
//!
//! One grammar subtlety matters for the result type: in a cast, `char` and
//! `bit` without a length mean `char(1)` and `bit(1)`, but as the type of a
//! typed literal (`char 'abc'`, gram.y's `ConstCharacter` / `ConstBit`)
//! they have no length at all. [`TypeNameContext`] says which.

use fdw_catalog::ddl::typmod::{typmod, INTERVAL_FULL_RANGE};
use fdw_catalog::Catalog;
use fdw_core::{Oid, TypMod};
use sqlparser::ast::{
    ArrayElemTypeDef, CharacterLength, DataType, ExactNumberInfo, GeometricTypeKind,
    IntervalFields, ObjectName, TimezoneInfo,
};

use crate::analyze::ident_name;
use crate::error::{Error, Position, Result, SqlState};

/// Where a type name is written; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeNameContext {
    /// A cast (`::t`, `CAST(x AS t)`) or a declaration: `char` is `char(1)`.
    Cast,
    /// The type of a typed literal (`t 'text'`): `char` has no length.
    Literal,
}

/// A type name split into the parts `typenameTypeIdAndMod` needs.
struct RawTypeName {
    schema: Option<String>,
    name: String,
    modifiers: Vec<i64>,
    array: bool,
}

impl RawTypeName {
    fn system(name: &str, modifiers: Vec<i64>) -> RawTypeName {
        RawTypeName {
            schema: Some("pg_catalog".to_owned()),
            name: name.to_owned(),
            modifiers,
            array: false,
        }
    }
}

/// Resolves a type name to its oid and typmod.
///
/// # Errors
///
/// PostgreSQL's: `type "x" does not exist` (42704), invalid modifiers
/// (`length for type varchar must be at least 1`, 22023; `type modifier is
/// not allowed for type "text"`, 42601), float precisions out of range
/// (22023).
pub fn resolve_data_type(
    catalog: &Catalog,
    data_type: &DataType,
    context: TypeNameContext,
    position: Option<Position>,
) -> Result<(Oid, TypMod)> {
    let raw = raw_type_name(data_type, context, position)?;
    let elem = lookup(catalog, raw.schema.as_deref(), &raw.name, position)?;
    let computed = typmod(elem, &raw.name, &raw.modifiers).map_err(|err| {
        let message = match err {
            fdw_catalog::Error::InvalidDefinition(message) => message,
            other => other.to_string(),
        };
        // typmodin functions raise 22023; the generic refusal is a syntax error.
        let code = if message.starts_with("type modifier is not allowed") {
            SqlState::SYNTAX_ERROR
        } else {
            SqlState::INVALID_PARAMETER_VALUE
        };
        Error::analyze(code, message, position)
    })?;
    if !raw.array {
        return Ok((elem, computed.value));
    }
    // `int[][]` is the same type as `int[]`; an array of an array type too.
    let is_array = catalog.type_info(elem).is_some_and(|t| t.is_array());
    if is_array {
        return Ok((elem, computed.value));
    }
    match catalog.array_type_of(elem) {
        Some(array) => Ok((array, computed.value)),
        None => Err(Error::analyze(
            SqlState::UNDEFINED_OBJECT,
            format!(
                "could not find array type for data type {}",
                catalog.format_type(elem)
            ),
            position,
        )),
    }
}

/// Looks a type up by name (`LookupTypeName`), PostgreSQL's error when absent.
fn lookup(
    catalog: &Catalog,
    schema: Option<&str>,
    name: &str,
    position: Option<Position>,
) -> Result<Oid> {
    if let Some(schema) = schema {
        if catalog.namespace_oid(schema).is_none() {
            return Err(Error::analyze(
                SqlState::INVALID_SCHEMA_NAME,
                format!("schema \"{schema}\" does not exist"),
                position,
            ));
        }
    }
    catalog.resolve_type(schema, name).map_err(|_| {
        let shown = match schema {
            Some(schema) if schema != "pg_catalog" => format!("{schema}.{name}"),
            _ => name.to_owned(),
        };
        Error::analyze(
            SqlState::UNDEFINED_OBJECT,
            format!("type \"{shown}\" does not exist"),
            position,
        )
    })
}

fn syntax_error(position: Option<Position>, near: &str) -> Error {
    Error::analyze(
        SqlState::SYNTAX_ERROR,
        format!("syntax error at or near \"{near}\""),
        position,
    )
}

/// Integer type names take no display width in PostgreSQL (`int(3)` is a
/// syntax error there).
fn no_width(width: &Option<u64>, position: Option<Position>) -> Result<()> {
    match width {
        None => Ok(()),
        Some(_) => Err(syntax_error(position, "(")),
    }
}

fn char_length(len: &Option<CharacterLength>, position: Option<Position>) -> Result<Option<i64>> {
    match len {
        None => Ok(None),
        Some(CharacterLength::IntegerLength { length, unit: None }) => {
            Ok(Some(i64::try_from(*length).unwrap_or(i64::MAX)))
        }
        Some(_) => Err(syntax_error(position, "(")),
    }
}

fn width(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

fn numeric_mods(info: &ExactNumberInfo) -> Vec<i64> {
    match info {
        ExactNumberInfo::None => Vec::new(),
        ExactNumberInfo::Precision(p) => vec![width(*p)],
        ExactNumberInfo::PrecisionAndScale(p, s) => vec![width(*p), *s],
    }
}

/// gram.y's `opt_float`: `float(p)` is `float4` up to 24 bits, `float8` up
/// to 53.
fn float_type(info: &ExactNumberInfo, position: Option<Position>) -> Result<RawTypeName> {
    let precision = match info {
        ExactNumberInfo::None => return Ok(RawTypeName::system("float8", Vec::new())),
        ExactNumberInfo::Precision(p) => width(*p),
        ExactNumberInfo::PrecisionAndScale(..) => return Err(syntax_error(position, ",")),
    };
    if precision < 1 {
        return Err(Error::analyze(
            SqlState::INVALID_PARAMETER_VALUE,
            "precision for type float must be at least 1 bit",
            position,
        ));
    }
    if precision <= 24 {
        Ok(RawTypeName::system("float4", Vec::new()))
    } else if precision <= 53 {
        Ok(RawTypeName::system("float8", Vec::new()))
    } else {
        Err(Error::analyze(
            SqlState::INVALID_PARAMETER_VALUE,
            "precision for type float must be less than 54 bits",
            position,
        ))
    }
}

/// The `INTERVAL_MASK` bit of a field (`datetime.h`).
fn interval_mask(field: &str) -> i64 {
    let bit = match field {
        "month" => 1,
        "year" => 2,
        "day" => 3,
        "hour" => 10,
        "minute" => 11,
        _ => 12,
    };
    1 << bit
}

/// The range mask of `interval` fields from `first` to `last`.
pub(crate) fn interval_range(first: &str, last: Option<&str>) -> i64 {
    const ORDER: [&str; 6] = ["year", "month", "day", "hour", "minute", "second"];
    let Some(last) = last else {
        return interval_mask(first);
    };
    let from = ORDER.iter().position(|f| *f == first).unwrap_or(0);
    let to = ORDER.iter().position(|f| *f == last).unwrap_or(from);
    ORDER
        .get(from..=to)
        .unwrap_or(&[])
        .iter()
        .fold(0, |mask, field| mask | interval_mask(field))
}

/// The modifiers of `interval [fields] [(p)]`: a range mask, then the
/// precision, as gram.y's `opt_interval` builds them.
pub(crate) fn interval_mods(
    fields: Option<(&str, Option<&str>)>,
    precision: Option<u64>,
) -> Vec<i64> {
    let mut mods = Vec::new();
    match fields {
        Some((first, last)) => mods.push(interval_range(first, last)),
        None => {
            if precision.is_some() {
                mods.push(INTERVAL_FULL_RANGE);
            }
        }
    }
    if let Some(p) = precision {
        mods.push(width(p));
    }
    mods
}

fn interval_fields(fields: &IntervalFields) -> (&'static str, Option<&'static str>) {
    match fields {
        IntervalFields::Year => ("year", None),
        IntervalFields::Month => ("month", None),
        IntervalFields::Day => ("day", None),
        IntervalFields::Hour => ("hour", None),
        IntervalFields::Minute => ("minute", None),
        IntervalFields::Second => ("second", None),
        IntervalFields::YearToMonth => ("year", Some("month")),
        IntervalFields::DayToHour => ("day", Some("hour")),
        IntervalFields::DayToMinute => ("day", Some("minute")),
        IntervalFields::DayToSecond => ("day", Some("second")),
        IntervalFields::HourToMinute => ("hour", Some("minute")),
        IntervalFields::HourToSecond => ("hour", Some("second")),
        IntervalFields::MinuteToSecond => ("minute", Some("second")),
    }
}

fn time_type(
    base: &str,
    precision: &Option<u64>,
    tz: &TimezoneInfo,
    position: Option<Position>,
) -> Result<RawTypeName> {
    let with_zone = match tz {
        TimezoneInfo::None | TimezoneInfo::WithoutTimeZone => false,
        TimezoneInfo::WithTimeZone => true,
        // `timestamptz` / `timetz` written as one word.
        TimezoneInfo::Tz => {
            return Ok(RawTypeName {
                schema: None,
                name: format!("{base}tz"),
                modifiers: precision.iter().map(|p| width(*p)).collect(),
                array: false,
            })
        }
        #[allow(unreachable_patterns)]
        _ => return Err(syntax_error(position, base)),
    };
    let name = if with_zone {
        format!("{base}tz")
    } else {
        base.to_owned()
    };
    Ok(RawTypeName::system(
        &name,
        precision.iter().map(|p| width(*p)).collect(),
    ))
}

/// A user-visible name in the catalog (`schema.name(mods)`).
fn named(name: &ObjectName, mods: &[String], position: Option<Position>) -> Result<RawTypeName> {
    let parts: Vec<String> = name
        .0
        .iter()
        .map(|part| match part.as_ident() {
            Some(ident) => ident_name(ident),
            None => part.to_string(),
        })
        .collect();
    let modifiers = mods
        .iter()
        .map(|m| {
            m.trim()
                .parse::<i64>()
                .map_err(|_| syntax_error(position, m))
        })
        .collect::<Result<Vec<_>>>()?;
    let (schema, name) = match parts.as_slice() {
        [name] => (None, name.clone()),
        [schema, name] | [_, schema, name] => (Some(schema.clone()), name.clone()),
        _ => {
            return Err(Error::analyze(
                SqlState::SYNTAX_ERROR,
                format!(
                    "improper qualified name (too many dotted names): {}",
                    parts.join(".")
                ),
                position,
            ))
        }
    };
    Ok(RawTypeName {
        schema,
        name,
        modifiers,
        array: false,
    })
}

fn raw_type_name(
    data_type: &DataType,
    context: TypeNameContext,
    position: Option<Position>,
) -> Result<RawTypeName> {
    let sys = |name: &str| Ok(RawTypeName::system(name, Vec::new()));
    // `char` / `bit` without a length: (1) in casts, none in typed literals.
    let default_len = |len: Option<i64>| match (len, context) {
        (Some(len), _) => vec![len],
        (None, TypeNameContext::Cast) => vec![1],
        (None, TypeNameContext::Literal) => Vec::new(),
    };
    match data_type {
        DataType::Int(w) | DataType::Integer(w) => {
            no_width(w, position)?;
            sys("int4")
        }
        DataType::SmallInt(w) => {
            no_width(w, position)?;
            sys("int2")
        }
        DataType::BigInt(w) => {
            no_width(w, position)?;
            sys("int8")
        }
        DataType::Int2(w) | DataType::Int4(w) | DataType::Int8(w) => {
            no_width(w, position)?;
            // Plain catalog names in PostgreSQL, found along the search path.
            let name = match data_type {
                DataType::Int2(_) => "int2",
                DataType::Int4(_) => "int4",
                _ => "int8",
            };
            Ok(RawTypeName {
                schema: None,
                name: name.to_owned(),
                modifiers: Vec::new(),
                array: false,
            })
        }
        DataType::Real => sys("float4"),
        DataType::DoublePrecision => sys("float8"),
        DataType::Float(info) => float_type(info, position),
        DataType::Numeric(info) | DataType::Decimal(info) | DataType::Dec(info) => {
            Ok(RawTypeName::system("numeric", numeric_mods(info)))
        }
        DataType::Boolean => sys("bool"),
        DataType::Character(len) | DataType::Char(len) => {
            let len = char_length(len, position)?;
            Ok(RawTypeName::system("bpchar", default_len(len)))
        }
        DataType::CharacterVarying(len) | DataType::CharVarying(len) | DataType::Varchar(len) => {
            let len = char_length(len, position)?;
            Ok(RawTypeName::system("varchar", len.into_iter().collect()))
        }
        DataType::Bit(len) => {
            let len = len.map(width);
            Ok(RawTypeName::system("bit", default_len(len)))
        }
        DataType::BitVarying(len) | DataType::VarBit(len) => Ok(RawTypeName::system(
            "varbit",
            len.map(width).into_iter().collect(),
        )),
        DataType::Timestamp(precision, tz) => time_type("timestamp", precision, tz, position),
        DataType::Time(precision, tz) => time_type("time", precision, tz, position),
        DataType::Interval { fields, precision } => {
            let fields = fields.as_ref().map(interval_fields);
            Ok(RawTypeName::system(
                "interval",
                interval_mods(fields, *precision),
            ))
        }
        DataType::Array(elem) => {
            let inner = match elem {
                ArrayElemTypeDef::SquareBracket(inner, _)
                | ArrayElemTypeDef::Qualified(inner, _) => inner,
                ArrayElemTypeDef::None
                | ArrayElemTypeDef::AngleBracket(_)
                | ArrayElemTypeDef::Parenthesis(_) => return Err(syntax_error(position, "ARRAY")),
            };
            let mut raw = raw_type_name(inner, context, position)?;
            raw.array = true;
            Ok(raw)
        }
        DataType::Custom(name, mods) => named(name, mods, position),
        DataType::GeometricType(kind) => {
            let name = match kind {
                GeometricTypeKind::Point => "point",
                GeometricTypeKind::Line => "line",
                GeometricTypeKind::LineSegment => "lseg",
                GeometricTypeKind::GeometricBox => "box",
                GeometricTypeKind::GeometricPath => "path",
                GeometricTypeKind::Polygon => "polygon",
                GeometricTypeKind::Circle => "circle",
            };
            Ok(RawTypeName {
                schema: None,
                name: name.to_owned(),
                modifiers: Vec::new(),
                array: false,
            })
        }
        // Everything else is an ordinary name to PostgreSQL's grammar
        // (`text`, `date`, `uuid`, `json`, ...) or a word of another
        // dialect (`string`, `datetime`) that only a user type could match.
        other => {
            let text = other.to_string();
            let (name, mods) = match text.split_once('(') {
                Some((name, rest)) => (
                    name.trim().to_lowercase(),
                    rest.trim_end_matches(')')
                        .split(',')
                        .map(str::to_owned)
                        .collect::<Vec<_>>(),
                ),
                None => (text.trim().to_lowercase(), Vec::new()),
            };
            if name.contains(' ') || name.contains('<') {
                return Err(syntax_error(position, &text));
            }
            let modifiers = mods
                .iter()
                .map(|m| {
                    m.trim()
                        .parse::<i64>()
                        .map_err(|_| syntax_error(position, m))
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(RawTypeName {
                schema: None,
                name,
                modifiers,
                array: false,
            })
        }
    }
}
