//! TL002: grammar errors AWS would reject.
//!
//! Most come from the model parse ([`Policy::problems`]); the checks that
//! depend on the document kind (a trust policy with `Resource`, a non-STS
//! action in a trust policy, a trust statement without `Principal`, an
//! identity statement without `Resource`) are made here.

use super::{Check, DocCtx, Rule};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::policy::{DocKind, Effect};

pub static RULE: Rule = Rule::new(
    &RuleMeta {
        id: "TL002",
        name: "invalid-policy",
        severity: Severity::Error,
        summary: "grammar errors AWS would reject: missing Statement/Effect/Action, unknown elements, bad Version, wrong types, duplicate Sid or keys, Resource or non-STS actions in a trust policy",
        help: Some("IAM refuses to save this policy; fix the element as the IAM policy grammar requires"),
    },
    Check::Document(check),
);

fn check(cx: &mut DocCtx<'_>) {
    for p in &cx.policy.problems {
        let d = Diagnostic::new(&RULE, p.span, p.message.clone()).subject(p.message.clone());
        cx.report(d);
    }
    let subject = cx.subject();
    let mut found = Vec::new();
    for s in &cx.policy.statements {
        match cx.kind {
            DocKind::Trust => {
                for r in [s.resource, s.not_resource].into_iter().flatten() {
                    found.push(
                        Diagnostic::new(
                            &RULE,
                            r.key_span,
                            format!("the trust policy of {subject} has a `{}` element, which IAM rejects", r.key),
                        )
                        .label("not allowed in a role trust policy")
                        .help("remove it: a trust policy applies to the role it is attached to")
                        .subject(format!("resource-in-trust {}", r.key)),
                    );
                }
                if s.principal.is_none() && s.not_principal.is_none() && s.effect != Effect::Unknown
                {
                    found.push(
                        Diagnostic::new(
                            &RULE,
                            s.anchor(),
                            format!(
                                "a statement in the trust policy of {subject} has no `Principal`"
                            ),
                        )
                        .label("statement without a principal")
                        .help("name who may assume the role in `Principal`")
                        .subject("missing-principal"),
                    );
                }
                if let Some(a) = &s.action {
                    for (node, lc) in &a.items {
                        let Some(lc) = lc else { continue };
                        if lc != "*" && !lc.starts_with("sts:") {
                            found.push(
                                Diagnostic::new(
                                    &RULE,
                                    node.span,
                                    format!(
                                        "`{}` in the trust policy of {subject} is not an STS action",
                                        crate::tree::display(node.as_str().unwrap_or(lc))
                                    ),
                                )
                                .label("not an STS action")
                                .help("a trust policy grants only sts:AssumeRole* and the session actions (sts:TagSession, sts:SetSourceIdentity, sts:SetContext)")
                                .subject(format!("non-sts-action {lc}")),
                            );
                        }
                    }
                }
            }
            DocKind::Identity => {
                // IAM: "Policy document should not specify a principal".
                for p in [&s.principal, &s.not_principal].into_iter().flatten() {
                    found.push(
                        Diagnostic::new(
                            &RULE,
                            p.entry.key_span,
                            format!(
                                "{subject} is an identity policy with a `{}` element, which IAM rejects",
                                p.entry.key
                            ),
                        )
                        .label("not allowed in an identity policy")
                        .help("an identity policy applies to the user, group or role it is attached to; move the principal to a trust or resource policy")
                        .subject(format!("principal-in-identity {}", p.entry.key)),
                    );
                }
                if s.resource.is_none() && s.not_resource.is_none() && s.effect != Effect::Unknown {
                    found.push(
                        Diagnostic::new(
                            &RULE,
                            s.anchor(),
                            format!("a statement of {subject} has no `Resource`"),
                        )
                        .label("statement without a resource")
                        .help("identity policies must name the resources they apply to")
                        .subject("missing-resource"),
                    );
                }
            }
            DocKind::Resource => {}
        }
    }
    for d in found {
        cx.report(d);
    }
}
