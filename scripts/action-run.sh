#!/usr/bin/env bash
# The GitHub Action's lint step (action.yml): runs `trustlint check` ONCE.
# Without SARIF it prints the chosen format. With SARIF it writes the SARIF
# report and prints the log from that same report: pull request annotations
# (workflow commands) for `format: github`, one concise line per finding
# for any other format. Needs jq for that (preinstalled on GitHub-hosted
# runners). Works with bash 3.2 (macOS runners) and Git Bash (Windows).
#
# Inputs (environment): INPUT_PATHS, INPUT_FORMAT, INPUT_FAIL_ON,
# INPUT_CONFIG, INPUT_SARIF, INPUT_SARIF_FILE, INPUT_ARGS; TRUSTLINT is the
# binary (default: trustlint on PATH); GITHUB_OUTPUT receives `exit-code`
# and `sarif-file`.
#
# `scripts/action-run.sh --annotate FILE [github|concise]` only turns a
# SARIF report into log lines (tests use it).
set -uo pipefail

# SARIF 2.1.0 from trustlint to workflow commands or concise lines, with the
# escaping of `--format github` (src/report/github.rs).
annotate() {
  jq -r --arg style "$2" '
    def esc_data: gsub("%"; "%25") | gsub("\r"; "%0D") | gsub("\n"; "%0A");
    def esc_prop: esc_data | gsub(":"; "%3A") | gsub(","; "%2C");
    def hexval: ascii_downcase | explode
      | map(if . >= 97 then . - 87 else . - 48 end) | .[0] * 16 + .[1];
    # SARIF URIs are percent-encoded UTF-8.
    def pct_decode:
      [scan("%[0-9A-Fa-f]{2}|[^%]+|%")
       | if test("^%[0-9A-Fa-f]{2}$") then [.[1:] | hexval]
         else explode end]
      | add // []
      | reduce .[] as $b ({cps: [], need: 0, cp: 0};
          if .need > 0 then
            .cp = .cp * 64 + ($b % 64) | .need -= 1
            | if .need == 0 then .cps += [.cp] else . end
          elif $b < 128 then .cps += [$b]
          elif $b >= 240 then .cp = $b % 8 | .need = 3
          elif $b >= 224 then .cp = $b % 16 | .need = 2
          else .cp = $b % 32 | .need = 1 end)
      | .cps | implode;
    def command: if . == "error" then "error" elif . == "warning" then "warning" else "notice" end;
    .runs[0] as $run
    | ($run.tool.driver.rules // []) as $rules
    | $run.results[]?
    | select(((.suppressions // []) | length) == 0)
    | . as $r
    | ([$rules[] | select(.id == $r.ruleId)][0] // {name: ""}) as $rule
    | $r.locations[0] as $loc
    | ($loc.physicalLocation.artifactLocation.uri | pct_decode | sub("^file://"; "")) as $path
    | ($loc.physicalLocation.region // {}) as $g
    | ($g.startLine // 1) as $line
    | ($g.endLine // $line) as $end_line
    | ($loc.logicalLocations // [] | map(.name) | if length > 0 then " [" + join(", ") + "]" else "" end) as $resource
    | ($r.message.text + $resource) as $message
    | if $style == "github" then
        (["file=" + ($path | esc_prop), "line=\($line)"]
         + (if $end_line == $line and $g.startColumn != null then
              ["col=\($g.startColumn)", "endLine=\($line)",
               "endColumn=\([(($g.endColumn // ($g.startColumn + 1)) - 1), $g.startColumn] | max)"]
            else ["endLine=\($end_line)"] end)
         + ["title=" + ("\($r.ruleId) \($rule.name)" | esc_prop)]) as $props
        | "::\($r.level | command) \($props | join(","))::"
          + ($message
             + (if $rule.help.text and ($r.message.text | contains(". Help: ") | not)
                then "\nhelp: " + $rule.help.text else "" end)
             | esc_data)
      else
        "\($path):\($line):\($g.startColumn // 1): \($r.level)[\($r.ruleId)] \($message)"
      end
  ' "$1" | tr -d '\r'
}

if [ "${1:-}" = "--annotate" ]; then
  [ $# -ge 2 ] || { echo "usage: action-run.sh --annotate FILE [github|concise]" >&2; exit 2; }
  annotate "$2" "${3:-github}"
  exit $?
fi

trustlint="${TRUSTLINT:-trustlint}"
output="${GITHUB_OUTPUT:-/dev/null}"

# White-space separated inputs as words. `read -a` leaves an empty array
# when the input is blank; every expansion below is written so that an
# empty array is fine under `set -u` in bash 3.2 too.
paths=()
read -r -d '' -a paths <<<"${INPUT_PATHS:-.}" || true
[ "${#paths[@]}" -gt 0 ] || paths=(.)
extra=()
read -r -d '' -a extra <<<"${INPUT_ARGS:-}" || true

args=(check --fail-on "${INPUT_FAIL_ON:-warning}")
if [ -n "${INPUT_CONFIG:-}" ]; then args+=(--config "$INPUT_CONFIG"); fi
if [ "${#extra[@]}" -gt 0 ]; then args+=("${extra[@]}"); fi

format="${INPUT_FORMAT:-github}"
code=0
if [ "${INPUT_SARIF:-false}" = "true" ]; then
  sarif_file="${INPUT_SARIF_FILE:-trustlint.sarif}"
  rm -f "$sarif_file"
  "$trustlint" "${args[@]}" --format sarif --output "$sarif_file" -- "${paths[@]}" || code=$?
  if [ -s "$sarif_file" ]; then
    echo "sarif-file=$sarif_file" >>"$output"
    style=concise
    if [ "$format" = "github" ]; then style=github; fi
    if [ "$format" != "github" ] && [ "$format" != "concise" ]; then
      echo "trustlint: with sarif: true the log shows findings from the SARIF report as $style lines (format: $format is not rendered separately, so the repository is linted once)" >&2
    fi
    if command -v jq >/dev/null 2>&1; then
      annotate "$sarif_file" "$style" || echo "trustlint: could not read $sarif_file for annotations" >&2
    else
      echo "trustlint: jq is not installed: no annotations (the SARIF report is still written)" >&2
    fi
  fi
else
  "$trustlint" "${args[@]}" --format "$format" -- "${paths[@]}" || code=$?
fi
# `diff-base`: who newly gains a role, as a table in the job summary.
if [ -n "${INPUT_DIFF_BASE:-}" ]; then
  diff_args=(diff --format markdown --fail-on "${INPUT_DIFF_FAIL_ON:-external}")
  if [ -n "${INPUT_CONFIG:-}" ]; then diff_args+=(--config "$INPUT_CONFIG"); fi
  diff_code=0
  diff_out="${RUNNER_TEMP:-/tmp}/trustlint-diff-$$.md"
  "$trustlint" "${diff_args[@]}" --output "$diff_out" -- "$INPUT_DIFF_BASE" "${paths[@]}" || diff_code=$?
  if [ -s "$diff_out" ]; then
    cat "$diff_out"
    cat "$diff_out" >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
  fi
  rm -f "$diff_out"
  if [ "$diff_code" -gt "$code" ]; then code=$diff_code; fi
fi
echo "exit-code=$code" >>"$output"
exit 0
