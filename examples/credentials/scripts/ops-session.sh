#!/usr/bin/env bash
# An operator's helper script.
set -euo pipefail
export AWS_ACCESS_KEY_ID=AKIAQ3EGRZ5WPNX7TK42 # TL603: a key written into the script
duration=28800
creds=$(aws sts assume-role \
  --role-arn arn:aws:iam::111122223333:role/ops \
  --role-session-name "ops-$USER" \
  --duration-seconds "$duration") # TL601: eight hours, from the variable above
echo "$creds" | jq -r .Credentials.Expiration
