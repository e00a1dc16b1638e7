//! Where the PostgreSQL server binaries of each major version live.
//!
//! Looked up in this order:
//! 1. `FDW_PG<major>_BIN` (a `bin` directory for that major), then
//!    `FDW_PG_BIN_DIR` (one `bin` directory, used for any major whose
//!    `postgres --version` matches);
//! 2. `<repo>/.cache/pg/<major>/bin`, filled by `scripts/install-pg`;
//! 3. Debian's `/usr/lib/postgresql/<major>/bin`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// The major versions `scripts/install-pg` and Debian provide, oldest first.
pub const KNOWN_MAJORS: [u32; 6] = [13, 14, 15, 16, 17, 18];

/// The major version the spec's examples were verified on and that the
/// differential tests treat as the reference.
pub const REFERENCE_MAJOR: u32 = 15;

/// One installed PostgreSQL server version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgInstall {
    /// Major version, e.g. `15`.
    pub major: u32,
    /// Full version as `postgres --version` prints it, e.g. `15.18`.
    pub version: String,
    /// Directory holding `postgres` and `initdb`.
    pub bin_dir: PathBuf,
}

impl PgInstall {
    /// Finds the binaries of PostgreSQL `major` (see the module doc for the
    /// search order).
    ///
    /// # Errors
    ///
    /// When no candidate directory holds a `postgres` of that major; the
    /// message lists the places searched and how to install the version.
    pub fn find(major: u32) -> Result<PgInstall> {
        let mut searched = Vec::new();
        for dir in candidate_dirs(major) {
            match probe(&dir) {
                Ok(Some((found, version))) if found == major => {
                    return Ok(PgInstall {
                        major,
                        version,
                        bin_dir: dir,
                    })
                }
                Ok(Some((found, _))) => {
                    searched.push(format!("{} (holds PostgreSQL {found})", dir.display()));
                }
                Ok(None) => searched.push(format!("{} (no postgres binary)", dir.display())),
                Err(err) => searched.push(format!("{} ({err:#})", dir.display())),
            }
        }
        bail!(
            "PostgreSQL {major} is not installed; searched: {}. Install it with `scripts/install-pg{}` \
             (or set FDW_PG{major}_BIN to its bin directory)",
            searched.join("; "),
            if major == 15 {
                String::new()
            } else {
                format!(" {major}")
            }
        )
    }

    /// The installation in `bin_dir`, whatever its major: for a directory
    /// outside the search order, such as a task's `--pg-bin` argument.
    ///
    /// # Errors
    ///
    /// When `bin_dir` holds no `postgres`, or `postgres --version` fails or
    /// prints something unexpected.
    pub fn from_bin_dir(bin_dir: impl Into<PathBuf>) -> Result<PgInstall> {
        let bin_dir = bin_dir.into();
        match probe(&bin_dir)? {
            Some((major, version)) => Ok(PgInstall {
                major,
                version,
                bin_dir,
            }),
            None => bail!("{} holds no postgres binary", bin_dir.display()),
        }
    }

    /// Path of one program in [`PgInstall::bin_dir`].
    pub fn program(&self, name: &str) -> PathBuf {
        self.bin_dir.join(name)
    }
}

/// The repository root (the workspace directory above this crate).
pub fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

fn candidate_dirs(major: u32) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(dir) = std::env::var_os(format!("FDW_PG{major}_BIN")) {
        dirs.push(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("FDW_PG_BIN_DIR") {
        dirs.push(PathBuf::from(dir));
    }
    dirs.push(
        repo_root()
            .join(".cache/pg")
            .join(major.to_string())
            .join("bin"),
    );
    dirs.push(PathBuf::from(format!("/usr/lib/postgresql/{major}/bin")));
    dirs
}

/// Runs `<dir>/postgres --version`: `None` when there is no such file.
fn probe(dir: &Path) -> Result<Option<(u32, String)>> {
    let postgres = dir.join("postgres");
    if !postgres.is_file() {
        return Ok(None);
    }
    let out = Command::new(&postgres)
        .arg("--version")
        .output()
        .with_context(|| format!("cannot run {}", postgres.display()))?;
    if !out.status.success() {
        bail!(
            "{} --version failed: {}",
            postgres.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let text = String::from_utf8_lossy(&out.stdout);
    parse_version(&text)
        .map(Some)
        .with_context(|| format!("unexpected `postgres --version` output {text:?}"))
}

/// `postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)` → `(15, "15.18")`.
fn parse_version(text: &str) -> Option<(u32, String)> {
    let version = text.split_whitespace().nth(2)?;
    let major = version.split('.').next()?.parse().ok()?;
    Some((major, version.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_postgres_version_lines() {
        assert_eq!(
            parse_version("postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n"),
            Some((15, "15.18".to_owned()))
        );
        assert_eq!(
            parse_version("postgres (PostgreSQL) 17.10\n"),
            Some((17, "17.10".to_owned()))
        );
        assert_eq!(parse_version("garbage"), None);
    }

    #[test]
    fn bin_dir_without_postgres_is_an_error() {
        let err = PgInstall::from_bin_dir("/nonexistent/fdw/bin")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("/nonexistent/fdw/bin holds no postgres binary"),
            "{err}"
        );
    }

    #[test]
    fn missing_major_names_the_install_command() {
        let err = PgInstall::find(9).unwrap_err().to_string();
        assert!(err.contains("scripts/install-pg 9"), "{err}");
        assert!(err.contains("FDW_PG9_BIN"), "{err}");
    }
}
