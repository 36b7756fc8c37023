#!/usr/bin/env python3
"""Prints the Markdown ratio table (ours / baseline, error bars propagated from JMH's 99.9% score errors) and the
machine and JVM details for a JMH JSON result file: report.py <results.json> <mode> [verify.properties]."""
import json, math, os, platform, subprocess, sys

path, mode = sys.argv[1], sys.argv[2]
props_path = sys.argv[3] if len(sys.argv) > 3 else "audit-benchmarks/target/bench-data/verify-log/verify.properties"
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
    key = (name[-2] + "." + name[-1], r["mode"], tuple(sorted((r.get("params") or {}).items())))
    index[key] = r


def find(bench, mode="thrpt", **params):
    want = tuple(sorted((k, str(v)) for k, v in params.items()))
    for (b, m, p), r in index.items():
        if b == bench and m == mode and all(kv in p for kv in want):
            return r
    return None


def thrpt(bench, **params):
    r = find(bench, "thrpt", **params)
    if not r:
        return None
    pm = r["primaryMetric"]
    f = TO_PER_S[pm["scoreUnit"]]
    return R(num(pm["score"]) * f, num(pm["scoreError"]) * f)


def sample(bench, stat):
    r = find(bench, "sample")
    if not r:
        return None
    pm = r["primaryMetric"]
    f = TO_US[pm["scoreUnit"]]
    if stat == "mean":
        return R(num(pm["score"]) * f, num(pm["scoreError"]) * f)
    return R(num(pm["scorePercentiles"][stat]) * f, float("nan"))


def alloc(bench, **params):
    r = find(bench, "thrpt", **params)
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
add("record() ASYNC → no-op: throughput vs Log4j2 async → no-op appender",
    thrpt(RB + "auditlogNoopSink"), thrpt(RB + "log4j2NoopAppender"), 1.0)
add("record() ASYNC → no-op: mean latency vs Log4j2 async → no-op",
    sample(RB + "auditlogNoopSink", "mean"), sample(RB + "log4j2NoopAppender", "mean"), 1.0, False, True)
add("record() ASYNC → no-op: p50 vs Log4j2 async → no-op (cost of an unblocked call)",
    sample(RB + "auditlogNoopSink", "50.0"), sample(RB + "log4j2NoopAppender", "50.0"), None, False, True)
add("record() ASYNC → no-op: p99 vs Log4j2 async → no-op",
    sample(RB + "auditlogNoopSink", "99.0"), sample(RB + "log4j2NoopAppender", "99.0"), 1.0, False, True)
add("record() ASYNC → no-op: p99.9 vs Log4j2 async → no-op",
    sample(RB + "auditlogNoopSink", "99.9"), sample(RB + "log4j2NoopAppender", "99.9"), None, False, True)
add("record() ASYNC → file (NONE): throughput vs Log4j2 async → RandomAccessFile",
    thrpt(RB + "auditlogFileSink"), thrpt(RB + "log4j2RandomAccessFile"), 1.0)
add("record() ASYNC → file (NONE): mean latency vs Log4j2 async → RandomAccessFile",
    sample(RB + "auditlogFileSink", "mean"), sample(RB + "log4j2RandomAccessFile", "mean"), 1.0, False, True)
add("record() ASYNC → file (NONE): p50 vs Log4j2 async → RandomAccessFile",
    sample(RB + "auditlogFileSink", "50.0"), sample(RB + "log4j2RandomAccessFile", "50.0"), None, False, True)
add("record() ASYNC → file (NONE): p99 vs Log4j2 async → RandomAccessFile",
    sample(RB + "auditlogFileSink", "99.0"), sample(RB + "log4j2RandomAccessFile", "99.0"), 1.0, False, True)
add("record() ASYNC → file (NONE): throughput vs Logback AsyncAppender → JsonEncoder file",
    thrpt(RB + "auditlogFileSink"), thrpt(RB + "logbackAsyncFile"))
FS = "FileSinkBench.record"
none = thrpt(FS, durability="NONE")
add("file sink NONE, sustained (FileSinkBench) vs Log4j2 async JSON → RandomAccessFile",
    none, thrpt(RB + "log4j2RandomAccessFile"), 1.2)
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
            scale(a), scale(b), 0.8 if db == "postgresql" else None)
        if db == "postgresql":
            add(f"JDBC postgresql, batch {batch}: JdbcAuditSink vs COPY (rows/s)",
                scale(a), scale(thrpt("JdbcCopyBench.copyIn", batch=batch)))
add("protection: the five built-in detection rules on vs off (records/s, record + evaluate)",
    thrpt("ProtectionBench.recordAndEvaluate", rules="on"), thrpt("ProtectionBench.recordAndEvaluate", rules="off"))
CB = "CryptoBench."
for size in sorted({dict(p).get("size") for (b, m, p) in index if b.startswith(CB)} - {None}, key=int):
    add(f"SHA-256 of {size} B: JDK vs BouncyCastle", thrpt(CB + "jdkSha256", size=size), thrpt(CB + "bcSha256", size=size))
add("Ed25519 sign (256 B): JDK vs BouncyCastle", thrpt(CB + "jdkEd25519Sign"), thrpt(CB + "bcEd25519Sign"))
add("Ed25519 verify (256 B): JDK vs BouncyCastle", thrpt(CB + "jdkEd25519Verify"), thrpt(CB + "bcEd25519Verify"))

print(f"## Ratios ({mode} run)\n")
print("Throughput rows: ops/s (higher is better); latency rows: µs/op from SampleTime (lower is better). "
      "Errors are JMH's 99.9% confidence half-widths, propagated in quadrature; percentiles carry none (± ?).\n")
print("| comparison | ours | baseline | ratio (ours ÷ baseline) | target |")
print("|---|---:|---:|---:|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")

ours_alloc, event_alloc = alloc(RB + "auditlogNoopSink"), alloc(RB + "buildEvent")
print("\n### Allocation per record() (gc.alloc.rate.norm, B/op)\n")
print("| benchmark | B/op |\n|---|---:|")
for b in ("auditlogNoopSink", "auditlogFileSink", "log4j2NoopAppender", "log4j2RandomAccessFile", "logbackAsyncFile", "buildEvent"):
    print(f"| RecordBench.{b} | {fmt(alloc(RB + b), 0)} |")
if ours_alloc and event_alloc:
    extra = ours_alloc.v - event_alloc.v
    print(f"\nrecord() allocates {ours_alloc.v:.0f} B/op; building the event itself allocates {event_alloc.v:.0f} B; "
          f"so record() costs the event + {extra:.0f} B (target: event + 64 B → {'met' if extra <= 64 else 'MISSED'}).")

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
