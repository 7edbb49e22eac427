#!/usr/bin/env bash
# Tests deploy/slurm/reproduce.sbatch on a real Slurm cluster: one node, made here for the test
# (cluster.sh) and gone after it. Needs root and apt (for Debian's slurm-wlm and munge, when
# missing). The experiment is tiny.jsonc in three shards, reproduced four times side by side:
#
#   plain    submitted and left alone;
#   requeue  shard 2 requeued with `scontrol requeue` while it runs (as preemption does);
#   cancel   shard 3 cancelled with `scancel` while it runs, then at once the recipe's `retry`;
#   late     shard 1 cancelled while it runs; `retry` once Slurm has cancelled the merge job.
#
# Each must end with its merge job done and the merged results equal, CSV for CSV (timing
# columns aside), to one plain local run, with the interrupted run resumed from a checkpoint.
# Prints one line per check, then "N passed, N failed"; exits 1 when a check failed.
set -uo pipefail
cd "$(dirname "$0")/../../.."
source deploy/slurm/test/cluster.sh

RECIPE=deploy/slurm/reproduce.sbatch
export EXPERIMENT=deploy/slurm/test/tiny.jsonc SHARDS=3
ROOT=results/slurm-test
NAME=slurm-test
passed=0
failed=0

# check NAME COMMAND…: runs COMMAND and counts it as a passed or failed check.
check() {
  local name=$1
  shift
  if "$@"; then
    echo "ok: $name"
    passed=$((passed + 1))
  else
    echo "FAILED: $name"
    failed=$((failed + 1))
  fi
}

finish() {
  echo "${passed} passed, ${failed} failed"
  [ "$failed" -eq 0 ]
  exit
}

# submitted SCENARIO VARIABLE: a job id the recipe noted in the scenario's submission.
submitted() {
  (source "$ROOT/$1/submission" && echo "${!2}")
}

job_state() {
  scontrol show job -o "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p'
}

job_in_state() {
  [ "$(job_state "$1")" = "$2" ]
}

# queue_empty: squeue answers with no job on three polls in a row (a failed squeue, or a requeued
# task between its two attempts, must not pass for an empty queue).
queue_empty() {
  local poll out
  for poll in 1 2 3; do
    out=$(squeue -h -o %A) || return 1
    [ -z "$out" ] || return 1
    [ "$poll" -eq 3 ] || sleep 1
  done
}

# resumed SCENARIO SHARD RUN: the run finished, having resumed from a checkpoint after an
# iteration (not started again from scratch).
resumed() {
  local run="$ROOT/$1/shard-$2/$NAME/$3"
  grep -q '"status": "done"' "$run/manifest.json" &&
    grep -q 'resumed at iteration [1-9]' "$run/log.txt"
}

# stopped_cleanly SCENARIO SHARD: an attempt of the shard stopped its runs on the scheduler's
# signal and said how to continue (rather than being killed outright).
stopped_cleanly() {
  grep -lx 'interrupted; continue with:' "$ROOT/$1/logs/shard-$2".job-*.attempt-*.log | grep -q .
}

# attempts SCENARIO SHARD: how many attempt logs the shard's tasks wrote.
attempts() {
  find "$ROOT/$1/logs" -name "shard-$2.job-*.attempt-*.log" | wc -l
}

same_results() {
  deno run --frozen --cached-only --allow-read deploy/slurm/test/same_results.ts "$@"
}

compare_local() {
  deno task compare "$ROOT/local" >>"$ROOT/local.log" 2>&1
}

merged_like_local() {
  job_in_state "$(submitted "$1" MERGE_JOB)" COMPLETED && same_results "$ROOT/$1/merged" "$ROOT/local"
}

# stop_mid_run SCENARIO SHARD RUN COMMAND…: once the run has a checkpoint, runs COMMAND.
stop_mid_run() {
  local scenario=$1 shard=$2 run=$3
  shift 3
  cluster_wait 180 test -f "$ROOT/$scenario/shard-$shard/$NAME/$run/checkpoint.json" &&
    ! grep -q '"status": "done"' "$ROOT/$scenario/shard-$shard/$NAME/$run/manifest.json" &&
    "$@"
}

started=$SECONDS
if ! cluster_install; then
  echo "FAILED: installing slurm-wlm and munge"
  failed=1
  finish
fi
dir=$(mktemp -d /tmp/rl2lab-slurm.XXXXXX)
trap 'cluster_stop "$dir" >/dev/null; rm -rf "$dir"' EXIT
rm -rf "$ROOT"
mkdir -p "$ROOT"
check "the cluster starts (slurmctld, slurmd, munged)" cluster_start "$dir"
[ "$failed" -eq 0 ] || finish

deno task run "$EXPERIMENT" --out "$ROOT/local" >"$ROOT/local.log" 2>&1 &
local_run=$!
for scenario in plain requeue cancel late; do
  OUT="$ROOT/$scenario" bash "$RECIPE"
done

# The three interruptions wait side by side, each made as soon as its own run has a checkpoint
# (one after the other, a wait for a run that checkpoints late let another scenario's run end).
requeue_array=$(submitted requeue ARRAY_JOB)
cancel_array=$(submitted cancel ARRAY_JOB)
first_merge=$(submitted cancel MERGE_JOB)
late_array=$(submitted late ARRAY_JOB)
late_merge=$(submitted late MERGE_JOB)
stop_mid_run requeue 2 rl2/seed-1 scontrol requeue "${requeue_array}_2" &
requeued=$!
stop_mid_run cancel 3 rl2/seed-2 scancel "${cancel_array}_3" &
cancelled=$!
stop_mid_run late 1 rl2/seed-0 scancel "${late_array}_1" &
cancelled_late=$!
check "requeue: shard 2 is requeued while its RL² run is under way" wait "$requeued"
check "cancel: shard 3 is cancelled while its RL² run is under way" wait "$cancelled"
check "late: shard 1 is cancelled while its RL² run is under way" wait "$cancelled_late"

# Slurm holds a requeued job back for two minutes; the test lets it start at once.
cluster_wait 180 job_in_state "${requeue_array}_2" PENDING &&
  scontrol update JobId="${requeue_array}_2" StartTime=now

retried=$(OUT="$ROOT/cancel" bash "$RECIPE" retry)
echo "$retried"
check "cancel: the retried array starts after what is left of the first" \
  grep -q "after what is left of job $cancel_array)" <<<"$retried"

check "late: Slurm cancels the merge job once the array has ended" \
  cluster_wait 180 job_in_state "$late_merge" CANCELLED
OUT="$ROOT/late" bash "$RECIPE" retry

check "the local run ends" wait "$local_run"
check "the local run compares" compare_local
check "every job ends" cluster_wait 180 queue_empty

check "plain: merged and checked, the same results as the local run" merged_like_local plain
check "plain: one attempt per shard, logs under results/" \
  test "$(attempts plain 1)$(attempts plain 2)$(attempts plain 3)" = 111

check "requeue: the same merge job waited for the requeued task, same results" \
  merged_like_local requeue
check "requeue: shard 2 ran twice, each attempt with its own log" test "$(attempts requeue 2)" = 2
check "requeue: the first attempt stopped cleanly on SIGTERM" stopped_cleanly requeue 2
check "requeue: the interrupted run resumed from its checkpoint" resumed requeue 2 rl2/seed-1

check "cancel: the first merge job never ran" \
  test ! -e "$ROOT/cancel/logs/merge.job-$first_merge.slurm.out"
check "cancel: after retry, merged and checked, the same results" merged_like_local cancel
check "cancel: shard 3 ran once per submission, each with its own log" \
  test "$(attempts cancel 3)" = 2
check "cancel: the cancelled attempt stopped cleanly on SIGTERM" stopped_cleanly cancel 3
check "cancel: the interrupted run resumed from its checkpoint" resumed cancel 3 rl2/seed-2

check "late: after retry, merged and checked, the same results" merged_like_local late
check "late: the cancelled attempt stopped cleanly on SIGTERM" stopped_cleanly late 1
check "late: the interrupted run resumed from its checkpoint" resumed late 1 rl2/seed-0

check "nothing of the cluster is left running" cluster_stop "$dir"
seconds=$((SECONDS - started))
check "the test took ${seconds} s (limit 300 s)" test "$seconds" -le 300
finish
