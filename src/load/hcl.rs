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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_error_has_a_span() {
        let e = parse("resource \"a\" \"b\" {\n  x = \n}\n").unwrap_err();
        assert!(e.message.starts_with("invalid HCL"), "{}", e.message);
        assert!(e.span.start > 0);
    }
}
