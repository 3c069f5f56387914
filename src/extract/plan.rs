//! Terraform plans and state (`terraform show -json`, SPEC §1).
//!
//! Values are resolved by Terraform, so policies are JSON strings: each is
//! decoded with an escape-aware offset table and parsed, and its spans
//! point inside the string in the plan file. A resource appears in several
//! sections (`planned_values`, `resource_changes[].change.after`,
//! `prior_state`); each address is extracted once, from the first section
//! that has it in that order, so a role is reported once. Attributes listed
//! in `after_unknown` are not known before apply and are skipped.
//!
//! The deploying account is the `account_id` of the plan's
//! `data.aws_caller_identity` reads (Terraform records data sources read at
//! plan time in `prior_state`), when they all agree; otherwise it is not
//! known, and every literal account is external unless trusted.

use std::collections::HashSet;

use super::{Document, Extracted, Setting, SettingKind};
use crate::diagnostic::Diagnostic;
use crate::limit::{Limit, LimitHit};
use crate::load::embedded::parse_json_string;
use crate::load::ParseError;
use crate::policy::DocKind;
use crate::tree::{Kind, Node};

/// Nesting of `child_modules` we follow (plans are never this deep).
const MAX_MODULE_DEPTH: usize = 64;

pub fn is_plan(root: &Node) -> bool {
    root.get("format_version").is_some()
        && [
            "planned_values",
            "resource_changes",
            "prior_state",
            "values",
        ]
        .iter()
        .any(|k| root.get(k).is_some_and(|v| !matches!(v.kind, Kind::Null)))
}

/// The 12-digit account of an ARN (`arn:aws:iam::123456789012:role/x`).
pub(crate) fn arn_account(arn: &str) -> Option<String> {
    let acct = arn.split(':').nth(4)?;
    (acct.len() == 12 && acct.bytes().all(|b| b.is_ascii_digit())).then(|| acct.to_owned())
}

/// TL001 for a policy string that is not JSON.
pub(crate) fn embedded_error(e: ParseError, what: &str) -> Diagnostic {
    Diagnostic::new(
        &crate::diagnostic::PARSE_ERROR,
        e.span,
        format!("cannot parse the policy document of {what}: {}", e.message),
    )
    .label(e.message.clone())
    .subject("parse-error")
    .limit_reached(e.limit)
}

struct Plan<'t> {
    text: &'t str,
    out: Extracted,
    done: HashSet<String>,
}

pub fn extract(root: &Node, text: &str) -> Extracted {
    let mut p = Plan {
        text,
        out: Extracted {
            recognised: true,
            ..Extracted::default()
        },
        done: HashSet::new(),
    };
    if let Some(m) = root
        .get("planned_values")
        .and_then(|v| v.get("root_module"))
    {
        p.module(m, 0);
    }
    let mut deleted = HashSet::new();
    for rc in root
        .get("resource_changes")
        .and_then(Node::as_array)
        .unwrap_or_default()
    {
        let Some(change) = rc.get("change") else {
            continue;
        };
        let addr = rc.get("address").and_then(Node::as_str).unwrap_or_default();
        let only_delete = change
            .get("actions")
            .and_then(Node::as_array)
            .is_some_and(|a| a.len() == 1 && a[0].as_str() == Some("delete"));
        if only_delete {
            deleted.insert(addr.to_owned());
            continue;
        }
        if let Some(after) = change.get("after").filter(|a| a.is_object()) {
            p.resource(rc, after, change.get("after_unknown"));
        }
    }
    for values in [
        root.get("prior_state").and_then(|s| s.get("values")),
        root.get("values"),
    ]
    .into_iter()
    .flatten()
    {
        if let Some(m) = values.get("root_module") {
            // A resource the plan deletes is not worth reporting.
            p.done.extend(deleted.iter().cloned());
            p.module(m, 0);
        }
    }
    let account = this_account(root);
    for d in &mut p.out.docs {
        if account.is_some() || d.this_account.is_none() {
            d.this_account.clone_from(&account);
        }
    }
    p.out
}

/// The account every `data.aws_caller_identity` of the plan reports, if
/// there is exactly one.
fn this_account(root: &Node) -> Option<String> {
    let mut found = std::collections::BTreeSet::new();
    let mut stack: Vec<(&Node, usize)> = [
        root.get("prior_state").and_then(|s| s.get("values")),
        root.get("planned_values"),
        root.get("values"),
    ]
    .into_iter()
    .flatten()
    .filter_map(|v| v.get("root_module"))
    .map(|m| (m, 0))
    .collect();
    while let Some((m, depth)) = stack.pop() {
        for r in m
            .get("resources")
            .and_then(Node::as_array)
            .unwrap_or_default()
        {
            let is_caller = r.get("mode").and_then(Node::as_str) == Some("data")
                && r.get("type").and_then(Node::as_str) == Some("aws_caller_identity");
            if let Some(a) = r
                .get("values")
                .and_then(|v| v.get("account_id"))
                .and_then(Node::as_str)
                .filter(|a| is_caller && a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
            {
                found.insert(a.to_owned());
            }
        }
        if depth < MAX_MODULE_DEPTH {
            for c in m
                .get("child_modules")
                .and_then(Node::as_array)
                .unwrap_or_default()
            {
                stack.push((c, depth + 1));
            }
        }
    }
    if found.len() == 1 {
        found.pop_first()
    } else {
        None
    }
}

impl Plan<'_> {
    fn module(&mut self, m: &Node, depth: usize) {
        if depth > MAX_MODULE_DEPTH {
            if !self
                .out
                .limits
                .iter()
                .any(|l| l.limit == Limit::PlanModuleDepth)
            {
                self.out.limits.push(LimitHit::new(
                    (
                        Limit::PlanModuleDepth,
                        crate::limit::value(MAX_MODULE_DEPTH),
                    ),
                    Some(m.span),
                    format!(
                        "modules are nested more than {MAX_MODULE_DEPTH} levels deep; \
                         the deeper ones were not checked"
                    ),
                ));
            }
            return;
        }
        for r in m
            .get("resources")
            .and_then(Node::as_array)
            .unwrap_or_default()
        {
            if let Some(values) = r.get("values").filter(|v| v.is_object()) {
                self.resource(r, values, None);
            }
        }
        for c in m
            .get("child_modules")
            .and_then(Node::as_array)
            .unwrap_or_default()
        {
            self.module(c, depth + 1);
        }
    }

    /// One resource (`r` has address/mode/type/name) with its values.
    fn resource(&mut self, r: &Node, values: &Node, unknown: Option<&Node>) {
        let text = |k: &str| r.get(k).and_then(Node::as_str).unwrap_or_default();
        if text("mode") == "data" {
            return;
        }
        let (ty, addr) = (text("type"), text("address"));
        let name = match text("name") {
            "" => addr.rsplit('.').next().unwrap_or(addr),
            n => n,
        };
        let is_policy = matches!(
            ty,
            "aws_iam_policy"
                | "aws_iam_role_policy"
                | "aws_iam_user_policy"
                | "aws_iam_group_policy"
        );
        if (ty != "aws_iam_role" && !is_policy) || !self.done.insert(addr.to_owned()) {
            return;
        }
        let is_unknown = |k: &str| {
            unknown
                .and_then(|u| u.get(k))
                .is_some_and(|v| matches!(v.kind, Kind::Bool(true)))
        };
        // The IAM name, when the plan knows it, names the role in messages
        // (the Terraform address stays the resource).
        let name = values
            .get("name")
            .and_then(Node::as_str)
            .filter(|n| !n.trim().is_empty() && !is_unknown("name"))
            .unwrap_or(name);
        // A role that exists already has its ARN in the plan: its account
        // is *this account*, as in an account export.
        let own_account = (ty == "aws_iam_role" && !is_unknown("arn"))
            .then(|| values.get("arn").and_then(Node::as_str))
            .flatten()
            .and_then(arn_account);
        let doc = |kind, doc_name: String| Document {
            kind: Some(kind),
            name: Some(doc_name),
            resource: Some(addr.to_owned()),
            this_account: own_account.clone(),
            ..Document::default()
        };
        if ty == "aws_iam_role" {
            if !is_unknown("assume_role_policy") {
                if let Some(v) = values.get("assume_role_policy") {
                    self.policy(v, doc(DocKind::Trust, name.to_owned()), addr);
                }
            }
            if let Some(v) = values.get("max_session_duration") {
                if !is_unknown("max_session_duration") && !matches!(v.kind, Kind::Null) {
                    self.out.settings.push(Setting {
                        kind: SettingKind::MaxSessionDuration,
                        key: "max_session_duration".to_owned(),
                        node: v.clone(),
                        name: Some(name.to_owned()),
                        resource: Some(addr.to_owned()),
                        variant: None,
                        target: None,
                    });
                }
            }
            for ip in values
                .get("inline_policy")
                .and_then(Node::as_array)
                .unwrap_or_default()
            {
                let pname = ip
                    .get("name")
                    .and_then(Node::as_str)
                    .map_or_else(|| name.to_owned(), |p| format!("{name}/{p}"));
                if let Some(v) = ip.get("policy") {
                    self.policy(v, doc(DocKind::Identity, pname), addr);
                }
            }
        } else if !is_unknown("policy") {
            if let Some(v) = values.get("policy") {
                self.policy(v, doc(DocKind::Identity, name.to_owned()), addr);
            }
        }
    }

    fn policy(&mut self, v: &Node, mut doc: Document, addr: &str) {
        match &v.kind {
            Kind::Str(s) if s.trim().is_empty() => {}
            Kind::Str(_) => match parse_json_string(self.text, v.span) {
                Ok(node) => {
                    doc.node = node;
                    self.out.docs.push(doc);
                }
                Err(e) => self
                    .out
                    .diagnostics
                    .push(embedded_error(e, &format!("`{addr}`"))),
            },
            // Some tools write the document as an object.
            Kind::Obj(_) => {
                doc.node = v.clone();
                self.out.docs.push(doc);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn span_text(text: &str, s: Span) -> &str {
        text.get(s.range()).unwrap_or("")
    }

    const PLAN: &str = r#"{
  "format_version": "1.2",
  "planned_values": {"root_module": {
    "resources": [{"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
      "values": {"assume_role_policy": "{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"}}],\"Version\":\"2012-10-17\"}", "max_session_duration": 3600}}],
    "child_modules": [{"address": "module.m", "resources": [
      {"address": "module.m.aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "name": "p",
       "values": {"policy": "{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Resource\":\"*\"}]}"}}]}]
  }},
  "resource_changes": [
    {"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
     "change": {"actions": ["create"], "after": {"assume_role_policy": "{\"Statement\":[]}"}, "after_unknown": {}}},
    {"address": "aws_iam_role.u", "mode": "managed", "type": "aws_iam_role", "name": "u",
     "change": {"actions": ["create"], "after": {}, "after_unknown": {"assume_role_policy": true}}}
  ]
}"#;

    #[test]
    fn each_address_once_with_spans_inside_the_string() {
        let root = crate::load::json::parse(PLAN).unwrap();
        assert!(is_plan(&root));
        let ex = extract(&root, PLAN);
        assert_eq!(ex.docs.len(), 2);
        assert_eq!(ex.settings.len(), 1);
        let st = &ex.docs[0]
            .node
            .get("Statement")
            .unwrap()
            .as_array()
            .unwrap()[0];
        let aws = st.get("Principal").unwrap().get("AWS").unwrap();
        assert_eq!(span_text(PLAN, aws.span), r#"\"*\""#);
        assert_eq!(
            ex.docs[1].resource.as_deref(),
            Some("module.m.aws_iam_policy.p")
        );
    }

    #[test]
    fn caller_identity_gives_this_account() {
        let text = r#"{"format_version":"1.2","prior_state":{"values":{"root_module":{"resources":[{"address":"data.aws_caller_identity.current","mode":"data","type":"aws_caller_identity","name":"current","values":{"account_id":"111122223333"}}]}}},"planned_values":{"root_module":{"resources":[{"address":"aws_iam_role.x","mode":"managed","type":"aws_iam_role","name":"x","values":{"assume_role_policy":"{}"}}]}}}"#;
        let root = crate::load::json::parse(text).unwrap();
        let ex = extract(&root, text);
        assert_eq!(ex.docs[0].this_account.as_deref(), Some("111122223333"));
    }

    #[test]
    fn broken_policy_string_is_tl001() {
        let text = r#"{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"aws_iam_role.x","type":"aws_iam_role","name":"x","values":{"assume_role_policy":"{\"Statement\": ["}}]}}}"#;
        let root = crate::load::json::parse(text).unwrap();
        let ex = extract(&root, text);
        assert_eq!(ex.diagnostics.len(), 1);
        assert_eq!(ex.diagnostics[0].rule.id, "TL001");
    }
}
