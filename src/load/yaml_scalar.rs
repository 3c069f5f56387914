//! Scalars and tags of YAML as CloudFormation reads them, shared by the
//! general YAML builder (`yaml.rs`) and the fast path (`yaml_fast.rs`):
//! where a scalar's content starts and ends, core-schema typing, short-form
//! tags (`!Ref`, `!GetAtt a.b`) and merge keys.

use crate::source::Span;
use crate::tree::{sanitize, Entry, Kind, Node};

/// Skip leading node properties (`&anchor`, `!tag`) and white space.
pub(super) fn content_start(text: &str, span: Span) -> usize {
    // Most nodes start with their content (a printable ASCII byte, not a
    // property's `&` or `!`).
    if text
        .as_bytes()
        .get(span.start as usize)
        .is_some_and(|&c| c.is_ascii_graphic() && c != b'&' && c != b'!')
    {
        return span.start as usize;
    }
    let slice = &text[span.range()];
    let mut i = 0;
    loop {
        let rest = &slice[i..];
        let trimmed = rest.trim_start();
        i += rest.len() - trimmed.len();
        if trimmed.starts_with(['&', '!']) {
            let tok = trimmed
                .find(|c: char| c.is_whitespace())
                .unwrap_or(trimmed.len());
            i += tok;
        } else {
            break;
        }
    }
    span.start as usize + i
}

/// The span of the tag text (`!Ref`) inside a node's span.
pub(super) fn tag_span(text: &str, span: Span) -> Span {
    let slice = &text[span.range()];
    let mut i = 0;
    loop {
        let rest = &slice[i..];
        let trimmed = rest.trim_start();
        i += rest.len() - trimmed.len();
        let tok = trimmed
            .find(|c: char| c.is_whitespace() || c == '[' || c == '{')
            .unwrap_or(trimmed.len());
        if trimmed.starts_with('!') {
            let s = span.start as usize + i;
            return Span::new(s, s + tok);
        }
        if trimmed.starts_with('&') && tok > 0 {
            i += tok;
        } else {
            return Span::new(span.start as usize, span.start as usize);
        }
    }
}

/// The span of a scalar's content inside the span of its event (which
/// starts at any tag or anchor). `block` for literal and folded scalars.
pub(super) fn scalar_inner(text: &str, span: Span, block: bool) -> Span {
    let mut inner = Span::new(content_start(text, span), span.end as usize);
    if !block {
        // saphyr's token for a quoted scalar runs on over the spaces and
        // any comment after it (`AWS: '*' # required for …`): it ends at
        // the closing quote.
        if let Some(close) = closing_quote(&text.as_bytes()[inner.range()]) {
            inner = Span::new(inner.start as usize, inner.start as usize + close + 1);
        }
    }
    if block {
        // A tagged block scalar's span includes its `|` header line.
        let slice = &text[inner.range()];
        if slice.starts_with(['|', '>']) {
            let header = slice.find('\n').map_or(slice.len(), |i| i + 1);
            let rest = &slice[header..];
            let skip = header + (rest.len() - rest.trim_start().len());
            inner = Span::new(inner.start as usize + skip, inner.end as usize);
        }
        // Block scalar spans run on over the following indentation.
        let slice = &text[inner.range()];
        inner = Span::new(
            inner.start as usize,
            inner.start as usize + slice.trim_end().len(),
        );
    }
    inner
}

/// The offset of the quote that closes the quoted scalar `b` opens with,
/// or `None` when `b` does not start with a quote (or never closes it).
/// In single quotes `''` is an escaped quote; in double quotes a
/// backslash escapes the next byte.
pub(super) fn closing_quote(b: &[u8]) -> Option<usize> {
    let q = *b.first().filter(|c| matches!(c, b'\'' | b'"'))?;
    let mut i = 1;
    while let Some(&c) = b.get(i) {
        if c == q {
            if q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i);
        }
        i += if c == b'\\' && q == b'"' { 2 } else { 1 };
    }
    None
}

/// A local tag (`!Ref`, `!GetAtt`, `!Foo`) on a node, in the long form:
/// `{"Ref": x}`, spanning the tagged node, its key spanning the tag.
pub(super) fn wrap_local(text: &str, suffix: &str, inner: Node, outer: Span) -> Node {
    let (key, value) = match suffix {
        "Ref" => ("Ref".to_owned(), inner),
        "Condition" => ("Condition".to_owned(), inner),
        "GetAtt" => ("Fn::GetAtt".to_owned(), split_get_att(inner)),
        other => (format!("Fn::{other}"), inner),
    };
    tag_object(key, tag_span(text, outer), value, outer)
}

pub(super) fn tag_object(key: String, key_span: Span, value: Node, outer: Span) -> Node {
    Node::new(
        outer,
        Kind::Obj(vec![Entry {
            key: sanitize(key),
            key_span,
            value,
        }]),
    )
}

/// `!GetAtt Res.Attr` → `["Res", "Attr"]` (the attribute may hold dots).
pub(super) fn split_get_att(inner: Node) -> Node {
    match &inner.kind {
        Kind::Str(s) => match s.split_once('.') {
            Some((res, attr)) => Node::new(
                inner.span,
                Kind::Arr(vec![
                    Node::str(inner.span, res),
                    Node::str(inner.span, attr),
                ]),
            ),
            None => Node::new(inner.span, Kind::Arr(vec![inner.clone()])),
        },
        _ => inner,
    }
}

/// YAML merge keys (`<<: *base`): entries of the merged mappings that the
/// mapping does not set itself.
pub(super) fn merge_keys(entries: Vec<Entry>) -> Vec<Entry> {
    if !entries.iter().any(|e| e.key == "<<") {
        return entries;
    }
    let mut own = Vec::new();
    let mut merged = Vec::new();
    for e in entries {
        if e.key == "<<" {
            match e.value.kind {
                Kind::Obj(m) => merged.extend(m),
                Kind::Arr(items) => {
                    for it in items {
                        if let Kind::Obj(m) = it.kind {
                            merged.extend(m);
                        }
                    }
                }
                other => own.push(Entry {
                    key: e.key,
                    key_span: e.key_span,
                    value: Node::new(e.value.span, other),
                }),
            }
        } else {
            own.push(e);
        }
    }
    for m in merged {
        if !own.iter().any(|e| e.key == m.key) {
            own.push(m);
        }
    }
    own
}

/// A plain scalar under the core schema, without dates (research §2).
pub(super) fn plain(v: &str) -> Kind {
    plain_as(v, |v| sanitize(v.to_owned()))
}

/// [`plain`], with `text` making a string's text.
pub(super) fn plain_as(v: &str, text: impl FnOnce(&str) -> String) -> Kind {
    match v {
        "" | "~" | "null" | "Null" | "NULL" => Kind::Null,
        "true" | "True" | "TRUE" => Kind::Bool(true),
        "false" | "False" | "FALSE" => Kind::Bool(false),
        _ if is_number(v) => Kind::Num(v.to_owned()),
        _ => Kind::Str(text(v)),
    }
}

/// `!!str`, `!!int`, … applied to a scalar.
pub(super) fn core_scalar(suffix: &str, v: &str) -> Kind {
    match suffix {
        "int" | "float" if is_number(v) => Kind::Num(v.to_owned()),
        "bool" | "null" => match plain(v) {
            k @ (Kind::Bool(_) | Kind::Null) => k,
            _ => Kind::Str(sanitize(v.to_owned())),
        },
        _ => Kind::Str(sanitize(v.to_owned())),
    }
}

/// YAML 1.2 core schema numbers: decimal, `0o` octal, `0x` hex, floats,
/// `.inf` and `.nan`.
pub(super) fn is_number(v: &str) -> bool {
    let unsigned = v.strip_prefix(['-', '+']).unwrap_or(v);
    if let Some(oct) = v.strip_prefix("0o") {
        return !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b));
    }
    if let Some(hex) = v.strip_prefix("0x") {
        return !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(v, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    // [0-9]+ ( . [0-9]* )? | . [0-9]+   then ( [eE] [-+]? [0-9]+ )?
    let b = unsigned.as_bytes();
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == b.len()
}
