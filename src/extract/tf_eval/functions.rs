//! Built-in Terraform functions on known values: `jsonencode`, `concat`,
//! `format`, `join`, `replace`, `lookup`, and `file()`, which reads through
//! the module's [`FileReader`](super::FileReader).

use std::path::Path;

use hcl_edit::expr::{Expression, FuncCall};

use super::eval::{describe, Eval};
use crate::limit::{Limit, LimitHit};
use crate::load::hcl::span_of;
use crate::source::Span;
use crate::tree::{has_unknown, sanitize, Kind, Node};

/// `file()` targets larger than this are unknown (a limit note says so).
pub const MAX_POLICY_FILE: u64 = 1 << 20;

impl Eval<'_, '_> {
    pub(super) fn func(&self, f: &FuncCall, src: &str, file: usize, depth: u32, sp: Span) -> Node {
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
    pub(super) fn read_file(
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
