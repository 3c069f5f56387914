//! Terraform values, resolved symbolically (SPEC §1): the module's
//! variables (their defaults), locals, `data "aws_iam_policy_document"`
//! blocks, `data.aws_caller_identity.*.account_id` (this account),
//! `data.aws_partition.*.partition`, `jsonencode(...)`, heredoc and quoted
//! JSON, and `file("...")` of a policy file; arithmetic, `==`/`!=`,
//! conditionals, `concat`, `format`, `join` and `lookup` on values known
//! that way. Anything else — module outputs,
//! resource attributes, conditions on unknown values, `for` expressions,
//! `count`/`each` — becomes [`Kind::Unknown`]: the rules never rest a
//! finding on a guess.
//!
//! One [`Module`] holds the definitions of every file of a module directory
//! (HCL bodies or `.tf.json` roots); an [`Eval`] resolves expressions
//! against it. A node never mixes spans of two files: a value taken from
//! another file is re-spanned onto the reference that uses it, with a
//! [`Via`] label saying where it came from.
//!
//! Evaluation is bounded: a reference chain deeper than [`MAX_DEPTH`], a
//! cycle, more than [`FUEL`] evaluation steps per module, or copies beyond
//! the module's [`Budget`] (a variable pasted at every use, a template
//! interpolation, a policy file read again) yield unknowns. Running out of
//! steps or budget is reported once ([`Eval::limit_hit`]).

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use hcl_edit::expr::{Expression, FuncCall, ObjectKey, Traversal, TraversalOperator};
use hcl_edit::structure::{Body, Structure};
use hcl_edit::template::Element;

use super::Budget;
use crate::limit::{Limit, LimitHit};
use crate::load::embedded::{piece_text, too_long, Builder, Mapped, MAX_EMBEDDED_LEN};
use crate::load::hcl::span_of;
use crate::load::ParseError;
use crate::source::Span;
use crate::tree::{
    has_unknown, mark_partial, sanitize, Entry, Kind, Node, Via, THIS_ACCOUNT, UNKNOWN_PART,
};

/// Deepest chain of nested expressions and references we follow.
pub const MAX_DEPTH: u32 = 128;
/// Evaluation steps per module (guards against exponential local chains).
pub const FUEL: u32 = 500_000;
/// Largest policy file `file("…")` reads.
/// "The spans are not file spans" (an expression parsed out of a
/// `.tf.json` string): the caller re-spans the result.
pub const NOFILE: usize = usize::MAX;

/// A file of the module.
#[derive(Clone, Copy, Debug)]
pub struct File<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub report: bool,
}

/// An expression in one of the two Terraform syntaxes.
#[derive(Clone, Copy, Debug)]
pub enum Expr<'a> {
    Hcl(&'a Expression),
    /// A `.tf.json` value: strings are templates.
    Json(&'a Node),
}

/// A variable default or a local value.
#[derive(Clone, Copy, Debug)]
pub struct Def<'a> {
    pub expr: Expr<'a>,
    pub file: usize,
}

/// A block body in one of the two syntaxes.
#[derive(Clone, Copy, Debug)]
pub enum BlockBody<'a> {
    Hcl(&'a Body),
    Json(&'a Node),
}

/// A `data "aws_iam_policy_document"` block.
#[derive(Clone, Copy, Debug)]
pub struct DataDoc<'a> {
    pub body: BlockBody<'a>,
    pub file: usize,
    /// The block's name label (where the synthesised `Version` points).
    pub span: Span,
}

/// A `variable` block: its file, and its default if it has one.
#[derive(Clone, Copy, Debug)]
pub struct VarDef<'a> {
    pub file: usize,
    pub default: Option<Def<'a>>,
}

trait InFile {
    fn file(&self) -> usize;
}
impl InFile for VarDef<'_> {
    fn file(&self) -> usize {
        self.file
    }
}
impl InFile for Def<'_> {
    fn file(&self) -> usize {
        self.file
    }
}
/// A `resource "aws_iam_openid_connect_provider"` block: its file, and
/// its `url` if it has one.
#[derive(Clone, Copy, Debug)]
pub struct ProviderDef<'a> {
    pub file: usize,
    pub url: Option<Def<'a>>,
}

impl InFile for ProviderDef<'_> {
    fn file(&self) -> usize {
        self.file
    }
}
impl InFile for DataDoc<'_> {
    fn file(&self) -> usize {
        self.file
    }
}

/// The definition a reference from `from` means. A name defined in several
/// files is invalid Terraform (test-fixture directories hold independent
/// files): the one in the referencing file wins, otherwise it is unknown.
fn pick<T: InFile>(defs: Option<&Vec<T>>, from: usize) -> Option<&T> {
    let defs = defs?;
    defs.iter()
        .find(|d| d.file() == from)
        .or_else(|| (defs.len() == 1).then(|| &defs[0]))
}

/// The definitions of one module directory. A name maps to a list: the
/// same name may be defined in several files of a fixture directory.
#[derive(Default)]
pub struct Module<'a> {
    pub files: Vec<File<'a>>,
    /// Reads a `file("…")` target (the driver's: confined to the scanned
    /// tree, bounded); `None`: `file()` is unknown.
    pub reader: Option<&'a FileReader<'a>>,
    pub vars: HashMap<String, Vec<VarDef<'a>>>,
    pub locals: HashMap<String, Vec<Def<'a>>>,
    pub docs: BTreeMap<String, Vec<DataDoc<'a>>>,
    pub oidc_providers: HashMap<String, Vec<ProviderDef<'a>>>,
}

/// `file()` targets larger than this are unknown (a limit note says so).
pub const MAX_POLICY_FILE: u64 = 1 << 20;

/// Reads a file named by Terraform's `file()`: the text, or why not.
pub type FileReader<'r> = dyn Fn(&Path) -> Result<String, String> + Sync + 'r;

/// The labels of an HCL block as strings.
pub fn labels(b: &hcl_edit::structure::Block) -> Vec<&str> {
    b.labels.iter().map(|l| l.as_str()).collect()
}

impl<'a> Module<'a> {
    /// Register a file's definitions (HCL).
    pub fn add_hcl(&mut self, file: usize, body: &'a Body) {
        for b in body.blocks() {
            let l = labels(b);
            match (b.ident.as_str(), l.as_slice()) {
                ("variable", [name]) => {
                    let default = b.body.get_attribute("default").map(|a| Def {
                        expr: Expr::Hcl(&a.value),
                        file,
                    });
                    self.vars
                        .entry((*name).to_owned())
                        .or_default()
                        .push(VarDef { file, default });
                }
                ("locals", []) => {
                    for a in b.body.attributes() {
                        self.locals
                            .entry(a.key.as_str().to_owned())
                            .or_default()
                            .push(Def {
                                expr: Expr::Hcl(&a.value),
                                file,
                            });
                    }
                }
                ("resource", ["aws_iam_openid_connect_provider", name]) => {
                    let url = b.body.get_attribute("url").map(|a| Def {
                        expr: Expr::Hcl(&a.value),
                        file,
                    });
                    self.oidc_providers
                        .entry((*name).to_owned())
                        .or_default()
                        .push(ProviderDef { file, url });
                }
                ("data", ["aws_iam_policy_document", name]) => {
                    let span = b.labels.get(1).map_or(span_of(&b.ident), span_of);
                    self.docs
                        .entry((*name).to_owned())
                        .or_default()
                        .push(DataDoc {
                            body: BlockBody::Hcl(&b.body),
                            file,
                            span,
                        });
                }
                _ => {}
            }
        }
    }

    /// Register a `.tf.json` file's definitions.
    pub fn add_json(&mut self, file: usize, root: &'a Node) {
        for e in root.entries() {
            match e.key.as_str() {
                "variable" => {
                    for o in objects(&e.value) {
                        for v in o.entries() {
                            let default = v.value.get("default").map(|d| Def {
                                expr: Expr::Json(d),
                                file,
                            });
                            self.vars
                                .entry(v.key.clone())
                                .or_default()
                                .push(VarDef { file, default });
                        }
                    }
                }
                "locals" => {
                    for o in objects(&e.value) {
                        for l in o.entries() {
                            self.locals.entry(l.key.clone()).or_default().push(Def {
                                expr: Expr::Json(&l.value),
                                file,
                            });
                        }
                    }
                }
                "resource" => {
                    for o in objects(&e.value) {
                        for t in o
                            .entries()
                            .iter()
                            .filter(|t| t.key == "aws_iam_openid_connect_provider")
                        {
                            for named in objects(&t.value) {
                                for d in named.entries() {
                                    let url = objects(&d.value)
                                        .into_iter()
                                        .next()
                                        .and_then(|b| b.get("url"))
                                        .map(|u| Def {
                                            expr: Expr::Json(u),
                                            file,
                                        });
                                    self.oidc_providers
                                        .entry(d.key.clone())
                                        .or_default()
                                        .push(ProviderDef { file, url });
                                }
                            }
                        }
                    }
                }
                "data" => {
                    for o in objects(&e.value) {
                        for t in o
                            .entries()
                            .iter()
                            .filter(|t| t.key == "aws_iam_policy_document")
                        {
                            for named in objects(&t.value) {
                                for d in named.entries() {
                                    if let Some(body) = objects(&d.value).into_iter().next() {
                                        self.docs.entry(d.key.clone()).or_default().push(DataDoc {
                                            body: BlockBody::Json(body),
                                            file,
                                            span: d.key_span,
                                        });
                                    }
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// The objects of a `.tf.json` block value: an object, or a list of them.
pub fn objects(n: &Node) -> Vec<&Node> {
    match &n.kind {
        Kind::Obj(_) => vec![n],
        Kind::Arr(items) => items.iter().filter(|i| i.is_object()).collect(),
        _ => Vec::new(),
    }
}

/// A resolved policy document and the file its spans point into.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub node: Node,
    pub file: usize,
}

/// Resolves expressions of one module.
pub struct Eval<'m, 'a> {
    pub m: &'m Module<'a>,
    used: RefCell<BTreeSet<String>>,
    fuel: Cell<u32>,
    /// Where the fuel ran out first (file, place).
    fuel_hit: Cell<Option<(usize, Span)>>,
    budget: Budget,
    stack: RefCell<Vec<String>>,
    errors: RefCell<Vec<(usize, ParseError)>>,
    /// Conditionals whose condition is unknown and whose branches were
    /// both taken (the union), by file: how many, and the first's place.
    unions: RefCell<BTreeMap<usize, (usize, Span)>>,
    /// Other limits reached, by file.
    notes: RefCell<Vec<(usize, LimitHit)>>,
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

/// Every span in the tree set to `span` (a value shown at its use site).
pub fn respan(n: &mut Node, span: Span) {
    n.span = span;
    if let Some(v) = &mut n.via {
        v.span = span;
    }
    match &mut n.kind {
        Kind::Arr(items) => items.iter_mut().for_each(|i| respan(i, span)),
        Kind::Obj(entries) => entries.iter_mut().for_each(|e| {
            e.key_span = span;
            respan(&mut e.value, span);
        }),
        _ => {}
    }
}

/// Give every node without one this provenance.
fn attach_via(n: &mut Node, via: &Via) {
    if n.via.is_none() {
        n.via = Some(Box::new(via.clone()));
    }
    match &mut n.kind {
        Kind::Arr(items) => items.iter_mut().for_each(|i| attach_via(i, via)),
        Kind::Obj(entries) => entries
            .iter_mut()
            .for_each(|e| attach_via(&mut e.value, via)),
        _ => {}
    }
}

/// A short description of an expression for unknown values.
fn describe(src: &str, span: Span) -> String {
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
    fn in_json<T>(&self, file: usize, f: impl FnOnce() -> T) -> T {
        let outer = self.json_home.replace(file);
        let r = f();
        self.json_home.set(outer);
        r
    }

    /// The file an expression of `file` is written in: for [`NOFILE`],
    /// the `.tf.json` file whose string holds it. A name defined in several
    /// files means the definition in this one.
    fn home(&self, file: usize) -> usize {
        if file == NOFILE {
            self.json_home.get()
        } else {
            file
        }
    }

    /// The file whose directory a relative path of `file` is in.
    fn dir_of(&self, file: usize) -> Option<&Path> {
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
    fn loaded_index(&self, path: String, text: String) -> usize {
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
    fn charge(&self, bytes: usize, file: usize, at: Span) -> bool {
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
                    super::RESOLVE_BUDGET
                ),
                (Limit::ResolveCopies, value(super::RESOLVE_BUDGET)),
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

    fn text(&self, file: usize) -> &'a str {
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

    fn traversal(&self, t: &Traversal, src: &str, file: usize, depth: u32, sp: Span) -> Node {
        let unknown = || Node::unknown(sp, describe(src, sp));
        let Expression::Variable(root) = &t.expr else {
            return unknown();
        };
        let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| o.value()).collect();
        let attr = |i: usize| match ops.get(i) {
            Some(TraversalOperator::GetAttr(id)) => Some(id.value().as_str()),
            _ => None,
        };
        match root.value().as_str() {
            kind @ ("var" | "local") => {
                let Some(name) = attr(0) else {
                    return unknown();
                };
                let v = self.reference(kind, name, sp, file, depth);
                self.apply(v, &ops[1..], src, file, depth, sp)
            }
            "data" => {
                let (Some(ty), Some(name)) = (attr(0), attr(1)) else {
                    return unknown();
                };
                let mut i = 2;
                if matches!(
                    ops.get(2),
                    Some(TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_))
                ) {
                    i = 3;
                }
                let v = match (ty, attr(i)) {
                    ("aws_caller_identity", Some("account_id")) => Node::str(sp, THIS_ACCOUNT),
                    ("aws_partition", Some("partition")) => Node::str(sp, "aws"),
                    ("aws_partition", Some("dns_suffix")) => Node::str(sp, "amazonaws.com"),
                    ("aws_iam_policy_document", Some("json" | "minified_json")) => {
                        match self.doc(name, file, depth) {
                            Some(mut r) => {
                                if r.file != file || file == NOFILE {
                                    respan(&mut r.node, sp);
                                }
                                r.node
                            }
                            None => unknown(),
                        }
                    }
                    _ => return unknown(),
                };
                self.apply(v, &ops[i + 1..], src, file, depth, sp)
            }
            // `aws_iam_user.dev.arn`: a user (or role) of this module, so of
            // this account; its name is not needed to know what it is.
            kind @ ("aws_iam_user" | "aws_iam_role") => {
                let i = match ops.get(1) {
                    Some(TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_)) => 2,
                    _ => 1,
                };
                if attr(0).is_none() || attr(i) != Some("arn") || ops.len() != i + 1 {
                    return unknown();
                }
                let what = if kind == "aws_iam_user" {
                    "user"
                } else {
                    "role"
                };
                Node::str(sp, super::same_stack_principal(what))
            }
            // An OIDC provider of this module: an IAM OIDC provider of this
            // account, whose host is its `url` without the scheme.
            "aws_iam_openid_connect_provider" => {
                let i = match ops.get(1) {
                    Some(TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_)) => 2,
                    _ => 1,
                };
                let (Some(name), Some(field @ ("arn" | "url"))) = (attr(0), attr(i)) else {
                    return unknown();
                };
                if ops.len() != i + 1 {
                    return unknown();
                }
                let url = self.provider_url(name, sp, file, depth);
                match field {
                    "url" => url.map_or_else(unknown, |u| Node::str(sp, u)),
                    _ => {
                        let url = url.unwrap_or_else(|| UNKNOWN_PART.to_owned());
                        let host = url.strip_prefix("https://").unwrap_or(&url);
                        Node::str(
                            sp,
                            format!("arn:aws:iam::{THIS_ACCOUNT}:oidc-provider/{host}"),
                        )
                    }
                }
            }
            "path" if attr(0) == Some("module") && ops.len() == 1 => match self.dir_of(file) {
                Some(dir) => {
                    let dir = dir.to_string_lossy().into_owned();
                    Node::str(sp, if dir.is_empty() { ".".to_owned() } else { dir })
                }
                None => unknown(),
            },
            _ => unknown(),
        }
    }

    /// Follow `.attr` and `[i]` into a resolved value.
    fn apply(
        &self,
        mut v: Node,
        ops: &[&TraversalOperator],
        src: &str,
        file: usize,
        depth: u32,
        sp: Span,
    ) -> Node {
        for op in ops {
            if v.is_unknown() {
                return Node::unknown(sp, describe(src, sp));
            }
            let next = match op {
                TraversalOperator::GetAttr(id) => v.get(id.value().as_str()).cloned(),
                TraversalOperator::LegacyIndex(i) => usize::try_from(*i.value())
                    .ok()
                    .and_then(|i| v.as_array().and_then(|a| a.get(i)).cloned()),
                TraversalOperator::Index(x) => match self.hcl(x, src, file, depth).kind {
                    Kind::Num(n) => n
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| v.as_array().and_then(|a| a.get(i)).cloned()),
                    Kind::Str(s) if !has_unknown(&s) => v.get(&s).cloned(),
                    _ => None,
                },
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => None,
            };
            v = match next {
                Some(n) => n,
                None => return Node::unknown(sp, describe(src, sp)),
            };
        }
        v
    }

    /// `var.NAME` / `local.NAME`, shown at the reference.
    /// The `url` of `aws_iam_openid_connect_provider.NAME`, when known.
    fn provider_url(&self, name: &str, sp: Span, file: usize, depth: u32) -> Option<String> {
        let def = pick(self.m.oidc_providers.get(name), self.home(file))?.url?;
        let key = format!("aws_iam_openid_connect_provider.{name}");
        if self.stack.borrow().contains(&key) {
            return None;
        }
        self.stack.borrow_mut().push(key);
        let v = self.value(def.expr, def.file, depth + 1);
        self.stack.borrow_mut().pop();
        let url = v.scalar_text().filter(|u| !has_unknown(u))?;
        self.charge(url.len(), file, sp).then_some(url)
    }

    fn reference(&self, kind: &str, name: &str, sp: Span, file: usize, depth: u32) -> Node {
        let def = if kind == "var" {
            match pick(self.m.vars.get(name), self.home(file)) {
                Some(VarDef {
                    default: Some(d), ..
                }) => *d,
                Some(_) => {
                    return Node::unknown(sp, format!("var.{name} (no default)"));
                }
                None => return Node::unknown(sp, format!("var.{name}")),
            }
        } else {
            match pick(self.m.locals.get(name), self.home(file)) {
                Some(d) => *d,
                None => return Node::unknown(sp, format!("local.{name}")),
            }
        };
        let key = format!("{kind}.{name}");
        if self.stack.borrow().contains(&key) {
            return Node::unknown(sp, format!("{key} (a cycle)"));
        }
        self.stack.borrow_mut().push(key);
        let mut v = self.value(def.expr, def.file, depth + 1);
        self.stack.borrow_mut().pop();
        // Every reference pastes a copy of the value.
        if !self.charge(super::weight(&v), file, sp) {
            return Node::unknown(sp, format!("{kind}.{name}"));
        }
        // `default = ""` (or null, [], {}) is a placeholder the caller
        // fills in, not the value the module is deployed with.
        if kind == "var" && is_placeholder(&v) {
            return Node::unknown(sp, format!("var.{name} (empty default)"));
        }
        let label = if kind == "var" {
            format!("from variable {name}'s default")
        } else {
            format!("from local {name}")
        };
        let same = def.file == file && file != NOFILE;
        let def_span = match def.expr {
            Expr::Hcl(x) => span_of(x),
            Expr::Json(n) => n.span,
        };
        if !same {
            // Spans of another file cannot be shown here.
            respan(&mut v, sp);
        } else {
            respan_keep_via(&mut v, sp);
        }
        let via = if same {
            Via {
                span: def_span,
                label,
            }
        } else {
            let path = self.m.files.get(def.file).map_or("", |f| f.path);
            Via {
                span: sp,
                label: format!("{label} in {path}"),
            }
        };
        attach_via(&mut v, &via);
        // The reference nearest the use site names the top value.
        v.via = Some(Box::new(via));
        v
    }

    fn func(&self, f: &FuncCall, src: &str, file: usize, depth: u32, sp: Span) -> Node {
        let unknown = || Node::unknown(sp, describe(src, sp));
        if f.name.is_namespaced() {
            return unknown();
        }
        let args: Vec<&Expression> = f.args.iter().collect();
        match (f.name.name.value().as_str(), args.as_slice()) {
            // jsonencode's value is a string in Terraform; keeping the
            // structure is what lets a heredoc `${jsonencode(...)}` be read.
            ("jsonencode" | "tolist" | "toset" | "tostring", [a]) => self.hcl(a, src, file, depth),
            ("concat", _) => {
                let mut items = Vec::new();
                for a in args {
                    match self.hcl(a, src, file, depth).kind {
                        Kind::Arr(v) => items.extend(v),
                        _ => return unknown(),
                    }
                }
                Node::new(sp, Kind::Arr(items))
            }
            ("file", [p]) => match self.read_file(p, src, file, depth) {
                Some((_, text)) => Node::str(sp, sanitize(text)),
                None => unknown(),
            },
            // String functions on known values; an unknown part stays a
            // marker in the text.
            ("format", [spec, rest @ ..]) => {
                let Kind::Str(spec) = self.hcl(spec, src, file, depth).kind else {
                    return unknown();
                };
                let values: Vec<Option<String>> = rest
                    .iter()
                    .map(|a| self.hcl(a, src, file, depth).scalar_text())
                    .collect();
                format_verbs(&spec, &values).map_or_else(unknown, |s| Node::str(sp, s))
            }
            ("join", [sep, list]) => {
                let sep = self.hcl(sep, src, file, depth).scalar_text();
                let list = self.hcl(list, src, file, depth);
                let (Some(sep), Some(items)) = (sep, list.as_array()) else {
                    return unknown();
                };
                let texts: Option<Vec<String>> = items.iter().map(Node::scalar_text).collect();
                texts.map_or_else(unknown, |t| Node::str(sp, t.join(&sep)))
            }
            // `replace` with a plain substring (`/…/` is a regular
            // expression: unknown). An unknown part of the text stays
            // unknown: whatever it holds, it is still unknown after.
            ("replace", [text, from, to]) => {
                let text = self.hcl(text, src, file, depth).scalar_text();
                let from = self.hcl(from, src, file, depth).scalar_text();
                let to = self.hcl(to, src, file, depth).scalar_text();
                match (text, from, to) {
                    (Some(t), Some(f), Some(r)) if plain_pattern(&f) && !has_unknown(&r) => {
                        let out = t.replace(&f, &r);
                        if self.charge(out.len(), file, sp) {
                            Node::str(sp, out)
                        } else {
                            unknown()
                        }
                    }
                    _ => unknown(),
                }
            }
            ("lookup", [map, key, default @ ..]) if default.len() <= 1 => {
                let map = self.hcl(map, src, file, depth);
                let key = self.hcl(key, src, file, depth).scalar_text();
                match (&map.kind, key) {
                    (Kind::Obj(entries), Some(k)) if !has_unknown(&k) => {
                        match entries.iter().rev().find(|e| e.key == k) {
                            Some(e) => e.value.clone(),
                            None => match default {
                                [d] => self.hcl(d, src, file, depth),
                                _ => unknown(),
                            },
                        }
                    }
                    _ => unknown(),
                }
            }
            _ => unknown(),
        }
    }

    /// Read `file("…")` relative to the module directory: the path as
    /// reports show it, and the text.
    fn read_file(
        &self,
        p: &Expression,
        src: &str,
        file: usize,
        depth: u32,
    ) -> Option<(String, String)> {
        let Kind::Str(path) = self.hcl(p, src, file, depth).kind else {
            return None;
        };
        if has_unknown(&path) {
            return None;
        }
        let mut full = std::path::PathBuf::from(&path);
        if full.is_relative() && !path.starts_with("./") && !path.starts_with("../") {
            let dir = self.dir_of(file).map(Path::to_path_buf).unwrap_or_default();
            if !path.starts_with(dir.to_string_lossy().as_ref()) || dir.as_os_str().is_empty() {
                full = dir.join(&path);
            }
        }
        // The driver's reader decides what may be read (never outside the
        // scanned tree) and bounds it; without one, `file()` is unknown.
        let read = self.m.reader?;
        let text = match read(&full) {
            Ok(t) => t,
            Err(e) if e.starts_with("larger than the limit") => {
                self.notes.borrow_mut().push((
                    file,
                    LimitHit::new(
                        (Limit::PolicyFileSize, MAX_POLICY_FILE),
                        Some(span_of(p)),
                        format!("the policy file read by file() is {e}; it was treated as unknown"),
                    ),
                ));
                return None;
            }
            Err(_) => return None,
        };
        if !self.charge(text.len(), file, span_of(p)) {
            return None;
        }
        let shown = crate::paths::display_path(&crate::paths::normalize(&full));
        Some((shown, text))
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
            respan(&mut v, n.span);
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
                if !self.charge(super::weight(&r.node), file, span_of(&t.expr)) {
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
                respan(&mut n, v.span);
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
                        respan(&mut r.node, n.span);
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
                            respan(&mut v, at);
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
        if !self.charge(super::weight(&node), d.file, d.span) {
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
                        respan(&mut r.node, sp);
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

/// A `replace` pattern that is a plain substring: not empty, known, and
/// not a `/regular expression/`.
fn plain_pattern(f: &str) -> bool {
    let regex = f.len() > 1 && f.starts_with('/') && f.ends_with('/');
    !(f.is_empty() || regex || has_unknown(f))
}

/// Terraform's `format` for the verbs `%s`, `%d`, `%v` and `%%`; any other
/// verb, a missing or unknown argument, or one left over gives `None`.
fn format_verbs(spec: &str, values: &[Option<String>]) -> Option<String> {
    let mut out = String::new();
    let mut args = values.iter();
    let mut chars = spec.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' | 'd' | 'v' => out.push_str(args.next()?.as_deref()?),
            _ => return None,
        }
    }
    args.next().is_none().then_some(out)
}

fn is_placeholder(v: &Node) -> bool {
    match &v.kind {
        Kind::Null => true,
        Kind::Str(s) => s.trim().is_empty(),
        Kind::Arr(a) => a.is_empty(),
        Kind::Obj(o) => o.is_empty(),
        _ => false,
    }
}

/// How [`Eval::used_docs`] names a document: `NAME@FILE`.
pub fn doc_key(name: &str, file: usize) -> String {
    format!("{name}@{file}")
}

fn known(n: Node, file: usize) -> Option<Resolved> {
    if n.is_unknown() {
        None
    } else {
        Some(Resolved { node: n, file })
    }
}

/// Like [`respan`], but keeps provenance labels (same-file values).
fn respan_keep_via(n: &mut Node, span: Span) {
    n.span = span;
    match &mut n.kind {
        Kind::Arr(items) => items.iter_mut().for_each(|i| respan_keep_via(i, span)),
        Kind::Obj(entries) => entries.iter_mut().for_each(|e| {
            e.key_span = span;
            respan_keep_via(&mut e.value, span);
        }),
        _ => {}
    }
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

/// Statements whose conditions or principal types cannot be known are
/// marked as known only in part ([`mark_partial`]): a missing condition
/// must not be inferred from a condition we could not read
/// (`"${var.provider}:sub"`, `Condition = var.conditions`), but the
/// literal condition entries beside it are still checked.
pub fn guard(doc: &mut Node) {
    let Kind::Obj(entries) = &mut doc.kind else {
        return;
    };
    for e in entries.iter_mut().filter(|e| e.key == "Statement") {
        match &mut e.value.kind {
            Kind::Arr(items) => items.iter_mut().for_each(guard_statement),
            Kind::Obj(_) => guard_statement(&mut e.value),
            _ => {}
        }
    }
}

/// A condition key whose issuer is unresolved but whose claim is not
/// (`${replace(var.oidc_url, "https://", "")}:sub`): the rules can tell
/// which claim it constrains, so it does not make its statement unknown.
pub fn claim_of_unknown_issuer(key: &str) -> bool {
    key.rsplit_once(':').is_some_and(|(issuer, claim)| {
        has_unknown(issuer)
            && !issuer.contains(':')
            && crate::policy::OIDC_CLAIMS.contains(&claim.to_ascii_lowercase().as_str())
    })
}

fn guard_statement(st: &mut Node) {
    let bad = st.entries().iter().any(|e| {
        has_unknown(&e.key)
            || match e.key.as_str() {
                "Condition" => {
                    e.value.is_unknown()
                        || e.value.entries().iter().any(|op| {
                            has_unknown(&op.key)
                                || op.value.is_unknown()
                                || op.value.entries().iter().any(|k| {
                                    has_unknown(&k.key) && !claim_of_unknown_issuer(&k.key)
                                })
                        })
                }
                "Principal" | "NotPrincipal" => {
                    e.value.entries().iter().any(|p| has_unknown(&p.key))
                }
                _ => false,
            }
    });
    if bad {
        let span = st.span;
        mark_partial(st, span, "unresolved conditions");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module_eval(src: &str, f: impl FnOnce(&Eval<'_, '_>, &Body)) {
        let body = crate::load::hcl::parse(src).unwrap();
        let mut m = Module::default();
        m.files.push(File {
            path: "main.tf",
            text: src,
            report: true,
        });
        m.add_hcl(0, &body);
        let ev = Eval::new(&m);
        f(&ev, &body);
    }

    fn attr_value(ev: &Eval<'_, '_>, body: &Body, name: &str) -> Node {
        let a = body.get_attribute(name).unwrap();
        ev.value(Expr::Hcl(&a.value), 0, 0)
    }

    #[test]
    fn variables_locals_and_data() {
        let src = r#"
variable "acct" { default = "111122223333" }
variable "nodef" {}
variable "hours" { default = 8 }
locals { arn = "arn:aws:iam::${var.acct}:root" }
data "aws_caller_identity" "me" {}
a = local.arn
b = var.nodef
c = "arn:${data.aws_partition.p.partition}:iam::${data.aws_caller_identity.me.account_id}:root"
d = var.acct == "x" ? 1 : 2
d2 = var.nodef == "x" ? 1 : 2
e = [for x in var.l : x]
f = var.hours * 3600
g = var.nodef * 3600
h = format("arn:aws:iam::%s:root", var.acct)
i = join(",", ["a", var.acct])
j = lookup({ x = "1" }, "x")
k = lookup({ x = "1" }, "y", "d")
l = format("%q", "x")
m = format("%s", var.nodef)
"#;
        module_eval(src, |ev, body| {
            let a = attr_value(ev, body, "a");
            assert_eq!(a.as_str(), Some("arn:aws:iam::111122223333:root"));
            assert_eq!(&src[a.span.range()], "local.arn");
            assert_eq!(a.via.as_ref().unwrap().label, "from local arn");
            assert!(attr_value(ev, body, "b").is_unknown());
            let c = attr_value(ev, body, "c");
            assert_eq!(
                c.as_str(),
                Some(format!("arn:aws:iam::{THIS_ACCOUNT}:root").as_str())
            );
            // A known condition selects its branch; an unknown one does not.
            assert_eq!(
                attr_value(ev, body, "d").scalar_text().as_deref(),
                Some("2")
            );
            assert!(attr_value(ev, body, "d2").is_unknown());
            assert!(attr_value(ev, body, "e").is_unknown());
            let f = attr_value(ev, body, "f");
            assert_eq!(f.scalar_text().as_deref(), Some("28800"));
            assert!(attr_value(ev, body, "g").is_unknown());
            let text = |name| attr_value(ev, body, name).scalar_text();
            assert_eq!(text("h").as_deref(), Some("arn:aws:iam::111122223333:root"));
            assert_eq!(text("i").as_deref(), Some("a,111122223333"));
            assert_eq!(text("j").as_deref(), Some("1"));
            assert_eq!(text("k").as_deref(), Some("d"));
            assert!(attr_value(ev, body, "l").is_unknown());
            assert!(attr_value(ev, body, "m").is_unknown());
        });
    }

    #[test]
    fn cycles_and_deep_chains_end() {
        let mut src = String::from("locals {\n  a = local.b\n  b = local.a\n");
        for i in 0..300 {
            src.push_str(&format!("  l{i} = [local.l{}, local.l{}]\n", i + 1, i + 1));
        }
        src.push_str("}\nx = local.a\ny = local.l0\n");
        module_eval(&src, |ev, body| {
            assert!(attr_value(ev, body, "x").is_unknown());
            let _ = attr_value(ev, body, "y");
        });
    }

    #[test]
    fn heredoc_with_interpolation_is_column_exact() {
        let src = "variable \"a\" { default = \"123456789012\" }\np = <<-EOT\n    {\"Statement\": [{\"Principal\": {\"AWS\": \"arn:aws:iam::${var.a}:root\"}, \"X\": ${var.a}}]}\n    EOT\n";
        module_eval(src, |ev, body| {
            let a = body.get_attribute("p").unwrap();
            let r = ev.policy(Expr::Hcl(&a.value), 0, 0).unwrap();
            let st = &r.node.get("Statement").unwrap().as_array().unwrap()[0];
            let p = st.get("Principal").unwrap().get("AWS").unwrap();
            assert_eq!(p.as_str(), Some("arn:aws:iam::123456789012:root"));
            assert_eq!(&src[p.span.range()], "\"arn:aws:iam::${var.a}:root\"");
            let x = st.get("X").unwrap();
            assert_eq!(&src[x.span.range()], "var.a");
            assert_eq!(x.as_str(), Some("123456789012"));
        });
    }

    #[test]
    fn policy_document_synthesis() {
        let src = r#"
data "aws_iam_policy_document" "t" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::444455556666:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = ["abc"]
    }
  }
}
"#;
        module_eval(src, |ev, _| {
            let r = ev.doc("t", 0, 0).unwrap();
            let st = &r.node.get("Statement").unwrap().as_array().unwrap()[0];
            assert_eq!(st.get("Effect").unwrap().as_str(), Some("Allow"));
            let aws = st.get("Principal").unwrap().get("AWS").unwrap();
            assert_eq!(aws.as_array().unwrap().len(), 2);
            let c = st.get("Condition").unwrap().get("StringEquals").unwrap();
            let ext = c.entry("sts:ExternalId").unwrap();
            assert_eq!(&src[ext.key_span.range()], "\"sts:ExternalId\"");
        });
    }

    #[test]
    fn unknown_condition_keys_make_the_statement_partial() {
        let src = |key: &str| {
            format!(
                r#"
data "aws_iam_policy_document" "t" {{
  statement {{
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {{
      type        = "Federated"
      identifiers = ["arn:aws:iam::111122223333:oidc-provider/x"]
    }}
    condition {{
      test     = "StringEquals"
      variable = "{key}"
      values   = ["system:serviceaccount:a:b"]
    }}
  }}
}}
"#
            )
        };
        let statement_known = |key: &str| {
            let mut known = None;
            module_eval(&src(key), |ev, _| {
                let r = ev.doc("t", 0, 0).unwrap();
                let st = &r.node.get("Statement").unwrap().as_array().unwrap()[0];
                // Known only in part: marked, with its literal entries kept.
                let partial = st.entries().iter().any(|e| has_unknown(&e.key));
                assert!(st.get("Condition").is_some());
                known = Some(!st.is_unknown() && !partial);
            });
            known.unwrap()
        };
        // Which claim a key names is all the rules need of it: an issuer
        // that is a template value keeps the statement.
        assert!(statement_known("${var.provider}:sub"));
        assert!(statement_known(
            "${replace(var.oidc_url, \"https://\", \"\")}:aud"
        ));
        // A key whose claim is unknown could be any key.
        assert!(!statement_known("${var.key}"));
        assert!(!statement_known("${var.provider}:${var.claim}"));
        assert!(!statement_known("aws:${var.key}"));
    }
}
