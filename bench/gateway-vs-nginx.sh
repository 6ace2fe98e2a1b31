#!/usr/bin/env bash
# Gateway vs YARP alone vs nginx, side by side in one run on one machine: one fast upstream (bench/Upstream) served
# directly, through the seed's nginx (../shared/peer/nginx-seed.conf), through YARP alone (bench/YarpAlone: the
# library with none of the gateway's work, the floor the gateway builds on) and through the gateway, measured with
# wrk, with the rate limiter off and on (Redis for the gateway). The gateway "as shipped" is limiter on against Redis,
# access log on, metrics on, tracing as shipped (no OTLP endpoint: no spans); two more gateway runs measure the opt-in
# inline I/O scheduling and the cost of the strict HTTP/1.1 filter (off). Prints requests/s, p50, p99 and CPU per
# request as ratios, issue #10's targets with PASS/FAIL (against YARP alone; the ratio to nginx is reported), and
# writes the same report to bench/results/gateway-vs-nginx-<UTC time>.md (git-ignored).
# Run from anywhere:
#   bash bench/gateway-vs-nginx.sh
# Options (environment): DURATION=15s CONNECTIONS=64 THREADS=2 WARMUP=5s
#   NGINX_CONF=path     the nginx config to compare with (default: ../shared/peer/nginx-seed.conf beside the repo)
#   HALF_LOAD=paced     how "half of peak load" is made without wrk2: paced (default; each connection waits between
#                       requests so that the offered rate is half the gateway's peak) or connections (CONNECTIONS/2,
#                       still closed-loop, so the machine stays saturated). With wrk2 (`wrk2`, or a `wrk` with -R)
#                       the half-load runs are constant-rate (`-R`) instead.
#   The gateway inherits the environment, so e.g. OTEL_SDK_DISABLED=true measures it without OpenTelemetry.
# Every server it starts listens on 127.0.0.1 on a free port and is stopped on exit, failure or Ctrl+C.
# About 5 minutes with the defaults on an idle machine (builds ~15 s, 8 x (5 s warm-up + 15 s), 5 x 15 s at half
# load); longer when other work shares the cores, which the report's 'other' CPU column shows.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
duration=${DURATION:-15s}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
warmup=${WARMUP:-5s}
half_mode=${HALF_LOAD:-paced}
nginx_conf=${NGINX_CONF:-$repo/../shared/peer/nginx-seed.conf}
path=/api/bench
huge_rate=10000000
huge_burst=1000000

die() { echo "gateway-vs-nginx: $*" >&2; exit 1; }
say() { printf '== %3d s  %s\n' "$SECONDS" "$*"; }
[ -r "$nginx_conf" ] || die "no nginx config at $nginx_conf (set NGINX_CONF)"
for tool in wrk nginx redis-server redis-cli dotnet curl ss; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
case $half_mode in paced|connections) ;; *) die "HALF_LOAD must be paced or connections" ;; esac
[ "$threads" -le "$connections" ] || die "THREADS must not exceed CONNECTIONS"
seconds() { # 15s, 1m, 15 -> seconds
  case $1 in *m) echo $(( ${1%m} * 60 )) ;; *s) echo "${1%s}" ;; *) echo "$1" ;; esac
}
duration_s=$(seconds "$duration")

wrk_rate=""
if command -v wrk2 >/dev/null; then wrk_rate=wrk2
elif grep -q -- '--rate' <<<"$(wrk 2>&1 || true)"; then wrk_rate=wrk
fi

work=$(mktemp -d /tmp/gateway-vs-nginx.XXXXXX)
chmod 755 "$work"
pids=()
in_flight=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for pid in $in_flight "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
  [ "$status" = 0 ] && say "done, everything stopped"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# Runs a command in the background and waits for it: a trapped Ctrl+C interrupts `wait` at once, whereas a
# foreground wrk catches SIGINT itself, prints its figures and exits 0, and the script would go on.
interruptible() {
  local rc=0
  "$@" &
  in_flight=$!
  wait "$in_flight" || rc=$?
  in_flight=""
  return "$rc"
}

free_port() {
  local port
  while :; do
    port=$(( 20000 + RANDOM % 30000 ))
    ss -Htln "sport = :$port" | grep -q . || { echo "$port"; return; }
  done
}
wait_ok() { # url name log pid
  for _ in $(seq 150); do
    curl -sf -o /dev/null "$1" && return 0
    kill -0 "$4" 2>/dev/null || break
    sleep 0.2
  done
  echo "--- last lines of $3:" >&2; tail -20 "$3" >&2 || true
  die "$2 did not answer 200 on $1 within 30 s (or exited)"
}

say "building (Release)"
interruptible dotnet build "$repo/bench/Upstream" -c Release -v q -nologo --disable-build-servers >"$work/build-upstream.log" 2>&1 \
  || { tail -20 "$work/build-upstream.log" >&2; die "bench/Upstream does not build"; }
interruptible dotnet build "$repo/bench/YarpAlone" -c Release -v q -nologo --disable-build-servers >"$work/build-yarp.log" 2>&1 \
  || { tail -20 "$work/build-yarp.log" >&2; die "bench/YarpAlone does not build"; }
interruptible dotnet build "$repo/src/Gateway" -c Release -v q -nologo --disable-build-servers >"$work/build-gateway.log" 2>&1 \
  || { tail -20 "$work/build-gateway.log" >&2; die "src/Gateway does not build"; }

up_port=$(free_port)
say "upstream on 127.0.0.1:$up_port"
dotnet "$repo/bench/Upstream/bin/Release/net10.0/StarGuide.Bench.Upstream.dll" "$up_port" >"$work/upstream.log" 2>&1 &
pids+=($!); up_pid=$!
wait_ok "http://127.0.0.1:$up_port$path" upstream "$work/upstream.log" "$up_pid"

redis_port=$(free_port)
say "redis on 127.0.0.1:$redis_port"
mkdir "$work/redis"
redis-server --port "$redis_port" --bind 127.0.0.1 --daemonize no --dir "$work/redis" --save "" --appendonly no \
  >"$work/redis.log" 2>&1 &
pids+=($!); redis_pid=$!
for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$redis_port" ping >/dev/null || die "redis did not start"

# nginx: the seed's config with PREFIX -> a scratch folder, every upstream server -> the bench upstream (only the
# first backend one serves /api; the backups and the frontend pool are pointed there too so that no request can
# reach whatever else listens on the seed's ports), a free listen port, and the limiter removed (off) or raised
# so high that nothing is refused while the limit_req code still runs (on).
start_nginx() { # name limits(on|off)
  local dir="$work/nginx-$1" port
  port=$(free_port)
  mkdir -p "$dir"/{body,proxy,fcgi,uwsgi,scgi}
  chmod 777 "$dir"/{body,proxy,fcgi,uwsgi,scgi}
  sed -E -e "s#PREFIX#$dir#g" \
    -e "s#server 127\.0\.0\.1:[0-9]+#server 127.0.0.1:$up_port#" \
    -e "s#listen 127\.0\.0\.1:[0-9]+#listen 127.0.0.1:$port#" \
    "$nginx_conf" >"$dir/nginx.conf"
  if [ "$2" = off ]; then
    sed -i -E '/^[[:space:]]*limit_req zone=/d' "$dir/nginx.conf"
  else
    sed -i -E -e "s#rate=[0-9]+r/[sm]#rate=${huge_rate}r/s#" -e "s#burst=[0-9]+#burst=$huge_burst#" "$dir/nginx.conf"
  fi
  nginx -t -q -c "$dir/nginx.conf" -p "$dir" -e "$dir/error.log" 2>"$dir/nginx-t.log" \
    || { cat "$dir/nginx-t.log" >&2; die "nginx rejects $dir/nginx.conf"; }
  nginx -c "$dir/nginx.conf" -p "$dir" -e "$dir/error.log" -g 'daemon off;' >"$dir/stdout.log" 2>&1 &
  pids+=($!)
  eval "nginx_$1_pid=$! nginx_$1_port=$port"
  wait_ok "http://127.0.0.1:$port$path" "nginx ($1)" "$dir/error.log" "$!"
}

# The gateway runs from its output folder (as deployed) so that its appsettings.json, and with it its log levels,
# apply; the broker is unreachable on purpose (no RabbitMQ needed to proxy) and its reconnect warnings are hushed.
start_gateway() { # name extra-args...
  local name=$1 port dir="$repo/src/Gateway/bin/Release/net10.0"
  shift
  port=$(free_port)
  (cd "$dir" && exec env -u ASPNETCORE_ENVIRONMENT -u DOTNET_ENVIRONMENT -u OTEL_EXPORTER_OTLP_ENDPOINT \
    dotnet StarGuide.Gateway.dll --urls "http://127.0.0.1:$port" --Gateway:Management:Port="$(free_port)" \
    --ConnectionStrings:rabbitmq=amqp://guest:guest@127.0.0.1:1/ --Logging:LogLevel:MassTransit=Error \
    --Pools:backend:Instances:0:Id=b1 --Pools:backend:Instances:0:Address="http://127.0.0.1:$up_port" \
    --Pools:frontend:Instances:0:Id=f1 --Pools:frontend:Instances:0:Address="http://127.0.0.1:$up_port" \
    "$@") >"$work/gateway-$name.log" 2>&1 &
  pids+=($!)
  eval "gateway_${name}_pid=$! gateway_${name}_port=$port"
  wait_ok "http://127.0.0.1:$port$path" "gateway ($name)" "$work/gateway-$name.log" "$!"
}

say "nginx and gateway, limiter off and on; YARP alone"
yarp_port=$(free_port)
dotnet "$repo/bench/YarpAlone/bin/Release/net10.0/StarGuide.Bench.YarpAlone.dll" "$yarp_port" "http://127.0.0.1:$up_port" \
  >"$work/yarp.log" 2>&1 &
pids+=($!); yarp_pid=$!
wait_ok "http://127.0.0.1:$yarp_port$path" "YARP alone" "$work/yarp.log" "$yarp_pid"
start_nginx off off
start_nginx on on
start_gateway off --Gateway:RateLimiting:Enabled=false
limiter_on=(--Gateway:RateLimiting:Enabled=true --ConnectionStrings:redis="127.0.0.1:$redis_port"
  --Gateway:RateLimiting:Zones:api:RequestsPerSecond=$huge_rate --Gateway:RateLimiting:Zones:api:Burst=$huge_burst)
start_gateway on "${limiter_on[@]}"
start_gateway inline "${limiter_on[@]}" --Gateway:Transport:InlineScheduling=true
start_gateway lax "${limiter_on[@]}" --Gateway:FrontDoor:StrictHttp1=false

# CPU used by processes (their threads included) and by the whole machine, from /proc, in clock ticks.
hz=$(getconf CLK_TCK)
proc_ticks() {
  local total=0 pid t
  for pid in "$@"; do
    t=$(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$pid/stat" 2>/dev/null || echo 0)
    total=$(( total + t ))
  done
  echo "$total"
}
machine_ticks() { awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6}' /proc/stat; }
target_pids() { # target -> the processes that serve it besides the upstream
  case $1 in
    direct) echo "" ;;
    yarp-off) echo "$yarp_pid" ;;
    nginx-*) local m; m=$(eval echo "\$nginx_${1#nginx-}_pid"); echo "$m $(pgrep -P "$m" | tr '\n' ' ')" ;;
    gateway-*) eval echo "\$gateway_${1#gateway-}_pid" ;;
  esac
}
target_url() {
  case $1 in
    direct) echo "http://127.0.0.1:$up_port$path" ;;
    yarp-off) echo "http://127.0.0.1:$yarp_port$path" ;;
    nginx-*) echo "http://127.0.0.1:$(eval echo "\$nginx_${1#nginx-}_port")$path" ;;
    gateway-*) echo "http://127.0.0.1:$(eval echo "\$gateway_${1#gateway-}_port")$path" ;;
  esac
}

to_ms() { # 812.00us | 1.23ms | 1.02s | 2.00m -> ms
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) printf "%.3f", v / 1000; else if (v ~ /ms$/) printf "%.3f", v + 0;
    else if (v ~ /m$/) printf "%.3f", v * 60000; else if (v ~ /s$/) printf "%.3f", v * 1000; else print "nan" }'
}
# CPU used by this script's finished children (wrk), in seconds: `times` must run in this shell, not in a $(...).
children_cpu() {
  times >"$work/times"
}
children_seconds() {
  awk 'NR == 2 {s = 0; for (i = 1; i <= 2; i++) {split($i, a, "m"); s += a[1] * 60 + a[2]} printf "%.3f", s}' "$work/times"
}
declare -A rps p50 p99 non2xx errors proxy_cores up_cores wrk_cores busy other
# run KEY TARGET WRK-BINARY wrk-args... : one measured run, parsed into the arrays above (wrk2 prints its
# percentiles as 50.000% / 99.000%, which the same parser reads)
run() {
  local key=$1 target=$2 bin=$3 out="$work/wrk-$1.txt" pt ut wt m0 m1 pid_list
  shift 3
  pid_list=$(target_pids "$target")
  # shellcheck disable=SC2086
  pt=$(proc_ticks $pid_list); ut=$(proc_ticks "$up_pid"); children_cpu; wt=$(children_seconds)
  m0=$(machine_ticks)
  interruptible "$bin" "$@" --latency "$(target_url "$target")" >"$out" 2>&1 || { cat "$out" >&2; die "$bin failed on $target"; }
  m1=$(machine_ticks)
  children_cpu
  wt=$(awk -v a="$wt" -v b="$(children_seconds)" 'BEGIN {printf "%.3f", b - a}')
  # shellcheck disable=SC2086
  pt=$(( $(proc_ticks $pid_list) - pt )); ut=$(( $(proc_ticks "$up_pid") - ut ))
  rps[$key]=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  p50[$key]=$(to_ms "$(awk '$1 ~ /^50(\.0+)?%$/ {print $2; exit}' "$out")")
  p99[$key]=$(to_ms "$(awk '$1 ~ /^99(\.0+)?%$/ {print $2; exit}' "$out")")
  non2xx[$key]=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out"); non2xx[$key]=${non2xx[$key]:-0}
  errors[$key]=$(awk '/Socket errors:/ {n = 0; for (i = 3; i <= NF; i++) n += $i; print n}' "$out")
  errors[$key]=${errors[$key]:-0}
  proxy_cores[$key]=$(awk -v t="$pt" -v hz="$hz" -v d="$duration_s" 'BEGIN {printf "%.2f", t / hz / d}')
  up_cores[$key]=$(awk -v t="$ut" -v hz="$hz" -v d="$duration_s" 'BEGIN {printf "%.2f", t / hz / d}')
  wrk_cores[$key]=$(awk -v t="$wt" -v d="$duration_s" 'BEGIN {printf "%.2f", t / d}')
  busy[$key]=$(awk -v a="$m0" -v b="$m1" 'BEGIN {split(a, x, " "); split(b, y, " ");
    t = y[1] - x[1]; printf "%.0f", (t > 0 ? 100 * (t - (y[2] - x[2])) / t : 0)}')
  # what the machine did besides wrk, the proxy and the upstream: other processes (other sessions' builds, this
  # run's idle servers) and kernel time not charged to a process; large values mean the run was disturbed
  other[$key]=$(awk -v b="${busy[$key]}" -v n="$(nproc)" -v p="${proxy_cores[$key]}" -v u="${up_cores[$key]}" \
    -v w="${wrk_cores[$key]}" 'BEGIN {printf "%.2f", b * n / 100 - p - u - w}')
  printf '   %-18s %9s req/s  p50 %7s ms  p99 %7s ms  non-2xx %s  socket errors %s  other CPU %s cores\n' \
    "$key" "${rps[$key]}" "${p50[$key]}" "${p99[$key]}" "${non2xx[$key]}" "${errors[$key]}" "${other[$key]}"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
say "full load: wrk -t$threads -c$connections -d$duration, each target warmed up for $warmup first"
redis_commands() { redis-cli -p "$redis_port" info stats | awk -F: '/^total_commands_processed/ {print $2 + 0}'; }
redis_cmds_before=0
declare -A redis_cores
for target in direct nginx-off yarp-off gateway-off nginx-on gateway-on gateway-inline gateway-lax; do
  interruptible wrk -t"$threads" -c"$connections" -d"$warmup" "$(target_url "$target")" >/dev/null 2>&1 || true
  if [ "$target" = gateway-on ]; then redis_cmds_before=$(redis_commands); fi
  rt=$(proc_ticks "$redis_pid")
  run "$target" "$target" wrk -t"$threads" -c"$connections" -d"$duration"
  redis_cores[$target]=$(awk -v t="$(( $(proc_ticks "$redis_pid") - rt ))" -v hz="$hz" -v d="$duration_s" 'BEGIN {printf "%.2f", t / hz / d}')
  if [ "$target" = gateway-on ]; then redis_cmds=$(( $(redis_commands) - redis_cmds_before - 1 )); fi
done

# Half of peak load: half the shipped gateway's peak requests/s (limiter on), offered to direct, nginx, YARP alone
# and the gateway.
half_rate=$(awk -v r="${rps[gateway-on]}" 'BEGIN {printf "%d", r / 2}')
half_conn=$(( connections / 2 > 0 ? connections / 2 : 1 ))
half_threads=$(( threads < half_conn ? threads : half_conn ))
if [ -n "$wrk_rate" ]; then
  half_how="constant rate with $wrk_rate -R$half_rate (half the gateway's peak), -c$connections"
  half_args=(-t"$threads" -c"$connections" -d"$duration" -R"$half_rate")
  half_wrk=$wrk_rate
elif [ "$half_mode" = paced ]; then
  pace_ms=$(awk -v c="$connections" -v r="$half_rate" 'BEGIN {printf "%.3f", 1000 * c / r}')
  cat >"$work/pace.lua" <<EOF
-- Each connection waits about $pace_ms ms (uniform 0.5x-1.5x) after a response before its next request, so
-- -c$connections offers at most $half_rate requests/s. wrk's latency clock starts when a request is written, so the
-- wait is not counted as latency.
local mean = $pace_ms
function delay()
  local d = mean * (0.5 + math.random())
  local whole = math.floor(d)
  if math.random() < d - whole then whole = whole + 1 end
  return whole
end
EOF
  half_how="paced plain wrk: -c$connections, each connection waiting ~$pace_ms ms between requests (Lua delay()), so at most $half_rate req/s (half the gateway's peak) are offered; not wrk2's constant rate, so latency is not corrected for coordinated omission"
  half_args=(-t"$threads" -c"$connections" -d"$duration" -s "$work/pace.lua")
  half_wrk=wrk
else
  half_how="approximation: half the connections (-c$half_conn, closed-loop wrk as fast as it can, so the machine is still saturated; not half the load)"
  half_args=(-t"$half_threads" -c"$half_conn" -d"$duration")
  half_wrk=wrk
fi
say "half of peak load: $half_how"
for target in direct nginx-off yarp-off gateway-on gateway-inline; do
  run "half-$target" "$target" "$half_wrk" "${half_args[@]}"
done

# ---- report
cpu_cell() { echo "${proxy_cores[$1]} / ${up_cores[$1]} / ${wrk_cores[$1]} / ${other[$1]}"; }
us_per_request() { awk -v c="$1" -v r="$2" 'BEGIN {if (r > 0) printf "%.0f", 1e6 * c / r; else print "n/a"}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}'; }
check() { awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN {ok = op == ">=" ? a >= b : a <= b; print ok ? "PASS" : "FAIL"}'; }
stamp=$(date -u +%Y%m%dT%H%M%SZ)
report="$repo/bench/results/gateway-vs-nginx-$stamp.md"
mkdir -p "$repo/bench/results"
{
  echo "# Gateway vs nginx — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  dirty=""; git -C "$repo" diff --quiet HEAD -- src || dirty=" (src with uncommitted changes)"
  echo "One machine: $(nproc) cores, load average before the run $load_before. wrk, nginx (worker_processes auto = $(nproc)"
  echo "workers), the gateway, the upstream and Redis all share these cores. Gateway at commit"
  echo "$(git -C "$repo" rev-parse --short HEAD)$dirty; $(nginx -v 2>&1 | sed 's/.*: //'); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2);"
  echo ".NET SDK $(dotnet --version); Redis $(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/')."
  echo "Upstream: bench/Upstream (Kestrel, fixed 92-byte JSON), GET $path. nginx config: the seed's, limiter lines removed"
  echo "(off) or at rate=${huge_rate}r/s burst=$huge_burst (on). Gateway: Release, limiter via --Gateway:RateLimiting:*;"
  echo "access log on (to its stdout, a file), metrics on; 'inline' = limiter on + Gateway:Transport:InlineScheduling=true;"
  echo "'lax' = limiter on + Gateway:FrontDoor:StrictHttp1=false (the strict framing filter off)."
  passed=$(env | sed -n -E 's/^((OTEL|DOTNET|ASPNETCORE)_[A-Za-z0-9_]*)=.*/\1/p' \
    | grep -vxE 'ASPNETCORE_ENVIRONMENT|DOTNET_ENVIRONMENT|OTEL_EXPORTER_OTLP_ENDPOINT|DOTNET_CLI_.*|DOTNET_NOLOGO' \
    | grep -vxE 'DOTNET_GENERATE_ASPNET_CERTIFICATE|DOTNET_SKIP_FIRST_TIME_EXPERIENCE' | sort | tr '\n' ' ' || true)
  if [ -n "$passed" ]; then
    echo "Set in the gateway's environment (names only): $passed${OTEL_SDK_DISABLED:+(OTEL_SDK_DISABLED=$OTEL_SDK_DISABLED)}."
  fi
  echo
  echo "## Full load: wrk -t$threads -c$connections -d$duration --latency (after $warmup warm-up)"
  echo
  echo "CPU cores = CPU seconds used during the run / its duration: the proxy (nginx master + workers, or the gateway),"
  echo "the upstream, wrk, and 'other' = the rest of the machine's busy time (other processes, including other"
  echo "sessions' work on a shared machine, and kernel time charged to none): well above 0.1 means a disturbed run."
  echo
  echo "| target | limiter | req/s | p50 ms | p99 ms | req/s vs YARP alone | req/s vs nginx | p99 vs nginx | CPU µs / request (proxy; Redis) | non-2xx / socket errors | CPU cores: proxy / upstream / wrk / other |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for target in direct nginx-off yarp-off gateway-off nginx-on gateway-on gateway-inline gateway-lax; do
    lim=${target##*-}; [ "$target" = direct ] && lim=off
    name=${target%-*}; [ "$target" = direct ] && name="direct (no proxy)"; [ "$target" = yarp-off ] && name="YARP alone"
    case $target in gateway-inline) name="gateway, inline scheduling"; lim=on ;; gateway-lax) name="gateway, strict framing off"; lim=on ;; esac
    ref=nginx-$lim
    redis_us=""; [ "$lim" = on ] && [ "${target%-*}" = gateway ] && redis_us="; $(us_per_request "${redis_cores[$target]}" "${rps[$target]}")"
    echo "| $name | $lim | ${rps[$target]} | ${p50[$target]} | ${p99[$target]} | $(ratio "${rps[$target]}" "${rps[yarp-off]}")× | $(ratio "${rps[$target]}" "${rps[$ref]}")× | $(ratio "${p99[$target]}" "${p99[$ref]}")× | $(us_per_request "${proxy_cores[$target]}" "${rps[$target]}")$redis_us | ${non2xx[$target]} / ${errors[$target]} | $(cpu_cell "$target") |"
  done
  echo
  echo "## Half of peak load (nginx and YARP alone limiter off, the gateway as shipped: limiter on)"
  echo
  echo "How: $half_how."
  echo
  echo "| target | req/s | p50 ms | p99 ms | p99 added over direct, ms | non-2xx / socket errors | CPU cores: proxy / upstream / wrk / other |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for target in direct nginx-off yarp-off gateway-on gateway-inline; do
    k=half-$target
    added=$(awk -v a="${p99[$k]}" -v b="${p99[half-direct]}" 'BEGIN {printf "%+.3f", a - b}')
    echo "| ${target} | ${rps[$k]} | ${p50[$k]} | ${p99[$k]} | $added | ${non2xx[$k]} / ${errors[$k]} | $(cpu_cell "$k") |"
  done
  echo
  echo "## Targets"
  echo
  r1=$(ratio "${rps[gateway-on]}" "${rps[yarp-off]}")
  us_gw=$(us_per_request "${proxy_cores[gateway-on]}" "${rps[gateway-on]}")
  us_yarp=$(us_per_request "${proxy_cores[yarp-off]}" "${rps[yarp-off]}")
  r_cpu=$(ratio "$us_gw" "$us_yarp")
  r2=$(ratio "${rps[gateway-on]}" "${rps[gateway-off]}")
  added_gw=$(awk -v a="${p99[half-gateway-on]}" -v b="${p99[half-direct]}" 'BEGIN {printf "%.3f", a - b}')
  added_yarp=$(awk -v a="${p99[half-yarp-off]}" -v b="${p99[half-direct]}" 'BEGIN {printf "%.3f", a - b}')
  bound=$(awk -v y="$added_yarp" 'BEGIN {printf "%.3f", y + 0.5}')
  limiter_note="Redis served $redis_cmds commands during the gateway's limiter-on run"
  if [ "$redis_cmds" -lt 1000 ]; then
    limiter_note="$limiter_note: the gateway's limiter did not run, so this compares two limiter-off gateways"
  fi
  echo "| target (issue #10) | measured | result |"
  echo "|---|---|---|"
  echo "| gateway as shipped (limiter on) ≥ 0.9× YARP alone req/s | ${r1}× | $(check "$r1" '>=' 0.9) |"
  echo "| gateway as shipped CPU µs/request ≤ 1.15× YARP alone's | $us_gw vs $us_yarp µs = ${r_cpu}× (Redis itself: $(us_per_request "${redis_cores[gateway-on]}" "${rps[gateway-on]}") µs more) | $(check "$r_cpu" '<=' 1.15) |"
  echo "| gateway limiter on ≥ 0.9× limiter off req/s | ${r2}× ($limiter_note) | $(check "$r2" '>=' 0.9) |"
  echo "| p99 added over direct at half load ≤ YARP alone's + 0.5 ms | ${added_gw} ms vs ${added_yarp} + 0.5 = $bound ms | $(check "$added_gw" '<=' "$bound") |"
  echo "| (reported) gateway as shipped vs nginx req/s | $(ratio "${rps[gateway-on]}" "${rps[nginx-on]}")× nginx with its limiter on; YARP alone $(ratio "${rps[yarp-off]}" "${rps[nginx-off]}")× nginx | – |"
  echo "| (reported) inline scheduling vs as shipped | $(ratio "${rps[gateway-inline]}" "${rps[gateway-on]}")× req/s, $(us_per_request "${proxy_cores[gateway-inline]}" "${rps[gateway-inline]}") µs/request; p99 added at half load $(awk -v a="${p99[half-gateway-inline]}" -v b="${p99[half-direct]}" 'BEGIN {printf "%.3f", a - b}') ms | – |"
  echo "| (reported) strict framing filter off vs on | $(ratio "${rps[gateway-lax]}" "${rps[gateway-on]}")× req/s, $(us_per_request "${proxy_cores[gateway-lax]}" "${rps[gateway-lax]}") vs $us_gw µs/request | – |"
  bad=0
  for k in "${!rps[@]}"; do [ "${non2xx[$k]}" = 0 ] && [ "${errors[$k]}" = 0 ] || bad=1; done
  if [ "$bad" = 1 ]; then
    echo
    echo "Some runs had non-2xx responses or socket errors (columns above): their req/s are not comparable."
  fi
  echo
} >"$report"
{
  echo
  echo "<details><summary>wrk output</summary>"
  echo
  for f in "$work"/wrk-*.txt; do
    echo "### $(basename "$f" .txt)"; echo; echo '```'; cat "$f"; echo '```'; echo
  done
  echo "</details>"
} >"$report.raw"

echo
cat "$report"
cat "$report.raw" >>"$report"
rm -f "$report.raw"
echo
echo "report: ${report#"$repo"/}"
