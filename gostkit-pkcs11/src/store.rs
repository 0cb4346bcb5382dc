//! The on-disk token store.
//!
//! # Layout
//! The store root is `$GOSTKIT_PKCS11_DIR`, else `$XDG_DATA_HOME/gostkit/pkcs11`, else
//! `$HOME/.local/share/gostkit/pkcs11`. Each initialised token is one directory
//! `token<N>` in it, `N` being its slot ID; slot IDs are those directories plus one free slot
//! (the smallest unused `N`) for `C_InitToken`. A token directory holds `token.meta` (label,
//! serial, wrapped keys, PIN failure counters) and one `<16 hex>.obj` file per token object.
//! Directories are created 0700, files 0600, each file written to a temporary name and renamed.
//! Integers are little-endian; `CK_ULONG` attribute values are in the machine's order (a store
//! moves between machines of one architecture).
//!
//! # Several processes
//! Processes may share a store. `token.meta` is only changed under an exclusive advisory lock
//! on the token directory's `.lock` file (`flock`, [`lock_dir`]), re-read from disk first: PIN
//! failure counters, PIN changes and re-initialisation made by one process are seen by the next
//! login of every other one, so the 10-try limit holds across processes and no process writes
//! back a stale PIN wrap. A new token is created under the same lock on the store root. Object
//! files have random names and are each written atomically, so objects created by several
//! processes do not clash; objects another process creates are seen at the next `C_Initialize`.
//!
//! # Keys
//! `C_InitToken` draws a 32-byte token key. It is kept wrapped twice in `token.meta`, under the
//! SO PIN and (after `C_InitPIN`) under the user PIN, each with PBES2 (PBKDF2-HMAC-Streebog-512,
//! [`PIN_ITERATIONS`] iterations, random salt; Kuznyechik CTR-ACPKM — `gostkit::asn1::pbes2`).
//! A PIN is checked by unwrapping and then opening a Kuznyechik-MGM tag made with the token
//! key (the `check` record): a wrong PIN gives a wrong key and a failed tag. Private objects
//! (`CKA_PRIVATE = TRUE`) are sealed with Kuznyechik-MGM under the token key (random nonce,
//! 16-byte tag, the file name as associated data), so they are readable only after a user
//! login; public objects are stored in clear. Changing a PIN rewraps the token key only.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use gk::asn1::pbes2::{self, KeyCipher};
use gk::cipher::mgm::{mgm_open, mgm_seal};
use gk::cipher::{BlockCipher, Kuznyechik};
use zeroize::Zeroizing;

use crate::boundary::P11Result;
use cryptoki_sys::{CK_SLOT_ID, CKR_DEVICE_ERROR, CKR_GENERAL_ERROR};

/// PBKDF2 iterations for the PIN wraps (gostkit's PBES2 default).
pub const PIN_ITERATIONS: u32 = pbes2::DEFAULT_ITERATIONS;
/// Environment variable naming the store root.
pub const DIR_ENV: &str = "GOSTKIT_PKCS11_DIR";

const META_MAGIC: &[u8; 8] = b"GKP11TK1";
const OBJ_MAGIC: &[u8; 8] = b"GKP11OB1";
const CHECK_AAD: &[u8] = b"gostkit-pkcs11 token key check";
const TAG_LEN: usize = 16;
const NONCE_LEN: usize = 16;

/// The 32-byte token key.
pub type TokenKey = Zeroizing<[u8; 32]>;

/// The store root: `$GOSTKIT_PKCS11_DIR`, `$XDG_DATA_HOME/gostkit/pkcs11` or
/// `$HOME/.local/share/gostkit/pkcs11`.
pub fn root() -> Option<PathBuf> {
    let nonempty = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    if let Some(d) = nonempty(DIR_ENV) {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = nonempty("XDG_DATA_HOME") {
        return Some(PathBuf::from(d).join("gostkit").join("pkcs11"));
    }
    nonempty("HOME").map(|h| PathBuf::from(h).join(".local/share/gostkit/pkcs11"))
}

/// The directory of slot `id`'s token.
pub fn token_dir(root: &Path, id: CK_SLOT_ID) -> PathBuf {
    root.join(format!("token{id}"))
}

/// The slot IDs of the initialised tokens under `root` (a missing root has none).
pub fn scan(root: &Path) -> Vec<CK_SLOT_ID> {
    let Ok(rd) = fs::read_dir(root) else {
        return Vec::new();
    };
    let mut ids: Vec<CK_SLOT_ID> = rd
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let id = name.strip_prefix("token")?.parse::<CK_SLOT_ID>().ok()?;
            e.path().join("token.meta").is_file().then_some(id)
        })
        .collect();
    ids.sort_unstable();
    ids
}

/// A key wrapped under a PIN: the PBES2 AlgorithmIdentifier (DER) and the ciphertext.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wrapped {
    /// PBES2 AlgorithmIdentifier, DER.
    pub alg: Vec<u8>,
    /// The wrapped key.
    pub ct: Vec<u8>,
}

/// `token.meta`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meta {
    /// `CK_TOKEN_INFO.label`, blank padded.
    pub label: [u8; 32],
    /// `CK_TOKEN_INFO.serialNumber`, 16 hex digits.
    pub serial: [u8; 16],
    /// The token key under the SO PIN.
    pub so: Wrapped,
    /// The token key under the user PIN, once `C_InitPIN` ran.
    pub user: Option<Wrapped>,
    /// nonce || tag || ciphertext: the MGM check of the token key.
    pub check: Vec<u8>,
    /// Consecutive wrong SO PINs.
    pub so_fails: u32,
    /// Consecutive wrong user PINs.
    pub user_fails: u32,
}

fn put(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(&(b.len() as u32).to_le_bytes());
    out.extend_from_slice(b);
}

fn get<'a>(b: &mut &'a [u8]) -> Option<&'a [u8]> {
    let (h, rest) = b.split_first_chunk::<4>()?;
    let n = usize::try_from(u32::from_le_bytes(*h)).ok()?;
    if rest.len() < n {
        return None;
    }
    let (v, rest) = rest.split_at(n);
    *b = rest;
    Some(v)
}

impl Meta {
    /// The file encoding: magic, then length-prefixed fields.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = META_MAGIC.to_vec();
        put(&mut out, &self.label);
        put(&mut out, &self.serial);
        put(&mut out, &self.so.alg);
        put(&mut out, &self.so.ct);
        match &self.user {
            Some(u) => {
                put(&mut out, &[1]);
                put(&mut out, &u.alg);
                put(&mut out, &u.ct);
            }
            None => put(&mut out, &[0]),
        }
        put(&mut out, &self.check);
        put(&mut out, &self.so_fails.to_le_bytes());
        put(&mut out, &self.user_fails.to_le_bytes());
        out
    }

    /// Reads [`to_bytes`](Self::to_bytes).
    pub fn from_bytes(b: &[u8]) -> Option<Self> {
        let mut b = b.strip_prefix(META_MAGIC.as_slice())?;
        let label = get(&mut b)?.try_into().ok()?;
        let serial = get(&mut b)?.try_into().ok()?;
        let so = Wrapped {
            alg: get(&mut b)?.to_vec(),
            ct: get(&mut b)?.to_vec(),
        };
        let user = match get(&mut b)? {
            [1] => Some(Wrapped {
                alg: get(&mut b)?.to_vec(),
                ct: get(&mut b)?.to_vec(),
            }),
            [0] => None,
            _ => return None,
        };
        let check = get(&mut b)?.to_vec();
        let so_fails = u32::from_le_bytes(get(&mut b)?.try_into().ok()?);
        let user_fails = u32::from_le_bytes(get(&mut b)?.try_into().ok()?);
        b.is_empty().then_some(Self {
            label,
            serial,
            so,
            user,
            check,
            so_fails,
            user_fails,
        })
    }
}

/// Fills `out` from the operating system's random source.
pub fn random(out: &mut [u8]) -> P11Result {
    getrandom::fill(out).map_err(|_| CKR_GENERAL_ERROR)
}

/// A fresh token key.
pub fn new_token_key() -> P11Result<TokenKey> {
    let mut k = Zeroizing::new([0u8; 32]);
    random(&mut k[..])?;
    Ok(k)
}

/// Wraps the token key under `pin`.
pub fn wrap(key: &TokenKey, pin: &[u8]) -> P11Result<Wrapped> {
    let (alg, ct) = pbes2::encrypt_with(&key[..], pin, KeyCipher::Kuznyechik, PIN_ITERATIONS)
        .map_err(|_| CKR_GENERAL_ERROR)?;
    Ok(Wrapped { alg, ct })
}

/// Unwraps the token key with `pin` and checks it against `check`; `None` for a wrong PIN.
pub fn unwrap(w: &Wrapped, pin: &[u8], check: &[u8]) -> Option<TokenKey> {
    let plain = pbes2::decrypt_with_cap(&w.alg, &w.ct, pin, PIN_ITERATIONS).ok()?;
    let key: [u8; 32] = plain.as_slice().try_into().ok()?;
    let key = Zeroizing::new(key);
    open(&key, CHECK_AAD, check).map(|_| key)
}

/// The check record of a token key.
pub fn make_check(key: &TokenKey) -> P11Result<Vec<u8>> {
    seal(key, CHECK_AAD, &[0u8; 16])
}

/// Kuznyechik-MGM: nonce || tag || ciphertext of `plain` with associated data `aad`.
pub fn seal(key: &TokenKey, aad: &[u8], plain: &[u8]) -> P11Result<Vec<u8>> {
    let c = Kuznyechik::new(&key[..]).map_err(|_| CKR_GENERAL_ERROR)?;
    let mut nonce = [0u8; NONCE_LEN];
    random(&mut nonce)?;
    nonce[0] &= 0x7f;
    let mut data = plain.to_vec();
    let tag = mgm_seal(&c, &nonce, aad, &mut data, TAG_LEN).map_err(|_| CKR_GENERAL_ERROR)?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&tag);
    out.extend_from_slice(&data);
    Ok(out)
}

/// Opens [`seal`]; `None` if the tag does not verify.
pub fn open(key: &TokenKey, aad: &[u8], blob: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let c = Kuznyechik::new(&key[..]).ok()?;
    if blob.len() < NONCE_LEN + TAG_LEN {
        return None;
    }
    let (nonce, rest) = blob.split_at(NONCE_LEN);
    let (tag, ct) = rest.split_at(TAG_LEN);
    let mut data = Zeroizing::new(ct.to_vec());
    mgm_open(&c, nonce, aad, &mut data, tag).ok()?;
    Some(data)
}

/// The associated data sealing a private object (its file name).
pub fn object_aad(file_id: &str) -> Vec<u8> {
    let mut aad = b"gostkit-pkcs11 object ".to_vec();
    aad.extend_from_slice(file_id.as_bytes());
    aad
}

/// A fresh object file name (16 hex digits).
pub fn new_file_id() -> P11Result<String> {
    let mut b = [0u8; 8];
    random(&mut b)?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

/// One stored object file: public (clear attributes) or private (sealed).
pub enum Stored {
    /// Clear attribute encoding.
    Public(Vec<u8>),
    /// [`seal`]ed attribute encoding.
    Private(Vec<u8>),
}

/// The file encoding of an object.
pub fn object_bytes(s: &Stored) -> Vec<u8> {
    let mut out = OBJ_MAGIC.to_vec();
    match s {
        Stored::Public(b) => {
            out.push(0);
            out.extend_from_slice(b);
        }
        Stored::Private(b) => {
            out.push(1);
            out.extend_from_slice(b);
        }
    }
    out
}

/// Reads [`object_bytes`].
pub fn parse_object(b: &[u8]) -> Option<Stored> {
    let b = b.strip_prefix(OBJ_MAGIC.as_slice())?;
    match b.split_first()? {
        (0, rest) => Some(Stored::Public(rest.to_vec())),
        (1, rest) => Some(Stored::Private(rest.to_vec())),
        _ => None,
    }
}

/// Creates a directory (and parents) with mode 0700.
pub fn create_dir(dir: &Path) -> P11Result {
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir).map_err(|_| CKR_DEVICE_ERROR)
}

/// Writes `bytes` to `path` atomically (temporary file, fsync, rename), mode 0600.
pub fn write_file(path: &Path, bytes: &[u8]) -> P11Result {
    let tmp = path.with_extension("tmp");
    let mut o = fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = o.open(&tmp).map_err(|_| CKR_DEVICE_ERROR)?;
    f.write_all(bytes).map_err(|_| CKR_DEVICE_ERROR)?;
    f.sync_all().map_err(|_| CKR_DEVICE_ERROR)?;
    drop(f);
    fs::rename(&tmp, path).map_err(|_| CKR_DEVICE_ERROR)
}

/// An exclusive advisory lock (`flock`) on a directory's `.lock` file, released on drop.
pub struct DirLock {
    _file: fs::File,
}

/// Takes the exclusive lock of `dir` (creating `.lock`, 0600), waiting while another process
/// holds it: every holder only reads and writes a few small files.
pub fn lock_dir(dir: &Path) -> P11Result<DirLock> {
    let mut o = fs::OpenOptions::new();
    o.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let file = o.open(dir.join(".lock")).map_err(|_| CKR_DEVICE_ERROR)?;
    file.lock().map_err(|_| CKR_DEVICE_ERROR)?;
    Ok(DirLock { _file: file })
}

/// Reads `token.meta` of a token directory.
pub fn read_meta(dir: &Path) -> Option<Meta> {
    Meta::from_bytes(&fs::read(dir.join("token.meta")).ok()?)
}

/// Writes `token.meta`.
pub fn write_meta(dir: &Path, m: &Meta) -> P11Result {
    write_file(&dir.join("token.meta"), &m.to_bytes())
}

/// The object files of a token: (file id, contents); unreadable or foreign files are skipped.
pub fn read_objects(dir: &Path) -> Vec<(String, Stored)> {
    let Ok(rd) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<(String, Stored)> = rd
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let id = name.strip_suffix(".obj")?.to_string();
            if id.len() != 16 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            let s = parse_object(&fs::read(e.path()).ok()?)?;
            Some((id, s))
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

/// Writes an object file.
pub fn write_object(dir: &Path, file_id: &str, s: &Stored) -> P11Result {
    write_file(&dir.join(format!("{file_id}.obj")), &object_bytes(s))
}

/// Removes an object file (a missing one is fine).
pub fn remove_object(dir: &Path, file_id: &str) -> P11Result {
    match fs::remove_file(dir.join(format!("{file_id}.obj"))) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(_) => Err(CKR_DEVICE_ERROR),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_round_trip_and_pin_check() {
        let key = new_token_key().unwrap();
        let so = wrap(&key, b"so-pin").unwrap();
        let m = Meta {
            label: [b' '; 32],
            serial: *b"0123456789abcdef",
            so: so.clone(),
            user: None,
            check: make_check(&key).unwrap(),
            so_fails: 1,
            user_fails: 2,
        };
        let back = Meta::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(back, m);
        assert!(Meta::from_bytes(&m.to_bytes()[..20]).is_none());
        let k2 = unwrap(&so, b"so-pin", &m.check).unwrap();
        assert_eq!(*k2, *key);
        assert!(unwrap(&so, b"wrong", &m.check).is_none());
    }

    #[test]
    fn sealing() {
        let key = new_token_key().unwrap();
        let blob = seal(&key, b"aad", b"secret").unwrap();
        assert_eq!(open(&key, b"aad", &blob).unwrap().as_slice(), b"secret");
        assert!(open(&key, b"other", &blob).is_none());
        let mut bad = blob.clone();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert!(open(&key, b"aad", &bad).is_none());
    }
}
