//! The one diagnostic type every rule produces, and severities.
//!
//! Diagnostics are plain data: renderers (human via miette, JSON, SARIF,
//! GitHub) live in `report/` and never feed back into the library.

use std::fmt;

use serde::Serialize;

use crate::source::Span;

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

/// What every stage may know of a rule: its ID, name, default severity,
/// summary and help. The check lives with it in `rules/` (a
/// [`crate::rules::Rule`]); diagnostics point here.
pub struct RuleMeta {
    pub id: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// Default help for its diagnostics.
    pub help: Option<&'static str>,
}

impl RuleMeta {
    /// The documentation page, embedded in the binary.
    pub fn page(&self) -> &'static str {
        crate::docs::page(self.id).unwrap_or("")
    }
}

impl PartialEq for RuleMeta {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl fmt::Debug for RuleMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.id, self.name)
    }
}

/// TL001, reported by the stages that parse (its page: `rules/`).
pub static PARSE_ERROR: RuleMeta = RuleMeta {
    id: "TL001",
    name: "parse-error",
    severity: Severity::Error,
    summary:
        "an IAM-related file that is not valid JSON / YAML / HCL, or nests deeper than the limit",
    help: Some("fix the syntax error; nothing else in this file was checked"),
};

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "note" | "info" => Some(Severity::Note),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

impl Label {
    pub fn new(span: Span, text: impl Into<String>) -> Self {
        Label {
            span,
            text: text.into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    /// What is wrong, naming the resource and what is exposed. Lower-case
    /// start, no trailing period.
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    /// The resource the finding belongs to: a CloudFormation logical ID, a
    /// Terraform address, or a role name or ARN.
    pub resource: Option<String>,
    /// What the finding is about, independent of its position (the
    /// normalised principal, condition or setting): the baseline and SARIF
    /// fingerprints use it so moving code does not resurrect findings.
    pub subject: String,
    /// The limit this diagnostic reports reaching (a TL001 where checking
    /// stopped): the driver also records it as a [`crate::limit::LimitHit`],
    /// which no selection or suppression hides.
    pub limit: Option<crate::limit::Bound>,
}

impl Diagnostic {
    pub fn new(rule: &'static RuleMeta, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: rule.severity,
            message: message.into(),
            primary: Label::new(span, ""),
            secondary: Vec::new(),
            help: rule.help.map(str::to_owned),
            resource: None,
            subject: String::new(),
            limit: None,
        }
    }

    pub fn label(mut self, text: impl Into<String>) -> Self {
        self.primary.text = text.into();
        self
    }

    /// A secondary label. One at the primary span (a value resolved from
    /// another file, whose place cannot be drawn here) joins the primary
    /// label's text, so where the value came from is still said.
    pub fn secondary(mut self, span: Span, text: impl Into<String>) -> Self {
        let l = Label::new(span, text);
        if l.span == self.primary.span {
            if !l.text.is_empty() && !self.primary.text.contains(&l.text) {
                self.primary.text = if self.primary.text.is_empty() {
                    l.text
                } else {
                    format!("{} ({})", self.primary.text, l.text)
                };
            }
        } else if !self.secondary.contains(&l) {
            self.secondary.push(l);
        }
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = subject.into();
        self
    }

    /// Mark the diagnostic as reporting a limit reached.
    pub fn limit_reached(mut self, limit: Option<crate::limit::Bound>) -> Self {
        if limit.is_some() {
            self.limit = limit;
        }
        self
    }

    pub fn resource(mut self, resource: Option<String>) -> Self {
        if self.resource.is_none() {
            self.resource = resource;
        }
        self
    }

    /// Sort key: position first, then rule, then message.
    pub fn sort_key(&self) -> (u32, u32, &'static str, &str) {
        (
            self.primary.span.start,
            self.primary.span.end,
            self.rule.id,
            &self.message,
        )
    }
}

/// Where a suppression applies (SPEC §5).
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
