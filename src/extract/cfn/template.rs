//! The parts of a template that resolution reads: its sections by name,
//! its text and syntax, and the copy budget shared with nested templates.

use crate::extract::Budget;
use crate::source::Span;
use crate::tree::{KeyIndex, Node};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Syntax {
    Json,
    Yaml,
}

/// The parts of the template resolution reads.
#[derive(Clone, Copy)]
pub(super) struct Template<'a> {
    pub(super) root: &'a Node,
    pub(super) text: &'a str,
    pub(super) syntax: Syntax,
    /// The file's copy budget, shared with nested templates.
    pub(super) budget: &'a Budget,
    /// How deep this template is nested (0: the file itself).
    pub(super) level: usize,
    /// The template's sections by name, looked up once per use.
    pub(super) sections: &'a Sections<'a>,
}

/// A template's top-level sections, indexed by key (a template of
/// 100,000 parameters each used once was quadratic, issue 11).
pub(super) struct Sections<'a> {
    pub(super) parameters: KeyIndex<'a>,
    pub(super) mappings: KeyIndex<'a>,
    pub(super) conditions: KeyIndex<'a>,
    pub(super) resources: KeyIndex<'a>,
}

impl<'a> Sections<'a> {
    pub(super) fn new(root: &'a Node) -> Self {
        Sections {
            parameters: KeyIndex::new(root.get("Parameters")),
            mappings: KeyIndex::new(root.get("Mappings")),
            conditions: KeyIndex::new(root.get("Conditions")),
            resources: KeyIndex::new(root.get("Resources")),
        }
    }
}

impl<'a> Template<'a> {
    /// Spend the copy budget for a value pasted at `at`.
    pub(super) fn charge(&self, bytes: usize, at: Span) -> bool {
        self.budget.charge(bytes, self.level, at)
    }

    pub(super) fn parameter(&self, name: &str) -> Option<&'a Node> {
        self.sections.parameters.get(name)
    }

    pub(super) fn mapping(&self, name: &str) -> Option<&'a Node> {
        self.sections.mappings.get(name)
    }

    pub(super) fn condition(&self, name: &str) -> Option<&'a Node> {
        self.sections.conditions.get(name)
    }
}
