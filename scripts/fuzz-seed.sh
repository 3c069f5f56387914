#!/usr/bin/env bash
# Seed the fuzz corpora (fuzz/corpus/<target>/, gitignored) from the shared
# third-party corpus and the rule fixtures. Files over 64 KiB are left out:
# they slow every execution and add little coverage.
#
#   scripts/fuzz-seed.sh [CORPUS_DIR]     (default: ../shared/corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:-../shared/corpus}
out=fuzz/corpus
mkdir -p "$out"/{json,yaml,hcl,tf_json,plan_export,pipeline}

# name -> hash-named copy, so files with the same name do not collide.
put() { # target file [prefix-byte-octal]
  local h
  h=$(sha1sum "$2" | cut -c1-16)
  if [ -n "${3:-}" ]; then
    { printf "\\$3"; cat "$2"; } > "$out/$1/$h"
  else
    cp "$2" "$out/$1/$h"
  fi
}

find "$src" tests/fixtures examples -type f -size -64k -print0 2>/dev/null |
while IFS= read -r -d '' f; do
  lower=$(printf '%s' "$f" | tr '[:upper:]' '[:lower:]')
  case "$lower" in
    *.tf.json) put tf_json "$f"; put pipeline "$f" 004 ;;
    *.json)
      put json "$f"; put pipeline "$f" 000
      if grep -q '"Statement"' "$f" && ! grep -q 'AWSTemplateFormatVersion\|"Resources"' "$f"; then
        put plan_export "$f" 000; put plan_export "$f" 003
      fi ;;
    *.yaml|*.yml|*.template) put yaml "$f"; put pipeline "$f" 001 ;;
    *.tf) put hcl "$f"; put pipeline "$f" 003 ;;
  esac
done
for t in json yaml hcl tf_json plan_export pipeline; do
  printf '%-12s %6s files\n' "$t" "$(find "$out/$t" -type f | wc -l)"
done
