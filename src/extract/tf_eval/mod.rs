//! Terraform values, resolved symbolically (SPEC §1): the module's
//! variables (their defaults), locals, `data "aws_iam_policy_document"`
//! blocks, `data.aws_caller_identity.*.account_id` (this account),
//! `data.aws_partition.*.partition`, `jsonencode(...)`, heredoc and quoted
//! JSON, and `file("...")` of a policy file; arithmetic, `==`/`!=`,
//! conditionals, `concat`, `format`, `join` and `lookup` on values known
//! that way. Anything else — module outputs,
//! resource attributes, conditions on unknown values, `for` expressions,
//! `count`/`each` — becomes [`Kind::Unknown`](crate::tree::Kind::Unknown):
//! the rules never rest a finding on a guess.
//!
//! One [`Module`] holds the definitions of every file of a module directory
//! (HCL bodies or `.tf.json` roots); an [`Eval`] resolves expressions
//! against it. A node never mixes spans of two files: a value taken from
//! another file is re-spanned onto the reference that uses it, with a
//! [`Via`](crate::tree::Via) label saying where it came from.
//!
//! Evaluation is bounded: a reference chain deeper than [`MAX_DEPTH`], a
//! cycle, more than [`FUEL`] evaluation steps per module, or copies beyond
//! the module's [`Budget`](super::Budget) (a variable pasted at every use,
//! a template interpolation, a policy file read again) yield unknowns.
//! Running out of steps or budget is reported once ([`Eval::limit_hit`]).
//!
//! One job per file. They import each other one way: `module`,
//! `provenance` and `guard` at the bottom, then `eval`, then `references`,
//! `functions` and `policy_value` (which add methods to [`Eval`]), then
//! `policy_document`:
//!
//! - `module`: the definitions gathered per module directory;
//! - `provenance`: re-spanning a value onto its use site, `Via` labels;
//! - `guard`: statements known only in part;
//! - `eval`: the evaluator's state and bounds, and expression values;
//! - `references`: `var.*`, `local.*`, `data.*` and resource references;
//! - `functions`: built-in Terraform functions, `file()`;
//! - `policy_value`: policy-valued expressions resolved to documents;
//! - `policy_document`: `aws_iam_policy_document` synthesis.

mod eval;
mod functions;
mod guard;
mod module;
mod policy_document;
mod policy_value;
mod provenance;
mod references;

pub use eval::{Eval, LoadedFile, FUEL, MAX_DEPTH, NOFILE};
pub use functions::MAX_POLICY_FILE;
pub use guard::{claim_of_unknown_issuer, guard};
pub use module::{
    labels, objects, BlockBody, DataDoc, Def, Expr, File, FileReader, Module, ProviderDef, VarDef,
};
pub use policy_document::doc_key;
pub use policy_value::Resolved;

#[cfg(test)]
mod tests;
