data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_root = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"
}

# The vendor's monitoring role. Bad: no sts:ExternalId (confused deputy).
resource "aws_iam_role" "vendor_monitoring" {
  name               = "vendor-monitoring"
  assume_role_policy = data.aws_iam_policy_document.vendor.json
}

# Good: same vendor, with the external ID (its value comes from tfvars).
resource "aws_iam_role" "vendor_billing" {
  name               = "vendor-billing"
  assume_role_policy = data.aws_iam_policy_document.vendor_with_external_id.json
}

# Bad: every principal of this account, without MFA, for 8 hours.
resource "aws_iam_role" "operators" {
  name                 = "operators"
  max_session_duration = var.session_hours * 3600
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = local.account_root }
      Action    = "sts:AssumeRole"
    }]
  })
}

# Bad: 8 hours, above the recommended 4.
resource "aws_iam_role" "batch" {
  name                 = "nightly-batch"
  max_session_duration = 28800
  assume_role_policy   = data.aws_iam_policy_document.ec2.json
}

# Good: a service role for EC2.
resource "aws_iam_role" "web" {
  name               = "web-instance"
  assume_role_policy = data.aws_iam_policy_document.ec2.json
}

# Bad: the CI user may assume any role in any account.
resource "aws_iam_user_policy" "ci_hop" {
  name = "ci-hop"
  user = "ci"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sts:AssumeRole"
      Resource = "*"
    }]
  })
}

# Good: the deploy pipeline may assume exactly the deploy role.
resource "aws_iam_policy" "deployer" {
  name   = "deployer"
  policy = data.aws_iam_policy_document.assume_deploy.json
}

# Bad: console sign-in through Okta, without checking the SAML audience.
resource "aws_iam_saml_provider" "okta" {
  name                   = "okta"
  saml_metadata_document = file("${path.module}/okta-metadata.xml")
}

resource "aws_iam_role" "okta_admin" {
  name = "okta-admin"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:saml-provider/okta" }
      Action    = "sts:AssumeRoleWithSAML"
    }]
  })
}
