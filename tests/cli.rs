//! End-to-end behaviour of the `trustlint` binary over temporary
//! directories: exit codes, formats, rule selection, configuration,
//! `--output`, determinism across `--jobs`, I/O errors, suppressions,
//! baselines, GitHub workflow commands and SARIF validation.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;

use common::*;
use serde_json::Value;

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

// ---------------------------------------------------------------- exit codes

#[test]
fn exit_codes_follow_fail_on() {
    let d = tmp();
    write(
        d.path(),
        &[
            ("public.json", PUBLIC),
            ("root.json", ACCOUNT_ROOT),
            ("ok.json", CLEAN),
        ],
    );
    // 0: nothing at or above the threshold.
    assert_eq!(check(d.path(), &["ok.json"]).0, 0);
    assert_eq!(check(d.path(), &["--fail-on", "never", "public.json"]).0, 0);
    assert_eq!(check(d.path(), &["--fail-on", "error", "root.json"]).0, 0);
    // 1: findings at or above it.
    assert_eq!(check(d.path(), &["public.json"]).0, 1);
    assert_eq!(check(d.path(), &["root.json"]).0, 1);
    assert_eq!(check(d.path(), &["--fail-on", "error", "public.json"]).0, 1);
    assert_eq!(
        check(d.path(), &[]).0,
        1,
        "default path is the current directory"
    );
    // 2: usage errors.
    assert_eq!(check(d.path(), &["--format", "xml"]).0, 2);
    assert_eq!(check(d.path(), &["--fail-on", "sometimes"]).0, 2);
}

#[test]
fn notes_fail_only_with_fail_on_note() {
    let d = tmp();
    // A suppression that silences nothing is a TL004 note.
    write(
        d.path(),
        &[("t.yaml", "Resources: {} # trustlint:ignore TL101 old\n")],
    );
    let (code, out, _) = check(d.path(), &["--format", "concise", "t.yaml"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("note[TL004]"), "{out}");
    assert_eq!(check(d.path(), &["--fail-on", "note", "t.yaml"]).0, 1);
}

#[test]
fn unreadable_path_is_exit_2_and_the_rest_is_linted() {
    let d = tmp();
    write(d.path(), &[("public.json", PUBLIC)]);
    let (code, out, err) = check(
        d.path(),
        &["--format", "concise", "missing.json", "public.json"],
    );
    assert_eq!(code, 2);
    assert!(out.contains("public.json:6:"), "{out}");
    assert!(err.contains("missing.json"), "{err}");
}

// ------------------------------------------------------------------- formats

#[test]
fn every_format_renders_the_finding() {
    let d = tmp();
    write(d.path(), &[("public.json", PUBLIC)]);
    let (_, human, err) = check(d.path(), &["public.json"]);
    assert!(human.contains("error[TL101] public-trust"), "{human}");
    assert!(human.contains("public.json:6:"), "{human}");
    assert!(human.contains("docs: trustlint rule TL101"), "{human}");
    assert!(!human.contains('\x1b'), "NO_COLOR is respected");
    assert!(err.contains("Found 1 problem (1 error)"), "{err}");

    let (_, concise, _) = check(d.path(), &["--format", "concise", "public.json"]);
    assert!(
        concise.starts_with("public.json:6:29: error[TL101] "),
        "{concise}"
    );

    let (_, json, err) = check(d.path(), &["--format", "json", "public.json"]);
    assert!(
        err.contains("Found 1 problem (1 error)"),
        "machine formats on stdout still summarise on stderr: {err}"
    );
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["diagnostics"][0]["rule"], "TL101");
    assert_eq!(v["diagnostics"][0]["span"]["start"]["line"], 6);

    let (_, sarif, _) = check(d.path(), &["--format", "sarif", "public.json"]);
    let v: Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(v["runs"][0]["results"][0]["ruleId"], "TL101");

    let (_, gh, _) = check(d.path(), &["--format", "github", "public.json"]);
    assert!(
        gh.starts_with("::error file=public.json,line=6,col=29,endLine=6,endColumn=31,title=TL101 public-trust::"),
        "{gh}"
    );
}

#[test]
fn color_always_and_never() {
    let d = tmp();
    write(d.path(), &[("public.json", PUBLIC)]);
    let out = trustlint()
        .current_dir(d.path())
        .env_remove("NO_COLOR")
        .args(["--color", "always", "check", "public.json"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains('\x1b'));
    let out = trustlint()
        .current_dir(d.path())
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .args(["check", "--color=never", "public.json"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\x1b'));
    // clap's own errors follow --color too.
    let out = trustlint()
        .env_remove("NO_COLOR")
        .args(["--color", "always", "check", "--format", "xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains('\x1b'));
}

#[test]
fn no_progress_in_pipes() {
    let d = tmp();
    for i in 0..50 {
        write(d.path(), &[(&format!("f{i}.json"), PUBLIC)]);
    }
    let (_, _, err) = check(d.path(), &["."]);
    assert!(!err.contains('\r'), "{err}");
}

// ------------------------------------------------------------ rule selection

#[test]
fn select_and_ignore_by_id_and_name() {
    let d = tmp();
    write(d.path(), &[("root.json", ACCOUNT_ROOT)]);
    let rules = |args: &[&str]| {
        let mut a = vec!["--format", "json", "root.json"];
        a.extend_from_slice(args);
        rules_in(&check(d.path(), &a).1)
    };
    assert_eq!(rules(&[]), ["TL102", "TL103", "TL201"]);
    assert_eq!(rules(&["--select", "TL102"]), ["TL102"]);
    assert_eq!(
        rules(&["--select", "account-root-trust,missing-mfa"]),
        ["TL102", "TL201"]
    );
    assert_eq!(
        rules(&["--ignore", "TL103", "--ignore", "missing-mfa"]),
        ["TL102"]
    );
    assert_eq!(
        rules(&["--select", "ALL", "--ignore", "tl102"]),
        ["TL103", "TL201"]
    );
}

#[test]
fn unknown_rule_is_exit_2() {
    let d = tmp();
    write(d.path(), &[("root.json", ACCOUNT_ROOT)]);
    let (code, _, err) = check(d.path(), &["--select", "TL999", "root.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown rule `TL999`"), "{err}");
    assert_eq!(
        check(d.path(), &["--ignore", "no-such-rule", "root.json"]).0,
        2
    );
    let out = trustlint().args(["rule", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn rules_and_rule_pages() {
    let out = trustlint().arg("rules").output().unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("TL004  invalid-suppression"), "{s}");
    let out = trustlint()
        .args(["rule", "invalid-suppression"])
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("## What it flags"), "{s}");
}

// ------------------------------------------------------------- configuration

#[test]
fn config_is_discovered_upward_and_flags_override_it() {
    let d = tmp();
    write(
        d.path(),
        &[
            ("trustlint.toml", "ignore = [\"TL103\", \"missing-mfa\"]\n"),
            ("sub/deeper/root.json", ACCOUNT_ROOT),
        ],
    );
    let sub = d.path().join("sub");
    let rules = |dir: &std::path::Path, args: &[&str]| {
        let mut a = vec!["--format", "json"];
        a.extend_from_slice(args);
        rules_in(&check(dir, &a).1)
    };
    assert_eq!(rules(&sub, &["deeper"]), ["TL102"]);
    assert_eq!(rules(d.path(), &["sub/deeper/root.json"]), ["TL102"]);
    assert_eq!(
        rules(&sub, &["--no-config", "deeper"]),
        ["TL102", "TL103", "TL201"]
    );
    // The command line is the last layer: its select wins over the file.
    assert_eq!(rules(&sub, &["--select", "TL103", "deeper"]), ["TL103"]);
    // Its ignore adds to the file's.
    assert_eq!(
        rules(&sub, &["--ignore", "TL102", "deeper"]),
        Vec::<String>::new()
    );
    // --config replaces discovery; the hidden name is found too.
    write(d.path(), &[("other.toml", "select = [\"TL201\"]\n")]);
    assert_eq!(
        rules(d.path(), &["--config", "other.toml", "sub"]),
        ["TL201"]
    );
    std::fs::rename(
        d.path().join("trustlint.toml"),
        d.path().join(".trustlint.toml"),
    )
    .unwrap();
    assert_eq!(rules(&sub, &["deeper"]), ["TL102"]);
}

#[test]
fn config_settings_and_severity_overrides() {
    let d = tmp();
    write(
        d.path(),
        &[
            (
                "trustlint.toml",
                "trusted_accounts = [\"444455556666\"]\n[severity]\naccount-root-trust = \"error\"\nTL201 = \"note\"\n",
            ),
            ("root.json", ACCOUNT_ROOT),
        ],
    );
    let (code, out, _) = check(
        d.path(),
        &["--format", "concise", "--fail-on", "error", "."],
    );
    assert_eq!(code, 1, "TL102 is now an error: {out}");
    assert!(out.contains("error[TL102]"), "{out}");
    assert!(out.contains("note[TL201]"), "{out}");
    assert!(
        !out.contains("TL103"),
        "a trusted account is not external: {out}"
    );
}

#[test]
fn per_path_overrides() {
    let d = tmp();
    write(
        d.path(),
        &[
            (
                "trustlint.toml",
                "[[overrides]]\npaths = [\"legacy/**\"]\nignore = [\"TL102\"]\n[overrides.severity]\nTL103 = \"note\"\n\n[[overrides]]\npaths = [\"strict\"]\nselect = [\"TL201\"]\n",
            ),
            ("legacy/old/root.json", ACCOUNT_ROOT),
            ("new/root.json", ACCOUNT_ROOT),
            ("strict/root.json", ACCOUNT_ROOT),
        ],
    );
    let (_, out, _) = check(d.path(), &["--format", "concise"]);
    let lines: Vec<&str> = out.lines().collect();
    let of =
        |p: &str| -> Vec<&str> { lines.iter().copied().filter(|l| l.starts_with(p)).collect() };
    assert_eq!(of("legacy/").len(), 2, "{out}");
    assert!(
        of("legacy/").iter().any(|l| l.contains("note[TL103]")),
        "{out}"
    );
    assert_eq!(of("new/").len(), 3, "{out}");
    assert_eq!(of("strict/").len(), 1, "{out}");
    assert!(of("strict/")[0].contains("TL201"), "{out}");
    // The same from inside the folder: patterns are relative to the file.
    let (_, out, _) = check(&d.path().join("legacy"), &["--format", "concise"]);
    assert_eq!(out.lines().count(), 2, "{out}");
}

#[test]
fn exclude_applies_to_walks_and_named_files() {
    let d = tmp();
    write(
        d.path(),
        &[
            (
                "trustlint.toml",
                "exclude = [\"vendor/**\", \"node_modules\"]\n",
            ),
            ("vendor/a/public.json", PUBLIC),
            ("x/node_modules/public.json", PUBLIC),
            ("src/public.json", PUBLIC),
        ],
    );
    let (_, out, _) = check(d.path(), &["--format", "concise"]);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("src/public.json"), "{out}");
    let (code, out, _) = check(d.path(), &["vendor/a/public.json"]);
    assert_eq!((code, out.as_str()), (0, ""));
}

/// Config errors point at the key or value: file:line:col in the message.
#[test]
fn config_errors_point_at_the_key() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "select = [\"TL101\"]\nbogus_key = 1\n",
            "trustlint.toml:2:1",
            "unknown field `bogus_key`",
        ),
        (
            "ignore = [\"TL101\", \"TL999\"]\n",
            "trustlint.toml:1:20",
            "unknown rule `TL999`",
        ),
        (
            "trusted_accounts = [\"12345\"]\n",
            "trustlint.toml:1:21",
            "is not an AWS account ID",
        ),
        (
            "\nmax_session_duration = 86400\n",
            "trustlint.toml:2:24",
            "between 3600 and 43200",
        ),
        (
            "recommended_session_duration = \"4h\"\n",
            "trustlint.toml:1:32",
            "invalid type",
        ),
        (
            "[severity]\nTL102 = \"fatal\"\n",
            "trustlint.toml:2:9",
            "unknown severity `fatal`",
        ),
        (
            "[[overrides]]\npaths = [\"a/**\"]\nignore = [\"nope\"]\n",
            "trustlint.toml:3:11",
            "unknown rule `nope`",
        ),
        (
            "select = [\"TL101\"\n",
            "trustlint.toml:",
            "invalid configuration",
        ),
    ];
    for (text, place, message) in cases {
        let d = tmp();
        write(
            d.path(),
            &[("trustlint.toml", text), ("public.json", PUBLIC)],
        );
        let (code, out, err) = check(d.path(), &["public.json"]);
        assert_eq!(code, 2, "{text}");
        assert!(out.is_empty());
        assert!(err.contains(place), "{text}: expected {place} in\n{err}");
        assert!(
            err.contains(message),
            "{text}: expected {message} in\n{err}"
        );
    }
    // An explicit --config that does not exist.
    let d = tmp();
    let (code, _, err) = check(d.path(), &["--config", "nope.toml", "."]);
    assert_eq!(code, 2);
    assert!(err.contains("nope.toml"), "{err}");
}

#[test]
fn config_show_prints_effective_toml() {
    let d = tmp();
    write(
        d.path(),
        &[(
            "trustlint.toml",
            "ignore = [\"session-principal\"]\ntrust_policy_quota = 4096\n",
        )],
    );
    let out = trustlint()
        .current_dir(d.path())
        .args(["config", "--show"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.starts_with("# from trustlint.toml\n"), "{s}");
    let v: toml::Table = toml::from_str(&s).unwrap();
    assert_eq!(v["trust_policy_quota"].as_integer(), Some(4096));
    assert_eq!(v["max_session_duration"].as_integer(), Some(43200));
    assert_eq!(v["ignore"].as_array().unwrap()[0].as_str(), Some("TL106"));
    // What it prints is itself a valid configuration.
    write(d.path(), &[("shown.toml", &s)]);
    assert_eq!(check(d.path(), &["--config", "shown.toml", "."]).0, 0);
    let out = trustlint()
        .current_dir(d.path())
        .args(["config"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "trustlint.toml\n");
}

// ------------------------------------------------------------------ --output

#[test]
fn output_file_is_written_and_summary_stays_on_stderr() {
    let d = tmp();
    write(d.path(), &[("public.json", PUBLIC)]);
    std::fs::create_dir(d.path().join("reports")).unwrap();
    for (format, probe) in [
        ("sarif", "\"2.1.0\""),
        ("json", "\"TL101\""),
        ("human", "error[TL101]"),
    ] {
        let (code, out, err) = check(
            d.path(),
            &[
                "--format",
                format,
                "--output",
                "reports/out.txt",
                "public.json",
            ],
        );
        assert_eq!(code, 1);
        assert!(out.is_empty(), "{out}");
        assert!(err.contains("Found 1 problem"), "{err}");
        let written = std::fs::read_to_string(d.path().join("reports/out.txt")).unwrap();
        assert!(written.contains(probe), "{written}");
    }
    let left: Vec<_> = std::fs::read_dir(d.path().join("reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 1, "no temporary file is left behind: {left:?}");
    let (code, _, err) = check(
        d.path(),
        &["--output", "no/such/dir/out.txt", "public.json"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("cannot write"), "{err}");
}

// ------------------------------------------------------------- determinism

#[test]
fn jobs_1_and_4_give_identical_output() {
    let d = tmp();
    for i in 0..40 {
        let text = match i % 3 {
            0 => PUBLIC,
            1 => ACCOUNT_ROOT,
            _ => CLEAN,
        };
        write(d.path(), &[(&format!("dir{}/f{i:02}.json", i % 4), text)]);
    }
    for format in ["human", "concise", "json", "sarif", "github"] {
        let one = check(d.path(), &["--format", format, "--jobs", "1", "."]);
        let four = check(d.path(), &["--format", format, "--jobs", "4", "."]);
        assert!(!one.1.is_empty());
        assert_eq!(one.1, four.1, "{format}");
        assert_eq!(one.0, four.0);
    }
}

// ------------------------------------------------------------- suppressions

const CFN_PUBLIC: &str = "AWSTemplateFormatVersion: \"2010-09-09\"
Resources:
  OpenRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: \"2012-10-17\"
        Statement:
          - Effect: Allow
            Principal:
              AWS: \"*\"
            Action: sts:AssumeRole
";

const TF_PUBLIC: &str = r#"resource "aws_iam_role" "open" {
  name = "open"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "sts:AssumeRole"
    }]
  })
}
"#;

/// Insert `comment` as a line before the line containing `marker` (with
/// its indentation), or at the end of that line with `trailing`.
fn with_comment(text: &str, marker: &str, comment: &str, trailing: bool) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.contains(marker) {
            if trailing {
                out.push_str(&format!("{line} {comment}\n"));
                continue;
            }
            let indent = &line[..line.len() - line.trim_start().len()];
            out.push_str(&format!("{indent}{comment}\n"));
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Does this build extract policies from this kind of file? (CloudFormation
/// and Terraform extraction land separately; until then, these tests say
/// so and check only what does not need findings.)
fn extracts(dir: &std::path::Path, file: &str) -> bool {
    let (_, out, _) = check(dir, &["--format", "json", "--no-inline-suppressions", file]);
    let found = rules_in(&out).contains(&"TL101".to_owned());
    if !found {
        visible(&format!(
            "SKIPPED part of a suppression test: this build reports nothing for {file} (its extractor is not available yet)"
        ));
    }
    found
}

fn suppression_forms(ext: &str, base: &str, marker: &str, hash: &str) {
    let d = tmp();
    let file = format!("t.{ext}");
    write(d.path(), &[(&file, base)]);
    let has_findings = extracts(d.path(), &file);
    let forms = [
        with_comment(
            base,
            marker,
            &format!("{hash} trustlint:ignore TL101 reviewed: break-glass role"),
            false,
        ),
        with_comment(
            base,
            marker,
            &format!("{hash} trustlint:ignore public-trust reviewed"),
            true,
        ),
        format!("{hash} trustlint:ignore-file TL101 reviewed for the whole file\n{base}"),
    ];
    for text in &forms {
        write(d.path(), &[(&file, text)]);
        let (code, out, _) = check(d.path(), &["--format", "json", "--show-suppressed", &file]);
        let v: Value = serde_json::from_str(&out).unwrap();
        if has_findings {
            assert_eq!(code, 0, "{text}\n{out}");
            assert_eq!(
                v["diagnostics"].as_array().unwrap().len(),
                0,
                "{text}\n{out}"
            );
            let s = &v["suppressed"][0];
            assert_eq!(s["rule"], "TL101", "{out}");
            assert_eq!(s["suppression"]["by"], "comment");
            assert!(s["suppression"]["reason"]
                .as_str()
                .unwrap()
                .starts_with("reviewed"));
            // Ignoring inline suppressions brings the finding back, with no notes.
            let (code, out, _) = check(
                d.path(),
                &["--format", "json", "--no-inline-suppressions", &file],
            );
            assert_eq!(code, 1);
            assert_eq!(rules_in(&out), ["TL101"]);
        } else {
            // Without findings every suppression silences nothing: a note.
            assert!(rules_in(&out).iter().all(|r| r == "TL004"), "{out}");
            let (_, out, _) = check(
                d.path(),
                &["--format", "json", "--no-inline-suppressions", &file],
            );
            assert!(rules_in(&out).is_empty(), "{out}");
        }
    }
}

#[test]
fn yaml_suppression_forms() {
    suppression_forms("yaml", CFN_PUBLIC, "AWS: \"*\"", "#");
}

#[test]
fn hcl_suppression_forms() {
    suppression_forms("tf", TF_PUBLIC, "Principal =", "#");
    suppression_forms("tf", TF_PUBLIC, "Principal =", "//");
}

#[test]
fn suppression_without_reason_is_a_warning_and_still_silences() {
    let d = tmp();
    write(d.path(), &[("t.yaml", CFN_PUBLIC)]);
    let has_findings = extracts(d.path(), "t.yaml");
    let text = with_comment(CFN_PUBLIC, "AWS: \"*\"", "# trustlint:ignore TL101", false);
    write(d.path(), &[("t.yaml", &text)]);
    let (code, out, _) = check(
        d.path(),
        &["--format", "concise", "--show-suppressed", "t.yaml"],
    );
    // SPEC §5: an unexplained silence fails the default gate.
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("t.yaml:11:15: warning[TL004] suppression of `TL101` gives no reason"),
        "{out}"
    );
    if has_findings {
        assert!(
            out.contains("(suppressed by comment on line 11 (no reason given))"),
            "{out}"
        );
    }
}

#[test]
fn unused_unknown_and_malformed_suppressions_are_notes() {
    let d = tmp();
    let text = "# trustlint:ignore-file TL101 nothing public here\n# trustlint:ignore TL999 typo\n# trustlint:ignroe TL101 misspelt\nResources: {}\n";
    write(d.path(), &[("t.yaml", text)]);
    let (_, out, _) = check(d.path(), &["--format", "concise", "t.yaml"]);
    let notes: Vec<&str> = out.lines().collect();
    assert_eq!(notes.len(), 3, "{out}");
    assert!(
        notes[0].contains("suppression of `TL101` silences nothing"),
        "{out}"
    );
    assert!(notes[1].contains("`TL999` is not a rule"), "{out}");
    assert!(
        notes[2].contains("unknown directive `trustlint:ignroe`"),
        "{out}"
    );
    // A suppressed rule that is not selected is not "unused".
    let (_, out, _) = check(
        d.path(),
        &["--format", "concise", "--ignore", "TL101", "t.yaml"],
    );
    assert_eq!(out.lines().count(), 2, "{out}");
    // TL004 itself can be ignored; --no-inline-suppressions reports nothing about them.
    let (_, out, _) = check(
        d.path(),
        &[
            "--format",
            "concise",
            "--ignore",
            "invalid-suppression",
            "t.yaml",
        ],
    );
    assert!(out.is_empty(), "{out}");
    let (_, out, _) = check(
        d.path(),
        &["--format", "concise", "--no-inline-suppressions", "t.yaml"],
    );
    assert!(out.is_empty(), "{out}");
}

#[test]
fn comment_text_inside_strings_is_not_a_suppression() {
    let d = tmp();
    let text = "Description: \"see # trustlint:ignore TL101 in the docs\"\nScript: |\n  # trustlint:ignore TL101 inside a block scalar\nResources: {}\n";
    write(d.path(), &[("t.yaml", text)]);
    let (code, out, _) = check(
        d.path(),
        &["--format", "concise", "--fail-on", "note", "t.yaml"],
    );
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn show_suppressed_in_human_output() {
    let d = tmp();
    write(d.path(), &[("public.json", PUBLIC)]);
    check(d.path(), &["--write-baseline", "baseline.json", "."]);
    let (code, out, err) = check(
        d.path(),
        &["--baseline", "baseline.json", "--show-suppressed", "."],
    );
    assert_eq!(code, 0);
    assert!(out.contains("Suppressed findings (1):"), "{out}");
    assert!(out.contains("public.json:6:29: error[TL101]"), "{out}");
    assert!(out.contains("(suppressed by the baseline)"), "{out}");
    assert!(err.contains("1 finding suppressed"), "{err}");
}

// ----------------------------------------------------------------- baseline

#[test]
fn baseline_survives_moves_and_reports_new_findings() {
    let d = tmp();
    write(
        d.path(),
        &[("roles/root.json", ACCOUNT_ROOT), ("roles/ok.json", CLEAN)],
    );
    let (code, _, err) = check(
        d.path(),
        &["--write-baseline", "trustlint-baseline.json", "."],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("Wrote 3 findings to the baseline"), "{err}");
    let text = std::fs::read_to_string(d.path().join("trustlint-baseline.json")).unwrap();
    let b: Value = serde_json::from_str(&text).unwrap();
    let entries = b["findings"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    for e in entries {
        assert_eq!(e["path"], "roles/root.json");
        assert!(e["fingerprint"].as_str().unwrap().len() == 16);
        assert!(e.get("line").is_none());
    }
    // Writing again gives the same bytes (stable, diff-friendly).
    check(d.path(), &["--write-baseline", "again.json", "."]);
    assert_eq!(
        text,
        std::fs::read_to_string(d.path().join("again.json")).unwrap()
    );

    // Nothing new: exit 0.
    let (code, out, _) = check(
        d.path(),
        &[
            "--baseline",
            "trustlint-baseline.json",
            "--format",
            "json",
            ".",
        ],
    );
    assert_eq!(code, 0);
    assert!(rules_in(&out).is_empty());

    // Move the code down by 10 lines: still baselined.
    let moved = format!("{}{ACCOUNT_ROOT}", "\n".repeat(10));
    write(d.path(), &[("roles/root.json", &moved)]);
    let (code, out, _) = check(
        d.path(),
        &[
            "--baseline",
            "trustlint-baseline.json",
            "--format",
            "json",
            ".",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(rules_in(&out).is_empty());

    // From another directory, with other path spellings: still baselined.
    let (code, _, _) = check(
        &d.path().join("roles"),
        &["--baseline", "../trustlint-baseline.json", "."],
    );
    assert_eq!(code, 0);

    // A new finding is reported; the baselined ones are not.
    write(d.path(), &[("roles/public.json", PUBLIC)]);
    let (code, out, _) = check(
        d.path(),
        &[
            "--baseline",
            "trustlint-baseline.json",
            "--format",
            "json",
            ".",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(rules_in(&out), ["TL101"]);

    // A fixed finding drops out: rewriting the baseline shrinks it.
    write(
        d.path(),
        &[("roles/root.json", CLEAN), ("roles/public.json", CLEAN)],
    );
    check(
        d.path(),
        &["--write-baseline", "trustlint-baseline.json", "."],
    );
    let b: Value = serde_json::from_str(
        &std::fs::read_to_string(d.path().join("trustlint-baseline.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(b["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn bad_baseline_is_exit_2() {
    let d = tmp();
    write(
        d.path(),
        &[
            ("public.json", PUBLIC),
            ("b.json", "{\"version\": 7, \"findings\": []}"),
        ],
    );
    assert_eq!(
        check(d.path(), &["--baseline", "b.json", "public.json"]).0,
        2
    );
    assert_eq!(
        check(d.path(), &["--baseline", "none.json", "public.json"]).0,
        2
    );
    assert_eq!(
        check(
            d.path(),
            &["--baseline", "b.json", "--write-baseline", "c.json", "."]
        )
        .0,
        2,
        "the two flags conflict"
    );
}

// ------------------------------------------------------------ github output

/// Parse `::kind k=v,…::message` lines back into their parts.
fn parse_commands(out: &str) -> Vec<(String, BTreeMap<String, String>, String)> {
    let re = regex::Regex::new(r"^::(error|warning|notice) ([^:]*)::(.*)$").unwrap();
    out.lines()
        .map(|l| {
            let c = re
                .captures(l)
                .unwrap_or_else(|| panic!("not a command: {l}"));
            let props = c[2]
                .split(',')
                .map(|kv| {
                    let (k, v) = kv.split_once('=').unwrap();
                    (k.to_owned(), common::github_unescape(v))
                })
                .collect();
            (c[1].to_owned(), props, common::github_unescape(&c[3]))
        })
        .collect()
}

#[test]
fn github_commands_parse_back() {
    let d = tmp();
    let odd = "we,ird:100%.json";
    write(
        d.path(),
        &[
            (odd, PUBLIC),
            ("root.json", ACCOUNT_ROOT),
            ("t.yaml", "a: 1 # trustlint:ignore TL101 x\n"),
        ],
    );
    let (code, out, err) = check(d.path(), &["--format", "github", "."]);
    assert_eq!(code, 1);
    assert!(err.contains("Found 5 problems"), "{err}");
    let (_, json, _) = check(d.path(), &["--format", "json", "."]);
    let json: Value = serde_json::from_str(&json).unwrap();
    let cmds = parse_commands(&out);
    assert_eq!(cmds.len(), 5, "{out}");
    for ((kind, props, message), d) in cmds.iter().zip(json["diagnostics"].as_array().unwrap()) {
        let want = match d["severity"].as_str().unwrap() {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        assert_eq!(kind, want);
        assert_eq!(props["file"], d["path"].as_str().unwrap());
        assert_eq!(props["line"], d["span"]["start"]["line"].to_string());
        assert_eq!(props["col"], d["span"]["start"]["column"].to_string());
        assert_eq!(
            props["title"],
            format!(
                "{} {}",
                d["rule"].as_str().unwrap(),
                d["name"].as_str().unwrap()
            )
        );
        assert!(
            message.starts_with(d["message"].as_str().unwrap()),
            "{message}"
        );
        assert!(message.contains("\nhelp: "), "{message}");
    }
    // Sorted by path: root.json (3), t.yaml (the note), then the odd name.
    assert_eq!(cmds[3].0, "notice");
    assert_eq!(cmds[4].1["file"], odd, "escaped , : % in the path");
}

// -------------------------------------------------------------------- SARIF

#[test]
fn sarif_of_a_multi_rule_run_validates_against_the_schema() {
    let d = tmp();
    write(
        d.path(),
        &[
            ("roles/public.json", PUBLIC),
            ("roles/root.json", ACCOUNT_ROOT),
            ("roles/with space é.json", PUBLIC),
            ("bad.json", "{\"Statement\": [ }"),
            ("t.yaml", "a: 1 # trustlint:ignore TL101\n"),
        ],
    );
    let (code, out, _) = check(d.path(), &["--format", "sarif", "."]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    let ids: std::collections::BTreeSet<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert!(ids.len() >= 5, "a multi-rule run: {ids:?}");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(rules.len(), trustlint::rules::RULES.len());
    for r in rules {
        assert!(r["helpUri"].as_str().unwrap().contains("/rules/TL"));
        assert!(r["properties"]["tags"].as_array().unwrap().len() <= 20);
    }
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(r["partialFingerprints"]["trustlint/v1"].is_string());
    }
    let public = results
        .iter()
        .find(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "roles/public.json"
        })
        .unwrap();
    let region = &public["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(6), Some(29))
    );
    assert_eq!(
        region["endColumn"].as_u64(),
        Some(32),
        "exclusive end after \"*\""
    );
    assert!(results.iter().any(
        |r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            == "roles/with%20space%20%C3%A9.json"
    ));

    // Fingerprints ignore lines.
    let moved = format!("\n\n\n{PUBLIC}");
    write(d.path(), &[("roles/public.json", &moved)]);
    let (_, out2, _) = check(d.path(), &["--format", "sarif", "roles/public.json"]);
    let v2: Value = serde_json::from_str(&out2).unwrap();
    assert_eq!(
        v2["runs"][0]["results"][0]["partialFingerprints"],
        public["partialFingerprints"]
    );

    let Some(schema) = shared_schema("sarif-schema-2.1.0.json", "sarif validation") else {
        return;
    };
    let validator = validator(&schema);
    assert_eq!(errors(&validator, &v), Vec::<String>::new());
    // With suppressed results (baseline and inline) and a read error.
    check(d.path(), &["--write-baseline", "b.json", "roles"]);
    let (code, out, _) = check(
        d.path(),
        &[
            "--format",
            "sarif",
            "--baseline",
            "b.json",
            "--show-suppressed",
            ".",
            "missing.json",
        ],
    );
    assert_eq!(code, 2);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(out.contains("\"external\""));
    assert_eq!(v["runs"][0]["invocations"][0]["executionSuccessful"], false);
    assert_eq!(errors(&validator, &v), Vec::<String>::new());
    // A broken log does not validate (the validator is not vacuous).
    let mut broken = v.clone();
    broken["version"] = Value::from("2.0");
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    assert_eq!(errors(&validator, &broken).len(), 2);
}
