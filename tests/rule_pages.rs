//! The rule registry and the rule pages (`rules/*.md`) police each other.
//!
//! - Registry: IDs unique and of the form `TL\d{3}`, in order; names
//!   kebab-case and unique; summaries and help lower-case without a
//!   trailing period.
//! - Pages: every registered rule has exactly one page, embedded in
//!   `docs::PAGES`, with the title, severity line and headings in order;
//!   every page belongs to a registered rule.
//! - Examples: each block under `## Example` must produce this rule and no
//!   other; each block under `## Use instead` must produce nothing. A
//!   ```` ```text ```` block right after an example is the concise output
//!   the example must produce, so the messages shown in pages are the
//!   tool's own.

#![allow(clippy::unwrap_used)] // tests: a panic is a failure

use std::collections::BTreeSet;
use std::path::Path;

use trustlint::lint::Report;
use trustlint::rules::{self, RuleMeta, RULES};
use trustlint::{docs, lint_text, Settings};

const HEADINGS: &[&str] = &[
    "What it flags",
    "Why it matters",
    "Example",
    "Use instead",
    "Configuration",
    "References",
];

/// A fenced code block of a page.
#[derive(Debug)]
struct Block {
    /// The `## ` section it is in.
    section: String,
    lang: String,
    text: String,
    /// 1-based line of the opening fence, for messages.
    line: usize,
}

#[derive(Debug)]
struct Page {
    file: String,
    title: String,
    /// The line after the title (blank lines skipped).
    meta: String,
    headings: Vec<String>,
    blocks: Vec<Block>,
    /// Text of the `## References` section.
    references: String,
}

fn parse_page(file: &str, text: &str) -> Page {
    let mut lines = text.lines().enumerate().peekable();
    let title = lines.next().map(|(_, l)| l.to_owned()).unwrap_or_default();
    let mut meta = String::new();
    let mut headings = Vec::new();
    let mut blocks = Vec::new();
    let mut references = String::new();
    let mut section = String::new();
    while let Some((i, line)) = lines.next() {
        if meta.is_empty() && headings.is_empty() && !line.trim().is_empty() {
            meta = line.to_owned();
            continue;
        }
        if let Some(h) = line.strip_prefix("## ") {
            section = h.trim().to_owned();
            headings.push(section.clone());
            continue;
        }
        assert!(
            !line.starts_with("# "),
            "{file}:{}: only the title may be a level-1 heading",
            i + 1
        );
        if let Some(lang) = line.strip_prefix("```") {
            let lang = lang.trim().to_owned();
            assert!(
                !lang.is_empty(),
                "{file}:{}: code blocks must name their language",
                i + 1
            );
            let mut body = String::new();
            let mut closed = false;
            for (_, l) in lines.by_ref() {
                if l.starts_with("```") {
                    closed = true;
                    break;
                }
                body.push_str(l);
                body.push('\n');
            }
            assert!(closed, "{file}:{}: unclosed code block", i + 1);
            blocks.push(Block {
                section: section.clone(),
                lang,
                text: body,
                line: i + 1,
            });
            continue;
        }
        if section == "References" {
            references.push_str(line);
            references.push('\n');
        }
    }
    Page {
        file: file.to_owned(),
        title,
        meta,
        headings,
        blocks,
        references,
    }
}

fn pages() -> Vec<(&'static RuleMeta, Page)> {
    RULES
        .iter()
        .map(|r| {
            let text = docs::page(r.id).unwrap_or_else(|| panic!("{} has no page", r.id));
            let file = docs::file_name(r.id).unwrap_or_default();
            (r.meta, parse_page(file, text))
        })
        .collect()
}

/// The file name a block is linted under: a path after the language
/// (```` ```yaml .github/workflows/deploy.yml ````, for the places where
/// credentials are requested), or one by the language.
fn example_name(lang: &str) -> Option<String> {
    let mut words = lang.split_whitespace();
    let kind = words.next()?;
    if let Some(path) = words.next() {
        return matches!(kind, "yaml" | "sh" | "ini" | "groovy" | "json").then(|| path.to_owned());
    }
    match kind {
        "json" => Some("example.json".to_owned()),
        "yaml" => Some("example.yaml".to_owned()),
        "hcl" => Some("example.tf".to_owned()),
        _ => None,
    }
}

/// Can this build extract policies from the format at all? CloudFormation
/// and Terraform support is developed separately; until it lands, their
/// example blocks cannot fire and are skipped (use-instead blocks still
/// run: they must stay silent either way).
fn format_supported(name: &str) -> bool {
    let probe = match name {
        "example.json" => return true,
        "example.yaml" => {
            "Resources:\n  Probe:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n          - Effect: Allow\n            Principal:\n              AWS: \"*\"\n            Action: sts:AssumeRole\n"
        }
        "example.tf" => {
            "resource \"aws_iam_role\" \"probe\" {\n  name = \"probe\"\n  assume_role_policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect    = \"Allow\"\n      Principal = { AWS = \"*\" }\n      Action    = \"sts:AssumeRole\"\n    }]\n  })\n}\n"
        }
        // A place where credentials are requested (SPEC §1.1).
        _ => return true,
    };
    !lint_text(name, probe, &Settings::default())
        .diagnostics
        .is_empty()
}

fn concise(report: trustlint::FileReport) -> String {
    trustlint::report::concise::render(&Report {
        files: vec![report],
    })
}

/// Lower-case start (acronyms such as "IAM" allowed), no trailing period.
fn message_convention(what: &str, s: &str) -> Result<(), String> {
    let mut chars = s.chars();
    let first = chars.next();
    let second = chars.next();
    if first.is_some_and(|c| c.is_ascii_uppercase()) && second.is_some_and(|c| c.is_lowercase()) {
        return Err(format!("{what} must start lower-case: {s:?}"));
    }
    if s.ends_with('.') {
        return Err(format!("{what} must not end with a period: {s:?}"));
    }
    if s.trim() != s || s.is_empty() {
        return Err(format!("{what} must be trimmed and non-empty: {s:?}"));
    }
    Ok(())
}

#[test]
fn registry_ids_and_names() {
    let mut ids = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut previous = "";
    for r in RULES {
        let id_ok = r.id.len() == 5
            && r.id.starts_with("TL")
            && r.id[2..].bytes().all(|b| b.is_ascii_digit());
        assert!(id_ok, "rule ID {:?} is not of the form TL###", r.id);
        assert!(ids.insert(r.id), "duplicate rule ID {}", r.id);
        assert!(r.id > previous, "RULES must be in ID order ({})", r.id);
        previous = r.id;

        let kebab = !r.name.is_empty()
            && !r.name.starts_with('-')
            && !r.name.ends_with('-')
            && !r.name.contains("--")
            && r.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        assert!(kebab, "rule name {:?} is not kebab-case", r.name);
        assert!(names.insert(r.name), "duplicate rule name {}", r.name);

        assert_eq!(rules::find(r.id), Some(*r));
        assert_eq!(rules::find(&r.id.to_ascii_lowercase()), Some(*r));
        assert_eq!(rules::find(r.name), Some(*r));
    }
}

#[test]
fn registry_summaries_and_help() {
    let mut errors = Vec::new();
    for r in RULES {
        if let Err(e) = message_convention(&format!("{} summary", r.id), r.summary) {
            errors.push(e);
        }
        if let Some(h) = r.help {
            if let Err(e) = message_convention(&format!("{} help", r.id), h) {
                errors.push(e);
            }
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn every_rule_has_a_well_formed_page() {
    let mut errors = Vec::new();
    for (r, page) in pages() {
        let f = &page.file;
        let expected_file = format!("rules/{}-{}.md", r.id, r.name);
        if *f != expected_file {
            errors.push(format!(
                "{}: page file is {f}, expected {expected_file}",
                r.id
            ));
        }
        let title = format!("# {} {}", r.id, r.name);
        if page.title != title {
            errors.push(format!(
                "{f}: title is {:?}, expected {title:?}",
                page.title
            ));
        }
        let sev = format!("Severity: {} · Applies to: ", r.severity);
        if !page.meta.starts_with(&sev) || page.meta.len() <= sev.len() {
            errors.push(format!(
                "{f}: second line is {:?}, expected `{sev}…` (severity must match the registry)",
                page.meta
            ));
        }
        if page.headings != HEADINGS {
            errors.push(format!(
                "{f}: headings are {:?}, expected exactly {HEADINGS:?}",
                page.headings
            ));
        }
        let runnable = |section: &str| {
            page.blocks
                .iter()
                .filter(|b| b.section == section && example_name(&b.lang).is_some())
                .count()
        };
        if runnable("Example") == 0 {
            errors.push(format!("{f}: no json/yaml/hcl block under ## Example"));
        }
        if runnable("Use instead") == 0 {
            errors.push(format!("{f}: no json/yaml/hcl block under ## Use instead"));
        }
        let links: Vec<&str> = page
            .references
            .lines()
            .filter(|l| l.starts_with("- "))
            .collect();
        if links.is_empty() || !links.iter().all(|l| l.contains("](https://")) {
            errors.push(format!("{f}: ## References must be a list of links"));
        }
        if !page.references.contains("https://docs.aws.amazon.com/") {
            errors.push(format!("{f}: ## References must cite AWS documentation"));
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn every_page_belongs_to_a_registered_rule() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut on_disk = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let rule = RULES
            .iter()
            .find(|r| name == format!("{}-{}.md", r.id, r.name));
        assert!(
            rule.is_some(),
            "rules/{name} does not belong to a registered rule"
        );
        on_disk.insert(format!("rules/{name}"));
    }
    let embedded: BTreeSet<String> = docs::PAGES
        .iter()
        .map(|(_, f, _)| (*f).to_owned())
        .collect();
    assert_eq!(on_disk, embedded, "docs::PAGES must embed every page");
    assert_eq!(docs::PAGES.len(), RULES.len());
    for (id, file, text) in docs::PAGES {
        let on_disk =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
        assert_eq!(*text, on_disk, "{id}: embedded page differs from {file}");
        assert!(
            file.starts_with(&format!("rules/{id}-")),
            "{id} is embedded with the page {file}"
        );
    }
}

#[test]
fn page_examples_behave_as_documented() {
    let settings = Settings::default();
    let mut errors = Vec::new();
    let mut skipped = Vec::new();
    for (r, page) in pages() {
        let f = &page.file;
        // The concise output of the last example run, for a following text block.
        let mut last_output: Option<String> = None;
        for b in &page.blocks {
            let name = example_name(&b.lang);
            let name = name.as_deref();
            match (b.section.as_str(), name) {
                ("Example", None) if b.lang == "text" => {
                    if let Some(expected) = last_output.take() {
                        if expected.trim_end() != b.text.trim_end() {
                            errors.push(format!(
                                "{f}:{}: the output shown differs from the tool's:\n--- page\n{}--- trustlint\n{expected}",
                                b.line, b.text
                            ));
                        }
                    }
                }
                ("Example", Some(name)) => {
                    last_output = None;
                    if !format_supported(name) {
                        skipped.push(format!("{f}:{} ({name})", b.line));
                        continue;
                    }
                    let report = lint_text(name, &b.text, &settings);
                    let ids: BTreeSet<&str> =
                        report.diagnostics.iter().map(|d| d.rule.id).collect();
                    if ids != BTreeSet::from([r.id]) {
                        errors.push(format!(
                            "{f}:{}: the example must report {} and nothing else, got {ids:?}:\n{}",
                            b.line,
                            r.id,
                            concise(report)
                        ));
                        continue;
                    }
                    for d in &report.diagnostics {
                        if let Err(e) = message_convention("message", &d.message) {
                            errors.push(format!("{f}:{}: {e}", b.line));
                        }
                    }
                    last_output = Some(concise(report));
                }
                ("Use instead", Some(name)) => {
                    let report = lint_text(name, &b.text, &settings);
                    if !report.diagnostics.is_empty() {
                        errors.push(format!(
                            "{f}:{}: the use-instead block must report nothing, got:\n{}",
                            b.line,
                            concise(report)
                        ));
                    }
                }
                _ => last_output = None,
            }
        }
    }
    if !skipped.is_empty() {
        eprintln!(
            "skipped examples in formats this build cannot extract yet:\n  {}",
            skipped.join("\n  ")
        );
    }
    assert!(errors.is_empty(), "{}", errors.join("\n\n"));
}

#[test]
fn text_blocks_follow_an_example() {
    // A text block anywhere else would be shown as tool output without
    // being checked.
    for (_, page) in pages() {
        let mut prev: Option<&Block> = None;
        for b in &page.blocks {
            if b.lang == "text" {
                let ok = b.section == "Example"
                    && prev
                        .is_some_and(|p| p.section == "Example" && example_name(&p.lang).is_some());
                assert!(
                    ok,
                    "{}:{}: a text block must directly follow a json/yaml/hcl example",
                    page.file, b.line
                );
            }
            prev = Some(b);
        }
    }
}
