#!/usr/bin/env bash
# The API contract, checked from outside: schemathesis (pinned) against a live `shuttle serve`
# with a prepared talks, every check, its stateful phase included. Exits non-zero on any finding.
#
#   scripts/api-contract.sh [path/to/shuttle]      (default: .build/debug/shuttle)
#
# Two runs, one per kind of caller: the operator's routes with an operator's token, the talks'
# routes with the mediator's (a delegate's routes answer 403 to it, as documented).
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/debug/shuttle}
python3 -m venv .venv-contract >/dev/null
.venv-contract/bin/pip install -q schemathesis==4.32.5
st=.venv-contract/bin/schemathesis

work=$(mktemp -d)
database=$work/contract.sqlite
operator=$("$binary" operator add contract --database "$database" | tail -1)
port=${CONTRACT_PORT:-18311}
base=http://127.0.0.1:$port
"$binary" serve --database "$database" --port "$port" > "$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
.venv-contract/bin/python - "$base" <<'PY'
import sys, time, urllib.request
for _ in range(200):
    try:
        urllib.request.urlopen(sys.argv[1] + "/health", timeout=1)
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("the server did not start")
PY

# A talks with something for every path parameter to name.
.venv-contract/bin/python scripts/prepare_contract_talks.py "$base" "$operator" > "$work/prepared.env"
# shellcheck disable=SC1091
source "$work/prepared.env"
cat > "$work/talks.toml" <<TOML
[parameters]
"id" = "$TALKS"
"member" = "$MEMBER"
"proposal" = "P1"
"clause" = "C1"
"round" = "R1"
TOML
printf '[parameters]\n"id" = "%s"\n' "$OPERATOR_TALKS" > "$work/operator.toml"
# Both runs: a refusal by a rule of the talks (409) is a refusal too, and the API reads UTF-8
# JSON, which cannot carry a lone UTF-16 surrogate (README, "The API contract").
for config in talks.toml operator.toml; do
  printf '[checks.negative_data_rejection]\nexpected-statuses = ["400", "401", "403", "404", "409", "413", "422"]\n' >> "$work/$config"
done

status=0
run() {
  local config=$1
  shift
  "$st" --config-file "$work/$config" run "$base/openapi.json" --checks all --seed "${CONTRACT_SEED:-20261201}" \
    --max-examples "${CONTRACT_EXAMPLES:-25}" --request-timeout 10 --generation-codec utf-8 "$@" || status=1
}
run operator.toml -H "Authorization: Bearer $operator" --include-path-regex '^/(talks|health|metrics|operator.*)$'
run talks.toml -H "Authorization: Bearer $MEDIATOR" --include-path-regex '^/talks/\{id\}/' --exclude-path '/talks/{id}/stream'
exit $status
