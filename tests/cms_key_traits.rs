//! CMS signs and decrypts with any key behind the key traits (issue 10): a key that is not a
//! `SigningKey` — here one that, like a token or a container, only answers "sign this digest" and
//! "run VKO with this peer", counting its uses — signs SignedData and decrypts EnvelopedData for
//! every content cipher, and the results are what a file key gives.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use gostkit::cms::content::ContentCipher;
use gostkit::cms::enveloped::{self, EnvelopedMessage, Recipient};
use gostkit::cms::signed::{self, SignOptions, SignedMessage, Signer};
use gostkit::ec::{
    AgreeKey, EcError, ParamSet, SignDigest, Signature, SigningKey, VerifyingKey, VkoAlg,
};
use zeroize::Zeroizing;

/// A key reachable only through the traits (the private half stays inside, as on a token).
struct Remote {
    inner: SigningKey,
    signs: AtomicUsize,
    agreements: AtomicUsize,
}

impl SignDigest for Remote {
    fn param_set(&self) -> ParamSet {
        SignDigest::param_set(&self.inner)
    }
    fn public_key(&self) -> &VerifyingKey {
        SignDigest::public_key(&self.inner)
    }
    fn sign_digest(&self, digest: &[u8]) -> Result<Signature, EcError> {
        self.signs.fetch_add(1, Ordering::Relaxed);
        SignDigest::sign_digest(&self.inner, digest)
    }
}

impl AgreeKey for Remote {
    fn param_set(&self) -> ParamSet {
        AgreeKey::param_set(&self.inner)
    }
    fn public_key(&self) -> &VerifyingKey {
        AgreeKey::public_key(&self.inner)
    }
    fn vko(
        &self,
        alg: VkoAlg,
        peer: &VerifyingKey,
        ukm: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, EcError> {
        self.agreements.fetch_add(1, Ordering::Relaxed);
        self.inner.vko(alg, peer, ukm)
    }
}

#[test]
fn a_trait_only_key_signs_and_decrypts() {
    let pki = common::pki::TestPki::new("/CN=Trait key/O=gostkit tests");
    let remote = Remote {
        inner: SigningKey::from_bytes(pki.leaf.key.param_set(), &pki.leaf.key.to_bytes()).unwrap(),
        signs: AtomicUsize::new(0),
        agreements: AtomicUsize::new(0),
    };
    let data = b"signed where the key lives".to_vec();
    let msg = signed::sign(
        &data,
        &[Signer {
            cert: &pki.leaf.cert,
            key: &remote,
        }],
        &SignOptions::default(),
    )
    .unwrap();
    assert_eq!(remote.signs.load(Ordering::Relaxed), 1);
    let m = SignedMessage::parse(&msg).unwrap();
    let reports = m.verify(None, &[]);
    assert!(
        reports.iter().all(|r| r.result.is_ok()),
        "{:?}",
        reports.iter().map(|r| &r.result).collect::<Vec<_>>()
    );

    for cipher in [
        ContentCipher::KuznyechikCtrAcpkmOmac,
        ContentCipher::MagmaCtrAcpkm,
        ContentCipher::Gost28147Cfb,
    ] {
        let env = enveloped::encrypt(&data, &[&pki.leaf.cert], cipher).unwrap();
        let before = remote.agreements.load(Ordering::Relaxed);
        let plain = EnvelopedMessage::parse(&env)
            .unwrap()
            .decrypt(&[Recipient {
                cert: &pki.leaf.cert,
                key: &remote,
            }])
            .unwrap();
        assert_eq!(plain, data, "{cipher:?}");
        assert!(
            remote.agreements.load(Ordering::Relaxed) > before,
            "{cipher:?}: VKO ran through the trait"
        );
    }
}
