#!/usr/bin/env bash
# CI: make a Docker engine answer for the docker driver's tests (Debian 12, root, no systemd, no registry).
# Installs docker.io and busybox-static when missing and starts dockerd in the background when no engine
# answers. Never fails the build: when the engine cannot start it says why, and the docker tests skip.
set -u

log_file="${STARGUIDE_DOCKERD_LOG:-${TMPDIR:-/tmp}/starguide-dockerd.log}"
wait_seconds="${STARGUIDE_DOCKERD_WAIT:-60}"

say() { echo "ci: docker: $*"; }

engine_answers() { timeout 10 docker info >/dev/null 2>&1; }

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static)
installed=""
if [ ${#missing[@]} -gt 0 ]; then
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >/dev/null 2>&1; then
    say "could not install ${missing[*]}; the docker tests will skip"
    exit 0
  fi
  installed="installed ${missing[*]}, "
fi

if engine_answers; then
  say "${installed}an engine already answers ($(docker version -f '{{.Server.Version}}' 2>/dev/null)); started nothing"
  exit 0
fi

if [ -n "${DOCKER_HOST:-}" ] && [ "${DOCKER_HOST#unix://}" = "$DOCKER_HOST" ]; then
  say "${installed}DOCKER_HOST=$DOCKER_HOST does not answer and is not a local socket; started nothing, the docker tests will skip"
  exit 0
fi
host="${DOCKER_HOST:-unix:///var/run/docker.sock}"

# Starts dockerd detached from this shell, so that it outlives the script; returns once it answers or died.
start_dockerd() {
  : >"$log_file"
  setsid dockerd -H "$host" "$@" >>"$log_file" 2>&1 </dev/null &
  local pid=$! waited=0
  while [ "$waited" -lt "$wait_seconds" ]; do
    engine_answers && { started_pid=$pid; return 0; }
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 1
    waited=$((waited + 1))
  done
  kill "$pid" 2>/dev/null
  return 1
}

started_pid=""
start_at=$(date +%s)
# Inside a container iptables may be unavailable; without it published loopback ports still work (docker-proxy).
if start_dockerd || start_dockerd --iptables=false --ip6tables=false; then
  # For .ci/run, which stops the engine it started once the tests are done.
  echo "$started_pid" >"${STARGUIDE_DOCKERD_PIDFILE:-${TMPDIR:-/tmp}/starguide-dockerd.pid}"
  say "${installed}started dockerd (pid $started_pid, $host, log $log_file), answering after $(( $(date +%s) - start_at )) s"
else
  say "${installed}dockerd did not answer within ${wait_seconds} s; the docker tests will skip. Last log lines:"
  tail -n 5 "$log_file" | sed 's/^/ci: docker:   /'
fi
exit 0
