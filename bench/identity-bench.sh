#!/usr/bin/env bash
# Identity resolution per request: `kith status` and the dashboard's person page over
# CUSTOMERS customers and PROFILES profiles (bench/gen_identity.py). Figures go in
# docs/PERFORMANCE.md ("Identity resolution").
#
#   bench/identity-bench.sh [customers] [profiles]
#
# KITH_BIN runs another build (e.g. one of an older commit) instead of this tree's release
# build. Each figure is printed per run; the server is on 127.0.0.1:8098, loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."

customers=${1:-100000}
profiles=${2:-50000}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/kith-target}"
if [ -z "${KITH_BIN:-}" ]; then
  cargo build --release -q -p kith
  KITH_BIN="$CARGO_TARGET_DIR/release/kith"
fi
dir=$(mktemp -d /tmp/kith-identity-XXXXXX)
server=
stop() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap stop EXIT
export KITH_DATA="$dir/data"
kith() { "$KITH_BIN" "$@"; }
millis() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N); echo "$(( (t1 - t0) / 1000000 )) ms"; }

python3 bench/gen_identity.py "$customers" "$profiles" "$dir"
kith import customers "$dir/customers.ndjson" >/dev/null
kith import profiles "$dir/profiles.ndjson" >/dev/null
# One more customer: a change of the data, for the "first after a change" figures.
echo '{"id": "Z0000001", "email": "late@example.com", "first_name": "Late", "last_name": "Comer"}' >"$dir/one.ndjson"

echo "== $customers customers, $profiles profiles, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo "-- kith status (table): first after an import, then again"
for run in 1 2 3; do
  kith import customers "$dir/one.ndjson" >/dev/null
  echo "first $(millis kith status)  then $(millis kith status)  $(millis kith status)"
done
echo "-- kith status --format json: $(millis kith status --format json)"

printf '%s\n' 'a long bench passphrase' | kith user add bench@kith.example --role manager >/dev/null
KITH_LOG=kith_server=info "$KITH_BIN" serve --bind 127.0.0.1:8098 >"$dir/serve.log" 2>&1 &
server=$!
url=http://127.0.0.1:8098
for _ in $(seq 1 100); do
  kill -0 "$server" 2>/dev/null || { cat "$dir/serve.log" >&2; exit 1; }
  curl -sf "$url/healthz" >/dev/null && break
  sleep 0.2
done
jar="$dir/cookies"
csrf=$(curl -s -c "$jar" -b "$jar" "$url/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "csrf=$csrf" \
  --data-urlencode 'email=bench@kith.example' --data-urlencode 'password=a long bench passphrase' "$url/login"
page() { curl -s -b "$jar" -o /dev/null -w '%{http_code} %{time_total}s' "$url/people/$1"; }
# Let the server's own background work at start (indexes) finish first.
sleep 10
echo "-- person page, 10 people in a row"
for i in $(seq 1 10); do printf '%s ' "$(page "$(printf 'C%07d' $((i * 7919 % customers + 1)))")"; done
echo
echo "-- person page, first after an import by the CLI, then again"
for run in 1 2 3; do
  kith import customers "$dir/one.ndjson" >/dev/null
  echo "first $(page C0000001)  then $(page C0000002)  $(page C0000003)"
done
echo "-- the server's log"
sed 's/\x1b\[[0-9;]*m//g' "$dir/serve.log" | grep -v '^kith is serving' | cut -c1-200
