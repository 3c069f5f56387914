//! TL606: a shared AWS config profile that assumes a role with long-term
//! keys and no MFA.
//!
//! A profile with `role_arn` and a `source_profile` whose credentials are
//! long-term access keys (not `sso_*`, `credential_process`, another
//! `role_arn` or `credential_source`) should name an `mfa_serial`, so a
//! stolen key alone cannot assume the role.

use super::{Check, FactCtx, Rule};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::extract::FactKind;

pub static RULE: Rule = Rule::new(
    &RuleMeta {
        id: "TL606",
        name: "profile-without-mfa",
        severity: Severity::Note,
        summary:
            "a shared AWS config profile that assumes a role from long-term keys without mfa_serial",
        help: Some("add mfa_serial to the profile (and require MFA in the role's trust policy)"),
    },
    Check::Fact(check),
);

fn check(cx: &mut FactCtx<'_>) {
    let FactKind::ProfileWithoutMfa { source } = &cx.fact.kind else {
        return;
    };
    let d = Diagnostic::new(
        &RULE,
        cx.fact.span,
        format!(
            "{} assumes a role with the long-term keys of profile `{source}` and no mfa_serial",
            cx.fact.context
        ),
    )
    .label("long-term keys, no MFA")
    .subject(format!("profile-without-mfa {source}"));
    cx.report(d);
}
