//! Talking to a cluster by spawning `psql`.
//!
//! Why psql and not a Rust client: it is on every machine with PostgreSQL,
//! it talks to servers 13–18, it prints values in their exact text output
//! form, and it costs nothing to compile.
//!
//! One call runs a list of steps in one session. Each step is followed by
//! `\echo` lines carrying a per-process marker, psql's `ERROR`, `SQLSTATE`
//! and `LAST_ERROR_MESSAGE` variables, so every step's output and error are
//! told apart without reading stderr. Tables are printed unaligned with the
//! bytes 0xFE (between fields) and 0xFF (between records), which never occur
//! in UTF-8 text, and NULL as a marker string no real value contains.
//!
//! Limits of going through psql: a statement must be complete SQL (an
//! unterminated quote swallows the markers, which fails the whole call), a
//! line starting with a backslash is a psql command, and `:name` outside
//! quotes is replaced when `name` is a psql variable (`:USER`, `:HOST`, ...).

use std::ffi::OsStr;
use std::fmt;
use std::io::Write as _;
use std::os::unix::ffi::OsStrExt as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use anyhow::{anyhow, bail, Context, Result};

use crate::cluster::{Cluster, SUPERUSER};

/// Field separator of psql's unaligned output (never valid UTF-8).
const FIELD_SEP: u8 = 0xFE;
/// Record separator of psql's unaligned output (never valid UTF-8).
const RECORD_SEP: u8 = 0xFF;
/// What `\gdesc` prints when a statement returns no columns.
const NO_COLUMNS: &str = "The command has no result, or the result has no columns.\n";

/// One thing to do in a psql session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Execute one SQL statement (no trailing semicolon needed).
    Sql(String),
    /// Describe one statement's result columns without executing it
    /// (`\gdesc`): a table with the columns `Column` and `Type`.
    Describe(String),
}

/// A statement's result: its column names and rows in PostgreSQL's text
/// output form (`None` is SQL NULL). Empty for statements without a result
/// (and for results with no columns).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows, each with one value per column.
    pub rows: Vec<Vec<Option<String>>>,
}

/// An error PostgreSQL reported for one statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlError {
    /// The five-character SQLSTATE, e.g. `42P01`.
    pub sqlstate: String,
    /// The primary message, e.g. `relation "x" does not exist`.
    pub message: String,
}

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ERROR {}: {}", self.sqlstate, self.message)
    }
}

impl std::error::Error for SqlError {}

/// The outcome of one step: its value, or the error PostgreSQL raised.
pub type Outcome<T> = std::result::Result<T, SqlError>;

/// Runs `steps` in one psql session on database `db` of `cluster`. Errors in
/// a step do not stop later steps.
///
/// # Errors
///
/// When psql cannot be run, cannot connect, or prints something the parser
/// does not understand.
pub fn run(cluster: &Cluster, db: &str, steps: &[Step]) -> Result<Vec<Outcome<Table>>> {
    let marker = marker();
    let null = null_marker();
    let mut script = String::new();
    for (idx, step) in steps.iter().enumerate() {
        let (text, command) = match step {
            Step::Sql(text) => (text, "\\g"),
            Step::Describe(text) => (text, "\\gdesc"),
        };
        let text = strip_statement(text);
        if text.is_empty() {
            bail!("step {idx} has no statement");
        }
        script.push_str(text);
        script.push('\n');
        script.push_str(command);
        script.push('\n');
        script.push_str(&format!(
            "\\echo {marker} {idx} :ERROR :SQLSTATE\n\\echo :LAST_ERROR_MESSAGE\n\\echo {marker} end\n"
        ));
    }
    let mut child = Command::new(psql_path()?)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("LC_ALL", "C")
        .env("PGCLIENTENCODING", "UTF8")
        .args(["-X", "-q", "-A", "-v", "ON_ERROR_STOP=0"])
        .arg("-h")
        .arg(cluster.socket_dir())
        .arg("-p")
        .arg(cluster.port().to_string())
        .arg("-U")
        .arg(SUPERUSER)
        .arg("-d")
        .arg(db)
        .args(["-P", "footer=off", "-P", "pager=off"])
        .arg("-P")
        .arg(format!("null={null}"))
        .arg("-F")
        .arg(OsStr::from_bytes(&[FIELD_SEP]))
        .arg("-R")
        .arg(OsStr::from_bytes(&[RECORD_SEP]))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run psql")?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| anyhow!("psql has no stdin"))?;
    // Feed the script from another thread so a large output cannot block
    // psql while we are still writing.
    let writer = std::thread::spawn(move || stdin.write_all(script.as_bytes()));
    let out = child.wait_with_output().context("psql failed")?;
    let _ = writer.join();
    if !out.status.success() {
        bail!(
            "psql on database {db} of PostgreSQL {} failed ({}): {}",
            cluster.install().version,
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let outcomes = parse_output(&out.stdout, &marker, &null)?;
    if outcomes.len() != steps.len() {
        bail!(
            "psql answered {} of {} steps; stderr: {}",
            outcomes.len(),
            steps.len(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(outcomes)
}

/// Splits an SQL script into statements at semicolons outside quotes,
/// comments and dollar-quoted strings. Statements that hold nothing but
/// whitespace and comments are dropped.
pub fn split_statements(sql: &str) -> Vec<String> {
    let bytes = sql.as_bytes();
    let mut statements = Vec::new();
    let mut start = 0;
    let mut has_code = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let mut depth = 0;
                while i < bytes.len() {
                    if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            b'\'' | b'"' => {
                // E'...' strings treat backslash as an escape.
                let escapes = c == b'\''
                    && i > 0
                    && matches!(bytes[i - 1], b'E' | b'e')
                    && (i < 2 || !bytes[i - 2].is_ascii_alphanumeric() && bytes[i - 2] != b'_');
                has_code = true;
                i += 1;
                while i < bytes.len() {
                    if escapes && bytes[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if bytes[i] == c {
                        if bytes.get(i + 1) == Some(&c) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
                continue;
            }
            b'$' => {
                if let Some(tag_len) = dollar_tag(&bytes[i..]) {
                    let tag = &bytes[i..i + tag_len];
                    has_code = true;
                    i += tag_len;
                    while i < bytes.len() && !bytes[i..].starts_with(tag) {
                        i += 1;
                    }
                    i += tag_len;
                    continue;
                }
                has_code = true;
            }
            b';' => {
                if has_code {
                    statements.push(sql[start..i].trim().to_owned());
                }
                start = i + 1;
                has_code = false;
            }
            c if !c.is_ascii_whitespace() => has_code = true,
            _ => {}
        }
        i += 1;
    }
    if has_code {
        statements.push(sql[start.min(sql.len())..].trim().to_owned());
    }
    statements
}

/// The psql binary: `FDW_PSQL`, else Debian's newest versioned client
/// (skipping the Perl wrapper `/usr/bin/psql`), else `psql` on `PATH`.
///
/// # Errors
///
/// When no psql can be found.
pub fn psql_path() -> Result<PathBuf> {
    static PATH: OnceLock<Option<PathBuf>> = OnceLock::new();
    PATH.get_or_init(|| {
        if let Some(path) = std::env::var_os("FDW_PSQL") {
            return Some(PathBuf::from(path));
        }
        for major in (13..=18).rev() {
            let path = PathBuf::from(format!("/usr/lib/postgresql/{major}/bin/psql"));
            if path.is_file() {
                return Some(path);
            }
        }
        ["/usr/bin/psql", "/usr/local/bin/psql"]
            .iter()
            .map(PathBuf::from)
            .find(|p| p.is_file())
    })
    .clone()
    .ok_or_else(|| {
        anyhow!("psql not found: apt-get install postgresql-client-15 (or set FDW_PSQL)")
    })
}

/// Removes trailing semicolons and whitespace: psql runs the buffer on the
/// `\g` line instead.
fn strip_statement(text: &str) -> &str {
    text.trim()
        .trim_end_matches(|c: char| c == ';' || c.is_whitespace())
}

/// Length of a dollar-quote tag (`$$`, `$tag$`) at the start of `bytes`.
fn dollar_tag(bytes: &[u8]) -> Option<usize> {
    let mut len = 1;
    while len < bytes.len() {
        match bytes[len] {
            b'$' => return Some(len + 1),
            b if b.is_ascii_alphabetic() || b == b'_' || (len > 1 && b.is_ascii_digit()) => {
                len += 1;
            }
            _ => return None,
        }
    }
    None
}

/// A marker no statement output contains: fixed text plus this process's
/// pid and start time.
fn marker() -> String {
    static MARKER: OnceLock<String> = OnceLock::new();
    MARKER
        .get_or_init(|| format!("@@fdw-testkit-{}@@", nonce()))
        .clone()
}

fn null_marker() -> String {
    static NULL: OnceLock<String> = OnceLock::new();
    NULL.get_or_init(|| format!("\u{1}NULL-{}\u{1}", nonce()))
        .clone()
}

fn nonce() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{:x}{:x}", std::process::id(), nanos)
}

fn parse_output(stdout: &[u8], marker: &str, null: &str) -> Result<Vec<Outcome<Table>>> {
    let mut outcomes = Vec::new();
    let mut rest = stdout;
    let open = format!("{marker} ").into_bytes();
    let close = format!("\n{marker} end\n").into_bytes();
    while !rest.is_empty() {
        let idx = outcomes.len();
        let pos = find(rest, &open).ok_or_else(|| {
            anyhow!(
                "psql output lacks the marker of step {idx}: {:?}",
                String::from_utf8_lossy(rest)
            )
        })?;
        let table = &rest[..pos];
        rest = &rest[pos + open.len()..];
        let line_end = find(rest, b"\n").ok_or_else(|| anyhow!("truncated psql output"))?;
        let status = std::str::from_utf8(&rest[..line_end])?.to_owned();
        rest = &rest[line_end + 1..];
        let end = find(rest, &close[1..])
            .ok_or_else(|| anyhow!("psql output lacks the end marker of step {idx}"))?;
        let message = String::from_utf8_lossy(&rest[..end.saturating_sub(1)]).into_owned();
        rest = &rest[end + close.len() - 1..];
        let fields: Vec<&str> = status.split(' ').collect();
        match fields.as_slice() {
            [n, "true", sqlstate] if n.parse() == Ok(idx) => outcomes.push(Err(SqlError {
                sqlstate: (*sqlstate).to_owned(),
                message,
            })),
            [n, "false", _] if n.parse() == Ok(idx) => {
                outcomes.push(Ok(parse_table(table, null)?));
            }
            _ => bail!("unexpected psql status line {status:?} for step {idx}"),
        }
    }
    Ok(outcomes)
}

fn parse_table(bytes: &[u8], null: &str) -> Result<Table> {
    if bytes.is_empty() || bytes == NO_COLUMNS.as_bytes() {
        return Ok(Table::default());
    }
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let mut records = body.split(|b| *b == RECORD_SEP);
    let header = records.next().unwrap_or_default();
    let text = |b: &[u8]| -> Result<String> {
        String::from_utf8(b.to_vec()).context("psql printed a value that is not UTF-8")
    };
    let columns = header
        .split(|b| *b == FIELD_SEP)
        .map(text)
        .collect::<Result<Vec<_>>>()?;
    let mut rows = Vec::new();
    for record in records {
        let row = record
            .split(|b| *b == FIELD_SEP)
            .map(|field| {
                let value = text(field)?;
                Ok(if value == null { None } else { Some(value) })
            })
            .collect::<Result<Vec<_>>>()?;
        if row.len() != columns.len() {
            bail!(
                "psql printed a row of {} fields for {} columns",
                row.len(),
                columns.len()
            );
        }
        rows.push(row);
    }
    Ok(Table { columns, rows })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_statements_outside_quotes_and_comments() {
        let sql = "CREATE TABLE \"a;b\" (x text DEFAULT 'x;y');\n-- c; d\n\
                   SELECT E'\\';' /* ; /* nested ; */ */; DO $f$ BEGIN; END $f$;;  ;\n-- only a comment;";
        assert_eq!(
            split_statements(sql),
            vec![
                "CREATE TABLE \"a;b\" (x text DEFAULT 'x;y')".to_owned(),
                "-- c; d\nSELECT E'\\';' /* ; /* nested ; */ */".to_owned(),
                "DO $f$ BEGIN; END $f$".to_owned(),
            ]
        );
    }

    #[test]
    fn parses_tables_errors_and_nulls() {
        let null = "<null>";
        let mut out = Vec::new();
        out.extend_from_slice(b"a\xfeb\xff1\xfe<null>\xffx\ny\xfe\n");
        out.extend_from_slice(b"@@m@@ 0 false 00000\n\n@@m@@ end\n");
        out.extend_from_slice(b"@@m@@ 1 true 42P01\nrelation \"t\" does not exist\n@@m@@ end\n");
        out.extend_from_slice(b"@@m@@ 2 false 00000\nrelation \"t\" does not exist\n@@m@@ end\n");
        let got = parse_output(&out, "@@m@@", null).unwrap();
        assert_eq!(
            got,
            vec![
                Ok(Table {
                    columns: vec!["a".into(), "b".into()],
                    rows: vec![
                        vec![Some("1".into()), None],
                        vec![Some("x\ny".into()), Some(String::new())]
                    ],
                }),
                Err(SqlError {
                    sqlstate: "42P01".into(),
                    message: "relation \"t\" does not exist".into()
                }),
                Ok(Table::default()),
            ]
        );
    }
}
