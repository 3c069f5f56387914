data "aws_iam_policy_document" "vendor" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.partner_account_id}:role/monitoring"]
    }
  }
}

data "aws_iam_policy_document" "vendor_with_external_id" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.partner_account_id}:role/billing"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [var.partner_external_id]
    }
  }
}

data "aws_iam_policy_document" "ec2" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "assume_deploy" {
  statement {
    actions   = ["sts:AssumeRole"]
    resources = [aws_iam_role.github_deploy.arn]
  }
}

# Not used by any role in this module: checked on its own. Bad: open to
# every AWS account (an S3 replication role someone copied from a blog).
data "aws_iam_policy_document" "replication_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}
