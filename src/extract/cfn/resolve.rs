//! Intrinsic functions resolved symbolically under one truth assignment
//! of the template's conditions: `Ref` to parameters with a `Default` and
//! to pseudo parameters, `Fn::Sub`, `Fn::Join`, `Fn::FindInMap`,
//! `Fn::Select`, `Fn::Split`, `Fn::If`. Everything else becomes
//! [`Kind::Unknown`]; rules never report on a guess. To resolve another
//! intrinsic, add a branch in [`Resolver::intrinsic`] (and in
//! [`Resolver::string`] if it yields text).

use std::collections::{BTreeSet, HashSet};

use super::embedded_json::align;
use super::template::{Syntax, Template};
use super::text::{dynamic_references, slice, without_dynamic_references, SpannedText};
use super::{DYNAMIC_REFERENCE, MAX_RESOLVE_DEPTH};
use crate::source::Span;
use crate::tree::{
    has_unknown, respan, Entry, KeyIndex, Kind, Node, Via, THIS_ACCOUNT, UNKNOWN_PART,
};

/// `Ref` and `Condition` targets under a node (`${Param}` in `Fn::Sub` too).
pub(super) fn collect_refs(n: &Node, out: &mut Vec<(String, String)>, depth: usize) {
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

/// Resolves intrinsic functions under one truth assignment of conditions.
pub(super) struct Resolver<'a> {
    pub(super) t: Template<'a>,
    pub(super) assign: Vec<(String, bool)>,
    /// Conditions are not decided: every `Fn::If` is unknown.
    pub(super) if_unknown: bool,
    /// Past [`MAX_CONDITIONS`]: every `Fn::If` takes its first (`true`)
    /// or second branch, and one that is a list item yields both.
    pub(super) union: Option<bool>,
    /// Parameters whose default cannot hold under this assignment (a
    /// condition on them is assumed to differ from its value with the
    /// defaults): they are unknown.
    pub(super) masked: HashSet<String>,
    /// Steps spent evaluating conditions: `Condition` references can form
    /// a diamond-shaped (or cyclic) graph, so the work is bounded.
    pub(super) work: std::cell::Cell<u32>,
}

/// At most this many steps are spent evaluating conditions per document.
pub(super) const CONDITION_WORK: u32 = 10_000;

/// Does resolved text depend on the deployment (this account or an
/// unknown part)?
pub(super) fn has_marker(s: &str) -> bool {
    s.contains(['\u{E000}', '\u{E001}'])
}

pub(super) fn is_intrinsic(key: &str) -> bool {
    key == "Ref" || key.starts_with("Fn::")
}

/// The single intrinsic call a node is, if it is one.
pub(super) fn as_call(n: &Node) -> Option<(&str, &Node)> {
    match &n.kind {
        Kind::Obj(entries) => match entries.as_slice() {
            [e] if is_intrinsic(&e.key) => Some((e.key.as_str(), &e.value)),
            _ => None,
        },
        _ => None,
    }
}

/// `!GetAtt Role.Arn`, `!ImportValue …`: the text of an unknown value.
pub(super) fn describe(func: &str, arg: &Node) -> String {
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

pub(super) fn is_list_type(ty: &str) -> bool {
    ty == "CommaDelimitedList" || ty.starts_with("List<")
}

impl<'a> Resolver<'a> {
    pub(super) fn new(t: Template<'a>, assign: Vec<(String, bool)>, if_unknown: bool) -> Self {
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
    pub(super) fn condition(&self, name: &str, depth: usize) -> Option<bool> {
        let def = self.t.condition(name)?;
        self.condition_value(def, depth + 1)
    }

    pub(super) fn condition_value(&self, n: &Node, depth: usize) -> Option<bool> {
        self.work.set(self.work.get().saturating_add(1));
        if depth > MAX_RESOLVE_DEPTH
            || self.work.get() > CONDITION_WORK
            || !super::conditions::spend(&self.t.budget.condition_steps, 1)
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
    pub(super) fn condition_parameters(
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
    pub(super) fn branch<'n>(&self, arg: &'n Node) -> Result<&'n Node, ()> {
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
    pub(super) fn select<'n>(&self, n: &'n Node, depth: usize) -> Option<&'n Node> {
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
    pub(super) fn resolve(&self, n: &Node, depth: usize) -> Option<Node> {
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
    pub(super) fn entry_value(&self, key: &str, n: &Node, depth: usize) -> Option<Node> {
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
    pub(super) fn branches(&self, n: &Node, depth: usize, out: &mut Vec<Node>) {
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
    pub(super) fn item(&self, n: &Node, depth: usize, out: &mut Vec<Node>) {
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

    pub(super) fn intrinsic(&self, func: &str, arg: &Node, n: &Node, depth: usize) -> Option<Node> {
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
    pub(super) fn get_att(&self, arg: &Node, at: Span) -> Option<Node> {
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
        Some(Node::str(at, crate::extract::same_stack_principal(what)))
    }

    /// `Fn::Select [index, list]`; `None` when it cannot be decided.
    pub(super) fn select_fn(&self, arg: &Node, depth: usize) -> Option<Node> {
        let [index, list] = arg.as_array()? else {
            return None;
        };
        let index = self.resolve(index, depth + 1)?.scalar_text()?;
        let i = index.trim().parse::<usize>().ok()?;
        let list = self.resolve(list, depth + 1)?;
        list.as_array()?.get(i).cloned()
    }

    /// `Fn::Split [delimiter, text]`: each piece spans its source text.
    pub(super) fn split_fn(&self, arg: &Node, at: Span, depth: usize) -> Option<Node> {
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
    pub(super) fn reference(&self, name: &str, at: Span) -> Option<Node> {
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
        if !self.t.charge(crate::extract::weight(default), at) {
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
    pub(super) fn find_in_map(&self, arg: &Node, at: Span, depth: usize) -> Option<Node> {
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
        if !self.t.charge(crate::extract::weight(first), at) {
            return None;
        }
        let mut value = first.clone();
        respan(&mut value, at, false);
        Some(value.with_via(Some(via)))
    }

    /// Resolve a value to text, keeping for each byte where it came from.
    /// Unknown parts become [`UNKNOWN_PART`]; `None` is `AWS::NoValue`.
    pub(super) fn string(&self, n: &Node, depth: usize) -> Option<SpannedText> {
        if depth > MAX_RESOLVE_DEPTH {
            return Some(SpannedText::unknown(n.span));
        }
        match (&n.kind, as_call(n)) {
            (Kind::Str(s), _) => Some(self.literal(n, s)),
            (_, Some(("Fn::Sub", arg))) => Some(self.sub(arg, n.span, depth)),
            (_, Some(("Fn::Join", arg))) => Some(self.join(arg, n.span, depth)),
            (_, Some(("Fn::If", arg))) => match self.branch(arg) {
                Ok(b) => self.string(b, depth + 1),
                Err(()) => Some(SpannedText::unknown(n.span)),
            },
            _ => {
                let v = self.resolve(n, depth + 1)?;
                let mut m = SpannedText::default();
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
    pub(super) fn literal(&self, n: &Node, s: &str) -> SpannedText {
        let src = self.t.text.get(n.span.range()).unwrap_or("");
        let map = align(src, s, self.t.syntax == Syntax::Yaml).map(|m| {
            m.into_iter()
                .map(|(a, b)| Span::new(a + n.span.start as usize, b + n.span.start as usize))
                .collect()
        });
        SpannedText {
            text: s.to_owned(),
            map: map.unwrap_or_else(|| vec![n.span; s.len()]),
            via: None,
        }
    }

    /// `Fn::Sub "text"` or `Fn::Sub ["text", {Var: value}]`.
    pub(super) fn sub(&self, arg: &Node, at: Span, depth: usize) -> SpannedText {
        let (template, vars) = match &arg.kind {
            Kind::Str(_) => (arg, None),
            Kind::Arr(items) => match items.as_slice() {
                [t, v] if t.as_str().is_some() && v.is_object() => (t, Some(v)),
                [t] if t.as_str().is_some() => (t, None),
                _ => return SpannedText::unknown(at),
            },
            _ => return SpannedText::unknown(at),
        };
        let Some(s) = template.as_str() else {
            return SpannedText::unknown(at);
        };
        let tpl = self.literal(template, s);
        let vars = KeyIndex::new(vars);
        let mut out = SpannedText::default();
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
    pub(super) fn variable(
        &self,
        name: &str,
        vars: &KeyIndex<'_>,
        place: Span,
        depth: usize,
    ) -> SpannedText {
        let value = match vars.get(name) {
            // A variable may be used many times: each use is a copy.
            Some(v) if self.t.charge(crate::extract::weight(v), place) => {
                self.resolve(v, depth + 1)
            }
            Some(_) => None,
            None if name.contains('.') => None, // ${Resource.Attribute}
            None => self.reference(name, place),
        };
        let mut m = SpannedText::default();
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
    pub(super) fn join(&self, arg: &Node, at: Span, depth: usize) -> SpannedText {
        let Some([delim, list]) = arg.as_array() else {
            return SpannedText::unknown(at);
        };
        let Some(delim) = self.resolve(delim, depth + 1) else {
            return SpannedText::unknown(at);
        };
        let Some(d) = delim.as_str().filter(|d| !has_unknown(d)) else {
            return SpannedText::unknown(at);
        };
        let parts: Vec<SpannedText> = match &list.kind {
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
                        let mut m = SpannedText::default();
                        match &i.kind {
                            Kind::Str(s) | Kind::Num(s) => m.push(s, i.span),
                            _ => m.push(UNKNOWN_PART, i.span),
                        }
                        m.via = i.via.as_deref().cloned();
                        m
                    })
                    .collect(),
                _ => return SpannedText::unknown(at),
            },
        };
        // The delimiter is copied between every two parts.
        let copies = d.len().saturating_mul(parts.len().saturating_sub(1));
        if !self.t.charge(copies, at) {
            return SpannedText::unknown(at);
        }
        let mut out = SpannedText::default();
        for (k, p) in parts.into_iter().enumerate() {
            if k > 0 {
                out.push(d, delim.span);
            }
            out.append(p);
        }
        out
    }
}
