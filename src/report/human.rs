//! Human output through miette: the rule, the message, labelled spans and
//! help. This is the only module that uses miette.
//!
//! miette's default `SourceCode` for strings scans from the start of the
//! file for every label (research/crates.md §5); [`Indexed`] hands it only
//! the lines around the span, found through the file's line index.

use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::Report;
use crate::source::SourceFile;

/// A source with a line index, so rendering a label costs only its lines.
struct Indexed(Arc<SourceFile>);

impl SourceCode for Indexed {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let f = &self.0;
        let text = f.text.as_bytes();
        if span.offset() + span.len() > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first = f.line_index(span.offset());
        let last = f.line_index(
            (span.offset() + span.len())
                .saturating_sub(1)
                .max(span.offset()),
        );
        let win_line = first.saturating_sub(context_lines_before);
        let starts = f.line_starts();
        let win_start = starts[win_line] as usize;
        let end_line = last + context_lines_after + 1;
        let win_end = starts.get(end_line).map_or(text.len(), |&e| e as usize);
        let window = &text[win_start..win_end];
        let local = SourceSpan::new((span.offset() - win_start).into(), span.len());
        let inner = window.read_span(&local, context_lines_before, context_lines_after)?;
        let data = inner.data();
        let data_offset = data.as_ptr() as usize - text.as_ptr() as usize;
        Ok(Box::new(MietteSpanContents::new_named(
            f.path.clone(),
            data,
            SourceSpan::new(data_offset.into(), data.len()),
            inner.line() + win_line,
            inner.column(),
            inner.line_count(),
        )))
    }
}

pub struct HumanOptions {
    pub color: bool,
    pub width: usize,
}

fn severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Note => miette::Severity::Advice,
    }
}

/// The header line, `error[TL101] public-trust: message [resource]`,
/// styled when colour is on.
fn header(d: &Diagnostic, color: bool) -> String {
    let resource = d
        .resource
        .as_deref()
        .map(|r| format!(" [{r}]"))
        .unwrap_or_default();
    if !color {
        return format!(
            "{}[{}] {}: {}{resource}",
            d.severity, d.rule.id, d.rule.name, d.message
        );
    }
    let sev = match d.severity {
        Severity::Error => anstyle::AnsiColor::Red,
        Severity::Warning => anstyle::AnsiColor::Yellow,
        Severity::Note => anstyle::AnsiColor::Cyan,
    };
    let sev = anstyle::Style::new().fg_color(Some(sev.into())).bold();
    let bold = anstyle::Style::new().bold();
    format!(
        "{sev}{}[{}]{sev:#} {bold}{}{bold:#}: {}{resource}",
        d.severity, d.rule.id, d.rule.name, d.message
    )
}

/// Labels further right than this many characters on their line are not
/// drawn: miette pads to the column with a format width, which Rust caps
/// at 65,535 (a panic past it), and no terminal shows such a line anyway.
const MAX_DRAWN_COLUMN: usize = 10_000;

pub fn render_one(
    handler: &GraphicalReportHandler,
    color: bool,
    source: &Arc<SourceFile>,
    d: &Diagnostic,
    out: &mut String,
) {
    let far = std::iter::once(&d.primary)
        .chain(&d.secondary)
        .any(|l| source.position(l.span.end as usize).column > MAX_DRAWN_COLUMN);
    if far {
        // The place and the help, without the snippet.
        let p = source.position(d.primary.span.start as usize);
        out.push_str(&header(d, color));
        out.push_str(&format!(
            "\n  at {}:{}:{} (the line is too long to show)\n",
            source.path, p.line, p.column
        ));
        if let Some(h) = &d.help {
            out.push_str(&format!("  help: {h}\n"));
        }
        out.push_str(&format!("  docs: trustlint rule {}\n\n", d.rule.id));
        return;
    }
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        (!d.primary.text.is_empty()).then(|| d.primary.text.clone()),
        (d.primary.span.start as usize, d.primary.span.len()),
    )];
    for l in &d.secondary {
        labels.push(LabeledSpan::at(
            (l.span.start as usize, l.span.len()),
            l.text.clone(),
        ));
    }
    let mut help = d.help.clone().unwrap_or_default();
    if !help.is_empty() {
        help.push('\n');
    }
    help.push_str(&format!("docs: trustlint rule {}", d.rule.id));
    // The header is ours (SPEC §3 layout); miette draws the snippet, the
    // labels and the help. Its own message line is empty and dropped.
    let diag = MietteDiagnostic::new("")
        .with_severity(severity(d.severity))
        .with_labels(labels)
        .with_help(help);
    let report = miette::Report::new(diag).with_source_code(Indexed(source.clone()));
    let mut body = String::new();
    out.push_str(&header(d, color));
    out.push('\n');
    if handler.render_report(&mut body, report.as_ref()).is_ok() {
        let body = body.split_once('\n').map_or("", |(_, rest)| rest);
        out.push_str(body);
    }
    out.push('\n');
}

pub fn handler(opts: &HumanOptions) -> GraphicalReportHandler {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width)
        .with_links(false)
        .with_context_lines(2)
}

/// The silenced findings, one line each, under a heading.
pub fn render_suppressed(report: &Report) -> String {
    let lines = super::concise::render_suppressed(report);
    if lines.is_empty() {
        return String::new();
    }
    let n = lines.lines().count();
    let mut out = format!("Suppressed findings ({n}):\n");
    for l in lines.lines() {
        out.push_str("  ");
        out.push_str(l);
        out.push('\n');
    }
    out
}

/// A configuration error, with the file's text around its span.
pub fn render_config_error(e: &crate::config::ConfigError, opts: &HumanOptions) -> String {
    let at = e.text.as_ref().zip(e.span);
    // Without a snippet (the file could not be read) the message names the file.
    let message = match at {
        Some(_) => e.message.clone(),
        None => format!("{}: {}", e.path, e.message),
    };
    let mut diag = MietteDiagnostic::new(message).with_severity(miette::Severity::Error);
    if let Some(h) = &e.help {
        diag = diag.with_help(h.clone());
    }
    let mut out = String::new();
    let handler = handler(opts);
    let rendered = match at {
        Some((text, span)) => {
            let diag = diag.with_label(LabeledSpan::new_primary_with_span(
                (!e.label.is_empty()).then(|| e.label.clone()),
                (span.start as usize, span.len()),
            ));
            let src = Arc::new(SourceFile::new(e.path.clone(), text.to_string()));
            let report = miette::Report::new(diag).with_source_code(Indexed(src));
            handler.render_report(&mut out, report.as_ref())
        }
        None => handler.render_report(&mut out, &diag),
    };
    if rendered.is_err() {
        out = format!("error: {e}\n");
    }
    out
}

pub fn render(report: &Report, opts: &HumanOptions) -> String {
    let handler = handler(opts);
    let mut out = String::new();
    for f in &report.files {
        for d in &f.diagnostics {
            render_one(&handler, opts.color, &f.source, d, &mut out);
        }
    }
    out
}
