//! Condition operators and condition keys.
//!
//! Operator grammar and semantics: research/iam-reference.md §4 (IAM User
//! Guide, "Condition operators"). Key tables: §1 (global keys), §2.2 (STS),
//! §3 (web identity and SAML). Key names are case-insensitive, so every
//! lookup lower-cases first.

/// The base operator, without qualifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

const BASES: &[(&str, Base)] = &[
    ("StringEquals", Base::StringEquals),
    ("StringNotEquals", Base::StringNotEquals),
    ("StringEqualsIgnoreCase", Base::StringEqualsIgnoreCase),
    ("StringNotEqualsIgnoreCase", Base::StringNotEqualsIgnoreCase),
    ("StringLike", Base::StringLike),
    ("StringNotLike", Base::StringNotLike),
    ("NumericEquals", Base::NumericEquals),
    ("NumericNotEquals", Base::NumericNotEquals),
    ("NumericLessThan", Base::NumericLessThan),
    ("NumericLessThanEquals", Base::NumericLessThanEquals),
    ("NumericGreaterThan", Base::NumericGreaterThan),
    ("NumericGreaterThanEquals", Base::NumericGreaterThanEquals),
    ("DateEquals", Base::DateEquals),
    ("DateNotEquals", Base::DateNotEquals),
    ("DateLessThan", Base::DateLessThan),
    ("DateLessThanEquals", Base::DateLessThanEquals),
    ("DateGreaterThan", Base::DateGreaterThan),
    ("DateGreaterThanEquals", Base::DateGreaterThanEquals),
    ("Bool", Base::Bool),
    ("BinaryEquals", Base::BinaryEquals),
    ("IpAddress", Base::IpAddress),
    ("NotIpAddress", Base::NotIpAddress),
    ("ArnEquals", Base::ArnEquals),
    ("ArnLike", Base::ArnLike),
    ("ArnNotEquals", Base::ArnNotEquals),
    ("ArnNotLike", Base::ArnNotLike),
    ("Null", Base::Null),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetOp {
    ForAnyValue,
    ForAllValues,
}

/// A parsed operator such as `ForAnyValue:StringLikeIfExists`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operator {
    /// `None` when the operator name is not one IAM knows.
    pub base: Option<Base>,
    pub set: Option<SetOp>,
    pub if_exists: bool,
}

impl Operator {
    /// Operator names are matched case-insensitively (`ARNEquals` is seen
    /// in real policies); whether IAM itself is case-sensitive here is
    /// unverified (research/iam-reference.md §4.2), so we do not report it.
    pub fn parse(raw: &str) -> Operator {
        let lc = raw.to_ascii_lowercase();
        let (set, rest) = if let Some(r) = lc.strip_prefix("foranyvalue:") {
            (Some(SetOp::ForAnyValue), r)
        } else if let Some(r) = lc.strip_prefix("forallvalues:") {
            (Some(SetOp::ForAllValues), r)
        } else {
            (None, lc.as_str())
        };
        let (name, if_exists) = match rest.strip_suffix("ifexists") {
            Some(n) => (n, true),
            None => (rest, false),
        };
        let base = BASES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|&(_, b)| b);
        // `NullIfExists` is not an operator (Access Analyzer: "Null with if exists").
        let base = if if_exists && base == Some(Base::Null) {
            None
        } else {
            base
        };
        Operator {
            base,
            set,
            if_exists,
        }
    }

    pub fn is_negated(self) -> bool {
        matches!(
            self.base,
            Some(
                Base::StringNotEquals
                    | Base::StringNotEqualsIgnoreCase
                    | Base::StringNotLike
                    | Base::NumericNotEquals
                    | Base::DateNotEquals
                    | Base::NotIpAddress
                    | Base::ArnNotEquals
                    | Base::ArnNotLike
            )
        )
    }

    /// A positive string or ARN match (`StringEquals`, `StringLike`,
    /// `ArnLike`, … and their IgnoreCase forms).
    pub fn is_positive_match(self) -> bool {
        matches!(
            self.base,
            Some(
                Base::StringEquals
                    | Base::StringEqualsIgnoreCase
                    | Base::StringLike
                    | Base::ArnEquals
                    | Base::ArnLike
            )
        )
    }

    /// The negation of a positive match (`StringNotEquals`, `ArnNotLike`, …).
    pub fn is_negated_match(self) -> bool {
        matches!(
            self.base,
            Some(
                Base::StringNotEquals
                    | Base::StringNotEqualsIgnoreCase
                    | Base::StringNotLike
                    | Base::ArnNotEquals
                    | Base::ArnNotLike
            )
        )
    }

    /// Does `*` in a value act as a wildcard?
    pub fn has_wildcards(self) -> bool {
        matches!(
            self.base,
            Some(
                Base::StringLike
                    | Base::StringNotLike
                    | Base::ArnEquals
                    | Base::ArnLike
                    | Base::ArnNotEquals
                    | Base::ArnNotLike
            )
        )
    }

    /// Operators where `*` is matched literally.
    pub fn is_string_equality(self) -> bool {
        matches!(
            self.base,
            Some(
                Base::StringEquals
                    | Base::StringNotEquals
                    | Base::StringEqualsIgnoreCase
                    | Base::StringNotEqualsIgnoreCase
            )
        )
    }

    /// Counts as a constraint in the statement that grants: a known,
    /// positive operator without `…IfExists` or `ForAllValues:`
    /// (SPEC §2: those never count). `Condition::counts` adds the keys
    /// under which `…IfExists` changes nothing.
    pub fn constrains(self) -> bool {
        self.base.is_some()
            && !self.is_negated()
            && !self.if_exists
            && self.set != Some(SetOp::ForAllValues)
    }

    pub fn value_type(self) -> Option<ValueType> {
        Some(match self.base? {
            Base::StringEquals
            | Base::StringNotEquals
            | Base::StringEqualsIgnoreCase
            | Base::StringNotEqualsIgnoreCase
            | Base::StringLike
            | Base::StringNotLike => ValueType::String,
            Base::NumericEquals
            | Base::NumericNotEquals
            | Base::NumericLessThan
            | Base::NumericLessThanEquals
            | Base::NumericGreaterThan
            | Base::NumericGreaterThanEquals => ValueType::Numeric,
            Base::DateEquals
            | Base::DateNotEquals
            | Base::DateLessThan
            | Base::DateLessThanEquals
            | Base::DateGreaterThan
            | Base::DateGreaterThanEquals => ValueType::Date,
            Base::Bool | Base::Null => ValueType::Bool,
            Base::BinaryEquals => ValueType::Binary,
            Base::IpAddress | Base::NotIpAddress => ValueType::Ip,
            Base::ArnEquals | Base::ArnLike | Base::ArnNotEquals | Base::ArnNotLike => {
                ValueType::Arn
            }
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
}

/// Global `aws:` keys (lower-case). Tag-style keys with a `/` suffix are
/// matched by prefix in [`key_status`].
const AWS_KEYS: &[(&str, bool)] = &[
    // (key, multivalued)
    ("aws:principalarn", false),
    ("aws:principalaccount", false),
    ("aws:principalorgid", false),
    ("aws:principalorgpaths", true),
    ("aws:principalisawsservice", false),
    ("aws:principalservicename", false),
    ("aws:principalservicenameslist", true),
    ("aws:principaltype", false),
    ("aws:userid", false),
    ("aws:username", false),
    ("aws:assumedroot", false),
    ("aws:federatedprovider", false),
    ("aws:tokenissuetime", false),
    ("aws:multifactorauthage", false),
    ("aws:multifactorauthpresent", false),
    ("aws:signinsessionarn", false),
    ("aws:chatbotsourcearn", false),
    ("aws:ec2instancesourcevpc", false),
    ("aws:ec2instancesourceprivateipv4", false),
    ("aws:sourceidentity", false),
    ("aws:sourceip", false),
    ("aws:sourcevpc", false),
    ("aws:sourcevpcarn", false),
    ("aws:sourcevpce", false),
    ("aws:vpceaccount", false),
    ("aws:vpceorgid", false),
    ("aws:vpceorgpaths", true),
    ("aws:vpcsourceip", false),
    ("aws:resourceaccount", false),
    ("aws:resourceorgid", false),
    ("aws:resourceorgpaths", true),
    ("aws:calledvia", true),
    ("aws:calledviafirst", false),
    ("aws:calledvialast", false),
    ("aws:viaawsservice", false),
    ("aws:calledviaawsmcp", false),
    ("aws:viaawsmcpservice", false),
    ("aws:ismcpserviceaction", false),
    ("aws:currenttime", false),
    ("aws:epochtime", false),
    ("aws:referer", false),
    ("aws:useragent", false),
    ("aws:requestedregion", false),
    ("aws:tagkeys", true),
    ("aws:securetransport", false),
    ("aws:sourceaccount", false),
    ("aws:sourcearn", false),
    ("aws:sourceorgid", false),
    ("aws:sourceorgpaths", true),
    // Legacy, still accepted by IAM (not in the current key list).
    ("aws:sourceowner", false),
];

const AWS_TAG_PREFIXES: &[&str] = &["aws:principaltag/", "aws:requesttag/", "aws:resourcetag/"];

const STS_KEYS: &[(&str, bool)] = &[
    ("sts:externalid", false),
    ("sts:rolesessionname", false),
    ("sts:sourceidentity", false),
    ("sts:transitivetagkeys", true),
    ("sts:durationseconds", false),
    ("sts:awsservicename", false),
    ("sts:identitytokenaudience", true),
    ("sts:signingalgorithm", false),
    ("sts:requestcontextproviders", true),
    ("sts:roleauthorizedbyidp", false),
    ("sts:taskpolicyarn", false),
];

const SAML_KEYS: &[(&str, bool)] = &[
    ("saml:aud", false),
    ("saml:iss", false),
    ("saml:sub", false),
    ("saml:sub_type", false),
    ("saml:namequalifier", false),
    ("saml:doc", false),
    ("saml:cn", true),
    ("saml:commonname", true),
    ("saml:givenname", true),
    ("saml:surname", true),
    ("saml:mail", true),
    ("saml:name", true),
    ("saml:uid", true),
    ("saml:x500uniqueidentifier", true),
    ("saml:organizationstatus", true),
    ("saml:primarygroupsid", true),
    ("saml:edupersonaffiliation", true),
    ("saml:edupersonassurance", true),
    ("saml:edupersonentitlement", true),
    ("saml:edupersonnickname", true),
    ("saml:edupersonorgunitdn", true),
    ("saml:edupersonscopedaffiliation", true),
    ("saml:edupersontargetedid", true),
    ("saml:edupersonorgdn", false),
    ("saml:edupersonprimaryaffiliation", false),
    ("saml:edupersonprimaryorgunitdn", false),
    ("saml:edupersonprincipalname", false),
    ("saml:eduorghomepageuri", true),
    ("saml:eduorgidentityauthnpolicyuri", true),
    ("saml:eduorglegalname", true),
    ("saml:eduorgsuperioruri", true),
    ("saml:eduorgwhitepagesuri", true),
];

/// Claims STS accepts for the known shared web-identity providers (§3.2).
const PROVIDER_CLAIMS: &[(&str, &[&str])] = &[
    (
        "token.actions.githubusercontent.com",
        &[
            "aud",
            "sub",
            "amr",
            "azp",
            "actor",
            "actor_id",
            "enterprise_id",
            "environment",
            "job_workflow_ref",
            "ref",
            "repository",
            "repository_id",
            "repository_owner_id",
            "workflow",
        ],
    ),
    ("cognito-identity.amazonaws.com", &["aud", "amr", "sub"]),
    (
        "accounts.google.com",
        &[
            "aud",
            "oaud",
            "sub",
            "azp",
            "amr",
            "google/organization_number",
        ],
    ),
    ("graph.facebook.com", &["app_id", "id"]),
    ("www.amazon.com", &["app_id", "user_id"]),
];

/// Multivalued web-identity claims.
const MULTI_CLAIMS: &[(&str, &str)] = &[("cognito-identity.amazonaws.com", "amr")];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyStatus {
    /// A key we know: is it multivalued?
    Known { multivalued: bool },
    /// In a namespace we know completely, but not in it: a typo.
    Unknown,
    /// A namespace we do not track (service keys, custom OIDC issuers).
    Unchecked,
}

pub fn key_status(key: &str) -> KeyStatus {
    // A key with unresolved parts (`aws:${Key}`) could be any key.
    if crate::tree::has_unknown(key) {
        return KeyStatus::Unchecked;
    }
    let k = key.to_ascii_lowercase();
    let lookup = |table: &[(&str, bool)]| {
        table
            .iter()
            .find(|(n, _)| *n == k)
            .map_or(KeyStatus::Unknown, |&(_, m)| KeyStatus::Known {
                multivalued: m,
            })
    };
    if k.starts_with("aws:") {
        if AWS_TAG_PREFIXES
            .iter()
            .any(|p| k.starts_with(p) && k.len() > p.len())
        {
            return KeyStatus::Known { multivalued: false };
        }
        return lookup(AWS_KEYS);
    }
    if k.starts_with("sts:") {
        if k.starts_with("sts:requestcontext/") && k.len() > "sts:requestcontext/".len() {
            return KeyStatus::Known { multivalued: false };
        }
        return lookup(STS_KEYS);
    }
    if k.starts_with("saml:") {
        return lookup(SAML_KEYS);
    }
    if let Some((provider, claim)) = k.rsplit_once(':') {
        if let Some((_, claims)) = PROVIDER_CLAIMS.iter().find(|(p, _)| *p == provider) {
            if claims.contains(&claim) {
                let multivalued = MULTI_CLAIMS.contains(&(provider, claim));
                return KeyStatus::Known { multivalued };
            }
            return KeyStatus::Unknown;
        }
        // Generic OIDC issuers: `aud`, `sub`, `amr`, `azp`, `email`, `oaud`.
        if provider.contains('.') && ["aud", "sub", "azp", "email", "oaud"].contains(&claim) {
            return KeyStatus::Known { multivalued: false };
        }
        if provider.contains('.') && claim == "amr" {
            return KeyStatus::Known { multivalued: true };
        }
    }
    KeyStatus::Unchecked
}

/// Keys that name the caller's identity specifically enough to make a
/// public trust private (SPEC TL101).
pub const PIN_KEYS: &[&str] = &[
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
];

/// Keys present in every request of the assume-role actions (SPEC §2):
/// `…IfExists` on them behaves as the plain operator, so such a condition
/// counts, pins and narrows as the plain one would.
pub const ALWAYS_PRESENT_KEYS: &[&str] = &[
    "aws:principalarn",
    "aws:principalaccount",
    "aws:principaltype",
    "aws:userid",
    "aws:currenttime",
    "aws:epochtime",
    "aws:securetransport",
    "aws:requestedregion",
];

pub const SOURCE_KEYS: &[&str] = &[
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators() {
        let o = Operator::parse("ForAllValues:StringLikeIfExists");
        assert_eq!(o.base, Some(Base::StringLike));
        assert_eq!(o.set, Some(SetOp::ForAllValues));
        assert!(o.if_exists && !o.constrains());
        assert!(Operator::parse("StringNotEquals").is_negated());
        assert_eq!(Operator::parse("NullIfExists").base, None);
        assert_eq!(Operator::parse("StringEqual").base, None);
    }

    #[test]
    fn keys() {
        assert_eq!(
            key_status("aws:SourceIP"),
            KeyStatus::Known { multivalued: false }
        );
        assert_eq!(key_status("aws:MFAPresent"), KeyStatus::Unknown);
        assert_eq!(
            key_status("aws:PrincipalTag/team"),
            KeyStatus::Known { multivalued: false }
        );
        assert_eq!(
            key_status("token.actions.githubusercontent.com:repository_owner"),
            KeyStatus::Unknown
        );
        assert_eq!(key_status("s3:prefix"), KeyStatus::Unchecked);
        // `aws:${Key}`: unresolved, so not a typo.
        let unresolved = format!("aws:{}", crate::tree::UNKNOWN_PART);
        assert_eq!(key_status(&unresolved), KeyStatus::Unchecked);
        assert_eq!(
            key_status("cognito-identity.amazonaws.com:amr"),
            KeyStatus::Known { multivalued: true }
        );
    }
}
