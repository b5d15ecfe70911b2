#!/usr/bin/env bash
# Parsing speed alone: a generated Shopify customer export of N rows (default 1,000,000)
# read through kith's shopify reader, records discarded. Usage: bench/reader-speed.sh [N]
set -euo pipefail
cd "$(dirname "$0")"
N=${1:-1000000}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/kith-target}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cargo build --release -q --manifest-path reader/Cargo.toml
python3 gen_shopify_customers.py "$N" "$WORK/customers.csv"
for _ in 1 2 3; do "$CARGO_TARGET_DIR/release/kith-reader-bench" customers "$WORK/customers.csv"; done
