//! The ClientKeyExchange of the GOST suites (RFC 9189 §4.2.4): the client makes a 32-byte
//! premaster secret PS and an ephemeral key on the curve of the server's certificate key,
//! exports PS to the server's key and sends the export with its ephemeral public key.
//! `H = Streebog-256(client_random | server_random)` in both variants.
//!
//! CTR_OMAC (§4.2.4.1): `PSExp = KExp15(PS, KEG(d_eph, Q_s, H))` with the suite's cipher, in
//! `GostKeyTransport ::= SEQUENCE { keyExp OCTET STRING, ephemeralPublicKey
//! SubjectPublicKeyInfo, ukm OCTET STRING OPTIONAL }`.
//!
//! CNT_IMIT (§4.2.4.2): `K_EXP = KEG_28147(d_eph, Q_s, H)` (§8.3.2: VKO GOST R 34.10-2012
//! with the 256-bit hash whatever the key size, UKM = `H[1..8]` read little-endian, then the
//! CryptoPro KEK diversification of RFC 4357 §6.5 by the same UKM) and `PSExp =
//! KExp28147(PS, K_EXP, H[1..8])` (§8.2.2: the GOST 28147-89 key wrap of RFC 4357 §6.1 —
//! ECB encryption and the IMIT of PS with the UKM as IV), the S-box being
//! id-tc26-gost-28147-param-Z. Together these are RFC 4357 §6.3's CryptoPro key wrap
//! ([`crate::kex::wrap_28147`]). The message is
//!
//! ```text
//! TLSGostKeyTransportBlob ::= SEQUENCE {
//!     keyBlob        GostR3410-KeyTransport,
//!     proxyKeyBlobs  SEQUENCE OF TLSProxyKeyTransportBlob OPTIONAL }
//! GostR3410-KeyTransport ::= SEQUENCE {                                  -- RFC 4490 §4.2.1
//!     sessionEncryptedKey  Gost28147-89-EncryptedKey,
//!     transportParameters  [0] IMPLICIT GostR3410-TransportParameters OPTIONAL }
//! Gost28147-89-EncryptedKey ::= SEQUENCE {
//!     encryptedKey  OCTET STRING (SIZE (32)),
//!     maskKey       [0] IMPLICIT OCTET STRING OPTIONAL,
//!     macKey        OCTET STRING (SIZE (4)) }
//! GostR3410-TransportParameters ::= SEQUENCE {
//!     encryptionParamSet  OBJECT IDENTIFIER,
//!     ephemeralPublicKey  [0] IMPLICIT SubjectPublicKeyInfo OPTIONAL,
//!     ukm                 OCTET STRING (SIZE (8)) }
//! ```
//!
//! gostkit sends no maskKey and no proxyKeyBlobs; as a server it ignores proxyKeyBlobs,
//! refuses a maskKey, requires the ephemeral key (a static-key exchange is not supported)
//! and requires the UKM to be `H[1..8]`.

use const_oid::ObjectIdentifier;
use zeroize::Zeroizing;

use super::codec::{der_read, der_tlv};
use super::{CipherSuite, TlsError, random};
use crate::asn1::GostPublicKey;
use crate::cipher::gost28147::SBox;
use crate::ec::{AgreeKey, SigningKey, VerifyingKey};
use crate::hash::Streebog256;

/// Length of the KEG_28147 UKM, `H[1..8]`.
const UKM_28147_LEN: usize = 8;

/// The DER of id-tc26-gost-28147-param-Z (1.2.643.7.1.2.5.1.1), the S-box of CNT_IMIT.
const PARAM_Z: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.643.7.1.2.5.1.1");

const W: &str = "ClientKeyExchange";

/// `H = Streebog-256(client_random | server_random)`.
fn h(client_random: &[u8; 32], server_random: &[u8; 32]) -> [u8; 32] {
    let mut h = Streebog256::new();
    h.update(client_random);
    h.update(server_random);
    let d = h.finalize();
    let mut out = [0u8; 32];
    out.copy_from_slice(&d);
    out
}

/// The client's side: a fresh PS exported to `server_key`, whose certificate carries it as the
/// SubjectPublicKeyInfo `server_spki`; returns (ClientKeyExchange body, PS).
pub(crate) fn client_export(
    suite: CipherSuite,
    server_key: &VerifyingKey,
    server_spki: &[u8],
    client_random: &[u8; 32],
    server_random: &[u8; 32],
) -> Result<(Vec<u8>, Zeroizing<[u8; 32]>), TlsError> {
    let mut pms = Zeroizing::new([0u8; 32]);
    random(&mut pms[..])?;
    let eph = SigningKey::generate(server_key.param_set())?;
    let msg = client_export_with(
        suite,
        server_key,
        server_spki,
        client_random,
        server_random,
        &pms,
        &eph,
    )?;
    Ok((msg, pms))
}

/// The ClientKeyExchange body exporting `pms` with the ephemeral key `eph` (the two random
/// inputs of [`client_export`], given).
pub(crate) fn client_export_with(
    suite: CipherSuite,
    server_key: &VerifyingKey,
    server_spki: &[u8],
    client_random: &[u8; 32],
    server_random: &[u8; 32],
    pms: &[u8; 32],
    eph: &SigningKey,
) -> Result<Vec<u8>, TlsError> {
    if eph.param_set().curve() != server_key.param_set().curve() {
        return Err(TlsError::Handshake("ephemeral key on another curve"));
    }
    let h = h(client_random, server_random);
    let spki = ephemeral_spki(eph, server_spki)?;
    let mut msg = Vec::new();
    match suite.export_cipher() {
        Some(cipher) => {
            let exp = crate::kex::keg_export(cipher, eph, server_key, &h, &pms[..])?;
            let mut inner = Vec::new();
            der_tlv(&mut inner, 0x04, &exp);
            inner.extend_from_slice(&spki);
            der_tlv(&mut msg, 0x30, &inner);
        }
        None => {
            let ukm = &h[..UKM_28147_LEN];
            // ukm (8) || encrypted PS (32) || IMIT (4)
            let wrapped =
                crate::kex::wrap_28147(false, eph, server_key, SBox::Tc26Z, ukm, &pms[..])?;
            let mut sek = Vec::new();
            der_tlv(&mut sek, 0x04, &wrapped[8..40]);
            der_tlv(&mut sek, 0x04, &wrapped[40..44]);
            let (_, spki_fields, _) = der_read(&spki, "ephemeral key")?;
            let mut params = Vec::new();
            der_tlv(&mut params, 0x06, PARAM_Z.as_bytes());
            der_tlv(&mut params, 0xA0, spki_fields);
            der_tlv(&mut params, 0x04, ukm);
            let mut transport = Vec::new();
            der_tlv(&mut transport, 0x30, &sek);
            der_tlv(&mut transport, 0xA0, &params);
            let mut blob = Vec::new();
            der_tlv(&mut blob, 0x30, &transport);
            der_tlv(&mut msg, 0x30, &blob);
        }
    }
    Ok(msg)
}

/// The SubjectPublicKeyInfo of the ephemeral key Q_eph: the AlgorithmIdentifier of the server's
/// certificate key, copied as it is encoded there (Q_eph is a key on the parameters of Q_s,
/// §4.2.4), with the point Q_eph. This is how the examples of RFC 9189 Appendix A encode it —
/// including a digestParamSet for 512-bit keys where the certificate has one, which RFC 9215
/// §4.2 would leave out of a new certificate — and what gost-engine sends (it copies the
/// parameters of the server's key to the ephemeral key).
fn ephemeral_spki(eph: &SigningKey, server_spki: &[u8]) -> Result<Vec<u8>, TlsError> {
    const E: TlsError = TlsError::BadCertificate("server public key");
    let (tag, fields, rest) = der_read(server_spki, "server public key")?;
    if tag != 0x30 || !rest.is_empty() {
        return Err(E);
    }
    let (tag, _, after_alg) = der_read(fields, "server public key")?;
    if tag != 0x30 {
        return Err(E);
    }
    let alg = fields.get(..fields.len() - after_alg.len()).ok_or(E)?;
    let mut octets = Vec::new();
    der_tlv(&mut octets, 0x04, eph.verifying_key().as_bytes());
    let mut bits = vec![0u8]; // no unused bits
    bits.extend_from_slice(&octets);
    let mut body = alg.to_vec();
    der_tlv(&mut body, 0x03, &bits);
    let mut spki = Vec::new();
    der_tlv(&mut spki, 0x30, &body);
    // what the server will read: the same key on the same curve
    let back = ephemeral_key(&spki)?;
    if back.as_bytes() != eph.verifying_key().as_bytes()
        || back.param_set().curve() != eph.param_set().curve()
    {
        return Err(TlsError::Handshake("encoding the ephemeral key"));
    }
    Ok(spki)
}

/// The server's side: PS from the client's ClientKeyExchange body, imported with `key` (the
/// certificate's key). A PS not exported to this key, or altered, is a handshake failure.
pub(crate) fn server_import(
    suite: CipherSuite,
    key: &dyn AgreeKey,
    client_random: &[u8; 32],
    server_random: &[u8; 32],
    body: &[u8],
) -> Result<Zeroizing<Vec<u8>>, TlsError> {
    let h = h(client_random, server_random);
    let pms = match suite.export_cipher() {
        Some(cipher) => {
            let (eph, key_exp) = parse_gost_key_transport(body)?;
            check_curve(key, &eph)?;
            crate::kex::keg_import(cipher, key, &eph, &h, key_exp)
                .map_err(|_| TlsError::Handshake("the PMS export does not verify"))?
        }
        None => {
            let blob = parse_key_transport_blob(body)?;
            if blob.ukm != &h[..UKM_28147_LEN] {
                return Err(TlsError::Handshake("the key transport UKM is not H[1..8]"));
            }
            check_curve(key, &blob.eph)?;
            let mut wrapped = Vec::with_capacity(44);
            wrapped.extend_from_slice(blob.ukm);
            wrapped.extend_from_slice(blob.encrypted);
            wrapped.extend_from_slice(blob.mac);
            let pms = crate::kex::unwrap_28147(false, key, &blob.eph, blob.sbox, &wrapped)
                .map_err(|_| TlsError::Handshake("the PMS export does not verify"))?;
            Zeroizing::new(pms.to_vec())
        }
    };
    if pms.len() != 32 {
        return Err(TlsError::Decode(W));
    }
    Ok(pms)
}

fn check_curve(key: &dyn AgreeKey, eph: &VerifyingKey) -> Result<(), TlsError> {
    if eph.param_set().curve() != key.param_set().curve() {
        return Err(TlsError::Handshake("ephemeral key on another curve"));
    }
    Ok(())
}

fn ephemeral_key(spki: &[u8]) -> Result<VerifyingKey, TlsError> {
    GostPublicKey::from_der(spki)
        .and_then(|k| k.to_verifying_key())
        .map_err(|_| TlsError::Handshake("the client's ephemeral key"))
}

/// `GostKeyTransport`: (ephemeral key, keyExp).
fn parse_gost_key_transport(body: &[u8]) -> Result<(VerifyingKey, &[u8]), TlsError> {
    let (tag, seq, rest) = der_read(body, W)?;
    if tag != 0x30 || !rest.is_empty() {
        return Err(TlsError::Decode(W));
    }
    let (tag, key_exp, rest) = der_read(seq, W)?;
    if tag != 0x04 {
        return Err(TlsError::Decode(W));
    }
    let (tag, _, after) = der_read(rest, W)?;
    if tag != 0x30 {
        return Err(TlsError::Decode(W));
    }
    let spki = rest
        .get(..rest.len() - after.len())
        .ok_or(TlsError::Decode(W))?;
    if !after.is_empty() {
        let (tag, _, tail) = der_read(after, W)?;
        if tag != 0x04 || !tail.is_empty() {
            return Err(TlsError::Decode(W));
        }
    }
    Ok((ephemeral_key(spki)?, key_exp))
}

/// The fields of a `TLSGostKeyTransportBlob` gostkit uses.
struct KeyTransportBlob<'a> {
    encrypted: &'a [u8],
    mac: &'a [u8],
    sbox: SBox,
    eph: VerifyingKey,
    ukm: &'a [u8],
}

fn expect(input: &[u8], tag: u8) -> Result<(&[u8], &[u8]), TlsError> {
    let (t, body, rest) = der_read(input, W)?;
    if t != tag {
        return Err(TlsError::Decode(W));
    }
    Ok((body, rest))
}

fn parse_key_transport_blob(body: &[u8]) -> Result<KeyTransportBlob<'_>, TlsError> {
    let (blob, rest) = expect(body, 0x30)?;
    if !rest.is_empty() {
        return Err(TlsError::Decode(W));
    }
    let (transport, proxies) = expect(blob, 0x30)?;
    if !proxies.is_empty() {
        // proxyKeyBlobs: a SEQUENCE OF, ignored
        let (_, tail) = expect(proxies, 0x30)?;
        if !tail.is_empty() {
            return Err(TlsError::Decode(W));
        }
    }
    let (sek, rest) = expect(transport, 0x30)?;
    let (params, rest) = expect(rest, 0xA0)
        .map_err(|_| TlsError::Handshake("no transport parameters (ephemeral key)"))?;
    if !rest.is_empty() {
        return Err(TlsError::Decode(W));
    }
    let (encrypted, rest) = expect(sek, 0x04)?;
    if rest.first() == Some(&0x80) || rest.first() == Some(&0xA0) {
        return Err(TlsError::Handshake("a maskKey in the key transport"));
    }
    let (mac, rest) = expect(rest, 0x04)?;
    if !rest.is_empty() || encrypted.len() != 32 || mac.len() != 4 {
        return Err(TlsError::Decode(W));
    }
    let (set, rest) = expect(params, 0x06)?;
    let sbox = sbox_of(set).ok_or(TlsError::Handshake(
        "unknown GOST 28147-89 parameter set in the key transport",
    ))?;
    let (t, fields, rest) = der_read(rest, W)?;
    if t != 0xA0 {
        return Err(TlsError::Handshake("no ephemeral key in the key transport"));
    }
    let (ukm, rest) = expect(rest, 0x04)?;
    if !rest.is_empty() || ukm.len() != UKM_28147_LEN {
        return Err(TlsError::Decode(W));
    }
    let mut spki = Vec::with_capacity(fields.len() + 4);
    der_tlv(&mut spki, 0x30, fields);
    Ok(KeyTransportBlob {
        encrypted,
        mac,
        sbox,
        eph: ephemeral_key(&spki)?,
        ukm,
    })
}

/// The S-box of a GOST 28147-89 parameter-set OID (DER contents): Z as RFC 9189 requires,
/// and the CryptoPro A..D sets older peers may name.
fn sbox_of(oid: &[u8]) -> Option<SBox> {
    use crate::oid::*;
    let o = ObjectIdentifier::from_bytes(oid).ok()?;
    Some(match o {
        GOST28147_TC26_Z_PARAMSET => SBox::Tc26Z,
        GOST28147_CRYPTOPRO_A_PARAMSET => SBox::CryptoProA,
        GOST28147_CRYPTOPRO_B_PARAMSET => SBox::CryptoProB,
        GOST28147_CRYPTOPRO_C_PARAMSET => SBox::CryptoProC,
        GOST28147_CRYPTOPRO_D_PARAMSET => SBox::CryptoProD,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ec::ParamSet;

    /// The SubjectPublicKeyInfo a certificate of `key` would carry (RFC 9215 encoding).
    fn spki_of(key: &SigningKey) -> Vec<u8> {
        GostPublicKey::from_verifying_key(key.verifying_key())
            .and_then(|k| k.to_der())
            .unwrap()
    }

    #[test]
    fn both_exports_round_trip_and_refuse_another_key_or_handshake() {
        for set in [
            ParamSet::Tc26_256A,
            ParamSet::CryptoProA,
            ParamSet::Tc26_512C,
        ] {
            let server = SigningKey::generate(set).unwrap();
            let other = SigningKey::generate(set).unwrap();
            let (cr, sr) = ([1u8; 32], [2u8; 32]);
            for suite in CipherSuite::ALL {
                let spki = spki_of(&server);
                let (msg, pms) =
                    client_export(suite, server.verifying_key(), &spki, &cr, &sr).unwrap();
                let got = server_import(suite, &server, &cr, &sr, &msg).unwrap();
                assert_eq!(&got[..], &pms[..], "{suite:?} {set:?}");
                assert!(server_import(suite, &other, &cr, &sr, &msg).is_err());
                // another server_random: another H (for CNT_IMIT the UKM no longer matches)
                assert!(server_import(suite, &server, &cr, &[3u8; 32], &msg).is_err());
                for cut in [0, 1, msg.len() / 2, msg.len() - 1] {
                    assert!(server_import(suite, &server, &cr, &sr, &msg[..cut]).is_err());
                }
            }
        }
    }

    #[test]
    fn the_28147_blob_has_the_rfc_shape() {
        let server = SigningKey::generate(ParamSet::Tc26_256A).unwrap();
        let (cr, sr) = ([5u8; 32], [6u8; 32]);
        let (msg, _) = client_export(
            CipherSuite::Gost28147CntImit,
            server.verifying_key(),
            &spki_of(&server),
            &cr,
            &sr,
        )
        .unwrap();
        let b = parse_key_transport_blob(&msg).unwrap();
        assert_eq!(b.sbox, SBox::Tc26Z);
        assert_eq!(b.ukm, &h(&cr, &sr)[..8]);
        assert_eq!(b.encrypted.len(), 32);
        assert_eq!(b.mac.len(), 4);
        // SEQUENCE { SEQUENCE { SEQUENCE {OCTET STRING, OCTET STRING}, [0] {OID, [0], OCTET STRING} } }
        assert_eq!(msg[0], 0x30);
        let (blob, _) = expect(&msg, 0x30).unwrap();
        let (transport, _) = expect(blob, 0x30).unwrap();
        let (sek, rest) = expect(transport, 0x30).unwrap();
        assert_eq!((sek[0], sek[1], sek[34], sek[35]), (0x04, 32, 0x04, 4));
        let (params, _) = expect(rest, 0xA0).unwrap();
        assert_eq!(&params[..11], &[0x06, 9, 0x2A, 0x85, 3, 7, 1, 2, 5, 1, 1]);
        // a trailing proxyKeyBlobs SEQUENCE is ignored; a maskKey is refused
        let mut with_proxy = blob.to_vec();
        der_tlv(&mut with_proxy, 0x30, &[0x30, 0]);
        let mut m2 = Vec::new();
        der_tlv(&mut m2, 0x30, &with_proxy);
        assert!(parse_key_transport_blob(&m2).is_ok());
        let mut sek2 = sek[..34].to_vec();
        der_tlv(&mut sek2, 0x80, &[0u8; 32]);
        sek2.extend_from_slice(&sek[34..]);
        let mut t2 = Vec::new();
        der_tlv(&mut t2, 0x30, &sek2);
        t2.extend_from_slice(rest);
        let mut b2 = Vec::new();
        der_tlv(&mut b2, 0x30, &t2);
        let mut m3 = Vec::new();
        der_tlv(&mut m3, 0x30, &b2);
        assert!(matches!(
            parse_key_transport_blob(&m3),
            Err(TlsError::Handshake(_))
        ));
    }
}
