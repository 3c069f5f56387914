//! How trustlint reaches its users, tested on this machine:
//! `scripts/install-trustlint.sh` (used by the GitHub Action and the
//! prebuilt pre-commit hook) against fake release folders — a good
//! checksum installs, a bad one refuses, an unknown platform or a missing
//! release falls back to cargo — and `scripts/action-run.sh`, which lints
//! once and turns that one SARIF report into pull request annotations.
//! The scripts need bash, tar and sha256sum (or shasum); a test skips
//! visibly where one is missing.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;

fn script(name: &str) -> PathBuf {
    repo_root().join("scripts").join(name)
}

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The tools the install script needs here, or a visible skip.
fn tools(test: &str, extra: &[&str]) -> bool {
    for t in ["bash", "tar", "sha256sum"].iter().chain(extra) {
        if !have(t) {
            visible(&format!("SKIPPED {test}: `{t}` is not installed"));
            return false;
        }
    }
    true
}

fn sha256(path: &Path) -> String {
    let out = Command::new("sha256sum").arg(path).output().unwrap();
    String::from_utf8(out.stdout).unwrap()[..64].to_owned()
}

fn sh(dir: &Path, cmd: &str) {
    let st = Command::new("sh")
        .current_dir(dir)
        .args(["-c", cmd])
        .status()
        .unwrap();
    assert!(st.success(), "{cmd}");
}

/// A release folder as the release workflow lays it out: for each target,
/// `trustlint-TARGET.tar.gz` (`.zip` on Windows) holding
/// `trustlint-TARGET/trustlint[.exe]`, and `ARCHIVE.sha256`. The
/// "binary" is a shell script that prints its version and target.
fn fake_release(dir: &Path, targets: &[&str]) {
    std::fs::create_dir_all(dir).unwrap();
    for target in targets {
        let windows = target.contains("windows");
        let exe = if windows { ".exe" } else { "" };
        let stage = dir.join(format!("trustlint-{target}"));
        std::fs::create_dir_all(&stage).unwrap();
        let bin = stage.join(format!("trustlint{exe}"));
        std::fs::write(
            &bin,
            format!("#!/bin/sh\necho \"trustlint 9.9.9 {target}\"\n"),
        )
        .unwrap();
        sh(
            dir,
            &format!("chmod +x 'trustlint-{target}/trustlint{exe}'"),
        );
        let archive = if windows {
            let a = format!("trustlint-{target}.zip");
            sh(dir, &format!("zip -qr '{a}' 'trustlint-{target}'"));
            a
        } else {
            let a = format!("trustlint-{target}.tar.gz");
            sh(dir, &format!("tar -czf '{a}' 'trustlint-{target}'"));
            a
        };
        std::fs::remove_dir_all(&stage).unwrap();
        let hash = sha256(&dir.join(&archive));
        std::fs::write(
            dir.join(format!("{archive}.sha256")),
            format!("{hash}  {archive}\n"),
        )
        .unwrap();
    }
}

/// A stand-in for cargo that records its arguments and "builds" a binary
/// into `--root DIR/bin`.
fn fake_cargo(dir: &Path) -> (PathBuf, PathBuf) {
    let log = dir.join("cargo.log");
    let cargo = dir.join("fake-cargo");
    std::fs::write(
        &cargo,
        format!(
            r#"#!/usr/bin/env bash
echo "$@" >> '{}'
root=""
while [ $# -gt 0 ]; do
  if [ "$1" = --root ]; then root="$2"; fi
  shift
done
mkdir -p "$root/bin"
printf '#!/bin/sh\necho "trustlint built-from-source"\n' > "$root/bin/trustlint"
printf '#!/bin/sh\necho "trustlint built-from-source"\n' > "$root/bin/trustlint.exe"
echo "   Compiling trustlint (fake)" >&2
"#,
            log.display()
        ),
    )
    .unwrap();
    sh(dir, "chmod +x fake-cargo");
    (cargo, log)
}

/// Run the install script as if on `os`/`arch`.
fn install(os: &str, arch: &str, cargo: &Path, args: &[&str]) -> Output {
    Command::new("bash")
        .arg(script("install-trustlint.sh"))
        .args(args)
        .env("TRUSTLINT_OS", os)
        .env("TRUSTLINT_ARCH", arch)
        .env("TRUSTLINT_CARGO", cargo)
        .output()
        .unwrap()
}

/// The install script for release v9.9.9 from `rel` into `bin`.
fn install_release(os: &str, arch: &str, cargo: &Path, rel: &Path, bin: &Path) -> Output {
    install(
        os,
        arch,
        cargo,
        &[
            "--version",
            "v9.9.9",
            "--base-url",
            rel.to_str().unwrap(),
            "--dir",
            bin.to_str().unwrap(),
        ],
    )
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn run_installed(path: &str) -> String {
    let out = Command::new(path.trim()).output().unwrap();
    text(&out.stdout).trim().to_owned()
}

// ------------------------------------------------------- install script

#[test]
fn good_checksum_installs_the_platforms_binary() {
    if !tools("good_checksum_installs_the_platforms_binary", &["curl"]) {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let rel = d.path().join("release");
    let targets = [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
    ];
    fake_release(&rel, &targets);
    let (cargo, log) = fake_cargo(d.path());
    for (os, arch, target) in [
        ("Linux", "x86_64", targets[0]),
        ("Linux", "aarch64", targets[1]),
        ("Linux", "arm64", targets[1]),
        ("Darwin", "x86_64", targets[2]),
        ("Darwin", "arm64", targets[3]),
    ] {
        let bin = d.path().join(format!("bin-{os}-{arch}"));
        let out = install_release(os, arch, &cargo, &rel, &bin);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let path = text(&out.stdout);
        assert_eq!(path.trim(), bin.join("trustlint").to_str().unwrap());
        assert_eq!(run_installed(&path), format!("trustlint 9.9.9 {target}"));
        assert!(
            text(&out.stderr).contains("verified trustlint-"),
            "{}",
            text(&out.stderr)
        );
    }
    // A file:// URL, as for an https:// one (curl).
    let bin = d.path().join("bin-url");
    let url = format!("file://{}", rel.display());
    let out = install(
        "Linux",
        "x86_64",
        &cargo,
        &[
            "--version",
            "v9.9.9",
            "--base-url",
            &url,
            "--dir",
            bin.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        run_installed(&text(&out.stdout)),
        "trustlint 9.9.9 x86_64-unknown-linux-musl"
    );
    assert!(!log.exists(), "nothing was built");
}

#[test]
fn windows_zip_installs_trustlint_exe() {
    if !tools("windows_zip_installs_trustlint_exe", &["zip", "unzip"]) {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let rel = d.path().join("release");
    fake_release(&rel, &["x86_64-pc-windows-msvc"]);
    let (cargo, _) = fake_cargo(d.path());
    let bin = d.path().join("bin");
    for os in ["MINGW64_NT-10.0-20348", "MSYS_NT-10.0"] {
        let out = install_release(os, "x86_64", &cargo, &rel, &bin);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert_eq!(
            text(&out.stdout).trim(),
            bin.join("trustlint.exe").to_str().unwrap()
        );
    }
}

#[test]
fn bad_checksum_refuses_and_installs_nothing() {
    if !tools("bad_checksum_refuses_and_installs_nothing", &[]) {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let rel = d.path().join("release");
    fake_release(&rel, &["x86_64-unknown-linux-musl"]);
    let sums = rel.join("trustlint-x86_64-unknown-linux-musl.tar.gz.sha256");
    let good = std::fs::read_to_string(&sums).unwrap();
    let (cargo, log) = fake_cargo(d.path());
    let bin = d.path().join("bin");
    let bad_hash = format!(
        "{}  trustlint-x86_64-unknown-linux-musl.tar.gz\n",
        "0".repeat(64)
    );
    // A wrong hash, an empty checksum file, and a tampered archive.
    for (sums_text, tamper) in [
        (bad_hash.as_str(), false),
        ("", false),
        (good.as_str(), true),
    ] {
        std::fs::write(&sums, sums_text).unwrap();
        if tamper {
            let a = rel.join("trustlint-x86_64-unknown-linux-musl.tar.gz");
            let mut bytes = std::fs::read(&a).unwrap();
            bytes.extend_from_slice(b"tampered");
            std::fs::write(&a, bytes).unwrap();
        }
        let out = install_release("Linux", "x86_64", &cargo, &rel, &bin);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("checksum mismatch"),
            "{}",
            text(&out.stderr)
        );
        assert_eq!(text(&out.stdout), "");
        assert!(!bin.join("trustlint").exists(), "nothing installed");
        assert!(
            !log.exists(),
            "a bad checksum is no reason to build instead"
        );
    }
}

#[test]
fn unknown_platform_falls_back_to_cargo() {
    if !tools("unknown_platform_falls_back_to_cargo", &[]) {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let rel = d.path().join("release");
    fake_release(&rel, &["x86_64-unknown-linux-musl"]);
    let (cargo, log) = fake_cargo(d.path());
    for (i, (os, arch)) in [
        ("Linux", "riscv64"),
        ("FreeBSD", "x86_64"),
        ("SunOS", "i86pc"),
    ]
    .iter()
    .enumerate()
    {
        let bin = d.path().join(format!("bin{i}"));
        let out = install(
            os,
            arch,
            &cargo,
            &[
                "--version",
                "v9.9.9",
                "--base-url",
                rel.to_str().unwrap(),
                "--dir",
                bin.to_str().unwrap(),
                "--source",
                "/src/trustlint",
            ],
        );
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{err}");
        assert!(err.contains("no release binary for"), "{err}");
        assert_eq!(
            run_installed(&text(&out.stdout)),
            "trustlint built-from-source"
        );
    }
    let calls = std::fs::read_to_string(&log).unwrap();
    let first = calls.lines().next().unwrap();
    assert!(
        first.starts_with("install --locked --path /src/trustlint --root "),
        "{first}"
    );
}

#[test]
fn missing_release_or_version_falls_back_to_cargo() {
    if !tools("missing_release_or_version_falls_back_to_cargo", &[]) {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let empty = d.path().join("no-release");
    std::fs::create_dir(&empty).unwrap();
    let (cargo, log) = fake_cargo(d.path());
    let bin = d.path().join("bin");
    let bin_s = bin.to_str().unwrap();
    // No archive for this version: built from git at that tag.
    let out = install(
        "Linux",
        "x86_64",
        &cargo,
        &[
            "--version",
            "v9.9.9",
            "--base-url",
            empty.to_str().unwrap(),
            "--dir",
            bin_s,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("cannot download"),
        "{}",
        text(&out.stderr)
    );
    // No version at all (an action used at a branch or commit): built from its source.
    let out = install(
        "Linux",
        "x86_64",
        &cargo,
        &["--dir", bin_s, "--source", "/src/x"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let calls = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = calls.lines().collect();
    assert!(
        lines[0].starts_with(
            "install --locked --git https://github.com/trustlint/trustlint --tag v9.9.9 --root "
        ) && lines[0].ends_with(" trustlint"),
        "{calls}"
    );
    assert!(
        lines[1].starts_with("install --locked --path /src/x --root "),
        "{calls}"
    );
    // No cargo to fall back on: exit 3, with what to do.
    let out = install(
        "Plan9",
        "mips",
        Path::new("/nonexistent/cargo"),
        &["--version", "v9.9.9", "--dir", bin_s],
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stderr).contains("rustup"),
        "{}",
        text(&out.stderr)
    );
    // Usage errors: exit 2.
    let out = install("Linux", "x86_64", &cargo, &["--bogus"]);
    assert_eq!(out.status.code(), Some(2));
}

// ------------------------------------------------------ the action's run

/// A `trustlint` that counts its runs in `count` and runs the real binary.
fn counting_trustlint(dir: &Path) -> (PathBuf, PathBuf) {
    let count = dir.join("runs.log");
    let wrapper = dir.join("trustlint-counting");
    std::fs::write(
        &wrapper,
        format!(
            "#!/usr/bin/env bash\necho run >> '{}'\nexec '{}' \"$@\"\n",
            count.display(),
            env!("CARGO_BIN_EXE_trustlint")
        ),
    )
    .unwrap();
    sh(dir, "chmod +x trustlint-counting");
    (wrapper, count)
}

fn action_run(dir: &Path, trustlint: &Path, inputs: &[(&str, &str)]) -> (Output, String) {
    let gh_output = dir.join("github-output");
    let _ = std::fs::remove_file(&gh_output);
    let mut cmd = Command::new("bash");
    cmd.arg(script("action-run.sh"))
        .current_dir(dir)
        .env("TRUSTLINT", trustlint)
        .env("GITHUB_OUTPUT", &gh_output)
        .env("NO_COLOR", "1");
    for (k, v) in inputs {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let outputs = std::fs::read_to_string(&gh_output).unwrap_or_default();
    (out, outputs)
}

/// `::error file=…,line=…::` — a workflow command without its message.
fn command_props(line: &str) -> String {
    line.splitn(3, "::").take(2).collect::<Vec<_>>().join("::")
}

#[test]
fn action_lints_once_and_annotates_from_the_sarif() {
    if !tools("action_lints_once_and_annotates_from_the_sarif", &["jq"]) {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            ("roles/public.json", PUBLIC),
            ("roles/root.json", ACCOUNT_ROOT),
            ("ok/clean.json", CLEAN),
        ],
    );
    let (wrapper, count) = counting_trustlint(d.path());
    // Paths separated by any white space; args empty.
    let (out, outputs) = action_run(
        d.path(),
        &wrapper,
        &[
            ("INPUT_PATHS", " roles\n  ok "),
            ("INPUT_FORMAT", "github"),
            ("INPUT_SARIF", "true"),
            ("INPUT_SARIF_FILE", "reports.sarif"),
            ("INPUT_ARGS", ""),
        ],
    );
    let stdout = text(&out.stdout);
    assert_eq!(
        std::fs::read_to_string(&count).unwrap(),
        "run\n",
        "linted once"
    );
    assert!(outputs.contains("exit-code=1\n"), "{outputs}");
    assert!(outputs.contains("sarif-file=reports.sarif\n"), "{outputs}");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.path().join("reports.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let (_, github, _) = check(d.path(), &["--format", "github", "roles", "ok"]);
    let want: Vec<String> = github.lines().map(command_props).collect();
    let got: Vec<String> = stdout.lines().map(command_props).collect();
    assert_eq!(got, want, "{stdout}");
    assert_eq!(got.len(), 4);
    assert!(stdout.contains("any AWS principal"), "{stdout}");
}

#[test]
fn sarif_annotations_decode_paths_and_escape_like_format_github() {
    if !tools("sarif_annotations_decode_paths", &["jq"]) {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            ("odd dir/rôle, 100%.json", PUBLIC),
            ("odd dir/日本.json", ACCOUNT_ROOT),
        ],
    );
    let (_, sarif, _) = check(d.path(), &["--format", "sarif", "."]);
    std::fs::write(d.path().join("r.sarif"), sarif).unwrap();
    let (_, github, _) = check(d.path(), &["--format", "github", "."]);
    let (_, concise, _) = check(d.path(), &["--format", "concise", "."]);
    for (style, want) in [("github", &github), ("concise", &concise)] {
        let out = Command::new("bash")
            .arg(script("action-run.sh"))
            .args(["--annotate", "r.sarif", style])
            .current_dir(d.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        let got = text(&out.stdout);
        if style == "github" {
            let got: Vec<String> = got.lines().map(command_props).collect();
            let want: Vec<String> = want.lines().map(command_props).collect();
            assert_eq!(got, want);
            assert!(
                want[0].contains("file=odd dir/rôle%2C 100%25.json"),
                "{want:?}"
            );
        } else {
            // Concise lines: the same findings at the same places.
            let key = |s: &str| -> Vec<String> {
                s.lines()
                    .map(|l| l.split(']').next().unwrap().to_owned())
                    .collect()
            };
            assert_eq!(key(&got), key(want), "{got}");
        }
    }
}

#[test]
fn action_without_sarif_prints_the_chosen_format_once() {
    if !tools("action_without_sarif_prints_the_chosen_format_once", &[]) {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[("public.json", PUBLIC), ("root.json", ACCOUNT_ROOT)],
    );
    let (wrapper, count) = counting_trustlint(d.path());
    // Empty paths and args (the bash 3.2 `set -u` trap), a config file,
    // extra arguments.
    write(d.path(), &[("ci.toml", "ignore = [\"TL201\"]\n")]);
    let (out, outputs) = action_run(
        d.path(),
        &wrapper,
        &[
            ("INPUT_PATHS", ""),
            ("INPUT_FORMAT", "concise"),
            ("INPUT_FAIL_ON", "error"),
            ("INPUT_CONFIG", "ci.toml"),
            ("INPUT_SARIF", "false"),
            ("INPUT_ARGS", "--ignore TL103"),
        ],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&count).unwrap(), "run\n");
    assert!(
        outputs.contains("exit-code=1\n"),
        "TL101 is an error: {outputs}"
    );
    assert!(!outputs.contains("sarif-file"), "{outputs}");
    assert!(stdout.contains("error[TL101]"), "{stdout}");
    assert!(stdout.contains("warning[TL102]"), "{stdout}");
    assert!(
        !stdout.contains("TL201") && !stdout.contains("TL103"),
        "{stdout}"
    );
    // Nothing set at all: the defaults.
    std::fs::remove_file(&count).unwrap();
    let (out, outputs) = action_run(d.path(), &wrapper, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("::"),
        "github is the default format"
    );
    assert!(outputs.contains("exit-code=1\n"), "{outputs}");
}

// ------------------------------------------- release names, kept in step

/// The release targets: built by release.yml, detected by the install
/// script (exercised above), named in the binstall metadata.
const TARGETS: [&str; 5] = [
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
];

#[test]
fn release_workflow_binstall_and_install_script_agree_on_names() {
    let text = std::fs::read_to_string(repo_root().join(".github/workflows/release.yml")).unwrap();
    let wf = yaml_to_json(&text);
    assert_eq!(wf["on"]["push"]["tags"], serde_json::json!(["v*"]));
    let targets: Vec<&str> = wf["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["target"].as_str().unwrap())
        .collect();
    assert_eq!(targets, TARGETS);
    let steps = wf["jobs"]["build"]["steps"].as_array().unwrap();
    let pack = steps.iter().find(|s| s["id"] == "pack").unwrap()["run"]
        .as_str()
        .unwrap();
    for want in [
        "name=\"trustlint-$TARGET\"",
        "archive=\"$name.tar.gz\"",
        "archive=\"$name.zip\"",
        "sha256sum \"$archive\" > \"$archive.sha256\"",
        "LICENSE-MIT LICENSE-APACHE",
    ] {
        assert!(pack.contains(want), "{want}");
    }
    let release = wf["jobs"]["release"]["steps"].to_string();
    assert!(release.contains("gh release create"), "{release}");
    assert!(release.contains("SHA256SUMS"), "{release}");

    // cargo-binstall's templates, rendered as it renders them.
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(repo_root().join("Cargo.toml")).unwrap()).unwrap();
    let package = manifest["package"].as_table().unwrap();
    let meta = package["metadata"]["binstall"].as_table().unwrap();
    let version = package["version"].as_str().unwrap();
    let repo = package["repository"].as_str().unwrap();
    for target in TARGETS {
        let windows = target.contains("windows");
        let over = meta
            .get("overrides")
            .and_then(|o| o.get(target))
            .and_then(|o| o.as_table());
        let get = |key: &str| {
            over.and_then(|o| o.get(key))
                .or_else(|| meta.get(key))
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        };
        let render = |t: String| {
            t.replace("{ repo }", repo)
                .replace("{ version }", version)
                .replace("{ name }", "trustlint")
                .replace("{ target }", target)
                .replace("{ bin }", "trustlint")
                .replace("{ binary-ext }", if windows { ".exe" } else { "" })
        };
        let archive = if windows {
            format!("trustlint-{target}.zip")
        } else {
            format!("trustlint-{target}.tar.gz")
        };
        assert_eq!(
            render(get("pkg-url")),
            format!("{repo}/releases/download/v{version}/{archive}")
        );
        assert_eq!(get("pkg-fmt"), if windows { "zip" } else { "tgz" });
        assert_eq!(
            render(get("bin-dir")),
            format!(
                "trustlint-{target}/trustlint{}",
                if windows { ".exe" } else { "" }
            )
        );
    }
    // The install script downloads the same names.
    let install = std::fs::read_to_string(script("install-trustlint.sh")).unwrap();
    assert!(install.contains("archive=\"trustlint-$target.tar.gz\""));
    assert!(install.contains("archive=\"trustlint-$target.zip\""));
    assert!(install.contains("$repo_url/releases/download/$version"));
    assert!(install.contains("bin=\"$work/unpacked/trustlint-$target/trustlint$exe\""));
}

// ------------------------------------------------ the prebuilt pre-commit hook

#[test]
fn prebuilt_hook_downloads_once_then_runs_from_the_cache() {
    if !tools("prebuilt_hook_downloads_once_then_runs_from_the_cache", &[]) {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let rel = d.path().join("release");
    // The release "binary" runs this build of trustlint.
    let target = "x86_64-unknown-linux-musl";
    let stage = rel.join(format!("trustlint-{target}"));
    std::fs::create_dir_all(&stage).unwrap();
    std::fs::write(
        stage.join("trustlint"),
        format!(
            "#!/bin/sh\nexec '{}' \"$@\"\n",
            env!("CARGO_BIN_EXE_trustlint")
        ),
    )
    .unwrap();
    sh(&rel, &format!("chmod +x trustlint-{target}/trustlint && tar -czf trustlint-{target}.tar.gz trustlint-{target} && rm -r trustlint-{target}"));
    let archive = rel.join(format!("trustlint-{target}.tar.gz"));
    std::fs::write(
        rel.join(format!("trustlint-{target}.tar.gz.sha256")),
        format!("{}  trustlint-{target}.tar.gz\n", sha256(&archive)),
    )
    .unwrap();
    write(
        d.path(),
        &[("repo/public.json", PUBLIC), ("repo/ok.json", CLEAN)],
    );
    let (cargo, log) = fake_cargo(d.path());
    let cache = d.path().join("cache");
    let hook = |files: &[&str]| {
        Command::new("bash")
            .arg(script("pre-commit-prebuilt.sh"))
            .arg("check")
            .args(files)
            .current_dir(d.path().join("repo"))
            .env("TRUSTLINT_VERSION", "v9.9.9")
            .env("TRUSTLINT_BASE_URL", &rel)
            .env("TRUSTLINT_CACHE_DIR", &cache)
            .env("TRUSTLINT_OS", "Linux")
            .env("TRUSTLINT_ARCH", "x86_64")
            .env("TRUSTLINT_CARGO", &cargo)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let out = hook(&["public.json", "ok.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("error[TL101] public-trust"));
    assert!(cache.join("v9.9.9/trustlint").is_file());
    // The second commit needs no release at all.
    std::fs::remove_dir_all(&rel).unwrap();
    let out = hook(&["ok.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("verified"), "from the cache");
    assert!(!log.exists(), "nothing was built");
}

// ------------------------------------------------------------ Dockerfile

/// No Docker engine runs here: this checks what can be checked without
/// one — the stages, the non-root user, and that the build context holds
/// every file the compile reads (`include_str!` included).
#[test]
fn dockerfile_stages_user_and_build_context() {
    let text = std::fs::read_to_string(repo_root().join("Dockerfile")).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#'))
        .collect();
    let froms: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with("FROM "))
        .collect();
    assert_eq!(froms.len(), 2, "a builder and a runtime stage");
    assert!(
        lines[froms[0]].contains("rust:") && lines[froms[0]].ends_with("-alpine AS build"),
        "{}",
        lines[froms[0]]
    );
    assert!(
        lines[froms[1]].starts_with("FROM gcr.io/distroless/static"),
        "{}",
        lines[froms[1]]
    );
    let runtime = &lines[froms[1]..];
    let user = runtime
        .iter()
        .find_map(|l| l.strip_prefix("USER "))
        .expect("the runtime stage names its user");
    assert!(!["root", "0", "0:0", "root:root"].contains(&user), "{user}");
    assert!(runtime.contains(&"ENTRYPOINT [\"/usr/local/bin/trustlint\"]"));
    assert!(runtime.contains(&"COPY --from=build /trustlint /usr/local/bin/trustlint"));
    assert!(text.contains("cargo build --release --locked"));

    // The context: every COPY source exists and is not ignored.
    let ignored: Vec<String> = std::fs::read_to_string(repo_root().join(".dockerignore"))
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect();
    for big in ["target", ".git", "fuzz"] {
        assert!(
            ignored.iter().any(|i| i == big),
            "{big} is kept out of the context"
        );
    }
    let mut copied = Vec::new();
    for l in &lines {
        if let Some(rest) = l.strip_prefix("COPY ") {
            if rest.starts_with("--from") {
                continue;
            }
            let words: Vec<&str> = rest.split_whitespace().collect();
            for src in &words[..words.len() - 1] {
                assert!(repo_root().join(src).exists(), "{src}");
                assert!(!ignored.iter().any(|i| i == src), "{src} is ignored");
                copied.push(src.to_string());
            }
        }
    }
    for want in [
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "src",
        "rules",
        "benches",
    ] {
        assert!(copied.iter().any(|c| c == want), "{want} is copied");
    }
    // Files the compiler reads through include_str!: under a copied folder.
    let re = regex::Regex::new(r#"include_(?:str|bytes)!\("([^"]+)"\)"#).unwrap();
    let mut stack = vec![repo_root().join("src")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let Ok(src) = std::fs::read_to_string(&p) else {
                continue;
            };
            for cap in re.captures_iter(&src) {
                let target = p.parent().unwrap().join(&cap[1]);
                let rel = target.canonicalize().unwrap();
                let rel = rel
                    .strip_prefix(repo_root().canonicalize().unwrap())
                    .unwrap();
                let top = rel
                    .components()
                    .next()
                    .unwrap()
                    .as_os_str()
                    .to_string_lossy();
                assert!(
                    copied.iter().any(|c| c == top.as_ref()),
                    "{} reads {}, which the image does not copy",
                    p.display(),
                    rel.display()
                );
            }
        }
    }
}
