//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other
//! consumers, with hand-rolled serde structs for the subset we emit
//! (research/crates.md §7).
//!
//! One run. `tool.driver.rules` lists every rule (whatever is selected),
//! so `ruleIndex` is the rule's place in [`RULES`]. Artifact URIs are
//! relative to the scan root (the current directory, the checkout in CI)
//! with `uriBaseId: "%SRCROOT%"`; files outside it get absolute `file:`
//! URIs. Columns count Unicode code points (`columnKind`), as
//! [`SourceFile::position`] does, and `endColumn` is exclusive, as SARIF
//! says. `partialFingerprints` come from [`fingerprint`], which ignores
//! lines, so alerts survive code moving. GitHub's limits (25,000 results
//! per run, 20 tags per rule) are respected: past the cap, errors are kept
//! before warnings and notes, and a notification says what was left out.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use super::{fingerprint, Render, Totals};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{FileReport, Report};
use crate::rules::{RuleMeta, RULES};
use crate::source::Span;
use crate::suppress::{SilencedBy, Silencer};

/// GitHub code scanning accepts at most this many results per run.
pub const MAX_RESULTS: usize = 25_000;
/// GitHub code scanning reads at most this many tags per rule.
pub const MAX_TAGS: usize = 20;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub struct SarifOptions<'a> {
    /// The scan root (absolute): artifact URIs are relative to it.
    pub root: &'a Path,
    /// Include silenced findings, each with a `suppressions` entry.
    pub show_suppressed: bool,
    /// Paths that could not be read (`path`, `message`): reported as
    /// tool execution notifications.
    pub errors: &'a [(String, String)],
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    // `results` must stay the last member: [`Sarif::end`] writes the
    // kept results in its place.
    tool: Tool,
    original_uri_base_ids: BTreeMap<&'static str, ArtifactLocation>,
    column_kind: &'static str,
    invocations: Vec<Invocation>,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Text,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    markdown: Option<String>,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
    precision: &'static str,
    #[serde(rename = "problem.severity")]
    problem_severity: &'static str,
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
    /// For a limit reached: `trustlint/limit/ID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    descriptor: Option<DescriptorRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<LimitProperties>,
}

#[derive(Serialize)]
struct DescriptorRef {
    id: String,
}

/// A limit notification's property bag: the limit's ID and value, as in
/// the JSON output's `limits`.
#[derive(Serialize)]
struct LimitProperties {
    limit: &'static str,
    value: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct LogicalLocation {
    name: String,
    kind: &'static str,
}

#[derive(Serialize)]
struct Suppression<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<&'a str>,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// Tags by rule family (the hundreds digit of the ID).
fn tags(rule: &RuleMeta) -> Vec<&'static str> {
    let family = rule.id.get(2..3).unwrap_or("0");
    let mut tags = match family {
        "0" => vec!["correctness"],
        "1" => vec!["security", "iam", "trust-policy"],
        "2" => vec!["security", "iam", "conditions"],
        "3" => vec!["security", "iam", "session-duration"],
        "4" => vec!["security", "iam", "federation"],
        "5" => vec!["security", "iam", "identity-policy"],
        _ => vec!["security", "ci"],
    };
    tags.truncate(MAX_TAGS);
    tags
}

/// GitHub's `security-severity` (0–10) for security rules: anyone in
/// the world can assume the role (9.0), other errors (8.0), warnings (5.5),
/// notes (3.0).
fn security_severity(rule: &RuleMeta) -> Option<&'static str> {
    if !tags(rule).contains(&"security") {
        return None;
    }
    Some(match (rule.name, rule.severity) {
        ("public-trust" | "unrestricted-web-identity" | "wildcard-web-identity-subject", _) => {
            "9.0"
        }
        (_, Severity::Error) => "8.0",
        (_, Severity::Warning) => "5.5",
        (_, Severity::Note) => "3.0",
    })
}

/// The rule page's path in the repository (`rules/TL101-public-trust.md`).
pub fn page_path(rule: &RuleMeta) -> String {
    match crate::docs::file_name(rule.id) {
        Some(f) => f.to_owned(),
        None => format!("rules/{}-{}.md", rule.id, rule.name),
    }
}

/// The page on the repository's web site.
pub fn help_uri(rule: &RuleMeta) -> String {
    format!(
        "{}/blob/main/{}",
        env!("CARGO_PKG_REPOSITORY"),
        page_path(rule)
    )
}

/// The body of a page's `## What it flags` section, as one paragraph.
pub fn what_it_flags(page: &str) -> Option<String> {
    let start = page.find("## What it flags")?;
    let body = &page[start..];
    let body = &body[body.find('\n')? + 1..];
    let end = body.find("\n## ").unwrap_or(body.len());
    let text = body[..end].split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

fn descriptor(rule: &'static RuleMeta) -> ReportingDescriptor {
    let page = rule.page();
    let uri = help_uri(rule);
    let help_text = match rule.help {
        Some(h) => format!("{h}. See {uri} or run `trustlint rule {}`.", rule.id),
        None => format!("See {uri} or run `trustlint rule {}`.", rule.id),
    };
    let help_markdown = if page.is_empty() {
        format!(
            "{}\n\n[Documentation]({uri})",
            rule.help.unwrap_or(rule.summary)
        )
    } else {
        page.to_owned()
    };
    let full = what_it_flags(page);
    ReportingDescriptor {
        id: rule.id,
        name: rule.name,
        short_description: Text {
            text: rule.summary.to_owned(),
            markdown: None,
        },
        full_description: Text {
            text: full.clone().unwrap_or_else(|| rule.summary.to_owned()),
            markdown: full,
        },
        help: Text {
            text: help_text,
            markdown: Some(help_markdown),
        },
        help_uri: uri,
        default_configuration: Configuration {
            level: level(rule.severity),
        },
        properties: RuleProperties {
            tags: tags(rule),
            precision: "high",
            problem_severity: match rule.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "recommendation",
            },
            security_severity: security_severity(rule),
        },
    }
}

/// Percent-encode a path for a URI (RFC 3986 unreserved characters and `/` stay).
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The artifact location of a reported path, and its root-relative form
/// (for fingerprints) when it has one.
fn artifact(path: &str, root: &Path) -> (ArtifactLocation, String) {
    match crate::paths::relative_to(path, root) {
        Some(rel) => (
            ArtifactLocation {
                uri: encode_path(&rel),
                uri_base_id: Some("%SRCROOT%"),
            },
            rel,
        ),
        None => {
            let abs = std::path::absolute(path)
                .map(|p| crate::paths::display_path(&crate::paths::normalize(&p)))
                .unwrap_or_else(|_| path.to_owned());
            let abs = if abs.starts_with('/') {
                abs
            } else {
                format!("/{abs}")
            };
            (
                ArtifactLocation {
                    uri: format!("file://{}", encode_path(&abs)),
                    uri_base_id: None,
                },
                path.to_owned(),
            )
        }
    }
}

fn region(f: &FileReport, span: Span) -> Region {
    let start = f.source.position(span.start as usize);
    let end = f.source.position(span.end as usize);
    Region {
        start_line: start.line,
        start_column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

fn result<'a>(
    f: &FileReport,
    d: &Diagnostic,
    silencer: Option<&'a Silencer>,
    root: &Path,
    seen: &mut BTreeMap<String, usize>,
) -> SarifResult<'a> {
    let (artifact_location, rel) = artifact(&f.source.path, root);
    let fp = fingerprint(&rel, d);
    let n = seen.entry(fp.clone()).or_default();
    *n += 1;
    let related = d
        .secondary
        .iter()
        .enumerate()
        .map(|(i, l)| Location {
            id: Some(i + 1),
            physical_location: PhysicalLocation {
                artifact_location: artifact(&f.source.path, root).0,
                region: Some(region(f, l.span)),
            },
            logical_locations: Vec::new(),
            message: Some(Text {
                text: l.text.clone(),
                markdown: None,
            }),
        })
        .collect();
    let mut fingerprints = BTreeMap::new();
    // GitHub matches alerts across runs by this key; ours ignores lines.
    fingerprints.insert("primaryLocationLineHash", format!("{fp}:{n}"));
    fingerprints.insert("trustlint/v1", fp);
    // The rule's default help is in its descriptor; a finding's own help
    // is worth repeating.
    let message = match &d.help {
        Some(h) if Some(h.as_str()) != d.rule.help => format!("{}. Help: {h}", d.message),
        _ => d.message.clone(),
    };
    SarifResult {
        rule_id: d.rule.id,
        rule_index: RULES.iter().position(|r| r.id == d.rule.id).unwrap_or(0),
        level: level(d.severity),
        message: Text {
            text: message,
            markdown: None,
        },
        locations: vec![Location {
            id: None,
            physical_location: PhysicalLocation {
                artifact_location,
                region: Some(region(f, d.primary.span)),
            },
            logical_locations: d
                .resource
                .iter()
                .map(|r| LogicalLocation {
                    name: r.clone(),
                    kind: "resource",
                })
                .collect(),
            message: None,
        }],
        related_locations: related,
        partial_fingerprints: fingerprints,
        suppressions: silencer
            .map(|s| Suppression {
                kind: match s.by {
                    SilencedBy::Comment | SilencedBy::Metadata => "inSource",
                    SilencedBy::Baseline => "external",
                },
                justification: s.reason.as_deref(),
            })
            .into_iter()
            .collect(),
    }
}

/// The results kept so far, in report order, under GitHub's cap: past
/// it, the latest result of the lowest severity kept makes way for a more
/// severe one, so the most severe are kept, and within the severity that
/// is cut, the first in report order. Silenced results (shown with
/// `--show-suppressed`) are not counted and always kept.
#[derive(Default)]
struct Kept {
    /// Each result, pretty-printed at its depth; `None` once evicted.
    slots: Vec<Option<String>>,
    /// The slots of the counted results of each severity, oldest first.
    by_severity: [Vec<usize>; 3],
    counted: usize,
    dropped: usize,
}

impl Kept {
    fn push(&mut self, severity: Option<Severity>, text: impl FnOnce() -> String) {
        let Some(sev) = severity else {
            self.slots.push(Some(text()));
            return;
        };
        if self.counted >= MAX_RESULTS {
            let lowest = [Severity::Note, Severity::Warning, Severity::Error]
                .into_iter()
                .find(|s| !self.by_severity[*s as usize].is_empty());
            self.dropped += 1;
            match lowest {
                Some(low) if low < sev => {
                    if let Some(i) = self.by_severity[low as usize].pop() {
                        self.slots[i] = None;
                        self.counted -= 1;
                    }
                }
                _ => return,
            }
            self.compact();
        }
        self.by_severity[sev as usize].push(self.slots.len());
        self.slots.push(Some(text()));
        self.counted += 1;
    }

    /// Drop evicted slots when they are most of the list.
    fn compact(&mut self) {
        let live = self.slots.iter().filter(|s| s.is_some()).count();
        if self.slots.len() < 2 * live + 1024 {
            return;
        }
        let mut map = vec![usize::MAX; self.slots.len()];
        let mut slots = Vec::with_capacity(live);
        for (i, s) in std::mem::take(&mut self.slots).into_iter().enumerate() {
            if s.is_some() {
                map[i] = slots.len();
                slots.push(s);
            }
        }
        for list in &mut self.by_severity {
            for i in list.iter_mut() {
                *i = map[*i];
            }
        }
        self.slots = slots;
    }
}

/// The SARIF format. Results are kept until the last file, because the
/// invocation (errors and limits) comes first and the cap keeps the most
/// severe; memory is bounded by the cap, not by the repository.
pub struct Sarif<'a> {
    root: &'a Path,
    show_suppressed: bool,
    kept: Kept,
    /// The path whose fingerprints `seen` counts (fingerprints include it).
    seen_path: String,
    seen: BTreeMap<String, usize>,
    limits: Vec<Notification>,
}

/// Results sit at this depth.
const RESULT: &str = "        ";

impl<'a> Sarif<'a> {
    pub fn new(opts: &SarifOptions<'a>) -> Sarif<'a> {
        Sarif {
            root: opts.root,
            show_suppressed: opts.show_suppressed,
            kept: Kept::default(),
            seen_path: String::new(),
            seen: BTreeMap::new(),
            limits: Vec::new(),
        }
    }
}

impl Render for Sarif<'_> {
    fn file(&mut self, _: &mut dyn Write, f: &FileReport) -> io::Result<()> {
        if self.seen_path != f.source.path {
            self.seen_path.clone_from(&f.source.path);
            self.seen.clear();
        }
        for d in &f.diagnostics {
            let (root, seen) = (self.root, &mut self.seen);
            self.kept.push(Some(d.severity), || {
                super::indented_json(&result(f, d, None, root, seen), RESULT)
            });
        }
        if self.show_suppressed {
            for (d, s) in f.suppressed.iter().zip(&f.silenced_by) {
                let (root, seen) = (self.root, &mut self.seen);
                self.kept.push(None, || {
                    super::indented_json(&result(f, d, Some(s), root, seen), RESULT)
                });
            }
        }
        // Limits reached: a warning each, at the place checking stopped.
        for hit in &f.limits {
            self.limits.push(Notification {
                level: "warning",
                message: Text {
                    text: format!("{}: {}", f.source.path, super::limit_text(hit)),
                    markdown: None,
                },
                locations: vec![Location {
                    id: None,
                    physical_location: PhysicalLocation {
                        artifact_location: artifact(&f.source.path, self.root).0,
                        region: hit.span.map(|sp| region(f, sp)),
                    },
                    logical_locations: Vec::new(),
                    message: None,
                }],
                descriptor: Some(DescriptorRef {
                    id: format!("trustlint/limit/{}", hit.limit.id()),
                }),
                properties: Some(LimitProperties {
                    limit: hit.limit.id(),
                    value: hit.value,
                }),
            });
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
        let errors = &totals.errors;
        let mut notifications: Vec<Notification> = errors
            .iter()
            .map(|(path, message)| Notification {
                level: "error",
                message: Text {
                    text: format!("{path}: {message}"),
                    markdown: None,
                },
                locations: vec![Location {
                    id: None,
                    physical_location: PhysicalLocation {
                        artifact_location: artifact(path, self.root).0,
                        region: None,
                    },
                    logical_locations: Vec::new(),
                    message: None,
                }],
                descriptor: None,
                properties: None,
            })
            .collect();
        notifications.append(&mut self.limits);
        let dropped = self.kept.dropped;
        if dropped > 0 {
            notifications.push(Notification {
                level: "warning",
                message: Text {
                    text: format!(
                        "{dropped} results were left out: GitHub code scanning accepts at most {MAX_RESULTS} per run (the most severe were kept)"
                    ),
                    markdown: None,
                },
                locations: Vec::new(),
                descriptor: None,
                properties: None,
            });
        }
        let root_uri = {
            let mut s = format!(
                "file://{}",
                encode_path(&crate::paths::display_path(self.root))
            );
            if !s.ends_with('/') {
                s.push('/');
            }
            s
        };
        let log = Log {
            schema: SCHEMA,
            version: "2.1.0",
            runs: vec![Run {
                tool: Tool {
                    driver: Driver {
                        name: "trustlint",
                        version: env!("CARGO_PKG_VERSION"),
                        semantic_version: env!("CARGO_PKG_VERSION"),
                        information_uri: env!("CARGO_PKG_REPOSITORY"),
                        rules: RULES.iter().map(|r| descriptor(r)).collect(),
                    },
                },
                original_uri_base_ids: [(
                    "%SRCROOT%",
                    ArtifactLocation {
                        uri: root_uri,
                        uri_base_id: None,
                    },
                )]
                .into(),
                column_kind: "unicodeCodePoints",
                invocations: vec![Invocation {
                    execution_successful: errors.is_empty(),
                    tool_execution_notifications: notifications,
                }],
                results: Vec::new(),
            }],
        };
        // `results` is the run's last member: the log is written with an
        // empty list, and the kept results go in its place.
        let text = serde_json::to_string_pretty(&log).unwrap_or_default();
        const EMPTY: &str = "\"results\": []";
        let Some(at) = text.rfind(EMPTY) else {
            return writeln!(out, "{text}");
        };
        out.write_all(&text.as_bytes()[..at])?;
        let mut first = true;
        for r in self.kept.slots.iter().flatten() {
            out.write_all(if first { b"\"results\": [\n" } else { b",\n" })?;
            first = false;
            out.write_all(r.as_bytes())?;
        }
        out.write_all(if first {
            EMPTY.as_bytes()
        } else {
            b"\n      ]"
        })?;
        out.write_all(&text.as_bytes()[at + EMPTY.len()..])?;
        out.write_all(b"\n")
    }
}

pub fn render(report: &Report, opts: &SarifOptions<'_>) -> String {
    super::render_report(&mut Sarif::new(opts), report, opts.errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_sections_and_uris() {
        let page =
            "# TL1\n\n## What it flags\n\nA trust\nstatement  that\n\n## Why it matters\n\nx";
        assert_eq!(
            what_it_flags(page).as_deref(),
            Some("A trust statement that")
        );
        assert_eq!(what_it_flags("# none"), None);
        assert_eq!(encode_path("a b/c%#.json"), "a%20b/c%25%23.json");
        let r = crate::rules::find("TL101").unwrap();
        assert!(help_uri(r).ends_with("/blob/main/rules/TL101-public-trust.md"));
    }

    #[test]
    fn tags_within_limits() {
        for r in RULES {
            assert!(!tags(r).is_empty() && tags(r).len() <= MAX_TAGS);
        }
    }
}
