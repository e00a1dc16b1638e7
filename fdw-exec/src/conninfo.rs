//! Connection parameters as postgres_fdw builds them (spec §4.1): the
//! server's libpq options, then the user mapping's, then the
//! `postgres_fdw.application_name` setting, with `postgres_fdw` as the
//! fallback application name; and the `password_required` rule.
//!
//! The catalog records secret options (`password`, `sslpassword`) only as
//! set, so their values come from a [`SecretSource`] at connect time and
//! live only inside [`ConnParams`] (whose `Debug` hides them).

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use fdw_catalog::objects::{ForeignServer, MappingUser, UserMapping};
use fdw_catalog::options::{def_get_boolean, is_connection_option, is_secret_option};
use fdw_catalog::settings::SettingValue;
use fdw_catalog::Catalog;
use tokio_postgres::config::{ChannelBinding, TargetSessionAttrs};
use tokio_postgres::Config;

use crate::error::{Error, Result};
use crate::tls::{SslMode, TlsOptions, TlsVersion};

/// Supplies the values of secret user-mapping options, which the catalog
/// never stores.
pub trait SecretSource: Send + Sync {
    /// The value of the secret option `option` (`password`, `sslpassword`)
    /// of the user mapping for `user` on server `server`, if known.
    fn secret(&self, server: &str, user: &MappingUser, option: &str) -> Option<String>;

    /// How a user supplies the value of `option` for `server` to this
    /// source, said in the error when it is missing (e.g. the name of an
    /// environment variable); `None` when there is nothing to say.
    fn where_to_supply(&self, _server: &str, _option: &str) -> Option<String> {
        None
    }
}

/// No secrets: mappings with a password set cannot be used.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoSecrets;

impl SecretSource for NoSecrets {
    fn secret(&self, _server: &str, _user: &MappingUser, _option: &str) -> Option<String> {
        None
    }
}

/// Secrets held in memory, by server name, mapping user and option.
#[derive(Clone, Default)]
pub struct Secrets {
    values: BTreeMap<(String, MappingUser, String), String>,
}

impl Secrets {
    /// No secrets yet.
    pub fn new() -> Secrets {
        Secrets::default()
    }

    /// Adds the value of `option` for the mapping of `user` on `server`.
    #[must_use]
    pub fn with(mut self, server: &str, user: MappingUser, option: &str, value: &str) -> Secrets {
        self.values.insert(
            (server.to_owned(), user, option.to_owned()),
            value.to_owned(),
        );
        self
    }
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Secrets")
            .field("count", &self.values.len())
            .finish_non_exhaustive()
    }
}

impl SecretSource for Secrets {
    fn secret(&self, server: &str, user: &MappingUser, option: &str) -> Option<String> {
        self.values
            .get(&(server.to_owned(), user.clone(), option.to_owned()))
            .cloned()
    }
}

/// What postgres_fdw takes from the local backend: who is connecting, and
/// the values the `postgres_fdw.application_name` escapes expand to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalSession {
    /// The local user (whose user mapping is used).
    pub user: String,
    /// Whether the local user is a superuser (the `password_required` rule
    /// applies to other users only).
    pub superuser: bool,
    /// The local database name (`%d`).
    pub database: String,
    /// The local `application_name` (`%a`).
    pub application_name: String,
    /// The local `cluster_name` (`%C`).
    pub cluster_name: String,
    /// The `postgres_fdw.application_name` setting (PostgreSQL 15+).
    pub fdw_application_name: String,
    /// The local process id (`%p`, `%c`).
    pub pid: u32,
    /// The local session's start, in seconds since the epoch (`%c`).
    pub start_time: u64,
}

impl LocalSession {
    /// The session the catalog describes: its current user and superuser
    /// flag, `application_name` and `postgres_fdw.application_name`; the
    /// process is this one.
    pub fn from_catalog(catalog: &Catalog) -> LocalSession {
        let text = |name: &str| match catalog.settings().get(name) {
            Ok(SettingValue::Text(value)) => value,
            _ => String::new(),
        };
        LocalSession {
            user: catalog.current_user().to_owned(),
            superuser: catalog.is_superuser(),
            database: String::new(),
            application_name: text("application_name"),
            cluster_name: String::new(),
            fdw_application_name: text("postgres_fdw.application_name"),
            pid: std::process::id(),
            start_time: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        }
    }
}

/// The connection parameters of one user mapping.
#[derive(Clone, PartialEq, Eq)]
pub struct ConnParams {
    /// The foreign server's name.
    pub server: String,
    /// The non-secret libpq keywords and values in postgres_fdw's order
    /// (server options, then user mapping options), `application_name`
    /// entries as given.
    pub keywords: Vec<(String, String)>,
    /// The `application_name` the remote session gets: the last non-empty
    /// one with escapes expanded, else `postgres_fdw` (the fallback).
    pub application_name: String,
    /// `password_required` of the user mapping (default true).
    pub password_required: bool,
    /// `keep_connections` of the server (default true).
    pub keep_connections: bool,
    /// The remote user when no `user` option is given: the local user
    /// (libpq would take the server process's operating-system user).
    pub default_user: String,
    secrets: Vec<(String, String)>,
}

impl fmt::Debug for ConnParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secret_names: Vec<&str> = self.secrets.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("ConnParams")
            .field("server", &self.server)
            .field("keywords", &self.keywords)
            .field("application_name", &self.application_name)
            .field("password_required", &self.password_required)
            .field("keep_connections", &self.keep_connections)
            .field("secrets_set", &secret_names)
            .finish()
    }
}

impl ConnParams {
    /// Builds the parameters of `mapping` on `server` for `local`, taking
    /// secret values from `secrets`, and applies the first half of the
    /// `password_required` rule (a non-superuser's mapping must carry a
    /// password unless `password_required 'false'`).
    ///
    /// # Errors
    ///
    /// [`Error::Catalog`] when a secret is set in the catalog but the source
    /// has no value for it; [`Error::PasswordRequired`].
    pub fn build(
        catalog: &Catalog,
        server: &ForeignServer,
        mapping: &UserMapping,
        local: &LocalSession,
        secrets: &dyn SecretSource,
    ) -> Result<ConnParams> {
        let major = catalog.major();
        let mut keywords = Vec::new();
        let mut secret_values = Vec::new();
        for entry in server
            .options
            .entries()
            .iter()
            .chain(mapping.options.entries())
        {
            if !is_connection_option(major, &entry.name) {
                continue;
            }
            if is_secret_option(&entry.name) {
                let value = match &entry.value {
                    Some(v) => v.clone(),
                    None => secrets
                        .secret(&server.name, &mapping.user, &entry.name)
                        .ok_or_else(|| {
                            let hint = secrets
                                .where_to_supply(&server.name, &entry.name)
                                .map(|h| format!(": {h}"))
                                .unwrap_or_default();
                            Error::Catalog(format!(
                                "server \"{}\": the user mapping for \"{}\" has option \"{}\" set, \
                                 but no value for it was supplied{hint}",
                                server.name, mapping.user, entry.name
                            ))
                        })?,
                };
                secret_values.push((entry.name.clone(), value));
            } else {
                keywords.push((entry.name.clone(), entry.value.clone().unwrap_or_default()));
            }
        }
        let mut app_names: Vec<String> = keywords
            .iter()
            .filter(|(k, _)| k == "application_name")
            .map(|(_, v)| v.clone())
            .collect();
        if major >= 15 && !local.fdw_application_name.is_empty() {
            app_names.push(local.fdw_application_name.clone());
        }
        let application_name = effective_application_name(&app_names, local);
        let password_required = mapping
            .options
            .get("password_required")
            .and_then(def_get_boolean)
            .unwrap_or(true);
        let keep_connections = server
            .options
            .get("keep_connections")
            .and_then(def_get_boolean)
            .unwrap_or(true);
        let params = ConnParams {
            server: server.name.clone(),
            keywords,
            application_name,
            password_required,
            keep_connections,
            default_user: local.user.clone(),
            secrets: secret_values,
        };
        if params.must_use_password(local) && !params.has_password() {
            return Err(Error::PasswordRequired {
                server: server.name.clone(),
                detail: "Non-superusers must provide a password in the user mapping.".to_owned(),
            });
        }
        Ok(params)
    }

    /// The parameters of a libpq connection string rather than a user
    /// mapping (`fdw ... --dsn`): `keywords` in the string's order, the
    /// secret ones (`password`, `sslpassword`) apart, the application name
    /// as libpq settles it (empty: none is sent); no `password_required`
    /// rule. `label` stands for the server in messages.
    pub(crate) fn from_conninfo(
        label: &str,
        keywords: Vec<(String, String)>,
        secrets: Vec<(String, String)>,
        application_name: String,
        default_user: String,
    ) -> ConnParams {
        ConnParams {
            server: label.to_owned(),
            keywords,
            application_name,
            password_required: false,
            keep_connections: true,
            default_user,
            secrets,
        }
    }

    /// Whether `local` must authenticate with a password (not a superuser,
    /// and the mapping does not say `password_required 'false'`).
    pub fn must_use_password(&self, local: &LocalSession) -> bool {
        !local.superuser && self.password_required
    }

    /// Whether a non-empty password is among the parameters.
    pub fn has_password(&self) -> bool {
        self.secrets
            .iter()
            .any(|(k, v)| k == "password" && !v.is_empty())
    }

    /// The secret values, for redacting messages.
    pub(crate) fn secret_values(&self) -> Vec<String> {
        self.secrets.iter().map(|(_, v)| v.clone()).collect()
    }

    /// A text that changes whenever the server or mapping definition
    /// changes (not the secret values), to detect invalidation.
    pub(crate) fn fingerprint(&self) -> String {
        let mut out = self.server.clone();
        for (k, v) in &self.keywords {
            out.push_str(&format!("\u{1}{k}={v}"));
        }
        for (k, _) in &self.secrets {
            out.push_str(&format!("\u{1}{k}=*"));
        }
        out.push_str(&format!(
            "\u{1}{}\u{1}{}\u{1}{}",
            self.application_name, self.password_required, self.keep_connections
        ));
        out
    }

    /// How to connect: the client configuration without hosts, the hosts
    /// libpq would try in order, and the TLS options. `with_password`
    /// false leaves the password out (used to learn whether the server
    /// asks for one).
    ///
    /// # Errors
    ///
    /// [`Error::UnsupportedOption`] for options this client cannot honour,
    /// [`Error::Catalog`] for values that do not parse.
    pub fn connect_spec(&self, with_password: bool) -> Result<ConnectSpec> {
        let mut config = Config::new();
        config.user(&self.default_user);
        let unsupported = |option: &str, why: &str| Error::UnsupportedOption {
            server: self.server.clone(),
            option: option.to_owned(),
            why: why.to_owned(),
        };
        let bad = |option: &str, value: &str| {
            Error::Catalog(format!(
                "server \"{}\": invalid value for connection option \"{option}\": \"{value}\"",
                self.server
            ))
        };
        let seconds = |option: &str, value: &str| -> Result<Duration> {
            value
                .trim()
                .parse::<u64>()
                .map(Duration::from_secs)
                .map_err(|_| bad(option, value))
        };
        let list = |value: &str| -> Vec<String> {
            value.split(',').map(|v| v.trim().to_owned()).collect()
        };
        let mut hosts: Vec<String> = Vec::new();
        let mut hostaddrs: Vec<IpAddr> = Vec::new();
        let mut ports: Vec<u16> = Vec::new();
        let mut tls = TlsOptions::default();
        let text = |value: &str| Some(value.to_owned());
        for (key, value) in &self.keywords {
            match key.as_str() {
                "host" => hosts = list(value),
                "hostaddr" => {
                    hostaddrs = list(value)
                        .iter()
                        .map(|a| a.parse().map_err(|_| bad(key, value)))
                        .collect::<Result<_>>()?;
                }
                "port" => {
                    ports = list(value)
                        .iter()
                        .map(|p| p.parse().map_err(|_| bad(key, value)))
                        .collect::<Result<_>>()?;
                }
                "dbname" => {
                    config.dbname(value);
                }
                "user" => {
                    config.user(value);
                }
                "options" => {
                    config.options(value);
                }
                // Set once below, after the escapes and the fallback.
                "application_name" => {}
                "connect_timeout" => {
                    // libpq: zero or less waits forever, and the minimum is 2 s.
                    let secs: i64 = value.trim().parse().map_err(|_| bad(key, value))?;
                    if secs > 0 {
                        config.connect_timeout(Duration::from_secs(secs.max(2).unsigned_abs()));
                    }
                }
                "keepalives" => {
                    let on: i64 = value.trim().parse().map_err(|_| bad(key, value))?;
                    config.keepalives(on != 0);
                }
                "keepalives_idle" => {
                    config.keepalives_idle(seconds(key, value)?);
                }
                "keepalives_interval" => {
                    config.keepalives_interval(seconds(key, value)?);
                }
                "keepalives_count" => {
                    let n: u32 = value.trim().parse().map_err(|_| bad(key, value))?;
                    config.keepalives_retries(n);
                }
                "tcp_user_timeout" => {
                    let ms: u64 = value.trim().parse().map_err(|_| bad(key, value))?;
                    config.tcp_user_timeout(Duration::from_millis(ms));
                }
                "target_session_attrs" => {
                    let attrs = match value.as_str() {
                        "any" => TargetSessionAttrs::Any,
                        "read-write" => TargetSessionAttrs::ReadWrite,
                        "read-only" => TargetSessionAttrs::ReadOnly,
                        _ => return Err(unsupported(key, "only any, read-write and read-only")),
                    };
                    config.target_session_attrs(attrs);
                }
                "sslmode" => {
                    tls.mode = SslMode::parse(value).ok_or_else(|| bad(key, value))?;
                }
                "sslrootcert" => tls.root_cert = text(value),
                "sslcert" => tls.cert = text(value),
                "sslkey" => tls.key = text(value),
                "sslcrl" => tls.crl = text(value),
                "sslcrldir" => tls.crl_dir = text(value),
                "sslsni" => tls.sni = Some(value.trim() != "0"),
                "ssl_min_protocol_version" | "ssl_max_protocol_version" => {
                    let version = if value.is_empty() {
                        None
                    } else {
                        Some(TlsVersion::parse(value).ok_or_else(|| bad(key, value))?)
                    };
                    if key == "ssl_min_protocol_version" {
                        tls.min_version = version;
                    } else {
                        tls.max_version = version;
                    }
                }
                // libpq: only a request, which OpenSSL builds without
                // compression ignore; no TLS library here compresses.
                "sslcompression" => {}
                // PostgreSQL 16+: "disable" sends no client certificate;
                // "require" (fail when the server asked for none) cannot
                // be told apart here.
                "sslcertmode" => {
                    match value.as_str() {
                        "allow" => {}
                        "disable" => tls.no_client_cert = true,
                        "require" => return Err(unsupported(
                            key,
                            "whether the server asked for a client certificate is not known here",
                        )),
                        _ => return Err(bad(key, value)),
                    }
                }
                // PostgreSQL 17+: direct TLS negotiation is not available.
                "sslnegotiation" => match value.as_str() {
                    "postgres" => {}
                    "direct" => {
                        return Err(unsupported(key, "direct TLS negotiation is not available"))
                    }
                    _ => return Err(bad(key, value)),
                },
                "channel_binding" => {
                    let mode = match value.as_str() {
                        "disable" => ChannelBinding::Disable,
                        "prefer" => ChannelBinding::Prefer,
                        "require" => ChannelBinding::Require,
                        _ => return Err(bad(key, value)),
                    };
                    config.channel_binding(mode);
                }
                "gssencmode" => {
                    if value == "require" {
                        return Err(unsupported(key, "GSSAPI encryption is not available"));
                    }
                }
                // Kerberos details only matter on a GSSAPI connection,
                // which this client never makes (see gssencmode above), as
                // libpq ignores them without one.
                "krbsrvname" | "gsslib" | "gssdelegation" => {}
                other => {
                    return Err(unsupported(
                        other,
                        "libpq-only option (service files, password files, peer checks)",
                    ))
                }
            }
        }
        if with_password {
            for (key, value) in &self.secrets {
                if key == "password" {
                    config.password(value.as_bytes());
                }
            }
        }
        tls.password = self
            .secrets
            .iter()
            .find(|(k, _)| k == "sslpassword")
            .map(|(_, v)| v.clone());
        // Never empty for a foreign server (postgres_fdw's fallback); a
        // connection string without one sends none, as libpq does.
        if !self.application_name.is_empty() {
            config.application_name(&self.application_name);
        }
        // libpq's host list: `host` and `hostaddr` pair up by position;
        // one port serves every host.
        let count = hosts.len().max(hostaddrs.len()).max(1);
        if !hosts.is_empty() && !hostaddrs.is_empty() && hosts.len() != hostaddrs.len() {
            return Err(Error::Catalog(format!(
                "server \"{}\": could not match {} host names to {} hostaddr values",
                self.server,
                hosts.len(),
                hostaddrs.len()
            )));
        }
        if ports.len() > 1 && ports.len() != count {
            return Err(Error::Catalog(format!(
                "server \"{}\": could not match {} port numbers to {count} hosts",
                self.server,
                ports.len()
            )));
        }
        let targets = (0..count)
            .map(|i| HostTarget {
                host: hosts.get(i).filter(|h| !h.is_empty()).cloned(),
                hostaddr: hostaddrs.get(i).copied(),
                port: ports.get(i).or_else(|| ports.first()).copied(),
            })
            .collect();
        Ok(ConnectSpec {
            base: config,
            targets,
            tls,
        })
    }
}

/// One host libpq tries, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostTarget {
    /// `host`: a name, an address, or a Unix-socket directory (`/...`).
    pub host: Option<String>,
    /// `hostaddr`: the address to connect to instead of resolving `host`.
    pub hostaddr: Option<IpAddr>,
    /// `port`.
    pub port: Option<u16>,
}

impl HostTarget {
    /// Whether the connection goes through a Unix-domain socket, where
    /// libpq ignores `sslmode` (the server never offers TLS there).
    pub fn is_unix_socket(&self) -> bool {
        self.hostaddr.is_none() && self.host.as_deref().is_some_and(|h| h.starts_with('/'))
    }
}

/// How to connect to a foreign server: what [`ConnParams::connect_spec`]
/// makes of its options.
#[derive(Debug, Clone)]
pub struct ConnectSpec {
    /// Everything but the hosts (and the TLS mode, chosen per attempt).
    pub base: Config,
    /// The hosts, in the order libpq tries them.
    pub targets: Vec<HostTarget>,
    /// The TLS options.
    pub tls: TlsOptions,
}

impl ConnectSpec {
    /// The client configuration for `target` alone.
    pub fn target_config(&self, target: &HostTarget) -> Config {
        let mut config = self.base.clone();
        match (&target.host, target.hostaddr) {
            (Some(host), Some(addr)) => {
                config.host(host);
                config.hostaddr(addr);
            }
            (Some(host), None) => {
                config.host(host);
            }
            // libpq connects to hostaddr; naming the address as the host
            // lets a TLS handshake proceed (verify-full still demands a
            // host name, see tls.rs).
            (None, Some(addr)) => {
                config.host(addr.to_string());
            }
            (None, None) => {}
        }
        if let Some(port) = target.port {
            config.port(port);
        }
        config
    }
}

/// libpq takes the last non-empty `application_name`; postgres_fdw first
/// expands the escapes of that one (`process_pgfdw_appname`). An expansion
/// that comes out empty is skipped by libpq in turn, and with nothing left
/// the fallback `postgres_fdw` applies.
fn effective_application_name(values: &[String], local: &LocalSession) -> String {
    let mut values = values.to_vec();
    if let Some(last) = values.iter_mut().rev().find(|v| !v.is_empty()) {
        *last = expand_appname(last, local);
    }
    values
        .into_iter()
        .rev()
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "postgres_fdw".to_owned())
}

/// Expands `%a %c %C %d %p %u %%` with optional padding (`%-10u`, `%5p`)
/// as postgres_fdw 15 does; unknown escapes vanish.
pub fn expand_appname(value: &str, local: &LocalSession) -> String {
    let mut out = String::new();
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let Some(&next) = chars.peek() else { break };
        if next == '%' {
            chars.next();
            out.push('%');
            continue;
        }
        let mut spec = String::new();
        while let Some(&d) = chars.peek() {
            if d == '-' && spec.is_empty() || d.is_ascii_digit() {
                spec.push(d);
                chars.next();
            } else {
                break;
            }
        }
        let padding: i64 = spec.parse().unwrap_or(0);
        let Some(kind) = chars.next() else { break };
        let text = match kind {
            'a' => local.application_name.clone(),
            'c' => format!("{:x}.{:x}", local.start_time, local.pid),
            'C' => local.cluster_name.clone(),
            'd' => local.database.clone(),
            'p' => local.pid.to_string(),
            'u' => local.user.clone(),
            _ => continue,
        };
        let width = usize::try_from(padding.unsigned_abs()).unwrap_or(0);
        if padding > 0 {
            out.push_str(&format!("{text:>width$}"));
        } else if padding < 0 {
            out.push_str(&format!("{text:<width$}"));
        } else {
            out.push_str(&text);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> LocalSession {
        LocalSession {
            user: "alice".into(),
            superuser: false,
            database: "db".into(),
            application_name: "psql".into(),
            cluster_name: "main".into(),
            fdw_application_name: String::new(),
            pid: 255,
            start_time: 16,
        }
    }

    #[test]
    fn expands_escapes() {
        let s = session();
        assert_eq!(
            expand_appname("x_%u_%d_%a_%C_%p_%%", &s),
            "x_alice_db_psql_main_255_%"
        );
        assert_eq!(expand_appname("%c", &s), "10.ff");
        assert_eq!(expand_appname("[%6u][%-6u]", &s), "[ alice][alice ]");
        assert_eq!(expand_appname("a%qb%", &s), "ab");
    }

    #[test]
    fn last_non_empty_application_name_wins() {
        let s = session();
        let v = |xs: &[&str]| xs.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        assert_eq!(effective_application_name(&v(&[]), &s), "postgres_fdw");
        assert_eq!(effective_application_name(&v(&["a", ""]), &s), "a");
        assert_eq!(
            effective_application_name(&v(&["a", "b_%u"]), &s),
            "b_alice"
        );
        // An expansion to nothing leaves the earlier (unexpanded) value.
        assert_eq!(effective_application_name(&v(&["a%u", "%q"]), &s), "a%u");
    }
}
