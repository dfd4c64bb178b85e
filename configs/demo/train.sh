#!/bin/sh
# gantry demo: a toy "training" run. Prints one loss line per step and, when it succeeds, writes
# <out>/summary.json saying {"ok": true, ...} — the file gantry judges a sweep row by.
# Overrides (comma separated): lr=<rate> steps=<n> step_secs=<s> fail=1 (exit 3 without a summary).
set -eu
run_id='' config='' seed=0 overrides='' out=''
while [ $# -gt 1 ]; do
  case $1 in
  --run-id) run_id=$2 ;;
  --config) config=$2 ;;
  --seed) seed=$2 ;;
  --overrides) overrides=$2 ;;
  --out) out=$2 ;;
  esac
  shift 2
done
opt() { printf '%s\n' "$overrides" | tr ',' '\n' | sed -n "s/^$1=//p" | tail -n 1; }
lr=$(opt lr); lr=${lr:-0.01}
steps=$(opt steps); steps=${steps:-5}
step_secs=$(opt step_secs); step_secs=${step_secs:-0.2}
echo "train: run=$run_id config=$config seed=$seed lr=$lr steps=$steps"
i=1 loss=0
while [ "$i" -le "$steps" ]; do
  loss=$(awk -v i="$i" -v lr="$lr" -v s="${seed:-0}" 'BEGIN { printf "%.4f", 2.5 / (1 + i * lr * 10) + s * 0.001 }')
  echo "step $i/$steps loss=$loss"
  sleep "$step_secs"
  i=$((i + 1))
done
if [ "$(opt fail)" = 1 ]; then
  echo "train: failing on purpose (fail=1)" >&2
  exit 3
fi
mkdir -p "$out"
printf '{"ok": true, "run_id": "%s", "final_loss": %s, "steps": %s}\n' "$run_id" "$loss" "$steps" >"$out/summary.json"
echo "train: done, final loss $loss"
