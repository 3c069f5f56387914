//! Finding files: walk directories with `ignore` (honouring `.gitignore`
//! and `.ignore` even outside a git checkout), keep candidate extensions,
//! take explicitly named files as they are, and leave out what the
//! configuration's `exclude` patterns match.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use ignore::gitignore::Gitignore;

use crate::load;
use crate::settings::Settings;

/// A file to lint.
#[derive(Clone, Debug)]
pub struct Input {
    pub path: PathBuf,
    /// The path as shown in reports (`/` separators).
    pub display: String,
    /// Named on the command line (linted whatever its extension).
    pub explicit: bool,
    /// The settings of the nearest configuration (SPEC §4); `None`: the
    /// run's.
    pub settings: Option<Arc<Settings>>,
    /// The scanned root it was found under (absolute): Terraform `file()`
    /// reads nothing outside it, unless `file_functions_root` says
    /// otherwise. `None`: `file()` reads nothing.
    pub root: Option<Arc<Path>>,
    /// The file's bytes, already read (a blob of a git revision for
    /// `diff`); `None`: read `path` from disk.
    pub content: Option<Arc<[u8]>>,
}

/// Is this a file the walker should pick up (SPEC §1)?
pub fn is_candidate(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| crate::paths::lossy(n).to_ascii_lowercase())
        .unwrap_or_default();
    [".json", ".yaml", ".yml", ".template", ".tf"]
        .iter()
        .any(|e| name.ends_with(e))
        || crate::extract::creds::kind_of(path, None).is_some()
}

/// A path that could not be walked or read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkError {
    pub path: String,
    pub message: String,
}

pub use crate::paths::{display_path, relative_to};

/// `exclude` patterns, relative to `root` (the configuration file's
/// directory), matched as [`crate::settings::glob_matches`] says.
#[derive(Clone, Debug, Default)]
pub struct Exclude {
    pub set: globset::GlobSet,
    pub root: Option<PathBuf>,
    /// Match only paths under `root` (a discovered configuration's
    /// patterns never reach outside its folder).
    pub confined: bool,
}

impl Exclude {
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }

    pub fn matches(&self, path: &Path) -> bool {
        if self.set.is_empty() {
            return false;
        }
        if self.confined {
            let Some(root) = &self.root else {
                return false;
            };
            let under = std::path::absolute(path)
                .is_ok_and(|abs| crate::paths::normalize(&abs).starts_with(root));
            if !under {
                return false;
            }
        }
        crate::settings::glob_matches(&self.set, path, self.root.as_deref())
    }
}

/// How files are scoped during a walk: which are left out, and which
/// settings apply to them (SPEC §4: the nearest configuration).
pub trait Scopes: Sync {
    /// Should this walked entry, or named file, be left out?
    fn excluded(&self, path: &Path) -> bool;
    /// The settings for the files of directory `dir` (`None`: the run's).
    fn settings_for(&self, _dir: &Path) -> Option<Arc<Settings>> {
        None
    }
    /// Does nothing exclude an entry of directory `dir` (no pattern to
    /// test)? Asked once per directory of a walk.
    fn excludes_nothing_in(&self, _dir: &Path) -> bool {
        false
    }
}

impl Scopes for Exclude {
    fn excluded(&self, path: &Path) -> bool {
        self.matches(path)
    }
    fn excludes_nothing_in(&self, _dir: &Path) -> bool {
        self.is_empty()
    }
}

/// Something the walk could not use in full, said to the user (an ignore
/// file that is not a regular file, or too large).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkNote {
    pub path: String,
    pub message: String,
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Discovery {
    pub inputs: Vec<Input>,
    pub errors: Vec<WalkError>,
    pub notes: Vec<WalkNote>,
}

/// Ignore files larger than this are read up to it, with a note.
pub const MAX_IGNORE_FILE: u64 = 64 * 1024;
/// Patterns used per ignore file; the rest are left out, with a note.
pub const MAX_IGNORE_PATTERNS: usize = 1_000;

/// Expand the given paths into sorted, de-duplicated inputs.
/// `exclude` holds glob patterns (relative to each root) to leave out.
pub fn discover(paths: &[PathBuf], exclude: &globset::GlobSet) -> (Vec<Input>, Vec<WalkError>) {
    discover_excluding(
        paths,
        &Exclude {
            set: exclude.clone(),
            root: None,
            confined: false,
        },
    )
}

/// Expand the given paths into sorted, de-duplicated inputs, leaving out
/// what `exclude` matches (named files too, so that a pre-commit hook,
/// which names every changed file, honours the configuration).
pub fn discover_excluding(paths: &[PathBuf], exclude: &Exclude) -> (Vec<Input>, Vec<WalkError>) {
    discover_parallel(paths, exclude, 1)
}

/// [`discover_excluding`] on `threads` threads. The result is sorted, so
/// it does not depend on the thread count.
pub fn discover_parallel(
    paths: &[PathBuf],
    exclude: &Exclude,
    threads: usize,
) -> (Vec<Input>, Vec<WalkError>) {
    let found = discover_with(paths, exclude, threads);
    (found.inputs, found.errors)
}

/// Walk `paths` on `threads` threads, scoped by `scopes`. Ignore files
/// (`.gitignore`, `.ignore`, `.git/info/exclude`, from the scanned
/// directory up to its repository's root) are read here, bounded and
/// without blocking (see [`crate::load::file`]), not by the walker. The
/// result is sorted, so it does not depend on the thread count.
pub fn discover_with(paths: &[PathBuf], scopes: &dyn Scopes, threads: usize) -> Discovery {
    let mut out = Discovery::default();
    for root in paths {
        let meta = match std::fs::symlink_metadata(root) {
            Ok(m) => m,
            Err(e) => {
                out.errors.push(WalkError {
                    path: display_path(root),
                    message: e.to_string(),
                });
                continue;
            }
        };
        let kind = if meta.file_type().is_symlink() {
            match named_link_target(root) {
                Ok(m) => m.file_type(),
                Err(message) => {
                    out.errors.push(WalkError {
                        path: display_path(root),
                        message,
                    });
                    continue;
                }
            }
        } else {
            meta.file_type()
        };
        if kind.is_file() {
            if !scopes.excluded(root) {
                out.inputs.push(Input {
                    path: root.clone(),
                    display: display_path(root),
                    explicit: true,
                    settings: scopes.settings_for(&parent_of(root)),
                    root: named_file_root(root),
                    content: None,
                });
            }
            continue;
        }
        if !kind.is_dir() {
            out.errors.push(WalkError {
                path: display_path(root),
                message: format!(
                    "not a regular file or directory ({})",
                    load::file::kind_of(kind)
                ),
            });
            continue;
        }
        walk_dir(root, scopes, threads, &mut out);
    }
    out.inputs.sort_by(|a, b| a.display.cmp(&b.display));
    out.inputs.dedup_by(|a, b| a.display == b.display);
    out.errors
        .sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    out.notes
        .sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    out.notes.dedup();
    out
}

/// The directory a named file is in (`.` for a bare name).
fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The scanned root of a file named on the command line: the current
/// directory when it lies under it (a pre-commit hook's list), else its
/// own folder.
fn named_file_root(file: &Path) -> Option<Arc<Path>> {
    let abs = crate::paths::normalize(&std::path::absolute(file).ok()?);
    let cwd = std::env::current_dir().ok()?;
    let dir = if abs.starts_with(&cwd) {
        cwd
    } else {
        abs.parent()?.to_path_buf()
    };
    Some(Arc::from(dir))
}

/// A symbolic link named on the command line is followed only when its
/// target lies in the current directory's tree or beside the link (a
/// pre-commit hook names every file of a commit, links included).
pub(crate) fn named_link_target(link: &Path) -> Result<std::fs::Metadata, String> {
    let target = std::fs::canonicalize(link).map_err(|e| e.to_string())?;
    let roots = [
        std::env::current_dir().and_then(std::fs::canonicalize),
        std::fs::canonicalize(parent_of(link)),
    ];
    if !roots.iter().flatten().any(|r| target.starts_with(r)) {
        return Err("a symbolic link to a file outside the scanned tree, not followed".to_owned());
    }
    std::fs::metadata(&target).map_err(|e| e.to_string())
}

fn walk_dir(root: &Path, scopes: &dyn Scopes, threads: usize, out: &mut Discovery) {
    let abs_root = std::path::absolute(root)
        .map(|p| crate::paths::normalize(&p))
        .unwrap_or_else(|_| root.to_path_buf());
    let ignores = Ignores::new(&abs_root);
    let scan_root: Arc<Path> = Arc::from(abs_root.as_path());
    // The ignore files above the root (up to the repository's top) apply
    // too; the root's own are read from its listing like any directory's.
    let above: Chain = match abs_root.parent() {
        Some(p) if !same_dir(&abs_root, &ignores.top) => ignores.chain(p),
        _ => Arc::from([]),
    };
    let walk = Walk {
        scopes,
        ignores: &ignores,
        scan_root,
        queue: std::sync::Mutex::new(Queue {
            dirs: vec![Dir {
                path: root.to_path_buf(),
                abs: abs_root.clone(),
                above,
            }],
            busy: 0,
            waiting: 0,
        }),
        wake: std::sync::Condvar::new(),
        idle: std::sync::atomic::AtomicUsize::new(0),
        inputs: std::sync::Mutex::new(Vec::new()),
        errors: std::sync::Mutex::new(Vec::new()),
    };
    let threads = threads.max(1);
    if threads == 1 {
        walk.work();
    } else {
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| walk.work());
            }
        });
    }
    let Walk { inputs, errors, .. } = walk;
    // The first root's inputs are moved, not copied (memory: one list).
    let found = inputs
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if out.inputs.is_empty() {
        out.inputs = found;
    } else {
        out.inputs.extend(found);
    }
    let mut errors = errors
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    errors.sort();
    for message in errors {
        out.errors.push(WalkError {
            path: display_path(root),
            message,
        });
    }
    out.notes.extend(ignores.into_notes());
}

/// A directory waiting to be read.
struct Dir {
    /// As the walk names it: the root joined with names.
    path: PathBuf,
    /// Its absolute form, which ignore files' patterns are matched against.
    abs: PathBuf,
    /// The ignore files' matchers of the directories above it.
    above: Chain,
}

struct Queue {
    /// Depth first: the last directory found is read next.
    dirs: Vec<Dir>,
    /// Threads with directories of their own to read (which may find more).
    busy: usize,
    /// Threads waiting for a directory: a wake is a system call, made only
    /// when one waits.
    waiting: usize,
}

/// One walk of a directory tree on `--jobs` threads: each reads a
/// directory, decides on each entry (hidden, ignored, excluded, a
/// candidate), and queues the subdirectories. The `ignore` crate's walker
/// did the same, but ignore files must be read by trustlint (bounded, not
/// blocking), which meant two failing `open`s per directory to learn that
/// there were none; the listing says so for free (a third of the walk's
/// system time on a tree of 100,000 directories).
struct Walk<'a> {
    scopes: &'a dyn Scopes,
    ignores: &'a Ignores,
    scan_root: Arc<Path>,
    queue: std::sync::Mutex<Queue>,
    wake: std::sync::Condvar,
    /// `Queue::waiting`, readable without the lock.
    idle: std::sync::atomic::AtomicUsize,
    inputs: std::sync::Mutex<Vec<Input>>,
    /// `path: error` of each directory that could not be read.
    errors: std::sync::Mutex<Vec<String>>,
}

impl Walk<'_> {
    /// Take directories until none is left and no thread can find more.
    /// A thread walks what it finds itself (depth first), and hands half
    /// of it to the shared queue only when another thread waits for work:
    /// most directories cost no lock.
    fn work(&self) {
        let mut inputs = Vec::new();
        let mut local: Vec<Dir> = Vec::new();
        loop {
            let dir = match local.pop() {
                Some(d) => d,
                None => {
                    let Ok(mut q) = self.queue.lock() else {
                        break;
                    };
                    let next = loop {
                        if let Some(d) = q.dirs.pop() {
                            break Some(d);
                        }
                        if q.busy == 0 {
                            break None;
                        }
                        q.waiting += 1;
                        self.idle.store(q.waiting, Ordering::Relaxed);
                        q = match self.wake.wait(q) {
                            Ok(q) => q,
                            Err(_) => return,
                        };
                        q.waiting -= 1;
                        self.idle.store(q.waiting, Ordering::Relaxed);
                    };
                    match next {
                        Some(d) => {
                            q.busy += 1;
                            d
                        }
                        None => {
                            // Done: wake the others to see it.
                            drop(q);
                            self.wake.notify_all();
                            break;
                        }
                    }
                }
            };
            // A panic must not leave the other threads waiting for this
            // one's directories: it becomes an error of the walk.
            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.read(&dir, &mut inputs)
            })) {
                Ok(found) => local.extend(found),
                Err(_) => {
                    if let Ok(mut errors) = self.errors.lock() {
                        errors.push(format!(
                            "{}: internal error while reading the directory",
                            dir.path.display()
                        ));
                    }
                }
            }
            let share = self.idle.load(Ordering::Relaxed) > 0 && local.len() > 1;
            if local.is_empty() || share {
                if let Ok(mut q) = self.queue.lock() {
                    if share {
                        // The oldest (shallowest) half: the most work.
                        q.dirs.extend(local.drain(..local.len() / 2));
                    }
                    if local.is_empty() {
                        q.busy -= 1;
                    }
                    if q.waiting > 0 && (share || q.busy == 0) {
                        self.wake.notify_all();
                    }
                }
            }
        }
        if let Ok(mut all) = self.inputs.lock() {
            all.append(&mut inputs);
        }
    }

    /// Read one directory: its inputs go to `inputs`, its subdirectories
    /// are returned.
    fn read(&self, dir: &Dir, inputs: &mut Vec<Input>) -> Vec<Dir> {
        let mut subdirs = Vec::new();
        let mut entries = Vec::new();
        let listing = std::fs::read_dir(&dir.path).and_then(|list| {
            for e in list {
                let e = e?;
                entries.push((e.file_name(), e.file_type()?));
            }
            Ok(())
        });
        if let Err(e) = listing {
            if let Ok(mut errors) = self.errors.lock() {
                errors.push(format!("{}: {e}", dir.path.display()));
            }
            if entries.is_empty() {
                return subdirs;
            }
        }
        // Its own ignore files, from the listing.
        let has = |name: &str| entries.iter().any(|(n, _)| n.as_os_str() == name);
        let own: Vec<&str> = IGNORE_FILES
            .iter()
            .copied()
            .filter(|n| match n.strip_prefix(".git/") {
                Some(_) => has(".git"),
                None => has(n),
            })
            .collect();
        let chain: Chain = match (!own.is_empty())
            .then(|| self.ignores.build_from(&dir.abs, &own))
            .flatten()
        {
            Some(gi) => std::iter::once(Arc::new(gi))
                .chain(dir.above.iter().cloned())
                .collect(),
            None => dir.above.clone(),
        };
        let settings = self.scopes.settings_for(&dir.path);
        let excludes_nothing = self.scopes.excludes_nothing_in(&dir.path);
        for (name, kind) in entries {
            if is_hidden_name(&name) {
                continue;
            }
            let path = dir.path.join(&name);
            let is_dir = kind.is_dir();
            let abs = (is_dir || !chain.is_empty()).then(|| dir.abs.join(&name));
            if abs
                .as_deref()
                .is_some_and(|abs| !chain.is_empty() && ignored_by(&chain, abs, is_dir))
                || (!excludes_nothing && self.scopes.excluded(&path))
            {
                continue;
            }
            if is_dir {
                subdirs.push(Dir {
                    path,
                    abs: abs.unwrap_or_default(),
                    above: chain.clone(),
                });
                continue;
            }
            if !kind.is_file() {
                continue;
            }
            let configured = settings.as_deref().is_some_and(|s| {
                [&s.aws_config_globs, &s.session_policy_globs]
                    .into_iter()
                    .flatten()
                    .any(|set| crate::settings::glob_matches(set, &path, s.root.as_deref()))
            });
            if is_candidate(&path) || configured || is_script(&path, &name) {
                inputs.push(Input {
                    display: display_path(&path),
                    path,
                    explicit: false,
                    settings: settings.clone(),
                    root: Some(self.scan_root.clone()),
                    content: None,
                });
            }
        }
        subdirs
    }
}

/// Is any component of this path one the walk leaves out as hidden (a
/// revision's file, which no walk saw)?
pub fn hidden_component(path: &Path) -> bool {
    path.components()
        .any(|c| matches!(c, std::path::Component::Normal(n) if is_hidden_name(n)))
}

/// Hidden files and folders are not walked, but for the places where CI
/// and AWS keep what trustlint reads (SPEC §1.1).
fn is_hidden_name(name: &std::ffi::OsStr) -> bool {
    const READ: &[&str] = &[
        ".github",
        ".circleci",
        ".gitlab-ci.yml",
        ".aws",
        ".buildkite",
        ".gitlab",
    ];
    let n = name.as_encoded_bytes();
    n.first() == Some(&b'.') && !READ.iter().any(|r| r.as_bytes() == n)
}

/// Two directories as the walk spells them (absolute, normalised, no
/// trailing separator but for the root): compared as bytes.
fn same_dir(a: &Path, b: &Path) -> bool {
    a.as_os_str() == b.as_os_str()
}

/// `Path::starts_with`, comparing bytes first (`Path`'s compares
/// component by component).
fn is_under(p: &Path, top: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let (pb, tb) = (p.as_os_str().as_bytes(), top.as_os_str().as_bytes());
        if let Some(rest) = pb.strip_prefix(tb) {
            if rest.is_empty() || rest[0] == b'/' || tb.last() == Some(&b'/') {
                return true;
            }
        }
    }
    p.starts_with(top)
}

/// An executable file without an extension: possibly a shell script (its
/// shebang is read with the file).
fn is_script(path: &Path, name: &std::ffi::OsStr) -> bool {
    let no_extension = name.to_str().is_some_and(|n| !n.contains('.'));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        no_extension
            && std::fs::symlink_metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = (no_extension, path);
        false
    }
}

/// The ignore files' matchers that apply in one directory, deepest first.
type Chain = Arc<[Arc<Gitignore>]>;

/// Gitignore semantics: the deepest directory whose patterns decide
/// (ignore or re-include) wins; in one directory, `.ignore` over
/// `.gitignore` over `.git/info/exclude`, later lines over earlier.
fn ignored_by(chain: &[Arc<Gitignore>], abs: &Path, is_dir: bool) -> bool {
    for gi in chain {
        match gi.matched(abs, is_dir) {
            ignore::Match::Ignore(_) => return true,
            ignore::Match::Whitelist(_) => return false,
            ignore::Match::None => {}
        }
    }
    false
}

/// A directory's ignore files, least important first: `.ignore` over
/// `.gitignore` over the repository's `.git/info/exclude`.
const IGNORE_FILES: &[&str] = &[".git/info/exclude", ".gitignore", ".ignore"];

/// The ignore files of one walk, read on demand, once per directory.
struct Ignores {
    /// The highest directory whose ignore files apply: the repository's
    /// root when the walk is inside one, else the walk's root.
    top: PathBuf,
    /// Directory (absolute, as bytes) → its chain.
    cache: std::sync::Mutex<std::collections::HashMap<Box<[u8]>, Chain>>,
    notes: std::sync::Mutex<Vec<WalkNote>>,
}

impl Ignores {
    fn new(abs_root: &Path) -> Ignores {
        let top = abs_root
            .ancestors()
            .find(|d| std::fs::symlink_metadata(d.join(".git")).is_ok())
            .unwrap_or(abs_root)
            .to_path_buf();
        Ignores {
            top,
            cache: std::sync::Mutex::default(),
            notes: std::sync::Mutex::default(),
        }
    }

    /// The matchers of the ignore files that apply to the entries of
    /// `abs_dir`, deepest directory first: its own, then its parent's
    /// chain. Each directory's is made once, keyed by the path's bytes
    /// (hashing a `Path` walks its components: a tenth of a run's time).
    fn chain(&self, abs_dir: &Path) -> Chain {
        let key = abs_dir.as_os_str().as_encoded_bytes();
        if let Some(c) = self.cache.lock().ok().and_then(|c| c.get(key).cloned()) {
            return c;
        }
        let chain: Chain = if is_under(abs_dir, &self.top) {
            let parent = match abs_dir.parent() {
                Some(p) if !same_dir(abs_dir, &self.top) => self.chain(p),
                _ => Arc::from([]),
            };
            match self.build(abs_dir) {
                Some(gi) => std::iter::once(Arc::new(gi))
                    .chain(parent.iter().cloned())
                    .collect(),
                None => parent,
            }
        } else {
            Arc::from([])
        };
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key.into(), chain.clone());
        }
        chain
    }

    /// The matcher of `dir`'s own ignore files, probing for each.
    fn build(&self, dir: &Path) -> Option<Gitignore> {
        self.build_from(dir, IGNORE_FILES)
    }

    /// The matcher of those of `dir`'s ignore files named in `names` (in
    /// the order of [`IGNORE_FILES`]): the walk passes the ones its
    /// directory listing holds, so an absent file costs no `open`.
    fn build_from(&self, dir: &Path, names: &[&str]) -> Option<Gitignore> {
        let mut builder = ignore::gitignore::GitignoreBuilder::new(dir);
        let mut any = false;
        for &name in names {
            // A repository's own exclude file is at its root (a probe less
            // per directory).
            if name.starts_with(".git/") && !same_dir(dir, &self.top) {
                continue;
            }
            let file = dir.join(name);
            let (text, truncated) =
                match load::file::read_head(&file, MAX_IGNORE_FILE, load::file::Follow::No) {
                    Ok(x) => x,
                    // Absent, or `.git` is a file (a worktree or submodule).
                    Err(load::file::ReadError::Io(e))
                        if e.kind() == std::io::ErrorKind::NotFound
                            || name.starts_with(".git/") =>
                    {
                        continue
                    }
                    Err(e) => {
                        self.note(&file, format!("not used: {e}"));
                        continue;
                    }
                };
            if truncated {
                self.note(
                    &file,
                    format!("only its first {MAX_IGNORE_FILE} bytes are used (limit)"),
                );
            }
            let text = String::from_utf8_lossy(&text);
            let mut patterns = 0;
            for line in text.lines() {
                let line = line.trim_end_matches('\r');
                if line.trim().is_empty() || line.starts_with('#') {
                    continue;
                }
                if patterns == MAX_IGNORE_PATTERNS {
                    self.note(
                        &file,
                        format!("only its first {MAX_IGNORE_PATTERNS} patterns are used (limit)"),
                    );
                    break;
                }
                if builder.add_line(Some(file.clone()), line).is_ok() {
                    patterns += 1;
                    any = true;
                }
            }
        }
        if !any {
            return None;
        }
        builder.build().ok()
    }

    fn note(&self, file: &Path, message: String) {
        let path = std::env::current_dir()
            .ok()
            .and_then(|cwd| relative_to(&file.to_string_lossy(), &cwd))
            .unwrap_or_else(|| display_path(file));
        if let Ok(mut notes) = self.notes.lock() {
            notes.push(WalkNote { path, message });
        }
    }

    fn into_notes(self) -> Vec<WalkNote> {
        self.notes
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclude_matches_prefixes_and_names() {
        let root = std::path::absolute("repo").unwrap();
        let ex = Exclude {
            set: crate::config::build_globs(&[
                "vendor/**".into(),
                "node_modules".into(),
                "*.gen.json".into(),
            ])
            .unwrap(),
            root: Some(root),
            confined: false,
        };
        assert!(ex.matches(Path::new("repo/vendor/a/b.json")));
        assert!(ex.matches(Path::new("repo/x/node_modules/p.json")));
        assert!(ex.matches(Path::new("repo/deep/a.gen.json")));
        assert!(!ex.matches(Path::new("repo/src/vendor.json")));
        assert!(!ex.matches(Path::new("repo/x/roles.json")));
    }

    /// The walk reads ignore files from each directory's listing: the
    /// gitignore rules across levels, `.git/info/exclude` at the
    /// repository's top only, ancestors' files when the walk starts below
    /// the top, hidden folders left out but for CI places, and the same
    /// inputs on any number of threads.
    #[test]
    fn walk_honours_ignore_files_at_every_level() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        let files = [
            ".git/info/exclude",
            ".gitignore",
            "a.json",
            "secret.json",
            "build/b.json",
            "sub/.gitignore",
            "sub/.ignore",
            "sub/keep.json",
            "sub/drop.json",
            "sub/drop-me.json",
            "sub/gen/g.json",
            "sub/deep/keep.json",
            "sub/deep/.git/info/exclude",
            "sub/deep/x.json",
            ".hidden/h.json",
            ".github/workflows/w.yml",
        ];
        for f in files {
            std::fs::create_dir_all(p.join(f).parent().unwrap()).unwrap();
            std::fs::write(p.join(f), "{}").unwrap();
        }
        std::fs::write(p.join(".git/info/exclude"), "secret.json\n").unwrap();
        std::fs::write(p.join(".gitignore"), "build/\ndrop-me.json\n").unwrap();
        std::fs::write(p.join("sub/.gitignore"), "drop.json\ngen/\n").unwrap();
        // `.ignore` wins over `.gitignore` in one directory.
        std::fs::write(p.join("sub/.ignore"), "!gen/\n").unwrap();
        // Not the repository's top: not read.
        std::fs::write(p.join("sub/deep/.git/info/exclude"), "x.json\n").unwrap();
        let walk = |root: &Path, threads: usize| -> Vec<String> {
            let mut out = Discovery::default();
            walk_dir(root, &Exclude::default(), threads, &mut out);
            assert!(out.errors.is_empty() && out.notes.is_empty(), "{out:?}");
            let mut v: Vec<String> = out
                .inputs
                .iter()
                .map(|i| {
                    i.path
                        .strip_prefix(p)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/")
                })
                .collect();
            v.sort();
            v
        };
        let expected = [
            ".github/workflows/w.yml",
            "a.json",
            "sub/deep/keep.json",
            "sub/deep/x.json",
            "sub/gen/g.json",
            "sub/keep.json",
        ];
        for threads in [1, 2, 4] {
            assert_eq!(walk(p, threads), expected, "{threads} threads");
        }
        // From below the top, the ancestors' ignore files still apply.
        assert_eq!(
            walk(&p.join("sub"), 2),
            [
                "sub/deep/keep.json",
                "sub/deep/x.json",
                "sub/gen/g.json",
                "sub/keep.json"
            ]
        );
    }
}
