//! Hostile sizes and secrets (issue 11): documents shaped to make the
//! linter super-linear — hundreds of thousands of keys in one statement,
//! `Fn::Sub` variables and parameters, plan resources on one line — give
//! the same findings as before and bounded output; and no format ever
//! prints an access key ID or a secret access key found in a scanned file
//! (SPEC TL603, §6).
//!
//! Speed is measured by `cargo bench --bench scaling`, never here: the
//! sizes are large enough that a quadratic path would take minutes in a
//! debug build, and the timeouts only turn a hang into a failure.

#![allow(clippy::unwrap_used)] // tests: a panic is a failure

use std::time::Duration;

mod common;

use common::trustlint;
use trustlint::lint::{FileReport, FileStatus};
use trustlint::report::human::{HumanOptions, MAX_LINE_CHARS};
use trustlint::{lint_text, Diagnostic, Settings};

/// Debug builds run smaller inputs.
fn size(release: usize, debug: usize) -> usize {
    if cfg!(debug_assertions) {
        debug
    } else {
        release
    }
}

const KEY_ID: &str = "AKIA2E0A8F3B244C9986";
const SECRET: &str = "k4B8Hq2Zr7Vn1Xp6Lm3Tc9Wd0Yf5Gs8Ja2Ue7Rb+";

/// Human output of these findings of `r`'s file.
fn human(r: &FileReport, diagnostics: Vec<Diagnostic>) -> String {
    let report = trustlint::Report {
        files: vec![FileReport {
            source: r.source.clone(),
            status: FileStatus::Scanned,
            diagnostics,
            suppressed: Vec::new(),
            silenced_by: Vec::new(),
            limits: Vec::new(),
            again: false,
        }],
    };
    trustlint::report::human::render(
        &report,
        &HumanOptions {
            color: false,
            width: 100,
        },
    )
}

#[test]
fn secrets_are_masked_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    // The key ID is a statement key (quoted by the finding's message) and
    // the secret sits on the next line, inside the excerpt; a minified
    // copy puts them on the finding's own (cut) line; a suppression's
    // reason quotes the key ID too.
    let pretty = format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{{\n    \"Effect\": \"Allow\",\n    \"Principal\": {{\"AWS\": \"*\"}},\n    \"{KEY_ID}\": \"x\",\n    \"aws_secret_access_key\": \"{SECRET}\",\n    \"Action\": \"sts:AssumeRole\"\n  }}]\n}}\n"
    );
    let minified = format!(
        "{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Principal\":{{\"AWS\":\"*\"}},\"Sid\":\"{}\",\"{KEY_ID}\":\"x\",\"SecretAccessKey\":\"{SECRET}\",\"Action\":\"sts:AssumeRole\"}}]}}\n",
        "s".repeat(MAX_LINE_CHARS)
    );
    let tf = format!(
        "provider \"aws\" {{\n  access_key = \"{KEY_ID}\"\n  secret_key = \"{SECRET}\"\n}}\nresource \"aws_iam_role\" \"r\" {{\n  assume_role_policy = jsonencode({{ Statement = [{{ Effect = \"Allow\", Principal = {{ AWS = \"*\" }}, Action = \"sts:AssumeRole\" }}] }})\n}}\nresource \"aws_iam_role\" \"s\" {{\n  # trustlint:ignore TL101 accepted, see {KEY_ID}\n  assume_role_policy = jsonencode({{ Statement = [{{ Effect = \"Allow\", Principal = {{ AWS = \"*\" }}, Action = \"sts:AssumeRole\" }}] }})\n}}\n"
    );
    std::fs::write(dir.path().join("pretty.json"), &pretty).unwrap();
    std::fs::write(dir.path().join("minified.json"), &minified).unwrap();
    std::fs::create_dir(dir.path().join("tf")).unwrap();
    std::fs::write(dir.path().join("tf/main.tf"), &tf).unwrap();
    for format in ["human", "concise", "json", "sarif", "github"] {
        let out = trustlint()
            .args(["check", "--show-suppressed", "--format", format, "."])
            .current_dir(dir.path())
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(all.contains("TL101"), "{format}: {all}");
        assert!(!all.contains(KEY_ID), "{format} shows the key ID: {all}");
        assert!(!all.contains(SECRET), "{format} shows the secret: {all}");
        // The key ID is named in its masked form where it is quoted.
        assert!(all.contains("AKIA…9986"), "{format}: {all}");
        if format == "human" {
            assert!(all.contains(&"*".repeat(40)), "{all}");
            assert!(all.contains("minified.json:1:"), "{all}");
        }
    }
}

#[test]
fn aws_example_keys_are_shown() {
    let text = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\n\"AKIAIOSFODNN7EXAMPLE\":\"x\",\n\"aws_secret_access_key\":\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\",\"Action\":\"sts:AssumeRole\"}]}\n";
    let r = lint_text("p.json", text, &Settings::default());
    let out = human(&r, r.diagnostics.clone());
    assert!(out.contains("AKIAIOSFODNN7EXAMPLE"), "{out}");
    assert!(
        out.contains("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        "{out}"
    );
}

/// `{"K0":1,"K1":1,…}` on one line of a statement: one finding per key.
#[test]
fn many_unknown_keys_on_one_line() {
    let n = size(200_000, 20_000);
    let keys: String = (0..n).map(|i| format!(",\"K{i}\":1")).collect();
    let text = format!(
        "{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Principal\":{{\"Service\":\"ec2.amazonaws.com\"}},\"Action\":\"sts:AssumeRole\"{keys},\"K0\":2}}]}}\n"
    );
    let r = lint_text("keys.json", &text, &Settings::default());
    let unknown = r
        .diagnostics
        .iter()
        .filter(|d| d.message.starts_with("unknown statement element"))
        .count();
    let duplicate: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.message.starts_with("duplicate key"))
        .collect();
    assert!(unknown >= n.min(1000), "{unknown}");
    assert_eq!(duplicate.len(), 1);
    assert_eq!(
        &text[duplicate[0].primary.span.range()],
        "\"K0\"",
        "the second K0 is the duplicate"
    );
    // Human output of findings on one huge line stays narrow.
    let mut few: Vec<Diagnostic> = r.diagnostics.iter().take(50).cloned().collect();
    few.push(duplicate[0].clone());
    let out = human(&r, few);
    assert!(out.lines().all(|l| l.chars().count() < 400), "wide line");
    let col = text.rfind("\"K0\"").unwrap() + 1;
    assert!(out.contains(&format!("[keys.json:1:{col}]")), "column");
}

fn cfn_role(principal: &str) -> String {
    format!(
        "\"R\":{{\"Type\":\"AWS::IAM::Role\",\"Properties\":{{\"AssumeRolePolicyDocument\":{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Principal\":{{\"AWS\":{principal}}},\"Action\":\"sts:AssumeRole\"}}]}}}}}}"
    )
}

#[test]
fn many_sub_variables_and_parameters() {
    let n = size(100_000, 20_000);
    // Fn::Sub with n variables, the last one naming a public principal.
    let tpl: String = (0..n).map(|i| format!("${{V{i}}}")).collect();
    let vars: Vec<String> = (0..n)
        .map(|i| format!("\"V{i}\":\"{}\"", if i + 1 == n { "*" } else { "" }))
        .collect();
    let text = format!(
        "{{\"Resources\":{{{}}}}}\n",
        cfn_role(&format!(
            "{{\"Fn::Sub\":[\"{tpl}\",{{{}}}]}}",
            vars.join(",")
        ))
    );
    let r = lint_text("sub.json", &text, &Settings::default());
    assert!(
        r.diagnostics.iter().any(|d| d.rule.id == "TL101"),
        "{:?}",
        r.diagnostics.first().map(|d| &d.message)
    );
    // n parameters, each used once by one Fn::Sub.
    let params: Vec<String> = (0..n)
        .map(|i| format!("\"P{i}\":{{\"Type\":\"String\",\"Default\":\"\"}}"))
        .collect();
    let tpl: String = (0..n).map(|i| format!("${{P{i}}}")).collect();
    let text = format!(
        "{{\"Parameters\":{{{}}},\"Resources\":{{{}}}}}\n",
        params.join(","),
        cfn_role(&format!(
            "{{\"Fn::Sub\":\"arn:aws:iam::111122223333:role/{tpl}x\"}}"
        ))
    );
    let r = lint_text("params.json", &text, &Settings::default());
    assert!(
        r.diagnostics.iter().all(|d| d.rule.id != "TL001"),
        "{:?}",
        r.diagnostics.first().map(|d| &d.message)
    );
}

#[test]
fn a_minified_plan_of_many_roles_in_human_output() {
    let n = size(20_000, 2_000);
    let policy = "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":\\\"*\\\"},\\\"Action\\\":\\\"sts:AssumeRole\\\"}]}";
    let resources: Vec<String> = (0..n)
        .map(|i| format!("{{\"address\":\"aws_iam_role.r{i}\",\"mode\":\"managed\",\"type\":\"aws_iam_role\",\"name\":\"r{i}\",\"values\":{{\"name\":\"r{i}\",\"assume_role_policy\":\"{policy}\"}}}}"))
        .collect();
    let text = format!(
        "{{\"format_version\":\"1.2\",\"planned_values\":{{\"root_module\":{{\"resources\":[{}]}}}}}}\n",
        resources.join(",")
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plan.json"), &text).unwrap();
    let out = trustlint()
        .args(["check", "--format", "human", "plan.json"])
        .current_dir(dir.path())
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.matches("error[TL101]").count(), n);
    assert!(stdout.lines().all(|l| l.chars().count() < 400), "wide line");
    // The last role's column is the file's.
    let last = text.rfind("\\\"*\\\"").unwrap() + 1;
    assert!(stdout.contains(&format!("[plan.json:1:{last}]")), "column");
}

/// 200,000 unrelated `null_resource` blocks and then one public role: the
/// HCL reader stays linear over the blocks it never reads, and the role's
/// finding is at its exact line (TL101 alone: `AWS = "*"` is a valid
/// principal, so no TL105).
#[test]
fn a_public_role_after_200000_null_resources_is_found_at_its_line() {
    let n = 200_000;
    let mut text: String = (0..n)
        .map(|i| format!("resource \"null_resource\" \"n{i}\" {{}}\n"))
        .collect();
    text.push_str(concat!(
        "resource \"aws_iam_role\" \"public\" {\n",
        "  name = \"public\"\n",
        "  assume_role_policy = jsonencode({\n",
        "    Version = \"2012-10-17\"\n",
        "    Statement = [{\n",
        "      Effect    = \"Allow\"\n",
        "      Principal = { AWS = \"*\" }\n",
        "      Action    = \"sts:AssumeRole\"\n",
        "    }]\n",
        "  })\n",
        "}\n",
    ));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), &text).unwrap();
    let out = trustlint()
        .args(["check", "--no-config", "--format", "concise", "main.tf"])
        .current_dir(dir.path())
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    // The principal's line: the n blocks, then the role's seventh line,
    // at the `"*"` after `      Principal = { AWS = `.
    let line = n + 7;
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    assert!(
        lines[0].starts_with(&format!("main.tf:{line}:27: error[TL101] ")),
        "{stdout}"
    );
    assert!(lines[0].contains("aws_iam_role.public"), "{stdout}");
}
