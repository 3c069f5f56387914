use super::embedded_json::align;
use super::resolve::Resolver;
use super::template::Template;
use super::*;
use crate::diagnostic::Scope;
use crate::policy::DocKind;
use crate::tree::{has_unknown, Kind, THIS_ACCOUNT};

fn yaml(text: &str) -> Extracted {
    extract_yaml(text).unwrap()
}

fn json(text: &str) -> Extracted {
    let root = crate::load::json::parse(text).unwrap();
    assert!(is_template(&root));
    extract(&root, text)
}

/// The principal value of the first statement of document `i`.
fn principal(ex: &Extracted, i: usize) -> &Node {
    ex.docs[i]
        .node
        .get("Statement")
        .and_then(|s| s.one_or_many().first())
        .and_then(|s| s.get("Principal"))
        .and_then(|p| p.get("AWS"))
        .unwrap()
}

const ROLE: &str = r#"
Parameters:
  Trusted:
    Type: String
    Default: "111122223333"
  NoDefault:
    Type: String
  Accounts:
    Type: CommaDelimitedList
    Default: "111122223333, 444455556666"
  Ssm:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /accounts/trusted
Mappings:
  Env:
    prod: {Account: "999988887777"}
    dev: {Account: "999988887777"}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      MaxSessionDuration: 7200
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: PRINCIPAL
            Action: sts:AssumeRole
"#;

fn role_with(principal: &str) -> (String, Extracted) {
    let text = ROLE.replace("PRINCIPAL", principal);
    let ex = yaml(&text);
    (text, ex)
}

#[test]
fn recognises_templates() {
    let root =
        crate::load::json::parse(r#"{"Resources": {"R": {"Type": "AWS::S3::Bucket"}}}"#).unwrap();
    assert!(is_template(&root));
    let root = crate::load::json::parse(r#"{"AWSTemplateFormatVersion": "2010-09-09"}"#).unwrap();
    assert!(is_template(&root));
    let root = crate::load::json::parse(r#"{"Resources": {"R": {"Type": "Custom"}}}"#).unwrap();
    assert!(!is_template(&root));
    let root = crate::load::json::parse(r#"{"name": "x", "version": "1"}"#).unwrap();
    assert!(!is_template(&root));
    let ex = yaml("apiVersion: v1\nkind: ConfigMap\n");
    assert!(!ex.recognised);
    assert!(ex.docs.is_empty());
}

#[test]
fn role_documents_and_settings() {
    let (text, ex) = role_with("arn:aws:iam::111122223333:root");
    assert!(ex.recognised);
    assert_eq!(ex.docs.len(), 1);
    assert_eq!(ex.docs[0].kind, Some(DocKind::Trust));
    assert_eq!(ex.docs[0].name.as_deref(), Some("Role"));
    assert_eq!(ex.docs[0].resource.as_deref(), Some("Role"));
    let p = principal(&ex, 0);
    assert_eq!(&text[p.span.range()], "arn:aws:iam::111122223333:root");
    assert_eq!(ex.settings.len(), 1);
    assert_eq!(ex.settings[0].key, "MaxSessionDuration");
    assert_eq!(&text[ex.settings[0].node.span.range()], "7200");
}

#[test]
fn parameter_defaults() {
    let (text, ex) = role_with("!Sub arn:aws:iam::${Trusted}:root");
    let p = principal(&ex, 0);
    assert_eq!(p.as_str(), Some("arn:aws:iam::111122223333:root"));
    assert_eq!(&text[p.span.range()], "!Sub arn:aws:iam::${Trusted}:root");
    let via = p.via.as_deref().unwrap();
    assert_eq!(&text[via.span.range()], "\"111122223333\"");
    assert_eq!(via.label, "from parameter Trusted's default");

    let (text, ex) = role_with("!Ref Trusted");
    let p = principal(&ex, 0);
    assert_eq!(p.as_str(), Some("111122223333"));
    assert_eq!(&text[p.span.range()], "!Ref Trusted");
    assert!(p.via.is_some());

    let (_, ex) = role_with("!Ref NoDefault");
    assert!(matches!(&principal(&ex, 0).kind, Kind::Unknown(w) if w == "!Ref NoDefault"));
    let (_, ex) = role_with("!Ref Ssm");
    assert!(principal(&ex, 0).is_unknown());
    let (_, ex) = role_with("!Ref Accounts");
    let items = principal(&ex, 0).as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[1].as_str(), Some("444455556666"));
    let (_, ex) = role_with("!GetAtt Other.Arn");
    assert!(matches!(&principal(&ex, 0).kind, Kind::Unknown(w) if w == "!GetAtt Other.Arn"));
}

#[test]
fn pseudo_parameters_and_sub() {
    let (_, ex) = role_with("!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root");
    assert_eq!(
        principal(&ex, 0).as_str(),
        Some(format!("arn:aws:iam::{THIS_ACCOUNT}:root").as_str())
    );
    let (_, ex) = role_with("!Sub arn:aws:iam::${AWS::Region}:${Other.Arn}");
    let s = principal(&ex, 0).as_str().unwrap();
    assert!(has_unknown(s));
    let (_, ex) = role_with("!Sub [\"arn:aws:iam::${Acct}:root\", {Acct: !Ref Trusted}]");
    assert_eq!(
        principal(&ex, 0).as_str(),
        Some("arn:aws:iam::111122223333:root")
    );
    let (_, ex) = role_with("!Sub \"${!Literal}-${AWS::URLSuffix}\"");
    assert_eq!(principal(&ex, 0).as_str(), Some("${Literal}-amazonaws.com"));
    let (_, ex) = role_with("[!Ref AWS::NoValue, \"*\"]");
    assert_eq!(principal(&ex, 0).as_array().unwrap().len(), 1);
}

#[test]
fn join_select_split_find_in_map() {
    let (_, ex) = role_with("!Join [\":\", [arn, aws, iam, \"\", !Ref AWS::AccountId, root]]");
    assert_eq!(
        principal(&ex, 0).as_str(),
        Some(format!("arn:aws:iam::{THIS_ACCOUNT}:root").as_str())
    );
    let (_, ex) = role_with("!Select [1, !Split [\",\", \"a,b,c\"]]");
    assert_eq!(principal(&ex, 0).as_str(), Some("b"));
    let (_, ex) = role_with("!Select [1, !Ref Accounts]");
    assert_eq!(principal(&ex, 0).as_str(), Some("444455556666"));
    let (text, ex) = role_with("!FindInMap [Env, prod, Account]");
    let p = principal(&ex, 0);
    assert_eq!(p.as_str(), Some("999988887777"));
    assert_eq!(&text[p.span.range()], "!FindInMap [Env, prod, Account]");
    // Every entry agrees, so the unknown region does not matter.
    let (_, ex) = role_with("!FindInMap [Env, !Ref AWS::Region, Account]");
    assert_eq!(principal(&ex, 0).as_str(), Some("999988887777"));
    let (_, ex) = role_with("!FindInMap [Env, nope, Account]");
    assert!(principal(&ex, 0).is_unknown());
    let (_, ex) = role_with("!Join [\"\", !GetAZs \"\"]");
    assert!(principal(&ex, 0).is_unknown());
}

#[test]
fn fn_if_variants() {
    let text = r#"
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      MaxSessionDuration: !If [IsProd, 3600, 43201]
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              AWS: !If [IsProd, "arn:aws:iam::111122223333:root", "*"]
            Action: sts:AssumeRole
"#;
    let ex = yaml(text);
    assert_eq!(ex.docs.len(), 2);
    let v0 = ex.docs[0].variant.as_ref().unwrap();
    let v1 = ex.docs[1].variant.as_ref().unwrap();
    assert_eq!(v0.group, v1.group);
    assert_eq!(v0.count, 2);
    assert_eq!(v0.when, "when condition `IsProd` is true");
    assert_eq!(v1.when, "when condition `IsProd` is false");
    assert_eq!(principal(&ex, 1).as_str(), Some("*"));
    assert_eq!(ex.settings.len(), 2);
    assert_ne!(ex.settings[0].variant.as_ref().unwrap().group, v0.group);

    // More than MAX_CONDITIONS: two passes (every first branch, every
    // second), each with both branches of a list's `Fn::If` (the
    // union), and a limit hit saying so.
    let many = "[!If [A, x, y], !If [B, x, y], !If [C, x, y], !If [D, x, y], !If [E, x, y]]";
    let (_, ex) = role_with(many);
    assert_eq!(ex.docs.len(), 2);
    let v = ex.docs[0].variant.as_ref().unwrap();
    assert_eq!(v.count, 2);
    assert_eq!(v.when, "when every `Fn::If` takes its first branch");
    for i in 0..2 {
        let items: Vec<_> = principal(&ex, i)
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(items, ["x", "y"].repeat(5));
    }
    assert_eq!(ex.limits.len(), 1);
    assert_eq!(ex.limits[0].limit, crate::limit::Limit::TemplateConditions);
    // A principal scalar becomes the list of both branches.
    let (_, ex) = role_with(
        "!If [A, !If [B, x, [y, z]], !If [C, w, !If [D, v, !If [E, u, !Ref AWS::NoValue]]]]",
    );
    let items: Vec<_> = principal(&ex, 1)
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(items, ["x", "y", "z", "w", "v", "u"]);
}

#[test]
fn conditions_against_defaults_mask_parameters() {
    let text = r#"
Parameters:
  TrustedAccount:
    Type: String
    Default: ""
Conditions:
  HasTrusted: !Not [!Equals [!Ref TrustedAccount, ""]]
  UseTrusted: !And [!Condition HasTrusted, !Equals [!Ref "AWS::Region", eu-west-1]]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              AWS: !If [HasTrusted, !Sub "arn:aws:iam::${TrustedAccount}:root", !Ref "AWS::AccountId"]
            Action: sts:AssumeRole
"#;
    let ex = yaml(text);
    assert_eq!(ex.docs.len(), 2);
    // HasTrusted true contradicts the default: the account is unknown.
    let s = principal(&ex, 0).as_str().unwrap();
    assert!(has_unknown(s), "{s:?}");
    assert_eq!(principal(&ex, 1).as_str(), Some(THIS_ACCOUNT));
    let budget = Budget::default();
    let root = &crate::load::yaml::parse(text).unwrap()[0];
    let sections = Sections::new(root);
    let t = Template {
        root,
        text,
        syntax: Syntax::Yaml,
        budget: &budget,
        level: 0,
        sections: &sections,
    };
    let r = Resolver::new(t, Vec::new(), true);
    assert_eq!(r.condition("HasTrusted", 0), Some(false));
    assert_eq!(r.condition("UseTrusted", 0), Some(false));
}

#[test]
fn condition_graphs_are_bounded() {
    // C0 = And[C1, C1], C1 = And[C2, C2], …: 2^200 paths, and a cycle.
    let mut text = String::from("Conditions:\n");
    for i in 0..200 {
        let n = i + 1;
        text.push_str(&format!(
            "  C{i}: !And [!Condition C{n}, !Condition C{n}]\n"
        ));
    }
    text.push_str("  C200: !Condition C0\n");
    text.push_str(
        ROLE.split("Resources:")
            .nth(1)
            .map(|r| format!("Resources:{r}"))
            .unwrap()
            .as_str(),
    );
    let text = text.replace("PRINCIPAL", "!If [C0, \"*\", \"111122223333\"]");
    let start = std::time::Instant::now();
    let ex = yaml(&text);
    assert_eq!(ex.docs.len(), 2);
    assert!(start.elapsed().as_secs() < 5);
}

#[test]
fn inline_and_standalone_policies() {
    let text = r#"
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: []}
      Policies:
        - PolicyName: assume
          PolicyDocument:
            Statement: [{Effect: Allow, Action: "sts:AssumeRole", Resource: "*"}]
        - !If
          - HasExtra
          - PolicyName: extra
            PolicyDocument: {Statement: []}
          - !Ref AWS::NoValue
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: {Statement: []}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      AssumeRolePolicyDocument: {Statement: []}
      Policies:
        - AWSLambdaBasicExecutionRole
        - S3ReadPolicy: {BucketName: b}
        - Statement: [{Effect: Allow, Action: "sts:AssumeRole", Resource: "*"}]
"#;
    let ex = yaml(text);
    let names: Vec<_> = ex
        .docs
        .iter()
        .map(|d| {
            (
                d.name.clone().unwrap(),
                d.kind.unwrap(),
                d.variant.is_some(),
            )
        })
        .collect();
    assert_eq!(
        names,
        vec![
            ("Role".to_owned(), DocKind::Trust, false),
            ("Role/assume".to_owned(), DocKind::Identity, false),
            ("Role/extra".to_owned(), DocKind::Identity, true),
            ("Managed".to_owned(), DocKind::Identity, false),
            ("Fn".to_owned(), DocKind::Trust, false),
            ("Fn".to_owned(), DocKind::Identity, false),
        ]
    );
    assert_eq!(ex.docs[2].variant.as_ref().unwrap().count, 2);
}

#[test]
fn json_string_documents() {
    let text = r#"{"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {
  "AssumeRolePolicyDocument": "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"sts:AssumeRole\"}]}"
}}}}"#;
    let ex = json(text);
    let p = principal(&ex, 0);
    assert_eq!(
        &text[p.span.range()],
        r#"\"arn:aws:iam::111122223333:root\""#
    );

    let text = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: !Sub |\n        {\"Statement\": [{\"Effect\": \"Allow\",\n          \"Principal\": {\"AWS\": \"arn:aws:iam::${AWS::AccountId}:root\"},\n          \"Action\": \"sts:AssumeRole\"}]}\n";
    let ex = yaml(text);
    let p = principal(&ex, 0);
    assert_eq!(
        p.as_str(),
        Some(format!("arn:aws:iam::{THIS_ACCOUNT}:root").as_str())
    );
    assert_eq!(
        &text[p.span.range()],
        "\"arn:aws:iam::${AWS::AccountId}:root\""
    );

    // A broken embedded document is a TL001 at its place.
    let text = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: '{\"Statement\": [}'\n";
    let ex = yaml(text);
    assert!(ex.docs.is_empty());
    assert_eq!(ex.diagnostics.len(), 1);
    assert_eq!(ex.diagnostics[0].rule.id, "TL001");
    assert_eq!(&text[ex.diagnostics[0].primary.span.range()], "}");
}

#[test]
fn stack_set_template_body() {
    let text = r#"
Resources:
  Roles:
    Type: AWS::CloudFormation::StackSet
    Properties:
      StackSetName: scan
      TemplateBody: |
        Resources:
          ScanRole:
            Type: AWS::IAM::Role
            Properties:
              MaxSessionDuration: 50000
              AssumeRolePolicyDocument:
                Statement:
                  - Effect: Allow
                    Principal:
                      AWS: !Sub arn:aws:iam::${AWS::AccountId}:root
                    Action: sts:AssumeRole
"#;
    let ex = yaml(text);
    assert_eq!(ex.docs.len(), 1);
    assert_eq!(ex.docs[0].name.as_deref(), Some("Roles/ScanRole"));
    let p = principal(&ex, 0);
    assert_eq!(
        &text[p.span.range()],
        "!Sub arn:aws:iam::${AWS::AccountId}:root"
    );
    assert_eq!(&text[ex.settings[0].node.span.range()], "50000");
}

#[test]
fn alignment() {
    let m = align(r#""a\"b\u00e9""#, "a\"bé", false).unwrap();
    assert_eq!(m[1], (2, 4));
    assert_eq!(m[3], (5, 11));
    let m = align("'it''s'", "it's", true).unwrap();
    assert_eq!(m[2], (3, 5));
    let m = align("a\n  b", "a b", true).unwrap();
    assert_eq!(m[2], (4, 5));
    assert!(align("abc", "abd", true).is_none());
}

#[test]
fn metadata_suppressions() {
    let text = r#"
Resources:
  Role:
    Type: AWS::IAM::Role
    Metadata:
      trustlint:
        ignore:
          - id: TL102
            reason: break-glass account, reviewed
          - TL201
    Properties:
      AssumeRolePolicyDocument: {Statement: []}
"#;
    let ex = yaml(text);
    assert_eq!(ex.suppressions.len(), 2);
    let s = &ex.suppressions[0];
    assert_eq!(s.rules, vec!["TL102".to_owned()]);
    assert_eq!(s.reason.as_deref(), Some("break-glass account, reviewed"));
    let Scope::Range(r) = s.scope else {
        panic!("range scope")
    };
    assert!(text[r.range()].starts_with("Role:"));
    assert!(text[r.range()].ends_with("{Statement: []}"));
    assert!(text[s.span.range()].starts_with("id: TL102"));
    assert_eq!(ex.suppressions[1].reason, None);
}
