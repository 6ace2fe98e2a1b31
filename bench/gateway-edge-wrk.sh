#!/usr/bin/env bash
# Requests/s through the gateway before and after the edge middleware (security headers, TLS redirect check, body
# limit, compression), in front of one fast upstream (nginx answering "ok" from memory). Run from the repository
# root:   bash bench/gateway-edge-wrk.sh [BASE_REVISION]    (default: the commit before the edge work, 4e5e54c)
# Both gateways are Release builds of this machine's SDK; the base revision is exported with `git archive` into a
# temporary folder (no worktree). wrk: 10 s, 2 threads, 50 connections, after a 10 s warm-up; every case ROUNDS
# times (default 3), interleaved, because the machine is shared and noisy: compare medians of one run.
# Needs nginx and wrk (apt-get install nginx wrk).
set -euo pipefail
base_rev=${1:-4e5e54c}
scratch=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  [ -f "$scratch/nginx/nginx.pid" ] && nginx -c "$scratch/nginx/nginx.conf" -p "$scratch/nginx" -s stop 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

upstream_port=$(free_port)
mkdir -p "$scratch/nginx"
cat >"$scratch/nginx/nginx.conf" <<CONF
worker_processes 1; error_log $scratch/nginx/error.log warn; pid $scratch/nginx/nginx.pid;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path $scratch/nginx; proxy_temp_path $scratch/nginx;
  fastcgi_temp_path $scratch/nginx; uwsgi_temp_path $scratch/nginx; scgi_temp_path $scratch/nginx;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$upstream_port; location / { default_type text/plain; return 200 "ok"; } } }
CONF
nginx -c "$scratch/nginx/nginx.conf" -p "$scratch/nginx"

git archive "$base_rev" | tar -x -C "$scratch" --one-top-level=base
dotnet build "$scratch/base/src/Gateway" -c Release -v q -nologo -o "$scratch/base-bin" >/dev/null
dotnet build src/Gateway -c Release -v q -nologo -o "$scratch/edge-bin" >/dev/null

start_gateway() { # name port bin_dir extra-args... (not in a subshell: the pid must reach the cleanup)
  local name=$1 port=$2 dir=$3; shift 3
  ASPNETCORE_URLS="http://127.0.0.1:$port" DOTNET_ENVIRONMENT=Production \
    dotnet "$dir/StarGuide.Gateway.dll" --ConnectionStrings:rabbitmq=amqp://guest:guest@127.0.0.1:1/ \
    --Pools:backend:Instances:0:Id=backend-1 --Pools:backend:Instances:0:Address="http://127.0.0.1:$upstream_port" \
    --Logging:LogLevel:Default=Warning "$@" >"$scratch/$name.log" 2>&1 &
  pids+=($!)
  until curl -sf -o /dev/null "http://127.0.0.1:$port/api/x"; do sleep 0.2; done
}

base_port=$(free_port); start_gateway base "$base_port" "$scratch/base-bin"
edge_port=$(free_port); start_gateway edge "$edge_port" "$scratch/edge-bin"
edge_nocomp_port=$(free_port)
start_gateway edge-nocomp "$edge_nocomp_port" "$scratch/edge-bin" --Gateway:Compression:Enabled=false

run() { # label port extra wrk args...
  local label=$1 port=$2; shift 2
  wrk -t2 -c50 -d10s "$@" "http://127.0.0.1:$port/api/hello" >/dev/null # warm-up (JIT, connection pools)
  local rps; rps=$(wrk -t2 -c50 -d10s "$@" "http://127.0.0.1:$port/api/hello" | awk '/Requests\/sec/ {print $2}')
  printf '%-58s %10s req/s\n' "$label" "$rps"
  printf '%s\t%s\n' "$label" "$rps" >>"$scratch/results.tsv"
}

echo "upstream: nginx on $upstream_port; base $base_rev; $(nproc) cores"
for round in $(seq "${ROUNDS:-3}"); do
  run "base ($base_rev)" "$base_port"
  run "edge, all on" "$edge_port"
  run "edge, all on, Accept-Encoding: gzip, br (2-byte body)" "$edge_port" -H "Accept-Encoding: gzip, br"
  run "edge, compression off" "$edge_nocomp_port"
done
echo "median of each case:"
sort -t$'\t' -k1,1 -k2,2n "$scratch/results.tsv" | awk -F'\t' '
  { v[$1] = v[$1] " " $2; n[$1]++ }
  END { for (k in v) { split(substr(v[k], 2), a, " "); printf "  %-56s %10s req/s (%d runs:%s)\n", k, a[int((n[k] + 1) / 2)], n[k], v[k] } }'
