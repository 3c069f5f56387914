//! Documents embedded in strings: a JSON policy inside a JSON string (plans,
//! `.tf.json`), a URL-encoded string (account exports), an HCL quoted string
//! or heredoc (Terraform), possibly with `${…}` interpolations.
//!
//! Every decoding step produces a [`Mapped`] text: the decoded bytes plus,
//! for each of them, the byte offset in the original file where it came
//! from. Steps compose (JSON string → percent-decoding), and the policy is
//! then parsed from the decoded text with the strict JSON loader; its spans
//! are mapped back through the table, so diagnostics point into the file the
//! user edits. Interpolations become [`Hole`]s: the text holds a filler
//! while parsing, and the parsed value gets the hole's resolved value (or
//! an unknown marker) afterwards. Nothing here guesses a value.
//!
//! Decoding never makes a text longer (escapes and percent-encoding only
//! shrink it), and an embedded document is bounded by
//! [`MAX_EMBEDDED_LEN`]: a longer one is reported, not parsed, so the
//! offset tables (four bytes per byte) stay small.

use super::ParseError;
use crate::source::Span;
use crate::tree::{sanitize, Entry, Kind, Node, UNKNOWN_PART};

/// The longest document we parse out of a string, in bytes of source
/// text. IAM policies are at most 10,240 characters and inline templates
/// 51,200 bytes; 4 MiB leaves room for anything real.
pub const MAX_EMBEDDED_LEN: usize = 4 << 20;

/// The error for a document longer than [`MAX_EMBEDDED_LEN`] at `span`.
pub fn too_long(span: Span) -> ParseError {
    ParseError::new(
        span,
        format!("the embedded document is longer than the limit of {MAX_EMBEDDED_LEN} bytes"),
    )
    .limit((
        crate::limit::Limit::EmbeddedDocumentSize,
        crate::limit::value(MAX_EMBEDDED_LEN),
    ))
}

/// Decoded text with the file offset of each of its bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mapped {
    pub text: String,
    /// `map[i]` is the file offset of the source of `text`'s byte `i`;
    /// `map[text.len()]` is the file offset just past the source.
    pub map: Vec<u32>,
}

fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Mapped {
    /// Text that stands for itself, starting at file offset `base`.
    pub fn identity(text: &str, base: usize) -> Mapped {
        let map = (0..=text.len()).map(|i| u32_of(base + i)).collect();
        Mapped {
            text: text.to_owned(),
            map,
        }
    }

    /// The file offset of a decoded offset (clamped to the end).
    pub fn at(&self, i: usize) -> u32 {
        self.map
            .get(i)
            .or_else(|| self.map.last())
            .copied()
            .unwrap_or(0)
    }

    /// A decoded range as a file span.
    pub fn span(&self, r: std::ops::Range<usize>) -> Span {
        Span {
            start: self.at(r.start),
            end: self.at(r.end).max(self.at(r.start)),
        }
    }

    /// A sub-range (on char boundaries) as its own mapped text.
    pub fn slice(&self, r: std::ops::Range<usize>) -> Mapped {
        let (s, e) = (r.start.min(self.text.len()), r.end.min(self.text.len()));
        match self.text.get(s..e.max(s)) {
            Some(t) => Mapped {
                text: t.to_owned(),
                map: (s..=e.max(s)).map(|i| self.at(i)).collect(),
            },
            None => Mapped::default(),
        }
    }

    /// Decode the JSON string literal at `span` of `file` (quotes included).
    /// `None` when the span does not hold a string literal, or holds one
    /// longer than [`MAX_EMBEDDED_LEN`].
    pub fn json_string(file: &str, span: Span) -> Option<Mapped> {
        if span.len() > MAX_EMBEDDED_LEN + 2 {
            return None;
        }
        let raw = file.get(span.range())?;
        let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
        let base = span.start as usize + 1;
        let mut out = Mapped::default();
        let bytes = inner.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'\\' {
                let (ch, used) = json_escape(&inner[i..]);
                out.push_char(ch, base + i);
                i += used;
            } else {
                let ch = inner[i..].chars().next()?;
                for k in 0..ch.len_utf8() {
                    out.map.push(u32_of(base + i + k));
                }
                out.text.push(ch);
                i += ch.len_utf8();
            }
        }
        out.map.push(u32_of(base + inner.len()));
        out.text = sanitize(std::mem::take(&mut out.text));
        Some(out)
    }

    /// Percent-decode (`%7B` → `{`), as IAM returns documents in account
    /// exports. `+` stays as is (IAM encodes spaces as `%20`). `None` when
    /// the result is not UTF-8.
    pub fn percent_decode(&self) -> Option<Mapped> {
        let b = self.text.as_bytes();
        let mut bytes = Vec::with_capacity(b.len());
        let mut map = Vec::with_capacity(b.len() + 1);
        let mut i = 0;
        while i < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if b[i] == b'%' && i + 2 < b.len() {
                if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                    bytes.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                    map.push(self.at(i));
                    i += 3;
                    continue;
                }
            }
            bytes.push(b[i]);
            map.push(self.at(i));
            i += 1;
        }
        map.push(self.at(b.len()));
        let text = String::from_utf8(bytes).ok()?;
        Some(Mapped {
            text: sanitize(text),
            map,
        })
    }

    /// Decode a literal part of an HCL quoted string (`\n`, `\"`, `\u00e9`,
    /// `$${`, `%%{`) that starts at file offset `base`.
    pub fn hcl_quoted(raw: &str, base: usize) -> Mapped {
        let mut out = Mapped::default();
        let bytes = raw.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let rest = &raw[i..];
            if bytes[i] == b'\\' {
                let (ch, used) = hcl_escape(rest);
                out.push_char(ch, base + i);
                i += used;
            } else if rest.starts_with("$${") || rest.starts_with("%%{") {
                out.push_char(rest.chars().next().unwrap_or('$'), base + i);
                out.push_char('{', base + i + 2);
                i += 3;
            } else {
                let Some(ch) = rest.chars().next() else { break };
                for k in 0..ch.len_utf8() {
                    out.map.push(u32_of(base + i + k));
                }
                out.text.push(ch);
                i += ch.len_utf8();
            }
        }
        out.map.push(u32_of(base + raw.len()));
        out.text = sanitize(std::mem::take(&mut out.text));
        out
    }

    /// Undo a template's own escapes (`$${` → `${`, `%%{` → `%{`), as in
    /// heredocs and `.tf.json` strings.
    pub fn template_literal(&self) -> Mapped {
        if !self.text.contains("${") && !self.text.contains("%{") {
            return self.clone();
        }
        let mut out = Mapped::default();
        let mut i = 0;
        let t = &self.text;
        while i < t.len() {
            let rest = &t[i..];
            if rest.starts_with("$${") || rest.starts_with("%%{") {
                out.text.push_str(&rest[1..3]);
                out.map.push(self.at(i + 1));
                out.map.push(self.at(i + 2));
                i += 3;
            } else {
                let Some(ch) = rest.chars().next() else { break };
                for k in 0..ch.len_utf8() {
                    out.map.push(self.at(i + k));
                }
                out.text.push(ch);
                i += ch.len_utf8();
            }
        }
        out.map.push(self.at(t.len()));
        out
    }

    fn push_char(&mut self, ch: char, src: usize) {
        for _ in 0..ch.len_utf8() {
            self.map.push(u32_of(src));
        }
        self.text.push(ch);
    }
}

/// One JSON escape at the start of `s` (which starts with `\`): the char and
/// the number of bytes used. Invalid escapes decode to U+FFFD.
fn json_escape(s: &str) -> (char, usize) {
    let b = s.as_bytes();
    match b.get(1) {
        Some(b'"') => ('"', 2),
        Some(b'\\') => ('\\', 2),
        Some(b'/') => ('/', 2),
        Some(b'b') => ('\u{8}', 2),
        Some(b'f') => ('\u{c}', 2),
        Some(b'n') => ('\n', 2),
        Some(b'r') => ('\r', 2),
        Some(b't') => ('\t', 2),
        Some(b'u') => {
            let Some(hi) = hex4(s.get(2..6)) else {
                return ('\u{FFFD}', 2);
            };
            if (0xD800..0xDC00).contains(&hi) && s.get(6..8) == Some("\\u") {
                if let Some(lo) = hex4(s.get(8..12)) {
                    if (0xDC00..0xE000).contains(&lo) {
                        let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                        return (char::from_u32(c).unwrap_or('\u{FFFD}'), 12);
                    }
                }
            }
            (char::from_u32(hi).unwrap_or('\u{FFFD}'), 6)
        }
        Some(_) => (
            '\u{FFFD}',
            1 + s[1..].chars().next().map_or(1, char::len_utf8),
        ),
        None => ('\u{FFFD}', 1),
    }
}

fn hcl_escape(s: &str) -> (char, usize) {
    let b = s.as_bytes();
    match b.get(1) {
        Some(b'n') => ('\n', 2),
        Some(b'r') => ('\r', 2),
        Some(b't') => ('\t', 2),
        Some(b'"') => ('"', 2),
        Some(b'\\') => ('\\', 2),
        Some(b'u') => match hex4(s.get(2..6)) {
            Some(c) => (char::from_u32(c).unwrap_or('\u{FFFD}'), 6),
            None => ('\u{FFFD}', 2),
        },
        Some(b'U') => match s.get(2..10).and_then(|h| u32::from_str_radix(h, 16).ok()) {
            Some(c) => (char::from_u32(c).unwrap_or('\u{FFFD}'), 10),
            None => ('\u{FFFD}', 2),
        },
        Some(_) => (
            '\u{FFFD}',
            1 + s[1..].chars().next().map_or(1, char::len_utf8),
        ),
        None => ('\u{FFFD}', 1),
    }
}

fn hex4(s: Option<&str>) -> Option<u32> {
    let s = s?;
    if s.len() == 4 && s.bytes().all(|c| c.is_ascii_hexdigit()) {
        u32::from_str_radix(s, 16).ok()
    } else {
        None
    }
}

/// Decode the inside of a JSON string literal (no quotes); `None` on a
/// broken escape.
fn unescape_fragment(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with('\\') {
            let (ch, used) = json_escape(rest);
            if ch == '\u{FFFD}' && !rest.starts_with("\\ufffd") && !rest.starts_with("\\uFFFD") {
                return None;
            }
            out.push(ch);
            i += used;
        } else {
            let ch = rest.chars().next()?;
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    Some(out)
}

/// An interpolation inside an embedded document.
#[derive(Clone, Debug)]
struct Hole {
    /// Where its filler sits in the decoded text.
    range: std::ops::Range<usize>,
    /// Its resolved value (spans in the file), or an unknown.
    value: Node,
    /// Inside a JSON string (`"arn:aws:iam::${var.a}:root"`) or a whole value.
    in_string: bool,
}

/// Assembles the text of an embedded JSON document from decoded pieces and
/// interpolations, then parses it.
#[derive(Debug, Default)]
pub struct Builder {
    text: String,
    map: Vec<u32>,
    /// The file offsets of the first and the last piece.
    start: Option<u32>,
    end: u32,
    /// More than [`MAX_EMBEDDED_LEN`] bytes were pushed (and dropped).
    overflow: bool,
    holes: Vec<Hole>,
    in_string: bool,
    escaped: bool,
}

impl Builder {
    pub fn new() -> Self {
        Builder::default()
    }

    /// Append decoded text.
    pub fn push(&mut self, m: &Mapped) {
        self.start.get_or_insert(m.at(0));
        self.end = m.at(m.text.len());
        if self.overflow || self.text.len() + m.text.len() > MAX_EMBEDDED_LEN {
            self.overflow = true;
            return;
        }
        for &b in m.text.as_bytes() {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if b == b'\\' {
                    self.escaped = true;
                } else if b == b'"' {
                    self.in_string = false;
                }
            } else if b == b'"' {
                self.in_string = true;
            }
        }
        self.text.push_str(&m.text);
        self.map
            .extend_from_slice(&m.map[..m.text.len().min(m.map.len())]);
    }

    /// Append an interpolation found at `span` of the file, whose value is
    /// `value` (an unknown when it cannot be resolved).
    pub fn push_hole(&mut self, span: Span, value: Node) {
        self.start.get_or_insert(span.start);
        if self.overflow || self.text.len() + 3 > MAX_EMBEDDED_LEN {
            self.overflow = true;
            self.end = span.end;
            return;
        }
        let filler = if self.in_string { "x" } else { "\"x\"" };
        let start = self.text.len();
        self.text.push_str(filler);
        for _ in 0..filler.len() {
            self.map.push(span.start);
        }
        self.holes.push(Hole {
            range: start..self.text.len(),
            value,
            in_string: self.in_string,
        });
        self.end = span.end;
        self.escaped = false;
    }

    /// Nothing but white space so far (an empty policy: no document).
    pub fn is_blank(&self) -> bool {
        !self.overflow && self.holes.is_empty() && self.text.trim().is_empty()
    }

    /// Was the document longer than [`MAX_EMBEDDED_LEN`]?
    pub fn overflowed(&self) -> bool {
        self.overflow
    }

    pub fn has_holes(&self) -> bool {
        !self.holes.is_empty()
    }

    /// Does an interpolation stand for a whole JSON value or key (not text
    /// inside a string)? Only then can its filler be why the document does
    /// not parse.
    pub fn has_value_holes(&self) -> bool {
        self.holes.iter().any(|h| !h.in_string)
    }

    /// Parse the assembled text as a JSON document; spans point into the file.
    pub fn parse(mut self) -> Result<Node, ParseError> {
        if self.overflow {
            let start = self.start.unwrap_or(self.end);
            return Err(too_long(Span {
                start,
                end: self.end.max(start),
            }));
        }
        self.map.push(self.end);
        let m = Mapped {
            text: std::mem::take(&mut self.text),
            map: std::mem::take(&mut self.map),
        };
        match super::json::parse(&m.text) {
            Ok(mut node) => {
                fix(&mut node, &m, &self.holes);
                Ok(node)
            }
            Err(e) => {
                let span = m.span(e.span.range());
                Err(e.at(span))
            }
        }
    }
}

/// Parse a mapped text (no interpolations) as a JSON document.
pub fn parse_mapped(m: &Mapped) -> Result<Node, ParseError> {
    let mut b = Builder::new();
    b.push(m);
    b.parse()
}

/// Parse the JSON document held by the JSON string literal at `span`.
pub fn parse_json_string(file: &str, span: Span) -> Result<Node, ParseError> {
    if span.len() > MAX_EMBEDDED_LEN + 2 {
        return Err(too_long(span));
    }
    match Mapped::json_string(file, span) {
        Some(m) => parse_mapped(&m),
        None => Err(ParseError::new(span, "not a string")),
    }
}

/// A resolved value's text inside a string: strings as they are, numbers
/// and booleans as written, anything else unknown.
pub fn piece_text(n: &Node) -> String {
    match &n.kind {
        Kind::Str(s) => s.clone(),
        Kind::Num(t) => t.clone(),
        Kind::Bool(b) => b.to_string(),
        _ => UNKNOWN_PART.to_owned(),
    }
}

/// Rebuild a string whose literal (text range `r`, quotes included) holds
/// in-string holes.
fn rebuild(text: &str, r: std::ops::Range<usize>, holes: &[&Hole]) -> (String, Option<Node>) {
    let mut out = String::new();
    let mut via = None;
    let mut pos = r.start + 1;
    let inner_end = r.end.saturating_sub(1).max(pos);
    for h in holes {
        let frag = text.get(pos..h.range.start.max(pos)).unwrap_or("");
        match unescape_fragment(frag) {
            Some(s) => out.push_str(&s),
            None => out.push_str(UNKNOWN_PART),
        }
        out.push_str(&piece_text(&h.value));
        if via.is_none() && h.value.via.is_some() {
            via = Some(h.value.clone());
        }
        pos = h.range.end;
    }
    let frag = text.get(pos.min(inner_end)..inner_end).unwrap_or("");
    match unescape_fragment(frag) {
        Some(s) => out.push_str(&s),
        None => out.push_str(UNKNOWN_PART),
    }
    (out, via)
}

/// Put hole values in place and map spans from decoded text into the file.
/// Recursion is bounded by the JSON parser's nesting limit.
fn fix(node: &mut Node, m: &Mapped, holes: &[Hole]) {
    let r = node.span.range();
    // Holes are in text order: look only at those inside this node.
    let first = holes.partition_point(|h| h.range.start < r.start);
    let last = holes.partition_point(|h| h.range.start < r.end);
    let holes_here = &holes[first..last.max(first)];
    if let Kind::Str(_) = node.kind {
        if let Some(h) = holes_here.iter().find(|h| !h.in_string && h.range == r) {
            *node = h.value.clone();
            return;
        }
        let inside: Vec<&Hole> = holes_here
            .iter()
            .filter(|h| h.in_string && h.range.start >= r.start && h.range.end <= r.end)
            .collect();
        if !inside.is_empty() {
            let (s, via) = rebuild(&m.text, r.clone(), &inside);
            node.kind = Kind::Str(s);
            if let Some(v) = via {
                node.via = v.via;
            }
        }
    }
    node.span = m.span(r);
    let mut unknown_key = false;
    match &mut node.kind {
        Kind::Arr(items) => {
            for it in items {
                fix(it, m, holes_here);
            }
        }
        Kind::Obj(entries) => {
            for Entry {
                key,
                key_span,
                value,
            } in entries.iter_mut()
            {
                let kr = key_span.range();
                if holes_here.iter().any(|h| !h.in_string && h.range == kr) {
                    unknown_key = true;
                }
                let inside: Vec<&Hole> = holes_here
                    .iter()
                    .filter(|h| h.in_string && h.range.start >= kr.start && h.range.end <= kr.end)
                    .collect();
                if !inside.is_empty() {
                    *key = rebuild(&m.text, kr.clone(), &inside).0;
                }
                *key_span = m.span(kr);
                fix(value, m, holes_here);
            }
        }
        _ => {}
    }
    if unknown_key {
        node.kind = Kind::Unknown("an object with an interpolated key".to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_string_maps_escapes() {
        let file = r#"{"p": "{\"a\": \"\u00e9x\"}"}"#;
        let start = file.find("\"{").unwrap();
        let span = Span::new(start, file.len() - 1);
        let n = parse_json_string(file, span).unwrap();
        let e = &n.entries()[0];
        assert_eq!(&file[e.key_span.range()], r#"\"a\""#);
        assert_eq!(e.value.as_str(), Some("éx"));
        assert_eq!(&file[e.value.span.range()], r#"\"\u00e9x\""#);
    }

    #[test]
    fn percent_decoding_maps_back() {
        let raw = "%7B%22a%22%3A%221%22%7D";
        let m = Mapped::identity(raw, 10).percent_decode().unwrap();
        assert_eq!(m.text, r#"{"a":"1"}"#);
        let n = parse_mapped(&m).unwrap();
        let v = &n.entries()[0].value;
        assert_eq!(v.span, Span::new(10 + 13, 10 + 20));
        assert!(Mapped::identity("%FF", 0).percent_decode().is_none());
        assert_eq!(
            Mapped::identity("%4", 0).percent_decode().unwrap().text,
            "%4"
        );
    }

    #[test]
    fn holes_in_and_out_of_strings() {
        // {"a": "x-${v}-y", "b": ${w}}
        let mut b = Builder::new();
        b.push(&Mapped::identity(r#"{"a": "x-"#, 0));
        b.push_hole(Span::new(9, 13), Node::str(Span::new(100, 101), "V"));
        b.push(&Mapped::identity(r#"-y", "b": "#, 13));
        b.push_hole(Span::new(23, 27), Node::str(Span::new(200, 201), "W"));
        b.push(&Mapped::identity("}", 27));
        let n = b.parse().unwrap();
        assert_eq!(n.get("a").unwrap().as_str(), Some("x-V-y"));
        assert_eq!(n.get("a").unwrap().span, Span::new(6, 16));
        assert_eq!(n.get("b").unwrap().span, Span::new(200, 201));
        assert_eq!(n.span, Span::new(0, 28));
    }

    #[test]
    fn hcl_escapes() {
        let m = Mapped::hcl_quoted(r#"{\"a\": \"$${x}\"}"#, 5);
        assert_eq!(m.text, r#"{"a": "${x}"}"#);
        assert_eq!(m.map[1], 6);
        assert_eq!(m.at(m.text.len()), 5 + 18);
    }
}
