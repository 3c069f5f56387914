//! Not yet implemented.

use super::Extracted;
use crate::tree::Node;

pub fn is_tf_json(_root: &Node, _path: &std::path::Path) -> bool {
    false
}

pub fn extract(_root: &Node, _text: &str, _path: &std::path::Path) -> Extracted {
    Extracted::default()
}
