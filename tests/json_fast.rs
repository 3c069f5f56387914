//! The JSON loader's fast path (`src/load/json_fast.rs`) must give exactly
//! what the general path (jsonc-parser, converted) gives — the same tree,
//! spans and decoded strings, or the same error — on every text. Checked on
//! hand-written edge cases, on every JSON file of the tests, the examples
//! and `../shared/corpus` (skipped visibly when absent), and on mutations of
//! them.

#![allow(clippy::unwrap_used)] // tests: a panic is a failure

use std::path::{Path, PathBuf};

mod common;

use proptest::prelude::*;
use trustlint::load::json;

/// Both paths, compared through their full debug form (kinds, spans, keys).
fn same(text: &str) -> Result<(), String> {
    let fast = format!("{:?}", json::parse(text));
    let general = format!("{:?}", json::general(text));
    if fast == general {
        Ok(())
    } else {
        // Show where they part, not whole trees.
        let at = fast
            .bytes()
            .zip(general.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        let around = |s: &str| {
            let mut from = at.saturating_sub(80);
            while !s.is_char_boundary(from) {
                from -= 1;
            }
            let mut to = (at + 80).min(s.len());
            while !s.is_char_boundary(to) {
                to += 1;
            }
            s[from..to].to_owned()
        };
        let head: String = text.chars().take(120).collect();
        Err(format!(
            "paths differ on {head:?}…\n fast:    …{}…\n general: …{}…",
            around(&fast),
            around(&general)
        ))
    }
}

#[test]
fn edge_cases() {
    let deep_ok = "[".repeat(256) + &"]".repeat(256);
    let deep_bad = "[".repeat(257) + &"]".repeat(257);
    let cases = [
        "",
        " ",
        "{}",
        "[]",
        " { } ",
        "\u{feff}{}",
        "{\"a\":1}",
        "{\"a\" : [ 1 , -0 , 0.5 , 1e3 , 1E+3, -1.25e-7, 123456789012345678901234567890 ] }",
        "{\"a\": 01}",
        "{\"a\": 1.}",
        "{\"a\": .5}",
        "{\"a\": -}",
        "{\"a\": 1e}",
        "{\"a\": +1}",
        "{\"a\": 0x10}",
        "{\"a\": NaN}",
        "{\"a\": truex}",
        "{\"a\": tru}",
        "{\"a\": null, \"a\": false, \"b\": true}",
        "{\"a\": \"x\\\"y\\\\z\\/w\\b\\f\\n\\r\\t\"}",
        "{\"a\": \"\\u0041\\u00e9\\u20AC\\ud83d\\ude00\"}",
        "{\"a\": \"\\ud800\"}",
        "{\"a\": \"\\ud800x\"}",
        "{\"a\": \"\\ud800\\u0041\"}",
        "{\"a\": \"\\udc00\"}",
        "{\"a\": \"\\u12\"}",
        "{\"a\": \"\\x41\"}",
        "{\"a\": \"\\'\"}",
        "{\"a\": \"tab\there\"}",
        "{\"a\": \"nl\nhere\"}",
        "{\"a\": \"\u{7f}\u{80}é€😀\"}",
        "{\"\u{e000}\": \"\u{e001}\"}",
        "{\"a\": \"\\ue000\"}",
        "{\"a\": \"unterminated}",
        "{\"a\": [1, 2,]}",
        "{\"a\": 1,}",
        "{\"a\" 1}",
        "{a: 1}",
        "{'a': 1}",
        "{\"a\": 1} x",
        "{\"a\": 1}{}",
        "// c\n{}",
        "{\"a\": 1 /* c */}",
        "[1 2]",
        "[,1]",
        "\"just a string\"",
        "42",
        "true",
        "{\"a\":\r\n\t1}",
        "{\"a\":\u{a0}1}",
        "{\"a\":\u{2028}1}",
        &deep_ok,
        &deep_bad,
    ];
    let failures: Vec<String> = cases.iter().filter_map(|t| same(t).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn json_files(root: &Path, out: &mut Vec<PathBuf>) {
    for entry in walk(root) {
        let name = entry.to_string_lossy().to_ascii_lowercase();
        if name.ends_with(".json") || name.ends_with(".template") {
            out.push(entry);
        }
    }
}

fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                stack.push(e.path());
            } else if ft.is_file() {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

fn texts(files: &[PathBuf]) -> Vec<String> {
    files
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .filter_map(|b| String::from_utf8(b).ok())
        .collect()
}

#[test]
fn every_json_file_of_the_suite_and_examples() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    json_files(&root.join("tests"), &mut files);
    json_files(&root.join("examples"), &mut files);
    assert!(files.len() > 50, "only {} JSON files found", files.len());
    let failures: Vec<String> = texts(&files).iter().filter_map(|t| same(t).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_json_file_of_the_corpus() {
    let Some(root) = common::shared("corpus", "every_json_file_of_the_corpus") else {
        return;
    };
    let mut files = Vec::new();
    json_files(&root, &mut files);
    let texts = texts(&files);
    let (mut fast, mut bytes, mut fast_bytes) = (0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    for t in &texts {
        bytes += t.len();
        if let Err(e) = same(t) {
            failures.push(e);
        }
        if json::general(t).is_ok() {
            fast += 1;
            fast_bytes += t.len();
        }
    }
    eprintln!(
        "JSON fast path: {} corpus files ({} bytes), {fast} valid ({fast_bytes} bytes) compared",
        texts.len(),
        bytes
    );
    assert!(texts.len() > 1000, "corpus looks incomplete");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn seeds() -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    json_files(&root.join("examples"), &mut files);
    json_files(&root.join("tests/fixtures"), &mut files);
    texts(&files)
        .into_iter()
        .filter(|t| t.len() < 20_000)
        .collect()
}

/// Cut, insert, duplicate or replace a few bytes at char boundaries.
fn mutate(text: &str, ops: &[(usize, usize, u8)]) -> String {
    const INSERTS: &[&str] = &[
        "\"", "\\", "\\u", "\\ud800", ",", ":", "[", "]", "{", "}", " ", "\n", "0", "-", "e", ".",
        "\u{1}", "é", "null", "tru",
    ];
    let mut s = text.to_owned();
    for &(pos, len, op) in ops {
        if s.is_empty() {
            break;
        }
        let mut at = pos % s.len();
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + len % 8).min(s.len());
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        match op % 3 {
            0 => s.replace_range(at..end, ""),
            1 => s.insert_str(at, INSERTS[usize::from(op) % INSERTS.len()]),
            _ => {
                let piece = s[at..end].to_owned();
                s.insert_str(at, &piece);
            }
        }
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_files_agree(seed in any::<usize>(), ops in proptest::collection::vec((any::<usize>(), any::<usize>(), any::<u8>()), 1..4)) {
        let seeds = seeds();
        prop_assume!(!seeds.is_empty());
        let text = mutate(&seeds[seed % seeds.len()], &ops);
        if let Err(e) = same(&text) {
            prop_assert!(false, "{}", e);
        }
    }
}
