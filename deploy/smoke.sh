#!/usr/bin/env bash
# Smoke test of the container deployment (deploy/compose.yaml), for users and CI: builds the images, starts the stack,
# waits for health, checks the segmentation (a backend container cannot reach the scaler, the backup service, the broker
# or Redis; no container keeps a capability; the scaler has no Docker socket), sends a request through the gateway,
# checks that the rate limit refuses a burst, kills a backend container and waits for the pool to heal, takes and verifies a backup, checks that Prometheus scrapes every service,
# and takes the stack down with its volumes. Prints a summary with timings; exits non-zero on any failure; always
# cleans up (also on Ctrl+C). Starts dockerd (.ci/docker-engine.sh) when no engine answers, and stops it again (not
# with STARGUIDE_SMOKE_KEEP: the kept stack runs on it).
#
#   deploy/smoke.sh                  build + test
#   STARGUIDE_SMOKE_SKIP_BUILD=1 deploy/smoke.sh   use the images already built
#   STARGUIDE_SMOKE_KEEP=1 deploy/smoke.sh         leave the stack (and an engine the script started) running at the
#                                                  end, for a look; it prints the addresses and how to take both down
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

wait_limit="${STARGUIDE_SMOKE_TIMEOUT:-300}"   # seconds any one wait may take on a busy machine
export STARGUIDE_STACK="${STARGUIDE_STACK:-sgsmoke$$}"
# Ports on the host's loopback that the engine picks (an empty port in compose.yaml), so runs never collide.
export STARGUIDE_GATEWAY_ADDRESS=127.0.0.1 STARGUIDE_GATEWAY_PORT= STARGUIDE_GATEWAY_MANAGEMENT_PORT= \
  STARGUIDE_SCALER_PORT= STARGUIDE_BACKUP_PORT= STARGUIDE_PROMETHEUS_PORT=
# Secrets of this run only: nothing is baked into an image or kept.
export RABBITMQ_PASSWORD REDIS_PASSWORD
RABBITMQ_PASSWORD=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
REDIS_PASSWORD=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
# The management tokens (compose secrets), made for this run in a folder of its own.
export STARGUIDE_SECRETS
STARGUIDE_SECRETS=$(mktemp -d)
"$(dirname "$0")/make-secrets.sh" "$STARGUIDE_SECRETS" >/dev/null
operator=(-H "Authorization: Bearer $(cat "$STARGUIDE_SECRETS/management-operate-token")")
viewer=(-H "Authorization: Bearer $(cat "$STARGUIDE_SECRETS/management-read-token")")
# Each service's own broker user (docs/messaging-trust.md).
for var in RABBITMQ_GATEWAY_PASSWORD RABBITMQ_HEALTH_MONITOR_PASSWORD RABBITMQ_SCALER_PASSWORD RABBITMQ_BACKUP_SERVICE_PASSWORD; do
  export "$var=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
done

steps=() results=() failed=0 down_done=false started_dockerd="" started_at=$(date +%s.%N)
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="${2:-$(now)}" 'BEGIN { printf "%.1f", b - a }'; }
say() { echo "smoke: $*"; }
pass() { steps+=("$1"); results+=("PASS  $(printf '%6s s' "$2")  $3"); say "PASS $1 ($2 s): $3"; }
fail() { steps+=("$1"); results+=("FAIL  $(printf '%6s s' "$2")  $3"); say "FAIL $1 ($2 s): $3" >&2; failed=1; }

# --- prerequisites -------------------------------------------------------------------------------------------------
missing=()
command -v curl >/dev/null || missing+=(curl)
command -v jq >/dev/null || missing+=(jq)
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null; then missing+=(docker-compose); fi
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  { apt-get update -qq -o DPkg::Lock::Timeout=300 \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 "${missing[@]}"; } >/dev/null \
    || { say "could not install ${missing[*]}" >&2; exit 1; }
fi
# shellcheck source=deploy/stack.sh
. "$repo/deploy/stack.sh"
stack_compose "$repo"

if ! timeout 10 docker info >/dev/null 2>&1; then
  export STARGUIDE_DOCKERD_PIDFILE
  STARGUIDE_DOCKERD_PIDFILE=$(mktemp -u)
  "$repo/.ci/docker-engine.sh"
  [ -s "$STARGUIDE_DOCKERD_PIDFILE" ] && started_dockerd=$(cat "$STARGUIDE_DOCKERD_PIDFILE")
  timeout 10 docker info >/dev/null 2>&1 || { say "no Docker engine answers and none could be started" >&2; exit 1; }
fi
socket="${DOCKER_HOST:-unix:///var/run/docker.sock}"
[ "${socket#unix://}" != "$socket" ] || { say "DOCKER_HOST=$DOCKER_HOST: the scaler needs a local unix socket to mount" >&2; exit 1; }
export DOCKER_SOCKET="${socket#unix://}"
export DOCKER_GID
DOCKER_GID=$(stat -c %g "$DOCKER_SOCKET")

# --- clean-up, whatever happens ------------------------------------------------------------------------------------
dump_logs() {
  say "last log lines of each container (the run failed):"
  for c in $("${compose[@]}" ps -q 2>/dev/null) $(stack_containers); do
    echo "----- $(docker inspect -f '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' "$c" 2>/dev/null)"
    docker logs --tail 15 "$c" 2>&1 | cut -c1-300
  done
}
summary() {
  echo
  echo "smoke: summary (stack $STARGUIDE_STACK, $(secs "$started_at") s in all)"
  for i in "${!steps[@]}"; do printf 'smoke:   %-22s %s\n' "${steps[$i]}" "${results[$i]}"; done
  [ "$failed" -eq 0 ] && echo "smoke: PASSED" || echo "smoke: FAILED"
}
kept() { # where the stack left running is, and how to take it down
  say "left running (STARGUIDE_SMOKE_KEEP): stack $STARGUIDE_STACK${gateway:+, gateway http://$gateway}${scaler:+, scaler http://$scaler/status}${backup:+, backup service http://$backup}${prometheus:+, prometheus http://$prometheus}; management tokens in $STARGUIDE_SECRETS"
  # By labels rather than compose down, which would need this run's passwords in the environment again.
  say "take it down: docker rm -f -v \$(docker ps -aq --filter label=com.docker.compose.project=$STARGUIDE_STACK) \$(docker ps -aq --filter label=starguide.stack=$STARGUIDE_STACK); docker volume rm \$(docker volume ls -q --filter label=com.docker.compose.project=$STARGUIDE_STACK); docker network rm \$(docker network ls -q --filter label=com.docker.compose.project=$STARGUIDE_STACK); rm -rf $STARGUIDE_SECRETS"
}
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  [ -n "${poller:-}" ] && kill "$poller" 2>/dev/null
  rm -f "${first_200_file:-}"
  if [ -z "${STARGUIDE_SMOKE_KEEP:-}" ]; then rm -rf "$STARGUIDE_SECRETS"; fi
  [ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
  if ! $down_done && [ -z "${STARGUIDE_SMOKE_KEEP:-}" ]; then
    [ "$failed" -ne 0 ] && dump_logs
    stack_down
  fi
  [ -n "${STARGUIDE_SMOKE_KEEP:-}" ] && ! $down_done && kept
  if [ -n "$started_dockerd" ] && [ -n "${STARGUIDE_SMOKE_KEEP:-}" ] && ! $down_done; then
    # Stopping it would stop the kept stack, and the next dockerd would bring it back (restart: unless-stopped).
    say "the Docker engine this script started is left running for the kept stack: pid $started_dockerd, ${DOCKER_HOST:-unix:///var/run/docker.sock}; stop it (kill $started_dockerd) only after taking the stack down"
    rm -f "$STARGUIDE_DOCKERD_PIDFILE"
  elif [ -n "$started_dockerd" ]; then
    kill "$started_dockerd" 2>/dev/null && timeout 30 tail --pid="$started_dockerd" -f /dev/null
    rm -f "$STARGUIDE_DOCKERD_PIDFILE"
  fi
  summary
  [ "$failed" -eq 0 ] && exit 0 || exit 1
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM

# --- helpers -------------------------------------------------------------------------------------------------------
host_port() { "${compose[@]}" port "$1" "$2" 2>/dev/null | tail -n 1; }   # e.g. 127.0.0.1:49153
status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@"; }
wait_until() { # seconds description command...: polls every second; true once the command succeeds
  local limit=$1 t0 ; shift
  t0=$(date +%s)
  while [ $(( $(date +%s) - t0 )) -lt "$limit" ]; do
    "$@" && return 0
    sleep 1
  done
  return 1
}
pools() { curl -sf --max-time 10 "${viewer[@]}" "http://$scaler/pools"; }

# --- 1. images -----------------------------------------------------------------------------------------------------
t=$(now)
if [ -n "${STARGUIDE_SMOKE_SKIP_BUILD:-}" ]; then
  pass build "$(secs "$t")" "skipped (STARGUIDE_SMOKE_SKIP_BUILD)"
elif "$repo/deploy/build-images.sh"; then
  pass build "$(secs "$t")" "deploy/build-images.sh"
else
  fail build "$(secs "$t")" "deploy/build-images.sh failed"; exit 1
fi

# --- 2. up ---------------------------------------------------------------------------------------------------------
t_up=$(now)
# From the moment `up` starts, the first 200 through the gateway is timed in the background (up -d itself waits for
# the broker's and Redis's health before it creates the services).
first_200_file=$(mktemp)
(
  while [ ! -s "$first_200_file" ] && [ $(( $(date +%s) - ${t_up%.*} )) -lt "$wait_limit" ]; do
    address=$("${compose[@]}" port gateway 8080 2>/dev/null | tail -n 1)
    [ -n "$address" ] && [ "$(status_of "http://$address/api/echo")" = 200 ] && now >"$first_200_file"
    sleep 0.5
  done
) &
poller=$!
if ! out=$("${compose[@]}" up -d 2>&1); then
  echo "$out" | tail -n 20 >&2
  fail up "$(secs "$t_up")" "compose up failed"; exit 1
fi
pass up "$(secs "$t_up")" "$([ "${compose[0]}" = docker ] && echo "docker compose" || echo docker-compose) up -d (project $STARGUIDE_STACK)"
gateway=$(host_port gateway 8080) scaler=$(host_port scaler 8080) backup=$(host_port backup-service 8080) gateway_management=$(host_port gateway 8081)
prometheus=$(host_port prometheus 9090)
say "gateway http://$gateway, scaler http://$scaler, backup service http://$backup, prometheus http://$prometheus"

# --- 3. health -----------------------------------------------------------------------------------------------------
all_healthy() {
  local ids states
  ids=$("${compose[@]}" ps -q) || return 1
  [ "$(echo "$ids" | wc -w)" -eq 8 ] || return 1
  states=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' $ids) || return 1
  ! echo "$states" | grep -qv '^healthy$'
}
pools_ready() {
  pools | jq -e 'length == 2 and all(.[]; .ready >= 2 and .ready == .desired)' >/dev/null
}
t=$(now)
if wait_until "$wait_limit" all_healthy; then
  pass healthy "$(secs "$t")" "8 containers healthy (HEALTHCHECK)"
else
  fail healthy "$(secs "$t")" "not all healthy after $wait_limit s: $("${compose[@]}" ps 2>&1 | tail -n +3 | awk '{print $1, $NF}' | tr '\n' ' ')"; exit 1
fi
t=$(now)
if wait_until "$wait_limit" pools_ready; then
  pass pools-ready "$(secs "$t")" "$(pools | jq -r 'map("\(.pool) \(.ready)/\(.desired) ready (\(.driver))") | join(", ")')"
else
  fail pools-ready "$(secs "$t")" "pools not ready after $wait_limit s: $(pools | jq -c 'map({pool, desired, ready, crashStreak})')"; exit 1
fi

# --- 3a. segmentation ------------------------------------------------------------------------------------------------
# From inside a backend container (bash's /dev/tcp: the image has no other client), by the addresses the control plane
# has on its own network: nothing answers, whereas the gateway, on the pools' network, does (so the probe itself works).
t=$(now)
# Prints those of the host:port targets that accept a connection from inside the container, all probed at once.
reachable_from() {
  docker exec "$1" bash -c 'for t in "$@"; do (timeout 2 bash -c "exec 3<>/dev/tcp/${t%:*}/${t#*:}" 2>/dev/null && echo "$t") & done; wait' _ "${@:2}"
}
# By labels rather than `compose ps`: docker-compose 1.29 takes seconds to start, each time.
service_container() { docker ps -q --filter "label=com.docker.compose.project=$STARGUIDE_STACK" --filter "label=com.docker.compose.service=$1"; }
control_ips=$(docker inspect -f "{{index .Config.Labels \"com.docker.compose.service\"}} {{with index .NetworkSettings.Networks \"${STARGUIDE_STACK}_control\"}}{{.IPAddress}}{{end}}" \
  $(docker ps -q --filter "label=com.docker.compose.project=$STARGUIDE_STACK"))
backend=$(docker ps -q --filter "label=starguide.stack=$STARGUIDE_STACK" --filter label=io.starguide.pool=backend | head -n 1)
targets=() missing=()
for target in scaler:8080 backup-service:8080 rabbitmq:5672 redis:6379; do
  ip=$(echo "$control_ips" | awk -v s="${target%:*}" '$1 == s { print $2 }')
  if [ -n "$ip" ]; then targets+=("$ip:${target#*:}"); else missing+=("${target%:*}"); fi
done
answered=$(reachable_from "$backend" gateway:8080 "${targets[@]}" 2>/dev/null)
reached=$(echo "$answered" | grep -v '^gateway:' | tr '\n' ' ')
gateway_reachable=false
echo "$answered" | grep -q '^gateway:8080$' && gateway_reachable=true
# No Docker socket in the scaler (only the docker-proxy holds one); every container without capabilities.
scaler_socket=$(docker exec "$(service_container scaler)" bash -c "ls /var/run/docker.sock /run/docker.sock; grep -E ' /(var/)?run/docker[.]sock ' /proc/mounts" 2>/dev/null)
privileged=$(docker inspect -f '{{.Name}} add={{.HostConfig.CapAdd}} drop={{.HostConfig.CapDrop}} {{.HostConfig.Privileged}} {{.HostConfig.SecurityOpt}}' \
  $(docker ps -q --filter "label=com.docker.compose.project=$STARGUIDE_STACK") $(stack_containers) \
  | grep -v ' add=\[\] drop=\[ALL\] false .*no-new-privileges:true' | tr '\n' ' ' || true)
if [ -n "$backend" ] && [ ${#missing[@]} -eq 0 ] && [ -z "$reached" ] && $gateway_reachable && [ -z "$scaler_socket" ] && [ -z "$privileged" ]; then
  pass segmentation "$(secs "$t")" "from a backend container: scaler, backup service, broker, Redis unreachable (${targets[*]}), the gateway reachable; no Docker socket in the scaler; every container: CapDrop ALL, no CapAdd, not privileged, no-new-privileges"
else
  fail segmentation "$(secs "$t")" "backend container '${backend}': reached ${reached:-nothing} of ${targets[*]}${missing[*]:+ (no control address: ${missing[*]})}; gateway reachable: $gateway_reachable; docker.sock in the scaler: '${scaler_socket}'; with capabilities: ${privileged:-none}"
fi

# --- 3b. management endpoints need a token ---------------------------------------------------------------------------
t=$(now)
anonymous_pools=$(status_of "http://$scaler/pools")
viewer_scale=$(status_of "${viewer[@]}" -X POST -H 'Content-Type: application/json' -d '{"floor": 5}' "http://$scaler/pools/backend/scale")
anonymous_backup=$(status_of -X POST "http://$backup/backups")
anonymous_metrics=$(status_of "http://$gateway_management/metrics")
viewer_metrics=$(status_of "${viewer[@]}" "http://$gateway_management/metrics")
desired=$(pools | jq -r '.[] | select(.pool == "backend") | .desired')
if [ "$anonymous_pools" = 401 ] && [ "$viewer_scale" = 403 ] && [ "$anonymous_backup" = 401 ] && [ "$anonymous_metrics" = 401 ] \
  && [ "$viewer_metrics" = 200 ] && [ "$desired" = 2 ]; then
  pass management "$(secs "$t")" "no token: /pools 401, POST /backups 401, gateway /metrics 401; read token: scale 403, /metrics 200; backend still 2"
else
  fail management "$(secs "$t")" "no token: /pools $anonymous_pools, POST /backups $anonymous_backup, gateway /metrics $anonymous_metrics; read token: scale $viewer_scale, /metrics $viewer_metrics; backend desired $desired"
fi

# --- 4. a request through the gateway ------------------------------------------------------------------------------
first_ok() { [ "$(status_of "http://$gateway/api/echo")" = 200 ]; }
t=$(now)
if wait_until 60 first_ok; then
  wait "$poller" 2>/dev/null
  t_first=$(cat "$first_200_file"); rm -f "$first_200_file"
  [ -n "$t_first" ] || t_first=$(now)
  instance=$(curl -s -D - -o /dev/null --max-time 10 "http://$gateway/api/echo" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-instance-id" { print $2 }')
  page=$(curl -s --max-time 10 "http://$gateway/" | grep -c '<html' || true)
  if [ -n "$instance" ] && [ "$page" -ge 1 ]; then
    pass request "$(secs "$t")" "GET /api/echo 200 from $instance; GET / serves the frontend; first 200 $(secs "$t_up" "$t_first") s after up began"
  else
    fail request "$(secs "$t")" "200 without X-Instance-Id ('$instance') or / without the frontend page"
  fi
else
  fail request "$(secs "$t")" "GET http://$gateway/api/echo: $(status_of "http://$gateway/api/echo") after 60 s"; exit 1
fi

# --- 5. the rate limit refuses a burst -----------------------------------------------------------------------------
t=$(now)
# 40 at once on the auth zone (5/s, burst 10): from one client address, most must be refused.
codes=$(for i in $(seq 40); do echo "url = \"http://$gateway/api/auth/smoke?i=$i\""; echo 'output = "/dev/null"'; echo 'write-out = "%{http_code}\n"'; done \
  | curl -s -Z --parallel-max 40 --max-time 20 -K - | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')
if [[ $codes == *"×429"* && $codes == *"×200"* ]]; then
  pass rate-limit "$(secs "$t")" "40 parallel requests to /api/auth: $codes"
else
  fail rate-limit "$(secs "$t")" "40 parallel requests to /api/auth, expected both 200 and 429: $codes"
fi

# --- 6. a backend container dies, the pool heals -------------------------------------------------------------------
t=$(now)
victim=$(docker ps -q --filter "label=starguide.stack=$STARGUIDE_STACK" --filter label=io.starguide.pool=backend | head -n 1)
victim_id=$(docker inspect -f '{{index .Config.Labels "io.starguide.instance"}}' "$victim" 2>/dev/null)
if [ -z "$victim" ] || ! docker kill "$victim" >/dev/null; then
  fail heal "$(secs "$t")" "no backend container to kill"
else
  healed() {
    pools | jq -e --arg v "$victim_id" '.[] | select(.pool == "backend")
      | .ready >= 2 and .ready == .desired and all(.members[]; .instanceId != $v)' >/dev/null
  }
  if wait_until "$wait_limit" healed; then
    members=$(pools | jq -r '.[] | select(.pool == "backend") | .members | map(.instanceId) | join(", ")')
    served=$(status_of "http://$gateway/api/echo")
    if [ "$served" = 200 ]; then
      pass heal "$(secs "$t")" "killed $victim_id; backend ready again with $members; gateway answers 200"
    else
      fail heal "$(secs "$t")" "killed $victim_id; pool healed ($members) but the gateway answers $served"
    fi
  else
    fail heal "$(secs "$t")" "killed $victim_id; pool not healed after $wait_limit s: $(pools | jq -c '.[] | select(.pool == "backend") | {desired, ready, crashStreak, members: [.members[] | {instanceId, state}]}')"
  fi
fi

# --- 7. a backup, verified -----------------------------------------------------------------------------------------
t=$(now)
started=$(curl -s --max-time 10 "${operator[@]}" -X POST "http://$backup/backups" -w '\n%{http_code}')
code=$(echo "$started" | tail -n 1)
run=$(echo "$started" | head -n 1 | jq -r '.backupId // empty' 2>/dev/null)
if [ "$code" != 202 ] || [ -z "$run" ]; then
  fail backup "$(secs "$t")" "POST /backups answered $code: $(echo "$started" | head -n 1 | cut -c1-200)"
else
  done_() { state=$(curl -sf --max-time 10 "${viewer[@]}" "http://$backup/backups/runs/$run" | jq -r .state); [ "$state" = completed ] || [ "$state" = failed ]; }
  wait_until "$wait_limit" done_
  view=$(curl -s --max-time 10 "${viewer[@]}" "http://$backup/backups/runs/$run")
  archive=$(echo "$view" | jq -r '.archive // empty' | xargs -r basename)
  if [ "$(echo "$view" | jq -r .state)" != completed ] || [ -z "$archive" ]; then
    fail backup "$(secs "$t")" "backup $run: $view"
  else
    verified=$(curl -s --max-time 60 "${operator[@]}" -X POST "http://$backup/backups/$archive/verify")
    listed=$(curl -s --max-time 10 "${viewer[@]}" "http://$backup/backups" | jq -r --arg a "$archive" '.[] | select(.name == $a) | .verified')
    if [ "$(echo "$verified" | jq -r .verified)" = true ] && [ "$listed" = verified ]; then
      pass backup "$(secs "$t")" "$archive: $(echo "$verified" | jq -r .entries) entries, verified"
    else
      fail backup "$(secs "$t")" "$archive: verify answered $verified, listed as '$listed'"
    fi
  fi
fi

# --- 8. Prometheus scrapes every service ---------------------------------------------------------------------------
t=$(now)
targets() { curl -sf --max-time 10 "http://$prometheus/api/v1/targets?state=active" | jq -r '.data.activeTargets[] | "\(.labels.job)=\(.health)"' | sort | tr '\n' ' '; }
all_up() { local s; s=$(targets); [ -n "$s" ] && [[ $s != *"=down"* && $s != *"=unknown"* ]]; }
if wait_until 60 all_up; then
  pass prometheus "$(secs "$t")" "targets: $(targets)"
else
  fail prometheus "$(secs "$t")" "targets not all up after 60 s: $(targets)"
fi

# --- 9. down, volumes removed --------------------------------------------------------------------------------------
if [ -n "${STARGUIDE_SMOKE_KEEP:-}" ]; then
  exit "$failed"   # the clean-up says where the kept stack is and how to take it down
fi
mem=$(docker stats --no-stream --format '{{.MemUsage}}' $("${compose[@]}" ps -q) $(stack_containers) 2>/dev/null \
  | awk '{ v = $1; u = v; sub(/[0-9.]+/, "", u); sub(/[A-Za-z]+/, "", v); m = (u == "GiB" ? v * 1024 : u == "KiB" ? v / 1024 : v); s += m } END { printf "%.0f", s }')
say "memory of the stack before down: $mem MiB ($(( $("${compose[@]}" ps -q | wc -l) + $(stack_containers | wc -l) )) containers, docker stats)"
t=$(now)
"${compose[@]}" down -v --remove-orphans -t 60 >/dev/null 2>&1
down_done=true
# The scaler stops its instances as it stops; the containers it kept after a crash (RetainExited, for docker logs) are
# not compose's and go with docker rm.
running_pools=$(docker ps -q --filter "label=starguide.stack=$STARGUIDE_STACK" | wc -l)
kept=$(stack_containers)
[ -z "$kept" ] || docker rm -f -v $kept >/dev/null
left_pools=$(( running_pools + $(stack_containers | wc -l) ))
left_volumes=$(docker volume ls -q --filter "label=com.docker.compose.project=$STARGUIDE_STACK" | wc -l)
left_net=$(docker network ls -q --filter "name=^$STARGUIDE_STACK-pools\$" | wc -l)
if [ "$left_pools" -eq 0 ] && [ "$left_volumes" -eq 0 ] && [ "$left_net" -eq 0 ]; then
  pass down "$(secs "$t")" "containers, volumes and network removed; the scaler stopped its instances ($(echo "$kept" | wc -w) crashed one(s) it kept removed with docker rm)"
else
  fail down "$(secs "$t")" "left behind: $left_pools pool containers, $left_volumes volumes, $left_net networks"
  stack_down
fi
exit "$failed"
