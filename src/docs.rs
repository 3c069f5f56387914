//! Rule documentation pages (`rules/*.md`), embedded in the binary for
//! `trustlint rule ID` and linked from SARIF.

/// (rule ID, file name, page text)
pub static PAGES: &[(&str, &str, &str)] = &[(
    "TL004",
    "TL004-invalid-suppression.md",
    include_str!("../rules/TL004-invalid-suppression.md"),
)];

pub fn page(id: &str) -> Option<&'static str> {
    PAGES.iter().find(|(i, _, _)| *i == id).map(|(_, _, t)| *t)
}

/// The page's path in the repository (`rules/TL101-public-trust.md`).
pub fn file_name(id: &str) -> Option<&'static str> {
    PAGES.iter().find(|(i, _, _)| *i == id).map(|(_, f, _)| *f)
}
