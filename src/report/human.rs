//! Human output through miette: the rule, the message, labelled spans and
//! help. This is the only module that uses miette.
//!
//! miette reads the source through [`SourceCode`]; we hand it an
//! [`Excerpt`] instead of the file: only the lines around the labels, found
//! through the file's line index (miette's default scans from the start of
//! the file for every label, research/crates.md §5), with
//! - every secret masked ([`crate::mask`], SPEC TL603), and
//! - every line longer than [`MAX_LINE_CHARS`] cut to a window of
//!   [`WINDOW_CHARS`] around its label, with `…` for what is left out: a
//!   finding on a minified plan printed the whole line (76 KB, or 50 MB for
//!   100,000 roles, and miette panics on a line wider than 65,535 columns).
//!
//! Line numbers and the `[path:line:col]` header are those of the file.

use std::io::{self, Write};
use std::ops::Range;
use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use super::{Render, Totals};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{FileReport, Report};
use crate::source::{SourceFile, Span};

/// Lines longer than this (in characters) are cut around their labels.
pub const MAX_LINE_CHARS: usize = 160;
/// How many characters of a cut line are shown.
pub const WINDOW_CHARS: usize = 120;
/// How many characters before a label's start a cut line keeps.
const LEAD_CHARS: usize = 30;
/// Context lines around a label (miette's `context_lines`).
const CONTEXT_LINES: usize = 2;
const ELLIPSIS: &str = "…";

/// A run of excerpt text and the file bytes it stands for: a copy (same
/// length), or a replacement (a masked secret, an ellipsis).
#[derive(Clone, Debug)]
struct Seg {
    file: Range<usize>,
    shown: Range<usize>,
    copy: bool,
}

/// Consecutive lines of the file, as shown.
#[derive(Debug)]
struct Piece {
    /// 0-based line number of the first line.
    first_line: usize,
    /// Where each line starts in the excerpt text, and where the piece ends.
    line_starts: Vec<usize>,
    end: usize,
}

/// What miette reads: the lines around one diagnostic's labels.
struct Excerpt {
    name: String,
    text: String,
    pieces: Vec<Piece>,
    segs: Vec<Seg>,
    /// Each label's span in the excerpt and its start in the file, for
    /// the header's column.
    labels: Vec<(SourceSpan, usize)>,
}

/// Move `at` back (`forward == false`) or forward over at most `n`
/// characters, within `bounds`. Costs O(n), whatever the line's length.
fn step_chars(text: &str, at: usize, n: usize, forward: bool, bounds: Range<usize>) -> usize {
    let mut i = at;
    for _ in 0..n {
        if forward {
            if i >= bounds.end {
                break;
            }
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        } else {
            if i <= bounds.start {
                break;
            }
            i -= text[..i].chars().next_back().map_or(1, char::len_utf8);
        }
    }
    i.clamp(bounds.start, bounds.end)
}

/// Is `text[range]` longer than `n` characters? Bounded by `4 n` bytes.
fn longer_than(text: &str, range: Range<usize>, n: usize) -> bool {
    let len = range.end - range.start;
    len > n && (len > 4 * n || text[range].chars().count() > n)
}

impl Excerpt {
    /// The excerpt of `file` for labels at `spans` (the primary first).
    fn new(file: &SourceFile, spans: &[Span]) -> Excerpt {
        let text = file.text.as_str();
        let starts = file.line_starts();
        let last_line = starts.len().saturating_sub(1);
        let line_end = |l: usize| starts.get(l + 1).map_or(text.len(), |&e| e as usize);
        let spans: Vec<Range<usize>> = spans
            .iter()
            .map(|s| {
                let a = file.clamp(s.start as usize);
                a..file.clamp(s.end as usize).max(a)
            })
            .collect();
        // The lines miette shows, merged when they touch (miette then
        // draws them as one snippet, and must be able to read them so).
        let mut ranges: Vec<(usize, usize)> = spans
            .iter()
            .map(|r| {
                let first = file.line_index(r.start);
                let last = file.line_index(r.end.saturating_sub(1).max(r.start));
                (
                    first.saturating_sub(CONTEXT_LINES),
                    (last + CONTEXT_LINES).min(last_line),
                )
            })
            .collect();
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (a, b) in ranges {
            match merged.last_mut() {
                Some(prev) if a <= prev.1 + 2 * CONTEXT_LINES + 2 => prev.1 = prev.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        let mut ex = Excerpt {
            name: file.path.clone(),
            text: String::new(),
            pieces: Vec::new(),
            segs: Vec::new(),
            labels: Vec::new(),
        };
        for (a, b) in merged {
            let mut piece = Piece {
                first_line: a,
                line_starts: Vec::with_capacity(b - a + 1),
                end: 0,
            };
            for line in a..=b {
                piece.line_starts.push(ex.text.len());
                let start = starts.get(line).map_or(text.len(), |&s| s as usize);
                let end = line_end(line);
                let content_end = start + text[start..end].trim_end_matches(['\n', '\r']).len();
                ex.line(text, start..content_end, &spans);
                ex.copy(text, content_end..end);
            }
            piece.end = ex.text.len();
            ex.pieces.push(piece);
        }
        for r in &spans {
            let s = ex.to_shown(r.start, false);
            let e = ex.to_shown(r.end, true).max(s);
            ex.labels.push((SourceSpan::new(s.into(), e - s), r.start));
        }
        ex
    }

    fn push(&mut self, file: Range<usize>, shown: &str, copy: bool) {
        let at = self.text.len();
        self.text.push_str(shown);
        self.segs.push(Seg {
            file,
            shown: at..self.text.len(),
            copy,
        });
    }

    fn copy(&mut self, text: &str, r: Range<usize>) {
        if !r.is_empty() {
            self.push(r.clone(), &text[r], true);
        }
    }

    /// Copy `text[r]` with its secrets masked; `context` (around `r`) is
    /// what is searched, so a secret-key name just before `r` counts.
    fn masked(&mut self, text: &str, r: Range<usize>, context: Range<usize>) {
        let mut at = r.start;
        for s in crate::mask::secrets(&text[context.clone()]) {
            let found = s.range.start + context.start..s.range.end + context.start;
            if found.end <= r.start || found.start >= r.end {
                continue;
            }
            // The callers widen `r` over a secret it cuts; clamp anyway.
            let found = found.start.max(at)..found.end.min(r.end);
            self.copy(text, at..found.start);
            self.push(found.clone(), &s.shown, false);
            at = found.end;
        }
        self.copy(text, at..r.end);
    }

    /// One line (without its line break), cut around the labels on it when
    /// it is long.
    fn line(&mut self, text: &str, line: Range<usize>, spans: &[Range<usize>]) {
        let floor = |at: usize| {
            let mut at = at;
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        let ceil = |at: usize| {
            let mut at = at.min(text.len());
            while !text.is_char_boundary(at) {
                at += 1;
            }
            at
        };
        if !longer_than(text, line.clone(), MAX_LINE_CHARS) {
            let context = floor(line.start.saturating_sub(crate::mask::LOOK_BEHIND))..line.end;
            self.masked(text, line, context);
            return;
        }
        // The primary label, else the first label, with an end on this line.
        let touches = |r: &Range<usize>| {
            (line.start..=line.end).contains(&r.start) || (line.start..=line.end).contains(&r.end)
        };
        let (mut a, mut b) = match spans.iter().find(|r| touches(r)) {
            Some(r) if r.start >= line.start => {
                let a = step_chars(text, r.start, LEAD_CHARS, false, line.clone());
                (a, step_chars(text, a, WINDOW_CHARS, true, line.clone()))
            }
            Some(r) => {
                let a = step_chars(text, r.end, WINDOW_CHARS - LEAD_CHARS, false, line.clone());
                (a, step_chars(text, a, WINDOW_CHARS, true, line.clone()))
            }
            None => (
                line.start,
                step_chars(text, line.start, WINDOW_CHARS, true, line.clone()),
            ),
        };
        let context = floor(a.saturating_sub(crate::mask::LOOK_BEHIND).max(line.start))
            ..ceil(b + crate::mask::LOOK_BEHIND).min(line.end);
        // A secret the window cuts is shown whole (masked).
        for s in crate::mask::secrets(&text[context.clone()]) {
            let found = s.range.start + context.start..s.range.end + context.start;
            if found.start < a && found.end > a {
                a = found.start;
            }
            if found.start < b && found.end > b {
                b = found.end;
            }
        }
        if a > line.start {
            self.push(line.start..a, ELLIPSIS, false);
        }
        self.masked(text, a..b, context);
        if b < line.end {
            self.push(b..line.end, ELLIPSIS, false);
        }
    }

    /// Where file offset `at` is shown: a replaced run maps to its start
    /// (or, for the end of a span, its end).
    fn to_shown(&self, at: usize, end: bool) -> usize {
        let i = self.segs.partition_point(|s| s.file.start <= at);
        let Some(s) = i.checked_sub(1).and_then(|i| self.segs.get(i)) else {
            return 0;
        };
        if at >= s.file.end {
            // Past the last byte of this run (the end of a span, or a
            // line not shown).
            return s.shown.end;
        }
        if s.copy {
            s.shown.start + (at - s.file.start)
        } else if end && at > s.file.start {
            s.shown.end
        } else {
            s.shown.start
        }
    }

    /// The file offset a shown offset stands for.
    fn to_file(&self, at: usize) -> usize {
        let i = self.segs.partition_point(|s| s.shown.start <= at);
        match i.checked_sub(1).and_then(|i| self.segs.get(i)) {
            Some(s) if s.copy => s.file.start + (at - s.shown.start).min(s.file.len()),
            Some(s) if at >= s.shown.end => s.file.end,
            Some(s) => s.file.start,
            None => 0,
        }
    }
}

/// A label's span in the excerpt.
fn shown_span(ex: &Excerpt, i: usize) -> (usize, usize) {
    ex.labels
        .get(i)
        .map_or((0, 0), |(s, _)| (s.offset(), s.len()))
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.text.as_bytes();
        let (from, to) = (span.offset(), span.offset() + span.len());
        let piece_at = self
            .pieces
            .partition_point(|p| p.line_starts.first().is_some_and(|&s| s <= from));
        let piece = piece_at
            .checked_sub(1)
            .and_then(|i| self.pieces.get(i))
            .ok_or(MietteError::OutOfBounds)?;
        if to > piece.end {
            return Err(MietteError::OutOfBounds);
        }
        let line_of = |at: usize| {
            piece
                .line_starts
                .partition_point(|&s| s <= at)
                .saturating_sub(1)
        };
        let first = line_of(from);
        let last = line_of(to.saturating_sub(1).max(from));
        let win_line = first.saturating_sub(context_lines_before);
        let win_start = piece.line_starts[win_line];
        let win_end = piece
            .line_starts
            .get(last + context_lines_after + 1)
            .map_or(piece.end, |&e| e);
        let window = &text[win_start..win_end];
        let local = SourceSpan::new((from - win_start).into(), span.len());
        let inner = window.read_span(&local, context_lines_before, context_lines_after)?;
        let data = inner.data();
        let data_offset = data.as_ptr() as usize - text.as_ptr() as usize;
        let mut column = inner.column();
        if context_lines_before == 0 {
            // The header's column, in the file (cut lines are shorter).
            let start = self
                .labels
                .iter()
                .find(|(s, _)| s.offset() == from && s.len() == span.len())
                .map_or_else(|| self.to_file(from), |&(_, start)| start);
            let line_start = self.to_file(piece.line_starts[first]);
            column = start.saturating_sub(line_start);
        }
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            SourceSpan::new(data_offset.into(), data.len()),
            inner.line() + win_line + piece.first_line,
            column,
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

pub fn render_one(
    handler: &GraphicalReportHandler,
    color: bool,
    source: &Arc<SourceFile>,
    d: &Diagnostic,
    out: &mut String,
) {
    let spans: Vec<Span> = std::iter::once(d.primary.span)
        .chain(d.secondary.iter().map(|l| l.span))
        .collect();
    let excerpt = Excerpt::new(source, &spans);
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        (!d.primary.text.is_empty()).then(|| d.primary.text.clone()),
        shown_span(&excerpt, 0),
    )];
    for (i, l) in d.secondary.iter().enumerate() {
        labels.push(LabeledSpan::at(shown_span(&excerpt, i + 1), l.text.clone()));
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
    let report = miette::Report::new(diag).with_source_code(excerpt);
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
    let lines: Vec<String> = report
        .files
        .iter()
        .flat_map(super::concise::suppressed_lines)
        .collect();
    suppressed_section(&lines)
}

fn suppressed_section(lines: &[String]) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let mut out = format!("Suppressed findings ({}):\n", lines.len());
    for l in lines {
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
            let src = SourceFile::new(e.path.clone(), text.to_string());
            let excerpt = Excerpt::new(&src, &[span]);
            let diag = diag.with_label(LabeledSpan::new_primary_with_span(
                (!e.label.is_empty()).then(|| e.label.clone()),
                shown_span(&excerpt, 0),
            ));
            let report = miette::Report::new(diag).with_source_code(excerpt);
            handler.render_report(&mut out, report.as_ref())
        }
        None => handler.render_report(&mut out, &diag),
    };
    if rendered.is_err() {
        out = format!("error: {e}\n");
    }
    out
}

/// The human format: each finding drawn as its file arrives; with
/// `show_suppressed`, the silenced ones listed after the last file.
pub struct Human {
    handler: GraphicalReportHandler,
    color: bool,
    show_suppressed: bool,
    suppressed: Vec<String>,
    buf: String,
}

impl Human {
    pub fn new(opts: &HumanOptions, show_suppressed: bool) -> Human {
        Human {
            handler: handler(opts),
            color: opts.color,
            show_suppressed,
            suppressed: Vec::new(),
            buf: String::new(),
        }
    }
}

impl Render for Human {
    fn file(&mut self, out: &mut dyn Write, f: &FileReport) -> io::Result<()> {
        for d in &f.diagnostics {
            self.buf.clear();
            render_one(&self.handler, self.color, &f.source, d, &mut self.buf);
            out.write_all(self.buf.as_bytes())?;
        }
        if self.show_suppressed {
            self.suppressed.extend(super::concise::suppressed_lines(f));
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, _: &Totals) -> io::Result<()> {
        out.write_all(suppressed_section(&self.suppressed).as_bytes())
    }
}

pub fn render(report: &Report, opts: &HumanOptions) -> String {
    super::render_report(&mut Human::new(opts, false), report, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_at(text: &str, primary: Span, secondary: &[Span]) -> String {
        let src = Arc::new(SourceFile::new("f.json", text));
        let mut d = Diagnostic::new(&crate::rules::public_trust::RULE, primary, "m").label("here");
        for s in secondary {
            d = d.secondary(*s, "there");
        }
        let handler = handler(&HumanOptions {
            color: false,
            width: 100,
        });
        let mut out = String::new();
        render_one(&handler, false, &src, &d, &mut out);
        out
    }

    #[test]
    fn long_lines_are_cut_around_the_label() {
        let text = format!(
            "{{\n{}\"AWS\": \"*\"{}\n}}\n",
            "x".repeat(5000),
            "y".repeat(5000)
        );
        let at = text.find("\"*\"").unwrap();
        let out = render_at(&text, Span::new(at, at + 3), &[]);
        // The header gives the file's column; the line is a window with
        // an ellipsis on each side.
        assert!(out.contains(&format!("[f.json:2:{}]", at - 2 + 1)), "{out}");
        let line = out.lines().find(|l| l.contains("\"AWS\"")).unwrap();
        assert!(line.starts_with(" 2 │ …") && line.ends_with('…'), "{line}");
        assert!(line.chars().count() < WINDOW_CHARS + 10, "{line}");
        // The underline sits under the label.
        let under = out.lines().find(|l| l.contains("┬")).unwrap();
        let col = |s: &str, pat: &str| s.find(pat).map(|b| s[..b].chars().count());
        assert_eq!(col(line, "\"*\""), col(under, "─"), "{out}");
    }

    #[test]
    fn a_label_wider_than_the_window_and_a_far_secondary() {
        let text = format!("[{}]\n", "\"a\",".repeat(100_000));
        let out = render_at(
            &text,
            Span::new(1, text.len() - 2),
            &[Span::new(300_000, 300_003)],
        );
        assert!(out.lines().all(|l| l.chars().count() < 400), "{out}");
        assert!(out.contains("[f.json:1:2]"), "{out}");
    }

    #[test]
    fn short_files_are_shown_as_written() {
        let text = "{\n  \"Principal\": \"*\",\n  \"Action\": \"sts:AssumeRole\"\n}\n";
        let at = text.find("\"*\"").unwrap();
        let out = render_at(text, Span::new(at, at + 3), &[Span::new(2, 11)]);
        for l in text.lines() {
            assert!(out.contains(l), "{l:?} in {out}");
        }
        assert!(out.contains("[f.json:2:16]"), "{out}");
    }

    #[test]
    fn secrets_in_excerpts_are_masked() {
        let key = "AKIAQ3EGRZ5WPNX7TK42";
        let secret = "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";
        let short = format!(
            "{{\"Principal\": \"*\",\n \"aws_access_key_id\": \"{key}\",\n \"aws_secret_access_key\": \"{secret}\"}}\n"
        );
        let long = format!(
            "{{\"Principal\": \"*\", \"aws_access_key_id\": \"{key}\", {} \"aws_secret_access_key\": \"{secret}\"}}\n",
            "\"k\": 1,".repeat(3)
        );
        for text in [short, long] {
            let at = text.find("\"*\"").unwrap();
            let out = render_at(&text, Span::new(at, at + 3), &[]);
            assert!(!out.contains(key) && !out.contains(secret), "{out}");
            assert!(out.contains("AKIA…TK42"), "{out}");
        }
    }
}
