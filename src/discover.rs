//! Finding files: walk directories with `ignore` (honouring `.gitignore`
//! and `.ignore` even outside a git checkout), keep candidate extensions,
//! and take explicitly named files as they are.

use std::path::{Path, PathBuf};

use crate::lint::{is_candidate, Input};

/// A path that could not be walked or read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkError {
    pub path: String,
    pub message: String,
}

/// Display form of a path: as given, with `/` separators, no leading `./`.
pub fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    match s.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_owned(),
        _ => s,
    }
}

/// Expand the given paths into sorted, de-duplicated inputs.
/// `exclude` holds glob patterns (relative to each root) to leave out.
pub fn discover(paths: &[PathBuf], exclude: &globset::GlobSet) -> (Vec<Input>, Vec<WalkError>) {
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
            inputs.push(Input {
                path: root.clone(),
                display: display_path(root),
                explicit: true,
            });
            continue;
        }
        let walker = ignore::WalkBuilder::new(root)
            .require_git(false)
            .follow_links(false)
            .build();
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    errors.push(WalkError {
                        path: display_path(root),
                        message: e.to_string(),
                    });
                    continue;
                }
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let path = entry.path();
            if !is_candidate(path) {
                continue;
            }
            let rel = path.strip_prefix(root).unwrap_or(path);
            if exclude.is_match(rel) || exclude.is_match(path) {
                continue;
            }
            inputs.push(Input {
                path: path.to_path_buf(),
                display: display_path(path),
                explicit: false,
            });
        }
    }
    inputs.sort_by(|a, b| a.display.cmp(&b.display));
    inputs.dedup_by(|a, b| a.display == b.display);
    (inputs, errors)
}
