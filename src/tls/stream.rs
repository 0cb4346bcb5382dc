//! A blocking `Read + Write` stream over a [`ClientConnection`] or a [`ServerConnection`].

use std::io::{self, Read, Write};
use std::sync::Arc;

use super::{ClientConfig, ClientConnection, ServerConfig, ServerConnection, TlsError};

/// What the stream needs of a sans-I/O connection.
pub trait Connection {
    /// See [`ClientConnection::read_tls`].
    fn read_tls(&mut self, data: &[u8]) -> usize;
    /// See [`ClientConnection::process`].
    fn process(&mut self) -> Result<(), TlsError>;
    /// See [`ClientConnection::write_tls`].
    fn write_tls(&mut self, out: &mut Vec<u8>);
    /// See [`ClientConnection::is_handshaking`].
    fn is_handshaking(&self) -> bool;
    /// See [`ClientConnection::is_failed`].
    fn is_failed(&self) -> bool;
    /// See [`ClientConnection::peer_closed`].
    fn peer_closed(&self) -> bool;
    /// See [`ClientConnection::send`].
    fn send(&mut self, data: &[u8]) -> Result<(), TlsError>;
    /// See [`ClientConnection::recv`].
    fn recv(&mut self, buf: &mut [u8]) -> usize;
    /// See [`ClientConnection::plaintext_len`].
    fn plaintext_len(&self) -> usize;
    /// See [`ClientConnection::close`].
    fn close(&mut self);
}

macro_rules! connection {
    ($t:ty) => {
        impl Connection for $t {
            fn read_tls(&mut self, data: &[u8]) -> usize {
                <$t>::read_tls(self, data)
            }
            fn process(&mut self) -> Result<(), TlsError> {
                <$t>::process(self)
            }
            fn write_tls(&mut self, out: &mut Vec<u8>) {
                <$t>::write_tls(self, out)
            }
            fn is_handshaking(&self) -> bool {
                <$t>::is_handshaking(self)
            }
            fn is_failed(&self) -> bool {
                <$t>::is_failed(self)
            }
            fn peer_closed(&self) -> bool {
                <$t>::peer_closed(self)
            }
            fn send(&mut self, data: &[u8]) -> Result<(), TlsError> {
                <$t>::send(self, data)
            }
            fn recv(&mut self, buf: &mut [u8]) -> usize {
                <$t>::recv(self, buf)
            }
            fn plaintext_len(&self) -> usize {
                <$t>::plaintext_len(self)
            }
            fn close(&mut self) {
                <$t>::close(self)
            }
        }
    };
}
connection!(ClientConnection);
connection!(ServerConnection);

/// A TLS stream over a blocking transport (a `TcpStream`; set its timeouts).
pub struct TlsStream<S: Read + Write, C: Connection = ClientConnection> {
    conn: C,
    sock: S,
    eof: bool,
    pending: Vec<u8>,
}

impl<S: Read + Write> TlsStream<S, ClientConnection> {
    /// Runs the client handshake with `server_name` over `sock`.
    pub fn connect(
        config: Arc<ClientConfig>,
        server_name: &str,
        sock: S,
    ) -> Result<Self, TlsError> {
        Self::handshake(ClientConnection::new(config, server_name)?, sock)
    }
}

impl<S: Read + Write> TlsStream<S, ServerConnection> {
    /// Runs the server handshake over an accepted `sock`.
    pub fn accept(config: Arc<ServerConfig>, sock: S) -> Result<Self, TlsError> {
        Self::handshake(ServerConnection::new(config), sock)
    }
}

impl<S: Read + Write, C: Connection> TlsStream<S, C> {
    fn handshake(conn: C, sock: S) -> Result<Self, TlsError> {
        let mut s = Self {
            conn,
            sock,
            eof: false,
            pending: Vec::new(),
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
    pub fn connection(&self) -> &C {
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

    /// Processes what is buffered; when that yields no plaintext, reads once from the
    /// transport (at most 8 KiB, kept in `pending` until the connection takes it).
    fn fill(&mut self) -> Result<(), TlsError> {
        let r = self.conn.process();
        let _ = self.flush_tls();
        r?;
        if self.conn.plaintext_len() > 0 || self.conn.peer_closed() {
            return Ok(());
        }
        if self.pending.is_empty() {
            let mut buf = [0u8; 8192];
            let n = self.sock.read(&mut buf)?;
            if n == 0 {
                self.eof = true;
                if self.conn.is_handshaking() {
                    return Err(TlsError::UnexpectedEof);
                }
                return Ok(());
            }
            self.pending.extend_from_slice(buf.get(..n).unwrap_or(&buf));
        }
        let took = self.conn.read_tls(&self.pending);
        self.pending.drain(..took);
        let r = self.conn.process();
        let _ = self.flush_tls();
        r?;
        if took == 0 && self.conn.plaintext_len() == 0 {
            // the connection's buffer is full yet yields nothing: cannot happen with whole
            // records (it holds two of the largest); refuse rather than spin
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

impl<S: Read + Write, C: Connection> Read for TlsStream<S, C> {
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

impl<S: Read + Write, C: Connection> Write for TlsStream<S, C> {
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
