//! Terraform / plan / export figures over the third-party corpus in
//! `../shared/corpus`: files and documents per format, findings per rule
//! and format, TL001 per format. Ignored by default (it prints a report;
//! `tests/corpus.rs` holds the assertions that run everywhere):
//!
//! ```sh
//! cargo test --release --test corpus_terraform -- --ignored --nocapture
//! ```

#![allow(clippy::unwrap_used)] // tests: a panic is a failure

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod common;

use trustlint::extract::{export, plan, tf_json};
use trustlint::lint::FileStatus;
use trustlint::source::SourceFile;

fn format_of(path: &Path, text: &str) -> Option<&'static str> {
    let name = path.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".tf") {
        return Some("terraform");
    }
    if !name.ends_with(".json") {
        return None;
    }
    let root = trustlint::load::json::parse(text).ok()?;
    if trustlint::extract::raw::is_raw_policy(&root) || trustlint::extract::cfn::is_template(&root)
    {
        None
    } else if plan::is_plan(&root) {
        Some("plan")
    } else if export::is_export(&root) {
        Some("export")
    } else if tf_json::is_tf_json(&root, path) {
        Some("tf.json")
    } else {
        None
    }
}

#[test]
#[ignore = "prints corpus figures; run with --ignored --nocapture"]
fn terraform_plan_export_figures() {
    let Some(root) = common::shared("corpus", "terraform_plan_export_figures") else {
        return;
    };
    let (inputs, _) =
        trustlint::discover::discover(std::slice::from_ref(&root), &globset::GlobSet::empty());
    // Documents and settings per format, by extraction.
    let mut files: BTreeMap<&str, usize> = BTreeMap::new();
    let mut docs: BTreeMap<&str, usize> = BTreeMap::new();
    let mut settings: BTreeMap<&str, usize> = BTreeMap::new();
    let mut format_by_path: BTreeMap<String, &str> = BTreeMap::new();
    let mut modules: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for i in &inputs {
        let Ok(bytes) = std::fs::read(&i.path) else {
            continue;
        };
        let Ok(text) = trustlint::load::decode::decode(&bytes) else {
            continue;
        };
        let Some(fmt) = format_of(&i.path, &text) else {
            continue;
        };
        *files.entry(fmt).or_default() += 1;
        format_by_path.insert(i.display.clone(), fmt);
        if fmt == "terraform" {
            modules
                .entry(i.path.parent().unwrap().to_path_buf())
                .or_default()
                .push(i.path.clone());
        } else {
            let f = trustlint::lint::format_for(&i.path, &text);
            if let Ok(ex) = trustlint::lint::parse_and_extract(&i.path, &text, f) {
                *docs.entry(fmt).or_default() += ex.docs.len();
                *settings.entry(fmt).or_default() += ex.settings.len();
            }
        }
    }
    for paths in modules.values() {
        let srcs: Vec<(Arc<SourceFile>, bool)> = paths
            .iter()
            .filter_map(|p| {
                let t = trustlint::load::decode::decode(&std::fs::read(p).ok()?).ok()?;
                Some((Arc::new(SourceFile::new(p.to_string_lossy(), t)), true))
            })
            .collect();
        let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| e.to_string());
        for ex in trustlint::extract::extract_hcl_module(&srcs, Some(&read))
            .into_iter()
            .flatten()
        {
            *docs.entry("terraform").or_default() += ex.docs.len();
            *settings.entry("terraform").or_default() += ex.settings.len();
        }
    }
    // Findings per format and rule, through the real driver.
    let report = trustlint::lint(&inputs, &trustlint::Settings::default(), 2);
    let mut findings: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (f, d) in report.diagnostics() {
        if let Some(fmt) = format_by_path.get(&f.source.path) {
            *findings.entry((fmt, d.rule.id)).or_default() += 1;
        }
    }
    let errors = report
        .files
        .iter()
        .filter(|f| matches!(f.status, FileStatus::Error(_)))
        .count();
    eprintln!("format     files  documents  settings");
    for (fmt, n) in &files {
        eprintln!(
            "{fmt:<10} {n:>5}  {:>9}  {:>8}",
            docs.get(fmt).unwrap_or(&0),
            settings.get(fmt).unwrap_or(&0)
        );
    }
    eprintln!("findings per format and rule:");
    for ((fmt, rule), n) in &findings {
        eprintln!("  {fmt:<10} {rule} {n}");
    }
    eprintln!("internal errors: {errors}");
    assert_eq!(errors, 0);
}
