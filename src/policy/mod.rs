//! The typed policy model over the spanned tree.
//!
//! [`Policy::parse`] reads a policy document [`Node`] into statements,
//! principals, actions and conditions, each keeping a reference to its node
//! (and so its span). Grammar problems AWS would reject are collected as
//! [`Problem`]s for TL002 instead of stopping the parse: the rest of the
//! document is still analysed.

pub mod condition;
pub mod principal;

use crate::source::Span;

/// The claims of web identity tokens that condition keys name
/// (`ISSUER:claim`).
pub const OIDC_CLAIMS: &[&str] = &["sub", "aud", "amr", "app_id", "oaud"];
use crate::tree::{has_unknown, Entry, Kind, Node};
use condition::Operator;
use principal::{classify, Class, PrincipalType};

/// What the document is for; rules apply by kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocKind {
    /// A role trust policy (AssumeRolePolicyDocument).
    Trust,
    /// An identity policy attached to a user, group or role.
    Identity,
    /// A resource policy of another service.
    Resource,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
    /// Unresolved (a template expression).
    Unknown,
    /// Missing or not `Allow`/`Deny` (reported by TL002).
    Invalid,
}

/// A grammar error (TL002) at a span.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub span: Span,
    pub message: String,
}

#[derive(Debug)]
pub struct Policy<'a> {
    pub node: &'a Node,
    pub version: Option<&'a Entry>,
    pub statements: Vec<Statement<'a>>,
    /// Statements known only in part (marked by [`crate::tree::mark_partial`]:
    /// a Terraform `dynamic` block, a condition whose operator or key is a
    /// template value). Only the condition rules see them, through
    /// [`Policy::condition_statements`]: a missing condition must not be
    /// inferred from one that cannot be read, but every literal condition
    /// entry is checked (SPEC §2). Their grammar is not reported.
    pub partial: Vec<Statement<'a>>,
    pub problems: Vec<Problem>,
    /// Indices of the `Deny` statements, found once: every Allow statement
    /// looks for Deny statements that pin it, and scanning all statements
    /// each time made a policy of 100,000 statements quadratic.
    denies: std::cell::OnceCell<Vec<usize>>,
}

#[derive(Debug)]
pub struct Statement<'a> {
    pub node: &'a Node,
    pub sid: Option<&'a Node>,
    pub effect: Effect,
    pub effect_node: Option<&'a Node>,
    pub principal: Option<Principals<'a>>,
    pub not_principal: Option<Principals<'a>>,
    pub action: Option<Actions<'a>>,
    pub not_action: Option<Actions<'a>>,
    pub resource: Option<&'a Entry>,
    pub not_resource: Option<&'a Entry>,
    pub condition: Option<&'a Entry>,
    pub conditions: Vec<Condition<'a>>,
    assume: bool,
    never: bool,
}

/// Why a condition key is never in the request context (TL204).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AbsentKey {
    /// An `aws:` / `sts:` / `saml:` / known provider key that does not
    /// exist (a typo such as `aws:PrincipleOrgID`).
    Unknown,
    /// A key that exists but is never sent with the statement's actions
    /// (`sts:DurationSeconds` with the role-scoped actions of a trust).
    NeverPresent,
}

#[derive(Debug)]
pub struct Principals<'a> {
    pub entry: &'a Entry,
    pub items: Vec<Principal<'a>>,
}

#[derive(Debug)]
pub struct Principal<'a> {
    pub ptype: PrincipalType,
    /// The `AWS`/`Service`/… key, or the whole `Principal` entry for `"*"`.
    pub type_span: Span,
    pub node: &'a Node,
    /// The value as text (markers kept); `None` when unresolved.
    pub value: Option<&'a str>,
    pub class: Class,
}

#[derive(Debug)]
pub struct Actions<'a> {
    pub entry: &'a Entry,
    /// Each action with its lower-cased text (`None` when unresolved).
    pub items: Vec<(&'a Node, Option<String>)>,
}

#[derive(Debug)]
pub struct Condition<'a> {
    pub op_raw: &'a str,
    pub op_span: Span,
    pub op: Operator,
    pub key: &'a str,
    /// Lower-cased key, for lookups.
    pub key_lc: String,
    pub key_span: Span,
    pub value_node: &'a Node,
    pub values: Vec<&'a Node>,
}

impl Condition<'_> {
    /// Span covering the key and its value(s): the condition entry.
    pub fn span(&self) -> Span {
        self.key_span.cover(self.value_node.span)
    }

    /// Does the condition constrain the caller in the statement that
    /// grants (SPEC §2)? A known, positive operator, not `ForAllValues:`,
    /// and not `…IfExists` unless the key is in every request
    /// ([`condition::ALWAYS_PRESENT_KEYS`]), where it changes nothing.
    pub fn counts(&self) -> bool {
        let plain = Operator {
            if_exists: false,
            ..self.op
        };
        plain.constrains()
            && (!self.op.if_exists
                || condition::ALWAYS_PRESENT_KEYS.contains(&self.key_lc.as_str()))
    }

    /// Is the condition false when its key is absent from the request?
    /// A known operator that is not negated, not `…IfExists`, not
    /// `ForAllValues:` (each true for an absent key), or `Null` "false".
    pub fn false_when_absent(&self) -> bool {
        match self.op.base {
            None => false,
            Some(condition::Base::Null) => {
                !self.values.is_empty()
                    && self.texts().iter().all(|t| {
                        t.as_deref()
                            .is_some_and(|v| v.eq_ignore_ascii_case("false"))
                    })
            }
            Some(_) => self.op.constrains(),
        }
    }

    /// String forms of the values; `None` for an unresolved value.
    pub fn texts(&self) -> Vec<Option<String>> {
        self.values
            .iter()
            .map(|v| match &v.kind {
                Kind::Str(s) if has_unknown(s) => None,
                Kind::Unknown(_) => None,
                _ => v.scalar_text(),
            })
            .collect()
    }
}

/// The assume-role actions (SPEC §2).
pub const ASSUME_ACTIONS: &[&str] = &[
    "sts:assumerole",
    "sts:assumerolewithsaml",
    "sts:assumerolewithwebidentity",
];

/// IAM action matching: case-insensitive, `*` and `?` wildcards.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    glob_match(pattern.as_bytes(), action.as_bytes())
}

/// Iterative wildcard match (`*` any run, `?` one character), no recursion.
pub fn glob_match(p: &[u8], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while si < s.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi].eq_ignore_ascii_case(&s[si])) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some(pi);
            mark = si;
            pi += 1;
        } else if let Some(sp) = star {
            pi = sp + 1;
            mark += 1;
            si = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

const TOP_KEYS: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

impl<'a> Policy<'a> {
    /// Every statement whose condition entries the condition rules
    /// (TL202–TL204) check: the known ones, then those known only in part.
    pub fn condition_statements(&self) -> impl Iterator<Item = &Statement<'a>> {
        self.statements.iter().chain(&self.partial)
    }

    /// The `Deny` statements, in order.
    pub fn denies(&self) -> impl Iterator<Item = &Statement<'a>> {
        self.denies
            .get_or_init(|| {
                self.statements
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.effect == Effect::Deny)
                    .map(|(i, _)| i)
                    .collect()
            })
            .iter()
            .filter_map(|&i| self.statements.get(i))
    }

    pub fn parse(node: &'a Node) -> Policy<'a> {
        let mut p = Policy {
            node,
            version: None,
            statements: Vec::new(),
            partial: Vec::new(),
            problems: Vec::new(),
            denies: std::cell::OnceCell::new(),
        };
        if node.is_unknown() {
            return p;
        }
        let Kind::Obj(entries) = &node.kind else {
            p.problem(
                node.span,
                format!("a policy must be a JSON object, not {}", node.type_name()),
            );
            return p;
        };
        p.duplicate_keys(entries);
        for e in entries {
            if !TOP_KEYS.contains(&e.key.as_str()) {
                p.problem(e.key_span, format!("unknown policy element `{}`", e.key));
            }
        }
        p.version = node.entry("Version");
        if let Some(v) = p.version {
            match &v.value.kind {
                Kind::Str(s) if s == "2012-10-17" || s == "2008-10-17" || has_unknown(s) => {}
                Kind::Unknown(_) => {}
                _ => p.problem(
                    v.value.span,
                    "`Version` must be \"2012-10-17\" (or the legacy \"2008-10-17\")".to_owned(),
                ),
            }
        }
        match node.entry("Statement") {
            None => p.problem(
                first_key_span(node),
                "the policy has no `Statement`".to_owned(),
            ),
            Some(st) => match &st.value.kind {
                Kind::Obj(_) => p.statement(&st.value),
                Kind::Arr(items) => {
                    if items.is_empty() {
                        p.problem(st.value.span, "`Statement` is an empty list".to_owned());
                    }
                    for s in items {
                        if s.is_object() {
                            p.statement(s);
                        } else if !s.is_unknown() {
                            p.problem(
                                s.span,
                                format!("a statement must be an object, not {}", s.type_name()),
                            );
                        }
                    }
                }
                Kind::Unknown(_) => {}
                _ => p.problem(
                    st.value.span,
                    format!(
                        "`Statement` must be an object or a list, not {}",
                        st.value.type_name()
                    ),
                ),
            },
        }
        // Duplicate Sids (a hash set: comparing all pairs was quadratic in
        // the statements, issue 11).
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        let mut dups = Vec::new();
        for s in &p.statements {
            // IAM accepts repeated empty Sids (older Terraform wrote
            // `"Sid": ""` on every statement), and unresolved ones may differ.
            if let Some(sid) = s
                .sid
                .and_then(Node::as_str)
                .filter(|v| !v.is_empty() && !has_unknown(v))
            {
                if !seen.insert(sid) {
                    dups.push((s.sid.map_or(Span::EMPTY, |n| n.span), sid.to_owned()));
                }
            }
        }
        for (span, sid) in dups {
            p.problem(span, format!("duplicate `Sid` \"{sid}\""));
        }
        p
    }

    fn problem(&mut self, span: Span, message: String) {
        self.problems.push(Problem { span, message });
    }

    /// Every key written again after its first occurrence, in order. A
    /// hash set keeps it linear: comparing all pairs took 115 s for
    /// 200,000 keys (issue 11).
    fn duplicate_keys(&mut self, entries: &[Entry]) {
        // A handful of keys (every statement) are compared pairwise, which
        // costs less than hashing them; more go through a set (issue 11:
        // 200,000 keys on one line).
        if entries.len() <= 8 {
            for (i, e) in entries.iter().enumerate() {
                if entries[..i].iter().any(|before| before.key == e.key) {
                    self.problem(
                        e.key_span,
                        format!("duplicate key `{}`: IAM keeps only one of them", e.key),
                    );
                }
            }
            return;
        }
        let mut seen = std::collections::HashSet::with_capacity(entries.len());
        for e in entries {
            if !seen.insert(e.key.as_str()) {
                self.problem(
                    e.key_span,
                    format!("duplicate key `{}`: IAM keeps only one of them", e.key),
                );
            }
        }
    }

    fn statement(&mut self, node: &'a Node) {
        let entries = node.entries();
        let partial = entries.iter().any(|e| has_unknown(&e.key));
        let problems_before = self.problems.len();
        self.duplicate_keys(entries);
        for e in entries {
            if !STATEMENT_KEYS.contains(&e.key.as_str()) && !has_unknown(&e.key) {
                self.problem(e.key_span, format!("unknown statement element `{}`", e.key));
            }
        }
        let sid = node.get("Sid");
        if let Some(s) = sid {
            if !matches!(s.kind, Kind::Str(_) | Kind::Unknown(_)) {
                self.problem(
                    s.span,
                    format!("`Sid` must be a string, not {}", s.type_name()),
                );
            }
        }
        let effect_node = node.get("Effect");
        let effect = match effect_node.map(|n| &n.kind) {
            Some(Kind::Str(s)) if s == "Allow" => Effect::Allow,
            Some(Kind::Str(s)) if s == "Deny" => Effect::Deny,
            Some(Kind::Str(s)) if has_unknown(s) => Effect::Unknown,
            Some(Kind::Unknown(_)) => Effect::Unknown,
            Some(_) => {
                let n = effect_node.map_or(node.span, |n| n.span);
                self.problem(n, "`Effect` must be \"Allow\" or \"Deny\"".to_owned());
                Effect::Invalid
            }
            None => {
                self.problem(
                    first_key_span(node),
                    "the statement has no `Effect`".to_owned(),
                );
                Effect::Invalid
            }
        };
        let principal = node.entry("Principal").map(|e| self.principals(e));
        let not_principal = node.entry("NotPrincipal").map(|e| self.principals(e));
        if let (Some(_), Some(np)) = (&principal, &not_principal) {
            self.problem(
                np.entry.key_span,
                "a statement cannot have both `Principal` and `NotPrincipal`".to_owned(),
            );
        }
        let action = node.entry("Action").map(|e| self.actions(e));
        let not_action = node.entry("NotAction").map(|e| self.actions(e));
        match (&action, &not_action) {
            (None, None) => self.problem(
                first_key_span(node),
                "the statement has no `Action` or `NotAction`".to_owned(),
            ),
            (Some(_), Some(na)) => self.problem(
                na.entry.key_span,
                "a statement cannot have both `Action` and `NotAction`".to_owned(),
            ),
            _ => {}
        }
        let resource = node.entry("Resource");
        let not_resource = node.entry("NotResource");
        for r in [resource, not_resource].into_iter().flatten() {
            self.string_list(r, "resource");
        }
        if let (Some(_), Some(nr)) = (resource, not_resource) {
            self.problem(
                nr.key_span,
                "a statement cannot have both `Resource` and `NotResource`".to_owned(),
            );
        }
        let condition = node.entry("Condition");
        let conditions = condition.map(|c| self.conditions(c)).unwrap_or_default();
        let mut st = Statement {
            node,
            sid,
            effect,
            effect_node,
            principal,
            not_principal,
            action,
            not_action,
            resource,
            not_resource,
            condition,
            conditions,
            assume: false,
            never: false,
        };
        st.assume = ASSUME_ACTIONS.iter().any(|a| st.covers_action(a));
        st.never = st
            .conditions
            .iter()
            .any(|c| c.false_when_absent() && st.absent_key(c).is_some());
        if partial {
            // What could not be read may hold what the grammar misses.
            self.problems.truncate(problems_before);
            self.partial.push(st);
        } else {
            self.statements.push(st);
        }
    }

    fn string_list(&mut self, e: &'a Entry, what: &str) {
        match &e.value.kind {
            Kind::Str(_) | Kind::Unknown(_) => {}
            Kind::Arr(items) => {
                if items.is_empty() {
                    self.problem(e.value.span, format!("`{}` is an empty list", e.key));
                }
                for i in items {
                    if !matches!(i.kind, Kind::Str(_) | Kind::Unknown(_)) {
                        self.problem(
                            i.span,
                            format!("a {what} must be a string, not {}", i.type_name()),
                        );
                    }
                }
            }
            _ => self.problem(
                e.value.span,
                format!(
                    "`{}` must be a string or a list of strings, not {}",
                    e.key,
                    e.value.type_name()
                ),
            ),
        }
    }

    fn actions(&mut self, e: &'a Entry) -> Actions<'a> {
        self.string_list(e, "action");
        let items = e
            .value
            .one_or_many()
            .iter()
            .filter(|n| !matches!(n.kind, Kind::Arr(_) | Kind::Obj(_)))
            .map(|n| {
                let lc = match &n.kind {
                    Kind::Str(s) if !has_unknown(s) => Some(s.to_ascii_lowercase()),
                    _ => None,
                };
                (n, lc)
            })
            .collect();
        Actions { entry: e, items }
    }

    fn principals(&mut self, e: &'a Entry) -> Principals<'a> {
        let mut items = Vec::new();
        match &e.value.kind {
            Kind::Str(s) => items.push(Principal {
                ptype: PrincipalType::Star,
                type_span: e.key_span,
                node: &e.value,
                value: Some(s),
                class: if has_unknown(s) {
                    Class::Unknown
                } else {
                    classify(&PrincipalType::Star, s)
                },
            }),
            Kind::Unknown(_) => {}
            Kind::Obj(entries) => {
                self.duplicate_keys(entries);
                if entries.is_empty() {
                    // Reported by TL105 (empty principal).
                }
                for pe in entries {
                    let ptype = PrincipalType::from_key(&pe.key);
                    let values: &[Node] = match &pe.value.kind {
                        Kind::Arr(v) => v,
                        Kind::Obj(_) | Kind::Null | Kind::Bool(_) => {
                            self.problem(
                                pe.value.span,
                                format!(
                                    "a principal must be a string or a list of strings, not {}",
                                    pe.value.type_name()
                                ),
                            );
                            &[]
                        }
                        _ => std::slice::from_ref(&pe.value),
                    };
                    for v in values {
                        let (value, class) = match &v.kind {
                            Kind::Str(s) => (Some(s.as_str()), classify(&ptype, s)),
                            Kind::Num(n) => (Some(n.as_str()), classify(&ptype, n)),
                            Kind::Unknown(_) => (None, Class::Unknown),
                            _ => {
                                self.problem(
                                    v.span,
                                    format!("a principal must be a string, not {}", v.type_name()),
                                );
                                continue;
                            }
                        };
                        items.push(Principal {
                            ptype: ptype.clone(),
                            type_span: pe.key_span,
                            node: v,
                            value,
                            class,
                        });
                    }
                }
            }
            _ => self.problem(
                e.value.span,
                format!(
                    "`{}` must be \"*\" or an object, not {}",
                    e.key,
                    e.value.type_name()
                ),
            ),
        }
        Principals { entry: e, items }
    }

    fn conditions(&mut self, e: &'a Entry) -> Vec<Condition<'a>> {
        let mut out = Vec::new();
        let ops = match &e.value.kind {
            Kind::Obj(ops) => ops,
            Kind::Unknown(_) => return out,
            _ => {
                self.problem(
                    e.value.span,
                    format!("`Condition` must be an object, not {}", e.value.type_name()),
                );
                return out;
            }
        };
        self.duplicate_keys(ops);
        for op in ops {
            // An operator that is a template value (a Terraform `test =
            // var.x`): its entries cannot be judged.
            if has_unknown(&op.key) {
                continue;
            }
            let keys = match &op.value.kind {
                Kind::Obj(keys) => keys,
                Kind::Unknown(_) => continue,
                _ => {
                    self.problem(
                        op.value.span,
                        format!(
                            "the `{}` block must be an object of keys, not {}",
                            op.key,
                            op.value.type_name()
                        ),
                    );
                    continue;
                }
            };
            self.duplicate_keys(keys);
            let operator = Operator::parse(&op.key);
            for k in keys {
                let values: Vec<&Node> = match &k.value.kind {
                    Kind::Arr(v) => v.iter().collect(),
                    _ => vec![&k.value],
                };
                let op_span = match &k.value.via {
                    Some(v) if v.label == crate::tree::OPERATOR_VIA => v.span,
                    _ => op.key_span,
                };
                out.push(Condition {
                    op_raw: &op.key,
                    op_span,
                    op: operator,
                    key: &k.key,
                    key_lc: k.key.to_ascii_lowercase(),
                    key_span: k.key_span,
                    value_node: &k.value,
                    values,
                });
            }
        }
        out
    }
}

fn first_key_span(node: &Node) -> Span {
    node.entries().first().map_or(
        Span::new(node.span.start as usize, node.span.start as usize + 1),
        |e| e.key_span,
    )
}

impl<'a> Statement<'a> {
    /// Does the statement allow (or deny) this action? Unresolved actions
    /// never match: no guess.
    pub fn covers_action(&self, action: &str) -> bool {
        if let Some(a) = &self.action {
            return a
                .items
                .iter()
                .any(|(_, lc)| lc.as_deref().is_some_and(|p| action_matches(p, action)));
        }
        if let Some(na) = &self.not_action {
            let all_known = na.items.iter().all(|(_, lc)| lc.is_some());
            return all_known
                && !na
                    .items
                    .iter()
                    .any(|(_, lc)| lc.as_deref().is_some_and(|p| action_matches(p, action)));
        }
        false
    }

    /// Does the statement's action cover an assume-role action? Computed
    /// once at parse time: many rules ask.
    pub fn grants_assume(&self) -> bool {
        self.assume
    }

    /// Is the condition's key never in the request of this statement
    /// (TL204)? Keys are checked against the tables of
    /// research/iam-reference.md §1–3; a key with unresolved parts is
    /// never called absent.
    pub fn absent_key(&self, c: &Condition<'_>) -> Option<AbsentKey> {
        match condition::key_status(c.key) {
            condition::KeyStatus::Unknown => Some(AbsentKey::Unknown),
            condition::KeyStatus::Known { .. }
                if c.key_lc == "sts:durationseconds" && self.only_role_actions() =>
            {
                Some(AbsentKey::NeverPresent)
            }
            _ => None,
        }
    }

    /// Does the statement name only the role-scoped actions of a trust
    /// statement (research/iam-reference.md §2.1), none of which carries
    /// `sts:DurationSeconds`?
    fn only_role_actions(&self) -> bool {
        self.action.as_ref().is_some_and(|a| {
            !a.items.is_empty()
                && a.items.iter().all(|(_, lc)| {
                    lc.as_deref().is_some_and(|l| {
                        ASSUME_ACTIONS.contains(&l)
                            || l == "sts:tagsession"
                            || l == "sts:setsourceidentity"
                            || l == "sts:setcontext"
                    })
                })
        })
    }

    /// Does a condition that can never be true keep the statement from
    /// applying to any request: a positive condition on a key that is
    /// never present (SPEC §2)? Such an `Allow` grants nobody, and such a
    /// `Deny` denies nobody.
    pub fn never_applies(&self) -> bool {
        self.never
    }

    pub fn principals(&self) -> impl Iterator<Item = &Principal<'a>> {
        self.principal.iter().flat_map(|p| p.items.iter())
    }

    pub fn conditions_on<'s>(
        &'s self,
        key_lc: &'s str,
    ) -> impl Iterator<Item = &'s Condition<'a>> + 's {
        self.conditions.iter().filter(move |c| c.key_lc == key_lc)
    }

    /// The span to point at for a statement-level finding: its `Sid`, else
    /// its `Principal` key, else its first key.
    pub fn anchor(&self) -> Span {
        if let Some(p) = &self.principal {
            return p.entry.key_span;
        }
        if let Some(s) = self.sid {
            return s.span;
        }
        first_key_span(self.node)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::json;

    #[test]
    fn parses_statement_forms() {
        let n = json::parse(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":["123456789012","*"]},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}}"#,
        )
        .unwrap();
        let p = Policy::parse(&n);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let s = &p.statements[0];
        assert_eq!(s.principals().count(), 2);
        assert!(s.grants_assume());
        assert_eq!(s.conditions[0].key_lc, "aws:multifactorauthpresent");
    }

    #[test]
    fn grammar_problems() {
        let n = json::parse(r#"{"Version":"2012-10-18","Statement":[{"Effect":"allow","Foo":1,"Sid":"a"},{"Sid":"a","Effect":"Deny","Action":"*"}]}"#).unwrap();
        let p = Policy::parse(&n);
        let msgs: Vec<_> = p.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(msgs.len(), 5, "{msgs:?}");
    }

    #[test]
    fn if_exists_counts_only_on_keys_in_every_request() {
        let n = json::parse(
            r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{
                "StringEqualsIfExists":{"aws:PrincipalAccount":"111122223333","aws:PrincipalOrgID":"o-a"},
                "ForAllValues:StringEquals":{"aws:PrincipalArn":"x"},
                "StringNotEqualsIfExists":{"aws:userid":"x"},
                "BoolIfExists":{"aws:SecureTransport":"true"}}}}"#,
        )
        .unwrap();
        let p = Policy::parse(&n);
        let counts: Vec<(&str, bool)> = p.statements[0]
            .conditions
            .iter()
            .map(|c| (c.key, c.counts()))
            .collect();
        assert_eq!(
            counts,
            vec![
                ("aws:PrincipalAccount", true),
                ("aws:PrincipalOrgID", false),
                ("aws:PrincipalArn", false),
                ("aws:userid", false),
                ("aws:SecureTransport", true),
            ]
        );
    }

    #[test]
    fn globbing() {
        assert!(action_matches("sts:Assume*", "sts:assumerole"));
        assert!(action_matches("*", "sts:assumerole"));
        assert!(!action_matches("sts:AssumeRoleWith*", "sts:assumerole"));
        assert!(action_matches("sts:?ssumeRole", "sts:assumerole"));
    }
}
