//! Content encryption of CMS messages: Kuznyechik and Magma CTR-ACPKM with and without OMAC
//! (R 1323565.1.025-2019, R 1323565.1.017-2018; RFC 8645 for ACPKM) and GOST 28147-89 CFB with
//! CryptoPro key meshing (RFC 4490 §5.1, RFC 4357 §2.3).
//!
//! Parameters: the ukm OCTET STRING holds the CTR IV (n/2 bits) followed, for the -omac
//! variants, by the 8-byte seed of KDF_TREE_GOSTR3411_2012_256(CEK, "kdf tree", seed, R=1),
//! whose 64 bytes give the encryption key (first 32) and the OMAC key (last 32); the OMAC is
//! over the plaintext. ACPKM sections: 256 KiB (Kuznyechik), 8 KiB (Magma).

use const_oid::ObjectIdentifier;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::error::{CmsError, Result};
use crate::cipher::acpkm::CtrAcpkm;
use crate::cipher::gost28147::{Gost28147, Gost28147Cfb, SBox};
use crate::cipher::modes::Omac;
use crate::cipher::{BlockCipher, Kuznyechik, Magma};
use crate::kdf::kdf_tree_gostr3411_2012_256;
use crate::oid;

/// A content-encryption algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentCipher {
    /// Kuznyechik CTR-ACPKM.
    KuznyechikCtrAcpkm,
    /// Kuznyechik CTR-ACPKM with OMAC (the default for new messages).
    KuznyechikCtrAcpkmOmac,
    /// Magma CTR-ACPKM.
    MagmaCtrAcpkm,
    /// Magma CTR-ACPKM with OMAC.
    MagmaCtrAcpkmOmac,
    /// GOST 28147-89 CFB with CryptoPro key meshing (legacy, RFC 4490).
    Gost28147Cfb,
}

impl ContentCipher {
    /// The algorithm's OID.
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            Self::KuznyechikCtrAcpkm => oid::KUZNYECHIK_CTR_ACPKM,
            Self::KuznyechikCtrAcpkmOmac => oid::KUZNYECHIK_CTR_ACPKM_OMAC,
            Self::MagmaCtrAcpkm => oid::MAGMA_CTR_ACPKM,
            Self::MagmaCtrAcpkmOmac => oid::MAGMA_CTR_ACPKM_OMAC,
            Self::Gost28147Cfb => oid::GOST28147_89,
        }
    }

    /// The algorithm an OID names.
    pub fn from_oid(o: &ObjectIdentifier) -> Result<Self> {
        [
            Self::KuznyechikCtrAcpkm,
            Self::KuznyechikCtrAcpkmOmac,
            Self::MagmaCtrAcpkm,
            Self::MagmaCtrAcpkmOmac,
            Self::Gost28147Cfb,
        ]
        .into_iter()
        .find(|c| c.oid() == *o)
        .ok_or(CmsError::UnsupportedAlgorithm(*o))
    }

    /// The name `CLI.md` gives it.
    pub fn from_cli_name(name: &str) -> Option<Self> {
        Some(match name {
            "kuznyechik" => Self::KuznyechikCtrAcpkmOmac,
            "kuznyechik-ctr-acpkm" => Self::KuznyechikCtrAcpkm,
            "magma" => Self::MagmaCtrAcpkmOmac,
            "magma-ctr-acpkm" => Self::MagmaCtrAcpkm,
            "gost89" => Self::Gost28147Cfb,
            _ => return None,
        })
    }

    /// True for the variants carrying a content MAC.
    pub fn has_mac(self) -> bool {
        matches!(self, Self::KuznyechikCtrAcpkmOmac | Self::MagmaCtrAcpkmOmac)
    }

    fn is_kuznyechik(self) -> bool {
        matches!(
            self,
            Self::KuznyechikCtrAcpkm | Self::KuznyechikCtrAcpkmOmac
        )
    }

    /// Length of the ukm parameter (IV, plus the KDF seed for the -omac variants... written for
    /// both variants, as the TC26 examples do), or of the IV for GOST 28147-89.
    pub fn ukm_len(self) -> usize {
        match self {
            Self::Gost28147Cfb => 8,
            c if c.is_kuznyechik() => 16,
            _ => 12,
        }
    }
}

/// Where the KeyTrans key export of this cipher is done: the KExp15 block cipher OID.
pub(crate) fn kexp15_oid(c: ContentCipher) -> ObjectIdentifier {
    if c.is_kuznyechik() {
        oid::KUZNYECHIK_KEXP15
    } else {
        oid::MAGMA_KEXP15
    }
}

/// The S-box a GOST 28147-89 parameter-set OID names.
pub fn sbox_of(o: &ObjectIdentifier) -> Result<SBox> {
    Ok(match *o {
        oid::GOST28147_CRYPTOPRO_A_PARAMSET => SBox::CryptoProA,
        oid::GOST28147_CRYPTOPRO_B_PARAMSET => SBox::CryptoProB,
        oid::GOST28147_CRYPTOPRO_C_PARAMSET => SBox::CryptoProC,
        oid::GOST28147_CRYPTOPRO_D_PARAMSET => SBox::CryptoProD,
        oid::GOST28147_TC26_Z_PARAMSET => SBox::Tc26Z,
        other => return Err(CmsError::UnsupportedAlgorithm(other)),
    })
}

/// A streaming content encryptor/decryptor (the MAC, when any, is over the plaintext).
pub struct ContentCrypt {
    inner: Inner,
    encrypt: bool,
}

#[allow(clippy::large_enum_variant)] // one per message, never moved in a loop
enum Inner {
    K(CtrAcpkm<Kuznyechik>, Option<Omac<Kuznyechik>>),
    M(CtrAcpkm<Magma>, Option<Omac<Magma>>),
    G(Box<Gost28147Cfb>),
}

/// The plaintext OMAC and the keystream bytes that encrypt it.
type MacPad = (Zeroizing<Vec<u8>>, Zeroizing<Vec<u8>>);

fn acpkm_keys(cek: &[u8], seed: &[u8], mac: bool) -> Result<(Zeroizing<[u8; 64]>, bool)> {
    let mut keys = Zeroizing::new([0u8; 64]);
    if mac {
        kdf_tree_gostr3411_2012_256(cek, b"kdf tree", seed, 1, &mut keys[..])?;
    } else {
        let cek = cek.get(..32).ok_or(CmsError::Invalid("CEK length"))?;
        keys.iter_mut().zip(cek).for_each(|(k, c)| *k = *c);
    }
    Ok((keys, mac))
}

fn start<C: BlockCipher>(
    cek: &[u8],
    ukm: &[u8],
    mac: bool,
    section: usize,
) -> Result<(CtrAcpkm<C>, Option<Omac<C>>)> {
    let iv_len = C::BLOCK_LEN / 2;
    let need = if mac { iv_len + 8 } else { iv_len };
    if ukm.len() < need {
        return Err(CmsError::Invalid("content ukm too short"));
    }
    let short = || CmsError::Invalid("content ukm too short");
    let (iv, seed) = (
        ukm.get(..iv_len).ok_or_else(short)?,
        ukm.get(iv_len..need).ok_or_else(short)?,
    );
    let (keys, mac) = acpkm_keys(cek, seed, mac)?;
    let (enc_key, mac_key) = keys.split_at(32);
    let ctr = CtrAcpkm::<C>::new(enc_key, iv, section)?;
    let omac = if mac {
        Some(Omac::<C>::new(mac_key)?)
    } else {
        None
    };
    Ok((ctr, omac))
}

impl ContentCrypt {
    /// Starts encryption (`encrypt`) or decryption of content with `cek` and the parameters
    /// `ukm` (for GOST 28147-89: the IV, with `sbox`).
    pub fn new(
        cipher: ContentCipher,
        cek: &[u8],
        ukm: &[u8],
        sbox: SBox,
        encrypt: bool,
    ) -> Result<Self> {
        let inner = match cipher {
            ContentCipher::KuznyechikCtrAcpkm | ContentCipher::KuznyechikCtrAcpkmOmac => {
                let (c, m) = start::<Kuznyechik>(cek, ukm, cipher.has_mac(), 256 * 1024)?;
                Inner::K(c, m)
            }
            ContentCipher::MagmaCtrAcpkm | ContentCipher::MagmaCtrAcpkmOmac => {
                let (c, m) = start::<Magma>(cek, ukm, cipher.has_mac(), 8 * 1024)?;
                Inner::M(c, m)
            }
            ContentCipher::Gost28147Cfb => {
                let g = Gost28147::with_sbox(cek, sbox)?;
                Inner::G(Box::new(Gost28147Cfb::new(&g, ukm, true)?))
            }
        };
        Ok(Self { inner, encrypt })
    }

    /// Processes the next piece of content in place.
    pub fn update(&mut self, data: &mut [u8]) -> Result<()> {
        match &mut self.inner {
            Inner::K(c, m) => {
                if self.encrypt
                    && let Some(m) = m
                {
                    m.update(data);
                }
                c.apply_keystream(data)?;
                if !self.encrypt
                    && let Some(m) = m
                {
                    m.update(data);
                }
            }
            Inner::M(c, m) => {
                if self.encrypt
                    && let Some(m) = m
                {
                    m.update(data);
                }
                c.apply_keystream(data)?;
                if !self.encrypt
                    && let Some(m) = m
                {
                    m.update(data);
                }
            }
            Inner::G(g) => {
                if self.encrypt {
                    g.encrypt(data)
                } else {
                    g.decrypt(data)
                }
            }
        }
        Ok(())
    }

    /// The OMAC of the plaintext and the next keystream bytes (for the -omac variants): the
    /// attribute carries the MAC encrypted with the keystream that follows the content, as
    /// gost-engine and the TC26 examples write it.
    fn mac_and_pad(self) -> Result<Option<MacPad>> {
        fn go<C: BlockCipher>(mut c: CtrAcpkm<C>, m: Omac<C>) -> Result<MacPad> {
            let tag = Zeroizing::new(m.finalize().as_ref().to_vec());
            let mut pad = Zeroizing::new(vec![0u8; tag.len()]);
            c.apply_keystream(&mut pad[..])?;
            Ok((tag, pad))
        }
        Ok(match self.inner {
            Inner::K(c, Some(m)) => Some(go(c, m)?),
            Inner::M(c, Some(m)) => Some(go(c, m)?),
            _ => None,
        })
    }

    /// The value of the content MAC attribute (for the -omac variants) after encryption.
    pub fn finish(self) -> Result<Option<Vec<u8>>> {
        Ok(self
            .mac_and_pad()?
            .map(|(tag, pad)| tag.iter().zip(pad.iter()).map(|(a, b)| a ^ b).collect()))
    }

    /// Checks the content MAC attribute in constant time after decryption.
    pub fn verify(self, mac: Option<&[u8]>) -> Result<()> {
        match (self.mac_and_pad()?, mac) {
            (None, _) => Ok(()),
            // An -omac cipher without its MAC is unauthenticated content, not a format quirk.
            (Some(_), None) => Err(CmsError::MacMismatch),
            (Some((tag, pad)), Some(theirs)) => {
                if theirs.len() != tag.len() {
                    return Err(CmsError::MacMismatch);
                }
                let got: Zeroizing<Vec<u8>> =
                    Zeroizing::new(theirs.iter().zip(pad.iter()).map(|(a, b)| a ^ b).collect());
                if bool::from(tag.as_slice().ct_eq(got.as_slice())) {
                    Ok(())
                } else {
                    Err(CmsError::MacMismatch)
                }
            }
        }
    }
}
