//! A span-keeping reader of AWS shared config and credentials files
//! (`~/.aws/config`, `~/.aws/credentials`; SPEC §1.1).
//!
//! The format is botocore's flavour of INI: `[section]` headers
//! (`[default]`, `[profile NAME]`, `[sso-session NAME]`), `key = value`
//! lines, full-line `#`/`;` comments, inline comments after white space,
//! and nested values (`s3 =` followed by indented `key = value` lines).
//! The INI crates on crates.io (rust-ini, configparser) drop positions,
//! and a finding must point at the value, so this reader keeps spans. A
//! line that is none of these is a parse error at its position, as
//! botocore's parser would refuse it.

use super::ParseError;
use crate::source::Span;

/// One `key = value` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: String,
    pub value_span: Span,
    /// A line of a nested block (`s3 =` then indented lines).
    pub nested: bool,
}

/// A `[section]` and its entries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// The header's text, trimmed (`profile dev`).
    pub name: String,
    pub span: Span,
    pub entries: Vec<Entry>,
}

impl Section {
    /// The value of a (top-level) key, matched without regard to case as
    /// botocore does.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .rev()
            .find(|e| !e.nested && e.key.eq_ignore_ascii_case(key))
    }
}

/// Parse a shared config or credentials file.
pub fn parse(text: &str) -> Result<Vec<Section>, ParseError> {
    let mut sections: Vec<Section> = Vec::new();
    let mut offset = 0;
    // The indentation of the key whose value is a nested block.
    let mut nested_under: Option<usize> = None;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let indent = line.len() - line.trim_start().len();
        let body = line.trim();
        if body.is_empty() || body.starts_with('#') || body.starts_with(';') {
            continue;
        }
        let at = |a: usize, b: usize| Span::new(start + a, start + b);
        if body.starts_with('[') {
            nested_under = None;
            let Some(close) = line.rfind(']') else {
                return Err(ParseError::new(
                    at(indent, line.len()),
                    "a section header without its closing `]`",
                ));
            };
            let open = indent + 1;
            if close < open {
                return Err(ParseError::new(
                    at(indent, line.len()),
                    "a malformed section header",
                ));
            }
            let name = line[open..close].trim();
            if name.is_empty() {
                return Err(ParseError::new(
                    at(indent, close + 1),
                    "a section header without a name",
                ));
            }
            let rest = line[close + 1..].trim();
            if !(rest.is_empty() || rest.starts_with('#') || rest.starts_with(';')) {
                return Err(ParseError::new(
                    at(close + 1, line.len()),
                    "text after a section header",
                ));
            }
            sections.push(Section {
                name: name.to_owned(),
                span: at(indent, close + 1),
                entries: Vec::new(),
            });
            continue;
        }
        let Some(section) = sections.last_mut() else {
            return Err(ParseError::new(
                at(indent, line.len()),
                "a setting before any `[section]` header",
            ));
        };
        let Some(eq) = line.find(['=', ':']) else {
            return Err(ParseError::new(
                at(indent, line.len()),
                "a line that is neither a `[section]` header nor a `key = value` setting",
            ));
        };
        let key = line[..eq].trim();
        if key.is_empty() {
            return Err(ParseError::new(
                at(indent, eq + 1),
                "a setting without a key",
            ));
        }
        let nested = nested_under.is_some_and(|n| indent > n);
        if !nested {
            nested_under = None;
        }
        // The value, without an inline comment (a `#` or `;` after white
        // space) and surrounding white space.
        let mut value_end = line.len();
        let vb = line.as_bytes();
        for i in eq + 1..vb.len() {
            if matches!(vb[i], b'#' | b';') && i > 0 && matches!(vb[i - 1], b' ' | b'\t') {
                value_end = i;
                break;
            }
        }
        let value_raw = &line[eq + 1..value_end];
        let lead = value_raw.len() - value_raw.trim_start().len();
        let value = value_raw.trim();
        let vs = eq + 1 + lead;
        if value.is_empty() && !nested {
            nested_under = Some(indent);
        }
        let key_start = indent;
        section.entries.push(Entry {
            key: key.to_owned(),
            key_span: at(key_start, key_start + key.len()),
            value: value.to_owned(),
            value_span: at(vs, vs + value.len()),
            nested,
        });
    }
    Ok(sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_values_and_nested_blocks() {
        let text = "# c\n[profile dev]\nrole_arn = arn:aws:iam::1:role/r # inline\n\
                    s3 =\n  max_concurrent_requests = 10\nduration_seconds=7200\n";
        let s = parse(text).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].name, "profile dev");
        let r = s[0].get("role_arn").unwrap();
        assert_eq!(r.value, "arn:aws:iam::1:role/r");
        assert_eq!(&text[r.value_span.range()], "arn:aws:iam::1:role/r");
        assert!(s[0].get("max_concurrent_requests").is_none());
        let d = s[0].get("DURATION_SECONDS").unwrap();
        assert_eq!(&text[d.value_span.range()], "7200");
    }

    #[test]
    fn malformed_lines_are_errors_at_their_place() {
        let e = parse("[default]\nthis is not a setting\n").unwrap_err();
        assert_eq!(e.span, Span::new(10, 31));
        assert!(parse("key = v\n").is_err());
        assert!(parse("[profile x\n").is_err());
        assert!(parse("[]\n").is_err());
    }
}
