//! `check --statistics`: how many findings each rule made, most frequent
//! first, in place of the findings (as `ruff check --statistics` does).
//! Text for every format but `json`, which gets a JSON array.

use crate::lint::Report;

/// One rule's count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleCount {
    pub rule: &'static str,
    pub name: &'static str,
    pub count: usize,
}

/// Findings per rule (suppressed ones are not counted), sorted by count,
/// most first, then by rule ID.
pub fn counts(report: &Report) -> Vec<RuleCount> {
    let mut by_rule: std::collections::BTreeMap<&'static str, RuleCount> = Default::default();
    for (_, d) in report.diagnostics() {
        by_rule
            .entry(d.rule.id)
            .or_insert(RuleCount {
                rule: d.rule.id,
                name: d.rule.name,
                count: 0,
            })
            .count += 1;
    }
    let mut out: Vec<RuleCount> = by_rule.into_values().collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(b.rule)));
    out
}

/// `  12  TL102  account-root-trust`, one line per rule; empty when there
/// is nothing to count.
pub fn render_text(report: &Report) -> String {
    let counts = counts(report);
    let width = counts
        .iter()
        .map(|c| c.count.to_string().len())
        .max()
        .unwrap_or(1);
    counts
        .iter()
        .map(|c| format!("{:>width$}  {}  {}\n", c.count, c.rule, c.name))
        .collect()
}

/// `[{"rule": "TL102", "name": "account-root-trust", "count": 12}, …]`.
pub fn render_json(report: &Report) -> String {
    let list: Vec<serde_json::Value> = counts(report)
        .iter()
        .map(|c| serde_json::json!({ "rule": c.rule, "name": c.name, "count": c.count }))
        .collect();
    let mut s = serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".to_owned());
    s.push('\n');
    s
}
