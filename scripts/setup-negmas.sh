#!/usr/bin/env bash
# Installs NegMAS 0.16.0 (the peer Shuttle is compared with) into a virtual environment.
# Usage: scripts/setup-negmas.sh [VENV]   (default: .venv-negmas beside this repository's root)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=${1:-$root/.venv-negmas}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import negmas, sys; sys.exit(0 if negmas.__version__ == "0.16.0" else 1)' 2>/dev/null; then
  "$venv/bin/pip" install --quiet "negmas==0.16.0"
fi
"$venv/bin/python" -c 'import negmas; print("negmas", negmas.__version__, "in", __import__("sys").prefix)'
