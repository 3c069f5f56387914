//! Span-preserving loaders: JSON, YAML and HCL text into [`Node`] trees.
//!
//! Each loader enforces its own nesting limit so that no input can overflow
//! the stack, and reports syntax errors with the offending span. Decoding
//! (BOM, UTF-16) happens before, in [`decode`].

pub mod decode;
pub mod embedded;
pub mod file;
pub mod hcl;
mod hcl_check;
pub mod ini;
pub mod json;
mod json_fast;
pub mod shell;
pub mod yaml;
mod yaml_fast;
mod yaml_scalar;

use crate::limit::{self, Bound, Limit};
use std::path::Path;

use crate::source::Span;

/// Maximum nesting depth the JSON and YAML loaders accept (the JSON loader
/// checks it with a byte scan before parsing; YAML tags count as a level).
/// hcl-edit caps HCL at 64 levels itself. Every tree is therefore shallow
/// enough for recursive code on any thread's stack.
pub const MAX_DEPTH: usize = 256;

/// Maximum number of values (scalars and collections) in one file. A
/// parsed scalar takes about 85 bytes and an object of one key about 280
/// (parser AST and our tree), so a file of millions of tiny values would
/// need gigabytes; 2,000,000 values (a pretty-printed template of about
/// 60 MB) keep one file under about 600 MB at worst. For HCL the count is
/// of separators (`,` `=` `[` `{` `(` outside strings), a bound on the
/// expressions hcl-edit builds.
pub const MAX_VALUES: usize = 2_000_000;

/// The error for a text with more than [`MAX_VALUES`] values, at the
/// value that crosses it.
pub fn too_many_values(at: usize) -> ParseError {
    ParseError::new(
        crate::source::Span::new(at, at + 1),
        format!("the text holds more than {MAX_VALUES} values"),
    )
    .limit((Limit::ValuesPerFile, limit::value(MAX_VALUES)))
}

/// The error for nesting deeper than [`MAX_DEPTH`] at `span`.
pub fn too_deep(span: Span, message: impl Into<String>) -> ParseError {
    ParseError::new(span, message).limit((Limit::NestingDepth, limit::value(MAX_DEPTH)))
}

/// A syntax error (TL001) at a place in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    pub span: Span,
    pub message: String,
    /// The limit reached, when the error is one (TL001 plus a limit hit).
    pub limit: Option<Bound>,
}

impl ParseError {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        ParseError {
            span,
            message: message.into(),
            limit: None,
        }
    }

    /// Mark the error as a limit reached.
    pub fn limit(mut self, limit: Bound) -> Self {
        self.limit = Some(limit);
        self
    }

    /// The same error at another place (an embedded document's error
    /// mapped back into the file).
    pub fn at(mut self, span: Span) -> Self {
        self.span = span;
        self
    }
}

/// How a file's text is parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
    Hcl,
}

pub fn format_for(path: &Path, text: &str) -> Format {
    let name = path
        .file_name()
        .map(|n| crate::paths::lossy(n).to_ascii_lowercase())
        .unwrap_or_default();
    let first = text.trim_start().chars().next();
    if name.ends_with(".tf.json") || name.ends_with(".json") {
        Format::Json
    } else if name.ends_with(".tf") {
        Format::Hcl
    } else if name.ends_with(".yaml") || name.ends_with(".yml") {
        Format::Yaml
    } else if matches!(first, Some('{' | '[')) {
        Format::Json
    } else if text.contains("resource \"") || text.contains("data \"") {
        Format::Hcl
    } else {
        Format::Yaml
    }
}
