//! Walks a template's `Resources`: for each resource, the places its type
//! keeps policies and session settings ([`super::places`]), each value
//! resolved once per truth assignment of the conditions it uses, and
//! `Metadata.trustlint.ignore` suppressions (SPEC §5).

use std::collections::BTreeSet;

use super::embedded_json::{parse_embedded, unknown_outside_strings};
use super::places::{self, What};
use super::resolve::{has_marker, Resolver};
use super::template::{Sections, Syntax, Template};
use super::{is_template, MAX_CONDITIONS, MAX_NESTING, MAX_RESOLVE_DEPTH};
use crate::diagnostic::{Diagnostic, Scope, Suppression};
use crate::extract::{Budget, Document, Extracted, Setting, SettingKind, Variant};
use crate::limit::{Limit, LimitHit};
use crate::policy::DocKind;
use crate::source::Span;
use crate::tree::{map_spans, Entry, Kind, Node};

/// Walks a template's resources and emits documents, settings and
/// suppressions.
pub(super) struct Extractor<'a> {
    pub(super) template: Template<'a>,
    pub(super) out: &'a mut Extracted,
    pub(super) groups: &'a mut u32,
    /// The StackSet a nested template belongs to (`Outer` in `Outer/Role`),
    /// and how deep templates are nested.
    pub(super) prefix: Option<String>,
    pub(super) nesting: usize,
}

impl<'a> Extractor<'a> {
    pub(super) fn new(
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

    pub(super) fn run(&mut self) {
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
                    .push(crate::extract::budget_diagnostic(at, "template"));
            }
        }
    }

    pub(super) fn resource(&mut self, res: &'a Entry) {
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
        for (place, found) in places::of(ty, props) {
            for value in found {
                match place.what {
                    What::Document(kind) => self.document_site(value, kind, id, id),
                    What::RolePolicies => self.role_policies(value, id),
                    What::SamPolicies => self.sam_policies(value, id),
                    What::MaxSessionDuration => self.setting_site(places::key(place), value, id),
                    What::NestedTemplate if self.nesting < MAX_NESTING => self.nested(value, id),
                    What::NestedTemplate => {
                        if value.as_str().is_some_and(|t| t.contains("AWS::")) {
                            self.out.limits.push(LimitHit::new(
                                (Limit::NestedTemplates, crate::limit::value(MAX_NESTING)),
                                Some(value.span),
                                format!(
                                    "the template of StackSet `{id}` is nested more than \
                                     {MAX_NESTING} levels deep; it was not checked"
                                ),
                            ));
                        }
                    }
                }
            }
        }
    }

    /// A StackSet's `TemplateBody` written inline (a YAML block or a JSON
    /// string) is a template too: the roles it creates in every target
    /// account are often exactly the cross-account trust to check.
    pub(super) fn nested(&mut self, body: &Node, id: &str) {
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
            map_spans(&mut d.node, true, &f);
            self.out.docs.push(d);
        }
        for mut st in inner.settings {
            map_spans(&mut st.node, true, &f);
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
    pub(super) fn variants(
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
                super::conditions::feasible(template.root, assign, &template.budget.condition_steps)
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

    pub(super) fn document_site(&mut self, raw: &Node, kind: DocKind, name: &str, resource: &str) {
        self.variants(raw, |this, r, variant| {
            this.document(r, raw, kind, name.to_owned(), resource, variant);
        });
    }

    /// One policy document value, resolved under one assignment.
    pub(super) fn document(
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

    /// Each item of a `Policies` list, resolved under each assignment of
    /// the conditions it uses: every element (or the whole value, when it
    /// is not a literal list) is evaluated on its own conditions.
    fn policy_items(
        &mut self,
        policies: &Node,
        mut f: impl FnMut(&mut Self, &Resolver<'_>, &Node, &Option<Variant>),
    ) {
        for site in policies.one_or_many() {
            self.variants(site, |this, r, variant| {
                let Some(sel) = r.select(site, 0) else {
                    return;
                };
                for item in sel.one_or_many() {
                    if let Some(item) = r.select(item, 0) {
                        f(this, r, item, &variant);
                    }
                }
            });
        }
    }

    /// `Policies` of an `AWS::IAM::Role`: `{ PolicyName, PolicyDocument }`
    /// items.
    pub(super) fn role_policies(&mut self, policies: &Node, id: &str) {
        self.policy_items(policies, |this, r, item, variant| {
            let Some(doc) = item.get("PolicyDocument") else {
                return;
            };
            let name = item
                .get("PolicyName")
                .and_then(|n| r.resolve(n, 0))
                .and_then(|n| n.as_str().map(str::to_owned))
                .filter(|n| !has_marker(n))
                .map_or_else(|| id.to_owned(), |n| format!("{id}/{n}"));
            this.document(r, doc, DocKind::Identity, name, id, variant.clone());
        });
    }

    /// SAM `Policies`: a managed policy name, a policy template, a policy
    /// document, or a list of these. Only policy documents are checked.
    pub(super) fn sam_policies(&mut self, policies: &Node, id: &str) {
        self.policy_items(policies, |this, r, item, variant| {
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
        });
    }

    pub(super) fn setting_site(&mut self, key: &str, value: &Node, id: &str) {
        self.variants(value, |this, r, variant| {
            let Some(node) = r.resolve(value, 0) else {
                return;
            };
            this.out.settings.push(Setting {
                kind: SettingKind::MaxSessionDuration,
                key: key.to_owned(),
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
    pub(super) fn metadata(&mut self, res: &Entry) {
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
pub(super) fn collect_conditions(
    n: &Node,
    seen: &mut BTreeSet<String>,
    out: &mut Vec<String>,
    depth: usize,
) {
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
