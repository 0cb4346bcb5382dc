//! Progress of long operations on standard error (CLI.md "Help and progress"): shown only when
//! standard error is a terminal and `--quiet` is not given, and only once an operation has run
//! for [`DELAY`], so short runs and scripts (standard error not a terminal) see nothing.

use std::io::{self, IsTerminal, Read, Write};
use std::time::{Duration, Instant};

/// How long an operation runs before its progress is shown.
const DELAY: Duration = Duration::from_millis(500);
/// How often the progress line is redrawn.
const EVERY: Duration = Duration::from_millis(200);

/// True when progress may be shown: standard error is a terminal and `--quiet` was not given.
pub(crate) fn wanted(quiet: bool) -> bool {
    !quiet && io::stderr().is_terminal()
}

/// A reader counting what it gives and drawing `LABEL: N MiB [of T MiB (P%)]` on standard error
/// (when enabled); the line is erased when the reader is dropped.
pub(crate) struct Progress<R> {
    inner: R,
    label: String,
    total: Option<u64>,
    done: u64,
    enabled: bool,
    start: Instant,
    drawn: Option<Instant>,
}

impl<R> Progress<R> {
    /// Wraps `inner`, the input named `label` of `total` bytes when known; shows progress only
    /// when `enabled` (see [`wanted`]).
    pub(crate) fn new(inner: R, label: &str, total: Option<u64>, enabled: bool) -> Self {
        Self {
            inner,
            label: label.to_owned(),
            total,
            done: 0,
            enabled,
            start: Instant::now(),
            drawn: None,
        }
    }

    fn draw(&mut self) {
        let now = Instant::now();
        if now.duration_since(self.start) < DELAY
            || self.drawn.is_some_and(|t| now.duration_since(t) < EVERY)
        {
            return;
        }
        self.drawn = Some(now);
        let mib = |n: u64| n as f64 / f64::from(1u32 << 20);
        let line = match self.total {
            Some(t) if t > 0 => format!(
                "{}: {:.1} of {:.1} MiB ({}%)",
                self.label,
                mib(self.done),
                mib(t),
                self.done.saturating_mul(100) / t
            ),
            _ => format!("{}: {:.1} MiB", self.label, mib(self.done)),
        };
        // `\r` and "erase line": the line is redrawn in place.
        let mut err = io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
    }
}

impl<R: Read> Read for Progress<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.done = self.done.saturating_add(n as u64);
        if self.enabled {
            self.draw();
        }
        Ok(n)
    }
}

impl<R> Drop for Progress<R> {
    fn drop(&mut self) {
        if self.drawn.is_some() {
            let mut err = io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bytes_pass_through_unchanged_and_are_counted() {
        let data: Vec<u8> = (0..=255u8).cycle().take(300_000).collect();
        let mut p = Progress::new(&data[..], "x", Some(data.len() as u64), false);
        let mut out = Vec::new();
        p.read_to_end(&mut out).unwrap();
        assert_eq!(out, data);
        assert_eq!(p.done, data.len() as u64);
        assert!(p.drawn.is_none(), "disabled: nothing drawn");
    }
}
