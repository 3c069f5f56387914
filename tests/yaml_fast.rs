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

mod common;

use proptest::prelude::*;
use trustlint::load::yaml::{parse_both, parse_builder, parse_fast};
use trustlint::source::Span;
use trustlint::tree::{Kind, Node};

/// One line per node and key: kind, span and the spanned text, for
/// readable failure messages (the comparison itself is on `Debug`).
fn outline(text: &str, docs: &[Node]) -> Vec<String> {
    fn go(text: &str, n: &Node, depth: usize, out: &mut Vec<String>) {
        let at = |s: Span| {
            let t = text
                .get(s.start as usize..s.end as usize)
                .unwrap_or("<bad span>");
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

fn corpus(test: &str) -> Option<PathBuf> {
    common::shared("corpus", test)
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
    let Some(root) = corpus("corpus_sweep") else {
        return;
    };
    let t = texts(&[root]);
    assert!(
        t.len() > 1000,
        "corpus looks incomplete: {} YAML files",
        t.len()
    );
    let r = sweep(&t);
    report("corpus", r);
}

// ------------------------------------------------------------ edge cases

/// Texts the fast path must take (and get exactly right).
const FAST: &[&str] = &[
    "",
    "\n\n",
    "# only a comment\n",
    "# one\n   # two\n\n",
    "a: 1",
    "a: 1\n",
    "---\na: 1\n",
    "--- # start\na: 1\n",
    "# c\n---\n# d\na: 1\n",
    "a:\nb: 1\n",
    "a:\n",
    "a:   \nb:  # c\nc:",
    "- \n-\n- # c\n-   x\n",
    "a:\n- x\n-\n- y\nb: 2\n",
    "a:\n  -\n  - \"\"\n",
    "a: \"\"\nb: ''\n",
    "a: 012\nb: 0x1F\nc: 1e3\nd: .inf\ne: -.Inf\nf: .nan\ng: 0o17\nh: +1.5\ni: 1_000\nj: 0x\nk: 1.2.3\n",
    "a: true\nb: True\nc: TRUE\nd: yes\ne: tRUE\nf: false\ng: False\nh: FALSE\ni: no\n",
    "a: null\nb: Null\nc: NULL\nd: ~\ne: nULL\nf: '~'\n",
    "\"quoted\": 1\n'single': 2\n\"with: colon\": 3\n'it''s': 4\n",
    "sts:ExternalId: x\n\"aws:SourceArn\": y\nFn::If: z\narn:aws:iam::123:root: w\n",
    "a: b # comment\nc: b#not\nd: 'q' # c\ne: \"q\"   # c\nf: [x] # c\ng: {k: v}   # c\n",
    "a: b   \nc: 'q'   \nd: [x]   \ne:   \n",
    "é: \"ü\"\nnäme: !Ref Wert\n\u{3000}k: \u{a0}v\nk2: x\u{a0}\n",
    "a: 1\r\nb:\r\n  - x\r\n  - 'y' # c\r\nc: |\r\n  l1\r\n\r\n  l2\r\nd: 2\r\n",
    "a: |\n  x\n  y",
    "a: >\n  x\n  y\n\n  z\n   w\n  v\nb: 1\n",
    "a: |-\n  x\n\nb: |+\n  y\n\n\nc: 1\n",
    "a: !Sub |\n  echo ${A}\n  # not a comment\n    indented\nb: !Sub\n  - '${x}'\n  - x: !Ref Y\n",
    "a: |\n  > quoted\n  !tagged\n",
    "a: !Ref X\nb: !GetAtt R.Arn\nc: !GetAtt R.Attr.Deep\nd: !GetAtt R\ne: !Condition C\nf: !Foo x\ng: !!str 12\nh: !!int 12\ni: !!bool yes\nj: !!null ~\nk: !Ref 42\n",
    "a: !Join [\"\", [\"arn:\", !Ref AWS::Partition, \":s3:::\", !Ref B, /*]]\nb: !If [C, !Ref A, !Ref AWS::NoValue]\nc: !Select [0, !GetAZs '']\n",
    "a: !Join\n  - ''\n  - - 'arn:aws:s3:::'\n    - !Ref Bucket\n    - /*\n",
    "a: {}\nb: []\nc: {\"k\":1, j: [a, b], \"l\" : 2}\nd: [ a , 'b' , \"c\" ]\ne: [[a], [b, [c]]]\n",
    "- a: 1\n  b: 2\n- c: 3\n-   d: 4\n    e:\n    - f\n- - x\n  - y\n- !Ref Z\n",
    "a:\n  b:\n    c:\n      d: 1\n  e: 2\nf: 3\n",
    "Statement:\n  - Effect: Allow\n    Principal:\n      AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root'\n    Action: sts:AssumeRole\n    Condition:\n      StringEquals:\n        sts:ExternalId: !Ref ExternalId\n",
    "<<: {a: 1}\nb: 2\n",
    "a:\n  <<:\n    x: 1\n    y: 2\n  x: 3\n",
    "Description:\n  This is a long\n  description - with a dash\n\n  and a paragraph\nb: 1\n",
    "a: plain\n  continued\n   more   \nb: 'quoted\n  continued\n\n  para'\n",
    "a: \"esc \\\" \\\\ \\/ \\n \\t \\0 \\x41 \\u00e9 \\U0001F600 \\N \\_ \\L \\P \\e \\a \\b \\f \\v \\r \\ \"\n",
    "a: \"\u{E000} marker\"\n\u{E001}: 'k'\n",
    // Escapes make markers in a text that has none (no byte 0xEE).
    "a: \"\\uE000 marker\"\n\"\\uE001\": plain\nb: plain\n",
    "a: !GetAZs\nb:\n  - !GetAZs\n  - x\n",
    "a:\n  !Sub 'x'\nb:\n  [x, y]\nc:\n  plain\n",
    "key with spaces  : value with spaces\n",
    "a: -1\nb: :x\nc: ?y\nd: -x\n",
    "a: !Rain::Embed x.py\nb: !Foo.Bar-x_y [1]\n",
    "a:\n  # comment between\n  b: 1\n    # deeper comment\n  c: 2\n# at column 0\n",
    // Flow collections over several lines, trailing commas.
    "a:\n  [\n    1,\n    3,\n  ]\nb: 2\n",
    "a: [1, 2,\n    3]\n",
    "a: {x: 1,\n  y: [2,\n    3], z: 4}\n",
    "a:\n  - [1, # one\n     2]\n  - {b: c}\n",
    "a: [1, 2, ]\n",
    "k:\n  'multi\n  line'\n",
    // Escaped line breaks in double quotes: no space for the break, the
    // spaces before the backslash kept, an empty line after it a line feed.
    "a: \"one\\\n  two\"\nb: \"x  \\\n    \\ y\"\nc: \"p\\\n\n  q\\\n\n\n  r\"\n",
    "- \"echo \\\"a\\\n  \\ b\\\"\\n\"\n- 'x'\n",
    // A local tag before an indentless sequence (the sequence at its key's
    // column), at the top and inside a sequence item.
    "a: !If\n- C\n- x\n- !Ref Y\nb: 1\n",
    "a: !Join \n- ','\n- !Ref P\n",
    "- k: !Join\n  - '/'\n  - - x\n    - y\n  n: 2\n",
    // Quoted scalars over several lines inside flow collections.
    "a:\n  b: !Sub [\n      \"one -\n      two\",\n      {x: 1}]\nc: ['p \"q\n    r\"', s]\n",
    "a: [\"x\\\n   y\", 'p\n\n   q']\n",
];

/// Texts either may take; they must agree (most decline).
const ANY: &[&str] = &[
    "a: &x 1\nb: *x\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n...\n",
    "%YAML 1.2\n---\na: 1\n",
    "? a\n: b\n",
    "a:\tb\n",
    "\ta: b\n",
    "a: b\t# c\n",
    "a: b: c\n",
    "a: - b\n",
    "- a\nb: c\n",
    "a: 1\n b: 2\n",
    "a:\n    b: 1\n  c: 2\n",
    "a: 'unterminated\n",
    "a: \"bad \\q escape\"\n",
    "a: \"x\"y\n",
    "a: \"x\"#c\n",
    "a: [1, 2\n",
    "a: [1, 2,]\n",
    "a: {b}\n",
    "a: {b: }\n",
    "a: [b: c]\n",
    "a: !<tag:x> b\n",
    "a: !e!x b\n",
    "a: !\n",
    "a: !!map\n  b: 1\n",
    "a: |2\n   x\n",
    "a: |\n",
    "a: |\nb: 1\n",
    "a: |\n      \n  x\n",
    "a: |\n\tx\n",
    "a: @x\n",
    "a: `x\n",
    "a: %x\n",
    "a: b # c\n  d\n",
    "a: foo\n# c\n  bar\n",
    "just a scalar\n",
    "[a, b]\n",
    "{a: b}\n",
    "---\n",
    "a: b\r",
    "a: b\rc: d\n",
    "a: \u{FEFF}b\n",
    "a: \u{0}\n",
    "a: \u{7}\n",
    "\"a\" : b\n",
    "\"a\":b\n",
    "a: 'x'\n  'y'\n",
    "- - - - x\n",
    "a: !Sub\n- x\n",
    "a: !Ref\nb: 1\n",
    "a: !Ref !Sub x\n",
    "a: [!Ref ]\n",
    "a: [- x]\n",
    "a: [x #c\n]\n",
    "a: {\"k\":[1]}\n",
    "a: {k:[1]}\n",
    "-\n  a: 1\n  b: 2\n",
    "- foo\n  bar\n- baz\n",
    "a:\n  - b\n  c: d\n",
    "k:\n  'multi\n  line': no\n",
    "a: {b: c, }\n",
    "a: {b: c,\n  }\n",
    "a: [1,\n2]\n",
    "a:\n  b: [1,\n  2]\n",
    "a: [1\n  , 2]\n",
    "a: [x\n  y]\n",
    "a: [1,\n\n  # c\n  2]\n",
    "a: [1,\n---\n2]\n",
    "a: {b: 1,\n c: 2}\n",
    "- [a,\n  b]\n- c\n",
    "a: [1,\n\t2]\n",
    "a: [,]\n",
    "a: [1,,]\n",
    "a: {,}\n",
    "'k\n  x': v\n",
    "a: \"x\n  y\": z\n",
    "a: \"x\\\r\n  y\"\r\n",
    "a: \"x\\\n\ty\"\n",
    "a: \"x\\\ny\"\n",
    "a: \"x\\",
    "a: !!seq\n- x\n",
    "a: !!str\n- x\n",
    "a:\n  b: [\"x\n  y\"]\n",
    "a:\n  b: [\"x\n   y\"]\n",
    "a:\n  b: [\"x\ny\"]\n",
    "a: [\"x\n y\"]\n",
    "- [\"x\n  y\"]\n",
    "- [\"x\n y\"]\n",
    "a: {k: \"x\n  y\"}\n",
    "a: {\"k\n  j\": v}\n",
    "a: [\"x\n  ---\n  y\"]\n",
    "a: [\"x\n---\n  y\"]\n",
    "a: ['x\n  # not a comment\n  y']\n",
];

#[test]
fn edge_cases() {
    for (i, t) in FAST.iter().enumerate() {
        assert!(
            check(&format!("FAST[{i}]"), t),
            "FAST[{i}] should take the fast path: {t:?} (builder: {:?})",
            parse_builder(t).err()
        );
    }
    for (i, t) in ANY.iter().enumerate() {
        check(&format!("ANY[{i}]"), t);
    }
}

#[test]
fn depth_and_size_limits() {
    // Nested mappings: shallow ones take the fast path, deep ones are
    // left to the builder, which rejects the deepest.
    for levels in [10, 60, 63, 64, 65, 100, 255, 256, 257, 300] {
        let mut t = String::new();
        for i in 0..levels {
            t.push_str(&" ".repeat(i));
            t.push_str("a:\n");
        }
        let fast = check(&format!("{levels} mappings"), &t);
        assert_eq!(fast, levels <= 64, "{levels} nested mappings");
        let seq = "- ".repeat(levels) + "x\n";
        let fast = check(&format!("{levels} sequences"), &seq);
        assert_eq!(fast, levels <= 64, "{levels} nested sequences");
        let flow = "a: ".to_owned() + &"[".repeat(levels) + &"]".repeat(levels);
        check(&format!("{levels} flow"), &flow);
        let tags = "a: ".to_owned() + &"!Sub [".repeat(levels) + &"]".repeat(levels);
        check(&format!("{levels} tags"), &tags);
    }
    assert!(parse_builder(&("- ".repeat(300) + "x\n")).is_err());
    assert!(parse_fast(&("- ".repeat(300) + "x\n")).is_none());
    // Long keys: saphyr allows a simple key 1024 characters.
    for n in [900, 1000, 1001, 1024, 1025, 2000] {
        check(&format!("key of {n}"), &format!("{}: 1\n", "k".repeat(n)));
        check(
            &format!("quoted key of {n}"),
            &format!("'{}': 1\n", "k".repeat(n)),
        );
    }
}

/// More values than the loaders allow: the fast path declines before the
/// limit, so the builder reports it.
#[test]
#[ignore = "builds a 10 MB text; run with --ignored (release) for the value limit"]
fn value_limit() {
    let n = trustlint::load::MAX_VALUES;
    let t = "- 1\n".repeat(n + 1);
    assert!(parse_fast(&t).is_none());
    assert!(parse_builder(&t).is_err());
    let t = "- 1\n".repeat(n - 100);
    check("just under the value limit", &t);
}

// ------------------------------------------------------------ properties

/// 256 cases, or `PROPTEST_CASES`.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

/// Seeds for mutation: the YAML fixtures and examples plus the edge cases.
fn seeds() -> &'static [String] {
    static SEEDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut v: Vec<String> = texts(&[manifest().join("tests"), manifest().join("examples")])
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        v.extend(FAST.iter().map(|s| (*s).to_owned()));
        v
    })
}

/// Snippets inserted by the mutations: YAML indicators, white space,
/// scalars with a meaning and characters the spans must count right.
const SNIPPETS: &[&str] = &[
    " ",
    "  ",
    "\n",
    "\r\n",
    "\t",
    "- ",
    "-",
    ": ",
    ":",
    "#",
    " #",
    " # c",
    "'",
    "''",
    "\"",
    "\\",
    "\\n",
    "\\x4",
    "!Ref ",
    "!Rain::Embed ",
    "!GetAtt A.B",
    "!Sub ",
    "!!str ",
    "!",
    "[",
    "]",
    "{",
    "}",
    ",",
    "|",
    "|-",
    ">",
    ">+",
    "|2",
    "&a ",
    "*a",
    "---",
    "---\n",
    "...",
    "? ",
    "%",
    "@",
    "`",
    "0x1F",
    "012",
    "1e3",
    ".inf",
    "~",
    "null",
    "True",
    "<<: ",
    "é",
    "\u{a0}",
    "\u{3000}",
    "\u{E000}",
    "\u{FEFF}",
    "\u{85}",
    "\u{2028}",
    "key: value\n",
    "  - item\n",
    "a:\n  b: c\n",
    "x: |\n  t\n",
];

#[derive(Clone, Debug)]
enum Mutation {
    DeleteBytes(usize, usize),
    Insert(usize, usize),
    DuplicateLine(usize),
    DeleteLine(usize),
    Reindent(usize, i8),
    SwapLines(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1..8usize).prop_map(|(p, n)| Mutation::DeleteBytes(p, n)),
        (any::<usize>(), 0..SNIPPETS.len()).prop_map(|(p, s)| Mutation::Insert(p, s)),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        any::<usize>().prop_map(Mutation::DeleteLine),
        (any::<usize>(), -4..5i8).prop_map(|(l, d)| Mutation::Reindent(l, d)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn boundary(t: &str, p: usize) -> usize {
    let mut p = p % (t.len() + 1);
    while !t.is_char_boundary(p) {
        p -= 1;
    }
    p
}

fn apply(mut t: String, m: &Mutation) -> String {
    let lines = |t: &str| -> Vec<String> { t.split_inclusive('\n').map(str::to_owned).collect() };
    match *m {
        Mutation::DeleteBytes(p, n) => {
            let a = boundary(&t, p);
            let b = boundary(&t, a + n);
            if b > a {
                t.replace_range(a..b, "");
            }
            t
        }
        Mutation::Insert(p, s) => {
            let a = boundary(&t, p);
            t.insert_str(a, SNIPPETS[s]);
            t
        }
        Mutation::DuplicateLine(i) | Mutation::DeleteLine(i) => {
            let mut ls = lines(&t);
            if ls.is_empty() {
                return t;
            }
            let i = i % ls.len();
            if matches!(m, Mutation::DeleteLine(_)) {
                ls.remove(i);
            } else {
                let l = ls[i].clone();
                ls.insert(i, l);
            }
            ls.concat()
        }
        Mutation::Reindent(i, d) => {
            let mut ls = lines(&t);
            if ls.is_empty() {
                return t;
            }
            let i = i % ls.len();
            let l = &mut ls[i];
            if d >= 0 {
                l.insert_str(0, &" ".repeat(d as usize));
            } else {
                let n = l.len() - l.trim_start_matches(' ').len();
                l.replace_range(..n.min(d.unsigned_abs() as usize), "");
            }
            ls.concat()
        }
        Mutation::SwapLines(a, b) => {
            let mut ls = lines(&t);
            if ls.is_empty() {
                return t;
            }
            let n = ls.len();
            ls.swap(a % n, b % n);
            ls.concat()
        }
        Mutation::Truncate(p) => {
            let a = boundary(&t, p);
            t.truncate(a);
            t
        }
    }
}

/// A YAML-ish line for the generated texts.
fn gen_line() -> impl Strategy<Value = (i8, String)> {
    let key = proptest::sample::select(
        &[
            "a",
            "Key",
            "sts:ExternalId",
            "\"q:k\"",
            "'s k'",
            "<<",
            "1",
            "~",
            "é",
            "k k",
        ][..],
    );
    let value = proptest::sample::select(
        &[
            "",
            " x",
            " 1",
            " true",
            " ~",
            " \"s\"",
            " 'it''s'",
            " !Ref R",
            " !GetAtt R.Arn",
            " !Sub",
            " !Join",
            " [a, !Ref b]",
            " {k: v}",
            " |",
            " >-",
            " # c",
            " x # c",
            " \"a\" # c",
            " -1",
            " :x",
            " !GetAZs",
            " x\u{a0}",
            " !!str 1",
            " [ ]",
            " {}",
        ][..],
    );
    let step = proptest::sample::select(&[-4i8, -2, -2, 0, 0, 0, 2, 2, 1, 3][..]);
    let shape = 0..7u8;
    (step, shape, key, value).prop_map(|(d, s, k, v)| {
        let line = match s {
            0 => format!("- {k}:{v}\n"),
            1 => format!("-{v}\n"),
            2 => format!("{}\n", v.trim_start()),
            3 => "# comment\n".to_owned(),
            _ => format!("{k}:{v}\n"),
        };
        (d, line)
    })
}

/// Lines indented by steps from the previous one, so most texts are
/// well-formed.
fn gen_text(lines: &[(i8, String)]) -> String {
    let mut indent = 0i32;
    let mut t = String::new();
    for (d, l) in lines {
        indent = (indent + i32::from(*d)).clamp(0, 12);
        t.push_str(&" ".repeat(indent as usize));
        t.push_str(l);
    }
    t
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mutated_fixtures(
        seed in any::<proptest::sample::Index>(),
        muts in proptest::collection::vec(mutation(), 1..6),
    ) {
        let seeds = seeds();
        let mut t = seed.get(seeds).clone();
        for m in &muts {
            t = apply(t, m);
        }
        check("mutated fixture", &t);
    }

    #[test]
    fn generated_lines(lines in proptest::collection::vec(gen_line(), 0..16)) {
        check("generated", &gen_text(&lines));
    }
}

// ------------------------------------------------------------ speed

/// Parse throughput of both over the corpus YAML (run in release:
/// `cargo test --release --test yaml_fast -- --ignored --nocapture parse_speed`).
#[test]
#[ignore = "timing; run in release with --ignored --nocapture"]
fn parse_speed() {
    let Some(root) = corpus("parse_speed") else {
        return;
    };
    let t = texts(&[root]);
    let bytes: usize = t.iter().map(|(_, s)| s.len()).sum();
    let fast_texts: Vec<&str> = t
        .iter()
        .map(|(_, s)| s.as_str())
        .filter(|s| parse_fast(s).is_some())
        .collect();
    let fast_bytes: usize = fast_texts.iter().map(|s| s.len()).sum();
    let time = |f: &dyn Fn()| {
        let mut best = f64::MAX;
        for _ in 0..5 {
            let start = std::time::Instant::now();
            f();
            best = best.min(start.elapsed().as_secs_f64());
        }
        best
    };
    let mbs = |b: usize, s: f64| b as f64 / s / 1e6;
    let builder_fast_set = time(&|| {
        for s in &fast_texts {
            std::hint::black_box(parse_builder(s).ok());
        }
    });
    let fast_fast_set = time(&|| {
        for s in &fast_texts {
            std::hint::black_box(parse_fast(s));
        }
    });
    let builder_all = time(&|| {
        for (_, s) in &t {
            std::hint::black_box(parse_builder(s).ok());
        }
    });
    let parse_all = time(&|| {
        for (_, s) in &t {
            std::hint::black_box(trustlint::load::yaml::parse(s).ok());
        }
    });
    eprintln!(
        "files the fast path takes ({} files, {fast_bytes} bytes): fast path {:.0} MB/s, saphyr builder {:.0} MB/s",
        fast_texts.len(),
        mbs(fast_bytes, fast_fast_set),
        mbs(fast_bytes, builder_fast_set)
    );
    eprintln!(
        "all corpus YAML ({} files, {bytes} bytes): yaml::parse (fast path first) {:.0} MB/s, saphyr builder alone {:.0} MB/s",
        t.len(),
        mbs(bytes, parse_all),
        mbs(bytes, builder_all)
    );
}
