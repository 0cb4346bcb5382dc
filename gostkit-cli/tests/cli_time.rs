//! `cms verify` validates chains at `--at` or now; `--at signing-time` asks for each signer's
//! claimed signingTime and says so on its `ok` line (CLI.md, Times).

#[path = "../../tests/common/cli.rs"]
mod cli;

use std::time::{Duration, SystemTime};

use gostkit::cms::signed::{self, SignOptions, Signer};
use gostkit::ec::{ParamSet, SigningKey};
use gostkit::x509::csr::CertificationRequest;
use gostkit::x509::issue::{IssueOptions, issue_from_request, self_signed};
use gostkit::x509::name::parse_slash_dn;

const DAY: Duration = Duration::from_secs(86_400);

/// (exit status, standard error) of `gostkit ARGS`.
fn gostkit(args: &[&str]) -> (i32, String) {
    let run = cli::gostkit(args);
    (run.code, run.stderr)
}

#[test]
fn verify_time_is_the_callers_unless_signing_time_is_asked_for() {
    let dir = std::env::temp_dir().join(format!("gostkit-cli-time-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let root_key = SigningKey::generate(ParamSet::Tc26_256A).unwrap();
    let root = self_signed(
        &parse_slash_dn("/CN=Time Root").unwrap(),
        &root_key,
        &IssueOptions::ca_days(3650, None),
    )
    .unwrap();
    let key = SigningKey::generate(ParamSet::Tc26_256B).unwrap();
    let req = CertificationRequest::build(&key, &parse_slash_dn("/CN=Time Signer").unwrap(), &[])
        .unwrap();
    let cert = issue_from_request(&req, &root, &root_key, &IssueOptions::days(30)).unwrap();
    let sign_at = |t: SystemTime| {
        signed::sign(
            b"report",
            &[Signer {
                cert: &cert,
                key: &key,
            }],
            &SignOptions {
                signing_time: Some(t),
                ..SignOptions::default()
            },
        )
        .unwrap()
    };
    let root_pem = dir.join("root.pem");
    std::fs::write(&root_pem, root.to_pem().unwrap()).unwrap();
    // Claims a signing time after the certificate's expiry, and one inside its validity.
    let late = dir.join("late.p7s");
    std::fs::write(&late, sign_at(SystemTime::now() + 60 * DAY)).unwrap();
    let fine = dir.join("fine.p7s");
    std::fs::write(&fine, sign_at(SystemTime::now() + DAY)).unwrap();
    let (late, fine, root_pem) = (
        late.to_str().unwrap(),
        fine.to_str().unwrap(),
        root_pem.to_str().unwrap(),
    );

    // Default: now; the claim plays no part.
    let (code, err) = gostkit(&["cms", "verify", "--in", late, "--trusted", root_pem]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err.trim(), "ok CN=Time Signer");
    // --at after the expiry fails whatever the signer claims.
    let after = gostkit::x509::time::rfc3339(SystemTime::now() + 40 * DAY);
    let (code, err) = gostkit(&[
        "cms",
        "verify",
        "--in",
        fine,
        "--trusted",
        root_pem,
        "--at",
        &after,
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error: expired: "), "{err}");
    // --at signing-time: the late claim is validated at its own time and fails…
    let (code, err) = gostkit(&[
        "cms",
        "verify",
        "--in",
        late,
        "--trusted",
        root_pem,
        "--at",
        "signing-time",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error: expired: "), "{err}");
    // …and a claim inside the validity passes, reported as claimed.
    let (code, err) = gostkit(&[
        "cms",
        "verify",
        "--in",
        fine,
        "--trusted",
        root_pem,
        "--at",
        "signing-time",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.starts_with("ok CN=Time Signer (at claimed signing time 20")
            && err.trim_end().ends_with("Z)"),
        "{err}"
    );
    // verify-chain knows no signing time.
    let (code, err) = gostkit(&[
        "verify-chain",
        "--trusted",
        root_pem,
        "--at",
        "signing-time",
        root_pem,
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("error: usage: "), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
