#!/usr/bin/env bash
# Builds the benchmark jar, runs the suite (or some parts of it) and prints the ratio table.
#   audit-benchmarks/run.sh quick              # one fork, short iterations, every part
#   audit-benchmarks/run.sh full               # two forks, 4 s warm-up + 6 s measured each, every part (~40 min on 2 cores)
#   audit-benchmarks/run.sh full record jdbc   # only these parts; each part's JSON is kept, the report merges all
#   audit-benchmarks/run.sh report full        # merge the parts run so far and print the report, no run
#   audit-benchmarks/run.sh smoke              # every benchmark once, no build, no report (what CI runs)
# Parts: record spaced everycall threads filesink verify process jdbc crypto protection durable kafka. A part writes
# audit-benchmarks/target/<mode>/<part>.jmh.json (durable: durable-latency.json; process: verify-process.md, the
# whole-process verify row of verify-process.sh, 1 GiB in full, 64 MiB in quick; everycall: everycall.txt, the
# AlternatingLatency summaries, every call timed, back-to-back and 50 µs apart) when it finishes, so a long run can
# be done in parts, in separate sessions; `report` merges whatever parts exist into target/<mode>.json.
# Other arguments go to JMH (e.g. -prof jfr, or a benchmark regex with smoke).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-quick}"
shift || true
jar=audit-benchmarks/target/benchmarks.jar
all_parts=(record spaced everycall threads filesink verify process jdbc crypto protection durable kafka)

parts=()
jmh_args=()
if [[ "$mode" == report ]]; then
  mode="${1:-full}"
  shift || true
  report_only=1
else
  report_only=0
fi
for a in "$@"; do
  if [[ " ${all_parts[*]} " == *" $a "* ]]; then parts+=("$a"); else jmh_args+=("$a"); fi
done
if [[ ${#parts[@]} -eq 0 ]]; then parts=("${all_parts[@]}"); fi

case "$mode" in
  quick) opts=(-f 1 -wi 2 -w 1s -i 5 -r 1s); durable_s=3; process_mb=64; everycall_calls=20000 ;;
  full)  opts=(-f 2 -wi 4 -w 1s -i 6 -r 1s); durable_s=10; process_mb=1024; everycall_calls=200000 ;;
  smoke) opts=(-f 1 -wi 0 -i 1 -w 200ms -r 200ms -bm thrpt -p batch=100 -p size=700 -p gapMicros=50) ;;
  *) echo "usage: $0 quick|full|smoke|report [PART ...] [JMH options]" >&2; exit 2 ;;
esac
out=audit-benchmarks/target/$mode
mkdir -p "$out"

merge_and_report() {
  python3 - "$out" "audit-benchmarks/target/$mode.json" <<'EOF'
import glob, json, sys
runs = []
for f in sorted(glob.glob(sys.argv[1] + "/*.jmh.json")):
    runs += json.load(open(f))
json.dump(runs, open(sys.argv[2], "w"), indent=1)
print(f"merged {len(runs)} results from {sys.argv[1]}/*.jmh.json into {sys.argv[2]}")
EOF
  python3 audit-benchmarks/report.py "audit-benchmarks/target/$mode.json" "$mode" \
    audit-benchmarks/target/bench-data/verify-log/verify.properties "$out/durable-latency.json" "$out/verify-process.md" \
    "$out/everycall.txt" \
    | tee "audit-benchmarks/target/$mode-report.md"
}

if [[ $report_only == 1 ]]; then
  merge_and_report
  exit 0
fi

if [[ "$mode" != smoke ]]; then
  mvn -B -q package -DskipTests -pl audit-benchmarks,audit-cli -am # the process part runs audit-cli's jar
fi

# Skip a dialect whose server is down (H2 is embedded and always runs).
dbs="$(java -cp "$jar" dev.auditlog.bench.Databases)"
exclude=()
if [[ ",$dbs," != *",postgresql,"* ]]; then
  exclude=(-e JdbcCopyBench)
fi
echo "databases: $dbs"

jmh() { # jmh <json> <regex> [more JMH options]
  local json="$1" regex="$2"
  shift 2
  java -jar "$jar" "$regex" "${opts[@]}" -foe true -p db="$dbs" "${exclude[@]}" -rf json -rff "$json" \
    "$@" ${jmh_args[@]+"${jmh_args[@]}"} | tee -a "audit-benchmarks/target/$mode.txt"
}

if [[ "$mode" == smoke ]]; then
  # Every JMH benchmark once, then the durable-latency harness for a fraction of a second.
  java -jar "$jar" "${opts[@]}" -foe true -p db="$dbs" "${exclude[@]}" -rf json -rff "$out/smoke.jmh.json" \
    ${jmh_args[@]+"${jmh_args[@]}"} | tee "audit-benchmarks/target/smoke.txt"
  java -cp "$jar" dev.auditlog.bench.DurableLatency "$out/durable-latency.json" 0.2 10 \
    | tee -a "audit-benchmarks/target/smoke.txt"
  # The harnesses behind BENCHMARKS.md's "What blocks", briefly, so that they keep running.
  java -cp "$jar" dev.auditlog.bench.VerifyCost \
    audit-benchmarks/target/bench-data/verify-log/verify/00000000000000000000.jsonl 1 \
    | tee -a "audit-benchmarks/target/smoke.txt"
  java -cp "$jar" dev.auditlog.bench.GapCost 50 200 1 | tee -a "audit-benchmarks/target/smoke.txt"
  java -cp "$jar" dev.auditlog.bench.DurableRounds 20000 0.2 1 64 | tee -a "audit-benchmarks/target/smoke.txt"
  exit 0
fi

# Appended, not truncated: the report reads the threads part's LOSS lines from it, whichever invocation ran that part.
echo "== run.sh $mode ${parts[*]} at $(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "audit-benchmarks/target/$mode.txt"
for part in "${parts[@]}"; do
  echo "== part $part ($mode) at $(date -u +%H:%M:%SZ)" | tee -a "audit-benchmarks/target/$mode.txt"
  case "$part" in
    record)     jmh "$out/record.jmh.json" '\.RecordBench\.' -prof gc ;;
    spaced)     jmh "$out/spaced.jmh.json" 'SpacedRecordBench' ;;
    threads)
      # The same benchmarks as at one thread, with 2, 4 and 8 producer threads, throughput only. Log4j2 delivers
      # fewer events than were logged there (see RecordBench.Log4j.lossReported): its LOSS lines go to the log.
      for t in 2 4 8; do
        jmh "$out/threads-$t.jmh.json" \
          '\.RecordBench\.(auditlogNoopSink|auditlogFileSink|log4j2NoopAppender|log4j2RandomAccessFile)$|\.FileSinkBench\.' \
          -bm thrpt -t "$t" -p durability=NONE -jvmArgsAppend -Dbench.reportLoss=true
      done ;;
    filesink)   jmh "$out/filesink.jmh.json" 'FileSinkBench|RawLimitBench|IntegrityBench' ;;
    verify)     jmh "$out/verify.jmh.json" 'VerifyBench' ;;
    process)    SIZE_MB=$process_mb audit-benchmarks/verify-process.sh | tee "$out/verify-process.md.tmp" \
                  | tee -a "audit-benchmarks/target/$mode.txt"
                mv "$out/verify-process.md.tmp" "$out/verify-process.md" ;;
    jdbc)       jmh "$out/jdbc.jmh.json" 'JdbcBench|JdbcCopyBench' ;;
    crypto)     jmh "$out/crypto.jmh.json" 'CryptoBench' ;;
    kafka)      jmh "$out/kafka.jmh.json" 'KafkaBench' ;;
    protection) jmh "$out/protection.jmh.json" 'ProtectionBench' ;;
    everycall)  # every call timed (not JMH's periodic sample): back-to-back and 50 µs apart, ours and Log4j2 alternated
                : > "$out/everycall.txt"
                for gap in 0 50; do # 50 µs apart: a tenth of the calls, or the part takes minutes
                  java -cp "$jar" dev.auditlog.bench.AlternatingLatency "$gap" \
                    "$(( gap == 0 ? everycall_calls : everycall_calls / 10 ))" 8 \
                    | tee -a "$out/everycall.txt" | tee -a "audit-benchmarks/target/$mode.txt"
                done ;;
    durable)    java -cp "$jar" dev.auditlog.bench.DurableLatency "$out/durable-latency.json" "$durable_s" 500 \
                  | tee -a "audit-benchmarks/target/$mode.txt" ;;
  esac
done

merge_and_report
