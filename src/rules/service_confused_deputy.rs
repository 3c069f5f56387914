//! TL108: a service principal trusted without source conditions.
//!
//! For services that send source context when they assume a role
//! (research/iam-reference.md §5.1), a trust with no `aws:SourceArn`,
//! `aws:SourceAccount`, `aws:SourceOrgID` or `aws:SourceOrgPaths` lets the
//! service assume the role on behalf of *any* customer's resource: the
//! cross-service confused deputy. Services with no documented source
//! context (EC2, Lambda, …; §5.2) are exempt.

use super::{Check, DocCtx, Rule};
use crate::analysis::{is_trust_statement, positive_pin};
use crate::diagnostic::{Diagnostic, RuleMeta, Severity};
use crate::policy::condition::SOURCE_KEYS;
use crate::policy::principal::Class;

pub static RULE: Rule = Rule::new(
    &RuleMeta {
        id: "TL108",
        name: "service-confused-deputy",
        severity: Severity::Note,
        summary: "a Service principal trust with no aws:SourceArn, aws:SourceAccount, aws:SourceOrgID or aws:SourceOrgPaths condition, for services that support them",
        help: Some("add an aws:SourceAccount (and, where you can, aws:SourceArn) condition naming your own resources"),
    },
    Check::Document(check),
);

/// Services documented to send source context in role trust policies
/// (research/iam-reference.md §5.1; Firehose uses sts:ExternalId instead).
pub const SUPPORTED: &[&str] = &[
    "states.amazonaws.com",
    "sagemaker.amazonaws.com",
    "ssm.amazonaws.com",
    "ssm-incidents.amazonaws.com",
    "transfer.amazonaws.com",
    "monitoring.rds.amazonaws.com",
    "vpc-flow-logs.amazonaws.com",
    "batch.amazonaws.com",
    "airflow.amazonaws.com",
    "airflow-env.amazonaws.com",
    "cognito-idp.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "iot.amazonaws.com",
    "iotfleethub.amazonaws.com",
    "elasticmapreduce.amazonaws.com",
    "ecs-tasks.amazonaws.com",
    "codedeploy.amazonaws.com",
    "eks-fargate-pods.amazonaws.com",
    "rolesanywhere.amazonaws.com",
    "personalize.amazonaws.com",
    "appstream.amazonaws.com",
    "fis.amazonaws.com",
    "datazone.amazonaws.com",
    "application.qbusiness.amazonaws.com",
    "access-grants.s3.amazonaws.com",
    "scheduler.amazonaws.com",
];

fn check(cx: &mut DocCtx<'_>) {
    let mut found = Vec::new();
    for s in &cx.policy.statements {
        if !is_trust_statement(cx.kind, s) {
            continue;
        }
        let has_source = positive_pin(s, SOURCE_KEYS).is_some()
            || crate::analysis::deny_pin(cx.policy, s, SOURCE_KEYS).is_some();
        if has_source {
            continue;
        }
        for p in s.principals() {
            let Class::Service(svc) = &p.class else {
                continue;
            };
            if !SUPPORTED.contains(&svc.as_str()) {
                continue;
            }
            found.push(
                Diagnostic::new(
                    &RULE,
                    p.node.span,
                    format!(
                        "{} trusts {svc} with no aws:SourceArn or aws:SourceAccount condition naming your resources: the service can assume it for any account's resources",
                        cx.subject()
                    ),
                )
                .label("no source condition")
                .subject(format!("service {svc}")),
            );
        }
    }
    for d in found {
        cx.report(d);
    }
}
