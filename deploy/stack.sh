# Sourced by deploy/smoke.sh and bench/compose-autoscaling.sh: the compose stack named $STARGUIDE_STACK.
# stack_compose REPO   sets the array `compose` to the compose command for deploy/compose.yaml (v2 when present, else
#                      Debian's docker-compose 1.29) and the stack's project name
# stack_containers     the pool containers the stack's scaler started (labelled starguide.stack=$STARGUIDE_STACK)
# stack_down           removes the stack, its volumes, the pool containers and the network, whatever state it is in

stack_compose() {
  if docker compose version >/dev/null 2>&1; then compose=(docker compose); else compose=(docker-compose); fi
  compose+=(-f "$1/deploy/compose.yaml" -p "$STARGUIDE_STACK")
}

stack_containers() { docker ps -aq --filter "label=starguide.stack=$STARGUIDE_STACK"; }

stack_down() {
  "${compose[@]}" down -v --remove-orphans -t 60 >/dev/null 2>&1
  # Pool containers are the scaler's, not compose's: it stops them as it stops, but one it kept after a crash remains.
  local left
  left=$(stack_containers)
  [ -z "$left" ] || docker rm -f -v $left >/dev/null 2>&1
  docker network rm "$STARGUIDE_STACK-pools" >/dev/null 2>&1 || true
}
