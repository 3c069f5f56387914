//! TL103: cross-account trust with neither `sts:ExternalId` nor MFA.
//!
//! A principal in an external account (any literal account that is not
//! this account or in `trusted_accounts`) with no valid ExternalId
//! condition and no effective MFA condition.

use super::{Check, DocCtx, Rule};
use crate::analysis::{external_id, is_trust_statement, mfa, relation, Mfa, Relation};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::policy::principal::{Account, Class};

pub static RULE: Rule = Rule::per_statement(
    &RuleMeta {
        id: "TL103",
        name: "unguarded-cross-account",
        severity: Severity::Warning,
        summary: "a trust statement that trusts an external account's principals with neither an sts:ExternalId condition nor an effective MFA condition",
        help: Some("require an sts:ExternalId agreed with the third party (StringEquals), or MFA with aws:MultiFactorAuthPresent; list your own accounts in trusted_accounts"),
    },
    Check::Document(check),
);

fn check(cx: &mut DocCtx<'_>) {
    let mut found = Vec::new();
    for s in &cx.policy.statements {
        if !is_trust_statement(cx.kind, s) {
            continue;
        }
        let external = s.principals().find_map(|p| {
            let acct = match &p.class {
                Class::Account(a)
                | Class::Role(a, _)
                | Class::User(a, _)
                | Class::Session(a, _)
                | Class::FederatedUser(a, _) => a,
                _ => return None,
            };
            if relation(acct, cx.this_account(), cx.settings) != Relation::External {
                return None;
            }
            let Account::Literal(id) = acct else {
                return None;
            };
            Some((p, id.clone()))
        });
        let Some((p, id)) = external else { continue };
        if external_id(s).is_some() || mfa(cx.policy, s) == Mfa::Effective {
            continue;
        }
        found.push(
            Diagnostic::new(
                &RULE,
                p.node.span,
                format!(
                    "{} trusts principals in external account {id} without sts:ExternalId or MFA",
                    cx.subject()
                ),
            )
            .label(format!("account {id}"))
            .subject(format!("external {id}")),
        );
    }
    for d in found {
        cx.report(d);
    }
}
