//! Effective settings for a run: limits, trusted accounts, rule selection
//! and severity overrides. The binary fills them from the command line and
//! `trustlint.toml` (see `config`); the library only reads them.
//!
//! Rule selection is layered, as in ruff: each [`Selection`] either
//! replaces the set of enabled rules (`select`) or leaves it, then removes
//! its `ignore`d rules. The layers are the configuration file, the
//! `[[overrides]]` whose `paths` match the file, then the command line.
//! [`Settings::enabled`] holds the result for files that no override
//! matches; [`Settings::for_path`] recomputes it for the others.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;

use crate::diagnostic::Severity;

/// One layer of rule selection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Replace the enabled set with these rule IDs (`None`: keep it).
    pub select: Option<Vec<&'static str>>,
    /// Then remove these rule IDs.
    pub ignore: Vec<&'static str>,
}

impl Selection {
    /// Apply this layer to an enabled set (kept in registry order).
    pub fn apply(&self, enabled: &mut Vec<&'static str>) {
        if let Some(select) = &self.select {
            *enabled = crate::docs::rule_ids()
                .filter(|id| select.contains(id))
                .collect();
        }
        enabled.retain(|id| !self.ignore.contains(id));
    }
}

/// `[[overrides]]`: settings for the files that match `paths`.
#[derive(Clone, Debug)]
pub struct PathOverride {
    /// The patterns as written (for `config --show`).
    pub patterns: Vec<String>,
    pub matcher: globset::GlobSet,
    pub selection: Selection,
    pub severity: BTreeMap<String, Severity>,
}

#[derive(Clone, Debug)]
pub struct Settings {
    /// Accounts that are not "external" (TL103).
    pub trusted_accounts: Vec<String>,
    /// TL301 limit in seconds (never above 43200 for roles).
    pub max_session_duration: u64,
    /// TL303 threshold in seconds.
    pub recommended_session_duration: u64,
    /// TL601 threshold in seconds (planned rule).
    pub automation_session_duration: u64,
    /// TL504 globs of session policy files (planned rule).
    pub session_policies: Vec<String>,
    /// Globs of files read as AWS shared config (SPEC §1.1).
    pub aws_config_files: Vec<String>,
    /// `session_policies` and `aws_config_files`, compiled (relative to
    /// [`Settings::root`]).
    pub session_policy_globs: Option<globset::GlobSet>,
    pub aws_config_globs: Option<globset::GlobSet>,
    /// The folder Terraform `file()`/`templatefile()` may read under
    /// (absolute); `None`: the scanned root of each input.
    pub file_functions_root: Option<PathBuf>,
    /// TL003 quota in characters without white space.
    pub trust_policy_quota: usize,
    /// Rule IDs enabled (after `select`/`ignore`) for files no override matches.
    pub enabled: Vec<&'static str>,
    pub severity: BTreeMap<String, Severity>,
    /// Files larger than this are skipped with a note.
    pub max_file_size: u64,
    /// Honour `# trustlint:ignore` comments and `Metadata.trustlint`.
    pub inline_suppressions: bool,
    /// The configuration file's selection layer (the first one).
    pub base_selection: Selection,
    /// The command line's selection layer (the last one).
    pub cli_selection: Selection,
    /// Per-path overrides, in file order; later ones win.
    pub overrides: Vec<PathOverride>,
    /// The directory override and exclude patterns are relative to (the
    /// configuration file's directory), absolute.
    pub root: Option<PathBuf>,
    /// Bumped once per file linted, for a progress display.
    pub progress: Option<Arc<AtomicUsize>>,
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
            automation_session_duration: 3_600,
            session_policies: Vec::new(),
            aws_config_files: Vec::new(),
            session_policy_globs: None,
            aws_config_globs: None,
            file_functions_root: None,
            trust_policy_quota: 2_048,
            enabled: crate::docs::rule_ids().collect(),
            severity: BTreeMap::new(),
            max_file_size: 64 * 1024 * 1024,
            inline_suppressions: true,
            base_selection: Selection::default(),
            cli_selection: Selection::default(),
            overrides: Vec::new(),
            root: None,
            progress: None,
            max_documents: 10_000,
            panic_on_rule: None,
        }
    }
}

impl Settings {
    pub fn is_enabled(&self, id: &str) -> bool {
        // `enabled` is a subset of the registry without repeats: all of it
        // is the common case.
        self.enabled.len() == crate::docs::rule_ids().len() || self.enabled.contains(&id)
    }

    /// Recompute [`Settings::enabled`] from the configuration and command
    /// line layers (no path overrides).
    pub fn resolve_selection(&mut self) {
        self.enabled = self.selected(&[]);
    }

    fn selected(&self, overrides: &[&PathOverride]) -> Vec<&'static str> {
        let mut enabled: Vec<&'static str> = crate::docs::rule_ids().collect();
        self.base_selection.apply(&mut enabled);
        for o in overrides {
            o.selection.apply(&mut enabled);
        }
        self.cli_selection.apply(&mut enabled);
        enabled
    }

    /// The settings for one file: itself when no `[[overrides]]` entry
    /// matches `path` (a path as reported), or a copy with the matching
    /// overrides applied in order.
    pub fn for_path(&self, path: &str) -> Cow<'_, Settings> {
        if self.overrides.is_empty() {
            return Cow::Borrowed(self);
        }
        let matching: Vec<&PathOverride> = self
            .overrides
            .iter()
            .filter(|o| glob_matches(&o.matcher, Path::new(path), self.root.as_deref()))
            .collect();
        if matching.is_empty() {
            return Cow::Borrowed(self);
        }
        let mut s = self.clone();
        s.enabled = self.selected(&matching);
        for o in &matching {
            for (id, sev) in &o.severity {
                s.severity.insert(id.clone(), *sev);
            }
        }
        Cow::Owned(s)
    }
}

/// Does a pattern set match a path? Patterns are relative to `root` (see
/// [`match_candidates`]) and match the path, one of its parent
/// directories, or the name of either: `legacy` and `legacy/**` both cover
/// `legacy/a.json`, and `node_modules` covers every `node_modules` folder.
pub fn glob_matches(set: &globset::GlobSet, path: &Path, root: Option<&Path>) -> bool {
    if set.is_empty() {
        return false;
    }
    match_candidates(path, root).iter().any(|candidate| {
        candidate
            .ancestors()
            .filter(|p| !p.as_os_str().is_empty())
            .any(|prefix| {
                set.is_match(prefix) || prefix.file_name().is_some_and(|n| set.is_match(n))
            })
    })
}

/// The form of a path that patterns are matched against: relative to
/// `root` when it lies under it, otherwise the path as given.
pub fn match_candidates(path: &Path, root: Option<&Path>) -> Vec<PathBuf> {
    let relative = root.and_then(|root| {
        let abs = normalize(&std::path::absolute(path).ok()?);
        abs.strip_prefix(root).ok().map(Path::to_path_buf)
    });
    let given = || normalize(path.strip_prefix("./").unwrap_or(path));
    vec![relative.unwrap_or_else(given)]
}

pub use crate::paths::normalize;

#[cfg(test)]
mod tests {
    use super::*;

    fn glob(p: &str) -> globset::GlobSet {
        let mut b = globset::GlobSetBuilder::new();
        b.add(globset::Glob::new(p).unwrap());
        b.build().unwrap()
    }

    #[test]
    fn layers_apply_in_order() {
        let mut s = Settings {
            base_selection: Selection {
                select: None,
                ignore: vec!["TL102"],
            },
            cli_selection: Selection {
                select: None,
                ignore: vec!["TL103"],
            },
            ..Settings::default()
        };
        s.resolve_selection();
        assert!(!s.is_enabled("TL102") && !s.is_enabled("TL103") && s.is_enabled("TL101"));
        // A later `select` replaces the set, dropping earlier ignores; its
        // own layer's ignores still apply.
        s.cli_selection.select = Some(vec!["TL103", "TL102", "TL101"]);
        s.resolve_selection();
        assert_eq!(s.enabled, vec!["TL101", "TL102"]);
    }

    #[test]
    fn overrides_match_relative_to_root() {
        let root = std::path::absolute("proj").unwrap();
        let mut s = Settings {
            overrides: vec![PathOverride {
                patterns: vec!["legacy/**".into()],
                matcher: glob("legacy/**"),
                selection: Selection {
                    select: None,
                    ignore: vec!["TL102"],
                },
                severity: [("TL101".to_owned(), Severity::Warning)].into(),
            }],
            root: Some(root),
            ..Settings::default()
        };
        s.resolve_selection();
        let f = s.for_path("proj/legacy/a.json");
        assert!(!f.is_enabled("TL102"));
        assert_eq!(f.severity.get("TL101"), Some(&Severity::Warning));
        assert!(s.for_path("proj/new/a.json").is_enabled("TL102"));
        assert!(matches!(s.for_path("other/a.json"), Cow::Borrowed(_)));
    }
}
