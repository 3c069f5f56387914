//! Hostile input (issue: never crash, hang or lose a finding): deep
//! nesting in every parser and every embedding, huge strings and numbers,
//! many statements, duplicate keys, truncated files, alias bombs, odd YAML
//! tags, unterminated heredocs, garbage HCL, wrong JSON types everywhere,
//! NUL characters, lone surrogates, resolution bombs, and the limits that
//! stop them. Every test asserts the exact outcome — which rule at which
//! line and column, a skip and its reason, or an internal error — and that
//! every span of every diagnostic lies within the file on char boundaries.
//!
//! Sizes: nesting is always at least 100,000 levels; other sizes are
//! smaller in debug builds (where each test must stay under 2 s) and full
//! in release builds (`cargo test --release --test hostile`).

#![allow(clippy::unwrap_used)] // tests: a panic is a failure

use std::fmt::Write as _;
use std::path::Path;

mod common;

use common::percent;
use trustlint::lint::{FileReport, FileStatus};
use trustlint::{lint_text, Settings};

/// Debug builds run smaller inputs (never smaller nesting).
fn size(release: usize, debug: usize) -> usize {
    if cfg!(debug_assertions) {
        debug
    } else {
        release
    }
}

/// Every span of every diagnostic is inside the text, on char boundaries.
fn assert_spans(r: &FileReport) {
    let text = &r.source.text;
    for d in r.diagnostics.iter().chain(&r.suppressed) {
        for l in std::iter::once(&d.primary).chain(&d.secondary) {
            let (s, e) = (l.span.start as usize, l.span.end as usize);
            assert!(s <= e && e <= text.len(), "{} span {s}..{e}", d.rule.id);
            assert!(
                text.is_char_boundary(s) && text.is_char_boundary(e),
                "{} span {s}..{e} splits a character",
                d.rule.id
            );
        }
    }
}

/// The outcome of a report: `skipped: …`, `error: …`, `clean`, or one line
/// per diagnostic (`TL101 6:29 message`), messages cut to `width` chars.
fn describe(r: &FileReport, width: usize) -> String {
    assert_spans(r);
    match &r.status {
        FileStatus::Skipped(why) => format!("skipped: {why}"),
        FileStatus::Error(why) => format!("error: {why}"),
        FileStatus::Scanned if r.diagnostics.is_empty() => "clean".to_owned(),
        FileStatus::Scanned => r
            .diagnostics
            .iter()
            .map(|d| {
                let p = r.source.position(d.primary.span.start as usize);
                let msg: String = d.message.chars().take(width).collect();
                format!("{} {}:{} {msg}", d.rule.id, p.line, p.column)
            })
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

fn lint_with(name: &str, text: &str, settings: &Settings) -> String {
    let start = std::time::Instant::now();
    let r = lint_text(name, text, settings);
    let out = describe(&r, 120);
    let took = start.elapsed();
    if std::env::var_os("HOSTILE_TIMES").is_some() {
        eprintln!("TIME {name} {took:?}");
    }
    assert!(took.as_secs() < 10, "{name} took {took:?}");
    out
}

fn lint(name: &str, text: &str) -> String {
    lint_with(name, text, &Settings::default())
}

/// Compare a collected outcome, showing it whole on a mismatch.
#[track_caller]
fn check_block(actual: &str, expected: &str) {
    if expected == "?" {
        eprintln!("EXPLORE {}\n{actual}\nEND", std::panic::Location::caller());
        return;
    }
    assert_eq!(
        actual.trim(),
        expected.trim(),
        "\n--- actual ---\n{actual}\n---"
    );
}

/// Compare, showing the whole actual outcome on a mismatch.
#[track_caller]
fn check(name: &str, text: &str, expected: &str) {
    let actual = lint(name, text);
    if expected == "?" {
        eprintln!(
            "EXPLORE {}: {name}\n{actual}\nEND",
            std::panic::Location::caller()
        );
        return;
    }
    assert_eq!(
        actual,
        expected.trim(),
        "\n--- actual outcome of {name} ---\n{actual}\n---"
    );
}

const TRUST: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "AWS": "*" },
      "Action": "sts:AssumeRole"
    }
  ]
}
"#;

/// A trust policy as one line of JSON (to embed in strings).
const TRUST_LINE: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#;

/// JSON string literal of `s` (quotes included).
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// A plan whose role's trust policy is the JSON string literal `lit`.
fn plan(lit: &str) -> String {
    format!(
        "{{\"format_version\": \"1.2\",\n\"planned_values\": {{\"root_module\": {{\"resources\": [\n\
         {{\"address\": \"aws_iam_role.r\", \"mode\": \"managed\", \"type\": \"aws_iam_role\", \"name\": \"r\",\n\
         \"values\": {{\"assume_role_policy\": {lit}}}}}]}}}}}}\n"
    )
}

/// An account export whose role's trust policy is the JSON value `lit`.
fn export(lit: &str) -> String {
    format!(
        "{{\"RoleDetailList\": [{{\"RoleName\": \"r\",\n\
         \"Arn\": \"arn:aws:iam::999999999999:role/r\",\n\
         \"AssumeRolePolicyDocument\": {lit}}}]}}\n"
    )
}

/// A CloudFormation YAML template whose role's trust policy is `doc`
/// (YAML text, on the key's line).
fn cfn_yaml(doc: &str) -> String {
    format!(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {doc}\n"
    )
}

/// A CloudFormation JSON template whose role's trust policy is `doc`.
fn cfn_json(doc: &str) -> String {
    format!(
        "{{\"AWSTemplateFormatVersion\": \"2010-09-09\",\n\"Resources\": {{\"R\": {{\"Type\": \"AWS::IAM::Role\",\n\"Properties\": {{\"AssumeRolePolicyDocument\": {doc}}}}}}}}}\n"
    )
}

/// A Terraform role whose `assume_role_policy` is the expression `expr`.
fn tf(expr: &str) -> String {
    format!("resource \"aws_iam_role\" \"r\" {{\n  assume_role_policy = {expr}\n}}\n")
}

/// A `.tf.json` role whose `assume_role_policy` is the JSON value `lit`.
fn tf_json(lit: &str) -> String {
    format!(
        "{{\"resource\": {{\"aws_iam_role\": {{\"r\": {{\n\"assume_role_policy\": {lit}}}}}}}}}\n"
    )
}

const DEEP: usize = 100_000;

// ---------------------------------------------------------------- nesting

#[test]
fn deep_json_arrays_and_objects() {
    let arrays = "[".repeat(DEEP);
    check(
        "deep.json",
        &arrays,
        "skipped: not IAM-related and does not parse: nesting deeper than 256 levels",
    );
    let iam = format!("{{\"Statement\": {}", "[".repeat(DEEP));
    check(
        "deep.json",
        &iam,
        "TL001 1:270 the file cannot be parsed: nesting deeper than 256 levels",
    );
    let objects = format!("{{\"Statement\": {}", "{\"a\": ".repeat(DEEP));
    check(
        "deep.json",
        &objects,
        "TL001 1:1545 the file cannot be parsed: nesting deeper than 256 levels",
    );
    // Closed brackets, valid JSON but too deep.
    let closed = format!(
        "{{\"Statement\": {}{}}}",
        "[".repeat(DEEP),
        "]".repeat(DEEP)
    );
    check(
        "deep.json",
        &closed,
        "TL001 1:270 the file cannot be parsed: nesting deeper than 256 levels",
    );
}

#[test]
fn json_at_the_depth_limit_is_linted() {
    // The policy at depth 2, a condition value nested to exactly 256 levels
    // in all: parsed and checked on a test thread's small stack.
    let depth = 256 - 6;
    let doc = TRUST.replace(
        "\"Action\": \"sts:AssumeRole\"",
        &format!(
            "\"Action\": \"sts:AssumeRole\", \"Condition\": {{\"StringEquals\": {{\"aws:PrincipalOrgID\": {}\"o-1\"{}}}}}",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    );
    // IAM would reject the nested arrays; they are a wrong value type.
    check(
        "limit.json",
        &doc,
        "TL203 7:88 wrong value type for `StringEquals` in this role: a condition value must be a string, number or boolean, not an array",
    );
}

#[test]
fn deep_yaml_flow_and_block() {
    // saphyr counts flow levels in a u8: the 256th `[` is refused.
    check(
        "deep.yaml",
        &format!("Statement: {}", "[".repeat(DEEP)),
        "TL001 1:267 the file cannot be parsed: flow collections nested deeper than 255 levels",
    );
    check(
        "deep.yaml",
        &format!("Statement: {}", "{a: ".repeat(DEEP)),
        "TL001 1:1032 the file cannot be parsed: flow collections nested deeper than 255 levels",
    );
    check(
        "deep.yaml",
        &format!("Statement:\n{}x\n", "- ".repeat(DEEP)),
        "TL001 2:511 the file cannot be parsed: nesting deeper than 256 levels",
    );
    // Block mappings need indentation, so a file of n levels is O(n²)
    // bytes: 1,000 levels is already far past the limit.
    let mut block = String::from("Statement:\n");
    for i in 0..1_000 {
        block.push_str(&" ".repeat(i + 1));
        block.push_str("k:\n");
    }
    check(
        "deep.yaml",
        &block,
        "TL001 257:257 the file cannot be parsed: nesting deeper than 256 levels",
    );
    // Tagged flow collections: saphyr's look-ahead for implicit keys
    // meets its own limit first.
    check(
        "deep.yaml",
        &cfn_yaml(&"!Sub [".repeat(DEEP)),
        "TL001 6:1568 the file cannot be parsed: flow collections nested deeper than 255 levels",
    );
    // Tags on block nodes count as levels of their own: 200 tagged
    // sequences are 400 levels.
    let mut tagged = String::from("AWSTemplateFormatVersion: '2010-09-09'\nx:\n");
    for i in 0..200 {
        writeln!(tagged, "{}- !Sub", " ".repeat(2 * i)).unwrap();
    }
    check(
        "deep.yaml",
        &tagged,
        "TL001 130:257 the file cannot be parsed: nesting deeper than 256 levels",
    );
}

#[test]
fn deep_hcl_in_every_construct() {
    let cases = [
        ("{a = ", "}"),
        ("[", "]"),
        ("(", ")"),
        ("jsonencode(", ")"),
        ("\"${", "}\""),
        ("true ? 1 : ", ""),
        ("-", ""),
        ("!", ""),
    ];
    let mut out = String::new();
    for (open, close) in cases {
        let text = tf(&format!("{}1{}", open.repeat(DEEP), close.repeat(DEEP)));
        writeln!(out, "{open}: {}", lint("deep.tf", &text)).unwrap();
    }
    // Nested blocks.
    let blocks = format!(
        "resource \"aws_iam_role\" \"r\" {{\n{}{}}}\n",
        "b {\n".repeat(DEEP),
        "}\n".repeat(DEEP)
    );
    writeln!(out, "blocks: {}", lint("deep.tf", &blocks)).unwrap();
    // A chain of binary operators (hcl-edit stops at 128).
    let chain = tf(&format!("1{}", " + 1".repeat(DEEP)));
    writeln!(out, "a + a: {}", lint("deep.tf", &chain)).unwrap();
    // Traversals are flat: 100,000 index operators are fine.
    let trav = tf(&format!("local.a{}", "[0]".repeat(DEEP)));
    writeln!(out, "a[0][0]: {}", lint("deep.tf", &trav)).unwrap();
    let expected = r#"
{a = : TL001 2:340 the file cannot be parsed: invalid HCL: invalid nesting depth; expected at most 64 nested levels
[: TL001 2:88 the file cannot be parsed: invalid HCL: invalid nesting depth; expected at most 64 nested levels
(: TL001 2:88 the file cannot be parsed: invalid HCL: invalid nesting depth; expected at most 64 nested levels
jsonencode(: TL001 2:728 the file cannot be parsed: invalid HCL: invalid nesting depth; expected at most 64 nested levels
"${: TL001 2:216 the file cannot be parsed: invalid HCL: invalid nesting depth; expected at most 64 nested levels
true ? 1 : : TL001 2:724 the file cannot be parsed: invalid HCL: invalid nesting depth; expected at most 64 nested levels
-: TL001 2:88 the file cannot be parsed: invalid HCL: invalid nesting depth; expected at most 64 nested levels
!: TL001 2:88 the file cannot be parsed: invalid HCL: invalid nesting depth; expected at most 64 nested levels
blocks: TL001 65:3 the file cannot be parsed: invalid HCL: invalid nesting depth; expected at most 64 nested levels
a + a: TL001 2:538 the file cannot be parsed: invalid HCL: invalid binary operation; expected at most 128 chained binary operators
a[0][0]: clean"#;
    assert_eq!(out.trim(), expected.trim(), "\n{out}");
}

#[test]
fn deep_json_in_every_embedding() {
    let deep = "[".repeat(DEEP);
    let mut out = String::new();
    let heredoc = tf(&format!("<<EOF\n{deep}\nEOF"));
    writeln!(out, "heredoc: {}", lint("e.tf", &heredoc)).unwrap();
    let quoted = tf(&format!("\"{}\"", deep));
    writeln!(out, "tf string: {}", lint("e.tf", &quoted)).unwrap();
    writeln!(out, "plan: {}", lint("p.json", &plan(&quote(&deep)))).unwrap();
    writeln!(
        out,
        "export: {}",
        lint("x.json", &export(&quote(&percent(&deep))))
    )
    .unwrap();
    writeln!(
        out,
        "tf.json: {}",
        lint("t.tf.json", &tf_json(&quote(&deep)))
    )
    .unwrap();
    writeln!(
        out,
        "cfn json: {}",
        lint("c.json", &cfn_json(&quote(&deep)))
    )
    .unwrap();
    writeln!(
        out,
        "cfn yaml: {}",
        lint("c.yaml", &cfn_yaml(&quote(&deep)))
    )
    .unwrap();
    writeln!(
        out,
        "cfn yaml block: {}",
        lint("c.yaml", &cfn_yaml(&format!("|\n        {deep}")))
    )
    .unwrap();
    // Each at the 257th `[`, in the file as written (escaped, encoded).
    let expected = r#"
heredoc: TL001 3:257 cannot parse the policy document of `aws_iam_role.r`: nesting deeper than 256 levels
tf string: TL001 2:281 cannot parse the policy document of `aws_iam_role.r`: nesting deeper than 256 levels
plan: TL001 4:291 cannot parse the policy document of `aws_iam_role.r`: nesting deeper than 256 levels
export: TL001 3:798 cannot parse the policy document of `arn:aws:iam::999999999999:role/r`: nesting deeper than 256 levels
tf.json: TL001 2:280 cannot parse the policy document of `aws_iam_role.r`: nesting deeper than 256 levels
cfn json: TL001 3:301 cannot parse the policy document of `R`: nesting deeper than 256 levels
cfn yaml: TL001 6:290 cannot parse the policy document of `R`: nesting deeper than 256 levels
cfn yaml block: TL001 7:265 cannot parse the policy document of `R`: nesting deeper than 256 levels"#;
    assert_eq!(out.trim(), expected.trim(), "\n{out}");
}

// ------------------------------------------------------- huge values

#[test]
fn huge_strings_in_json() {
    let n = size(10 << 20, 2 << 20);
    let big = "x".repeat(n);
    // A huge Sid: the policy is over the quota, the public trust still found.
    check(
        "sid.json",
        &TRUST.replace("\"Effect\"", &format!("\"Sid\": \"{big}\", \"Effect\"")),
        &format!(
            "TL003 2:3 the trust policy of this role is {} characters without white space, over the quota of 2048\n\
             TL101 6:29 this role can be assumed by any AWS principal",
            n + 116
        ),
    );
    // A huge principal: the message quotes it, cut to 500 characters.
    let r = lint_text(
        "p.json",
        &TRUST.replace("\"AWS\": \"*\"", &format!("\"AWS\": \"{big}\"")),
        &Settings::default(),
    );
    check_block(
        &describe(&r, 100),
        &format!(
            "TL003 2:3 the trust policy of this role is {} characters without white space, over the quota of 2048\n\
             TL105 6:29 principal \"{}",
            n + 106,
            "x".repeat(89)
        ),
    );
    let quoted = &r.diagnostics[1].message;
    assert_eq!(quoted.chars().count(), 501);
    assert!(quoted.ends_with("xxx…"), "{}", &quoted[quoted.len() - 10..]);
}

#[test]
fn huge_strings_in_yaml_and_hcl() {
    let n = size(10 << 20, 1 << 20);
    let big = "x".repeat(n);
    check(
        "p.yaml",
        &cfn_yaml(&format!(
            "\n        Statement:\n          - Effect: Allow\n            Principal: {{AWS: \"{big}\"}}\n            Action: sts:AssumeRole"
        )),
        &format!(
            "TL003 7:9 the trust policy of role `R` is {} characters without white space, over the quota of 2048\n\
             TL105 9:30 principal \"{}",
            n + 83,
            "x".repeat(109)
        ),
    );
    check(
        "p.tf",
        &tf(&format!(
            "jsonencode({{Statement = [{{Effect = \"Allow\", Principal = {{AWS = \"{big}\"}}, Action = \"sts:AssumeRole\"}}]}})"
        )),
        &format!(
            "TL003 2:36 the trust policy of role `r` is {} characters without white space, over the quota of 2048\n\
             TL105 2:87 principal \"{}",
            n + 83,
            "x".repeat(109)
        ),
    );
}

/// A trust policy with a 5 MiB Sid: longer than an embedded document may be.
fn long_doc() -> String {
    TRUST_LINE.replace(
        "\"Effect\"",
        &format!("\"Sid\":\"{}\",\"Effect\"", "x".repeat(5 << 20)),
    )
}

const TOO_LONG: &str = "the embedded document is longer than the limit of 4194304 bytes";

#[test]
fn embedded_document_over_the_length_limit_in_a_plan() {
    check(
        "plan.json",
        &plan(&quote(&long_doc())),
        &format!("TL001 4:34 cannot parse the policy document of `aws_iam_role.r`: {TOO_LONG}"),
    );
}

#[test]
fn embedded_document_over_the_length_limit_in_an_export() {
    let r = lint_text(
        "x.json",
        &export(&quote(&percent(&long_doc()))),
        &Settings::default(),
    );
    assert_eq!(
        describe(&r, 500),
        format!("TL001 3:29 cannot parse the policy document of `arn:aws:iam::999999999999:role/r`: {TOO_LONG}")
    );
}

#[test]
fn embedded_document_over_the_length_limit_in_tf_json() {
    check(
        "t.tf.json",
        &tf_json(&quote(&long_doc())),
        &format!("TL001 2:23 cannot parse the policy document of `aws_iam_role.r`: {TOO_LONG}"),
    );
}

#[test]
fn embedded_document_over_the_length_limit_in_cfn_json() {
    check(
        "c.json",
        &cfn_json(&quote(&long_doc())),
        &format!("TL001 3:45 cannot parse the policy document of `R`: {TOO_LONG}"),
    );
}

#[test]
fn embedded_document_over_the_length_limit_in_yaml() {
    check(
        "c.yaml",
        &cfn_yaml(&quote(&long_doc())),
        "TL001 6:34 cannot parse the policy document of `R`: the embedded document is longer than the limit of 4194304 bytes",
    );
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "hcl-edit parses 5 MiB of heredoc in 5 s in debug builds; run with --release"
)]
fn embedded_document_over_the_length_limit_in_a_heredoc() {
    check(
        "e.tf",
        &tf(&format!("<<EOF\n{}\nEOF", long_doc())),
        "TL001 3:1 cannot parse the policy document of `aws_iam_role.r`: the embedded document is longer than the limit of 4194304 bytes",
    );
}

#[test]
fn huge_numbers() {
    let digits = "9".repeat(size(10 << 20, 1 << 20));
    let mut out = String::new();
    for n in [
        "1e999999",
        "-1e999999",
        "1e-999999",
        "-0",
        "0.5",
        "3600.0000000000001",
        "18446744073709551616",
        digits.as_str(),
    ] {
        let text = cfn_json(&format!("{TRUST_LINE}, \"MaxSessionDuration\": {n}"));
        let shown: String = n.chars().take(20).collect();
        writeln!(out, "{shown}: {}", lint("n.json", &text)).unwrap();
    }
    check_block(
        &out,
        r#"
1e999999: TL101 3:118 role `R` can be assumed by any AWS principal
TL301 3:175 role `R` sets `MaxSessionDuration` to inf s (inf hours), over the 12-hour maximum of 43200 s
TL302 3:175 role `R` sets `MaxSessionDuration` to an invalid value: inf is out of range
-1e999999: TL101 3:118 role `R` can be assumed by any AWS principal
TL302 3:175 role `R` sets `MaxSessionDuration` to an invalid value: -inf is out of range
1e-999999: TL101 3:118 role `R` can be assumed by any AWS principal
TL302 3:175 role `R` sets `MaxSessionDuration` to an invalid value: 1e-999999 is not a whole number of seconds
-0: TL101 3:118 role `R` can be assumed by any AWS principal
TL302 3:175 role `R` sets `MaxSessionDuration` to an invalid value: -0 s is below the minimum of 3600 s
0.5: TL101 3:118 role `R` can be assumed by any AWS principal
TL302 3:175 role `R` sets `MaxSessionDuration` to an invalid value: 0.5 is not a whole number of seconds
3600.0000000000001: TL101 3:118 role `R` can be assumed by any AWS principal
TL302 3:175 role `R` sets `MaxSessionDuration` to an invalid value: 3600.0000000000001 is not a whole number of seconds
18446744073709551616: TL101 3:118 role `R` can be assumed by any AWS principal
TL301 3:175 role `R` sets `MaxSessionDuration` to 18446744073709552000 s (5124095576030431 hours), over the 12-hour maximum of 43200
99999999999999999999: TL101 3:118 role `R` can be assumed by any AWS principal
TL301 3:175 role `R` sets `MaxSessionDuration` to inf s (inf hours), over the 12-hour maximum of 43200 s
TL302 3:175 role `R` sets `MaxSessionDuration` to an invalid value: inf is out of range
"#,
    );
}

#[test]
fn many_statements() {
    let n = size(100_000, 20_000);
    let stmt = r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}"#;
    let doc = format!(
        "{{\"Version\":\"2012-10-17\",\"Statement\":[\n{}\n]}}",
        vec![stmt; n].join(",\n")
    );
    let r = lint_text("many.json", &doc, &Settings::default());
    assert_spans(&r);
    let rules: Vec<(&str, usize)> = r
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.rule.id,
                r.source.position(d.primary.span.start as usize).line,
            )
        })
        .collect();
    // TL003 once for the document, TL101 once per statement checked, at
    // its line, and a TL001 at the first of those beyond 10,000.
    assert_eq!(rules.len(), 10_002);
    assert_eq!(rules[0], ("TL003", 1));
    for (i, r) in rules[1..=10_000].iter().enumerate() {
        assert_eq!(*r, ("TL101", i + 2));
    }
    assert_eq!(rules[10_001], ("TL001", 10_002));
    assert_eq!(
        r.diagnostics[10_001].message,
        "the file holds more than 10000 statements in one policy; only the first 10000 were checked"
    );
}

#[test]
fn findings_per_file_limit() {
    // Policies of 1,000 statements with 20 invalid principals each (20,000
    // findings a policy): checking stops once 100,000 findings are in,
    // before the sixth policy.
    let stmt = format!(
        "{{Effect: Allow, Principal: {{AWS: [{}]}}, Action: sts:AssumeRole}}",
        vec!["x"; 20].join(", ")
    );
    let doc = format!("Statement: [{}]\n", vec![stmt.as_str(); 1_000].join(", "));
    let stream = [doc.as_str(); 7].join("---\n");
    let r = lint_text("findings.yaml", &stream, &Settings::default());
    assert_spans(&r);
    let count = |id: &str| r.diagnostics.iter().filter(|d| d.rule.id == id).count();
    // Each policy is also over the size quota (TL003).
    assert_eq!(
        (count("TL105"), count("TL003"), count("TL001")),
        (100_000, 5, 1)
    );
    assert_eq!(r.diagnostics.len(), 100_006);
    let last = r.diagnostics.last().unwrap();
    assert_eq!(
        (
            last.rule.id,
            r.source.position(last.primary.span.start as usize).line,
            last.message.as_str()
        ),
        (
            "TL001",
            11,
            "the file has more than 100000 findings; the documents from here on were not checked"
        )
    );
}

// ------------------------------------------------------------ structure

#[test]
fn duplicate_keys() {
    // JSON: both kept; IAM rejects the document.
    check(
        "d.json",
        r#"{"Version": "2012-10-17", "Statement": [], "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}"#,
        "TL002 1:40 `Statement` is an empty list\nTL002 1:44 duplicate key `Statement`: IAM keeps only one of them",
    );
    check(
        "d.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}"#,
        "TL002 1:60 duplicate key `Effect`: IAM keeps only one of them",
    );
    check(
        "d.yaml",
        "Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n    Principal: {AWS: '*'}\n    Principal: {Service: ec2.amazonaws.com}\n    Action: sts:AssumeRole\n",
        "TL101 4:22 this role can be assumed by any AWS principal\nTL002 5:5 duplicate key `Principal`: IAM keeps only one of them",
    );
    check(
        "d.tf",
        "resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = \"{}\"\n  assume_role_policy = jsonencode({Statement = [{Effect = \"Allow\", Principal = {AWS = \"*\"}, Action = \"sts:AssumeRole\"}]})\n}\n",
        "TL001 3:3 the file cannot be parsed: invalid HCL: invalid attribute; expected unique attribute key; found redefined attribute",
    );
    check(
        "d.tf",
        &tf("jsonencode({Statement = [{Effect = \"Allow\", Principal = {AWS = \"*\", AWS = \"arn:aws:iam::111122223333:root\"}, Action = \"sts:AssumeRole\"}]})"),
        "TL001 2:92 the file cannot be parsed: invalid HCL: invalid object item; expected unique object key; found redefined object key",
    );
    check(
        "d.json",
        &plan(&quote(r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#)),
        "TL101 4:96 role `r` can be assumed by any AWS principal\nTL002 4:103 duplicate key `Principal`: IAM keeps only one of them",
    );
}

#[test]
fn multi_document_yaml() {
    let one = cfn_yaml("\n        Statement:\n          - Effect: Allow\n            Principal: {AWS: '*'}\n            Action: sts:AssumeRole");
    let text = format!("{one}---\n{one}...\n---\nVersion: '2012-10-17'\nStatement:\n  - Effect: Allow\n    Principal: {{AWS: '*'}}\n    Action: sts:AssumeRole\n--- !Foo\nplain: scalar\n---\n");
    check(
        "multi.yaml",
        &text,
        "TL101 9:30 role `R` can be assumed by any AWS principal\n\
         TL101 20:30 role `R` can be assumed by any AWS principal\n\
         TL101 27:22 this role can be assumed by any AWS principal",
    );
    // A broken second document fails the file, at its line.
    let broken = format!("{one}---\n{one}  bad: [\n");
    check(
        "multi.yaml",
        &broken,
        "TL001 23:1 the file cannot be parsed: while parsing a node, did not find expected node content",
    );
}

#[test]
fn unknown_yaml_tags() {
    let mut out = String::new();
    for (what, principal) in [
        ("custom tag on a scalar", "{AWS: !Foo '*'}"),
        ("custom tag on a mapping", "!Foo {AWS: '*'}"),
        ("core str tag", "{AWS: !!str '*'}"),
        ("core binary tag", "{AWS: !!binary 'Kg=='}"),
        ("verbatim tag", "{AWS: !<tag:example.com,2000:x> '*'}"),
        ("global tag handle", "{AWS: !!python/object '*'}"),
        ("tag on a key", "{!Foo AWS: '*'}"),
        ("GetAtt", "{AWS: !GetAtt Other.Arn}"),
        ("Ref to nothing", "{AWS: !Ref Missing}"),
    ] {
        let text = cfn_yaml(&format!(
            "\n        Statement:\n          - Effect: Allow\n            Principal: {principal}\n            Action: sts:AssumeRole"
        ));
        writeln!(out, "{what}: {}", lint("t.yaml", &text)).unwrap();
    }
    // An undefined tag handle is a syntax error.
    let text = cfn_yaml("!e!x {}");
    writeln!(out, "undefined handle: {}", lint("t.yaml", &text)).unwrap();
    // Unknown tags are intrinsic functions we cannot evaluate: unknown,
    // never guessed. Core-schema tags (`!!…`) keep the scalar.
    check_block(
        &out,
        r#"
custom tag on a scalar: clean
custom tag on a mapping: clean
core str tag: TL101 9:36 role `R` can be assumed by any AWS principal
core binary tag: TL105 9:39 principal "Kg==" of role `R` is invalid: a value that is not an ARN, a 12-digit account ID or "*"
verbatim tag: clean
global tag handle: TL101 9:46 role `R` can be assumed by any AWS principal
tag on a key: TL101 9:35 role `R` can be assumed by any AWS principal
GetAtt: clean
Ref to nothing: clean
undefined handle: TL001 6:33 the file cannot be parsed: the handle wasn't declared
"#,
    );
}

#[test]
fn alias_bombs() {
    // Billion laughs: nine levels of nine references.
    let mut bomb = String::from("AWSTemplateFormatVersion: '2010-09-09'\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(",");
        writeln!(bomb, "{}: &{} [{}]", w[1], w[1], refs).unwrap();
    }
    check(
        "bomb.yaml",
        &bomb,
        "TL001 7:8 the file cannot be parsed: alias expansion exceeds the budget of 100000 nodes (an alias bomb?)",
    );
    // A megabyte string pasted a hundred thousand times.
    let long = format!(
        "AWSTemplateFormatVersion: '2010-09-09'\na: &a \"{}\"\nb: [{}]\n",
        "x".repeat(1 << 20),
        "*a,".repeat(100_000)
    );
    // A scalar weighs a node per 64 bytes: the 7th paste is refused.
    check(
        "long.yaml",
        &long,
        "TL001 3:23 the file cannot be parsed: alias expansion exceeds the budget of 100000 nodes (an alias bomb?)",
    );
    // Anchors nested 200 deep: each copies everything below it.
    let mut nested = String::from("AWSTemplateFormatVersion: '2010-09-09'\n");
    for i in 0..200 {
        nested.push_str(&" ".repeat(i));
        writeln!(nested, "k{i}: &a{i}").unwrap();
    }
    nested.push_str(&" ".repeat(200));
    writeln!(nested, "leaf: [{}]", vec!["x"; 20_000].join(",")).unwrap();
    check(
        "nested.yaml",
        &nested,
        "TL001 153:152 the file cannot be parsed: anchored values exceed the budget of 1000000 nodes",
    );
}

#[test]
fn unterminated_heredocs_and_garbage_hcl() {
    let hcl = "the file cannot be parsed: invalid HCL";
    check(
        "h.tf",
        &tf("<<EOF\n{\"Statement\": []}\n"),
        &format!("TL001 3:1 {hcl}: expected heredoc end delimiter"),
    );
    check(
        "h.tf",
        &tf("<<-EOT\n  {}\n  EO"),
        &format!("TL001 3:3 {hcl}: expected heredoc end delimiter"),
    );
    check(
        "h.tf",
        "resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = <<EOF",
        &format!("TL001 2:28 {hcl}: expected newline"),
    );
    check(
        "g.tf",
        "}}}{{{ resource aws_iam_ \"",
        &format!("TL001 1:1 {hcl}: unexpected token"),
    );
    check(
        "g.tf",
        "resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = jsonencode({Statement = [}\n}\n",
        &format!("TL001 2:49 {hcl}: invalid expression; expected `\"`, `[`, `{{`, `-`, `!`, `(`, `_`, `<`, letter or d"),
    );
    check(
        "g.tf",
        "resource \"aws_iam_role\" \"r\" \"extra\" \"labels\" {}\nresource {}\n= = =\n",
        &format!("TL001 3:1 {hcl}: unexpected token"),
    );
    check(
        "g.tf",
        "aws_iam_role = \"\\uD800\"\n",
        &format!("TL001 1:19 {hcl}: invalid unicode 4-digit hex code; unexpected token"),
    );
    check(
        "g.tf",
        "resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = \"${\"\n}\n",
        &format!("TL001 2:3 {hcl}: invalid block body; expected `}}`, newline or identifier"),
    );
    check(
        "g.tf",
        "resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = \"%{ if true }x\"\n}\n",
        &format!("TL001 2:3 {hcl}: invalid block body; expected `}}`, newline or identifier"),
    );
    // Random printable garbage that mentions aws_iam_.
    let mut garbage = String::from("aws_iam_ ");
    let mut x: u32 = 12345;
    for _ in 0..10_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        garbage.push(char::from(b' ' + ((x >> 16) % 95) as u8));
    }
    let out = lint("g.tf", &garbage);
    assert!(out.starts_with("TL001 "), "{out}");
    assert_eq!(out.lines().count(), 1, "{out}");
}

/// Lint a directory as the CLI does; one line per file (its outcome).
fn run_dir(dir: &Path, settings: &Settings) -> String {
    let (inputs, errors) =
        trustlint::discover::discover(&[dir.to_path_buf()], &globset::GlobSet::empty());
    assert!(errors.is_empty(), "{errors:?}");
    let report = trustlint::lint(&inputs, settings, 2);
    let mut out = String::new();
    for f in &report.files {
        let name = Path::new(&f.source.path)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for line in describe(f, 120).lines() {
            writeln!(out, "{name}: {line}").unwrap();
        }
    }
    out.trim_end().to_owned()
}

// ------------------------------------------------------------ truncation

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The outcome of a prefix of JSON: a strict prefix of a JSON value never
/// parses, so it is exactly one TL001 inside the prefix when the prefix
/// looks IAM-related, and a skip otherwise (or nothing at all when the
/// prefix is blank).
#[track_caller]
fn assert_json_prefix(name: &str, prefix: &str) {
    let r = lint_text(name, prefix, &Settings::default());
    assert_spans(&r);
    let shown = describe(&r, 200);
    if prefix.trim().is_empty() {
        assert!(
            shown.starts_with("skipped: ") || shown == "clean",
            "{shown}"
        );
    } else if trustlint::lint::looks_iam_related(prefix) {
        assert_eq!(
            r.diagnostics.len(),
            1,
            "{name} cut at {}: {shown}",
            prefix.len()
        );
        assert!(shown.starts_with("TL001 "), "{shown}");
        assert!(r.diagnostics[0]
            .message
            .starts_with("the file cannot be parsed: "));
    } else {
        assert!(
            shown.starts_with("skipped: not IAM-related and does not parse: "),
            "{name} cut at {}: {shown}",
            prefix.len()
        );
    }
}

#[test]
fn truncated_json_files_at_every_byte() {
    for path in [
        "tests/fixtures/public-trust/fail-aws-star-no-condition.json",
        "tests/fixtures/public-trust/fail-cfn-json-string.json",
        "tests/fixtures/public-trust/fail-plan-aws-star.json",
        "tests/fixtures/public-trust/fail-export-aws-star.json",
        "tests/fixtures/public-trust/fail-tfjson-aws-star.tf.json",
        "examples/cloudformation/cross-account-audit.json",
    ] {
        let text = read(path);
        let name = path.rsplit('/').next().unwrap();
        let end = text.trim_end().len();
        for cut in (0..end).filter(|&c| text.is_char_boundary(c)) {
            assert_json_prefix(name, &text[..cut]);
        }
        // The whole file parses.
        let whole = lint(name, &text);
        assert!(
            !whole.contains("TL001") && !whole.starts_with("skipped"),
            "{path}: {whole}"
        );
    }
}

/// Cut the policy inside each embedding at every byte: the outer file stays
/// valid, the embedded document never parses, and the one TL001 points
/// inside the string that holds it.
#[test]
fn truncated_embedded_documents_at_every_byte() {
    type Embed = fn(&str) -> (String, &'static str);
    let embeddings: [(&str, Embed); 7] = [
        ("plan string", |d| (plan(&quote(d)), "p.json")),
        ("url-encoded export", |d| {
            (export(&quote(&percent(d))), "x.json")
        }),
        ("tf.json string", |d| (tf_json(&quote(d)), "t.tf.json")),
        ("cfn json string", |d| (cfn_json(&quote(d)), "c.json")),
        ("cfn yaml string", |d| (cfn_yaml(&quote(d)), "c.yaml")),
        ("heredoc", |d| (tf(&format!("<<EOF\n{d}\nEOF")), "h.tf")),
        ("hcl string", |d| {
            (
                tf(&quote(d).replace("${", "$${").replace("%{", "%%{")),
                "s.tf",
            )
        }),
    ];
    for (what, embed) in embeddings {
        for cut in 1..TRUST_LINE.len() {
            let (text, name) = embed(&TRUST_LINE[..cut]);
            let r = lint_text(name, &text, &Settings::default());
            let shown = describe(&r, 200);
            assert_eq!(r.diagnostics.len(), 1, "{what} cut at {cut}: {shown}");
            let d = &r.diagnostics[0];
            assert_eq!(d.rule.id, "TL001", "{what} cut at {cut}: {shown}");
            assert!(
                d.message
                    .starts_with("cannot parse the policy document of "),
                "{what} cut at {cut}: {shown}"
            );
            // The string is on the role's line (or, for heredocs, the next).
            let line = r.source.position(d.primary.span.start as usize).line;
            let expected_line = match what {
                "plan string" => 4,
                "url-encoded export" => 3,
                "tf.json string" | "hcl string" => 2,
                "cfn json string" => 3,
                "cfn yaml string" => 6,
                _ => 3,
            };
            // A heredoc's document ends at the start of its delimiter line.
            let ok = line == expected_line || what == "heredoc" && line == 4;
            assert!(ok, "{what} cut at {cut}: {shown}");
        }
    }
}

/// YAML and HCL prefixes often parse (a mapping cut between keys is still
/// a mapping), so their outcomes are listed, cut by cut, in a reviewed
/// snapshot.
#[test]
fn truncated_yaml_and_hcl_templates() {
    let mut table = String::new();
    for (path, step) in [
        ("tests/fixtures/public-trust/fail-cfn-star.yaml", 7),
        ("tests/fixtures/public-trust/fail-cfn-json-string.yaml", 9),
        ("tests/fixtures/public-trust/fail-tf-aws-star.tf", 7),
    ] {
        let text = read(path);
        let name = path.rsplit('/').next().unwrap();
        writeln!(table, "== {name}").unwrap();
        let mut cuts: Vec<usize> = (0..text.len()).step_by(step).collect();
        // Every line end too.
        cuts.extend(text.match_indices('\n').map(|(i, _)| i));
        cuts.sort_unstable();
        cuts.dedup();
        for cut in cuts.into_iter().filter(|&c| text.is_char_boundary(c)) {
            let r = lint_text(name, &text[..cut], &Settings::default());
            let rules = describe(&r, 60).replace('\n', "; ");
            writeln!(table, "{cut:4} {rules}").unwrap();
        }
    }
    insta::assert_snapshot!(table);
}

// ----------------------------------------------------------- wrong types

/// Every element of a trust policy replaced by each JSON type in turn.
#[test]
fn wrong_json_types_everywhere() {
    let base: serde_json::Value = serde_json::from_str(
        r#"{"Version": "2012-10-17", "Id": "x", "Statement": [{"Sid": "s", "Effect": "Allow",
            "Principal": {"AWS": ["arn:aws:iam::111122223333:root"], "Service": "ec2.amazonaws.com"},
            "Action": ["sts:AssumeRole"],
            "Condition": {"StringEquals": {"sts:ExternalId": ["abcdefgh"]}, "Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}"#,
    )
    .unwrap();
    let paths: &[&[&str]] = &[
        &[],
        &["Version"],
        &["Id"],
        &["Statement"],
        &["Statement", "0"],
        &["Statement", "0", "Sid"],
        &["Statement", "0", "Effect"],
        &["Statement", "0", "Principal"],
        &["Statement", "0", "Principal", "AWS"],
        &["Statement", "0", "Principal", "AWS", "0"],
        &["Statement", "0", "Principal", "Service"],
        &["Statement", "0", "Action"],
        &["Statement", "0", "Action", "0"],
        &["Statement", "0", "Condition"],
        &["Statement", "0", "Condition", "StringEquals"],
        &[
            "Statement",
            "0",
            "Condition",
            "StringEquals",
            "sts:ExternalId",
        ],
        &[
            "Statement",
            "0",
            "Condition",
            "StringEquals",
            "sts:ExternalId",
            "0",
        ],
        &[
            "Statement",
            "0",
            "Condition",
            "Bool",
            "aws:MultiFactorAuthPresent",
        ],
    ];
    let replacements = [
        ("null", serde_json::json!(null)),
        ("number", serde_json::json!(42)),
        ("bool", serde_json::json!(true)),
        ("object", serde_json::json!({"k": "v"})),
        ("array", serde_json::json!([1, "x"])),
    ];
    let mut table = String::new();
    for path in paths {
        for (what, value) in &replacements {
            let mut doc = base.clone();
            let mut at = &mut doc;
            for key in *path {
                at = match at {
                    serde_json::Value::Array(items) => &mut items[key.parse::<usize>().unwrap()],
                    other => &mut other[*key],
                };
            }
            *at = value.clone();
            let text = serde_json::to_string_pretty(&doc).unwrap();
            let shown = lint("types.json", &text).replace('\n', "\n    ");
            let at = if path.is_empty() {
                "(root)".to_owned()
            } else {
                path.join(".")
            };
            writeln!(table, "{at} = {what}:\n    {shown}").unwrap();
        }
    }
    insta::assert_snapshot!(table);
}

// ------------------------------------------------- NULs and surrogates

#[test]
fn nul_characters() {
    // A NUL byte in the file is binary data: skipped with a reason, and
    // the run goes on.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("nul.json"),
        TRUST.replace("\"*\"", "\"*\0\""),
    )
    .unwrap();
    std::fs::write(dir.path().join("ok.json"), TRUST).unwrap();
    let report = run_dir(dir.path(), &Settings::default());
    assert_eq!(
        report,
        "nul.json: skipped: the file holds NUL bytes (binary data)\n\
         ok.json: TL101 6:29 this role can be assumed by any AWS principal"
    );
    // So is a NUL that decoding reveals (UTF-16).
    let mut utf16 = vec![0xFF, 0xFE];
    for u in TRUST.replace("\"*\"", "\"*\0\"").encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    std::fs::write(dir.path().join("nul.json"), utf16).unwrap();
    assert!(run_dir(dir.path(), &Settings::default())
        .starts_with("nul.json: skipped: the file holds NUL bytes (binary data)\n"));
    let mut out = String::new();
    // Escaped NULs are characters of the value.
    let esc = TRUST.replace("\"*\"", "\"*\\u0000\"");
    writeln!(out, "json escape: {}", lint("nul.json", &esc)).unwrap();
    let yaml = cfn_yaml("\n        Statement:\n          - Effect: Allow\n            Principal: {AWS: \"*\\0\"}\n            Action: sts:AssumeRole");
    writeln!(out, "yaml escape: {}", lint("nul.yaml", &yaml)).unwrap();
    let hcl = tf("jsonencode({Statement = [{Effect = \"Allow\", Principal = {AWS = \"*\\u0000\"}, Action = \"sts:AssumeRole\"}]})");
    writeln!(out, "hcl escape: {}", lint("nul.tf", &hcl)).unwrap();
    let in_plan = plan(&quote(&TRUST_LINE.replace("\"*\"", "\"*\\u0000\"")));
    writeln!(out, "plan double escape: {}", lint("nul.json", &in_plan)).unwrap();
    let in_export = export(&quote(
        &percent(TRUST_LINE).replace("%22%2A%22", "%22%2A%00%22"),
    ));
    writeln!(out, "export %00: {}", lint("nul.json", &in_export)).unwrap();
    check_block(
        &out,
        "
json escape: TL105 6:29 principal \"*\0\" of this role is invalid: a value that is not an ARN, a 12-digit account ID or \"*\"
yaml escape: TL105 9:30 principal \"*\0\" of role `R` is invalid: a value that is not an ARN, a 12-digit account ID or \"*\"
hcl escape: TL105 2:87 principal \"*\0\" of role `r` is invalid: a value that is not an ARN, a 12-digit account ID or \"*\"
plan double escape: TL105 4:123 principal \"*\0\" of role `r` is invalid: a value that is not an ARN, a 12-digit account ID or \"*\"
export %00: TL105 3:154 principal \"*\0\" of role `r` is invalid: a value that is not an ARN, a 12-digit account ID or \"*\"
",
    );
}

#[test]
fn lone_surrogates() {
    let mut out = String::new();
    for (what, text, name) in [
        ("json principal", TRUST.replace("\"*\"", "\"\\ud800\""), "s.json"),
        ("json key", TRUST.replace("\"AWS\"", "\"\\udfff\""), "s.json"),
        ("json reversed pair", TRUST.replace("\"*\"", "\"\\udc00\\ud800\""), "s.json"),
        ("json valid pair", TRUST.replace("\"*\"", "\"\\ud83d\\ude00\""), "s.json"),
        ("plan", plan(&quote(&TRUST_LINE.replace("\"*\"", "\"\\ud800\""))), "p.json"),
        ("plan valid pair", plan(&quote(&TRUST_LINE.replace("\"*\"", "\"\\ud83d\\ude00\""))), "p.json"),
        ("cfn json string", cfn_json(&quote(&TRUST_LINE.replace("\"*\"", "\"\\ud800\""))), "c.json"),
        ("tf.json string", tf_json(&quote(&TRUST_LINE.replace("\"*\"", "\"\\ud800\""))), "t.tf.json"),
        ("export", export(&quote(&percent(&TRUST_LINE.replace("\"*\"", "\"\\ud800\"")))), "x.json"),
        ("export raw bytes", export(&quote(&percent(TRUST_LINE).replace("%22%2A%22", "%22%ED%A0%80%22"))), "x.json"),
        ("heredoc", tf(&format!("<<EOF\n{}\nEOF", TRUST_LINE.replace("\"*\"", "\"\\ud800\""))), "h.tf"),
        ("yaml", cfn_yaml("\n        Statement:\n          - Effect: Allow\n            Principal: {AWS: \"\\ud800\"}\n            Action: sts:AssumeRole"), "y.yaml"),
        ("yaml json string", cfn_yaml(&quote(&TRUST_LINE.replace("\"*\"", "\"\\ud800\""))), "y.yaml"),
    ] {
        writeln!(out, "{what}: {}", lint(name, &text)).unwrap();
    }
    // A lone surrogate is not a character: the JSON loader refuses it
    // (as IAM does), wherever the JSON is; a valid pair is one character.
    let bad = "invalid unicode escape sequence.";
    check_block(
        &out,
        &format!(
            "
json principal: TL001 6:30 the file cannot be parsed: {bad} 'd800 (unpaired high surrogate)' is not a valid UTF8 charact
json key: TL001 6:23 the file cannot be parsed: {bad} 'dfff (unpaired low surrogate)' is not a valid UTF8 characte
json reversed pair: TL001 6:30 the file cannot be parsed: {bad} 'dc00 (unpaired low surrogate)' is not a valid UTF8 characte
json valid pair: TL105 6:29 principal \"😀\" of this role is invalid: a value that is not an ARN, a 12-digit account ID or \"*\"
plan: TL001 4:125 cannot parse the policy document of `aws_iam_role.r`: {bad} 'd800 (unpaired high surrogate)' 
plan valid pair: TL105 4:123 principal \"😀\" of role `r` is invalid: a value that is not an ARN, a 12-digit account ID or \"*\"
cfn json string: TL001 3:135 cannot parse the policy document of `R`: {bad} 'd800 (unpaired high surrogate)' is not a vali
tf.json string: TL001 2:114 cannot parse the policy document of `aws_iam_role.r`: {bad} 'd800 (unpaired high surrogate)' 
export: TL001 3:157 cannot parse the policy document of `arn:aws:iam::999999999999:role/r`: {bad} 'd800 (unpaired
export raw bytes: TL001 3:29 cannot parse the policy document of `arn:aws:iam::999999999999:role/r`: the URL-encoded document is not UTF-8
heredoc: TL001 3:76 cannot parse the policy document of `aws_iam_role.r`: {bad} 'd800 (unpaired high surrogate)' 
yaml: TL001 9:30 the file cannot be parsed: while parsing a quoted scalar, found invalid Unicode character escape code
yaml json string: TL001 6:124 cannot parse the policy document of `R`: {bad} 'd800 (unpaired high surrogate)' is not a vali
"
        ),
    );
}

// ------------------------------------------------------ resolution bombs

/// A CloudFormation role whose principals are `n` copies of `item`, with a
/// parameter `P` (and a mapping `M`) holding `value`.
fn cfn_paste(value: &str, item: &str, n: usize) -> String {
    format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  P:\n    Type: String\n    Default: \"{value}\"\n\
         Mappings:\n  M:\n    a:\n      b: \"{value}\"\n\
         Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Action: sts:AssumeRole\n            Principal:\n              AWS: [{}]\n",
        vec![item; n].join(", ")
    )
}

/// Lint a CloudFormation copy bomb: the budget diagnostic and how many
/// principals were checked before it.
fn cfn_bomb(item: &str) -> String {
    // 100 KiB pasted 1,000 times would be 100 MB; the budget stops it.
    let text = cfn_paste(&"x".repeat(100 << 10), item, 1_000);
    budget_outcome("bomb.yaml", &text, "TL105")
}

/// The TL001s of a file and how many `rule` findings came before them.
fn budget_outcome(name: &str, text: &str, rule: &str) -> String {
    let r = lint_text(name, text, &Settings::default());
    assert_spans(&r);
    let tl001: Vec<String> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule.id == "TL001")
        .map(|d| {
            let p = r.source.position(d.primary.span.start as usize);
            format!("TL001 {}:{} {}", p.line, p.column, d.message)
        })
        .collect();
    let checked = r.diagnostics.iter().filter(|d| d.rule.id == rule).count();
    format!("{}, {checked} {rule}", tl001.join("; "))
}

const CFN_BUDGET: &str = "resolving the template's values copies more than 16777216 bytes; values from here on were treated as unknown";

// 16 MiB / 100 KiB: the first 163 pastes are checked, then one TL001 at
// the first refused one.
/// Conditions that reference each other twice at every level (2^40 paths)
/// and hundreds of roles whose `Fn::If`s use them: deciding which
/// combinations can happen stops at the file's step budget, after which
/// every combination is checked. Counts TL101 findings (each role has two
/// `"*"` branches).
fn condition_diamond(roles: usize) -> String {
    let mut text = String::from(
        "Parameters:\n  Env:\n    Type: CommaDelimitedList\nConditions:\n  C0: !Equals [!Select [0, !Ref Env], x]\n",
    );
    for k in 1..40 {
        writeln!(
            text,
            "  C{k}: !And [!Condition C{p}, !Condition C{p}]",
            p = k - 1
        )
        .unwrap();
    }
    text.push_str("Resources:\n");
    for i in 0..roles {
        let c = |j: usize| (i * 7 + j * 11) % 40;
        writeln!(
            text,
            "  R{i}:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal:\n              AWS: !If [C{}, !If [C{}, \"*\", \"arn:aws:iam::111122223333:root\"], !If [C{}, !If [C{}, \"*\", \"x\"], \"y\"]]\n            Action: sts:AssumeRole",
            c(0),
            c(1),
            c(2),
            c(3)
        )
        .unwrap();
    }
    budget_outcome("diamond.yaml", &text, "TL101")
}

#[test]
fn cloudformation_condition_diamond() {
    // Both `"*"` branches of every role are checked; nothing is cut short.
    assert_eq!(condition_diamond(300), ", 600 TL101");
}

#[test]
fn cloudformation_ref_bomb() {
    assert_eq!(
        cfn_bomb("!Ref P"),
        format!("TL001 19:1325 {CFN_BUDGET}, 163 TL105")
    );
}

#[test]
fn cloudformation_find_in_map_bomb() {
    assert_eq!(
        cfn_bomb("!FindInMap [M, a, b]"),
        format!("TL001 19:3607 {CFN_BUDGET}, 163 TL105")
    );
}

#[test]
fn cloudformation_sub_variable_bomb() {
    assert_eq!(
        cfn_bomb("!Sub ['${V}', {V: !Ref P}]"),
        format!("TL001 19:4603 {CFN_BUDGET}, 163 TL105")
    );
}

// A join copies its 100 KiB delimiter twice.
#[test]
fn cloudformation_join_delimiter_bomb() {
    assert_eq!(
        cfn_bomb("!Join [!Ref P, [a, b, c]]"),
        format!("TL001 19:1479 {CFN_BUDGET}, 54 TL105")
    );
}

const TF_BUDGET: &str = "resolving the module's values copies more than 16777216 bytes; values from here on were treated as unknown";

fn tf_bomb(text: &str, rule: &str) -> String {
    budget_outcome("bomb.tf", text, rule)
}

#[test]
fn terraform_variable_bomb() {
    // A 100 KiB variable default referenced 1,000 times.
    let mut text = format!(
        "variable \"v\" {{\n  default = \"{}\"\n}}\n",
        "x".repeat(100 << 10)
    );
    text.push_str(&tf(&format!(
        "jsonencode({{Statement = [{{Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = {{AWS = [{}]}}}}]}})",
        vec!["var.v"; 1_000].join(", ")
    )));
    assert_eq!(
        tf_bomb(&text, "TL105"),
        format!("TL001 5:1256 {TF_BUDGET}, 163 TL105")
    );
}

/// `locals { l0 = FIRST, l1 = next("local.l0"), … }` up to `l{last}`, and a
/// role that trusts `local.l{last}`.
fn locals_chain(first: &str, last: usize, next: impl Fn(&str) -> String) -> String {
    let mut text = format!("locals {{\n  l0 = {first}\n");
    for i in 1..=last {
        writeln!(text, "  l{i} = {}", next(&format!("local.l{}", i - 1))).unwrap();
    }
    text.push_str("}\n");
    text.push_str(&tf(&format!("jsonencode({{Statement = [{{Effect = \"Allow\", Principal = {{AWS = local.l{last}}}, Action = \"sts:AssumeRole\"}}]}})")));
    text
}

#[test]
fn terraform_template_bomb() {
    // Each local is twenty copies of the one before: 20^5 × 100 KB.
    let text = locals_chain(&format!("\"{}\"", "x".repeat(100_000)), 5, |p| {
        format!("\"{}\"", format!("${{{p}}}").repeat(20))
    });
    assert_eq!(
        tf_bomb(&text, "TL105"),
        format!("TL001 3:42 {TF_BUDGET}, 0 TL105")
    );
}

#[test]
fn terraform_function_bombs() {
    // format() and join() of the local before, twice: 2^40 × 1 KB.
    let steps = "resolving the module's values takes more than 500000 steps; values from here on were treated as unknown";
    for (call, expected) in [
        (
            "format(\"%s%s\", {p}, {p})",
            format!("TL001 7:33 {TF_BUDGET}, 0 TL105"),
        ),
        (
            "join(\"\", [{p}, {p}])",
            format!("TL001 12:18 {steps}, 0 TL105"),
        ),
    ] {
        let text = locals_chain(&format!("\"{}\"", "x".repeat(1_000)), 39, |p| {
            call.replace("{p}", p)
        });
        // A bound — bytes copied or evaluation steps — stops it with a
        // TL001, and no principal is guessed.
        assert_eq!(tf_bomb(&text, "TL105"), expected, "{call}");
    }
}

#[test]
fn terraform_list_bomb() {
    // Each local holds thirty copies of the one before: 30^7 principals.
    let text = locals_chain("[\"arn:aws:iam::111122223333:root\"]", 7, |p| {
        format!("[{}]", vec![p; 30].join(", "))
    });
    assert_eq!(
        tf_bomb(&text, "TL102"),
        format!("TL001 3:99 {TF_BUDGET}, 0 TL102")
    );
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "parses 16 MiB of JSON before the budget stops it: 3 s in debug builds; run with --release"
)]
fn terraform_shared_policy_bomb() {
    // A 10 KB heredoc policy in a local, used by 2,000 roles: each use
    // parses it again, so the budget ends it after about 1,600 roles.
    let sid = "s".repeat(10_000);
    let mut text = format!(
        "locals {{\n  p = <<EOF\n{}\nEOF\n}}\n",
        TRUST_LINE.replace("\"Effect\"", &format!("\"Sid\":\"{sid}\",\"Effect\""))
    );
    for i in 0..2_000 {
        writeln!(
            text,
            "resource \"aws_iam_role\" \"r{i}\" {{\n  assume_role_policy = local.p\n}}"
        )
        .unwrap();
    }
    assert_eq!(
        tf_bomb(&text, "TL101"),
        format!("TL001 4933:24 {TF_BUDGET}, 1642 TL101")
    );
}

// ----------------------------------------------------------------- limits

#[test]
fn documents_per_file_limit() {
    let settings = Settings {
        max_documents: 10,
        ..Settings::default()
    };
    let mut template = String::from("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n");
    for i in 0..12 {
        write!(
            template,
            "  R{i}:\n    Type: AWS::IAM::Role\n    Properties:\n      MaxSessionDuration: 100\n      AssumeRolePolicyDocument:\n        Statement:\n          - {{Effect: Allow, Principal: {{AWS: '*'}}, Action: sts:AssumeRole}}\n"
        )
        .unwrap();
    }
    let out = lint_with("many.yaml", &template, &settings);
    let mut expected = String::new();
    for i in 0..10 {
        writeln!(
            expected,
            "TL302 {}:27 role `R{i}` sets `MaxSessionDuration` to an invalid value: 100 s is below the minimum of 3600 s\n\
             TL101 {}:46 role `R{i}` can be assumed by any AWS principal",
            6 + 7 * i,
            9 + 7 * i
        )
        .unwrap();
    }
    expected.push_str(
        "TL001 76:27 the file holds more than 10 role settings; only the first 10 were checked\n\
         TL001 78:9 the file holds more than 10 policy documents; only the first 10 were checked",
    );
    check_block(&out, &expected);
    // The default limit: 10,001 raw documents in a YAML stream.
    let n = 10_001;
    let doc = "Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]\n";
    let stream = vec![doc; n].join("---\n");
    let r = lint_text("stream.yaml", &stream, &Settings::default());
    check_block(
        &describe(&r, 200),
        "TL001 20001:1 the file holds more than 10000 policy documents; only the first 10000 were checked",
    );
}

#[test]
fn file_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.json"), TRUST.repeat(10)).unwrap();
    std::fs::write(dir.path().join("ok.json"), TRUST).unwrap();
    let settings = Settings {
        max_file_size: TRUST.len() as u64 * 2,
        ..Settings::default()
    };
    assert_eq!(
        run_dir(dir.path(), &settings),
        format!(
            "big.json: skipped: larger than the limit of {} bytes ({} bytes)\n\
             ok.json: TL101 6:29 this role can be assumed by any AWS principal",
            TRUST.len() * 2,
            TRUST.len() * 10
        )
    );
}

/// 2,000,000 zeros, one past the values limit with the enclosing brackets.
fn zeros() -> String {
    vec!["0"; 2_000_000].join(",")
}

// 2,000,000 values is the limit; the value past it is reported before
// anything is built (a byte scan for JSON, a separator scan for HCL).
#[test]
fn values_per_file_limit_in_json() {
    check(
        "v.json",
        &format!("{{\"Statement\": [{}]}}", zeros()),
        "TL001 1:4000011 the file cannot be parsed: the text holds more than 2000000 values",
    );
    // Exactly at the limit the file is linted (and its statements capped).
    let ok = vec!["0"; 1_999_998].join(",");
    let r = lint_text(
        "v.json",
        &format!("{{\"Statement\": [{ok}]}}"),
        &Settings::default(),
    );
    assert_eq!(r.diagnostics.len(), 10_001);
}

#[test]
fn values_per_file_limit_in_hcl() {
    check(
        "v.tf",
        &format!(
            "locals {{\n  a = [{}]\n}}\nresource \"aws_iam_role\" \"r\" {{}}\n",
            zeros()
        ),
        "TL001 2:4000001 the file cannot be parsed: the text holds more than 2000000 values",
    );
}

#[test]
fn values_per_file_limit_in_a_plan_string() {
    check(
        "p.json",
        &plan(&quote(&format!("{{\"Statement\": [{}]}}", zeros()))),
        "TL001 4:4000047 cannot parse the policy document of `aws_iam_role.r`: the text holds more than 2000000 values",
    );
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "builds 2,000,000 YAML nodes: 4 s in debug builds; run with --release"
)]
fn values_per_file_limit_in_yaml() {
    check(
        "v.yaml",
        &format!("Statement: [{}]\n", zeros()),
        "TL001 1:4000011 the file cannot be parsed: the text holds more than 2000000 values",
    );
}

// ------------------------------------------------------------ safety net

#[test]
fn a_panicking_rule_is_an_internal_error_for_that_file_only() {
    let dir = tempfile::tempdir().unwrap();
    // a.json trips TL101 (which panics); b.json only TL102.
    std::fs::write(dir.path().join("a.json"), TRUST).unwrap();
    std::fs::write(
        dir.path().join("b.json"),
        TRUST.replace("\"*\"", "\"arn:aws:iam::111122223333:root\""),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("c.tf"),
        tf(&format!("<<EOF\n{TRUST_LINE}\nEOF")),
    )
    .unwrap();
    let settings = Settings {
        panic_on_rule: Some("TL101"),
        ..Settings::default()
    };
    // The panic message goes to stderr through the default hook; quiet it.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let out = run_dir(dir.path(), &settings);
    std::panic::set_hook(hook);
    check_block(
        &out,
        r#"
a.json: error: internal error while analysing the file: rule TL101 panicked (test hook)
b.json: TL102 6:29 this role can be assumed by every principal in account 111122223333 that is allowed sts:AssumeRole
b.json: TL103 6:29 this role trusts principals in external account 111122223333 without sts:ExternalId or MFA
b.json: TL201 6:29 this role trusts a whole account without requiring MFA
c.tf: error: internal error while analysing the file: rule TL101 panicked (test hook)
"#,
    );
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "the binary reads TRUSTLINT_TEST_PANIC_ON_RULE only in debug builds"
)]
fn a_panicking_rule_makes_the_cli_exit_2_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), TRUST).unwrap();
    std::fs::write(
        dir.path().join("b.json"),
        TRUST.replace("\"*\"", "\"arn:aws:iam::111122223333:root\""),
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("trustlint")
        .unwrap()
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env("TRUSTLINT_TEST_PANIC_ON_RULE", "TL101")
        .args(["check", "--format", "concise", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");
    assert_eq!(
        stdout,
        "b.json:6:29: warning[TL102] this role can be assumed by every principal in account 111122223333 that is allowed sts:AssumeRole\n\
         b.json:6:29: warning[TL103] this role trusts principals in external account 111122223333 without sts:ExternalId or MFA\n\
         b.json:6:29: warning[TL201] this role trusts a whole account without requiring MFA\n"
    );
    assert!(
        stderr.contains(
            "error: a.json: internal error while analysing the file: rule TL101 panicked (test hook)"
        ),
        "{stderr}"
    );
}
