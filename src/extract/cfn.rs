//! CloudFormation and SAM templates (JSON and YAML), SPEC §1.
//!
//! What this module owns:
//! - recognising a template ([`is_template`]);
//! - finding policy documents and role settings in resources:
//!   `AWS::IAM::Role` (AssumeRolePolicyDocument, Policies[].PolicyDocument,
//!   MaxSessionDuration), the `AWS::IAM::*Policy` resources
//!   (PolicyDocument), and `AWS::Serverless::Function`
//!   (AssumeRolePolicyDocument, inline Policies documents);
//! - resolving intrinsic functions symbolically ([`Resolver`]): `Ref` to
//!   parameters with a `Default` and to pseudo parameters, `Fn::Sub`,
//!   `Fn::Join`, `Fn::FindInMap`, `Fn::Select`, `Fn::Split`, and `Fn::If`
//!   (each branch: one document per truth assignment of the conditions a
//!   document uses, up to [`MAX_CONDITIONS`]). Everything else becomes
//!   [`Kind::Unknown`]; rules never report on a guess;
//! - policy documents written as JSON strings (literal, `Fn::Sub`,
//!   `Fn::Join`), parsed with their spans mapped back into the file;
//! - `Metadata.trustlint.ignore` suppressions (SPEC §5).
//!
//! To support another resource type, add a branch in
//! [`Extractor::resource`]; to resolve another intrinsic, add a branch in
//! [`Resolver::intrinsic`] (and in [`Resolver::string`] if it yields text).

use std::collections::{BTreeSet, HashSet};

use super::{Budget, Document, Extracted, Setting, SettingKind, Variant};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::{Scope, Suppression};
use crate::limit::{Limit, LimitHit};
use crate::load::{ParseError, MAX_DEPTH};
use crate::policy::DocKind;
use crate::source::Span;
use crate::tree::{
    has_unknown, query, Entry, KeyIndex, Kind, Node, Via, THIS_ACCOUNT, UNKNOWN_PART,
};

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

/// Literal text of a `Fn::Sub` template, with each dynamic reference
/// (`{{resolve:ssm:…}}`, resolved by CloudFormation at deploy time)
/// unknown.
fn dynamic_references(tpl: &Mapped, from: usize, to: usize, at: Span) -> Mapped {
    let text = &tpl.text[from..to];
    let mut out = Mapped::default();
    let mut i = 0;
    while let Some(rel) = text[i..].find(DYNAMIC_REFERENCE) {
        let start = i + rel;
        let Some(close) = text[start..].find("}}") else {
            break;
        };
        let end = start + close + 2;
        out.append(slice(tpl, from + i, from + start));
        out.push(UNKNOWN_PART, tpl.span(from + start, from + end, at));
        i = end;
    }
    out.append(slice(tpl, from + i, to));
    out
}

/// A literal string with each dynamic reference replaced by the unknown
/// marker (an unterminated one is left as written).
fn without_dynamic_references(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find(DYNAMIC_REFERENCE) {
        let Some(close) = rest[start..].find("}}") else {
            break;
        };
        out.push_str(&rest[..start]);
        out.push_str(UNKNOWN_PART);
        rest = &rest[start + close + 2..];
    }
    out.push_str(rest);
    out
}

/// Is this parsed file a CloudFormation / SAM template?
pub fn is_template(root: &Node) -> bool {
    if !root.is_object() {
        return false;
    }
    root.entry("AWSTemplateFormatVersion").is_some()
        || query(root, "$.Resources.*.Type")
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
        } else if super::raw::is_raw_policy(root) {
            let raw = super::raw::extract(root);
            out.recognised = true;
            out.docs.extend(raw.docs);
        }
    }
    Ok(out)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Syntax {
    Json,
    Yaml,
}

/// Walks a template's resources and emits documents, settings and
/// suppressions.
struct Extractor<'a> {
    template: Template<'a>,
    out: &'a mut Extracted,
    groups: &'a mut u32,
    /// The StackSet a nested template belongs to (`Outer` in `Outer/Role`),
    /// and how deep templates are nested.
    prefix: Option<String>,
    nesting: usize,
}

/// Templates nested in StackSet `TemplateBody` strings are followed this deep.
const MAX_NESTING: usize = 2;

impl<'a> Extractor<'a> {
    fn new(
        root: &'a Node,
        sections: &'a Sections<'a>,
        text: &'a str,
        syntax: Syntax,
        out: &'a mut Extracted,
        groups: &'a mut u32,
        budget: &'a Budget,
    ) -> Self {
        Extractor {
            template: Template {
                root,
                text,
                syntax,
                budget,
                level: 0,
                sections,
            },
            out,
            groups,
            prefix: None,
            nesting: 0,
        }
    }

    fn run(&mut self) {
        let Some(resources) = self.template.root.get("Resources") else {
            return;
        };
        for res in resources.entries() {
            self.metadata(res);
            self.resource(res);
        }
        // A value nested too deeply to resolve, in this template.
        if let Some((level, at)) = self.template.budget.depth_hit() {
            if level == self.template.level
                && !self
                    .out
                    .limits
                    .iter()
                    .any(|l| l.limit == Limit::ResolveDepth)
            {
                self.out.limits.push(LimitHit::new(
                    (Limit::ResolveDepth, crate::limit::value(MAX_RESOLVE_DEPTH)),
                    Some(at),
                    format!(
                        "a value is nested more than {MAX_RESOLVE_DEPTH} levels deep once \
                         resolved; it was treated as unknown"
                    ),
                ));
            }
        }
        // The copy budget ran out in this template (not a nested one).
        if let Some((level, at)) = self.template.budget.hit() {
            if level == self.template.level
                && !self
                    .out
                    .diagnostics
                    .iter()
                    .any(|d| d.subject == "resolve-budget")
            {
                self.out
                    .diagnostics
                    .push(super::budget_diagnostic(at, "template"));
            }
        }
    }

    fn resource(&mut self, res: &'a Entry) {
        let label = match &self.prefix {
            Some(p) => format!("{p}/{}", res.key),
            None => res.key.clone(),
        };
        let id = label.as_str();
        let Some(ty) = res.value.get("Type").and_then(Node::as_str) else {
            return;
        };
        let Some(props) = res.value.get("Properties").filter(|p| p.is_object()) else {
            return;
        };
        match ty {
            "AWS::IAM::Role" => {
                if let Some(doc) = props.get("AssumeRolePolicyDocument") {
                    self.document_site(doc, DocKind::Trust, id, id);
                }
                if let Some(policies) = props.get("Policies") {
                    self.role_policies(policies, id);
                }
                if let Some(e) = props.entry("MaxSessionDuration") {
                    self.setting_site(e, id);
                }
            }
            "AWS::IAM::Policy"
            | "AWS::IAM::ManagedPolicy"
            | "AWS::IAM::RolePolicy"
            | "AWS::IAM::UserPolicy"
            | "AWS::IAM::GroupPolicy" => {
                if let Some(doc) = props.get("PolicyDocument") {
                    self.document_site(doc, DocKind::Identity, id, id);
                }
            }
            "AWS::Serverless::Function" => {
                if let Some(doc) = props.get("AssumeRolePolicyDocument") {
                    self.document_site(doc, DocKind::Trust, id, id);
                }
                if let Some(policies) = props.get("Policies") {
                    self.sam_policies(policies, id);
                }
            }
            "AWS::CloudFormation::StackSet" => {
                if let Some(body) = props.get("TemplateBody") {
                    if self.nesting < MAX_NESTING {
                        self.nested(body, id);
                    } else if body.as_str().is_some_and(|t| t.contains("AWS::")) {
                        self.out.limits.push(LimitHit::new(
                            (Limit::NestedTemplates, crate::limit::value(MAX_NESTING)),
                            Some(body.span),
                            format!(
                                "the template of StackSet `{id}` is nested more than \
                                 {MAX_NESTING} levels deep; it was not checked"
                            ),
                        ));
                    }
                }
            }
            _ => {}
        }
    }

    /// A StackSet's `TemplateBody` written inline (a YAML block or a JSON
    /// string) is a template too: the roles it creates in every target
    /// account are often exactly the cross-account trust to check.
    fn nested(&mut self, body: &Node, id: &str) {
        let Some(s) = body.as_str() else {
            return;
        };
        let r = Resolver::new(self.template, Vec::new(), true);
        let m = r.literal(body, s);
        let json = m.text.trim_start().starts_with('{');
        let root = if json {
            crate::load::json::parse(&m.text).ok()
        } else {
            crate::load::yaml::parse(&m.text)
                .ok()
                .and_then(|d| d.into_iter().next())
        };
        let Some(root) = root.filter(is_template) else {
            return;
        };
        let mut inner = Extracted::default();
        let syntax = if json { Syntax::Json } else { Syntax::Yaml };
        let sections = Sections::new(&root);
        let mut ex = Extractor::new(
            &root,
            &sections,
            &m.text,
            syntax,
            &mut inner,
            self.groups,
            self.template.budget,
        );
        ex.prefix = Some(id.to_owned());
        ex.nesting = self.nesting + 1;
        ex.template.level = ex.nesting;
        ex.run();
        let fallback = body.span;
        let f = |sp: Span| m.span(sp.start as usize, sp.end as usize, fallback);
        for mut d in inner.docs {
            map_spans(&mut d.node, &f, 0);
            self.out.docs.push(d);
        }
        for mut st in inner.settings {
            map_spans(&mut st.node, &f, 0);
            self.out.settings.push(st);
        }
        for mut l in inner.limits {
            l.span = l.span.map(f);
            self.out.limits.push(l);
        }
        for mut d in inner.diagnostics {
            d.primary.span = f(d.primary.span);
            for l in &mut d.secondary {
                l.span = f(l.span);
            }
            self.out.diagnostics.push(d);
        }
        for mut s in inner.suppressions {
            s.span = f(s.span);
            if let Scope::Range(r) = s.scope {
                s.scope = Scope::Range(f(r));
            }
            self.out.suppressions.push(s);
        }
    }

    /// Run `f` once per truth assignment of the conditions `raw` uses (or
    /// once, with no variant, when it uses none or too many).
    fn variants(
        &mut self,
        raw: &Node,
        mut f: impl FnMut(&mut Self, &Resolver<'_>, Option<Variant>),
    ) {
        let mut names = BTreeSet::new();
        let mut ordered = Vec::new();
        collect_conditions(raw, &mut names, &mut ordered, 0);
        let template = self.template;
        if ordered.is_empty() {
            f(self, &Resolver::new(template, Vec::new(), false), None);
            return;
        }
        *self.groups += 1;
        let group = *self.groups;
        if ordered.len() > MAX_CONDITIONS {
            // Past the limit: two passes, and both branches of an `Fn::If`
            // in a list in each (the union), so every principal and
            // condition value is analysed; the summary says so.
            self.out.limits.push(LimitHit::new(
                (
                    Limit::TemplateConditions,
                    crate::limit::value(MAX_CONDITIONS),
                ),
                Some(raw.span),
                format!(
                    "the document uses {} template conditions, more than the {MAX_CONDITIONS} \
                     checked branch by branch; the union of every `Fn::If`'s branches was analysed",
                    ordered.len()
                ),
            ));
            for first in [true, false] {
                let when = format!(
                    "when every `Fn::If` takes its {} branch",
                    if first { "first" } else { "second" }
                );
                let variant = Variant {
                    group,
                    count: 2,
                    when,
                };
                let mut r = Resolver::new(template, Vec::new(), false);
                r.union = Some(first);
                f(self, &r, Some(variant));
            }
            return;
        }
        // Only the assignments the template allows (`NotProd` is never
        // true with `IsProd`).
        let all: Vec<Vec<(String, bool)>> = (0..1u32 << ordered.len())
            .map(|mask| {
                ordered
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (n.clone(), mask & (1 << i) == 0))
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut assignments: Vec<Vec<(String, bool)>> = all
            .iter()
            .filter(|assign| {
                super::cfn_conditions::feasible(
                    template.root,
                    assign,
                    &template.budget.condition_steps,
                )
            })
            .cloned()
            .collect();
        // A self-contradictory template (`A: !Not [!Condition A]`) rules
        // out everything: check every assignment rather than none.
        if assignments.is_empty() {
            assignments = all;
        }
        let count = u32::try_from(assignments.len()).unwrap_or(u32::MAX);
        for assign in assignments {
            let when = format!(
                "when {}",
                assign
                    .iter()
                    .map(|(n, v)| format!("condition `{n}` is {v}"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            );
            let variant = Variant { group, count, when };
            f(self, &Resolver::new(template, assign, false), Some(variant));
        }
    }

    fn document_site(&mut self, raw: &Node, kind: DocKind, name: &str, resource: &str) {
        self.variants(raw, |this, r, variant| {
            this.document(r, raw, kind, name.to_owned(), resource, variant);
        });
    }

    /// One policy document value, resolved under one assignment.
    fn document(
        &mut self,
        r: &Resolver<'_>,
        raw: &Node,
        kind: DocKind,
        name: String,
        resource: &str,
        variant: Option<Variant>,
    ) {
        let Some(sel) = r.select(raw, 0) else {
            return;
        };
        let Some(node) = r.resolve(sel, 0) else {
            return;
        };
        let node = match &node.kind {
            Kind::Obj(_) => node,
            Kind::Str(_) => match r.string(sel, 0) {
                Some(s) => match parse_embedded(&s, sel.span) {
                    Ok(n) => n,
                    Err(e) => {
                        // An unknown part that stands for a whole value
                        // may be why it does not parse; one inside a
                        // string cannot be.
                        if !unknown_outside_strings(&s.text) {
                            self.out.diagnostics.push(
                                Diagnostic::new(
                                    &crate::diagnostic::PARSE_ERROR,
                                    e.span,
                                    format!(
                                        "cannot parse the policy document of `{name}`: {}",
                                        e.message
                                    ),
                                )
                                .label(e.message.clone())
                                .subject("parse-error")
                                .limit_reached(e.limit)
                                .resource(Some(resource.to_owned())),
                            );
                        }
                        return;
                    }
                },
                None => return,
            },
            // Unknown (GetAtt, parameter without a default, …) or not a
            // document at all: nothing to check.
            _ => return,
        };
        self.out.docs.push(Document {
            node,
            kind: Some(kind),
            name: Some(name),
            resource: Some(resource.to_owned()),
            this_account: None,
            variant,
            session: false,
        });
    }

    /// `Policies` of an `AWS::IAM::Role`: each element (or the whole value,
    /// when it is not a literal list) is evaluated on its own conditions.
    fn role_policies(&mut self, policies: &Node, id: &str) {
        for site in policies.one_or_many() {
            self.variants(site, |this, r, variant| {
                let Some(sel) = r.select(site, 0) else {
                    return;
                };
                for item in sel.one_or_many() {
                    let Some(item) = r.select(item, 0) else {
                        continue;
                    };
                    let Some(doc) = item.get("PolicyDocument") else {
                        continue;
                    };
                    let name = item
                        .get("PolicyName")
                        .and_then(|n| r.resolve(n, 0))
                        .and_then(|n| n.as_str().map(str::to_owned))
                        .filter(|n| !has_marker(n))
                        .map_or_else(|| id.to_owned(), |n| format!("{id}/{n}"));
                    this.document(r, doc, DocKind::Identity, name, id, variant.clone());
                }
            });
        }
    }

    /// SAM `Policies`: a managed policy name, a policy template, a policy
    /// document, or a list of these. Only policy documents are checked.
    fn sam_policies(&mut self, policies: &Node, id: &str) {
        for site in policies.one_or_many() {
            self.variants(site, |this, r, variant| {
                let Some(sel) = r.select(site, 0) else {
                    return;
                };
                for item in sel.one_or_many() {
                    let Some(item) = r.select(item, 0) else {
                        continue;
                    };
                    if item.entry("Statement").is_some() {
                        this.document(
                            r,
                            item,
                            DocKind::Identity,
                            id.to_owned(),
                            id,
                            variant.clone(),
                        );
                    }
                }
            });
        }
    }

    fn setting_site(&mut self, e: &Entry, id: &str) {
        self.variants(&e.value, |this, r, variant| {
            let Some(node) = r.resolve(&e.value, 0) else {
                return;
            };
            this.out.settings.push(Setting {
                kind: SettingKind::MaxSessionDuration,
                key: e.key.clone(),
                node,
                name: Some(id.to_owned()),
                resource: Some(id.to_owned()),
                variant,
                target: None,
            });
        });
    }

    /// `Metadata: { trustlint: { ignore: [ { id: TL102, reason: … } ] } }`
    /// suppresses findings inside the resource.
    fn metadata(&mut self, res: &Entry) {
        let Some(ignore) = res
            .value
            .get("Metadata")
            .and_then(|m| m.get("trustlint"))
            .and_then(|t| t.get("ignore"))
        else {
            return;
        };
        let scope = Scope::Range(res.key_span.cover(res.value.span));
        for item in ignore.one_or_many() {
            let (ids, reason) = match &item.kind {
                Kind::Str(s) => (vec![s.clone()], None),
                Kind::Obj(_) => {
                    let ids = item
                        .get("id")
                        .or_else(|| item.get("ids"))
                        .map(|v| {
                            v.one_or_many()
                                .iter()
                                .filter_map(Node::scalar_text)
                                .collect::<Vec<_>>()
                        })
                        .unwrap_or_default();
                    let reason = item
                        .get("reason")
                        .and_then(Node::scalar_text)
                        .filter(|r| !r.trim().is_empty());
                    (ids, reason)
                }
                _ => continue,
            };
            if ids.is_empty() {
                continue;
            }
            self.out.suppressions.push(Suppression {
                rules: ids,
                reason,
                scope: scope.clone(),
                span: item.span,
            });
        }
    }
}

/// Collect the names of the conditions `Fn::If` uses under `n`, in order of
/// first appearance.
fn collect_conditions(n: &Node, seen: &mut BTreeSet<String>, out: &mut Vec<String>, depth: usize) {
    if depth > MAX_RESOLVE_DEPTH {
        return;
    }
    match &n.kind {
        Kind::Obj(entries) => {
            if let [e] = entries.as_slice() {
                if e.key == "Fn::If" {
                    if let Some(name) = e
                        .value
                        .as_array()
                        .and_then(|a| a.first())
                        .and_then(Node::as_str)
                    {
                        if seen.insert(name.to_owned()) {
                            out.push(name.to_owned());
                        }
                    }
                }
            }
            for e in entries {
                collect_conditions(&e.value, seen, out, depth + 1);
            }
        }
        Kind::Arr(items) => {
            for i in items {
                collect_conditions(i, seen, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// `Ref` and `Condition` targets under a node (`${Param}` in `Fn::Sub` too).
fn collect_refs(n: &Node, out: &mut Vec<(String, String)>, depth: usize) {
    if depth > MAX_RESOLVE_DEPTH {
        return;
    }
    match &n.kind {
        Kind::Obj(entries) => {
            for e in entries {
                match (e.key.as_str(), e.value.as_str()) {
                    ("Ref" | "Condition", Some(t)) => out.push((e.key.clone(), t.to_owned())),
                    ("Fn::Sub", Some(t)) => {
                        for part in t.split("${").skip(1) {
                            if let Some((name, _)) = part.split_once('}') {
                                out.push(("Ref".to_owned(), name.to_owned()));
                            }
                        }
                    }
                    _ => collect_refs(&e.value, out, depth + 1),
                }
            }
        }
        Kind::Arr(items) => items.iter().for_each(|i| collect_refs(i, out, depth + 1)),
        _ => {}
    }
}

/// The parts of the template resolution reads.
#[derive(Clone, Copy)]
struct Template<'a> {
    root: &'a Node,
    text: &'a str,
    syntax: Syntax,
    /// The file's copy budget, shared with nested templates.
    budget: &'a Budget,
    /// How deep this template is nested (0: the file itself).
    level: usize,
    /// The template's sections by name, looked up once per use.
    sections: &'a Sections<'a>,
}

/// A template's top-level sections, indexed by key (a template of
/// 100,000 parameters each used once was quadratic, issue 11).
struct Sections<'a> {
    parameters: KeyIndex<'a>,
    mappings: KeyIndex<'a>,
    conditions: KeyIndex<'a>,
    resources: KeyIndex<'a>,
}

impl<'a> Sections<'a> {
    fn new(root: &'a Node) -> Self {
        Sections {
            parameters: KeyIndex::new(root.get("Parameters")),
            mappings: KeyIndex::new(root.get("Mappings")),
            conditions: KeyIndex::new(root.get("Conditions")),
            resources: KeyIndex::new(root.get("Resources")),
        }
    }
}

impl<'a> Template<'a> {
    /// Spend the copy budget for a value pasted at `at`.
    fn charge(&self, bytes: usize, at: Span) -> bool {
        self.budget.charge(bytes, self.level, at)
    }

    fn parameter(&self, name: &str) -> Option<&'a Node> {
        self.sections.parameters.get(name)
    }

    fn mapping(&self, name: &str) -> Option<&'a Node> {
        self.sections.mappings.get(name)
    }

    fn condition(&self, name: &str) -> Option<&'a Node> {
        self.sections.conditions.get(name)
    }
}

/// A resolved string with, for each byte, the source span it came from.
#[derive(Clone, Debug, Default)]
struct Mapped {
    text: String,
    map: Vec<Span>,
    /// The first parameter default the text came from.
    via: Option<Via>,
}

impl Mapped {
    fn push(&mut self, s: &str, at: Span) {
        self.text.push_str(s);
        self.map.extend(std::iter::repeat_n(at, s.len()));
    }

    fn append(&mut self, other: Mapped) {
        self.text.push_str(&other.text);
        self.map.extend(other.map);
        if self.via.is_none() {
            self.via = other.via;
        }
    }

    fn unknown(at: Span) -> Mapped {
        let mut m = Mapped::default();
        m.push(UNKNOWN_PART, at);
        m
    }

    /// The source span covering decoded bytes `start..end`.
    fn span(&self, start: usize, end: usize, fallback: Span) -> Span {
        match (
            self.map.get(start),
            end.checked_sub(1).and_then(|e| self.map.get(e)),
        ) {
            (Some(s), Some(e)) if end > start => Span {
                start: s.start,
                end: e.end.max(s.start),
            },
            (Some(s), _) => Span {
                start: s.start,
                end: s.start,
            },
            _ => fallback,
        }
    }
}

/// Resolves intrinsic functions under one truth assignment of conditions.
struct Resolver<'a> {
    t: Template<'a>,
    assign: Vec<(String, bool)>,
    /// Conditions are not decided: every `Fn::If` is unknown.
    if_unknown: bool,
    /// Past [`MAX_CONDITIONS`]: every `Fn::If` takes its first (`true`)
    /// or second branch, and one that is a list item yields both.
    union: Option<bool>,
    /// Parameters whose default cannot hold under this assignment (a
    /// condition on them is assumed to differ from its value with the
    /// defaults): they are unknown.
    masked: HashSet<String>,
    /// Steps spent evaluating conditions: `Condition` references can form
    /// a diamond-shaped (or cyclic) graph, so the work is bounded.
    work: std::cell::Cell<u32>,
}

/// At most this many steps are spent evaluating conditions per document.
const CONDITION_WORK: u32 = 10_000;

/// Does resolved text depend on the deployment (this account or an
/// unknown part)?
fn has_marker(s: &str) -> bool {
    s.contains(['\u{E000}', '\u{E001}'])
}

fn is_intrinsic(key: &str) -> bool {
    key == "Ref" || key.starts_with("Fn::")
}

/// The single intrinsic call a node is, if it is one.
fn as_call(n: &Node) -> Option<(&str, &Node)> {
    match &n.kind {
        Kind::Obj(entries) => match entries.as_slice() {
            [e] if is_intrinsic(&e.key) => Some((e.key.as_str(), &e.value)),
            _ => None,
        },
        _ => None,
    }
}

/// `!GetAtt Role.Arn`, `!ImportValue …`: the text of an unknown value.
fn describe(func: &str, arg: &Node) -> String {
    let short = func.strip_prefix("Fn::").unwrap_or(func);
    let arg = match &arg.kind {
        Kind::Str(s) => s.clone(),
        Kind::Arr(items) if items.iter().all(|i| i.as_str().is_some()) => items
            .iter()
            .filter_map(Node::as_str)
            .collect::<Vec<_>>()
            .join(if short == "GetAtt" { "." } else { ", " }),
        _ => "…".to_owned(),
    };
    format!("!{short} {arg}")
}

fn is_list_type(ty: &str) -> bool {
    ty == "CommaDelimitedList" || ty.starts_with("List<")
}

impl<'a> Resolver<'a> {
    fn new(t: Template<'a>, assign: Vec<(String, bool)>, if_unknown: bool) -> Self {
        let mut masked = HashSet::new();
        if !assign.is_empty() {
            let base = Resolver {
                t,
                assign: Vec::new(),
                if_unknown: true,
                union: None,
                masked: HashSet::new(),
                work: std::cell::Cell::new(0),
            };
            for (name, value) in &assign {
                // `HasTrustedAccount` is false with the default "" of
                // `TrustedAccount`; in its true branch that default is not
                // the value, so the parameter is unknown there.
                if base.condition(name, 0) == Some(!*value) {
                    let mut seen = BTreeSet::new();
                    base.condition_parameters(name, &mut seen, &mut masked, 0);
                }
            }
        }
        Resolver {
            t,
            assign,
            if_unknown,
            union: None,
            masked,
            work: std::cell::Cell::new(0),
        }
    }

    /// A condition's value with every parameter at its default; `None`
    /// when it depends on anything else.
    fn condition(&self, name: &str, depth: usize) -> Option<bool> {
        let def = self.t.condition(name)?;
        self.condition_value(def, depth + 1)
    }

    fn condition_value(&self, n: &Node, depth: usize) -> Option<bool> {
        self.work.set(self.work.get().saturating_add(1));
        if depth > MAX_RESOLVE_DEPTH
            || self.work.get() > CONDITION_WORK
            || !super::cfn_conditions::spend(&self.t.budget.condition_steps, 1)
        {
            return None;
        }
        let (func, arg) = match &n.kind {
            Kind::Obj(entries) => match entries.as_slice() {
                [e] => (e.key.as_str(), &e.value),
                _ => return None,
            },
            _ => return None,
        };
        let args = || arg.as_array().unwrap_or(&[]);
        match func {
            "Condition" => self.condition(arg.as_str()?, depth + 1),
            "Fn::Not" => match args() {
                [c] => self.condition_value(c, depth + 1).map(|v| !v),
                _ => None,
            },
            "Fn::Equals" => {
                let [a, b] = args() else {
                    return None;
                };
                let text = |x: &Node| {
                    self.resolve(x, depth + 1)
                        .and_then(|v| v.scalar_text())
                        .filter(|s| !has_marker(s))
                };
                Some(text(a)? == text(b)?)
            }
            "Fn::And" | "Fn::Or" => {
                let all = func == "Fn::And";
                let mut undecided = false;
                for c in args() {
                    match self.condition_value(c, depth + 1) {
                        Some(v) if v != all => return Some(v),
                        Some(_) => {}
                        None => undecided = true,
                    }
                }
                if undecided {
                    None
                } else {
                    Some(all)
                }
            }
            _ => None,
        }
    }

    /// The template parameters a condition reads, through other conditions.
    fn condition_parameters(
        &self,
        name: &str,
        seen: &mut BTreeSet<String>,
        out: &mut HashSet<String>,
        depth: usize,
    ) {
        if depth > MAX_RESOLVE_DEPTH || !seen.insert(name.to_owned()) {
            return;
        }
        let Some(def) = self.t.condition(name) else {
            return;
        };
        let mut refs = Vec::new();
        collect_refs(def, &mut refs, 0);
        for (key, target) in refs {
            if key == "Condition" {
                self.condition_parameters(&target, seen, out, depth + 1);
            } else if self.t.parameter(&target).is_some() {
                out.insert(target);
            }
        }
    }

    /// The branch an `Fn::If` takes, if this assignment decides it.
    fn branch<'n>(&self, arg: &'n Node) -> Result<&'n Node, ()> {
        let [cond, yes, no] = arg.as_array().ok_or(())? else {
            return Err(());
        };
        if self.if_unknown {
            return Err(());
        }
        if let Some(first) = self.union {
            return Ok(if first { yes } else { no });
        }
        let name = cond.as_str().ok_or(())?;
        let (_, value) = self.assign.iter().find(|(n, _)| n == name).ok_or(())?;
        Ok(if *value { yes } else { no })
    }

    /// Follow `Fn::If` and drop `AWS::NoValue` structurally, keeping the
    /// template node (so string documents keep their source text).
    fn select<'n>(&self, n: &'n Node, depth: usize) -> Option<&'n Node> {
        if depth > MAX_RESOLVE_DEPTH {
            return Some(n);
        }
        match as_call(n) {
            Some(("Fn::If", arg)) => match self.branch(arg) {
                Ok(b) => self.select(b, depth + 1),
                Err(()) => Some(n),
            },
            Some(("Ref", arg)) if arg.as_str() == Some("AWS::NoValue") => None,
            _ => Some(n),
        }
    }

    /// Resolve a value; `None` is `AWS::NoValue` (the element is removed).
    fn resolve(&self, n: &Node, depth: usize) -> Option<Node> {
        if depth > MAX_RESOLVE_DEPTH {
            self.t.budget.too_deep(self.t.level, n.span);
            return Some(Node::unknown(n.span, "a value nested too deeply"));
        }
        if let Some((func, arg)) = as_call(n) {
            return self.intrinsic(func, arg, n, depth);
        }
        match &n.kind {
            Kind::Obj(entries) => {
                let entries = entries
                    .iter()
                    .filter_map(|e| {
                        self.entry_value(&e.key, &e.value, depth + 1)
                            .map(|value| Entry {
                                key: e.key.clone(),
                                key_span: e.key_span,
                                value,
                            })
                    })
                    .collect();
                Some(Node {
                    span: n.span,
                    kind: Kind::Obj(entries),
                    via: n.via.clone(),
                })
            }
            Kind::Arr(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    self.item(i, depth + 1, &mut out);
                }
                let items = out;
                Some(Node {
                    span: n.span,
                    kind: Kind::Arr(items),
                    via: n.via.clone(),
                })
            }
            Kind::Str(s) if s.contains(DYNAMIC_REFERENCE) => Some(
                Node::str(n.span, without_dynamic_references(s))
                    .with_via(n.via.as_deref().cloned()),
            ),
            _ => Some(n.clone()),
        }
    }

    /// The value of an object entry. Past [`MAX_CONDITIONS`], an `Fn::If`
    /// that is a principal (`AWS`, `Service`, `Federated`,
    /// `CanonicalUser`) or a condition key's value (keys with a `:`)
    /// becomes the list of both branches' values: a list of principals
    /// or of condition values grants exactly the union of its items.
    fn entry_value(&self, key: &str, n: &Node, depth: usize) -> Option<Node> {
        let union_key =
            matches!(key, "AWS" | "Service" | "Federated" | "CanonicalUser") || key.contains(':');
        if self.union.is_none()
            || !union_key
            || depth > MAX_RESOLVE_DEPTH
            || !matches!(as_call(n), Some(("Fn::If", _)))
        {
            return self.resolve(n, depth);
        }
        let mut items = Vec::new();
        self.branches(n, depth, &mut items);
        match items.len() {
            0 => None,
            1 => items.pop(),
            _ => Some(Node {
                span: n.span,
                kind: Kind::Arr(items),
                via: n.via.clone(),
            }),
        }
    }

    /// The values of every branch of nested `Fn::If`s, lists flattened.
    fn branches(&self, n: &Node, depth: usize, out: &mut Vec<Node>) {
        if depth <= MAX_RESOLVE_DEPTH {
            if let Some(("Fn::If", arg)) = as_call(n) {
                if let Some([_, yes, no]) = arg.as_array() {
                    self.branches(yes, depth + 1, out);
                    self.branches(no, depth + 1, out);
                    return;
                }
            }
        }
        match self.resolve(n, depth) {
            Some(Node {
                kind: Kind::Arr(items),
                ..
            }) => out.extend(items),
            Some(v) => out.push(v),
            None => {}
        }
    }

    /// A list item: resolved, dropped (`AWS::NoValue`), or, past
    /// [`MAX_CONDITIONS`], an `Fn::If`'s two branches as two items.
    fn item(&self, n: &Node, depth: usize, out: &mut Vec<Node>) {
        if depth <= MAX_RESOLVE_DEPTH && self.union.is_some() {
            if let Some(("Fn::If", arg)) = as_call(n) {
                if let Some([_, yes, no]) = arg.as_array() {
                    self.item(yes, depth + 1, out);
                    self.item(no, depth + 1, out);
                    return;
                }
            }
        }
        out.extend(self.resolve(n, depth));
    }

    fn intrinsic(&self, func: &str, arg: &Node, n: &Node, depth: usize) -> Option<Node> {
        let unknown = || Some(Node::unknown(n.span, describe(func, arg)));
        match func {
            "Ref" => match arg.as_str() {
                Some(name) => self.reference(name, n.span),
                None => unknown(),
            },
            "Fn::If" => match self.branch(arg) {
                Ok(b) => self.resolve(b, depth + 1),
                Err(()) => unknown(),
            },
            "Fn::Sub" | "Fn::Join" => {
                let m = self.string(n, depth)?;
                if m.text == UNKNOWN_PART {
                    return unknown();
                }
                Some(Node::str(n.span, m.text).with_via(m.via))
            }
            "Fn::FindInMap" => self.find_in_map(arg, n.span, depth).or_else(unknown),
            "Fn::GetAtt" => self.get_att(arg, n.span).or_else(unknown),
            "Fn::Select" => self.select_fn(arg, depth).or_else(unknown),
            "Fn::Split" => self.split_fn(arg, n.span, depth).or_else(unknown),
            _ => unknown(),
        }
    }

    /// `Fn::GetAtt [User, Arn]` of an IAM user (or role) of this template:
    /// a principal of this account whose name does not matter to the
    /// rules. Anything else is unknown (`None`).
    fn get_att(&self, arg: &Node, at: Span) -> Option<Node> {
        let (resource, attribute) = match &arg.kind {
            Kind::Arr(items) => match items.as_slice() {
                [r, a] => (r.as_str()?, a.as_str()?),
                _ => return None,
            },
            Kind::Str(s) => s.split_once('.')?,
            _ => return None,
        };
        if attribute != "Arn" {
            return None;
        }
        let ty = self
            .t
            .sections
            .resources
            .get(resource)?
            .get("Type")?
            .as_str()?;
        let what = match ty {
            "AWS::IAM::User" => "user",
            "AWS::IAM::Role" => "role",
            _ => return None,
        };
        Some(Node::str(at, super::same_stack_principal(what)))
    }

    /// `Fn::Select [index, list]`; `None` when it cannot be decided.
    fn select_fn(&self, arg: &Node, depth: usize) -> Option<Node> {
        let [index, list] = arg.as_array()? else {
            return None;
        };
        let index = self.resolve(index, depth + 1)?.scalar_text()?;
        let i = index.trim().parse::<usize>().ok()?;
        let list = self.resolve(list, depth + 1)?;
        list.as_array()?.get(i).cloned()
    }

    /// `Fn::Split [delimiter, text]`: each piece spans its source text.
    fn split_fn(&self, arg: &Node, at: Span, depth: usize) -> Option<Node> {
        let [delim, source] = arg.as_array()? else {
            return None;
        };
        let delim = self.resolve(delim, depth + 1)?;
        let d = delim
            .as_str()
            .filter(|d| !d.is_empty() && !has_unknown(d))?;
        let source = self.string(source, depth + 1)?;
        if has_unknown(&source.text) {
            return None;
        }
        let mut items = Vec::new();
        let mut start = 0;
        for piece in source.text.split(d) {
            let end = start + piece.len();
            items.push(Node::str(source.span(start, end, at), piece));
            start = end + d.len();
        }
        Some(Node::new(at, Kind::Arr(items)))
    }

    /// `Ref` to a pseudo parameter, a template parameter or a resource.
    fn reference(&self, name: &str, at: Span) -> Option<Node> {
        let unknown = || Some(Node::unknown(at, format!("!Ref {name}")));
        match name {
            "AWS::AccountId" => return Some(Node::str(at, THIS_ACCOUNT)),
            "AWS::Partition" => return Some(Node::str(at, "aws")),
            "AWS::URLSuffix" => return Some(Node::str(at, "amazonaws.com")),
            "AWS::NoValue" => return None,
            _ if name.starts_with("AWS::") => return unknown(),
            _ => {}
        }
        let Some(param) = self.t.parameter(name) else {
            // A resource: its physical ID is known only after deployment.
            return unknown();
        };
        if self.masked.contains(name) {
            return unknown();
        }
        let ty = param.get("Type").and_then(Node::as_str).unwrap_or("String");
        // SSM parameter types: the default is the parameter's *name*.
        if ty.starts_with("AWS::SSM::") {
            return unknown();
        }
        let Some(default) = param.get("Default") else {
            return unknown();
        };
        if !self.t.charge(super::weight(default), at) {
            return unknown();
        }
        let via = Via {
            span: default.span,
            label: format!("from parameter {name}'s default"),
        };
        if is_list_type(ty) {
            let text = default.scalar_text()?;
            let items = text
                .split(',')
                .map(|s| Node::str(at, s.trim()).with_via(Some(via.clone())))
                .collect();
            return Some(Node::new(at, Kind::Arr(items)).with_via(Some(via)));
        }
        match &default.kind {
            Kind::Str(_) | Kind::Num(_) | Kind::Bool(_) => Some(Node {
                span: at,
                kind: default.kind.clone(),
                via: Some(Box::new(via)),
            }),
            _ => unknown(),
        }
    }

    /// `Fn::FindInMap [Map, Top, Second]`. A key that cannot be resolved is
    /// still fine when every entry it could select holds the same value.
    fn find_in_map(&self, arg: &Node, at: Span, depth: usize) -> Option<Node> {
        let args = arg.as_array()?;
        let (map_name, top, second) = match args {
            [m, t, s] | [m, t, s, _] => (m, t, s),
            _ => return None,
        };
        // Keys chosen by parameter defaults are named in the label.
        let keyed_by = std::cell::RefCell::new(Vec::new());
        let key = |n: &Node| -> Option<Option<String>> {
            let v = self.resolve(n, depth + 1)?;
            let text = v.scalar_text().filter(|s| !has_marker(s));
            if let (Some(t), Some(via)) = (&text, &v.via) {
                keyed_by.borrow_mut().push(format!("`{t}` {}", via.label));
            }
            Some(text)
        };
        let map_name = key(map_name)??;
        let top = key(top)?;
        let second = key(second)?;
        let map = self.t.mapping(&map_name)?;
        let mut found: Vec<&Node> = Vec::new();
        let mut missing = false;
        let tops: Vec<&Node> = match &top {
            Some(t) => match map.get(t) {
                Some(v) => vec![v],
                None => {
                    missing = true;
                    Vec::new()
                }
            },
            None => map.entries().iter().map(|e| &e.value).collect(),
        };
        for t in tops {
            match &second {
                Some(s) => match t.get(s) {
                    Some(v) => found.push(v),
                    None => missing = true,
                },
                None => found.extend(t.entries().iter().map(|e| &e.value)),
            }
        }
        if missing {
            // Fn::FindInMap's DefaultValue (AWS::LanguageExtensions).
            if let Some(d) = args.get(3).and_then(|o| o.get("DefaultValue")) {
                if top.is_some() && second.is_some() {
                    return self.resolve(d, depth + 1);
                }
            }
            return None;
        }
        let first = *found.first()?;
        if found.iter().any(|v| *v != first) {
            return None;
        }
        let keyed_by = keyed_by.into_inner();
        let label = if keyed_by.is_empty() {
            format!("from mapping {map_name}")
        } else {
            format!("from mapping {map_name}, key {}", keyed_by.join(", key "))
        };
        let via = Via {
            span: first.span,
            label,
        };
        if !self.t.charge(super::weight(first), at) {
            return None;
        }
        let mut value = first.clone();
        respan(&mut value, at, 0);
        Some(value.with_via(Some(via)))
    }

    /// Resolve a value to text, keeping for each byte where it came from.
    /// Unknown parts become [`UNKNOWN_PART`]; `None` is `AWS::NoValue`.
    fn string(&self, n: &Node, depth: usize) -> Option<Mapped> {
        if depth > MAX_RESOLVE_DEPTH {
            return Some(Mapped::unknown(n.span));
        }
        match (&n.kind, as_call(n)) {
            (Kind::Str(s), _) => Some(self.literal(n, s)),
            (_, Some(("Fn::Sub", arg))) => Some(self.sub(arg, n.span, depth)),
            (_, Some(("Fn::Join", arg))) => Some(self.join(arg, n.span, depth)),
            (_, Some(("Fn::If", arg))) => match self.branch(arg) {
                Ok(b) => self.string(b, depth + 1),
                Err(()) => Some(Mapped::unknown(n.span)),
            },
            _ => {
                let v = self.resolve(n, depth + 1)?;
                let mut m = Mapped::default();
                match &v.kind {
                    Kind::Str(s) => m.push(s, v.span),
                    Kind::Num(s) => m.push(s, v.span),
                    Kind::Bool(b) => m.push(if *b { "true" } else { "false" }, v.span),
                    _ => m.push(UNKNOWN_PART, n.span),
                }
                m.via = v.via.map(|b| *b);
                Some(m)
            }
        }
    }

    /// A literal string with each byte mapped to its source character, or
    /// to the whole string when the text cannot be aligned.
    fn literal(&self, n: &Node, s: &str) -> Mapped {
        let src = self.t.text.get(n.span.range()).unwrap_or("");
        let map = align(src, s, self.t.syntax == Syntax::Yaml).map(|m| {
            m.into_iter()
                .map(|(a, b)| Span::new(a + n.span.start as usize, b + n.span.start as usize))
                .collect()
        });
        Mapped {
            text: s.to_owned(),
            map: map.unwrap_or_else(|| vec![n.span; s.len()]),
            via: None,
        }
    }

    /// `Fn::Sub "text"` or `Fn::Sub ["text", {Var: value}]`.
    fn sub(&self, arg: &Node, at: Span, depth: usize) -> Mapped {
        let (template, vars) = match &arg.kind {
            Kind::Str(_) => (arg, None),
            Kind::Arr(items) => match items.as_slice() {
                [t, v] if t.as_str().is_some() && v.is_object() => (t, Some(v)),
                [t] if t.as_str().is_some() => (t, None),
                _ => return Mapped::unknown(at),
            },
            _ => return Mapped::unknown(at),
        };
        let Some(s) = template.as_str() else {
            return Mapped::unknown(at);
        };
        let tpl = self.literal(template, s);
        let vars = KeyIndex::new(vars);
        let mut out = Mapped::default();
        let text = tpl.text.as_str();
        let mut i = 0;
        while i < text.len() {
            let Some(rel) = text[i..].find("${") else {
                out.append(dynamic_references(&tpl, i, text.len(), at));
                break;
            };
            let start = i + rel;
            out.append(dynamic_references(&tpl, i, start, at));
            // `${!Literal}` is the literal text `${Literal}`.
            if text[start + 2..].starts_with('!') {
                out.append(slice(&tpl, start, start + 2));
                i = start + 3;
                continue;
            }
            let Some(close) = text[start + 2..].find('}') else {
                out.append(slice(&tpl, start, text.len()));
                break;
            };
            let end = start + 2 + close + 1;
            let name = &text[start + 2..end - 1];
            let place = tpl.span(start, end, at);
            out.append(self.variable(name, &vars, place, depth));
            i = end;
        }
        out
    }

    /// The value of `${name}` in `Fn::Sub`.
    fn variable(&self, name: &str, vars: &KeyIndex<'_>, place: Span, depth: usize) -> Mapped {
        let value = match vars.get(name) {
            // A variable may be used many times: each use is a copy.
            Some(v) if self.t.charge(super::weight(v), place) => self.resolve(v, depth + 1),
            Some(_) => None,
            None if name.contains('.') => None, // ${Resource.Attribute}
            None => self.reference(name, place),
        };
        let mut m = Mapped::default();
        match value {
            Some(v) => {
                match &v.kind {
                    Kind::Str(s) | Kind::Num(s) => m.push(s, place),
                    Kind::Bool(b) => m.push(if *b { "true" } else { "false" }, place),
                    _ => m.push(UNKNOWN_PART, place),
                }
                m.via = v.via.map(|b| *b);
            }
            None => m.push(UNKNOWN_PART, place),
        }
        m
    }

    /// `Fn::Join [delimiter, [values]]`.
    fn join(&self, arg: &Node, at: Span, depth: usize) -> Mapped {
        let Some([delim, list]) = arg.as_array() else {
            return Mapped::unknown(at);
        };
        let Some(delim) = self.resolve(delim, depth + 1) else {
            return Mapped::unknown(at);
        };
        let Some(d) = delim.as_str().filter(|d| !has_unknown(d)) else {
            return Mapped::unknown(at);
        };
        let parts: Vec<Mapped> = match &list.kind {
            Kind::Arr(items) => items
                .iter()
                .filter_map(|i| self.string(i, depth + 1))
                .collect(),
            _ => match self.resolve(list, depth + 1) {
                Some(Node {
                    kind: Kind::Arr(items),
                    ..
                }) => items
                    .iter()
                    .map(|i| {
                        let mut m = Mapped::default();
                        match &i.kind {
                            Kind::Str(s) | Kind::Num(s) => m.push(s, i.span),
                            _ => m.push(UNKNOWN_PART, i.span),
                        }
                        m.via = i.via.as_deref().cloned();
                        m
                    })
                    .collect(),
                _ => return Mapped::unknown(at),
            },
        };
        // The delimiter is copied between every two parts.
        let copies = d.len().saturating_mul(parts.len().saturating_sub(1));
        if !self.t.charge(copies, at) {
            return Mapped::unknown(at);
        }
        let mut out = Mapped::default();
        for (k, p) in parts.into_iter().enumerate() {
            if k > 0 {
                out.push(d, delim.span);
            }
            out.append(p);
        }
        out
    }
}

/// Bytes `start..end` of a mapped string.
fn slice(m: &Mapped, start: usize, end: usize) -> Mapped {
    Mapped {
        text: m.text.get(start..end).unwrap_or("").to_owned(),
        map: m.map.get(start..end).unwrap_or(&[]).to_vec(),
        via: None,
    }
}

/// Point a copied value (from a mapping) at the expression that selected it.
fn respan(n: &mut Node, at: Span, depth: usize) {
    n.span = at;
    if depth > MAX_RESOLVE_DEPTH {
        return;
    }
    match &mut n.kind {
        Kind::Arr(items) => items.iter_mut().for_each(|i| respan(i, at, depth + 1)),
        Kind::Obj(entries) => entries.iter_mut().for_each(|e| {
            e.key_span = at;
            respan(&mut e.value, at, depth + 1);
        }),
        _ => {}
    }
}

/// Move every span of a tree (keys and provenance included).
fn map_spans(n: &mut Node, f: &impl Fn(Span) -> Span, depth: usize) {
    n.span = f(n.span);
    if let Some(v) = n.via.as_mut() {
        v.span = f(v.span);
    }
    if depth > MAX_RESOLVE_DEPTH {
        return;
    }
    match &mut n.kind {
        Kind::Arr(items) => items.iter_mut().for_each(|i| map_spans(i, f, depth + 1)),
        Kind::Obj(entries) => entries.iter_mut().for_each(|e| {
            e.key_span = f(e.key_span);
            map_spans(&mut e.value, f, depth + 1);
        }),
        _ => {}
    }
}

/// Does an unknown part stand outside JSON string literals in the text
/// of an embedded document (where its value could be any JSON)?
fn unknown_outside_strings(text: &str) -> bool {
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        } else if c == '\u{E001}' {
            return true;
        }
    }
    false
}

/// Private-use stand-ins for the markers while an embedded document goes
/// through the JSON loader (which strips markers from literal input).
/// All four are 3 bytes in UTF-8, so offsets do not move.
const THIS_STANDIN: char = '\u{E002}';
const UNKNOWN_STANDIN: char = '\u{E003}';

/// Parse a policy document written as a JSON string, with every span
/// mapped back into the file.
/// `at` is the value holding it, where errors without a better place go.
fn parse_embedded(s: &Mapped, at: Span) -> Result<Node, ParseError> {
    let fallback = s
        .map
        .first()
        .zip(s.map.last())
        .map_or(at, |(a, b)| a.cover(*b));
    if s.text.len() > crate::load::embedded::MAX_EMBEDDED_LEN {
        return Err(crate::load::embedded::too_long(fallback));
    }
    let text: String = s
        .text
        .chars()
        .map(|c| match c {
            '\u{E002}' | '\u{E003}' => '\u{FFFD}',
            '\u{E000}' => THIS_STANDIN,
            '\u{E001}' => UNKNOWN_STANDIN,
            c => c,
        })
        .collect();
    match crate::load::json::parse(&text) {
        Ok(mut node) => {
            remap(&mut node, s, fallback, 0);
            Ok(node)
        }
        Err(e) => {
            let span = s.span(e.span.start as usize, e.span.end as usize, fallback);
            Err(e.at(span))
        }
    }
}

fn restore_markers(s: &mut String) {
    if s.contains([THIS_STANDIN, UNKNOWN_STANDIN]) {
        *s = s
            .replace(THIS_STANDIN, THIS_ACCOUNT)
            .replace(UNKNOWN_STANDIN, UNKNOWN_PART);
    }
}

// Bounded: the JSON loader rejects documents nested deeper than its limit.
fn remap(n: &mut Node, s: &Mapped, fallback: Span, depth: usize) {
    n.span = s.span(n.span.start as usize, n.span.end as usize, fallback);
    if n.via.is_none() {
        n.via = s.via.clone().map(Box::new);
    }
    if depth > MAX_RESOLVE_DEPTH {
        return;
    }
    match &mut n.kind {
        Kind::Str(t) => restore_markers(t),
        Kind::Arr(items) => items
            .iter_mut()
            .for_each(|i| remap(i, s, fallback, depth + 1)),
        Kind::Obj(entries) => entries.iter_mut().for_each(|e| {
            e.key_span = s.span(e.key_span.start as usize, e.key_span.end as usize, fallback);
            restore_markers(&mut e.key);
            remap(&mut e.value, s, fallback, depth + 1);
        }),
        _ => {}
    }
}

/// Align a decoded string with its source text: for each decoded byte,
/// the source range (relative to `src`) of the character or escape that
/// produced it. `src` is a JSON string literal (with quotes) or a YAML
/// scalar in any style. `None` when the two cannot be matched.
fn align(src: &str, value: &str, yaml: bool) -> Option<Vec<(usize, usize)>> {
    let quote = src.chars().next().filter(|c| *c == '"' || *c == '\'');
    // A YAML block scalar may start with a quote character too.
    align_quoted(src, value, yaml, quote)
        .or_else(|| quote.and_then(|_| align_quoted(src, value, yaml, None)))
}

fn align_quoted(
    src: &str,
    value: &str,
    yaml: bool,
    quote: Option<char>,
) -> Option<Vec<(usize, usize)>> {
    let mut p = 0;
    if quote.is_some() {
        p = 1;
    }
    let dq = quote == Some('"');
    let sq = quote == Some('\'') && yaml;
    let mut out = Vec::with_capacity(value.len());
    for c in value.chars() {
        loop {
            let rest = src.get(p..)?;
            let Some(sc) = rest.chars().next() else {
                // The final line break of a block scalar lies past its span.
                if yaml && c.is_whitespace() {
                    out.extend(std::iter::repeat_n((p, p), c.len_utf8()));
                    break;
                }
                return None;
            };
            if dq && sc == '\\' {
                let (decoded, len) = escape(rest, yaml)?;
                match decoded {
                    Some(d) if d == c => {
                        out.extend(std::iter::repeat_n((p, p + len), c.len_utf8()));
                        p += len;
                        break;
                    }
                    // A YAML escaped line break: no character.
                    None => {
                        p += len;
                        continue;
                    }
                    Some(_) => return None,
                }
            }
            if sq && sc == '\'' && c == '\'' && rest.starts_with("''") {
                out.extend(std::iter::repeat_n((p, p + 2), 1));
                p += 2;
                break;
            }
            if sc == c {
                out.extend(std::iter::repeat_n((p, p + sc.len_utf8()), c.len_utf8()));
                p += sc.len_utf8();
                break;
            }
            if yaml && sc.is_whitespace() {
                // Line folding: a source line break read as a space.
                if c == ' ' && (sc == '\n' || sc == '\r') {
                    out.push((p, p + 1));
                    p += 1;
                    break;
                }
                // Indentation and folded white space.
                p += sc.len_utf8();
                continue;
            }
            return None;
        }
    }
    Some(out)
}

/// Decode one backslash escape: the character (or `None` for a YAML
/// escaped line break) and the escape's length in bytes.
fn escape(rest: &str, yaml: bool) -> Option<(Option<char>, usize)> {
    let mut it = rest.chars();
    it.next()?; // the backslash
    let e = it.next()?;
    let simple = |c: char| Some((Some(c), 1 + e.len_utf8()));
    match e {
        '"' => simple('"'),
        '\\' => simple('\\'),
        '/' => simple('/'),
        'b' => simple('\u{8}'),
        'f' => simple('\u{c}'),
        'n' => simple('\n'),
        'r' => simple('\r'),
        't' => simple('\t'),
        'u' => {
            let hi = u32::from_str_radix(rest.get(2..6)?, 16).ok()?;
            if (0xD800..0xDC00).contains(&hi) {
                // A surrogate pair: \uD83D\uDE00.
                let lo_text = rest.get(6..12)?;
                let lo = u32::from_str_radix(lo_text.strip_prefix("\\u")?, 16).ok()?;
                let c =
                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo.checked_sub(0xDC00)?))?;
                Some((Some(c), 12))
            } else {
                Some((Some(char::from_u32(hi)?), 6))
            }
        }
        _ if !yaml => None,
        '0' => simple('\0'),
        'a' => simple('\u{7}'),
        'v' => simple('\u{b}'),
        'e' => simple('\u{1b}'),
        ' ' => simple(' '),
        '\t' => simple('\t'),
        'N' => simple('\u{85}'),
        '_' => simple('\u{a0}'),
        'L' => simple('\u{2028}'),
        'P' => simple('\u{2029}'),
        'x' => Some((
            Some(char::from_u32(
                u32::from_str_radix(rest.get(2..4)?, 16).ok()?,
            )?),
            4,
        )),
        'U' => Some((
            Some(char::from_u32(
                u32::from_str_radix(rest.get(2..10)?, 16).ok()?,
            )?),
            10,
        )),
        '\n' => Some((None, 2)),
        '\r' => Some((None, if rest.get(2..3) == Some("\n") { 3 } else { 2 })),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Extracted {
        extract_yaml(text).unwrap()
    }

    fn json(text: &str) -> Extracted {
        let root = crate::load::json::parse(text).unwrap();
        assert!(is_template(&root));
        extract(&root, text)
    }

    /// The principal value of the first statement of document `i`.
    fn principal(ex: &Extracted, i: usize) -> &Node {
        ex.docs[i]
            .node
            .get("Statement")
            .and_then(|s| s.one_or_many().first())
            .and_then(|s| s.get("Principal"))
            .and_then(|p| p.get("AWS"))
            .unwrap()
    }

    const ROLE: &str = r#"
Parameters:
  Trusted:
    Type: String
    Default: "111122223333"
  NoDefault:
    Type: String
  Accounts:
    Type: CommaDelimitedList
    Default: "111122223333, 444455556666"
  Ssm:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /accounts/trusted
Mappings:
  Env:
    prod: {Account: "999988887777"}
    dev: {Account: "999988887777"}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      MaxSessionDuration: 7200
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: PRINCIPAL
            Action: sts:AssumeRole
"#;

    fn role_with(principal: &str) -> (String, Extracted) {
        let text = ROLE.replace("PRINCIPAL", principal);
        let ex = yaml(&text);
        (text, ex)
    }

    #[test]
    fn recognises_templates() {
        let root = crate::load::json::parse(r#"{"Resources": {"R": {"Type": "AWS::S3::Bucket"}}}"#)
            .unwrap();
        assert!(is_template(&root));
        let root =
            crate::load::json::parse(r#"{"AWSTemplateFormatVersion": "2010-09-09"}"#).unwrap();
        assert!(is_template(&root));
        let root = crate::load::json::parse(r#"{"Resources": {"R": {"Type": "Custom"}}}"#).unwrap();
        assert!(!is_template(&root));
        let root = crate::load::json::parse(r#"{"name": "x", "version": "1"}"#).unwrap();
        assert!(!is_template(&root));
        let ex = yaml("apiVersion: v1\nkind: ConfigMap\n");
        assert!(!ex.recognised);
        assert!(ex.docs.is_empty());
    }

    #[test]
    fn role_documents_and_settings() {
        let (text, ex) = role_with("arn:aws:iam::111122223333:root");
        assert!(ex.recognised);
        assert_eq!(ex.docs.len(), 1);
        assert_eq!(ex.docs[0].kind, Some(DocKind::Trust));
        assert_eq!(ex.docs[0].name.as_deref(), Some("Role"));
        assert_eq!(ex.docs[0].resource.as_deref(), Some("Role"));
        let p = principal(&ex, 0);
        assert_eq!(&text[p.span.range()], "arn:aws:iam::111122223333:root");
        assert_eq!(ex.settings.len(), 1);
        assert_eq!(ex.settings[0].key, "MaxSessionDuration");
        assert_eq!(&text[ex.settings[0].node.span.range()], "7200");
    }

    #[test]
    fn parameter_defaults() {
        let (text, ex) = role_with("!Sub arn:aws:iam::${Trusted}:root");
        let p = principal(&ex, 0);
        assert_eq!(p.as_str(), Some("arn:aws:iam::111122223333:root"));
        assert_eq!(&text[p.span.range()], "!Sub arn:aws:iam::${Trusted}:root");
        let via = p.via.as_deref().unwrap();
        assert_eq!(&text[via.span.range()], "\"111122223333\"");
        assert_eq!(via.label, "from parameter Trusted's default");

        let (text, ex) = role_with("!Ref Trusted");
        let p = principal(&ex, 0);
        assert_eq!(p.as_str(), Some("111122223333"));
        assert_eq!(&text[p.span.range()], "!Ref Trusted");
        assert!(p.via.is_some());

        let (_, ex) = role_with("!Ref NoDefault");
        assert!(matches!(&principal(&ex, 0).kind, Kind::Unknown(w) if w == "!Ref NoDefault"));
        let (_, ex) = role_with("!Ref Ssm");
        assert!(principal(&ex, 0).is_unknown());
        let (_, ex) = role_with("!Ref Accounts");
        let items = principal(&ex, 0).as_array().unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].as_str(), Some("444455556666"));
        let (_, ex) = role_with("!GetAtt Other.Arn");
        assert!(matches!(&principal(&ex, 0).kind, Kind::Unknown(w) if w == "!GetAtt Other.Arn"));
    }

    #[test]
    fn pseudo_parameters_and_sub() {
        let (_, ex) = role_with("!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root");
        assert_eq!(
            principal(&ex, 0).as_str(),
            Some(format!("arn:aws:iam::{THIS_ACCOUNT}:root").as_str())
        );
        let (_, ex) = role_with("!Sub arn:aws:iam::${AWS::Region}:${Other.Arn}");
        let s = principal(&ex, 0).as_str().unwrap();
        assert!(has_unknown(s));
        let (_, ex) = role_with("!Sub [\"arn:aws:iam::${Acct}:root\", {Acct: !Ref Trusted}]");
        assert_eq!(
            principal(&ex, 0).as_str(),
            Some("arn:aws:iam::111122223333:root")
        );
        let (_, ex) = role_with("!Sub \"${!Literal}-${AWS::URLSuffix}\"");
        assert_eq!(principal(&ex, 0).as_str(), Some("${Literal}-amazonaws.com"));
        let (_, ex) = role_with("[!Ref AWS::NoValue, \"*\"]");
        assert_eq!(principal(&ex, 0).as_array().unwrap().len(), 1);
    }

    #[test]
    fn join_select_split_find_in_map() {
        let (_, ex) = role_with("!Join [\":\", [arn, aws, iam, \"\", !Ref AWS::AccountId, root]]");
        assert_eq!(
            principal(&ex, 0).as_str(),
            Some(format!("arn:aws:iam::{THIS_ACCOUNT}:root").as_str())
        );
        let (_, ex) = role_with("!Select [1, !Split [\",\", \"a,b,c\"]]");
        assert_eq!(principal(&ex, 0).as_str(), Some("b"));
        let (_, ex) = role_with("!Select [1, !Ref Accounts]");
        assert_eq!(principal(&ex, 0).as_str(), Some("444455556666"));
        let (text, ex) = role_with("!FindInMap [Env, prod, Account]");
        let p = principal(&ex, 0);
        assert_eq!(p.as_str(), Some("999988887777"));
        assert_eq!(&text[p.span.range()], "!FindInMap [Env, prod, Account]");
        // Every entry agrees, so the unknown region does not matter.
        let (_, ex) = role_with("!FindInMap [Env, !Ref AWS::Region, Account]");
        assert_eq!(principal(&ex, 0).as_str(), Some("999988887777"));
        let (_, ex) = role_with("!FindInMap [Env, nope, Account]");
        assert!(principal(&ex, 0).is_unknown());
        let (_, ex) = role_with("!Join [\"\", !GetAZs \"\"]");
        assert!(principal(&ex, 0).is_unknown());
    }

    #[test]
    fn fn_if_variants() {
        let text = r#"
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      MaxSessionDuration: !If [IsProd, 3600, 43201]
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              AWS: !If [IsProd, "arn:aws:iam::111122223333:root", "*"]
            Action: sts:AssumeRole
"#;
        let ex = yaml(text);
        assert_eq!(ex.docs.len(), 2);
        let v0 = ex.docs[0].variant.as_ref().unwrap();
        let v1 = ex.docs[1].variant.as_ref().unwrap();
        assert_eq!(v0.group, v1.group);
        assert_eq!(v0.count, 2);
        assert_eq!(v0.when, "when condition `IsProd` is true");
        assert_eq!(v1.when, "when condition `IsProd` is false");
        assert_eq!(principal(&ex, 1).as_str(), Some("*"));
        assert_eq!(ex.settings.len(), 2);
        assert_ne!(ex.settings[0].variant.as_ref().unwrap().group, v0.group);

        // More than MAX_CONDITIONS: two passes (every first branch, every
        // second), each with both branches of a list's `Fn::If` (the
        // union), and a limit hit saying so.
        let many = "[!If [A, x, y], !If [B, x, y], !If [C, x, y], !If [D, x, y], !If [E, x, y]]";
        let (_, ex) = role_with(many);
        assert_eq!(ex.docs.len(), 2);
        let v = ex.docs[0].variant.as_ref().unwrap();
        assert_eq!(v.count, 2);
        assert_eq!(v.when, "when every `Fn::If` takes its first branch");
        for i in 0..2 {
            let items: Vec<_> = principal(&ex, i)
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_str().unwrap().to_owned())
                .collect();
            assert_eq!(items, ["x", "y"].repeat(5));
        }
        assert_eq!(ex.limits.len(), 1);
        assert_eq!(ex.limits[0].limit, crate::limit::Limit::TemplateConditions);
        // A principal scalar becomes the list of both branches.
        let (_, ex) = role_with(
            "!If [A, !If [B, x, [y, z]], !If [C, w, !If [D, v, !If [E, u, !Ref AWS::NoValue]]]]",
        );
        let items: Vec<_> = principal(&ex, 1)
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(items, ["x", "y", "z", "w", "v", "u"]);
    }

    #[test]
    fn conditions_against_defaults_mask_parameters() {
        let text = r#"
Parameters:
  TrustedAccount:
    Type: String
    Default: ""
Conditions:
  HasTrusted: !Not [!Equals [!Ref TrustedAccount, ""]]
  UseTrusted: !And [!Condition HasTrusted, !Equals [!Ref "AWS::Region", eu-west-1]]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              AWS: !If [HasTrusted, !Sub "arn:aws:iam::${TrustedAccount}:root", !Ref "AWS::AccountId"]
            Action: sts:AssumeRole
"#;
        let ex = yaml(text);
        assert_eq!(ex.docs.len(), 2);
        // HasTrusted true contradicts the default: the account is unknown.
        let s = principal(&ex, 0).as_str().unwrap();
        assert!(has_unknown(s), "{s:?}");
        assert_eq!(principal(&ex, 1).as_str(), Some(THIS_ACCOUNT));
        let budget = Budget::default();
        let root = &crate::load::yaml::parse(text).unwrap()[0];
        let sections = Sections::new(root);
        let t = Template {
            root,
            text,
            syntax: Syntax::Yaml,
            budget: &budget,
            level: 0,
            sections: &sections,
        };
        let r = Resolver::new(t, Vec::new(), true);
        assert_eq!(r.condition("HasTrusted", 0), Some(false));
        assert_eq!(r.condition("UseTrusted", 0), Some(false));
    }

    #[test]
    fn condition_graphs_are_bounded() {
        // C0 = And[C1, C1], C1 = And[C2, C2], …: 2^200 paths, and a cycle.
        let mut text = String::from("Conditions:\n");
        for i in 0..200 {
            let n = i + 1;
            text.push_str(&format!(
                "  C{i}: !And [!Condition C{n}, !Condition C{n}]\n"
            ));
        }
        text.push_str("  C200: !Condition C0\n");
        text.push_str(
            ROLE.split("Resources:")
                .nth(1)
                .map(|r| format!("Resources:{r}"))
                .unwrap()
                .as_str(),
        );
        let text = text.replace("PRINCIPAL", "!If [C0, \"*\", \"111122223333\"]");
        let start = std::time::Instant::now();
        let ex = yaml(&text);
        assert_eq!(ex.docs.len(), 2);
        assert!(start.elapsed().as_secs() < 5);
    }

    #[test]
    fn inline_and_standalone_policies() {
        let text = r#"
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: []}
      Policies:
        - PolicyName: assume
          PolicyDocument:
            Statement: [{Effect: Allow, Action: "sts:AssumeRole", Resource: "*"}]
        - !If
          - HasExtra
          - PolicyName: extra
            PolicyDocument: {Statement: []}
          - !Ref AWS::NoValue
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: {Statement: []}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      AssumeRolePolicyDocument: {Statement: []}
      Policies:
        - AWSLambdaBasicExecutionRole
        - S3ReadPolicy: {BucketName: b}
        - Statement: [{Effect: Allow, Action: "sts:AssumeRole", Resource: "*"}]
"#;
        let ex = yaml(text);
        let names: Vec<_> = ex
            .docs
            .iter()
            .map(|d| {
                (
                    d.name.clone().unwrap(),
                    d.kind.unwrap(),
                    d.variant.is_some(),
                )
            })
            .collect();
        assert_eq!(
            names,
            vec![
                ("Role".to_owned(), DocKind::Trust, false),
                ("Role/assume".to_owned(), DocKind::Identity, false),
                ("Role/extra".to_owned(), DocKind::Identity, true),
                ("Managed".to_owned(), DocKind::Identity, false),
                ("Fn".to_owned(), DocKind::Trust, false),
                ("Fn".to_owned(), DocKind::Identity, false),
            ]
        );
        assert_eq!(ex.docs[2].variant.as_ref().unwrap().count, 2);
    }

    #[test]
    fn json_string_documents() {
        let text = r#"{"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {
  "AssumeRolePolicyDocument": "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"sts:AssumeRole\"}]}"
}}}}"#;
        let ex = json(text);
        let p = principal(&ex, 0);
        assert_eq!(
            &text[p.span.range()],
            r#"\"arn:aws:iam::111122223333:root\""#
        );

        let text = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: !Sub |\n        {\"Statement\": [{\"Effect\": \"Allow\",\n          \"Principal\": {\"AWS\": \"arn:aws:iam::${AWS::AccountId}:root\"},\n          \"Action\": \"sts:AssumeRole\"}]}\n";
        let ex = yaml(text);
        let p = principal(&ex, 0);
        assert_eq!(
            p.as_str(),
            Some(format!("arn:aws:iam::{THIS_ACCOUNT}:root").as_str())
        );
        assert_eq!(
            &text[p.span.range()],
            "\"arn:aws:iam::${AWS::AccountId}:root\""
        );

        // A broken embedded document is a TL001 at its place.
        let text = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: '{\"Statement\": [}'\n";
        let ex = yaml(text);
        assert!(ex.docs.is_empty());
        assert_eq!(ex.diagnostics.len(), 1);
        assert_eq!(ex.diagnostics[0].rule.id, "TL001");
        assert_eq!(&text[ex.diagnostics[0].primary.span.range()], "}");
    }

    #[test]
    fn stack_set_template_body() {
        let text = r#"
Resources:
  Roles:
    Type: AWS::CloudFormation::StackSet
    Properties:
      StackSetName: scan
      TemplateBody: |
        Resources:
          ScanRole:
            Type: AWS::IAM::Role
            Properties:
              MaxSessionDuration: 50000
              AssumeRolePolicyDocument:
                Statement:
                  - Effect: Allow
                    Principal:
                      AWS: !Sub arn:aws:iam::${AWS::AccountId}:root
                    Action: sts:AssumeRole
"#;
        let ex = yaml(text);
        assert_eq!(ex.docs.len(), 1);
        assert_eq!(ex.docs[0].name.as_deref(), Some("Roles/ScanRole"));
        let p = principal(&ex, 0);
        assert_eq!(
            &text[p.span.range()],
            "!Sub arn:aws:iam::${AWS::AccountId}:root"
        );
        assert_eq!(&text[ex.settings[0].node.span.range()], "50000");
    }

    #[test]
    fn alignment() {
        let m = align(r#""a\"b\u00e9""#, "a\"bé", false).unwrap();
        assert_eq!(m[1], (2, 4));
        assert_eq!(m[3], (5, 11));
        let m = align("'it''s'", "it's", true).unwrap();
        assert_eq!(m[2], (3, 5));
        let m = align("a\n  b", "a b", true).unwrap();
        assert_eq!(m[2], (4, 5));
        assert!(align("abc", "abd", true).is_none());
    }

    #[test]
    fn metadata_suppressions() {
        let text = r#"
Resources:
  Role:
    Type: AWS::IAM::Role
    Metadata:
      trustlint:
        ignore:
          - id: TL102
            reason: break-glass account, reviewed
          - TL201
    Properties:
      AssumeRolePolicyDocument: {Statement: []}
"#;
        let ex = yaml(text);
        assert_eq!(ex.suppressions.len(), 2);
        let s = &ex.suppressions[0];
        assert_eq!(s.rules, vec!["TL102".to_owned()]);
        assert_eq!(s.reason.as_deref(), Some("break-glass account, reviewed"));
        let Scope::Range(r) = s.scope else {
            panic!("range scope")
        };
        assert!(text[r.range()].starts_with("Role:"));
        assert!(text[r.range()].ends_with("{Statement: []}"));
        assert!(text[s.span.range()].starts_with("id: TL102"));
        assert_eq!(ex.suppressions[1].reason, None);
    }
}
