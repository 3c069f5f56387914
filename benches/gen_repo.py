#!/usr/bin/env python3
"""Write a deterministic synthetic repository for benches/compare.sh.

usage: gen_repo.py DIR FILES

The mix: 70% IAM-bearing files, split evenly between raw trust and identity
policies (JSON), CloudFormation YAML templates with 1-5 roles, and
Terraform modules (a role with a policy-document data source); 30% files
that are not IAM-related (package.json, Kubernetes YAML, unrelated
Terraform, a README). About one file in five has a finding. The same DIR
and FILES give the same bytes.
"""
import os
import random
import sys

TRUST = """{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Sid": "Trust{i}",
      "Effect": "Allow",
      "Principal": {{ "{ptype}": "{principal}" }},
      "Action": "sts:AssumeRole"{cond}
    }}
  ]
}}
"""

IDENTITY = """{{
  "Version": "2012-10-17",
  "Statement": [
    {{ "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "arn:aws:s3:::bucket-{i}/*" }},
    {{ "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "{res}" }}
  ]
}}
"""

CFN_ROLE = """  Role{n}:
    Type: AWS::IAM::Role
    Properties:
      RoleName: role-{i}-{n}
      MaxSessionDuration: {dur}
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              {ptype}: {principal}
            Action: sts:AssumeRole
"""

TF = """data "aws_iam_policy_document" "trust_{i}" {{
  statement {{
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "{ptype}"
      identifiers = ["{principal}"]
    }}
  }}
}}

resource "aws_iam_role" "role_{i}" {{
  name                 = "role-{i}"
  assume_role_policy   = data.aws_iam_policy_document.trust_{i}.json
  max_session_duration = {dur}
}}
"""

OTHER = [
    ("package.json", '{{\n  "name": "pkg-{i}",\n  "version": "1.0.{i}",\n  "dependencies": {{ "left-pad": "^1.3.0" }}\n}}\n'),
    ("deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i}\nspec:\n  replicas: 2\n"),
    ("network.tf", 'resource "aws_vpc" "v{i}" {{\n  cidr_block = "10.{j}.0.0/16"\n}}\n'),
    ("README.md", "# Component {i}\n\nNothing to see here.\n"),
]


def principal(rng, i):
    r = rng.random()
    if r < 0.1:
        return "AWS", '"*"' if False else "*"
    if r < 0.2:
        return "AWS", f"arn:aws:iam::{rng.randrange(10**11, 10**12)}:root"
    return "Service", rng.choice(["ec2.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com"])


def main():
    out, files = sys.argv[1], int(sys.argv[2])
    rng = random.Random(12345)
    total = 0
    for i in range(files):
        d = os.path.join(out, f"team{i % 50:02d}", f"svc{i // 50 % 40:02d}", f"c{i}")
        os.makedirs(d, exist_ok=True)
        kind = i % 10
        ptype, p = principal(rng, i)
        if kind < 7:
            sub = kind % 4
            if sub == 0:
                cond = ',\n      "Condition": { "Bool": { "aws:MultiFactorAuthPresent": "true" } }' if rng.random() < 0.5 else ""
                name, text = "trust.json", TRUST.format(i=i, ptype=ptype, principal=p, cond=cond)
            elif sub == 1:
                res = "*" if rng.random() < 0.1 else f"arn:aws:iam::111122223333:role/deploy-{i}"
                name, text = "identity.json", IDENTITY.format(i=i, res=res)
            elif sub == 2:
                roles = "".join(
                    CFN_ROLE.format(i=i, n=n, dur=rng.choice([3600, 7200, 43200]), ptype=ptype,
                                    principal=(f'"{p}"' if p == "*" else p))
                    for n in range(1 + i % 5)
                )
                name, text = "template.yaml", 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n' + roles
            else:
                name, text = "main.tf", TF.format(i=i, ptype=ptype, principal=p, dur=rng.choice([3600, 14400]))
        else:
            name, tmpl = OTHER[i % len(OTHER)]
            text = tmpl.format(i=i, j=i % 250)
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
        total += len(text)
    print(f"{files} files, {total / 1e6:.1f} MB in {out}")


if __name__ == "__main__":
    main()
