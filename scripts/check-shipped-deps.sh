#!/usr/bin/env bash
# Fails when a shipped binary links the test kit. For each shipped package it reads
# `cargo tree -e normal` (what a build of the package links: no dev- or build-dependencies)
# and fails, showing who pulls it in, if `kitchen-testkit` or `jsonschema` (the schema
# checker only the test kit needs) is there. `melt8 serve --demo` and `simulate-call` get
# their fakes from the small kitchen-demo crate; the test kit is a dev-dependency only.
#
#   scripts/check-shipped-deps.sh [--offline] [--manifest-path PATH/Cargo.toml] [PACKAGE...]
#
# Packages default to the shipped ones: kitchen-server (the `melt8` binary) and
# melt8-kitchen (the desktop app), in this repository's workspace. Nothing is compiled:
# cargo reads only Cargo.toml files and Cargo.lock (with --offline it never goes online).
# Only the host platform's dependencies are read. Exit 0: clean; 1: a shipped package links
# one of them; 2: usage or cargo error.
set -euo pipefail

forbidden=(kitchen-testkit jsonschema)
manifest="$(cd "$(dirname "$0")/.." && pwd)/Cargo.toml"
offline=()
packages=()
while [ $# -gt 0 ]; do
  case "$1" in
    --manifest-path) manifest="${2:?--manifest-path needs a path}"; shift 2 ;;
    --manifest-path=*) manifest="${1#*=}"; shift ;;
    --offline) offline=(--offline); shift ;;
    -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) echo "check-shipped-deps: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) packages+=("$1"); shift ;;
  esac
done
[ ${#packages[@]} -gt 0 ] || packages=(kitchen-server melt8-kitchen)
cargo="${CARGO:-cargo}"
tree() { "$cargo" tree "${offline[@]}" --manifest-path "$manifest" -e normal "$@"; }

failed=0
for package in "${packages[@]}"; do
  if ! names="$(tree -p "$package" --prefix none --format '{p}')"; then
    echo "check-shipped-deps: cargo tree failed for $package (see above)" >&2
    exit 2
  fi
  for crate in "${forbidden[@]}"; do
    if awk -v name="$crate" '$1 == name { found = 1 } END { exit !found }' <<<"$names"; then
      {
        echo "check-shipped-deps: FAILED: the shipped package $package links $crate, a test-only crate."
        echo "Who pulls it in (cargo tree -i $crate -e normal -p $package):"
        tree -p "$package" -i "$crate" || true
        echo "Make it a [dev-dependencies] entry; what the demo needs belongs in kitchen-demo."
      } >&2
      failed=1
      break # the first forbidden crate's path explains the others it brings along
    fi
  done
done
if [ "$failed" -ne 0 ]; then
  exit 1
fi
echo "check-shipped-deps: ok: none of (${forbidden[*]}) in the normal dependencies of ${packages[*]}"
