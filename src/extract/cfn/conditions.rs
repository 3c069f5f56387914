//! Which truth assignments of CloudFormation conditions can happen.
//!
//! `Fn::If` is checked once per assignment of the conditions a document
//! uses. Conditions are not independent: `NotProd: !Not [!Condition
//! IsProd]`, or `IsProd`/`IsDev` comparing one parameter with two values,
//! cannot both be true. An assignment is *feasible* unless the template
//! proves it impossible: every `Fn::Equals` of a parameter (`Ref`) and a
//! literal is an atom, a parameter takes at most one value, and each
//! assigned condition must be able to evaluate to its assigned value.
//! Anything else (`Fn::Equals` on other values, even two literals, unknown
//! functions) could be either, so it never makes an assignment impossible.

use std::cell::Cell;
use std::collections::BTreeMap;

use crate::tree::Node;

/// At most this many parameter atoms are enumerated; beyond it every
/// assignment counts as feasible.
const MAX_ATOMS: usize = 10;

/// How deep condition definitions (and `Condition` references) are followed.
const MAX_DEPTH: usize = 32;

/// Steps one feasibility check may take: `Condition` references can form a
/// diamond-shaped graph that is exponential to walk. Past it, the
/// assignment counts as feasible (nothing is ruled out).
const MAX_STEPS: u32 = 200_000;

/// Steps all the checks of one file may take together (a template of
/// thousands of roles, each with its own conditions); past it, every
/// assignment counts as feasible.
const MAX_FILE_STEPS: u32 = 5_000_000;

/// Counts steps against [`MAX_STEPS`]; `false` once it is spent.
fn step(steps: &Cell<u32>) -> bool {
    steps.set(steps.get().saturating_add(1));
    steps.get() <= MAX_STEPS
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    fn from(b: bool) -> Tri {
        if b {
            Tri::True
        } else {
            Tri::False
        }
    }
    fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }
}

/// A `Ref` to a parameter compared with a literal.
type Atom = (String, String);

/// Spend `n` of the file's condition steps (shared with the evaluation of
/// conditions under parameter defaults); `false` once they are spent.
pub fn spend(spent: &Cell<u32>, n: u32) -> bool {
    spent.set(spent.get().saturating_add(n));
    spent.get() <= MAX_FILE_STEPS
}

/// Can the conditions take these values together? `spent` counts the
/// file's steps across calls.
pub fn feasible(template: &Node, assign: &[(String, bool)], spent: &Cell<u32>) -> bool {
    if spent.get() > MAX_FILE_STEPS {
        return true;
    }
    let steps = Cell::new(0);
    let result = check(template, assign, &steps);
    spend(spent, steps.get());
    result
}

fn check(template: &Node, assign: &[(String, bool)], steps: &Cell<u32>) -> bool {
    let Some(conditions) = template.get("Conditions") else {
        return true;
    };
    let parameters = template.get("Parameters");
    let is_parameter = |name: &str| parameters.is_some_and(|p| p.get(name).is_some());
    let mut atoms: Vec<Atom> = Vec::new();
    for (name, _) in assign {
        if let Some(def) = conditions.get(name) {
            collect_atoms(conditions, def, &is_parameter, &mut atoms, steps, 0);
        }
    }
    if atoms.len() > MAX_ATOMS || steps.get() > MAX_STEPS {
        return true;
    }
    // Each valuation of the atoms where no parameter equals two values.
    (0u32..1 << atoms.len()).any(|mask| {
        let truth: BTreeMap<&Atom, bool> = atoms
            .iter()
            .enumerate()
            .map(|(i, a)| (a, mask & (1 << i) != 0))
            .collect();
        let consistent = atoms.iter().enumerate().all(|(i, a)| {
            !truth[a]
                || atoms
                    .iter()
                    .enumerate()
                    .all(|(j, b)| j == i || b.0 != a.0 || !truth[b])
        });
        consistent
            && assign.iter().all(|(name, value)| {
                let got = match conditions.get(name) {
                    Some(def) => eval(conditions, def, &is_parameter, &truth, assign, steps, 0),
                    None => Tri::Unknown,
                };
                got == Tri::Unknown || got == Tri::from(*value)
            })
    }) || steps.get() > MAX_STEPS
}

/// `[Ref P, "lit"]` or `["lit", Ref P]` as an atom.
fn atom(args: &[Node], is_parameter: &dyn Fn(&str) -> bool) -> Option<Atom> {
    let reference = |n: &Node| {
        n.get("Ref")
            .and_then(Node::as_str)
            .filter(|p| n.entries().len() == 1 && is_parameter(p))
            .map(str::to_owned)
    };
    match args {
        [a, b] => match (reference(a), reference(b)) {
            (Some(p), None) => Some((p, b.scalar_text()?)),
            (None, Some(p)) => Some((p, a.scalar_text()?)),
            _ => None,
        },
        _ => None,
    }
}

fn call(n: &Node) -> Option<(&str, &Node)> {
    match n.entries() {
        [e] => Some((e.key.as_str(), &e.value)),
        _ => None,
    }
}

fn collect_atoms(
    conditions: &Node,
    n: &Node,
    is_parameter: &dyn Fn(&str) -> bool,
    out: &mut Vec<Atom>,
    steps: &Cell<u32>,
    depth: usize,
) {
    if depth > MAX_DEPTH || out.len() > MAX_ATOMS || !step(steps) {
        return;
    }
    let Some((func, arg)) = call(n) else { return };
    match func {
        "Condition" => {
            if let Some(def) = arg.as_str().and_then(|c| conditions.get(c)) {
                collect_atoms(conditions, def, is_parameter, out, steps, depth + 1);
            }
        }
        "Fn::Equals" => {
            if let Some(a) = atom(arg.as_array().unwrap_or(&[]), is_parameter) {
                if !out.contains(&a) {
                    out.push(a);
                }
            }
        }
        "Fn::Not" | "Fn::And" | "Fn::Or" => {
            for c in arg.as_array().unwrap_or(&[]) {
                collect_atoms(conditions, c, is_parameter, out, steps, depth + 1);
            }
        }
        _ => {}
    }
}

/// A condition's value under the atoms' truth; a `Condition` reference to
/// an assigned condition takes its assigned value.
fn eval(
    conditions: &Node,
    n: &Node,
    is_parameter: &dyn Fn(&str) -> bool,
    truth: &BTreeMap<&Atom, bool>,
    assign: &[(String, bool)],
    steps: &Cell<u32>,
    depth: usize,
) -> Tri {
    if depth > MAX_DEPTH || !step(steps) {
        return Tri::Unknown;
    }
    let Some((func, arg)) = call(n) else {
        return Tri::Unknown;
    };
    let args = arg.as_array().unwrap_or(&[]);
    match func {
        "Condition" => {
            let name = arg.as_str().unwrap_or_default();
            if let Some((_, v)) = assign.iter().find(|(n, _)| n == name) {
                return Tri::from(*v);
            }
            match conditions.get(name) {
                Some(def) => eval(
                    conditions,
                    def,
                    is_parameter,
                    truth,
                    assign,
                    steps,
                    depth + 1,
                ),
                None => Tri::Unknown,
            }
        }
        // Two literals are left open too: SPEC §1 checks either branch of
        // an `Fn::If`, and a constant condition is how examples switch a
        // branch on; only relations between conditions rule one out.
        "Fn::Equals" => match atom(args, is_parameter) {
            Some(a) => truth.get(&a).map_or(Tri::Unknown, |b| Tri::from(*b)),
            None => Tri::Unknown,
        },
        "Fn::Not" => match args {
            [c] => eval(conditions, c, is_parameter, truth, assign, steps, depth + 1).not(),
            _ => Tri::Unknown,
        },
        "Fn::And" | "Fn::Or" => {
            let and = func == "Fn::And";
            let mut result = Tri::from(and);
            for c in args {
                match eval(conditions, c, is_parameter, truth, assign, steps, depth + 1) {
                    // A false in And (a true in Or) decides it.
                    v if v == Tri::from(!and) => return v,
                    Tri::Unknown => result = Tri::Unknown,
                    _ => {}
                }
            }
            result
        }
        _ => Tri::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(conditions: &str) -> Node {
        crate::load::json::parse(&format!(
            r#"{{"Parameters": {{"Env": {{"Type": "String"}}, "Other": {{"Type": "String"}}}},
                "Conditions": {conditions}}}"#
        ))
        .unwrap()
    }

    fn feasible_once(t: &Node, assign: &[(String, bool)]) -> bool {
        feasible(t, assign, &Cell::new(0))
    }

    fn a(pairs: &[(&str, bool)]) -> Vec<(String, bool)> {
        pairs.iter().map(|(n, v)| ((*n).to_owned(), *v)).collect()
    }

    #[test]
    fn negation_of_another_condition() {
        let t = template(
            r#"{"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
                "NotProd": {"Fn::Not": [{"Condition": "IsProd"}]}}"#,
        );
        assert!(!feasible_once(
            &t,
            &a(&[("IsProd", true), ("NotProd", true)])
        ));
        assert!(!feasible_once(
            &t,
            &a(&[("IsProd", false), ("NotProd", false)])
        ));
        assert!(feasible_once(
            &t,
            &a(&[("IsProd", true), ("NotProd", false)])
        ));
        assert!(feasible_once(
            &t,
            &a(&[("IsProd", false), ("NotProd", true)])
        ));
    }

    #[test]
    fn one_parameter_two_values() {
        let t = template(
            r#"{"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
                "IsDev": {"Fn::Equals": ["dev", {"Ref": "Env"}]},
                "HasOther": {"Fn::Equals": [{"Ref": "Other"}, "x"]}}"#,
        );
        assert!(!feasible_once(&t, &a(&[("IsProd", true), ("IsDev", true)])));
        assert!(feasible_once(
            &t,
            &a(&[("IsProd", false), ("IsDev", false)])
        ));
        assert!(feasible_once(
            &t,
            &a(&[("IsProd", true), ("HasOther", true)])
        ));
    }

    #[test]
    fn a_constant_condition_keeps_both_branches() {
        let t = template(r#"{"Dev": {"Fn::Equals": ["a", "b"]}}"#);
        assert!(feasible_once(&t, &a(&[("Dev", true)])));
        assert!(feasible_once(&t, &a(&[("Dev", false)])));
    }

    #[test]
    fn a_diamond_of_references_is_bounded() {
        // C0 cannot be decided; Ck = And [Ck-1, Ck-1] has 2^k paths to it.
        // Without the step budget this test would not finish; with it the
        // assignment is left feasible.
        let mut defs =
            vec![r#""C0": {"Fn::Equals": [{"Fn::Select": [0, {"Ref": "Env"}]}, "x"]}"#.to_owned()];
        for k in 1..40 {
            defs.push(format!(
                r#""C{k}": {{"Fn::And": [{{"Condition": "C{p}"}}, {{"Condition": "C{p}"}}]}}"#,
                p = k - 1
            ));
        }
        let t = template(&format!("{{{}}}", defs.join(",")));
        assert!(feasible_once(&t, &a(&[("C39", true), ("C1", false)])));
        // The file's budget, once spent, leaves every assignment feasible.
        let spent = Cell::new(MAX_FILE_STEPS + 1);
        let t = template(
            r#"{"A": {"Fn::Equals": [{"Ref": "Env"}, "a"]}, "B": {"Fn::Not": [{"Condition": "A"}]}}"#,
        );
        assert!(feasible(&t, &a(&[("A", true), ("B", true)]), &spent));
        assert!(!feasible_once(&t, &a(&[("A", true), ("B", true)])));
    }

    #[test]
    fn unknown_comparisons_never_rule_out() {
        let t = template(
            r#"{"A": {"Fn::Equals": [{"Fn::Select": [0, {"Ref": "Env"}]}, "x"]},
                "B": {"Fn::Not": [{"Condition": "A"}]},
                "C": {"Fn::And": [{"Condition": "A"}, {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}]}}"#,
        );
        assert!(!feasible_once(&t, &a(&[("A", true), ("B", true)])));
        assert!(feasible_once(&t, &a(&[("A", true), ("C", false)])));
        assert!(!feasible_once(&t, &a(&[("A", false), ("C", true)])));
        // No Conditions section, or unknown names: anything goes.
        assert!(feasible_once(&template("{}"), &a(&[("X", true)])));
    }
}
