//! TL401: web-identity trust with no condition on the identifying claim.
//!
//! Shared issuers sign tokens for everyone: without a `sub` condition
//! (GitHub, GitLab, EKS, …) or `aud` (Cognito, Google; `app_id` for
//! Facebook and Amazon), any tenant of the provider can assume the role
//! (research/iam-reference.md §3.2).

use super::{Check, DocCtx, RuleMeta};
use crate::analysis::{claim_conditions, is_trust_statement, web_identity_provider};
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "TL401",
    name: "unrestricted-web-identity",
    severity: Severity::Error,
    summary: "an OIDC federated trust with no condition on the provider's identifying key (sub, or aud for Cognito/Google/Facebook/Amazon)",
    help: None,
    check: Check::Document(check),
};

fn check(cx: &mut DocCtx<'_>) {
    let mut found = Vec::new();
    for s in &cx.policy.statements {
        if !is_trust_statement(cx.kind, s) {
            continue;
        }
        for p in s.principals() {
            let Some(provider) = web_identity_provider(s, p) else {
                continue;
            };
            let claims = provider.kind.identifying_claims();
            let constrained = claim_conditions(s, &provider.prefix, claims)
                .iter()
                .any(|c| c.op.constrains() && !c.op.is_negated());
            if constrained {
                continue;
            }
            let key = format!("{}:{}", provider.prefix, claims[0]);
            let mut d = Diagnostic::new(
                &RULE,
                p.node.span,
                format!("{} can be assumed by {}: no condition on {key}", cx.subject(), provider.kind.exposed()),
            )
            .label(format!("{} identity provider", provider.kind.display()))
            .help(format!("add a StringEquals or StringLike condition on {key} naming the identities that may assume the role"))
            .subject(format!("web-identity {}", provider.prefix.to_ascii_lowercase()));
            if let Some(c) = s.condition {
                d = d.secondary(c.key_span, format!("no effective condition on {key}"));
            }
            found.push(d);
            break;
        }
    }
    for d in found {
        cx.report(d);
    }
}
