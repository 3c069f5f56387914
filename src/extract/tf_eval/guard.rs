//! The guard on a resolved document: statements whose conditions or
//! principal types cannot be known are known only in part.

use crate::tree::{has_unknown, mark_partial, Kind, Node};

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
