//! Trust analysis: what a trust statement grants and which of its
//! conditions actually constrain the caller (SPEC §2).
//!
//! Rules ask these questions instead of searching condition blocks
//! themselves, so "what counts" is decided in one place:
//! conditions count only in the statement that grants, never under
//! `…IfExists` (but on a key present in every request, where it changes
//! nothing), a negated operator or `ForAllValues:`; a `Deny` statement
//! for the same actions and principals that negates a pin pins the grant.

use crate::policy::condition::{Base, SetOp, PIN_KEYS};
use crate::policy::principal::{split_arn, Account, Class};
use crate::policy::{Condition, DocKind, Effect, Policy, Principal, Statement, ASSUME_ACTIONS};
use crate::settings::Settings;
use crate::tree::{has_unknown, THIS_ACCOUNT};

/// How a principal's account relates to the role's account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    Same,
    Trusted,
    External,
    Unknown,
}

pub fn relation(account: &Account, this_account: Option<&str>, settings: &Settings) -> Relation {
    match account {
        Account::This => Relation::Same,
        Account::Unknown => Relation::Unknown,
        Account::Literal(a) => {
            if this_account == Some(a.as_str()) {
                Relation::Same
            } else if settings.trusted_accounts.iter().any(|t| t == a) {
                Relation::Trusted
            } else {
                Relation::External
            }
        }
    }
}

/// Is this a trust statement: an `Allow` in a trust policy that grants an
/// assume-role action? A statement with a positive condition on a key
/// that is never present grants nobody (SPEC §2): it is not one, and the
/// rules about who gets in leave it to TL204.
pub fn is_trust_statement(kind: DocKind, s: &Statement<'_>) -> bool {
    kind == DocKind::Trust && s.effect == Effect::Allow && s.grants_assume() && !s.never_applies()
}

/// Does the value name a specific organisation, account or principal?
/// An unresolved value is not a guess against the author: it counts.
pub fn pin_value_specific(key_lc: &str, value: Option<&str>) -> bool {
    let Some(v) = value else { return true };
    if has_unknown(v) {
        return true;
    }
    let wild = |s: &str| s.contains(['*', '?']);
    match key_lc {
        // A policy variable (`${aws:PrincipalAccount}`) matches every caller.
        "aws:principalorgid" | "aws:sourceorgid" | "aws:principalaccount" | "aws:sourceaccount" => {
            !v.is_empty() && !wild(v) && !v.contains("${")
        }
        "aws:principalorgpaths" | "aws:sourceorgpaths" => {
            let org = v.split('/').next().unwrap_or("");
            !org.is_empty() && !wild(org) && !org.contains("${")
        }
        "aws:principalarn" | "aws:sourcearn" => match split_arn(v) {
            Some(arn) => {
                if arn.account.is_empty() {
                    let head = arn.resource.split('/').next().unwrap_or("");
                    !head.is_empty() && !wild(head) && !wild(arn.service)
                } else {
                    arn.account == THIS_ACCOUNT || !wild(arn.account) && !arn.account.contains("${")
                }
            }
            None => !v.is_empty() && !wild(v),
        },
        _ => false,
    }
}

fn all_specific(c: &Condition<'_>) -> bool {
    !c.values.is_empty()
        && c.texts()
            .iter()
            .all(|t| pin_value_specific(&c.key_lc, t.as_deref()))
}

/// A condition in the granting statement that pins the caller's identity.
pub fn positive_pin<'s, 'a>(s: &'s Statement<'a>, keys: &[&str]) -> Option<&'s Condition<'a>> {
    s.conditions.iter().find(|c| {
        keys.contains(&c.key_lc.as_str())
            && c.counts()
            && c.op.is_positive_match()
            && all_specific(c)
    })
}

/// A `Deny` statement for the same actions and principals whose condition
/// negates a pin (`StringNotEquals aws:PrincipalOrgID o-…`).
pub fn deny_pin<'p, 'a>(
    policy: &'p Policy<'a>,
    allow: &Statement<'a>,
    keys: &[&str],
) -> Option<&'p Condition<'a>> {
    policy
        .denies()
        .filter(|d| deny_covers(d, allow))
        .flat_map(|d| d.conditions.iter())
        .find(|c| {
            keys.contains(&c.key_lc.as_str())
                && c.op.is_negated_match()
                && c.op.set != Some(SetOp::ForAllValues)
                && all_specific(c)
        })
}

/// Does a Deny statement apply to every request the Allow grants? Not
/// when one of its conditions can never be true.
fn deny_covers(deny: &Statement<'_>, allow: &Statement<'_>) -> bool {
    if deny.never_applies() {
        return false;
    }
    let actions_ok = ASSUME_ACTIONS
        .iter()
        .filter(|a| allow.covers_action(a))
        .all(|a| deny.covers_action(a));
    if !actions_ok {
        return false;
    }
    // The deny's principals must include everything the allow trusts.
    let deny_public = deny.principals().any(|p| p.class == Class::Public)
        || deny.principal.is_none() && deny.not_principal.is_none();
    if deny_public {
        return true;
    }
    allow.principals().all(|ap| {
        deny.principals()
            .any(|dp| dp.value.is_some() && dp.value == ap.value)
    })
}

/// A pin on the caller (positive in the grant, or a negated pin in a Deny).
pub fn identity_pin<'p, 'a>(
    policy: &'p Policy<'a>,
    s: &'p Statement<'a>,
    keys: &[&str],
) -> Option<&'p Condition<'a>> {
    positive_pin(s, keys).or_else(|| deny_pin(policy, s, keys))
}

pub fn pinned(policy: &Policy<'_>, s: &Statement<'_>) -> bool {
    identity_pin(policy, s, PIN_KEYS).is_some()
}

/// MFA state of a grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mfa {
    /// No condition on MFA at all.
    Missing,
    /// Conditions on MFA exist but none requires it (TL202 reports them).
    Ineffective,
    Effective,
}

pub fn is_mfa_key(k: &str) -> bool {
    k == "aws:multifactorauthpresent" || k == "aws:multifactorauthage"
}

fn bool_values(c: &Condition<'_>) -> Vec<Option<bool>> {
    c.texts()
        .into_iter()
        .map(
            |t| match t.as_deref().map(str::to_ascii_lowercase).as_deref() {
                Some("true") => Some(true),
                Some("false") => Some(false),
                _ => None,
            },
        )
        .collect()
}

/// Why an MFA condition entry does not require MFA (TL202), if it does not.
pub fn mfa_condition_problem(effect: Effect, c: &Condition<'_>) -> Option<&'static str> {
    if !is_mfa_key(&c.key_lc) || c.op.base.is_none() {
        return None;
    }
    let vals = bool_values(c);
    let any_true = vals.contains(&Some(true));
    let any_false = vals.contains(&Some(false));
    if c.op.base == Some(Base::Null) {
        // `Null` true = the key is absent, false = present. MFA age is
        // present only when MFA was used; MFA presence is absent for
        // long-term keys and present (true or false) otherwise.
        return match (effect, c.key_lc.as_str()) {
            (Effect::Allow, "aws:multifactorauthage") if any_true => {
                Some("`Null` \"true\" on the MFA age in an Allow admits only callers *without* MFA")
            }
            (Effect::Allow, "aws:multifactorauthpresent") => Some(
                "`Null` on aws:MultiFactorAuthPresent tests only whether the key exists, not whether MFA was used",
            ),
            (Effect::Deny, "aws:multifactorauthage") if any_false => {
                Some("`Null` \"false\" on the MFA age in a Deny denies the callers that *did* use MFA")
            }
            (Effect::Deny, "aws:multifactorauthpresent") if any_true => Some(
                "`Null` \"true\" in a Deny denies only long-term keys; temporary credentials without MFA pass (use BoolIfExists \"false\")",
            ),
            _ => None,
        };
    }
    match (effect, c.key_lc.as_str(), c.op.base) {
        (Effect::Allow, "aws:multifactorauthpresent", Some(Base::Bool)) => {
            if c.op.if_exists && any_true {
                Some("`BoolIfExists` is also true when the key is absent, as it is for long-term access keys, so callers without MFA pass")
            } else if any_false {
                Some("`Bool` \"false\" in an Allow grants access to callers *without* MFA")
            } else if c.op.set == Some(SetOp::ForAllValues) {
                Some("`ForAllValues:` is true when the key is absent, so callers without MFA pass")
            } else {
                None
            }
        }
        (Effect::Deny, "aws:multifactorauthpresent", Some(Base::Bool)) => {
            if any_true {
                Some("`Bool` \"true\" in a Deny denies the callers that *did* use MFA")
            } else if any_false && !c.op.if_exists {
                // AWS: "NOT RECOMMENDED" — the key is absent for long-term
                // access keys, so `Bool` does not match and the Deny does
                // not apply (research/anchors.md §5.6).
                Some("`Bool` \"false\" in a Deny does not apply to long-term access keys, which carry no MFA key, so they pass without MFA (use `BoolIfExists`)")
            } else {
                None
            }
        }
        (Effect::Allow, "aws:multifactorauthage", Some(b)) => {
            let bounded = matches!(b, Base::NumericLessThan | Base::NumericLessThanEquals);
            if !bounded {
                Some("the MFA age has no upper bound, so any MFA session however old passes")
            } else if c.op.if_exists {
                Some("`…IfExists` is true when the key is absent, so callers without MFA pass")
            } else if c.op.set == Some(SetOp::ForAllValues) {
                Some("`ForAllValues:` is true when the key is absent, so callers without MFA pass")
            } else {
                None
            }
        }
        (Effect::Deny, "aws:multifactorauthage", Some(b)) => {
            if matches!(b, Base::NumericGreaterThan | Base::NumericGreaterThanEquals) {
                (!c.op.if_exists).then_some(
                    "the MFA age is absent for callers without MFA, so this Deny does not apply to them (use `NumericGreaterThanIfExists`)",
                )
            } else if matches!(b, Base::NumericLessThan | Base::NumericLessThanEquals) {
                Some("denying *recent* MFA sessions leaves old and missing MFA allowed")
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Why an MFA condition entry of statement `s` does not require MFA
/// (TL202), if it does not, seen with the rest of its policy. A `Deny` of
/// MFA sessions older than N (`NumericGreaterThan aws:MultiFactorAuthAge`,
/// false when the age is absent) is completed by another `Deny` for the
/// same actions and principals with `Null aws:MultiFactorAuthAge "true"`,
/// which denies the callers without MFA: AWS's force-MFA example writes
/// the two as separate statements (SPEC §2). In one statement the two
/// never hold together, and the age condition is reported.
pub fn mfa_problem(
    policy: &Policy<'_>,
    s: &Statement<'_>,
    c: &Condition<'_>,
) -> Option<&'static str> {
    let why = mfa_condition_problem(s.effect, c)?;
    let stale_session_deny = s.effect == Effect::Deny
        && c.key_lc == "aws:multifactorauthage"
        && matches!(
            c.op.base,
            Some(Base::NumericGreaterThan | Base::NumericGreaterThanEquals)
        )
        && !c.op.if_exists
        && c.op.set.is_none();
    if stale_session_deny && denies_missing_mfa_age(policy, s) {
        return None;
    }
    Some(why)
}

/// Is there another `Deny`, covering `d`, whose `Null
/// aws:MultiFactorAuthAge "true"` denies every caller without MFA (and
/// none of whose MFA conditions is reported)?
fn denies_missing_mfa_age(policy: &Policy<'_>, d: &Statement<'_>) -> bool {
    policy.denies().any(|other| {
        !std::ptr::eq(other, d)
            && deny_covers(other, d)
            && other.conditions.iter().any(|c| {
                c.key_lc == "aws:multifactorauthage"
                    && c.op.base == Some(Base::Null)
                    && c.op.set.is_none()
                    && mfa_requires(Effect::Deny, c)
            })
            && other
                .conditions
                .iter()
                .all(|c| mfa_condition_problem(Effect::Deny, c).is_none())
    })
}

fn mfa_requires(effect: Effect, c: &Condition<'_>) -> bool {
    if !is_mfa_key(&c.key_lc) || mfa_condition_problem(effect, c).is_some() {
        return false;
    }
    if c.op.base == Some(Base::Null) {
        // Allow when the MFA age exists; deny when it does not.
        let vals = bool_values(c);
        return c.key_lc == "aws:multifactorauthage"
            && match effect {
                Effect::Allow => vals.iter().all(|v| *v == Some(false)),
                Effect::Deny => vals.iter().all(|v| *v == Some(true)),
                _ => false,
            };
    }
    match (effect, c.key_lc.as_str(), c.op.base) {
        (Effect::Allow, "aws:multifactorauthpresent", Some(Base::Bool)) => {
            // `ForAnyValue:` on a single-valued key behaves like the plain
            // operator (false when absent): it still requires MFA. TL203
            // reports the needless set operator.
            !c.op.if_exists
                && bool_values(c).iter().all(|v| *v != Some(false))
                && c.op.set != Some(SetOp::ForAllValues)
        }
        // A string comparison with "true" matches only when MFA was used.
        (
            Effect::Allow,
            "aws:multifactorauthpresent",
            Some(Base::StringEquals | Base::StringEqualsIgnoreCase),
        ) => {
            !c.op.if_exists
                && c.op.set != Some(SetOp::ForAllValues)
                && !c.values.is_empty()
                && c.texts()
                    .iter()
                    .all(|t| t.as_deref().is_none_or(|v| v.eq_ignore_ascii_case("true")))
        }
        (Effect::Allow, "aws:multifactorauthage", Some(_)) => true,
        // Recommended deny pattern: BoolIfExists false (denies missing MFA too).
        (Effect::Deny, "aws:multifactorauthpresent", Some(Base::Bool)) => {
            c.op.if_exists && bool_values(c).contains(&Some(false))
        }
        // Deny an MFA session older than N, or none at all.
        (
            Effect::Deny,
            "aws:multifactorauthage",
            Some(Base::NumericGreaterThan | Base::NumericGreaterThanEquals),
        ) => c.op.if_exists,
        _ => false,
    }
}

pub fn mfa(policy: &Policy<'_>, s: &Statement<'_>) -> Mfa {
    let mut seen = s.conditions.iter().any(|c| is_mfa_key(&c.key_lc));
    if s.conditions.iter().any(|c| mfa_requires(Effect::Allow, c)) {
        return Mfa::Effective;
    }
    // A Deny requires MFA when one of its conditions does and none of its
    // MFA conditions is reported: a reported one is false for some callers
    // without MFA, and a Deny applies only when all its conditions hold.
    for d in policy.denies().filter(|d| deny_covers(d, s)) {
        let mut requires = false;
        let mut narrowed = false;
        for c in d.conditions.iter().filter(|c| is_mfa_key(&c.key_lc)) {
            seen = true;
            if mfa_problem(policy, d, c).is_some() {
                narrowed = true;
            } else if mfa_requires(Effect::Deny, c) {
                requires = true;
            }
        }
        if requires && !narrowed {
            return Mfa::Effective;
        }
    }
    if seen {
        Mfa::Ineffective
    } else {
        Mfa::Missing
    }
}

/// Is there an `sts:ExternalId` condition that counts (SPEC §2)?
pub fn external_id<'s, 'a>(s: &'s Statement<'a>) -> Option<&'s Condition<'a>> {
    s.conditions_on("sts:externalid").find(|c| {
        matches!(
            c.op.base,
            Some(Base::StringEquals | Base::StringLike | Base::StringEqualsIgnoreCase)
        ) && !c.op.if_exists
            && c.op.set != Some(SetOp::ForAllValues)
            && !c.values.is_empty()
            && c.texts().iter().all(|t| match t {
                None => true,
                Some(v) => {
                    let n = v.chars().count();
                    (2..=1224).contains(&n) && !v.contains(['*', '?'])
                }
            })
    })
}

/// The web-identity provider a statement federates with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provider {
    /// The condition-key prefix (`token.actions.githubusercontent.com`).
    pub prefix: String,
    pub kind: ProviderKind,
    /// Inferred from the condition keys because the principal is unresolved.
    pub inferred: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProviderKind {
    GitHub,
    GitLab,
    TerraformCloud,
    CircleCi,
    Bitbucket,
    Buildkite,
    Eks,
    Cognito,
    Google,
    Facebook,
    Amazon,
    /// Any other OIDC issuer.
    Oidc,
}

impl ProviderKind {
    pub fn display(self) -> &'static str {
        match self {
            ProviderKind::GitHub => "GitHub Actions",
            ProviderKind::GitLab => "GitLab CI",
            ProviderKind::TerraformCloud => "HCP Terraform",
            ProviderKind::CircleCi => "CircleCI",
            ProviderKind::Bitbucket => "Bitbucket Pipelines",
            ProviderKind::Buildkite => "Buildkite",
            ProviderKind::Eks => "EKS",
            ProviderKind::Cognito => "Cognito identity pools",
            ProviderKind::Google => "Google",
            ProviderKind::Facebook => "Facebook",
            ProviderKind::Amazon => "Login with Amazon",
            ProviderKind::Oidc => "OIDC",
        }
    }

    /// Who gets in when the identifying key is not constrained.
    pub fn exposed(self) -> &'static str {
        match self {
            ProviderKind::GitHub => "any GitHub repository",
            ProviderKind::GitLab => "any GitLab project",
            ProviderKind::TerraformCloud => "any HCP Terraform workspace",
            ProviderKind::CircleCi => "any CircleCI project of the organisation",
            ProviderKind::Bitbucket => "any repository of the Bitbucket workspace",
            ProviderKind::Buildkite => "any Buildkite pipeline",
            ProviderKind::Eks => "any service account in the cluster",
            ProviderKind::Cognito => "identities from any Cognito identity pool",
            ProviderKind::Google => "any Google OAuth client",
            ProviderKind::Facebook => "any Facebook app",
            ProviderKind::Amazon => "any Login with Amazon app",
            ProviderKind::Oidc => "any identity the issuer signs a token for",
        }
    }

    /// The condition claims that identify the caller (TL401).
    pub fn identifying_claims(self) -> &'static [&'static str] {
        match self {
            ProviderKind::Cognito | ProviderKind::Google => &["aud"],
            ProviderKind::Facebook | ProviderKind::Amazon => &["app_id", "aud"],
            _ => &["sub"],
        }
    }

    /// Issuers with a separate `aud` to check (TL403): IAM OIDC providers.
    pub fn needs_audience(self) -> bool {
        !matches!(
            self,
            ProviderKind::Cognito
                | ProviderKind::Google
                | ProviderKind::Facebook
                | ProviderKind::Amazon
        )
    }
}

pub fn provider_kind(prefix: &str) -> ProviderKind {
    let p = prefix.to_ascii_lowercase();
    if p.starts_with("token.actions.githubusercontent.com")
        || (p.starts_with("token.actions.") && p.ends_with(".ghe.com"))
    {
        ProviderKind::GitHub
    } else if p == "gitlab.com" || p.starts_with("gitlab.") {
        ProviderKind::GitLab
    } else if p == "app.terraform.io" {
        ProviderKind::TerraformCloud
    } else if p.starts_with("oidc.circleci.com/") {
        ProviderKind::CircleCi
    } else if p.starts_with("api.bitbucket.org/") {
        ProviderKind::Bitbucket
    } else if p == "agent.buildkite.com" {
        ProviderKind::Buildkite
    } else if p.starts_with("oidc.eks.") {
        ProviderKind::Eks
    } else if p == "cognito-identity.amazonaws.com" {
        ProviderKind::Cognito
    } else if p == "accounts.google.com" {
        ProviderKind::Google
    } else if p == "graph.facebook.com" {
        ProviderKind::Facebook
    } else if p == "www.amazon.com" {
        ProviderKind::Amazon
    } else {
        ProviderKind::Oidc
    }
}

/// The provider of a `Federated` web-identity principal, or for an
/// unresolved one, the provider its literal condition keys name.
pub fn web_identity_provider(s: &Statement<'_>, p: &Principal<'_>) -> Option<Provider> {
    match &p.class {
        // An IAM OIDC provider whose host is a template value: the issuer
        // its condition keys name, if literal (the provider resource's
        // URL is a variable, the keys are written out).
        Class::Oidc(_, host) if host == crate::tree::UNKNOWN_PART => {
            Some(inferred_provider(s).unwrap_or(Provider {
                prefix: host.clone(),
                kind: ProviderKind::Oidc,
                inferred: false,
            }))
        }
        Class::Oidc(_, host) => Some(Provider {
            prefix: host.clone(),
            kind: provider_kind(host),
            inferred: false,
        }),
        Class::BuiltinIdp(name) => Some(Provider {
            prefix: name.clone(),
            kind: provider_kind(name),
            inferred: false,
        }),
        Class::Unknown if p.ptype == crate::policy::principal::PrincipalType::Federated => {
            inferred_provider(s)
        }
        _ => None,
    }
}

pub use crate::policy::OIDC_CLAIMS;

/// Infer the provider from condition keys like `token.actions.githubusercontent.com:sub`.
pub fn inferred_provider(s: &Statement<'_>) -> Option<Provider> {
    s.conditions.iter().find_map(|c| {
        let (prefix, claim) = c.key.rsplit_once(':')?;
        if prefix.contains('.')
            && !prefix.contains(':')
            && OIDC_CLAIMS.contains(&claim.to_ascii_lowercase().as_str())
        {
            Some(Provider {
                prefix: prefix.to_owned(),
                kind: provider_kind(prefix),
                inferred: true,
            })
        } else {
            None
        }
    })
}

/// Conditions of the statement on `PREFIX:claim`.
pub fn claim_conditions<'s, 'a>(
    s: &'s Statement<'a>,
    prefix: &str,
    claims: &[&str],
) -> Vec<&'s Condition<'a>> {
    // An issuer with unresolved parts (`oidc.eks.${AWS::Region}…`) is
    // matched by claim alone: its keys cannot be compared literally. So is
    // a key whose issuer is unresolved: it may be this provider's.
    let unknown = has_unknown(prefix);
    let prefix = prefix.to_ascii_lowercase();
    s.conditions
        .iter()
        .filter(|c| {
            c.key_lc.rsplit_once(':').is_some_and(|(p, claim)| {
                (p == prefix || unknown && p.contains('.') || has_unknown(p) && !p.contains(':'))
                    && claims.contains(&claim)
            })
        })
        .collect()
}

/// Is the principal SAML-federated?
pub fn is_saml(p: &Principal<'_>) -> bool {
    matches!(p.class, Class::Saml(..))
}

/// The one assume-role action a statement grants, when its `Action` names
/// it literally and no other (`sts:AssumeRoleWithSAML`, or
/// `…WithWebIdentity`; session actions aside). For a `Federated`
/// principal that is a template value, that action says which kind of
/// identity provider it must be for the trust to work at all: a fact in
/// the file, not a guess.
pub fn sole_assume_action(s: &Statement<'_>) -> Option<&'static str> {
    let actions = s.action.as_ref()?;
    let mut only = None;
    for (_, lc) in &actions.items {
        let lc = lc.as_deref()?;
        if lc.contains(['*', '?']) || has_unknown(lc) {
            return None;
        }
        let a = [
            "sts:assumerole",
            "sts:assumerolewithsaml",
            "sts:assumerolewithwebidentity",
        ]
        .into_iter()
        .find(|a| *a == lc);
        match (a, only) {
            (Some(a), None) => only = Some(a),
            (Some(a), Some(b)) if a != b => return None,
            _ => {}
        }
    }
    only
}

/// A `Federated` principal whose value is a template value.
pub fn is_unknown_federated(p: &Principal<'_>) -> bool {
    p.ptype == crate::policy::principal::PrincipalType::Federated
        && matches!(p.class, Class::Unknown)
}

/// A readable name for a principal in messages.
pub fn describe(p: &Principal<'_>) -> String {
    p.value
        .map(crate::tree::display)
        .unwrap_or_else(|| "an unresolved principal".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::json;

    fn with_policy(text: &str, f: impl FnOnce(&Policy<'_>)) {
        let node = json::parse(text).unwrap();
        let policy = Policy::parse(&node);
        f(&policy);
    }

    const USER: &str =
        r#""Principal":{"AWS":"arn:aws:iam::444455556666:user/alice"},"Action":"sts:AssumeRole""#;

    #[test]
    fn deny_bool_false_is_not_effective_mfa_and_is_reported() {
        // AWS marks Deny + Bool false "not recommended": long-term keys
        // carry no MFA key, so the Deny does not apply to them.
        let text = format!(
            r#"{{"Statement":[{{"Effect":"Allow",{USER}}},{{"Effect":"Deny",{USER},"Condition":{{"Bool":{{"aws:MultiFactorAuthPresent":"false"}}}}}}]}}"#
        );
        with_policy(&text, |p| {
            assert_eq!(mfa(p, &p.statements[0]), Mfa::Ineffective);
            let c = &p.statements[1].conditions[0];
            assert!(mfa_condition_problem(Effect::Deny, c).is_some());
        });
        let text = format!(
            r#"{{"Statement":[{{"Effect":"Allow",{USER}}},{{"Effect":"Deny",{USER},"Condition":{{"BoolIfExists":{{"aws:MultiFactorAuthPresent":"false"}}}}}}]}}"#
        );
        with_policy(&text, |p| {
            assert_eq!(mfa(p, &p.statements[0]), Mfa::Effective);
            let c = &p.statements[1].conditions[0];
            assert!(mfa_condition_problem(Effect::Deny, c).is_none());
        });
    }

    #[test]
    fn mfa_is_effective_exactly_when_not_reported() {
        // SPEC §2: an MFA condition is effective only when TL202 does not
        // report it — and then it must count.
        for (op, key, value, effective) in [
            ("Bool", "aws:MultiFactorAuthPresent", "true", true),
            (
                "ForAnyValue:Bool",
                "aws:MultiFactorAuthPresent",
                "true",
                true,
            ),
            ("BoolIfExists", "aws:MultiFactorAuthPresent", "true", false),
            (
                "ForAllValues:Bool",
                "aws:MultiFactorAuthPresent",
                "true",
                false,
            ),
            ("Bool", "aws:MultiFactorAuthPresent", "false", false),
            ("NumericLessThan", "aws:MultiFactorAuthAge", "3600", true),
            (
                "NumericLessThanIfExists",
                "aws:MultiFactorAuthAge",
                "3600",
                false,
            ),
            (
                "ForAllValues:NumericLessThan",
                "aws:MultiFactorAuthAge",
                "3600",
                false,
            ),
            (
                "NumericGreaterThan",
                "aws:MultiFactorAuthAge",
                "3600",
                false,
            ),
        ] {
            let text = format!(
                r#"{{"Statement":{{"Effect":"Allow",{USER},"Condition":{{"{op}":{{"{key}":"{value}"}}}}}}}}"#
            );
            with_policy(&text, |p| {
                let s = &p.statements[0];
                let reported = mfa_condition_problem(Effect::Allow, &s.conditions[0]).is_some();
                assert_eq!(reported, !effective, "{op} {key} {value}");
                let want = if effective {
                    Mfa::Effective
                } else {
                    Mfa::Ineffective
                };
                assert_eq!(mfa(p, s), want, "{op} {key} {value}");
            });
        }
    }
}

#[cfg(test)]
mod null_and_variable_tests {
    use super::*;
    use crate::load::json;

    fn mfa_of(doc: &str) -> Mfa {
        let n = json::parse(doc).unwrap();
        let p = Policy::parse(&n);
        mfa(&p, &p.statements[0])
    }

    #[test]
    fn null_mfa_forms() {
        let allow = |cond: &str| {
            format!(
                r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"AWS":"123456789012"}},"Action":"sts:AssumeRole","Condition":{cond}}}]}}"#
            )
        };
        assert_eq!(
            mfa_of(&allow(r#"{"Null":{"aws:MultiFactorAuthAge":"false"}}"#)),
            Mfa::Effective
        );
        assert_eq!(
            mfa_of(&allow(r#"{"Null":{"aws:MultiFactorAuthAge":"true"}}"#)),
            Mfa::Ineffective
        );
        assert_eq!(
            mfa_of(&allow(r#"{"Null":{"aws:MultiFactorAuthPresent":"false"}}"#)),
            Mfa::Ineffective
        );
    }

    #[test]
    fn policy_variables_do_not_pin() {
        assert!(!pin_value_specific(
            "aws:principalaccount",
            Some("${aws:PrincipalAccount}")
        ));
        assert!(!pin_value_specific(
            "aws:principalarn",
            Some("arn:aws:iam::${aws:PrincipalAccount}:role/x")
        ));
        assert!(pin_value_specific(
            "aws:principalarn",
            Some("arn:aws:iam::111122223333:role/${aws:username}")
        ));
    }
}
