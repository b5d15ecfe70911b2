#!/usr/bin/env bash
# The dashboard query benchmark: 1M scored candidates, Discover and API queries (filter +
# sort + page) under concurrent load, p50/p95/p99 per backend. Figures go in
# docs/PERFORMANCE.md ("Dashboard").
#
#   bench/dashboard-bench.sh [sqlite|postgres] [rows] [connections] [seconds]
#
# PostgreSQL uses KITH_BENCH_DATABASE_URL (default: the test database's URL). Loading
# happens once per data directory / schema; later runs reuse it. Only loopback traffic.
set -euo pipefail
cd "$(dirname "$0")/.."

backend=${1:-sqlite}
rows=${2:-1000000}
connections=${3:-8}
seconds=${4:-20}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/kith-target}"

cargo build --release -q -p kith-server --example dashboard_bench
bin="$CARGO_TARGET_DIR/release/examples/dashboard_bench"

args=(--rows "$rows" --bind 127.0.0.1:8099)
case "$backend" in
  sqlite) args+=(--data "${KITH_BENCH_DATA:-/tmp/kith-bench-$rows}") ;;
  postgres) args+=(--database-url "${KITH_BENCH_DATABASE_URL:-${KITH_TEST_DATABASE_URL:-postgres://kith:kith@127.0.0.1:5432/kith_test}}") ;;
  *) echo "usage: $0 [sqlite|postgres] [rows] [connections] [seconds]" >&2; exit 2 ;;
esac

out=$(mktemp)
"$bin" "${args[@]}" >"$out" &
server=$!
stop() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$out"; }
trap stop EXIT
for _ in $(seq 1 600); do
  grep -q '^listening on' "$out" && break
  kill -0 $server 2>/dev/null || { echo "the server stopped" >&2; exit 1; }
  sleep 1
done
export KITH_TOKEN=$(sed -n 's/^token=//p' "$out")
export KITH_COOKIE=$(sed -n 's/^cookie=//p' "$out")

echo "== $backend, $rows candidates, $connections connections, ${seconds}s each, $(nproc) cores"
for target in api discover; do
  echo "-- $target (warm-up 3s)"
  KITH_TARGET=$target wrk -t2 -c"$connections" -d3s -s bench/dashboard-queries.lua http://127.0.0.1:8099 >/dev/null
  KITH_TARGET=$target wrk -t2 -c"$connections" -d"${seconds}s" -s bench/dashboard-queries.lua http://127.0.0.1:8099 | tail -n 2
done
stop
trap - EXIT
