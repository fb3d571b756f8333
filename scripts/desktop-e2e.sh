#!/usr/bin/env bash
# The desktop app end to end: launches the real app (the debug build) under Xvfb, on a
# private session D-Bus with a notification service (dunst) whose incoming notifications
# are recorded by dbus-monitor, and drives its window through tauri-driver and
# WebKitWebDriver (src-tauri/e2e/desktop.e2e.mjs says what is checked).
#
#   scripts/desktop-e2e.sh [path/to/melt8-kitchen]
#
# Needs: Xvfb, dbus-run-session, dunst, WebKitWebDriver (scripts/setup.sh installs them)
# and tauri-driver (scripts/setup.sh builds it into ~/.cache/melt8-kitchen/tools).
set -euo pipefail
cd "$(dirname "$0")/.."

bin="${1:-${CARGO_TARGET_DIR:-target}/debug/melt8-kitchen}"
[ -x "$bin" ] || { echo "desktop-e2e: no app at $bin: build it first (cargo build -p melt8-kitchen)" >&2; exit 1; }
driver="${TAURI_DRIVER:-$(command -v tauri-driver || echo "$HOME/.cache/melt8-kitchen/tools/bin/tauri-driver")}"
[ -x "$driver" ] || { echo "desktop-e2e: tauri-driver not found: run scripts/setup.sh" >&2; exit 1; }
for tool in Xvfb xvfb-run dbus-run-session dbus-monitor dunst WebKitWebDriver; do
  command -v "$tool" >/dev/null || { echo "desktop-e2e: $tool is missing: run scripts/setup.sh" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

export MELT8_DESKTOP_BIN="$(realpath "$bin")"
export MELT8_DATA_DIR="$work/data"
# Autostart entries and other per-user files go to the test's folders, not the user's.
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/share" XDG_CACHE_HOME="$work/cache"
export KITCHEN_PORT="$(free_port)" PUBLIC_PORT="$(free_port)"
export CHEF_PASSWORD="desktop-e2e-$(date +%s%N)"
# A shop already set up (the wizard has its own browser test), with no tunnel or accounts.
export SKIP_SETUP_WIZARD=true
unset NGROK_AUTHTOKEN NGROK_DOMAIN OPENAI_API_KEY TWILIO_AUTH_TOKEN TWILIO_ACCOUNT_SID TWILIO_PHONE_NUMBER PUBLIC_BASE_URL
export NOTIFY_LOG="$work/notifications.log"
export E2E_ARTIFACTS="$PWD/src-tauri/e2e/artifacts"
driver_port="$(free_port)" native_port="$(free_port)"
export WEBDRIVER_URL="http://127.0.0.1:$driver_port"
export TAURI_DRIVER="$driver" DRIVER_PORT="$driver_port" NATIVE_PORT="$native_port"
mkdir -p "$MELT8_DATA_DIR" "$XDG_CONFIG_HOME"

# Inside the display and the bus: the notification service, its recorder, the driver, then
# the test. Whatever started here is stopped on the way out (tauri-driver outlives the
# session otherwise).
inner='
set -euo pipefail
trap "kill \$(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true" EXIT
dbus-monitor --session "type=method_call,interface=org.freedesktop.Notifications,member=Notify" >"$NOTIFY_LOG" 2>&1 &
dunst >/dev/null 2>&1 &
"$TAURI_DRIVER" --port "$DRIVER_PORT" --native-port "$NATIVE_PORT" >"$NOTIFY_LOG.driver" 2>&1 &
for _ in $(seq 100); do curl -fsS "$WEBDRIVER_URL/status" >/dev/null 2>&1 && break; sleep 0.1; done
status=0
node src-tauri/e2e/desktop.e2e.mjs || status=$?
if [ "$status" -ne 0 ]; then echo "--- tauri-driver and app output:"; tail -n 60 "$NOTIFY_LOG.driver"; fi
exit "$status"
'
xvfb-run -a -s "-screen 0 1366x900x24" dbus-run-session -- bash -c "$inner"
