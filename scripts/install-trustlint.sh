#!/usr/bin/env bash
# Install trustlint from a release: pick the archive for this OS and CPU,
# download it with its SHA-256 checksum, verify it, and unpack the binary
# into a folder. Where no release binary fits — an unknown platform, no
# version asked for, or a release that cannot be downloaded — build it with
# `cargo install` instead. A checksum that does not match is never a reason
# to fall back: nothing is installed and the script fails.
#
# Used by the GitHub Action (action.yml) and the prebuilt pre-commit hook
# (scripts/pre-commit-prebuilt.sh); works with bash 3.2 (macOS), Linux and
# Git Bash on Windows.
#
# usage: install-trustlint.sh [--version vX.Y.Z|latest] [--dir DIR]
#            [--base-url URL|FOLDER] [--target TRIPLE]
#            [--source FOLDER | --git URL]
#
#   --version   the release tag; empty: build from --source or --git
#   --dir       where the binary goes (default: $HOME/.local/bin)
#   --base-url  where the release's files are (default: the GitHub release
#               of --version); an https:// or file:// URL, or a local folder
#   --target    the Rust target triple of the archive (default: detected)
#   --source    fall back to `cargo install --locked --path FOLDER`
#   --git       fall back to `cargo install --locked --git URL` (default:
#               the trustlint repository, at --version when given)
#
# Release files: trustlint-TARGET.tar.gz (trustlint-TARGET.zip on Windows),
# holding trustlint-TARGET/trustlint[.exe], and ARCHIVE.sha256 beside it
# ("HASH  ARCHIVE", as sha256sum writes it).
#
# Environment: TRUSTLINT_OS and TRUSTLINT_ARCH replace `uname -s` and
# `uname -m` (tests); TRUSTLINT_CARGO replaces `cargo`.
#
# Exit codes: 0 installed (stdout's one line is the binary's path),
# 1 the checksum does not match, 2 usage, 3 the fall-back build failed.
set -euo pipefail

repo_url=https://github.com/trustlint/trustlint
version=""
dir="${HOME:-.}/.local/bin"
base_url=""
target=""
source_dir=""
git_url="$repo_url"
cargo="${TRUSTLINT_CARGO:-cargo}"

say() { printf 'install-trustlint: %s\n' "$*" >&2; }
usage() {
  say "$1"
  say "usage: install-trustlint.sh [--version TAG] [--dir DIR] [--base-url URL] [--target TRIPLE] [--source FOLDER | --git URL]"
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --version | --dir | --base-url | --target | --source | --git)
      [ $# -ge 2 ] || usage "$1 needs a value"
      case "$1" in
        --version) version="$2" ;;
        --dir) dir="$2" ;;
        --base-url) base_url="$2" ;;
        --target) target="$2" ;;
        --source) source_dir="$2" ;;
        --git) git_url="$2" ;;
      esac
      shift 2
      ;;
    -h | --help)
      sed -n '2,34p' "$0" >&2
      exit 0
      ;;
    *) usage "unknown argument: $1" ;;
  esac
done

os="${TRUSTLINT_OS:-$(uname -s)}"
machine="${TRUSTLINT_ARCH:-$(uname -m)}"

# The Rust target of the release archive for this machine, or nothing.
detect_target() {
  local arch="$machine"
  case "$arch" in
    x86_64 | amd64 | x64) arch=x86_64 ;;
    aarch64 | arm64 | ARM64) arch=aarch64 ;;
    *) return 0 ;;
  esac
  case "$os" in
    Linux) echo "$arch-unknown-linux-musl" ;;
    Darwin) echo "$arch-apple-darwin" ;;
    # Windows on Arm runs the x86_64 build under emulation.
    MINGW* | MSYS* | CYGWIN* | Windows_NT) echo "x86_64-pc-windows-msvc" ;;
  esac
}

# The SHA-256 of a file, in lower case.
sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  elif command -v openssl >/dev/null 2>&1; then
    openssl dgst -sha256 "$1" | sed 's/.*= *//'
  else
    say "no sha256sum, shasum or openssl to verify the download with"
    return 1
  fi | tr 'A-F' 'a-f'
}

# Copy NAME from the release to a file.
fetch() {
  local name="$1" out="$2"
  case "$base_url" in
    *://*)
      if command -v curl >/dev/null 2>&1; then
        curl --fail --silent --show-error --location --retry 3 --output "$out" "$base_url/$name"
      else
        wget --quiet --output-document="$out" "$base_url/$name"
      fi
      ;;
    *) cp "$base_url/$name" "$out" ;;
  esac
}

# Put a built or unpacked binary in place and print its path.
place() {
  local bin="$1" exe="$2"
  mkdir -p "$dir"
  cp "$bin" "$dir/trustlint$exe.tmp.$$"
  chmod +x "$dir/trustlint$exe.tmp.$$"
  mv -f "$dir/trustlint$exe.tmp.$$" "$dir/trustlint$exe"
  echo "$dir/trustlint$exe"
}

fall_back() {
  say "$1: building trustlint from source with cargo (this takes a few minutes)"
  if ! command -v "$cargo" >/dev/null 2>&1; then
    say "cargo is not installed: install Rust (1.88 or newer) from https://rustup.rs, or use a platform with release binaries"
    exit 3
  fi
  local root exe=""
  root="$(mktemp -d)"
  case "$os" in MINGW* | MSYS* | CYGWIN* | Windows_NT) exe=.exe ;; esac
  if [ -n "$source_dir" ]; then
    "$cargo" install --locked --path "$source_dir" --root "$root" >&2 || exit 3
  elif [ -n "$version" ] && [ "$version" != latest ]; then
    "$cargo" install --locked --git "$git_url" --tag "$version" --root "$root" trustlint >&2 || exit 3
  else
    "$cargo" install --locked --git "$git_url" --root "$root" trustlint >&2 || exit 3
  fi
  place "$root/bin/trustlint$exe" "$exe"
  rm -rf "$root"
  exit 0
}

[ -n "$target" ] || target="$(detect_target)"
if [ -z "$target" ]; then
  fall_back "no release binary for $os $machine"
fi
if [ -z "$version" ] && [ -z "$base_url" ]; then
  fall_back "no release version given"
fi
if [ -z "$base_url" ]; then
  if [ "$version" = latest ]; then
    base_url="$repo_url/releases/latest/download"
  else
    base_url="$repo_url/releases/download/$version"
  fi
fi

exe=""
archive="trustlint-$target.tar.gz"
case "$target" in
  *windows*)
    exe=.exe
    archive="trustlint-$target.zip"
    ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if ! fetch "$archive" "$work/$archive" || ! fetch "$archive.sha256" "$work/$archive.sha256"; then
  fall_back "cannot download $archive from $base_url"
fi
want="$(cut -d ' ' -f 1 <"$work/$archive.sha256" | tr 'A-F' 'a-f')"
got="$(sha256_of "$work/$archive")"
if [ -z "$want" ] || [ "$want" != "$got" ]; then
  say "checksum mismatch for $archive: expected ${want:-nothing}, got $got; nothing installed"
  exit 1
fi
say "verified $archive (sha256 $got)"

mkdir "$work/unpacked"
case "$archive" in
  *.zip)
    if command -v unzip >/dev/null 2>&1; then
      unzip -q "$work/$archive" -d "$work/unpacked"
    elif command -v 7z >/dev/null 2>&1; then
      7z x -y -o"$work/unpacked" "$work/$archive" >/dev/null
    else
      powershell -NoProfile -Command "Expand-Archive -LiteralPath '$work/$archive' -DestinationPath '$work/unpacked'"
    fi
    ;;
  *) tar -xzf "$work/$archive" -C "$work/unpacked" ;;
esac
bin="$work/unpacked/trustlint-$target/trustlint$exe"
if [ ! -f "$bin" ]; then
  say "$archive does not hold trustlint-$target/trustlint$exe"
  exit 1
fi
place "$bin" "$exe"
say "installed $("$dir/trustlint$exe" --version 2>/dev/null || echo trustlint) for $target in $dir"
