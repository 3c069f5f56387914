//! Finding files: walk directories with `ignore` (honouring `.gitignore`
//! and `.ignore` even outside a git checkout), keep candidate extensions,
//! take explicitly named files as they are, and leave out what the
//! configuration's `exclude` patterns match.

use std::path::{Path, PathBuf};

use crate::lint::{is_candidate, Input};

/// A path that could not be walked or read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkError {
    pub path: String,
    pub message: String,
}

/// Display form of a path: as given, with `/` separators, no leading `./`.
/// A backslash is a separator only on Windows: elsewhere it is a legal
/// character of a file name (`x\y.json`) and is shown as it is.
pub fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy();
    let s = if cfg!(windows) {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    };
    match s.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_owned(),
        _ => s,
    }
}

/// A reported path relative to `root` (absolute), with `/` separators,
/// when the file lies under it.
pub fn relative_to(path: &str, root: &Path) -> Option<String> {
    let abs = std::path::absolute(Path::new(path)).ok()?;
    let abs = crate::settings::normalize(&abs);
    let rel = abs.strip_prefix(root).ok()?;
    Some(display_path(rel))
}

/// `exclude` patterns, relative to `root` (the configuration file's
/// directory), matched as [`crate::settings::glob_matches`] says.
#[derive(Clone, Debug, Default)]
pub struct Exclude {
    pub set: globset::GlobSet,
    pub root: Option<PathBuf>,
}

impl Exclude {
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }

    pub fn matches(&self, path: &Path) -> bool {
        crate::settings::glob_matches(&self.set, path, self.root.as_deref())
    }
}

/// Expand the given paths into sorted, de-duplicated inputs.
/// `exclude` holds glob patterns (relative to each root) to leave out.
pub fn discover(paths: &[PathBuf], exclude: &globset::GlobSet) -> (Vec<Input>, Vec<WalkError>) {
    discover_excluding(
        paths,
        &Exclude {
            set: exclude.clone(),
            root: None,
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
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                errors.push(WalkError {
                    path: display_path(root),
                    message: e.to_string(),
                });
                continue;
            }
        };
        if meta.is_file() {
            if !exclude.matches(root) {
                inputs.push(Input {
                    path: root.clone(),
                    display: display_path(root),
                    explicit: true,
                });
            }
            continue;
        }
        let pruner = exclude.clone();
        let top = root.clone();
        let mut builder = ignore::WalkBuilder::new(root);
        builder
            .require_git(false)
            .follow_links(false)
            .filter_entry(move |e| e.path() == top || !pruner.matches(e.path()));
        // One entry of the walk: an input, an error, or nothing.
        let visit = |entry: Result<ignore::DirEntry, ignore::Error>| match entry {
            Err(e) => Some(Err(WalkError {
                path: display_path(root),
                message: e.to_string(),
            })),
            Ok(entry) => {
                let path = entry.path();
                (entry.file_type().is_some_and(|t| t.is_file()) && is_candidate(path)).then(|| {
                    Ok(Input {
                        path: path.to_path_buf(),
                        display: display_path(path),
                        explicit: false,
                    })
                })
            }
        };
        let found: Vec<Result<Input, WalkError>> = if threads > 1 {
            let found = std::sync::Mutex::new(Vec::new());
            builder.threads(threads).build_parallel().run(|| {
                Box::new(|entry| {
                    if let Some(x) = visit(entry) {
                        if let Ok(mut found) = found.lock() {
                            found.push(x);
                        }
                    }
                    ignore::WalkState::Continue
                })
            });
            found
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        } else {
            builder.build().filter_map(visit).collect()
        };
        for x in found {
            match x {
                Ok(input) => inputs.push(input),
                Err(e) => errors.push(e),
            }
        }
    }
    inputs.sort_by(|a, b| a.display.cmp(&b.display));
    inputs.dedup_by(|a, b| a.display == b.display);
    errors.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    (inputs, errors)
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
        };
        assert!(ex.matches(Path::new("repo/vendor/a/b.json")));
        assert!(ex.matches(Path::new("repo/x/node_modules/p.json")));
        assert!(ex.matches(Path::new("repo/deep/a.gen.json")));
        assert!(!ex.matches(Path::new("repo/src/vendor.json")));
        assert!(!ex.matches(Path::new("repo/x/roles.json")));
    }
}
