#!/usr/bin/env python3
"""The report of a chaos run (bench/chaos.sh): report.md and chaos.png in the run's folder; exit 1 when a target is missed.

usage: chaos-report.py <run folder> <seed> <rate> <targets: full | ci | none>
"""
import csv
import json
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

run, seed, rate, targets = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3]), sys.argv[4]
start_ms = int((run / "requests.csv.start").read_text())
requests = []
with open(run / "requests.csv") as f:
    for r in csv.DictReader(f):
        requests.append({
            "t": float(r["due_ms"]) / 1000, "kind": r["kind"], "status": int(r["status"]),
            "latency": float(r["latency_ms"]), "instance": r["instance"], "error": r["error"],
        })
faults = []
with open(run / "faults.csv") as f:
    for r in csv.DictReader(f):
        faults.append({
            "start": (int(r["start_ms"]) - start_ms) / 1000, "end": (int(r["end_ms"]) - start_ms) / 1000,
            "kind": r["kind"], "target": r["target"], "healed": r["healed"] == "1", "detail": r["detail"],
        })
pools = []
with open(run / "pools.csv") as f:
    for r in csv.DictReader(f):
        try:
            pools.append(((int(r["unix_ms"]) - start_ms) / 1000, *(int(r[k]) for k in
                          ("backend_desired", "backend_ready", "frontend_desired", "frontend_ready"))))
        except ValueError:
            pass  # the scaler did not answer (it was the fault)


def failed(r):
    return r["status"] == 0 or r["status"] >= 500


def fault_at(t):
    # A request counts for a fault from the moment the fault was injected until it healed, plus the request timeout
    # (10 s): one sent just before the end may still be waiting on what the fault did.
    for fault in faults:
        if fault["start"] <= t <= fault["end"] + 10:
            return fault
    return None


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def availability(rows):
    return 100.0 * sum(not failed(r) for r in rows) / len(rows) if rows else float("nan")


idempotent = [r for r in requests if r["kind"] != "post-api"]
posts = [r for r in requests if r["kind"] == "post-api"]
inside = [r for r in requests if fault_at(r["t"])]
outside = [r for r in requests if not fault_at(r["t"])]
lines = [f"Seed {seed}, {len(requests)} requests at {rate:g}/s over {requests[-1]['t']:.0f} s, {len(faults)} faults.", ""]
lines += ["| requests | count | failed (5xx or no answer) | 429 | availability |", "|---|---:|---:|---:|---:|"]
for name, rows in (("idempotent (GET /api, /static, /)", idempotent), ("non-idempotent (POST /api)", posts), ("all", requests)):
    lines.append(f"| {name} | {len(rows)} | {sum(map(failed, rows))} | {sum(r['status'] == 429 for r in rows)} | {availability(rows):.3f} % |")
lines += ["", "| latency from when due (ms) | requests | p50 | p95 | p99 | max |", "|---|---:|---:|---:|---:|---:|"]
for name, rows in (("outside fault windows", outside), ("inside fault windows", inside), ("all", requests)):
    lat = [r["latency"] for r in rows if not failed(r)]
    lines.append(f"| {name} | {len(rows)} | {pct(lat, 50):.1f} | {pct(lat, 95):.1f} | {pct(lat, 99):.1f} | {max(lat, default=float('nan')):.1f} |")

failures_by_fault = Counter()
for r in requests:
    if failed(r):
        fault = fault_at(r["t"])
        failures_by_fault[(fault["kind"], fault["target"], round(fault["start"])) if fault else ("none", "", 0)] += 1
lines += ["", "| fault | target | at (s) | healed in (s) | failed requests | detail |", "|---|---|---:|---:|---:|---|"]
for fault in faults:
    failures = failures_by_fault.get((fault["kind"], fault["target"], round(fault["start"])), 0)
    heal = f"{fault['end'] - fault['start']:.1f}" if fault["healed"] else f"NOT ({fault['end'] - fault['start']:.0f})"
    lines.append(f"| {fault['kind']} | {fault['target']} | {fault['start']:.0f} | {heal} | {failures} | {fault['detail']} |")
if failures_by_fault.get(("none", "", 0)):
    lines.append(f"| (no fault) | | | | {failures_by_fault[('none', '', 0)]} | |")
errors = Counter((r["kind"], r["status"], r["error"]) for r in requests if failed(r))
if errors:
    lines += ["", "Failed requests by kind, status and error: " + ", ".join(f"{k[0]} {k[1]} {k[2]}: {n}" for k, n in errors.most_common())]

heal_by_kind = defaultdict(list)
for fault in faults:
    if fault["healed"]:
        heal_by_kind[fault["kind"]].append(fault["end"] - fault["start"])
lines += ["", "| fault kind | count | heal min (s) | median | max |", "|---|---:|---:|---:|---:|"]
for kind, times in sorted(heal_by_kind.items()):
    lines.append(f"| {kind} | {len(times)} | {min(times):.1f} | {statistics.median(times):.1f} | {max(times):.1f} |")

# Distribution: in each 10-s bucket that no fault window touches, each instance's share of its pool's answers against
# an even split among the instances that answered in it.
buckets = defaultdict(Counter)
for r in requests:
    if not failed(r) and r["instance"] and not fault_at(r["t"]) and not fault_at(r["t"] + 10) and not fault_at(r["t"] - 10):
        pool = "backend" if r["kind"].endswith("api") else "frontend"
        buckets[(pool, int(r["t"] // 10))][r["instance"]] += 1
deviations = defaultdict(list)
for (pool, _), counts in buckets.items():
    if len(counts) < 2 or sum(counts.values()) < 50:
        continue
    mean = sum(counts.values()) / len(counts)
    deviations[pool].append(max(abs(n / mean - 1) for n in counts.values()) * 100)
lines += ["", "| distribution (10-s buckets outside faults) | buckets | within ±10 % | median worst deviation | max |", "|---|---:|---:|---:|---:|"]
for pool, devs in sorted(deviations.items()):
    lines.append(f"| {pool} | {len(devs)} | {sum(d <= 10 for d in devs)} | {statistics.median(devs):.1f} % | {max(devs):.1f} % |")

# Events, from the broker: the audit queue's copy of every event published during the run, and what each queue held
# at the end (a message still there, or moved to an _error or _skipped queue, is one a consumer did not take).
audited = []
if (run / "audit.jsonl").exists():
    audited = [json.loads(line) for line in (run / "audit.jsonl").read_text().splitlines() if line.strip()]
queues, unanswered = [], False
if (run / "queues.txt").exists():
    unanswered = "badrpc" in (run / "queues.txt").read_text()
    for line in (run / "queues.txt").read_text().splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[1].isdigit():
            queues.append({"name": parts[0], "messages": int(parts[1]), "unacked": int(parts[2]), "consumers": int(parts[3])})
by_type = Counter(e["type"] for e in audited)
ids = Counter(e["messageId"] for e in audited)
lines += ["", "Events the broker took during the run (its own copy, bench/EventAudit), by type and publisher:", "",
          "| event | published | distinct message ids | publishers (host: count) |", "|---|---:|---:|---|"]
for kind, count in sorted(by_type.items()):
    hosts = Counter(e["host"] for e in audited if e["type"] == kind)
    distinct = len({e["messageId"] for e in audited if e["type"] == kind})
    lines.append(f"| {kind} | {count} | {distinct} | {', '.join(f'{h}: {n}' for h, n in hosts.most_common())} |")
service_queues = [q for q in queues if not q["name"].endswith(("_error", "_skipped"))]
# A queue without a consumer at the end belongs to a process that is gone: each gateway and monitor process has a queue
# of its own (named by host and process), which outlives a crash for an hour, and the process that replaces it starts
# with a new queue and the scaler's next snapshot. What such a queue holds was meant for the dead process only.
orphans = [q for q in service_queues if q["consumers"] == 0]
service_queues = [q for q in service_queues if q["consumers"] > 0]
left = [q for q in service_queues if q["messages"] or q["unacked"]]
faulted = [q for q in queues if q["name"].endswith(("_error", "_skipped")) and q["messages"]]
lines += ["", f"Queues at the end: {len(service_queues)} with a consumer, "
          f"{sum(q['messages'] + q['unacked'] for q in service_queues)} messages left in them"
          + (" (" + ", ".join(f"{q['name']}: {q['messages']} + {q['unacked']} unacked, {q['consumers']} consumers" for q in left) + ")" if left else "")
          + f"; {sum(q['messages'] for q in faulted)} in _error/_skipped queues"
          + (" (" + ", ".join(f"{q['name']}: {q['messages']}" for q in faulted) + ")" if faulted else "") + "."
          + (" NOT EVERY QUEUE ANSWERED the listing (rabbitmqctl: badrpc, unresponsive queues): those are not counted." if unanswered else "")]
if orphans:
    lines += ["", f"Queues of processes that are gone (no consumer; a crashed replica's, expiring an hour after it): "
              + ", ".join(f"{q['name']}: {q['messages']}" for q in orphans) + "."]
events = (run / "events.txt").read_text() if (run / "events.txt").exists() else ""
lines += ["", "The services' own MassTransit counters as Prometheus kept them (a crashed process loses its last unscraped "
          "increments, and replicas of one service share a target: a cross-check, not the count):", "", "```", events.strip(), "```"]
backups, verified = [], {}
try:
    backups = json.loads((run / "backups.json").read_text())
    for line in (run / "backups-verified.txt").read_text().splitlines():
        name, _, status = line.partition(" ")
        verified[name] = status
except (ValueError, OSError):
    pass
asked = [f["detail"].split()[1] for f in faults if f["detail"].startswith("backup ")]
lines += ["", f"Backups: {len(asked)} asked for during faults ({sum(a != 'refused' for a in asked)} accepted), "
          f"{len(backups)} listed after the run (one more asked for after it), "
          f"{sum(s == '200' for s in verified.values())} of them verified again at the end"
          + ("; FAILED verification: " + ", ".join(f"{n} ({s})" for n, s in verified.items() if s != "200") if any(s != "200" for s in verified.values()) else "") + "."]

checks = []
if targets != "none":
    # CI's minute: its "outside fault windows" is the stack's first seconds after a short warm-up, JIT still cold, on a
    # machine that has just built and run everything else; there the latency target only catches something gone badly
    # wrong (680 ms was seen at load average 10).
    need_idempotent, need_posts, need_p95 = (99.99, 99.9, 200.0) if targets == "full" else (99.5, 99.0, 1000.0)
    checks.append((availability(idempotent) >= need_idempotent, f"idempotent availability {availability(idempotent):.3f} % >= {need_idempotent} %"))
    checks.append((availability(posts) >= need_posts, f"non-idempotent availability {availability(posts):.3f} % >= {need_posts} %"))
    p95 = pct([r["latency"] for r in outside if not failed(r)], 95)
    checks.append((p95 < need_p95, f"p95 outside fault windows {p95:.1f} ms < {need_p95:g} ms"))
    checks.append((all(f["healed"] for f in faults), f"every fault healed ({sum(f['healed'] for f in faults)} of {len(faults)})"))
    checks.append((bool(audited) and bool(queues) and not unanswered and not left and not faulted,
                   f"every event the broker took consumed: {len(audited)} audited, {sum(q['messages'] + q['unacked'] for q in left)} left in queues, "
                   f"{sum(q['messages'] for q in faulted)} faulted or skipped"))
    checks.append((bool(verified) and all(s == "200" for s in verified.values()),
                   f"every backup listed verifies ({sum(s == '200' for s in verified.values())} of {len(verified)})"))
    lines += ["", "Targets (" + targets + "):"] + [f"- {'met' if ok else 'MISSED'}: {text}" for ok, text in checks]
(run / "report.md").write_text("\n".join(lines) + "\n")
print("\n".join(lines))

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    seconds = int(max(r["t"] for r in requests)) + 1
    ok, bad, p50, p99 = [0] * seconds, [0] * seconds, [], []
    per_second = defaultdict(list)
    for r in requests:
        s = int(r["t"])
        (bad if failed(r) else ok)[s] += 1
        if not failed(r):
            per_second[s].append(r["latency"])
    figure, (load, latency, size) = plt.subplots(3, 1, sharex=True, figsize=(14, 9))
    load.plot(range(seconds), ok, lw=0.8, label="answered / s")
    load.bar(range(seconds), bad, color="red", width=1.0, label="failed / s")
    load.set_ylabel("requests / s")
    load.legend(loc="upper right")
    xs = sorted(per_second)
    latency.plot(xs, [pct(per_second[s], 50) for s in xs], lw=0.8, label="p50")
    latency.plot(xs, [pct(per_second[s], 99) for s in xs], lw=0.8, label="p99")
    latency.set_yscale("log")
    latency.set_ylabel("latency from due (ms)")
    latency.legend(loc="upper right")
    if pools:
        t = [p[0] for p in pools]
        size.step(t, [p[1] for p in pools], where="post", label="backend desired")
        size.step(t, [p[2] for p in pools], where="post", label="backend ready")
        size.step(t, [p[3] for p in pools], where="post", label="frontend desired", ls="--")
        size.step(t, [p[4] for p in pools], where="post", label="frontend ready", ls="--")
    size.set_ylabel("instances")
    size.set_xlabel("seconds since the load began")
    size.legend(loc="upper right")
    for fault in faults:
        for axis in (load, latency, size):
            axis.axvspan(fault["start"], fault["end"], color="orange" if fault["healed"] else "red", alpha=0.2)
        load.annotate(fault["kind"], (fault["start"], 0), xytext=(2, 2), textcoords="offset points", rotation=90, fontsize=7)
    figure.suptitle(f"StarGuide Edge chaos run, seed {seed}, {rate:g} requests/s")
    figure.tight_layout()
    figure.savefig(run / "chaos.png", dpi=90)
except ImportError:
    print("chaos-report: no matplotlib, no plot")

sys.exit(0 if all(ok for ok, _ in checks) else 1)
