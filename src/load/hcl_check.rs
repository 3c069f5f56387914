//! A syntax check of the Terraform blocks trustlint never reads, which
//! [`super::hcl`] blanks instead of parsing (three quarters of the
//! Terraform bytes of real repositories are such blocks, and hcl-edit is
//! the costliest parser trustlint runs).
//!
//! It follows HCL's grammar — bodies, attributes, blocks, expressions with
//! their operators, calls, splats, `for` expressions, objects, templates
//! with interpolations and directives, heredocs — without building a tree.
//! It errs on one side only: where it is unsure, it says "invalid", and the
//! caller parses the whole file with hcl-edit, whose error (TL001) is then
//! the one reported. `load::hcl`'s tests hold it to hcl-edit on every
//! Terraform file of `../shared/corpus` and on mutations of them.

/// The deepest nesting followed; hcl-edit stops at 64 itself, and deeper
/// input is left to it (and its error).
const MAX_DEPTH: usize = 64;

/// Directives of a template still open.
#[derive(Clone, Copy, PartialEq)]
enum Directive {
    If,
    Else,
    For,
}

pub(super) struct Check<'t> {
    text: &'t str,
    b: &'t [u8],
    /// The position reached.
    pub i: usize,
    depth: usize,
}

/// `Some` when valid; `None` when invalid or unsure.
type Valid = Option<()>;

impl<'t> Check<'t> {
    pub fn new(text: &'t str, i: usize) -> Self {
        Check {
            text,
            b: text.as_bytes(),
            i,
            depth: 0,
        }
    }

    fn at(&self, k: usize) -> Option<u8> {
        self.b.get(self.i + k).copied()
    }

    fn starts(&self, s: &[u8]) -> bool {
        self.b[self.i.min(self.b.len())..].starts_with(s)
    }

    /// Skip spaces and comments, and line breaks unless `lines` (they end
    /// an attribute or an object item).
    fn skip(&mut self, lines: bool) -> Valid {
        loop {
            match self.at(0) {
                Some(b' ' | b'\t') => self.i += 1,
                // A carriage return only before a line feed.
                Some(b'\r') if self.at(1) == Some(b'\n') => self.i += 1,
                Some(b'\n') if !lines => self.i += 1,
                Some(b'#') => self.i = self.line_end(),
                Some(b'/') if self.at(1) == Some(b'/') => self.i = self.line_end(),
                Some(b'/') if self.at(1) == Some(b'*') => {
                    let n = self.text[self.i + 2..].find("*/")?;
                    self.i += 2 + n + 2;
                }
                _ => return Some(()),
            }
        }
    }

    fn line_end(&self) -> usize {
        memchr::memchr(b'\n', &self.b[self.i..]).map_or(self.b.len(), |n| self.i + n)
    }

    /// The next byte after trivia.
    fn peek(&mut self, lines: bool) -> Option<u8> {
        self.skip(lines)?;
        self.at(0)
    }

    fn expect(&mut self, c: u8, lines: bool) -> Valid {
        (self.peek(lines)? == c).then(|| self.i += 1)
    }

    fn enter(&mut self) -> Valid {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// An identifier at the position.
    fn ident(&mut self) -> Option<&'t [u8]> {
        let start = self.i;
        if !self
            .at(0)
            .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
        {
            return None;
        }
        while self
            .at(0)
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-'))
        {
            self.i += 1;
        }
        Some(&self.b[start..self.i])
    }

    /// Is the keyword `kw` next (not the start of a longer name)?
    fn keyword(&self, kw: &[u8]) -> bool {
        self.starts(kw)
            && !self
                .b
                .get(self.i + kw.len())
                .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-'))
    }

    /// A body from after its `{` to after its `}`: attributes (`name =
    /// value`, each name once) and blocks (`name label* { … }`), one per
    /// line, or one item in a one-line block.
    pub fn body(&mut self) -> Valid {
        self.enter()?;
        // A one-line block (`b { x = 1 }`) holds at most one item; other
        // bodies start on a new line.
        let one_line = self.peek(true)? != b'\n';
        let mut attributes: Vec<&[u8]> = Vec::new();
        loop {
            if self.peek(false)? == b'}' {
                self.i += 1;
                break;
            }
            let name = self.ident()?;
            if self.peek(true)? == b'=' && self.at(1) != Some(b'=') {
                self.i += 1;
                attributes.push(name);
                self.expr(true)?;
            } else {
                loop {
                    match self.peek(true)? {
                        b'"' => self.label()?,
                        b'{' => break,
                        _ => {
                            self.ident()?;
                        }
                    }
                }
                self.i += 1;
                self.body()?;
            }
            match self.peek(true)? {
                b'\n' if !one_line => {}
                b'}' if one_line => {}
                _ => return None,
            }
        }
        self.leave();
        unique(attributes)
    }

    /// A block label: a quoted string without interpolation.
    fn label(&mut self) -> Valid {
        let start = self.i;
        self.quoted()?;
        let inner = &self.b[start + 1..self.i - 1];
        (!inner.windows(2).any(|w| matches!(w, b"${" | b"%{"))).then_some(())
    }

    /// An expression; with `lines`, a line break ends it.
    fn expr(&mut self, lines: bool) -> Valid {
        self.enter()?;
        self.binary(lines)?;
        if self.peek(lines) == Some(b'?') {
            self.i += 1;
            self.expr(lines)?;
            self.expect(b':', lines)?;
            self.expr(lines)?;
        }
        self.leave();
        Some(())
    }

    fn binary(&mut self, lines: bool) -> Valid {
        self.unary(lines)?;
        loop {
            let width = match (self.peek(lines), self.at(1)) {
                (Some(b'=' | b'!'), Some(b'=')) => 2,
                (Some(b'<' | b'>'), Some(b'=')) => 2,
                (Some(b'&'), Some(b'&')) | (Some(b'|'), Some(b'|')) => 2,
                (Some(b'<'), Some(b'<')) => return None,
                (Some(b'<' | b'>' | b'+' | b'-' | b'*' | b'/' | b'%'), _) => 1,
                _ => return Some(()),
            };
            self.i += width;
            self.unary(lines)?;
        }
    }

    fn unary(&mut self, lines: bool) -> Valid {
        while matches!(self.peek(lines)?, b'-' | b'!') {
            self.i += 1;
        }
        self.primary(lines)?;
        // Attribute access, index, splat.
        loop {
            match self.peek(lines) {
                Some(b'.') if self.starts(b"...") => return Some(()),
                Some(b'.') => {
                    self.i += 1;
                    match self.at(0)? {
                        b'*' => self.i += 1,
                        c if c.is_ascii_digit() => {
                            while self.at(0).is_some_and(|c| c.is_ascii_digit()) {
                                self.i += 1;
                            }
                        }
                        _ => {
                            self.ident()?;
                        }
                    }
                }
                Some(b'[') => {
                    self.i += 1;
                    if self.peek(false)? == b'*' {
                        self.i += 1;
                    } else {
                        self.expr(false)?;
                    }
                    self.expect(b']', false)?;
                }
                _ => return Some(()),
            }
        }
    }

    fn primary(&mut self, lines: bool) -> Valid {
        match self.peek(lines)? {
            c if c.is_ascii_digit() => self.number(),
            b'"' => self.quoted(),
            b'<' if self.at(1) == Some(b'<') => self.heredoc(),
            b'(' => {
                self.i += 1;
                self.expr(false)?;
                self.expect(b')', false)
            }
            b'[' => {
                self.i += 1;
                self.skip(false)?;
                if self.keyword(b"for") {
                    return self.for_expr(b']');
                }
                self.items(b']')
            }
            b'{' => {
                self.i += 1;
                self.skip(false)?;
                if self.keyword(b"for") {
                    return self.for_expr(b'}');
                }
                self.object()
            }
            _ => {
                self.ident()?;
                // Provider functions: `provider::aws::arn_parse(…)`.
                while self.starts(b"::") {
                    self.i += 2;
                    self.ident()?;
                }
                if self.at(0) == Some(b'(') {
                    self.i += 1;
                    self.items(b')')?;
                }
                Some(())
            }
        }
    }

    /// List items or call arguments up to `close`: comma-separated, a
    /// trailing comma allowed; `...` after the last argument of a call.
    fn items(&mut self, close: u8) -> Valid {
        loop {
            if self.peek(false)? == close {
                self.i += 1;
                return Some(());
            }
            self.expr(false)?;
            match self.peek(false)? {
                b',' => self.i += 1,
                b'.' if close == b')' && self.starts(b"...") => {
                    self.i += 3;
                    return self.expect(close, false);
                }
                c if c == close => {}
                _ => return None,
            }
        }
    }

    /// `for k, v in coll : value` (`: key => value ...?` in braces), an
    /// optional `if cond`, then `close`.
    fn for_expr(&mut self, close: u8) -> Valid {
        self.i += 3;
        self.for_head()?;
        self.expect(b':', false)?;
        self.expr(false)?;
        if close == b'}' {
            self.skip(false)?;
            if !self.starts(b"=>") {
                return None;
            }
            self.i += 2;
            self.expr(false)?;
            self.skip(false)?;
            if self.starts(b"...") {
                self.i += 3;
            }
        }
        self.skip(false)?;
        if self.keyword(b"if") {
            self.i += 2;
            self.expr(false)?;
        }
        self.expect(close, false)
    }

    /// What follows `for` in a `for` expression or directive: `k, v in
    /// coll` (the key name optional).
    fn for_head(&mut self) -> Valid {
        self.skip(false)?;
        self.ident()?;
        if self.peek(false)? == b',' {
            self.i += 1;
            self.skip(false)?;
            self.ident()?;
        }
        self.skip(false)?;
        if !self.keyword(b"in") {
            return None;
        }
        self.i += 2;
        self.expr(false)
    }

    /// Object items `key = value` or `key: value`, separated by commas or
    /// line breaks, each key once.
    fn object(&mut self) -> Valid {
        let mut keys: Vec<&[u8]> = Vec::new();
        loop {
            if self.peek(false)? == b'}' {
                self.i += 1;
                return unique(keys);
            }
            let start = self.i;
            self.expr(true)?;
            let key = self.b[start..self.i].trim_ascii_end();
            let plain = key.strip_prefix(b"\"").and_then(|k| k.strip_suffix(b"\""));
            match plain {
                Some(k) if !k.contains(&b'\\') && !k.windows(2).any(|w| w == b"${") => keys.push(k),
                None if key
                    .iter()
                    .all(|c| c.is_ascii_alphanumeric() || b"_-".contains(c)) =>
                {
                    keys.push(key)
                }
                _ => {}
            }
            match self.peek(true)? {
                b'=' if self.at(1) != Some(b'=') => {}
                b':' => {}
                _ => return None,
            }
            self.i += 1;
            self.expr(true)?;
            match self.peek(true)? {
                b',' | b'\n' => self.i += 1,
                b'}' => {}
                _ => return None,
            }
        }
    }

    fn number(&mut self) -> Valid {
        let digits = |s: &mut Self| {
            let start = s.i;
            while s.at(0).is_some_and(|c| c.is_ascii_digit()) {
                s.i += 1;
            }
            s.i > start
        };
        digits(self);
        if self.at(0) == Some(b'.') && self.at(1).is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
            digits(self);
        }
        if matches!(self.at(0), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.at(0), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !digits(self) {
                return None;
            }
        }
        Some(())
    }

    /// A quoted template, from its `"` to after the closing one.
    fn quoted(&mut self) -> Valid {
        self.i += 1;
        self.template(None)?;
        self.expect(b'"', false)
    }

    /// A heredoc, from `<<` to the last byte of its closing marker.
    fn heredoc(&mut self) -> Valid {
        self.i += 2;
        if self.at(0) == Some(b'-') {
            self.i += 1;
        }
        let tag = self.ident()?;
        let rest = &self.b[self.i..];
        let nl = memchr::memchr(b'\n', rest)?;
        if !rest[..nl].iter().all(|c| matches!(c, b' ' | b'\t' | b'\r')) {
            return None;
        }
        let body = self.i + nl + 1;
        let mut at = body;
        let (end, indent) = loop {
            let line_end = memchr::memchr(b'\n', &self.b[at..]).map(|n| at + n);
            let line = &self.b[at..line_end.unwrap_or(self.b.len())];
            let trimmed = line.trim_ascii();
            if trimmed == tag {
                let indent = line.iter().take_while(|c| c.is_ascii_whitespace()).count();
                break (at, indent);
            }
            // `EOT}`: a closing marker run into something else; left to
            // hcl-edit.
            if trimmed.starts_with(tag) {
                return None;
            }
            at = line_end? + 1;
        };
        self.i = body;
        self.template(Some(end))?;
        self.i = end + indent + tag.len();
        Some(())
    }

    /// Template text from the position: up to `end` (a heredoc) or to the
    /// closing `"` (a quoted string, which it stops before), with its
    /// interpolations and directives checked and balanced.
    fn template(&mut self, end: Option<usize>) -> Valid {
        let mut open: Vec<Directive> = Vec::new();
        loop {
            if end == Some(self.i) {
                break;
            }
            let c = self.at(0)?;
            match c {
                b'"' if end.is_none() => break,
                b'\n' if end.is_none() => return None,
                b'\\' if end.is_none() => {
                    let hex = match self.at(1)? {
                        b'n' | b'r' | b't' | b'"' | b'\\' => 0,
                        b'u' => 4,
                        b'U' => 8,
                        _ => return None,
                    };
                    self.i += 2;
                    for _ in 0..hex {
                        if !self.at(0)?.is_ascii_hexdigit() {
                            return None;
                        }
                        self.i += 1;
                    }
                }
                b'$' | b'%' if self.at(1) == Some(c) && self.at(2) == Some(b'{') => self.i += 3,
                b'$' if self.at(1) == Some(b'{') => {
                    self.i += 2;
                    self.strip();
                    self.expr(false)?;
                    self.close_interpolation()?;
                }
                b'%' if self.at(1) == Some(b'{') => {
                    self.i += 2;
                    self.strip();
                    self.skip(false)?;
                    self.directive(&mut open)?;
                    self.close_interpolation()?;
                }
                _ => self.i += 1,
            }
        }
        open.is_empty().then_some(())
    }

    fn strip(&mut self) {
        if self.at(0) == Some(b'~') {
            self.i += 1;
        }
    }

    fn close_interpolation(&mut self) -> Valid {
        self.skip(false)?;
        self.strip();
        self.expect(b'}', false)
    }

    fn directive(&mut self, open: &mut Vec<Directive>) -> Valid {
        let word = self.ident()?;
        match word {
            b"if" => {
                self.expr(false)?;
                open.push(Directive::If);
            }
            b"else" => {
                if open.pop()? != Directive::If {
                    return None;
                }
                open.push(Directive::Else);
            }
            b"endif" => {
                if !matches!(open.pop()?, Directive::If | Directive::Else) {
                    return None;
                }
            }
            b"for" => {
                self.for_head()?;
                open.push(Directive::For);
            }
            b"endfor" => {
                if open.pop()? != Directive::For {
                    return None;
                }
            }
            _ => return None,
        }
        Some(())
    }
}

/// No name twice.
fn unique(mut names: Vec<&[u8]>) -> Valid {
    names.sort_unstable();
    (!names.windows(2).any(|w| w[0] == w[1])).then_some(())
}
