//! The pipeline stays one-way (issue 12): each top-level module of `src/`
//! has a stage, and no module imports one of a higher stage; no two files
//! import each other, directly or around a loop. Imports are read from the
//! source (`crate::a::b` paths, `super::x` and `use super::{…}` of sibling
//! files), outside comments and `#[cfg(test)]` modules. A new top-level
//! module must be given its stage here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Stages from the bottom floor up; a module may use its own stage and
/// those below.
const STAGES: &[(&str, u32)] = &[
    // The bottom floor: positions, paths, pages, limits, the value tree,
    // diagnostics with rule metadata and suppression types, settings.
    ("source", 0),
    ("paths", 1),
    ("docs", 1),
    ("mask", 1),
    ("ordered", 1),
    ("limit", 2),
    ("tree", 3),
    ("diagnostic", 4),
    ("settings", 5),
    // load → policy → extract → analysis → rules
    ("load", 10),
    ("policy", 11),
    ("extract", 12),
    ("analysis", 13),
    ("rules", 14),
    // The driver: suppressions, discovery, linting, configuration.
    ("suppress", 20),
    ("discover", 21),
    ("lint", 22),
    ("config", 23),
    ("explain", 24),
    // Output, and `diff`, which renders through it.
    ("report", 30),
    ("baseline", 31),
    ("diff", 32),
    ("lib", 40),
    ("main", 41),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file without comments and test modules.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `src/extract/cfn.rs` → ["extract", "cfn"]; `src/extract/mod.rs` →
/// ["extract"].
fn module_path(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src()).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|c| c.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The file a module path names, when one exists (longest prefix).
fn file_of(path: &[String], files: &BTreeMap<Vec<String>, PathBuf>) -> Option<Vec<String>> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| files.contains_key(p))
}

/// The module paths a file imports.
fn imports(file: &Path, files: &BTreeMap<Vec<String>, PathBuf>) -> BTreeSet<Vec<String>> {
    let me = module_path(file);
    let text = code(&std::fs::read_to_string(file).unwrap());
    let mut out = BTreeSet::new();
    let idents = |s: &str| -> Vec<String> {
        s.split("::")
            .map(|p| {
                p.chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect::<String>()
            })
            .take_while(|p| !p.is_empty())
            .collect()
    };
    for (i, _) in text.match_indices("crate::") {
        let path = idents(&text[i + "crate::".len()..]);
        if let Some(f) = file_of(&path, files) {
            out.insert(f);
        }
    }
    // `super::x` in a child file names a sibling (or the parent itself).
    let parent: Vec<String> = me[..me.len().saturating_sub(1)].to_vec();
    let is_mod_rs = file.file_name().is_some_and(|n| n == "mod.rs");
    let base = if is_mod_rs {
        me[..me.len().saturating_sub(1)].to_vec()
    } else {
        parent.clone()
    };
    for (i, _) in text.match_indices("super::") {
        let rest = &text[i + "super::".len()..];
        let names: Vec<String> = if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            group[..end]
                .split(',')
                .map(|n| idents(n.trim()).into_iter().next().unwrap_or_default())
                .collect()
        } else {
            idents(rest).into_iter().take(1).collect()
        };
        for n in names.into_iter().filter(|n| !n.is_empty() && n != "super") {
            let mut p = base.clone();
            p.push(n);
            if let Some(f) = file_of(&p, files) {
                // An import of the parent module itself is its facade.
                if f != base {
                    out.insert(f);
                }
            }
        }
    }
    out.remove(&me);
    out
}

#[test]
fn no_module_imports_a_higher_stage_and_no_file_cycle() {
    let mut list = Vec::new();
    rust_files(&src(), &mut list);
    let files: BTreeMap<Vec<String>, PathBuf> =
        list.iter().map(|f| (module_path(f), f.clone())).collect();
    let stage = |m: &[String]| -> Option<u32> {
        let top = m.first()?;
        STAGES.iter().find(|(n, _)| n == top).map(|(_, s)| *s)
    };
    let mut errors = Vec::new();
    let mut graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (m, file) in &files {
        let Some(mine) = stage(m) else {
            errors.push(format!(
                "{}: give module `{}` a stage in tests/layering.rs",
                file.display(),
                m[0]
            ));
            continue;
        };
        let deps = imports(file, &files);
        for d in &deps {
            if let Some(theirs) = stage(d) {
                if theirs > mine && d[0] != m[0] {
                    errors.push(format!(
                        "{} (stage {mine}) imports {} (stage {theirs}): a lower stage must not know a higher one",
                        m.join("::"),
                        d.join("::")
                    ));
                }
            }
        }
        graph.insert(m.clone(), deps);
    }
    // Cycles: depth-first search with colours.
    let mut colour: BTreeMap<&Vec<String>, u8> = BTreeMap::new();
    fn visit<'a>(
        n: &'a Vec<String>,
        graph: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        colour: &mut BTreeMap<&'a Vec<String>, u8>,
        stack: &mut Vec<&'a Vec<String>>,
        errors: &mut Vec<String>,
    ) {
        colour.insert(n, 1);
        stack.push(n);
        for d in graph.get(n).into_iter().flatten() {
            match colour.get(d) {
                Some(1) => {
                    let at = stack.iter().position(|s| *s == d).unwrap_or(0);
                    let cycle: Vec<String> = stack[at..].iter().map(|s| s.join("::")).collect();
                    errors.push(format!(
                        "import cycle: {} -> {}",
                        cycle.join(" -> "),
                        d.join("::")
                    ));
                }
                Some(_) => {}
                None => visit(d, graph, colour, stack, errors),
            }
        }
        stack.pop();
        colour.insert(n, 2);
    }
    for n in graph.keys() {
        if !colour.contains_key(n) {
            visit(n, &graph, &mut colour, &mut Vec::new(), &mut errors);
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
