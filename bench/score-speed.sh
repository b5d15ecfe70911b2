#!/usr/bin/env bash
# Scoring speed: `kith score` computing every metric over generated canonical NDJSON
# (PROFILES profiles, POSTS posts, interleaved), against DuckDB computing only tier and
# median engagement rate over the same files (bench/duckdb_er.py). Reports wall-clock
# seconds (best of RUNS, runs alternating), CPU seconds and peak RSS of each, and checks
# that both computed the same engagement rates.
#
# Reports the best and the median run of each. PAUSE=5 waits 5 s before every run: on a
# virtual machine that hands freed memory back to its host, each run then starts cold.
#
# Usage: [PAUSE=s] bench/score-speed.sh [PROFILES] [POSTS] [RUNS]   (defaults 50000 1000000 3)
# Needs python3 with duckdb (pip install duckdb); builds kith in release mode.
set -euo pipefail
cd "$(dirname "$0")/.."

PROFILES=${1:-50000}
POSTS=${2:-1000000}
RUNS=${3:-3}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/kith-target}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cargo build --release -q -p kith
KITH="$CARGO_TARGET_DIR/release/kith"
python3 -c 'import duckdb' 2>/dev/null || { echo "needs: pip install duckdb" >&2; exit 1; }
python3 bench/gen_social.py "$PROFILES" "$POSTS" "$WORK"
echo "files: $PROFILES profiles ($(du -h "$WORK/profiles.ndjson" | cut -f1)), $POSTS posts ($(du -h "$WORK/posts.ndjson" | cut -f1))"
echo "machine: $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# "wall user+sys rss_kb" of one command.
measure() {
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" \
    || { cat "$WORK/stderr" >&2; exit 1; }
  awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$WORK/time"
}
kith_score() {
  measure "$KITH" score --brand "$WORK/brand.toml" --profiles "$WORK/profiles.ndjson" \
    --posts "$WORK/posts.ndjson" --out "$WORK/kith.csv"
}
duckdb_er() {
  measure python3 bench/duckdb_er.py "$WORK/profiles.ndjson" "$WORK/posts.ndjson" "$WORK/duck.csv"
}

best_kith="" best_duck="" walls_kith="" walls_duck=""
better() { if [ -z "$1" ] || [ "$(echo "${2%% *} < ${1%% *}" | bc -l)" = 1 ]; then echo "$2"; else echo "$1"; fi; }
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for ((i = 1; i <= RUNS; i++)); do
  sleep "${PAUSE:-0}"; k=$(kith_score)
  sleep "${PAUSE:-0}"; d=$(duckdb_er)
  echo "run $i: kith $k | duckdb $d   (wall s, cpu s, rss KiB)"
  best_kith=$(better "$best_kith" "$k"); best_duck=$(better "$best_duck" "$d")
  walls_kith="$walls_kith ${k%% *}"; walls_duck="$walls_duck ${d%% *}"
done

# Both must agree on every profile's engagement rate (kith rounds to 6 decimals, so
# a rate ending in 5 at the 7th may differ by half a unit there).
python3 - "$WORK/kith.csv" "$WORK/duck.csv" <<'PY'
import csv, sys
kith = {(r["platform"], r["handle"]): r["engagement_rate"] for r in csv.DictReader(open(sys.argv[1]))}
duck = {(r["platform"], r["handle"]): r["engagement_rate"] for r in csv.DictReader(open(sys.argv[2]))}
assert kith.keys() == duck.keys(), "different profiles"
off = [k for k in kith if (kith[k] == "") != (duck[k] == "") or
       (kith[k] and abs(float(kith[k]) - float(duck[k])) > 1e-6)]
print(f"engagement rates: {len(kith) - len(off)} of {len(kith)} profiles agree")
sys.exit(1 if off else 0)
PY

read -r kw kc kr <<<"$best_kith"
read -r dw dc dr <<<"$best_duck"
printf 'best: kith %ss (cpu %ss, %s MiB) · duckdb tier+ER only %ss (cpu %ss, %s MiB) · kith/duckdb wall %.2f\n' \
  "$kw" "$kc" "$((kr / 1024))" "$dw" "$dc" "$((dr / 1024))" "$(echo "$kw / $dw" | bc -l)"
mk=$(echo "$walls_kith" | median); md=$(echo "$walls_duck" | median)
printf 'median: kith %ss · duckdb %ss · kith/duckdb wall %.2f\n' "$mk" "$md" "$(echo "$mk / $md" | bc -l)"
# Run i of each side ran back to back, so each pair saw the same moment of the machine.
paste <(echo "$walls_kith" | tr ' ' '\n' | grep .) <(echo "$walls_duck" | tr ' ' '\n' | grep .) |
  awk '{ n++; if ($1 <= $2) k++ } END { printf "pairs: kith no slower in %d of %d\n", k, n }'
