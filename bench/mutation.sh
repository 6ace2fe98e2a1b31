#!/usr/bin/env bash
# Test strength, measured: mutation testing with Stryker.NET (the dotnet-stryker tool pinned in dotnet-tools.json) on
# the code whose correctness is logic rather than plumbing. Each module below is one Stryker run: the source files it
# mutates and the tests that must kill the mutants (a filter, so a run stays minutes, not hours). Writes each module's
# row (killed / survived / timeout / no coverage / score) into the table in docs/measurements.md ("Mutation testing")
# and the surviving mutants, one per line, to bench/results/mutation-<time>/<module>/survivors.txt.
#   bash bench/mutation.sh               every module
#   bash bench/mutation.sh scaler-planning gateway-retries
#   bash bench/mutation.sh --list        the modules
# Surviving mutants that no test can kill (equivalent mutants) are explained in docs/mutation-testing.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# name | source project | test project | files to mutate (globs, ';'-separated, relative to the source project) | tests
modules=(
  "scaler-planning|src/Scaler/StarGuide.Scaler.csproj|tests/StarGuide.Scaler.Tests|Planning/**/*.cs|FullyQualifiedName~Planning"
  "scaler-autoscaling|src/Scaler/StarGuide.Scaler.csproj|tests/StarGuide.Scaler.Tests|Autoscaling/AutoscaleEngine.cs;Autoscaling/AutoscalePolicies.cs|FullyQualifiedName~AutoscaleEngine"
  # gateway-ratelimiting mutates the decisions (the GCRA arithmetic, leases, the in-process fallback store, zones, the
  # options' validation, the 429) and runs the tests that need no server. Left out: the Redis plumbing (RedisGcraStore's
  # script call, RedisGcraBatcher, the health check), ClientRateLimiter's choice between Redis and the fallback, and the
  # DI wiring: their tests start Redis and a gateway (RedisGcraStoreTests, RedisOutageTests, GatewayRateLimitTests,
  # RateLimitLeaseThroughGatewayTests), ~20 s per mutant, two hours a run (the first run, every file: 54.9 %, 7618 s).
  "gateway-ratelimiting|src/Gateway/StarGuide.Gateway.csproj|tests/StarGuide.Gateway.Tests|RateLimiting/Gcra.cs;RateLimiting/InProcessGcraStore.cs;RateLimiting/RateLimitLease.cs;RateLimiting/RateLimitLeases.cs;RateLimiting/RateLimitZone.cs;RateLimiting/RateLimitingOptionsValidator.cs;RateLimiting/RateLimitRefusal.cs|FullyQualifiedName~RateLimiting&FullyQualifiedName!~RedisGcraStoreTests&FullyQualifiedName!~RedisOutageTests&FullyQualifiedName!~GatewayRateLimitTests&FullyQualifiedName!~RateLimitLeaseThroughGatewayTests"
  # gateway-frontdoor mutates the framing check, the reader that puts it in front of Kestrel and the refusal answers,
  # not FrontDoorExtensions / StrictHttp1UpgradeFeature / FrontDoorOptions: plumbing (Kestrel's options, a connection
  # middleware, a wrapper passing a 101 on) that only a gateway on Kestrel reaches. So it leaves out the tests that start
  # one (StrictFramingTests, StrictFramingOffTests, StrictFramingUpgradeTests: a gateway per mutant, ~100 min a run);
  # what they check of the module has fast tests of its own (Http1FramingValidatorTests, StrictHttp1PipeReaderTests).
  "gateway-frontdoor|src/Gateway/StarGuide.Gateway.csproj|tests/StarGuide.Gateway.Tests|FrontDoor/Http1FramingValidator*.cs;FrontDoor/StrictHttp1PipeReader.cs;FrontDoor/FrontDoorResponses.cs|FullyQualifiedName~FrontDoor&FullyQualifiedName!~StrictFraming"
  "gateway-loadbalancing|src/Gateway/StarGuide.Gateway.csproj|tests/StarGuide.Gateway.Tests|LoadBalancing/**/*.cs|FullyQualifiedName~LoadBalancing"
  "gateway-passivehealth|src/Gateway/StarGuide.Gateway.csproj|tests/StarGuide.Gateway.Tests|PassiveHealth/**/*.cs|FullyQualifiedName~PassiveHealth"
  "gateway-retries|src/Gateway/StarGuide.Gateway.csproj|tests/StarGuide.Gateway.Tests|Retries/**/*.cs|FullyQualifiedName~Retries"
  "gateway-clientaddress|src/Gateway/StarGuide.Gateway.csproj|tests/StarGuide.Gateway.Tests|ClientAddress/**/*.cs|FullyQualifiedName~ClientAddress"
  "backup-retention|src/BackupService/StarGuide.BackupService.csproj|tests/StarGuide.BackupService.Tests|Retention/**/*.cs|FullyQualifiedName~Retention"
  "backup-verification|src/BackupService/StarGuide.BackupService.csproj|tests/StarGuide.BackupService.Tests|Verification/**/*.cs|FullyQualifiedName~Verification"
  # backup-restore leaves out the restore tests that start RabbitMQ (RestoreOverHttpTests, BackupEndpointsTests: a
  # broker per mutant, ~100 s each, hours per run) or the built binary (CommandLineTests); what they check of the module
  # (target names, the lock, the HTTP policy) has fast tests of its own in tests/.../Restore.
  "backup-restore|src/BackupService/StarGuide.BackupService.csproj|tests/StarGuide.BackupService.Tests|Restore/**/*.cs|FullyQualifiedName~Restore&FullyQualifiedName!~RestoreOverHttpTests&FullyQualifiedName!~BackupEndpointsTests&FullyQualifiedName!~CommandLineTests"
)

if [ "${1:-}" = "--list" ]; then
  for m in "${modules[@]}"; do IFS='|' read -r name _ _ files filter <<<"$m"; echo "$name: $files ($filter)"; done
  exit 0
fi
selected=("$@")
for name in "${selected[@]}"; do
  printf '%s\n' "${modules[@]}" | grep -q "^$name|" || { echo "mutation: no module named '$name' (bash bench/mutation.sh --list)" >&2; exit 2; }
done

dotnet tool restore >/dev/null
out=$PWD/bench/results/mutation-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for m in "${modules[@]}"; do
  IFS='|' read -r name project tests files filter <<<"$m"
  if [ ${#selected[@]} -gt 0 ] && ! printf '%s\n' "${selected[@]}" | grep -qx "$name"; then continue; fi
  mutate=()
  IFS=';' read -ra globs <<<"$files"
  for g in "${globs[@]}"; do mutate+=(--mutate "$g"); done
  echo "== $name: $files"
  started=$(date +%s)
  # Stryker runs from the test project; --concurrency 2 is this machine's cores (MUTATION_CONCURRENCY to change it).
  (cd "$tests" && dotnet stryker --project "$(basename "$project")" "${mutate[@]}" --test-case-filter "$filter" \
    --concurrency "${MUTATION_CONCURRENCY:-2}" --reporter json --reporter html --reporter progress \
    --output "$out/$name" --skip-version-check) >"$out/$name.log" 2>&1 \
    || { echo "mutation: Stryker failed for $name (see $out/$name.log)" >&2; tail -20 "$out/$name.log" >&2; exit 1; }
  report=$(find "$out/$name" -name mutation-report.json | head -1)
  python3 - "$report" "$name" "$(( $(date +%s) - started ))" "$out/$name/survivors.txt" docs/measurements.md <<'PY'
import json, re, sys
report, name, seconds, survivors_path, doc = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
data = json.load(open(report))
counts = {}
survivors = []
for path, f in data["files"].items():
    for m in f["mutants"]:
        counts[m["status"]] = counts.get(m["status"], 0) + 1
        if m["status"] in ("Survived", "NoCoverage"):
            line = m["location"]["start"]["line"]
            survivors.append(f'{m["status"]}\t{path.split("/src/", 1)[-1]}:{line}\t{m["mutatorName"]}\t{m.get("replacement", "").splitlines()[0][:100] if m.get("replacement") else ""}')
k, s, t, n = (counts.get(x, 0) for x in ("Killed", "Survived", "Timeout", "NoCoverage"))
detected, total = k + t, k + s + t + n
score = 100.0 * detected / total if total else 0.0
open(survivors_path, "w").write("\n".join(survivors) + ("\n" if survivors else ""))
row = f"| {name} | {k} | {s} | {t} | {n} | {score:.1f} % | {seconds} s |"
print(row)
text = open(doc).read()
begin, end = "<!-- mutation-table:begin -->", "<!-- mutation-table:end -->"
head, rest = text.split(begin, 1)
table, tail = rest.split(end, 1)
rows = [r for r in table.strip().splitlines() if r.startswith("| ") and not r.startswith(f"| {name} |")]
header, body = rows[:1], rows[1:]
body.append(row)
body.sort(key=lambda r: r.split("|")[1].strip())
new = "\n".join(header + ["|---|---:|---:|---:|---:|---:|---:|"] + body)
open(doc, "w").write(head + begin + "\n" + new + "\n" + end + tail)
PY
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); reports in $out"
