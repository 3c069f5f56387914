#!/bin/sh
aws sts assume-role --role-arn arn:aws:iam::111122223333:role/u --role-session-name u \
  --policy '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}]}'
