//! Policy-valued expressions (`assume_role_policy`, `policy`): heredoc
//! and quoted JSON with interpolations, `jsonencode(...)`, a policy file
//! read by `file("…")`, a reference to a document or to a variable or
//! local holding one — resolved to a document, or `None`.

use hcl_edit::expr::{Expression, Traversal, TraversalOperator};
use hcl_edit::template::Element;

use super::eval::{Eval, MAX_DEPTH, NOFILE};
use super::module::{pick, Expr};
use super::provenance::attach_via;
use crate::load::embedded::{too_long, Builder, Mapped, MAX_EMBEDDED_LEN};
use crate::load::hcl::span_of;
use crate::source::Span;
use crate::tree::respan;
use crate::tree::{has_unknown, Kind, Node};

/// A resolved policy document and the file its spans point into.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub node: Node,
    pub file: usize,
}
impl Eval<'_, '_> {
    /// A policy-valued expression (`assume_role_policy`, `policy`): its
    /// document, or `None` when it cannot be known.
    pub fn policy(&self, e: Expr<'_>, file: usize, depth: u32) -> Option<Resolved> {
        match e {
            Expr::Hcl(x) => self.policy_hcl(x, self.text(file), file, depth),
            Expr::Json(n) => self.policy_json(n, file, depth),
        }
    }

    fn policy_hcl(&self, e: &Expression, src: &str, file: usize, depth: u32) -> Option<Resolved> {
        if depth > MAX_DEPTH {
            return None;
        }
        let sp = span_of(e);
        match e {
            Expression::Parenthesis(p) => self.policy_hcl(p.inner(), src, file, depth + 1),
            Expression::FuncCall(f) if !f.name.is_namespaced() => {
                let args: Vec<&Expression> = f.args.iter().collect();
                match (f.name.name.value().as_str(), args.as_slice()) {
                    ("jsonencode", [a]) => known(self.hcl(a, src, file, depth + 1), file),
                    ("file", [p]) => {
                        // The document is reported in the policy file, at
                        // its own spans, for this resource.
                        let (path, text) = self.read_file(p, src, file, depth + 1)?;
                        let node = crate::load::json::parse(&text).ok()?;
                        let file = self.loaded_index(path, text);
                        Some(Resolved { node, file })
                    }
                    _ => self.policy_value(e, src, file, depth),
                }
            }
            Expression::HeredocTemplate(h) => {
                let mut b = Builder::new();
                for el in h.template.iter() {
                    let es = span_of(el);
                    match el {
                        Element::Literal(_) => {
                            let raw = src.get(es.range()).unwrap_or("");
                            b.push(&Mapped::identity(raw, es.start as usize).template_literal());
                        }
                        _ => b.push_hole(es, self.hole(el, src, file, depth)),
                    }
                }
                self.finish(b, file)
            }
            Expression::String(_) => {
                let inner = Span::new(sp.start as usize + 1, (sp.end as usize).saturating_sub(1));
                let raw = src.get(inner.range()).unwrap_or("");
                let mut b = Builder::new();
                b.push(&Mapped::hcl_quoted(raw, inner.start as usize));
                self.finish(b, file)
            }
            Expression::StringTemplate(t) => {
                let els: Vec<&Element> = t.iter().collect();
                if let [Element::Interpolation(i)] = els.as_slice() {
                    return self.policy_hcl(&i.expr, src, file, depth + 1);
                }
                let mut b = Builder::new();
                for el in els {
                    let es = span_of(el);
                    match el {
                        Element::Literal(_) => {
                            let raw = src.get(es.range()).unwrap_or("");
                            b.push(&Mapped::hcl_quoted(raw, es.start as usize));
                        }
                        _ => b.push_hole(es, self.hole(el, src, file, depth)),
                    }
                }
                self.finish(b, file)
            }
            Expression::Traversal(t) => self.policy_traversal(t, src, file, depth),
            _ => self.policy_value(e, src, file, depth),
        }
    }

    fn hole(&self, el: &Element, src: &str, file: usize, depth: u32) -> Node {
        match el {
            Element::Interpolation(i) => self.hcl(&i.expr, src, file, depth + 1),
            _ => Node::unknown(span_of(el), "a template directive"),
        }
    }

    /// Parse an assembled embedded document. A syntax error is reported
    /// only when no interpolation could be the cause.
    fn finish(&self, b: Builder, file: usize) -> Option<Resolved> {
        if b.is_blank() {
            return None;
        }
        // A syntax error may come from the filler of an interpolation that
        // stands for a whole value (text inside a string cannot break the
        // syntax); a document over the length limit is reported whatever
        // it holds.
        let report = !b.has_value_holes() || b.overflowed();
        match b.parse() {
            Ok(node) => Some(Resolved { node, file }),
            Err(e) => {
                if report && file != NOFILE {
                    self.errors.borrow_mut().push((file, e));
                }
                None
            }
        }
    }

    fn policy_traversal(
        &self,
        t: &Traversal,
        src: &str,
        file: usize,
        depth: u32,
    ) -> Option<Resolved> {
        let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| o.value()).collect();
        let attr = |i: usize| match ops.get(i) {
            Some(TraversalOperator::GetAttr(id)) => Some(id.value().as_str()),
            _ => None,
        };
        let Expression::Variable(root) = &t.expr else {
            return None;
        };
        match (root.value().as_str(), ops.len()) {
            ("data", 3 | 4) if attr(0) == Some("aws_iam_policy_document") => {
                let name = attr(1)?;
                if !matches!(attr(ops.len() - 1), Some("json" | "minified_json")) {
                    return None;
                }
                // Spans stay in the document's file; the caller re-spans
                // when that is not where it reports.
                self.doc(name, file, depth)
            }
            (kind @ ("var" | "local"), 1) => {
                let name = attr(0)?;
                let def = if kind == "var" {
                    pick(self.m.vars.get(name), self.home(file))?.default?
                } else {
                    *pick(self.m.locals.get(name), self.home(file))?
                };
                let key = format!("{kind}.{name}");
                if self.stack.borrow().contains(&key) {
                    return None;
                }
                self.stack.borrow_mut().push(key);
                let r = self.policy(def.expr, def.file, depth + 1);
                self.stack.borrow_mut().pop();
                // Each reference parses the document again: a copy.
                let r = r?;
                if !self.charge(crate::extract::weight(&r.node), file, span_of(&t.expr)) {
                    return None;
                }
                Some(r)
            }
            _ => self.policy_value(
                &Expression::Traversal(Box::new(t.clone())),
                src,
                file,
                depth,
            ),
        }
    }

    /// Any other expression: its value, as an object or a JSON string.
    fn policy_value(&self, e: &Expression, src: &str, file: usize, depth: u32) -> Option<Resolved> {
        let v = self.hcl(e, src, file, depth + 1);
        self.policy_from_value(v, file)
    }

    fn policy_from_value(&self, v: Node, file: usize) -> Option<Resolved> {
        match &v.kind {
            Kind::Str(s) if s.trim().is_empty() => None,
            Kind::Obj(_) => Some(Resolved { node: v, file }),
            Kind::Str(s) if !has_unknown(s) => {
                let mut n = crate::load::json::parse(s).ok()?;
                respan(&mut n, v.span, true);
                if let Some(via) = &v.via {
                    attach_via(&mut n, via);
                }
                Some(Resolved { node: n, file })
            }
            _ => None,
        }
    }

    fn policy_json(&self, n: &Node, file: usize, depth: u32) -> Option<Resolved> {
        self.in_json(file, || self.policy_json_in(n, file, depth))
    }

    fn policy_json_in(&self, n: &Node, file: usize, depth: u32) -> Option<Resolved> {
        if matches!(n.kind, Kind::Str(_)) && n.span.len() > MAX_EMBEDDED_LEN + 2 {
            if file != NOFILE {
                self.errors.borrow_mut().push((file, too_long(n.span)));
            }
            return None;
        }
        match &n.kind {
            Kind::Str(s) if s.contains("${") || s.contains("%{") => {
                let m = Mapped::json_string(self.text(file), n.span)?;
                let t = hcl_edit::parser::parse_template(&m.text).ok()?;
                let els: Vec<&Element> = t.iter().collect();
                if let [Element::Interpolation(i)] = els.as_slice() {
                    // A document with spans in a file (a data source of the
                    // module, a policy file) is reported where its spans
                    // are, as `Sink::doc` decides; a value of the string
                    // itself is shown at the string.
                    let mut r = self.policy_hcl(&i.expr, &m.text, NOFILE, depth + 1)?;
                    if r.file == NOFILE {
                        respan(&mut r.node, n.span, true);
                        r.file = file;
                    }
                    return Some(r);
                }
                let mut b = Builder::new();
                for el in els {
                    let es = span_of(el);
                    match el {
                        Element::Literal(_) => b.push(&m.slice(es.range()).template_literal()),
                        _ => {
                            let mut v = self.hole(el, &m.text, NOFILE, depth);
                            let at = m.span(es.range());
                            respan(&mut v, at, true);
                            b.push_hole(at, v);
                        }
                    }
                }
                self.finish(b, file)
            }
            Kind::Str(_) => {
                let m = Mapped::json_string(self.text(file), n.span)?;
                let mut b = Builder::new();
                b.push(&m.template_literal());
                self.finish(b, file)
            }
            Kind::Obj(_) => known(self.json(n, file, depth + 1), file),
            _ => None,
        }
    }
}

fn known(n: Node, file: usize) -> Option<Resolved> {
    if n.is_unknown() {
        None
    } else {
        Some(Resolved { node: n, file })
    }
}
