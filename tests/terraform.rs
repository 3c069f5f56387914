//! Terraform HCL, `.tf.json` and plan extraction, end to end.
//!
//! Two kinds of tests: every Terraform/plan fixture under
//! `tests/fixtures/<rule>/{fail,pass}-{tf,tfjson,plan}-*` reports exactly
//! the listed (rule, line) pairs (the snapshots in `tests/snapshots/` show
//! the messages and columns), and resolution cases — variables, locals,
//! data sources, heredocs, modules of several files, UTF-16 plans — that
//! pin down what is resolved, what stays unknown, and where spans point.

#![allow(clippy::unwrap_used)] // tests: a panic is a failure

use std::path::{Path, PathBuf};

use trustlint::{lint_text, FileReport, Settings};

/// (fixture, [(rule, line)]) — every finding of the file, sorted by position.
const FIXTURES: &[(&str, &[(&str, usize)])] = &[
    // A conditional whose condition is known from a default selects its
    // branch; one on an empty (`null`) default stays unknown.
    (
        "account-root-trust/fail-tf-conditional-default.tf",
        &[("TL102", 14), ("TL201", 14)],
    ),
    ("public-trust/pass-tf-conditional-null-default.tf", &[]),
    // `aws_iam_user.x.arn` is a user of this account.
    ("missing-mfa/fail-tf-user-resource-arn.tf", &[("TL201", 11)]),
    // A role the plan updates has its ARN: its account is this account.
    (
        "unguarded-cross-account/pass-plan-existing-role-own-account.json",
        &[("TL102", 15), ("TL201", 15)],
    ),
    // Two `condition` blocks with the same `test`: each finding on the
    // operator points at its own block.
    (
        "condition-misuse/fail-tf-condition-blocks-same-test.tf",
        &[("TL403", 7), ("TL203", 10), ("TL204", 11), ("TL203", 15)],
    ),
    // A literal condition beside a `dynamic` block is still checked; the
    // statement rules, which would need the unknown parts, stay quiet.
    (
        "condition-misuse/fail-tf-literal-beside-dynamic-condition.tf",
        &[("TL203", 14)],
    ),
    (
        "ineffective-mfa/fail-tf-literal-beside-dynamic-principals.tf",
        &[("TL202", 16)],
    ),
    (
        "account-root-trust/fail-plan-this-account-root.json",
        &[("TL102", 15)],
    ),
    (
        "account-root-trust/fail-tf-this-account-root.tf",
        &[("TL102", 11)],
    ),
    (
        "account-root-trust/fail-tfjson-this-account-root.tf.json",
        &[("TL102", 11)],
    ),
    ("account-root-trust/pass-plan-this-account-role.json", &[]),
    ("account-root-trust/pass-tf-this-account-role.tf", &[]),
    (
        "account-root-trust/pass-tfjson-this-account-role.tf.json",
        &[],
    ),
    ("assume-any-role/fail-plan-any-role.json", &[("TL501", 17)]),
    ("assume-any-role/fail-tf-any-role.tf", &[("TL501", 9)]),
    (
        "assume-any-role/fail-tfjson-any-role.tf.json",
        &[("TL501", 6)],
    ),
    ("assume-any-role/pass-plan-named-role.json", &[]),
    ("assume-any-role/pass-tf-named-role.tf", &[]),
    ("assume-any-role/pass-tfjson-named-role.tf.json", &[]),
    (
        "invalid-policy/fail-plan-trust-with-resource.json",
        &[("TL002", 15)],
    ),
    (
        "invalid-policy/fail-tf-trust-with-resource.tf",
        &[("TL002", 13)],
    ),
    (
        "invalid-policy/fail-tfjson-trust-with-resource.tf.json",
        &[("TL002", 6)],
    ),
    ("invalid-policy/pass-plan-service-trust.json", &[]),
    ("invalid-policy/pass-tf-service-trust.tf", &[]),
    ("invalid-policy/pass-tfjson-service-trust.tf.json", &[]),
    (
        "invalid-session-duration/fail-plan-15-minutes.json",
        &[("TL302", 18)],
    ),
    (
        "invalid-session-duration/fail-tf-15-minutes.tf",
        &[("TL302", 16)],
    ),
    (
        "invalid-session-duration/fail-tfjson-15-minutes.tf.json",
        &[("TL302", 7)],
    ),
    ("invalid-session-duration/pass-plan-1h.json", &[]),
    ("invalid-session-duration/pass-tf-1h.tf", &[]),
    ("invalid-session-duration/pass-tfjson-1h.tf.json", &[]),
    ("long-session-duration/fail-plan-8h.json", &[("TL303", 18)]),
    ("long-session-duration/fail-tf-8h.tf", &[("TL303", 16)]),
    (
        "long-session-duration/fail-tfjson-8h.tf.json",
        &[("TL303", 7)],
    ),
    ("long-session-duration/pass-plan-4h.json", &[]),
    ("long-session-duration/pass-tf-4h.tf", &[]),
    ("long-session-duration/pass-tfjson-4h.tf.json", &[]),
    ("missing-mfa/fail-plan-user.json", &[("TL201", 15)]),
    ("missing-mfa/fail-tf-user.tf", &[("TL201", 11)]),
    ("missing-mfa/fail-tfjson-user.tf.json", &[("TL201", 11)]),
    ("missing-mfa/pass-plan-user-with-mfa.json", &[]),
    ("missing-mfa/pass-tf-user-with-mfa.tf", &[]),
    ("missing-mfa/pass-tfjson-user-with-mfa.tf.json", &[]),
    (
        "missing-web-identity-audience/fail-plan-github-no-aud.json",
        &[("TL403", 15)],
    ),
    (
        "missing-web-identity-audience/fail-tf-github-no-aud.tf",
        &[("TL403", 11)],
    ),
    (
        "missing-web-identity-audience/fail-tfjson-github-no-aud.tf.json",
        &[("TL403", 11)],
    ),
    (
        "missing-web-identity-audience/pass-plan-github-aud.json",
        &[],
    ),
    ("missing-web-identity-audience/pass-tf-github-aud.tf", &[]),
    (
        "missing-web-identity-audience/pass-tfjson-github-aud.tf.json",
        &[],
    ),
    (
        "parse-error/fail-plan-truncated-policy-string.json",
        &[("TL001", 15)],
    ),
    (
        "parse-error/fail-tf-heredoc-trailing-comma.tf",
        &[("TL001", 10)],
    ),
    ("parse-error/fail-tf-unclosed-block.tf", &[("TL001", 8)]),
    ("parse-error/pass-tf-heredoc-template-directive.tf", &[]),
    ("public-trust/fail-plan-aws-star.json", &[("TL101", 15)]),
    ("public-trust/fail-tf-aws-star.tf", &[("TL101", 7)]),
    (
        "public-trust/fail-tfjson-aws-star.tf.json",
        &[("TL101", 14)],
    ),
    ("public-trust/pass-plan-aws-star-org-pinned.json", &[]),
    ("public-trust/pass-tf-aws-star-org-pinned.tf", &[]),
    ("public-trust/pass-tfjson-aws-star-org-pinned.tf.json", &[]),
    (
        "saml-missing-audience/fail-plan-okta-no-aud.json",
        &[("TL404", 15)],
    ),
    (
        "saml-missing-audience/fail-tf-okta-no-aud.tf",
        &[("TL404", 12)],
    ),
    (
        "saml-missing-audience/fail-tfjson-okta-no-aud.tf.json",
        &[("TL404", 11)],
    ),
    ("saml-missing-audience/pass-plan-okta-aud.json", &[]),
    ("saml-missing-audience/pass-tf-okta-aud.tf", &[]),
    ("saml-missing-audience/pass-tfjson-okta-aud.tf.json", &[]),
    (
        "service-confused-deputy/fail-plan-ecs-tasks.json",
        &[("TL108", 15)],
    ),
    (
        "service-confused-deputy/fail-tf-region-interpolated.tf",
        &[("TL108", 7)],
    ),
    (
        "service-confused-deputy/fail-tf-ecs-tasks.tf",
        &[("TL108", 7)],
    ),
    (
        "service-confused-deputy/fail-tfjson-ecs-tasks.tf.json",
        &[("TL108", 14)],
    ),
    (
        "service-confused-deputy/pass-plan-ecs-tasks-source-account.json",
        &[],
    ),
    (
        "service-confused-deputy/pass-tf-ecs-tasks-source-account.tf",
        &[],
    ),
    (
        "service-confused-deputy/pass-tfjson-ecs-tasks-source-account.tf.json",
        &[],
    ),
    (
        "session-duration-over-limit/fail-plan-24h.json",
        &[("TL301", 18)],
    ),
    (
        "session-duration-over-limit/fail-tf-24h.tf",
        &[("TL301", 16)],
    ),
    (
        "session-duration-over-limit/fail-tfjson-24h.tf.json",
        &[("TL301", 7)],
    ),
    (
        "session-duration-over-limit/pass-plan-12h.json",
        &[("TL303", 18)],
    ),
    (
        "session-duration-over-limit/pass-tf-12h.tf",
        &[("TL303", 16)],
    ),
    (
        "session-duration-over-limit/pass-tfjson-12h.tf.json",
        &[("TL303", 7)],
    ),
    (
        "unguarded-cross-account/fail-plan-external-role.json",
        &[("TL103", 15)],
    ),
    (
        "unguarded-cross-account/fail-tf-external-role.tf",
        &[("TL103", 10)],
    ),
    (
        "unguarded-cross-account/fail-tfjson-external-role.tf.json",
        &[("TL103", 6)],
    ),
    (
        "unguarded-cross-account/pass-plan-external-role-external-id.json",
        &[],
    ),
    (
        "unguarded-cross-account/pass-tf-external-role-external-id.tf",
        &[],
    ),
    (
        "unguarded-cross-account/pass-tfjson-external-role-external-id.tf.json",
        &[],
    ),
    (
        "unrestricted-web-identity/fail-plan-github-audience-only.json",
        &[("TL401", 15)],
    ),
    (
        "unrestricted-web-identity/fail-tf-github-audience-only.tf",
        &[("TL401", 9)],
    ),
    (
        "unrestricted-web-identity/fail-tfjson-github-audience-only.tf.json",
        &[("TL401", 17)],
    ),
    (
        "unrestricted-web-identity/pass-plan-github-repo-branch.json",
        &[],
    ),
    (
        "unrestricted-web-identity/pass-tf-github-repo-branch.tf",
        &[],
    ),
    (
        "unrestricted-web-identity/pass-tfjson-github-repo-branch.tf.json",
        &[],
    ),
    (
        "wildcard-web-identity-subject/fail-plan-github-any-repo.json",
        &[("TL402", 15)],
    ),
    (
        "wildcard-web-identity-subject/fail-tf-github-any-repo.tf",
        &[("TL402", 21)],
    ),
    (
        "wildcard-web-identity-subject/fail-tfjson-github-any-repo.tf.json",
        &[("TL402", 33)],
    ),
    (
        "wildcard-web-identity-subject/pass-plan-github-org-repos.json",
        &[],
    ),
    (
        "wildcard-web-identity-subject/pass-tf-github-org-repos.tf",
        &[],
    ),
    (
        "wildcard-web-identity-subject/pass-tfjson-github-org-repos.tf.json",
        &[],
    ),
];

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// (rule, line, column) of every finding.
fn findings(r: &FileReport) -> Vec<(&'static str, usize, usize)> {
    r.diagnostics
        .iter()
        .map(|d| {
            let p = r.source.position(d.primary.span.start as usize);
            (d.rule.id, p.line, p.column)
        })
        .collect()
}

fn lint(name: &str, text: &str) -> FileReport {
    lint_text(name, text, &Settings::default())
}

fn rules_and_lines(r: &FileReport) -> Vec<(&'static str, usize)> {
    findings(r).into_iter().map(|(id, l, _)| (id, l)).collect()
}

#[test]
fn fixtures_report_exact_rules_and_lines() {
    let mut failures = Vec::new();
    for (name, want) in FIXTURES {
        let text = std::fs::read_to_string(fixtures_dir().join(name)).unwrap();
        let got = rules_and_lines(&lint(name, &text));
        if got != want.to_vec() {
            failures.push(format!("{name}: want {want:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_terraform_fixture_is_listed() {
    let mut missing = Vec::new();
    for dir in std::fs::read_dir(fixtures_dir()).unwrap() {
        let dir = dir.unwrap().path();
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            let file = f.file_name().unwrap().to_string_lossy().into_owned();
            let is_tf = ["-tf-", "-tfjson-", "-plan-"]
                .iter()
                .any(|k| file.contains(k));
            let name = format!("{}/{file}", dir.file_name().unwrap().to_string_lossy());
            if is_tf && !FIXTURES.iter().any(|(n, _)| *n == name) {
                missing.push(name);
            }
        }
    }
    assert!(missing.is_empty(), "add these to FIXTURES: {missing:#?}");
}

/// Each main rule has a failing and a passing fixture in every Terraform format.
#[test]
fn main_rules_have_fixtures_in_every_format() {
    let rules = [
        "public-trust",
        "account-root-trust",
        "unguarded-cross-account",
        "missing-mfa",
        "unrestricted-web-identity",
        "wildcard-web-identity-subject",
        "missing-web-identity-audience",
        "saml-missing-audience",
        "session-duration-over-limit",
        "invalid-session-duration",
        "long-session-duration",
        "invalid-policy",
    ];
    for rule in rules {
        for side in ["fail", "pass"] {
            for fmt in ["tf", "tfjson", "plan"] {
                let prefix = format!("{rule}/{side}-{fmt}-");
                assert!(
                    FIXTURES.iter().any(|(n, _)| n.starts_with(&prefix)),
                    "no {prefix}* fixture"
                );
            }
        }
    }
}

// ---- resolution -------------------------------------------------------

const PARTNER: &str = r#"variable "partner_account" {
  default = "444455556666"
}

resource "aws_iam_role" "partner" {
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${var.partner_account}:role/ci" }
      Action    = "sts:AssumeRole"
    }]
  })
}
"#;

#[test]
fn variable_default_is_resolved_with_a_secondary_label() {
    let r = lint("main.tf", PARTNER);
    assert_eq!(findings(&r), vec![("TL103", 10, 27)]);
    let d = &r.diagnostics[0];
    assert!(d.message.contains("444455556666"), "{}", d.message);
    assert_eq!(d.resource.as_deref(), Some("aws_iam_role.partner"));
    let via = &d
        .secondary
        .iter()
        .find(|l| l.text.contains("default"))
        .unwrap();
    assert_eq!(via.text, "from variable partner_account's default");
    assert_eq!(r.source.position(via.span.start as usize).line, 2);
}

#[test]
fn variable_without_default_is_unknown() {
    let text = PARTNER.replace("  default = \"444455556666\"\n", "");
    assert_eq!(findings(&lint("main.tf", &text)), vec![]);
}

#[test]
fn empty_default_is_a_placeholder() {
    let text = PARTNER.replace("\"444455556666\"", "\"\"");
    assert_eq!(findings(&lint("main.tf", &text)), vec![]);
}

#[test]
fn locals_are_resolved() {
    let text = r#"locals {
  partner = "444455556666"
  ci_role = "arn:aws:iam::${local.partner}:role/ci"
}

resource "aws_iam_role" "partner" {
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = local.ci_role }
      Action    = "sts:AssumeRole"
    }]
  })
}
"#;
    let r = lint("main.tf", text);
    assert_eq!(findings(&r), vec![("TL103", 10, 27)]);
    assert!(r.diagnostics[0]
        .secondary
        .iter()
        .any(|l| l.text == "from local ci_role"));
}

#[test]
fn caller_identity_is_this_account() {
    let text = r#"data "aws_caller_identity" "current" {}

resource "aws_iam_role" "ops" {
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/ops" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role" "all" {
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}
"#;
    let r = lint("main.tf", text);
    // Same account: no TL103; the whole account: TL102 and TL201.
    assert_eq!(rules_and_lines(&r), vec![("TL102", 17), ("TL201", 17)]);
    assert!(r.diagnostics[0].message.contains("this account"));
}

#[test]
fn conditionals_and_resource_attributes_are_unknown() {
    let text = r#"resource "aws_iam_role" "r" {
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = var.public ? "*" : aws_iam_role.other.arn }
      Action    = "sts:AssumeRole"
    },
    {
      Effect    = "Allow"
      Principal = { AWS = [for a in var.accounts : "arn:aws:iam::${a}:root"] }
      Action    = "sts:AssumeRole"
    }]
  })
}
"#;
    assert_eq!(findings(&lint("main.tf", text)), vec![]);
}

const DATA_ROLE: &str = r#"data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_iam_role" "open" {
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
"#;

#[test]
fn data_source_is_checked_once_as_the_roles_trust_policy() {
    let r = lint("main.tf", DATA_ROLE);
    assert_eq!(findings(&r), vec![("TL101", 6, 22)]);
    assert_eq!(
        r.diagnostics[0].resource.as_deref(),
        Some("aws_iam_role.open")
    );
    assert!(r.diagnostics[0].message.contains("role `open`"));
}

#[test]
fn unreferenced_data_source_is_checked_with_its_kind_inferred() {
    let text = DATA_ROLE.split("resource").next().unwrap();
    let r = lint("main.tf", text);
    assert_eq!(findings(&r), vec![("TL101", 6, 22)]);
    assert_eq!(
        r.diagnostics[0].resource.as_deref(),
        Some("data.aws_iam_policy_document.trust")
    );
}

#[test]
fn source_and_override_documents_merge_by_sid() {
    let text = r#"data "aws_iam_policy_document" "base" {
  statement {
    sid     = "Partner"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::444455556666:root"]
    }
  }
}

data "aws_iam_policy_document" "trust" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  statement {
    sid     = "Ci"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::777788889999:role/ci"]
    }
  }
}

data "aws_iam_policy_document" "fixed" {
  source_policy_documents   = [data.aws_iam_policy_document.trust.json]
  override_policy_documents = [data.aws_iam_policy_document.guarded.json]
}

data "aws_iam_policy_document" "guarded" {
  statement {
    sid     = "Partner"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::444455556666:role/deployer"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = ["partner-7f3c2a9e"]
    }
  }
}

resource "aws_iam_role" "merged" {
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role" "overridden" {
  assume_role_policy = data.aws_iam_policy_document.fixed.json
}
"#;
    let r = lint("main.tf", text);
    let got: Vec<_> = r
        .diagnostics
        .iter()
        .map(|d| {
            let line = r.source.position(d.primary.span.start as usize).line;
            (d.rule.id, line, d.resource.clone().unwrap_or_default())
        })
        .collect();
    let merged = |id: &'static str, line| (id, line, "aws_iam_role.merged".to_owned());
    let overridden = |id: &'static str, line| (id, line, "aws_iam_role.overridden".to_owned());
    // `merged`: the partner's whole account (TL102/TL103/TL201) and the CI
    // role (TL103). `overridden`: the partner statement is replaced by a
    // guarded one, so only the CI role remains.
    assert_eq!(
        got,
        vec![
            merged("TL102", 7),
            merged("TL103", 7),
            merged("TL201", 7),
            merged("TL103", 19),
            overridden("TL103", 19),
        ]
    );
}

#[test]
fn dynamic_blocks_and_unknown_condition_keys_are_not_guessed() {
    let text = r#"data "aws_iam_policy_document" "irsa" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_provider}:sub"
      values   = ["system:serviceaccount:kube-system:ebs-csi"]
    }
  }
}

data "aws_iam_policy_document" "dyn" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    dynamic "condition" {
      for_each = var.conditions
      content {
        test     = condition.value.test
        variable = condition.value.variable
        values   = condition.value.values
      }
    }
  }
}
"#;
    // The issuer of the `sub` key is a variable, but the claim is not: the
    // subject is constrained (no TL401), and no key can be the audience
    // (TL403). The dynamic condition block hides its whole statement.
    assert_eq!(findings(&lint("main.tf", text)), vec![("TL403", 6, 22)]);
}

#[test]
fn heredoc_with_interpolation_is_column_exact() {
    let text = "variable \"partner\" {\n  default = \"444455556666\"\n}\n\nresource \"aws_iam_role\" \"h\" {\n  assume_role_policy = <<-EOT\n    {\n      \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::${var.partner}:role/ci\"}, \"Action\": \"sts:AssumeRole\"}]\n    }\n  EOT\n}\n";
    let r = lint("main.tf", text);
    assert_eq!(findings(&r), vec![("TL103", 8, 62)]);
    let d = &r.diagnostics[0];
    assert_eq!(
        &text[d.primary.span.range()],
        "\"arn:aws:iam::${var.partner}:role/ci\""
    );
}

#[test]
fn jsonencode_is_column_exact() {
    let text = "resource \"aws_iam_role\" \"j\" {\n  assume_role_policy = jsonencode({\n    Statement = [{ Effect = \"Allow\", Principal = { AWS = \"*\" }, Action = \"sts:AssumeRole\" }]\n  })\n}\n";
    let r = lint("main.tf", text);
    assert_eq!(findings(&r), vec![("TL101", 3, 58)]);
    assert_eq!(&text[r.diagnostics[0].primary.span.range()], "\"*\"");
}

#[test]
fn quoted_json_string_maps_escapes() {
    let text = "resource \"aws_iam_policy\" \"q\" {\n  policy = \"{\\\"Statement\\\": [{\\\"Effect\\\": \\\"Allow\\\", \\\"Action\\\": \\\"sts:AssumeRole\\\", \\\"Resource\\\": \\\"*\\\"}]}\"\n}\n";
    let r = lint("main.tf", text);
    assert_eq!(rules_and_lines(&r), vec![("TL501", 2)]);
}

#[test]
fn inline_policies_and_policy_resources_are_identity_policies() {
    let text = r#"resource "aws_iam_role" "r" {
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  inline_policy {
    name   = "assume-anything"
    policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:*", Resource = "*" }] })
  }
}

resource "aws_iam_user_policy" "u" {
  user   = "alice"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "arn:aws:iam::*:role/*" }] })
}
"#;
    let r = lint("main.tf", text);
    assert_eq!(
        rules_and_lines(&r),
        vec![("TL501", 7), ("TL502", 7), ("TL501", 13)]
    );
    assert!(r.diagnostics[0].message.contains("r/assume-anything"));
}

#[test]
fn suppression_comments_in_hcl() {
    let text = PARTNER.replace(
        "      Principal = {",
        "      # trustlint:ignore TL103 partner CI, reviewed in SEC-123\n      Principal = {",
    );
    let r = lint("main.tf", &text);
    assert_eq!(findings(&r), vec![]);
    assert_eq!(r.suppressed.len(), 1);
}

#[test]
fn tf_json_resolves_variables_and_data_sources() {
    let text = r#"{
  "variable": {"partner": {"default": "444455556666"}},
  "data": {"aws_iam_policy_document": {"open": {"statement": [{
    "actions": ["sts:AssumeRole"],
    "principals": [{"type": "AWS", "identifiers": ["*"]}]
  }]}}},
  "resource": {"aws_iam_role": {
    "open": {"assume_role_policy": "${data.aws_iam_policy_document.open.json}"},
    "partner": {"assume_role_policy": "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::${var.partner}:role/ci\"}, \"Action\": \"sts:AssumeRole\"}]}"}
  }}
}
"#;
    let r = lint("main.tf.json", text);
    assert_eq!(findings(&r), vec![("TL101", 5, 52), ("TL103", 9, 106)]);
    assert_eq!(
        &text[r.diagnostics[1].primary.span.range()],
        r#"\"arn:aws:iam::${var.partner}:role/ci\""#
    );
}

// ---- modules of several files (through the directory walker) ----------

fn lint_paths(paths: &[PathBuf]) -> trustlint::Report {
    let (inputs, errors) = trustlint::discover::discover(paths, &globset::GlobSet::empty());
    assert!(errors.is_empty(), "{errors:?}");
    trustlint::lint(&inputs, &Settings::default(), 1)
}

/// (file name, rule, line) of every finding.
fn report_findings(report: &trustlint::Report) -> Vec<(String, &'static str, usize)> {
    report
        .diagnostics()
        .map(|(f, d)| {
            let name = Path::new(&f.source.path)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (
                name,
                d.rule.id,
                f.source.position(d.primary.span.start as usize).line,
            )
        })
        .collect()
}

/// (file name, rule, line, resource) of every finding.
fn findings_with_resource(
    report: &trustlint::Report,
) -> Vec<(String, &'static str, usize, Option<String>)> {
    report_findings(report)
        .into_iter()
        .zip(report.diagnostics())
        .map(|((name, rule, line), (_, d))| (name, rule, line, d.resource.clone()))
        .collect()
}

fn module_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    w(
        "variables.tf",
        "variable \"partner\" {\n  type    = string\n  default = \"444455556666\"\n}\n",
    );
    w(
        "main.tf",
        r#"resource "aws_iam_role" "partner" {
  assume_role_policy = data.aws_iam_policy_document.partner.json
}

resource "aws_iam_role" "file" {
  assume_role_policy = file("${path.module}/trust.json")
}
"#,
    );
    w(
        "policies.tf",
        r#"data "aws_iam_policy_document" "partner" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.partner}:role/ci"]
    }
  }
}
"#,
    );
    w(
        "trust.json",
        r#"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}"#,
    );
    dir
}

#[test]
fn module_files_resolve_together_and_report_where_the_spans_are() {
    let dir = module_dir();
    let report = lint_paths(&[dir.path().to_path_buf()]);
    let mut got = report_findings(&report);
    got.sort();
    assert_eq!(
        got,
        vec![
            // The variable lives in variables.tf, the statement in policies.tf.
            ("policies.tf".to_owned(), "TL103", 6),
            // file() of a policy file that is also walked as a raw policy:
            // one finding, in the file, naming the role that reads it.
            ("trust.json".to_owned(), "TL101", 1),
        ]
    );
    let public = report
        .diagnostics()
        .find(|(f, _)| f.source.path.ends_with("trust.json"))
        .unwrap()
        .1;
    assert_eq!(public.resource.as_deref(), Some("aws_iam_role.file"));
    assert_eq!(report.files.len(), 4);
    let d = report
        .diagnostics()
        .find(|(f, _)| f.source.path.ends_with("policies.tf"))
        .unwrap()
        .1;
    assert_eq!(d.resource.as_deref(), Some("aws_iam_role.partner"));
    let via = d
        .secondary
        .iter()
        .find(|l| l.text.contains("default"))
        .unwrap();
    assert!(
        via.text.starts_with("from variable partner's default in ")
            && via.text.ends_with("variables.tf"),
        "{}",
        via.text
    );
}

#[test]
fn one_file_of_a_module_reports_its_own_findings_only() {
    let dir = module_dir();
    let report = lint_paths(&[dir.path().join("main.tf")]);
    // policies.tf is context only: the data source's finding moves onto
    // the reference in main.tf. The policy file main.tf reads is where its
    // finding is fixed, so it is reported there.
    assert_eq!(
        report_findings(&report),
        vec![
            ("main.tf".to_owned(), "TL103", 2),
            ("trust.json".to_owned(), "TL101", 1)
        ]
    );
    let (file, d) = report.diagnostics().nth(1).unwrap();
    assert_eq!(d.resource.as_deref(), Some("aws_iam_role.file"));
    assert_eq!(
        &file.source.text[d.primary.span.start as usize..d.primary.span.end as usize],
        "\"*\""
    );
}

// ---- plans ------------------------------------------------------------

#[test]
fn plan_role_in_two_sections_is_reported_once() {
    let name = "public-trust/fail-plan-aws-star.json";
    let text = std::fs::read_to_string(fixtures_dir().join(name)).unwrap();
    assert!(text.contains("\"planned_values\"") && text.contains("\"resource_changes\""));
    assert_eq!(text.matches("\\\"AWS\\\":\\\"*\\\"").count(), 2);
    assert_eq!(rules_and_lines(&lint(name, &text)), vec![("TL101", 15)]);
}

#[test]
fn utf16_plan_reports_the_same_findings() {
    let name = "public-trust/fail-plan-aws-star.json";
    let text = std::fs::read_to_string(fixtures_dir().join(name)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(&path, bytes).unwrap();
    let report = lint_paths(&[path]);
    let got: Vec<_> = report
        .diagnostics()
        .map(|(f, d)| {
            let p = f.source.position(d.primary.span.start as usize);
            (d.rule.id, p.line, p.column)
        })
        .collect();
    assert_eq!(got, findings(&lint(name, &text)));
}

#[test]
fn plan_after_unknown_and_deleted_resources_are_skipped() {
    let text = r#"{
  "format_version": "1.2",
  "resource_changes": [
    {"address": "aws_iam_role.later", "mode": "managed", "type": "aws_iam_role", "name": "later",
     "change": {"actions": ["create"], "after": {"name": "later"}, "after_unknown": {"assume_role_policy": true}}},
    {"address": "aws_iam_role.gone", "mode": "managed", "type": "aws_iam_role", "name": "gone",
     "change": {"actions": ["delete"], "before": {}, "after": null}}
  ],
  "prior_state": {"values": {"root_module": {"resources": [
    {"address": "aws_iam_role.gone", "mode": "managed", "type": "aws_iam_role", "name": "gone",
     "values": {"assume_role_policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}]}"}}
  ]}}}
}
"#;
    assert_eq!(findings(&lint("plan.json", text)), vec![]);
}

// ---- robustness -------------------------------------------------------

/// Every prefix of a fixture (truncated input, as from an interrupted
/// write) lints without a panic or an internal error.
#[test]
fn truncated_inputs_never_panic() {
    let names = [
        "wildcard-web-identity-subject/fail-tf-github-any-repo.tf",
        "unguarded-cross-account/fail-tf-external-role.tf",
        "account-root-trust/fail-tf-this-account-root.tf",
        "parse-error/pass-tf-heredoc-template-directive.tf",
        "missing-mfa/fail-tfjson-user.tf.json",
        "public-trust/fail-plan-aws-star.json",
    ];
    for name in names {
        let text = std::fs::read_to_string(fixtures_dir().join(name)).unwrap();
        for (i, _) in text.char_indices() {
            let r = lint(name, &text[..i]);
            assert!(
                !matches!(r.status, trustlint::lint::FileStatus::Error(_)),
                "{name} cut at {i}: {:?}",
                r.status
            );
        }
    }
}

/// Pathological modules: reference cycles, exponential local chains,
/// deep nesting, many interpolations.
#[test]
fn pathological_modules_end() {
    let mut text = String::from("locals {\n  a = local.b\n  b = local.a\n");
    for i in 0..40 {
        text.push_str(&format!(
            "  l{i} = [local.l{0}, local.l{0}, local.l{0}]\n",
            i + 1
        ));
    }
    text.push_str("  l40 = \"arn:aws:iam::444455556666:root\"\n}\n");
    text.push_str("resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = jsonencode({ Statement = [{ Effect = \"Allow\", Principal = { AWS = local.l0 }, Action = \"sts:AssumeRole\" }, { Effect = \"Allow\", Principal = { AWS = local.a }, Action = \"sts:AssumeRole\" }] })\n}\n");
    let r = lint("main.tf", &text);
    assert_eq!(r.status, trustlint::lint::FileStatus::Scanned);

    let deep = format!(
        "resource \"aws_iam_role\" \"d\" {{\n  assume_role_policy = jsonencode({}{})\n}}\n",
        "{ a = ".repeat(200),
        "1 }".repeat(200)
    );
    let r = lint("main.tf", &deep);
    assert!(!matches!(r.status, trustlint::lint::FileStatus::Error(_)));

    let mut many = String::from("resource \"aws_iam_role\" \"m\" {\n  assume_role_policy = <<-EOT\n    {\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\", \"Principal\": {\"AWS\": [");
    for i in 0..5000 {
        if i > 0 {
            many.push(',');
        }
        many.push_str("\"arn:aws:iam::${var.a}:role/r${var.b}\"");
    }
    many.push_str("]}}]}\n  EOT\n}\n");
    let r = lint("main.tf", &many);
    assert_eq!(r.status, trustlint::lint::FileStatus::Scanned);
}

#[test]
fn policy_file_read_by_two_roles_and_a_tf_json_file_is_reported_per_role() {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    w(
        "main.tf",
        "resource \"aws_iam_role\" \"a\" {\n  assume_role_policy = file(\"${path.module}/./trust.json\")\n}\n\
         resource \"aws_iam_role\" \"b\" {\n  assume_role_policy = file(\"${path.module}/trust.json\")\n}\n",
    );
    w(
        "cdk.tf.json",
        r#"{"resource": {"aws_iam_role": {"c": {"assume_role_policy": "${file(\"trust.json\")}"}}}}"#,
    );
    w(
        "trust.json",
        "{\"Statement\": [{\"Effect\": \"Allow\",\n  \"Principal\": {\"AWS\": \"*\"}, \"Action\": \"sts:AssumeRole\"}]}",
    );
    // A policy file that does not parse: unknown to the role, TL001 on its own.
    w("broken.tf", "resource \"aws_iam_role\" \"d\" {\n  assume_role_policy = file(\"${path.module}/broken.json\")\n}\n");
    w("broken.json", "{\"Statement\": [");
    let report = lint_paths(&[dir.path().to_path_buf()]);
    let mut got = findings_with_resource(&report);
    got.sort();
    let role = |r: &str| Some(format!("aws_iam_role.{r}"));
    assert_eq!(
        got,
        vec![
            ("broken.json".to_owned(), "TL001", 1, None),
            ("trust.json".to_owned(), "TL101", 2, role("a")),
            ("trust.json".to_owned(), "TL101", 2, role("b")),
            ("trust.json".to_owned(), "TL101", 2, role("c")),
        ]
    );
    // One report per file, whoever read it.
    assert_eq!(report.files.len(), 5);
}

#[test]
fn oidc_provider_resource_of_the_module_is_its_issuer() {
    let text = r#"variable "url" {}
resource "aws_iam_openid_connect_provider" "github" {
  url = "https://token.actions.githubusercontent.com"
}
resource "aws_iam_openid_connect_provider" "eks" {
  url = var.url
}
resource "aws_iam_role" "github" {
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.github.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = { StringLike = { "token.actions.githubusercontent.com:sub" = "repo:*" } }
    }]
  })
}
data "aws_iam_policy_document" "irsa" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.eks.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")}:sub"
      values   = ["system:serviceaccount:kube-system:aws-node"]
    }
  }
}
resource "aws_iam_role" "irsa" {
  assume_role_policy = data.aws_iam_policy_document.irsa.json
}
resource "aws_iam_role" "irsa_with_aud" {
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = { StringEquals = {
        "${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")}:sub" = "system:serviceaccount:a:b"
        "${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")}:aud" = "sts.amazonaws.com"
      } }
    }]
  })
}
resource "aws_iam_role" "unknown_claim" {
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = { StringEquals = { "${var.url}:${var.url}" = "x" } }
    }]
  })
}
"#;
    let r = lint("oidc.tf", text);
    let got: Vec<_> = findings(&r)
        .into_iter()
        .map(|(id, line, _)| (id, line, text.lines().nth(line - 1).unwrap().trim()))
        .collect();
    assert_eq!(
        got,
        vec![
            // The provider's literal URL names GitHub: its subject rules apply.
            ("TL403", 12, "Principal = { Federated = aws_iam_openid_connect_provider.github.arn }"),
            ("TL402", 14, "Condition = { StringLike = { \"token.actions.githubusercontent.com:sub\" = \"repo:*\" } }"),
            // The terraform-provider-aws IRSA example: the issuer is a
            // variable, the claims are not, and no `aud` is checked.
            ("TL403", 23, "identifiers = [aws_iam_openid_connect_provider.eks.arn]"),
        ]
    );
    let d = &r.diagnostics[2];
    assert_eq!(d.resource.as_deref(), Some("aws_iam_role.irsa"));
    assert!(d.message.contains("${…}:aud"), "{}", d.message);
}

#[test]
fn tf_and_tf_json_files_of_a_directory_are_one_module() {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    // Variables in a .tf.json file, used from HCL.
    w(
        "vars.tf.json",
        r#"{"variable": {"partner": {"default": "444455556666"}}}"#,
    );
    w(
        "main.tf",
        "resource \"aws_iam_role\" \"hcl\" {\n  assume_role_policy = jsonencode({\n    Statement = [{ Effect = \"Allow\", Action = \"sts:AssumeRole\",\n      Principal = { AWS = \"arn:aws:iam::${var.partner}:role/ci\" } }]\n  })\n}\n\
         data \"aws_iam_policy_document\" \"public\" {\n  statement {\n    actions = [\"sts:AssumeRole\"]\n    principals {\n      type        = \"AWS\"\n      identifiers = [\"*\"]\n    }\n  }\n}\n",
    );
    // A role in JSON syntax whose trust policy is the HCL data source.
    w(
        "role.tf.json",
        "{\"resource\": {\"aws_iam_role\": {\"json\": {\n  \"assume_role_policy\": \"${data.aws_iam_policy_document.public.json}\"\n}}}}",
    );
    let report = lint_paths(&[dir.path().to_path_buf()]);
    let role = |r: &str| Some(format!("aws_iam_role.{r}"));
    assert_eq!(
        findings_with_resource(&report),
        vec![
            ("main.tf".to_owned(), "TL103", 4, role("hcl")),
            // Reported at the statement in main.tf, for the JSON role.
            ("main.tf".to_owned(), "TL101", 12, role("json")),
        ]
    );
    // Named alone (a pre-commit run), the JSON role's finding moves onto
    // its reference: main.tf is read for context only.
    let report = lint_paths(&[dir.path().join("role.tf.json")]);
    assert_eq!(
        findings_with_resource(&report),
        vec![("role.tf.json".to_owned(), "TL101", 2, role("json"))]
    );
}

/// A value resolved from another file of the module cannot be drawn in the
/// finding's snippet: its label says where it came from (issue 16).
#[test]
fn a_variable_default_in_another_file_is_named_in_the_label() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("variables.tf"),
        "variable \"session\" {\n  default = 28800\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_iam_role\" \"r\" {\n  name = \"r\"\n  assume_role_policy = jsonencode({ Statement = [{ Effect = \"Allow\", Principal = { Service = \"ec2.amazonaws.com\" }, Action = \"sts:AssumeRole\" }] })\n  max_session_duration = var.session\n}\n",
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("trustlint")
        .unwrap()
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args(["check", "--format", "human", "."])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("note[TL303]"), "{text}");
    assert!(
        text.contains("long-lived credentials (from variable session's default in variables.tf)"),
        "{text}"
    );
}
