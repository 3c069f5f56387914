//! Strict JSON (RFC 8259) into a spanned [`Node`] tree, through jsonc-parser
//! with every leniency switched off. Duplicate keys are kept (TL002 reports
//! them). Nesting is bounded by [`MAX_DEPTH`], checked by a byte scan
//! before parsing, so the limit and its message are the same for files and
//! for documents embedded in strings (jsonc-parser's own limit, 512 ranges,
//! would stop objects at 256 levels but arrays at 512).
//!
//! Valid text takes a faster path first ([`super::json_fast`]), which builds
//! the same tree in one pass.

use jsonc_parser::ast;
use jsonc_parser::common::Ranged;

use super::{ParseError, MAX_DEPTH, MAX_VALUES};
use crate::source::Span;
use crate::tree::{sanitize, Entry, Kind, Node};

fn strict() -> jsonc_parser::ParseOptions {
    jsonc_parser::ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// Parse a whole JSON text. An empty text is an error ("no value").
pub fn parse(text: &str) -> Result<Node, ParseError> {
    if let Some(node) = super::json_fast::parse(text) {
        return Ok(node);
    }
    general(text)
}

/// The general path: jsonc-parser's AST, converted. It words every error
/// (the fast path declines them) and is the reference the fast path is
/// tested against.
#[doc(hidden)]
pub fn general(text: &str) -> Result<Node, ParseError> {
    prescan(text)?;
    let collect = jsonc_parser::CollectOptions::default();
    match jsonc_parser::parse_to_ast(text, &collect, &strict()) {
        Ok(result) => match result.value {
            Some(v) => Ok(convert(v)),
            None => Err(ParseError::new(Span::new(0, 0), "the document is empty")),
        },
        Err(e) => {
            let r = e.range();
            Err(ParseError::new(
                Span::new(r.start, r.end),
                lower_first(&e.kind().to_string()),
            ))
        }
    }
}

/// Check the limits before parsing: the first `[` or `{` (outside strings)
/// that opens a level deeper than [`MAX_DEPTH`], or the value past
/// [`MAX_VALUES`] (every value but the first follows a `[`, `,` or `:`).
/// Brackets need not balance: syntax is the parser's business.
fn prescan(text: &str) -> Result<(), ParseError> {
    let mut depth = 0usize;
    let mut values = 1usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(super::too_deep(
                        Span::new(i, i + 1),
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                    ));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if matches!(b, b'[' | b',' | b':') {
            values += 1;
            if values > MAX_VALUES {
                return Err(super::too_many_values(i));
            }
        }
    }
    Ok(())
}

pub(crate) fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn span(r: jsonc_parser::common::Range) -> Span {
    Span::new(r.start, r.end)
}

// Recursion is bounded: `parse` rejects input nested deeper than MAX_DEPTH.
fn convert(v: ast::Value<'_>) -> Node {
    let sp = span(v.range());
    let kind = match v {
        ast::Value::StringLit(s) => Kind::Str(sanitize(s.value.into_owned())),
        ast::Value::NumberLit(n) => Kind::Num(n.value.to_string()),
        ast::Value::BooleanLit(b) => Kind::Bool(b.value),
        ast::Value::NullKeyword(_) => Kind::Null,
        ast::Value::Array(a) => Kind::Arr(a.elements.into_iter().map(convert).collect()),
        ast::Value::Object(o) => Kind::Obj(
            o.properties
                .into_iter()
                .map(|p| {
                    let key_span = span(p.name.range());
                    Entry {
                        key: sanitize(p.name.into_string()),
                        key_span,
                        value: convert(p.value),
                    }
                })
                .collect(),
        ),
    };
    Node::new(sp, kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_on_keys_and_values() {
        let n = parse(r#"{"a": [1, "x"], "a": null}"#).unwrap();
        let e = n.entries();
        assert_eq!(e.len(), 2, "duplicate keys are kept");
        assert_eq!(e[0].key_span, Span::new(1, 4));
        assert_eq!(e[0].value.span, Span::new(6, 14));
        assert_eq!(e[0].value.as_array().unwrap()[1].span, Span::new(10, 13));
    }

    #[test]
    fn strictness() {
        assert!(parse("{\"a\": 1,}").is_err());
        assert!(parse("// c\n{}").is_err());
        assert!(parse("").is_err());
        let deep = "[".repeat(100_000);
        let e = parse(&deep).unwrap_err();
        assert_eq!(e.message, "nesting deeper than 256 levels");
        assert_eq!(e.span, Span::new(256, 257));
        // Exactly at the limit, objects and arrays parse.
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
        let ok = "{\"a\":".repeat(MAX_DEPTH) + "1" + &"}".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
        // Brackets inside strings do not count.
        let s = format!("[\"{}\\\"\"]", "[".repeat(1000));
        assert!(parse(&s).is_ok());
    }
}
