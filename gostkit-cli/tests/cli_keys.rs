//! `gostkit genkey | pubkey | sign | verify` (CLI.md): every curve name, the exit codes and error
//! tokens, and interoperability with OpenSSL + gost-engine in both directions (skipped with a
//! printed reason when the peer is absent).

#[path = "../../tests/common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::peer::Peer;

const CURVES: &[&str] = &[
    "tc26-256-a",
    "tc26-256-b",
    "tc26-256-c",
    "tc26-256-d",
    "tc26-512-a",
    "tc26-512-b",
    "tc26-512-c",
    "cryptopro-a",
    "cryptopro-b",
    "cryptopro-c",
    "cryptopro-xcha",
    "cryptopro-xchb",
    "1.2.643.7.1.2.1.2.3",
];

fn gostkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gostkit"))
        .args(args)
        .output()
        .expect("run gostkit")
}

fn ok(args: &[&str]) {
    let out = gostkit(args);
    assert!(
        out.status.success(),
        "gostkit {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs gostkit expecting failure with `code` and an `error: TOKEN:` line.
fn fails(args: &[&str], code: i32, token: &str) {
    let out = gostkit(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "gostkit {args:?}: {err}");
    assert!(
        err.lines()
            .any(|l| l.starts_with(&format!("error: {token}: "))),
        "gostkit {args:?}: expected `error: {token}:`, got {err}"
    );
}

fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gostkit-cli-keys-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn s(p: &std::path::Path) -> String {
    p.to_string_lossy().into_owned()
}

#[test]
fn every_curve_round_trips_and_tampering_fails() {
    let d = scratch("rt");
    let data = d.join("data");
    std::fs::write(&data, b"statement of settlements with the budget").unwrap();
    let (key, public, sig) = (d.join("k.pem"), d.join("p.pem"), d.join("sig"));
    for curve in CURVES {
        ok(&["genkey", "--curve", curve, "--out", &s(&key)]);
        let pem = std::fs::read_to_string(&key).unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"), "{curve}");
        ok(&["pubkey", "--key", &s(&key), "--out", &s(&public)]);
        ok(&[
            "sign",
            "--key",
            &s(&key),
            "--in",
            &s(&data),
            "--out",
            &s(&sig),
        ]);
        let expected = if curve.contains("512") || curve.ends_with(".2.3") {
            128
        } else {
            64
        };
        assert_eq!(std::fs::read(&sig).unwrap().len(), expected, "{curve}");
        ok(&[
            "verify",
            "--pub",
            &s(&public),
            "--sig",
            &s(&sig),
            "--in",
            &s(&data),
        ]);

        // A flipped bit in the signature, or other data, is a failed check (exit 1).
        let mut bad = std::fs::read(&sig).unwrap();
        bad[5] ^= 1;
        let bad_sig = d.join("bad");
        std::fs::write(&bad_sig, &bad).unwrap();
        fails(
            &[
                "verify",
                "--pub",
                &s(&public),
                "--sig",
                &s(&bad_sig),
                "--in",
                &s(&data),
            ],
            1,
            "bad-signature",
        );
        let other = d.join("other");
        std::fs::write(&other, b"statement of settlements with the budget!").unwrap();
        fails(
            &[
                "verify",
                "--pub",
                &s(&public),
                "--sig",
                &s(&sig),
                "--in",
                &s(&other),
            ],
            1,
            "bad-signature",
        );
        // Wrong length → bad-signature, exit 1.
        std::fs::write(&bad_sig, &bad[..10]).unwrap();
        fails(
            &[
                "verify",
                "--pub",
                &s(&public),
                "--sig",
                &s(&bad_sig),
                "--in",
                &s(&data),
            ],
            1,
            "bad-signature",
        );
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn usage_and_input_errors() {
    let d = scratch("err");
    fails(&["genkey", "--curve", "no-such-curve"], 2, "unsupported");
    fails(&["genkey"], 2, "usage");
    fails(
        &["genkey", "--curve", "tc26-256-a", "--bogus", "x"],
        2,
        "usage",
    );
    // --pass-env names a variable that is not set.
    fails(
        &[
            "genkey",
            "--curve",
            "tc26-256-a",
            "--pass-env",
            "GOSTKIT_TEST_UNSET_VAR",
        ],
        2,
        "usage",
    );
    let junk = d.join("junk.pem");
    std::fs::write(
        &junk,
        b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    fails(&["pubkey", "--key", &s(&junk)], 2, "malformed");
    fails(&["pubkey", "--key", &s(&d.join("missing.pem"))], 2, "io");
    fails(&["verify", "--sig", &s(&junk)], 2, "usage");
    let _ = std::fs::remove_dir_all(&d);
}

/// (peer key type, paramset, digest option, gostkit curve of the same OID)
const PEER_SETS: &[(&str, &str, &str)] = &[
    ("gost2012_256", "A", "-md_gost12_256"),
    ("gost2012_256", "XA", "-md_gost12_256"),
    ("gost2012_256", "TCA", "-md_gost12_256"),
    ("gost2012_256", "TCD", "-md_gost12_256"),
    ("gost2012_512", "A", "-md_gost12_512"),
    ("gost2012_512", "C", "-md_gost12_512"),
];

#[test]
fn interop_with_openssl_gost_engine() {
    let peer = match Peer::find("cli-keys") {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: CLI key interop with OpenSSL gost-engine: {why}");
            return;
        }
    };
    let data = peer.path("data");
    std::fs::write(&data, vec![0x5au8; 100_000]).unwrap();
    for (alg, set, md) in PEER_SETS {
        let (pk, pubp, sig) = (peer.path("pk.pem"), peer.path("pub.pem"), peer.path("sig"));
        // Peer key → gostkit signs → peer verifies.
        peer.openssl(&[
            "genpkey",
            "-algorithm",
            alg,
            "-pkeyopt",
            &format!("paramset:{set}"),
            "-out",
            &pk,
        ])
        .unwrap();
        peer.openssl(&["pkey", "-in", &pk, "-pubout", "-out", &pubp])
            .unwrap();
        ok(&["sign", "--key", &pk, "--in", &data, "--out", &sig]);
        peer.openssl(&["dgst", md, "-verify", &pubp, "-signature", &sig, &data])
            .unwrap_or_else(|e| panic!("{alg} {set}: peer rejects gostkit's signature: {e}"));
        // Peer signs → gostkit verifies, with the peer's SubjectPublicKeyInfo and with gostkit's.
        let psig = peer.path("psig");
        peer.openssl(&["dgst", md, "-sign", &pk, "-out", &psig, &data])
            .unwrap();
        ok(&["verify", "--pub", &pubp, "--sig", &psig, "--in", &data]);
        let gpub = peer.path("gpub.pem");
        ok(&["pubkey", "--key", &pk, "--out", &gpub]);
        ok(&["verify", "--pub", &gpub, "--sig", &psig, "--in", &data]);
        // The public key can also come from a certificate the peer issues for that key.
        let cert = peer.path("cert.pem");
        peer.openssl(&[
            "req",
            "-x509",
            "-new",
            "-key",
            &pk,
            "-subj",
            "/CN=gostkit test",
            md,
            "-days",
            "1",
            "-out",
            &cert,
        ])
        .unwrap();
        ok(&["verify", "--cert", &cert, "--sig", &psig, "--in", &data]);
        // gostkit's SPKI is read by the peer and verifies the peer's signature there too.
        peer.openssl(&["dgst", md, "-verify", &gpub, "-signature", &psig, &data])
            .unwrap_or_else(|e| panic!("{alg} {set}: peer rejects gostkit's SPKI: {e}"));
    }
    // gostkit's PKCS#8 is read by the peer, which signs with it; gostkit verifies.
    for curve in ["tc26-256-a", "cryptopro-xchb", "tc26-512-c"] {
        let (gk, gpub, psig) = (peer.path("gk.pem"), peer.path("gk.pub"), peer.path("gsig"));
        ok(&["genkey", "--curve", curve, "--out", &gk]);
        ok(&["pubkey", "--key", &gk, "--out", &gpub]);
        let md = if curve.contains("512") {
            "-md_gost12_512"
        } else {
            "-md_gost12_256"
        };
        peer.openssl(&["dgst", md, "-sign", &gk, "-out", &psig, &data])
            .unwrap_or_else(|e| panic!("{curve}: peer cannot use gostkit's PKCS#8: {e}"));
        ok(&["verify", "--pub", &gpub, "--sig", &psig, "--in", &data]);
    }
}
