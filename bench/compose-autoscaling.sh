#!/usr/bin/env bash
# Autoscaling in the compose stack: the backend pool's containers scale on their own CPU, which the docker driver reads
# from the engine's container stats. Brings up deploy/compose.yaml as project "sgauto" with STARGUIDE_AUTOSCALE=true
# (CPU target CPU=30 % of one core unless given), waits for the idle pool to shrink to 1, sends CLIENTS=2 clients of
# CPU-burning requests (GET /api/work?burnMs=200, inside the api zone's 10 r/s) through the gateway for LOAD_SECONDS=75,
# prints the pool every 5 s, then waits up to SETTLE_SECONDS=330 for it to be back at 1 (the default scale-down policy
# removes one instance per 60 s), prints the scaler's decisions and takes the stack down (volumes too).
# Needs the images (bash deploy/build-images.sh) and an engine (.ci/docker-engine.sh starts one), jq and curl.
#   bash bench/compose-autoscaling.sh
set -uo pipefail
cd "$(dirname "$0")/.."
export RABBITMQ_PASSWORD=$(openssl rand -hex 16) REDIS_PASSWORD=$(openssl rand -hex 16)
export RABBITMQ_GATEWAY_PASSWORD=$(openssl rand -hex 16) RABBITMQ_HEALTH_MONITOR_PASSWORD=$(openssl rand -hex 16) \
  RABBITMQ_SCALER_PASSWORD=$(openssl rand -hex 16) RABBITMQ_BACKUP_SERVICE_PASSWORD=$(openssl rand -hex 16)
export DOCKER_GID=$(stat -c %g /var/run/docker.sock)
export STARGUIDE_SECRETS=$(mktemp -d) && deploy/make-secrets.sh "$STARGUIDE_SECRETS" >/dev/null
viewer=(-H "Authorization: Bearer $(cat "$STARGUIDE_SECRETS/management-read-token")")
export STARGUIDE_STACK=sgauto STARGUIDE_AUTOSCALE=true STARGUIDE_AUTOSCALE_CPU_PERCENT=${CPU:-30}
# Ports picked by the engine: nothing on the host is in the way.
export STARGUIDE_GATEWAY_PORT= STARGUIDE_GATEWAY_MANAGEMENT_PORT= STARGUIDE_SCALER_PORT= STARGUIDE_BACKUP_PORT= STARGUIDE_PROMETHEUS_PORT=
. deploy/stack.sh
stack_compose "$PWD"
load_seconds=${LOAD_SECONDS:-75} clients=${CLIENTS:-2}
ts() { date -u +%H:%M:%S; }
trap 'stack_down; rm -rf "$STARGUIDE_SECRETS"' EXIT
echo "commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%dT%H:%MZ), load before: $(cut -d' ' -f1-3 /proc/loadavg), CPU target $STARGUIDE_AUTOSCALE_CPU_PERCENT %"
t0=$(date +%s)
"${compose[@]}" up -d >/dev/null 2>&1 || { echo "compose up failed:"; "${compose[@]}" up -d; exit 1; }
gateway=$("${compose[@]}" port gateway 8080 | tail -n 1) scaler=$("${compose[@]}" port scaler 8080 | tail -n 1)
echo "$(ts) up in $(( $(date +%s) - t0 )) s; gateway $gateway, scaler $scaler"
pool() { curl -sf --max-time 10 "${viewer[@]}" "http://$scaler/pools" | jq -c '.[] | select(.pool == "backend") | {desired, ready, members: [.members[] | "\(.instanceId):\(.state)"]}'; }
until_pool() { # seconds jq-condition: true once the backend pool matches
  local t=$(date +%s)
  while [ $(( $(date +%s) - t )) -lt "$1" ]; do pool | jq -e "$2" >/dev/null 2>&1 && return 0; sleep 1; done
  return 1
}
until_pool 180 '.ready >= 2 and .ready == .desired' || { echo "the pool never had 2 ready instances: $(pool)"; exit 1; }
echo "$(ts) ready: $(pool)"
t=$(date +%s)
until_pool 150 '.desired == 1 and .ready == 1' || { echo "the idle pool did not shrink to 1: $(pool)"; exit 1; }
echo "$(ts) idle, shrunk to 1 after $(( $(date +%s) - t )) s"

ok=$(mktemp) failed=$(mktemp)
load_start=$(date +%s)
for _ in $(seq 1 "$clients"); do
  (
    end=$(( load_start + load_seconds ))
    while [ "$(date +%s)" -lt "$end" ]; do
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://$gateway/api/work?burnMs=200")
      [ "$code" = 200 ] && echo >>"$ok" || echo "$code" >>"$failed"
    done
  ) &
done
grown=""
while [ $(( $(date +%s) - load_start )) -lt "$load_seconds" ]; do
  p=$(pool)
  echo "$(ts) +$(( $(date +%s) - load_start )) s $p"
  [ -z "$grown" ] && echo "$p" | jq -e '.ready >= 2' >/dev/null 2>&1 && grown=$(( $(date +%s) - load_start ))
  sleep 5
done
wait
echo "$(ts) load over: $(wc -l <"$ok") answered 200, failed: $(wc -l <"$failed") $(sort "$failed" | uniq -c | tr -s ' \n' ' '); 2 ready after ${grown:-never} s"
t=$(date +%s)
if until_pool "${SETTLE_SECONDS:-330}" '.desired == 1 and .ready == 1'; then
  echo "$(ts) back to 1 ready $(( $(date +%s) - t )) s after the load stopped"
else
  echo "$(ts) not back to 1 after ${SETTLE_SECONDS:-330} s: $(pool)"
fi
rm -f "$ok" "$failed"
echo "the scaler's decisions:"
docker logs "$("${compose[@]}" ps -q scaler)" 2>&1 | grep -E "Pool backend: scale [0-9]+ → [0-9]+" | cut -c1-220 | sed 's/^ */  /'
