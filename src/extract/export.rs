//! AWS CLI exports (SPEC §1): `aws iam get-account-authorization-details`
//! (`RoleDetailList`, `UserDetailList`, `GroupDetailList`, `Policies`),
//! `get-role` (`Role`), `list-roles` (`Roles`), `get-policy-version`
//! (`PolicyVersion`) and `get-role-policy`/`get-user-policy`/
//! `get-group-policy` (`PolicyDocument` with the entity's name).
//!
//! Documents are JSON objects (CLI v2 decodes them) or URL-encoded strings
//! (the raw API, older tools): those are percent-decoded through an offset
//! table, so spans still point at the encoded text in the file. The role's
//! own ARN gives *this account*. AWS-managed policies
//! (`arn:aws:iam::aws:policy/…`) are skipped: nobody can change them.

use super::plan::embedded_error;
use super::{Document, Extracted, Setting, SettingKind};
use crate::load::embedded::{parse_mapped, too_long, Mapped, MAX_EMBEDDED_LEN};
use crate::load::ParseError;
use crate::policy::DocKind;
use crate::tree::{Kind, Node};

pub fn is_export(root: &Node) -> bool {
    let list = |k: &str| root.get(k).is_some_and(|v| v.as_array().is_some());
    list("RoleDetailList")
        || list("UserDetailList")
        || list("GroupDetailList")
        || root
            .get("Policies")
            .and_then(Node::as_array)
            .is_some_and(|p| p.iter().any(|x| x.get("PolicyVersionList").is_some()))
        || root
            .get("Role")
            .is_some_and(|r| r.get("AssumeRolePolicyDocument").is_some())
        || root.get("Roles").and_then(Node::as_array).is_some_and(|r| {
            r.iter()
                .any(|x| x.get("AssumeRolePolicyDocument").is_some())
        })
        || root
            .get("PolicyVersion")
            .is_some_and(|v| v.get("Document").is_some())
        || (root.get("PolicyDocument").is_some() && root.get("PolicyName").is_some())
}

use super::plan::arn_account;

fn field<'n>(n: &'n Node, k: &str) -> Option<&'n str> {
    n.get(k).and_then(Node::as_str)
}

struct Export<'t> {
    text: &'t str,
    out: Extracted,
}

pub fn extract(root: &Node, text: &str) -> Extracted {
    let mut x = Export {
        text,
        out: Extracted {
            recognised: true,
            ..Extracted::default()
        },
    };
    for r in root
        .get("RoleDetailList")
        .and_then(Node::as_array)
        .unwrap_or_default()
    {
        x.role(r);
    }
    for r in root
        .get("Roles")
        .and_then(Node::as_array)
        .unwrap_or_default()
    {
        x.role(r);
    }
    if let Some(r) = root.get("Role").filter(|r| r.is_object()) {
        x.role(r);
    }
    for (list, name_key, policies) in [
        ("UserDetailList", "UserName", "UserPolicyList"),
        ("GroupDetailList", "GroupName", "GroupPolicyList"),
    ] {
        for e in root.get(list).and_then(Node::as_array).unwrap_or_default() {
            x.inline_policies(e, name_key, policies);
        }
    }
    for p in root
        .get("Policies")
        .and_then(Node::as_array)
        .unwrap_or_default()
    {
        x.managed(p);
    }
    if let Some(v) = root.get("PolicyVersion") {
        if let Some(d) = v.get("Document") {
            x.doc(d, DocKind::Identity, None, None, None);
        }
    }
    if let Some(d) = root.get("PolicyDocument") {
        let entity = ["RoleName", "UserName", "GroupName"]
            .iter()
            .find_map(|k| field(root, k));
        let name = match (entity, field(root, "PolicyName")) {
            (Some(e), Some(p)) => Some(format!("{e}/{p}")),
            (None, p) => p.map(str::to_owned),
            (e, None) => e.map(str::to_owned),
        };
        x.doc(d, DocKind::Identity, name, None, None);
    }
    x.out
}

impl Export<'_> {
    fn role(&mut self, r: &Node) {
        let name = field(r, "RoleName").map(str::to_owned);
        let arn = field(r, "Arn").map(str::to_owned);
        let account = arn.as_deref().and_then(arn_account);
        let resource = arn.clone().or_else(|| name.clone());
        if let Some(d) = r.get("AssumeRolePolicyDocument") {
            self.doc(
                d,
                DocKind::Trust,
                name.clone(),
                resource.clone(),
                account.clone(),
            );
        }
        if let Some(v) = r.get("MaxSessionDuration") {
            self.out.settings.push(Setting {
                kind: SettingKind::MaxSessionDuration,
                key: "MaxSessionDuration".to_owned(),
                node: v.clone(),
                name: name.clone(),
                resource: resource.clone(),
                variant: None,
                target: None,
            });
        }
        self.inline_policies(r, "RoleName", "RolePolicyList");
        if let Some(role) = &resource {
            for a in r
                .get("AttachedManagedPolicies")
                .and_then(Node::as_array)
                .unwrap_or_default()
            {
                if let Some(p) = field(a, "PolicyArn") {
                    self.out.attached.push((role.clone(), p.to_owned()));
                }
            }
        }
    }

    fn inline_policies(&mut self, e: &Node, name_key: &str, list: &str) {
        let entity = field(e, name_key).unwrap_or_default();
        let arn = field(e, "Arn").map(str::to_owned);
        let account = arn.as_deref().and_then(arn_account);
        for p in e.get(list).and_then(Node::as_array).unwrap_or_default() {
            let pname = field(p, "PolicyName").unwrap_or_default();
            if let Some(d) = p.get("PolicyDocument") {
                self.doc(
                    d,
                    DocKind::Identity,
                    Some(format!("{entity}/{pname}")),
                    arn.clone().or_else(|| Some(entity.to_owned())),
                    account.clone(),
                );
            }
        }
    }

    /// A managed policy: its default version only.
    fn managed(&mut self, p: &Node) {
        let arn = field(p, "Arn");
        if arn.is_some_and(|a| a.split(':').nth(4) == Some("aws")) {
            return;
        }
        let default_id = field(p, "DefaultVersionId");
        let versions = p
            .get("PolicyVersionList")
            .and_then(Node::as_array)
            .unwrap_or_default();
        let default = versions.iter().find(|v| {
            matches!(
                v.get("IsDefaultVersion").map(|b| &b.kind),
                Some(Kind::Bool(true))
            ) || (default_id.is_some() && field(v, "VersionId") == default_id)
        });
        if let Some(d) = default.and_then(|v| v.get("Document")) {
            self.doc(
                d,
                DocKind::Identity,
                field(p, "PolicyName").map(str::to_owned),
                arn.map(str::to_owned),
                arn.and_then(arn_account),
            );
        }
    }

    fn doc(
        &mut self,
        d: &Node,
        kind: DocKind,
        name: Option<String>,
        resource: Option<String>,
        this_account: Option<String>,
    ) {
        let what = resource
            .as_deref()
            .or(name.as_deref())
            .map_or_else(|| "this document".to_owned(), |r| format!("`{r}`"));
        let node = match &d.kind {
            Kind::Obj(_) => d.clone(),
            Kind::Str(s) if s.trim().is_empty() => return,
            Kind::Str(_) => match decode(self.text, d) {
                Ok(n) => n,
                Err(e) => {
                    self.out.diagnostics.push(embedded_error(e, &what));
                    return;
                }
            },
            _ => return,
        };
        self.out.docs.push(Document {
            node,
            kind: Some(kind),
            name,
            resource,
            this_account,
            variant: None,
            session: false,
        });
    }
}

/// A document written as a string: URL-encoded (`%7B%22Version…`) or JSON.
fn decode(text: &str, d: &Node) -> Result<Node, ParseError> {
    if d.span.len() > MAX_EMBEDDED_LEN + 2 {
        return Err(too_long(d.span));
    }
    let m =
        Mapped::json_string(text, d.span).ok_or_else(|| ParseError::new(d.span, "not a string"))?;
    let m = if m.text.trim_start().starts_with('%') {
        m.percent_decode()
            .ok_or_else(|| ParseError::new(d.span, "the URL-encoded document is not UTF-8"))?
    } else {
        m
    };
    parse_mapped(&m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_details_with_url_encoded_documents() {
        let text = r#"{
  "RoleDetailList": [{
    "RoleName": "Deploy", "Arn": "arn:aws:iam::111122223333:role/Deploy", "MaxSessionDuration": 3600,
    "AssumeRolePolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22AWS%22%3A%22*%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D",
    "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": {"Statement": []}}]
  }],
  "Policies": [
    {"PolicyName": "Mine", "Arn": "arn:aws:iam::111122223333:policy/Mine", "DefaultVersionId": "v2",
     "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": false, "Document": {"Statement": []}},
                           {"VersionId": "v2", "IsDefaultVersion": true, "Document": {"Statement": [{"Effect": "Allow"}]}}]},
    {"PolicyName": "AdministratorAccess", "Arn": "arn:aws:iam::aws:policy/AdministratorAccess",
     "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true, "Document": {"Statement": []}}]}
  ]
}"#;
        let root = crate::load::json::parse(text).unwrap();
        assert!(is_export(&root));
        let ex = extract(&root, text);
        assert_eq!(ex.docs.len(), 3);
        assert_eq!(ex.settings.len(), 1);
        let trust = &ex.docs[0];
        assert_eq!(trust.this_account.as_deref(), Some("111122223333"));
        let st = &trust.node.get("Statement").unwrap().as_array().unwrap()[0];
        let aws = st.get("Principal").unwrap().get("AWS").unwrap();
        assert_eq!(aws.as_str(), Some("*"));
        assert_eq!(&text[aws.span.range()], "%22*%22");
        assert_eq!(ex.docs[2].name.as_deref(), Some("Mine"));
        assert_eq!(
            ex.docs[2]
                .node
                .get("Statement")
                .unwrap()
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn get_role_and_policy_version() {
        let text = r#"{"Role": {"RoleName": "R", "Arn": "arn:aws:iam::111122223333:role/R", "AssumeRolePolicyDocument": {"Statement": []}}}"#;
        let root = crate::load::json::parse(text).unwrap();
        assert!(is_export(&root));
        assert_eq!(extract(&root, text).docs.len(), 1);
        let text = r#"{"PolicyVersion": {"Document": "%7B%22Statement%22%3A%5B%5D%7D", "VersionId": "v1"}}"#;
        let root = crate::load::json::parse(text).unwrap();
        assert!(is_export(&root));
        assert_eq!(extract(&root, text).docs.len(), 1);
    }
}
