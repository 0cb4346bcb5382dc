//! A blocking `Read + Write` stream over a [`ClientConnection`].

use std::io::{self, Read, Write};
use std::sync::Arc;

use super::{ClientConfig, ClientConnection, TlsError};

/// A TLS client stream over a blocking transport (a `TcpStream`; set its timeouts).
pub struct TlsStream<S: Read + Write> {
    conn: ClientConnection,
    sock: S,
    eof: bool,
}

impl<S: Read + Write> TlsStream<S> {
    /// Runs the handshake with `server_name` over `sock`.
    pub fn connect(
        config: Arc<ClientConfig>,
        server_name: &str,
        sock: S,
    ) -> Result<Self, TlsError> {
        let conn = ClientConnection::new(config, server_name)?;
        let mut s = Self {
            conn,
            sock,
            eof: false,
        };
        while s.conn.is_handshaking() {
            s.flush_tls()?;
            s.fill()?;
        }
        s.flush_tls()?;
        if s.conn.is_failed() {
            return Err(TlsError::Closed);
        }
        Ok(s)
    }

    /// The connection state (suite, peer certificates, ALPN).
    pub fn connection(&self) -> &ClientConnection {
        &self.conn
    }

    fn flush_tls(&mut self) -> Result<(), TlsError> {
        let mut out = Vec::new();
        self.conn.write_tls(&mut out);
        if !out.is_empty() {
            self.sock.write_all(&out)?;
            self.sock.flush()?;
        }
        Ok(())
    }

    /// Reads once from the transport and processes what came.
    fn fill(&mut self) -> Result<(), TlsError> {
        let mut buf = [0u8; 8192];
        let n = self.sock.read(&mut buf)?;
        if n == 0 {
            self.eof = true;
            if self.conn.is_handshaking() {
                return Err(TlsError::UnexpectedEof);
            }
            return Ok(());
        }
        let mut off = 0;
        while off < n {
            let took = self.conn.read_tls(&buf[off..n]);
            off += took;
            let r = self.conn.process();
            let _ = self.flush_tls();
            r?;
            if took == 0 && self.conn.plaintext_len() > 0 {
                // the caller must take plaintext first; keep the rest for the next process
                break;
            }
        }
        if off < n {
            // not reachable with the buffer sizes used (8 KiB read, 34 KiB accepted)
            return Err(TlsError::RecordOverflow);
        }
        Ok(())
    }

    /// Sends close_notify.
    pub fn close(&mut self) -> Result<(), TlsError> {
        self.conn.close();
        self.flush_tls()
    }
}

fn to_io(e: TlsError) -> io::Error {
    match e {
        TlsError::Io(e) => e,
        e => io::Error::other(e),
    }
}

impl<S: Read + Write> Read for TlsStream<S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.conn.plaintext_len() > 0 {
                return Ok(self.conn.recv(buf));
            }
            if self.conn.peer_closed() || self.eof {
                return Ok(0);
            }
            self.fill().map_err(to_io)?;
        }
    }
}

impl<S: Read + Write> Write for TlsStream<S> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.conn.send(buf).map_err(to_io)?;
        self.flush_tls().map_err(to_io)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.flush_tls().map_err(to_io)?;
        self.sock.flush()
    }
}
