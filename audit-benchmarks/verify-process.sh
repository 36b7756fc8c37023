#!/usr/bin/env bash
# Whole-process verify speed (issue 16): `auditlog verify` of a file log of at least 1 GB against
# `openssl dgst -sha256` over the same segment files, wall time, best of N runs each, interleaved.
#   audit-benchmarks/verify-process.sh            # 1 GiB log, 3 runs each
#   SIZE_MB=2048 RUNS=5 audit-benchmarks/verify-process.sh
# The log is generated once under audit-benchmarks/target/bench-data/verify-process (kept between runs).
# Not run in CI (it writes a gigabyte). Prints one row: sizes, both times, and the ratio (target <= 1.25).
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb="${SIZE_MB:-1024}"
runs="${RUNS:-3}"
jar=audit-cli/target/auditlog.jar
data=audit-benchmarks/target/bench-data/verify-process
command -v openssl >/dev/null || { echo "openssl not found" >&2; exit 3; }
if [[ ! -f "$jar" ]]; then
  mvn -B -q package -DskipTests -pl audit-cli -am
fi
auditlog() { java -jar "$jar" "$@"; }

if [[ ! -f "$data/done-$size_mb" ]]; then
  rm -rf "$data"
  mkdir -p "$data"
  auditlog keygen --out "$data/keys" >/dev/null
  # ~600 bytes a record: enough records for size_mb, in 64 MiB segments, a checkpoint every 1000 records.
  count=$(( size_mb * 1024 * 1024 / 560 ))
  echo "generating $count records (~$size_mb MB) ..." >&2
  auditlog generate --dir "$data/logs" --private-key "$data/keys/auditlog.key" --count "$count" \
    --checkpoint-every 1000 --anchor "$data/anchor" >/dev/null
  touch "$data/done-$size_mb"
fi
files=("$data"/logs/default/*.jsonl)
bytes=$(cat "${files[@]}" | wc -c)
if (( bytes < size_mb * 1000 * 1000 )); then
  echo "the log holds only $bytes bytes" >&2
  exit 1
fi

now() { date +%s.%N; }
best_sha=""
best_verify=""
for ((i = 0; i < runs; i++)); do
  cat "${files[@]}" > /dev/null # both start from the page cache
  t0=$(now); openssl dgst -sha256 "${files[@]}" > /dev/null; t1=$(now)
  sha=$(echo "$t1 - $t0" | bc -l)
  t0=$(now)
  set +e
  auditlog verify "$data/logs" --public-key "$data/keys/auditlog.pub" --anchor "$data/anchor" > "$data/verify.out"
  rc=$?
  set -e
  t1=$(now)
  if (( rc != 0 )); then
    echo "verify exited $rc:" >&2
    tail -3 "$data/verify.out" >&2
    exit 1
  fi
  ver=$(echo "$t1 - $t0" | bc -l)
  if [[ -z "$best_sha" ]] || (( $(echo "$sha < $best_sha" | bc -l) )); then best_sha=$sha; fi
  if [[ -z "$best_verify" ]] || (( $(echo "$ver < $best_verify" | bc -l) )); then best_verify=$ver; fi
done
ratio=$(echo "$best_verify / $best_sha" | bc -l)
printf '| whole-process verify, %d files, %.0f MB | openssl dgst -sha256 %.2f s | auditlog verify %.2f s | ratio %.2f (target <= 1.25) | %d cores |\n' \
  "${#files[@]}" "$(echo "$bytes / 1000000" | bc -l)" "$best_sha" "$best_verify" "$ratio" "$(nproc)"
