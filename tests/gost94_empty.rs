//! GOST R 34.11-94 with the CryptoPro parameters of the EMPTY message.
//!
//! gostkit gives 981e5f3ca30c841487830f84fb433e13ac1101569b9c13584ac483234cd656c0, the published
//! CryptoPro-parameter value; Botan 2.19.3 (Debian `botan`, `botan hash --algo=GOST-34.11
//! /dev/null`) prints the same bytes, in the same order. gost-engine 3.0.1 (`openssl dgst -engine
//! gost -md_gost94 /dev/null`) prints 3f25bc1fbbce27ca10fb1958f319473ae7e17482c3b53ecf47a7e2de8aabe4c8
//! instead: the peer is wrong for the empty message (non-empty messages agree). The peer test below
//! asserts that it still DIFFERS, so that nobody "fixes" gostkit to match the peer.

mod common;

use common::peer::Peer;
use gostkit::hash::{Gost94, HashAlg};

const EMPTY: &str = "981e5f3ca30c841487830f84fb433e13ac1101569b9c13584ac483234cd656c0";
const PEER_EMPTY: &str = "3f25bc1fbbce27ca10fb1958f319473ae7e17482c3b53ecf47a7e2de8aabe4c8";

#[test]
fn gost94_cryptopro_of_the_empty_message() {
    assert_eq!(hex::encode(Gost94::digest(b"")), EMPTY);
    assert_eq!(hex::encode(HashAlg::Gost94.digest(b"")), EMPTY);
    let mut h = HashAlg::Gost94.hasher();
    h.update(b"");
    assert_eq!(hex::encode(h.finalize()), EMPTY);
}

#[test]
fn gost_engine_differs_on_the_empty_message() {
    let peer = match Peer::find("gost94-empty") {
        Ok(peer) => peer,
        Err(why) => {
            println!("SKIP gost94_empty peer: {why}");
            return;
        }
    };
    let empty = peer.path("empty");
    std::fs::write(&empty, b"").expect("empty file");
    let out = peer
        .openssl(&["dgst", "-engine", "gost", "-md_gost94", "-r", &empty])
        .expect("openssl dgst -md_gost94");
    let text = String::from_utf8(out).expect("utf-8");
    let peer_hex = text
        .split_whitespace()
        .next()
        .expect("digest")
        .to_lowercase();
    assert_eq!(peer_hex.len(), 64, "{text}");
    assert_ne!(
        peer_hex, EMPTY,
        "gost-engine now agrees on the empty message: update this test's doc"
    );
    assert_eq!(
        peer_hex, PEER_EMPTY,
        "gost-engine's known empty-message value"
    );
    // A non-empty message agrees, so the difference is the empty-message case alone.
    let abc = peer.path("abc");
    std::fs::write(&abc, b"abc").expect("abc file");
    let out = peer
        .openssl(&["dgst", "-engine", "gost", "-md_gost94", "-r", &abc])
        .expect("openssl dgst -md_gost94");
    let text = String::from_utf8(out).expect("utf-8");
    let peer_abc = text
        .split_whitespace()
        .next()
        .expect("digest")
        .to_lowercase();
    assert_eq!(peer_abc, hex::encode(Gost94::digest(b"abc")));
}
