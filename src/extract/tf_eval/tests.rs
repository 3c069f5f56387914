use hcl_edit::structure::Body;

use super::{Eval, Expr, File, Module};
use crate::tree::{has_unknown, Node, THIS_ACCOUNT};

fn module_eval(src: &str, f: impl FnOnce(&Eval<'_, '_>, &Body)) {
    let body = crate::load::hcl::parse(src).unwrap();
    let mut m = Module::default();
    m.files.push(File {
        path: "main.tf",
        text: src,
        report: true,
    });
    m.add_hcl(0, &body);
    let ev = Eval::new(&m);
    f(&ev, &body);
}

fn attr_value(ev: &Eval<'_, '_>, body: &Body, name: &str) -> Node {
    let a = body.get_attribute(name).unwrap();
    ev.value(Expr::Hcl(&a.value), 0, 0)
}

#[test]
fn variables_locals_and_data() {
    let src = r#"
variable "acct" { default = "111122223333" }
variable "nodef" {}
variable "hours" { default = 8 }
locals { arn = "arn:aws:iam::${var.acct}:root" }
data "aws_caller_identity" "me" {}
a = local.arn
b = var.nodef
c = "arn:${data.aws_partition.p.partition}:iam::${data.aws_caller_identity.me.account_id}:root"
d = var.acct == "x" ? 1 : 2
d2 = var.nodef == "x" ? 1 : 2
e = [for x in var.l : x]
f = var.hours * 3600
g = var.nodef * 3600
h = format("arn:aws:iam::%s:root", var.acct)
i = join(",", ["a", var.acct])
j = lookup({ x = "1" }, "x")
k = lookup({ x = "1" }, "y", "d")
l = format("%q", "x")
m = format("%s", var.nodef)
"#;
    module_eval(src, |ev, body| {
        let a = attr_value(ev, body, "a");
        assert_eq!(a.as_str(), Some("arn:aws:iam::111122223333:root"));
        assert_eq!(&src[a.span.range()], "local.arn");
        assert_eq!(a.via.as_ref().unwrap().label, "from local arn");
        assert!(attr_value(ev, body, "b").is_unknown());
        let c = attr_value(ev, body, "c");
        assert_eq!(
            c.as_str(),
            Some(format!("arn:aws:iam::{THIS_ACCOUNT}:root").as_str())
        );
        // A known condition selects its branch; an unknown one does not.
        assert_eq!(
            attr_value(ev, body, "d").scalar_text().as_deref(),
            Some("2")
        );
        assert!(attr_value(ev, body, "d2").is_unknown());
        assert!(attr_value(ev, body, "e").is_unknown());
        let f = attr_value(ev, body, "f");
        assert_eq!(f.scalar_text().as_deref(), Some("28800"));
        assert!(attr_value(ev, body, "g").is_unknown());
        let text = |name| attr_value(ev, body, name).scalar_text();
        assert_eq!(text("h").as_deref(), Some("arn:aws:iam::111122223333:root"));
        assert_eq!(text("i").as_deref(), Some("a,111122223333"));
        assert_eq!(text("j").as_deref(), Some("1"));
        assert_eq!(text("k").as_deref(), Some("d"));
        assert!(attr_value(ev, body, "l").is_unknown());
        assert!(attr_value(ev, body, "m").is_unknown());
    });
}

#[test]
fn cycles_and_deep_chains_end() {
    let mut src = String::from("locals {\n  a = local.b\n  b = local.a\n");
    for i in 0..300 {
        src.push_str(&format!("  l{i} = [local.l{}, local.l{}]\n", i + 1, i + 1));
    }
    src.push_str("}\nx = local.a\ny = local.l0\n");
    module_eval(&src, |ev, body| {
        assert!(attr_value(ev, body, "x").is_unknown());
        let _ = attr_value(ev, body, "y");
    });
}

#[test]
fn heredoc_with_interpolation_is_column_exact() {
    let src = "variable \"a\" { default = \"123456789012\" }\np = <<-EOT\n    {\"Statement\": [{\"Principal\": {\"AWS\": \"arn:aws:iam::${var.a}:root\"}, \"X\": ${var.a}}]}\n    EOT\n";
    module_eval(src, |ev, body| {
        let a = body.get_attribute("p").unwrap();
        let r = ev.policy(Expr::Hcl(&a.value), 0, 0).unwrap();
        let st = &r.node.get("Statement").unwrap().as_array().unwrap()[0];
        let p = st.get("Principal").unwrap().get("AWS").unwrap();
        assert_eq!(p.as_str(), Some("arn:aws:iam::123456789012:root"));
        assert_eq!(&src[p.span.range()], "\"arn:aws:iam::${var.a}:root\"");
        let x = st.get("X").unwrap();
        assert_eq!(&src[x.span.range()], "var.a");
        assert_eq!(x.as_str(), Some("123456789012"));
    });
}

#[test]
fn policy_document_synthesis() {
    let src = r#"
data "aws_iam_policy_document" "t" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::444455556666:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = ["abc"]
    }
  }
}
"#;
    module_eval(src, |ev, _| {
        let r = ev.doc("t", 0, 0).unwrap();
        let st = &r.node.get("Statement").unwrap().as_array().unwrap()[0];
        assert_eq!(st.get("Effect").unwrap().as_str(), Some("Allow"));
        let aws = st.get("Principal").unwrap().get("AWS").unwrap();
        assert_eq!(aws.as_array().unwrap().len(), 2);
        let c = st.get("Condition").unwrap().get("StringEquals").unwrap();
        let ext = c.entry("sts:ExternalId").unwrap();
        assert_eq!(&src[ext.key_span.range()], "\"sts:ExternalId\"");
    });
}

#[test]
fn unknown_condition_keys_make_the_statement_partial() {
    let src = |key: &str| {
        format!(
            r#"
data "aws_iam_policy_document" "t" {{
  statement {{
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {{
      type        = "Federated"
      identifiers = ["arn:aws:iam::111122223333:oidc-provider/x"]
    }}
    condition {{
      test     = "StringEquals"
      variable = "{key}"
      values   = ["system:serviceaccount:a:b"]
    }}
  }}
}}
"#
        )
    };
    let statement_known = |key: &str| {
        let mut known = None;
        module_eval(&src(key), |ev, _| {
            let r = ev.doc("t", 0, 0).unwrap();
            let st = &r.node.get("Statement").unwrap().as_array().unwrap()[0];
            // Known only in part: marked, with its literal entries kept.
            let partial = st.entries().iter().any(|e| has_unknown(&e.key));
            assert!(st.get("Condition").is_some());
            known = Some(!st.is_unknown() && !partial);
        });
        known.unwrap()
    };
    // Which claim a key names is all the rules need of it: an issuer
    // that is a template value keeps the statement.
    assert!(statement_known("${var.provider}:sub"));
    assert!(statement_known(
        "${replace(var.oidc_url, \"https://\", \"\")}:aud"
    ));
    // A key whose claim is unknown could be any key.
    assert!(!statement_known("${var.key}"));
    assert!(!statement_known("${var.provider}:${var.claim}"));
    assert!(!statement_known("aws:${var.key}"));
}
