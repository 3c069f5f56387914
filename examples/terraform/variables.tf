variable "github_org" {
  description = "GitHub organisation allowed to deploy"
  type        = string
  default     = "example-org"
}

variable "github_repo" {
  description = "Repository that deploys this stack"
  type        = string
  default     = "payments-api"
}

variable "partner_account_id" {
  description = "The monitoring vendor's AWS account"
  type        = string
  default     = "999988887777"
}

variable "partner_external_id" {
  description = "External ID agreed with the vendor (set in terraform.tfvars)"
  type        = string
}

variable "session_hours" {
  type    = number
  default = 8
}
