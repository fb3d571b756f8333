#!/usr/bin/env bash
# Installs what building and testing Melt 8 Kitchen needs on Debian 12, idempotently:
# packages already present are not touched, so a second run takes a second.
# Sourced by ./run and ./test; can be run on its own.
set -euo pipefail

# Debian packages: the build tools, PostgreSQL (sync tests), the desktop app's libraries
# (Tauri 2 on WebKitGTK 4.1, tray, sound, notifications), and what its window test needs
# (a virtual display, a session D-Bus, a notification service, WebKit's WebDriver), plus
# python3-yaml to check the release workflow.
APT_PACKAGES=(build-essential pkg-config ca-certificates curl file postgresql
  libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev
  libasound2-dev libdbus-1-dev libssl-dev libxdo-dev
  xvfb xauth dbus-x11 at-spi2-core dunst webkit2gtk-driver python3-yaml)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup: need root to run: $*" >&2; return 1; fi
}

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The dashboard (ui/) is built with Node.js and npm; its end-to-end tests drive Debian's
# Chromium. These go by command, not package: a Node.js from elsewhere (20 with npm 11 on our
# machines) is kept, and Debian's (18) is installed only where there is no `node` at all.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v chromium >/dev/null || missing+=(chromium fonts-liberation)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Rust: edition 2024 needs Rust 1.85 or newer. Debian 12's own cargo is too old, so a
# missing or old toolchain is reported rather than replaced behind the owner's back.
if ! command -v cargo >/dev/null; then
  [ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! command -v cargo >/dev/null; then
  echo "setup: Rust is not installed. Install it with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi
rust_minor=$(rustc --version | sed -E 's/^rustc 1\.([0-9]+).*/\1/')
if [ "${rust_minor:-0}" -lt 90 ]; then
  echo "setup: $(rustc --version) is too old; Melt 8 Kitchen needs Rust 1.90 or newer (Tauri 2.12) (rustup update)." >&2
  exit 1
fi

# Node.js: Vite 8 needs 20.19+ or 22.12+.
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number);
  process.exit((a === 20 && b >= 19) || (a === 22 && b >= 12) || a >= 23 ? 0 : 1)'; then
  echo "setup: Node.js $(node --version) is too old to build the dashboard: install Node.js 20.19+ (or 22.12+) and npm, then run this again." >&2
  exit 1
fi
# The dashboard's npm packages, exactly as package-lock.json says, when they are missing or
# the lock file changed. The lock file keeps this and the UI builds of cargo apart.
melt8_ui="$(cd "$(dirname "${BASH_SOURCE[0]}")/../ui" && pwd)"
if [ ! -f "$melt8_ui/node_modules/.package-lock.json" ] ||
   [ "$melt8_ui/package-lock.json" -nt "$melt8_ui/node_modules/.package-lock.json" ]; then
  echo "setup: installing the dashboard's npm packages (npm ci in ui/)"
  (cd "$melt8_ui" && flock .melt8-build.lock npm ci --no-audit --no-fund --loglevel=error)
fi
unset melt8_ui

# One build cache for every checkout on this machine: a fresh clone builds incrementally.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/melt8-kitchen/target}"
mkdir -p "$CARGO_TARGET_DIR"

# tauri-driver (the WebDriver bridge for the desktop window test), built once from
# crates.io into the same cache.
melt8_tools="$HOME/.cache/melt8-kitchen/tools"
if [ ! -x "$melt8_tools/bin/tauri-driver" ]; then
  echo "setup: building tauri-driver (once) into $melt8_tools"
  cargo install --quiet --locked tauri-driver --version 2.0.6 --root "$melt8_tools" \
    --target-dir "$CARGO_TARGET_DIR/tools"
fi
export TAURI_DRIVER="$melt8_tools/bin/tauri-driver"
# The Tauri CLI (builds the .deb), from npm into the same folder: kept out of ui/'s
# package-lock.json, whose `npm ci` would want every platform's prebuilt CLI recorded.
if [ ! -x "$melt8_tools/tauri-cli/node_modules/.bin/tauri" ]; then
  echo "setup: installing the Tauri CLI (once) into $melt8_tools/tauri-cli"
  npm install --prefix "$melt8_tools/tauri-cli" --no-audit --no-fund --loglevel=error \
    @tauri-apps/cli@2.12.5
fi
export TAURI_CLI="$melt8_tools/tauri-cli/node_modules/.bin/tauri"
unset melt8_tools
