//! The one runner of the `gostkit` binary for gostkit-cli's tests (included by them with
//! `#[path = "../../tests/common/cli.rs"] mod cli;`).
#![allow(dead_code)] // each test binary uses part of it

use std::io::Write;
use std::process::{Command, Stdio};

/// What a run of `gostkit` gave.
pub struct Run {
    /// Exit status (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: Vec<u8>,
    /// Standard error, as text.
    pub stderr: String,
}

/// Runs `gostkit ARGS` with no standard input.
pub fn gostkit(args: &[&str]) -> Run {
    gostkit_with(args, &[], None)
}

/// Runs `gostkit ARGS` with extra environment variables and, when given, standard input.
pub fn gostkit_with(args: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gostkit"));
    cmd.args(args)
        .envs(env.iter().copied())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run gostkit");
    if let (Some(data), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(data).expect("write stdin");
    }
    let out = child.wait_with_output().expect("wait for gostkit");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

impl Run {
    /// Asserts success (exit 0); returns self for further checks.
    pub fn ok(self, what: &str) -> Self {
        assert_eq!(self.code, 0, "{what}: {}", self.stderr);
        self
    }

    /// Asserts exit `code` with an `error: TOKEN:` line on standard error.
    pub fn fails(self, code: i32, token: &str, what: &str) -> Self {
        assert_eq!(self.code, code, "{what}: {}", self.stderr);
        assert!(
            self.stderr.contains(&format!("error: {token}: ")),
            "{what}: expected token {token}: {}",
            self.stderr
        );
        self
    }
}
