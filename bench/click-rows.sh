#!/usr/bin/env bash
# What a more compact click row would save the mover: SQLite inserting 1M clicks into
# the clicks table and indexes as they were before migration 8 (text times and day, hex
# visitor and IP hash) and into the same table with integer times and blob ids (kith now
# stores integer times without the day; visitor and IP hash are still hex text). Rows are generated in SQL, so
# both figures include generating them; compare the two, not either with the mover.
#
#   bench/click-rows.sh [rows]      (needs the sqlite3 shell: apt-get install -y sqlite3)
set -euo pipefail
rows=${1:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

indexes="CREATE INDEX clicks_member ON clicks (member_id, clicked_at);
CREATE INDEX clicks_visitor ON clicks (visitor, clicked_at);
CREATE INDEX clicks_content ON clicks (content_id, member_id) WHERE content_id IS NOT NULL;"

run() { # label columns values
  echo "$1:"
  sqlite3 "$work/$1.db" <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE clicks (id INTEGER NOT NULL PRIMARY KEY, member_id INTEGER NOT NULL, $2,
  content_id INTEGER) STRICT;
$indexes
.timer on
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $rows)
INSERT INTO clicks (member_id, visitor, clicked_at, day, ip_hash) SELECT 1, $3 FROM n;
SQL
  echo "  $(( $(stat -c %s "$work/$1.db") / rows )) bytes a click"
}

run text "visitor TEXT NOT NULL, clicked_at TEXT NOT NULL, day TEXT NOT NULL, ip_hash TEXT" \
  "printf('%012x%020x', 1764100000000 + i / 80, i * 2654435761),
   strftime('%Y-%m-%dT%H:%M:%fZ', 1764100000 + i / 80000.0, 'unixepoch'), '2026-11-26',
   hex(randomblob(16))"
run compact "visitor BLOB NOT NULL, clicked_at INTEGER NOT NULL, day INTEGER NOT NULL, ip_hash BLOB" \
  "CAST(printf('%012x%04x', 1764100000000 + i / 80, i % 65536) AS BLOB),
   1764100000000000 + i * 12, 20418, randomblob(16)"
