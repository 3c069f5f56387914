//! Renderers for `diff`: JSON (SPEC §3.2), human (coloured like
//! `check`), markdown (a PR comment: a table, widest exposure first, then
//! details) and GitHub workflow annotations on HEAD's lines. They return
//! strings; the binary writes them.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};

use super::{Change, Diff, Kind};
use crate::explain::render::exposure_style;

pub fn json(d: &Diff) -> String {
    let mut s = serde_json::to_string_pretty(d).unwrap_or_else(|_| "{}".to_owned());
    s.push('\n');
    s
}

fn kind_style(k: Kind) -> Style {
    let c = match k {
        Kind::Added => AnsiColor::Red,
        Kind::Widened => AnsiColor::Yellow,
        Kind::Narrowed => AnsiColor::Green,
        Kind::Removed => AnsiColor::Green,
    };
    Style::new().fg_color(Some(c.into())).bold()
}

fn paint(color: bool, style: Style, text: &str) -> String {
    if color {
        format!("{style}{text}{style:#}")
    } else {
        text.to_owned()
    }
}

/// `path:line` of a change (the line in HEAD, when the role is there).
fn place(c: &Change) -> String {
    match c.line {
        Some(l) => format!("{}:{l}", c.path),
        None => c.path.clone(),
    }
}

/// The one-line count of changes.
pub fn summary_line(d: &Diff) -> String {
    let s = &d.summary;
    let n = d.changes.len();
    if n == 0 {
        return format!(
            "No change to who can assume a role ({} → {}).\n",
            d.base, d.head
        );
    }
    let parts: Vec<String> = [
        (s.added, "added"),
        (s.widened, "widened"),
        (s.narrowed, "narrowed"),
        (s.removed, "removed"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, w)| format!("{n} {w}"))
    .collect();
    format!(
        "{n} trust change{} ({} → {}): {}.\n",
        if n == 1 { "" } else { "s" },
        d.base,
        d.head,
        parts.join(", ")
    )
}

pub fn human(d: &Diff, color: bool) -> String {
    let mut out = String::new();
    let bold = Style::new().bold();
    for c in &d.changes {
        let _ = writeln!(
            out,
            "{}[{}] role {} {}",
            paint(color, kind_style(c.change), c.change.as_str()),
            paint(color, exposure_style(c.exposure), c.exposure.as_str()),
            paint(color, bold, &c.role),
            paint(color, Style::new().dimmed(), &format!("({})", place(c)))
        );
        let _ = writeln!(out, "  {}", c.what);
        if let (Some(b), Some(a)) = (&c.before, &c.after) {
            if b.text != a.text {
                let _ = writeln!(out, "  before: {}", b.text);
                let _ = writeln!(out, "  after:  {}", a.text);
            }
        }
        out.push('\n');
    }
    out.push_str(&summary_line(d));
    out
}

/// Escape a markdown table cell.
fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\n', '\r'], " ")
}

fn code(s: &str) -> String {
    format!("`{}`", s.replace('`', "'"))
}

/// A PR comment: a table of changes, widest exposure first (growing
/// changes before the rest), then the details of each.
pub fn markdown(d: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Trust changes: {} → {}\n",
        code(&d.base),
        code(&d.head)
    );
    if d.changes.is_empty() {
        out.push_str("No change to who can assume a role.\n");
        return out;
    }
    let mut order: Vec<&Change> = d.changes.iter().collect();
    order.sort_by_key(|c| (c.exposure, !c.change.grows(), c.change));
    out.push_str("| Change | Exposure | Role | Where | What |\n");
    out.push_str("| --- | --- | --- | --- | --- |\n");
    for c in &order {
        let mark = match c.change {
            Kind::Added | Kind::Widened => "⚠️ ",
            Kind::Narrowed | Kind::Removed => "",
        };
        let _ = writeln!(
            out,
            "| {mark}{} | {} | {} | {} | {} |",
            c.change.as_str(),
            c.exposure.as_str(),
            code(&c.role),
            code(&place(c)),
            cell(&c.what)
        );
    }
    let _ = writeln!(out, "\n{}", summary_line(d).trim_end());
    out.push_str("\n<details><summary>Details</summary>\n\n");
    for c in &order {
        let _ = writeln!(
            out,
            "- **{}** {} in {} ({})",
            c.change.as_str(),
            code(&c.role),
            code(&place(c)),
            c.exposure.as_str()
        );
        if let Some(b) = &c.before {
            let _ = writeln!(out, "  - before: {}", cell(&b.text));
        }
        if let Some(a) = &c.after {
            let _ = writeln!(out, "  - after: {}", cell(&a.text));
        }
        if let Some(g) = c.after.as_ref().or(c.before.as_ref()) {
            let _ = writeln!(out, "  - principal: {}", code(&g.principal));
        }
    }
    out.push_str("\n</details>\n");
    out
}

/// `::warning` for a change that grows trust, `::notice` otherwise, on
/// the role's line in HEAD.
pub fn github(d: &Diff) -> String {
    use crate::report::github::{escape_data, escape_property};
    let mut out = String::new();
    for c in &d.changes {
        let cmd = if c.change.grows() {
            "warning"
        } else {
            "notice"
        };
        let line = c.line.map(|l| format!(",line={l}")).unwrap_or_default();
        let title = format!(
            "trustlint diff: {} ({})",
            c.change.as_str(),
            c.exposure.as_str()
        );
        let _ = writeln!(
            out,
            "::{cmd} file={}{line},title={}::{}",
            escape_property(&c.path),
            escape_property(&title),
            escape_data(&format!("role {}: {}", c.role, c.what))
        );
    }
    out
}
