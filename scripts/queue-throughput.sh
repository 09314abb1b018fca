#!/usr/bin/env bash
# The queue sweep of one dataset timed with 1, 2, … N local workers, each time on a fresh runs folder
# and an empty queue (a Redis server of its own on PORT): wall time to the figure data, and from the
# first run's start to the last run's end, with the ratio to one worker.
#
#   scripts/queue-throughput.sh [PROFILE=quick] [DATASET=mnist] [N=3] [PORT=6399]
#
# Needs redis-server, a built project (make build) and the dataset (SI_DATA_DIR). Nothing else should
# run on the machine meanwhile: the workers take one core each.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-quick} dataset=${2:-mnist} workers=${3:-3} port=${4:-6399}
url="redis://127.0.0.1:$port"
work=$(mktemp -d)
trap 'redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
redis-server --port "$port" --bind 127.0.0.1 --dir "$work" --save '' --appendonly no --daemonize yes >/dev/null
until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.2; done
export OPENBLAS_NUM_THREADS=1 SI_FIGURE_DATA_DIR="$work/figures"
for k in $(seq "$workers"); do
  redis-cli -p "$port" flushall >/dev/null
  rm -rf "$work/runs"
  start=$(date +%s.%N)
  node dist/cli/main.js sweep --profile "$profile" --datasets "$dataset" --queue "$url" >/dev/null
  pids=()
  for _ in $(seq "$k"); do
    node dist/cli/main.js worker --queue "$url" --runs-dir "$work/runs" >"$work/worker.log" 2>&1 &
    pids+=($!)
  done
  until [ -n "$(redis-cli -p "$port" hget "bull:si-sweep:$profile/$dataset/figures" finishedOn)" ]; do sleep 1; done
  end=$(date +%s.%N)
  kill -TERM "${pids[@]}"
  wait "${pids[@]}" 2>/dev/null || true
  K="$k" node -e "
    const { Queue } = require('bullmq');
    (async () => {
      const q = new Queue('si-sweep', { connection: { url: '$url' } });
      const runs = (await q.getJobs(['completed'])).filter((j) => j.data.kind !== 'figures');
      const span = (Math.max(...runs.map((j) => j.finishedOn)) - Math.min(...runs.map((j) => j.processedOn))) / 1000;
      const wall = $end - $start;
      process.env.K === '1' && require('fs').writeFileSync('$work/one', String(wall));
      const one = Number(require('fs').readFileSync('$work/one', 'utf8'));
      console.log(\`\${process.env.K} worker(s): \${runs.length} runs, wall \${wall.toFixed(1)} s (\${(one / wall).toFixed(2)}x), first run to last \${span.toFixed(1)} s\`);
      await q.close();
    })();"
done
