#!/usr/bin/env bash
# CPU time kith spends per redirect: a person's click (stored) against a bot's (answered,
# not stored), read from /proc as the server's user+system ticks over a wrk run, split by
# thread (HTTP workers, click writer, click mover). Figures in docs/PERFORMANCE.md
# ("Redirect").
#
#   bench/redirect-cpu.sh [seconds]
#   KITH_BIN=/path/to/other/kith bench/redirect-cpu.sh 6     # the same for another build (A/B)
#
# Needs wrk (`apt-get install -y wrk`); builds kith --release. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-6}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/kith-target}"
if [ -z "${KITH_BIN:-}" ]; then cargo build --release -q -p kith; fi
kith="${KITH_BIN:-$CARGO_TARGET_DIR/release/kith}"
tick_us=$((1000000 / $(getconf CLK_TCK)))

run() { # label user-agent
  local work pid
  work=$(mktemp -d /tmp/kith-redirect-cpu.XXXXXX)
  cat >"$work/brand.toml" <<'TOML'
name = "Ridgeline Coffee Co."
currency = "USD"
allowed_redirect_domains = ["ridgeline.example"]
TOML
  echo '{"id":"c-1","source":"customer","email":"maya@example.com","first_name":"Maya"}' >"$work/customers.ndjson"
  k() { "$kith" --data "$work/data" "$@" >/dev/null; }
  k import customers "$work/customers.ndjson"
  k discover --brand "$work/brand.toml" --limit 1
  k program create Affiliates --kind affiliate --commission 10% --destination "https://ridgeline.example/shop"
  k program enroll Affiliates c-1
  "$kith" --data "$work/data" serve --bind 127.0.0.1:18090 2>"$work/serve.log" &
  pid=$!
  for _ in $(seq 1 100); do curl -fs -o /dev/null http://127.0.0.1:18090/healthz && break; sleep 0.1; done
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' -A "$2" http://127.0.0.1:18090/r/MAYA10)
  [ "$status" = 302 ] || { echo "MAYA10 answered $status, not 302" >&2; exit 1; }
  wrk -t2 -c64 -d2s -H "User-Agent: $2" http://127.0.0.1:18090/r/MAYA10 >/dev/null
  threads() { for t in /proc/$pid/task/*; do echo "$(cat "$t/comm") $(awk '{print $14+$15}' "$t/stat")"; done; }
  threads >"$work/before"
  local rps
  rps=$(wrk -t2 -c64 -d"${seconds}s" -H "User-Agent: $2" http://127.0.0.1:18090/r/MAYA10 | awk '/Requests\/sec/ {print $2}')
  sleep 1 # let the mover finish what the run left
  threads >"$work/after"
  awk -v rps="$rps" -v s="$seconds" -v us="$tick_us" -v label="$1" '
    NR == FNR { before[$1] += $2; next }
    { after[$1] += $2 }
    END {
      n = rps * s; total = 0
      for (k in after) { d = after[k] - before[k]; if (d > 0) { line = line sprintf(" %s %.1f", k, d * us / n); total += d } }
      printf "%s: %.0f req/s, %.1f us of CPU per request (by thread:%s)\n", label, rps, total * us / n, line
    }' "$work/before" "$work/after"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}

run "bot (not stored)" "Googlebot/2.1"
run "person (click stored)" "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"
