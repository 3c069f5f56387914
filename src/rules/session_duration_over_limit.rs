//! TL301: a session duration over 12 hours or the configured limit.
//!
//! Applies to role `MaxSessionDuration` / `max_session_duration` in every
//! format, and to `sts:DurationSeconds` conditions in policies. IAM accepts
//! at most 43,200 s (research/anchors.md §5.1).

use super::{Check, Rule, SettingCtx};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::extract::{duration_value, Duration};

pub static RULE: Rule = Rule::new(
    &RuleMeta {
        id: "TL301",
        name: "session-duration-over-limit",
        severity: Severity::Error,
        summary:
            "a session duration over 12 hours (43200 s), or over the configured max_session_duration",
        help: Some(
            "lower the duration to what the work needs; IAM accepts at most 43200 seconds for roles",
        ),
    },
    Check::Setting(check),
);

/// Seconds as "12 hours" or "5400 s (1.5 hours)".
pub fn human(secs: f64) -> String {
    let hours = secs / 3600.0;
    if hours.fract() == 0.0 {
        format!("{} s ({} hours)", secs, hours)
    } else {
        format!("{secs} s ({hours:.1} hours)")
    }
}

fn check(cx: &mut SettingCtx<'_>) {
    let Duration::Seconds(v) = duration_value(&cx.setting.node) else {
        return;
    };
    let limit = cx.settings.max_session_duration.min(43_200) as f64;
    if v > limit {
        let what = if v > 43_200.0 {
            "the 12-hour maximum"
        } else {
            "the configured max_session_duration"
        };
        let d = Diagnostic::new(
            &RULE,
            cx.setting.node.span,
            format!(
                "{} {} {}, over {what} of {} s",
                cx.subject(),
                cx.sets(),
                human(v),
                limit
            ),
        )
        .label("too long")
        .subject(format!("setting {}", cx.setting.key));
        cx.report(d);
    }
}
