//! Span-preserving loaders: JSON, YAML and HCL text into [`Node`] trees.
//!
//! Each loader enforces its own nesting limit so that no input can overflow
//! the stack, and reports syntax errors with the offending span. Decoding
//! (BOM, UTF-16) happens before, in [`decode`].

pub mod decode;
pub mod embedded;
pub mod hcl;
pub mod json;
pub mod yaml;

use crate::source::Span;

/// Maximum nesting depth our own tree builders accept. jsonc-parser stops
/// at 512 levels by itself; YAML and HCL converters use this.
pub const MAX_DEPTH: usize = 256;

/// A syntax error (TL001) at a place in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    pub span: Span,
    pub message: String,
}

impl ParseError {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        ParseError {
            span,
            message: message.into(),
        }
    }
}
