#!/usr/bin/env bash
# Checks what the owner installs: the Linux .deb holds the app, its menu entry and its
# icons, and depends on the libraries it needs; the release workflow is valid YAML that
# builds the Windows (msi, nsis), macOS (dmg) and Linux (deb) installers with the official
# Tauri action; tauri.conf.json names the same installers.
#
#   scripts/check-desktop-package.sh path/to/melt8-kitchen.deb
set -euo pipefail
cd "$(dirname "$0")/.."
deb="${1:?usage: scripts/check-desktop-package.sh path/to/app.deb}"
fail() { echo "check-desktop-package: $*" >&2; exit 1; }
[ -f "$deb" ] || fail "no .deb at $deb"

# Paths only (after permissions, owner, size, date, time), without any leading "./".
contents="$(dpkg-deb --contents "$deb" | sed -E 's/^([^ ]+ +){5}//; s|^\./||')"
expect() { grep -qx "$1" <<<"$contents" || fail "the .deb lacks $1; it has:
$contents"; }
expect "usr/bin/melt8-kitchen"
expect "usr/share/applications/Melt 8 Kitchen.desktop"
for size in 32x32 128x128 256x256@2; do
  expect "usr/share/icons/hicolor/$size/apps/melt8-kitchen.png"
done

info="$(dpkg-deb --field "$deb" Package Version Architecture Depends)"
grep -q "^Package: melt-8-kitchen$" <<<"$info" || fail "unexpected package name: $info"
for lib in libwebkit2gtk-4.1-0 libgtk-3-0 libayatana-appindicator3-1 libasound2; do
  grep -q "$lib" <<<"$info" || fail "the .deb does not depend on $lib: $info"
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dpkg-deb --extract "$deb" "$work"
desktop="$work/usr/share/applications/Melt 8 Kitchen.desktop"
grep -qx "Exec=melt8-kitchen" "$desktop" || fail "the menu entry does not start melt8-kitchen: $(cat "$desktop")"
grep -qx "Icon=melt8-kitchen" "$desktop" || fail "the menu entry has no icon: $(cat "$desktop")"
file "$work/usr/bin/melt8-kitchen" | grep -q "ELF 64-bit" || fail "usr/bin/melt8-kitchen is not a program"
# The dashboard is inside the binary (the .deb ships no ui/ folder).
grep -q "chef-dashboard" "$work/usr/bin/melt8-kitchen" || fail "the dashboard is not embedded in the binary"

python3 - <<'EOF'
import json, sys, yaml

def fail(msg):
    sys.exit(f"check-desktop-package: {msg}")

with open(".github/workflows/release.yml") as f:
    wf = yaml.safe_load(f)
jobs = wf.get("jobs") or fail("release.yml has no jobs")
bundles, oses, action = set(), set(), False
for job in jobs.values():
    for entry in job.get("strategy", {}).get("matrix", {}).get("include", []):
        bundles.update(b.strip() for b in str(entry.get("bundles", "")).split(","))
        oses.add(entry.get("platform", "").split("-")[0])
    for st in job.get("steps", []):
        if str(st.get("uses", "")).startswith("tauri-apps/tauri-action@"):
            action = True
            if "matrix.bundles" not in str(st.get("with", {}).get("args", "")):
                fail("the Tauri action is not given the matrix's --bundles")
missing = {"msi", "nsis", "dmg", "deb"} - bundles
if missing:
    fail(f"release.yml does not build {sorted(missing)}")
if not {"windows", "macos", "ubuntu"} <= oses:
    fail(f"release.yml runs on {sorted(oses)}, not Windows, macOS and Linux")
if not action:
    fail("release.yml does not use the official tauri-apps/tauri-action")

with open("tauri.conf.json") as f:
    conf = json.load(f)
targets = set(conf["bundle"]["targets"])
if not {"msi", "nsis", "dmg", "deb"} <= targets:
    fail(f"tauri.conf.json bundles {sorted(targets)}")
print(f"release.yml: {sorted(bundles)} on {sorted(oses)} with tauri-apps/tauri-action")
EOF
echo "$(basename "$deb"): $(du -h "$deb" | cut -f1), binary, menu entry, icons and dependencies as expected"
