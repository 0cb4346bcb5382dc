//! The PKCS #12 password-based key derivation (RFC 7292 Appendix B.2) and the one PKCS #12 PBE
//! scheme gostkit reads, pbeWithSHAAnd3-KeyTripleDES-CBC (RFC 7292 Appendix C): CryptoPro CSP
//! (and OpenSSL before 3.0) encrypt the certificate bags of a PFX with it. Nothing here writes.
//!
//! Written from the RFC text on the RustCrypto `des`, `cbc` and `sha1`/`sha2` crates.

use der::Sequence;
use der::asn1::OctetStringRef;
use zeroize::Zeroizing;

use super::super::error::{PfxBag, Result, X509Error};
use crate::asn1::pbes2::{self, AlgId};
use crate::oid;

/// The diversifier ID of RFC 7292 Appendix B.3.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// ID 1: key material for encryption or decryption.
    Key = 1,
    /// ID 2: an IV.
    Iv = 2,
    /// ID 3: a MAC key.
    Mac = 3,
}

/// The hash block size `v` of SHA-1 and SHA-256, the only hashes this KDF is used with.
const V: usize = 64;

/// The BMPString of a UTF-8 password with its terminating zero (RFC 7292 Appendix B.1). A
/// password that is not UTF-8 has none: refused (mapping it to an empty string would give every
/// such password the same key).
fn bmp_password(password: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let text = core::str::from_utf8(password)
        .map_err(|_| X509Error::Invalid("PFX password is not UTF-8"))?;
    let mut bmp = Zeroizing::new(Vec::with_capacity(2 * text.len() + 2));
    for u in text.encode_utf16().chain([0u16]) {
        bmp.extend_from_slice(&u.to_be_bytes());
    }
    Ok(bmp)
}

/// `src` repeated to the next multiple of `V` bytes (empty stays empty).
fn fill(src: &[u8]) -> Zeroizing<Vec<u8>> {
    if src.is_empty() {
        return Zeroizing::new(Vec::new());
    }
    let len = V * src.len().div_ceil(V);
    Zeroizing::new(src.iter().cycle().take(len).copied().collect())
}

/// RFC 7292 Appendix B.2: `n` bytes for `purpose` from the UTF-8 `password`, `salt` and
/// `iterations`, with hash `D` (SHA-1 or SHA-256: block size 64). The caller has checked the
/// iteration count against its cap.
pub(crate) fn derive<D: digest::Digest>(
    purpose: Purpose,
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    n: usize,
) -> Result<Zeroizing<Vec<u8>>> {
    let bmp = bmp_password(password)?;
    // I = S || P, each filled to a multiple of v.
    let mut i_buf = fill(salt);
    i_buf.extend_from_slice(&fill(&bmp));
    let d = [purpose as u8; V];
    let mut out = Zeroizing::new(Vec::with_capacity(n + 64));
    while out.len() < n {
        let mut h = D::new();
        h.update(d);
        h.update(&i_buf[..]);
        let mut a = Zeroizing::new(h.finalize().to_vec());
        for _ in 1..iterations {
            let next = Zeroizing::new(D::digest(&a[..]).to_vec());
            a = next;
        }
        out.extend_from_slice(&a);
        if out.len() >= n {
            break;
        }
        // B = A repeated to v bytes; every v-byte block I_j of I becomes (I_j + B + 1) mod 2^8v.
        let b: Zeroizing<Vec<u8>> = Zeroizing::new(a.iter().cycle().take(V).copied().collect());
        for block in i_buf.chunks_exact_mut(V) {
            let mut carry = 1u16;
            for (x, y) in block.iter_mut().rev().zip(b.iter().rev()) {
                let s = u16::from(*x) + u16::from(*y) + carry;
                *x = s as u8;
                carry = s >> 8;
            }
        }
    }
    out.truncate(n);
    Ok(out)
}

/// pkcs-12PbeParams (RFC 7292 Appendix C).
#[derive(Sequence)]
struct Pkcs12PbeParams<'a> {
    salt: &'a OctetStringRef,
    iterations: u32,
}

/// Decrypts an EncryptedData content under a PKCS #12 PBE AlgorithmIdentifier `alg`: only
/// pbeWithSHAAnd3-KeyTripleDES-CBC. A padding failure is [`X509Error::BagDecryption`].
pub(crate) fn decrypt(
    alg: &AlgId<'_>,
    ciphertext: &[u8],
    password: &[u8],
    max_iterations: u32,
) -> Result<Zeroizing<Vec<u8>>> {
    use cbc::cipher::block_padding::Pkcs7;
    use cbc::cipher::{BlockModeDecrypt, KeyIvInit};
    if alg.oid != oid::P12_PBE_SHA1_3DES {
        return Err(X509Error::Unsupported("PKCS #12 PBE scheme"));
    }
    let params: Pkcs12PbeParams<'_> = alg
        .params
        .ok_or(X509Error::Invalid("PKCS #12 PBE parameters missing"))?
        .decode_as()?;
    pbes2::check_iterations(params.iterations, max_iterations)?;
    let salt = params.salt.as_bytes();
    let key = derive::<sha1::Sha1>(Purpose::Key, password, salt, params.iterations, 24)?;
    let iv = derive::<sha1::Sha1>(Purpose::Iv, password, salt, params.iterations, 8)?;
    let mut plain = Zeroizing::new(ciphertext.to_vec());
    let len = cbc::Decryptor::<des::TdesEde3>::new_from_slices(&key, &iv)
        .map_err(|_| X509Error::Invalid("3DES key or IV length"))?
        .decrypt_padded::<Pkcs7>(&mut plain[..])
        .map_err(|_| X509Error::BagDecryption {
            bag: PfxBag::EncryptedContents,
            why: "3DES-CBC padding is invalid",
            mac_verified: false,
        })?
        .len();
    plain.truncate(len);
    Ok(plain)
}
