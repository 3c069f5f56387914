//! Raw IAM policy files: a top-level object with `Statement`.
//!
//! The document kind comes from content: statements with `Principal` that
//! grant assume-role actions make a trust policy; no `Principal` at all
//! makes an identity policy; anything else is a resource policy.

use super::{Document, Extracted};
use crate::policy::{DocKind, Policy};
use crate::tree::Node;

/// A top-level `Statement`, or a policy `Version` with nothing but policy
/// elements beside it (a policy that forgot its statements).
pub fn is_raw_policy(root: &Node) -> bool {
    if root.entry("Statement").is_some() {
        return true;
    }
    let version = root
        .get("Version")
        .and_then(Node::as_str)
        .is_some_and(|v| v == "2012-10-17" || v == "2008-10-17");
    version
        && root
            .entries()
            .iter()
            .all(|e| matches!(e.key.as_str(), "Version" | "Id"))
}

pub fn extract(root: &Node) -> Extracted {
    extract_owned(root.clone())
}

pub fn extract_owned(root: Node) -> Extracted {
    Extracted {
        docs: vec![Document {
            node: root,
            ..Document::default()
        }],
        recognised: true,
        ..Extracted::default()
    }
}

/// Decide what a document with no declared kind is.
pub fn infer_kind(policy: &Policy<'_>) -> DocKind {
    let has_principal = policy
        .statements
        .iter()
        .any(|s| s.principal.is_some() || s.not_principal.is_some());
    if !has_principal {
        return DocKind::Identity;
    }
    let with_principal = || {
        policy
            .statements
            .iter()
            .filter(|s| s.principal.is_some() || s.not_principal.is_some())
    };
    // An explicit `sts:` assume action makes a trust policy. `*` alone does
    // too, unless the policy names resources (an S3 or KMS policy).
    let explicit = with_principal().any(|s| {
        s.action.as_ref().is_some_and(|a| {
            a.items.iter().any(|(_, lc)| {
                lc.as_deref().is_some_and(|p| {
                    p.starts_with("sts:")
                        && crate::policy::ASSUME_ACTIONS
                            .iter()
                            .any(|x| crate::policy::action_matches(p, x))
                })
            })
        })
    });
    let has_resource = policy
        .statements
        .iter()
        .any(|s| s.resource.is_some() || s.not_resource.is_some());
    let trust = explicit || (!has_resource && with_principal().any(|s| s.grants_assume()));
    if trust {
        DocKind::Trust
    } else {
        DocKind::Resource
    }
}
