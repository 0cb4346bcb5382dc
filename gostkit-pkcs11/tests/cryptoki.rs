//! The built `libgostkit_pkcs11.so` loaded and driven by the `cryptoki` crate, as a Rust
//! application would use it. `cryptoki` names no GOST mechanism, so the TC26 ones (all in the
//! vendor range) go through its vendor-defined mechanism type; the non-vendor
//! `CKA_GOSTR3410_PARAMS` is passed as a raw attribute type. 256-bit key generation
//! (`CKM_GOSTR3410_KEY_PAIR_GEN`, not in the vendor range) is covered by `c_functions.rs`.

mod common;

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error, RvError};
use cryptoki::mechanism::vendor_defined::VendorDefinedMechanism;
use cryptoki::mechanism::{Mechanism, MechanismType};
use cryptoki::object::{Attribute, AttributeType, CertificateType, KeyType, ObjectClass};
use cryptoki::session::UserType;
use cryptoki::types::AuthPin;
use cryptoki_sys::CK_GOSTR3410_DERIVE_PARAMS;
use gk::asn1::GostPublicKey;
use gk::ec::{ParamSet, SigningKey, VerifyingKey, vko_2012_256};
use gk::hash::{Streebog256, Streebog512};
use gostkit_pkcs11::consts::*;

fn vendor(m: cryptoki_sys::CK_MECHANISM_TYPE) -> Mechanism<'static> {
    let t = MechanismType::new_vendor_defined(m).expect("a TC26 mechanism is vendor-defined");
    Mechanism::VendorDefined(VendorDefinedMechanism::new::<()>(t, None))
}

fn params(set: ParamSet) -> Attribute {
    Attribute::VendorDefined((
        AttributeType::VendorDefined(CKA_GOSTR3410_PARAMS),
        oid_der(set.oid()),
    ))
}

fn value(s: &cryptoki::session::Session, o: cryptoki::object::ObjectHandle) -> Option<Vec<u8>> {
    match s.get_attributes(o, &[AttributeType::Value]) {
        Ok(v) => v.into_iter().find_map(|a| match a {
            Attribute::Value(v) => Some(v),
            _ => None,
        }),
        Err(Error::Pkcs11(RvError::AttributeSensitive, _)) => None,
        Err(e) => panic!("C_GetAttributeValue: {e}"),
    }
}

#[test]
fn cryptoki_drives_the_cdylib() {
    let dir = common::scratch("cryptoki");
    // SAFETY: the only test of this executable; nothing else reads the environment meanwhile.
    unsafe { std::env::set_var("GOSTKIT_PKCS11_DIR", dir.join("store")) };
    let p = Pkcs11::new(common::module_path()).expect("load the module");
    p.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK))
        .unwrap();
    let info = p.get_library_info().unwrap();
    assert_eq!(info.manufacturer_id(), "gostkit");
    assert_eq!(
        (
            info.cryptoki_version().major(),
            info.cryptoki_version().minor()
        ),
        (2, 40)
    );
    let slot = p.get_slots_with_token().unwrap()[0];
    let so = AuthPin::new("so-pin-1".into());
    let user = AuthPin::new("user-pin-1".into());
    p.init_token(slot, &so, "cryptoki").unwrap();
    let ti = p.get_token_info(slot).unwrap();
    assert_eq!(ti.label(), "cryptoki");
    assert!(!ti.user_pin_initialized());

    let s = p.open_rw_session(slot).unwrap();
    s.login(UserType::So, Some(&so)).unwrap();
    s.init_pin(&user).unwrap();
    s.logout().unwrap();
    match s.login(UserType::User, Some(&AuthPin::new("wrong-pin".into()))) {
        Err(Error::Pkcs11(RvError::PinIncorrect, _)) => {}
        other => panic!("wrong PIN: {other:?}"),
    }
    s.login(UserType::User, Some(&user)).unwrap();
    assert!(p.get_token_info(slot).unwrap().user_pin_initialized());

    // a 512-bit key pair on the token
    let (hp, hk) = s
        .generate_key_pair(
            &vendor(CKM_GOSTR3410_512_KEY_PAIR_GEN),
            &[
                Attribute::Token(true),
                params(ParamSet::Tc26_512A),
                Attribute::Label(b"k512".to_vec()),
            ],
            &[
                Attribute::Token(true),
                Attribute::Private(true),
                Attribute::Sign(true),
                Attribute::Derive(true),
                Attribute::Label(b"k512".to_vec()),
            ],
        )
        .unwrap();
    let vk = VerifyingKey::from_bytes(ParamSet::Tc26_512A, &value(&s, hp).unwrap()).unwrap();
    let spki = s
        .get_attributes(hp, &[AttributeType::PublicKeyInfo])
        .unwrap()
        .into_iter()
        .find_map(|a| match a {
            Attribute::PublicKeyInfo(v) => Some(v),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        GostPublicKey::from_der(&spki).unwrap().to_der().unwrap(),
        GostPublicKey::from_verifying_key(&vk)
            .unwrap()
            .to_der()
            .unwrap()
    );
    assert!(
        value(&s, hk).is_none(),
        "the private value stays on the token"
    );

    let data = b"signed through cryptoki";
    let sig = s
        .sign(&vendor(CKM_GOSTR3410_WITH_GOSTR3411_12_512), hk, data)
        .unwrap();
    vk.verify(data, &sig).unwrap();
    s.verify(&vendor(CKM_GOSTR3410_WITH_GOSTR3411_12_512), hp, data, &sig)
        .unwrap();
    let digest = Streebog512::digest(data);
    let sig = s.sign(&vendor(CKM_GOSTR3410_512), hk, &digest).unwrap();
    vk.verify_digest(&digest, &sig).unwrap();
    assert_eq!(
        s.digest(&vendor(CKM_GOSTR3411_12_256), data).unwrap(),
        Streebog256::digest(data)
    );

    // a 256-bit private key imported by value, then signing with the TC26 hashing mechanism
    let sk = SigningKey::generate(ParamSet::Tc26_256A).unwrap();
    let imported = s
        .create_object(&[
            Attribute::Class(ObjectClass::PRIVATE_KEY),
            Attribute::KeyType(KeyType::GOSTR3410),
            params(ParamSet::Tc26_256A),
            Attribute::Value(sk.to_bytes().to_vec()),
            Attribute::Sign(true),
        ])
        .unwrap();
    let sig = s
        .sign(&vendor(CKM_GOSTR3410_WITH_GOSTR3411_12_256), imported, data)
        .unwrap();
    sk.verifying_key().verify(data, &sig).unwrap();

    // VKO with a peer's 512-bit key
    let peer = SigningKey::generate(ParamSet::Tc26_512A).unwrap();
    let mut peer_pub = peer.verifying_key().to_bytes();
    let mut ukm = *b"\x01\x02\x03\x04\x05\x06\x07\x08";
    let dp = CK_GOSTR3410_DERIVE_PARAMS {
        kdf: CKD_KDF_GOSTR3411_2012_256,
        pPublicData: peer_pub.as_mut_ptr(),
        ulPublicDataLen: peer_pub.len() as _,
        pUKM: ukm.as_mut_ptr(),
        ulUKMLen: 8,
    };
    let m = Mechanism::VendorDefined(VendorDefinedMechanism::new(
        MechanismType::new_vendor_defined(CKM_GOSTR3410_12_DERIVE).unwrap(),
        Some(&dp),
    ));
    let k = s
        .derive_key(
            &m,
            hk,
            &[
                Attribute::Class(ObjectClass::SECRET_KEY),
                Attribute::KeyType(KeyType::GENERIC_SECRET),
                Attribute::Sensitive(false),
                Attribute::Extractable(true),
            ],
        )
        .unwrap();
    assert_eq!(
        value(&s, k).unwrap(),
        vko_2012_256(&peer, &vk, &ukm).unwrap().to_vec()
    );

    // a certificate and a data object
    let name = gk::x509::name::parse_slash_dn("/CN=cryptoki test").unwrap();
    let cert =
        gk::x509::issue::self_signed(&name, &sk, &gk::x509::issue::IssueOptions::days(10)).unwrap();
    s.create_object(&[
        Attribute::Class(ObjectClass::CERTIFICATE),
        Attribute::CertificateType(CertificateType::X_509),
        Attribute::Token(true),
        Attribute::Value(cert.der().to_vec()),
        Attribute::Label(b"cert".to_vec()),
    ])
    .unwrap();
    let certs = s
        .find_objects(&[Attribute::Class(ObjectClass::CERTIFICATE)])
        .unwrap();
    assert_eq!(certs.len(), 1);
    let subject = s
        .get_attributes(certs[0], &[AttributeType::Subject])
        .unwrap();
    use der::Encode;
    assert_eq!(subject, [Attribute::Subject(name.to_der().unwrap())]);
    let d = s
        .create_object(&[
            Attribute::Class(ObjectClass::DATA),
            Attribute::Token(true),
            Attribute::Label(b"d".to_vec()),
            Attribute::Value(b"data".to_vec()),
        ])
        .unwrap();
    s.update_attributes(d, &[Attribute::Label(b"renamed".to_vec())])
        .unwrap();
    assert_eq!(
        s.find_objects(&[Attribute::Label(b"renamed".to_vec())])
            .unwrap(),
        [d]
    );
    s.destroy_object(d).unwrap();
    assert!(
        s.find_objects(&[Attribute::Label(b"renamed".to_vec())])
            .unwrap()
            .is_empty()
    );
    assert_eq!(s.generate_random_vec(32).unwrap().len(), 32);

    // sessions on other threads sign with the same key at once
    std::thread::scope(|sc| {
        for i in 0..3u8 {
            let (p, vk) = (&p, &vk);
            sc.spawn(move || {
                let s2 = p.open_ro_session(slot).unwrap();
                for j in 0..3u8 {
                    let msg = [i, j];
                    let sig = s2
                        .sign(&vendor(CKM_GOSTR3410_WITH_GOSTR3411_12_512), hk, &msg)
                        .unwrap();
                    vk.verify(&msg, &sig).unwrap();
                }
            });
        }
    });
    s.logout().unwrap();
    assert!(
        s.find_objects(&[Attribute::Class(ObjectClass::PRIVATE_KEY)])
            .unwrap()
            .is_empty(),
        "private keys hidden after logout"
    );
    drop(s);
    p.finalize().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
