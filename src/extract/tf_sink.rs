//! The output of a Terraform module's extraction, shared by the HCL and
//! `.tf.json` readers: one [`Extracted`] per file (and per policy file read
//! by `file()`), and the policy documents no resource uses.

use super::tf_eval::{doc_key, guard, Eval, Resolved};
use super::{Document, Extracted, Setting};
use crate::diagnostic::Diagnostic;
use crate::load::ParseError;
use crate::source::Span;
use crate::tree::respan;

/// Output of a module, one [`Extracted`] per file, and one per policy
/// file read by `file("…")` (file index `outs.len() + k`).
#[derive(Default)]
pub(crate) struct Sink {
    pub outs: Vec<Extracted>,
    pub report: Vec<bool>,
    pub loaded: Vec<Extracted>,
}

impl Sink {
    pub fn new(report: Vec<bool>) -> Self {
        Sink {
            outs: report.iter().map(|_| Extracted::default()).collect(),
            report,
            loaded: Vec::new(),
        }
    }

    /// Add a document whose spans point into `r.file`, for a resource in
    /// `home`, referenced at `at`.
    pub fn doc(&mut self, home: usize, at: Span, r: Resolved, mut doc: Document) {
        let mut node = r.node;
        // A policy file read by `file("…")`: reported in it, for the
        // resource, when the resource's file is reported on.
        let loaded = (r.file != super::tf_eval::NOFILE)
            .then(|| r.file.checked_sub(self.outs.len()))
            .flatten();
        if let Some(k) = loaded {
            if !self.report.get(home).copied().unwrap_or(false) {
                return;
            }
            guard(&mut node);
            doc.node = node;
            if self.loaded.len() <= k {
                self.loaded.resize_with(k + 1, Extracted::default);
            }
            self.loaded[k].docs.push(doc);
            self.loaded[k].recognised = true;
            return;
        }
        let target = if r.file == home || self.report.get(r.file).copied().unwrap_or(false) {
            r.file
        } else {
            // Spans of a file we do not report on cannot be shown here.
            respan(&mut node, at, true);
            home
        };
        if !self.report.get(target).copied().unwrap_or(false) {
            return;
        }
        guard(&mut node);
        doc.node = node;
        if let Some(out) = self.outs.get_mut(target) {
            out.docs.push(doc);
            out.recognised = true;
        }
    }

    /// Hand the documents found in policy files read by `file("…")` to
    /// the first reported file's output, which carries them to the linter.
    pub fn attach_loaded(&mut self, ev: &Eval<'_, '_>) {
        let files = ev.take_loaded();
        let loaded = std::mem::take(&mut self.loaded);
        let Some(first) = self.report.iter().position(|r| *r) else {
            return;
        };
        for (f, out) in files.into_iter().zip(loaded) {
            if !out.docs.is_empty() {
                self.outs[first].loaded.push(super::Loaded {
                    path: f.path,
                    text: f.text,
                    out,
                });
            }
        }
    }

    pub fn setting(&mut self, home: usize, s: Setting) {
        if self.report.get(home).copied().unwrap_or(false) {
            if let Some(out) = self.outs.get_mut(home) {
                out.settings.push(s);
            }
        }
    }

    /// A note in each reported file where conditionals with an unknown
    /// condition were analysed as the union of their branches.
    pub fn unions(&mut self, ev: &Eval<'_, '_>) {
        // Other limits first: a file() too large, a value too deep.
        let mut notes = ev.notes();
        if let Some((file, at)) = ev.depth_hit() {
            notes.push((
                file,
                crate::limit::LimitHit::new(
                    (
                        crate::limit::Limit::ResolveDepth,
                        u64::from(super::tf_eval::MAX_DEPTH),
                    ),
                    Some(at),
                    format!(
                        "a value is nested more than {} levels deep once resolved; \
                         it was treated as unknown",
                        super::tf_eval::MAX_DEPTH
                    ),
                ),
            ));
        }
        for (file, hit) in notes {
            if self.report.get(file).copied().unwrap_or(false) {
                if let Some(out) = self.outs.get_mut(file) {
                    if !out.limits.contains(&hit) {
                        out.limits.push(hit);
                    }
                }
            }
        }
        for (file, (count, at)) in ev.unions() {
            if !self.report.get(file).copied().unwrap_or(false) {
                continue;
            }
            if let Some(out) = self.outs.get_mut(file) {
                out.limits.push(crate::limit::LimitHit::new(
                    (crate::limit::Limit::TerraformConditional, 0),
                    Some(at),
                    format!(
                        "{count} conditional{} with an unknown condition: both branches \
                         were analysed (the union)",
                        if count == 1 { "" } else { "s" }
                    ),
                ));
            }
        }
    }

    /// One TL001 when evaluation ran out of steps or copy budget, in the
    /// file where it happened (or the first reported file).
    pub fn limit(&mut self, ev: &Eval<'_, '_>) {
        let Some((file, at, message, limit)) = ev.limit_hit() else {
            return;
        };
        let (file, at) = if self.report.get(file).copied().unwrap_or(false) {
            (file, at)
        } else {
            match self.report.iter().position(|r| *r) {
                Some(first) => (first, Span::EMPTY),
                None => return,
            }
        };
        if let Some(out) = self.outs.get_mut(file) {
            out.diagnostics.push(
                Diagnostic::new(&crate::diagnostic::PARSE_ERROR, at, message)
                    .label("resolution stopped here")
                    .subject("resolve-budget")
                    .limit_reached(Some(limit)),
            );
        }
    }

    /// A document that is not valid JSON (TL001 on the embedded document).
    pub fn parse_error(&mut self, file: usize, e: ParseError, what: &str) {
        if !self.report.get(file).copied().unwrap_or(false) {
            return;
        }
        if let Some(out) = self.outs.get_mut(file) {
            out.diagnostics.push(
                Diagnostic::new(
                    &crate::diagnostic::PARSE_ERROR,
                    e.span,
                    format!("cannot parse the policy document of {what}: {}", e.message),
                )
                .label(e.message.clone())
                .subject("parse-error")
                .limit_reached(e.limit),
            );
        }
    }
}

/// Policy documents no resource uses: checked once, kind from content.
/// A document merged into another (`source_policy_documents`) is checked
/// as part of that one only.
pub(crate) fn standalone_docs(ev: &Eval<'_, '_>, sink: &mut Sink) {
    let used_by_resources = ev.used_docs();
    let mut merged = std::collections::BTreeSet::new();
    let mut docs = Vec::new();
    for (name, defs) in &ev.m.docs {
        for d in defs {
            let key = doc_key(name, d.file);
            if used_by_resources.contains(&key) {
                continue;
            }
            ev.clear_used();
            if let Some(r) = ev.doc_at(name, d, 0) {
                docs.push((key.clone(), name.clone(), d.span, r));
            }
            merged.extend(ev.used_docs().into_iter().filter(|n| *n != key));
        }
    }
    for (key, name, at, r) in docs {
        if merged.contains(&key) {
            continue;
        }
        sink.doc(
            r.file,
            at,
            r,
            Document {
                kind: None,
                name: Some(name.clone()),
                resource: Some(format!("data.aws_iam_policy_document.{name}")),
                ..Document::default()
            },
        );
    }
}
