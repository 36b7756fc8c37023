#!/usr/bin/env python3
"""Summarises a JFR recording from `-prof jfr`: hottest methods by self and by total samples (execution samples
of all threads), and allocation by site (jdk.ObjectAllocationSample, weighted). Usage: jfr-top.py rec.jfr [N] [thread-substring]"""
import collections, json, subprocess, sys

path = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
thread_filter = sys.argv[3] if len(sys.argv) > 3 else None


def events(kind):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", kind, path],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["recording"]["events"]


def frames(ev):
    st = ev["values"].get("stackTrace") or {}
    return [f["method"]["type"]["name"] + "." + f["method"]["name"] for f in (st.get("frames") or [])]


def thread_name(ev):
    t = ev["values"].get("sampledThread") or ev["values"].get("eventThread") or {}
    return (t or {}).get("javaName") or ""


for kind, weight in (("jdk.ExecutionSample", None), ("jdk.ObjectAllocationSample", "weight")):
    evs = [e for e in events(kind) if not thread_filter or thread_filter in thread_name(e)]
    total = sum((e["values"][weight] if weight else 1) for e in evs) or 1
    self_c, total_c, threads = collections.Counter(), collections.Counter(), collections.Counter()
    for e in evs:
        w = e["values"][weight] if weight else 1
        fr = frames(e)
        if not fr:
            continue
        self_c[fr[0] if not weight else (e["values"]["objectClass"]["name"] + " @ " + fr[0])] += w
        for m in set(fr):
            total_c[m] += w
        threads[thread_name(e)] += w
    unit = "samples" if not weight else "bytes (sampled weight)"
    print(f"\n== {kind}: {len(evs)} events, {total:,} {unit}")
    print("-- by thread");
    for t, c in threads.most_common(6):
        print(f"{100 * c / total:6.1f}%  {t}")
    print("-- self (top frame)" + (" by class @ site" if weight else ""))
    for m, c in self_c.most_common(top):
        print(f"{100 * c / total:6.1f}%  {m}")
    print("-- total (on stack)")
    for m, c in total_c.most_common(top):
        print(f"{100 * c / total:6.1f}%  {m}")
