//! Reading a git revision without checking it out: `git ls-tree` lists
//! its files (with blob sizes, so every read is bounded before it
//! starts) and one `git cat-file --batch` streams the blobs wanted.
//!
//! Only `git` is run, always with fixed arguments: a revision is passed
//! after `--end-of-options` and never starts with `-`, paths are filtered
//! here rather than passed as pathspecs. `ls-tree`, `cat-file` and
//! `rev-parse` never touch the index or the work tree, so no hook or
//! fsmonitor runs.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Why git could not answer.
#[derive(Debug)]
pub struct GitError(pub String);

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One file of a revision's tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Relative to the repository's root, `/` separators.
    pub path: String,
    pub oid: String,
    pub size: u64,
    pub executable: bool,
}

fn git(repo: &Path) -> Command {
    let mut c = Command::new("git");
    c.current_dir(repo)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(Stdio::null());
    c
}

/// Run git with these arguments; its standard output, or its error.
fn run(repo: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = git(repo)
        .args(args)
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| GitError(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        let msg = String::from_utf8_lossy(&out.stderr);
        let msg = msg.lines().next().unwrap_or("").trim();
        return Err(GitError(format!(
            "git {} failed{}{msg}",
            args.first().copied().unwrap_or(""),
            if msg.is_empty() { "" } else { ": " }
        )));
    }
    Ok(out.stdout)
}

/// The root of the repository holding `dir`.
pub fn toplevel(dir: &Path) -> Result<PathBuf, GitError> {
    let out = run(dir, &["rev-parse", "--show-toplevel"])?;
    let s = String::from_utf8_lossy(&out)
        .trim_end_matches('\n')
        .to_owned();
    if s.is_empty() {
        return Err(GitError("not inside a git work tree".to_owned()));
    }
    Ok(PathBuf::from(s))
}

/// The commit a revision names (full object ID).
pub fn resolve(repo: &Path, rev: &str) -> Result<String, GitError> {
    if rev.is_empty() || rev.starts_with('-') || rev.contains('\0') {
        return Err(GitError(format!("`{rev}` is not a revision")));
    }
    let spec = format!("{rev}^{{commit}}");
    let out = run(
        repo,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &spec,
        ],
    )
    .map_err(|_| GitError(format!("`{rev}` names no commit in this repository")))?;
    let oid = String::from_utf8_lossy(&out).trim().to_owned();
    if oid.is_empty() || !oid.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(GitError(format!(
            "`{rev}` names no commit in this repository"
        )));
    }
    Ok(oid)
}

/// Every regular file of a commit's tree (links and submodules are not
/// files to lint, as the walk does not follow links).
pub fn ls_tree(repo: &Path, commit: &str) -> Result<Vec<Entry>, GitError> {
    let out = run(repo, &["ls-tree", "-r", "-l", "-z", "--full-tree", commit])?;
    let mut entries = Vec::new();
    for rec in out.split(|b| *b == 0).filter(|r| !r.is_empty()) {
        // `<mode> SP <type> SP <oid> SP+ <size> TAB <path>`
        let Some(tab) = rec.iter().position(|b| *b == b'\t') else {
            continue;
        };
        let head = String::from_utf8_lossy(&rec[..tab]);
        let Ok(path) = std::str::from_utf8(&rec[tab + 1..]) else {
            continue; // not a name we could show or match
        };
        let mut f = head.split_whitespace();
        let (Some(mode), Some(kind), Some(oid), Some(size)) =
            (f.next(), f.next(), f.next(), f.next())
        else {
            continue;
        };
        if kind != "blob" || !(mode == "100644" || mode == "100755") {
            continue;
        }
        let Ok(size) = size.parse::<u64>() else {
            continue;
        };
        entries.push(Entry {
            path: path.to_owned(),
            oid: oid.to_owned(),
            size,
            executable: mode == "100755",
        });
    }
    Ok(entries)
}

/// The contents of these blobs, in order, through one `git cat-file
/// --batch`. Each must be at most `max` bytes (the caller checked the
/// sizes `ls-tree` gave); a blob that turns out larger, or missing, is
/// `None`.
pub fn read_blobs(repo: &Path, oids: &[&str], max: u64) -> Result<Vec<Option<Vec<u8>>>, GitError> {
    if oids.is_empty() {
        return Ok(Vec::new());
    }
    let mut child = git(repo)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| GitError(format!("cannot run git: {e}")))?;
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(GitError("cannot talk to git cat-file".to_owned()));
    };
    let request: String = oids.iter().map(|o| format!("{o}\n")).collect();
    // Written from a thread: git answers while we ask, and a full pipe
    // either way would block both.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(request.as_bytes());
    });
    let mut reader = BufReader::new(stdout);
    let mut out = Vec::with_capacity(oids.len());
    let mut failure = None;
    for _ in oids {
        let mut header = Vec::new();
        match reader.read_until(b'\n', &mut header) {
            Ok(0) | Err(_) => {
                failure = Some("git cat-file ended early");
                break;
            }
            Ok(_) => {}
        }
        let header = String::from_utf8_lossy(&header);
        let mut f = header.split_whitespace();
        let (_, kind, size) = (f.next(), f.next(), f.next());
        let Some(size) = size.and_then(|s| s.parse::<u64>().ok()) else {
            out.push(None); // `<oid> missing`
            continue;
        };
        if kind != Some("blob") || size > max {
            // Drain it without keeping it.
            let copied = std::io::copy(&mut (&mut reader).take(size + 1), &mut std::io::sink());
            if copied.ok() != Some(size + 1) {
                failure = Some("git cat-file ended early");
                break;
            }
            out.push(None);
            continue;
        }
        let mut buf = Vec::new();
        match (&mut reader).take(size + 1).read_to_end(&mut buf) {
            Ok(n) if n as u64 == size + 1 => {
                buf.pop(); // the newline after the contents
                out.push(Some(buf));
            }
            _ => {
                failure = Some("git cat-file ended early");
                break;
            }
        }
    }
    if failure.is_some() {
        let _ = child.kill();
    }
    // Closing our end ends git's batch (its input is closed by then).
    drop(reader);
    let _ = writer.join();
    let _ = child.wait();
    match failure {
        Some(f) => Err(GitError(f.to_owned())),
        None => Ok(out),
    }
}
