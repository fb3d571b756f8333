#!/usr/bin/env bash
# Installs what building and testing Melt 8 Kitchen needs on Debian 12, idempotently:
# packages already present are not touched, so a second run takes a second.
# Sourced by ./run and ./test; can be run on its own.
set -euo pipefail

# Debian packages. Grows as the project grows (browser tests, PostgreSQL, desktop libraries).
APT_PACKAGES=(build-essential pkg-config ca-certificates curl postgresql)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup: need root to run: $*" >&2; return 1; fi
}

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
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
if [ "${rust_minor:-0}" -lt 88 ]; then
  echo "setup: $(rustc --version) is too old; Melt 8 Kitchen needs Rust 1.88 or newer (rustup update)." >&2
  exit 1
fi

# One build cache for every checkout on this machine: a fresh clone builds incrementally.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/melt8-kitchen/target}"
mkdir -p "$CARGO_TARGET_DIR"
