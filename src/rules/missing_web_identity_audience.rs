//! TL403: an IAM OIDC provider trust with no `aud` condition.
//!
//! STS checks the audience against the provider's client-ID list, so this
//! is defence in depth: the `aud` condition stops tokens minted for other
//! audiences of a shared issuer (research/iam-reference.md §3.1).

use super::{Check, DocCtx, Rule};
use crate::analysis::{claim_conditions, is_trust_statement, web_identity_provider, ProviderKind};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};

pub static RULE: Rule = Rule::per_statement(
    &RuleMeta {
        id: "TL403",
        name: "missing-web-identity-audience",
        severity: Severity::Warning,
        summary: "a GitHub/GitLab/EKS-style OIDC trust with no `aud` condition",
        help: None,
    },
    Check::Document(check),
);

/// The audience each provider puts in its tokens for AWS
/// (research/iam-reference.md §3.2).
fn audience(kind: ProviderKind, prefix: &str) -> String {
    match kind {
        ProviderKind::TerraformCloud => "aws.workload.identity".to_owned(),
        // GitLab's AWS guide uses the instance URL.
        ProviderKind::GitLab => format!("https://{prefix}"),
        ProviderKind::CircleCi => "YOUR_ORGANIZATION_ID".to_owned(),
        ProviderKind::Bitbucket => "ari:cloud:bitbucket::workspace/YOUR_WORKSPACE_UUID".to_owned(),
        _ => "sts.amazonaws.com".to_owned(),
    }
}

fn check(cx: &mut DocCtx<'_>) {
    let mut found = Vec::new();
    for s in &cx.policy.statements {
        if !is_trust_statement(cx.kind, s) {
            continue;
        }
        let Some((p, provider)) = s
            .principals()
            .find_map(|p| web_identity_provider(s, p).map(|prov| (p, prov)))
        else {
            continue;
        };
        if !provider.kind.needs_audience() {
            continue;
        }
        let has_aud = claim_conditions(s, &provider.prefix, &["aud"])
            .iter()
            .any(|c| c.counts());
        if has_aud {
            continue;
        }
        let key = crate::tree::display(&format!("{}:aud", provider.prefix));
        found.push(
            Diagnostic::new(
                &RULE,
                p.node.span,
                format!("{} does not check the token audience ({key})", cx.subject()),
            )
            .label(format!("{} identity provider", provider.kind.display()))
            .help(format!(
                "add \"StringEquals\": {{\"{key}\": \"{}\"}}",
                audience(provider.kind, &provider.prefix)
            ))
            .subject(format!("audience {}", provider.prefix.to_ascii_lowercase())),
        );
    }
    for d in found {
        cx.report(d);
    }
}
