//! The driver: read and decode each file, parse it with the loader for its
//! format, extract documents, run the rules, and collect a sorted report.
//!
//! Files are linted in parallel ([`crate::ordered`]) and each file's report
//! is handed on in path order as soon as every earlier file is done
//! ([`lint_each`]), so the report is identical for any `--jobs` and memory
//! follows the files in flight. A panic inside
//! one file's analysis becomes an internal error for that file; the run
//! goes on.
//!
//! Limits (issue: never crash, hang or lose a finding). Each one that is
//! reached is said, never silent: a skip with its reason, or a TL001 at the
//! place where checking stopped, and a [`LimitHit`] in the file's report
//! (`crate::limit`), which every output format shows.
//!
//! | limit | value | where |
//! | --- | --- | --- |
//! | file size | 64 MiB ([`Settings::max_file_size`]) | skip |
//! | nesting depth | 256 (JSON, YAML), 64 (HCL, hcl-edit's) | [`load::MAX_DEPTH`] |
//! | values per file | 2,000,000 | [`load::MAX_VALUES`] |
//! | YAML alias expansion | 100,000 nodes (64 bytes of text = 1 node) | [`load::yaml::ALIAS_BUDGET`] |
//! | YAML anchored copies | 1,000,000 nodes | [`load::yaml::ANCHOR_BUDGET`] |
//! | document in a string | 4 MiB | [`load::embedded::MAX_EMBEDDED_LEN`] |
//! | copies while resolving | 16 MiB per file or module | [`extract::RESOLVE_BUDGET`] |
//! | Terraform evaluation | 500,000 steps per module | [`extract::tf_eval::FUEL`] |
//! | template conditions per document | 4 (then the union of `Fn::If` branches) | [`extract::cfn::MAX_CONDITIONS`] |
//! | StackSet templates in templates | 2 levels | `extract::cfn` |
//! | resolved value depth | 272 (templates), 128 (Terraform) | `extract::cfn`, [`extract::tf_eval::MAX_DEPTH`] |
//! | policy file read by `file()` | 1 MiB | `extract::tf_eval` |
//! | plan modules in modules | 64 levels | `extract::plan` |
//! | CloudFormation condition checks | 5,000,000 steps per file (200,000 per `Fn::If` combination) | `extract::cfn::conditions` |
//! | documents (and settings) per file | 10,000 ([`Settings::max_documents`]) | [`run_rules`] |
//! | statements per policy | 10,000 | [`MAX_STATEMENTS`] |
//! | findings per file | 100,000 | [`MAX_FINDINGS`] |
//! | message length | 500 characters | [`MAX_MESSAGE_CHARS`] |

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::extract::{self, Document, Extracted, Setting, SettingKind};
use crate::limit::{Limit, LimitHit};
use crate::load::{self, ParseError};
use crate::policy::condition::Base;
use crate::policy::Policy;
use crate::rules::{self, Check, DocCtx, SettingCtx};
use crate::settings::Settings;
use crate::source::{SourceFile, Span};

pub use crate::discover::{is_candidate, Input};

/// Terraform `file()` targets larger than this are unknown.
pub const MAX_FILE_FUNCTION: u64 = extract::tf_eval::MAX_POLICY_FILE;

/// The reader Terraform's `file()` gets: only regular files under `root`
/// (symbolic links resolved first), at most [`MAX_FILE_FUNCTION`] bytes.
/// The root is resolved on the first read: most modules read no file.
fn confined_reader(root: &Path) -> impl Fn(&Path) -> Result<String, String> + Sync {
    let root = root.to_path_buf();
    let resolved = std::sync::OnceLock::new();
    move |p: &Path| {
        let Some(root) = resolved.get_or_init(|| std::fs::canonicalize(&root).ok()) else {
            return Err("the folder file() may read cannot be resolved".to_owned());
        };
        let target = std::fs::canonicalize(p).map_err(|e| e.to_string())?;
        if !target.starts_with(root) {
            return Err("outside the folder file() may read".to_owned());
        }
        load::file::read_text(&target, MAX_FILE_FUNCTION, load::file::Follow::No)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileStatus {
    /// Parsed and examined (IAM-related or not).
    Scanned,
    /// Not linted: the reason (too large, binary, not IAM-related and unparsable).
    Skipped(String),
    /// Could not be read, or an internal error: exit code 2.
    Error(String),
}

#[derive(Debug)]
pub struct FileReport {
    pub source: Arc<SourceFile>,
    pub status: FileStatus,
    pub diagnostics: Vec<Diagnostic>,
    /// Findings silenced by inline suppressions (`--show-suppressed`).
    pub suppressed: Vec<Diagnostic>,
    /// What silenced each of `suppressed`, in the same order.
    pub silenced_by: Vec<crate::suppress::Silencer>,
    /// Limits reached in the file, by place (SPEC §2: nothing may
    /// disappear silently). Unlike the TL001 that reports most of them,
    /// no selection, suppression or baseline hides them.
    pub limits: Vec<LimitHit>,
    /// A second report for a path reported already (see [`lint_each`]):
    /// its findings are shown, the file is not counted again.
    pub again: bool,
}

impl FileReport {
    fn new(source: Arc<SourceFile>, status: FileStatus) -> Self {
        FileReport {
            source,
            status,
            diagnostics: Vec::new(),
            suppressed: Vec::new(),
            silenced_by: Vec::new(),
            limits: Vec::new(),
            again: false,
        }
    }

    /// Record the limits the diagnostics report reaching, plus `more`;
    /// sorted by place, each once.
    fn record_limits(&mut self, more: &[LimitHit]) {
        let from_diags = self.diagnostics.iter().filter_map(|d| {
            d.limit
                .map(|l| LimitHit::new(l, Some(d.primary.span), d.message.clone()))
        });
        let mut all: Vec<LimitHit> = from_diags.chain(more.iter().cloned()).collect();
        all.extend(std::mem::take(&mut self.limits));
        for h in &mut all {
            if let Some(sp) = h.span {
                let s = self.source.clamp(sp.start as usize);
                h.span = Some(Span::new(s, self.source.clamp(sp.end as usize).max(s)));
            }
        }
        all.sort();
        all.dedup();
        self.limits = all;
    }
}

#[derive(Debug, Default)]
pub struct Report {
    pub files: Vec<FileReport>,
}

impl Report {
    /// Every limit reached, with its file, by path then place.
    pub fn limits(&self) -> impl Iterator<Item = (&FileReport, &LimitHit)> {
        self.files
            .iter()
            .flat_map(|f| f.limits.iter().map(move |l| (f, l)))
    }

    pub fn files_scanned(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.status == FileStatus::Scanned)
            .count()
    }
    pub fn files_skipped(&self) -> usize {
        self.files
            .iter()
            .filter(|f| matches!(f.status, FileStatus::Skipped(_)))
            .count()
    }
    pub fn errors(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().filter_map(|f| match &f.status {
            FileStatus::Error(e) => Some((f.source.path.as_str(), e.as_str())),
            _ => None,
        })
    }
    pub fn diagnostics(&self) -> impl Iterator<Item = (&FileReport, &Diagnostic)> {
        self.files
            .iter()
            .flat_map(|f| f.diagnostics.iter().map(move |d| (f, d)))
    }
}

/// Text that suggests an IAM-related file (SPEC §1): only such files get
/// TL001 when they fail to parse.
pub fn looks_iam_related(text: &str) -> bool {
    let m = markers();
    match &m.iam {
        Some(ac) => ac.is_match(text),
        None => IAM_MARKERS.iter().any(|p| text.contains(p)),
    }
}

/// Can the text hold a policy document, a role setting or a suppression?
/// Every format's documents carry one of these words (a raw policy its
/// `Statement`, a template `AWS::`, Terraform and plans `aws_iam_`, exports
/// `AssumeRolePolicyDocument` or `PolicyVersion`), so a file without any of
/// them produces nothing and need not be parsed (a policy `Version` date
/// counts too: a policy that lacks its statements is TL002). A superset of
/// [`looks_iam_related`], so no file that would get TL001 is left unparsed.
pub fn may_hold_documents(text: &str) -> bool {
    let m = markers();
    match &m.document {
        Some(ac) => ac.is_match(text),
        None => looks_iam_related(text) || DOCUMENT_MARKERS.iter().any(|p| text.contains(p)),
    }
}

/// The markers of [`looks_iam_related`] and [`may_hold_documents`], each
/// set searched in one pass over the text (a file that has none is most
/// of a repository, and was scanned sixteen times).
struct Markers {
    /// `None` if the automaton could not be built (fixed, valid patterns:
    /// never); the plain searches are used then.
    iam: Option<aho_corasick::AhoCorasick>,
    document: Option<aho_corasick::AhoCorasick>,
}

const IAM_MARKERS: &[&str] = &[
    "\"Statement\"",
    "Statement:",
    "AWSTemplateFormatVersion",
    "AWS::",
    "assume_role_policy",
    "aws_iam_",
    "AssumeRolePolicyDocument",
    "RoleDetailList",
    "sts:AssumeRole",
];

const DOCUMENT_MARKERS: &[&str] = &[
    "Statement",
    "PolicyDocument",
    "PolicyVersion",
    "MaxSessionDuration",
    "trustlint:",
    // A policy `Version` without its statements is still a policy (TL002).
    "2012-10-17",
    "2008-10-17",
];

fn markers() -> &'static Markers {
    static MARKERS: std::sync::OnceLock<Markers> = std::sync::OnceLock::new();
    MARKERS.get_or_init(|| {
        // A DFA: the fastest search per byte, for a few dozen patterns;
        // leftmost-first matching (all we ask is whether one occurs) lets
        // aho-corasick skip ahead with its SIMD prefilter (Teddy), which
        // took 5% off a run over the corpus.
        let build = |patterns: &[&str]| {
            aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                .build(patterns)
                .ok()
        };
        Markers {
            iam: build(IAM_MARKERS),
            document: build(&[IAM_MARKERS, DOCUMENT_MARKERS].concat()),
        }
    })
}

pub use crate::load::{format_for, Format};

/// Could a credentials-use file request credentials or hold a key? A
/// cheap sniff, as [`may_hold_documents`] is for policies.
fn may_request_credentials(text: &str) -> bool {
    text.contains("aws") || text.contains("AWS") || text.contains("AKIA") || text.contains("ASIA")
}

/// What a file is read as, beyond its format: a credentials-use file
/// (SPEC §1.1, by place, name, shebang or `aws_config_files`), or a
/// session policy (`session_policies`).
fn credential_kind(
    path: &Path,
    text: &str,
    settings: &Settings,
) -> Option<extract::creds::CredKind> {
    if let Some(set) = &settings.aws_config_globs {
        if crate::settings::glob_matches(set, path, settings.root.as_deref()) {
            return Some(extract::creds::CredKind::AwsConfig);
        }
    }
    extract::creds::kind_of(path, Some(text))
}

fn is_session_policy(path: &Path, settings: &Settings) -> bool {
    settings
        .session_policy_globs
        .as_ref()
        .is_some_and(|set| crate::settings::glob_matches(set, path, settings.root.as_deref()))
}

/// Read a credentials-use file; `read_policy` reads `--policy file://`
/// targets.
fn extract_credentials(
    kind: extract::creds::CredKind,
    input: &Input,
    text: &str,
    settings: &Settings,
) -> Result<Extracted, ParseError> {
    let dir = input
        .path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let root = settings
        .file_functions_root
        .clone()
        .or_else(|| input.root.as_deref().map(Path::to_path_buf));
    let reader = root.as_deref().map(confined_reader);
    let read_policy = |p: &str| -> Option<(String, String)> {
        let read = reader.as_ref()?;
        let rel = Path::new(p);
        let mut tries = vec![dir.join(rel)];
        if let Some(r) = &root {
            tries.push(r.join(rel));
        }
        tries.into_iter().find_map(|full| {
            let text = read(&full).ok()?;
            let shown = crate::paths::display_path(&crate::paths::normalize(&full));
            Some((shown, text))
        })
    };
    parse_error_reported(extract::creds::extract(
        kind,
        &input.display,
        text,
        Some(&read_policy),
    ))
}

/// A credentials-use file that does not parse is reported (TL001) however
/// it looks: it was chosen by its place, not by a sniff.
fn parse_error_reported(r: Result<Extracted, ParseError>) -> Result<Extracted, ParseError> {
    r.or_else(|e| {
        Ok(Extracted {
            diagnostics: vec![Diagnostic::new(
                &crate::diagnostic::PARSE_ERROR,
                e.span,
                format!("the file cannot be parsed: {}", e.message),
            )
            .label(e.message)
            .subject("parse-error")],
            recognised: true,
            ..Extracted::default()
        })
    })
}

/// A file matched by `session_policies`: one identity policy, read for
/// TL504 too.
fn extract_session_policy(text: &str) -> Result<Extracted, ParseError> {
    let node = load::json::parse(text)?;
    Ok(Extracted {
        docs: vec![Document {
            node,
            kind: Some(crate::policy::DocKind::Identity),
            session: true,
            ..Document::default()
        }],
        recognised: true,
        ..Extracted::default()
    })
}

/// Parse a text in its format and extract its documents.
pub fn parse_and_extract(path: &Path, text: &str, format: Format) -> Result<Extracted, ParseError> {
    match format {
        Format::Json => {
            let root = load::json::parse(text)?;
            Ok(extract::extract_json(root, text, path))
        }
        Format::Yaml => extract::extract_yaml(text),
        Format::Hcl => {
            let src = SourceFile::new(path.to_string_lossy(), text);
            let results = extract::extract_hcl_module(&[(Arc::new(src), true)], None);
            results
                .into_iter()
                .next()
                .unwrap_or_else(|| Ok(Extracted::default()))
        }
    }
}

/// Lint one text (tests, rule page examples, editors).
pub fn lint_text(display: &str, text: &str, settings: &Settings) -> FileReport {
    let source = Arc::new(SourceFile::new(display, text));
    let result = extract_text(Path::new(display), text, settings);
    finish(source, result, settings)
}

/// Parse and extract a text that has no file to read beside it (no
/// `file()`, no `--policy file://`): by its name, a session policy, a
/// credentials-use file, or a policy-bearing file in its format.
fn extract_text(path: &Path, text: &str, settings: &Settings) -> Result<Extracted, ParseError> {
    if is_session_policy(path, settings) {
        extract_session_policy(text)
    } else if let Some(kind) = credential_kind(path, text, settings) {
        let display = path.to_string_lossy();
        parse_error_reported(extract::creds::extract(kind, &display, text, None))
    } else {
        parse_and_extract(path, text, format_for(path, text))
    }
}

/// [`finish`], plus a report for each policy file the file read (its
/// documents are reported there).
fn finish_with_loaded<T>(
    source: Arc<SourceFile>,
    mut result: Result<Extracted, ParseError>,
    settings: &Settings,
    visit: Option<&Visit<'_, T>>,
) -> Vec<(FileReport, Option<T>)> {
    let loaded = result
        .as_mut()
        .map(|x| std::mem::take(&mut x.loaded))
        .unwrap_or_default();
    let mut reports = vec![finish_visit(source, result, settings, visit)];
    for l in loaded {
        let source = Arc::new(SourceFile::new(l.path, l.text));
        reports.push(finish_visit(source, Ok(l.out), settings, visit));
    }
    reports
}

/// What a caller that needs more than the findings (`explain`) computes
/// from each file, while its extracted documents are at hand: the file's
/// final report (findings after suppressions), what was extracted, and the
/// file's settings.
pub type Visit<'v, T> = dyn Fn(&FileReport, &Extracted, &Settings) -> T + Sync + 'v;

/// Turn a parse result into a file report: TL001, or run the rules.
pub fn finish(
    source: Arc<SourceFile>,
    result: Result<Extracted, ParseError>,
    settings: &Settings,
) -> FileReport {
    finish_visit::<()>(source, result, settings, None).0
}

/// [`finish`], then `visit` on the file's report and documents.
pub fn finish_visit<T>(
    source: Arc<SourceFile>,
    result: Result<Extracted, ParseError>,
    settings: &Settings,
    visit: Option<&Visit<'_, T>>,
) -> (FileReport, Option<T>) {
    let settings = &*settings.for_path(&source.path);
    let mut seen = None;
    let mut report = FileReport::new(source.clone(), FileStatus::Scanned);
    match result {
        Err(e) => {
            if looks_iam_related(&source.text) {
                let span = Span::new(
                    source.clamp(e.span.start as usize),
                    source.clamp(e.span.end as usize),
                );
                report.diagnostics.push(
                    Diagnostic::new(
                        &crate::diagnostic::PARSE_ERROR,
                        span,
                        format!("the file cannot be parsed: {}", e.message),
                    )
                    .label(e.message.clone())
                    .subject("parse-error")
                    .limit_reached(e.limit),
                );
                report.record_limits(&[]);
                finalize(&mut report, &[], false, settings);
            } else {
                report.status = FileStatus::Skipped(format!(
                    "not IAM-related and does not parse: {}",
                    crate::mask::mask(&e.message)
                ));
            }
        }
        Ok(mut extracted) => {
            // Literal access keys in any file read for credentials or
            // holding policies (TL603).
            if extracted.recognised || !extracted.docs.is_empty() {
                let file = source.path.rsplit('/').next().unwrap_or(&source.path);
                for (span, id, secret) in extract::creds::access_keys(&source.text) {
                    extracted.facts.push(extract::Fact {
                        kind: extract::FactKind::AccessKey { id, secret },
                        span,
                        context: file.to_owned(),
                    });
                }
            }
            let outcome = catch_unwind(AssertUnwindSafe(|| run_rules(&extracted, settings)));
            match outcome {
                Ok(diags) => {
                    report.diagnostics = diags;
                    report.record_limits(&extracted.limits);
                    finalize(&mut report, &extracted.suppressions, true, settings);
                    if let Some(v) = visit {
                        match catch_unwind(AssertUnwindSafe(|| v(&report, &extracted, settings))) {
                            Ok(out) => seen = Some(out),
                            Err(_) => {
                                report.status = FileStatus::Error(
                                    "internal error while explaining the file".to_owned(),
                                );
                            }
                        }
                    }
                }
                Err(panic) => {
                    let what = panic
                        .downcast_ref::<&str>()
                        .map(|s| (*s).to_owned())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "unknown panic".to_owned());
                    report.status = FileStatus::Error(format!(
                        "internal error while analysing the file: {}",
                        crate::mask::mask(&what)
                    ));
                }
            }
        }
    }
    (report, seen)
}

/// Severity overrides, rule selection, suppressions, spans clamped to the
/// file, sorted output.
fn finalize(
    report: &mut FileReport,
    suppressions: &[crate::suppress::Suppression],
    analysed: bool,
    settings: &Settings,
) {
    let src = &report.source;
    report
        .diagnostics
        .retain(|d| settings.is_enabled(d.rule.id));
    for d in &mut report.diagnostics {
        for l in std::iter::once(&mut d.primary).chain(d.secondary.iter_mut()) {
            let s = src.clamp(l.span.start as usize);
            let e = src.clamp(l.span.end as usize).max(s);
            l.span = Span::new(s, e);
        }
    }
    if settings.inline_suppressions {
        let diags = std::mem::take(&mut report.diagnostics);
        let outcome = crate::suppress::resolve(src, diags, suppressions, analysed, settings);
        report.diagnostics = outcome.kept;
        (report.suppressed, report.silenced_by) = outcome.silenced.into_iter().unzip();
        // A reason is text from the file, shown in every format.
        for s in &mut report.silenced_by {
            if let Some(r) = &mut s.reason {
                crate::mask::mask_in_place(r);
            }
        }
        report.diagnostics.extend(outcome.notes);
    }
    for d in report.diagnostics.iter_mut().chain(&mut report.suppressed) {
        if let Some(sev) = settings.severity.get(d.rule.id) {
            d.severity = *sev;
        }
        redact(d);
    }
    report
        .diagnostics
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    report
        .diagnostics
        .dedup_by(|a, b| a.sort_key() == b.sort_key());
}

/// A group's variant count, each variant's findings, and the spans of the
/// statements of its documents.
type VariantGroup = (u32, Vec<(String, Vec<Diagnostic>)>, Vec<Span>);

/// The spans of a policy document's statements.
fn statement_spans(doc: &crate::tree::Node) -> Vec<Span> {
    match doc.get("Statement") {
        Some(n) => match n.as_array() {
            Some(items) => items.iter().map(|i| i.span).collect(),
            None => vec![n.span],
        },
        None => Vec::new(),
    }
}

/// Run every rule on every document and setting, folding template-condition
/// variants together.
pub fn run_rules(ex: &Extracted, settings: &Settings) -> Vec<Diagnostic> {
    let mut out = ex.diagnostics.clone();
    let max = settings.max_documents;
    if let Some(first) = ex.docs.get(max) {
        out.push(
            too_many(first.node.span, max, "policy documents")
                .limit_reached(Some((Limit::DocumentsPerFile, crate::limit::value(max)))),
        );
    }
    if let Some(first) = ex.settings.get(max) {
        out.push(
            too_many(first.node.span, max, "role settings")
                .limit_reached(Some((Limit::SettingsPerFile, crate::limit::value(max)))),
        );
    }
    // group id -> (count, [(when, diagnostics)])
    let mut groups: BTreeMap<u32, VariantGroup> = BTreeMap::new();
    // Findings so far (variants included), against MAX_FINDINGS.
    let mut found = out.len();
    let mut stopped = None;
    for doc in ex.docs.iter().take(max) {
        if found >= MAX_FINDINGS {
            stopped = Some(doc.node.span);
            break;
        }
        let (diags, duration_settings) = check_document(doc, settings);
        let mut diags = diags;
        for s in &duration_settings {
            diags.extend(check_setting(s, settings));
        }
        found += diags.len();
        match &doc.variant {
            None => out.extend(diags),
            Some(v) => {
                let group = groups
                    .entry(v.group)
                    .or_insert((v.count, Vec::new(), Vec::new()));
                group.1.push((v.when.clone(), diags));
                group.2.extend(statement_spans(&doc.node));
            }
        }
    }
    for s in ex.settings.iter().take(max) {
        if found >= MAX_FINDINGS {
            stopped = stopped.or(Some(s.node.span));
            break;
        }
        let diags = check_setting(s, settings);
        found += diags.len();
        match &s.variant {
            None => out.extend(diags),
            Some(v) => groups
                .entry(v.group)
                .or_insert((v.count, Vec::new(), Vec::new()))
                .1
                .push((v.when.clone(), diags)),
        }
    }
    for f in &ex.facts {
        if found >= MAX_FINDINGS {
            stopped = stopped.or(Some(f.span));
            break;
        }
        let diags = check_fact(f, settings);
        found += diags.len();
        out.extend(diags);
    }
    for (_, (count, variants, mut statements)) in groups {
        // Every variant of a document has the same statements.
        statements.sort_unstable();
        statements.dedup();
        out.extend(fold_variants(count, variants, &statements));
    }
    if let Some(at) = stopped {
        out.push(
            Diagnostic::new(
                &crate::diagnostic::PARSE_ERROR,
                at,
                format!(
                    "the file has more than {MAX_FINDINGS} findings; the documents from here on were not checked"
                ),
            )
            .label("not checked from here on")
            .subject("too-many-findings")
            .limit_reached(Some((
                Limit::FindingsPerFile,
                crate::limit::value(MAX_FINDINGS),
            ))),
        );
    }
    for d in &mut out {
        // Masked before it is cut, so a cut never leaves part of a secret.
        redact(d);
        shorten(&mut d.message);
        shorten(&mut d.primary.text);
        for l in &mut d.secondary {
            shorten(&mut l.text);
        }
    }
    out
}

/// Messages and labels quote values from the file; a value of megabytes
/// would make a report of megabytes. Longer texts are cut (with `…`).
pub const MAX_MESSAGE_CHARS: usize = 500;

/// Mask the secrets a diagnostic's texts quote from the file (SPEC TL603).
fn redact(d: &mut Diagnostic) {
    crate::mask::mask_in_place(&mut d.message);
    crate::mask::mask_in_place(&mut d.primary.text);
    for l in &mut d.secondary {
        crate::mask::mask_in_place(&mut l.text);
    }
    if let Some(h) = &mut d.help {
        crate::mask::mask_in_place(h);
    }
    if let Some(r) = &mut d.resource {
        crate::mask::mask_in_place(r);
    }
}

fn shorten(s: &mut String) {
    if let Some((at, _)) = s.char_indices().nth(MAX_MESSAGE_CHARS) {
        s.truncate(at);
        s.push('…');
    }
}

/// At most this many statements of a policy are checked. IAM allows a few
/// hundred at most (a role policy is at most 10,240 characters); without a
/// bound, a file of millions of one-character statements makes millions of
/// findings.
pub const MAX_STATEMENTS: usize = 10_000;

/// At most this many findings are kept per file; the documents after the
/// one that reaches it are not checked (and the file gets a TL001).
pub const MAX_FINDINGS: usize = 100_000;

/// A copy of a document whose `Statement` list is longer than
/// [`MAX_STATEMENTS`], cut to that length, and the span of the first
/// statement left out.
fn cap_statements(doc: &Document) -> Option<(Document, Span)> {
    let statements = doc.node.get("Statement")?.as_array()?;
    let first = statements.get(MAX_STATEMENTS)?.span;
    let mut node = crate::tree::Node::new(doc.node.span, crate::tree::Kind::Obj(Vec::new()));
    node.via = doc.node.via.clone();
    if let crate::tree::Kind::Obj(entries) = &mut node.kind {
        for e in doc.node.entries() {
            let value = match (&e.value.kind, e.key.as_str()) {
                (crate::tree::Kind::Arr(items), "Statement") => {
                    let mut v = crate::tree::Node::new(
                        e.value.span,
                        crate::tree::Kind::Arr(items[..MAX_STATEMENTS].to_vec()),
                    );
                    v.via = e.value.via.clone();
                    v
                }
                _ => e.value.clone(),
            };
            entries.push(crate::tree::Entry {
                key: e.key.clone(),
                key_span: e.key_span,
                value,
            });
        }
    }
    let capped = Document {
        node,
        kind: doc.kind,
        name: doc.name.clone(),
        resource: doc.resource.clone(),
        this_account: doc.this_account.clone(),
        variant: doc.variant.clone(),
        session: doc.session,
    };
    Some((capped, first))
}

/// TL001 for a file with more documents (or settings) than are checked;
/// `at` is the first one left out.
fn too_many(at: Span, max: usize, what: &str) -> Diagnostic {
    Diagnostic::new(
        &crate::diagnostic::PARSE_ERROR,
        at,
        format!("the file holds more than {max} {what}; only the first {max} were checked"),
    )
    .label("not checked from here on")
    .subject(format!("too-many-{}", what.replace(' ', "-")))
}

/// The rule the driver must panic on (the [`Settings::panic_on_rule`] test
/// hook). Debug builds also read `TRUSTLINT_TEST_PANIC_ON_RULE`, so
/// end-to-end tests reach the hook through the binary.
fn panic_hook(settings: &Settings) -> Option<&str> {
    if settings.panic_on_rule.is_some() {
        return settings.panic_on_rule;
    }
    #[cfg(debug_assertions)]
    {
        static ENV: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
        ENV.get_or_init(|| std::env::var("TRUSTLINT_TEST_PANIC_ON_RULE").ok())
            .as_deref()
    }
    #[cfg(not(debug_assertions))]
    None
}

/// Run one rule; with the test hook set to it, the rule panics where it
/// would report a finding (`out` is the findings so far).
fn run_rule<C>(
    id: &str,
    settings: &Settings,
    f: impl FnOnce(&mut C),
    cx: &mut C,
    out: impl Fn(&C) -> usize,
) {
    let before = out(cx);
    f(cx);
    if out(cx) > before && panic_hook(settings) == Some(id) {
        panic!("rule {id} panicked (test hook)");
    }
}

/// A finding present under every branch is reported once as is; one present
/// under some branches says under which.
fn fold_variants(
    count: u32,
    variants: Vec<(String, Vec<Diagnostic>)>,
    statements: &[Span],
) -> Vec<Diagnostic> {
    // A statement rule's finding is one per statement whichever variant
    // (and so whichever principal value or message) it came from; other
    // findings are the same when they say the same at the same place.
    let key = |d: &Diagnostic| {
        let statement = rules::find(d.rule.id)
            .is_some_and(|r| r.per_statement)
            .then(|| {
                statements
                    .iter()
                    .filter(|s| s.start <= d.primary.span.start && d.primary.span.end <= s.end)
                    .min_by_key(|s| s.len())
                    .copied()
            })
            .flatten();
        match statement {
            Some(s) => (d.rule.id, s, None),
            None => (d.rule.id, d.primary.span, Some(d.message.clone())),
        }
    };
    let mut seen: Vec<(Diagnostic, Vec<String>)> = Vec::new();
    let mut index: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    for (when, diags) in variants {
        for d in diags {
            match index.entry(key(&d)) {
                std::collections::hash_map::Entry::Occupied(at) => {
                    let whens: &mut Vec<String> = &mut seen[*at.get()].1;
                    if !whens.contains(&when) {
                        whens.push(when.clone());
                    }
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(seen.len());
                    seen.push((d, vec![when.clone()]));
                }
            }
        }
    }
    seen.into_iter()
        .map(|(mut d, whens)| {
            if (whens.len() as u32) < count {
                d.message = format!("{} ({})", d.message, whens.join("; "));
                d.subject = format!("{} [{}]", d.subject, whens.join("; "));
            }
            d
        })
        .collect()
}

fn check_document(doc: &Document, settings: &Settings) -> (Vec<Diagnostic>, Vec<Setting>) {
    let capped;
    let (doc, too_many) = match cap_statements(doc) {
        Some((d, first)) => {
            capped = d;
            (&capped, Some(first))
        }
        None => (doc, None),
    };
    let policy = Policy::parse(&doc.node);
    let kind = doc
        .kind
        .unwrap_or_else(|| extract::raw::infer_kind(&policy));
    let mut out = Vec::new();
    if let Some(at) = too_many {
        out.push(
            self::too_many(at, MAX_STATEMENTS, "statements in one policy")
                .resource(doc.resource.clone())
                .limit_reached(Some((
                    Limit::StatementsPerPolicy,
                    crate::limit::value(MAX_STATEMENTS),
                ))),
        );
    }
    {
        let mut cx = DocCtx {
            doc,
            policy: &policy,
            kind,
            settings,
            out: &mut out,
            vias: std::cell::OnceCell::new(),
        };
        for rule in rules::RULES {
            if let Check::Document(f) = rule.check {
                if settings.is_enabled(rule.id) {
                    run_rule(rule.id, settings, f, &mut cx, |cx| cx.out.len());
                }
            }
        }
    }
    // Durations requested through sts:DurationSeconds conditions are
    // checked like role settings (TL301/TL303), in statements that can
    // apply to a request at all.
    let mut durations = Vec::new();
    for s in policy.statements.iter().filter(|s| !s.never_applies()) {
        for c in s.conditions_on("sts:durationseconds") {
            if !matches!(
                c.op.base,
                Some(Base::NumericLessThan | Base::NumericLessThanEquals | Base::NumericEquals)
            ) {
                continue;
            }
            for v in &c.values {
                durations.push(Setting {
                    kind: SettingKind::DurationCondition,
                    key: c.key.to_owned(),
                    node: (*v).clone(),
                    name: doc.name.clone(),
                    resource: doc.resource.clone(),
                    variant: None,
                    target: None,
                });
            }
        }
    }
    (out, durations)
}

fn check_fact(fact: &crate::extract::Fact, settings: &Settings) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut cx = rules::FactCtx {
        fact,
        settings,
        out: &mut out,
    };
    each_rule(
        settings,
        &mut cx,
        |c| match c {
            Check::Fact(f) => Some(*f),
            _ => None,
        },
        |cx| cx.out.len(),
    );
    out
}

fn check_setting(setting: &Setting, settings: &Settings) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut cx = SettingCtx {
        setting,
        settings,
        out: &mut out,
    };
    each_rule(
        settings,
        &mut cx,
        |c| match c {
            Check::Setting(f) => Some(*f),
            _ => None,
        },
        |cx| cx.out.len(),
    );
    out
}

/// Run every enabled rule whose check `pick` returns on `cx`.
fn each_rule<C>(
    settings: &Settings,
    cx: &mut C,
    pick: impl Fn(&Check) -> Option<fn(&mut C)>,
    len: impl Fn(&C) -> usize + Copy,
) {
    for rule in rules::RULES {
        if let Some(f) = pick(&rule.check) {
            if settings.is_enabled(rule.id) {
                run_rule(rule.id, settings, f, cx, len);
            }
        }
    }
}

/// Read and decode a file; `Err` is the file's report (skip or error).
fn read(input: &Input, settings: &Settings) -> Result<Arc<SourceFile>, Box<FileReport>> {
    let fail = |status| {
        Err(Box::new(FileReport::new(
            Arc::new(SourceFile::new(input.display.clone(), "")),
            status,
        )))
    };
    // A walked file is never a link (the walk does not follow them): one
    // that is now was swapped in after the walk, and is not read.
    let follow = if input.explicit {
        load::file::Follow::Yes
    } else {
        load::file::Follow::No
    };
    let too_large = |why: String| {
        let mut r = FileReport::new(
            Arc::new(SourceFile::new(input.display.clone(), "")),
            FileStatus::Skipped(why.clone()),
        );
        r.limits.push(LimitHit::new(
            (Limit::FileSize, settings.max_file_size),
            None,
            format!("the file was not checked: {why}"),
        ));
        Err(Box::new(r))
    };
    let read = match &input.content {
        Some(bytes) if bytes.len() as u64 > settings.max_file_size => {
            Err(load::file::ReadError::TooLarge {
                max: settings.max_file_size,
                len: bytes.len() as u64,
            })
        }
        Some(bytes) => Ok(bytes.to_vec()),
        None => load::file::read_bounded(&input.path, settings.max_file_size, follow),
    };
    let bytes = match read {
        Ok(b) => b,
        Err(e @ load::file::ReadError::TooLarge { .. }) => return too_large(e.to_string()),
        Err(e) => return fail(FileStatus::Error(format!("cannot read: {e}"))),
    };
    match load::decode::decode_owned(bytes) {
        Ok(text) => Ok(Arc::new(SourceFile::new(input.display.clone(), text))),
        Err(e) => fail(FileStatus::Skipped(e.to_string())),
    }
}

enum Job<'a> {
    One(&'a Input),
    /// Terraform files (`.tf`, `.tf.json`) of one directory, resolved together: the
    /// inputs to report on, and the directory (whose other Terraform files are
    /// read for context, in the job, only when an input mentions IAM).
    Module(Vec<&'a Input>, PathBuf),
}

impl<'a> Job<'a> {
    /// The files the job reports on.
    fn inputs(&self) -> &[&'a Input] {
        match self {
            Job::One(input) => std::slice::from_ref(input),
            Job::Module(inputs, _) => inputs,
        }
    }
}

fn lint_job<T>(
    job: &Job<'_>,
    settings: &Settings,
    visit: Option<&Visit<'_, T>>,
) -> Vec<(FileReport, Option<T>)> {
    // The nearest configuration's settings (one for a module: its files
    // share a folder).
    let own = match job {
        Job::One(input) => input.settings.as_deref(),
        Job::Module(inputs, _) => inputs.first().and_then(|i| i.settings.as_deref()),
    };
    let settings = own.unwrap_or(settings);
    match job {
        Job::One(input) => {
            let source = match read(input, settings) {
                Ok(s) => s,
                Err(report) => return vec![(*report, None)],
            };
            if is_session_policy(&input.path, settings) {
                let r = extract_session_policy(&source.text);
                return finish_with_loaded(source, r, settings, visit);
            }
            if let Some(kind) = credential_kind(&input.path, &source.text, settings) {
                if kind != extract::creds::CredKind::AwsConfig
                    && !may_request_credentials(&source.text)
                {
                    return vec![(FileReport::new(source, FileStatus::Scanned), None)];
                }
                let result = catch_unwind(AssertUnwindSafe(|| {
                    extract_credentials(kind, input, &source.text, settings)
                }));
                return match result {
                    Ok(r) => finish_with_loaded(source, r, settings, visit),
                    Err(_) => vec![(
                        FileReport::new(
                            source,
                            FileStatus::Error("internal error while parsing the file".to_owned()),
                        ),
                        None,
                    )],
                };
            }
            // A file that cannot hold a policy document is not parsed at
            // all: most files of a repository are not IAM-related.
            if !may_hold_documents(&source.text) {
                return vec![(FileReport::new(source, FileStatus::Scanned), None)];
            }
            let format = format_for(&input.path, &source.text);
            let result = catch_unwind(AssertUnwindSafe(|| {
                parse_and_extract(&input.path, &source.text, format)
            }));
            match result {
                Ok(r) => finish_with_loaded(source, r, settings, visit),
                Err(_) => vec![(
                    FileReport::new(
                        source,
                        FileStatus::Error("internal error while parsing the file".to_owned()),
                    ),
                    None,
                )],
            }
        }
        Job::Module(inputs, dir) => {
            let mut files = Vec::new();
            let mut reports = Vec::new();
            for input in inputs {
                match read(input, settings) {
                    Ok(s) => files.push((s, true)),
                    Err(r) => reports.push((*r, None)),
                }
            }
            // A module where no requested file mentions IAM has nothing to
            // report: skip reading its siblings and parsing it.
            if !files.iter().any(|(s, _)| may_hold_documents(&s.text)) {
                reports.extend(
                    files
                        .into_iter()
                        .map(|(s, _)| (FileReport::new(s, FileStatus::Scanned), None)),
                );
                return reports;
            }
            // A walked directory's `.tf` files are all inputs already; only
            // files named on the command line (a pre-commit hook's list)
            // need their directory read for the rest of the module.
            let siblings = if inputs.iter().any(|i| i.explicit) {
                module_siblings(dir, inputs)
            } else {
                Vec::new()
            };
            for p in siblings {
                let ctx_input = Input {
                    path: p.clone(),
                    display: crate::paths::display_path(&p),
                    explicit: false,
                    settings: None,
                    root: None,
                    content: None,
                };
                if let Ok(s) = read(&ctx_input, settings) {
                    files.push((s, false));
                }
            }
            let root = settings
                .file_functions_root
                .as_deref()
                .or_else(|| inputs.first().and_then(|i| i.root.as_deref()));
            let reader = root.map(confined_reader);
            let reader = reader
                .as_ref()
                .map(|r| r as &extract::tf_eval::FileReader<'_>);
            let results = catch_unwind(AssertUnwindSafe(|| {
                extract::extract_hcl_module(&files, reader)
            }));
            match results {
                Ok(results) => {
                    for ((src, report_on), r) in files.iter().zip(results) {
                        if *report_on {
                            reports.extend(finish_with_loaded(src.clone(), r, settings, visit));
                        }
                    }
                }
                Err(_) => {
                    for (src, report_on) in &files {
                        if *report_on {
                            reports.push((
                                FileReport::new(
                                    src.clone(),
                                    FileStatus::Error(
                                        "internal error while parsing the module".to_owned(),
                                    ),
                                ),
                                None,
                            ));
                        }
                    }
                }
            }
            reports
        }
    }
}

/// Lint the inputs in parallel on `jobs` threads; the report is sorted by path.
pub fn lint(inputs: &[Input], settings: &Settings, jobs: usize) -> Report {
    lint_visit::<()>(inputs, settings, jobs, None).0
}

/// [`lint`], and what `visit` computed from each file's documents (in
/// path order, as the report).
pub fn lint_visit<T: Send>(
    inputs: &[Input],
    settings: &Settings,
    jobs: usize,
    visit: Option<&Visit<'_, T>>,
) -> (Report, Vec<T>) {
    let mut files = Vec::new();
    let mut seen = Vec::new();
    lint_each(inputs, settings, jobs, visit, |f, t| {
        files.push(f);
        seen.extend(t);
        ControlFlow::Continue(())
    });
    (Report { files }, seen)
}

/// How many jobs each thread may run ahead of the file being reported.
const AHEAD_PER_THREAD: usize = 64;

/// Reports held back, in path order, before the first is handed on: a
/// policy file that a Terraform module or a script reads (`file()`,
/// `file://`) is reported once, with the findings of both, when it is
/// read within this many files of its own place…
const HELD_REPORTS: usize = 4096;
/// … and while the text of the held reports with findings stays under
/// this size.
const HELD_BYTES: usize = 16 << 20;

/// Lint the inputs on `jobs` threads and hand each file's report to
/// `emit` in path order, as soon as every earlier file is done (SPEC §6:
/// memory follows the files in flight, not the repository). The order
/// and the reports are the same for any `jobs`: which reports are held
/// back depends only on the sequence of results, never on timing.
///
/// A policy file read by a job placed more than [`HELD_REPORTS`] files
/// after it, once its own report has gone, gets a second report right
/// after that job, marked [`FileReport::again`] so that it is not counted
/// twice (rare: a module reading a file far from its folder).
pub fn lint_each<T: Send>(
    inputs: &[Input],
    settings: &Settings,
    jobs: usize,
    visit: Option<&Visit<'_, T>>,
    mut emit: impl FnMut(FileReport, Vec<T>) -> ControlFlow<()>,
) {
    let plan = plan(inputs);
    let work = |i: usize| -> Vec<(FileReport, Option<T>)> {
        let job = &plan[i].1;
        let mut reports = match catch_unwind(AssertUnwindSafe(|| lint_job(job, settings, visit))) {
            Ok(r) => r,
            Err(_) => job
                .inputs()
                .iter()
                .map(|input| {
                    let source = Arc::new(SourceFile::new(input.display.clone(), ""));
                    let status =
                        FileStatus::Error("internal error while linting the file".to_owned());
                    (FileReport::new(source, status), None)
                })
                .collect(),
        };
        if let Some(done) = &settings.progress {
            done.fetch_add(job.inputs().len(), std::sync::atomic::Ordering::Relaxed);
        }
        // Keep a file's text only while something points into it.
        for (r, _) in &mut reports {
            if r.diagnostics.is_empty()
                && r.suppressed.is_empty()
                && r.limits.is_empty()
                && !r.source.text.is_empty()
            {
                r.source = Arc::new(SourceFile::new(r.source.path.clone(), ""));
            }
        }
        reports
    };
    let mut held: BTreeMap<String, (FileReport, Vec<T>)> = BTreeMap::new();
    let mut held_bytes = 0;
    let mut last: Option<String> = None;
    // The paths with a report of their own, sorted: made when a late
    // report first needs it.
    let mut own: Option<Vec<&str>> = None;
    let threads = jobs.max(1);
    crate::ordered::run(
        plan.len(),
        threads,
        threads * AHEAD_PER_THREAD,
        work,
        |i, reports| {
            let mut late: BTreeMap<String, (FileReport, Vec<T>)> = BTreeMap::new();
            for (r, t) in reports {
                let is_late = last.as_deref().is_some_and(|l| r.source.path.as_str() <= l);
                let place = if is_late { &mut late } else { &mut held };
                // The text of the held reports (a merged one may keep the
                // other's text).
                let counted = match place.entry(r.source.path.clone()) {
                    std::collections::btree_map::Entry::Vacant(e) => {
                        let len = r.source.text.len();
                        e.insert((r, t.into_iter().collect()));
                        len
                    }
                    std::collections::btree_map::Entry::Occupied(mut e) => {
                        let (into, ts) = e.get_mut();
                        let before = into.source.text.len();
                        absorb(into, r);
                        ts.extend(t);
                        into.source.text.len() - before
                    }
                };
                if !is_late {
                    held_bytes += counted;
                }
            }
            for (mut f, ts) in late.into_values() {
                let own = own.get_or_insert_with(|| {
                    let mut v: Vec<&str> = inputs.iter().map(|i| i.display.as_str()).collect();
                    v.sort_unstable();
                    v
                });
                f.again = own.binary_search(&f.source.path.as_str()).is_ok();
                emit(f, ts)?;
            }
            // Every later job reports at or after its first path.
            let next = plan.get(i + 1).map(|(key, _)| *key);
            loop {
                let many = held.len() > HELD_REPORTS || held_bytes > HELD_BYTES;
                let Some(e) = held.first_entry() else { break };
                let ready = match next {
                    None => true,
                    Some(next) => many && e.key().as_str() < next,
                };
                if !ready {
                    break;
                }
                let (path, (f, ts)) = e.remove_entry();
                held_bytes -= f.source.text.len();
                last = Some(path);
                emit(f, ts)?;
            }
            ControlFlow::Continue(())
        },
    );
}

/// The jobs, each with the first path it reports on, in path order.
/// Terraform files are grouped by directory so each module is resolved
/// once.
fn plan(inputs: &[Input]) -> Vec<(&str, Job<'_>)> {
    // Keyed by the directory's bytes: a `Path` compares by components,
    // which cost more than the rest of the plan.
    let mut modules: BTreeMap<&std::ffi::OsStr, (PathBuf, Vec<&Input>)> = BTreeMap::new();
    let mut plan: Vec<(&str, Job<'_>)> = Vec::with_capacity(inputs.len());
    for input in inputs {
        if input
            .path
            .file_name()
            .is_some_and(|n| is_terraform_name(&n.to_string_lossy()))
        {
            let dir = input.path.parent().unwrap_or(Path::new(""));
            modules
                .entry(dir.as_os_str())
                .or_insert_with(|| (dir.to_path_buf(), Vec::new()))
                .1
                .push(input);
        } else {
            plan.push((input.display.as_str(), Job::One(input)));
        }
    }
    for (_, (dir, members)) in modules {
        let key = members
            .iter()
            .map(|i| i.display.as_str())
            .min()
            .unwrap_or_default();
        plan.push((key, Job::Module(members, dir)));
    }
    plan.sort_by(|a, b| a.0.cmp(b.0));
    plan
}

/// Merge two reports of one path. A policy file read by Terraform's
/// `file("…")` is reported by the module (findings naming the role) and,
/// when it was walked too, on its own: a finding both make at one place is
/// kept once, the copy that names its resource.
fn absorb(into: &mut FileReport, from: FileReport) {
    if into.source.text.is_empty() {
        into.source = from.source;
    }
    into.status = match (
        std::mem::replace(&mut into.status, FileStatus::Scanned),
        from.status,
    ) {
        (e @ FileStatus::Error(_), _) | (_, e @ FileStatus::Error(_)) => e,
        (FileStatus::Skipped(_), s) | (s, _) => s,
    };
    into.diagnostics.extend(from.diagnostics);
    into.limits.extend(from.limits);
    into.limits.sort();
    into.limits.dedup();
    let keep = named_or_unique(&into.diagnostics);
    into.diagnostics = std::mem::take(&mut into.diagnostics)
        .into_iter()
        .zip(keep)
        .filter_map(|(d, k)| k.then_some(d))
        .collect();
    into.diagnostics
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    into.suppressed.extend(from.suppressed);
    into.silenced_by.extend(from.silenced_by);
    let keep = named_or_unique(&into.suppressed);
    (into.suppressed, into.silenced_by) = std::mem::take(&mut into.suppressed)
        .into_iter()
        .zip(std::mem::take(&mut into.silenced_by))
        .zip(keep)
        .filter_map(|(pair, k)| k.then_some(pair))
        .unzip();
}

/// Which findings to keep: one without a resource is dropped when another
/// of the same rule at the same place names its resource.
fn named_or_unique(diags: &[Diagnostic]) -> Vec<bool> {
    let named: std::collections::HashSet<(&str, Span)> = diags
        .iter()
        .filter(|d| d.resource.is_some())
        .map(|d| (d.rule.id, d.primary.span))
        .collect();
    diags
        .iter()
        .map(|d| d.resource.is_some() || !named.contains(&(d.rule.id, d.primary.span)))
        .collect()
}

/// A Terraform file of a module, by name: `.tf` or `.tf.json`.
fn is_terraform_name(name: &str) -> bool {
    let lc = name.to_ascii_lowercase();
    lc.ends_with(".tf") || lc.ends_with(".tf.json")
}

/// The other Terraform files of a module directory (variables, locals,
/// data sources), read for resolution but not reported on.
fn module_siblings(dir: &Path, members: &[&Input]) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .filter(|e| {
            // The directory entry's type needs no `stat`; a link is followed.
            is_terraform_name(&e.file_name().to_string_lossy())
                && e.file_type()
                    .is_ok_and(|t| t.is_file() || (t.is_symlink() && e.path().is_file()))
        })
        .map(|e| e.path())
        .filter(|p| !members.iter().any(|m| same_file(&m.path, p)))
        .collect();
    out.sort();
    out
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || a.file_name() == b.file_name()
            && a.parent().map(Path::to_path_buf).unwrap_or_default()
                == b.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Lint one document read from standard input (`check -`). `display` is
/// the name it is reported under (`--stdin-filename`, or `-`): its
/// extension picks the format as a file's would, and without one the
/// content decides. Input that is too large or cannot be decoded is a
/// skip, as for a file.
pub fn lint_stdin(display: &str, bytes: Vec<u8>, settings: &Settings) -> FileReport {
    let skip = |why: String| {
        FileReport::new(
            Arc::new(SourceFile::new(display, "")),
            FileStatus::Skipped(why),
        )
    };
    if bytes.len() as u64 > settings.max_file_size {
        return skip(format!(
            "larger than the limit of {} bytes",
            settings.max_file_size
        ));
    }
    let text = match load::decode::decode_owned(bytes) {
        Ok(t) => t,
        Err(e) => return skip(e.to_string()),
    };
    let source = Arc::new(SourceFile::new(display, text));
    let path = Path::new(display);
    let special = is_session_policy(path, settings)
        || credential_kind(path, &source.text, settings).is_some();
    if !special && !may_hold_documents(&source.text) {
        return FileReport::new(source, FileStatus::Scanned);
    }
    match catch_unwind(AssertUnwindSafe(|| {
        extract_text(path, &source.text, settings)
    })) {
        Ok(r) => finish(source, r, settings),
        Err(_) => FileReport::new(
            source,
            FileStatus::Error("internal error while parsing the input".to_owned()),
        ),
    }
}
