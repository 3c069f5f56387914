//! Embeds every rule page (`rules/TLnnn-name.md`) in the binary: the page
//! table is generated from the folder, so adding a rule's page needs no
//! edit elsewhere (tests/rule_pages.rs keeps pages and registry in step).

use std::fmt::Write as _;

fn main() {
    println!("cargo:rerun-if-changed=rules");
    let dir = std::path::Path::new("rules");
    let mut pages: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| {
                    n.len() > 6
                        && n.starts_with("TL")
                        && n[2..5].bytes().all(|b| b.is_ascii_digit())
                        && n.as_bytes()[5] == b'-'
                        && n.ends_with(".md")
                })
                .collect()
        })
        .unwrap_or_default();
    pages.sort();
    let mut out = String::from("&[\n");
    for name in &pages {
        let _ = writeln!(
            out,
            "    (\"{id}\", \"rules/{name}\", include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/rules/{name}\"))),",
            id = &name[..5]
        );
    }
    out.push(']');
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("pages.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}
