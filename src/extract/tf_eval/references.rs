//! References: `var.*` and `local.*` (followed, with cycles cut and the
//! copy charged), `data.*` sources, this module's IAM users, roles and
//! OIDC providers, and `path.module`.

use hcl_edit::expr::{Expression, Traversal, TraversalOperator};

use super::eval::{describe, Eval, NOFILE};
use super::module::{pick, Expr, VarDef};
use super::provenance::attach_via;
use crate::load::hcl::span_of;
use crate::source::Span;
use crate::tree::respan;
use crate::tree::{has_unknown, Kind, Node, Via, THIS_ACCOUNT, UNKNOWN_PART};

impl Eval<'_, '_> {
    pub(super) fn traversal(
        &self,
        t: &Traversal,
        src: &str,
        file: usize,
        depth: u32,
        sp: Span,
    ) -> Node {
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
                                    respan(&mut r.node, sp, true);
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
                Node::str(sp, crate::extract::same_stack_principal(what))
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
        if !self.charge(crate::extract::weight(&v), file, sp) {
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
            respan(&mut v, sp, true);
        } else {
            respan(&mut v, sp, false);
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
