#!/usr/bin/env bash
# Installs the load generator's dependencies (aiohttp, uvloop) into .venv-bench.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=${1:-$root/.venv-bench}
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import aiohttp, uvloop' 2>/dev/null || "$venv/bin/pip" install --quiet aiohttp uvloop
echo "load generator ready in $venv"
