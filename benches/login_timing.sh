#!/usr/bin/env bash
# Times failed logins: a wrong password for `admin` vs names without an account.
set -euo pipefail
BIN=${1:-${CARGO_TARGET_DIR:-target}/release/laatu}
D=$(mktemp -d)
LAATU_ADMIN_PASSWORD=admin-password-123 LAATU_LOGIN_FREE_FAILURES=100000 LAATU_LOG_LEVEL=warn \
  $BIN --data-dir "$D" serve --bind 127.0.0.1:18931 >/dev/null 2>&1 &
PID=$!
trap 'kill $PID; rm -rf "$D"' EXIT
for i in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:18931/healthz && break; sleep 0.2; done
t() { curl -s -o /dev/null -w '%{time_total}\n' -H 'content-type: application/json' \
  -d "{\"username\":\"$1\",\"password\":\"wrong-password-1\"}" http://127.0.0.1:18931/api/v1/session; }
for i in $(seq 3); do t admin >/dev/null; t ghost >/dev/null; done
for i in $(seq 40); do echo "known $(t admin)"; echo "unknown $(t ghost$i)"; done | sort | awk '
{ v[$1]=v[$1] " " $2*1000; n[$1]++ }
END { for (k in v) { split(v[k], a, " "); asort(a); printf "%s: n=%d p50=%.1f ms p90=%.1f ms\n", k, n[k], a[int(n[k]*0.5)], a[int(n[k]*0.9)] } }'
