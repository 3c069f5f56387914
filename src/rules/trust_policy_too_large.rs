//! TL003: a role trust policy longer than the IAM quota.
//!
//! IAM counts the characters of the stored JSON without white space
//! (research/iam-reference.md §7): 2,048 by default, raised per account
//! with a quota increase (`trust_policy_quota`).

use super::{Check, DocCtx, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::policy::DocKind;

pub static RULE: RuleMeta = RuleMeta {
    id: "TL003",
    name: "trust-policy-too-large",
    severity: Severity::Warning,
    summary: "a role trust policy longer than the IAM quota (2,048 characters without white space by default)",
    help: Some("shorten the policy (merge statements, use aws:PrincipalOrgID instead of long account lists) or raise trust_policy_quota after an account quota increase"),
    check: Check::Document(check),
};

/// The size IAM counts: characters of the minified JSON, no white space.
pub fn iam_size(node: &crate::tree::Node) -> usize {
    let mut s = String::new();
    node.to_json(&mut s);
    s.chars().filter(|c| !c.is_whitespace()).count()
}

fn check(cx: &mut DocCtx<'_>) {
    if cx.kind != DocKind::Trust {
        return;
    }
    let size = iam_size(&cx.doc.node);
    let quota = cx.settings.trust_policy_quota;
    if size > quota {
        let span = cx
            .doc
            .node
            .entries()
            .first()
            .map_or(cx.doc.node.span, |e| e.key_span);
        let d = Diagnostic::new(
            &RULE,
            span,
            format!(
                "the trust policy of {} is {size} characters without white space, over the quota of {quota}",
                cx.subject()
            ),
        )
        .label(format!("{size} characters"))
        .subject("trust-policy-size");
        cx.report(d);
    }
}
