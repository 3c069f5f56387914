//! Shared checks for the fuzz targets: lint a text the way the CLI does and
//! assert that nothing the library produced points outside the file.
//!
//! Spans are checked twice: as the extractors and rules produce them
//! (before the driver clamps them to the file, which would hide a wrong
//! mapping), and in the final report.

use std::path::Path;
use std::sync::Arc;

use trustlint::lint::{finish, format_for, parse_and_extract, run_rules};
use trustlint::source::{SourceFile, Span};
use trustlint::tree::{Kind, Node};
use trustlint::Settings;

fn assert_span(text: &str, span: Span, what: &str) {
    let (s, e) = (span.start as usize, span.end as usize);
    assert!(
        s <= e && e <= text.len(),
        "{what}: span {s}..{e} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(s) && text.is_char_boundary(e),
        "{what}: span {s}..{e} not on a char boundary"
    );
}

/// Every span of a tree, iteratively (trees may be deep).
fn assert_tree(text: &str, root: &Node) {
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        assert_span(text, n.span, "node");
        if let Some(v) = &n.via {
            assert_span(text, v.span, "via");
        }
        match &n.kind {
            Kind::Arr(items) => stack.extend(items),
            Kind::Obj(entries) => {
                for e in entries {
                    assert_span(text, e.key_span, "key");
                    stack.push(&e.value);
                }
            }
            _ => {}
        }
    }
}

/// Lint `text` as a file called `name`; panic on any invalid span.
pub fn check(name: &str, text: &str) {
    let settings = Settings::default();
    let path = Path::new(name);
    let format = format_for(path, text);
    let result = parse_and_extract(path, text, format);
    match &result {
        Err(e) => assert_span(text, e.span, "parse error"),
        Ok(ex) => {
            for d in &ex.docs {
                assert_tree(text, &d.node);
            }
            for s in &ex.settings {
                assert_tree(text, &s.node);
            }
            for d in run_rules(ex, &settings) {
                assert_span(text, d.primary.span, d.rule.id);
                for l in &d.secondary {
                    assert_span(text, l.span, d.rule.id);
                }
            }
        }
    }
    let source = Arc::new(SourceFile::new(name, text));
    let report = finish(source, result, &settings);
    assert!(
        !matches!(report.status, trustlint::lint::FileStatus::Error(_)),
        "internal error: {:?}",
        report.status
    );
    for d in report.diagnostics.iter().chain(&report.suppressed) {
        assert_span(text, d.primary.span, d.rule.id);
        for l in &d.secondary {
            assert_span(text, l.span, d.rule.id);
        }
        // Positions must be computable for every report format.
        let _ = report.source.position(d.primary.span.start as usize);
        let _ = report.source.position(d.primary.span.end as usize);
    }
}

/// Decode bytes as the CLI does (BOM, UTF-16) and check the text.
pub fn check_bytes(name: &str, bytes: &[u8]) {
    if let Ok(text) = trustlint::load::decode::decode(bytes) {
        check(name, &text);
    }
}
