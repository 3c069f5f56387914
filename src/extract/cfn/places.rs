//! Where each resource type keeps its policies and session settings: one
//! row per place, a JSONPath query on the resource's `Properties`, and
//! what the value found there is. The extractor runs, in table order, every
//! row whose type matches; supporting another resource type (or another
//! property of one) is a new row here.

use std::sync::LazyLock;

use crate::policy::DocKind;
use crate::tree::{Node, Query};

/// What a place holds, which says how the extractor reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    /// A policy document, or a JSON string holding one.
    Document(DocKind),
    /// `AWS::IAM::Role` `Policies`: `{ PolicyName, PolicyDocument }` items.
    RolePolicies,
    /// SAM `Policies`: managed policy names, policy templates and policy
    /// documents (only documents are checked).
    SamPolicies,
    /// The role's `MaxSessionDuration` (TL301).
    MaxSessionDuration,
    /// A StackSet's inline `TemplateBody`: a template inside the template.
    NestedTemplate,
}

/// One place where a resource type keeps something to check.
#[derive(Debug)]
pub struct Place {
    pub types: &'static [&'static str],
    /// JSONPath from the resource's `Properties`.
    pub path: &'static str,
    pub what: What,
}

const ROLE: &[&str] = &["AWS::IAM::Role"];
const POLICIES: &[&str] = &[
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::RolePolicy",
    "AWS::IAM::UserPolicy",
    "AWS::IAM::GroupPolicy",
];
const SAM_FUNCTION: &[&str] = &["AWS::Serverless::Function"];
const STACK_SET: &[&str] = &["AWS::CloudFormation::StackSet"];

/// Every place, in the order the extractor visits them.
pub const PLACES: &[Place] = &[
    Place {
        types: ROLE,
        path: "$.AssumeRolePolicyDocument",
        what: What::Document(DocKind::Trust),
    },
    Place {
        types: ROLE,
        path: "$.Policies",
        what: What::RolePolicies,
    },
    Place {
        types: ROLE,
        path: "$.MaxSessionDuration",
        what: What::MaxSessionDuration,
    },
    Place {
        types: POLICIES,
        path: "$.PolicyDocument",
        what: What::Document(DocKind::Identity),
    },
    Place {
        types: SAM_FUNCTION,
        path: "$.AssumeRolePolicyDocument",
        what: What::Document(DocKind::Trust),
    },
    Place {
        types: SAM_FUNCTION,
        path: "$.Policies",
        what: What::SamPolicies,
    },
    Place {
        types: STACK_SET,
        path: "$.TemplateBody",
        what: What::NestedTemplate,
    },
];

/// The queries of [`PLACES`], parsed once.
static QUERIES: LazyLock<Vec<Query>> =
    LazyLock::new(|| PLACES.iter().map(|p| Query::new(p.path)).collect());

/// The places of resource type `ty`, each with the values found there
/// under `props`, in table order. Types with no row cost one scan of the
/// table's type names (no query runs).
pub fn of<'a>(ty: &str, props: &'a Node) -> Vec<(&'static Place, Vec<&'a Node>)> {
    PLACES
        .iter()
        .zip(QUERIES.iter())
        .filter(|(p, _)| p.types.contains(&ty))
        .map(|(p, q)| (p, q.run(props)))
        .filter(|(_, found)| !found.is_empty())
        .collect()
}

/// The key a place's value is written under (the last name of its path),
/// for settings, which report the key as written.
pub fn key(place: &Place) -> &'static str {
    place.path.rsplit('.').next().unwrap_or(place.path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_parses_and_every_type_is_aws() {
        for (p, q) in PLACES.iter().zip(QUERIES.iter()) {
            assert!(q.is_valid(), "{} does not parse", p.path);
            assert!(p.types.iter().all(|t| t.starts_with("AWS::")));
        }
    }

    #[test]
    fn a_role_yields_its_places_in_table_order() {
        let props = crate::load::json::parse(
            r#"{"MaxSessionDuration": 3600, "Policies": [], "AssumeRolePolicyDocument": {}}"#,
        )
        .unwrap();
        let found: Vec<What> = of("AWS::IAM::Role", &props)
            .iter()
            .map(|(p, _)| p.what)
            .collect();
        assert_eq!(
            found,
            [
                What::Document(DocKind::Trust),
                What::RolePolicies,
                What::MaxSessionDuration
            ]
        );
        assert!(of("AWS::S3::Bucket", &props).is_empty());
        assert_eq!(key(&PLACES[2]), "MaxSessionDuration");
    }
}
