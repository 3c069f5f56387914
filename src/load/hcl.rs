//! HCL (Terraform `.tf`) through hcl-edit, which keeps byte spans on every
//! block, attribute, key and expression (research/crates.md §3).
//!
//! This module only parses and offers span helpers; turning expressions into
//! [`crate::tree::Node`]s needs the module's variables and data sources, so
//! it lives with the Terraform extractor (`extract::tf_eval`). hcl-edit caps
//! nesting itself (64 levels), so no input can overflow the stack here.

use hcl_edit::structure::Body;

use super::ParseError;
use crate::source::Span;
use crate::suppress::{Scope, Suppression};

/// Parse a `.tf` file.
pub fn parse(text: &str) -> Result<Body, ParseError> {
    separators(text)?;
    hcl_edit::parser::parse_body(text).map_err(|e| {
        let mut at = e.location().offset().min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        let message = super::json::lower_first(e.message());
        // hcl-edit's own limits (64 nested levels, 128 chained operators).
        let limit = message
            .contains("nesting depth")
            .then_some((crate::limit::Limit::HclNestingDepth, 64));
        let e = ParseError::new(Span::new(at, end), format!("invalid HCL: {message}"));
        match limit {
            Some(l) => e.limit(l),
            None => e,
        }
    })
}

/// Bound the expressions hcl-edit would build: each but the first follows
/// a separator (`,` `=` `[` `{` `(`) outside a quoted string; more than
/// [`super::MAX_VALUES`] of them is an error at the one that crosses it.
fn separators(text: &str) -> Result<(), ParseError> {
    let mut count = 1usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' || b == b'\n' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        } else if matches!(b, b',' | b'=' | b'[' | b'{' | b'(') {
            count += 1;
            if count > super::MAX_VALUES {
                return Err(super::too_many_values(i));
            }
        }
    }
    Ok(())
}

/// The span of anything hcl-edit spans (empty when it has none).
pub fn span_of(x: &impl hcl_edit::Span) -> Span {
    x.span().map_or(Span::EMPTY, |r| Span::new(r.start, r.end))
}

/// `# trustlint:ignore RULES reason` and `// trustlint:ignore …` comments
/// (SPEC §5). Comments are found line by line: a directive counts when a
/// `#` or `//` outside a quoted string comes before it on its line.
pub fn suppressions(text: &str) -> Vec<Suppression> {
    let mut out = Vec::new();
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        let Some(at) = line.find("trustlint:ignore") else {
            continue;
        };
        let Some(comment) = comment_start(&line[..at]) else {
            continue;
        };
        let rest = &line[at + "trustlint:ignore".len()..];
        let (scope, rest) = match rest.strip_prefix("-file") {
            Some(r) => (Scope::File, r),
            None => (Scope::Line(i + 1), rest),
        };
        if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
            continue;
        }
        let rest = rest.trim();
        let (first, reason) = match rest.split_once(char::is_whitespace) {
            Some((f, r)) => (f, r.trim()),
            None => (rest, ""),
        };
        let names: Vec<&str> = first.split(',').filter(|s| !s.is_empty()).collect();
        let (rules, reason) =
            if !names.is_empty() && names.iter().all(|n| crate::rules::find(n).is_some()) {
                (names.iter().map(|s| (*s).to_owned()).collect(), reason)
            } else {
                (Vec::new(), rest)
            };
        out.push(Suppression {
            rules,
            reason: (!reason.is_empty()).then(|| reason.to_owned()),
            scope,
            span: Span::new(
                start + comment,
                start + line.trim_end_matches(['\n', '\r']).len(),
            ),
        });
    }
    out
}

/// Where a comment starts in the text before a directive, if it does.
fn comment_start(before: &str) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    let b = before.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == b'\\' {
                escaped = true;
            } else if c == b'"' {
                in_string = false;
            }
        } else if c == b'"' {
            in_string = true;
        } else if c == b'#' || (c == b'/' && b.get(i + 1) == Some(&b'/')) {
            return Some(i);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_error_has_a_span() {
        let e = parse("resource \"a\" \"b\" {\n  x = \n}\n").unwrap_err();
        assert!(e.message.starts_with("invalid HCL"), "{}", e.message);
        assert!(e.span.start > 0);
    }

    #[test]
    fn suppression_comments() {
        let s = suppressions(
            "a = 1 # trustlint:ignore TL102,missing-mfa shared account\n\
             b = \"# trustlint:ignore TL101\"\n\
             // trustlint:ignore-file\n",
        );
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].rules, vec!["TL102", "missing-mfa"]);
        assert_eq!(s[0].reason.as_deref(), Some("shared account"));
        assert_eq!(s[0].scope, Scope::Line(1));
        assert_eq!(s[1].scope, Scope::File);
        assert!(s[1].rules.is_empty() && s[1].reason.is_none());
    }
}
