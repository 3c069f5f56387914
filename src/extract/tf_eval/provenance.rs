//! Where a value came from: a value taken from elsewhere is re-spanned
//! onto the reference that uses it (`tree::respan`) and labelled with a
//! [`Via`].

use crate::tree::{Kind, Node, Via};

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
