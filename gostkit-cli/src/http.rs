//! A bounded HTTP/1.0 POST for the two protocols that ride on it: OCSP (RFC 6960 App. A.1,
//! `application/ocsp-request` → `application/ocsp-response`) and time-stamps (RFC 3161 §3.4,
//! `application/timestamp-query` → `application/timestamp-reply`). Hand-written with std::net
//! because a full HTTP client crate is far more than one POST needs: `http://` only, 30 s
//! connect/read/write timeouts, the answer capped at 1 MiB, status and content type checked.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use crate::CliError;

/// Largest answer read (headers and body).
const MAX_ANSWER: u64 = 1 << 20;
const TIMEOUT: Duration = Duration::from_secs(30);

/// Host, port and path of an `http://host[:port][/path]` URL.
fn parse_url(url: &str) -> Result<(String, u16, String), CliError> {
    let rest = url.strip_prefix("http://").ok_or_else(|| {
        CliError::usage(format!(
            "{url}: only http:// URLs are supported (OCSP and TSA use plain HTTP)"
        ))
    })?;
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => (
            h,
            p.parse::<u16>()
                .map_err(|_| CliError::usage(format!("{url}: bad port")))?,
        ),
        _ => (authority, 80),
    };
    if host.is_empty() {
        return Err(CliError::usage(format!("{url}: no host")));
    }
    Ok((host.to_owned(), port, path.to_owned()))
}

/// POSTs `body` as `content_type` to `url` and returns the answer's body, which must come with
/// status 200 and `expect_type`.
pub(crate) fn post(
    url: &str,
    content_type: &str,
    expect_type: &str,
    body: &[u8],
) -> Result<Vec<u8>, CliError> {
    let (host, port, path) = parse_url(url)?;
    let net = |e: std::io::Error| CliError::io(url, &e);
    let addrs: Vec<_> = (host.as_str(), port)
        .to_socket_addrs()
        .map_err(net)?
        .collect();
    let mut last = None;
    let mut stream = None;
    for a in addrs {
        match TcpStream::connect_timeout(&a, TIMEOUT) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last = Some(e),
        }
    }
    let mut s = match (stream, last) {
        (Some(s), _) => s,
        (None, Some(e)) => return Err(net(e)),
        (None, None) => return Err(CliError::usage(format!("{url}: host has no address"))),
    };
    s.set_read_timeout(Some(TIMEOUT)).map_err(net)?;
    s.set_write_timeout(Some(TIMEOUT)).map_err(net)?;
    let head = format!(
        "POST {path} HTTP/1.0\r\nHost: {host}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).map_err(net)?;
    s.write_all(body).map_err(net)?;
    let mut answer = Vec::new();
    s.take(MAX_ANSWER + 1)
        .read_to_end(&mut answer)
        .map_err(net)?;
    if answer.len() as u64 > MAX_ANSWER {
        return Err(CliError::from_kind(
            gostkit::ErrorKind::DataLimitExceeded,
            format!("{url}: answer larger than {MAX_ANSWER} bytes"),
        ));
    }
    parse_answer(url, &answer, expect_type)
}

/// The body of an HTTP/1.x answer with status 200 and content type `expect_type`.
fn parse_answer(url: &str, answer: &[u8], expect_type: &str) -> Result<Vec<u8>, CliError> {
    let bad = |why: String| {
        CliError::new(
            "malformed",
            crate::EXIT_USAGE_OR_INPUT,
            format!("{url}: {why}"),
        )
    };
    let end = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("no end of HTTP headers".into()))?;
    let (head, body) = answer.split_at(end);
    let body = body.get(4..).unwrap_or_default();
    let head = String::from_utf8_lossy(head);
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap_or_default();
    let mut parts = status.split(' ');
    let (proto, code) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    if !proto.starts_with("HTTP/1.") {
        return Err(bad(format!("not an HTTP answer: {status}")));
    }
    if code != "200" {
        return Err(bad(format!("HTTP status {status}")));
    }
    let mut length = None;
    let mut ctype = None;
    for l in lines {
        if let Some((k, v)) = l.split_once(':') {
            let v = v.trim();
            if k.eq_ignore_ascii_case("content-type") {
                ctype = Some(v.to_ascii_lowercase());
            } else if k.eq_ignore_ascii_case("content-length") {
                length = Some(
                    v.parse::<usize>()
                        .map_err(|_| bad("bad Content-Length".into()))?,
                );
            }
        }
    }
    match ctype {
        Some(t) if t.split(';').next().map(str::trim) == Some(expect_type) => {}
        other => {
            return Err(bad(format!(
                "content type {} (expected {expect_type})",
                other.as_deref().unwrap_or("absent")
            )));
        }
    }
    match length {
        Some(n) => body
            .get(..n)
            .map(<[u8]>::to_vec)
            .ok_or_else(|| bad(format!("body shorter than its Content-Length {n}"))),
        None => Ok(body.to_vec()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            parse_url("http://127.0.0.1:8080/ocsp").unwrap(),
            ("127.0.0.1".into(), 8080, "/ocsp".into())
        );
        assert_eq!(
            parse_url("http://tsa.example").unwrap(),
            ("tsa.example".into(), 80, "/".into())
        );
        assert!(parse_url("https://x/").is_err());
        assert!(parse_url("http://:80/").is_err());
        assert!(parse_url("http://h:99999/").is_err());
    }

    #[test]
    fn answers() {
        let ok = b"HTTP/1.0 200 OK\r\nContent-Type: application/ocsp-response\r\nContent-Length: 3\r\n\r\nabcdef";
        assert_eq!(
            parse_answer("u", ok, "application/ocsp-response").unwrap(),
            b"abc"
        );
        assert!(parse_answer("u", ok, "application/timestamp-reply").is_err());
        let short = b"HTTP/1.1 200 OK\r\nContent-Type: application/ocsp-response\r\nContent-Length: 9\r\n\r\nab";
        assert!(parse_answer("u", short, "application/ocsp-response").is_err());
        let status = b"HTTP/1.0 500 Internal\r\nContent-Type: application/ocsp-response\r\n\r\n";
        assert!(parse_answer("u", status, "application/ocsp-response").is_err());
        assert!(parse_answer("u", b"garbage", "x").is_err());
    }
}
