#!/bin/sh
aws sts assume-role \
  --role-arn arn:aws:iam::111122223333:role/uploader \
  --role-session-name upload \
  --policy file://policies/session.json
