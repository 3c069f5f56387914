//! Rule documentation pages (`rules/*.md`), embedded in the binary for
//! `trustlint rule ID` and linked from SARIF.
//!
//! One entry per registered rule, in ID order. `tests/rule_pages.rs` checks
//! that every rule has a page here and runs the pages' examples.

/// (rule ID, file name, page text)
pub static PAGES: &[(&str, &str, &str)] = &[
    (
        "TL001",
        "rules/TL001-parse-error.md",
        include_str!("../rules/TL001-parse-error.md"),
    ),
    (
        "TL002",
        "rules/TL002-invalid-policy.md",
        include_str!("../rules/TL002-invalid-policy.md"),
    ),
    (
        "TL003",
        "rules/TL003-trust-policy-too-large.md",
        include_str!("../rules/TL003-trust-policy-too-large.md"),
    ),
    (
        "TL004",
        "rules/TL004-invalid-suppression.md",
        include_str!("../rules/TL004-invalid-suppression.md"),
    ),
    (
        "TL101",
        "rules/TL101-public-trust.md",
        include_str!("../rules/TL101-public-trust.md"),
    ),
    (
        "TL102",
        "rules/TL102-account-root-trust.md",
        include_str!("../rules/TL102-account-root-trust.md"),
    ),
    (
        "TL103",
        "rules/TL103-unguarded-cross-account.md",
        include_str!("../rules/TL103-unguarded-cross-account.md"),
    ),
    (
        "TL104",
        "rules/TL104-not-principal.md",
        include_str!("../rules/TL104-not-principal.md"),
    ),
    (
        "TL105",
        "rules/TL105-invalid-principal.md",
        include_str!("../rules/TL105-invalid-principal.md"),
    ),
    (
        "TL106",
        "rules/TL106-session-principal.md",
        include_str!("../rules/TL106-session-principal.md"),
    ),
    (
        "TL107",
        "rules/TL107-orphaned-principal.md",
        include_str!("../rules/TL107-orphaned-principal.md"),
    ),
    (
        "TL108",
        "rules/TL108-service-confused-deputy.md",
        include_str!("../rules/TL108-service-confused-deputy.md"),
    ),
    (
        "TL201",
        "rules/TL201-missing-mfa.md",
        include_str!("../rules/TL201-missing-mfa.md"),
    ),
    (
        "TL202",
        "rules/TL202-ineffective-mfa.md",
        include_str!("../rules/TL202-ineffective-mfa.md"),
    ),
    (
        "TL203",
        "rules/TL203-condition-misuse.md",
        include_str!("../rules/TL203-condition-misuse.md"),
    ),
    (
        "TL204",
        "rules/TL204-unknown-condition-key.md",
        include_str!("../rules/TL204-unknown-condition-key.md"),
    ),
    (
        "TL301",
        "rules/TL301-session-duration-over-limit.md",
        include_str!("../rules/TL301-session-duration-over-limit.md"),
    ),
    (
        "TL302",
        "rules/TL302-invalid-session-duration.md",
        include_str!("../rules/TL302-invalid-session-duration.md"),
    ),
    (
        "TL303",
        "rules/TL303-long-session-duration.md",
        include_str!("../rules/TL303-long-session-duration.md"),
    ),
    (
        "TL401",
        "rules/TL401-unrestricted-web-identity.md",
        include_str!("../rules/TL401-unrestricted-web-identity.md"),
    ),
    (
        "TL402",
        "rules/TL402-wildcard-web-identity-subject.md",
        include_str!("../rules/TL402-wildcard-web-identity-subject.md"),
    ),
    (
        "TL403",
        "rules/TL403-missing-web-identity-audience.md",
        include_str!("../rules/TL403-missing-web-identity-audience.md"),
    ),
    (
        "TL404",
        "rules/TL404-saml-missing-audience.md",
        include_str!("../rules/TL404-saml-missing-audience.md"),
    ),
    (
        "TL405",
        "rules/TL405-federation-action-mismatch.md",
        include_str!("../rules/TL405-federation-action-mismatch.md"),
    ),
    (
        "TL406",
        "rules/TL406-roles-anywhere-missing-actions.md",
        include_str!("../rules/TL406-roles-anywhere-missing-actions.md"),
    ),
    (
        "TL501",
        "rules/TL501-assume-any-role.md",
        include_str!("../rules/TL501-assume-any-role.md"),
    ),
    (
        "TL502",
        "rules/TL502-unscoped-federation-token.md",
        include_str!("../rules/TL502-unscoped-federation-token.md"),
    ),
    (
        "TL503",
        "rules/TL503-broad-trust-actions.md",
        include_str!("../rules/TL503-broad-trust-actions.md"),
    ),
    (
        "TL504",
        "rules/TL504-unrestricted-session-policy.md",
        include_str!("../rules/TL504-unrestricted-session-policy.md"),
    ),
    (
        "TL601",
        "rules/TL601-long-automation-session.md",
        include_str!("../rules/TL601-long-automation-session.md"),
    ),
    (
        "TL602",
        "rules/TL602-static-ci-credentials.md",
        include_str!("../rules/TL602-static-ci-credentials.md"),
    ),
    (
        "TL603",
        "rules/TL603-hardcoded-access-key.md",
        include_str!("../rules/TL603-hardcoded-access-key.md"),
    ),
    (
        "TL604",
        "rules/TL604-oidc-token-permission-missing.md",
        include_str!("../rules/TL604-oidc-token-permission-missing.md"),
    ),
    (
        "TL605",
        "rules/TL605-chained-session-over-limit.md",
        include_str!("../rules/TL605-chained-session-over-limit.md"),
    ),
    (
        "TL606",
        "rules/TL606-profile-without-mfa.md",
        include_str!("../rules/TL606-profile-without-mfa.md"),
    ),
];

pub fn page(id: &str) -> Option<&'static str> {
    PAGES.iter().find(|(i, _, _)| *i == id).map(|(_, _, t)| *t)
}

/// The page's path in the repository (`rules/TL101-public-trust.md`).
pub fn file_name(id: &str) -> Option<&'static str> {
    PAGES.iter().find(|(i, _, _)| *i == id).map(|(_, f, _)| *f)
}

/// Every registered rule's ID, in ID order: the page table is kept in step
/// with the registry (`tests/rule_pages.rs`), and, unlike the registry, it
/// sits on the bottom floor, where settings can read it.
pub fn rule_ids() -> impl ExactSizeIterator<Item = &'static str> {
    PAGES.iter().map(|(id, _, _)| *id)
}
