//! TL202: an MFA condition that does not require MFA.
//!
//! `BoolIfExists` true in an Allow (long-term keys carry no MFA key and
//! pass), `Bool` "false" in an Allow, `Bool` true in a Deny, an MFA age
//! with no upper bound (research/anchors.md §5.6).

use super::{Check, DocCtx, RuleMeta};
use crate::analysis::mfa_condition_problem;
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "TL202",
    name: "ineffective-mfa",
    severity: Severity::Warning,
    summary: "an MFA condition that does not require MFA: BoolIfExists true in Allow, Bool false in Allow, Bool true in Deny, MFA age without a bound",
    help: Some("in an Allow use \"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}; in a Deny use \"BoolIfExists\": {\"aws:MultiFactorAuthPresent\": \"false\"}"),
    check: Check::Document(check),
};

fn check(cx: &mut DocCtx<'_>) {
    let mut found = Vec::new();
    for s in &cx.policy.statements {
        for c in &s.conditions {
            if let Some(why) = mfa_condition_problem(s.effect, c) {
                found.push(
                    Diagnostic::new(
                        &RULE,
                        c.op_span,
                        format!(
                            "the MFA condition of {} does not require MFA: {why}",
                            cx.subject()
                        ),
                    )
                    .label(format!("{} {}", c.op_raw, c.key))
                    .secondary(c.key_span, "MFA key")
                    .subject(format!("{} {}", c.op_raw, c.key_lc)),
                );
            }
        }
    }
    for d in found {
        cx.report(d);
    }
}
