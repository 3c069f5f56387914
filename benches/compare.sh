#!/usr/bin/env bash
# The benchmark harness (issue 12): one command, results in benches/RESULTS.md.
#
#   benches/compare.sh            # 10k, 50k and 100k synthetic files, the corpus
#   benches/compare.sh --quick    # 10k only (a few minutes)
#   benches/compare.sh --peers    # also checkov and cfn-lint on their subsets
#
# For each tree it measures, interleaved and RUNS times (median reported):
# ripgrep reading every file (the I/O floor, one thread and all cores),
# trustlint --jobs 1 and all cores (json), and trustlint in sarif and human
# format; CPU time (user + sys), wall time and peak RSS of the process
# (benches/measure.py: wait4's resource usage, to the microsecond).
# A 5-file pre-commit call is compared with ripgrep on the same 5 files.
# Ratios are within the same run. Never run by CI: timings are not tests.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=${RUNS:-3}
quick=0 peers=0
for a in "$@"; do
  case $a in
    --quick) quick=1 ;;
    --peers) peers=1 ;;
    *) echo "usage: benches/compare.sh [--quick] [--peers]" >&2; exit 2 ;;
  esac
done
work=${BENCH_DIR:-$root/target/bench}
mkdir -p "$work"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need rg; then
  echo "installing ripgrep (the I/O floor)…" >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq ripgrep >/dev/null; else sudo apt-get install -y -qq ripgrep >/dev/null; fi
fi

cargo build --release --quiet
tl=$root/target/release/trustlint
cores=$(nproc)

# One measurement: prints "cpu wall rss_mb" (cpu = user + sys seconds,
# to the microsecond; see benches/measure.py).
measure() { python3 "$root/benches/measure.py" "$@"; }

# Median of a column of numbers.
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

declare -A CPU WALL RSS
bench_tree() {
  local name=$1 dir=$2
  local -a tools=(rg1 rgI rgN rgW tl1 tlN sarif human)
  for r in $(seq "$runs"); do
    for t in "${tools[@]}"; do
      local out
      case $t in
        rg1) out=$(measure rg -j1 --no-ignore --hidden -c 'Statement|AWS::|aws_iam' "$dir") ;;
        # Honouring ignore files, as trustlint does (a probe per folder).
        rgI) out=$(measure rg -j1 --hidden -c 'Statement|AWS::|aws_iam' "$dir") ;;
        rgN) out=$(measure rg -j"$cores" --no-ignore --hidden -c 'Statement|AWS::|aws_iam' "$dir") ;;
        # ripgrep's own speed-up from all cores, honouring ignore files
        # (what the machine allows a reader of these files).
        rgW) out=$(measure rg -j"$cores" --hidden -c 'Statement|AWS::|aws_iam' "$dir") ;;
        tl1) out=$(measure "$tl" check --no-config --jobs 1 --format json "$dir") ;;
        tlN) out=$(measure "$tl" check --no-config --jobs "$cores" --format json "$dir") ;;
        sarif) out=$(measure "$tl" check --no-config --format sarif "$dir") ;;
        human) out=$(measure env COLUMNS=100 "$tl" check --no-config --format human --color never "$dir") ;;
      esac
      read -r c w m <<<"$out"
      CPU[$name,$t]+="$c "; WALL[$name,$t]+="$w "; RSS[$name,$t]+="$m "
    done
  done
}
med() { tr ' ' '\n' <<<"$1" | grep -v '^$' | median; }

trees=()
sizes=(10000 50000 100000)
[ "$quick" = 1 ] && sizes=(10000)
# SIZES="1000 2000" overrides the sizes (a smoke run of the harness itself).
if [ -n "${SIZES:-}" ]; then read -r -a sizes <<<"$SIZES"; fi
for n in "${sizes[@]}"; do
  d=$work/syn-$n
  if [ ! -f "$d/.done" ]; then
    rm -rf "$d"
    python3 benches/gen_repo.py "$d" "$n" >&2
    touch "$d/.done"
  fi
  trees+=("syn-$n:$d")
done
if [ -d ../shared/corpus ]; then trees+=("corpus:$(cd ../shared/corpus && pwd)"); fi

for entry in "${trees[@]}"; do
  name=${entry%%:*}; dir=${entry#*:}
  echo "measuring $name…" >&2
  bench_tree "$name" "$dir"
done

# The pre-commit call: 5 files named on the command line.
pc=$work/syn-${sizes[0]}
mapfile -t five < <(find "$pc" -name 'trust.json' | sort | sed -n 1,5p)
# One call takes milliseconds: 50 calls are timed together (and the
# shell's own start-up with them, for both) and the figures are per call.
calls=50
for r in $(seq "$runs"); do
  read -r c w m <<<"$(measure sh -c 'for i in $(seq '"$calls"'); do rg -j1 -c Statement "$@" >/dev/null; done' sh "${five[@]}")"
  CPU[pc,rg]+="$(awk -v x="$c" -v n="$calls" 'BEGIN {printf "%.4f", x / n}') "; WALL[pc,rg]+="$(awk -v x="$w" -v n="$calls" 'BEGIN {printf "%.4f", x / n}') "
  read -r c w m <<<"$(measure sh -c 'for i in $(seq '"$calls"'); do "$0" check --no-config --format concise "$@" >/dev/null; done' "$tl" "${five[@]}")"
  CPU[pc,tl]+="$(awk -v x="$c" -v n="$calls" 'BEGIN {printf "%.4f", x / n}') "; WALL[pc,tl]+="$(awk -v x="$w" -v n="$calls" 'BEGIN {printf "%.4f", x / n}') "; RSS[pc,tl]+="$m "
done

{
  echo "# Benchmark results"
  echo
  echo "Produced by \`benches/compare.sh $*\` on $(date -u +%Y-%m-%d). Medians of $runs interleaved runs;"
  echo "CPU is user + system time of the whole process; ratios are within this run."
  echo
  echo "Machine: $(nproc) cores ($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | sed -n 1p)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr)."
  echo "ripgrep $(rg --version | sed -n 1p | awk '{print $2}'), trustlint $("$tl" --version | awk '{print $2}')."
  echo
  echo "| tree | files | MB | rg CPU 1 thread | trustlint CPU --jobs 1 | ratio | rg CPU honouring ignore files | ratio | rg wall all cores | trustlint wall all cores | speed-up jobs ${cores} vs 1 | rg speed-up ${cores} vs 1 | peak RSS json / sarif / human (MB) |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  for entry in "${trees[@]}"; do
    name=${entry%%:*}; dir=${entry#*:}
    files=$(find "$dir" -type f | wc -l)
    mb=$(find "$dir" -type f -printf '%s\n' | awk '{s += $1} END {printf "%.1f", s / 1e6}')
    rg1=$(med "${CPU[$name,rg1]}"); tl1=$(med "${CPU[$name,tl1]}"); rgI=$(med "${CPU[$name,rgI]}")
    rgw=$(med "${WALL[$name,rgN]}"); tlw=$(med "${WALL[$name,tlN]}"); tlw1=$(med "${WALL[$name,tl1]}")
    ratio=$(awk -v a="$tl1" -v b="$rg1" 'BEGIN {printf "%.2fx", (b > 0) ? a / b : 0}')
    ratioI=$(awk -v a="$tl1" -v b="$rgI" 'BEGIN {printf "%.2fx", (b > 0) ? a / b : 0}')
    speed=$(awk -v a="$tlw1" -v b="$tlw" 'BEGIN {printf "%.2fx", (b > 0) ? a / b : 0}')
    rgs=$(awk -v a="$(med "${WALL[$name,rgI]}")" -v b="$(med "${WALL[$name,rgW]}")" 'BEGIN {printf "%.2fx", (b > 0) ? a / b : 0}')
    echo "| $name | $files | $mb | ${rg1} s | ${tl1} s | $ratio | ${rgI} s | $ratioI | ${rgw} s | ${tlw} s | $speed | $rgs | $(med "${RSS[$name,tlN]}") / $(med "${RSS[$name,sarif]}") / $(med "${RSS[$name,human]}") |"
  done
  echo
  pcr=$(med "${CPU[pc,rg]}"); pct=$(med "${CPU[pc,tl]}")
  echo "Pre-commit call on 5 files (per call, 50 calls timed together): ripgrep ${pcr} s CPU, trustlint ${pct} s CPU ($(awk -v a="$pct" -v b="$pcr" 'BEGIN {printf "%.2fx", (b > 0) ? a / b : 0}')), wall $(med "${WALL[pc,tl]}") s, peak RSS $(med "${RSS[pc,tl]}") MB."
} > benches/RESULTS.md.new

if [ "$peers" = 1 ]; then
  venv=$root/target/bench-venv
  [ -x "$venv/bin/checkov" ] || { python3 -m venv "$venv"; "$venv/bin/pip" install -q checkov cfn-lint; }
  sub=$work/peers
  rm -rf "$sub"; mkdir -p "$sub/cfn" "$sub/tf"
  find "$work/syn-10000" -name template.yaml | sort | sed -n 1,500p | while read -r f; do cp "$f" "$sub/cfn/$(echo "$f" | md5sum | cut -c1-12).yaml"; done
  find "$work/syn-10000" -name main.tf | sort | sed -n 1,500p | while read -r f; do d=$sub/tf/$(echo "$f" | md5sum | cut -c1-12); mkdir -p "$d"; cp "$f" "$d/"; done
  # trustlint takes milliseconds here: 20 calls are timed together and the
  # figure is per call.
  per_call() { measure sh -c 'for i in $(seq 20); do "$0" check --no-config --format json "$1" >/dev/null; done' "$tl" "$1" | awk '{printf "%.4f", $2 / 20}'; }
  cl=$(measure "$venv/bin/cfn-lint" "$sub/cfn/*.yaml" | awk '{print $2}')
  tc=$(per_call "$sub/cfn")
  ck=$(measure "$venv/bin/checkov" -d "$sub/tf" --framework terraform --quiet --compact | awk '{print $2}')
  tt=$(per_call "$sub/tf")
  {
    echo
    echo "Peers on their subsets (wall time; the peers one run each, trustlint per call of 20): cfn-lint on 500 CloudFormation templates ${cl} s vs trustlint ${tc} s ($(awk -v a="$cl" -v b="$tc" 'BEGIN {printf "%.0fx", (b > 0) ? a / b : 0}')); checkov on 500 Terraform modules ${ck} s vs trustlint ${tt} s ($(awk -v a="$ck" -v b="$tt" 'BEGIN {printf "%.0fx", (b > 0) ? a / b : 0}'))."
  } >> benches/RESULTS.md.new
fi
mv benches/RESULTS.md.new benches/RESULTS.md
cat benches/RESULTS.md
