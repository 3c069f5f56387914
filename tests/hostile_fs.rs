//! Encodings and file-system oddities (issue: never crash, hang or lose a
//! finding): every case asserts the exact outcome — the finding at its
//! position, a skip, or an error — and that the rest of the run goes on.

use std::path::Path;

use assert_cmd::Command;

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

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("trustlint")
        .expect("binary")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .arg("check")
        .arg("--format")
        .arg("concise")
        .args(args)
        .output()
        .expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn utf16(text: &str, le: bool) -> Vec<u8> {
    let mut v = if le {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in text.encode_utf16() {
        v.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    v
}

#[test]
fn encodings_are_decoded_with_exact_positions() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend(TRUST.as_bytes());
    std::fs::write(p.join("bom.json"), bom).unwrap();
    std::fs::write(p.join("le.json"), utf16(TRUST, true)).unwrap();
    std::fs::write(p.join("be.json"), utf16(TRUST, false)).unwrap();
    std::fs::write(p.join("crlf.json"), TRUST.replace('\n', "\r\n")).unwrap();
    let (code, out, _) = run(p, &["."]);
    assert_eq!(code, 1);
    for f in ["be.json", "bom.json", "crlf.json", "le.json"] {
        assert!(
            out.contains(&format!("{f}:6:29: error[TL101]")),
            "{f} should report TL101 at 6:29:\n{out}"
        );
    }
}

#[test]
fn binary_invalid_and_empty_files() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("nul.json"), b"{\"Statement\": \0}").unwrap();
    std::fs::write(p.join("latin1.json"), b"{\"Statement\": \"caf\xE9\"}").unwrap();
    std::fs::write(p.join("empty.json"), b"").unwrap();
    std::fs::write(p.join("blank.yaml"), b"   \n\t\n").unwrap();
    std::fs::write(p.join("trust.json"), TRUST).unwrap();
    let (code, out, err) = run(p, &["."]);
    // The good file is still linted; the others are skipped, not fatal.
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("trust.json:6:29: error[TL101]"), "{out}");
    // The empty file cannot hold a policy: scanned, nothing to report.
    assert!(err.contains("2 files skipped"), "{err}");
    assert!(
        err.contains("note: skipped nul.json: the file holds NUL bytes"),
        "{err}"
    );
    assert!(
        err.contains("note: skipped latin1.json: the file is not valid UTF-8 (byte 18)"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_dangling_links() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir(p.join("sub")).unwrap();
    std::os::unix::fs::symlink("..", p.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink("missing.json", p.join("dangling.json")).unwrap();
    std::fs::write(p.join("sub/trust.json"), TRUST).unwrap();
    let (code, out, _) = run(p, &["."]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("sub/trust.json:6:29"), "{out}");
}

#[test]
fn missing_path_is_an_error_but_the_rest_is_linted() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("trust.json"), TRUST).unwrap();
    let (code, out, err) = run(p, &["does-not-exist.json", "trust.json"]);
    assert_eq!(code, 2);
    assert!(out.contains("trust.json:6:29: error[TL101]"), "{out}");
    assert!(err.contains("does-not-exist.json"), "{err}");
}

#[cfg(target_os = "linux")]
#[test]
fn unreadable_file_is_reported_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("trust.json"), TRUST).unwrap();
    // /proc/self/mem fails to read at offset 0 (EIO) even for root, where
    // chmod 000 would not stop us.
    let (code, out, err) = run(p, &["/proc/self/mem", "trust.json"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.contains("trust.json:6:29: error[TL101]"), "{out}");
    assert!(err.contains("/proc/self/mem: cannot read"), "{err}");
}

#[test]
fn odd_file_names() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    for name in ["with space.json", "ünïcödé.json", "-leading-dash.json"] {
        std::fs::write(p.join(name), TRUST).unwrap();
    }
    let (code, out, _) = run(p, &["."]);
    assert_eq!(code, 1);
    for name in ["-leading-dash.json", "with space.json", "ünïcödé.json"] {
        assert!(
            out.contains(&format!("{name}:6:29: error[TL101]")),
            "{name}:\n{out}"
        );
    }
    // Named explicitly after `--`, a leading dash is a path, not a flag.
    let (code, out, _) = run(p, &["--", "-leading-dash.json"]);
    assert_eq!(code, 1);
    assert!(out.starts_with("-leading-dash.json:6:29"), "{out}");
}

#[test]
fn terraform_file_calls_on_odd_targets_are_unknown_not_errors() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir(p.join("adir")).unwrap();
    std::fs::write(p.join("big.json"), " ".repeat((1 << 20) + 1)).unwrap();
    std::fs::write(p.join("le.json"), utf16(TRUST, true)).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("loop.json", p.join("loop.json")).unwrap();
    let role = |name: &str, target: &str| {
        format!("resource \"aws_iam_role\" \"{name}\" {{\n  assume_role_policy = file(\"${{path.module}}/{target}\")\n}}\n")
    };
    let tf: String = [
        role("dir", "adir"),
        role("missing", "missing.json"),
        role("big", "big.json"),
        role("looping", "loop.json"),
        role("itself", "main.tf"),
        role("utf16", "le.json"),
    ]
    .concat();
    std::fs::write(p.join("main.tf"), tf).unwrap();
    // Only the UTF-16 policy file is a policy: it is decoded, reported
    // once at its own line, naming the role that reads it.
    let (code, out, err) = run(p, &["main.tf"]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["le.json:6:29: error[TL101] role `utf16` can be assumed by any AWS principal [aws_iam_role.utf16]"]
    );
}
