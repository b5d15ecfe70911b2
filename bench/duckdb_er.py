#!/usr/bin/env python3
"""DuckDB's side of the scoring benchmark: tier and median engagement rate only.

Usage: bench/duckdb_er.py PROFILES.ndjson POSTS.ndjson OUT.csv

The same definition kith uses (DESIGN.md): per post (likes + comments + shares + saves)
/ followers; a profile's rate is the median over its latest 12 posts posted within the
180 days before its fetched_at. Column types are given, so DuckDB spends no time
guessing them. Prints the wall-clock seconds of the query, reading and writing included.
"""

import sys
import time

import duckdb

profiles, posts, out = sys.argv[1:4]
QUERY = f"""
COPY (
  WITH p AS (
    SELECT * FROM read_json('{profiles}', format = 'newline_delimited', columns = {{
      platform: 'VARCHAR', handle: 'VARCHAR', followers: 'BIGINT', fetched_at: 'TIMESTAMPTZ'}})
  ),
  po AS (
    SELECT * FROM read_json('{posts}', format = 'newline_delimited', columns = {{
      platform: 'VARCHAR', handle: 'VARCHAR', post_id: 'VARCHAR', posted_at: 'TIMESTAMPTZ',
      likes: 'BIGINT', comments: 'BIGINT', shares: 'BIGINT', saves: 'BIGINT'}})
  ),
  recent AS (
    SELECT po.platform, po.handle,
      (coalesce(likes, 0) + coalesce(comments, 0) + coalesce(shares, 0) + coalesce(saves, 0))
        / p.followers AS er,
      row_number() OVER (PARTITION BY po.platform, po.handle ORDER BY posted_at DESC) AS n
    FROM po JOIN p USING (platform, handle)
    WHERE p.followers > 0
      AND posted_at <= p.fetched_at AND posted_at >= p.fetched_at - INTERVAL 180 DAY
  )
  SELECT p.platform, p.handle, p.followers,
    CASE WHEN p.followers < 1000 THEN 'nano' WHEN p.followers < 100000 THEN 'micro'
         WHEN p.followers < 1000000 THEN 'macro' ELSE 'mega' END AS tier,
    median(r.er) AS engagement_rate
  FROM p LEFT JOIN recent r ON r.platform = p.platform AND r.handle = p.handle AND r.n <= 12
  GROUP BY ALL
) TO '{out}' (HEADER, DELIMITER ',')
"""

start = time.perf_counter()
duckdb.connect().execute(QUERY)
print(f"{time.perf_counter() - start:.2f}")
