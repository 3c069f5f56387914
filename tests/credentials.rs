//! Where credentials are requested (SPEC §1.1; TL504, TL601–TL606):
//! `tests/credentials/<rule-name>/{fail,pass}-<what>/` is a small
//! repository (workflows under `.github/`, scripts, `.aws/config`, a
//! `trustlint.toml` when the case needs one). `trustlint check` runs in it,
//! and its findings must be exactly the case's `expected` file: one
//! `path:line:column: severity[RULE]` per finding. A `fail-` case must
//! report its folder's rule, a `pass-` case must not.

use std::path::Path;

mod common;

fn cases() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/credentials");
    let mut out = Vec::new();
    for rule in std::fs::read_dir(&root).unwrap() {
        let rule = rule.unwrap().path();
        for case in std::fs::read_dir(&rule).unwrap() {
            out.push(case.unwrap().path());
        }
    }
    out.sort();
    out
}

#[test]
fn every_case_reports_exactly_its_expected_findings() {
    let mut errors = Vec::new();
    for case in cases() {
        let rule_name = case
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let case_name = case.file_name().unwrap().to_string_lossy().into_owned();
        let rule = trustlint::rules::find(&rule_name)
            .unwrap_or_else(|| panic!("tests/credentials/{rule_name} is not a rule's name"));
        let (_, out, err) = common::check(&case, &["--format", "concise", "."]);
        let got: Vec<String> = out
            .lines()
            .map(|l| match l.find("] ") {
                Some(i) => l[..=i].to_owned(),
                None => l.to_owned(),
            })
            .collect();
        let expected: Vec<String> = std::fs::read_to_string(case.join("expected"))
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect();
        if got != expected {
            errors.push(format!(
                "{rule_name}/{case_name}: expected\n{}\ngot\n{out}{err}",
                expected.join("\n")
            ));
        }
        let tag = format!("[{}]", rule.id);
        let reports = got.iter().any(|l| l.contains(&tag));
        if case_name.starts_with("fail-") != reports {
            errors.push(format!(
                "{rule_name}/{case_name}: {} must {}report {}",
                case_name,
                if reports { "not " } else { "" },
                rule.id
            ));
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n\n"));
}

#[test]
fn every_credentials_rule_has_two_failing_and_two_passing_cases() {
    for id in [
        "TL504", "TL601", "TL602", "TL603", "TL604", "TL605", "TL606",
    ] {
        let rule = trustlint::rules::find(id).unwrap();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/credentials")
            .join(rule.name);
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("no cases for {id} in {}", dir.display()))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let n = |p: &str| names.iter().filter(|x| x.starts_with(p)).count();
        assert!(n("fail-") >= 2 && n("pass-") >= 2, "{id}: {names:?}");
    }
}

/// The run over the corpus's 202 credentials-use files: no panic, no
/// internal error, and the findings per rule (checked by hand: see the
/// README, "Where credentials are requested").
#[test]
fn corpus_credentials_use_runs_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/credentials-use");
    if !root.is_dir() {
        common::visible("SKIPPED corpus_credentials_use_runs_clean: ../shared/corpus is absent");
        return;
    }
    let (code, out, err) = common::check(&root, &["--no-config", "--format", "json", "."]);
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut per_rule = std::collections::BTreeMap::new();
    for d in v["diagnostics"].as_array().unwrap() {
        *per_rule
            .entry(d["rule"].as_str().unwrap().to_owned())
            .or_insert(0) += 1;
    }
    eprintln!("credentials-use findings per rule: {per_rule:?}");
    for id in ["TL601", "TL602", "TL606"] {
        assert!(
            per_rule.contains_key(id),
            "{id} never fires on the corpus: {per_rule:?}"
        );
    }
    // TL001 only on the files that are malformed on purpose (the SDKs'
    // parser fixtures).
    for d in v["diagnostics"].as_array().unwrap() {
        if d["rule"] == "TL001" {
            let path = d["path"].as_str().unwrap();
            assert!(path.contains("invalid") || path.contains("bad"), "{d}");
        }
    }
}

#[test]
fn malformed_credentials_files_are_parse_errors_at_their_place() {
    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        &[
            (".aws/config", "[default]\ns3 =\n    bad_syntax @ s3v4\n"),
            (".aws/credentials", "aws_access_key_id = foo\n[x]\n"),
            (".github/workflows/bad.yml", "jobs: [aws\n"),
        ],
    );
    let (code, out, _) = common::check(dir.path(), &["--format", "concise", "."]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out
        .lines()
        .map(|l| l.split(" the file").next().unwrap())
        .collect();
    assert_eq!(
        lines,
        vec![
            ".aws/config:3:5: error[TL001]",
            ".aws/credentials:1:1: error[TL001]",
            ".github/workflows/bad.yml:2:1: error[TL001]",
        ],
        "{out}"
    );
}

/// Hostile shapes of the credentials readers stay linear and bounded.
#[test]
fn credentials_readers_are_linear_on_hostile_shapes() {
    let n = 200_000;
    let texts = [
        ("Jenkinsfile", "withAWS(".repeat(n)),
        (
            "x.sh",
            format!("aws_secret_access_key{}\n", " secret_access_key".repeat(n)),
        ),
        ("y.sh", "$(".repeat(n)),
        (
            "z.sh",
            "aws sts assume-role --duration-seconds \\\n".repeat(n / 10),
        ),
        (".aws/config", "[p]\n".repeat(n)),
        (
            ".github/workflows/w.yml",
            format!(
                "jobs:\n{}",
                (0..n / 10)
                    .map(|i| format!("  j{i}: {{steps: [{{run: 'aws sts get-session-token'}}]}}\n"))
                    .collect::<String>()
            ),
        ),
    ];
    for (name, text) in texts {
        let started = std::time::Instant::now();
        let report = trustlint::lint_text(name, &text, &trustlint::Settings::default());
        // Not a timing assertion: a quadratic reader takes minutes here,
        // and the report must exist.
        let _ = (report.diagnostics.len(), started.elapsed());
    }
}

#[test]
fn suppressions_work_in_yaml_shell_and_ini_comments() {
    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        &[
            (
                ".github/workflows/w.yml",
                "on: push\npermissions:\n  id-token: write\njobs:\n  e2e:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: arn:aws:iam::111122223333:role/e2e\n          # trustlint:ignore TL601 the suite runs for five hours\n          role-duration-seconds: 21600\n      - run: |\n          # trustlint:ignore TL601 a soak test\n          aws sts get-session-token --duration-seconds 7200\n",
            ),
            (
                "ops.sh",
                "#!/bin/sh\naws sts assume-role --role-arn r --role-session-name s --duration-seconds 7200 # trustlint:ignore TL601 break-glass\n",
            ),
            (
                ".aws/config",
                "[profile admin]\nrole_arn = arn:aws:iam::111122223333:role/admin\n; a comment\n# trustlint:ignore TL606 the key lives in a hardware vault\nsource_profile = default\n",
            ),
        ],
    );
    let (code, out, err) = common::check(dir.path(), &["--format", "concise", "."]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("3 findings suppressed") || err.contains("suppressed"),
        "{err}"
    );
}

/// The three places of §1.1 that request a duration (a configure-aws-
/// credentials step, an `aws sts` command in a script, an AWS config
/// profile), each asking for `seconds`; the findings as
/// `path:line:column: severity[RULE]`.
fn durations_requested(seconds: u32) -> (i32, Vec<String>, String) {
    let dir = tempfile::tempdir().unwrap();
    let workflow = format!(
        "name: soak\non: [push]\npermissions:\n  id-token: write\n  contents: read\njobs:\n  soak:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: arn:aws:iam::111122223333:role/soak\n          aws-region: us-east-1\n          role-duration-seconds: {seconds}\n"
    );
    let script = format!(
        "#!/bin/sh\nset -eu\naws sts assume-role --role-arn arn:aws:iam::111122223333:role/ops \\\n  --role-session-name ops --duration-seconds {seconds}\n"
    );
    let config = format!(
        "[default]\nregion = us-east-1\n\n[profile admin]\nrole_arn = arn:aws:iam::111122223333:role/admin\ncredential_source = Environment\nduration_seconds = {seconds}\n"
    );
    common::write(
        dir.path(),
        &[
            (".github/workflows/soak.yml", &workflow),
            ("scripts/assume.sh", &script),
            (".aws/config", &config),
        ],
    );
    let (code, out, err) = common::check(dir.path(), &["--format", "concise", "."]);
    let got = out
        .lines()
        .map(|l| match l.find("] ") {
            Some(i) => l[..=i].to_owned(),
            None => l.to_owned(),
        })
        .collect();
    (code, got, format!("{out}{err}"))
}

/// TL301: a duration over AWS's 12-hour maximum (43200 s) requested in a
/// workflow, a script or a profile is an error at the value itself, and
/// it is TL301 alone (not TL601 or TL303 as well).
#[test]
fn durations_over_twelve_hours_are_tl301_in_workflow_script_and_profile() {
    let (code, got, all) = durations_requested(50_000);
    assert_eq!(code, 1, "{all}");
    assert_eq!(
        got,
        vec![
            ".aws/config:7:20: error[TL301]",
            ".github/workflows/soak.yml:14:34: error[TL301]",
            "scripts/assume.sh:4:46: error[TL301]",
        ],
        "{all}"
    );
    assert!(all.contains("50000 s"), "{all}");
}

/// At exactly 43200 s the request is allowed by AWS: no TL301, but the
/// step and the script are over the automation recommendation (TL601)
/// and the profile, used by people, over the recommended maximum (TL303).
/// One second more is TL301 everywhere.
#[test]
fn twelve_hours_exactly_is_not_tl301_and_one_second_more_is() {
    let (code, got, all) = durations_requested(43_200);
    assert_eq!(code, 1, "{all}");
    assert_eq!(
        got,
        vec![
            ".aws/config:7:20: note[TL303]",
            ".github/workflows/soak.yml:14:34: warning[TL601]",
            "scripts/assume.sh:4:46: warning[TL601]",
        ],
        "{all}"
    );
    let (_, got, all) = durations_requested(43_201);
    assert_eq!(
        got,
        vec![
            ".aws/config:7:20: error[TL301]",
            ".github/workflows/soak.yml:14:34: error[TL301]",
            "scripts/assume.sh:4:46: error[TL301]",
        ],
        "{all}"
    );
}
