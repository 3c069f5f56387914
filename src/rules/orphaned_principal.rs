//! TL107: a unique-ID principal (`AIDA…`, `AROA…`).
//!
//! IAM replaces a principal ARN by its unique ID when the user or role is
//! deleted; the trust then points at nothing, and re-creating the entity
//! does not restore it.

use super::{Check, DocCtx, Rule};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::policy::principal::Class;

pub static RULE: Rule = Rule::new(
    &RuleMeta {
        id: "TL107",
        name: "orphaned-principal",
        severity: Severity::Warning,
        summary: "a unique-ID principal (`AIDA…`, `AROA…`): AWS writes these when the trusted user or role was deleted",
        help: Some("replace the ID with the ARN of the user or role that should be trusted, or remove it"),
    },
    Check::Document(check),
);

fn check(cx: &mut DocCtx<'_>) {
    let mut found = Vec::new();
    for s in &cx.policy.statements {
        for p in s.principals() {
            if let Class::UniqueId(id) = &p.class {
                let what = if id.starts_with("AROA") {
                    "role"
                } else {
                    "user"
                };
                found.push(
                    Diagnostic::new(
                        &RULE,
                        p.node.span,
                        if s.effect == crate::policy::Effect::Deny {
                            format!(
                                "a `Deny` of {} names `{id}`, the unique ID of a deleted {what}: it denies no one",
                                cx.subject()
                            )
                        } else {
                            format!(
                                "{} trusts `{id}`, the unique ID of a deleted {what}",
                                cx.subject()
                            )
                        },
                    )
                    .label(format!("a deleted {what}"))
                    .subject(format!("principal {id}")),
                );
            }
        }
    }
    for d in found {
        cx.report(d);
    }
}
