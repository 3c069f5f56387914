//! `--format json`: the stable, versioned shape of SPEC §3.

use serde::Serialize;

use std::io::{self, Write};

use super::{fingerprint, Render, Totals};
use crate::diagnostic::Diagnostic;
use crate::lint::{FileReport, Report};
use crate::source::Position;
use crate::suppress::Silencer;

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
    super::render_report(&mut Json::new(show_suppressed), report, &[])
}

/// The JSON format, written as files arrive: the `diagnostics` array is
/// streamed; `suppressed` (with `show_suppressed`), `limits` and `summary`
/// follow the last file. The text is what `serde_json`'s pretty printer
/// makes of the whole object, byte for byte.
pub struct Json {
    show_suppressed: bool,
    any: bool,
    suppressed: Vec<String>,
    limits: Vec<String>,
    /// Reused for each finding.
    buf: Vec<u8>,
}

/// Array items sit at this depth.
const ITEM: &str = "    ";

impl Json {
    pub fn new(show_suppressed: bool) -> Json {
        Json {
            show_suppressed,
            any: false,
            suppressed: Vec::new(),
            limits: Vec::new(),
            buf: Vec::new(),
        }
    }
}

/// `"name": [ … ]` at the top level, from items already indented.
fn array(out: &mut dyn Write, name: &str, items: &[String]) -> io::Result<()> {
    if items.is_empty() {
        return write!(out, ",\n  \"{name}\": []");
    }
    write!(out, ",\n  \"{name}\": [\n{}\n  ]", items.join(",\n"))
}

impl Render for Json {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let tool = Tool {
            name: "trustlint",
            version: env!("CARGO_PKG_VERSION"),
        };
        let tool = super::indented_json(&tool, "  ");
        write!(
            out,
            "{{\n  \"version\": 1,\n  \"tool\": {},\n  \"diagnostics\": [",
            tool.trim_start()
        )
    }

    fn file(&mut self, out: &mut dyn Write, f: &FileReport) -> io::Result<()> {
        for d in &f.diagnostics {
            let sep = if self.any { "," } else { "" };
            self.any = true;
            self.buf.clear();
            self.buf.extend_from_slice(sep.as_bytes());
            self.buf.push(b'\n');
            super::push_indented_json(&mut self.buf, &diag(f, d, None), ITEM);
            out.write_all(&self.buf)?;
        }
        if self.show_suppressed {
            for (d, s) in f.suppressed.iter().zip(&f.silenced_by) {
                self.suppressed
                    .push(super::indented_json(&diag(f, d, Some(s)), ITEM));
            }
        }
        for l in &f.limits {
            let limit = LimitOut {
                path: &f.source.path,
                limit: l.limit.id(),
                value: l.value,
                message: &l.message,
                span: l.span.map(|sp| SpanOut {
                    start: f.source.position(sp.start as usize),
                    end: f.source.position(sp.end as usize),
                }),
            };
            self.limits.push(super::indented_json(&limit, ITEM));
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
        out.write_all(if self.any { b"\n  ]" } else { b"]" })?;
        if self.show_suppressed {
            array(out, "suppressed", &self.suppressed)?;
        }
        array(out, "limits", &self.limits)?;
        let c = totals.counts;
        let summary = Summary {
            files_scanned: totals.files_scanned,
            files_skipped: totals.skipped.len(),
            errors: c.errors,
            warnings: c.warnings,
            notes: c.notes,
        };
        let summary = super::indented_json(&summary, "  ");
        write!(out, ",\n  \"summary\": {}\n}}\n", summary.trim_start())
    }
}
