//! TL502: an identity policy that allows `sts:GetFederationToken` on `*`.
//!
//! Federation tokens last up to 36 hours and can be requested under any
//! federated-user name; scope the resource to the names the holder needs.

use super::assume_any_role::{allows_sts, any_resource};
use super::{Check, DocCtx, Rule};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::policy::{DocKind, Effect};

pub static RULE: Rule = Rule::per_statement(
    &RuleMeta {
        id: "TL502",
        name: "unscoped-federation-token",
        severity: Severity::Warning,
        summary: "an identity policy that allows sts:GetFederationToken on Resource \"*\"",
        help: Some("scope the resource to arn:aws:sts::ACCOUNT:federated-user/NAME for the names this identity needs"),
    },
    Check::Document(check),
);

fn check(cx: &mut DocCtx<'_>) {
    if cx.kind != DocKind::Identity {
        return;
    }
    let mut found = Vec::new();
    for s in &cx.policy.statements {
        // A statement that never applies allows nothing (TL204 says why).
        if s.effect != Effect::Allow
            || !allows_sts(s, "sts:getfederationtoken")
            || s.never_applies()
        {
            continue;
        }
        let Some(res) = any_resource(s, false) else {
            continue;
        };
        found.push(
            Diagnostic::new(
                &RULE,
                res.span,
                format!(
                    "{} allows sts:GetFederationToken for any federated-user name",
                    cx.subject()
                ),
            )
            .label("any federated user")
            .subject("federation-token"),
        );
    }
    for d in found {
        cx.report(d);
    }
}
