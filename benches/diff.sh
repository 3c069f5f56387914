#!/usr/bin/env bash
# `trustlint diff` against `trustlint check` on a 1,000-file repository
# written by benches/gen_repo.py (issue 15's figure). Never run by CI.
#
#   benches/diff.sh            # RUNS=11 interleaved runs, medians
#
# Three diffs, each timed against one `check --format json .` of the same
# tree, interleaved: between two commits where 14 trust policies changed
# (a service principal widened to an account), the same change against
# the working tree, and between two commits where every file changed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=${RUNS:-11}
cargo build --release --quiet
tl=$root/target/release/trustlint
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo=$work/repo
python3 benches/gen_repo.py "$repo" 1000 >/dev/null
cd "$repo"
git init -q
git config gc.auto 0
git -c user.name=bench -c user.email=bench@example.com commit -q --allow-empty -m empty
git add -A
git -c user.name=bench -c user.email=bench@example.com commit -qm base
base=$(git rev-parse HEAD)
# 14 trust policies: the EC2 service becomes an external account.
grep -rl --include='*.json' '"Service": "ec2.amazonaws.com"' . | sort | head -14 |
  while read -r f; do
    sed -i 's/"Service": "ec2.amazonaws.com"/"AWS": "arn:aws:iam::444455556666:root"/' "$f"
  done
changed=$(git status --porcelain | wc -l)
git add -A
git -c user.name=bench -c user.email=bench@example.com commit -qm widen
head14=$(git rev-parse HEAD)
# Every file changed (a line appended), then the working tree is reset.
git ls-files -z | xargs -0 -I{} sh -c 'printf "\n" >> "$1"' _ {}
git add -A
git -c user.name=bench -c user.email=bench@example.com commit -qm every
every=$(git rev-parse HEAD)
git checkout -q "$head14"
git gc -q

# "wall cpu" of one command in seconds, output discarded (microsecond
# resolution: GNU time's 10 ms is too coarse for runs of 20 ms).
one() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
before = resource.getrusage(resource.RUSAGE_CHILDREN)
t = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.perf_counter() - t
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
print(f"{wall:.4f} {cpu:.4f}")
PY
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A wall cpu
names=(check two_commits working_tree every_file)
for _ in $(seq "$runs"); do
  for n in "${names[@]}"; do
    case $n in
      check) r=$(one "$tl" check --no-config --format json .) ;;
      two_commits) r=$(one "$tl" diff --no-config --format json "$base" "$head14") ;;
      working_tree) r=$(one "$tl" diff --no-config --format json "$base") ;;
      every_file) r=$(one "$tl" diff --no-config --format json "$base" "$every") ;;
    esac
    wall[$n]+="${r% *}"$'\n'
    cpu[$n]+="${r#* }"$'\n'
  done
done

echo "1,000 files ($changed changed in the 14-file commits), $runs interleaved runs, medians; $(nproc) cores"
echo
echo "| command | wall | CPU | wall vs check | CPU vs check |"
echo "| --- | ---: | ---: | ---: | ---: |"
cw=$(printf '%s' "${wall[check]}" | median)
cc=$(printf '%s' "${cpu[check]}" | median)
for n in "${names[@]}"; do
  w=$(printf '%s' "${wall[$n]}" | median)
  c=$(printf '%s' "${cpu[$n]}" | median)
  awk -v n="$n" -v w="$w" -v c="$c" -v cw="$cw" -v cc="$cc" \
    'BEGIN {printf "| %s | %.1f ms | %.1f ms | %.2fx | %.2fx |\n", n, w * 1000, c * 1000, w / cw, c / cc}'
done
