//! Property tests (issue: never crash, hang or lose a finding).
//!
//! (a) A generated trust policy — principals of every kind, actions,
//!     conditions with random operators, keys and values — gives the same
//!     findings in every format that can hold it: raw JSON, a
//!     CloudFormation role in YAML and in JSON, Terraform `jsonencode` and a
//!     heredoc, a `.tf.json` string, a plan's JSON string and a URL-encoded
//!     account export. Rule IDs match as multisets; messages match among
//!     the templates (which all name the role `R`) and, with the subject
//!     renamed, the raw file; and each finding's span, decoded the way its
//!     format encodes the document, is the same value as in the raw file.
//! (b) Arbitrary text, arbitrary bytes and mutated templates, fed through
//!     every format: linting never panics, never ends in an internal
//!     error, and every span of every diagnostic lies within the file on
//!     char boundaries.
//!
//! Case counts are bounded (64) so the suite stays fast.

#![allow(clippy::unwrap_used)] // tests: a panic is a failure

use std::collections::BTreeMap;
use std::fmt::Write as _;

use proptest::prelude::*;
use serde_json::{json, Map, Value};
mod common;

use common::percent;
use trustlint::lint::{FileReport, FileStatus};
use trustlint::{lint_text, Settings};

// ------------------------------------------------------------ generation

const ACCOUNTS: &[&str] = &["111122223333", "444455556666"];

fn aws_principal() -> impl Strategy<Value = String> + Clone {
    let acct = proptest::sample::select(ACCOUNTS);
    prop_oneof![
        Just("*".to_owned()),
        acct.clone().prop_map(|a| format!("arn:aws:iam::{a}:root")),
        acct.clone().prop_map(str::to_owned),
        acct.clone()
            .prop_map(|a| format!("arn:aws:iam::{a}:role/deploy")),
        acct.clone()
            .prop_map(|a| format!("arn:aws:iam::{a}:user/alice")),
        acct.prop_map(|a| format!("arn:aws:sts::{a}:assumed-role/r/session")),
        Just("AROAEXAMPLEEXAMPLE123".to_owned()),
        Just("arn:aws:iam::*:root".to_owned()),
        Just("12345".to_owned()),
        Just("arn:aws:iam::111122223333:role/ci-*".to_owned()),
    ]
}

fn one_or_many(s: impl Strategy<Value = String> + Clone) -> impl Strategy<Value = Value> {
    prop_oneof![
        s.clone().prop_map(Value::String),
        proptest::collection::vec(s, 1..3)
            .prop_map(|v| Value::Array(v.into_iter().map(Value::String).collect())),
    ]
}

fn principal() -> impl Strategy<Value = Value> {
    let service = proptest::sample::select(
        &[
            "ec2.amazonaws.com",
            "lambda.amazonaws.com",
            "s3.amazonaws.com",
            "sns.amazonaws.com",
            "rolesanywhere.amazonaws.com",
            "not-a-service",
        ][..],
    )
    .prop_map(str::to_owned);
    let federated = proptest::sample::select(
        &[
            "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
            "arn:aws:iam::111122223333:oidc-provider/gitlab.com",
            "cognito-identity.amazonaws.com",
            "arn:aws:iam::111122223333:saml-provider/Okta",
            "accounts.google.com",
        ][..],
    )
    .prop_map(str::to_owned);
    prop_oneof![
        Just(Value::String("*".to_owned())),
        one_or_many(aws_principal()).prop_map(|v| json!({ "AWS": v })),
        one_or_many(service).prop_map(|v| json!({ "Service": v })),
        one_or_many(federated).prop_map(|v| json!({ "Federated": v })),
        (
            one_or_many(aws_principal()),
            proptest::sample::select(&["ec2.amazonaws.com", "lambda.amazonaws.com"][..])
        )
            .prop_map(|(a, s)| json!({ "AWS": a, "Service": s })),
        Just(
            json!({ "CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be" })
        ),
    ]
}

fn action() -> impl Strategy<Value = String> {
    proptest::sample::select(
        &[
            "sts:AssumeRole",
            "sts:AssumeRoleWithWebIdentity",
            "sts:AssumeRoleWithSAML",
            "sts:TagSession",
            "sts:SetSourceIdentity",
            "sts:*",
            "*",
            "s3:GetObject",
        ][..],
    )
    .prop_map(str::to_owned)
}

fn condition_value() -> impl Strategy<Value = Value> {
    let s = proptest::sample::select(
        &[
            "o-abc123def4",
            "111122223333",
            "*",
            "repo:my-org/*",
            "repo:*",
            "repo:my-org/app:ref:refs/heads/main",
            "true",
            "false",
            "3600",
            "arn:aws:iam::111122223333:role/ci-*",
            "arn:aws:iam::*:role/x",
            "sts.amazonaws.com",
            "abcdefgh-external",
            "${aws:username}",
            "203.0.113.0/24",
            "system:serviceaccount:*",
        ][..],
    )
    .prop_map(|s| Value::String(s.to_owned()));
    prop_oneof![
        4 => s.clone(),
        2 => proptest::collection::vec(s, 1..3).prop_map(Value::Array),
        1 => Just(json!(true)),
        1 => Just(json!(3600)),
    ]
}

fn condition() -> impl Strategy<Value = Value> {
    let op = proptest::sample::select(
        &[
            "StringEquals",
            "StringLike",
            "StringNotEquals",
            "StringEqualsIgnoreCase",
            "ArnLike",
            "ArnEquals",
            "Bool",
            "BoolIfExists",
            "NumericLessThan",
            "NumericGreaterThan",
            "ForAnyValue:StringLike",
            "ForAllValues:StringEquals",
            "StringEqualsIfExists",
            "Null",
            "IpAddress",
            "NotAnOperator",
        ][..],
    );
    let key = proptest::sample::select(
        &[
            "aws:PrincipalOrgID",
            "aws:PrincipalAccount",
            "aws:PrincipalArn",
            "aws:SourceArn",
            "aws:SourceAccount",
            "sts:ExternalId",
            "aws:MultiFactorAuthPresent",
            "aws:MultiFactorAuthAge",
            "token.actions.githubusercontent.com:sub",
            "token.actions.githubusercontent.com:aud",
            "gitlab.com:sub",
            "cognito-identity.amazonaws.com:aud",
            "SAML:aud",
            "aws:SourceIp",
            "aws:PrincipalTag/team",
            "aws:NotAKey",
            "sts:DurationSeconds",
        ][..],
    );
    let block = proptest::collection::btree_map(key, condition_value(), 1..3);
    proptest::collection::btree_map(op, block, 1..3).prop_map(|m| {
        Value::Object(
            m.into_iter()
                .map(|(op, keys)| {
                    let keys: Map<String, Value> =
                        keys.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
                    (op.to_owned(), Value::Object(keys))
                })
                .collect(),
        )
    })
}

fn statement(first: bool) -> impl Strategy<Value = Value> {
    // The first statement is an Allow with a Principal whatever shrinking
    // does (it makes the raw file a trust policy).
    let allow = if first {
        Just(true).boxed()
    } else {
        proptest::bool::weighted(0.8).boxed()
    };
    let not = if first {
        Just(false).boxed()
    } else {
        proptest::bool::weighted(0.1).boxed()
    };
    (
        allow,
        principal(),
        not,
        proptest::collection::vec(action(), 0..3),
        proptest::option::weighted(0.7, condition()),
        proptest::option::of(proptest::sample::select(&["s1", "s2", ""][..])),
    )
        .prop_map(move |(allow, principal, not, mut actions, cond, sid)| {
            let mut s = Map::new();
            if let Some(sid) = sid {
                s.insert("Sid".into(), json!(sid));
            }
            s.insert("Effect".into(), json!(if allow { "Allow" } else { "Deny" }));
            s.insert(
                if not { "NotPrincipal" } else { "Principal" }.into(),
                principal,
            );
            // The first statement makes the raw file a trust policy.
            if first || actions.is_empty() {
                actions.insert(0, "sts:AssumeRole".to_owned());
            }
            let action = if actions.len() == 1 {
                json!(actions[0])
            } else {
                json!(actions)
            };
            s.insert("Action".into(), action);
            if let Some(c) = cond {
                s.insert("Condition".into(), c);
            }
            Value::Object(s)
        })
}

fn policy() -> impl Strategy<Value = Value> {
    (
        statement(true),
        proptest::collection::vec(statement(false), 0..3),
        proptest::sample::select(&["2012-10-17", "2012-10-17", "2008-10-17"][..]),
    )
        .prop_map(|(first, rest, version)| {
            let mut statements = vec![first];
            statements.extend(rest);
            json!({ "Version": version, "Statement": statements })
        })
}

// ------------------------------------------------------------- embedding

/// A document in one format: the file, and how to turn the text of a span
/// back into the JSON value it encodes (`None` where it is not one).
struct Embedded {
    name: &'static str,
    text: String,
    decode: fn(&str) -> Option<Value>,
}

fn as_json(span: &str) -> Option<Value> {
    serde_json::from_str(span).ok()
}

/// Terraform templates escape `${` and `%{` by doubling the sigil.
fn untemplate(s: &str) -> String {
    s.replace("$${", "${").replace("%%{", "%{")
}

/// A span inside a JSON string literal: undo the string's escapes.
fn unstring(span: &str) -> Option<String> {
    serde_json::from_str::<String>(&format!("\"{span}\"")).ok()
}

fn unpercent(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn yaml_scalar(v: &Value) -> Option<String> {
    match v {
        Value::Array(a) if a.is_empty() => Some("[]".into()),
        Value::Object(o) if o.is_empty() => Some("{}".into()),
        Value::Array(_) | Value::Object(_) => None,
        other => Some(other.to_string()),
    }
}

/// Block-style YAML; scalars as JSON (double-quoted strings are YAML too).
fn yaml(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(m) => {
            for (k, val) in m {
                let key = Value::String(k.clone()).to_string();
                match yaml_scalar(val) {
                    Some(s) => writeln!(out, "{pad}{key}: {s}").unwrap(),
                    None => {
                        writeln!(out, "{pad}{key}:").unwrap();
                        yaml(val, indent + 2, out);
                    }
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                match yaml_scalar(item) {
                    Some(s) => writeln!(out, "{pad}- {s}").unwrap(),
                    None => {
                        writeln!(out, "{pad}-").unwrap();
                        yaml(item, indent + 2, out);
                    }
                }
            }
        }
        other => writeln!(out, "{pad}{other}").unwrap(),
    }
}

/// An HCL expression for `jsonencode`.
fn hcl(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent + 2);
    match v {
        Value::Object(m) => {
            out.push_str("{\n");
            for (k, val) in m {
                write!(out, "{pad}{} = ", hcl_string(k)).unwrap();
                hcl(val, indent + 2, out);
                out.push('\n');
            }
            write!(out, "{}}}", " ".repeat(indent)).unwrap();
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                hcl(item, indent + 2, out);
            }
            out.push(']');
        }
        Value::String(s) => out.push_str(&hcl_string(s)),
        other => out.push_str(&other.to_string()),
    }
}

fn hcl_string(s: &str) -> String {
    untemplate_escape(&Value::String(s.to_owned()).to_string())
}

/// Escape `${` and `%{` for a Terraform template.
fn untemplate_escape(s: &str) -> String {
    s.replace("${", "$${").replace("%{", "%%{")
}

fn embeddings(policy: &Value) -> Vec<Embedded> {
    let pretty = serde_json::to_string_pretty(policy).unwrap();
    let compact = serde_json::to_string(policy).unwrap();
    let mut y = String::new();
    yaml(policy, 8, &mut y);
    let mut h = String::new();
    hcl(policy, 2, &mut h);
    vec![
        Embedded {
            name: "raw.json",
            text: pretty.clone(),
            decode: as_json,
        },
        Embedded {
            name: "cfn.yaml",
            text: format!(
                "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n{y}"
            ),
            decode: as_json,
        },
        Embedded {
            name: "cfn.json",
            text: serde_json::to_string_pretty(&json!({
                "AWSTemplateFormatVersion": "2010-09-09",
                "Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": policy}}}
            }))
            .unwrap(),
            decode: as_json,
        },
        Embedded {
            name: "jsonencode.tf",
            text: format!("resource \"aws_iam_role\" \"R\" {{\n  assume_role_policy = jsonencode({h})\n}}\n"),
            decode: |s| as_json(&untemplate(s)),
        },
        Embedded {
            name: "heredoc.tf",
            text: format!(
                "resource \"aws_iam_role\" \"R\" {{\n  assume_role_policy = <<EOF\n{}\nEOF\n}}\n",
                untemplate_escape(&pretty)
            ),
            decode: |s| as_json(&untemplate(s)),
        },
        Embedded {
            name: "string.tf.json",
            text: serde_json::to_string_pretty(&json!({
                "resource": {"aws_iam_role": {"R": {"assume_role_policy": untemplate_escape(&pretty)}}}
            }))
            .unwrap(),
            decode: |s| as_json(&untemplate(&unstring(s)?)),
        },
        Embedded {
            name: "plan.json",
            text: serde_json::to_string_pretty(&json!({
                "format_version": "1.2",
                "planned_values": {"root_module": {"resources": [{
                    "address": "aws_iam_role.R", "mode": "managed", "type": "aws_iam_role", "name": "R",
                    "values": {"assume_role_policy": compact}
                }]}}
            }))
            .unwrap(),
            decode: |s| as_json(&unstring(s)?),
        },
        Embedded {
            name: "export.json",
            text: serde_json::to_string_pretty(&json!({
                "RoleDetailList": [{
                    "RoleName": "R",
                    "Arn": "arn:aws:iam::999999999999:role/R",
                    "AssumeRolePolicyDocument": percent(&compact)
                }]
            }))
            .unwrap(),
            decode: |s| as_json(&unpercent(s)?),
        },
    ]
}

// ------------------------------------------------------------ properties

/// 64 cases, or `PROPTEST_CASES` (for a longer run).
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

/// Every span of every diagnostic is inside the text, on char boundaries.
fn assert_spans(r: &FileReport) -> Result<(), TestCaseError> {
    let text = &r.source.text;
    for d in r.diagnostics.iter().chain(&r.suppressed) {
        for l in std::iter::once(&d.primary).chain(&d.secondary) {
            let (s, e) = (l.span.start as usize, l.span.end as usize);
            prop_assert!(s <= e && e <= text.len(), "{} span {s}..{e}", d.rule.id);
            prop_assert!(
                text.is_char_boundary(s) && text.is_char_boundary(e),
                "{} span {s}..{e} splits a character",
                d.rule.id
            );
        }
    }
    Ok(())
}

/// (rule, message, decoded span value) of every finding.
type Finding = (&'static str, String, Option<Value>);

fn findings(e: &Embedded) -> Result<Vec<Finding>, TestCaseError> {
    let r = lint_text(e.name, &e.text, &Settings::default());
    prop_assert_eq!(&r.status, &FileStatus::Scanned, "{}", e.name);
    assert_spans(&r)?;
    Ok(r.diagnostics
        .iter()
        .map(|d| {
            let span = r.source.slice(d.primary.span);
            (d.rule.id, d.message.clone(), (e.decode)(span))
        })
        .collect())
}

fn multiset<T: Ord + Clone>(items: impl IntoIterator<Item = T>) -> BTreeMap<T, usize> {
    let mut m = BTreeMap::new();
    for i in items {
        *m.entry(i).or_insert(0) += 1;
    }
    m
}

/// Messages with the subject ("role `R`", "this role", "this policy")
/// written the same way.
fn same_subject(m: &str) -> String {
    m.replace("role `R`", "SUBJECT")
        .replace("this role", "SUBJECT")
        .replace("this policy", "SUBJECT")
}

/// A value decoded from a span, as comparable text.
fn key(v: &Option<Value>) -> Option<String> {
    v.as_ref().map(Value::to_string)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn same_findings_in_every_format(policy in policy()) {
        let formats = embeddings(&policy);
        let raw = findings(&formats[0])?;
        let raw_rules = multiset(raw.iter().map(|f| f.0));
        let raw_values = multiset(raw.iter().map(|f| (f.0, key(&f.2))));
        // Every raw span is a JSON value of the document as written.
        for f in &raw {
            prop_assert!(f.2.is_some(), "raw span of {} is not a value", f.0);
        }
        let mut template_messages = None;
        for e in &formats[1..] {
            let got = findings(e)?;
            prop_assert_eq!(
                &multiset(got.iter().map(|f| f.0)),
                &raw_rules,
                "rules of {} differ from the raw file\n{}\n{:#?}\n{:#?}",
                e.name,
                e.text,
                got,
                raw
            );
            // Spans that decode to a value decode to the raw file's values.
            let values = multiset(got.iter().filter(|f| f.2.is_some()).map(|f| (f.0, key(&f.2))));
            for (k, n) in &values {
                prop_assert!(
                    raw_values.get(k).copied().unwrap_or(0) >= *n,
                    "{}: finding {:?} ×{} is not in the raw file\n{:#?}\n{:#?}",
                    e.name, k, n, got, raw
                );
            }
            let messages = multiset(got.iter().map(|f| f.1.clone()));
            match &template_messages {
                None => template_messages = Some(messages.clone()),
                Some(m) => prop_assert_eq!(m, &messages, "messages of {} differ", e.name),
            }
            // With the subject named alike, the same messages as the raw
            // file (which names no role).
            let renamed = multiset(got.iter().map(|f| same_subject(&f.1)));
            let raw_messages = multiset(raw.iter().map(|f| same_subject(&f.1)));
            prop_assert_eq!(&renamed, &raw_messages, "messages of {} differ from the raw file", e.name);
        }
        // JSON-shaped embeddings decode every span.
        for e in &formats {
            if matches!(e.name, "cfn.json" | "heredoc.tf" | "string.tf.json" | "plan.json" | "export.json") {
                let got = findings(e)?;
                prop_assert_eq!(
                    multiset(got.iter().map(|f| (f.0, key(&f.2)))),
                    raw_values.clone(),
                    "{} spans", e.name
                );
            }
        }
    }
}

// ------------------------------------------------------ arbitrary input

/// File names that select every format (and content sniffing).
const NAMES: &[&str] = &[
    "f.json",
    "f.yaml",
    "f.yml",
    "f.tf",
    "f.tf.json",
    "f.template",
    "noext",
];

/// Lint a text; it must not panic, end in an internal error, or produce a
/// span outside the file.
fn survives(name: &str, text: &str) -> Result<(), TestCaseError> {
    let outcome = std::panic::catch_unwind(|| lint_text(name, text, &Settings::default()));
    let r = match outcome {
        Ok(r) => r,
        Err(_) => return Err(TestCaseError::fail(format!("{name} panicked on {text:?}"))),
    };
    prop_assert!(
        !matches!(r.status, FileStatus::Error(_)),
        "{name}: {:?} on {text:?}",
        r.status
    );
    assert_spans(&r)
}

/// Text built from the tokens the loaders care about.
fn tokens() -> impl Strategy<Value = String> {
    let token = proptest::sample::select(
        &[
            "{",
            "}",
            "[",
            "]",
            ":",
            ",",
            "\"",
            "'",
            "\\",
            "\\u",
            "\\ud800",
            "d800",
            "!",
            "&a",
            "*a",
            "!Ref",
            "!Sub",
            "!!str",
            "-",
            "- ",
            "\n",
            "\n  ",
            "\t",
            " ",
            "#",
            "---",
            "...",
            "|",
            ">",
            "${",
            "}",
            "%{",
            "<<EOF\n",
            "\nEOF\n",
            "<<-",
            "=",
            "resource",
            "\"aws_iam_role\"",
            "assume_role_policy",
            "jsonencode(",
            ")",
            "Statement",
            "\"Statement\"",
            "Effect",
            "Allow",
            "Principal",
            "AWS",
            "\"*\"",
            "sts:AssumeRole",
            "AWSTemplateFormatVersion",
            "Resources",
            "AWS::IAM::Role",
            "Properties",
            "AssumeRolePolicyDocument",
            "format_version",
            "planned_values",
            "RoleDetailList",
            "%7B",
            "%22",
            "%",
            "é",
            "😀",
            "\u{E001}",
            "0",
            "1e999",
            "-0",
            "null",
            "true",
            "var.x",
            "local.y",
            "data.aws_iam_policy_document.d.json",
        ][..],
    );
    proptest::collection::vec(token, 0..60).prop_map(|t| t.concat())
}

/// A byte-level edit of a text.
#[derive(Clone, Debug)]
enum Edit {
    Insert(usize, String),
    Delete(usize, usize),
    Duplicate(usize, usize),
    Truncate(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), tokens()).prop_map(|(at, s)| Edit::Insert(at, s)),
        (any::<usize>(), 0usize..40).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<usize>(), 0usize..200).prop_map(|(at, n)| Edit::Duplicate(at, n)),
        any::<usize>().prop_map(Edit::Truncate),
    ]
}

/// Apply an edit, keeping the text valid UTF-8 (offsets snap back to a
/// char boundary).
fn apply(text: &mut String, e: &Edit) {
    let snap = |t: &str, at: usize| {
        let mut at = if t.is_empty() { 0 } else { at % (t.len() + 1) };
        while !t.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    match e {
        Edit::Insert(at, s) => {
            let at = snap(text, *at);
            text.insert_str(at, s);
        }
        Edit::Delete(at, n) => {
            let a = snap(text, *at);
            let b = snap(text, a + n);
            text.replace_range(a..b.max(a), "");
        }
        Edit::Duplicate(at, n) => {
            let a = snap(text, *at);
            let b = snap(text, a + n);
            let piece = text[a..b.max(a)].to_owned();
            text.insert_str(b.max(a), &piece);
        }
        Edit::Truncate(at) => {
            let a = snap(text, *at);
            text.truncate(a);
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_text_in_every_format(text in any::<String>()) {
        for name in NAMES {
            survives(name, &text)?;
        }
    }

    #[test]
    fn token_soup_in_every_format(text in tokens()) {
        for name in NAMES {
            survives(name, &text)?;
        }
    }

    #[test]
    fn arbitrary_bytes_in_every_format(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        // Decoded as the CLI decodes files (BOM, UTF-16); undecodable bytes
        // are skipped before any parser sees them.
        if let Ok(text) = trustlint::load::decode::decode(&bytes) {
            for name in NAMES {
                survives(name, &text)?;
            }
        }
        let lossy = String::from_utf8_lossy(&bytes);
        for name in NAMES {
            survives(name, &lossy)?;
        }
    }

    #[test]
    fn mutated_documents_in_every_format(
        policy in policy(),
        edits in proptest::collection::vec(edit(), 1..6),
    ) {
        for e in embeddings(&policy) {
            let mut text = e.text.clone();
            for ed in &edits {
                apply(&mut text, ed);
            }
            survives(e.name, &text)?;
            // And under every other name (content sniffing, wrong format).
            for name in NAMES {
                survives(name, &text)?;
            }
        }
    }
}
