//! `trustlint.toml` (SPEC §4): discovery, parsing with spans, validation,
//! and turning a configuration into [`Settings`].
//!
//! The file is deserialised into `Raw*` structs whose values are
//! `toml::Spanned`, so every problem (unknown key, wrong type, unknown
//! rule, bad account ID, out-of-range duration, bad glob) becomes a
//! [`ConfigError`] pointing at the key or value. Errors are plain data; the
//! binary renders them. To add a key: a field in [`RawConfig`], its check in
//! [`Config::from_raw`], its use in [`Config::apply`], a line in
//! [`Config::effective`], and its entry in `trustlint.schema.json` (a test
//! keeps the schema and [`KEYS`] in step).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diagnostic::Severity;
use crate::discover::{Exclude, Scopes};
use crate::load::file::Follow;
use crate::settings::{PathOverride, Selection, Settings};
use crate::source::Span;

/// File names looked for in each directory, in order of preference.
pub const FILE_NAMES: [&str; 2] = ["trustlint.toml", ".trustlint.toml"];

/// Every top-level key the parser accepts.
pub const KEYS: &[&str] = &[
    "trusted_accounts",
    "max_session_duration",
    "recommended_session_duration",
    "automation_session_duration",
    "trust_policy_quota",
    "session_policies",
    "aws_config_files",
    "file_functions_root",
    "select",
    "ignore",
    "exclude",
    "severity",
    "overrides",
];

/// Keys accepted in each `[[overrides]]` entry.
pub const OVERRIDE_KEYS: &[&str] = &["paths", "select", "ignore", "severity"];

/// Configuration files larger than this are refused.
pub const MAX_CONFIG_FILE: u64 = 1 << 20;

/// The longest role session AWS allows (seconds).
pub const MAX_ROLE_SESSION: i64 = 43_200;
/// The shortest session STS issues (seconds).
pub const MIN_SESSION: i64 = 900;
/// The largest trust policy quota reported for an account (characters).
pub const MAX_TRUST_POLICY_QUOTA: i64 = 8_192;

/// A problem in a configuration file, with the place it is at.
#[derive(Clone, Debug)]
pub struct ConfigError {
    /// The file as shown to the user.
    pub path: String,
    /// The file's text, when it could be read.
    pub text: Option<Arc<str>>,
    pub span: Option<Span>,
    pub message: String,
    /// Short text under the span.
    pub label: String,
    pub help: Option<String>,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    trusted_accounts: Option<Vec<Spanned<String>>>,
    max_session_duration: Option<Spanned<i64>>,
    recommended_session_duration: Option<Spanned<i64>>,
    automation_session_duration: Option<Spanned<i64>>,
    trust_policy_quota: Option<Spanned<i64>>,
    session_policies: Option<Vec<Spanned<String>>>,
    aws_config_files: Option<Vec<Spanned<String>>>,
    file_functions_root: Option<Spanned<String>>,
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    exclude: Option<Vec<Spanned<String>>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    overrides: Option<Vec<RawOverride>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    paths: Spanned<Vec<Spanned<String>>>,
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
}

/// A `[[overrides]]` entry, validated.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Override {
    pub paths: Vec<String>,
    pub select: Option<Vec<&'static str>>,
    pub ignore: Vec<&'static str>,
    pub severity: BTreeMap<&'static str, Severity>,
}

/// A validated configuration file. `None` fields were not set.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    /// The file it came from.
    pub path: Option<PathBuf>,
    pub trusted_accounts: Option<Vec<String>>,
    pub max_session_duration: Option<u64>,
    pub recommended_session_duration: Option<u64>,
    pub automation_session_duration: Option<u64>,
    pub trust_policy_quota: Option<usize>,
    pub session_policies: Option<Vec<String>>,
    /// Globs of files read as AWS shared config (SPEC §1.1).
    pub aws_config_files: Option<Vec<String>>,
    /// The folder Terraform `file()`/`templatefile()` may read under,
    /// relative to this file's folder.
    pub file_functions_root: Option<String>,
    pub select: Option<Vec<&'static str>>,
    pub ignore: Vec<&'static str>,
    pub exclude: Vec<String>,
    pub severity: BTreeMap<&'static str, Severity>,
    pub overrides: Vec<Override>,
}

/// Find `trustlint.toml` or `.trustlint.toml` in `start` (or its directory,
/// for a file) and then each parent directory.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(start).ok()?;
    let abs = crate::paths::normalize(&abs);
    let dir = if abs.is_dir() {
        abs.as_path()
    } else {
        abs.parent()?
    };
    dir.ancestors()
        .find_map(|d| FILE_NAMES.iter().map(|n| d.join(n)).find(|p| p.is_file()))
}

/// A path as shown to the user: relative to the current directory when
/// under it.
pub fn shown(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| std::path::absolute(cwd).ok())
        .and_then(|cwd| crate::paths::relative_to(&path.to_string_lossy(), &cwd))
        .unwrap_or_else(|| crate::paths::display_path(path))
}

/// Collects problems while validating.
struct Checker<'a> {
    path: &'a str,
    text: &'a Arc<str>,
    errors: Vec<ConfigError>,
}

impl Checker<'_> {
    fn error(
        &mut self,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
        label: &str,
        help: Option<&str>,
    ) {
        self.errors.push(ConfigError {
            path: self.path.to_owned(),
            text: Some(self.text.clone()),
            span: Some(Span::new(span.start, span.end)),
            message: message.into(),
            label: label.to_owned(),
            help: help.map(str::to_owned),
        });
    }

    fn rules(
        &mut self,
        key: &str,
        list: Option<Vec<Spanned<String>>>,
    ) -> Option<Vec<&'static str>> {
        let list = list?;
        let mut out = Vec::new();
        for item in list {
            let name = item.get_ref().trim();
            if name.eq_ignore_ascii_case("ALL") {
                out.extend(crate::rules::RULES.iter().map(|r| r.id));
            } else if let Some(r) = crate::rules::find(name) {
                out.push(r.id);
            } else {
                self.error(
                    item.span(),
                    format!("unknown rule `{name}` in `{key}`"),
                    "not a rule ID or name",
                    Some("name rules by ID (TL101) or name (public-trust); `trustlint rules` lists them"),
                );
            }
        }
        Some(out)
    }

    fn severity(
        &mut self,
        table: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    ) -> BTreeMap<&'static str, Severity> {
        let mut out = BTreeMap::new();
        for (k, v) in table.unwrap_or_default() {
            let rule = crate::rules::find(k.get_ref());
            if rule.is_none() {
                self.error(
                    k.span(),
                    format!("unknown rule `{}` in `[severity]`", k.get_ref()),
                    "not a rule ID or name",
                    Some("name rules by ID (TL101) or name (public-trust); `trustlint rules` lists them"),
                );
            }
            let sev = match v.get_ref().as_str() {
                "error" => Some(Severity::Error),
                "warning" => Some(Severity::Warning),
                "note" => Some(Severity::Note),
                other => {
                    self.error(
                        v.span(),
                        format!("unknown severity `{other}`"),
                        "not a severity",
                        Some("use \"error\", \"warning\" or \"note\""),
                    );
                    None
                }
            };
            if let (Some(r), Some(s)) = (rule, sev) {
                out.insert(r.id, s);
            }
        }
        out
    }

    fn integer(
        &mut self,
        key: &str,
        v: Option<Spanned<i64>>,
        min: i64,
        max: i64,
        why: &str,
    ) -> Option<u64> {
        let v = v?;
        let n = *v.get_ref();
        if n < min || n > max {
            self.error(
                v.span(),
                format!("`{key}` must be between {min} and {max}, not {n}"),
                "out of range",
                Some(why),
            );
            return None;
        }
        u64::try_from(n).ok()
    }

    fn globs(&mut self, key: &str, list: Option<Vec<Spanned<String>>>) -> Option<Vec<String>> {
        let list = list?;
        let mut out = Vec::new();
        for item in list {
            match build_globs(std::slice::from_ref(item.get_ref())) {
                Ok(_) => out.push(item.get_ref().clone()),
                Err(e) => self.error(
                    item.span(),
                    format!("invalid pattern in `{key}`: {e}"),
                    "not a glob",
                    Some("patterns are globs relative to the configuration file: `vendor/**`, `**/*.tf.json`"),
                ),
            }
        }
        Some(out)
    }
}

/// Compile glob patterns (`*` stays within a path component, `**` crosses them).
pub fn build_globs(patterns: &[String]) -> Result<globset::GlobSet, globset::Error> {
    let mut b = globset::GlobSetBuilder::new();
    for p in patterns {
        let p = p.strip_prefix("./").unwrap_or(p);
        b.add(
            globset::GlobBuilder::new(p.trim_end_matches('/'))
                .literal_separator(true)
                .build()?,
        );
    }
    b.build()
}

impl Config {
    /// Read and validate a configuration file. `display` is how the path
    /// is shown in errors.
    pub fn load(path: &Path) -> Result<Config, Vec<ConfigError>> {
        let display = shown(path);
        let text =
            crate::load::file::read_text(path, MAX_CONFIG_FILE, Follow::Yes).map_err(|e| {
                vec![ConfigError {
                    path: display.clone(),
                    text: None,
                    span: None,
                    message: format!("cannot read the configuration file: {e}"),
                    label: String::new(),
                    help: None,
                }]
            })?;
        let mut config = Config::parse(&text, &display)?;
        config.path = Some(path.to_path_buf());
        Ok(config)
    }

    /// [`Config::load`] for a file found in the tree: a symbolic link is
    /// followed only to a file in the current directory's tree or beside
    /// it (its text would be shown in errors).
    pub fn load_discovered(path: &Path) -> Result<Config, Vec<ConfigError>> {
        let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        if is_link {
            if let Err(message) = crate::discover::named_link_target(path) {
                return Err(vec![ConfigError {
                    path: shown(path),
                    text: None,
                    span: None,
                    message: format!("cannot read the configuration file: {message}"),
                    label: String::new(),
                    help: None,
                }]);
            }
        }
        Config::load(path)
    }

    /// Parse and validate a configuration text.
    pub fn parse(text: &str, display: &str) -> Result<Config, Vec<ConfigError>> {
        let shared: Arc<str> = Arc::from(text);
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let message = e.message().trim().to_owned();
            let help = if message.starts_with("unknown field") {
                Some(format!("the keys are: {}", KEYS.join(", ")))
            } else {
                None
            };
            vec![ConfigError {
                path: display.to_owned(),
                text: Some(shared.clone()),
                span: e.span().map(|s| Span::new(s.start, s.end)),
                label: if message.starts_with("unknown field") {
                    "unknown key".to_owned()
                } else {
                    "here".to_owned()
                },
                message: format!("invalid configuration: {message}"),
                help,
            }]
        })?;
        let mut ck = Checker {
            path: display,
            text: &shared,
            errors: Vec::new(),
        };
        let config = Config::from_raw(raw, &mut ck);
        if ck.errors.is_empty() {
            Ok(config)
        } else {
            ck.errors.sort_by_key(|e| e.span.map(|s| s.start));
            Err(ck.errors)
        }
    }

    fn from_raw(raw: RawConfig, ck: &mut Checker<'_>) -> Config {
        let trusted_accounts = raw.trusted_accounts.map(|list| {
            let mut out = Vec::new();
            for a in list {
                let id = a.get_ref();
                if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
                    out.push(id.clone());
                } else {
                    ck.error(
                        a.span(),
                        format!("`{id}` is not an AWS account ID"),
                        "not 12 digits",
                        Some("an account ID is 12 digits, as in \"111122223333\""),
                    );
                }
            }
            out
        });
        let max_session_duration = ck.integer(
            "max_session_duration",
            raw.max_session_duration,
            3_600,
            MAX_ROLE_SESSION,
            "a role's MaxSessionDuration is 3600 to 43200 seconds (1 to 12 hours)",
        );
        let recommended_session_duration = ck.integer(
            "recommended_session_duration",
            raw.recommended_session_duration,
            MIN_SESSION,
            MAX_ROLE_SESSION,
            "sessions last 900 to 43200 seconds",
        );
        let automation_session_duration = ck.integer(
            "automation_session_duration",
            raw.automation_session_duration,
            MIN_SESSION,
            MAX_ROLE_SESSION,
            "sessions last 900 to 43200 seconds",
        );
        let trust_policy_quota = ck
            .integer(
                "trust_policy_quota",
                raw.trust_policy_quota,
                1,
                MAX_TRUST_POLICY_QUOTA,
                "the role trust policy length quota is 2048 characters by default and can be raised by AWS Support",
            )
            .and_then(|n| usize::try_from(n).ok());
        let session_policies = ck.globs("session_policies", raw.session_policies);
        let aws_config_files = ck.globs("aws_config_files", raw.aws_config_files);
        let file_functions_root = raw.file_functions_root.and_then(|v| {
            let p = v.get_ref().trim();
            if p.is_empty() {
                ck.error(
                    v.span(),
                    "`file_functions_root` is empty",
                    "empty",
                    Some("name a folder relative to this file, as in \".\" or \"modules\""),
                );
                None
            } else {
                Some(p.to_owned())
            }
        });
        let select = ck.rules("select", raw.select);
        let ignore = ck.rules("ignore", raw.ignore).unwrap_or_default();
        let exclude = ck.globs("exclude", raw.exclude).unwrap_or_default();
        let severity = ck.severity(raw.severity);
        let mut overrides = Vec::new();
        for o in raw.overrides.unwrap_or_default() {
            let span = o.paths.span();
            let paths = ck
                .globs("overrides.paths", Some(o.paths.into_inner()))
                .unwrap_or_default();
            if paths.is_empty() {
                ck.error(
                    span,
                    "`paths` of an override names no pattern",
                    "empty",
                    Some("list the files it applies to: paths = [\"legacy/**\"]"),
                );
            }
            overrides.push(Override {
                paths,
                select: ck.rules("overrides.select", o.select),
                ignore: ck.rules("overrides.ignore", o.ignore).unwrap_or_default(),
                severity: ck.severity(o.severity),
            });
        }
        Config {
            path: None,
            trusted_accounts,
            max_session_duration,
            recommended_session_duration,
            automation_session_duration,
            trust_policy_quota,
            session_policies,
            aws_config_files,
            file_functions_root,
            select,
            ignore,
            exclude,
            severity,
            overrides,
        }
    }

    /// The directory patterns are relative to (absolute, lexically normalised).
    pub fn root(&self) -> Option<PathBuf> {
        let dir = self.path.as_ref()?.parent()?;
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        std::path::absolute(dir)
            .ok()
            .map(|d| crate::paths::normalize(&d))
    }

    /// Put this configuration into settings. The command line's selection
    /// is applied separately, as the last layer.
    pub fn apply(&self, settings: &mut Settings) {
        if let Some(a) = &self.trusted_accounts {
            settings.trusted_accounts = a.clone();
        }
        if let Some(v) = self.max_session_duration {
            settings.max_session_duration = v;
        }
        if let Some(v) = self.recommended_session_duration {
            settings.recommended_session_duration = v;
        }
        if let Some(v) = self.automation_session_duration {
            settings.automation_session_duration = v;
        }
        if let Some(v) = self.trust_policy_quota {
            settings.trust_policy_quota = v;
        }
        if let Some(v) = &self.session_policies {
            settings.session_policies = v.clone();
            settings.session_policy_globs = build_globs(v).ok().filter(|g| !g.is_empty());
        }
        if let Some(v) = &self.aws_config_files {
            settings.aws_config_files = v.clone();
            settings.aws_config_globs = build_globs(v).ok().filter(|g| !g.is_empty());
        }
        if let (Some(root), Some(dir)) = (&self.file_functions_root, self.root()) {
            settings.file_functions_root =
                Some(crate::paths::normalize(&dir.join(Path::new(root))));
        }
        settings.base_selection = Selection {
            select: self.select.clone(),
            ignore: self.ignore.clone(),
        };
        for (id, sev) in &self.severity {
            settings.severity.insert((*id).to_owned(), *sev);
        }
        settings.overrides = self
            .overrides
            .iter()
            .filter_map(|o| {
                Some(PathOverride {
                    patterns: o.paths.clone(),
                    matcher: build_globs(&o.paths).ok()?,
                    selection: Selection {
                        select: o.select.clone(),
                        ignore: o.ignore.clone(),
                    },
                    severity: o
                        .severity
                        .iter()
                        .map(|(k, v)| ((*k).to_owned(), *v))
                        .collect(),
                })
            })
            .collect();
        settings.root = self.root();
        settings.resolve_selection();
    }

    /// The `exclude` patterns as a matcher for discovery, for every path
    /// of the run (`--config FILE`).
    pub fn exclude(&self) -> Exclude {
        Exclude {
            set: build_globs(&self.exclude).unwrap_or_else(|_| globset::GlobSet::empty()),
            root: self.root(),
            confined: false,
        }
    }

    /// The `exclude` patterns of a discovered configuration: they never
    /// reach outside its folder (SPEC §4).
    pub fn confined_exclude(&self) -> Exclude {
        Exclude {
            confined: self.root().is_some(),
            ..self.exclude()
        }
    }
}

/// A configuration in force for a folder: the file (if any), the settings
/// it gives, and what it excludes.
#[derive(Debug)]
pub struct Scope {
    pub config: Config,
    pub settings: Arc<Settings>,
    exclude: Exclude,
}

/// Builds a scope's settings from its configuration (the command line's
/// layers included).
pub type MakeSettings<'a> = dyn Fn(&Config) -> Settings + Sync + 'a;

/// The configuration of every folder of a run (SPEC §4): the nearest
/// `trustlint.toml` or `.trustlint.toml` walking up from it, each loaded
/// once; or one configuration for every path (`--config FILE`,
/// `--no-config`).
pub struct Resolver<'a> {
    fixed: Option<Arc<Scope>>,
    make: &'a MakeSettings<'a>,
    /// The current directory, for relative paths (one `getcwd`).
    cwd: PathBuf,
    /// Absolute folder → its scope.
    cache: std::sync::Mutex<std::collections::HashMap<PathBuf, Arc<Scope>>>,
    errors: std::sync::Mutex<Vec<ConfigError>>,
    default: std::sync::OnceLock<Arc<Scope>>,
}

impl<'a> Resolver<'a> {
    /// One scope per folder, found by walking up.
    pub fn nearest(make: &'a MakeSettings<'a>) -> Resolver<'a> {
        Resolver {
            fixed: None,
            make,
            cwd: std::env::current_dir()
                .ok()
                .and_then(|d| std::path::absolute(d).ok())
                .unwrap_or_default(),
            cache: std::sync::Mutex::default(),
            errors: std::sync::Mutex::default(),
            default: std::sync::OnceLock::new(),
        }
    }

    /// One configuration for every path.
    pub fn fixed(config: Config, make: &'a MakeSettings<'a>) -> Resolver<'a> {
        let settings = Arc::new(make(&config));
        let exclude = config.exclude();
        let mut r = Resolver::nearest(make);
        r.fixed = Some(Arc::new(Scope {
            config,
            settings,
            exclude,
        }));
        r
    }

    /// The scope of the files in `dir`.
    pub fn scope(&self, dir: &Path) -> Arc<Scope> {
        if let Some(f) = &self.fixed {
            return f.clone();
        }
        let abs = crate::paths::normalize(&self.cwd.join(dir));
        self.scope_abs(&abs)
    }

    /// The scope used when no file is found.
    pub fn default_scope(&self) -> Arc<Scope> {
        if let Some(f) = &self.fixed {
            return f.clone();
        }
        self.default
            .get_or_init(|| {
                let config = Config::default();
                Arc::new(Scope {
                    settings: Arc::new((self.make)(&config)),
                    exclude: Exclude::default(),
                    config,
                })
            })
            .clone()
    }

    fn scope_abs(&self, dir: &Path) -> Arc<Scope> {
        if let Some(s) = self.cache.lock().ok().and_then(|c| c.get(dir).cloned()) {
            return s;
        }
        let found = FILE_NAMES
            .iter()
            .map(|n| dir.join(n))
            .find(|p| std::fs::symlink_metadata(p).is_ok());
        let scope = match found {
            Some(file) => match Config::load_discovered(&file) {
                Ok(config) => Arc::new(Scope {
                    settings: Arc::new((self.make)(&config)),
                    exclude: config.confined_exclude(),
                    config,
                }),
                Err(errors) => {
                    if let Ok(mut all) = self.errors.lock() {
                        all.extend(errors);
                    }
                    self.default_scope()
                }
            },
            None => match dir.parent() {
                Some(parent) => self.scope_abs(parent),
                None => self.default_scope(),
            },
        };
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(dir.to_path_buf(), scope.clone());
        }
        scope
    }

    /// The problems of every configuration file read so far, in order.
    pub fn errors(&self) -> Vec<ConfigError> {
        let mut errors = self.errors.lock().map(|e| e.clone()).unwrap_or_default();
        errors.sort_by(|a, b| {
            (&a.path, a.span.map(|s| s.start)).cmp(&(&b.path, b.span.map(|s| s.start)))
        });
        errors
    }
}

impl Scopes for Resolver<'_> {
    fn excluded(&self, path: &Path) -> bool {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        self.scope(dir).exclude.matches(path)
    }

    fn settings_for(&self, dir: &Path) -> Option<Arc<Settings>> {
        Some(self.scope(dir).settings.clone())
    }

    fn excludes_nothing_in(&self, dir: &Path) -> bool {
        self.scope(dir).exclude.is_empty()
    }
}

#[derive(Serialize)]
struct Effective<'a> {
    trusted_accounts: &'a [String],
    max_session_duration: u64,
    recommended_session_duration: u64,
    automation_session_duration: u64,
    trust_policy_quota: usize,
    session_policies: &'a [String],
    aws_config_files: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    file_functions_root: Option<&'a str>,
    select: Vec<&'static str>,
    ignore: &'a [&'static str],
    exclude: &'a [String],
    severity: BTreeMap<&'static str, &'static str>,
    overrides: Vec<EffectiveOverride<'a>>,
}

#[derive(Serialize)]
struct EffectiveOverride<'a> {
    paths: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    select: Option<&'a [&'static str]>,
    ignore: &'a [&'static str],
    severity: BTreeMap<&'static str, &'static str>,
}

impl Config {
    /// The effective configuration as TOML (`trustlint config --show`):
    /// every key, with defaults for those the file does not set. It parses
    /// back into an equivalent configuration.
    pub fn effective(&self, settings: &Settings) -> String {
        let sev = |m: &BTreeMap<&'static str, Severity>| {
            m.iter().map(|(k, v)| (*k, v.as_str())).collect()
        };
        let eff = Effective {
            trusted_accounts: &settings.trusted_accounts,
            max_session_duration: settings.max_session_duration,
            recommended_session_duration: settings.recommended_session_duration,
            automation_session_duration: settings.automation_session_duration,
            trust_policy_quota: settings.trust_policy_quota,
            session_policies: &settings.session_policies,
            aws_config_files: &settings.aws_config_files,
            file_functions_root: self.file_functions_root.as_deref(),
            select: self.select.clone().unwrap_or_else(|| vec!["ALL"]),
            ignore: &self.ignore,
            exclude: &self.exclude,
            severity: sev(&self.severity),
            overrides: self
                .overrides
                .iter()
                .map(|o| EffectiveOverride {
                    paths: &o.paths,
                    select: o.select.as_deref(),
                    ignore: &o.ignore,
                    severity: sev(&o.severity),
                })
                .collect(),
        };
        let source = match &self.path {
            Some(p) => format!("# from {}\n", shown(p)),
            None => "# no configuration file: defaults\n".to_owned(),
        };
        let enabled = format!("# enabled rules: {}\n", settings.enabled.join(", "));
        let body = toml::to_string(&eff).unwrap_or_default();
        format!("{source}{enabled}{body}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> ConfigError {
        match Config::parse(text, "trustlint.toml") {
            Ok(c) => panic!("parsed: {c:?}"),
            Err(mut e) => e.remove(0),
        }
    }

    fn at(text: &str, e: &ConfigError) -> String {
        let s = e.span.unwrap();
        text[s.range()].to_owned()
    }

    #[test]
    fn spec_example_parses() {
        let text = r#"
trusted_accounts = ["111122223333"]   # not "external" for TL103
max_session_duration = 43200          # TL301 limit (never above 43200 for roles)
recommended_session_duration = 14400  # TL303
automation_session_duration = 3600     # TL601
trust_policy_quota = 2048              # TL003 (raise it after an account quota increase)
session_policies = ["policies/session/*.json"]  # TL504, besides --policy file:// references
select = ["ALL"]                      # or a list of IDs / names
ignore = ["TL106"]
exclude = ["vendor/**", "**/.terraform/**"]
[severity]
TL102 = "error"
"#;
        let c = Config::parse(text, "trustlint.toml").unwrap();
        assert_eq!(c.trusted_accounts, Some(vec!["111122223333".to_owned()]));
        assert_eq!(c.ignore, vec!["TL106"]);
        assert_eq!(c.severity.get("TL102"), Some(&Severity::Error));
        let mut s = Settings::default();
        c.apply(&mut s);
        assert!(!s.is_enabled("TL106") && s.is_enabled("TL101"));
    }

    #[test]
    fn errors_point_at_the_key_or_value() {
        let t = "select = [\"TL101\"]\nbogus = 1\n";
        assert_eq!(at(t, &err(t)), "bogus");
        let t = "max_session_duration = \"long\"\n";
        assert_eq!(at(t, &err(t)), "\"long\"");
        let t = "ignore = [\"TL102\", \"no-such-rule\"]\n";
        let e = err(t);
        assert_eq!(at(t, &e), "\"no-such-rule\"");
        assert!(e.message.contains("no-such-rule"));
        let t = "trusted_accounts = [\"12345\"]\n";
        assert_eq!(at(t, &err(t)), "\"12345\"");
        let t = "max_session_duration = 50000\n";
        assert_eq!(at(t, &err(t)), "50000");
        let t = "[severity]\nTL102 = \"fatal\"\n";
        assert_eq!(at(t, &err(t)), "\"fatal\"");
        let t = "[severity]\nnope = \"error\"\n";
        assert_eq!(at(t, &err(t)), "nope");
        let t = "[[overrides]]\npaths = [\"a/**\"]\nselekt = []\n";
        assert_eq!(at(t, &err(t)), "selekt");
        let t = "exclude = [\"a/[\"]\n";
        assert_eq!(at(t, &err(t)), "\"a/[\"");
        let t = "automation_session_duration = 1.5\n";
        assert_eq!(at(t, &err(t)), "1.5");
        let t = "session_policies = \"x\"\n";
        assert_eq!(at(t, &err(t)), "\"x\"");
    }

    #[test]
    fn every_error_is_reported() {
        let t = "ignore = [\"x\", \"y\"]\ntrusted_accounts = [\"1\"]\n";
        assert_eq!(Config::parse(t, "t").unwrap_err().len(), 3);
    }

    #[test]
    fn effective_round_trips() {
        let t = "ignore = [\"session-principal\"]\n[severity]\nTL102 = \"error\"\n[[overrides]]\npaths = [\"legacy/**\"]\nignore = [\"TL102\"]\n[overrides.severity]\nTL101 = \"warning\"\n";
        let c = Config::parse(t, "t").unwrap();
        let mut s = Settings::default();
        c.apply(&mut s);
        let shown = c.effective(&s);
        let back = Config::parse(&shown, "shown").unwrap();
        let mut s2 = Settings::default();
        back.apply(&mut s2);
        assert_eq!(s.enabled, s2.enabled);
        assert_eq!(back.overrides, c.overrides);
        assert_eq!(back.severity, c.severity);
        assert!(shown.contains("max_session_duration = 43200"));
    }

    #[test]
    fn discovery_walks_up() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(dir.path().join(".trustlint.toml"), "").unwrap();
        assert_eq!(discover(&sub).unwrap(), dir.path().join(".trustlint.toml"));
        std::fs::write(dir.path().join("a/trustlint.toml"), "").unwrap();
        std::fs::write(sub.join("x.json"), "{}").unwrap();
        assert_eq!(
            discover(&sub.join("x.json")).unwrap(),
            dir.path().join("a/trustlint.toml")
        );
    }
}
