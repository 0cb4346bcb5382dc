//! CMS EnvelopedData (RFC 5652 §6) and EncryptedData (§8) with GOST key transport and agreement
//! (R 1323565.1.025-2019 §6, RFC 4490 §4.2):
//!
//! - KeyTransRecipientInfo with GostR3410-KeyTransport {encryptedKey, ephemeral key, ukm} for
//!   the 2012 ciphers: KEG (R 1323565.1.020-2018: VKO with the first 16 ukm bytes read
//!   big-endian, then for 256-bit keys KDF_TREE with the next 8 bytes as seed) and KExp15 with
//!   IV = the ukm bytes from 24 on; and the RFC 4490 form (VKO + CryptoPro key wrap) for
//!   GOST 28147-89 content;
//! - KeyAgreeRecipientInfo (originator key, 32-byte ukm, KExp15) as in the TC26 examples.
//!
//! Decryption tries the caller's (certificate, key) pairs; a wrong key, a failed key unwrap or
//! a content MAC mismatch give an error and no plaintext.

use std::io::{Read, Write};

use const_oid::ObjectIdentifier;
use der::Encode;
use zeroize::Zeroizing;

use super::content::{ContentCipher, ContentCrypt, kexp15_oid, sbox_of};
use super::error::{CmsError, Result};
use super::signed::{decode_input, unwrap_content_info};
use super::tlv::{self, Tlv};
use crate::asn1::GostPublicKey;
use crate::asn1::KeyAlgorithm;
use crate::cipher::gost28147::SBox;
use crate::ec::{AgreeKey, SigningKey, VerifyingKey};
use crate::kex::{self, ExportCipher, KexError};
use crate::oid;
use crate::x509::Certificate;

fn random(n: usize) -> Result<Zeroizing<Vec<u8>>> {
    let mut v = Zeroizing::new(vec![0u8; n]);
    getrandom::fill(&mut v[..]).map_err(|_| CmsError::Unsupported("OS random source failed"))?;
    Ok(v)
}

/// The KExp15 cipher named by a key-wrap OID.
fn export_cipher(wrap_oid: &ObjectIdentifier) -> Result<ExportCipher> {
    match *wrap_oid {
        oid::KUZNYECHIK_KEXP15 => Ok(ExportCipher::Kuznyechik),
        oid::MAGMA_KEXP15 => Ok(ExportCipher::Magma),
        other => Err(CmsError::UnsupportedAlgorithm(other)),
    }
}

fn kex_error(e: KexError) -> CmsError {
    match e {
        KexError::Agreement(e) => e.into(),
        KexError::Wrap(e) => e.into(),
    }
}

/// KEG + KImp15; a failed unwrap means the key was not ours.
fn import_key(
    wrap_oid: &ObjectIdentifier,
    ours: &dyn AgreeKey,
    peer: &VerifyingKey,
    ukm: &[u8],
    wrapped: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    if ukm.len() != kex::KEG_UKM_LEN {
        return Err(CmsError::Invalid("key agreement ukm must be 32 bytes"));
    }
    match kex::keg_import(export_cipher(wrap_oid)?, ours, peer, ukm, wrapped) {
        Ok(cek) => Ok(cek),
        Err(KexError::Wrap(_)) => Err(CmsError::NotARecipient),
        Err(KexError::Agreement(e)) => Err(e.into()),
    }
}

fn alg_parts<'a>(t: &Tlv<'a>) -> Result<(ObjectIdentifier, Option<Tlv<'a>>)> {
    if t.tag != 0x30 {
        return Err(CmsError::Invalid("AlgorithmIdentifier"));
    }
    let k = tlv::children(t.content)?;
    let o = tlv::read_oid(k.first().ok_or(CmsError::Invalid("AlgorithmIdentifier"))?)?;
    Ok((o, k.get(1).copied()))
}

fn issuer_serial_matches(t: &Tlv<'_>, cert: &Certificate) -> bool {
    let Ok(k) = tlv::children(t.content) else {
        return false;
    };
    match k.as_slice() {
        [issuer, serial] if t.tag == 0x30 && serial.tag == 0x02 => {
            <x509_cert::name::Name as der::Decode>::from_der(issuer.raw)
                .is_ok_and(|n| crate::x509::name::names_match(&n, cert.issuer()))
                && serial.content == cert.serial()
        }
        _ => false,
    }
}

fn issuer_and_serial(cert: &Certificate) -> Result<Vec<u8>> {
    Ok(tlv::seq(&[
        &cert.issuer().to_der()?,
        &tlv::tlv(0x02, &[cert.serial()]),
    ]))
}

/// How a RecipientInfo names its recipient's certificate: the same two forms as a signer's
/// (RFC 5652 §6.2.1 RecipientIdentifier, §6.2.2 KeyAgreeRecipientIdentifier).
pub use super::signed::SignerId as RecipientId;

/// The RecipientIdentifier `rid`: issuerAndSerialNumber (SEQUENCE), subjectKeyIdentifier
/// ([0] IMPLICIT) or rKeyId ([0] IMPLICIT SEQUENCE { subjectKeyIdentifier, … }).
fn recipient_id(rid: &Tlv<'_>) -> Option<RecipientId> {
    match rid.tag {
        0x30 => {
            let k = tlv::children(rid.content).ok()?;
            let [issuer, serial] = k.as_slice() else {
                return None;
            };
            if serial.tag != 0x02 {
                return None;
            }
            let name = <x509_cert::name::Name as der::Decode>::from_der(issuer.raw).ok()?;
            Some(RecipientId::IssuerSerial(name, serial.content.to_vec()))
        }
        0x80 => Some(RecipientId::Ski(rid.content.to_vec())),
        0xa0 => {
            let k = tlv::children(rid.content).ok()?;
            let ski = k.first().filter(|t| t.tag == 0x04)?;
            Some(RecipientId::Ski(ski.content.to_vec()))
        }
        _ => None,
    }
}

/// A recipient's identity and private key.
#[derive(Clone, Copy)]
pub struct Recipient<'a> {
    /// The recipient's certificate.
    pub cert: &'a Certificate,
    /// Its private key: anything that runs VKO (a file key, a container or token key).
    pub key: &'a dyn AgreeKey,
}

/// How to read an EnvelopedData for decryption.
#[derive(Debug, Clone)]
pub struct DecryptOptions {
    /// Most RecipientInfos accepted; a message with more gives
    /// [`CmsError::TooManyRecipients`] (default 64).
    pub max_recipients: usize,
}

impl Default for DecryptOptions {
    fn default() -> Self {
        Self { max_recipients: 64 }
    }
}

fn check_recipient_count(n: usize, opts: &DecryptOptions) -> Result<()> {
    if n > opts.max_recipients {
        return Err(CmsError::TooManyRecipients {
            count: n,
            cap: opts.max_recipients,
        });
    }
    Ok(())
}

/// A parsed EnvelopedData.
#[derive(Debug, Clone)]
pub struct EnvelopedMessage {
    recipient_infos: Vec<Vec<u8>>,
    cipher: ContentCipher,
    params: Vec<u8>,
    sbox: SBox,
    ciphertext: Vec<u8>,
    mac: Option<Vec<u8>>,
    originator_certs: Vec<Certificate>,
}

/// Parses the contentEncryptionAlgorithm: (cipher, ukm/iv, sbox).
fn parse_content_alg(t: &Tlv<'_>) -> Result<(ContentCipher, Vec<u8>, SBox)> {
    let (alg, params) = alg_parts(t)?;
    let cipher = ContentCipher::from_oid(&alg)?;
    let params = params.ok_or(CmsError::Invalid("content-encryption parameters missing"))?;
    let pk = tlv::children(params.content)?;
    let ukm = pk
        .first()
        .filter(|u| u.tag == 0x04)
        .ok_or(CmsError::Invalid("content ukm"))?;
    let sbox = if cipher == ContentCipher::Gost28147Cfb {
        sbox_of(&tlv::read_oid(
            pk.get(1)
                .ok_or(CmsError::Invalid("GOST 28147-89 parameter set"))?,
        )?)?
    } else {
        SBox::Tc26Z
    };
    if ukm.content.len() != cipher.ukm_len() {
        return Err(CmsError::Invalid("content ukm length"));
    }
    Ok((cipher, ukm.content.to_vec(), sbox))
}

/// Parses EncryptedContentInfo: (cipher, ukm/iv, sbox, ciphertext).
fn parse_eci(t: &Tlv<'_>) -> Result<(ContentCipher, Vec<u8>, SBox, Vec<u8>)> {
    let k = tlv::children(t.content)?;
    if k.len() < 2 {
        return Err(CmsError::Invalid("EncryptedContentInfo"));
    }
    let alg = k.get(1).ok_or(CmsError::Invalid("EncryptedContentInfo"))?;
    let (cipher, ukm, sbox) = parse_content_alg(alg)?;
    let ct = match k.get(2) {
        Some(c) if c.tag == 0x80 => c.content.to_vec(),
        Some(c) if c.tag == 0xa0 => {
            // Constructed [0] IMPLICIT OCTET STRING (BER streaming form): concatenate segments.
            let mut v = Vec::new();
            for seg in tlv::children(c.content)? {
                if seg.tag != 0x04 {
                    return Err(CmsError::Invalid("encryptedContent segment"));
                }
                v.extend_from_slice(seg.content);
            }
            v
        }
        None => return Err(CmsError::Unsupported("detached encrypted content")),
        Some(_) => return Err(CmsError::Invalid("encryptedContent")),
    };
    Ok((cipher, ukm, sbox, ct))
}

fn parse_mac_attr(t: Option<&Tlv<'_>>) -> Result<Option<Vec<u8>>> {
    let Some(t) = t else { return Ok(None) };
    for a in tlv::children(t.content)? {
        let parts = tlv::children(a.content)?;
        if let [ty, vals] = parts.as_slice()
            && tlv::read_oid(ty)? == oid::ATTR_CONTENT_MAC
        {
            let v = tlv::children(vals.content)?;
            let mac = v
                .first()
                .filter(|m| m.tag == 0x04)
                .ok_or(CmsError::Invalid("MAC attribute"))?;
            return Ok(Some(mac.content.to_vec()));
        }
    }
    Ok(None)
}

fn decrypt_content(
    cipher: ContentCipher,
    cek: &[u8],
    params: &[u8],
    sbox: SBox,
    ct: &[u8],
    mac: Option<&[u8]>,
) -> Result<Vec<u8>> {
    let mut plain = Zeroizing::new(ct.to_vec());
    let mut c = ContentCrypt::new(cipher, cek, params, sbox, false)?;
    c.update(&mut plain[..])?;
    c.verify(mac)?;
    Ok(core::mem::take(&mut *plain))
}

impl EnvelopedMessage {
    /// Parses an EnvelopedData ContentInfo (DER, BER or PEM), with the default
    /// [`DecryptOptions`].
    pub fn parse(input: &[u8]) -> Result<Self> {
        Self::parse_with(input, &DecryptOptions::default())
    }

    /// Like [`Self::parse`], with the limits of `opts`.
    pub fn parse_with(input: &[u8], opts: &DecryptOptions) -> Result<Self> {
        let der = decode_input(input)?;
        let body = unwrap_content_info(&der, &oid::CMS_ENVELOPED_DATA)?;
        let (ed, rest) = tlv::expect(body, 0x30, "EnvelopedData is not a SEQUENCE")?;
        if !rest.is_empty() {
            return Err(CmsError::Invalid("trailing bytes after EnvelopedData"));
        }
        let k = tlv::children(ed.content)?;
        let mut i = 1;
        let mut originator_certs = Vec::new();
        if let Some(oi) = k.get(i).filter(|t| t.tag == 0xa0) {
            // originatorInfo [0] { certs [0] IMPLICIT CertificateSet OPTIONAL, crls [1] OPTIONAL }
            for part in tlv::children(oi.content)? {
                if part.tag == 0xa0 {
                    for c in tlv::children(part.content)? {
                        if let Ok(cert) = Certificate::from_der(c.raw) {
                            originator_certs.push(cert);
                        }
                    }
                }
            }
            i += 1;
        }
        let ris = k
            .get(i)
            .filter(|t| t.tag == 0x31)
            .ok_or(CmsError::Invalid("recipientInfos"))?;
        let ris = tlv::children(ris.content)?;
        check_recipient_count(ris.len(), opts)?;
        let recipient_infos = ris.iter().map(|r| r.raw.to_vec()).collect();
        let eci = k
            .get(i + 1)
            .ok_or(CmsError::Invalid("encryptedContentInfo"))?;
        let (cipher, params, sbox, ciphertext) = parse_eci(eci)?;
        let mac = parse_mac_attr(k.get(i + 2).filter(|t| t.tag == 0xa1))?;
        Ok(Self {
            recipient_infos,
            cipher,
            params,
            sbox,
            ciphertext,
            mac,
            originator_certs,
        })
    }

    /// The content-encryption algorithm.
    pub fn cipher(&self) -> ContentCipher {
        self.cipher
    }

    /// Number of recipients.
    pub fn recipient_count(&self) -> usize {
        self.recipient_infos.len()
    }

    /// Who the message is addressed to, in RecipientInfo order (RFC 5652 §6.2): the rid of each
    /// KeyTransRecipientInfo and of each RecipientEncryptedKey of a KeyAgreeRecipientInfo
    /// (issuerAndSerialNumber or subjectKeyIdentifier; rKeyId gives its key identifier).
    /// Other RecipientInfo kinds (KEK, password) name no certificate and are left out.
    pub fn recipients(&self) -> Vec<RecipientId> {
        let mut ids = Vec::new();
        for ri in &self.recipient_infos {
            let Ok((t, _)) = tlv::read(ri) else { continue };
            let Ok(k) = tlv::children(t.content) else {
                continue;
            };
            match (t.tag, k.as_slice()) {
                (0x30, [_v, rid, ..]) => ids.extend(recipient_id(rid)),
                (0xa1, [_v, _orig, _ukm, _kea, reks]) => {
                    for rek in tlv::children(reks.content).unwrap_or_default() {
                        if let Some(rid) = tlv::children(rek.content)
                            .ok()
                            .and_then(|p| p.first().copied())
                        {
                            ids.extend(recipient_id(&rid));
                        }
                    }
                }
                _ => {}
            }
        }
        ids
    }

    /// True when one of the message's RecipientInfos names `cert` (see [`Self::recipients`]).
    pub fn is_addressed_to(&self, cert: &Certificate) -> bool {
        self.recipients().iter().any(|id| id.matches(cert))
    }

    /// Decrypts with the first of `recipients` the message is addressed to.
    pub fn decrypt(&self, recipients: &[Recipient<'_>]) -> Result<Vec<u8>> {
        self.decrypt_with(recipients, &[])
    }

    /// Like [`Self::decrypt`]; `certs` are where a key-agreement originator named by issuer and
    /// serial or key identifier is looked up (besides the message's originatorInfo).
    pub fn decrypt_with(
        &self,
        recipients: &[Recipient<'_>],
        certs: &[Certificate],
    ) -> Result<Vec<u8>> {
        if self.cipher.has_mac() && self.mac.is_none() {
            return Err(CmsError::MacMismatch);
        }
        let cek = self.find_cek(recipients, certs)?;
        decrypt_content(
            self.cipher,
            &cek,
            &self.params,
            self.sbox,
            &self.ciphertext,
            self.mac.as_deref(),
        )
    }

    /// The content-encryption key, unwrapped with the first recipient the message names.
    fn find_cek(
        &self,
        recipients: &[Recipient<'_>],
        certs: &[Certificate],
    ) -> Result<Zeroizing<Vec<u8>>> {
        // The failures in order; the last one is reported. (Collected rather than kept in one
        // `last` variable overwritten in the loop: that form made the release build branch on
        // an uninitialised niche byte of the error while dropping the old value — valgrind saw
        // it in the C library, the issue-9 report.)
        let mut failures: Vec<CmsError> = Vec::new();
        for r in recipients {
            if !r.cert.matches_public_key(r.key.public_key()) {
                failures.push(CmsError::KeyMismatch);
                continue;
            }
            for ri in &self.recipient_infos {
                let (t, _) = tlv::read(ri)?;
                match self.unwrap_cek(&t, r, certs) {
                    Ok(Some(cek)) => return Ok(cek),
                    Ok(None) => {}
                    Err(e) => failures.push(e),
                }
            }
        }
        Err(failures.pop().unwrap_or(CmsError::NotARecipient))
    }

    /// The CEK from one RecipientInfo if it is addressed to `r` (Ok(None) when it is not).
    fn unwrap_cek(
        &self,
        t: &Tlv<'_>,
        r: &Recipient<'_>,
        certs: &[Certificate],
    ) -> Result<Option<Zeroizing<Vec<u8>>>> {
        match t.tag {
            0x30 => self.key_trans(t, r),
            0xa1 => self.key_agree(t, r, certs),
            _ => Ok(None),
        }
    }

    fn key_trans(&self, t: &Tlv<'_>, r: &Recipient<'_>) -> Result<Option<Zeroizing<Vec<u8>>>> {
        let k = tlv::children(t.content)?;
        let [_v, rid, kea, ek] = k.as_slice() else {
            return Err(CmsError::Invalid("KeyTransRecipientInfo"));
        };
        let matches = if rid.tag == 0x80 {
            r.cert.subject_key_id()?.as_deref() == Some(rid.content)
        } else {
            issuer_serial_matches(rid, r.cert)
        };
        if !matches {
            return Ok(None);
        }
        let (alg, _) = alg_parts(kea)?;
        let (transport, _) = tlv::expect(ek.content, 0x30, "GostR3410-KeyTransport")?;
        let parts = tlv::children(transport.content)?;
        if alg == oid::KUZNYECHIK_KEXP15 || alg == oid::MAGMA_KEXP15 {
            // {encryptedKey, ephemeralPublicKey, ukm}
            let [enc, eph, ukm] = parts.as_slice() else {
                return Err(CmsError::Invalid("GostR3410-KeyTransport (KExp15)"));
            };
            let spki = if eph.tag == 0xa0 {
                tlv::read(eph.content)?.0.raw
            } else {
                eph.raw
            };
            let peer = GostPublicKey::from_der(spki)?.to_verifying_key()?;
            Ok(Some(import_key(
                &alg,
                r.key,
                &peer,
                ukm.content,
                enc.content,
            )?))
        } else {
            // RFC 4490 §4.2: {sessionEncryptedKey {encryptedKey, maskKey?, macKey},
            //                 [0] transportParameters {encryptionParamSet, [0] ephemeralPublicKey, ukm}}
            let [sek, tp] = parts.as_slice() else {
                return Err(CmsError::Invalid("GostR3410-KeyTransport (RFC 4490)"));
            };
            let s = tlv::children(sek.content)?;
            let (enc, mac) = match s.as_slice() {
                [e, m] | [e, _, m] => (e, m),
                _ => return Err(CmsError::Invalid("Gost28147-89-EncryptedKey")),
            };
            let p = tlv::children(tp.content)?;
            let [set, eph, ukm] = p.as_slice() else {
                return Err(CmsError::Invalid("GostR3410-TransportParameters"));
            };
            let sbox = sbox_of(&tlv::read_oid(set)?)?;
            let spki = tlv::retag(eph.raw.to_vec(), 0x30);
            let peer = GostPublicKey::from_der(&spki)?.to_verifying_key()?;
            let mut wrapped = Vec::with_capacity(44);
            wrapped.extend_from_slice(ukm.content);
            wrapped.extend_from_slice(enc.content);
            wrapped.extend_from_slice(mac.content);
            let legacy = r.cert.public_key().algorithm == KeyAlgorithm::Gost2001;
            let cek = match kex::unwrap_28147(legacy, r.key, &peer, sbox, &wrapped) {
                Ok(cek) => cek,
                Err(KexError::Wrap(_)) => return Err(CmsError::NotARecipient),
                Err(KexError::Agreement(e)) => return Err(e.into()),
            };
            Ok(Some(Zeroizing::new(cek.to_vec())))
        }
    }

    fn key_agree(
        &self,
        t: &Tlv<'_>,
        r: &Recipient<'_>,
        certs: &[Certificate],
    ) -> Result<Option<Zeroizing<Vec<u8>>>> {
        let k = tlv::children(t.content)?;
        // version, [0] originator, [1] ukm, keyEncryptionAlgorithm, recipientEncryptedKeys
        let [_v, orig, ukm, kea, reks] = k.as_slice() else {
            return Err(CmsError::Invalid("KeyAgreeRecipientInfo"));
        };
        let (ok, _) = tlv::read(orig.content)?;
        let peer = match ok.tag {
            0xa1 => {
                let okp = tlv::children(ok.content)?;
                let [alg, bits] = okp.as_slice() else {
                    return Err(CmsError::Invalid("OriginatorPublicKey"));
                };
                GostPublicKey::from_der(&tlv::seq(&[alg.raw, bits.raw]))?.to_verifying_key()?
            }
            0x30 | 0x80 => {
                let found = self.originator_certs.iter().chain(certs).find(|c| {
                    if ok.tag == 0x30 {
                        issuer_serial_matches(&ok, c)
                    } else {
                        c.subject_key_id().ok().flatten().as_deref() == Some(ok.content)
                    }
                });
                found
                    .ok_or(CmsError::Invalid("originator certificate not found"))?
                    .verifying_key()?
            }
            _ => return Err(CmsError::Invalid("OriginatorIdentifierOrKey")),
        };
        let (ukm, _) = tlv::expect(ukm.content, 0x04, "ukm")?;
        let (wrap, _) = alg_parts(kea)?;
        for rek in tlv::children(reks.content)? {
            let p = tlv::children(rek.content)?;
            let [rid, ek] = p.as_slice() else {
                return Err(CmsError::Invalid("RecipientEncryptedKey"));
            };
            if issuer_serial_matches(rid, r.cert) {
                return Ok(Some(import_key(
                    &wrap,
                    r.key,
                    &peer,
                    ukm.content,
                    ek.content,
                )?));
            }
        }
        Ok(None)
    }
}

/// Encrypts `content` to every recipient certificate with `cipher`; returns the DER ContentInfo.
pub fn encrypt(
    content: &[u8],
    recipients: &[&Certificate],
    cipher: ContentCipher,
) -> Result<Vec<u8>> {
    let Header {
        ris,
        alg,
        mut crypt,
    } = start(recipients, cipher)?;
    let mut ct = content.to_vec();
    crypt.update(&mut ct)?;
    let mac = crypt.finish()?;
    Ok(finish_message(&ris, &alg, &ct, mac.as_deref()))
}

/// The recipient infos, the content-encryption AlgorithmIdentifier and the started cipher.
struct Header {
    ris: Vec<Vec<u8>>,
    alg: Vec<u8>,
    crypt: ContentCrypt,
}

fn start(recipients: &[&Certificate], cipher: ContentCipher) -> Result<Header> {
    if recipients.is_empty() {
        return Err(CmsError::Invalid("no recipient"));
    }
    let cek = random(32)?;
    let ukm = random(cipher.ukm_len())?;
    let mut ris = Vec::new();
    for cert in recipients {
        ris.push(recipient_info(cert, cipher, &cek)?);
    }
    let params = if cipher == ContentCipher::Gost28147Cfb {
        tlv::seq(&[
            &tlv::octets(&ukm),
            &tlv::oid(&oid::GOST28147_CRYPTOPRO_A_PARAMSET),
        ])
    } else {
        tlv::seq(&[&tlv::octets(&ukm)])
    };
    let alg = tlv::seq(&[&tlv::oid(&cipher.oid()), &params]);
    let crypt = ContentCrypt::new(cipher, &cek, &ukm, SBox::CryptoProA, true)?;
    Ok(Header { ris, alg, crypt })
}

fn recipient_info(cert: &Certificate, cipher: ContentCipher, cek: &[u8]) -> Result<Vec<u8>> {
    let recipient = cert.verifying_key()?;
    let set = recipient.param_set();
    let eph = SigningKey::generate(set)?;
    let eph_spki = GostPublicKey::from_verifying_key(eph.verifying_key())?.to_der()?;
    let rid = issuer_and_serial(cert)?;
    if cipher == ContentCipher::Gost28147Cfb {
        // RFC 4490 key transport; for 512-bit keys the KEK is VKO GOST R 34.10-2012 with the
        // 256-bit hash, as gost-engine derives it (and as `key_trans` decrypts it).
        let ukm = random(8)?;
        let legacy = cert.public_key().algorithm == KeyAlgorithm::Gost2001;
        let wrapped = kex::wrap_28147(legacy, &eph, &recipient, SBox::CryptoProA, &ukm, cek)
            .map_err(kex_error)?;
        let sek = tlv::seq(&[
            &tlv::octets(&wrapped[8..40]),
            &tlv::octets(&wrapped[40..44]),
        ]);
        let eph_implicit = tlv::retag(eph_spki.clone(), 0xa0);
        let tp = tlv::tlv(
            0xa0,
            &[
                &tlv::oid(&oid::GOST28147_CRYPTOPRO_A_PARAMSET),
                &eph_implicit,
                &tlv::octets(&ukm),
            ],
        );
        let transport = tlv::seq(&[&sek, &tp]);
        let key_alg = cert.public_key().algorithm.oid();
        let kea = tlv::seq(&[
            &tlv::oid(&key_alg),
            &tlv::seq(&[&tlv::oid(&cert.public_key().param_set)]),
        ]);
        return Ok(tlv::seq(&[
            &tlv::int(0),
            &rid,
            &kea,
            &tlv::octets(&transport),
        ]));
    }
    let ukm = random(32)?;
    let wrap = kexp15_oid(cipher);
    let enc =
        kex::keg_export(export_cipher(&wrap)?, &eph, &recipient, &ukm, cek).map_err(kex_error)?;
    let transport = tlv::seq(&[&tlv::octets(&enc), &eph_spki, &tlv::octets(&ukm)]);
    let agreement = if set.bits() == 512 {
        oid::AGREEMENT_2012_512
    } else {
        oid::AGREEMENT_2012_256
    };
    let kea = tlv::seq(&[&tlv::oid(&wrap), &tlv::seq(&[&tlv::oid(&agreement)])]);
    Ok(tlv::seq(&[
        &tlv::int(0),
        &rid,
        &kea,
        &tlv::octets(&transport),
    ]))
}

fn finish_message(ris: &[Vec<u8>], alg: &[u8], ct: &[u8], mac: Option<&[u8]>) -> Vec<u8> {
    let eci = tlv::seq(&[&tlv::oid(&oid::CMS_DATA), alg, &tlv::tlv(0x80, &[ct])]);
    let attrs = encode_tail(mac);
    let version = if mac.is_some() { 2 } else { 0 };
    let ris = tlv::set_of(ris.to_vec());
    let ed = tlv::seq(&[&tlv::int(version), &ris, &eci, &attrs]);
    tlv::seq(&[&tlv::oid(&oid::CMS_ENVELOPED_DATA), &tlv::tlv(0xa0, &[&ed])])
}

/// Streaming encryption: reads `len` bytes of content from `reader` and writes the DER
/// EnvelopedData to `writer` in 64 KiB chunks (definite lengths, so the size is needed first).
/// For the -omac ciphers the MAC goes after the content, as the format places it.
pub fn encrypt_stream(
    reader: &mut dyn Read,
    len: u64,
    writer: &mut dyn Write,
    recipients: &[&Certificate],
    cipher: ContentCipher,
) -> Result<()> {
    let Header {
        ris,
        alg,
        mut crypt,
    } = start(recipients, cipher)?;
    let len = usize::try_from(len).map_err(|_| CmsError::Unsupported("content too large"))?;
    // Encode the message around a placeholder of the right length, then stream the middle.
    let fake_mac = mac_len(cipher).map(|n| vec![0u8; n]);
    let head = encode_head(&ris, &alg, len, fake_mac.as_deref());
    let io = |_| CmsError::Invalid("I/O error while streaming");
    writer.write_all(&head).map_err(io)?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut left = len;
    while left > 0 {
        let n = left.min(buf.len());
        let piece = buf.get_mut(..n).unwrap_or_default();
        read_full(reader, piece, len - left, len)?;
        crypt.update(piece)?;
        writer.write_all(piece).map_err(io)?;
        left -= n;
    }
    let mac = crypt.finish()?;
    let tail = encode_tail(mac.as_deref());
    writer.write_all(&tail).map_err(io)?;
    Ok(())
}

/// Fills `buf` from `reader`; an early end is [`CmsError::ContentLength`] (`done` bytes were
/// read before this piece, `total` announced), a read error an I/O failure.
fn read_full(reader: &mut dyn Read, buf: &mut [u8], done: usize, total: usize) -> Result<()> {
    let mut off = 0;
    while off < buf.len() {
        match reader.read(buf.get_mut(off..).unwrap_or_default()) {
            Ok(0) => {
                return Err(CmsError::ContentLength {
                    expected: total as u64,
                    got: (done + off) as u64,
                });
            }
            Ok(n) => off += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return Err(CmsError::Invalid("I/O error while streaming")),
        }
    }
    Ok(())
}

/// The bytes before the ciphertext of a message with `len` bytes of content.
fn encode_head(ris: &[Vec<u8>], alg: &[u8], len: usize, mac: Option<&[u8]>) -> Vec<u8> {
    let tail = encode_tail(mac);
    let eci_head = {
        let mut v = tlv::oid(&oid::CMS_DATA);
        v.extend_from_slice(alg);
        v
    };
    let mut ct_head = vec![0x80];
    tlv::push_len(&mut ct_head, len);
    let eci_len = eci_head.len() + ct_head.len() + len;
    let mut eci_hdr = vec![0x30];
    tlv::push_len(&mut eci_hdr, eci_len);
    let version = tlv::int(if mac.is_some() { 2 } else { 0 });
    let ris = tlv::set_of(ris.to_vec());
    let ed_len = version.len() + ris.len() + eci_hdr.len() + eci_len + tail.len();
    let mut ed_hdr = vec![0x30];
    tlv::push_len(&mut ed_hdr, ed_len);
    let mut a0 = vec![0xa0];
    tlv::push_len(&mut a0, ed_hdr.len() + ed_len);
    let ct_oid = tlv::oid(&oid::CMS_ENVELOPED_DATA);
    let ci_len = ct_oid.len() + a0.len() + ed_hdr.len() + ed_len;
    let mut out = vec![0x30];
    tlv::push_len(&mut out, ci_len);
    for part in [
        &ct_oid, &a0, &ed_hdr, &version, &ris, &eci_hdr, &eci_head, &ct_head,
    ] {
        out.extend_from_slice(part);
    }
    out
}

fn encode_tail(mac: Option<&[u8]>) -> Vec<u8> {
    match mac {
        Some(m) => {
            let a = tlv::seq(&[
                &tlv::oid(&oid::ATTR_CONTENT_MAC),
                &tlv::tlv(0x31, &[&tlv::octets(m)]),
            ]);
            tlv::tlv(0xa1, &[&a])
        }
        None => Vec::new(),
    }
}

/// EncryptedData (RFC 5652 §8) with a caller key: decrypt.
pub fn decrypt_encrypted_data(input: &[u8], cek: &[u8]) -> Result<Vec<u8>> {
    let der = decode_input(input)?;
    let body = unwrap_content_info(&der, &oid::CMS_ENCRYPTED_DATA)?;
    let (ed, _) = tlv::expect(body, 0x30, "EncryptedData is not a SEQUENCE")?;
    let k = tlv::children(ed.content)?;
    let eci = k.get(1).ok_or(CmsError::Invalid("encryptedContentInfo"))?;
    let (cipher, params, sbox, ct) = parse_eci(eci)?;
    let mac = parse_mac_attr(k.get(2).filter(|t| t.tag == 0xa1))?;
    decrypt_content(cipher, cek, &params, sbox, &ct, mac.as_deref())
}

/// EncryptedData (RFC 5652 §8) with a caller key: encrypt.
pub fn encrypt_encrypted_data(
    content: &[u8],
    cek: &[u8],
    cipher: ContentCipher,
) -> Result<Vec<u8>> {
    let ukm = random(cipher.ukm_len())?;
    let params = if cipher == ContentCipher::Gost28147Cfb {
        tlv::seq(&[
            &tlv::octets(&ukm),
            &tlv::oid(&oid::GOST28147_CRYPTOPRO_A_PARAMSET),
        ])
    } else {
        tlv::seq(&[&tlv::octets(&ukm)])
    };
    let mut ct = content.to_vec();
    let mut c = ContentCrypt::new(cipher, cek, &ukm, SBox::CryptoProA, true)?;
    c.update(&mut ct)?;
    let mac = c.finish()?;
    let eci = tlv::seq(&[
        &tlv::oid(&oid::CMS_DATA),
        &tlv::seq(&[&tlv::oid(&cipher.oid()), &params]),
        &tlv::tlv(0x80, &[&ct]),
    ]);
    let tail = encode_tail(mac.as_deref());
    let version = if mac.is_some() { 2 } else { 0 };
    let ed = tlv::seq(&[&tlv::int(version), &eci, &tail]);
    Ok(tlv::seq(&[
        &tlv::oid(&oid::CMS_ENCRYPTED_DATA),
        &tlv::tlv(0xa0, &[&ed]),
    ]))
}

/// Largest header part (originatorInfo, recipientInfos, algorithm, trailing attributes) the
/// streaming decryptor reads into memory.
const MAX_HEADER_PART: usize = 1 << 20;

/// Reads one identifier + definite length from `r`; returns (tag, length, header bytes).
fn read_header(r: &mut dyn Read) -> Result<(u8, usize, Vec<u8>)> {
    let io = |_| CmsError::Invalid("truncated message");
    let mut b = [0u8; 1];
    r.read_exact(&mut b).map_err(io)?;
    let tag = b[0];
    if tag & 0x1f == 0x1f {
        return Err(CmsError::Invalid("high tag numbers are not used in CMS"));
    }
    let mut hdr = vec![tag];
    r.read_exact(&mut b).map_err(io)?;
    hdr.push(b[0]);
    let len = match b[0] {
        l @ 0..=0x7f => l as usize,
        0x80 => {
            return Err(CmsError::Unsupported(
                "indefinite lengths in a streamed message",
            ));
        }
        l @ 0x81..=0x88 => {
            let mut v: usize = 0;
            for _ in 0..(l & 0x7f) {
                r.read_exact(&mut b).map_err(io)?;
                hdr.push(b[0]);
                v = v
                    .checked_mul(256)
                    .ok_or(CmsError::Invalid("length overflow"))?
                    | b[0] as usize;
            }
            v
        }
        _ => return Err(CmsError::Invalid("length too large")),
    };
    Ok((tag, len, hdr))
}

/// Reads a whole element (header and content, content at most [`MAX_HEADER_PART`] bytes).
fn read_element(r: &mut dyn Read) -> Result<Vec<u8>> {
    let (_, len, mut v) = read_header(r)?;
    if len > MAX_HEADER_PART {
        return Err(CmsError::Unsupported("header element too large to stream"));
    }
    let start = v.len();
    v.resize(start + len, 0);
    r.read_exact(v.get_mut(start..).unwrap_or_default())
        .map_err(|_| CmsError::Invalid("truncated message"))?;
    Ok(v)
}

/// Streaming decryption of a DER EnvelopedData read from `reader`: the ciphertext goes through
/// in 64 KiB pieces to `writer`, whatever the message size. The plaintext is written before the
/// content MAC (which follows the content) can be checked: on any `Err` the caller must discard
/// what was written, it is unauthenticated (the CLI writes to a temporary file and renames it on
/// success). For the -omac ciphers, a message whose attributes are too short to hold the MAC
/// gives `Err(MacMismatch)` before anything is written; a MAC attribute missing from longer
/// attributes, or a message cut (or malformed) after the content started, gives
/// `Err(MacMismatch)` too. BER messages with indefinite lengths are refused with `Unsupported`
/// (use [`EnvelopedMessage::parse`], which reads them whole).
pub fn decrypt_stream(
    reader: &mut dyn Read,
    writer: &mut dyn Write,
    recipients: &[Recipient<'_>],
    certs: &[Certificate],
) -> Result<u64> {
    decrypt_stream_with(
        reader,
        writer,
        recipients,
        certs,
        &DecryptOptions::default(),
    )
}

/// Like [`decrypt_stream`], with the limits of `opts`.
pub fn decrypt_stream_with(
    reader: &mut dyn Read,
    writer: &mut dyn Write,
    recipients: &[Recipient<'_>],
    certs: &[Certificate],
    opts: &DecryptOptions,
) -> Result<u64> {
    let io = |_| CmsError::Invalid("truncated message");
    let (t, _, _) = read_header(reader)?;
    if t != 0x30 {
        return Err(CmsError::Invalid("ContentInfo is not a SEQUENCE"));
    }
    let ty = read_element(reader)?;
    if tlv::read_oid(&tlv::read(&ty)?.0)? != oid::CMS_ENVELOPED_DATA {
        return Err(CmsError::Invalid("not an EnvelopedData"));
    }
    let (t, _, _) = read_header(reader)?;
    let (t2, ed_len, _) = read_header(reader)?;
    if t != 0xa0 || t2 != 0x30 {
        return Err(CmsError::Invalid("EnvelopedData"));
    }
    let mut used = 0usize;
    let version = read_element(reader)?;
    used += version.len();
    let mut next = read_element(reader)?;
    used += next.len();
    let mut originator_certs = Vec::new();
    if next.first() == Some(&0xa0) {
        let (oi, _) = tlv::read(&next)?;
        for part in tlv::children(oi.content)? {
            if part.tag == 0xa0 {
                for c in tlv::children(part.content)? {
                    if let Ok(cert) = Certificate::from_der(c.raw) {
                        originator_certs.push(cert);
                    }
                }
            }
        }
        next = read_element(reader)?;
        used += next.len();
    }
    let (ris, _) = tlv::expect(&next, 0x31, "recipientInfos")?;
    let ris = tlv::children(ris.content)?;
    check_recipient_count(ris.len(), opts)?;
    let recipient_infos: Vec<Vec<u8>> = ris.iter().map(|r| r.raw.to_vec()).collect();
    let (t, eci_len, h) = read_header(reader)?;
    if t != 0x30 {
        return Err(CmsError::Invalid("encryptedContentInfo"));
    }
    used += h.len() + eci_len;
    let ct_type = read_element(reader)?;
    let alg = read_element(reader)?;
    let (cipher, params, sbox) = parse_content_alg(&tlv::read(&alg)?.0)?;
    let (t, ct_len, h) = read_header(reader)?;
    if t != 0x80 || ct_type.len() + alg.len() + h.len() + ct_len != eci_len {
        return Err(CmsError::Unsupported(
            "encryptedContent is not a primitive [0] (stream BER whole)",
        ));
    }
    let tail_len = ed_len
        .checked_sub(used)
        .ok_or(CmsError::Invalid("EnvelopedData length"))?;
    if tail_len > MAX_HEADER_PART {
        return Err(CmsError::Invalid("unprotected attributes too large"));
    }
    // The content MAC attribute follows the content: when the room left for the attributes
    // cannot hold it, refuse before writing anything.
    if let Some(n) = mac_len(cipher)
        && tail_len < encode_tail(Some(&vec![0u8; n])).len()
    {
        return Err(CmsError::MacMismatch);
    }
    let head = EnvelopedMessage {
        recipient_infos,
        cipher,
        params: params.clone(),
        sbox,
        ciphertext: Vec::new(),
        mac: None,
        originator_certs,
    };
    let cek = head.find_cek(recipients, certs)?;
    let mut crypt = ContentCrypt::new(cipher, &cek, &params, sbox, false)?;
    // Once plaintext has been written, a message cut short or with malformed attributes is
    // unauthenticated content for the -omac ciphers.
    let unauthenticated = |e: CmsError| {
        if cipher.has_mac() {
            CmsError::MacMismatch
        } else {
            e
        }
    };
    let mut buf = Zeroizing::new(vec![0u8; 64 * 1024]);
    let mut left = ct_len;
    while left > 0 {
        let n = left.min(buf.len());
        let piece = buf.get_mut(..n).unwrap_or_default();
        reader
            .read_exact(piece)
            .map_err(io)
            .map_err(unauthenticated)?;
        crypt.update(piece)?;
        writer
            .write_all(piece)
            .map_err(|_| CmsError::Invalid("cannot write the content"))?;
        left -= n;
    }
    let mut tail = vec![0u8; tail_len];
    reader
        .read_exact(&mut tail)
        .map_err(io)
        .map_err(unauthenticated)?;
    let mac = read_tail_mac(&tail).map_err(unauthenticated)?;
    crypt.verify(mac.as_deref())?;
    Ok(ct_len as u64)
}

/// The MAC attribute of the bytes after encryptedContentInfo (unprotectedAttrs), if any.
fn read_tail_mac(tail: &[u8]) -> Result<Option<Vec<u8>>> {
    if tail.is_empty() {
        return Ok(None);
    }
    let (attrs, rest) = tlv::read(tail)?;
    if !rest.is_empty() {
        return Err(CmsError::Invalid("trailing bytes after unprotectedAttrs"));
    }
    parse_mac_attr(Some(&attrs).filter(|t| t.tag == 0xa1))
}

/// Length of the content MAC of the -omac ciphers.
fn mac_len(cipher: ContentCipher) -> Option<usize> {
    match cipher {
        ContentCipher::KuznyechikCtrAcpkmOmac => Some(16),
        ContentCipher::MagmaCtrAcpkmOmac => Some(8),
        _ => None,
    }
}
