//! TL503: a trust statement granting `*`, `sts:*` or using `NotAction`.
//!
//! The trusted principal gets every STS action on the role, including the
//! session-tagging and source-identity actions, now and in future.

use super::{Check, DocCtx, Rule};
use crate::analysis::is_trust_statement;
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};

pub static RULE: Rule = Rule::per_statement(
    &RuleMeta {
        id: "TL503",
        name: "broad-trust-actions",
        severity: Severity::Warning,
        summary: "a trust statement with Action \"*\", \"sts:*\", or NotAction",
        help: Some("grant only the assume action the principal uses (plus sts:TagSession or sts:SetSourceIdentity if needed)"),
    },
    Check::Document(check),
);

fn check(cx: &mut DocCtx<'_>) {
    let mut found = Vec::new();
    for s in &cx.policy.statements {
        if !is_trust_statement(cx.kind, s) {
            continue;
        }
        if let Some(na) = &s.not_action {
            found.push(
                Diagnostic::new(
                    &RULE,
                    na.entry.key_span,
                    format!(
                        "{} grants every action except those in `NotAction`",
                        cx.subject()
                    ),
                )
                .label("NotAction")
                .subject("not-action"),
            );
            continue;
        }
        let Some(a) = &s.action else { continue };
        if let Some((n, lc)) = a
            .items
            .iter()
            .find(|(_, lc)| matches!(lc.as_deref(), Some("*" | "sts:*")))
        {
            found.push(
                Diagnostic::new(
                    &RULE,
                    n.span,
                    format!(
                        "{} grants `{}` to its trusted principals",
                        cx.subject(),
                        lc.as_deref().unwrap_or("*")
                    ),
                )
                .label("every action")
                .subject(format!("action {}", lc.as_deref().unwrap_or("*"))),
            );
        }
    }
    for d in found {
        cx.report(d);
    }
}
