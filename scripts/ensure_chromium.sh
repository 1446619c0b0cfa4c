#!/usr/bin/env bash
# Debian's Chromium for the browser tests (driven by Playwright through its
# executable path; Playwright never downloads a browser here).
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$browser" ]; then exit 0; fi
echo "==> installing Debian's chromium package for the browser tests"
if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "error: $browser is missing and this user cannot install packages; run: apt-get install chromium" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y --no-install-recommends chromium >/dev/null || {
  $sudo apt-get update -qq && $sudo apt-get install -y --no-install-recommends chromium >/dev/null
}
test -x "$browser"
