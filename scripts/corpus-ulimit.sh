#!/usr/bin/env bash
# Lint the shared third-party corpus with a release build under a 1 GiB
# address-space limit (`ulimit -v 1048576`): the run must finish with exit
# code 0 or 1 (never 2, never a crash), print no panic, and report no
# internal error. Prints the figures: time, exit code, files, findings.
#
#   scripts/corpus-ulimit.sh [CORPUS_DIR] [LIMIT_KIB]
#       CORPUS_DIR  default ../shared/corpus (relative to the repository)
#       LIMIT_KIB   default 1048576 (1 GiB)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus}
limit=${2:-1048576}
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 2; }

cargo build --release --quiet --bin trustlint
bin=$PWD/target/release/trustlint

out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

start=$(date +%s.%N)
set +e
(
  ulimit -v "$limit"
  exec "$bin" check --no-config --color never --format concise "$corpus" >"$out" 2>"$err"
)
code=$?
set -e
end=$(date +%s.%N)

files=$(find "$corpus" -type f | wc -l)
findings=$(grep -c ': \(error\|warning\|note\)\[TL' "$out" || true)
tl001=$(grep -c '\[TL001\]' "$out" || true)
skipped=$(grep -c '^note: skipped ' "$err" || true)
printf 'command:   ulimit -v %s; trustlint check --no-config --format concise %s\n' "$limit" "$corpus"
printf 'exit code: %s\n' "$code"
printf 'time:      %.2f s\n' "$(echo "$end - $start" | bc)"
printf 'files:     %s in the corpus\n' "$files"
printf 'findings:  %s (%s TL001)\n' "$findings" "$tl001"
printf 'skipped:   %s named on stderr (size or encoding)\n' "$skipped"
printf 'summary:   %s\n' "$(tail -n 1 "$err")"
grep -o '\[TL[0-9]*\]' "$out" | sort | uniq -c | sort -rn | awk '{printf "           %s %s\n", $2, $1}'

status=0
if grep -q 'panicked' "$err"; then
  echo "FAIL: a panic was printed:" >&2
  grep -A3 'panicked' "$err" >&2
  status=1
fi
if grep -q 'internal error' "$err"; then
  echo "FAIL: internal errors:" >&2
  grep 'internal error' "$err" >&2
  status=1
fi
if [ "$code" -ne 0 ] && [ "$code" -ne 1 ]; then
  echo "FAIL: exit code $code (expected 0 or 1); stderr:" >&2
  tail -n 20 "$err" >&2
  status=1
fi
[ "$status" -eq 0 ] && echo "OK: exit code $code under a ${limit} KiB limit, no panic"
exit "$status"
