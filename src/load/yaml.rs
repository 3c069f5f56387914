//! YAML (CloudFormation / SAM flavour) into spanned [`Node`] trees, built
//! from saphyr-parser events (research/crates.md §2).
//!
//! [`parse`] first tries the hand-written fast path of `yaml_fast.rs`,
//! which covers the block-style subset real templates are written in and
//! gives exactly the tree this builder would (kinds, text, every span); on
//! anything else it declines and the saphyr builder below runs, producing
//! the tree or the error message. The span helpers both share
//! (`content_start`, `scalar_inner`, `wrap_local`) live here.
//! `tests/yaml_fast.rs` checks the two against each other.
//!
//! What this module owns:
//! - **Byte spans** on every key and value. saphyr's `Marker::index` counts
//!   characters; [`Offsets`] converts them (identity for ASCII files).
//! - **CloudFormation short-form tags** normalised to the long form, so the
//!   same extraction code serves JSON and YAML: `!Ref x` → `{"Ref": x}`,
//!   `!Condition x` → `{"Condition": x}`, `!GetAtt A.B` →
//!   `{"Fn::GetAtt": ["A", "B"]}`, any other `!Foo x` → `{"Fn::Foo": x}`
//!   (unknown tags included). The synthetic object spans the tagged node;
//!   its key spans the tag text.
//! - **Scalar resolution** done here, not by the parser: quoted scalars are
//!   strings; `true`/`false`, `null`/`~`/empty and numbers only in plain
//!   style; numbers keep their text; dates are never recognised. Scalars
//!   under a CloudFormation tag are strings.
//! - **Limits**: nesting depth ([`MAX_DEPTH`], a tag counts as a level),
//!   values per file ([`super::MAX_VALUES`]), and aliases are expanded
//!   against a node budget ([`ALIAS_BUDGET`], where text weighs a node per
//!   [`BYTES_PER_NODE`] bytes) so an alias bomb — of many nodes or of one
//!   long string — is an error, not a hang. The builder is iterative.
//! - Multi-document streams: one [`Node`] per document.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use super::{ParseError, MAX_DEPTH};
use crate::limit::{self, Limit};
use crate::source::Span;
use crate::tree::{sanitize, Entry, Kind, Node};

use super::yaml_scalar::{
    content_start, core_scalar, merge_keys, plain, scalar_inner, tag_object, tag_span, wrap_local,
};

/// How many nodes alias expansion may create in one file. Real templates
/// use few or no aliases; a "billion laughs" file needs billions. A scalar
/// weighs one node per [`BYTES_PER_NODE`] bytes of text, so a long string
/// pasted many times is a bomb too.
pub const ALIAS_BUDGET: usize = 100_000;

/// The weight of scalar text in the alias and anchor budgets: a string of
/// `n` bytes counts as `1 + n / BYTES_PER_NODE` nodes.
pub const BYTES_PER_NODE: usize = 64;

/// How many nodes anchored values may hold in one file (they are copied
/// when defined; nested anchors copy the same nodes again).
pub const ANCHOR_BUDGET: usize = 1_000_000;

/// The YAML 1.2 core schema's tag handle (`!!str` is `tag:yaml.org,2002:str`).
pub(super) const CORE: &str = "tag:yaml.org,2002:";

/// Parse every document of a YAML stream. An empty stream gives no
/// documents; an empty document gives a `Null` node.
pub fn parse(text: &str) -> Result<Vec<Node>, ParseError> {
    if let Some(docs) = super::yaml_fast::parse(text) {
        return Ok(docs);
    }
    match Builder::new(text).run() {
        Ok(docs) => Ok(docs),
        Err(e) if e.message.contains("indentation") => relaxed(text).ok_or(e),
        Err(e) => Err(e),
    }
}

/// Both YAML builders on one text, for the differential tests and
/// benchmarks: the fast path (`yaml_fast.rs`, `None` when it declines)
/// and the saphyr builder (without the lenient retry of [`parse`]).
#[doc(hidden)]
pub fn parse_both(text: &str) -> (Option<Vec<Node>>, Result<Vec<Node>, ParseError>) {
    (super::yaml_fast::parse(text), Builder::new(text).run())
}

/// The fast path alone (see [`parse_both`]).
#[doc(hidden)]
pub fn parse_fast(text: &str) -> Option<Vec<Node>> {
    super::yaml_fast::parse(text)
}

/// The saphyr builder alone (see [`parse_both`]).
#[doc(hidden)]
pub fn parse_builder(text: &str) -> Result<Vec<Node>, ParseError> {
    Builder::new(text).run()
}

/// PyYAML, and so CloudFormation, accept flow collections and quoted
/// scalars whose continuation lines are indented less than YAML 1.2 asks
/// (a closing `]` under its key, a long quoted string wrapped at column 0);
/// saphyr rejects them. White space at the start of such lines means
/// nothing, so indent them and parse again, then shift the spans back.
fn relaxed(text: &str) -> Option<Vec<Node>> {
    let (padded, inserts) = pad_continuations(text)?;
    let mut docs = Builder::new(&padded).run().ok()?;
    let shift = Shift { inserts };
    for d in &mut docs {
        shift.node(d, 0);
    }
    Some(docs)
}

/// Spaces inserted into a text: position in the padded text, count, and
/// the running total of earlier insertions.
type Insert = (usize, usize, usize);

struct Shift {
    /// Sorted by position.
    inserts: Vec<Insert>,
}

impl Shift {
    fn pos(&self, p: usize) -> usize {
        let i = self.inserts.partition_point(|&(at, _, _)| at <= p);
        match i.checked_sub(1).and_then(|i| self.inserts.get(i)) {
            None => p,
            Some(&(at, count, before)) => {
                if p < at + count {
                    at - before
                } else {
                    p - before - count
                }
            }
        }
    }

    fn span(&self, s: Span) -> Span {
        Span::new(self.pos(s.start as usize), self.pos(s.end as usize))
    }

    // Bounded: the tree was built under MAX_DEPTH.
    fn node(&self, n: &mut Node, depth: usize) {
        n.span = self.span(n.span);
        if depth > MAX_DEPTH + 1 {
            return;
        }
        match &mut n.kind {
            Kind::Arr(items) => items.iter_mut().for_each(|i| self.node(i, depth + 1)),
            Kind::Obj(entries) => entries.iter_mut().for_each(|e| {
                e.key_span = self.span(e.key_span);
                self.node(&mut e.value, depth + 1);
            }),
            _ => {}
        }
    }
}

/// Indent the continuation lines of flow collections and quoted scalars
/// past the line that opened them. `None` when nothing needed it.
fn pad_continuations(text: &str) -> Option<(String, Vec<Insert>)> {
    let mut out = String::with_capacity(text.len() + 256);
    let mut inserts = Vec::new();
    let mut total = 0;
    let mut flow = 0usize;
    let mut quote: Option<char> = None;
    let mut block_parent: Option<usize> = None;
    let mut base = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_start_matches([' ', '\t']);
        let indent = line.len() - content.len();
        let blank = content.trim().is_empty();
        if let Some(parent) = block_parent {
            if blank || indent > parent {
                out.push_str(line);
                continue;
            }
            block_parent = None;
        }
        let continuing = flow > 0 || quote.is_some();
        if continuing && !blank && indent <= base {
            let add = base + 2 - indent;
            inserts.push((out.len(), add, total));
            total += add;
            out.extend(std::iter::repeat_n(' ', add));
        } else if !continuing {
            // The column of the line's node, after any `- ` entries.
            let mut rest = content;
            while let Some(r) = rest
                .strip_prefix('-')
                .filter(|r| r.starts_with([' ', '\t']))
            {
                rest = r.trim_start_matches([' ', '\t']);
            }
            base = line.len() - rest.len();
        }
        out.push_str(line);
        if let Some(b) = scan_line(content, &mut flow, &mut quote) {
            if b {
                block_parent = Some(base);
            }
        }
    }
    if inserts.is_empty() {
        None
    } else {
        Some((out, inserts))
    }
}

/// Track flow depth and open quotes across one line. Returns `Some(true)`
/// when the line opens a block scalar (`key: |`).
fn scan_line(content: &str, flow: &mut usize, quote: &mut Option<char>) -> Option<bool> {
    let mut last: Option<char> = None;
    let mut prev_blank = true;
    let mut chars = content.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if let Some(q) = *quote {
            if q == '"' && c == '\\' {
                chars.next();
            } else if c == q {
                if q == '\'' && chars.peek().map(|x| x.1) == Some('\'') {
                    chars.next();
                } else {
                    *quote = None;
                    last = Some(c);
                }
            }
            prev_blank = false;
            continue;
        }
        let token_start = matches!(last, None | Some(':' | '-' | '[' | '{' | ',' | '?'));
        match c {
            ' ' | '\t' | '\r' | '\n' => {
                prev_blank = true;
                continue;
            }
            '#' if prev_blank => break,
            '"' | '\'' if token_start && prev_blank || matches!(last, Some('[' | '{' | ',')) => {
                *quote = Some(c);
            }
            '[' | '{' if token_start || *flow > 0 => *flow += 1,
            ']' | '}' if *flow > 0 => *flow -= 1,
            '|' | '>' if *flow == 0 && token_start && prev_blank => {
                let rest = content[i + 1..]
                    .trim_start_matches(|x: char| x.is_ascii_digit() || x == '+' || x == '-');
                let rest = rest.trim();
                if rest.is_empty() || rest.starts_with('#') {
                    return Some(true);
                }
            }
            _ => {}
        }
        last = Some(c);
        prev_blank = false;
    }
    None
}

/// Character index → byte offset.
struct Offsets {
    /// `None` for ASCII text, where the two are the same.
    table: Option<Vec<u32>>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Self {
        let table = if text.is_ascii() {
            None
        } else {
            let mut t: Vec<u32> = text
                .char_indices()
                .map(|(i, _)| u32::try_from(i).unwrap_or(u32::MAX))
                .collect();
            t.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
            Some(t)
        };
        Offsets {
            table,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.table {
            None => char_index.min(self.len),
            Some(t) => t
                .get(char_index)
                .map_or(self.len, |&b| (b as usize).min(self.len)),
        }
    }

    fn span(&self, sp: saphyr_parser::Span) -> Span {
        Span::new(self.byte(sp.start.index()), self.byte(sp.end.index()))
    }
}

/// A node under construction, with what the limits need to know.
struct Built {
    node: Node,
    /// The scalar's text as written, for mapping keys.
    raw: Option<String>,
    /// Nodes in the subtree (alias budget).
    size: usize,
    /// Levels in the subtree (depth limit when an alias is pasted).
    height: usize,
}

enum Container {
    Seq(Vec<Node>),
    Map {
        entries: Vec<Entry>,
        key: Option<(String, Span)>,
    },
}

struct Frame {
    container: Container,
    start: usize,
    anchor: usize,
    tag: Option<Tag>,
    /// Nesting level of this container (tags count as a level).
    depth: usize,
    size: usize,
    height: usize,
}

struct Builder<'t> {
    text: &'t str,
    offsets: Offsets,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize, usize)>,
    expanded: usize,
    anchored: usize,
    /// Nodes built so far, against [`super::MAX_VALUES`].
    values: usize,
    docs: Vec<Node>,
    root: Option<Node>,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str) -> Self {
        Builder {
            text,
            offsets: Offsets::new(text),
            stack: Vec::new(),
            anchors: HashMap::new(),
            expanded: 0,
            anchored: 0,
            values: 0,
            docs: Vec::new(),
            root: None,
        }
    }

    fn err_at(&self, at: usize, message: impl Into<String>) -> ParseError {
        let end = self.text[at.min(self.text.len())..]
            .chars()
            .next()
            .map_or(at, |c| at + c.len_utf8());
        ParseError::new(Span::new(at, end), message)
    }

    fn run(mut self) -> Result<Vec<Node>, ParseError> {
        let mut parser = Parser::new_from_str(self.text);
        while let Some(next) = parser.next_event() {
            let (event, sp) = match next {
                Ok(x) => x,
                Err(e) => {
                    let at = self.offsets.byte(e.marker().index());
                    // saphyr counts flow levels in a u8.
                    return Err(match e.info() {
                        "recursion limit exceeded" => self
                            .err_at(at, "flow collections nested deeper than 255 levels")
                            .limit((Limit::NestingDepth, 255)),
                        other => self.err_at(at, other),
                    });
                }
            };
            let span = self.offsets.span(sp);
            match event {
                Event::StreamEnd => break,
                Event::Nothing | Event::StreamStart => {}
                Event::DocumentStart(_) => {
                    self.root = None;
                    self.anchors.clear();
                }
                Event::DocumentEnd => {
                    let root = self
                        .root
                        .take()
                        .unwrap_or_else(|| Node::new(span, Kind::Null));
                    self.docs.push(root);
                }
                Event::Scalar(value, style, anchor, tag) => {
                    let built = self.scalar(value, style, tag, span);
                    self.push(built, anchor)?;
                }
                Event::SequenceStart(anchor, tag) => {
                    self.open(Container::Seq(Vec::new()), anchor, tag, span)?;
                }
                Event::MappingStart(anchor, tag) => {
                    self.open(
                        Container::Map {
                            entries: Vec::new(),
                            key: None,
                        },
                        anchor,
                        tag,
                        span,
                    )?;
                }
                Event::SequenceEnd | Event::MappingEnd => self.close(span)?,
                Event::Alias(id) => {
                    let Some((node, size, height)) = self.anchors.get(&id) else {
                        return Err(self.err_at(span.start as usize, "unknown alias"));
                    };
                    let depth = self.stack.last().map_or(0, |f| f.depth);
                    if depth + height > MAX_DEPTH {
                        return Err(self
                            .err_at(
                                span.start as usize,
                                format!(
                                    "nesting deeper than {MAX_DEPTH} levels (through an alias)"
                                ),
                            )
                            .limit((Limit::NestingDepth, limit::value(MAX_DEPTH))));
                    }
                    self.expanded = self.expanded.saturating_add(*size);
                    if self.expanded > ALIAS_BUDGET {
                        return Err(self
                            .err_at(
                                span.start as usize,
                                format!(
                                    "alias expansion exceeds the budget of {ALIAS_BUDGET} nodes (an alias bomb?)"
                                ),
                            )
                            .limit((Limit::YamlAliasExpansion, limit::value(ALIAS_BUDGET))));
                    }
                    let built = Built {
                        node: node.clone(),
                        raw: None,
                        size: *size,
                        height: *height,
                    };
                    self.push(built, 0)?;
                }
            }
        }
        Ok(self.docs)
    }

    fn content_start(&self, span: Span) -> usize {
        content_start(self.text, span)
    }

    fn tag_span(&self, span: Span) -> Span {
        tag_span(self.text, span)
    }

    fn scalar(
        &self,
        value: Cow<'_, str>,
        style: ScalarStyle,
        tag: Option<Cow<'_, Tag>>,
        span: Span,
    ) -> Built {
        let block = matches!(style, ScalarStyle::Literal | ScalarStyle::Folded);
        let inner = scalar_inner(self.text, span, block);
        let raw = value.as_ref().to_owned();
        let kind = match (&tag, style) {
            (Some(t), _) if t.handle == CORE => core_scalar(&t.suffix, &raw),
            (Some(_), _) => Kind::Str(sanitize(raw.clone())),
            (None, ScalarStyle::Plain) => plain(&raw),
            (None, _) => Kind::Str(sanitize(raw.clone())),
        };
        let node = Node::new(inner, kind);
        let (node, height) = match tag {
            Some(t) if t.handle != CORE => {
                let outer = Span::new(span.start as usize, inner.end as usize);
                (self.wrap(&t, node, outer), 2)
            }
            _ => (node, 1),
        };
        Built {
            node,
            size: 1 + raw.len() / BYTES_PER_NODE,
            raw: Some(raw),
            height,
        }
    }

    /// `!Foo x` → `{"Fn::Foo": x}` spanning the tagged node.
    fn wrap(&self, tag: &Tag, inner: Node, outer: Span) -> Node {
        if tag.handle == "!" {
            wrap_local(self.text, &tag.suffix, inner, outer)
        } else {
            let key_span = self.tag_span(outer);
            tag_object(format!("Fn::{tag}"), key_span, inner, outer)
        }
    }

    fn open(
        &mut self,
        container: Container,
        anchor: usize,
        tag: Option<Cow<'_, Tag>>,
        span: Span,
    ) -> Result<(), ParseError> {
        let tag = tag.map(Cow::into_owned).filter(|t| t.handle != CORE);
        let parent = self.stack.last().map_or(0, |f| f.depth);
        let depth = parent + 1 + usize::from(tag.is_some());
        if depth > MAX_DEPTH {
            return Err(self
                .err_at(
                    span.start as usize,
                    format!("nesting deeper than {MAX_DEPTH} levels"),
                )
                .limit((Limit::NestingDepth, limit::value(MAX_DEPTH))));
        }
        self.stack.push(Frame {
            container,
            start: span.start as usize,
            anchor,
            tag,
            depth,
            size: 1,
            height: 1,
        });
        Ok(())
    }

    fn close(&mut self, span: Span) -> Result<(), ParseError> {
        let Some(frame) = self.stack.pop() else {
            return Err(self.err_at(span.start as usize, "unbalanced collection end"));
        };
        let last_end = match &frame.container {
            Container::Seq(items) => items.last().map(|n| n.span.end as usize),
            Container::Map { entries, .. } => entries.last().map(|e| e.value.span.end as usize),
        };
        // Flow collections end at their bracket; block ones at their last child.
        let end = if span.is_empty() {
            last_end.unwrap_or(frame.start).max(frame.start)
        } else {
            span.end as usize
        };
        let outer = Span::new(frame.start, end);
        let inner = Span::new(self.content_start(outer).min(end), end);
        let kind = match frame.container {
            Container::Seq(items) => Kind::Arr(items),
            Container::Map { entries, key } => {
                let mut entries = entries;
                if let Some((k, ks)) = key {
                    // A key with no value (`? k` alone).
                    entries.push(Entry {
                        key: k,
                        key_span: ks,
                        value: Node::new(Span::new(ks.end as usize, ks.end as usize), Kind::Null),
                    });
                }
                Kind::Obj(merge_keys(entries))
            }
        };
        let mut node = Node::new(inner, kind);
        let mut height = frame.height;
        if let Some(tag) = &frame.tag {
            node = self.wrap(tag, node, outer);
            height += 1;
        }
        let built = Built {
            node,
            raw: None,
            size: frame.size,
            height,
        };
        self.push(built, frame.anchor)
    }

    fn push(&mut self, built: Built, anchor: usize) -> Result<(), ParseError> {
        self.values += 1;
        if self.values > super::MAX_VALUES {
            return Err(super::too_many_values(built.node.span.start as usize));
        }
        if anchor != 0 {
            // Anchored subtrees are copied; nested anchors copy the same
            // nodes again, so the copies share the alias budget.
            self.anchored = self.anchored.saturating_add(built.size);
            if self.anchored > ANCHOR_BUDGET {
                return Err(self
                    .err_at(
                        built.node.span.start as usize,
                        format!("anchored values exceed the budget of {ANCHOR_BUDGET} nodes"),
                    )
                    .limit((Limit::YamlAnchoredCopies, limit::value(ANCHOR_BUDGET))));
            }
            self.anchors
                .insert(anchor, (built.node.clone(), built.size, built.height));
        }
        let Some(top) = self.stack.last_mut() else {
            self.root = Some(built.node);
            return Ok(());
        };
        top.size = top.size.saturating_add(built.size);
        top.height = top.height.max(built.height + 1);
        match &mut top.container {
            Container::Seq(items) => items.push(built.node),
            Container::Map { entries, key } => match key.take() {
                None => {
                    let text = match built.raw {
                        Some(r) => r,
                        // A collection as a key: keep its text.
                        None => self.text[built.node.span.range()].trim().to_owned(),
                    };
                    *key = Some((sanitize(text), built.node.span));
                }
                Some((k, key_span)) => entries.push(Entry {
                    key: k,
                    key_span,
                    value: built.node,
                }),
            },
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml_scalar::is_number;

    fn one(text: &str) -> Node {
        let mut docs = parse(text).unwrap();
        assert_eq!(docs.len(), 1);
        docs.remove(0)
    }

    fn at<'a>(text: &'a str, n: &Node) -> &'a str {
        &text[n.span.range()]
    }

    #[test]
    fn spans_on_keys_and_values() {
        let text = "a: 1\nb:\n  - x\n  - \"y\"\nc: {d: e}\n";
        let n = one(text);
        let e = n.entries();
        assert_eq!(e[0].key, "a");
        assert_eq!(&text[e[0].key_span.range()], "a");
        assert_eq!(at(text, &e[0].value), "1");
        assert_eq!(at(text, &e[1].value), "- x\n  - \"y\"");
        let items = e[1].value.as_array().unwrap();
        assert_eq!(at(text, &items[1]), "\"y\"");
        assert_eq!(items[1].as_str(), Some("y"));
        assert_eq!(at(text, &e[2].value), "{d: e}");
        assert_eq!(&text[e[2].value.entries()[0].key_span.range()], "d");
    }

    #[test]
    fn byte_spans_after_non_ascii() {
        let text = "é: \"ü\"\nnäme: !Ref Wert\n";
        let n = one(text);
        let e = n.entries();
        assert_eq!(&text[e[0].key_span.range()], "é");
        assert_eq!(at(text, &e[0].value), "\"ü\"");
        assert_eq!(&text[e[1].key_span.range()], "näme");
        assert_eq!(at(text, &e[1].value), "!Ref Wert");
        assert_eq!(at(text, e[1].value.get("Ref").unwrap()), "Wert");
    }

    #[test]
    fn quoted_scalars_end_at_their_closing_quote() {
        // A comment, spaces, escaped quotes, a tag: the span is the scalar.
        let text = "a: '*' # required for …\nb: 'it''s'   # c\nc: \"x\\\"y\"  # d\nd: !Sub '${A}' # e\ne: ['p' , \"q\"  ] # f\n";
        let (fast, built) = parse_both(text);
        for docs in [fast.unwrap(), built.unwrap()] {
            let n = &docs[0];
            assert_eq!(at(text, n.get("a").unwrap()), "'*'");
            assert_eq!(at(text, n.get("b").unwrap()), "'it''s'");
            assert_eq!(at(text, n.get("c").unwrap()), "\"x\\\"y\"");
            let d = n.get("d").unwrap();
            assert_eq!(at(text, d), "!Sub '${A}'");
            assert_eq!(at(text, d.get("Fn::Sub").unwrap()), "'${A}'");
            let e: Vec<&str> = n
                .get("e")
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(|x| at(text, x))
                .collect();
            assert_eq!(e, ["'p'", "\"q\""]);
        }
    }

    #[test]
    fn short_form_tags() {
        let text = "a: !Ref X\nb: !GetAtt Role.Arn\nc: !Sub\n  - '${a}'\n  - a: 1\nd: !Condition C\ne: !Foo [1]\nf: !GetAtt [R, Arn]\n";
        let n = one(text);
        let a = n.get("a").unwrap();
        assert_eq!(at(text, a), "!Ref X");
        assert_eq!(a.get("Ref").unwrap().as_str(), Some("X"));
        assert_eq!(&text[a.entries()[0].key_span.range()], "!Ref");
        let b = n.get("b").unwrap().get("Fn::GetAtt").unwrap();
        let parts: Vec<_> = b.as_array().unwrap().iter().map(|x| x.as_str()).collect();
        assert_eq!(parts, vec![Some("Role"), Some("Arn")]);
        let c = n.get("c").unwrap();
        assert!(at(text, c).starts_with("!Sub"));
        assert!(c.get("Fn::Sub").unwrap().as_array().is_some());
        assert_eq!(
            n.get("d").unwrap().get("Condition").unwrap().as_str(),
            Some("C")
        );
        assert!(n.get("e").unwrap().get("Fn::Foo").is_some());
        let f = n.get("f").unwrap().get("Fn::GetAtt").unwrap();
        assert_eq!(f.as_array().unwrap().len(), 2);
    }

    #[test]
    fn scalar_resolution() {
        let text = "a: true\nb: 'true'\nc: ~\nd: 012345678901\ne: \"123\"\nf: 2012-10-17\ng: 1.5e3\nh: !Ref 42\ni:\nj: !!str 12\nk: 0x1F\nl: 12:30\n";
        let n = one(text);
        assert!(matches!(n.get("a").unwrap().kind, Kind::Bool(true)));
        assert_eq!(n.get("b").unwrap().as_str(), Some("true"));
        assert!(matches!(n.get("c").unwrap().kind, Kind::Null));
        assert!(matches!(&n.get("d").unwrap().kind, Kind::Num(s) if s == "012345678901"));
        assert_eq!(n.get("e").unwrap().as_str(), Some("123"));
        assert_eq!(n.get("f").unwrap().as_str(), Some("2012-10-17"));
        assert!(matches!(&n.get("g").unwrap().kind, Kind::Num(s) if s == "1.5e3"));
        assert_eq!(n.get("h").unwrap().get("Ref").unwrap().as_str(), Some("42"));
        assert!(matches!(n.get("i").unwrap().kind, Kind::Null));
        assert_eq!(n.get("j").unwrap().as_str(), Some("12"));
        assert!(matches!(n.get("k").unwrap().kind, Kind::Num(_)));
        assert_eq!(n.get("l").unwrap().as_str(), Some("12:30"));
    }

    #[test]
    fn markers_cannot_be_forged() {
        let n = one("a: \"\u{E000}\"\n");
        assert_eq!(n.get("a").unwrap().as_str(), Some("\u{FFFD}"));
        // Made by escapes, in a text without the marker bytes (the fast
        // path's own check) and in a text with them (saphyr's).
        for text in [
            "a: \"\\uE000\"\n\"\\uE001\": b\n",
            "a: &x \"\\uE000\"\n\"\\uE001\": *x\n",
        ] {
            let n = one(text);
            assert_eq!(n.get("a").unwrap().as_str(), Some("\u{FFFD}"), "{text}");
            assert!(
                n.entries().iter().all(|e| !e.key.contains('\u{E001}')),
                "{text}"
            );
        }
    }

    #[test]
    fn block_scalars() {
        let text = "a: |\n  {\"x\": 1}\n  two\nb: 1\nc: !Sub |\n  x\n";
        let n = one(text);
        let a = n.get("a").unwrap();
        assert_eq!(a.as_str(), Some("{\"x\": 1}\ntwo\n"));
        assert_eq!(at(text, a), "{\"x\": 1}\n  two");
        let c = n.get("c").unwrap();
        assert_eq!(at(text, c), "!Sub |\n  x");
        assert_eq!(at(text, c.get("Fn::Sub").unwrap()), "x");
    }

    #[test]
    fn depth_limit() {
        let deep = "- ".repeat(100_000) + "x\n";
        let e = parse(&deep).unwrap_err();
        assert!(e.message.contains("nesting deeper"), "{}", e.message);
        let flow = "[".repeat(300);
        assert!(parse(&flow).is_err());
        let mut nested = String::new();
        for i in 0..3000 {
            nested.push_str(&" ".repeat(i));
            nested.push_str("a:\n");
        }
        assert!(parse(&nested).is_err());
        // Tags count as a level.
        let ok = "a: ".to_owned() + &"!Sub [".repeat(100) + &"]".repeat(100);
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn aliases_and_bombs() {
        let text = "a: &x {k: v}\nb: *x\nc:\n  <<: *x\n  z: 1\n";
        let n = one(text);
        assert_eq!(n.get("b").unwrap().get("k").unwrap().as_str(), Some("v"));
        let c = n.get("c").unwrap();
        assert_eq!(c.get("k").unwrap().as_str(), Some("v"));
        assert_eq!(c.get("z").unwrap().scalar_text().as_deref(), Some("1"));

        let mut bomb = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            let refs = vec![format!("*{}", w[0]); 9].join(",");
            bomb.push_str(&format!("{}: &{} [{}]\n", w[1], w[1], refs));
        }
        let start = std::time::Instant::now();
        let e = parse(&bomb).unwrap_err();
        assert!(e.message.contains("alias"), "{}", e.message);
        assert!(start.elapsed().as_secs() < 5);
        assert!(parse("a: *nope\n").is_err());

        // Nested anchors: every level copies everything below it.
        let mut nested = String::new();
        for i in 0..250 {
            nested.push_str(&" ".repeat(i));
            nested.push_str(&format!("k{i}: &a{i}\n"));
        }
        nested.push_str(&" ".repeat(250));
        nested.push_str(&format!("leaf: [{}]\n", vec!["x"; 20_000].join(",")));
        let e = parse(&nested).unwrap_err();
        assert!(e.message.contains("anchored"), "{}", e.message);
    }

    #[test]
    fn multi_document_streams() {
        let docs = parse("a: 1\n---\nb: 2\n...\n--- !Foo\nc: 3\n").unwrap();
        assert_eq!(docs.len(), 3);
        assert!(docs[1].get("b").is_some());
        assert!(docs[2].get("Fn::Foo").unwrap().get("c").is_some());
        assert!(parse("").unwrap().is_empty());
        assert!(parse("# only a comment\n").unwrap().is_empty());
    }

    #[test]
    fn errors_have_spans() {
        let text = "a:\n  - b\n c: d\n";
        let e = parse(text).unwrap_err();
        assert!(e.span.start as usize <= text.len());
        assert!(!e.message.is_empty());
        let e = parse("a: [1, 2\nb: c").unwrap_err();
        assert!(e.span.end as usize <= 13);
    }

    #[test]
    fn lenient_continuation_indentation() {
        // A flow sequence closed under its key, as PyYAML accepts.
        let text = "a:\n  k: [\n  \"x\",\n  \"y\"\n  ]\n  z: 1\n";
        let n = one(text);
        let k = n.get("a").unwrap().get("k").unwrap();
        assert_eq!(k.as_array().unwrap().len(), 2);
        assert_eq!(at(text, &k.as_array().unwrap()[1]), "\"y\"");
        assert_eq!(at(text, n.get("a").unwrap().get("z").unwrap()), "1");
        // A quoted scalar wrapped at column 0.
        let text = "p:\n  d: \"one\n\ntwo\"\n  e: |\n    [\n  f: 2\n";
        let n = one(text);
        let p = n.get("p").unwrap();
        assert_eq!(p.get("d").unwrap().as_str(), Some("one\ntwo"));
        assert_eq!(at(text, p.get("d").unwrap()), "\"one\n\ntwo\"");
        assert_eq!(at(text, p.get("f").unwrap()), "2");
        // Real errors stay errors.
        assert!(parse("a:\n  - b\n c: d\n").is_err());
    }

    #[test]
    fn numbers() {
        for n in [
            "1", "-1", "+2", "1.", ".5", "1e5", "1.5E-3", "0o17", "0x1f", ".inf", "-.inf", ".nan",
        ] {
            assert!(is_number(n), "{n}");
        }
        for s in [
            "",
            ".",
            "1e",
            "e5",
            "1.2.3",
            "0x",
            "12:30",
            "1_000",
            "2012-10-17",
            "-",
            "nan",
        ] {
            assert!(!is_number(s), "{s}");
        }
    }
}
