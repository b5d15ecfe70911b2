#!/usr/bin/env bash
# Import speed: a generated Shopify customer export of N rows (default 1,000,000)
# imported by `kith import customers`, against `sqlite3 .import` of the same file into a
# plain table (the issue's yardstick: kith must reach at least 0.5x its rate).
#
# Usage: bench/import-speed.sh [N] [RUNS]
# Needs python3 and sqlite3 (apt-get install sqlite3); builds kith in release mode.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-1000000}
RUNS=${2:-3}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/kith-target}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cargo build --release -q -p kith
KITH="$CARGO_TARGET_DIR/release/kith"
CSV="$WORK/customers.csv"
python3 bench/gen_shopify_customers.py "$N" "$CSV"
echo "file: $N customers, $(du -h "$CSV" | cut -f1)"

# Wall-clock seconds of one command, run in a fresh directory.
timed() {
  rm -rf "$WORK/run" && mkdir "$WORK/run"
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
sqlite_import() {
  sqlite3 "$WORK/run/plain.db" ".mode csv" ".import $CSV customers"
}
kith_import() {
  "$KITH" --data "$WORK/run/data" import customers "$CSV"
}
min() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc -l)" = 1 ]; then echo "$2"; else echo "$1"; fi; }

# Alternating runs, best of each: on a shared machine the load changes from one minute
# to the next, and alternating lets both sides see the same conditions.
t_sqlite=""
t_kith=""
for _ in $(seq "$RUNS"); do
  t_sqlite=$(min "$t_sqlite" "$(timed sqlite_import)")
  t_kith=$(min "$t_kith" "$(timed kith_import)")
done
rate() { echo "$N / $1" | bc -l | xargs printf '%.0f'; }
echo "sqlite3 .import : $(printf '%.2f' "$t_sqlite") s  $(rate "$t_sqlite") rows/s"
echo "kith import     : $(printf '%.2f' "$t_kith") s  $(rate "$t_kith") rows/s"
echo "kith / sqlite3  : $(echo "$t_sqlite / $t_kith" | bc -l | xargs printf '%.2f')x the rate (target >= 0.50x)"
