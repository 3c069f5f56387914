//! TL602: a CI job that configures long-lived access keys instead of
//! assuming a role through OIDC.
//!
//! configure-aws-credentials `aws-access-key-id` from `secrets.`/`vars.`,
//! or `AWS_ACCESS_KEY_ID` from stored secrets or CI variables in `env:` /
//! `variables:`. Keys passed on from an earlier credentials step's outputs
//! or `env.` are temporary, not reported.

use super::{Check, FactCtx, Rule};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::extract::FactKind;

pub static RULE: Rule = Rule::new(
    &RuleMeta {
        id: "TL602",
        name: "static-ci-credentials",
        severity: Severity::Warning,
        summary: "a CI job that configures long-lived access keys instead of assuming a role through OIDC",
        help: Some("assume a role through OIDC (role-to-assume with id-token: write) and delete the stored keys"),
    },
    Check::Fact(check),
);

fn check(cx: &mut FactCtx<'_>) {
    let FactKind::StaticKeys { from } = &cx.fact.kind else {
        return;
    };
    let d = Diagnostic::new(
        &RULE,
        cx.fact.span,
        format!(
            "{} configures long-lived access keys from `{from}` instead of assuming a role through OIDC",
            cx.fact.context
        ),
    )
    .label("long-lived keys")
    .subject(format!("static-keys {from}"));
    cx.report(d);
}
