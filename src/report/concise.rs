//! `--format concise`: one line per finding,
//! `path:line:col: severity[ID] message`.

use crate::lint::Report;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for (f, d) in report.diagnostics() {
        let p = f.source.position(d.primary.span.start as usize);
        let resource = d
            .resource
            .as_deref()
            .map(|r| format!(" [{r}]"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}{resource}\n",
            f.source.path, p.line, p.column, d.severity, d.rule.id, d.message
        ));
    }
    out
}
