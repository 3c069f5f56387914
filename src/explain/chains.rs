//! Chains (SPEC §3.1): role B is reached *through* role A when B trusts
//! A's ARN (same account: no identity-policy allow is needed), or trusts
//! A's account (or A's ARN across accounts) and A's identity policies
//! allow `sts:AssumeRole` on B. Only roles whose ARN the files state (an
//! account export, `get-role`) can be linked: a template role's ARN is not
//! known before deployment, and an edge is never guessed.
//!
//! Edges are found by index, never by comparing every pair: roles by
//! `(account, path/name)` for ARN trust, and per account the roles that
//! may assume anything for account trust. An identity-policy resource that
//! is not known makes an *unknown* edge: counted, never followed.

use std::collections::{BTreeMap, BTreeSet};

use super::{Chain, Role};
use crate::policy::glob_match;

/// At most this many chains per role, shortest first (SPEC §3.1).
pub const MAX_CHAINS: usize = 10;
/// Longest chain looked for, in roles.
const MAX_DEPTH: usize = 8;
/// Partial chains kept per step of the search: a dense graph stays cheap.
const MAX_FRONTIER: usize = 2_000;
/// Roles kept as one hop before a role: an account export where hundreds
/// of administrators may assume every role trusting the account stays
/// small (chains are shortest first and at most ten anyway).
const MAX_PREDECESSORS: usize = 64;
/// A chained hop's session lasts at most an hour (TL605).
pub const CHAINED_SESSION: u64 = 3600;

/// `arn:aws:iam::123456789012:role/path/Name` → (account, "path/Name").
fn role_key(arn: &str) -> Option<(String, String)> {
    let acct = arn.split(':').nth(4)?;
    let name = arn.split_once(":role/")?.1;
    (!acct.is_empty() && !name.is_empty()).then(|| (acct.to_owned(), name.to_owned()))
}

/// Does role `a` let its sessions call `sts:AssumeRole` on `arn`? `None`:
/// not known (an unresolved resource).
fn allows(a: &Role, arn: &str) -> Option<bool> {
    let denied = a
        .powers
        .deny
        .iter()
        .any(|p| glob_match(p.as_bytes(), arn.as_bytes()));
    if denied {
        return Some(false);
    }
    let mut unknown = false;
    for p in &a.powers.assume {
        match p {
            Some(p) if glob_match(p.as_bytes(), arn.as_bytes()) => return Some(true),
            Some(_) => {}
            None => unknown = true,
        }
    }
    if unknown {
        None
    } else {
        Some(false)
    }
}

/// A chain's names: its origin, then its roles from the first to `b`.
fn chain_names<'r>(roles: &'r [Role], origin: &'r str, back: &[usize]) -> Vec<&'r str> {
    std::iter::once(origin)
        .chain(back.iter().rev().map(|&i| roles[i].role.as_str()))
        .collect()
}

/// Fill each role's `reachable_from`.
pub fn link(roles: &mut [Role]) {
    let mut by_arn: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut assumers: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, r) in roles.iter().enumerate() {
        if let Some((acct, name)) = r.arn.as_deref().and_then(role_key) {
            if !r.powers.assume.is_empty() {
                assumers.entry(acct.clone()).or_default().push(i);
            }
            // Role names are unique in an account whatever their path; a
            // session ARN names the role without its path.
            if let Some((_, bare)) = name.rsplit_once('/') {
                by_arn.entry((acct.clone(), bare.to_owned())).or_insert(i);
            }
            by_arn.entry((acct, name)).or_insert(i);
        }
    }
    if by_arn.is_empty() {
        return;
    }
    // preds[b]: the roles that can reach b in one hop.
    let mut preds: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); roles.len()];
    let mut unknown = vec![0usize; roles.len()];
    // Grants that name a scanned role (not origins of chains).
    let mut linked_grant: Vec<Vec<bool>> =
        roles.iter().map(|r| vec![false; r.grants.len()]).collect();
    for (b, role) in roles.iter().enumerate() {
        let Some(arn) = role.arn.as_deref() else {
            continue;
        };
        let Some((b_acct, _)) = role_key(arn) else {
            continue;
        };
        for (gi, g) in role.grants.iter().enumerate() {
            let Some((acct, name)) = &g.link else {
                continue;
            };
            match name {
                Some(name) => {
                    let Some(&a) = by_arn.get(&(acct.clone(), name.clone())) else {
                        continue;
                    };
                    if a == b {
                        continue;
                    }
                    linked_grant[b][gi] = true;
                    let ok = if *acct == b_acct {
                        Some(true)
                    } else {
                        allows(&roles[a], arn)
                    };
                    match ok {
                        Some(true) => {
                            preds[b].insert(a);
                        }
                        Some(false) => {}
                        None => unknown[b] += 1,
                    }
                }
                None => {
                    for &a in assumers.get(acct).map(Vec::as_slice).unwrap_or_default() {
                        if preds[b].len() >= MAX_PREDECESSORS {
                            break;
                        }
                        if a == b {
                            continue;
                        }
                        match allows(&roles[a], arn) {
                            Some(true) => {
                                preds[b].insert(a);
                            }
                            Some(false) => {}
                            None => unknown[b] += 1,
                        }
                    }
                }
            }
        }
    }
    // Where a chain can start: a role's grants that are not scanned roles.
    let origins: Vec<Vec<String>> = roles
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut o: Vec<String> = r
                .grants
                .iter()
                .zip(&linked_grant[i])
                .filter(|(_, linked)| !**linked)
                .map(|(g, _)| g.principal.clone())
                .collect();
            o.sort();
            o.dedup();
            o
        })
        .collect();
    let mut found: Vec<Vec<Chain>> = vec![Vec::new(); roles.len()];
    for b in 0..roles.len() {
        if preds[b].is_empty() {
            continue;
        }
        let session = roles[b]
            .max_session_seconds
            .map_or(CHAINED_SESSION, |m| m.min(CHAINED_SESSION));
        let mut chains: Vec<Vec<String>> = Vec::new();
        // Partial chains, from b backwards.
        let mut frontier: Vec<Vec<usize>> = vec![vec![b]];
        for _ in 1..MAX_DEPTH {
            // This level's chains as (origin, roles from b backwards),
            // compared by name without copying until kept.
            let mut level: Vec<(&str, Vec<usize>)> = Vec::new();
            for path in &frontier {
                let Some(&last) = path.last() else { continue };
                for &a in &preds[last] {
                    if path.contains(&a) {
                        continue; // a cycle: cut
                    }
                    let mut p = path.clone();
                    p.push(a);
                    for o in &origins[a] {
                        level.push((o.as_str(), p.clone()));
                    }
                }
            }
            let rs: &[Role] = roles;
            level.sort_by_cached_key(|c| chain_names(rs, c.0, &c.1));
            level.dedup();
            let room = MAX_CHAINS.saturating_sub(chains.len());
            chains.extend(level.iter().take(room).map(|c| {
                chain_names(rs, c.0, &c.1)
                    .into_iter()
                    .map(str::to_owned)
                    .collect()
            }));
            if chains.len() >= MAX_CHAINS {
                break;
            }
            let mut next = Vec::new();
            'grow: for path in &frontier {
                let Some(&last) = path.last() else { continue };
                for &a in &preds[last] {
                    if next.len() >= MAX_FRONTIER {
                        break 'grow;
                    }
                    if !path.contains(&a) {
                        let mut p = path.clone();
                        p.push(a);
                        next.push(p);
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            frontier = next;
        }
        chains.truncate(MAX_CHAINS);
        found[b] = chains
            .into_iter()
            .map(|path| Chain {
                path,
                max_session_seconds: session,
            })
            .collect();
    }
    for (((r, chains), u), linked) in roles.iter_mut().zip(found).zip(unknown).zip(linked_grant) {
        r.reachable_from = chains;
        r.unknown_links = u;
        r.only_chained = !linked.is_empty() && linked.iter().all(|l| *l);
    }
}

/// TL605 where the chains show it: a session requested for more than an
/// hour for a role that only scanned roles can assume, so every session of
/// it is chained. Requests already known to be chained are `check`'s.
pub fn check_requests(roles: &mut [Role], requests: &[super::Request]) {
    if requests.is_empty() {
        return;
    }
    let mut by_arn: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, r) in roles.iter().enumerate() {
        if let Some(a) = r.arn.as_deref() {
            by_arn.entry(a).or_default().push(i);
        }
    }
    let mut notes: Vec<(usize, String)> = Vec::new();
    for q in requests
        .iter()
        .filter(|q| !q.chained && q.seconds > CHAINED_SESSION)
    {
        for &i in by_arn
            .get(q.target.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            if roles[i].only_chained {
                notes.push((
                    i,
                    format!(
                        "{} ({}) requests {} s, but only other roles can assume {}: a chained session lasts at most 3600 s (TL605)",
                        q.place, q.context, q.seconds, roles[i].role
                    ),
                ));
            }
        }
    }
    notes.sort();
    notes.dedup();
    for (i, n) in notes {
        if let Some(r) = roles.get_mut(i) {
            if !r.role_findings.contains(&"TL605") {
                r.role_findings.push("TL605");
                r.role_findings.sort_unstable();
            }
            r.notes.push(n);
        }
    }
}
