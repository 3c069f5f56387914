//! A span-keeping reader of shell command lines, enough to find `aws sts`
//! commands and their options (SPEC §1.1).
//!
//! No shell parser on crates.io keeps byte positions through quoting and
//! command substitution (conch-parser is unmaintained and drops them), so
//! this is a small tokenizer: words with their unquoted text and source
//! span, and separators (`;`, `&&`, `|`, newlines, `$(`, `)`, back-quotes).
//! A `$(…)` or back-quoted command, even inside double quotes, is read as
//! commands of its own, so `export $(printf … $(aws sts …))` is seen.
//! Comments, `\` line continuations and quoting are handled; nothing is
//! expanded or executed.

use crate::load::embedded::Mapped;
use crate::source::Span;

/// A word of a command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// The text with quotes removed (expansions such as `$X` kept as
    /// written).
    pub text: String,
    /// Where the word is in the file.
    pub span: Span,
    /// The word holds a `$` expansion or a command substitution outside
    /// single quotes: its value is not the text.
    pub expands: bool,
}

/// A token: a word, or the end of a command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    Word(Word),
    /// `;`, `&`, `&&`, `||`, `|`, a newline, `(`, `)`, `$(`, a back-quote,
    /// `{`, `}`: the command before it ends.
    Sep,
}

/// Tokenize a script whose text is `m.text` (mapped to file offsets).
/// Bounded: at most `MAX_TOKENS` tokens.
pub fn tokenize(m: &Mapped) -> Vec<Tok> {
    let mut t = Tokenizer {
        b: m.text.as_bytes(),
        m,
        i: 0,
        out: Vec::new(),
    };
    t.commands(None, 0);
    t.out
}

/// More tokens than this in one script are not read (a generated file).
pub const MAX_TOKENS: usize = 1_000_000;
/// Command substitutions nest at most this deep.
const MAX_NESTING: usize = 64;

struct Tokenizer<'a> {
    b: &'a [u8],
    m: &'a Mapped,
    i: usize,
    out: Vec<Tok>,
}

/// A word being read.
#[derive(Default)]
struct Building {
    text: Vec<u8>,
    start: Option<usize>,
    expands: bool,
}

impl Tokenizer<'_> {
    fn sep(&mut self) {
        if !matches!(self.out.last(), Some(Tok::Sep) | None) {
            self.out.push(Tok::Sep);
        }
    }

    fn finish(&mut self, w: &mut Building) {
        if let Some(start) = w.start.take() {
            let text = String::from_utf8_lossy(&w.text).into_owned();
            self.out.push(Tok::Word(Word {
                text,
                span: self.m.span(start..self.i),
                expands: w.expands,
            }));
        }
        w.text.clear();
        w.expands = false;
    }

    /// Read commands until `until` (`)` or a back-quote) or the end.
    fn commands(&mut self, until: Option<u8>, depth: usize) {
        let mut w = Building::default();
        while self.i < self.b.len() && self.out.len() < MAX_TOKENS {
            let c = self.b[self.i];
            if Some(c) == until {
                self.finish(&mut w);
                self.i += 1;
                self.sep();
                return;
            }
            match c {
                b'\\' if self.b.get(self.i + 1) == Some(&b'\n') => {
                    self.i += 2;
                }
                b'\\'
                    if self.b.get(self.i + 1) == Some(&b'\r')
                        && self.b.get(self.i + 2) == Some(&b'\n') =>
                {
                    self.i += 3;
                }
                b'\\' => {
                    w.start.get_or_insert(self.i);
                    if let Some(&n) = self.b.get(self.i + 1) {
                        w.text.push(n);
                    }
                    self.i = (self.i + 2).min(self.b.len());
                }
                b' ' | b'\t' | b'\r' => {
                    self.finish(&mut w);
                    self.i += 1;
                }
                b'#' if w.start.is_none() => {
                    while self.i < self.b.len() && self.b[self.i] != b'\n' {
                        self.i += 1;
                    }
                }
                b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'{' | b'}' | b'<' | b'>' => {
                    self.finish(&mut w);
                    self.i += 1;
                    self.sep();
                }
                b'\'' => {
                    w.start.get_or_insert(self.i);
                    self.i += 1;
                    while self.i < self.b.len() && self.b[self.i] != b'\'' {
                        w.text.push(self.b[self.i]);
                        self.i += 1;
                    }
                    self.i = (self.i + 1).min(self.b.len());
                }
                b'"' => {
                    w.start.get_or_insert(self.i);
                    self.i += 1;
                    self.double_quoted(&mut w, depth);
                }
                b'`' if depth < MAX_NESTING => {
                    self.finish(&mut w);
                    self.i += 1;
                    self.sep();
                    self.commands(Some(b'`'), depth + 1);
                }
                b'$' if self.b.get(self.i + 1) == Some(&b'(') && depth < MAX_NESTING => {
                    self.finish(&mut w);
                    self.i += 2;
                    self.sep();
                    self.commands(Some(b')'), depth + 1);
                }
                b'$' => {
                    w.start.get_or_insert(self.i);
                    w.expands = true;
                    w.text.push(c);
                    self.i += 1;
                }
                _ => {
                    w.start.get_or_insert(self.i);
                    w.text.push(c);
                    self.i += 1;
                }
            }
        }
        self.finish(&mut w);
    }

    /// Inside `"…"`: escapes, expansions, and command substitutions read as
    /// commands of their own.
    fn double_quoted(&mut self, w: &mut Building, depth: usize) {
        while self.i < self.b.len() && self.out.len() < MAX_TOKENS {
            let c = self.b[self.i];
            match c {
                b'"' => {
                    self.i += 1;
                    return;
                }
                b'\\' => {
                    if let Some(&n) = self.b.get(self.i + 1) {
                        if n != b'\n' {
                            w.text.push(n);
                        }
                    }
                    self.i = (self.i + 2).min(self.b.len());
                }
                b'$' if self.b.get(self.i + 1) == Some(&b'(') && depth < MAX_NESTING => {
                    // The substitution's commands are read on their own;
                    // the word around it is not a literal any more.
                    w.expands = true;
                    w.text.extend_from_slice(b"$(...)");
                    let saved = std::mem::take(w);
                    self.i += 2;
                    self.sep();
                    self.commands(Some(b')'), depth + 1);
                    *w = saved;
                }
                b'`' if depth < MAX_NESTING => {
                    w.expands = true;
                    let saved = std::mem::take(w);
                    self.i += 1;
                    self.sep();
                    self.commands(Some(b'`'), depth + 1);
                    *w = saved;
                }
                b'$' => {
                    w.expands = true;
                    w.text.push(c);
                    self.i += 1;
                }
                _ => {
                    w.text.push(c);
                    self.i += 1;
                }
            }
        }
    }
}

/// The commands of a token list: runs of words between separators.
pub fn commands(toks: &[Tok]) -> impl Iterator<Item = Vec<&Word>> {
    toks.split(|t| matches!(t, Tok::Sep))
        .map(|run| {
            run.iter()
                .filter_map(|t| match t {
                    Tok::Word(w) => Some(w),
                    Tok::Sep => None,
                })
                .collect::<Vec<_>>()
        })
        .filter(|c| !c.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<Vec<String>> {
        let toks = tokenize(&Mapped::identity(s, 0));
        commands(&toks)
            .map(|c| c.iter().map(|w| w.text.clone()).collect())
            .collect()
    }

    #[test]
    fn quoting_continuations_and_substitutions() {
        assert_eq!(
            words("aws sts assume-role \\\n  --duration-seconds \"$d\" # 1 h\nx=1"),
            vec![
                vec!["aws", "sts", "assume-role", "--duration-seconds", "$d"],
                vec!["x=1"]
            ]
        );
        assert_eq!(
            words("export $(printf 'A=%s' $(aws sts get-session-token --duration-seconds 900))"),
            vec![
                vec!["export"],
                vec!["printf", "A=%s"],
                vec![
                    "aws",
                    "sts",
                    "get-session-token",
                    "--duration-seconds",
                    "900"
                ]
            ]
        );
        assert_eq!(
            words("CREDS=\"$(aws sts assume-role --role-arn 'arn:a b')\"; echo ok"),
            vec![
                vec!["aws", "sts", "assume-role", "--role-arn", "arn:a b"],
                vec!["CREDS=$(...)"],
                vec!["echo", "ok"]
            ]
        );
    }

    #[test]
    fn spans_cover_the_word_as_written() {
        let s = "aws sts assume-role --policy '{\"a\": 1}'";
        let toks = tokenize(&Mapped::identity(s, 10));
        let Tok::Word(w) = &toks[4] else { panic!() };
        assert_eq!(w.text, "{\"a\": 1}");
        assert_eq!(w.span, Span::new(39, 49));
    }

    #[test]
    fn unterminated_input_is_bounded() {
        for s in ["'abc", "\"abc $(x", "`a", "$(((((", "\\"] {
            let _ = tokenize(&Mapped::identity(s, 0));
        }
        let deep = "$(".repeat(10_000);
        let _ = tokenize(&Mapped::identity(&deep, 0));
    }
}
