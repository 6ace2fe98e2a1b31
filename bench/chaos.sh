#!/usr/bin/env bash
# Chaos under load (issue 18): the compose stack users deploy (deploy/compose.yaml), with two gateway replicas behind the
# edge (Debian's HAProxy, deploy/chaos.yaml), autoscaling on, steady open-loop load (bench/ChaosLoad: GET and POST /api,
# /static, /) for DURATION seconds, and a fault at random every 15-45 s, each healed before the next:
#   kill-instance     SIGKILL of a pool instance (the scaler replaces it)
#   stop-instance     SIGSTOP of a pool instance (the monitor finds it hung, the scaler replaces it; SIGCONT after)
#   crash-<service>   SIGKILL of a service's process: scaler, health-monitor, a gateway replica, redis, rabbitmq,
#                     backup-service (the engine's restart policy brings it back)
#   backup-kill       a backup started, then a pool instance killed while it runs
#   scale-failover    a pool instance killed, and a scale request (one more backend) at once
# The faults come from SEED (printed; the same seed replays the same faults at the same times). Writes to
# bench/results/chaos-<time>/: requests.csv (one line per request), faults.csv, pools.csv, events.txt, report.md (the
# tables: availability, latency inside and outside fault windows, heal times, distribution, events, backups) and
# chaos.png (load, latency and pool sizes over time, faults marked); takes the stack down at the end, whatever happens.
# Needs the images (bash deploy/build-images.sh), an engine (.ci/docker-engine.sh), jq, curl, python3-matplotlib
# (installed when missing).
#   bash bench/chaos.sh                       10 minutes at 100 requests/s
#   DURATION=60 RATE=50 SEED=42 bash bench/chaos.sh
#   CHAOS_HA=1 bash bench/chaos.sh            the same with the `ha` profile: a three-node broker cluster (quorum
#                                             queues), crash-rabbitmq kills one of its nodes
# Exits 1 when a target is missed (CHAOS_TARGETS=ci loosens them for the short run in CI; CHAOS_TARGETS=none only
# reports).
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
duration=${DURATION:-600} rate=${RATE:-100} seed=${SEED:-$(( $(date +%s) % 100000 ))}
export STARGUIDE_STACK=${STARGUIDE_STACK:-sgchaos}
out=${CHAOS_OUT:-$repo/bench/results/chaos-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
say() { echo "$(date -u +%H:%M:%S) chaos: $*" | tee -a "$out/run.log"; }
now_ms() { date +%s%3N; }

missing=()
for c in jq curl; do command -v "$c" >/dev/null || missing+=("$c"); done
# Debian's python3 (python3-matplotlib is its package), not one a version manager put first on the PATH.
py=/usr/bin/python3
[ -x "$py" ] || py=python3
"$py" -c 'import matplotlib' 2>/dev/null || missing+=(python3-matplotlib)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -qq -o DPkg::Lock::Timeout=300 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null \
    || { say "could not install ${missing[*]}"; exit 1; }
fi
timeout 10 docker info >/dev/null 2>&1 || { say "no Docker engine answers: start one (.ci/docker-engine.sh)"; exit 1; }
[ -n "${CHAOS_SKIP_BUILD:-}" ] || bash deploy/build-images.sh >"$out/build.log" 2>&1 || { tail -20 "$out/build.log"; say "deploy/build-images.sh failed"; exit 1; }
for tool in ChaosLoad EventAudit; do
  dotnet build bench/$tool -c Release -nologo -v:q >"$out/$tool-build.log" 2>&1 || { tail -20 "$out/$tool-build.log"; say "building bench/$tool failed"; exit 1; }
done

# (Not openssl: a fresh Debian machine, CI's, may not have it.)
secret() { head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
export RABBITMQ_PASSWORD=$(secret) REDIS_PASSWORD=$(secret)
export RABBITMQ_GATEWAY_PASSWORD=$(secret) RABBITMQ_HEALTH_MONITOR_PASSWORD=$(secret) \
  RABBITMQ_SCALER_PASSWORD=$(secret) RABBITMQ_BACKUP_SERVICE_PASSWORD=$(secret)
export DOCKER_GID=$(stat -c %g /var/run/docker.sock)
export STARGUIDE_SECRETS=$(mktemp -d) && deploy/make-secrets.sh "$STARGUIDE_SECRETS" >/dev/null
viewer=(-H "Authorization: Bearer $(cat "$STARGUIDE_SECRETS/management-read-token")")
operator=(-H "Authorization: Bearer $(cat "$STARGUIDE_SECRETS/management-operate-token")")
export STARGUIDE_AUTOSCALE=true STARGUIDE_AUTOSCALE_CPU_PERCENT=${CPU:-60}
# At least two of each pool, as a deployment that wants to survive the loss of an instance runs them (with one, a kill
# is an outage of the pool until the replacement answers, whatever the gateway does).
export STARGUIDE_BACKEND_MIN_INSTANCES=${MIN_INSTANCES:-2} STARGUIDE_FRONTEND_MIN_INSTANCES=${MIN_INSTANCES:-2}
# Ports picked by the engine: nothing on the host is in the way, and two gateway replicas can publish theirs.
export STARGUIDE_GATEWAY_PORT= STARGUIDE_GATEWAY_MANAGEMENT_PORT= STARGUIDE_SCALER_PORT= STARGUIDE_BACKUP_PORT= \
  STARGUIDE_PROMETHEUS_PORT= STARGUIDE_EDGE_PORT= STARGUIDE_EDGE_STATS_PORT=
. deploy/stack.sh
stack_compose "$repo"
compose+=(-f "$repo/deploy/chaos.yaml")
brokers=(rabbitmq) quorum=""
if [ -n "${CHAOS_HA:-}" ]; then
  # Both are needed (docs/deploy.md): the profile starts the other two nodes, the list puts the first in cluster mode
  # and gives every service every node.
  brokers=(rabbitmq rabbitmq-2 rabbitmq-3) quorum=quorum
  export STARGUIDE_BROKER_NODES=rabbitmq,rabbitmq-2,rabbitmq-3
  compose+=(--profile ha)
fi
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  # A SIGSTOPped instance would hold its container's stop for the whole grace period.
  for c in $(stack_containers); do docker kill -s CONT "$c" >/dev/null 2>&1; done
  "${compose[@]}" logs --no-color >"$out/compose.log" 2>&1
  stack_down
  left=$( (stack_containers; docker ps -aq --filter "label=com.docker.compose.project=$STARGUIDE_STACK") | sort -u | wc -l)
  say "stack down; containers left: $left"
  rm -rf "$STARGUIDE_SECRETS"
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM

say "seed $seed, $duration s at $rate requests/s, commit $(git rev-parse --short HEAD), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
t0=$(date +%s)
"${compose[@]}" up -d --scale gateway=2 >"$out/up.log" 2>&1 || { cat "$out/up.log"; say "compose up failed"; exit 1; }
port_of() { "${compose[@]}" port "$@" 2>/dev/null | tail -n 1; }
edge=$(port_of edge 8080) scaler=$(port_of scaler 8080) backup=$(port_of backup-service 8080) prometheus=$(port_of prometheus 9090)
say "up in $(( $(date +%s) - t0 )) s: edge $edge, scaler $scaler, backup service $backup, prometheus $prometheus"

# The n-th of some names in name order (a fault's pick: every random number is drawn in the main shell, as a
# subshell's RANDOM is not its; the same seed picks the same rank), and the n-th container of a compose service.
nth() { local n=$1; shift; local items=($(printf '%s\n' "$@" | sort)); echo "${items[$(( n % ${#items[@]} ))]}"; }
container_of() { nth "$2" $("${compose[@]}" ps -q "$1" 2>/dev/null | xargs -r docker inspect -f '{{.Name}}' | sed 's|^/||'); }
# A service restarted by a crash comes back on another host port (the engine picks them): looked up again when a call
# fails (in the caller's shell; from a $(...) subshell, for that call).
pools() {
  curl -sf --max-time 5 "${viewer[@]}" "http://$scaler/pools" 2>/dev/null \
    || { scaler=$(port_of scaler 8080) && curl -sf --max-time 5 "${viewer[@]}" "http://$scaler/pools"; }
}
pool_ready() { # pool: true when ready == desired >= 1 and nothing is starting or draining
  pools | jq -e --arg p "$1" '.[] | select(.pool == $p) | .ready == .desired and .ready >= 1' >/dev/null 2>&1
}
wait_for() { # seconds command...
  local limit=$1 t=$(date +%s); shift
  while [ $(( $(date +%s) - t )) -lt "$limit" ]; do "$@" && return 0; sleep 0.5; done
  return 1
}
served() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://$edge/api/stars")" = 200 ]; }
wait_for 240 pool_ready backend && wait_for 60 pool_ready frontend && wait_for 60 served \
  || { say "the stack never served: $(pools | jq -c '[.[] | {pool, desired, ready}]')"; exit 1; }
say "serving after $(( $(date +%s) - t0 )) s: $(pools | jq -c '[.[] | {pool, desired, ready}]')"

# The run's own copy of every event the broker takes (bench/EventAudit): a durable queue bound to every event exchange
# now, read at the end. The broker's address on the control network, as the administrator (the host reaches an internal
# network's containers; looked up each time, as a restarted broker may come back on another address).
audit=(dotnet bench/EventAudit/bin/Release/net10.0/StarGuide.Bench.EventAudit.dll)
broker_uri() {
  echo "amqp://starguide:$RABBITMQ_PASSWORD@$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$(container_of rabbitmq 0)" | awk '{print $1}'):5672/"
}
"${audit[@]}" bind "$(broker_uri)" chaos-audit $quorum >"$out/audit.log" 2>&1 || { cat "$out/audit.log"; say "could not bind the event audit queue"; exit 1; }
say "$(cat "$out/audit.log")"

# The pools every 2 s, for the plot and the heal times.
(
  echo "unix_ms,backend_desired,backend_ready,frontend_desired,frontend_ready"
  while :; do
    line=$(pools | jq -r '[(.[] | select(.pool == "backend") | .desired, .ready), (.[] | select(.pool == "frontend") | .desired, .ready)] | map(tostring) | join(",")' 2>/dev/null)
    echo "$(now_ms),${line:-,,,}"
    sleep 2
  done
) >"$out/pools.csv" &
pids+=($!)

# Warm-up, not counted: 30 s at the same rate, so that what is measured is the running stack, not its first requests
# (JIT, connection pools, the autoscaler's first window). A replica restarted by a fault gets no such grace.
dotnet bench/ChaosLoad/bin/Release/net10.0/StarGuide.Bench.ChaosLoad.dll "http://$edge" "$rate" "${WARMUP:-30}" "$out/warmup.csv" >"$out/warmup.log" 2>&1
say "warm-up: $(cat "$out/warmup.log")"
dotnet bench/ChaosLoad/bin/Release/net10.0/StarGuide.Bench.ChaosLoad.dll "http://$edge" "$rate" "$duration" "$out/requests.csv" >"$out/load.log" 2>&1 &
load_pid=$!
pids+=($load_pid)

# --- faults ----------------------------------------------------------------------------------------------------------
RANDOM=$seed
echo "start_ms,end_ms,kind,target,healed,detail" >"$out/faults.csv"
instances() { stack_containers | xargs -r docker inspect -f '{{.Name}} {{.State.Running}}' 2>/dev/null | awk '$2 == "true" { sub("^/", "", $1); print $1 }'; }
pools_whole() { # neither pool has fewer ready than desired, and the victim (its container name, the host in its address) is not among them
  local p
  p=$(pools) || return 1
  echo "$p" | jq -e 'all(.[]; .ready == .desired and .ready >= 1)' >/dev/null 2>&1 || return 1
  [ -z "${1:-}" ] || ! echo "$p" | jq -r '.[].members[] | select(.state == "Ready") | .address' | grep -qF "//$1:"
}
restarted_healthy() { # container start-time-before: running again since, and healthy
  local state
  state=$(docker inspect -f '{{.State.StartedAt}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$1" 2>/dev/null) || return 1
  [ "${state% *}" != "$2" ] && [ "${state#* }" = healthy ]
}
crash() { # container: SIGKILL its process from the host (a crash, as the engine sees it: the restart policy applies)
  local pid
  pid=$(docker inspect -f '{{.State.Pid}}' "$1" 2>/dev/null)
  [ -n "$pid" ] && [ "$pid" != 0 ] && kill -9 "$pid"
}
request_backup() {
  local answer
  answer=$(curl -sf --max-time 5 "${operator[@]}" -X POST "http://$backup/backups" 2>/dev/null) \
    || answer=$(backup=$(port_of backup-service 8080) && curl -s --max-time 5 "${operator[@]}" -X POST "http://$backup/backups")
  echo "$answer" | jq -r '.backupId // "refused"' 2>/dev/null || echo refused
}
record() { echo "$1,$(now_ms),$2,$3,$4,$5" >>"$out/faults.csv"; say "$2 $3: $([ "$4" = 1 ] && echo "healed in $(( ($(now_ms) - $1) / 1000 )) s" || echo NOT healed) $5"; }

kinds=(kill-instance kill-instance stop-instance crash-scaler crash-health-monitor crash-gateway crash-redis crash-rabbitmq crash-backup-service backup-kill scale-failover)
[ -z "${CHAOS_KINDS:-}" ] || read -ra kinds <<<"$CHAOS_KINDS"
load_start=$(( $(cat "$out/requests.csv.start" 2>/dev/null || now_ms) / 1000 ))
heal_limit=${HEAL_LIMIT:-120}
deck=()
while :; do
  # Kinds are dealt from a shuffled deck, reshuffled when empty: every kind comes once before any comes twice (a
  # 10-minute run has 12-15 faults; drawn independently, a rare kind such as backup-kill often never came).
  if [ ${#deck[@]} -eq 0 ]; then
    deck=("${kinds[@]}")
    for (( i = ${#deck[@]} - 1; i > 0; i-- )); do j=$(( RANDOM % (i + 1) )); t=${deck[$i]}; deck[$i]=${deck[$j]}; deck[$j]=$t; done
  fi
  gap=$(( 15 + RANDOM % 31 )) kind=${deck[0]} draw=$RANDOM
  deck=("${deck[@]:1}")
  # The draw is made before the end is checked, so that a seed gives the same faults whatever the duration.
  [ $(( $(date +%s) + gap + 20 )) -lt $(( load_start + duration )) ] || break
  sleep "$gap"
  start=$(now_ms)
  case $kind in
    kill-instance | stop-instance | backup-kill | scale-failover)
      victim=$(nth "$draw" $(instances))
      name=$victim
      detail=""
      if [ "$kind" = backup-kill ]; then
        detail="backup $(request_backup)"
      fi
      if [ "$kind" = stop-instance ]; then docker kill -s STOP "$victim" >/dev/null 2>&1; else docker kill -s KILL "$victim" >/dev/null 2>&1; fi
      if [ "$kind" = scale-failover ]; then
        desired=$(pools | jq -r '.[] | select(.pool == "backend") | .desired' 2>/dev/null)
        want=$(( ${desired:-2} < 5 ? ${desired:-2} + 1 : 4 ))
        detail="scale backend to $want: $(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "${operator[@]}" -H 'Content-Type: application/json' -d "{\"desired\":$want}" "http://$scaler/pools/backend/scale")"
      fi
      sleep 1
      if wait_for "$heal_limit" pools_whole "$name"; then healed=1; else healed=0; fi
      [ "$kind" != stop-instance ] || docker kill -s CONT "$victim" >/dev/null 2>&1
      record "$start" "$kind" "$name" "$healed" "$detail"
      ;;
    crash-*)
      service=${kind#crash-}
      # With the ha profile, one of the broker's nodes.
      [ "$service" != rabbitmq ] || service=$(nth "$draw" "${brokers[@]}")
      victim=$(container_of "$service" "$draw")
      started_at=$(docker inspect -f '{{.State.StartedAt}}' "$victim")
      detail=""
      # The backup service dies with a backup just asked for (in progress, or about to be): the run's end checks that
      # no backup it lists is unverified, i.e. that a crash leaves no half-written backup behind.
      [ "$service" != backup-service ] || detail="backup $(request_backup)"
      crash "$victim"
      sleep 1
      if wait_for "$heal_limit" restarted_healthy "$victim" "$started_at" && wait_for 60 pools_whole ""; then healed=1; else healed=0; fi
      record "$start" "$kind" "$victim" "$healed" "$detail"
      ;;
  esac
done
say "last fault done; waiting for the load to end"
wait "$load_pid"
say "$(cat "$out/load.log")"

# --- events and backups --------------------------------------------------------------------------------------------
# Published and consumed per event type, summed over the run from the services' own MassTransit counters as Prometheus
# kept them (increase() rides over the restarts of the crashed services).
window=$(( $(date +%s) - t0 + 60 ))
prom() { curl -sf --max-time 10 "http://$prometheus/api/v1/query" --data-urlencode "query=$1" | jq -r '.data.result[] | "\(.metric.messaging_masstransit_message_type // "?") \(.metric.job // "?") \(.value[1] | tonumber | round)"'; }
{
  # The counters' names as the OpenTelemetry exporter made them (the unit suffix differs between instruments).
  names=$(curl -sf --max-time 10 "http://$prometheus/api/v1/label/__name__/values" | jq -r '.data[]' | grep -E '^messaging_masstransit_(publish|send|consume|consume_errors)(_ea)?_total$')
  for name in $names; do
    echo "# $name: sum by (message type, job) of its increase over the run (${window}s)"
    prom "sum by (messaging_masstransit_message_type, job) (increase(${name}[${window}s]))" | sort
  done
} >"$out/events.txt" 2>&1
# Every event the broker took during the run (the audit queue), and what every queue still holds: a message left in a
# service's queue, or moved to an _error or _skipped queue, is an event not consumed. Read after a pause, so that the
# consumers have taken what the last seconds published.
sleep 10
audit_read() { "${audit[@]}" read "$(broker_uri)" chaos-audit "$out/audit.jsonl" >>"$out/audit.log" 2>&1; }
wait_for 60 audit_read || say "could not read the event audit queue: $(tail -1 "$out/audit.log")"
# (In cluster mode a node is rabbit@<its host name>, which rabbitmqctl must be told; alone it is its default.) A queue
# with a consumer may hold what is being consumed at that moment: listed again until none does, for up to a minute.
queues_drained() {
  docker exec "$(container_of rabbitmq 0)" rabbitmqctl ${quorum:+-n rabbit@rabbitmq} list_queues -q name messages messages_unacknowledged consumers >"$out/queues.txt" 2>&1 \
    || return 1
  # A queue that did not answer (a quorum queue between leaders: "badrpc ... unresponsive") is not known to be drained.
  ! grep -q badrpc "$out/queues.txt" || return 1
  awk '$2 ~ /^[0-9]+$/ && $4 > 0 && $2 + $3 > 0 { busy = 1 } END { exit busy }' "$out/queues.txt"
}
wait_for 60 queues_drained || say "a queue with a consumer still holds messages after a minute (or the broker did not answer): $(tr '\n' ' ' <"$out/queues.txt" | cut -c1-300)"

# Backups: one more asked for after the run (the service works after everything the run did to it), then every backup
# the service lists verified through its own endpoint (an archive a crash left half-written would fail it).
backup=$(port_of backup-service 8080) scaler=$(port_of scaler 8080)
final=$(request_backup)
backup_done() { curl -sf --max-time 5 "${viewer[@]}" "http://$backup/backups/runs/$1" | jq -e '.state != "running"' >/dev/null 2>&1; }
wait_for 120 backup_done "$final" || true
say "backup after the run: $final $(curl -sf --max-time 5 "${viewer[@]}" "http://$backup/backups/runs/$final" | jq -c '{state, archive, reason}' 2>/dev/null)"
curl -sf --max-time 10 "${viewer[@]}" "http://$backup/backups" >"$out/backups.json" 2>/dev/null || echo "[]" >"$out/backups.json"
for name in $(jq -r '.[].name' "$out/backups.json"); do
  echo "$name $(curl -s --max-time 120 -o /dev/null -w '%{http_code}' "${operator[@]}" -X POST "http://$backup/backups/$name/verify")"
done >"$out/backups-verified.txt"

"$py" bench/chaos-report.py "$out" "$seed" "$rate" "${CHAOS_TARGETS:-full}"
