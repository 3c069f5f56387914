//! Extraction: find the policy documents and role settings inside a parsed
//! file, resolve template values symbolically, and say what each document
//! is (trust, identity, resource policy) and which resource it belongs to.
//!
//! Formats are recognised by content (SPEC §1), never by name alone. Each
//! format lives in its own module and returns an [`Extracted`]; to add a
//! format, add a module and a branch in [`extract_json`] (or the YAML/HCL
//! entry points).

pub mod cfn;
pub mod creds;
pub mod export;
pub mod plan;
pub mod raw;
pub mod terraform;
pub mod tf_eval;
pub mod tf_json;
mod tf_sink;

use std::cell::Cell;

use crate::diagnostic::Diagnostic;
use crate::policy::DocKind;
use crate::source::Span;
use crate::tree::{has_unknown, Kind, Node, THIS_ACCOUNT, UNKNOWN_PART};

/// How much resolving one file's (or Terraform module's) values may copy,
/// in bytes of text (a node counts as [`NODE_WEIGHT`] bytes). Only copies
/// count: a parameter default or variable pasted where it is referenced, a
/// mapping value, an `Fn::Sub` variable, an `Fn::Join` delimiter, a
/// template interpolation. Real templates copy kilobytes; a template that
/// pastes a megabyte default a hundred thousand times would need 100 GB.
pub const RESOLVE_BUDGET: usize = 16 << 20;

/// What one node of a copied tree weighs in [`RESOLVE_BUDGET`].
pub const NODE_WEIGHT: usize = 16;

/// The copy budget of one resolution (see [`RESOLVE_BUDGET`]). Once spent,
/// every further copy is refused and resolution yields unknowns; the first
/// refusal is remembered so the file gets one diagnostic saying so.
#[derive(Debug, Default)]
pub struct Budget {
    spent: Cell<usize>,
    /// The file index and place of the first refused copy.
    hit: Cell<Option<(usize, Span)>>,
    /// Steps spent deciding which `Fn::If` condition combinations can
    /// happen, for the whole file (`cfn::conditions`).
    pub condition_steps: Cell<u32>,
    /// The file index and place of the first value nested too deeply to
    /// resolve (it became unknown).
    depth_hit: Cell<Option<(usize, Span)>>,
}

impl Budget {
    /// Spend `bytes` for a copy made at `at` in file `file`; `false` when
    /// the budget does not cover it.
    pub fn charge(&self, bytes: usize, file: usize, at: Span) -> bool {
        let spent = self.spent.get().saturating_add(bytes);
        if spent > RESOLVE_BUDGET {
            if self.hit.get().is_none() {
                self.hit.set(Some((file, at)));
            }
            self.spent.set(RESOLVE_BUDGET.saturating_add(1));
            return false;
        }
        self.spent.set(spent);
        true
    }

    /// Has a copy been refused?
    pub fn exhausted(&self) -> bool {
        self.hit.get().is_some()
    }

    /// Where the first copy was refused.
    pub fn hit(&self) -> Option<(usize, Span)> {
        self.hit.get()
    }

    /// Remember the first value too deep to resolve (file `file`, at `at`).
    pub fn too_deep(&self, file: usize, at: Span) {
        if self.depth_hit.get().is_none() {
            self.depth_hit.set(Some((file, at)));
        }
    }

    /// Where the first value too deep to resolve was.
    pub fn depth_hit(&self) -> Option<(usize, Span)> {
        self.depth_hit.get()
    }
}

/// The diagnostic for a file whose resolution ran out of budget.
pub fn budget_diagnostic(at: Span, what: &str) -> Diagnostic {
    Diagnostic::new(
        &crate::diagnostic::PARSE_ERROR,
        at,
        format!(
            "resolving the {what}'s values copies more than {RESOLVE_BUDGET} bytes; \
             values from here on were treated as unknown"
        ),
    )
    .label("resolution stopped here")
    .subject("resolve-budget")
    .limit_reached(Some((
        crate::limit::Limit::ResolveCopies,
        crate::limit::value(RESOLVE_BUDGET),
    )))
}

/// The size of a tree in [`RESOLVE_BUDGET`] bytes: its text plus
/// [`NODE_WEIGHT`] per node. Iterative: trees may be deep.
pub fn weight(n: &Node) -> usize {
    let mut total = 0usize;
    let mut stack = vec![n];
    while let Some(n) = stack.pop() {
        total = total.saturating_add(NODE_WEIGHT);
        match &n.kind {
            Kind::Str(s) | Kind::Num(s) | Kind::Unknown(s) => {
                total = total.saturating_add(s.len());
            }
            Kind::Arr(items) => stack.extend(items),
            Kind::Obj(entries) => {
                for e in entries {
                    total = total.saturating_add(e.key.len());
                    stack.push(&e.value);
                }
            }
            Kind::Null | Kind::Bool(_) => {}
        }
    }
    total
}

/// A policy document to analyse.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// The policy, with template values resolved (unknowns marked).
    pub node: Node,
    /// `None`: decide from content (raw policy files).
    pub kind: Option<DocKind>,
    /// Name used in messages (role or policy name, logical ID).
    pub name: Option<String>,
    /// The resource for JSON/SARIF output: logical ID, Terraform address,
    /// role name or ARN.
    pub resource: Option<String>,
    /// The deploying account as a literal ID, when the file says it
    /// (account exports); templates use the `THIS_ACCOUNT` marker instead.
    pub this_account: Option<String>,
    /// For documents evaluated once per branch of a template condition:
    /// the group they belong to and the branch ("when IsProd is true").
    pub variant: Option<Variant>,
    /// A session policy (SPEC §1.1): read as an identity policy, and for
    /// TL504.
    pub session: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variant {
    /// Documents with the same group are the same document under
    /// different condition assignments.
    pub group: u32,
    /// How many variants the group has.
    pub count: u32,
    /// "when condition `IsProd` is true".
    pub when: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingKind {
    /// Role `MaxSessionDuration` / `max_session_duration`.
    MaxSessionDuration,
    /// A duration from a `sts:DurationSeconds` condition.
    DurationCondition,
    /// A session duration asked for where credentials are requested (a CI
    /// step, a script, a shared config profile; SPEC §1.1). `chained`: the
    /// session is assumed from another role's session (at most 3600 s).
    Requested { by: Requester, chained: bool },
}

/// Who asks for a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requester {
    /// A CI job or a script (TL601).
    Automation,
    /// A shared AWS config profile, used by people (TL303).
    Profile,
}

/// A fact about where credentials are requested, for the TL6xx rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    pub kind: FactKind,
    /// The value it is about.
    pub span: Span,
    /// `deploy.yml › jobs.release › step "Configure AWS"`, `profile dev`.
    pub context: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FactKind {
    /// TL602: long-lived keys configured from the CI's stored secrets or
    /// variables (`secrets.AWS_KEY`, `$AWS_KEY`).
    StaticKeys { from: String },
    /// TL604: `role-to-assume` where the job cannot get an OIDC token.
    NoIdToken,
    /// TL603: a literal access key ID (never printed whole), and whether
    /// the file holds a secret key too.
    AccessKey { id: String, secret: bool },
    /// TL606: a profile assuming a role from long-term keys without MFA.
    ProfileWithoutMfa { source: String },
}

/// A role setting checked by the TL3xx rules.
#[derive(Clone, Debug)]
pub struct Setting {
    pub kind: SettingKind,
    /// The key as written (`MaxSessionDuration`, `max_session_duration`).
    pub key: String,
    pub node: Node,
    pub name: Option<String>,
    pub resource: Option<String>,
    pub variant: Option<Variant>,
    /// For a requested session: the role ARN asked for, when it is
    /// written out (`role-to-assume`, a profile's `role_arn`). `explain`
    /// checks it against the role chains it finds (TL605).
    pub target: Option<String>,
}

/// Everything found in one file.
#[derive(Debug, Default)]
pub struct Extracted {
    pub docs: Vec<Document>,
    pub settings: Vec<Setting>,
    /// Problems found while extracting (TL001 on an embedded document).
    pub diagnostics: Vec<Diagnostic>,
    /// Suppression comments and metadata found in the file.
    pub suppressions: Vec<crate::diagnostic::Suppression>,
    /// Limits reached that no diagnostic reports (a union of `Fn::If`
    /// branches analysed past the variant limit).
    pub limits: Vec<crate::limit::LimitHit>,
    /// Did the file hold anything IAM-related at all?
    pub recognised: bool,
    /// Policy files this one reads (Terraform's `file("…")`), with the
    /// documents found in them: reported in those files.
    pub loaded: Vec<Loaded>,
    /// Where credentials are requested (SPEC §1.1).
    pub facts: Vec<Fact>,
    /// Managed policies attached to a role (an account export's
    /// `AttachedManagedPolicies`): the role's resource (its ARN) and the
    /// policy ARN. `explain` reads them for chains and privilege.
    pub attached: Vec<(String, String)>,
}

/// A policy file read by another file, and what was found in it.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The path as reports show it.
    pub path: String,
    pub text: String,
    pub out: Extracted,
}

/// Dispatch a parsed JSON file by content (SPEC §1 table).
pub fn extract_json(root: Node, text: &str, path: &std::path::Path) -> Extracted {
    if raw::is_raw_policy(&root) {
        // The file is the document: move it, no copy.
        raw::extract_owned(root)
    } else if cfn::is_template(&root) {
        cfn::extract(&root, text)
    } else if plan::is_plan(&root) {
        plan::extract(&root, text)
    } else if export::is_export(&root) {
        export::extract(&root, text)
    } else if tf_json::is_tf_json(&root, path) {
        tf_json::extract(&root, text, path)
    } else {
        Extracted::default()
    }
}

/// Parse and extract a YAML file (CloudFormation / SAM).
pub fn extract_yaml(text: &str) -> Result<Extracted, crate::load::ParseError> {
    cfn::extract_yaml(text)
}

/// Parse and extract the `.tf` files of one module directory together.
/// Returns one result per file, in order; `report_on` is false for
/// sibling files read only to resolve variables and data sources.
pub fn extract_hcl_module(
    files: &[(std::sync::Arc<crate::source::SourceFile>, bool)],
    reader: Option<&tf_eval::FileReader<'_>>,
) -> Vec<Result<Extracted, crate::load::ParseError>> {
    terraform::extract_module(files, reader)
}

/// The ARN of an IAM user or role (`what`) created by the same template or
/// module: this account, a name that does not matter to the rules.
pub fn same_stack_principal(what: &str) -> String {
    format!("arn:aws:iam::{THIS_ACCOUNT}:{what}/{UNKNOWN_PART}")
}

/// The value of a duration setting.
#[derive(Clone, Debug, PartialEq)]
pub enum Duration {
    Seconds(f64),
    NotANumber(String),
    Unknown,
}

/// Is a number, as written, a whole number? Decided on the decimal text,
/// not on an `f64` (`3600.0000000000001` is not whole, though it rounds
/// to 3600). `None` when the text is not a decimal number.
pub fn is_whole_number_text(text: &str) -> Option<bool> {
    let t = text.trim();
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    let (mantissa, exp) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], t[i + 1..].parse::<i64>().ok()?),
        None => (t, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty()
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    // Digits from the decimal point (moved by the exponent) on must be 0.
    let point = i64::try_from(int.len()).ok()?.saturating_add(exp);
    let digits = int.bytes().chain(frac.bytes());
    let skip = usize::try_from(point.max(0)).unwrap_or(usize::MAX);
    Some(digits.skip(skip).all(|b| b == b'0'))
}

pub fn duration_value(n: &Node) -> Duration {
    match &n.kind {
        Kind::Num(t) => t
            .parse()
            .map_or(Duration::NotANumber(t.clone()), Duration::Seconds),
        Kind::Str(s) if has_unknown(s) => Duration::Unknown,
        Kind::Str(s) => s
            .trim()
            .parse()
            .map_or(Duration::NotANumber(s.clone()), Duration::Seconds),
        Kind::Unknown(_) | Kind::Null => Duration::Unknown,
        Kind::Bool(b) => Duration::NotANumber(b.to_string()),
        Kind::Arr(_) | Kind::Obj(_) => Duration::NotANumber(n.type_name().to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::is_whole_number_text as whole;

    #[test]
    fn whole_numbers_by_their_text() {
        for t in [
            "3600", "3600.0", "3600.000", "36e2", "3.6e3", "3.6E+3", "0", "-7", " 43200 ",
        ] {
            assert_eq!(whole(t), Some(true), "{t}");
        }
        for t in [
            "3600.0000000000001",
            "3600.5",
            "3.6005e3",
            "36001e-1",
            "1e-400",
            "0.5",
        ] {
            assert_eq!(whole(t), Some(false), "{t}");
        }
        for t in [
            "",
            ".",
            "abc",
            "1e",
            "1.2.3",
            "0x10",
            "1e99999999999999999999",
        ] {
            assert_eq!(whole(t), None, "{t}");
        }
        assert_eq!(whole("1e400"), Some(true));
    }
}
