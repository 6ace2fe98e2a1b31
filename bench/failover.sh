#!/usr/bin/env bash
# Failover figures from the real control plane: the scaler (a real process) owning a pool of real sample-backend
# processes, the health monitor with its default probing (2 s, 1 s timeout, 2 failures), the gateway in front, a real
# RabbitMQ and Redis, and bounded load through the gateway (4 workers sending GETs back to back).
# For each of kill -9, SIGSTOP and a scale-down: when the dead instance last answered, when the replacement first
# served, when the hung one was out of rotation, and how many requests failed. Runs the healing tests RUNS times
# (default 3) and prints what each measured. Needs rabbitmq-server and redis-server (Debian packages).
#   bash bench/failover.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
out=bench/results/failover-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
dotnet build tests/StarGuide.IntegrationTests -v q -nologo >/dev/null
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq 1 "$runs"); do
  dotnet test tests/StarGuide.IntegrationTests --no-build --filter "FullyQualifiedName~Healing" \
    --logger "console;verbosity=detailed" >"$out/run-$run.log" 2>&1 || echo "run $run: a test failed (see $out/run-$run.log)"
  echo "run $run:"
  grep -hE "^\s*(kill -9 of|SIGSTOP of|scale-down|during the outage)" "$out/run-$run.log" | sed 's/^ */  /'
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); logs in $out"
