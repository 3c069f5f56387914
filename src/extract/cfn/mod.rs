//! CloudFormation and SAM templates (JSON and YAML), SPEC §1.
//!
//! The module, by job:
//! - here: recognising a template ([`is_template`]) and the entry points;
//! - [`places`]: where each resource type keeps its policies and session
//!   settings — a declarative table of JSONPath queries;
//! - [`extractor`]: walking `Resources` through that table, one document per
//!   truth assignment of the conditions a document uses (up to
//!   [`MAX_CONDITIONS`]), and `Metadata.trustlint.ignore` suppressions;
//! - [`conditions`]: which assignments a template's `Conditions` allow;
//! - [`resolve`]: intrinsic functions resolved symbolically;
//! - [`text`] and [`embedded_json`]: resolved text with its spans, and policy
//!   documents written as JSON strings, parsed with their spans mapped back
//!   into the file;
//! - [`template`]: the sections resolution reads.
//!
//! To support another resource type, add a row to [`places::PLACES`]; to
//! resolve another intrinsic, add a branch in `Resolver::intrinsic`.

mod conditions;
mod embedded_json;
mod extractor;
pub mod places;
mod resolve;
mod template;
mod text;

use std::sync::LazyLock;

use extractor::Extractor;
use template::{Sections, Syntax};

use crate::extract::{Budget, Extracted};
use crate::load::{ParseError, MAX_DEPTH};
use crate::tree::{Node, Query};

/// The `Type` of every resource.
static RESOURCE_TYPES: LazyLock<Query> = LazyLock::new(|| Query::new("$.Resources.*.Type"));

/// At most this many template conditions are evaluated branch by branch
/// for one document (2^4 = 16 variants). Beyond that nothing is lost
/// (SPEC §2): the document is analysed twice, every `Fn::If` taking its
/// first branch, then every one its second, and an `Fn::If` that is an
/// item of a list contributes both branches' values as items in both (the
/// union; docs/decisions.md, "Past the variant limit").
pub const MAX_CONDITIONS: usize = 4;

/// How deep resolution may recurse (the trees are already bounded by the
/// loaders; parameter and mapping values add a few levels).
const MAX_RESOLVE_DEPTH: usize = MAX_DEPTH + 16;

/// How a CloudFormation dynamic reference starts (`{{resolve:ssm:name}}`,
/// `{{resolve:secretsmanager:…}}`): its value is known only at deploy time.
const DYNAMIC_REFERENCE: &str = "{{resolve:";

/// Templates nested in StackSet `TemplateBody` strings are followed this deep.
const MAX_NESTING: usize = 2;

/// Is this parsed file a CloudFormation / SAM template?
pub fn is_template(root: &Node) -> bool {
    if !root.is_object() {
        return false;
    }
    root.entry("AWSTemplateFormatVersion").is_some()
        || RESOURCE_TYPES
            .run(root)
            .iter()
            .any(|t| t.as_str().is_some_and(|s| s.starts_with("AWS::")))
}

/// Extract a JSON template.
pub fn extract(root: &Node, text: &str) -> Extracted {
    let mut out = Extracted {
        recognised: true,
        ..Extracted::default()
    };
    let mut groups = 0;
    let budget = Budget::default();
    let sections = Sections::new(root);
    Extractor::new(
        root,
        &sections,
        text,
        Syntax::Json,
        &mut out,
        &mut groups,
        &budget,
    )
    .run();
    out
}

/// Parse and extract a YAML file. Every document of the stream that is a
/// template is extracted; a raw policy written in YAML is accepted too.
/// YAML that is neither gives an empty, unrecognised result.
pub fn extract_yaml(text: &str) -> Result<Extracted, ParseError> {
    let docs = crate::load::yaml::parse(text)?;
    let mut out = Extracted::default();
    let mut groups = 0;
    // One budget for the whole stream: it bounds the file's work.
    let budget = Budget::default();
    for root in &docs {
        if is_template(root) {
            out.recognised = true;
            let sections = Sections::new(root);
            Extractor::new(
                root,
                &sections,
                text,
                Syntax::Yaml,
                &mut out,
                &mut groups,
                &budget,
            )
            .run();
        } else if crate::extract::raw::is_raw_policy(root) {
            let raw = crate::extract::raw::extract(root);
            out.recognised = true;
            out.docs.extend(raw.docs);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
