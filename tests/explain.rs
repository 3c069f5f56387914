//! `trustlint explain` (SPEC §3.1): trust shapes in plain words, in JSON
//! and human form; chains in account exports; the CLI's formats.
#![allow(clippy::unwrap_used)]

mod common;

use common::trustlint;
use serde_json::Value;
use trustlint::explain::{explain_text, render};
use trustlint::Settings;

/// JSON and human output (no colour) for one file's text.
fn explain(name: &str, text: &str) -> (Value, String) {
    let e = explain_text(name, text, &Settings::default());
    let json: Value = serde_json::from_str(&render::json(&e)).unwrap();
    (json, render::human(&e, false))
}

/// A raw trust policy with one statement (plus `extra` statements).
fn trust(statement: &str, extra: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statement}{extra}]}}"#)
}

fn grant(json: &Value) -> &Value {
    &json["roles"][0]["grants"][0]
}

fn findings(g: &Value) -> Vec<&str> {
    g["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect()
}

#[test]
fn public_trust() {
    let (j, h) = explain(
        "open.json",
        &trust(
            r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}"#,
            "",
        ),
    );
    let r = &j["roles"][0];
    assert_eq!(r["exposure"], "public");
    assert_eq!(r["account"], Value::Null);
    assert_eq!(r["max_session_seconds"], Value::Null);
    let g = grant(&j);
    assert_eq!(g["class"], "public");
    assert_eq!(g["pinned"], false);
    assert!(findings(g).contains(&"TL101"));
    assert_eq!(g["text"], "anyone: any principal in any AWS account");
    assert!(h.contains("open [public]"), "{h}");
    assert!(
        h.contains("• anyone: any principal in any AWS account"),
        "{h}"
    );
    assert_eq!(j["summary"]["public"], 1);
}

#[test]
fn org_pinned_star() {
    let (j, h) = explain(
        "org.json",
        &trust(
            r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}"#,
            "",
        ),
    );
    let g = grant(&j);
    assert_eq!(g["pinned"], true);
    assert_eq!(j["roles"][0]["exposure"], "external");
    assert!(!findings(g).contains(&"TL101"));
    assert_eq!(
        g["text"],
        "any AWS principal in organization o-a1b2c3d4e5 that its own policies allow"
    );
    assert_eq!(g["conditions"][0]["effective"], true);
    assert!(h.contains("in organization o-a1b2c3d4e5"), "{h}");
    assert!(h.contains("— restricts"), "{h}");
}

#[test]
fn account_root_with_and_without_mfa() {
    let (j, h) = explain(
        "mfa.json",
        &trust(
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}"#,
            "",
        ),
    );
    let g = grant(&j);
    assert_eq!(g["class"], "account");
    assert_eq!(g["account"], "444455556666");
    assert_eq!(g["external"], true);
    assert_eq!(g["mfa"], true);
    assert_eq!(
        g["text"],
        "any IAM user or role in account 444455556666 that its own policies allow, with MFA"
    );
    assert!(!findings(g).contains(&"TL201"));
    assert!(h.contains("that its own policies allow, with MFA"), "{h}");

    let (j, h) = explain(
        "nomfa.json",
        &trust(
            r#"{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"sts:AssumeRole"}"#,
            "",
        ),
    );
    let g = grant(&j);
    assert_eq!(g["mfa"], false);
    assert_eq!(j["roles"][0]["exposure"], "external");
    let f = findings(g);
    assert!(
        f.contains(&"TL102") && f.contains(&"TL103") && f.contains(&"TL201"),
        "{f:?}"
    );
    assert!(h.contains("findings:  TL102, TL103, TL201"), "{h}");
}

#[test]
fn same_account_root_in_a_template() {
    let text = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AdminRole:
    Type: AWS::IAM::Role
    Properties:
      MaxSessionDuration: 7200
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub arn:aws:iam::${AWS::AccountId}:root
            Action: sts:AssumeRole
            Condition:
              Bool:
                aws:MultiFactorAuthPresent: "true"
"#;
    let (j, h) = explain("roles.yaml", text);
    let r = &j["roles"][0];
    assert_eq!(r["role"], "AdminRole");
    assert_eq!(r["account"], "this");
    assert_eq!(r["max_session_seconds"], 7200);
    assert_eq!(r["exposure"], "same-account");
    assert_eq!(grant(&j)["account"], "this");
    assert_eq!(grant(&j)["external"], false);
    assert!(
        h.contains("any IAM user or role in this account that its own policies allow, with MFA"),
        "{h}"
    );
    assert!(h.contains("sessions up to 2 h"), "{h}");
}

#[test]
fn root_narrowed_by_principal_arn() {
    let (j, h) = explain(
        "narrow.json",
        &trust(
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::444455556666:role/ci-*"},"StringEquals":{"sts:ExternalId":"a-shared-secret"}}}"#,
            "",
        ),
    );
    let g = grant(&j);
    assert_eq!(g["pinned"], true);
    assert_eq!(g["external_id"], true);
    assert!(!findings(g).contains(&"TL102"));
    assert_eq!(
        g["text"],
        "only arn:aws:iam::444455556666:role/ci-* in account 444455556666, with an ExternalId"
    );
    assert!(
        h.contains("only arn:aws:iam::444455556666:role/ci-*"),
        "{h}"
    );
}

#[test]
fn role_with_external_id_and_a_user() {
    let (j, h) = explain(
        "vendor.json",
        &trust(
            r#"{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::444455556666:role/vendor","arn:aws:iam::444455556666:user/alice"]},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"vendor-7f3a9c"}}}"#,
            "",
        ),
    );
    let grants = j["roles"][0]["grants"].as_array().unwrap();
    assert_eq!(grants.len(), 2, "one grant per principal");
    let role = grants.iter().find(|g| g["class"] == "role").unwrap();
    let user = grants.iter().find(|g| g["class"] == "user").unwrap();
    assert_eq!(role["external_id"], true);
    assert_eq!(
        role["text"],
        "role vendor in account 444455556666, with an ExternalId"
    );
    assert_eq!(
        user["text"],
        "IAM user alice in account 444455556666, with an ExternalId"
    );
    assert_eq!(role["conditions"][0]["effective"], true);
    assert!(
        h.contains("• role vendor in account 444455556666, with an ExternalId"),
        "{h}"
    );
    assert!(
        h.contains("• IAM user alice in account 444455556666"),
        "{h}"
    );
}

#[test]
fn session_principal_and_unique_id() {
    let (j, h) = explain(
        "odd.json",
        &trust(
            r#"{"Effect":"Allow","Principal":{"AWS":["arn:aws:sts::444455556666:assumed-role/ops/jane","AROAEXAMPLEROLEID12345"]},"Action":"sts:AssumeRole"}"#,
            "",
        ),
    );
    let grants = j["roles"][0]["grants"].as_array().unwrap();
    let session = grants.iter().find(|g| g["class"] == "session").unwrap();
    let unique = grants.iter().find(|g| g["class"] == "unique-id").unwrap();
    assert_eq!(
        session["text"],
        "the session jane of role ops in account 444455556666"
    );
    assert!(findings(session).contains(&"TL106"));
    assert!(!findings(session).contains(&"TL107"), "per principal");
    assert!(findings(unique).contains(&"TL107"));
    assert_eq!(unique["account"], Value::Null);
    assert_eq!(unique["external"], Value::Null);
    assert!(
        h.contains("a deleted role (unique ID AROAEXAMPLEROLEID12345)"),
        "{h}"
    );
}

const GH: &str = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";

fn github(sub_op: &str, sub: &str) -> String {
    trust(
        &format!(
            r#"{{"Effect":"Allow","Principal":{{"Federated":"{GH}"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEquals":{{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}},"{sub_op}":{{"token.actions.githubusercontent.com:sub":"{sub}"}}}}}}"#
        ),
        "",
    )
}

#[test]
fn github_oidc_branch_org_and_wildcard_owner() {
    let (j, h) = explain(
        "gh.json",
        &github("StringEquals", "repo:acme/payments:ref:refs/heads/main"),
    );
    let g = grant(&j);
    assert_eq!(g["class"], "oidc");
    assert_eq!(g["provider"], "github-actions");
    assert_eq!(g["account"], "111122223333");
    assert_eq!(
        g["subjects"],
        serde_json::json!(["repo:acme/payments:ref:refs/heads/main"])
    );
    assert_eq!(
        g["text"],
        "GitHub Actions in repository acme/payments on branch main"
    );
    assert_eq!(j["roles"][0]["exposure"], "federated");
    assert!(
        h.contains("• GitHub Actions in repository acme/payments on branch main"),
        "{h}"
    );

    let (j, h) = explain("gh-org.json", &github("StringLike", "repo:acme/*"));
    assert_eq!(
        grant(&j)["text"],
        "GitHub Actions in any repository of acme"
    );
    assert_eq!(j["roles"][0]["exposure"], "federated");
    assert!(!findings(grant(&j)).contains(&"TL402"));
    assert!(h.contains("any repository of acme"), "{h}");

    let (j, h) = explain("gh-any.json", &github("StringLike", "repo:*/payments:*"));
    let g = grant(&j);
    assert_eq!(j["roles"][0]["exposure"], "public");
    assert!(findings(g).contains(&"TL402"));
    assert!(g["text"]
        .as_str()
        .unwrap()
        .starts_with("any GitHub repository"));
    let sub = g["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "token.actions.githubusercontent.com:sub")
        .unwrap();
    assert_eq!(sub["effective"], false);
    assert!(sub["why"].as_str().unwrap().contains("TL402"));
    assert!(h.contains("gh-any [public]"), "{h}");
    assert!(h.contains("does not restrict"), "{h}");
}

#[test]
fn gitlab_eks_cognito_and_saml() {
    let gl = trust(
        r#"{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/gitlab.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"gitlab.com:aud":"https://gitlab.com","gitlab.com:sub":"project_path:acme/app:ref_type:branch:ref:main"}}}"#,
        "",
    );
    let (j, h) = explain("gl.json", &gl);
    assert_eq!(grant(&j)["provider"], "gitlab");
    assert_eq!(
        grant(&j)["text"],
        "GitLab CI in project acme/app on branch main"
    );
    assert!(
        h.contains("GitLab CI in project acme/app on branch main"),
        "{h}"
    );

    let eks = trust(
        r#"{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC123"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"oidc.eks.eu-west-1.amazonaws.com/id/ABC123:sub":"system:serviceaccount:payments:api","oidc.eks.eu-west-1.amazonaws.com/id/ABC123:aud":"sts.amazonaws.com"}}}"#,
        "",
    );
    let (j, h) = explain("eks.json", &eks);
    assert_eq!(grant(&j)["provider"], "eks");
    assert_eq!(
        grant(&j)["text"],
        "EKS service account api in namespace payments of cluster ABC123"
    );
    assert!(h.contains("EKS service account api"), "{h}");

    let cognito = trust(
        r#"{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"eu-west-1:12345678-1234-1234-1234-123456789012"},"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}}"#,
        "",
    );
    let (j, h) = explain("cognito.json", &cognito);
    let g = grant(&j);
    assert_eq!(g["provider"], "cognito");
    assert_eq!(g["account"], Value::Null);
    assert_eq!(
        g["text"],
        "identities of Cognito identity pool eu-west-1:12345678-1234-1234-1234-123456789012 (authenticated)"
    );
    assert!(h.contains("Cognito identity pool"), "{h}");

    let saml = trust(
        r#"{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:saml-provider/Okta"},"Action":"sts:AssumeRoleWithSAML","Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}"#,
        "",
    );
    let (j, h) = explain("saml.json", &saml);
    let g = grant(&j);
    assert_eq!(g["class"], "saml");
    assert_eq!(g["provider"], "saml");
    assert_eq!(j["roles"][0]["exposure"], "federated");
    assert_eq!(
        g["text"],
        "users of SAML provider Okta in account 111122223333 signing in at https://signin.aws.amazon.com/saml"
    );
    assert!(h.contains("users of SAML provider Okta"), "{h}");
}

#[test]
fn services_with_and_without_source_arn() {
    let (j, h) = explain(
        "states.json",
        &trust(
            r#"{"Effect":"Allow","Principal":{"Service":"states.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:states:eu-west-1:111122223333:stateMachine:*"}}}"#,
            "",
        ),
    );
    let g = grant(&j);
    assert_eq!(g["class"], "service");
    assert_eq!(g["service"], "states.amazonaws.com");
    assert_eq!(j["roles"][0]["exposure"], "service");
    assert!(!findings(g).contains(&"TL108"));
    assert_eq!(
        g["text"],
        "the Step Functions service, only for arn:aws:states:eu-west-1:111122223333:stateMachine:*"
    );
    assert!(h.contains("states [service]"), "{h}");

    let (j, h) = explain(
        "sfn.json",
        &trust(
            r#"{"Effect":"Allow","Principal":{"Service":"states.amazonaws.com"},"Action":"sts:AssumeRole"}"#,
            "",
        ),
    );
    assert!(findings(grant(&j)).contains(&"TL108"));
    assert!(h.contains("findings:  TL108"), "{h}");

    let (j, _) = explain(
        "ec2.json",
        &trust(
            r#"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}"#,
            "",
        ),
    );
    assert_eq!(
        grant(&j)["text"],
        "the EC2 service, only for resources of account 111122223333"
    );
    assert_eq!(j["summary"]["service_only"], 1);
}

#[test]
fn ineffective_mfa() {
    let (j, h) = explain(
        "weak.json",
        &trust(
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}}"#,
            "",
        ),
    );
    let g = grant(&j);
    assert_eq!(g["mfa"], false);
    let c = &g["conditions"][0];
    assert_eq!(c["effective"], false);
    assert!(c["why"].as_str().unwrap().contains("BoolIfExists"), "{c}");
    assert!(findings(g).contains(&"TL202"));
    assert!(g["text"]
        .as_str()
        .unwrap()
        .ends_with("(its MFA condition does not require MFA)"));
    assert!(h.contains("does not restrict: `BoolIfExists`"), "{h}");
}

#[test]
fn pinning_deny_and_deny_only() {
    let allow = r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}"#;
    let deny = r#",{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}"#;
    let (j, h) = explain("denypin.json", &trust(allow, deny));
    let g = grant(&j);
    assert_eq!(g["pinned"], true);
    assert_ne!(j["roles"][0]["exposure"], "public");
    assert!(!findings(g).contains(&"TL101"));
    assert!(h.contains("in organization o-a1b2c3d4e5"), "{h}");

    let (j, h) = explain(
        "denyonly.json",
        &trust(
            r#"{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}"#,
            "",
        ),
    );
    assert_eq!(j["roles"][0]["exposure"], "none");
    assert_eq!(j["roles"][0]["grants"], serde_json::json!([]));
    assert_eq!(j["summary"]["none"], 1);
    assert!(h.contains("denyonly [none]"), "{h}");
    assert!(
        h.contains("nobody: no Allow statement grants an assume-role action"),
        "{h}"
    );
}

#[test]
fn unknown_principal() {
    let text = r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  TrustedPrincipal:
    Type: String
Resources:
  PartnerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Ref TrustedPrincipal
            Action: sts:AssumeRole
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
"#;
    let (j, h) = explain("partner.yaml", text);
    let r = &j["roles"][0];
    assert_eq!(r["exposure"], "unknown");
    let g = &r["grants"][0];
    assert_eq!(g["class"], "unknown");
    assert_eq!(g["external"], Value::Null);
    assert_eq!(j["summary"]["unknown"], 1);
    assert!(h.contains("PartnerRole [unknown]"), "{h}");
    assert!(
        h.contains("an unresolved principal (a template value)"),
        "{h}"
    );
    assert!(h.contains("the Lambda service"), "{h}");
}

#[test]
fn widest_exposure_first() {
    let text = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
  Open:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {AWS: "*"}, Action: sts:AssumeRole}
"#;
    let (j, h) = explain("two.yaml", text);
    assert_eq!(j["roles"][0]["role"], "Open");
    assert_eq!(j["roles"][1]["role"], "Fn");
    assert!(h.find("Open [public]").unwrap() < h.find("Fn [service]").unwrap());
    assert!(h.ends_with("2 roles: 1 public, 1 service only.\n"), "{h}");
}

/// A small account export: CiRole (trusted by another account, with an
/// ExternalId) may assume DeployRole and Admin*; DeployRole trusts CiRole
/// by ARN; AdminRole trusts its own account; LoopA and LoopB trust each
/// other; DeployRole's policy has an unresolvable resource.
const EXPORT: &str = r#"{
  "RoleDetailList": [
    {"RoleName": "CiRole", "Arn": "arn:aws:iam::111122223333:role/CiRole", "MaxSessionDuration": 3600,
     "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
       "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole",
       "Condition": {"StringEquals": {"sts:ExternalId": "ci-7f3a9c"}}}]},
     "RolePolicyList": [{"PolicyName": "hop", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": ["arn:aws:iam::111122223333:role/DeployRole", "arn:aws:iam::111122223333:role/Admin*"]}]}}],
     "AttachedManagedPolicies": []},
    {"RoleName": "DeployRole", "Arn": "arn:aws:iam::111122223333:role/DeployRole", "MaxSessionDuration": 7200,
     "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
       "Principal": {"AWS": "arn:aws:iam::111122223333:role/CiRole"}, "Action": "sts:AssumeRole"}]},
     "RolePolicyList": [{"PolicyName": "odd", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "sts:AssumeRole", "NotResource": "arn:aws:iam::111122223333:role/CiRole"}]}}],
     "AttachedManagedPolicies": []},
    {"RoleName": "AdminRole", "Arn": "arn:aws:iam::111122223333:role/AdminRole", "MaxSessionDuration": 43200,
     "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
       "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole",
       "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]},
     "RolePolicyList": [],
     "AttachedManagedPolicies": [{"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}]},
    {"RoleName": "LoopA", "Arn": "arn:aws:iam::111122223333:role/LoopA", "MaxSessionDuration": 3600,
     "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
       "Principal": {"AWS": "arn:aws:iam::111122223333:role/LoopB"}, "Action": "sts:AssumeRole"}]},
     "RolePolicyList": [], "AttachedManagedPolicies": []},
    {"RoleName": "LoopB", "Arn": "arn:aws:iam::111122223333:role/LoopB", "MaxSessionDuration": 3600,
     "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
       "Principal": {"AWS": "arn:aws:iam::111122223333:role/LoopA", "Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
     "RolePolicyList": [], "AttachedManagedPolicies": []}
  ],
  "UserDetailList": [], "GroupDetailList": [], "Policies": []
}"#;

fn role<'a>(j: &'a Value, name: &str) -> &'a Value {
    j["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["role"] == name)
        .unwrap()
}

#[test]
fn chains_in_a_hand_written_export() {
    let (j, h) = explain("account.json", EXPORT);
    assert_eq!(j["summary"]["roles"], 5);
    let deploy = role(&j, "DeployRole");
    assert_eq!(
        deploy["reachable_from"],
        serde_json::json!([{"path": ["arn:aws:iam::444455556666:root", "CiRole", "DeployRole"], "max_session_seconds": 3600}])
    );
    assert_eq!(deploy["max_session_seconds"], 7200);
    assert_eq!(deploy["exposure"], "same-account");
    // Same account, account trust: CiRole's policy allows Admin*.
    let admin = role(&j, "AdminRole");
    assert_eq!(
        admin["reachable_from"],
        serde_json::json!([{"path": ["arn:aws:iam::444455556666:root", "CiRole", "AdminRole"], "max_session_seconds": 3600}])
    );
    // A cycle is cut: LoopA is reached from EC2 through LoopB, once.
    let loop_a = role(&j, "LoopA");
    assert_eq!(
        loop_a["reachable_from"],
        serde_json::json!([{"path": ["ec2.amazonaws.com", "LoopB", "LoopA"], "max_session_seconds": 3600}])
    );
    assert_eq!(role(&j, "CiRole")["reachable_from"], serde_json::json!([]));
    assert_eq!(role(&j, "CiRole")["exposure"], "external");
    assert_eq!(role(&j, "CiRole")["grants"][0]["external_id"], true);
    // Human: the chains, the unknown link, and the account summary.
    assert!(
        h.contains("arn:aws:iam::444455556666:root → CiRole → DeployRole (sessions up to 1 h)"),
        "{h}"
    );
    assert!(
        h.contains("1 possible link(s) through unresolved values"),
        "{h}"
    );
    assert!(h.contains("Account summary"), "{h}");
    assert!(
        h.contains("external 1: 1 with an ExternalId or MFA, 0 without"),
        "{h}"
    );
    assert!(
        h.contains("most privileged (* on *, or iam:*) 1: AdminRole"),
        "{h}"
    );
    assert!(
        h.contains("    arn:aws:iam::444455556666:root → CiRole → AdminRole"),
        "{h}"
    );
}

#[test]
fn cross_account_trust_needs_the_identity_policy_too() {
    // B (in 111122223333) trusts A's ARN in another account of the
    // export; A's policy does not allow B: no chain.
    let text = r#"{"RoleDetailList": [
      {"RoleName": "A", "Arn": "arn:aws:iam::444455556666:role/A",
       "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
       "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::111122223333:role/Other"}]}}]},
      {"RoleName": "B", "Arn": "arn:aws:iam::111122223333:role/B",
       "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/A"}, "Action": "sts:AssumeRole"}]}}
    ]}"#;
    let (j, _) = explain("two-accounts.json", text);
    assert_eq!(role(&j, "B")["reachable_from"], serde_json::json!([]));
    let allowed = text.replace("role/Other", "role/B");
    let (j, _) = explain("two-accounts.json", &allowed);
    assert_eq!(
        role(&j, "B")["reachable_from"][0]["path"],
        serde_json::json!(["ec2.amazonaws.com", "A", "B"])
    );
}

#[test]
fn cloudsplaining_export_chains() {
    let Some(p) = common::shared(
        "corpus/cloudsplaining/examples/files/example.json",
        "cloudsplaining_export_chains",
    ) else {
        return;
    };
    let text = std::fs::read_to_string(&p).unwrap();
    let (j, h) = explain("example.json", &text);
    assert_eq!(j["summary"]["roles"], 78);
    let end = role(&j, "privesc-AssumeRole-ending-role");
    let paths: Vec<&Value> = end["reachable_from"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["path"])
        .collect();
    assert!(
        paths.iter().any(|p| {
            // The SSO administrator's session is trusted by the starting
            // role: the chain goes on through the SSO role to its provider.
            let v: Vec<&str> = p
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap())
                .collect();
            v.ends_with(&[
                "AWSReservedSSO_AdministratorAccess_dc6414f7f2ab04fc",
                "privesc-AssumeRole-starting-role",
                "privesc-AssumeRole-intermediate-role",
                "privesc-AssumeRole-ending-role",
            ]) && v[0].contains(":saml-provider/")
        }),
        "{paths:?}"
    );
    assert!(end["reachable_from"].as_array().unwrap().len() <= 10);
    assert!(h.contains("Account summary"), "{h}");
    assert!(h.contains("most privileged"), "{h}");
}

#[test]
fn cli_formats_and_role_filter() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("account.json"), EXPORT).unwrap();
    let run = |args: &[&str]| {
        let out = trustlint()
            .current_dir(dir.path())
            .arg("explain")
            .args(args)
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let (code, out) = run(&["--format", "json", "--role", "DeployRole"]);
    assert_eq!(code, Some(0));
    let j: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["version"], 1);
    assert_eq!(j["roles"].as_array().unwrap().len(), 1);
    assert_eq!(j["roles"][0]["path"], "account.json");
    let (_, md) = run(&["--format", "markdown"]);
    assert!(md.starts_with("## Who can assume what\n"), "{md}");
    assert!(md.contains("| external | 1 |"), "{md}");
    assert!(md.contains("### `CiRole` — external"), "{md}");
    let (_, mm) = run(&["--format", "mermaid"]);
    assert!(mm.starts_with("flowchart LR\n"), "{mm}");
    assert!(mm.contains("-.->|external|"), "{mm}");
    assert!(mm.contains("-->|chain|"), "{mm}");
    let (code, _) = run(&["--role", "NoSuchRole"]);
    assert_eq!(code, Some(2));
    let (code, human) = run(&[]);
    assert_eq!(code, Some(0));
    assert!(human.contains("CiRole [external]"), "{human}");
}

#[test]
fn mermaid_labels_are_escaped() {
    assert_eq!(
        render::label(r#"a "b" <c>|#"#),
        "\"a #quot;b#quot; #lt;c#gt;#124;#35;\""
    );
}

#[test]
fn whole_corpus_does_not_panic() {
    let Some(corpus) = common::shared("corpus", "whole_corpus_does_not_panic") else {
        return;
    };
    let out = trustlint()
        .args(["explain", "--format", "json"])
        .arg(corpus)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 2)),
        "{:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(j["summary"]["roles"].as_u64().unwrap() > 100);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("internal error"));
}

#[test]
fn a_suppressed_finding_is_not_listed_but_still_counts() {
    let text = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Open:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              AWS: "*" # trustlint:ignore TL101 a test role, torn down nightly
            Action: sts:AssumeRole
"#;
    let (j, _) = explain("open.yaml", text);
    let g = grant(&j);
    assert_eq!(j["roles"][0]["exposure"], "public");
    assert!(!findings(g).contains(&"TL101"), "{g}");
}

#[test]
fn output_is_the_same_for_any_jobs_and_colour_follows_the_terminal_choice() {
    let examples = common::repo_root().join("examples");
    let run = |jobs: &str, env: Option<(&str, &str)>| {
        let mut cmd = trustlint();
        cmd.args(["explain", "--jobs", jobs]).arg(&examples);
        if let Some((k, v)) = env {
            cmd.env_remove("NO_COLOR").env(k, v);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stdout).unwrap()
    };
    let one = run("1", None);
    assert_eq!(one, run("3", None));
    assert!(!one.contains('\u{1b}'));
    let coloured = run("2", Some(("CLICOLOR_FORCE", "1")));
    assert!(coloured.contains("\u{1b}["), "{coloured}");
    let stripped: String = {
        let mut s = String::new();
        let mut chars = coloured.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                for d in chars.by_ref() {
                    if d == 'm' {
                        break;
                    }
                }
            } else {
                s.push(c);
            }
        }
        s
    };
    assert_eq!(stripped, one);
}

#[test]
fn trusted_accounts_are_not_external() {
    let text = trust(
        r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}"#,
        "",
    );
    let settings = Settings {
        trusted_accounts: vec!["444455556666".to_owned()],
        ..Settings::default()
    };
    let e = explain_text("trusted.json", &text, &settings);
    let j: Value = serde_json::from_str(&render::json(&e)).unwrap();
    assert_eq!(grant(&j)["external"], false);
    assert_eq!(grant(&j)["account"], "444455556666");
    assert_eq!(j["roles"][0]["exposure"], "same-account");
}

#[test]
fn a_wildcard_under_string_equals_opens_nothing() {
    let (j, h) = explain("broken.json", &github("StringEquals", "repo:acme/*"));
    let g = grant(&j);
    assert_eq!(j["roles"][0]["exposure"], "federated");
    assert!(findings(g).contains(&"TL203"));
    assert_eq!(
        g["text"],
        "GitHub Actions in any repository of acme — but `StringEquals` matches `*` literally, so no token matches"
    );
    assert!(h.contains("so no token matches"), "{h}");
}

#[test]
fn a_chained_hop_requested_for_more_than_an_hour_is_tl605() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("account.json"), EXPORT).unwrap();
    let workflows = dir.path().join(".github/workflows");
    std::fs::create_dir_all(&workflows).unwrap();
    let step = |role: &str, seconds: u32| {
        format!(
            "name: deploy\non: push\npermissions:\n  id-token: write\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: arn:aws:iam::111122223333:role/{role}\n          role-duration-seconds: {seconds}\n"
        )
    };
    // DeployRole is trusted only by CiRole: every session is chained.
    std::fs::write(workflows.join("deploy.yml"), step("DeployRole", 7200)).unwrap();
    // AdminRole trusts its account: a request may come from a user.
    std::fs::write(workflows.join("admin.yml"), step("AdminRole", 7200)).unwrap();
    // Within the hour: nothing to say.
    std::fs::write(workflows.join("short.yml"), step("LoopA", 3600)).unwrap();
    let out = trustlint()
        .current_dir(dir.path())
        .arg("explain")
        .output()
        .unwrap();
    let human = String::from_utf8(out.stdout).unwrap();
    assert!(
        human.contains(".github/workflows/deploy.yml:12:34 (deploy.yml › jobs.deploy › step \"aws-actions/configure-aws-credentials@v4\") requests 7200 s, but only other roles can assume DeployRole: a chained session lasts at most 3600 s (TL605)"),
        "{human}"
    );
    assert_eq!(
        human.matches("a chained session lasts").count(),
        1,
        "{human}"
    );
    assert!(human.contains("sessions up to 2 h (TL605)"), "{human}");
}
