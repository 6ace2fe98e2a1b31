#!/usr/bin/env bash
# What each request costs the proxy in CPU time (perf stat's task-clock of the proxy's threads, not wrk's, the
# upstream's or Redis's): YARP alone (bench/YarpAlone) against the gateway as shipped and with one feature changed at a
# time, interleaved over ROUNDS so that a busy machine disturbs every variant alike. CPU per request moves much less
# than requests/s when other work shares the cores; hardware instruction counters would move less still, but virtual
# machines like these do not expose them (perf reports them <not supported>).
#   bash bench/gateway-cost.sh              # every variant, once
#   ROUNDS=3 DURATION=10 CONNECTIONS=16 bash bench/gateway-cost.sh
#   VARIANTS="shipped lax" bash bench/gateway-cost.sh
#   PROFILE=20 VARIANTS="yarp shipped" bash bench/gateway-cost.sh   # then a perf profile of each variant (20 s under
#                                                                   # load), its top symbols by self time
# Variants: yarp (YARP alone), shipped (limiter on against Redis, access log, metrics, strict framing: the defaults),
# and shipped with one change: detailed (the framework's http.client/routing instruments and the hosting Activity back
# on, as before issue #10), limiter-off, log-off (access log), metrics-off (OTEL_SDK_DISABLED), lax (strict framing
# off), inline (inline I/O scheduling), bare (all of limiter, access log, metrics, strict framing and compression off:
# what the gateway's routing, retries, passive health, timeouts, headers and transforms cost on their own), base (the gateway as shipped, but the build in BASELINE_BIN: another commit's
# src/Gateway/bin/Release/net10.0, e.g. built from `git archive <commit>`, to compare two commits in one interleaved run).
# Needs perf (linux-perf), wrk, redis-server. Servers listen on free loopback ports and are stopped on exit.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${ROUNDS:-1}
duration=${DURATION:-10}
connections=${CONNECTIONS:-16}
variants=${VARIANTS:-"yarp shipped detailed limiter-off log-off metrics-off lax inline"}
profile=${PROFILE:-0}
if [ "$profile" -gt 0 ]; then
  # perf resolves JIT-compiled frames through /tmp/perf-<pid>.map; with W^X on, JIT code sits in a memfd mapping
  # that perf shows as bare addresses.
  export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
fi
path=/api/bench
die() { echo "gateway-cost: $*" >&2; exit 1; }
for tool in perf wrk redis-server redis-cli dotnet curl ss; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

work=$(mktemp -d /tmp/gateway-cost.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { local p; while :; do p=$(( 20000 + RANDOM % 30000 )); ss -Htln "sport = :$p" | grep -q . || { echo "$p"; return; }; done; }
wait_ok() { for _ in $(seq 150); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done; die "nothing answers on $1"; }

for project in bench/Upstream bench/YarpAlone src/Gateway; do
  dotnet build "$repo/$project" -c Release -v q -nologo >"$work/build.log" 2>&1 || { tail "$work/build.log"; die "$project does not build"; }
done

up_port=$(free_port)
dotnet "$repo/bench/Upstream/bin/Release/net10.0/StarGuide.Bench.Upstream.dll" "$up_port" >"$work/upstream.log" 2>&1 &
pids+=($!)
wait_ok "http://127.0.0.1:$up_port$path"
redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

start() { # variant -> sets port and pid
  local variant=$1 args=() envs=()
  port=$(free_port)
  if [ "$variant" = yarp ]; then
    dotnet "$repo/bench/YarpAlone/bin/Release/net10.0/StarGuide.Bench.YarpAlone.dll" "$port" "http://127.0.0.1:$up_port" >"$work/$variant.log" 2>&1 &
    pid=$!; pids+=("$pid"); wait_ok "http://127.0.0.1:$port$path"; return
  fi
  args=(--Gateway:RateLimiting:Enabled=true --ConnectionStrings:redis="127.0.0.1:$redis_port"
    --Gateway:RateLimiting:Zones:api:RequestsPerSecond=10000000 --Gateway:RateLimiting:Zones:api:Burst=1000000)
  local bin="$repo/src/Gateway/bin/Release/net10.0"
  case $variant in
    shipped) ;;
    base) [ -f "${BASELINE_BIN:-}/StarGuide.Gateway.dll" ] || die "variant base needs BASELINE_BIN, a folder with StarGuide.Gateway.dll"
      bin=$BASELINE_BIN ;;
    limiter-off) args=(--Gateway:RateLimiting:Enabled=false) ;;
    log-off) args+=(--Gateway:AccessLog:Enabled=false) ;;
    metrics-off) envs+=(OTEL_SDK_DISABLED=true) ;;
    lax) args+=(--Gateway:FrontDoor:StrictHttp1=false) ;;
    detailed) args+=(--Gateway:Metrics:DetailedHttpInstruments=true --Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Critical) ;;
    inline) args+=(--Gateway:Transport:InlineScheduling=true) ;;
    bare) args=(--Gateway:RateLimiting:Enabled=false --Gateway:AccessLog:Enabled=false --Gateway:FrontDoor:StrictHttp1=false
      --Gateway:Compression:Enabled=false); envs+=(OTEL_SDK_DISABLED=true) ;;
    *) die "unknown variant $variant" ;;
  esac
  (cd "$bin" && exec env -u OTEL_EXPORTER_OTLP_ENDPOINT "${envs[@]}" \
    dotnet StarGuide.Gateway.dll --urls "http://127.0.0.1:$port" --Gateway:Management:Port="$(free_port)" \
    --ConnectionStrings:rabbitmq=amqp://guest:guest@127.0.0.1:1/ --Logging:LogLevel:MassTransit=Error \
    --Pools:backend:Instances:0:Id=b1 --Pools:backend:Instances:0:Address="http://127.0.0.1:$up_port" \
    --Pools:frontend:Instances:0:Id=f1 --Pools:frontend:Instances:0:Address="http://127.0.0.1:$up_port" "${args[@]}") \
    >"$work/$variant.log" 2>&1 &
  pid=$!; pids+=("$pid"); wait_ok "http://127.0.0.1:$port$path"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); wrk -t1 -c$connections -d${duration}s per measurement, $rounds round(s)"
printf '%-12s %5s %10s %12s\n' variant round req/s "CPU µs/req"
declare -A port_of pid_of
for v in $variants; do start "$v"; port_of[$v]=$port; pid_of[$v]=$pid; done
for round in $(seq "$rounds"); do
  for v in $variants; do
    url="http://127.0.0.1:${port_of[$v]}$path"
    wrk -t1 -c"$connections" -d3s "$url" >/dev/null 2>&1   # warm-up (JIT tiers, pools)
    perf stat -x, -e task-clock -p "${pid_of[$v]}" -o "$work/perf.txt" -- \
      wrk -t1 -c"$connections" -d"${duration}s" "$url" >"$work/wrk.txt" 2>&1
    requests=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
    clock=$(awk -F, '$3 == "task-clock" {print $1}' "$work/perf.txt")
    printf '%-12s %5s %10.0f %12.1f\n' "$v" "$round" "$(awk -v r="$requests" -v d="$duration" 'BEGIN {print r / d}')" \
      "$(awk -v c="$clock" -v r="$requests" 'BEGIN {print 1000 * c / r}')"
  done
done

[ "$profile" -gt 0 ] || exit 0
for v in $variants; do
  url="http://127.0.0.1:${port_of[$v]}$path"
  wrk -t1 -c"$connections" -d20s "$url" >/dev/null 2>&1   # JIT to its last tier: 3 s is not enough for a profile
  perf record -q -e cpu-clock -F 999 -g -p "${pid_of[$v]}" -o "$work/$v.perf" -- \
    wrk -t1 -c"$connections" -d"${profile}s" "$url" >/dev/null 2>&1
  echo
  perf report -i "$work/$v.perf" --no-children --sort dso,sym --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' >"$work/$v.top"
  echo "== $v: self time by owner (JIT code by its type's namespace; the rest by binary)"
  awk '{ pct = $1 + 0; owner = $2 }
       /\[JIT\]/ && index($0, "::") {
         head = substr($0, 1, index($0, "::") - 1); while ((i = index(head, "] ")) > 0) head = substr(head, i + 2)
         n = split(head, part, "."); owner = part[1] (n > 1 ? "." part[2] : "") (n > 2 ? "." part[3] : "") }
       { share[owner] += pct }
       END { for (o in share) printf "%7.2f%%  %s\n", share[o], o }' "$work/$v.top" | sort -rn | head -"${TOP:-25}"
  echo "== $v: top symbols by self time"
  head -"${TOP:-25}" "$work/$v.top" | cut -c1-220
  rm -f "/tmp/perf-${pid_of[$v]}.map"
done
