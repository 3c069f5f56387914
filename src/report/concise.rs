//! `--format concise`: one line per finding,
//! `path:line:col: severity[ID] message`.

use crate::diagnostic::Diagnostic;
use crate::lint::{FileReport, Report};

fn line(f: &FileReport, d: &Diagnostic) -> String {
    let p = f.source.position(d.primary.span.start as usize);
    let resource = d
        .resource
        .as_deref()
        .map(|r| format!(" [{r}]"))
        .unwrap_or_default();
    format!(
        "{}:{}:{}: {}[{}] {}{resource}",
        f.source.path, p.line, p.column, d.severity, d.rule.id, d.message
    )
}

/// One line per silenced finding: `… (suppressed by comment on line 3: reason)`.
pub fn render_suppressed(report: &Report) -> String {
    let mut out = String::new();
    for (f, d, s) in super::suppressed(report) {
        out.push_str(&format!(
            "{} (suppressed by {})\n",
            line(f, d),
            super::describe_silencer(f, s)
        ));
    }
    out
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for (f, d) in report.diagnostics() {
        out.push_str(&line(f, d));
        out.push('\n');
    }
    out
}
