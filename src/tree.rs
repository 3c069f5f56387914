//! The one spanned value tree every input format converts into.
//!
//! JSON, YAML and HCL loaders all build [`Node`]s: every value and every key
//! carries its byte span in the file the user edits, so diagnostics point at
//! the right place whatever the format. Extraction resolves template
//! intrinsics into the same type: a value that cannot be resolved becomes
//! [`Kind::Unknown`], and a string that contains *this account* or an unknown
//! part carries the markers below, so rules can tell a fact from a guess.

use crate::source::Span;

/// Stands for the deploying account (`AWS::AccountId`,
/// `data.aws_caller_identity.X.account_id`) inside a resolved string.
pub const THIS_ACCOUNT: &str = "\u{E000}";
/// Stands for an unresolvable part inside a resolved string.
pub const UNKNOWN_PART: &str = "\u{E001}";

/// The label of a [`Via`] on a condition's values that names where its
/// operator is written, when that is not the operator key above it (a
/// Terraform `condition` block merged into an earlier block's `test`).
pub const OPERATOR_VIA: &str = "the condition's operator (`test`)";

/// Mark a policy statement (an object) as known only in part: a
/// Terraform `dynamic` block, or a condition whose operator or key is a
/// template value. The policy model keeps such a statement from every rule
/// but the condition rules, which check its literal condition entries
/// (SPEC §2). The mark is an entry whose key is an unknown part, which no
/// input can forge ([`sanitize`]).
pub fn mark_partial(statement: &mut Node, span: Span, what: &str) {
    if let Kind::Obj(entries) = &mut statement.kind {
        if !entries.iter().any(|e| has_unknown(&e.key)) {
            entries.push(Entry {
                key: UNKNOWN_PART.to_owned(),
                key_span: span,
                value: Node::unknown(span, what),
            });
        }
    }
}

/// Does the string contain an unresolvable part? Asked of nearly every
/// key and value (700,000 times on 10,000 files): `str::contains` sets up
/// a substring search each time, while the marker's first byte (U+E001 is
/// `EE 80 81` in UTF-8) is rare and `memchr` finds it at once.
pub fn has_unknown(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(0xEE, b).any(|i| b.get(i + 1..i + 3) == Some(&[0x80, 0x81]))
}

/// Replace the markers with readable text for messages.
pub fn display(s: &str) -> String {
    s.replace(THIS_ACCOUNT, "${AWS::AccountId}")
        .replace(UNKNOWN_PART, "${…}")
}

/// Remove marker characters from literal input so they cannot be forged.
pub fn sanitize(s: String) -> String {
    // Both markers start with the byte 0xEE: a byte search rules most
    // strings out without decoding them.
    if s.as_bytes().contains(&0xEE) && s.contains(['\u{E000}', '\u{E001}']) {
        s.replace(['\u{E000}', '\u{E001}'], "\u{FFFD}")
    } else {
        s
    }
}

/// An object's entries by key, for looking many names up in one large
/// object: [`Node::get`] scans the entries, so resolving a name per use
/// was quadratic (100,000 `Fn::Sub` variables took 19 s, issue 11). The
/// first entry with a key wins, as with [`Node::get`]. Small objects are
/// scanned (no map is built).
#[derive(Debug, Default)]
pub struct KeyIndex<'a> {
    node: Option<&'a Node>,
    map: std::collections::HashMap<&'a str, &'a Node>,
}

/// Objects with at most this many entries are scanned, not hashed.
const KEY_INDEX_MIN: usize = 16;

impl<'a> KeyIndex<'a> {
    pub fn new(node: Option<&'a Node>) -> Self {
        let mut map = std::collections::HashMap::new();
        let entries = node.map_or(&[][..], Node::entries);
        if entries.len() > KEY_INDEX_MIN {
            map.reserve(entries.len());
            for e in entries {
                map.entry(e.key.as_str()).or_insert(&e.value);
            }
        }
        KeyIndex { node, map }
    }

    /// The first entry's value with this key.
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        if self.map.is_empty() {
            self.node?.get(key)
        } else {
            self.map.get(key).copied()
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Node {
    pub span: Span,
    pub kind: Kind,
    /// Where a resolved value came from (a parameter's default, a variable,
    /// the branch of a condition), shown as a secondary label.
    pub via: Option<Box<Via>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Via {
    pub span: Span,
    pub label: String,
}

#[derive(Clone, Debug, Default)]
pub enum Kind {
    #[default]
    Null,
    Bool(bool),
    /// A number, as written (account IDs must never be reformatted).
    Num(String),
    Str(String),
    Arr(Vec<Node>),
    Obj(Vec<Entry>),
    /// A value that cannot be known before deployment; the text says what it
    /// is (`!Ref RoleArnParam`, `var.principal`).
    Unknown(String),
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    pub fn new(span: Span, kind: Kind) -> Self {
        Node {
            span,
            kind,
            via: None,
        }
    }

    pub fn str(span: Span, s: impl Into<String>) -> Self {
        Node::new(span, Kind::Str(s.into()))
    }

    pub fn unknown(span: Span, what: impl Into<String>) -> Self {
        Node::new(span, Kind::Unknown(what.into()))
    }

    pub fn with_via(mut self, via: Option<Via>) -> Self {
        if let Some(v) = via {
            self.via = Some(Box::new(v));
        }
        self
    }

    /// The first entry with this key (exact match).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.kind {
            Kind::Obj(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[Entry] {
        match &self.kind {
            Kind::Obj(entries) => entries,
            _ => &[],
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.kind {
            Kind::Arr(items) => Some(items),
            _ => None,
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self.kind, Kind::Obj(_))
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.kind, Kind::Unknown(_))
    }

    /// A scalar rendered as text (strings, numbers and booleans).
    pub fn scalar_text(&self) -> Option<String> {
        match &self.kind {
            Kind::Str(s) => Some(s.clone()),
            Kind::Num(n) => Some(n.clone()),
            Kind::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The value as one item or a list of items (IAM's "string or array").
    pub fn one_or_many(&self) -> &[Node] {
        match &self.kind {
            Kind::Arr(items) => items,
            _ => std::slice::from_ref(self),
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "a boolean",
            Kind::Num(_) => "a number",
            Kind::Str(_) => "a string",
            Kind::Arr(_) => "an array",
            Kind::Obj(_) => "an object",
            Kind::Unknown(_) => "an unresolved value",
        }
    }

    /// Minified JSON text, with unknown values as strings. Used for the
    /// trust-policy size quota, which IAM counts on the stored JSON.
    pub fn to_json(&self, out: &mut String) {
        match &self.kind {
            Kind::Null => out.push_str("null"),
            Kind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Kind::Num(n) => out.push_str(n),
            Kind::Str(s) => push_json_str(out, s),
            Kind::Unknown(w) => push_json_str(out, w),
            Kind::Arr(items) => {
                out.push('[');
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    it.to_json(out);
                }
                out.push(']');
            }
            Kind::Obj(entries) => {
                out.push('{');
                for (i, e) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    push_json_str(out, &e.key);
                    out.push(':');
                    e.value.to_json(out);
                }
                out.push('}');
            }
        }
    }
}

fn push_json_str(out: &mut String, s: &str) {
    // serde_json's escaping is exactly JSON's; a String never fails to serialise.
    match serde_json::to_string(s) {
        Ok(q) => out.push_str(&q),
        Err(_) => out.push_str("\"\""),
    }
}

/// Structural equality that ignores spans: JSONPath filter literals have none.
impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        match (&self.kind, &other.kind) {
            (Kind::Null, Kind::Null) => true,
            (Kind::Bool(a), Kind::Bool(b)) => a == b,
            (Kind::Num(a), Kind::Num(b)) => {
                a == b || matches!((a.parse::<f64>(), b.parse::<f64>()), (Ok(x), Ok(y)) if x == y)
            }
            (Kind::Str(a), Kind::Str(b)) => a == b,
            (Kind::Arr(a), Kind::Arr(b)) => a == b,
            (Kind::Obj(a), Kind::Obj(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|(x, y)| x.key == y.key && x.value == y.value)
            }
            _ => false,
        }
    }
}

impl From<&str> for Node {
    fn from(s: &str) -> Self {
        Node::str(Span::EMPTY, s)
    }
}
impl From<String> for Node {
    fn from(s: String) -> Self {
        Node::str(Span::EMPTY, s)
    }
}
impl From<bool> for Node {
    fn from(b: bool) -> Self {
        Node::new(Span::EMPTY, Kind::Bool(b))
    }
}
impl From<i64> for Node {
    fn from(n: i64) -> Self {
        Node::new(Span::EMPTY, Kind::Num(n.to_string()))
    }
}
impl From<f64> for Node {
    fn from(n: f64) -> Self {
        Node::new(Span::EMPTY, Kind::Num(n.to_string()))
    }
}
impl From<Vec<Node>> for Node {
    fn from(v: Vec<Node>) -> Self {
        Node::new(Span::EMPTY, Kind::Arr(v))
    }
}

/// JSONPath over the spanned tree: query results are `&Node`, so they keep
/// their spans. See research/crates.md §4.
impl jsonpath_rust::query::queryable::Queryable for Node {
    fn get(&self, key: &str) -> Option<&Self> {
        Node::get(self, key)
    }
    fn as_array(&self) -> Option<&Vec<Self>> {
        match &self.kind {
            Kind::Arr(items) => Some(items),
            _ => None,
        }
    }
    fn as_object(&self) -> Option<Vec<(&str, &Self)>> {
        match &self.kind {
            Kind::Obj(entries) => {
                Some(entries.iter().map(|e| (e.key.as_str(), &e.value)).collect())
            }
            _ => None,
        }
    }
    fn as_str(&self) -> Option<&str> {
        Node::as_str(self)
    }
    fn as_i64(&self) -> Option<i64> {
        match &self.kind {
            Kind::Num(n) => n.parse().ok(),
            _ => None,
        }
    }
    fn as_f64(&self) -> Option<f64> {
        match &self.kind {
            Kind::Num(n) => n.parse().ok(),
            _ => None,
        }
    }
    fn as_bool(&self) -> Option<bool> {
        match self.kind {
            Kind::Bool(b) => Some(b),
            _ => None,
        }
    }
    fn null() -> Self {
        Node::default()
    }
}

/// A JSONPath query parsed once, for tables of queries run on every file.
///
/// Queries made only of member names and wildcards (`$.Resources.*.Type`)
/// are answered by walking the tree directly: jsonpath-rust builds each
/// result's normalized path as a string at every step (about 1,400
/// instructions per step, 5% of a run over templates). The results are the
/// same nodes in the same order (`tests::simple_queries_match_jsonpath_rust`).
pub struct Query {
    parsed: Option<jsonpath_rust::parser::model::JpQuery>,
    /// The steps of a query of names and wildcards only.
    simple: Option<Vec<Step>>,
}

enum Step {
    Name(String),
    Wildcard,
}

impl Query {
    /// Parse `path`; an invalid one (a bug, caught by the tables' tests)
    /// matches nothing.
    pub fn new(path: &'static str) -> Query {
        use jsonpath_rust::parser::model::{Segment, Selector};
        let parsed = jsonpath_rust::parser::parse_json_path(path).ok();
        let simple = parsed.as_ref().and_then(|q| {
            q.segments
                .iter()
                .map(|s| match s {
                    Segment::Selector(Selector::Name(k)) => Some(Step::Name(k.clone())),
                    Segment::Selector(Selector::Wildcard) => Some(Step::Wildcard),
                    _ => None,
                })
                .collect()
        });
        Query { parsed, simple }
    }

    pub fn is_valid(&self) -> bool {
        self.parsed.is_some()
    }

    /// The nodes the query selects under `root`, in document order.
    pub fn run<'a>(&self, root: &'a Node) -> Vec<&'a Node> {
        match &self.simple {
            Some(steps) => {
                let mut at = vec![root];
                for step in steps {
                    at = match step {
                        Step::Name(k) => at.into_iter().filter_map(|n| n.get(k)).collect(),
                        Step::Wildcard => at
                            .into_iter()
                            .flat_map(|n| -> Box<dyn Iterator<Item = &'a Node>> {
                                match &n.kind {
                                    Kind::Arr(items) => Box::new(items.iter()),
                                    Kind::Obj(entries) => {
                                        Box::new(entries.iter().map(|e| &e.value))
                                    }
                                    _ => Box::new(std::iter::empty()),
                                }
                            })
                            .collect(),
                    };
                }
                at
            }
            None => self.run_general(root),
        }
    }

    /// The query through jsonpath-rust's evaluator.
    fn run_general<'a>(&self, root: &'a Node) -> Vec<&'a Node> {
        match &self.parsed {
            Some(q) => jsonpath_rust::query::js_path_process(q, root)
                .map(|refs| refs.into_iter().map(|r| r.val()).collect())
                .unwrap_or_default(),
            None => Vec::new(),
        }
    }
}

/// Apply `f` to every span of a tree: values, keys and, when `via`, the
/// provenance labels. Iterative: any depth is fine.
pub fn map_spans(n: &mut Node, via: bool, f: &impl Fn(Span) -> Span) {
    let mut stack: Vec<&mut Node> = Vec::new();
    let mut next = Some(n);
    while let Some(n) = next.take().or_else(|| stack.pop()) {
        n.span = f(n.span);
        if via {
            if let Some(v) = n.via.as_mut() {
                v.span = f(v.span);
            }
        }
        match &mut n.kind {
            Kind::Arr(items) => stack.extend(items.iter_mut()),
            Kind::Obj(entries) => {
                for e in entries.iter_mut() {
                    e.key_span = f(e.key_span);
                    stack.push(&mut e.value);
                }
            }
            _ => {}
        }
    }
}

/// Point every span of a copied value (keys included) at `span`: a value
/// shown where it is used — a parameter default at its `Ref`, a variable
/// at its reference. Provenance labels are moved too when `via`, or keep
/// pointing where the value came from.
pub fn respan(n: &mut Node, span: Span, via: bool) {
    map_spans(n, via, &|_| span);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_marker_found_anywhere() {
        for (s, want) in [
            ("", false),
            ("arn:aws:iam::123:root", false),
            (UNKNOWN_PART, true),
            ("a\u{E001}b", true),
            ("\u{E000}\u{E002}é\u{E001}", true),
            ("\u{E000}\u{E002}", false),
        ] {
            assert_eq!(has_unknown(s), want, "{s:?}");
            assert_eq!(has_unknown(s), s.contains('\u{E001}'));
        }
    }

    #[test]
    fn simple_queries_match_jsonpath_rust() {
        let doc = crate::load::json::parse(
            r#"{"Resources": {"A": {"Type": "AWS::IAM::Role", "Properties": {"P": [1, {"Type": 2}]}},
                "B": {"Type": "x", "Type": "dup"}, "C": [ {"Type": "in array"} ], "D": 4},
               "Other": {"Type": 3}}"#,
        )
        .unwrap();
        for path in [
            "$.Resources.*.Type",
            "$.Resources",
            "$.Resources.A.Properties.P",
            "$.Resources.A.Properties.P.*",
            "$.*.*",
            "$.Missing.Type",
            "$.Resources.D.*",
        ] {
            let q = Query::new(path);
            assert!(q.simple.is_some(), "{path}");
            let fast: Vec<Span> = q.run(&doc).iter().map(|n| n.span).collect();
            let general: Vec<Span> = q.run_general(&doc).iter().map(|n| n.span).collect();
            assert_eq!(fast, general, "{path}");
        }
        let filter = Query::new("$.Resources[?@.Type == 'x']");
        assert!(filter.is_valid() && filter.simple.is_none());
        assert_eq!(filter.run(&doc).len(), 1);
    }
}
