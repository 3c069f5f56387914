//! `check --statistics`: how many findings each rule made, most frequent
//! first, in place of the findings (as `ruff check --statistics` does).
//! Text for every format but `json`, which gets a JSON array.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{Render, Totals};
use crate::lint::{FileReport, Report};

/// One rule's count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleCount {
    pub rule: &'static str,
    pub name: &'static str,
    pub count: usize,
}

/// The statistics, counted as files arrive and written after the last.
#[derive(Default)]
pub struct Statistics {
    /// A JSON array rather than text.
    pub json: bool,
    by_rule: BTreeMap<&'static str, RuleCount>,
}

impl Statistics {
    pub fn new(json: bool) -> Statistics {
        Statistics {
            json,
            by_rule: BTreeMap::new(),
        }
    }

    /// Findings per rule (suppressed ones are not counted), sorted by
    /// count, most first, then by rule ID.
    pub fn counts(&self) -> Vec<RuleCount> {
        let mut out: Vec<RuleCount> = self.by_rule.values().cloned().collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(b.rule)));
        out
    }
}

impl Render for Statistics {
    fn file(&mut self, _: &mut dyn Write, f: &FileReport) -> io::Result<()> {
        for d in &f.diagnostics {
            self.by_rule
                .entry(d.rule.id)
                .or_insert(RuleCount {
                    rule: d.rule.id,
                    name: d.rule.name,
                    count: 0,
                })
                .count += 1;
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, _: &Totals) -> io::Result<()> {
        let counts = self.counts();
        let text = if self.json {
            as_json(&counts)
        } else {
            as_text(&counts)
        };
        out.write_all(text.as_bytes())
    }
}

/// Findings per rule of a whole report; see [`Statistics::counts`].
pub fn counts(report: &Report) -> Vec<RuleCount> {
    let mut s = Statistics::new(false);
    for f in &report.files {
        let _ = s.file(&mut io::sink(), f);
    }
    s.counts()
}

/// `  12  TL102  account-root-trust`, one line per rule; empty when there
/// is nothing to count.
pub fn render_text(report: &Report) -> String {
    as_text(&counts(report))
}

fn as_text(counts: &[RuleCount]) -> String {
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
    as_json(&counts(report))
}

fn as_json(counts: &[RuleCount]) -> String {
    let list: Vec<serde_json::Value> = counts
        .iter()
        .map(|c| serde_json::json!({ "rule": c.rule, "name": c.name, "count": c.count }))
        .collect();
    let mut s = serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".to_owned());
    s.push('\n');
    s
}
