//! Values of built-in types: input and output functions and the evaluators
//! of immutable built-ins.
//!
//! Every value is carried as PostgreSQL's text output form for its type
//! (the form a `Const` holds). Input functions turn any accepted spelling
//! into that canonical form; evaluators parse canonical forms, compute, and
//! print the result canonically again.
//!
//! What cannot be evaluated faithfully (an unsupported type, a time zone we
//! have no rules for, a value read from the clock) is answered with
//! [`Evaluated::NotEvaluable`] and a reason, never with a guess: the caller
//! then leaves the expression unfolded, as a correct but less folded tree.

pub(crate) mod array;
mod array_ops;
mod builtins;
pub(crate) mod cube;
mod datetime;
mod float;
mod int;
mod jsonb;
mod misc;
mod numeric;
mod regex;
mod text;

use std::sync::Arc;

use fdw_catalog::catalog::Catalog;
use fdw_core::{Oid, TypMod};

use crate::error::{Error, Result, SqlState};

pub use builtins::call_builtin;
pub use datetime::j2date;

/// The session settings that change how values are read and printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueSettings {
    /// `DateStyle`'s output part: `ISO`, `SQL`, `Postgres` or `German`.
    pub date_output: DateOutput,
    /// `DateStyle`'s field order for ambiguous input such as `01/02/2020`.
    pub date_order: DateOrder,
    /// `IntervalStyle`.
    pub interval_style: IntervalStyle,
    /// `TimeZone`, as set (`GMT`, `UTC`, `+05:30`, `Europe/Paris`, ...);
    /// shared with the catalog's settings rather than copied for each
    /// literal and fold.
    pub time_zone: Arc<str>,
    /// `extra_float_digits` (-15 ..= 3); above 0 floats print shortest-exact.
    pub extra_float_digits: i32,
    /// Whether the database's default collation is known to order text
    /// bytewise (`lc_collate` is `C` or `POSIX`).
    pub default_collation_is_c: bool,
    /// The input collation of the call being evaluated (`inputcollid`),
    /// set by the caller per call; [`Oid::INVALID`] when there is none,
    /// which leaves every collation-dependent comparison unevaluated.
    pub input_collation: Oid,
}

/// The output part of `DateStyle`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOutput {
    /// `ISO`: `2020-01-02 03:04:05`.
    Iso,
    /// `SQL`: `01/02/2020 03:04:05`.
    Sql,
    /// `Postgres`: `Thu Jan 02 03:04:05 2020`.
    Postgres,
    /// `German`: `02.01.2020 03:04:05`.
    German,
}

/// The field order part of `DateStyle`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// Month, day, year.
    Mdy,
    /// Day, month, year.
    Dmy,
    /// Year, month, day.
    Ymd,
}

/// `IntervalStyle`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntervalStyle {
    /// `postgres`: `1 year 2 mons 3 days 04:05:06`.
    Postgres,
    /// `postgres_verbose`: `@ 1 year 2 mons ...`.
    PostgresVerbose,
    /// `sql_standard`: `1-2 3 4:05:06`.
    SqlStandard,
    /// `iso_8601`: `P1Y2M3DT4H5M6S`.
    Iso8601,
}

impl ValueSettings {
    /// The settings of the local session described by the catalog's settings.
    pub fn from_catalog(catalog: &Catalog) -> ValueSettings {
        // Kept ready by the settings: this runs for every constant folded.
        let formats = catalog.settings().value_formats();
        let (date_output, date_order) = parse_date_style(&formats.date_style);
        let interval_style = match formats.interval_style.as_str() {
            "postgres_verbose" => IntervalStyle::PostgresVerbose,
            "sql_standard" => IntervalStyle::SqlStandard,
            "iso_8601" => IntervalStyle::Iso8601,
            _ => IntervalStyle::Postgres,
        };
        let time_zone = if formats.time_zone.is_empty() {
            Arc::from("GMT")
        } else {
            Arc::clone(&formats.time_zone)
        };
        ValueSettings {
            date_output,
            date_order,
            interval_style,
            time_zone,
            extra_float_digits: formats.extra_float_digits,
            default_collation_is_c: formats.default_collation_is_c,
            input_collation: Oid::INVALID,
        }
    }

    /// postgres_fdw's transmission settings (`set_transmission_modes`):
    /// `DateStyle = ISO`, `IntervalStyle = postgres`, `extra_float_digits =
    /// 3`; the field order for input and `TimeZone` stay the session's.
    pub fn transmission(catalog: &Catalog) -> ValueSettings {
        ValueSettings {
            date_output: DateOutput::Iso,
            interval_style: IntervalStyle::Postgres,
            extra_float_digits: 3,
            ..ValueSettings::from_catalog(catalog)
        }
    }
}

impl Default for ValueSettings {
    /// PostgreSQL's defaults with postgres_fdw's transmission modes: ISO,
    /// MDY, `postgres` intervals, `extra_float_digits = 3`, `TimeZone = GMT`.
    fn default() -> ValueSettings {
        ValueSettings {
            date_output: DateOutput::Iso,
            date_order: DateOrder::Mdy,
            interval_style: IntervalStyle::Postgres,
            time_zone: Arc::from("GMT"),
            extra_float_digits: 3,
            default_collation_is_c: false,
            input_collation: Oid::INVALID,
        }
    }
}

impl ValueSettings {
    /// Whether the input collation orders text bytewise, as `C` does
    /// (`lc_collate_is_c`): the `C` and `POSIX` collations (and any
    /// built-in libc collation whose `collcollate` is one of them), and the
    /// default collation when `lc_collate` says so. Anything else (an ICU
    /// or libc locale, a user collation, no collation) is not known to
    /// order like `C`.
    pub(crate) fn collation_is_c(&self, catalog: &Catalog) -> bool {
        let collation = self.input_collation;
        if collation == Oid::DEFAULT_COLLATION {
            return self.default_collation_is_c;
        }
        if collation == Oid::INVALID {
            return false;
        }
        catalog.builtin().collation(collation).is_some_and(|c| {
            c.provider == fdw_catalog::builtin::CollationProvider::Libc
                && c.deterministic
                && matches!(c.collate.as_str(), "C" | "POSIX")
        })
    }
}

/// Splits a `DateStyle` value such as `ISO, MDY` into its two parts.
fn parse_date_style(text: &str) -> (DateOutput, DateOrder) {
    // The default spelling, as the settings print it, is read without
    // splitting: these settings are made for every literal coerced and
    // every constant folded. (The general loop gives the same answer; a
    // test compares them.)
    if text == "ISO, MDY" {
        return (DateOutput::Iso, DateOrder::Mdy);
    }
    date_style_words(text)
}

/// [`parse_date_style`]'s general reading: each comma-separated word, in
/// any case, sets the output format or the field order.
fn date_style_words(text: &str) -> (DateOutput, DateOrder) {
    let mut output = DateOutput::Iso;
    let mut order = DateOrder::Mdy;
    for part in text.split(',') {
        // Lower-cased into a stack buffer and matched once: this runs for
        // every literal coerced and every constant folded, and a chain of
        // case-insensitive comparisons per word was a measurable share of
        // parse analysis. No keyword is longer than 16 bytes, so a longer
        // word is none of them.
        let word = part.trim().as_bytes();
        let mut buffer = [0_u8; 16];
        let Some(lower) = buffer.get_mut(..word.len()) else {
            continue;
        };
        lower.copy_from_slice(word);
        lower.make_ascii_lowercase();
        match &*lower {
            b"iso" => output = DateOutput::Iso,
            b"sql" => output = DateOutput::Sql,
            b"postgres" => output = DateOutput::Postgres,
            b"german" => output = DateOutput::German,
            b"mdy" | b"us" | b"noneuropean" => order = DateOrder::Mdy,
            b"dmy" | b"euro" | b"european" => order = DateOrder::Dmy,
            b"ymd" => order = DateOrder::Ymd,
            _ => {}
        }
    }
    (output, order)
}

/// The result of trying to evaluate something PostgreSQL would evaluate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evaluated<T> {
    /// The value, as PostgreSQL computes it.
    Value(T),
    /// This crate cannot evaluate it faithfully; the reason, in words.
    NotEvaluable(String),
}

impl<T> Evaluated<T> {
    /// Applies `f` to a value, keeping the reason of a non-evaluable one.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Evaluated<U> {
        match self {
            Evaluated::Value(v) => Evaluated::Value(f(v)),
            Evaluated::NotEvaluable(reason) => Evaluated::NotEvaluable(reason),
        }
    }
}

/// Short-hand for "not evaluable because ...".
pub(crate) fn not_evaluable<T>(reason: impl Into<String>) -> Result<Evaluated<T>> {
    Ok(Evaluated::NotEvaluable(reason.into()))
}

/// `invalid input syntax for type T: "text"` (22P02).
pub(crate) fn invalid_syntax(type_name: &str, text: &str) -> Error {
    Error::evaluate(
        SqlState::INVALID_TEXT_REPRESENTATION,
        format!("invalid input syntax for type {type_name}: \"{text}\""),
        None,
    )
}

/// `value "text" is out of range for type T` (22003).
pub(crate) fn out_of_range_for(type_name: &str, text: &str) -> Error {
    Error::evaluate(
        SqlState::NUMERIC_VALUE_OUT_OF_RANGE,
        format!("value \"{text}\" is out of range for type {type_name}"),
        None,
    )
}

/// An error with PostgreSQL's code and message.
pub(crate) fn err(code: SqlState, message: impl Into<String>) -> Error {
    Error::evaluate(code, message, None)
}

/// Runs type `type_oid`'s input function on `text` and applies the typmod
/// coercion (`varchar(3)`, `numeric(5,2)`, `timestamp(0)`, ...) as an
/// explicit cast would (`'abcd'::varchar(3)` truncates), returning the
/// canonical output text under `settings` (which should be
/// [`ValueSettings::transmission`] for constants).
///
/// # Errors
///
/// PostgreSQL's error for the same input: `invalid input syntax for type
/// integer: "x"` (22P02), out of range (22003), bad dates (22007/22008), ...
pub fn input(
    catalog: &Catalog,
    type_oid: Oid,
    typmod: TypMod,
    text: &str,
    settings: &ValueSettings,
) -> Result<Evaluated<String>> {
    misc::input_value(catalog, type_oid, typmod, text, settings, true)
}

/// Like [`input`], but with assignment semantics for the typmod: a string
/// too long for `varchar(n)` is an error (22001) instead of being cut.
///
/// # Errors
///
/// As [`input`], plus `value too long for type character varying(3)`.
pub fn input_assignment(
    catalog: &Catalog,
    type_oid: Oid,
    typmod: TypMod,
    text: &str,
    settings: &ValueSettings,
) -> Result<Evaluated<String>> {
    misc::input_value(catalog, type_oid, typmod, text, settings, false)
}

/// Re-renders a canonical value (as [`input`] returns it under the
/// transmission settings) under other `settings`: another `DateStyle`,
/// `IntervalStyle` or `extra_float_digits`.
///
/// # Errors
///
/// When `canonical` is not a valid value of the type.
pub fn output(
    catalog: &Catalog,
    type_oid: Oid,
    canonical: &str,
    settings: &ValueSettings,
) -> Result<Evaluated<String>> {
    misc::output_value(catalog, type_oid, canonical, settings)
}

/// The polymorphic operand type whose operators serve `type_oid`:
/// `anyenum` for an enum, `anyarray` for an array, looking through
/// domains; `None` for other types.
pub(crate) fn misc_shape_generic(catalog: &Catalog, mut type_oid: Oid) -> Option<Oid> {
    for _ in 0..32 {
        match misc::shape(catalog, type_oid) {
            misc::Shape::Enum(_) => return Some(Oid(3500)),
            misc::Shape::Array(_) => return Some(Oid(2277)),
            misc::Shape::Domain(base, _) => type_oid = base,
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod date_style_tests {
    use super::{date_style_words, parse_date_style, DateOrder, DateOutput};

    #[test]
    fn the_default_spelling_shortcut_agrees_with_the_general_reading() {
        assert_eq!(parse_date_style("ISO, MDY"), date_style_words("ISO, MDY"));
        assert_eq!(
            date_style_words("ISO, MDY"),
            (DateOutput::Iso, DateOrder::Mdy)
        );
    }

    #[test]
    fn reads_both_parts_in_any_case_and_order() {
        let cases = [
            ("ISO, MDY", DateOutput::Iso, DateOrder::Mdy),
            ("sql, dmy", DateOutput::Sql, DateOrder::Dmy),
            ("European, Postgres", DateOutput::Postgres, DateOrder::Dmy),
            (" German ,YMD", DateOutput::German, DateOrder::Ymd),
            ("NonEuropean,SQL", DateOutput::Sql, DateOrder::Mdy),
            ("euro", DateOutput::Iso, DateOrder::Dmy),
            ("US, iso", DateOutput::Iso, DateOrder::Mdy),
            // Unknown and over-long words change nothing.
            (
                "postgresql, a-word-longer-than-sixteen",
                DateOutput::Iso,
                DateOrder::Mdy,
            ),
            ("", DateOutput::Iso, DateOrder::Mdy),
        ];
        for (text, output, order) in cases {
            assert_eq!(parse_date_style(text), (output, order), "{text}");
        }
    }
}
