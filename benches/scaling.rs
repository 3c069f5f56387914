//! Scaling benchmark: `cargo bench --bench scaling`.
//!
//! No document may make trustlint super-linear (SPEC §6). For each shape
//! of one file that grows with `n` — keys per statement, statements per
//! policy, principals per statement, conditions, `Fn::Sub` variables,
//! CloudFormation parameters, plan resources, findings per file, findings
//! per line — and for each output format, the binary is timed on `n` and
//! `2n` (`n` is doubled until every format takes at least [`MIN_SECONDS`]
//! at `n`, or the shape's limit is reached) and
//! the ratio printed. Linear work doubles (a fixed start-up cost makes the
//! ratio smaller); a ratio above [`MAX_RATIO`] is measured again with
//! twice the runs and, if it stays above, the instructions of both runs
//! are counted under valgrind (callgrind) when it is installed: CPU time
//! also grows with cache misses and page faults as the input doubles, an
//! instruction count only with the work. A ratio that stays above (in
//! instructions, or in time without valgrind) is printed as a FAILURE,
//! and the benchmark exits with status 1.
//!
//! Each time is the best of [`RUNS`] runs of `trustlint check --jobs 1`
//! with the output sent to /dev/null, in CPU time (user + system, from
//! `getrusage(RUSAGE_CHILDREN)`; wall-clock time elsewhere than Linux):
//! the machine is shared, wall-clock times of one run varied 3x, and the
//! best run is the one least disturbed.
//!
//! - `TRUSTLINT_SCALING_SHAPES=plan,keys` runs only these shapes;
//! - `TRUSTLINT_SCALING_GENERATE=DIR` writes every shape at its smallest
//!   and 10 times larger size into DIR, for profiling, and stops.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// Every format must take at least this long at `n` before `n` stops
/// doubling.
const MIN_SECONDS: f64 = 0.1;
/// Ratios of `2n` to `n` above this fail.
const MAX_RATIO: f64 = 2.2;
/// Each time is the best of this many runs.
const RUNS: usize = 5;
const FORMATS: [&str; 5] = ["human", "concise", "json", "sarif", "github"];

struct Shape {
    name: &'static str,
    /// File name (its extension picks the format).
    file: &'static str,
    start: usize,
    /// Largest `2n` (a limit of trustlint's: statements and documents
    /// per file are capped at 10,000).
    max: usize,
    make: fn(usize) -> String,
}

fn trust(statements: &str) -> String {
    format!("{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n{statements}\n  ]\n}}\n")
}

/// One statement with `n` unknown keys, one per line (one finding each).
fn keys(n: usize) -> String {
    let keys: Vec<String> = (0..n).map(|i| format!("      \"K{i}\": 1")).collect();
    trust(&format!(
        "    {{\n      \"Effect\": \"Allow\",\n      \"Principal\": {{ \"Service\": \"ec2.amazonaws.com\" }},\n      \"Action\": \"sts:AssumeRole\",\n{}\n    }}",
        keys.join(",\n")
    ))
}

/// `n` clean statements.
fn statements(n: usize) -> String {
    let s: Vec<String> = (0..n)
        .map(|i| format!("    {{ \"Sid\": \"S{i}\", \"Effect\": \"Allow\", \"Principal\": {{ \"Service\": \"ec2.amazonaws.com\" }}, \"Action\": \"sts:AssumeRole\" }}"))
        .collect();
    trust(&s.join(",\n"))
}

/// One statement trusting `n` accounts, pinned by an external ID.
fn principals(n: usize) -> String {
    let p: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "        \"arn:aws:iam::{:012}:root\"",
                100_000_000_000u64 + i as u64
            )
        })
        .collect();
    trust(&format!(
        "    {{\n      \"Effect\": \"Allow\",\n      \"Principal\": {{ \"AWS\": [\n{}\n      ] }},\n      \"Action\": \"sts:AssumeRole\",\n      \"Condition\": {{ \"StringEquals\": {{ \"sts:ExternalId\": \"ext-7f3a9c\" }} }}\n    }}",
        p.join(",\n")
    ))
}

/// One statement with `n` condition keys.
fn conditions(n: usize) -> String {
    let c: Vec<String> = (0..n)
        .map(|i| format!("          \"aws:PrincipalTag/t{i}\": \"v{i}\""))
        .collect();
    trust(&format!(
        "    {{\n      \"Effect\": \"Allow\",\n      \"Principal\": {{ \"AWS\": \"arn:aws:iam::111122223333:root\" }},\n      \"Action\": \"sts:AssumeRole\",\n      \"Condition\": {{\n        \"StringEquals\": {{\n          \"sts:ExternalId\": \"ext-7f3a9c\",\n{}\n        }}\n      }}\n    }}",
        c.join(",\n")
    ))
}

fn cfn_role(name: &str, principal: &str) -> String {
    format!(
        "\"{name}\":{{\"Type\":\"AWS::IAM::Role\",\"Properties\":{{\"AssumeRolePolicyDocument\":{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Principal\":{{\"AWS\":{principal}}},\"Action\":\"sts:AssumeRole\"}}]}}}}}}"
    )
}

/// `Fn::Sub` with `n` variables.
fn sub_variables(n: usize) -> String {
    let tpl: String = (0..n).map(|i| format!("${{V{i}}}")).collect();
    let vars: Vec<String> = (0..n).map(|i| format!("\"V{i}\":\"x\"")).collect();
    let principal = format!(
        "{{\"Fn::Sub\":[\"arn:aws:iam::111122223333:role/{tpl}\",{{{}}}]}}",
        vars.join(",")
    );
    format!("{{\"Resources\":{{{}}}}}\n", cfn_role("R", &principal))
}

/// `n` parameters, each used by one `Fn::Sub`.
fn parameters(n: usize) -> String {
    let params: Vec<String> = (0..n)
        .map(|i| format!("\"P{i}\":{{\"Type\":\"String\",\"Default\":\"p\"}}"))
        .collect();
    let tpl: String = (0..n).map(|i| format!("${{P{i}}}")).collect();
    let principal = format!("{{\"Fn::Sub\":\"arn:aws:iam::111122223333:role/{tpl}\"}}");
    format!(
        "{{\"Parameters\":{{{}}},\"Resources\":{{{}}}}}\n",
        params.join(","),
        cfn_role("R", &principal)
    )
}

/// A minified plan of `n` public roles (one finding each, one line).
fn plan(n: usize) -> String {
    let policy = r#"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}]}"#;
    let r: Vec<String> = (0..n)
        .map(|i| format!("{{\"address\":\"aws_iam_role.r{i}\",\"mode\":\"managed\",\"type\":\"aws_iam_role\",\"name\":\"r{i}\",\"values\":{{\"name\":\"r{i}\",\"assume_role_policy\":\"{policy}\"}}}}"))
        .collect();
    format!(
        "{{\"format_version\":\"1.2\",\"planned_values\":{{\"root_module\":{{\"resources\":[{}]}}}}}}\n",
        r.join(",")
    )
}

/// A CloudFormation YAML template of `n` public roles (a finding each).
fn findings_per_file(n: usize) -> String {
    let mut s = String::from("AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n");
    for i in 0..n {
        s.push_str(&format!(
            "  Role{i}:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n          - Effect: Allow\n            Principal:\n              AWS: \"*\"\n            Action: sts:AssumeRole\n"
        ));
    }
    s
}

/// `n` unknown keys on one line of a statement (a finding each).
fn findings_per_line(n: usize) -> String {
    let keys: String = (0..n).map(|i| format!(",\"K{i}\":1")).collect();
    format!("{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Principal\":{{\"Service\":\"ec2.amazonaws.com\"}},\"Action\":\"sts:AssumeRole\"{keys}}}]}}\n")
}

const SHAPES: &[Shape] = &[
    Shape {
        name: "keys per statement",
        file: "keys.json",
        start: 2_000,
        max: 4_000_000,
        make: keys,
    },
    Shape {
        name: "statements per policy",
        file: "statements.json",
        start: 500,
        max: 10_000,
        make: statements,
    },
    Shape {
        name: "principals per statement",
        file: "principals.json",
        start: 2_000,
        max: 4_000_000,
        make: principals,
    },
    Shape {
        name: "conditions",
        file: "conditions.json",
        start: 2_000,
        max: 4_000_000,
        make: conditions,
    },
    Shape {
        name: "Fn::Sub variables",
        file: "sub.json",
        start: 2_000,
        max: 4_000_000,
        make: sub_variables,
    },
    Shape {
        name: "CloudFormation parameters",
        file: "parameters.json",
        start: 2_000,
        max: 4_000_000,
        make: parameters,
    },
    Shape {
        name: "plan resources",
        file: "plan.json",
        start: 500,
        max: 10_000,
        make: plan,
    },
    Shape {
        name: "findings per file",
        file: "findings.yaml",
        start: 500,
        max: 10_000,
        make: findings_per_file,
    },
    Shape {
        name: "findings per line",
        file: "line.json",
        start: 2_000,
        max: 4_000_000,
        make: findings_per_line,
    },
];

/// CPU time (user + system) of the children waited for so far, in seconds.
#[cfg(target_os = "linux")]
fn children_cpu() -> Option<f64> {
    // `struct rusage` on Linux: two `struct timeval` (user, system) and
    // 14 longs.
    #[repr(C)]
    struct Rusage {
        fields: [i64; 18],
    }
    extern "C" {
        fn getrusage(who: i32, usage: *mut Rusage) -> i32;
    }
    const RUSAGE_CHILDREN: i32 = -1;
    let mut r = Rusage { fields: [0; 18] };
    // SAFETY: `r` is a writable `struct rusage`-sized buffer.
    let ok = unsafe { getrusage(RUSAGE_CHILDREN, &mut r) } == 0;
    let f = r.fields;
    ok.then(|| (f[0] + f[2]) as f64 + (f[1] + f[3]) as f64 / 1e6)
}

#[cfg(not(target_os = "linux"))]
fn children_cpu() -> Option<f64> {
    None
}

/// Best time of `runs` runs on `file` in `format`.
fn time(bin: &str, file: &Path, format: &str, runs: usize) -> f64 {
    (0..runs)
        .map(|_| {
            let cpu = children_cpu();
            let t = Instant::now();
            let status = Command::new(bin)
                .args(["check", "--jobs", "1", "--no-config", "--format", format])
                .arg(file)
                .env("NO_COLOR", "1")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            let elapsed = match (cpu, children_cpu()) {
                (Some(a), Some(b)) => b - a,
                _ => t.elapsed().as_secs_f64(),
            };
            match status {
                Ok(s) if s.code().is_some_and(|c| c <= 1) => elapsed,
                _ => f64::INFINITY,
            }
        })
        .fold(f64::INFINITY, f64::min)
}

/// The instructions one run executes, counted by valgrind's callgrind
/// (the same on every run, unlike a time); `None` without valgrind.
fn instructions(bin: &str, file: &Path, format: &str) -> Option<u64> {
    let log = tempfile::NamedTempFile::new().ok()?;
    let status = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(format!("--log-file={}", log.path().display()))
        .arg(bin)
        .args(["check", "--jobs", "1", "--no-config", "--format", format])
        .arg(file)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?;
    if status.code().is_none_or(|c| c > 1) {
        return None;
    }
    let text = std::fs::read_to_string(log.path()).ok()?;
    let line = text.lines().find(|l| l.contains("refs:"))?;
    let digits: String = line
        .rsplit(':')
        .next()?
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn main() {
    let bin = env!("CARGO_BIN_EXE_trustlint");
    let only: Option<Vec<String>> = std::env::var("TRUSTLINT_SCALING_SHAPES")
        .ok()
        .map(|s| s.split(',').map(|x| x.trim().to_owned()).collect());
    let selected = |s: &Shape| {
        only.as_ref().is_none_or(|o| {
            o.iter()
                .any(|x| s.file.starts_with(x.as_str()) || s.name == x)
        })
    };
    if let Some(dir) = std::env::var_os("TRUSTLINT_SCALING_GENERATE") {
        let dir = Path::new(&dir);
        std::fs::create_dir_all(dir).expect("bench: create dir");
        for s in SHAPES.iter().filter(|s| selected(s)) {
            for n in [s.start, (s.start * 10).min(s.max)] {
                let path = dir.join(format!("{n}-{}", s.file));
                std::fs::write(&path, (s.make)(n)).expect("bench: write file");
                println!("{}", path.display());
            }
        }
        return;
    }
    let dir = tempfile::tempdir().expect("bench: temp dir");
    let mut failures = Vec::new();
    let unit = if children_cpu().is_some() {
        "CPU s"
    } else {
        "s"
    };
    println!("| shape | n | format | time at n ({unit}) | time at 2n ({unit}) | ratio |");
    println!("| --- | ---: | --- | ---: | ---: | ---: |");
    for s in SHAPES.iter().filter(|s| selected(s)) {
        // Double n until the fastest format takes MIN_SECONDS at n.
        let mut n = s.start;
        let path_n = dir.path().join(format!("n-{}", s.file));
        let path_2n = dir.path().join(format!("2n-{}", s.file));
        loop {
            std::fs::write(&path_n, (s.make)(n)).expect("bench: write file");
            let fastest = FORMATS
                .iter()
                .map(|f| time(bin, &path_n, f, 1))
                .fold(f64::INFINITY, f64::min);
            if fastest >= MIN_SECONDS || 4 * n > s.max {
                break;
            }
            n *= 2;
        }
        std::fs::write(&path_2n, (s.make)(2 * n)).expect("bench: write file");
        for format in FORMATS {
            let mut a = time(bin, &path_n, format, RUNS);
            let mut b = time(bin, &path_2n, format, RUNS);
            let mut ratio = b / a;
            if ratio > MAX_RATIO {
                // Confirm with a second, longer measurement: on a shared
                // machine one pair can be disturbed (the same input in
                // another format, with the same work, was linear).
                a = time(bin, &path_n, format, 2 * RUNS).min(a);
                b = time(bin, &path_2n, format, 2 * RUNS).min(b);
                ratio = b / a;
            }
            // Time says "suspicious"; the instruction count decides: CPU
            // time also grows with cache misses and page faults when the
            // input doubles, an instruction count only with the work.
            let mut verdict = ratio;
            let mut note = String::new();
            if ratio > MAX_RATIO && ratio.is_finite() {
                if let (Some(ia), Some(ib)) = (
                    instructions(bin, &path_n, format),
                    instructions(bin, &path_2n, format),
                ) {
                    verdict = ib as f64 / ia as f64;
                    note = format!(" (instructions: {verdict:.2})");
                }
            }
            let flag = if verdict > MAX_RATIO { " **FAIL**" } else { "" };
            println!(
                "| {} | {n} | {format} | {a:.3} | {b:.3} | {ratio:.2}{note}{flag} |",
                s.name
            );
            if verdict > MAX_RATIO || !ratio.is_finite() {
                failures.push(format!("{} in {format}: {ratio:.2}{note}", s.name));
            }
        }
    }
    if !failures.is_empty() {
        println!();
        println!("################################################################");
        println!("FAILURE: super-linear (2n/n above {MAX_RATIO}):");
        for f in &failures {
            println!("  {f}");
        }
        println!("################################################################");
        std::process::exit(1);
    }
    println!();
    println!("all ratios at or below {MAX_RATIO}");
}
