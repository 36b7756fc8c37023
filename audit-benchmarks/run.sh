#!/usr/bin/env bash
# Builds the benchmark jar, runs the suite and prints the ratio table.
#   audit-benchmarks/run.sh quick   # one fork, short iterations: under 10 minutes on 2 cores
#   audit-benchmarks/run.sh full    # two forks, longer iterations (about 50 minutes on 2 cores)
#   audit-benchmarks/run.sh smoke   # every benchmark once, no build (CI); proves they run, measures nothing
# Extra arguments go to JMH (e.g. a benchmark regex, or -prof jfr).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-quick}"
shift || true
jar=audit-benchmarks/target/benchmarks.jar

if [[ "$mode" != smoke ]]; then
  mvn -B -q package -DskipTests -pl audit-benchmarks -am
fi

# Skip a dialect whose server is down (H2 is embedded and always runs).
dbs="$(java -cp "$jar" dev.auditlog.bench.Databases)"
exclude=()
if [[ ",$dbs," != *",postgresql,"* ]]; then
  exclude=(-e JdbcCopyBench)
fi
echo "databases: $dbs"

case "$mode" in
  quick) opts=(-f 1 -wi 2 -w 1s -i 5 -r 1s -prof gc) ;;
  full)  opts=(-f 2 -wi 5 -w 2s -i 8 -r 2s -prof gc) ;;
  smoke) opts=(-f 1 -wi 0 -i 1 -w 200ms -r 200ms -bm thrpt -p batch=100 -p size=700) ;;
  *) echo "usage: $0 quick|full|smoke [JMH options]" >&2; exit 2 ;;
esac

mkdir -p audit-benchmarks/target
java -jar "$jar" "${opts[@]}" -foe true -p db="$dbs" "${exclude[@]}" \
  -rf json -rff "audit-benchmarks/target/$mode.json" "$@" | tee "audit-benchmarks/target/$mode.txt"

if [[ "$mode" != smoke ]]; then
  python3 audit-benchmarks/report.py "audit-benchmarks/target/$mode.json" "$mode" | tee "audit-benchmarks/target/$mode-report.md"
fi
