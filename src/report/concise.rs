//! `--format concise`: one line per finding,
//! `path:line:col: severity[ID] message`.

use std::io::{self, Write};

use super::{Render, Totals};
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

/// The silenced findings of one file, one line each:
/// `… (suppressed by comment on line 3: reason)`.
pub(crate) fn suppressed_lines(f: &FileReport) -> impl Iterator<Item = String> + '_ {
    f.suppressed.iter().zip(&f.silenced_by).map(move |(d, s)| {
        format!(
            "{} (suppressed by {})",
            line(f, d),
            super::describe_silencer(f, s)
        )
    })
}

/// The concise format: finding lines as files arrive; with
/// `show_suppressed`, the silenced ones after the last file.
#[derive(Default)]
pub struct Concise {
    pub show_suppressed: bool,
    suppressed: Vec<String>,
}

impl Concise {
    pub fn new(show_suppressed: bool) -> Concise {
        Concise {
            show_suppressed,
            suppressed: Vec::new(),
        }
    }
}

impl Render for Concise {
    fn file(&mut self, out: &mut dyn Write, f: &FileReport) -> io::Result<()> {
        for d in &f.diagnostics {
            writeln!(out, "{}", line(f, d))?;
        }
        if self.show_suppressed {
            self.suppressed.extend(suppressed_lines(f));
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, _: &Totals) -> io::Result<()> {
        for l in &self.suppressed {
            writeln!(out, "{l}")?;
        }
        Ok(())
    }
}

/// One line per silenced finding: `… (suppressed by comment on line 3: reason)`.
pub fn render_suppressed(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.files {
        for l in suppressed_lines(f) {
            out.push_str(&l);
            out.push('\n');
        }
    }
    out
}

pub fn render(report: &Report) -> String {
    super::render_report(&mut Concise::new(false), report, &[])
}
