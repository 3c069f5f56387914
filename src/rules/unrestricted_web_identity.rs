//! TL401: web-identity trust with no condition on the identifying claim.
//!
//! Shared issuers sign tokens for everyone: without a `sub` condition
//! (GitHub, GitLab, EKS, …) or `aud` (Cognito, Google; `app_id` for
//! Facebook and Amazon), any tenant of the provider can assume the role
//! (research/iam-reference.md §3.2).

use super::{Check, DocCtx, Rule};
use crate::analysis::{
    claim_conditions, is_trust_statement, is_unknown_federated, sole_assume_action,
    web_identity_provider,
};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};

pub static RULE: Rule = Rule::per_statement(
    &RuleMeta {
        id: "TL401",
        name: "unrestricted-web-identity",
        severity: Severity::Error,
        summary: "an OIDC federated trust with no condition on the provider's identifying key (sub, or aud for Cognito/Google/Facebook/Amazon)",
        help: None,
    },
    Check::Document(check),
);

/// A positive condition on another issuer's claim (`other.example.com:sub`)
/// can never match a token from this provider: the statement lets nobody
/// in, so it is broken rather than open and TL401 stays quiet.
fn foreign_issuer_condition(s: &crate::policy::Statement<'_>, prefix: &str) -> bool {
    if crate::tree::has_unknown(prefix) {
        return false;
    }
    let prefix = prefix.to_ascii_lowercase();
    s.conditions.iter().any(|c| {
        c.counts()
            && !c.op.is_negated()
            && c.key_lc.rsplit_once(':').is_some_and(|(p, claim)| {
                p.contains('.')
                    && !p.contains(':')
                    && p != prefix
                    && ["sub", "aud"].contains(&claim)
            })
    })
}

/// A `Federated` template value granted only
/// sts:AssumeRoleWithWebIdentity is some web identity provider, whichever
/// it is; when the statement has no condition on any claim at all (only
/// global `aws:` keys, or none), every provider's identifying claim is
/// unconstrained.
fn unknown_provider_without_claims(
    cx: &DocCtx<'_>,
    s: &crate::policy::Statement<'_>,
) -> Option<Diagnostic> {
    if sole_assume_action(s) != Some("sts:assumerolewithwebidentity")
        || s.principals()
            .any(|p| web_identity_provider(s, p).is_some())
        || s.conditions.iter().any(|c| !c.key_lc.starts_with("aws:"))
    {
        return None;
    }
    let p = s.principals().find(|p| is_unknown_federated(p))?;
    let mut d = Diagnostic::new(
        &RULE,
        p.node.span,
        format!(
            "{} can be assumed by any identity of its web identity provider: no condition on any claim (sub, aud, …)",
            cx.subject()
        ),
    )
    .label("web identity provider (a template value)")
    .help("add a StringEquals or StringLike condition on the provider's identifying claim (PROVIDER:sub, or :aud for Cognito and Google)")
    .subject("web-identity unresolved");
    if let Some(c) = s.condition {
        d = d.secondary(c.key_span, "no condition on a claim");
    }
    Some(d)
}

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
                .any(|c| c.counts() && !c.op.is_negated());
            if constrained || foreign_issuer_condition(s, &provider.prefix) {
                continue;
            }
            let key = crate::tree::display(&format!("{}:{}", provider.prefix, claims[0]));
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
        if let Some(d) = unknown_provider_without_claims(cx, s) {
            found.push(d);
        }
    }
    for d in found {
        cx.report(d);
    }
}
