//! CAdES-T (ETSI EN 319 122-1 §5.3, RFC 3161 Appendix A): a signature time-stamp is a
//! time-stamp token over the value of a signer's signature (the contents of its `signature`
//! OCTET STRING), held in the signer's unsigned attribute id-aa-signatureTimeStampToken. It
//! proves the signature existed at genTime, so the signer's chain can be validated then.

use super::MAX_TIME_STAMPS;
use super::request::TimeStampReq;
use super::verify::{TimeStampReport, TimeStampToken, TokenVerifyOptions};
use crate::cms::error::{CmsError, Result};
use crate::cms::signed::{
    CadesLevel, SignedMessage, SignerInfo, SignerReport, ValidationTime, add_unsigned_attribute,
    hash_alg_of,
};
use crate::cms::tlv;
use crate::hash::HashAlg;
use crate::oid;
use crate::x509::Certificate;
use crate::x509::path::RevocationPolicy;
use crate::x509::store::CertStore;

/// The request to send a TSA for signer `index` of `msg`: the imprint is `alg` over the
/// signer's signature value (random nonce, certReq set).
pub fn signature_time_stamp_request(
    msg: &SignedMessage,
    index: usize,
    alg: HashAlg,
) -> Result<TimeStampReq> {
    let s = msg.signers.get(index).ok_or(CmsError::SignerNotFound)?;
    TimeStampReq::new(alg, &s.signature)
}

/// Adds `token` as a signatureTimeStampToken unsigned attribute to signer `index` of the
/// SignedData `input` (DER, BER or PEM); returns the new DER ContentInfo. The token must cover
/// that signer's signature value ([`CmsError::ImprintMismatch`] otherwise); its signature and
/// TSA are checked when the message is verified. Earlier time-stamps stay.
pub fn add_signature_time_stamp(
    input: &[u8],
    index: usize,
    token: &TimeStampToken,
) -> Result<Vec<u8>> {
    let msg = SignedMessage::parse(input)?;
    let s = msg.signers.get(index).ok_or(CmsError::SignerNotFound)?;
    let alg = hash_alg_of(&token.info().hash_alg)?;
    if token.info().imprint != alg.digest(&s.signature) {
        return Err(CmsError::ImprintMismatch);
    }
    add_unsigned_attribute(input, index, &oid::ATTR_SIGNATURE_TIME_STAMP, token.der())
}

/// The DER tokens of the signer's signatureTimeStampToken attributes (every value of every
/// such attribute), at most [`MAX_TIME_STAMPS`].
fn time_stamp_tokens(s: &SignerInfo) -> Result<Vec<Vec<u8>>> {
    let Some(set) = &s.unsigned_attrs else {
        return Ok(Vec::new());
    };
    let (set, _) = tlv::read(set)?;
    let mut out = Vec::new();
    for a in tlv::children(set.content)? {
        let parts = tlv::children(a.content)?;
        let [ty, values] = parts.as_slice() else {
            return Err(CmsError::Invalid("Attribute"));
        };
        if values.tag != 0x31 {
            return Err(CmsError::Invalid("attribute values are not a SET"));
        }
        if tlv::read_oid(ty)? != oid::ATTR_SIGNATURE_TIME_STAMP {
            continue;
        }
        for v in tlv::children(values.content)? {
            if out.len() == MAX_TIME_STAMPS {
                return Err(CmsError::Invalid("more than 16 signature time-stamps"));
            }
            out.push(v.raw.to_vec());
        }
    }
    Ok(out)
}

impl SignedMessage {
    /// Verifies the signature time-stamps of every signer whose signature verified (CAdES-T):
    /// each token over the signer's signature value, its TSA and the TSA's chain with `store`
    /// (see [`TimeStampToken::verify_data`]). A signer with time-stamps that all verify gets
    /// `time_stamp` = the earliest and, when it was BES, level T; one failing time-stamp fails
    /// the signer with that error (a token present but broken is not ignored).
    pub fn verify_time_stamps(
        &self,
        reports: &mut [SignerReport],
        store: &CertStore,
        opts: &TokenVerifyOptions,
    ) {
        for (s, r) in self.signers.iter().zip(reports.iter_mut()) {
            if r.result.is_err() {
                continue;
            }
            match verify_signer_time_stamps(s, store, opts) {
                Ok(Some(ts)) => {
                    if r.level == Some(CadesLevel::Bes) {
                        r.level = Some(CadesLevel::T);
                    }
                    r.time_stamp = Some(ts);
                }
                Ok(None) => {}
                Err(e) => r.result = Err(e),
            }
        }
    }

    /// CAdES verification in one call: every signer's signature against the content
    /// (`detached` for a detached message), its signature time-stamps (TSA chains validated at
    /// their genTime with `store`), then its chain with `store` at the time `at` says —
    /// [`ValidationTime::TimeStamp`] for genTime. The store's certificates also serve to find
    /// signer certificates.
    pub fn verify_cades(
        &self,
        detached: Option<&[u8]>,
        store: &CertStore,
        at: ValidationTime,
        revocation: RevocationPolicy,
    ) -> Vec<SignerReport> {
        let extra: Vec<Certificate> = store.entries().iter().map(|e| e.cert.clone()).collect();
        let mut reports = self.verify(detached, &extra);
        let opts = TokenVerifyOptions {
            revocation,
            ..TokenVerifyOptions::default()
        };
        self.verify_time_stamps(&mut reports, store, &opts);
        self.validate_chains_at(&mut reports, store, at, revocation);
        reports
    }
}

fn verify_signer_time_stamps(
    s: &SignerInfo,
    store: &CertStore,
    opts: &TokenVerifyOptions,
) -> Result<Option<TimeStampReport>> {
    let mut earliest: Option<TimeStampReport> = None;
    for raw in time_stamp_tokens(s)? {
        let token = TimeStampToken::parse(&raw)?;
        let report = token.verify_data(&s.signature, store, opts)?;
        if earliest
            .as_ref()
            .is_none_or(|e| report.gen_time < e.gen_time)
        {
            earliest = Some(report);
        }
    }
    Ok(earliest)
}
