//! TLS against a PostgreSQL 15 cluster of its own with `ssl = on`, a TCP
//! listener on 127.0.0.1 and certificates made at test time (rcgen): a CA,
//! a server certificate for `localhost` and `127.0.0.1`, a client
//! certificate for certificate authentication, and a second, unrelated CA.
//! Each case connects through the executor and asks the server whether its
//! own backend is encrypted (`pg_stat_ssl`).

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use fdw_catalog::catalog::{MappingUserSpec, ServerDef};
use fdw_catalog::objects::MappingUser;
use fdw_catalog::Catalog;
use fdw_exec::{Error, Executor, Isolation, LocalSession, Secrets};
use fdw_testkit::{Cluster, ClusterSetup, PgInstall};
use rcgen::{
    date_time_ymd, BasicConstraints, CertificateParams, CertificateRevocationListParams, DnType,
    IsCa, Issuer, KeyIdMethod, KeyPair, KeyUsagePurpose, RevocationReason, RevokedCertParams,
    SerialNumber,
};

/// The server certificate's serial number (revoked by `revoked.crl`).
const SERVER_SERIAL: &[u8] = &[0x42, 0x17];

use super::common::{request, INT4, TEXT};

const PASSWORD: &str = "tls-Secret-5521";
/// The password of `client_scrypt_other.key`.
const OTHER_PASSWORD: &str = "other-Secret-8813";

/// ring's SEC1 P-256 key (inside its PKCS#8) names no curve, which the
/// PKCS#8 wrapping says; alone, as in an `EC PRIVATE KEY` file, it needs
/// the `[0] prime256v1` parameters OpenSSL writes there (and needs to read it).
fn sec1_with_curve(ring_sec1: &[u8]) -> Vec<u8> {
    // SEQUENCE { INTEGER 1, OCTET STRING (32), [1] public key }.
    assert_eq!(ring_sec1[..7], [0x30, 0x6b, 0x02, 0x01, 0x01, 0x04, 0x20]);
    let curve = [
        0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
    ];
    let mut out = vec![0x30, 0x6b + 12];
    out.extend_from_slice(&ring_sec1[2..39]);
    out.extend_from_slice(&curve);
    out.extend_from_slice(&ring_sec1[39..]);
    out
}

/// `der` encrypted as OpenSSL's traditional PEM (`openssl ec -aes256`):
/// AES-256-CBC under the key OpenSSL's `EVP_BytesToKey` (MD5, one round,
/// the IV's first 8 bytes as salt) makes of `password`.
fn legacy_pem(label: &str, der: &[u8], password: &str) -> String {
    use base64ct::Encoding;
    use cbc::cipher::{block_padding::Pkcs7, BlockEncryptMut, KeyIvInit};
    use md5::Digest;
    let iv: [u8; 16] = *b"0123456789abcdef";
    let mut key = Vec::new();
    let mut block: Vec<u8> = Vec::new();
    while key.len() < 32 {
        let mut md5 = md5::Md5::new();
        md5.update(&block);
        md5.update(password.as_bytes());
        md5.update(&iv[..8]);
        block = md5.finalize().to_vec();
        key.extend_from_slice(&block);
    }
    let body = cbc::Encryptor::<aes::Aes256>::new_from_slices(&key[..32], &iv)
        .unwrap()
        .encrypt_padded_vec_mut::<Pkcs7>(der);
    let base64 = base64ct::Base64::encode_string(&body);
    let lines: Vec<&str> = base64
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    let iv_hex: String = iv.iter().map(|b| format!("{b:02X}")).collect();
    format!(
        "-----BEGIN {label}-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,{iv_hex}\n\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

/// The TLS cluster and the client's files.
struct Tls {
    cluster: Cluster,
    dir: PathBuf,
}

impl Tls {
    fn file(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }
}

fn ca(name: &str) -> (CertificateParams, KeyPair) {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    (params, KeyPair::generate().unwrap())
}

fn leaf(names: &[&str], common_name: &str, issuer: &Issuer<'_, KeyPair>) -> (String, String) {
    let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    let mut params = CertificateParams::new(names).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, common_name);
    if common_name == "localhost" {
        params.serial_number = Some(SerialNumber::from_slice(SERVER_SERIAL));
    }
    let key = KeyPair::generate().unwrap();
    let cert = params.signed_by(&key, issuer).unwrap();
    (cert.pem(), key.serialize_pem())
}

fn write_private(path: &std::path::Path, contents: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, contents).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn tls() -> &'static Tls {
    static TLS: OnceLock<Tls> = OnceLock::new();
    TLS.get_or_init(|| {
        let (ca_params, ca_key) = ca("fdw test CA");
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca_params, ca_key);
        let (server_crt, server_key) = leaf(&["localhost", "127.0.0.1"], "localhost", &issuer);
        let (client_crt, client_key) = leaf(&[], "fdw_tls_cert", &issuer);
        let crl = |revoked: Vec<RevokedCertParams>| {
            CertificateRevocationListParams {
                this_update: date_time_ymd(2020, 1, 1),
                next_update: date_time_ymd(2099, 1, 1),
                crl_number: SerialNumber::from_slice(&[1]),
                issuing_distribution_point: None,
                revoked_certs: revoked,
                key_identifier_method: KeyIdMethod::Sha256,
            }
            .signed_by(&issuer)
            .unwrap()
            .pem()
            .unwrap()
        };
        let clean_crl = crl(Vec::new());
        let revoked_crl = crl(vec![RevokedCertParams {
            serial_number: SerialNumber::from_slice(SERVER_SERIAL),
            revocation_time: date_time_ymd(2021, 1, 1),
            reason_code: Some(RevocationReason::KeyCompromise),
            invalidity_date: None,
        }]);
        let (other_params, other_key) = ca("unrelated CA");
        let other_ca = other_params.self_signed(&other_key).unwrap();

        let hba = "\
local all all trust
hostssl all fdw_tls_cert 127.0.0.1/32 cert
hostnossl all fdw_tls_cert 127.0.0.1/32 reject
hostssl all fdw_ssl_only 127.0.0.1/32 trust
hostnossl all fdw_ssl_only 127.0.0.1/32 reject
hostssl all fdw_plain_only 127.0.0.1/32 reject
hostnossl all fdw_plain_only 127.0.0.1/32 trust
host all fdw_scram 127.0.0.1/32 scram-sha-256
host all all 127.0.0.1/32 trust
";
        let setup = ClusterSetup {
            tcp: true,
            settings: "ssl = on\n\
                       ssl_cert_file = 'server.crt'\n\
                       ssl_key_file = 'server.key'\n\
                       ssl_ca_file = 'root.crt'\n\
                       log_connections = on\n"
                .to_owned(),
            files: vec![
                ("server.crt".to_owned(), server_crt.into_bytes()),
                ("server.key".to_owned(), server_key.into_bytes()),
                ("root.crt".to_owned(), ca_cert.pem().into_bytes()),
            ],
            hba: Some(hba.to_owned()),
        };
        let cluster = Cluster::start_with(PgInstall::find(15).unwrap(), &setup).unwrap();
        cluster
            .exec(
                "postgres",
                &format!(
                    "CREATE ROLE fdw_tls_cert LOGIN; CREATE ROLE fdw_ssl_only LOGIN;
                     CREATE ROLE fdw_plain_only LOGIN;
                     CREATE ROLE fdw_scram LOGIN PASSWORD '{PASSWORD}'"
                ),
            )
            .unwrap();

        let dir = std::env::temp_dir().join(format!("fdw-exec-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("ca.crt"), ca_cert.pem()).unwrap();
        std::fs::write(dir.join("other_ca.crt"), other_ca.pem()).unwrap();
        std::fs::write(dir.join("clean.crl"), clean_crl).unwrap();
        std::fs::write(dir.join("revoked.crl"), revoked_crl).unwrap();
        std::fs::write(dir.join("client.crt"), client_crt).unwrap();
        write_private(&dir.join("client.key"), &client_key, 0o600);
        write_private(&dir.join("loose.key"), &client_key, 0o644);
        // The client key encrypted: PKCS#8 (PBKDF2-SHA256, AES-256-CBC)
        // and scrypt (AES-128-CBC, another password), and the traditional
        // OpenSSL form (EC PRIVATE KEY, AES-256-CBC, MD5 key derivation).
        let (_, pkcs8_key) = pkcs8::SecretDocument::from_pem(&client_key).unwrap();
        let info = pkcs8::PrivateKeyInfo::try_from(pkcs8_key.as_bytes()).unwrap();
        let pbkdf2 =
            pkcs8::pkcs5::pbes2::Parameters::pbkdf2_sha256_aes256cbc(2048, b"saltsalt", &[7; 16])
                .unwrap();
        let scrypt = pkcs8::pkcs5::pbes2::Parameters::scrypt_aes128cbc(
            pkcs8::pkcs5::scrypt::Params::new(10, 8, 1, 16).unwrap(),
            b"pepper!!",
            &[9; 16],
        )
        .unwrap();
        for (name, params, password) in [
            ("client_pkcs8.key", pbkdf2, PASSWORD),
            ("client_scrypt_other.key", scrypt, OTHER_PASSWORD),
        ] {
            let pem = info
                .encrypt_with_params(params, password)
                .unwrap()
                .to_pem("ENCRYPTED PRIVATE KEY", pkcs8::LineEnding::LF)
                .unwrap();
            write_private(&dir.join(name), &pem, 0o600);
        }
        write_private(
            &dir.join("client_legacy.key"),
            &legacy_pem(
                "EC PRIVATE KEY",
                &sec1_with_curve(info.private_key),
                PASSWORD,
            ),
            0o600,
        );
        Tls { cluster, dir }
    })
}

/// Connects with server options `server` (host and port default to the
/// cluster's TCP listener) and mapping options `mapping` (the password,
/// if any, is [`PASSWORD`]) and runs `sql`.
async fn run(
    server: &[(&str, &str)],
    mapping: &[(&str, &str)],
    sql: &str,
) -> Result<Vec<Vec<Option<String>>>, Error> {
    let tls = tls();
    let port = tls.cluster.port().to_string();
    let mut options: Vec<(&str, &str)> = vec![("dbname", "postgres"), ("port", &port)];
    if !server.iter().any(|(k, _)| *k == "host" || *k == "hostaddr") {
        options.push(("host", "127.0.0.1"));
    }
    options.extend_from_slice(server);
    let mut catalog = Catalog::new(15).unwrap();
    catalog
        .create_extension("postgres_fdw", None, false)
        .unwrap();
    let oid = catalog
        .create_server(&ServerDef::postgres_fdw("tlsrv", &options))
        .unwrap();
    let mapping: Vec<(String, String)> = mapping
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    catalog
        .create_user_mapping(&MappingUserSpec::CurrentUser, "tlsrv", &mapping, false)
        .unwrap();
    let secrets = Secrets::new()
        .with(
            "tlsrv",
            MappingUser::Role("postgres".into()),
            "password",
            PASSWORD,
        )
        .with(
            "tlsrv",
            MappingUser::Role("postgres".into()),
            "sslpassword",
            PASSWORD,
        );
    let mut exec = Executor::new(LocalSession::from_catalog(&catalog), Arc::new(secrets));
    exec.run_query(&catalog, &request(oid, sql, &[TEXT])).await
}

const SSL_IN_USE: &str =
    "SELECT ssl::text || ' ' || coalesce(version, '-') || ' ' || current_user::text \
     FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

/// `ssl version user` of the backend that served the connection.
async fn ssl_state(server: &[(&str, &str)], mapping: &[(&str, &str)]) -> Result<String, Error> {
    let rows = run(server, mapping, SSL_IN_USE).await?;
    Ok(rows[0][0].clone().unwrap())
}

fn is_ssl(state: &str) -> bool {
    state.starts_with("true ")
}

fn no_root() -> (&'static str, String) {
    // libpq: a named root certificate file that does not exist means no
    // verification (require, prefer, allow), whatever ~/.postgresql holds.
    ("sslrootcert", tls().file("no-such-root.crt"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sslmodes_encrypt_as_libpq_does() {
    let (root_key, root) = no_root();
    let nr = (root_key, root.as_str());
    // require: encrypted, with libpq 15's default TLS range (1.2 and up).
    let state = ssl_state(&[("sslmode", "require"), nr], &[]).await.unwrap();
    assert!(is_ssl(&state) && state.contains("TLSv1."), "{state}");
    // disable: plain.
    let state = ssl_state(&[("sslmode", "disable")], &[]).await.unwrap();
    assert!(state.starts_with("false "), "{state}");
    // prefer (also the default): upgraded to TLS.
    for options in [vec![("sslmode", "prefer"), nr], vec![nr]] {
        let state = ssl_state(&options, &[]).await.unwrap();
        assert!(is_ssl(&state), "{options:?}: {state}");
    }
    // allow: plain when the server takes it ...
    let state = ssl_state(&[("sslmode", "allow"), nr], &[]).await.unwrap();
    assert!(state.starts_with("false "), "{state}");
    // ... and TLS when the server refuses plain (hostssl only).
    let state = ssl_state(&[("sslmode", "allow"), nr], &[("user", "fdw_ssl_only")])
        .await
        .unwrap();
    assert_eq!(state.split(' ').next(), Some("true"), "{state}");
    // prefer falls back to plain when the server refuses the TLS connection.
    let state = ssl_state(&[("sslmode", "prefer"), nr], &[("user", "fdw_plain_only")])
        .await
        .unwrap();
    assert!(state.starts_with("false "), "{state}");
    // A hostssl-only role: disable is refused by the server, naming the
    // server, and so is require for a hostnossl-only role.
    let err = ssl_state(&[("sslmode", "disable")], &[("user", "fdw_ssl_only")])
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(&err, Error::Connect { sqlstate: Some(s), .. } if s == "28000"),
        "{text}"
    );
    assert!(
        text.contains("\"tlsrv\"") && text.contains("no encryption"),
        "{text}"
    );
    let err = ssl_state(&[("sslmode", "require"), nr], &[("user", "fdw_plain_only")])
        .await
        .unwrap_err();
    assert!(err.to_string().contains("SSL encryption"), "{err}");
    // Unix-domain sockets never carry TLS: libpq ignores sslmode there.
    let socket = tls().cluster.socket_dir().display().to_string();
    let state = ssl_state(&[("host", &socket), ("sslmode", "verify-full")], &[])
        .await
        .unwrap();
    assert!(state.starts_with("false "), "{state}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_certificates_are_verified() {
    let ca = tls().file("ca.crt");
    let other = tls().file("other_ca.crt");
    // verify-full: the right CA, by name and by address.
    for host in ["localhost", "127.0.0.1"] {
        let state = ssl_state(
            &[
                ("host", host),
                ("sslmode", "verify-full"),
                ("sslrootcert", &ca),
            ],
            &[],
        )
        .await
        .unwrap();
        assert!(is_ssl(&state), "{host}: {state}");
    }
    // A host name the certificate does not name: refused, naming the
    // server and both names, never the password.
    let err = ssl_state(
        &[
            ("host", "db.wrong.invalid"),
            ("hostaddr", "127.0.0.1"),
            ("sslmode", "verify-full"),
            ("sslrootcert", &ca),
        ],
        &[("password", "x")],
    )
    .await
    .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(matches!(err, Error::Connect { .. }), "{text}");
    assert!(
        text.contains("\"tlsrv\"")
            && text.contains("does not match host name \"db.wrong.invalid\"")
            && text.contains("server certificate for \"localhost\" (and 1 other name)"),
        "{text}"
    );
    assert!(!text.contains(PASSWORD), "{text}");
    // verify-ca does not check the name.
    let state = ssl_state(
        &[
            ("host", "db.wrong.invalid"),
            ("hostaddr", "127.0.0.1"),
            ("sslmode", "verify-ca"),
            ("sslrootcert", &ca),
        ],
        &[],
    )
    .await
    .unwrap();
    assert!(is_ssl(&state), "{state}");
    // The wrong CA: verify-full, verify-ca, and require with a root
    // certificate (libpq verifies then too) all refuse.
    for mode in ["verify-full", "verify-ca", "require"] {
        let err = ssl_state(
            &[
                ("host", "localhost"),
                ("sslmode", mode),
                ("sslrootcert", &other),
            ],
            &[("password", "x")],
        )
        .await
        .unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(
            text.contains("\"tlsrv\"") && text.contains("certificate verify failed"),
            "{mode}: {text}"
        );
        assert!(!text.contains(PASSWORD), "{text}");
    }
    // prefer with a root certificate that rejects the server falls back to
    // plain, as libpq's handshake failure does.
    let state = ssl_state(&[("sslmode", "prefer"), ("sslrootcert", &other)], &[])
        .await
        .unwrap();
    assert!(state.starts_with("false "), "{state}");
    // Certificate revocation lists: a list from the CA without the server's
    // certificate lets it pass, one that revokes it refuses it; without a
    // root certificate libpq (and so this executor) checks no list.
    let (clean, revoked) = (tls().file("clean.crl"), tls().file("revoked.crl"));
    let state = ssl_state(
        &[
            ("host", "localhost"),
            ("sslmode", "verify-full"),
            ("sslrootcert", &ca),
            ("sslcrl", &clean),
        ],
        &[],
    )
    .await
    .unwrap();
    assert!(is_ssl(&state), "{state}");
    let err = ssl_state(
        &[
            ("host", "localhost"),
            ("sslmode", "verify-full"),
            ("sslrootcert", &ca),
            ("sslcrl", &revoked),
        ],
        &[],
    )
    .await
    .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("\"tlsrv\"")
            && text.contains("certificate verify failed")
            && text.contains("Revoked"),
        "{text}"
    );
    let (root_key, root) = no_root();
    let state = ssl_state(
        &[
            ("sslmode", "require"),
            (root_key, &root),
            ("sslcrl", &revoked),
        ],
        &[],
    )
    .await
    .unwrap();
    assert!(is_ssl(&state), "{state}");
    // verify-ca without the root certificate file: refused before connecting.
    let missing = tls().file("no-such-root.crt");
    let err = ssl_state(&[("sslmode", "verify-ca"), ("sslrootcert", &missing)], &[])
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("root certificate file")
            && err.to_string().contains("does not exist"),
        "{err}"
    );
    // verify-full needs a host name, not only an address.
    let err = ssl_state(
        &[
            ("hostaddr", "127.0.0.1"),
            ("sslmode", "verify-full"),
            ("sslrootcert", &ca),
        ],
        &[],
    )
    .await
    .unwrap_err();
    assert!(
        err.to_string().contains("host name must be specified"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_certificates_and_options() {
    let ca = tls().file("ca.crt");
    let (cert, key) = (tls().file("client.crt"), tls().file("client.key"));
    let full = [
        ("host", "localhost"),
        ("sslmode", "verify-full"),
        ("sslrootcert", ca.as_str()),
    ];
    // Certificate authentication: the certificate's CN is the role.
    let state = ssl_state(
        &full,
        &[
            ("user", "fdw_tls_cert"),
            ("sslcert", &cert),
            ("sslkey", &key),
        ],
    )
    .await
    .unwrap();
    assert!(
        state.starts_with("true ") && state.ends_with(" fdw_tls_cert"),
        "{state}"
    );
    // Without it the server refuses.
    let err = ssl_state(&full, &[("user", "fdw_tls_cert")])
        .await
        .unwrap_err();
    assert!(err.to_string().contains("certificate"), "{err}");
    // A key file others can read is refused, as libpq refuses it.
    let loose = tls().file("loose.key");
    let err = ssl_state(
        &full,
        &[
            ("user", "fdw_tls_cert"),
            ("sslcert", &cert),
            ("sslkey", &loose),
        ],
    )
    .await
    .unwrap_err();
    assert!(
        err.to_string().contains("has group or world access"),
        "{err}"
    );
    // Protocol versions.
    let state = ssl_state(
        &[
            ("ssl_min_protocol_version", "TLSv1.3"),
            ("sslmode", "require"),
        ],
        &[],
    )
    .await
    .unwrap();
    assert!(state.contains(" TLSv1.3 "), "{state}");
    let state = ssl_state(
        &[
            ("ssl_max_protocol_version", "TLSv1.2"),
            ("sslmode", "require"),
        ],
        &[],
    )
    .await
    .unwrap();
    assert!(state.contains(" TLSv1.2 "), "{state}");
    let err = ssl_state(
        &[
            ("ssl_max_protocol_version", "TLSv1.1"),
            ("sslmode", "require"),
        ],
        &[],
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&err, Error::UnsupportedOption { option, .. } if option == "ssl_max_protocol_version"),
        "{err}"
    );
    // sslsni off still connects (the server does not need it).
    let state = ssl_state(
        &[("sslsni", "0")]
            .iter()
            .copied()
            .chain(full)
            .collect::<Vec<_>>(),
        &[],
    )
    .await
    .unwrap();
    assert!(is_ssl(&state), "{state}");

    // channel_binding=require: SCRAM bound to the TLS channel works, and
    // is refused without TLS.
    let scram = [("user", "fdw_scram"), ("password", "x")];
    let state = ssl_state(
        &[("channel_binding", "require")]
            .iter()
            .copied()
            .chain(full)
            .collect::<Vec<_>>(),
        &scram,
    )
    .await
    .unwrap();
    assert!(state.ends_with(" fdw_scram"), "{state}");
    let err = ssl_state(
        &[("channel_binding", "require"), ("sslmode", "disable")],
        &scram,
    )
    .await
    .unwrap_err();
    assert!(!err.to_string().contains(PASSWORD), "{err}");
}

/// A cancel request on a TLS connection reaches the server (it is sent
/// with the connection's TLS settings).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_over_tls() {
    let ca = tls().file("ca.crt");
    let port = tls().cluster.port().to_string();
    let mut catalog = Catalog::new(15).unwrap();
    catalog
        .create_extension("postgres_fdw", None, false)
        .unwrap();
    let server = catalog
        .create_server(&ServerDef::postgres_fdw(
            "tlsrv",
            &[
                ("host", "localhost"),
                ("port", &port),
                ("dbname", "postgres"),
                ("sslmode", "verify-full"),
                ("sslrootcert", &ca),
            ],
        ))
        .unwrap();
    catalog
        .create_user_mapping(&MappingUserSpec::CurrentUser, "tlsrv", &[], false)
        .unwrap();
    let mut exec = Executor::new(
        LocalSession::from_catalog(&catalog),
        Arc::new(fdw_exec::NoSecrets),
    );
    exec.begin(Isolation::ReadCommitted).unwrap();
    let req = request(server, "SELECT pg_sleep(30)::text", &[TEXT]);
    let mut cursor = exec.open_scan(&catalog, &req).await.unwrap();
    let cancel = cursor.cancel_handle();
    let started = std::time::Instant::now();
    let (result, cancelled) = tokio::join!(cursor.next_batch(&catalog), async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        cancel.cancel().await
    });
    cancelled.unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    let err = result.unwrap_err();
    assert!(
        matches!(&err, Error::Remote { sqlstate, .. } if sqlstate == "57014"),
        "{err}"
    );
    drop(cursor);
    assert!(exec.abort().await.is_empty());
    let rows = exec
        .run_query(&catalog, &request(server, "SELECT 1", &[INT4]))
        .await
        .unwrap();
    assert_eq!(rows, vec![vec![Some("1".to_owned())]]);
}

/// Certificate authentication with encrypted client keys, decrypted with
/// `sslpassword` (PKCS#8 and the traditional OpenSSL form); a wrong or
/// missing password is refused naming the key file and `sslpassword`,
/// never showing the password.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn encrypted_client_keys() {
    let ca = tls().file("ca.crt");
    let cert = tls().file("client.crt");
    let full = [
        ("host", "localhost"),
        ("sslmode", "verify-full"),
        ("sslrootcert", ca.as_str()),
    ];
    // The mapping's sslpassword is PASSWORD (see run).
    for key in ["client_pkcs8.key", "client_legacy.key"] {
        let key = tls().file(key);
        let state = ssl_state(
            &full,
            &[
                ("user", "fdw_tls_cert"),
                ("sslcert", &cert),
                ("sslkey", &key),
                ("sslpassword", "x"),
            ],
        )
        .await
        .unwrap();
        assert!(
            state.starts_with("true ") && state.ends_with(" fdw_tls_cert"),
            "{key}: {state}"
        );
    }
    // libpq (psql) takes the same files and passwords.
    for (key, password, accepted) in [
        ("client_pkcs8.key", PASSWORD, true),
        ("client_legacy.key", PASSWORD, true),
        ("client_scrypt_other.key", OTHER_PASSWORD, true),
        ("client_scrypt_other.key", PASSWORD, false),
    ] {
        let key = tls().file(key);
        let (ok, out) = psql(&format!(
            "host=localhost port={} dbname=postgres user=fdw_tls_cert sslmode=verify-full \
             sslrootcert={ca} sslcert={cert} sslkey={key} sslpassword={password}",
            tls().cluster.port()
        ));
        assert_eq!(ok, accepted, "{key}: {out}");
        if accepted {
            assert_eq!(out.trim(), "true fdw_tls_cert", "{key}");
        } else {
            assert!(out.contains("could not load private key file"), "{out}");
        }
    }
    // A key encrypted under another password: refused before connecting.
    let other = tls().file("client_scrypt_other.key");
    let err = ssl_state(
        &full,
        &[
            ("user", "fdw_tls_cert"),
            ("sslcert", &cert),
            ("sslkey", &other),
            ("sslpassword", "x"),
        ],
    )
    .await
    .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(matches!(err, Error::Connect { .. }), "{text}");
    assert!(
        text.contains(&format!("private key file \"{other}\""))
            && text.contains("sslpassword")
            && !text.contains(PASSWORD)
            && !text.contains(OTHER_PASSWORD)
            && !err.to_string().contains('\n'),
        "{text}"
    );
    // No sslpassword at all.
    let legacy = tls().file("client_legacy.key");
    let err = ssl_state(
        &full,
        &[
            ("user", "fdw_tls_cert"),
            ("sslcert", &cert),
            ("sslkey", &legacy),
        ],
    )
    .await
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("the key is encrypted and no sslpassword was given"),
        "{err}"
    );
}

/// Runs `SELECT ssl, current_user` for our backend with psql (real libpq)
/// connected by `conninfo`: (success, output or error).
fn psql(conninfo: &str) -> (bool, String) {
    let out = std::process::Command::new(tls().cluster.install().bin_dir.join("psql"))
        .args(["-X", "-A", "-t", "-F", " ", "-d", conninfo, "-c"])
        .arg("SELECT ssl, current_user FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(if out.status.success() {
        &out.stdout
    } else {
        &out.stderr
    });
    (out.status.success(), text.replace("t fdw", "true fdw"))
}

/// The TLS options' `Debug` never shows sslpassword.
#[test]
fn tls_options_debug_hides_the_password() {
    let options = fdw_exec::tls::TlsOptions {
        password: Some(PASSWORD.to_owned()),
        ..Default::default()
    };
    let text = format!("{options:?}");
    assert!(
        !text.contains(PASSWORD) && text.contains("password: Some(\"********\")"),
        "{text}"
    );
}

async fn live_state(dsn: &str) -> Result<String, fdw_exec::live_catalog::LiveError> {
    let conn = fdw_exec::live_catalog::connect(dsn).await?;
    let rows = conn.client.query(SSL_IN_USE, &[]).await.unwrap();
    Ok(rows[0].get(0))
}

/// `fdw ... --dsn` connections (live_catalog::connect) take the libpq
/// TLS options and connect as the foreign-server connections do.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_catalog_connects_over_tls() {
    let port = tls().cluster.port();
    let ca = tls().file("ca.crt");
    let other = tls().file("other_ca.crt");
    let no_root = tls().file("no-such-root.crt");
    let base = format!("port={port} dbname=postgres user=postgres");
    // require, verify-full and the default (prefer): encrypted.
    for options in [
        format!("host=127.0.0.1 sslmode=require sslrootcert={no_root}"),
        format!("host=localhost sslmode=verify-full sslrootcert='{ca}'"),
        format!("host=127.0.0.1 sslrootcert={no_root}"),
    ] {
        let state = live_state(&format!("{base} {options}")).await.unwrap();
        assert!(
            is_ssl(&state) && state.ends_with(" postgres"),
            "{options}: {state}"
        );
    }
    // The URI form.
    let uri = format!(
        "postgresql://postgres@localhost:{port}/postgres?sslmode=verify-full&sslrootcert={ca}"
    );
    assert!(is_ssl(&live_state(&uri).await.unwrap()));
    // disable: plain, and refused by a hostssl-only rule.
    let state = live_state(&format!("{base} host=127.0.0.1 sslmode=disable"))
        .await
        .unwrap();
    assert!(state.starts_with("false "), "{state}");
    let err = live_state(&format!(
        "port={port} dbname=postgres user=fdw_ssl_only host=127.0.0.1 sslmode=disable"
    ))
    .await
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("connection to server at \"127.0.0.1\", port")
            && err.contains("no encryption"),
        "{err}"
    );
    // A CA that did not sign the server's certificate.
    for mode in ["verify-ca", "verify-full", "require"] {
        let err = live_state(&format!(
            "{base} host=localhost sslmode={mode} sslrootcert={other} password={PASSWORD}"
        ))
        .await
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("certificate verify failed") && !err.contains(PASSWORD),
            "{mode}: {err}"
        );
    }
    // Certificate authentication with an encrypted key, and a wrong
    // sslpassword, which is never shown.
    let (cert, key) = (tls().file("client.crt"), tls().file("client_pkcs8.key"));
    let cert_dsn = format!(
        "port={port} dbname=postgres user=fdw_tls_cert host=localhost sslmode=verify-full \
         sslrootcert={ca} sslcert={cert} sslkey={key}"
    );
    let state = live_state(&format!("{cert_dsn} sslpassword={PASSWORD}"))
        .await
        .unwrap();
    assert!(state.ends_with(" fdw_tls_cert"), "{state}");
    let err = live_state(&format!("{cert_dsn} sslpassword=wrong-{PASSWORD}"))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("\"{key}\""))
            && err.contains("sslpassword")
            && !err.contains(PASSWORD),
        "{err}"
    );
    // Options are checked as for foreign servers.
    let err = live_state(&format!("{base} host=localhost sslmode=sometimes"))
        .await
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "cannot connect: invalid value for connection option \"sslmode\": \"sometimes\""
    );
    // Reading the catalog over TLS.
    let mut conn = fdw_exec::live_catalog::connect(&format!(
        "{base} host=localhost sslmode=verify-full sslrootcert={ca}"
    ))
    .await
    .unwrap();
    let live = fdw_exec::live_catalog::read_live_catalog(&mut conn)
        .await
        .unwrap();
    assert_eq!(live.catalog.major(), 15);
}
