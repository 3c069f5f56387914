//! TL601: a CI step or script that asks for a session longer than
//! automation needs.
//!
//! Automation should hold credentials for minutes, not hours: the default
//! recommendation is 3600 s (`automation_session_duration`). Durations over
//! the hard limit are TL301; a chained session over an hour is TL605.

use super::{Check, Rule, SettingCtx};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::extract::{duration_value, Duration, Requester, SettingKind};
use crate::rules::session_duration_over_limit::human;

pub static RULE: Rule = Rule::new(
    &RuleMeta {
        id: "TL601",
        name: "long-automation-session",
        severity: Severity::Warning,
        summary: "a CI step or script that requests credentials for longer than the automation recommendation (default 3600 s)",
        help: Some("request the session the job needs (15 minutes to an hour), or raise automation_session_duration"),
    },
    Check::Setting(check),
);

fn check(cx: &mut SettingCtx<'_>) {
    let SettingKind::Requested {
        by: Requester::Automation,
        chained,
    } = cx.setting.kind
    else {
        return;
    };
    let Duration::Seconds(v) = duration_value(&cx.setting.node) else {
        return;
    };
    let limit = cx.settings.max_session_duration.min(43_200) as f64;
    let recommended = cx.settings.automation_session_duration as f64;
    // A chained session over an hour is TL605 (AWS rejects it).
    if v > recommended && v <= limit && !(chained && v > 3600.0) {
        let d = Diagnostic::new(
            &RULE,
            cx.setting.node.span,
            format!(
                "{} requests a session of {}, over the automation recommendation of {} s",
                cx.subject(),
                human(v),
                recommended
            ),
        )
        .label("longer than automation needs")
        .subject(format!("setting {}", cx.setting.key));
        cx.report(d);
    }
}
