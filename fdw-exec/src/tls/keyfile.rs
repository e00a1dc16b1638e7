//! Encrypted client private keys, decrypted with `sslpassword` as libpq
//! (through OpenSSL's PEM reader) decrypts them: PKCS#8 `ENCRYPTED PRIVATE
//! KEY` (PBES2) and the traditional OpenSSL form, whose headers
//! `Proc-Type: 4,ENCRYPTED` and `DEK-Info: <cipher>,<iv in hex>` say how the
//! body was encrypted.
//!
//! Messages name the key file and `sslpassword`, never the password.

use std::path::Path;

use base64ct::{Base64, Encoding};
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockCipher, BlockDecryptMut, KeyIvInit};
use md5::{Digest, Md5};
use pkcs8::der::{Decode, Encode};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs1KeyDer, PrivatePkcs8KeyDer, PrivateSec1KeyDer};

use super::{SetupResult, TlsSetupError};

/// The first PEM block whose label is a private key's: its label,
/// encapsulated headers (`name: value`) and decoded body.
struct PemBlock {
    label: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn first_key_block(text: &str) -> Option<PemBlock> {
    let mut lines = text.lines().map(str::trim_end);
    let label = lines.find_map(|line| {
        line.strip_prefix("-----BEGIN ")
            .and_then(|rest| rest.strip_suffix("-----"))
            .filter(|label| label.ends_with("PRIVATE KEY"))
    })?;
    let end = format!("-----END {label}-----");
    let mut headers = Vec::new();
    let mut base64 = String::new();
    let mut in_headers = true;
    for line in lines.by_ref() {
        if line == end {
            let body = Base64::decode_vec(&base64).ok()?;
            return Some(PemBlock {
                label: label.to_owned(),
                headers,
                body,
            });
        }
        if in_headers {
            if let Some((name, value)) = line.split_once(':') {
                headers.push((name.trim().to_owned(), value.trim().to_owned()));
                continue;
            }
            // Headers end at the blank line (or with the first body line
            // when there are none).
            in_headers = false;
            if line.trim().is_empty() {
                continue;
            }
        }
        base64.push_str(line.trim());
    }
    None
}

/// Decrypts the encrypted private key `text` read from `path` with
/// `password` (`sslpassword`). Without one (or with an empty one) libpq
/// lets OpenSSL ask for the passphrase on the terminal; an executor has no
/// terminal to ask on, so that is an error naming `sslpassword`.
pub(super) fn decrypt(
    text: &str,
    path: &Path,
    password: Option<&str>,
) -> SetupResult<PrivateKeyDer<'static>> {
    let invalid = |why: &str| {
        TlsSetupError::Invalid(format!(
            "could not load private key file \"{}\": {why}",
            path.display()
        ))
    };
    let password = password.filter(|p| !p.is_empty());
    let wrong_password = || {
        invalid(match password {
            Some(_) => "could not decrypt the key with sslpassword (wrong password?)",
            None => "the key is encrypted and no sslpassword was given",
        })
    };
    let unsupported = |what: String| TlsSetupError::Unsupported {
        option: "sslkey",
        why: format!(
            "the private key \"{}\" is encrypted with {what}, which is not available",
            path.display()
        ),
    };
    let block = first_key_block(text)
        .ok_or_else(|| invalid("no well-formed PEM private key block in it"))?;
    let Some(password) = password.map(str::as_bytes) else {
        return Err(wrong_password());
    };
    if block.label == "ENCRYPTED PRIVATE KEY" {
        let info = pkcs8::EncryptedPrivateKeyInfo::from_der(&block.body)
            .map_err(|_| invalid("malformed encrypted private key"))?;
        return match info.decrypt(password) {
            Ok(document) => Ok(PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
                document.as_bytes().to_vec(),
            ))),
            Err(pkcs8::Error::EncryptedPrivateKey(
                pkcs8::pkcs5::Error::UnsupportedAlgorithm { oid }
                | pkcs8::pkcs5::Error::AlgorithmParametersInvalid { oid },
            )) => Err(unsupported(format!("algorithm {oid}"))),
            Err(pkcs8::Error::EncryptedPrivateKey(pkcs8::pkcs5::Error::NoPbes1CryptSupport)) => {
                Err(unsupported("a PKCS#5 v1.5 (PBES1) scheme".to_owned()))
            }
            // A wrong password shows as bad padding or, when the padding
            // happens to look right, as a body that is no key.
            Err(_) => Err(wrong_password()),
        };
    }
    let header = |name: &str| {
        block
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    if header("Proc-Type") != Some("4,ENCRYPTED") {
        return Err(invalid("unexpected PEM headers"));
    }
    let (cipher, iv_hex) = header("DEK-Info")
        .and_then(|v| v.split_once(','))
        .ok_or_else(|| invalid("encrypted key without a DEK-Info header"))?;
    let iv = hex(iv_hex.trim()).ok_or_else(|| invalid("malformed DEK-Info header"))?;
    let cipher = cipher.trim().to_ascii_uppercase();
    let plain = match cipher.as_str() {
        "AES-128-CBC" => cbc_decrypt::<aes::Aes128>(16, password, &iv, &block.body),
        "AES-192-CBC" => cbc_decrypt::<aes::Aes192>(24, password, &iv, &block.body),
        "AES-256-CBC" => cbc_decrypt::<aes::Aes256>(32, password, &iv, &block.body),
        "DES-EDE3-CBC" => cbc_decrypt::<des::TdesEde3>(24, password, &iv, &block.body),
        other => return Err(unsupported(format!("cipher {other}"))),
    }
    .ok_or_else(wrong_password)?;
    // Bad padding is the usual sign of a wrong password; good padding by
    // chance still leaves a body that is not one whole DER value.
    let whole = pkcs8::der::asn1::AnyRef::from_der(&plain)
        .ok()
        .and_then(|any| any.encoded_len().ok())
        .and_then(|len| usize::try_from(len).ok())
        == Some(plain.len());
    if !whole {
        return Err(wrong_password());
    }
    Ok(match block.label.as_str() {
        "RSA PRIVATE KEY" => PrivateKeyDer::Pkcs1(PrivatePkcs1KeyDer::from(plain)),
        "EC PRIVATE KEY" => PrivateKeyDer::Sec1(PrivateSec1KeyDer::from(plain)),
        "PRIVATE KEY" => PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(plain)),
        other => {
            return Err(unsupported(format!(
                "a key type ({other}) that rustls cannot use"
            )))
        }
    })
}

fn hex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|b| u8::from_str_radix(b, 16).ok())
        })
        .collect()
}

/// OpenSSL's `EVP_BytesToKey` with MD5 and one round, the salt being the
/// first 8 bytes of the IV: how the traditional PEM form turns the password
/// into the cipher key.
fn bytes_to_key(password: &[u8], salt: &[u8], len: usize) -> Vec<u8> {
    let mut key = Vec::with_capacity(len + 16);
    let mut previous: Vec<u8> = Vec::new();
    while key.len() < len {
        let mut md5 = Md5::new();
        md5.update(&previous);
        md5.update(password);
        md5.update(salt);
        previous = md5.finalize().to_vec();
        key.extend_from_slice(&previous);
    }
    key.truncate(len);
    key
}

/// CBC decryption with PKCS#7 padding; `None` when the IV is too short or
/// the padding is wrong.
fn cbc_decrypt<C>(key_len: usize, password: &[u8], iv: &[u8], body: &[u8]) -> Option<Vec<u8>>
where
    C: BlockCipher + BlockDecryptMut,
    cbc::Decryptor<C>: KeyIvInit + BlockDecryptMut,
{
    let salt = iv.get(..8)?;
    let key = bytes_to_key(password, salt, key_len);
    cbc::Decryptor::<C>::new_from_slices(&key, iv)
        .ok()?
        .decrypt_padded_vec_mut::<Pkcs7>(body)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An EC P-256 key and its encrypted forms, made with the `openssl`
    /// command (3.0) with the password `vec-Pass`: `openssl ec -aes256`,
    /// `-des3`, `-aes128`; `openssl pkcs8 -topk8` (PBKDF2-SHA256 with
    /// AES-256-CBC), with `-v2 aes-128-cbc -v2prf hmacWithSHA1`, and with
    /// `-scrypt`.
    const PLAIN: &str = include_str!("testdata/ec.pem");
    const VECTORS: [(&str, &str); 6] = [
        ("ec_aes256", include_str!("testdata/ec_aes256.pem")),
        ("ec_des3", include_str!("testdata/ec_des3.pem")),
        ("ec_aes128", include_str!("testdata/ec_aes128.pem")),
        ("ec_p8", include_str!("testdata/ec_p8.pem")),
        ("ec_p8_sha1", include_str!("testdata/ec_p8_sha1.pem")),
        ("ec_p8_scrypt", include_str!("testdata/ec_p8_scrypt.pem")),
    ];

    fn sec1_of(key: &PrivateKeyDer<'_>) -> Vec<u8> {
        match key {
            PrivateKeyDer::Sec1(k) => k.secret_sec1_der().to_vec(),
            // The PKCS#8 wrapping holds the SEC1 key as its private key.
            PrivateKeyDer::Pkcs8(k) => pkcs8::PrivateKeyInfo::from_der(k.secret_pkcs8_der())
                .map(|info| info.private_key.to_vec())
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn openssl_made_keys_decrypt() {
        let path = Path::new("/keys/k.pem");
        let plain = first_key_block(PLAIN).map(|b| b.body).unwrap_or_default();
        assert!(!plain.is_empty());
        for (name, text) in VECTORS {
            let key = decrypt(text, path, Some("vec-Pass"));
            let Ok(key) = key else {
                panic!("{name}: {key:?}");
            };
            // The SEC1 key inside PKCS#8 may leave out the curve (it is in
            // the algorithm identifier); compare the secret scalar, the
            // second field, which both forms carry.
            let provider = rustls::crypto::ring::default_provider();
            assert!(
                provider
                    .key_provider
                    .load_private_key(key.clone_key())
                    .is_ok(),
                "{name}: rustls cannot use the key"
            );
            let scalar = |der: &[u8]| der.get(7..39).map(<[u8]>::to_vec);
            assert_eq!(scalar(&sec1_of(&key)), scalar(&plain), "{name}");
            assert!(scalar(&plain).is_some());
        }
    }

    #[test]
    fn wrong_or_missing_password_names_file_and_option() {
        let path = Path::new("/keys/k.pem");
        for (name, text) in VECTORS {
            for password in [Some("not-the-Pass"), None] {
                let err = decrypt(text, path, password).map(|_| ());
                let Err(TlsSetupError::Invalid(message)) = err else {
                    panic!("{name}: {err:?}");
                };
                assert!(
                    message.contains("\"/keys/k.pem\"")
                        && message.contains("sslpassword")
                        && !message.contains("not-the-Pass")
                        && !message.contains('\n'),
                    "{name}: {message}"
                );
            }
        }
    }

    #[test]
    fn unknown_ciphers_are_refused_naming_sslkey() {
        let text = VECTORS[0].1.replace("AES-256-CBC", "CAMELLIA-256-CBC");
        let err = decrypt(&text, Path::new("/k"), Some("vec-Pass"));
        assert!(
            matches!(&err, Err(TlsSetupError::Unsupported { option: "sslkey", why }) if why.contains("CAMELLIA-256-CBC")),
            "{err:?}"
        );
    }

    #[test]
    fn key_derivation_is_openssls() {
        // `openssl enc -aes-256-cbc -P -md md5 -S 0102030405060708 -pass pass:abc`
        // prints this key.
        let key = bytes_to_key(b"abc", &[1, 2, 3, 4, 5, 6, 7, 8], 32);
        let hex_key: String = key.iter().map(|b| format!("{b:02X}")).collect();
        assert_eq!(hex_key, OPENSSL_ENC_KEY.trim());
    }

    const OPENSSL_ENC_KEY: &str = include_str!("testdata/enc_key.txt");
}
