//! The rule registry and the context rules run in.
//!
//! One rule, one file: a doc comment, `pub static RULE: RuleMeta`, the
//! check, then tests. To add a rule: write its file, add one line to
//! [`RULES`], write its page `rules/TLxxx-name.md`, and add fixtures under
//! `tests/fixtures/<name>/`. The registry tests keep these in step.

use crate::diagnostic::Diagnostic;
pub use crate::diagnostic::RuleMeta;
use crate::extract::{Document, Fact, Setting};
use crate::policy::{DocKind, Policy};
use crate::settings::Settings;
use crate::tree::{Kind, Node, Via};

/// How a rule is run.
#[derive(Clone, Copy)]
pub enum Check {
    /// Reported by the driver itself (parse errors).
    Driver,
    /// Runs on every policy document.
    Document(fn(&mut DocCtx<'_>)),
    /// Runs on every role setting (MaxSessionDuration) and requested
    /// session duration.
    Setting(fn(&mut SettingCtx<'_>)),
    /// Runs on every fact about where credentials are requested.
    Fact(fn(&mut FactCtx<'_>)),
}

/// A rule: its metadata (on the bottom floor, in [`crate::diagnostic`], so
/// that every stage can name a rule) and its check.
pub struct Rule {
    pub meta: &'static RuleMeta,
    pub check: Check,
    /// Reported once per statement (SPEC §2: TL103, TL201, TL401–TL406,
    /// TL501–TL503), however many principals or template variants make
    /// it: the driver folds the variants of a statement into one finding.
    pub per_statement: bool,
}

impl Rule {
    pub const fn new(meta: &'static RuleMeta, check: Check) -> Rule {
        Rule {
            meta,
            check,
            per_statement: false,
        }
    }

    /// A rule reported once per statement.
    pub const fn per_statement(meta: &'static RuleMeta, check: Check) -> Rule {
        Rule {
            meta,
            check,
            per_statement: true,
        }
    }
}

impl std::ops::Deref for Rule {
    type Target = RuleMeta;
    fn deref(&self) -> &RuleMeta {
        self.meta
    }
}

impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.meta == other.meta
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.meta.fmt(f)
    }
}

/// Declares each rule's module and its place in [`RULES`]: adding a rule
/// is one line here (in ID order).
macro_rules! registry {
    ($($rule:ident),* $(,)?) => {
        $(pub mod $rule;)*

        /// Every rule, in ID order.
        pub static RULES: &[&Rule] = &[$(&$rule::RULE),*];
    };
}

registry![
    parse_error,
    invalid_policy,
    trust_policy_too_large,
    invalid_suppression,
    public_trust,
    account_root_trust,
    unguarded_cross_account,
    not_principal,
    invalid_principal,
    session_principal,
    orphaned_principal,
    service_confused_deputy,
    missing_mfa,
    ineffective_mfa,
    condition_misuse,
    unknown_condition_key,
    session_duration_over_limit,
    invalid_session_duration,
    long_session_duration,
    unrestricted_web_identity,
    wildcard_web_identity_subject,
    missing_web_identity_audience,
    saml_missing_audience,
    federation_action_mismatch,
    roles_anywhere_missing_actions,
    assume_any_role,
    unscoped_federation_token,
    broad_trust_actions,
    unrestricted_session_policy,
    long_automation_session,
    static_ci_credentials,
    hardcoded_access_key,
    oidc_token_permission_missing,
    chained_session_over_limit,
    profile_without_mfa,
];

/// Find a rule by ID (`TL101`, any case) or name (`public-trust`).
pub fn find(id_or_name: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.id.eq_ignore_ascii_case(id_or_name) || r.name == id_or_name)
}

/// Context for document rules.
pub struct DocCtx<'a> {
    pub doc: &'a Document,
    pub policy: &'a Policy<'a>,
    pub kind: DocKind,
    pub settings: &'a Settings,
    pub out: &'a mut Vec<Diagnostic>,
    /// Provenance by span, built on the first report: looking it up by
    /// walking the tree per finding made a document of 100,000 findings
    /// quadratic.
    pub vias: std::cell::OnceCell<std::collections::HashMap<crate::source::Span, &'a Via>>,
}

impl DocCtx<'_> {
    /// "role `Name`" or "this role" (or policy), for messages.
    pub fn subject(&self) -> String {
        if self.doc.session {
            return match &self.doc.name {
                Some(n) => format!("the session policy of {n}"),
                None => "this session policy".to_owned(),
            };
        }
        let what = match self.kind {
            DocKind::Trust => "role",
            DocKind::Identity | DocKind::Resource => "policy",
        };
        match &self.doc.name {
            Some(n) => format!("{what} `{n}`"),
            None => format!("this {what}"),
        }
    }

    pub fn this_account(&self) -> Option<&str> {
        self.doc.this_account.as_deref()
    }

    /// Add the finding, with the resource and, when the flagged value was
    /// resolved from elsewhere (a parameter default, a variable), a
    /// secondary label there.
    pub fn report(&mut self, d: Diagnostic) {
        let mut d = d.resource(self.doc.resource.clone());
        let vias = self.vias.get_or_init(|| vias(&self.doc.node));
        if let Some(via) = vias.get(&d.primary.span) {
            d = d.secondary(via.span, via.label.clone());
        }
        self.out.push(d);
    }
}

/// The provenance of the values of a tree by span: for a span several
/// nodes share, the first in a depth-first walk that records one.
fn vias(root: &Node) -> std::collections::HashMap<crate::source::Span, &Via> {
    let mut out = std::collections::HashMap::new();
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        if let Some(v) = &n.via {
            out.entry(n.span).or_insert(&**v);
        }
        match &n.kind {
            Kind::Arr(items) => stack.extend(items.iter()),
            Kind::Obj(entries) => stack.extend(entries.iter().map(|e| &e.value)),
            _ => {}
        }
    }
    out
}

/// Context for role-setting rules.
pub struct SettingCtx<'a> {
    pub setting: &'a Setting,
    pub settings: &'a Settings,
    pub out: &'a mut Vec<Diagnostic>,
}

impl SettingCtx<'_> {
    /// "sets `MaxSessionDuration` to" / "allows `sts:DurationSeconds` up to".
    pub fn sets(&self) -> String {
        match self.setting.kind {
            crate::extract::SettingKind::MaxSessionDuration => {
                format!("sets `{}` to", self.setting.key)
            }
            crate::extract::SettingKind::DurationCondition => {
                format!("allows `{}` up to", self.setting.key)
            }
            crate::extract::SettingKind::Requested { .. } => {
                format!("requests a session (`{}`) of", self.setting.key)
            }
        }
    }

    pub fn subject(&self) -> String {
        match (&self.setting.name, self.setting.kind) {
            // Where the request is: `deploy.yml › jobs.release › step …`.
            (Some(n), crate::extract::SettingKind::Requested { .. }) => n.clone(),
            (Some(n), _) => format!("role `{n}`"),
            // A duration condition in a raw document may sit in an
            // identity policy (sts:GetServiceBearerToken): not a role.
            (None, crate::extract::SettingKind::DurationCondition) => "this policy".to_owned(),
            (None, crate::extract::SettingKind::MaxSessionDuration) => "this role".to_owned(),
            (None, crate::extract::SettingKind::Requested { .. }) => "this request".to_owned(),
        }
    }

    pub fn report(&mut self, d: Diagnostic) {
        let mut d = d.resource(self.setting.resource.clone());
        if let Some(via) = &self.setting.node.via {
            d = d.secondary(via.span, via.label.clone());
        }
        self.out.push(d);
    }
}

/// Context for rules on where credentials are requested (SPEC §1.1).
pub struct FactCtx<'a> {
    pub fact: &'a Fact,
    pub settings: &'a Settings,
    pub out: &'a mut Vec<Diagnostic>,
}

impl FactCtx<'_> {
    /// Add the finding (its message names the place: the workflow, job
    /// and step, the script or the profile).
    pub fn report(&mut self, d: Diagnostic) {
        self.out.push(d);
    }
}

/// An access key ID as messages show it: `AKIA…` and its last four
/// characters (SPEC TL603).
pub fn masked_key(id: &str) -> String {
    let prefix = id.get(..4).unwrap_or("");
    let tail = id.get(id.len().saturating_sub(4)..).unwrap_or("");
    format!("{prefix}…{tail}")
}
