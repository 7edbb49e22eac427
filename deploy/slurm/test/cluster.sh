# A throwaway one-node Slurm cluster for testing the recipe, sourced by test.sh. Everything it
# writes (munge key and socket, slurm.conf, state, spool, logs) lives in one folder, so it
# touches no system configuration and a running system Slurm or munge is left alone:
#
#   cluster_install          installs Debian's slurm-wlm and munge when missing (root, apt)
#   cluster_start DIR        writes the configuration in DIR, starts munged, slurmctld, slurmd
#   cluster_stop DIR         cancels the jobs, stops the daemons and ends whatever else of the
#                            cluster still runs (found by its SLURM_CONF), leaving nothing
#
# cluster_start exports SLURM_CONF, which every Slurm command (and the jobs) then reads.
# Without cgroups: proctrack/linuxproc tracks a job's processes by their parent pids, and
# task/none binds nothing. RealMemory must be declared, or a job's --mem is rejected.
#
# The node declares CLUSTER_CPUS CPUs and CLUSTER_MEMORY MiB (config_overrides lets it claim
# more than the machine has), so that several jobs asking for 2 CPUs and 4 GiB each run side
# by side on a small machine, sharing its real cores.
CLUSTER_CPUS=${CLUSTER_CPUS:-24}
CLUSTER_MEMORY=${CLUSTER_MEMORY:-65536}

cluster_install() {
  local missing=()
  command -v slurmctld >/dev/null 2>&1 || missing+=(slurm-wlm)
  command -v munged >/dev/null 2>&1 || missing+=(munge)
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing ${missing[*]}"
  apt-get update -qq >/dev/null &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
}

# cluster_wait SECONDS COMMAND…: waits up to SECONDS for COMMAND to succeed.
cluster_wait() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.5
  done
}

cluster_idle() {
  sinfo -h -N -o %t | grep -qx idle
}

cluster_start() {
  local dir=$1 node
  node=$(hostname -s)
  export SLURM_CONF="$dir/slurm.conf"
  mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
  chmod 700 "$dir" "$dir/munge"
  head -c 1024 /dev/urandom >"$dir/munge/munge.key"
  chmod 400 "$dir/munge/munge.key"
  munged --force --socket="$dir/munge/socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munge/munged.pid" --seed-file="$dir/munge/seed" \
    --log-file="$dir/log/munged.log" || return 1
  cat >"$dir/slurm.conf" <<EOF
ClusterName=rl2lab-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=${SLURM_TEST_CTLD_PORT:-16817}
SlurmdPort=${SLURM_TEST_SLURMD_PORT:-16818}
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
ReturnToService=2
KillWait=10
MinJobAge=600
SlurmdParameters=config_overrides
NodeName=$node NodeAddr=127.0.0.1 CPUs=$CLUSTER_CPUS RealMemory=$CLUSTER_MEMORY State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
  slurmctld -f "$SLURM_CONF" || return 1
  slurmd -f "$SLURM_CONF" || return 1
  cluster_wait 30 cluster_idle
}

# The pids of processes started by the cluster in DIR: its daemons, its job steps and the
# jobs' processes all carry its SLURM_CONF in their environment.
cluster_processes() {
  local dir=$1 environ
  for environ in /proc/[0-9]*/environ; do
    tr '\0' '\n' <"$environ" 2>/dev/null | grep -qxF "SLURM_CONF=$dir/slurm.conf" &&
      basename "$(dirname "$environ")"
  done
}

no_cluster_processes() {
  [ -z "$(cluster_processes "$1")" ]
}

# Cancels every job, stops the daemons, then kills whatever of the cluster is left. Returns
# non-zero when something had to be killed with SIGKILL or still runs.
cluster_stop() {
  local dir=$1 pidfile status=0 left
  if [ -f "$dir/slurmctld.pid" ]; then
    squeue -h -o %A 2>/dev/null | xargs -r scancel 2>/dev/null
    cluster_wait 20 eval '[ -z "$(squeue -h -o %A 2>/dev/null)" ]'
  fi
  for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
  done
  cluster_wait 15 no_cluster_processes "$dir" && return 0
  left=$(cluster_processes "$dir")
  echo "killing what is left of the test cluster: $(echo $left)"
  kill -9 $left 2>/dev/null
  cluster_wait 5 no_cluster_processes "$dir"
  return 1
}
