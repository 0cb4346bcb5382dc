//! A small option parser for the subcommands: `--name VALUE` / `--name=VALUE` options (some
//! repeatable), bare `--flag`s and positional arguments, each subcommand naming what it accepts.

use std::collections::HashMap;
use std::ffi::OsString;

use crate::CliError;

/// What a subcommand accepts.
pub(crate) struct Spec {
    /// Options that take a value.
    pub(crate) valued: &'static [&'static str],
    /// Options without a value.
    pub(crate) flags: &'static [&'static str],
    /// How many positional arguments are allowed.
    pub(crate) max_positional: usize,
}

/// Parsed arguments.
#[derive(Default)]
pub(crate) struct Opts {
    values: HashMap<&'static str, Vec<OsString>>,
    flags: Vec<&'static str>,
    pub(crate) positional: Vec<OsString>,
}

impl Opts {
    /// Parses `args` for the subcommand `cmd` according to `spec`.
    pub(crate) fn parse(cmd: &str, spec: &Spec, args: &[OsString]) -> Result<Self, CliError> {
        let mut out = Opts::default();
        let mut it = args.iter();
        let mut options_done = false;
        while let Some(arg) = it.next() {
            let text = arg.to_string_lossy();
            if options_done || text == "-" || !text.starts_with("--") {
                out.positional.push(arg.clone());
                continue;
            }
            if text == "--" {
                options_done = true;
                continue;
            }
            let (name, inline) = match text.split_once('=') {
                Some((n, v)) => (n.to_owned(), Some(OsString::from(v))),
                None => (text.clone().into_owned(), None),
            };
            if let Some(&known) = spec.valued.iter().find(|o| **o == name) {
                let value = match inline {
                    Some(v) => v,
                    None => it
                        .next()
                        .cloned()
                        .ok_or_else(|| CliError::usage(format!("{cmd}: {name} needs a value")))?,
                };
                out.values.entry(known).or_default().push(value);
            } else if let Some(&known) = spec.flags.iter().find(|o| **o == name) {
                if inline.is_some() {
                    return Err(CliError::usage(format!("{cmd}: {name} takes no value")));
                }
                out.flags.push(known);
            } else {
                return Err(CliError::usage(format!("{cmd}: unknown option `{name}`")));
            }
        }
        if out.positional.len() > spec.max_positional {
            return Err(CliError::usage(format!(
                "{cmd}: unexpected argument `{}`",
                out.positional[spec.max_positional].to_string_lossy()
            )));
        }
        Ok(out)
    }

    /// The value of a single-valued option (the last one given).
    pub(crate) fn get(&self, name: &str) -> Option<&OsString> {
        self.values.get(name).and_then(|v| v.last())
    }

    /// The value of a required option.
    pub(crate) fn require(&self, cmd: &str, name: &str) -> Result<&OsString, CliError> {
        self.get(name)
            .ok_or_else(|| CliError::usage(format!("{cmd}: {name} is required")))
    }

    /// True when the flag was given.
    pub(crate) fn has_flag(&self, name: &str) -> bool {
        self.flags.contains(&name)
    }

    /// Every value of a repeatable option, in order.
    pub(crate) fn all(&self, name: &str) -> &[OsString] {
        self.values.get(name).map_or(&[], |v| v.as_slice())
    }
}
