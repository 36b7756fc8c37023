#!/usr/bin/env python3
"""Prints the Markdown ratio table (ours / baseline, error bars propagated from JMH's 99.9% score errors) and the
machine and JVM details for a JMH JSON result file:
report.py <results.json> <mode> [verify.properties] [durable-latency.json] [verify-process.md] [everycall.txt].
Rows with a target (issue 16's) come first, in one table with a verdict each; the other comparisons follow."""
import json, math, os, platform, re, subprocess, sys

path, mode = sys.argv[1], sys.argv[2]
props_path = sys.argv[3] if len(sys.argv) > 3 else "audit-benchmarks/target/bench-data/verify-log/verify.properties"
durable_path = sys.argv[4] if len(sys.argv) > 4 else None
process_path = sys.argv[5] if len(sys.argv) > 5 else None
everycall_path = sys.argv[6] if len(sys.argv) > 6 else None
runs = json.load(open(path))

TO_PER_S = {"ops/s": 1, "ops/ms": 1e3, "ops/us": 1e6, "ops/ns": 1e9}
TO_US = {"s/op": 1e6, "ms/op": 1e3, "us/op": 1, "ns/op": 1e-3}


def num(x):
    try:
        x = float(x)
        return x if math.isfinite(x) else float("nan")
    except (TypeError, ValueError):
        return float("nan")


class R:
    """One metric: value and 99.9% error half-width, in a common unit."""
    def __init__(self, v, e):
        self.v, self.e = v, e


index = {}
for r in runs:
    name = r["benchmark"].rsplit(".", 2)
    key = (name[-2] + "." + name[-1], r["mode"], int(r.get("threads", 1)),
           tuple(sorted((r.get("params") or {}).items())))
    index[key] = r


def find(bench, mode="thrpt", threads=1, **params):
    want = tuple(sorted((k, str(v)) for k, v in params.items()))
    for (b, m, t, p), r in index.items():
        if b == bench and m == mode and t == threads and all(kv in p for kv in want):
            return r
    return None


def thrpt(bench, threads=1, **params):
    r = find(bench, "thrpt", threads, **params)
    if not r:
        return None
    pm = r["primaryMetric"]
    f = TO_PER_S[pm["scoreUnit"]]
    return R(num(pm["score"]) * f, num(pm["scoreError"]) * f)


def sample(bench, stat, **params):
    r = find(bench, "sample", 1, **params)
    if not r:
        return None
    pm = r["primaryMetric"]
    f = TO_US[pm["scoreUnit"]]
    if stat == "mean":
        return R(num(pm["score"]) * f, num(pm["scoreError"]) * f)
    return R(num(pm["scorePercentiles"][stat]) * f, float("nan"))


def alloc(bench, **params):
    r = find(bench, "thrpt", 1, **params)
    if not r:
        return None
    m = (r.get("secondaryMetrics") or {}).get("·gc.alloc.rate.norm") or (r.get("secondaryMetrics") or {}).get("gc.alloc.rate.norm")
    return R(num(m["score"]), num(m["scoreError"])) if m else None


def ratio(a, b):
    if a is None or b is None or not b.v:
        return None
    v = a.v / b.v
    ra = a.e / a.v if a.v else float("nan")
    rb = b.e / b.v if b.v else float("nan")
    return R(v, v * math.sqrt(ra * ra + rb * rb))


def fmt(x, digits=2):
    if x is None:
        return "n/a"
    if math.isnan(x.e):
        return f"{x.v:.{digits}f} ± ?"
    return f"{x.v:.{digits}f} ± {x.e:.{digits}f}"


def big(x):
    if x is None:
        return "n/a"
    e = "?" if math.isnan(x.e) else f"{x.e:,.0f}"
    return f"{x.v:,.0f} ± {e}"


rows = []  # (what, ours, baseline, ratio, target, verdict)


def add(what, a, b, target=None, higher_is_better=True, lat=False):
    rt = ratio(a, b)
    verdict = ""
    if target is not None and rt is not None:
        # Judged on the point estimate; "within noise" when the error bar straddles the target.
        lo, hi = (rt.v - rt.e, rt.v + rt.e) if not math.isnan(rt.e) else (float("nan"), float("nan"))
        ok = rt.v >= target if higher_is_better else rt.v <= target
        sure = (lo >= target if higher_is_better else hi <= target) if ok else \
            (hi < target if higher_is_better else lo > target)
        note = " (no error bar)" if math.isnan(rt.e) else "" if sure else " (within noise)"
        verdict = ("met" if ok else "MISSED") + note + \
            f" ({'≥' if higher_is_better else '≤'} {target})"
    show = (lambda x: fmt(x, 3) + " µs") if lat else big
    rows.append((what, show(a), show(b), fmt(rt), verdict))


RB = "RecordBench."
# Every RecordBench/SpacedRecordBench call builds a fresh event (ours) or StringMapMessage (Log4j2) with the same
# ten fields inside the measured call.
for sink, base, label in (("auditlogFileSink", "log4j2RandomAccessFile", "file (NONE) vs Log4j2 async JSON → RandomAccessFile"),
                          ("auditlogNoopSink", "log4j2NoopAppender", "no-op sink vs Log4j2 async JSON → no-op appender")):
    add(f"record() back-to-back → {label}: p50", sample(RB + sink, "50.0"), sample(RB + base, "50.0"), 1.0, False, True)
    add(f"record() back-to-back → {label}: mean", sample(RB + sink, "mean"), sample(RB + base, "mean"), 1.0, False, True)
    add(f"record() back-to-back → {label}: p99", sample(RB + sink, "99.0"), sample(RB + base, "99.0"), 1.0, False, True)
SP = "SpacedRecordBench."
for gap in (50, 1000):
    ours, theirs = sample(SP + "auditlogFileSink", "50.0", gapMicros=gap), sample(SP + "log4j2RandomAccessFile", "50.0", gapMicros=gap)
    add(f"record() spaced {gap} µs apart → file vs Log4j2 → file: p50 (target also ≤ 3 µs: "
        f"{'met' if ours and ours.v <= 3 else 'MISSED' if ours else 'n/a'})", ours, theirs, 0.5, False, True)
    add(f"record() spaced {gap} µs apart: mean", sample(SP + "auditlogFileSink", "mean", gapMicros=gap),
        sample(SP + "log4j2RandomAccessFile", "mean", gapMicros=gap), 1.0, False, True)
    add(f"record() spaced {gap} µs apart: p99", sample(SP + "auditlogFileSink", "99.0", gapMicros=gap),
        sample(SP + "log4j2RandomAccessFile", "99.0", gapMicros=gap), 1.0, False, True)
add("record() → file (NONE): throughput vs Logback AsyncAppender → JsonEncoder file",
    thrpt(RB + "auditlogFileSink"), thrpt(RB + "logbackAsyncFile"))
FS = "FileSinkBench.record"
none = thrpt(FS, durability="NONE")
add("file sink NONE, sustained (FileSinkBench) vs Log4j2 async JSON → RandomAccessFile",
    none, thrpt(RB + "log4j2RandomAccessFile"), 1.2)
# LOSS lines in the run's text log: at several producer threads Log4j2 delivers fewer events than were logged
# (RecordBench.Log4j.lossReported). Its throughput counts calls; "delivered" scales it by the fraction delivered.
losses = {}
txt_path = os.path.splitext(path)[0] + ".txt"
if os.path.exists(txt_path):
    bench, threads = None, 1
    for line in open(txt_path, errors="replace"):
        if line.startswith("# Benchmark: "):
            parts = line.split()[-1].rsplit(".", 2)
            bench = parts[-2] + "." + parts[-1]
        elif line.startswith("# Threads: "):
            threads = int(line.split()[2])
        m = re.search(r"LOSS: .* delivered (\d+) of (\d+) logged", line)
        if m and bench:
            losses.setdefault((bench, threads), []).append(int(m.group(1)) / int(m.group(2)))


def delivered(bench, threads):
    r = thrpt(bench, threads)
    f = losses.get((bench, threads))
    if r is None or not f:
        return r
    k = sum(f) / len(f)
    return R(r.v * k, r.e * k)


for t in (1, 2, 4, 8):
    for ours_b, ours, base_b, label in (
            (RB + "auditlogNoopSink", thrpt(RB + "auditlogNoopSink", t), RB + "log4j2NoopAppender", "record() → no-op vs Log4j2 → no-op appender"),
            (RB + "auditlogFileSink", thrpt(RB + "auditlogFileSink", t), RB + "log4j2RandomAccessFile", "record() → file vs Log4j2 → RandomAccessFile"),
            (FS, thrpt(FS, t, durability="NONE"), RB + "log4j2RandomAccessFile", "FileSinkBench NONE vs Log4j2 → RandomAccessFile")):
        f = losses.get((base_b, t))
        if f:
            add(f"{t} producer threads: {label}, calls/s (Log4j2 delivered only {100 * sum(f) / len(f):.0f}% of its calls)",
                ours, thrpt(base_b, t))
            add(f"{t} producer threads: {label}, events delivered/s", ours, delivered(base_b, t), 1.0)
        else:
            add(f"{t} producer thread(s): {label} (throughput)", ours, thrpt(base_b, t), 1.0)
add("cost of integrity: file sink with signed checkpoints every 1000 + anchor vs without (IntegrityBench)",
    thrpt("IntegrityBench.record", checkpoints="on"), thrpt("IntegrityBench.record", checkpoints="off"), 0.95)
add("file sink NONE vs raw limit (jackson → SHA-256 → FileChannel, 1 thread)",
    none, thrpt("RawLimitBench.serialiseHashWrite"), 0.8)
add("file sink GROUP_COMMIT vs file sink NONE", thrpt(FS, durability="GROUP_COMMIT"), none, 0.8)
add("file sink INTERVAL (1 s) vs file sink NONE", thrpt(FS, durability="INTERVAL"), none)
add("file sink EVERY_RECORD vs file sink NONE", thrpt(FS, durability="EVERY_RECORD"), none)
add("verify: FileLogVerifier + ChainVerifier vs raw SHA-256 of the same bytes (records/s)",
    thrpt("VerifyBench.fileLogVerifier"), thrpt("VerifyBench.rawSha256"), 0.8)
for db in ("postgresql", "mariadb", "h2"):
    for batch in (1, 100, 1000):
        a, b = thrpt("JdbcBench.jdbcAuditSink", db=db, batch=batch), thrpt("JdbcBench.handWrittenBatch", db=db, batch=batch)
        if a is None and b is None:
            continue
        scale = lambda x: None if x is None else R(x.v * batch, x.e * batch)
        add(f"JDBC {db}, batch {batch}: JdbcAuditSink vs hand-written executeBatch (rows/s)",
            scale(a), scale(b), {"postgresql": 1.0 if batch > 1 else None, "mariadb": 0.9}.get(db))
        if db == "postgresql":
            add(f"JDBC postgresql, batch {batch}: JdbcAuditSink vs COPY (rows/s)",
                scale(a), scale(thrpt("JdbcCopyBench.copyIn", batch=batch)))
KB = "KafkaBench."
for batch in (100, 1000):
    add(f"Kafka, batch {batch}: KafkaAuditSink vs a raw idempotent KafkaProducer of the same bytes (records/s)",
        (lambda x: None if x is None else R(x.v * batch, x.e * batch))(thrpt(KB + "kafkaAuditSink", batch=batch)),
        (lambda x: None if x is None else R(x.v * batch, x.e * batch))(thrpt(KB + "rawProducer", batch=batch)), 0.8)
add("protection: the five built-in detection rules on vs off (records/s, record + evaluate)",
    thrpt("ProtectionBench.recordAndEvaluate", rules="on"), thrpt("ProtectionBench.recordAndEvaluate", rules="off"))
CB = "CryptoBench."
for size in sorted({dict(p).get("size") for (b, m, t, p) in index if b.startswith(CB)} - {None}, key=int):
    add(f"SHA-256 of {size} B: JDK vs BouncyCastle", thrpt(CB + "jdkSha256", size=size), thrpt(CB + "bcSha256", size=size))
add("Ed25519 sign (256 B): JDK vs BouncyCastle", thrpt(CB + "jdkEd25519Sign"), thrpt(CB + "bcEd25519Sign"))
add("Ed25519 verify (256 B): JDK vs BouncyCastle", thrpt(CB + "jdkEd25519Verify"), thrpt(CB + "bcEd25519Verify"))

print(f"## Ratios ({mode} run)\n")
print("Throughput rows: ops/s (higher is better); latency rows: µs/op from SampleTime (lower is better). "
      "Errors are JMH's 99.9% confidence half-widths, propagated in quadrature; percentiles carry none (± ?). "
      "A verdict is judged on the point estimate; \"within noise\" when the error bar straddles the target.\n")
for title, chosen in (("### Targets\n", [r for r in rows if r[4]]), ("### Other comparisons\n", [r for r in rows if not r[4]])):
    print(title)
    print("| comparison | ours | baseline | ratio (ours ÷ baseline) | target |")
    print("|---|---:|---:|---:|---|")
    for r in chosen:
        print("| " + " | ".join(r) + " |")
    print()
for batch in (100, 1000):
    r = find("KafkaBench.collectorIntoStore", "thrpt", 1, batch=batch)
    m = r and (r.get("secondaryMetrics") or {}).get("records")
    if m:
        f = TO_PER_S.get(m["scoreUnit"], float("nan"))
        print(f"Kafka collector, batch {batch}: {num(m['score']) * f:,.0f} ± {num(m['scoreError']) * f:,.0f} records/s "
              f"consumed, verified and stored in PostgreSQL (KafkaBench.collectorIntoStore; no baseline).\n")
if everycall_path and os.path.exists(everycall_path):
    import re
    print("### record() with every call timed (AlternatingLatency)\n")
    print("Ours and Log4j2 (file, a fresh event or message per call) in one JVM, in alternating rounds, every call "
          "timed with `System.nanoTime`; the rounds after the first two pooled. Not JMH's SampleTime, which times "
          "every 2^k-th call of an iteration and so sees the callers' run of work (every 16th call) in all or none "
          "of its samples.\n")
    print("| gap | calls a side | ours p50 / mean / p99 (µs) | Log4j2 p50 / mean / p99 (µs) | ratio p50 | ratio mean "
          "| ratio p99 |\n|---|---:|---|---|---:|---:|---:|")
    pat = re.compile(r"summary gap (\d+) µs, (\d+) calls a side: ours p50 ([\d.]+) mean ([\d.]+) p99 ([\d.]+) µs \|"
                     r" log4j2 p50 ([\d.]+) mean ([\d.]+) p99 ([\d.]+) µs \| ratio p50 ([\d.]+) mean ([\d.]+)"
                     r" p99 ([\d.]+)")
    for line in open(everycall_path):
        m = pat.search(line)
        if m:
            g = m.groups()
            target = "≤ 1.0" if g[0] == "0" else "≤ 0.5"
            verdict = "met" if float(g[8]) <= (1.0 if g[0] == "0" else 0.5) else "MISSED"
            print(f"| {g[0]} µs | {int(g[1]):,} | {g[2]} / {g[3]} / {g[4]} | {g[5]} / {g[6]} / {g[7]} | {g[8]} "
                  f"({target}: {verdict}) | {g[9]} | {g[10]} |")
    print()
if process_path and os.path.exists(process_path):
    print("### Whole-process verify (verify-process.sh)\n")
    print("| log | openssl | auditlog verify | ratio | cores |\n|---|---:|---:|---|---:|")
    for line in open(process_path):
        if line.startswith("| whole-process"):
            print(line.rstrip())
    print()

ours_alloc, event_alloc = alloc(RB + "auditlogNoopSink"), alloc(RB + "buildEvent")
print("### Allocation per record() (gc.alloc.rate.norm, B/op)\n")
print("| benchmark | B/op |\n|---|---:|")
for b in ("auditlogNoopSink", "auditlogFileSink", "log4j2NoopAppender", "log4j2RandomAccessFile", "logbackAsyncFile",
          "buildEvent", "buildMessage"):
    print(f"| RecordBench.{b} | {fmt(alloc(RB + b), 0)} |")
if ours_alloc and event_alloc:
    extra = ours_alloc.v - event_alloc.v
    print(f"\nWith `-prof gc` (both threads: the caller's and the dispatcher's) record() to the no-op sink allocates "
          f"{ours_alloc.v:.0f} B/op, building the event {event_alloc.v:.0f} B: the event + {extra:.0f} B, most of it on "
          f"the dispatcher. The target (the event + 64 B on the caller's thread) is measured by `CallerAllocation`.")

if os.path.exists(props_path):
    p = dict(l.strip().split("=", 1) for l in open(props_path) if "=" in l and not l.startswith("#"))
    bpr = int(p["bytes"]) / int(p["records"])
    v, raw = thrpt("VerifyBench.fileLogVerifier"), thrpt("VerifyBench.rawSha256")
    if v and raw:
        # the benchmark counts 100000 records per pass; the log holds p["records"] (with checkpoints and start/stop)
        scale = int(p["records"]) / 100000
        print(f"\nVerify: {int(p['bytes']) / 1e6:.1f} MB, {p['records']} records ({bpr:.0f} B/record): "
              f"FileLogVerifier {v.v * scale:,.0f} records/s = {v.v * scale * bpr / 1e6:.1f} MB/s; "
              f"raw SHA-256 {raw.v * scale * bpr / 1e6:.1f} MB/s.")


if durable_path and os.path.exists(durable_path):
    d = json.load(open(durable_path))
    f50, f99 = d["fsync_us"]["p50"], d["fsync_us"]["p99"]
    target = 2000 + 2 * f50
    p99 = d["durable_us"]["p99"]
    print("\n### Latency to durable (GROUP_COMMIT, DurableLatency harness)\n")
    print(f"fsync on this disk (same run, {d['fsync_us']['n']} × 200 B append + force): p50 {f50:,.0f} µs, "
          f"p99 {f99:,.0f} µs. Sustained {d['sustained_per_s']:,.0f} records/s; offered {d['offered_per_s']:,.0f}/s "
          f"(50%) for {d['seconds']} s, {d['durable_us']['n']:,} records.\n")
    print("| record() → completed receipt | p50 | p99 | p99.9 | max | target (p99 ≤ 2 ms + 2 fsyncs at p50) |")
    print("|---|---:|---:|---:|---:|---|")
    print(f"| GROUP_COMMIT at 50% load | {d['durable_us']['p50']:,.0f} µs | {p99:,.0f} µs | {d['durable_us']['p999']:,.0f} µs "
          f"| {d['durable_us']['max']:,.0f} µs | ≤ {target:,.0f} µs: {'met' if p99 <= target else 'MISSED'} |")
    h = d.get("hand_written_us")
    if h:
        hf = d["hand_written_force_us"]
        print(f"| hand-written group commit, same rate and disk (the floor: no chain, seal or receipt) | {h['p50']:,.0f} µs "
              f"| {h['p99']:,.0f} µs | {h['p999']:,.0f} µs | {h['max']:,.0f} µs | ours ÷ it at p99: "
              f"{p99 / h['p99']:.2f} |")
        print(f"\nForces made by the hand-written group commit under that write load ({hf['n']:,}): p50 "
              f"{hf['p50']:,.0f} µs, p99 {hf['p99']:,.0f} µs, max {hf['max']:,.0f} µs; {hf['over_10ms']} took over 10 ms.")


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except Exception:
        return "?"


cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
mem = sh("awk '/MemTotal/ {printf \"%.1f GiB\", $2/1048576}' /proc/meminfo")
jvm = runs[0].get("vmName", "?") + " " + runs[0].get("vmVersion", "?") if runs else "?"
print("\n### Machine and JVM\n")
print(f"- date: {sh('date -u +%Y-%m-%dT%H:%MZ')}")
load = " ".join(open("/proc/loadavg").read().split()[:3])
print(f"- nproc: {os.cpu_count()}; CPU: {cpu}; memory: {mem}; load average at report: {load}")
print(f"- OS: {platform.system()} {platform.release()}")
print(f"- JVM: {jvm} ({runs[0].get('jdkVersion', '?') if runs else '?'}); JMH {runs[0].get('jmhVersion', '?') if runs else '?'}")
print(f"- JVM args: {' '.join(runs[0].get('jvmArgs', [])) if runs else ''}")
print(f"- results: {path}")
