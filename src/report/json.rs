//! `--format json`: the stable, versioned shape of SPEC §3.

use serde::Serialize;

use super::{fingerprint, Counts};
use crate::lint::Report;
use crate::source::Position;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    diagnostics: Vec<Diag<'a>>,
    summary: Summary,
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
    let c = Counts::of(report);
    let diagnostics = report
        .diagnostics()
        .map(|(f, d)| Diag {
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
        })
        .collect();
    let out = Output {
        version: 1,
        tool: Tool {
            name: "trustlint",
            version: env!("CARGO_PKG_VERSION"),
        },
        diagnostics,
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
