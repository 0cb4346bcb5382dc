//! X.509 certificates: gostkit reads and verifies certificates OpenSSL + gost-engine makes.

mod common;

use common::peer::Peer;
use gostkit::x509::{Certificate, SignatureAlgorithm, X509Error};

/// (algorithm, paramset, expected signature algorithm) for the peer's self-signed roots.
const SETS: &[(&str, &str, SignatureAlgorithm)] = &[
    ("gost2012_256", "A", SignatureAlgorithm::Gost2012_256),
    ("gost2012_256", "B", SignatureAlgorithm::Gost2012_256),
    ("gost2012_256", "TCD", SignatureAlgorithm::Gost2012_256),
    ("gost2012_512", "A", SignatureAlgorithm::Gost2012_512),
    ("gost2012_512", "C", SignatureAlgorithm::Gost2012_512),
];

#[test]
fn peer_self_signed_certificates_verify() {
    let peer = match Peer::find("x509-core") {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: X.509 interop with OpenSSL gost-engine: {why}");
            return;
        }
    };
    let (key, cert) = (peer.path("key.pem"), peer.path("cert.pem"));
    for (alg, set, sig_alg) in SETS {
        let ps = format!("paramset:{set}");
        peer.openssl(&["genpkey", "-algorithm", alg, "-pkeyopt", &ps, "-out", &key])
            .unwrap();
        peer.openssl(&[
            "req",
            "-new",
            "-x509",
            "-key",
            &key,
            "-subj",
            "/CN=Root/O=Test",
            "-days",
            "30",
            "-out",
            &cert,
        ])
        .unwrap();
        let pem = std::fs::read(&cert).unwrap();
        let c = Certificate::decode(&pem).unwrap();
        assert_eq!(c.signature_algorithm().unwrap(), *sig_alg, "{alg} {set}");
        assert!(c.is_self_issued());
        let vk = c.verifying_key().unwrap();
        c.verify_signed_by(&vk).unwrap();
        // DER gives the same certificate, and a bundle of two gives two.
        let der = peer
            .openssl(&["x509", "-in", &cert, "-outform", "DER"])
            .unwrap();
        assert_eq!(Certificate::decode(&der).unwrap(), c);
        let mut bundle = b"junk before\n".to_vec();
        bundle.extend_from_slice(&pem);
        bundle.extend_from_slice(&pem);
        assert_eq!(Certificate::decode_all(&bundle).unwrap().len(), 2);
        // One flipped bit in the signature is a bad signature.
        let mut bad = der.clone();
        let n = bad.len();
        bad[n - 5] ^= 1;
        let b = Certificate::from_der(&bad).unwrap();
        assert_eq!(b.verify_signed_by(&vk), Err(X509Error::BadSignature));
    }
}
