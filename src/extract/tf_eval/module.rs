//! The definitions of one module directory, gathered from every file
//! (HCL bodies or `.tf.json` roots): variables, locals,
//! `aws_iam_policy_document` data blocks and OIDC providers.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use hcl_edit::expr::Expression;
use hcl_edit::structure::Body;

use crate::load::hcl::span_of;
use crate::source::Span;
use crate::tree::{Kind, Node};

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

pub(super) trait InFile {
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
pub(super) fn pick<T: InFile>(defs: Option<&Vec<T>>, from: usize) -> Option<&T> {
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
