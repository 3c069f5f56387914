//! Baselines (SPEC §5): `--write-baseline FILE` records today's findings;
//! `--baseline FILE` then reports only findings that are not in it.
//!
//! A finding is identified by its fingerprint (rule + path + resource +
//! normalised subject, see [`crate::report::fingerprint`]), never by line,
//! so moving code does not resurrect baselined findings, and fixed findings
//! simply drop out. Paths are taken relative to the baseline file's
//! directory, so the baseline works whatever directory trustlint is run
//! from. The file is sorted, stable JSON with one entry per fingerprint;
//! `count` says how many findings share it when there are several.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::lint::{FileReport, Report};
use crate::suppress::{SilencedBy, Silencer};

pub const VERSION: u32 = 1;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// One recorded finding (or several with the same fingerprint).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub path: String,
    pub rule: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// What the finding is about (for people; matching uses the fingerprint).
    pub subject: String,
    pub fingerprint: String,
    /// The rule's name and the message, for people reading the file.
    pub name: String,
    pub message: String,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub count: usize,
}

fn one() -> usize {
    1
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

/// A path as recorded: relative to `base` when the file is under it.
fn key_path(path: &str, base: &Path) -> String {
    crate::paths::relative_to(path, base).unwrap_or_else(|| path.to_owned())
}

/// The absolute, normalised directory of a baseline file.
pub fn base_dir(file: &Path) -> PathBuf {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::path::absolute(dir)
        .map(|d| crate::paths::normalize(&d))
        .unwrap_or_else(|_| dir.to_path_buf())
}

fn fingerprint(path: &str, d: &Diagnostic, base: &Path) -> String {
    crate::report::fingerprint(&key_path(path, base), d)
}

impl Baseline {
    /// Record every finding of a report; `base` is the baseline file's directory.
    pub fn from_report(report: &Report, base: &Path) -> Baseline {
        let mut b = Recorder::new(base);
        for f in &report.files {
            b.add(f);
        }
        b.finish()
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    pub fn parse(text: &str) -> Result<Baseline, String> {
        let b: Baseline = serde_json::from_str(text).map_err(|e| format!("not a baseline: {e}"))?;
        if b.version != VERSION {
            return Err(format!(
                "baseline version {} is not supported (expected {VERSION})",
                b.version
            ));
        }
        Ok(b)
    }

    /// Move the findings recorded here from `diagnostics` to `suppressed`
    /// (each entry silences up to `count` findings, the first ones in file
    /// order). Returns how many were silenced.
    pub fn apply(&self, report: &mut Report, base: &Path) -> usize {
        let mut left = Applier::new(self, base);
        report.files.iter_mut().map(|f| left.apply(f)).sum()
    }
}

/// Records findings file by file for `--write-baseline`.
pub struct Recorder {
    base: PathBuf,
    by_fp: BTreeMap<String, Entry>,
}

impl Recorder {
    pub fn new(base: &Path) -> Recorder {
        Recorder {
            base: base.to_path_buf(),
            by_fp: BTreeMap::new(),
        }
    }

    pub fn add(&mut self, f: &FileReport) {
        for d in &f.diagnostics {
            let fp = fingerprint(&f.source.path, d, &self.base);
            self.by_fp
                .entry(fp.clone())
                .and_modify(|e| e.count += 1)
                .or_insert_with(|| Entry {
                    path: key_path(&f.source.path, &self.base),
                    rule: d.rule.id.to_owned(),
                    resource: d.resource.clone(),
                    subject: d.subject.clone(),
                    fingerprint: fp,
                    name: d.rule.name.to_owned(),
                    message: d.message.clone(),
                    count: 1,
                });
        }
    }

    pub fn finish(self) -> Baseline {
        let mut findings: Vec<Entry> = self.by_fp.into_values().collect();
        findings.sort();
        Baseline {
            version: VERSION,
            findings,
        }
    }
}

/// Silences recorded findings file by file for `--baseline`: each entry
/// silences as many findings with its fingerprint as it counts.
pub struct Applier<'b> {
    base: PathBuf,
    left: BTreeMap<&'b str, usize>,
}

impl<'b> Applier<'b> {
    pub fn new(baseline: &'b Baseline, base: &Path) -> Applier<'b> {
        let mut left: BTreeMap<&str, usize> = BTreeMap::new();
        for e in &baseline.findings {
            *left.entry(e.fingerprint.as_str()).or_default() += e.count;
        }
        Applier {
            base: base.to_path_buf(),
            left,
        }
    }

    /// Move the file's recorded findings to its silenced ones; how many.
    pub fn apply(&mut self, f: &mut FileReport) -> usize {
        let mut silenced = 0;
        let diags = std::mem::take(&mut f.diagnostics);
        for d in diags {
            let fp = fingerprint(&f.source.path, &d, &self.base);
            match self.left.get_mut(fp.as_str()) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    silenced += 1;
                    f.suppressed.push(d);
                    f.silenced_by.push(Silencer {
                        by: SilencedBy::Baseline,
                        span: None,
                        reason: Some("recorded in the baseline".to_owned()),
                    });
                }
                _ => f.diagnostics.push(d),
            }
        }
        silenced
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Settings;

    fn report(files: &[(&str, &str)]) -> Report {
        Report {
            files: files
                .iter()
                .map(|(p, t)| crate::lint::lint_text(p, t, &Settings::default()))
                .collect(),
        }
    }

    const PUBLIC: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#;

    #[test]
    fn survives_line_moves_and_reports_new_findings() {
        let base = std::path::absolute(".").unwrap();
        let before = report(&[("p/a.json", PUBLIC)]);
        assert!(before.diagnostics().count() > 0);
        let b = Baseline::from_report(&before, &base);
        let b = Baseline::parse(&b.to_json()).unwrap();
        let moved = format!("{}{PUBLIC}", "\n".repeat(10));
        let mut after = report(&[("p/a.json", &moved), ("p/b.json", PUBLIC)]);
        let n = b.apply(&mut after, &base);
        assert_eq!(n, before.diagnostics().count());
        let left: Vec<&str> = after
            .diagnostics()
            .map(|(f, _)| f.source.path.as_str())
            .collect();
        assert!(!left.is_empty() && left.iter().all(|p| *p == "p/b.json"));
    }

    #[test]
    fn counts_shared_fingerprints() {
        let base = std::path::absolute(".").unwrap();
        let two = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["*","*"]},"Action":"sts:AssumeRole"}]}"#;
        let r = report(&[("c.json", two)]);
        let b = Baseline::from_report(&r, &base);
        let tl101 = b.findings.iter().find(|e| e.rule == "TL101").unwrap();
        assert_eq!(tl101.count, 2);
        assert!(b.to_json().contains("\"count\": 2"));
    }

    #[test]
    fn rejects_other_versions() {
        assert!(Baseline::parse(r#"{"version": 9, "findings": []}"#).is_err());
        assert!(Baseline::parse("[]").is_err());
    }
}
