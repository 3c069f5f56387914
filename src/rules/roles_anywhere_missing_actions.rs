//! TL406: an IAM Roles Anywhere trust without the actions it needs.
//!
//! Roles Anywhere calls `sts:AssumeRole`, `sts:SetSourceIdentity` and
//! `sts:TagSession`; without all three, sessions fail
//! (research/iam-reference.md §2.1).

use super::{Check, DocCtx, Rule};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::policy::principal::Class;
use crate::policy::{DocKind, Effect};

pub static RULE: Rule = Rule::per_statement(
    &RuleMeta {
        id: "TL406",
        name: "roles-anywhere-missing-actions",
        severity: Severity::Error,
        summary: "a rolesanywhere.amazonaws.com trust without sts:AssumeRole, sts:SetSourceIdentity and sts:TagSession",
        help: Some("grant [\"sts:AssumeRole\", \"sts:SetSourceIdentity\", \"sts:TagSession\"] to rolesanywhere.amazonaws.com"),
    },
    Check::Document(check),
);

const NEEDED: &[(&str, &str)] = &[
    ("sts:assumerole", "sts:AssumeRole"),
    ("sts:setsourceidentity", "sts:SetSourceIdentity"),
    ("sts:tagsession", "sts:TagSession"),
];

fn check(cx: &mut DocCtx<'_>) {
    if cx.kind != DocKind::Trust {
        return;
    }
    // IAM authorises each action against the whole policy, so the actions
    // may be split across statements: what matters is their union. The
    // finding goes on the first statement that trusts Roles Anywhere.
    let policy = cx.policy;
    let mut first = None;
    let mut covered = [false; NEEDED.len()];
    for s in &policy.statements {
        if s.effect != Effect::Allow {
            continue;
        }
        let Some(p) = s
            .principals()
            .find(|p| matches!(&p.class, Class::Service(n) if n == "rolesanywhere.amazonaws.com"))
        else {
            continue;
        };
        // Unresolved actions: no guess.
        if s.action
            .as_ref()
            .is_some_and(|a| a.items.iter().any(|(_, lc)| lc.is_none()))
        {
            return;
        }
        for (c, (lc, _)) in covered.iter_mut().zip(NEEDED) {
            *c |= s.covers_action(lc);
        }
        first.get_or_insert((s, p));
    }
    let Some((s, p)) = first else { return };
    let missing: Vec<&str> = NEEDED
        .iter()
        .zip(covered)
        .filter(|(_, c)| !c)
        .map(|((_, pretty), _)| *pretty)
        .collect();
    if missing.is_empty() {
        return;
    }
    // The action list that lacks the actions; for `NotAction`, the key.
    let span = match (&s.action, &s.not_action) {
        (Some(a), _) => a.entry.value.span,
        (None, Some(na)) => na.entry.key_span,
        (None, None) => p.node.span,
    };
    let d = Diagnostic::new(
        &RULE,
        span,
        format!(
            "{} trusts IAM Roles Anywhere but does not grant {}: sessions will fail",
            cx.subject(),
            missing.join(", ")
        ),
    )
    .label(format!("missing {}", missing.join(", ")))
    .secondary(p.node.span, "Roles Anywhere")
    .subject("roles-anywhere-actions");
    cx.report(d);
}
