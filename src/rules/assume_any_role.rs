//! TL501: an identity policy that lets its holder assume any role.
//!
//! `sts:AssumeRole` (explicitly or through an `sts:` wildcard) on
//! `Resource: "*"` or `arn:aws:iam::*:role/*`: the holder can assume every
//! role in any account that trusts it.

use super::{Check, DocCtx, Rule};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::policy::principal::split_arn;
use crate::policy::{action_matches, DocKind, Effect, Statement};

pub static RULE: Rule = Rule::per_statement(
    &RuleMeta {
        id: "TL501",
        name: "assume-any-role",
        severity: Severity::Warning,
        summary:
            "an identity policy that allows sts:AssumeRole on Resource \"*\" or arn:aws:iam::*:role/*",
        help: Some("list the role ARNs this identity needs to assume"),
    },
    Check::Document(check),
);

/// Does the statement allow `action` through an explicit or `sts:` action?
pub fn allows_sts(s: &Statement<'_>, action: &str) -> bool {
    s.action.as_ref().is_some_and(|a| {
        a.items.iter().any(|(_, lc)| {
            lc.as_deref()
                .is_some_and(|p| p.starts_with("sts:") && action_matches(p, action))
        })
    })
}

/// The resource node that covers any role, if one does.
pub fn any_resource<'a>(s: &Statement<'a>, role_arns: bool) -> Option<&'a crate::tree::Node> {
    let r = s.resource?;
    r.value.one_or_many().iter().find(|n| {
        let Some(v) = n.as_str() else { return false };
        if v == "*" {
            return true;
        }
        role_arns
            && split_arn(v).is_some_and(|a| {
                a.service == "iam"
                    && a.account == "*"
                    && matches!(a.resource, "*" | "role/*" | "role*")
            })
    })
}

fn check(cx: &mut DocCtx<'_>) {
    if cx.kind != DocKind::Identity {
        return;
    }
    let mut found = Vec::new();
    for s in &cx.policy.statements {
        // A statement that never applies allows nothing (TL204 says why).
        if s.effect != Effect::Allow || !allows_sts(s, "sts:assumerole") || s.never_applies() {
            continue;
        }
        let Some(res) = any_resource(s, true) else {
            continue;
        };
        found.push(
            Diagnostic::new(
                &RULE,
                res.span,
                format!("{} allows sts:AssumeRole on every role", cx.subject()),
            )
            .label("any role")
            .subject("assume-any-role"),
        );
    }
    for d in found {
        cx.report(d);
    }
}
