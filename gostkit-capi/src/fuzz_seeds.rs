//! The fuzz seeds of `cms_decrypt_stream` and `cms_verify_stream` (`fuzz/corpus/`) replayed
//! through the C ABI: `gostkit_cms_decrypt_stream` with read/write callbacks delivering the
//! input in the seeds' chunk plans, and the incremental verify and sign contexts — each
//! compared with the Rust API on the same input. (cargo-fuzz drives the Rust paths, in
//! `fuzz/bodies`; this crate is a cdylib/staticlib only, so its shim is exercised here, over
//! every seed and its truncations.)

use gostkit_fuzz_bodies::{ChunkReader, chunk_plan, enveloped_recipient, stream_signer};

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
fn c_decrypt_stream(data: &[u8]) {
    use crate::status::gostkit_status;
    use gk::cms::enveloped::{Recipient, decrypt_stream};
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

    let c_cert = Box::into_raw(Box::new(crate::x509::gostkit_cert::new(cert.clone())));
    let c_key = Box::into_raw(Box::new(crate::ec::gostkit_signing_key::new(
        gk::ec::SigningKey::from_bytes(key.param_set(), &key.to_bytes()).expect("fixed key"),
    )));
    let mut reader = ChunkReader::new(msg, &sizes);
    let mut c_plain: Vec<u8> = Vec::new();
    // SAFETY: live handles made just above (as `into_out` makes them); the callbacks get the
    // reader and the Vec they expect, both alive for the call.
    let st = unsafe {
        crate::cms::gostkit_cms_decrypt_stream(
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
        crate::x509::gostkit_cert_free(c_cert);
        crate::ec::gostkit_signing_key_free(c_key);
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

/// Detached-signature streaming: input = [`chunk_plan`], a flags byte, a 2-byte big-endian
/// length, that many bytes of SignedData, then the content. The content goes in chunks through
/// `SignedMessage::verify_reader` (which must agree with the one-shot `verify`) and the C ABI's
/// incremental verify context (with [`stream_signer`] as the only trusted root, at a fixed
/// time); a signer the C context accepts must verify in Rust too. With flag bit 0 the content is
/// also signed in chunks through the C sign context, and that signature must verify both ways.
fn c_verify_stream(data: &[u8]) {
    use crate::cms as c;
    use crate::status::gostkit_status;
    use gk::cms::signed::SignedMessage;
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
        let mut store = gk::x509::store::CertStore::new();
        store.add(cert.clone(), gk::x509::store::Role::TrustedRoot);
        let store = crate::x509::gostkit_store(store);
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
                crate::x509::gostkit_revocation::Off as u32,
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
        let c_cert = Box::into_raw(Box::new(crate::x509::gostkit_cert::new(cert.clone())));
        let c_key = Box::into_raw(Box::new(crate::ec::gostkit_signing_key::new(
            gk::ec::SigningKey::from_bytes(key.param_set(), &key.to_bytes()).expect("fixed key"),
        )));
        let mut ctx: *mut c::gostkit_cms_sign_ctx = core::ptr::null_mut();
        // SAFETY: live handles made just above; `ctx` writable.
        let st = unsafe {
            c::gostkit_cms_sign_ctx_new(c_cert, c_key, u32::from(flags >> 1) & 7, &mut ctx)
        };
        // SAFETY: the handles come from `Box::into_raw` above and are not used again (the
        // context keeps copies).
        unsafe {
            crate::x509::gostkit_cert_free(c_cert);
            crate::ec::gostkit_signing_key_free(c_key);
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

#[test]
fn c_streaming_paths_over_the_fuzz_seeds() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus");
    for (name, target) in [
        ("cms_decrypt_stream", c_decrypt_stream as fn(&[u8])),
        ("cms_verify_stream", c_verify_stream),
    ] {
        let dir = root.join(name);
        let mut seeds = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let data = std::fs::read(entry.unwrap().path()).unwrap();
            seeds += 1;
            target(&data);
            let step = (data.len() / 64).max(1);
            for cut in (0..data.len()).step_by(step) {
                target(&data[..cut]);
                let mut m = data.clone();
                m[cut] ^= 0x5a;
                target(&m);
            }
        }
        assert!(seeds > 0, "{name}: no seeds");
    }
}
