//! TL001: an IAM-related file that is not valid JSON, YAML or HCL.
//!
//! Reported by the driver (`lint::lint_file`), not by a check: a file that
//! does not parse has no documents to check.

use super::{Check, Rule};
use crate::diagnostic::PARSE_ERROR;

pub static RULE: Rule = Rule::new(
    &PARSE_ERROR,
    Check::Driver,
);
