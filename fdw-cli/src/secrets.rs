//! User-mapping secrets for the commands that connect to foreign servers
//! (`fdw run`, `fdw explain --dsn --costs`): one source, so that both find
//! the same passwords and hide them the same way.
//!
//! Catalogs never hold user-mapping passwords (a live catalog or a DDL file
//! records only that one is set). Their values come from the environment:
//! `FDW_PASSWORD_<SERVER>` for `password` and `FDW_SSLPASSWORD_<SERVER>`
//! for `sslpassword`, `<SERVER>` being the server name in upper case with
//! every character other than ASCII letters and digits replaced by `_`
//! (server `loopback-2` → `FDW_PASSWORD_LOOPBACK_2`). They are never taken
//! from the command line, where other users could read them in the process
//! list, and never printed in an error: [`with_env_secrets`] replaces them
//! in any error text a command returns.

use anyhow::anyhow;
use fdw_catalog::objects::MappingUser;
use fdw_exec::SecretSource;

/// User-mapping secrets from `FDW_PASSWORD_<SERVER>` and
/// `FDW_SSLPASSWORD_<SERVER>` (see the module docs).
#[derive(Debug, Clone, Copy)]
pub(crate) struct EnvSecrets;

impl EnvSecrets {
    /// Every value the environment offers as a secret, to redact errors.
    pub(crate) fn all_values(&self) -> Vec<String> {
        std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .filter(|(k, v)| {
                (k.starts_with("FDW_PASSWORD_") || k.starts_with("FDW_SSLPASSWORD_"))
                    && !v.is_empty()
            })
            .map(|(_, v)| v)
            .collect()
    }
}

impl SecretSource for EnvSecrets {
    fn secret(&self, server: &str, _user: &MappingUser, option: &str) -> Option<String> {
        std::env::var(env_name(option, server)).ok()
    }

    fn where_to_supply(&self, server: &str, option: &str) -> Option<String> {
        Some(format!(
            "give its value in the environment variable {}",
            env_name(option, server)
        ))
    }
}

/// `FDW_<OPTION>_<SERVER>` in upper case, other characters as `_`.
pub(crate) fn env_name(option: &str, server: &str) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect()
    };
    format!("FDW_{}_{}", clean(option), clean(server))
}

/// `message` with every secret replaced by `********`.
pub(crate) fn redact(message: &str, secrets: &[String]) -> String {
    secrets.iter().fold(message.to_owned(), |text, secret| {
        if secret.is_empty() {
            text
        } else {
            text.replace(secret.as_str(), "********")
        }
    })
}

/// Runs `command` with the environment's secrets; the text of its error
/// (with its causes) has every one of them replaced by `********`, whatever
/// layer produced it.
pub(crate) fn with_env_secrets<T>(
    command: impl FnOnce(&EnvSecrets) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let secrets = EnvSecrets;
    command(&secrets).map_err(|err| {
        let message = format!("{err:#}");
        anyhow!(redact(&message, &secrets.all_values()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_redaction() {
        assert_eq!(
            env_name("password", "loopback-2"),
            "FDW_PASSWORD_LOOPBACK_2"
        );
        assert_eq!(
            redact("a s3 b s3", &["s3".to_owned(), String::new()]),
            "a ******** b ********"
        );
    }
}
