//! Hostile trees (issue 11, parts 1–4): FIFOs, devices and links where
//! files are expected, ignore files that would block or exhaust memory,
//! Terraform `file()` reaching outside the tree, output files that are not
//! regular files, and configurations that try to reach outside their
//! folder. Each case asserts its exact outcome, with a good file beside it
//! still reported; every run has a time limit, so a regression fails
//! instead of hanging CI.
#![cfg(unix)]

use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::write;

const PUBLIC: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Principal": { "AWS": "*" }, "Action": "sts:AssumeRole" }
  ]
}
"#;

/// A run of `trustlint check --format concise ARGS` in `dir` that must end
/// within 20 seconds: (exit code, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trustlint"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["check", "--format", "concise"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drain both pipes on threads so a large output cannot block the child.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("trustlint {args:?} did not finish within 20 s (hang)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (
        status.code().unwrap_or(-1),
        out_t.join().unwrap(),
        err_t.join().unwrap(),
    )
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_string_lossy().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

fn symlink(target: impl AsRef<Path>, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

const P_TL101: &str = "p.json:4:48: error[TL101]";
const Q_TL101: &str = "sub/q.json:4:48: error[TL101]";

#[test]
fn fifo_ignore_files_do_not_block_and_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(p, &[("p.json", PUBLIC), ("sub/q.json", PUBLIC)]);
    mkfifo(&p.join(".gitignore"));
    mkfifo(&p.join("sub/.ignore"));
    let (code, out, err) = run(p, &["."]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains(P_TL101) && out.contains(Q_TL101), "{out}");
    assert!(
        err.contains("note: .gitignore: not used: not a regular file (a FIFO)"),
        "{err}"
    );
    assert!(
        err.contains("note: sub/.ignore: not used: not a regular file (a FIFO)"),
        "{err}"
    );
}

#[test]
fn ignore_files_linked_to_devices_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(p, &[("p.json", PUBLIC), ("sub/q.json", PUBLIC)]);
    symlink("/dev/zero", &p.join(".gitignore"));
    symlink("/dev/zero", &p.join("sub/.ignore"));
    let (code, out, err) = run(p, &["."]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains(P_TL101) && out.contains(Q_TL101), "{out}");
    assert!(
        err.contains("note: .gitignore: not used: a symbolic link, not followed"),
        "{err}"
    );
    assert!(
        err.contains("note: sub/.ignore: not used: a symbolic link, not followed"),
        "{err}"
    );
}

#[test]
fn ignore_files_still_work_and_pathological_ones_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    // 100,000 globs (about 3 MB), the last of which would hide p.json.
    let mut huge = String::new();
    for i in 0..100_000 {
        huge.push_str(&format!("**/generated-{i}/**/*.json\n"));
    }
    huge.push_str("p.json\n");
    write(
        p,
        &[
            ("p.json", PUBLIC),
            ("sub/q.json", PUBLIC),
            ("sub/hidden.json", PUBLIC),
            ("sub/.gitignore", "hidden.json\n"),
            ("vendor/v.json", PUBLIC),
            (".ignore", "vendor/\n"),
        ],
    );
    std::fs::write(p.join(".gitignore"), huge).unwrap();
    let (code, out, err) = run(p, &["."]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains(P_TL101) && out.contains(Q_TL101), "{out}");
    assert!(
        !out.contains("hidden.json") && !out.contains("vendor/"),
        "{out}"
    );
    assert!(
        err.contains("note: .gitignore: only its first 65536 bytes are used (limit)"),
        "{err}"
    );
    // A file of many small patterns within the size bound.
    let many: String = (0..5_000).map(|i| format!("g{i}\n")).collect();
    std::fs::write(p.join(".gitignore"), many).unwrap();
    let (_, out, err) = run(p, &["."]);
    assert!(out.contains(P_TL101), "{out}");
    assert!(
        err.contains("note: .gitignore: only its first 1000 patterns are used (limit)"),
        "{err}"
    );
}

#[test]
fn fifos_and_devices_named_as_inputs_are_errors_not_hangs() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(p, &[("p.json", PUBLIC)]);
    mkfifo(&p.join("fifo.json"));
    let (code, out, err) = run(p, &["fifo.json", "/dev/zero", "p.json"]);
    assert_eq!(code, 2, "{err}");
    assert!(out.contains(P_TL101), "{out}");
    assert!(
        err.contains("error: fifo.json: not a regular file or directory (a FIFO)"),
        "{err}"
    );
    assert!(
        err.contains("error: /dev/zero: not a regular file or directory (a device)"),
        "{err}"
    );
    // A FIFO met by the walk is not a candidate file at all.
    let (code, out, err) = run(p, &["."]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains(P_TL101) && !out.contains("fifo"), "{out}");
}

#[test]
fn a_policy_swapped_for_a_fifo_or_link_after_the_walk_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        &[
            ("p.json", PUBLIC),
            ("swap.json", PUBLIC),
            ("link.json", PUBLIC),
        ],
    );
    let (inputs, errors) = trustlint::discover::discover(&[p.to_path_buf()], &Default::default());
    assert!(errors.is_empty());
    assert_eq!(inputs.len(), 3);
    std::fs::remove_file(p.join("swap.json")).unwrap();
    mkfifo(&p.join("swap.json"));
    std::fs::remove_file(p.join("link.json")).unwrap();
    symlink("/etc/passwd", &p.join("link.json"));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let report = trustlint::lint(&inputs, &trustlint::Settings::default(), 2);
        let _ = tx.send(report);
    });
    let report = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("lint hung on a FIFO swapped in after the walk");
    let errors: Vec<(String, String)> = report
        .errors()
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect();
    let name = |s: &str| p.join(s).to_string_lossy().into_owned();
    assert_eq!(
        errors,
        vec![
            (
                name("link.json"),
                "cannot read: a symbolic link, not followed".to_owned()
            ),
            (
                name("swap.json"),
                "cannot read: not a regular file (a FIFO)".to_owned()
            ),
        ]
    );
    assert_eq!(report.diagnostics().count(), 1);
}

#[test]
fn named_links_outside_the_tree_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.json"), PUBLIC).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(p, &[("p.json", PUBLIC)]);
    symlink(outside.path().join("secret.json"), &p.join("out.json"));
    symlink("p.json", &p.join("in.json"));
    let (code, out, err) = run(p, &["out.json", "in.json", "p.json"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "error: out.json: a symbolic link to a file outside the scanned tree, not followed"
        ),
        "{err}"
    );
    assert!(out.contains("in.json:4:48: error[TL101]"), "{out}");
    assert!(out.contains(P_TL101), "{out}");
}

const SECRET_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    { "Sid": "TOPSECRET-s3cr3t-value", "Effect": "Allow", "Principal": { "AWS": "*" }, "Action": "sts:AssumeRole" }
  ]
}
"#;

fn role(name: &str, expr: &str) -> String {
    format!("resource \"aws_iam_role\" \"{name}\" {{\n  name = \"{name}\"\n  assume_role_policy = {expr}\n}}\n")
}

#[test]
fn terraform_file_never_reads_outside_the_tree() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.json"), SECRET_POLICY).unwrap();
    let top = tempfile::tempdir().unwrap();
    let p = top.path().join("repo");
    let out_rel = format!(
        "../../../{}",
        outside.path().strip_prefix("/").unwrap().display()
    );
    let mut tf = String::new();
    tf.push_str(&role("abs", "file(\"/etc/passwd\")"));
    tf.push_str(&role(
        "up",
        &format!(
            "file(\"../../../../../../../../{}/x.json\")",
            outside.path().strip_prefix("/").unwrap().display()
        ),
    ));
    tf.push_str(&role(
        "tpl",
        "templatefile(\"${path.module}/../x.json\", {})",
    ));
    tf.push_str(&role("linked", "file(\"${path.module}/link.json\")"));
    tf.push_str(&role("ok", "file(\"${path.module}/policies/ok.json\")"));
    write(
        &p,
        &[("mod/main.tf", &tf), ("mod/policies/ok.json", PUBLIC)],
    );
    std::fs::write(top.path().join("x.json"), SECRET_POLICY).unwrap();
    symlink(outside.path().join("x.json"), &p.join("mod/link.json"));
    let _ = out_rel;
    for args in [&["."][..], &["mod/main.tf"][..]] {
        let (code, out, err) = run(&p, args);
        assert_eq!(code, 1, "{args:?}\n{out}\n{err}");
        assert!(
            !out.contains("TOPSECRET") && !err.contains("TOPSECRET"),
            "{out}\n{err}"
        );
        assert!(!out.contains("x.json") && !out.contains("passwd"), "{out}");
        // The sibling policy file under the tree is read and reported.
        assert!(
            out.contains("mod/policies/ok.json:4:48: error[TL101] role `ok` can be assumed by any AWS principal [aws_iam_role.ok]"),
            "{args:?}\n{out}"
        );
    }
}

#[test]
fn file_functions_root_confines_or_widens_file() {
    let top = tempfile::tempdir().unwrap();
    let p = top.path();
    write(
        p,
        &[
            ("shared/policy.json", PUBLIC),
            (
                "infra/main.tf",
                &role("r", "file(\"${path.module}/../shared/policy.json\")"),
            ),
        ],
    );
    // Scanning infra/ only: shared/ is outside the scanned root.
    let (code, out, err) = run(p, &["infra"]);
    assert_eq!(code, 0, "{out}\n{err}");
    // A configuration at the top names the top as the root.
    write(p, &[("trustlint.toml", "file_functions_root = \".\"\n")]);
    let (code, out, _) = run(p, &["infra"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("shared/policy.json:4:48: error[TL101] role `r` can be assumed by any AWS principal [aws_iam_role.r]"),
        "{out}"
    );
    // And it can narrow the root below the scanned one.
    write(
        p,
        &[("trustlint.toml", "file_functions_root = \"infra\"\n")],
    );
    let (code, out, _) = run(p, &["."]);
    assert_eq!(code, 1, "{out}");
    assert!(!out.contains("role `r`"), "{out}");
}

#[test]
fn output_files_follow_links_write_fifos_in_place_and_refuse_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(p, &[("p.json", PUBLIC), ("out/real.txt", "old")]);
    // A symbolic link: the target is replaced, the link stays a link.
    symlink("out/real.txt", &p.join("link.txt"));
    let (code, _, err) = run(p, &["p.json", "--output", "link.txt"]);
    assert_eq!(code, 1, "{err}");
    assert!(std::fs::symlink_metadata(p.join("link.txt"))
        .unwrap()
        .file_type()
        .is_symlink());
    let text = std::fs::read_to_string(p.join("out/real.txt")).unwrap();
    assert!(text.starts_with(P_TL101), "{text}");
    // A device is written in place, never replaced.
    let (code, _, err) = run(p, &["p.json", "--output", "/dev/null"]);
    assert_eq!(code, 1, "{err}");
    use std::os::unix::fs::FileTypeExt as _;
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    // A FIFO is written in place (a reader is waiting on it).
    let fifo = p.join("report.fifo");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let (code, _, err) = run(p, &["p.json", "--output", "report.fifo"]);
    assert_eq!(code, 1, "{err}");
    assert!(reader.join().unwrap().starts_with(P_TL101));
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    // A directory is never replaced.
    std::fs::create_dir(p.join("adir")).unwrap();
    let (code, _, err) = run(p, &["p.json", "--output", "adir"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot write adir: a directory is not a regular file, FIFO or device; it is not replaced"),
        "{err}"
    );
    assert!(p.join("adir").is_dir());
}

#[test]
fn output_and_write_baseline_are_both_written() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(p, &[("p.json", PUBLIC)]);
    let (code, _, err) = run(
        p,
        &[
            "p.json",
            "--write-baseline",
            "base.json",
            "--output",
            "report.txt",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let base = std::fs::read_to_string(p.join("base.json")).unwrap();
    assert!(base.contains("TL101"), "{base}");
    let report = std::fs::read_to_string(p.join("report.txt")).unwrap();
    assert!(report.starts_with(P_TL101), "{report}");
    // A baseline that is a FIFO is refused, not waited on.
    mkfifo(&p.join("fifo-base.json"));
    let (code, _, err) = run(p, &["p.json", "--baseline", "fifo-base.json"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot read the baseline fifo-base.json: not a regular file (a FIFO)"),
        "{err}"
    );
}

#[test]
fn a_configuration_never_excludes_outside_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        &[
            ("a/trustlint.toml", "exclude = [\"**\"]\n"),
            ("a/p.json", PUBLIC),
            ("p.json", PUBLIC),
            ("sub/q.json", PUBLIC),
        ],
    );
    let (code, out, err) = run(p, &["a/p.json", "."]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains(P_TL101) && out.contains(Q_TL101), "{out}");
    assert!(!out.contains("a/p.json"), "{out}");
    assert!(err.contains("in 2 of 2 files scanned"), "{err}");
}

#[test]
fn each_file_uses_the_nearest_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        &[
            ("trustlint.toml", "[severity]\nTL101 = \"warning\"\n"),
            ("p.json", PUBLIC),
            ("legacy/trustlint.toml", "ignore = [\"TL101\"]\n"),
            ("legacy/old.json", PUBLIC),
            ("team/.trustlint.toml", "exclude = [\"gen\"]\n"),
            ("team/q.json", PUBLIC),
            ("team/gen/g.json", PUBLIC),
        ],
    );
    let (code, out, err) = run(p, &["."]);
    assert_eq!(code, 1, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        vec![
            "p.json:4:48: warning[TL101] this role can be assumed by any AWS principal",
            "team/q.json:4:48: error[TL101] this role can be assumed by any AWS principal",
        ],
        "{out}"
    );
    // `--config FILE` uses one file for every path.
    let (_, out, _) = run(p, &["--config", "legacy/trustlint.toml", "."]);
    assert!(!out.contains("TL101"), "{out}");
    // A configuration linked to a file outside the tree is not read (its
    // text would be shown in errors).
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret"), "TOPSECRET = [\n").unwrap();
    std::fs::remove_file(p.join("team/.trustlint.toml")).unwrap();
    symlink(
        outside.path().join("secret"),
        &p.join("team/.trustlint.toml"),
    );
    let (code, _, err) = run(p, &["."]);
    assert_eq!(code, 2);
    assert!(!err.contains("TOPSECRET"), "{err}");
    assert!(
        err.contains("cannot read the configuration file: a symbolic link to a file outside"),
        "{err}"
    );
    std::fs::remove_file(p.join("team/.trustlint.toml")).unwrap();
    // A broken configuration anywhere in the run is an error (exit 2).
    write(p, &[("team/.trustlint.toml", "exclude = 1\n")]);
    let (code, _, err) = run(p, &["."]);
    assert_eq!(code, 2);
    assert!(err.contains("team/.trustlint.toml"), "{err}");
}

/// A FIFO named `trustlint.toml` (or `.trustlint.toml`) beside a policy
/// file is found by the configuration search and refused, not opened: the
/// run ends with exit code 2 and names it, instead of blocking on a reader
/// that never writes. The same for `--config` naming it.
#[test]
fn a_fifo_configuration_file_is_an_error_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(p, &[("d/p.json", PUBLIC)]);
    mkfifo(&p.join("d/trustlint.toml"));
    let (code, out, err) = run(p, &["d"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains(
            "d/trustlint.toml: cannot read the configuration file: not a regular file (a FIFO)"
        ),
        "{err}"
    );
    assert!(out.is_empty(), "{out}");
    // Found from inside the folder too, for a file named explicitly.
    let (code, _, err) = run(&p.join("d"), &["p.json"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "trustlint.toml: cannot read the configuration file: not a regular file (a FIFO)"
        ),
        "{err}"
    );

    std::fs::remove_file(p.join("d/trustlint.toml")).unwrap();
    mkfifo(&p.join("d/.trustlint.toml"));
    for args in [&["d"][..], &["--config", "d/.trustlint.toml", "d"][..]] {
        let (code, _, err) = run(p, args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains(
                "d/.trustlint.toml: cannot read the configuration file: not a regular file (a FIFO)"
            ),
            "{args:?}: {err}"
        );
    }
    // Without the FIFO the same tree is linted as usual.
    std::fs::remove_file(p.join("d/.trustlint.toml")).unwrap();
    let (code, out, err) = run(p, &["d"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.starts_with("d/p.json:4:48: error[TL101]"), "{out}");
}
