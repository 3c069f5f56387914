//! TL106: an assumed-role session principal.
//!
//! `arn:aws:sts::ACCT:assumed-role/ROLE/SESSION` trusts one session name;
//! whoever can assume ROLE can pick that session name.

use super::{Check, DocCtx, Rule};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::policy::principal::Class;
use crate::policy::Effect;

pub static RULE: Rule = Rule::new(
    &RuleMeta {
        id: "TL106",
        name: "session-principal",
        severity: Severity::Warning,
        summary: "an `arn:aws:sts::…:assumed-role/…` session principal (trust tied to a session name)",
        help: Some("trust the role ARN (arn:aws:iam::ACCOUNT:role/NAME) and, if needed, condition on sts:RoleSessionName"),
    },
    Check::Document(check),
);

fn check(cx: &mut DocCtx<'_>) {
    let mut found = Vec::new();
    // A session named in a `Deny` grants nothing.
    for s in cx
        .policy
        .statements
        .iter()
        .filter(|s| s.effect != Effect::Deny)
    {
        for p in s.principals() {
            if let Class::Session(_, rs) = &p.class {
                let (role, session) = rs.rsplit_once('/').unwrap_or((rs, ""));
                found.push(
                    Diagnostic::new(
                        &RULE,
                        p.node.span,
                        format!(
                            "{} trusts session `{}` of role `{}`: anyone who can assume that role can choose this session name",
                            cx.subject(),
                            crate::tree::display(session),
                            crate::tree::display(role)
                        ),
                    )
                    .label("a role session, not a role")
                    .subject(format!("principal {}", p.value.unwrap_or_default())),
                );
            }
        }
    }
    for d in found {
        cx.report(d);
    }
}
