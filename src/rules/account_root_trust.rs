//! TL102: a trust statement that trusts a whole account.
//!
//! `arn:aws:iam::ACCOUNT:root` or a bare account ID delegates to every
//! principal the account's administrators allow, unless the statement
//! narrows the caller with `aws:PrincipalArn` or `aws:PrincipalTag/…`.

use super::{Check, DocCtx, Rule};
use crate::analysis::{identity_pin, is_trust_statement};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::policy::principal::{Account, Class};
use crate::policy::{Policy, Statement};
use crate::tree::display;

pub static RULE: Rule = Rule::new(
    &RuleMeta {
        id: "TL102",
        name: "account-root-trust",
        severity: Severity::Warning,
        summary: "a trust statement that trusts a whole account without narrowing the caller with aws:PrincipalArn or aws:PrincipalTag",
        help: Some("trust the specific role that needs access, or add an aws:PrincipalArn condition naming it"),
    },
    Check::Document(check),
);

/// Does a condition narrow the caller to specific principals?
pub fn narrowed(policy: &Policy<'_>, s: &Statement<'_>) -> bool {
    if identity_pin(policy, s, &["aws:principalarn"]).is_some() {
        return true;
    }
    s.conditions
        .iter()
        .any(|c| c.key_lc.starts_with("aws:principaltag/") && c.counts() && !c.values.is_empty())
}

fn check(cx: &mut DocCtx<'_>) {
    let mut found = Vec::new();
    for s in &cx.policy.statements {
        if !is_trust_statement(cx.kind, s) || narrowed(cx.policy, s) {
            continue;
        }
        for p in s.principals() {
            let Class::Account(account) = &p.class else {
                continue;
            };
            let who = match account {
                Account::This => "every principal in this account".to_owned(),
                Account::Literal(a) => format!("every principal in account {a}"),
                Account::Unknown => "every principal in the account".to_owned(),
            };
            let value = p.value.map(display).unwrap_or_default();
            found.push(
                Diagnostic::new(
                    &RULE,
                    p.node.span,
                    format!(
                        "{} can be assumed by {who} that is allowed sts:AssumeRole",
                        cx.subject()
                    ),
                )
                .label("the whole account")
                .subject(format!("principal {value}")),
            );
        }
    }
    for d in found {
        cx.report(d);
    }
}
