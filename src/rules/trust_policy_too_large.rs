//! TL003: a role trust policy longer than the IAM quota.
//!
//! IAM counts the characters of the stored JSON without white space
//! (research/iam-reference.md §7): 2,048 by default, raised per account
//! with a quota increase (`trust_policy_quota`).

use super::{Check, DocCtx, Rule};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::policy::DocKind;

pub static RULE: Rule = Rule::new(
    &RuleMeta {
        id: "TL003",
        name: "trust-policy-too-large",
        severity: Severity::Warning,
        summary: "a role trust policy longer than the IAM quota (2,048 characters without white space by default)",
        help: Some("shorten the policy (merge statements, use aws:PrincipalOrgID instead of long account lists) or raise trust_policy_quota after an account quota increase"),
    },
    Check::Document(check),
);

/// The size IAM counts: characters of the minified JSON, no white space.
/// Counted while walking the tree (no string is built): strings count their
/// quotes, escapes count their backslash, and white space inside strings
/// is not counted either.
pub fn iam_size(node: &crate::tree::Node) -> usize {
    use crate::tree::Kind;
    /// Characters a character takes in the minified JSON IAM measures.
    fn weight(c: char) -> usize {
        match c {
            '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
            c if (c as u32) < 0x20 => 6,
            c if c.is_whitespace() => 0,
            _ => 1,
        }
    }
    /// [`weight`] of each ASCII byte, looked up rather than matched.
    const ASCII: [u8; 128] = {
        let mut t = [0u8; 128];
        let mut i = 0;
        while i < 128 {
            t[i] = match i as u8 {
                b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 2,
                0..=0x1f => 6,
                b' ' => 0,
                _ => 1,
            };
            i += 1;
        }
        t
    };
    fn text(s: &str) -> usize {
        // Bytes are chars in ASCII text, and need no decoding.
        if s.is_ascii() {
            2 + s
                .bytes()
                .map(|b| usize::from(ASCII[usize::from(b & 0x7f)]))
                .sum::<usize>()
        } else {
            2 + s.chars().map(weight).sum::<usize>()
        }
    }
    let mut total = 0;
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        total += match &n.kind {
            Kind::Null => 4,
            Kind::Bool(b) => {
                if *b {
                    4
                } else {
                    5
                }
            }
            Kind::Num(t) => t.chars().filter(|c| !c.is_whitespace()).count(),
            Kind::Str(s) | Kind::Unknown(s) => text(s),
            Kind::Arr(items) => {
                stack.extend(items.iter());
                2 + items.len().saturating_sub(1)
            }
            Kind::Obj(entries) => {
                stack.extend(entries.iter().map(|e| &e.value));
                2 + entries.len().saturating_sub(1)
                    + entries.iter().map(|e| text(&e.key) + 1).sum::<usize>()
            }
        };
    }
    total
}

fn check(cx: &mut DocCtx<'_>) {
    if cx.kind != DocKind::Trust {
        return;
    }
    let size = iam_size(&cx.doc.node);
    let quota = cx.settings.trust_policy_quota;
    if size > quota {
        let span = cx
            .doc
            .node
            .entries()
            .first()
            .map_or(cx.doc.node.span, |e| e.key_span);
        let d = Diagnostic::new(
            &RULE,
            span,
            format!(
                "the trust policy of {} is {size} characters without white space, over the quota of {quota}",
                cx.subject()
            ),
        )
        .label(format!("{size} characters"))
        .subject("trust-policy-size");
        cx.report(d);
    }
}

#[cfg(test)]
mod size_tests {
    /// The walk counts exactly what the minified JSON holds.
    #[test]
    fn matches_minified_json() {
        let src = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "a b\n\"q\"", "Effect": "Allow", "Principal": {"AWS": ["1", "2"]}, "Action": "sts:AssumeRole", "Condition": {"Bool": {"k": true}, "N": {"x": null, "y": 12.5}}}]}"#;
        let node = crate::load::json::parse(src).unwrap();
        let mut s = String::new();
        node.to_json(&mut s);
        let expected = s.chars().filter(|c| !c.is_whitespace()).count();
        assert_eq!(super::iam_size(&node), expected);
    }

    /// The table agrees with the per-character rule on every ASCII byte.
    #[test]
    fn ascii_table_matches_the_rule() {
        for b in 0u8..128 {
            let s = char::from(b).to_string();
            let mut json = String::new();
            crate::tree::Node::from(s.clone()).to_json(&mut json);
            let expected = json.chars().filter(|c| !c.is_whitespace()).count();
            assert_eq!(
                super::iam_size(&crate::tree::Node::from(s)),
                expected,
                "byte {b:#x}"
            );
        }
    }
}
