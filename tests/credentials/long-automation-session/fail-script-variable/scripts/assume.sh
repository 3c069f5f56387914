#!/usr/bin/env bash
set -euo pipefail
duration_seconds=7200
role_arn="arn:aws:iam::111122223333:role/ops"

creds=$(aws sts assume-role --role-arn "$role_arn" \
  --role-session-name ops \
  --duration-seconds "$duration_seconds")
echo "$creds" | jq .
