//! Terraform HCL (`.tf`), one module directory at a time (SPEC §1).
//!
//! Every `.tf` file of the directory is parsed; variables, locals and
//! `data "aws_iam_policy_document"` blocks of all of them form one
//! [`Module`], and resources are resolved against it:
//!
//! - `aws_iam_role`: `assume_role_policy` (trust), `max_session_duration`
//!   (setting), `inline_policy { policy }` (identity);
//! - `aws_iam_policy`, `aws_iam_role_policy`, `aws_iam_user_policy`,
//!   `aws_iam_group_policy`: `policy` (identity);
//! - a policy document not used by any of these is checked on its own, its
//!   kind inferred from content; one used by a role is checked once per
//!   role, as that role's trust policy.
//!
//! A document is reported in the file its spans point into: a role in
//! `main.tf` whose trust policy is a data source in `policies.tf` is
//! reported at the statements in `policies.tf`. When that file is only
//! read for context, the document is re-spanned onto the reference in the
//! role's file. To support another resource type, add a branch to
//! [`resource`].

use std::sync::Arc;

use hcl_edit::structure::{Block, Body};

use super::tf_eval::{labels, Eval, Expr, File, FileReader, Module};
use super::{Document, Extracted, Setting, SettingKind};
use crate::load::{self, ParseError};
use crate::policy::DocKind;
use crate::source::SourceFile;

/// The policy-bearing resource types (SPEC §1), with the attribute holding
/// the document.
const POLICY_RESOURCES: &[&str] = &[
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
];

use super::tf_sink::{standalone_docs, Sink};

/// A module file, parsed in its syntax.
enum Parsed {
    Hcl(Body),
    /// A `.tf.json` file.
    Json(crate::tree::Node),
    /// A `.tf.json` file that is not Terraform: extracted on its own.
    Other(Extracted),
}

/// Is the file Terraform's JSON syntax (by its name)?
pub fn is_tf_json_name(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".tf.json")
}

pub fn extract_module(
    files: &[(Arc<SourceFile>, bool)],
    reader: Option<&FileReader<'_>>,
) -> Vec<Result<Extracted, ParseError>> {
    let mut parsed: Vec<Result<Parsed, ParseError>> = files
        .iter()
        .map(|(f, _)| {
            if !is_tf_json_name(&f.path) {
                return load::hcl::parse(&f.text).map(Parsed::Hcl);
            }
            let root = load::json::parse(&f.text)?;
            let path = std::path::Path::new(&f.path);
            Ok(if super::tf_json::is_tf_json(&root, path) {
                Parsed::Json(root)
            } else {
                Parsed::Other(super::extract_json(root, &f.text, path))
            })
        })
        .collect();
    let mut m = Module {
        reader,
        ..Module::default()
    };
    for (i, (f, report)) in files.iter().enumerate() {
        m.files.push(File {
            path: &f.path,
            text: &f.text,
            report: *report,
        });
        match &parsed[i] {
            Ok(Parsed::Hcl(body)) => m.add_hcl(i, body),
            Ok(Parsed::Json(root)) => m.add_json(i, root),
            _ => {}
        }
    }
    let ev = Eval::new(&m);
    let mut sink = Sink::new(files.iter().map(|(_, r)| *r).collect());
    for (i, p) in parsed.iter().enumerate() {
        match p {
            Ok(Parsed::Hcl(body)) => {
                for b in body.blocks() {
                    if b.ident.as_str() == "resource" {
                        resource(&ev, &mut sink, i, b);
                    }
                }
            }
            Ok(Parsed::Json(root)) => super::tf_json::resources(&ev, &mut sink, i, root),
            _ => {}
        }
    }
    standalone_docs(&ev, &mut sink);
    sink.limit(&ev);
    sink.unions(&ev);
    sink.attach_loaded(&ev);
    for (i, (f, _)) in files.iter().enumerate() {
        if f.text.contains("aws_iam_") || matches!(parsed[i], Ok(Parsed::Json(_))) {
            sink.outs[i].recognised = true;
        }
    }
    parsed
        .iter_mut()
        .zip(sink.outs)
        .map(|(p, out)| match p {
            Err(e) => Err(e.clone()),
            Ok(Parsed::Other(x)) => Ok(std::mem::take(x)),
            Ok(_) => Ok(out),
        })
        .collect()
}

fn resource(ev: &Eval<'_, '_>, sink: &mut Sink, file: usize, b: &Block) {
    let l = labels(b);
    let [ty, name] = l.as_slice() else { return };
    let addr = format!("{ty}.{name}");
    let body = &b.body;
    let base = Document {
        name: Some((*name).to_owned()),
        resource: Some(addr.clone()),
        ..Document::default()
    };
    let mut doc = |attr_body: &Body, attr: &str, kind: DocKind, doc_name: Option<String>| {
        let Some(a) = attr_body.get_attribute(attr) else {
            return;
        };
        let at = load::hcl::span_of(&a.value);
        let r = ev.policy(Expr::Hcl(&a.value), file, 0);
        for (f, e) in ev.take_errors() {
            sink.parse_error(f, e, &format!("`{addr}`"));
        }
        if let Some(r) = r {
            sink.doc(
                file,
                at,
                r,
                Document {
                    kind: Some(kind),
                    name: doc_name.or_else(|| base.name.clone()),
                    ..base.clone()
                },
            );
        }
    };
    match *ty {
        "aws_iam_role" => {
            doc(body, "assume_role_policy", DocKind::Trust, None);
            for ib in body.get_blocks("inline_policy") {
                let inline_name = ib
                    .body
                    .get_attribute("name")
                    .map(|a| ev.value(Expr::Hcl(&a.value), file, 0))
                    .and_then(|n| {
                        n.as_str()
                            .map(|s| format!("{name}/{}", crate::tree::display(s)))
                    });
                doc(&ib.body, "policy", DocKind::Identity, inline_name);
            }
            if let Some(a) = body.get_attribute("max_session_duration") {
                let node = ev.value(Expr::Hcl(&a.value), file, 0);
                sink.setting(
                    file,
                    Setting {
                        kind: SettingKind::MaxSessionDuration,
                        key: "max_session_duration".to_owned(),
                        node,
                        name: Some((*name).to_owned()),
                        resource: Some(addr.clone()),
                        variant: None,
                        target: None,
                    },
                );
            }
        }
        t if POLICY_RESOURCES.contains(&t) => doc(body, "policy", DocKind::Identity, None),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The loader blanks the blocks it is told are never read: every
    /// type read here and in `tf_eval::module` must be on its list.
    #[test]
    fn every_block_read_is_kept_by_the_loader() {
        let read = POLICY_RESOURCES
            .iter()
            .chain(&["aws_iam_role", "aws_iam_openid_connect_provider"]);
        for t in read {
            assert!(!load::hcl::unread("resource", &[t, "n"]), "{t}");
        }
        assert!(!load::hcl::unread(
            "data",
            &["aws_iam_policy_document", "n"]
        ));
        assert!(load::hcl::unread(
            "resource",
            &["aws_iam_role_policy_attachment", "n"]
        ));
    }

    fn run(files: &[(&str, &str, bool)]) -> Vec<Result<Extracted, ParseError>> {
        let files: Vec<(Arc<SourceFile>, bool)> = files
            .iter()
            .map(|(p, t, r)| (Arc::new(SourceFile::new(*p, *t)), *r))
            .collect();
        extract_module(&files, None)
    }

    const DOC: &str = r#"
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
}
"#;
    const ROLE: &str = r#"
resource "aws_iam_role" "r" {
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  max_session_duration = 7200
}
"#;

    #[test]
    fn data_source_in_a_sibling_file_is_reported_there() {
        let out = run(&[("main.tf", ROLE, true), ("policies.tf", DOC, true)]);
        let main = out[0].as_ref().unwrap();
        let pol = out[1].as_ref().unwrap();
        assert!(main.docs.is_empty());
        assert_eq!(main.settings.len(), 1);
        assert_eq!(
            pol.docs.len(),
            1,
            "checked once, as the role's trust policy"
        );
        assert_eq!(pol.docs[0].kind, Some(DocKind::Trust));
        assert_eq!(pol.docs[0].resource.as_deref(), Some("aws_iam_role.r"));
    }

    #[test]
    fn data_source_in_a_context_file_is_respanned() {
        let out = run(&[("main.tf", ROLE, true), ("policies.tf", DOC, false)]);
        let main = out[0].as_ref().unwrap();
        assert_eq!(main.docs.len(), 1);
        let span = main.docs[0].node.span;
        assert_eq!(
            &ROLE[span.range()],
            "data.aws_iam_policy_document.trust.json"
        );
    }

    #[test]
    fn unreferenced_document_is_checked_alone() {
        let out = run(&[("policies.tf", DOC, true)]);
        let pol = out[0].as_ref().unwrap();
        assert_eq!(pol.docs.len(), 1);
        assert_eq!(pol.docs[0].kind, None);
    }

    #[test]
    fn same_name_in_two_files_resolves_to_the_referencing_files_own() {
        // Test-fixture directories hold independent files that reuse names.
        let open = DOC
            .replace("111122223333:root", "*")
            .replace("arn:aws:iam::*", "*");
        let a = format!("{DOC}\n{ROLE}");
        let b = format!("{open}\n{ROLE}");
        let out = run(&[("a.tf", &a, true), ("b.tf", &b, true)]);
        for (i, want) in [(0, "arn:aws:iam::111122223333:root"), (1, "*")] {
            let ex = out[i].as_ref().unwrap();
            assert_eq!(ex.docs.len(), 1);
            let st = &ex.docs[0]
                .node
                .get("Statement")
                .unwrap()
                .as_array()
                .unwrap()[0];
            let aws = st.get("Principal").unwrap().get("AWS").unwrap();
            assert_eq!(aws.as_array().unwrap()[0].as_str(), Some(want));
        }
    }

    #[test]
    fn broken_file_is_a_parse_error_and_siblings_go_on() {
        let out = run(&[("a.tf", "resource \"x\" {", true), ("b.tf", ROLE, true)]);
        assert!(out[0].is_err());
        assert!(out[1].is_ok());
    }

    #[test]
    fn invalid_json_heredoc_is_tl001() {
        let src = "resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = <<EOF\n{\"Statement\": [}\nEOF\n}\n";
        let out = run(&[("main.tf", src, true)]);
        let ex = out[0].as_ref().unwrap();
        assert_eq!(ex.diagnostics.len(), 1);
        assert_eq!(ex.diagnostics[0].rule.id, "TL001");
    }
}
