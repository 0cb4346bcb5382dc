//! TimeStampResp, PKIStatusInfo and TSTInfo (RFC 3161 §2.4.2).
//!
//! ```text
//! TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }
//! PKIStatusInfo ::= SEQUENCE { status PKIStatus, statusString PKIFreeText OPTIONAL,
//!                              failInfo PKIFailureInfo OPTIONAL }
//! TSTInfo ::= SEQUENCE {
//!    version INTEGER { v1(1) }, policy TSAPolicyId, messageImprint MessageImprint,
//!    serialNumber INTEGER, genTime GeneralizedTime, accuracy Accuracy OPTIONAL,
//!    ordering BOOLEAN DEFAULT FALSE, nonce INTEGER OPTIONAL, tsa [0] GeneralName OPTIONAL,
//!    extensions [1] IMPLICIT Extensions OPTIONAL }
//! Accuracy ::= SEQUENCE { seconds INTEGER OPTIONAL, millis [0] INTEGER (1..999) OPTIONAL,
//!                         micros [1] INTEGER (1..999) OPTIONAL }
//! ```

use std::time::{Duration, SystemTime};

use const_oid::ObjectIdentifier;
use der::Decode;

use super::asn::{
    extensions_content, gen_time, imprint, int_element, read_bool, read_extensions, read_gen_time,
    read_imprint, read_small, read_uint,
};
use super::verify::TimeStampToken;
use super::{MAX_INT_LEN, MAX_TEXT_LINES};
use crate::cms::ber;
use crate::cms::error::{CmsError, Result};
use crate::cms::tlv::{self, Tlv};

/// PKIStatus (RFC 3161 §2.4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PkiStatus {
    /// A token is present.
    Granted,
    /// A token is present, with modifications the requester must check.
    GrantedWithMods,
    /// The request was refused.
    Rejection,
    /// The request has not been processed yet.
    Waiting,
    /// A revocation of the TSA's certificate is imminent.
    RevocationWarning,
    /// The TSA's certificate has been revoked.
    RevocationNotification,
}

impl PkiStatus {
    /// The value in the encoding.
    pub fn code(self) -> u8 {
        match self {
            Self::Granted => 0,
            Self::GrantedWithMods => 1,
            Self::Rejection => 2,
            Self::Waiting => 3,
            Self::RevocationWarning => 4,
            Self::RevocationNotification => 5,
        }
    }

    /// The status of a value.
    pub fn from_code(code: u64) -> Option<Self> {
        Some(match code {
            0 => Self::Granted,
            1 => Self::GrantedWithMods,
            2 => Self::Rejection,
            3 => Self::Waiting,
            4 => Self::RevocationWarning,
            5 => Self::RevocationNotification,
            _ => return None,
        })
    }

    /// The ASN.1 name (`granted`, `rejection`, …).
    pub fn name(self) -> &'static str {
        match self {
            Self::Granted => "granted",
            Self::GrantedWithMods => "grantedWithMods",
            Self::Rejection => "rejection",
            Self::Waiting => "waiting",
            Self::RevocationWarning => "revocationWarning",
            Self::RevocationNotification => "revocationNotification",
        }
    }

    /// Whether a token comes with this status.
    pub fn is_granted(self) -> bool {
        matches!(self, Self::Granted | Self::GrantedWithMods)
    }
}

/// PKIFailureInfo: the named bits of RFC 3161 §2.4.2 (bit `n` of the BIT STRING is `1 << n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct FailureInfo(u32);

impl FailureInfo {
    /// badAlg: unrecognized or unsupported algorithm identifier.
    pub const BAD_ALG: Self = Self(1 << 0);
    /// badRequest: transaction not permitted or supported.
    pub const BAD_REQUEST: Self = Self(1 << 2);
    /// badDataFormat: the data submitted has the wrong format.
    pub const BAD_DATA_FORMAT: Self = Self(1 << 5);
    /// timeNotAvailable: the TSA's time source is not available.
    pub const TIME_NOT_AVAILABLE: Self = Self(1 << 14);
    /// unacceptedPolicy: the requested TSA policy is not supported.
    pub const UNACCEPTED_POLICY: Self = Self(1 << 15);
    /// unacceptedExtension: the requested extension is not supported.
    pub const UNACCEPTED_EXTENSION: Self = Self(1 << 16);
    /// addInfoNotAvailable: the additional information requested is not available.
    pub const ADD_INFO_NOT_AVAILABLE: Self = Self(1 << 17);
    /// systemFailure: the request cannot be handled due to system failure.
    pub const SYSTEM_FAILURE: Self = Self(1 << 25);

    const NAMES: [(Self, &'static str); 8] = [
        (Self::BAD_ALG, "badAlg"),
        (Self::BAD_REQUEST, "badRequest"),
        (Self::BAD_DATA_FORMAT, "badDataFormat"),
        (Self::TIME_NOT_AVAILABLE, "timeNotAvailable"),
        (Self::UNACCEPTED_POLICY, "unacceptedPolicy"),
        (Self::UNACCEPTED_EXTENSION, "unacceptedExtension"),
        (Self::ADD_INFO_NOT_AVAILABLE, "addInfoNotAvailable"),
        (Self::SYSTEM_FAILURE, "systemFailure"),
    ];

    /// No bit set.
    pub const fn empty() -> Self {
        Self(0)
    }

    /// The bits (bit `n` = `1 << n`), named or not.
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// From bits.
    pub const fn from_bits(bits: u32) -> Self {
        Self(bits)
    }

    /// Whether every bit of `other` is set.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether no bit is set.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The ASN.1 names of the named bits set, in bit order (unnamed bits as `bitN`).
    pub fn names(self) -> Vec<String> {
        (0..32)
            .filter(|n| self.0 & (1 << n) != 0)
            .map(|n| {
                Self::NAMES
                    .iter()
                    .find(|(b, _)| b.0 == 1 << n)
                    .map_or_else(|| format!("bit{n}"), |(_, name)| (*name).to_owned())
            })
            .collect()
    }

    /// The library-wide kind of a refusal with these bits: the requester's algorithm, policy
    /// or extension → [`Unsupported`](crate::ErrorKind::Unsupported); its request →
    /// [`Malformed`](crate::ErrorKind::Malformed); the TSA's time or system, or no reason →
    /// [`Io`](crate::ErrorKind::Io) (a service failure, worth retrying).
    pub fn kind(self) -> crate::ErrorKind {
        use crate::ErrorKind as K;
        let unsupported = Self::BAD_ALG.0
            | Self::UNACCEPTED_POLICY.0
            | Self::UNACCEPTED_EXTENSION.0
            | Self::ADD_INFO_NOT_AVAILABLE.0;
        if self.0 & unsupported != 0 {
            K::Unsupported
        } else if self.0 & (Self::BAD_REQUEST.0 | Self::BAD_DATA_FORMAT.0) != 0 {
            K::Malformed
        } else {
            K::Io
        }
    }

    /// The BIT STRING element (DER: trailing zero bits dropped).
    pub(crate) fn to_der(self) -> Vec<u8> {
        let top = 32 - self.0.leading_zeros() as usize; // bits needed
        let nbytes = top.div_ceil(8);
        let mut bytes = vec![0u8; nbytes];
        for n in 0..top {
            if self.0 & (1 << n) != 0
                && let Some(b) = bytes.get_mut(n / 8)
            {
                *b |= 0x80 >> (n % 8);
            }
        }
        let unused = if top == 0 { 0 } else { (8 - top % 8) % 8 };
        let mut content = vec![u8::try_from(unused).unwrap_or(0)];
        content.extend(bytes);
        tlv::tlv(0x03, &[&content])
    }

    fn read(t: &Tlv<'_>) -> Result<Self> {
        const WHAT: &str = "PKIFailureInfo";
        let (&unused, bits) = t.content.split_first().ok_or(CmsError::Invalid(WHAT))?;
        if t.tag != 0x03 || unused > 7 || bits.len() > 4 || (bits.is_empty() && unused != 0) {
            return Err(CmsError::Invalid(WHAT));
        }
        let mut v = 0u32;
        for (i, b) in bits.iter().enumerate() {
            for j in 0..8 {
                if b & (0x80 >> j) != 0 {
                    v |= 1 << (i * 8 + j);
                }
            }
        }
        Ok(Self(v))
    }
}

/// One extension of a request or TSTInfo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TspExtension {
    /// extnID.
    pub id: ObjectIdentifier,
    /// critical.
    pub critical: bool,
    /// extnValue contents.
    pub value: Vec<u8>,
}

/// The accuracy of genTime (RFC 3161 §2.4.2): the true time lies within genTime ± this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Accuracy {
    /// Whole seconds.
    pub seconds: u32,
    /// Milliseconds, 0 (absent) or 1–999.
    pub millis: u16,
    /// Microseconds, 0 (absent) or 1–999.
    pub micros: u16,
}

impl Accuracy {
    /// The accuracy as a duration.
    pub fn as_duration(self) -> Duration {
        Duration::from_secs(u64::from(self.seconds))
            + Duration::from_millis(u64::from(self.millis))
            + Duration::from_micros(u64::from(self.micros))
    }

    fn read(t: &Tlv<'_>) -> Result<Self> {
        if t.tag != 0x30 {
            return Err(CmsError::Invalid("Accuracy is not a SEQUENCE"));
        }
        let mut out = Self::default();
        let mut it = tlv::children(t.content)?.into_iter().peekable();
        if let Some(s) = it.next_if(|t| t.tag == 0x02) {
            out.seconds = u32::try_from(read_small(&s, 0x02, u64::from(u32::MAX), "accuracy")?)
                .map_err(|_| CmsError::Invalid("accuracy seconds"))?;
        }
        if let Some(m) = it.next_if(|t| t.tag == 0x80) {
            out.millis = Self::sub_second(&m)?;
        }
        if let Some(m) = it.next_if(|t| t.tag == 0x81) {
            out.micros = Self::sub_second(&m)?;
        }
        if it.next().is_some() {
            return Err(CmsError::Invalid("unexpected Accuracy field"));
        }
        Ok(out)
    }

    fn sub_second(t: &Tlv<'_>) -> Result<u16> {
        let v = read_small(t, t.tag, 999, "accuracy millis/micros out of 1..999")?;
        if v == 0 {
            return Err(CmsError::Invalid("accuracy millis/micros out of 1..999"));
        }
        u16::try_from(v).map_err(|_| CmsError::Invalid("accuracy"))
    }

    /// The Accuracy element; None when all parts are zero.
    pub(crate) fn to_der(self) -> Result<Option<Vec<u8>>> {
        if self.millis > 999 || self.micros > 999 {
            return Err(CmsError::Invalid("accuracy millis/micros out of 1..999"));
        }
        let mut parts: Vec<Vec<u8>> = Vec::new();
        if self.seconds > 0 {
            parts.push(int_element(&super::asn::uint_content(
                &self.seconds.to_be_bytes(),
            )));
        }
        for (tag, v) in [(0x80u8, self.millis), (0x81, self.micros)] {
            if v > 0 {
                let e = int_element(&super::asn::uint_content(&v.to_be_bytes()));
                parts.push(crate::cms::tlv::retag(e, tag));
            }
        }
        if parts.is_empty() {
            return Ok(None);
        }
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        Ok(Some(tlv::seq(&refs)))
    }
}

/// The tsa field of a TSTInfo: a GeneralName.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TsaName {
    /// directoryName (as OpenSSL's `tsa_name = yes` writes).
    Directory(x509_cert::name::Name),
    /// Any other GeneralName, as its DER element.
    Other(Vec<u8>),
}

/// The content of a time-stamp token (RFC 3161 §2.4.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TstInfo {
    /// The TSA policy under which the token was issued.
    pub policy: ObjectIdentifier,
    /// The imprint's hash algorithm.
    pub hash_alg: ObjectIdentifier,
    /// The imprint's hash.
    pub imprint: Vec<u8>,
    /// serialNumber as INTEGER contents (non-negative, minimal).
    pub serial: Vec<u8>,
    /// genTime, with its fraction of a second (up to nanoseconds).
    pub gen_time: SystemTime,
    /// accuracy, when given.
    pub accuracy: Option<Accuracy>,
    /// ordering.
    pub ordering: bool,
    /// nonce as INTEGER contents, when present.
    pub nonce: Option<Vec<u8>>,
    /// tsa, when present.
    pub tsa: Option<TsaName>,
    /// extensions.
    pub extensions: Vec<TspExtension>,
}

impl TstInfo {
    /// Parses a DER TSTInfo.
    pub fn parse(der: &[u8]) -> Result<Self> {
        let (t, rest) = tlv::expect(der, 0x30, "TSTInfo is not a SEQUENCE")?;
        if !rest.is_empty() {
            return Err(CmsError::Invalid("trailing bytes after TSTInfo"));
        }
        let k = tlv::children(t.content)?;
        let mut it = k.into_iter().peekable();
        let mut next = |what| it.next().ok_or(CmsError::Invalid(what));
        let version = next("TSTInfo version")?;
        if read_small(&version, 0x02, 255, "TSTInfo version")? != 1 {
            return Err(CmsError::Invalid("TSTInfo version is not 1"));
        }
        let policy = tlv::read_oid(&next("TSTInfo policy")?)?;
        let (hash_alg, imprint) = read_imprint(&next("TSTInfo messageImprint")?)?;
        let serial = read_uint(&next("TSTInfo serialNumber")?, 0x02, "TSTInfo serialNumber")?;
        let gen_time = read_gen_time(&next("TSTInfo genTime")?)?;
        let mut out = Self {
            policy,
            hash_alg,
            imprint,
            serial,
            gen_time,
            accuracy: None,
            ordering: false,
            nonce: None,
            tsa: None,
            extensions: Vec::new(),
        };
        if let Some(a) = it.next_if(|t| t.tag == 0x30) {
            out.accuracy = Some(Accuracy::read(&a)?);
        }
        if let Some(o) = it.next_if(|t| t.tag == 0x01) {
            out.ordering = read_bool(&o, "TSTInfo ordering")?;
        }
        if let Some(n) = it.next_if(|t| t.tag == 0x02) {
            out.nonce = Some(read_uint(&n, 0x02, "TSTInfo nonce")?);
        }
        if let Some(g) = it.next_if(|t| t.tag == 0xa0) {
            let (name, rest) = tlv::read(g.content)?;
            if !rest.is_empty() {
                return Err(CmsError::Invalid("TSTInfo tsa is not one GeneralName"));
            }
            out.tsa = Some(if name.tag == 0xa4 {
                TsaName::Directory(x509_cert::name::Name::from_der(name.content)?)
            } else {
                TsaName::Other(name.raw.to_vec())
            });
        }
        if let Some(e) = it.next_if(|t| t.tag == 0xa1) {
            out.extensions = read_extensions(e.content)?;
        }
        if it.next().is_some() {
            return Err(CmsError::Invalid("unexpected TSTInfo field"));
        }
        Ok(out)
    }

    /// The DER encoding; genTime with `digits` (0–6) fraction digits.
    pub(crate) fn to_der(&self, digits: u8) -> Result<Vec<u8>> {
        if self.serial.is_empty() || self.serial.len() > MAX_INT_LEN {
            return Err(CmsError::Invalid("serial number length"));
        }
        let mut parts: Vec<Vec<u8>> = vec![
            tlv::int(1),
            tlv::oid(&self.policy),
            imprint(&self.hash_alg, &self.imprint),
            int_element(&self.serial),
            gen_time(self.gen_time, digits)?,
        ];
        if let Some(a) = self.accuracy.map(Accuracy::to_der).transpose()?.flatten() {
            parts.push(a);
        }
        if self.ordering {
            parts.push(vec![0x01, 0x01, 0xff]);
        }
        if let Some(n) = &self.nonce {
            parts.push(int_element(n));
        }
        match &self.tsa {
            Some(TsaName::Directory(name)) => {
                let name = der::Encode::to_der(name)?;
                parts.push(tlv::tlv(0xa0, &[&tlv::tlv(0xa4, &[&name])]));
            }
            Some(TsaName::Other(raw)) => parts.push(tlv::tlv(0xa0, &[raw])),
            None => {}
        }
        if !self.extensions.is_empty() {
            parts.push(tlv::tlv(0xa1, &[&extensions_content(&self.extensions)]));
        }
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        Ok(tlv::seq(&refs))
    }
}

/// A parsed TimeStampResp.
#[derive(Debug, Clone)]
pub struct TimeStampResp {
    /// PKIStatus.
    pub status: PkiStatus,
    /// statusString lines (at most [`MAX_TEXT_LINES`]).
    pub status_text: Vec<String>,
    /// failInfo (empty when absent).
    pub fail_info: FailureInfo,
    /// The token's DER ContentInfo, when present.
    pub token: Option<Vec<u8>>,
}

impl TimeStampResp {
    /// Parses a response in DER (or BER), as `openssl ts -reply` writes a `.tsr` file. The token
    /// is kept as bytes; [`TimeStampResp::into_token`] parses it.
    pub fn parse(input: &[u8]) -> Result<Self> {
        let der = ber::to_der(input)?;
        let (resp, rest) = tlv::expect(&der, 0x30, "TimeStampResp is not a SEQUENCE")?;
        if !rest.is_empty() {
            return Err(CmsError::Invalid("trailing bytes after TimeStampResp"));
        }
        let k = tlv::children(resp.content)?;
        let (info, token) = match k.as_slice() {
            [info] => (info, None),
            [info, token] if token.tag == 0x30 => (info, Some(token.raw.to_vec())),
            _ => return Err(CmsError::Invalid("TimeStampResp fields")),
        };
        if info.tag != 0x30 {
            return Err(CmsError::Invalid("PKIStatusInfo is not a SEQUENCE"));
        }
        let parts = tlv::children(info.content)?;
        let mut it = parts.into_iter().peekable();
        let status = it.next().ok_or(CmsError::Invalid("PKIStatusInfo empty"))?;
        let status = PkiStatus::from_code(read_small(&status, 0x02, 255, "PKIStatus")?)
            .ok_or(CmsError::Invalid("unknown PKIStatus"))?;
        let mut out = Self {
            status,
            status_text: Vec::new(),
            fail_info: FailureInfo::empty(),
            token,
        };
        if let Some(text) = it.next_if(|t| t.tag == 0x30) {
            let lines = tlv::children(text.content)?;
            if lines.is_empty() || lines.len() > MAX_TEXT_LINES {
                return Err(CmsError::Invalid("PKIFreeText line count"));
            }
            for l in lines {
                if l.tag != 0x0c {
                    return Err(CmsError::Invalid("PKIFreeText is not UTF8String"));
                }
                let s = core::str::from_utf8(l.content)
                    .map_err(|_| CmsError::Invalid("PKIFreeText is not UTF-8"))?;
                out.status_text.push(s.to_owned());
            }
        }
        if let Some(f) = it.next_if(|t| t.tag == 0x03) {
            out.fail_info = FailureInfo::read(&f)?;
        }
        if it.next().is_some() {
            return Err(CmsError::Invalid("unexpected PKIStatusInfo field"));
        }
        if out.status.is_granted() && out.token.is_none() {
            return Err(CmsError::Invalid("granted without a time-stamp token"));
        }
        Ok(out)
    }

    /// The token of a granted response, parsed; a refusal gives
    /// [`CmsError::TimeStampRejected`] with its status, failure bits and text.
    pub fn into_token(self) -> Result<TimeStampToken> {
        match (self.status.is_granted(), self.token) {
            (true, Some(t)) => TimeStampToken::parse(&t),
            _ => Err(CmsError::TimeStampRejected {
                status: self.status,
                fail_info: self.fail_info,
                text: (!self.status_text.is_empty()).then(|| self.status_text.join("; ")),
            }),
        }
    }

    /// A DER response with `status`, optional text and failure bits, and `token`.
    pub(crate) fn encode(
        status: PkiStatus,
        text: Option<&str>,
        fail_info: FailureInfo,
        token: Option<&[u8]>,
    ) -> Vec<u8> {
        let mut info: Vec<Vec<u8>> = vec![tlv::int(status.code())];
        if let Some(t) = text {
            info.push(tlv::seq(&[&tlv::tlv(0x0c, &[t.as_bytes()])]));
        }
        if !fail_info.is_empty() {
            info.push(fail_info.to_der());
        }
        let refs: Vec<&[u8]> = info.iter().map(Vec::as_slice).collect();
        let info = tlv::seq(&refs);
        match token {
            Some(t) => tlv::seq(&[&info, t]),
            None => tlv::seq(&[&info]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_bits_round_trip() {
        for f in [
            FailureInfo::BAD_ALG,
            FailureInfo::BAD_DATA_FORMAT,
            FailureInfo::SYSTEM_FAILURE,
            FailureInfo::from_bits(FailureInfo::UNACCEPTED_POLICY.bits() | 1),
        ] {
            let e = f.to_der();
            let (t, _) = tlv::read(&e).unwrap();
            assert_eq!(FailureInfo::read(&t).unwrap(), f);
        }
        // badAlg is bit 0: 03 02 07 80.
        assert_eq!(FailureInfo::BAD_ALG.to_der(), vec![3, 2, 7, 0x80]);
        assert_eq!(FailureInfo::BAD_ALG.names(), vec!["badAlg"]);
        assert_eq!(FailureInfo::BAD_ALG.kind(), crate::ErrorKind::Unsupported);
        assert_eq!(FailureInfo::SYSTEM_FAILURE.kind(), crate::ErrorKind::Io);
        assert_eq!(FailureInfo::BAD_REQUEST.kind(), crate::ErrorKind::Malformed);
    }

    #[test]
    fn rejection_is_typed() {
        let r = TimeStampResp::encode(
            PkiStatus::Rejection,
            Some("unsupported algorithm"),
            FailureInfo::BAD_ALG,
            None,
        );
        let resp = TimeStampResp::parse(&r).unwrap();
        assert_eq!(resp.status, PkiStatus::Rejection);
        match resp.into_token() {
            Err(CmsError::TimeStampRejected {
                status,
                fail_info,
                text,
            }) => {
                assert_eq!(status, PkiStatus::Rejection);
                assert_eq!(fail_info, FailureInfo::BAD_ALG);
                assert_eq!(text.as_deref(), Some("unsupported algorithm"));
            }
            other => panic!("{other:?}"),
        }
        let granted_empty =
            TimeStampResp::encode(PkiStatus::Granted, None, FailureInfo::empty(), None);
        assert!(TimeStampResp::parse(&granted_empty).is_err());
        let unknown = tlv::seq(&[&tlv::seq(&[&tlv::int(9)])]);
        assert!(TimeStampResp::parse(&unknown).is_err());
    }

    #[test]
    fn accuracy_bounds() {
        let a = Accuracy {
            seconds: 1,
            millis: 500,
            micros: 100,
        };
        let e = a.to_der().unwrap().unwrap();
        let (t, _) = tlv::read(&e).unwrap();
        assert_eq!(Accuracy::read(&t).unwrap(), a);
        assert_eq!(a.as_duration(), Duration::from_micros(1_500_100));
        let zero = tlv::seq(&[&[0x80, 1, 0]]);
        let (t, _) = tlv::read(&zero).unwrap();
        assert!(Accuracy::read(&t).is_err());
        let big = tlv::seq(&[&[0x81, 2, 0x03, 0xe8]]);
        let (t, _) = tlv::read(&big).unwrap();
        assert!(Accuracy::read(&t).is_err());
        assert_eq!(Accuracy::default().to_der().unwrap(), None);
    }
}
