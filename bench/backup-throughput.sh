#!/usr/bin/env bash
# Backup throughput: the BackupService's command line (`backup`, Release build) against `tar czf` of the same tree.
# Generates a deterministic tree of about SIZE_MB (default 300) in a temp folder: many small text-like files (source
# code and JSON from a seeded generator, very compressible) and some larger semi-compressible binaries (random
# blocks interleaved with repeated runs, about half compressible), so gzip does real work on both kinds. Then, RUNS
# times (default 3), interleaved: one `backup` (write tar.gz + SHA-256 + manifest, fsync, verify by re-reading,
# rename) and one `tar czf` (gzip -6, the same level as .NET's CompressionLevel.Optimal); and one `verify` of the
# last archive, to show how much of the backup's time is the re-read. Page cache warm for both (one read before).
# Prints and writes bench/results/backup-throughput-<UTC time>.md (git-ignored): MB/s of source data per second of
# wall time, CPU seconds (user+sys), archive sizes, and the load average before and after (the machine is shared).
# Run from anywhere:
#   bash bench/backup-throughput.sh
# Options (environment): SIZE_MB=300 RUNS=3 KEEP_TREE=1 (keep the generated tree in $TMPDIR for another run).
# Needs python3 (the generator), tar, gzip, dotnet. Everything it creates is removed on exit, failure or Ctrl+C.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
size_mb=${SIZE_MB:-300}
runs=${RUNS:-3}
die() { echo "backup-throughput: $*" >&2; exit 1; }
for tool in python3 tar gzip dotnet /usr/bin/time; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/backup-bench.XXXXXX")
cleanup() { [ "${KEEP_TREE:-0}" = 1 ] && rm -rf "$work/out" || rm -rf "$work"; }
trap cleanup EXIT INT TERM
tree=$work/tree
mkdir -p "$tree" "$work/out"

echo "== generating ~${size_mb} MB in $tree"
python3 - "$tree" "$size_mb" <<'PY'
import os, random, sys
root, size_mb = sys.argv[1], int(sys.argv[2])
rng = random.Random(20261127)
words = ["def", "return", "self", "import", "class", "value", "config", "user", "token", "request", "response",
         "starguide", "backend", "frontend", "async", "await", "json", "status", "error", "cache", "for", "in",
         "if", "else", "None", "True", "False", "print", "data", "items", "key", "path", "=", "(", ")", ":", "{", "}"]
lines = [" " * (4 * rng.randrange(4)) + " ".join(rng.choice(words) for _ in range(rng.randrange(3, 12)))
         + (" # " + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(rng.randrange(0, 40))) if rng.random() < 0.3 else "")
         for _ in range(20000)]
text_budget = size_mb * 1024 * 1024 * 3 // 10      # 30 % many small text files
binary_budget = size_mb * 1024 * 1024 - text_budget  # 70 % larger semi-compressible files
written, n = 0, 0
while written < text_budget:
    folder = os.path.join(root, "app", f"pkg{n // 200:03d}", f"mod{n // 20 % 10}")
    os.makedirs(folder, exist_ok=True)
    body = ("\n".join(rng.choices(lines, k=rng.randrange(20, 250))) + "\n").encode()
    with open(os.path.join(folder, f"file{n:05d}.{rng.choice(['py', 'js', 'json', 'css', 'html'])}"), "wb") as f:
        f.write(body)
    written += len(body); n += 1
os.makedirs(os.path.join(root, "data"), exist_ok=True)
run = (" ".join(rng.choices(words, k=4000))).encode()[:16384]
written, m = 0, 0
while written < binary_budget:
    size = min(rng.randrange(2, 12) * 1024 * 1024, binary_budget - written)
    with open(os.path.join(root, "data", f"blob{m:03d}.bin"), "wb") as f:
        left = size
        while left > 0:
            block = rng.randbytes(16384) + run if rng.random() < 0.6 else run * 2
            f.write(block[:left]); left -= len(block[:left])
    written += size; m += 1
print(f"{n} text files, {m} binary files")
PY
src_bytes=$(du -sb "$tree" | cut -f1)
src_mb=$(echo "scale=1; $src_bytes / 1048576" | bc)
files=$(find "$tree" -type f | wc -l)
echo "== tree: $src_mb MB in $files files"

echo "== building the BackupService (Release)"
dotnet build "$repo/src/BackupService" -c Release -v q -nologo >/dev/null
dll=$repo/src/BackupService/bin/Release/net10.0/StarGuide.BackupService.dll
[ -f "$dll" ] || die "$dll was not built"

tar cf /dev/null -C / "${tree#/}"   # warm the page cache for both contenders
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
results=$work/results.tsv
: >"$results"
measure() { # name, command... -> appends "name wall user sys" to results
  local name=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >"$work/log" 2>&1 || { cat "$work/log" >&2; die "$name failed"; }
  echo "$name $(cat "$work/time")" >>"$results"
}
for i in $(seq 1 "$runs"); do
  echo "== run $i/$runs"
  rm -rf "$work/out/backups" "$work/out/tar.tar.gz"
  measure backup dotnet "$dll" backup --environment=Bench "--Backup:Sources:0:Path=$tree" \
    "--Backup:Destination=$work/out/backups" --Backup:Schedule= --Logging:LogLevel:Default=Warning
  measure tar tar czf "$work/out/tar.tar.gz" -C / "${tree#/}"
done
archive=$(ls "$work"/out/backups/starguide-backup-*.tar.gz)
measure verify dotnet "$dll" verify "$archive"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
backup_size=$(stat -c %s "$archive")
tar_size=$(stat -c %s "$work/out/tar.tar.gz")

report=$(awk -v mb="$src_mb" -v bsize="$backup_size" -v tsize="$tar_size" '
  { wall[$1] = wall[$1] " " $2; cpu[$1] = cpu[$1] " " ($3 + $4); n[$1]++ }
  function median(list,   a, k, i, j, t) { k = split(list, a, " ");
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
  END {
    printf "| case | runs | median wall s | MB/s | median CPU s (user+sys) | archive MB | all wall s |\n|---|---|---|---|---|---|---|\n"
    split("backup tar verify", order, " ")
    for (o = 1; o <= 3; o++) { c = order[o]; if (!(c in n)) continue
      size = c == "backup" || c == "verify" ? bsize : tsize
      printf "| %s | %d | %.2f | %.1f | %.2f | %.1f |%s |\n", c, n[c], median(wall[c]), mb / median(wall[c]), median(cpu[c]), size / 1048576, wall[c] }
  }' "$results")

mkdir -p "$repo/bench/results"
out=$repo/bench/results/backup-throughput-$(date -u +%Y%m%dT%H%M%SZ).md
{
  echo "# Backup throughput, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
  echo
  echo "Tree: $src_mb MB in $files files (generated, seed 20261127). Load average before: $load_before; after: $load_after."
  echo "backup = \`dotnet StarGuide.BackupService.dll backup\` (Release; includes start-up, fsync, verify-by-re-read, rename);"
  echo "tar = \`tar czf\` (gzip -6); verify = \`dotnet StarGuide.BackupService.dll verify\` of the backup's archive."
  echo
  echo "$report"
} | tee "$out"
echo "== written to $out"
