//! Array comparison, containment and construction operators over constants.

use super::builtins::{Call, Outcome};
use crate::error::Result;

/// Evaluates `c` when it is an array operator this module knows.
pub(crate) fn call(_c: &Call<'_>) -> Result<Outcome> {
    Ok(None)
}
