//! TL001: an IAM-related file that is not valid JSON, YAML or HCL.
//!
//! Reported by the driver (`lint::lint_file`), not by a check: a file that
//! does not parse has no documents to check.

use super::{Check, RuleMeta};
use crate::diagnostic::Severity;

pub static RULE: RuleMeta = RuleMeta {
    id: "TL001",
    name: "parse-error",
    severity: Severity::Error,
    summary:
        "an IAM-related file that is not valid JSON / YAML / HCL, or nests deeper than the limit",
    help: Some("fix the syntax error; nothing else in this file was checked"),
    check: Check::Driver,
};
