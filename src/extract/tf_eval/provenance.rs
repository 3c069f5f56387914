//! Where a value is shown and where it came from: a value taken from
//! elsewhere is re-spanned onto the reference that uses it, with a [`Via`]
//! label.

use crate::source::Span;
use crate::tree::{Kind, Node, Via};

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
pub(super) fn attach_via(n: &mut Node, via: &Via) {
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

/// Like [`respan`], but keeps provenance labels (same-file values).
pub(super) fn respan_keep_via(n: &mut Node, span: Span) {
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
