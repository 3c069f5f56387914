//! `trustlint explain` (SPEC §3.1): who can assume each role, in plain
//! words.
//!
//! For every role trust policy found, one [`Grant`] per principal of each
//! trust statement (an `Allow` granting an assume-role action), with what
//! restricts it. Which conditions count is never decided here: MFA,
//! ExternalId, identity pins and web-identity providers come from
//! [`crate::analysis`], the one place that answers those questions, and
//! the findings of the normal `check` run on the same file say whether a
//! grant is public (TL101, TL401, TL402).
//!
//! [`explain`] runs the `check` pipeline ([`crate::lint::lint_visit`]) and
//! builds each file's roles while its documents are at hand; [`chains`]
//! then links the roles of all files (SPEC §3.1 "Chains"). Renderers live
//! in [`render`]; this module never prints.
//!
//! Exposure, widest first: `public`, `external`, `federated`, `unknown`,
//! `same-account`, `service`, `none`. SPEC says `unknown` applies "when
//! a principal cannot be resolved and nothing wider is known": an
//! unresolved principal may be another account's, so a known same-account
//! or service grant is not wider than it.

pub mod chains;
pub mod render;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::analysis::{self, Mfa, ProviderKind, Relation};
use crate::diagnostic::Diagnostic;
use crate::extract::{self, Extracted, SettingKind};
use crate::lint::{FileReport, Input, Report};
use crate::policy::condition::{Base, SetOp, ALWAYS_PRESENT_KEYS, PIN_KEYS};
use crate::policy::principal::{Account, Class, PrincipalType};
use crate::policy::{Condition, DocKind, Effect, Policy, Principal, Statement};
use crate::settings::Settings;
use crate::source::{Position, SourceFile, Span};
use crate::tree::{display, has_unknown, Kind, Node, THIS_ACCOUNT};

/// How far a role is exposed: its widest grant. Ordered widest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Exposure {
    Public,
    External,
    Federated,
    Unknown,
    SameAccount,
    Service,
    None,
}

impl Exposure {
    pub fn as_str(self) -> &'static str {
        match self {
            Exposure::Public => "public",
            Exposure::External => "external",
            Exposure::Federated => "federated",
            Exposure::Unknown => "unknown",
            Exposure::SameAccount => "same-account",
            Exposure::Service => "service",
            Exposure::None => "none",
        }
    }

    pub const ALL: [Exposure; 7] = [
        Exposure::Public,
        Exposure::External,
        Exposure::Federated,
        Exposure::Unknown,
        Exposure::SameAccount,
        Exposure::Service,
        Exposure::None,
    ];
}

/// A start and end position, as in `check`'s JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SpanOut {
    pub start: Position,
    pub end: Position,
}

/// One condition entry of a trust statement, and whether it restricts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConditionView {
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
    pub effective: bool,
    /// Why it does not restrict, when it does not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// One principal of one trust statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Grant {
    pub principal: String,
    pub class: &'static str,
    pub account: Option<String>,
    pub external: Option<bool>,
    pub provider: Option<&'static str>,
    pub service: Option<String>,
    pub actions: Vec<String>,
    pub mfa: bool,
    pub external_id: bool,
    pub pinned: bool,
    pub subjects: Vec<String>,
    pub conditions: Vec<ConditionView>,
    pub text: String,
    pub findings: Vec<&'static str>,
    #[serde(skip)]
    pub exposure: Exposure,
    /// The principal as a role or account this scan may hold
    /// ([`chains`]): `(account, role path/name)`; `None` name = the whole
    /// account. Unknown accounts are never linked.
    #[serde(skip)]
    pub link: Option<(String, Option<String>)>,
}

/// A chain of roles that reaches a role (SPEC §3.1 "Chains").
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Chain {
    pub path: Vec<String>,
    pub max_session_seconds: u64,
}

/// What a role's identity policies let it do, for chains and privilege.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Powers {
    /// `sts:AssumeRole` resources allowed (`None`: an unresolved value or
    /// `NotResource`, an unknown edge).
    pub assume: Vec<Option<String>>,
    /// Resources explicitly denied for `sts:AssumeRole` (unconditional).
    pub deny: Vec<String>,
    /// A policy allows `*` on `*`, or `iam:*`.
    pub privileged: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Role {
    pub role: String,
    pub path: String,
    pub span: SpanOut,
    pub account: Option<String>,
    pub max_session_seconds: Option<u64>,
    pub exposure: Exposure,
    pub grants: Vec<Grant>,
    pub reachable_from: Vec<Chain>,
    /// The resource (logical ID, Terraform address, ARN).
    #[serde(skip)]
    pub resource: Option<String>,
    /// The role's own ARN, when the file says it (account exports).
    #[serde(skip)]
    pub arn: Option<String>,
    #[serde(skip)]
    pub powers: Powers,
    /// From an account export (`get-account-authorization-details`).
    #[serde(skip)]
    pub export: bool,
    /// Findings on the role's settings (TL301, TL302, TL303, TL003).
    #[serde(skip)]
    pub role_findings: Vec<&'static str>,
    /// Links to this role through values that are not known (an
    /// unresolved resource in an identity policy): never assumed.
    #[serde(skip)]
    pub unknown_links: usize,
    /// Every grant names a scanned role: a session of this role is always
    /// a chained one (at most an hour).
    #[serde(skip)]
    pub only_chained: bool,
    /// What the chains say about requests for this role (TL605).
    #[serde(skip)]
    pub notes: Vec<String>,
}

/// A session requested for a role named by ARN (a CI step's
/// `role-to-assume`, a profile's `role_arn`), for TL605 on chains.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub target: String,
    pub seconds: u64,
    /// Already known to be chained (`role-chaining: true`, a profile whose
    /// source assumes a role): `check` reports it.
    pub chained: bool,
    /// `path:line:column`, and the step or profile.
    pub place: String,
    pub context: String,
}

/// What one file holds for `explain`.
#[derive(Clone, Debug, Default)]
pub struct FileExplained {
    pub roles: Vec<Role>,
    pub requests: Vec<Request>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub roles: usize,
    pub public: usize,
    pub external: usize,
    pub federated: usize,
    pub same_account: usize,
    pub service_only: usize,
    pub none: usize,
    pub unknown: usize,
}

/// The whole answer, in the JSON shape of SPEC §3.1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub version: u32,
    pub roles: Vec<Role>,
    pub summary: Summary,
    /// Some input was an account export (the human summary is shown).
    #[serde(skip)]
    pub export: bool,
    /// Roles left out by `--role`.
    #[serde(skip)]
    pub filtered: bool,
}

/// Run `check` over the inputs and explain every role found.
pub fn explain(
    inputs: &[Input],
    settings: &Settings,
    jobs: usize,
    role: Option<&str>,
) -> (Report, Explanation) {
    let visit = |r: &FileReport, x: &Extracted, s: &Settings| FileExplained {
        roles: explain_file(r, x, s),
        requests: requests(r, x),
    };
    let (report, files) = crate::lint::lint_visit(inputs, settings, jobs, Some(&visit));
    let mut roles = Vec::new();
    let mut asked = Vec::new();
    for f in files {
        roles.extend(f.roles);
        asked.extend(f.requests);
    }
    chains::link(&mut roles);
    chains::check_requests(&mut roles, &asked);
    let export = roles.iter().any(|r| r.export);
    let before = roles.len();
    if let Some(name) = role {
        roles.retain(|r| r.role == name || r.resource.as_deref() == Some(name));
    }
    let filtered = roles.len() != before;
    (report, assemble(roles, export, filtered))
}

/// Sort (widest exposure first, then path, position, name) and count.
pub fn assemble(mut roles: Vec<Role>, export: bool, filtered: bool) -> Explanation {
    roles.sort_by(|a, b| {
        (a.exposure, &a.path, a.span.start.offset, &a.role).cmp(&(
            b.exposure,
            &b.path,
            b.span.start.offset,
            &b.role,
        ))
    });
    let mut summary = Summary {
        roles: roles.len(),
        ..Summary::default()
    };
    for r in &roles {
        match r.exposure {
            Exposure::Public => summary.public += 1,
            Exposure::External => summary.external += 1,
            Exposure::Federated => summary.federated += 1,
            Exposure::SameAccount => summary.same_account += 1,
            Exposure::Service => summary.service_only += 1,
            Exposure::None => summary.none += 1,
            Exposure::Unknown => summary.unknown += 1,
        }
    }
    Explanation {
        version: 1,
        roles,
        summary,
        export,
        filtered,
    }
}

/// Explain one text (tests, editors): `check` on it, then its roles.
pub fn explain_text(display: &str, text: &str, settings: &Settings) -> Explanation {
    let source = std::sync::Arc::new(SourceFile::new(display, text));
    let path = std::path::Path::new(display);
    let result = crate::lint::parse_and_extract(path, text, crate::lint::format_for(path, text));
    let visit = |r: &FileReport, x: &Extracted, s: &Settings| FileExplained {
        roles: explain_file(r, x, s),
        requests: requests(r, x),
    };
    let (_, file) = crate::lint::finish_visit(source, result, settings, Some(&visit));
    let file = file.unwrap_or_default();
    let mut roles = file.roles;
    chains::link(&mut roles);
    chains::check_requests(&mut roles, &file.requests);
    let export = roles.iter().any(|r| r.export);
    assemble(roles, export, false)
}

/// The sessions a file requests for roles it names.
pub fn requests(report: &FileReport, x: &Extracted) -> Vec<Request> {
    x.settings
        .iter()
        .filter_map(|s| {
            let SettingKind::Requested { chained, .. } = s.kind else {
                return None;
            };
            let target = s.target.clone()?;
            let extract::Duration::Seconds(v) = extract::duration_value(&s.node) else {
                return None;
            };
            if !(v.is_finite() && v >= 0.0) {
                return None;
            }
            let at = span_out(&report.source, s.node.span).start;
            Some(Request {
                target,
                seconds: v.min(1e15) as u64,
                chained,
                place: format!("{}:{}:{}", report.source.path, at.line, at.column),
                context: s.name.clone().unwrap_or_default(),
            })
        })
        .collect()
}

/// AWS-managed policies that allow everything, or everything in IAM.
const PRIVILEGED_MANAGED: &[&str] = &["AdministratorAccess", "IAMFullAccess"];

/// The roles of one file.
pub fn explain_file(report: &FileReport, x: &Extracted, settings: &Settings) -> Vec<Role> {
    let source = &report.source;
    // Exposure reads every finding (a suppressed TL101 is still public);
    // grants list those `check` reports.
    let findings: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .chain(&report.suppressed)
        .collect();
    let active: Vec<&Diagnostic> = report.diagnostics.iter().collect();
    let export = !x.attached.is_empty()
        || x.docs
            .iter()
            .any(|d| d.this_account.is_some() && d.kind == Some(DocKind::Trust));
    // Identity policies by the resource they belong to.
    let mut powers: BTreeMap<&str, Powers> = BTreeMap::new();
    for d in &x.docs {
        if d.kind != Some(DocKind::Identity) || d.session {
            continue;
        }
        let Some(res) = d.resource.as_deref() else {
            continue;
        };
        let policy = Policy::parse(&d.node);
        let p = powers.entry(res).or_default();
        add_powers(p, &policy);
    }
    // Managed policies attached to roles (exports).
    let mut attached: BTreeMap<&str, Powers> = BTreeMap::new();
    for (role, arn) in &x.attached {
        let p = attached.entry(role.as_str()).or_default();
        if let Some(own) = powers.get(arn.as_str()) {
            merge_powers(p, own);
        } else if arn.starts_with("arn:aws:iam::aws:policy/")
            && PRIVILEGED_MANAGED
                .iter()
                .any(|m| arn.rsplit('/').next() == Some(*m))
        {
            p.privileged = true;
            if arn.ends_with("/AdministratorAccess") {
                p.assume.push(Some("*".to_owned()));
            }
        }
    }

    // One role per resource (template-condition variants are one role).
    let mut roles: Vec<Role> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for d in &x.docs {
        let raw = d.kind.is_none() && d.resource.is_none();
        if d.kind != Some(DocKind::Trust) && !raw {
            continue;
        }
        let policy = Policy::parse(&d.node);
        if raw && extract::raw::infer_kind(&policy) != DocKind::Trust {
            continue;
        }
        let name = d.name.clone().unwrap_or_else(|| file_stem(&source.path));
        let key = d.resource.clone().unwrap_or_else(|| name.clone());
        let this = d.this_account.as_deref();
        let grants = grants(&policy, this, settings, (&findings, &active), !raw);
        let at = match index.get(&key) {
            Some(&i) => i,
            None => {
                let span = d.node.span;
                let account = if raw {
                    None
                } else {
                    Some(this.map_or_else(|| "this".to_owned(), str::to_owned))
                };
                let arn = d
                    .resource
                    .as_deref()
                    .filter(|r| r.starts_with("arn:") && r.contains(":role/"))
                    .map(str::to_owned);
                let mut p = powers.get(key.as_str()).cloned().unwrap_or_default();
                if let Some(a) = attached.get(key.as_str()) {
                    merge_powers(&mut p, a);
                }
                roles.push(Role {
                    role: name,
                    path: source.path.clone(),
                    span: span_out(source, span),
                    account,
                    max_session_seconds: if raw {
                        None
                    } else {
                        max_session(x, d.resource.as_deref())
                    },
                    exposure: Exposure::None,
                    grants: Vec::new(),
                    reachable_from: Vec::new(),
                    resource: d.resource.clone(),
                    arn,
                    powers: p,
                    export,
                    role_findings: role_findings(&active, d.resource.as_deref()),
                    unknown_links: 0,
                    only_chained: false,
                    notes: Vec::new(),
                });
                index.insert(key, roles.len() - 1);
                roles.len() - 1
            }
        };
        if let Some(r) = roles.get_mut(at) {
            for g in grants {
                if !r.grants.contains(&g) {
                    r.grants.push(g);
                }
            }
        }
    }
    for r in &mut roles {
        r.exposure = r
            .grants
            .iter()
            .map(|g| g.exposure)
            .min()
            .unwrap_or(Exposure::None);
        r.grants.sort_by(|a, b| {
            (a.exposure, &a.principal, &a.text).cmp(&(b.exposure, &b.principal, &b.text))
        });
    }
    roles
}

fn file_stem(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.split('.').next().unwrap_or(name).to_owned()
}

pub fn span_out(source: &SourceFile, span: Span) -> SpanOut {
    let s = source.clamp(span.start as usize);
    let e = source.clamp(span.end as usize).max(s);
    SpanOut {
        start: source.position(s),
        end: source.position(e),
    }
}

/// Findings on the role's settings, which no grant holds.
fn role_findings(findings: &[&Diagnostic], resource: Option<&str>) -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = findings
        .iter()
        .filter(|d| {
            resource.is_some()
                && d.resource.as_deref() == resource
                && matches!(d.rule.id, "TL003" | "TL301" | "TL302" | "TL303")
        })
        .map(|d| d.rule.id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The role's MaxSessionDuration: 3600 when unset, `None` when unknown.
/// Template-condition variants: the longest.
fn max_session(x: &Extracted, resource: Option<&str>) -> Option<u64> {
    let mut found = None;
    for s in &x.settings {
        if s.kind != SettingKind::MaxSessionDuration || s.resource.as_deref() != resource {
            continue;
        }
        match extract::duration_value(&s.node) {
            extract::Duration::Seconds(v) if v.is_finite() && v >= 0.0 && v.fract() == 0.0 => {
                // Whole seconds well inside u64.
                let v = v.min(1e15) as u64;
                found = Some(found.map_or(v, |f: u64| f.max(v)));
            }
            _ => return None,
        }
    }
    Some(found.unwrap_or(3600))
}

fn merge_powers(into: &mut Powers, from: &Powers) {
    into.assume.extend(from.assume.iter().cloned());
    into.deny.extend(from.deny.iter().cloned());
    into.privileged |= from.privileged;
}

/// What an identity policy lets its holder do: `sts:AssumeRole` targets
/// and whether it is an administrator's.
pub fn add_powers(p: &mut Powers, policy: &Policy<'_>) {
    for s in &policy.statements {
        if s.principal.is_some() || s.not_principal.is_some() || s.never_applies() {
            continue;
        }
        let resources: Vec<Option<String>> = match (s.resource, s.not_resource) {
            (Some(r), None) => r
                .value
                .one_or_many()
                .iter()
                .map(|n| match &n.kind {
                    Kind::Str(v) if !has_unknown(v) => Some(v.clone()),
                    _ => None,
                })
                .collect(),
            _ => vec![None],
        };
        match s.effect {
            Effect::Allow => {
                let actions: Vec<&str> = s
                    .action
                    .iter()
                    .flat_map(|a| a.items.iter().filter_map(|(_, lc)| lc.as_deref()))
                    .collect();
                let all_resources = resources.iter().any(|r| r.as_deref() == Some("*"));
                if actions.contains(&"iam:*") || actions.contains(&"*") && all_resources {
                    p.privileged = true;
                }
                if s.covers_action("sts:assumerole") {
                    p.assume.extend(resources);
                }
            }
            Effect::Deny if s.conditions.is_empty() && s.covers_action("sts:assumerole") => {
                p.deny.extend(resources.into_iter().flatten());
            }
            _ => {}
        }
    }
}

/// The grants of a trust policy.
fn grants(
    policy: &Policy<'_>,
    this: Option<&str>,
    settings: &Settings,
    (findings, active): (&[&Diagnostic], &[&Diagnostic]),
    role_resource: bool,
) -> Vec<Grant> {
    let mut out = Vec::new();
    for s in &policy.statements {
        if !analysis::is_trust_statement(DocKind::Trust, s) {
            continue;
        }
        let actions = actions_of(s);
        let others: Vec<Span> = s.principals().map(|p| p.node.span).collect();
        for p in s.principals() {
            let ids = grant_findings(s, p, &others, active);
            let public = grant_findings(s, p, &others, findings)
                .iter()
                .any(|f| matches!(*f, "TL101" | "TL401" | "TL402"));
            out.push(grant(
                policy,
                s,
                p,
                this,
                settings,
                actions.clone(),
                (ids, public),
                role_resource,
                findings,
            ));
        }
    }
    out
}

fn actions_of(s: &Statement<'_>) -> Vec<String> {
    let mut v: Vec<String> = s
        .action
        .iter()
        .chain(&s.not_action)
        .flat_map(|a| a.items.iter())
        .map(|(n, _)| match &n.kind {
            Kind::Str(t) => display(t),
            _ => "${…}".to_owned(),
        })
        .collect();
    if s.not_action.is_some() {
        v = v.into_iter().map(|a| format!("NotAction {a}")).collect();
    }
    v
}

/// The findings of `check` inside the statement, but not at another
/// principal's value.
fn grant_findings(
    s: &Statement<'_>,
    p: &Principal<'_>,
    principals: &[Span],
    findings: &[&Diagnostic],
) -> Vec<&'static str> {
    let st = s.node.span;
    let inside = |a: Span, b: Span| b.start <= a.start && a.end <= b.end;
    let mut ids: Vec<&'static str> = findings
        .iter()
        .filter(|d| {
            let at = d.primary.span;
            inside(at, st)
                && !principals
                    .iter()
                    .any(|o| *o != p.node.span && inside(at, *o) && !inside(at, p.node.span))
        })
        .map(|d| d.rule.id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn account_text(a: &Account) -> Option<String> {
    match a {
        Account::This => Some("this".to_owned()),
        Account::Literal(x) => Some(x.clone()),
        Account::Unknown => None,
    }
}

/// "account 444455556666" / "this account" / "an unresolved account".
fn account_words(a: &Account, this: Option<&str>) -> String {
    match a {
        Account::This => "this account".to_owned(),
        Account::Literal(x) if Some(x.as_str()) == this => format!("this account ({x})"),
        Account::Literal(x) => format!("account {x}"),
        Account::Unknown => "an unresolved account".to_owned(),
    }
}

fn relation_exposure(r: Relation) -> (Option<bool>, Exposure) {
    match r {
        Relation::Same | Relation::Trusted => (Some(false), Exposure::SameAccount),
        Relation::External => (Some(true), Exposure::External),
        Relation::Unknown => (None, Exposure::Unknown),
    }
}

#[allow(clippy::too_many_arguments)]
fn grant(
    policy: &Policy<'_>,
    s: &Statement<'_>,
    p: &Principal<'_>,
    this: Option<&str>,
    settings: &Settings,
    actions: Vec<String>,
    (findings, public_finding): (Vec<&'static str>, bool),
    role_resource: bool,
    all_findings: &[&Diagnostic],
) -> Grant {
    let mfa = analysis::mfa(policy, s) == Mfa::Effective;
    let external_id = analysis::external_id(s).is_some();
    let pin = analysis::identity_pin(policy, s, PIN_KEYS);
    let pinned = pin.is_some();
    let principal = p.value.map(display).unwrap_or_else(|| "${…}".to_owned());

    // In a raw policy file the role's account is unknown: every literal
    // account is external unless trusted (SPEC §1).
    let this_for = if role_resource { this } else { None };
    let rel = |a: &Account| analysis::relation(a, this_for, settings);
    let mut g = Grant {
        principal,
        class: "unknown",
        account: None,
        external: None,
        provider: None,
        service: None,
        actions,
        mfa,
        external_id,
        pinned,
        subjects: Vec::new(),
        conditions: conditions(policy, s, all_findings),
        text: String::new(),
        findings,
        exposure: Exposure::Unknown,
        link: None,
    };
    let qualifiers = qualifiers(policy, s, mfa, external_id);
    match &p.class {
        Class::Public => {
            g.class = "public";
            match pin {
                Some(c) if !public_finding => {
                    let (external, exposure) = pin_exposure(c, this_for, settings);
                    g.external = external;
                    g.exposure = exposure;
                    g.text = format!(
                        "any AWS principal {} that its own policies allow",
                        pin_words(c)
                    );
                }
                _ => {
                    g.external = Some(true);
                    g.exposure = Exposure::Public;
                    g.text = "anyone: any principal in any AWS account".to_owned();
                }
            }
        }
        Class::Account(a) => {
            g.class = "account";
            g.account = account_text(a);
            (g.external, g.exposure) = relation_exposure(rel(a));
            let narrowed = analysis::identity_pin(policy, s, &["aws:principalarn"]);
            g.text = match narrowed {
                Some(c) => format!("only {} in {}", values_words(c), account_words(a, this_for)),
                None => format!(
                    "any IAM user or role in {} that its own policies allow",
                    account_words(a, this_for)
                ),
            };
            g.link = link_account(a, this_for).map(|acct| (acct, None));
        }
        Class::Role(a, name) | Class::User(a, name) => {
            let role = matches!(p.class, Class::Role(..));
            g.class = if role { "role" } else { "user" };
            g.account = account_text(a);
            (g.external, g.exposure) = relation_exposure(rel(a));
            let name = display(name);
            g.text = if role {
                format!("role {name} in {}", account_words(a, this_for))
            } else {
                format!("IAM user {name} in {}", account_words(a, this_for))
            };
            if role && !has_unknown(&name) && !name.contains('$') {
                g.link = link_account(a, this_for).map(|acct| (acct, Some(name)));
            }
        }
        Class::Session(a, name) | Class::FederatedUser(a, name) => {
            g.class = "session";
            g.account = account_text(a);
            (g.external, g.exposure) = relation_exposure(rel(a));
            let name = display(name);
            // A role session is its role's: chains go through the role.
            if let (Class::Session(..), Some((role, _))) = (&p.class, name.split_once('/')) {
                if !has_unknown(role) && !role.contains('$') {
                    g.link = link_account(a, this_for).map(|acct| (acct, Some(role.to_owned())));
                }
            }
            g.text = if matches!(p.class, Class::Session(..)) {
                let (role, session) = name.split_once('/').unwrap_or((&name, "?"));
                format!(
                    "the session {session} of role {role} in {}",
                    account_words(a, this_for)
                )
            } else {
                format!("federated user {name} in {}", account_words(a, this_for))
            };
        }
        Class::UniqueId(id) => {
            g.class = "unique-id";
            g.exposure = Exposure::Unknown;
            g.text = if id.starts_with("AIDA") {
                format!("a deleted IAM user (unique ID {id}); nobody can use it")
            } else {
                format!("a deleted role (unique ID {id}); nobody can use it")
            };
        }
        Class::Service(name) => {
            g.class = "service";
            g.service = Some(name.clone());
            g.external = Some(false);
            g.exposure = Exposure::Service;
            g.text = service_words(name, s);
        }
        Class::Oidc(..) | Class::BuiltinIdp(_) => {
            web_identity(&mut g, s, p, public_finding, this_for, settings)
        }
        Class::Saml(a, name) => {
            g.class = "saml";
            g.provider = Some("saml");
            g.account = account_text(a);
            g.external = relation_exposure(rel(a)).0;
            g.exposure = if public_finding {
                Exposure::Public
            } else {
                Exposure::Federated
            };
            let aud = claim_values(s, "saml", &["aud"]);
            g.text = format!(
                "users of SAML provider {} in {}",
                display(name),
                account_words(a, this_for)
            );
            if !aud.is_empty() {
                g.text
                    .push_str(&format!(" signing in at {}", aud.join(" or ")));
            }
        }
        Class::Unknown if p.ptype == PrincipalType::Federated => {
            if analysis::web_identity_provider(s, p).is_some() {
                web_identity(&mut g, s, p, public_finding, this_for, settings);
            } else if analysis::sole_assume_action(s) == Some("sts:assumerolewithsaml") {
                g.class = "saml";
                g.provider = Some("saml");
                g.exposure = Exposure::Federated;
                g.text = "users of an unresolved SAML provider".to_owned();
            } else {
                g.text = "an unresolved identity provider (a template value)".to_owned();
            }
        }
        Class::Unknown => {
            g.text = "an unresolved principal (a template value)".to_owned();
        }
        Class::CanonicalUser | Class::CloudFront | Class::Invalid(_) => {
            g.exposure = Exposure::None;
            let why = match &p.class {
                Class::Invalid(why) => *why,
                _ => "a principal that cannot assume a role",
            };
            g.text = format!("nobody: {why} (IAM rejects the policy)");
        }
    }
    if g.exposure != Exposure::Public && !g.text.starts_with("nobody") {
        g.text.push_str(&qualifiers);
    }
    g
}

fn link_account(a: &Account, this: Option<&str>) -> Option<String> {
    match a {
        Account::This => this.map(str::to_owned).or(Some("this".to_owned())),
        Account::Literal(x) => Some(x.clone()),
        Account::Unknown => None,
    }
}

/// ", with MFA", ", with an ExternalId", ", only from o-…".
fn qualifiers(policy: &Policy<'_>, s: &Statement<'_>, mfa: bool, external_id: bool) -> String {
    let mut q = String::new();
    if mfa {
        q.push_str(", with MFA");
    }
    if external_id {
        q.push_str(", with an ExternalId");
    }
    if analysis::mfa(policy, s) == Mfa::Ineffective {
        q.push_str(" (its MFA condition does not require MFA)");
    }
    q
}

/// Public with a pin: the pin's accounts say how far it reaches.
fn pin_exposure(
    c: &Condition<'_>,
    this: Option<&str>,
    settings: &Settings,
) -> (Option<bool>, Exposure) {
    let accounts: Vec<Option<Account>> = c
        .texts()
        .iter()
        .map(|t| {
            let t = t.as_deref()?;
            let acct = if t.starts_with("arn:") {
                t.split(':').nth(4).unwrap_or("")
            } else {
                t
            };
            if acct == THIS_ACCOUNT {
                Some(Account::This)
            } else if crate::policy::principal::is_account_id(acct) {
                Some(Account::Literal(acct.to_owned()))
            } else {
                None
            }
        })
        .collect();
    let same = !accounts.is_empty()
        && accounts.iter().all(|a| {
            a.as_ref().is_some_and(|a| {
                matches!(
                    analysis::relation(a, this, settings),
                    Relation::Same | Relation::Trusted
                )
            })
        });
    if same {
        (Some(false), Exposure::SameAccount)
    } else {
        (Some(true), Exposure::External)
    }
}

fn values_words(c: &Condition<'_>) -> String {
    let v: Vec<String> = c
        .texts()
        .into_iter()
        .map(|t| t.map_or_else(|| "${…}".to_owned(), |t| display(&t)))
        .collect();
    v.join(" or ")
}

fn pin_words(c: &Condition<'_>) -> String {
    let v = values_words(c);
    match c.key_lc.as_str() {
        "aws:principalorgid" => format!("in organization {v}"),
        "aws:principalorgpaths" => format!("under organization path {v}"),
        "aws:principalaccount" => format!("in account {v}"),
        "aws:principalarn" => format!("matching {v}"),
        "aws:sourceaccount" => format!("acting for account {v}"),
        "aws:sourcearn" => format!("acting for {v}"),
        "aws:sourceorgid" => format!("acting for organization {v}"),
        _ => format!("acting for organization path {v}"),
    }
}

/// Readable names of common service principals.
fn service_name(p: &str) -> String {
    let head = p.strip_suffix(".amazonaws.com").unwrap_or(p);
    let known = [
        ("ec2", "EC2"),
        ("lambda", "Lambda"),
        ("edgelambda", "Lambda@Edge"),
        ("ecs-tasks", "ECS tasks"),
        ("ecs", "ECS"),
        ("eks", "EKS"),
        ("pods.eks", "EKS Pod Identity"),
        ("states", "Step Functions"),
        ("ssm", "Systems Manager"),
        ("codebuild", "CodeBuild"),
        ("codepipeline", "CodePipeline"),
        ("cloudformation", "CloudFormation"),
        ("events", "EventBridge"),
        ("scheduler", "EventBridge Scheduler"),
        ("glue", "Glue"),
        ("sagemaker", "SageMaker"),
        ("firehose", "Firehose"),
        ("apigateway", "API Gateway"),
        ("config", "AWS Config"),
        ("backup", "AWS Backup"),
        ("rolesanywhere", "IAM Roles Anywhere"),
        ("elasticmapreduce", "EMR"),
        ("rds", "RDS"),
        ("monitoring.rds", "RDS enhanced monitoring"),
        ("batch", "Batch"),
        ("vpc-flow-logs", "VPC Flow Logs"),
        ("cloudtrail", "CloudTrail"),
        ("codedeploy", "CodeDeploy"),
        ("transfer", "Transfer Family"),
    ];
    match known.iter().find(|(k, _)| *k == head) {
        Some((_, n)) => format!("the {n} service"),
        None => format!("the service {p}"),
    }
}

fn service_words(name: &str, s: &Statement<'_>) -> String {
    let mut t = service_name(name);
    for key in [
        "aws:sourceaccount",
        "aws:sourcearn",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
    ] {
        if let Some(c) = s.conditions_on(key).find(|c| c.counts()) {
            let v = values_words(c);
            t.push_str(&match key {
                "aws:sourceaccount" => format!(", only for resources of account {v}"),
                "aws:sourcearn" => format!(", only for {v}"),
                "aws:sourceorgid" => format!(", only for resources of organization {v}"),
                _ => format!(", only for resources under {v}"),
            });
        }
    }
    t
}

/// The counting, positive values of `PREFIX:claim` conditions.
fn claim_values(s: &Statement<'_>, prefix: &str, claims: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = analysis::claim_conditions(s, prefix, claims)
        .into_iter()
        .filter(|c| c.counts() && c.op.is_positive_match())
        .flat_map(|c| c.texts())
        .map(|t| t.map_or_else(|| "${…}".to_owned(), |t| display(&t)))
        .collect();
    v.dedup();
    v
}

fn provider_id(k: ProviderKind) -> &'static str {
    match k {
        ProviderKind::GitHub => "github-actions",
        ProviderKind::GitLab => "gitlab",
        ProviderKind::TerraformCloud => "terraform-cloud",
        ProviderKind::CircleCi => "circleci",
        ProviderKind::Bitbucket => "bitbucket",
        ProviderKind::Buildkite => "buildkite",
        ProviderKind::Eks => "eks",
        ProviderKind::Cognito => "cognito",
        ProviderKind::Google => "google",
        ProviderKind::Facebook => "facebook",
        ProviderKind::Amazon => "amazon",
        ProviderKind::Oidc => "other-oidc",
    }
}

fn web_identity(
    g: &mut Grant,
    s: &Statement<'_>,
    p: &Principal<'_>,
    public: bool,
    this: Option<&str>,
    settings: &Settings,
) {
    g.class = "oidc";
    g.exposure = if public {
        Exposure::Public
    } else {
        Exposure::Federated
    };
    if let Some(a) = p.class.account() {
        g.account = account_text(a);
        g.external = relation_exposure(analysis::relation(a, this, settings)).0;
    } else {
        g.external = Some(false);
    }
    let Some(prov) = analysis::web_identity_provider(s, p) else {
        g.text = "an unresolved identity provider".to_owned();
        return;
    };
    g.provider = Some(provider_id(prov.kind));
    let subjects = claim_values(s, &prov.prefix, &["sub"]);
    g.subjects.clone_from(&subjects);
    let ident = claim_values(s, &prov.prefix, prov.kind.identifying_claims());
    g.text = if public {
        format!(
            "{} ({})",
            prov.kind.exposed(),
            match ident.is_empty() {
                true => format!("no condition on {}", prov.kind.identifying_claims()[0]),
                false => format!(
                    "{} matches {}",
                    prov.kind.identifying_claims()[0],
                    ident.join(" or ")
                ),
            }
        )
    } else {
        match prov.kind {
            ProviderKind::GitHub => join_or(subjects.iter().map(|s| github_words(s))),
            ProviderKind::GitLab => join_or(subjects.iter().map(|s| gitlab_words(s))),
            ProviderKind::Eks => join_or(subjects.iter().map(|s| eks_words(s, &prov.prefix))),
            ProviderKind::Cognito => {
                let amr = claim_values(s, &prov.prefix, &["amr"]);
                let mut t = format!("identities of Cognito identity pool {}", ident.join(" or "));
                if !amr.is_empty() {
                    t.push_str(&format!(" ({})", amr.join(" or ")));
                }
                t
            }
            k => {
                let claim = k.identifying_claims()[0];
                format!(
                    "{} tokens whose {claim} is {}",
                    issuer_words(k, &prov.prefix),
                    ident.join(" or ")
                )
            }
        }
    };
    if g.text.is_empty() {
        g.text = format!("{} tokens", issuer_words(prov.kind, &prov.prefix));
    }
    // `StringEquals` on a wildcard value never matches a real token: the
    // trust is broken rather than open (TL203 says so).
    let literal_wildcards =
        analysis::claim_conditions(s, &prov.prefix, prov.kind.identifying_claims())
            .iter()
            .filter(|c| c.counts() && c.op.is_positive_match())
            .any(|c| {
                c.op.is_string_equality()
                    && c.texts()
                        .iter()
                        .all(|t| t.as_deref().is_some_and(|t| t.contains(['*', '?'])))
            });
    if !public && literal_wildcards {
        g.text
            .push_str(" — but `StringEquals` matches `*` literally, so no token matches");
    }
}

fn issuer_words(k: ProviderKind, prefix: &str) -> String {
    match k {
        ProviderKind::Oidc => format!("OIDC issuer {}", display(prefix)),
        k => k.display().to_owned(),
    }
}

fn join_or(it: impl Iterator<Item = String>) -> String {
    it.collect::<Vec<_>>().join("; or ")
}

/// `repo:acme/payments:ref:refs/heads/main` → "GitHub Actions in
/// repository acme/payments on branch main".
pub fn github_words(sub: &str) -> String {
    let Some(rest) = sub.strip_prefix("repo:") else {
        return format!("GitHub Actions with subject {sub}");
    };
    let (repo, tail) = rest.split_once(':').unwrap_or((rest, ""));
    let head = match repo.split_once('/') {
        Some((owner, "*")) => format!("GitHub Actions in any repository of {owner}"),
        Some(_) if repo.starts_with('*') => {
            format!("GitHub Actions in any repository named {repo}")
        }
        _ => format!("GitHub Actions in repository {repo}"),
    };
    let where_ = if let Some(b) = tail.strip_prefix("ref:refs/heads/") {
        format!(" on branch {b}")
    } else if let Some(t) = tail.strip_prefix("ref:refs/tags/") {
        format!(" on tag {t}")
    } else if let Some(e) = tail.strip_prefix("environment:") {
        format!(" in environment {e}")
    } else if tail == "pull_request" {
        " for pull requests".to_owned()
    } else if tail == "*" {
        " (any branch, tag, environment or pull request)".to_owned()
    } else if tail.is_empty() {
        String::new()
    } else {
        format!(" ({tail})")
    };
    format!("{head}{where_}")
}

/// `project_path:group/app:ref_type:branch:ref:main`.
pub fn gitlab_words(sub: &str) -> String {
    let Some(rest) = sub.strip_prefix("project_path:") else {
        return format!("GitLab CI with subject {sub}");
    };
    let (project, tail) = rest.split_once(':').unwrap_or((rest, ""));
    let mut t = format!("GitLab CI in project {project}");
    let parts: Vec<&str> = tail.split(':').collect();
    if let ["ref_type", kind, "ref", r] = parts.as_slice() {
        t.push_str(&format!(" on {kind} {r}"));
    } else if !tail.is_empty() {
        t.push_str(&format!(" ({tail})"));
    }
    t
}

/// `system:serviceaccount:NS:SA`.
pub fn eks_words(sub: &str, prefix: &str) -> String {
    let cluster = prefix.rsplit('/').next().unwrap_or(prefix);
    match sub
        .strip_prefix("system:serviceaccount:")
        .and_then(|r| r.split_once(':'))
    {
        Some((ns, "*")) => {
            format!("any EKS service account in namespace {ns} of cluster {cluster}")
        }
        Some((ns, sa)) => {
            format!("EKS service account {sa} in namespace {ns} of cluster {cluster}")
        }
        None => format!("EKS tokens with subject {sub} (cluster {cluster})"),
    }
}

/// Every condition entry of the statement, and whether it restricts.
/// A condition entry that `check` reports (TL202–TL204, TL402) does not
/// restrict as written: the finding says why.
fn conditions(
    policy: &Policy<'_>,
    s: &Statement<'_>,
    findings: &[&Diagnostic],
) -> Vec<ConditionView> {
    let ext = analysis::external_id(s).map(|c| c.key_span);
    s.conditions
        .iter()
        .map(|c| {
            let span = c.span();
            let why = condition_why(policy, s, c, ext).or_else(|| {
                findings
                    .iter()
                    .find(|d| {
                        matches!(d.rule.id, "TL202" | "TL203" | "TL204" | "TL402")
                            && span.start <= d.primary.span.start
                            && d.primary.span.end <= span.end
                    })
                    .map(|d| format!("{} ({})", d.message, d.rule.id))
            });
            ConditionView {
                operator: c.op_raw.to_owned(),
                key: c.key.to_owned(),
                values: c.values.iter().map(|v| node_text(v)).collect(),
                effective: why.is_none(),
                why,
            }
        })
        .collect()
}

fn node_text(n: &Node) -> String {
    match n.scalar_text() {
        Some(t) => display(&t),
        None => "${…}".to_owned(),
    }
}

/// Why a condition entry does not restrict the grant (SPEC §2), if it
/// does not.
fn condition_why(
    policy: &Policy<'_>,
    s: &Statement<'_>,
    c: &Condition<'_>,
    counting_external_id: Option<Span>,
) -> Option<String> {
    if analysis::is_mfa_key(&c.key_lc) {
        return analysis::mfa_problem(policy, s, c).map(str::to_owned);
    }
    if c.op.base.is_none() {
        return Some(format!("IAM does not know the operator `{}`", c.op_raw));
    }
    if c.op.is_negated() {
        return Some(
            "a negated operator in an Allow admits every value but the ones listed".to_owned(),
        );
    }
    if c.op.set == Some(SetOp::ForAllValues) {
        return Some("`ForAllValues:` is true when the key is absent".to_owned());
    }
    if c.op.if_exists && !ALWAYS_PRESENT_KEYS.contains(&c.key_lc.as_str()) {
        return Some("`…IfExists` is true when the key is absent".to_owned());
    }
    if c.key_lc == "sts:externalid" && counting_external_id != Some(c.key_span) {
        return Some(
            "an ExternalId counts only with StringEquals/StringLike and a value of 2–1,224 characters without wildcards"
                .to_owned(),
        );
    }
    if PIN_KEYS.contains(&c.key_lc.as_str())
        && !c
            .texts()
            .iter()
            .all(|t| analysis::pin_value_specific(&c.key_lc, t.as_deref()))
    {
        return Some(
            "the value does not name a specific organization, account or principal".to_owned(),
        );
    }
    if matches!(
        c.op.base,
        Some(Base::StringEquals | Base::StringEqualsIgnoreCase)
    ) && c
        .texts()
        .iter()
        .any(|t| t.as_deref().is_some_and(|t| t.contains(['*', '?'])))
    {
        return Some("`StringEquals` matches `*` literally, not as a wildcard".to_owned());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_in_words() {
        assert_eq!(
            github_words("repo:acme/payments:ref:refs/heads/main"),
            "GitHub Actions in repository acme/payments on branch main"
        );
        assert_eq!(
            github_words("repo:acme/payments:environment:prod"),
            "GitHub Actions in repository acme/payments in environment prod"
        );
        assert_eq!(
            github_words("repo:acme/payments:ref:refs/tags/v1"),
            "GitHub Actions in repository acme/payments on tag v1"
        );
        assert_eq!(
            github_words("repo:acme/payments:pull_request"),
            "GitHub Actions in repository acme/payments for pull requests"
        );
        assert_eq!(
            github_words("repo:acme/*"),
            "GitHub Actions in any repository of acme"
        );
        assert_eq!(
            github_words("repository_owner:acme"),
            "GitHub Actions with subject repository_owner:acme"
        );
        assert_eq!(
            gitlab_words("project_path:g/app:ref_type:tag:ref:v1"),
            "GitLab CI in project g/app on tag v1"
        );
        assert_eq!(
            eks_words(
                "system:serviceaccount:ns:*",
                "oidc.eks.eu-west-1.amazonaws.com/id/ABC"
            ),
            "any EKS service account in namespace ns of cluster ABC"
        );
    }

    #[test]
    fn exposure_order_is_widest_first() {
        let mut v = Exposure::ALL.to_vec();
        v.reverse();
        v.sort();
        assert_eq!(v, Exposure::ALL.to_vec());
        assert_eq!(Exposure::SameAccount.as_str(), "same-account");
        assert_eq!(
            serde_json::to_string(&Exposure::SameAccount).unwrap_or_default(),
            "\"same-account\""
        );
    }
}
