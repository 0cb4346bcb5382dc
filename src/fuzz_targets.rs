//! The bodies of the fuzz targets in `fuzz/` (cargo-fuzz), kept in the library so that the seed
//! corpora also run as ordinary tests (`tests/fuzz_corpus.rs`). Each must return for any input
//! without panicking; a panic is a finding. Not part of the stable API.

use crate::asn1::{GostPrivateKey, GostPublicKey, pem};

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
];

/// X.509 certificate (PEM or DER): parse, every accessor, the self-signature check.
pub fn cert(data: &[u8]) {
    use crate::x509::Certificate;
    if let Ok(c) = Certificate::decode(data) {
        let _ = crate::x509::name::to_rfc4514(c.subject());
        let _ = crate::x509::name::attributes(c.issuer());
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
    if let Ok(r) = crate::x509::csr::CertificationRequest::decode(data) {
        let _ = r.requested_extensions();
        let _ = r.verify();
    }
}

/// CRL (PEM or DER): parse, entries, extensions.
pub fn crl(data: &[u8]) {
    if let Ok(c) = crate::x509::crl::Crl::decode(data) {
        let _ = c.revocation(&[1]);
        let _ = c.unknown_critical_extension();
        let _ = (c.this_update(), c.next_update());
    }
}

/// CMS SignedData or DigestedData (DER, BER or PEM): parse and verify every signer against the
/// message's own certificates.
pub fn cms_signed(data: &[u8]) {
    if let Ok(m) = crate::cms::signed::SignedMessage::parse(data) {
        let _ = m.verify(None, &[]);
    }
    let _ = crate::cms::signed::verify_digested(data);
}

/// The fixed recipient of the `cms_enveloped` target: a tc26-256-A key with scalar 0x01..0x20
/// and a self-signed certificate for it (serial 1, fixed dates). Test data only.
pub fn enveloped_recipient() -> &'static (crate::x509::Certificate, crate::ec::SigningKey) {
    use std::sync::OnceLock;
    static R: OnceLock<(crate::x509::Certificate, crate::ec::SigningKey)> = OnceLock::new();
    R.get_or_init(|| {
        let d: Vec<u8> = (1..=32).collect();
        let key = crate::ec::SigningKey::from_bytes(crate::ec::ParamSet::Tc26_256A, &d)
            .expect("fixed fuzz key");
        let mut o = crate::x509::issue::IssueOptions::days(1);
        o.serial = Some(vec![1]);
        o.not_before = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_767_225_600);
        o.not_after = o.not_before + std::time::Duration::from_secs(86_400);
        let name = crate::x509::name::parse_slash_dn("/CN=gostkit fuzz recipient").expect("dn");
        let cert = crate::x509::issue::self_signed(&name, &key, &o).expect("fuzz certificate");
        (cert, key)
    })
}

/// CMS EnvelopedData / EncryptedData (DER, BER or PEM): parse and decrypt with the fixed
/// recipient of [`enveloped_recipient`] (or, for EncryptedData, a fixed all-7 key).
pub fn cms_enveloped(data: &[u8]) {
    use crate::cms::enveloped::{EnvelopedMessage, Recipient, decrypt_encrypted_data};
    let (cert, key) = enveloped_recipient();
    if let Ok(m) = EnvelopedMessage::parse(data) {
        let _ = m.decrypt(&[Recipient { cert, key }]);
    }
    let _ = decrypt_encrypted_data(data, &[7u8; 32]);
}

/// Encrypted PKCS#8 (PEM or DER): parse and decrypt with the password `fuzz` (seeds use one
/// PBKDF2 iteration so their mutations stay fast).
pub fn pkcs8_encrypted(data: &[u8]) {
    let _ = crate::asn1::pbes2::decrypt_pkcs8(data, b"fuzz");
}

/// PFX (DER): MAC check, bag parsing and key decryption with the password `fuzz` (seeds use one
/// iteration).
pub fn pfx(data: &[u8]) {
    let _ = crate::x509::pfx::import(data, b"fuzz");
}

/// The BER → DER normaliser alone: what it accepts becomes DER that it then takes as it is
/// (borrowed, unchanged), and the output is at most twice the input.
pub fn ber(data: &[u8]) {
    use crate::cms::ber::to_der;
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

/// `gostkit_read_fn` over a [`ChunkReader`] passed as `ctx`.
unsafe extern "C" fn chunk_read_cb(ctx: *mut core::ffi::c_void, buf: *mut u8, len: usize) -> isize {
    // SAFETY: `ctx` is the `ChunkReader` the caller of the C function passed, alive and not
    // otherwise borrowed during the call; `buf` has `len` writable bytes (callback contract).
    let (r, buf) = unsafe {
        (
            &mut *ctx.cast::<ChunkReader<'_>>(),
            core::slice::from_raw_parts_mut(buf, len),
        )
    };
    std::io::Read::read(r, buf).map_or(-1, |n| n as isize)
}

/// `gostkit_write_fn` appending to a `Vec<u8>` passed as `ctx`.
unsafe extern "C" fn vec_write_cb(ctx: *mut core::ffi::c_void, buf: *const u8, len: usize) -> i32 {
    // SAFETY: `ctx` is the `Vec<u8>` the caller of the C function passed, alive and not
    // otherwise borrowed during the call; `buf` has `len` readable bytes (callback contract).
    let (v, buf) = unsafe {
        (
            &mut *ctx.cast::<Vec<u8>>(),
            core::slice::from_raw_parts(buf, len),
        )
    };
    v.extend_from_slice(buf);
    0
}

/// Streaming EnvelopedData decryption with the fixed recipient of [`enveloped_recipient`]:
/// input = [`chunk_plan`] then the message, read in those chunks, both through
/// `cms::enveloped::decrypt_stream` into a `Vec` and through the C ABI's
/// `gostkit_cms_decrypt_stream` with Rust callbacks; the two must agree.
pub fn cms_decrypt_stream(data: &[u8]) {
    use crate::cms::enveloped::{Recipient, decrypt_stream};
    use crate::ffi::status::gostkit_status;
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
    }

    let c_cert = Box::into_raw(Box::new(crate::ffi::x509::gostkit_cert(cert.clone())));
    let c_key = Box::into_raw(Box::new(crate::ffi::ec::gostkit_signing_key(
        crate::ec::SigningKey::from_bytes(key.param_set(), &key.to_bytes()).expect("fixed key"),
    )));
    let mut reader = ChunkReader::new(msg, &sizes);
    let mut c_plain: Vec<u8> = Vec::new();
    // SAFETY: live handles made just above (as `into_out` makes them); the callbacks get the
    // reader and the Vec they expect, both alive for the call.
    let st = unsafe {
        crate::ffi::cms::gostkit_cms_decrypt_stream(
            c_cert,
            c_key,
            Some(chunk_read_cb),
            (&raw mut reader).cast(),
            Some(vec_write_cb),
            (&raw mut c_plain).cast(),
        )
    };
    // SAFETY: the handles come from `Box::into_raw` above and are not used again.
    unsafe {
        crate::ffi::x509::gostkit_cert_free(c_cert);
        crate::ffi::ec::gostkit_signing_key_free(c_key);
    }
    assert_eq!(
        st == gostkit_status::Ok,
        rust.is_ok(),
        "C and Rust streaming decryption disagree: {st:?} vs {rust:?}"
    );
    if rust.is_ok() {
        assert_eq!(plain, c_plain, "C and Rust streaming plaintexts differ");
    }
}

/// The fixed signer of the `cms_verify_stream` target: a tc26-256-A key with scalar bytes 0x21..0x3f, 0x10 (little-endian)
/// and a self-signed certificate valid 2026-01-01 .. 2126-01-01. Test data only.
pub fn stream_signer() -> &'static (crate::x509::Certificate, crate::ec::SigningKey) {
    use std::sync::OnceLock;
    static S: OnceLock<(crate::x509::Certificate, crate::ec::SigningKey)> = OnceLock::new();
    S.get_or_init(|| {
        let d: Vec<u8> = (0x21..=0x3f).chain([0x10]).collect();
        let key = crate::ec::SigningKey::from_bytes(crate::ec::ParamSet::Tc26_256A, &d)
            .expect("fixed fuzz key");
        let mut o = crate::x509::issue::IssueOptions::days(1);
        o.serial = Some(vec![2]);
        o.not_before = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_767_225_600);
        o.not_after = o.not_before + std::time::Duration::from_secs(100 * 365 * 86_400);
        let name = crate::x509::name::parse_slash_dn("/CN=gostkit fuzz signer").expect("dn");
        let cert = crate::x509::issue::self_signed(&name, &key, &o).expect("fuzz certificate");
        (cert, key)
    })
}

/// Detached-signature streaming: input = [`chunk_plan`], a flags byte, a 2-byte big-endian
/// length, that many bytes of SignedData, then the content. The content goes in chunks through
/// `SignedMessage::verify_reader` (which must agree with the one-shot `verify`) and the C ABI's
/// incremental verify context (with [`stream_signer`] as the only trusted root, at a fixed
/// time); a signer the C context accepts must verify in Rust too. With flag bit 0 the content is
/// also signed in chunks through the C sign context, and that signature must verify both ways.
pub fn cms_verify_stream(data: &[u8]) {
    use crate::cms::signed::SignedMessage;
    use crate::ffi::cms as c;
    use crate::ffi::status::gostkit_status;
    let (sizes, rest) = chunk_plan(data);
    let Some((&flags, rest)) = rest.split_first() else {
        return;
    };
    if rest.len() < 2 {
        return;
    }
    let sig_len = usize::from(u16::from_be_bytes([rest[0], rest[1]])).min(rest.len() - 2);
    let (sig, content) = rest[2..].split_at(sig_len);
    let (cert, key) = stream_signer();
    // 2026-06-01, inside the signer's validity.
    const AT: i64 = 1_780_272_000;

    let c_verify = |sig: &[u8]| -> Option<(gostkit_status, Vec<u32>)> {
        let mut store = crate::x509::store::CertStore::new();
        store.add(cert.clone(), crate::x509::store::Role::TrustedRoot);
        let store = crate::ffi::x509::gostkit_store(store);
        let mut ctx: *mut c::gostkit_cms_verify_ctx = core::ptr::null_mut();
        // SAFETY: `sig` is a live slice; `ctx` is writable.
        if unsafe { c::gostkit_cms_verify_ctx_new(sig.as_ptr(), sig.len(), &mut ctx) }
            != gostkit_status::Ok
        {
            return None;
        }
        let mut r = ChunkReader::new(content, &sizes);
        let mut buf = [0u8; 512];
        loop {
            let n = std::io::Read::read(&mut r, &mut buf).expect("in-memory read");
            if n == 0 {
                break;
            }
            // SAFETY: `ctx` is live; `buf[..n]` readable.
            let st = unsafe { c::gostkit_cms_verify_ctx_update(ctx, buf.as_ptr(), n) };
            assert_eq!(st, gostkit_status::Ok, "verify_ctx_update failed");
        }
        let mut statuses = vec![0u32; 64];
        let mut n = statuses.len();
        // SAFETY: `ctx` live; `store` alive for the call and only read; `statuses` holds `n`.
        let st = unsafe {
            c::gostkit_cms_verify_ctx_finish(
                ctx,
                &store,
                AT,
                crate::ffi::x509::gostkit_revocation::Off as u32,
                statuses.as_mut_ptr(),
                &mut n,
            )
        };
        // SAFETY: `ctx` came from `gostkit_cms_verify_ctx_new` and is not used again.
        unsafe { c::gostkit_cms_verify_ctx_free(ctx) };
        statuses.truncate(n.min(64));
        Some((st, statuses))
    };

    let parsed = SignedMessage::parse(sig);
    let c_result = c_verify(sig);
    if let Ok(m) = &parsed {
        // the C context gets the store's certificates as extra ones: so does Rust
        let extra = core::slice::from_ref(cert);
        let streamed = m.verify_reader(&mut ChunkReader::new(content, &sizes), extra);
        if let Ok(reports) = &streamed {
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
            if let Some((_, statuses)) = &c_result
                && statuses.len() == reports.len()
            {
                for (st, r) in statuses.iter().zip(reports) {
                    if *st == gostkit_status::Ok as u32 {
                        assert!(r.result.is_ok(), "C accepted a signer Rust rejects");
                    }
                }
            }
        }
    }

    if flags & 1 == 1 {
        let c_cert = Box::into_raw(Box::new(crate::ffi::x509::gostkit_cert(cert.clone())));
        let c_key = Box::into_raw(Box::new(crate::ffi::ec::gostkit_signing_key(
            crate::ec::SigningKey::from_bytes(key.param_set(), &key.to_bytes()).expect("fixed key"),
        )));
        let mut ctx: *mut c::gostkit_cms_sign_ctx = core::ptr::null_mut();
        // SAFETY: live handles made just above; `ctx` writable.
        let st = unsafe {
            c::gostkit_cms_sign_ctx_new(c_cert, c_key, u32::from(flags >> 1) & 7, &mut ctx)
        };
        // SAFETY: the handles come from `Box::into_raw` above and are not used again (the
        // context keeps copies).
        unsafe {
            crate::ffi::x509::gostkit_cert_free(c_cert);
            crate::ffi::ec::gostkit_signing_key_free(c_key);
        }
        assert_eq!(st, gostkit_status::Ok, "sign_ctx_new refused valid flags");
        for piece in content.chunks(sizes.first().copied().unwrap_or(usize::MAX).max(1)) {
            // SAFETY: `ctx` live; `piece` readable.
            let st = unsafe { c::gostkit_cms_sign_ctx_update(ctx, piece.as_ptr(), piece.len()) };
            assert_eq!(st, gostkit_status::Ok, "sign_ctx_update failed");
        }
        let mut len = 0usize;
        // SAFETY: `ctx` live; a size query with a NULL buffer.
        let st = unsafe { c::gostkit_cms_sign_ctx_finish(ctx, core::ptr::null_mut(), &mut len) };
        assert_eq!(st, gostkit_status::BufferTooSmall, "size query");
        let mut out = vec![0u8; len];
        // SAFETY: `ctx` live; `out` holds `len` writable bytes.
        let st = unsafe { c::gostkit_cms_sign_ctx_finish(ctx, out.as_mut_ptr(), &mut len) };
        // SAFETY: `ctx` came from `gostkit_cms_sign_ctx_new` and is not used again.
        unsafe { c::gostkit_cms_sign_ctx_free(ctx) };
        assert_eq!(st, gostkit_status::Ok, "sign_ctx_finish failed");
        out.truncate(len);
        let m = SignedMessage::parse(&out).expect("own detached signature parses");
        let extra = if flags & 8 != 0 {
            vec![cert.clone()]
        } else {
            Vec::new()
        };
        let reports = m
            .verify_reader(&mut ChunkReader::new(content, &sizes), &extra)
            .expect("own signature: verify_reader");
        assert_eq!(reports.len(), 1);
        assert!(reports[0].result.is_ok(), "own streamed signature rejected");
        if flags & 8 == 0 {
            // the certificate is in the message: the C context validates it to the root
            let (st, statuses) = c_verify(&out).expect("own signature: verify_ctx_new");
            assert_eq!(
                st,
                gostkit_status::Ok,
                "own signature rejected by the C context"
            );
            assert_eq!(statuses, vec![gostkit_status::Ok as u32]);
        }
    }
}

/// Path validation over a hostile store: input = a list of (role byte, 2-byte big-endian
/// length, certificate DER); roles 0 root, 1 intermediate, 2 other people, 3 the leaf (the last
/// leaf given; without one the last certificate). Validated at a fixed time within the default
/// budget of signature checks; a path found must start at the leaf, end at a root and fit the
/// depth limit.
pub fn path_validation(data: &[u8]) {
    use crate::x509::Certificate;
    use crate::x509::path::ValidationOptions;
    use crate::x509::store::{CertStore, Role};
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
    use crate::x509::Certificate;
    use crate::x509::store::{CertStore, Role};
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
    use crate::x509::crl::Crl;
    if let Ok(crls) = Crl::decode_all(data) {
        let mut store = crate::x509::store::CertStore::new();
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
    use crate::cipher::kexp15::{kexp15, kimp15};
    use crate::cipher::{BlockCipher, Kuznyechik, Magma};
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
    use crate::cipher::gost28147::SBox;
    use crate::cipher::keywrap::{
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
