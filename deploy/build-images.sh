#!/usr/bin/env bash
# Builds every StarGuide image on the local Docker engine, from Debian's packages and this repository; nothing is pulled
# (no registry answers here). Cached: the base only when missing, each app published again only when its sources
# changed, and docker's layer cache for the rest, so a second run takes seconds.
#
#   deploy/build-images.sh             all images
#   deploy/build-images.sh --rebuild   publish everything again and build without docker's cache (the base stays)
#
# Images: starguide/base:bookworm, starguide/dotnet-deps:bookworm, starguide/{gateway,health-monitor,scaler,
# backup-service,sample-backend,sample-frontend,rabbitmq,redis,prometheus,docker-proxy,edge}:local.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
images="$repo/deploy/images"
staging="${STARGUIDE_IMAGE_STAGING:-$repo/deploy/.build}"
rebuild=false
case "${1:-}" in
  "") ;;
  --rebuild) rebuild=true ;;
  *) echo "build-images: unknown argument '$1' (only --rebuild)" >&2; exit 2 ;;
esac

say() { echo "build-images: $*"; }
started=$(date +%s.%N)
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }'; }

missing=()
command -v docker >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -qq -o DPkg::Lock::Timeout=300
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null
fi
if ! timeout 10 docker info >/dev/null 2>&1; then
  say "no Docker engine answers (DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock}); start one, e.g. with .ci/docker-engine.sh" >&2
  exit 1
fi

docker_build() { # image context dockerfile
  local image=$1 context=$2 dockerfile=$3 t out
  t=$(date +%s.%N)
  local args=(build --network host -t "$image" -f "$dockerfile")
  $rebuild && args+=(--no-cache)
  if ! out=$(docker "${args[@]}" "$context" 2>&1); then
    echo "$out" | tail -n 30 >&2
    say "building $image failed (above: the last lines of docker build)" >&2
    exit 1
  fi
  say "$image built in $(elapsed "$t")"
}

# 1. The base: a debootstrapped Debian, made only when the engine does not have it (~80 s and more on a busy machine).
if docker image inspect starguide/base:bookworm >/dev/null 2>&1; then
  say "starguide/base:bookworm is there (remove it to make it again)"
else
  t=$(date +%s.%N)
  bash "$images/base.sh" starguide/base:bookworm
  say "starguide/base:bookworm made in $(elapsed "$t")"
fi

# 2. The .NET runtime layer: the SDK's own shared runtimes (the apps are published framework-dependent against them).
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
runtime_version=$(dotnet --list-runtimes | awk '$1 == "Microsoft.AspNetCore.App" { v = $2 } END { print v }')
[ -n "$runtime_version" ] || { say "the SDK at $dotnet_root has no Microsoft.AspNetCore.App runtime" >&2; exit 1; }
deps="$staging/dotnet-deps"
if [ ! -f "$deps/.runtime-$runtime_version" ]; then
  rm -rf "$deps" && mkdir -p "$deps/dotnet/shared" "$deps/dotnet/host"
  cp -a "$dotnet_root/dotnet" "$dotnet_root/LICENSE.txt" "$dotnet_root/ThirdPartyNotices.txt" "$deps/dotnet/" 2>/dev/null || cp -a "$dotnet_root/dotnet" "$deps/dotnet/"
  cp -a "$dotnet_root/host/fxr" "$deps/dotnet/host/"
  for framework in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
    mkdir -p "$deps/dotnet/shared/$framework"
    cp -a "$dotnet_root/shared/$framework/$runtime_version" "$deps/dotnet/shared/$framework/"
  done
  touch "$deps/.runtime-$runtime_version"
fi
cp "$images/common/http-ok" "$deps/http-ok"
docker_build starguide/dotnet-deps:bookworm "$deps" "$images/dotnet-deps/Dockerfile"

# 3. The apps: published framework-dependent (Release) in one `dotnet publish` of deploy/images/apps.slnf, so the shared
# libraries build once, when any app's sources changed since its last publish; each app's output is then staged.
apps=(
  "gateway src/Gateway/StarGuide.Gateway.csproj"
  "health-monitor src/HealthMonitor/StarGuide.HealthMonitor.csproj"
  "scaler src/Scaler/StarGuide.Scaler.csproj"
  "backup-service src/BackupService/StarGuide.BackupService.csproj"
  "sample-backend samples/SampleBackend/StarGuide.SampleBackend.csproj"
  "sample-frontend samples/SampleFrontend/StarGuide.SampleFrontend.csproj"
)
# What a publish depends on: the project's folder, the shared libraries, the build settings and the SDK.
sources_hash() {
  local project_dir=$1
  {
    dotnet --version
    (cd "$repo" && find "$project_dir" src/ServiceDefaults src/Contracts Directory.Build.props Directory.Packages.props global.json \
      \( -name bin -o -name obj \) -prune -o -type f -print0 | sort -z | xargs -0 sha256sum)
  } | sha256sum | cut -d' ' -f1
}
publish_dir() { echo "$repo/$(dirname "$1")/bin/Release/net10.0/publish"; }
stale=()
declare -A hashes
for entry in "${apps[@]}"; do
  read -r name project <<<"$entry"
  hashes[$name]=$(sources_hash "$(dirname "$project")")
  if $rebuild || [ ! -f "$staging/$name.sources" ] || [ "$(cat "$staging/$name.sources")" != "${hashes[$name]}" ]; then
    stale+=("$name")
  fi
done
if [ ${#stale[@]} -gt 0 ]; then
  t=$(date +%s.%N)
  for entry in "${apps[@]}"; do read -r name project <<<"$entry"; rm -rf "$(publish_dir "$project")"; done
  if ! log=$(dotnet publish "$images/apps.slnf" -c Release -p:DebugType=none -p:GenerateDocumentationFile=false -nologo -v:q 2>&1); then
    echo "$log" | tail -n 30 >&2
    say "dotnet publish deploy/images/apps.slnf failed" >&2
    exit 1
  fi
  for entry in "${apps[@]}"; do
    read -r name project <<<"$entry"
    rm -rf "${staging:?}/$name"
    cp -a "$(publish_dir "$project")" "$staging/$name"
    # The image sets its own environment; development settings do not belong in it.
    rm -f "$staging/$name"/appsettings.Development.json "$staging/$name"/*.pdb
    echo "${hashes[$name]}" >"$staging/$name.sources"
  done
  say "published ${stale[*]} (all six in one run) in $(elapsed "$t")"
fi
for entry in "${apps[@]}"; do
  read -r name _ <<<"$entry"
  docker_build "starguide/$name:local" "$staging/$name" "$images/$name/Dockerfile"
done

# 4. The infrastructure images, from Debian's packages.
for name in rabbitmq redis prometheus docker-proxy edge; do
  docker_build "starguide/$name:local" "$images" "$images/$name/Dockerfile"
done

say "done in $(elapsed "$started")"
docker image ls --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' 'starguide/*' | sort | sed 's/^/build-images:   /'
