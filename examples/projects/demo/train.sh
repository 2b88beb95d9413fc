#!/bin/sh
# "Trains" on the rows prep.sh wrote; reports a loss computed from the parameters as a metric,
# and keeps a result line in the shared /data directory, which outlives the run.
set -eu
rows=$(wc -l < input.txt)
loss=$(awk -v lr="$GRIDRUN_PARAM_LR" -v e="$GRIDRUN_PARAM_EPOCHS" \
  'BEGIN { d = lr - 0.05; printf "%.4f", d * d * 100 + 1 / e }')
echo "train: $rows rows, lr=$GRIDRUN_PARAM_LR, epochs=$GRIDRUN_PARAM_EPOCHS, loss=$loss"
echo "params: $(cat "$GRIDRUN_PARAMS_FILE")"
printf '{"loss": %s, "rows": %s}\n' "$loss" "$rows" > "$GRIDRUN_METRICS_FILE"
mkdir -p "$GRIDRUN_DATA/lr-sweep"
echo "$GRIDRUN_RUN_ID lr=$GRIDRUN_PARAM_LR epochs=$GRIDRUN_PARAM_EPOCHS loss=$loss" \
  > "$GRIDRUN_DATA/lr-sweep/$GRIDRUN_RUN_INDEX.txt"
