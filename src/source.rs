//! Source files and positions: byte spans, the per-file line index, and
//! conversion to 1-based line/column (columns count characters).
//!
//! Every parser produces byte spans into the file's decoded text; this module
//! is the only place that turns them into lines and columns.

use std::sync::OnceLock;

/// A byte range into a source file's text. `start <= end`, both on char boundaries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const EMPTY: Span = Span { start: 0, end: 0 };

    pub fn new(start: usize, end: usize) -> Self {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        Span { start, end }
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Shift a span found in an embedded text by the embedding's start offset.
    pub fn offset(self, by: usize) -> Self {
        Span::new(self.start as usize + by, self.end as usize + by)
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A 1-based line and column (in characters) plus the byte offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

/// A file's decoded text with a line index, built the first time a
/// position is asked for (most files have no finding and never need it).
#[derive(Debug)]
pub struct SourceFile {
    /// Path as displayed (relative to the scan root, `/` separators).
    pub path: String,
    /// Owned as read: a file's bytes are copied once, from the kernel.
    pub text: String,
    index: OnceLock<Index>,
}

#[derive(Debug)]
struct Index {
    line_starts: Vec<u32>,
    /// For text that is not ASCII, the number of characters before every
    /// [`CHAR_MARK`]-th byte (on a char boundary at or before it), so a
    /// column is counted over at most that many bytes: counting from the
    /// start of the line made a minified file with many findings on its
    /// one line quadratic. Empty for ASCII text, where bytes are chars.
    char_marks: Vec<(u32, u32)>,
}

/// Spacing of [`SourceFile::char_marks`] in bytes.
const CHAR_MARK: usize = 4096;

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile {
            path: path.into(),
            text: text.into(),
            index: OnceLock::new(),
        }
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| Index::new(&self.text))
    }
}

impl Index {
    fn new(text: &str) -> Self {
        let mut line_starts = vec![0u32];
        line_starts.extend(
            memchr::memchr_iter(b'\n', text.as_bytes())
                .map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        let mut char_marks = Vec::new();
        if !text.is_ascii() {
            let mut chars = 0u32;
            let mut next = 0usize;
            for (i, _) in text.char_indices() {
                if i >= next {
                    char_marks.push((u32::try_from(i).unwrap_or(u32::MAX), chars));
                    next = i + CHAR_MARK;
                }
                chars = chars.saturating_add(1);
            }
        }
        Index {
            line_starts,
            char_marks,
        }
    }

    /// Characters before byte `offset` (a char boundary) in `text`.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        if self.char_marks.is_empty() {
            return offset;
        }
        let i = self
            .char_marks
            .partition_point(|&(b, _)| b as usize <= offset)
            .saturating_sub(1);
        let (b, c) = self.char_marks.get(i).copied().unwrap_or((0, 0));
        let b = (b as usize).min(offset);
        c as usize + text[b..offset].chars().count()
    }
}

impl SourceFile {
    pub fn line_starts(&self) -> &[u32] {
        &self.index().line_starts
    }

    /// Clamp an offset into the text and move it back to a char boundary.
    pub fn clamp(&self, offset: usize) -> usize {
        let mut o = offset.min(self.text.len());
        while o > 0 && !self.text.is_char_boundary(o) {
            o -= 1;
        }
        o
    }

    /// 0-based line index containing `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        let offset = u32::try_from(offset).unwrap_or(u32::MAX);
        match self.line_starts().binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = self.clamp(offset);
        let line = self.line_index(offset);
        let start = self.line_starts().get(line).map_or(0, |&s| s as usize);
        let index = self.index();
        let mut column =
            index.chars_before(&self.text, offset) - index.chars_before(&self.text, start) + 1;
        // A CR of a CRLF line ending belongs to the line break, not the column count.
        if self.text[start..offset].ends_with('\r') {
            column -= 1;
        }
        Position {
            line: line + 1,
            column,
            offset,
        }
    }

    /// The text of a 1-based line without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let starts = self.line_starts();
        let Some(&start) = starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = starts.get(line).map_or(self.text.len(), |&e| e as usize);
        self.text[start as usize..end].trim_end_matches(['\n', '\r'])
    }

    pub fn slice(&self, span: Span) -> &str {
        let s = self.clamp(span.start as usize);
        let e = self.clamp(span.end as usize).max(s);
        &self.text[s..e]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let f = SourceFile::new("x", "ab\néé x\r\ny");
        assert_eq!(f.position(0).line, 1);
        let p = f.position(3 + 4 + 1); // after "éé " on line 2
        assert_eq!((p.line, p.column), (2, 4));
        let p = f.position(f.text.len() - 1);
        assert_eq!((p.line, p.column), (3, 1));
        assert_eq!(f.line_text(2), "éé x");
    }

    #[test]
    fn columns_on_a_long_non_ascii_line() {
        let line = "é".repeat(10_000) + "x" + &"ü".repeat(5_000);
        let f = SourceFile::new("x", format!("a\n{line}"));
        let x = 2 + 20_000;
        assert_eq!(&f.text[x..=x], "x");
        let p = f.position(x);
        assert_eq!((p.line, p.column), (2, 10_001));
        let p = f.position(f.text.len());
        assert_eq!((p.line, p.column), (2, 15_002));
    }
}
