//! The README promises that `trustlint check examples/` shows every rule.

use std::collections::BTreeSet;
use std::path::PathBuf;

#[test]
fn examples_trigger_every_rule() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    let (inputs, errors) = trustlint::discover::discover(&[root], &globset::GlobSet::empty());
    assert!(errors.is_empty(), "{errors:?}");
    let report = trustlint::lint(&inputs, &trustlint::Settings::default(), 2);
    assert_eq!(report.errors().count(), 0);
    let found: BTreeSet<&str> = report.diagnostics().map(|(_, d)| d.rule.id).collect();
    let all: BTreeSet<&str> = trustlint::rules::RULES.iter().map(|r| r.id).collect();
    let missing: Vec<_> = all.difference(&found).collect();
    assert!(missing.is_empty(), "rules no example triggers: {missing:?}");
}

#[test]
fn parallel_walk_finds_the_same_inputs_in_the_same_order() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    let one =
        trustlint::discover::discover(std::slice::from_ref(&root), &globset::GlobSet::empty());
    let exclude = trustlint::discover::Exclude::default();
    for threads in [2, 4] {
        let many =
            trustlint::discover::discover_parallel(std::slice::from_ref(&root), &exclude, threads);
        let shown = |inputs: &[trustlint::lint::Input]| -> Vec<String> {
            inputs.iter().map(|i| i.display.clone()).collect()
        };
        assert_eq!(shown(&one.0), shown(&many.0), "{threads} threads");
        assert_eq!(one.1, many.1);
    }
    assert!(one.0.len() > 20);
}
