//! Inline suppressions (SPEC §5): `# trustlint:ignore TL102 reason` on the
//! line of a finding or the line above, `# trustlint:ignore-file TL102
//! reason` anywhere, and CloudFormation `Metadata.trustlint.ignore`.
//!
//! Comments are found here, by [`scan_comments`], in YAML (`#`) and HCL
//! (`#` and `//`) files: a line scanner that only accepts a comment marker
//! where the language allows one (not inside a quoted string, a YAML block
//! scalar or an HCL heredoc). Extractors add other suppressions (template
//! metadata) to `Extracted.suppressions`. [`resolve`] removes what they
//! cover and reports as TL004 the ones without a reason (a warning), and
//! the ones that name no known rule or silence nothing (notes).

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::invalid_suppression::RULE as TL004;
use crate::settings::Settings;
use crate::source::{SourceFile, Span};

pub use crate::diagnostic::{Scope, Suppression};

/// What silenced a finding (`--show-suppressed`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SilencedBy {
    /// A `# trustlint:ignore` or `# trustlint:ignore-file` comment.
    Comment,
    /// Template metadata (`Metadata.trustlint.ignore`).
    Metadata,
    /// An entry of the `--baseline` file.
    Baseline,
}

impl SilencedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            SilencedBy::Comment => "comment",
            SilencedBy::Metadata => "metadata",
            SilencedBy::Baseline => "baseline",
        }
    }
}

/// Why one finding is not reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Silencer {
    pub by: SilencedBy,
    /// Where the suppression is written (none for the baseline).
    pub span: Option<Span>,
    pub reason: Option<String>,
}

/// The comment syntax of a file, when it has one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    Hcl,
    /// `#` comments outside quotes, with no block scalars: shell, INI,
    /// and CI YAML whose `run: |` blocks are shell (SPEC §1.1).
    Hash,
}

/// Comment suppressions found in a text, and malformed directives.
#[derive(Debug, Default)]
pub struct Scan {
    pub suppressions: Vec<Suppression>,
    /// Directives that cannot be used (no rule, unknown directive): TL004.
    pub problems: Vec<(Span, String)>,
}

const DIRECTIVE: &str = "trustlint:";

/// Find `trustlint:` comment directives in a YAML or HCL text.
pub fn scan_comments(text: &str, syntax: Syntax) -> Scan {
    let mut scan = Scan::default();
    if !text.contains(DIRECTIVE) {
        return scan;
    }
    let comments = match syntax {
        Syntax::Yaml => yaml_comments(text, true),
        Syntax::Hash => yaml_comments(text, false),
        Syntax::Hcl => hcl_comments(text),
    };
    for c in comments {
        parse_directive(text, &c, &mut scan);
    }
    scan
}

/// A comment: its 1-based line, the span from its marker to the end of the
/// line, and where its body (after the marker) starts.
struct Comment {
    line: usize,
    span: Span,
    body_start: usize,
}

/// Lines with their byte offsets, without line breaks.
fn lines(text: &str) -> impl Iterator<Item = (usize, usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').enumerate().map(move |(i, raw)| {
        let start = offset;
        offset += raw.len();
        (i + 1, start, raw.trim_end_matches(['\n', '\r']))
    })
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn comment_at(line_no: usize, line_start: usize, line: &str, at: usize, marker: usize) -> Comment {
    Comment {
        line: line_no,
        span: Span::new(line_start + at, line_start + line.trim_end().len()),
        body_start: line_start + at + marker,
    }
}

/// YAML comments: `#` at the start of a line or after white space, outside
/// quoted scalars and block scalars (`|`, `>`).
fn yaml_comments(text: &str, blocks: bool) -> Vec<Comment> {
    let mut out = Vec::new();
    // A block scalar: the column its key starts at, then the indentation
    // of its content once the first content line is seen.
    let mut block: Option<(usize, Option<usize>)> = None;
    for (line_no, start, line) in lines(text) {
        let ind = indent(line);
        let blank = line.trim().is_empty();
        if let Some((key_col, content)) = block {
            match content {
                _ if blank => continue,
                Some(c) if ind >= c => continue,
                None if ind > key_col => {
                    block = Some((key_col, Some(ind)));
                    continue;
                }
                _ => block = None,
            }
        }
        let bytes = line.as_bytes();
        let mut quote: Option<u8> = None;
        let mut prev_sig: Option<u8> = None; // previous non-space byte
        let mut comment = None;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            match quote {
                Some(b'"') if b == b'\\' => i += 1,
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if b == b'#' && (i == 0 || matches!(bytes[i - 1], b' ' | b'\t')) => {
                    comment = Some(i);
                    break;
                }
                // A quote opens a quoted scalar only where a scalar can
                // start: the `'` of `it's` in a plain scalar does not.
                None if (b == b'"' || b == b'\'')
                    && matches!(
                        prev_sig,
                        None | Some(b':' | b'-' | b',' | b'[' | b'{' | b'?')
                    ) =>
                {
                    quote = Some(b);
                }
                None => {}
            }
            if !b.is_ascii_whitespace() {
                prev_sig = Some(b);
            }
            i += 1;
        }
        if let Some(at) = comment {
            out.push(comment_at(line_no, start, line, at, 1));
        }
        let content = line[..comment.unwrap_or(line.len())].trim_end();
        if blocks && quote.is_none() && starts_block_scalar(content) {
            // The column of the last key on the line: past any `- ` markers.
            let rest = content.trim_start_matches([' ', '-']);
            block = Some((content.len() - rest.len(), None));
        }
    }
    out
}

/// Does a line (without its comment) end with a block scalar indicator
/// (`key: |`, `- >-`, `key: !Sub |2`)?
fn starts_block_scalar(content: &str) -> bool {
    let trimmed = content.trim_end_matches(|c: char| c == '-' || c == '+' || c.is_ascii_digit());
    let Some(before) = trimmed
        .strip_suffix('|')
        .or_else(|| trimmed.strip_suffix('>'))
    else {
        return false;
    };
    before.is_empty() || before.ends_with([' ', '\t', ':', '-'])
}

/// HCL comments: `#` or `//` outside strings, heredocs and block comments.
fn hcl_comments(text: &str) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut heredoc: Option<String> = None;
    let mut in_block_comment = false;
    for (line_no, start, line) in lines(text) {
        if let Some(end) = &heredoc {
            if line.trim() == end {
                heredoc = None;
            }
            continue;
        }
        let bytes = line.as_bytes();
        // Nesting: each entry is a string (true) or an interpolation (false)
        // with its brace depth.
        let mut stack: Vec<(bool, usize)> = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let next = bytes.get(i + 1).copied();
            if in_block_comment {
                if b == b'*' && next == Some(b'/') {
                    in_block_comment = false;
                    i += 1;
                }
                i += 1;
                continue;
            }
            match stack.last_mut() {
                Some((true, _)) => match b {
                    b'\\' => i += 1,
                    b'"' => {
                        stack.pop();
                    }
                    b'$' | b'%' if next == Some(b'{') => {
                        stack.push((false, 0));
                        i += 1;
                    }
                    _ => {}
                },
                Some((false, depth)) => match b {
                    b'"' => stack.push((true, 0)),
                    b'{' => *depth += 1,
                    b'}' if *depth == 0 => {
                        stack.pop();
                    }
                    b'}' => *depth -= 1,
                    _ => {}
                },
                None => match b {
                    b'"' => stack.push((true, 0)),
                    b'#' => {
                        out.push(comment_at(line_no, start, line, i, 1));
                        break;
                    }
                    b'/' if next == Some(b'/') => {
                        out.push(comment_at(line_no, start, line, i, 2));
                        break;
                    }
                    b'/' if next == Some(b'*') => {
                        in_block_comment = true;
                        i += 1;
                    }
                    b'<' if next == Some(b'<') => {
                        let rest = line[i + 2..].trim_start_matches('-');
                        let id: String = rest
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                            .collect();
                        if !id.is_empty() {
                            heredoc = Some(id);
                            break;
                        }
                    }
                    _ => {}
                },
            }
            i += 1;
        }
    }
    out
}

/// Parse `trustlint:ignore RULES reason` / `trustlint:ignore-file …` in a
/// comment body; other comments are left alone.
fn parse_directive(text: &str, c: &Comment, scan: &mut Scan) {
    let body = text[c.body_start..c.span.end as usize].trim_start();
    let Some(rest) = body.strip_prefix(DIRECTIVE) else {
        return;
    };
    let word_end = rest
        .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '-' || ch == '_'))
        .unwrap_or(rest.len());
    let (word, after) = rest.split_at(word_end);
    let scope = match word {
        "ignore" => Scope::Line(c.line),
        "ignore-file" => Scope::File,
        _ => {
            scan.problems.push((
                c.span,
                format!(
                    "unknown directive `{DIRECTIVE}{word}`: use `trustlint:ignore` or `trustlint:ignore-file`"
                ),
            ));
            return;
        }
    };
    if !after.is_empty() && !after.starts_with(char::is_whitespace) {
        scan.problems.push((
            c.span,
            format!("`{DIRECTIVE}{word}` must be followed by a space and the rules it silences"),
        ));
        return;
    }
    let mut rules = Vec::new();
    let mut s = after;
    loop {
        s = s.trim_start();
        let end = s
            .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '-' || ch == '_'))
            .unwrap_or(s.len());
        if end == 0 {
            break;
        }
        rules.push(s[..end].to_owned());
        s = &s[end..];
        match s.trim_start().strip_prefix(',') {
            Some(r) => s = r,
            None => break,
        }
    }
    if rules.is_empty() {
        scan.problems.push((
            c.span,
            format!("`{DIRECTIVE}{word}` names no rule: list rule IDs or names, then the reason"),
        ));
        return;
    }
    let reason = s
        .trim_start_matches(|ch: char| ch.is_whitespace() || matches!(ch, '-' | ':' | '—' | '–'))
        .trim_end();
    scan.suppressions.push(Suppression {
        rules,
        reason: (!reason.is_empty()).then(|| reason.to_owned()),
        scope,
        span: c.span,
    });
}

/// The comment syntax of a file, from its name and content.
pub fn syntax_of(path: &str, text: &str) -> Option<Syntax> {
    let p = std::path::Path::new(path);
    match crate::extract::creds::kind_of(p, Some(text)) {
        Some(crate::extract::creds::CredKind::Jenkins) => return None,
        Some(_) => return Some(Syntax::Hash),
        None => {}
    }
    match crate::load::format_for(std::path::Path::new(path), text) {
        crate::load::Format::Json => None,
        crate::load::Format::Yaml => Some(Syntax::Yaml),
        crate::load::Format::Hcl => Some(Syntax::Hcl),
    }
}

/// Does a suppression name this rule (by ID or name, or all rules)?
fn names(s: &Suppression, d: &Diagnostic) -> bool {
    s.rules.is_empty() || s.rules.iter().any(|r| names_rule(r, d.rule))
}

fn names_rule(written: &str, rule: &crate::rules::RuleMeta) -> bool {
    written.eq_ignore_ascii_case(rule.id) || written == rule.name
}

fn covers(src: &SourceFile, s: &Suppression, d: &Diagnostic) -> bool {
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
pub type Applied = (Vec<Diagnostic>, Vec<Diagnostic>, Vec<Diagnostic>);

/// Split diagnostics into kept and silenced by the given suppressions
/// (no comment scanning, no notes). See [`resolve`] for the full pass.
pub fn apply(src: &SourceFile, diags: Vec<Diagnostic>, suppressions: &[Suppression]) -> Applied {
    let all: Vec<(&Suppression, SilencedBy)> = suppressions
        .iter()
        .map(|s| (s, SilencedBy::Metadata))
        .collect();
    let (kept, silenced, _) = split(src, diags, &all);
    (
        kept,
        silenced.into_iter().map(|(d, _)| d).collect(),
        Vec::new(),
    )
}

/// Kept and silenced diagnostics, and for each suppression which of its
/// rules (index `j`, or 0 for a suppression of every rule) silenced something.
type Split = (Vec<Diagnostic>, Vec<(Diagnostic, Silencer)>, Vec<Vec<bool>>);

fn split(src: &SourceFile, diags: Vec<Diagnostic>, all: &[(&Suppression, SilencedBy)]) -> Split {
    let mut kept = Vec::new();
    let mut silenced = Vec::new();
    let mut used: Vec<Vec<bool>> = all
        .iter()
        .map(|(s, _)| vec![false; s.rules.len().max(1)])
        .collect();
    for d in diags {
        let mut by = None;
        for (i, (s, kind)) in all.iter().enumerate() {
            if !covers(src, s, &d) || !names(s, &d) {
                continue;
            }
            if s.rules.is_empty() {
                used[i][0] = true;
            }
            for (j, r) in s.rules.iter().enumerate() {
                if names_rule(r, d.rule) {
                    used[i][j] = true;
                }
            }
            by.get_or_insert(Silencer {
                by: *kind,
                span: Some(s.span),
                reason: s.reason.clone(),
            });
        }
        match by {
            Some(silencer) => silenced.push((d, silencer)),
            None => kept.push(d),
        }
    }
    (kept, silenced, used)
}

/// The result of [`resolve`].
#[derive(Debug, Default)]
pub struct Outcome {
    pub kept: Vec<Diagnostic>,
    pub silenced: Vec<(Diagnostic, Silencer)>,
    /// TL004 findings (empty when TL004 is not enabled).
    pub notes: Vec<Diagnostic>,
}

/// Apply the file's comment suppressions and `extracted` ones (template
/// metadata) to its diagnostics. `analysed` is false when the file could
/// not be parsed: then no suppression is called unused.
pub fn resolve(
    src: &SourceFile,
    diags: Vec<Diagnostic>,
    extracted: &[Suppression],
    analysed: bool,
    settings: &Settings,
) -> Outcome {
    // Most files hold no directive: the search is cheaper than telling
    // their comment syntax (a credentials file's kind is sniffed).
    let scan = if src.text.contains(DIRECTIVE) {
        syntax_of(&src.path, &src.text)
            .map(|syn| scan_comments(&src.text, syn))
            .unwrap_or_default()
    } else {
        Scan::default()
    };
    let all: Vec<(&Suppression, SilencedBy)> = scan
        .suppressions
        .iter()
        .map(|s| (s, SilencedBy::Comment))
        .chain(extracted.iter().map(|s| (s, SilencedBy::Metadata)))
        .collect();
    let (kept, silenced, used) = split(src, diags, &all);
    let mut out = Outcome {
        kept,
        silenced,
        notes: Vec::new(),
    };
    if !settings.is_enabled(TL004.id) {
        return out;
    }
    // SPEC §5: a suppression without a reason is a warning (an unexplained
    // silence must not pass a default gate); one that silences nothing,
    // names an unknown rule or cannot be read is a note. `[severity]
    // TL004` overrides both later, like any rule's severity.
    let warning = |span: Span, message: String, label: &str| {
        Diagnostic::new(&TL004, span, message)
            .label(label)
            .subject(format!("suppression {}", src.slice(span).trim()))
    };
    let note = |span: Span, message: String, label: &str| {
        let mut d = warning(span, message, label);
        d.severity = Severity::Note;
        d
    };
    for (span, problem) in &scan.problems {
        out.notes
            .push(note(*span, problem.clone(), "this directive is ignored"));
    }
    for ((s, _), used) in all.iter().zip(&used) {
        let written = s.rules.join(",");
        if s.reason.is_none() {
            out.notes.push(
                warning(
                    s.span,
                    format!("suppression of `{written}` gives no reason"),
                    "no reason given",
                )
                .help(format!(
                    "say why the finding is accepted: `# trustlint:ignore {written} <reason>`"
                )),
            );
        }
        for (r, was_used) in s.rules.iter().zip(used) {
            let Some(rule) = crate::rules::find(r) else {
                out.notes.push(
                    note(s.span, format!("`{r}` is not a rule"), "unknown rule")
                        .help("name rules by ID or name, as `trustlint rules` lists them"),
                );
                continue;
            };
            if analysed && !was_used && settings.is_enabled(rule.id) {
                out.notes.push(
                    note(
                        s.span,
                        format!("suppression of `{r}` silences nothing"),
                        "nothing to silence here",
                    )
                    .help(format!(
                        "remove it: no {} finding is on this line, the next one or (for ignore-file) in the file",
                        rule.id
                    )),
                );
            }
        }
        if s.rules.is_empty() && analysed && !used[0] {
            out.notes.push(note(
                s.span,
                "suppression silences nothing".to_owned(),
                "nothing to silence here",
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str, syntax: Syntax) -> Vec<(usize, Vec<String>, Option<String>)> {
        let s = scan_comments(text, syntax);
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        s.suppressions
            .into_iter()
            .map(|s| {
                let line = match s.scope {
                    Scope::Line(l) => l,
                    _ => 0,
                };
                (line, s.rules, s.reason)
            })
            .collect()
    }

    #[test]
    fn yaml_line_and_file_directives() {
        let text = "# trustlint:ignore-file TL106 sessions are audited\nA:\n  # trustlint:ignore TL102, TL103 -- legacy partner\n  B: 1  # trustlint:ignore public-trust\n";
        assert_eq!(
            scan(text, Syntax::Yaml),
            vec![
                (0, vec!["TL106".into()], Some("sessions are audited".into())),
                (
                    3,
                    vec!["TL102".into(), "TL103".into()],
                    Some("legacy partner".into())
                ),
                (4, vec!["public-trust".into()], None),
            ]
        );
    }

    #[test]
    fn yaml_strings_and_block_scalars_are_not_comments() {
        let text = "a: \"x # trustlint:ignore TL101 no\"\nb: 'y #trustlint:ignore TL101'\nc: it's # trustlint:ignore TL102 real\nd: |\n  # trustlint:ignore TL101 script text\n  echo\ne: 1 # trustlint:ignore TL103 after block\n- run: >-\n    # trustlint:ignore TL101 folded\n  f: 2 # trustlint:ignore TL104 sibling\n";
        let found = scan(text, Syntax::Yaml);
        let lines: Vec<usize> = found.iter().map(|f| f.0).collect();
        assert_eq!(lines, vec![3, 7, 10]);
    }

    #[test]
    fn hcl_comments_outside_strings_and_heredocs() {
        let text = "# trustlint:ignore TL102 partner account\nx = \"a # trustlint:ignore TL101 no\"\ny = \"${var.a == \"#\" ? 1 : 2}\" // trustlint:ignore TL103 why\np = <<-EOT\n  # trustlint:ignore TL101 heredoc\n  EOT\n/* trustlint:ignore TL101 block */ z = 1 # trustlint:ignore-file TL104 all\n";
        let found = scan(text, Syntax::Hcl);
        assert_eq!(
            found,
            vec![
                (1, vec!["TL102".into()], Some("partner account".into())),
                (3, vec!["TL103".into()], Some("why".into())),
                (0, vec!["TL104".into()], Some("all".into())),
            ]
        );
    }

    #[test]
    fn malformed_directives_are_problems() {
        let s = scan_comments(
            "# trustlint:ignroe TL101 x\n# trustlint:ignore\n# trustlint:ignoreTL101\n",
            Syntax::Yaml,
        );
        assert_eq!(s.problems.len(), 3);
        assert!(s.suppressions.is_empty());
    }

    #[test]
    fn block_scalar_detection() {
        assert!(starts_block_scalar("key: |"));
        assert!(starts_block_scalar("- >-"));
        assert!(starts_block_scalar("UserData: !Base64 |2"));
        assert!(!starts_block_scalar("key: a|b"));
        assert!(!starts_block_scalar("key: value"));
    }

    fn diag_at(src: &SourceFile, line: usize, rule: &'static crate::rules::RuleMeta) -> Diagnostic {
        let start = src.line_starts()[line - 1] as usize;
        Diagnostic::new(rule, Span::new(start + 2, start + 3), "x")
    }

    #[test]
    fn resolve_silences_and_notes() {
        let text = "a:\n  # trustlint:ignore TL102 partner\n  b: 1\n  c: 2 # trustlint:ignore TL101\n  d: 3 # trustlint:ignore TL103,TL999 why\n";
        let src = SourceFile::new("t.yaml", text);
        let tl102 = crate::rules::find("TL102").unwrap();
        let tl101 = crate::rules::find("TL101").unwrap();
        let diags = vec![diag_at(&src, 3, tl102), diag_at(&src, 4, tl101)];
        let out = resolve(&src, diags, &[], true, &Settings::default());
        assert!(out.kept.is_empty());
        assert_eq!(out.silenced.len(), 2);
        assert_eq!(out.silenced[0].1.reason.as_deref(), Some("partner"));
        let msgs: Vec<&str> = out.notes.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs,
            vec![
                "suppression of `TL101` gives no reason",
                "suppression of `TL103` silences nothing",
                "`TL999` is not a rule",
            ]
        );
        assert!(out.notes.iter().all(|d| d.rule.id == "TL004"));
        // SPEC §5: no reason is a warning; the others are notes.
        let sevs: Vec<Severity> = out.notes.iter().map(|d| d.severity).collect();
        assert_eq!(
            sevs,
            vec![Severity::Warning, Severity::Note, Severity::Note]
        );
    }

    /// The whole library path (`lint::finish`: rules, then suppressions,
    /// then severities) on a YAML file whose policy is extracted as JSON:
    /// JSON is YAML, and blanking the comment lines for the JSON parser
    /// keeps every span where it is in the YAML text.
    fn finish_yaml(text: &str, settings: &Settings) -> crate::lint::FileReport {
        let blank: String = text
            .split_inclusive('\n')
            .map(|l| {
                if l.trim_start().starts_with('#') {
                    " ".repeat(l.trim_end_matches('\n').len()) + "\n"
                } else {
                    l.to_owned()
                }
            })
            .collect();
        let node = crate::load::json::parse(&blank).unwrap();
        let extracted = crate::extract::extract_json(node, &blank, std::path::Path::new("x.yaml"));
        let src = std::sync::Arc::new(SourceFile::new("x.yaml", text));
        crate::lint::finish(src, Ok(extracted), settings)
    }

    #[test]
    fn comments_silence_rule_findings_end_to_end() {
        let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\",\n  # trustlint:ignore TL102, missing-mfa audit account\n  \"Principal\": {\"AWS\": \"arn:aws:iam::444455556666:root\"},\n  \"Action\": \"sts:AssumeRole\"}]}\n";
        let mut settings = Settings::default();
        settings
            .severity
            .insert("TL103".into(), crate::Severity::Note);
        let r = finish_yaml(text, &settings);
        let kept: Vec<&str> = r.diagnostics.iter().map(|d| d.rule.id).collect();
        assert_eq!(kept, vec!["TL103"]);
        assert_eq!(r.diagnostics[0].severity, crate::Severity::Note);
        let silenced: Vec<&str> = r.suppressed.iter().map(|d| d.rule.id).collect();
        assert_eq!(silenced, vec!["TL102", "TL201"]);
        assert_eq!(r.silenced_by[1].reason.as_deref(), Some("audit account"));
        assert_eq!(r.silenced_by[1].by, SilencedBy::Comment);

        let file_wide = format!("# trustlint:ignore-file TL103 partner\n{text}");
        let r = finish_yaml(&file_wide, &settings);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);

        settings.inline_suppressions = false;
        let r = finish_yaml(&file_wide, &settings);
        assert_eq!(r.diagnostics.len(), 3);
        assert!(r.suppressed.is_empty());
    }

    #[test]
    fn no_unused_notes_for_disabled_rules_or_unparsed_files() {
        let text = "a: 1 # trustlint:ignore TL103 why\n";
        let src = SourceFile::new("t.yaml", text);
        let mut settings = Settings::default();
        settings.enabled.retain(|id| *id != "TL103");
        assert!(resolve(&src, vec![], &[], true, &settings).notes.is_empty());
        let settings = Settings::default();
        assert!(resolve(&src, vec![], &[], false, &settings)
            .notes
            .is_empty());
        assert_eq!(resolve(&src, vec![], &[], true, &settings).notes.len(), 1);
        let mut settings = Settings::default();
        settings.enabled.retain(|id| *id != "TL004");
        assert!(resolve(&src, vec![], &[], true, &settings).notes.is_empty());
    }
}
