//! A hand-written fast path for the block-style YAML that CloudFormation
//! and SAM templates are written in, tried before the saphyr builder of
//! [`super::yaml`].
//!
//! The contract: whenever [`parse`] returns `Some`, the documents are
//! exactly what the saphyr builder gives for the same text (node kinds,
//! strings, numbers as text, every span, tag normalisation, merge keys).
//! Anything this module does not reproduce exactly — and every input the
//! builder would reject — gives `None`, and the caller falls back to the
//! builder, which also writes all error messages. Spans are computed the
//! way saphyr's tokens place them, then run through the builder's own
//! span helpers ([`content_start`], [`scalar_inner`], [`wrap_local`]).
//!
//! Covered: one document (an optional leading `---`), block mappings and
//! sequences (compact `- k: v` and `- - x` included, sequences at their
//! key's indentation), plain scalars (continued over more-indented lines
//! and blank lines), single- and double-quoted scalars (double-quoted
//! escapes; continued lines indented deeper than the enclosing
//! collection), a value on the line after its key, comments, literal and
//! folded block scalars without an indentation indicator (a port of
//! saphyr's scanner), flow sequences and mappings on one line,
//! CloudFormation short-form tags (`!Ref`, `!GetAtt`, `!Sub`,
//! `!Rain::Embed`, …) on scalars, flow and block collections, empty
//! tagged scalars (`!GetAZs`), core tags (`!!str`) on scalars, merge keys
//! without aliases, CRLF line ends.
//!
//! Declined: anchors, aliases, directives, `...`, several or empty
//! documents, `?` keys, flow collections over several lines, `"k" : v`,
//! escaped line breaks, indentation indicators, empty block scalars, tabs
//! outside comments and block scalar text, control characters, a lone
//! `\r`, a byte order mark inside the text, verbatim and `%TAG` tags, core
//! tags on collections, a tag on a sequence at its key's indentation,
//! scalar or flow documents, keys longer than 1,000 bytes, nesting deeper
//! than [`FAST_MAX_DEPTH`] and files near [`MAX_VALUES`].
//!
//! Every loop advances through the text, so the work is linear; recursion
//! follows nesting, which is bounded by [`FAST_MAX_DEPTH`].

use std::borrow::Cow;

use super::yaml_scalar::{
    content_start, core_scalar, merge_keys, plain_as, scalar_inner, wrap_local,
};
use super::{MAX_DEPTH, MAX_VALUES};
use crate::source::Span;
use crate::tree::{sanitize, Entry, Kind, Node};

/// Deeper nesting is left to the builder (which reports the limit of
/// [`MAX_DEPTH`]); it also keeps this module's recursion shallow.
const FAST_MAX_DEPTH: usize = 64;
const _: () = assert!(FAST_MAX_DEPTH + 2 < MAX_DEPTH);

/// Values are counted as the builder counts them; well before its limit
/// the fast path declines so the builder reports the error.
const FAST_MAX_VALUES: usize = MAX_VALUES - 16;

/// Parse a YAML text, or `None` to let the saphyr builder do it.
pub(super) fn parse(text: &str) -> Option<Vec<Node>> {
    if text.len() >= (u32::MAX / 2) as usize || !plain_text(text.as_bytes()) {
        return None;
    }
    let mut p = Fast {
        text,
        b: text.as_bytes(),
        values: 0,
        marked: memchr::memchr(0xEE, text.as_bytes()).is_some(),
        last: std::cell::Cell::new(Line {
            start: usize::MAX,
            end: 0,
            next: 0,
            indent: 0,
        }),
    };
    p.document()
}

/// No control characters but tab and line ends, no lone `\r`, no byte
/// order mark (U+FEFF, `EF BB BF`).
fn plain_text(b: &[u8]) -> bool {
    // A branch-free pass over chunks (it vectorises); the exact check only
    // where a chunk holds a byte that needs a closer look.
    b.chunks(256).all(|chunk| {
        let odd = chunk.iter().fold(false, |acc, &c| {
            acc | ((c < 0x20 && c != b'\n' && c != b'\t') | (c == 0x7F) | (c == 0xEF))
        });
        !odd
    }) || plain_text_exact(b)
}

fn plain_text_exact(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x20 || c == 0x7F || c == 0xEF {
            match c {
                b'\n' | b'\t' => {}
                b'\r' if b.get(i + 1) == Some(&b'\n') => {}
                0xEF if b.get(i + 1..i + 3) != Some(&[0xBB, 0xBF][..]) => {}
                _ => return false,
            }
        }
        i += 1;
    }
    true
}

/// One line of text: `end` excludes the line break, `next` is the start of
/// the following line (or the text's length).
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    next: usize,
    /// Leading spaces.
    indent: usize,
}

impl Line {
    fn content(&self) -> usize {
        self.start + self.indent
    }
}

#[derive(Clone, Copy)]
enum Tag<'t> {
    /// `!!suffix`: the core schema.
    Core(&'t str),
    /// `!Suffix`: a CloudFormation short form (or any other local tag).
    Local(&'t str),
}

#[derive(Clone, Copy)]
struct Tagged<'t> {
    tag: Tag<'t>,
    /// Position of the `!`.
    start: usize,
}

impl Tagged<'_> {
    fn local(&self) -> bool {
        matches!(self.tag, Tag::Local(_))
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Style {
    Plain,
    Quoted,
    Block,
}

/// A mapping key: its token span, text and the position of its `:`.
struct Key<'t> {
    start: usize,
    end: usize,
    raw: Cow<'t, str>,
    colon: usize,
}

/// What a plain scalar scan found on its line.
struct PlainScan {
    /// End of the scalar's text (trailing spaces excluded).
    end: usize,
    /// A `:` followed by a space or the line end: the scalar is a key.
    colon: Option<usize>,
    /// The line goes on with a comment.
    comment: bool,
}

struct Fast<'t> {
    text: &'t str,
    b: &'t [u8],
    values: usize,
    /// The text holds a byte 0xEE, which starts both marker characters
    /// ([`sanitize`]): without one, only an escape can make a marker.
    marked: bool,
    /// The last line measured: a scalar looks at the line after it to see
    /// whether it goes on, and the caller then looks at the same line.
    last: std::cell::Cell<Line>,
}

fn is_space_or(b: &[u8], i: usize, end: usize) -> bool {
    i >= end || b[i] == b' '
}

impl<'t> Fast<'t> {
    /// A scalar or key as stored, with the marker characters replaced
    /// ([`sanitize`]) unless it is a piece of a text that has none.
    fn own(&self, s: Cow<'_, str>) -> String {
        match s {
            Cow::Borrowed(s) if !self.marked => s.to_owned(),
            s => sanitize(s.into_owned()),
        }
    }

    // ------------------------------------------------------------ lines

    fn line(&self, start: usize) -> Line {
        let last = self.last.get();
        if last.start == start {
            return last;
        }
        let l = self.measure(start);
        self.last.set(l);
        l
    }

    fn measure(&self, start: usize) -> Line {
        let b = self.b;
        let (end, next) = match memchr::memchr(b'\n', &b[start..]) {
            Some(i) => {
                let nl = start + i;
                let end = if nl > start && b[nl - 1] == b'\r' {
                    nl - 1
                } else {
                    nl
                };
                (end, nl + 1)
            }
            None => (b.len(), b.len()),
        };
        let indent = b[start..end].iter().take_while(|&&c| c == b' ').count();
        Line {
            start,
            end,
            next,
            indent,
        }
    }

    fn skip_spaces(&self, mut i: usize, end: usize) -> usize {
        while i < end && self.b[i] == b' ' {
            i += 1;
        }
        i
    }

    /// The next line with content from `pos` (a line start), skipping blank
    /// and comment lines. `Some(None)` at the end of the text; `None` (decline)
    /// on a tab in indentation, a document marker or a directive.
    fn next_content(&self, mut pos: usize) -> Option<Option<Line>> {
        loop {
            if pos >= self.b.len() {
                return Some(None);
            }
            let l = self.line(pos);
            let c = l.content();
            if c == l.end || self.b[c] == b'#' {
                pos = l.next;
                continue;
            }
            if self.b[c] == b'\t' || (l.indent == 0 && (self.marker(&l) || self.b[c] == b'%')) {
                return None;
            }
            return Some(Some(l));
        }
    }

    /// `---` or `...` at the start of a line, followed by white space.
    fn marker(&self, l: &Line) -> bool {
        let s = &self.b[l.start..l.end];
        (s.starts_with(b"---") || s.starts_with(b"..."))
            && matches!(s.get(3), None | Some(b' ' | b'\t'))
    }

    /// A block sequence entry (`-` then a space or the line end) at `p`.
    fn is_entry(&self, l: &Line, p: usize) -> bool {
        self.b[p] == b'-' && is_space_or(self.b, p + 1, l.end)
    }

    fn count(&mut self) -> Option<()> {
        self.values += 1;
        (self.values <= FAST_MAX_VALUES).then_some(())
    }

    // ------------------------------------------------------------ document

    fn document(&mut self) -> Option<Vec<Node>> {
        let mut pos = 0;
        // An optional `---` before the only document.
        loop {
            if pos >= self.b.len() {
                return Some(Vec::new());
            }
            let l = self.line(pos);
            let c = l.content();
            if c == l.end || self.b[c] == b'#' {
                pos = l.next;
                continue;
            }
            if l.indent == 0 && self.b[c..].starts_with(b"---") && self.marker(&l) {
                let r = self.skip_spaces(l.start + 3, l.end);
                if r < l.end && (self.b[r] != b'#' || r == l.start + 3) {
                    return None;
                }
                pos = l.next;
                // An empty document (a null node) is left to the builder.
                self.next_content(pos)??;
            }
            break;
        }
        let l = self.next_content(pos)??;
        let c = l.content();
        let (root, next) = if self.is_entry(&l, c) {
            self.block_seq(l, c, 0, None, false)?
        } else {
            let key = self.key_at(&l, c)??;
            self.block_map(l, c, 0, None, Some(key))?
        };
        if self.next_content(next)?.is_some() {
            return None;
        }
        Some(vec![root])
    }

    // ------------------------------------------------------------ scalars

    /// A scalar node from its event span (`start` is the tag's when tagged).
    fn scalar(
        &mut self,
        start: usize,
        end: usize,
        raw: Cow<'_, str>,
        style: Style,
        tag: Option<Tagged<'_>>,
    ) -> Option<Node> {
        self.count()?;
        let span = Span::new(start, end);
        let inner = scalar_inner(self.text, span, style == Style::Block);
        let kind = match (tag.map(|t| t.tag), style) {
            (Some(Tag::Core(suffix)), _) => core_scalar(suffix, &raw),
            (Some(Tag::Local(_)), _) | (None, Style::Quoted | Style::Block) => {
                Kind::Str(self.own(raw))
            }
            (None, Style::Plain) => plain_as(&raw, |v| self.own(Cow::Borrowed(v))),
        };
        let node = Node::new(inner, kind);
        Some(match tag.map(|t| t.tag) {
            Some(Tag::Local(suffix)) => wrap_local(
                self.text,
                suffix,
                node,
                Span::new(start, inner.end as usize),
            ),
            _ => node,
        })
    }

    /// Scan a plain scalar starting at `v` on line `l` in block context.
    fn plain_block(&self, l: &Line, v: usize) -> Option<PlainScan> {
        let b = self.b;
        let mut i = v;
        let mut end = v;
        while i < l.end {
            // Most bytes of a scalar need no look: run over them.
            let run = b[i..l.end]
                .iter()
                .position(|&c| matches!(c, b' ' | b'\t' | b':'))
                .unwrap_or(l.end - i);
            if run > 0 {
                i += run;
                end = i;
                continue;
            }
            match b[i] {
                b' ' => {
                    let j = self.skip_spaces(i, l.end);
                    if j < l.end && b[j] == b'#' {
                        return Some(PlainScan {
                            end,
                            colon: None,
                            comment: true,
                        });
                    }
                    if j == l.end {
                        break;
                    }
                    i = j;
                }
                b'\t' => return None,
                b':' if i + 1 == l.end || b[i + 1] == b' ' => {
                    return Some(PlainScan {
                        end,
                        colon: Some(i),
                        comment: false,
                    });
                }
                b':' if b[i + 1] == b'\t' => return None,
                _ => {
                    i += 1;
                    end = i;
                }
            }
        }
        Some(PlainScan {
            end,
            colon: None,
            comment: false,
        })
    }

    /// Can a plain scalar start with the byte at `v` (block context)?
    /// `None` declines the indicators this module leaves to the builder.
    fn plain_start(&self, l: &Line, v: usize) -> Option<bool> {
        match self.b[v] {
            b'-' | b'?' | b':' if v + 1 < l.end && self.b[v + 1] == b'\t' => None,
            b'-' | b'?' | b':' => Some(!is_space_or(self.b, v + 1, l.end)),
            b'&' | b'*' | b'%' | b'@' | b'`' | b',' | b']' | b'}' | b'#' | b'\t' => None,
            b'!' | b'|' | b'>' | b'\'' | b'"' | b'[' | b'{' => Some(false),
            _ => Some(true),
        }
    }

    /// A quoted scalar on one line: its value and the position after the
    /// closing quote.
    fn quoted(&self, l: &Line, v: usize) -> Option<(Cow<'t, str>, usize)> {
        let b = self.b;
        let q = b[v];
        let mut i = v + 1;
        let mut owned: Option<String> = None;
        let mut run = i;
        loop {
            if i >= l.end {
                return None;
            }
            let c = b[i];
            if c == b'\t' {
                return None;
            }
            if c == q {
                if q == b'\'' && i + 1 < l.end && b[i + 1] == b'\'' {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[run..=i]);
                    i += 2;
                    run = i;
                    continue;
                }
                let value = match owned {
                    Some(mut s) => {
                        s.push_str(&self.text[run..i]);
                        Cow::Owned(s)
                    }
                    None => Cow::Borrowed(&self.text[run..i]),
                };
                return Some((value, i + 1));
            }
            if c == b'\\' && q == b'"' {
                let s = owned.get_or_insert_with(String::new);
                s.push_str(&self.text[run..i]);
                i = self.escape(l, i, s)?;
                run = i;
                continue;
            }
            i += 1;
        }
    }

    /// Does the quoted scalar opening at `v` close on its line? (Escapes
    /// and doubled single quotes followed; whether they are valid is
    /// [`Self::quoted`]'s question.)
    fn closes_on_line(&self, l: &Line, v: usize) -> bool {
        let b = self.b;
        let q = b[v];
        let mut i = v + 1;
        while i < l.end {
            match b[i] {
                b'\\' if q == b'"' => i += 2,
                c if c == q && q == b'\'' && i + 1 < l.end && b[i + 1] == b'\'' => i += 2,
                c if c == q => return true,
                _ => i += 1,
            }
        }
        false
    }

    /// A plain scalar from `v` whose first line's text ends at `end` goes on
    /// over the following lines indented deeper than `n` (the enclosing
    /// block collection's column): its text, the end of its token and the
    /// start of the line after it.
    fn plain_lines(
        &self,
        l: &Line,
        v: usize,
        mut end: usize,
        n: usize,
    ) -> Option<(Cow<'t, str>, usize, usize)> {
        let b = self.b;
        let mut raw: Option<String> = None;
        let mut next = l.next;
        loop {
            // Empty lines fold into line breaks.
            let mut breaks = 0;
            let mut p = next;
            let nl = loop {
                if p >= b.len() {
                    break None;
                }
                let nl = self.line(p);
                if nl.content() == nl.end {
                    breaks += 1;
                    p = nl.next;
                    continue;
                }
                break Some(nl);
            };
            let Some(nl) = nl else { break };
            let c = nl.content();
            if b[c] == b'\t' {
                return None;
            }
            if nl.indent <= n || b[c] == b'#' {
                break;
            }
            let scan = self.plain_block(&nl, c)?;
            if scan.colon.is_some() {
                return None;
            }
            let s = raw.get_or_insert_with(|| self.text[v..end].to_owned());
            if breaks == 0 {
                s.push(' ');
            }
            s.extend(std::iter::repeat_n('\n', breaks));
            s.push_str(&self.text[c..scan.end]);
            end = scan.end;
            next = nl.next;
            if scan.comment {
                break;
            }
        }
        let raw = raw.map_or(Cow::Borrowed(&self.text[v..end]), Cow::Owned);
        Some((raw, end, next))
    }

    /// A quoted scalar opening at `v` and closing on a later line, whose
    /// lines are indented at least `min` (saphyr's rule is the enclosing
    /// collection's column, plus one after a `:`). Line breaks fold as
    /// YAML says. Returns the value, the position after the closing quote
    /// and its line.
    fn quoted_lines(&self, l: &Line, v: usize, min: usize) -> Option<(Cow<'t, str>, usize, Line)> {
        let q = self.b[v];
        let mut s = String::new();
        let (mut line, mut from) = (*l, v + 1);
        loop {
            // One line's text: `None` when it runs to the line end.
            let (close, keep, escaped) = self.quoted_segment(&line, from, q, &mut s)?;
            if let Some(close) = close {
                return Some((Cow::Owned(s), close, line));
            }
            // Trailing white space before a break is dropped (before an
            // escaped break, `keep` is all of it).
            s.truncate(keep);
            let mut breaks = 0;
            let mut p = line.next;
            let nl = loop {
                if p >= self.b.len() {
                    return None;
                }
                let nl = self.line(p);
                if nl.content() == nl.end {
                    breaks += 1;
                    p = nl.next;
                    continue;
                }
                break nl;
            };
            let c = nl.content();
            if self.b[c] == b'\t' || nl.indent < min || nl.indent == 0 {
                return None;
            }
            // A break folds into a space, unless it was escaped; each
            // empty line after it is a line feed.
            if breaks == 0 && !escaped {
                s.push(' ');
            }
            s.extend(std::iter::repeat_n('\n', breaks));
            line = nl;
            from = c;
        }
    }

    /// Decode a quoted scalar's text on one line from `from` into `s`: the
    /// position after the closing quote if it is on the line, the length
    /// of `s` without the spaces that end it, and whether the line ends in
    /// an escaped line break (`\` last in a double-quoted scalar: the
    /// break is no content and the spaces before it are kept).
    fn quoted_segment(
        &self,
        l: &Line,
        from: usize,
        q: u8,
        s: &mut String,
    ) -> Option<(Option<usize>, usize, bool)> {
        let b = self.b;
        let mut i = from;
        let mut run = i;
        let mut keep = s.len();
        loop {
            if i >= l.end {
                s.push_str(&self.text[run..i]);
                return Some((None, keep, false));
            }
            match b[i] {
                b'\t' => return None,
                c if c == q => {
                    if q == b'\'' && i + 1 < l.end && b[i + 1] == b'\'' {
                        s.push_str(&self.text[run..=i]);
                        i += 2;
                        run = i;
                        keep = s.len();
                        continue;
                    }
                    s.push_str(&self.text[run..i]);
                    return Some((Some(i + 1), s.len(), false));
                }
                b'\\' if q == b'"' && i + 1 == l.end && self.b.get(i + 1) == Some(&b'\n') => {
                    s.push_str(&self.text[run..i]);
                    return Some((None, s.len(), true));
                }
                b'\\' if q == b'"' => {
                    s.push_str(&self.text[run..i]);
                    i = self.escape(l, i, s)?;
                    run = i;
                    keep = s.len();
                }
                b' ' => {
                    s.push_str(&self.text[run..i]);
                    run = i;
                    while i < l.end && b[i] == b' ' {
                        i += 1;
                    }
                    s.push_str(&self.text[run..i]);
                    run = i;
                }
                _ => {
                    i += 1;
                    keep = s.len() + (i - run);
                }
            }
        }
    }

    /// Decode the escape sequence at `i` (a `\\` in a double-quoted
    /// scalar) into `s`; the position after it. `None` for an escaped line
    /// break or anything saphyr rejects.
    fn escape(&self, l: &Line, i: usize, s: &mut String) -> Option<usize> {
        let b = self.b;
        let e = *b.get(i + 1).filter(|_| i + 1 < l.end)?;
        let simple = match e {
            b'0' => Some('\0'),
            b'a' => Some('\x07'),
            b'b' => Some('\x08'),
            b't' => Some('\t'),
            b'n' => Some('\n'),
            b'v' => Some('\x0b'),
            b'f' => Some('\x0c'),
            b'r' => Some('\r'),
            b'e' => Some('\x1b'),
            b' ' => Some(' '),
            b'"' => Some('"'),
            b'/' => Some('/'),
            b'\\' => Some('\\'),
            b'N' => Some('\u{85}'),
            b'_' => Some('\u{A0}'),
            b'L' => Some('\u{2028}'),
            b'P' => Some('\u{2029}'),
            _ => None,
        };
        let len = match e {
            b'x' => 2,
            b'u' => 4,
            b'U' => 8,
            _ => 0,
        };
        if let Some(ch) = simple {
            s.push(ch);
            Some(i + 2)
        } else if len > 0 {
            let hex = self
                .b
                .get(i + 2..i + 2 + len)
                .filter(|_| i + 2 + len <= l.end)?;
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            let code = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            s.push(char::from_u32(code)?);
            Some(i + 2 + len)
        } else {
            None
        }
    }

    /// A tag at `t` (`!Ref`, `!!str`), followed by a space or the line end.
    fn tag(&self, l: &Line, t: usize) -> Option<(Tagged<'t>, usize)> {
        let b = self.b;
        let (core, from) = if b.get(t + 1) == Some(&b'!') {
            (true, t + 2)
        } else {
            (false, t + 1)
        };
        let mut i = from;
        while i < l.end
            && if core {
                b[i].is_ascii_lowercase()
            } else {
                // `!Rain::Embed` too; saphyr's tag characters include these.
                b[i].is_ascii_alphanumeric() || matches!(b[i], b':' | b'.' | b'-' | b'_')
            }
        {
            i += 1;
        }
        if i == from || !is_space_or(b, i, l.end) {
            return None;
        }
        let suffix = &self.text[from..i];
        let tag = if core {
            Tag::Core(suffix)
        } else {
            Tag::Local(suffix)
        };
        Some((Tagged { tag, start: t }, i))
    }

    // ------------------------------------------------------------ block

    /// Is the line a mapping entry from `p`? `Some(None)`: not a key line.
    fn key_at(&self, l: &Line, p: usize) -> Option<Option<Key<'t>>> {
        let b = self.b;
        let key = match b[p] {
            b'"' | b'\'' => {
                let Some((raw, close)) = self.quoted(l, p) else {
                    // A quoted scalar running on to later lines is no key
                    // (keys are on one line): the value of the line
                    // before. Anything else `quoted` declines, declines.
                    return (!self.closes_on_line(l, p)).then_some(None);
                };
                if close >= l.end || b[close] != b':' {
                    return if close < l.end && b[close] == b' ' {
                        // `"k" : v` or a quoted scalar: left to the builder.
                        None
                    } else {
                        Some(None)
                    };
                }
                if !is_space_or(b, close + 1, l.end) {
                    return None;
                }
                Key {
                    start: p,
                    end: close,
                    raw,
                    colon: close,
                }
            }
            _ => {
                if !self.plain_start(l, p)? {
                    return Some(None);
                }
                let scan = self.plain_block(l, p)?;
                let Some(colon) = scan.colon else {
                    return Some(None);
                };
                Key {
                    start: p,
                    end: scan.end,
                    raw: Cow::Borrowed(&self.text[p..scan.end]),
                    colon,
                }
            }
        };
        // saphyr allows a simple key 1024 characters.
        if key.colon - key.start > 1000 {
            return None;
        }
        Some(Some(key))
    }

    /// A block mapping whose first key is at `p` on line `l`.
    fn block_map(
        &mut self,
        first: Line,
        p: usize,
        parent: usize,
        tag: Option<Tagged<'t>>,
        key: Option<Key<'t>>,
    ) -> Option<(Node, usize)> {
        let depth = parent + 1 + usize::from(tag.is_some());
        if depth > FAST_MAX_DEPTH {
            return None;
        }
        let col = p - first.start;
        let start = tag.map_or(p, |t| t.start);
        let mut entries = Vec::new();
        let (mut l, mut p) = (first, p);
        // The first key when the caller has scanned it already.
        let mut scanned = key;
        let next = loop {
            let key = match scanned.take() {
                Some(k) => k,
                None => self.key_at(&l, p)??,
            };
            self.count()?;
            let key_span = scalar_inner(self.text, Span::new(key.start, key.end), false);
            let v = self.skip_spaces(key.colon + 1, l.end);
            let (value, next) = if v == l.end || self.b[v] == b'#' {
                self.nested(l.next, key.colon, col, depth, true, None)?
            } else {
                self.inline(&l, v, col, depth, false, None)?
            };
            entries.push(Entry {
                key: self.own(key.raw),
                key_span,
                value,
            });
            match self.next_content(next)? {
                None => break self.b.len(),
                Some(nl) if nl.indent == col => {
                    if self.is_entry(&nl, nl.content()) {
                        return None;
                    }
                    l = nl;
                    p = nl.content();
                }
                Some(nl) if nl.indent < col => break nl.start,
                Some(_) => return None,
            }
        };
        let last = entries.last().map_or(start, |e| e.value.span.end as usize);
        let node = self.close(start, last.max(start), Kind::Obj(merge_keys(entries)), tag)?;
        Some((node, next))
    }

    /// A block sequence whose first `-` is at `p` on line `l`; `indentless`
    /// when it sits at its parent key's indentation.
    fn block_seq(
        &mut self,
        first: Line,
        p: usize,
        parent: usize,
        tag: Option<Tagged<'t>>,
        indentless: bool,
    ) -> Option<(Node, usize)> {
        let depth = parent + 1 + usize::from(tag.is_some());
        if depth > FAST_MAX_DEPTH {
            return None;
        }
        let col = p - first.start;
        let mut seq_start = tag.map(|t| t.start);
        let mut items = Vec::new();
        let (mut l, mut p) = (first, p);
        let next = loop {
            let v = self.skip_spaces(p + 1, l.end);
            if v < l.end && self.b[v] == b'\t' {
                return None;
            }
            let empty = v == l.end || self.b[v] == b'#';
            // saphyr's block entry token: after the `-`, spaces and a comment.
            let mark = if empty { l.end } else { v };
            if seq_start.is_none() {
                seq_start = Some(if indentless { mark } else { p });
            }
            let (item, next) = if empty {
                self.nested(l.next, l.end, col, depth, false, None)?
            } else {
                self.inline(&l, v, col, depth, true, None)?
            };
            items.push(item);
            match self.next_content(next)? {
                None => break self.b.len(),
                Some(nl) if nl.indent == col && self.is_entry(&nl, nl.content()) => {
                    l = nl;
                    p = nl.content();
                }
                Some(nl) if nl.indent <= col => break nl.start,
                Some(_) => return None,
            }
        };
        let start = seq_start?;
        let last = items.last().map_or(start, |n| n.span.end as usize);
        let node = self.close(start, last.max(start), Kind::Arr(items), tag)?;
        Some((node, next))
    }

    /// The node of a collection spanning `start..end` (its tag included).
    fn close(
        &mut self,
        start: usize,
        end: usize,
        kind: Kind,
        tag: Option<Tagged<'_>>,
    ) -> Option<Node> {
        self.count()?;
        let outer = Span::new(start, end);
        let inner = Span::new(content_start(self.text, outer).min(end), end);
        let node = Node::new(inner, kind);
        Some(match tag.map(|t| t.tag) {
            Some(Tag::Local(suffix)) => wrap_local(self.text, suffix, node, outer),
            _ => node,
        })
    }

    /// A value on the lines after its key or `-` (`pos` is the next line's
    /// start): a block collection indented deeper than `col`, a sequence at
    /// `col` when `indentless` is allowed, or else a null at `null_at`.
    fn nested(
        &mut self,
        pos: usize,
        null_at: usize,
        col: usize,
        depth: usize,
        indentless: bool,
        tag: Option<Tagged<'t>>,
    ) -> Option<(Node, usize)> {
        let next = self.next_content(pos)?;
        if let Some(nl) = next {
            let c = nl.content();
            if nl.indent > col {
                let entry = self.is_entry(&nl, c);
                let key = if entry { None } else { self.key_at(&nl, c)? };
                if (entry || key.is_some()) && tag.is_some_and(|t| !t.local()) {
                    return None;
                }
                if entry {
                    return self.block_seq(nl, c, depth, tag, false);
                }
                if key.is_some() {
                    return self.block_map(nl, c, depth, tag, key);
                }
                // A scalar (or flow collection) on the next line.
                return self.inline(&nl, c, col, depth, false, tag);
            }
            if indentless && nl.indent == col && self.is_entry(&nl, c) {
                if tag.is_some_and(|t| !t.local()) {
                    return None;
                }
                return self.block_seq(nl, c, depth, tag, true);
            }
        }
        let at = next.map_or(self.b.len(), |nl| nl.start);
        if let Some(t) = tag {
            // `!GetAZs` alone: an empty scalar spanning the tag.
            let node = self.scalar(t.start, null_at, Cow::Borrowed(""), Style::Plain, tag)?;
            return Some((node, at));
        }
        self.count()?;
        Some((
            Node::new(Span::new(null_at, null_at), Kind::Null),
            at.min(self.b.len()),
        ))
    }

    /// A value starting at `v` on line `l`, after `key: ` or `- `. `col` is
    /// the innermost block collection's column; `entry` when after `- `,
    /// where a compact mapping or sequence may start.
    fn inline(
        &mut self,
        l: &Line,
        v: usize,
        col: usize,
        depth: usize,
        entry: bool,
        tag: Option<Tagged<'t>>,
    ) -> Option<(Node, usize)> {
        let b = self.b;
        match b[v] {
            b'!' => {
                if tag.is_some() {
                    return None;
                }
                let (t, after) = self.tag(l, v)?;
                let w = self.skip_spaces(after, l.end);
                if w == l.end || b[w] == b'#' {
                    // A collection on the next lines, or an empty scalar.
                    return self.nested(l.next, after, col, depth, !entry, Some(t));
                }
                self.inline(l, w, col, depth, false, Some(t))
            }
            b'"' | b'\'' => {
                let (raw, close, l) = match self.quoted(l, v) {
                    Some((raw, close)) => (raw, close, *l),
                    None => self.quoted_lines(l, v, col + 1)?,
                };
                let l = &l;
                let w = self.skip_spaces(close, l.end);
                let end = if w == l.end {
                    w
                } else if b[w] == b'#' && w > close {
                    // saphyr's quoted token runs on over a comment
                    // ([`scalar_inner`] ends the node at the quote).
                    l.end
                } else if b[w] == b':' && entry && tag.is_none() && w == close && l.start <= v {
                    return self.block_map(*l, v, depth, None, None);
                } else {
                    return None;
                };
                let start = tag.map_or(v, |t| t.start);
                let node = self.scalar(start, end, raw, Style::Quoted, tag)?;
                Some((node, l.next))
            }
            b'[' | b'{' => {
                let (node, end, l) = self.flow(l, v, depth, tag, col)?;
                let w = self.skip_spaces(end, l.end);
                if w < l.end && (b[w] != b'#' || w == end) {
                    return None;
                }
                Some((node, l.next))
            }
            b'|' | b'>' => self.block_scalar(l, v, col, tag),
            b'-' if is_space_or(b, v + 1, l.end) => {
                if !entry || tag.is_some() {
                    return None;
                }
                self.block_seq(*l, v, depth, None, false)
            }
            _ => {
                if !self.plain_start(l, v)? {
                    return None;
                }
                let scan = self.plain_block(l, v)?;
                if scan.colon.is_some() {
                    if !entry || tag.is_some() {
                        return None;
                    }
                    return self.block_map(*l, v, depth, None, None);
                }
                let start = tag.map_or(v, |t| t.start);
                let (raw, end, next) = if scan.comment {
                    (Cow::Borrowed(&self.text[v..scan.end]), scan.end, l.next)
                } else {
                    self.plain_lines(l, v, scan.end, col)?
                };
                let node = self.scalar(start, end, raw, Style::Plain, tag)?;
                Some((node, next))
            }
        }
    }

    /// A literal (`|`) or folded (`>`) block scalar whose indicator is at
    /// `v`; `n` is the enclosing block collection's column. A port of
    /// saphyr's `scan_block_scalar` for the headers it accepts here.
    fn block_scalar(
        &mut self,
        l: &Line,
        v: usize,
        n: usize,
        tag: Option<Tagged<'t>>,
    ) -> Option<(Node, usize)> {
        #[derive(PartialEq)]
        enum Chomp {
            Strip,
            Clip,
            Keep,
        }
        let b = self.b;
        let len = b.len();
        let literal = b[v] == b'|';
        let mut i = v + 1;
        let chomp = match b.get(i).filter(|_| i < l.end) {
            Some(b'+') => {
                i += 1;
                Chomp::Keep
            }
            Some(b'-') => {
                i += 1;
                Chomp::Strip
            }
            _ => Chomp::Clip,
        };
        let w = self.skip_spaces(i, l.end);
        if w < l.end && (b[w] != b'#' || w == i) {
            return None;
        }
        if l.next >= len || b[l.next] == b'\t' {
            return None;
        }
        // The leading empty lines and the indentation of the first line.
        let mut q = l.next;
        let mut breaks = 0usize;
        let mut max_indent = 0;
        let mut col;
        loop {
            let s = q;
            while q < len && b[q] == b' ' {
                q += 1;
            }
            col = q - s;
            max_indent = max_indent.max(col);
            match b.get(q) {
                Some(b'\n') => q += 1,
                Some(b'\r') => q += 2,
                _ => break,
            }
            breaks += 1;
        }
        let indent = max_indent.max(n + 1);
        if q >= len || col != indent {
            return None;
        }
        let first = q;
        let mut string = String::new();
        let mut leading_break = false;
        let mut leading_blank = false;
        while col == indent && q < len && !matches!(b[q], b'\n' | b'\r') {
            let trailing_blank = matches!(b[q], b' ' | b'\t');
            if !literal && leading_break && !leading_blank && !trailing_blank {
                if breaks == 0 {
                    string.push(' ');
                }
                string.extend(std::iter::repeat_n('\n', breaks));
            } else {
                if leading_break {
                    string.push('\n');
                }
                string.extend(std::iter::repeat_n('\n', breaks));
            }
            leading_break = false;
            breaks = 0;
            leading_blank = trailing_blank;
            let e = self.line(q).end;
            string.push_str(&self.text[q..e]);
            q = e;
            col = indent + 1;
            if q >= len {
                break;
            }
            q += if b[q] == b'\r' { 2 } else { 1 };
            leading_break = true;
            // The next lines' indentation, and empty lines.
            loop {
                let s = q;
                while q < len && q - s < indent && b[q] == b' ' {
                    q += 1;
                }
                col = q - s;
                match b.get(q) {
                    Some(b'\n') => q += 1,
                    Some(b'\r') => q += 2,
                    _ => break,
                }
                breaks += 1;
            }
        }
        if chomp != Chomp::Strip {
            if leading_break {
                string.push('\n');
            }
            if q >= len && col >= indent.max(1) {
                string.push('\n');
            }
        }
        if chomp == Chomp::Keep {
            string.extend(std::iter::repeat_n('\n', breaks));
        }
        let start = tag.map_or(first, |t| t.start);
        let node = self.scalar(start, q, Cow::Owned(string), Style::Block, tag)?;
        // The line holding the end mark (after at most `indent` spaces).
        let next = if q >= len { len } else { q - col };
        Some((node, next))
    }

    // ------------------------------------------------------------ flow

    /// A flow collection opening at `v` on line `l`: the node, the
    /// position after its closing bracket and the line of that bracket.
    /// It may go on over later lines indented deeper than `col` (the
    /// enclosing block collection's column) between its items; an item
    /// itself is on one line.
    fn flow(
        &mut self,
        l: &Line,
        v: usize,
        parent: usize,
        tag: Option<Tagged<'t>>,
        col: usize,
    ) -> Option<(Node, usize, Line)> {
        if matches!(tag.map(|t| t.tag), Some(Tag::Core(_))) {
            return None;
        }
        let depth = parent + 1 + usize::from(tag.is_some());
        if depth > FAST_MAX_DEPTH {
            return None;
        }
        let b = self.b;
        let seq = b[v] == b'[';
        let close_ch = if seq { b']' } else { b'}' };
        let mut items = Vec::new();
        let mut entries = Vec::new();
        let mut l = *l;
        let mut i = self.skip_spaces(v + 1, l.end);
        (i, l) = self.flow_gap(l, i, col)?;
        if b[i] == close_ch {
            // Empty.
        } else {
            loop {
                if seq {
                    let (item, end, nl) = self.flow_item(&l, i, depth, col)?;
                    items.push(item);
                    (i, l) = (end, nl);
                } else {
                    let (key, colon) = self.flow_key(&l, i)?;
                    let key_span = scalar_inner(self.text, Span::new(key.start, key.end), false);
                    self.count()?;
                    let w = self.skip_spaces(colon + 1, l.end);
                    if w >= l.end || matches!(b[w], b',' | b'}' | b']' | b'#') {
                        return None;
                    }
                    let (value, end, nl) = self.flow_item(&l, w, depth, col)?;
                    entries.push(Entry {
                        key: self.own(key.raw),
                        key_span,
                        value,
                    });
                    (i, l) = (end, nl);
                }
                i = self.skip_spaces(i, l.end);
                (i, l) = self.flow_gap(l, i, col)?;
                if b[i] == b',' {
                    i = self.skip_spaces(i + 1, l.end);
                    (i, l) = self.flow_gap(l, i, col)?;
                    // A trailing comma: `[a, b, ]` (saphyr ends a mapping
                    // with one before its `}`: left to it).
                    if b[i] == close_ch && seq {
                        break;
                    }
                    if matches!(b[i], b',' | b']' | b'}') {
                        return None;
                    }
                    continue;
                }
                if b[i] == close_ch {
                    break;
                }
                return None;
            }
        }
        // saphyr's closing token runs on over spaces and a comment.
        let mut end = self.skip_spaces(i + 1, l.end);
        if end < l.end && b[end] == b'#' && end > i + 1 {
            end = l.end;
        }
        let kind = if seq {
            Kind::Arr(items)
        } else {
            Kind::Obj(merge_keys(entries))
        };
        let start = tag.map_or(v, |t| t.start);
        let node = self.close(start, end, kind, tag)?;
        Some((node, end, l))
    }

    /// Inside a flow collection, at `i` after spaces on line `l`: the next
    /// token and its line. At the line's end or a comment, the first
    /// content of the following lines, which must be indented deeper than
    /// `col` (blank and comment lines skipped).
    fn flow_gap(&self, l: Line, i: usize, col: usize) -> Option<(usize, Line)> {
        let b = self.b;
        let comment = i < l.end && b[i] == b'#' && i > l.start && matches!(b[i - 1], b' ' | b'\t');
        if i < l.end && !comment {
            return Some((i, l));
        }
        let nl = self.next_content(l.next)??;
        if nl.indent <= col {
            return None;
        }
        Some((nl.content(), nl))
    }

    /// A flow mapping key at `i`: the key and the position of its `:`.
    fn flow_key(&self, l: &Line, i: usize) -> Option<(Key<'t>, usize)> {
        let b = self.b;
        match b[i] {
            b'"' | b'\'' => {
                let (raw, close) = self.quoted(l, i)?;
                let end = self.skip_spaces(close, l.end);
                if end >= l.end || b[end] != b':' {
                    return None;
                }
                Some((
                    Key {
                        start: i,
                        end,
                        raw,
                        colon: end,
                    },
                    end,
                ))
            }
            _ => {
                let end = self.plain_flow(l, i)?;
                let colon = self.skip_spaces(end, l.end);
                if colon >= l.end || b[colon] != b':' || !is_space_or(b, colon + 1, l.end) {
                    return None;
                }
                if colon + 1 >= l.end {
                    return None;
                }
                Some((
                    Key {
                        start: i,
                        end,
                        raw: Cow::Borrowed(&self.text[i..end]),
                        colon,
                    },
                    colon,
                ))
            }
        }
    }

    /// A node inside a flow collection at `i`: the node, the end of its
    /// token (for a quoted scalar, after the spaces that follow it) and the
    /// line of that end (a nested collection may end on a later line).
    fn flow_item(
        &mut self,
        l: &Line,
        i: usize,
        depth: usize,
        col: usize,
    ) -> Option<(Node, usize, Line)> {
        let b = self.b;
        let (tag, i) = if b[i] == b'!' {
            let (t, after) = self.tag(l, i)?;
            let w = self.skip_spaces(after, l.end);
            if w >= l.end || matches!(b[w], b',' | b']' | b'}' | b'#') {
                return None;
            }
            (Some(t), w)
        } else {
            (None, i)
        };
        match b[i] {
            b'[' | b'{' => self.flow(l, i, depth, tag, col),
            b'"' | b'\'' => {
                // Over several lines, each indented deeper than the block
                // collection around the flow one (as `flow_gap` asks).
                let (raw, close, l) = match self.quoted(l, i) {
                    Some((raw, close)) => (raw, close, *l),
                    None => self.quoted_lines(l, i, col + 1)?,
                };
                let end = self.skip_spaces(close, l.end);
                if end < l.end && !matches!(b[end], b',' | b']' | b'}') {
                    return None;
                }
                let start = tag.map_or(i, |t| t.start);
                let node = self.scalar(start, end, raw, Style::Quoted, tag)?;
                Some((node, end, l))
            }
            _ => {
                let end = self.plain_flow(l, i)?;
                let w = self.skip_spaces(end, l.end);
                if w < l.end && !matches!(b[w], b',' | b']' | b'}') {
                    return None;
                }
                let start = tag.map_or(i, |t| t.start);
                let raw = Cow::Borrowed(&self.text[i..end]);
                let node = self.scalar(start, end, raw, Style::Plain, tag)?;
                Some((node, end, *l))
            }
        }
    }

    /// Scan a plain scalar in flow context from `i`: the end of its text.
    fn plain_flow(&self, l: &Line, i: usize) -> Option<usize> {
        let b = self.b;
        let flow = |c: u8| matches!(c, b',' | b'[' | b']' | b'{' | b'}');
        match b[i] {
            b'-' if i + 1 < l.end && !flow(b[i + 1]) && b[i + 1] != b' ' => {}
            b'-' | b'?' | b':' | b'&' | b'*' | b'%' | b'@' | b'`' | b'#' | b'!' | b'|' | b'>'
            | b'\'' | b'"' | b'\t' | b' ' => return None,
            c if flow(c) => return None,
            _ => {}
        }
        let mut j = i;
        let mut end = i;
        while j < l.end {
            let c = b[j];
            match c {
                b' ' => {
                    let k = self.skip_spaces(j, l.end);
                    if k >= l.end {
                        break;
                    }
                    match b[k] {
                        b'#' => return None,
                        b'-' if k + 1 < l.end && flow(b[k + 1]) => return None,
                        _ => {}
                    }
                    j = k;
                }
                b'\t' => return None,
                b':' if j + 1 >= l.end || matches!(b[j + 1], b' ' | b'\t') || flow(b[j + 1]) => {
                    break;
                }
                c if flow(c) => break,
                _ => {
                    j += 1;
                    end = j;
                }
            }
        }
        Some(end)
    }
}
