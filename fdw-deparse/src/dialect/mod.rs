//! Dialects: how one remote engine spells SQL and what it accepts.
//!
//! The deparser and the shippability walker never ask which engine or
//! version they print for; they ask a capability method. Capability
//! defaults are the safe answer ("don't ship", "always label"): a wrong
//! "yes" silently returns wrong rows, a wrong "no" only costs speed.

mod postgres;

use std::fmt;

use fdw_catalog::Catalog;
use fdw_core::expr::Const;
use fdw_core::{Oid, TypMod};

use crate::error::Result;

pub use postgres::PostgresDialect;

/// How [`Dialect::write_const`] decides whether to append `::type` to a
/// constant (postgres_fdw's `showtype` argument of `deparseConst`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConstLabel {
    /// Label unless the literal is read back as the right type anyway
    /// (`showtype = 0`): `integer` and `boolean` literals, floats that are
    /// `numeric`, ...
    WhenNeeded,
    /// Always label (`showtype = 1`): sort and group keys inside aggregates,
    /// where a bare number would be taken as a column position.
    Always,
    /// Label unless printed as an untyped string literal or `NULL`
    /// (`showtype = -2`): the constant side of a comparison with a plain
    /// foreign column, whose type the remote parser then infers.
    UnlessUntypedLiteral,
}

/// How one remote engine spells SQL and what it accepts.
///
/// Spelling methods write into `out`; the deparser owns the buffer.
/// Capability methods (`supports_*`, `requires_*`) default to the
/// conservative answer, so a new dialect ships nothing it has not opted in to.
pub trait Dialect: fmt::Debug + Send + Sync {
    /// Short lower-case name of the engine (`postgres`).
    fn name(&self) -> &'static str;

    /// Name and version for messages (`postgres 15`).
    fn describe(&self) -> String {
        self.name().to_string()
    }

    /// Appends `ident` as an identifier, quoted when the engine would not
    /// read it back unchanged (PostgreSQL: `quote_identifier`, spec §2.2,
    /// with the version's keyword list).
    fn quote_ident(&self, ident: &str, out: &mut String);

    /// Appends the name of type `type_oid` with modifier `typmod` as the
    /// remote server must read it (PostgreSQL: `format_type_extended` with
    /// `FORMAT_TYPE_TYPEMOD_GIVEN`, qualified unless built in; spec §2.5).
    ///
    /// # Errors
    ///
    /// [`crate::Error::UnknownObject`] when the catalog lacks the type or
    /// its namespace; [`crate::Error::Unsupported`] for a non-built-in type
    /// modifier the dialect cannot print.
    fn type_name(
        &self,
        catalog: &Catalog,
        type_oid: Oid,
        typmod: TypMod,
        out: &mut String,
    ) -> Result<()>;

    /// Appends a reference to statement parameter number `index` (1-based)
    /// of type `type_name` (PostgreSQL: `$1::integer`, spec §2.7.3).
    fn write_param(&self, index: usize, type_name: &str, out: &mut String);

    /// Appends a typed stand-in for a parameter in a statement that is only
    /// explained, never executed (PostgreSQL: `((SELECT null::integer)::integer)`).
    fn write_param_placeholder(&self, type_name: &str, out: &mut String);

    /// Appends `value` as a string literal (PostgreSQL: `'it''s'`, and
    /// `E'...'` with doubled backslashes when it contains a backslash).
    fn write_string_literal(&self, value: &str, out: &mut String);

    /// Appends constant `constant`, labelled with its type as `label`
    /// decides (PostgreSQL: `deparseConst`, spec §2.7.2). The value is the
    /// type's text output form, already formatted by the caller.
    ///
    /// # Errors
    ///
    /// When the type name cannot be printed (see [`Dialect::type_name`]) or
    /// the value cannot be written as a literal (a NUL byte).
    fn write_const(
        &self,
        catalog: &Catalog,
        constant: &Const,
        label: ConstLabel,
        out: &mut String,
    ) -> Result<()>;

    /// True when `CASE` expressions may be shipped (PostgreSQL 15+).
    fn supports_case_pushdown(&self) -> bool {
        false
    }

    /// True when the `::type` of a string constant compared with a plain
    /// foreign column of the same type may be left out, so the remote
    /// parser infers it from the column (PostgreSQL 15+, spec §2.7.5).
    /// Without it every such constant is labelled, which is always correct.
    fn supports_const_cast_suppression(&self) -> bool {
        false
    }

    /// True when postfix operators (`5 !`) exist and may be printed
    /// (PostgreSQL 13 and older).
    fn supports_postfix_operators(&self) -> bool {
        false
    }

    /// True when a constant of an object-identifier type (`regclass`,
    /// `regproc`, `regconfig`, ...) may be shipped only if the object it
    /// names is shippable (PostgreSQL 16+, spec §1.9). PostgreSQL 13–15 ship
    /// any such constant; checking is the safe default.
    fn requires_shippable_reg_constants(&self) -> bool {
        true
    }
}
