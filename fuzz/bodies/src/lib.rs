//! The bodies of the fuzz targets in `fuzz/` (cargo-fuzz), kept in the library so that the seed
//! corpora also run as ordinary tests (`tests/fuzz_corpus.rs`). Each must return for any input
//! without panicking; a panic is a finding. Not part of the stable API.

use gostkit::asn1::{GostPrivateKey, GostPublicKey, pem};

/// SubjectPublicKeyInfo (PEM or DER): parse, check on the curve, and re-encode; what was
/// accepted once must be accepted again after re-encoding.
pub fn spki(data: &[u8]) {
    if let Ok(key) = GostPublicKey::decode(data) {
        let _ = key.to_verifying_key();
        if let Ok(der) = key.to_der() {
            assert!(
                GostPublicKey::from_der(&der).is_ok(),
                "re-encoded SPKI rejected"
            );
        }
    }
}

/// PKCS#8 private key (PEM or DER, every form gostkit reads): parse, unmask/check against the
/// curve, and re-encode.
pub fn pkcs8(data: &[u8]) {
    if let Ok(key) = GostPrivateKey::decode(data) {
        let _ = key.to_signing_key();
        if let Ok(der) = key.to_der() {
            assert!(
                GostPrivateKey::from_der(&der).is_ok(),
                "re-encoded PKCS#8 rejected"
            );
        }
    }
}

/// The tolerant PEM reader, under the labels gostkit reads.
pub fn pem(data: &[u8]) {
    for label in ["PRIVATE KEY", "PUBLIC KEY", "CERTIFICATE", "CMS"] {
        if let Ok(der) = pem::decode_any(data, label) {
            assert!(der.len() <= data.len(), "PEM decoding grew the input");
        }
    }
}

/// A fuzz target body.
pub type Target = fn(&[u8]);

/// Every target by name, for the corpus test.
pub const TARGETS: &[(&str, Target)] = &[
    ("spki", spki),
    ("pkcs8", pkcs8),
    ("pem", pem),
    ("cert", cert),
    ("csr", csr),
    ("crl", crl),
    ("ocsp_response", ocsp_response),
    ("cms_signed", cms_signed),
    ("cms_enveloped", cms_enveloped),
    ("pkcs8_encrypted", pkcs8_encrypted),
    ("pfx", pfx),
    ("ber", ber),
    ("cms_decrypt_stream", cms_decrypt_stream),
    ("cms_verify_stream", cms_verify_stream),
    ("path_validation", path_validation),
    ("cert_bundle", cert_bundle),
    ("crl_bundle", crl_bundle),
    ("kimp15", kimp15),
    ("cryptopro_unwrap", cryptopro_unwrap),
    ("tls_client", tls_client),
    ("tls_server", tls_server),
    ("cryptopro_key_bag", cryptopro_key_bag),
    ("cryptopro_container", cryptopro_container),
    ("tsp", tsp),
    ("cades_ltv", cades_ltv),
];

/// X.509 certificate (PEM or DER): parse, every accessor, the self-signature check.
pub fn cert(data: &[u8]) {
    use gostkit::x509::Certificate;
    if let Ok(c) = Certificate::decode(data) {
        let _ = gostkit::x509::name::to_rfc4514(c.subject());
        let _ = gostkit::x509::name::attributes(c.issuer());
        let _ = c.subject_ids();
        let _ = (
            c.key_usage_names(),
            c.ext_key_usage(),
            c.basic_constraints(),
        );
        let _ = (c.subject_key_id(), c.authority_key_id(), c.policies());
        let _ = (
            c.subject_sign_tool(),
            c.issuer_sign_tool(),
            c.identification_kind(),
        );
        let _ = c.crl_distribution_points();
        if let Ok(k) = c.verifying_key() {
            let _ = c.verify_signed_by(&k);
        }
    }
}

/// PKCS#10 request (PEM or DER): parse, requested extensions, signature check.
pub fn csr(data: &[u8]) {
    if let Ok(r) = gostkit::x509::csr::CertificationRequest::decode(data) {
        let _ = r.requested_extensions();
        let _ = r.verify();
    }
}

/// OCSPResponse (DER): parse, read every single response, verify against the certificates
/// it carries (as both subject and issuer), and re-parse its DER.
pub fn ocsp_response(data: &[u8]) {
    use gostkit::x509::ocsp::{OcspOptions, OcspResponse};
    if let Ok(r) = OcspResponse::from_der(data) {
        let _ = (r.status(), r.produced_at(), r.nonce_extension_value());
        assert!(r.responses().len() <= gostkit::x509::ocsp::MAX_SINGLE_RESPONSES);
        let time = r.produced_at().unwrap_or(std::time::SystemTime::UNIX_EPOCH);
        for c in r.certs() {
            let _ = r.verify(c, c, time, &OcspOptions::default());
        }
        assert!(
            OcspResponse::from_der(r.der()).is_ok(),
            "accepted OCSP response re-parses"
        );
    }
}

/// CRL (PEM or DER): parse, entries, extensions.
pub fn crl(data: &[u8]) {
    if let Ok(c) = gostkit::x509::crl::Crl::decode(data) {
        let _ = c.revocation(&[1]);
        let _ = c.unknown_critical_extension();
        let _ = (c.this_update(), c.next_update());
    }
}

/// CMS SignedData or DigestedData (DER, BER or PEM): parse and verify every signer against the
/// message's own certificates.
pub fn cms_signed(data: &[u8]) {
    if let Ok(m) = gostkit::cms::signed::SignedMessage::parse(data) {
        let _ = m.verify(None, &[]);
    }
    let _ = gostkit::cms::signed::verify_digested(data);
}

/// The fixed recipient of the `cms_enveloped` target: a tc26-256-A key with scalar 0x01..0x20
/// and a self-signed certificate for it (serial 1, fixed dates). Test data only.
pub fn enveloped_recipient() -> &'static (gostkit::x509::Certificate, gostkit::ec::SigningKey) {
    use std::sync::OnceLock;
    static R: OnceLock<(gostkit::x509::Certificate, gostkit::ec::SigningKey)> = OnceLock::new();
    R.get_or_init(|| {
        let d: Vec<u8> = (1..=32).collect();
        let key = gostkit::ec::SigningKey::from_bytes(gostkit::ec::ParamSet::Tc26_256A, &d)
            .expect("fixed fuzz key");
        let mut o = gostkit::x509::issue::IssueOptions::days(1);
        o.serial = Some(vec![1]);
        o.not_before = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_767_225_600);
        o.not_after = o.not_before + std::time::Duration::from_secs(86_400);
        let name = gostkit::x509::name::parse_slash_dn("/CN=gostkit fuzz recipient").expect("dn");
        let cert = gostkit::x509::issue::self_signed(&name, &key, &o).expect("fuzz certificate");
        (cert, key)
    })
}

/// CMS EnvelopedData / EncryptedData (DER, BER or PEM): parse and decrypt with the fixed
/// recipient of [`enveloped_recipient`] (or, for EncryptedData, a fixed all-7 key).
pub fn cms_enveloped(data: &[u8]) {
    use gostkit::cms::enveloped::{EnvelopedMessage, Recipient, decrypt_encrypted_data};
    let (cert, key) = enveloped_recipient();
    if let Ok(m) = EnvelopedMessage::parse(data) {
        let _ = m.decrypt(&[Recipient { cert, key }]);
    }
    let _ = decrypt_encrypted_data(data, &[7u8; 32]);
}

/// Encrypted PKCS#8 (PEM or DER): parse and decrypt with the password `fuzz` (seeds use one
/// PBKDF2 iteration so their mutations stay fast).
pub fn pkcs8_encrypted(data: &[u8]) {
    let _ = gostkit::asn1::pbes2::decrypt_pkcs8(data, b"fuzz");
}

/// PFX (DER): MAC check, bag parsing and key decryption with the password `fuzz` (seeds use one
/// iteration).
pub fn pfx(data: &[u8]) {
    let _ = gostkit::x509::pfx::import(data, b"fuzz");
}

/// The BER → DER normaliser alone: what it accepts becomes DER that it then takes as it is
/// (borrowed, unchanged), and the output is at most twice the input.
pub fn ber(data: &[u8]) {
    use gostkit::fuzzing::ber_to_der as to_der;
    use std::borrow::Cow;
    if let Ok(der) = to_der(data) {
        assert!(
            der.len() <= 2 * data.len(),
            "BER normalisation more than doubled"
        );
        match to_der(&der) {
            Ok(Cow::Borrowed(again)) => assert_eq!(again, &der[..], "DER changed"),
            Ok(Cow::Owned(_)) => panic!("normalised output is not DER"),
            Err(e) => panic!("normalised output rejected: {e}"),
        }
    }
}

/// Splits a fuzz input into a chunk plan and the rest: the first byte gives n (mod 8), the next
/// n bytes one chunk size each (1..=256, used in turn); no plan (n = 0) means one chunk.
pub fn chunk_plan(data: &[u8]) -> (Vec<usize>, &[u8]) {
    let Some((&n, rest)) = data.split_first() else {
        return (Vec::new(), data);
    };
    let n = usize::from(n % 8).min(rest.len());
    let sizes = rest[..n].iter().map(|&b| usize::from(b) + 1).collect();
    (sizes, &rest[n..])
}

/// A reader that hands out its data in the chunk sizes of a [`chunk_plan`].
pub struct ChunkReader<'a> {
    data: &'a [u8],
    sizes: Vec<usize>,
    next: usize,
}

impl<'a> ChunkReader<'a> {
    /// Reads `data` in pieces of `sizes` (in turn; all at once when empty).
    pub fn new(data: &'a [u8], sizes: &[usize]) -> Self {
        Self {
            data,
            sizes: sizes.to_vec(),
            next: 0,
        }
    }
}

impl std::io::Read for ChunkReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let want = if self.sizes.is_empty() {
            usize::MAX
        } else {
            self.sizes[self.next % self.sizes.len()]
        };
        self.next = self.next.wrapping_add(1);
        let n = want.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// Streaming EnvelopedData decryption with the fixed recipient of [`enveloped_recipient`]:
/// input = [`chunk_plan`] then the message, read in those chunks by
/// `cms::enveloped::decrypt_stream` into a `Vec`; when the one-shot decryption accepts the
/// message too, both give the same plaintext. (The C ABI's `gostkit_cms_decrypt_stream` replays these seeds
/// through its callbacks in `gostkit-capi`'s tests.)
pub fn cms_decrypt_stream(data: &[u8]) {
    use gostkit::cms::enveloped::{EnvelopedMessage, Recipient, decrypt_stream};
    let (sizes, msg) = chunk_plan(data);
    let (cert, key) = enveloped_recipient();
    let mut plain = Vec::new();
    let rust = decrypt_stream(
        &mut ChunkReader::new(msg, &sizes),
        &mut plain,
        &[Recipient { cert, key }],
        &[],
    );
    if let Ok(n) = rust {
        assert_eq!(n, plain.len() as u64, "decrypt_stream miscounted");
        if let Ok(whole) =
            EnvelopedMessage::parse(msg).and_then(|m| m.decrypt(&[Recipient { cert, key }]))
        {
            assert_eq!(whole, plain, "streamed and one-shot plaintexts differ");
        }
    }
}

/// The fixed signer of the `cms_verify_stream` target: a tc26-256-A key with scalar bytes 0x21..0x3f, 0x10 (little-endian)
/// and a self-signed certificate valid 2026-01-01 .. 2126-01-01. Test data only.
pub fn stream_signer() -> &'static (gostkit::x509::Certificate, gostkit::ec::SigningKey) {
    use std::sync::OnceLock;
    static S: OnceLock<(gostkit::x509::Certificate, gostkit::ec::SigningKey)> = OnceLock::new();
    S.get_or_init(|| {
        let d: Vec<u8> = (0x21..=0x3f).chain([0x10]).collect();
        let key = gostkit::ec::SigningKey::from_bytes(gostkit::ec::ParamSet::Tc26_256A, &d)
            .expect("fixed fuzz key");
        let mut o = gostkit::x509::issue::IssueOptions::days(1);
        o.serial = Some(vec![2]);
        o.not_before = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_767_225_600);
        o.not_after = o.not_before + std::time::Duration::from_secs(100 * 365 * 86_400);
        let name = gostkit::x509::name::parse_slash_dn("/CN=gostkit fuzz signer").expect("dn");
        let cert = gostkit::x509::issue::self_signed(&name, &key, &o).expect("fuzz certificate");
        (cert, key)
    })
}

/// A `cms_verify_stream` input split: (chunk sizes, flags, SignedData, content).
pub type VerifyStreamParts<'a> = (Vec<usize>, u8, &'a [u8], &'a [u8]);

/// Splits a `cms_verify_stream` input.
pub fn verify_stream_parts(data: &[u8]) -> Option<VerifyStreamParts<'_>> {
    let (sizes, rest) = chunk_plan(data);
    let (&flags, rest) = rest.split_first()?;
    if rest.len() < 2 {
        return None;
    }
    let sig_len = usize::from(u16::from_be_bytes([rest[0], rest[1]])).min(rest.len() - 2);
    let (sig, content) = rest[2..].split_at(sig_len);
    Some((sizes, flags, sig, content))
}

/// Detached-signature streaming: input = [`chunk_plan`], a flags byte, a 2-byte big-endian
/// length, that many bytes of SignedData, then the content. The content goes in chunks through
/// `SignedMessage::verify_reader`, which must agree with the one-shot `verify`. With flag bit 0
/// the content is also signed in chunks (`sign_detached_reader`, [`stream_signer`]) and that
/// signature must verify. (The C ABI's incremental verify and sign contexts replay these seeds
/// in `gostkit-capi`'s tests.)
pub fn cms_verify_stream(data: &[u8]) {
    use gostkit::cms::signed::{SignOptions, SignedMessage, Signer, sign_detached_reader};
    let Some((sizes, flags, sig, content)) = verify_stream_parts(data) else {
        return;
    };
    let (cert, key) = stream_signer();
    let extra = core::slice::from_ref(cert);
    if let Ok(m) = SignedMessage::parse(sig)
        && let Ok(reports) = m.verify_reader(&mut ChunkReader::new(content, &sizes), extra)
    {
        assert_eq!(reports.len(), m.signers.len(), "a signer went missing");
        if m.content.is_none() {
            let whole = m.verify(Some(content), extra);
            for (a, b) in reports.iter().zip(&whole) {
                assert_eq!(
                    a.result.is_ok(),
                    b.result.is_ok(),
                    "streamed and one-shot verification disagree"
                );
            }
        }
    }
    if flags & 1 == 1 {
        let opts = SignOptions::default();
        let out = sign_detached_reader(
            &mut ChunkReader::new(content, &sizes),
            &[Signer { cert, key }],
            &opts,
        )
        .expect("streamed detached signing");
        let m = SignedMessage::parse(&out).expect("own detached signature parses");
        let reports = m
            .verify_reader(&mut ChunkReader::new(content, &sizes), extra)
            .expect("own signature: verify_reader");
        assert!(
            reports.len() == 1 && reports[0].result.is_ok(),
            "own streamed signature rejected"
        );
    }
}

/// Path validation over a hostile store: input = a list of (role byte, 2-byte big-endian
/// length, certificate DER); roles 0 root, 1 intermediate, 2 other people, 3 the leaf (the last
/// leaf given; without one the last certificate). Validated at a fixed time within the default
/// budget of signature checks; a path found must start at the leaf, end at a root and fit the
/// depth limit.
pub fn path_validation(data: &[u8]) {
    use gostkit::x509::Certificate;
    use gostkit::x509::path::ValidationOptions;
    use gostkit::x509::store::{CertStore, Role};
    let mut store = CertStore::new();
    let mut leaf: Option<Certificate> = None;
    let mut last: Option<Certificate> = None;
    let mut rest = data;
    while rest.len() >= 3 {
        let role = rest[0] & 3;
        let len = usize::from(u16::from_be_bytes([rest[1], rest[2]])).min(rest.len() - 3);
        let (der, tail) = rest[3..].split_at(len);
        rest = tail;
        let Ok(c) = Certificate::from_der(der) else {
            continue;
        };
        match role {
            0 => store.add(c.clone(), Role::TrustedRoot),
            1 => store.add(c.clone(), Role::IntermediateCa),
            2 => store.add(c.clone(), Role::OtherPeople),
            _ => leaf = Some(c.clone()),
        }
        last = Some(c);
    }
    let Some(leaf) = leaf.or(last) else {
        return;
    };
    // 2026-06-01
    let opts = ValidationOptions::at(
        std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_780_272_000),
    );
    if let Ok(path) = store.validate(&leaf, &[], &opts) {
        assert_eq!(path.first(), Some(&leaf), "path does not start at the leaf");
        assert!(
            path.len() <= opts.max_depth,
            "path longer than the depth limit"
        );
        let roots = store.certs(Role::TrustedRoot);
        assert!(
            path.last().is_some_and(|a| roots.contains(a)),
            "path does not end at a trusted root"
        );
    }
}

/// PEM/DER certificate bundles through the store loader: every certificate counted is in the
/// store (identical ones once) and re-parses from its DER.
pub fn cert_bundle(data: &[u8]) {
    use gostkit::x509::Certificate;
    use gostkit::x509::store::{CertStore, Role};
    let mut store = CertStore::new();
    if let Ok(n) = store.load_bytes(data, Role::IntermediateCa) {
        assert!(n >= 1 || store.entries().is_empty());
        assert!(
            store.entries().len() <= n,
            "store holds more than was loaded"
        );
        for e in store.entries() {
            let again = Certificate::from_der(e.cert.der()).expect("loaded certificate re-parses");
            assert_eq!(&again, &e.cert);
        }
    }
}

/// PEM/DER CRL bundles: every CRL read re-parses from its DER and goes into a store.
pub fn crl_bundle(data: &[u8]) {
    use gostkit::x509::crl::Crl;
    if let Ok(crls) = Crl::decode_all(data) {
        let mut store = gostkit::x509::store::CertStore::new();
        for c in crls {
            let again = Crl::from_der(c.der()).expect("loaded CRL re-parses");
            assert_eq!(again.der(), c.der());
            let _ = (c.revocation(&[1]), c.unknown_critical_extension());
            store.add_crl(c);
        }
    }
}

/// The fixed keys of the `kimp15` target: K_mac = 0x00..0x1f, K_enc = 0x20..0x3f.
pub fn kimp15_keys() -> ([u8; 32], [u8; 32]) {
    let mut mac = [0u8; 32];
    let mut enc = [0u8; 32];
    for i in 0..32 {
        mac[i] = i as u8;
        enc[i] = 0x20 + i as u8;
    }
    (mac, enc)
}

/// Raw KImp15 with the fixed keys of [`kimp15_keys`]: input = selector byte (bit 0: Magma,
/// else Kuznyechik), the half-block IV, the export. A key imported must export back to the
/// same bytes.
pub fn kimp15(data: &[u8]) {
    use gostkit::cipher::kexp15::{kexp15, kimp15};
    use gostkit::cipher::{BlockCipher, Kuznyechik, Magma};
    fn run<C: BlockCipher>(rest: &[u8]) {
        let (k_mac, k_enc) = kimp15_keys();
        let half = C::BLOCK_LEN / 2;
        if rest.len() < half {
            let _ = kimp15::<C>(&[], &k_mac, &k_enc, rest);
            return;
        }
        let (iv, exported) = rest.split_at(half);
        if let Ok(key) = kimp15::<C>(exported, &k_mac, &k_enc, iv) {
            assert_eq!(key.len() + C::BLOCK_LEN, exported.len());
            let again = kexp15::<C>(&key, &k_mac, &k_enc, iv).expect("re-export");
            assert_eq!(again, exported, "KImp15 then KExp15 is not the identity");
        }
    }
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    if sel & 1 == 1 {
        run::<Magma>(rest);
    } else {
        run::<Kuznyechik>(rest);
    }
}

/// The fixed KEK of the `cryptopro_unwrap` target: 0x80..0x9f.
pub fn cryptopro_kek() -> [u8; 32] {
    let mut k = [0u8; 32];
    for (i, b) in k.iter_mut().enumerate() {
        *b = 0x80 + i as u8;
    }
    k
}

/// CryptoPro (RFC 4357 §6.4) and plain GOST 28147-89 (§6.2) key unwrap with the fixed KEK of
/// [`cryptopro_kek`]: input = S-box selector byte (mod 4: CryptoPro A..D), then
/// `UKM || ENC(CEK) || MAC`. A key unwrapped must wrap back to the same bytes.
pub fn cryptopro_unwrap(data: &[u8]) {
    use gostkit::cipher::gost28147::SBox;
    use gostkit::cipher::keywrap::{
        cryptopro_key_unwrap, cryptopro_key_wrap, gost28147_key_unwrap, gost28147_key_wrap,
    };
    let Some((&sel, wrapped)) = data.split_first() else {
        return;
    };
    let sbox = [
        SBox::CryptoProA,
        SBox::CryptoProB,
        SBox::CryptoProC,
        SBox::CryptoProD,
    ][usize::from(sel % 4)];
    let kek = cryptopro_kek();
    if let Ok(cek) = cryptopro_key_unwrap(&kek, sbox, wrapped) {
        let again = cryptopro_key_wrap(&kek, sbox, &wrapped[..8], &cek[..]).expect("re-wrap");
        assert_eq!(
            &again[..],
            wrapped,
            "CryptoPro unwrap then wrap is not the identity"
        );
    }
    if let Ok(cek) = gost28147_key_unwrap(&kek, sbox, wrapped) {
        let again = gost28147_key_wrap(&kek, sbox, &wrapped[..8], &cek[..]).expect("re-wrap");
        assert_eq!(
            &again[..],
            wrapped,
            "GOST 28147-89 unwrap then wrap is not the identity"
        );
    }
}

/// The fixed identity of the TLS targets: a tc26-256-A key with scalar 0x21..0x3F, 0 and a
/// self-signed certificate for `localhost` (serial 2, fixed dates). Test data only.
pub fn tls_identity() -> &'static (gostkit::x509::Certificate, gostkit::ec::SigningKey) {
    use std::sync::OnceLock;
    static R: OnceLock<(gostkit::x509::Certificate, gostkit::ec::SigningKey)> = OnceLock::new();
    R.get_or_init(|| {
        let d: Vec<u8> = (0x21..=0x3F).chain([0]).collect();
        let key = gostkit::ec::SigningKey::from_bytes(gostkit::ec::ParamSet::Tc26_256A, &d)
            .expect("fixed fuzz key");
        let mut o = gostkit::x509::issue::IssueOptions::ca_days(1, None);
        o.serial = Some(vec![2]);
        o.not_before = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_767_225_600);
        o.not_after = o.not_before + std::time::Duration::from_secs(86_400);
        let name = gostkit::x509::name::parse_slash_dn("/CN=localhost").expect("dn");
        let cert = gostkit::x509::issue::self_signed(&name, &key, &o).expect("fuzz certificate");
        (cert, key)
    })
}

/// The client configuration of the `tls_client` target: trusts [`tls_identity`], validates at
/// a time inside its validity.
pub fn tls_client_config() -> std::sync::Arc<gostkit::tls::ClientConfig> {
    let (cert, _) = tls_identity();
    let mut store = gostkit::x509::store::CertStore::new();
    store.add(cert.clone(), gostkit::x509::store::Role::TrustedRoot);
    let mut c = gostkit::tls::ClientConfig::new(store);
    c.time = Some(cert.not_before() + std::time::Duration::from_secs(3600));
    c.alpn = vec![b"http/1.1".to_vec()];
    std::sync::Arc::new(c)
}

/// The server configuration of the `tls_server` target: [`tls_identity`].
pub fn tls_server_config() -> std::sync::Arc<gostkit::tls::ServerConfig> {
    let (cert, key) = tls_identity();
    let key = gostkit::ec::SigningKey::from_bytes(key.param_set(), &key.to_bytes())
        .expect("fixed fuzz key");
    let mut s = gostkit::tls::ServerConfig::new(vec![cert.clone()], std::sync::Arc::new(key))
        .expect("fuzz server config");
    s.alpn = vec![b"http/1.1".to_vec()];
    std::sync::Arc::new(s)
}

/// Bytes from a TLS server, fed to a fresh client in the chunks of [`chunk_plan`]: record
/// framing, ServerHello/Certificate/CertificateRequest parsing, chain validation, the key
/// exchange, alerts. Never a panic; the buffers stay bounded.
pub fn tls_client(data: &[u8]) {
    let Ok(mut c) = gostkit::tls::ClientConnection::new(tls_client_config(), "localhost") else {
        return;
    };
    let mut out = Vec::new();
    c.write_tls(&mut out);
    let (sizes, data) = chunk_plan(data);
    let mut rest = data;
    let mut k = 0;
    while !rest.is_empty() {
        let want = sizes
            .get(k % sizes.len().max(1))
            .copied()
            .unwrap_or(rest.len())
            .max(1);
        k += 1;
        let n = c.read_tls(&rest[..want.min(rest.len())]);
        rest = &rest[n..];
        let r = c.process();
        let mut buf = [0u8; 4096];
        while c.recv(&mut buf) > 0 {}
        c.write_tls(&mut out);
        if r.is_err() || n == 0 {
            break;
        }
    }
}

/// Bytes from a TLS client, fed to a fresh server: ClientHello parsing and negotiation,
/// GostKeyTransport parsing and import, ChangeCipherSpec/Finished, alerts.
pub fn tls_server(data: &[u8]) {
    let mut s = gostkit::tls::ServerConnection::new(tls_server_config());
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let n = s.read_tls(rest);
        rest = &rest[n..];
        let r = s.process();
        let mut buf = [0u8; 4096];
        while s.recv(&mut buf) > 0 {}
        s.write_tls(&mut out);
        if r.is_err() || n == 0 {
            break;
        }
    }
}

/// The CryptoPro PFX key bag (PBE 1.2.840.113549.1.12.1.80, `x509::pfx::cryptopro`): input =
/// password length byte, password, EncryptedPrivateKeyInfo (DER); at most 2000 rounds (the
/// real sample's count; gostkit's seeds use one). A key read must be a key of its curve or be
/// refused by the curve check, and must re-encode.
pub fn cryptopro_key_bag(data: &[u8]) {
    use gostkit::x509::pfx::cryptopro::{decrypt_key_bag, is_cryptopro_key_bag};
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    let (password, epki) = rest.split_at(usize::from(n).min(rest.len()));
    let _ = is_cryptopro_key_bag(epki);
    if let Ok(key) = decrypt_key_bag(epki, password, 2000) {
        let _ = key.to_signing_key();
        let der = key.to_der().expect("a key read from a bag re-encodes");
        assert!(
            GostPrivateKey::from_der(&der).is_ok(),
            "re-encoded CryptoPro bag key rejected"
        );
    }
}

/// Splits a `cryptopro_container` input into the six files: `header.key`, `primary.key`,
/// `masks.key`, `primary2.key`, `masks2.key`, `name.key`, each as a 2-byte big-endian length
/// and that many bytes (cut short at the end of the input); an empty optional file is absent.
pub fn container_files(data: &[u8]) -> gostkit::container::ContainerFiles {
    use zeroize::Zeroizing;
    let mut rest = data;
    let mut next = || {
        if rest.len() < 2 {
            rest = &[];
            return Vec::new();
        }
        let len = usize::from(u16::from_be_bytes([rest[0], rest[1]])).min(rest.len() - 2);
        let (file, tail) = rest[2..].split_at(len);
        rest = tail;
        file.to_vec()
    };
    let header = next();
    let primary = Zeroizing::new(next());
    let masks = Zeroizing::new(next());
    let opt = |v: Vec<u8>| (!v.is_empty()).then_some(v);
    let primary2 = opt(next()).map(Zeroizing::new);
    let masks2 = opt(next()).map(Zeroizing::new);
    let name = opt(next());
    gostkit::container::ContainerFiles {
        header,
        primary,
        masks,
        primary2,
        masks2,
        name,
    }
}

/// The inverse of [`container_files`]: the input that holds these files.
pub fn container_input(files: &gostkit::container::ContainerFiles) -> Vec<u8> {
    let mut v = Vec::new();
    let parts: [&[u8]; 6] = [
        &files.header,
        &files.primary,
        &files.masks,
        files.primary2.as_deref().map_or(&[][..], |p| &p[..]),
        files.masks2.as_deref().map_or(&[][..], |p| &p[..]),
        files.name.as_deref().unwrap_or(&[]),
    ];
    for p in parts {
        v.extend_from_slice(&(p.len() as u16).to_be_bytes());
        v.extend_from_slice(p);
    }
    v
}

/// A fixed byte stream for the writer's masks and salts (Streebog-256 in counter mode).
pub struct FuzzRandom(pub u64);

impl gostkit::container::RandomSource for FuzzRandom {
    fn fill(&mut self, out: &mut [u8]) -> Result<(), gostkit::container::ContainerError> {
        for chunk in out.chunks_mut(32) {
            self.0 = self.0.wrapping_add(1);
            let block = gostkit::hash::Streebog256::digest(&self.0.to_le_bytes());
            chunk.copy_from_slice(&block[..chunk.len()]);
        }
        Ok(())
    }
}

/// CryptoPro CSP container files (see [`container_files`]): parse and check every file, re-encode
/// (a container accepted re-encodes to exactly the files read), unlock with the empty PIN, and
/// when that succeeds write the key into a new container that must unlock to the same key.
pub fn cryptopro_container(data: &[u8]) {
    use gostkit::container::{Container, ContainerWriter};
    let files = container_files(data);
    let Ok(c) = Container::from_files(&files) else {
        return;
    };
    let _ = (c.name(), c.fingerprint(), c.certificate(), c.has_pin());
    let again = c.to_files().expect("accepted container re-encodes");
    assert_eq!(again, files, "re-encoding changed the files");
    if let Ok(k) = c.unlock(b"") {
        let key = k.signing_key();
        let mut w = ContainerWriter::new(key, "fuzz").reserve_copy(false);
        if c.algorithm() == gostkit::container::ContainerAlgorithm::Gost2001 {
            w = w.gost2001();
        }
        let out = w
            .write(&mut FuzzRandom(1))
            .expect("rewrite an unlocked key");
        let back = Container::from_files(&out)
            .and_then(|c| c.unlock(b""))
            .expect("own container unlocks");
        assert_eq!(
            &back.signing_key().to_bytes()[..],
            &key.to_bytes()[..],
            "container round trip changed the key"
        );
    }
}

/// The fixed CA of the `tsp` target: a tc26-256-A key with scalar bytes 0x61..0x7f, 0x30
/// (little-endian), self-signed (serial 4), valid 2026-01-01 .. 2126-01-01. The seeds' tokens
/// carry a TSA certificate it signed in another run (signatures are randomised): a trust anchor
/// with the same name and key validates it. Test data only.
pub fn tsa_ca() -> &'static (gostkit::x509::Certificate, gostkit::ec::SigningKey) {
    use std::sync::OnceLock;
    static C: OnceLock<(gostkit::x509::Certificate, gostkit::ec::SigningKey)> = OnceLock::new();
    C.get_or_init(|| {
        let d: Vec<u8> = (0x61..=0x7f).chain([0x30]).collect();
        let key = gostkit::ec::SigningKey::from_bytes(gostkit::ec::ParamSet::Tc26_256A, &d)
            .expect("fixed fuzz key");
        let mut o = gostkit::x509::issue::IssueOptions::ca_days(1, Some(0));
        o.serial = Some(vec![4]);
        o.not_before = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_767_225_600);
        o.not_after = o.not_before + std::time::Duration::from_secs(100 * 365 * 86_400);
        let name = gostkit::x509::name::parse_slash_dn("/CN=gostkit fuzz TSA CA").expect("dn");
        let cert = gostkit::x509::issue::self_signed(&name, &key, &o).expect("fuzz certificate");
        (cert, key)
    })
}

/// The fixed TSA of the `tsp` target: a tc26-256-A key with scalar bytes 0x41..0x5f, 0x20
/// (little-endian) and a TSA certificate from [`tsa_ca`] (the RFC 3161 profile of
/// `tsa_issue_options`, serial 3, the CA's dates). Test data only.
pub fn tsa_identity() -> &'static (gostkit::x509::Certificate, gostkit::ec::SigningKey) {
    use std::sync::OnceLock;
    static T: OnceLock<(gostkit::x509::Certificate, gostkit::ec::SigningKey)> = OnceLock::new();
    T.get_or_init(|| {
        let (ca, ca_key) = tsa_ca();
        let d: Vec<u8> = (0x41..=0x5f).chain([0x20]).collect();
        let key = gostkit::ec::SigningKey::from_bytes(gostkit::ec::ParamSet::Tc26_256A, &d)
            .expect("fixed fuzz key");
        let mut o = gostkit::cms::tsp::tsa_issue_options(1).expect("TSA profile");
        o.serial = Some(vec![3]);
        o.not_before = ca.not_before();
        o.not_after = ca.not_after();
        let name = gostkit::x509::name::parse_slash_dn("/CN=gostkit fuzz TSA").expect("dn");
        let public = gostkit::asn1::GostPublicKey::from_verifying_key(key.verifying_key())
            .expect("public key");
        let cert = gostkit::x509::issue::issue(&name, &public, Some(ca), ca_key, &o)
            .expect("fuzz certificate");
        (cert, key)
    })
}

/// A store trusting [`tsa_ca`].
pub fn tsa_store() -> &'static gostkit::x509::store::CertStore {
    use gostkit::x509::store::{CertStore, Role};
    use std::sync::OnceLock;
    static S: OnceLock<CertStore> = OnceLock::new();
    S.get_or_init(|| {
        let mut s = CertStore::new();
        s.add(tsa_ca().0.clone(), Role::TrustedRoot);
        s
    })
}

/// The policy the `tsp` target's TSA answers under.
pub const TSP_POLICY: &str = "1.2.643.2.1.99.1";

/// The genTime of the `tsp` target's tokens: 2026-06-01T00:00:00.5Z.
pub fn tsp_time() -> std::time::SystemTime {
    std::time::UNIX_EPOCH + std::time::Duration::from_millis(1_780_272_000_500)
}

/// Time-stamps (RFC 3161) and CAdES-T: the input as a TimeStampResp (its token verified with
/// [`tsa_store`]), a bare token, a TSTInfo, a TimeStampReq, and a SignedData whose signature
/// time-stamps are verified. A request that parses must re-encode to itself, and the fixed TSA
/// must answer it with a response that parses — and, when granted, verifies as the answer to it.
pub fn tsp(data: &[u8]) {
    use gostkit::cms::signed::SignedMessage;
    use gostkit::cms::tsp::{
        TimeStampReq, TimeStampResp, TimeStampToken, TokenVerifyOptions, Tsa, TsaOptions, TstInfo,
    };
    let store = tsa_store();
    let opts = TokenVerifyOptions::default();
    if let Ok(r) = TimeStampResp::parse(data) {
        let granted = r.status.is_granted();
        if let Ok(t) = r.into_token() {
            assert!(granted, "a token from a refusal");
            let _ = t.verify_data(b"", store, &opts);
        }
    }
    if let Ok(t) = TimeStampToken::parse(data) {
        let _ = t.verify_digest(gostkit::hash::HashAlg::Streebog256, &[0; 32], store, &opts);
    }
    let _ = TstInfo::parse(data);
    if let Ok(req) = TimeStampReq::parse(data) {
        let again = TimeStampReq::parse(&req.to_der());
        assert_eq!(
            again.as_ref().ok(),
            Some(&req),
            "re-encoded request differs"
        );
        let (cert, key) = tsa_identity();
        let policy = gostkit::oid::ObjectIdentifier::new_unwrap(TSP_POLICY);
        let tsa = Tsa::new(cert, key, TsaOptions::new(policy)).expect("fuzz TSA");
        let resp = tsa
            .respond_to(&req, tsp_time(), Some(&[1]))
            .expect("TSA signs");
        let resp = TimeStampResp::parse(&resp).expect("the TSA's response parses");
        if resp.status.is_granted() {
            let token = resp.into_token().expect("the TSA's token parses");
            let extra = TokenVerifyOptions {
                extra: vec![cert.clone()],
                ..TokenVerifyOptions::default()
            };
            if let Err(e) = token.verify_request(&req, store, &extra) {
                panic!("the TSA's token does not verify: {e}");
            }
        }
    }
    if let Ok(m) = SignedMessage::parse(data) {
        let mut reports = m.verify(None, &[]);
        m.verify_time_stamps(&mut reports, store, &opts);
    }
}

/// CAdES-X Long Type 1 (SignedData, DER/BER/PEM): the long-term verification of every signer
/// (references and values read and matched, CAdES-C time-stamps, the chain at genTime with
/// the embedded revocation data) and each signer's CAdES-C time-stamp data.
pub fn cades_ltv(data: &[u8]) {
    use gostkit::cms::signed::SignedMessage;
    use gostkit::x509::path::RevocationPolicy;
    if let Ok(m) = SignedMessage::parse(data) {
        let reports = m.verify_cades_ltv(None, tsa_store(), RevocationPolicy::Required);
        assert_eq!(reports.len(), m.signers.len());
        for i in 0..m.signers.len() {
            let _ = gostkit::cms::tsp::esc_time_stamp_data(&m, i);
        }
    }
}
