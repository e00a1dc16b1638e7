//! The error type of `fdw-sql`: one enum for the whole crate, each error
//! carrying PostgreSQL's SQLSTATE for the same mistake and, where there is
//! one, the position in the query text.
//!
//! Messages follow PostgreSQL's wording (lower-case, no trailing period),
//! so a user who knows PostgreSQL recognises them.

use std::fmt;

/// A 1-based position in the query text (line and column, in characters),
/// as sqlparser's locations give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// A PostgreSQL error code (SQLSTATE), five characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SqlState(pub &'static str);

impl SqlState {
    /// `42601` syntax_error.
    pub const SYNTAX_ERROR: SqlState = SqlState("42601");
    /// `42P01` undefined_table.
    pub const UNDEFINED_TABLE: SqlState = SqlState("42P01");
    /// `42703` undefined_column.
    pub const UNDEFINED_COLUMN: SqlState = SqlState("42703");
    /// `42702` ambiguous_column.
    pub const AMBIGUOUS_COLUMN: SqlState = SqlState("42702");
    /// `42P09` ambiguous_alias.
    pub const AMBIGUOUS_ALIAS: SqlState = SqlState("42P09");
    /// `42712` duplicate_alias.
    pub const DUPLICATE_ALIAS: SqlState = SqlState("42712");
    /// `42883` undefined_function (also used for operators).
    pub const UNDEFINED_FUNCTION: SqlState = SqlState("42883");
    /// `42725` ambiguous_function.
    pub const AMBIGUOUS_FUNCTION: SqlState = SqlState("42725");
    /// `42704` undefined_object (types, collations).
    pub const UNDEFINED_OBJECT: SqlState = SqlState("42704");
    /// `3F000` invalid_schema_name.
    pub const INVALID_SCHEMA_NAME: SqlState = SqlState("3F000");
    /// `42804` datatype_mismatch.
    pub const DATATYPE_MISMATCH: SqlState = SqlState("42804");
    /// `42846` cannot_coerce.
    pub const CANNOT_COERCE: SqlState = SqlState("42846");
    /// `42P18` indeterminate_datatype.
    pub const INDETERMINATE_DATATYPE: SqlState = SqlState("42P18");
    /// `42P22` indeterminate_collation.
    pub const INDETERMINATE_COLLATION: SqlState = SqlState("42P22");
    /// `42P21` collation_mismatch.
    pub const COLLATION_MISMATCH: SqlState = SqlState("42P21");
    /// `42803` grouping_error.
    pub const GROUPING_ERROR: SqlState = SqlState("42803");
    /// `42P20` windowing_error.
    pub const WINDOWING_ERROR: SqlState = SqlState("42P20");
    /// `42809` wrong_object_type.
    pub const WRONG_OBJECT_TYPE: SqlState = SqlState("42809");
    /// `42P10` invalid_column_reference.
    pub const INVALID_COLUMN_REFERENCE: SqlState = SqlState("42P10");
    /// `428C9` generated_always.
    pub const GENERATED_ALWAYS: SqlState = SqlState("428C9");
    /// `22012` division_by_zero.
    pub const DIVISION_BY_ZERO: SqlState = SqlState("22012");
    /// `22003` numeric_value_out_of_range.
    pub const NUMERIC_VALUE_OUT_OF_RANGE: SqlState = SqlState("22003");
    /// `22P02` invalid_text_representation.
    pub const INVALID_TEXT_REPRESENTATION: SqlState = SqlState("22P02");
    /// `22007` invalid_datetime_format.
    pub const INVALID_DATETIME_FORMAT: SqlState = SqlState("22007");
    /// `22008` datetime_field_overflow.
    pub const DATETIME_FIELD_OVERFLOW: SqlState = SqlState("22008");
    /// `22001` string_data_right_truncation.
    pub const STRING_DATA_RIGHT_TRUNCATION: SqlState = SqlState("22001");
    /// `22023` invalid_parameter_value.
    pub const INVALID_PARAMETER_VALUE: SqlState = SqlState("22023");
    /// `2202E` array_subscript_error.
    pub const ARRAY_SUBSCRIPT_ERROR: SqlState = SqlState("2202E");
    /// `22000` data_exception.
    pub const DATA_EXCEPTION: SqlState = SqlState("22000");
    /// `0A000` feature_not_supported.
    pub const FEATURE_NOT_SUPPORTED: SqlState = SqlState("0A000");
    /// `object_not_in_prerequisite_state` (a view that is not updatable).
    pub const OBJECT_NOT_IN_PREREQUISITE_STATE: SqlState = SqlState("55000");
    /// `invalid_recursion` (a view that refers to itself).
    pub const INVALID_RECURSION: SqlState = SqlState("42P17");
    /// `54001` statement_too_complex.
    pub const STATEMENT_TOO_COMPLEX: SqlState = SqlState("54001");
    /// `XX000` internal_error.
    pub const INTERNAL_ERROR: SqlState = SqlState("XX000");

    /// The two-character class (`42` for syntax and access rule violations).
    pub fn class(self) -> &'static str {
        self.0.get(..2).unwrap_or(self.0)
    }
}

impl fmt::Display for SqlState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// Everything that can go wrong turning query text into a query tree.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Text that does not parse.
    #[error("syntax error at {position}: {message}")]
    Syntax {
        /// What the parser expected or found.
        message: String,
        /// Where it stopped.
        position: Position,
    },
    /// A query PostgreSQL would reject during parse analysis: unknown or
    /// ambiguous names, type mismatches, misplaced aggregates, ...
    #[error("{message}{}", at(.position))]
    Analyze {
        /// PostgreSQL's SQLSTATE for the same mistake.
        code: SqlState,
        /// PostgreSQL's message.
        message: String,
        /// Where in the query, when known.
        position: Option<Position>,
    },
    /// An error raised while evaluating a constant expression, as
    /// PostgreSQL's planner would raise it (division by zero, overflow,
    /// invalid input syntax for a type).
    #[error("{message}{}", at(.position))]
    Evaluate {
        /// PostgreSQL's SQLSTATE.
        code: SqlState,
        /// PostgreSQL's message.
        message: String,
        /// Where in the query, when known.
        position: Option<Position>,
    },
    /// Valid SQL that this front end does not handle yet.
    #[error("{what} is not supported{}", at(.position))]
    Unsupported {
        /// The construct, in words.
        what: String,
        /// Where in the query, when known.
        position: Option<Position>,
    },
    /// A tree nested deeper than the front end accepts.
    #[error("expression nested deeper than {limit} levels")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// A catalog lookup failed in a way that is not the query's fault.
    #[error(transparent)]
    Catalog(#[from] fdw_catalog::Error),
    /// Our bug: an invariant did not hold.
    #[error("internal error: {0}")]
    Internal(String),
}

fn at(position: &Option<Position>) -> String {
    match position {
        Some(p) => format!(" at {p}"),
        None => String::new(),
    }
}

impl Error {
    /// The SQLSTATE PostgreSQL reports for the same failure.
    pub fn sqlstate(&self) -> SqlState {
        match self {
            Error::Syntax { .. } => SqlState::SYNTAX_ERROR,
            Error::Analyze { code, .. } | Error::Evaluate { code, .. } => *code,
            Error::Unsupported { .. } => SqlState::FEATURE_NOT_SUPPORTED,
            Error::TooDeep { .. } => SqlState::STATEMENT_TOO_COMPLEX,
            Error::Catalog(_) | Error::Internal(_) => SqlState::INTERNAL_ERROR,
        }
    }

    /// An analysis error with PostgreSQL's code and message.
    pub fn analyze(
        code: SqlState,
        message: impl Into<String>,
        position: Option<Position>,
    ) -> Error {
        Error::Analyze {
            code,
            message: message.into(),
            position,
        }
    }

    /// An evaluation error with PostgreSQL's code and message.
    pub fn evaluate(
        code: SqlState,
        message: impl Into<String>,
        position: Option<Position>,
    ) -> Error {
        Error::Evaluate {
            code,
            message: message.into(),
            position,
        }
    }
}

impl From<fdw_core::Error> for Error {
    fn from(err: fdw_core::Error) -> Error {
        match err {
            fdw_core::Error::TooDeep { limit } => Error::TooDeep { limit },
            fdw_core::Error::Internal(message) => Error::Internal(message),
        }
    }
}

/// `Result` with [`Error`] as the default error.
pub type Result<T, E = Error> = std::result::Result<T, E>;
