//! TL004: a suppression that cannot be trusted to mean what it says.
//!
//! Reported by the driver (`suppress::resolve`), not by a check: a
//! `# trustlint:ignore` comment (or template metadata) without a reason,
//! one that names an unknown rule, a malformed directive, or one that
//! silences nothing (its finding was fixed, or it sits on the wrong line).
//! Suppressions of rules that are not enabled for the file are never
//! called unused: whether they would silence something is unknown.
//!
//! Severity (SPEC §5): a suppression without a reason is a warning, so a
//! default `--fail-on warning` gate fails on an unexplained silence; the
//! others are notes. The registry holds the higher of the two; `[severity]
//! TL004` in the configuration overrides both.

use super::{Check, Rule};
use crate::diagnostic::{RuleMeta, Severity};

pub static RULE: Rule = Rule::new(
    &RuleMeta {
        id: "TL004",
        name: "invalid-suppression",
        severity: Severity::Warning,
        summary:
            "a suppression without a reason (warning), or one naming an unknown rule, malformed, or silencing nothing (note)",
        help: Some("give the reason after the rule list, or remove the suppression"),
    },
    Check::Driver,
);

#[cfg(test)]
mod tests {
    use crate::settings::Settings;

    fn rules(text: &str) -> Vec<&'static str> {
        crate::lint::lint_text("t.yaml", text, &Settings::default())
            .diagnostics
            .iter()
            .map(|d| d.rule.id)
            .collect()
    }

    #[test]
    fn fails() {
        assert_eq!(
            rules("a: 1 # trustlint:ignore TL102\n"),
            vec!["TL004", "TL004"]
        );
        assert_eq!(rules("# trustlint:ignore-file\n"), vec!["TL004"]);
        assert_eq!(rules("a: 1 # trustlint:ignore TL999 why\n"), vec!["TL004"]);
    }

    #[test]
    fn passes() {
        assert!(rules("a: 1 # an ordinary comment\n").is_empty());
        assert!(rules("a: \"# trustlint:ignore TL102\"\n").is_empty());
    }
}
