#!/bin/sh
# Prepares this run's input. The run's working copy is shared by its steps, so train.sh finds it.
set -eu
echo "prep: run $GRIDRUN_RUN_INDEX of job $GRIDRUN_JOB_ID, lr=$GRIDRUN_PARAM_LR, MODE=$MODE"
seq 1 100 > input.txt
echo "prep: wrote $(wc -l < input.txt) rows"
