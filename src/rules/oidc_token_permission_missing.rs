//! TL604: a GitHub Actions job that assumes a role through OIDC without
//! the permission to get a token.
//!
//! configure-aws-credentials needs `permissions: id-token: write` on the
//! job or the workflow; a `permissions:` block that lists others drops it,
//! and the default token has none. A composite action, or a reusable
//! workflow without permissions of its own, gets them from its caller:
//! unknown, not reported.

use super::{Check, FactCtx, Rule};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::extract::FactKind;

pub static RULE: Rule = Rule::new(
    &RuleMeta {
        id: "TL604",
        name: "oidc-token-permission-missing",
        severity: Severity::Warning,
        summary: "a GitHub Actions job that uses role-to-assume where neither the job nor the workflow grants id-token: write",
        help: Some("add `permissions: { id-token: write, contents: read }` to the job"),
    },
    Check::Fact(check),
);

fn check(cx: &mut FactCtx<'_>) {
    if cx.fact.kind != FactKind::NoIdToken {
        return;
    }
    let d = Diagnostic::new(
        &RULE,
        cx.fact.span,
        format!(
            "{} assumes a role through OIDC, but neither its job nor the workflow grants `id-token: write`",
            cx.fact.context
        ),
    )
    .label("no OIDC token for this step")
    .subject("no-id-token");
    cx.report(d);
}
