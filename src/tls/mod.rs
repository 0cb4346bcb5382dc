//! GOST TLS 1.2 (RFC 9189) in the sans-I/O style: a connection object ([`ClientConnection`],
//! [`ServerConnection`]) is fed the bytes received from the network (`read_tls`, then
//! `process`) and hands back the bytes to send (`write_tls`); [`stream::TlsStream`] drives
//! one over a blocking `Read + Write` transport. Client authentication uses any
//! [`crate::ec::SignDigest`] key; the server's key exchange any [`crate::ec::AgreeKey`].
//!
//! Profile: TLS 1.2 only, cipher suites TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC (0xC100),
//! TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC (0xC101) and
//! TLS_GOSTR341112_256_WITH_28147_CNT_IMIT (0xC102, and on request at its pre-IANA code
//! point 0xFF85); the extended master secret
//! (RFC 7627) is required, renegotiation_info (RFC 5746) is sent and checked and
//! renegotiation is refused; the server's certificate chain is validated with
//! [`crate::x509::path`] and its name checked against subjectAltName / CN; ALPN (RFC 7301).
//! Session-ID resumption (RFC 5246 §7.3, only of extended-master-secret sessions: RFC 7627
//! §5.3) with [`session::Session`] on the client and a [`session::SessionCache`] on the server.
//! Not implemented: session tickets (RFC 5077).
//!
//! The examples of RFC 9189 Appendix A are reproduced by `tests/tls_rfc9189.rs`, through the
//! test hooks of the `hazmat` module (feature `hazmat`: the engine's steps with their random
//! inputs given).

pub mod client;
pub(crate) mod codec;
#[cfg(feature = "hazmat")]
pub mod hazmat;
mod kx;
pub mod prf;
pub mod record;
pub mod server;
pub mod session;
pub mod stream;

pub use client::{ClientConfig, ClientConnection};
pub use server::{ServerConfig, ServerConnection};
pub use session::{Session, SessionCache};

use crate::x509::path::PathError;

/// A cipher suite gostkit speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CipherSuite {
    /// TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC, 0xC100.
    KuznyechikCtrOmac,
    /// TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC, 0xC101.
    MagmaCtrOmac,
    /// TLS_GOSTR341112_256_WITH_28147_CNT_IMIT, 0xC102 (RFC 9189 §5.3): key transport by
    /// KEG_28147 + KExp28147 in a `TLSGostKeyTransportBlob` (§4.2.4.2), records protected by
    /// GOST 28147-89 CNT and IMIT with the TC26 Z S-box and CryptoPro key meshing (§4.1.2).
    Gost28147CntImit,
    /// The same suite at the code point it had before IANA assigned 0xC102: 0xFF85, from the
    /// private-use range, which older implementations still use (RFC 9189 §10; OpenSSL's
    /// LEGACY-GOST2012-GOST8912-GOST8912). Everything but the identifier is
    /// [`CipherSuite::Gost28147CntImit`]. Not offered or accepted by default.
    LegacyGost28147CntImit,
}

impl CipherSuite {
    /// Every suite, in gostkit's order of preference.
    pub const ALL: [CipherSuite; 4] = [
        Self::KuznyechikCtrOmac,
        Self::MagmaCtrOmac,
        Self::Gost28147CntImit,
        Self::LegacyGost28147CntImit,
    ];

    /// The suites [`ClientConfig::new`] offers and [`ServerConfig::new`] accepts: those with
    /// IANA code points (not the legacy 0xFF85).
    pub const DEFAULT: [CipherSuite; 3] = [
        Self::KuznyechikCtrOmac,
        Self::MagmaCtrOmac,
        Self::Gost28147CntImit,
    ];

    /// The two-byte identifier.
    pub fn id(self) -> u16 {
        match self {
            Self::KuznyechikCtrOmac => 0xC100,
            Self::MagmaCtrOmac => 0xC101,
            Self::Gost28147CntImit => 0xC102,
            Self::LegacyGost28147CntImit => 0xFF85,
        }
    }

    /// The suite of an identifier.
    pub fn from_id(id: u16) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.id() == id)
    }

    /// The IANA name (for 0xFF85, which has none, the IANA name with a `LEGACY_` prefix).
    pub fn name(self) -> &'static str {
        match self {
            Self::KuznyechikCtrOmac => "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC",
            Self::MagmaCtrOmac => "TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC",
            Self::Gost28147CntImit => "TLS_GOSTR341112_256_WITH_28147_CNT_IMIT",
            // no IANA name: the code point is private-use
            Self::LegacyGost28147CntImit => "LEGACY_TLS_GOSTR341112_256_WITH_28147_CNT_IMIT",
        }
    }

    /// The suite of an IANA or OpenSSL name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| {
            s.name().eq_ignore_ascii_case(name) || s.openssl_name().eq_ignore_ascii_case(name)
        })
    }

    /// The OpenSSL name (OpenSSL 3 with gost-engine).
    pub fn openssl_name(self) -> &'static str {
        match self {
            Self::KuznyechikCtrOmac => "GOST2012-KUZNYECHIK-KUZNYECHIKOMAC",
            Self::MagmaCtrOmac => "GOST2012-MAGMA-MAGMAOMAC",
            Self::Gost28147CntImit => "IANA-GOST2012-GOST8912-GOST8912",
            Self::LegacyGost28147CntImit => "LEGACY-GOST2012-GOST8912-GOST8912",
        }
    }

    /// Whether records are protected by GOST 28147-89 CNT + IMIT (RFC 9189 §4.1.2) and the
    /// PMS is transported by KExp28147 (§4.2.4.2), rather than CTR_OMAC and KExp15.
    pub(crate) fn is_cnt_imit(self) -> bool {
        matches!(self, Self::Gost28147CntImit | Self::LegacyGost28147CntImit)
    }

    /// Length of the record MAC: a full cipher block for CTR_OMAC (OMAC), 4 bytes for IMIT.
    pub(crate) fn mac_len(self) -> usize {
        match self {
            Self::KuznyechikCtrOmac => 16,
            Self::MagmaCtrOmac => 8,
            Self::Gost28147CntImit | Self::LegacyGost28147CntImit => {
                crate::cipher::gost28147::MAC_DEFAULT_LEN
            }
        }
    }

    /// Length of client_write_IV / server_write_IV in the key block (the suite definitions of
    /// RFC 9189 §5): n/2 bits for CTR_OMAC (the CTR IV is half a block), the full 64-bit
    /// synchro-message of GOST 28147-89 CNT for CNT_IMIT.
    pub(crate) fn iv_len(self) -> usize {
        match self {
            Self::KuznyechikCtrOmac => 8,
            Self::MagmaCtrOmac => 4,
            Self::Gost28147CntImit | Self::LegacyGost28147CntImit => 8,
        }
    }

    /// The TLSTREE constants C_1, C_2, C_3 (RFC 9189 §8.1.1) of a CTR_OMAC suite.
    pub(crate) fn tree_constants(self) -> [u64; 3] {
        match self {
            Self::KuznyechikCtrOmac => [
                0xFFFF_FFFF_0000_0000,
                0xFFFF_FFFF_FFF8_0000,
                0xFFFF_FFFF_FFFF_FFC0,
            ],
            Self::MagmaCtrOmac => [
                0xFFFF_FFC0_0000_0000,
                0xFFFF_FFFF_FE00_0000,
                0xFFFF_FFFF_FFFF_F000,
            ],
            // no TLSTREE: CNT_IMIT keys one stream for the whole connection
            Self::Gost28147CntImit | Self::LegacyGost28147CntImit => [0; 3],
        }
    }

    /// The CTR-ACPKM section size of a CTR_OMAC suite's record encryption, in bytes: 4096
    /// for Kuznyechik, 1024 for Magma (as OpenSSL 3 + gost-engine encrypt records).
    pub(crate) fn acpkm_section(self) -> usize {
        match self {
            Self::KuznyechikCtrOmac => 4096,
            Self::MagmaCtrOmac | Self::Gost28147CntImit | Self::LegacyGost28147CntImit => 1024,
        }
    }

    /// SNMAX, the largest sequence number of a connection (RFC 9189 §4.1): 2^64 - 1 for
    /// Kuznyechik and for GOST 28147-89, 2^32 - 1 for Magma.
    pub fn max_seqnum(self) -> u64 {
        match self {
            Self::KuznyechikCtrOmac | Self::Gost28147CntImit | Self::LegacyGost28147CntImit => {
                u64::MAX
            }
            Self::MagmaCtrOmac => (1 << 32) - 1,
        }
    }

    /// Length of the Finished verify_data: 32 for CTR_OMAC (RFC 9189 §4.2.6), the 12 of
    /// RFC 5246 §7.4.9 for CNT_IMIT — what OpenSSL 3 + gost-engine and GnuTLS 3.7 both send
    /// and expect on 0xC102 / 0xFF85 (32 bytes there is a decode_error from OpenSSL).
    pub(crate) fn verify_data_len(self) -> usize {
        if self.is_cnt_imit() { 12 } else { 32 }
    }

    /// The KExp15 cipher of a CTR_OMAC suite.
    pub(crate) fn export_cipher(self) -> Option<crate::kex::ExportCipher> {
        match self {
            Self::KuznyechikCtrOmac => Some(crate::kex::ExportCipher::Kuznyechik),
            Self::MagmaCtrOmac => Some(crate::kex::ExportCipher::Magma),
            Self::Gost28147CntImit | Self::LegacyGost28147CntImit => None,
        }
    }
}

/// TLS alert descriptions used here (RFC 5246 §7.2, RFC 7301, RFC 5746).
#[allow(missing_docs)]
pub mod alert {
    pub const CLOSE_NOTIFY: u8 = 0;
    pub const UNEXPECTED_MESSAGE: u8 = 10;
    pub const BAD_RECORD_MAC: u8 = 20;
    pub const RECORD_OVERFLOW: u8 = 22;
    pub const HANDSHAKE_FAILURE: u8 = 40;
    pub const BAD_CERTIFICATE: u8 = 42;
    pub const UNSUPPORTED_CERTIFICATE: u8 = 43;
    pub const CERTIFICATE_EXPIRED: u8 = 45;
    pub const CERTIFICATE_UNKNOWN: u8 = 46;
    pub const ILLEGAL_PARAMETER: u8 = 47;
    pub const UNKNOWN_CA: u8 = 48;
    pub const DECODE_ERROR: u8 = 50;
    pub const DECRYPT_ERROR: u8 = 51;
    pub const PROTOCOL_VERSION: u8 = 70;
    pub const INTERNAL_ERROR: u8 = 80;
    pub const NO_RENEGOTIATION: u8 = 100;
    pub const UNSUPPORTED_EXTENSION: u8 = 110;
    pub const NO_APPLICATION_PROTOCOL: u8 = 120;

    /// The RFC 5246 §7.2 name of an alert description (`unknown` for others).
    pub fn name(code: u8) -> &'static str {
        match code {
            CLOSE_NOTIFY => "close_notify",
            UNEXPECTED_MESSAGE => "unexpected_message",
            BAD_RECORD_MAC => "bad_record_mac",
            21 => "decryption_failed",
            RECORD_OVERFLOW => "record_overflow",
            30 => "decompression_failure",
            HANDSHAKE_FAILURE => "handshake_failure",
            BAD_CERTIFICATE => "bad_certificate",
            UNSUPPORTED_CERTIFICATE => "unsupported_certificate",
            44 => "certificate_revoked",
            CERTIFICATE_EXPIRED => "certificate_expired",
            CERTIFICATE_UNKNOWN => "certificate_unknown",
            ILLEGAL_PARAMETER => "illegal_parameter",
            UNKNOWN_CA => "unknown_ca",
            49 => "access_denied",
            DECODE_ERROR => "decode_error",
            DECRYPT_ERROR => "decrypt_error",
            PROTOCOL_VERSION => "protocol_version",
            71 => "insufficient_security",
            INTERNAL_ERROR => "internal_error",
            90 => "user_canceled",
            NO_RENEGOTIATION => "no_renegotiation",
            UNSUPPORTED_EXTENSION => "unsupported_extension",
            NO_APPLICATION_PROTOCOL => "no_application_protocol",
            _ => "unknown",
        }
    }
}

/// Why a TLS connection failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum TlsError {
    /// The peer sent a fatal alert (its description code).
    AlertReceived(u8),
    /// A record's MAC did not verify (the record was altered, or the keys differ).
    BadRecordMac,
    /// A message or record is malformed.
    Decode(&'static str),
    /// A message came that the state machine does not expect.
    UnexpectedMessage(&'static str),
    /// Negotiation failed (no common suite, a required extension missing, a bad parameter).
    Handshake(&'static str),
    /// A hello field has a value the protocol forbids here (a resumed session whose suite
    /// the server changed, RFC 5246 §7.4.1.3).
    IllegalParameter(&'static str),
    /// The peer's Finished does not match the transcript.
    BadFinished,
    /// The client's CertificateVerify signature does not verify.
    BadSignature,
    /// The peer's certificate chain does not validate.
    Certificate(PathError),
    /// The peer's certificate is unusable (unparsable, or a key gostkit cannot use here).
    BadCertificate(&'static str),
    /// The server's certificate does not name the host connected to.
    HostnameMismatch(String),
    /// The transport ended before the handshake finished (or before close_notify).
    UnexpectedEof,
    /// A record is longer than the protocol allows.
    RecordOverflow,
    /// The sequence-number limit SNMAX of the suite is reached (renegotiation is refused).
    SequenceLimit,
    /// A cryptographic operation failed.
    Crypto(crate::ErrorKind, String),
    /// The transport failed.
    Io(std::io::Error),
    /// The connection is closed or failed earlier.
    Closed,
}

impl TlsError {
    /// The library-wide kind of this error.
    pub fn kind(&self) -> crate::ErrorKind {
        use crate::ErrorKind as K;
        match self {
            Self::AlertReceived(_) => K::TlsAlert,
            Self::BadRecordMac => K::AuthFailed,
            Self::BadSignature => K::BadSignature,
            Self::Decode(_) => K::Malformed,
            Self::UnexpectedMessage(_)
            | Self::Handshake(_)
            | Self::IllegalParameter(_)
            | Self::BadFinished
            | Self::HostnameMismatch(_)
            | Self::UnexpectedEof
            | Self::RecordOverflow
            | Self::BadCertificate(_)
            | Self::Closed => K::HandshakeFailure,
            Self::Certificate(e) => e.kind.kind(),
            Self::SequenceLimit => K::DataLimitExceeded,
            Self::Crypto(k, _) => *k,
            Self::Io(_) => K::Io,
        }
    }

    /// The fatal alert to send for this error, if one is sent.
    pub fn alert(&self) -> Option<u8> {
        use alert::*;
        Some(match self {
            Self::AlertReceived(_) | Self::Io(_) | Self::UnexpectedEof | Self::Closed => {
                return None;
            }
            Self::BadRecordMac => BAD_RECORD_MAC,
            Self::Decode(_) => DECODE_ERROR,
            Self::UnexpectedMessage(_) => UNEXPECTED_MESSAGE,
            Self::Handshake(_) => HANDSHAKE_FAILURE,
            Self::IllegalParameter(_) => ILLEGAL_PARAMETER,
            Self::BadFinished | Self::BadSignature => DECRYPT_ERROR,
            Self::Certificate(e) => match e.kind.kind() {
                crate::ErrorKind::CertExpired | crate::ErrorKind::CertNotYetValid => {
                    CERTIFICATE_EXPIRED
                }
                crate::ErrorKind::UntrustedRoot | crate::ErrorKind::NoIssuer => UNKNOWN_CA,
                _ => BAD_CERTIFICATE,
            },
            Self::BadCertificate(_) => UNSUPPORTED_CERTIFICATE,
            Self::HostnameMismatch(_) => CERTIFICATE_UNKNOWN,
            Self::RecordOverflow => RECORD_OVERFLOW,
            Self::SequenceLimit | Self::Crypto(..) => INTERNAL_ERROR,
        })
    }
}

impl core::fmt::Display for TlsError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::AlertReceived(d) => {
                write!(f, "the peer sent fatal alert {} ({d})", alert::name(*d))
            }
            Self::BadRecordMac => f.write_str("record MAC mismatch (bad_record_mac)"),
            Self::Decode(w) => write!(f, "malformed {w}"),
            Self::UnexpectedMessage(w) => write!(f, "unexpected message: {w}"),
            Self::Handshake(w) => write!(f, "handshake failure: {w}"),
            Self::IllegalParameter(w) => write!(f, "illegal parameter: {w}"),
            Self::BadFinished => f.write_str("the peer's Finished does not verify"),
            Self::BadSignature => f.write_str("the client's CertificateVerify does not verify"),
            Self::Certificate(e) => write!(f, "server certificate: {e}"),
            Self::BadCertificate(w) => write!(f, "unusable certificate: {w}"),
            Self::HostnameMismatch(h) => write!(f, "the certificate does not name {h}"),
            Self::UnexpectedEof => f.write_str("connection closed during the handshake"),
            Self::RecordOverflow => f.write_str("record too long"),
            Self::SequenceLimit => f.write_str("sequence number limit of the suite reached"),
            Self::Crypto(_, d) => write!(f, "cryptographic failure: {d}"),
            Self::Io(e) => write!(f, "transport: {e}"),
            Self::Closed => f.write_str("connection closed"),
        }
    }
}

impl std::error::Error for TlsError {}

impl From<crate::kex::KexError> for TlsError {
    fn from(e: crate::kex::KexError) -> Self {
        Self::Crypto(e.kind(), e.to_string())
    }
}

impl From<crate::ec::EcError> for TlsError {
    fn from(e: crate::ec::EcError) -> Self {
        Self::Crypto(e.kind(), e.to_string())
    }
}

impl From<crate::CryptoError> for TlsError {
    fn from(e: crate::CryptoError) -> Self {
        Self::Crypto(e.kind(), e.to_string())
    }
}

impl From<std::io::Error> for TlsError {
    fn from(e: std::io::Error) -> Self {
        Self::Io(e)
    }
}

/// Random bytes from the operating system.
pub(crate) fn random(out: &mut [u8]) -> Result<(), TlsError> {
    getrandom::fill(out)
        .map_err(|e| TlsError::Crypto(crate::ErrorKind::RandomFailed, e.to_string()))
}
