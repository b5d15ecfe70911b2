#!/usr/bin/env bash
# The referral redirect against nginx: wrk on `GET /r/{code}` (kith, every request a
# person's click made durable before its 302 — appended to the click journal with one
# fdatasync per batch, then inserted into the embedded SQLite store) against nginx
# answering `return 302` from its config, on the same machine,
# same wrk threads and connections. Then kith at half its measured maximum rate, for
# latency. Figures go in docs/PERFORMANCE.md ("Redirect").
#
#   bench/redirect-bench.sh [connections] [seconds] [runs]
#
# The machine is shared: nginx and kith alternate, `runs` times each, and the best run of
# each side is kept, so both see the same conditions.
#
# Needs wrk and nginx (`apt-get install -y wrk nginx-light`). Only loopback traffic;
# everything it starts is stopped on exit. With KITH_DATABASE_URL=postgres://… (an empty
# database) kith stores the clicks in PostgreSQL instead.
set -euo pipefail
cd "$(dirname "$0")/.."

connections=${1:-64}
seconds=${2:-20}
runs=${3:-3}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/kith-target}"
cargo build --release -q -p kith
kith="$CARGO_TARGET_DIR/release/kith"

work=$(mktemp -d /tmp/kith-redirect-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

source bench/redirect-common.sh
make_store "$work"
k() { "$kith" --data "$work/data" "$@"; }
"$kith" --data "$work/data" serve --bind 127.0.0.1:18080 2>"$work/serve.log" &
pids+=($!)
run_nginx "$work" 18081 &
pids+=($!)
await http://127.0.0.1:18080/healthz
await http://127.0.0.1:18081/

bench() { # name url [delay_ms]
  KITH_BENCH_PATH=/r/MAYA10 KITH_BENCH_DELAY_MS="${3:-0}" \
    wrk -t2 -c"$connections" -d"${seconds}s" -s bench/redirect-paced.lua "$2" | grep '^result' | sed "s/^result/$1/"
}
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
warm() { wrk -t2 -c"$connections" -d3s -s bench/redirect-paced.lua "$1" >/dev/null; }

echo "== $(nproc) cores, wrk -t2 -c$connections -d${seconds}s, best of $runs, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
warm http://127.0.0.1:18081
warm http://127.0.0.1:18080
best() { # keeps the line with the higher rps: best "$current" "$new"
  if [ -z "$1" ] || awk "BEGIN { exit !($(echo "$2" | field rps) > $(echo "$1" | field rps)) }"; then
    echo "$2"
  else
    echo "$1"
  fi
}
nginx_line=""
kith_line=""
for run in $(seq 1 "$runs"); do
  n=$(bench nginx http://127.0.0.1:18081); echo "  run $run: $n"
  k=$(bench kith http://127.0.0.1:18080); echo "  run $run: $k"
  nginx_line=$(best "$nginx_line" "$n")
  kith_line=$(best "$kith_line" "$k")
done
echo "$nginx_line"
echo "$kith_line"
nginx_rps=$(echo "$nginx_line" | field rps)
kith_rps=$(echo "$kith_line" | field rps)
echo "kith/nginx = $(awk "BEGIN { printf \"%.2f\", $kith_rps / $nginx_rps }")"

# Where the time goes: the same redirect for a bot (answered, nothing stored), and the
# router alone (/healthz).
KITH_BENCH_PATH=/r/MAYA10 wrk -t2 -c"$connections" -d"${seconds}s" -H "User-Agent: Googlebot/2.1" \
  "http://127.0.0.1:18080/r/MAYA10" | sed -n 's/^Requests\/sec: */kith-bot-not-stored rps=/p'
KITH_BENCH_PATH=/healthz wrk -t2 -c"$connections" -d"${seconds}s" -s bench/redirect-paced.lua \
  http://127.0.0.1:18080 | grep '^result' | sed "s/^result/kith-healthz/"

# Half of kith's maximum: each connection waits between requests (whole milliseconds).
p50=$(echo "$kith_line" | field p50)
delay=$(awk "BEGIN { d = 1000 * $connections / ($kith_rps / 2) - $p50; printf \"%d\", (d < 1 ? 1 : d + 0.5) }")
for run in $(seq 1 "$runs"); do
  bench "kith-half-load(delay=${delay}ms) run $run" http://127.0.0.1:18080 "$delay"
done

clicks=$(k status --format json | sed -n 's/.*"clicks": \([0-9]*\).*/\1/p')
echo "clicks stored: $clicks; load after: $(cut -d' ' -f1-3 /proc/loadavg)"
# The embedded store's files (none when KITH_DATABASE_URL points at PostgreSQL).
find "$work/data" -name 'kith.db*' -exec stat -c '%n: %s bytes' {} + 2>/dev/null || true
grep -i error "$work/serve.log" | head -5 || true
