//! `trustlint diff` (SPEC §3.2): which principals newly gain a role
//! between two git revisions.
//!
//! Both sides are read as `check` reads them ([`git`] streams the base
//! revision's blobs; the working tree is walked as `check` walks it), and
//! explained by [`crate::explain`]: this module never derives a grant, it
//! only compares them. Files whose bytes are equal on both sides are not
//! analysed at all (a Terraform directory is analysed whole when any of
//! its `.tf` files changed), so a diff costs what its changed files cost.
//!
//! Grants are compared by a normalised key (principal, class, actions,
//! the MFA / ExternalId / pin flags, subjects, effective conditions,
//! exposure), so a reformatting is no change. Roles are matched by path
//! and name, then a role left over on both sides with the same name and
//! the same grants is a rename. Renderers live in [`render`].

pub mod git;
pub mod render;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::discover::Scopes;
use crate::explain::{self, Exposure, Grant, Role};
use crate::lint::Input;
use crate::policy::condition::PIN_KEYS;
use crate::settings::Settings;

/// What happened to a grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Added,
    Widened,
    Narrowed,
    Removed,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Added => "added",
            Kind::Widened => "widened",
            Kind::Narrowed => "narrowed",
            Kind::Removed => "removed",
        }
    }

    /// Does this change give someone more than before?
    pub fn grows(self) -> bool {
        matches!(self, Kind::Added | Kind::Widened)
    }
}

/// One change, in the JSON shape of SPEC §3.2.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub change: Kind,
    pub role: String,
    pub path: String,
    pub exposure: Exposure,
    pub before: Option<Grant>,
    pub after: Option<Grant>,
    pub what: String,
    /// The role's first line in HEAD (`None`: the role is gone).
    #[serde(skip)]
    pub line: Option<usize>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub added: usize,
    pub removed: usize,
    pub widened: usize,
    pub narrowed: usize,
}

/// The whole answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub version: u32,
    pub base: String,
    pub head: String,
    pub changes: Vec<Change>,
    pub summary: Summary,
    /// What could not be read in full (blobs over the size limit).
    #[serde(skip)]
    pub notes: Vec<String>,
    /// Files that could not be read or analysed: `(path, message)`.
    #[serde(skip)]
    pub errors: Vec<(String, String)>,
    /// Files compared, and files analysed (changed), on both sides.
    #[serde(skip)]
    pub files: (usize, usize),
}

/// Why a diff could not be made (exit 2).
#[derive(Debug)]
pub enum DiffError {
    Git(git::GitError),
}

impl std::fmt::Display for DiffError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DiffError::Git(e) => write!(f, "{e}"),
        }
    }
}

impl From<git::GitError> for DiffError {
    fn from(e: git::GitError) -> Self {
        DiffError::Git(e)
    }
}

/// What to compare. The process's current directory is the repository's
/// root; `prefixes` (relative to it, `/` separators, empty: everything)
/// narrow both sides.
pub struct Request<'a> {
    pub base: &'a str,
    /// `None`: the working tree.
    pub head: Option<&'a str>,
    pub prefixes: &'a [String],
    pub scopes: &'a dyn Scopes,
    pub settings: &'a Settings,
    pub jobs: usize,
}

/// One side's files: path → (input, bytes when read).
struct Side {
    files: BTreeMap<String, SideFile>,
}

struct SideFile {
    input: Input,
    /// The blob ID (a revision), to compare without reading.
    oid: Option<String>,
    bytes: Option<Arc<[u8]>>,
}

fn under(path: &str, prefixes: &[String]) -> bool {
    prefixes.is_empty()
        || prefixes
            .iter()
            .any(|p| p.is_empty() || p == "." || path == p || path.starts_with(&format!("{p}/")))
}

/// Would the walk of `check` pick this file of a revision up?
fn walked(path: &str, executable: bool, scopes: &dyn Scopes) -> bool {
    let p = Path::new(path);
    if crate::discover::hidden_component(p) || scopes.excluded(p) {
        return false;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let script = executable && !name.contains('.');
    if crate::lint::is_candidate(p) || script {
        return true;
    }
    let dir = parent(path);
    scopes.settings_for(&dir).is_some_and(|s| {
        [&s.aws_config_globs, &s.session_policy_globs]
            .into_iter()
            .flatten()
            .any(|set| crate::settings::glob_matches(set, p, s.root.as_deref()))
    })
}

fn parent(path: &str) -> PathBuf {
    match path.rsplit_once('/') {
        Some((dir, _)) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from("."),
    }
}

fn max_size(scopes: &dyn Scopes, settings: &Settings, path: &str) -> u64 {
    scopes
        .settings_for(&parent(path))
        .map_or(settings.max_file_size, |s| s.max_file_size)
}

/// A revision's files (blobs not read yet).
fn revision_side(
    repo: &Path,
    commit: &str,
    req: &Request<'_>,
    notes: &mut Vec<String>,
    label: &str,
) -> Result<Side, DiffError> {
    let mut files = BTreeMap::new();
    for e in git::ls_tree(repo, commit)? {
        if !under(&e.path, req.prefixes) || !walked(&e.path, e.executable, req.scopes) {
            continue;
        }
        let max = max_size(req.scopes, req.settings, &e.path);
        if e.size > max {
            notes.push(format!(
                "skipped {} in {label}: larger than the limit of {max} bytes ({} bytes)",
                e.path, e.size
            ));
            continue;
        }
        let input = Input {
            path: PathBuf::from(&e.path),
            display: e.path.clone(),
            explicit: false,
            settings: req.scopes.settings_for(&parent(&e.path)),
            root: None,
            content: None,
        };
        files.insert(
            e.path,
            SideFile {
                input,
                oid: Some(e.oid),
                bytes: None,
            },
        );
    }
    Ok(Side { files })
}

/// Read the blobs of these files of a revision side.
fn load_blobs(
    repo: &Path,
    side: &mut Side,
    paths: &BTreeSet<String>,
    max: u64,
) -> Result<(), DiffError> {
    let wanted: Vec<(&String, &str)> = side
        .files
        .iter()
        .filter(|(p, f)| paths.contains(*p) && f.bytes.is_none())
        .filter_map(|(p, f)| f.oid.as_deref().map(|o| (p, o)))
        .collect();
    let oids: Vec<&str> = wanted.iter().map(|(_, o)| *o).collect();
    let blobs = git::read_blobs(repo, &oids, max)?;
    let paths: Vec<String> = wanted.iter().map(|(p, _)| (*p).clone()).collect();
    for (p, b) in paths.into_iter().zip(blobs) {
        if let (Some(f), Some(b)) = (side.files.get_mut(&p), b) {
            f.bytes = Some(Arc::from(b));
        }
    }
    Ok(())
}

/// The working tree, walked as `check` walks it; every file read once.
fn working_side(req: &Request<'_>, errors: &mut Vec<(String, String)>) -> Side {
    let roots: Vec<PathBuf> = if req.prefixes.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        // A path that is gone from the working tree may still be in BASE.
        req.prefixes
            .iter()
            .map(PathBuf::from)
            .filter(|p| std::fs::symlink_metadata(p).is_ok())
            .collect()
    };
    let found = crate::discover::discover_with(&roots, req.scopes, req.jobs);
    errors.extend(found.errors.into_iter().map(|e| (e.path, e.message)));
    let mut files = BTreeMap::new();
    for input in found.inputs {
        let max = input
            .settings
            .as_deref()
            .map_or(req.settings.max_file_size, |s| s.max_file_size);
        let follow = if input.explicit {
            crate::load::file::Follow::Yes
        } else {
            crate::load::file::Follow::No
        };
        // Unreadable: left to the analysis, which reports it.
        let bytes = crate::load::file::read_bounded(&input.path, max, follow)
            .ok()
            .map(Arc::from);
        files.insert(
            input.display.clone(),
            SideFile {
                input,
                oid: None,
                bytes,
            },
        );
    }
    Side { files }
}

fn is_terraform(path: &str) -> bool {
    let lc = path.to_ascii_lowercase();
    lc.ends_with(".tf") || lc.ends_with(".tf.json")
}

/// The largest input size any file of a side may have.
fn side_max(side: &Side, req: &Request<'_>) -> u64 {
    side.files
        .values()
        .map(|f| max_size(req.scopes, req.settings, &f.input.display))
        .max()
        .unwrap_or(req.settings.max_file_size)
}

fn short(oid: &str) -> String {
    oid.chars().take(7).collect()
}

/// Compare two revisions (or a revision and the working tree).
pub fn diff(req: &Request<'_>) -> Result<Diff, DiffError> {
    let repo = Path::new(".");
    // The two sides are listed at once: each is a git process or a walk.
    let (base_side, head_side) = std::thread::scope(|scope| {
        let head = scope.spawn(|| -> Result<_, DiffError> {
            let mut notes = Vec::new();
            let mut errors = Vec::new();
            let side = match req.head {
                Some(h) => {
                    let oid = git::resolve(repo, h)?;
                    let label = short(&oid);
                    let side = revision_side(repo, &oid, req, &mut notes, &label)?;
                    (side, Some(label))
                }
                None => (working_side(req, &mut errors), None),
            };
            Ok((side, notes, errors))
        });
        let base = (|| -> Result<_, DiffError> {
            let oid = git::resolve(repo, req.base)?;
            let label = short(&oid);
            let mut notes = Vec::new();
            let mut side = revision_side(repo, &oid, req, &mut notes, &label)?;
            // Against the working tree, every blob is compared by its
            // bytes: read them all while the walk runs.
            if req.head.is_none() {
                let all: BTreeSet<String> = side.files.keys().cloned().collect();
                let max = side_max(&side, req);
                load_blobs(repo, &mut side, &all, max)?;
            }
            Ok((side, label, notes))
        })();
        let head = head
            .join()
            .unwrap_or_else(|_| Err(DiffError::Git(git::GitError("internal error".to_owned()))));
        (base, head)
    });
    let (mut base, base_label, mut notes) = base_side?;
    let ((mut head, head_label), head_notes, mut errors) = head_side?;
    notes.extend(head_notes);
    let head_is_rev = head_label.is_some();
    let head_label = head_label.unwrap_or_else(|| "working tree".to_owned());
    let max = side_max(&base, req).max(side_max(&head, req));
    // Which paths differ: by blob ID between revisions, by bytes against
    // the working tree.
    let mut changed: BTreeSet<String> = BTreeSet::new();
    for p in base.files.keys().chain(head.files.keys()) {
        let (b, h) = (base.files.get(p), head.files.get(p));
        let same = match (b, h) {
            (Some(b), Some(h)) => match (&b.oid, &h.oid) {
                (Some(x), Some(y)) => x == y,
                _ => b.bytes.is_some() && b.bytes == h.bytes,
            },
            _ => false,
        };
        if !same {
            changed.insert(p.clone());
        }
    }
    // A Terraform directory is one module: all of it, when a file changed.
    let dirs: BTreeSet<PathBuf> = changed
        .iter()
        .filter(|p| is_terraform(p))
        .map(|p| parent(p))
        .collect();
    let selected =
        |p: &String| changed.contains(p) || (is_terraform(p) && dirs.contains(&parent(p)));
    let wanted: BTreeSet<String> = base
        .files
        .keys()
        .chain(head.files.keys())
        .filter(|p| selected(p))
        .cloned()
        .collect();
    std::thread::scope(|scope| -> Result<(), DiffError> {
        let h = scope.spawn(|| {
            if head_is_rev {
                load_blobs(repo, &mut head, &wanted, max)
            } else {
                Ok(())
            }
        });
        let b = load_blobs(repo, &mut base, &wanted, max);
        h.join()
            .unwrap_or_else(|_| Err(DiffError::Git(git::GitError("internal error".to_owned()))))?;
        b
    })?;
    let compared = base.files.len().max(head.files.len());
    let inputs = |side: Side, errors: &mut Vec<(String, String)>| -> Vec<Input> {
        side.files
            .into_iter()
            .filter(|(p, _)| wanted.contains(p))
            .filter_map(|(p, f)| match f.bytes {
                // Both sides alike: a module is the files of its folder on
                // that side (never the disk's siblings of a named file), and
                // Terraform's `file()` reads nothing on either side (a
                // policy file it would read is compared on its own).
                Some(b) => Some(Input {
                    content: Some(b),
                    explicit: false,
                    root: None,
                    ..f.input
                }),
                None if f.oid.is_some() => {
                    errors.push((p, "cannot read the blob from git".to_owned()));
                    None
                }
                // Unreadable in the working tree: the analysis says why.
                None => Some(f.input),
            })
            .collect()
    };
    let base_inputs = inputs(base, &mut errors);
    let head_inputs = inputs(head, &mut errors);
    let analysed = base_inputs.len() + head_inputs.len();
    let (base_report, before) = explain::explain(&base_inputs, req.settings, req.jobs, None);
    let (head_report, after) = explain::explain(&head_inputs, req.settings, req.jobs, None);
    for (p, e) in base_report.errors() {
        errors.push((format!("{p} (in {base_label})"), e.to_owned()));
    }
    for (p, e) in head_report.errors() {
        errors.push((p.to_owned(), e.to_owned()));
    }
    let changes = compare(&before.roles, &after.roles);
    let mut summary = Summary::default();
    for c in &changes {
        match c.change {
            Kind::Added => summary.added += 1,
            Kind::Removed => summary.removed += 1,
            Kind::Widened => summary.widened += 1,
            Kind::Narrowed => summary.narrowed += 1,
        }
    }
    notes.sort();
    errors.sort();
    Ok(Diff {
        version: 1,
        base: base_label,
        head: head_label,
        changes,
        summary,
        notes,
        errors,
        files: (compared, analysed),
    })
}

/// A role as compared: its grants gathered under one (path, name).
struct View<'a> {
    role: &'a str,
    /// The role has no name of its own (a raw policy file): its file's.
    unnamed: bool,
    path: &'a str,
    line: usize,
    session: Option<u64>,
    exposure: Exposure,
    grants: Vec<&'a Grant>,
}

fn views(roles: &[Role]) -> BTreeMap<(&str, &str), View<'_>> {
    let mut out: BTreeMap<(&str, &str), View<'_>> = BTreeMap::new();
    for r in roles {
        let v = out
            .entry((r.path.as_str(), r.role.as_str()))
            .or_insert(View {
                role: &r.role,
                unnamed: r.resource.is_none() && r.arn.is_none(),
                path: &r.path,
                line: r.span.start.line,
                session: r.max_session_seconds,
                exposure: r.exposure,
                grants: Vec::new(),
            });
        v.line = v.line.min(r.span.start.line);
        v.session = match (v.session, r.max_session_seconds) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        };
        v.exposure = v.exposure.min(r.exposure);
        v.grants.extend(r.grants.iter());
    }
    for v in out.values_mut() {
        v.grants.sort_by_key(|g| key(g));
        v.grants.dedup_by_key(|g| key(g));
    }
    out
}

/// An effective condition, normalised: operator, key (case-insensitive
/// in IAM), values sorted.
type Cond = (String, String, Vec<String>);

/// What makes two grants the same, whatever the source looked like.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    principal: String,
    class: &'static str,
    exposure: Exposure,
    actions: BTreeSet<String>,
    mfa: bool,
    external_id: bool,
    pinned: bool,
    subjects: BTreeSet<String>,
    conditions: BTreeSet<Cond>,
}

fn conditions(g: &Grant) -> BTreeSet<Cond> {
    g.conditions
        .iter()
        .filter(|c| c.effective)
        .map(|c| {
            let mut values = c.values.clone();
            values.sort();
            values.dedup();
            (
                operator(&c.operator, &values),
                c.key.to_ascii_lowercase(),
                values,
            )
        })
        .collect()
}

/// A `…Like` operator whose values hold no wildcard is its `…Equals`:
/// moving between them is no change.
fn operator(op: &str, values: &[String]) -> String {
    let literal = values.iter().all(|v| !v.contains(['*', '?']));
    if !literal {
        return op.to_owned();
    }
    let (prefix, base) = match op.split_once(':') {
        Some((p, b)) => (format!("{p}:"), b),
        None => (String::new(), op),
    };
    let (base, suffix) = match base.strip_suffix("IfExists") {
        Some(b) => (b, "IfExists"),
        None => (base, ""),
    };
    let base = match base {
        "StringLike" => "StringEquals",
        "StringNotLike" => "StringNotEquals",
        "ArnLike" => "ArnEquals",
        "ArnNotLike" => "ArnNotEquals",
        b => b,
    };
    format!("{prefix}{base}{suffix}")
}

fn key(g: &Grant) -> Key {
    Key {
        principal: g.principal.clone(),
        class: g.class,
        exposure: g.exposure,
        actions: g.actions.iter().map(|a| a.to_ascii_lowercase()).collect(),
        mfa: g.mfa,
        external_id: g.external_id,
        pinned: g.pinned,
        subjects: g.subjects.iter().cloned().collect(),
        conditions: conditions(g),
    }
}

/// Same role, same grants, same session (a rename). A raw policy file's
/// role is named after the file, so a renamed file renames it too.
fn same_role(a: &View<'_>, b: &View<'_>) -> bool {
    (a.role == b.role || (a.unnamed && b.unnamed))
        && a.session == b.session
        && a.grants.len() == b.grants.len()
        && a.grants
            .iter()
            .zip(&b.grants)
            .all(|(x, y)| key(x) == key(y))
}

/// Compare the roles of two sides; changes sorted by path, position,
/// role, change and principal.
pub fn compare(before: &[Role], after: &[Role]) -> Vec<Change> {
    let b = views(before);
    let a = views(after);
    let mut changes = Vec::new();
    let only_b: Vec<&View<'_>> = b
        .iter()
        .filter(|(k, _)| !a.contains_key(*k))
        .map(|(_, v)| v)
        .collect();
    let mut only_a: Vec<&View<'_>> = a
        .iter()
        .filter(|(k, _)| !b.contains_key(*k))
        .map(|(_, v)| v)
        .collect();
    for (k, vb) in &b {
        if let Some(va) = a.get(k) {
            compare_role(vb, va, &mut changes);
        }
    }
    for vb in only_b {
        // A renamed file: the same role, grants and session elsewhere.
        let named = only_a
            .iter()
            .position(|va| va.role == vb.role && same_role(vb, va));
        if let Some(i) = named.or_else(|| only_a.iter().position(|va| same_role(vb, va))) {
            only_a.remove(i);
            continue;
        }
        for g in &vb.grants {
            changes.push(Change {
                change: Kind::Removed,
                role: vb.role.to_owned(),
                path: vb.path.to_owned(),
                exposure: g.exposure,
                before: Some((*g).clone()),
                after: None,
                what: format!(
                    "{} can no longer assume the role (the role is gone)",
                    g.text
                ),
                line: None,
            });
        }
    }
    for va in only_a {
        for g in &va.grants {
            changes.push(Change {
                change: Kind::Added,
                role: va.role.to_owned(),
                path: va.path.to_owned(),
                exposure: g.exposure,
                before: None,
                after: Some((*g).clone()),
                what: format!("{} can assume this new role", g.text),
                line: Some(va.line),
            });
        }
    }
    changes.sort_by(|x, y| {
        let principal = |c: &Change| {
            c.after
                .as_ref()
                .or(c.before.as_ref())
                .map(|g| g.principal.clone())
                .unwrap_or_default()
        };
        (
            &x.path,
            x.line.unwrap_or(0),
            &x.role,
            x.change,
            principal(x),
            &x.what,
        )
            .cmp(&(
                &y.path,
                y.line.unwrap_or(0),
                &y.role,
                y.change,
                principal(y),
                &y.what,
            ))
    });
    changes
}

/// The changes between two versions of one role.
fn compare_role(b: &View<'_>, a: &View<'_>, out: &mut Vec<Change>) {
    let change = |kind: Kind, before: Option<&Grant>, after: Option<&Grant>, what: String| Change {
        change: kind,
        role: a.role.to_owned(),
        path: a.path.to_owned(),
        exposure: after.or(before).map_or(a.exposure, |g| g.exposure),
        before: before.cloned(),
        after: after.cloned(),
        what,
        line: Some(a.line),
    };
    // Grants equal on both sides are no change.
    let mut left: Vec<&Grant> = b.grants.clone();
    let mut right: Vec<&Grant> = Vec::new();
    for g in &a.grants {
        let k = key(g);
        match left.iter().position(|x| key(x) == k) {
            Some(i) => {
                left.remove(i);
            }
            None => right.push(g),
        }
    }
    // The same principal on both sides: widened or narrowed.
    for g in right {
        let same = left
            .iter()
            .position(|x| x.principal == g.principal && x.class == g.class);
        match same {
            Some(i) => {
                let old = left.remove(i);
                let (kind, what) = describe(old, g);
                out.push(change(kind, Some(old), Some(g), what));
            }
            None => out.push(change(
                Kind::Added,
                None,
                Some(g),
                format!("{} can now assume the role", g.text),
            )),
        }
    }
    for old in left {
        out.push(change(
            Kind::Removed,
            Some(old),
            None,
            format!("{} can no longer assume the role", old.text),
        ));
    }
    // A longer session widens every grant of the role.
    if let (Some(sb), Some(sa)) = (b.session, a.session) {
        if sa != sb && !a.grants.is_empty() {
            let words = explain::render::seconds_words;
            let widest_b = b.grants.iter().min_by_key(|g| g.exposure).copied();
            let widest_a = a.grants.iter().min_by_key(|g| g.exposure).copied();
            out.push(Change {
                exposure: a.exposure,
                ..change(
                    if sa > sb {
                        Kind::Widened
                    } else {
                        Kind::Narrowed
                    },
                    widest_b,
                    widest_a,
                    format!("MaxSessionDuration {} → {}", words(sb), words(sa)),
                )
            });
        }
    }
}

/// Who a grant is, briefly, for a sentence.
fn who(g: &Grant) -> String {
    match g.class {
        "account" => format!(
            "account {}",
            match g.account.as_deref() {
                Some("this") => "this account",
                Some(a) => a,
                None => g.principal.as_str(),
            }
        ),
        "service" => g.service.clone().unwrap_or_else(|| g.principal.clone()),
        _ => g.principal.clone(),
    }
}

/// Does any pattern of `patterns` (IAM `*` / `?` wildcards) match `s`?
fn covered(s: &str, patterns: &BTreeSet<&str>) -> bool {
    patterns
        .iter()
        .any(|p| wildcard(p.as_bytes(), s.as_bytes()))
}

/// IAM's `StringLike` matching: `*` any run, `?` one character.
fn wildcard(p: &[u8], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, si));
                pi += 1;
            }
            Some(c) if *c == b'?' || *c == s[si] => {
                pi += 1;
                si += 1;
            }
            _ => match star {
                Some((sp, ss)) => {
                    pi = sp + 1;
                    si = ss + 1;
                    star = Some((sp, ss + 1));
                }
                None => return false,
            },
        }
    }
    p[pi.min(p.len())..].iter().all(|c| *c == b'*')
}

fn is_mfa_key(k: &str) -> bool {
    k.starts_with("aws:multifactorauth")
}

/// Whether one grant of a principal gives more or less than before, and
/// what changed, in one line.
fn describe(b: &Grant, a: &Grant) -> (Kind, String) {
    let mut wider: Vec<String> = Vec::new();
    let mut narrower: Vec<String> = Vec::new();
    let w = who(a);
    if b.mfa != a.mfa {
        if b.mfa {
            wider.push(format!("MFA is no longer required for {w}"));
        } else {
            narrower.push(format!("MFA is now required for {w}"));
        }
    }
    if b.external_id != a.external_id {
        if b.external_id {
            wider.push(format!("an ExternalId is no longer required for {w}"));
        } else {
            narrower.push(format!("an ExternalId is now required for {w}"));
        }
    }
    if b.pinned != a.pinned {
        if b.pinned {
            wider.push(format!(
                "{w} is no longer pinned to an organisation, account or ARN"
            ));
        } else {
            narrower.push(format!(
                "{w} is now pinned to an organisation, account or ARN"
            ));
        }
    }
    let bs: BTreeSet<&str> = b.subjects.iter().map(String::as_str).collect();
    let as_: BTreeSet<&str> = a.subjects.iter().map(String::as_str).collect();
    let subjects_changed = bs != as_;
    if subjects_changed {
        // No subject condition at all admits every subject.
        let grows = (as_.is_empty() && !bs.is_empty())
            || (!bs.is_empty() && as_.iter().any(|s| !covered(s, &bs)));
        let shrinks = (bs.is_empty() && !as_.is_empty())
            || (!as_.is_empty() && bs.iter().any(|s| !covered(s, &as_)));
        let text = if a.text != b.text {
            format!(
                "{}, was only {}",
                a.text,
                after_common_words(&a.text, &b.text)
            )
        } else {
            format!("subjects {}, were {}", list(&as_), list(&bs))
        };
        if grows {
            wider.push(text);
        } else if shrinks {
            narrower.push(if a.text != b.text {
                format!("only {}, was {}", a.text, b.text)
            } else {
                text
            });
        }
    }
    let ba: BTreeSet<String> = b.actions.iter().map(|x| x.to_ascii_lowercase()).collect();
    let aa: BTreeSet<String> = a.actions.iter().map(|x| x.to_ascii_lowercase()).collect();
    let gained: Vec<&String> = a
        .actions
        .iter()
        .filter(|x| !ba.contains(&x.to_ascii_lowercase()))
        .collect();
    let lost: Vec<&String> = b
        .actions
        .iter()
        .filter(|x| !aa.contains(&x.to_ascii_lowercase()))
        .collect();
    if !gained.is_empty() {
        wider.push(format!("{w} may now also call {}", join(&gained)));
    }
    if !lost.is_empty() {
        narrower.push(format!("{w} may no longer call {}", join(&lost)));
    }
    // Other effective conditions: the ones the flags above already
    // explain are not said twice.
    let explained = |k: &str| {
        (b.mfa != a.mfa && is_mfa_key(k))
            || (b.external_id != a.external_id && k == "sts:externalid")
            || (b.pinned != a.pinned && PIN_KEYS.contains(&k))
            || (subjects_changed && k.ends_with(":sub"))
    };
    let cb = conditions(b);
    let ca = conditions(a);
    let by_key = |set: &BTreeSet<Cond>| -> BTreeMap<(String, String), BTreeSet<String>> {
        let mut m: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
        for (op, k, v) in set {
            m.entry((op.clone(), k.clone()))
                .or_default()
                .extend(v.iter().cloned());
        }
        m
    };
    let (mb, ma) = (by_key(&cb), by_key(&ca));
    for ((op, k), vb) in &mb {
        if explained(k) {
            continue;
        }
        match ma.get(&(op.clone(), k.clone())) {
            None => wider.push(format!("the condition {op} {k} no longer applies")),
            Some(va) if va == vb => {}
            Some(va) => {
                let text = format!("{op} {k} is now {}, was {}", list_owned(va), list_owned(vb));
                if vb.is_subset(va) {
                    wider.push(text);
                } else if va.is_subset(vb) {
                    narrower.push(text);
                } else {
                    wider.push(text);
                }
            }
        }
    }
    for (op, k) in ma.keys() {
        if !mb.contains_key(&(op.clone(), k.clone())) && !explained(k) {
            narrower.push(format!("the condition {op} {k} now applies"));
        }
    }
    if a.exposure < b.exposure && wider.is_empty() {
        wider.push(format!(
            "{w} is now {}, was {}",
            a.exposure.as_str(),
            b.exposure.as_str()
        ));
    }
    if b.exposure < a.exposure && narrower.is_empty() && wider.is_empty() {
        narrower.push(format!(
            "{w} is now {}, was {}",
            a.exposure.as_str(),
            b.exposure.as_str()
        ));
    }
    if !wider.is_empty() {
        wider.extend(narrower.into_iter().map(|n| format!("but {n}")));
        (Kind::Widened, wider.join("; "))
    } else if !narrower.is_empty() {
        (Kind::Narrowed, narrower.join("; "))
    } else {
        // A change the key sees and the words do not (a condition's
        // operator): said plainly, counted as wider to stay on the safe side.
        (Kind::Widened, format!("{}, was {}", a.text, b.text))
    }
}

/// `b` without the words it starts with in common with `a` ("GitHub
/// Actions in repository x", after "GitHub Actions in any repository of
/// y": "repository x"), unless nothing would be left.
fn after_common_words<'t>(a: &str, b: &'t str) -> &'t str {
    let mut cut = 0;
    let mut aw = a.split(' ');
    for (i, w) in b.split(' ').enumerate() {
        if aw.next() != Some(w) {
            break;
        }
        cut = b.split(' ').take(i + 1).map(|x| x.len() + 1).sum::<usize>();
    }
    match b.get(cut..) {
        Some(rest) if !rest.is_empty() => rest,
        _ => b,
    }
}

fn list(s: &BTreeSet<&str>) -> String {
    if s.is_empty() {
        "any".to_owned()
    } else {
        s.iter().copied().collect::<Vec<_>>().join(", ")
    }
}

fn list_owned(s: &BTreeSet<String>) -> String {
    s.iter().cloned().collect::<Vec<_>>().join(", ")
}

fn join(v: &[&String]) -> String {
    v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
}

/// Does a change at this exposure or wider, that grows trust, fail
/// `--fail-on`? `threshold` `None`: any growing change.
pub fn fails(d: &Diff, threshold: Option<Exposure>) -> bool {
    d.changes
        .iter()
        .filter(|c| c.change.grows())
        .any(|c| threshold.is_none_or(|t| c.exposure <= t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard(
            b"repo:acme/*",
            b"repo:acme/app:ref:refs/heads/main"
        ));
        assert!(wildcard(b"a?c", b"abc"));
        assert!(!wildcard(b"repo:acme/app:*", b"repo:acme/other:x"));
        assert!(wildcard(b"*", b""));
        assert_eq!(
            after_common_words(
                "GitHub Actions in any repository of acme",
                "GitHub Actions in repository acme/app on branch main"
            ),
            "repository acme/app on branch main"
        );
        assert_eq!(after_common_words("a b", "a b"), "a b");
        assert!(!wildcard(b"", b"x"));
    }
}
