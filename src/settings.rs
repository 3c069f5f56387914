//! Effective settings for a run: limits, trusted accounts, rule selection
//! and severity overrides. The binary fills them from the command line and
//! `trustlint.toml`; the library only reads them.

use std::collections::BTreeMap;

use crate::diagnostic::Severity;

#[derive(Clone, Debug)]
pub struct Settings {
    /// Accounts that are not "external" (TL103).
    pub trusted_accounts: Vec<String>,
    /// TL301 limit in seconds (never above 43200 for roles).
    pub max_session_duration: u64,
    /// TL303 threshold in seconds.
    pub recommended_session_duration: u64,
    /// TL003 quota in characters without white space.
    pub trust_policy_quota: usize,
    /// Rule IDs enabled (after `select`/`ignore`).
    pub enabled: Vec<&'static str>,
    pub severity: BTreeMap<String, Severity>,
    /// Files larger than this are skipped with a note.
    pub max_file_size: u64,
    /// Honour `# trustlint:ignore` comments and `Metadata.trustlint`.
    pub inline_suppressions: bool,
    /// At most this many policy documents, and this many role settings,
    /// are checked per file; beyond it the file gets one TL001 saying so.
    pub max_documents: usize,
    /// Test hook: the rule driver panics when it is about to run this rule,
    /// so tests can prove a panic becomes an internal error for one file.
    #[doc(hidden)]
    pub panic_on_rule: Option<&'static str>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            trusted_accounts: Vec::new(),
            max_session_duration: 43_200,
            recommended_session_duration: 14_400,
            trust_policy_quota: 2_048,
            enabled: crate::rules::RULES.iter().map(|r| r.id).collect(),
            severity: BTreeMap::new(),
            max_file_size: 64 * 1024 * 1024,
            inline_suppressions: true,
            max_documents: 10_000,
            panic_on_rule: None,
        }
    }
}

impl Settings {
    pub fn is_enabled(&self, id: &str) -> bool {
        self.enabled.contains(&id)
    }
}
