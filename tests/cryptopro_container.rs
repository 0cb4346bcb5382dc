//! CryptoPro CSP key containers: CPKDF, the real sample container, the writer's round trips
//! and hostile files.

mod common;

use common::{h, repo_root, s, vectors};
use gostkit::container::{KdfHash, cpkdf};

#[test]
fn cpkdf_vector() {
    for v in vectors("cryptopro/cpkdf.toml") {
        let hash = match s(&v, "hash") {
            "streebog256" => KdfHash::Streebog256,
            "gost94" => KdfHash::Gost94,
            other => panic!("hash {other}"),
        };
        let k = cpkdf(hash, s(&v, "pin").as_bytes(), &h(&v, "salt"));
        assert_eq!(
            hex::encode(&k[..]),
            hex::encode(h(&v, "output")),
            "{}",
            s(&v, "name")
        );
    }
}

#[test]
fn sample_opens() {
    let dir = repo_root().join("test-vectors/cryptopro/91team-srv000-2012-256-nginx_gost");
    let c = gostkit::container::Container::open(&dir).expect("open");
    let k = c.unlock(b"").expect("unlock");
    let mut d = k.signing_key().to_bytes().to_vec();
    d.reverse();
    assert_eq!(
        hex::encode(d),
        "e4bbf23e0970eb1b6e01d65edaf10ed35891491f9e8b812a36175523f7e7593e"
    );
}
