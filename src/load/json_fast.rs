//! A one-pass strict JSON reader that builds [`Node`]s directly, for the
//! common case: valid RFC 8259 text. It accepts a subset of what the
//! jsonc-parser path accepts and gives the same tree (spans, keys, number
//! text, decoded strings); on anything else — a syntax error, a limit
//! reached, an escape it does not decode, a control character in a string —
//! it returns `None` and [`super::json::parse`] takes the general path,
//! which also words every error. Twice as fast as building the jsonc-parser
//! AST and converting it (README, Performance); `tests/json_fast.rs` checks
//! the two paths agree on every JSON file of the test suite, the examples
//! and the corpus.
//!
//! Recursion is bounded by [`MAX_DEPTH`]; the value count follows the
//! general path's prescan (one per `[`, `,` and `:`, plus one) so both
//! paths hit [`MAX_VALUES`] on the same texts.

use super::{MAX_DEPTH, MAX_VALUES};
use crate::source::Span;
use crate::tree::{sanitize, Entry, Kind, Node};

/// Parse a whole JSON text, or `None` when the general path must decide.
pub(super) fn parse(text: &str) -> Option<Node> {
    let mut r = Reader {
        text,
        b: text.as_bytes(),
        at: 0,
        depth: 0,
        values: 1,
    };
    r.ws();
    let node = r.value()?;
    r.ws();
    (r.at == r.b.len()).then_some(node)
}

struct Reader<'t> {
    text: &'t str,
    b: &'t [u8],
    at: usize,
    depth: usize,
    /// The general path's prescan count, against [`MAX_VALUES`].
    values: usize,
}

impl Reader<'_> {
    fn ws(&mut self) {
        const SPACES: u64 = u64::from_le_bytes(*b"        ");
        loop {
            match self.b.get(self.at) {
                Some(b' ' | b'\r' | b'\t') => self.at += 1,
                Some(b'\n') => {
                    self.at += 1;
                    // Indentation, eight spaces at a time.
                    while let Some(w) = self.b.get(self.at..self.at + 8) {
                        if w.try_into().ok().map(u64::from_le_bytes) != Some(SPACES) {
                            break;
                        }
                        self.at += 8;
                    }
                }
                _ => break,
            }
        }
    }

    fn count(&mut self) -> Option<()> {
        self.values += 1;
        (self.values <= MAX_VALUES).then_some(())
    }

    fn value(&mut self) -> Option<Node> {
        let start = self.at;
        let kind = match *self.b.get(self.at)? {
            b'{' => return self.object(),
            b'[' => return self.array(),
            b'"' => Kind::Str(self.string()?),
            b't' => self.word("true", Kind::Bool(true))?,
            b'f' => self.word("false", Kind::Bool(false))?,
            b'n' => self.word("null", Kind::Null)?,
            b'-' | b'0'..=b'9' => Kind::Num(self.number()?),
            _ => return None,
        };
        Some(Node::new(Span::new(start, self.at), kind))
    }

    fn word(&mut self, w: &str, kind: Kind) -> Option<Kind> {
        let end = self.at + w.len();
        if self.b.get(self.at..end)? != w.as_bytes() {
            return None;
        }
        // `truex` is an error for the general path to word.
        if matches!(self.b.get(end), Some(c) if c.is_ascii_alphanumeric() || *c == b'_') {
            return None;
        }
        self.at = end;
        Some(kind)
    }

    fn number(&mut self) -> Option<String> {
        let start = self.at;
        if self.b.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        match self.b.get(self.at)? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.b.get(self.at) == Some(&b'.') {
            self.at += 1;
            if !self.b.get(self.at)?.is_ascii_digit() {
                return None;
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.b.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.b.get(self.at) {
                self.at += 1;
            }
            if !self.b.get(self.at)?.is_ascii_digit() {
                return None;
            }
            self.digits();
        }
        // `01`, `1x`: the general path words the error.
        if matches!(self.b.get(self.at), Some(c) if c.is_ascii_alphanumeric() || *c == b'.') {
            return None;
        }
        Some(self.text.get(start..self.at)?.to_owned())
    }

    fn digits(&mut self) {
        while self.b.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
    }

    /// A string literal, decoded; `self.at` is on the opening quote.
    fn string(&mut self) -> Option<String> {
        self.at += 1;
        let start = self.at;
        // The common case: no escapes, no copy but the final one. 0xEE is
        // the first byte of the private-use markers `sanitize` replaces: a
        // string without one needs no second pass. A table says which
        // bytes stop the scan (measured: fewer instructions than a match
        // per byte, or eight bytes at a time on these short strings).
        let mut marker = false;
        loop {
            while self
                .b
                .get(self.at)
                .is_some_and(|&c| STRING_STOP[usize::from(c)] == 0)
            {
                self.at += 1;
            }
            match *self.b.get(self.at)? {
                b'"' => {
                    let s = self.text.get(start..self.at)?.to_owned();
                    self.at += 1;
                    return Some(if marker { sanitize(s) } else { s });
                }
                b'\\' => break,
                0..=0x1f => return None,
                0xEE => {
                    marker = true;
                    self.at += 1;
                }
                _ => self.at += 1,
            }
        }
        let mut out = String::with_capacity(self.at - start + 16);
        let mut run = start;
        loop {
            match *self.b.get(self.at)? {
                b'"' => {
                    out.push_str(self.text.get(run..self.at)?);
                    self.at += 1;
                    return Some(sanitize(out));
                }
                b'\\' => {
                    out.push_str(self.text.get(run..self.at)?);
                    out.push(self.escape()?);
                    run = self.at;
                }
                0..=0x1f => return None,
                _ => self.at += 1,
            }
        }
    }

    /// Decode the escape at `self.at` (a backslash) and step over it. A
    /// surrogate pair is one character; a lone surrogate is the general
    /// path's error.
    fn escape(&mut self) -> Option<char> {
        let (c, len) = match *self.b.get(self.at + 1)? {
            b'"' => ('"', 2),
            b'\\' => ('\\', 2),
            b'/' => ('/', 2),
            b'b' => ('\u{8}', 2),
            b'f' => ('\u{c}', 2),
            b'n' => ('\n', 2),
            b'r' => ('\r', 2),
            b't' => ('\t', 2),
            b'u' => {
                let hi = self.hex4(self.at + 2)?;
                if (0xD800..0xDC00).contains(&hi) {
                    if self.b.get(self.at + 6..self.at + 8)? != b"\\u" {
                        return None;
                    }
                    let lo = self.hex4(self.at + 8)?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return None;
                    }
                    (
                        char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))?,
                        12,
                    )
                } else {
                    (char::from_u32(hi)?, 6)
                }
            }
            _ => return None,
        };
        self.at += len;
        Some(c)
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.b.get(at..at + 4)?;
        let mut v = 0u32;
        for d in digits {
            v = v * 16 + char::from(*d).to_digit(16)?;
        }
        Some(v)
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    fn array(&mut self) -> Option<Node> {
        let start = self.at;
        self.enter()?;
        self.count()?;
        self.at += 1;
        self.ws();
        let mut items = Vec::new();
        if self.b.get(self.at) == Some(&b']') {
            self.at += 1;
        } else {
            loop {
                items.push(self.value()?);
                if self.after_item(b']')? {
                    break;
                }
            }
        }
        self.depth -= 1;
        Some(Node::new(Span::new(start, self.at), Kind::Arr(items)))
    }

    /// After an array item or an object member: a `,` (then `false`), the
    /// closing bracket (then `true`), or anything else (`None`).
    fn after_item(&mut self, close: u8) -> Option<bool> {
        self.ws();
        let b = *self.b.get(self.at)?;
        if b == b',' {
            self.count()?;
            self.at += 1;
            self.ws();
            Some(false)
        } else if b == close {
            self.at += 1;
            Some(true)
        } else {
            None
        }
    }

    fn object(&mut self) -> Option<Node> {
        let start = self.at;
        self.enter()?;
        self.at += 1;
        self.ws();
        let mut entries = Vec::new();
        if self.b.get(self.at) == Some(&b'}') {
            self.at += 1;
        } else {
            loop {
                if self.b.get(self.at) != Some(&b'"') {
                    return None;
                }
                let key_start = self.at;
                let key = self.string()?;
                let key_span = Span::new(key_start, self.at);
                self.ws();
                if self.b.get(self.at) != Some(&b':') {
                    return None;
                }
                self.count()?;
                self.at += 1;
                self.ws();
                let value = self.value()?;
                entries.push(Entry {
                    key,
                    key_span,
                    value,
                });
                if self.after_item(b'}')? {
                    break;
                }
            }
        }
        self.depth -= 1;
        Some(Node::new(Span::new(start, self.at), Kind::Obj(entries)))
    }
}

/// The bytes a string scan stops at: `"`, `\\`, control characters, 0xEE.
static STRING_STOP: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = 1;
        i += 1;
    }
    t[b'"' as usize] = 1;
    t[b'\\' as usize] = 1;
    t[0xEE] = 1;
    t
};
