//! `tls connect` and `tls serve` (CLI.md): a GOST TLS 1.2 client like `openssl s_client -quiet`
//! and a small test server, on the library's blocking [`TlsStream`].

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::Duration;

use gostkit::tls::stream::TlsStream;
use gostkit::tls::{CipherSuite, ClientConfig, ServerConfig, TlsError};
use gostkit::x509::name::to_rfc4514;
use gostkit::x509::store::{CertStore, Role};

use crate::CliError;
use crate::keys::load_private_from;
use crate::opts::{Opts, Spec};
use crate::pki::load_certs;

/// How long a connection attempt, a handshake or an idle peer may take.
const TIMEOUT: Duration = Duration::from_secs(30);
/// How often the client looks at standard input while the connection is quiet.
const POLL: Duration = Duration::from_millis(50);
/// The largest HTTP request head `tls serve --http` reads.
const MAX_REQUEST: usize = 64 * 1024;

fn tls_error(what: &str, e: TlsError) -> CliError {
    let detail = match &e {
        TlsError::AlertReceived(code) => format!(
            "{what}: {} (alert {code}: {e})",
            gostkit::tls::alert::name(*code)
        ),
        _ => format!("{what}: {e}"),
    };
    CliError::from_kind(e.kind(), detail)
}

fn io_error(what: &str, e: &io::Error) -> CliError {
    CliError::io(what, e)
}

/// `gostkit tls connect|serve ...`.
pub(crate) fn cmd_tls(args: &[OsString]) -> Result<ExitCode, CliError> {
    match args.first().map(|a| a.to_string_lossy()) {
        Some(s) if s == "connect" => cmd_connect(&args[1..]),
        Some(s) if s == "serve" => cmd_serve(&args[1..]),
        _ => Err(CliError::usage("tls: expected connect or serve")),
    }
}

/// The suites named by `--suite` (IANA or OpenSSL names), or every suite.
fn suites(opts: &Opts, cmd: &str) -> Result<Vec<CipherSuite>, CliError> {
    let named = opts.all("--suite");
    if named.is_empty() {
        return Ok(CipherSuite::ALL.to_vec());
    }
    named
        .iter()
        .map(|n| {
            let n = n.to_string_lossy();
            CipherSuite::from_name(&n).ok_or_else(|| {
                CliError::from_kind(
                    gostkit::ErrorKind::Unsupported,
                    format!("{cmd}: unknown cipher suite `{n}`"),
                )
            })
        })
        .collect()
}

fn subject_of(chain: &[gostkit::x509::Certificate]) -> String {
    chain
        .first()
        .map(|c| to_rfc4514(c.subject()))
        .unwrap_or_else(|| "-".into())
}

/// `gostkit tls connect HOST:PORT [--servername NAME] [--trusted FILE|DIR] [--cert CERT --key
/// KEY [--pass-env VAR]] [--suite NAME]... [--alpn P]`.
fn cmd_connect(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &[
            "--servername",
            "--trusted",
            "--cert",
            "--key",
            "--pass-env",
            "--suite",
            "--alpn",
            "--max-iterations",
        ],
        flags: &[],
        max_positional: 1,
    };
    let cmd = "tls connect";
    let opts = Opts::parse(cmd, &SPEC, args)?;
    let target = opts
        .positional
        .first()
        .ok_or_else(|| CliError::usage(format!("{cmd}: HOST:PORT is required")))?
        .to_string_lossy()
        .into_owned();
    let host = match target.rsplit_once(':') {
        Some((h, p)) if !h.is_empty() && p.parse::<u16>().is_ok() => {
            h.trim_start_matches('[').trim_end_matches(']').to_owned()
        }
        _ => {
            return Err(CliError::usage(format!(
                "{cmd}: `{target}` is not HOST:PORT"
            )));
        }
    };
    let server_name = opts
        .get("--servername")
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| host.clone());

    let mut trust = CertStore::new();
    if let Some(t) = opts.get("--trusted") {
        trust
            .load_path(std::path::Path::new(t), Role::TrustedRoot)
            .map_err(|e| CliError::from_kind(e.kind(), format!("{}: {e}", t.to_string_lossy())))?;
    }
    let mut config = ClientConfig::new(trust);
    config.suites = suites(&opts, cmd)?;
    config.alpn = opts
        .all("--alpn")
        .iter()
        .map(|p| p.to_string_lossy().into_owned().into_bytes())
        .collect();
    match (opts.get("--cert"), opts.get("--key")) {
        (Some(cert), Some(_)) => {
            let chain = load_certs(cert)?;
            let (key, _) = load_private_from(&opts, cmd, "--key")?;
            config.client_auth = Some((chain, Arc::new(key)));
        }
        (None, None) => {}
        _ => {
            return Err(CliError::usage(format!(
                "{cmd}: --cert and --key go together"
            )));
        }
    }

    let addr = target
        .to_socket_addrs()
        .map_err(|e| io_error(&target, &e))?
        .next()
        .ok_or_else(|| CliError::usage(format!("{cmd}: `{target}` has no address")))?;
    let sock = TcpStream::connect_timeout(&addr, TIMEOUT).map_err(|e| io_error(&target, &e))?;
    sock.set_read_timeout(Some(TIMEOUT))
        .and_then(|()| sock.set_write_timeout(Some(TIMEOUT)))
        .map_err(|e| io_error(&target, &e))?;
    let mut tls = TlsStream::connect(
        Arc::new(config),
        &server_name,
        sock.try_clone().map_err(|e| io_error(&target, &e))?,
    )
    .map_err(|e| tls_error(&target, e))?;
    let conn = tls.connection();
    eprintln!(
        "{} {}",
        conn.suite().map_or("-", CipherSuite::name),
        subject_of(conn.peer_certificates())
    );
    sock.set_read_timeout(Some(POLL))
        .map_err(|e| io_error(&target, &e))?;
    copy_both_ways(&mut tls, &target, stdin_chunks())
}

/// Standard input in chunks, read by a thread (the channel closes at end of input).
fn stdin_chunks() -> Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut stdin = io::stdin().lock();
        let mut buf = [0u8; 16 * 1024];
        loop {
            match stdin.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if tx.send(buf[..n].to_vec()).is_err() {
                        break;
                    }
                }
            }
        }
    });
    rx
}

fn quiet(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// The error inside an `io::Error` made from a `TlsError` by the stream.
fn unwrap_tls(what: &str, e: io::Error) -> CliError {
    match e.into_inner().map(|inner| inner.downcast::<TlsError>()) {
        Some(Ok(t)) => tls_error(what, *t),
        Some(Err(other)) => CliError::io(what, &io::Error::other(other)),
        None => CliError::io(what, &io::Error::other("transport failed")),
    }
}

/// stdin → connection and connection → stdout. At the end of standard input the client sends
/// close_notify (its end closes) and keeps reading until the server closes its end.
fn copy_both_ways(
    tls: &mut TlsStream<TcpStream, gostkit::tls::ClientConnection>,
    what: &str,
    input: Receiver<Vec<u8>>,
) -> Result<ExitCode, CliError> {
    let mut stdout = io::stdout().lock();
    let mut buf = [0u8; 16 * 1024];
    let mut input_open = true;
    let mut idle = Duration::ZERO;
    loop {
        match tls.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                idle = Duration::ZERO;
                stdout
                    .write_all(&buf[..n])
                    .and_then(|()| stdout.flush())
                    .map_err(|e| io_error("standard output", &e))?;
                continue;
            }
            Err(e) if quiet(&e) => {}
            Err(e) => return Err(unwrap_tls(what, e)),
        }
        if input_open {
            // One chunk, then back to reading: a peer that echoes must be drained as we go,
            // or both sides end up blocked writing.
            match input.try_recv() {
                Ok(chunk) => {
                    idle = Duration::ZERO;
                    tls.write_all(&chunk).map_err(|e| unwrap_tls(what, e))?;
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => {
                    input_open = false;
                    tls.close().map_err(|e| tls_error(what, e))?;
                }
            }
        } else {
            idle += POLL;
            if idle >= TIMEOUT {
                return Err(CliError::from_kind(
                    gostkit::ErrorKind::HandshakeFailure,
                    format!("{what}: the server did not close the connection"),
                ));
            }
        }
    }
    if input_open {
        let _ = tls.close();
    }
    Ok(ExitCode::SUCCESS)
}

/// `gostkit tls serve --port PORT --cert CERT --key KEY [--client-ca FILE] [--suite NAME]...
/// [--count N] [--http]`.
fn cmd_serve(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &[
            "--port",
            "--cert",
            "--key",
            "--pass-env",
            "--client-ca",
            "--suite",
            "--count",
            "--max-iterations",
        ],
        flags: &["--http"],
        max_positional: 0,
    };
    let cmd = "tls serve";
    let opts = Opts::parse(cmd, &SPEC, args)?;
    let number = |name: &str, default: u32| -> Result<u32, CliError> {
        match opts.get(name) {
            None => Ok(default),
            Some(v) => v
                .to_str()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| CliError::usage(format!("{cmd}: {name} needs a number"))),
        }
    };
    let port = u16::try_from(number("--port", u32::MAX)?)
        .map_err(|_| CliError::usage(format!("{cmd}: --port PORT is required (0..65535)")))?;
    let count = number("--count", 1)?;
    let chain = load_certs(opts.require(cmd, "--cert")?)?;
    let (key, _) = load_private_from(&opts, cmd, "--key")?;
    let mut config = ServerConfig::new(chain, Arc::new(key)).map_err(|e| tls_error("--key", e))?;
    config.suites = suites(&opts, cmd)?;
    if let Some(ca) = opts.get("--client-ca") {
        let mut store = CertStore::new();
        store
            .load_path(std::path::Path::new(ca), Role::TrustedRoot)
            .map_err(|e| CliError::from_kind(e.kind(), format!("{}: {e}", ca.to_string_lossy())))?;
        config.client_ca = Some(store);
    }
    if opts.has_flag("--http") {
        config.alpn = vec![b"http/1.1".to_vec()];
    }
    let config = Arc::new(config);
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| io_error("127.0.0.1", &e))?;
    let local = listener
        .local_addr()
        .map_err(|e| io_error("127.0.0.1", &e))?;
    eprintln!("listening on {local}");
    let mut status = Ok(ExitCode::SUCCESS);
    for _ in 0..count {
        let (sock, peer) = listener.accept().map_err(|e| io_error("accept", &e))?;
        let what = peer.to_string();
        if let Err(e) = serve_one(&config, sock, &what, opts.has_flag("--http")) {
            e.report_line();
            status = Err(e);
        }
    }
    status
}

/// One connection: handshake, then echo (or one HTTP response), then close_notify.
fn serve_one(
    config: &Arc<ServerConfig>,
    sock: TcpStream,
    what: &str,
    http: bool,
) -> Result<(), CliError> {
    sock.set_read_timeout(Some(TIMEOUT))
        .and_then(|()| sock.set_write_timeout(Some(TIMEOUT)))
        .map_err(|e| io_error(what, &e))?;
    let shutdown = sock.try_clone().map_err(|e| io_error(what, &e))?;
    let mut tls = TlsStream::accept(Arc::clone(config), sock).map_err(|e| tls_error(what, e))?;
    let conn = tls.connection();
    eprintln!(
        "{what}: {} {}",
        conn.suite().map_or("-", CipherSuite::name),
        subject_of(conn.peer_certificates())
    );
    let mut buf = [0u8; 16 * 1024];
    if http {
        let mut head = Vec::new();
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            if head.len() > MAX_REQUEST {
                return Err(CliError::usage(format!(
                    "{what}: HTTP request head too long"
                )));
            }
            let n = tls.read(&mut buf).map_err(|e| unwrap_tls(what, e))?;
            if n == 0 {
                break;
            }
            head.extend_from_slice(&buf[..n]);
        }
        let suite = tls.connection().suite().map_or("-", CipherSuite::name);
        let body = format!("gostkit tls serve: {suite}\n");
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        tls.write_all(response.as_bytes())
            .map_err(|e| unwrap_tls(what, e))?;
    } else {
        loop {
            let n = tls.read(&mut buf).map_err(|e| unwrap_tls(what, e))?;
            if n == 0 {
                break;
            }
            tls.write_all(&buf[..n]).map_err(|e| unwrap_tls(what, e))?;
        }
    }
    tls.close().map_err(|e| tls_error(what, e))?;
    let _ = shutdown.shutdown(Shutdown::Write);
    Ok(())
}
