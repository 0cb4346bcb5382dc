//! `gostkit ts query|verify` and `gostkit ocsp request|check` (CLI.md) against OpenSSL +
//! gost-engine: a PKI, a TSA and an OCSP responder made by `openssl`; our requests answered by
//! `openssl ts -reply` and `openssl ocsp` (file mode, behind a one-thread HTTP server of the
//! test on 127.0.0.1, so nothing listens beyond loopback), OpenSSL's requests and responses
//! checked by us.

#[path = "../../tests/common/cli.rs"]
mod cli;
#[path = "../../tests/common/mod.rs"]
mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::thread::JoinHandle;

use common::peer::Peer;

struct Pki {
    peer: Peer,
}

impl Pki {
    fn f(&self, n: &str) -> String {
        self.peer.path(n)
    }

    fn ssl(&self, args: &[&str]) -> Vec<u8> {
        self.peer.openssl(args).unwrap_or_else(|e| panic!("{e}"))
    }

    fn serial(&self, cert: &str) -> String {
        let out = self.ssl(&["x509", "-in", &self.f(cert), "-noout", "-serial"]);
        String::from_utf8(out)
            .unwrap()
            .trim()
            .trim_start_matches("serial=")
            .to_owned()
    }

    /// `openssl ocsp` as the responder for the request in `req`, signing with the CA.
    fn ocsp_reply(&self, req: &[u8]) -> Vec<u8> {
        std::fs::write(self.f("in.ocsp"), req).unwrap();
        self.ssl(&[
            "ocsp",
            "-index",
            &self.f("index.txt"),
            "-CA",
            &self.f("ca.pem"),
            "-rsigner",
            &self.f("ca.pem"),
            "-rkey",
            &self.f("ca.key"),
            "-reqin",
            &self.f("in.ocsp"),
            "-respout",
            &self.f("out.ocsp"),
            "-ndays",
            "1",
        ]);
        std::fs::read(self.f("out.ocsp")).unwrap()
    }

    /// `openssl ts -reply` to the request in `tsq`.
    fn ts_reply(&self, tsq: &str, tsr: &str) {
        self.ssl(&[
            "ts",
            "-reply",
            "-config",
            &self.f("tsa.cnf"),
            "-section",
            "tsa_v2",
            "-queryfile",
            &self.f(tsq),
            "-out",
            &self.f(tsr),
        ]);
    }
}

fn pki(tag: &str) -> Option<Pki> {
    let peer = match Peer::find(tag) {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: {tag}: {why}");
            return None;
        }
    };
    let p = Pki { peer };
    for key in ["ca.key", "leaf.key", "gone.key", "tsa.key"] {
        p.ssl(&[
            "genpkey",
            "-algorithm",
            "gost2012_256",
            "-pkeyopt",
            "paramset:A",
            "-out",
            &p.f(key),
        ]);
    }
    p.ssl(&[
        "req",
        "-new",
        "-x509",
        "-key",
        &p.f("ca.key"),
        "-subj",
        "/CN=LTV Test CA",
        "-days",
        "30",
        "-addext",
        "basicConstraints=critical,CA:true",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        "-out",
        &p.f("ca.pem"),
    ]);
    std::fs::write(
        p.f("leaf.ext"),
        "keyUsage=critical,digitalSignature,nonRepudiation\n",
    )
    .unwrap();
    std::fs::write(
        p.f("tsa.ext"),
        "extendedKeyUsage=critical,timeStamping\nkeyUsage=critical,digitalSignature,nonRepudiation\n",
    )
    .unwrap();
    for (key, subj, ext) in [
        ("leaf", "/CN=LTV Leaf", "leaf.ext"),
        ("gone", "/CN=LTV Revoked", "leaf.ext"),
        ("tsa", "/CN=LTV TSA", "tsa.ext"),
    ] {
        let (k, csr, pem) = (
            p.f(&format!("{key}.key")),
            p.f(&format!("{key}.csr")),
            p.f(&format!("{key}.pem")),
        );
        p.ssl(&["req", "-new", "-key", &k, "-subj", subj, "-out", &csr]);
        p.ssl(&[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            &p.f("ca.pem"),
            "-CAkey",
            &p.f("ca.key"),
            "-CAcreateserial",
            "-days",
            "20",
            "-extfile",
            &p.f(ext),
            "-out",
            &pem,
        ]);
    }
    // The responder knows the leaf (valid) and "gone" (revoked); the TSA certificate is not in
    // its index (unknown).
    let index = format!(
        "V\t301231235959Z\t\t{}\tunknown\t/CN=LTV Leaf\nR\t301231235959Z\t260101000000Z,keyCompromise\t{}\tunknown\t/CN=LTV Revoked\n",
        p.serial("leaf.pem"),
        p.serial("gone.pem")
    );
    std::fs::write(p.f("index.txt"), index).unwrap();
    std::fs::write(p.f("tsaserial"), "1f\n").unwrap();
    std::fs::write(
        p.f("tsa.cnf"),
        format!(
            "[tsa]\ndefault_tsa = tsa_v2\n[tsa_v2]\nserial = {}\ncrypto_device = builtin\n\
             signer_cert = {}\nsigner_key = {}\ncerts = {}\nsigner_digest = md_gost12_256\n\
             default_policy = 1.2.3.4.1\ndigests = md_gost12_256, md_gost12_512\n\
             accuracy = secs:1\nordering = yes\ntsa_name = yes\ness_cert_id_chain = no\n\
             ess_cert_id_alg = md_gost12_256\n",
            p.f("tsaserial"),
            p.f("tsa.pem"),
            p.f("tsa.key"),
            p.f("ca.pem")
        ),
    )
    .unwrap();
    std::fs::write(p.f("data.txt"), b"statement to be time-stamped\n").unwrap();
    std::fs::write(p.f("other.txt"), b"another statement\n").unwrap();
    Some(p)
}

/// Our request answered by `openssl ts -reply`; OpenSSL's request and its answer; imprint
/// mismatch and a non-TSA trust anchor refused.
#[test]
fn ts_query_and_verify_against_openssl_ts() {
    let Some(p) = pki("cli-ts") else { return };
    for alg in ["streebog256", "streebog512"] {
        cli::gostkit(&[
            "ts",
            "query",
            "--in",
            &p.f("data.txt"),
            "--alg",
            alg,
            "--out",
            &p.f("q.tsq"),
        ])
        .ok("ts query");
        p.ts_reply("q.tsq", "r.tsr");
        // the peer accepts our request as the one its response answers
        let out = p.ssl(&[
            "ts",
            "-verify",
            "-queryfile",
            &p.f("q.tsq"),
            "-in",
            &p.f("r.tsr"),
            "-CAfile",
            &p.f("ca.pem"),
            "-untrusted",
            &p.f("tsa.pem"),
        ]);
        assert!(String::from_utf8_lossy(&out).contains("Verification: OK"));
        for query in [None, Some(p.f("q.tsq"))] {
            let mut args = vec![
                "ts".to_owned(),
                "verify".into(),
                "--in".into(),
                p.f("r.tsr"),
                "--data".into(),
                p.f("data.txt"),
                "--trusted".into(),
                p.f("ca.pem"),
            ];
            if let Some(q) = &query {
                args.extend(["--query".into(), q.clone()]);
            }
            let a: Vec<&str> = args.iter().map(String::as_str).collect();
            let run = cli::gostkit(&a).ok("ts verify");
            let line = String::from_utf8(run.stdout).unwrap();
            assert!(line.trim_end().ends_with(" CN=LTV TSA"), "{line}");
            assert!(line.starts_with("20"), "{line}");
        }
        cli::gostkit(&[
            "ts",
            "verify",
            "--in",
            &p.f("r.tsr"),
            "--data",
            &p.f("other.txt"),
            "--trusted",
            &p.f("ca.pem"),
        ])
        .fails(1, "digest-mismatch", "other data");
        cli::gostkit(&[
            "ts",
            "verify",
            "--in",
            &p.f("r.tsr"),
            "--data",
            &p.f("data.txt"),
            "--trusted",
            &p.f("leaf.pem"),
        ])
        .fails(
            1,
            "untrusted-root",
            "the token carries the CA, which is not trusted",
        );
    }
    // OpenSSL's own request (GOST imprint, nonce, certReq) and its answer
    p.ssl(&[
        "ts",
        "-query",
        "-data",
        &p.f("data.txt"),
        "-md_gost12_256",
        "-cert",
        "-out",
        &p.f("o.tsq"),
    ]);
    p.ts_reply("o.tsq", "o.tsr");
    cli::gostkit(&[
        "ts",
        "verify",
        "--in",
        &p.f("o.tsr"),
        "--data",
        &p.f("data.txt"),
        "--query",
        &p.f("o.tsq"),
        "--trusted",
        &p.f("ca.pem"),
    ])
    .ok("ts verify of openssl's request/response");
    cli::gostkit(&[
        "ts",
        "verify",
        "--in",
        &p.f("data.txt"),
        "--data",
        &p.f("data.txt"),
        "--trusted",
        &p.f("ca.pem"),
    ])
    .fails(2, "malformed", "not a response");
    cli::gostkit(&["ts", "query", "--in", &p.f("data.txt"), "--alg", "sha1"]).fails(
        2,
        "usage",
        "unknown alg",
    );
}

/// Serves `n` HTTP POSTs of `application/KIND-…` (`ocsp` or `timestamp`) on 127.0.0.1, each answered by `answer(body)`; returns the port.
fn http_server(
    n: usize,
    kind: &'static str,
    answer: impl Fn(&[u8]) -> Vec<u8> + Send + 'static,
) -> (u16, JoinHandle<()>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let h = std::thread::spawn(move || {
        for s in l.incoming().take(n) {
            let mut s = s.unwrap();
            s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
                .unwrap();
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            let (head_end, len) = loop {
                let k = s.read(&mut chunk).unwrap();
                assert!(k > 0, "client closed early");
                buf.extend_from_slice(&chunk[..k]);
                if let Some(e) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&buf[..e]).to_ascii_lowercase();
                    assert!(head.starts_with("post "), "{head}");
                    assert!(
                        head.contains(&format!("content-type: application/{kind}-")),
                        "{head}"
                    );
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .unwrap()
                        .trim()
                        .parse()
                        .unwrap();
                    break (e + 4, len);
                }
            };
            while buf.len() < head_end + len {
                let k = s.read(&mut chunk).unwrap();
                assert!(k > 0);
                buf.extend_from_slice(&chunk[..k]);
            }
            let body = answer(&buf[head_end..head_end + len]);
            let head = format!(
                "HTTP/1.0 200 OK\r\nContent-Type: application/{}\r\nContent-Length: {}\r\n\r\n",
                if kind == "ocsp" {
                    "ocsp-response"
                } else {
                    "timestamp-reply"
                },
                body.len()
            );
            s.write_all(head.as_bytes()).unwrap();
            s.write_all(&body).unwrap();
        }
    });
    (port, h)
}

/// good / revoked / unknown from `openssl ocsp` over HTTP (with our nonce echoed), and from a
/// stored response to a request written by `ocsp request`.
#[test]
fn ocsp_check_against_openssl_responder() {
    let Some(p) = pki("cli-ocsp") else { return };
    let p = std::sync::Arc::new(p);
    let q = std::sync::Arc::clone(&p);
    let (port, server) = http_server(3, "ocsp", move |req| q.ocsp_reply(req));
    let url = format!("http://127.0.0.1:{port}/");
    let check = |cert: &str| {
        cli::gostkit(&[
            "ocsp",
            "check",
            "--cert",
            &p.f(cert),
            "--issuer",
            &p.f("ca.pem"),
            "--url",
            &url,
            "--trusted",
            &p.f("ca.pem"),
        ])
    };
    let run = check("leaf.pem").ok("ocsp check good");
    assert_eq!(String::from_utf8(run.stdout).unwrap(), "good\n");
    let run = check("gone.pem").fails(1, "revoked", "revoked certificate");
    assert_eq!(
        String::from_utf8(run.stdout).unwrap(),
        "revoked 2026-01-01T00:00:00Z keyCompromise\n"
    );
    let run = check("tsa.pem").fails(1, "crl-missing", "unknown to the responder");
    assert_eq!(String::from_utf8(run.stdout).unwrap(), "unknown\n");
    server.join().unwrap();

    // offline: request file → openssl ocsp → response file
    cli::gostkit(&[
        "ocsp",
        "request",
        "--cert",
        &p.f("leaf.pem"),
        "--issuer",
        &p.f("ca.pem"),
        "--no-nonce",
        "--out",
        &p.f("leaf.req"),
    ])
    .ok("ocsp request");
    let text = p.ssl(&["ocsp", "-reqin", &p.f("leaf.req"), "-req_text"]);
    assert!(
        String::from_utf8_lossy(&text).contains("Serial Number"),
        "openssl reads our request"
    );
    let resp = p.ocsp_reply(&std::fs::read(p.f("leaf.req")).unwrap());
    std::fs::write(p.f("leaf.resp"), resp).unwrap();
    let run = cli::gostkit(&[
        "ocsp",
        "check",
        "--cert",
        &p.f("leaf.pem"),
        "--issuer",
        &p.f("ca.pem"),
        "--response",
        &p.f("leaf.resp"),
        "--trusted",
        &p.f("ca.pem"),
    ])
    .ok("ocsp check --response");
    assert_eq!(String::from_utf8(run.stdout).unwrap(), "good\n");
    // the same response does not speak for another certificate
    cli::gostkit(&[
        "ocsp",
        "check",
        "--cert",
        &p.f("gone.pem"),
        "--issuer",
        &p.f("ca.pem"),
        "--response",
        &p.f("leaf.resp"),
        "--trusted",
        &p.f("ca.pem"),
    ])
    .fails(1, "crl-missing", "no single response for that certificate");
    // an issuer outside the trust store, and no source
    cli::gostkit(&[
        "ocsp",
        "check",
        "--cert",
        &p.f("leaf.pem"),
        "--issuer",
        &p.f("ca.pem"),
        "--response",
        &p.f("leaf.resp"),
        "--trusted",
        &p.f("tsa.pem"),
    ])
    .fails(1, "untrusted-root", "issuer not trusted");
    cli::gostkit(&[
        "ocsp",
        "check",
        "--cert",
        &p.f("leaf.pem"),
        "--issuer",
        &p.f("ca.pem"),
        "--trusted",
        &p.f("ca.pem"),
    ])
    .fails(2, "usage", "no --url or --response");
    cli::gostkit(&[
        "ocsp",
        "check",
        "--cert",
        &p.f("leaf.pem"),
        "--issuer",
        &p.f("ca.pem"),
        "--url",
        "https://127.0.0.1/",
        "--trusted",
        &p.f("ca.pem"),
    ])
    .fails(2, "usage", "https refused");
}

/// `cms upgrade` to CAdES-T and X-L1 with `openssl ts -reply` as the TSA and `openssl ocsp` as
/// the responder (both over HTTP on loopback), the offline --tsq-out/--tsr path, the level
/// printed by `cms verify`, and `openssl cms -verify` accepting the upgraded messages.
#[test]
fn cms_upgrade_t_and_xl1_with_openssl_tsa_and_responder() {
    let Some(p) = pki("cli-upgrade") else { return };
    let p = std::sync::Arc::new(p);
    cli::gostkit(&[
        "cms",
        "sign",
        "--cert",
        &p.f("leaf.pem"),
        "--key",
        &p.f("leaf.key"),
        "--in",
        &p.f("data.txt"),
        "--out",
        &p.f("bes.der"),
    ])
    .ok("cms sign");
    let verify = |msg: &str| {
        let run = cli::gostkit(&[
            "cms",
            "verify",
            "--in",
            &p.f(msg),
            "--trusted",
            &p.f("ca.pem"),
        ])
        .ok("cms verify");
        run.stderr.trim().to_owned()
    };
    assert_eq!(verify("bes.der"), "ok CN=LTV Leaf");

    // offline: the request written, answered by openssl ts -reply, brought back
    cli::gostkit(&[
        "cms",
        "upgrade",
        "--level",
        "t",
        "--in",
        &p.f("bes.der"),
        "--tsq-out",
        &p.f("sig.tsq"),
    ])
    .ok("upgrade --tsq-out");
    p.ts_reply("sig.tsq", "sig.tsr");
    cli::gostkit(&[
        "cms",
        "upgrade",
        "--level",
        "t",
        "--in",
        &p.f("bes.der"),
        "--tsr",
        &p.f("sig.tsr"),
        "--out",
        &p.f("t1.der"),
    ])
    .ok("upgrade --tsr");
    assert_eq!(verify("t1.der"), "ok CN=LTV Leaf (CAdES-T)");
    let at = |msg: &str, when: &str| {
        cli::gostkit(&[
            "cms",
            "verify",
            "--in",
            &p.f(msg),
            "--trusted",
            &p.f("ca.pem"),
            "--at",
            when,
        ])
    };
    // years later the signer's certificate has expired: validated then, the signature fails…
    at("t1.der", "2100-01-01T00:00:00Z").fails(1, "expired", "the leaf has expired by 2100");
    // …validated at its verified signature time-stamp it holds, and the line says when
    let line = at("t1.der", "time-stamp").ok("--at time-stamp").stderr;
    let line = line.trim();
    assert!(
        line.starts_with("ok CN=LTV Leaf (at time-stamp 20") && line.ends_with("Z) (CAdES-T)"),
        "{line}"
    );
    // a signer without a time-stamp is validated now
    let line = at("bes.der", "time-stamp")
        .ok("--at time-stamp, BES")
        .stderr;
    assert_eq!(line.trim(), "ok CN=LTV Leaf");
    // a response to another request is refused
    p.ssl(&[
        "ts",
        "-query",
        "-data",
        &p.f("other.txt"),
        "-md_gost12_256",
        "-cert",
        "-out",
        &p.f("x.tsq"),
    ]);
    p.ts_reply("x.tsq", "x.tsr");
    cli::gostkit(&[
        "cms",
        "upgrade",
        "--level",
        "t",
        "--in",
        &p.f("bes.der"),
        "--tsr",
        &p.f("x.tsr"),
    ])
    .fails(1, "digest-mismatch", "time-stamp over other data");

    // online: T, then X-L1 (CAdES-C time-stamp + OCSP for the leaf)
    let q = std::sync::Arc::clone(&p);
    let (tsa_port, tsa) = http_server(2, "timestamp", move |req| {
        std::fs::write(q.f("h.tsq"), req).unwrap();
        q.ts_reply("h.tsq", "h.tsr");
        std::fs::read(q.f("h.tsr")).unwrap()
    });
    let q = std::sync::Arc::clone(&p);
    let (ocsp_port, responder) = http_server(1, "ocsp", move |req| q.ocsp_reply(req));
    let tsa_url = format!("http://127.0.0.1:{tsa_port}/tsa");
    let ocsp_url = format!("http://127.0.0.1:{ocsp_port}/");
    cli::gostkit(&[
        "cms",
        "upgrade",
        "--level",
        "t",
        "--in",
        &p.f("bes.der"),
        "--tsa-url",
        &tsa_url,
        "--out",
        &p.f("t.der"),
    ])
    .ok("upgrade t");
    assert_eq!(verify("t.der"), "ok CN=LTV Leaf (CAdES-T)");
    cli::gostkit(&[
        "cms",
        "upgrade",
        "--level",
        "xl1",
        "--in",
        &p.f("t.der"),
        "--tsa-url",
        &tsa_url,
        "--ocsp-url",
        &ocsp_url,
        "--trusted",
        &p.f("ca.pem"),
        "--out",
        &p.f("xl1.der"),
    ])
    .ok("upgrade xl1");
    tsa.join().unwrap();
    responder.join().unwrap();
    assert_eq!(verify("xl1.der"), "ok CN=LTV Leaf (CAdES-X L1)");
    for m in ["t.der", "xl1.der"] {
        p.ssl(&[
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            &p.f(m),
            "-CAfile",
            &p.f("ca.pem"),
            "-out",
            &p.f("content.out"),
        ]);
        assert_eq!(
            std::fs::read(p.f("content.out")).unwrap(),
            std::fs::read(p.f("data.txt")).unwrap()
        );
    }
    cli::gostkit(&[
        "cms",
        "upgrade",
        "--level",
        "x",
        "--in",
        &p.f("bes.der"),
        "--tsr",
        &p.f("sig.tsr"),
    ])
    .fails(2, "usage", "unknown level");
}

/// `cms upgrade --level xl1` without `--ocsp-url` asks the OCSP responder the signer's
/// certificate names in its authorityInfoAccess (`openssl ocsp` behind a loopback HTTP server
/// whose port the certificate was issued with).
#[test]
fn cms_upgrade_xl1_takes_the_ocsp_url_from_aia() {
    let Some(p) = pki("cli-upgrade-aia") else {
        return;
    };
    let p = std::sync::Arc::new(p);
    // The responder first: its port goes into the certificate.
    let (asked_tx, asked) = std::sync::mpsc::channel::<()>();
    let q = std::sync::Arc::clone(&p);
    let (ocsp_port, responder) = http_server(1, "ocsp", move |req| {
        let _ = asked_tx.send(());
        q.ocsp_reply(req)
    });
    p.ssl(&[
        "genpkey",
        "-algorithm",
        "gost2012_256",
        "-pkeyopt",
        "paramset:A",
        "-out",
        &p.f("aia.key"),
    ]);
    std::fs::write(
        p.f("aia.ext"),
        format!(
            "keyUsage=critical,digitalSignature,nonRepudiation\n\
             authorityInfoAccess=OCSP;URI:http://127.0.0.1:{ocsp_port}/ocsp\n"
        ),
    )
    .unwrap();
    p.ssl(&[
        "req",
        "-new",
        "-key",
        &p.f("aia.key"),
        "-subj",
        "/CN=LTV AIA",
        "-out",
        &p.f("aia.csr"),
    ]);
    p.ssl(&[
        "x509",
        "-req",
        "-in",
        &p.f("aia.csr"),
        "-CA",
        &p.f("ca.pem"),
        "-CAkey",
        &p.f("ca.key"),
        "-CAcreateserial",
        "-days",
        "20",
        "-extfile",
        &p.f("aia.ext"),
        "-out",
        &p.f("aia.pem"),
    ]);
    let mut index = std::fs::read_to_string(p.f("index.txt")).unwrap();
    index.push_str(&format!(
        "V\t301231235959Z\t\t{}\tunknown\t/CN=LTV AIA\n",
        p.serial("aia.pem")
    ));
    std::fs::write(p.f("index.txt"), index).unwrap();
    cli::gostkit(&[
        "cms",
        "sign",
        "--cert",
        &p.f("aia.pem"),
        "--key",
        &p.f("aia.key"),
        "--in",
        &p.f("data.txt"),
        "--out",
        &p.f("aia-bes.der"),
    ])
    .ok("cms sign");
    let q = std::sync::Arc::clone(&p);
    let (tsa_port, tsa) = http_server(2, "timestamp", move |req| {
        std::fs::write(q.f("a.tsq"), req).unwrap();
        q.ts_reply("a.tsq", "a.tsr");
        std::fs::read(q.f("a.tsr")).unwrap()
    });
    cli::gostkit(&[
        "cms",
        "upgrade",
        "--level",
        "xl1",
        "--in",
        &p.f("aia-bes.der"),
        "--tsa-url",
        &format!("http://127.0.0.1:{tsa_port}/tsa"),
        "--trusted",
        &p.f("ca.pem"),
        "--out",
        &p.f("aia-xl1.der"),
    ])
    .ok("upgrade xl1 without --ocsp-url");
    tsa.join().unwrap();
    asked
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("the responder named in authorityInfoAccess was asked");
    responder.join().unwrap();
    let run = cli::gostkit(&[
        "cms",
        "verify",
        "--in",
        &p.f("aia-xl1.der"),
        "--trusted",
        &p.f("ca.pem"),
    ])
    .ok("cms verify");
    assert_eq!(run.stderr.trim(), "ok CN=LTV AIA (CAdES-X L1)");
}
