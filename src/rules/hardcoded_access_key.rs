//! TL603: a literal access key ID written into a file.
//!
//! `AKIA…` (long-term) and `ASIA…` (temporary) key IDs, in any file read
//! for credentials (workflows, CI files, scripts, AWS config) or holding
//! policies. The message shows the key as `AKIA…` and its last four
//! characters and never the secret; AWS's documented example
//! `AKIAIOSFODNN7EXAMPLE` is exempt.

use super::{masked_key, Check, FactCtx, Rule};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::extract::FactKind;

pub static RULE: Rule = Rule::new(
    &RuleMeta {
        id: "TL603",
        name: "hardcoded-access-key",
        severity: Severity::Error,
        summary: "a literal access key ID (AKIA…, ASIA…) written into a file",
        help: Some(
            "deactivate the key now, remove it from the file and its history, and use a role instead",
        ),
    },
    Check::Fact(check),
);

fn check(cx: &mut FactCtx<'_>) {
    let FactKind::AccessKey { id, secret } = &cx.fact.kind else {
        return;
    };
    let kind = if id.starts_with("ASIA") {
        "temporary access key"
    } else {
        "access key"
    };
    let with = if *secret {
        ", with its secret key,"
    } else {
        ""
    };
    let masked = masked_key(id);
    let d = Diagnostic::new(
        &RULE,
        cx.fact.span,
        format!(
            "{} holds the {kind} {masked}{with} written in plain text",
            cx.fact.context
        ),
    )
    .label("a literal key")
    .subject(format!("access-key {masked}"));
    cx.report(d);
}
