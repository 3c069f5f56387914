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

pub mod account_root_trust;
pub mod assume_any_role;
pub mod broad_trust_actions;
pub mod chained_session_over_limit;
pub mod condition_misuse;
pub mod federation_action_mismatch;
pub mod hardcoded_access_key;
pub mod ineffective_mfa;
pub mod invalid_policy;
pub mod invalid_principal;
pub mod invalid_session_duration;
pub mod invalid_suppression;
pub mod long_automation_session;
pub mod long_session_duration;
pub mod missing_mfa;
pub mod missing_web_identity_audience;
pub mod not_principal;
pub mod oidc_token_permission_missing;
pub mod orphaned_principal;
pub mod parse_error;
pub mod profile_without_mfa;
pub mod public_trust;
pub mod roles_anywhere_missing_actions;
pub mod saml_missing_audience;
pub mod service_confused_deputy;
pub mod session_duration_over_limit;
pub mod session_principal;
pub mod static_ci_credentials;
pub mod trust_policy_too_large;
pub mod unguarded_cross_account;
pub mod unknown_condition_key;
pub mod unrestricted_session_policy;
pub mod unrestricted_web_identity;
pub mod unscoped_federation_token;
pub mod wildcard_web_identity_subject;

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

/// Every rule, in ID order.
pub static RULES: &[&Rule] = &[
    &parse_error::RULE,
    &invalid_policy::RULE,
    &trust_policy_too_large::RULE,
    &invalid_suppression::RULE,
    &public_trust::RULE,
    &account_root_trust::RULE,
    &unguarded_cross_account::RULE,
    &not_principal::RULE,
    &invalid_principal::RULE,
    &session_principal::RULE,
    &orphaned_principal::RULE,
    &service_confused_deputy::RULE,
    &missing_mfa::RULE,
    &ineffective_mfa::RULE,
    &condition_misuse::RULE,
    &unknown_condition_key::RULE,
    &session_duration_over_limit::RULE,
    &invalid_session_duration::RULE,
    &long_session_duration::RULE,
    &unrestricted_web_identity::RULE,
    &wildcard_web_identity_subject::RULE,
    &missing_web_identity_audience::RULE,
    &saml_missing_audience::RULE,
    &federation_action_mismatch::RULE,
    &roles_anywhere_missing_actions::RULE,
    &assume_any_role::RULE,
    &unscoped_federation_token::RULE,
    &broad_trust_actions::RULE,
    &unrestricted_session_policy::RULE,
    &long_automation_session::RULE,
    &static_ci_credentials::RULE,
    &hardcoded_access_key::RULE,
    &oidc_token_permission_missing::RULE,
    &chained_session_over_limit::RULE,
    &profile_without_mfa::RULE,
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
