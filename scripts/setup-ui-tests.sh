#!/usr/bin/env bash
# Installs what the browser tests need: Debian's chromium and chromium-driver, and selenium from
# PyPI into .venv-ui. Run as root (CI is). Idempotent.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  apt-get update -q
  apt-get install -y -q chromium chromium-driver
fi
venv=${1:-$root/.venv-ui}
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import selenium' 2>/dev/null || "$venv/bin/pip" install --quiet selenium
echo "browser tests ready: $(chromium --version 2>/dev/null | head -1), selenium in $venv"
