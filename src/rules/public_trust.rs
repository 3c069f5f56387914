//! TL101: a trust statement open to any AWS principal.
//!
//! `"Principal": "*"` or `{"AWS": "*"}` in a trust statement whose
//! conditions do not pin the caller's identity (SPEC §2, TL101). Network
//! conditions (`aws:SourceIp`, `aws:SourceVpce`) and `sts:ExternalId` do
//! not pin who the caller is.

use super::{Check, DocCtx, Rule};
use crate::analysis::{is_trust_statement, pinned};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::policy::principal::Class;

pub static RULE: Rule = Rule::new(
    &RuleMeta {
        id: "TL101",
        name: "public-trust",
        severity: Severity::Error,
        summary: "a trust statement whose principal is `*` and whose conditions do not pin the caller's identity",
        help: Some("name the principals that need access, or pin them with aws:PrincipalOrgID"),
    },
    Check::Document(check),
);

fn check(cx: &mut DocCtx<'_>) {
    let mut found = Vec::new();
    for s in &cx.policy.statements {
        if !is_trust_statement(cx.kind, s) || pinned(cx.policy, s) {
            continue;
        }
        for p in s.principals().filter(|p| p.class == Class::Public) {
            let mut d = Diagnostic::new(
                &RULE,
                p.node.span,
                format!("{} can be assumed by any AWS principal", cx.subject()),
            )
            .label("any principal in any AWS account")
            .subject("principal *");
            if let Some(c) = s.condition {
                d = d.secondary(
                    c.key_span,
                    "these conditions do not pin the caller's identity",
                );
            }
            found.push(d);
        }
    }
    for d in found {
        cx.report(d);
    }
}
