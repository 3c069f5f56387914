//! The streaming report (issue 12, SPEC §6): each file's findings are
//! written in path order as soon as every earlier file is done, byte for
//! byte the same for any `--jobs`, in every format; a policy file that a
//! Terraform module reads is reported once with the findings of both
//! when the module is near it, and is never counted twice when it is not.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::Value;

const FORMATS: [&str; 5] = ["human", "concise", "json", "sarif", "github"];

/// A tree of `n` files of which every seventh has a finding, one is
/// suppressed and one is read by a Terraform module beside it.
fn tree(n: usize) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let mut files: Vec<(String, String)> = Vec::new();
    for i in 0..n {
        let dir = format!("team{:02}/svc{}", i % 13, i % 3);
        let text = match i % 7 {
            0 => PUBLIC.to_owned(),
            3 => ACCOUNT_ROOT.to_owned(),
            _ => CLEAN.to_owned(),
        };
        files.push((format!("{dir}/p{i:04}.json"), text));
    }
    files.push((
        "team00/svc0/quiet.yaml".to_owned(),
        "Resources: {} # trustlint:ignore TL101 nothing here\n".to_owned(),
    ));
    files.push(("mod/trust.json".to_owned(), PUBLIC.to_owned()));
    files.push((
        "mod/main.tf".to_owned(),
        "resource \"aws_iam_role\" \"near\" {\n  name = \"near\"\n  assume_role_policy = file(\"${path.module}/trust.json\")\n}\n".to_owned(),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    write(d.path(), &refs);
    d
}

/// The report without the summary line's timing.
fn run(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let (code, out, err) = check(dir, args);
    let err = err
        .lines()
        .map(|l| match l.rfind(" (") {
            Some(i) if l.ends_with(" s).") => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    (code, out, err)
}

#[test]
fn every_format_is_identical_for_any_jobs() {
    let d = tree(700);
    for format in FORMATS {
        let one = run(
            d.path(),
            &[
                "--format",
                format,
                "--color",
                "never",
                "--jobs",
                "1",
                "--show-suppressed",
            ],
        );
        assert_eq!(one.0, 1, "{format}: {}", one.2);
        assert!(!one.1.is_empty(), "{format}");
        for jobs in ["2", "5"] {
            let many = run(
                d.path(),
                &[
                    "--format",
                    format,
                    "--color",
                    "never",
                    "--jobs",
                    jobs,
                    "--show-suppressed",
                ],
            );
            assert_eq!(one, many, "{format} with --jobs {jobs}");
        }
    }
}

#[test]
fn json_is_in_path_order_and_counts_every_file_once() {
    let d = tree(300);
    let (_, out, _) = run(d.path(), &["--format", "json", "--jobs", "3"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let paths: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    // 300 policies, the suppressed template, the module's two files.
    assert_eq!(v["summary"]["files_scanned"], 303);
    // The module's policy file: one finding, naming the role.
    let trust: Vec<&Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == "mod/trust.json")
        .collect();
    assert_eq!(trust.len(), 1, "{trust:?}");
    assert_eq!(trust[0]["resource"], "aws_iam_role.near");
    assert_eq!(v["diagnostics"][0]["path"], "mod/trust.json");
}

#[test]
fn a_policy_read_far_from_its_place_is_not_counted_twice() {
    // The module is thousands of files after the policy it reads: the
    // policy's own report has been written when the module's arrives.
    let d = tempfile::tempdir().unwrap();
    let mut files: Vec<(String, String)> = vec![("a/00-policy.json".to_owned(), PUBLIC.to_owned())];
    for i in 0..4200 {
        files.push((format!("a/f{i:05}.json"), CLEAN.to_owned()));
    }
    files.push((
        "z/main.tf".to_owned(),
        "resource \"aws_iam_role\" \"far\" {\n  name = \"far\"\n  assume_role_policy = file(\"${path.module}/../a/00-policy.json\")\n}\n".to_owned(),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    write(d.path(), &refs);
    let one = run(d.path(), &["--format", "concise", "--jobs", "1"]);
    let two = run(d.path(), &["--format", "concise", "--jobs", "2"]);
    assert_eq!(one, two);
    let lines: Vec<&str> = one.1.lines().collect();
    assert_eq!(
        lines,
        [
            "a/00-policy.json:6:29: error[TL101] this role can be assumed by any AWS principal",
            "a/00-policy.json:6:29: error[TL101] role `far` can be assumed by any AWS principal [aws_iam_role.far]",
        ],
        "{}",
        one.1
    );
    assert!(one.2.contains("in 1 of 4202 files scanned"), "{}", one.2);
}

#[test]
fn a_closed_pipe_ends_quietly_and_the_exit_code_stays() {
    let d = tree(400);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_trustlint"))
        .args(["check", "--no-config", "--format", "concise", "--jobs", "2"])
        .current_dir(d.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, then close the pipe.
    {
        use std::io::BufRead;
        let out = child.stdout.take().unwrap();
        let mut first = String::new();
        std::io::BufReader::new(out).read_line(&mut first).unwrap();
        assert!(first.contains("error[TL101]"), "{first}");
    }
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("error:"), "{err}");
    assert!(err.contains("Found"), "{err}");
}
