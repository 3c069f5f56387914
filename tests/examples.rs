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
