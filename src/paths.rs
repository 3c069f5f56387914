//! Paths as trustlint shows and compares them: lexical normalisation
//! (no file system access) and the display form (`/` separators, no
//! leading `./`). The bottom floor: every stage may use it.

use std::path::{Path, PathBuf};

/// Display form of a path: as given, with `/` separators, no leading `./`.
/// A backslash is a separator only on Windows: elsewhere it is a legal
/// character of a file name (`x\y.json`) and is shown as it is.
pub fn display_path(p: &Path) -> String {
    let s = lossy(p.as_os_str());
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

/// A path or name as text: borrowed when it is UTF-8 (checked by
/// `str::from_utf8`, which runs over ASCII a word at a time; std's
/// `to_string_lossy` decodes chunk by chunk, 1–2% of a run's instructions
/// when asked for every file), replacement characters otherwise.
pub fn lossy(s: &std::ffi::OsStr) -> std::borrow::Cow<'_, str> {
    match s.to_str() {
        Some(t) => std::borrow::Cow::Borrowed(t),
        None => s.to_string_lossy(),
    }
}

/// A reported path relative to `root` (absolute), with `/` separators,
/// when the file lies under it.
pub fn relative_to(path: &str, root: &Path) -> Option<String> {
    let abs = std::path::absolute(Path::new(path)).ok()?;
    let abs = normalize(&abs);
    let rel = abs.strip_prefix(root).ok()?;
    Some(display_path(rel))
}

/// Remove `.` and resolve `..` lexically (no file system access).
pub fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                // `..` of the root is the root.
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other.as_os_str()),
        }
    }
    out
}
