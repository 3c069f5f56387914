//! TL605: a role-chaining request for more than an hour.
//!
//! A session assumed with another role's credentials (role chaining) lasts
//! at most one hour; STS rejects a longer `DurationSeconds`. Found in
//! configure-aws-credentials steps with `role-chaining: true` and in shared
//! config profiles whose `source_profile` itself assumes a role.

use super::{Check, Rule, SettingCtx};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::extract::{duration_value, Duration, SettingKind};
use crate::rules::session_duration_over_limit::human;

pub static RULE: Rule = Rule::new(
    &RuleMeta {
        id: "TL605",
        name: "chained-session-over-limit",
        severity: Severity::Error,
        summary: "a role-chaining request for more than 3600 s (AWS rejects it)",
        help: Some("request at most 3600 seconds for a chained role session"),
    },
    Check::Setting(check),
);

fn check(cx: &mut SettingCtx<'_>) {
    let SettingKind::Requested { chained: true, .. } = cx.setting.kind else {
        return;
    };
    let Duration::Seconds(v) = duration_value(&cx.setting.node) else {
        return;
    };
    if v > 3600.0 {
        let d = Diagnostic::new(
            &RULE,
            cx.setting.node.span,
            format!(
                "{} requests a chained role session of {}; role chaining allows at most 3600 s",
                cx.subject(),
                human(v)
            ),
        )
        .label("STS rejects this for a chained session")
        .subject(format!("setting {}", cx.setting.key));
        cx.report(d);
    }
}
