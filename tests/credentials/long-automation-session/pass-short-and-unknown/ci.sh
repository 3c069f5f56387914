#!/bin/sh
aws sts assume-role --role-arn "$ROLE" --role-session-name ci --duration-seconds "$DURATION"
# aws sts assume-role --duration-seconds 43000 (a comment, not a use)
