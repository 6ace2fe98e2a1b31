#!/usr/bin/env bash
# Autoscaling figures from the real system: the scaler (a real process) owning a pool of real sample-backend processes,
# the health monitor and the gateway, a real RabbitMQ and Redis, and open-loop GET load through the gateway that burns
# 40 ms of CPU per request on the instance (CPU target 40 % of one core per instance; pool 1-5).
#   1. sustained overload at 1.5× the target, and a 2× burst: time until a new instance serves through the gateway,
#      with p50/p99 of the first 30 s, against the same load on a pool fixed at 5 (autoscaling off);
#   2. a 60 s square wave (1.0 / 0.1 core) for 5 minutes: direction changes of the desired size and failed requests,
#      with the defaults and with the seed's rule (80/30) checked every 60 s and every 10 s.
# Takes about 25 minutes. Needs rabbitmq-server and redis-server (Debian packages).
#   bash bench/autoscaling.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/results/autoscaling-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
dotnet build tests/StarGuide.IntegrationTests -v q -nologo >/dev/null
echo "commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
STARGUIDE_BENCH=1 dotnet test tests/StarGuide.IntegrationTests --no-build --filter "FullyQualifiedName~Benchmarks" \
  --logger "console;verbosity=detailed" >"$out/run.log" 2>&1 || echo "a benchmark failed (see $out/run.log)"
grep -hE "^\s*(\[bench\]|load average)" "$out/run.log" | sed 's/^ */  /'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); log in $out/run.log"
