//! Rule fixtures: `tests/fixtures/<rule-name>/{fail,pass}-<what>.<ext>`.
//!
//! Every fixture, whatever its format (`.json`, `.yaml`, `.yml`,
//! `.template`, `.tf`, `.tf.json`), is linted with the default settings.
//! A `fail-*` file must report the folder's rule at least once; a `pass-*`
//! file must never report it (other rules may fire: fixtures are realistic
//! policies, and the snapshot shows everything). The findings are
//! snapshotted as `RULE line:col message`, one per line, under
//! `tests/snapshots/`; review new snapshots by hand — the position must be
//! the offending token.
//!
//! To add a fixture, drop the file in its rule's folder and run
//! `INSTA_UPDATE=always cargo test --test fixtures` (or `cargo insta test`),
//! then review the new `.snap` file.

#![allow(clippy::unwrap_used)] // tests: a panic is a failure

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use trustlint::lint::FileStatus;
use trustlint::rules::{RuleMeta, RULES};
use trustlint::{lint_text, Settings};

const EXTENSIONS: &[&str] = &[".json", ".yaml", ".yml", ".template", ".tf", ".tf.json"];

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn rule_for_folder(folder: &str) -> &'static RuleMeta {
    RULES
        .iter()
        .copied()
        .find(|r| r.name == folder)
        .unwrap_or_else(|| panic!("tests/fixtures/{folder} is not named after a registered rule"))
}

/// `parse-error/fail-trailing-comma.json`
fn display_name(path: &Path) -> String {
    let rel = path.strip_prefix(fixtures_dir()).unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

fn render(path: &Path) -> (String, Vec<&'static str>) {
    let text = std::fs::read_to_string(path).unwrap();
    let report = lint_text(&display_name(path), &text, &Settings::default());
    let mut out = String::new();
    match &report.status {
        FileStatus::Scanned => {}
        FileStatus::Skipped(why) => writeln!(out, "skipped: {why}").unwrap(),
        FileStatus::Error(why) => writeln!(out, "error: {why}").unwrap(),
    }
    for d in &report.diagnostics {
        let p = report.source.position(d.primary.span.start as usize);
        writeln!(out, "{} {}:{} {}", d.rule.id, p.line, p.column, d.message).unwrap();
    }
    let ids = report.diagnostics.iter().map(|d| d.rule.id).collect();
    (out, ids)
}

#[test]
fn fixtures() {
    insta::glob!("fixtures/*/*", |path| {
        if !path.is_file() {
            return;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let folder = path
            .parent()
            .and_then(Path::file_name)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let rule = rule_for_folder(&folder);
        assert!(
            EXTENSIONS.iter().any(|e| name.ends_with(e)),
            "{folder}/{name}: fixtures must be .json, .yaml, .yml, .template, .tf or .tf.json"
        );
        let (out, ids) = render(path);
        if name.starts_with("fail-") {
            assert!(
                ids.contains(&rule.id),
                "{folder}/{name} must report {} ({}), got:\n{out}",
                rule.id,
                rule.name
            );
        } else if name.starts_with("pass-") {
            assert!(
                !ids.contains(&rule.id),
                "{folder}/{name} must not report {} ({}), got:\n{out}",
                rule.id,
                rule.name
            );
        } else {
            panic!("{folder}/{name}: fixture names start with fail- or pass-");
        }
        insta::assert_snapshot!(out);
    });
}

/// Every rule has realistic raw-JSON fixtures on both sides.
#[test]
fn every_rule_has_fixtures() {
    let mut missing = Vec::new();
    for r in RULES {
        // The rules of places where credentials are requested have their
        // cases in tests/credentials/ (tests/credentials.rs).
        if Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/credentials")
            .join(r.name)
            .is_dir()
        {
            continue;
        }
        let dir = fixtures_dir().join(r.name);
        let names: Vec<String> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        let count = |prefix: &str| {
            names
                .iter()
                .filter(|n| {
                    n.starts_with(prefix) && n.ends_with(".json") && !n.ends_with(".tf.json")
                })
                .count()
        };
        if count("fail-") < 2 || count("pass-") < 2 {
            missing.push(format!(
                "{} ({}): {} fail and {} pass JSON fixtures, need 2 of each",
                r.id,
                r.name,
                count("fail-"),
                count("pass-")
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
