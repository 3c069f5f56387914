//! Robustness over the third-party corpus in `../shared/corpus` (7,740 real
//! templates, Terraform sources, plans, exports and policies): no panic, no
//! internal error, and no TL001 on a JSON file that an independent parser
//! (serde_json) accepts. Skips with a visible message when the corpus is
//! absent (a fresh clone has no `../shared`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use trustlint::lint::FileStatus;

mod common;

fn corpus(test: &str) -> Option<PathBuf> {
    common::shared("corpus", test)
}

#[test]
fn corpus_lints_without_errors() {
    let Some(root) = corpus("corpus_lints_without_errors") else {
        return;
    };
    let (inputs, walk_errors) = trustlint::discover::discover(&[root], &globset::GlobSet::empty());
    assert!(walk_errors.is_empty(), "{walk_errors:?}");
    assert!(
        inputs.len() > 7000,
        "corpus looks incomplete: {} files",
        inputs.len()
    );
    let report = trustlint::lint(&inputs, &trustlint::Settings::default(), 2);
    let errors: Vec<_> = report.errors().collect();
    assert!(errors.is_empty(), "internal errors: {errors:#?}");
    let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
    let mut wrong_tl001 = Vec::new();
    for (f, d) in report.diagnostics() {
        *per_rule.entry(d.rule.id).or_default() += 1;
        if d.rule.id == "TL001"
            && f.source.path.ends_with(".json")
            && serde_json::from_str::<serde_json::Value>(&f.source.text).is_ok()
        {
            wrong_tl001.push(f.source.path.clone());
        }
    }
    eprintln!(
        "corpus: {} files scanned, {} skipped; findings per rule: {per_rule:?}",
        report.files_scanned(),
        report.files_skipped()
    );
    assert!(
        wrong_tl001.is_empty(),
        "TL001 on valid JSON: {wrong_tl001:#?}"
    );
    assert!(
        report
            .files
            .iter()
            .all(|f| !matches!(f.status, FileStatus::Error(_))),
        "no file may end in an internal error"
    );
}
