//! Resolved template text that remembers, byte by byte, where it came
//! from: a `Fn::Sub` or `Fn::Join` result is pieced together from literal
//! text and resolved references, and a policy parsed out of it must point
//! back at those places. (Unlike `load::embedded::SpannedText`, which maps each
//! decoded byte to one file offset, a byte here may stand for a whole
//! expression — an unknown `!GetAtt` — so it carries a span.)

use crate::source::Span;
use crate::tree::{Via, UNKNOWN_PART};

use super::DYNAMIC_REFERENCE;

/// A resolved string with, for each byte, the source span it came from.
#[derive(Clone, Debug, Default)]
pub(super) struct SpannedText {
    pub(super) text: String,
    pub(super) map: Vec<Span>,
    /// The first parameter default the text came from.
    pub(super) via: Option<Via>,
}

impl SpannedText {
    pub(super) fn push(&mut self, s: &str, at: Span) {
        self.text.push_str(s);
        self.map.extend(std::iter::repeat_n(at, s.len()));
    }

    pub(super) fn append(&mut self, other: SpannedText) {
        self.text.push_str(&other.text);
        self.map.extend(other.map);
        if self.via.is_none() {
            self.via = other.via;
        }
    }

    pub(super) fn unknown(at: Span) -> SpannedText {
        let mut m = SpannedText::default();
        m.push(UNKNOWN_PART, at);
        m
    }

    /// The source span covering decoded bytes `start..end`.
    pub(super) fn span(&self, start: usize, end: usize, fallback: Span) -> Span {
        match (
            self.map.get(start),
            end.checked_sub(1).and_then(|e| self.map.get(e)),
        ) {
            (Some(s), Some(e)) if end > start => Span {
                start: s.start,
                end: e.end.max(s.start),
            },
            (Some(s), _) => Span {
                start: s.start,
                end: s.start,
            },
            _ => fallback,
        }
    }
}

/// Bytes `start..end` of a mapped string.
pub(super) fn slice(m: &SpannedText, start: usize, end: usize) -> SpannedText {
    SpannedText {
        text: m.text.get(start..end).unwrap_or("").to_owned(),
        map: m.map.get(start..end).unwrap_or(&[]).to_vec(),
        via: None,
    }
}

/// Literal text of a `Fn::Sub` template, with each dynamic reference
/// (`{{resolve:ssm:…}}`, resolved by CloudFormation at deploy time)
/// unknown.
pub(super) fn dynamic_references(
    tpl: &SpannedText,
    from: usize,
    to: usize,
    at: Span,
) -> SpannedText {
    let text = &tpl.text[from..to];
    let mut out = SpannedText::default();
    let mut i = 0;
    while let Some(rel) = text[i..].find(DYNAMIC_REFERENCE) {
        let start = i + rel;
        let Some(close) = text[start..].find("}}") else {
            break;
        };
        let end = start + close + 2;
        out.append(slice(tpl, from + i, from + start));
        out.push(UNKNOWN_PART, tpl.span(from + start, from + end, at));
        i = end;
    }
    out.append(slice(tpl, from + i, to));
    out
}

/// A literal string with each dynamic reference replaced by the unknown
/// marker (an unterminated one is left as written).
pub(super) fn without_dynamic_references(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find(DYNAMIC_REFERENCE) {
        let Some(close) = rest[start..].find("}}") else {
            break;
        };
        out.push_str(&rest[..start]);
        out.push_str(UNKNOWN_PART);
        rest = &rest[start + close + 2..];
    }
    out.push_str(rest);
    out
}
