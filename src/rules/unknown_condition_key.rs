//! TL204: a condition key that does not exist, or is never present.
//!
//! `aws:`, `sts:`, `saml:` and known web-identity provider keys are checked
//! against the tables in research/iam-reference.md §1–3; a key outside them
//! is most likely a typo, and a condition on a missing key never matches.
//! `sts:DurationSeconds` is never present for `sts:AssumeRole*`.
//!
//! A positive condition on such a key is never true, so its statement
//! applies to no request ([`crate::policy::Statement::never_applies`]):
//! the rules about what a grant lets in skip it, and TL204 is its only
//! finding (SPEC §2; docs/decisions.md).

use super::{Check, DocCtx, Rule};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::policy::AbsentKey;

pub static RULE: Rule = Rule::new(
    &RuleMeta {
        id: "TL204",
        name: "unknown-condition-key",
        severity: Severity::Warning,
        summary: "an aws: / sts: / SAML: / provider condition key that does not exist, or one never present for the granted actions",
        help: Some("check the key's spelling against the IAM condition key reference"),
    },
    Check::Document(check),
);

fn check(cx: &mut DocCtx<'_>) {
    let mut found = Vec::new();
    for s in cx.policy.condition_statements() {
        for c in &s.conditions {
            let msg = match s.absent_key(c) {
                Some(AbsentKey::Unknown) => {
                    format!("condition key `{}` in {} does not exist", c.key, cx.subject())
                }
                Some(AbsentKey::NeverPresent) => format!(
                    "`sts:DurationSeconds` in {} is never present for sts:AssumeRole*, so this condition never matches",
                    cx.subject()
                ),
                None => continue,
            };
            found.push(
                Diagnostic::new(&RULE, c.key_span, msg)
                    .label("no such key in the request")
                    .subject(format!("key {}", c.key_lc)),
            );
        }
    }
    for d in found {
        cx.report(d);
    }
}
