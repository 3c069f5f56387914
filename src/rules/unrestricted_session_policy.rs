//! TL504: a session policy that narrows nothing.
//!
//! A session policy (an `aws sts … --policy`, a configure-aws-credentials
//! `inline-session-policy`, or a file matched by `session_policies`) is
//! meant to narrow a role's permissions for one session; one that allows
//! `*` on `*` leaves the role's full permissions in place.

use super::{Check, DocCtx, Rule};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::policy::Effect;

pub static RULE: Rule = Rule::new(
    &RuleMeta {
        id: "TL504",
        name: "unrestricted-session-policy",
        severity: Severity::Warning,
        summary: "a session policy that allows * on * (it narrows nothing)",
        help: Some("list the actions and resources this session needs"),
    },
    Check::Document(check),
);

fn check(cx: &mut DocCtx<'_>) {
    if !cx.doc.session {
        return;
    }
    let mut found = Vec::new();
    for s in &cx.policy.statements {
        if s.effect != Effect::Allow {
            continue;
        }
        let Some(action) = &s.action else { continue };
        let any_action = action
            .items
            .iter()
            .any(|(_, lc)| lc.as_deref() == Some("*"));
        let Some(res) = s.resource else { continue };
        let any_resource = res
            .value
            .one_or_many()
            .iter()
            .any(|n| n.as_str() == Some("*"));
        if any_action && any_resource && s.not_action.is_none() && s.not_resource.is_none() {
            found.push(
                Diagnostic::new(
                    &RULE,
                    action.entry.value.span,
                    format!(
                        "{} allows every action on every resource: it narrows nothing",
                        cx.subject()
                    ),
                )
                .label("* on *")
                .subject("session-policy-star"),
            );
        }
    }
    for d in found {
        cx.report(d);
    }
}
