//! TL402: an identifying web-identity condition whose value lets unrelated
//! parties in.
//!
//! `*`, `repo:*`, `repo:*/name` (any owner), `repo:ORG*` without `/`
//! (matches `ORG-evil`), `system:serviceaccount:*`, a wildcard in the
//! owner, group or organisation position of any provider's subject format
//! (research/iam-reference.md §3.2). GitHub's `repo:ORG/*` is AWS's
//! documented minimum and is not reported.

use super::{Check, DocCtx, Rule};
use crate::analysis::{claim_conditions, is_trust_statement, web_identity_provider, ProviderKind};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};

pub static RULE: Rule = Rule::per_statement(
    &RuleMeta {
        id: "TL402",
        name: "wildcard-web-identity-subject",
        severity: Severity::Error,
        summary: "an identifying web-identity condition whose value lets unrelated parties in: `*`, `repo:*`, `repo:*/…`, `repo:ORG*`, `system:serviceaccount:*`, a wildcard in the owner position",
        help: Some("name the owner (organisation, group, namespace) literally, e.g. repo:my-org/my-repo:ref:refs/heads/main"),
    },
    Check::Document(check),
);

fn wild(s: &str) -> bool {
    s.contains(['*', '?'])
}

/// Check that the segment after `prefix`, up to `sep`, is literal; a value
/// that ends inside the segment with a wildcard matches other owners.
fn owner_segment_open(rest: &str, sep: char) -> bool {
    match rest.find(sep) {
        Some(i) => wild(&rest[..i]) || rest[..i].is_empty(),
        // No separator: any wildcard lets in `ORG-evil…`.
        None => wild(rest),
    }
}

/// Why a subject value is too broad for this provider, if it is.
pub fn subject_problem(kind: ProviderKind, claim: &str, v: &str) -> Option<&'static str> {
    if v.starts_with(['*', '?']) {
        return Some("matches every identity of the provider");
    }
    // A Cognito identity pool ID (`REGION:GUID`) is the pool's only name:
    // a wildcard in it admits identities of other pools, in any account.
    if kind == ProviderKind::Cognito && claim == "aud" {
        return wild(v).then_some("has a wildcard in the identity pool ID");
    }
    if claim != "sub" {
        return None;
    }
    let v_lc = v.to_ascii_lowercase();
    match kind {
        ProviderKind::GitHub => {
            for (prefix, sep) in [
                ("repo:", '/'),
                ("repository:", '/'),
                ("repository_owner:", ':'),
                ("repository_owner_id:", ':'),
                ("job_workflow_ref:", '/'),
            ] {
                if let Some(rest) = v_lc.strip_prefix(prefix) {
                    return owner_segment_open(rest, sep)
                        .then_some("has a wildcard in the repository owner");
                }
            }
            None
        }
        ProviderKind::GitLab => v_lc.strip_prefix("project_path:").and_then(|r| {
            owner_segment_open(r, '/').then_some("has a wildcard in the GitLab group")
        }),
        ProviderKind::TerraformCloud | ProviderKind::Buildkite => {
            v_lc.strip_prefix("organization:").and_then(|r| {
                owner_segment_open(r, ':').then_some("has a wildcard in the organisation")
            })
        }
        ProviderKind::Eks => v_lc.strip_prefix("system:serviceaccount:").and_then(|r| {
            owner_segment_open(r, ':').then_some("has a wildcard in the Kubernetes namespace")
        }),
        _ => None,
    }
}

/// Who else the value lets in: everyone when it starts with a wildcard,
/// otherwise the tenants whose owner name merely starts the same way.
fn who_else(kind: ProviderKind, value: &str) -> &'static str {
    if value.starts_with(['*', '?']) {
        return kind.exposed();
    }
    match kind {
        ProviderKind::GitHub => "repositories of other GitHub owners",
        ProviderKind::GitLab => "projects of other GitLab groups",
        ProviderKind::TerraformCloud => "workspaces of other HCP Terraform organisations",
        ProviderKind::Buildkite => "pipelines of other Buildkite organisations",
        ProviderKind::Eks => "service accounts in other namespaces",
        ProviderKind::Cognito => "identities of other Cognito identity pools",
        _ => kind.exposed(),
    }
}

fn check(cx: &mut DocCtx<'_>) {
    let mut found = Vec::new();
    for s in &cx.policy.statements {
        if !is_trust_statement(cx.kind, s) {
            continue;
        }
        let Some(provider) = s.principals().find_map(|p| web_identity_provider(s, p)) else {
            continue;
        };
        let claims = provider.kind.identifying_claims();
        // A statement rule (SPEC §2, "How many diagnostics"): the first
        // offending value of the statement is reported.
        'conditions: for c in claim_conditions(s, &provider.prefix, claims) {
            // Only operators where `*` is a wildcard let others in; a
            // wildcard under StringEquals never matches (TL203).
            if !c.op.has_wildcards() || c.op.is_negated() {
                continue;
            }
            let claim = c.key_lc.rsplit(':').next().unwrap_or("");
            for (node, text) in c.values.iter().zip(c.texts()) {
                let Some(text) = text else { continue };
                if let Some(why) = subject_problem(provider.kind, claim, &text) {
                    found.push(
                        Diagnostic::new(
                            &RULE,
                            node.span,
                            format!(
                                "{} trusts `{text}`, which {why}: {} can match it",
                                cx.subject(),
                                who_else(provider.kind, &text)
                            ),
                        )
                        .label(why)
                        .secondary(c.key_span, "identifying claim")
                        .subject(format!("{} {text}", c.key_lc)),
                    );
                    break 'conditions;
                }
            }
        }
    }
    for d in found {
        cx.report(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_subjects() {
        let p = |v| subject_problem(ProviderKind::GitHub, "sub", v);
        assert!(p("repo:*").is_some());
        assert!(p("repo:*/infra:*").is_some());
        assert!(p("repo:acme*").is_some());
        assert!(p("repo:acme/*").is_none());
        assert!(p("repo:acme/app:ref:refs/heads/*").is_none());
        assert!(p("repo:acme@123/app@456:*").is_none());
        assert!(p("repo:ac*me@123/app@456:*").is_some());
        assert!(p("*").is_some());
        assert!(p("environment:prod").is_none());
    }

    #[test]
    fn once_per_statement() {
        // SPEC §2: TL401–TL406 are statement rules, reported once per
        // statement however many values are too broad.
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":["repo:*","repo:acme*"]}}}]}"#;
        let report = crate::lint_text("t.json", text, &crate::Settings::default());
        let ids: Vec<&str> = report.diagnostics.iter().map(|d| d.rule.id).collect();
        assert_eq!(ids, ["TL402"]);
    }

    #[test]
    fn cognito_pool_ids() {
        let p = |v| subject_problem(ProviderKind::Cognito, "aud", v);
        assert!(p("us-east-1:*").is_some());
        assert!(p("us-east-1:12345678-*").is_some());
        assert!(p("us-east-1:12345678-1234-1234-1234-123456789012").is_none());
    }

    #[test]
    fn eks_subjects() {
        let p = |v| subject_problem(ProviderKind::Eks, "sub", v);
        assert!(p("system:serviceaccount:*").is_some());
        assert!(p("system:serviceaccount:*:app").is_some());
        assert!(p("system:serviceaccount:ns:*").is_none());
    }
}
