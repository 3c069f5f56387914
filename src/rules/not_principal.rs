//! TL104: `NotPrincipal` with `Allow`, or anywhere in a trust policy.
//!
//! `Allow` + `NotPrincipal` grants everyone except the listed principals,
//! anonymous callers included; IAM rejects `NotPrincipal` in role trust
//! policies outright (research/anchors.md §5.7).

use super::{Check, DocCtx, Rule};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::policy::{DocKind, Effect};

pub static RULE: Rule = Rule::new(
    &RuleMeta {
        id: "TL104",
        name: "not-principal",
        severity: Severity::Error,
        summary: "`Allow` with `NotPrincipal` in any policy, or `NotPrincipal` anywhere in a role trust policy",
        help: Some("use `Principal` with the principals that need access; to exclude principals, use a Deny with an ArnNotEquals aws:PrincipalArn condition"),
    },
    Check::Document(check),
);

fn check(cx: &mut DocCtx<'_>) {
    let mut found = Vec::new();
    for s in &cx.policy.statements {
        let Some(np) = &s.not_principal else { continue };
        let msg = if cx.kind == DocKind::Trust {
            format!("the trust policy of {} uses `NotPrincipal`, which IAM rejects in role trust policies", cx.subject())
        } else if s.effect == Effect::Allow {
            format!("{} allows every principal except those listed in `NotPrincipal`, anonymous callers included", cx.subject())
        } else {
            continue;
        };
        // A principal rule: once per offending value (SPEC §2, "How many
        // diagnostics"); an unresolved or empty block is reported once.
        if np.items.is_empty() {
            found.push(
                Diagnostic::new(&RULE, np.entry.key_span, msg)
                    .label("NotPrincipal")
                    .subject("not-principal"),
            );
            continue;
        }
        for p in &np.items {
            let value = p.value.map(crate::tree::display).unwrap_or_default();
            found.push(
                Diagnostic::new(&RULE, p.node.span, msg.clone())
                    .label("excluded principal")
                    .secondary(np.entry.key_span, "NotPrincipal")
                    .subject(format!("not-principal {value}")),
            );
        }
    }
    for d in found {
        cx.report(d);
    }
}
