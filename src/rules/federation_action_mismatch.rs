//! TL405: a principal type and an assume action that cannot work together.
//!
//! OIDC providers call `sts:AssumeRoleWithWebIdentity`, SAML providers
//! `sts:AssumeRoleWithSAML`, AWS and service principals `sts:AssumeRole`.
//! A statement that pairs a principal only with actions it cannot call (or
//! an action with no principal that can call it) does not work as written.

use super::{Check, DocCtx, Rule};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::policy::principal::Class;
use crate::policy::{Effect, ASSUME_ACTIONS};

pub static RULE: Rule = Rule::per_statement(
    &RuleMeta {
        id: "TL405",
        name: "federation-action-mismatch",
        severity: Severity::Error,
        summary: "a principal type and action that cannot work together (OIDC with sts:AssumeRole, SAML with …WithWebIdentity, AWS/Service with …WithSAML or …WithWebIdentity)",
        help: Some("use sts:AssumeRoleWithWebIdentity for OIDC providers, sts:AssumeRoleWithSAML for SAML providers and sts:AssumeRole for AWS and service principals"),
    },
    Check::Document(check),
);

/// The assume action a principal class can call, if it is known.
fn action_for(class: &Class) -> Option<&'static str> {
    match class {
        Class::Oidc(..) | Class::BuiltinIdp(_) => Some("sts:assumerolewithwebidentity"),
        Class::Saml(..) => Some("sts:assumerolewithsaml"),
        Class::Public
        | Class::Account(_)
        | Class::Role(..)
        | Class::User(..)
        | Class::Session(..)
        | Class::FederatedUser(..)
        | Class::Service(_)
        | Class::UniqueId(_) => Some("sts:assumerole"),
        _ => None,
    }
}

fn pretty(a: &str) -> &'static str {
    match a {
        "sts:assumerole" => "sts:AssumeRole",
        "sts:assumerolewithsaml" => "sts:AssumeRoleWithSAML",
        _ => "sts:AssumeRoleWithWebIdentity",
    }
}

fn check(cx: &mut DocCtx<'_>) {
    if cx.kind != crate::policy::DocKind::Trust {
        return;
    }
    let mut found = Vec::new();
    for s in &cx.policy.statements {
        if s.effect != Effect::Allow {
            continue;
        }
        let Some(actions) = &s.action else { continue };
        // Only explicit actions: a wildcard matches whatever is needed.
        if actions
            .items
            .iter()
            .any(|(_, lc)| lc.as_deref().is_none_or(|l| l.contains(['*', '?'])))
        {
            continue;
        }
        let explicit: Vec<(&crate::tree::Node, &str)> = actions
            .items
            .iter()
            .filter_map(|(n, lc)| {
                let lc = lc.as_deref()?;
                ASSUME_ACTIONS.iter().find(|a| **a == lc).map(|a| (*n, *a))
            })
            .collect();
        if explicit.is_empty() {
            continue;
        }
        // `"Principal": "*"` is everyone, federated users included: TL101
        // and TL105 say what is wrong with it.
        let needs: Vec<(&crate::policy::Principal<'_>, &str)> = s
            .principals()
            .filter(|p| p.ptype != crate::policy::principal::PrincipalType::Star)
            .filter_map(|p| action_for(&p.class).map(|a| (p, a)))
            .collect();
        if needs.is_empty() || s.principals().any(|p| action_for(&p.class).is_none()) {
            continue;
        }
        // A principal with no action it can call.
        if let Some((p, need)) = needs
            .iter()
            .find(|(_, need)| !explicit.iter().any(|(_, a)| a == need))
        {
            let granted: Vec<&str> = explicit.iter().map(|(_, a)| pretty(a)).collect();
            found.push(
                Diagnostic::new(
                    &RULE,
                    // The granted actions (a string or a list) are what
                    // does not fit the principal.
                    actions.entry.value.span,
                    format!(
                        "{} grants {} to a principal that can only call {}: the trust does not work",
                        cx.subject(),
                        granted.join(", "),
                        pretty(need)
                    ),
                )
                .label(format!("{} needed", pretty(need)))
                .secondary(p.node.span, "this principal")
                .subject(format!("mismatch {need}")),
            );
            continue;
        }
        // An action no principal of the statement can call.
        if let Some((node, a)) = explicit
            .iter()
            .find(|(_, a)| !needs.iter().any(|(_, n)| n == a))
        {
            found.push(
                Diagnostic::new(
                    &RULE,
                    node.span,
                    format!(
                        "{} grants {} to principals that cannot call it",
                        cx.subject(),
                        pretty(a)
                    ),
                )
                .label("no principal here can use this action")
                .subject(format!("mismatch {a}")),
            );
        }
    }
    for d in found {
        cx.report(d);
    }
}
