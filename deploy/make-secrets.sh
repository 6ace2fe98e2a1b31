#!/usr/bin/env bash
# Creates the compose stack's secret files in DIR (default deploy/secrets), each a new random token, keeping any that
# exist: management-operate-token (scale pools, start/verify/restore backups) and management-read-token (/pools, the
# status page, /metrics; Prometheus scrapes with it), and rabbitmq-erlang-cookie (the secret the broker nodes of the
# `ha` profile share). docker-compose mounts them at /run/secrets/<name>.
#   deploy/make-secrets.sh [DIR]      then: STARGUIDE_SECRETS=DIR docker-compose -f deploy/compose.yaml ... up -d
set -euo pipefail
dir=${1:-$(dirname "$0")/secrets}
mkdir -p "$dir"
chmod 700 "$dir" # the folder guards them on the host; the files stay readable by the services' own users in their containers
for name in management-operate-token management-read-token rabbitmq-erlang-cookie; do
  if [ ! -s "$dir/$name" ]; then
    head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/$name"
    chmod 644 "$dir/$name"
  fi
done
echo "$dir"
