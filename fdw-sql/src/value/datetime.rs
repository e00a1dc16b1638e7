//! Dates, times, timestamps and intervals.

use fdw_core::{Oid, TypMod};

use super::{not_evaluable, Evaluated, ValueSettings};
use crate::error::Result;

/// The input function of a date/time type plus its typmod.
pub(crate) fn input(
    oid: Oid,
    _typmod: TypMod,
    _text: &str,
    _settings: &ValueSettings,
) -> Result<Evaluated<String>> {
    not_evaluable(format!(
        "input of date/time type {} is not implemented yet",
        oid.0
    ))
}

/// Re-renders a canonical date/time value.
pub(crate) fn output(
    oid: Oid,
    _canonical: &str,
    _settings: &ValueSettings,
) -> Result<Evaluated<String>> {
    not_evaluable(format!(
        "output of date/time type {} is not implemented yet",
        oid.0
    ))
}

/// Evaluates a date/time built-in; `None` when the function is not one.
pub(crate) fn call(_c: &super::builtins::Call<'_>) -> Result<Option<Evaluated<Option<String>>>> {
    Ok(None)
}
