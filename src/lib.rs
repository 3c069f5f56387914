#![warn(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]
//! trustlint: a linter for AWS IAM trust — who can assume a role, under
//! what conditions, and for how long.
//!
//! Data flows one way: [`discover`] files → [`load`] (span-preserving parse
//! into one [`tree::Node`] type) → [`extract`] (find policy documents and
//! role settings, resolve template values) → [`policy`] (typed model) →
//! [`analysis`] (what a trust grants, what constrains it) → [`rules`] →
//! [`report`]. [`explain`] sits on top of the same pipeline
//! ([`lint::lint_visit`]) and says who can assume each role; [`diff`]
//! compares those grants between two git revisions. The library
//! never prints; `main.rs` does.

pub mod analysis;
pub mod baseline;
pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod discover;
pub mod docs;
pub mod explain;
pub mod extract;
pub mod limit;
pub mod lint;
pub mod load;
pub mod mask;
pub mod ordered;
pub mod paths;
pub mod policy;
pub mod report;
pub mod rules;
pub mod settings;
pub mod source;
pub mod suppress;
pub mod tree;

pub use diagnostic::{Diagnostic, Severity};
pub use lint::{lint, lint_text, FileReport, Input, Report};
pub use settings::Settings;
