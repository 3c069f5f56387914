//! The limits that bound the work per file (SPEC §6), and a limit reached
//! as data ([`LimitHit`]), so that no truncation is ever silent (SPEC §2,
//! "Nothing may disappear silently").
//!
//! A limit that truncates (documents, statements or findings left
//! unchecked, a file not parsed, values treated as unknown, `Fn::If`
//! branches analysed as a union) leaves a [`LimitHit`] in its file's
//! report, whatever else it leaves (most also leave a TL001, which a
//! configuration can silence; the hit cannot be). Every renderer shows
//! them: a `note:` line on stderr (human, concise, github), a `limits`
//! array (JSON), tool execution notifications (SARIF), `::warning`
//! commands (github).
//!
//! To add a limit: a variant here with its stable `id` and value, then
//! mark the diagnostic (or parse error) that reports it with
//! [`crate::Diagnostic::limit`] or push a [`LimitHit`] into the
//! extraction's `limits`.

use crate::source::Span;

/// A limit, by its stable ID (JSON `limit`, SARIF notification
/// descriptor). Its value travels with it (the place that applies the
/// limit knows it, and some are settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Limit {
    /// `Settings::max_file_size`: the file was not read (bytes).
    FileSize,
    /// JSON and YAML nesting, `load::MAX_DEPTH` (levels).
    NestingDepth,
    /// HCL nesting, hcl-edit's own (64 levels, 128 chained operators).
    HclNestingDepth,
    /// `load::MAX_VALUES` (values).
    ValuesPerFile,
    /// `load::yaml::ALIAS_BUDGET` (nodes).
    YamlAliasExpansion,
    /// `load::yaml::ANCHOR_BUDGET` (nodes).
    YamlAnchoredCopies,
    /// `load::embedded::MAX_EMBEDDED_LEN` (bytes).
    EmbeddedDocumentSize,
    /// `extract::RESOLVE_BUDGET` (bytes copied).
    ResolveCopies,
    /// `extract::tf_eval::FUEL` (steps).
    TerraformSteps,
    /// `extract::cfn::MAX_CONDITIONS` (conditions evaluated branch by
    /// branch): past it, each `Fn::If`'s branches are analysed as a union.
    TemplateConditions,
    /// How deep a resolved value may nest (`extract::cfn`'s
    /// `MAX_RESOLVE_DEPTH`, `extract::tf_eval::MAX_DEPTH`): deeper is unknown.
    ResolveDepth,
    /// `extract::tf_eval`'s `MAX_POLICY_FILE` (bytes a `file("…")` reads).
    PolicyFileSize,
    /// `extract::plan`'s `MAX_MODULE_DEPTH` (nested `child_modules`).
    PlanModuleDepth,
    /// `extract::cfn::MAX_NESTING` (StackSet templates inside templates).
    NestedTemplates,
    /// A Terraform conditional (`c ? a : b`) whose condition is unknown:
    /// both branches are analysed as a union (value 0: no condition of it
    /// is evaluated branch by branch).
    TerraformConditional,
    /// `Settings::max_documents` (policy documents).
    DocumentsPerFile,
    /// `Settings::max_documents` (role settings).
    SettingsPerFile,
    /// `lint::MAX_STATEMENTS` (statements of one policy).
    StatementsPerPolicy,
    /// `lint::MAX_FINDINGS` (findings).
    FindingsPerFile,
}

impl Limit {
    pub fn id(self) -> &'static str {
        match self {
            Limit::FileSize => "file-size",
            Limit::NestingDepth => "nesting-depth",
            Limit::HclNestingDepth => "hcl-nesting-depth",
            Limit::ValuesPerFile => "values-per-file",
            Limit::YamlAliasExpansion => "yaml-alias-expansion",
            Limit::YamlAnchoredCopies => "yaml-anchored-copies",
            Limit::EmbeddedDocumentSize => "embedded-document-size",
            Limit::ResolveCopies => "resolve-copies",
            Limit::TerraformSteps => "terraform-steps",
            Limit::TemplateConditions => "template-conditions",
            Limit::ResolveDepth => "resolve-depth",
            Limit::PolicyFileSize => "policy-file-size",
            Limit::PlanModuleDepth => "plan-module-depth",
            Limit::NestedTemplates => "nested-templates",
            Limit::TerraformConditional => "terraform-conditional",
            Limit::DocumentsPerFile => "documents-per-file",
            Limit::SettingsPerFile => "settings-per-file",
            Limit::StatementsPerPolicy => "statements-per-policy",
            Limit::FindingsPerFile => "findings-per-file",
        }
    }
}

/// A limit with its value (`NestingDepth`, 256).
pub type Bound = (Limit, u64);

/// `usize` to a limit value.
pub fn value(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// A limit reached in a file: which, where (when the place is known) and
/// what it means for the findings.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LimitHit {
    /// Where checking stopped (or what was analysed as a union).
    pub span: Option<Span>,
    pub limit: Limit,
    pub value: u64,
    /// "only the first 10000 policy documents were checked".
    pub message: String,
}

impl LimitHit {
    pub fn new((limit, value): Bound, span: Option<Span>, message: impl Into<String>) -> Self {
        LimitHit {
            span,
            limit,
            value,
            message: message.into(),
        }
    }
}
