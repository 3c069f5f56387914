//! `trustlint diff` (SPEC §3.2) over real git repositories built here:
//! each change kind, each format, reformattings that are no change, a
//! rename, the working tree as HEAD, and exit codes per `--fail-on`.
//! Skipped, visibly, where `git` is not installed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;

use common::{trustlint, visible};
use serde_json::Value;

fn have_git(test: &str) -> bool {
    let ok = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        visible(&format!("SKIPPED {test}: git is not installed"));
    }
    ok
}

/// git with fixed identity and dates, and no user or system configuration.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", dir)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        git(dir.path(), &["init", "-q", "-b", "main"]);
        Repo { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, name: &str, text: &str) {
        let p = self.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// Commit everything; the commit's ID.
    fn commit(&self, message: &str) -> String {
        git(self.path(), &["add", "-A"]);
        git(
            self.path(),
            &["commit", "-q", "--allow-empty", "-m", message],
        );
        git(self.path(), &["rev-parse", "HEAD"])
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = trustlint()
            .current_dir(self.path())
            .arg("diff")
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }

    fn json(&self, args: &[&str]) -> (i32, Value) {
        let mut a = args.to_vec();
        a.extend(["--format", "json"]);
        let (code, out, err) = self.run(&a);
        let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
        (code, v)
    }
}

fn trust(statements: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#)
}

const MFA: &str = r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}"#;
const NO_MFA: &str = r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}"#;
const EC2: &str = r#"{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}"#;

fn changes(v: &Value) -> &Vec<Value> {
    v["changes"].as_array().unwrap()
}

#[test]
fn mfa_dropped_is_widened_and_fails_by_default() {
    if !have_git("mfa_dropped_is_widened_and_fails_by_default") {
        return;
    }
    let r = Repo::new();
    r.write("roles/admin.json", &trust(MFA));
    let base = r.commit("one");
    r.write("roles/admin.json", &trust(NO_MFA));
    let (code, v) = r.json(&[&base]);
    assert_eq!(code, 1);
    assert_eq!(v["version"], 1);
    assert_eq!(v["base"], base[..7]);
    assert_eq!(v["head"], "working tree");
    let c = changes(&v);
    assert_eq!(c.len(), 1, "{v:#}");
    assert_eq!(c[0]["change"], "widened");
    assert_eq!(c[0]["path"], "roles/admin.json");
    assert_eq!(c[0]["exposure"], "external");
    assert_eq!(c[0]["before"]["mfa"], true);
    assert_eq!(c[0]["after"]["mfa"], false);
    assert_eq!(
        c[0]["what"],
        "MFA is no longer required for account 444455556666"
    );
    assert_eq!(
        v["summary"],
        serde_json::json!({"added": 0, "removed": 0, "widened": 1, "narrowed": 0})
    );
    // The other way round: narrowed, exit 0.
    let head = r.commit("two");
    let (code, v) = r.json(&[&head, &base]);
    assert_eq!(code, 0);
    assert_eq!(changes(&v)[0]["change"], "narrowed");
    assert_eq!(
        changes(&v)[0]["what"],
        "MFA is now required for account 444455556666"
    );
    assert_eq!(v["head"], base[..7]);
}

#[test]
fn added_and_removed_grants_and_fail_on() {
    if !have_git("added_and_removed_grants_and_fail_on") {
        return;
    }
    let r = Repo::new();
    r.write("a.json", &trust(EC2));
    let base = r.commit("one");
    r.write("a.json", &trust(&format!("{EC2}, {NO_MFA}")));
    let (code, v) = r.json(&[&base]);
    assert_eq!(code, 1);
    let c = changes(&v);
    assert_eq!(c.len(), 1, "{v:#}");
    assert_eq!(c[0]["change"], "added");
    assert_eq!(c[0]["exposure"], "external");
    assert!(c[0]["before"].is_null());
    assert_eq!(c[0]["after"]["principal"], "arn:aws:iam::444455556666:root");
    assert!(c[0]["what"]
        .as_str()
        .unwrap()
        .ends_with("can now assume the role"));
    assert_eq!(r.run(&[&base, "--fail-on", "public"]).0, 0);
    assert_eq!(r.run(&[&base, "--fail-on", "never"]).0, 0);
    assert_eq!(r.run(&[&base, "--fail-on", "any"]).0, 1);
    assert_eq!(r.run(&[&base, "--fail-on", "external"]).0, 1);
    // A service grant added: only `any` fails.
    let with_external = r.commit("two");
    r.write("b.json", &trust(EC2));
    assert_eq!(r.run(&[&with_external]).0, 0);
    assert_eq!(r.run(&[&with_external, "--fail-on", "any"]).0, 1);
    // A public grant added: every threshold but never.
    r.write(
        "c.json",
        &trust(r#"{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}"#),
    );
    assert_eq!(r.run(&[&with_external, "--fail-on", "public"]).0, 1);
    // Removed: exit 0.
    std::fs::remove_file(r.path().join("b.json")).unwrap();
    std::fs::remove_file(r.path().join("c.json")).unwrap();
    r.write("a.json", &trust(EC2));
    let (code, v) = r.json(&[&with_external]);
    assert_eq!(code, 0);
    let c = changes(&v);
    assert_eq!(c.len(), 1, "{v:#}");
    assert_eq!(c[0]["change"], "removed");
    assert!(c[0]["after"].is_null());
    assert_eq!(v["summary"]["removed"], 1);
}

#[test]
fn external_id_dropped_and_new_role() {
    if !have_git("external_id_dropped_and_new_role") {
        return;
    }
    let r = Repo::new();
    r.write(
        "vendor.json",
        &trust(r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "abc-123"}}}"#),
    );
    let base = r.commit("one");
    r.write("vendor.json", &trust(NO_MFA));
    r.write(
        "template.yaml",
        "Resources:\n  NewRole:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal:\n              Service: lambda.amazonaws.com\n            Action: sts:AssumeRole\n",
    );
    let (_, v) = r.json(&[&base]);
    let c = changes(&v);
    assert_eq!(c.len(), 2, "{v:#}");
    assert_eq!(c[0]["change"], "added");
    assert_eq!(c[0]["role"], "NewRole");
    assert_eq!(c[0]["exposure"], "service");
    assert_eq!(c[1]["change"], "widened");
    assert_eq!(
        c[1]["what"],
        "an ExternalId is no longer required for account 444455556666"
    );
}

const TF_OIDC: &str = r#"resource "aws_iam_role" "deploy" {
  name                 = "deploy"
  max_session_duration = SESSION
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringLike = {
          "token.actions.githubusercontent.com:sub" = "SUBJECT"
          "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}
"#;

fn tf(subject: &str, session: u32) -> String {
    TF_OIDC
        .replace("SUBJECT", subject)
        .replace("SESSION", &session.to_string())
}

#[test]
fn oidc_subject_widened_and_longer_session() {
    if !have_git("oidc_subject_widened_and_longer_session") {
        return;
    }
    let r = Repo::new();
    r.write(
        "infra/main.tf",
        &tf("repo:acme/app:ref:refs/heads/main", 3600),
    );
    let base = r.commit("one");
    r.write("infra/main.tf", &tf("repo:acme/*", 43200));
    let head = r.commit("two");
    let (code, v) = r.json(&[&base, &head]);
    assert_eq!(code, 0, "federated is below the default threshold");
    assert_eq!(v["head"], head[..7]);
    let c = changes(&v);
    assert_eq!(c.len(), 2, "{v:#}");
    let what: Vec<&str> = c.iter().map(|x| x["what"].as_str().unwrap()).collect();
    assert!(
        what.iter().any(|w| w.contains("any repository of acme")
            && w.contains("was only")
            && w.contains("acme/app on branch main")),
        "{what:?}"
    );
    assert!(what.contains(&"MaxSessionDuration 1 h → 12 h"), "{what:?}");
    assert!(c
        .iter()
        .all(|x| x["change"] == "widened" && x["exposure"] == "federated"));
    assert_eq!(r.run(&[&base, &head, "--fail-on", "any"]).0, 1);
    // Narrowing back.
    let (_, v) = r.json(&[&head, &base]);
    assert!(
        changes(&v).iter().all(|x| x["change"] == "narrowed"),
        "{v:#}"
    );
}

#[test]
fn reformatting_is_no_change() {
    if !have_git("reformatting_is_no_change") {
        return;
    }
    let r = Repo::new();
    r.write("a.json", &trust(&format!("{MFA}, {EC2}")));
    r.write(
        "tf/main.tf",
        "resource \"aws_iam_role\" \"r\" {\n  name = \"r\"\n  assume_role_policy = <<EOF\n{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::444455556666:root\"}, \"Action\": \"sts:AssumeRole\", \"Condition\": {\"StringEquals\": {\"sts:ExternalId\": \"x\"}}}]}\nEOF\n}\n",
    );
    let base = r.commit("one");
    // Indentation, key order, statements reordered.
    r.write(
        "a.json",
        r#"{
    "Statement": [
        {
            "Action": "sts:AssumeRole",
            "Principal": { "Service": "ec2.amazonaws.com" },
            "Effect": "Allow"
        },
        {
            "Condition": { "Bool": { "aws:MultiFactorAuthPresent": "true" } },
            "Action": ["sts:AssumeRole"],
            "Effect": "Allow",
            "Principal": { "AWS": "arn:aws:iam::444455556666:root" }
        }
    ],
    "Version": "2012-10-17"
}
"#,
    );
    // A heredoc turned into jsonencode of the same policy.
    r.write(
        "tf/main.tf",
        "resource \"aws_iam_role\" \"r\" {\n  name = \"r\"\n  assume_role_policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect = \"Allow\"\n      Action = \"sts:AssumeRole\"\n      Principal = { AWS = \"arn:aws:iam::444455556666:root\" }\n      Condition = { StringEquals = { \"sts:ExternalId\" = \"x\" } }\n    }]\n  })\n}\n",
    );
    let (code, v) = r.json(&[&base]);
    assert_eq!(code, 0);
    assert!(changes(&v).is_empty(), "{v:#}");
    let (_, out, _) = r.run(&[&base]);
    assert!(out.contains("No change to who can assume a role"), "{out}");
}

#[test]
fn a_renamed_file_is_no_change() {
    if !have_git("a_renamed_file_is_no_change") {
        return;
    }
    let r = Repo::new();
    r.write("old/admin.json", &trust(NO_MFA));
    let base = r.commit("one");
    git(r.path(), &["mv", "old", "new"]);
    let head = r.commit("rename");
    let (code, v) = r.json(&[&base, &head]);
    assert_eq!(code, 0);
    assert!(changes(&v).is_empty(), "{v:#}");
    // A raw policy file's role is named after the file: renaming the
    // file renames the role, and is still no change.
    git(
        r.path(),
        &["mv", "new/admin.json", "new/administrators.json"],
    );
    let (_, v) = r.json(&[&base]);
    assert!(changes(&v).is_empty(), "{v:#}");
    git(
        r.path(),
        &["mv", "new/administrators.json", "new/admin.json"],
    );
    // Renamed and changed: removed + added.
    r.write("new/admin.json", &trust(MFA));
    let (_, v) = r.json(&[&base]);
    let kinds: Vec<&str> = changes(&v)
        .iter()
        .map(|c| c["change"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["added", "removed"], "{v:#}");
}

#[test]
fn working_tree_paths_and_formats() {
    if !have_git("working_tree_paths_and_formats") {
        return;
    }
    let r = Repo::new();
    r.write("a/x.json", &trust(MFA));
    r.write("b/y.json", &trust(MFA));
    let base = r.commit("one");
    r.write("a/x.json", &trust(NO_MFA));
    r.write("b/y.json", &trust(NO_MFA));
    // PATHS narrow both sides (HEAD is the working tree here).
    let (_, v) = r.json(&[&base, "a"]);
    assert_eq!(changes(&v).len(), 1, "{v:#}");
    assert_eq!(changes(&v)[0]["path"], "a/x.json");
    // And with HEAD given as a revision.
    let (_, v) = r.json(&[&base, "HEAD", "b"]);
    assert!(changes(&v).is_empty(), "{v:#}");
    // From a subfolder: paths stay relative to the repository.
    let out = trustlint()
        .current_dir(r.path().join("b"))
        .args(["diff", &base, ".", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(changes(&v)[0]["path"], "b/y.json");

    let (code, out, _) = r.run(&[&base]);
    assert_eq!(code, 1);
    assert!(
        out.contains("widened[external] role x (a/x.json:1)"),
        "{out}"
    );
    assert!(out.contains("MFA is no longer required for account 444455556666"));
    assert!(out.contains("2 trust changes"), "{out}");

    let (_, out, _) = r.run(&[&base, "--format", "markdown"]);
    assert!(out.starts_with("## Trust changes: "), "{out}");
    assert!(
        out.contains("| Change | Exposure | Role | Where | What |"),
        "{out}"
    );
    assert!(
        out.contains("| ⚠️ widened | external | `x` | `a/x.json:1` |"),
        "{out}"
    );
    assert!(out.contains("<details>"));

    let (_, out, _) = r.run(&[&base, "--format", "github"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].starts_with("::warning file=a/x.json,line=1,title=trustlint diff%3A widened (external)::role x: MFA"),
        "{out}"
    );
}

#[test]
fn deterministic_for_any_jobs() {
    if !have_git("deterministic_for_any_jobs") {
        return;
    }
    let r = Repo::new();
    for i in 0..12 {
        r.write(&format!("r{i}.json"), &trust(MFA));
    }
    let base = r.commit("one");
    for i in 0..12 {
        r.write(&format!("r{i}.json"), &trust(&format!("{NO_MFA}, {EC2}")));
    }
    let one = r.run(&[&base, "--format", "json", "--jobs", "1"]).1;
    let four = r.run(&[&base, "--format", "json", "--jobs", "4"]).1;
    assert_eq!(one, four);
}

#[test]
fn errors_exit_2() {
    if !have_git("errors_exit_2") {
        return;
    }
    let r = Repo::new();
    r.write("a.json", &trust(MFA));
    r.commit("one");
    let (code, _, err) = r.run(&["--", "-n"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is not a revision"), "{err}");
    let (code, _, err) = r.run(&["no-such-branch"]);
    assert_eq!(code, 2);
    assert!(err.contains("names no commit"), "{err}");
    let (code, _, _) = r.run(&["HEAD", "no-such-rev"]);
    assert_eq!(code, 2);
    let outside = tempfile::tempdir().unwrap();
    let out = trustlint()
        .current_dir(outside.path())
        .env("GIT_CEILING_DIRECTORIES", outside.path().parent().unwrap())
        .args(["diff", "HEAD"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn blobs_over_the_size_limit_are_skipped_with_a_note() {
    if !have_git("blobs_over_the_size_limit_are_skipped_with_a_note") {
        return;
    }
    let r = Repo::new();
    // Just over the 64 MiB input limit (whitespace compresses to little).
    let mut big = trust(MFA);
    big.push_str(&" ".repeat(64 * 1024 * 1024));
    r.write("big.json", &big);
    let base = r.commit("one");
    let (code, out, err) = r.run(&[&base, "HEAD"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("No change"), "{out}");
    assert!(err.contains("note: skipped big.json in "), "{err}");
    assert!(
        err.contains("larger than the limit of 67108864 bytes"),
        "{err}"
    );
}

const README_BASE: &str = r#"Resources:
  DeployRole:
    Type: AWS::IAM::Role
    Properties:
      MaxSessionDuration: 3600
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Federated: !Sub arn:aws:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals:
                token.actions.githubusercontent.com:aud: sts.amazonaws.com
                token.actions.githubusercontent.com:sub: repo:acme/app:ref:refs/heads/main
  AuditRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: arn:aws:iam::444455556666:root
            Action: sts:AssumeRole
            Condition:
              Bool:
                aws:MultiFactorAuthPresent: "true"
"#;

const README_HEAD: &str = r#"Resources:
  DeployRole:
    Type: AWS::IAM::Role
    Properties:
      MaxSessionDuration: 43200
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Federated: !Sub arn:aws:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals:
                token.actions.githubusercontent.com:aud: sts.amazonaws.com
              StringLike:
                token.actions.githubusercontent.com:sub: repo:acme/*
  AuditRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: arn:aws:iam::444455556666:root
            Action: sts:AssumeRole
          - Effect: Allow
            Principal:
              AWS: arn:aws:iam::777788889999:role/vendor-scanner
            Action: sts:AssumeRole
"#;

/// The README's example is this repository's output (the commit ID aside).
#[test]
fn readme_example_is_real() {
    if !have_git("readme_example_is_real") {
        return;
    }
    let readme = std::fs::read_to_string(common::repo_root().join("README.md")).unwrap();
    let start = readme.find("$ trustlint diff main\n").unwrap() + "$ trustlint diff main\n".len();
    let shown = &readme[start..];
    let shown = &shown[..shown.find("```").unwrap()];
    let r = Repo::new();
    r.write("templates/roles.yaml", README_BASE);
    let base = r.commit("one");
    r.write("templates/roles.yaml", README_HEAD);
    let (code, out, _) = r.run(&["main"]);
    assert_eq!(code, 1);
    assert_eq!(out.replace(&base[..7], "07cda6d"), shown);
}

/// A Terraform file named as PATHS is compared with its module on both
/// sides alike, and `file()` reads nothing on either side: an edit that
/// keeps the grants is no change.
#[test]
fn terraform_module_and_file_function_alike_on_both_sides() {
    if !have_git("terraform_module_and_file_function_alike_on_both_sides") {
        return;
    }
    let r = Repo::new();
    r.write(
        "tf/variables.tf",
        "variable \"partner\" {\n  default = \"444455556666\"\n}\n",
    );
    r.write("tf/trust.json", &trust(MFA));
    r.write(
        "tf/main.tf",
        "resource \"aws_iam_role\" \"a\" {\n  name = \"a\"\n  assume_role_policy = file(\"${path.module}/trust.json\")\n}\nresource \"aws_iam_role\" \"b\" {\n  name = \"b\"\n  assume_role_policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{ Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = { AWS = \"arn:aws:iam::${var.partner}:root\" } }]\n  })\n}\n",
    );
    let base = r.commit("one");
    let main = std::fs::read_to_string(r.path().join("tf/main.tf")).unwrap();
    r.write("tf/main.tf", &format!("# a comment\n{main}"));
    let (code, v) = r.json(&[&base, "tf/main.tf"]);
    assert_eq!(code, 0);
    assert!(changes(&v).is_empty(), "{v:#}");
    // The variable's value changes: the grant of b changes.
    r.write(
        "tf/variables.tf",
        "variable \"partner\" {\n  default = \"777788889999\"\n}\n",
    );
    let (_, v) = r.json(&[&base]);
    let kinds: Vec<&str> = changes(&v)
        .iter()
        .map(|c| c["change"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["added", "removed"], "{v:#}");
    assert!(changes(&v).iter().all(|c| c["role"] == "b"));
}

/// A pin, an effective condition and an action: each said in one line.
#[test]
fn pin_condition_and_action_widened() {
    if !have_git("pin_condition_and_action_widened") {
        return;
    }
    let r = Repo::new();
    r.write(
        "r.json",
        &trust(r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}, "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}"#),
    );
    let base = r.commit("one");
    r.write(
        "r.json",
        &trust(r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": ["sts:AssumeRole", "sts:TagSession"]}"#),
    );
    let (code, v) = r.json(&[&base]);
    assert_eq!(code, 1);
    let c = changes(&v);
    assert_eq!(c.len(), 1, "{v:#}");
    assert_eq!(c[0]["change"], "widened");
    assert_eq!(
        c[0]["what"],
        "account 444455556666 is no longer pinned to an organisation, account or ARN; \
         account 444455556666 may now also call sts:TagSession; \
         the condition IpAddress aws:sourceip no longer applies"
    );
}
