//! The evaluator: [`Eval`], its state and bounds (steps, copies, depth,
//! the notes it leaves), and the values of expressions — literals,
//! collections, templates, arithmetic and comparisons, conditionals, and
//! `.tf.json` strings. References, functions and policy documents are
//! resolved by the `impl Eval` blocks of their own files.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::template::Element;

use super::guard::claim_of_unknown_issuer;
use super::module::{Expr, Module};
use crate::extract::Budget;
use crate::limit::LimitHit;
use crate::load::embedded::{piece_text, Mapped};
use crate::load::hcl::span_of;
use crate::load::ParseError;
use crate::source::Span;
use crate::tree::respan;
use crate::tree::{has_unknown, sanitize, Entry, Kind, Node, UNKNOWN_PART};

/// Deepest chain of nested expressions and references we follow.
pub const MAX_DEPTH: u32 = 128;
/// Evaluation steps per module (guards against exponential local chains).
pub const FUEL: u32 = 500_000;
/// "The spans are not file spans" (an expression parsed out of a
/// `.tf.json` string): the caller re-spans the result.
pub const NOFILE: usize = usize::MAX;

/// Resolves expressions of one module.
pub struct Eval<'m, 'a> {
    pub m: &'m Module<'a>,
    pub(super) used: RefCell<BTreeSet<String>>,
    fuel: Cell<u32>,
    /// Where the fuel ran out first (file, place).
    fuel_hit: Cell<Option<(usize, Span)>>,
    budget: Budget,
    pub(super) stack: RefCell<Vec<String>>,
    pub(super) errors: RefCell<Vec<(usize, ParseError)>>,
    /// Conditionals whose condition is unknown and whose branches were
    /// both taken (the union), by file: how many, and the first's place.
    unions: RefCell<BTreeMap<usize, (usize, Span)>>,
    /// Other limits reached, by file.
    pub(super) notes: RefCell<Vec<(usize, LimitHit)>>,
    /// Policy files read by `file("…")`; the `k`-th has file index
    /// `m.files.len() + k`, so its documents are reported in it.
    loaded: RefCell<Vec<LoadedFile>>,
    /// The `.tf.json` file whose string is being evaluated: its
    /// interpolations have no spans in a file ([`NOFILE`]), but
    /// `path.module` and `file("…")` are relative to its directory.
    json_home: Cell<usize>,
}

/// A policy file a module reads with `file("…")`: its path as reports
/// show it, and its text.
#[derive(Clone, Debug)]
pub struct LoadedFile {
    pub path: String,
    pub text: String,
}

/// A short description of an expression for unknown values.
pub(super) fn describe(src: &str, span: Span) -> String {
    let t = src.get(span.range()).unwrap_or("").trim();
    if t.is_empty() {
        return "an unresolved value".to_owned();
    }
    let mut s: String = t.chars().take(60).collect();
    if s.len() < t.len() {
        s.push('…');
    }
    s.replace('\n', " ")
}

impl<'m, 'a> Eval<'m, 'a> {
    pub fn new(m: &'m Module<'a>) -> Self {
        Eval {
            m,
            used: RefCell::new(BTreeSet::new()),
            fuel: Cell::new(FUEL),
            fuel_hit: Cell::new(None),
            budget: Budget::default(),
            stack: RefCell::new(Vec::new()),
            errors: RefCell::new(Vec::new()),
            loaded: RefCell::new(Vec::new()),
            json_home: Cell::new(NOFILE),
            unions: RefCell::new(BTreeMap::new()),
            notes: RefCell::new(Vec::new()),
        }
    }

    /// Run `f` on a string of `.tf.json` file `file` (see `json_home`).
    pub(super) fn in_json<T>(&self, file: usize, f: impl FnOnce() -> T) -> T {
        let outer = self.json_home.replace(file);
        let r = f();
        self.json_home.set(outer);
        r
    }

    /// The file an expression of `file` is written in: for [`NOFILE`],
    /// the `.tf.json` file whose string holds it. A name defined in several
    /// files means the definition in this one.
    pub(super) fn home(&self, file: usize) -> usize {
        if file == NOFILE {
            self.json_home.get()
        } else {
            file
        }
    }

    /// The file whose directory a relative path of `file` is in.
    pub(super) fn dir_of(&self, file: usize) -> Option<&Path> {
        let file = self.home(file);
        self.m
            .files
            .get(file)
            .and_then(|f| Path::new(f.path).parent())
    }

    /// The policy files `file("…")` read, in file-index order after the
    /// module's own files.
    pub fn take_loaded(&self) -> Vec<LoadedFile> {
        std::mem::take(&mut *self.loaded.borrow_mut())
    }

    /// The file index of a policy file read by `file("…")`, registering
    /// it the first time.
    pub(super) fn loaded_index(&self, path: String, text: String) -> usize {
        let mut loaded = self.loaded.borrow_mut();
        let k = match loaded.iter().position(|l| l.path == path) {
            Some(k) => k,
            None => {
                loaded.push(LoadedFile { path, text });
                loaded.len() - 1
            }
        };
        self.m.files.len() + k
    }

    /// Names of the policy documents some evaluated expression referenced.
    pub fn used_docs(&self) -> BTreeSet<String> {
        self.used.borrow().clone()
    }

    /// Forget which documents were referenced.
    pub fn clear_used(&self) {
        self.used.borrow_mut().clear();
    }

    /// The first value too deep to resolve (file, place).
    pub fn depth_hit(&self) -> Option<(usize, Span)> {
        self.budget.depth_hit()
    }

    /// The conditionals analysed as a union, by file: (count, first place).
    pub fn unions(&self) -> BTreeMap<usize, (usize, Span)> {
        self.unions.borrow().clone()
    }

    /// Limits reached other than fuel, copies and depth, by file.
    pub fn notes(&self) -> Vec<(usize, LimitHit)> {
        self.notes.borrow().clone()
    }

    fn note_union(&self, file: usize, at: Span) {
        let mut u = self.unions.borrow_mut();
        let e = u.entry(file).or_insert((0, at));
        e.0 += 1;
        e.1 = e.1.min(at);
    }

    /// A conditional's value when its condition is known; otherwise both
    /// branches' values (`Err`).
    fn conditional(
        &self,
        c: &hcl_edit::expr::Conditional,
        src: &str,
        file: usize,
        d: u32,
    ) -> Result<Node, (Node, Node)> {
        match self.hcl(&c.cond_expr, src, file, d).kind {
            Kind::Bool(true) => Ok(self.hcl(&c.true_expr, src, file, d)),
            Kind::Bool(false) => Ok(self.hcl(&c.false_expr, src, file, d)),
            _ => Err((
                self.hcl(&c.true_expr, src, file, d),
                self.hcl(&c.false_expr, src, file, d),
            )),
        }
    }

    /// The items a list item stands for: itself, or both branches of a
    /// conditional whose condition is unknown (SPEC §2: the union).
    fn items(&self, x: &Expression, src: &str, file: usize, d: u32, out: &mut Vec<Node>) {
        if let Expression::Conditional(c) = x {
            if d <= MAX_DEPTH {
                match self.conditional(c, src, file, d + 1) {
                    Ok(n) => out.push(n),
                    Err((a, b)) => {
                        self.note_union(file, span_of(x));
                        out.push(a);
                        out.push(b);
                    }
                }
                return;
            }
        }
        out.push(self.hcl(x, src, file, d));
    }

    /// Parse errors of embedded documents since the last call, by file.
    pub fn take_errors(&self) -> Vec<(usize, ParseError)> {
        std::mem::take(&mut *self.errors.borrow_mut())
    }

    fn burn(&self, file: usize, at: Span) -> bool {
        let f = self.fuel.get();
        if f == 0 || self.budget.exhausted() {
            if self.fuel_hit.get().is_none() && !self.budget.exhausted() {
                self.fuel_hit.set(Some((file, at)));
            }
            return false;
        }
        self.fuel.set(f - 1);
        true
    }

    /// Spend the copy budget for a value pasted at `at` in `file`.
    pub(super) fn charge(&self, bytes: usize, file: usize, at: Span) -> bool {
        self.budget.charge(bytes, file, at)
    }

    /// The first limit evaluation ran into, if any: the file index
    /// ([`NOFILE`] when the place is not in a file), the place, and what
    /// happened.
    pub fn limit_hit(&self) -> Option<(usize, Span, String, crate::limit::Bound)> {
        use crate::limit::{value, Limit};
        if let Some((file, at)) = self.budget.hit() {
            return Some((
                file,
                at,
                format!(
                    "resolving the module's values copies more than {} bytes; \
                     values from here on were treated as unknown",
                    crate::extract::RESOLVE_BUDGET
                ),
                (Limit::ResolveCopies, value(crate::extract::RESOLVE_BUDGET)),
            ));
        }
        self.fuel_hit.get().map(|(file, at)| {
            (
                file,
                at,
                format!(
                    "resolving the module's values takes more than {FUEL} steps; \
                     values from here on were treated as unknown"
                ),
                (Limit::TerraformSteps, u64::from(FUEL)),
            )
        })
    }

    pub(super) fn text(&self, file: usize) -> &'a str {
        self.m.files.get(file).map_or("", |f| f.text)
    }

    /// The value of a definition's expression, spans in `file`.
    pub fn value(&self, e: Expr<'_>, file: usize, depth: u32) -> Node {
        match e {
            Expr::Hcl(x) => self.hcl(x, self.text(file), file, depth),
            Expr::Json(n) => self.json(n, file, depth),
        }
    }

    /// An HCL expression's value. `src` is the text its spans index.
    pub fn hcl(&self, e: &Expression, src: &str, file: usize, depth: u32) -> Node {
        let sp = span_of(e);
        if depth > MAX_DEPTH {
            self.budget.too_deep(file, sp);
        }
        if depth > MAX_DEPTH || !self.burn(file, sp) {
            return Node::unknown(sp, "a value too deep to resolve");
        }
        let d = depth + 1;
        let kind = match e {
            Expression::Null(_) => Kind::Null,
            Expression::Bool(b) => Kind::Bool(*b.value()),
            Expression::Number(n) => {
                let raw = src.get(sp.range()).map(str::trim).unwrap_or("");
                Kind::Num(if raw.is_empty() {
                    n.value().to_string()
                } else {
                    raw.to_owned()
                })
            }
            Expression::String(s) => Kind::Str(sanitize(s.value().clone())),
            Expression::Array(a) => {
                let mut items = Vec::with_capacity(a.len());
                for x in a.iter() {
                    self.items(x, src, file, d, &mut items);
                }
                Kind::Arr(items)
            }
            Expression::Object(o) => {
                let mut entries = Vec::new();
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(id) => id.value().as_str().to_owned(),
                        ObjectKey::Expression(Expression::Variable(id)) => {
                            id.value().as_str().to_owned()
                        }
                        ObjectKey::Expression(x) => match self.hcl(x, src, file, d).kind {
                            Kind::Str(s) if !has_unknown(&s) || claim_of_unknown_issuer(&s) => s,
                            _ => return Node::unknown(sp, "an object with a computed key"),
                        },
                    };
                    entries.push(Entry {
                        key,
                        key_span: span_of(k),
                        value: self.hcl(v.expr(), src, file, d),
                    });
                }
                Kind::Obj(entries)
            }
            Expression::StringTemplate(t) => return self.template(t.iter(), src, file, d, sp),
            Expression::HeredocTemplate(h) => {
                return self.template(h.template.iter(), src, file, d, sp)
            }
            Expression::Parenthesis(p) => return self.hcl(p.inner(), src, file, d),
            Expression::Traversal(t) => return self.traversal(t, src, file, d, sp),
            Expression::FuncCall(f) => return self.func(f, src, file, d, sp),
            Expression::BinaryOp(op) => return self.arithmetic(op, src, file, d, sp),
            Expression::Conditional(c) => {
                // A condition known from the file (a variable's default,
                // a literal) selects its branch. Otherwise two lists are
                // their union (every principal and condition value of
                // both is analysed: a list grants the union of its
                // items); anything else is unknown.
                return match self.conditional(c, src, file, d) {
                    Ok(n) => n,
                    Err((
                        Node {
                            kind: Kind::Arr(mut a),
                            ..
                        },
                        Node {
                            kind: Kind::Arr(b), ..
                        },
                    )) => {
                        self.note_union(file, sp);
                        a.extend(b);
                        Node::new(sp, Kind::Arr(a))
                    }
                    Err(_) => Node::unknown(sp, describe(src, sp)),
                };
            }
            Expression::Variable(_) | Expression::ForExpr(_) | Expression::UnaryOp(_) => {
                Kind::Unknown(describe(src, sp))
            }
        };
        Node::new(sp, kind)
    }

    /// `+ - * /` on two known numbers (`var.hours * 3600`): arithmetic,
    /// not a guess. Anything else is unknown.
    fn arithmetic(
        &self,
        op: &hcl_edit::expr::BinaryOp,
        src: &str,
        file: usize,
        depth: u32,
        sp: Span,
    ) -> Node {
        use hcl_edit::expr::BinaryOperator as B;
        let l = self.hcl(&op.lhs_expr, src, file, depth);
        let r = self.hcl(&op.rhs_expr, src, file, depth);
        let num = |n: &Node| match &n.kind {
            Kind::Num(t) => t.parse::<f64>().ok(),
            _ => None,
        };
        // `==` and `!=` on two known scalars of the same type (`null` is
        // never known: an empty default is a placeholder).
        if let B::Eq | B::NotEq = op.operator.value() {
            let same = match (&l.kind, &r.kind) {
                (Kind::Str(a), Kind::Str(b)) if !has_unknown(a) && !has_unknown(b) => Some(a == b),
                (Kind::Num(_), Kind::Num(_)) => num(&l).zip(num(&r)).map(|(a, b)| a == b),
                (Kind::Bool(a), Kind::Bool(b)) => Some(a == b),
                _ => None,
            };
            return match same {
                Some(eq) => {
                    let mut n = Node::new(sp, Kind::Bool(eq == (*op.operator.value() == B::Eq)));
                    n.via = l.via.or(r.via);
                    n
                }
                None => Node::unknown(sp, describe(src, sp)),
            };
        }
        let value = match (num(&l), num(&r), op.operator.value()) {
            (Some(a), Some(b), B::Plus) => Some(a + b),
            (Some(a), Some(b), B::Minus) => Some(a - b),
            (Some(a), Some(b), B::Mul) => Some(a * b),
            (Some(a), Some(b), B::Div) if b != 0.0 => Some(a / b),
            _ => None,
        };
        match value.filter(|v| v.is_finite()) {
            Some(v) => {
                let text = if v.fract() == 0.0 && v.abs() < 1e15 {
                    format!("{v:.0}")
                } else {
                    v.to_string()
                };
                let mut n = Node::new(sp, Kind::Num(text));
                n.via = l.via.or(r.via);
                n
            }
            None => Node::unknown(sp, describe(src, sp)),
        }
    }

    fn template<'e>(
        &self,
        elements: impl Iterator<Item = &'e Element>,
        src: &str,
        file: usize,
        depth: u32,
        sp: Span,
    ) -> Node {
        let els: Vec<&Element> = elements.collect();
        // A template that is one interpolation is that value, unchanged.
        if let [Element::Interpolation(i)] = els.as_slice() {
            return self.hcl(&i.expr, src, file, depth);
        }
        let mut s = String::new();
        let mut via = None;
        for el in els {
            match el {
                Element::Literal(l) => s.push_str(&sanitize(l.value().clone())),
                Element::Interpolation(i) => {
                    let v = self.hcl(&i.expr, src, file, depth);
                    let piece = piece_text(&v);
                    if !self.charge(piece.len(), file, span_of(i)) {
                        return Node::unknown(sp, describe(src, sp));
                    }
                    s.push_str(&piece);
                    if via.is_none() {
                        via = v.via;
                    }
                }
                Element::Directive(_) => s.push_str(UNKNOWN_PART),
            }
        }
        let mut n = Node::str(sp, s);
        n.via = via;
        n
    }

    /// A `.tf.json` value: strings are templates.
    pub fn json(&self, n: &Node, file: usize, depth: u32) -> Node {
        if depth > MAX_DEPTH {
            self.budget.too_deep(file, n.span);
        }
        if depth > MAX_DEPTH || !self.burn(file, n.span) {
            return Node::unknown(n.span, "a value too deep to resolve");
        }
        match &n.kind {
            Kind::Str(s) if s.contains("${") || s.contains("%{") => {
                self.json_template(n, file, depth)
            }
            Kind::Arr(items) => Node::new(
                n.span,
                Kind::Arr(
                    items
                        .iter()
                        .map(|i| self.json(i, file, depth + 1))
                        .collect(),
                ),
            ),
            Kind::Obj(entries) => Node::new(
                n.span,
                Kind::Obj(
                    entries
                        .iter()
                        .map(|e| Entry {
                            key: e.key.clone(),
                            key_span: e.key_span,
                            value: self.json(&e.value, file, depth + 1),
                        })
                        .collect(),
                ),
            ),
            _ => n.clone(),
        }
    }

    /// A `.tf.json` string with interpolations, decoded from the file.
    fn json_template(&self, n: &Node, file: usize, depth: u32) -> Node {
        self.in_json(file, || self.json_template_in(n, file, depth))
    }

    fn json_template_in(&self, n: &Node, file: usize, depth: u32) -> Node {
        let unknown = || Node::unknown(n.span, "an interpolated string");
        let Some(m) = Mapped::json_string(self.text(file), n.span) else {
            return unknown();
        };
        let Ok(t) = hcl_edit::parser::parse_template(&m.text) else {
            return unknown();
        };
        let els: Vec<&Element> = t.iter().collect();
        if let [Element::Interpolation(i)] = els.as_slice() {
            let mut v = self.hcl(&i.expr, &m.text, NOFILE, depth + 1);
            respan(&mut v, n.span, true);
            return v;
        }
        let mut s = String::new();
        for el in els {
            match el {
                Element::Literal(l) => s.push_str(&sanitize(l.value().clone())),
                Element::Interpolation(i) => {
                    let piece = piece_text(&self.hcl(&i.expr, &m.text, NOFILE, depth + 1));
                    if !self.charge(piece.len(), file, n.span) {
                        return unknown();
                    }
                    s.push_str(&piece);
                }
                Element::Directive(_) => s.push_str(UNKNOWN_PART),
            }
        }
        Node::str(n.span, s)
    }
}
