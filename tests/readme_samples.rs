//! The README's sample of `trustlint explain examples/` is real output:
//! each excerpt (between the `…` lines) appears verbatim, and the account
//! summary is the output's own.

use std::path::Path;
use std::process::Command;

#[test]
fn explain_sample_in_the_readme_is_real() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let start = readme
        .find("```\n$ trustlint explain examples/\n")
        .expect("the README shows `trustlint explain examples/`");
    let body = &readme[start + "```\n$ trustlint explain examples/\n".len()..];
    let sample = &body[..body.find("```").unwrap()];
    let out = Command::new(env!("CARGO_BIN_EXE_trustlint"))
        .args(["explain", "--no-config", "--color", "never", "examples/"])
        .current_dir(root)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let pieces: Vec<&str> = sample
        .split("\n…\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    assert!(pieces.len() >= 3, "{sample}");
    for piece in &pieces {
        assert!(
            text.contains(piece),
            "not in the output:\n{piece}\n--- output\n{text}"
        );
    }
    // The first excerpt is where the output starts; the last is its end.
    assert!(text.starts_with(pieces[0]), "{text}");
    assert!(
        text.trim_end().ends_with(pieces[pieces.len() - 1]),
        "{text}"
    );
}
