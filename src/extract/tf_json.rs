//! Terraform JSON configuration (`.tf.json`, cdktf output), with the same
//! semantics as HCL (see [`super::terraform`]).
//!
//! Policies are JSON strings that may hold `${…}` interpolations: the string
//! is decoded with an escape-aware offset table, interpolations are parsed
//! as HCL expressions and resolved against the file's own `variable`,
//! `locals` and `data` blocks, and the document's spans map back into the
//! file. In a directory, `.tf.json` files are resolved together with the
//! `.tf` files of the module ([`super::terraform::extract_module`]); a JSON
//! file with Terraform's structure under another name is resolved on its
//! own.

use std::path::Path;

use super::tf_eval::{objects, Eval, Expr, File, Module};
use super::tf_sink::{standalone_docs, Sink};
use super::{Document, Extracted, Setting, SettingKind};
use crate::policy::DocKind;
use crate::tree::Node;

/// Top-level keys of Terraform's JSON syntax.
const TOP_KEYS: &[&str] = &[
    "resource",
    "data",
    "variable",
    "locals",
    "provider",
    "terraform",
    "module",
    "output",
    "moved",
    "import",
    "check",
    "removed",
    "//",
];

pub fn is_tf_json(root: &Node, path: &Path) -> bool {
    let entries = root.entries();
    let has_blocks = entries
        .iter()
        .any(|e| (e.key == "resource" || e.key == "data") && !objects(&e.value).is_empty());
    let named = path.file_name().is_some_and(|n| {
        n.to_string_lossy()
            .to_ascii_lowercase()
            .ends_with(".tf.json")
    });
    let only_terraform_keys =
        !entries.is_empty() && entries.iter().all(|e| TOP_KEYS.contains(&e.key.as_str()));
    // A `.tf.json` file of variables or locals only is Terraform too: the
    // module's other files use its values.
    has_blocks && (named || only_terraform_keys) || named && only_terraform_keys
}

pub fn extract(root: &Node, text: &str, path: &Path) -> Extracted {
    let display = path.to_string_lossy();
    let mut m = Module::default();
    m.files.push(File {
        path: &display,
        text,
        report: true,
    });
    m.add_json(0, root);
    let ev = Eval::new(&m);
    let mut sink = Sink::new(vec![true]);
    resources(&ev, &mut sink, 0, root);
    standalone_docs(&ev, &mut sink);
    sink.limit(&ev);
    sink.unions(&ev);
    sink.attach_loaded(&ev);
    let mut out = sink.outs.pop().unwrap_or_default();
    out.recognised = true;
    out
}

/// The policy-bearing resources of `.tf.json` file `file` of a module.
pub(crate) fn resources(ev: &Eval<'_, '_>, sink: &mut Sink, file: usize, root: &Node) {
    for res in root
        .entries()
        .iter()
        .filter(|e| e.key == "resource")
        .flat_map(|e| objects(&e.value))
    {
        for ty in res.entries() {
            for named in objects(&ty.value) {
                for r in named.entries() {
                    for body in objects(&r.value) {
                        resource(ev, sink, file, &ty.key, &r.key, body);
                    }
                }
            }
        }
    }
}

fn resource(ev: &Eval<'_, '_>, sink: &mut Sink, file: usize, ty: &str, name: &str, body: &Node) {
    let addr = format!("{ty}.{name}");
    let base = Document {
        name: Some(name.to_owned()),
        resource: Some(addr.clone()),
        ..Document::default()
    };
    let mut doc = |holder: &Node, attr: &str, kind: DocKind, doc_name: Option<String>| {
        let Some(v) = holder.get(attr) else { return };
        let r = ev.policy(Expr::Json(v), file, 0);
        for (f, e) in ev.take_errors() {
            sink.parse_error(f, e, &format!("`{addr}`"));
        }
        if let Some(r) = r {
            sink.doc(
                file,
                v.span,
                r,
                Document {
                    kind: Some(kind),
                    name: doc_name.or_else(|| base.name.clone()),
                    ..base.clone()
                },
            );
        }
    };
    match ty {
        "aws_iam_role" => {
            doc(body, "assume_role_policy", DocKind::Trust, None);
            if let Some(ip) = body.get("inline_policy") {
                for b in objects(ip) {
                    let inline = b
                        .get("name")
                        .and_then(Node::as_str)
                        .map(|n| format!("{name}/{}", crate::tree::display(n)));
                    doc(b, "policy", DocKind::Identity, inline);
                }
            }
            if let Some(v) = body.get("max_session_duration") {
                let node = ev.json(v, file, 0);
                sink.setting(
                    file,
                    Setting {
                        kind: SettingKind::MaxSessionDuration,
                        key: "max_session_duration".to_owned(),
                        node,
                        name: Some(name.to_owned()),
                        resource: Some(addr.clone()),
                        variant: None,
                        target: None,
                    },
                );
            }
        }
        "aws_iam_policy"
        | "aws_iam_role_policy"
        | "aws_iam_user_policy"
        | "aws_iam_group_policy" => {
            doc(body, "policy", DocKind::Identity, None);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Extracted {
        let root = crate::load::json::parse(text).unwrap();
        let p = Path::new("main.tf.json");
        assert!(is_tf_json(&root, p));
        extract(&root, text, p)
    }

    #[test]
    fn escaped_policy_string_with_interpolation() {
        let text = r#"{
  "variable": {"acct": {"default": "999988887777"}},
  "resource": {"aws_iam_role": {"r": {
    "assume_role_policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::${var.acct}:root\"},\"Action\":\"sts:AssumeRole\"}]}",
    "max_session_duration": 3600
  }}}
}"#;
        let ex = run(text);
        assert_eq!(ex.docs.len(), 1);
        assert_eq!(ex.settings.len(), 1);
        let st = &ex.docs[0]
            .node
            .get("Statement")
            .unwrap()
            .as_array()
            .unwrap()[0];
        let aws = st.get("Principal").unwrap().get("AWS").unwrap();
        assert_eq!(aws.as_str(), Some("arn:aws:iam::999988887777:root"));
        assert_eq!(
            &text[aws.span.range()],
            r#"\"arn:aws:iam::${var.acct}:root\""#
        );
    }

    #[test]
    fn data_source_reference() {
        let text = r#"{
  "data": {"aws_iam_policy_document": {"t": {"statement": [{
    "actions": ["sts:AssumeRole"],
    "principals": [{"type": "AWS", "identifiers": ["*"]}]
  }]}}},
  "resource": {"aws_iam_role": {"r": {
    "assume_role_policy": "${data.aws_iam_policy_document.t.json}"
  }}}
}"#;
        let ex = run(text);
        assert_eq!(
            ex.docs.len(),
            1,
            "the document is checked once, as the trust policy"
        );
        let st = &ex.docs[0]
            .node
            .get("Statement")
            .unwrap()
            .as_array()
            .unwrap()[0];
        let aws = st.get("Principal").unwrap().get("AWS").unwrap();
        let first = &aws.as_array().unwrap()[0];
        assert_eq!(&text[first.span.range()], "\"*\"");
    }
}
