//! Renderers for `explain`: JSON (SPEC §3.1), human (a block per role,
//! coloured like `check`), markdown (a PR comment or audit report) and
//! mermaid (the trust graph for GitHub to render). They return strings;
//! the binary writes them.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};

use super::{Explanation, Exposure, Grant, Role};

pub fn json(e: &Explanation) -> String {
    let mut s = serde_json::to_string_pretty(e).unwrap_or_else(|_| "{}".to_owned());
    s.push('\n');
    s
}

pub fn exposure_style(x: Exposure) -> Style {
    let c = match x {
        Exposure::Public => AnsiColor::Red,
        Exposure::External => AnsiColor::Yellow,
        Exposure::Federated => AnsiColor::Magenta,
        Exposure::Unknown => AnsiColor::Blue,
        Exposure::SameAccount => AnsiColor::Cyan,
        Exposure::Service => AnsiColor::Green,
        Exposure::None => AnsiColor::BrightBlack,
    };
    let s = Style::new().fg_color(Some(c.into()));
    if x == Exposure::Public {
        s.bold()
    } else {
        s
    }
}

struct Paint {
    color: bool,
}

impl Paint {
    fn p(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }
}

pub fn seconds_words(s: u64) -> String {
    if s.is_multiple_of(3600) {
        format!("{} h", s / 3600)
    } else if s.is_multiple_of(60) {
        format!("{} min", s / 60)
    } else {
        format!("{s} s")
    }
}

fn session_words(r: &Role) -> String {
    match r.max_session_seconds {
        Some(s) => format!("sessions up to {}", seconds_words(s)),
        None if r.account.is_none() => "session length not known (a policy file)".to_owned(),
        None => "session length not known".to_owned(),
    }
}

fn account_words(r: &Role) -> String {
    match r.account.as_deref() {
        Some("this") => "the deploying account".to_owned(),
        Some(a) => format!("account {a}"),
        None => "account not known".to_owned(),
    }
}

fn condition_line(c: &super::ConditionView) -> String {
    let v = if c.values.len() == 1 {
        c.values[0].clone()
    } else {
        format!("[{}]", c.values.join(", "))
    };
    format!("{} {} {}", c.operator, c.key, v)
}

/// One block per role, then the summary.
pub fn human(e: &Explanation, color: bool) -> String {
    let paint = Paint { color };
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    let mut out = String::new();
    for r in &e.roles {
        let x = r.exposure;
        let _ = writeln!(
            out,
            "{} {}  {}",
            paint.p(bold, &r.role),
            paint.p(exposure_style(x), &format!("[{}]", x.as_str())),
            paint.p(
                dim,
                &format!("{}:{}:{}", r.path, r.span.start.line, r.span.start.column)
            ),
        );
        let mut facts = format!("  {}, {}", account_words(r), session_words(r));
        if !r.role_findings.is_empty() {
            facts.push_str(&format!(" ({})", r.role_findings.join(", ")));
        }
        let _ = writeln!(out, "{facts}");
        if r.grants.is_empty() {
            let _ = writeln!(
                out,
                "  {}",
                paint.p(
                    dim,
                    "nobody: no Allow statement grants an assume-role action"
                )
            );
        }
        for g in &r.grants {
            let _ = writeln!(
                out,
                "  {} {}",
                paint.p(exposure_style(g.exposure), "•"),
                g.text
            );
            let mut what = format!("{} ({}", g.principal, g.class);
            if let Some(p) = g.provider {
                what.push_str(&format!(", {p}"));
            }
            what.push(')');
            let _ = writeln!(out, "      {} {what}", paint.p(dim, "principal:"));
            let _ = writeln!(
                out,
                "      {} {}",
                paint.p(dim, "actions:  "),
                g.actions.join(", ")
            );
            for (i, c) in g.conditions.iter().enumerate() {
                let head = if i == 0 { "condition:" } else { "          " };
                let verdict = match &c.why {
                    None => paint.p(
                        Style::new().fg_color(Some(AnsiColor::Green.into())),
                        "restricts",
                    ),
                    Some(why) => paint.p(
                        Style::new().fg_color(Some(AnsiColor::Yellow.into())),
                        &format!("does not restrict: {why}"),
                    ),
                };
                let _ = writeln!(
                    out,
                    "      {} {} — {verdict}",
                    paint.p(dim, head),
                    condition_line(c)
                );
            }
            if !g.findings.is_empty() {
                let _ = writeln!(
                    out,
                    "      {} {}",
                    paint.p(dim, "findings: "),
                    g.findings.join(", ")
                );
            }
        }
        if !r.reachable_from.is_empty() {
            let _ = writeln!(out, "  {}", paint.p(bold, "reachable through role chains:"));
            for c in &r.reachable_from {
                let _ = writeln!(
                    out,
                    "    {} (sessions up to {})",
                    c.path.join(" → "),
                    seconds_words(c.max_session_seconds)
                );
            }
        }
        for n in &r.notes {
            let _ = writeln!(
                out,
                "  {} {n}",
                paint.p(Style::new().fg_color(Some(AnsiColor::Red.into())), "error:")
            );
        }
        if r.unknown_links > 0 {
            let _ = writeln!(
                out,
                "  {}",
                paint.p(
                    dim,
                    &format!(
                        "{} possible link(s) through unresolved values, not followed",
                        r.unknown_links
                    )
                )
            );
        }
        out.push('\n');
    }
    // Account exports and whole repositories end with a summary.
    if e.export || e.roles.len() > 1 && !e.filtered {
        out.push_str(&account_summary(e, &paint));
    }
    out.push_str(&summary_line(e));
    out
}

pub fn summary_line(e: &Explanation) -> String {
    let s = &e.summary;
    let parts: Vec<String> = [
        (s.public, "public"),
        (s.external, "external"),
        (s.federated, "federated"),
        (s.unknown, "unknown"),
        (s.same_account, "same-account"),
        (s.service_only, "service only"),
        (s.none, "assumable by nobody"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, w)| format!("{n} {w}"))
    .collect();
    let roles = if s.roles == 1 { "role" } else { "roles" };
    if parts.is_empty() {
        format!("{} {roles}.\n", s.roles)
    } else {
        format!("{} {roles}: {}.\n", s.roles, parts.join(", "))
    }
}

fn names(roles: &[&Role]) -> String {
    const SHOWN: usize = 8;
    let mut v: Vec<&str> = roles.iter().map(|r| r.role.as_str()).collect();
    v.sort_unstable();
    let more = v.len().saturating_sub(SHOWN);
    v.truncate(SHOWN);
    let mut s = v.join(", ");
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    s
}

/// The one-screen summary of an account export.
fn account_summary(e: &Explanation, paint: &Paint) -> String {
    let bold = Style::new().bold();
    let mut out = String::new();
    let title = if e.export {
        "Account summary"
    } else {
        "Summary"
    };
    let _ = writeln!(out, "{}", paint.p(bold, title));
    let of = |x: Exposure| -> Vec<&Role> { e.roles.iter().filter(|r| r.exposure == x).collect() };
    let public = of(Exposure::Public);
    if !public.is_empty() {
        let _ = writeln!(
            out,
            "  {} {}: {}",
            paint.p(exposure_style(Exposure::Public), "public"),
            public.len(),
            names(&public)
        );
    }
    let external = of(Exposure::External);
    if !external.is_empty() {
        let guarded = |r: &&Role| {
            r.grants
                .iter()
                .filter(|g| g.exposure == Exposure::External)
                .all(|g| g.mfa || g.external_id)
        };
        let (with, without): (Vec<&Role>, Vec<&Role>) =
            external.iter().copied().partition(|r| guarded(r));
        let _ = writeln!(
            out,
            "  {} {}: {} with an ExternalId or MFA, {} without{}",
            paint.p(exposure_style(Exposure::External), "external"),
            external.len(),
            with.len(),
            without.len(),
            if without.is_empty() {
                String::new()
            } else {
                format!(" ({})", names(&without))
            }
        );
    }
    let federated = of(Exposure::Federated);
    if !federated.is_empty() {
        let mut providers: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &federated {
            let mut seen: Vec<&str> = r.grants.iter().filter_map(|g| g.provider).collect();
            seen.sort_unstable();
            seen.dedup();
            for p in seen {
                *providers.entry(p).or_default() += 1;
            }
        }
        let list: Vec<String> = providers.iter().map(|(p, n)| format!("{p} {n}")).collect();
        let _ = writeln!(
            out,
            "  {} {}: {}",
            paint.p(exposure_style(Exposure::Federated), "federated"),
            federated.len(),
            list.join(", ")
        );
    }
    for (x, label) in [
        (Exposure::Unknown, "unknown"),
        (Exposure::SameAccount, "same-account"),
        (Exposure::Service, "service only"),
        (Exposure::None, "assumable by nobody"),
    ] {
        let n = of(x).len();
        if n > 0 {
            let _ = writeln!(out, "  {} {n}", paint.p(exposure_style(x), label));
        }
    }
    let privileged: Vec<&Role> = e.roles.iter().filter(|r| r.powers.privileged).collect();
    if !privileged.is_empty() {
        let _ = writeln!(
            out,
            "  {} {}: {}",
            paint.p(bold, "most privileged (* on *, or iam:*)"),
            privileged.len(),
            names(&privileged)
        );
        let mut any = false;
        for r in &privileged {
            for c in r.reachable_from.iter().take(3) {
                any = true;
                let _ = writeln!(out, "    {}", c.path.join(" → "));
            }
        }
        if !any {
            let _ = writeln!(out, "    no role chain in the scanned files reaches them");
        }
    }
    out.push('\n');
    out
}

/// A markdown table cell: no line breaks, pipes escaped.
fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

fn code(s: &str) -> String {
    if s.contains('`') {
        format!("`` {} ``", cell(s))
    } else {
        format!("`{}`", cell(s))
    }
}

fn restricted_by(g: &Grant) -> String {
    let mut v: Vec<String> = g
        .conditions
        .iter()
        .map(|c| {
            if c.effective {
                code(&condition_line(c))
            } else {
                format!("~~{}~~ (does not restrict)", code(&condition_line(c)))
            }
        })
        .collect();
    if v.is_empty() {
        v.push("nothing".to_owned());
    }
    v.join("<br>")
}

/// A summary table, then one section per role.
pub fn markdown(e: &Explanation) -> String {
    let mut out = String::from("## Who can assume what\n\n");
    let s = &e.summary;
    out.push_str("| Exposure | Roles |\n| --- | ---: |\n");
    for (label, n) in [
        ("public", s.public),
        ("external", s.external),
        ("federated", s.federated),
        ("unknown", s.unknown),
        ("same-account", s.same_account),
        ("service only", s.service_only),
        ("nobody", s.none),
    ] {
        if n > 0 {
            let _ = writeln!(out, "| {label} | {n} |");
        }
    }
    let _ = writeln!(out, "| **total** | **{}** |\n", s.roles);
    if !e.roles.is_empty() {
        out.push_str("| Role | Exposure | File |\n| --- | --- | --- |\n");
        for r in &e.roles {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                code(&r.role),
                r.exposure.as_str(),
                code(&format!("{}:{}", r.path, r.span.start.line))
            );
        }
        out.push('\n');
    }
    for r in &e.roles {
        let _ = writeln!(
            out,
            "### {} — {}\n\n{} · {} · {}\n",
            code(&r.role),
            r.exposure.as_str(),
            code(&format!("{}:{}", r.path, r.span.start.line)),
            account_words(r),
            session_words(r)
        );
        if r.grants.is_empty() {
            out.push_str("Nobody: no Allow statement grants an assume-role action.\n\n");
            continue;
        }
        out.push_str("| Who | Principal | Actions | Conditions | Findings |\n| --- | --- | --- | --- | --- |\n");
        for g in &r.grants {
            let findings = if g.findings.is_empty() {
                "—".to_owned()
            } else {
                g.findings.join(", ")
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                cell(&g.text),
                code(&g.principal),
                cell(&g.actions.join(", ")),
                restricted_by(g),
                findings
            );
        }
        out.push('\n');
        for n in &r.notes {
            let _ = writeln!(out, "> **Error:** {}\n", cell(n));
        }
        if !r.reachable_from.is_empty() {
            out.push_str("Reachable through role chains:\n\n");
            for c in &r.reachable_from {
                let _ = writeln!(
                    out,
                    "- {} (sessions up to {})",
                    c.path
                        .iter()
                        .map(|p| code(p))
                        .collect::<Vec<_>>()
                        .join(" → "),
                    seconds_words(c.max_session_seconds)
                );
            }
            out.push('\n');
        }
    }
    out
}

/// A mermaid label: quoted, with the characters mermaid reads escaped as
/// entity codes.
pub fn label(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            '{' => out.push_str("#123;"),
            '}' => out.push_str("#125;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The trust graph: principals → roles, role chains included; public
/// edges thick and red, external edges dotted.
pub fn mermaid(e: &Explanation) -> String {
    let mut out = String::from("flowchart LR\n");
    let mut role_ids: BTreeMap<&str, String> = BTreeMap::new();
    for (i, r) in e.roles.iter().enumerate() {
        let id = format!("r{i}");
        let _ = writeln!(
            out,
            "  {id}[{}]:::{}",
            label(&format!("{} ({})", r.role, r.exposure.as_str())),
            class_of(r.exposure)
        );
        role_ids.entry(r.role.as_str()).or_insert(id);
    }
    let mut principals: BTreeMap<(&str, &str), String> = BTreeMap::new();
    let mut edges: Vec<String> = Vec::new();
    let mut styles: Vec<(usize, &str)> = Vec::new();
    for (i, r) in e.roles.iter().enumerate() {
        for g in &r.grants {
            let key = (g.principal.as_str(), g.text.as_str());
            let next = principals.len();
            let pid = principals
                .entry(key)
                .or_insert_with(|| format!("p{next}"))
                .clone();
            let (arrow, style) = match g.exposure {
                Exposure::Public => ("==>|public|", Some("stroke:#d00,stroke-width:3px")),
                Exposure::External => ("-.->|external|", Some("stroke:#c80")),
                _ => ("-->", None),
            };
            let edge = format!("  {pid} {arrow} r{i}");
            if !edges.contains(&edge) {
                if let Some(s) = style {
                    styles.push((edges.len(), s));
                }
                edges.push(edge);
            }
        }
        for c in &r.reachable_from {
            // Role to role: the consecutive role names of the chain.
            for w in c.path.windows(2).skip(1) {
                if let (Some(a), Some(b)) =
                    (role_ids.get(w[0].as_str()), role_ids.get(w[1].as_str()))
                {
                    let edge = format!("  {a} -->|chain| {b}");
                    if !edges.contains(&edge) {
                        edges.push(edge);
                    }
                }
            }
        }
    }
    let mut ps: Vec<(&String, &(&str, &str))> = principals.iter().map(|(k, v)| (v, k)).collect();
    ps.sort_by_key(|(id, _)| id[1..].parse::<usize>().unwrap_or(usize::MAX));
    for (id, (principal, text)) in ps {
        let shown = if text.len() > 80 { principal } else { text };
        let _ = writeln!(out, "  {id}({})", label(shown));
    }
    for e in &edges {
        out.push_str(e);
        out.push('\n');
    }
    for (n, s) in styles {
        let _ = writeln!(out, "  linkStyle {n} {s}");
    }
    out.push_str("  classDef public fill:#fdd,stroke:#d00\n");
    out.push_str("  classDef external fill:#fed,stroke:#c80\n");
    out.push_str("  classDef federated fill:#eef,stroke:#66c\n");
    out.push_str("  classDef internal fill:#efe,stroke:#393\n");
    out
}

fn class_of(x: Exposure) -> &'static str {
    match x {
        Exposure::Public => "public",
        Exposure::External | Exposure::Unknown => "external",
        Exposure::Federated => "federated",
        _ => "internal",
    }
}
