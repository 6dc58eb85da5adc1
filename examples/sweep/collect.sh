#!/bin/sh
# Collect the shards of the podsim-sweep Job (job.yaml) from the logs of its
# succeeded pods, one file per completion index, and merge them.
# Usage: examples/sweep/collect.sh [SHARDS]   (default 4, the Job's completions)
set -eu
n=${1:-4}
i=0
while [ "$i" -lt "$n" ]; do
  pod=$(kubectl get pods -l "job-name=podsim-sweep,batch.kubernetes.io/job-completion-index=$i" \
    --field-selector=status.phase=Succeeded -o name)
  if [ -z "$pod" ]; then
    echo "shard $i: no succeeded pod (kubectl get pods -l job-name=podsim-sweep)" >&2
    exit 1
  fi
  kubectl logs "$pod" > "shard-$i.jsonl"
  i=$((i + 1))
done
podsim sweep merge shard-*.jsonl
