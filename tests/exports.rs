//! AWS CLI exports (`get-account-authorization-details`, `get-role`,
//! `list-roles`, `get-policy-version`, `get-role-policy`), end to end:
//! every export fixture reports exactly the listed (rule, line) pairs, and
//! URL-encoded documents, this-account resolution and managed-policy
//! versions behave as SPEC §1 says.

#![allow(clippy::unwrap_used)] // tests: a panic is a failure

use std::path::{Path, PathBuf};

use trustlint::{lint_text, FileReport, Settings};

/// (fixture, [(rule, line)]) — every finding of the file, sorted by position.
const FIXTURES: &[(&str, &[(&str, usize)])] = &[
    (
        "account-root-trust/fail-export-this-account-root.json",
        &[("TL102", 11)],
    ),
    ("account-root-trust/pass-export-this-account-role.json", &[]),
    (
        "assume-any-role/fail-export-any-role.json",
        &[("TL501", 22)],
    ),
    ("assume-any-role/pass-export-named-role.json", &[]),
    (
        "invalid-policy/fail-export-trust-with-resource.json",
        &[("TL002", 11)],
    ),
    ("invalid-policy/pass-export-service-trust.json", &[]),
    (
        "invalid-session-duration/fail-export-15-minutes.json",
        &[("TL302", 16)],
    ),
    ("invalid-session-duration/pass-export-1h.json", &[]),
    (
        "invalid-session-duration/fail-export-fraction-below-float-precision.json",
        &[("TL302", 1)],
    ),
    (
        "long-session-duration/fail-export-8h.json",
        &[("TL303", 27)],
    ),
    ("long-session-duration/pass-export-4h.json", &[]),
    ("missing-mfa/fail-export-user.json", &[("TL201", 11)]),
    ("missing-mfa/pass-export-user-with-mfa.json", &[]),
    (
        "missing-web-identity-audience/fail-export-github-no-aud.json",
        &[("TL403", 17)],
    ),
    (
        "missing-web-identity-audience/pass-export-github-aud.json",
        &[],
    ),
    (
        "parse-error/fail-export-url-encoded-truncated.json",
        &[("TL001", 8)],
    ),
    ("public-trust/fail-export-aws-star.json", &[("TL101", 17)]),
    ("public-trust/pass-export-aws-star-org-pinned.json", &[]),
    (
        "saml-missing-audience/fail-export-okta-no-aud.json",
        &[("TL404", 11)],
    ),
    ("saml-missing-audience/pass-export-okta-aud.json", &[]),
    (
        "service-confused-deputy/fail-export-ecs-tasks.json",
        &[("TL108", 17)],
    ),
    (
        "service-confused-deputy/pass-export-ecs-tasks-source-account.json",
        &[],
    ),
    (
        "session-duration-over-limit/fail-export-24h.json",
        &[("TL301", 27)],
    ),
    (
        "session-duration-over-limit/pass-export-12h.json",
        &[("TL303", 27)],
    ),
    (
        "unguarded-cross-account/fail-export-external-role.json",
        &[("TL103", 17)],
    ),
    (
        "unguarded-cross-account/pass-export-external-role-external-id.json",
        &[],
    ),
    (
        "unrestricted-web-identity/fail-export-github-audience-only.json",
        &[("TL401", 17)],
    ),
    (
        "unrestricted-web-identity/pass-export-github-repo-branch.json",
        &[],
    ),
    (
        "wildcard-web-identity-subject/fail-export-github-any-repo.json",
        &[("TL402", 11)],
    ),
    (
        "wildcard-web-identity-subject/pass-export-github-org-repos.json",
        &[],
    ),
];

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn lint(name: &str, text: &str) -> FileReport {
    lint_text(name, text, &Settings::default())
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

#[test]
fn fixtures_report_exact_rules_and_lines() {
    let mut failures = Vec::new();
    for (name, want) in FIXTURES {
        let text = std::fs::read_to_string(fixtures_dir().join(name)).unwrap();
        let got: Vec<_> = findings(&lint(name, &text))
            .into_iter()
            .map(|(id, l, _)| (id, l))
            .collect();
        if got != want.to_vec() {
            failures.push(format!("{name}: want {want:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_export_fixture_is_listed() {
    let mut missing = Vec::new();
    for dir in std::fs::read_dir(fixtures_dir()).unwrap() {
        let dir = dir.unwrap().path();
        for f in std::fs::read_dir(&dir).unwrap() {
            let file = f.unwrap().file_name().to_string_lossy().into_owned();
            let name = format!("{}/{file}", dir.file_name().unwrap().to_string_lossy());
            if file.contains("-export-") && !FIXTURES.iter().any(|(n, _)| *n == name) {
                missing.push(name);
            }
        }
    }
    assert!(missing.is_empty(), "add these to FIXTURES: {missing:#?}");
}

/// `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"PRINCIPAL"},"Action":"sts:AssumeRole"}]}`, URL-encoded.
fn encoded_trust(principal: &str) -> String {
    let doc = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{principal}"}},"Action":"sts:AssumeRole"}}]}}"#
    );
    doc.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn details(roles: &[(&str, &str, String)]) -> String {
    let roles: Vec<String> = roles
        .iter()
        .map(|(name, account, doc)| {
            format!(
                r#"    {{
      "RoleName": "{name}",
      "Arn": "arn:aws:iam::{account}:role/{name}",
      "AssumeRolePolicyDocument": "{doc}",
      "RolePolicyList": []
    }}"#
            )
        })
        .collect();
    format!(
        "{{\n  \"UserDetailList\": [],\n  \"GroupDetailList\": [],\n  \"RoleDetailList\": [\n{}\n  ],\n  \"Policies\": []\n}}\n",
        roles.join(",\n")
    )
}

#[test]
fn url_encoded_documents_point_into_the_encoded_text() {
    let text = details(&[("Open", "111122223333", encoded_trust("*"))]);
    let r = lint("export.json", &text);
    assert_eq!(findings(&r).len(), 1);
    let d = &r.diagnostics[0];
    assert_eq!(d.rule.id, "TL101");
    assert_eq!(&text[d.primary.span.range()], "%22%2A%22");
    assert_eq!(
        d.resource.as_deref(),
        Some("arn:aws:iam::111122223333:role/Open")
    );
    assert!(d.message.contains("role `Open`"));
}

#[test]
fn this_account_is_the_roles_own_account() {
    let text = details(&[
        (
            "Same",
            "111122223333",
            encoded_trust("arn:aws:iam::111122223333:role/ci"),
        ),
        (
            "Cross",
            "111122223333",
            encoded_trust("arn:aws:iam::444455556666:role/ci"),
        ),
    ]);
    let r = lint("export.json", &text);
    let got: Vec<_> = r
        .diagnostics
        .iter()
        .map(|d| (d.rule.id, d.resource.clone().unwrap()))
        .collect();
    assert_eq!(
        got,
        vec![("TL103", "arn:aws:iam::111122223333:role/Cross".to_owned())]
    );
}

#[test]
fn managed_policies_default_version_only_and_aws_managed_skipped() {
    let text = r#"{
  "Policies": [
    {
      "PolicyName": "ci-assume",
      "Arn": "arn:aws:iam::111122223333:policy/ci-assume",
      "DefaultVersionId": "v2",
      "PolicyVersionList": [
        {"VersionId": "v2", "IsDefaultVersion": true,
         "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::111122223333:role/ci"}]}},
        {"VersionId": "v1", "IsDefaultVersion": false,
         "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}}
      ]
    },
    {
      "PolicyName": "AdministratorAccess",
      "Arn": "arn:aws:iam::aws:policy/AdministratorAccess",
      "DefaultVersionId": "v1",
      "PolicyVersionList": [
        {"VersionId": "v1", "IsDefaultVersion": true,
         "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}
      ]
    }
  ]
}
"#;
    assert_eq!(findings(&lint("export.json", text)), vec![]);
}

#[test]
fn inline_user_and_group_policies() {
    let text = r#"{
  "UserDetailList": [{"UserName": "alice", "Arn": "arn:aws:iam::111122223333:user/alice",
    "UserPolicyList": [{"PolicyName": "hop", "PolicyDocument": "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22sts%3AAssumeRole%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D"}]}],
  "GroupDetailList": [{"GroupName": "ops", "Arn": "arn:aws:iam::111122223333:group/ops",
    "GroupPolicyList": [{"PolicyName": "fed", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "sts:GetFederationToken", "Resource": "*"}]}}]}]
}
"#;
    let r = lint("export.json", text);
    let got: Vec<_> = r
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.rule.id,
                r.source.position(d.primary.span.start as usize).line,
            )
        })
        .collect();
    assert_eq!(got, vec![("TL501", 3), ("TL502", 5)]);
    assert!(r.diagnostics[0].message.contains("alice/hop"));
}

#[test]
fn get_role_list_roles_and_get_policy_version() {
    let role = r#"{"Role": {"RoleName": "R", "Arn": "arn:aws:iam::111122223333:role/R", "MaxSessionDuration": 86400,
  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}}}"#;
    let ids: Vec<_> = lint("role.json", role)
        .diagnostics
        .iter()
        .map(|d| d.rule.id)
        .collect();
    assert_eq!(ids, vec!["TL301", "TL101"]);
    let roles = format!(r#"{{"Roles": [{}]}}"#, &role[9..role.len() - 1]);
    let ids: Vec<_> = lint("roles.json", &roles)
        .diagnostics
        .iter()
        .map(|d| d.rule.id)
        .collect();
    assert_eq!(ids, vec!["TL301", "TL101"]);
    let version = r#"{"PolicyVersion": {"VersionId": "v3", "IsDefaultVersion": true,
  "Document": "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22sts%3AAssumeRole%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D"}}"#;
    let ids: Vec<_> = lint("version.json", version)
        .diagnostics
        .iter()
        .map(|d| d.rule.id)
        .collect();
    assert_eq!(ids, vec!["TL501"]);
}

#[test]
fn broken_url_encoding_is_tl001_not_a_crash() {
    let text = details(&[(
        "Bad",
        "111122223333",
        "%7B%22Statement%22%3A%FF%FE".to_owned(),
    )]);
    let r = lint("export.json", &text);
    let ids: Vec<_> = r.diagnostics.iter().map(|d| d.rule.id).collect();
    assert_eq!(ids, vec!["TL001"]);
}
