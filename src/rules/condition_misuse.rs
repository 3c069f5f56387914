//! TL203: condition operators used in ways that do not do what they seem.
//!
//! Wildcards in `StringEquals`/`StringNotEquals` (and IgnoreCase) values,
//! which match only literally (`ArnEquals` does accept wildcards);
//! `ForAllValues:` in an Allow (true when the key is absent); set operators
//! on single-valued keys; unknown operators; values of the wrong type
//! (research/iam-reference.md §4).

use super::{Check, DocCtx, Rule};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::policy::condition::{key_status, KeyStatus, SetOp, ValueType};
use crate::policy::{Condition, Effect};
use crate::tree::{has_unknown, Kind, Node};

pub static RULE: Rule = Rule::new(
    &RuleMeta {
        id: "TL203",
        name: "condition-misuse",
        severity: Severity::Warning,
        summary: "wildcards in StringEquals values, ForAllValues: in Allow, set operators on single-valued keys, unknown operators, values of the wrong type",
        help: None,
    },
    Check::Document(check),
);

fn wildcard_in_value(v: &str) -> bool {
    // `${*}` is the escape for a literal `*`.
    v.replace("${*}", "").replace("${?}", "").contains('*')
}

fn type_problem(t: ValueType, v: &Node) -> Option<String> {
    let text = match &v.kind {
        Kind::Str(s) if has_unknown(s) => return None,
        Kind::Unknown(_) => return None,
        Kind::Str(s) => s.clone(),
        Kind::Num(n) => n.clone(),
        Kind::Bool(b) => b.to_string(),
        other => {
            let _ = other;
            return Some(format!(
                "a condition value must be a string, number or boolean, not {}",
                v.type_name()
            ));
        }
    };
    let ok = match t {
        ValueType::Bool => matches!(text.to_ascii_lowercase().as_str(), "true" | "false"),
        ValueType::Numeric => text.parse::<f64>().is_ok(),
        ValueType::Date => is_date(&text),
        ValueType::Ip => is_cidr(&text),
        ValueType::String | ValueType::Arn | ValueType::Binary => true,
    };
    if ok || text.starts_with("${") {
        return None;
    }
    let want = match t {
        ValueType::Bool => "\"true\" or \"false\"",
        ValueType::Numeric => "a number",
        ValueType::Date => "an ISO 8601 date or epoch seconds",
        ValueType::Ip => "an IP address or CIDR range",
        _ => "a string",
    };
    Some(format!("\"{text}\" is not {want}"))
}

fn is_date(s: &str) -> bool {
    if s.bytes().all(|b| b.is_ascii_digit()) && !s.is_empty() {
        return true;
    }
    let b = s.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

fn is_cidr(s: &str) -> bool {
    let (addr, bits) = match s.split_once('/') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let Ok(ip) = addr.parse::<std::net::IpAddr>() else {
        return false;
    };
    match bits {
        None => true,
        Some(b) => b
            .parse::<u8>()
            .is_ok_and(|n| n <= if ip.is_ipv4() { 32 } else { 128 }),
    }
}

fn problem(effect: Effect, c: &Condition<'_>, subject: &str) -> Option<(String, &'static str)> {
    if c.op.base.is_none() {
        return Some((
            format!("`{}` in {subject} is not a condition operator", c.op_raw),
            "unknown operator",
        ));
    }
    if c.op.set == Some(SetOp::ForAllValues) && effect == Effect::Allow {
        return Some((
            format!(
                "`ForAllValues:` on `{}` in an Allow of {subject} is true when the key is absent or empty",
                c.key
            ),
            "true when the key is missing",
        ));
    }
    if c.op.set.is_some() {
        if let KeyStatus::Known { multivalued: false } = key_status(c.key) {
            return Some((
                format!(
                    "`{}` in {subject} is a set operator, but `{}` is single-valued",
                    c.op_raw, c.key
                ),
                "set operator on a single-valued key",
            ));
        }
    }
    if c.op.is_string_equality() {
        if let Some(v) = c
            .texts()
            .into_iter()
            .flatten()
            .find(|v| wildcard_in_value(v))
        {
            return Some((
                format!(
                    "`{}` in {subject} compares \"{v}\" literally: `*` is not a wildcard there",
                    c.op_raw
                ),
                "`*` matches only itself",
            ));
        }
    }
    if let Some(t) = c.op.value_type() {
        for v in &c.values {
            if let Some(msg) = type_problem(t, v) {
                return Some((
                    format!("wrong value type for `{}` in {subject}: {msg}", c.op_raw),
                    "wrong value type",
                ));
            }
        }
    }
    None
}

fn check(cx: &mut DocCtx<'_>) {
    let mut found = Vec::new();
    let subject = cx.subject();
    for s in cx.policy.condition_statements() {
        for c in &s.conditions {
            if let Some((msg, label)) = problem(s.effect, c, &subject) {
                let span = if c.op.base.is_none() || c.op.set.is_some() {
                    c.op_span
                } else {
                    c.value_node.span
                };
                found.push(
                    Diagnostic::new(&RULE, span, msg)
                        .label(label)
                        .secondary(c.key_span, "condition key")
                        .help(match c.op.set {
                            Some(SetOp::ForAllValues) => "use ForAnyValue: or a plain operator, and add a Null check when the key must be present",
                            Some(SetOp::ForAnyValue) => "drop the set operator for single-valued keys",
                            None if c.op.base.is_none() => "use an operator from the IAM condition operator list",
                            None if c.op.is_string_equality() => "use StringLike (or StringNotLike) for wildcard matching",
                            None => "write the value in the operator's format",
                        })
                        .subject(format!("{} {}", c.op_raw, c.key_lc)),
                );
            }
        }
    }
    for d in found {
        cx.report(d);
    }
}
