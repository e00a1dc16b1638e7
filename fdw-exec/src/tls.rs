//! TLS for the executor's connections, with the meaning libpq 15 (and so
//! postgres_fdw) gives to `sslmode` and the other `ssl*` options.
//!
//! The TLS library is rustls with its `ring` provider, through
//! `tokio-postgres-rustls`: it builds from crates alone (no system OpenSSL
//! headers, no cmake), so a fresh machine builds the workspace as it is.
//!
//! What libpq does, and so what happens here, for a TCP host (libpq ignores
//! `sslmode` on Unix-domain sockets, which never carry TLS):
//!
//! | sslmode | attempts | server certificate |
//! | --- | --- | --- |
//! | `disable` | plain | - |
//! | `allow` | plain; if the server refuses it (an error answer during start-up), again with TLS | checked against the root certificate when its file exists |
//! | `prefer` (default) | TLS if the server offers it; if the handshake fails or the server then refuses the connection, again plain | as for `allow` |
//! | `require` | TLS only | as for `allow` (libpq: a root certificate file makes it `verify-ca`) |
//! | `verify-ca` | TLS only | chain to the root certificate (required) |
//! | `verify-full` | TLS only | chain, and the host name against the certificate's names as libpq matches them |
//!
//! The root certificate is `sslrootcert` or `~/.postgresql/root.crt`, the
//! client certificate `sslcert` or `~/.postgresql/postgresql.crt` (none
//! when the file does not exist), its key `sslkey` or
//! `~/.postgresql/postgresql.key` (mode 0600 or less, as libpq demands);
//! certificate revocation lists come from `sslcrl` / `sslcrldir` (or
//! `~/.postgresql/root.crl`) and are checked for the whole chain, as libpq
//! asks OpenSSL to. `sslsni`, `ssl_min_protocol_version` and
//! `ssl_max_protocol_version` are honoured (rustls speaks TLS 1.2 and 1.3
//! only, so a range below 1.2 is refused). What cannot be honoured is
//! refused with an error naming the option, never weakened: OpenSSL engine
//! keys (`sslkey` with a colon), TLS below 1.2, key encryption schemes
//! outside those listed below.
//!
//! An encrypted private key is decrypted with `sslpassword` (without one,
//! libpq has OpenSSL ask on the terminal; here it is an error naming
//! `sslpassword`), in the two PEM forms OpenSSL reads: PKCS#8 `ENCRYPTED PRIVATE
//! KEY` with PBES2 (PBKDF2 with HMAC-SHA1/SHA-224/SHA-256/SHA-384/SHA-512 or
//! scrypt; AES-128/192/256-CBC or DES-EDE3-CBC), and the traditional
//! `Proc-Type: 4,ENCRYPTED` form (`DEK-Info` AES-128/192/256-CBC or
//! DES-EDE3-CBC, key from the password by OpenSSL's MD5 `EVP_BytesToKey`).
//! PKCS#5 v1.5 (PBES1) schemes and single DES, which OpenSSL 3 puts in its
//! legacy provider, are refused naming `sslkey`.
//!
//! Differences in the strict direction: a CRL file that exists but holds
//! no list is an error (libpq ignores it), and certificates rustls's
//! verifier (webpki) rejects where OpenSSL accepts (version 1 CA
//! certificates, for instance) fail verification.

use std::convert::Infallible;
use std::future::Future;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{
    CertificateDer, CertificateRevocationListDer, PrivateKeyDer, ServerName, UnixTime,
};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore};
use tokio_postgres::tls::{MakeTlsConnect, TlsConnect};
use tokio_postgres::Socket;
use tokio_postgres_rustls::MakeRustlsConnect;
use x509_cert::der::Decode;

mod keyfile;

/// libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SslMode {
    /// Plain only.
    Disable,
    /// Plain, then TLS if the server refuses the plain connection.
    Allow,
    /// TLS if offered, else (or if TLS fails) plain: libpq's default.
    #[default]
    Prefer,
    /// TLS only; the certificate is checked only if a root certificate
    /// file exists.
    Require,
    /// TLS only, the certificate chained to the root certificate.
    VerifyCa,
    /// As `VerifyCa`, and the host name matches the certificate.
    VerifyFull,
}

impl SslMode {
    /// Parses libpq's keyword value.
    pub fn parse(value: &str) -> Option<SslMode> {
        Some(match value {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }

    /// Whether the mode never connects without TLS.
    pub fn requires_tls(self) -> bool {
        matches!(
            self,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull
        )
    }
}

/// A TLS protocol version as libpq names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TlsVersion {
    /// `TLSv1`.
    V1_0,
    /// `TLSv1.1`.
    V1_1,
    /// `TLSv1.2`.
    V1_2,
    /// `TLSv1.3`.
    V1_3,
}

impl TlsVersion {
    /// Parses `TLSv1`, `TLSv1.1`, `TLSv1.2`, `TLSv1.3` (case-insensitive,
    /// as libpq compares them).
    pub fn parse(value: &str) -> Option<TlsVersion> {
        Some(match value.to_ascii_lowercase().as_str() {
            "tlsv1" => TlsVersion::V1_0,
            "tlsv1.1" => TlsVersion::V1_1,
            "tlsv1.2" => TlsVersion::V1_2,
            "tlsv1.3" => TlsVersion::V1_3,
            _ => return None,
        })
    }
}

/// The TLS options of one connection, as given (files are read at
/// connect time, as libpq reads them). Its `Debug` never shows
/// `sslpassword`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TlsOptions {
    /// `sslmode`.
    pub mode: SslMode,
    /// `sslrootcert`.
    pub root_cert: Option<String>,
    /// `sslcert`.
    pub cert: Option<String>,
    /// `sslkey`.
    pub key: Option<String>,
    /// `sslcrl`.
    pub crl: Option<String>,
    /// `sslcrldir`.
    pub crl_dir: Option<String>,
    /// `sslsni` (default on).
    pub sni: Option<bool>,
    /// `ssl_min_protocol_version` (libpq 15's default: TLSv1.2).
    pub min_version: Option<TlsVersion>,
    /// `ssl_max_protocol_version`.
    pub max_version: Option<TlsVersion>,
    /// `sslcertmode=disable` (PostgreSQL 16+): send no client certificate.
    pub no_client_cert: bool,
    /// `sslpassword`: decrypts an encrypted `sslkey`. A secret: never in
    /// a message or in `Debug` output.
    pub password: Option<String>,
}

impl std::fmt::Debug for TlsOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Spelled out so that a new field cannot slip the password in.
        let TlsOptions {
            mode,
            root_cert,
            cert,
            key,
            crl,
            crl_dir,
            sni,
            min_version,
            max_version,
            no_client_cert,
            password,
        } = self;
        f.debug_struct("TlsOptions")
            .field("mode", mode)
            .field("root_cert", root_cert)
            .field("cert", cert)
            .field("key", key)
            .field("crl", crl)
            .field("crl_dir", crl_dir)
            .field("sni", sni)
            .field("min_version", min_version)
            .field("max_version", max_version)
            .field("no_client_cert", no_client_cert)
            .field("password", &password.as_ref().map(|_| "********"))
            .finish()
    }
}

/// A failure to set TLS up, before any connection: the option at fault
/// and what is wrong, or a file problem as libpq words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsSetupError {
    /// An option this executor cannot honour.
    Unsupported {
        /// The libpq keyword.
        option: &'static str,
        /// Why.
        why: String,
    },
    /// A file is missing or unreadable, or the options contradict.
    Invalid(String),
}

type SetupResult<T> = Result<T, TlsSetupError>;

/// How the server certificate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    /// Not at all (no root certificate; libpq's SSL_VERIFY_NONE).
    None,
    /// Chain to the root certificate.
    Chain,
    /// Chain and host name.
    Full,
}

/// The files of a TLS configuration, read once per connect.
#[derive(Debug)]
pub(crate) struct TlsMaterial {
    check: Check,
    roots: Option<Arc<RootCertStore>>,
    crls: Vec<CertificateRevocationListDer<'static>>,
    client: Option<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>,
    sni: bool,
    versions: Vec<&'static rustls::SupportedProtocolVersion>,
    provider: Arc<CryptoProvider>,
}

fn home_file(name: &str) -> Option<PathBuf> {
    // libpq's pqGetHomeDirectory: $HOME, then the password database; the
    // environment is what a user sets and sees.
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty())?;
    Some(Path::new(&home).join(".postgresql").join(name))
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

impl TlsOptions {
    /// Reads the files and checks the options (`initialize_SSL`).
    pub(crate) fn load(&self) -> SetupResult<TlsMaterial> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let versions = self.versions()?;
        // Root certificate: given, or the default file when it exists.
        let root_path = match given(&self.root_cert) {
            Some(path) => Some(PathBuf::from(path)),
            None => home_file("root.crt"),
        };
        let root_exists = root_path.as_deref().is_some_and(Path::exists);
        let (check, roots, crls) = if root_exists {
            let path = root_path.as_deref().unwrap_or(Path::new(""));
            let roots = read_roots(path)?;
            let crls = self.read_crls()?;
            let check = if self.mode == SslMode::VerifyFull {
                Check::Full
            } else {
                Check::Chain
            };
            (check, Some(Arc::new(roots)), crls)
        } else if matches!(self.mode, SslMode::VerifyCa | SslMode::VerifyFull) {
            return Err(TlsSetupError::Invalid(match root_path {
                Some(path) => format!(
                    "root certificate file \"{}\" does not exist; either provide the file \
                     or change sslmode to disable server certificate verification",
                    path.display()
                ),
                None => "could not get home directory to locate root certificate file; \
                         either provide the file or change sslmode to disable server \
                         certificate verification"
                    .to_owned(),
            }));
        } else {
            (Check::None, None, Vec::new())
        };
        Ok(TlsMaterial {
            check,
            roots,
            crls,
            client: self.read_client_cert()?,
            sni: self.sni.unwrap_or(true),
            versions,
            provider,
        })
    }

    fn versions(&self) -> SetupResult<Vec<&'static rustls::SupportedProtocolVersion>> {
        // libpq checks the range only when both ends are given.
        if let (Some(min), Some(max)) = (self.min_version, self.max_version) {
            if min > max {
                return Err(TlsSetupError::Invalid(
                    "invalid SSL protocol version range: ssl_min_protocol_version is above \
                     ssl_max_protocol_version"
                        .to_owned(),
                ));
            }
        }
        let min = self.min_version.unwrap_or(TlsVersion::V1_2);
        let max = self.max_version.unwrap_or(TlsVersion::V1_3);
        if max < TlsVersion::V1_2 {
            return Err(TlsSetupError::Unsupported {
                option: "ssl_max_protocol_version",
                why: "TLS versions below 1.2 are not available (rustls)".to_owned(),
            });
        }
        // rustls offers nothing below 1.2: with a lower minimum, a server
        // that speaks only TLS 1.0 or 1.1 fails the handshake (an error,
        // never a weaker connection).
        let mut out = Vec::new();
        if min <= TlsVersion::V1_3 && max >= TlsVersion::V1_3 {
            out.push(&rustls::version::TLS13);
        }
        if min <= TlsVersion::V1_2 {
            out.push(&rustls::version::TLS12);
        }
        Ok(out)
    }

    fn read_crls(&self) -> SetupResult<Vec<CertificateRevocationListDer<'static>>> {
        let mut files = Vec::new();
        let (file, dir) = (given(&self.crl), given(&self.crl_dir));
        match (file, dir) {
            (None, None) => files.extend(home_file("root.crl")),
            _ => files.extend(file.map(PathBuf::from)),
        }
        if let Some(dir) = dir {
            // OpenSSL's hashed directory: <8 hex digits>.r<n> files.
            if let Ok(entries) = std::fs::read_dir(dir) {
                let mut names: Vec<PathBuf> = entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| {
                        p.file_name()
                            .and_then(|n| n.to_str())
                            .and_then(|n| n.split_once(".r"))
                            .is_some_and(|(hash, n)| {
                                hash.len() == 8
                                    && hash.chars().all(|c| c.is_ascii_hexdigit())
                                    && !n.is_empty()
                                    && n.chars().all(|c| c.is_ascii_digit())
                            })
                    })
                    .collect();
                names.sort();
                files.extend(names);
            }
        }
        let mut crls = Vec::new();
        for path in files {
            // libpq: a missing CRL file is no error (CRLs are optional).
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let found: Vec<_> = CertificateRevocationListDer::pem_slice_iter(&bytes)
                .collect::<Result<_, _>>()
                .map_err(|e| {
                    TlsSetupError::Invalid(format!(
                        "could not read certificate revocation list \"{}\": {e:?}",
                        path.display()
                    ))
                })?;
            if found.is_empty() {
                return Err(TlsSetupError::Invalid(format!(
                    "certificate revocation list file \"{}\" holds no list",
                    path.display()
                )));
            }
            crls.extend(found);
        }
        Ok(crls)
    }

    fn read_client_cert(
        &self,
    ) -> SetupResult<Option<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>> {
        if self.no_client_cert {
            return Ok(None);
        }
        let Some(cert_path) = given(&self.cert)
            .map(PathBuf::from)
            .or_else(|| home_file("postgresql.crt"))
        else {
            return Ok(None);
        };
        let cert_bytes = match std::fs::read(&cert_path) {
            Ok(bytes) => bytes,
            // libpq: without the file, no client certificate is sent.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(TlsSetupError::Invalid(format!(
                    "could not open certificate file \"{}\": {e}",
                    cert_path.display()
                )))
            }
        };
        let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&cert_bytes)
            .collect::<Result<_, _>>()
            .map_err(|e| {
                TlsSetupError::Invalid(format!(
                    "could not read certificate file \"{}\": {e:?}",
                    cert_path.display()
                ))
            })?;
        if chain.is_empty() {
            return Err(TlsSetupError::Invalid(format!(
                "could not read certificate file \"{}\": no certificate in it",
                cert_path.display()
            )));
        }
        let key_path = match given(&self.key) {
            Some(key) if key.contains(':') => {
                return Err(TlsSetupError::Unsupported {
                    option: "sslkey",
                    why: "OpenSSL engine keys (engine:key) are not available".to_owned(),
                })
            }
            Some(key) => PathBuf::from(key),
            None => home_file("postgresql.key").unwrap_or_default(),
        };
        Ok(Some((chain, self.read_key(&key_path)?)))
    }

    fn read_key(&self, path: &Path) -> SetupResult<PrivateKeyDer<'static>> {
        let meta = std::fs::metadata(path).map_err(|e| {
            TlsSetupError::Invalid(if e.kind() == std::io::ErrorKind::NotFound {
                format!(
                    "certificate present, but not private key file \"{}\"",
                    path.display()
                )
            } else {
                format!(
                    "could not stat private key file \"{}\": {e}",
                    path.display()
                )
            })
        })?;
        if !meta.is_file() {
            return Err(TlsSetupError::Invalid(format!(
                "private key file \"{}\" is not a regular file",
                path.display()
            )));
        }
        {
            use std::os::unix::fs::MetadataExt;
            // libpq: 0600 or less, or 0640 or less when owned by root.
            let mode = meta.mode();
            let loose = if meta.uid() == 0 {
                mode & 0o037 != 0
            } else {
                mode & 0o077 != 0
            };
            if loose {
                return Err(TlsSetupError::Invalid(format!(
                    "private key file \"{}\" has group or world access; file must have \
                     permissions u=rw (0600) or less if owned by the current user, or \
                     permissions u=rw,g=r (0640) or less if owned by root",
                    path.display()
                )));
            }
        }
        let bytes = std::fs::read(path).map_err(|e| {
            TlsSetupError::Invalid(format!(
                "could not load private key file \"{}\": {e}",
                path.display()
            ))
        })?;
        let text = String::from_utf8_lossy(&bytes);
        if text.contains("ENCRYPTED PRIVATE KEY") || text.contains("Proc-Type: 4,ENCRYPTED") {
            return keyfile::decrypt(&text, path, self.password.as_deref());
        }
        if let Ok(key) = PrivateKeyDer::from_pem_slice(&bytes) {
            return Ok(key);
        }
        // libpq tries DER after PEM.
        PrivateKeyDer::try_from(bytes.as_slice())
            .map(|k| k.clone_key())
            .map_err(|e| {
                TlsSetupError::Invalid(format!(
                    "could not load private key file \"{}\": {e}",
                    path.display()
                ))
            })
    }
}

fn read_roots(path: &Path) -> SetupResult<RootCertStore> {
    let unreadable = |why: String| {
        TlsSetupError::Invalid(format!(
            "could not read root certificate file \"{}\": {why}",
            path.display()
        ))
    };
    let bytes = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<_, _>>()
        .map_err(|e| unreadable(format!("{e:?}")))?;
    let mut store = RootCertStore::empty();
    let (added, _ignored) = store.add_parsable_certificates(certs);
    if added == 0 {
        return Err(unreadable("no usable certificate in it".to_owned()));
    }
    Ok(store)
}

/// What happened to TLS in one connection attempt, for libpq's fallbacks
/// and for the error message.
#[derive(Debug, Default)]
pub(crate) struct Probe {
    /// The server accepted the TLS request and the handshake began.
    pub(crate) attempted: bool,
    /// The handshake completed.
    pub(crate) established: bool,
    /// Why the server certificate was rejected, in libpq's words.
    pub(crate) rejected: Option<String>,
}

type SharedProbe = Arc<Mutex<Probe>>;

fn lock(probe: &SharedProbe) -> std::sync::MutexGuard<'_, Probe> {
    probe.lock().unwrap_or_else(|e| e.into_inner())
}

impl TlsMaterial {
    /// A connector for one host: `host` is libpq's `host` of the target
    /// (the name checked by verify-full), `None` when only `hostaddr` was
    /// given.
    pub(crate) fn connector(&self, host: Option<&str>) -> SetupResult<TlsConnector> {
        let probe: SharedProbe = Arc::default();
        let algorithms = self.provider.signature_verification_algorithms;
        let chain = match &self.roots {
            Some(roots) => Some(
                WebPkiServerVerifier::builder_with_provider(
                    Arc::clone(roots),
                    Arc::clone(&self.provider),
                )
                .with_crls(self.crls.iter().cloned())
                .enforce_revocation_expiration()
                .build()
                .map_err(|e| TlsSetupError::Invalid(format!("certificate store: {e}")))?,
            ),
            None => None,
        };
        let verifier = LibpqVerifier {
            chain,
            check: self.check,
            host: host.map(str::to_owned),
            algorithms,
            probe: Arc::clone(&probe),
        };
        let builder = ClientConfig::builder_with_provider(Arc::clone(&self.provider))
            .with_protocol_versions(&self.versions)
            .map_err(|e| TlsSetupError::Invalid(format!("TLS protocol versions: {e}")))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier));
        let mut config = match &self.client {
            Some((chain, key)) => builder
                .with_client_auth_cert(chain.clone(), key.clone_key())
                .map_err(|e| {
                    TlsSetupError::Invalid(format!("certificate does not match private key: {e}"))
                })?,
            None => builder.with_no_client_auth(),
        };
        config.enable_sni = self.sni;
        Ok(TlsConnector {
            inner: Some(MakeRustlsConnect::new(config)),
            probe,
        })
    }
}

/// The server-certificate check libpq makes: nothing without a root
/// certificate; the chain (with CRLs) with one; and for verify-full the
/// host name, matched against the certificate's names as libpq matches
/// them (subject alternative names of the host's kind, else the common
/// name; `*.` wildcards over one label).
#[derive(Debug)]
struct LibpqVerifier {
    chain: Option<Arc<WebPkiServerVerifier>>,
    check: Check,
    host: Option<String>,
    algorithms: WebPkiSupportedAlgorithms,
    probe: SharedProbe,
}

impl ServerCertVerifier for LibpqVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if self.check == Check::None {
            return Ok(ServerCertVerified::assertion());
        }
        if let Some(chain) = &self.chain {
            // webpki checks the chain before the name: a name error means
            // the chain was good. The name is libpq's business below.
            match chain.verify_server_cert(
                end_entity,
                intermediates,
                server_name,
                ocsp_response,
                now,
            ) {
                Ok(_)
                | Err(rustls::Error::InvalidCertificate(
                    CertificateError::NotValidForName
                    | CertificateError::NotValidForNameContext { .. },
                )) => {}
                Err(err) => {
                    lock(&self.probe).rejected = Some(format!("certificate verify failed: {err}"));
                    return Err(err);
                }
            }
        }
        if self.check == Check::Full {
            if let Err(why) = match_host_name(end_entity, self.host.as_deref()) {
                lock(&self.probe).rejected = Some(why);
                return Err(rustls::Error::InvalidCertificate(
                    CertificateError::NotValidForName,
                ));
            }
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// libpq's `pq_verify_peer_name_matches_certificate`: `Ok` when `host`
/// matches one of the certificate's names, else libpq's message.
fn match_host_name(cert: &CertificateDer<'_>, host: Option<&str>) -> Result<(), String> {
    let Some(host) = host.filter(|h| !h.is_empty()) else {
        return Err("host name must be specified for a verified SSL connection".to_owned());
    };
    let cert = x509_cert::Certificate::from_der(cert.as_ref())
        .map_err(|e| format!("could not read the server certificate: {e}"))?;
    let host_ip: Option<IpAddr> = host.parse().ok();
    let mut names: Vec<String> = Vec::new();
    let mut check_cn = true;
    let sans = cert
        .tbs_certificate
        .get::<x509_cert::ext::pkix::SubjectAltName>()
        .map_err(|e| format!("could not read the server certificate's names: {e}"))?;
    if let Some((_, sans)) = sans {
        for name in &sans.0 {
            use x509_cert::ext::pkix::name::GeneralName;
            let matched = match name {
                GeneralName::DnsName(dns) => {
                    if host_ip.is_none() {
                        check_cn = false;
                    }
                    let text = name_text(dns.as_bytes())?;
                    let hit = dns_name_matches(&text, host);
                    names.push(text);
                    hit
                }
                GeneralName::IpAddress(octets) => {
                    if host_ip.is_some() {
                        check_cn = false;
                    }
                    let bytes = octets.as_bytes();
                    let cert_ip: Option<IpAddr> = match bytes.len() {
                        4 => <[u8; 4]>::try_from(bytes).ok().map(IpAddr::from),
                        16 => <[u8; 16]>::try_from(bytes).ok().map(IpAddr::from),
                        _ => {
                            return Err(
                                "SSL certificate address entry has invalid length".to_owned()
                            )
                        }
                    };
                    if let Some(ip) = cert_ip {
                        names.push(ip.to_string());
                    }
                    cert_ip.is_some() && cert_ip == host_ip
                }
                GeneralName::OtherName(_)
                | GeneralName::Rfc822Name(_)
                | GeneralName::DirectoryName(_)
                | GeneralName::EdiPartyName(_)
                | GeneralName::UniformResourceIdentifier(_)
                | GeneralName::RegisteredId(_) => false,
            };
            if matched {
                return Ok(());
            }
        }
    }
    if check_cn {
        let cn_oid = x509_cert::der::oid::db::rfc4519::CN;
        let common_name = cert
            .tbs_certificate
            .subject
            .0
            .iter()
            .flat_map(|rdn| rdn.0.iter())
            .find(|atv| atv.oid == cn_oid);
        if let Some(atv) = common_name {
            let text = name_text(atv.value.value())?;
            if dns_name_matches(&text, host) {
                return Ok(());
            }
            names.push(text);
        }
    }
    match names.as_slice() {
        [] => Err("could not get server's host name from server certificate".to_owned()),
        [one] => Err(format!(
            "server certificate for \"{one}\" does not match host name \"{host}\""
        )),
        [first, rest @ ..] => Err(format!(
            "server certificate for \"{first}\" (and {} other name{}) does not match host name \"{host}\"",
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        )),
    }
}

fn name_text(bytes: &[u8]) -> Result<String, String> {
    if bytes.contains(&0) {
        return Err("SSL certificate's name contains embedded null".to_owned());
    }
    Ok(String::from_utf8_lossy(bytes).into_owned())
}

/// libpq's name match: equal ignoring ASCII case, or a `*.rest` pattern
/// whose `*` stands for exactly one leading label of `host`.
fn dns_name_matches(pattern: &str, host: &str) -> bool {
    if pattern.eq_ignore_ascii_case(host) {
        return true;
    }
    let Some(suffix) = pattern.strip_prefix('*') else {
        return false;
    };
    if !suffix.starts_with('.') || pattern.len() < 3 || pattern.len() > host.len() {
        return false;
    }
    let split = host.len() - suffix.len();
    let (label, rest) = match (host.get(..split), host.get(split..)) {
        (Some(label), Some(rest)) => (label, rest),
        _ => return false,
    };
    rest.eq_ignore_ascii_case(suffix) && !label.contains('.')
}

/// The `MakeTlsConnect` of one attempt: rustls (absent when TLS must not
/// be used at all), recording in its probe whether the handshake began and
/// ended, for libpq's `prefer` fallback and for error messages.
#[derive(Clone)]
pub(crate) struct TlsConnector {
    inner: Option<MakeRustlsConnect>,
    probe: SharedProbe,
}

impl std::fmt::Debug for TlsConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsConnector")
            .field("tls", &self.inner.is_some())
            .finish_non_exhaustive()
    }
}

impl TlsConnector {
    /// A connector that never does TLS (only with `SslMode::Disable`, or
    /// on Unix-domain sockets, where the server declines it).
    pub(crate) fn plain() -> TlsConnector {
        TlsConnector {
            inner: None,
            probe: Arc::default(),
        }
    }

    /// What happened in the last attempt.
    pub(crate) fn probe(&self) -> std::sync::MutexGuard<'_, Probe> {
        lock(&self.probe)
    }

    /// Forgets the last attempt.
    pub(crate) fn reset(&self) {
        *lock(&self.probe) = Probe::default();
    }
}

type RustlsConnect = <MakeRustlsConnect as MakeTlsConnect<Socket>>::TlsConnect;
type RustlsStream = <MakeRustlsConnect as MakeTlsConnect<Socket>>::Stream;

impl MakeTlsConnect<Socket> for TlsConnector {
    type Stream = RustlsStream;
    type TlsConnect = ProbedConnect;
    type Error = Infallible;

    fn make_tls_connect(&mut self, hostname: &str) -> Result<ProbedConnect, Infallible> {
        let inner = match &mut self.inner {
            Some(make) => Some(
                <MakeRustlsConnect as MakeTlsConnect<Socket>>::make_tls_connect(make, hostname)?,
            ),
            None => None,
        };
        Ok(ProbedConnect {
            inner,
            probe: Arc::clone(&self.probe),
        })
    }
}

/// One handshake, reported to the probe.
pub(crate) struct ProbedConnect {
    inner: Option<RustlsConnect>,
    probe: SharedProbe,
}

impl TlsConnect<Socket> for ProbedConnect {
    type Stream = RustlsStream;
    type Error = std::io::Error;
    type Future = Pin<Box<dyn Future<Output = std::io::Result<RustlsStream>> + Send>>;

    fn connect(self, stream: Socket) -> Self::Future {
        let probe = self.probe;
        lock(&probe).attempted = true;
        match self.inner {
            Some(inner) => {
                let handshake = inner.connect(stream);
                Box::pin(async move {
                    let result = handshake.await;
                    if result.is_ok() {
                        lock(&probe).established = true;
                    }
                    result
                })
            }
            None => Box::pin(async {
                Err(std::io::Error::other(
                    "TLS is not configured for this connection",
                ))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_one_label() {
        assert!(dns_name_matches("*.example.com", "db.example.com"));
        assert!(dns_name_matches("*.Example.com", "DB.example.COM"));
        assert!(!dns_name_matches("*.example.com", "a.b.example.com"));
        assert!(!dns_name_matches("*.example.com", "example.com"));
        assert!(!dns_name_matches("*example.com", "xexample.com"));
        assert!(dns_name_matches("localhost", "LOCALHOST"));
        assert!(!dns_name_matches("*.", "a."));
    }

    #[test]
    fn protocol_ranges() {
        let opts = |min, max| TlsOptions {
            min_version: min,
            max_version: max,
            ..TlsOptions::default()
        };
        assert_eq!(opts(None, None).versions().map(|v| v.len()), Ok(2));
        assert_eq!(
            opts(Some(TlsVersion::V1_3), None)
                .versions()
                .map(|v| v.len()),
            Ok(1)
        );
        assert_eq!(
            opts(None, Some(TlsVersion::V1_2))
                .versions()
                .map(|v| v.len()),
            Ok(1)
        );
        assert!(matches!(
            opts(None, Some(TlsVersion::V1_1)).versions(),
            Err(TlsSetupError::Unsupported {
                option: "ssl_max_protocol_version",
                ..
            })
        ));
        assert!(matches!(
            opts(Some(TlsVersion::V1_3), Some(TlsVersion::V1_2)).versions(),
            Err(TlsSetupError::Invalid(_))
        ));
    }
}
