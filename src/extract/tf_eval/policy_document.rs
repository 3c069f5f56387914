//! `data "aws_iam_policy_document"` synthesis: the policy JSON of a block
//! as the AWS provider renders it (source and override documents merged
//! by Sid, `statement`, `principals` and `condition` blocks, `dynamic`
//! blocks known only in part), with the block's spans.

use hcl_edit::expr::Expression;
use hcl_edit::structure::Structure;

use super::eval::{Eval, MAX_DEPTH};
use super::guard::{claim_of_unknown_issuer, guard};
use super::module::{labels, objects, pick, BlockBody, DataDoc, Expr};
use super::policy_value::Resolved;
use crate::load::hcl::span_of;
use crate::source::Span;
use crate::tree::respan;
use crate::tree::{has_unknown, mark_partial, Entry, Kind, Node, Via, UNKNOWN_PART};

impl Eval<'_, '_> {
    /// The document `data.aws_iam_policy_document.NAME` referenced from
    /// file `from`, spans in its own file.
    pub fn doc(&self, name: &str, from: usize, depth: u32) -> Option<Resolved> {
        let d = *pick(self.m.docs.get(name), self.home(from))?;
        self.doc_at(name, &d, depth)
    }

    /// A given `aws_iam_policy_document` block's document.
    pub fn doc_at(&self, name: &str, d: &DataDoc<'_>, depth: u32) -> Option<Resolved> {
        self.used.borrow_mut().insert(doc_key(name, d.file));
        let key = format!("data.aws_iam_policy_document.{name}@{}", d.file);
        if self.stack.borrow().contains(&key) || depth > MAX_DEPTH {
            return None;
        }
        self.stack.borrow_mut().push(key);
        let node = self.synthesize(d, depth + 1);
        self.stack.borrow_mut().pop();
        // Each use builds the document again: a copy.
        if !self.charge(crate::extract::weight(&node), d.file, d.span) {
            return None;
        }
        Some(Resolved { node, file: d.file })
    }

    /// An attribute of a block body: its key span and value.
    fn attr(
        &self,
        body: BlockBody<'_>,
        name: &str,
        file: usize,
        depth: u32,
    ) -> Option<(Span, Node)> {
        match body {
            BlockBody::Hcl(b) => {
                let a = b.get_attribute(name)?;
                Some((
                    span_of(&a.key),
                    self.hcl(&a.value, self.text(file), file, depth),
                ))
            }
            BlockBody::Json(n) => {
                let e = n.entry(name)?;
                Some((e.key_span, self.json(&e.value, file, depth)))
            }
        }
    }

    /// The items of a list attribute as expressions (for per-item policy
    /// resolution); `Err` with the attribute's span when it is not a literal list.
    fn attr_items<'b>(
        &self,
        body: BlockBody<'b>,
        name: &str,
    ) -> Option<Result<Vec<Expr<'b>>, Span>> {
        match body {
            BlockBody::Hcl(b) => {
                let a = b.get_attribute(name)?;
                Some(match &a.value {
                    Expression::Array(items) => Ok(items.iter().map(Expr::Hcl).collect()),
                    other => Err(span_of(other)),
                })
            }
            BlockBody::Json(n) => {
                let v = n.get(name)?;
                Some(match &v.kind {
                    Kind::Arr(items) => Ok(items.iter().map(Expr::Json).collect()),
                    _ => Err(v.span),
                })
            }
        }
    }

    fn attr_expr<'b>(&self, body: BlockBody<'b>, name: &str) -> Option<Expr<'b>> {
        match body {
            BlockBody::Hcl(b) => b.get_attribute(name).map(|a| Expr::Hcl(&a.value)),
            BlockBody::Json(n) => n.get(name).map(Expr::Json),
        }
    }

    /// Synthesise the policy JSON of an `aws_iam_policy_document` block,
    /// as the AWS provider renders it, with the block's spans.
    fn synthesize(&self, d: &DataDoc<'_>, depth: u32) -> Node {
        let f = d.file;
        let mut statements: Vec<Node> = Vec::new();
        // Source documents come first; own statements override by Sid,
        // override documents last (the provider's merge order).
        for attr in ["source_policy_documents", "source_json"] {
            self.merge_docs(d.body, attr, f, depth, &mut statements);
        }
        let stmt_blocks = blocks(d.body, "statement");
        for (sp, sb) in stmt_blocks {
            let st = self.statement(sb, sp, f, depth);
            merge_by_sid(&mut statements, st);
        }
        if let Some(sp) = dynamic(d.body, "statement") {
            statements.push(Node::unknown(sp, "dynamic statements"));
        }
        for attr in ["override_policy_documents", "override_json"] {
            self.merge_docs(d.body, attr, f, depth, &mut statements);
        }
        let mut entries = Vec::new();
        match self.attr(d.body, "version", f, depth) {
            Some((k, v)) => entries.push(Entry {
                key: "Version".to_owned(),
                key_span: k,
                value: v,
            }),
            None => entries.push(Entry {
                key: "Version".to_owned(),
                key_span: d.span,
                value: Node::str(d.span, "2012-10-17"),
            }),
        }
        if let Some((k, v)) = self.attr(d.body, "policy_id", f, depth) {
            entries.push(Entry {
                key: "Id".to_owned(),
                key_span: k,
                value: v,
            });
        }
        entries.push(Entry {
            key: "Statement".to_owned(),
            key_span: d.span,
            value: Node::new(d.span, Kind::Arr(statements)),
        });
        let mut doc = Node::new(d.span, Kind::Obj(entries));
        guard(&mut doc);
        doc
    }

    /// Statements of `source_policy_documents` / `override_policy_documents`.
    fn merge_docs(
        &self,
        body: BlockBody<'_>,
        attr: &str,
        f: usize,
        depth: u32,
        statements: &mut Vec<Node>,
    ) {
        let items = if attr.ends_with("_json") {
            self.attr_expr(body, attr).map(|e| Ok(vec![e]))
        } else {
            self.attr_items(body, attr)
        };
        let Some(items) = items else { return };
        let items = match items {
            Ok(items) => items,
            Err(sp) => {
                statements.push(Node::unknown(sp, format!("statements of {attr}")));
                return;
            }
        };
        for item in items {
            let sp = match item {
                Expr::Hcl(x) => span_of(x),
                Expr::Json(n) => n.span,
            };
            match self.policy(item, f, depth + 1) {
                Some(mut r) => {
                    if r.file != f {
                        respan(&mut r.node, sp, true);
                    }
                    match r.node.get("Statement") {
                        Some(s) if !s.is_unknown() => {
                            for st in s.one_or_many() {
                                merge_by_sid(statements, st.clone());
                            }
                        }
                        _ => statements.push(Node::unknown(sp, format!("statements of {attr}"))),
                    }
                }
                None => statements.push(Node::unknown(sp, format!("statements of {attr}"))),
            }
        }
    }

    fn statement(&self, b: BlockBody<'_>, sp: Span, f: usize, depth: u32) -> Node {
        // A `dynamic` block adds principals or conditions nobody can read
        // before the plan: the statement is known only in part.
        let dynamic_at = ["principals", "not_principals", "condition"]
            .into_iter()
            .find_map(|name| dynamic(b, name));
        let mut entries = Vec::new();
        let mut put = |key: &str, key_span: Span, value: Node| {
            entries.push(Entry {
                key: key.to_owned(),
                key_span,
                value,
            });
        };
        if let Some((k, v)) = self.attr(b, "sid", f, depth) {
            put("Sid", k, v);
        }
        match self.attr(b, "effect", f, depth) {
            Some((k, v)) => put("Effect", k, v),
            // The provider's default.
            None => put("Effect", sp, Node::str(sp, "Allow")),
        }
        for (tf, iam) in [
            ("principals", "Principal"),
            ("not_principals", "NotPrincipal"),
        ] {
            let pb = blocks(b, tf);
            if let Some(&(first, _)) = pb.first() {
                put(iam, first, self.principals(&pb, f, depth));
            }
        }
        for (tf, iam) in [
            ("actions", "Action"),
            ("not_actions", "NotAction"),
            ("resources", "Resource"),
            ("not_resources", "NotResource"),
        ] {
            match self.attr(b, tf, f, depth) {
                // The provider leaves out empty sets.
                Some((_, v)) if v.as_array().is_some_and(<[Node]>::is_empty) => {}
                Some((k, v)) => put(iam, k, v),
                None => {}
            }
        }
        let cb = blocks(b, "condition");
        if let Some(&(first, _)) = cb.first() {
            put("Condition", first, self.conditions(&cb, f, depth));
        }
        let mut st = Node::new(sp, Kind::Obj(entries));
        if let Some(at) = dynamic_at {
            mark_partial(&mut st, at, "dynamic blocks");
        }
        st
    }

    fn principals(&self, pb: &[(Span, BlockBody<'_>)], f: usize, depth: u32) -> Node {
        let span = pb.first().map_or(Span::EMPTY, |p| p.0);
        let mut by_type: Vec<Entry> = Vec::new();
        for &(bsp, body) in pb {
            let (tsp, ty) = match self.attr(body, "type", f, depth) {
                Some((_, v)) => (v.span, v.scalar_text()),
                None => (bsp, None),
            };
            let ids = self
                .attr(body, "identifiers", f, depth)
                .map_or_else(|| Node::unknown(bsp, "no identifiers"), |(_, v)| v);
            let ty = match ty {
                Some(t) if !has_unknown(&t) => t,
                _ => UNKNOWN_PART.to_owned(),
            };
            // The provider renders a lone `type = "*"` block as "*".
            if pb.len() == 1 && ty == "*" {
                let star = ids
                    .as_array()
                    .and_then(|a| a.first())
                    .map_or(ids.span, |n| n.span);
                return Node::str(star, "*");
            }
            match by_type.iter_mut().find(|e| e.key == ty) {
                Some(e) => match (&mut e.value.kind, ids.kind) {
                    (Kind::Arr(have), Kind::Arr(more)) => have.extend(more),
                    _ => e.value = Node::unknown(e.value.span, "principals"),
                },
                None => by_type.push(Entry {
                    key: ty,
                    key_span: tsp,
                    value: ids,
                }),
            }
        }
        Node::new(span, Kind::Obj(by_type))
    }

    fn conditions(&self, cb: &[(Span, BlockBody<'_>)], f: usize, depth: u32) -> Node {
        let span = cb.first().map_or(Span::EMPTY, |c| c.0);
        let mut ops: Vec<Entry> = Vec::new();
        for &(bsp, body) in cb {
            let text = |name: &str| -> (Span, String) {
                match self.attr(body, name, f, depth) {
                    Some((_, v)) => match v.scalar_text() {
                        Some(t) if !has_unknown(&t) || claim_of_unknown_issuer(&t) => (v.span, t),
                        _ => (v.span, UNKNOWN_PART.to_owned()),
                    },
                    None => (bsp, UNKNOWN_PART.to_owned()),
                }
            };
            let (tsp, test) = text("test");
            let (vsp, var) = text("variable");
            let values = self
                .attr(body, "values", f, depth)
                .map_or_else(|| Node::unknown(bsp, "no values"), |(_, v)| v);
            // Blocks with the same `test` make one operator (as the provider
            // does); a key from a later block keeps its own block's `test`
            // as the place to report operator problems.
            let (op, merged) = match ops.iter_mut().position(|e| e.key == test) {
                Some(i) => (&mut ops[i], true),
                None => {
                    ops.push(Entry {
                        key: test,
                        key_span: tsp,
                        value: Node::new(tsp, Kind::Obj(Vec::new())),
                    });
                    let last = ops.len() - 1;
                    (&mut ops[last], false)
                }
            };
            let Kind::Obj(keys) = &mut op.value.kind else {
                continue;
            };
            match keys.iter_mut().find(|k| k.key == var) {
                Some(k) => match (&mut k.value.kind, values.kind) {
                    (Kind::Arr(have), Kind::Arr(more)) => have.extend(more),
                    _ => k.value = Node::unknown(k.value.span, "condition values"),
                },
                None => {
                    let values = if merged && values.via.is_none() {
                        values.with_via(Some(Via {
                            span: tsp,
                            label: crate::tree::OPERATOR_VIA.to_owned(),
                        }))
                    } else {
                        values
                    };
                    keys.push(Entry {
                        key: var,
                        key_span: vsp,
                        value: values,
                    });
                }
            }
        }
        Node::new(span, Kind::Obj(ops))
    }
}

/// How [`Eval::used_docs`] names a document: `NAME@FILE`.
pub fn doc_key(name: &str, file: usize) -> String {
    format!("{name}@{file}")
}

/// Nested blocks named `name` (HCL blocks, or `.tf.json` objects / lists
/// of objects), each with the span to point at.
fn blocks<'b>(body: BlockBody<'b>, name: &str) -> Vec<(Span, BlockBody<'b>)> {
    match body {
        BlockBody::Hcl(b) => b
            .iter()
            .filter_map(|s| match s {
                Structure::Block(blk) if blk.ident.as_str() == name && blk.labels.is_empty() => {
                    Some((span_of(&blk.ident), BlockBody::Hcl(&blk.body)))
                }
                _ => None,
            })
            .collect(),
        BlockBody::Json(n) => n
            .entries()
            .iter()
            .filter(|e| e.key == name)
            .flat_map(|e| {
                objects(&e.value)
                    .into_iter()
                    .map(move |o| (e.key_span, BlockBody::Json(o)))
            })
            .collect(),
    }
}

/// A `dynamic "name"` block's span, if there is one.
fn dynamic(body: BlockBody<'_>, name: &str) -> Option<Span> {
    match body {
        BlockBody::Hcl(b) => b.blocks().find_map(|blk| {
            (blk.ident.as_str() == "dynamic" && labels(blk).first() == Some(&name))
                .then(|| span_of(&blk.ident))
        }),
        BlockBody::Json(n) => n
            .entry("dynamic")
            .filter(|e| objects(&e.value).iter().any(|o| o.entry(name).is_some()))
            .map(|e| e.key_span),
    }
}

/// Add a statement, replacing one with the same (known) Sid.
fn merge_by_sid(statements: &mut Vec<Node>, st: Node) {
    let sid = st
        .get("Sid")
        .and_then(Node::as_str)
        .filter(|s| !s.is_empty() && !has_unknown(s))
        .map(str::to_owned);
    if let Some(sid) = sid {
        if let Some(slot) = statements
            .iter_mut()
            .find(|s| s.get("Sid").and_then(Node::as_str) == Some(sid.as_str()))
        {
            *slot = st;
            return;
        }
    }
    statements.push(st);
}
