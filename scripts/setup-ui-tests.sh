#!/usr/bin/env bash
# Installs what the browser tests need: Debian's chromium and chromium-driver, and from PyPI into
# .venv-ui selenium, axe-selenium-python (axe-core's accessibility rules) and pypdf (to read the
# printed minutes). Run as root (CI is). Idempotent.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  apt-get update -q
  apt-get install -y -q chromium chromium-driver
fi
venv=${1:-$root/.venv-ui}
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import selenium, axe_selenium_python, pypdf' 2>/dev/null \
  || "$venv/bin/pip" install --quiet selenium axe-selenium-python pypdf
echo "browser tests ready: $(chromium --version 2>/dev/null | head -1), selenium in $venv"
