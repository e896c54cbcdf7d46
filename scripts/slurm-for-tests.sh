#!/usr/bin/env bash
# A one-node Slurm cluster for the tests, from Debian's slurm-wlm and munge (STACK.md's recipe),
# with every file under one folder: /etc is left alone, the commands find it by SLURM_CONF.
#
#   eval "$(scripts/slurm-for-tests.sh start)"   # exports SHUTTLE_TEST_SLURM (the folder) and SLURM_CONF
#   scripts/slurm-for-tests.sh stop "$SHUTTLE_TEST_SLURM"   # stops the daemons by their own pids
set -euo pipefail
case "${1:-}" in
start)
  if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    apt-get update -q >&2 && apt-get install -y -q slurm-wlm munge >&2
  fi
  dir=$(mktemp -d)
  chmod 755 "$dir"
  mkdir -p "$dir"/{state,spool,log} "$dir/munge" "$dir/munge-run"
  host=$(hostname -s)
  # munged runs as its own user and insists that its key is its alone, and that everyone can
  # reach (but not write) its socket's folder.
  dd if=/dev/urandom bs=1 count=1024 of="$dir/munge/munge.key" status=none
  chmod 400 "$dir/munge/munge.key"
  chown -R munge:munge "$dir/munge" "$dir/munge-run"
  chmod 700 "$dir/munge"
  chmod 755 "$dir/munge-run"
  su -s /bin/sh munge -c "/usr/sbin/munged --socket=$dir/munge-run/socket --key-file=$dir/munge/munge.key \
    --pid-file=$dir/munge-run/munged.pid --log-file=$dir/munge/munged.log --seed-file=$dir/munge/munged.seed" >&2
  # cred_expire: a requeued job waits this long before it may run again (120 s by default).
  cat >"$dir/slurm.conf" <<CONF
ClusterName=shuttle-tests
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge-run/socket,cred_expire=5
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
NodeName=$host CPUs=$(nproc) RealMemory=4000 State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF=$dir/slurm.conf
  /usr/sbin/slurmctld >&2
  /usr/sbin/slurmd >&2
  # Ready when the node is idle.
  for _ in $(seq 100); do
    if sinfo -h -o %t 2>/dev/null | grep -q idle; then break; fi
    sleep 0.2
  done
  sinfo -h -o %t | grep -q idle || { echo "slurm did not come up; see $dir/log" >&2; exit 1; }
  echo "export SHUTTLE_TEST_SLURM=$dir"
  echo "export SLURM_CONF=$dir/slurm.conf"
  ;;
stop)
  dir=${2:?the folder that start printed}
  for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge-run/munged.pid"; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  ;;
*)
  echo "usage: $0 start | stop DIR" >&2
  exit 64
  ;;
esac
