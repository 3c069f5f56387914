#!/bin/sh
# ASIAN_MARKETS and AKIA-prefixed words that are not keys
echo ASIAN_MARKETS_AKIAXYZ
echo AKIA123
