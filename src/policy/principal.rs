//! Principal values and ARNs: what a `Principal` entry names.
//!
//! Grammar from research/iam-reference.md §6 (IAM User Guide, "Principal").
//! Resolved strings may carry [`THIS_ACCOUNT`] and [`UNKNOWN_PART`] markers;
//! an unknown part never turns into a guess.

use crate::tree::{has_unknown, THIS_ACCOUNT};

/// The key under `Principal` (`AWS`, `Service`, …), or the bare `"*"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrincipalType {
    /// `"Principal": "*"` (the bare string form).
    Star,
    Aws,
    Service,
    Federated,
    CanonicalUser,
    Other(String),
}

impl PrincipalType {
    pub fn from_key(k: &str) -> PrincipalType {
        match k {
            "AWS" => PrincipalType::Aws,
            "Service" => PrincipalType::Service,
            "Federated" => PrincipalType::Federated,
            "CanonicalUser" => PrincipalType::CanonicalUser,
            _ => PrincipalType::Other(k.to_owned()),
        }
    }
}

/// Which account a principal lives in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Account {
    /// The account that deploys the template.
    This,
    Literal(String),
    Unknown,
}

impl Account {
    fn parse(s: &str) -> Result<Account, &'static str> {
        if s == THIS_ACCOUNT {
            Ok(Account::This)
        } else if has_unknown(s) || s.contains('\u{E000}') {
            Ok(Account::Unknown)
        } else if s.contains(['*', '?']) {
            Err("a wildcard in the account ID")
        } else if is_account_id(s) {
            Ok(Account::Literal(s.to_owned()))
        } else {
            Err("an account ID that is not 12 digits")
        }
    }
}

pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The built-in web identity providers (`Federated` values that are not ARNs).
pub const BUILTIN_IDPS: &[&str] = &[
    "cognito-identity.amazonaws.com",
    "www.amazon.com",
    "graph.facebook.com",
    "accounts.google.com",
];

/// What a principal value names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Class {
    /// `*`: any principal in any account, including anonymous.
    Public,
    /// A whole account (`arn:…:root` or a bare account ID).
    Account(Account),
    Role(Account, String),
    User(Account, String),
    /// `arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`.
    Session(Account, String),
    FederatedUser(Account, String),
    /// `arn:…:oidc-provider/HOST[/PATH]`.
    Oidc(Account, String),
    Saml(Account, String),
    /// One of [`BUILTIN_IDPS`].
    BuiltinIdp(String),
    /// A service principal, normalised (`states.us-east-1.amazonaws.com` →
    /// `states.amazonaws.com`).
    Service(String),
    /// `AIDA…` (user) or `AROA…` (role) unique IDs.
    UniqueId(String),
    CanonicalUser,
    /// CloudFront origin access identity (`arn:aws:iam::cloudfront:user/…`).
    CloudFront,
    /// IAM would reject it: the reason.
    Invalid(&'static str),
    /// Not resolvable before deployment.
    Unknown,
}

impl Class {
    pub fn account(&self) -> Option<&Account> {
        match self {
            Class::Account(a)
            | Class::Role(a, _)
            | Class::User(a, _)
            | Class::Session(a, _)
            | Class::FederatedUser(a, _)
            | Class::Oidc(a, _)
            | Class::Saml(a, _) => Some(a),
            _ => None,
        }
    }
}

const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// The parts of an ARN, if it has the `arn:` shape with six fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

pub fn split_arn(s: &str) -> Option<Arn<'_>> {
    let rest = s.strip_prefix("arn:")?;
    let mut it = rest.splitn(5, ':');
    Some(Arn {
        partition: it.next()?,
        service: it.next()?,
        region: it.next()?,
        account: it.next()?,
        resource: it.next()?,
    })
}

fn partition_ok(p: &str) -> bool {
    PARTITIONS.contains(&p) || has_unknown(p)
}

/// Classify a value found under `type`.
pub fn classify(ptype: &PrincipalType, value: &str) -> Class {
    match ptype {
        PrincipalType::Star => {
            if value == "*" {
                Class::Public
            } else {
                Class::Invalid("a Principal string other than \"*\"")
            }
        }
        PrincipalType::Aws => classify_aws(value),
        PrincipalType::Service => classify_service(value),
        PrincipalType::Federated => classify_federated(value),
        PrincipalType::CanonicalUser => {
            if has_unknown(value)
                || value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit())
            {
                Class::CanonicalUser
            } else {
                Class::Invalid("a canonical user ID that is not 64 hexadecimal characters")
            }
        }
        PrincipalType::Other(_) => Class::Invalid("an unknown principal type"),
    }
}

fn classify_aws(v: &str) -> Class {
    if v == "*" {
        return Class::Public;
    }
    if v == THIS_ACCOUNT {
        return Class::Account(Account::This);
    }
    if is_account_id(v) {
        return Class::Account(Account::Literal(v.to_owned()));
    }
    if is_unique_id(v) {
        return Class::UniqueId(v.to_owned());
    }
    let Some(arn) = split_arn(v) else {
        if has_unknown(v) {
            return Class::Unknown;
        }
        if v.starts_with("arn:") {
            return Class::Invalid("a malformed ARN (an ARN has six `:`-separated fields: arn:PARTITION:iam::ACCOUNT:…)");
        }
        if v.bytes().all(|b| b.is_ascii_digit()) {
            return Class::Invalid("an account ID that is not 12 digits");
        }
        return Class::Invalid("a value that is not an ARN, a 12-digit account ID or \"*\"");
    };
    if !partition_ok(arn.partition) {
        return Class::Invalid("an unknown partition");
    }
    if !arn.region.is_empty() && !has_unknown(arn.region) {
        return Class::Invalid("a region in an IAM principal ARN");
    }
    // CloudFront origin access identities (S3 bucket policies).
    if arn.service == "iam" && arn.account == "cloudfront" {
        return Class::CloudFront;
    }
    if arn.resource.contains(['*', '?']) || arn.account.contains(['*', '?']) {
        return Class::Invalid("a wildcard inside an ARN");
    }
    let account = match Account::parse(arn.account) {
        Ok(a) => a,
        Err(why) => return Class::Invalid(why),
    };
    if has_unknown(arn.resource) && !arn.resource.contains('/') && arn.resource != "root" {
        return Class::Unknown;
    }
    let name = |prefix: &str| arn.resource.strip_prefix(prefix).map(str::to_owned);
    match arn.service {
        "iam" => {
            if arn.resource == "root" {
                Class::Account(account)
            } else if let Some(n) = name("role/") {
                if n.is_empty() {
                    Class::Invalid("a role ARN without a name")
                } else {
                    Class::Role(account, n)
                }
            } else if let Some(n) = name("user/") {
                if n.is_empty() {
                    Class::Invalid("a user ARN without a name")
                } else {
                    Class::User(account, n)
                }
            } else if has_unknown(arn.resource) {
                Class::Unknown
            } else if arn.resource.starts_with("group/") {
                Class::Invalid("an IAM group, which cannot be a principal")
            } else {
                Class::Invalid("an IAM ARN that names no user, role or account")
            }
        }
        "sts" => {
            if let Some(n) = name("assumed-role/") {
                if n.split('/').count() < 2 {
                    Class::Invalid("an assumed-role ARN without a session name")
                } else {
                    Class::Session(account, n)
                }
            } else if let Some(n) = name("federated-user/") {
                Class::FederatedUser(account, n)
            } else if has_unknown(arn.resource) {
                Class::Unknown
            } else {
                Class::Invalid("an STS ARN that names no session")
            }
        }
        s if has_unknown(s) => Class::Unknown,
        _ => Class::Invalid("an ARN of a service other than IAM or STS"),
    }
}

pub fn is_unique_id(v: &str) -> bool {
    (v.starts_with("AIDA") || v.starts_with("AROA"))
        && v.len() >= 16
        && v.len() <= 128
        && v.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

const SERVICE_SUFFIXES: &[&str] = &[
    ".amazonaws.com",
    ".amazonaws.com.cn",
    ".c2s.ic.gov",
    ".sc2s.sgov.gov",
    ".cloud.adc-e.uk",
    ".csp.hci.ic.gov",
    ".amazonaws.eu",
    ".amazon.com",
];

fn classify_service(v: &str) -> Class {
    if has_unknown(v) {
        // `states.${AWS::Region}.amazonaws.com`: an unknown region does not
        // change which service it is. Unknown anywhere else does.
        let parts: Vec<&str> = v.split('.').collect();
        let region_only = parts.len() > 3
            && parts
                .iter()
                .skip(1)
                .any(|p| *p == crate::tree::UNKNOWN_PART)
            && parts
                .iter()
                .enumerate()
                .all(|(i, p)| !has_unknown(p) || (i > 0 && *p == crate::tree::UNKNOWN_PART));
        if !region_only {
            return Class::Unknown;
        }
        let known: Vec<&str> = parts
            .into_iter()
            .filter(|p| *p != crate::tree::UNKNOWN_PART)
            .collect();
        return classify_service(&known.join("."));
    }
    if v.contains(['*', '?']) {
        return Class::Invalid("a wildcard in a service principal");
    }
    let Some(suffix) = SERVICE_SUFFIXES.iter().find(|s| v.ends_with(*s)) else {
        return Class::Invalid("a service principal that is not SERVICE.amazonaws.com");
    };
    let head = &v[..v.len() - suffix.len()];
    if head.is_empty()
        || !head
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
    {
        return Class::Invalid("a malformed service principal");
    }
    Class::Service(normalise_service(head))
}

/// `states.us-east-1` → `states`; `access-grants.s3` stays.
fn normalise_service(head: &str) -> String {
    let parts: Vec<&str> = head.split('.').collect();
    let kept: Vec<&str> = parts
        .iter()
        .copied()
        .filter(|p| !looks_like_region(p))
        .collect();
    format!("{}.amazonaws.com", kept.join("."))
}

fn looks_like_region(p: &str) -> bool {
    // us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-isob-east-1
    let segs: Vec<&str> = p.split('-').collect();
    segs.len() >= 3
        && segs[0].len() == 2
        && segs
            .last()
            .is_some_and(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()))
}

fn classify_federated(v: &str) -> Class {
    if BUILTIN_IDPS.contains(&v) {
        return Class::BuiltinIdp(v.to_owned());
    }
    let Some(arn) = split_arn(v) else {
        if has_unknown(v) {
            return Class::Unknown;
        }
        return Class::Invalid(
            "a federated principal that is not a provider ARN or a built-in identity provider",
        );
    };
    if !partition_ok(arn.partition) {
        return Class::Invalid("an unknown partition");
    }
    if arn.resource.contains(['*', '?']) || arn.account.contains(['*', '?']) {
        return Class::Invalid("a wildcard inside an ARN");
    }
    let account = match Account::parse(arn.account) {
        Ok(a) => a,
        Err(why) => return Class::Invalid(why),
    };
    if arn.service != "iam" {
        return if has_unknown(arn.service) {
            Class::Unknown
        } else {
            Class::Invalid("a federated principal ARN that is not an IAM identity provider")
        };
    }
    if let Some(host) = arn.resource.strip_prefix("oidc-provider/") {
        Class::Oidc(account, host.to_owned())
    } else if let Some(name) = arn.resource.strip_prefix("saml-provider/") {
        Class::Saml(account, name.to_owned())
    } else if has_unknown(arn.resource) {
        Class::Unknown
    } else {
        Class::Invalid("a federated principal ARN that is not an OIDC or SAML provider")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_forms() {
        let aws = PrincipalType::Aws;
        assert_eq!(classify(&aws, "*"), Class::Public);
        assert_eq!(
            classify(&aws, "123456789012"),
            Class::Account(Account::Literal("123456789012".into()))
        );
        assert_eq!(
            classify(&aws, "arn:aws-cn:iam::123456789012:root"),
            Class::Account(Account::Literal("123456789012".into()))
        );
        assert!(
            matches!(classify(&aws, "arn:aws:iam::123456789012:role/a/b"), Class::Role(_, n) if n == "a/b")
        );
        assert!(matches!(
            classify(&aws, "arn:aws:sts::123456789012:assumed-role/r/s"),
            Class::Session(..)
        ));
        assert!(matches!(
            classify(&aws, "arn:aws:iam::*:root"),
            Class::Invalid(_)
        ));
        assert!(matches!(
            classify(&aws, "arn:aws:iam::12345:root"),
            Class::Invalid(_)
        ));
        assert!(matches!(
            classify(&aws, "arn:aws:iam::123456789012:role/*"),
            Class::Invalid(_)
        ));
        assert!(matches!(
            classify(&aws, "AROAEXAMPLEID1234567"),
            Class::UniqueId(_)
        ));
        let this = format!("arn:aws:iam::{THIS_ACCOUNT}:root");
        assert_eq!(classify(&aws, &this), Class::Account(Account::This));
    }

    #[test]
    fn service_and_federated() {
        assert_eq!(
            classify(&PrincipalType::Service, "states.us-east-1.amazonaws.com"),
            Class::Service("states.amazonaws.com".into())
        );
        assert!(matches!(
            classify(&PrincipalType::Service, "*"),
            Class::Invalid(_)
        ));
        assert!(matches!(
            classify(&PrincipalType::Federated, "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"),
            Class::Oidc(_, h) if h == "token.actions.githubusercontent.com"
        ));
    }
}
