//! Interop with OpenSC's `pkcs11-tool` (Debian `opensc`): token and PIN initialisation, key
//! generation on the GOST parameter sets pkcs11-tool knows, listing, signing with and without
//! hashing, certificates and data objects, PIN failures. Results are checked with gostkit
//! (signatures against the public key the listing prints) and with OpenSSL + gost-engine.
//!
//! Skips with a printed reason when pkcs11-tool (or, for the OpenSSL checks, gost-engine) is
//! missing; under `GOSTKIT_REQUIRE_PEER=1` that is a failure.

mod common;

use common::{OpenSsl, Tool, listed_public_keys};
use gk::asn1::GostPublicKey;
use gk::ec::{ParamSet, SignDigest, Signature, VerifyingKey};
use gk::hash::{Gost94, Streebog256, Streebog512};

const SO_PIN: &str = "87654321";
const PIN: &str = "12345678";

fn init(t: &Tool) {
    let out = t.ok(&["--init-token", "--label", "T", "--so-pin", SO_PIN]);
    assert!(out.contains("Token successfully initialized"), "{out}");
    let out = t.ok(&["--init-pin", "--login", "--so-pin", SO_PIN, "--pin", PIN]);
    assert!(out.contains("User PIN successfully initialized"), "{out}");
}

fn keygen(t: &Tool, key_type: &str, id: &str) -> String {
    t.ok(&[
        "--login",
        "--pin",
        PIN,
        "--keypairgen",
        "--key-type",
        key_type,
        "--id",
        id,
        "--label",
        key_type,
    ])
}

fn public_key(listing: &str, id: &str) -> VerifyingKey {
    let (_, params, value) = listed_public_keys(listing)
        .into_iter()
        .find(|k| k.0 == id)
        .unwrap_or_else(|| panic!("public key {id} not listed:\n{listing}"));
    let set = gostkit_pkcs11::mech::param_set_of(&hex::decode(&params).unwrap())
        .unwrap_or_else(|| panic!("unknown PARAMS OID {params}"));
    VerifyingKey::from_bytes(set, &value).expect("listed public key is a valid point")
}

fn sign(t: &Tool, mech: &str, id: &str, input: &[u8]) -> Vec<u8> {
    let (i, o) = (t.path("sign.in"), t.path("sign.out"));
    std::fs::write(&i, input).unwrap();
    let (i, o) = (i.to_str().unwrap(), o.to_str().unwrap());
    t.ok(&[
        "--login",
        "--pin",
        PIN,
        "--sign",
        "--mechanism",
        mech,
        "--id",
        id,
        "-i",
        i,
        "-o",
        o,
    ]);
    std::fs::read(o).unwrap()
}

fn token_verifies(t: &Tool, mech: &str, id: &str, input: &[u8], sig: &[u8]) -> bool {
    let (i, s) = (t.path("verify.in"), t.path("verify.sig"));
    std::fs::write(&i, input).unwrap();
    std::fs::write(&s, sig).unwrap();
    let out = t.ok(&[
        "--verify",
        "--mechanism",
        mech,
        "--id",
        id,
        "-i",
        i.to_str().unwrap(),
        "--signature-file",
        s.to_str().unwrap(),
    ]);
    out.contains("Signature is valid")
}

/// Every key type pkcs11-tool offers for GOST: generated on the token, listed, then signatures
/// without hashing (`GOSTR3410`, `GOSTR3410_512`) and with it (`…-WITH-GOSTR3411-12-256/512`,
/// and the 2001 `GOSTR3410-WITH-GOSTR3411` for the 2001 key) verified by gostkit, by the token
/// and, for the hashed ones, by OpenSSL + gost-engine.
#[test]
fn keypairgen_sign_verify_every_parameter_set() {
    let Some(t) = Tool::find("keys") else { return };
    init(&t);
    let openssl = OpenSsl::find(&t.dir);
    // (pkcs11-tool key type, ID, parameter set the token must report)
    let cases = [
        ("GOSTR3410-2012-256:A", "a1", ParamSet::Tc26_256A),
        ("GOSTR3410-2012-256:B", "b1", ParamSet::CryptoProA),
        ("GOSTR3410-2012-256:C", "c1", ParamSet::CryptoProB),
        ("GOSTR3410-2012-256:D", "d1", ParamSet::CryptoProC),
        ("GOSTR3410-2012-512:A", "a2", ParamSet::Tc26_512A),
        ("GOSTR3410-2012-512:B", "b2", ParamSet::Tc26_512B),
        ("GOSTR3410-2012-512:C", "c2", ParamSet::Tc26_512C),
        ("GOSTR3410-2001:A", "a0", ParamSet::CryptoProA),
    ];
    for (ty, id, _) in &cases {
        let out = keygen(&t, ty, id);
        assert!(out.contains("Key pair generated"), "{out}");
    }
    let listing = t.ok(&["--login", "--pin", PIN, "--list-objects"]);
    assert_eq!(
        listing.matches("Private Key Object; GOSTR3410").count(),
        cases.len(),
        "{listing}"
    );
    let data = b"message signed on the gostkit token".as_slice();
    std::fs::write(t.path("data.txt"), data).unwrap();
    for (ty, id, set) in cases {
        let vk = public_key(&listing, id);
        assert_eq!(vk.param_set(), set, "{ty}");
        let big = set.bits() == 512;
        let gost2001 = ty.contains("2001");
        // no hashing: the digest computed here, signed there
        let digest = if big {
            Streebog512::digest(data).to_vec()
        } else {
            Streebog256::digest(data).to_vec()
        };
        let raw = if big { "GOSTR3410_512" } else { "GOSTR3410" };
        let sig = sign(&t, raw, id, &digest);
        assert_eq!(sig.len(), set.bits() / 4, "{ty}");
        vk.verify_digest(&digest, &sig)
            .unwrap_or_else(|e| panic!("{ty} {raw}: {e}"));
        assert!(token_verifies(&t, raw, id, &digest, &sig), "{ty}");
        // hashing on the token
        let hashed = match (big, gost2001) {
            (true, _) => "GOSTR3410-WITH-GOSTR3411-12-512",
            (false, false) => "GOSTR3410-WITH-GOSTR3411-12-256",
            (false, true) => "GOSTR3410-WITH-GOSTR3411",
        };
        let sig = sign(&t, hashed, id, data);
        if gost2001 {
            vk.verify_digest(&Gost94::digest(data), &sig)
                .unwrap_or_else(|e| panic!("{ty} {hashed}: {e}"));
        } else {
            vk.verify(data, &sig)
                .unwrap_or_else(|e| panic!("{ty} {hashed}: {e}"));
        }
        assert!(token_verifies(&t, hashed, id, data, &sig), "{ty}");
        let mut bad = sig.clone();
        bad[0] ^= 1;
        assert!(vk.verify(data, &bad).is_err());
        if let (Some(o), false) = (&openssl, gost2001) {
            let pem = GostPublicKey::from_verifying_key(&vk)
                .unwrap()
                .to_pem()
                .unwrap();
            let (p, s) = (t.path("pub.pem"), t.path("sig.bin"));
            std::fs::write(&p, pem).unwrap();
            std::fs::write(&s, &sig).unwrap();
            let md = if big {
                "-md_gost12_512"
            } else {
                "-md_gost12_256"
            };
            let out = o
                .run(&[
                    "dgst",
                    md,
                    "-verify",
                    p.to_str().unwrap(),
                    "-signature",
                    s.to_str().unwrap(),
                    t.path("data.txt").to_str().unwrap(),
                ])
                .unwrap_or_else(|e| panic!("{ty}: {e}"));
            assert!(out.contains("Verified OK"), "{ty}: {out}");
        }
    }
    // private keys never leave the token in clear: their files are sealed
    check_store_files(&t);
}

/// Object files are 0600 in a 0700 directory; private objects (the private keys) do not show
/// their label in the file, public ones do.
fn check_store_files(t: &Tool) {
    use std::os::unix::fs::PermissionsExt;
    let dir = t.dir.join("store").join("token0");
    assert_eq!(
        std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
        0o700
    );
    let (mut sealed, mut clear) = (0, 0);
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        assert_eq!(
            std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600,
            "{}",
            p.display()
        );
        if p.extension().is_some_and(|x| x == "obj") {
            let b = std::fs::read(&p).unwrap();
            let shows_label = b.windows(10).any(|w| w == b"GOSTR3410-");
            if b[8] == 1 {
                sealed += 1;
                assert!(!shows_label, "private object in clear: {}", p.display());
            } else {
                clear += 1;
                assert!(shows_label, "public object: {}", p.display());
            }
        }
    }
    assert!(sealed >= 8 && clear >= 8, "sealed {sealed}, clear {clear}");
}

/// A key on the token that signs through pkcs11-tool (`GOSTR3410`, no hashing): lets gostkit
/// issue a certificate whose signature the token makes.
struct ToolKey<'a> {
    tool: &'a Tool,
    id: &'a str,
    public: VerifyingKey,
}

impl SignDigest for ToolKey<'_> {
    fn param_set(&self) -> ParamSet {
        self.public.param_set()
    }
    fn public_key(&self) -> &VerifyingKey {
        &self.public
    }
    fn sign_digest(&self, digest: &[u8]) -> Result<Signature, gk::ec::EcError> {
        Signature::from_slice(&sign(self.tool, "GOSTR3410", self.id, digest))
    }
}

/// A certificate signed by the token key (gostkit builds it, the token signs it), checked by
/// OpenSSL, written with `--write-object --type cert`, listed and read back byte for byte; a
/// data object written, read back and deleted.
#[test]
fn certificate_and_data_objects() {
    let Some(t) = Tool::find("cert") else { return };
    init(&t);
    keygen(&t, "GOSTR3410-2012-256:A", "01");
    let listing = t.ok(&["--list-objects"]);
    let key = ToolKey {
        tool: &t,
        id: "01",
        public: public_key(&listing, "01"),
    };
    let name = gk::x509::name::parse_slash_dn("/CN=gostkit token/O=gostkit").unwrap();
    let cert = gk::x509::issue::self_signed(
        &name,
        &key,
        &gk::x509::issue::IssueOptions::ca_days(30, None),
    )
    .expect("self-signed certificate signed on the token");
    cert.verify_signed_by(&key.public)
        .expect("gostkit verifies");
    let der = t.path("cert.der");
    std::fs::write(&der, cert.der()).unwrap();
    let der = der.to_str().unwrap();
    if let Some(o) = OpenSsl::find(&t.dir) {
        let pem = t.path("cert.pem");
        std::fs::write(&pem, cert.to_pem().unwrap()).unwrap();
        let pem = pem.to_str().unwrap();
        let out = o
            .run(&["verify", "-CAfile", pem, pem])
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(out.contains(": OK"), "{out}");
    }
    t.ok(&[
        "--login",
        "--pin",
        PIN,
        "--write-object",
        der,
        "--type",
        "cert",
        "--id",
        "01",
        "--label",
        "token cert",
    ]);
    let listing = t.ok(&["--list-objects", "--type", "cert"]);
    assert!(
        listing.contains("Certificate Object; type = X.509 cert"),
        "{listing}"
    );
    assert!(listing.contains("label:      token cert"), "{listing}");
    assert!(listing.contains("CN=gostkit token"), "{listing}");
    let back = t.path("back.der");
    t.ok(&[
        "--read-object",
        "--type",
        "cert",
        "--id",
        "01",
        "-o",
        back.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(&back).unwrap(), cert.der());

    let blob: Vec<u8> = (0..=255u8).collect();
    let bf = t.path("blob.bin");
    std::fs::write(&bf, &blob).unwrap();
    let bf = bf.to_str().unwrap();
    t.ok(&[
        "--login",
        "--pin",
        PIN,
        "--write-object",
        bf,
        "--type",
        "data",
        "--label",
        "d1",
    ]);
    let back = t.path("blob.back");
    let bb = back.to_str().unwrap();
    t.ok(&["--read-object", "--type", "data", "--label", "d1", "-o", bb]);
    assert_eq!(std::fs::read(&back).unwrap(), blob);
    t.ok(&[
        "--login",
        "--pin",
        PIN,
        "--delete-object",
        "--type",
        "data",
        "--label",
        "d1",
    ]);
    let out = t.fails(&["--read-object", "--type", "data", "--label", "d1", "-o", bb]);
    assert!(out.contains("object not found"), "{out}");
}

/// Wrong PINs count: CKR_PIN_INCORRECT nine times, CKR_PIN_LOCKED at the tenth and after, even
/// for the right PIN; the SO's `--init-pin` unlocks; `--change-pin` changes it.
#[test]
fn pin_failures_lock_and_unlock() {
    let Some(t) = Tool::find("pins") else { return };
    init(&t);
    let out = t.fails(&["--login", "--pin", "00000000", "--list-objects"]);
    assert!(out.contains("CKR_PIN_INCORRECT"), "{out}");
    for _ in 1..9 {
        t.fails(&["--login", "--pin", "00000000", "--list-objects"]);
    }
    let out = t.fails(&["--login", "--pin", "00000000", "--list-objects"]);
    assert!(out.contains("CKR_PIN_LOCKED"), "{out}");
    let out = t.fails(&["--login", "--pin", PIN, "--list-objects"]);
    assert!(out.contains("CKR_PIN_LOCKED"), "{out}");
    let info = t.ok(&["--list-token-slots"]);
    assert!(info.contains("user PIN locked"), "{info}");
    init_pin_again(&t);
    t.ok(&["--login", "--pin", PIN, "--list-objects"]);
    t.ok(&["--change-pin", "--pin", PIN, "--new-pin", "abcdefgh"]);
    let out = t.fails(&["--login", "--pin", PIN, "--list-objects"]);
    assert!(out.contains("CKR_PIN_INCORRECT"), "{out}");
    t.ok(&["--login", "--pin", "abcdefgh", "--list-objects"]);
    let out = t.fails(&[
        "--login",
        "--login-type",
        "so",
        "--so-pin",
        "11111111",
        "--session-rw",
        "-O",
    ]);
    assert!(out.contains("CKR_PIN_INCORRECT"), "{out}");
    // re-initialising needs the SO PIN and wipes the objects
    keygen_after_change(&t);
    let out = t.fails(&["--init-token", "--label", "T2", "--so-pin", "11111111"]);
    assert!(out.contains("CKR_PIN_INCORRECT"), "{out}");
    t.ok(&["--init-token", "--label", "T2", "--so-pin", SO_PIN]);
    let info = t.ok(&["--list-token-slots"]);
    assert!(info.contains("token label        : T2"), "{info}");
    let listing = t.ok(&["--list-objects"]);
    assert!(!listing.contains("Public Key Object"), "{listing}");
}

fn init_pin_again(t: &Tool) {
    t.ok(&["--init-pin", "--login", "--so-pin", SO_PIN, "--pin", PIN]);
}

fn keygen_after_change(t: &Tool) {
    let out = t.ok(&[
        "--login",
        "--pin",
        "abcdefgh",
        "--keypairgen",
        "--key-type",
        "GOSTR3410-2012-512:A",
        "--id",
        "05",
    ]);
    assert!(out.contains("Key pair generated"), "{out}");
}

/// `--list-mechanisms` shows the GOST mechanisms with their flags; `--hash` digests with
/// Streebog as gostkit does.
#[test]
fn mechanisms_and_digests() {
    let Some(t) = Tool::find("mechs") else { return };
    init(&t);
    let out = t.ok(&["--list-mechanisms"]);
    for m in [
        "GOSTR3410-KEY-PAIR-GEN",
        "GOSTR3410-512-KEY-PAIR-GEN",
        "GOSTR3410-WITH-GOSTR3411-12-256, keySize={256,256}, sign, verify",
        "GOSTR3410-WITH-GOSTR3411-12-512",
        "GOSTR3410-12-DERIVE",
        "GOSTR3411-12-256, digest",
        "GOSTR3411-12-512, digest",
    ] {
        assert!(out.contains(m), "{m} missing:\n{out}");
    }
    let data = b"abc".repeat(1000);
    let i = t.path("h.in");
    std::fs::write(&i, &data).unwrap();
    let o = t.path("h.out");
    for (mech, want) in [
        ("GOSTR3411-12-256", Streebog256::digest(&data).to_vec()),
        ("GOSTR3411-12-512", Streebog512::digest(&data).to_vec()),
    ] {
        t.ok(&[
            "--hash",
            "--mechanism",
            mech,
            "-i",
            i.to_str().unwrap(),
            "-o",
            o.to_str().unwrap(),
        ]);
        assert_eq!(std::fs::read(&o).unwrap(), want, "{mech}");
    }
    let out = t.ok(&["--generate-random", "32"]);
    let _ = out;
}
