#!/usr/bin/env bash
# Alternates `talks-load` over several builds of shuttle, round after round, so that a noisy,
# shared machine weighs on each the same: compare the pairs' ratios and medians, not one run.
#
#   Benchmarks/talks-load-pairs.sh ROUNDS TALKS MESSAGES name=path/to/shuttle [name=path ...] > results.txt
#
# Each round runs every build once, in the order given; `floor` as a name runs talks-floor.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=$1 talks=$2 messages=$3
shift 3
swift build -c release --package-path Benchmarks/TalksLoad >&2
load=Benchmarks/TalksLoad/.build/release/talks-load
for round in $(seq 1 "$rounds"); do
  for build in "$@"; do
    name=${build%%=*} binary=${build#*=}
    echo "== $name (round $round)"
    if [ "$name" = floor ]; then
      SHUTTLE_LOAD_FLOOR=1 "$load" "$talks" "$messages"
    else
      SHUTTLE="$binary" "$load" "$talks" "$messages"
    fi
  done
done
