//! `--format github`: GitHub Actions workflow commands, one per finding,
//! which the runner turns into annotations on the pull request:
//! `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=TL101 public-trust::message`.
//!
//! Errors are `error`, warnings `warning`, notes `notice`. Data is escaped
//! as the runner expects (`%` → `%25`, CR → `%0D`, LF → `%0A`), and
//! property values also escape `:` (`%3A`) and `,` (`%2C`). Columns are
//! given only for single-line spans (the runner ignores them otherwise);
//! `endColumn` is the column of the last character. Paths are relative to
//! the current directory (the checkout), where GitHub looks for them.

use std::io::{self, Write};
use std::path::Path;

use super::{Render, Totals};
use crate::diagnostic::Severity;
use crate::lint::{FileReport, Report};
use crate::source::Span;

/// Escape a command's message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

/// The `file=…,line=…,…` properties of an annotation at `span` (the file
/// alone without one); `file` is the escaped path, made once per file.
fn place(f: &FileReport, span: Option<Span>, file: &str) -> Vec<String> {
    let mut props = vec![format!("file={file}")];
    let Some(span) = span else {
        return props;
    };
    let start = f.source.position(span.start as usize);
    let end = f.source.position(span.end as usize);
    props.push(format!("line={}", start.line));
    if end.line == start.line {
        let last = end.column.saturating_sub(1).max(start.column);
        props.push(format!("col={}", start.column));
        props.push(format!("endLine={}", start.line));
        props.push(format!("endColumn={last}"));
    } else {
        props.push(format!("endLine={}", end.line));
    }
    props
}

/// The GitHub format: one command per finding as files arrive; each
/// limit reached is a `::warning` titled `trustlint limit ID`, after the
/// findings. Paths are made relative to `root`.
pub struct Github<'a> {
    root: &'a Path,
    limits: Vec<String>,
}

impl<'a> Github<'a> {
    pub fn new(root: &'a Path) -> Github<'a> {
        Github {
            root,
            limits: Vec::new(),
        }
    }
}

impl Render for Github<'_> {
    fn file(&mut self, out: &mut dyn Write, f: &FileReport) -> io::Result<()> {
        if f.diagnostics.is_empty() && f.limits.is_empty() {
            return Ok(());
        }
        let path = crate::paths::relative_to(&f.source.path, self.root)
            .unwrap_or_else(|| f.source.path.clone());
        let file = escape_property(&path);
        for d in &f.diagnostics {
            let mut props = place(f, Some(d.primary.span), &file);
            props.push(format!(
                "title={}",
                escape_property(&format!("{} {}", d.rule.id, d.rule.name))
            ));
            let mut message = d.message.clone();
            if let Some(r) = &d.resource {
                message.push_str(&format!(" [{r}]"));
            }
            if let Some(h) = &d.help {
                message.push_str(&format!("\nhelp: {h}"));
            }
            writeln!(
                out,
                "::{} {}::{}",
                command(d.severity),
                props.join(","),
                escape_data(&message)
            )?;
        }
        for hit in &f.limits {
            let mut props = place(f, hit.span, &file);
            props.push(format!(
                "title={}",
                escape_property(&format!("trustlint limit {}", hit.limit.id()))
            ));
            self.limits.push(format!(
                "::warning {}::{}\n",
                props.join(","),
                escape_data(&super::limit_text(hit))
            ));
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, _: &Totals) -> io::Result<()> {
        for l in &self.limits {
            out.write_all(l.as_bytes())?;
        }
        Ok(())
    }
}

/// Render the report; `root` is the directory paths are made relative to.
pub fn render(report: &Report, root: &Path) -> String {
    super::render_report(&mut Github::new(root), report, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50%\r\nok: a,b"), "50%25%0D%0Aok: a,b");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
