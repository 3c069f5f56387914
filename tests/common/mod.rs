//! Helpers shared by the end-to-end tests: running the binary, finding the
//! schemas in `../shared` (skipping visibly when it is absent), YAML to
//! JSON for schema validation, and fixtures.
#![allow(dead_code, clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// The binary, with colour off and no CI variables (so that the tests see
/// what a user sees, whatever runs them).
pub fn trustlint() -> Command {
    let mut cmd = Command::cargo_bin("trustlint").unwrap();
    cmd.env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("GITHUB_ACTIONS")
        .env("COLUMNS", "100");
    cmd
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Print past the test harness's capture, so a skip is seen in a plain
/// `cargo test`. libtest captures `print!`/`eprint!` (and, in some
/// versions, writes through `std::io::stderr()`); it never captures a
/// write to a duplicate of file descriptor 2, which is what this does.
pub fn visible(message: &str) {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = std::io::stderr().as_fd().try_clone_to_owned() {
            let mut f = std::fs::File::from(fd);
            if writeln!(f, "{message}").is_ok() {
                return;
            }
        }
    }
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{message}");
}

/// The shared folder beside the repository (`../shared`: the corpus,
/// the schemas, the SPEC), or `TRUSTLINT_SHARED` when set (set it to a
/// missing path to see what a fresh clone shows).
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("TRUSTLINT_SHARED") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => repo_root().join("../shared"),
    }
}

/// `../shared/NAME` (a file or folder), or `None` with a visible
/// `SKIPPED` line naming the test, when it is absent (a fresh clone).
pub fn shared(name: &str, test: &str) -> Option<PathBuf> {
    let p = shared_dir().join(name);
    if p.exists() {
        Some(p)
    } else {
        visible(&format!(
            "SKIPPED {test}: {} not found (../shared is absent beside the repository)",
            p.display()
        ));
        None
    }
}

/// `../shared/schemas/NAME` beside the repository, or `None` (with a
/// visible message) when it is absent, as in a fresh clone.
pub fn shared_schema(name: &str, test: &str) -> Option<PathBuf> {
    shared(&format!("schemas/{name}"), test).filter(|p| p.is_file())
}

/// Load a JSON schema, patching the SARIF schema's `language` pattern that
/// the jsonschema crate's regex check rejects (research/crates.md §7).
pub fn validator(schema_path: &Path) -> jsonschema::Validator {
    let text = std::fs::read_to_string(schema_path).unwrap();
    let text = text.replace(
        r#"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$"#,
        r#"^[a-zA-Z]{2}(-[a-zA-Z]{2})?$"#,
    );
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

/// Validation errors as readable lines (empty when valid).
pub fn errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// YAML (1.2 core schema, one document) to JSON, for schema validation.
pub fn yaml_to_json(text: &str) -> Value {
    use saphyr_parser::{Event, Parser, ScalarStyle};
    let mut stack: Vec<(Value, Option<String>)> = Vec::new();
    let mut done = None;
    for ev in Parser::new_from_str(text) {
        let (ev, _) = ev.unwrap();
        let value = match ev {
            Event::MappingStart(..) => {
                stack.push((Value::Object(Default::default()), None));
                continue;
            }
            Event::SequenceStart(..) => {
                stack.push((Value::Array(Vec::new()), None));
                continue;
            }
            Event::MappingEnd | Event::SequenceEnd => stack.pop().unwrap().0,
            Event::Scalar(s, style, _, _) => {
                if style == ScalarStyle::Plain {
                    scalar(&s)
                } else {
                    Value::String(s.into_owned())
                }
            }
            Event::Alias(_) => panic!("aliases are not used in these files"),
            _ => continue,
        };
        match stack.last_mut() {
            None => done = Some(value),
            Some((Value::Array(a), _)) => a.push(value),
            Some((Value::Object(m), key)) => match key.take() {
                None => *key = Some(value.as_str().map_or(value.to_string(), str::to_owned)),
                Some(k) => {
                    m.insert(k, value);
                }
            },
            Some(_) => unreachable!(),
        }
    }
    done.unwrap_or(Value::Null)
}

fn scalar(s: &str) -> Value {
    match s {
        "null" | "Null" | "NULL" | "~" | "" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => {
            if let Ok(i) = s.parse::<i64>() {
                Value::from(i)
            } else if let Ok(f) = s.parse::<f64>() {
                if s.chars().all(|c| c.is_ascii_digit() || ".-+eE".contains(c)) {
                    Value::from(f)
                } else {
                    Value::String(s.to_owned())
                }
            } else {
                Value::String(s.to_owned())
            }
        }
    }
}

/// A role trust policy open to any AWS principal: TL101 only.
pub const PUBLIC: &str = r#"{
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

/// Trust in a whole external account: TL102, TL103 and TL201 (warnings).
pub const ACCOUNT_ROOT: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::444455556666:root" },
      "Action": "sts:AssumeRole"
    }
  ]
}
"#;

/// A service trust with nothing to report.
pub const CLEAN: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Service": "ec2.amazonaws.com" },
      "Action": "sts:AssumeRole"
    }
  ]
}
"#;

/// Write files (creating folders) under a directory.
pub fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let p = dir.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(p, text).unwrap();
    }
}

/// Run `trustlint check ARGS` in `dir`: (exit code, stdout, stderr).
pub fn check(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = trustlint()
        .current_dir(dir)
        .arg("check")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Rule IDs in a `--format json` report.
pub fn rules_in(json: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(json).unwrap();
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_owned())
        .collect()
}

/// Percent-encode everything but unreserved characters, as IAM does in
/// account exports.
pub fn percent(s: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            write!(out, "%{b:02X}").unwrap();
        }
    }
    out
}

/// A GitHub workflow command's value decoded: `%0D`, `%0A`, `%3A`, `%2C`
/// and `%25` back to their characters (`%25` last, so `%250A` stays
/// `%0A`).
pub fn github_unescape(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}
