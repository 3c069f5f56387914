//! Precision (issue 11, SPEC §2 and §5 as changed): findings that must not
//! be reported, findings that must not be lost, and places that must be
//! exact. Every test asserts which rule is reported at which line and
//! column (`TL101 6:29`), and nothing else.
//!
//! - an MFA requirement written as a `Deny` counts like one in the `Allow`;
//! - keys present in every request count under `…IfExists`;
//! - a positive condition on a key that does not exist grants nobody: TL204
//!   alone;
//! - literal condition entries are checked beside unknown ones;
//! - a quoted YAML scalar's span ends at its closing quote;
//! - a backslash in a file name on Linux is shown as written;
//! - TL004 is a warning for a missing reason, a note otherwise.

#![allow(clippy::unwrap_used)] // tests: a panic is a failure

mod common;

use trustlint::lint::{FileReport, FileStatus};
use trustlint::{lint_text, Settings};

/// One line per diagnostic, `RULE line:col`, in report order; `clean` when
/// there is none. Every span lies inside the text.
fn outcome(r: &FileReport) -> String {
    let text = &r.source.text;
    for d in &r.diagnostics {
        for l in std::iter::once(&d.primary).chain(&d.secondary) {
            let (s, e) = (l.span.start as usize, l.span.end as usize);
            assert!(s <= e && e <= text.len(), "{} span {s}..{e}", d.rule.id);
        }
    }
    match &r.status {
        FileStatus::Skipped(why) => format!("skipped: {why}"),
        FileStatus::Error(why) => format!("error: {why}"),
        FileStatus::Scanned if r.diagnostics.is_empty() => "clean".to_owned(),
        FileStatus::Scanned => r
            .diagnostics
            .iter()
            .map(|d| {
                let p = r.source.position(d.primary.span.start as usize);
                format!("{} {}:{}", d.rule.id, p.line, p.column)
            })
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// Lint `text` as the file `name` with the default settings and compare
/// the outcome.
#[track_caller]
fn check(name: &str, text: &str, expected: &str) {
    let r = lint_text(name, text, &Settings::default());
    let actual = outcome(&r);
    assert_eq!(
        actual,
        expected.trim(),
        "\n--- actual outcome of {name} ---\n{actual}\n{:#?}\n---",
        r.diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect::<Vec<_>>()
    );
}

// ---------------------------------------------------------------------------
// A backslash in a file name (item 6)
// ---------------------------------------------------------------------------

/// `x\y.json` is a legal file name on Linux: it is shown as written, not
/// as the path `x/y.json`, which names another file.
#[cfg(unix)]
#[test]
fn backslash_in_a_file_name_is_shown_as_written() {
    let d = tempfile::tempdir().unwrap();
    common::write(d.path(), &[("x\\y.json", common::PUBLIC)]);
    let (code, out, err) = common::check(d.path(), &["--format", "concise", "."]);
    assert_eq!(code, 1, "{out}{err}");
    let first = out.lines().next().unwrap_or_default();
    assert!(first.starts_with("x\\y.json:6:"), "{out}");
    let (_, out, _) = common::check(d.path(), &["--format", "concise", "x\\y.json"]);
    assert!(out.starts_with("x\\y.json:6:"), "{out}");
}

// ---------------------------------------------------------------------------
// Quoted YAML scalars followed by a comment (item 5)
// ---------------------------------------------------------------------------

/// The text of the primary span of each diagnostic, `RULE text`.
fn primary_texts(name: &str, text: &str) -> Vec<String> {
    let r = lint_text(name, text, &Settings::default());
    r.diagnostics
        .iter()
        .map(|d| format!("{} {}", d.rule.id, &text[d.primary.span.range()]))
        .collect()
}

const QUOTED_WITH_COMMENTS: &str = "\
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: \"2012-10-17\"
        Statement:
          - Effect: Allow
            Principal:
              AWS: '*' # required for the partner's scanner
            Action: \"sts:AssumeRole\"   # comment
          - Effect: Allow
            Principal:
              AWS: [ \"arn:aws:iam::444455556666:root\" ,  '*'  ] # list
            Action: sts:AssumeRole
            Condition:
              StringEquals:
                aws:SourceIp: \"it's \\\"quoted\\\"\"   # a comment
                sts:ExternalId: 'it''s a secret phrase' # another
";

/// A quoted scalar's span ends at its closing quote, on both YAML paths:
/// the fast path (block style) and the saphyr builder (which the anchor
/// below forces).
#[test]
fn quoted_yaml_scalar_span_stops_before_its_comment() {
    let want = [
        "TL101 '*'",
        "TL102 \"arn:aws:iam::444455556666:root\"",
        "TL201 \"arn:aws:iam::444455556666:root\"",
        "TL101 '*'",
    ];
    assert_eq!(primary_texts("t.yaml", QUOTED_WITH_COMMENTS), want);
    // An anchor is declined by the fast path: the builder parses this.
    let built = QUOTED_WITH_COMMENTS.replace("  Role:\n", "  Role: &role\n");
    assert_eq!(primary_texts("t.yaml", &built), want);
    check(
        "t.yaml",
        QUOTED_WITH_COMMENTS,
        "TL101 10:20\nTL102 14:22\nTL201 14:22\nTL101 14:58",
    );
}

// ---------------------------------------------------------------------------
// TL004 severities (item 7, SPEC §5)
// ---------------------------------------------------------------------------

const SUPPRESSIONS: &str = "\
# trustlint:ignore-file TL106 nothing of the kind here
# trustlint:ignore TL999 a typo
# trustlint:ignroe TL101 misspelt
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: \"2012-10-17\"
        Statement:
          - Effect: Allow
            Principal:
              Service: ec2.amazonaws.com
            Action: sts:AssumeRole
      MaxSessionDuration: 28800 # trustlint:ignore TL303
";

/// `RULE line:col severity` of each finding.
fn severities(text: &str, settings: &Settings) -> Vec<String> {
    let r = lint_text("t.yaml", text, settings);
    r.diagnostics
        .iter()
        .map(|d| {
            let p = r.source.position(d.primary.span.start as usize);
            format!("{} {}:{} {}", d.rule.id, p.line, p.column, d.severity)
        })
        .collect()
}

/// A suppression without a reason is a warning (it still silences); one
/// that silences nothing, names an unknown rule or is misspelt is a note;
/// `[severity] TL004` sets both.
#[test]
fn tl004_is_a_warning_without_a_reason_and_a_note_otherwise() {
    assert_eq!(
        severities(SUPPRESSIONS, &Settings::default()),
        [
            "TL004 1:1 note",
            "TL004 2:1 note",
            "TL004 3:1 note",
            "TL004 15:33 warning",
        ]
    );
    for (set, want) in [
        (trustlint::Severity::Note, "note"),
        (trustlint::Severity::Error, "error"),
    ] {
        let mut settings = Settings::default();
        settings.severity.insert("TL004".into(), set);
        let got = severities(SUPPRESSIONS, &settings);
        assert_eq!(got.len(), 4, "{got:?}");
        assert!(got.iter().all(|g| g.ends_with(want)), "{got:?}");
    }
}

/// The default gate (`--fail-on warning`) fails on a suppression without a
/// reason, and passes one with a reason.
#[test]
fn a_suppression_without_a_reason_fails_the_default_gate() {
    let d = tempfile::tempdir().unwrap();
    common::write(d.path(), &[("t.yaml", SUPPRESSIONS)]);
    let (code, out, _) = common::check(d.path(), &["--format", "concise", "t.yaml"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("t.yaml:15:33: warning[TL004] suppression of `TL303` gives no reason"),
        "{out}"
    );
    let reasoned = SUPPRESSIONS.replace(
        "ignore TL303\n",
        "ignore TL303 nightly batch jobs run for 8 hours\n",
    );
    common::write(d.path(), &[("t.yaml", &reasoned)]);
    let (code, out, _) = common::check(d.path(), &["--format", "concise", "t.yaml"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.matches("note[TL004]").count(), 3, "{out}");
}

// ---------------------------------------------------------------------------
// Policies for the rule tests: one trust statement, line by line
// ---------------------------------------------------------------------------

/// A role trust policy with one `Allow` (principal on line 6, the condition
/// on line 8) and, after it, `extra` statements (from line 10).
fn trust(principal: &str, condition: &str, extra: &str) -> String {
    format!(
        r#"{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Effect": "Allow",
      "Principal": {principal},
      "Action": "sts:AssumeRole",
      "Condition": {condition}
    }}{extra}
  ]
}}
"#
    )
}

/// A `Deny` statement (principal on its line 4, condition on its line 6)
/// to put after the `Allow` of [`trust`].
fn deny(principal: &str, condition: &str) -> String {
    format!(
        r#",
    {{
      "Effect": "Deny",
      "Principal": {principal},
      "Action": "sts:AssumeRole",
      "Condition": {condition}
    }}"#
    )
}

const ANYONE: &str = r#"{ "AWS": "*" }"#;
const PARTNER_ROOT: &str = r#"{ "AWS": "arn:aws:iam::444455556666:root" }"#;
const PARTNER_USER: &str = r#"{ "AWS": "arn:aws:iam::444455556666:user/alice" }"#;

// ---------------------------------------------------------------------------
// Keys present in every request, under …IfExists (item 2)
// ---------------------------------------------------------------------------

/// `aws:PrincipalArn` and `aws:PrincipalAccount` are in every request: the
/// `…IfExists` form pins (no TL101) as the plain operator does.
#[test]
fn if_exists_on_an_always_present_key_pins() {
    for cond in [
        r#"{ "StringEqualsIfExists": { "aws:PrincipalAccount": "111122223333" } }"#,
        r#"{ "ArnLikeIfExists": { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/ci-*" } }"#,
        r#"{ "StringLikeIfExists": { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/*" } }"#,
        r#"{ "ArnLike": { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/ci-*" } }"#,
    ] {
        check("t.json", &trust(ANYONE, cond, ""), "clean");
    }
    // A wildcard account does not pin, with or without …IfExists.
    check(
        "t.json",
        &trust(
            ANYONE,
            r#"{ "ArnLikeIfExists": { "aws:PrincipalArn": "arn:aws:iam::*:role/ci" } }"#,
            "",
        ),
        "TL101 6:29",
    );
    // aws:PrincipalOrgID is absent for accounts outside an organisation:
    // …IfExists lets them in, so it does not pin.
    check(
        "t.json",
        &trust(
            ANYONE,
            r#"{ "StringEqualsIfExists": { "aws:PrincipalOrgID": "o-abcdefghij" } }"#,
            "",
        ),
        "TL101 6:29",
    );
    // Neither does a negated operator.
    check(
        "t.json",
        &trust(
            ANYONE,
            r#"{ "StringNotEqualsIfExists": { "aws:PrincipalAccount": "111122223333" } }"#,
            "",
        ),
        "TL101 6:29",
    );
}

/// `ArnLikeIfExists aws:PrincipalArn` naming roles narrows an account trust
/// (no TL102) and, naming only roles, exempts it from TL201; an
/// `aws:PrincipalTag/…` under `…IfExists` (absent for untagged callers)
/// does not narrow.
#[test]
fn if_exists_on_an_always_present_key_narrows() {
    check(
        "t.json",
        &trust(
            PARTNER_ROOT,
            r#"{ "ArnLikeIfExists": { "aws:PrincipalArn": "arn:aws:iam::444455556666:role/deploy" } }"#,
            "",
        ),
        "TL103 6:29",
    );
    check(
        "t.json",
        &trust(
            PARTNER_ROOT,
            r#"{ "StringEqualsIfExists": { "aws:PrincipalTag/team": "ops" } }"#,
            "",
        ),
        "TL102 6:29\nTL103 6:29\nTL201 6:29",
    );
}

// ---------------------------------------------------------------------------
// MFA required by a Deny (item 1)
// ---------------------------------------------------------------------------

const NO_CONDITION: &str = r#"{ "StringEquals": { "aws:RequestedRegion": "eu-west-1" } }"#;

/// A `Deny` for the same principal with `BoolIfExists … "false"` requires
/// MFA as `Bool … "true"` in the `Allow` would: no TL201, no TL103.
#[test]
fn deny_bool_if_exists_false_requires_mfa() {
    let d = deny(
        PARTNER_USER,
        r#"{ "BoolIfExists": { "aws:MultiFactorAuthPresent": "false" } }"#,
    );
    check("t.json", &trust(PARTNER_USER, NO_CONDITION, &d), "clean");
    // A Deny for every principal covers this one too.
    let d = deny(
        ANYONE,
        r#"{ "BoolIfExists": { "aws:MultiFactorAuthPresent": "false" } }"#,
    );
    check("t.json", &trust(PARTNER_USER, NO_CONDITION, &d), "clean");
    // Without the Deny: TL103 (external account) and TL201 (IAM user).
    check(
        "t.json",
        &trust(PARTNER_USER, NO_CONDITION, ""),
        "TL103 6:29\nTL201 6:29",
    );
    // A Deny for another principal does not cover this one.
    let d = deny(
        r#"{ "AWS": "arn:aws:iam::444455556666:user/bob" }"#,
        r#"{ "BoolIfExists": { "aws:MultiFactorAuthPresent": "false" } }"#,
    );
    check(
        "t.json",
        &trust(PARTNER_USER, NO_CONDITION, &d),
        "TL103 6:29\nTL201 6:29",
    );
}

/// A `Deny` with `Bool … "false"` skips long-term keys: TL202 on its
/// operator, as before, and the grant is unguarded (TL103); TL201 is left to
/// TL202, which names the broken condition.
#[test]
fn deny_bool_false_does_not_require_mfa() {
    let d = deny(
        PARTNER_USER,
        r#"{ "Bool": { "aws:MultiFactorAuthPresent": "false" } }"#,
    );
    check(
        "t.json",
        &trust(PARTNER_USER, NO_CONDITION, &d),
        "TL103 6:29\nTL202 14:22",
    );
}

/// AWS's force-MFA shape: one `Deny` with `Null aws:MultiFactorAuthAge
/// "true"` (no MFA at all) and one with `NumericGreaterThan` (MFA too
/// old). Together they require recent MFA: nothing to report. Alone, the
/// age `Deny` skips callers without MFA (TL202); in one statement the two
/// conditions never hold together (TL202 on the age, and no MFA).
#[test]
fn deny_stale_and_missing_mfa_age_requires_mfa() {
    let missing = deny(
        PARTNER_USER,
        r#"{ "Null": { "aws:MultiFactorAuthAge": "true" } }"#,
    );
    let stale = deny(
        PARTNER_USER,
        r#"{ "NumericGreaterThan": { "aws:MultiFactorAuthAge": "3600" } }"#,
    );
    check(
        "t.json",
        &trust(PARTNER_USER, NO_CONDITION, &format!("{missing}{stale}")),
        "clean",
    );
    check(
        "t.json",
        &trust(PARTNER_USER, NO_CONDITION, &format!("{stale}{missing}")),
        "clean",
    );
    // The Null Deny alone already requires MFA.
    check(
        "t.json",
        &trust(PARTNER_USER, NO_CONDITION, &missing),
        "clean",
    );
    // The age Deny alone does not.
    check(
        "t.json",
        &trust(PARTNER_USER, NO_CONDITION, &stale),
        "TL103 6:29\nTL202 14:22",
    );
    // Both in one Deny: never both true, so the Deny never applies.
    let both = deny(
        PARTNER_USER,
        r#"{ "Null": { "aws:MultiFactorAuthAge": "true" }, "NumericGreaterThan": { "aws:MultiFactorAuthAge": "3600" } }"#,
    );
    check(
        "t.json",
        &trust(PARTNER_USER, NO_CONDITION, &both),
        "TL103 6:29\nTL202 14:68",
    );
    // The Null Deny for another principal does not complete this one.
    let missing_bob = deny(
        r#"{ "AWS": "arn:aws:iam::444455556666:user/bob" }"#,
        r#"{ "Null": { "aws:MultiFactorAuthAge": "true" } }"#,
    );
    check(
        "t.json",
        &trust(PARTNER_USER, NO_CONDITION, &format!("{stale}{missing_bob}")),
        "TL103 6:29\nTL202 14:22",
    );
}

// ---------------------------------------------------------------------------
// A positive condition on a key that does not exist grants nobody (item 3)
// ---------------------------------------------------------------------------

/// `aws:PrincipleOrgID` (a typo) is never in the request, so `StringEquals`
/// on it is never true and the statement grants nobody: TL204 alone, not
/// TL101 (nor TL102, TL103, TL201 for an account).
#[test]
fn typo_key_grants_nobody() {
    let typo = r#"{ "StringEquals": { "aws:PrincipleOrgID": "o-abcdefghij" } }"#;
    check("t.json", &trust(ANYONE, typo, ""), "TL204 8:40");
    check("t.json", &trust(PARTNER_ROOT, typo, ""), "TL204 8:40");
    check("t.json", &trust(PARTNER_USER, typo, ""), "TL204 8:40");
    // `"Principal": "*"` is still rejected by IAM (TL105): a fact about the
    // statement, not about who it lets in.
    check(
        "t.json",
        &trust(r#""*""#, typo, ""),
        "TL105 6:20\nTL204 8:40",
    );
    // `Null` "false" requires the key: never true either.
    check(
        "t.json",
        &trust(
            ANYONE,
            r#"{ "Null": { "aws:PrincipleOrgID": "false" } }"#,
            "",
        ),
        "TL204 8:32",
    );
}

/// Conditions that are true when the key is absent do not stop the grant:
/// a negated operator, `…IfExists`, `ForAllValues:` and `Null` "true" on
/// the typo leave the statement open (TL101 beside TL204).
#[test]
fn typo_key_under_an_operator_true_when_absent_still_grants() {
    for (cond, col) in [
        (
            r#"{ "StringNotEquals": { "aws:PrincipleOrgID": "o-abcdefghij" } }"#,
            43,
        ),
        (
            r#"{ "StringEqualsIfExists": { "aws:PrincipleOrgID": "o-abcdefghij" } }"#,
            48,
        ),
        (r#"{ "Null": { "aws:PrincipleOrgID": "true" } }"#, 32),
    ] {
        check(
            "t.json",
            &trust(ANYONE, cond, ""),
            &format!("TL101 6:29\nTL204 8:{col}"),
        );
    }
    check(
        "t.json",
        &trust(
            ANYONE,
            r#"{ "ForAllValues:StringEquals": { "aws:PrincipleOrgID": "o-abcdefghij" } }"#,
            "",
        ),
        "TL101 6:29\nTL203 8:22\nTL204 8:53",
    );
}

/// A web-identity trust whose only claim condition names a claim GitHub
/// does not send grants nobody: TL204 alone, not TL401/TL403.
#[test]
fn typo_claim_grants_nobody() {
    let text = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": { "token.actions.githubusercontent.com:repository_owner": "acme" }
      }
    }
  ]
}
"#;
    check("t.json", text, "TL204 9:27");
    // Without the typo the trust is open to any repository.
    let open = text.replace(
        r#""StringEquals": { "token.actions.githubusercontent.com:repository_owner": "acme" }"#,
        r#""StringEquals": { "aws:RequestedRegion": "eu-west-1" }"#,
    );
    check("t.json", &open, "TL401 6:35\nTL403 6:35");
}

/// A `Deny` whose condition can never be true denies nobody: it does not
/// require MFA for the grant it would cover.
#[test]
fn typo_key_in_a_deny_denies_nobody() {
    let d = deny(
        PARTNER_USER,
        r#"{ "BoolIfExists": { "aws:MultiFactorAuthPresent": "false" }, "StringEquals": { "aws:PrincipleOrgID": "o-abcdefghij" } }"#,
    );
    check(
        "t.json",
        &trust(PARTNER_USER, NO_CONDITION, &d),
        "TL103 6:29\nTL201 6:29\nTL204 14:99",
    );
}

/// `sts:DurationSeconds` is never sent with sts:AssumeRole: a limit on it
/// makes the statement grant nobody, and is not a session duration either
/// (no TL301).
#[test]
fn duration_seconds_on_assume_role_grants_nobody() {
    check(
        "t.json",
        &trust(
            ANYONE,
            r#"{ "NumericLessThanEquals": { "sts:DurationSeconds": "50000" } }"#,
            "",
        ),
        "TL204 8:49",
    );
}

// ---------------------------------------------------------------------------
// Literal condition entries beside unknown ones (item 4)
// ---------------------------------------------------------------------------

/// Written after terraform-aws-iam v5's `iam-github-oidc-role` module: a
/// literal `ForAllValues:StringEquals` condition beside a condition whose
/// `test` is a variable and a `dynamic "condition"` block. The statement is
/// known only in part, so no rule guesses what the unknown conditions say
/// (no TL401 for the `sub` it cannot read), but the literal entry is
/// `ForAllValues:` in an Allow: TL203 at its `test`.
const GITHUB_OIDC_MODULE: &str = r#"variable "provider_url" {
  type    = string
  default = "token.actions.githubusercontent.com"
}

variable "subjects" {
  type    = list(string)
  default = []
}

variable "subject_condition" {
  type    = string
  default = "StringLike"
}

variable "extra_conditions" {
  type    = list(any)
  default = []
}

data "aws_caller_identity" "current" {}

locals {
  provider_url = replace(var.provider_url, "https://", "")
}

data "aws_iam_policy_document" "github" {
  statement {
    sid     = "GithubOidcAuth"
    actions = ["sts:TagSession", "sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/${local.provider_url}"]
    }

    condition {
      test     = "ForAllValues:StringEquals"
      variable = "${local.provider_url}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = var.subject_condition
      variable = "${local.provider_url}:sub"
      values   = [for s in var.subjects : "repo:${trimprefix(s, "repo:")}"]
    }

    dynamic "condition" {
      for_each = var.extra_conditions
      content {
        test     = condition.value.test
        variable = condition.value.variable
        values   = condition.value.values
      }
    }
  }
}

resource "aws_iam_role" "github" {
  name               = "github-oidc"
  assume_role_policy = data.aws_iam_policy_document.github.json
}
"#;

#[test]
fn literal_condition_beside_a_dynamic_block_is_checked() {
    check("main.tf", GITHUB_OIDC_MODULE, "TL203 38:18");
    // Without the unknown parts the statement is whole: the same TL203,
    // and the statement rules judge it (the only `aud` condition does not
    // count: TL403 at the principal).
    let whole = GITHUB_OIDC_MODULE
        .replace(
            "test     = var.subject_condition",
            "test     = \"StringLike\"",
        )
        .replace(
            "values   = [for s in var.subjects : \"repo:${trimprefix(s, \"repo:\")}\"]",
            "values   = [\"repo:acme/app:*\"]",
        );
    let cut = whole.find("    dynamic \"condition\"").unwrap();
    let end = whole[cut..].find("    }\n  }\n}").unwrap() + cut;
    let whole = format!("{}{}", &whole[..cut], &whole[end + 6..]);
    check("main.tf", &whole, "TL403 34:22\nTL203 38:18");
}

/// A `dynamic "principals"` block hides who is trusted, not what the
/// literal conditions say: `BoolIfExists` MFA (TL202), a typo key (TL204)
/// and a wildcard under `StringEquals` (TL203) are reported; the statement
/// rules, which need the principals, are not.
#[test]
fn literal_conditions_beside_dynamic_principals_are_checked() {
    let text = r#"variable "admin_arns" {
  type = list(string)
}

data "aws_iam_policy_document" "admins" {
  statement {
    actions = ["sts:AssumeRole"]

    dynamic "principals" {
      for_each = var.admin_arns
      content {
        type        = "AWS"
        identifiers = [principals.value]
      }
    }

    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["true"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipleOrgID"
      values   = ["o-abcdefghij"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalArn"
      values   = ["arn:aws:iam::111122223333:role/admin-*"]
    }
  }
}

resource "aws_iam_role" "admins" {
  name               = "admins"
  assume_role_policy = data.aws_iam_policy_document.admins.json
}
"#;
    check("main.tf", text, "TL202 18:18\nTL204 25:18\nTL203 32:18");
}

/// A condition block whose `test` is a variable cannot be judged; the
/// literal block beside it still is.
#[test]
fn literal_condition_beside_an_unresolved_operator_is_checked() {
    let text = r#"variable "op" {
  type = string
}

data "aws_iam_policy_document" "deploy" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::444455556666:root"]
    }

    condition {
      test     = var.op
      variable = "aws:PrincipalArn"
      values   = ["arn:aws:iam::444455556666:role/deploy"]
    }

    condition {
      test     = "ForAllValues:StringLike"
      variable = "aws:PrincipalTag/team"
      values   = ["platform"]
    }
  }
}

resource "aws_iam_role" "deploy" {
  name               = "deploy"
  assume_role_policy = data.aws_iam_policy_document.deploy.json
}
"#;
    check("main.tf", text, "TL203 21:18");
}

/// CloudFormation: a principal from a parameter without a default is
/// unknown; the literal conditions are checked all the same.
#[test]
fn literal_conditions_beside_an_unresolved_parameter_are_checked() {
    let text = r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  TrustedPrincipal:
    Type: String
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Ref TrustedPrincipal
            Action: sts:AssumeRole
            Condition:
              BoolIfExists:
                aws:MultiFactorAuthPresent: "true"
              ForAllValues:StringEquals:
                aws:PrincipalTag/team: platform
              StringEquals:
                aws:PrincipleOrgID: o-abcdefghij
"#;
    check(
        "template.yaml",
        text,
        "TL202 17:15\nTL203 19:15\nTL204 22:17",
    );
}

/// The real module, when the corpus is beside the repository: its literal
/// `ForAllValues:StringEquals` entries (`iss`, `aud`) get TL203, and `iss`
/// (a claim STS does not expose as a key) TL204.
#[test]
fn github_oidc_role_module_of_the_corpus() {
    let dir = common::repo_root()
        .join("../shared/corpus/terraform-aws-iam-v5/modules/iam-github-oidc-role");
    if !dir.is_dir() {
        common::visible(&format!(
            "SKIPPED github_oidc_role_module_of_the_corpus: {} not found",
            dir.display()
        ));
        return;
    }
    let (inputs, errors) = trustlint::discover::discover(&[dir], &globset::GlobSet::empty());
    assert!(errors.is_empty(), "{errors:?}");
    let report = trustlint::lint(&inputs, &Settings::default(), 1);
    let found: Vec<String> = report
        .diagnostics()
        .map(|(f, d)| {
            let p = f.source.position(d.primary.span.start as usize);
            let name = f.source.path.rsplit('/').next().unwrap_or_default();
            format!("{name} {} {}:{}", d.rule.id, p.line, p.column)
        })
        .collect();
    assert_eq!(
        found,
        [
            "main.tf TL203 33:18",
            "main.tf TL204 34:18",
            "main.tf TL203 39:18",
        ]
    );
}
