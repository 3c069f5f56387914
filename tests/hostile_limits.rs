//! Every limit that cuts checking short is said (SPEC §2, "Nothing may
//! disappear silently"; issue 11, parts 5 and 9): for each one, through
//! the binary, the exact `note:` line on stderr (human format; concise
//! where the findings are too many to draw), the exact entry of the JSON
//! output's `limits` array, and a good file beside the hostile one still
//! reported. Past the `Fn::If` variant limit, every principal of every
//! branch is reported at its own place.
//!
//! Sizes are the real limits (no setting lowers them through the command
//! line), so some files are megabytes; each test stays within a few
//! seconds in debug builds.

#![allow(clippy::unwrap_used)] // tests: a panic is a failure

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

mod common;

use common::{check, write, PUBLIC};

/// A directory with `good.json` (TL101 at 6:29) and the given files.
fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), &[("good.json", PUBLIC)]);
    write(d.path(), files);
    d
}

/// `path limit=value line:col message` for each entry of a JSON report's
/// `limits` (`-` for a file not read), asserting the good file was
/// reported.
fn json_limits(dir: &Path) -> Vec<String> {
    let (code, out, err) = check(dir, &["--no-config", "--format", "json", "."]);
    assert_eq!(code, 1, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let good = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["path"] == "good.json" && d["rule"] == "TL101");
    assert!(good, "good.json is still reported");
    v["limits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let at = match &l["span"] {
                Value::Null => "-".to_owned(),
                s => format!("{}:{}", s["start"]["line"], s["start"]["column"]),
            };
            format!(
                "{} {}={} {at} {}",
                l["path"].as_str().unwrap(),
                l["limit"].as_str().unwrap(),
                l["value"],
                l["message"].as_str().unwrap()
            )
        })
        .collect()
}

/// The `note` lines on stderr in `format` (human or concise), asserting
/// the good file was reported.
fn notes(dir: &Path, format: &str) -> Vec<String> {
    let (code, out, err) = check(dir, &["--no-config", "--format", format, "."]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("good.json"), "good.json is still reported");
    err.lines()
        .filter(|l| l.starts_with("note:") || l.contains(": note: "))
        .map(str::to_owned)
        .collect()
}

/// Both outcomes for one hostile file: its note line and its JSON entry.
fn assert_limit(files: &[(&str, &str)], note: &str, entry: &str) {
    let d = dir_with(files);
    assert_eq!(notes(d.path(), "human"), [note]);
    assert_eq!(json_limits(d.path()), [entry]);
}

// ------------------------------------------------------------ per file

#[test]
fn documents_per_file() {
    let doc = "Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]\n";
    let stream = vec![doc; 10_001].join("---\n");
    let message =
        "the file holds more than 10000 policy documents; only the first 10000 were checked";
    assert_limit(
        &[("stream.yaml", &stream)],
        &format!("note: stream.yaml:20001:1: {message} (limit documents-per-file = 10000)"),
        &format!("stream.yaml documents-per-file=10000 20001:1 {message}"),
    );
}

#[test]
fn settings_per_file() {
    let mut t = String::from("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n");
    for i in 0..10_001 {
        writeln!(
            t,
            "  R{i}: {{Type: AWS::IAM::Role, Properties: {{MaxSessionDuration: 3600}}}}"
        )
        .unwrap();
    }
    let message = "the file holds more than 10000 role settings; only the first 10000 were checked";
    assert_limit(
        &[("roles.yaml", &t)],
        &format!("note: roles.yaml:10003:67: {message} (limit settings-per-file = 10000)"),
        &format!("roles.yaml settings-per-file=10000 10003:67 {message}"),
    );
}

#[test]
fn statements_per_policy() {
    let stmt = r#"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}"#;
    let doc = format!(
        "{{\"Version\":\"2012-10-17\",\"Statement\":[\n{}\n]}}",
        vec![stmt; 10_001].join(",\n")
    );
    let message =
        "the file holds more than 10000 statements in one policy; only the first 10000 were checked";
    assert_limit(
        &[("many.json", &doc)],
        &format!("note: many.json:10002:1: {message} (limit statements-per-policy = 10000)"),
        &format!("many.json statements-per-policy=10000 10002:1 {message}"),
    );
}

#[test]
fn findings_per_file() {
    // Policies of 1,000 statements with 20 invalid principals each: the
    // sixth is not checked. Too many findings to draw: concise notes.
    let stmt = format!(
        "{{Effect: Allow, Principal: {{AWS: [{}]}}, Action: sts:AssumeRole}}",
        vec!["x"; 20].join(", ")
    );
    let doc = format!("Statement: [{}]\n", vec![stmt.as_str(); 1_000].join(", "));
    let stream = [doc.as_str(); 7].join("---\n");
    let d = dir_with(&[("findings.yaml", &stream)]);
    let message =
        "the file has more than 100000 findings; the documents from here on were not checked";
    assert_eq!(
        notes(d.path(), "concise"),
        [format!(
            "findings.yaml:11:1: note: {message} (limit findings-per-file = 100000)"
        )]
    );
    assert_eq!(
        json_limits(d.path()),
        [format!(
            "findings.yaml findings-per-file=100000 11:1 {message}"
        )]
    );
}

#[test]
fn values_per_file() {
    let text = format!("{{\"Statement\": [{}]}}", vec!["0"; 2_000_000].join(","));
    let message = "the file cannot be parsed: the text holds more than 2000000 values";
    assert_limit(
        &[("v.json", &text)],
        &format!("note: v.json:1:4000011: {message} (limit values-per-file = 2000000)"),
        &format!("v.json values-per-file=2000000 1:4000011 {message}"),
    );
}

#[test]
fn file_size() {
    // A sparse file one byte over 64 MiB: skipped unread, named by its
    // skip note (the human summary) and by a `limits` entry.
    let d = dir_with(&[]);
    let f = std::fs::File::create(d.path().join("big.json")).unwrap();
    f.set_len((64 << 20) + 1).unwrap();
    drop(f);
    let why = "larger than the limit of 67108864 bytes (67108865 bytes)";
    assert_eq!(
        notes(d.path(), "human"),
        [format!("note: skipped big.json: {why}")]
    );
    assert_eq!(
        json_limits(d.path()),
        [format!(
            "big.json file-size=67108864 - the file was not checked: {why}"
        )]
    );
}

// ------------------------------------------------------------- parsing

#[test]
fn nesting_depth_json_and_yaml() {
    let json = format!("{{\"Statement\": {}}}", "[".repeat(100_000));
    let message = "the file cannot be parsed: nesting deeper than 256 levels";
    assert_limit(
        &[("deep.json", &json)],
        &format!("note: deep.json:1:270: {message} (limit nesting-depth = 256)"),
        &format!("deep.json nesting-depth=256 1:270 {message}"),
    );
    let yaml = format!("Statement: {}\n", "[".repeat(300));
    let message = "the file cannot be parsed: flow collections nested deeper than 255 levels";
    assert_limit(
        &[("deep.yaml", &yaml)],
        &format!("note: deep.yaml:1:267: {message} (limit nesting-depth = 255)"),
        &format!("deep.yaml nesting-depth=255 1:267 {message}"),
    );
}

#[test]
fn nesting_depth_hcl() {
    let text = format!(
        "resource \"aws_iam_role\" \"r\" {{\n  assume_role_policy = {}1{}\n}}\n",
        "[".repeat(100),
        "]".repeat(100)
    );
    let d = dir_with(&[("deep.tf", &text)]);
    let notes = notes(d.path(), "human");
    let limits = json_limits(d.path());
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].starts_with("note: deep.tf:2:")
            && notes[0].contains("invalid nesting depth")
            && notes[0].ends_with("(limit hcl-nesting-depth = 64)"),
        "{notes:?}"
    );
    assert_eq!(limits.len(), 1);
    assert!(
        limits[0].starts_with("deep.tf hcl-nesting-depth=64 2:"),
        "{limits:?}"
    );
}

#[test]
fn yaml_alias_expansion() {
    let mut bomb = String::from("AWSTemplateFormatVersion: '2010-09-09'\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(",");
        writeln!(bomb, "{}: &{} [{}]", w[1], w[1], refs).unwrap();
    }
    let message = "the file cannot be parsed: alias expansion exceeds the budget of 100000 nodes (an alias bomb?)";
    assert_limit(
        &[("bomb.yaml", &bomb)],
        &format!("note: bomb.yaml:7:8: {message} (limit yaml-alias-expansion = 100000)"),
        &format!("bomb.yaml yaml-alias-expansion=100000 7:8 {message}"),
    );
}

#[test]
fn yaml_anchored_copies() {
    let mut nested = String::from("AWSTemplateFormatVersion: '2010-09-09'\n");
    for i in 0..200 {
        nested.push_str(&" ".repeat(i));
        writeln!(nested, "k{i}: &a{i}").unwrap();
    }
    nested.push_str(&" ".repeat(200));
    writeln!(nested, "leaf: [{}]", vec!["x"; 20_000].join(",")).unwrap();
    let message = "the file cannot be parsed: anchored values exceed the budget of 1000000 nodes";
    assert_limit(
        &[("nested.yaml", &nested)],
        &format!("note: nested.yaml:153:152: {message} (limit yaml-anchored-copies = 1000000)"),
        &format!("nested.yaml yaml-anchored-copies=1000000 153:152 {message}"),
    );
}

#[test]
fn embedded_document_size() {
    let doc = format!(
        "{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Sid\":\"{}\",\"Effect\":\"Allow\",\"Principal\":{{\"AWS\":\"*\"}},\"Action\":\"sts:AssumeRole\"}}]}}",
        "x".repeat(5 << 20)
    );
    let plan = format!(
        "{{\"format_version\": \"1.2\",\n\"planned_values\": {{\"root_module\": {{\"resources\": [\n\
         {{\"address\": \"aws_iam_role.r\", \"mode\": \"managed\", \"type\": \"aws_iam_role\", \"name\": \"r\",\n\
         \"values\": {{\"assume_role_policy\": {}}}}}]}}}}}}\n",
        serde_json::to_string(&doc).unwrap()
    );
    let message = "cannot parse the policy document of `aws_iam_role.r`: the embedded document is longer than the limit of 4194304 bytes";
    assert_limit(
        &[("plan.json", &plan)],
        &format!("note: plan.json:4:34: {message} (limit embedded-document-size = 4194304)"),
        &format!("plan.json embedded-document-size=4194304 4:34 {message}"),
    );
}

// ---------------------------------------------------------- resolution

#[test]
fn resolve_copies() {
    // A 100 KiB parameter default pasted 1,000 times: 100 MB of copies.
    let value = "x".repeat(100 << 10);
    let text = format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  P:\n    Type: String\n    Default: \"{value}\"\n\
         Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Action: sts:AssumeRole\n            Principal:\n              AWS: [{}]\n",
        vec!["!Ref P"; 1_000].join(", ")
    );
    let message = "resolving the template's values copies more than 16777216 bytes; values from here on were treated as unknown";
    let d = dir_with(&[("bomb.yaml", &text)]);
    let notes = notes(d.path(), "concise");
    let limits = json_limits(d.path());
    assert_eq!(
        notes,
        [format!(
            "bomb.yaml:15:1325: note: {message} (limit resolve-copies = 16777216)"
        )]
    );
    assert_eq!(
        limits,
        [format!(
            "bomb.yaml resolve-copies=16777216 15:1325 {message}"
        )]
    );
}

#[test]
fn terraform_steps() {
    // join() of eight copies of the local before: 8^20 steps, in a chain
    // short enough to stay within the depth limit.
    let mut text = String::from("locals {\n  l0 = \"x\"\n");
    for i in 1..=20 {
        let p = format!("local.l{}", i - 1);
        writeln!(
            text,
            "  l{i} = join(\"\", [{}])",
            [p.as_str(); 8].join(", ")
        )
        .unwrap();
    }
    text.push_str("}\n");
    text.push_str("resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = jsonencode({Statement = [{Effect = \"Allow\", Principal = {AWS = local.l20}, Action = \"sts:AssumeRole\"}]})\n}\n");
    let message = "resolving the module's values takes more than 500000 steps; values from here on were treated as unknown";
    assert_limit(
        &[("bomb.tf", &text)],
        &format!("note: bomb.tf:2:8: {message} (limit terraform-steps = 500000)"),
        &format!("bomb.tf terraform-steps=500000 2:8 {message}"),
    );
}

#[test]
fn nested_templates() {
    // A StackSet in a StackSet in a StackSet: the third template is not read.
    let role = "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - {Effect: Allow, Principal: {AWS: '*'}, Action: sts:AssumeRole}\n";
    let mut body = role.to_owned();
    for name in ["S3", "S2", "S1"] {
        let indented: String = body.lines().map(|l| format!("        {l}\n")).collect();
        body = format!(
            "Resources:\n  {name}:\n    Type: AWS::CloudFormation::StackSet\n    Properties:\n      TemplateBody: |\n{indented}"
        );
    }
    let text = format!("AWSTemplateFormatVersion: '2010-09-09'\n{body}");
    let message =
        "the template of StackSet `S1/S2/S3` is nested more than 2 levels deep; it was not checked";
    assert_limit(
        &[("stacks.yaml", &text)],
        &format!("note: stacks.yaml:17:25: {message} (limit nested-templates = 2)"),
        &format!("stacks.yaml nested-templates=2 17:25 {message}"),
    );
}

#[test]
fn resolve_depth_in_terraform() {
    // 200 locals, each the one before: past 128 levels the value is
    // unknown (at the reference that crosses it, `local.l137`).
    let mut text = String::from("locals {\n  l0 = \"*\"\n");
    for i in 1..=200 {
        writeln!(text, "  l{i} = local.l{}", i - 1).unwrap();
    }
    text.push_str("}\nresource \"aws_iam_role\" \"r\" {\n  assume_role_policy = jsonencode({Statement = [{Effect = \"Allow\", Principal = {AWS = local.l200}, Action = \"sts:AssumeRole\"}]})\n}\n");
    let message =
        "a value is nested more than 128 levels deep once resolved; it was treated as unknown";
    assert_limit(
        &[("main.tf", &text)],
        &format!("note: main.tf:141:10: {message} (limit resolve-depth = 128)"),
        &format!("main.tf resolve-depth=128 141:10 {message}"),
    );
}

#[test]
fn policy_file_size() {
    // `file()` reads at most 1 MiB; the policy file is not walked itself.
    let big = format!(
        "{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Sid\":\"{}\",\"Effect\":\"Allow\",\"Principal\":{{\"AWS\":\"*\"}},\"Action\":\"sts:AssumeRole\"}}]}}",
        "x".repeat(1 << 20)
    );
    let tf = "resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = file(\"${path.module}/big.policy\")\n}\n";
    let message = format!(
        "the policy file read by file() is larger than the limit of 1048576 bytes ({} bytes); it was treated as unknown",
        big.len()
    );
    assert_limit(
        &[("main.tf", tf), ("big.policy", &big)],
        &format!("note: main.tf:2:29: {message} (limit policy-file-size = 1048576)"),
        &format!("main.tf policy-file-size=1048576 2:29 {message}"),
    );
}

#[test]
fn plan_module_depth() {
    // A public role in a module nested 70 deep: past 64 levels (the
    // module at depth 65, on line 66, is where checking stopped).
    let role = r#"{"address":"module.x.aws_iam_role.r","mode":"managed","type":"aws_iam_role","name":"r","values":{"assume_role_policy":"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}]}"}}"#;
    let mut module = format!("{{\"resources\":[{role}]}}");
    for _ in 0..70 {
        module = format!("{{\"resources\":[],\"child_modules\":[\n{module}]}}");
    }
    let plan =
        format!("{{\"format_version\":\"1.2\",\"planned_values\":{{\"root_module\":{module}}}}}\n");
    let message = "modules are nested more than 64 levels deep; the deeper ones were not checked";
    assert_limit(
        &[("plan.json", &plan)],
        &format!("note: plan.json:66:1: {message} (limit plan-module-depth = 64)"),
        &format!("plan.json plan-module-depth=64 66:1 {message}"),
    );
}

// ------------------------------------------------ Fn::If variant limit

/// A role whose principal list holds `n` `Fn::If`s, each on its own
/// condition: even ones choose between `'*'` and an account root, odd
/// ones between two account roots.
fn many_ifs(n: usize) -> String {
    let mut t = String::from("AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n");
    for i in 0..n {
        writeln!(t, "  P{i}: {{Type: String, Default: 'no'}}").unwrap();
    }
    t.push_str("Conditions:\n");
    for i in 0..n {
        writeln!(t, "  C{i}: !Equals [!Ref P{i}, 'yes']").unwrap();
    }
    t.push_str("Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: sts:AssumeRole\n            Principal:\n              AWS:\n");
    for i in 0..n {
        let yes = if i % 2 == 0 {
            "'*'".to_owned()
        } else {
            format!("'arn:aws:iam::{}:root'", 111_122_220_000u64 + i as u64)
        };
        writeln!(
            t,
            "                - !If [C{i}, {yes}, 'arn:aws:iam::{}:root']",
            222_233_330_000u64 + i as u64
        )
        .unwrap();
    }
    t
}

/// A finding's rule, line and column.
type Place = (String, usize, usize);

/// (rule, line, column) of the principals a template's JSON report flags
/// with TL101 or TL102 and, separately, where each `'*'` and account
/// root of the text is.
fn principals(text: &str, v: &Value) -> (Vec<Place>, Vec<Place>) {
    let mut found: Vec<Place> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == "ifs.yaml" && (d["rule"] == "TL101" || d["rule"] == "TL102"))
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["span"]["start"]["line"].as_u64().unwrap() as usize,
                d["span"]["start"]["column"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    found.sort();
    let mut expected = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if !line.trim_start().starts_with("- !If") {
            continue;
        }
        // Quoted values are the odd pieces between quotes; a value's
        // column is its opening quote's.
        let mut start = 0;
        for (k, piece) in line.split('\'').enumerate() {
            if k % 2 == 1 {
                let rule = if piece == "*" { "TL101" } else { "TL102" };
                expected.push((rule.to_owned(), i + 1, start));
            }
            start += piece.len() + 1;
        }
    }
    expected.sort();
    (found, expected)
}

fn assert_union(n: usize) {
    let text = many_ifs(n);
    let d = dir_with(&[("ifs.yaml", &text)]);
    let (code, out, _) = check(d.path(), &["--no-config", "--format", "json", "."]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    let (found, expected) = principals(&text, &v);
    // Every branch's principal, at its own place: n/2 rounded up `'*'`,
    // the rest account roots.
    assert_eq!(expected.len(), 2 * n);
    assert_eq!(found, expected);
    let line = text
        .lines()
        .position(|l| l.contains("Version: '2012-10-17'"))
        .unwrap()
        + 1;
    let message = format!(
        "the document uses {n} template conditions, more than the 4 checked branch by branch; the union of every `Fn::If`'s branches was analysed"
    );
    assert_eq!(
        json_limits(d.path()),
        [format!("ifs.yaml template-conditions=4 {line}:9 {message}")]
    );
    assert_eq!(
        notes(d.path(), "human"),
        [format!(
            "note: ifs.yaml:{line}:9: {message} (limit template-conditions = 4)"
        )]
    );
}

#[test]
fn five_fn_ifs_in_a_principal_list() {
    assert_union(5);
}

#[test]
fn eight_fn_ifs_in_a_principal_list() {
    assert_union(8);
}

#[test]
fn twenty_fn_ifs_in_a_principal_list() {
    assert_union(20);
}

#[test]
fn four_fn_ifs_need_no_union() {
    // At the limit every combination is checked: no note.
    let d = dir_with(&[("ifs.yaml", &many_ifs(4))]);
    assert_eq!(json_limits(d.path()), Vec::<String>::new());
    assert_eq!(notes(d.path(), "human"), Vec::<String>::new());
}

/// Terraform has no variants: a conditional whose condition is unknown
/// (a variable without a default) yields both branches in a list, and two
/// lists their concatenation.
#[test]
fn terraform_conditionals_with_an_unknown_condition() {
    let text = r#"variable "public" {
  type = bool
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [var.public ? "*" : "arn:aws:iam::111122223333:root"]
    }
  }
}

resource "aws_iam_role" "a" {
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role" "b" {
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = var.public ? ["*"] : ["arn:aws:iam::222233334444:root"] }
    }]
  })
}
"#;
    let d = dir_with(&[("main.tf", text)]);
    let (_, out, _) = check(d.path(), &["--no-config", "--format", "json", "."]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let mut found: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == "main.tf" && (d["rule"] == "TL101" || d["rule"] == "TL102"))
        .map(|d| {
            format!(
                "{} {}:{}",
                d["rule"].as_str().unwrap(),
                d["span"]["start"]["line"],
                d["span"]["start"]["column"]
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        ["TL101 10:35", "TL101 25:41", "TL102 10:41", "TL102 25:49"]
    );
    let message =
        "2 conditionals with an unknown condition: both branches were analysed (the union)";
    assert_eq!(
        json_limits(d.path()),
        [format!("main.tf terraform-conditional=0 10:22 {message}")]
    );
    assert_eq!(
        notes(d.path(), "human"),
        [format!(
            "note: main.tf:10:22: {message} (limit terraform-conditional = 0)"
        )]
    );
}

// -------------------------------------------------------- other formats

#[test]
fn sarif_and_github_carry_the_limits() {
    let doc = "Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]\n";
    let d = dir_with(&[("stream.yaml", &vec![doc; 10_001].join("---\n"))]);
    // And a file not read (a notification without a region).
    let big = std::fs::File::create(d.path().join("big.json")).unwrap();
    big.set_len((64 << 20) + 1).unwrap();
    drop(big);
    let (_, out, _) = check(d.path(), &["--no-config", "--format", "sarif", "."]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let n = &v["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert_eq!(n.as_array().unwrap().len(), 2, "{n}");
    assert_eq!(n[0]["descriptor"]["id"], "trustlint/limit/file-size");
    assert_eq!(
        n[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "big.json"
    );
    assert!(n[0]["locations"][0]["physicalLocation"]["region"].is_null());
    let n = &n[1];
    assert_eq!(n["level"], "warning");
    assert_eq!(n["descriptor"]["id"], "trustlint/limit/documents-per-file");
    assert_eq!(n["properties"]["value"], 10_000);
    assert_eq!(
        n["message"]["text"],
        "stream.yaml: the file holds more than 10000 policy documents; only the first 10000 were checked (limit documents-per-file = 10000)"
    );
    let loc = &n["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "stream.yaml");
    assert_eq!(loc["region"]["startLine"], 20_001);
    if let Some(schema) = common::shared_schema(
        "sarif-schema-2.1.0.json",
        "sarif_and_github_carry_the_limits (schema)",
    ) {
        let errors = common::errors(&common::validator(&schema), &v);
        assert!(errors.is_empty(), "{errors:#?}");
    }
    let (_, out, err) = check(d.path(), &["--no-config", "--format", "github", "."]);
    assert!(
        out.contains("::warning file=stream.yaml,line=20001,col=1,endLine=20001,endColumn="),
        "{out}"
    );
    assert!(
        out.contains(",title=trustlint limit documents-per-file::the file holds more than 10000 policy documents; only the first 10000 were checked (limit documents-per-file = 10000)\n"),
        "{out}"
    );
    assert!(out.contains("::error file=good.json,"), "{out}");
    assert!(err.contains("note: stream.yaml:20001:1: "), "{err}");
}

#[test]
fn a_limit_survives_ignore_and_suppression() {
    // `--ignore TL001` hides the diagnostic, never the limit.
    let doc = "Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]\n";
    let d = dir_with(&[("stream.yaml", &vec![doc; 10_001].join("---\n"))]);
    let (_, out, err) = check(
        d.path(),
        &["--no-config", "--ignore", "TL001", "--format", "json", "."],
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["rule"] != "TL001"));
    assert_eq!(v["limits"].as_array().unwrap().len(), 1, "{err}");
}

#[test]
fn a_limit_is_noted_when_writing_a_baseline() {
    let d = dir_with(&[("ifs.yaml", &many_ifs(5))]);
    let (code, _, err) = check(
        d.path(),
        &["--no-config", "--write-baseline", "baseline.json", "."],
    );
    assert_eq!(code, 0, "{err}");
    let notes: Vec<&str> = err.lines().filter(|l| l.starts_with("note:")).collect();
    assert_eq!(notes.len(), 1, "{err}");
    assert!(
        notes[0].ends_with("(limit template-conditions = 4)"),
        "{err}"
    );
}
