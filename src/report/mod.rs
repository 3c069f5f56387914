//! Renderers: turn the report into text. Human output is the only place
//! miette is used; JSON, SARIF and GitHub output are plain data.
//!
//! Every format is a [`Render`]: it writes each file's part as the file's
//! report arrives, in path order (the streaming report, SPEC §6), and what
//! follows the last file from the [`Totals`] of the run. Each module's
//! `render` function runs its renderer over a whole [`Report`] into a
//! string, through the same code.

pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod statistics;

use std::io::{self, Write};

use crate::diagnostic::{Diagnostic, Severity};
use crate::limit::{Limit, LimitHit};
use crate::lint::{FileReport, FileStatus, Report};
use crate::suppress::{SilencedBy, Silencer};

/// A report format written file by file.
pub trait Render {
    /// What comes before the first file.
    fn begin(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
    /// One file's findings, in path order.
    fn file(&mut self, out: &mut dyn Write, f: &FileReport) -> io::Result<()>;
    /// What follows the last file.
    fn end(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()>;
}

/// What a run adds up to, file by file: the summary, the exit code, the
/// skips, errors and limits named on stderr.
#[derive(Debug, Default)]
pub struct Totals {
    pub counts: Counts,
    pub files_scanned: usize,
    pub files_with_findings: usize,
    pub silenced: usize,
    /// Files not linted, with the reason.
    pub skipped: Vec<(String, String)>,
    /// Paths that could not be read or analysed (exit code 2): the walk's,
    /// given before the run, then the files'.
    pub errors: Vec<(String, String)>,
    /// Limits reached: where (`path:line:col`, see [`limit_place`]) and what.
    pub limits: Vec<(String, LimitHit)>,
    /// The most severe finding.
    pub worst: Option<Severity>,
}

impl Totals {
    /// Count one file's report.
    pub fn add(&mut self, f: &FileReport) {
        match &f.status {
            // The file was counted with its first report.
            FileStatus::Scanned | FileStatus::Skipped(_) if f.again => {}
            FileStatus::Scanned => self.files_scanned += 1,
            FileStatus::Skipped(why) => self.skipped.push((f.source.path.clone(), why.clone())),
            FileStatus::Error(e) => self.errors.push((f.source.path.clone(), e.clone())),
        }
        if !f.diagnostics.is_empty() && !f.again {
            self.files_with_findings += 1;
        }
        self.silenced += f.suppressed.len();
        for d in &f.diagnostics {
            self.counts.add(d.severity);
            self.worst = self.worst.max(Some(d.severity));
        }
        for hit in &f.limits {
            self.limits.push((limit_place(f, hit), hit.clone()));
        }
    }

    /// The totals of a whole report.
    pub fn of(report: &Report) -> Totals {
        let mut t = Totals::default();
        for f in &report.files {
            t.add(f);
        }
        t
    }
}

/// Run a renderer over a whole report, into a string; `errors` are the
/// paths that could not be read before the run (the walk's).
pub fn render_report(r: &mut dyn Render, report: &Report, errors: &[(String, String)]) -> String {
    let mut totals = Totals {
        errors: errors.to_vec(),
        ..Totals::default()
    };
    let mut out = Vec::new();
    let _ = r.begin(&mut out);
    for f in &report.files {
        totals.add(f);
        let _ = r.file(&mut out, f);
    }
    let _ = r.end(&mut out, &totals);
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A value as pretty JSON with every line indented by `by` (JSON strings
/// never hold a raw line break, so lines are safe to indent).
pub(crate) fn indented_json(value: &impl serde::Serialize, by: &str) -> String {
    let mut out = Vec::new();
    push_indented_json(&mut out, value, by);
    // Serialised JSON is UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// [`indented_json`], appended to `out`.
pub(crate) fn push_indented_json(out: &mut Vec<u8>, value: &impl serde::Serialize, by: &str) {
    out.extend_from_slice(by.as_bytes());
    let mut ser = serde_json::Serializer::with_formatter(
        &mut *out,
        Indented {
            by: by.as_bytes(),
            level: 0,
            has_value: false,
        },
    );
    // Writing to memory cannot fail; our values always serialise.
    let _ = value.serialize(&mut ser);
}

/// serde_json's pretty format (two spaces a level) with every line after
/// the first starting with `by`: one pass, where pretty-printing to a
/// buffer and indenting its lines took a second copy of each finding.
struct Indented<'b> {
    by: &'b [u8],
    level: usize,
    has_value: bool,
}

impl Indented<'_> {
    /// A line break (after `lead`'s comma, if any) and the next line's
    /// indentation.
    fn line<W: ?Sized + std::io::Write>(&self, w: &mut W, lead: &[u8]) -> std::io::Result<()> {
        w.write_all(lead)?;
        w.write_all(self.by)?;
        for _ in 0..self.level {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.level = self.level.saturating_sub(1);
        if self.has_value {
            self.line(w, b"\n")?;
        }
        w.write_all(bracket)
    }

    fn item<W: ?Sized + std::io::Write>(&self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.line(w, if first { b"\n" } else { b",\n" })
    }
}

/// serde_json's `PrettyFormatter`, with [`Indented::line`] for its
/// indentation.
impl serde_json::ser::Formatter for Indented<'_> {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Every silenced finding with what silenced it, in report order.
pub fn suppressed(report: &Report) -> impl Iterator<Item = (&FileReport, &Diagnostic, &Silencer)> {
    report.files.iter().flat_map(|f| {
        f.suppressed
            .iter()
            .zip(&f.silenced_by)
            .map(move |(d, s)| (f, d, s))
    })
}

/// "comment on line 12: reason", "baseline".
pub fn describe_silencer(f: &FileReport, s: &Silencer) -> String {
    let place = match (s.by, s.span) {
        (SilencedBy::Baseline, _) => "the baseline".to_owned(),
        (by, Some(span)) => format!(
            "{} on line {}",
            by.as_str(),
            f.source.position(span.start as usize).line
        ),
        (by, None) => by.as_str().to_owned(),
    };
    match (&s.reason, s.by) {
        (_, SilencedBy::Baseline) => place,
        (Some(r), _) => format!("{place}: {r}"),
        (None, _) => format!("{place} (no reason given)"),
    }
}

/// Counts by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl Counts {
    pub fn of(report: &Report) -> Counts {
        let mut c = Counts::default();
        for (_, d) in report.diagnostics() {
            c.add(d.severity);
        }
        c
    }

    pub fn add(&mut self, s: Severity) {
        match s {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Note => self.notes += 1,
        }
    }

    pub fn total(self) -> usize {
        self.errors + self.warnings + self.notes
    }
}

/// A fingerprint that survives line moves: rule, path, resource and the
/// normalised subject of the finding (FNV-1a, stable across versions).
pub fn fingerprint(path: &str, d: &Diagnostic) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [
        d.rule.id,
        path,
        d.resource.as_deref().unwrap_or(""),
        d.subject.as_str(),
    ] {
        for b in part.bytes().chain(std::iter::once(0u8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// Where a limit was reached: `path:line:col`, or the path when the
/// place is not known (a file not read).
pub fn limit_place(f: &FileReport, hit: &LimitHit) -> String {
    match hit.span {
        Some(sp) => {
            let p = f.source.position(sp.start as usize);
            format!("{}:{}:{}", f.source.path, p.line, p.column)
        }
        None => f.source.path.clone(),
    }
}

/// "only the first 10000 … were checked (limit documents-per-file = 10000)".
pub fn limit_text(hit: &LimitHit) -> String {
    format!("{} (limit {} = {})", hit.message, hit.limit.id(), hit.value)
}

/// The stderr notes for the limits reached, one line each, in report
/// order: `note: path:line:col: …` (human and github), or
/// `path:line:col: note: …` (`concise`, like its finding lines). A file
/// too large to read is named by its skip note already.
pub fn limit_notes(totals: &Totals, concise: bool) -> String {
    let mut out = String::new();
    for (place, hit) in &totals.limits {
        if hit.limit == Limit::FileSize {
            continue;
        }
        let text = limit_text(hit);
        if concise {
            out.push_str(&format!("{place}: note: {text}\n"));
        } else {
            out.push_str(&format!("note: {place}: {text}\n"));
        }
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "Found 3 problems (1 error, 2 warnings) in 2 of 41 files scanned (0.04 s)."
pub fn summary_line(totals: &Totals, seconds: f64) -> String {
    let c = totals.counts;
    let scanned = totals.files_scanned;
    let with = totals.files_with_findings;
    let skipped = totals.skipped.len();
    let mut extra = if skipped > 0 {
        format!(", {} skipped", plural(skipped, "file", "files"))
    } else {
        String::new()
    };
    let silenced = totals.silenced;
    if silenced > 0 {
        extra.push_str(&format!(
            ", {} suppressed",
            plural(silenced, "finding", "findings")
        ));
    }
    if c.total() == 0 {
        return format!(
            "No problems found in {} scanned{extra} ({seconds:.2} s).",
            plural(scanned, "file", "files")
        );
    }
    let mut parts = Vec::new();
    if c.errors > 0 {
        parts.push(plural(c.errors, "error", "errors"));
    }
    if c.warnings > 0 {
        parts.push(plural(c.warnings, "warning", "warnings"));
    }
    if c.notes > 0 {
        parts.push(plural(c.notes, "note", "notes"));
    }
    format!(
        "Found {} ({}) in {with} of {} scanned{extra} ({seconds:.2} s).",
        plural(c.total(), "problem", "problems"),
        parts.join(", "),
        plural(scanned, "file", "files"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-pass format is serde_json's pretty output with every line
    /// after the first indented: nesting, empty collections, escapes.
    #[test]
    fn indented_json_is_pretty_json_indented() {
        let value = serde_json::json!({
            "a": [],
            "b": {},
            "c": [1, [2, []], {"d": {"e": null}}],
            "f": "line\nbreak \"quoted\" \u{1} é",
            "g": [{}],
            "h": {"i": [true, false], "j": 1.5},
        });
        for by in ["", "  ", "    "] {
            let pretty = serde_json::to_string_pretty(&value).unwrap_or_default();
            let expected = format!("{by}{}", pretty.replace('\n', &format!("\n{by}")));
            assert_eq!(indented_json(&value, by), expected);
        }
    }
}
