#!/usr/bin/env bash
# How long `dotnet run --project src/AppHost` takes to serve its first request through the gateway, how long until
# the gateway is ready (bus connected), and the memory of everything it started. Run from the repository root:
#   bash bench/apphost-startup.sh            (gateway on 8080; PORT=9090 bash bench/apphost-startup.sh to change)
# The gateway's /health is on its management port (Gateway:Management:Port, 8081 unless the AppHost sets another:
# MANAGEMENT_PORT=N to follow it); on the public port /health is proxied to the frontend like any other path.
set -euo pipefail
port=${PORT:-8080}
management_port=${MANAGEMENT_PORT:-8081}
dotnet build src/AppHost -v q -nologo >/dev/null
log=$(mktemp)
start=$(date +%s.%N)
dotnet run --project src/AppHost --no-build -- --StarGuide:GatewayPort="$port" >"$log" 2>&1 &
apphost=$!
trap 'kill -INT $apphost 2>/dev/null; wait $apphost 2>/dev/null; rm -f "$log"' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$port/api/hello"; do sleep 0.2; done
first=$(date +%s.%N)
until curl -sf -o /dev/null "http://127.0.0.1:$management_port/health"; do sleep 0.2; done
ready=$(date +%s.%N)
sleep 15
printf 'first 200 through the gateway: %.1f s\n' "$(echo "$first - $start" | bc)"
printf 'gateway ready (/health, bus connected): %.1f s\n' "$(echo "$ready - $start" | bc)"
ps -eo rss,args | grep -E "StarGuide|/dcp |beam.smp|redis-server|Aspire.Dashboard|dotnet run" | grep -v grep \
  | awk '{s+=$1; n++} END {printf "memory after 15 s idle: %d processes, %.0f MB RSS in all\n", n, s/1024}'
