//! The command line's conveniences for editors, shells and habits from
//! other linters: `check -` with `--stdin-filename`, `completions SHELL`,
//! the manual page, `--statistics`, `--exit-zero`, `--quiet`,
//! `check --version`, and what goes to stderr in every format (the
//! summary, and each skipped file by name).
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::Value;

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// `trustlint check ARGS` with `stdin` on standard input, in `dir`.
fn check_stdin(dir: &std::path::Path, stdin: &str, args: &[&str]) -> (i32, String, String) {
    let out = trustlint()
        .current_dir(dir)
        .arg("check")
        .args(args)
        .write_stdin(stdin)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// `trustlint ARGS`: (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = trustlint().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

// ------------------------------------------------------------ check -

#[test]
fn check_dash_reads_standard_input() {
    let d = tmp();
    let (code, out, err) = check_stdin(d.path(), PUBLIC, &["--format", "concise", "-"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.starts_with("-:6:29: error[TL101] "), "{out}");
    assert!(
        err.contains("Found 1 problem (1 error) in 1 of 1 file"),
        "{err}"
    );

    let (code, out, _) = check_stdin(d.path(), CLEAN, &["-"]);
    assert_eq!(code, 0, "{out}");

    // --stdin-filename names the document in every format.
    let (_, out, _) = check_stdin(
        d.path(),
        PUBLIC,
        &[
            "--format",
            "json",
            "--stdin-filename",
            "roles/public.json",
            "-",
        ],
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["diagnostics"][0]["path"], "roles/public.json");
    assert_eq!(v["diagnostics"][0]["rule"], "TL101");
    // --stdin-filename alone implies `-`, as in ruff.
    let (code, out, _) = check_stdin(
        d.path(),
        PUBLIC,
        &["--format", "concise", "--stdin-filename", "p.json"],
    );
    assert_eq!(code, 1);
    assert!(out.starts_with("p.json:6:29: error[TL101] "), "{out}");
}

#[test]
fn stdin_filename_extension_picks_the_format() {
    let d = tmp();
    // Flow-style YAML that looks like JSON: only its `.yaml` name makes it
    // YAML (content sniffing alone takes `{` for JSON, which fails).
    let yaml = "{AWSTemplateFormatVersion: '2010-09-09', Resources: {R: {Type: 'AWS::IAM::Role', \
                Properties: {AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: \
                [{Effect: Allow, Principal: {AWS: '*'}, Action: 'sts:AssumeRole'}]}}}}}\n";
    let (_, out, _) = check_stdin(
        d.path(),
        yaml,
        &["--format", "json", "--stdin-filename", "stack.yaml", "-"],
    );
    assert_eq!(rules_in(&out), ["TL101"], "{out}");
    let (_, out, _) = check_stdin(d.path(), yaml, &["--format", "json", "-"]);
    assert_eq!(rules_in(&out), ["TL001"], "{out}");

    // Terraform from an editor buffer.
    let hcl = r#"resource "aws_iam_role" "r" {
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "sts:AssumeRole" }]
  })
}
"#;
    let (_, out, _) = check_stdin(
        d.path(),
        hcl,
        &[
            "--format",
            "concise",
            "--stdin-filename",
            "infra/main.tf",
            "-",
        ],
    );
    assert!(out.starts_with("infra/main.tf:4:"), "{out}");
    assert!(out.contains("error[TL101]"), "{out}");
}

#[test]
fn stdin_configuration_is_found_from_the_stdin_filename() {
    let d = tmp();
    write(
        d.path(),
        &[("legacy/trustlint.toml", "ignore = [\"TL101\"]\n")],
    );
    let args = |name| ["--format", "json", "--stdin-filename", name, "-"];
    let (code, out, _) = check_stdin(d.path(), PUBLIC, &args("legacy/p.json"));
    assert_eq!((code, rules_in(&out)), (0, vec![]), "{out}");
    let (code, out, _) = check_stdin(d.path(), PUBLIC, &args("p.json"));
    assert_eq!(
        (code, rules_in(&out)),
        (1, vec!["TL101".to_owned()]),
        "{out}"
    );
    // --no-config still means none.
    let (code, _, _) = check_stdin(
        d.path(),
        PUBLIC,
        &["--no-config", "--stdin-filename", "legacy/p.json", "-"],
    );
    assert_eq!(code, 1);
}

#[test]
fn stdin_misuse_is_a_usage_error() {
    let d = tmp();
    write(d.path(), &[("p.json", PUBLIC)]);
    let (code, _, err) = check_stdin(d.path(), PUBLIC, &["-", "p.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot be combined"), "{err}");
    let (code, _, err) = check_stdin(d.path(), PUBLIC, &["--stdin-filename", "x.json", "p.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("--stdin-filename"), "{err}");
    // Binary input is a named skip, not a crash.
    let (code, _, err) = check_stdin(d.path(), "{\"Statement\": \0}", &["-"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("note: skipped -: "), "{err}");
}

// ------------------------------------------------ completions and man page

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, out, err) = run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.contains("trustlint"), "{shell}");
        // Generated from the definitions: the newest flags are there.
        assert!(out.contains("stdin-filename"), "{shell}");
        assert!(out.contains("statistics"), "{shell}");
    }
    assert_eq!(run(&["completions", "tcsh"]).0, 2);
}

#[test]
fn man_page_from_the_definitions() {
    let (code, page, _) = run(&["man"]);
    assert_eq!(code, 0);
    assert!(page.contains(".TH trustlint 1"), "{page}");
    for sub in ["check", "rules", "completions"] {
        assert!(page.contains(sub), "{sub}");
    }
    // Hidden from help and from its own page.
    let (_, help, _) = run(&["--help"]);
    assert!(!help.contains("man "), "{help}");

    let d = tmp();
    let dir = d.path().join("man1");
    let (code, _, err) = run(&["man", "--dir", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let check = std::fs::read_to_string(dir.join("trustlint-check.1")).unwrap();
    assert!(check.contains(r"stdin\-filename"), "{check}");
    assert!(check.contains(r"exit\-zero"), "{check}");
    assert!(dir.join("trustlint.1").is_file());
    assert!(!dir.join("trustlint-man.1").exists());
}

// ---------------------------------------------------- ruff-style habits

#[test]
fn statistics_count_findings_per_rule() {
    let d = tmp();
    write(
        d.path(),
        &[
            ("a.json", ACCOUNT_ROOT),
            ("b.json", ACCOUNT_ROOT),
            ("c.json", PUBLIC),
        ],
    );
    let (code, out, err) = check(d.path(), &["--statistics", "."]);
    assert_eq!(code, 1, "the exit code still follows the findings");
    let lines: Vec<Vec<&str>> = out
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        lines,
        [
            ["2", "TL102", "account-root-trust"],
            ["2", "TL103", "unguarded-cross-account"],
            ["2", "TL201", "missing-mfa"],
            ["1", "TL101", "public-trust"],
        ],
        "{out}"
    );
    assert!(err.contains("Found 7 problems"), "{err}");

    let (_, out, _) = check(d.path(), &["--statistics", "--format", "json", "."]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["rule"], "TL102");
    assert_eq!(v[0]["name"], "account-root-trust");
    assert_eq!(v[0]["count"], 2);
    assert_eq!(v.as_array().unwrap().len(), 4);

    let (code, out, _) = check(d.path(), &["--statistics", "--select", "TL106", "."]);
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn exit_zero_passes_findings_but_not_errors() {
    let d = tmp();
    write(d.path(), &[("p.json", PUBLIC)]);
    let (code, out, _) = check(d.path(), &["--exit-zero", "--format", "concise", "p.json"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("error[TL101]"),
        "findings are still printed: {out}"
    );
    assert_eq!(
        check(d.path(), &["--exit-zero", "--fail-on", "note", "p.json"]).0,
        0
    );
    assert_eq!(check(d.path(), &["--exit-zero", "missing.json"]).0, 2);
}

#[test]
fn quiet_prints_findings_only() {
    let d = tmp();
    write(
        d.path(),
        &[
            ("p.json", PUBLIC),
            ("helm.yaml", "PolicyDocument: [unclosed\n"),
        ],
    );
    for format in ["human", "concise", "json", "sarif", "github"] {
        let (code, out, err) = check(d.path(), &["--quiet", "--format", format, "."]);
        assert_eq!(code, 1, "{format}");
        assert!(out.contains("TL101"), "{format}: {out}");
        assert_eq!(err, "", "{format}");
    }
    let (_, _, err) = check(d.path(), &["-q", "missing.json"]);
    assert!(
        err.contains("missing.json"),
        "errors are still shown: {err}"
    );
}

#[test]
fn check_version_matches_the_top_level_version() {
    let (code, top, _) = run(&["--version"]);
    assert_eq!(code, 0);
    let (code, sub, _) = run(&["check", "--version"]);
    assert_eq!(code, 0);
    assert_eq!(sub, top);
    assert_eq!(sub, format!("trustlint {}\n", env!("CARGO_PKG_VERSION")));
}

// --------------------------------------------------------------- stderr

#[test]
fn every_format_prints_the_summary_and_names_skipped_files() {
    let d = tmp();
    write(
        d.path(),
        &[
            ("p.json", PUBLIC),
            // Not IAM-related and unparsable: skipped, and now named.
            ("helm.yaml", "PolicyDocument: [unclosed\n"),
            ("nul.json", "{\"Statement\": \0}"),
        ],
    );
    for format in ["human", "concise", "json", "sarif", "github"] {
        let (code, out, err) = check(d.path(), &["--format", format, "."]);
        assert_eq!(code, 1, "{format}");
        assert!(
            err.contains("Found 1 problem (1 error) in 1 of 1 file scanned, 2 files skipped"),
            "{format}: {err}"
        );
        assert!(
            err.contains("note: skipped helm.yaml: not IAM-related and does not parse"),
            "{format}: {err}"
        );
        assert!(
            err.contains("note: skipped nul.json: the file holds NUL bytes"),
            "{format}: {err}"
        );
        if matches!(format, "json" | "sarif") {
            // stdout stays one clean document.
            serde_json::from_str::<Value>(&out).unwrap();
        }
    }
}
