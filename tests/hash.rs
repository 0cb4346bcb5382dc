//! Streebog (RFC 6986) and GOST R 34.11-94 (RFC 5831) against `test-vectors/`, plus streaming and
//! dynamic-dispatch properties.

mod common;

use common::{h, input, s, vectors};
use gostkit::hash::{Gost94, HashAlg, Hasher, Streebog256, Streebog512};
use proptest::prelude::*;

#[test]
fn streebog_vectors() {
    let vs = vectors("streebog.toml");
    let mut seen = (0, 0);
    for v in &vs {
        let msg = input(v);
        let want = h(v, "digest");
        let name = s(v, "name");
        let got = match s(v, "alg") {
            "streebog256" => {
                seen.0 += 1;
                Streebog256::digest(&msg).to_vec()
            }
            "streebog512" => {
                seen.1 += 1;
                Streebog512::digest(&msg).to_vec()
            }
            other => panic!("{name}: unknown alg {other}"),
        };
        assert_eq!(hex::encode(got), hex::encode(&want), "{name}");
        // The same through the run-time interface.
        let alg = HashAlg::from_name(s(v, "alg")).expect("known name");
        assert_eq!(alg.digest(&msg), want, "{name} via HashAlg");
    }
    assert!(seen.0 >= 2 && seen.1 >= 2, "both digest sizes covered");
}

#[test]
fn gost94_vectors() {
    let vs = vectors("gost94.toml");
    let mut cryptopro = 0;
    for v in &vs {
        let msg = input(v);
        let want = h(v, "digest");
        let name = s(v, "name");
        match s(v, "params") {
            "cryptopro" => {
                cryptopro += 1;
                assert_eq!(
                    hex::encode(Gost94::digest(&msg)),
                    hex::encode(&want),
                    "{name}"
                );
                assert_eq!(HashAlg::Gost94.digest(&msg), want, "{name} via HashAlg");
            }
            "test" => {
                // RFC 5831's own examples use the test S-box; gostkit exposes only the CryptoPro
                // parameters, so the examples check the underlying crate with test parameters,
                // and gostkit's Gost94 must give a different value for them.
                use gost94::Digest as _;
                let got = gost94::Gost94Test::digest(&msg);
                assert_eq!(hex::encode(got), hex::encode(&want), "{name}");
                assert_ne!(
                    Gost94::digest(&msg).to_vec(),
                    want,
                    "{name}: param sets differ"
                );
            }
            other => panic!("{name}: unknown params {other}"),
        }
    }
    assert!(cryptopro >= 1);
}

#[test]
fn hash_alg_names_round_trip() {
    for alg in [HashAlg::Streebog256, HashAlg::Streebog512, HashAlg::Gost94] {
        assert_eq!(HashAlg::from_name(alg.name()), Some(alg));
        assert_eq!(alg.hasher().alg(), alg);
        assert_eq!(alg.digest(b"").len(), alg.output_len());
    }
    assert_eq!(HashAlg::from_name("sha256"), None);
}

#[test]
fn debug_hides_state() {
    let mut h = Streebog256::new();
    h.update(b"secret");
    let text = format!("{h:?} {:?}", Hasher::Gost94(Gost94::new()));
    assert!(!text.contains("secret") && text.contains(".."), "{text}");
}

/// Feeds `data` in pieces cut at `cuts` (positions taken modulo the length, sorted).
fn pieces(data: &[u8], cuts: &[usize]) -> Vec<(usize, usize)> {
    let mut at: Vec<usize> = cuts.iter().map(|c| c % (data.len() + 1)).collect();
    at.push(0);
    at.push(data.len());
    at.sort_unstable();
    at.windows(2).map(|w| (w[0], w[1])).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn streaming_equals_one_shot(
        data in proptest::collection::vec(any::<u8>(), 0..400),
        cuts in proptest::collection::vec(any::<usize>(), 0..8),
    ) {
        let parts = pieces(&data, &cuts);

        let mut a = Streebog256::new();
        let mut b = Streebog512::new();
        let mut c = Gost94::new();
        let mut dyns: Vec<Hasher> =
            [HashAlg::Streebog256, HashAlg::Streebog512, HashAlg::Gost94].map(HashAlg::hasher).into();
        for &(lo, hi) in &parts {
            let chunk = &data[lo..hi];
            a.update(chunk);
            b.update(chunk);
            c.update(chunk);
            for d in &mut dyns {
                d.update(chunk);
            }
        }
        let one = [
            Streebog256::digest(&data).to_vec(),
            Streebog512::digest(&data).to_vec(),
            Gost94::digest(&data).to_vec(),
        ];
        prop_assert_eq!(a.finalize().to_vec(), one[0].clone());
        prop_assert_eq!(b.finalize().to_vec(), one[1].clone());
        prop_assert_eq!(c.finalize().to_vec(), one[2].clone());
        for (d, want) in dyns.into_iter().zip(one.iter()) {
            prop_assert_eq!(&d.finalize(), want);
        }
        for (alg, want) in [HashAlg::Streebog256, HashAlg::Streebog512, HashAlg::Gost94].into_iter().zip(one.iter()) {
            prop_assert_eq!(&alg.digest(&data), want);
        }
    }

    #[test]
    fn finalize_reset_reuses_state(data in proptest::collection::vec(any::<u8>(), 0..200)) {
        let mut h = Streebog512::new();
        h.update(b"junk that must be forgotten");
        let _ = h.finalize_reset();
        h.update(&data);
        prop_assert_eq!(h.finalize().to_vec(), Streebog512::digest(&data).to_vec());
    }
}
