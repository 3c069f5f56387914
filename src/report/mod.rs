//! Renderers: turn a [`Report`](crate::lint::Report) into text. Human
//! output is the only place miette is used; JSON, SARIF and GitHub output
//! are plain data. Renderers return strings; the binary writes them.

pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod statistics;

use crate::diagnostic::{Diagnostic, Severity};
use crate::limit::{Limit, LimitHit};
use crate::lint::{FileReport, Report};
use crate::suppress::{SilencedBy, Silencer};

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
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Note => c.notes += 1,
            }
        }
        c
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
pub fn limit_notes(report: &Report, concise: bool) -> String {
    let mut out = String::new();
    for (f, hit) in report.limits() {
        if hit.limit == Limit::FileSize {
            continue;
        }
        let place = limit_place(f, hit);
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
pub fn summary_line(report: &Report, seconds: f64) -> String {
    let c = Counts::of(report);
    let scanned = report.files_scanned();
    let with = report
        .files
        .iter()
        .filter(|f| !f.diagnostics.is_empty())
        .count();
    let skipped = report.files_skipped();
    let mut extra = if skipped > 0 {
        format!(", {} skipped", plural(skipped, "file", "files"))
    } else {
        String::new()
    };
    let silenced: usize = report.files.iter().map(|f| f.suppressed.len()).sum();
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
