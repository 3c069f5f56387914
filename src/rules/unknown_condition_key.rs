//! TL204: a condition key that does not exist, or is never present.
//!
//! `aws:`, `sts:`, `saml:` and known web-identity provider keys are checked
//! against the tables in research/iam-reference.md §1–3; a key outside them
//! is most likely a typo, and a condition on a missing key never matches.
//! `sts:DurationSeconds` is never present for `sts:AssumeRole*`.

use super::{Check, DocCtx, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::policy::condition::{key_status, KeyStatus};
use crate::policy::ASSUME_ACTIONS;

pub static RULE: RuleMeta = RuleMeta {
    id: "TL204",
    name: "unknown-condition-key",
    severity: Severity::Warning,
    summary: "an aws: / sts: / SAML: / provider condition key that does not exist, or one never present for the granted actions",
    help: Some("check the key's spelling against the IAM condition key reference"),
    check: Check::Document(check),
};

fn check(cx: &mut DocCtx<'_>) {
    let mut found = Vec::new();
    for s in &cx.policy.statements {
        let only_assume = s.action.as_ref().is_some_and(|a| {
            !a.items.is_empty()
                && a.items.iter().all(|(_, lc)| {
                    lc.as_deref().is_some_and(|l| {
                        // The role-scoped actions of a trust statement
                        // (research/iam-reference.md §2.1): none carries
                        // sts:DurationSeconds.
                        ASSUME_ACTIONS.contains(&l)
                            || l == "sts:tagsession"
                            || l == "sts:setsourceidentity"
                            || l == "sts:setcontext"
                    })
                })
        });
        for c in &s.conditions {
            let msg = match key_status(c.key) {
                KeyStatus::Unknown => format!("condition key `{}` in {} does not exist", c.key, cx.subject()),
                KeyStatus::Known { .. } if c.key_lc == "sts:durationseconds" && only_assume => format!(
                    "`sts:DurationSeconds` in {} is never present for sts:AssumeRole*, so this condition never matches",
                    cx.subject()
                ),
                _ => continue,
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
