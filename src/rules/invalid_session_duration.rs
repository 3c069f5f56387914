//! TL302: a role session duration IAM rejects.
//!
//! `MaxSessionDuration` must be an integer number of seconds from 3600 to
//! 43200 (research/anchors.md §5.1); values above the range are TL301.

use super::{Check, Rule, SettingCtx};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::extract::{duration_value, is_whole_number_text, Duration, SettingKind};

pub static RULE: Rule = Rule::new(
    &RuleMeta {
        id: "TL302",
        name: "invalid-session-duration",
        severity: Severity::Error,
        summary: "a role duration below 3600 s, not an integer, or not a number",
        help: Some("set MaxSessionDuration to an integer from 3600 to 43200 seconds"),
    },
    Check::Setting(check),
);

fn check(cx: &mut SettingCtx<'_>) {
    // A requested session may be as short as 900 s; what a request may
    // not be is TL301/TL601/TL605's.
    if matches!(cx.setting.kind, SettingKind::Requested { .. }) {
        return;
    }
    let why = match duration_value(&cx.setting.node) {
        Duration::Unknown => return,
        Duration::NotANumber(t) => format!("\"{t}\" is not a number"),
        Duration::Seconds(v) if !v.is_finite() => format!("{v} is out of range"),
        Duration::Seconds(v)
            if v.fract() != 0.0
                || cx
                    .setting
                    .node
                    .scalar_text()
                    .as_deref()
                    .and_then(is_whole_number_text)
                    == Some(false) =>
        {
            let text = cx
                .setting
                .node
                .scalar_text()
                .unwrap_or_else(|| v.to_string());
            format!("{} is not a whole number of seconds", text.trim())
        }
        Duration::Seconds(v)
            if v < 3600.0 && cx.setting.kind == SettingKind::MaxSessionDuration =>
        {
            format!("{v} s is below the minimum of 3600 s")
        }
        Duration::Seconds(_) => return,
    };
    let d = Diagnostic::new(
        &RULE,
        cx.setting.node.span,
        format!("{} {} an invalid value: {why}", cx.subject(), cx.sets()),
    )
    .label("IAM rejects this value")
    .subject(format!("setting {}", cx.setting.key));
    cx.report(d);
}
