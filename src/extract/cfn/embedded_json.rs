//! Policy documents written as JSON text inside a template (a literal
//! string, `Fn::Sub`, `Fn::Join`): parsed with the strict JSON loader, their
//! spans mapped back into the template through the resolved
//! [`SpannedText`], and the markers for this account and unknown parts
//! restored.

use super::text::SpannedText;
use super::MAX_RESOLVE_DEPTH;
use crate::load::ParseError;
use crate::source::Span;
use crate::tree::{Kind, Node, THIS_ACCOUNT, UNKNOWN_PART};

/// Does an unknown part stand outside JSON string literals in the text
/// of an embedded document (where its value could be any JSON)?
pub(super) fn unknown_outside_strings(text: &str) -> bool {
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        } else if c == '\u{E001}' {
            return true;
        }
    }
    false
}

/// Private-use stand-ins for the markers while an embedded document goes
/// through the JSON loader (which strips markers from literal input).
/// All four are 3 bytes in UTF-8, so offsets do not move.
pub(super) const THIS_STANDIN: char = '\u{E002}';
pub(super) const UNKNOWN_STANDIN: char = '\u{E003}';

/// Parse a policy document written as a JSON string, with every span
/// mapped back into the file.
/// `at` is the value holding it, where errors without a better place go.
pub(super) fn parse_embedded(s: &SpannedText, at: Span) -> Result<Node, ParseError> {
    let fallback = s
        .map
        .first()
        .zip(s.map.last())
        .map_or(at, |(a, b)| a.cover(*b));
    if s.text.len() > crate::load::embedded::MAX_EMBEDDED_LEN {
        return Err(crate::load::embedded::too_long(fallback));
    }
    let text: String = s
        .text
        .chars()
        .map(|c| match c {
            '\u{E002}' | '\u{E003}' => '\u{FFFD}',
            '\u{E000}' => THIS_STANDIN,
            '\u{E001}' => UNKNOWN_STANDIN,
            c => c,
        })
        .collect();
    match crate::load::json::parse(&text) {
        Ok(mut node) => {
            remap(&mut node, s, fallback, 0);
            Ok(node)
        }
        Err(e) => {
            let span = s.span(e.span.start as usize, e.span.end as usize, fallback);
            Err(e.at(span))
        }
    }
}

pub(super) fn restore_markers(s: &mut String) {
    if s.contains([THIS_STANDIN, UNKNOWN_STANDIN]) {
        *s = s
            .replace(THIS_STANDIN, THIS_ACCOUNT)
            .replace(UNKNOWN_STANDIN, UNKNOWN_PART);
    }
}

// Bounded: the JSON loader rejects documents nested deeper than its limit.
pub(super) fn remap(n: &mut Node, s: &SpannedText, fallback: Span, depth: usize) {
    n.span = s.span(n.span.start as usize, n.span.end as usize, fallback);
    if n.via.is_none() {
        n.via = s.via.clone().map(Box::new);
    }
    if depth > MAX_RESOLVE_DEPTH {
        return;
    }
    match &mut n.kind {
        Kind::Str(t) => restore_markers(t),
        Kind::Arr(items) => items
            .iter_mut()
            .for_each(|i| remap(i, s, fallback, depth + 1)),
        Kind::Obj(entries) => entries.iter_mut().for_each(|e| {
            e.key_span = s.span(e.key_span.start as usize, e.key_span.end as usize, fallback);
            restore_markers(&mut e.key);
            remap(&mut e.value, s, fallback, depth + 1);
        }),
        _ => {}
    }
}

/// Align a decoded string with its source text: for each decoded byte,
/// the source range (relative to `src`) of the character or escape that
/// produced it. `src` is a JSON string literal (with quotes) or a YAML
/// scalar in any style. `None` when the two cannot be matched.
pub(super) fn align(src: &str, value: &str, yaml: bool) -> Option<Vec<(usize, usize)>> {
    let quote = src.chars().next().filter(|c| *c == '"' || *c == '\'');
    // A YAML block scalar may start with a quote character too.
    align_quoted(src, value, yaml, quote)
        .or_else(|| quote.and_then(|_| align_quoted(src, value, yaml, None)))
}

pub(super) fn align_quoted(
    src: &str,
    value: &str,
    yaml: bool,
    quote: Option<char>,
) -> Option<Vec<(usize, usize)>> {
    let mut p = 0;
    if quote.is_some() {
        p = 1;
    }
    let dq = quote == Some('"');
    let sq = quote == Some('\'') && yaml;
    let mut out = Vec::with_capacity(value.len());
    for c in value.chars() {
        loop {
            let rest = src.get(p..)?;
            let Some(sc) = rest.chars().next() else {
                // The final line break of a block scalar lies past its span.
                if yaml && c.is_whitespace() {
                    out.extend(std::iter::repeat_n((p, p), c.len_utf8()));
                    break;
                }
                return None;
            };
            if dq && sc == '\\' {
                let (decoded, len) = escape(rest, yaml)?;
                match decoded {
                    Some(d) if d == c => {
                        out.extend(std::iter::repeat_n((p, p + len), c.len_utf8()));
                        p += len;
                        break;
                    }
                    // A YAML escaped line break: no character.
                    None => {
                        p += len;
                        continue;
                    }
                    Some(_) => return None,
                }
            }
            if sq && sc == '\'' && c == '\'' && rest.starts_with("''") {
                out.extend(std::iter::repeat_n((p, p + 2), 1));
                p += 2;
                break;
            }
            if sc == c {
                out.extend(std::iter::repeat_n((p, p + sc.len_utf8()), c.len_utf8()));
                p += sc.len_utf8();
                break;
            }
            if yaml && sc.is_whitespace() {
                // Line folding: a source line break read as a space.
                if c == ' ' && (sc == '\n' || sc == '\r') {
                    out.push((p, p + 1));
                    p += 1;
                    break;
                }
                // Indentation and folded white space.
                p += sc.len_utf8();
                continue;
            }
            return None;
        }
    }
    Some(out)
}

/// Decode one backslash escape: the character (or `None` for a YAML
/// escaped line break) and the escape's length in bytes.
pub(super) fn escape(rest: &str, yaml: bool) -> Option<(Option<char>, usize)> {
    let mut it = rest.chars();
    it.next()?; // the backslash
    let e = it.next()?;
    let simple = |c: char| Some((Some(c), 1 + e.len_utf8()));
    match e {
        '"' => simple('"'),
        '\\' => simple('\\'),
        '/' => simple('/'),
        'b' => simple('\u{8}'),
        'f' => simple('\u{c}'),
        'n' => simple('\n'),
        'r' => simple('\r'),
        't' => simple('\t'),
        'u' => {
            let hi = u32::from_str_radix(rest.get(2..6)?, 16).ok()?;
            if (0xD800..0xDC00).contains(&hi) {
                // A surrogate pair: \uD83D\uDE00.
                let lo_text = rest.get(6..12)?;
                let lo = u32::from_str_radix(lo_text.strip_prefix("\\u")?, 16).ok()?;
                let c =
                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo.checked_sub(0xDC00)?))?;
                Some((Some(c), 12))
            } else {
                Some((Some(char::from_u32(hi)?), 6))
            }
        }
        _ if !yaml => None,
        '0' => simple('\0'),
        'a' => simple('\u{7}'),
        'v' => simple('\u{b}'),
        'e' => simple('\u{1b}'),
        ' ' => simple(' '),
        '\t' => simple('\t'),
        'N' => simple('\u{85}'),
        '_' => simple('\u{a0}'),
        'L' => simple('\u{2028}'),
        'P' => simple('\u{2029}'),
        'x' => Some((
            Some(char::from_u32(
                u32::from_str_radix(rest.get(2..4)?, 16).ok()?,
            )?),
            4,
        )),
        'U' => Some((
            Some(char::from_u32(
                u32::from_str_radix(rest.get(2..10)?, 16).ok()?,
            )?),
            10,
        )),
        '\n' => Some((None, 2)),
        '\r' => Some((None, if rest.get(2..3) == Some("\n") { 3 } else { 2 })),
        _ => None,
    }
}
