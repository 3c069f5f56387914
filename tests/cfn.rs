//! CloudFormation / SAM fixtures (`tests/fixtures/<rule>/{fail,pass}-cfn-*`)
//! and end-to-end resolution cases.
//!
//! Every CloudFormation fixture is listed in [`EXPECTED`] with the exact
//! (rule ID, line) pairs it must produce: a `fail-` file must report its
//! folder's rule, a `pass-` file nothing at all. Adding a fixture without
//! an entry fails [`every_cfn_fixture_is_listed`].

#![allow(clippy::unwrap_used)]

use std::path::Path;

use trustlint::{lint_text, FileReport, Settings};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

type Expected = &'static [(&'static str, usize)];

/// Fixture (relative to tests/fixtures) → findings as (rule ID, line).
const EXPECTED: &[(&str, Expected)] = &[
    // TL001
    ("parse-error/fail-cfn-bad-indent.yaml", &[("TL001", 11)]),
    ("parse-error/fail-cfn-embedded-json.yaml", &[("TL001", 13)]),
    ("parse-error/pass-cfn-custom-tags.yaml", &[]),
    // TL002
    (
        "invalid-policy/fail-cfn-resource-in-trust.yaml",
        &[("TL002", 14)],
    ),
    (
        "invalid-policy/fail-cfn-bad-effect.json",
        &[("TL002", 8), ("TL002", 11)],
    ),
    ("invalid-policy/pass-cfn-valid.yaml", &[]),
    // TL003
    (
        "trust-policy-too-large/fail-cfn-many-roles.yaml",
        &[("TL003", 8)],
    ),
    ("trust-policy-too-large/pass-cfn-small.yaml", &[]),
    // TL101
    ("public-trust/fail-cfn-star.yaml", &[("TL101", 12)]),
    ("public-trust/fail-cfn-if-branch.yaml", &[("TL101", 20)]),
    ("public-trust/fail-cfn-param-default.yaml", &[("TL101", 16)]),
    ("public-trust/fail-cfn-json-string.yaml", &[("TL101", 12)]),
    ("public-trust/fail-cfn-json-string.json", &[("TL101", 7)]),
    ("public-trust/pass-cfn-org-pinned.yaml", &[]),
    ("public-trust/pass-cfn-no-default.yaml", &[]),
    // TL102
    (
        "account-root-trust/fail-cfn-this-account-root.yaml",
        &[("TL102", 12)],
    ),
    (
        "account-root-trust/fail-cfn-find-in-map.json",
        &[("TL102", 33)],
    ),
    ("account-root-trust/pass-cfn-principal-arn.yaml", &[]),
    ("account-root-trust/pass-cfn-metadata-suppressed.yaml", &[]),
    // TL103
    (
        "unguarded-cross-account/fail-cfn-external-role.yaml",
        &[("TL103", 15)],
    ),
    ("unguarded-cross-account/pass-cfn-external-id.yaml", &[]),
    // TL104
    (
        "not-principal/fail-cfn-not-principal.yaml",
        &[("TL104", 12)],
    ),
    ("not-principal/pass-cfn-principal.yaml", &[]),
    // TL105
    (
        "invalid-principal/fail-cfn-wildcard-arn.yaml",
        &[("TL105", 12)],
    ),
    (
        "invalid-principal/fail-cfn-short-account.yaml",
        &[("TL105", 15)],
    ),
    ("invalid-principal/pass-cfn-condition-wildcard.yaml", &[]),
    // TL106
    (
        "session-principal/fail-cfn-assumed-role.yaml",
        &[("TL106", 12)],
    ),
    ("session-principal/pass-cfn-role.yaml", &[]),
    // TL107
    (
        "orphaned-principal/fail-cfn-unique-id.yaml",
        &[("TL107", 13)],
    ),
    ("orphaned-principal/pass-cfn-arn.yaml", &[]),
    // TL108
    (
        "service-confused-deputy/fail-cfn-states.yaml",
        &[("TL108", 12)],
    ),
    ("service-confused-deputy/pass-cfn-source-account.yaml", &[]),
    // The region of a regional service principal is a template value.
    (
        "service-confused-deputy/fail-cfn-sub-region.yaml",
        &[("TL108", 11)],
    ),
    // A `Federated` template value: the action says which kind it is.
    (
        "unrestricted-web-identity/fail-cfn-unknown-provider-no-claims.yaml",
        &[("TL401", 14)],
    ),
    (
        "saml-missing-audience/fail-cfn-unknown-saml-provider.yaml",
        &[("TL404", 14)],
    ),
    // `!GetAtt User.Arn` of a user in the template is a user of this account.
    ("missing-mfa/fail-cfn-getatt-user.yaml", &[("TL201", 11)]),
    // Conditions that cannot hold together are not combined.
    (
        "unguarded-cross-account/pass-cfn-if-not-condition.yaml",
        &[],
    ),
    (
        "unguarded-cross-account/pass-cfn-if-exclusive-equals.yaml",
        &[],
    ),
    // A principal from a dynamic reference is unknown, not invalid.
    ("invalid-principal/pass-cfn-dynamic-reference.yaml", &[]),
    // An identity policy with a principal.
    (
        "invalid-policy/fail-cfn-identity-policy-with-principal.yaml",
        &[("TL002", 10)],
    ),
    // Fn::If between two accounts: a principal finding per branch, a
    // statement finding once.
    (
        "unguarded-cross-account/fail-cfn-if-two-accounts-one-finding.yaml",
        &[("TL102", 16), ("TL102", 16), ("TL103", 16), ("TL201", 16)],
    ),
    // TL201
    ("missing-mfa/fail-cfn-account-no-mfa.yaml", &[("TL201", 12)]),
    ("missing-mfa/pass-cfn-mfa.yaml", &[]),
    // A Deny of every principal without MFA (BoolIfExists "false").
    ("missing-mfa/pass-cfn-deny-boolifexists-false.yaml", &[]),
    // TL202
    (
        "ineffective-mfa/fail-cfn-bool-if-exists.yaml",
        &[("TL202", 14)],
    ),
    ("ineffective-mfa/pass-cfn-bool.yaml", &[]),
    // TL203
    (
        "condition-misuse/fail-cfn-string-equals-wildcard.yaml",
        &[("TL203", 17)],
    ),
    ("condition-misuse/pass-cfn-string-like.yaml", &[]),
    // TL204
    ("unknown-condition-key/fail-cfn-typo.yaml", &[("TL204", 16)]),
    ("unknown-condition-key/pass-cfn-known-key.yaml", &[]),
    // TL301
    (
        "session-duration-over-limit/fail-cfn-over-12-hours.yaml",
        &[("TL301", 6)],
    ),
    (
        "session-duration-over-limit/fail-cfn-param-default.yaml",
        &[("TL301", 10)],
    ),
    (
        "session-duration-over-limit/fail-cfn-if-branch.json",
        &[("TL301", 21)],
    ),
    ("session-duration-over-limit/pass-cfn-one-hour.yaml", &[]),
    ("session-duration-over-limit/pass-cfn-no-default.yaml", &[]),
    // TL302
    (
        "invalid-session-duration/fail-cfn-below-one-hour.yaml",
        &[("TL302", 6)],
    ),
    (
        "invalid-session-duration/fail-cfn-not-a-number.yaml",
        &[("TL302", 6)],
    ),
    ("invalid-session-duration/pass-cfn-string-number.yaml", &[]),
    ("invalid-session-duration/pass-cfn-find-in-map.yaml", &[]),
    // TL303
    (
        "long-session-duration/fail-cfn-six-hours.yaml",
        &[("TL303", 6)],
    ),
    (
        "long-session-duration/fail-cfn-find-in-map.yaml",
        &[("TL303", 16)],
    ),
    ("long-session-duration/pass-cfn-four-hours.yaml", &[]),
    ("long-session-duration/pass-cfn-no-value.yaml", &[]),
    // TL401–TL406
    (
        "unrestricted-web-identity/fail-cfn-github-aud-only.yaml",
        &[("TL401", 14)],
    ),
    ("unrestricted-web-identity/pass-cfn-github-sub.yaml", &[]),
    (
        "wildcard-web-identity-subject/fail-cfn-any-repo.yaml",
        &[("TL402", 21)],
    ),
    ("wildcard-web-identity-subject/pass-cfn-org-repo.yaml", &[]),
    // TL004
    (
        "invalid-suppression/fail-cfn-metadata-silences-nothing.json",
        &[("TL004", 8)],
    ),
    (
        "invalid-suppression/fail-cfn-metadata-without-reason.json",
        &[("TL004", 7)],
    ),
    (
        "invalid-suppression/pass-cfn-metadata-with-reason.json",
        &[],
    ),
    (
        "missing-web-identity-audience/fail-cfn-no-aud.yaml",
        &[("TL403", 12)],
    ),
    ("missing-web-identity-audience/pass-cfn-aud.yaml", &[]),
    ("saml-missing-audience/fail-cfn-okta.yaml", &[("TL404", 12)]),
    ("saml-missing-audience/pass-cfn-okta-aud.yaml", &[]),
    (
        "federation-action-mismatch/fail-cfn-oidc-assume-role.yaml",
        &[("TL405", 13)],
    ),
    (
        "federation-action-mismatch/pass-cfn-oidc-web-identity.yaml",
        &[],
    ),
    (
        "roles-anywhere-missing-actions/fail-cfn-assume-only.yaml",
        &[("TL406", 13)],
    ),
    (
        "roles-anywhere-missing-actions/pass-cfn-all-actions.yaml",
        &[],
    ),
    // TL501–TL503
    (
        "assume-any-role/fail-cfn-inline-policy.yaml",
        &[("TL501", 14)],
    ),
    (
        "assume-any-role/fail-cfn-sam-function.yaml",
        &[("TL501", 18), ("TL502", 18)],
    ),
    ("assume-any-role/pass-cfn-scoped.yaml", &[]),
    (
        "unscoped-federation-token/fail-cfn-managed-policy.yaml",
        &[("TL502", 12)],
    ),
    ("unscoped-federation-token/pass-cfn-scoped.yaml", &[]),
    (
        "broad-trust-actions/fail-cfn-sts-star.yaml",
        &[("TL503", 13)],
    ),
    (
        "broad-trust-actions/fail-cfn-sam-trust.yaml",
        &[("TL503", 15)],
    ),
    ("broad-trust-actions/pass-cfn-assume-role.yaml", &[]),
];

fn lint_fixture(rel: &str) -> FileReport {
    let path = Path::new(FIXTURES).join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    lint_text(rel, &text, &Settings::default())
}

fn pairs(report: &FileReport) -> Vec<(String, usize)> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            let line = report.source.position(d.primary.span.start as usize).line;
            (d.rule.id.to_owned(), line)
        })
        .collect()
}

/// The primary span's text of the first finding of `rule`.
fn primary_text(report: &FileReport, rule: &str) -> String {
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.rule.id == rule)
        .unwrap_or_else(|| panic!("no {rule} in {:?}", pairs(report)));
    report.source.text[d.primary.span.range()].to_owned()
}

fn message(report: &FileReport, rule: &str) -> String {
    report
        .diagnostics
        .iter()
        .find(|d| d.rule.id == rule)
        .map(|d| d.message.clone())
        .unwrap_or_else(|| panic!("no {rule} in {:?}", pairs(report)))
}

#[test]
fn fixtures_report_exactly_the_expected_findings() {
    let mut failures = Vec::new();
    for (rel, expected) in EXPECTED {
        let report = lint_fixture(rel);
        let mut got = pairs(&report);
        got.sort();
        let mut want: Vec<(String, usize)> = expected
            .iter()
            .map(|(r, l)| ((*r).to_owned(), *l))
            .collect();
        want.sort();
        if got != want {
            failures.push(format!("{rel}: expected {want:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn fail_fixtures_report_their_rule_and_pass_fixtures_nothing() {
    for (rel, expected) in EXPECTED {
        let (folder, file) = rel.split_once('/').unwrap();
        let rule =
            trustlint::rules::find(folder).unwrap_or_else(|| panic!("{folder} is not a rule name"));
        if file.starts_with("fail-") {
            assert!(
                expected.iter().any(|(id, _)| *id == rule.id),
                "{rel} must report {}",
                rule.id
            );
        } else {
            assert!(file.starts_with("pass-"), "{rel}");
            assert!(expected.is_empty(), "{rel} must report nothing");
        }
    }
}

#[test]
fn every_cfn_fixture_is_listed() {
    let mut on_disk = Vec::new();
    for dir in std::fs::read_dir(FIXTURES).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            if name.contains("-cfn-") {
                let folder = dir.file_name().unwrap().to_string_lossy().into_owned();
                on_disk.push(format!("{folder}/{name}"));
            }
        }
    }
    on_disk.sort();
    let mut listed: Vec<String> = EXPECTED.iter().map(|(r, _)| (*r).to_owned()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}

/// Every rule that can fire on a template has CloudFormation fixtures.
/// (Rules added later — TL004 suppression notes, TL6xx — are listed when
/// they get their template fixtures.)
#[test]
fn every_template_rule_has_cfn_fixtures() {
    const TEMPLATE_RULES: &[&str] = &[
        "TL001", "TL002", "TL003", "TL004", "TL101", "TL102", "TL103", "TL104", "TL105", "TL106",
        "TL107", "TL108", "TL201", "TL202", "TL203", "TL204", "TL301", "TL302", "TL303", "TL401",
        "TL402", "TL403", "TL404", "TL405", "TL406", "TL501", "TL502", "TL503",
    ];
    for id in TEMPLATE_RULES {
        let rule = trustlint::rules::find(id).unwrap();
        let prefix = format!("{}/", rule.name);
        let count = |kind: &str| {
            EXPECTED
                .iter()
                .filter(|(r, _)| r.starts_with(&prefix) && r[prefix.len()..].starts_with(kind))
                .count()
        };
        // TL301–TL303 need two failing and two passing fixtures each.
        let min = if id.starts_with("TL30") { 2 } else { 1 };
        assert!(count("fail-") >= min, "{}: fail fixtures", rule.name);
        assert!(count("pass-") >= min, "{}: pass fixtures", rule.name);
    }
}

#[test]
fn parameter_default_points_at_the_ref() {
    let report = lint_fixture("public-trust/fail-cfn-param-default.yaml");
    assert_eq!(primary_text(&report, "TL101"), "!Ref TrustedPrincipal");
}

#[test]
fn fn_if_finding_says_under_which_condition() {
    let report = lint_fixture("public-trust/fail-cfn-if-branch.yaml");
    assert!(
        message(&report, "TL101").ends_with("(when condition `IsProd` is false)"),
        "{}",
        message(&report, "TL101")
    );
    assert_eq!(primary_text(&report, "TL101"), "\"*\"");
    let report = lint_fixture("session-duration-over-limit/fail-cfn-if-branch.json");
    assert!(message(&report, "TL301").contains("when condition `IsProd` is false"));
}

#[test]
fn sub_with_account_id_is_this_account() {
    let report = lint_fixture("account-root-trust/fail-cfn-this-account-root.yaml");
    assert!(message(&report, "TL102").contains("this account"));
    assert!(!pairs(&report).iter().any(|(r, _)| r == "TL103"));
}

#[test]
fn json_string_documents_point_into_the_string() {
    let report = lint_fixture("public-trust/fail-cfn-json-string.yaml");
    assert_eq!(primary_text(&report, "TL101"), "\"*\"");
    let report = lint_fixture("public-trust/fail-cfn-json-string.json");
    assert_eq!(primary_text(&report, "TL101"), "\\\"*\\\"");
    let report = lint_fixture("parse-error/fail-cfn-embedded-json.yaml");
    assert_eq!(primary_text(&report, "TL001"), ",");
}

#[test]
fn find_in_map_resolves_through_parameter_default() {
    let report = lint_fixture("account-root-trust/fail-cfn-find-in-map.json");
    assert!(message(&report, "TL102").contains("444455556666"));
}

#[test]
fn metadata_suppression_silences_the_finding() {
    let report = lint_fixture("account-root-trust/pass-cfn-metadata-suppressed.yaml");
    assert!(report.diagnostics.is_empty());
    assert_eq!(report.suppressed.len(), 1);
    assert_eq!(report.suppressed[0].rule.id, "TL102");
}

#[test]
fn sam_function_policies_and_trust() {
    let report = lint_fixture("assume-any-role/fail-cfn-sam-function.yaml");
    assert_eq!(
        report.diagnostics[0].resource.as_deref(),
        Some("FanOutFunction")
    );
    let report = lint_fixture("broad-trust-actions/fail-cfn-sam-trust.yaml");
    assert!(message(&report, "TL503").contains("WorkerFunction"));
}

#[test]
fn non_template_yaml_is_silent() {
    let k8s =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n";
    let report = lint_text("deploy.yaml", k8s, &Settings::default());
    assert!(report.diagnostics.is_empty());
    // Helm templates do not parse, and are not IAM-related: skipped.
    let helm = "apiVersion: v1\nkind: ConfigMap\ndata:\n  {{- range .Values.items }}\n  a: b\n";
    let report = lint_text("cm.yaml", helm, &Settings::default());
    assert!(report.diagnostics.is_empty());
}

#[test]
fn alias_bomb_is_a_parse_error_not_a_hang() {
    let mut bomb =
        String::from("# AWS::IAM::Role\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(",");
        bomb.push_str(&format!("{}: &{} [{}]\n", w[1], w[1], refs));
    }
    let start = std::time::Instant::now();
    let report = lint_text("bomb.yaml", &bomb, &Settings::default());
    assert!(start.elapsed().as_secs() < 5);
    assert_eq!(pairs(&report).first().map(|p| p.0.as_str()), Some("TL001"));
}

#[test]
fn deep_nesting_is_a_parse_error() {
    let deep = format!("# AWS::IAM::Role\n{}x\n", "- ".repeat(50_000));
    let report = lint_text("deep.yaml", &deep, &Settings::default());
    assert_eq!(pairs(&report).first().map(|p| p.0.as_str()), Some("TL001"));
}

/// `examples/cloudformation` is documentation: keep its findings in step.
#[test]
fn cloudformation_example_repository() {
    const EXAMPLE: &[(&str, &str, usize)] = &[
        ("break-glass.yaml", "TL303", 15),
        ("break-glass.yaml", "TL102", 23),
        ("break-glass.yaml", "TL201", 23),
        ("break-glass.yaml", "TL101", 38),
        ("break-glass.yaml", "TL404", 75),
        ("ci-deploy-roles.yaml", "TL303", 47),
        ("ci-deploy-roles.yaml", "TL403", 53),
        ("ci-deploy-roles.yaml", "TL402", 57),
        ("ci-deploy-roles.yaml", "TL501", 69),
        ("cross-account-audit.json", "TL102", 45),
        ("cross-account-audit.json", "TL103", 45),
        ("cross-account-audit.json", "TL201", 45),
        ("cross-account-audit.json", "TL108", 103),
        ("cross-account-audit.json", "TL107", 131),
        ("sam-app/template.yaml", "TL503", 46),
        ("sam-app/template.yaml", "TL501", 53),
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/cloudformation");
    let mut got = Vec::new();
    for file in [
        "break-glass.yaml",
        "ci-deploy-roles.yaml",
        "cross-account-audit.json",
        "sam-app/template.yaml",
    ] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let report = lint_text(file, &text, &Settings::default());
        for (rule, line) in pairs(&report) {
            got.push((file, rule, line));
        }
        if file == "break-glass.yaml" {
            // BackupRestoreRole's TL102 is suppressed by its metadata.
            assert_eq!(report.suppressed.len(), 1);
        }
    }
    let mut want: Vec<_> = EXAMPLE
        .iter()
        .map(|(f, r, l)| (*f, (*r).to_owned(), *l))
        .collect();
    want.sort();
    got.sort();
    assert_eq!(got, want);
}
