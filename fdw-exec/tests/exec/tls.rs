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
        write_private(
            &dir.join("encrypted.key"),
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n",
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
    // An encrypted key cannot be decrypted here: refused naming sslpassword.
    let encrypted = tls().file("encrypted.key");
    let err = ssl_state(
        &full,
        &[
            ("user", "fdw_tls_cert"),
            ("sslcert", &cert),
            ("sslkey", &encrypted),
            ("sslpassword", "x"),
        ],
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&err, Error::UnsupportedOption { option, .. } if option == "sslpassword"),
        "{err}"
    );
    assert!(!format!("{err} {err:?}").contains(PASSWORD), "{err}");

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
