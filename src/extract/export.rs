//! Not yet implemented.

use super::Extracted;
use crate::tree::Node;

pub fn is_export(_root: &Node) -> bool {
    false
}

pub fn extract(_root: &Node, _text: &str) -> Extracted {
    Extracted::default()
}
