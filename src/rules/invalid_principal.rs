//! TL105: a principal AWS rejects.
//!
//! Wildcards inside ARNs, account IDs that are not 12 digits, malformed
//! ARNs, unknown principal types, empty lists; and `"Principal": "*"` in a
//! role trust policy, which IAM rejects besides being public (SPEC §2).

use super::{Check, DocCtx, Rule};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::policy::principal::{Class, PrincipalType};
use crate::policy::DocKind;
use crate::tree::{display, Kind};

pub static RULE: Rule = Rule::new(
    &RuleMeta {
        id: "TL105",
        name: "invalid-principal",
        severity: Severity::Error,
        summary: "a principal AWS rejects: wildcard inside an ARN, account ID not 12 digits, malformed ARN, unknown principal type, empty list",
        help: Some("write the principal as an account ID, a role or user ARN, a service principal or an identity provider ARN"),
    },
    Check::Document(check),
);

fn check(cx: &mut DocCtx<'_>) {
    let mut found = Vec::new();
    for s in &cx.policy.statements {
        for block in [&s.principal, &s.not_principal].into_iter().flatten() {
            let e = block.entry;
            match &e.value.kind {
                Kind::Obj(entries) if entries.is_empty() => found.push(
                    Diagnostic::new(
                        &RULE,
                        e.value.span,
                        format!("`{}` of {} names no principal", e.key, cx.subject()),
                    )
                    .label("empty")
                    .subject("empty-principal"),
                ),
                Kind::Obj(entries) => {
                    for pe in entries {
                        if pe.value.as_array().is_some_and(<[_]>::is_empty) {
                            found.push(
                                Diagnostic::new(
                                    &RULE,
                                    pe.value.span,
                                    format!(
                                        "`{}` principal list of {} is empty",
                                        pe.key,
                                        cx.subject()
                                    ),
                                )
                                .label("empty list")
                                .subject(format!("empty-principal {}", pe.key)),
                            );
                        }
                        if matches!(PrincipalType::from_key(&pe.key), PrincipalType::Other(_)) {
                            found.push(
                                Diagnostic::new(
                                    &RULE,
                                    pe.key_span,
                                    format!("`{}` is not a principal type (use AWS, Service, Federated or CanonicalUser)", pe.key),
                                )
                                .label("unknown principal type")
                                .subject(format!("principal-type {}", pe.key)),
                            );
                        }
                    }
                }
                _ => {}
            }
            for p in &block.items {
                if matches!(p.ptype, PrincipalType::Other(_)) {
                    continue;
                }
                let value = p.value.map(display).unwrap_or_default();
                match &p.class {
                    Class::Invalid(why) => found.push(
                        Diagnostic::new(
                            &RULE,
                            p.node.span,
                            format!(
                                "principal \"{value}\" of {} is invalid: {why}",
                                cx.subject()
                            ),
                        )
                        .label(*why)
                        .subject(format!("principal {value}")),
                    ),
                    Class::Public
                        if p.ptype == PrincipalType::Star && cx.kind == DocKind::Trust =>
                    {
                        found.push(
                            Diagnostic::new(
                                &RULE,
                                p.node.span,
                                format!(
                                    "IAM rejects `\"Principal\": \"*\"` in the trust policy of {}",
                                    cx.subject()
                                ),
                            )
                            .label("not accepted in a role trust policy")
                            .help("write `{\"AWS\": …}` with the principals that need access")
                            .subject("principal-star"),
                        )
                    }
                    _ => {}
                }
            }
        }
    }
    for d in found {
        cx.report(d);
    }
}
