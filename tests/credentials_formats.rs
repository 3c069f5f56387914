//! The findings of the places where credentials are requested (SPEC §1.1,
//! TL6xx) in the machine formats: `--format sarif` and `--format github`
//! on `examples/credentials` carry each finding's rule, file, line and
//! column, the same in both formats and the same as `--format concise`.

use std::path::PathBuf;

use serde_json::Value;

mod common;

fn example() -> PathBuf {
    common::repo_root().join("examples/credentials")
}

/// Every finding of `examples/credentials`, as (rule, SPEC §2 severity,
/// file, line, first column, last column, the text there), in the order
/// the report sorts them.
type Finding = (
    &'static str,
    &'static str,
    &'static str,
    u64,
    u64,
    u64,
    &'static str,
);
const EXPECTED: &[Finding] = &[
    ("TL606", "note", ".aws/config", 7, 18, 24, "default"),
    ("TL303", "note", ".aws/config", 8, 20, 24, "28800"),
    ("TL605", "error", ".aws/config", 17, 20, 23, "7200"),
    (
        "TL601",
        "warning",
        ".github/workflows/deploy.yml",
        21,
        34,
        38,
        "21600",
    ),
    (
        "TL605",
        "error",
        ".github/workflows/deploy.yml",
        27,
        34,
        37,
        "7200",
    ),
    (
        "TL504",
        "warning",
        ".github/workflows/deploy.yml",
        34,
        99,
        101,
        r#""*""#,
    ),
    (
        "TL604",
        "warning",
        ".github/workflows/deploy.yml",
        41,
        27,
        62,
        "arn:aws:iam::111122223333:role/smoke",
    ),
    (
        "TL602",
        "warning",
        ".github/workflows/deploy.yml",
        49,
        30,
        60,
        "${{ secrets.CN_ACCESS_KEY_ID }}",
    ),
    (
        "TL603",
        "error",
        "scripts/ops-session.sh",
        4,
        26,
        45,
        "AKIAQ3EGRZ5WPNX7TK42",
    ),
    (
        "TL601",
        "warning",
        "scripts/ops-session.sh",
        9,
        22,
        32,
        r#""$duration""#,
    ),
];

/// (rule, file, line, first column, last column) of every expected finding.
fn expected_places() -> Vec<(String, String, u64, u64, u64)> {
    EXPECTED
        .iter()
        .map(|&(r, _, f, l, c, e, _)| (r.to_owned(), f.to_owned(), l, c, e))
        .collect()
}

/// The expected severity of a rule in this example.
fn severity_of(rule: &str) -> &'static str {
    EXPECTED.iter().find(|e| e.0 == rule).unwrap().1
}

#[test]
fn sarif_of_credentials_findings_has_rule_file_line_and_column() {
    let (code, out, err) = common::check(&example(), &["--no-config", "--format", "sarif", "."]);
    assert_eq!(code, 1, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    let got: Vec<(String, String, u64, u64, u64)> = results
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            let region = &loc["region"];
            assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%", "{r}");
            assert_eq!(region["endLine"], region["startLine"], "{r}");
            (
                r["ruleId"].as_str().unwrap().to_owned(),
                loc["artifactLocation"]["uri"].as_str().unwrap().to_owned(),
                region["startLine"].as_u64().unwrap(),
                region["startColumn"].as_u64().unwrap(),
                // SARIF's endColumn is the column after the last character.
                region["endColumn"].as_u64().unwrap() - 1,
            )
        })
        .collect();
    assert_eq!(got, expected_places(), "{out}");
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        let i = usize::try_from(r["ruleIndex"].as_u64().unwrap()).unwrap();
        assert_eq!(rules[i]["id"], id, "ruleIndex of {r}");
        assert_eq!(r["level"], severity_of(id), "{r}");
        assert!(r["message"]["text"].as_str().unwrap().len() > 10, "{r}");
    }
    // The result of TL603 never prints the key in full (the rule's help
    // in the driver may quote its own example key).
    let results_text = serde_json::to_string(results).unwrap();
    assert!(
        !results_text.contains("AKIAQ3EGRZ5WPNX7TK42"),
        "{results_text}"
    );
    assert!(results_text.contains("AKIA…TK42"), "{results_text}");

    let Some(schema) = common::shared_schema(
        "sarif-schema-2.1.0.json",
        "sarif_of_credentials_findings_has_rule_file_line_and_column (schema part)",
    ) else {
        return;
    };
    let validator = common::validator(&schema);
    assert_eq!(common::errors(&validator, &v), Vec::<String>::new());
}

#[test]
fn github_commands_of_credentials_findings_have_rule_file_line_and_column() {
    let (code, out, err) = common::check(&example(), &["--no-config", "--format", "github", "."]);
    assert_eq!(code, 1, "{err}");
    let mut got = Vec::new();
    for line in out.lines() {
        let rest = line
            .strip_prefix("::")
            .unwrap_or_else(|| panic!("not a workflow command: {line}"));
        let (kind, rest) = rest.split_once(' ').unwrap();
        let (props, message) = rest.split_once("::").unwrap();
        let props: std::collections::BTreeMap<&str, String> = props
            .split(',')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k, common::github_unescape(v))
            })
            .collect();
        let title = &props["title"];
        let (rule, name) = title.split_once(' ').unwrap();
        assert_eq!(trustlint::rules::find(rule).unwrap().name, name, "{line}");
        let want_kind = match severity_of(rule) {
            "note" => "notice",
            other => other,
        };
        assert_eq!(kind, want_kind, "{line}");
        assert_eq!(props["endLine"], props["line"], "{line}");
        assert!(
            common::github_unescape(message).contains("\nhelp: "),
            "{line}"
        );
        let n = |k: &str| props[k].parse::<u64>().unwrap();
        got.push((
            rule.to_owned(),
            props["file"].clone(),
            n("line"),
            n("col"),
            // GitHub's endColumn is the column of the last character.
            n("endColumn"),
        ));
    }
    assert_eq!(got, expected_places(), "{out}");
    assert!(err.contains("Found 10 problems"), "{err}");
}

/// The same findings in the concise format, so that the three formats are
/// held to one list.
#[test]
fn concise_credentials_findings_match_the_machine_formats() {
    let (code, out, err) = common::check(&example(), &["--no-config", "--format", "concise", "."]);
    assert_eq!(code, 1, "{err}");
    let got: Vec<String> = out
        .lines()
        .map(|l| l[..=l.find("] ").unwrap()].to_owned())
        .collect();
    let want: Vec<String> = EXPECTED
        .iter()
        .map(|&(r, severity, f, l, c, _, _)| format!("{f}:{l}:{c}: {severity}[{r}]"))
        .collect();
    assert_eq!(got, want, "{out}");
}

/// Each expected place holds the value the SPEC says a finding points at
/// (§1.1: the YAML scalar, the word of the command line, the INI value), so
/// the list above is not just a copy of the output.
#[test]
fn expected_places_hold_the_offending_values() {
    for &(rule, _, file, line, first, last, text) in EXPECTED {
        let source = std::fs::read_to_string(example().join(file)).unwrap();
        let l = source
            .lines()
            .nth(usize::try_from(line - 1).unwrap())
            .unwrap();
        let chars: Vec<char> = l.chars().collect();
        let at: String = chars[usize::try_from(first - 1).unwrap()..usize::try_from(last).unwrap()]
            .iter()
            .collect();
        assert_eq!(at, text, "{rule} at {file}:{line}:{first}");
    }
}
