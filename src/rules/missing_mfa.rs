//! TL201: trust for IAM users or a whole account without MFA.
//!
//! Users and account principals sign requests with long-term keys; a trust
//! statement for them with no MFA condition lets a leaked key assume the
//! role. Statements narrowed to roles (`aws:PrincipalArn` naming only role
//! ARNs) are exempt: roles cannot use MFA.

use super::{Check, DocCtx, Rule};
use crate::analysis::{identity_pin, is_trust_statement, mfa, Mfa};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::policy::principal::{split_arn, Class};
use crate::policy::{Policy, Statement};

pub static RULE: Rule = Rule::per_statement(
    &RuleMeta {
        id: "TL201",
        name: "missing-mfa",
        severity: Severity::Warning,
        summary: "a trust statement for IAM users or a whole account (not narrowed to roles) with no MFA condition",
        help: Some("add \"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"} to the statement"),
    },
    Check::Document(check),
);

/// Does an `aws:PrincipalArn` pin name only roles?
fn narrowed_to_roles(policy: &Policy<'_>, s: &Statement<'_>) -> bool {
    let Some(c) = identity_pin(policy, s, &["aws:principalarn"]) else {
        return false;
    };
    // Values with unresolved parts (`…:role/${RoleName}`) still name roles.
    c.values.iter().all(|v| {
        v.as_str()
            .and_then(split_arn)
            .is_some_and(|a| a.resource.starts_with("role/"))
    })
}

fn check(cx: &mut DocCtx<'_>) {
    let mut found = Vec::new();
    for s in &cx.policy.statements {
        if !is_trust_statement(cx.kind, s) {
            continue;
        }
        let Some(p) = s
            .principals()
            .find(|p| matches!(p.class, Class::User(..) | Class::Account(_)))
        else {
            continue;
        };
        if mfa(cx.policy, s) != Mfa::Missing || narrowed_to_roles(cx.policy, s) {
            continue;
        }
        let who = if matches!(p.class, Class::User(..)) {
            "IAM users"
        } else {
            "a whole account"
        };
        let mut d = Diagnostic::new(
            &RULE,
            p.node.span,
            format!("{} trusts {who} without requiring MFA", cx.subject()),
        )
        .label("callers with long-term keys")
        .subject(format!("principal {}", p.value.unwrap_or_default()));
        if let Some(c) = s.condition {
            d = d.secondary(c.key_span, "no MFA condition here");
        }
        found.push(d);
    }
    for d in found {
        cx.report(d);
    }
}
