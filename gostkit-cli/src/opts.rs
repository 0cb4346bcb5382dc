//! A small option parser for the subcommands: `--name VALUE` / `--name=VALUE` options (some
//! repeatable), bare `--flag`s and positional arguments, each subcommand naming what it accepts.
//! A password option `--X-env` in a subcommand's list also brings `--X-file` and `--X-fd`
//! (CLI.md "Passwords"), and every subcommand takes `--quiet` (no progress on standard error).

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

/// Where a password comes from (CLI.md "Passwords"): `--X-env VAR`, `--X-file FILE` or `--X-fd N`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PassSource {
    /// The value of an environment variable.
    Env(OsString),
    /// The first line of a file.
    File(OsString),
    /// What an open file descriptor gives up to its first line end.
    Fd(OsString),
}

/// Parsed arguments.
#[derive(Default)]
pub(crate) struct Opts {
    values: HashMap<&'static str, Vec<OsString>>,
    /// Password sources, keyed by the `--X-env` option of the spec they stand for.
    pass: HashMap<&'static str, PassSource>,
    flags: Vec<&'static str>,
    /// `--quiet`: no progress on standard error.
    quiet: bool,
    pub(crate) positional: Vec<OsString>,
}

/// Makes a [`PassSource`] of one kind from the option's value.
type MakeSource = fn(OsString) -> PassSource;

/// The `--X-env` option of `spec` that `name` (`--X-env`, `--X-file` or `--X-fd`) names a
/// password source for, with the source's kind; only options whose stem ends in `pass`.
fn pass_option(spec: &Spec, name: &str) -> Option<(&'static str, MakeSource)> {
    let (stem, kind): (&str, MakeSource) = if let Some(stem) = name.strip_suffix("-env") {
        (stem, PassSource::Env)
    } else if let Some(stem) = name.strip_suffix("-file") {
        (stem, PassSource::File)
    } else if let Some(stem) = name.strip_suffix("-fd") {
        (stem, PassSource::Fd)
    } else {
        return None;
    };
    if !stem.ends_with("pass") {
        return None;
    }
    spec.valued
        .iter()
        .find(|o| o.strip_suffix("-env") == Some(stem))
        .map(|&env| (env, kind))
}

/// The value of option `name`: the inline `--name=value` part, else the next argument.
fn option_value<'a>(
    inline: Option<OsString>,
    rest: &mut impl Iterator<Item = &'a OsString>,
    cmd: &str,
    name: &str,
) -> Result<OsString, CliError> {
    match inline {
        Some(v) => Ok(v),
        None => rest
            .next()
            .cloned()
            .ok_or_else(|| CliError::usage(format!("{cmd}: {name} needs a value"))),
    }
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
            if name == "--quiet" {
                if inline.is_some() {
                    return Err(CliError::usage(format!("{cmd}: {name} takes no value")));
                }
                out.quiet = true;
            } else if let Some((env, kind)) = pass_option(spec, &name) {
                let value = option_value(inline, &mut it, cmd, &name)?;
                let stem = env.trim_end_matches("-env");
                if out.pass.insert(env, kind(value)).is_some() {
                    return Err(CliError::usage(format!(
                        "{cmd}: give one of {stem}-env, {stem}-file, {stem}-fd, once"
                    )));
                }
            } else if let Some(&known) = spec.valued.iter().find(|o| **o == name) {
                let value = option_value(inline, &mut it, cmd, &name)?;
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

    /// The password source given for the `--X-env` option `env` (or its `-file`/`-fd` forms).
    pub(crate) fn pass_source(&self, env: &str) -> Option<&PassSource> {
        self.pass.get(env)
    }

    /// True when `--quiet` was given.
    pub(crate) fn quiet(&self) -> bool {
        self.quiet
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
