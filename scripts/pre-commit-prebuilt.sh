#!/usr/bin/env bash
# The `trustlint-prebuilt` pre-commit hook (.pre-commit-hooks.yaml): runs
# the release binary of this checkout's version, downloaded once (SHA-256
# verified) into a cache, so a first commit does not wait for a build.
# Where no release binary fits, scripts/install-trustlint.sh builds this
# checkout with cargo instead, once.
#
# The version is the checkout's exact tag, or else Cargo.toml's version
# (pre-commit may fetch a tag without its name); a release that does not
# exist yet falls back to the build. Environment: TRUSTLINT_VERSION (a
# release tag), TRUSTLINT_BASE_URL (where its files are),
# TRUSTLINT_CACHE_DIR (default: $XDG_CACHE_HOME/trustlint or
# ~/.cache/trustlint).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
version="${TRUSTLINT_VERSION:-}"
if [ -z "$version" ]; then
  version="$(git -C "$root" describe --tags --exact-match 2>/dev/null || true)"
fi
if [ -z "$version" ]; then
  version="v$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)"
fi
cache="${TRUSTLINT_CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:-.}/.cache}/trustlint}"
dir="$cache/$version"

find_bin() {
  if [ -x "$dir/trustlint.exe" ]; then
    echo "$dir/trustlint.exe"
  elif [ -x "$dir/trustlint" ]; then
    echo "$dir/trustlint"
  fi
}

bin="$(find_bin)"
if [ -z "$bin" ]; then
  install_args=(--version "$version" --dir "$dir" --source "$root")
  if [ -n "${TRUSTLINT_BASE_URL:-}" ]; then install_args+=(--base-url "$TRUSTLINT_BASE_URL"); fi
  bash "$root/scripts/install-trustlint.sh" "${install_args[@]}" >/dev/null
  bin="$(find_bin)"
fi
exec "$bin" "$@"
