#!/usr/bin/env bash
# Builds the chef dashboard into ui/dist, which the `melt8` binary embeds, unless ui/dist is
# newer than every source of it (`--force` builds anyway). The same check and the same lock
# as crates/kitchen-http/build.rs: builds from here and from cargo never overlap, and an
# unchanged UI is not rebuilt (a rebuild, even to identical files, makes cargo recompile the
# server). Needs `npm ci` done (scripts/setup.sh does it).
set -euo pipefail
cd "$(dirname "$0")/../ui"
sources=(src public index.html package.json package-lock.json vite.config.ts svelte.config.js tsconfig.json)

stale() {
  [ -f dist/index.html ] || return 0
  local s
  for s in "${sources[@]}"; do
    if [ -e "$s" ] && [ -n "$(find "$s" -newer dist/index.html -print -quit)" ]; then return 0; fi
  done
  return 1
}

exec 9>.melt8-build.lock
flock 9
if [ "${1:-}" = --force ] || stale; then
  npm run build --silent
else
  echo "ui/dist is up to date"
fi
