//! The error type of `fdw-catalog`: one enum for the whole crate.
//!
//! Variants are causes, not call sites. Messages start lower-case, end
//! without a period and fit on one line; where PostgreSQL has an error for
//! the same mistake, the wording follows PostgreSQL's.

/// A position in a DDL text, 1-based, counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Position {
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// Everything that can go wrong in `fdw-catalog`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No built-in catalog is bundled for this PostgreSQL major version.
    #[error("no built-in catalog for PostgreSQL {major}; bundled: {available}")]
    UnsupportedVersion {
        /// The major version asked for.
        major: u32,
        /// The bundled versions, comma-separated.
        available: String,
    },
    /// The embedded built-in catalog data could not be read: a bug in the
    /// generator or a corrupt data file.
    #[error("built-in catalog data for PostgreSQL {major} is corrupt at line {line}: {message}")]
    BuiltinData {
        /// The major version of the data file.
        major: u32,
        /// 1-based line in the data file.
        line: usize,
        /// What was wrong.
        message: String,
    },
    /// An object that a statement or lookup names does not exist.
    #[error("{kind} \"{name}\" does not exist")]
    UndefinedObject {
        /// "server", "type", "column", ...
        kind: &'static str,
        /// The name as written (qualified where the user qualified it).
        name: String,
    },
    /// An object of that kind and name exists already.
    #[error("{kind} \"{name}\" already exists")]
    DuplicateObject {
        /// "server", "foreign table", ...
        kind: &'static str,
        /// The name.
        name: String,
    },
    /// An option that is not valid on this kind of object. `valid` lists the
    /// options that are, like PostgreSQL's hint.
    #[error(
        "invalid option \"{option}\" for {object}; valid options in this context are: {valid}"
    )]
    UnknownOption {
        /// The option name as given.
        option: String,
        /// The kind of object it was given on ("server", "user mapping", ...).
        object: &'static str,
        /// The valid option names, comma-separated.
        valid: String,
    },
    /// An option that exists but may not be given here; `reason` says why.
    #[error("invalid option \"{option}\" for {object}: {reason}")]
    OptionNotAllowed {
        /// The option name.
        option: String,
        /// The kind of object.
        object: &'static str,
        /// Why it is refused.
        reason: String,
    },
    /// An option value that does not pass the option's check.
    #[error("invalid value for option \"{option}\": \"{value}\": {expected}")]
    InvalidOptionValue {
        /// The option name.
        option: String,
        /// The value as given.
        value: String,
        /// What the option accepts.
        expected: String,
    },
    /// The same option twice in one OPTIONS list, or ADD of one already set.
    #[error("option \"{option}\" provided more than once")]
    DuplicateOption {
        /// The option name.
        option: String,
    },
    /// A value refused by an option's or a setting's check, with
    /// PostgreSQL's own message for that check (they differ per check:
    /// "fetch_size" must be an integer value greater than zero, ...).
    #[error("{message}")]
    InvalidValue {
        /// The option or setting name.
        name: String,
        /// PostgreSQL's message.
        message: String,
    },
    /// A configuration parameter (GUC) name that does not exist.
    #[error("unrecognized configuration parameter \"{name}\"")]
    UnknownSetting {
        /// The name as given.
        name: String,
    },
    /// `SET` or `DROP` of an option that is not set.
    #[error("option \"{option}\" not found")]
    OptionNotFound {
        /// The option name.
        option: String,
    },
    /// Any other semantic mistake in an object definition (a type that
    /// cannot be used there, a partition of a table that is not partitioned, ...).
    #[error("{0}")]
    InvalidDefinition(String),
    /// DDL text that does not parse.
    #[error("syntax error at {position}: {message}")]
    Syntax {
        /// Where the parser stopped.
        position: Position,
        /// What it expected or found.
        message: String,
    },
    /// A DDL statement that parsed but failed to apply; wraps the cause with
    /// the statement's position. (The field is not named `source` so that
    /// error chains do not print the cause twice.)
    #[error("statement at {position}: {cause}")]
    Statement {
        /// Where the statement starts.
        position: Position,
        /// Why it failed.
        cause: Box<Error>,
    },
    /// A catalog snapshot that cannot be read.
    #[error("invalid catalog snapshot: {0}")]
    Snapshot(String),
    /// A catalog snapshot written by a newer format than this build reads.
    #[error("catalog snapshot format {found} is newer than the supported format {supported}")]
    SnapshotVersion {
        /// The format version in the file.
        found: u32,
        /// The newest format this build reads.
        supported: u32,
    },
}

/// `Result` with [`Error`] as the default error.
pub type Result<T, E = Error> = std::result::Result<T, E>;
