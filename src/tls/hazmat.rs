//! Test hooks (feature `hazmat`) that expose the pieces of the TLS engine with their random
//! inputs given, so that the examples of RFC 9189 Appendix A can be reproduced byte for byte
//! (`tests/tls_rfc9189.rs`). Nothing here is for use in a real connection: a fixed server
//! random, premaster secret or ephemeral key repeats keys, and a record protection started at
//! an arbitrary sequence number can repeat a key stream.

use std::sync::Arc;

use zeroize::Zeroizing;

use super::client::{ClientConfig, ClientConnection};
use super::record::Protection;
use super::server::{ServerConfig, ServerConnection};
use super::{CipherSuite, TlsError};
use crate::ec::{AgreeKey, SigningKey};
use crate::x509::Certificate;

/// The key block of a connection (RFC 5246 §6.3 with the lengths of RFC 9189):
/// `client_write_MAC_key | server_write_MAC_key | client_write_key | server_write_key |
/// client_write_IV | server_write_IV`, exactly as the engine derives and splits it.
pub fn key_block(
    suite: CipherSuite,
    master: &[u8; 48],
    client_random: &[u8; 32],
    server_random: &[u8; 32],
) -> Zeroizing<Vec<u8>> {
    super::client::key_block_bytes(suite, master, client_random, server_random)
}

/// TLSTREE (RFC 9189 §8.1) with the constants C_1, C_2, C_3 the engine uses for `suite`
/// (§8.1.1); a CNT_IMIT suite, which has no key tree, is an error.
pub fn tlstree(
    suite: CipherSuite,
    root: &[u8],
    seqnum: u64,
) -> Result<Zeroizing<[u8; 32]>, TlsError> {
    if suite.is_cnt_imit() {
        return Err(TlsError::Handshake(
            "TLSTREE belongs to the CTR_OMAC suites",
        ));
    }
    Ok(super::prf::tlstree(root, &suite.tree_constants(), seqnum))
}

/// The body of the ClientKeyExchange the client sends for `pms` and the ephemeral key `eph`
/// (its two random inputs) to a server with the certificate `server_cert` (RFC 9189 §4.2.4).
pub fn client_key_exchange(
    suite: CipherSuite,
    server_cert: &Certificate,
    client_random: &[u8; 32],
    server_random: &[u8; 32],
    pms: &[u8; 32],
    eph: &SigningKey,
) -> Result<Vec<u8>, TlsError> {
    let key = server_cert
        .verifying_key()
        .map_err(|_| TlsError::BadCertificate("server public key"))?;
    let spki = server_cert
        .spki_der()
        .map_err(|_| TlsError::BadCertificate("server public key"))?;
    super::kx::client_export_with(suite, &key, &spki, client_random, server_random, pms, eph)
}

/// The premaster secret a server with the certificate key `key` takes from a ClientKeyExchange
/// body (what [`ServerConnection`] does with it).
pub fn server_key_exchange(
    suite: CipherSuite,
    key: &dyn AgreeKey,
    client_random: &[u8; 32],
    server_random: &[u8; 32],
    body: &[u8],
) -> Result<Zeroizing<Vec<u8>>, TlsError> {
    super::kx::server_import(suite, key, client_random, server_random, body)
}

/// A server connection whose ServerHello carries `server_random` and `session_id` (at most 32
/// bytes) instead of a fresh random and no session id.
pub fn server_with_fixed_hello(
    config: Arc<ServerConfig>,
    server_random: [u8; 32],
    session_id: &[u8],
) -> Result<ServerConnection, TlsError> {
    ServerConnection::with_fixed_hello(config, server_random, session_id)
}

/// A client connection whose ClientHello random, premaster secret and ephemeral key are given
/// (the ClientHello is ready in `write_tls`, as after [`ClientConnection::new`]).
pub fn client_with_fixed_randomness(
    config: Arc<ClientConfig>,
    server_name: &str,
    client_random: [u8; 32],
    pms: [u8; 32],
    ephemeral: SigningKey,
) -> Result<ClientConnection, TlsError> {
    ClientConnection::with_fixed_randomness(config, server_name, client_random, pms, ephemeral)
}

/// One direction's record protection, as a connection runs it after ChangeCipherSpec.
pub struct RecordProtection(Protection);

impl RecordProtection {
    /// The protection keyed with one side's write MAC key, write key and write IV (the IV of
    /// [`CipherSuite`]'s length: n/2 bytes for CTR_OMAC, 8 for CNT_IMIT), at sequence number 0.
    pub fn new(
        suite: CipherSuite,
        mac_key: &[u8; 32],
        enc_key: &[u8; 32],
        iv: &[u8],
    ) -> Result<Self, TlsError> {
        if iv.len() != suite.iv_len() {
            return Err(TlsError::Handshake("write IV length"));
        }
        Ok(Self(Protection::new(suite, mac_key, enc_key, iv)?))
    }

    /// Makes `seq` the sequence number of the next record. CTR_OMAC only (a CNT_IMIT stream
    /// cannot skip records): `TlsError::SequenceLimit` otherwise, or past SNMAX.
    pub fn set_next_seq(&mut self, seq: u64) -> Result<(), TlsError> {
        self.0.set_next_seq(seq)
    }

    /// Protects one record's fragment of content type `ty`: the record body.
    pub fn seal(&mut self, ty: u8, fragment: &[u8]) -> Result<Vec<u8>, TlsError> {
        self.0.seal(ty, fragment)
    }

    /// Removes the protection of a record body; an altered record is `TlsError::BadRecordMac`.
    pub fn open(&mut self, ty: u8, body: &[u8]) -> Result<Zeroizing<Vec<u8>>, TlsError> {
        self.0.open(ty, body)
    }
}
