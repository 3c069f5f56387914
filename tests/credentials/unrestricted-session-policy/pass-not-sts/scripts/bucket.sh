#!/bin/sh
aws s3api put-bucket-policy --bucket b --policy file://policy.json
aws iam create-policy --policy-name p --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
