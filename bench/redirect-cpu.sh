#!/usr/bin/env bash
# Where the CPU goes when wrk follows a referral link, and what the 0.8×-nginx target
# leaves kith: CPU time per request of the server (from /proc, split by thread: HTTP
# workers, click writer, click mover) and of wrk itself, the share of the two cores left
# idle, and — with `perf` installed — the writer's fdatasync calls. Runs nginx's static
# 302, kith answering a bot (redirected, not stored) and kith storing a person's click.
# Figures in docs/PERFORMANCE.md ("Redirect").
#
#   bench/redirect-cpu.sh [seconds]
#   KITH_BIN=/path/to/other/kith bench/redirect-cpu.sh 6     # another build (A/B)
#
# Needs wrk and nginx (`apt-get install -y wrk nginx-light`); builds kith --release.
# Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-6}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/kith-target}"
if [ -z "${KITH_BIN:-}" ]; then cargo build --release -q -p kith; fi
kith="${KITH_BIN:-$CARGO_TARGET_DIR/release/kith}"
tick_us=$((1000000 / $(getconf CLK_TCK)))
person="Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"
source bench/redirect-common.sh

work=""
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ -n "$work" ]; then rm -rf "$work"; fi
  work=""
  server=""
}
trap cleanup EXIT

# User+system ticks of every thread of the server's processes, as "thread-name ticks".
threads() {
  local p
  for p in $server $(pgrep -P "$server" || true); do
    for t in /proc/"$p"/task/*; do echo "$(cat "$t/comm") $(awk '{print $14+$15}' "$t/stat")"; done
  done
}
# All CPUs' busy and idle ticks (idle includes iowait).
machine() { awk '/^cpu / { print $2+$3+$4+$7+$8, $5+$6 }' /proc/stat; }

measure() { # label url user-agent
  local label=$1 url=$2 agent=$3 out syncs="" rps wrk_ticks
  wrk -t2 -c64 -d2s -H "User-Agent: $agent" "$url" >/dev/null
  threads >"$work/before"
  read -r busy0 idle0 < <(machine)
  if command -v perf >/dev/null; then
    # Counts the server's fdatasync calls while wrk runs (perf stops with wrk).
    perf stat -x, -e syscalls:sys_enter_fdatasync -p "$server" -o "$work/perf" &
    local perf_pid=$!
  fi
  out=$( { /usr/bin/env time -f "wrk-cpu %U %S" wrk -t2 -c64 -d"${seconds}s" -H "User-Agent: $agent" "$url"; } 2>&1 )
  read -r busy1 idle1 < <(machine)
  if [ -n "${perf_pid:-}" ]; then
    kill -INT "$perf_pid" 2>/dev/null || true
    wait "$perf_pid" 2>/dev/null || true
    syncs=$(awk -F, '/fdatasync/ { print $1 }' "$work/perf")
  fi
  sleep 1 # lets the mover finish what the run left
  threads >"$work/after"
  rps=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
  wrk_ticks=$(echo "$out" | awk '/^wrk-cpu/ { print ($2 + $3) * 1000000 }')
  awk -v rps="$rps" -v s="$seconds" -v us="$tick_us" -v label="$label" -v wrk_us="$wrk_ticks" \
    -v idle="$(awk "BEGIN { printf \"%.0f\", 100 * ($idle1 - $idle0) / ($busy1 - $busy0 + $idle1 - $idle0) }")" \
    -v syncs="$syncs" '
    NR == FNR { before[$1] += $2; next }
    { after[$1] += $2 }
    END {
      n = rps * s; total = 0; line = ""
      for (k in after) { d = after[k] - before[k]; if (d > 0) { line = line sprintf(" %s %.1f", k, d * us / n); total += d } }
      printf "%-22s %7.0f req/s  server %4.1f us/req (%s )  wrk %.1f us/req  idle %s%%", label, rps, total * us / n, line, wrk_us / n, idle
      if (syncs + 0 > 0) printf "  %d fdatasync/s, %.1f clicks each", syncs / s, n / syncs
      printf "\n"
    }' "$work/before" "$work/after"
  echo "$rps $(awk -v w="$wrk_ticks" -v n="$(awk "BEGIN { print $rps * $seconds }")" 'BEGIN { printf "%.2f", w / n }')" >"$work/last"
}

start_kith() {
  work=$(mktemp -d /tmp/kith-redirect-cpu.XXXXXX)
  make_store "$work"
  "$kith" --data "$work/data" serve --bind 127.0.0.1:18090 2>"$work/serve.log" &
  server=$!
  await http://127.0.0.1:18090/healthz
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' -A "$person" http://127.0.0.1:18090/r/MAYA10)
  [ "$status" = 302 ] || { echo "MAYA10 answered $status, not 302" >&2; exit 1; }
}

work=$(mktemp -d /tmp/kith-redirect-cpu.XXXXXX)
run_nginx "$work" 18091 &
server=$!
await http://127.0.0.1:18091/
measure "nginx return 302" http://127.0.0.1:18091/r/MAYA10 "$person"
read -r nginx_rps nginx_wrk_us <"$work/last"
cleanup

start_kith
measure "kith, bot (not stored)" http://127.0.0.1:18090/r/MAYA10 "Googlebot/2.1"
cleanup
start_kith
measure "kith, click stored" http://127.0.0.1:18090/r/MAYA10 "$person"
cleanup

# With wrk and the server sharing the cores, requests/s ≈ cores / (wrk's + the server's
# CPU per request) once nothing idles.
awk -v rps="$nginx_rps" -v wrk_us="$nginx_wrk_us" -v cores="$(nproc)" 'BEGIN {
  target = 0.8 * rps
  printf "0.8x nginx = %.0f req/s: %.1f us of CPU per request in all, %.1f of them wrk'"'"'s, so at most %.1f us for kith, with no core idle\n", target, cores * 1e6 / target, wrk_us, cores * 1e6 / target - wrk_us
}'
