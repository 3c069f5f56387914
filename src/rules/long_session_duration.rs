//! TL303: a session duration above the recommended maximum.
//!
//! Long sessions keep leaked credentials useful for longer. The default
//! recommendation is 4 hours (`recommended_session_duration`); durations
//! over the hard limit are TL301 instead.

use super::{Check, Rule, SettingCtx};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::extract::{duration_value, Duration, Requester, SettingKind};
use crate::rules::session_duration_over_limit::human;

pub static RULE: Rule = Rule::new(
    &RuleMeta {
        id: "TL303",
        name: "long-session-duration",
        severity: Severity::Note,
        summary: "a session duration above the recommended maximum (default 4 hours; configurable)",
        help: Some(
            "shorten the session, or raise recommended_session_duration if long sessions are intended",
        ),
    },
    Check::Setting(check),
);

fn check(cx: &mut SettingCtx<'_>) {
    // Automation's long sessions are TL601 (a lower threshold).
    if let SettingKind::Requested {
        by: Requester::Automation,
        ..
    } = cx.setting.kind
    {
        return;
    }
    let Duration::Seconds(v) = duration_value(&cx.setting.node) else {
        return;
    };
    let limit = cx.settings.max_session_duration.min(43_200) as f64;
    let recommended = cx.settings.recommended_session_duration as f64;
    if v > recommended && v <= limit {
        let d = Diagnostic::new(
            &RULE,
            cx.setting.node.span,
            format!(
                "{} {} {}, above the recommended {} s",
                cx.subject(),
                cx.sets(),
                human(v),
                recommended
            ),
        )
        .label("long-lived credentials")
        .subject(format!("setting {}", cx.setting.key));
        cx.report(d);
    }
}
