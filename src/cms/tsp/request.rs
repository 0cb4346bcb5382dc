//! TimeStampReq (RFC 3161 §2.4.1).
//!
//! ```text
//! TimeStampReq ::= SEQUENCE {
//!    version          INTEGER { v1(1) },
//!    messageImprint   MessageImprint,
//!    reqPolicy        TSAPolicyId              OPTIONAL,
//!    nonce            INTEGER                  OPTIONAL,
//!    certReq          BOOLEAN                  DEFAULT FALSE,
//!    extensions       [0] IMPLICIT Extensions  OPTIONAL }
//! ```

use const_oid::ObjectIdentifier;

use super::asn::{
    extensions_content, imprint, int_element, read_bool, read_extensions, read_imprint, read_small,
    read_uint, uint_content,
};
use super::response::TspExtension;
use crate::cms::ber;
use crate::cms::error::{CmsError, Result};
use crate::cms::signed::hash_alg_of;
use crate::cms::tlv;
use crate::hash::HashAlg;
use crate::oid;

/// A time-stamp request: the hash of the data, and what the requester asks of the TSA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeStampReq {
    hash: HashAlg,
    imprint: Vec<u8>,
    policy: Option<ObjectIdentifier>,
    nonce: Option<Vec<u8>>,
    cert_req: bool,
    extensions: Vec<TspExtension>,
}

/// The OID of a hash algorithm in a MessageImprint.
pub(crate) fn hash_oid(alg: HashAlg) -> ObjectIdentifier {
    match alg {
        HashAlg::Streebog256 => oid::STREEBOG_256,
        HashAlg::Streebog512 => oid::STREEBOG_512,
        HashAlg::Gost94 => oid::GOSTR3411_94,
    }
}

/// A fresh random nonce of 64 bits, as INTEGER contents.
fn random_nonce() -> Result<Vec<u8>> {
    let mut n = [0u8; 8];
    getrandom::fill(&mut n).map_err(|_| CmsError::from(crate::ec::EcError::RandomSourceFailed))?;
    Ok(uint_content(&n))
}

impl TimeStampReq {
    /// A request for `data` hashed with `alg`, with a random 64-bit nonce and certReq set (the
    /// TSA then puts its certificate in the token), no policy.
    pub fn new(alg: HashAlg, data: &[u8]) -> Result<Self> {
        Self::for_digest(alg, &alg.digest(data))
    }

    /// A request for a digest the caller computed with `alg` (e.g. while streaming the data);
    /// nonce and certReq as [`TimeStampReq::new`].
    pub fn for_digest(alg: HashAlg, digest: &[u8]) -> Result<Self> {
        if digest.len() != alg.output_len() {
            return Err(CmsError::Invalid(
                "digest length does not match its algorithm",
            ));
        }
        Ok(Self {
            hash: alg,
            imprint: digest.to_vec(),
            policy: None,
            nonce: Some(random_nonce()?),
            cert_req: true,
            extensions: Vec::new(),
        })
    }

    /// Asks for the TSA policy `policy` (reqPolicy).
    pub fn with_policy(mut self, policy: ObjectIdentifier) -> Self {
        self.policy = Some(policy);
        self
    }

    /// Uses `nonce` (a big-endian non-negative number) instead of the random one, or none.
    pub fn with_nonce(mut self, nonce: Option<&[u8]>) -> Self {
        self.nonce = nonce.map(uint_content);
        self
    }

    /// Sets certReq: whether the TSA must put its certificate in the token.
    pub fn with_cert_req(mut self, cert_req: bool) -> Self {
        self.cert_req = cert_req;
        self
    }

    /// The hash algorithm of the imprint.
    pub fn hash_alg(&self) -> HashAlg {
        self.hash
    }

    /// The hashed message.
    pub fn imprint(&self) -> &[u8] {
        &self.imprint
    }

    /// reqPolicy, when asked.
    pub fn policy(&self) -> Option<&ObjectIdentifier> {
        self.policy.as_ref()
    }

    /// The nonce as INTEGER contents (minimal two's complement, non-negative), when present.
    pub fn nonce(&self) -> Option<&[u8]> {
        self.nonce.as_deref()
    }

    /// certReq.
    pub fn cert_req(&self) -> bool {
        self.cert_req
    }

    /// The request's extensions (gostkit writes none; a TSA reads them to refuse them).
    pub fn extensions(&self) -> &[TspExtension] {
        &self.extensions
    }

    /// The DER encoding (what `openssl ts -query` writes to a `.tsq` file).
    pub fn to_der(&self) -> Vec<u8> {
        let mut parts: Vec<Vec<u8>> =
            vec![tlv::int(1), imprint(&hash_oid(self.hash), &self.imprint)];
        if let Some(p) = &self.policy {
            parts.push(tlv::oid(p));
        }
        if let Some(n) = &self.nonce {
            parts.push(int_element(n));
        }
        if self.cert_req {
            parts.push(vec![0x01, 0x01, 0xff]);
        }
        if !self.extensions.is_empty() {
            parts.push(tlv::tlv(0xa0, &[&extensions_content(&self.extensions)]));
        }
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        tlv::seq(&refs)
    }

    /// Parses a request in DER (or BER). A hash algorithm gostkit does not know gives
    /// [`CmsError::UnsupportedAlgorithm`] (a TSA answers badAlg), anything else malformed
    /// [`CmsError::Invalid`] or [`CmsError::Der`] (badDataFormat).
    pub fn parse(input: &[u8]) -> Result<Self> {
        let der = ber::to_der(input)?;
        let (req, rest) = tlv::expect(&der, 0x30, "TimeStampReq is not a SEQUENCE")?;
        if !rest.is_empty() {
            return Err(CmsError::Invalid("trailing bytes after TimeStampReq"));
        }
        let k = tlv::children(req.content)?;
        let mut it = k.iter().peekable();
        let version = it
            .next()
            .ok_or(CmsError::Invalid("TimeStampReq too short"))?;
        if read_small(version, 0x02, 255, "TimeStampReq version")? != 1 {
            return Err(CmsError::Invalid("TimeStampReq version is not 1"));
        }
        let mi = it
            .next()
            .ok_or(CmsError::Invalid("TimeStampReq too short"))?;
        let (alg, hash) = read_imprint(mi)?;
        let hash_alg = hash_alg_of(&alg)?;
        if hash.len() != hash_alg.output_len() {
            return Err(CmsError::Invalid(
                "imprint length does not match its algorithm",
            ));
        }
        let mut out = Self {
            hash: hash_alg,
            imprint: hash,
            policy: None,
            nonce: None,
            cert_req: false,
            extensions: Vec::new(),
        };
        if let Some(t) = it.next_if(|t| t.tag == 0x06) {
            out.policy = Some(tlv::read_oid(t)?);
        }
        if let Some(t) = it.next_if(|t| t.tag == 0x02) {
            out.nonce = Some(read_uint(t, 0x02, "TimeStampReq nonce")?);
        }
        if let Some(t) = it.next_if(|t| t.tag == 0x01) {
            out.cert_req = read_bool(t, "TimeStampReq certReq")?;
        }
        if let Some(t) = it.next_if(|t| t.tag == 0xa0) {
            out.extensions = read_extensions(t.content)?;
        }
        if it.next().is_some() {
            return Err(CmsError::Invalid("unexpected TimeStampReq field"));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_fields() {
        let r = TimeStampReq::new(HashAlg::Streebog512, b"data")
            .unwrap()
            .with_policy(ObjectIdentifier::new_unwrap("1.2.3.4"));
        assert_eq!(r.imprint().len(), 64);
        assert!(r.cert_req());
        let n = r.nonce().unwrap();
        assert!(n.len() <= 9 && n[0] & 0x80 == 0);
        let back = TimeStampReq::parse(&r.to_der()).unwrap();
        assert_eq!(back, r);
        let plain = r.clone().with_nonce(None).with_cert_req(false);
        assert_eq!(TimeStampReq::parse(&plain.to_der()).unwrap(), plain);
        assert!(TimeStampReq::for_digest(HashAlg::Streebog256, &[0; 31]).is_err());
        assert_eq!(
            r.clone().with_nonce(Some(&[0, 0, 0xff])).nonce(),
            Some(&[0, 0xff][..])
        );
    }

    #[test]
    fn hostile_requests() {
        let good = TimeStampReq::new(HashAlg::Streebog256, b"x")
            .unwrap()
            .to_der();
        for cut in 0..good.len() {
            assert!(TimeStampReq::parse(&good[..cut]).is_err());
        }
        let mut v2 = good.clone();
        v2[4] = 2;
        assert!(TimeStampReq::parse(&v2).is_err());
        let mut sha = good.clone();
        // Streebog-256 OID 1.2.643.7.1.1.2.2 → ...2.9 (unknown)
        let pos = sha
            .windows(oid::STREEBOG_256.as_bytes().len())
            .position(|w| w == oid::STREEBOG_256.as_bytes())
            .unwrap();
        sha[pos + 7] = 9;
        assert!(matches!(
            TimeStampReq::parse(&sha),
            Err(CmsError::UnsupportedAlgorithm(_))
        ));
    }
}
