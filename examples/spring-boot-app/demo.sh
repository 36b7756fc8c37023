#!/usr/bin/env bash
# Drives the running example (see the README's "Spring Boot" section): logins, a failed-login burst, the alert, the
# lockout, a guarded delete, the actuator endpoints; then stops it and verifies what it wrote with `auditlog verify`.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${EXAMPLE_DIR:-${TMPDIR:-/tmp}/auditlog-example}
port=$(cat "$dir/application.port")
url=http://127.0.0.1:$port
step() { printf '\n== %s\n' "$*"; }
show() { curl -s -o /dev/null -w '%{http_code}\n' "$@"; }

step "alice logs in"; show -u alice:alice-pw "$url/api/hello"
step "bob guesses five times (401 each)"; for i in 1 2 3 4 5; do show -u "bob:guess$i" "$url/api/hello"; done
step "/actuator/auditevents: the alert (reading flushes the log, so the rules have seen the burst)"
curl -s -u admin:admin-pw "$url/actuator/auditevents?type=audit.alert"; echo
step "bob, now with his real password: locked out (423), the controller never runs"; show -u bob:bob-pw "$url/api/hello"
step "alice deletes d-1 (200), then tries secret-1: the guard denies (403)"
show -u alice:alice-pw -X POST "$url/api/documents/d-1/delete" -d reason=obsolete
show -u alice:alice-pw -X POST "$url/api/documents/secret-1/delete" -d reason=curious
step "/actuator/auditevents: bob's failures, two per page"
curl -s -u admin:admin-pw "$url/actuator/auditevents?principal=bob&type=AUTHENTICATION_FAILURE&limit=2"; echo
step "/actuator/health"; curl -s "$url/actuator/health/auditlog"; echo
step "/actuator/prometheus"; curl -s "$url/actuator/prometheus" | grep '^auditlog_'
step "stop the application (graceful: flush, last checkpoint)"; kill "$(cat "$dir/application.pid")"
while kill -0 "$(cat "$dir/application.pid" 2>/dev/null)" 2>/dev/null; do sleep 0.2; done
step "auditlog verify"
java -jar audit-cli/target/auditlog.jar verify "file:$dir/audit" --public-key "$dir/keys/auditlog.pub" \
  --anchor "$dir/anchor"
