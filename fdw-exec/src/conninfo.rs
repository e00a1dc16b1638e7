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
                // This client always speaks UTF8 (PGCLIENTENCODING may ask
                // for it); PostgreSQL's encoding names ignore case and
                // punctuation.
                "client_encoding" => {
                    let name: String = value
                        .chars()
                        .filter(char::is_ascii_alphanumeric)
                        .collect::<String>()
                        .to_ascii_lowercase();
                    if !matches!(name.as_str(), "utf8" | "unicode") {
                        return Err(unsupported(key, "only UTF8 is spoken"));
                    }
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
                        "libpq-only option (peer checks, replication)",
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

/// What libpq reads besides the connection string: the `PG*` environment
/// variables (and `HOME`, `USER`, `LOGNAME`), and through them the
/// service and password files. Tests build one from a map instead of the
/// process environment.
#[derive(Clone, Default)]
pub struct ClientEnv {
    vars: BTreeMap<String, String>,
}

impl fmt::Debug for ClientEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // PGPASSWORD is never shown.
        let names: Vec<&str> = self.vars.keys().map(String::as_str).collect();
        f.debug_struct("ClientEnv").field("set", &names).finish()
    }
}

impl ClientEnv {
    /// The variables of this process that libpq would read.
    pub fn from_process() -> ClientEnv {
        ClientEnv::from_vars(std::env::vars_os().filter_map(|(k, v)| {
            let (k, v) = (k.into_string().ok()?, v.into_string().ok()?);
            (k.starts_with("PG") || matches!(k.as_str(), "HOME" | "USER" | "LOGNAME"))
                .then_some((k, v))
        }))
    }

    /// An environment of exactly `vars`.
    pub fn from_vars<K: Into<String>, V: Into<String>>(
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> ClientEnv {
        ClientEnv {
            vars: vars
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// The value of variable `name`, if set (an empty value counts as set,
    /// as getenv reports it).
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// libpq's home directory (`HOME`; `None` when unset or empty).
    fn home(&self) -> Option<&str> {
        self.var("HOME").filter(|h| !h.is_empty())
    }

    /// libpq's default user: the operating-system user's name.
    pub fn os_user(&self) -> String {
        ["USER", "LOGNAME"]
            .iter()
            .find_map(|v| self.var(v).filter(|u| !u.is_empty()))
            .unwrap_or_default()
            .to_owned()
    }
}

/// The environment variable of each libpq 15 keyword that has one
/// (`PQconninfoOptions`).
const ENV_VARS: &[(&str, &str)] = &[
    ("service", "PGSERVICE"),
    ("user", "PGUSER"),
    ("password", "PGPASSWORD"),
    ("passfile", "PGPASSFILE"),
    ("channel_binding", "PGCHANNELBINDING"),
    ("connect_timeout", "PGCONNECT_TIMEOUT"),
    ("dbname", "PGDATABASE"),
    ("host", "PGHOST"),
    ("hostaddr", "PGHOSTADDR"),
    ("port", "PGPORT"),
    ("client_encoding", "PGCLIENTENCODING"),
    ("options", "PGOPTIONS"),
    ("application_name", "PGAPPNAME"),
    ("sslmode", "PGSSLMODE"),
    ("sslcompression", "PGSSLCOMPRESSION"),
    ("sslcert", "PGSSLCERT"),
    ("sslkey", "PGSSLKEY"),
    ("sslrootcert", "PGSSLROOTCERT"),
    ("sslcrl", "PGSSLCRL"),
    ("sslcrldir", "PGSSLCRLDIR"),
    ("sslsni", "PGSSLSNI"),
    ("requirepeer", "PGREQUIREPEER"),
    ("ssl_min_protocol_version", "PGSSLMINPROTOCOLVERSION"),
    ("ssl_max_protocol_version", "PGSSLMAXPROTOCOLVERSION"),
    ("gssencmode", "PGGSSENCMODE"),
    ("krbsrvname", "PGKRBSRVNAME"),
    ("gsslib", "PGGSSLIB"),
    ("target_session_attrs", "PGTARGETSESSIONATTRS"),
];

/// Where libpq 15 on this system looks for `pg_service.conf` when
/// `PGSYSCONFDIR` is not set (Debian's build: `pg_config --sysconfdir`).
const SYSCONFDIR: &str = "/etc/postgresql-common";

/// libpq's default Unix-socket directory (Debian's build), which a
/// password-file entry for `localhost` also matches.
const DEFAULT_SOCKET_DIR: &str = "/var/run/postgresql";

/// A connection string's options completed as libpq 15 completes them.
#[derive(Clone, PartialEq, Eq)]
pub struct ResolvedConninfo {
    /// Every keyword with a value, in libpq's precedence: the string's own
    /// (last setting wins), then the service's, then the environment's.
    /// `service` and `passfile` are consumed here and not listed.
    pub options: Vec<(String, String)>,
    /// Warnings libpq prints on stderr (a password file readable by
    /// others, which is then ignored).
    pub warnings: Vec<String>,
}

impl fmt::Debug for ResolvedConninfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: Vec<(&str, &str)> = self
            .options
            .iter()
            .map(|(k, v)| {
                let v = if is_secret_option(k) { "*" } else { v.as_str() };
                (k.as_str(), v)
            })
            .collect();
        f.debug_struct("ResolvedConninfo")
            .field("options", &shown)
            .field("warnings", &self.warnings)
            .finish()
    }
}

/// Completes the keywords of a parsed connection string as libpq 15's
/// `conninfo_add_defaults` and `connectOptions2` do: a service (the
/// `service` keyword or `PGSERVICE`) from `PGSERVICEFILE` or
/// `~/.pg_service.conf`, else `PGSYSCONFDIR`'s (or the system's)
/// `pg_service.conf`, fills what the string leaves unset; then the `PG*`
/// variables; then, with no password, the password file (`passfile`,
/// `PGPASSFILE` or `~/.pgpass`) matched on host, port, database and user.
/// `uri` says the string was a URI, where an empty host or port list
/// counts as unset (an empty `host=''` keyword does not).
///
/// # Errors
///
/// libpq's message for a missing service or service file, or a malformed
/// service file; several hosts whose password-file entries differ (one
/// password per connection string is all this client sends).
pub fn resolve_conninfo(
    explicit: Vec<(String, String)>,
    uri: bool,
    env: &ClientEnv,
) -> std::result::Result<ResolvedConninfo, String> {
    let mut options: Vec<(String, String)> = Vec::new();
    let set = |options: &mut Vec<(String, String)>, key: &str, value: String| match options
        .iter_mut()
        .find(|(k, _)| k == key)
    {
        Some(slot) => slot.1 = value,
        None => options.push((key.to_owned(), value)),
    };
    for (key, value) in explicit {
        let empty_list = value.split(',').all(|v| v.trim().is_empty());
        if uri && matches!(key.as_str(), "host" | "port") && empty_list {
            continue;
        }
        set(&mut options, &key, value);
    }
    let has = |options: &[(String, String)], key: &str| options.iter().any(|(k, _)| k == key);
    let service = options
        .iter()
        .find(|(k, _)| k == "service")
        .map(|(_, v)| v.clone())
        .or_else(|| env.var("PGSERVICE").map(str::to_owned));
    if let Some(service) = service {
        for (key, value) in service_options(&service, env)? {
            if !has(&options, &key) {
                options.push((key, value));
            }
        }
    }
    for (key, var) in ENV_VARS {
        if !has(&options, key) {
            if let Some(value) = env.var(var) {
                options.push(((*key).to_owned(), value.to_owned()));
            }
        }
    }
    let get = |options: &[(String, String)], key: &str| {
        options
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut warnings = Vec::new();
    if get(&options, "password").is_empty() {
        let passfile = Some(get(&options, "passfile"))
            .filter(|p| !p.is_empty())
            .or_else(|| env.home().map(|h| format!("{h}/.pgpass")));
        if let Some(path) = passfile {
            if let Some(text) = read_password_file(&path, &mut warnings) {
                let user = Some(get(&options, "user"))
                    .filter(|u| !u.is_empty())
                    .unwrap_or_else(|| env.os_user());
                let dbname = Some(get(&options, "dbname"))
                    .filter(|d| !d.is_empty())
                    .unwrap_or_else(|| user.clone());
                let hosts = split_list(&get(&options, "host"));
                let addrs = split_list(&get(&options, "hostaddr"));
                let ports = split_list(&get(&options, "port"));
                let count = hosts.len().max(addrs.len()).max(1);
                let found: Vec<Option<String>> = (0..count)
                    .map(|i| {
                        let host = hosts
                            .get(i)
                            .filter(|h| !h.is_empty())
                            .or_else(|| addrs.get(i))
                            .cloned()
                            .unwrap_or_default();
                        let port = ports.get(i).or_else(|| ports.first()).cloned();
                        password_from_file(&text, &host, &port.unwrap_or_default(), &dbname, &user)
                    })
                    .collect();
                let mut found = found.into_iter();
                let first = found.next().flatten();
                if found.any(|f| f != first) {
                    return Err(format!(
                        "the password file \"{path}\" gives the {count} hosts different \
                         passwords; one password per connection string is supported"
                    ));
                }
                if let Some(password) = first {
                    set(&mut options, "password", password);
                }
            }
        }
    }
    options.retain(|(k, _)| k != "service" && k != "passfile");
    Ok(ResolvedConninfo { options, warnings })
}

fn split_list(value: &str) -> Vec<String> {
    if value.is_empty() {
        return Vec::new();
    }
    value.split(',').map(|v| v.trim().to_owned()).collect()
}

/// The password file's text, if it is a regular file that only its owner
/// may read (libpq ignores it otherwise, with a warning for the
/// permissions).
fn read_password_file(path: &str, warnings: &mut Vec<String>) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            warnings.push(format!(
                "WARNING: password file \"{path}\" has group or world access; permissions \
                 should be u=rw (0600) or less"
            ));
            return None;
        }
    }
    std::fs::read_to_string(path).ok()
}

/// libpq's `passwordFromFile` over the file's text: the password of the
/// first `host:port:database:user:password` line whose fields match (`*`
/// matches anything; `\` escapes `:` and `\`). An empty or Unix-socket
/// default host matches `localhost`; an empty port is 5432.
pub fn password_from_file(
    text: &str,
    host: &str,
    port: &str,
    dbname: &str,
    user: &str,
) -> Option<String> {
    if dbname.is_empty() || user.is_empty() {
        return None;
    }
    let host = if host.is_empty() || host == DEFAULT_SOCKET_DIR {
        "localhost"
    } else {
        host
    };
    let port = if port.is_empty() { "5432" } else { port };
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let rest = [host, port, dbname, user]
            .iter()
            .try_fold(line, |rest, want| match_field(rest, want));
        if let Some(rest) = rest {
            // The password runs to the next unescaped ':'.
            let mut out = String::new();
            let mut chars = rest.chars();
            while let Some(c) = chars.next() {
                match c {
                    ':' => break,
                    '\\' => match chars.next() {
                        Some(next) => out.push(next),
                        None => out.push('\\'),
                    },
                    c => out.push(c),
                }
            }
            return Some(out);
        }
    }
    None
}

/// One password-file field against `want`: the rest of the line after
/// the field's `:`, or `None` when it does not match.
fn match_field<'a>(line: &'a str, want: &str) -> Option<&'a str> {
    if let Some(rest) = line.strip_prefix("*:") {
        return Some(rest);
    }
    let mut field = String::new();
    let mut chars = line.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, next)) => field.push(next),
                None => return None,
            },
            ':' => return (field == want).then(|| &line[i + 1..]),
            c => field.push(c),
        }
    }
    None
}

/// The options of `service`: from `PGSERVICEFILE` (which must exist) or
/// `~/.pg_service.conf`, and when the service is not there, from
/// `PGSYSCONFDIR`'s or the system's `pg_service.conf`.
fn service_options(
    service: &str,
    env: &ClientEnv,
) -> std::result::Result<Vec<(String, String)>, String> {
    let user_file = match env.var("PGSERVICEFILE") {
        Some(path) => {
            if std::fs::metadata(path).is_err() {
                return Err(format!("service file \"{path}\" not found"));
            }
            Some(path.to_owned())
        }
        None => env.home().map(|h| format!("{h}/.pg_service.conf")),
    };
    let system_file = format!(
        "{}/pg_service.conf",
        env.var("PGSYSCONFDIR").unwrap_or(SYSCONFDIR)
    );
    for path in user_file.into_iter().chain([system_file]) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if let Some(found) = parse_service_file(&text, service, &path)? {
            return Ok(found);
        }
    }
    Err(format!("definition of service \"{service}\" not found"))
}

/// The keywords of group `[service]` in a service file's text (`None`
/// when the group is absent), as libpq's `parseServiceFile` reads them:
/// lines trimmed, `#` comments, `keyword=value` with the keyword exactly
/// as written.
///
/// # Errors
///
/// libpq's messages for a line without `=`, an unknown keyword, or a
/// nested `service`.
pub fn parse_service_file(
    text: &str,
    service: &str,
    path: &str,
) -> std::result::Result<Option<Vec<(String, String)>>, String> {
    let mut found: Option<Vec<(String, String)>> = None;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(group) = line.strip_prefix('[') {
            if found.is_some() {
                break;
            }
            if group
                .strip_prefix(service)
                .is_some_and(|r| r.starts_with(']'))
            {
                found = Some(Vec::new());
            }
            continue;
        }
        let Some(options) = found.as_mut() else {
            continue;
        };
        let syntax = || format!("syntax error in service file \"{path}\", line {}", n + 1);
        let (key, value) = line.split_once('=').ok_or_else(syntax)?;
        if key == "service" {
            return Err(format!(
                "nested service specifications not supported in service file \"{path}\", \
                 line {}",
                n + 1
            ));
        }
        if !LIBPQ15_KEYWORDS.contains(&key) {
            return Err(syntax());
        }
        // An earlier setting in the group wins (libpq fills only unset
        // options).
        if !options.iter().any(|(k, _)| k == key) {
            options.push((key.to_owned(), value.to_owned()));
        }
    }
    Ok(found)
}

/// libpq 15's keywords (`PQconninfoOptions`).
pub(crate) const LIBPQ15_KEYWORDS: &[&str] = &[
    "service",
    "user",
    "password",
    "passfile",
    "channel_binding",
    "connect_timeout",
    "dbname",
    "host",
    "hostaddr",
    "port",
    "client_encoding",
    "options",
    "application_name",
    "fallback_application_name",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_count",
    "tcp_user_timeout",
    "sslmode",
    "sslcompression",
    "sslcert",
    "sslkey",
    "sslpassword",
    "sslrootcert",
    "sslcrl",
    "sslcrldir",
    "sslsni",
    "requirepeer",
    "ssl_min_protocol_version",
    "ssl_max_protocol_version",
    "gssencmode",
    "krbsrvname",
    "gsslib",
    "replication",
    "target_session_attrs",
];

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
    fn kv(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// A fresh directory for one test's files.
    fn temp_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("fdw-conninfo-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[cfg(unix)]
    fn write_private(path: &std::path::Path, text: &str, mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::write(path, text).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn password_file_lines_match_as_libpq_matches_them() {
        let text = "# comment\n\
                    db.example:5433:*:bob:first\n\
                    *:*:sales:bob:s\\:ec\\\\ret:ignored\n\
                    localhost:5432:*:*:local-pw\n\
                    /tmp/sock:*:*:*:sock-pw\n\
                    h\\:x:*:*:*:colon-host\n";
        let pw = |h: &str, p: &str, d: &str, u: &str| password_from_file(text, h, p, d, u);
        assert_eq!(
            pw("db.example", "5433", "x", "bob").as_deref(),
            Some("first")
        );
        // The first matching line wins; escapes are undone; the password
        // ends at the next unescaped colon.
        assert_eq!(
            pw("other", "1", "sales", "bob").as_deref(),
            Some("s:ec\\ret")
        );
        // No host and the default socket directory are "localhost"; no
        // port is 5432.
        assert_eq!(pw("", "", "d", "u").as_deref(), Some("local-pw"));
        assert_eq!(
            pw("/var/run/postgresql", "5432", "d", "u").as_deref(),
            Some("local-pw")
        );
        // Another socket directory is matched as written.
        assert_eq!(
            pw("/tmp/sock", "5432", "d", "u").as_deref(),
            Some("sock-pw")
        );
        assert_eq!(pw("h:x", "1", "d", "u").as_deref(), Some("colon-host"));
        assert_eq!(pw("db.example", "5432", "x", "carol"), None);
        // No database or user name: no lookup.
        assert_eq!(pw("", "", "", "u"), None);
    }

    #[test]
    fn service_groups_parse_as_libpq_reads_them() {
        let text = "# services\n[a]\nhost=h1\n  port=1 \n\n[ab]\nhost=h2\n[b]\nhost=h3\nhost=h4\n\
                    dbname=x=y\n[c]\nhost = h\n[d]\nservice=a\n[e]\nbogus=1\n";
        let group = |s: &str| parse_service_file(text, s, "f");
        assert_eq!(group("a"), Ok(Some(kv(&[("host", "h1"), ("port", "1")]))));
        assert_eq!(group("ab"), Ok(Some(kv(&[("host", "h2")]))));
        // An earlier setting in the group wins; the value runs to the end.
        assert_eq!(
            group("b"),
            Ok(Some(kv(&[("host", "h3"), ("dbname", "x=y")])))
        );
        assert_eq!(group("none"), Ok(None));
        assert_eq!(
            group("c"),
            Err("syntax error in service file \"f\", line 13".to_owned())
        );
        assert_eq!(
            group("d"),
            Err(
                "nested service specifications not supported in service file \"f\", line 15"
                    .to_owned()
            )
        );
        assert_eq!(
            group("e"),
            Err("syntax error in service file \"f\", line 17".to_owned())
        );
    }

    #[test]
    fn explicit_beats_service_beats_environment() {
        let dir = temp_dir("precedence");
        let services = dir.join("services.conf");
        std::fs::write(
            &services,
            "[svc]\nhost=svc-host\nport=6000\ndbname=svc-db\n",
        )
        .unwrap();
        let env = ClientEnv::from_vars([
            ("PGSERVICEFILE", services.to_str().unwrap()),
            ("PGHOST", "env-host"),
            ("PGPORT", "7000"),
            ("PGUSER", "env-user"),
            ("PGAPPNAME", "env-app"),
            ("PGSSLMODE", "disable"),
            ("PGCONNECT_TIMEOUT", "9"),
            ("PGOPTIONS", "-c work_mem=1MB"),
            ("HOME", dir.to_str().unwrap()),
        ]);
        let got =
            resolve_conninfo(kv(&[("service", "svc"), ("dbname", "mine")]), false, &env).unwrap();
        assert_eq!(
            got.options,
            kv(&[
                ("dbname", "mine"),
                ("host", "svc-host"),
                ("port", "6000"),
                ("user", "env-user"),
                ("connect_timeout", "9"),
                ("options", "-c work_mem=1MB"),
                ("application_name", "env-app"),
                ("sslmode", "disable"),
            ])
        );
        // PGSERVICE names the service when the string does not.
        let env2 = ClientEnv::from_vars([
            ("PGSERVICEFILE", services.to_str().unwrap()),
            ("PGSERVICE", "svc"),
        ]);
        let got = resolve_conninfo(kv(&[("port", "1")]), false, &env2).unwrap();
        assert_eq!(
            got.options,
            kv(&[("port", "1"), ("host", "svc-host"), ("dbname", "svc-db")])
        );
        // An explicit empty host keeps PGHOST out (the default host is
        // used); in a URI an empty host list is no host at all.
        let got = resolve_conninfo(kv(&[("host", "")]), false, &env2).unwrap();
        assert_eq!(got.options[0], ("host".to_owned(), String::new()));
        let env3 = ClientEnv::from_vars([("PGHOST", "env-host"), ("PGPORT", "7000")]);
        let got = resolve_conninfo(kv(&[("host", ""), ("port", "")]), true, &env3).unwrap();
        assert_eq!(got.options, kv(&[("host", "env-host"), ("port", "7000")]));
    }

    #[test]
    fn service_files_are_found_as_libpq_finds_them() {
        let dir = temp_dir("services");
        let sys = dir.join("sys");
        std::fs::create_dir_all(&sys).unwrap();
        std::fs::write(sys.join("pg_service.conf"), "[s]\nhost=from-sys\n").unwrap();
        std::fs::write(dir.join(".pg_service.conf"), "[t]\nhost=from-home\n").unwrap();
        let env = ClientEnv::from_vars([
            ("HOME", dir.to_str().unwrap()),
            ("PGSYSCONFDIR", sys.to_str().unwrap()),
        ]);
        let host = |service: &str| {
            resolve_conninfo(kv(&[("service", service)]), false, &env).map(|r| r.options)
        };
        assert_eq!(host("t"), Ok(kv(&[("host", "from-home")])));
        // Not in ~/.pg_service.conf: the system file.
        assert_eq!(host("s"), Ok(kv(&[("host", "from-sys")])));
        assert_eq!(
            host("u"),
            Err("definition of service \"u\" not found".to_owned())
        );
        let missing = dir.join("nope.conf");
        let env = ClientEnv::from_vars([
            ("PGSERVICEFILE", missing.to_str().unwrap()),
            ("PGSYSCONFDIR", sys.to_str().unwrap()),
        ]);
        assert_eq!(
            resolve_conninfo(kv(&[("service", "s")]), false, &env),
            Err(format!("service file \"{}\" not found", missing.display()))
        );
    }

    #[cfg(unix)]
    #[test]
    fn password_file_supplies_a_missing_password() {
        let dir = temp_dir("pgpass");
        let file = dir.join(".pgpass");
        write_private(&file, "h1:5432:db:alice:pw1\nh2:5432:db:alice:pw2\n", 0o600);
        let env = ClientEnv::from_vars([("HOME", dir.to_str().unwrap()), ("USER", "alice")]);
        let got = resolve_conninfo(kv(&[("host", "h1"), ("dbname", "db")]), false, &env).unwrap();
        assert_eq!(
            got.options,
            kv(&[("host", "h1"), ("dbname", "db"), ("password", "pw1")])
        );
        // An explicit password (or PGPASSWORD) is kept.
        let got = resolve_conninfo(
            kv(&[("host", "h1"), ("dbname", "db"), ("password", "given")]),
            false,
            &env,
        )
        .unwrap();
        assert_eq!(got.options[2], ("password".to_owned(), "given".to_owned()));
        // The database defaults to the user name; no line matches it.
        let got = resolve_conninfo(kv(&[("host", "h1")]), false, &env).unwrap();
        assert_eq!(got.options, kv(&[("host", "h1")]));
        // passfile names another file.
        let other = dir.join("other");
        write_private(&other, "*:*:*:*:star\n", 0o600);
        let got = resolve_conninfo(
            kv(&[("host", "h9"), ("passfile", other.to_str().unwrap())]),
            false,
            &env,
        )
        .unwrap();
        assert_eq!(got.options, kv(&[("host", "h9"), ("password", "star")]));
        // Two hosts with different passwords cannot share one.
        let err =
            resolve_conninfo(kv(&[("host", "h1,h2"), ("dbname", "db")]), false, &env).unwrap_err();
        assert!(err.contains("different passwords"), "{err}");
        assert!(!err.contains("pw1") && !err.contains("pw2"), "{err}");
        // A file others may read is ignored, with libpq's warning.
        write_private(&file, "*:*:*:*:open\n", 0o644);
        let got = resolve_conninfo(kv(&[("host", "h1")]), false, &env).unwrap();
        assert_eq!(got.options, kv(&[("host", "h1")]));
        assert_eq!(
            got.warnings,
            vec![format!(
                "WARNING: password file \"{}\" has group or world access; permissions should \
                 be u=rw (0600) or less",
                file.display()
            )]
        );
        // Debug output never shows a password.
        let env = ClientEnv::from_vars([("PGPASSWORD", "hidden-pw")]);
        let got = resolve_conninfo(Vec::new(), false, &env).unwrap();
        assert!(!format!("{got:?}{env:?}").contains("hidden-pw"));
    }
}
