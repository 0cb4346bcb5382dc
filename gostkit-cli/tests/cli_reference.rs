//! `gostkit --help`, the repository's CLI reference (gostkit-cli/README.md) and the contract
//! (`../shared/CLI.md`) agree: every form `--help` prints is in the reference, and every form of
//! the contract's subcommand table is printed by `--help`. Each subcommand answers `--help`.

#[path = "../../tests/common/cli.rs"]
mod cli;

fn help_forms() -> Vec<String> {
    let run = cli::gostkit(&["--help"]).ok("--help");
    let text = String::from_utf8(run.stdout).expect("utf-8");
    let forms: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("  "))
        .filter(|l| l.starts_with("gostkit "))
        .map(str::to_owned)
        .collect();
    assert!(forms.len() >= 15, "{text}");
    forms
}

#[test]
fn reference_lists_every_form_of_help() {
    let reference = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("gostkit-cli/README.md");
    for form in help_forms() {
        assert!(
            reference.lines().any(|l| l.trim() == form),
            "README.md lacks `{form}`"
        );
    }
}

#[test]
fn help_prints_every_form_of_the_contract() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/CLI.md");
    let Ok(contract) = std::fs::read_to_string(path) else {
        println!("SKIPPED: ../shared/CLI.md is absent (a user's fresh clone)");
        return;
    };
    let table = contract
        .split("## Subcommands\n")
        .nth(1)
        .and_then(|t| t.split("\nFiles written by other tools").next())
        .expect("CLI.md subcommand table");
    let forms = help_forms();
    let mut checked = 0;
    for line in table.lines() {
        let Some(rest) = line.strip_prefix("| `gostkit ") else {
            continue;
        };
        let Some((form, _)) = rest.split_once("` |") else {
            continue;
        };
        let form = format!("gostkit {}", form.replace("\\|", "|"));
        assert!(
            forms.contains(&form),
            "--help lacks the contract's `{form}`"
        );
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} contract forms found");
}

#[test]
fn each_subcommand_answers_help() {
    for sub in [
        "hash",
        "genkey",
        "pubkey",
        "sign",
        "verify",
        "req",
        "x509",
        "verify-chain",
        "cms",
        "pfx",
        "container",
        "ts",
        "ocsp",
        "demo",
    ] {
        let run = cli::gostkit(&[sub, "--help"]).ok(sub);
        let text = String::from_utf8(run.stdout).unwrap();
        assert!(
            text.starts_with(&format!("gostkit {sub}: "))
                && text.contains(&format!("  gostkit {sub} ")),
            "{sub}: {text}"
        );
    }
    // `--` ends options: `--help` after it is an argument.
    let run = cli::gostkit(&["hash", "--", "--help"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    cli::gostkit(&["nosuch", "--help"]).fails(2, "usage", "unknown subcommand");
}
