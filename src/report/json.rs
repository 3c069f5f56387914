//! `--format json`: the stable, versioned shape of SPEC §3.

use serde::Serialize;

use super::{fingerprint, Counts};
use crate::diagnostic::Diagnostic;
use crate::lint::{FileReport, Report};
use crate::source::Position;
use crate::suppress::Silencer;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    diagnostics: Vec<Diag<'a>>,
    /// Only with `--show-suppressed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<Vec<Diag<'a>>>,
    /// Limits reached, by path then place (always present; empty when
    /// nothing was cut short).
    limits: Vec<LimitOut<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct LimitOut<'a> {
    path: &'a str,
    /// The limit's stable ID (`documents-per-file`).
    limit: &'static str,
    value: u64,
    message: &'a str,
    /// Where checking stopped; `null` when the file was not read.
    span: Option<SpanOut>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Diag<'a> {
    rule: &'static str,
    name: &'static str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    path: &'a str,
    span: SpanOut,
    resource: Option<&'a str>,
    fingerprint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppression: Option<SuppressionOut<'a>>,
}

#[derive(Serialize)]
struct SuppressionOut<'a> {
    /// "comment", "metadata" or "baseline".
    by: &'static str,
    /// The line the suppression is written on.
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    reason: Option<&'a str>,
}

fn diag<'a>(f: &'a FileReport, d: &'a Diagnostic, s: Option<&'a Silencer>) -> Diag<'a> {
    Diag {
        rule: d.rule.id,
        name: d.rule.name,
        severity: d.severity.as_str(),
        message: &d.message,
        help: d.help.as_deref(),
        path: &f.source.path,
        span: SpanOut {
            start: f.source.position(d.primary.span.start as usize),
            end: f.source.position(d.primary.span.end as usize),
        },
        resource: d.resource.as_deref(),
        fingerprint: fingerprint(&f.source.path, d),
        suppression: s.map(|s| SuppressionOut {
            by: s.by.as_str(),
            line: s.span.map(|sp| f.source.position(sp.start as usize).line),
            reason: s.reason.as_deref(),
        }),
    }
}

#[derive(Serialize)]
struct SpanOut {
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct Summary {
    files_scanned: usize,
    files_skipped: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
}

pub fn render(report: &Report) -> String {
    render_with(report, false)
}

/// With `show_suppressed`, a `suppressed` array lists silenced findings,
/// each with a `suppression` object saying what silenced it.
pub fn render_with(report: &Report, show_suppressed: bool) -> String {
    let c = Counts::of(report);
    let diagnostics = report
        .diagnostics()
        .map(|(f, d)| diag(f, d, None))
        .collect();
    let suppressed = show_suppressed.then(|| {
        super::suppressed(report)
            .map(|(f, d, s)| diag(f, d, Some(s)))
            .collect()
    });
    let out = Output {
        version: 1,
        tool: Tool {
            name: "trustlint",
            version: env!("CARGO_PKG_VERSION"),
        },
        diagnostics,
        suppressed,
        limits: report
            .limits()
            .map(|(f, l)| LimitOut {
                path: &f.source.path,
                limit: l.limit.id(),
                value: l.value,
                message: &l.message,
                span: l.span.map(|sp| SpanOut {
                    start: f.source.position(sp.start as usize),
                    end: f.source.position(sp.end as usize),
                }),
            })
            .collect(),
        summary: Summary {
            files_scanned: report.files_scanned(),
            files_skipped: report.files_skipped(),
            errors: c.errors,
            warnings: c.warnings,
            notes: c.notes,
        },
    };
    let mut s = serde_json::to_string_pretty(&out).unwrap_or_default();
    s.push('\n');
    s
}
