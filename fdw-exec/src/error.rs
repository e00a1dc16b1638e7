//! The executor's one error type.
//!
//! Every message names the foreign server and, when one was being run, the
//! remote SQL, so that a failure in a query over several servers can be
//! traced; no message ever carries a password: texts that come from the
//! remote side or from the client library pass through [`redact`] with the
//! secrets of the connection before they are stored.

/// Errors of the executor.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The catalog has no such server or user mapping, or the server's
    /// options are unusable.
    #[error("{0}")]
    Catalog(String),
    /// A connection option this executor cannot honour (a TLS or Kerberos
    /// setting without the library for it): refused rather than silently
    /// connecting with weaker settings.
    #[error("server \"{server}\": connection option \"{option}\" is not supported by this executor: {why}")]
    UnsupportedOption {
        /// The foreign server.
        server: String,
        /// The libpq keyword.
        option: String,
        /// Why.
        why: String,
    },
    /// postgres_fdw's `password_required` rule refused the connection.
    #[error("server \"{server}\": password is required: {detail}")]
    PasswordRequired {
        /// The foreign server.
        server: String,
        /// PostgreSQL's detail text.
        detail: String,
    },
    /// The connection could not be established (refused, unknown host,
    /// authentication failure, server starting up or shutting down).
    #[error("could not connect to server \"{server}\" (for remote SQL: {sql}): {message}")]
    Connect {
        /// The foreign server.
        server: String,
        /// The remote SQL that needed the connection.
        sql: String,
        /// The SQLSTATE when the server answered with an error.
        sqlstate: Option<String>,
        /// What went wrong (redacted).
        message: String,
    },
    /// The remote server reported an error for a statement; the connection
    /// itself is still usable once the remote transaction is aborted.
    #[error("error from server \"{server}\" [{sqlstate}] running remote SQL: {sql}: {message}")]
    Remote {
        /// The foreign server.
        server: String,
        /// The statement sent.
        sql: String,
        /// The remote SQLSTATE (`57014` for a cancelled or timed-out query).
        sqlstate: String,
        /// The remote message, with its detail and hint (redacted).
        message: String,
    },
    /// The connection broke while a statement was running (backend
    /// terminated, server restarted or crashed, socket closed). It is
    /// marked for reconnection.
    #[error("connection to server \"{server}\" was lost running remote SQL: {sql}: {message}")]
    ConnectionLost {
        /// The foreign server.
        server: String,
        /// The statement sent.
        sql: String,
        /// What the client library or the server said (redacted).
        message: String,
    },
    /// A remote value does not convert to the declared column type.
    #[error("server \"{server}\": column {column} of remote SQL {sql}: {message}")]
    Decode {
        /// The foreign server.
        server: String,
        /// The statement whose result it was.
        sql: String,
        /// 1-based result column.
        column: usize,
        /// Why (the local input function's error).
        message: String,
    },
    /// The call does not fit the transaction state (no local transaction
    /// open, the local transaction has failed, a cursor used after its
    /// transaction ended, ...).
    #[error("{0}")]
    State(String),
    /// A remote `EXPLAIN` whose first line has no estimate.
    #[error(
        "server \"{server}\": cannot read an estimate from EXPLAIN of remote SQL {sql}: {line:?}"
    )]
    Explain {
        /// The foreign server.
        server: String,
        /// The statement explained.
        sql: String,
        /// The line read.
        line: String,
    },
}

/// Short-hand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `text` with every non-empty secret in `secrets` replaced by `********`.
/// Applied to every message that may have seen connection parameters.
pub fn redact(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_owned();
    for secret in secrets {
        if !secret.is_empty() {
            out = out.replace(secret.as_str(), "********");
        }
    }
    out
}

/// The text of a client-library error: the server's message with its
/// detail and hint for a database error, the library's own text otherwise.
pub(crate) fn describe(
    err: &tokio_postgres::Error,
    secrets: &[String],
) -> (Option<String>, String) {
    let (code, text) = match err.as_db_error() {
        Some(db) => {
            let mut text = format!("{}: {}", db.severity(), db.message());
            if let Some(detail) = db.detail() {
                text.push_str(&format!(" DETAIL: {detail}"));
            }
            if let Some(hint) = db.hint() {
                text.push_str(&format!(" HINT: {hint}"));
            }
            (Some(db.code().code().to_owned()), text)
        }
        None => {
            // Include the source (an io::Error such as "Connection
            // refused"), which the top-level Display leaves out.
            let mut text = err.to_string();
            let mut source = std::error::Error::source(err);
            while let Some(s) = source {
                let s_text = s.to_string();
                if !text.contains(&s_text) {
                    text.push_str(&format!(": {s_text}"));
                }
                source = s.source();
            }
            (err.code().map(|c| c.code().to_owned()), text)
        }
    };
    (code, redact(&text, secrets))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_every_secret() {
        let secrets = vec!["hunter2".to_owned(), String::new()];
        assert_eq!(
            redact("password=hunter2 x hunter2", &secrets),
            "password=******** x ********"
        );
    }
}
