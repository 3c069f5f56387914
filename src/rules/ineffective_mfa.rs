//! TL202: an MFA condition that does not require MFA.
//!
//! `BoolIfExists` true in an Allow (long-term keys carry no MFA key and
//! pass), `Bool` "false" in an Allow, `Bool` true in a Deny, an MFA age
//! with no upper bound (research/anchors.md §5.6). A `Deny` of stale MFA
//! sessions beside a `Deny` of a missing MFA age is AWS's force-MFA shape
//! and is not reported ([`mfa_problem`]).

use super::{Check, DocCtx, Rule};
use crate::analysis::mfa_problem;
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::policy::condition::Base;
use crate::policy::{Condition, Effect};
use crate::source::Span;

pub static RULE: Rule = Rule::new(
    &RuleMeta {
        id: "TL202",
        name: "ineffective-mfa",
        severity: Severity::Warning,
        summary: "an MFA condition that does not require MFA: BoolIfExists true in Allow, Bool false in Allow, Bool true in Deny, MFA age without a bound",
        help: Some("in an Allow use \"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}; in a Deny use \"BoolIfExists\": {\"aws:MultiFactorAuthPresent\": \"false\"}"),
    },
    Check::Document(check),
);

/// Where the mistake is: the value when `Bool` compares with the wrong
/// boolean ("false" in an Allow, "true" in a Deny), else the operator
/// (`BoolIfExists`, `Bool` where `BoolIfExists` is needed, an unbounded
/// age operator).
fn blame(effect: Effect, c: &Condition<'_>) -> Span {
    let wrong = match effect {
        Effect::Allow => "false",
        Effect::Deny => "true",
        _ => return c.op_span,
    };
    if c.op.base == Some(Base::Bool) && !c.op.if_exists {
        if let Some(v) = c
            .values
            .iter()
            .zip(c.texts())
            .find(|(_, t)| t.as_deref().is_some_and(|t| t.eq_ignore_ascii_case(wrong)))
            .map(|(v, _)| v)
        {
            return v.span;
        }
    }
    c.op_span
}

fn check(cx: &mut DocCtx<'_>) {
    let mut found = Vec::new();
    for s in cx.policy.condition_statements() {
        for c in &s.conditions {
            // Outside a trust policy, denying stale MFA sessions is a
            // session-age control in its own right, not an attempt to
            // require MFA.
            if s.effect == Effect::Deny
                && c.key_lc == "aws:multifactorauthage"
                && matches!(
                    c.op.base,
                    Some(Base::NumericGreaterThan | Base::NumericGreaterThanEquals)
                )
                && cx.kind != crate::policy::DocKind::Trust
            {
                continue;
            }
            if let Some(why) = mfa_problem(cx.policy, s, c) {
                found.push(
                    Diagnostic::new(
                        &RULE,
                        blame(s.effect, c),
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
