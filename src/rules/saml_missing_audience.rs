//! TL404: a SAML trust with no `SAML:aud` condition.
//!
//! Without it, assertions issued for other endpoints of the same IdP are
//! accepted (research/iam-reference.md §3.2, SAML row).

use super::{Check, DocCtx, Rule};
use crate::analysis::{is_saml, is_trust_statement, is_unknown_federated, sole_assume_action};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};

pub static RULE: Rule = Rule::per_statement(
    &RuleMeta {
        id: "TL404",
        name: "saml-missing-audience",
        severity: Severity::Warning,
        summary: "a SAML trust with no SAML:aud condition",
        help: Some("add \"StringEquals\": {\"SAML:aud\": \"https://signin.aws.amazon.com/saml\"}"),
    },
    Check::Document(check),
);

fn check(cx: &mut DocCtx<'_>) {
    let mut found = Vec::new();
    for s in &cx.policy.statements {
        if !is_trust_statement(cx.kind, s) {
            continue;
        }
        // A `Federated` template value granted only sts:AssumeRoleWithSAML
        // can only be a SAML provider.
        let saml_action = sole_assume_action(s) == Some("sts:assumerolewithsaml");
        let Some(p) = s
            .principals()
            .find(|p| is_saml(p) || (saml_action && is_unknown_federated(p)))
        else {
            continue;
        };
        if s.conditions_on("saml:aud").any(|c| c.counts()) {
            continue;
        }
        found.push(
            Diagnostic::new(
                &RULE,
                p.node.span,
                format!(
                    "{} accepts SAML assertions without checking SAML:aud",
                    cx.subject()
                ),
            )
            .label("SAML provider")
            .subject("saml-aud"),
        );
    }
    for d in found {
        cx.report(d);
    }
}
