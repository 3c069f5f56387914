//! Throughput benchmark: `cargo bench --bench throughput`.
//!
//! Generates a synthetic repository of policy-bearing files (raw trust and
//! identity policies, CloudFormation YAML, Terraform), then measures in the
//! same run:
//! - the baseline: reading every file and parsing the JSON ones with
//!   serde_json (no spans, no analysis) — the floor any linter pays;
//! - trustlint's full pipeline on 1 thread and on all threads;
//! - the same over `../shared/corpus` when present.
//!
//! Figures are reported as ratios against the baseline of the same run (this
//! machine's timings vary up to 2x between runs), plus MB/s and peak RSS.

use std::path::{Path, PathBuf};
use std::time::Instant;

const FILES: usize = 10_000;

/// The binary's allocator, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn trust(i: usize) -> String {
    format!(
        r#"{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Sid": "Deploy{i}",
      "Effect": "Allow",
      "Principal": {{ "AWS": "arn:aws:iam::{acct:012}:role/deployer-{i}" }},
      "Action": "sts:AssumeRole",
      "Condition": {{
        "StringEquals": {{ "sts:ExternalId": "ext-{i}-a1b2c3" }},
        "Bool": {{ "aws:MultiFactorAuthPresent": "true" }}
      }}
    }},
    {{
      "Effect": "Allow",
      "Principal": {{ "Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }},
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {{
        "StringEquals": {{ "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }},
        "StringLike": {{ "token.actions.githubusercontent.com:sub": "repo:acme/app-{i}:*" }}
      }}
    }}
  ]
}}
"#,
        acct = 100_000_000_000u64 + i as u64
    )
}

fn identity(i: usize) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket-{i}/*"}},{{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/app-{i}"}}]}}
"#
    )
}

fn cfn(i: usize) -> String {
    format!(
        r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  TrustedAccount:
    Type: String
    Default: "210987654321"
Resources:
  Role{i}:
    Type: AWS::IAM::Role
    Properties:
      MaxSessionDuration: 3600
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub "arn:aws:iam::${{TrustedAccount}}:root"
            Action: sts:AssumeRole
            Condition:
              StringEquals:
                sts:ExternalId: !Sub "ext-${{AWS::StackName}}"
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: read
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: !Sub "arn:aws:s3:::bucket-{i}/*"
"#
    )
}

fn tf(i: usize) -> String {
    format!(
        r#"data "aws_iam_policy_document" "assume_{i}" {{
  statement {{
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {{
      type        = "Federated"
      identifiers = ["arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"]
    }}
    condition {{
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:acme/app-{i}:*"]
    }}
    condition {{
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }}
  }}
}}

resource "aws_iam_role" "role_{i}" {{
  name                 = "role-{i}"
  assume_role_policy   = data.aws_iam_policy_document.assume_{i}.json
  max_session_duration = 3600
}}
"#
    )
}

fn generate(dir: &Path) -> u64 {
    let mut bytes = 0u64;
    for i in 0..FILES {
        let kind = ["trust", "identity", "cloudformation", "terraform"][i % 4];
        let sub = dir.join(kind).join(format!("d{:03}", i / 100));
        let (name, text) = match i % 4 {
            0 => (format!("trust-{i}.json"), trust(i)),
            1 => (format!("identity-{i}.json"), identity(i)),
            2 => (format!("stack-{i}.yaml"), cfn(i)),
            // One Terraform module per directory slot.
            _ => (format!("tf{i}/main.tf"), tf(i)),
        };
        let path = sub.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("bench: create dir");
        }
        bytes += text.len() as u64;
        std::fs::write(&path, text).expect("bench: write file");
    }
    bytes
}

fn inputs(root: &Path) -> Vec<trustlint::Input> {
    trustlint::discover::discover(&[root.to_path_buf()], &globset::GlobSet::empty()).0
}

/// The floor: read every file, and parse the JSON ones with serde_json.
fn baseline(inputs: &[trustlint::Input]) -> (f64, u64) {
    let t = Instant::now();
    let mut bytes = 0u64;
    for i in inputs {
        let data = std::fs::read(&i.path).unwrap_or_default();
        bytes += data.len() as u64;
        if i.display.ends_with(".json") {
            let _ = std::hint::black_box(serde_json::from_slice::<serde_json::Value>(&data));
        }
    }
    (t.elapsed().as_secs_f64(), bytes)
}

/// The parsers alone: read every file and run the third-party parser
/// trustlint uses for its format (jsonc-parser, saphyr-parser events,
/// hcl-edit), building nothing. What trustlint adds on top is its own cost.
fn parsers_only(inputs: &[trustlint::Input]) -> f64 {
    let t = Instant::now();
    for i in inputs {
        let text = std::fs::read_to_string(&i.path).unwrap_or_default();
        if i.display.ends_with(".json") {
            let _ = std::hint::black_box(jsonc_parser::parse_to_ast(
                &text,
                &Default::default(),
                &Default::default(),
            ));
        } else if i.display.ends_with(".yaml") {
            for ev in saphyr_parser::Parser::new_from_str(&text) {
                if std::hint::black_box(ev).is_err() {
                    break;
                }
            }
        } else if i.display.ends_with(".tf") {
            let _ = std::hint::black_box(hcl_edit::parser::parse_body(&text));
        }
    }
    t.elapsed().as_secs_f64()
}

fn best_of<F: FnMut() -> f64>(n: usize, mut f: F) -> f64 {
    (0..n).map(|_| f()).fold(f64::INFINITY, f64::min)
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|k| k.parse::<f64>().ok())
            })
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn measure(label: &str, root: &Path) {
    let inputs = inputs(root);
    let settings = trustlint::Settings::default();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (_, bytes) = baseline(&inputs); // warm the page cache
    let base = best_of(5, || baseline(&inputs).0);
    let parsers = best_of(5, || parsers_only(&inputs));
    let one = best_of(5, || {
        let t = Instant::now();
        std::hint::black_box(trustlint::lint(&inputs, &settings, 1));
        t.elapsed().as_secs_f64()
    });
    let all = best_of(5, || {
        let t = Instant::now();
        std::hint::black_box(trustlint::lint(&inputs, &settings, threads));
        t.elapsed().as_secs_f64()
    });
    let report = trustlint::lint(&inputs, &settings, threads);
    let findings = report.diagnostics().count();
    let mb = bytes as f64 / 1e6;
    println!(
        "{label}: {} files, {mb:.1} MB, {findings} findings",
        inputs.len()
    );
    println!(
        "  baseline (read + serde_json, 1 thread): {base:.3} s ({:.0} MB/s)",
        mb / base
    );
    println!(
        "  parsers only (read + jsonc-parser / saphyr events / hcl-edit, 1 thread): {parsers:.3} s ({:.0} MB/s)",
        mb / parsers
    );
    println!(
        "  trustlint, 1 thread:  {one:.3} s ({:.0} MB/s) = {:.2}x baseline, {:.2}x parsers only",
        mb / one,
        one / base,
        one / parsers
    );
    println!(
        "  trustlint, {threads} threads: {all:.3} s ({:.0} MB/s) = {:.2}x baseline; {:.2} s per core per 100 MB",
        mb / all,
        all / base,
        all * threads as f64 * 100.0 / mb
    );
}

fn main() {
    // `TRUSTLINT_BENCH_GENERATE=DIR cargo bench --bench throughput` writes
    // the synthetic repository to DIR and stops, for profiling the binary.
    if let Some(dir) = std::env::var_os("TRUSTLINT_BENCH_GENERATE") {
        let bytes = generate(Path::new(&dir));
        println!(
            "generated {FILES} files ({:.1} MB) in {}",
            bytes as f64 / 1e6,
            Path::new(&dir).display()
        );
        return;
    }
    let dir = tempfile::tempdir().expect("bench: temp dir");
    let bytes = generate(dir.path());
    println!("generated {FILES} files ({:.1} MB)", bytes as f64 / 1e6);
    measure("synthetic repository", dir.path());
    for kind in ["trust", "identity", "cloudformation", "terraform"] {
        measure(&format!("  only {kind}"), &dir.path().join(kind));
    }
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if corpus.is_dir() {
        measure("../shared/corpus", &corpus);
    } else {
        println!("SKIPPED: ../shared/corpus is absent");
    }
    println!("peak RSS of the benchmark process: {:.0} MB", peak_rss_mb());
}
