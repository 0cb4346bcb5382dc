//! `cms verify` refuses a signer whose keyUsage does not allow signing: exit 1 `key-usage`.

#[path = "../../tests/common/cli.rs"]
mod cli;
#[path = "../../tests/common/mod.rs"]
mod common;

use common::pki::{TestPki, enrol};
use gostkit::cms::signed::{self, SignOptions, Signer};
use gostkit::ec::ParamSet;
use gostkit::x509::issue::IssueOptions;
use x509_cert::ext::pkix::KeyUsages;

#[test]
fn verify_refuses_a_signer_without_signing_key_usage() {
    let pki = TestPki::new("/CN=Leaf");
    let dir =
        pki.write_to(&std::env::temp_dir().join(format!("gostkit-cli-ku-{}", std::process::id())));
    let mut ke_only = IssueOptions::days(30);
    ke_only.key_usage = Some(KeyUsages::KeyEncipherment.into());
    let enc = enrol(
        &pki.ca,
        "/CN=Encipherment only",
        ParamSet::Tc26_256A,
        &ke_only,
    );
    let chain = SignOptions {
        chain: vec![pki.ca.cert.clone()],
        ..SignOptions::default()
    };
    for (name, p) in [("bad.p7s", &enc), ("good.p7s", &pki.leaf)] {
        let msg = signed::sign(
            b"doc",
            &[Signer {
                cert: &p.cert,
                key: &p.key,
            }],
            &chain,
        )
        .unwrap();
        std::fs::write(dir.join(name), msg).unwrap();
    }
    let root = dir.join("root.pem");
    let root = root.to_str().unwrap();
    let bad = dir.join("bad.p7s");
    let run = cli::gostkit(&[
        "cms",
        "verify",
        "--in",
        bad.to_str().unwrap(),
        "--trusted",
        root,
    ]);
    let run = run.fails(1, "key-usage", "keyEncipherment-only signer");
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    let good = dir.join("good.p7s");
    cli::gostkit(&[
        "cms",
        "verify",
        "--in",
        good.to_str().unwrap(),
        "--trusted",
        root,
    ])
    .ok("good signer");
    std::fs::remove_dir_all(&dir).unwrap();
}
