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

/// Files larger than this are parsed without the blocks trustlint never
/// reads ([`without_unread_blocks`]).
const FILTER_ABOVE: usize = 256 * 1024;

/// Parse a `.tf` file.
pub fn parse(text: &str) -> Result<Body, ParseError> {
    separators(text)?;
    if text.len() > FILTER_ABOVE {
        if let Some(body) = without_unread_blocks(text) {
            return Ok(body);
        }
    }
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

/// Is a top-level block one the extractor never reads? `resource` and
/// `data` blocks whose type is not `aws_iam_*` (the extractor reads roles,
/// policies, OIDC providers and policy documents, all `aws_iam_*`, and
/// variables and locals).
fn unread(ident: &str, labels: &[&str]) -> bool {
    matches!(ident, "resource" | "data")
        && labels.first().is_some_and(|t| !t.starts_with("aws_iam_"))
}

/// The top-level blocks of a large file the extractor never reads, found
/// by a light scan (strings, comments and heredocs skipped): the byte
/// range of each. `None` when the scan is unsure.
fn unread_blocks(text: &str) -> Option<Vec<std::ops::Range<usize>>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        // Skip whitespace and comments between items.
        match b[i] {
            c if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            b'#' => {
                i = text[i..].find('\n').map_or(b.len(), |n| i + n);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(b.len(), |n| i + n);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..].find("*/").map(|n| i + 2 + n + 2)?;
                continue;
            }
            _ => {}
        }
        // An item: `ident label* {` … `}` (a block) or an attribute, which
        // ends the scan (rare at the top level; the whole file is parsed).
        let start = i;
        let line_end = text[i..].find('\n').map_or(b.len(), |n| i + n);
        let head = &text[i..line_end];
        let brace = head.find('{')?;
        let mut words = head[..brace].split_whitespace();
        let ident = words.next()?;
        if !ident
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        {
            return None;
        }
        let mut labels = Vec::new();
        for w in words {
            let l = w.strip_prefix('"').and_then(|w| w.strip_suffix('"'))?;
            if l.contains(['\\', '"', '$']) {
                return None;
            }
            labels.push(l);
        }
        i += brace + 1;
        let mut depth = 1usize;
        while depth > 0 {
            let c = *b.get(i)?;
            match c {
                b'{' => depth += 1,
                b'}' => depth -= 1,
                b'"' => i = string_end(b, i, 0)?,
                b'#' => i = text[i..].find('\n').map(|n| i + n)?,
                b'/' if b.get(i + 1) == Some(&b'/') => i = text[i..].find('\n').map(|n| i + n)?,
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    i = text[i + 2..].find("*/").map(|n| i + 2 + n + 1)?;
                }
                b'<' if b.get(i + 1) == Some(&b'<') => i = heredoc_end(text, i)?,
                _ => {}
            }
            i += 1;
        }
        if unread(ident, &labels) {
            out.push(start..i);
        }
    }
    Some(out)
}

/// Strings nested in interpolations deeper than this make the scan unsure
/// (hcl-edit caps nesting at 64 levels anyway).
const MAX_STRING_NESTING: usize = 32;

/// The closing quote of a string starting at `i` (escapes and `${…}` with
/// nested strings followed). `None` at a line end, the end of the text or
/// past [`MAX_STRING_NESTING`].
fn string_end(b: &[u8], i: usize, depth: usize) -> Option<usize> {
    if depth > MAX_STRING_NESTING {
        return None;
    }
    let mut j = i + 1;
    let mut nested = 0usize;
    loop {
        match *b.get(j)? {
            b'\\' => j += 1,
            b'\n' if nested == 0 => return None,
            b'"' if nested == 0 => return Some(j),
            b'"' => j = string_end(b, j, depth + 1)?,
            b'{' if j > 0 && matches!(b[j - 1], b'$' | b'%') => nested += 1,
            b'{' if nested > 0 => nested += 1,
            b'}' if nested > 0 => nested -= 1,
            _ => {}
        }
        j += 1;
    }
}

/// The last byte of a heredoc (`<<EOF` or `<<-EOF`) starting at `i`.
fn heredoc_end(text: &str, i: usize) -> Option<usize> {
    let rest = &text[i + 2..];
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let line_end = rest.find('\n')?;
    let tag = rest[..line_end].trim();
    if tag.is_empty() || !tag.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') {
        return None;
    }
    let body_start = text.len() - rest.len() + line_end + 1;
    let mut at = body_start;
    for line in text[body_start..].split_inclusive('\n') {
        if line.trim() == tag {
            return Some(at + line.trim_end_matches(['\n', '\r']).len() - 1);
        }
        at += line.len();
    }
    None
}

/// Parse a large file with the blocks the extractor never reads blanked
/// out (spaces, line breaks kept, so every span is the file's): a
/// Terraform file of a million unrelated blocks took 1.6 GB as one syntax
/// tree (issue 11). Each blanked block is parsed alone first, one at a
/// time, so an error in it is still found: on any doubt — the scan is
/// unsure, a block does not parse alone or is not one block — `None`, and
/// the caller parses the whole file as before.
fn without_unread_blocks(text: &str) -> Option<Body> {
    let blocks = unread_blocks(text)?;
    if blocks.is_empty() {
        return None;
    }
    let mut kept = text.as_bytes().to_vec();
    for r in blocks {
        let alone = hcl_edit::parser::parse_body(&text[r.clone()]).ok()?;
        let one = alone.len() == 1
            && alone.blocks().next().is_some_and(|b| {
                let labels: Vec<&str> = b.labels.iter().map(|l| l.as_str()).collect();
                unread(b.ident.as_str(), &labels)
            });
        if !one {
            return None;
        }
        for c in &mut kept[r] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    }
    // Only ASCII spaces replaced whole blocks (which start and end on
    // ASCII bytes), so the text is still UTF-8.
    let kept = String::from_utf8(kept).ok()?;
    hcl_edit::parser::parse_body(&kept).ok()
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

    /// Top-level blocks that are not blanked: identifier, labels, span.
    fn read_blocks(body: &Body) -> Vec<(String, Vec<String>, Span)> {
        body.blocks()
            .filter(|b| {
                let labels: Vec<&str> = b.labels.iter().map(|l| l.as_str()).collect();
                !unread(b.ident.as_str(), &labels)
            })
            .map(|b| {
                let labels = b.labels.iter().map(|l| l.as_str().to_owned()).collect();
                (b.ident.as_str().to_owned(), labels, span_of(b))
            })
            .collect()
    }

    #[test]
    fn large_files_drop_unread_blocks_and_keep_spans() {
        let unread_block = "resource \"null_resource\" \"n\" {\n  s = \"}{ ${lookup(m, \"}\")} \\\" }\"\n  # }\n  // {\n  /* } */\n  h = <<-EOT\n    }\n    resource \"aws_iam_role\" \"fake\" {\n    EOT\n  nested { x = [{ a = 1 }] }\n}\n";
        let read = "variable \"v\" {\n  default = \"x\"\n}\nresource \"aws_iam_role\" \"r\" {\n  assume_role_policy = \"{}\"\n}\ndata \"aws_iam_policy_document\" \"d\" {}\nlocals { l = 1 }\n";
        let mut text = String::new();
        while text.len() <= FILTER_ABOVE {
            text.push_str(unread_block);
            text.push_str("\n# é comment\n");
            text.push_str(read);
        }
        let filtered = without_unread_blocks(&text).expect("the scan is sure");
        let full = hcl_edit::parser::parse_body(&text).unwrap();
        assert_eq!(read_blocks(&filtered), read_blocks(&full));
        assert!(filtered.blocks().all(|b| b.ident.as_str() != "resource"
            || b.labels
                .first()
                .is_some_and(|l| l.as_str() == "aws_iam_role")));
        assert!(!read_blocks(&full).is_empty());
    }

    #[test]
    fn an_error_in_an_unread_block_is_still_reported() {
        let mut text = "resource \"null_resource\" \"n\" {\n  x = \n}\n".to_owned();
        text.push_str(&"locals {}\n".repeat(FILTER_ABOVE / 10 + 1));
        assert!(without_unread_blocks(&text).is_none());
        let e = parse(&text).unwrap_err();
        assert!(e.message.starts_with("invalid HCL"), "{}", e.message);
    }
}
