#!/usr/bin/env bash
# Runs a command with a time limit, for CI: a hung run fails in minutes, not at CI's own limit,
# and says where it hung. Past the limit it prints the command's processes and every thread's
# stack in them (gdb, where installed), then stops the command and everything under it.
#
#   scripts/with-time-limit.sh SECONDS COMMAND [ARGUMENTS...]
#
# Exits with the command's status, or 124 when the limit was reached.
set -uo pipefail
limit=${1:?seconds}
shift
# The command and every process under it, whatever process group each was given (Foundation's
# Process gives each child a group of its own).
tree() {
  local process=$1 child
  echo "$process"
  for child in $(pgrep -P "$process"); do tree "$child"; done
}
"$@" &
pid=$!
# The watch: it ends with 0 once the command has ended, with 1 once it had to stop it. It looks
# once a second, so that it ends with the command and leaves nothing behind.
(
  for ((second = 0; second < limit; second++)); do
    kill -0 "$pid" 2>/dev/null || exit 0
    sleep 1
  done
  echo "with-time-limit: '$*' still running after $limit s; its processes:" >&2
  processes=$(tree "$pid")
  ps -o pid,ppid,etime,args -p "$(echo $processes | tr ' ' ',')" >&2
  if command -v gdb >/dev/null; then
    for process in $processes; do
      echo "with-time-limit: threads of $process ($(tr '\0' ' ' </proc/"$process"/cmdline 2>/dev/null | cut -c1-120)):" >&2
      timeout 60 gdb -p "$process" -batch -ex "thread apply all bt 12" 2>/dev/null | grep -E '^(Thread|#)' | head -400 >&2
    done
  fi
  kill -TERM $processes 2>/dev/null
  sleep 10
  kill -KILL $(tree "$pid") $processes 2>/dev/null
  exit 1
) &
watch=$!
wait "$pid"
status=$?
if ! wait "$watch"; then exit 124; fi
exit "$status"
